"""Hand-computed cases for every indicator score rule of domain.md §4.2."""
import math

import numpy as np
import pandas as pd
import pytest

from perfkit.errors import InputError
from perfkit.rules import load_profile
from perfkit.scoring import score_indicators

NAT = load_profile("national")
LINEAR = NAT.with_overrides({"scoring.reverse_mode": "linear"})


def one(direction, t, a, w=10.0, *, kind=None, rating=None, awarded=None, na=False,
        deadline=None, profile=NAT, reason="r"):
    df = pd.DataFrame([{"project_id": "P1", "year": 2024, "level1": "产出指标",
                        "level2": "数量指标", "level3": "x", "direction": direction,
                        "kind": kind or ("定性" if direction == "定性" else "定量"),
                        "target_value": t, "actual_value": a, "weight": w, "rating": rating,
                        "awarded": awarded, "not_applicable": na, "unit": "人",
                        "deviation_reason": reason, "target_deadline": deadline, "_row": 7,
                        "_sheet": "绩效指标"}])
    return score_indicators(df, profile).iloc[0]


@pytest.mark.parametrize("direction,t,a,w,expected,rule", [
    ("≥", 100, 120, 10, 10.0, "positive_met"),
    ("≥", 100, 100, 10, 10.0, "positive_met"),
    ("≥", 100, 80, 10, 8.0, "positive_ratio"),
    ("≥", 95, 88, 5, 5 * 88 / 95, "positive_ratio"),
    ("≥", 100, 0, 10, 0.0, "positive_ratio"),          # actual 0
    ("≥", 100, -5, 10, 0.0, "positive_ratio"),         # negative actual clipped to 0
    ("≥", 0, 0, 10, 10.0, "positive_met"),             # target 0, actual 0
    ("≤", 30, 25, 10, 10.0, "reverse_met"),
    ("≤", 30, 30, 10, 10.0, "reverse_met"),
    ("≤", 30, 40, 10, 10 * 30 / 40, "reverse_ratio"),
    ("≤", 0, 0, 10, 10.0, "reverse_met"),
    ("≤", 0, 3, 10, 0.0, "reverse_ratio"),             # target 0 exceeded: nothing
    ("=", 0, 0, 10, 10.0, "equal_zero_met"),
    ("=", 0, -1, 10, 10.0, "equal_zero_met"),
    ("=", 0, 2, 10, 0.0, "equal_zero_missed"),
    ("=", 100, 90, 10, 9.0, "positive_ratio"),         # t > 0: as positive
    ("=", 100, 110, 10, 10.0, "positive_met"),
])
def test_quantitative_rules(direction, t, a, w, expected, rule):
    r = one(direction, t, a, w)
    assert r["rule"] == rule
    assert r["score"] == pytest.approx(expected, abs=1e-12)
    assert 0 <= r["score"] <= w


@pytest.mark.parametrize("t,a,expected", [
    (30, 25, 10.0), (30, 45, 10 * (1 - 15 / 30)), (30, 60, 0.0), (30, 90, 0.0), (0, 1, 0.0)])
def test_reverse_linear_mode(t, a, expected):
    r = one("≤", t, a, 10, profile=LINEAR)
    assert r["score"] == pytest.approx(expected)


@pytest.mark.parametrize("rating,awarded,expected", [
    ("达成", None, 9.0),          # band midpoint [8, 10]
    ("达成", 10.0, 10.0),
    ("达成", 8.0, 8.0),
    ("部分达成", None, 7.0),
    ("部分达成", 6.0, 6.0),
    ("未达成", None, 3.0),
    ("未达成", 0.0, 0.0),
])
def test_qualitative_bands(rating, awarded, expected):
    r = one("定性", np.nan, np.nan, 10, rating=rating, awarded=awarded)
    assert r["rule"] == "qualitative"
    assert r["score"] == pytest.approx(expected)


@pytest.mark.parametrize("rating,awarded", [("达成", 7.9), ("部分达成", 8.0), ("未达成", 6.0),
                                            ("部分达成", 5.99)])
def test_qualitative_score_outside_band_is_input_error(rating, awarded):
    with pytest.raises(InputError) as e:
        one("定性", np.nan, np.nan, 10, rating=rating, awarded=awarded)
    assert e.value.problem.row == 7 and e.value.problem.column == "自评得分"
    assert "band" in str(e.value)


def test_qualitative_without_rating_is_input_error():
    with pytest.raises(InputError, match="needs a rating") as e:
        one("定性", np.nan, np.nan, 10)
    assert e.value.problem.sheet == "绩效指标"


def test_not_applicable_has_no_score():
    r = one("≥", 100, np.nan, 10, na=True)
    assert r["rule"] == "not_applicable" and math.isnan(r["score"])


def test_quantitative_without_actual_is_input_error():
    with pytest.raises(InputError, match="needs an actual value"):
        one("≥", 100, np.nan, 10)


def test_overshoot_flag_only_by_default():
    r = one("≥", 100, 130, 10)
    assert r["overshoot"] and r["score"] == 10 and "overshoot" in r["flags"]
    assert not one("≥", 100, 119, 10)["overshoot"]


def test_overshoot_optional_deduction():
    prof = NAT.with_overrides({"scoring.overshoot_deduction": 0.1})
    assert one("≥", 100, 150, 10, profile=prof)["score"] == pytest.approx(9.0)


def test_deadline_on_time_and_late():
    t = 2024 * 12 + 12
    assert one("≤", t, t - 1, 10, deadline="2024-12")["score"] == 10
    late = one("≤", t, t + 2, 10, deadline="2024-12")
    assert late["rule"] == "deadline_late" and late["score"] == pytest.approx(10 * (1 - 2 * 0.2))


def test_awarded_difference_shown_with_reason():
    r = one("≥", 100, 80, 10, awarded=10.0)
    assert r["awarded_diff"] == pytest.approx(2.0)
    assert "awarded_differs" in r["flags"]
    assert "单位自评得分 10" in r["explanation"] and "相差 2" in r["explanation"]


def test_explanation_states_the_numbers():
    r = one("≥", 95, 88, 5)
    assert r["explanation"] == "实际值 88人 未达到目标值 95人，按完成比例 92.6% 得分 4.63"
    assert "below the target" in r["explanation_en"]


def test_missed_without_reason_flag():
    assert "missed_without_reason" in one("≥", 100, 80, reason=None)["flags"]
    assert "missed_without_reason" not in one("≥", 100, 80, reason="天气原因")["flags"]


def test_vectorised_over_many_rows():
    n = 20000
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"project_id": "P", "year": 2024, "level1": "产出指标", "level2": "数量指标",
                       "level3": [f"i{i}" for i in range(n)], "direction": "≥", "kind": "定量",
                       "target_value": rng.uniform(1, 100, n), "actual_value": rng.uniform(0, 120, n),
                       "weight": 5.0, "not_applicable": False, "_row": np.arange(n) + 2})
    out = score_indicators(df, NAT)
    exp = 5 * np.minimum(df["actual_value"] / df["target_value"], 1)
    np.testing.assert_allclose(out["score"], exp, rtol=1e-12)


def test_bare_number_without_direction_is_read_as_equal_and_flagged():
    r = one(None, 100, 90, 10)
    assert r["direction"] == "=" and r["score"] == pytest.approx(9.0)
    assert "direction_assumed" in r["flags"]
    z = one(None, 0, 0, 10)
    assert z["rule"] == "equal_zero_met"
