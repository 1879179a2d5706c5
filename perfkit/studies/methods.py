"""The analyses behind the methods notebooks: workbook → method results → one results dict.

Three report notebooks apply the evaluation methods of domain.md §8 to the demo district (or to a
user's workbook):

========================  =====================================================  ==============
notebook                  analysis (this module)                                 subject param
========================  =====================================================  ==============
``cost_benefit``          :func:`cost_benefit_study` — 成本效益分析法 / 最低成本法     ``subject_id``
``benchmarking``          :func:`benchmarking_study` — 标杆管理法 (DEA, Malmquist)     ``subject_id``
``factor_analysis``       :func:`factor_study` — 因素分析法 (factor analysis,          ``subject_id``
                          连环替代法, LMDI)
========================  =====================================================  ==============

The parameter models (strict: unknown or ill-typed parameters are errors) are the run layer's,
in :mod:`perfkit.run.params_methods`. Each ``*_study`` function takes the validated parameters —
and an explicit workbook: the notebook, not the study, falls back to the demo district — and
turns them into method results: it prepares the data from the workbook, calls
:mod:`perfkit.methods` and gathers every number the report states into one JSON-safe ``results``
dict (``results.json``); it formats nothing (that is :mod:`perfkit.report.methods_view`). A
study imports nothing from :mod:`perfkit.run` or :mod:`perfkit.report` (tests/test_layering.py).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import InputError

__all__ = [
    "CostBenefitCase", "DEMO_CBA_CASE", "DEFAULT_FA_VARIABLES", "Study", "cost_benefit_study",
    "benchmarking_study", "factor_study", "load_case",
]


class _Spec(BaseModel):
    """A strict block inside a parameter (no unknown keys, no silent type conversion)."""

    model_config = ConfigDict(extra="forbid", strict=True)


@dataclass(frozen=True)
class Study:
    """What a methods notebook publishes and shows.

    Attributes
    ----------
    results : dict
        JSON-safe; becomes ``results.json`` (every number the report states, full precision).
    draws : numpy.ndarray or None
        Monte Carlo NPV draws, for the histogram only (never written to results.json).
    """

    results: dict
    draws: Any = None


# ============================================================================================
# 成本效益分析法: the case
# ============================================================================================
class OneOff(_Spec):
    """An amount in one calendar year (e.g. an equipment renewal, a residual value)."""

    year: int
    amount: float


class Stream(_Spec):
    """A yearly stream: ``values`` from the first year on, then ``then`` every later year, plus
    one-off amounts ``at`` given years."""

    values: list[float] = []
    then: float = 0.0
    at: list[OneOff] = []


StreamLike = Union[list[float], Stream]


class OptimismBiasSpec(_Spec):
    """Green Book optimism-bias uplift (乐观偏差调整) of some cost components."""

    project_type: str                      # a key or label of perfkit.methods.cba.OPTIMISM_BIAS
    components: list[str]                  # cost components uplifted (usually the capex)
    bound: Literal["upper", "lower"] = "upper"
    mitigation: float = 0.0                # fraction of the bias removed by risk mitigation


class Distribution(_Spec):
    """Distribution of a component's multiplicative factor (base 1) in the Monte Carlo."""

    dist: Literal["normal", "uniform", "triangular", "pert", "lognormal"]
    mean: Optional[float] = None
    sd: Optional[float] = None
    low: Optional[float] = None
    mode: Optional[float] = None
    high: Optional[float] = None
    lamb: Optional[float] = None


class MonteCarloSpec(_Spec):
    n: int = 20_000
    seed: int = 20240601                   # = perfkit.methods.cba.MC_DEFAULT_SEED
    variables: dict[str, Distribution]


class CostOption(_Spec):
    """One option of a least-cost comparison (最低成本法): its cost stream and its effect."""

    name: str
    costs: StreamLike
    effect: Optional[float] = None


class LeastCostSpec(_Spec):
    effect_label: str = "效果"
    effect_unit: str = ""
    options: list[CostOption]


class CostBenefitCase(_Spec):
    """A cost-benefit case (成本效益分析), amounts in ``unit`` (万元) per calendar year.

    Streams are lists (year ``first_year`` first; a shorter list is followed by zeros) or
    ``{values, then, at}`` blocks (see :class:`Stream`). The central case applies the optimism
    bias (if given) to the named cost components; sensitivity, switching values and the Monte
    Carlo simulation are computed on the central case.
    """

    project_name: str
    department: Optional[str] = None
    description: Optional[str] = None
    unit: str = "万元"
    first_year: int
    last_year: int
    discount: Union[float, Literal["greenbook"]] = "greenbook"
    benefits: dict[str, StreamLike]
    costs: dict[str, StreamLike]
    optimism_bias: Optional[OptimismBiasSpec] = None
    sensitivity: dict[str, list[float]] = {}        # component → [low, high] fractional change
    rate_range: Optional[list[float]] = None          # [low, high] constant discount rates
    monte_carlo: Optional[MonteCarloSpec] = None
    least_cost: Optional[LeastCostSpec] = None


