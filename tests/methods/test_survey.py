"""Tests for perfkit.methods.survey (公众评判法).

Reference values come from R (tests/reference/survey/*/make.R) and from Krejcie & Morgan (1970,
Table 1); R is not needed here.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from perfkit.errors import InputError
from perfkit.methods.survey import (LIKERT_ZH, aggregate_scores, kish_effective_n, sample_size,
                                    satisfaction)

REF = Path(__file__).resolve().parents[1] / "reference" / "survey"


def _bool_responses(x: int, n: int) -> list[bool]:
    return [True] * x + [False] * (n - x)


# --------------------------------------------------------------------------------------------
# satisfaction intervals — R prop.test / binom.test
# --------------------------------------------------------------------------------------------
_WILSON = pd.read_csv(REF / "wilson" / "expected.csv")


@pytest.mark.parametrize("row", [r for _, r in _WILSON.iterrows()],
                         ids=[f"{int(r.x)}of{int(r.n)}@{r.conf}" for _, r in _WILSON.iterrows()])
def test_wilson_and_clopper_pearson_match_r(row):
    resp = _bool_responses(int(row.x), int(row.n))
    w = satisfaction(resp, conf=row.conf)
    assert w.rate == pytest.approx(row.rate, rel=1e-15)
    assert w.ci_low == pytest.approx(row.wilson_low, rel=1e-12, abs=1e-14)
    assert w.ci_high == pytest.approx(row.wilson_high, rel=1e-12, abs=1e-14)
    assert w.n_eff == row.n and w.deff == 1.0
    cp = satisfaction(resp, conf=row.conf, method="clopper-pearson")
    assert cp.ci_low == pytest.approx(row.cp_low, rel=1e-9, abs=1e-12)
    assert cp.ci_high == pytest.approx(row.cp_high, rel=1e-9, abs=1e-12)


def test_weighted_satisfaction_matches_r():
    df = pd.read_csv(REF / "weighted_satisfaction" / "responses.csv", encoding="utf-8",
                     keep_default_na=False)
    e = pd.read_csv(REF / "weighted_satisfaction" / "expected.csv").set_index("name")["value"]
    r = satisfaction(df["answer"], weights=df["weight"], invalid=["不清楚"])
    assert (r.n, r.n_blank, r.n_invalid, r.n_valid, r.n_satisfied) == tuple(
        int(e[k]) for k in ("n", "n_blank", "n_invalid", "n_valid", "n_satisfied"))
    for k in ("rate", "n_eff", "ci_low", "ci_high"):
        assert getattr(r, k) == pytest.approx(e[k], rel=1e-12), k
    assert r.weighted and r.deff == pytest.approx(e["n_valid"] / e["n_eff"], rel=1e-12)
    u = satisfaction(df["answer"], invalid=["不清楚"])
    assert u.rate == pytest.approx(e["rate_unweighted"], rel=1e-15)
    assert u.ci_low == pytest.approx(e["ci_low_unweighted"], rel=1e-12)
    assert u.ci_high == pytest.approx(e["ci_high_unweighted"], rel=1e-12)
    # the counts table: five levels with Chinese labels, weighted shares sum to 1
    c = r.counts
    assert list(c["label"]) == ["非常满意", "满意", "一般", "不满意", "非常不满意"]
    assert c["share"].sum() == pytest.approx(1.0, rel=1e-14)
    assert list(c["satisfied"]) == [True, True, False, False, False]
    assert json.dumps(r.to_dict(), ensure_ascii=False)


def test_unknown_answers_are_an_error_not_silently_dropped():
    with pytest.raises(InputError, match="not on the scale") as e:
        satisfaction(["满意", "不清楚", 7])
    assert e.value.argument == "responses" and e.value.value == ["不清楚", "7"]


def test_likert_numbers_threshold_and_level_sets():
    resp = [5, 4, 4, 3, 2, 1, "5", " 满意 ", None, float("nan"), "", 0]
    r = satisfaction(resp, invalid=[0])
    assert (r.n, r.n_blank, r.n_invalid, r.n_valid, r.n_satisfied) == (12, 3, 1, 8, 5)
    assert r.rate == 5 / 8
    assert satisfaction(resp, invalid=[0], satisfied=5).n_satisfied == 2
    assert satisfaction(resp, invalid=[0], satisfied=["非常满意", 4, 3]).n_satisfied == 6
    three = satisfaction(["满意", "基本满意", "不满意", "基本满意"],
                         levels={"满意": 3, "基本满意": 2, "不满意": 1}, satisfied=2)
    assert three.rate == 0.75 and list(three.counts["label"]) == ["满意", "基本满意", "不满意"]
    assert LIKERT_ZH["非常不满意"] == 1 and "基本满意" not in LIKERT_ZH


def test_target_flags_and_sample_adequacy():
    # 90/100 satisfied: Wilson [0.8256, 0.9448]
    r = satisfaction(_bool_responses(90, 100), target=0.9)
    assert r.target_status == "uncertain" and r.target_met is False and r.too_small
    assert not r.precise_enough and r.half_width == pytest.approx(
        (0.94477086293932488 - 0.82563433849508661) / 2, rel=1e-12)
    # needed n for ±5% at p = 0.9: ceil(1.959964² · 0.09 / 0.0025) = 139
    assert r.n_required == 139
    ok = satisfaction(_bool_responses(960, 1000), target=0.9, margin=0.05)
    assert ok.target_status == "met" and ok.target_met and not ok.too_small
    bad = satisfaction(_bool_responses(700, 1000), target=0.9)
    assert bad.target_status == "not met" and bad.target_met is False
    assert satisfaction(_bool_responses(5, 10)).target_status is None
    assert "target" not in satisfaction(_bool_responses(5, 10)).summary()


def test_weighted_equal_weights_equal_unweighted_and_wald():
    resp = _bool_responses(30, 40)
    a = satisfaction(resp)
    b = satisfaction(resp, weights=np.full(40, 2.5))
    assert b.rate == a.rate and b.n_eff == pytest.approx(40, rel=1e-14)
    assert b.ci_low == pytest.approx(a.ci_low, rel=1e-12)
    wald = satisfaction(resp, method="wald")
    z = stats.norm.ppf(0.975)
    assert wald.ci_low == pytest.approx(0.75 - z * math.sqrt(0.75 * 0.25 / 40), rel=1e-14)
    # a zero weight removes a respondent's influence
    c = satisfaction(resp + [False], weights=np.r_[np.ones(40), 0.0])
    assert c.rate == a.rate and c.n_eff == pytest.approx(40, rel=1e-14)


@pytest.mark.parametrize("kwargs, arg", [
    (dict(responses=[]), "responses"),
    (dict(responses=[None, ""]), "responses"),
    (dict(responses=[4, 5], conf=1.0), "conf"),
    (dict(responses=[4, 5], method="exact"), "method"),
    (dict(responses=[4, 5], target=90), "target"),
    (dict(responses=[4, 5], margin=0), "margin"),
    (dict(responses=[4, 5], weights=[1.0]), "weights"),
    (dict(responses=[4, 5], weights=[1.0, -1.0]), "weights"),
    (dict(responses=[4, 5], weights=[0.0, 0.0]), "weights"),
    (dict(responses=[4, 5], satisfied=6), "satisfied"),
    (dict(responses=[4, 5], satisfied=["很好"]), "satisfied"),
    (dict(responses=[4, 5], satisfied="满意"), "satisfied"),
])
def test_satisfaction_bad_arguments(kwargs, arg):
    with pytest.raises(InputError) as e:
        satisfaction(**kwargs)
    assert e.value.argument == arg


# --------------------------------------------------------------------------------------------
# Kish and sample size
# --------------------------------------------------------------------------------------------
def test_kish_effective_n():
    assert kish_effective_n([1, 1, 1, 1]) == 4.0
    w = np.array([1.0, 2.0, 3.0, 4.0])
    assert kish_effective_n(w) == pytest.approx(100 / 30, rel=1e-15)
    # n / n_eff = 1 + CV² (population CV)
    assert 4 / kish_effective_n(w) == pytest.approx(1 + (w.std() / w.mean()) ** 2, rel=1e-14)
    for bad in ([], [0, 0], [1, -1], [1, np.nan], ["a"]):
        with pytest.raises(InputError) as e:
            kish_effective_n(bad)
        assert e.value.argument == "weights"


_SS = pd.read_csv(REF / "sample_size" / "expected.csv")


@pytest.mark.parametrize("row", [r for _, r in _SS.iterrows()],
                         ids=[f"e{r.margin}-p{r.p}-N{r.population}" for _, r in _SS.iterrows()])
def test_sample_size_matches_r(row):
    pop = None if np.isnan(row.population) else int(row.population)
    r = sample_size(row.margin, p=row.p, conf=row.conf, population=pop, deff=row.deff)
    assert r.n_infinite == pytest.approx(row.n_infinite, rel=1e-12)
    assert r.n_unrounded == pytest.approx(row.n_unrounded, rel=1e-12)
    assert r.n == int(row.n) == int(r)


def test_sample_size_worked_example_385():
    assert sample_size(0.05).n == 385
    assert sample_size(0.05, population=1000).n == 278


def test_sample_size_reproduces_krejcie_morgan_table():
    km = pd.read_csv(REF / "sample_size" / "krejcie_morgan_1970_table1.csv")
    conf = 2 * stats.norm.cdf(math.sqrt(3.841)) - 1      # their chi-square value 3.841
    got = [round(sample_size(0.05, conf=conf, population=int(N)).n_unrounded) for N in km.N]
    assert got == km.s.tolist()
    # perfkit's own n rounds up: never below the published (rounded-to-nearest) value
    assert all(sample_size(0.05, conf=conf, population=int(N)).n >= s
               for N, s in zip(km.N, km.s))


def test_sample_size_caps_at_population_and_bad_arguments():
    assert sample_size(0.01, population=50).n == 50
    for kwargs, arg in ((dict(margin=0), "margin"), (dict(margin=0.05, p=1), "p"),
                        (dict(margin=0.05, population=0), "population"),
                        (dict(margin=0.05, population=10.5), "population"),
                        (dict(margin=0.05, deff=0), "deff"),
                        (dict(margin=0.05, conf=0.0), "conf")):
        with pytest.raises(InputError) as e:
            sample_size(**kwargs)
        assert e.value.argument == arg


# --------------------------------------------------------------------------------------------
# expert scores — R mean(trim =), median, sd
# --------------------------------------------------------------------------------------------
def _expert_ref():
    s = pd.read_csv(REF / "expert_scores" / "scores.csv", encoding="utf-8", index_col="item")
    e = pd.read_csv(REF / "expert_scores" / "expected.csv", encoding="utf-8", index_col="item")
    return s, e


@pytest.mark.parametrize("method, trim, col", [
    ("mean", 0.1, "mean"), ("median", 0.1, "median"), ("trimmed", 0.1, "trim_0.1"),
    ("trimmed", 0.2, "trim_0.2"), ("trimmed", 1 / 7, "trim_1of7"), ("trimmed", 0.4, "trim_0.4"),
])
def test_aggregate_scores_matches_r(method, trim, col):
    s, e = _expert_ref()
    r = aggregate_scores(s, method=method, trim=trim)
    assert list(r.table.index) == list(s.index)
    np.testing.assert_allclose(r.scores, e[col], rtol=1e-12)
    np.testing.assert_allclose(r.table["sd"], e["sd"], rtol=1e-12)
    np.testing.assert_allclose(r.table["median"], e["median"], rtol=1e-12)
    assert r.table["n"].tolist() == [7, 6, 7, 7, 5, 6]


def test_aggregate_scores_drop_highest_and_lowest():
    r = aggregate_scores(pd.Series([60, 80, 82, 85, 99], index=list("ABCDE"), name="项目甲"),
                         method="trimmed", trim=1 / 5)
    assert r.table.loc["项目甲", "score"] == pytest.approx((80 + 82 + 85) / 3, rel=1e-15)
    assert r.table.loc["项目甲", "n_used"] == 3
    one = aggregate_scores([[70.0]])
    assert one.table["score"].iloc[0] == 70.0 and np.isnan(one.table["sd"].iloc[0])


@pytest.mark.parametrize("kwargs, arg", [
    (dict(scores=[[1, 2]], method="mode"), "method"),
    (dict(scores=[[1, 2]], trim=0.5), "trim"),
    (dict(scores=[[np.nan, np.nan]]), "scores"),
    (dict(scores=[[1, np.inf]]), "scores"),
    (dict(scores=pd.DataFrame({"e1": ["a"]})), "scores"),
])
def test_aggregate_scores_bad_arguments(kwargs, arg):
    with pytest.raises(InputError) as e:
        aggregate_scores(**kwargs)
    assert e.value.argument == arg


@pytest.mark.parametrize("make", [
    lambda: satisfaction([5, 4, 3, "满意"], target=0.5),
    lambda: sample_size(0.05, population=1000),
    lambda: aggregate_scores([[80, 90, 85]]),
])
def test_results_display_and_serialise(make):
    r = make()
    assert r.title in r.summary() and r._repr_html_().startswith("<div")
    json.dumps(r.to_dict(), ensure_ascii=False, allow_nan=False)
    assert len(r.to_frame()) >= 1
