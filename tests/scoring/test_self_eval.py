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
