"""Tests for perfkit.methods.decomposition (连环替代法, Shapley, LMDI).

Reference values: tests/reference/{chain_substitution,shapley,lmdi}/<case>/ (R scripts that
enumerate all substitution orders, and an independent LMDI-I implementation in R).
"""
from __future__ import annotations

import json
import math
from decimal import Decimal, getcontext
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from perfkit.errors import IdentityError, InputError
from perfkit.methods.decomposition import (
    MAX_FACTORS,
    ChainSubstitutionResult,
    LMDIResult,
    chain_substitution,
    lmdi,
    log_mean,
    shapley_decomposition,
)

REF = Path(__file__).resolve().parent.parent / "reference"


def _load_pair(case_dir: Path) -> tuple[pd.Series, pd.Series]:
    df = pd.read_csv(case_dir / "input.csv", encoding="utf-8").set_index("factor")
    return df["plan"], df["actual"]


def _json(case_dir: Path) -> dict:
    return json.loads((case_dir / "expected.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------
# chain substitution vs R (all orders enumerated)
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["textbook", "four_factors"])
def test_chain_substitution_reference(case):
    d = REF / "chain_substitution" / case
    plan, actual = _load_pair(d)
    exp = _json(d)
    res = chain_substitution(plan, actual, order=exp["order"])
    assert res.order == exp["order"]
    for k, v in exp["effects"].items():
        assert res.effects[k] == pytest.approx(v, rel=1e-12, abs=1e-9)
        assert res.effect_min[k] == pytest.approx(exp["effect_min"][k], rel=1e-12, abs=1e-9)
        assert res.effect_max[k] == pytest.approx(exp["effect_max"][k], rel=1e-12, abs=1e-9)
    np.testing.assert_allclose(res.intermediate.to_numpy(), exp["intermediate"], rtol=1e-12)
    assert res.total_change == pytest.approx(exp["total_change"], rel=1e-12)
    assert res.plan_value == pytest.approx(exp["plan_value"], rel=1e-12)
    # the order-free average over all orders equals the Shapley decomposition
    sh = shapley_decomposition(plan, actual)
    for k, v in exp["shapley"].items():
        assert sh.effects[k] == pytest.approx(v, rel=1e-12, abs=1e-9)


def test_chain_substitution_textbook_by_hand():
    plan = pd.Series({"产量": 100, "单耗": 8, "单价": 5})
    actual = pd.Series({"产量": 110, "单耗": 7, "单价": 6})
    res = chain_substitution(plan, actual)
    assert res.effects.tolist() == [400.0, -550.0, 770.0]
    assert res.intermediate.tolist() == [4000.0, 4400.0, 3850.0, 4620.0]
    assert list(res.intermediate.index) == ["plan", "产量", "单耗", "单价"]
    assert res.order_dependent
    assert "700" in res.warning and "880" in res.warning
    f = res.to_frame()
    assert list(f.columns) == ["position", "plan", "actual", "effect", "share", "effect_min",
                               "effect_max"]
    assert f["share"].sum() == pytest.approx(1.0)
    # another order gives other effects but the same total
    rev = chain_substitution(plan, actual, order=["单价", "单耗", "产量"])
    assert rev.effects["单价"] == pytest.approx(4000 / 5 * 1)  # (6-5)*100*8 = 800
    assert rev.effects.sum() == pytest.approx(620)
    json.dumps(res.to_dict(), ensure_ascii=False)
    assert "连环替代法" in res.summary()


def test_chain_substitution_actual_in_other_label_order():
    plan = pd.Series({"a": 2.0, "b": 3.0})
    actual = pd.Series({"b": 4.0, "a": 5.0})
    res = chain_substitution(plan, actual)
    assert res.effects["a"] == pytest.approx((5 - 2) * 3)
    assert res.effects["b"] == pytest.approx(5 * (4 - 3))


def test_chain_substitution_order_independent_when_one_factor_changes():
    res = chain_substitution(pd.Series([2.0, 3.0, 4.0], index=list("xyz")),
                             pd.Series([2.0, 5.0, 4.0], index=list("xyz")))
    assert not res.order_dependent
    assert res.effects.tolist() == [0.0, 16.0, 0.0]
    assert (res.effect_min == res.effect_max).all()
    assert "do not depend" in res.warning


# --------------------------------------------------------------------------------------------
# Shapley vs R (average over explicit permutations)
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["textbook", "six_factors"])
def test_shapley_reference(case):
    d = REF / "shapley" / case
    plan, actual = _load_pair(d)
    exp = _json(d)
    res = shapley_decomposition(plan, actual)
    for k, v in exp["effects"].items():
        assert res.effects[k] == pytest.approx(v, rel=1e-12, abs=1e-12)
    assert res.total_change == pytest.approx(exp["total_change"], rel=1e-12)
    assert res.to_frame()["share"].sum() == pytest.approx(1.0)


