"""End to end: a params file → papermill → report folder; bad input → clear error, nothing left."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from perfkit.cli import main
from perfkit.datasets.demo import generate, write

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory):
    d = tmp_path_factory.mktemp("wb")
    frames = generate(seed=7, years=(2023, 2024), n_departments=3, n_projects=12, n_townships=2)
    path = d / "district.xlsx"
    write(frames, path, format="xlsx")
    return path, frames


def params_file(tmp_path, workbook, pid, **extra):
    p = tmp_path / f"{pid}.yaml"
    lines = ["notebook: project_self_evaluation", "batch: t", "parameters:",
             f"  workbook: '{workbook}'", f"  project_id: '{pid}'"]
    lines += [f"  {k}: {v}" for k, v in extra.items()]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_run_writes_complete_report(small_workbook, tmp_path, monkeypatch):
    path, frames = small_workbook
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / "out"))
    pid = sorted(frames["projects"]["project_id"].unique())[0]
    assert main(["run", str(params_file(tmp_path, path, pid))]) == 0
    out = tmp_path / "out" / "t" / pid
    names = {p.name for p in out.iterdir()}
    assert {"report.html", "results.json", "manifest.json", "notebook.ipynb",
            "self_evaluation_table.xlsx"} <= names
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    html = (out / "report.html").read_text(encoding="utf-8")
    # the report states what results.json holds
    assert f"{res['total']:.2f}" in html and res["grade"] in html
    for ind in res["indicators"]:
        if ind["score"] is not None:
            assert f"{ind['score']:.2f}" in html
    assert "<script src=\"http" not in html and "def " not in html
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["inputs"]["workbook"]["sha256"].startswith("sha256:")
    assert man["profile"]["hash"] == res["profile"]["hash"]
    assert man["parameters"]["project_id"] == pid
    ws = openpyxl.load_workbook(out / "self_evaluation_table.xlsx").active
    assert any("项目支出绩效自评表" in str(c.value) for row in ws.iter_rows() for c in row
               if c.value)
    assert not (tmp_path / "out" / "t" / ".staging").exists()


def test_same_inputs_give_identical_results_json(small_workbook, tmp_path, monkeypatch):
    path, frames = small_workbook
    pid = sorted(frames["projects"]["project_id"].unique())[1]
    outs = []
    for i in range(2):
        monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / f"o{i}"))
        assert main(["run", str(params_file(tmp_path, path, pid))]) == 0
        outs.append((tmp_path / f"o{i}" / "t" / pid / "results.json").read_bytes())
    assert outs[0] == outs[1]


def test_bad_input_exit_2_no_traceback_no_folder(small_workbook, tmp_path, monkeypatch):
    path, frames = small_workbook
    bad = tmp_path / "bad.xlsx"
    shutil.copy(path, bad)
    wb = openpyxl.load_workbook(bad)
    ws = wb["项目资金"]
    ws.cell(row=3, column=4).value = -5            # negative budget
    wb.save(bad)
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / "out"))
    pid = sorted(frames["projects"]["project_id"].unique())[0]
    pf = params_file(tmp_path, bad, pid)
    proc = subprocess.run([sys.executable, "-m", "perfkit.cli", "run", str(pf)],
                          capture_output=True, text=True, env={**__import__("os").environ,
                                                               "PERFKIT_OUTPUTS": str(tmp_path / "out")})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "项目资金" in proc.stderr and "row 3" in proc.stderr
    assert not (tmp_path / "out" / "t" / pid).exists()
    assert not list((tmp_path / "out").rglob("results.json"))


def test_batch_goes_on_after_a_failure(small_workbook, tmp_path, monkeypatch):
    path, frames = small_workbook
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / "out"))
    ids = sorted(frames["projects"]["project_id"].unique())[:2]
    folder = tmp_path / "params"
    folder.mkdir()
    params_file(folder, path, ids[0])
    params_file(folder, path, ids[1])
    params_file(folder, path, "NOPE999")
    rc = main(["batch", str(folder), "--batch", "t", "--jobs", "2", "--quiet"])
    assert rc == 1
    summary = json.loads((tmp_path / "out" / "t" / "summary.json").read_text(encoding="utf-8"))
    status = {r["subject_id"]: r["status"] for r in summary}
    assert status == {ids[0]: "ok", ids[1]: "ok", "NOPE999": "error"}
    assert (tmp_path / "out" / "t" / "summary.xlsx").exists()
    assert (tmp_path / "out" / "t" / ids[0] / "report.html").exists()
