"""Dual monitoring (双监控): lights, checkpoints, gap, forecasts and handling, computed by hand."""
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import expit, logit

from perfkit.cycle.monitoring import (PROJECT_COLUMNS, indicator_attainment, monitor,
                                      time_progress, traffic_light)
from perfkit.errors import InputError
from perfkit.model.workbook import Workbook

YEAR = 2024


def project(pid, *, dept="区教委", year=YEAR, name=None):
    return {"project_id": pid, "year": year, "name": name or f"项目{pid}", "department_id": dept,
            "department": dept, "implementing_unit": "单位", "budget_type": "一般公共预算",
            "sector": "教育"}


def budget(pid, adjusted=100.0, *, year=YEAR, executed=0.0):
    return {"project_id": pid, "year": year, "source": "当年财政拨款", "initial": adjusted,
            "adjusted": adjusted, "executed": executed}


def months(pid, cum, *, year=YEAR):
    """cum: {month: cumulative payments}"""
    return [{"project_id": pid, "year": year, "month": m, "cumulative_executed": v}
            for m, v in cum.items()]


def ind(pid, t, a, *, direction="≥", year=YEAR, level3=None, **kw):
    return {"project_id": pid, "year": year, "level1": "产出指标", "level2": "数量指标",
            "level3": level3 or f"指标{t}-{a}", "direction": direction,
            "kind": "定性" if direction == "定性" else "定量", "target_value": t,
            "actual_value": a, **kw}


def book(projects, budgets, monthly, indicators=()):
    return Workbook.from_frames({"projects": pd.DataFrame(projects),
                                 "budget": pd.DataFrame(budgets),
                                 "monthly": pd.DataFrame(monthly),
                                 "indicators": pd.DataFrame(list(indicators), columns=[
                                     "project_id", "year", "level1", "level2", "level3",
                                     "direction", "kind", "target_value", "actual_value"])},
                                source="m.xlsx")


def linear(total, upto):
    return {m: total * m / upto for m in range(1, upto + 1)}


# --- time progress and lights ------------------------------------------------------------------

def test_time_progress_month_and_day():
    assert time_progress(YEAR, 6) == 0.5
    assert time_progress(YEAR, 12) == 1.0
    assert time_progress(YEAR, 2, basis="day") == pytest.approx(60 / 366)   # leap year
    assert time_progress(2023, 6, basis="day") == pytest.approx(181 / 365)
    with pytest.raises(InputError, match="month"):
        time_progress(YEAR, 13)


@pytest.mark.parametrize("month,cum,ratio,light", [
    (6, 30.0, 0.60, "yellow"),       # exactly 0.60 → yellow
    (6, 29.995, 0.5999, "red"),      # 0.5999 → red
    (6, 40.0, 0.80, "green"),        # exactly 0.80 → green
    (6, 39.995, 0.7999, "yellow"),
    (7, 35.0, 0.60, "yellow"),       # 35/100 ÷ 7/12 = 0.6 (inexact time progress)
    (9, 60.0, 0.80, "green"),        # 0.6 ÷ 0.75
    (3, 0.0, 0.0, "red"),
])
def test_light_boundaries(month, cum, ratio, light):
    wb = book([project("P1")], [budget("P1")], months("P1", {month: cum}))
    row = monitor(wb, month=month).to_frame().iloc[0]
    assert row["progress_ratio"] == pytest.approx(ratio, abs=1e-12)
    assert row["light"] == light
    assert row["execution_rate"] == pytest.approx(cum / 100)
    assert row["time_progress"] == pytest.approx(month / 12)


def test_traffic_light_vectorised_and_profile_thresholds():
    assert list(traffic_light([0.5999, 0.6, 0.7999, 0.8, np.nan], red_below=0.6,
                              yellow_below=0.8)) == ["red", "yellow", "yellow", "green", None]
    wb = book([project("P1")], [budget("P1")], months("P1", {6: 35.0}))
    from perfkit.rules import load_profile
    strict = load_profile("national").with_overrides(
        {"monitoring.light": {"red_below": 0.75, "yellow_below": 0.9}})
    assert monitor(wb, strict, month=6).to_frame()["light"].iloc[0] == "red"   # R = 0.7
    assert monitor(wb, month=6).to_frame()["light"].iloc[0] == "yellow"


