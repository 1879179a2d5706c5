"""Department-overall expenditure performance evaluation (部门整体支出绩效评价).

黔江实施意见 §五 asks for the performance of departments and units *as a whole* (运行成本、管理效率、
履职效能 …), §十 for the finance bureau to evaluate it (逐步开展部门整体绩效评价), and §十六 links the
result to the department's budget (部门整体绩效与部门预算安排挂钩). The indicator set below is the
财预〔2013〕53号-derived department table of domain.md §3.3 [S: L], every weight, threshold and
deduction a default of the rule profile's ``department_eval`` section:

=====================  ======================================================  =====================
indicator (group)      formula                                                 default scoring
=====================  ======================================================  =====================
在职人员控制率 (投入)   在职人数 / 编制数                                          ≤100% full; each pp
                                                                               above deducts 10% of
                                                                               the weight
"三公经费"变动率 (投入) (本年预算 − 上年预算) / 上年预算                             ≤0 full; each pp above
                                                                               deducts 10%
重点支出安排率 (投入)   重点项目支出 / 项目总支出                                    proportional
预算完成率 (过程)       (上年结转 + 年初预算 + 本年追加 − 年末结余)                    100% full; each 5 pp
                       / (上年结转 + 年初预算 + 本年追加)                            below deducts 40%
预算控制率 (过程)       本年追加 / 年初预算                                          tiers 0 / (0,10] /
                                                                               (10,20] / (20,30] /
                                                                               >30 % → 1 / 0.8 / 0.6
                                                                               / 0.4 / 0
结转结余率 (过程)       结转结余总额 / 支出完成数                                      proportional:
                                                                               w × (1 − rate)
项目自评优良率 (产出)   projects graded 优 or 良 / projects                          proportional
项目支出绩效 (效果)     self-evaluation totals weighted by 全年预算数 / 100          proportional
=====================  ======================================================  =====================

Notes on the defaults
---------------------
* **Deductions in steps.** "Each pp above deducts 10% of the weight": the excess in percentage
  points is divided by the step (1 pp; 5 pp for 预算完成率) and each step deducts
  ``deduct_per_step`` of the weight, down to 0. With ``step_rounding: pro_rata`` (default) a part
  step deducts pro rata (104.5% → 0.45 of the weight); ``whole`` counts completed steps only and
  ``started`` every started step. The two local tables give 预算完成率 "每低 5 个百分点扣 2 分" on a
  5-point and on an 8-point item (0.40 and 0.25 of the weight); the default takes the 5-point
  table's 0.40.
* **预算控制率 tiers.** The 5-point table scores the tiers 5/4/3/2/0, i.e. 1 / 0.8 / 0.6 / 0.4 / 0
  of the weight (the default). The 8-point table scores 8/6/4/2/0 = 1 / 0.75 / 0.5 / 0.25 / 0: the
  same tier boundaries but *not* the same fractions; set ``tiers`` to ``[[0, 1], [0.1, 0.75],
  [0.2, 0.5], [0.3, 0.25]]`` to follow it. Tiers are right-closed: exactly 10% is in (0, 10%].
* **Proportional.** 结转结余率 (lower is better) scores ``w × clip((zero_at − r)/(zero_at − full_at),
  0, 1)``, with defaults full_at 0 and zero_at 100% this is ``w × (1 − r)``; 重点支出安排率 and
  项目自评优良率 (higher is better) score ``w × min(r / full_at, 1)``; 项目支出绩效 scores
  ``w × s/100`` where *s* is the budget-weighted mean self-evaluation total.
* **The project portfolio.** The workbook holds no data on a department's duties (职责履行,
  履职效益), so 产出 and 效果 are measured by the department's projects as self-evaluated
  (:func:`perfkit.scoring.score_self_evaluation`, computed unless ``project_scores`` is given).
  The default weights 投入 15 / 过程 25 / 产出 30 / 效果 30 keep 产出 + 效果 ≥ 60% (domain.md §4.3);
  the local tables' 投入 10–20 / 过程 58–60 are deliberately not the national default (§3.3).
* **Not applicable.** A missing figure makes its indicator not applicable (N/A); so does a zero
  denominator (flagged ``division_by_zero``) and, for the portfolio indicators, a department without
  scored projects. N/A indicators are dropped and the total is rescaled:
  ``total = Σ scores / Σ applicable weights × 100`` (domain.md §4.2, "drop and rescale"). A
  department with no applicable indicator has no total and no grade.
* **上年三公经费.** When 上年三公经费预算数 is blank, the department's previous-year row of the same
  table supplies its 三公经费预算数 (the explanation says so).
* Grades use ``grades.bands`` on the unrounded total (§4.4); the budget action follows
  ``application.grade_action`` (§7, 黔江 §十六).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from .._format import (cat as _cat, fixed as _fix, flag, num as _num, param as _g,
                       param_pct as _gp, pct_fixed as _pct)
from .._results import Result, jsonable
from ..errors import Collector, InputError, RuleError
from ..model.frames import located, numeric_figures
from ..model.schema import DEPARTMENTS
from ..model.workbook import SHEET, Workbook, excel_row
from ..rules import Profile, load_profile
from ..scoring.grades import grade as _grade

__all__ = ["evaluate_department", "DepartmentEvaluation", "DepartmentResult", "INDICATORS",
           "DEPARTMENT_COLUMNS", "INDICATOR_COLUMNS", "PORTFOLIO_COLUMNS", "GROUPS_EN"]

#: English names of the default groups
GROUPS_EN = {"投入": "Input", "过程": "Process", "产出": "Output", "效果": "Outcome"}

#: the indicator set (formulas live here; every number lives in the profile)
INDICATORS: dict[str, dict[str, Any]] = {
    "staff_control": {
        "zh": "在职人员控制率", "en": "Staff control rate", "unit": "%",
        "formula": "在职人数 / 编制数 × 100%",
        "formula_en": "staff in post / authorised staff × 100%",
        "columns": ("staff_actual", "staff_authorized"), "denominator": "staff_authorized",
        "rule": "deduct_above"},
    "three_public_change": {
        "zh": "“三公经费”变动率", "en": "Change in 'three public' expenses", "unit": "%",
        "formula": "(本年三公经费预算数 − 上年三公经费预算数) / 上年三公经费预算数 × 100%",
        "formula_en": "(this year's − last year's budget) / last year's budget × 100%",
        "columns": ("three_public_budget", "three_public_prior"),
        "denominator": "three_public_prior", "rule": "deduct_above"},
    "key_expenditure": {
        "zh": "重点支出安排率", "en": "Share of key expenditure", "unit": "%",
        "formula": "重点项目支出 / 项目总支出 × 100%",
        "formula_en": "key project expenditure / total project expenditure × 100%",
        "columns": ("key_project_expenditure", "project_expenditure"),
        "denominator": "project_expenditure", "rule": "proportional"},
    "budget_completion": {
        "zh": "预算完成率", "en": "Budget completion rate", "unit": "%",
        "formula": "(上年结转 + 年初预算 + 本年追加 − 年末结余) / (上年结转 + 年初预算 + 本年追加) × 100%",
        "formula_en": "(carry-over + initial + supplementary − year-end balance) / (carry-over + "
                      "initial + supplementary) × 100%",
        "columns": ("carryover_prior", "initial_budget", "supplementary_budget",
                    "year_end_balance"), "denominator": None, "rule": "deduct_below"},
    "budget_control": {
        "zh": "预算控制率", "en": "Budget control rate", "unit": "%",
        "formula": "本年追加预算 / 年初预算 × 100%",
        "formula_en": "supplementary budget / initial budget × 100%",
        "columns": ("supplementary_budget", "initial_budget"), "denominator": "initial_budget",
        "rule": "tiers"},
    "carryover_rate": {
        "zh": "结转结余率", "en": "Carry-over and balance rate", "unit": "%",
        "formula": "结转结余总额 / 支出完成数 × 100%",
        "formula_en": "carry-over and balances / expenditure × 100%",
        "columns": ("carryover_balance", "expenditure"), "denominator": "expenditure",
        "rule": "proportional_reverse"},
    "portfolio_good_share": {
        "zh": "项目自评优良率", "en": "Projects graded good or excellent", "unit": "%",
        "formula": "自评等级为优、良的项目数 / 项目数 × 100%",
        "formula_en": "projects graded 优 or 良 / projects × 100%",
        "columns": (), "denominator": None, "rule": "proportional"},
    "portfolio_score": {
        "zh": "项目支出绩效", "en": "Project performance (budget-weighted)", "unit": "分",
        "formula": "Σ(项目自评得分 × 全年预算数) / Σ全年预算数",
        "formula_en": "Σ(self-evaluation total × full-year budget) / Σ full-year budget",
        "columns": (), "denominator": None, "rule": "proportional"},
}

_RULE_KEYS = {
    "staff_control": ("full_at_or_below", "step_pp", "deduct_per_step"),
    "three_public_change": ("full_at_or_below", "step_pp", "deduct_per_step"),
    "key_expenditure": ("full_at",),
    "budget_completion": ("full_at_or_above", "step_pp", "deduct_per_step"),
    "budget_control": ("tiers", "above"),
    "carryover_rate": ("full_at", "zero_at"),
    "portfolio_good_share": ("grades", "full_at"),
    "portfolio_score": ("weight_by",),
}

#: fixed columns of DepartmentEvaluation.to_frame() (plus ``<group>`` score columns and
#: ``<code>_value`` / ``<code>_score`` for every indicator code of :data:`INDICATORS`)
DEPARTMENT_COLUMNS = {
    "department_id": "部门编码", "name": "部门名称", "year": "年度",
    "total": "total score, rescaled to department_eval.total over the applicable indicators",
    "grade": "等级 (grades.bands on the unrounded total)",
    "action": "处理方向 from application.grade_action (部门整体绩效与部门预算安排挂钩)",
    "applicable_weight": "Σ weights of the applicable indicators",
    "n_not_applicable": "number of indicators not applicable (N/A)",
    "flag_codes": "';'-joined flag codes",
}
#: fixed columns of DepartmentEvaluation.indicators (one row per department and indicator)
INDICATOR_COLUMNS = {
    "department_id": "部门编码", "group": "一级指标 (投入/过程/产出/效果)", "code": "indicator code",
    "name": "指标名称", "name_en": "indicator name (English)", "formula": "计算公式",
    "weight": "分值", "value": "the indicator's value (a rate as a fraction; 项目支出绩效 in points)",
    "status": "ok | missing | division_by_zero | no_projects",
    "applicable": "False when N/A (dropped from the total)", "fraction": "score / weight",
    "score": "得分 (NaN when N/A)", "deduction": "weight − score (NaN when N/A)",
    "explanation": "说明 (Chinese)", "explanation_en": "explanation (English)",
}
#: fixed columns of DepartmentEvaluation.portfolio (one row per department)
PORTFOLIO_COLUMNS = {
    "department_id": "部门编码", "n_projects": "projects with a self-evaluation total",
    "n_good": "projects graded in portfolio_good_share.grades", "good_share": "n_good / n_projects",
    "mean_score": "simple mean of the totals", "weighted_score": "mean weighted by the budget",
    "budget": "Σ budget used as weight (万元)", "weighted": "False when the weights were missing",
    "share_<grade>": "share of projects per grade (one column per grade of grades.bands)",
}

_FLAGS = {
    "not_applicable": ("{n} 项指标不适用（{names}），总分按适用指标分值 {w} 折算为 {total} 分制",
                       "{n} indicator(s) not applicable ({names}); the total is rescaled from "
                       "the applicable {w} points to {total}"),
    "division_by_zero": ("{names} 的分母为 0，无法计算，按不适用处理",
                         "{names}: zero denominator, treated as not applicable"),
    "no_projects": ("本年度无项目自评结果，项目组合指标不适用",
                    "No project self-evaluations this year: portfolio indicators not applicable"),
    "unweighted_portfolio": ("项目自评结果缺少预算数，项目支出绩效按简单平均计算",
                             "Project budgets missing: project performance is a simple mean"),
    "balance_exceeds_funds": ("年末结余超过可用资金（上年结转 + 年初预算 + 本年追加），请核对",
                              "Year-end balance exceeds the funds available: check the figures"),
    "ratio_above_one": ("{names} 超过 100%，请核对", "{names} above 100%: check the figures"),
    "prior_from_previous_year": ("上年三公经费预算数取自 {year} 年部门表",
                                 "Last year's 'three public' budget taken from the {year} row"),
    "no_total": ("没有适用的指标，无法得出总分", "No applicable indicator: no total"),
}


def _flag(code: str, **kw) -> dict:
    return flag(_FLAGS, code, **kw)


def _zh(col: str) -> str:
    return DEPARTMENTS.column(col).zh


def _missing_names(df: pd.DataFrame, cols: Iterable[str], label) -> pd.Series:
    """'、'-joined labels of the columns that are blank in each row."""
    out = pd.Series("", index=df.index, dtype=object)
    for c in cols:
        out = out + np.where(df[c].isna(), label(c) + "、", "")
    return out.str.rstrip("、")


def _steps(x: pd.Series, mode: str) -> pd.Series:
    """Number of deduction steps (pro rata, whole steps or started steps)."""
    x = x.round(9)
    if mode == "whole":
        return np.floor(x)
    if mode == "started":
        return np.ceil(x)
    return x


# --------------------------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------------------------
def _num_param(path: str, v: Any, *, lo: float | None = None, hi: float | None = None,
               positive: bool = False) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise RuleError(f"rule {path} must be a number, got {v!r}") from None
    if not np.isfinite(f) or (lo is not None and f < lo) or (hi is not None and f > hi) \
            or (positive and f <= 0):
        rng = "positive" if positive else f"in [{lo if lo is not None else '−∞'}, " \
                                          f"{hi if hi is not None else '∞'}]"
        raise RuleError(f"rule {path} must be {rng}, got {v!r}")
    return f


def _check_codes(base: str, ind: Mapping, weights: Mapping[str, float] | None,
                 known: Mapping[str, Any]) -> None:
    """The profile's ``<base>.indicators`` and the ``weights`` argument name known codes only."""
    unknown = sorted(set(ind) - set(known))
    if unknown:
        raise RuleError(f"rule {base}.indicators has unknown indicator(s) {unknown}; known: "
                        f"{', '.join(known)}")
    if weights is not None:
        bad = sorted(set(weights) - set(known))
        if bad:
            raise InputError(f"unknown indicator code(s); known: {', '.join(known)}",
                             argument="weights", value=bad)


