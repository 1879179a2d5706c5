"""The demo workbook on disk is regenerated when an older generator wrote it."""
from __future__ import annotations

import perfkit.datasets.demo as demo_mod
from perfkit.run import demo as run_demo


def test_demo_workbook_regenerated_when_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path))
    calls = []

    def fake_generate(*, seed):
        calls.append(seed)
        return {"marker": seed}

    def fake_write(frames, path, *, format):
        path.write_text(f"v{len(calls)}", encoding="utf-8")

    monkeypatch.setattr(demo_mod, "generate", fake_generate)
    monkeypatch.setattr(demo_mod, "write", fake_write)

    path = run_demo.demo_workbook_path(seed=5)
    assert path.name == "demo_district_5.xlsx" and path.read_text() == "v1"
    stamp = path.with_name(path.name + ".version")
    assert stamp.read_text() == f"{demo_mod.GENERATOR_VERSION}\n"

    run_demo.demo_workbook_path(seed=5)                 # current: not generated again
    assert calls == [5]

    stamp.write_text("1\n")                               # written by an older generator
    run_demo.demo_workbook_path(seed=5)
    assert calls == [5, 5] and path.read_text() == "v2"

    stamp.unlink()                                        # no stamp at all (perfkit ≤ 0.1)
    run_demo.demo_workbook_path(seed=5)
    assert calls == [5, 5, 5] and stamp.exists()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]   # no temp files