def test_day_based_time_progress():
    from perfkit.rules import load_profile
    prof = load_profile("national").with_overrides({"monitoring.time_progress": "day"})
    wb = book([project("P1")], [budget("P1", 366.0)], months("P1", {2: 60.0}))
    row = monitor(wb, prof, month=2).to_frame().iloc[0]
    assert row["time_progress"] == pytest.approx(60 / 366)
    assert row["progress_ratio"] == pytest.approx((60 / 366) / (60 / 366))
    assert row["light"] == "green"


# --- checkpoints -----------------------------------------------------------------------------

def test_checkpoints_sichuan2025():
    wb = book([project(p) for p in ("A", "B", "C")],
              [budget(p) for p in ("A", "B", "C")],
              months("A", {4: 24.0, 6: 45.0})        # April missed (24 < 25), June met
              + months("B", {4: 25.0, 6: 39.0})      # April exactly 25% met, June missed
              + months("C", {4: 30.0, 6: 41.0}))     # both met
    f = monitor(wb, "sichuan2025", month=6).to_frame().set_index("project_id")
    assert f.loc["A", "checkpoint_month"] == 6 and f.loc["A", "checkpoint_threshold"] == 0.40
    assert not f.loc["A", "checkpoint_missed"] and f.loc["A", "checkpoints_missed"] == "4"
    assert f.loc["B", "checkpoint_missed"] and f.loc["B", "checkpoints_missed"] == "6"
    assert not f.loc["C", "checkpoint_missed"] and f.loc["C", "checkpoints_missed"] == ""
    assert "checkpoint_missed" in f.loc["B", "flag_codes"]
    # month 5: the latest checkpoint is April; A missed it (carry-forward of April to May)
    f5 = monitor(wb, "sichuan2025", month=5).to_frame().set_index("project_id")
    assert f5.loc["A", "checkpoint_month"] == 4 and f5.loc["A", "checkpoint_missed"]
    assert not f5.loc["B", "checkpoint_missed"]
    # month 3: no checkpoint yet; national: none at all
    f3 = monitor(wb, "sichuan2025", month=3).to_frame()
    assert f3["checkpoint_month"].isna().all() and not f3["checkpoint_missed"].any()
    fn = monitor(wb, "national", month=6).to_frame()
    assert fn["checkpoint_month"].isna().all() and not fn["checkpoint_missed"].any()
    pr = monitor(wb, "sichuan2025", month=6).project("A")
    assert [c["missed"] for c in pr.checkpoints] == [True, False]
    assert pr.checkpoints[0]["execution_rate"] == pytest.approx(0.24)


# --- target attainment vs budget execution -----------------------------------------------------

def test_indicator_attainment_rules():
    df = pd.DataFrame([ind("P", 100, 60), ind("P", 100, 150), ind("P", 30, 40, direction="≤"),
                       ind("P", 30, 20, direction="≤"), ind("P", 0, 0, direction="="),
                       ind("P", 0, 2, direction="="), ind("P", None, None, direction="定性")])
    a = indicator_attainment(df)
    assert a.iloc[:6].tolist() == pytest.approx([0.6, 1.0, 0.75, 1.0, 1.0, 0.0])
    assert np.isnan(a.iloc[6])


