"""因素分析法 (factor analysis) — index decomposition of an indicator's change into its factors.

An indicator that is a product of factors, ``V = x_1 · x_2 · … · x_n`` (e.g. 材料费用 = 产量 × 单耗
× 单价, or spending = population × coverage × unit cost), changes from plan (or base year) to
actual (or current year). These functions say how much of the change each factor explains:

- :func:`chain_substitution` — 连环替代法, the method taught in Chinese financial analysis: factors are
  replaced by their actual values one at a time, in a stated order. The answer depends on the order;
  the result reports how much.
- :func:`shapley_decomposition` — the order-free answer: each factor's effect averaged over all
  substitution orders (the Shapley value of the change).
- :func:`lmdi` — LMDI-I (logarithmic mean Divisia index, Ang 2005) for an aggregate that is a sum of
  sub-sector products, ``V = Σ_i Π_k x_{k,i}``; additive or multiplicative, exact (no residual).

Every result checks its identity on construction (effects add up to the change, or multiply up to
the ratio) and raises :class:`~perfkit.errors.IdentityError` if not.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .._results import Result
from .._validate import as_frame, as_series, check_finite, check_option
from ..errors import IdentityError, InputError

__all__ = [
    "chain_substitution",
    "shapley_decomposition",
    "lmdi",
    "log_mean",
    "ChainSubstitutionResult",
    "ShapleyDecompositionResult",
    "LMDIResult",
    "MAX_FACTORS",
]

#: Largest number of factors accepted by :func:`chain_substitution` (for the order range) and
#: :func:`shapley_decomposition`. The work grows as ``n · 2**(n-1)``; 16 factors take
#: 524 288 products, well under a second.
MAX_FACTORS = 16

# relative tolerance of the identity checks (the sums are exact up to rounding)
_IDENTITY_RTOL = 1e-9


def _identity(name: str, got: float, want: float, scale: float) -> None:
    tol = _IDENTITY_RTOL * max(1.0, abs(scale))
    if not (abs(got - want) <= tol):
        raise IdentityError(f"{name}: effects give {got!r} but the change is {want!r} "
                            f"(difference {got - want!r}, tolerance {tol!r})")


def _paired_series(plan: Any, actual: Any, names=("plan", "actual")) -> tuple[pd.Series, pd.Series]:
    p = as_series(names[0], plan)
    a = as_series(names[1], actual)
    check_finite(names[0], p)
    check_finite(names[1], a)
    if p.index.has_duplicates:
        raise InputError("factor labels must be unique", argument=names[0],
                         value=list(p.index[p.index.duplicated()]))
    if len(p) != len(a) or not p.index.equals(a.index):
        if len(p) == len(a) and set(p.index) == set(a.index):
            a = a.reindex(p.index)
        else:
            raise InputError(f"must have the same factor labels as {names[0]!r}",
                             argument=names[1], value=list(a.index))
    if len(p) > MAX_FACTORS:
        raise InputError(f"at most {MAX_FACTORS} factors are supported (the exact average over "
                         f"orders needs n·2^(n-1) products)", argument=names[0], value=len(p))
    return p, a


def _subset_effects(plan: np.ndarray, actual: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For every factor k and every subset S of the other factors already substituted, the
    effect of substituting k: Π_{j∈S} a_j · Π_{j∉S∪{k}} p_j · (a_k − p_k).

    Returns (effects[k, s], subset sizes[s]) where s runs over the 2^(n-1) subsets of the other
    factors, plus the Shapley weights and the per-factor Shapley values.
    """
    n = len(plan)
    m = n - 1
    # bit matrix of the 2^m subsets of m "other" factors
    codes = np.arange(2 ** m, dtype=np.int64)
    bits = ((codes[:, None] >> np.arange(m)) & 1).astype(bool) if m else np.zeros((1, 0), bool)
    sizes = bits.sum(axis=1)
    effects = np.empty((n, 2 ** m))
    for k in range(n):
        others = np.delete(np.arange(n), k)
        vals = np.where(bits, actual[others][None, :], plan[others][None, :])
        effects[k] = np.prod(vals, axis=1) * (actual[k] - plan[k])
    # Shapley weight of a subset of size s among n players: s!(n-s-1)!/n!
    w = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
                  for s in range(n)])[sizes]
    shapley = effects @ w
    return effects, sizes, w, shapley


