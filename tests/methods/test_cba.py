"""Tests of 成本收益分析法 / 最低成本法 (perfkit.methods.cba).

Reference values live in tests/reference/{cba,irr,least_cost}/<case>/ (inputs, expected, make.py,
meta.json). They were produced by numpy-financial, pyxirr, sympy, scipy or transcribed from
published examples; none of those tools is needed here.
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from perfkit.errors import IdentityError, InputError, MethodError
from perfkit.methods import cba
from perfkit.methods.cba import (GREENBOOK_SCHEDULE, OPTIMISM_BIAS, CBAResult, IRRWarning,
                                 appraise, bcr, discount_factors, irr, irrs, least_cost,
                                 mirr, monte_carlo_npv, npv, optimism_bias, payback,
                                 switching_values, tornado, xirr, xirrs, xnpv)

REF = Path(__file__).resolve().parents[1] / "reference"


def load(*parts):
    d = REF.joinpath(*parts)
    return (json.loads((d / "inputs.json").read_text()),
            json.loads((d / "expected.json").read_text()),
            json.loads((d / "meta.json").read_text()))


def close(a, b, rtol, atol=0.0):
    return abs(a - b) <= atol + rtol * abs(b)


# =========================================================================== references: IRR
def test_irr_conventional_matches_numpy_financial_and_pyxirr():
    inp, exp, meta = load("irr", "conventional")
    tol = meta["tolerance"]
    assert len(inp["streams"]) == 32
    for name, flows in inp["streams"].items():
        r = irr(flows)
        assert close(r, exp[name]["numpy_financial_irr"], tol["rtol"], tol["atol"]), name
        assert close(r, exp[name]["pyxirr_irr"], tol["rtol"], tol["atol"]), name
        assert list(irrs(flows)) == [r]
        assert abs(npv(flows, r)) <= 1e-9 * np.sum(np.abs(flows))


def test_two_irr_streams_list_every_root_and_irr_refuses():
    inp, exp, meta = load("irr", "two_irr")
    for name, flows in inp["streams"].items():
        want = exp[name]["irrs_exact"]
        got = irrs(flows)
        assert len(got) == len(want) >= 2, name
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
        with pytest.raises(MethodError) as ei:
            irr(flows)
        assert f"{len(want)} IRRs" in str(ei.value)
        for tool in ("numpy_financial_irr", "pyxirr_irr"):  # each tool picked one of them
            assert np.min(np.abs(got - exp[name][tool])) < 1e-9, (name, tool)
    # the documented disagreement: the two tools return different IRRs for the same stream
    two = exp["two_irr_10_20"]
    assert two["irrs_exact"] == [0.1, 0.2]
    assert round(two["numpy_financial_irr"], 12) == 0.1
    assert round(two["pyxirr_irr"], 12) == 0.2


def test_no_irr_streams_return_nan_with_warning():
    inp, exp, _ = load("irr", "no_irr")
    messages = {"no_real_root": "no real rate", "no_sign_change": "never change sign",
                "all_zero": "all flows are zero"}
    for name, flows in inp["streams"].items():
        assert len(irrs(flows)) == 0
        with pytest.warns(IRRWarning, match=messages[exp[name]["reason"]]):
            assert math.isnan(irr(flows))


def test_mirr_matches_both_tools():
    inp, exp, meta = load("irr", "mirr")
    tol = meta["tolerance"]
    for name, c in inp.items():
        r = mirr(c["flows"], c["finance_rate"], c["reinvest_rate"])
        assert close(r, exp[name]["numpy_financial_mirr"], tol["rtol"], tol["atol"]), name
        assert close(r, exp[name]["pyxirr_mirr"], tol["rtol"], tol["atol"]), name


def test_xnpv_and_xirr_match_pyxirr():
    inp, exp, meta = load("irr", "xirr")
    tx, ti = meta["tolerance"]["xnpv"], meta["tolerance"]["xirr"]
    for name, c in inp["cases"].items():
        e = exp["cases"][name]
        for rate, v in e["pyxirr_xnpv"].items():
            assert close(xnpv(float(rate), c["flows"], c["dates"]), v, tx["rtol"], tx["atol"])
        r = xirr(c["flows"], c["dates"])
        assert close(r, e["pyxirr_xirr"], ti["rtol"], ti["atol"]), name
        # perfkit's root is at least as good as the tool's
        assert abs(xnpv(r, c["flows"], c["dates"])) <= \
            abs(xnpv(e["pyxirr_xirr"], c["flows"], c["dates"])) + 1e-9
    two = inp["two_xirr"]
    np.testing.assert_allclose(xirrs(two["flows"], two["dates"]), [0.1, 0.2], rtol=1e-12)
    with pytest.raises(MethodError, match="2 XIRRs"):
        xirr(two["flows"], two["dates"])
    assert round(exp["two_xirr"]["pyxirr_xirr"], 12) == 0.1   # pyxirr silently picks one


# =========================================================================== references: CBA
def test_npv_matches_numpy_financial_and_pyxirr_both_conventions():
    inp, exp, meta = load("cba", "npv")
    tol = meta["tolerance"]
    streams = np.array(inp["streams"])
    for rate in inp["rates"]:
        got = npv(streams, rate)
        np.testing.assert_allclose(got, exp["t0_numpy_financial"][str(rate)], rtol=tol["rtol"],
                                   atol=tol["atol"])
        got_x = npv(streams, rate, convention="excel")
        np.testing.assert_allclose(got_x, exp["excel_pyxirr"][str(rate)], rtol=tol["rtol"],
                                   atol=tol["atol"])
        # one stream at a time gives the same floats
        assert npv(streams[3].tolist(), rate) == pytest.approx(got[3], rel=1e-15, abs=1e-12)
    frame = pd.DataFrame(streams, index=[f"s{i}" for i in range(len(streams))])
    s = npv(frame, 0.035)
    assert isinstance(s, pd.Series) and list(s.index) == list(frame.index)
    np.testing.assert_allclose(s.to_numpy(), exp["t0_numpy_financial"]["0.035"], rtol=1e-12,
                               atol=1e-9)


def test_greenbook_discount_factors_match_closed_form():
    inp, exp, meta = load("cba", "greenbook_discount")
    want = np.array([exp["discount_factor"][str(t)] for t in range(401)])
    got = discount_factors(400, "greenbook")
    np.testing.assert_allclose(got.to_numpy(), want, rtol=meta["tolerance"]["rtol"], atol=0)
    assert got.index[0] == 0 and got.index[-1] == 400 and got.name == "discount_factor"
    # the same schedule given as tiers (domain.md §12 style, with null) and as a mapping
    tiers = inp["tiers"]
    np.testing.assert_allclose(discount_factors(400, tiers), got, rtol=1e-15)
    np.testing.assert_allclose(discount_factors(400, {"schedule": "greenbook", "rates": tiers}),
                               got, rtol=1e-15)
    assert [list(t) for t in GREENBOOK_SCHEDULE] == tiers
    # step convention: 3.5% up to and including year 30, then 3%
    assert got[30] == pytest.approx(1.035 ** -30, rel=1e-14)
    assert got[31] == pytest.approx(1.035 ** -30 / 1.03, rel=1e-14)


def test_optimism_bias_table_and_green_book_example():
    inp, exp, _ = load("cba", "optimism_bias")
    for key, row in exp["table_pct"].items():
        for measure in ("works_duration", "capex"):
            want = row[measure]
            got = OPTIMISM_BIAS[key][measure]
            assert (got is None and want is None) or list(got) == want
    ex = inp["example"]
    res = optimism_bias(inp["base_cost"], ex["project_type"], shares=ex["shares"],
                        bound=ex["bound"], measure=ex["measure"])
    assert res.rate == pytest.approx(exp["example_rate"], abs=1e-12)
    assert res.adjusted == pytest.approx(exp["example_adjusted_cost"], abs=1e-9)
    assert res.components["contribution_pct"].sum() == pytest.approx(32.1, abs=1e-12)
    assert "444268" in res.source


def test_appraise_matches_reference_project():
    inp, exp, meta = load("cba", "appraise")
    tol = meta["tolerance"]
    res = appraise(inp["benefits"], inp["costs"], rate=inp["rate"])
    for field in ("pv_benefits", "pv_costs", "npv", "bcr", "payback", "discounted_payback"):
        assert close(getattr(res, field), exp[field], tol["rtol"], tol["atol"]), field
    assert close(res.irr, exp["irr_numpy_financial"], 1e-9, 1e-12)
    assert close(res.irr, exp["irr_pyxirr"], 1e-9, 1e-12)
    assert res.irrs == (res.irr,) and res.irr_note == ""
    net = np.subtract(inp["benefits"], inp["costs"])
    assert close(mirr(net, inp["rate"], inp["rate"]), exp["mirr_numpy_financial"], 1e-12)
    x = appraise(inp["benefits"], inp["costs"], rate=inp["rate"], convention="excel")
    assert close(x.npv, exp["npv_excel_pyxirr"], tol["rtol"], tol["atol"])
    t = res.to_frame()
    assert list(t.columns) == ["benefits", "costs", "net", "discount_factor", "pv_benefits",
                               "pv_costs", "pv_net", "cumulative_net", "cumulative_pv_net"]
    assert t["pv_net"].sum() == pytest.approx(res.npv, rel=1e-12)
    json.dumps(res.to_dict())  # JSON-safe
    assert "npv" in res.summary() and "<strong>" in res._repr_html_()


# =========================================================================== references: MC
def _mc_project():
    inp, exp, _ = load("cba", "monte_carlo")
    comps = inp["components"]
    b = pd.DataFrame({k: v["stream"] for k, v in comps.items() if v["kind"] == "benefit"}).T
    c = pd.DataFrame({k: v["stream"] for k, v in comps.items() if v["kind"] == "cost"}).T
    return inp, exp, b, c


def test_monte_carlo_mixed_distributions_match_exact_moments():
    inp, exp, b, c = _mc_project()
    n = 1_000_000
    res = monte_carlo_npv(b, c, rate=inp["rate"], uncertain=inp["cases"]["mixed"], n=n, seed=1)
    e = exp["mixed"]
    assert abs(res.mean - e["mean"]) <= 5 * e["sd"] / math.sqrt(n)
    assert abs(res.sd - e["sd"]) <= 0.01 * e["sd"]
    assert res.npv_base == pytest.approx(exp["pv"]["time_savings"] + exp["pv"]["safety"]
                                         - exp["pv"]["capex"] - exp["pv"]["opex"], rel=1e-12)
    assert res.p5 < res.p50 < res.p95
    assert res.seed == 1 and res.n == n


def test_monte_carlo_all_normal_matches_exact_quantiles():
    inp, exp, b, c = _mc_project()
    n = 1_000_000
    res = monte_carlo_npv(b, c, rate=inp["rate"], uncertain=inp["cases"]["all_normal"], n=n)
    e = exp["all_normal"]
    sd = e["sd"]
    assert abs(res.mean - e["mean"]) <= 5 * sd / math.sqrt(n)
    assert abs(res.sd - sd) <= 5 * sd / math.sqrt(2 * n)
    phi = {0.05: 0.10313564037537128, 0.5: 0.3989422804014327, 0.95: 0.10313564037537128}
    for q, field in ((0.05, "p5"), (0.5, "p50"), (0.95, "p95")):
        se = math.sqrt(q * (1 - q) / n) / (phi[q] / sd)
        assert abs(getattr(res, field) - e[field]) <= 5 * se, field
    p = e["prob_negative"]
    assert abs(res.prob_negative - p) <= 5 * math.sqrt(p * (1 - p) / n)
    assert res.seed == cba.MC_DEFAULT_SEED


def test_monte_carlo_is_seeded_vectorised_and_fast():
    inp, _, b, c = _mc_project()
    unc = inp["cases"]["mixed"]
    t0 = time.perf_counter()
    r1 = monte_carlo_npv(b, c, rate=0.035, uncertain=unc, n=1_000_000, seed=7)
    elapsed = time.perf_counter() - t0
    assert elapsed < 3.0   # typically ~0.2 s; generous for a loaded CI machine
    r2 = monte_carlo_npv(b, c, rate=0.035, uncertain=unc, n=1_000_000, seed=7)
    r3 = monte_carlo_npv(b, c, rate=0.035, uncertain=unc, n=1_000_000, seed=8)
    assert r1.to_dict() == r2.to_dict()
    assert r1.mean != r3.mean
    d = r1.to_dict()
    assert d["seed"] == 7 and "_draws" not in d and len(json.dumps(d)) < 10_000
    with pytest.raises(MethodError):
        r1.draws
    k = monte_carlo_npv(b, c, rate=0.035, uncertain=unc, n=1000, seed=7, keep_draws=True)
    assert k.draws.shape == (1000,) and k.mean == pytest.approx(k.draws.mean(), rel=1e-12)
    assert list(r1.to_frame().index[:3]) == ["mean", "sd", "min"]


@pytest.mark.parametrize("spec,mean", [
    (("normal", 1.2, 0.1), 1.2),
    (("uniform", 0.8, 1.4), 1.1),
    (("triangular", 0.9, 1.0, 1.5), (0.9 + 1.0 + 1.5) / 3),
    (("pert", 0.6, 1.0, 1.2), (0.6 + 4 * 1.0 + 1.2) / 6),
    (("pert", 0.6, 1.0, 1.2, 2.0), (0.6 + 2 * 1.0 + 1.2) / 4),
    ({"dist": "lognormal", "mean": 1.1, "sd": 0.4}, 1.1),
    ({"dist": "lognormal", "mu": 0.0, "sigma": 0.5}, math.exp(0.125)),
])
def test_monte_carlo_each_distribution_has_its_mean(spec, mean):
    # one benefit of PV 100, no costs: NPV = 100·F
    res = monte_carlo_npv([100.0], [0.0], rate=0.0, uncertain={"benefits": spec}, n=200_000,
                          seed=3)
    assert res.mean == pytest.approx(100 * mean, rel=5e-3)


# =========================================================================== references: least cost
def _opts(inp):
    return pd.DataFrame(inp["options"]).T.astype(float)


def test_least_cost_frick_strong_and_extended_dominance():
    inp, exp, _ = load("least_cost", "frick_extended")
    opts = _opts(inp)
    res = least_cost(opts, effect="effect")
    t = res.to_frame()
    assert t["dominated"].to_dict() == exp["strongly_dominated"]
    assert t["extended_dominated"].to_dict() == exp["extended_dominated"]
    assert list(res.frontier) == exp["frontier"]
    for k, v in exp["icer"].items():
        assert t.loc[k, "icer"] == pytest.approx(v, rel=1e-12)
    for k, v in exp["cost_per_effect"].items():
        assert t.loc[k, "cost_per_effect"] == pytest.approx(v, rel=1e-12)
    by_cost = t.sort_values("cost")
    assert list(by_cost.index[~by_cost["dominated"]]) == exp["published_table2_order_by_cost"]
    assert t.loc["5", "dominated_by"] == "2"
    assert res.best == "3" and t.loc["3", "rank"] == 1
    # without extended dominance, 1 and 4 stay on the frontier
    plain = least_cost(opts, effect="effect", extended=False)
    assert list(plain.frontier) == ["2", "1", "4", "3"]
    assert not plain.to_frame()["extended_dominated"].any()


def test_least_cost_published_absolute_dominance():
    inp, exp, meta = load("least_cost", "pmc7083239")
    opts = _opts(inp)
    res = least_cost(opts["cost"], effect=opts["effect"])
    t = res.to_frame()
    for k, v in exp["cost_per_effect"].items():
        assert t.loc[k, "cost_per_effect"] == pytest.approx(v, rel=5e-6)
    assert t["dominated"].to_dict() == exp["dominated"]
    assert t.loc["Strategy 2", "dominated_by"] == "Strategy 3"
    assert t.loc["Strategy 3", "icer"] == pytest.approx(exp["icer"]["Strategy 3"], rel=1e-4)
    assert list(res.frontier) == exp["frontier"]


def test_least_cost_published_frontier_with_zero_effect_baseline():
    inp, exp, _ = load("least_cost", "anz_frontier")
    opts = _opts(inp)
    res = least_cost(opts, effect="effect")
    t = res.to_frame()
    assert list(res.frontier) == exp["frontier"]
    assert not t["dominated"].any() and not t["extended_dominated"].any()
    for k, v in exp["icer"].items():
        assert t.loc[k, "icer"] == pytest.approx(v, rel=3e-3)
    for k, v in exp["cost_per_effect"].items():
        assert t.loc[k, "cost_per_effect"] == pytest.approx(v, rel=3e-3)
    assert math.isnan(t.loc["EXISTING PRACTICE", "cost_per_effect"])
    assert t.loc["EXISTING PRACTICE", "rank"] == len(t)   # NaN ratio ranks last


# =========================================================================== discounting edge cases
def test_discount_factor_forms():
    np.testing.assert_allclose(discount_factors(5, 0.05), 1.05 ** -np.arange(6), rtol=1e-15)
    per_year = [0.01, 0.02, 0.03]
    np.testing.assert_allclose(discount_factors(3, per_year),
                               [1, 1 / 1.01, 1 / 1.01 / 1.02, 1 / 1.01 / 1.02 / 1.03], rtol=1e-15)
    # extra per-year rates are ignored; a Series or an array works the same way
    np.testing.assert_allclose(discount_factors(2, pd.Series(per_year)),
                               discount_factors(2, np.array(per_year)), rtol=0)
    tiers = [[2, 0.10], [None, 0.0]]
    np.testing.assert_allclose(discount_factors(4, tiers), [1, 1 / 1.1, 1 / 1.21, 1 / 1.21,
                                                            1 / 1.21], rtol=1e-15)
    assert discount_factors(0, "greenbook").tolist() == [1.0]
    for name in ("GreenBook", "green_book", "green-book"):
        assert discount_factors(31, name)[31] == pytest.approx(1.035 ** -30 / 1.03, rel=1e-14)
    # a negative rate above −1 is allowed (factors above 1)
    assert discount_factors(1, -0.5)[1] == pytest.approx(2.0)


@pytest.mark.parametrize("n_years,schedule,msg", [
    (3, -1.0, "greater than −1"),
    (3, -1.5, "greater than −1"),
    (3, float("nan"), "finite"),
    (3, [0.03, -1.0, 0.03], "greater than −1"),
    (3, [0.03, 0.03], "needed"),
    (3, [[1, 0.03], [2, 0.02]], "ends at year 2"),
    (3, [[2, 0.03], [1, 0.02], [None, 0.01]], "increase"),
    (3, [[None, 0.03], [5, 0.02]], "last tier"),
    (3, [[1, -2.0], [None, 0.02]], "greater than −1"),
    (3, "stern", "unknown schedule"),
    (3, [], "empty"),
    (3, {"discount": 0.03}, "'rates' or 'schedule'"),
    (3, True, "must be a number"),
    (-1, 0.03, "whole number"),
    (2.5, 0.03, "whole number"),
])
def test_discount_factor_bad_arguments(n_years, schedule, msg):
    with pytest.raises(InputError, match=msg) as ei:
        discount_factors(n_years, schedule)
    assert ei.value.argument in ("schedule", "n_years")


def test_npv_conventions_and_shapes():
    f = [-100.0, 60.0, 60.0]
    assert npv(f, 0.1) == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21, rel=1e-15)
    assert npv(f, 0.1, convention="excel") == pytest.approx(npv(f, 0.1) / 1.1, rel=1e-14)
    s = pd.Series(f, index=[2025, 2026, 2027])
    assert npv(s, 0.1) == npv(f, 0.1)          # labels are not years: position is
    assert npv([5.0], 0.1) == 5.0
    assert npv(f, "greenbook") == pytest.approx(-100 + 60 / 1.035 + 60 / 1.035 ** 2, rel=1e-14)
    arr = np.array([f, [0.0, 0.0, 121.0]])
    np.testing.assert_allclose(npv(arr, 0.1), [npv(f, 0.1), 100.0], rtol=1e-14)


@pytest.mark.parametrize("flows,rate,kw,msg,arg", [
    ([-100, np.nan, 50], 0.05, {}, "NaN", "flows"),
    ([-100, np.inf, 50], 0.05, {}, "NaN or infinite", "flows"),
    ([-100, 50], -1.0, {}, "greater than −1", "rate"),
    ([-100, 50], -3, {}, "greater than −1", "rate"),
    ([-100, 50], 0.05, {"convention": "end"}, "t0", "convention"),
    ([["a", "b"]], 0.05, {}, "numbers", "flows"),
    (np.zeros((2, 2, 2)), 0.05, {}, "3-D", "flows"),
])
def test_npv_bad_arguments(flows, rate, kw, msg, arg):
    with pytest.raises(InputError, match=msg) as ei:
        npv(flows, rate, **kw)
    assert ei.value.argument == arg
    assert isinstance(ei.value, ValueError)


def test_nan_location_is_reported():
    with pytest.raises(InputError, match=r"'b' \(year 1\)"):
        irr(pd.Series([-1.0, np.nan, 2.0], index=["a", "b", "c"]))
    frame = pd.DataFrame([[1.0, 2.0], [3.0, np.nan]], index=["x", "y"])
    with pytest.raises(InputError, match="row 'y', year 1"):
        npv(frame, 0.03)


# =========================================================================== IRR edge cases
@pytest.mark.parametrize("flows,want", [
    ([-100, 110], [0.1]),
    ([0, 0, -100, 110], [0.1]),                      # leading zeros shift, IRR unchanged
    ([-100, 110, 0, 0], [0.1]),                      # trailing zeros
    ([-1, 2, -1], [0.0]),                            # double root: NPV touches zero at r = 0
    ([-100, 0, 0, 0, 0, 50], [0.5 ** 0.2 - 1]),      # negative IRR
    ([100, -110], [0.1]),                            # borrowing
    ([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1024], [1.0]),  # 100 % over ten years: 2^10
])
def test_irrs_edge_cases(flows, want):
    np.testing.assert_allclose(irrs(flows), want, rtol=1e-9, atol=1e-9)


def test_irrs_triple_root_is_one_root():
    # -100(1 - x)^3 with x = 1/(1+r): one IRR of multiplicity 3 at r = 0 (ill-conditioned:
    # double precision only pins it to ~eps^(1/3))
    got = irrs([-100, 300, -300, 100])
    assert len(got) == 1 and abs(got[0]) < 1e-4


def test_irrs_agree_with_independent_root_isolation():
    """np.roots + polishing (irrs) against Rolle isolation (xirrs on 365-day spaced dates)."""
    rng = np.random.default_rng(2024)
    dates = pd.date_range("2001-01-01", periods=40, freq="365D")
    checked_multi = 0
    for _ in range(150):
        n = int(rng.integers(2, 16))
        f = rng.normal(size=n) * rng.choice([1.0, 1e3, 1e6])
        f[rng.random(n) < 0.25] = 0.0
        a = irrs(f)
        b = xirrs(f, dates[:n])
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)
        checked_multi += len(a) > 1
        for r in a:  # every root really is a root
            x = 1 / (1 + r)
            gross = np.sum(np.abs(f) * x ** np.arange(n))
            assert abs(np.sum(f * x ** np.arange(n))) <= 1e-8 * gross
    assert checked_multi >= 5


def test_irr_long_stream_and_single_sign_change():
    f = [-1000.0] + [40.0] * 300
    r = irr(f)
    assert abs(npv(f, r)) < 1e-8
    assert 0.039 < r < 0.04


def test_irr_warnings_and_bad_input():
    with pytest.warns(IRRWarning, match="all flows are zero"):
        assert math.isnan(irr([0.0, 0.0, 0.0]))
    with pytest.warns(IRRWarning, match="never change sign"):
        assert math.isnan(irr([-5.0]))
    with pytest.raises(InputError, match="NaN"):
        irr([-100, np.nan, 120])
    with pytest.raises(InputError, match="at least 1"):
        irr([])
    with pytest.raises(InputError, match="1-D"):
        irrs([[-1, 2], [-1, 2]])
    # MethodError lists the roots
    with pytest.raises(MethodError, match=r"0\.1, 0\.2"):
        irr([-100, 230, -132])


def test_mirr_edge_cases():
    with pytest.warns(IRRWarning, match="positive and a negative"):
        assert math.isnan(mirr([100, 50], 0.05, 0.05))
    with pytest.warns(IRRWarning):
        assert math.isnan(mirr([0, 0, 0], 0.05, 0.05))
    assert mirr([-100, 121], 0.0, 0.0) == pytest.approx(0.21, rel=1e-14)
    with pytest.raises(InputError, match="greater than −1") as ei:
        mirr([-100, 121], -1.0, 0.05)
    assert ei.value.argument == "finance_rate"
    with pytest.raises(InputError, match="at least 2"):
        mirr([-100], 0.05, 0.05)


def test_xirr_forms_and_errors():
    s = pd.Series([-1000.0, 1100.0], index=pd.to_datetime(["2021-03-01", "2022-03-01"]))
    assert xirr(s) == pytest.approx(0.1, rel=1e-12)     # 365 days apart
    assert xnpv(0.1, s) == pytest.approx(0.0, abs=1e-9)
    # time of day is ignored, datetime objects work
    assert xirr([-1000.0, 1100.0], ["2021-03-01 09:00", "2022-03-01 17:30"]) == \
        pytest.approx(0.1, rel=1e-12)
    with pytest.raises(InputError, match="precede the first date"):
        xnpv(0.05, [-10, 5, 6], ["2020-06-01", "2020-01-01", "2021-01-01"])
    with pytest.raises(InputError, match="one date per flow"):
        xirr([-10, 5, 6], ["2020-01-01", "2021-01-01"])
    with pytest.raises(InputError, match="missing"):
        xirr([-10, 11], ["2020-01-01", None])
    with pytest.raises(InputError, match="dates are required"):
        xirr([-10, 11])
    with pytest.raises(InputError, match="greater than −1"):
        xnpv(-1.0, [-10, 11], ["2020-01-01", "2021-01-01"])
    with pytest.warns(IRRWarning, match="never change sign"):
        assert math.isnan(xirr([10, 11], ["2020-01-01", "2021-01-01"]))
    # flows on the same date are netted: here they cancel to nothing at all
    with pytest.warns(IRRWarning):
        assert math.isnan(xirr([-10, 10], ["2020-01-01", "2020-01-01"]))


# =========================================================================== BCR and payback
def test_bcr_values_and_errors():
    assert bcr([0, 110], [100, 0], 0.1) == pytest.approx(1.0, rel=1e-14)
    comp = pd.DataFrame([[0, 55], [0, 55]], index=["a", "b"])
    assert bcr(comp, [100, 0], 0.1) == pytest.approx(1.0, rel=1e-14)
    with pytest.raises(InputError, match="positive") as ei:
        bcr([0, 10], [0, 0], 0.05)
    assert ei.value.argument == "costs"
    with pytest.raises(InputError, match="same years"):
        bcr([0, 10, 10], [5, 0], 0.05)


@pytest.mark.parametrize("flows,rate,want", [
    ([-100, 60, 60], None, 1 + 40 / 60),
    ([-100, 60, 60], 0.1, 1 + (100 - 60 / 1.1) / (60 / 1.21)),
    ([-100, 50, 50, 50], None, 2.0),                 # exactly recovered at the end of year 2
    ([0, -100, 60, 60], None, 2 + 40 / 60),          # nothing spent in year 0
    ([100, 10], None, 0.0),                          # never negative
    ([0, 0, 0], None, 0.0),
    ([-100, 10, 10], None, math.nan),                # never pays back
    ([-100, 60, 50], 0.2, math.nan),                 # pays back simply, not discounted
    ([-100, 150, -100, 60], None, 100 / 150),        # first crossing counts
])
def test_payback(flows, rate, want):
    got = payback(flows, rate=rate)
    if math.isnan(want):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(want, rel=1e-14)


def test_payback_with_schedule_and_bad_rate():
    f = [-100] + [20] * 40
    assert payback(f, rate="greenbook") > payback(f)
    with pytest.raises(InputError):
        payback(f, rate=-1)


# =========================================================================== appraise
def test_appraise_components_labels_and_multiple_irrs():
    years = [2025, 2026, 2027]
    b = pd.DataFrame([[0, 150, 0], [0, 80, 0]], index=["fees", "time"], columns=years)
    c = pd.DataFrame([[100, 0, 132]], index=["capex"], columns=years)
    res = appraise(b, c, rate=0.15)
    assert list(res.to_frame().index) == years
    assert res.irrs == pytest.approx((0.1, 0.2), rel=1e-12)
    assert math.isnan(res.irr) and "2 IRRs" in res.irr_note
    assert res.npv == pytest.approx(-100 + 230 / 1.15 - 132 / 1.15 ** 2, rel=1e-13)
    assert res.schedule == 0.15


def test_appraise_greenbook_schedule_and_no_irr():
    res = appraise([10, 10, 10], [0, 0, 0], rate="greenbook")
    assert math.isnan(res.irr) and "never change sign" in res.irr_note
    assert math.isnan(res.bcr)                 # PV(costs) = 0
    assert res.schedule == "greenbook"
    assert res.payback == 0.0


def test_cba_result_identity_is_checked():
    good = appraise([0, 120], [100, 0], rate=0.1)
    kw = {f: getattr(good, f) for f in ("pv_benefits", "pv_costs", "bcr", "irr", "irrs",
                                        "irr_note", "payback", "discounted_payback", "schedule",
                                        "convention", "table")}
    with pytest.raises(IdentityError, match="NPV"):
        CBAResult(npv=good.npv + 1e-6, **kw)
    kw["bcr"] = good.bcr * 1.01
    with pytest.raises(IdentityError, match="BCR"):
        CBAResult(npv=good.npv, **kw)


@pytest.mark.parametrize("benefits,costs,msg", [
    ([0, 10, 10], [5, 0], "same years"),
    (pd.Series([0, 10], index=[2020, 2021]), pd.Series([5, 0], index=[2021, 2022]),
     "different years"),
    (pd.DataFrame([[0, 1]], index=["x"]), pd.DataFrame([[1, 0]], index=["x"]), "unique"),
    ([0, np.nan], [1, 0], "NaN"),
])
def test_appraise_bad_inputs(benefits, costs, msg):
    with pytest.raises(InputError, match=msg):
        appraise(benefits, costs, rate=0.03)


# =========================================================================== optimism bias
def test_optimism_bias_options():
    assert optimism_bias(100, "standard_civil_engineering").rate == pytest.approx(0.44)
    assert optimism_bias(100, "Standard civil engineering", bound="lower").rate == \
        pytest.approx(0.03)
    assert optimism_bias(100, "非标准建筑").rate == pytest.approx(0.51)
    r = optimism_bias(100, "equipment_development", mitigation=0.25)
    assert r.unmitigated_rate == pytest.approx(2.0) and r.rate == pytest.approx(1.5)
    assert r.adjusted == pytest.approx(250.0)
    w = optimism_bias(24, "non-standard buildings", measure="works_duration")
    assert w.adjusted == pytest.approx(24 * 1.39)
    m = optimism_bias(100, {"non_standard_buildings": 0.3, "standard_buildings": 0.7})
    assert m.rate == pytest.approx(0.321, abs=1e-12)
    s = optimism_bias(pd.Series([60.0, 40.0], index=[2025, 2026], name="capex"),
                      "standard_buildings")
    assert list(s.adjusted.index) == [2025, 2026]
    np.testing.assert_allclose(s.adjusted, [74.4, 49.6])
    json.dumps(s.to_dict())
    assert "rate" in m.summary()


@pytest.mark.parametrize("args,kw,msg,arg", [
    ((100, "stadiums"), {}, "unknown project type", "project_type"),
    ((100, "outsourcing"), {"measure": "works_duration"}, "no works_duration", "measure"),
    ((100, ["standard_buildings", "outsourcing"]), {"shares": [0.5, 0.6]}, "sum to 1", "shares"),
    ((100, ["standard_buildings", "outsourcing"]), {}, "needs shares", "shares"),
    ((100, ["standard_buildings", "outsourcing"]), {"shares": [1.0]}, "one share", "shares"),
    ((100, ["standard_buildings", "standard_buildings"]), {"shares": [.5, .5]}, "once",
     "project_type"),
    ((100, ["standard_buildings", "outsourcing"]), {"shares": [1.5, -0.5]}, "≥ 0", "shares"),
    ((100, "standard_buildings"), {"mitigation": 1.5}, r"\[0, 1\]", "mitigation"),
    ((100, "standard_buildings"), {"bound": "middle"}, "upper", "bound"),
    ((100, "standard_buildings"), {"measure": "opex"}, "one of", "measure"),
    ((-5, "standard_buildings"), {}, "≥ 0", "base_cost"),
    (([1, -5], "standard_buildings"), {}, "negative", "base_cost"),
    ((100, {"standard_buildings": 1.0}), {"shares": [1.0]}, "not both", "shares"),
])
def test_optimism_bias_bad_arguments(args, kw, msg, arg):
    with pytest.raises(InputError, match=msg) as ei:
        optimism_bias(*args, **kw)
    assert ei.value.argument == arg


# =========================================================================== switching, tornado
@pytest.fixture
def project():
    b = pd.DataFrame([[0] + [30] * 20, [0] + [10] * 20], index=["time_savings", "safety"],
                     dtype=float)
    c = pd.DataFrame([[200] + [0] * 20, [0] + [5] * 20], index=["capex", "opex"], dtype=float)
    return b, c


def test_switching_values_make_npv_zero(project):
    b, c = project
    res = switching_values(b, c, rate="greenbook")
    t = res.to_frame()
    assert list(t.index) == ["time_savings", "safety", "capex", "opex", "(all benefits)",
                             "(all costs)"]
    assert res.npv == pytest.approx(appraise(b, c, rate="greenbook").npv, rel=1e-14)
    for comp in ["time_savings", "safety", "capex", "opex"]:
        x = t.loc[comp, "switching_value"]
        b2, c2 = b.copy(), c.copy()
        if comp in b2.index:
            b2.loc[comp] *= 1 + x
        else:
            c2.loc[comp] *= 1 + x
        assert abs(appraise(b2, c2, rate="greenbook").npv) < 1e-9
    assert t.loc["capex", "switching_value"] > 0 > t.loc["time_savings", "switching_value"]
    x = t.loc["(all benefits)", "switching_value"]
    assert abs(appraise(b * (1 + x), c, rate="greenbook").npv) < 1e-9
    assert abs(npv(b.sum() - c.sum(), res.switching_rate)) < 1e-9   # the IRR
    one = switching_values([0, 110], [100, 0], rate=0.0, totals=False)
    assert list(one.to_frame().index) == ["benefits", "costs"]
    assert one.to_frame().loc["benefits", "switching_value"] == pytest.approx(-10 / 110)


def test_switching_value_of_zero_pv_component_is_nan():
    b = pd.DataFrame([[0, 110], [0, 0]], index=["a", "b"])
    res = switching_values(b, [100, 0], rate=0.0)
    assert math.isnan(res.to_frame().loc["b", "switching_value"])


def test_tornado_values_and_order(project):
    b, c = project
    ranges = {"capex": (-0.1, 0.3), "time_savings": (-0.2, 0.1), "opex": (-0.1, 0.1)}
    res = tornado(b, c, rate=0.035, ranges=ranges, rate_range=(0.015, 0.07))
    t = res.to_frame()
    assert list(t.columns) == ["low", "high", "npv_low", "npv_high", "swing"]
    assert t["swing"].is_monotonic_decreasing
    assert t.index[0] == "discount rate"
    b2 = b.copy()
    b2.loc["time_savings"] *= 0.8
    assert t.loc["time_savings", "npv_low"] == pytest.approx(appraise(b2, c, rate=0.035).npv,
                                                             rel=1e-13)
    assert t.loc["discount rate", "npv_high"] == pytest.approx(appraise(b, c, rate=0.07).npv,
                                                               rel=1e-13)
    df_ranges = pd.DataFrame({"low": [-0.1], "high": [0.3]}, index=["capex"])
    assert tornado(b, c, rate=0.035, ranges=df_ranges).to_frame().loc["capex", "npv_high"] == \
        t.loc["capex", "npv_high"]
    every = tornado(b, c, rate=0.035, ranges=(-0.1, 0.1))
    assert set(every.to_frame().index) == {"time_savings", "safety", "capex", "opex"}


@pytest.mark.parametrize("kw,msg,arg", [
    ({"ranges": {"landfill": (-0.1, 0.1)}}, "unknown component", "ranges"),
    ({"ranges": {"capex": (-0.1,)}}, "pair", "ranges"),
    ({"ranges": {"capex": (-0.1, float("nan"))}}, "pair", "ranges"),
    ({"ranges": "wide"}, "mapping", "ranges"),
    ({"ranges": {}}, "at least one", "ranges"),
    ({"ranges": {"capex": (0, 1)}, "rate_range": (0.01,)}, "pair", "rate_range"),
])
def test_tornado_bad_arguments(project, kw, msg, arg):
    b, c = project
    with pytest.raises(InputError, match=msg) as ei:
        tornado(b, c, rate=0.03, **kw)
    assert ei.value.argument == arg


@pytest.mark.parametrize("uncertain,kw,msg,arg", [
    ({"capex": ("gamma", 1, 2)}, {}, "unknown distribution", "uncertain['capex']"),
    ({"capex": ("normal", 1)}, {}, "takes parameters", "uncertain['capex']"),
    ({"capex": ("normal", 1, -0.1)}, {}, "sd must be", "uncertain['capex']"),
    ({"capex": ("triangular", 1.2, 1.0, 1.5)}, {}, "low ≤ mode", "uncertain['capex']"),
    ({"capex": ("uniform", 2, 1)}, {}, "low ≤ high", "uncertain['capex']"),
    ({"capex": {"dist": "normal", "mean": 1}}, {}, "needs parameters", "uncertain['capex']"),
    ({"capex": {"dist": "normal", "mean": 1, "sd": 1, "skew": 2}}, {}, "unknown parameter",
     "uncertain['capex']"),
    ({"capex": {"dist": "lognormal", "mean": 1, "sigma": 1}}, {}, "either",
     "uncertain['capex']"),
    ({"capex": {"dist": "lognormal", "mean": -1, "sd": 1}}, {}, "mean > 0",
     "uncertain['capex']"),
    ({"capex": {"dist": "pert", "low": 0, "mode": 1, "high": 2, "lamb": 0}}, {}, "lamb",
     "uncertain['capex']"),
    ({"capex": ("normal", 1, "x")}, {}, "finite number", "uncertain['capex']"),
    ({"capex": 5}, {}, "a distribution is", "uncertain['capex']"),
    ({"landfill": ("normal", 1, 0.1)}, {}, "unknown component", "uncertain"),
    ({}, {}, "non-empty", "uncertain"),
    ({"capex": ("normal", 1, 0.1)}, {"n": 1}, "whole number", "n"),
    ({"capex": ("normal", 1, 0.1)}, {"seed": None}, "whole number", "seed"),
    ({"capex": ("normal", 1, 0.1)}, {"seed": -3}, "whole number", "seed"),
    ({"capex": ("normal", 1, 0.1)}, {"rate": -1}, "greater than −1", "rate"),
])
def test_monte_carlo_bad_arguments(project, uncertain, kw, msg, arg):
    b, c = project
    kw = {"rate": 0.03, **kw}
    with pytest.raises(InputError, match=msg) as ei:
        monte_carlo_npv(b, c, uncertain=uncertain, n=kw.pop("n", 100), **kw)
    assert ei.value.argument == arg


# =========================================================================== least cost
def test_least_cost_without_effect_ranks_costs():
    costs = pd.Series([120.0, 90.0, 90.0, 150.0], index=["A", "B", "C", "D"], name="cost")
    res = least_cost(costs)
    t = res.to_frame()
    assert res.best == "B" and res.with_effect is False
    assert t["rank"].tolist() == [3, 1, 1, 4]
    assert t["cost_gap"].tolist() == [30.0, 0.0, 0.0, 60.0]
    assert t["dominated"].tolist() == [True, False, False, True]
    assert t.loc["D", "dominated_by"] == "B"
    assert list(res.frontier) == ["B", "C"]
    json.dumps(res.to_dict())


def test_least_cost_cost_streams_are_discounted():
    streams = pd.DataFrame([[100, 10, 10], [50, 40, 40]], index=["build", "lease"])
    res = least_cost(streams, rate=0.05)
    want = npv(streams, 0.05)
    np.testing.assert_allclose(res.to_frame()["cost"], want, rtol=1e-15)
    assert res.best == want.idxmin() and res.schedule == 0.05
    with pytest.raises(InputError, match="rate is required") as ei:
        least_cost(streams)
    assert ei.value.argument == "rate"
    withe = streams.assign(effect=[10.0, 9.0])
    r2 = least_cost(withe, effect="effect", rate="greenbook")
    assert r2.to_frame()["effect"].tolist() == [10.0, 9.0]


def test_least_cost_identical_options_share_status():
    opts = pd.DataFrame({"cost": [10.0, 10.0, 30.0, 25.0], "effect": [1.0, 1.0, 3.0, 2.0]},
                        index=list("abcd"))
    t = least_cost(opts, effect="effect").to_frame()
    assert t.loc["a", "on_frontier"] and t.loc["b", "on_frontier"]
    assert not t["dominated"].any()
    # d: ICER a→d = 15, d→c = 5 → d extendedly dominated
    assert t.loc["d", "extended_dominated"] and not t.loc["d", "on_frontier"]
    # equal ICERs are kept
    line = pd.DataFrame({"cost": [0.0, 10.0, 20.0], "effect": [0.0, 1.0, 2.0]}, index=list("xyz"))
    assert not least_cost(line, effect="effect").to_frame()["extended_dominated"].any()


@pytest.mark.parametrize("options,kw,msg,arg", [
    ([1, 2, 3], {}, "Series", "options"),
    (pd.Series([1.0, -2.0], index=["a", "b"]), {}, "≥ 0", "options"),
    (pd.Series([1.0, np.nan], index=["a", "b"]), {}, "NaN", "options"),
    (pd.Series([1.0, 2.0], index=["a", "a"]), {}, "unique", "options"),
    (pd.Series(dtype=float), {}, "at least one", "options"),
    (pd.Series([1.0, 2.0], index=["a", "b"]), {"effect": "effect"}, "names no column", "effect"),
    (pd.Series([1.0, 2.0], index=["a", "b"]), {"effect": [1.0]}, "one value per", "effect"),
    (pd.Series([1.0, 2.0], index=["a", "b"]), {"effect": [1.0, -1.0]}, "≥ 0", "effect"),
    (pd.Series([1.0, 2.0], index=["a", "b"]), {"effect": pd.Series({"a": 1.0})}, "no value",
     "effect"),
    (pd.DataFrame({"effect": [1.0]}), {"effect": "effect"}, "no cost column", "options"),
])
def test_least_cost_bad_arguments(options, kw, msg, arg):
    with pytest.raises(InputError, match=msg) as ei:
        least_cost(options, **kw)
    assert ei.value.argument == arg


# =========================================================================== package
def test_public_api_is_exported():
    import perfkit.methods as m
    for name in cba.__all__:
        assert hasattr(m, name), name
    assert {"appraise", "least_cost", "irr", "irrs", "xirr", "npv", "optimism_bias",
            "monte_carlo_npv", "tornado", "switching_values",
            "discount_factors"} <= set(cba.__all__)
