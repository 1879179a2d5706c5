"""成本收益分析法 cost-benefit analysis and 最低成本法 least-cost analysis.

The discounting and rate-of-return arithmetic (``discount_factors``, ``npv``, ``irr``, ``irrs``,
``mirr``, ``xnpv``, ``xirr``, ``xirrs``, ``bcr``, ``payback``) lives in
:mod:`perfkit.methods._cashflow` and is re-exported here. This module adds the appraisal verbs that
return result objects:

- :func:`appraise` — one project: NPV, PV(benefits), PV(costs), BCR, IRR, payback (CBAResult);
- :func:`optimism_bias` — HM Treasury Green Book optimism-bias uplift (乐观偏差调整);
- :func:`switching_values`, :func:`tornado`, :func:`monte_carlo_npv` — uncertainty (敏感性分析);
- :func:`least_cost` — 最低成本法: cost per unit of effect, ranking, dominance, efficiency frontier.

Inputs for a project are *benefit* and *cost* streams over the same years (year 0 first). Either may
be one stream (list, array, Series) or a table with one **component per row** and years in columns
(e.g. rows ``capex``, ``opex``; ``time_savings``, ``accidents``). The uncertainty verbs vary whole
components: a change of +10% in ``capex`` multiplies every year of that row by 1.1.
"""
from __future__ import annotations

import dataclasses
import math
import numbers
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .._results import Result
from ..errors import IdentityError, InputError, MethodError
from . import _cashflow as _cf
from ._cashflow import (GREENBOOK_SCHEDULE, GREENBOOK_SOURCE, IRRWarning, bcr, discount_factors,
                        irr, irrs, mirr, npv, payback, xirr, xirrs, xnpv)

__all__ = [
    # discounting and rates of return (from _cashflow)
    "GREENBOOK_SCHEDULE", "GREENBOOK_SOURCE", "IRRWarning", "discount_factors", "npv", "irrs",
    "irr", "mirr", "xnpv", "xirrs", "xirr", "bcr", "payback",
    # appraisal
    "CBAResult", "appraise",
    "OPTIMISM_BIAS", "OPTIMISM_BIAS_SOURCE", "OptimismBiasResult", "optimism_bias",
    "SwitchingValuesResult", "switching_values", "TornadoResult", "tornado",
    "MonteCarloResult", "monte_carlo_npv", "MC_DEFAULT_SEED",
    "LeastCostResult", "least_cost",
]

#: relative tolerance of the NPV = PV(benefits) − PV(costs) identity, scaled by PV(B) + |PV(C)|
IDENTITY_RTOL = 1e-9


# =========================================================================== project components
@dataclasses.dataclass
class _Project:
    names: list            # component labels
    kinds: np.ndarray      # "benefit" / "cost"
    signs: np.ndarray      # +1 benefit, −1 cost
    matrix: np.ndarray     # components × years
    years: pd.Index        # year labels

    def pv(self, rate: Any, convention: str) -> np.ndarray:
        m = self.matrix.shape[1]
        df = _cf._dfs(m if convention == "excel" else m - 1, rate, "rate")
        if convention == "excel":
            df = df[1:]
        return self.matrix @ df


def _side(name: str, x: Any, default_label: str) -> tuple[list, np.ndarray, pd.Index | None]:
    if isinstance(x, pd.DataFrame):
        arr, _, labels = _cf._streams(name, x)
        return list(labels), arr, x.columns
    if isinstance(x, pd.Series):
        arr, labels = _cf._stream(name, x)
        label = x.name if x.name is not None else default_label
        return [label], arr[None, :], labels
    arr, one, _ = _cf._streams(name, x)
    if one:
        return [default_label], arr, None
    return [f"{default_label}[{i}]" for i in range(arr.shape[0])], arr, None


def _project(benefits: Any, costs: Any) -> _Project:
    bn, ba, by = _side("benefits", benefits, "benefits")
    cn, ca, cy = _side("costs", costs, "costs")
    if ba.shape[1] != ca.shape[1]:
        raise InputError(f"benefits and costs must cover the same years: {ba.shape[1]} year(s) of "
                         f"benefits, {ca.shape[1]} of costs", argument="costs")
    if by is not None and cy is not None and not by.equals(cy):
        raise InputError("benefits and costs are labelled with different years", argument="costs",
                         value=f"{list(by)[:3]}… vs {list(cy)[:3]}…")
    names = bn + cn
    if len(set(map(str, names))) != len(names):
        dup = sorted({str(n) for n in names if list(map(str, names)).count(str(n)) > 1})
        raise InputError(f"component names must be unique across benefits and costs; repeated: "
                         f"{dup}", argument="costs")
    years = by if by is not None else cy
    if years is None:
        years = pd.RangeIndex(ba.shape[1], name="year")
    kinds = np.array(["benefit"] * len(bn) + ["cost"] * len(cn), dtype=object)
    signs = np.r_[np.ones(len(bn)), -np.ones(len(cn))]
    return _Project(names, kinds, signs, np.vstack([ba, ca]), pd.Index(years))


def _component_index(proj: _Project, key: Any, argument: str) -> int:
    for i, n in enumerate(proj.names):
        if n == key or str(n) == str(key):
            return i
    raise InputError(f"unknown component; components are {[str(n) for n in proj.names]}",
                     argument=argument, value=key)