def test_gap_flag_by_hand():
    wb = book([project(p) for p in ("A", "B", "C", "D")],
              [budget(p) for p in ("A", "B", "C", "D")],
              months("A", {6: 30.0}) + months("B", {6: 30.0}) + months("C", {6: 60.0})
              + months("D", {6: 30.0}),
              [ind("A", 100, 60), ind("A", 100, 80),          # mean 0.70 vs 0.30 → +40 pp
               ind("B", 100, 40), ind("B", 50, 20),           # mean 0.40 vs 0.30 → +10 pp
               ind("B", None, None, direction="定性"),         # qualitative: not in the mean
               ind("C", 100, 30),                             # 0.30 vs 0.60 → −30 pp
               ind("D", None, None, direction="定性")])       # no quantitative indicator
    f = monitor(wb, month=6).to_frame().set_index("project_id")
    assert f.loc["A", "attainment"] == pytest.approx(0.7)
    assert f.loc["A", "gap_pp"] == pytest.approx(40) and f.loc["A", "gap_flag"]
    assert f.loc["B", "gap_pp"] == pytest.approx(10) and not f.loc["B", "gap_flag"]   # not > 10
    assert f.loc["B", "n_quantitative"] == 2
    assert f.loc["C", "gap_pp"] == pytest.approx(-30) and f.loc["C", "gap_flag"]      # |gap|
    assert np.isnan(f.loc["D", "gap_pp"]) and not f.loc["D", "gap_flag"]
    assert "no_quantitative_indicators" in f.loc["D", "flag_codes"]
    from perfkit.rules import load_profile
    ahead = load_profile("national").with_overrides({"monitoring.gap_mode": "attainment_ahead"})
    fa = monitor(wb, ahead, month=6).to_frame().set_index("project_id")
    assert fa.loc["A", "gap_flag"] and not fa.loc["C", "gap_flag"]


# --- forecasts ---------------------------------------------------------------------------------

def test_run_rate_forecast_by_hand():
    wb = book([project("P1")], [budget("P1", 200.0)], months("P1", {1: 10.0, 2: 25.0, 3: 35.0,
                                                                     4: 50.0}))
    f = monitor(wb, month=4, forecast="run_rate").to_frame().iloc[0]
    assert f["run_rate_forecast"] == pytest.approx(0.25 * 12 / 4)      # 0.75
    assert f["forecast"] == pytest.approx(0.75) and np.isnan(f["forecast_lower"])
    assert f["forecast_method"] == "run_rate"
    assert f["likelihood"] == "有可能"                                    # no interval
    assert "forecast_without_interval" in f["flag_codes"]
    assert f["forecast_unspent"] == pytest.approx(200 * 0.25)
    # auto with no history and 2 months → run-rate as well; it is not capped in its own column
    wb2 = book([project("P1")], [budget("P1")], months("P1", {1: 40.0, 2: 90.0}))
    f2 = monitor(wb2, month=2).to_frame().iloc[0]
    assert f2["forecast_method"] == "run_rate"
    assert f2["run_rate_forecast"] == pytest.approx(5.4) and f2["forecast"] == pytest.approx(1.0)


def test_drift_forecast_matches_statsmodels_ols():
    import statsmodels.api as sm
    cum = {1: 4.0, 2: 11.0, 3: 15.0, 4: 24.0, 5: 28.0, 6: 36.0}
    wb = book([project("P1")], [budget("P1")], months("P1", cum))
    r = monitor(wb, month=6)
    assert r.forecast_model["method"] == "drift"
    f = r.to_frame().iloc[0]
    inc = np.diff([0.0] + [v / 100 for v in cum.values()])
    ols = sm.OLS(inc, np.ones((6, 1))).fit()
    h = 6
    mu, s2, se_mu = ols.params[0], ols.scale, ols.bse[0]
    q = stats.t.ppf(0.95, 5)
    half = q * np.sqrt(h * s2 + h ** 2 * se_mu ** 2)
    assert f["forecast"] == pytest.approx(0.36 + h * mu) == pytest.approx(f["run_rate_forecast"])
    assert f["forecast_lower"] == pytest.approx(0.36 + h * mu - half)
    assert f["forecast_upper"] == pytest.approx(0.36 + h * mu + half)


def synthetic(rng, years, n, month, alpha=0.8, beta=1.3, sigma=0.35):
    """Final share y from logit(y) = α + β·logit(x_m) + σε; payments linear within each half."""
    P, B, M = [], [], []
    truth = {}
    for y in years:
        for j in range(n):
            pid = f"P{j:02d}"
            base = 50.0 + 5 * j
            x = rng.beta(3, 5)
            fin = max(float(expit(alpha + beta * logit(x) + sigma * rng.normal())), x)
            P.append(project(pid, dept=f"D{j % 3}", year=y))
            B.append(budget(pid, base, year=y, executed=fin * base))
            cum = {m: (x * m / month if m <= month else x + (fin - x) * (m - month) / (12 - month))
                   * base for m in range(1, 13)}
            M += months(pid, cum, year=y)
            truth[(pid, y)] = fin
    return P, B, M, truth