def _config(prof: Profile, weights: Mapping[str, float] | None) -> dict:
    """Read and check the ``department_eval`` section; RuleError names the rule path."""
    sec = prof.get("department_eval")
    base = "department_eval"
    try:
        total = _num_param(f"{base}.total", sec["total"], positive=True)
        groups = [str(g) for g in sec["groups"]]
        mode = str(sec["step_rounding"])
        tol = _num_param(f"{base}.boundary_tolerance", sec["boundary_tolerance"], lo=0)
        ind = sec["indicators"]
    except KeyError as e:
        raise RuleError(f"rule profile {prof.id!r} has no rule {base}.{e.args[0]}") from None
    if mode not in ("pro_rata", "whole", "started"):
        raise RuleError(f"rule {base}.step_rounding must be pro_rata, whole or started, "
                        f"got {mode!r}")
    _check_codes(base, ind, weights, INDICATORS)
    out: dict[str, dict] = {}
    for code in INDICATORS:
        path = f"{base}.indicators.{code}"
        if code not in ind:
            raise RuleError(f"rule profile {prof.id!r} has no rule {path}")
        spec = dict(ind[code])
        for k in ("group", "weight", *_RULE_KEYS[code]):
            if k not in spec:
                raise RuleError(f"rule profile {prof.id!r} has no rule {path}.{k}")
        if str(spec["group"]) not in groups:
            raise RuleError(f"rule {path}.group must be one of {groups}, got {spec['group']!r}")
        w = spec["weight"] if weights is None or code not in weights else weights[code]
        spec["weight"] = _num_param(f"{path}.weight" if weights is None or code not in weights
                                    else f"weights[{code!r}]", w, lo=0)
        for k in ("full_at_or_below", "full_at_or_above", "zero_at"):
            if k in spec:
                spec[k] = _num_param(f"{path}.{k}", spec[k])
        if "full_at" in spec:
            if code == "carryover_rate":
                spec["full_at"] = _num_param(f"{path}.full_at", spec["full_at"])
            else:
                spec["full_at"] = _num_param(f"{path}.full_at", spec["full_at"], positive=True)
        if "step_pp" in spec:
            spec["step_pp"] = _num_param(f"{path}.step_pp", spec["step_pp"], positive=True)
            spec["deduct_per_step"] = _num_param(f"{path}.deduct_per_step",
                                                 spec["deduct_per_step"], lo=0, hi=1)
        if code == "carryover_rate" and not spec["zero_at"] > spec["full_at"]:
            raise RuleError(f"rule {path}: zero_at must be above full_at (lower is better)")
        if code == "budget_control":
            tiers = spec["tiers"]
            try:
                tiers = [(float(b), float(f)) for b, f in tiers]
            except (TypeError, ValueError):
                raise RuleError(f"rule {path}.tiers must be a list of [upper bound, fraction] "
                                f"pairs, got {spec['tiers']!r}") from None
            if not tiers or any(b2 <= b1 for (b1, _), (b2, _) in zip(tiers, tiers[1:])) \
                    or any(not 0 <= f <= 1 for _, f in tiers):
                raise RuleError(f"rule {path}.tiers needs increasing upper bounds and fractions "
                                f"in [0, 1], got {spec['tiers']!r}")
            spec["tiers"] = tiers
            spec["above"] = _num_param(f"{path}.above", spec["above"], lo=0, hi=1)
        if code == "portfolio_good_share":
            spec["grades"] = [str(g) for g in spec["grades"]]
        out[code] = spec
    return {"total": total, "groups": groups, "mode": mode, "tol": tol, "indicators": out}


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
_FIGURES = tuple(c.name for c in DEPARTMENTS.columns if c.dtype in ("int", "float")
                 and c.name != "year")


