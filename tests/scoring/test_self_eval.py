"""Totals, weights, N/A rescaling, missing satisfaction, grades and flags, computed by hand."""
import numpy as np
import pandas as pd
import pytest

from perfkit.errors import InputError
from perfkit.model.workbook import Workbook
from perfkit.rules import load_profile
from perfkit.scoring import grade, score_self_evaluation


def ind(pid, l1, l2, l3, direction, t, a, w, **kw):
    return {"project_id": pid, "year": 2024, "level1": l1, "level2": l2, "level3": l3,
            "direction": direction, "kind": "定性" if direction == "定性" else "定量",
            "target_value": t, "actual_value": a, "weight": w, "not_applicable": False,
            "deviation_reason": "说明", **kw}


def workbook(indicators, *, executed=90.0, adjusted=100.0, note=None, pid="P1"):
    projects = pd.DataFrame([{"project_id": pid, "year": 2024, "name": "测试项目",
                              "department_id": "D1", "department": "区教委",
                              "implementing_unit": "单位", "budget_type": "一般公共预算",
                              "sector": "教育", "execution_note": note}])
    budget = pd.DataFrame([{"project_id": pid, "year": 2024, "source": "当年财政拨款",
                            "initial": adjusted, "adjusted": adjusted * 0.8, "executed": executed * 0.8},
                           {"project_id": pid, "year": 2024, "source": "上年结转资金",
                            "initial": 0.0, "adjusted": adjusted * 0.2, "executed": executed * 0.2}])
    return Workbook.from_frames({"projects": projects, "budget": budget,
                                 "indicators": pd.DataFrame(indicators)}, source="t.xlsx")


FULL = [
    ind("P1", "产出指标", "数量指标", "a", "≥", 100, 80, 25),       # 20
    ind("P1", "产出指标", "质量指标", "b", "≥", 95, 95, 25),        # 25
    ind("P1", "效益指标", "社会效益指标", "c", "定性", None, None, 30, rating="部分达成",
        awarded=21.0),                                                # 21
    ind("P1", "满意度指标", "服务对象满意度指标", "d", "≥", 90, 85.5, 10),  # 9.5
]


def test_total_and_grade_by_hand():
    r = score_self_evaluation(workbook(FULL), "national").project("P1")
    # execution 90/100 → 9; indicators 20 + 25 + 21 + 9.5 = 75.5; total 84.5
    assert r.budget["rate"] == pytest.approx(0.9)
    assert r.budget["score"] == pytest.approx(9.0)
    assert r.total == pytest.approx(84.5)
    assert r.grade == "良"
    lv = r.level1.set_index("level1")["score"]
    assert lv["产出指标"] == pytest.approx(45.0) and lv["效益指标"] == pytest.approx(21.0)
    d = r.to_dict()
    assert d["total"] == pytest.approx(84.5) and d["grade"] == "良"
    assert d["profile"]["id"] == "national" and d["profile"]["hash"].startswith("sha256:")
    assert len(d["indicators"]) == 4 and d["indicators"][0]["score"] == pytest.approx(20.0)


def test_not_applicable_rescales_to_100():
    rows = [dict(x) for x in FULL]
    rows[0] = {**rows[0], "not_applicable": True, "actual_value": np.nan}
    r = score_self_evaluation(workbook(rows)).project("P1")
    # (9 + 25 + 21 + 9.5) / (100 − 25) × 100
    assert r.total == pytest.approx((9 + 25 + 21 + 9.5) / 75 * 100)


def test_all_indicators_of_a_level1_not_applicable():
    rows = [dict(x) for x in FULL]
    for i in (0, 1):
        rows[i] = {**rows[i], "not_applicable": True, "actual_value": np.nan}
    r = score_self_evaluation(workbook(rows)).project("P1")
    assert r.total == pytest.approx((9 + 21 + 9.5) / 50 * 100)
    assert "产出指标" not in set(r.level1["level1"])


def test_execution_capped_and_flagged_below_90():
    r = score_self_evaluation(workbook(FULL, executed=120.0)).project("P1")
    assert r.budget["score"] == pytest.approx(10.0)
    assert "execution_above_budget" in {f["code"] for f in r.flags}
    low = score_self_evaluation(workbook(FULL, executed=50.0)).project("P1")
    assert low.budget["score"] == pytest.approx(5.0)
    assert "execution_below_threshold_unexplained" in {f["code"] for f in low.flags}
    ok = score_self_evaluation(workbook(FULL, executed=50.0, note="年底才拨付")).project("P1")
    assert "execution_below_threshold_unexplained" not in {f["code"] for f in ok.flags}


