"""Township fiscal-operation comprehensive evaluation (乡镇街道财政运行综合绩效评价) — DESIGN PROPOSAL.

34号 requires a comprehensive performance evaluation of lower-level governments' fiscal operation
[V-existence: R]; 黔江实施意见 §十 asks the finance bureau to carry it out for the townships and
streets (对乡镇街道财政运行情况实施综合绩效评价), and §十六 links its result to the allocation of
transfer payments (将乡镇街道财政运行综合绩效与转移支付分配挂钩). **No indicator set was found in any
source** (domain.md §3.3), so this module ships a configurable template marked *design proposal*:
every dimension, weight and threshold is a ``U: design proposal`` default of the profile's
``township_eval`` section, to be replaced by the district's own rules when they are obtained
(``qianjiang`` profile TODO).

Dimensions and default scoring (weights out of 100)
---------------------------------------------------

==========  ==========================================  ======  =================================
dimension   indicator = formula                         weight  default rule
==========  ==========================================  ======  =================================
收入质量     税收占比 = 税收收入 / 一般公共预算收入            15     ramp: full at ≥ 75%, 0 at 0%
预算执行     支出进度 = 一般公共预算支出 / 支出预算数           12     ramp: full at ≥ 100%, 0 at 0%
预算执行     结转结余率 = 结转结余 / 一般公共预算支出           8      ramp: full at ≤ 5%, 0 at ≥ 30%
支出结构     民生支出占比 = 民生支出 / 一般公共预算支出        15     ramp: full at ≥ 70%, 0 at 0%
债务风险     债务率 = 债务余额 / 综合财力                     12     ramp: full at ≤ 100%, 0 at ≥ 200%
债务风险     偿债率 = 还本付息额 / 综合财力                   8      ramp: full at ≤ 10%, 0 at ≥ 20%
库款保障     库款保障水平 = 库款余额 / 月均库款支出 (months)    10     band: full in [1, 2] months, 0 at
                                                                  0 and at ≥ 4 months
财政管理     预决算公开 (yes/no)                             10     yes → full, no → 0
财政管理     开展绩效管理 (yes/no)                           10     yes → full, no → 0
==========  ==========================================  ======  =================================

*Ramp.* ``fraction = clip((x − zero_at) / (full_at − zero_at), 0, 1)``: higher is better when
``full_at > zero_at``, lower is better when ``full_at < zero_at`` (债务率, 偿债率, 结转结余率).
*Band.* Full marks for ``lo ≤ x ≤ hi``; below ``lo`` linear down to 0 at ``zero_below``; above ``hi``
linear down to 0 at ``zero_above`` (too much cash in the treasury is idle money, cf. §十六 长期沉淀的
资金); ``zero_above: null`` disables the upper deduction. Blank figures and zero denominators make an
indicator not applicable; the total is rescaled over the applicable weights, as for departments.

Benchmarking (标杆管理法)
-------------------------
Townships are compared with each other by DEA (:func:`perfkit.methods.dea`): by default input
一般公共预算支出, outputs 常住人口 (people served) and 民生支出, constant returns to scale, input
orientation — "how much less could this township spend for what it delivers". CRS is the default
because it names few benchmarks: on a 20-township demo district it finds 2 efficient townships
where VRS finds 10 (with one input, VRS makes the smallest and the largest units efficient by
construction); ``rts="vrs"`` separates the scale effect when 街道 and 乡 should not be compared
at equal scale. A township is *DEA-efficient* when its score is 1 and all its slacks are 0. Townships
with a missing DEA figure, or without a positive input and a positive output, are left out of the
DEA and flagged. The gap to the best township on each dimension (and on the total) is
``(best − own)/best`` of the dimension's score fraction (:func:`perfkit.methods.gap_to_benchmark`).

Transfer payments (转移支付)
---------------------------
:func:`allocate_transfers` splits a pool into a base part (equal shares, or by population) and a
performance part (proportional to the score above a floor, or by grade coefficients), and rounds to
0.01 万元 by the largest-remainder method so that the amounts add up exactly to the pool.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from .._format import (cat as _cat, flag, num as _num, param as _g, param_pct as _gp,
                       pct_fixed as _pct)
from .._results import Result, jsonable
from ..errors import Collector, IdentityError, InputError, RuleError
from ..methods.benchmark import DEAResult, dea, gap_to_benchmark
from ..model.frames import located, numeric_figures
from ..model.schema import TOWNSHIPS
from ..model.workbook import SHEET, Workbook, excel_row
from ..rules import Profile, load_profile
from ..scoring.grades import grade as _grade
from .department import (_applicability_flags, _check_codes, _group_scores, _missing_names,
                         _num_param, _ratio, _rescaled_totals, _shortfalls, _wide_scores)

__all__ = ["evaluate_township", "allocate_transfers", "TownshipEvaluation", "TownshipResult",
           "TransferAllocation", "INDICATORS", "TOWNSHIP_COLUMNS", "INDICATOR_COLUMNS",
           "GAP_COLUMNS", "TRANSFER_COLUMNS", "STATUS"]

#: the template's status, stated in every result and report
STATUS = "design proposal"
STATUS_ZH = "设计方案（未见正式指标体系，规则可配置）"

#: the indicator set of the template (formulas live here; every number lives in the profile)
INDICATORS: dict[str, dict[str, Any]] = {
    "tax_share": {"zh": "税收占比", "en": "Tax share of general revenue", "unit": "%",
                  "formula": "税收收入 / 一般公共预算收入 × 100%",
                  "columns": ("tax_revenue", "general_revenue"), "rule": "ramp"},
    "spending_progress": {"zh": "支出进度", "en": "Spending progress", "unit": "%",
                          "formula": "一般公共预算支出 / 支出预算数 × 100%",
                          "columns": ("expenditure", "expenditure_budget"), "rule": "ramp"},
    "carryover_rate": {"zh": "结转结余率", "en": "Carry-over rate", "unit": "%",
                       "formula": "结转结余 / 一般公共预算支出 × 100%",
                       "columns": ("carryover_balance", "expenditure"), "rule": "ramp"},
    "livelihood_share": {"zh": "民生支出占比", "en": "Livelihood share of expenditure",
                         "unit": "%", "formula": "民生支出 / 一般公共预算支出 × 100%",
                         "columns": ("livelihood_expenditure", "expenditure"), "rule": "ramp"},
    "debt_ratio": {"zh": "债务率", "en": "Debt ratio", "unit": "%",
                   "formula": "债务余额 / 综合财力 × 100%",
                   "columns": ("debt_balance", "available_revenue"), "rule": "ramp"},
    "debt_service_ratio": {"zh": "偿债率", "en": "Debt-service ratio", "unit": "%",
                           "formula": "还本付息额 / 综合财力 × 100%",
                           "columns": ("debt_service", "available_revenue"), "rule": "ramp"},
    "treasury_cover": {"zh": "库款保障水平", "en": "Treasury cover", "unit": "月",
                       "formula": "库款余额 / 月均库款支出（月）",
                       "columns": ("treasury_balance", "monthly_outlay"), "rule": "band"},
    "disclosure": {"zh": "预决算公开", "en": "Budget and final accounts disclosed", "unit": "",
                   "formula": "是否公开预决算", "columns": ("disclosure",), "rule": "boolean"},
    "performance_mgmt": {"zh": "开展绩效管理", "en": "Performance management in place",
                         "unit": "", "formula": "是否开展预算绩效管理",
                         "columns": ("performance_mgmt",), "rule": "boolean"},
}

_RULE_KEYS = {"ramp": ("full_at", "zero_at"), "band": ("band", "zero_below", "zero_above"),
              "boolean": ()}
_BOOL_TEXT = {"disclosure": (("已公开预决算", "未公开预决算"), ("disclosed", "not disclosed")),
              "performance_mgmt": (("已开展绩效管理", "未开展绩效管理"),
                                   ("performance management in place",
                                    "no performance management"))}
DIMENSIONS_EN = {"收入质量": "Revenue quality", "预算执行": "Budget execution",
                 "支出结构": "Expenditure structure", "债务风险": "Debt risk",
                 "库款保障": "Treasury cover", "财政管理": "Fiscal management"}

#: fixed columns of TownshipEvaluation.to_frame() (plus one score column per dimension and
#: ``<code>_value`` / ``<code>_score`` per indicator code of :data:`INDICATORS`)
TOWNSHIP_COLUMNS = {
    "township_id": "乡镇街道编码", "name": "乡镇街道名称", "year": "年度", "population": "常住人口",
    "total": "total score rescaled to township_eval.total over the applicable indicators",
    "grade": "等级 (grades.bands)", "applicable_weight": "Σ applicable weights",
    "n_not_applicable": "indicators not applicable", "efficiency": "DEA score (NaN if left out)",
    "dea_efficient": "DEA-efficient: score 1 and zero slacks", "peers": "DEA peers (标杆乡镇)",
    "flag_codes": "';'-joined flag codes",
}
#: fixed columns of TownshipEvaluation.indicators
INDICATOR_COLUMNS = {
    "township_id": "乡镇街道编码", "dimension": "维度", "code": "indicator code", "name": "指标名称",
    "name_en": "indicator name (English)", "formula": "计算公式", "weight": "分值",
    "value": "value (a rate as a fraction; months for 库款保障水平; 1/0 for yes/no)",
    "status": "ok | missing | division_by_zero", "applicable": "False when N/A",
    "fraction": "score / weight", "score": "得分 (NaN when N/A)", "deduction": "weight − score",
    "explanation": "说明 (Chinese)", "explanation_en": "explanation (English)",
}
#: fixed columns of TownshipEvaluation.gaps (one row per township and dimension)
GAP_COLUMNS = {
    "township_id": "乡镇街道编码", "dimension": "维度 (and 综合得分 for the total)",
    "fraction": "score / applicable weight (total / total points)",
    "best": "the best fraction among the townships", "best_townships": "';'-joined ids at best",
    "gap": "(best − fraction) / best; 0 at the best, NaN when N/A",
}
#: fixed columns of TransferAllocation.to_frame()
TRANSFER_COLUMNS = {
    "township_id": "乡镇街道编码", "name": "乡镇街道名称", "total": "score", "grade": "等级",
    "base_key": "allocation key of the base part (1 for equal shares; population)",
    "performance_weight": "weight in the performance part (score above floor, or grade "
                          "coefficient, times the key when performance_key = base)",
    "base_part": "exact share of the base part (万元)",
    "performance_part": "exact share of the performance part (万元)",
    "quota": "base_part + performance_part (exact)",
    "amount": "the amount allocated, rounded to the unit (0.01 万元)",
    "units": "amount in integer units (amount × 10**decimals)",
    "rounding": "amount − quota (|·| < one unit)", "share": "amount / pool",
}

_FLAGS = {
    "not_applicable": ("{n} 项指标不适用（{names}），总分按适用指标分值 {w} 折算为 {total} 分制",
                       "{n} indicator(s) not applicable ({names}); total rescaled from {w} "
                       "to {total}"),
    "division_by_zero": ("{names} 的分母为 0，无法计算，按不适用处理",
                         "{names}: zero denominator, not applicable"),
    "expenditure_above_budget": ("一般公共预算支出超过支出预算数", "Expenditure exceeds the budget"),
    "ratio_above_one": ("{names} 超过 100%，请核对", "{names} above 100%: check the figures"),
    "dea_excluded": ("标杆分析（DEA）数据不全或不为正（{cols}），未参加效率评价",
                     "Left out of the DEA: missing or non-positive data ({cols})"),
    "no_total": ("没有适用的指标，无法得出总分", "No applicable indicator: no total"),
}


def _flag(code: str, **kw) -> dict:
    return flag(_FLAGS, code, **kw)


def _zh(col: str) -> str:
    return TOWNSHIPS.column(col).zh


# --------------------------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------------------------
def _config(prof: Profile, weights: Mapping[str, float] | None) -> dict:
    base = "township_eval"
    sec = prof.get(base)
    try:
        total = _num_param(f"{base}.total", sec["total"], positive=True)
        dims = [str(d) for d in sec["dimensions"]]
        ind = sec["indicators"]
        bench = sec["benchmark"]
    except KeyError as e:
        raise RuleError(f"rule profile {prof.id!r} has no rule {base}.{e.args[0]}") from None
    _check_codes(base, ind, weights, INDICATORS)
    out = {}
    for code, meta in INDICATORS.items():
        path = f"{base}.indicators.{code}"
        if code not in ind:
            raise RuleError(f"rule profile {prof.id!r} has no rule {path}")
        spec = dict(ind[code])
        for k in ("dimension", "weight", *_RULE_KEYS[meta["rule"]]):
            if k not in spec:
                raise RuleError(f"rule profile {prof.id!r} has no rule {path}.{k}")
        if str(spec["dimension"]) not in dims:
            raise RuleError(f"rule {path}.dimension must be one of {dims}, "
                            f"got {spec['dimension']!r}")
        over = weights is not None and code in weights
        spec["weight"] = _num_param(f"weights[{code!r}]" if over else f"{path}.weight",
                                    weights[code] if over else spec["weight"], lo=0)
        if meta["rule"] == "ramp":
            spec["full_at"] = _num_param(f"{path}.full_at", spec["full_at"])
            spec["zero_at"] = _num_param(f"{path}.zero_at", spec["zero_at"])
            if spec["full_at"] == spec["zero_at"]:
                raise RuleError(f"rule {path}: full_at and zero_at must differ")
        elif meta["rule"] == "band":
            try:
                lo, hi = (float(x) for x in spec["band"])
            except (TypeError, ValueError):
                raise RuleError(f"rule {path}.band must be [low, high], "
                                f"got {spec['band']!r}") from None
            zb = _num_param(f"{path}.zero_below", spec["zero_below"])
            za = spec["zero_above"]
            za = None if za is None else _num_param(f"{path}.zero_above", za)
            if not (zb < lo <= hi) or (za is not None and not za > hi):
                raise RuleError(f"rule {path}: needs zero_below < band low ≤ band high < "
                                f"zero_above, got {zb}, {spec['band']}, {za}")
            spec.update(lo=lo, hi=hi, zero_below=zb, zero_above=za)
        out[code] = spec
    bcfg = {}
    for k in ("inputs", "outputs", "rts", "orientation"):
        if k not in bench:
            raise RuleError(f"rule profile {prof.id!r} has no rule {base}.benchmark.{k}")
        bcfg[k] = bench[k]
    return {"total": total, "dims": dims, "indicators": out, "benchmark": bcfg}


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
_NUMERIC = tuple(c.name for c in TOWNSHIPS.columns if c.dtype in ("int", "float")
                 and c.name != "year")
_BOOLS = tuple(c.name for c in TOWNSHIPS.columns if c.dtype == "bool")


def _figures(workbook: Workbook, year: int | None, township_ids) -> tuple[pd.DataFrame, int]:
    from ..io.values import parse_bool
    src = workbook.source or None
    t = workbook["townships"].copy()
    if t.empty:
        raise InputError("the workbook has no townships (乡镇街道) table rows", file=src,
                         sheet="townships")
    for c in TOWNSHIPS.names:
        if c not in t:
            t[c] = np.nan
    t["township_id"] = t["township_id"].astype(str)
    problems = Collector()
    yr = pd.to_numeric(t["year"], errors="coerce")
    problems.extend(located(t, yr.isna(), "年度 must be a year", column="年度", values=t["year"],
                            file=src))
    problems.raise_if_any()
    t["year"] = yr.astype(int)
    year = int(t["year"].max()) if year is None else int(year)
    t = t[t["year"] == year]
    if t.empty:
        raise InputError(f"no townships for year {year}", file=src, argument="year", value=year)
    t = numeric_figures(t, _NUMERIC, label=_zh, problems=problems, file=src)
    for c in _BOOLS:
        raw = t[c]
        if raw.map(lambda v: isinstance(v, (bool, np.bool_))).all():
            t[c] = raw.astype("boolean")
            continue
        val, ok = parse_bool(raw.map(lambda v: ("是" if v else "否")
                                     if isinstance(v, (bool, np.bool_)) else v))
        problems.extend(located(t, ~ok, "must be 是 or 否 (yes/no)", column=_zh(c), values=raw,
                                file=src))
        t[c] = val
    problems.raise_if_any()
    dup = t["township_id"].duplicated()
    if dup.any():
        r = t[dup].iloc[0]
        raise InputError(f"township {r['township_id']} appears twice in year {year}", file=src,
                         sheet=r.get(SHEET), row=excel_row(r), column="乡镇街道编码",
                         value=r["township_id"])
    if township_ids is not None:
        ids = [str(x) for x in ([township_ids] if isinstance(township_ids, str)
                                else township_ids)]
        unknown = [x for x in ids if x not in set(t["township_id"])]
        if unknown:
            raise InputError(f"no such township(s) in year {year}", argument="township_ids",
                             value=unknown)
        t = t[t["township_id"].isin(ids)]
    return t.sort_values("township_id", kind="stable").reset_index(drop=True), year


# --------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------
def _fmt_val(v: pd.Series, unit: str) -> pd.Series:
    return _num(v, 2) + " 个月" if unit == "月" else _pct(v)


def _indicators(df: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    idx = df.index
    parts = []
    for code, meta in INDICATORS.items():
        spec = cfg["indicators"][code]
        w = spec["weight"]
        name, en_name, unit = meta["zh"], meta["en"], meta["unit"]
        if meta["rule"] == "boolean":
            col = meta["columns"][0]
            b = df[col]
            missing = b.isna().to_numpy()
            v = pd.Series(np.where(missing, np.nan, b.fillna(False).astype(bool).astype(float)),
                          index=idx)
            status = pd.Series(np.where(missing, "missing", "ok"), index=idx, dtype=object)
            fr = v
            (yes, no), (yes_en, no_en) = _BOOL_TEXT[code]
            zh = pd.Series(np.where(v == 1, f"{yes}，得满分 {_g(w)} 分", f"{no}，不得分"),
                           index=idx, dtype=object)
            en = pd.Series(np.where(v == 1, f"{yes_en}: full marks {_g(w)}", f"{no_en}: 0"),
                           index=idx, dtype=object)
            zh = zh.where(~missing, f"未填写“{_zh(col)}”，{name}不适用，不计分（总分按适用指标折算）")
            en = en.where(~missing, f"{col} blank: {en_name} not applicable (total rescaled)")
        else:
            ncol, dcol = meta["columns"]
            num, den = df[ncol], df[dcol]
            v, status = _ratio(num, den, num.isna() | den.isna())
            head = _cat(name, " = ", _zh(ncol), " ", _num(num), " / ", _zh(dcol), " ", _num(den),
                        " = ", _fmt_val(v, unit))
            head_en = _cat(en_name, " = ", _num(num), " / ", _num(den), " = ",
                           _fmt_val(v, unit).str.replace(" 个月", " months", regex=False))
            sfx = (lambda x: f"{_g(x)} 个月") if unit == "月" else _gp
            sfx_en = (lambda x: f"{_g(x)} months") if unit == "月" else _gp
            if meta["rule"] == "ramp":
                f0, z0 = spec["full_at"], spec["zero_at"]
                fr = ((v - z0) / (f0 - z0)).clip(lower=0.0, upper=1.0)
                higher = f0 > z0
                full = fr >= 1.0
                zero = fr <= 0.0
                word = "达到" if higher else "不高于"
                word_en = "at least" if higher else "at most"
                between = (f"低于满分线 {sfx(f0)}（{sfx(z0)} 及以下不得分）" if higher
                           else f"高于满分线 {sfx(f0)}（{sfx(z0)} 及以上不得分）")
                between_en = (f"below {sfx_en(f0)} (0 at {sfx_en(z0)} or less)" if higher
                              else f"above {sfx_en(f0)} (0 at {sfx_en(z0)} or more)")
                zh = pd.Series(np.select(
                    [full.to_numpy(), zero.to_numpy()],
                    [_cat(head, f"，{word} {sfx(f0)}，得满分 {_g(w)} 分"),
                     _cat(head, f"，{between}，不得分")],
                    _cat(head, "，", between, "，按比例得 ", _num(w * fr), " 分")),
                    index=idx, dtype=object)
                en = pd.Series(np.select(
                    [full.to_numpy(), zero.to_numpy()],
                    [_cat(head_en, f", {word_en} {sfx_en(f0)}: full marks {_g(w)}"),
                     _cat(head_en, f", {between_en}: 0")],
                    _cat(head_en, ", ", between_en, ": pro rata ", _num(w * fr))),
                    index=idx, dtype=object)
            else:  # band
                lo, hi, zb, za = spec["lo"], spec["hi"], spec["zero_below"], spec["zero_above"]
                below = ((v - zb) / (lo - zb)).clip(lower=0.0, upper=1.0)
                above = (((za - v) / (za - hi)).clip(lower=0.0, upper=1.0) if za is not None
                         else pd.Series(1.0, index=idx))
                fr = pd.Series(np.select([(v < lo).to_numpy(), (v > hi).to_numpy()],
                                         [below, above], 1.0), index=idx).where(v.notna())
                band = f"目标区间 [{_g(lo)}, {_g(hi)}] 个月"
                zh = pd.Series(np.select(
                    [(v < lo).to_numpy(), (v > hi).to_numpy()],
                    [_cat(head, f"，低于{band}下限（{_g(zb)} 个月及以下不得分），按比例得 ",
                          _num(w * fr), " 分"),
                     _cat(head, f"，高于{band}上限，库款可能沉淀"
                          + (f"（{_g(za)} 个月及以上不得分），按比例得 " if za is not None
                             else "，不扣分，得 "), _num(w * fr), " 分")],
                    _cat(head, f"，在{band}内，得满分 {_g(w)} 分")), index=idx, dtype=object)
                en = _cat(head_en, f", target band [{_g(lo)}, {_g(hi)}] months: score ",
                          _num(w * fr))
            miss = _missing_names(df, meta["columns"], _zh)
            zh_na = pd.Series(np.where(status == "missing",
                                       _cat("缺少", miss, f"，{name}不适用，不计分（总分按适用指标折算）"),
                                       f"{_zh(dcol)}为 0，无法计算{name}，按不适用处理（总分按适用指标折算）"),
                              index=idx, dtype=object)
            en_na = pd.Series(np.where(status == "missing",
                                       _cat("missing ", _missing_names(df, meta["columns"],
                                                                       lambda c: c),
                                            f": {en_name} not applicable (total rescaled)"),
                                       f"{dcol} is 0: {en_name} not applicable (total rescaled)"),
                              index=idx, dtype=object)
            ok = status == "ok"
            zh, en = zh.where(ok, zh_na), en.where(ok, en_na)
        app = status == "ok"
        f = fr.where(app)
        parts.append(pd.DataFrame({
            "township_id": df["township_id"], "dimension": spec["dimension"], "code": code,
            "name": name, "name_en": en_name, "formula": meta["formula"], "weight": w,
            "value": v, "status": status, "applicable": app, "fraction": f, "score": w * f,
            "deduction": w - w * f, "explanation": zh, "explanation_en": en}))
    out = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(INDICATORS)}
    out["_o"] = out["code"].map(order)
    return out.sort_values(["township_id", "_o"], kind="stable").drop(columns="_o") \
        .reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# benchmarking
# --------------------------------------------------------------------------------------------
def _benchmark(df: pd.DataFrame, bcfg: dict) -> tuple[DEAResult | None, pd.DataFrame, dict,
                                                      list[str]]:
    """DEA among the townships with complete positive data; returns (result, frame, excluded
    {id: columns}, notes)."""
    numeric = set(_NUMERIC)
    ins, outs = list(bcfg["inputs"]), list(bcfg["outputs"])
    for arg, cols in (("dea_inputs", ins), ("dea_outputs", outs)):
        bad = [c for c in cols if c not in numeric]
        if not cols or bad:
            raise InputError(f"must list numeric township columns ({', '.join(_NUMERIC)})",
                             argument=arg, value=bad or cols)
    if set(ins) & set(outs):
        raise InputError("a column cannot be both an input and an output", argument="dea_outputs",
                         value=sorted(set(ins) & set(outs)))
    data = df.set_index("township_id")[ins + outs]
    bad_cell = data.isna()
    no_in = ~(data[ins] > 0).any(axis=1)
    no_out = ~(data[outs] > 0).any(axis=1)
    excl_mask = bad_cell.any(axis=1) | no_in | no_out
    excluded = {}
    for tid in data.index[excl_mask]:
        cols = [c for c in ins + outs if bad_cell.loc[tid, c]]
        if no_in[tid]:
            cols += [c for c in ins if c not in cols]
        if no_out[tid]:
            cols += [c for c in outs if c not in cols]
        excluded[tid] = cols
    use = data[~excl_mask]
    notes: list[str] = []
    frame = pd.DataFrame(index=data.index, columns=["efficiency", "dea_efficient",
                                                    "weakly_efficient", "peers"], dtype=object)
    frame["efficiency"] = np.nan
    if excluded:
        notes.append(f"{len(excluded)} township(s) left out of the DEA: missing or non-positive "
                     "data")
    zero_cols = [c for c in use.columns if not (use[c] > 0).any()]
    if zero_cols:
        notes.append(f"columns zero for every township dropped from the DEA: {zero_cols}")
    ins_u = [c for c in ins if c not in zero_cols]
    outs_u = [c for c in outs if c not in zero_cols]
    if len(use) < 2 or not ins_u or not outs_u:
        notes.append("DEA not run: fewer than two townships with complete data")
        return None, frame.reset_index(names="township_id"), excluded, notes
    res = dea(use[ins_u], use[outs_u], rts=str(bcfg["rts"]),
              orientation=str(bcfg["orientation"]))
    e = res.efficiency
    scale = pd.concat([use[ins_u], use[outs_u]], axis=1).max(axis=0)
    slack_ok = (res.slacks.abs() <= 1e-9 * scale[res.slacks.columns].to_numpy()).all(axis=1)
    on_frontier = (e - 1.0).abs() <= 1e-9
    frame.loc[e.index, "efficiency"] = e.to_numpy()
    frame.loc[e.index, "dea_efficient"] = (on_frontier & slack_ok).to_numpy()
    frame.loc[e.index, "weakly_efficient"] = (on_frontier & ~slack_ok).to_numpy()
    frame.loc[e.index, "peers"] = ["; ".join(map(str, res.peers[u])) for u in e.index]
    frame["efficiency"] = frame["efficiency"].astype(float)
    return res, frame.reset_index(names="township_id"), excluded, notes


def _gaps(dims: pd.DataFrame, totals: pd.Series, total_points: float,
          order: list[str]) -> pd.DataFrame:
    """Gap of each township to the best township on each dimension and on the total."""
    fr = dims.pivot(index="township_id", columns="dimension", values="fraction")
    fr = fr.reindex(columns=[d for d in order if d in fr.columns])
    fr["综合得分"] = (totals / total_points).reindex(fr.index)
    rows = []
    for d in fr.columns:
        s = fr[d].astype(float)
        if s.notna().any() and s.max() > 0:
            gr = gap_to_benchmark(s, benchmark="best", direction="higher")
            gap, best = gr.gap, gr.benchmark_value
            at = ";".join(map(str, s.index[(s - best).abs() <= 1e-12]))
        else:
            gap, best, at = pd.Series(np.nan, index=s.index), np.nan, ""
        rows.append(pd.DataFrame({"township_id": s.index, "dimension": d, "fraction": s.to_numpy(),
                                  "best": best, "best_townships": at,
                                  "gap": gap.reindex(s.index).to_numpy()}))
    return pd.concat(rows, ignore_index=True)


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TownshipResult(Result):
    """One township's comprehensive evaluation (design proposal): what its report states."""

    title = "乡镇街道财政运行综合绩效评价 Township fiscal-operation evaluation (design proposal)"

    subject_id: str
    year: int
    name: str | None
    profile: dict
    figures: dict
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    benchmark: dict
    gaps: pd.DataFrame
    total: float
    grade: str | None
    applicable_weight: float
    total_points: float
    flags: list
    status: str = STATUS

    def _summary_lines(self) -> list[str]:
        tot = "—" if not np.isfinite(self.total) else f"{self.total:.4f}"
        return [f"township: {self.subject_id} {self.name or ''}", f"year: {self.year}",
                f"status: {self.status}", f"total: {tot}", f"grade: {self.grade}",
                f"DEA efficiency: {self.benchmark.get('efficiency')}",
                *[f"flag: {f['message']}" for f in self.flags]]

    def to_frame(self) -> pd.DataFrame:
        return self.indicators.copy()

    def to_dict(self) -> dict:
        ind = self.indicators
        return {
            "subject_id": self.subject_id, "subject_type": "township", "year": int(self.year),
            "name": self.name, "profile": dict(self.profile),
            "status": self.status, "status_zh": STATUS_ZH,
            "basic_info": jsonable(self.figures),
            "indicator_system": jsonable(ind[["dimension", "code", "name", "name_en", "formula",
                                              "weight"]].reset_index(drop=True)),
            "method_note": "指标体系为设计方案（未见正式文件）；指标不适用时不计分，总分按适用指标分值折算",
            "total": jsonable(self.total), "grade": self.grade,
            "applicable_weight": jsonable(self.applicable_weight),
            "total_points": jsonable(self.total_points),
            "rescaled": bool((~ind["applicable"]).any()),
            "dimensions": jsonable(self.dimensions.reset_index(drop=True)),
            "indicators": jsonable(ind.drop(columns=["township_id"]).reset_index(drop=True)),
            "benchmark": jsonable(self.benchmark),
            "gaps": jsonable(self.gaps.drop(columns=["township_id"]).reset_index(drop=True)),
            **_shortfalls(ind),
            "flags": jsonable(self.flags),
        }


