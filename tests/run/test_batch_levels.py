"""Batches at every level: the notebook → level table, run specs per project, department and
township (ids, departments, --set parameters), the command line, the key results of the
summary, and (slow) `perfkit batch WORKBOOK --notebook results_application` end to end."""
import json
import re
from pathlib import Path

import pytest

from perfkit.cli import _parse_sets, build_parser, main
from perfkit.datasets import small_path
from perfkit.errors import InputError
from perfkit.run.batch import SUMMARY_COLUMNS, specs_for_workbook, write_summary
from perfkit.run.execute import key_results
from perfkit.run.params import NOTEBOOK_PARAMS, load_params, validate_parameters
from perfkit.run.params_cycle import SUBJECT_LEVELS, cycle_specs, subject_level

ROOT = Path(__file__).resolve().parents[2]
SMALL_DEPTS = ["001", "003", "006", "024"]          # the small district's departments of 2024


# --- the level table ----------------------------------------------------------------------------

def test_every_notebook_has_a_level():
    assert set(SUBJECT_LEVELS) == set(NOTEBOOK_PARAMS)
    assert set(SUBJECT_LEVELS.values()) == {"project", "department", "township", "district"}
    assert subject_level("results_application") == "department"
    assert subject_level("monitoring") == "department"
    assert subject_level("township_evaluation") == "township"
    with pytest.raises(InputError, match="unknown notebook; available: benchmarking"):
        subject_level("nope")


def test_readme_batch_table_is_the_level_table():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Batches", 1)[1].split("\n## ", 1)[0]
    seen: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`\w+`", cells[0]):
            for nb in re.findall(r"`(\w+)`", cells[1]):
                seen[nb] = cells[0].strip("`")
    assert seen == SUBJECT_LEVELS


# --- specs --------------------------------------------------------------------------------------

def test_specs_per_project_department_and_township():
    wb = small_path()
    p = cycle_specs("project_self_evaluation", wb, batch="b")
    assert len(p) == 12 and [s.subject_id() for s in p] == sorted(s.subject_id() for s in p)
    assert p[0].parameters == {"workbook": str(Path(wb).resolve()), "year": 2024,
                               "profile": "national", "lang": "zh", "project_id": "XM00004"}
    # the same specs as specs_for_workbook, which they reuse
    assert [s.parameters for s in p] == [s.parameters for s in specs_for_workbook(wb, batch="b")]
    k = cycle_specs("key_evaluation", wb, batch="b", ids=["XM00006", "XM00004"])
    assert [s.parameters["subject_id"] for s in k] == ["XM00004", "XM00006"]
    d = cycle_specs("department_evaluation", wb, batch="b")
    assert [s.subject_id() for s in d] == SMALL_DEPTS
    a = cycle_specs("results_application", wb, batch="b", cut_percent={"中": 10})
    assert [s.subject_id() for s in a] == SMALL_DEPTS             # the folder: the department
    assert a[0].parameters["department_id"] == "001" and "subject_id" not in a[0].parameters
    assert a[0].parameters["cut_percent"] == {"中": 10}
    assert [s.subject_id() for s in cycle_specs("target_review", wb, batch="b")] == SMALL_DEPTS
    t = cycle_specs("township_evaluation", wb, batch="b", pool=500)
    assert [s.subject_id() for s in t] == ["XZ01", "XZ02"]
    assert validate_parameters("township_evaluation", t[0].parameters)["pool"] == 500.0


def test_ids_department_and_limit():
    wb = small_path()
    assert [s.subject_id() for s in cycle_specs("results_application", wb, batch="b",
                                                ids=["006", "001"])] == ["001", "006"]
    # a department by name: its own report, or its projects
    assert [s.subject_id() for s in cycle_specs("results_application", wb, batch="b",
                                                department="区教委")] == ["001"]
    assert [s.subject_id() for s in cycle_specs("project_self_evaluation", wb, batch="b",
                                                department="区教委")] == ["XM00008"]
    assert len(cycle_specs("department_evaluation", wb, batch="b", limit=2)) == 2