def _figures(workbook: Workbook, year: int | None, department_ids) -> tuple[pd.DataFrame, int,
                                                                            pd.DataFrame]:
    """The year's department rows with numeric figures; the whole table for prior-year lookups."""
    src = workbook.source or None
    allrows = workbook["departments"].copy()
    if allrows.empty:
        raise InputError("the workbook has no departments (部门) table rows", file=src,
                         sheet="departments")
    for c in DEPARTMENTS.names:
        if c not in allrows:
            allrows[c] = np.nan
    allrows["department_id"] = allrows["department_id"].astype(str)
    yr = pd.to_numeric(allrows["year"], errors="coerce")
    problems = Collector()
    problems.extend(located(allrows, yr.isna(), "年度 must be a year", column="年度",
                            values=allrows["year"], file=src))
    problems.raise_if_any()
    allrows["year"] = yr.astype(int)
    allrows = numeric_figures(allrows, _FIGURES, label=_zh, problems=problems, file=src)
    problems.raise_if_any()
    if year is None:
        year = int(allrows["year"].max())
    year = int(year)
    df = allrows[allrows["year"] == year]
    if df.empty:
        raise InputError(f"no departments for year {year}; years present: "
                         f"{sorted(allrows['year'].unique().tolist())}", file=src,
                         argument="year", value=year)
    dup = df["department_id"].duplicated(keep="first")
    if dup.any():
        r = df[dup].iloc[0]
        raise InputError(f"department {r['department_id']} appears twice in year {year}",
                         file=src, sheet=r.get(SHEET), row=excel_row(r), column="部门编码",
                         value=r["department_id"])
    if department_ids is not None:
        ids = [str(d) for d in ([department_ids] if isinstance(department_ids, str)
                                else department_ids)]
        unknown = [d for d in ids if d not in set(df["department_id"])]
        if unknown:
            raise InputError(f"no such department(s) in year {year}", argument="department_ids",
                             value=unknown)
        df = df[df["department_id"].isin(ids)]
    df = df.sort_values("department_id", kind="stable").reset_index(drop=True)
    return df, year, allrows


