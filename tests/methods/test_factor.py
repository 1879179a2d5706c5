"""Tests for perfkit.methods.factor (factor analysis, KMO, Bartlett, Cronbach's alpha, drivers).

Reference values: tests/reference/{factor_analysis,kmo,bartlett,cronbach,drivers}/<case>/, made
with R psych 2.2.9 / GPArotation 2022.10.2 and base R (see each make.R and meta.json).
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from perfkit.errors import InputError
from perfkit.methods.factor import (
    MAX_DRIVERS,
    bartlett_sphericity,
    cor_smooth,
    cronbach_alpha,
    drivers,
    factor_analysis,
    kmo,
)

REF = Path(__file__).resolve().parent.parent / "reference"
METHODS = ["minres", "ml", "pa", "pc"]
ROTATIONS = ["none", "varimax", "promax", "oblimin"]
COMBOS = [(m, r) for m in METHODS for r in ROTATIONS]


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, index_col=0)


def _close(a, b, tol, what):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, what
    diff = np.max(np.abs(a - b))
    assert diff <= tol, f"{what}: max |diff| {diff:.3g} > {tol:g}"


def _rel(a, b, tol, what):
    assert a == pytest.approx(b, rel=tol, abs=1e-300), what


@pytest.fixture(scope="module")
def harman74():
    d = REF / "factor_analysis" / "harman74"
    return _csv(d / "input_correlation.csv"), _json(d / "expected.json"), d


@pytest.fixture(scope="module")
def bfi_raw():
    d = REF / "factor_analysis" / "bfi_raw"
    return _csv(d / "input_data.csv"), _json(d / "expected.json"), d


# --------------------------------------------------------------------------------------------
# factor_analysis vs psych on a correlation matrix (Harman74, 24 tests, n = 145, 4 factors)
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method,rotation", COMBOS)
def test_fa_harman74_matches_psych(harman74, method, rotation):
    R, exp, d = harman74
    e = exp[f"{method}_{rotation}"]
    res = factor_analysis(R, n_factors=4, method=method, rotation=None if rotation == "none" else rotation,
                          n_obs=145)
    tol = 1e-9 if (method, rotation) == ("pc", "none") else 1e-6
    ref = _csv(d / f"loadings_{method}_{rotation}.csv")
    assert list(res.loadings.index) == list(R.columns)
    _close(res.loadings, ref, tol, "loadings")
    if rotation in ("promax", "oblimin"):
        _close(res.phi, _csv(d / f"phi_{method}_{rotation}.csv"), tol, "phi")
    else:
        assert res.phi is None
    _close(res.communalities, e["h2"], tol, "h2")
    _close(res.uniquenesses, e["u2"], tol, "u2")
    _close(res.variance["ss_loadings"], e["ss_loadings"], tol, "SS loadings")
    _close(res.variance["proportion"], e["proportion"], tol, "proportion")
    assert res.dof == e["dof"]
    for key in ("chi2", "pvalue", "objective", "rms", "rmsea", "tli"):
        if e[key] is not None:
            _rel(getattr(res, key), e[key], 1e-6, key)
    assert res.scores is None and res.n_obs == 145 and res.converged and not res.smoothed


@pytest.mark.parametrize("method,rotation", COMBOS)
def test_fa_bfi_raw_matches_psych(bfi_raw, method, rotation):
    X, exp, d = bfi_raw
    e = exp[f"{method}_{rotation}"]
    res = factor_analysis(X, n_factors=3, method=method, rotation=rotation)
    _close(res.loadings, _csv(d / f"loadings_{method}_{rotation}.csv"), 1e-6, "loadings")
    if res.phi is not None:
        _close(res.phi, _csv(d / f"phi_{method}_{rotation}.csv"), 1e-6, "phi")
    _close(res.communalities, e["h2"], 1e-6, "h2")
    assert res.n_obs == e["n_obs"] == 400
    for key in ("chi2", "pvalue", "objective", "rms"):
        _rel(getattr(res, key), e[key], 1e-6, key)
    scores_file = d / f"scores_{method}_{rotation}.csv"
    if scores_file.exists():
        ref = _csv(scores_file)
        assert list(res.scores.index) == list(X.index)
        _close(res.scores, ref, 1e-5, "scores")


@pytest.mark.parametrize("method,rotation", COMBOS)
def test_fa_canonical_signs_and_order(harman74, method, rotation):
    R, _, _ = harman74
    res = factor_analysis(R, n_factors=4, method=method, rotation=rotation)
    assert (res.loadings.sum(axis=0) > 0).all()
    ss = res.variance["ss_loadings"].to_numpy()
    if method != "pc" or res.phi is None:
        assert (np.diff(ss) <= 1e-12).all()
    v = res.variance
    assert v["cumulative"].iloc[-1] == pytest.approx(v["proportion"].sum())
    assert v["cumulative_proportion"].iloc[-1] == pytest.approx(1.0)
    # pattern × Φ reproduces the unrotated common variance
    phi = np.eye(4) if res.phi is None else res.phi.to_numpy()
    L = res.loadings.to_numpy()
    np.testing.assert_allclose(np.diag(L @ phi @ L.T), res.communalities, atol=1e-8)
    np.testing.assert_allclose(res.structure, L @ phi, atol=1e-14)
    prefix = {"minres": "MR", "ml": "ML", "pa": "PA"}.get(method)
    if prefix is None:
        prefix = {"none": "PC", "oblimin": "TC"}.get(rotation, "RC")
    assert list(res.loadings.columns) == [f"{prefix}{j}" for j in range(1, 5)]


def test_fa_result_outputs(bfi_raw):
    X, _, _ = bfi_raw
    res = factor_analysis(X, n_factors=3)          # psych defaults: minres; rotation none here
    frame = res.to_frame()
    assert list(frame.columns) == ["MR1", "MR2", "MR3", "h2", "u2", "com"]
    np.testing.assert_allclose(frame["h2"] + frame["u2"], 1.0)
    assert (frame["com"] >= 1 - 1e-12).all()
    d = res.to_dict()
    json.dumps(d)
    assert d["method"] == "minres" and d["n_obs"] == 400
    text = res.summary()
    assert "chi-square" in text and "minres" in text
    assert "<table" in res._repr_html_()
    assert res.eigenvalues.iloc[0] > res.eigenvalues.iloc[-1]


def test_pc_unrotated_scores_are_uncorrelated_unit_variance(bfi_raw):
    X, _, _ = bfi_raw
    res = factor_analysis(X, n_factors=4, method="pc")
    C = np.corrcoef(res.scores.to_numpy(), rowvar=False)
    np.testing.assert_allclose(C, np.eye(4), atol=1e-10)
    np.testing.assert_allclose(res.scores.std(ddof=1), 1.0, rtol=1e-10)


def test_pc_all_components_reproduce_correlations(harman74):
    R, _, _ = harman74
    sub = R.iloc[:6, :6]
    res = factor_analysis(sub, n_factors=6, method="pc")
    np.testing.assert_allclose(res.communalities, 1.0, atol=1e-12)
    L = res.loadings.to_numpy()
    np.testing.assert_allclose(L @ L.T, sub.to_numpy(), atol=1e-12)


def test_single_factor_ignores_rotation(harman74):
    R, _, _ = harman74
    res = factor_analysis(R, n_factors=1, rotation="oblimin")
    assert res.rotation == "none" and res.phi is None
    assert list(res.loadings.columns) == ["MR1"] and res.loadings["MR1"].sum() > 0


def test_pa_iteration_limit_warns(harman74):
    R, _, _ = harman74
    with pytest.warns(UserWarning, match="did not converge"):
        res = factor_analysis(R, n_factors=4, method="pa", max_iter=2)
    assert not res.converged


# --------------------------------------------------------------------------------------------
# not positive definite → smoothed (psych::cor.smooth) with a warning
# --------------------------------------------------------------------------------------------
def test_cor_smooth_matches_psych():
    d = REF / "factor_analysis" / "burt_nonpd"
    R = _csv(d / "input_correlation.csv")
    with pytest.warns(UserWarning, match="not positive definite"):
        S = factor_analysis(R, n_factors=2, rotation="oblimin").correlation
    _close(cor_smooth(R), _csv(d / "smoothed.csv"), 1e-12, "cor.smooth")
    _close(S, _csv(d / "smoothed.csv"), 1e-12, "smoothed in fa")
    # a positive definite matrix is left alone
    pd_ = _csv(REF / "factor_analysis" / "harman74" / "input_correlation.csv")
    assert cor_smooth(pd_).equals(pd_)


@pytest.mark.parametrize("method", ["minres", "ml"])
def test_fa_nonpd_matches_psych_on_smoothed(method):
    d = REF / "factor_analysis" / "burt_nonpd"
    R = _csv(d / "input_correlation.csv")
    with pytest.warns(UserWarning, match="smoothed"):
        res = factor_analysis(R, n_factors=2, method=method, rotation="oblimin", n_obs=123)
    assert res.smoothed
    tol = 1e-6 if method == "minres" else 2e-5   # ML ends on a bound (Heywood) via a line-search stop
    _close(res.loadings, _csv(d / f"loadings_{method}_oblimin.csv"), tol, "loadings")
    _close(res.phi, _csv(d / f"phi_{method}_oblimin.csv"), tol, "phi")


def test_raw_data_with_fewer_rows_than_columns_is_smoothed():
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.normal(size=(6, 8)), columns=list("abcdefgh"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = factor_analysis(X, n_factors=1, method="pc")
    assert any("smoothed" in str(w.message) for w in caught)
    assert res.smoothed and res.scores.shape == (6, 1)


# --------------------------------------------------------------------------------------------
# factor_analysis bad arguments
# --------------------------------------------------------------------------------------------
def _small_raw(seed=0, n=50):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 1))
    return pd.DataFrame(f @ np.ones((1, 5)) + rng.normal(size=(n, 5)), columns=list("abcde"))


@pytest.mark.parametrize("mutate,kwargs,arg,match", [
    (lambda X: X.assign(c=3.0), {}, "data", "constant"),
    (lambda X: X.assign(b=np.where(np.arange(len(X)) == 4, np.nan, X["b"])), {}, "data", "missing"),
    (lambda X: X[["a"]], {}, "data", "at least 2 variables"),
    (lambda X: X, {"n_factors": 3}, "n_factors", "degrees of freedom"),
    (lambda X: X, {"n_factors": 6, "method": "pc"}, "n_factors", "more components"),
    (lambda X: X, {"n_factors": 0}, "n_factors", "≥ 1"),
    (lambda X: X, {"n_factors": 1.5}, "n_factors", "whole number"),
    (lambda X: X, {"n_factors": True}, "n_factors", "whole number"),
    (lambda X: X, {"method": "alpha"}, "method", "one of"),
    (lambda X: X, {"rotation": "quartimax"}, "rotation", "one of"),
    (lambda X: X, {"n_obs": 10}, "n_obs", "number of rows"),
    (lambda X: X, {"n_obs": 1}, "n_obs", "≥ 2"),
    (lambda X: X.iloc[:2], {}, "data", "at least 3 observations"),
    (lambda X: X, {"max_iter": 0}, "max_iter", "≥ 1"),
    (lambda X: X, {"min_err": -1.0}, "min_err", "positive"),
])
def test_fa_bad_arguments(mutate, kwargs, arg, match):
    X = mutate(_small_raw())
    args = {"n_factors": 1, **kwargs}
    with pytest.raises(InputError, match=match) as ei:
        factor_analysis(X, **args)
    assert ei.value.argument == arg


def test_fa_bad_correlation_matrix():
    R = pd.DataFrame([[1.0, 1.5], [1.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(InputError, match=r"\[-1, 1\]"):
        factor_analysis(R, n_factors=1, method="pc")


def test_fa_covariance_matrix_is_converted():
    X = _small_raw()
    C = X.cov()
    a = factor_analysis(C, n_factors=1)
    b = factor_analysis(X.corr(), n_factors=1)
    _close(a.loadings, b.loadings, 1e-10, "cov vs cor")


# --------------------------------------------------------------------------------------------
# KMO and Bartlett
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case,file", [("bfi25", "input_data.csv"), ("harman74", "input_correlation.csv")])
def test_kmo_matches_psych(case, file):
    d = REF / "kmo" / case
    exp = _json(d / "expected.json")
    res = kmo(_csv(d / file))
    assert res.overall == pytest.approx(exp["overall"], abs=1e-10)
    _close(res.per_variable, list(exp["per_variable"].values()), 1e-10, "MSAi")
    assert list(res.per_variable.index) == list(exp["per_variable"].keys())
    assert res.label == "meritorious"
    assert list(res.to_frame().columns) == ["msa", "label"]
    json.dumps(res.to_dict())


def test_bartlett_raw_matches_psych():
    d = REF / "bartlett" / "bfi25"
    exp = _json(d / "expected.json")
    res = bartlett_sphericity(_csv(d / "input_data.csv"))
    _rel(res.statistic, exp["statistic"], 1e-10, "chi2")
    assert res.dof == exp["dof"] == 300 and res.n_obs == 500
    assert res.pvalue == pytest.approx(exp["pvalue"], abs=1e-12)


def test_bartlett_matrix_matches_psych():
    d = REF / "bartlett" / "harman74"
    exp = _json(d / "expected.json")
    R = _csv(d / "input_correlation.csv")
    res = bartlett_sphericity(R, n_obs=145)
    _rel(res.statistic, exp["all24"]["statistic"], 1e-10, "chi2")
    _rel(res.pvalue, exp["all24"]["pvalue"], 1e-8, "p")
    v = exp["four"]["variables"]
    res4 = bartlett_sphericity(R.loc[v, v], n_obs=30)
    _rel(res4.statistic, exp["four"]["statistic"], 1e-10, "chi2")
    _rel(res4.pvalue, exp["four"]["pvalue"], 1e-8, "p")
    assert res4.dof == 6
    assert list(res4.to_frame().columns) == ["statistic", "dof", "pvalue", "n_obs", "n_vars"]


def test_bartlett_identity_matrix_statistic_zero():
    res = bartlett_sphericity(pd.DataFrame(np.eye(3)), n_obs=50)
    assert res.statistic == pytest.approx(0.0, abs=1e-12) and res.pvalue == pytest.approx(1.0)


def test_kmo_bartlett_bad_arguments():
    R = _csv(REF / "kmo" / "harman74" / "input_correlation.csv")
    with pytest.raises(InputError, match="required") as ei:
        bartlett_sphericity(R)
    assert ei.value.argument == "n_obs"
    X = _small_raw()
    X["f"] = X["a"] + X["b"]                       # collinear: singular correlation matrix
    for fn in (kmo, bartlett_sphericity):
        with pytest.raises(InputError, match="not positive definite"):
            fn(X)
    with pytest.raises(InputError, match="constant"):
        kmo(_small_raw().assign(e=1.0))


# --------------------------------------------------------------------------------------------
# Cronbach's alpha
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["bfi_agree", "bfi_consc"])
def test_cronbach_matches_psych(case):
    d = REF / "cronbach" / case
    exp = _json(d / "expected.json")
    rev = exp["reverse"]
    rev = [rev] if isinstance(rev, str) else rev
    res = cronbach_alpha(_csv(d / "input_data.csv"), reverse=rev)
    assert res.alpha == pytest.approx(exp["raw_alpha"], abs=1e-10)
    assert res.alpha_std == pytest.approx(exp["std_alpha"], abs=1e-10)
    assert res.average_r == pytest.approx(exp["average_r"], abs=1e-10)
    for col, vals in exp["items"].items():
        _close(res.items[col], vals, 1e-10, col)
    assert res.reversed == rev and res.n_obs == 500 and res.n_items == 5
    json.dumps(res.to_dict())


def test_cronbach_two_items_closed_form():
    rng = np.random.default_rng(3)
    x = rng.normal(size=100)
    X = pd.DataFrame({"p": x + rng.normal(size=100), "q": x + rng.normal(size=100)})
    res = cronbach_alpha(X)
    C = X.cov().to_numpy()
    assert res.alpha == pytest.approx(2 * (1 - np.trace(C) / C.sum()))
    r = X.corr().iloc[0, 1]
    assert res.alpha_std == pytest.approx(2 * r / (1 + r))          # Spearman–Brown
    assert res.items["alpha_if_dropped"].isna().all()
    assert res.items["item_rest_r"].to_numpy() == pytest.approx([r, r])


def test_cronbach_reverse_equals_manual_flip():
    X = _csv(REF / "cronbach" / "bfi_agree" / "input_data.csv")
    lo, hi = X.to_numpy().min(), X.to_numpy().max()
    manual = cronbach_alpha(X.assign(A1=lo + hi - X["A1"]))
    auto = cronbach_alpha(X, reverse="A1")
    assert auto.alpha == pytest.approx(manual.alpha, abs=1e-14)


@pytest.mark.parametrize("items,kwargs,arg,match", [
    (pd.DataFrame({"a": [1, 2, 3]}), {}, "items", "at least 2 items"),
    (pd.DataFrame({"a": [1, 2, 3], "b": [2, 2, 2]}), {}, "items", "constant"),
    (pd.DataFrame({"a": [1, 2, 3], "b": [2, np.nan, 3]}), {}, "items", "missing"),
    (pd.DataFrame({"a": [1, 2, 3], "b": [2, 1, 3]}), {"reverse": ["z"]}, "reverse", "unknown"),
    (pd.DataFrame({"a": [1, 2, 3], "b": [2, 1, 3]}), {"reverse": ["a", "a"]}, "reverse", "twice"),
])
def test_cronbach_bad_arguments(items, kwargs, arg, match):
    with pytest.raises(InputError, match=match) as ei:
        cronbach_alpha(items, **kwargs)
    assert ei.value.argument == arg


# --------------------------------------------------------------------------------------------
# drivers vs base R (lm + HC by hand + LMG by hand)
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def swiss():
    d = REF / "drivers" / "swiss"
    return _csv(d / "input_data.csv"), _json(d / "expected.json")


@pytest.mark.parametrize("robust", ["HC3", "HC2", "HC1", "HC0", "nonrobust"])
def test_drivers_matches_r(swiss, robust):
    X, exp = swiss
    res = drivers(X, outcome="Fertility", internal=exp["internal"], external=exp["external"],
                  robust=robust, change=exp["change"])
    c = res.coefficients
    assert list(c.index) == ["const", *exp["terms"]]
    for key, vals in exp[robust].items():
        np.testing.assert_allclose(c[key].to_numpy(), vals, rtol=1e-9, err_msg=key)
    np.testing.assert_allclose(c["std_coef"].to_numpy()[1:], exp["std_coef"], rtol=1e-9)
    np.testing.assert_allclose(c["shapley_r2"].to_numpy()[1:], exp["shapley_r2"], rtol=1e-9)
    np.testing.assert_allclose(c["contribution"].to_numpy()[1:], exp["contribution"], rtol=1e-9,
                               atol=1e-12)
    assert res.r2 == pytest.approx(exp["r2"], rel=1e-12)
    assert res.adj_r2 == pytest.approx(exp["adj_r2"], rel=1e-12)


def test_drivers_group_totals(swiss):
    X, exp = swiss
    res = drivers(X, outcome="Fertility", internal=exp["internal"], external=exp["external"],
                  change=exp["change"])
    g = res.groups
    assert list(g.index) == ["internal", "external"]
    assert g["shapley_r2"].sum() == pytest.approx(res.r2, rel=1e-12)
    assert g["share_r2"].sum() == pytest.approx(1.0, rel=1e-12)
    assert g.loc["internal", "shapley_r2"] == pytest.approx(sum(exp["shapley_r2"][:2]), rel=1e-9)
    assert g.loc["external", "contribution"] == pytest.approx(sum(exp["contribution"][2:]), rel=1e-9)
    assert g.loc["internal", "n_terms"] == 2
    assert (res.coefficients["group"].tolist()
            == ["intercept", "internal", "internal", "external", "external", "external"])
    json.dumps(res.to_dict())
    assert "_fit" not in res.to_dict()
    assert "internal" in res.summary()


def test_drivers_external_only_and_no_change(swiss):
    X, _ = swiss
    res = drivers(X, outcome="Fertility", external=["Agriculture"])
    assert res.groups.loc["internal", "n_terms"] == 0
    assert res.groups.loc["internal", "shapley_r2"] == 0.0
    assert res.groups.loc["external", "shapley_r2"] == pytest.approx(res.r2)
    assert res.coefficients["contribution"].isna().all()


@pytest.mark.parametrize("kwargs,arg,match", [
    ({"internal": ["Education"], "external": ["Education"]}, "external", "both"),
    ({"internal": ["Nope"]}, "internal", "unknown"),
    ({"internal": "Education"}, "internal", "list"),
    ({}, "internal", "at least one"),
    ({"outcome": "Nope", "internal": ["Education"]}, "outcome", "not a column"),
    ({"internal": ["Fertility"]}, "outcome", "cannot also be a factor"),
    ({"internal": ["Education"], "robust": "HC5"}, "robust", "one of"),
    ({"internal": ["Education"], "change": {"Education": 1.0, "Catholic": 2.0}}, "change", "extra"),
    ({"internal": ["Education", "Catholic"], "change": {"Education": 1.0}}, "change", "missing"),
])
def test_drivers_bad_arguments(swiss, kwargs, arg, match):
    X, _ = swiss
    args = {"outcome": "Fertility", **kwargs}
    with pytest.raises(InputError, match=match) as ei:
        drivers(X, **args)
    assert ei.value.argument == arg


def test_drivers_degenerate_data(swiss):
    X, _ = swiss
    with pytest.raises(InputError, match="constant"):
        drivers(X.assign(k=1.0), outcome="Fertility", internal=["k"])
    with pytest.raises(InputError, match="collinear"):
        drivers(X.assign(e2=2 * X["Education"]), outcome="Fertility", internal=["Education", "e2"])
    with pytest.raises(InputError, match="more observations"):
        drivers(X.iloc[:4], outcome="Fertility", internal=["Education", "Catholic", "Agriculture"])
    many = pd.DataFrame(np.random.default_rng(0).normal(size=(60, MAX_DRIVERS + 2)),
                        columns=[f"v{i}" for i in range(MAX_DRIVERS + 2)])
    with pytest.raises(InputError, match=f"at most {MAX_DRIVERS}"):
        drivers(many, outcome="v0", internal=[f"v{i}" for i in range(1, MAX_DRIVERS + 2)])
