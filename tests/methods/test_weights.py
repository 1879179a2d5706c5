"""Tests for perfkit.methods.weights (AHP 层次分析法, 熵权法, weight sensitivity).

AHP is checked against Saaty's (1990) published house-buying example and R ``eigen``; entropy
weights against an independent base-R implementation (tests/reference/*/make.R).
"""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from perfkit.errors import InputError, MethodError
from perfkit.methods.weights import SAATY_RI, ahp, entropy_weights, weight_sensitivity

REF = Path(__file__).resolve().parents[1] / "reference"


def _saaty_matrix(case: str) -> pd.DataFrame:
    raw = pd.read_csv(REF / "ahp" / case / "matrix.csv", dtype=str, index_col=0)
    return raw.map(lambda s: float(Fraction(s)))


def _named(path: Path) -> pd.Series:
    return pd.read_csv(path).set_index("name")["value"]


# --------------------------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------------------------
def test_ahp_saaty_house_criteria_is_inconsistent_by_default():
    a = _saaty_matrix("saaty1990_house_criteria")
    with pytest.raises(MethodError, match=r"CR = 0\.1691"):
        ahp(a)


@pytest.mark.parametrize("case, consistent", [("saaty1990_house_criteria", False),
                                              ("saaty1990_house_yard", True)])
def test_ahp_matches_saaty_published_and_r(case, consistent):
    a = _saaty_matrix(case)
    r = ahp(a, allow_inconsistent=True)
    pub = _named(REF / "ahp" / case / "published.csv")
    exp = _named(REF / "ahp" / case / "expected.csv")
    labels = list(a.index)
    assert list(r.weights.index) == labels
    # published to 3 decimals
    np.testing.assert_allclose(r.weights[labels], pub[labels], atol=5e-4)
    for k in ("lambda_max", "ci", "cr"):
        assert getattr(r, k) == pytest.approx(pub[k], abs=5e-4), k
    # R eigen() at full precision
    np.testing.assert_allclose(r.weights[labels], exp[labels], rtol=1e-10)
    for k in ("lambda_max", "ci", "ri", "cr"):
        assert getattr(r, k) == pytest.approx(exp[k], rel=1e-10), k
    assert r.consistent is consistent and r.weights.sum() == pytest.approx(1.0, rel=1e-15)
    # every row's (Aw)_i / w_i equals λmax for the principal eigenvector
    np.testing.assert_allclose(r.to_frame()["lambda_i"], r.lambda_max, rtol=1e-10)
    assert json.dumps(r.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 9, 15])
@pytest.mark.parametrize("method", ["eigenvector", "geometric"])
def test_ahp_consistent_matrix_recovers_weights(n, method):
    w = np.arange(1, n + 1, dtype=float)
    w /= w.sum()
    r = ahp(np.outer(w, 1 / w), method=method)
    np.testing.assert_allclose(r.weights.to_numpy(), w, rtol=1e-12)
    assert r.lambda_max == pytest.approx(n, rel=1e-12)
    assert abs(r.cr) < 1e-12 and r.consistent and r.ri == SAATY_RI[n]


def test_ahp_ri_table_is_saaty_1980():
    assert [SAATY_RI[n] for n in range(1, 16)] == [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
                                                    1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]


def test_ahp_rounded_reciprocals_and_column_order():
    exact = ahp(_saaty_matrix("saaty1990_house_yard"))
    typed = pd.DataFrame([[1, 5, 4], [0.2, 1, 0.33], [0.25, 3, 1]], index=list("ABC"),
                         columns=list("ABC"))
    r = ahp(typed.loc[:, ["C", "A", "B"]])          # columns out of order: realigned to rows
    np.testing.assert_allclose(r.weights[list("ABC")], exact.weights[list("ABC")], atol=2e-3)
    assert r.matrix.loc["B", "C"] * r.matrix.loc["C", "B"] == pytest.approx(1.0, rel=1e-15)


