"""The methods notebooks: parameter models, studies, outlines, and one slow run of each."""
import ast
import copy
import json
import math
from pathlib import Path

import docx
import openpyxl
import papermill as pm
import pytest

from perfkit.datasets.demo import generate, write
from perfkit.errors import InputError
from perfkit.io import read_workbook
from perfkit.report import methods_view as mv
from perfkit.report.docx import write_docx
from perfkit.run.params import NOTEBOOK_PARAMS, load_params
from perfkit.studies.methods import (DEMO_CBA_CASE, benchmarking_study, cost_benefit_study,
                                        factor_study, load_case)
from perfkit.run.paths import notebook_path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("cost_benefit", "benchmarking", "factor_analysis")
FA_SMALL = dict(variables=["general_revenue/population", "expenditure/population",
                           "debt_balance/population"], n_factors=1)


@pytest.fixture(scope="module")
def small_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "district.xlsx"
    frames = generate(seed=7, years=(2023, 2024), n_departments=3, n_projects=12, n_townships=4)
    write(frames, path, format="xlsx")
    return path


@pytest.fixture(scope="module")
def small(small_path):
    return read_workbook(small_path)


@pytest.fixture(scope="module")
def cba():
    return cost_benefit_study()


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_model_fields_equal_notebook_parameters(name):
    params = pm.inspect_notebook(str(notebook_path(name)))
    model, subject = NOTEBOOK_PARAMS[name]
    assert set(params) - {"output_dir"} == set(model.model_fields)
    assert params["output_dir"]["default"].strip() == "None"
    for field, spec in model.model_fields.items():        # same defaults as the notebook
        default = ast.literal_eval(params[field]["default"].strip())
        assert default == spec.default, field
    assert subject == "subject_id"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_is_the_generated_one(name):
    import importlib.util

    import nbformat

    spec = importlib.util.spec_from_file_location("make_notebook",
                                                  ROOT / "tools" / "make_notebook.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    fn, title = mk.NOTEBOOKS[name]
    built = mk.build(fn(), title=title)
    committed = nbformat.read(notebook_path(name), as_version=4)
    assert [c.source for c in committed.cells] == [c.source for c in built.cells]
    assert all(not c.get("outputs") for c in committed.cells if c.cell_type == "code")
    assert not any("def " in c.source for c in committed.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_example_params_files_validate(name):
    spec = load_params(ROOT / "params" / f"{name}.yaml")
    assert spec.notebook == name and spec.batch == "examples"
    assert spec.subject_id() == NOTEBOOK_PARAMS[name][0].model_fields["subject_id"].default


def test_yaml_case_is_the_demo_case():
    spec = load_params(ROOT / "params" / "cost_benefit.yaml")
    assert load_case(spec.parameters["case"]) == load_case(DEMO_CBA_CASE)
    assert load_case(None) == load_case(DEMO_CBA_CASE)


def test_mc_default_seed_matches_the_method():
    from perfkit.methods.cba import MC_DEFAULT_SEED
    from perfkit.studies.methods import MonteCarloSpec
    assert MonteCarloSpec.model_fields["seed"].default == MC_DEFAULT_SEED


@pytest.mark.parametrize("patch,column", [
    ({"optimism_bias": {"project_type": "standard_civil_engineering",
                        "components": ["没有这一项"]}}, "case.optimism_bias.components"),
    ({"costs": {"工程建设投资": [1.0] * 21}}, "case.costs.工程建设投资"),
    ({"costs": {"x": {"at": [{"year": 2050, "amount": 1.0}]}}}, "case.costs.x.at"),
    ({"discount": "eight percent"}, "case.discount"),
    ({"extra": 1}, "case.extra"),
])
def test_bad_case_names_the_place(patch, column):
    case = {**copy.deepcopy(DEMO_CBA_CASE), **patch}
    with pytest.raises(InputError) as e:
        cost_benefit_study(case)
    assert column in str(e.value)


# --------------------------------------------------------------------------------------------
# studies
# --------------------------------------------------------------------------------------------
def test_cost_benefit_study_numbers(cba):
    r = cba.results
    a, a0, ob = r["appraisal"], r["appraisal_base"], r["optimism_bias"]
    assert r["subject_id"] == "rural-water-cba" and r["subject_type"] == "project"
    assert math.isclose(a["npv"], a["pv_benefits"] - a["pv_costs"], rel_tol=1e-12)
    assert math.isclose(ob["rate"], 0.44 * 0.5)              # standard civil eng., half mitigated
    assert math.isclose(ob["uplift_total"], 4500 * 0.22)
    assert math.isclose(a["pv_costs"] - a0["pv_costs"], -r["npv_change_from_optimism_bias"])
    assert a["npv"] > 0 and 1 < a["bcr"] < a0["bcr"]
    years = [row["year"] for row in a["table"]]
    assert years[0] == 2025 and years[-1] == 2044 and a["table"][0]["discount_factor"] == 1.0
    assert math.isclose(a["table"][1]["discount_factor"], 1 / 1.06)
    mc = r["monte_carlo"]
    assert mc["seed"] == 20250301 and mc["n"] == 20000 and r["seeds"]["monte_carlo"] == 20250301
    assert mc["p5"] < mc["p50"] < mc["p95"] and 0 < mc["prob_negative"] < 0.5
    assert len(cba.draws) == 20000
    assert r["tornado"]["table"][0]["variable"] == "discount rate"        # widest swing
    lc = r["least_cost"]
    assert lc["best"] == "城乡供水一体化（管网延伸）" and lc["with_effect"]
    assert json.dumps(r, ensure_ascii=False, sort_keys=True) == json.dumps(
        cost_benefit_study().results, ensure_ascii=False, sort_keys=True)  # deterministic


def test_benchmarking_study_on_small_workbook(small):
    r = benchmarking_study(small).results
    tw, dp = r["townships"], r["departments"]
    assert r["year"] == 2024 and r["subject_type"] == "district"
    assert tw["n_units"] == 4 and dp["n_units"] == 3
    assert all(0 < u["efficiency"] <= 1 + 1e-9 for u in tw["units"] + dp["units"])
    assert tw["n_efficient"] >= 1 and sorted(u["rank"] for u in tw["units"]) == [1, 2, 3, 4]
    for u in tw["units"]:                                  # input targets: θ·x − s⁻ ≤ x
        assert u["target_expenditure"] <= u["expenditure"] * (1 + 1e-9)
        assert u["efficient"] or u["peers"]
    assert r["malmquist"]["years"] == [2023, 2024] and len(r["malmquist"]["table"]) == 4
    m = r["malmquist"]["table"][0]
    assert math.isclose(m["malmquist"], m["effch"] * m["techch"], rel_tol=1e-9)
    gaps = {(g["level"], g["indicator"]) for g in r["gap_summary"]}
    assert ("township", "livelihood_share") in gaps and ("department", "mean_score") in gaps
    with pytest.raises(InputError, match="township_inputs"):
        benchmarking_study(small, township_inputs=["nonsense"])


def test_factor_study_on_small_workbook(small):
    r = factor_study(small, **FA_SMALL).results
    fa, dec = r["factor"], r["decomposition"]
    assert fa["n_obs"] == 8 and fa["n_factors"] == 1 and 0 < fa["kmo"] < 1
    assert len(fa["loadings"]) == 3 and fa["variables"][0]["unit"] == "元/人"
    eff = dec["lmdi_additive"]["effects"]
    assert math.isclose(sum(eff.values()), dec["change"], rel_tol=1e-9, abs_tol=1e-9)
    ch = dec["chain_substitution"]
    assert math.isclose(sum(ch["effects"].values()), dec["change"], rel_tol=1e-9,
                        abs_tol=1e-9)
    assert (dec["base_year"], dec["year"]) == (2023, 2024)
    with pytest.raises(InputError, match="more complete observations"):
        factor_study(small)                                 # 10 variables, 8 observations
    with pytest.raises(InputError, match="variables"):
        factor_study(small, variables=["population/nonsense", "a", "b"])


# --------------------------------------------------------------------------------------------
# outlines → Word
# --------------------------------------------------------------------------------------------
def _headings(path):
    return [p.text for p in docx.Document(str(path)).paragraphs
            if p.style.name.startswith("Heading")]


def test_outlines_write_official_headings(cba, small, tmp_path):
    o = mv.cost_benefit_outline(cba.results, draws=cba.draws, figures=False)
    assert _headings(write_docx(o, tmp_path / "c.docx")) == [
        "一、项目基本情况", "二、分析方法与参数", "三、成本效益分析结果", "四、乐观偏差调整",
        "五、敏感性分析", "六、风险分析（蒙特卡洛模拟）", "七、最低成本法比较", "八、结论与建议"]
    b = mv.benchmarking_outline(benchmarking_study(small).results, figures=False)
    assert _headings(write_docx(b, tmp_path / "b.docx"))[:3] == [
        "一、分析对象与方法", "二、乡镇街道效率评价", "三、部门效率评价"]
    f = mv.factor_outline(factor_study(small, **FA_SMALL).results, lang="en", figures=False)
    assert _headings(write_docx(f, tmp_path / "f.docx", lang="en"))[-2:] == [
        "6. What drove the change in project spending", "7. Conclusions"]
    tables = mv.outline_tables(o)
    npv = tables["表2 成本效益分析主要指标"]
    assert npv.iloc[2, 2] == cba.results["appraisal"]["npv"]      # full precision in xlsx


def test_outline_html_escapes_user_text(cba):
    case = copy.deepcopy(DEMO_CBA_CASE)
    case["project_name"] = "<script>alert(1)</script>工程"
    case.pop("monte_carlo")
    r = cost_benefit_study(case).results
    html = mv.outline_html(mv.cost_benefit_outline(r, figures=False))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "本案例未作蒙特卡洛模拟" in html


# --------------------------------------------------------------------------------------------
# slow: each notebook through the run layer
# --------------------------------------------------------------------------------------------
def _run(name, parameters, tmp_path, monkeypatch):
    from perfkit.run.execute import run_report
    from perfkit.run.params import RunSpec

    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path))
    out = run_report(RunSpec(notebook=name, batch="t", parameters=parameters))
    folder = Path(out.path)
    names = {p.name for p in folder.iterdir()}
    assert {"report.html", "results.json", "manifest.json", "notebook.ipynb", "tables.xlsx",
            "report.docx"} <= names
    res = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert res["subject_id"] == parameters["subject_id"] and res["subject_type"]
    assert "def " not in html and '<script src="http' not in html
    assert openpyxl.load_workbook(folder / "tables.xlsx").sheetnames
    return res, html, folder