#: the demo case: 农村饮水安全巩固提升工程 of the demo district (fictional figures, 万元);
#: params/cost_benefit.yaml ships the same case inline
DEMO_CBA_CASE: dict = {
    "project_name": "农村饮水安全巩固提升工程",
    "department": "区水利局",
    "description": ("新建水厂1座、改造配水管网186公里，解决5.8万农村人口饮水安全巩固提升问题；"
                    "建设期2年（2025—2026年），运营期18年。"),
    "unit": "万元",
    "first_year": 2025,
    "last_year": 2044,
    "discount": 0.06,
    "costs": {
        "工程建设投资": [2600.0, 1900.0],
        "运行维护费": {"values": [0.0, 60.0], "then": 180.0},
        "设备更新改造": {"at": [{"year": 2036, "amount": 420.0}]},
    },
    "benefits": {
        "节省取水时间与费用": {"values": [0.0, 100.0], "then": 300.0},
        "减少涉水疾病医疗支出": {"values": [0.0, 60.0], "then": 170.0},
        "供水效益（支付意愿）": {"values": [0.0, 90.0], "then": 240.0},
        "产业用水效益": {"values": [0.0, 30.0], "then": 100.0},
        "期末残值": {"at": [{"year": 2044, "amount": 650.0}]},
    },
    "optimism_bias": {"project_type": "standard_civil_engineering",
                      "components": ["工程建设投资"], "bound": "upper", "mitigation": 0.5},
    "sensitivity": {"工程建设投资": [-0.1, 0.2], "运行维护费": [-0.1, 0.3],
                    "节省取水时间与费用": [-0.3, 0.2], "减少涉水疾病医疗支出": [-0.4, 0.3],
                    "供水效益（支付意愿）": [-0.2, 0.1]},
    "rate_range": [0.035, 0.08],
    "monte_carlo": {"n": 20000, "seed": 20250301, "variables": {
        "工程建设投资": {"dist": "triangular", "low": 0.95, "mode": 1.0, "high": 1.2},
        "运行维护费": {"dist": "pert", "low": 0.9, "mode": 1.0, "high": 1.3, "lamb": 4.0},
        "节省取水时间与费用": {"dist": "normal", "mean": 1.0, "sd": 0.12},
        "减少涉水疾病医疗支出": {"dist": "triangular", "low": 0.6, "mode": 1.0, "high": 1.2},
        "供水效益（支付意愿）": {"dist": "uniform", "low": 0.85, "high": 1.1}}},
    "least_cost": {"effect_label": "受益人口", "effect_unit": "人", "options": [
        {"name": "城乡供水一体化（管网延伸）",
         "costs": {"values": [2600.0, 1900.0, 180.0], "then": 180.0,
                   "at": [{"year": 2036, "amount": 420.0}]}, "effect": 58000.0},
        {"name": "联村集中供水站",
         "costs": {"values": [1800.0, 1500.0, 260.0], "then": 260.0,
                   "at": [{"year": 2035, "amount": 520.0}]}, "effect": 52000.0},
        {"name": "分散式单村供水工程",
         "costs": {"values": [1300.0, 1000.0, 330.0], "then": 330.0,
                   "at": [{"year": 2033, "amount": 600.0}]}, "effect": 41000.0}]},
}


def load_case(case: Any) -> CostBenefitCase:
    """Validate a case given as a dict (None: :data:`DEMO_CBA_CASE`)."""
    if isinstance(case, CostBenefitCase):
        return case
    if case is None:
        case = DEMO_CBA_CASE
    try:
        return CostBenefitCase.model_validate(case)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise InputError(f"{err['msg']} ({len(e.errors())} problem(s) in the case)",
                         argument="case", column=f"case.{loc}", value=err.get("input")) from None


def _stream_array(spec: Any, first: int, n: int, where: str):
    import numpy as np

    out = np.zeros(n)
    if isinstance(spec, Stream):
        values, then, at = spec.values, spec.then, spec.at
    else:
        values, then, at = spec, 0.0, []
    if len(values) > n:
        raise InputError(f"has {len(values)} yearly values but the case covers {n} years",
                         argument="case", column=where, value=len(values))
    out[:] = then
    out[:len(values)] = values
    for one in at:
        k = one.year - first
        if not 0 <= k < n:
            raise InputError(f"year outside the case's years {first}–{first + n - 1}",
                             argument="case", column=f"{where}.at", value=one.year)
        out[k] += one.amount
    if not np.all(np.isfinite(out)):
        raise InputError("amounts must be finite", argument="case", column=where)
    return out


def _frame(streams: dict, first: int, n: int, where: str):
    import pandas as pd

    years = pd.Index(list(range(first, first + n)), name="year")
    rows = {str(k): _stream_array(v, first, n, f"{where}.{k}") for k, v in streams.items()}
    return pd.DataFrame.from_dict(rows, orient="index", columns=years)