def test_ahp_custom_ri_and_large_order():
    n = 16
    w = np.linspace(1, 2, n)
    with pytest.raises(InputError, match="ri=") as e:
        ahp(np.outer(w, 1 / w))
    assert e.value.argument == "matrix"
    r = ahp(np.outer(w, 1 / w), ri={16: 1.6})
    assert r.ri == 1.6 and r.ri_source == "user supplied"


@pytest.mark.parametrize("matrix, match", [
    (pd.DataFrame([[1, 3], [0.5, 1]], index=["成本", "效益"], columns=["成本", "效益"]),
     r"cell \('效益', '成本'\) must be the reciprocal of cell \('成本', '效益'\)"),
    ([[1, 0], [0, 1]], "positive"),
    ([[1, -2], [-0.5, 1]], "positive"),
    ([[2, 1], [1, 1]], "diagonal"),
    ([[1, 2, 3], [0.5, 1, 1]], "square"),
    (pd.DataFrame([[1, 2], [0.5, 1]], index=["a", "b"], columns=["a", "c"]), "same unique"),
    ([[1, np.nan], [1, 1]], "positive and finite"),
    (np.empty((0, 0)), "empty"),
])
def test_ahp_bad_matrix(matrix, match):
    with pytest.raises(InputError, match=match) as e:
        ahp(matrix)
    assert e.value.argument == "matrix"


def test_ahp_bad_options():
    for kwargs, arg in ((dict(method="power"), "method"), (dict(threshold=0), "threshold"),
                        (dict(reciprocal_rtol=2), "reciprocal_rtol")):
        with pytest.raises(InputError) as e:
            ahp(np.eye(3), **kwargs)
        assert e.value.argument == arg


# --------------------------------------------------------------------------------------------
# entropy weights
# --------------------------------------------------------------------------------------------
def _entropy_ref():
    data = pd.read_csv(REF / "entropy" / "basic" / "data.csv", index_col="unit")
    dirs = pd.read_csv(REF / "entropy" / "basic" / "directions.csv").set_index("indicator")[
        "direction"]
    exp = pd.read_csv(REF / "entropy" / "basic" / "expected.csv")
    return data, dirs, exp


@pytest.mark.parametrize("shift", [0.0, 1e-4])
def test_entropy_weights_match_r(shift):
    data, dirs, exp = _entropy_ref()
    e = exp[np.isclose(exp["shift"], shift)].set_index("indicator")
    r = entropy_weights(data, direction=dirs, shift=shift)
    t = r.table
    for col in ("entropy", "divergence", "weight"):
        np.testing.assert_allclose(t.loc[e.index, col], e[col], rtol=1e-10, atol=1e-15)
    assert r.constant == ["policy_doc"] and r.weights["policy_doc"] == 0.0
    assert r.weights.sum() == pytest.approx(1.0, rel=1e-15)
    assert list(t["direction"]) == [dirs[c] for c in data.columns]
    # the worst unit on an indicator normalises to exactly 0 (0 ln 0 = 0 handled)
    assert (r.normalised.drop(columns="policy_doc").min() == 0).all()


def test_entropy_weights_invariances():
    data, dirs, _ = _entropy_ref()
    base = entropy_weights(data, direction=dirs).weights
    # positive affine rescaling of an indicator leaves the min-max normalisation unchanged
    scaled = data.assign(unit_cost=data["unit_cost"] * 1000 + 7)
    np.testing.assert_allclose(entropy_weights(scaled, direction=dirs).weights, base,
                               rtol=1e-12)
    # flipping the sign of an indicator and its direction is the same indicator
    flipped = data.assign(unit_cost=-data["unit_cost"])
    d2 = dirs.copy()
    d2["unit_cost"] = "higher"
    np.testing.assert_allclose(entropy_weights(flipped, direction=d2).weights, base,
                               rtol=1e-12)
    # Chinese direction labels and a list are accepted
    zh = ["正向" if d == "higher" else "逆向" for d in dirs[data.columns]]
    np.testing.assert_allclose(entropy_weights(data, direction=zh).weights, base, rtol=1e-15)