@pytest.mark.slow
def test_cost_benefit_notebook(tmp_path, monkeypatch):
    case = copy.deepcopy(DEMO_CBA_CASE)
    case["discount"] = "greenbook"
    case["monte_carlo"]["n"] = 2000
    res, html, folder = _run("cost_benefit", {"subject_id": "cba-t", "case": case}, tmp_path,
                             monkeypatch)
    a, mc = res["appraisal"], res["monte_carlo"]
    assert res["discount"] == "greenbook" and mc["n"] == 2000
    for text in (f"{a['npv']:,.2f}", f"{a['pv_benefits']:,.2f}", f"{a['bcr']:.3f}",
                 f"{a['irr'] * 100:.2f}%", f"{mc['prob_negative'] * 100:.1f}%",
                 f"{mc['p5']:,.2f}"):
        assert text in html, text
    heads = _headings(folder / "report.docx")
    assert heads[0] == "一、项目基本情况" and heads[-1] == "八、结论与建议"
    assert len(docx.Document(str(folder / "report.docx")).inline_shapes) == 2


@pytest.mark.slow
def test_benchmarking_notebook(small_path, tmp_path, monkeypatch):
    res, html, folder = _run("benchmarking", {"workbook": str(small_path),
                                              "subject_id": "bm-t"}, tmp_path, monkeypatch)
    for u in res["townships"]["units"] + res["departments"]["units"]:
        assert u["name"] in html and f"{u['efficiency']:.3f}" in html
    s = res["malmquist"]["summary"][0]
    assert f"{s['malmquist']:.4f}" in html
    assert _headings(folder / "report.docx") == [
        "一、分析对象与方法", "二、乡镇街道效率评价", "三、部门效率评价",
        "四、乡镇街道生产率变化（Malmquist指数）", "五、与标杆的差距", "六、结论与建议"]


@pytest.mark.slow
def test_factor_analysis_notebook(small_path, tmp_path, monkeypatch):
    res, html, folder = _run("factor_analysis", {"workbook": str(small_path),
                                                 "subject_id": "fa-t", "lang": "en",
                                                 **FA_SMALL}, tmp_path, monkeypatch)
    fa, dec = res["factor"], res["decomposition"]
    assert f"KMO = {fa['kmo']:.3f}" in html
    for v in dec["lmdi_additive"]["effects"].values():
        assert f"{v:,.2f}" in html
    assert f"{dec['change']:,.2f}" in html
    heads = _headings(folder / "report.docx")
    assert heads[0] == "1. Data" and heads[-1] == "7. Conclusions"