def test_missing_satisfaction_redistributes_points_automatically():
    rows = [{**r, "weight": np.nan} for r in FULL[:3]]
    r = score_self_evaluation(workbook(rows)).project("P1")
    w = r.indicators.set_index("level3")["weight"]
    # 产出 50 + 5 split over two 二级 → 27.5 each; 效益 30 + 5 → 35
    assert w["a"] == pytest.approx(27.5) and w["b"] == pytest.approx(27.5)
    assert w["c"] == pytest.approx(35.0)
    assert "no_satisfaction" in {f["code"] for f in r.flags}


def test_weights_not_adding_up_is_input_error_naming_row_and_column():
    rows = [dict(x) for x in FULL]
    rows[1]["weight"] = 20
    wb = workbook(rows)
    with pytest.raises(InputError) as e:
        score_self_evaluation(wb)
    p = e.value.problem
    assert p.column == "分值" and p.row == 2 and p.file == "t.xlsx" and p.value == 85
    assert "add up to 85" in str(e.value)


def test_partial_weights_are_an_error():
    rows = [dict(x) for x in FULL]
    rows[2]["weight"] = np.nan
    with pytest.raises(InputError, match="some indicators of this project have a weight"):
        score_self_evaluation(workbook(rows))


def test_awarded_total_and_grade_difference_flagged():
    rows = [dict(x) for x in FULL]
    rows[0]["awarded"] = 25.0   # rule gives 20
    r = score_self_evaluation(workbook(rows)).project("P1")
    codes = {f["code"] for f in r.flags}
    assert "awarded_differs" in codes
    assert r.awarded_total == pytest.approx(89.5)
    rows[1]["awarded"] = 25.0
    rows[3]["awarded"] = 10.5 + 0.0
    r2 = score_self_evaluation(workbook(rows)).project("P1")
    assert r2.awarded_total == pytest.approx(90.5) and r2.grade == "良"
    assert "awarded_grade_differs" in {f["code"] for f in r2.flags}


@pytest.mark.parametrize("score,expected", [(100, "优"), (90, "优"), (89.9999, "良"), (80, "良"),
                                            (79.99, "中"), (60, "中"), (59.999, "差"), (0, "差")])
def test_grade_bands_half_open_on_unrounded(score, expected):
    assert grade([score], load_profile("national").get("grades.bands")).iloc[0] == expected


def test_local_profile_bands():
    bands = load_profile("provincial80").get("grades.bands")
    assert list(grade([85, 75, 65, 55], bands)) == ["优", "良", "中", "差"]


# ============================================================================================
# a 预算执行率 weight printed on the unit's own form (projects.execution_weight)
# ============================================================================================
NINE = [dict(x) for x in FULL]
NINE[0]["weight"] = 26                  # 26 + 25 + 30 + 10 = 91, with 预算执行率 9: 100


def with_execution_weight(rows, w, **kw):
    wb = workbook(rows, **kw)
    wb["projects"]["execution_weight"] = w
    return wb


def test_execution_weight_nine_with_indicators_91_by_hand():
    r = score_self_evaluation(with_execution_weight(NINE, 9.0)).project("P1")
    # execution 90/100 → 9 × 0.9 = 8.1; a 26 × 80/100 = 20.8; b 25; c 21 (部分达成, awarded);
    # d 10 × 85.5/90 = 9.5; total (8.1 + 20.8 + 25 + 21 + 9.5) / (9 + 91) × 100 = 84.4
    assert r.budget["weight"] == 9.0 and r.budget["weight_source"] == "project"
    assert r.budget["score"] == pytest.approx(8.1)
    assert r.indicators.set_index("level3")["score"].tolist() == \
        pytest.approx([20.8, 25.0, 21.0, 9.5])
    assert r.total == pytest.approx(84.4) and r.grade == "良"
    assert r.budget["explanation"] == "执行率 = 90 / 100 = 90%，得分 = 9（表内，规则为 10） × 90% = 8.1"
    assert r.budget["explanation_en"].endswith("; weight 9 as printed on the form (rule 10)")
    flags = {f["code"]: f for f in r.flags}
    assert flags["execution_weight_as_printed"]["message"] == \
        "预算执行率分值按单位自评表为 9（表内），规则为 10；绩效指标分值合计 91"
    assert flags["execution_weight_as_printed"]["message_en"] == \
        "Budget-execution weight 9 as printed on the unit's form (rule: 10); the indicator " \
        "weights add up to 91"
    # where the moved point went: 产出指标 51 against the profile's 50
    assert "产出指标 51（规则 50）" in flags["level1_weights_differ"]["message"]
    d = r.to_dict()
    assert d["budget"]["weight"] == 9.0 and d["applicable_weight"] == pytest.approx(100.0)
    assert d["total"] == pytest.approx(84.4)