def test_pooled_forecast_interval_contains_truth():
    rng = np.random.default_rng(20240601)
    P, B, M, truth = synthetic(rng, [2021, 2022, 2023, 2024], 40, 6)
    wb = book(P, B, M)
    r = monitor(wb, year=2024, month=6)
    fm = r.forecast_model
    assert fm["method"] == "pooled" and fm["n_history"] == 120
    assert fm["history_years"] == [2021, 2022, 2023]
    assert fm["params"]["beta"] == pytest.approx(1.3, abs=0.25)
    f = r.to_frame().set_index("project_id")
    y = np.array([truth[(p, 2024)] for p in f.index])
    inside = (f["forecast_lower"] <= y + 1e-12) & (y <= f["forecast_upper"] + 1e-12)
    assert inside.mean() >= 0.8                      # nominal 90%
    assert (f["forecast_lower"] <= f["forecast"]).all()
    assert (f["forecast"] <= f["forecast_upper"]).all()
    assert (f["forecast_lower"] >= f["execution_rate"] - 1e-12).all()
    # the point forecast by hand: OLS on the clipped logits, mapped back
    hist = [(truth[(f"P{j:02d}", yy)], yy, j) for yy in (2021, 2022, 2023) for j in range(40)]
    xs = np.array([next(m["cumulative_executed"] for m in M if m["project_id"] == f"P{j:02d}"
                        and m["year"] == yy and m["month"] == 6) / (50.0 + 5 * j)
                   for _, yy, j in hist])
    ys = np.array([h[0] for h in hist])
    c = 0.005
    X = np.column_stack([np.ones_like(xs), logit(np.clip(xs, c, 1 - c))])
    coef = np.linalg.lstsq(X, logit(np.clip(ys, c, 1 - c)), rcond=None)[0]
    e = f["execution_rate"].to_numpy()
    by_hand = np.maximum(expit(coef[0] + coef[1] * logit(np.clip(e, c, 1 - c))), e)
    assert f["forecast"].to_numpy() == pytest.approx(by_hand, rel=1e-9)
    # the pooled forecast beats the naive run-rate on this seasonal pattern
    err_model = np.abs(f["forecast"] - y).mean()
    err_naive = np.abs(np.minimum(f["run_rate_forecast"], 1) - y).mean()
    assert err_model < err_naive


def test_month_12_is_the_actual_and_handling_rules():
    wb = book([project(p) for p in ("A", "B", "C")], [budget(p) for p in ("A", "B", "C")],
              months("A", {12: 95.0}) + months("B", {12: 70.0}) + months("C", {12: 40.0}))
    f = monitor(wb, month=12).to_frame().set_index("project_id")
    assert (f["forecast_method"] == "actual").all()
    assert f.loc["A", ["forecast", "forecast_lower", "forecast_upper"]].tolist() == [0.95] * 3
    assert (f.loc["A", "likelihood"], f.loc["A", "handling"]) == ("确定能", "继续执行")
    # B: yellow (0.70), upper 0.70 < 0.90 → 不可能 → 调剂
    assert (f.loc["B", "light"], f.loc["B", "likelihood"], f.loc["B", "handling"]) == \
        ("yellow", "不可能", "调剂")
    # C: red (0.40) and upper 0.40 < 0.50 → 暂缓或停止拨款
    assert (f.loc["C", "light"], f.loc["C", "handling"]) == ("red", "暂缓或停止拨款")
    assert "deviation_analysis_required" in f.loc["B", "flag_codes"]
    assert "deviation_analysis_required" not in f.loc["A", "flag_codes"]