def cost_benefit_study(case: Any = None, *, subject_id: str = "rural-water-cba") -> Study:
    """Run the cost-benefit case of the ``cost_benefit`` notebook.

    Parameters
    ----------
    case : dict or CostBenefitCase, optional
        The case (see :class:`CostBenefitCase`); None: :data:`DEMO_CBA_CASE`.
    subject_id : str, keyword-only

    Returns
    -------
    Study
        ``results`` with ``appraisal_base`` (before optimism bias), ``optimism_bias``,
        ``appraisal`` (the central case), ``components`` (PV of each component),
        ``switching_values``, ``tornado``, ``monte_carlo`` and ``least_cost`` (None when not
        asked for); ``draws`` the Monte Carlo NPV draws.
    """
    import numpy as np
    import pandas as pd

    from ..methods import cba
    from .._results import jsonable

    c = load_case(case)
    if c.last_year < c.first_year:
        raise InputError("last_year must not be before first_year", argument="case",
                         column="case.last_year", value=c.last_year)
    n = c.last_year - c.first_year + 1
    if not c.benefits or not c.costs:
        raise InputError("a case needs at least one benefit and one cost component",
                         argument="case", column="case.benefits" if not c.benefits else
                         "case.costs")
    rate = c.discount
    ben = _frame(c.benefits, c.first_year, n, "case.benefits")
    cost = _frame(c.costs, c.first_year, n, "case.costs")
    base = cba.appraise(ben, cost, rate=rate)

    ob_d, cost_c = None, cost
    if c.optimism_bias is not None:
        spec = c.optimism_bias
        unknown = [x for x in spec.components if x not in cost.index]
        if unknown or not spec.components or len(set(spec.components)) != len(spec.components):
            raise InputError(f"must name cost components ({', '.join(cost.index)})",
                             argument="case", column="case.optimism_bias.components",
                             value=unknown or spec.components)
        ob = cba.optimism_bias(cost.loc[spec.components].sum(axis=0), spec.project_type,
                               bound=spec.bound, mitigation=spec.mitigation)
        cost_c = cost.copy()
        cost_c.loc[spec.components] = cost.loc[spec.components] * (1.0 + ob.rate)
        ob_d = {**ob.to_dict(), "components_adjusted": list(spec.components),
                "project_type": spec.project_type,
                "base_total": float(ob.base.sum()), "adjusted_total": float(ob.adjusted.sum()),
                "uplift_total": float(ob.adjusted.sum() - ob.base.sum())}
    central = cba.appraise(ben, cost_c, rate=rate)

    pv_b = cba.npv(ben, rate)
    pv_c0, pv_c = cba.npv(cost, rate), cba.npv(cost_c, rate)
    components = (
        [{"component": k, "kind": "benefit", "total": float(ben.loc[k].sum()),
          "pv": float(pv_b.loc[k]), "total_central": float(ben.loc[k].sum()),
          "pv_central": float(pv_b.loc[k])} for k in ben.index]
        + [{"component": k, "kind": "cost", "total": float(cost.loc[k].sum()),
            "pv": float(pv_c0.loc[k]), "total_central": float(cost_c.loc[k].sum()),
            "pv_central": float(pv_c.loc[k])} for k in cost.index])
    streams = pd.concat([ben, cost_c]).T
    streams.index.name = "year"

    sv = cba.switching_values(ben, cost_c, rate=rate)
    torn = None
    if c.sensitivity or c.rate_range:
        for k, v in c.sensitivity.items():
            if len(v) != 2 or not v[0] <= v[1]:
                raise InputError("needs [low, high] with low ≤ high (fractional changes)",
                                 argument="case", column=f"case.sensitivity.{k}", value=v)
        if c.rate_range is not None and (len(c.rate_range) != 2
                                         or not c.rate_range[0] <= c.rate_range[1]):
            raise InputError("needs [low, high] discount rates", argument="case",
                             column="case.rate_range", value=c.rate_range)
        torn = cba.tornado(ben, cost_c, rate=rate,
                           ranges={k: tuple(v) for k, v in c.sensitivity.items()},
                           rate_range=tuple(c.rate_range) if c.rate_range else None)
    mc, draws = None, None
    if c.monte_carlo is not None:
        unc = {k: {kk: vv for kk, vv in d.model_dump().items() if vv is not None}
               for k, d in c.monte_carlo.variables.items()}
        mc = cba.monte_carlo_npv(ben, cost_c, rate=rate, uncertain=unc, n=c.monte_carlo.n,
                                 seed=c.monte_carlo.seed, keep_draws=True)
        draws = mc.draws
    lc = None
    if c.least_cost is not None and c.least_cost.options:
        names = [o.name for o in c.least_cost.options]
        if len(set(names)) != len(names):
            raise InputError("option names must be unique", argument="case",
                             column="case.least_cost.options", value=names)
        opt = pd.DataFrame.from_dict(
            {o.name: _stream_array(o.costs, c.first_year, n,
                                   f"case.least_cost.options[{i}].costs")
             for i, o in enumerate(c.least_cost.options)}, orient="index",
            columns=pd.Index(list(range(c.first_year, c.last_year + 1)), name="year"))
        effects = [o.effect for o in c.least_cost.options]
        if any(e is None for e in effects) and not all(e is None for e in effects):
            raise InputError("give an effect for every option or for none",
                             argument="case", column="case.least_cost.options")
        eff = None if effects[0] is None else pd.Series(effects, index=opt.index, dtype=float)
        res = cba.least_cost(opt, effect=eff, rate=rate) if n > 1 else \
            cba.least_cost(opt.iloc[:, 0], effect=eff)
        lc = {**res.to_dict(), "effect_label": c.least_cost.effect_label,
              "effect_unit": c.least_cost.effect_unit}

    cum = central.table["cumulative_pv_net"]
    results = {
        "subject_id": subject_id, "subject_type": "project", "method": "cost_benefit",
        "name": c.project_name, "department": c.department, "description": c.description,
        "unit": c.unit, "first_year": c.first_year, "last_year": c.last_year, "n_years": n,
        "discount": rate, "discount_label": "greenbook" if rate == "greenbook" else float(rate),
        "components": components,
        "streams": streams,
        "appraisal_base": base.to_dict(),
        "optimism_bias": ob_d,
        "appraisal": central.to_dict(),
        "npv_change_from_optimism_bias": central.npv - base.npv,
        "switching_values": sv.to_dict(),
        "tornado": torn.to_dict() if torn is not None else None,
        "monte_carlo": mc.to_dict() if mc is not None else None,
        "least_cost": lc,
        "positive_npv": bool(central.npv > 0),
        "min_cumulative_pv_net": float(cum.min()),
        "seeds": {"monte_carlo": c.monte_carlo.seed if c.monte_carlo else None},
        "case": c.model_dump(),
    }
    return Study(results=jsonable(results), draws=None if draws is None else np.asarray(draws))


