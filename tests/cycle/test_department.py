"""Department-overall evaluation (部门整体支出绩效评价): every formula and deduction by hand."""
import json

import numpy as np
import pandas as pd
import pytest

from perfkit.cycle.department import (DEPARTMENT_COLUMNS, INDICATOR_COLUMNS, INDICATORS,
                                      evaluate_department)
from perfkit.errors import InputError, RuleError
from perfkit.model.workbook import Workbook
from perfkit.rules import load_profile

NATIONAL = load_profile("national")          # parsed once: the tests only override it
# A department on which every figure indicator earns full marks:
# 在职 50/50 = 100%; 三公 10 vs 10 = 0%; 重点 100/100; 完成 (0 + 100 + 0 − 0)/100 = 100%;
# 控制 0/100 = 0; 结转 0/100 = 0.
BASE = {"year": 2024, "name": "测试部门", "staff_authorized": 50, "staff_actual": 50,
        "three_public_budget": 10.0, "three_public_prior": 10.0, "three_public_executed": 8.0,
        "carryover_prior": 0.0, "initial_budget": 100.0, "supplementary_budget": 0.0,
        "year_end_balance": 0.0, "expenditure": 100.0, "carryover_balance": 0.0,
        "key_project_expenditure": 100.0, "project_expenditure": 100.0}

# project scores that give the portfolio full marks (one project, 100 points, 优)
FULL_PORTFOLIO = pd.DataFrame({"department_id": ["D1"], "total": [100.0], "grade": ["优"],
                               "adjusted": [100.0]})


def book(*rows, extra=None):
    frames = {"departments": pd.DataFrame([{**BASE, "department_id": "D1", **r} for r in rows])}
    frames.update(extra or {})
    return Workbook.from_frames(frames, source="d.xlsx")


def books(rows):
    """One department per row, ids D1, D2, …"""
    return Workbook.from_frames({"departments": pd.DataFrame(
        [{**BASE, "department_id": f"D{i + 1}", **r} for i, r in enumerate(rows)])})


def scores(*rows, **kw):
    ps = kw.pop("project_scores", FULL_PORTFOLIO)
    kw.setdefault("profile", NATIONAL)
    return evaluate_department(book(*rows), project_scores=ps, **kw)


def table(cases, code, **kw):
    """Evaluate one department per case (D1, D2, …) in a single call; the rows of ``code``."""
    ps = pd.DataFrame({"department_id": [f"D{i + 1}" for i in range(len(cases))],
                       "total": 100.0, "grade": "优", "adjusted": 100.0})
    kw.setdefault("profile", NATIONAL)
    ev = evaluate_department(books(cases), project_scores=ps, **kw)
    ind = ev.indicators
    return ind[ind["code"] == code].set_index("department_id").loc[
        [f"D{i + 1}" for i in range(len(cases))]]


def one(ev, code, did="D1"):
    ind = ev.indicators
    return ind[(ind["department_id"] == did) & (ind["code"] == code)].iloc[0]


def test_profile_section_and_sources():
    p = load_profile("national")
    ind = p.get("department_eval.indicators")
    assert set(ind) == set(INDICATORS)
    assert sum(v["weight"] for v in ind.values()) == 100
    assert p.source("department_eval.indicators.staff_control.deduct_per_step").startswith("S: L")
    assert p.source("department_eval.indicators.budget_control.tiers").startswith("S: L")
    assert p.source("department_eval.indicators.budget_completion.deduct_per_step") \
        .startswith("S: L")
    assert p.source("department_eval.indicators.portfolio_score.weight").startswith("U")
    groups = {}
    for v in ind.values():
        groups[v["group"]] = groups.get(v["group"], 0) + v["weight"]
    assert groups == {"投入": 15, "过程": 25, "产出": 30, "效果": 30}
    assert groups["产出"] + groups["效果"] >= 60            # domain.md §4.3


