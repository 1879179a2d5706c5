"""perfkit verify: a fresh report passes; an edited number, a changed workbook cell or a changed
rule profile fails with the difference named; bad input exits 2."""
import json
import shutil

import openpyxl
import pytest

from perfkit.cli import main
from perfkit.datasets.demo import generate, write
from perfkit.rules.profile import PROFILE_DIR
from perfkit.run.batch import run_batch
from perfkit.run.manifest import read_json, write_json
from perfkit.run.params import RunSpec
from perfkit.run.verify import compare_results, format_verification, verify
from perfkit.run.warm import WarmPool, available


# --------------------------------------------------------------------------------------------
# comparing results.json trees (fast)
# --------------------------------------------------------------------------------------------
REC = {"subject_id": "P1", "total": 93.5, "grade": "优", "ok": True,
       "budget": {"rate": 0.95, "sources": [{"source": "当年财政拨款", "executed": 256.66}]},
       "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": "资助学生人次",
                       "score": 6.8, "flags": ["a"]},
                      {"level1": "效益指标", "level2": "社会效益指标", "level3": "群众知晓率",
                       "score": None, "flags": []}],
       "subtotals": [{"level1": "产出指标", "level2": "数量指标", "score": 6.8}]}


def _copy(d):
    return json.loads(json.dumps(d, ensure_ascii=False))


def test_equal_trees_have_no_difference_and_count_numbers():
    diffs, n = compare_results(REC, _copy(REC))
    assert diffs == [] and n == 5          # total, rate, executed, 2 scores; not the bool


def test_differences_are_named_by_path_and_element():
    new = _copy(REC)
    new["indicators"][0]["score"] = 7.0
    new["budget"]["sources"][0]["executed"] = 250.0
    new["subtotals"][0]["score"] = 7.0
    new["grade"] = "良"
    new["indicators"][1]["score"] = 1.0       # None → number
    del new["ok"]
    diffs, _ = compare_results(REC, new)
    got = {d.path: (d.name, d.kind) for d in diffs}
    assert got == {"indicators[0].score": ("资助学生人次", "value"),
                   "budget.sources[0].executed": ("当年财政拨款", "value"),
                   "subtotals[0].score": ("产出指标 / 数量指标", "value"),
                   "grade": (None, "value"),
                   "indicators[1].score": ("群众知晓率", "value"),
                   "ok": (None, "missing")}
    d = next(d for d in diffs if d.path == "indicators[0].score")
    assert d.abs_diff == pytest.approx(0.2)


@pytest.mark.parametrize("delta, abs_tol, rel_tol, differs", [
    (1e-10, 1e-9, 1e-12, False),      # within the absolute tolerance
    (1e-8, 1e-9, 1e-12, True),
    (1e-8, 1e-9, 1e-9, False),        # 93.5 × 1e-9 > 1e-8
    (0.0, 0.0, 0.0, False),
])
def test_tolerance(delta, abs_tol, rel_tol, differs):
    new = _copy(REC)
    new["total"] = REC["total"] + delta
    diffs, _ = compare_results(REC, new, abs_tol=abs_tol, rel_tol=rel_tol)
    assert bool(diffs) is differs


def test_structure_differences():
    new = _copy(REC)
    new["indicators"].append({"level3": "x", "score": 1.0})
    new["extra"] = 1
    new["budget"]["rate"] = "0.95"
    diffs, _ = compare_results(REC, new)
    kinds = {d.path: d.kind for d in diffs}
    assert kinds == {"indicators (length)": "length", "extra": "added", "budget.rate": "type"}