def test_red_light_with_certain_forecast_continues_and_checkpoint_miss_reallocates():
    # pooled history where everyone ends at 100%: a slow start is still 确定能
    P, B, M = [], [], []
    for y in (2022, 2023):
        for j in range(5):
            pid = f"H{j}"
            P.append(project(pid, year=y))
            B.append(budget(pid, year=y, executed=100.0))
            M += months(pid, {4: 5.0 + 5 * j, 12: 100.0}, year=y)
    P += [project("A"), project("B")]
    B += [budget("A"), budget("B")]
    M += months("A", {4: 10.0}) + months("B", {4: 20.0})
    r = monitor(book(P, B, M), "sichuan2025", month=4, project_ids=["A", "B"])
    f = r.to_frame().set_index("project_id")
    assert r.forecast_model["method"] == "pooled" and list(f.index) == ["A", "B"]
    assert f.loc["A", "light"] == "red" and f.loc["A", "likelihood"] == "确定能"
    assert f.loc["A", "forecast_upper"] == 1.0
    # 确定能 overrides the red light and the missed April checkpoint (10% < 25%)
    assert f.loc["A", "checkpoint_missed"] and f.loc["A", "handling"] == "继续执行"


# --- flags, results, dashboard ------------------------------------------------------------------

def test_data_quality_flags():
    wb = book([project(p) for p in ("A", "B", "C", "D")], [budget(p) for p in "ABCD"],
              months("A", {1: 10.0, 2: 20.0, 3: 30.0})          # month 4 not reported
              + months("B", {1: 10.0, 2: 8.0, 3: 12.0, 4: 40.0})  # decrease in month 2
              + months("C", {1: 50.0, 2: 90.0, 3: 105.0, 4: 110.0}))  # D: no data at all
    f = monitor(wb, month=4).to_frame().set_index("project_id")
    assert "month_not_reported" in f.loc["A", "flag_codes"]
    assert f.loc["A", "executed_to_date"] == 30.0
    assert "cumulative_decreases" in f.loc["B", "flag_codes"]
    assert "execution_above_budget" in f.loc["C", "flag_codes"]
    assert f.loc["C", "forecast"] == pytest.approx(1.1)   # floored at E_m
    assert "no_monthly_data" in f.loc["D", "flag_codes"]
    assert f.loc["D", "execution_rate"] == 0 and f.loc["D", "light"] == "red"


def test_to_frame_columns_project_dict_and_dashboard():
    wb = book([project("A", dept="区教委"), project("B", dept="区教委"),
               project("C", dept="区卫生健康委")],
              [budget("A", 100.0), budget("B", 200.0), budget("C", 50.0)],
              months("A", linear(20.0, 6)) + months("B", linear(70.0, 6))
              + months("C", linear(25.0, 6)),
              [ind("A", 100, 50), ind("B", 10, 5), ind("C", 1, 1)])
    r = monitor(wb, month=6)
    f = r.to_frame()
    assert list(f.columns) == list(PROJECT_COLUMNS)
    # lights: A 0.2/0.5 = 0.4 red; B 0.35/0.5 = 0.7 yellow; C 0.5/0.5 = 1 green
    assert f["light"].tolist() == ["red", "yellow", "green"]
    d = r.dashboard()
    assert d["department"].tolist() == ["区卫生健康委", "区教委", "合计"]
    tot = d.set_index("department").loc["合计"]
    assert (tot["n_projects"], tot["n_red"], tot["n_yellow"], tot["n_green"]) == (3, 1, 1, 1)
    assert tot["budget"] == 350 and tot["executed_to_date"] == pytest.approx(115)
    assert tot["execution_rate"] == pytest.approx(115 / 350)
    assert tot["budget_red"] == 100
    edu = d.set_index("department").loc["区教委"]
    assert edu["n_projects"] == 2 and edu["budget_red"] == 100
    assert tot["forecast_unspent"] == pytest.approx(f["forecast_unspent"].sum())
    by_light = r.dashboard("light").set_index("light")
    assert by_light.loc["red", "n_projects"] == 1 and by_light.loc["合计", "n_projects"] == 3
    with pytest.raises(InputError, match="by"):
        r.dashboard("colour")

    p = r.project("A")
    d = p.to_dict()
    text = json.dumps(d, ensure_ascii=False)          # JSON-safe
    assert d["execution"]["light"] == "red" and d["execution"]["rate"] == pytest.approx(0.2)
    assert len(d["series"]) == 6 and d["series"][5]["execution_rate"] == pytest.approx(0.2)
    assert d["forecast"]["method"] == "drift" and d["forecast"]["lower"] <= d["forecast"]["point"]
    assert d["forecast"]["run_rate"] == pytest.approx(0.4)
    assert d["deviation_reasons"]["categories"] == ["经费保障", "制度保障", "人员保障",
                                                    "硬件条件保障", "其他"]
    assert d["deviation_reasons"]["selected"] == []
    assert d["indicators"][0]["attainment"] == pytest.approx(0.5)
    # a perfectly linear series: zero spread, so the interval is the run-rate point 0.4
    assert d["likelihood"] == "不可能" and d["handling"] == "暂缓或停止拨款"
    assert d["handling_en"] == "suspend or stop funding" and "暂缓或停止拨款" in text
    assert "sha256:" in d["profile"]["hash"]
    json.dumps(r.to_dict(), ensure_ascii=False)
    assert "lights: red 1, yellow 1, green 1" in r.summary()
    with pytest.raises(InputError, match="no project"):
        r.project("Z")