# --------------------------------------------------------------------------------------------
# 连环替代法 chain substitution
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ChainSubstitutionResult(Result):
    """Result of :func:`chain_substitution` (连环替代法).

    Attributes
    ----------
    order : list
        The substitution order used (factor labels).
    plan, actual : Series
        The factor values, in the order given by the caller.
    effects : Series
        Effect of each factor (影响额) in the chosen order, labelled by factor.
    intermediate : Series
        The indicator after each substitution: ``"plan"`` (all plan values), then one entry per
        factor substituted, the last equal to the actual value.
    plan_value, actual_value, total_change : float
        Π plan, Π actual and their difference; ``effects.sum() == total_change``.
    effect_min, effect_max : Series
        Smallest and largest effect each factor can get over all n! substitution orders
        (labelled like ``effects``, in substitution order).
    order_dependent : bool
        True when some factor's effect changes with the order (range wider than rounding).
    warning : str
        A plain-language note on the order dependence, fit for a report.
    """

    order: list
    plan: pd.Series
    actual: pd.Series
    effects: pd.Series
    intermediate: pd.Series
    plan_value: float
    actual_value: float
    total_change: float
    effect_min: pd.Series
    effect_max: pd.Series
    order_dependent: bool
    warning: str

    title = "Chain substitution (连环替代法)"

    def __post_init__(self):
        scale = max(abs(self.plan_value), abs(self.actual_value))
        _identity("chain substitution", float(self.effects.sum()), self.total_change, scale)

    def to_frame(self) -> pd.DataFrame:
        """One row per factor in substitution order: ``position, plan, actual, effect, share,
        effect_min, effect_max`` (share = effect / total change, NaN if the change is 0)."""
        idx = pd.Index(self.order, name=self.plan.index.name or "factor")
        eff = self.effects.reindex(self.order)
        share = eff / self.total_change if self.total_change != 0 else eff * np.nan
        return pd.DataFrame({
            "position": np.arange(1, len(self.order) + 1),
            "plan": self.plan.reindex(self.order).to_numpy(),
            "actual": self.actual.reindex(self.order).to_numpy(),
            "effect": eff.to_numpy(),
            "share": share.to_numpy(),
            "effect_min": self.effect_min.reindex(self.order).to_numpy(),
            "effect_max": self.effect_max.reindex(self.order).to_numpy(),
        }, index=idx)

    def _summary_lines(self) -> list[str]:
        return [f"plan value: {self.plan_value:.6g}", f"actual value: {self.actual_value:.6g}",
                f"total change: {self.total_change:.6g}",
                f"order: {' → '.join(map(str, self.order))}", f"note: {self.warning}"]