def test_execution_weight_equal_to_the_profile_or_blank_changes_nothing():
    base = score_self_evaluation(workbook(FULL)).project("P1")
    for w in (10.0, np.nan, None):
        r = score_self_evaluation(with_execution_weight(FULL, w)).project("P1")
        assert r.total == pytest.approx(base.total) == pytest.approx(84.5)
        assert r.budget["weight_source"] == "profile"
        assert r.budget["explanation"] == base.budget["explanation"]
        assert "execution_weight_as_printed" not in {f["code"] for f in r.flags}


def test_execution_weight_with_weights_that_do_not_add_up_is_refused():
    rows = [dict(x) for x in NINE]
    rows[1]["weight"] = 19                           # 26 + 19 + 30 + 10 = 85
    with pytest.raises(InputError) as e:
        score_self_evaluation(with_execution_weight(rows, 9.0))
    p = e.value.problem
    assert (p.file, p.sheet, p.row, p.column, p.value) == ("t.xlsx", "indicators", 2, "分值", 85)
    assert "add up to 85; with 预算执行率 9 (表内" in p.rule and "must add up to 91 (总分 100)" \
        in p.rule
    # 9 printed but the indicators still add up to 90 (99 in all): refused too
    with pytest.raises(InputError, match="add up to 90; with 预算执行率 9"):
        score_self_evaluation(with_execution_weight(FULL, 9.0))


@pytest.mark.parametrize("bad", [-1.0, 100.0, "九"])
def test_execution_weight_out_of_range_names_the_projects_row(bad):
    with pytest.raises(InputError) as e:
        score_self_evaluation(with_execution_weight(NINE, bad))
    p = e.value.problem
    assert (p.sheet, p.row, p.column) == ("projects", 2, "预算执行率分值")
    assert "must be a number in [0, 100)" in p.rule


def test_profile_can_refuse_per_project_execution_weights():
    strict = load_profile("national").with_overrides(
        {"self_eval.project_execution_weight": "refuse"})
    with pytest.raises(InputError) as e:
        score_self_evaluation(with_execution_weight(NINE, 9.0), strict)
    p = e.value.problem
    assert (p.sheet, p.row, p.column, p.value) == ("projects", 2, "预算执行率分值", 9.0)
    assert "refuse" in p.rule
    ok = score_self_evaluation(with_execution_weight(FULL, 10.0), strict).project("P1")
    assert ok.total == pytest.approx(84.5)


def test_automatic_weights_scaled_to_the_projects_indicator_points():
    rows = [{**r, "weight": np.nan} for r in FULL]
    r = score_self_evaluation(with_execution_weight(rows, 20.0)).project("P1")
    w = r.indicators.set_index("level3")["weight"]
    # profile 产出 50 / 效益 30 / 满意度 10 scaled by (100 − 20) / 90; 产出 over two 二级
    assert w.tolist() == pytest.approx([50 * 8 / 9 / 2] * 2 + [30 * 8 / 9, 10 * 8 / 9])
    assert w.sum() == pytest.approx(80.0)


def test_execution_weight_column_read_under_its_chinese_headers(tmp_path):
    from perfkit.io import read_workbook
    from tests.io.conftest import base_tables, to_zh, write_xlsx
    for header in ("预算执行率分值", "资金权重"):
        t = to_zh(base_tables())
        t["项目"][0].append(header)
        t["项目"][1].append(9)
        t["项目"][2].append(None)
        wb = read_workbook(write_xlsx(tmp_path / f"{header}.xlsx", t))
        assert wb["projects"]["execution_weight"].tolist()[0] == 9.0
        assert np.isnan(wb["projects"]["execution_weight"].tolist()[1])
    t["项目"][1][-1] = 120
    with pytest.raises(InputError) as e:
        read_workbook(write_xlsx(tmp_path / "bad.xlsx", t))
    assert e.value.problem.row == 2 and "资金权重" in str(e.value)


def test_resolve_weights_takes_per_project_execution_weights():
    from perfkit.scoring import resolve_weights
    df, l1 = resolve_weights(pd.DataFrame(NINE), execution_weight={("P1", 2024): 9.0})
    assert l1.loc[("P1", 2024), ["execution_weight", "indicator_points"]].tolist() == [9.0, 91.0]
    assert l1.loc[("P1", 2024), ["产出指标", "expected_产出指标"]].tolist() == [51.0, 50.0]
    assert bool(l1.loc[("P1", 2024), "level1_differs"])
    with pytest.raises(InputError, match="add up to 91; with 预算执行率 10"):
        resolve_weights(pd.DataFrame(NINE))
    with pytest.raises(InputError, match="execution_weight"):
        resolve_weights(pd.DataFrame(NINE), execution_weight=[9.0])