def test_input_errors():
    wb = book([project("A"), project("B")], [budget("A"), budget("B", 0.0)],
              months("A", {1: 1.0}) + months("B", {1: 1.0}))
    with pytest.raises(InputError, match="month"):
        monitor(wb, month=0)
    with pytest.raises(InputError, match="positive adjusted budget") as e:
        monitor(wb, month=1)
    assert e.value.problem.row == 3 and e.value.problem.file == "m.xlsx"
    dup = book([project("A")], [budget("A")], months("A", {1: 1.0}) + months("A", {1: 2.0}))
    with pytest.raises(InputError, match="more than one row"):
        monitor(dup, month=1)
    none = book([project("A")], [budget("A")], months("A", {1: 1.0}, year=2023))
    with pytest.raises(InputError, match="no rows for 2024"):
        monitor(none, month=1)
    with pytest.raises(InputError, match="forecast"):
        monitor(book([project("A")], [budget("A")], months("A", {1: 1.0})), month=1,
                forecast="arima")


def test_handling_uses_the_point_forecast_for_red_lights():
    rng = np.random.default_rng(7)
    P, B, M, _ = synthetic(rng, [2022, 2023, 2024], 30, 6)
    wb = book(P, B, M)
    f = monitor(wb, month=6).to_frame()
    red = f[(f["light"] == "red") & (f["forecast_upper"] > f["forecast_lower"] + 0.05)
            & (f["forecast_upper"] >= 0.5)].iloc[0]
    lo, pt, hi = red["forecast_lower"], red["forecast"], red["forecast_upper"]
    from perfkit.rules import load_profile
    base = load_profile("national")
    # τ between the lower bound and the point: 有可能, point ≥ τ → 继续执行 despite the red light
    r1 = monitor(wb, base.with_overrides({"monitoring.likelihood_target": (lo + pt) / 2}),
                 month=6, project_ids=[red["project_id"]]).to_frame().iloc[0]
    assert (r1["likelihood"], r1["handling"]) == ("有可能", "继续执行")
    # τ between the point and the upper bound: 有可能, point < τ → 调剂
    r2 = monitor(wb, base.with_overrides({"monitoring.likelihood_target": (pt + hi) / 2}),
                 month=6, project_ids=[red["project_id"]]).to_frame().iloc[0]
    assert (r2["likelihood"], r2["handling"]) == ("有可能", "调剂")
    # τ above the upper bound: 不可能 → 调剂 (suspension only below suspend_below = 0.5)
    r3 = monitor(wb, base.with_overrides({"monitoring.likelihood_target": min(1.0, hi + 0.01)}),
                 month=6, project_ids=[red["project_id"]]).to_frame().iloc[0]
    assert (r3["likelihood"], r3["handling"]) == ("不可能", "调剂")
    r4 = monitor(wb, base.with_overrides({"monitoring.suspend_below": hi + 0.01}),
                 month=6, project_ids=[red["project_id"]]).to_frame().iloc[0]
    assert r4["handling"] == "暂缓或停止拨款"


# --- indicator progress snapshots (指标监控) ----------------------------------------------------

