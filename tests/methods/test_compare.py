"""Tests for perfkit.methods.compare (比较法).

Reference values come from R (tests/reference/compare/*/make.R); R is not needed here.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from perfkit.errors import IdentityError, InputError, MethodError
from perfkit.methods.compare import (did, mann_whitney, peer_comparison, target_vs_actual,
                                     welch_t, wilcoxon_signed_rank, year_on_year)

REF = Path(__file__).resolve().parents[1] / "reference" / "compare"


# --------------------------------------------------------------------------------------------
# target vs actual
# --------------------------------------------------------------------------------------------
def test_target_vs_actual_values_and_labels():
    t = pd.Series({"覆盖人数": 1000.0, "单位成本": 50.0, "完成率": 0.9, "投诉": 0.0})
    a = pd.Series({"投诉": 2.0, "覆盖人数": 900.0, "单位成本": 40.0, "完成率": 0.95})
    r = target_vs_actual(t, a, direction={"覆盖人数": "higher", "单位成本": "lower",
                                          "完成率": "≥", "投诉": "逆向"})
    tab = r.table
    assert list(tab.index) == list(t.index)  # target order kept, actual aligned by label
    assert tab.loc["覆盖人数", "attainment"] == pytest.approx(0.9, rel=1e-15)
    assert tab.loc["单位成本", "attainment"] == pytest.approx(50 / 40, rel=1e-15)
    assert tab.loc["完成率", "gap"] == pytest.approx(0.05, rel=1e-12)
    assert tab.loc["覆盖人数", "gap_pct"] == pytest.approx(-0.1, rel=1e-12)
    # lower-is-better with zero target: attainment 0/2 = 0, not met, gap_pct undefined
    assert tab.loc["投诉", "attainment"] == 0.0
    assert np.isnan(tab.loc["投诉", "gap_pct"])
    assert list(tab["met"]) == [False, True, True, False]
    assert (r.n, r.n_met, r.n_missing) == (4, 2, 0)
    assert r.share_met == 0.5
    d = r.to_dict()
    assert d["table"][0]["met"] is False and json.dumps(d, ensure_ascii=False)


@pytest.mark.parametrize("t, a, direction, att, met", [
    (0.0, 5.0, "higher", np.nan, True),       # zero target: ratio undefined, never inf
    (-2.0, 1.0, "higher", np.nan, True),      # negative target: ratio undefined
    (10.0, 0.0, "lower", np.nan, True),       # zero actual, lower better: ratio undefined
    (10.0, 10.0, "higher", 1.0, True),        # boundary counts as met
    (10.0, 10.0, "lower", 1.0, True),
    (10.0, 12.0, "lower", 10 / 12, False),
    (np.nan, 3.0, "higher", np.nan, None),    # not reported: met is NA
])
def test_target_vs_actual_edge_cases(t, a, direction, att, met):
    r = target_vs_actual([t], [a], direction=direction)
    row = r.table.iloc[0]
    if np.isnan(att):
        assert np.isnan(row["attainment"])
    else:
        assert row["attainment"] == pytest.approx(att, rel=1e-15)
    if met is None:
        assert row["met"] is pd.NA and r.n_missing == 1 and np.isnan(r.share_met)
    else:
        assert bool(row["met"]) is met


@pytest.mark.parametrize("kwargs, arg", [
    (dict(target=[1, 2], actual=[1]), "actual"),
    (dict(target=[1, "x"], actual=[1, 2]), "target"),
    (dict(target=[1, np.inf], actual=[1, 2]), "target"),
    (dict(target=[1, 2], actual=[1, 2], direction="up"), "direction"),
    (dict(target=[1, 2], actual=[1, 2], direction=["higher"]), "direction"),
    (dict(target=pd.Series([1, 2], index=["a", "b"]),
          actual=pd.Series([1, 2], index=["a", "c"])), "actual"),
    (dict(target=[], actual=[]), "target"),
])
def test_target_vs_actual_bad_arguments(kwargs, arg):
    with pytest.raises(InputError) as e:
        target_vs_actual(**kwargs)
    assert e.value.argument == arg


# --------------------------------------------------------------------------------------------
# year on year
# --------------------------------------------------------------------------------------------
def test_year_on_year_changes_and_gaps():
    panel = pd.DataFrame({"单位": ["A", "A", "A", "B", "B", "C"],
                          "年度": [2022, 2020, 2021, 2020, 2022, 2021],
                          "支出": [12.0, 0.0, 10.0, -4.0, 5.0, 7.0]})
    r = year_on_year(panel, unit="单位", period="年度", value="支出")
    t = r.table
    assert list(t.columns) == ["单位", "年度", "支出", "prev_period", "prev_value", "change",
                               "pct_change"]
    assert list(zip(t["单位"], t["年度"])) == [("A", 2020), ("A", 2021), ("A", 2022),
                                              ("B", 2020), ("B", 2022), ("C", 2021)]
    a21 = t.iloc[1]
    assert a21["change"] == 10.0 and np.isnan(a21["pct_change"])   # zero base: NaN, not inf
    assert t.iloc[2]["pct_change"] == pytest.approx(0.2, rel=1e-15)
    assert np.isnan(t.iloc[4]["change"])          # B lacks 2021: no silent two-year change
    assert np.isnan(t.iloc[5]["prev_value"])      # C has no 2020
    assert t["prev_period"].dtype == "Int64" and t.iloc[2]["prev_period"] == 2021
    assert r.periods == [2020, 2021, 2022] and r.n_units == 3


def test_year_on_year_negative_base_keeps_sign():
    p = pd.DataFrame({"u": ["x", "x"], "p": ["2023Q1", "2023Q2"], "v": [-10.0, -5.0]})
    t = year_on_year(p, unit="u", period="p", value="v").table
    assert t.iloc[1]["change"] == 5.0 and t.iloc[1]["pct_change"] == 0.5


@pytest.mark.parametrize("panel, kw, arg", [
    (pd.DataFrame({"u": [1, 1], "p": [1, 1], "v": [1.0, 2.0]}), {}, "panel"),      # duplicate
    (pd.DataFrame({"u": [1], "p": [1], "v": ["a"]}), {}, "value"),
    (pd.DataFrame({"u": [1], "p": [1], "v": [1.0]}), {"value": "missing"}, "value"),
    (pd.DataFrame({"u": [None], "p": [1], "v": [1.0]}), {}, "panel"),
    ([1, 2, 3], {}, "panel"),
])
def test_year_on_year_bad_arguments(panel, kw, arg):
    args = dict(unit="u", period="p", value="v")
    args.update(kw)
    with pytest.raises(InputError) as e:
        year_on_year(panel, **args)
    assert e.value.argument == arg


# --------------------------------------------------------------------------------------------
# peer comparison
# --------------------------------------------------------------------------------------------
def test_peer_comparison_groups_percentiles_and_z():
    v = pd.Series({"a": 1.0, "b": 2.0, "c": 2.0, "d": 5.0, "e": np.nan, "f": 3.0, "g": 7.0})
    g = {"a": "县", "b": "县", "c": "县", "d": "县", "e": "区", "f": "区", "g": "区"}
    r = peer_comparison(v, groups=g)
    t = r.table
    assert t.loc["a", "group_median"] == 2.0 and t.loc["a", "n_group"] == 4
    # mid-rank percentile equals scipy's percentileofscore(kind="mean")
    county = [1.0, 2.0, 2.0, 5.0]
    for k, x in zip("abcd", county):
        assert t.loc[k, "percentile_rank"] == pytest.approx(
            stats.percentileofscore(county, x, kind="mean"), rel=1e-14)
    assert list(t.loc[list("abcd"), "rank"]) == [4.0, 2.0, 2.0, 1.0]
    assert t.loc["d", "z_score"] == pytest.approx((5 - 2.5) / np.std(county, ddof=1), rel=1e-14)
    assert np.isnan(t.loc["e", "percentile_rank"]) and t.loc["f", "n_group"] == 2
    assert t.loc["g", "diff_median"] == 2.0
    lower = peer_comparison(v, groups=g, direction="lower").table
    assert lower.loc["a", "percentile_rank"] == 87.5 and lower.loc["a", "rank"] == 1.0


@pytest.mark.parametrize("values, expect_z_nan", [([4.0], True), ([3.0, 3.0, 3.0], True),
                                                  ([1.0, 2.0], False)])
def test_peer_comparison_single_and_constant_groups(values, expect_z_nan):
    t = peer_comparison(values).table
    assert (t["percentile_rank"].mean()) == pytest.approx(50.0)
    assert bool(t["z_score"].isna().all()) is expect_z_nan


def test_peer_comparison_bad_arguments():
    with pytest.raises(InputError, match="one entry per unit") as e:
        peer_comparison([1, 2, 3], groups=["a", "b"])
    assert e.value.argument == "groups"
    with pytest.raises(InputError) as e:
        peer_comparison([1, 2], direction="best")
    assert e.value.argument == "direction"
    with pytest.raises(InputError):
        peer_comparison(pd.Series([1, 2], index=["a", "b"]), groups=pd.Series({"a": "x"}))


# --------------------------------------------------------------------------------------------
# Welch t — R t.test
# --------------------------------------------------------------------------------------------
def _ref_welch():
    a = pd.read_csv(REF / "welch_t" / "a.csv")["a"]
    b = pd.read_csv(REF / "welch_t" / "b.csv")["b"]
    return a, b, pd.read_csv(REF / "welch_t" / "expected.csv")


@pytest.mark.parametrize("scenario", ["two_sided_95", "greater_90_mu05", "less_99"])
def test_welch_t_matches_r(scenario):
    a, b, exp = _ref_welch()
    e = exp.set_index("scenario").loc[scenario]
    r = welch_t(a, b, conf=e["conf"], alternative=e["alternative"], mu=e["mu"])
    assert (r.n_a, r.n_b) == (12, 14)    # the blank in b.csv is dropped, as R does
    for k in ("statistic", "df", "p_value", "mean_a", "mean_b", "hedges_g"):
        assert getattr(r, k) == pytest.approx(e[k], rel=1e-10), k
    for k in ("ci_low", "ci_high"):
        if np.isinf(e[k]):
            assert getattr(r, k) == e[k]
        else:
            assert getattr(r, k) == pytest.approx(e[k], rel=1e-10), k
    for k in ("g_ci_low", "g_ci_high"):
        assert getattr(r, k) == pytest.approx(e[k], abs=1e-8), k
    assert r.mean_diff == pytest.approx(e["mean_a"] - e["mean_b"], rel=1e-12)


def test_welch_t_edge_and_bad_arguments():
    with pytest.raises(MethodError, match="constant"):
        welch_t([1, 1, 1], [1, 1])
    with pytest.raises(InputError) as e:
        welch_t([1.0], [1.0, 2.0])
    assert e.value.argument == "a"
    with pytest.raises(InputError) as e:
        welch_t([1, 2], [1, 2], conf=1.5)
    assert e.value.argument == "conf"
    with pytest.raises(InputError) as e:
        welch_t([1, 2], [1, 2], alternative="bigger")
    assert e.value.argument == "alternative"
    # one sample constant, the other not: defined (Welch allows unequal variances)
    r = welch_t([2, 2, 2], [1, 2, 3])
    assert r.statistic == pytest.approx(0.0, abs=1e-15) and r.p_value == pytest.approx(1.0)


# --------------------------------------------------------------------------------------------
# Mann-Whitney — R wilcox.test(exact = FALSE, correct = TRUE)
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_mann_whitney_matches_r(alternative):
    a = pd.read_csv(REF / "mann_whitney" / "a.csv")["a"]
    b = pd.read_csv(REF / "mann_whitney" / "b.csv")["b"]
    e = pd.read_csv(REF / "mann_whitney" / "expected.csv").set_index("alternative").loc[
        alternative]
    r = mann_whitney(a, b, alternative=alternative)
    assert r.statistic == e["statistic"]
    assert r.p_value == pytest.approx(e["p_value"], rel=1e-10)
    assert r.rank_biserial == pytest.approx(e["rank_biserial"], rel=1e-12)
    assert r.ties and r.u_b == len(a) * len(b) - r.statistic


def test_mann_whitney_agrees_with_scipy_and_edges():
    x, y = [1.5, 2.5, 7.0, 9.0, 9.0], [0.5, 3.0, 3.0, 4.0]
    r = mann_whitney(x, y)
    s = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
    assert r.statistic == s.statistic and r.p_value == pytest.approx(s.pvalue, rel=1e-12)
    assert mann_whitney([5, 6], [1, 2]).rank_biserial == 1.0   # complete separation
    with pytest.raises(MethodError, match="tied"):
        mann_whitney([3, 3], [3, 3, 3])
    with pytest.raises(InputError) as e:
        mann_whitney([], [1, 2])
    assert e.value.argument == "a"


# --------------------------------------------------------------------------------------------
# Wilcoxon signed rank — R wilcox.test(paired = TRUE, exact = FALSE, correct = TRUE)
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scenario", ["paired_two-sided", "paired_greater", "paired_less",
                                      "one_sample_mu1"])
def test_wilcoxon_signed_rank_matches_r(scenario):
    pairs = pd.read_csv(REF / "wilcoxon_signed_rank" / "pairs.csv")
    e = pd.read_csv(REF / "wilcoxon_signed_rank" / "expected.csv").set_index("scenario").loc[
        scenario]
    if scenario.startswith("paired"):
        r = wilcoxon_signed_rank(pairs["after"], pairs["before"], alternative=e["alternative"])
    else:
        r = wilcoxon_signed_rank(pairs["after"] - pairs["before"], mu=e["mu"])
    assert r.statistic == e["statistic"]
    assert r.p_value == pytest.approx(e["p_value"], rel=1e-10)
    assert r.rank_biserial == pytest.approx(e["rank_biserial"], rel=1e-12)
    assert r.n_zero == e["n_zero"] and r.n_used == 25 - e["n_zero"]


def test_wilcoxon_signed_rank_pairs_by_label_and_drops_nan():
    x = pd.Series({"a": 5.0, "b": 7.0, "c": np.nan, "d": 4.0, "e": 9.0})
    y = pd.Series({"e": 1.0, "d": 4.5, "c": 2.0, "b": 3.0, "a": 6.0})
    r = wilcoxon_signed_rank(x, y)
    d = np.array([5 - 6, 7 - 3, 4 - 4.5, 9 - 1])
    s = stats.wilcoxon(d, correction=True, method="approx")
    assert r.n == 4 and r.statistic == 7.0 and r.p_value == pytest.approx(s.pvalue, rel=1e-12)
    with pytest.raises(MethodError, match="zero"):
        wilcoxon_signed_rank([1, 2], [1, 2])
    with pytest.raises(InputError) as e:
        wilcoxon_signed_rank([1, 2, 3], [1, 2])
    assert e.value.argument == "y"


# --------------------------------------------------------------------------------------------
# difference in differences — R lm + hand-written CR1 / HC1
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scenario, kwargs", [
    ("cluster_covariate", dict(cluster="unit", covariates=["x"])),
    ("cluster", dict(cluster="unit")),
    ("hc1", {}),
])
def test_did_matches_r(scenario, kwargs):
    panel = pd.read_csv(REF / "did" / "panel.csv")
    exp = pd.read_csv(REF / "did" / "expected.csv")
    exp = exp[exp["scenario"] == scenario].set_index("term")
    r = did(panel, outcome="y", treated="treated", post="post", **kwargs)
    got = r.coefficients.set_index("term").loc[exp.index]
    for col in ("estimate", "se", "statistic", "ci_low", "ci_high"):
        np.testing.assert_allclose(got[col], exp[col], rtol=1e-9, err_msg=col)
    np.testing.assert_allclose(got["p_value"], exp["p_value"], rtol=1e-8, atol=1e-15)
    assert r.df == exp["df"].iloc[0] and r.n == exp["n"].iloc[0]
    assert r.n_dropped == 120 - r.n
    assert r.estimate == pytest.approx(exp.loc["treated:post", "estimate"], rel=1e-9)
    assert r.cov_type == ("HC1" if scenario == "hc1" else "CR1")
    if scenario != "hc1":
        assert r.n_clusters == 30
    if scenario != "cluster_covariate":
        dd = pd.read_csv(REF / "did" / "double_difference.csv").set_index("name")["value"]
        assert r.estimate == pytest.approx(dd["double_difference"], rel=1e-12)
        cm = r.cell_means.set_index(["treated", "post"])
        assert cm["n"].tolist() == [36, 36, 24, 24]


def test_did_bad_arguments_and_errors():
    panel = pd.read_csv(REF / "did" / "panel.csv")
    base = dict(outcome="y", treated="treated", post="post")
    with pytest.raises(InputError) as e:
        did(panel, **{**base, "outcome": "nope"})
    assert e.value.argument == "outcome" and e.value.value == "nope"
    bad = panel.assign(treated=panel["treated"] * 2)
    with pytest.raises(InputError, match="0/1") as e:
        did(bad, **base)
    assert e.value.argument == "treated"
    with pytest.raises(InputError, match="cell"):
        did(panel[~((panel.treated == 1) & (panel.post == 1))], **base)
    with pytest.raises(InputError) as e:
        did(panel.assign(unit="same"), **base, cluster="unit")
    assert e.value.argument == "cluster"
    with pytest.raises(MethodError, match="rank deficient"):
        did(panel.assign(z=panel["treated"] * 3.0), **base, covariates=["z"])
    with pytest.raises(InputError) as e:
        did(panel, **base, covariates=["post"])
    assert e.value.argument == "covariates"
    assert issubclass(IdentityError, MethodError)
    # boolean indicators are accepted and give the same estimate
    r1 = did(panel, **base)
    r2 = did(panel.assign(treated=panel.treated.astype(bool), post=panel.post.astype(bool)),
             **base)
    assert r1.estimate == r2.estimate and "treated:post" in r1.summary()


@pytest.mark.parametrize("make", [
    lambda: target_vs_actual([1, 2], [2, 1]),
    lambda: year_on_year(pd.DataFrame({"u": [1, 1], "p": [1, 2], "v": [1.0, 2.0]}),
                         unit="u", period="p", value="v"),
    lambda: peer_comparison([1, 2, 3]),
    lambda: welch_t([1, 2, 3], [2, 3, 5], alternative="greater"),
    lambda: mann_whitney([1, 2], [3, 4]),
    lambda: wilcoxon_signed_rank([1, 2, 3], [0, 0, 5]),
    lambda: did(pd.DataFrame({"y": [1, 2, 3, 4, 5, 6, 7, 9.0], "t": [0, 0, 1, 1] * 2,
                              "p": [0, 1] * 4, "g": [1, 1, 2, 2, 3, 3, 4, 4]}),
                outcome="y", treated="t", post="p", cluster="g"),
])
def test_results_display_and_serialise(make):
    r = make()
    assert r.title in r.summary() and r._repr_html_().startswith("<div")
    json.dumps(r.to_dict(), ensure_ascii=False, allow_nan=False)
    assert len(r.to_frame()) >= 1