def chain_substitution(plan: Any, actual: Any, *, order: Sequence | None = None
                       ) -> ChainSubstitutionResult:
    """连环替代法 — chain substitution of a product indicator's change into its factors.

    Parameters
    ----------
    plan : Series
        Plan (or base-period) values of the factors, labelled; the indicator is their product.
    actual : Series
        Actual (or current) values with the same labels.
    order : sequence of labels, optional
        The substitution order. Default: the order of ``plan``. Convention in Chinese practice
        is quantity factors first, then quality (unit) factors.

    Returns
    -------
    ChainSubstitutionResult
        Effects per factor, the intermediate values, the total change, and the range each
        effect takes over all substitution orders.

    Raises
    ------
    InputError
        Labels differ, values are not finite, ``order`` is not a permutation of the labels, or
        more than :data:`MAX_FACTORS` factors.
    IdentityError
        Σ effects ≠ Π actual − Π plan (cannot happen short of a bug).

    Notes
    -----
    With factors substituted in order ``k_1, …, k_n`` and ``V_0 = Π_j p_j``,

    .. math:: V_m = \\prod_{j \\le m} a_{k_j} \\prod_{j > m} p_{k_j}, \\qquad
              E_{k_m} = V_m - V_{m-1},

    so Σ_m E_{k_m} = V_n − V_0 telescopes exactly. The effect of factor k depends only on the set
    S of factors substituted before it: ``E_k(S) = Π_{j∈S} a_j · Π_{j∉S∪{k}} p_j · (a_k − p_k)``;
    ``effect_min``/``effect_max`` are taken over all 2^(n−1) such sets, which is the same as over
    all n! orders. Factors of any sign are allowed (the identity holds regardless).

    References
    ----------
    Chinese financial-analysis textbooks, e.g. the 中级会计资格《财务管理》 chapter 财务分析与评价:
    因素分析法 (连环替代法, 差额分析法).
    """
    p, a = _paired_series(plan, actual)
    labels = list(p.index)
    if order is None:
        order = labels
    else:
        order = list(order)
        if len(order) != len(labels) or set(order) != set(labels) or len(set(order)) != len(order):
            raise InputError("must list every factor label exactly once", argument="order",
                             value=order)
    pv = p.reindex(order).to_numpy()
    av = a.reindex(order).to_numpy()
    n = len(order)
    values = [float(np.prod(pv))]
    for m in range(1, n + 1):
        values.append(float(np.prod(np.concatenate([av[:m], pv[m:]]))))
    steps = np.diff(values)
    effects = pd.Series(steps, index=pd.Index(order, name=p.index.name), name="effect")
    intermediate = pd.Series(values, index=["plan", *order], name="value")

    eff_sets, _, _, _ = _subset_effects(p.to_numpy(), a.to_numpy())
    emin = pd.Series(eff_sets.min(axis=1), index=p.index, name="effect_min").reindex(order)
    emax = pd.Series(eff_sets.max(axis=1), index=p.index, name="effect_max").reindex(order)
    spread = (emax - emin).abs()
    scale = max(abs(values[0]), abs(values[-1]), 1.0)
    dependent = bool((spread > 1e-12 * scale).any())
    if dependent:
        worst = spread.idxmax()
        warning = (f"The effects depend on the substitution order: over all {math.factorial(n)} "
                   f"orders the effect of {worst!r} ranges from {emin[worst]:.6g} to "
                   f"{emax[worst]:.6g}. State the order used, or use shapley_decomposition for "
                   f"an order-free split.")
    else:
        warning = "The effects do not depend on the substitution order for these data."
    return ChainSubstitutionResult(order=order, plan=p, actual=a, effects=effects,
                                   intermediate=intermediate, plan_value=values[0],
                                   actual_value=values[-1], total_change=values[-1] - values[0],
                                   effect_min=emin, effect_max=emax, order_dependent=dependent,
                                   warning=warning)


# --------------------------------------------------------------------------------------------
# Shapley decomposition
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ShapleyDecompositionResult(Result):
    """Result of :func:`shapley_decomposition`.

    Attributes
    ----------
    plan, actual : Series
        Factor values.
    effects : Series
        Shapley effect of each factor (average over all substitution orders).
    plan_value, actual_value, total_change : float
        Π plan, Π actual, and their difference (= Σ effects).
    """

    plan: pd.Series
    actual: pd.Series
    effects: pd.Series
    plan_value: float
    actual_value: float
    total_change: float

    title = "Shapley decomposition (order-free 因素分析)"

    def __post_init__(self):
        scale = max(abs(self.plan_value), abs(self.actual_value))
        _identity("Shapley decomposition", float(self.effects.sum()), self.total_change, scale)

    def to_frame(self) -> pd.DataFrame:
        """One row per factor: ``plan, actual, effect, share``."""
        share = (self.effects / self.total_change if self.total_change != 0
                 else self.effects * np.nan)
        out = pd.DataFrame({"plan": self.plan, "actual": self.actual, "effect": self.effects,
                            "share": share})
        out.index.name = self.plan.index.name or "factor"
        return out