@dataclass(frozen=True, eq=False)
class TownshipEvaluation(Result):
    """Township fiscal-operation evaluations of a year (design proposal); ``township(id)`` gives one.

    Attributes
    ----------
    townships : DataFrame
        One row per township (:data:`TOWNSHIP_COLUMNS`), flag lists in ``flags``.
    indicators : DataFrame
        One row per township and indicator (:data:`INDICATOR_COLUMNS`).
    dimensions : DataFrame
        ``township_id, dimension, weight, applicable_weight, score, fraction``.
    dea : DEAResult or None
        The DEA among the townships with complete data (None when it could not run).
    efficiency : DataFrame
        ``township_id, efficiency, dea_efficient, weakly_efficient, peers`` for every township
        (NaN / None for townships left out).
    gaps : DataFrame
        Gap to the best township per dimension and on the total (:data:`GAP_COLUMNS`).
    notes : list of str
        What the benchmarking left out, and why.
    """

    title = "乡镇街道财政运行综合绩效评价 Township fiscal-operation evaluation (design proposal)"

    profile: dict
    year: int
    townships: pd.DataFrame
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    dea: Any
    efficiency: pd.DataFrame
    gaps: pd.DataFrame
    figures: pd.DataFrame
    benchmark_spec: dict
    notes: list = field(default_factory=list)
    total_points: float = 100.0
    status: str = STATUS

    def to_frame(self) -> pd.DataFrame:
        """One row per township: :data:`TOWNSHIP_COLUMNS`, a score column per dimension and
        ``<code>_value`` / ``<code>_score`` per indicator."""
        return self.townships.drop(columns=["flags"]).reset_index(drop=True)

    @property
    def efficient(self) -> list[str]:
        """Townships that are DEA-efficient (score 1, zero slacks): the benchmarks (标杆)."""
        e = self.efficiency
        return e.loc[e["dea_efficient"].fillna(False).astype(bool), "township_id"].tolist()

    def _summary_lines(self) -> list[str]:
        g = self.townships["grade"].value_counts()
        return [f"status: {self.status}", f"year: {self.year}",
                f"profile: {self.profile['id']} {self.profile['version']}",
                f"townships: {len(self.townships)}",
                "grades: " + ", ".join(f"{k} {int(v)}" for k, v in g.items()),
                f"DEA-efficient: {', '.join(self.efficient) or '—'}", *self.notes]

    def township(self, township_id: str) -> TownshipResult:
        tid = str(township_id)
        row = self.townships[self.townships["township_id"] == tid]
        if row.empty:
            raise InputError(f"no township {tid!r} in this evaluation ({self.year})",
                             argument="township_id", value=tid)
        r = row.iloc[0]
        fig = self.figures[self.figures["township_id"] == tid].iloc[0]
        figures = {c: (None if pd.isna(fig.get(c)) else fig.get(c)) for c in TOWNSHIPS.names
                   if c in fig.index}
        e = self.efficiency[self.efficiency["township_id"] == tid].iloc[0]
        bench = {"inputs": list(self.benchmark_spec["inputs"]),
                 "outputs": list(self.benchmark_spec["outputs"]),
                 "rts": self.benchmark_spec["rts"],
                 "orientation": self.benchmark_spec["orientation"],
                 "efficiency": None if pd.isna(e["efficiency"]) else float(e["efficiency"]),
                 "dea_efficient": None if pd.isna(e["dea_efficient"]) else bool(e["dea_efficient"]),
                 "peers": [] if not isinstance(e["peers"], str) or not e["peers"]
                 else e["peers"].split("; ")}
        if self.dea is not None and tid in self.dea.targets.index:
            bench["targets"] = self.dea.targets.loc[tid].to_dict()
        return TownshipResult(
            subject_id=tid, year=int(self.year), name=None if pd.isna(r["name"]) else r["name"],
            profile=dict(self.profile), figures=figures,
            indicators=self.indicators[self.indicators["township_id"] == tid]
            .reset_index(drop=True),
            dimensions=self.dimensions[self.dimensions["township_id"] == tid]
            .drop(columns="township_id").reset_index(drop=True),
            benchmark=bench, gaps=self.gaps[self.gaps["township_id"] == tid].reset_index(drop=True),
            total=float(r["total"]), grade=r["grade"],
            applicable_weight=float(r["applicable_weight"]), total_points=self.total_points,
            flags=list(r["flags"]), status=self.status)