# =========================================================================== appraise
@dataclasses.dataclass(frozen=True, eq=False)
class CBAResult(Result):
    """Cost-benefit appraisal of one project (成本收益分析结果).

    Attributes
    ----------
    npv : float
        Net present value Σ (B_t − C_t)·DF_t.
    pv_benefits, pv_costs : float
        Σ B_t·DF_t and Σ C_t·DF_t.
    bcr : float
        pv_benefits / pv_costs (NaN when pv_costs ≤ 0).
    irr : float
        The IRR of the net stream when it is unique, else NaN (see ``irrs`` and ``irr_note``).
    irrs : tuple of float
        Every IRR of the net stream.
    irr_note : str
        Why ``irr`` is NaN, if it is.
    payback, discounted_payback : float
        Simple and discounted payback in years (NaN if never reached).
    schedule : float, str or list
        The discount rate or schedule used.
    convention : str
        ``"t0"`` or ``"excel"``.
    table : pandas.DataFrame
        Per year: ``benefits, costs, net, discount_factor, pv_benefits, pv_costs, pv_net,
        cumulative_net, cumulative_pv_net``.

    Notes
    -----
    On construction the result checks NPV = PV(B) − PV(C) and BCR = PV(B)/PV(C) to a relative
    tolerance of 1e-9 of PV(B) + |PV(C)| and raises :class:`~perfkit.errors.IdentityError` if not.
    """

    title = "Cost-benefit appraisal (成本收益分析)"

    npv: float
    pv_benefits: float
    pv_costs: float
    bcr: float
    irr: float
    irrs: tuple
    irr_note: str
    payback: float
    discounted_payback: float
    schedule: Any
    convention: str
    table: pd.DataFrame

    def __post_init__(self):
        scale = abs(self.pv_benefits) + abs(self.pv_costs)
        tol = IDENTITY_RTOL * (scale if scale > 0 else 1.0)
        gap = self.npv - (self.pv_benefits - self.pv_costs)
        if not abs(gap) <= tol:
            raise IdentityError(f"NPV = PV(benefits) − PV(costs) fails: {self.npv!r} vs "
                                f"{self.pv_benefits!r} − {self.pv_costs!r} (gap {gap:.3g}, "
                                f"tolerance {tol:.3g})")
        if self.pv_costs > 0 and not abs(self.bcr * self.pv_costs - self.pv_benefits) <= tol:
            raise IdentityError(f"BCR = PV(benefits)/PV(costs) fails: {self.bcr!r}")

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_lines(self) -> list[str]:
        irr_txt = f"{self.irr:.6g}" if math.isfinite(self.irr) else f"n/a ({self.irr_note})"
        return [f"npv: {self.npv:.6g}", f"pv_benefits: {self.pv_benefits:.6g}",
                f"pv_costs: {self.pv_costs:.6g}", f"bcr: {self.bcr:.6g}", f"irr: {irr_txt}",
                f"irrs: {', '.join(f'{r:.6g}' for r in self.irrs) or 'none'}",
                f"payback: {self.payback:.6g}",
                f"discounted_payback: {self.discounted_payback:.6g}",
                f"schedule: {self.schedule}", f"convention: {self.convention}"]


def appraise(benefits: Any, costs: Any, *, rate: Any = 0.035, convention: str = "t0") -> CBAResult:
    """Cost-benefit appraisal of a project (成本收益分析法).

    Parameters
    ----------
    benefits, costs : sequence, Series, 2-D array or DataFrame
        Streams over the same years 0…n (costs as positive amounts). A table holds one component
        per row (years in columns); components are summed.
    rate : float, str, sequence or mapping, keyword-only, default 0.035
        Constant rate or discount schedule (see :func:`discount_factors`), e.g. ``"greenbook"``.
    convention : {"t0", "excel"}, keyword-only
        As in :func:`npv`.

    Returns
    -------
    CBAResult

    Notes
    -----
    NPV = Σ_t (B_t − C_t)·DF_t (净现值), PV(B) = Σ B_t·DF_t, PV(C) = Σ C_t·DF_t,
    BCR = PV(B)/PV(C) (效益成本比). NPV is computed from the net stream and independently
    checked against PV(B) − PV(C). The IRR is the unique root of Σ (B_t − C_t)(1 + r)^−t = 0;
    when there is none or several, ``irr`` is NaN and ``irrs``/``irr_note`` say why (no warning
    is raised). Payback as in :func:`payback`, on the net stream.

    References
    ----------
    HM Treasury (2018), *The Green Book*, ch. 5–6 and Annex A6; 财预〔2020〕10号 (成本效益分析法)
    as described in perfkit ``domain.md`` §8.
    """
    _cf._check_convention(convention)
    proj = _project(benefits, costs)
    is_b = proj.signs > 0
    b = proj.matrix[is_b].sum(axis=0)
    c = proj.matrix[~is_b].sum(axis=0)
    net = b - c
    m = len(net)
    df_all = _cf._dfs(m if convention == "excel" else m - 1, rate, "rate")
    df = df_all[1:] if convention == "excel" else df_all
    pvb, pvc = float(b @ df), float(c @ df)
    npv_ = float(net @ df)
    roots = _cf._irrs_array(net)
    if len(roots) == 1:
        irr_, note = float(roots[0]), ""
    elif len(roots) == 0:
        irr_, note = math.nan, _cf._no_root_reason(net)
    else:
        irr_, note = math.nan, (f"{len(roots)} IRRs ({', '.join(f'{r:.6g}' for r in roots)}); "
                                "no single IRR is meaningful")
    table = pd.DataFrame({"benefits": b, "costs": c, "net": net, "discount_factor": df,
                          "pv_benefits": b * df, "pv_costs": c * df, "pv_net": net * df},
                         index=proj.years)
    table["cumulative_net"] = np.cumsum(net)
    table["cumulative_pv_net"] = np.cumsum(net * df)
    pb = _cf._payback_from_cum(np.cumsum(net))
    # the discounted payback uses exactly the factors of the appraisal (and its convention)
    dpb = _cf._payback_from_cum(np.cumsum(net * df))
    return CBAResult(npv=npv_, pv_benefits=pvb, pv_costs=pvc,
                     bcr=(pvb / pvc) if pvc > 0 else math.nan, irr=irr_,
                     irrs=tuple(float(r) for r in roots), irr_note=note, payback=pb,
                     discounted_payback=dpb, schedule=_cf._describe_schedule(rate),
                     convention=convention, table=table)


# =========================================================================== optimism bias
#: HM Treasury Green Book optimism-bias bounds, in percent: ``(upper, lower)`` for works duration
#: and for capital expenditure (for outsourcing, operating expenditure). ``None``: not applicable.
OPTIMISM_BIAS: dict[str, dict[str, Any]] = {
    "non_standard_buildings": {"label": "Non-standard buildings", "label_zh": "非标准建筑",
                               "works_duration": (39.0, 2.0), "capex": (51.0, 4.0)},
    "standard_buildings": {"label": "Standard buildings", "label_zh": "标准建筑",
                           "works_duration": (4.0, 1.0), "capex": (24.0, 2.0)},
    "non_standard_civil_engineering": {"label": "Non-standard civil engineering",
                                       "label_zh": "非标准土木工程",
                                       "works_duration": (25.0, 3.0), "capex": (66.0, 6.0)},
    "standard_civil_engineering": {"label": "Standard civil engineering",
                                   "label_zh": "标准土木工程",
                                   "works_duration": (20.0, 1.0), "capex": (44.0, 3.0)},
    "equipment_development": {"label": "Equipment/development", "label_zh": "设备/开发",
                              "works_duration": (54.0, 10.0), "capex": (200.0, 10.0)},
    "outsourcing": {"label": "Outsourcing (OPEX)", "label_zh": "外包",
                    "works_duration": None, "capex": (41.0, 0.0)},
}