# --------------------------------------------------------------------------------------------
# the indicators
# --------------------------------------------------------------------------------------------
def _ratio(num: pd.Series, den: pd.Series, missing: pd.Series) -> tuple[pd.Series, pd.Series]:
    """value and status (ok / missing / division_by_zero)."""
    zero = ~missing & (den == 0)
    val = (num / den.where(den != 0)).where(~missing & ~zero)
    status = pd.Series(np.select([missing, zero], ["missing", "division_by_zero"], "ok"),
                       index=num.index, dtype=object)
    return val, status


def _deduct_above(df: pd.DataFrame, rate: pd.Series, spec: dict, mode: str,
                  w: float, what_zh: pd.Series, what_en: pd.Series):
    """Full marks up to the threshold; each step_pp above deducts deduct_per_step of the weight."""
    thr, step, per = spec["full_at_or_below"], spec["step_pp"], spec["deduct_per_step"]
    excess = ((rate - thr) * 100.0).clip(lower=0.0)
    frac = (1.0 - _steps(excess / step, mode) * per).clip(lower=0.0, upper=1.0)
    score = w * frac
    over = excess.round(9) > 0
    per_pts = w * per
    zh_over = _cat(what_zh, "，超过 ", _gp(thr), " 的 ", _fix(excess), " 个百分点；每超 ", _g(step),
                   " 个百分点扣分值的 ", _gp(per), "（", _num(pd.Series(per_pts, index=df.index)),
                   " 分），扣 ", _num(w - score), " 分，得 ", _num(score), " 分")
    zh_ok = _cat(what_zh, "，未超过 ", _gp(thr), "，得满分 ", _g(w), " 分")
    en_over = _cat(what_en, ", ", _fix(excess), " pp above ", _gp(thr), "; each ", _g(step),
                   " pp deducts ", _gp(per), " of the weight: −", _num(w - score), ", score ",
                   _num(score))
    en_ok = _cat(what_en, ", not above ", _gp(thr), ": full marks ", _g(w))
    return frac, zh_over.where(over, zh_ok), en_over.where(over, en_ok)