def test_all_full_marks():
    ev = scores({})
    row = ev.to_frame().iloc[0]
    assert row["total"] == pytest.approx(100.0) and row["grade"] == "优"
    assert row["action"] == "优先保障" and row["n_not_applicable"] == 0
    assert list(ev.to_frame().columns[:len(DEPARTMENT_COLUMNS) - 1]) == \
        [c for c in DEPARTMENT_COLUMNS if c != "flag_codes"]
    assert set(INDICATOR_COLUMNS) == set(ev.indicators.columns)
    assert row["投入"] == pytest.approx(15) and row["效果"] == pytest.approx(30)


# --- 在职人员控制率 -----------------------------------------------------------------------------
STAFF = [  # (在职人数 of 编制数 50, fraction of the weight)
    (48, 1.0), (50, 1.0),            # ≤ 100%: full (100% exactly is full)
    (51, 0.8),                       # 102% → 2 pp → 0.2 of the weight deducted
    (52, 0.6),                       # 104% → 4 pp → 0.4 deducted
    (55, 0.0),                       # 110% → 10 pp → the whole weight
    (60, 0.0),                       # 120%: floored at 0
]


def test_staff_control():
    r = table([{"staff_actual": a} for a, _ in STAFF], "staff_control")
    np.testing.assert_allclose(r["value"], [a / 50 for a, _ in STAFF])
    np.testing.assert_allclose(r["fraction"], [f for _, f in STAFF], atol=1e-12)
    np.testing.assert_allclose(r["score"], [5 * f for _, f in STAFF], atol=1e-12)


def test_staff_control_wording_of_the_brief():
    # weight 1 point: 52 in post against 50 authorised → 4.0 pp over → 0.4 deducted
    r = one(scores({"staff_actual": 52}, weights={"staff_control": 1}), "staff_control")
    assert r["score"] == pytest.approx(0.6) and r["deduction"] == pytest.approx(0.4)
    assert "在职人数 52 超编制数 50 的 4.0 个百分点" in r["explanation"]
    assert "扣 0.4 分" in r["explanation"] and "得 0.6 分" in r["explanation"]
    ok = one(scores({}), "staff_control")
    assert "未超过 100%" in ok["explanation"] and "得满分 5 分" in ok["explanation"]


@pytest.mark.parametrize("mode,fractions", [("pro_rata", [0.55, 0.6, 1.0]),
                                             ("whole", [0.6, 0.6, 1.0]),
                                             ("started", [0.5, 0.6, 1.0])])
def test_step_rounding(mode, fractions):
    # 52.25 / 50 = 104.5% → 4.5 pp: pro rata 0.45, whole steps 0.4, started steps 0.5;
    # 52 / 50 = 104% exactly (4 steps) and 50 / 50 are the same in every mode
    prof = NATIONAL.with_overrides({"department_eval.step_rounding": mode})
    r = table([{"staff_actual": 52.25}, {"staff_actual": 52}, {}], "staff_control",
              profile=prof)
    np.testing.assert_allclose(r["fraction"], fractions, atol=1e-12)


# --- 三公经费变动率 -----------------------------------------------------------------------------
THREE = [  # (本年三公经费预算 against 10 last year, fraction)
    (9.0, 1.0),                      # −10%
    (10.0, 1.0),                     # 0 exactly: full
    (10.1, 0.9),                     # +1 pp → 10% of the weight
    (10.5, 0.5),                     # +5 pp
    (11.0, 0.0),                     # +10 pp
    (12.0, 0.0),                     # +20 pp: floored
]


def test_three_public_change():
    r = table([{"three_public_budget": b} for b, _ in THREE], "three_public_change")
    np.testing.assert_allclose(r["value"], [b / 10 - 1 for b, _ in THREE], atol=1e-12)
    np.testing.assert_allclose(r["score"], [5 * f for _, f in THREE], atol=1e-9)
    assert "变动率 5.0%，超过 0% 的 5.0 个百分点" in r["explanation"].iloc[3]
    assert "未超过 0%，得满分 5 分" in r["explanation"].iloc[1]