def test_entropy_weights_two_units_and_array_input():
    r = entropy_weights([[0.0, 5.0], [1.0, 7.0]])
    # two units: one normalises to 0, the other to 1 → entropy 0 for both → equal weights
    np.testing.assert_allclose(r.weights.to_numpy(), [0.5, 0.5], rtol=1e-15)
    assert list(r.weights.index) == [0, 1]


@pytest.mark.parametrize("data, kwargs, arg, err", [
    ([[1.0, 2.0]], {}, "data", InputError),                         # one unit
    ([[1.0, np.nan], [2.0, 3.0]], {}, "data", InputError),
    ([[1.0, 1.0], [1.0, 1.0]], {}, None, MethodError),              # all constant
    ([[1.0, 2.0], [2.0, 3.0]], dict(direction="up"), "direction", InputError),
    ([[1.0, 2.0], [2.0, 3.0]], dict(direction=["higher"]), "direction", InputError),
    ([[1.0, 2.0], [2.0, 3.0]], dict(shift=-1), "shift", InputError),
    (pd.DataFrame({"a": ["x", "y"]}), {}, "data", InputError),
    ([1.0, 2.0], {}, "data", InputError),                           # 1-D
])
def test_entropy_weights_bad_input(data, kwargs, arg, err):
    with pytest.raises(err) as e:
        entropy_weights(data, **kwargs)
    if arg:
        assert e.value.argument == arg


# --------------------------------------------------------------------------------------------
# weight sensitivity
# --------------------------------------------------------------------------------------------
def test_weight_sensitivity_two_indicators_matches_beta_probability():
    # two indicators: π₁ ~ Beta(κ·0.6, κ·0.4); total = 100(s₂ + (s₁ − s₂)π₁)
    s = pd.DataFrame({"产出": [0.97, 0.99, 0.70], "效益": [0.80, 0.55, 0.95]},
                     index=["甲", "乙", "丙"])
    w = pd.Series({"产出": 60.0, "效益": 40.0})
    kappa, n = 50.0, 20000
    r = weight_sensitivity(s, w, n=n, concentration=kappa, seed=123)
    beta = stats.beta(kappa * 0.6, kappa * 0.4)
    t = r.table
    for unit, (s1, s2) in s.iterrows():
        base = 60 * s1 + 40 * s2
        assert t.loc[unit, "base_total"] == pytest.approx(base, rel=1e-14)
        # probability of 优 (total ≥ 90): π₁ beyond the cut point
        cut = (0.9 - s2) / (s1 - s2)
        p_exact = beta.sf(cut) if s1 > s2 else beta.cdf(cut)
        p_exact = float(np.clip(p_exact, 0, 1))
        se = np.sqrt(max(p_exact * (1 - p_exact), 1e-12) / n)
        assert t.loc[unit, "p_优"] == pytest.approx(p_exact, abs=4 * se + 1e-12), unit
        # median of the total is the monotone image of the Beta median
        med = 100 * (s2 + (s1 - s2) * beta.median())
        assert t.loc[unit, "p50"] == pytest.approx(med, abs=0.15)
    # base grades: 甲 = 90.2 (优), 乙 = 81.4 (良), 丙 = 80 exactly (良, half-open band)
    assert list(t["base_grade"]) == ["优", "良", "良"]
    assert t.loc["甲", "p_change"] == pytest.approx(1 - t.loc["甲", "p_优"], abs=1e-15)
    probs = t[[f"p_{g}" for g in r.grades]].sum(axis=1)
    np.testing.assert_allclose(probs, 1.0, rtol=1e-12)