def shapley_decomposition(plan: Any, actual: Any) -> ShapleyDecompositionResult:
    """Order-free decomposition of a product indicator's change (Shapley value).

    Parameters
    ----------
    plan, actual : Series
        Plan (base) and actual (current) factor values with the same labels; the indicator is
        the product of the factors. At most :data:`MAX_FACTORS` factors.

    Returns
    -------
    ShapleyDecompositionResult

    Notes
    -----
    The effect of factor k is the average of its chain-substitution effect over all n! orders,

    .. math:: \\phi_k = \\sum_{S \\subseteq N \\setminus \\{k\\}}
              \\frac{|S|!\\,(n-|S|-1)!}{n!}\\,
              \\Big(\\prod_{j\\in S} a_j\\Big)\\Big(\\prod_{j\\notin S\\cup\\{k\\}} p_j\\Big)(a_k-p_k),

    computed exactly over the 2^(n−1) subsets. Σ_k φ_k = Π a − Π p (efficiency of the Shapley
    value). For two factors this is the familiar ``ΔA·B₀ + ½·ΔA·ΔB``.

    References
    ----------
    Shorrocks, A. F. (2013). Decomposition procedures for distributional analysis: a unified
    framework based on the Shapley value. *Journal of Economic Inequality* 11, 99–126.
    Ang, B. W., Liu, F. L., Chew, E. P. (2003). Perfect decomposition techniques in energy and
    environmental analysis. *Energy Policy* 31, 1561–1566.
    """
    p, a = _paired_series(plan, actual)
    _, _, _, phi = _subset_effects(p.to_numpy(), a.to_numpy())
    pv, av = float(np.prod(p.to_numpy())), float(np.prod(a.to_numpy()))
    effects = pd.Series(phi, index=p.index, name="effect")
    return ShapleyDecompositionResult(plan=p, actual=a, effects=effects, plan_value=pv,
                                      actual_value=av, total_change=av - pv)


# --------------------------------------------------------------------------------------------
# LMDI
# --------------------------------------------------------------------------------------------
def log_mean(a: Any, b: Any) -> np.ndarray | float:
    """Logarithmic mean ``L(a, b) = (a − b)/(ln a − ln b)``, ``L(a, a) = a``, ``L(a, 0) = 0``.

    Vectorised over numpy arrays; arguments must be non-negative. Near ``a == b`` the series
    ``L = b·(1 + x/2 − x²/12 + x³/24)`` with ``x = a/b − 1`` is used (|x| < 1e-4), which keeps
    full precision where the quotient would lose it.
    """
    a_ = np.asarray(a, dtype=float)
    b_ = np.asarray(b, dtype=float)
    if (a_ < 0).any() or (b_ < 0).any():
        raise InputError("the logarithmic mean needs non-negative arguments", argument="a, b")
    a_, b_ = np.broadcast_arrays(a_, b_)
    out = np.zeros(a_.shape)
    pos = (a_ > 0) & (b_ > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(pos, a_ / np.where(pos, b_, 1.0) - 1.0, 0.0)
        near = pos & (np.abs(x) < 1e-4)
        far = pos & ~near
        out[far] = (a_[far] - b_[far]) / (np.log(a_[far]) - np.log(b_[far]))
        xn = x[near]
        out[near] = b_[near] * (1 + xn / 2 - xn ** 2 / 12 + xn ** 3 / 24)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True, eq=False)
class LMDIResult(Result):
    """Result of :func:`lmdi`.

    Attributes
    ----------
    kind : str
        ``"additive"`` or ``"multiplicative"``.
    effects : Series
        Per factor: the additive effect ΔV_k (same unit as V), or the multiplicative index D_k.
    detail : DataFrame
        Sub-sectors × factors: the additive contributions ΔV_{k,i} (they sum over sub-sectors to
        ``effects`` in the additive case; in the multiplicative case ln D_k = Σ_i detail / L(V^T, V^0)).
    additive_effects : Series
        The additive effects (always available; the multiplicative indices are
        ``exp(additive_effects / L(V^T, V^0))``).
    base_value, current_value : float
        V^0 = Σ_i Π_k x^0_{k,i} and V^T.
    total : float
        V^T − V^0 (additive) or V^T / V^0 (multiplicative).
    zero_handling : str
        ``"none"`` (no zeros), ``"limit"`` (analytical limits) or ``"delta=<δ>"``.
    """

    kind: str
    effects: pd.Series
    detail: pd.DataFrame
    additive_effects: pd.Series
    base_value: float
    current_value: float
    total: float
    zero_handling: str

    title = "LMDI-I decomposition"

    def __post_init__(self):
        scale = max(abs(self.base_value), abs(self.current_value))
        change = self.current_value - self.base_value
        _identity("LMDI additive", float(self.additive_effects.sum()), change, scale)
        _identity("LMDI detail", float(self.detail.to_numpy().sum()), change, scale)
        if self.kind == "multiplicative":
            prod = float(np.prod(self.effects.to_numpy()))
            _identity("LMDI multiplicative", prod, self.total, self.total)

    def to_frame(self) -> pd.DataFrame:
        """One row per factor: ``effect`` and ``share``.

        Additive: share = ΔV_k / (V^T − V^0). Multiplicative: share = ln D_k / ln D_tot (the
        share of the log change). Shares are NaN when the total change is 0 (or the ratio 1).
        """
        if self.kind == "additive":
            denom = self.total
            share = self.effects / denom if denom != 0 else self.effects * np.nan
        else:
            denom = math.log(self.total)
            share = np.log(self.effects) / denom if denom != 0 else self.effects * np.nan
        out = pd.DataFrame({"effect": self.effects, "share": share})
        out.index.name = self.effects.index.name or "factor"
        return out

    def _summary_lines(self) -> list[str]:
        tot = "V^T − V^0" if self.kind == "additive" else "V^T / V^0"
        return [f"kind: {self.kind}", f"V^0: {self.base_value:.6g}", f"V^T: {self.current_value:.6g}",
                f"{tot}: {self.total:.6g}", f"zero handling: {self.zero_handling}"]