def evaluate_township(workbook: Workbook, profile: Profile | str = "national", *,
                      year: int | None = None, township_ids: Iterable[str] | None = None,
                      weights: Mapping[str, float] | None = None, benchmark: bool = True,
                      dea_inputs: Iterable[str] | None = None,
                      dea_outputs: Iterable[str] | None = None, rts: str | None = None,
                      orientation: str | None = None) -> TownshipEvaluation:
    """Comprehensive evaluation of township fiscal operation (乡镇街道财政运行综合绩效评价).

    **Design proposal**: no official indicator set was found; the template's dimensions, weights
    and thresholds are the profile's ``township_eval`` defaults (module docstring).

    Parameters
    ----------
    workbook : Workbook
        Its ``townships`` table holds the figures.
    profile : Profile or profile id
    year : int, keyword-only, optional
        Defaults to the latest year of the townships table.
    township_ids : iterable of str, keyword-only, optional
        Restrict to these townships (the DEA and the gaps then compare these only).
    weights : mapping code → points, keyword-only, optional
        Override indicator weights (codes of :data:`INDICATORS`); 0 drops an indicator.
    benchmark : bool, keyword-only
        Run the DEA among the townships (default True).
    dea_inputs, dea_outputs : iterable of column names, keyword-only, optional
        Numeric columns of the townships table; default ``township_eval.benchmark``.
    rts, orientation : str, keyword-only, optional
        DEA model (``"crs"``/``"vrs"``, ``"input"``/``"output"``); default from the profile.

    Returns
    -------
    TownshipEvaluation
        ``to_frame()`` one row per township; ``.efficient`` the DEA-efficient townships;
        ``.township(id)`` → :class:`TownshipResult` with a JSON-safe ``to_dict()``.

    Raises
    ------
    InputError
        No townships for the year, unknown ids, duplicated townships, figures that are not
        numbers or negative, yes/no cells that are neither, bad DEA columns.
    RuleError
        A malformed ``township_eval`` section.
    """
    prof = load_profile(profile)
    cfg = _config(prof, weights)
    bcfg = dict(cfg["benchmark"])
    for k, v in (("inputs", dea_inputs), ("outputs", dea_outputs), ("rts", rts),
                 ("orientation", orientation)):
        if v is not None:
            bcfg[k] = [v] if isinstance(v, str) and k in ("inputs", "outputs") else (
                list(v) if k in ("inputs", "outputs") else v)
    df, year = _figures(workbook, year, township_ids)
    ids = df["township_id"].tolist()
    ind = _indicators(df, cfg)
    tp = cfg["total"]

    tot = _rescaled_totals(ind, "township_id", ids, tp)
    out = df[["township_id", "name"]].copy()
    out.insert(2, "year", year)
    out["population"] = df["population"]
    out["total"] = tot["total"].to_numpy()
    out["grade"] = _grade(out["total"], prof.get("grades.bands")).to_numpy()
    out["applicable_weight"] = tot["applicable_weight"].to_numpy()
    out["n_not_applicable"] = tot["n_not_applicable"].to_numpy()
    dims = _group_scores(ind, "township_id", "dimension", cfg["dims"])
    dims["fraction"] = dims["score"] / dims["applicable_weight"].where(dims["applicable_weight"] > 0)
    for col, values in _wide_scores(ind, dims, "township_id", "dimension", cfg["dims"], ids,
                                    INDICATORS).items():
        out[col] = values

    if benchmark:
        res, eff, excluded, notes = _benchmark(df, bcfg)
    else:
        res, excluded, notes = None, {}, ["DEA not run (benchmark=False)"]
        eff = pd.DataFrame({"township_id": ids, "efficiency": np.nan, "dea_efficient": None,
                            "weakly_efficient": None, "peers": None})
    e = eff.set_index("township_id").reindex(ids)
    out["efficiency"] = e["efficiency"].to_numpy(dtype=float)
    out["dea_efficient"] = e["dea_efficient"].to_numpy()
    out["peers"] = e["peers"].to_numpy()
    gaps = _gaps(dims, pd.Series(out["total"].to_numpy(), index=ids), tp, cfg["dims"])

    flags_col = []
    by = {k: g for k, g in ind.groupby("township_id", sort=False)}
    for i, tid in enumerate(ids):
        g = by[tid]
        fl = _applicability_flags(g, out["applicable_weight"].iloc[i], tp, _flag)
        val = g.set_index("code")["value"]
        if val.get("spending_progress", np.nan) > 1 + 1e-12:
            fl.append(_flag("expenditure_above_budget"))
        hi = [INDICATORS[c]["zh"] for c in ("tax_share", "livelihood_share")
              if val.get(c, np.nan) > 1 + 1e-12]
        if hi:
            fl.append(_flag("ratio_above_one", names="、".join(hi)))
        if benchmark and tid in excluded:
            fl.append(_flag("dea_excluded", cols="、".join(_zh(c) for c in excluded[tid])))
        if not np.isfinite(out["total"].iloc[i]):
            fl.append(_flag("no_total"))
        flags_col.append(fl)
    out["flag_codes"] = [";".join(f["code"] for f in fl) for fl in flags_col]
    out["flags"] = flags_col
    return TownshipEvaluation(
        profile=prof.ref(), year=year, townships=out.reset_index(drop=True), indicators=ind,
        dimensions=dims, dea=res, efficiency=eff, gaps=gaps, figures=df,
        benchmark_spec={"inputs": list(bcfg["inputs"]), "outputs": list(bcfg["outputs"]),
                        "rts": str(bcfg["rts"]), "orientation": str(bcfg["orientation"])},
        notes=notes, total_points=tp)