def test_three_public_prior_from_previous_year_row_or_not_applicable():
    wb = book({"year": 2023, "three_public_budget": 8.0},
              {"three_public_budget": 8.4, "three_public_prior": np.nan})
    ev = evaluate_department(wb, NATIONAL, project_scores=FULL_PORTFOLIO)
    assert ev.year == 2024
    r = one(ev, "three_public_change")
    assert r["value"] == pytest.approx(0.05) and r["score"] == pytest.approx(2.5)
    assert "上年数取自 2023 年部门表" in r["explanation"]
    assert "prior_from_previous_year" in ev.to_frame().iloc[0]["flag_codes"]
    # no previous row: not applicable
    r = one(scores({"three_public_prior": np.nan}), "three_public_change")
    assert r["status"] == "missing" and not r["applicable"] and np.isnan(r["score"])
    assert "缺少上年三公经费预算数" in r["explanation"]


def test_division_by_zero_is_not_applicable_with_a_flag():
    ev = scores({"three_public_prior": 0.0, "three_public_budget": 0.0})
    r = one(ev, "three_public_change")
    assert r["status"] == "division_by_zero" and not r["applicable"]
    assert "上年三公经费预算数为 0" in r["explanation"]
    row = ev.to_frame().iloc[0]
    assert "division_by_zero" in row["flag_codes"] and row["applicable_weight"] == 95
    assert row["total"] == pytest.approx(100.0)


# --- 预算完成率 -----------------------------------------------------------------------------------
COMPLETION = [  # (年末结余 of 100 available, score pro rata / whole steps / started steps)
    (0.0, (10.0, 10.0, 10.0)),        # 100%
    (2.5, (8.0, 10.0, 6.0)),          # 97.5%: half a step → 0.2 of the weight pro rata
    (5.0, (6.0, 6.0, 6.0)),           # 95%: one step of 5 pp → 0.4 of 10 = 4 points
    (10.0, (2.0, 2.0, 2.0)),          # 90%: two steps
    (12.5, (0.0, 2.0, 0.0)),          # 87.5%: 2.5 steps = the whole weight pro rata
    (30.0, (0.0, 0.0, 0.0)),          # 70%: floored
]


@pytest.mark.parametrize("k,mode", [(0, "pro_rata"), (1, "whole"), (2, "started")])
def test_budget_completion(k, mode):
    # funds available = 上年结转 10 + 年初预算 80 + 本年追加 10 = 100
    prof = NATIONAL.with_overrides({"department_eval.step_rounding": mode})
    r = table([{"carryover_prior": 10.0, "initial_budget": 80.0, "supplementary_budget": 10.0,
                "year_end_balance": b} for b, _ in COMPLETION], "budget_completion", profile=prof)
    np.testing.assert_allclose(r["value"], [(100 - b) / 100 for b, _ in COMPLETION])
    np.testing.assert_allclose(r["score"], [s[k] for _, s in COMPLETION], atol=1e-9)


def test_budget_completion_text_and_eight_point_table():
    r = one(scores({"year_end_balance": 5.0}), "budget_completion")
    assert "低于 100% 的 5.0 个百分点" in r["explanation"]
    assert "每低 5 个百分点扣分值的 40%（4 分）" in r["explanation"] and "得 6 分" in r["explanation"]
    # the 8-point table: 2 of 8 points per 5 pp
    prof = NATIONAL.with_overrides(
        {"department_eval.indicators.budget_completion.deduct_per_step": 0.25})
    r = one(scores({"year_end_balance": 5.0}, profile=prof,
                   weights={"budget_completion": 8}), "budget_completion")
    assert r["score"] == pytest.approx(6.0)