OPTIMISM_BIAS_SOURCE = ("[V] HM Treasury Green Book supplementary guidance 'Optimism bias', "
                        "table of upper/lower bounds (%), "
                        "https://ppponline.affinitext.com/public/book?id=1343&toc_id=444193 ; "
                        "combined projects by capex-share weighted average, worked example "
                        "30% non-standard × 51 + 70% standard × 24 = 32.1%: toc_id=444268 "
                        "(perfkit domain.md §11)")

_OB_MEASURES = ("capex", "works_duration")


def _ob_key(name: Any) -> str:
    if not isinstance(name, str):
        raise InputError("project type must be a string", argument="project_type", value=name)
    raw = name.strip()
    for key, row in OPTIMISM_BIAS.items():
        if raw == row["label_zh"] or raw == row["label"]:
            return key
    k = raw.lower()
    for ch in " -/()":
        k = k.replace(ch, "_")
    k = "_".join(p for p in k.split("_") if p)
    k = {"outsourcing_opex": "outsourcing", "equipment_and_development": "equipment_development",
         "nonstandard_buildings": "non_standard_buildings",
         "nonstandard_civil_engineering": "non_standard_civil_engineering"}.get(k, k)
    if k not in OPTIMISM_BIAS:
        raise InputError(f"unknown project type; use one of {list(OPTIMISM_BIAS)}",
                         argument="project_type", value=name)
    return k


@dataclasses.dataclass(frozen=True, eq=False)
class OptimismBiasResult(Result):
    """Optimism-bias adjustment (乐观偏差调整).

    Attributes
    ----------
    base, adjusted : float or pandas.Series
        Base estimate and base × (1 + rate).
    rate : float
        Optimism bias applied, a fraction (0.321 = 32.1%), after mitigation.
    unmitigated_rate : float
        Share-weighted bound before mitigation.
    mitigation : float
        Fraction of the bias removed by risk mitigation, in [0, 1].
    bound, measure : str
    components : pandas.DataFrame
        Per project type: ``label, share, bound_pct, contribution_pct``.
    source : str
    """

    title = "Optimism bias (乐观偏差调整)"

    base: Any
    adjusted: Any
    rate: float
    unmitigated_rate: float
    mitigation: float
    bound: str
    measure: str
    components: pd.DataFrame
    source: str

    def to_frame(self) -> pd.DataFrame:
        return self.components

    def _summary_lines(self) -> list[str]:
        lines = [f"rate: {self.rate:.6g}", f"unmitigated_rate: {self.unmitigated_rate:.6g}",
                 f"mitigation: {self.mitigation:.6g}", f"bound: {self.bound}",
                 f"measure: {self.measure}"]
        if isinstance(self.base, float):
            lines += [f"base: {self.base:.6g}", f"adjusted: {self.adjusted:.6g}"]
        else:
            lines += [f"base (total): {float(np.sum(self.base)):.6g}",
                      f"adjusted (total): {float(np.sum(self.adjusted)):.6g}"]
        return lines


def optimism_bias(base_cost: Any, project_type: Any, *, bound: str = "upper",
                  mitigation: float = 0.0, shares: Sequence[float] | None = None,
                  measure: str = "capex") -> OptimismBiasResult:
    """Green Book optimism-bias uplift of a cost (or duration) estimate (乐观偏差调整).

    Parameters
    ----------
    base_cost : float, sequence or Series
        The base estimate (≥ 0): one amount, or a cost stream (every year is uplifted).
    project_type : str, sequence of str, or mapping {type: share}
        A key of :data:`OPTIMISM_BIAS` (``"non_standard_buildings"``, ``"standard_buildings"``,
        ``"non_standard_civil_engineering"``, ``"standard_civil_engineering"``,
        ``"equipment_development"``, ``"outsourcing"``), its English label or its Chinese label;
        several types for a combined project, with ``shares`` or as a mapping.
    bound : {"upper", "lower"}, keyword-only
        The upper bound is the starting point at the outset of appraisal; the lower bound is the
        level after full mitigation.
    mitigation : float in [0, 1], keyword-only
        Fraction of the (share-weighted) bias removed by risk mitigation.
    shares : sequence of float, keyword-only
        Capital-expenditure shares of the types (≥ 0, summing to 1); only with a sequence of types.
    measure : {"capex", "works_duration"}, keyword-only
        Which column of the table: capital (for outsourcing, operating) expenditure, or works
        duration (then ``base_cost`` is a duration).

    Returns
    -------
    OptimismBiasResult

    Notes
    -----
    OB = (1 − mitigation) · Σ_k s_k · OB_k, adjusted = base · (1 + OB), where s_k are the capex
    shares and OB_k the published bounds. Green Book example: 0.3·51% + 0.7·24% = 32.1%.

    References
    ----------
    HM Treasury, *The Green Book*, supplementary guidance on optimism bias (Mott MacDonald 2002
    study); see :data:`OPTIMISM_BIAS_SOURCE`.
    """
    if bound not in ("upper", "lower"):
        raise InputError("must be 'upper' or 'lower'", argument="bound", value=bound)
    if measure not in _OB_MEASURES:
        raise InputError(f"must be one of {_OB_MEASURES}", argument="measure", value=measure)
    if not _cf._is_number(mitigation) or not 0.0 <= float(mitigation) <= 1.0:
        raise InputError("must be a fraction in [0, 1]", argument="mitigation", value=mitigation)
    mitigation = float(mitigation)
    if isinstance(project_type, Mapping):
        if shares is not None:
            raise InputError("give shares either in the mapping or in shares=, not both",
                             argument="shares")
        types = list(project_type.keys())
        shares_arr = np.asarray(list(project_type.values()), dtype=float)
    elif isinstance(project_type, str):
        types = [project_type]
        if shares is not None and (len(shares) != 1 or float(shares[0]) != 1.0):
            raise InputError("a single project type takes no shares (or [1.0])", argument="shares",
                             value=shares)
        shares_arr = np.ones(1)
    else:
        types = list(project_type)
        if not types:
            raise InputError("needs at least one project type", argument="project_type")
        if shares is None:
            if len(types) != 1:
                raise InputError("a combined project needs shares= (capex share of each type)",
                                 argument="shares")
            shares_arr = np.ones(1)
        else:
            try:
                shares_arr = np.asarray(shares, dtype=float).ravel()
            except (TypeError, ValueError):
                raise InputError("must be numbers", argument="shares", value=shares) from None
            if len(shares_arr) != len(types):
                raise InputError(f"needs one share per project type ({len(types)})",
                                 argument="shares", value=list(shares_arr))
    keys = [_ob_key(t) for t in types]
    if len(set(keys)) != len(keys):
        raise InputError("each project type may appear once", argument="project_type",
                         value=types)
    if not np.all(np.isfinite(shares_arr)) or (shares_arr < 0).any():
        raise InputError("shares must be finite and ≥ 0", argument="shares",
                         value=shares_arr.tolist())
    if abs(shares_arr.sum() - 1.0) > 1e-9:
        raise InputError("shares must sum to 1", argument="shares", value=shares_arr.tolist())
    pos = 0 if bound == "upper" else 1
    bounds_pct = []
    for k in keys:
        pair = OPTIMISM_BIAS[k][measure]
        if pair is None:
            raise InputError(f"the Green Book gives no {measure} optimism bias for "
                             f"{OPTIMISM_BIAS[k]['label']!r}", argument="measure", value=measure)
        bounds_pct.append(float(pair[pos]))
    bounds_pct = np.asarray(bounds_pct)
    contrib = shares_arr * bounds_pct
    unmitigated = float(contrib.sum()) / 100.0
    rate = unmitigated * (1.0 - mitigation)
    # base
    if _cf._is_number(base_cost):
        base = float(base_cost)
        if not math.isfinite(base) or base < 0:
            raise InputError("must be a finite number ≥ 0", argument="base_cost", value=base_cost)
        adjusted: Any = base * (1.0 + rate)
    else:
        arr, labels = _cf._stream("base_cost", base_cost)
        if (arr < 0).any():
            raise InputError("must not be negative", argument="base_cost",
                             value=float(arr[arr < 0][0]))
        idx = labels if labels is not None else pd.RangeIndex(len(arr), name="year")
        name = base_cost.name if isinstance(base_cost, pd.Series) else "base_cost"
        base = pd.Series(arr, index=idx, name=name)
        adjusted = (base * (1.0 + rate)).rename("adjusted")
    comps = pd.DataFrame({"label": [OPTIMISM_BIAS[k]["label"] for k in keys],
                          "label_zh": [OPTIMISM_BIAS[k]["label_zh"] for k in keys],
                          "share": shares_arr, "bound_pct": bounds_pct,
                          "contribution_pct": contrib},
                         index=pd.Index(keys, name="project_type"))
    return OptimismBiasResult(base=base, adjusted=adjusted, rate=rate,
                              unmitigated_rate=unmitigated, mitigation=mitigation, bound=bound,
                              measure=measure, components=comps, source=OPTIMISM_BIAS_SOURCE)