def test_weight_sensitivity_reproducible_chunked_and_concentrated():
    rng = np.random.default_rng(0)
    s = pd.DataFrame(rng.uniform(0.6, 1.0, (40, 5)), columns=list("ABCDE"))
    w = [10, 20, 30, 25, 15]
    a = weight_sensitivity(s, w, n=4000, seed=7)
    b = weight_sensitivity(s, w, n=4000, seed=7, chunk_size=4000 * 3)   # 3 units per chunk
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.to_dict() == weight_sensitivity(s, w, n=4000, seed=7).to_dict()
    c = weight_sensitivity(s, w, n=4000, seed=8)
    assert not a.table["p5"].equals(c.table["p5"])
    # the base total lies inside the central 90% band for every unit
    assert ((a.table["p5"] <= a.table["base_total"] + 1e-9)
            & (a.table["base_total"] <= a.table["p95"] + 1e-9)).all()
    tight = weight_sensitivity(s, w, n=2000, concentration=1e9, seed=1)
    np.testing.assert_allclose(tight.table["p50"], tight.table["base_total"], atol=1e-2)
    np.testing.assert_allclose(tight.weights_table["p50"], w, atol=1e-2)


def test_weight_sensitivity_zero_weight_and_custom_bands():
    s = np.array([[1.0, 0.0, 0.5], [0.2, 1.0, 0.9]])
    r = weight_sensitivity(s, [70, 0, 30], n=3000, seed=2,
                           bands={"A": 85, "B": 50}, lowest="C")
    assert r.grades == ["A", "B", "C"]
    wt = r.weights_table
    assert (wt.loc[1, ["p5", "p50", "p95"]] == 0).all()      # zero weight never drawn
    assert r.table["base_total"].tolist() == pytest.approx([85.0, 41.0], rel=1e-14)
    assert r.table["base_grade"].tolist() == ["A", "C"]
    assert list(r.table.columns[-3:]) == ["p_A", "p_B", "p_C"]


@pytest.mark.parametrize("kwargs, arg", [
    (dict(weights=[50, 40, 10.5]), "weights"),                       # sums to 100.5
    (dict(weights=[50, 50]), "weights"),
    (dict(weights=[110, -10, 0]), "weights"),
    (dict(scores=[[0.5, 1.2, 0.3]]), "scores"),
    (dict(scores=[[0.5, np.nan, 0.3]]), "scores"),
    (dict(n=0), "n"),
    (dict(concentration=0), "concentration"),
    (dict(seed=-1), "seed"),
    (dict(bands={"优": 90, "良": 90}), "bands"),
    (dict(bands={"优": 120}), "bands"),
    (dict(bands={"差": 60}), "lowest"),
])
def test_weight_sensitivity_bad_arguments(kwargs, arg):
    args = dict(scores=[[0.5, 0.9, 0.3]], weights=[50, 40, 10], n=10)
    args.update(kwargs)
    with pytest.raises(InputError) as e:
        weight_sensitivity(args.pop("scores"), args.pop("weights"), **args)
    assert e.value.argument == arg


def test_weight_sensitivity_weights_matched_by_label():
    s = pd.DataFrame({"x": [0.9, 0.5], "y": [0.7, 1.0]})
    a = weight_sensitivity(s, pd.Series({"y": 30.0, "x": 70.0}), n=500)
    assert a.table["base_total"].tolist() == pytest.approx([84.0, 65.0], rel=1e-14)
    with pytest.raises(InputError) as e:
        weight_sensitivity(s, pd.Series({"x": 70.0, "z": 30.0}), n=10)
    assert e.value.argument == "weights"


@pytest.mark.parametrize("make", [
    lambda: ahp([[1, 2], [0.5, 1]]),
    lambda: entropy_weights([[1, 2], [3, 1]]),
    lambda: weight_sensitivity([[0.5, 1.0]], [50, 50], n=100),
])
def test_results_display_and_serialise(make):
    r = make()
    assert r.title in r.summary() and r._repr_html_().startswith("<div")
    json.dumps(r.to_dict(), ensure_ascii=False, allow_nan=False)
    assert len(r.to_frame()) >= 1