@pytest.mark.parametrize("notebook,kwargs,match", [
    ("results_application", {"ids": ["999"]},
     r"not in the projects table of 2024 \(column department_id\); it holds: 001, 003"),
    ("department_evaluation", {"ids": ["999"]}, r"not in the departments table of 2024"),
    ("township_evaluation", {"ids": ["XZ99"]}, r"not in the townships table of 2024"),
    ("project_self_evaluation", {"ids": ["NOPE"]}, r"not in the projects table of 2024"),
    ("project_self_evaluation", {"department": "区无此局"}, r"no project of department '区无此局'"),
    ("results_application", {"department": "区无此局"},
     r"no department '区无此局' in the projects table"),
    ("township_evaluation", {"department": "001"}, r"--department does not apply"),
    ("results_application", {"pool": 3.0}, r"unknown parameter of results_application; the "
     r"others it takes: cut_percent, overlap_threshold, profile, lang"),
    ("results_application", {"subject_id": "x"}, r"set by the batch itself"),
    ("township_evaluation", {"pool": "much"}, r"valid number"),
    ("results_application", {"cut_percent": {"中": "ten"}}, r"valid number"),
    ("portfolio", {}, r"whole district once"),
    ("reevaluation", {}, r"whole district once"),
    ("monitoring", {"department": "区无此局"}, r"no department '区无此局' in the projects table"),
    ("monitoring", {"subject_id": "x"}, r"set by the batch itself"),
    ("exante", {}, r"reads no workbook"),
])
def test_bad_batches_are_refused_before_running(notebook, kwargs, match):
    with pytest.raises(InputError, match=match):
        cycle_specs(notebook, small_path(), batch="b", **kwargs)


def test_monitoring_specs_per_department():
    wb = small_path()
    m = cycle_specs("monitoring", wb, batch="b", profile="sichuan2025", month=7)
    assert [s.subject_id() for s in m] == SMALL_DEPTS             # the folder: the department
    assert m[0].parameters == {"workbook": str(Path(wb).resolve()), "year": 2024,
                               "profile": "sichuan2025", "lang": "zh", "month": 7,
                               "department_id": "001"}
    assert [s.subject_id() for s in cycle_specs("monitoring", wb, batch="b",
                                                department="区教委")] == ["001"]
    # the district report is still one run of its params file
    spec = load_params(ROOT / "params" / "monitoring.yaml")
    assert spec.subject_id() == "monitoring-2024-06" and spec.parameters["department_id"] is None
    full = validate_parameters("monitoring", {"department_id": "003"})
    assert full["subject_id"] == "003" and full["month"] == 6
    assert validate_parameters("monitoring", {"department_id": "003", "subject_id": "m-003"})[
        "subject_id"] == "m-003"
    assert validate_parameters("monitoring", {})["subject_id"] == "monitoring-2024-06"


def test_results_application_subject_is_the_department():
    full = validate_parameters("results_application", {"department_id": "001"})
    assert full["subject_id"] == "001" and full["department_id"] == "001"
    assert validate_parameters("results_application", {"department_id": "001",
                                                       "subject_id": "app-001"})[
        "subject_id"] == "app-001"
    assert validate_parameters("results_application", {})["subject_id"] == "application-2024"
    spec = load_params(ROOT / "params" / "results_application.yaml")   # the district example
    assert spec.subject_id() == "application-2024" and spec.parameters["department_id"] is None
    with pytest.raises(InputError, match="department_id"):
        validate_parameters("results_application", {"department_id": 1})


# --- the command line ---------------------------------------------------------------------------

def test_set_values_are_yaml():
    assert _parse_sets(["pool=3000", "cut_percent={中: 10, 差: 100}", "rts=vrs",
                        "base_share=null", "evaluator_prior_roles=[甲, 乙]", "x='001'"]) == {
        "pool": 3000, "cut_percent": {"中": 10, "差": 100}, "rts": "vrs", "base_share": None,
        "evaluator_prior_roles": ["甲", "乙"], "x": "001"}
    assert _parse_sets(None) == {}
    for bad, match in (("pool", "KEY=VALUE"), ("=3", "KEY=VALUE"), ("year=2023", "--year"),
                       ("profile=x", "--profile"), ("cut_percent={中: 1", "not a YAML value")):
        with pytest.raises(InputError, match=match):
            _parse_sets([bad])
    with pytest.raises(InputError, match="twice"):
        _parse_sets(["pool=1", "pool=2"])


def test_batch_arguments_parse():
    a = build_parser().parse_args(["batch", "d.xlsx", "--notebook", "results_application",
                                   "--ids", "001", "003", "--department", "区教委", "--year",
                                   "2024", "--set", "cut_percent={中: 10}", "--set",
                                   "overlap_threshold=0.8"])
    assert (a.notebook, a.ids, a.department, a.year) == ("results_application",
                                                         ["001", "003"], "区教委", 2024)
    assert a.set == ["cut_percent={中: 10}", "overlap_threshold=0.8"]
    d = build_parser().parse_args(["batch", "d.xlsx"])          # today's command unchanged
    assert d.notebook is None and d.ids is None and d.set is None