# ============================================================================================
# 标杆管理法: DEA and Malmquist of the townships and the departments
# ============================================================================================
#: derived department figures that can serve as DEA inputs or outputs (from the projects and
#: their self-evaluation scores of the year)
DEPARTMENT_DERIVED = {
    "n_projects": ("项目个数", "number of projects", "个"),
    "n_good": ("评价等级为优、良的项目个数", "projects graded 优 or 良", "个"),
    "n_excellent": ("评价等级为优的项目个数", "projects graded 优", "个"),
    "mean_score": ("项目自评平均分", "mean self-evaluation score", "分"),
    "project_budget": ("项目全年预算数", "project full-year budget", "万元"),
    "project_executed": ("项目全年执行数", "project full-year execution", "万元"),
}


def _read(workbook: Any):
    """The study's workbook: a :class:`~perfkit.model.workbook.Workbook` as given, a path read.

    A study takes its workbook explicitly: choosing a default (the demo district) is for the
    layers above — the notebook passes ``workbook or demo_workbook_path()`` and
    :func:`perfkit.run.execute.resolve_inputs` resolves ``workbook=None`` for a run.
    """
    from ..io import read_workbook
    from ..model.workbook import Workbook

    if isinstance(workbook, Workbook):
        return workbook
    if workbook is None or isinstance(workbook, bool) or \
            not isinstance(workbook, (str, os.PathLike)) or not str(workbook).strip():
        raise InputError("a study needs a workbook: a path (.xlsx or a folder of CSV) or a "
                         "Workbook (the notebooks pass the demo district when none is given)",
                         argument="workbook", value=workbook)
    return read_workbook(workbook)


def _numeric_columns(table) -> list[str]:
    return [c.name for c in table.columns if c.dtype in ("int", "float")
            and c.name != "year"]


def _label(table, col: str) -> dict:
    """zh/en/unit of a table column or of a derived department figure."""
    if col in DEPARTMENT_DERIVED:
        zh, en, unit = DEPARTMENT_DERIVED[col]
        return {"zh": zh, "en": en, "unit": unit}
    c = table.column(col)
    return {"zh": c.zh, "en": col.replace("_", " "), "unit": c.unit}


def _check_columns(arg: str, cols: list[str], allowed: list[str]) -> None:
    bad = [c for c in cols if c not in allowed]
    if not cols or bad:
        raise InputError(f"must list one or more of: {', '.join(allowed)}", argument=arg,
                         value=bad or cols)


def _dea_block(data, ids_names: dict, ins: list[str], outs: list[str], *, rts: str,
               orientation: str, labels: dict) -> dict:
    """DEA of the units with complete positive data; super-efficiency for ranking."""
    import numpy as np
    import pandas as pd

    from ..methods.benchmark import dea

    d = data[ins + outs].astype(float)
    bad = d.isna().any(axis=1) | ~(d[ins] > 0).any(axis=1) | ~(d[outs] > 0).any(axis=1)
    excluded = [str(u) for u in d.index[bad]]
    use = d[~bad]
    if len(use) < 2:
        raise InputError("DEA needs at least two units with complete, positive data",
                         argument="inputs", value=len(use))
    res = dea(use[ins], use[outs], rts=rts, orientation=orientation)
    sup = dea(use[ins], use[outs], rts=rts, orientation=orientation, super_efficiency=True)
    e = res.efficiency
    scale = use.max(axis=0)
    slack_ok = (res.slacks.abs() <= 1e-9 * scale[res.slacks.columns].to_numpy()).all(axis=1)
    frontier = (e - 1.0).abs() <= 1e-9
    rows = []
    for u in use.index:
        row = {"unit": str(u), "name": ids_names.get(u, str(u))}
        for col in ins + outs:
            row[col] = float(use.at[u, col])
        row["efficiency"] = float(e[u])
        se = sup.efficiency[u]
        row["super_efficiency"] = float(se) if np.isfinite(se) else None
        row["efficient"] = bool(frontier[u] and slack_ok[u])
        row["weakly_efficient"] = bool(frontier[u] and not slack_ok[u])
        row["peers"] = [str(p) for p in res.peers[u]]
        row["peer_names"] = [ids_names.get(p, str(p)) for p in res.peers[u]]
        lam = res.lambdas.loc[u] if u in res.lambdas.index else pd.Series(dtype=float)
        row["peer_weights"] = [float(lam.get(p, 0.0)) for p in res.peers[u]]
        for col in ins + outs:
            t = float(res.targets.at[u, col])
            row[f"target_{col}"] = t
            row[f"change_{col}"] = (t / row[col] - 1.0) if row[col] > 0 else None
        rows.append(row)
    # rank by super-efficiency (better first); an undefined super-efficiency (infeasible
    # programme: an extreme efficient unit) ranks first, ties by unit label
    def rank_key(r):
        se = r["super_efficiency"]
        if se is None:
            return (0, 0.0, r["unit"])
        return (1, -se if orientation == "input" else se, r["unit"])

    order = sorted(range(len(rows)), key=lambda i: rank_key(rows[i]))
    for k, i in enumerate(order, start=1):
        rows[i]["rank"] = k
    eff = [r["efficiency"] for r in rows]
    return {"rts": rts, "orientation": orientation, "inputs": ins, "outputs": outs,
            "labels": {c: labels[c] for c in ins + outs},
            "units": rows, "excluded": excluded, "n_units": len(rows),
            "n_efficient": sum(r["efficient"] for r in rows),
            "mean_efficiency": float(np.mean(eff)), "min_efficiency": float(np.min(eff)),
            "n_fallback": int(res.n_fallback)}