def _indicators(df: pd.DataFrame, cfg: dict, year: int, port: pd.DataFrame) -> pd.DataFrame:
    """Long frame: one row per department and indicator."""
    mode, tol = cfg["mode"], cfg["tol"]
    ic = cfg["indicators"]
    parts = []
    idx = df.index

    def add(code, value, status, frac, zh, en):
        spec = ic[code]
        w = spec["weight"]
        app = status == "ok"
        f = frac.where(app)
        parts.append(pd.DataFrame({
            "department_id": df["department_id"], "group": spec["group"], "code": code,
            "name": INDICATORS[code]["zh"], "name_en": INDICATORS[code]["en"],
            "formula": INDICATORS[code]["formula"], "weight": w, "value": value,
            "status": status, "applicable": app, "fraction": f, "score": w * f,
            "deduction": w - w * f, "explanation": zh, "explanation_en": en}))

    def na_text(code, status, cols, den=None, den_label=None):
        """N/A explanations for missing figures and zero denominators."""
        name, en_name = INDICATORS[code]["zh"], INDICATORS[code]["en"]
        miss = _missing_names(df, cols, _zh) if cols else pd.Series("", index=idx)
        miss_en = _missing_names(df, cols, lambda c: c) if cols else pd.Series("", index=idx)
        dl = den_label or (_zh(den) if den else "分母")
        zh = pd.Series(np.select(
            [status == "missing", status == "division_by_zero"],
            [_cat("缺少", miss, "，", name, "不适用，不计分（总分按适用指标折算）"),
             pd.Series(f"{dl}为 0，无法计算{name}，按不适用处理（总分按适用指标折算）", index=idx)],
            ""), index=idx, dtype=object)
        en = pd.Series(np.select(
            [status == "missing", status == "division_by_zero"],
            [_cat("missing ", miss_en, ": ", en_name, " not applicable (total rescaled)"),
             pd.Series(f"{den or 'denominator'} is 0: {en_name} cannot be computed, "
                       "not applicable (total rescaled)", index=idx)], ""), index=idx,
            dtype=object)
        return zh, en

    def merge_text(status, zh_ok, en_ok, zh_na, en_na):
        ok = status == "ok"
        return zh_ok.where(ok, zh_na), en_ok.where(ok, en_na)

    # 在职人员控制率 ---------------------------------------------------------------------------
    code = "staff_control"
    a, b = df["staff_actual"], df["staff_authorized"]
    v, st = _ratio(a, b, a.isna() | b.isna())
    w = ic[code]["weight"]
    fr, zh, en = _deduct_above(
        df, v, ic[code], mode, w,
        _cat("在职人员控制率 = 在职人数 ", _num(a), " / 编制数 ", _num(b), " = ", _pct(v)),
        _cat("staff control rate = ", _num(a), " / ", _num(b), " = ", _pct(v)))
    # the plain wording of the local tables when the threshold is 100%
    if ic[code]["full_at_or_below"] == 1.0:
        ex = ((v - 1.0) * 100).clip(lower=0)
        zh = zh.where(~(ex.round(9) > 0), _cat(
            "在职人数 ", _num(a), " 超编制数 ", _num(b), " 的 ", _fix(ex), " 个百分点（控制率 ",
            _pct(v), "），每超 ", _g(ic[code]["step_pp"]), " 个百分点扣分值的 ",
            _gp(ic[code]["deduct_per_step"]), "，扣 ", _num(w - w * fr), " 分，得 ",
            _num(w * fr), " 分"))
    add(code, v, st, fr, *merge_text(st, zh, en, *na_text(code, st, INDICATORS[code]["columns"],
                                                           "staff_authorized")))

    # “三公经费”变动率 --------------------------------------------------------------------------
    code = "three_public_change"
    cur, pri = df["three_public_budget"], df["three_public_prior"]
    v, st = _ratio(cur - pri, pri, cur.isna() | pri.isna())
    w = ic[code]["weight"]
    fr, zh, en = _deduct_above(
        df, v, ic[code], mode, w,
        _cat("三公经费预算 ", _num(cur), " 万元，上年 ", _num(pri), " 万元，变动率 ", _pct(v)),
        _cat("'three public' budget ", _num(cur), " vs ", _num(pri), " last year: change ",
             _pct(v)))
    zh_na, en_na = na_text(code, st, INDICATORS[code]["columns"], "three_public_prior")
    fromprev = df["_prior_from_previous"]
    zh = zh.where(~fromprev, _cat(zh, "（上年数取自 ", str(year - 1), " 年部门表）"))
    en = en.where(~fromprev, _cat(en, f" (last year's figure from the {year - 1} row)"))
    add(code, v, st, fr, *merge_text(st, zh, en, zh_na, en_na))

    # 重点支出安排率 -----------------------------------------------------------------------------
    code = "key_expenditure"
    k, p = df["key_project_expenditure"], df["project_expenditure"]
    v, st = _ratio(k, p, k.isna() | p.isna())
    spec = ic[code]
    w = spec["weight"]
    fr = (v / spec["full_at"]).clip(lower=0.0, upper=1.0)
    met = v >= spec["full_at"] - tol
    zh = _cat("重点支出安排率 = 重点项目支出 ", _num(k), " / 项目总支出 ", _num(p), " = ", _pct(v))
    en = _cat("key expenditure share = ", _num(k), " / ", _num(p), " = ", _pct(v))
    zh = zh.where(~met, _cat(zh, "，达到 ", _gp(spec["full_at"]), "，得满分 ", _g(w), " 分")).where(
        met, _cat(zh, "，按 安排率 / ", _gp(spec["full_at"]), " 的比例得分，得 ", _num(w * fr), " 分"))
    en = en.where(~met, _cat(en, ": full marks ", _g(w))).where(
        met, _cat(en, ": proportional to the share / ", _gp(spec["full_at"]), ", score ",
                  _num(w * fr)))
    add(code, v, st, fr, *merge_text(st, zh, en, *na_text(code, st, INDICATORS[code]["columns"],
                                                           "project_expenditure")))

    # 预算完成率 -------------------------------------------------------------------------------
    code = "budget_completion"
    spec = ic[code]
    w = spec["weight"]
    cols = INDICATORS[code]["columns"]
    c0, c1, c2, bal = (df[c] for c in cols)
    avail = c0 + c1 + c2
    v, st = _ratio(avail - bal, avail, df[list(cols)].isna().any(axis=1))
    thr, step, per = spec["full_at_or_above"], spec["step_pp"], spec["deduct_per_step"]
    short = ((thr - v) * 100.0).clip(lower=0.0)
    fr = (1.0 - _steps(short / step, mode) * per).clip(lower=0.0, upper=1.0)
    below = short.round(9) > 0
    head = _cat("预算完成率 = (上年结转 ", _num(c0), " + 年初预算 ", _num(c1), " + 本年追加 ",
                _num(c2), " − 年末结余 ", _num(bal), ") / ", _num(avail), " = ", _pct(v))
    head_en = _cat("budget completion = (", _num(c0), " + ", _num(c1), " + ", _num(c2), " − ",
                   _num(bal), ") / ", _num(avail), " = ", _pct(v))
    zh = head.where(~below, _cat(head, "，低于 ", _gp(thr), " 的 ", _fix(short), " 个百分点；每低 ",
                                 _g(step), " 个百分点扣分值的 ", _gp(per), "（",
                                 _num(pd.Series(w * per, index=idx)), " 分），扣 ",
                                 _num(w - w * fr), " 分，得 ", _num(w * fr), " 分")).where(
        below, _cat(head, "，得满分 ", _g(w), " 分"))
    en = head_en.where(~below, _cat(head_en, ", ", _fix(short), " pp below ", _gp(thr), "; each ",
                                    _g(step), " pp deducts ", _gp(per), " of the weight: −",
                                    _num(w - w * fr), ", score ", _num(w * fr))).where(
        below, _cat(head_en, ": full marks ", _g(w)))
    zh_na, en_na = na_text(code, st, cols, None, "可用资金（上年结转 + 年初预算 + 本年追加）")
    add(code, v, st, fr, *merge_text(st, zh, en, zh_na, en_na))

    # 预算控制率 -------------------------------------------------------------------------------
    code = "budget_control"
    spec = ic[code]
    w = spec["weight"]
    s_, i_ = df["supplementary_budget"], df["initial_budget"]
    v, st = _ratio(s_, i_, s_.isna() | i_.isna())
    bounds = [b for b, _ in spec["tiers"]]
    fracs = [f for _, f in spec["tiers"]]
    labels = []
    for j, b_ in enumerate(bounds):
        if j == 0:
            labels.append("为 0%" if b_ == 0 else f"≤ {_gp(b_)}")
        else:
            labels.append(f"({_gp(bounds[j - 1])}, {_gp(b_)}]")
    conds = [(v <= b_ + tol).to_numpy() for b_ in bounds]
    fr = pd.Series(np.select(conds, fracs, spec["above"]), index=idx).where(v.notna())
    tier = pd.Series(np.select(conds, labels, f"> {_gp(bounds[-1])}"), index=idx, dtype=object)
    zh = _cat("预算控制率 = 本年追加 ", _num(s_), " / 年初预算 ", _num(i_), " = ", _pct(v), "，",
              tier, " 档，得分值的 ", _pct(fr, 0), "，即 ", _num(w * fr), " 分")
    en = _cat("budget control rate = ", _num(s_), " / ", _num(i_), " = ", _pct(v), ", tier ",
              tier.str.replace("为 0%", "= 0%", regex=False), ": ", _pct(fr, 0),
              " of the weight, score ", _num(w * fr))
    add(code, v, st, fr, *merge_text(st, zh, en, *na_text(code, st, INDICATORS[code]["columns"],
                                                           "initial_budget")))

    # 结转结余率 -------------------------------------------------------------------------------
    code = "carryover_rate"
    spec = ic[code]
    w = spec["weight"]
    cb, ex = df["carryover_balance"], df["expenditure"]
    v, st = _ratio(cb, ex, cb.isna() | ex.isna())
    f0, z0 = spec["full_at"], spec["zero_at"]
    fr = ((z0 - v) / (z0 - f0)).clip(lower=0.0, upper=1.0)
    rule_zh = ("得分 = 分值 × (1 − 结转结余率)" if f0 == 0 and z0 == 1
               else f"≤ {_gp(f0)} 得满分、≥ {_gp(z0)} 不得分，其间按比例计分")
    rule_en = ("score = weight × (1 − rate)" if f0 == 0 and z0 == 1
               else f"full marks at ≤ {_gp(f0)}, none at ≥ {_gp(z0)}, linear between")
    zh = _cat("结转结余率 = 结转结余总额 ", _num(cb), " / 支出完成数 ", _num(ex), " = ", _pct(v),
              "，", rule_zh, "，得 ", _num(w * fr), " 分")
    en = _cat("carry-over rate = ", _num(cb), " / ", _num(ex), " = ", _pct(v), "; ", rule_en,
              ": ", _num(w * fr))
    add(code, v, st, fr, *merge_text(st, zh, en, *na_text(code, st, INDICATORS[code]["columns"],
                                                           "expenditure")))

    # 项目组合 ---------------------------------------------------------------------------------
    pf = df[["department_id"]].merge(port, on="department_id", how="left")
    pf.index = idx
    n = pf["n_projects"].fillna(0)
    nop = n <= 0
    status = pd.Series(np.where(nop, "no_projects", "ok"), index=idx, dtype=object)
    na_zh = pd.Series("本年度该部门无项目自评结果，本指标不适用（总分按适用指标折算）", index=idx)
    na_en = pd.Series("no project self-evaluations this year: not applicable (total rescaled)",
                      index=idx)

    code = "portfolio_good_share"
    spec = ic[code]
    w = spec["weight"]
    v = pf["good_share"].where(~nop)
    fr = (v / spec["full_at"]).clip(lower=0.0, upper=1.0)
    gl = "、".join(spec["grades"])
    zh = _cat("部门项目 ", _num(n), " 个，自评等级为", gl, "的 ", _num(pf["n_good"]), " 个，优良率 ",
              _pct(v), "，得分 = 分值 × ", ("优良率" if spec["full_at"] == 1 else
                                         f"min(优良率 / {_gp(spec['full_at'])}, 1)"),
              " = ", _num(w * fr), " 分")
    en = _cat(_num(n), " project(s), ", _num(pf["n_good"]), " graded ", "/".join(spec["grades"]),
              ": share ", _pct(v), ", score ", _num(w * fr))
    add(code, v, status, fr, zh.where(~nop, na_zh), en.where(~nop, na_en))

    code = "portfolio_score"
    w = ic[code]["weight"]
    v = pf["weighted_score"].where(~nop)
    fr = (v / 100.0).clip(lower=0.0, upper=1.0)
    weighted = pf["weighted"].fillna(False).astype(bool)
    zh = _cat("部门项目自评得分按全年预算数加权平均为 ", _num(v), " 分（简单平均 ",
              _num(pf["mean_score"]), " 分），得分 = 分值 × ", _pct(fr), " = ", _num(w * fr), " 分")
    zh = zh.where(weighted, _cat("部门项目自评得分简单平均为 ", _num(v),
                                 " 分（缺少预算数，未加权），得分 = 分值 × ", _pct(fr), " = ",
                                 _num(w * fr), " 分"))
    en = _cat("budget-weighted mean self-evaluation total ", _num(v), " (simple mean ",
              _num(pf["mean_score"]), "): score ", _num(w * fr))
    add(code, v, status, fr, zh.where(~nop, na_zh), en.where(~nop, na_en))

    out = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(INDICATORS)}
    out["_o"] = out["code"].map(order)
    out = out.sort_values(["department_id", "_o"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# drop and rescale (domain.md §4.2), shared with the township evaluation
# --------------------------------------------------------------------------------------------
def _rescaled_totals(ind: pd.DataFrame, key: str, ids: list, total_points: float
                     ) -> pd.DataFrame:
    """Per subject (index ``ids``): ``total`` = Σ scores / Σ applicable weights × total_points
    (NaN without applicable weight), ``applicable_weight`` and ``n_not_applicable``."""
    agg = ind[ind["applicable"]].groupby(key).agg(_s=("score", "sum"),
                                                  applicable_weight=("weight", "sum")).reindex(ids)
    aw = agg["applicable_weight"].fillna(0.0)
    n_na = (~ind["applicable"]).groupby(ind[key]).sum().reindex(ids).fillna(0).astype(int)
    return pd.DataFrame({"total": (agg["_s"] / aw.where(aw > 0)) * total_points,
                         "applicable_weight": aw, "n_not_applicable": n_na})


def _group_scores(ind: pd.DataFrame, key: str, level: str, order: list[str]) -> pd.DataFrame:
    """One row per subject and group (``level``) in the profile's order: ``weight``,
    ``applicable_weight`` and ``score`` (NaN when no indicator of the group applies)."""
    g = ind.assign(_aw=ind["weight"].where(ind["applicable"], 0.0)).groupby(
        [key, level], sort=False).agg(weight=("weight", "sum"), applicable_weight=("_aw", "sum"),
                                      score=("score", "sum")).reset_index()
    g[level] = pd.Categorical(g[level], order, ordered=True)
    g = g.sort_values([key, level]).reset_index(drop=True)
    g[level] = g[level].astype(str)
    g.loc[g["applicable_weight"] <= 0, "score"] = np.nan
    return g


def _wide_scores(ind: pd.DataFrame, groups: pd.DataFrame, key: str, level: str,
                 order: list[str], ids: list, codes: Iterable[str]) -> dict[str, Any]:
    """The per-subject columns of ``to_frame()``: a score column per group, then
    ``<code>_value`` and ``<code>_score`` per indicator code."""
    out: dict[str, Any] = {}
    gw = groups.pivot(index=key, columns=level, values="score")
    for gname in order:
        out[gname] = gw[gname].reindex(ids).to_numpy() if gname in gw else np.nan
    wide_v = ind.pivot(index=key, columns="code", values="value").reindex(ids)
    wide_s = ind.pivot(index=key, columns="code", values="score").reindex(ids)
    for code in codes:
        out[f"{code}_value"] = wide_v[code].to_numpy()
        out[f"{code}_score"] = wide_s[code].to_numpy()
    return out


def _applicability_flags(g: pd.DataFrame, applicable_weight: float, total_points: float,
                         flag) -> list[dict]:
    """The ``not_applicable`` and ``division_by_zero`` flags of one subject's indicators."""
    fl = []
    na = g[~g["applicable"]]
    if len(na) and len(na) < len(g):
        fl.append(flag("not_applicable", n=len(na), names="、".join(na["name"]),
                       w=f"{applicable_weight:g}", total=f"{total_points:g}"))
    z = g[g["status"] == "division_by_zero"]
    if len(z):
        fl.append(flag("division_by_zero", names="、".join(z["name"])))
    return fl


def _shortfalls(ind: pd.DataFrame) -> dict:
    """The report's 存在的问题: every deduction and every indicator not applicable."""
    ded = ind[ind["applicable"] & (ind["deduction"] > 1e-12)]
    na = ind[~ind["applicable"]]
    return {"deductions": jsonable(ded[["code", "name", "weight", "score", "deduction",
                                        "explanation", "explanation_en"]].reset_index(drop=True)),
            "not_applicable": jsonable(na[["code", "name", "status", "explanation",
                                           "explanation_en"]].reset_index(drop=True))}


# --------------------------------------------------------------------------------------------
# the project portfolio
# --------------------------------------------------------------------------------------------
def _project_scores(workbook: Workbook, prof: Profile, year: int, ids: list[str],
                    project_scores: Any) -> pd.DataFrame:
    """Per-project totals (department_id, total, grade, budget) for the year."""
    if project_scores is None:
        from ..scoring.self_eval import score_self_evaluation
        p = workbook["projects"]
        if p.empty:
            return pd.DataFrame(columns=["department_id", "total", "grade", "adjusted"])
        p = p[(pd.to_numeric(p["year"], errors="coerce") == year)
              & p["department_id"].astype(str).isin(ids)]
        if p.empty:
            return pd.DataFrame(columns=["department_id", "total", "grade", "adjusted"])
        se = score_self_evaluation(workbook, prof, year=year,
                                   project_ids=sorted(p["project_id"].astype(str).unique()))
        return se.projects
    ps = getattr(project_scores, "projects", project_scores)
    if not isinstance(ps, pd.DataFrame):
        raise InputError("must be a DataFrame of per-project scores (score_self_evaluation(...)"
                         ".projects) or a SelfEvaluation", argument="project_scores",
                         value=type(project_scores).__name__)
    missing = [c for c in ("department_id", "total") if c not in ps]
    if missing:
        raise InputError(f"needs columns {missing}", argument="project_scores",
                         value=list(ps.columns))
    if "year" in ps:
        ps = ps[pd.to_numeric(ps["year"], errors="coerce") == year]
    return ps


def _portfolio(ps: pd.DataFrame, prof: Profile, cfg: dict) -> pd.DataFrame:
    bands = prof.get("grades.bands")
    grades = [g for g, _ in sorted(bands.items(), key=lambda kv: -float(kv[1]))]
    d = pd.DataFrame({"department_id": ps["department_id"].astype(str),
                      "total": pd.to_numeric(ps["total"], errors="coerce")})
    d["grade"] = ps["grade"].to_numpy() if "grade" in ps else _grade(d["total"], bands).to_numpy()
    d = d[d["total"].notna()]
    wcol = cfg["indicators"]["portfolio_score"]["weight_by"]
    has_w = wcol in ps
    d["w"] = pd.to_numeric(ps.loc[d.index, wcol], errors="coerce") if has_w else np.nan
    good = cfg["indicators"]["portfolio_good_share"]["grades"]
    d["good"] = d["grade"].isin(good)
    d["tw"] = d["total"] * d["w"]
    g = d.groupby("department_id")
    out = g.agg(n_projects=("total", "size"), n_good=("good", "sum"), mean_score=("total", "mean"),
                budget=("w", "sum"), _tw=("tw", "sum"), _nw=("w", "count"))
    out["good_share"] = out["n_good"] / out["n_projects"]
    out["weighted"] = (out["_nw"] == out["n_projects"]) & (out["budget"] > 0)
    out["weighted_score"] = (out["_tw"] / out["budget"]).where(out["weighted"], out["mean_score"])
    out["budget"] = out["budget"].where(out["weighted"])
    for gr in grades:
        out[f"share_{gr}"] = d.assign(_g=d["grade"] == gr).groupby("department_id")["_g"].mean()
    cols = ["n_projects", "n_good", "good_share", "mean_score", "weighted_score", "budget",
            "weighted", *[f"share_{gr}" for gr in grades]]
    return out[cols].reset_index()


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class DepartmentResult(Result):
    """One department's overall evaluation: what its report (domain.md §9.2, §9.5) states."""

    title = "部门整体支出绩效评价 Department-overall evaluation"

    subject_id: str
    year: int
    name: str | None
    profile: dict
    figures: dict
    indicators: pd.DataFrame
    groups: pd.DataFrame
    portfolio: dict
    total: float
    grade: str | None
    action: str | None
    applicable_weight: float
    total_points: float
    flags: list

    def _summary_lines(self) -> list[str]:
        tot = "—" if not np.isfinite(self.total) else f"{self.total:.4f}"
        return [f"department: {self.subject_id} {self.name or ''}", f"year: {self.year}",
                f"profile: {self.profile['id']} {self.profile['version']}",
                f"total: {tot}", f"grade: {self.grade}", f"action: {self.action}",
                *[f"flag: {f['message']}" for f in self.flags]]

    def to_frame(self) -> pd.DataFrame:
        return self.indicators.copy()

    def to_dict(self) -> dict:
        ind = self.indicators
        system = ind[["group", "code", "name", "name_en", "formula", "weight"]]
        return {
            "subject_id": self.subject_id, "subject_type": "department", "year": int(self.year),
            "name": self.name, "profile": dict(self.profile),
            # 一、基本情况
            "basic_info": jsonable(self.figures),
            # 二、评价工作开展情况: the indicator system and the N/A rule
            "indicator_system": jsonable(system.reset_index(drop=True)),
            "method_note": "指标不适用时不计分，总分按适用指标分值折算为百分制（domain.md §4.2）",
            # 三、综合评价情况及评价结论
            "total": jsonable(self.total), "grade": self.grade, "action": self.action,
            "applicable_weight": jsonable(self.applicable_weight),
            "total_points": jsonable(self.total_points),
            "rescaled": bool((~ind["applicable"]).any()),
            # 四、绩效评价指标分析
            "groups": jsonable(self.groups.reset_index(drop=True)),
            "indicators": jsonable(ind.drop(columns=["department_id"]).reset_index(drop=True)),
            "portfolio": jsonable(self.portfolio),
            # 五、存在的问题: every deduction and every indicator not applicable
            **_shortfalls(ind),
            "flags": jsonable(self.flags),
        }


@dataclass(frozen=True, eq=False)
class DepartmentEvaluation(Result):
    """Department-overall evaluations (部门整体支出绩效评价) of a year; ``department(id)`` gives one.

    Attributes
    ----------
    profile : dict
        The rule profile's id, version and hash.
    year : int
    departments : DataFrame
        One row per department (see :meth:`to_frame` and :data:`DEPARTMENT_COLUMNS`), with the
        flag lists in ``flags``.
    indicators : DataFrame
        One row per department and indicator (:data:`INDICATOR_COLUMNS`).
    groups : DataFrame
        One row per department and group: ``department_id, group, weight,
        applicable_weight, score``.
    portfolio : DataFrame
        One row per department with scored projects (:data:`PORTFOLIO_COLUMNS`).
    figures : DataFrame
        The department rows of the year as evaluated (numbers as floats).
    """

    title = "部门整体支出绩效评价 Department-overall evaluation"

    profile: dict
    year: int
    departments: pd.DataFrame
    indicators: pd.DataFrame
    groups: pd.DataFrame
    portfolio: pd.DataFrame
    figures: pd.DataFrame
    total_points: float = 100.0

    def to_frame(self) -> pd.DataFrame:
        """One row per department: :data:`DEPARTMENT_COLUMNS`, a score column per group and
        ``<code>_value`` / ``<code>_score`` per indicator."""
        return self.departments.drop(columns=["flags"]).reset_index(drop=True)

    def _summary_lines(self) -> list[str]:
        g = self.departments["grade"].value_counts()
        return [f"year: {self.year}", f"profile: {self.profile['id']} {self.profile['version']}",
                f"departments: {len(self.departments)}",
                "grades: " + ", ".join(f"{k} {int(v)}" for k, v in g.items())]

    def department(self, department_id: str) -> DepartmentResult:
        did = str(department_id)
        row = self.departments[self.departments["department_id"] == did]
        if row.empty:
            raise InputError(f"no department {did!r} in this evaluation ({self.year})",
                             argument="department_id", value=did)
        r = row.iloc[0]
        fig = self.figures[self.figures["department_id"] == did].iloc[0]
        figures = {c: (None if pd.isna(fig.get(c)) else fig.get(c))
                   for c in DEPARTMENTS.names if c in fig.index}
        pf = self.portfolio[self.portfolio["department_id"] == did]
        portfolio = pf.iloc[0].drop("department_id").to_dict() if len(pf) else {"n_projects": 0}
        return DepartmentResult(
            subject_id=did, year=int(self.year), name=None if pd.isna(r["name"]) else r["name"],
            profile=dict(self.profile), figures=figures,
            indicators=self.indicators[self.indicators["department_id"] == did]
            .reset_index(drop=True),
            groups=self.groups[self.groups["department_id"] == did]
            .drop(columns="department_id").reset_index(drop=True),
            portfolio=portfolio, total=float(r["total"]), grade=r["grade"], action=r["action"],
            applicable_weight=float(r["applicable_weight"]),
            total_points=float(self.total_points), flags=list(r["flags"]))


# --------------------------------------------------------------------------------------------
# the verb
# --------------------------------------------------------------------------------------------
def evaluate_department(workbook: Workbook, profile: Profile | str = "national", *,
                        year: int | None = None, department_ids: Iterable[str] | None = None,
                        project_scores: Any = None,
                        weights: Mapping[str, float] | None = None) -> DepartmentEvaluation:
    """Evaluate departments as a whole (部门整体支出绩效评价), all departments of a year at once.

    Parameters
    ----------
    workbook : Workbook
        Its ``departments`` table holds the figures (编制数, 在职人数, 三公经费, 上年结转, 年初预算,
        本年追加, 年末结余, 支出完成数, 结转结余总额, 重点项目支出, 项目总支出).
    profile : Profile or profile id
        Every weight, threshold and deduction comes from its ``department_eval`` section.
    year : int, keyword-only, optional
        Defaults to the latest year of the departments table.
    department_ids : iterable of str, keyword-only, optional
        Restrict to these departments (unknown ids are an ``InputError``).
    project_scores : DataFrame or SelfEvaluation, keyword-only, optional
        Per-project self-evaluation results (``score_self_evaluation(...).projects``: columns
        ``department_id``, ``total``, optionally ``grade``, ``year`` and the budget column named by
        ``portfolio_score.weight_by``, default ``adjusted``). When omitted, the workbook's projects
        of the year are scored with the same profile.
    weights : mapping code → points, keyword-only, optional
        Override indicator weights (codes of :data:`INDICATORS`); 0 drops an indicator.

    Returns
    -------
    DepartmentEvaluation
        ``to_frame()`` one row per department; ``.indicators`` one row per indicator;
        ``.department(id)`` → :class:`DepartmentResult` whose ``to_dict()`` follows the report
        skeleton of domain.md §9.2.

    Raises
    ------
    InputError
        No departments for the year, unknown ids, duplicated departments, figures that are not
        numbers or are negative (located by sheet, row and column); when ``project_scores`` is
        not given, whatever :func:`perfkit.scoring.score_self_evaluation` raises for projects
        that cannot be scored (pass ``project_scores`` to evaluate without them).
    RuleError
        A malformed ``department_eval`` section.

    Notes
    -----
    See the module docstring for every formula and deduction. For an indicator with weight *w*
    and fraction *f* ∈ [0, 1] the score is *w f*; the total is
    ``Σ scores / Σ applicable weights × department_eval.total``.
    """
    prof = load_profile(profile)
    cfg = _config(prof, weights)
    df, year, allrows = _figures(workbook, year, department_ids)

    # 上年三公经费: fall back on the previous year's row of the same department
    prev = allrows[allrows["year"] == year - 1].drop_duplicates("department_id") \
        .set_index("department_id")["three_public_budget"]
    prior_prev = pd.to_numeric(df["department_id"].map(prev), errors="coerce").astype(float)
    fill = df["three_public_prior"].isna() & prior_prev.notna()
    df["_prior_from_previous"] = fill
    df["three_public_prior"] = df["three_public_prior"].where(~fill, prior_prev)

    ids = df["department_id"].tolist()
    ps = _project_scores(workbook, prof, year, ids, project_scores)
    port = _portfolio(ps, prof, cfg)
    port = port[port["department_id"].isin(ids)].reset_index(drop=True)

    ind = _indicators(df, cfg, year, port)

    # totals -----------------------------------------------------------------------------------
    tp = cfg["total"]
    tot = _rescaled_totals(ind, "department_id", ids, tp)
    bands = prof.get("grades.bands")
    grade_action = prof.get("application.grade_action", {})
    out = df[["department_id", "name"]].copy()
    out.insert(2, "year", year)
    out["total"] = tot["total"].to_numpy()
    out["grade"] = _grade(out["total"], bands).to_numpy()
    out["action"] = out["grade"].map(lambda g: grade_action.get(g) if g is not None else None)
    out["applicable_weight"] = tot["applicable_weight"].to_numpy()
    out["n_not_applicable"] = tot["n_not_applicable"].to_numpy()
    groups = _group_scores(ind, "department_id", "group", cfg["groups"])
    for col, values in _wide_scores(ind, groups, "department_id", "group", cfg["groups"], ids,
                                    INDICATORS).items():
        out[col] = values

    # flags (per department: few rows) --------------------------------------------------------
    flags_col = []
    by_dept = {k: g for k, g in ind.groupby("department_id", sort=False)}
    pmap = port.set_index("department_id")
    avail = df[["carryover_prior", "initial_budget", "supplementary_budget"]].sum(axis=1,
                                                                                  min_count=3)
    for i, did in enumerate(ids):
        g = by_dept[did]
        fl = _applicability_flags(g, out["applicable_weight"].iloc[i], tp, _flag)
        if did not in pmap.index or pmap.loc[did, "n_projects"] <= 0:
            fl.append(_flag("no_projects"))
        elif not bool(pmap.loc[did, "weighted"]):
            fl.append(_flag("unweighted_portfolio"))
        if bool(df["_prior_from_previous"].iloc[i]):
            fl.append(_flag("prior_from_previous_year", year=year - 1))
        if pd.notna(avail.iloc[i]) and df["year_end_balance"].iloc[i] > avail.iloc[i] + 1e-9:
            fl.append(_flag("balance_exceeds_funds"))
        hi = g[(g["code"].isin(["key_expenditure"])) & (g["value"] > 1 + 1e-12)]
        if len(hi):
            fl.append(_flag("ratio_above_one", names="、".join(hi["name"])))
        if not np.isfinite(out["total"].iloc[i]):
            fl.append(_flag("no_total"))
        flags_col.append(fl)
    out["flag_codes"] = [";".join(f["code"] for f in fl) for fl in flags_col]
    out["flags"] = flags_col
    figures = df.drop(columns=["_prior_from_previous"]).reset_index(drop=True)
    return DepartmentEvaluation(profile=prof.ref(), year=year, departments=out.reset_index(drop=True),
                                indicators=ind, groups=groups, portfolio=port, figures=figures,
                                total_points=tp)
