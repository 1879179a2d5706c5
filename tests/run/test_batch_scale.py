"""Batches at scale: the warm fork-server engine (isolation, crashes, timeouts, equality with a
fresh papermill run), skipping up-to-date reports and resuming, the roll-up, and Dask."""
import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from perfkit.datasets.demo import generate, write
from perfkit.run.batch import plan_batch, run_batch, specs_for_workbook
from perfkit.run.execute import run_report
from perfkit.run.manifest import HashCache, fingerprint, read_json, stale_reasons
from perfkit.run.params import RunSpec
from perfkit.run.paths import notebook_path
from perfkit.run.warm import WarmPool, available

needs_fork = pytest.mark.skipif(not available(), reason="the warm engine needs os.fork")


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory):
    d = tmp_path_factory.mktemp("wb")
    frames = generate(seed=7, years=(2023, 2024), n_departments=3, n_projects=12, n_townships=2)
    path = d / "district.xlsx"
    write(frames, path, format="xlsx")
    return path


@pytest.fixture(scope="module")
def pool():
    """One fork server for the module (2 children at once): its start-up is paid once."""
    with WarmPool(jobs=2) as p:
        yield p


@pytest.fixture(scope="module")
def warm_batch(small_workbook, pool, tmp_path_factory):
    """Four reports of the small district run by the warm engine."""
    root = tmp_path_factory.mktemp("out")
    specs = specs_for_workbook(small_workbook, batch="wb", limit=4)
    df = run_batch(specs, root=root, quiet=True, engine="warm", pool=pool)
    return root, specs, df