# --- 预算控制率 -----------------------------------------------------------------------------------
CONTROL = [  # (本年追加, 年初预算, fraction)
    (0.0, 100.0, 1.0),                # = 0
    (0.01, 100.0, 0.8),               # just above 0
    (10.0, 100.0, 0.8),               # 10% exactly: (0, 10]
    (12.3, 123.0, 0.8),               # 10% computed with rounding noise
    (10.01, 100.0, 0.6),
    (20.0, 100.0, 0.6),               # 20% exactly
    (20.01, 100.0, 0.4),
    (30.0, 100.0, 0.4),               # 30% exactly
    (30.01, 100.0, 0.0),              # > 30%
    (80.0, 100.0, 0.0),
]


def test_budget_control_tiers():
    r = table([{"supplementary_budget": s_, "initial_budget": i_, "expenditure": i_ + s_}
               for s_, i_, _ in CONTROL], "budget_control")
    np.testing.assert_allclose(r["fraction"], [f for *_, f in CONTROL])
    np.testing.assert_allclose(r["score"], [10 * f for *_, f in CONTROL])
    assert "为 0% 档" in r["explanation"].iloc[0]
    assert "(20%, 30%] 档，得分值的 40%，即 4 分" in r["explanation"].iloc[7]
    assert "> 30% 档" in r["explanation"].iloc[8]


def test_budget_control_local_tables():
    # 5-point table 5/4/3/2/0 = the default fractions; 15% → 3 of 5
    r = one(scores({"supplementary_budget": 15.0, "expenditure": 115.0},
                   weights={"budget_control": 5}), "budget_control")
    assert r["score"] == pytest.approx(3.0) and "(10%, 20%] 档" in r["explanation"]
    # 8-point table 8/6/4/2/0: same tiers, other fractions (1/0.75/0.5/0.25/0); 15% → 4 of 8
    prof = NATIONAL.with_overrides(
        {"department_eval.indicators.budget_control.tiers":
         [[0.0, 1.0], [0.1, 0.75], [0.2, 0.5], [0.3, 0.25]]})
    r = one(scores({"supplementary_budget": 15.0, "expenditure": 115.0}, profile=prof,
                   weights={"budget_control": 8}), "budget_control")
    assert r["score"] == pytest.approx(4.0)
    z = one(scores({"initial_budget": 0.0, "supplementary_budget": 0.0}), "budget_control")
    assert z["status"] == "division_by_zero"


# --- 结转结余率, 重点支出安排率 ----------------------------------------------------------------------
def test_carryover_and_key_expenditure_proportional():
    ev = scores({"carryover_balance": 8.0, "year_end_balance": 8.0, "key_project_expenditure": 60.0})
    c = one(ev, "carryover_rate")
    assert c["value"] == pytest.approx(0.08) and c["score"] == pytest.approx(5 * 0.92)
    assert "得分 = 分值 × (1 − 结转结余率)" in c["explanation"]
    k = one(ev, "key_expenditure")
    assert k["value"] == pytest.approx(0.6) and k["score"] == pytest.approx(3.0)
    # a carry-over larger than the expenditure scores 0; the key share caps at full marks
    ev = scores({"carryover_balance": 150.0, "key_project_expenditure": 120.0})
    assert one(ev, "carryover_rate")["score"] == 0
    assert one(ev, "key_expenditure")["score"] == pytest.approx(5.0)
    assert "ratio_above_one" in ev.to_frame().iloc[0]["flag_codes"]
    z = one(scores({"expenditure": 0.0}), "carryover_rate")
    assert z["status"] == "division_by_zero"


