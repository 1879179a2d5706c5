"""The management-cycle notebooks: parameter models match the notebooks, the outline builders
write the official headings, and (slow) four notebooks run end to end on a small workbook and
state what results.json holds."""
import ast
import json
import re

import papermill as pm
import pytest

from perfkit.cycle import (assess_exante, budget_proposal, detect_overlap, evaluate_department,
                           idle_funds, key_evaluation, monitor)
from perfkit.datasets import load_small, small_path
from perfkit.datasets.cycle_examples import (EXANTE_SUBJECTS, cashflows_for,
                                             example_exante_info, example_exante_ratings,
                                             example_expert_scores)
from perfkit.errors import InputError
from perfkit.methods.cba import appraise
from perfkit.report import cycle_view as cv
from perfkit.run.params import NOTEBOOK_PARAMS, validate_parameters
from perfkit.run.params_cycle import CYCLE_NOTEBOOKS, cycle_specs
from perfkit.run.paths import notebook_path

EXANTE_HEADINGS = ["一、评估对象基本情况", "二、评估工作开展情况", "三、综合评估情况与评估结论", "四、相关建议",
                   "五、其他需要说明的问题", "六、附件"]
EVALUATION_HEADINGS = ["一、基本情况", "二、绩效评价工作开展情况", "三、综合评价情况及评价结论",
                       "四、绩效评价指标分析", "五、主要经验及做法、存在的问题及原因分析", "六、有关建议",
                       "七、其他需要说明的问题", "八、附件"]


def top_titles(outline):
    return [s["title"] for s in outline["sections"]]


@pytest.fixture(scope="module")
def small():
    return load_small()


# --- parameter models ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CYCLE_NOTEBOOKS))
def test_model_fields_equal_notebook_parameters(name):
    params = pm.inspect_notebook(str(notebook_path(name)))
    model, key = NOTEBOOK_PARAMS[name]
    assert set(params) - {"output_dir"} == set(model.model_fields)
    assert params["output_dir"]["default"] == "None"
    for field, info in model.model_fields.items():      # the same defaults, too
        assert ast.literal_eval(params[field]["default"]) == info.default, field
    assert key in model.model_fields
    validate_parameters(name, {})                       # defaults are valid (subject id too)


def test_bad_parameters_are_refused():
    with pytest.raises(InputError, match="unknown parameter"):
        validate_parameters("monitoring", {"months": 6})
    with pytest.raises(InputError, match="month"):
        validate_parameters("monitoring", {"month": "6"})
    with pytest.raises(InputError):
        validate_parameters("township_evaluation", {"township_id": "../x"})


def test_cycle_specs_one_per_department():
    specs = cycle_specs("department_evaluation", small_path(), batch="depts")
    ids = [s.subject_id() for s in specs]
    assert ids == sorted(ids) and len(ids) == 4
    assert all(s.parameters["year"] == 2024 for s in specs)
    tw = cycle_specs("township_evaluation", small_path(), batch="t", pool=500.0)
    assert [s.parameters["pool"] for s in tw] == [500.0] * len(tw)
    with pytest.raises(InputError):
        cycle_specs("department_evaluation", small_path(), batch="x", ids=["999"])


# --- outline builders (pure functions of the results dict) ---------------------------------

def test_exante_outline_has_the_93_headings_and_states_the_numbers():
    sid = "XM90002"
    flows = cashflows_for(sid)
    c = appraise(flows["benefits"], flows["costs"], rate="greenbook")
    info = example_exante_info()
    r = assess_exante(example_exante_ratings(), "national", cba={sid: c}, info=info)
    res = cv.exante_results(r, sid, cba=c, info=info[sid])
    assert res["subject_id"] == sid and res["name"] == EXANTE_SUBJECTS[sid]
    assert res["cba"]["npv"] == pytest.approx(c.npv) and res["cba"]["npv"] < 0
    o = cv.exante_outline(res, lang="zh", figures=True)
    assert top_titles(o) == EXANTE_HEADINGS
    assert "（一）评分表" in cv.heading_titles(o)
    html = cv.outline_html(o)
    assert f"{res['total']:.2f}" in html and res["conclusion"] in html
    for d in res["dimensions"]:
        assert f"{d['score']:.2f}" in html
    assert "data:image/png;base64," in html
    en = cv.exante_outline(res, lang="en", figures=False)
    assert top_titles(en)[0] == "1. The subject assessed"
    assert len(cv.exante_tables(res)) == 4