def _gap_rows(level: str, names: dict, indicators: list[tuple], benchmark):
    """gap_to_benchmark of each indicator: (code, zh, en, direction, Series)."""
    from ..methods.benchmark import gap_to_benchmark

    rows, summary = [], []
    for code, zh, en, direction, s in indicators:
        s = s.dropna()
        if len(s) == 0:
            continue
        g = gap_to_benchmark(s, benchmark=benchmark, direction=direction)
        fr = g.to_frame()
        for u, r in fr.iterrows():
            rows.append({"level": level, "unit": str(u), "name": names.get(u, str(u)),
                         "indicator": code, "value": float(r["value"]),
                         "benchmark": float(r["benchmark"]), "gap": float(r["gap"]),
                         "meets_benchmark": bool(r["meets_benchmark"])})
        summary.append({"level": level, "indicator": code, "indicator_zh": zh,
                        "indicator_en": en, "direction": direction,
                        "benchmark_value": g.benchmark_value,
                        "n_meeting": int(fr["meets_benchmark"].sum()), "n_units": len(fr),
                        "mean_gap": float(fr["gap"].mean())})
    return rows, summary


def benchmarking_study(workbook: Any, *, subject_id: str = "district-benchmarking",
                       year: int | None = None, profile: str = "national",
                       township_inputs=("expenditure",),
                       township_outputs=("population", "livelihood_expenditure"),
                       township_rts: str = "crs", department_inputs=("expenditure",),
                       department_outputs=("n_good", "mean_score"), department_rts: str = "vrs",
                       orientation: str = "input", benchmark: Any = "p90") -> Study:
    """标杆管理法 on a district: DEA of the townships and of the departments, Malmquist of the
    townships over the workbook's years, and gaps to a benchmark.

    Parameters
    ----------
    workbook : path or Workbook
        The district's workbook (.xlsx or a folder of CSV), or one already read.
    year : int, optional
        The year analysed (default: the latest); Malmquist uses every year of the townships.
    profile : str
        Rule profile of the self-evaluation scores behind the department outputs.
    township_inputs, township_outputs : sequence of str
        Numeric columns of the townships table (乡镇街道).
    department_inputs, department_outputs : sequence of str
        Numeric columns of the departments table (部门) or derived figures
        (:data:`DEPARTMENT_DERIVED`: ``n_projects``, ``n_good``, ``n_excellent``,
        ``mean_score``, ``project_budget``, ``project_executed``).
    township_rts, department_rts : {"crs", "vrs"}
    orientation : {"input", "output"}
    benchmark : "best", "p90", "pNN" or number
        Benchmark of :func:`perfkit.methods.benchmark.gap_to_benchmark`.

    Returns
    -------
    Study
    """
    import numpy as np
    import pandas as pd

    from .._results import jsonable
    from .._validate import check_option
    from ..methods.benchmark import malmquist
    from ..model.schema import DEPARTMENTS, TOWNSHIPS
    from ..scoring import score_self_evaluation

    check_option("orientation", orientation, ("input", "output"))
    check_option("township_rts", township_rts, ("crs", "vrs"))
    check_option("department_rts", department_rts, ("crs", "vrs"))
    wb = _read(workbook)
    year = int(year) if year is not None else wb.latest_year()
    ti, to = list(township_inputs), list(township_outputs)
    t_allowed = _numeric_columns(TOWNSHIPS)
    _check_columns("township_inputs", ti, t_allowed)
    _check_columns("township_outputs", to, t_allowed)
    if set(ti) & set(to):
        raise InputError("a column cannot be both an input and an output",
                         argument="township_outputs", value=sorted(set(ti) & set(to)))
    di, do = list(department_inputs), list(department_outputs)
    d_allowed = _numeric_columns(DEPARTMENTS) + list(DEPARTMENT_DERIVED)
    _check_columns("department_inputs", di, d_allowed)
    _check_columns("department_outputs", do, d_allowed)
    if set(di) & set(do):
        raise InputError("a column cannot be both an input and an output",
                         argument="department_outputs", value=sorted(set(di) & set(do)))

    # --- townships --------------------------------------------------------------------------
    tw_all = wb["townships"]
    tw = tw_all[tw_all["year"] == year].set_index("township_id")
    if len(tw) < 2:
        raise InputError(f"the townships table (乡镇街道) needs at least two townships in {year}",
                         file=wb.source or None, argument="year", value=year)
    t_names = dict(zip(tw_all["township_id"], tw_all["name"]))
    t_dea = _dea_block(tw, t_names, ti, to, rts=township_rts, orientation=orientation,
                       labels={c: _label(TOWNSHIPS, c) for c in ti + to})

    panel = tw_all[["township_id", "year"] + ti + to].dropna()
    panel = panel[(panel[ti] > 0).any(axis=1) & (panel[to] > 0).any(axis=1)]
    malm = None
    if panel["year"].nunique() >= 2:
        m = malmquist(panel, unit="township_id", period="year", inputs=ti, outputs=to,
                      orientation=orientation, rts="crs")
        tab = m.to_frame()
        tab["name"] = tab["unit"].map(lambda u: t_names.get(u, u))
        cols = ["malmquist", "effch", "techch", "pure_effch", "scale_effch"]
        gm = (tab.groupby(["period_from", "period_to"], sort=True)[cols]
              .apply(lambda g: pd.Series(np.exp(np.log(g).mean()), index=cols)).reset_index())
        improved = tab.groupby(["period_from", "period_to"], sort=True)["malmquist"] \
            .apply(lambda s: int((s > 1).sum())).reset_index(name="n_improved")
        gm = gm.merge(improved, on=["period_from", "period_to"])
        malm = {"orientation": orientation, "rts": "crs", "inputs": ti, "outputs": to,
                "years": sorted(int(y) for y in panel["year"].unique()),
                "table": tab, "summary": gm}

    # --- departments ------------------------------------------------------------------------
    se = score_self_evaluation(wb, profile, year=year)
    pr = se.projects
    agg = pr.groupby("department_id").agg(
        n_projects=("project_id", "size"),
        n_good=("grade", lambda g: int(g.isin(["优", "良"]).sum())),
        n_excellent=("grade", lambda g: int((g == "优").sum())),
        mean_score=("total", "mean"), project_budget=("adjusted", "sum"),
        project_executed=("executed", "sum"))
    dep_all = wb["departments"]
    dep = dep_all[dep_all["year"] == year].set_index("department_id")
    d_names = dict(zip(dep_all["department_id"], dep_all["name"]))
    d_names.update({k: v for k, v in zip(pr["department_id"], pr["department"])
                    if k not in d_names})
    ddata = agg.join(dep.drop(columns=["year", "name", "_row", "_sheet"], errors="ignore"),
                     how="left")
    d_dea = _dea_block(ddata, d_names, di, do, rts=department_rts, orientation=orientation,
                       labels={c: _label(DEPARTMENTS, c) for c in di + do})
    no_projects = sorted(str(u) for u in dep.index if u not in agg.index)
    d_dea["no_projects"] = no_projects

    # --- gaps to the benchmark ---------------------------------------------------------------
    t_eff = pd.Series({r["unit"]: r["efficiency"] for r in t_dea["units"]})
    d_eff = pd.Series({r["unit"]: r["efficiency"] for r in d_dea["units"]})
    if orientation == "output":  # φ ≥ 1: report 1/φ so that higher is better everywhere
        t_eff, d_eff = 1.0 / t_eff, 1.0 / d_eff
    with np.errstate(divide="ignore", invalid="ignore"):
        t_ind = [("livelihood_share", "民生支出占比", "livelihood share of expenditure", "higher",
                  (tw["livelihood_expenditure"] / tw["expenditure"]).replace(np.inf, np.nan)),
                 ("spending_progress", "支出进度", "spending progress", "higher",
                  (tw["expenditure"] / tw["expenditure_budget"]).replace(np.inf, np.nan)),
                 ("efficiency", "DEA效率值", "DEA efficiency", "higher", t_eff)]
        d_ind = [("mean_score", "项目自评平均分", "mean self-evaluation score", "higher",
                  agg["mean_score"]),
                 ("execution_rate", "项目预算执行率", "project budget execution", "higher",
                  (agg["project_executed"] / agg["project_budget"]).replace(np.inf, np.nan)),
                 ("efficiency", "DEA效率值", "DEA efficiency", "higher", d_eff)]
    g1, s1 = _gap_rows("township", t_names, t_ind, benchmark)
    g2, s2 = _gap_rows("department", d_names, d_ind, benchmark)

    results = {
        "subject_id": subject_id, "subject_type": "district", "method": "benchmarking",
        "name": f"标杆管理分析（{year}年度）", "year": year,
        "years": sorted(int(y) for y in tw_all["year"].unique()),
        "profile": dict(se.profile), "benchmark": benchmark,
        "townships": t_dea, "departments": d_dea, "malmquist": malm,
        "gaps": g1 + g2, "gap_summary": s1 + s2,
        "n_projects_scored": int(len(pr)),
    }
    return Study(results=jsonable(results))