def test_shapley_six_factors_unchanged_factor_is_zero():
    plan, actual = _load_pair(REF / "shapley" / "six_factors")
    assert shapley_decomposition(plan, actual).effects["x4"] == 0.0


@pytest.mark.parametrize("a0,a1,b0,b1", [(2, 3, 5, 7), (10, 4, 1.5, 2.5), (1, 1, 3, 8), (-2, 3, 4, 1)])
def test_shapley_two_factor_closed_form(a0, a1, b0, b1):
    res = shapley_decomposition(pd.Series({"A": a0, "B": b0}), pd.Series({"A": a1, "B": b1}))
    dA, dB = a1 - a0, b1 - b0
    assert res.effects["A"] == pytest.approx(dA * b0 + dA * dB / 2)
    assert res.effects["B"] == pytest.approx(dB * a0 + dA * dB / 2)


@pytest.mark.parametrize("seed", range(5))
def test_shapley_and_chain_identities_random(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    plan = pd.Series(rng.uniform(-2, 3, n), index=[f"f{i}" for i in range(n)])
    actual = plan * rng.uniform(0.5, 1.8, n)
    order = list(rng.permutation(plan.index))
    ch = chain_substitution(plan, actual, order=order)
    sh = shapley_decomposition(plan, actual)
    change = float(np.prod(actual) - np.prod(plan))
    assert ch.effects.sum() == pytest.approx(change, abs=1e-10)
    assert sh.effects.sum() == pytest.approx(change, abs=1e-10)
    # each Shapley effect lies within that factor's range over orders
    phi = sh.effects.reindex(order)
    assert (phi >= ch.effect_min - 1e-12).all()
    assert (phi <= ch.effect_max + 1e-12).all()
    assert (ch.effects >= ch.effect_min - 1e-12).all() and (ch.effects <= ch.effect_max + 1e-12).all()


def test_shapley_many_factors_is_fast_and_exact():
    n = MAX_FACTORS
    plan = pd.Series(np.linspace(1, 2, n), index=[f"f{i}" for i in range(n)])
    actual = plan * 1.01
    res = shapley_decomposition(plan, actual)
    # equal relative changes → equal effects
    np.testing.assert_allclose(res.effects.to_numpy(), res.total_change / n, rtol=1e-10)


# --------------------------------------------------------------------------------------------
# bad arguments
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [chain_substitution, shapley_decomposition])
@pytest.mark.parametrize("plan,actual,arg", [
    (pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": 1.0, "c": 2.0}), "actual"),
    (pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": 1.0}), "actual"),
    (pd.Series({"a": 1.0, "b": np.nan}), pd.Series({"a": 1.0, "b": 2.0}), "plan"),
    (pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": np.inf, "b": 2.0}), "actual"),
    (pd.Series([1.0, 2.0], index=["a", "a"]), pd.Series([1.0, 2.0], index=["a", "a"]), "plan"),
    (pd.Series(dtype=float), pd.Series(dtype=float), "plan"),
])
def test_decomposition_bad_series(fn, plan, actual, arg):
    with pytest.raises(InputError) as ei:
        fn(plan, actual)
    assert ei.value.argument == arg


@pytest.mark.parametrize("fn", [chain_substitution, shapley_decomposition])
def test_too_many_factors(fn):
    n = MAX_FACTORS + 1
    s = pd.Series(np.ones(n), index=[f"f{i}" for i in range(n)])
    with pytest.raises(InputError, match=str(MAX_FACTORS)):
        fn(s, s * 2)


@pytest.mark.parametrize("order", [["a"], ["a", "b", "b"], ["a", "c"], ["a", "b", "c"]])
def test_chain_bad_order(order):
    s = pd.Series({"a": 1.0, "b": 2.0})
    with pytest.raises(InputError) as ei:
        chain_substitution(s, s * 2, order=order)
    assert ei.value.argument == "order"


def test_chain_identity_error_on_inconsistent_result():
    good = chain_substitution(pd.Series({"a": 2.0, "b": 3.0}), pd.Series({"a": 4.0, "b": 3.0}))
    with pytest.raises(IdentityError):
        ChainSubstitutionResult(**{**{f: getattr(good, f) for f in good.__dataclass_fields__},
                                   "effects": good.effects + 1.0})


# --------------------------------------------------------------------------------------------
# logarithmic mean
# --------------------------------------------------------------------------------------------
def _decimal_log_mean(a: float, b: float) -> float:
    getcontext().prec = 60
    A, B = Decimal(a), Decimal(b)
    return float((A - B) / (A.ln() - B.ln()))


@pytest.mark.parametrize("a,b", [(2.0, 1.0), (1.0, 2.0), (1e6, 3.0), (1.0 + 1e-6, 1.0),
                                 (1.0 + 1e-9, 1.0), (5.0, 5.0 * (1 - 3e-5)), (1e-12, 1e-11)])
def test_log_mean_accuracy(a, b):
    expected = a if a == b else _decimal_log_mean(a, b)
    assert log_mean(a, b) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("a,b,expected", [(3.0, 3.0, 3.0), (0.0, 0.0, 0.0), (5.0, 0.0, 0.0),
                                          (0.0, 5.0, 0.0)])
def test_log_mean_special_values(a, b, expected):
    assert log_mean(a, b) == expected


def test_log_mean_vectorised_and_symmetric():
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([4.0, 2.0, 1.0, 0.0])
    np.testing.assert_array_equal(log_mean(a, b), log_mean(b, a))
    assert log_mean(a, b)[1] == 2.0
    with pytest.raises(InputError):
        log_mean(-1.0, 2.0)


# --------------------------------------------------------------------------------------------
# LMDI vs R
# --------------------------------------------------------------------------------------------
def _lmdi_inputs(case: str) -> tuple[pd.DataFrame, pd.DataFrame, dict, Path]:
    d = REF / "lmdi" / case
    return (pd.read_csv(d / "input_base.csv", index_col=0),
            pd.read_csv(d / "input_current.csv", index_col=0), _json(d), d)


def test_lmdi_three_sector_reference():
    b, c, exp, d = _lmdi_inputs("three_sector")
    add = lmdi(b, c)
    mul = lmdi(b, c, kind="multiplicative")
    for k in b.columns:
        assert add.effects[k] == pytest.approx(exp["additive"][k], rel=1e-12)
        assert mul.effects[k] == pytest.approx(exp["multiplicative"][k], rel=1e-12)
    detail = pd.read_csv(d / "expected_detail.csv", index_col=0)
    np.testing.assert_allclose(add.detail.to_numpy(), detail.to_numpy(), rtol=1e-12, atol=1e-12)
    assert add.base_value == pytest.approx(exp["V0"]) and add.current_value == pytest.approx(exp["VT"])
    assert add.effects.sum() == pytest.approx(exp["VT"] - exp["V0"], rel=1e-13)
    assert np.prod(mul.effects) == pytest.approx(exp["VT"] / exp["V0"], rel=1e-13)
    # services intensity unchanged → its detail entry is exactly 0
    assert add.detail.loc["services", "I"] == 0.0
    assert add.zero_handling == "none"
    f = mul.to_frame()
    assert list(f.columns) == ["effect", "share"] and f["share"].sum() == pytest.approx(1.0)
    json.dumps(add.to_dict())


def test_lmdi_zero_values_limits_reference():
    b, c, exp, _ = _lmdi_inputs("zeros")
    add = lmdi(b, c)
    mul = lmdi(b, c, kind="multiplicative")
    assert add.zero_handling == "limit"
    for k in b.columns:
        assert add.effects[k] == pytest.approx(exp["limit_additive"][k], rel=1e-12)
        assert mul.effects[k] == pytest.approx(exp["limit_multiplicative"][k], rel=1e-12)
    for sec, row in exp["limit_detail"].items():
        for k, v in row.items():
            assert add.detail.loc[sec, k] == pytest.approx(v, rel=1e-12, abs=1e-12)
    assert add.effects.sum() == pytest.approx(exp["VT"] - exp["V0"], rel=1e-13)


def test_lmdi_small_value_strategy_reference_and_convergence():
    b, c, exp, _ = _lmdi_inputs("zeros")
    limit = pd.Series(exp["limit_additive"])
    errors = []
    for sv in exp["small_value"]:
        add = lmdi(b, c, delta=sv["delta"])
        mul = lmdi(b, c, delta=sv["delta"], kind="multiplicative")
        assert add.zero_handling == f"delta={sv['delta']!r}"
        for k in b.columns:
            assert add.effects[k] == pytest.approx(sv["additive"][k], rel=1e-9)
            assert mul.effects[k] == pytest.approx(sv["multiplicative"][k], rel=1e-9)
        errors.append(float((add.effects - limit).abs().max()))
    # converges to the analytical limit as delta → 0, but slowly (error ~ 1/|ln delta|)
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < 0.2 * errors[0]
    assert errors[0] > 1.0  # δ = 1e-10 is still visibly off (several units of V)


def test_lmdi_single_subsector_exact_forms():
    base = pd.Series({"Q": 100.0, "I": 2.0, "P": 1.5})
    cur = pd.Series({"Q": 130.0, "I": 1.6, "P": 1.5})
    add = lmdi(base, cur)
    mul = lmdi(base, cur, kind="multiplicative")
    V0, VT = 300.0, 312.0
    L = (VT - V0) / math.log(VT / V0)
    assert add.effects["Q"] == pytest.approx(L * math.log(1.3), rel=1e-14)
    assert add.effects["I"] == pytest.approx(L * math.log(0.8), rel=1e-14)
    assert add.effects["P"] == 0.0                          # unchanged factor
    # with one sub-sector the multiplicative effects are the factor ratios themselves
    assert mul.effects["Q"] == pytest.approx(1.3, rel=1e-14)
    assert mul.effects["I"] == pytest.approx(0.8, rel=1e-14)
    assert mul.effects["P"] == 1.0


def test_lmdi_equal_values_in_log_mean():
    # sub-sector a: activity doubles and intensity halves, V_a unchanged (L(V, V) = V)
    base = pd.DataFrame({"Q": [10.0, 5.0], "I": [4.0, 2.0]}, index=["a", "b"])
    cur = pd.DataFrame({"Q": [20.0, 5.0], "I": [2.0, 2.0]}, index=["a", "b"])
    add = lmdi(base, cur)
    assert add.detail.loc["a", "Q"] == pytest.approx(40 * math.log(2), rel=1e-15)
    assert add.detail.loc["a", "I"] == pytest.approx(-40 * math.log(2), rel=1e-15)
    assert (add.detail.loc["b"] == 0).all()
    assert add.total == 0.0
    mul = lmdi(base, cur, kind="multiplicative")          # V^T = V^0: L(V, V) = V
    assert mul.effects["Q"] == pytest.approx(math.exp(40 * math.log(2) / 50), rel=1e-14)
    assert mul.total == 1.0
    assert mul.to_frame()["share"].isna().all()


@pytest.mark.parametrize("seed", range(4))
def test_lmdi_identities_random(seed):
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(1, 7)), int(rng.integers(1, 5))
    b = pd.DataFrame(rng.uniform(0.1, 5, (rows, cols)))
    c = b * rng.uniform(0.5, 2.0, (rows, cols))
    add = lmdi(b, c)
    mul = lmdi(b, c, kind="multiplicative")
    assert add.effects.sum() == pytest.approx(add.current_value - add.base_value, abs=1e-10)
    assert np.prod(mul.effects) == pytest.approx(mul.current_value / mul.base_value, rel=1e-12)


@pytest.mark.parametrize("case", ["appear", "vanish", "both", "two_zero_factors"])
def test_lmdi_zero_cases_analytic(case):
    base = pd.DataFrame({"Q": [10.0], "S": [0.5], "I": [2.0]})
    cur = pd.DataFrame({"Q": [12.0], "S": [0.5], "I": [3.0]})
    if case == "appear":
        base.loc[0, "S"] = 0.0
        expected = {"Q": 0.0, "S": 18.0, "I": 0.0}
    elif case == "vanish":
        cur.loc[0, "I"] = 0.0
        expected = {"Q": 0.0, "S": 0.0, "I": -10.0}
    elif case == "both":
        base.loc[0, "S"] = 0.0
        cur.loc[0, "I"] = 0.0
        expected = {"Q": 0.0, "S": 0.0, "I": 0.0}
    else:
        base.loc[0, ["S", "I"]] = 0.0
        expected = {"Q": 0.0, "S": 9.0, "I": 9.0}
    res = lmdi(base, cur)
    assert res.effects.to_dict() == pytest.approx(expected)


# --------------------------------------------------------------------------------------------
# LMDI bad arguments
# --------------------------------------------------------------------------------------------
_B = pd.DataFrame({"Q": [1.0, 2.0], "I": [3.0, 4.0]}, index=["a", "b"])


@pytest.mark.parametrize("kwargs,arg", [
    ({"current": _B.assign(I=[3.0, -1.0])}, "current"),
    ({"base": _B.assign(Q=[np.nan, 2.0])}, "base"),
    ({"current": _B[["Q"]]}, "current"),
    ({"current": _B.rename(index={"b": "c"})}, "current"),
    ({"kind": "log"}, "kind"),
    ({"delta": 0.0}, "delta"),
    ({"delta": 0.5}, "delta"),
    ({"delta": "small"}, "delta"),
    ({"base": _B * 0, "kind": "multiplicative"}, "base"),
])
def test_lmdi_bad_arguments(kwargs, arg):
    args = {"base": _B, "current": _B * 1.1, **kwargs}
    with pytest.raises(InputError) as ei:
        lmdi(**args)
    assert ei.value.argument == arg


def test_lmdi_negative_message_names_cell():
    with pytest.raises(InputError, match=r"row 'b', column 'I'"):
        lmdi(_B, _B.assign(I=[3.0, -1.0]))


def test_lmdi_identity_error_on_inconsistent_result():
    res = lmdi(_B, _B * 1.1)
    fields = {f: getattr(res, f) for f in res.__dataclass_fields__}
    with pytest.raises(IdentityError):
        LMDIResult(**{**fields, "additive_effects": res.additive_effects * 2})


def test_lmdi_reorders_matching_labels():
    cur = (_B * 1.1).loc[["b", "a"], ["I", "Q"]]
    assert lmdi(_B, cur).effects.to_dict() == pytest.approx(lmdi(_B, _B * 1.1).effects.to_dict())