@pytest.mark.parametrize("args,match", [
    (["--notebook", "results_application", "--set", "pool=3"], "unknown parameter"),
    (["--notebook", "results_application", "--ids", "999"], "not in the projects table"),
    (["--notebook", "nope"], "unknown notebook"),
    (["--notebook", "portfolio"], "whole district once"),
    (["--set", "year=2023"], "use --year"),
    (["--ids", "XM00004", "--projects", "XM00004"], "give the ids once"),
])
def test_cli_errors_exit_2(args, match, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path))
    rc = main(["batch", str(small_path()), "--engine", "papermill", "--quiet", *args])
    assert rc == 2
    err = capsys.readouterr().err
    assert "perfkit: error:" in err and match in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())                     # nothing ran


def test_cli_refuses_subject_options_with_a_params_folder(capsys):
    rc = main(["batch", str(ROOT / "params"), "--notebook", "results_application",
               "--engine", "papermill"])
    assert rc == 2 and "not to a folder of params files" in capsys.readouterr().err


# --- key results of the summary ------------------------------------------------------------------

def test_key_results_of_department_township_and_application_reports():
    dep = key_results({"subject_type": "department", "name": "区教委", "total": 82.5,
                       "grade": "良", "action": "保障", "report": "department_evaluation",
                       "portfolio": {"n_projects": 24, "budget": 11702.94,
                                     "weighted_score": 95.0}, "flags": []})
    assert (dep["total"], dep["grade"], dep["department"]) == (82.5, "良", "区教委")
    assert (dep["n_projects"], dep["budget"], dep["action"]) == (24, 11702.94, "保障")
    tw = key_results({"subject_type": "township", "name": "城东街道", "total": 92.9,
                      "grade": "优", "report": "township_evaluation", "rank": 9,
                      "n_townships": 20, "mean_total": 89.9,
                      "allocation_row": {"amount": 101.99}})
    assert (tw["total"], tw["rank"], tw["transfer_amount"]) == (92.9, 9, 101.99)
    app = key_results({"subject_type": "department", "name": "区教委2024年度绩效评价结果应用",
                       "department_id": "001", "department": "区教委",
                       "report": "results_application",
                       "totals": {"n_projects": 3, "current_budget": 600.0, "n_idle": 1,
                                  "recall_amount": 80.0, "n_overlap_pairs": 2,
                                  "proposed_amount": None},
                       "by_action": [{"action": "优先保障", "n_projects": 2},
                                     {"action": "削减或取消", "n_projects": 1}]})
    assert app["department"] == "区教委" and app["total"] is None
    assert (app["n_projects"], app["budget"], app["n_idle"], app["recall_amount"],
            app["n_overlap_pairs"]) == (3, 600.0, 1, 80.0, 2)
    assert app["actions"] == "优先保障 2;削减或取消 1"
    proj = key_results({"subject_type": "project", "total": 90.0, "grade": "优",
                        "budget": {"initial": 10.0, "adjusted": 12.0}, "flags": [{"code": "x"}]})
    assert proj["budget"] == 12.0 and proj["flags"] == "x" and proj["n_projects"] is None


def test_summary_keeps_report_figures_before_status(tmp_path):
    rows = [{"subject_id": "003", "total": None, "n_idle": 0, "actions": "保障 1",
             "status": "ok"},
            {"subject_id": "001", "n_idle": 1, "recall_amount": 80.0, "status": "ok"}]
    df = write_summary(rows, tmp_path)
    cols = list(df.columns)
    assert cols[:cols.index("budget") + 1] == SUMMARY_COLUMNS[:SUMMARY_COLUMNS.index("status")]
    assert cols[cols.index("budget") + 1:cols.index("status")] == ["n_idle", "actions",
                                                                    "recall_amount"]
    assert df["subject_id"].tolist() == ["001", "003"]
    saved = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert saved[0]["recall_amount"] == 80.0 and saved[1]["actions"] == "保障 1"


# --- slow: the command end to end -----------------------------------------------------------------

@pytest.fixture(scope="module")
def district3(tmp_path_factory):
    """A small district of three departments (.xlsx)."""
    from perfkit.datasets.demo import generate, write
    frames = generate(seed=7, years=(2023, 2024), n_departments=3, n_projects=12,
                      n_townships=4)
    return write(frames, tmp_path_factory.mktemp("d3") / "district.xlsx", format="xlsx")


def _department_batch(workbook, tmp_path, monkeypatch, notebook, batch, *options):
    """Run `perfkit batch WORKBOOK --notebook NOTEBOOK` on the 3-department district and return
    (workbook, its 2024 projects, the department ids, the batch folder, the summary by id)."""
    from perfkit.io import read_workbook

    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / "out"))
    rc = main(["batch", str(workbook), "--notebook", notebook, "--batch", batch,
               "--jobs", "2", "--quiet", *options])
    assert rc == 0
    wb = read_workbook(workbook)
    p = wb["projects"]
    depts = sorted(p.loc[p["year"] == 2024, "department_id"].unique())
    assert len(depts) == 3
    out = tmp_path / "out" / batch
    assert sorted(d.name for d in out.iterdir() if not d.name.startswith(".")
                  and d.is_dir()) == depts
    summary = {r["subject_id"]: r for r in
               json.loads((out / "summary.json").read_text(encoding="utf-8"))}
    return wb, p, depts, out, summary