# ============================================================================================
# 因素分析法: factor analysis of the townships' fiscal indicators; expenditure decomposition
# ============================================================================================
#: default variables: per-capita fiscal figures of the townships (元/人)
DEFAULT_FA_VARIABLES = [
    "general_revenue/population", "tax_revenue/population", "expenditure/population",
    "livelihood_expenditure/population", "available_revenue/population",
    "transfer_received/population", "debt_balance/population", "debt_service/population",
    "treasury_balance/population", "carryover_balance/population",
]


def _variable(expr: str, table) -> dict:
    """A variable ``col`` or ``num/den`` of a table: its columns, labels and scale."""
    parts = [p.strip() for p in str(expr).split("/")]
    names = table.names
    if not 1 <= len(parts) <= 2 or any(p not in names for p in parts):
        raise InputError(f"must be a column of the {table.name} table or 'a/b' of two columns "
                         f"({', '.join(_numeric_columns(table))})", argument="variables",
                         value=expr)
    cols = [table.column(p) for p in parts]
    if any(c.dtype not in ("int", "float") for c in cols):
        raise InputError("must use numeric columns", argument="variables", value=expr)
    if len(parts) == 1:
        return {"code": expr, "num": parts[0], "den": None, "zh": cols[0].zh,
                "en": parts[0].replace("_", " "), "unit": cols[0].unit, "scale": 1.0}
    num, den = cols
    if den.name == "population":
        per = num.unit == "万元"
        return {"code": expr, "num": num.name, "den": den.name, "zh": "人均" + num.zh,
                "en": f"{num.name.replace('_', ' ')} per capita",
                "unit": "元/人" if per else f"{num.unit}/人", "scale": 10_000.0 if per else 1.0}
    return {"code": expr, "num": num.name, "den": den.name, "zh": f"{num.zh}/{den.zh}",
            "en": f"{num.name.replace('_', ' ')} / {den.name.replace('_', ' ')}", "unit": "",
            "scale": 1.0}