def snap(pid, level3, month, progress, *, expected=None, likelihood=None, reason=None,
         analysis=None, measures=None, year=YEAR):
    return {"project_id": pid, "year": year, "month": month, "level1": "产出指标",
            "level2": "数量指标", "level3": level3, "progress": progress, "expected": expected,
            "likelihood": likelihood, "deviation_reason": reason,
            "deviation_analysis": analysis, "measures": measures}


def progress_book(snaps=None):
    """A 100 万元, B 100, C 100; 30 paid by the end of June (E_6 = 0.30) each."""
    wb = book([project(p) for p in "ABC"], [budget(p) for p in "ABC"],
              months("A", {6: 30.0}) + months("B", {6: 30.0}) + months("C", {6: 30.0}),
              [ind("A", 100, 100, level3="a1"), ind("A", 200, 200, level3="a2"),
               ind("A", 95, 96, level3="a3", unit="%"),                 # a rate
               ind("A", 50, 40, level3="a4", direction="≤"),            # a ceiling
               ind("B", 100, 100, level3="b1"), ind("B", 10, 10, level3="b2"),
               ind("C", 100, 100, level3="c1")])
    frames = dict(wb.tables)
    frames["indicators"] = frames["indicators"].assign(
        unit=[None, None, "%", "万元", None, None, None])
    if snaps is not None:
        frames["indicator_progress"] = pd.DataFrame(snaps)
    return Workbook.from_frames(frames, source="m.xlsx")


SNAPS = [snap("A", "a1", 3, 10), snap("A", "a1", 6, 35), snap("A", "a1", 9, 70),
         snap("A", "a2", 6, 60, expected=150, likelihood="确定能"),   # says certain, expects less
         snap("A", "a3", 6, "97%"),
         snap("B", "b1", 6, 5, expected=60, reason="经费保障", analysis="上级资金未到位",
              measures="加快拨付"),                                       # b2: no snapshot
         snap("C", "c1", 9, 80)]                                         # only after June


def test_snapshot_progress_gap_by_hand():
    r = monitor(progress_book(SNAPS), month=6)
    assert r.progress_source == "indicator_progress" and r.progress_months == (3, 6, 9)
    f = r.to_frame().set_index("project_id")
    i = r.indicators.set_index("level3")
    # latest snapshot ≤ 6: a1 35/100 (not 70 of September, not 10 of March), a2 60/200
    assert i.loc["a1", "progress_month"] == 6 and i.loc["a1", "attainment"] == pytest.approx(0.35)
    assert i.loc["a2", "attainment"] == pytest.approx(0.30)
    # the rate (97% of ≥95%) and the ceiling are assessed but not in the gap (cumulative)
    assert i.loc["a3", "attainment"] == 1.0 and not i.loc["a3", "in_gap"]
    assert not i.loc["a4", "in_gap"] and np.isnan(i.loc["a4", "attainment"])   # no snapshot
    # A: mean(0.35, 0.30) = 0.325 vs 0.30 → +2.5 pp, not flagged
    assert f.loc["A", "attainment"] == pytest.approx(0.325)
    assert f.loc["A", "gap_pp"] == pytest.approx(2.5) and not f.loc["A", "gap_flag"]
    assert f.loc["A", "n_quantitative"] == 2 and f.loc["A", "n_no_progress"] == 0
    # B: b1 5/100 = 0.05 vs 0.30 → −25 pp, flagged; b2 has no snapshot: stated, left out
    assert f.loc["B", "attainment"] == pytest.approx(0.05)
    assert f.loc["B", "gap_pp"] == pytest.approx(-25) and f.loc["B", "gap_flag"]
    assert f.loc["B", "n_no_progress"] == 1 and "no_progress_snapshot" in f.loc["B", "flag_codes"]
    # C: its only snapshot is of September: no attainment at the end of June, no gap check
    assert np.isnan(f.loc["C", "attainment"]) and not f.loc["C", "gap_flag"]
    assert f.loc["C", "n_no_progress"] == 1 and np.isnan(f.loc["C", "progress_month"])
    assert {"no_progress_snapshot", "no_quantitative_indicators"} <= set(
        f.loc["C", "flag_codes"].split(";"))
    # the year-end actual_value (100 = the target) is not used as progress
    assert np.isnan(i.loc["c1", "progress_value"]) and i.loc["c1", "actual_value"] == 100