# --------------------------------------------------------------------------------------------
# transfer payments (转移支付), 黔江实施意见 §十六
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TransferAllocation(Result):
    """A pool of transfer payments split between townships by performance (与绩效挂钩的转移支付).

    ``to_frame()`` has the columns of :data:`TRANSFER_COLUMNS`. On construction the amounts are
    checked to add up exactly to the allocated pool (in integer units of ``10**-decimals`` 万元)
    and each amount to lie within one unit of its exact quota, else :class:`IdentityError`.
    """

    title = "转移支付绩效分配 Performance-linked transfer allocation"

    table: pd.DataFrame
    pool: float                 # as given
    pool_allocated: float       # the pool rounded to the unit (what is allocated)
    pool_units: int
    decimals: int
    rule: str
    base_share: float
    performance_share: float
    base: str
    performance_key: str
    floor: float | None
    grade_coefficients: dict | None
    flags: list
    profile: dict | None = None

    def __post_init__(self):
        units = self.table["units"].to_numpy(dtype=np.int64)
        if int(units.sum()) != int(self.pool_units):
            raise IdentityError(f"the amounts add up to {int(units.sum())} units, not the pool's "
                                f"{int(self.pool_units)} (10^-{self.decimals} 万元)")
        if (units < 0).any():
            raise IdentityError("an allocated amount is negative")
        unit = 10.0 ** -self.decimals
        if (self.table["rounding"].abs() >= unit * (1 + 1e-6)).any():
            raise IdentityError("an amount is a whole unit or more away from its exact quota")
        total = sum(Decimal(int(u)) for u in units) / (Decimal(10) ** self.decimals)
        if total != Decimal(int(self.pool_units)) / (Decimal(10) ** self.decimals):
            raise IdentityError("the amounts do not add up to the pool")

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _summary_lines(self) -> list[str]:
        lines = [f"pool: {self.pool_allocated:.{self.decimals}f} 万元"
                 + ("" if self.pool_allocated == self.pool else f" (given {self.pool!r})"),
                 f"rule: {self.rule}; base {self.base_share:.6g} by {self.base}, performance "
                 f"{self.performance_share:.6g}",
                 f"townships: {len(self.table)}"]
        return lines + [f"flag: {f['message']}" for f in self.flags]