def _decomposition(wb, *, year: int, base_year: int, department_id: str | None, by: str):
    """Executed project spending = n_projects × average budget × execution rate, by group."""
    import numpy as np
    import pandas as pd

    from ..methods.decomposition import chain_substitution, lmdi

    proj = wb["projects"]
    bud = wb["budget"]
    tot = bud.groupby(["project_id", "year"])[["adjusted", "executed"]].sum().reset_index()
    m = proj.merge(tot, on=["project_id", "year"], how="left")
    m = m[m["year"].isin([base_year, year])]
    if department_id is not None:
        m = m[m["department_id"] == department_id]
        if m.empty:
            raise InputError(f"no projects of department {department_id!r} in {base_year} or "
                             f"{year}", argument="department_id", value=department_id)
    key = "sector" if by == "sector" else "department"
    for y in (base_year, year):
        if not (m["year"] == y).any():
            raise InputError(f"no projects in {y}", argument="year" if y == year else
                             "base_year", value=y)
    m = m.assign(adjusted=m["adjusted"].fillna(0.0), executed=m["executed"].fillna(0.0))
    g = m.groupby([key, "year"]).agg(n=("project_id", "size"), adjusted=("adjusted", "sum"),
                                     executed=("executed", "sum")).reset_index()
    bad = g[(g["adjusted"] <= 0) & (g["executed"] > 0)]
    if len(bad):
        r = bad.iloc[0]
        raise InputError(f"{r[key]} has execution but no full-year budget in {int(r['year'])}: "
                         "the execution rate is undefined", argument="by", value=r[key])

    def factors(y):
        s = g[g["year"] == y].set_index(key)
        f = pd.DataFrame({"n_projects": s["n"].astype(float),
                          "avg_budget": np.where(s["n"] > 0, s["adjusted"] / s["n"], 0.0),
                          "execution_rate": np.where(s["adjusted"] > 0,
                                                     s["executed"] / s["adjusted"], 0.0)},
                         index=s.index)
        return f, s

    f0, s0 = factors(base_year)
    f1, s1 = factors(year)
    groups = sorted(set(f0.index) | set(f1.index))
    f0 = f0.reindex(groups, fill_value=0.0)
    f1 = f1.reindex(groups, fill_value=0.0)
    f0.index.name = f1.index.name = key
    add = lmdi(f0, f1, kind="additive")
    mult = lmdi(f0, f1, kind="multiplicative") if add.base_value > 0 and \
        add.current_value > 0 else None
    tot0, tot1 = s0.sum(numeric_only=True), s1.sum(numeric_only=True)
    plan = pd.Series({"n_projects": float(tot0["n"]), "avg_budget": tot0["adjusted"] / tot0["n"],
                      "execution_rate": tot0["executed"] / tot0["adjusted"]})
    actual = pd.Series({"n_projects": float(tot1["n"]),
                        "avg_budget": tot1["adjusted"] / tot1["n"],
                        "execution_rate": tot1["executed"] / tot1["adjusted"]})
    chain = chain_substitution(plan, actual, order=["n_projects", "avg_budget",
                                                    "execution_rate"])
    detail = add.detail.copy()
    detail["total"] = detail.sum(axis=1)
    detail["base_value"] = (f0.prod(axis=1))
    detail["current_value"] = (f1.prod(axis=1))
    groups_tab = pd.concat([f0.add_suffix("_base"), f1.add_suffix("_current")], axis=1)
    groups_tab["executed_base"] = f0.prod(axis=1)
    groups_tab["executed_current"] = f1.prod(axis=1)
    return {"year": year, "base_year": base_year, "department_id": department_id, "by": by,
            "factors": ["n_projects", "avg_budget", "execution_rate"],
            "base_value": add.base_value, "current_value": add.current_value,
            "change": add.current_value - add.base_value,
            "lmdi_additive": add.to_dict(), "lmdi_multiplicative":
                mult.to_dict() if mult is not None else None,
            "lmdi_detail": detail, "groups": groups_tab,
            "chain_substitution": chain.to_dict(), "chain_table": chain.to_frame()}