# --- N/A rescaling ---------------------------------------------------------------------------
def test_missing_figure_rescales_the_total():
    # 在职人员控制率 N/A (编制数 blank) and 预算完成率 95% (6 of 10):
    # scores 5 + 5 + 6 + 10 + 5 + 30 + 30 = 91 of the applicable 95 → 91/95 × 100
    ev = scores({"staff_authorized": np.nan, "year_end_balance": 5.0})
    row = ev.to_frame().iloc[0]
    assert row["applicable_weight"] == pytest.approx(95.0)
    assert row["total"] == pytest.approx(91 / 95 * 100)
    assert row["grade"] == "优" and row["n_not_applicable"] == 1
    r = one(ev, "staff_control")
    assert "缺少编制数" in r["explanation"] and np.isnan(r["score"])
    d = ev.department("D1")
    assert d.flags[0]["code"] == "not_applicable" and "95" in d.flags[0]["message"]
    g = d.groups.set_index("group")
    assert g.loc["投入", "applicable_weight"] == pytest.approx(10.0)
    assert g.loc["投入", "score"] == pytest.approx(10.0)


def test_nothing_applicable_gives_no_total():
    blank = {k: np.nan for k in BASE if k not in ("year", "name")}
    ev = evaluate_department(book(blank), NATIONAL, project_scores=FULL_PORTFOLIO.iloc[:0])
    row = ev.to_frame().iloc[0]
    assert np.isnan(row["total"]) and row["grade"] is None and row["action"] is None
    assert "no_total" in row["flag_codes"] and "no_projects" in row["flag_codes"]
    json.dumps(ev.department("D1").to_dict(), allow_nan=False)


# --- the project portfolio -------------------------------------------------------------------
def test_portfolio_shares_and_weighted_score():
    ps = pd.DataFrame({"department_id": ["D1"] * 4 + ["D9"],
                       "total": [95.0, 85.0, 70.0, 50.0, 99.0],
                       "adjusted": [100.0, 300.0, 100.0, 500.0, 1.0]})   # grades from bands
    ev = evaluate_department(books([{}, {}]), NATIONAL, project_scores=ps)
    pf = ev.portfolio.set_index("department_id")
    assert list(pf.index) == ["D1"]                       # D9 is not evaluated, D2 has none
    p = pf.loc["D1"]
    assert p["n_projects"] == 4 and p["n_good"] == 2 and p["good_share"] == pytest.approx(0.5)
    for g in ("优", "良", "中", "差"):
        assert p[f"share_{g}"] == pytest.approx(0.25)
    assert p["mean_score"] == pytest.approx(75.0)
    # (95·100 + 85·300 + 70·100 + 50·500) / 1000 = 67
    assert p["weighted_score"] == pytest.approx(67.0) and p["budget"] == pytest.approx(1000)
    assert one(ev, "portfolio_good_share")["score"] == pytest.approx(15.0)
    assert one(ev, "portfolio_score")["score"] == pytest.approx(30 * 0.67)
    # D1 total: 40 from the figures + 15 + 20.1
    assert ev.to_frame().set_index("department_id").loc["D1", "total"] == pytest.approx(75.1)
    # D2: no projects → both portfolio indicators N/A, total over the 40 figure points
    d2 = ev.to_frame().set_index("department_id").loc["D2"]
    assert d2["total"] == pytest.approx(100.0) and d2["applicable_weight"] == 40
    assert "no_projects" in d2["flag_codes"]
    assert one(ev, "portfolio_score", "D2")["status"] == "no_projects"


def test_portfolio_without_budgets_is_a_simple_mean():
    ps = pd.DataFrame({"department_id": ["D1", "D1"], "total": [90.0, 70.0]})
    ev = scores({}, project_scores=ps)
    r = one(ev, "portfolio_score")
    assert r["value"] == pytest.approx(80.0) and "未加权" in r["explanation"]
    assert "unweighted_portfolio" in ev.to_frame().iloc[0]["flag_codes"]