_TF_FLAGS = {
    "pool_rounded": ("资金池 {given} 万元按 {unit} 万元单位四舍五入为 {pool} 万元后分配",
                     "The pool {given} was rounded half up to {pool} (unit {unit}) before allocation"),
    "no_eligible": ("没有乡镇街道具备绩效分配条件，绩效部分 {amount} 万元并入基础部分按{key}分配",
                    "No township qualifies for the performance part: its {amount} goes to the "
                    "base part ({key})"),
    "no_score": ("{ids} 没有得分或等级，不参与绩效部分分配", "{ids}: no score or grade, no "
                 "performance part"),
}


def _tf_flag(code: str, **kw) -> dict:
    return flag(_TF_FLAGS, code, **kw)


def _scores_frame(scores: Any) -> pd.DataFrame:
    if isinstance(scores, TownshipEvaluation):
        return scores.townships[["township_id", "name", "population", "total", "grade"]].copy()
    if isinstance(scores, pd.Series):
        s = pd.to_numeric(scores, errors="coerce")
        return pd.DataFrame({"township_id": s.index.astype(str), "total": s.to_numpy()})
    if isinstance(scores, Mapping):
        return _scores_frame(pd.Series(dict(scores), dtype=float))
    if isinstance(scores, pd.DataFrame):
        df = scores.copy()
        if "township_id" not in df:
            df = df.reset_index(names="township_id")
        df["township_id"] = df["township_id"].astype(str)
        return df
    raise InputError("must be a TownshipEvaluation, a DataFrame (township_id, total, grade …) "
                     "or a Series of totals by township", argument="scores",
                     value=type(scores).__name__)