@pytest.mark.slow
def test_batch_results_application_per_department(district3, tmp_path, monkeypatch):
    from perfkit.cycle import budget_proposal, detect_overlap, idle_funds

    wb, p, depts, out, summary = _department_batch(
        district3, tmp_path, monkeypatch, "results_application", "app",
        "--set", "cut_percent={中: 10, 差: 100}")
    assert set(summary) == set(depts)
    for d in depts:
        res = json.loads((out / d / "results.json").read_text(encoding="utf-8"))
        # the library called directly gives the same numbers
        idle = idle_funds(wb, department=d)
        ov = detect_overlap(wb, department=d)
        bp = budget_proposal(wb, department=d, idle=idle, overlap=ov,
                             cut_percent={"中": 10, "差": 100})
        t = bp.to_frame()
        assert res["subject_id"] == d and res["subject_type"] == "department"
        assert res["department_id"] == d
        assert [x["project_id"] for x in res["proposal"]] == t["project_id"].tolist()
        counts = t["action"].value_counts().to_dict()
        assert {a["action"]: a["n_projects"] for a in res["by_action"]} == counts
        tot = res["totals"]
        assert tot["n_projects"] == len(t) == (p.loc[p["year"] == 2024, "department_id"]
                                               == d).sum()
        assert tot["current_budget"] == pytest.approx(t["current_budget"].sum(), rel=1e-12)
        assert tot["proposed_amount"] == pytest.approx(t["proposed_amount"].sum(), rel=1e-12)
        assert tot["n_idle"] == len(idle.idle_ids)
        assert tot["n_overlap_pairs"] == len(ov.pairs)
        assert all(x["project_id_a"] in set(t["project_id"]) for x in res["overlap"])
        html = (out / d / "report.html").read_text(encoding="utf-8")
        assert f"{res['department']}2024年度绩效评价结果应用报告" in html
        row = summary[d]
        assert row["status"] == "ok" and row["subject_type"] == "department"
        assert row["department"] == res["department"]
        assert row["n_projects"] == len(t)
        assert row["budget"] == pytest.approx(tot["current_budget"], rel=1e-12)
        assert row["actions"] == ";".join(f"{a['action']} {a['n_projects']}"
                                          for a in res["by_action"])
        assert row["n_overlap_pairs"] == tot["n_overlap_pairs"]


@pytest.mark.slow
def test_batch_monitoring_per_department(district3, tmp_path, monkeypatch):
    from docx import Document

    from perfkit.cycle import monitor

    wb, p, depts, out, summary = _department_batch(
        district3, tmp_path, monkeypatch, "monitoring", "mon",
        "--profile", "sichuan2025", "--set", "month=6")
    district = monitor(wb, "sichuan2025", month=6).to_frame().set_index("project_id")
    for d in depts:
        res = json.loads((out / d / "results.json").read_text(encoding="utf-8"))
        lib = monitor(wb, "sichuan2025", month=6, department=d)      # the library directly
        f = lib.to_frame()
        assert res["subject_type"] == "department" and res["department_id"] == d
        assert res["department"] == lib.department["department"]
        assert [x["project_id"] for x in res["projects"]] == f["project_id"].tolist() == sorted(
            p.loc[(p["year"] == 2024) & (p["department_id"] == d), "project_id"])
        rate = f["executed_to_date"].sum() / f["budget"].sum()
        assert res["district"]["execution_rate"] == pytest.approx(rate, rel=1e-12)
        assert res["district"]["n_red"] == (f["light"] == "red").sum()
        # each project's forecast is the district's (the model pools every department)
        assert [x["forecast"] for x in res["projects"]] == pytest.approx(
            district.loc[f["project_id"], "forecast"].tolist(), rel=1e-12)
        html = (out / d / "report.html").read_text(encoding="utf-8")
        assert f"{res['department']}2024年1—6月预算绩效运行监控报告" in html
        assert f"{rate * 100:.1f}%" in html and "不一致" not in html
        heads = [q.text for q in Document(out / d / "report.docx").paragraphs
                 if q.style.name.startswith("Heading")]
        assert heads[:2] == ["一、监控范围和方法", "二、预算执行进度"]
        row = summary[d]
        assert row["status"] == "ok" and row["department"] == res["department"]
        assert row["n_projects"] == len(f) and row["n_red"] == res["district"]["n_red"]
        assert row["execution_rate"] == pytest.approx(rate, rel=1e-12)