def test_key_evaluation_outline_has_the_92_headings(small):
    r = key_evaluation(example_expert_scores(), "national")
    info = cv.project_info(small, "XM00002")
    res = cv.key_evaluation_results(r, "XM00002", info=info, commissioner="区财政局",
                                    evaluator="甲事务所", object="甲事务所",
                                    conflicts=[{"code": "evaluator_is_object",
                                                "message": "评价机构与被评价对象相同",
                                                "message_en": "x"}], profile="national")
    assert res["action"] == {"优": "优先保障", "良": "保障", "中": "改进", "差": "削减或取消"}[
        res["grade"]]
    o = cv.key_evaluation_outline(res, figures=False)
    assert top_titles(o) == EVALUATION_HEADINGS
    assert "（四）效益指标" in cv.heading_titles(o)
    html = cv.outline_html(o)
    assert f"{res['total']:.2f}" in html and res["grade"] in html
    assert f"{res['agreement']['kendall_w']:.3f}" in html
    assert "评价机构与被评价对象相同" in html          # the conflict warning is stated
    assert "<script" not in html


def test_department_outline_and_html_escape(small):
    d = evaluate_department(small, "national", department_ids=["001"]).department("001")
    res = cv.department_results(d)
    res = {**res, "name": "<b>区教委</b>"}
    o = cv.department_outline(res, figures=False)
    assert top_titles(o) == ["一、基本情况", "二、绩效评价工作开展情况", "三、综合评价情况及评价结论",
                             "四、绩效评价指标分析", "五、存在的问题及原因分析", "六、有关建议",
                             "七、其他需要说明的问题", "八、附件"]
    html = cv.outline_html(o)
    assert "<b>区教委</b>" not in html and "&lt;b&gt;区教委&lt;/b&gt;" in html
    assert f"{res['total']:.2f}" in html


def test_monitoring_outline_sichuan_checkpoints(small):
    m = monitor(small, "sichuan2025", month=6)
    res = cv.monitoring_results(m, "district-2024-06", profile="sichuan2025")
    assert res["counts"]["checkpoints_passed"] == 2          # end-April and end-June
    assert sum(res["counts"]["light"].values()) == res["district"]["n_projects"] == len(
        res["projects"])
    assert res["district"]["budget"] == pytest.approx(sum(p["budget"] for p in res["projects"]))
    o = cv.monitoring_outline(res, figures=False)
    assert top_titles(o)[:2] == ["一、监控范围和方法", "二、预算执行进度"]
    html = cv.outline_html(o)
    assert "6月末40.0%" in html or "6月末40%" in html
    assert f"{res['forecast_summary']['forecast_rate'] * 100:.1f}%" in html
    assert "不一致" not in html                               # the subject id matches the period
    o2 = cv.monitoring_outline({**res, "subject_id": "district-2024-08"}, figures=False)
    assert "不一致" in cv.outline_html(o2)


def test_application_outline_with_cuts(small):
    idle = idle_funds(small)
    ov = detect_overlap(small)
    bp = budget_proposal(small, cut_percent={"良": 10, "差": 100}, idle=idle, overlap=ov)
    res = cv.application_results(bp, idle, ov, "district-2024")
    t = res["totals"]
    assert t["n_projects"] == len(res["proposal"])
    assert t["change"] == pytest.approx(sum(p["change"] for p in res["proposal"]))
    o = cv.application_outline(res, figures=False)
    html = cv.outline_html(o)
    assert top_titles(o)[4].startswith("五、") and str(res["proposal_year"]) in top_titles(o)[4]
    assert f"{t['proposed_amount']:.2f}" in html


# --- slow: four notebooks end to end on a small workbook -----------------------------------

