"""Tests of perfkit.methods.benchmark (标杆管理法): dea, malmquist, gap_to_benchmark, percentile_rank.

DEA and Malmquist numbers are checked against R lpSolve (tests/reference/dea/*,
tests/reference/malmquist/*; the make.R scripts write the LPs independently of perfkit) and
against a plain scipy ``linprog`` formulation written in this file.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.optimize import linprog

import perfkit.methods as pm
from perfkit.errors import IdentityError, InputError
from perfkit.methods import benchmark as bm
from perfkit.methods import dea, gap_to_benchmark, malmquist, percentile_rank

REF = Path(__file__).resolve().parents[1] / "reference"
MODELS = list(itertools.product(["crs", "vrs"], ["input", "output"], [False, True]))
DEA_CASES = {
    "hospital": (["doctors", "nurses"], ["outpatients", "inpatients"]),
    "random30": (["x1", "x2", "x3"], ["y1", "y2"]),
}


def _model_id(m):
    rts, ori, sup = m
    return f"{rts}-{ori}{'-super' if sup else ''}"


def _load_case(case):
    folder = REF / "dea" / case
    data = pd.read_csv(folder / "inputs.csv", index_col="unit")
    meta = json.loads((folder / "meta.json").read_text())
    ins, outs = DEA_CASES[case]
    return folder, data[ins], data[outs], meta


# ------------------------------------------------------------------------------------------
# DEA against R lpSolve
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", sorted(DEA_CASES))
@pytest.mark.parametrize("model", MODELS, ids=_model_id)
def test_dea_matches_r_lpsolve(case, model):
    rts, ori, sup = model
    folder, X, Y, meta = _load_case(case)
    tol = meta["tolerance"]
    stem = f"expected_{rts}_{ori}{'_super' if sup else ''}"
    exp = pd.read_csv(folder / f"{stem}.csv", index_col="unit")
    exp_lam = pd.read_csv(folder / f"{stem}_lambdas.csv")
    res = dea(X, Y, rts=rts, orientation=ori, super_efficiency=sup)
    frame = res.to_frame()
    assert list(frame.index) == list(X.index)
    # scores, including where they are undefined (NaN)
    np.testing.assert_array_equal(frame["efficiency"].isna(), exp["efficiency"].isna())
    np.testing.assert_allclose(frame["efficiency"], exp["efficiency"], rtol=0, atol=tol)
    # slacks and targets, relative to the column maximum
    scale = pd.concat([X, Y], axis=1).max()
    for c in scale.index:
        for kind in ("slack", "target"):
            got, want = frame[f"{kind}_{c}"], exp[f"{kind}_{c}"]
            np.testing.assert_array_equal(got.isna(), want.isna())
            np.testing.assert_allclose(got / scale[c], want / scale[c], rtol=0, atol=tol,
                                       err_msg=f"{kind}_{c}")
    # λ and peers (unique in these data sets)
    want = (exp_lam.pivot(index="unit", columns="peer", values="lambda")
            .reindex(index=X.index, columns=X.index).fillna(0.0))
    got = res.lambdas.reindex(index=X.index, columns=X.index).fillna(0.0)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=0, atol=tol)
    want_peers = exp_lam.groupby("unit")["peer"].apply(list).to_dict()
    assert res.peers == {u: want_peers.get(u, []) for u in X.index}


def test_hospital_ccr_scores_textbook_values():
    """CCR input-oriented scores of the Cooper–Seiford–Tone hospital example to 3 decimals
    (a readable digest of the R reference: A, B, D efficient; E the least efficient)."""
    _, X, Y, _ = _load_case("hospital")
    e = dea(X, Y).efficiency.round(3)
    assert e.to_dict() == {"A": 1.0, "B": 1.0, "C": 0.883, "D": 1.0, "E": 0.763, "F": 0.835,
                           "G": 0.902, "H": 0.796, "I": 0.960, "J": 0.871, "K": 0.955,
                           "L": 0.958}


def test_dea_crs_output_is_reciprocal_of_input():
    _, X, Y, _ = _load_case("random30")
    ti = dea(X, Y, rts="crs", orientation="input")
    to = dea(X, Y, rts="crs", orientation="output")
    np.testing.assert_allclose(to.efficiency, 1 / ti.efficiency, rtol=1e-12)


def test_dea_identities_and_result_api():
    _, X, Y, _ = _load_case("hospital")
    res = dea(X, Y, rts="vrs", orientation="input")
    # targets are the λ-combination of the peers, λ sums to 1 under VRS
    lam = res.lambdas.reindex(columns=X.index, fill_value=0.0)
    data = pd.concat([X, Y], axis=1)
    np.testing.assert_allclose(lam.to_numpy() @ data.to_numpy(), res.targets.to_numpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(res.lambdas.sum(axis=1), 1.0, rtol=1e-12)
    # the radial projection minus slacks
    np.testing.assert_allclose(res.targets["doctors"],
                               res.efficiency * X["doctors"] - res.slacks["doctors"],
                               rtol=1e-12)
    frame = res.to_frame()
    assert list(frame.columns) == (["efficiency"] + [f"slack_{c}" for c in data.columns]
                                   + [f"target_{c}" for c in data.columns] + ["peers"])
    assert frame.loc["C", "peers"] == "; ".join(res.peers["C"])
    text = res.summary()
    assert "BCC" in text and "input-oriented" in text
    assert "<table" in res._repr_html_()
    payload = json.loads(json.dumps(res.to_dict()))
    assert payload["type"] == "DEAResult" and payload["efficiency"]["A"] == 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.rts = "crs"


def test_dea_result_checks_its_identities():
    _, X, Y, _ = _load_case("hospital")
    res = dea(X, Y)
    with pytest.raises(IdentityError, match=r"\(0, 1\]"):
        dataclasses.replace(res, efficiency=res.efficiency * 1.5)
    out = dea(X, Y, orientation="output")
    with pytest.raises(IdentityError, match="≥ 1"):
        dataclasses.replace(out, efficiency=out.efficiency * 0.5)
    with pytest.raises(IdentityError, match="λ-combination"):
        dataclasses.replace(res, targets=res.targets * 1.1)


# ------------------------------------------------------------------------------------------
# DEA against an independent scipy formulation (inequality form, one LP per unit)
# ------------------------------------------------------------------------------------------
def _lp_scores(X, Y, rts, ori, sup):
    n, p = X.shape
    q = Y.shape[1]
    out = np.empty(n)
    for o in range(n):
        ref = [j for j in range(n) if not (sup and j == o)]
        Xr, Yr = X[ref], Y[ref]
        k = len(ref)
        c = np.r_[1.0 if ori == "input" else -1.0, np.zeros(k)]
        if ori == "input":
            A = np.vstack([np.column_stack([-X[o], Xr.T]), np.column_stack([np.zeros(q), -Yr.T])])
            b = np.r_[np.zeros(p), -Y[o]]
        else:
            A = np.vstack([np.column_stack([np.zeros(p), Xr.T]), np.column_stack([Y[o], -Yr.T])])
            b = np.r_[X[o], np.zeros(q)]
        eq = dict(A_eq=np.r_[0.0, np.ones(k)][None, :], b_eq=[1.0]) if rts == "vrs" else {}
        r = linprog(c, A_ub=A, b_ub=b, bounds=(0, None), method="highs", **eq)
        out[o] = r.x[0] if r.status == 0 else np.nan
        if ori == "output" and r.status == 0 and r.x[0] <= 1e-12:
            out[o] = np.nan
    return out


@pytest.fixture(scope="module")
def random_zeros():
    """80 units, 3 inputs, 2 outputs, with ties, zeros and duplicated rows (degenerate LPs)."""
    rng = np.random.default_rng(11)
    X = rng.integers(1, 8, size=(80, 3)).astype(float)
    Y = rng.integers(1, 8, size=(80, 2)).astype(float)
    X[rng.random((80, 3)) < 0.08] = 0.0
    Y[rng.random((80, 2)) < 0.08] = 0.0
    X[X.sum(axis=1) == 0, 0] = 1.0
    Y[Y.sum(axis=1) == 0, 0] = 1.0
    X[5], Y[5] = X[4], Y[4]                      # a duplicated unit
    idx = [f"d{i}" for i in range(80)]
    return (pd.DataFrame(X, index=idx, columns=["a", "b", "c"]),
            pd.DataFrame(Y, index=idx, columns=["u", "v"]))


@pytest.mark.parametrize("model", MODELS, ids=_model_id)
def test_dea_equals_one_lp_per_unit_on_degenerate_data(random_zeros, model):
    rts, ori, sup = model
    X, Y = random_zeros
    res = dea(X, Y, rts=rts, orientation=ori, super_efficiency=sup)
    want = _lp_scores(X.to_numpy(), Y.to_numpy(), rts, ori, sup)
    got = res.efficiency.to_numpy()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    assert res.n_fallback == 0


def test_column_generation_from_a_bad_start_is_exact(random_zeros):
    """Starting from a single reference column, the certificate must pull in the rest."""
    X, Y = random_zeros
    Xs, Ys = X.to_numpy() / X.max().to_numpy(), Y.to_numpy() / Y.max().to_numpy()
    reps = np.unique(np.hstack([Xs, Ys]), axis=0, return_index=True)[1]
    reps.sort()
    model = bm._Model(Xs[reps], Ys[reps], True, "input", np.ones(5))
    sol = bm._solve(model, Xs, Ys, cand=np.array([0]))
    want = _lp_scores(X.to_numpy(), Y.to_numpy(), "vrs", "input", False)
    np.testing.assert_allclose(sol.score, want, rtol=0, atol=1e-9)
    assert len(sol.ref_cols) > 1 and sol.n_fallback == 0


def test_linprog_fallback_path_gives_the_same_answer(monkeypatch):
    """If the batched simplex gives up, every unit goes to linprog (HiGHS) and nothing changes."""
    folder, X, Y, meta = _load_case("random30")
    exp = pd.read_csv(folder / "expected_vrs_output_super.csv", index_col="unit")

    def give_up(*args):
        st, basis, A_ext, C, offs = orig(*args)
        return np.full_like(st, bm._FAIL), basis, A_ext, C, offs

    orig = bm._batched_simplex
    monkeypatch.setattr(bm, "_batched_simplex", give_up)
    res = dea(X, Y, rts="vrs", orientation="output", super_efficiency=True)
    assert res.n_fallback >= len(X)
    np.testing.assert_array_equal(res.efficiency.isna(), exp["efficiency"].isna())
    np.testing.assert_allclose(res.efficiency, exp["efficiency"], atol=meta["tolerance"])
    np.testing.assert_allclose(res.slacks["y1"], exp["slack_y1"], atol=1e-6 * Y["y1"].max())


# ------------------------------------------------------------------------------------------
# DEA edge cases
# ------------------------------------------------------------------------------------------
def test_one_input_one_output_closed_form():
    """CRS, 1 input 1 output: θ_o = (y_o/x_o) / max_j (y_j/x_j); φ = 1/θ."""
    x = pd.Series([2.0, 4.0, 5.0, 10.0], index=list("abcd"), name="cost")
    y = pd.Series([1.0, 3.0, 2.0, 5.0], index=list("abcd"), name="served")
    ratio = y / x
    res = dea(x, y)
    np.testing.assert_allclose(res.efficiency, ratio / ratio.max(), rtol=1e-12)
    assert res.peers == {"a": ["b"], "b": ["b"], "c": ["b"], "d": ["b"]}
    np.testing.assert_allclose(dea(x, y, orientation="output").efficiency,
                               ratio.max() / ratio, rtol=1e-12)
    sup = dea(x, y, super_efficiency=True).efficiency
    assert sup["b"] == pytest.approx(0.75 / 0.5)          # b against the next best ratio (d)
    np.testing.assert_allclose(sup.drop("b"), (ratio / ratio.max()).drop("b"), rtol=1e-12)


def test_single_unit():
    x = pd.DataFrame({"cost": [3.0]}, index=["only"])
    y = pd.DataFrame({"out": [2.0]}, index=["only"])
    for rts, ori in itertools.product(["crs", "vrs"], ["input", "output"]):
        res = dea(x, y, rts=rts, orientation=ori)
        assert res.efficiency["only"] == 1.0
        assert res.peers == {"only": ["only"]}
        assert res.slacks.loc["only"].tolist() == [0.0, 0.0]
        sup = dea(x, y, rts=rts, orientation=ori, super_efficiency=True)
        assert np.isnan(sup.efficiency["only"])                # nobody else to compare with
        assert sup.peers == {"only": []}
        assert sup.targets.loc["only"].isna().all()


def test_duplicated_units_share_scores_and_the_first_label_is_the_peer():
    _, X, Y, _ = _load_case("hospital")
    X2 = pd.concat([X, X.loc[["B", "E"]].rename(index={"B": "B2", "E": "E2"})])
    Y2 = pd.concat([Y, Y.loc[["B", "E"]].rename(index={"B": "B2", "E": "E2"})])
    base = dea(X, Y)
    res = dea(X2, Y2)
    np.testing.assert_allclose(res.efficiency[X.index], base.efficiency, rtol=1e-12)
    assert res.efficiency["B2"] == res.efficiency["B"] == 1.0
    assert res.efficiency["E2"] == res.efficiency["E"]
    assert res.peers["B2"] == ["B"] and res.peers["B"] == ["B"]
    assert "B2" not in res.lambdas.columns
    # super-efficiency: each twin envelops the other
    sup = dea(X2, Y2, super_efficiency=True)
    assert sup.efficiency["B"] == sup.efficiency["B2"] == 1.0
    assert sup.peers["B"] == ["B2"] and sup.peers["B2"] == ["B"]
    assert sup.efficiency["A"] == pytest.approx(dea(X, Y, super_efficiency=True).efficiency["A"])


def test_all_units_efficient():
    # CRS: all on the ray y = 2x; VRS: a strictly concave frontier
    x = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}, index=list("pqrs"))
    res = dea(x, pd.DataFrame({"y": 2 * x["x"]}))
    assert (res.efficiency == 1.0).all() and (res.slacks == 0).all().all()
    yv = pd.DataFrame({"y": np.sqrt(x["x"])})
    for ori in ("input", "output"):
        res = dea(x, yv, rts="vrs", orientation=ori)
        assert (res.efficiency == 1.0).all()
        assert res.peers == {u: [u] for u in x.index}


def test_zero_inputs_and_infeasible_super_efficiency():
    """A unit that uses none of input b cannot be enveloped without it: CRS super is NaN."""
    X = pd.DataFrame({"a": [2.0, 3.0, 4.0, 4.0], "b": [0.0, 1.0, 2.0, 3.0]}, index=list("ABCD"))
    Y = pd.DataFrame({"y": [1.0, 1.0, 1.0, 1.0]}, index=list("ABCD"))
    res = dea(X, Y)
    assert res.efficiency["A"] == 1.0
    want = _lp_scores(X.to_numpy(), Y.to_numpy(), "crs", "input", False)
    np.testing.assert_allclose(res.efficiency, want, atol=1e-12)
    sup = dea(X, Y, super_efficiency=True)
    assert np.isnan(sup.efficiency["A"])
    assert sup.slacks.loc["A"].isna().all() and sup.peers["A"] == []
    supo = dea(X, Y, orientation="output", super_efficiency=True)
    assert np.isnan(supo.efficiency["A"])                   # φ = 0: same case, output side


def test_vrs_super_efficiency_infeasible_is_nan():
    # the largest unit cannot be enveloped by a convex combination of the smaller ones
    x = pd.DataFrame({"x": [1.0, 2.0, 4.0]}, index=["s", "m", "l"])
    y = pd.DataFrame({"y": [1.0, 3.0, 4.0]}, index=["s", "m", "l"])
    res = dea(x, y, rts="vrs", super_efficiency=True)
    assert np.isnan(res.efficiency["l"])            # needs y ≥ 4 from units producing ≤ 3
    assert res.efficiency["s"] == pytest.approx(2.0)          # m is the cheapest alternative
    assert res.efficiency["m"] == pytest.approx(1.5)          # 1/3 s + 2/3 l: x = 3 for y = 3
    assert res.peers["m"] == ["s", "l"]
    want = _lp_scores(x.to_numpy(), y.to_numpy(), "vrs", "input", True)
    np.testing.assert_allclose(res.efficiency, want, atol=1e-12)


def test_unit_order_of_outputs_is_aligned():
    _, X, Y, _ = _load_case("hospital")
    a = dea(X, Y).efficiency
    b = dea(X, Y.iloc[::-1]).efficiency
    pd.testing.assert_series_equal(a, b)


# ------------------------------------------------------------------------------------------
# DEA bad arguments
# ------------------------------------------------------------------------------------------
def _hx():
    _, X, Y, _ = _load_case("hospital")
    return X.astype(float), Y.astype(float)


def _bad_cases():
    X, Y = _hx()
    nan = X.copy()
    nan.iloc[2, 1] = np.nan
    inf = Y.copy()
    inf.iloc[0, 0] = np.inf
    neg = X.copy()
    neg.iloc[3, 0] = -1.0
    zero_col = X.assign(nurses=0.0)
    zero_out = Y.assign(inpatients=0.0)
    no_input = X.copy()
    no_input.loc["C"] = 0.0
    no_output = Y.copy()
    no_output.loc["D"] = 0.0
    dup = X.copy()
    dup.index = list(X.index[:-1]) + ["A"]
    other = Y.copy()
    other.index = list(Y.index[:-1]) + ["Z"]
    text = X.assign(nurses="many")
    same_name = Y.rename(columns={"outpatients": "doctors"})
    return [
        ("inputs", dict(inputs=nan, outputs=Y), "NaN"),
        ("outputs", dict(inputs=X, outputs=inf), "NaN or infinite"),
        ("inputs", dict(inputs=neg, outputs=Y), "negative"),
        ("inputs", dict(inputs=zero_col, outputs=Y), "zero for every unit"),
        ("outputs", dict(inputs=X, outputs=zero_out), "zero for every unit"),
        ("inputs", dict(inputs=no_input, outputs=Y), "at least one positive input"),
        ("outputs", dict(inputs=X, outputs=no_output), "at least one positive output"),
        ("inputs", dict(inputs=dup, outputs=Y), "unique"),
        ("outputs", dict(inputs=X, outputs=Y.iloc[:-1]), "one row per unit"),
        ("outputs", dict(inputs=X, outputs=other), "same units"),
        ("inputs", dict(inputs=text, outputs=Y), "numeric"),
        ("outputs", dict(inputs=X, outputs=same_name), "distinct"),
        ("inputs", dict(inputs=X.iloc[:0], outputs=Y.iloc[:0]), "at least 1 row"),
        ("inputs", dict(inputs=np.ones((3, 2, 2)), outputs=Y), "2-D"),
        ("rts", dict(inputs=X, outputs=Y, rts="irs"), "one of"),
        ("orientation", dict(inputs=X, outputs=Y, orientation="in"), "one of"),
        ("super_efficiency", dict(inputs=X, outputs=Y, super_efficiency="yes"), "True or False"),
    ]


@pytest.mark.parametrize("argument,kwargs,rule", _bad_cases(),
                         ids=[f"{a}-{r}" for a, _, r in _bad_cases()])
def test_dea_bad_arguments(argument, kwargs, rule):
    with pytest.raises(InputError, match=rule) as err:
        dea(**kwargs)
    assert err.value.argument == argument
    assert isinstance(err.value, ValueError)


def test_dea_options_are_keyword_only():
    X, Y = _hx()
    with pytest.raises(TypeError):
        dea(X, Y, "vrs")


# ------------------------------------------------------------------------------------------
# Malmquist against R lpSolve
# ------------------------------------------------------------------------------------------
MALM = REF / "malmquist" / "panel3x10"


@pytest.fixture(scope="module")
def panel():
    return pd.read_csv(MALM / "panel.csv")


@pytest.mark.parametrize("orientation,rts", list(itertools.product(["input", "output"],
                                                                   ["crs", "vrs"])))
def test_malmquist_matches_r_lpsolve(panel, orientation, rts):
    tol = json.loads((MALM / "meta.json").read_text())["tolerance"]
    exp = pd.read_csv(MALM / f"expected_{orientation}_{rts}.csv")
    res = malmquist(panel, unit="unit", period="year", inputs=["x1", "x2"],
                    outputs=["y1", "y2"], orientation=orientation, rts=rts)
    frame = res.to_frame()
    assert list(frame.columns) == ["unit", "period_from", "period_to", "malmquist", "effch",
                                   "techch", "pure_effch", "scale_effch"]
    pd.testing.assert_frame_equal(frame[["unit", "period_from", "period_to"]],
                                  exp[["unit", "period_from", "period_to"]], check_dtype=False)
    num = frame.columns[3:]
    np.testing.assert_array_equal(frame[num].isna(), exp[num].isna())
    np.testing.assert_allclose(frame[num], exp[num], rtol=0, atol=tol)
    dist = res.distances.columns[3:]
    np.testing.assert_allclose(res.distances[dist], exp[dist], rtol=0, atol=tol)
    # U10 is absent in 2021: one pair fewer
    assert len(frame) == 19 and not ((frame.unit == "U10") & (frame.period_to == 2021)).any()


def test_malmquist_identities_and_conventions(panel):
    kw = dict(unit="unit", period="year", inputs=["x1", "x2"], outputs=["y1", "y2"])
    ri = malmquist(panel, **kw)
    ro = malmquist(panel, orientation="output", **kw)
    t = ri.to_frame()
    np.testing.assert_allclose(t.malmquist, t.effch * t.techch, rtol=1e-12)
    np.testing.assert_allclose(t.effch, t.pure_effch * t.scale_effch, rtol=1e-12)
    # under CRS the input and output indices coincide
    np.testing.assert_allclose(ri.table.malmquist, ro.table.malmquist, rtol=1e-10)
    np.testing.assert_allclose(ri.table.techch, ro.table.techch, rtol=1e-10)
    assert "Malmquist" in ri.summary()
    json.dumps(ri.to_dict())
    bad = ri.table.assign(malmquist=ri.table.malmquist * 1.01)
    with pytest.raises(IdentityError, match="effch × techch"):
        dataclasses.replace(ri, table=bad)
    bad = ri.table.assign(scale_effch=ri.table.scale_effch * 1.01)
    with pytest.raises(IdentityError, match="pure_effch × scale_effch"):
        dataclasses.replace(ri, table=bad)


def test_malmquist_growth_is_above_one():
    """One input, one output, CRS: M = (y1/x1)/(y0/x0) ÷ frontier ratio … a unit that doubles its
    productivity while the frontier stays put has M = 2."""
    p = pd.DataFrame({"u": ["a", "b", "a", "b"], "t": [1, 1, 2, 2],
                      "x": [1.0, 1.0, 1.0, 1.0], "y": [4.0, 1.0, 4.0, 2.0]})
    r = malmquist(p, unit="u", period="t", inputs="x", outputs="y").table.set_index("unit")
    assert r.loc["b", "malmquist"] == pytest.approx(2.0)
    assert r.loc["b", "effch"] == pytest.approx(2.0)
    assert r.loc["b", "techch"] == pytest.approx(1.0)
    assert r.loc["a", "malmquist"] == pytest.approx(1.0)


def _malm_bad():
    p = pd.read_csv(MALM / "panel.csv")
    kw = dict(unit="unit", period="year", inputs=["x1", "x2"], outputs=["y1", "y2"])
    dup = pd.concat([p, p.iloc[[0]]])
    neg = p.assign(x1=-p.x1)
    nan = p.copy()
    nan.loc[3, "y2"] = np.nan
    one = p[p.year == 2019]
    return [
        ("panel", (p.to_numpy(),), kw, "DataFrame"),
        ("unit", (p,), {**kw, "unit": "id"}, "column"),
        ("inputs", (p,), {**kw, "inputs": ["x9"]}, "not in panel"),
        ("outputs", (p,), {**kw, "outputs": ["x1"]}, "different"),
        ("panel", (dup,), kw, "once"),
        ("inputs", (neg,), kw, "negative"),
        ("outputs", (nan,), kw, "NaN"),
        ("panel", (one,), kw, "two periods"),
        ("orientation", (p,), {**kw, "orientation": "both"}, "one of"),
        ("rts", (p,), {**kw, "rts": "drs"}, "one of"),
    ]


@pytest.mark.parametrize("argument,args,kwargs,rule", _malm_bad(),
                         ids=[f"{a}-{r}" for a, _, _, r in _malm_bad()])
def test_malmquist_bad_arguments(argument, args, kwargs, rule):
    with pytest.raises(InputError, match=rule) as err:
        malmquist(*args, **kwargs)
    assert err.value.argument == argument


# ------------------------------------------------------------------------------------------
# gap_to_benchmark and percentile_rank
# ------------------------------------------------------------------------------------------
VALS = pd.Series({"东城": 80.0, "西城": 90.0, "南城": 100.0, "北城": np.nan}, name="rate")


def test_gap_best_higher_is_better():
    r = gap_to_benchmark(VALS)
    assert r.benchmark_value == 100.0
    assert r.gap.round(12).to_dict() == pytest.approx(
        {"东城": 0.2, "西城": 0.1, "南城": 0.0, "北城": np.nan}, nan_ok=True)
    f = r.to_frame()
    assert list(f.columns) == ["value", "benchmark", "gap", "meets_benchmark"]
    assert f["meets_benchmark"].tolist() == [False, False, True, False]
    json.dumps(r.to_dict())


def test_gap_lower_is_better_keeps_the_sign_meaning():
    costs = pd.Series({"a": 50.0, "b": 40.0, "c": 80.0})
    r = gap_to_benchmark(costs, direction="lower")
    assert r.benchmark_value == 40.0
    np.testing.assert_allclose(r.gap, [0.25, 0.0, 1.0])        # positive = worse
    r = gap_to_benchmark(costs, benchmark=45, direction="lower")
    np.testing.assert_allclose(r.gap, [5 / 45, -5 / 45, 35 / 45])


def test_gap_p90_uses_linear_quantile():
    v = pd.Series(np.arange(1.0, 11.0), index=list("abcdefghij"))
    # type-7 quantile of 1..10 at 0.9: 1 + 0.9*9 = 9.1; at 0.1: 1.9
    assert gap_to_benchmark(v, benchmark="p90").benchmark_value == pytest.approx(9.1)
    assert gap_to_benchmark(v, benchmark="p90", direction="lower").benchmark_value == \
        pytest.approx(1.9)
    assert gap_to_benchmark(v, benchmark="p50").benchmark_value == pytest.approx(5.5)
    g = gap_to_benchmark(v, benchmark="p90").gap
    assert g["a"] == pytest.approx((9.1 - 1) / 9.1) and g["j"] < 0


def test_gap_negative_benchmark_uses_its_magnitude():
    v = pd.Series({"a": -5.0, "b": -2.0})          # e.g. growth rates, higher is better
    r = gap_to_benchmark(v)                         # best = −2
    np.testing.assert_allclose(r.gap, [1.5, 0.0])                # (−2 − (−5)) / 2


@pytest.mark.parametrize("kwargs,argument,rule", [
    (dict(benchmark="top"), "benchmark", "best"),
    (dict(benchmark="p100"), "benchmark", "best"),
    (dict(benchmark=True), "benchmark", "best"),
    (dict(benchmark=0), "benchmark", "undefined"),
    (dict(benchmark=float("nan")), "benchmark", "finite"),
    (dict(direction="up"), "direction", "one of"),
])
def test_gap_bad_arguments(kwargs, argument, rule):
    with pytest.raises(InputError, match=rule) as err:
        gap_to_benchmark(VALS, **kwargs)
    assert err.value.argument == argument


def test_gap_bad_values():
    with pytest.raises(InputError) as err:
        gap_to_benchmark(pd.Series([1.0, np.inf]))
    assert err.value.argument == "values"
    with pytest.raises(InputError, match="unique"):
        gap_to_benchmark(pd.Series([1.0, 2.0], index=["a", "a"]))
    with pytest.raises(InputError, match="non-missing"):
        gap_to_benchmark(pd.Series([np.nan, np.nan]))


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_percentile_rank_matches_scipy(direction):
    v = pd.Series([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0],
                  index=[f"u{i}" for i in range(10)])
    r = percentile_rank(v, direction=direction).to_frame()
    perf = v if direction == "higher" else -v
    want = [stats.percentileofscore(perf, s, kind="mean") for s in perf]
    np.testing.assert_allclose(r["percentile_rank"], want, rtol=1e-12)
    assert list(r.columns) == ["value", "rank", "percentile_rank"]
    best = v.idxmax() if direction == "higher" else v.idxmin()
    assert r.loc[best, "rank"] == 1
    # ties share the best place (competition ranking)
    tie = ["u1", "u3"] if direction == "lower" else ["u4", "u8"]
    assert r.loc[tie[0], "rank"] == r.loc[tie[1], "rank"]


def test_percentile_rank_missing_values():
    r = percentile_rank(VALS).to_frame()
    assert np.isnan(r.loc["北城", "percentile_rank"]) and np.isnan(r.loc["北城", "rank"])
    assert r.loc["南城", "percentile_rank"] == pytest.approx(100 * 2.5 / 3)
    with pytest.raises(InputError) as err:
        percentile_rank(VALS, direction="best")
    assert err.value.argument == "direction"


def test_public_names():
    for name in bm.__all__:
        assert getattr(pm, name) is getattr(bm, name)


def test_nondominated_filter_matches_brute_force():
    rng = np.random.default_rng(3)
    Z = np.unique(rng.integers(0, 6, size=(300, 4)).astype(float), axis=0)
    keep = bm._nondominated(Z, strong=np.array([0, 5, 17]), block=64)
    ge = (Z[None, :, :] >= Z[:, None, :]).all(axis=2)       # ge[i, j]: j ≥ i everywhere
    brute = np.nonzero(ge.sum(axis=1) == 1)[0]
    np.testing.assert_array_equal(np.sort(keep), brute)