def _notebook(path: Path, *sources: str, parameters: str | None = None) -> Path:
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}}
    if parameters is not None:
        c = new_code_cell(parameters)
        c.metadata["tags"] = ["parameters"]
        nb.cells.append(c)
    nb.cells += [new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


# --------------------------------------------------------------------------------------------
# the warm pool itself (generic notebooks, no report steps)
# --------------------------------------------------------------------------------------------
LEAK = """
import os, sys, pandas as pd, numpy as np, perfkit
pd.set_option("display.max_rows", 3)
np.random.seed(123)
os.environ["PERFKIT_TEST_LEAK"] = "leaked"
os.chdir("/")
perfkit._leaked_by_report_a = True
sys.modules["json"].leaked = True
leak_var = 1
"""

SHOW = """
import os, json, pandas as pd, numpy as np, perfkit
np_draw = float(np.random.rand())
print(json.dumps({"max_rows": pd.get_option("display.max_rows"),
                  "draw": np_draw,
                  "env": os.environ.get("PERFKIT_TEST_LEAK"),
                  "cwd": os.getcwd(),
                  "module_attr": hasattr(perfkit, "_leaked_by_report_a"),
                  "json_attr": hasattr(json, "leaked"),
                  "var": "leak_var" in globals(),
                  "param": param}))
"""


@pytest.mark.slow
@needs_fork
def test_state_set_by_one_report_never_reaches_the_next(pool, tmp_path):
    import numpy as np
    import pandas as pd
    np.random.seed(123)
    seeded_draw = float(np.random.rand())
    a = _notebook(tmp_path / "a.ipynb", LEAK)
    b = _notebook(tmp_path / "b.ipynb", SHOW, parameters="param = 0")
    ra = pool.submit_notebook(a, tmp_path / "a.out.ipynb", cwd=tmp_path).result()   # first A,
    assert ra["status"] == "ok", ra
    rb = pool.submit_notebook(b, tmp_path / "b.out.ipynb", {"param": 7}).result()  # then B
    assert rb["status"] == "ok", rb
    out = nbformat.read(tmp_path / "b.out.ipynb", as_version=4)
    stream = [o for c in out.cells for o in c.get("outputs", []) if o.output_type == "stream"]
    seen = json.loads(stream[0].text)
    assert seen["max_rows"] == pd.get_option("display.max_rows") == 60
    assert seen["draw"] != seeded_draw          # not the seed report A set
    assert seen["env"] is None
    assert Path(seen["cwd"]) == Path.cwd() != Path("/")   # the server's, not A's "/"
    assert not seen["module_attr"] and not seen["json_attr"] and not seen["var"]
    assert seen["param"] == 7                  # injected by papermill's own parameterize
    tags = [c.metadata.get("tags") for c in out.cells]
    assert tags[:2] == [["parameters"], ["injected-parameters"]]
    assert "papermill" in out.metadata and out.metadata.papermill["parameters"] == {"param": 7}


@pytest.mark.slow
@needs_fork
def test_outputs_are_captured_like_a_kernel(pool, tmp_path):
    nb = _notebook(tmp_path / "c.ipynb",
                   "print('out'); import sys; print('err', file=sys.stderr); 1 + 1",
                   "from IPython.display import HTML, display\ndisplay(HTML('<b>粗</b>'))",
                   "from perfkit.report.figures import ReportFigure\n"
                   "f = ReportFigure(figsize=(2, 1)); f.add_subplot().plot([0, 1]); f",
                   "x = 1;")
    r = pool.submit_notebook(nb, tmp_path / "c.out.ipynb", cwd=tmp_path).result()
    assert r["status"] == "ok", r
    cells = nbformat.read(tmp_path / "c.out.ipynb", as_version=4).cells
    o0 = cells[0].outputs
    assert [(o.output_type, o.get("name")) for o in o0] == [
        ("stream", "stdout"), ("stream", "stderr"), ("execute_result", None)]
    assert o0[2].data["text/plain"] == "2" and o0[2].execution_count == 1
    assert cells[1].outputs[0].data["text/html"] == "<b>粗</b>"
    assert cells[2].outputs[0].data["image/png"].startswith("iVBOR")   # base64 PNG
    assert cells[3].outputs == [] and cells[3].execution_count == 4


@pytest.mark.slow
@needs_fork
def test_a_failing_cell_is_an_error_and_the_pool_goes_on(pool, tmp_path):
    bad = _notebook(tmp_path / "bad.ipynb", "raise ValueError('boom 坏')", "print('never')")
    r = pool.submit_notebook(bad, tmp_path / "bad.out.ipynb", cwd=tmp_path).result()
    assert r["status"] == "error" and "ValueError: boom 坏" in r["error"]
    cells = nbformat.read(tmp_path / "bad.out.ipynb", as_version=4).cells
    err = [o for c in cells if c.cell_type == "code" for o in c.outputs
           if o.output_type == "error"]
    assert err and err[0].ename == "ValueError"
    ok = _notebook(tmp_path / "ok.ipynb", "x = 1")
    assert pool.submit_notebook(ok, tmp_path / "ok.out.ipynb").result()["status"] == "ok"


@pytest.mark.slow
@needs_fork
def test_a_crashed_child_is_retried_once_then_failed(pool, tmp_path):
    crash = _notebook(tmp_path / "crash.ipynb", "import os\nos._exit(3)")
    r = pool.submit_notebook(crash, tmp_path / "crash.out.ipynb").result()
    assert r["status"] == "error" and r["error_kind"] == "Crashed"
    assert r["attempts"] == 2 and "exited with code 3" in r["error"]
    segv = _notebook(tmp_path / "segv.ipynb", "import os, signal\nos.kill(os.getpid(), "
                     "signal.SIGSEGV)")
    r = pool.submit_notebook(segv, tmp_path / "segv.out.ipynb").result()
    assert r["error_kind"] == "Crashed" and "SIGSEGV" in r["error"]


@pytest.mark.slow
@needs_fork
def test_a_report_over_its_timeout_is_killed(pool, tmp_path):
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(120)")
    t0 = time.perf_counter()
    r = pool.submit_notebook(slow, tmp_path / "slow.out.ipynb", timeout=1.5).result()
    assert time.perf_counter() - t0 < 30
    assert r["status"] == "error" and r["error_kind"] == "Timeout"
    assert r["attempts"] == 1                    # a timeout is not retried


# --------------------------------------------------------------------------------------------
# reports
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
@needs_fork
def test_warm_report_equals_a_fresh_papermill_run(warm_batch, tmp_path, monkeypatch):
    root, specs, df = warm_batch
    assert list(df["status"]) == ["ok"] * 4
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path))
    spec = specs[1]
    out = run_report(spec, root=tmp_path / "pm", engine="papermill")
    fresh = Path(out.path) / "results.json"
    warm = root / spec.batch / spec.subject_id() / "results.json"
    assert fresh.read_bytes() == warm.read_bytes()
    man_w = read_json(warm.parent / "manifest.json")
    man_p = read_json(fresh.parent / "manifest.json")
    assert man_w["outputs"]["results.json"] == man_p["outputs"]["results.json"]
    assert man_w["engine"] == "inprocess" and man_p["engine"] == "papermill"
    assert man_w["parameters"] == man_p["parameters"]