def test_snapshot_likelihood_and_deviation_analysis():
    r = monitor(progress_book(SNAPS), month=6)
    i = r.indicators.set_index("level3")
    # b1 expects 60 of 100: 不可能 (no stated likelihood); a2 states 确定能 but expects 150 of 200
    assert i.loc["b1", "expected_attainment"] == pytest.approx(0.6)
    assert i.loc["b1", "likelihood"] == "不可能" and not i.loc["b1", "likelihood_inconsistent"]
    assert i.loc["a2", "likelihood"] == "确定能" and i.loc["a2", "likelihood_inconsistent"]
    f = r.to_frame().set_index("project_id")
    assert f.loc["B", "target_likelihood"] == "不可能" and f.loc["B", "n_at_risk"] == 1
    assert f.loc["A", "target_likelihood"] == "确定能" and f.loc["A", "n_at_risk"] == 0
    assert pd.isna(f.loc["C", "target_likelihood"])             # none assessed
    assert "likelihood_inconsistent" in f.loc["A", "flag_codes"]
    assert "indicators_at_risk" in f.loc["B", "flag_codes"]
    assert "deviation_reason_missing" not in f.loc["B", "flag_codes"]   # reason and measures
    d = r.project("B").to_dict()
    assert d["deviation_reasons"]["selected"] == ["经费保障"]
    assert d["deviation_reasons"]["analysis"] == "上级资金未到位"
    assert d["deviation_reasons"]["measures"] == "加快拨付"
    assert d["attainment"]["source"] == "indicator_progress"
    # without a reason or measures the at-risk indicator is flagged
    bare = [s if s["level3"] != "b1" else snap("B", "b1", 6, 5, expected=60) for s in SNAPS]
    fb = monitor(progress_book(bare), month=6).to_frame().set_index("project_id")
    assert "deviation_reason_missing" in fb.loc["B", "flag_codes"]
    json.dumps(r.to_dict(), ensure_ascii=False)
    assert r.to_dict()["progress_source"] == "indicator_progress"


def test_gap_over_every_quantitative_indicator_by_profile():
    from perfkit.rules import load_profile
    prof = load_profile("national").with_overrides(
        {"monitoring.gap_indicators": "quantitative"})
    f = monitor(progress_book(SNAPS), prof, month=6).to_frame().set_index("project_id")
    # a1 0.35, a2 0.30, a3 1.0 (the rate counts now; a4 has no snapshot) → 0.55 vs 0.30
    assert f.loc["A", "attainment"] == pytest.approx(0.55)
    assert f.loc["A", "gap_pp"] == pytest.approx(25) and f.loc["A", "gap_flag"]
    bad = load_profile("national").with_overrides({"monitoring.gap_indicators": "all"})
    from perfkit.errors import RuleError
    with pytest.raises(RuleError, match="gap_indicators"):
        monitor(progress_book(SNAPS), bad, month=6)


def test_without_snapshots_the_actual_value_is_progress():
    for wb in (progress_book(None), progress_book([snap("A", "a1", 6, 35, year=2023)])):
        r = monitor(wb, month=6)                    # no table, or no row for the year
        assert r.progress_source == "actual_value" and r.progress_months == ()
        f = r.to_frame().set_index("project_id")
        # year-end actuals read as progress: A's a1 and a2 at 100% → +70 pp
        assert f.loc["A", "attainment"] == pytest.approx(1.0)
        assert f.loc["A", "gap_pp"] == pytest.approx(70) and f.loc["A", "gap_flag"]
        assert (f["n_no_progress"] == 0).all() and f["progress_month"].isna().all()


def test_duplicated_snapshot_is_an_error():
    dup = SNAPS + [snap("A", "a1", 6, 36)]
    with pytest.raises(InputError, match="more than one row for 2024-06") as e:
        monitor(progress_book(dup), month=6)
    assert e.value.problem.file == "m.xlsx" and e.value.problem.column == "月份"