def test_portfolio_is_scored_from_the_workbook_when_not_given():
    from perfkit.scoring import score_self_evaluation
    from tests.scoring.test_self_eval import FULL, workbook
    wb0 = workbook(FULL)                       # project P1 of D1: total 84.5 (良), adjusted 100
    wb = Workbook.from_frames({**wb0.tables, "departments": pd.DataFrame(
        [{**BASE, "department_id": "D1"}])})
    ev = evaluate_department(wb, NATIONAL)
    p = ev.portfolio.iloc[0]
    assert p["n_projects"] == 1 and p["weighted_score"] == pytest.approx(84.5)
    assert p["share_良"] == pytest.approx(1.0)
    given = evaluate_department(wb, NATIONAL, project_scores=score_self_evaluation(wb, NATIONAL).projects)
    pd.testing.assert_frame_equal(ev.to_frame(), given.to_frame())
    # the SelfEvaluation object itself is accepted too
    assert evaluate_department(wb, NATIONAL, project_scores=score_self_evaluation(wb, NATIONAL)) \
        .to_frame()["total"].iloc[0] == pytest.approx(ev.to_frame()["total"].iloc[0])


# --- results ---------------------------------------------------------------------------------
def test_department_result_to_dict_is_json_safe():
    ev = scores({"staff_actual": 52, "supplementary_budget": 15.0, "expenditure": 115.0,
                 "carryover_balance": np.nan})
    d = ev.department("D1")
    out = d.to_dict()
    json.dumps(out, ensure_ascii=False, allow_nan=False)
    assert out["subject_type"] == "department" and out["name"] == "测试部门"
    for key in ("basic_info", "indicator_system", "total", "grade", "groups", "indicators",
                "portfolio", "deductions", "not_applicable", "flags"):
        assert key in out
    assert [x["code"] for x in out["deductions"]] == ["staff_control", "budget_control"]
    assert [x["code"] for x in out["not_applicable"]] == ["carryover_rate"]
    # 3 + 5 + 5 + 10 + 6 + 30 + 30 = 89 of 95
    assert out["total"] == pytest.approx(89 / 95 * 100) and out["grade"] == "优"
    assert "department: D1" in d.summary() and "departments: 1" in ev.summary()
    json.dumps(ev.to_dict(), ensure_ascii=False, allow_nan=False)


def test_selection_and_errors():
    wb = books([{}, {"staff_actual": 60}])
    ev = evaluate_department(wb, NATIONAL, department_ids=["D2"], project_scores=FULL_PORTFOLIO)
    assert ev.to_frame()["department_id"].tolist() == ["D2"]
    with pytest.raises(InputError, match="no such department"):
        evaluate_department(wb, NATIONAL, department_ids=["D7"])
    with pytest.raises(InputError, match="no departments for year 2020"):
        evaluate_department(wb, NATIONAL, year=2020)
    with pytest.raises(InputError) as e:
        evaluate_department(books([{}, {"staff_actual": -3}]), NATIONAL)
    assert e.value.row == 3 and e.value.column == "在职人数"
    with pytest.raises(InputError, match="must be a number") as e:
        evaluate_department(books([{"initial_budget": "一百"}]), NATIONAL)
    assert e.value.column == "年初预算"
    with pytest.raises(InputError, match="twice"):
        evaluate_department(book({}, {}), NATIONAL)
    with pytest.raises(InputError, match="unknown indicator"):
        evaluate_department(wb, NATIONAL, weights={"nope": 3})
    with pytest.raises(InputError, match="needs columns"):
        evaluate_department(wb, NATIONAL, project_scores=pd.DataFrame({"x": [1]}))
    with pytest.raises(InputError, match="no departments"):
        evaluate_department(Workbook.from_frames({}), NATIONAL)


def test_bad_rules_are_refused():
    p = NATIONAL
    with pytest.raises(RuleError, match="tiers"):
        evaluate_department(books([{}]), p.with_overrides(
            {"department_eval.indicators.budget_control.tiers": [[0.2, 1.0], [0.1, 0.5]]}))
    with pytest.raises(RuleError, match="step_rounding"):
        evaluate_department(books([{}]), p.with_overrides({"department_eval.step_rounding": "x"}))
    with pytest.raises(RuleError, match="group"):
        evaluate_department(books([{}]), p.with_overrides(
            {"department_eval.indicators.staff_control.group": "决策"}))