@pytest.mark.slow
@needs_fork
def test_resume_runs_only_the_missing_subjects(warm_batch, pool, tmp_path):
    root, specs, _ = warm_batch
    shutil.copytree(root / "wb", tmp_path / "wb")
    gone = [specs[0].subject_id(), specs[2].subject_id()]
    for sid in gone:
        shutil.rmtree(tmp_path / "wb" / sid)
    df = run_batch(specs, root=tmp_path, quiet=True, engine="warm", pool=pool)
    status = dict(zip(df["subject_id"], df["status"]))
    assert status == {s.subject_id(): ("ok" if s.subject_id() in gone else "skipped")
                      for s in specs}
    # the roll-up has every subject's key results, skipped ones read from results.json
    summary = json.loads((tmp_path / "wb" / "summary.json").read_text(encoding="utf-8"))
    for row in summary:
        res = read_json(tmp_path / "wb" / row["subject_id"] / "results.json")
        assert row["total"] == res["total"] and row["grade"] == res["grade"]
        assert row["name"] == res["name"]
    assert (tmp_path / "wb" / "summary.xlsx").exists()
    assert (tmp_path / "wb" / "summary.csv").read_text(encoding="utf-8-sig").startswith(
        "subject_id,")
    # --force runs an up-to-date subject again
    df = run_batch(specs[1:2], root=tmp_path, quiet=True, engine="warm", force=True, pool=pool)
    assert list(df["status"]) == ["ok"]


@pytest.mark.slow
@needs_fork
def test_a_changed_input_makes_a_report_stale(warm_batch, small_workbook, tmp_path):
    root, specs, _ = warm_batch
    todo, settled = plan_batch(specs, root=root)
    assert todo == [] and {o.status for o in settled} == {"skipped"}
    wb2 = tmp_path / "district.xlsx"
    shutil.copy(small_workbook, wb2)
    with open(wb2, "ab") as fh:          # same sheets, different bytes
        fh.write(b"\0")
    moved = [RunSpec(notebook=s.notebook, batch=s.batch,
                     parameters={**s.parameters, "workbook": str(wb2)}) for s in specs]
    todo, settled = plan_batch(moved, root=root)
    assert len(todo) == 4 and settled == []


def test_stale_reasons_name_what_changed(tmp_path):
    nb = notebook_path("project_self_evaluation")
    inp = tmp_path / "in.csv"
    inp.write_text("a\n1\n")
    fp = fingerprint(notebook="project_self_evaluation", notebook_file=nb,
                     parameters={"workbook": str(inp), "project_id": "P1",
                                 "profile": "national"}, inputs={"workbook": str(inp)},
                     cache=HashCache())
    from perfkit.run.manifest import MANIFEST_VERSION
    man = {"manifest_version": MANIFEST_VERSION, "notebook": "project_self_evaluation",
           "notebook_sha256": fp["notebook_sha256"], "parameters": dict(fp["parameters"]),
           "inputs": {"workbook": {"path": str(inp), "sha256": fp["inputs"]["workbook"]}},
           "profile": {"hash": fp["profile_hash"]}, "versions": {"perfkit": fp["perfkit"]}}
    assert stale_reasons(man, fp) == []
    man2 = {**man, "parameters": {**man["parameters"], "project_id": "P2"},
            "versions": {"perfkit": "0.0.1"}, "profile": {"hash": "sha256:x"}}
    why = stale_reasons(man2, fp)
    assert any("project_id 'P2' → 'P1'" in w for w in why)
    assert any("perfkit 0.0.1" in w for w in why)
    assert any("rule profile national changed" in w for w in why)
    inp.write_text("a\n2\n")
    fp2 = fingerprint(notebook="project_self_evaluation", notebook_file=nb,
                      parameters=fp["parameters"], inputs={"workbook": str(inp)})
    assert stale_reasons(man, fp2) == ["input workbook changed"]


# --------------------------------------------------------------------------------------------
# Dask
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
@needs_fork
def test_batch_on_a_local_dask_cluster(small_workbook, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    specs = specs_for_workbook(small_workbook, batch="dk", limit=2)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        df = run_batch(specs, root=tmp_path, quiet=True, scheduler=cluster.scheduler_address)
    assert list(df["status"]) == ["ok", "ok"]
    for s in specs:
        folder = tmp_path / "dk" / s.subject_id()
        assert (folder / "report.html").exists()
        man = read_json(folder / "manifest.json")
        assert man["subject_id"] == s.subject_id() and man["engine"] == "inprocess"
    summary = json.loads((tmp_path / "dk" / "summary.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in summary] == ["ok", "ok"]