# =========================================================================== switching values
@dataclasses.dataclass(frozen=True, eq=False)
class SwitchingValuesResult(Result):
    """Switching values (临界值) of each component.

    Attributes
    ----------
    npv : float
        Base NPV.
    switching_rate : float
        The discount rate that makes NPV zero (the IRR if unique, else NaN).
    table : pandas.DataFrame
        Index ``component``; columns ``kind, pv, switching_value, switching_pv``:
        ``switching_value`` is the fractional change of the component's PV that makes NPV zero
        (−0.2 = a 20% fall); ``switching_pv`` = pv·(1 + switching_value). NaN when the component's
        PV is zero.
    """

    title = "Switching values (临界值分析)"

    npv: float
    switching_rate: float
    schedule: Any
    convention: str
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table


def switching_values(benefits: Any, costs: Any, *, rate: Any = 0.035, convention: str = "t0",
                     totals: bool = True) -> SwitchingValuesResult:
    """Switching values: the % change in each uncertain component that makes NPV zero (临界值).

    Parameters
    ----------
    benefits, costs : sequence, Series, 2-D array or DataFrame
        As in :func:`appraise`; each row of a table is one component (uncertain variable).
    rate : float, str, sequence or mapping, keyword-only
        Constant rate or discount schedule.
    convention : {"t0", "excel"}, keyword-only
    totals : bool, keyword-only, default True
        Add rows ``(all benefits)`` and ``(all costs)`` (every benefit, or every cost, scaled
        together).

    Returns
    -------
    SwitchingValuesResult

    Notes
    -----
    NPV is linear in a component scaled by (1 + x): NPV(x) = NPV + s_i·PV_i·x with s_i = +1 for a
    benefit and −1 for a cost, so the switching value is x_i = −NPV / (s_i·PV_i). A benefit must
    fall (x < 0) and a cost rise (x > 0) to wipe out a positive NPV. The switching value of the
    discount rate is the IRR.

    References
    ----------
    HM Treasury (2018), *The Green Book*, §5.61 and Annex A5 (switching values).
    """
    _cf._check_convention(convention)
    proj = _project(benefits, costs)
    pv = proj.pv(rate, convention)
    npv_ = float(proj.signs @ pv)
    names = list(proj.names)
    kinds = list(proj.kinds)
    pvs, sgn = list(pv), list(proj.signs)
    if totals:
        for kind, label, s in (("benefit", "(all benefits)", 1.0), ("cost", "(all costs)", -1.0)):
            mask = proj.signs == s
            names.append(label)
            kinds.append(kind)
            pvs.append(float(pv[mask].sum()))
            sgn.append(s)
    pvs_a, sgn_a = np.asarray(pvs, dtype=float), np.asarray(sgn, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(pvs_a != 0, -npv_ / (sgn_a * np.where(pvs_a != 0, pvs_a, 1.0)), np.nan)
    table = pd.DataFrame({"kind": kinds, "pv": pvs_a, "switching_value": x,
                          "switching_pv": pvs_a * (1.0 + x)},
                         index=pd.Index(names, name="component"))
    net = (proj.signs[:, None] * proj.matrix).sum(axis=0)
    roots = _cf._irrs_array(net)
    sr = float(roots[0]) if len(roots) == 1 else math.nan
    return SwitchingValuesResult(npv=npv_, switching_rate=sr,
                                 schedule=_cf._describe_schedule(rate), convention=convention,
                                 table=table)


# =========================================================================== tornado
@dataclasses.dataclass(frozen=True, eq=False)
class TornadoResult(Result):
    """One-way sensitivity table for a tornado chart (龙卷风图).

    Attributes
    ----------
    npv : float
        Base NPV.
    table : pandas.DataFrame
        Index ``variable``; columns ``low, high, npv_low, npv_high, swing`` sorted by ``swing``
        (= |npv_high − npv_low|) descending. For components ``low``/``high`` are fractional
        changes; for ``discount rate`` they are the rates.
    """

    title = "Tornado sensitivity (单因素敏感性)"

    npv: float
    schedule: Any
    convention: str
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table


def _pair(name: str, v: Any) -> tuple[float, float]:
    ok = (isinstance(v, (list, tuple, np.ndarray, pd.Series)) and len(v) == 2
          and all(_cf._is_number(x) and math.isfinite(float(x)) for x in list(v)))
    if not ok:
        raise InputError("must be a (low, high) pair of finite numbers", argument=name, value=v)
    lo, hi = (float(x) for x in list(v))
    return lo, hi


def tornado(benefits: Any, costs: Any, *, rate: Any = 0.035, ranges: Any,
            rate_range: Sequence[float] | None = None, convention: str = "t0") -> TornadoResult:
    """NPV at the low and high value of each uncertain variable, sorted by swing (龙卷风图).

    Parameters
    ----------
    benefits, costs : sequence, Series, 2-D array or DataFrame
        As in :func:`appraise`; each row of a table is one component.
    rate : float, str, sequence or mapping, keyword-only
        Base rate or schedule.
    ranges : mapping, DataFrame or (low, high), keyword-only
        Fractional changes per component, e.g. ``{"capex": (-0.1, 0.3), "benefits": (-0.2, 0.1)}``
        (−0.1 = 10% lower); a DataFrame with columns ``low``/``high`` indexed by component; or one
        (low, high) pair applied to every component.
    rate_range : (low, high), optional, keyword-only
        Constant discount rates to try instead of ``rate`` (adds a ``discount rate`` row).
    convention : {"t0", "excel"}, keyword-only

    Returns
    -------
    TornadoResult

    Notes
    -----
    For component i with PV_i and sign s_i: NPV_low = NPV + s_i·PV_i·low and
    NPV_high = NPV + s_i·PV_i·high; other components stay at base. swing = |NPV_high − NPV_low|.

    References
    ----------
    HM Treasury (2018), *The Green Book*, Annex A5 (sensitivity analysis).
    """
    _cf._check_convention(convention)
    proj = _project(benefits, costs)
    pv = proj.pv(rate, convention)
    base = float(proj.signs @ pv)
    if isinstance(ranges, pd.DataFrame):
        if not {"low", "high"} <= set(ranges.columns):
            raise InputError("a ranges table needs columns 'low' and 'high'", argument="ranges")
        items = [(k, (r["low"], r["high"])) for k, r in ranges.iterrows()]
    elif isinstance(ranges, Mapping):
        items = list(ranges.items())
    elif isinstance(ranges, (list, tuple)) and len(ranges) == 2 and all(
            _cf._is_number(v) for v in ranges):
        items = [(n, ranges) for n in proj.names]
    else:
        raise InputError("must be a mapping {component: (low, high)}, a DataFrame with low/high "
                         "columns, or one (low, high) pair", argument="ranges", value=ranges)
    if not items and rate_range is None:
        raise InputError("needs at least one variable", argument="ranges")
    rows = []
    for key, v in items:
        i = _component_index(proj, key, "ranges")
        lo, hi = _pair("ranges", v)
        d = proj.signs[i] * pv[i]
        rows.append((proj.names[i], lo, hi, base + d * lo, base + d * hi))
    if rate_range is not None:
        lo, hi = _pair("rate_range", rate_range)
        nl = float(proj.signs @ proj.pv(lo, convention))
        nh = float(proj.signs @ proj.pv(hi, convention))
        rows.append(("discount rate", lo, hi, nl, nh))
    table = pd.DataFrame(rows, columns=["variable", "low", "high", "npv_low", "npv_high"])
    if table["variable"].duplicated().any():
        raise InputError("each variable may appear once", argument="ranges",
                         value=table.loc[table["variable"].duplicated(), "variable"].tolist())
    table["swing"] = (table["npv_high"] - table["npv_low"]).abs()
    table = table.sort_values("swing", ascending=False, kind="mergesort").set_index("variable")
    return TornadoResult(npv=base, schedule=_cf._describe_schedule(rate), convention=convention,
                         table=table)


# =========================================================================== Monte Carlo
#: default seed of :func:`monte_carlo_npv`, recorded in every result
MC_DEFAULT_SEED = 20240601

_DISTS: dict[str, tuple[str, ...]] = {
    "normal": ("mean", "sd"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high", "lamb"),
    "lognormal": ("mean", "sd"),
}


def _parse_dist(name: str, spec: Any) -> dict:
    """{"dist": …, params…} with floats, checked."""
    if isinstance(spec, Mapping):
        d = dict(spec)
        dist = d.pop("dist", None)
        params = d
    elif isinstance(spec, (list, tuple)) and spec and isinstance(spec[0], str):
        dist = spec[0]
        order = _DISTS.get(dist.lower())
        params = {}
        if order is not None:
            n_min = 3 if dist.lower() in ("triangular", "pert") else 2
            if not n_min <= len(spec) - 1 <= len(order):
                raise InputError(f"{dist} takes parameters {order[:n_min]}"
                                 + (f" (optionally {order[n_min:]})" if len(order) > n_min else ""),
                                 argument=f"uncertain[{name!r}]", value=spec)
            params = dict(zip(order, spec[1:]))
    else:
        raise InputError("a distribution is {'dist': name, parameters…} or (name, p1, p2, …)",
                         argument=f"uncertain[{name!r}]", value=spec)
    arg = f"uncertain[{name!r}]"
    if not isinstance(dist, str) or dist.lower() not in _DISTS:
        raise InputError(f"unknown distribution; use one of {list(_DISTS)}", argument=arg,
                         value=dist)
    dist = dist.lower()
    allowed = set(_DISTS[dist]) | ({"mu", "sigma"} if dist == "lognormal" else set())
    unknown = set(params) - allowed
    if unknown:
        raise InputError(f"unknown parameter(s) {sorted(unknown)} for {dist}; allowed "
                         f"{sorted(allowed)}", argument=arg)
    p: dict[str, float] = {}
    for k, v in params.items():
        if not _cf._is_number(v) or not math.isfinite(float(v)):
            raise InputError(f"parameter {k!r} must be a finite number", argument=arg, value=v)
        p[k] = float(v)
    need = {"normal": {"mean", "sd"}, "uniform": {"low", "high"},
            "triangular": {"low", "mode", "high"}, "pert": {"low", "mode", "high"}}.get(dist)
    if need is not None and not need <= set(p):
        raise InputError(f"{dist} needs parameters {sorted(need)}", argument=arg, value=spec)
    if dist == "normal" and p["sd"] < 0:
        raise InputError("sd must be ≥ 0", argument=arg, value=p["sd"])
    if dist == "uniform" and not p["low"] <= p["high"]:
        raise InputError("needs low ≤ high", argument=arg, value=spec)
    if dist in ("triangular", "pert"):
        if not (p["low"] <= p["mode"] <= p["high"] and p["low"] < p["high"]):
            raise InputError("needs low ≤ mode ≤ high and low < high", argument=arg, value=spec)
        if dist == "pert":
            p.setdefault("lamb", 4.0)
            if p["lamb"] <= 0:
                raise InputError("lamb must be > 0", argument=arg, value=p["lamb"])
    if dist == "lognormal":
        if {"mean", "sd"} <= set(p) and not ({"mu", "sigma"} & set(p)):
            if p["mean"] <= 0 or p["sd"] < 0:
                raise InputError("lognormal needs mean > 0 and sd ≥ 0", argument=arg, value=spec)
            s2 = math.log1p((p["sd"] / p["mean"]) ** 2)
            p = {"mu": math.log(p["mean"]) - s2 / 2, "sigma": math.sqrt(s2), **p}
        elif {"mu", "sigma"} <= set(p) and not ({"mean", "sd"} & set(p)):
            if p["sigma"] < 0:
                raise InputError("sigma must be ≥ 0", argument=arg, value=p["sigma"])
        else:
            raise InputError("lognormal takes either mean and sd (of the variable) or mu and sigma "
                             "(of its logarithm)", argument=arg, value=spec)
    return {"dist": dist, **p}


def _draw(spec: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    d = spec["dist"]
    if d == "normal":
        return rng.normal(spec["mean"], spec["sd"], n)
    if d == "uniform":
        return rng.uniform(spec["low"], spec["high"], n)
    if d == "triangular":
        return rng.triangular(spec["low"], spec["mode"], spec["high"], n)
    if d == "pert":
        lo, mo, hi, lam = spec["low"], spec["mode"], spec["high"], spec["lamb"]
        a = 1.0 + lam * (mo - lo) / (hi - lo)
        b = 1.0 + lam * (hi - mo) / (hi - lo)
        return lo + (hi - lo) * rng.beta(a, b, n)
    if d == "lognormal":
        return rng.lognormal(spec["mu"], spec["sigma"], n)
    raise AssertionError(d)  # pragma: no cover


def _dist_mean(spec: dict) -> float:
    d = spec["dist"]
    if d == "normal":
        return spec["mean"]
    if d == "uniform":
        return (spec["low"] + spec["high"]) / 2
    if d == "triangular":
        return (spec["low"] + spec["mode"] + spec["high"]) / 3
    if d == "pert":
        return (spec["low"] + spec["lamb"] * spec["mode"] + spec["high"]) / (spec["lamb"] + 2)
    return math.exp(spec["mu"] + spec["sigma"] ** 2 / 2)


_MC_PCTS = (1, 5, 10, 25, 50, 75, 90, 95, 99)


@dataclasses.dataclass(frozen=True, eq=False)
class MonteCarloResult(Result):
    """Monte Carlo distribution of NPV (蒙特卡洛模拟).

    Attributes
    ----------
    n, seed : int
        Number of draws and the seed of ``numpy.random.default_rng`` (PCG64).
    mean, sd, p5, p50, p95 : float
        Mean, standard deviation (ddof = 1) and percentiles (linear interpolation) of NPV.
    prob_negative : float
        Share of draws with NPV < 0.
    npv_base : float
        NPV with every factor at 1 (no change).
    distributions : dict
        The distribution of each uncertain component's multiplicative factor, as parsed.
    table : pandas.DataFrame
        Column ``npv`` indexed by statistic (mean, sd, min, p1 … p99, max, prob_negative).
    """

    title = "Monte Carlo NPV (蒙特卡洛模拟)"

    n: int
    seed: int
    mean: float
    sd: float
    p5: float
    p50: float
    p95: float
    prob_negative: float
    npv_base: float
    distributions: dict
    schedule: Any
    convention: str
    table: pd.DataFrame
    _draws: np.ndarray | None = dataclasses.field(default=None, repr=False)

    @property
    def draws(self) -> np.ndarray:
        """The NPV draws (only when ``keep_draws=True``)."""
        if self._draws is None:
            raise MethodError("draws were not kept; call monte_carlo_npv(..., keep_draws=True)")
        return self._draws

    def to_frame(self) -> pd.DataFrame:
        return self.table


def monte_carlo_npv(benefits: Any, costs: Any, *, rate: Any = 0.035, uncertain: Mapping,
                    n: int = 100_000, seed: int = MC_DEFAULT_SEED, convention: str = "t0",
                    keep_draws: bool = False) -> MonteCarloResult:
    """Monte Carlo simulation of NPV with seeded, vectorised draws (蒙特卡洛模拟).

    Parameters
    ----------
    benefits, costs : sequence, Series, 2-D array or DataFrame
        As in :func:`appraise`; each row of a table is one component.
    rate : float, str, sequence or mapping, keyword-only
        Constant rate or discount schedule (not varied).
    uncertain : mapping {component: distribution}, keyword-only
        The multiplicative factor (base 1) of each uncertain component, drawn independently:
        ``{"dist": "normal", "mean": 1, "sd": 0.1}``, ``{"dist": "uniform", "low", "high"}``,
        ``{"dist": "triangular", "low", "mode", "high"}``,
        ``{"dist": "pert", "low", "mode", "high", "lamb": 4}``,
        ``{"dist": "lognormal", "mean", "sd"}`` (of the factor) or ``{"dist": "lognormal", "mu",
        "sigma"}`` (of its log); or a tuple ``("triangular", 0.9, 1.0, 1.5)`` with the parameters
        in that order.
    n : int, keyword-only, default 100 000
        Number of draws (≥ 2).
    seed : int, keyword-only, default :data:`MC_DEFAULT_SEED`
        Seed of ``numpy.random.default_rng``; recorded in the result. Variables are drawn in the
        order of ``uncertain``.
    convention : {"t0", "excel"}, keyword-only
    keep_draws : bool, keyword-only
        Keep the NPV draws (``result.draws``); they are never written to ``to_dict()``.

    Returns
    -------
    MonteCarloResult

    Notes
    -----
    NPV_k = Σ_{i fixed} s_i·PV_i + Σ_{j uncertain} s_j·PV_j·F_{jk}, k = 1…n, where F_{jk} is draw k
    of factor j and s = +1 for benefits, −1 for costs. A factor scales every year of its component
    (perfectly correlated over time); components are independent. PERT is
    low + (high − low)·Beta(1 + λ(mode − low)/(high − low), 1 + λ(high − mode)/(high − low)).
    Linear in the factors, so E[NPV] = Σ s_i PV_i E[F_i] exactly (used by the tests).

    References
    ----------
    HM Treasury (2018), *The Green Book*, Annex A5 (Monte Carlo analysis); D. Vose (2008),
    *Risk Analysis*, 3rd ed. (PERT).
    """
    _cf._check_convention(convention)
    if not _cf._is_number(n) or float(n) != int(n) or int(n) < 2 or int(n) > 50_000_000:
        raise InputError("must be a whole number between 2 and 50 000 000", argument="n", value=n)
    n = int(n)
    if (not isinstance(seed, (numbers.Integral, np.integer)) or isinstance(seed, bool)
            or int(seed) < 0):
        raise InputError("must be a whole number ≥ 0 (it is recorded in the result)",
                         argument="seed", value=seed)
    seed = int(seed)
    if not isinstance(uncertain, Mapping) or not uncertain:
        raise InputError("must be a non-empty mapping {component: distribution}",
                         argument="uncertain", value=uncertain)
    proj = _project(benefits, costs)
    pv = proj.pv(rate, convention)
    w = proj.signs * pv
    idx, specs = [], {}
    for key, spec in uncertain.items():
        i = _component_index(proj, key, "uncertain")
        if i in idx:
            raise InputError("each component may appear once", argument="uncertain", value=key)
        idx.append(i)
        specs[str(proj.names[i])] = _parse_dist(str(key), spec)
    fixed = float(np.delete(w, idx).sum())
    rng = np.random.default_rng(seed)
    out = np.full(n, fixed)
    for i, name in zip(idx, specs):
        out += w[i] * _draw(specs[name], n, rng)
    q = np.percentile(out, _MC_PCTS)
    mean, sd = float(out.mean()), float(out.std(ddof=1))
    pneg = float(np.count_nonzero(out < 0)) / n
    stats = {"mean": mean, "sd": sd, "min": float(out.min())}
    stats.update({f"p{p}": float(v) for p, v in zip(_MC_PCTS, q)})
    stats.update({"max": float(out.max()), "prob_negative": pneg})
    table = pd.DataFrame({"npv": pd.Series(stats)})
    table.index.name = "statistic"
    return MonteCarloResult(n=n, seed=seed, mean=mean, sd=sd, p5=stats["p5"], p50=stats["p50"],
                            p95=stats["p95"], prob_negative=pneg, npv_base=float(w.sum()),
                            distributions=specs, schedule=_cf._describe_schedule(rate),
                            convention=convention, table=table,
                            _draws=out if keep_draws else None)


# =========================================================================== least cost
@dataclasses.dataclass(frozen=True, eq=False)
class LeastCostResult(Result):
    """最低成本法 least-cost / cost-effectiveness comparison of options.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by option. Always ``cost, rank, cost_gap, dominated, dominated_by``; with effects
        also ``effect, cost_per_effect, extended_dominated, on_frontier, icer``.
    best : label
        Lowest cost (no effects) or lowest cost per unit of effect.
    frontier : tuple
        Options on the efficiency frontier in order of increasing effect (with effects), or the
        cheapest option(s) (without).
    with_effect : bool
    schedule : float, str, list or None
        Rate used to discount cost streams (None for given present values).
    """

    title = "Least-cost analysis (最低成本法)"

    table: pd.DataFrame
    best: Any
    frontier: tuple
    with_effect: bool
    extended: bool
    schedule: Any

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_lines(self) -> list[str]:
        return [f"best: {self.best}", f"frontier: {', '.join(map(str, self.frontier))}",
                f"with_effect: {self.with_effect}", f"schedule: {self.schedule}"]


def least_cost(options: Any, *, effect: Any = None, rate: Any = None, convention: str = "t0",
               extended: bool = True) -> LeastCostResult:
    """Least-cost analysis (最低成本法) and cost-effectiveness ranking with dominance.

    Parameters
    ----------
    options : Series or DataFrame
        One row per option (labels kept). A Series or a one-column DataFrame holds each option's
        cost (a present value, ≥ 0). A DataFrame with several columns holds cost streams
        (years 0…n in columns) that are discounted at ``rate``. If ``effect`` names a column, that
        column is the effect and the rest are costs.
    effect : str, sequence or Series, optional, keyword-only
        Effect (output, 效果) of each option, ≥ 0: a column of ``options`` or values aligned to
        its rows (a Series is matched by label). ``None``: effects are equal (pure 最低成本法).
    rate : float, str, sequence or mapping, optional, keyword-only
        Needed for cost streams.
    convention : {"t0", "excel"}, keyword-only
    extended : bool, keyword-only, default True
        Also test extended (weak) dominance.

    Returns
    -------
    LeastCostResult

    Notes
    -----
    - cost per effect = C_i / E_i (NaN when E_i = 0); ``rank`` 1 is the lowest cost per effect
      (ties share the lower rank), or the lowest cost when effects are equal;
      ``cost_gap`` = C_i − min C.
    - Dominance (严格占优): option i is dominated by j if C_j ≤ C_i and E_j ≥ E_i with at least one
      strict; ``dominated_by`` names the cheapest such j. Without effects, every option dearer than
      the cheapest is dominated.
    - Extended dominance (扩展占优): among non-dominated options sorted by effect, i is extendedly
      dominated when a mix of a cheaper and a more effective option gives at least its effect for
      less, i.e. its ICER exceeds the ICER of the next more effective option; removed repeatedly
      (the lower convex hull of the cost-effect plane). Equal ICERs are not removed.
    - ICER_i = (C_i − C_prev)/(E_i − E_prev) along the frontier.

    References
    ----------
    财政部 rules derived from 财预〔2011〕285号 (最低成本法 definition, perfkit domain.md §8, [S: M]);
    M. F. Drummond et al. (2015), *Methods for the Economic Evaluation of Health Care Programmes*,
    4th ed., ch. 4 (dominance, extended dominance, ICER).
    """
    _cf._check_convention(convention)
    eff = None
    if isinstance(options, pd.Series):
        costs_tbl = options.to_frame()
    elif isinstance(options, pd.DataFrame):
        costs_tbl = options
    else:
        raise InputError("must be a Series (cost per option) or a DataFrame (one row per option)",
                         argument="options", value=type(options).__name__)
    if len(costs_tbl) < 1:
        raise InputError("needs at least one option", argument="options")
    if costs_tbl.index.has_duplicates:
        raise InputError("option labels must be unique", argument="options",
                         value=costs_tbl.index[costs_tbl.index.duplicated()].tolist())
    if isinstance(effect, str):
        if effect not in costs_tbl.columns:
            raise InputError("names no column of options", argument="effect", value=effect)
        eff = costs_tbl[effect]
        costs_tbl = costs_tbl.drop(columns=[effect])
        if costs_tbl.shape[1] == 0:
            raise InputError("options has no cost column besides the effect", argument="options")
    elif effect is not None:
        if isinstance(effect, pd.Series):
            missing = costs_tbl.index.difference(effect.index)
            if len(missing):
                raise InputError("has no value for some options", argument="effect",
                                 value=missing.tolist())
            eff = effect.reindex(costs_tbl.index)
        else:
            try:
                arr = np.asarray(effect, dtype=float).ravel()
            except (TypeError, ValueError):
                raise InputError("must be numbers", argument="effect") from None
            if len(arr) != len(costs_tbl):
                raise InputError(f"needs one value per option ({len(costs_tbl)})",
                                 argument="effect", value=len(arr))
            eff = pd.Series(arr, index=costs_tbl.index)
    if costs_tbl.shape[1] == 1:
        cost = _cf._stream("options", costs_tbl.iloc[:, 0])[0]
        sched = None if rate is None else _cf._describe_schedule(rate)
    else:
        if rate is None:
            raise InputError("rate is required to discount cost streams (several cost columns)",
                             argument="rate")
        cost = np.asarray(npv(costs_tbl, rate, convention=convention), dtype=float)
        sched = _cf._describe_schedule(rate)
    if (cost < 0).any():
        k = int(np.argmax(cost < 0))
        raise InputError(f"costs must be ≥ 0; option {costs_tbl.index[k]!r}", argument="options",
                         value=float(cost[k]))
    labels = costs_tbl.index
    k = len(cost)
    table = pd.DataFrame({"cost": cost}, index=labels)
    if eff is None:
        e = np.zeros(k)
    else:
        try:
            e = eff.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise InputError("must be numbers", argument="effect") from None
        bad = ~np.isfinite(e) | (e < 0)
        if bad.any():
            j = int(np.argmax(bad))
            raise InputError(f"must be finite and ≥ 0; option {labels[j]!r}", argument="effect",
                             value=float(e[j]))
        table["effect"] = e
        with np.errstate(divide="ignore", invalid="ignore"):
            table["cost_per_effect"] = np.where(e > 0, cost / np.where(e > 0, e, 1.0), np.nan)
    key = table["cost_per_effect"] if eff is not None else table["cost"]
    table["rank"] = key.rank(method="min", na_option="bottom").astype(int)
    table["cost_gap"] = cost - cost.min()
    # strict dominance, pairwise: dom[i, j] — j dominates i
    c_i, c_j = cost[:, None], cost[None, :]
    e_i, e_j = e[:, None], e[None, :]
    dom = (c_j <= c_i) & (e_j >= e_i) & ((c_j < c_i) | (e_j > e_i))
    dominated = dom.any(axis=1)
    by = []
    for i in range(k):
        js = np.flatnonzero(dom[i])
        if len(js) == 0:
            by.append(None)
        else:  # the cheapest dominator, then the most effective
            j = js[np.lexsort((-e[js], cost[js]))[0]]
            by.append(labels[j])
    table["dominated"] = dominated
    table["dominated_by"] = pd.Series(by, index=labels, dtype=object)
    if eff is None:
        frontier = tuple(labels[~dominated])
        best = labels[int(np.argmin(cost))]
        return LeastCostResult(table=table, best=best, frontier=frontier, with_effect=False,
                               extended=False, schedule=sched)
    # extended dominance: lower convex hull of the non-dominated points, effect ascending
    cand = np.flatnonzero(~dominated)
    cand = cand[np.lexsort((cost[cand], e[cand]))]
    ext = np.zeros(k, dtype=bool)
    hull: list[int] = []
    dup_of: dict[int, int] = {}
    for i in cand:
        if hull and e[i] == e[hull[-1]] and cost[i] == cost[hull[-1]]:
            dup_of[int(i)] = hull[-1]  # identical option: shares the status of its twin
            continue
        if extended:
            while len(hull) >= 2:
                a, b = hull[-2], hull[-1]
                icer_ab = (cost[b] - cost[a]) / (e[b] - e[a])
                icer_bi = (cost[i] - cost[b]) / (e[i] - e[b])
                if icer_ab > icer_bi:
                    ext[b] = True
                    hull.pop()
                else:
                    break
        hull.append(int(i))
    for d, twin in dup_of.items():
        ext[d] = ext[twin]
    on = np.zeros(k, dtype=bool)
    on[hull] = True
    for d, twin in dup_of.items():
        on[d] = on[twin]
    icer = np.full(k, np.nan)
    for a, b in zip(hull[:-1], hull[1:]):
        icer[b] = (cost[b] - cost[a]) / (e[b] - e[a])
    for d, twin in dup_of.items():
        icer[d] = icer[twin]
    table["extended_dominated"] = ext
    table["on_frontier"] = on
    table["icer"] = icer
    cpe = table["cost_per_effect"]
    best = cpe.idxmin() if cpe.notna().any() else labels[int(np.argmin(cost))]
    frontier = tuple(labels[j] for j in hull)
    return LeastCostResult(table=table, best=best, frontier=frontier, with_effect=True,
                           extended=bool(extended), schedule=sched)