def _largest_remainder(quota: np.ndarray, total_units: int) -> np.ndarray:
    """Integer units ≥ 0 adding up to total_units, each within one unit of its quota."""
    base = np.floor(quota + 1e-9).astype(np.int64)
    base = np.maximum(base, 0)
    rem = np.round(quota - base, 9)
    short = int(total_units - base.sum())
    order = np.arange(len(quota))
    if short > 0:
        pick = np.lexsort((order, -rem))[:short]
        base[pick] += 1
    elif short < 0:                           # float noise only: take back the smallest remainders
        cand = np.flatnonzero(base > 0)
        pick = cand[np.lexsort((-order[cand], rem[cand]))][:-short]
        base[pick] -= 1
    return base


def allocate_transfers(scores: Any, pool: float, *, profile: Profile | str = "national",
                       base_share: float | None = None, performance_share: float | None = None,
                       rule: str | None = None, base: Any = None,
                       performance_key: str | None = None, floor: float | None = None,
                       grade_coefficients: Mapping[str, float] | None = None,
                       decimals: int | None = None) -> TransferAllocation:
    """Allocate a transfer-payment pool to townships, part of it by performance (黔江 §十六).

    Parameters
    ----------
    scores : TownshipEvaluation, DataFrame or Series
        The townships' scores: a :class:`TownshipEvaluation`, a frame with ``township_id`` (or the
        index), ``total`` and/or ``grade`` (and ``population`` / ``name`` when used), or a Series of
        totals indexed by township.
    pool : float
        The amount to allocate (万元, ≥ 0). It is first rounded half up to the unit
        ``10**-decimals`` (0.01 万元 by default); the result says when that changed it.
    profile : Profile or id, keyword-only
        Defaults of every option below come from ``township_eval.transfers``.
    base_share, performance_share : float in [0, 1], keyword-only
        Shares of the pool for the base part and the performance part; they must add up to 1
        (give one and the other is its complement).
    rule : {"proportional_to_score", "grade_coefficients"}, keyword-only
        How the performance part is split: in proportion to ``max(total − floor, 0)``, or in
        proportion to ``grade_coefficients[grade]``.
    base : {"equal", "population"} or Series, keyword-only
        Key of the base part: equal shares, the ``population`` column, or a Series of
        non-negative factors by township (因素法 weights).
    performance_key : {"equal", "base"}, keyword-only
        ``"base"`` multiplies each township's performance weight by its base key (e.g. score
        above the floor × population); ``"equal"`` uses the performance weight alone.
    floor : float, keyword-only
        Score at or below which a township gets no performance part (proportional rule).
    grade_coefficients : mapping grade → coefficient ≥ 0, keyword-only
    decimals : int, keyword-only
        Rounding unit ``10**-decimals`` 万元 (default 2: 0.01 万元 = 100 元).

    Returns
    -------
    TransferAllocation
        One row per township (:data:`TRANSFER_COLUMNS`); the amounts add up exactly to the
        (rounded) pool, checked on construction.

    Notes
    -----
    With pool *P*, base share *b*, key *k_i* and performance weight *p_i*, the exact quota is

    .. math:: q_i = P\\left(b\\,\\frac{k_i}{\\sum_j k_j} + (1-b)\\,\\frac{p_i}{\\sum_j p_j}\\right),

    and the amounts are the quotas rounded by the largest-remainder (Hamilton) method on integer
    units: every township gets ⌊q_i⌋ units and the units left over go, one each, to the largest
    fractional parts (ties: first township in order). Hence Σ amounts = P exactly and
    |amount − q_i| < one unit. If no township has a positive performance weight, the performance
    part joins the base part (flag ``no_eligible``). A township without a score or grade gets no
    performance part (flag ``no_score``). This rule is a design proposal: 黔江 §十六 links township
    results to transfers but no formula was found (domain.md §7, §13).
    """
    prof = load_profile(profile)
    cfg = prof.get("township_eval.transfers")
    rule = cfg["rule"] if rule is None else rule
    if rule not in ("proportional_to_score", "grade_coefficients"):
        raise InputError("must be 'proportional_to_score' or 'grade_coefficients'",
                         argument="rule", value=rule)
    decimals = int(cfg["decimals"] if decimals is None else decimals)
    if not 0 <= decimals <= 6:
        raise InputError("must be an integer from 0 to 6", argument="decimals", value=decimals)
    # shares
    if base_share is None and performance_share is None:
        base_share = float(cfg["base_share"])
    for nm, v in (("base_share", base_share), ("performance_share", performance_share)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, numbers.Real)
                              or not 0 <= float(v) <= 1):
            raise InputError("must be a number in [0, 1]", argument=nm, value=v)
    if base_share is None:
        base_share = 1.0 - float(performance_share)
    if performance_share is None:
        performance_share = 1.0 - float(base_share)
    base_share, performance_share = float(base_share), float(performance_share)
    if abs(base_share + performance_share - 1.0) > 1e-12:
        raise InputError(f"base_share + performance_share must be 1, got {base_share} + "
                         f"{performance_share}", argument="performance_share",
                         value=performance_share)
    # pool
    if isinstance(pool, bool) or not isinstance(pool, (numbers.Real, Decimal)):
        raise InputError("must be a number (万元)", argument="pool", value=pool)
    try:
        dpool = Decimal(str(pool)) if not isinstance(pool, Decimal) else pool
    except InvalidOperation:
        raise InputError("must be a number (万元)", argument="pool", value=pool) from None
    if not dpool.is_finite() or dpool < 0:
        raise InputError("must be finite and not negative", argument="pool", value=pool)
    unit = Decimal(1).scaleb(-decimals)
    dq = dpool.quantize(unit, rounding=ROUND_HALF_UP)
    pool_units = int(dq.scaleb(decimals))
    flags = []
    if dq != dpool:
        flags.append(_tf_flag("pool_rounded", given=str(dpool), unit=str(unit), pool=str(dq)))

    df = _scores_frame(scores).reset_index(drop=True)
    if df.empty:
        raise InputError("needs at least one township", argument="scores")
    dup = df["township_id"].duplicated()
    if dup.any():
        raise InputError("township ids must be unique", argument="scores",
                         value=df.loc[dup, "township_id"].tolist()[:5])
    n = len(df)
    # base key
    base = cfg["base_key"] if base is None else base
    if isinstance(base, str):
        if base == "equal":
            key = np.ones(n)
        elif base == "population":
            if "population" not in df:
                raise InputError("base='population' needs a population column in scores",
                                 argument="base", value=base)
            key = pd.to_numeric(df["population"], errors="coerce").to_numpy(dtype=float)
        else:
            raise InputError("must be 'equal', 'population' or a Series of factors by township",
                             argument="base", value=base)
        base_name = base
    else:
        s = base if isinstance(base, pd.Series) else pd.Series(dict(base))
        s.index = s.index.astype(str)
        key = pd.to_numeric(df["township_id"].map(s), errors="coerce").to_numpy(dtype=float)
        base_name = "factors"
    bad = ~np.isfinite(key) | (key < 0)
    if bad.any():
        raise InputError("the base key must be a non-negative number for every township",
                         argument="base", value=df.loc[bad, "township_id"].tolist()[:5])
    if base_share > 0 and key.sum() <= 0:
        raise InputError("the base key adds up to 0", argument="base", value=base_name)
    # performance weights
    pkey = cfg["performance_key"] if performance_key is None else performance_key
    if pkey not in ("equal", "base"):
        raise InputError("must be 'equal' or 'base'", argument="performance_key", value=pkey)
    floor_v = None
    coefs = None
    bands = prof.get("grades.bands")
    if "total" in df:
        df["total"] = pd.to_numeric(df["total"], errors="coerce")
    if rule == "proportional_to_score":
        if "total" not in df:
            raise InputError("rule 'proportional_to_score' needs a total column",
                             argument="scores", value=list(df.columns))
        floor_v = float(cfg["floor"] if floor is None else floor)
        tot = df["total"].to_numpy(dtype=float)
        noscore = ~np.isfinite(tot)
        perf = np.where(noscore, 0.0, np.maximum(np.nan_to_num(tot) - floor_v, 0.0))
    else:
        coefs = {str(k): float(v) for k, v in (cfg["grade_coefficients"] if grade_coefficients
                                               is None else grade_coefficients).items()}
        if any(not np.isfinite(v) or v < 0 for v in coefs.values()):
            raise InputError("coefficients must be non-negative numbers",
                             argument="grade_coefficients", value=coefs)
        if "grade" not in df:
            if "total" not in df:
                raise InputError("rule 'grade_coefficients' needs a grade or total column",
                                 argument="scores", value=list(df.columns))
            df["grade"] = _grade(df["total"], bands).to_numpy()
        g = df["grade"]
        noscore = g.isna().to_numpy()
        unknown = sorted(set(g[~g.isna()]) - set(coefs))
        if unknown:
            raise InputError(f"no coefficient for grade(s) {unknown}",
                             argument="grade_coefficients", value=coefs)
        perf = np.where(noscore, 0.0, g.map(coefs).fillna(0.0).to_numpy(dtype=float))
    if pkey == "base":
        perf = perf * key
    if noscore.any():
        flags.append(_tf_flag("no_score", ids="、".join(df.loc[noscore, "township_id"])))
    b_sh, p_sh = base_share, performance_share
    if p_sh > 0 and perf.sum() <= 0:
        flags.append(_tf_flag("no_eligible", amount=f"{float(dq) * p_sh:.{decimals}f}",
                              key=base_name))
        if key.sum() <= 0:
            raise InputError("no township qualifies for the performance part and the base key "
                             "adds up to 0", argument="base", value=base_name)
        b_sh, p_sh = 1.0, 0.0
    P = float(dq)
    kfrac = key / key.sum() if key.sum() > 0 else np.zeros(n)
    pfrac = perf / perf.sum() if perf.sum() > 0 else np.zeros(n)
    base_part = P * b_sh * kfrac
    perf_part = P * p_sh * pfrac
    quota = base_part + perf_part
    scale = 10 ** decimals
    units = _largest_remainder(quota * scale, pool_units)
    amount = units / scale
    table = pd.DataFrame({
        "township_id": df["township_id"],
        "name": df["name"] if "name" in df else None,
        "total": df["total"] if "total" in df else np.nan,
        "grade": df["grade"] if "grade" in df else None,
        "base_key": key, "performance_weight": perf, "base_part": base_part,
        "performance_part": perf_part, "quota": quota, "amount": amount, "units": units,
        "rounding": amount - quota,
        "share": amount / P if P > 0 else np.nan})
    return TransferAllocation(
        table=table, pool=float(pool), pool_allocated=float(dq), pool_units=pool_units,
        decimals=decimals, rule=rule, base_share=base_share, performance_share=performance_share,
        base=base_name, performance_key=pkey, floor=floor_v, grade_coefficients=coefs,
        flags=flags, profile=prof.ref())