def _text(html: str) -> str:
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    html = re.sub(r"data:[^\"']+", "", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.slow
def test_four_cycle_notebooks_run_on_a_small_workbook(tmp_path, monkeypatch):
    from docx import Document

    from perfkit.datasets.demo import generate, write
    from perfkit.report.html import find_external_refs
    from perfkit.run.batch import run_batch
    from perfkit.run.params import RunSpec

    frames = generate(seed=7, years=(2023, 2024), n_departments=3, n_projects=12,
                      n_townships=4)
    wb = write(frames, tmp_path / "district.xlsx", format="xlsx")
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / "out"))
    specs = [
        RunSpec(notebook="monitoring", batch="cyc", parameters={
            "workbook": str(wb), "subject_id": "district-2024-06", "month": 6,
            "profile": "sichuan2025"}),
        # XM00002 (重大传染病防控项目, 区卫生健康委) is scored by the example panel; the department
        # commissions the evaluation of its own project: a conflict warning
        RunSpec(notebook="key_evaluation", batch="cyc", parameters={
            "workbook": str(wb), "subject_id": "XM00002", "commissioner": "区卫生健康委"}),
        RunSpec(notebook="township_evaluation", batch="cyc", parameters={
            "workbook": str(wb), "township_id": "all", "pool": 1000.0}),
        RunSpec(notebook="portfolio", batch="cyc", parameters={
            "workbook": str(wb), "subject_id": "portfolio-2024", "public": True,
            "lang": "en"}),
    ]
    summary = run_batch(specs, jobs=2, quiet=True)
    assert (summary["status"] == "ok").all(), summary[["subject_id", "error"]].to_string()
    out = tmp_path / "out" / "cyc"

    def load(subject):
        d = out / subject
        names = {f.name for f in d.iterdir()}
        assert {"report.html", "report.docx", "results.json", "manifest.json", "notebook.ipynb",
                "tables.xlsx"} <= names
        html = (d / "report.html").read_text(encoding="utf-8")
        assert find_external_refs(html) == [] and "def " not in html
        heads = [q.text for q in Document(d / "report.docx").paragraphs
                 if q.style.name.startswith("Heading")]
        return json.loads((d / "results.json").read_text(encoding="utf-8")), _text(html), heads

    res, text, heads = load("district-2024-06")
    assert res["profile"]["id"] == "sichuan2025"
    assert f"{res['district']['execution_rate'] * 100:.1f}%" in text
    assert f"{res['forecast_summary']['forecast_rate'] * 100:.1f}%" in text
    assert heads[:2] == ["一、监控范围和方法", "二、预算执行进度"]

    res, text, heads = load("XM00002")
    assert f"{res['total']:.2f}" in text and res["grade"] in text
    assert f"{res['agreement']['icc2_1']:.3f}" in text
    assert [h for h in heads if not h.startswith("（")] == EVALUATION_HEADINGS
    assert res["name"] == "重大传染病防控项目" and res["department"] == "区卫生健康委"
    assert [w["code"] for w in res["third_party"]["warnings"]] == ["self_commissioned"]
    assert "委托方与被评价对象相同" in text

    res, text, heads = load("all")
    assert res["status"] == "design proposal" and "设计方案" in text
    amounts = [r["amount"] for r in res["allocation_table"]]
    assert sum(amounts) == pytest.approx(1000.0, abs=1e-9)
    for r in res["allocation_table"]:
        assert f"{r['amount']:,.2f}" in text
    for t in res["townships"]:
        assert f"{t['total']:.2f}" in text

    res, text, heads = load("portfolio-2024")
    assert res["public"] is True and res["removed_fields"]
    assert all("implementing_unit" not in p for p in res["projects"])
    assert "Fields removed from the public version" in text
    t = res["totals"]
    assert f"{t['weighted_total']:.2f}" in text and f"{t['execution_rate'] * 100:.1f}%" in text
    for a in res["assessment"]:
        if a["score"] is not None:
            assert f"{a['score']:.2f}" in text
    assert heads[0] == "1. Overview" and "design proposal" in text.lower()