def _as_lmdi_frame(name: str, x: Any) -> pd.DataFrame:
    if isinstance(x, pd.Series):
        x = x.to_frame().T
        x.index = pd.Index([0], name="subsector")
    f = as_frame(name, x)
    check_finite(name, f)
    if (f.to_numpy() < 0).any():
        neg = np.argwhere(f.to_numpy() < 0)[0]
        raise InputError("LMDI needs non-negative factor values (logarithms); negative value at "
                         f"row {f.index[neg[0]]!r}, column {f.columns[neg[1]]!r}",
                         argument=name, value=float(f.iat[neg[0], neg[1]]))
    return f


def lmdi(base: Any, current: Any, *, kind: str = "additive", delta: float | None = None
         ) -> LMDIResult:
    """LMDI-I index decomposition (对数平均迪氏指数法) of an aggregate's change.

    Parameters
    ----------
    base, current : DataFrame
        Rows are sub-sectors i (e.g. programmes, districts), columns are factors k; the aggregate
        is ``V = Σ_i Π_k x_{k,i}``. Same row and column labels in both. A Series is one
        sub-sector. Values must be finite and non-negative.
    kind : {"additive", "multiplicative"}
        Additive: ``V^T − V^0 = Σ_k ΔV_k``. Multiplicative: ``V^T / V^0 = Π_k D_k``.
    delta : float, optional
        Zero handling. ``None`` (default) uses the analytical limits of the LMDI formulae as the
        zeros are approached (see Notes). A small positive number (Ang 2005 suggests 1e-10 to
        1e-20) replaces every zero by ``delta`` first, as in Ang's "small value" strategy; the
        effects then converge to the limits as ``delta → 0``, but only logarithmically slowly.

    Returns
    -------
    LMDIResult

    Raises
    ------
    InputError
        Shapes or labels differ, negative or non-finite values, a bad ``kind``/``delta``, or a
        multiplicative decomposition with V^0 = 0 or V^T = 0.
    IdentityError
        The effects do not add up to V^T − V^0 (or multiply to V^T/V^0).

    Notes
    -----
    With ``L(a, b) = (a − b)/(ln a − ln b)`` and ``L(a, a) = a`` (:func:`log_mean`),

    .. math:: \\Delta V_{x_k} = \\sum_i L(V_i^T, V_i^0)\\,\\ln\\frac{x_{k,i}^T}{x_{k,i}^0}, \\qquad
              D_{x_k} = \\exp\\Big(\\sum_i \\frac{L(V_i^T, V_i^0)}{L(V^T, V^0)}
              \\ln\\frac{x_{k,i}^T}{x_{k,i}^0}\\Big) = \\exp\\Big(\\frac{\\Delta V_{x_k}}{L(V^T, V^0)}\\Big).

    Both are exact: Σ_k ΔV_k = V^T − V^0 and Π_k D_k = V^T/V^0 (checked on construction).

    Zeros, analytical limits (``delta=None``; Ang & Liu 2007 show the small-value results tend to
    these). For sub-sector i let Z⁰ be the factors that are zero in the base period and Zᵀ those
    zero in the current period. Replacing each zero by δ and letting δ → 0:

    - Z⁰ = Zᵀ = ∅: the ordinary formula.
    - Z⁰ ≠ ∅, Zᵀ = ∅ (the sub-sector appears): ΔV_{k,i} → V_i^T/|Z⁰| for k ∈ Z⁰, 0 otherwise.
    - Z⁰ = ∅, Zᵀ ≠ ∅ (it disappears): ΔV_{k,i} → −V_i^0/|Zᵀ| for k ∈ Zᵀ, 0 otherwise.
    - both non-empty (V_i^0 = V_i^T = 0): every ΔV_{k,i} → 0.

    The split of V_i^T among several zero factors (equal shares) follows from using the same δ
    for every zero. With ``delta`` given, the convergence error is of order 1/|ln δ|: a few per
    cent of V_i even at δ = 1e-20 (in the reference case ``tests/reference/lmdi/zeros`` the
    structure effect is 45.9 at δ = 1e-20 against the limit 49.6), so the limits are the default.

    References
    ----------
    Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide.
    *Energy Policy* 33, 867–871.
    Ang, B. W., Liu, N. (2007). Handling zero values in the logarithmic mean Divisia index
    decomposition approach. *Energy Policy* 35, 238–246.
    Ang, B. W. (2015). LMDI decomposition approach: a guide for implementation.
    *Energy Policy* 86, 233–238.
    """
    check_option("kind", kind, ("additive", "multiplicative"))
    b = _as_lmdi_frame("base", base)
    c = _as_lmdi_frame("current", current)
    if b.shape != c.shape or not b.columns.equals(c.columns) or not b.index.equals(c.index):
        if b.shape == c.shape and set(b.columns) == set(c.columns) and set(b.index) == set(c.index):
            c = c.reindex(index=b.index, columns=b.columns)
        else:
            raise InputError("must have the same sub-sector (row) and factor (column) labels as "
                             "'base'", argument="current", value=f"shape {c.shape}")
    if b.index.has_duplicates or b.columns.has_duplicates:
        raise InputError("sub-sector and factor labels must be unique", argument="base")
    if delta is not None:
        try:
            d = float(delta)
        except (TypeError, ValueError):
            raise InputError("must be None or a small positive number", argument="delta",
                             value=delta) from None
        if not (0 < d < 1e-3) or not math.isfinite(d):
            raise InputError("must be None or a positive number below 1e-3 (Ang suggests "
                             "1e-10 to 1e-20)", argument="delta", value=delta)

    x0 = b.to_numpy()
    xT = c.to_numpy()
    has_zero = bool((x0 == 0).any() or (xT == 0).any())
    if delta is not None:
        x0 = np.where(x0 == 0, d, x0)
        xT = np.where(xT == 0, d, xT)
        zero_handling = f"delta={d!r}" if has_zero else "none"
    else:
        zero_handling = "limit" if has_zero else "none"

    V0i = np.prod(x0, axis=1)
    VTi = np.prod(xT, axis=1)
    z0 = x0 == 0
    zT = xT == 0
    n0 = z0.sum(axis=1)
    nT = zT.sum(axis=1)
    detail = np.zeros_like(x0)
    regular = (n0 == 0) & (nT == 0)
    if regular.any():
        w = log_mean(VTi[regular], V0i[regular])
        detail[regular] = np.atleast_1d(w)[:, None] * np.log(xT[regular] / x0[regular])
    appear = (n0 > 0) & (nT == 0)
    if appear.any():
        detail[appear] = np.where(z0[appear], (VTi[appear] / n0[appear])[:, None], 0.0)
    vanish = (n0 == 0) & (nT > 0)
    if vanish.any():
        detail[vanish] = np.where(zT[vanish], -(V0i[vanish] / nT[vanish])[:, None], 0.0)
    # both zero: stays 0

    V0 = float(V0i.sum())
    VT = float(VTi.sum())
    add = pd.Series(detail.sum(axis=0), index=b.columns, name="effect")
    detail_df = pd.DataFrame(detail, index=b.index, columns=b.columns)
    if kind == "additive":
        effects, total = add, VT - V0
    else:
        if V0 <= 0 or VT <= 0:
            raise InputError("a multiplicative decomposition needs a positive aggregate in both "
                             "periods", argument="base" if V0 <= 0 else "current",
                             value=V0 if V0 <= 0 else VT)
        L = log_mean(VT, V0)
        effects = pd.Series(np.exp(add.to_numpy() / L), index=b.columns, name="effect")
        total = VT / V0
    return LMDIResult(kind=kind, effects=effects, detail=detail_df, additive_effects=add,
                      base_value=V0, current_value=VT, total=total, zero_handling=zero_handling)