def test_bad_input_exits_2(tmp_path, capsys):
    assert main(["verify", str(tmp_path / "nope")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["verify", str(tmp_path / "empty")]) == 2
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "manifest.json").write_text("{not json", encoding="utf-8")
    assert main(["verify", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "manifest.json cannot be read" in err and "Traceback" not in err


# --------------------------------------------------------------------------------------------
# real reports (slow)
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Four reports: A and D on workbook a, B on its own copy b, C on a with a profile YAML."""
    d = tmp_path_factory.mktemp("verify")
    frames = generate(seed=7, years=(2023, 2024), n_departments=3, n_projects=12, n_townships=2)
    write(frames, d / "a.xlsx", format="xlsx")
    shutil.copy(d / "a.xlsx", d / "b.xlsx")
    shutil.copy(PROFILE_DIR / "national.yaml", d / "profile.yaml")
    mk = {"A": ("XM00001", "a.xlsx", None), "B": ("XM00002", "b.xlsx", None),
          "C": ("XM00003", "a.xlsx", "profile.yaml"), "D": ("XM00004", "a.xlsx", None)}
    specs = [RunSpec(notebook="project_self_evaluation", batch="v",
                     parameters={"workbook": str(d / wb), "project_id": pid,
                                 **({"profile": str(d / prof)} if prof else {})})
             for pid, wb, prof in mk.values()]
    with WarmPool(jobs=2) as pool:
        df = run_batch(specs, root=d / "out", quiet=True, pool=pool)
        assert list(df["status"]) == ["ok"] * 4
        yield d, {k: v[0] for k, v in mk.items()}, pool


@pytest.mark.slow
@pytest.mark.skipif(not available(), reason="the warm engine needs os.fork")
def test_fresh_report_verifies(reports, capsys, monkeypatch):
    d, ids, pool = reports
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(d / "scratch"))
    folder = d / "out" / "v" / ids["A"]
    man = read_json(folder / "manifest.json")
    assert set(man["outputs"]) >= {"results.json", "report.html", "notebook.ipynb"}
    assert man["outputs"]["results.json"].startswith("sha256:")
    [v] = verify(folder, pool=pool)              # re-executed on the module's warm server
    assert v.ok and v.rerun and v.identical_bytes and v.numbers_compared > 50
    assert v.problems == [] and v.differences == []
    text = format_verification([v])
    assert f"✓ {ids['A']}: verified" in text and "byte-identical" in text
    assert main(["verify", str(folder), "--no-rerun"]) == 0      # the command, hashes only
    assert f"✓ {ids['A']}: verified" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.skipif(not available(), reason="the warm engine needs os.fork")
def test_edits_and_changed_inputs_fail_with_named_differences(reports, capsys, tmp_path):
    d, ids, pool = reports
    batch = tmp_path / "v"
    shutil.copytree(d / "out" / "v", batch)       # the fixture's reports stay pristine
    # D: a number of results.json edited by hand
    res_file = batch / ids["D"] / "results.json"
    res = read_json(res_file)
    k = next(i for i, ind in enumerate(res["indicators"]) if ind["score"] is not None)
    level3 = res["indicators"][k]["level3"]
    res["indicators"][k]["score"] += 0.25
    write_json(res, res_file)
    # B: a cell of its workbook (全年执行数 of the project's 2024 rows)
    wb = openpyxl.load_workbook(d / "b.xlsx")
    ws = wb["项目资金"]
    head = [c.value for c in ws[1]]
    col = head.index("全年执行数") + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == ids["B"] and row[1].value == 2024:
            row[col - 1].value = float(row[col - 1].value) * 0.5
    wb.save(d / "b.xlsx")
    # C: its rule profile (优 now from 99, so a total in [90, 99) becomes 良)
    prof = d / "profile.yaml"
    text = prof.read_text(encoding="utf-8")
    assert "优: 90," in text
    prof.write_text(text.replace("优: 90,", "优: 99,"), encoding="utf-8")

    results = {v.subject_id: v for v in verify(batch, pool=pool)}
    assert results[ids["A"]].ok and results[ids["A"]].identical_bytes
    b, c, dd = results[ids["B"]], results[ids["C"]], results[ids["D"]]
    assert not b.ok and any("input workbook changed since the run" in p for p in b.problems)
    assert {"budget.executed", "budget.rate", "total"} <= {x.path for x in b.differences}
    assert not c.ok and any("input profile changed" in p for p in c.problems)
    paths = {x.path: x for x in c.differences}
    assert paths["grade"].recorded == "优" and paths["grade"].rerun == "良"
    assert "profile.hash" in paths
    assert not dd.ok and any("results.json was changed after the run" in p
                             for p in dd.problems)
    diff = [x for x in dd.differences if x.path == f"indicators[{k}].score"]
    assert len(dd.differences) == 1 and diff and diff[0].name == level3
    assert diff[0].abs_diff == pytest.approx(0.25)
    text = format_verification(list(results.values()))
    assert f"indicators[{k}].score" in text and level3 in text
    assert "4 report(s): 1 verified, 3 failed verification" in text

    # the command line says the same and exits 1; --no-rerun still sees the hand edit
    assert main(["verify", str(batch / ids["D"]), "--no-rerun"]) == 1
    out = capsys.readouterr().out
    assert "results.json was changed after the run" in out
    # …and a tolerance wide enough hides the edited number, not the edit
    v = verify(batch / ids["D"], abs_tol=0.5, pool=pool)[0]
    assert v.differences == [] and not v.ok