def factor_study(workbook: Any, *, subject_id: str = "district-factors",
                 variables=tuple(DEFAULT_FA_VARIABLES), fa_years=None, n_factors=None,
                 method: str = "minres", rotation: str = "varimax", year: int | None = None,
                 base_year: int | None = None, department_id: str | None = None,
                 by: str = "sector") -> Study:
    """因素分析法 on a district: factor analysis of the townships' fiscal indicators
    (indicator-system reduction) and the decomposition of the change in project spending.

    Parameters
    ----------
    workbook : path or Workbook
        The district's workbook (.xlsx or a folder of CSV), or one already read.
    variables : sequence of str
        Township columns, or ``"a/b"`` ratios (``x/population`` is per capita, in 元/人 for
        amounts in 万元).
    fa_years : sequence of int, optional
        Years whose township rows are pooled (default: every year).
    n_factors : int, optional
        Factors retained; default Kaiser's rule (eigenvalues of the correlation matrix > 1).
    method, rotation : str
        As :func:`perfkit.methods.factor.factor_analysis` (``rotation="none"`` for none).
    year, base_year : int, optional
        Years of the decomposition (default: the latest year and the year before).
    department_id : str, optional
        Restrict the decomposition to one department.
    by : {"sector", "department"}
        Sub-sectors of the LMDI decomposition.

    Returns
    -------
    Study
        ``results["factor"]``: KMO, Bartlett, eigenvalues, the factor solution, the variable
        table (main factor, loading, communality, suggestion) and the factor scores of the
        latest year's townships; ``results["decomposition"]``: LMDI (additive, multiplicative,
        detail by group) and chain substitution of executed project spending
        = 项目个数 × 平均预算规模 × 预算执行率.
    """
    import warnings

    import numpy as np
    import pandas as pd

    from .._results import jsonable
    from .._validate import check_option
    from ..methods.factor import bartlett_sphericity, factor_analysis, kmo
    from ..model.schema import TOWNSHIPS

    check_option("method", method, ("minres", "ml", "pa", "pc"))
    check_option("rotation", rotation, ("varimax", "promax", "oblimin", "none"))
    check_option("by", by, ("sector", "department"))
    wb = _read(workbook)
    specs = [_variable(v, TOWNSHIPS) for v in variables]
    if len(specs) < 3 or len({s["code"] for s in specs}) != len(specs):
        raise InputError("needs at least three different variables", argument="variables",
                         value=list(variables))
    tw = wb["townships"]
    if fa_years is not None:
        tw = tw[tw["year"].isin([int(y) for y in fa_years])]
    with np.errstate(divide="ignore", invalid="ignore"):
        X = pd.DataFrame({s["code"]: (tw[s["num"]] / tw[s["den"]] if s["den"] else
                                      tw[s["num"]]).astype(float) * s["scale"] for s in specs})
    X = X.replace([np.inf, -np.inf], np.nan)
    X.index = pd.Index([f"{t}@{y}" for t, y in zip(tw["township_id"], tw["year"])],
                       name="observation")
    dropped = [str(i) for i in X.index[X.isna().any(axis=1)]]
    X = X.dropna()
    if len(X) < len(specs) + 2:
        raise InputError(f"factor analysis needs more complete observations ({len(X)}) than "
                         f"variables ({len(specs)}) + 1", argument="variables",
                         value=len(X))
    const = [c for c in X.columns if X[c].std() == 0]
    if const:
        raise InputError("a variable is constant over the townships", argument="variables",
                         value=const)
    k = kmo(X)
    bart = bartlett_sphericity(X)
    R = X.corr().to_numpy()
    eig = np.sort(np.linalg.eigvalsh(R))[::-1]
    kaiser = int((eig > 1.0).sum())
    nf = int(n_factors) if n_factors is not None else max(1, kaiser)
    if nf < 1:
        raise InputError("must be ≥ 1", argument="n_factors", value=n_factors)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fa = factor_analysis(X, n_factors=nf, method=method,
                             rotation=None if rotation == "none" else rotation)
    fa_warnings = sorted({str(w.message) for w in caught})
    L = fa.loadings.copy()
    L.index.name = "variable"
    main = L.abs().idxmax(axis=1)
    var_rows = []
    for s in specs:
        c = s["code"]
        f = main[c]
        others = L.loc[c].drop(f).abs()
        var_rows.append({
            "variable": c, "name_zh": s["zh"], "name_en": s["en"], "unit": s["unit"],
            "mean": float(X[c].mean()), "sd": float(X[c].std()), "msa": float(
                k.per_variable[c]), "factor": f, "loading": float(L.at[c, f]),
            "h2": float(fa.communalities[c]), "complexity": float(fa.complexity[c]),
            "cross_loading": bool((others >= 0.4).any()),
            "low_communality": bool(fa.communalities[c] < 0.5)})
    # the representative indicator of each factor: its largest |loading|
    for f in L.columns:
        rep = L[f].abs().idxmax()
        for r in var_rows:
            if r["variable"] == rep:
                r.setdefault("represents", []).append(f)
    for r in var_rows:
        r["represents"] = r.get("represents", [])
        r["suggestion"] = ("representative" if r["represents"] else
                           "drop_candidate" if r["low_communality"] else
                           "review_cross_loading" if r["cross_loading"] else "keep")
    factors = []
    for f in L.columns:
        top = L[f].abs().sort_values(ascending=False)
        salient = [v for v in top.index if abs(L.at[v, f]) >= 0.5]
        factors.append({"factor": f, "ss_loadings": float(fa.variance.at[f, "ss_loadings"]),
                        "proportion": float(fa.variance.at[f, "proportion"]),
                        "cumulative": float(fa.variance.at[f, "cumulative"]),
                        "salient": salient or [top.index[0]]})
    latest = int(tw["year"].max())
    sc = fa.scores
    obs_year = pd.Series([int(i.rsplit("@", 1)[1]) for i in sc.index], index=sc.index)
    sc_latest = sc[obs_year == latest].copy()
    sc_latest.index = [i.rsplit("@", 1)[0] for i in sc_latest.index]
    names = dict(zip(tw["township_id"], tw["name"]))
    score_rows = [{"unit": u, "name": names.get(u, u),
                   **{f: float(sc_latest.at[u, f]) for f in L.columns}}
                  for u in sc_latest.index]
    factor = {
        "variables": var_rows, "n_obs": int(len(X)), "n_vars": len(specs),
        "dropped_observations": dropped,
        "years": sorted(int(y) for y in tw["year"].unique()),
        "kmo": k.overall, "kmo_label": k.label, "bartlett": bart.to_dict(),
        "eigenvalues": [float(v) for v in eig], "kaiser_n": kaiser, "n_factors": nf,
        "n_factors_rule": "kaiser" if n_factors is None else "given",
        "method": fa.method, "rotation": fa.rotation, "solution": fa.to_dict() | {
            "scores": None, "weights": None, "correlation": None},
        "loadings": L, "factors": factors, "scores_year": latest, "scores": score_rows,
        "warnings": fa_warnings, "rms": fa.rms, "tli": fa.tli, "rmsea": fa.rmsea,
    }
    # --- decomposition ----------------------------------------------------------------------
    years = wb.years
    cur = int(year) if year is not None else years[-1]
    base = int(base_year) if base_year is not None else cur - 1
    if base >= cur:
        raise InputError("base_year must be before year", argument="base_year", value=base)
    dec = _decomposition(wb, year=cur, base_year=base, department_id=department_id, by=by)
    dep_name = None
    if department_id is not None:
        d = wb["departments"]
        hit = d[d["department_id"] == department_id]["name"]
        dep_name = str(hit.iloc[0]) if len(hit) else department_id
    dec["department_name"] = dep_name
    results = {
        "subject_id": subject_id, "subject_type": "district", "method": "factor_analysis",
        "name": f"因素分析（{cur}年度）", "year": cur, "factor": factor, "decomposition": dec,
    }
    return Study(results=jsonable(results))


