"""Dual monitoring (绩效运行监控, "双监控"): budget-execution progress and target attainment.

34号 asks government, departments and units to watch both the **degree of target attainment**
and the **progress of budget execution** during the year, to correct deviations promptly, and to
pause or stop funding for seriously problematic items (domain.md §6; 黔江实施意见 §九).
:func:`monitor` does this for every project of a district-year at the end of a month *m*, from
the monthly cumulative payments (月度执行) and the indicators' values to date; with
``department=`` for the projects of one department (units monitor their own projects and the
department sums them up, the finance bureau monitors the district), the forecast model still
pooling every project of the district.

Progress to date of the indicators (``MonitoringResult.progress_source``, see
:data:`PROGRESS_SOURCES`):

- ``indicator_progress`` — when the workbook's indicator_progress sheet (指标监控, the
  monitoring table's 1–N月执行情况 / 全年预计完成情况 / 完成目标可能性 / 偏差原因 / 完善措施) has rows
  for the year: each indicator's latest snapshot with month ≤ *m*. An indicator without one has
  no attainment (stated per project: flag ``no_progress_snapshot``);
- ``actual_value`` — otherwise: the indicators sheet's 实际完成值, read as progress to date. It
  is often the year-end value, which makes the gap check meaningless before December; the
  report says which source was used.

Definitions (every threshold comes from the rule profile's ``monitoring`` section):

- execution progress ``E_m`` = cumulative payments to the end of month *m* / annual budget
  (``monitoring.budget_base``: the adjusted 全年预算数, summed over fund sources);
- time progress ``T_m = m/12`` (``time_progress: month``) or the share of the year's days
  elapsed at the month's end (``day``);
- progress ratio ``R = E_m / T_m`` and its light (``monitoring.light``): red when
  ``R < red_below``, yellow when ``R < yellow_below``, green otherwise;
- checkpoints (``monitoring.checkpoints``, e.g. Sichuan 2025: 25% at end-April, 40% end-June,
  60% end-August, 80% end-October): a checkpoint *k ≤ m* is missed when ``E_k`` is below it;
- target-vs-budget gap: ``gap_pp = 100 × (mean attainment − E_m)``, where an indicator's
  attainment is its progress to date against the annual target (the ≥/≤/= score fractions of
  domain.md §4.2 without weights, capped at ``attainment_cap``) and the mean runs over the
  indicators of ``gap_indicators`` (:data:`GAP_INDICATORS`; default ``cumulative``: the ≥
  indicators that accumulate during the year — counts, lengths, amounts — and not rates (%, ‰,
  per-unit values), ceilings (≤), equalities (=), deadlines or qualitative indicators, whose
  value to date says nothing about the share of the year's work done); flagged when
  ``|gap_pp| > target_vs_budget_gap_pp`` (``gap_mode``);
- each indicator's likelihood of attaining its target (完成目标可能性): the unit's own
  judgement when it states one, else from its expected full-year value (全年预计完成值): 确定能
  when that meets the target, 不可能 when it falls short; a stated judgement that contradicts
  the expected value is flagged. 有可能 and 不可能 require a deviation analysis and corrective
  measures (domain.md §6): the reasons (偏差原因) and measures (完善措施) reported with the
  snapshots go into the deviation analysis, and missing ones are flagged;
- a year-end forecast of execution with a prediction interval (see :func:`monitor`, Notes), the
  likelihood of attainment (完成目标可能性) and a recommended handling (处理建议).

Comparisons at a threshold use a tolerance of 1e-9 so that a ratio that is exactly on a boundary
by hand (0.60) but one unit in the last place below it after floating-point division falls in
the upper band, as the rule reads.
"""
from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit, logit

from .._format import flag
from .._results import Result, jsonable
from ..errors import Collector, InputError, RuleError
from ..model.frames import norm_ids
from ..model.workbook import ROW, SHEET, Workbook, excel_row
from ..rules import Profile, load_profile
from ._scope import department_scope, scope_lines

__all__ = ["monitor", "time_progress", "traffic_light", "indicator_attainment",
           "MonitoringResult", "ProjectMonitoring", "LIGHTS", "LIKELIHOODS", "HANDLING",
           "DEVIATION_REASONS", "FORECAST_METHODS", "PROJECT_COLUMNS", "DASHBOARD_COLUMNS",
           "FLAG_MESSAGES", "PROGRESS_SOURCES", "GAP_INDICATORS", "INDICATOR_COLUMNS"]

_EPS = 1e-9

#: light code → (Chinese, English) label
LIGHTS = {"red": ("红灯", "red"), "yellow": ("黄灯", "yellow"), "green": ("绿灯", "green")}
#: 完成目标可能性 (likelihood of attaining the target) → English [V-by-example: K]
LIKELIHOODS = {"确定能": "certain", "有可能": "possible", "不可能": "unlikely"}
#: recommended handling (处理建议) → English; 34号 / 黔江 §九: 调整预算、暂缓或停止预算拨款
HANDLING = {"继续执行": "continue", "调剂": "reallocate", "暂缓或停止拨款": "suspend or stop funding"}
#: deviation-reason categories (偏差原因) the monitoring table offers [S: K code]; the profile's
#: ``monitoring.deviation_reasons`` is the list in force, this dict gives the English labels
DEVIATION_REASONS = {"经费保障": "funding", "制度保障": "rules and procedures",
                     "人员保障": "staffing", "硬件条件保障": "equipment and facilities",
                     "其他": "other"}
#: where the indicators' progress to date comes from (MonitoringResult.progress_source)
PROGRESS_SOURCES = {
    "indicator_progress": ("“指标监控”表中各指标截至本月最近一次填报的累计完成值",
                           "each indicator's latest snapshot up to the month in the "
                           "indicator_progress sheet (指标监控)"),
    "actual_value": ("“绩效指标”表的实际完成值（工作簿无本年度指标监控数据；该值常为年末值，目标与预算进度"
                     "比较仅供参考）", "the indicators sheet's actual value (no indicator_progress "
                     "rows for the year; often a year-end value, so the gap check is indicative "
                     "only)"),
}
#: which indicators enter the mean attainment of the gap check (monitoring.gap_indicators)
GAP_INDICATORS = {
    "cumulative": "quantitative ≥ indicators that accumulate during the year: not rates (%, ‰, "
                  "per-unit values), ceilings (≤), equalities (=) or deadlines",
    "quantitative": "every quantitative indicator except deadlines",
}
#: the columns of MonitoringResult.indicators added by monitor (besides the indicator's own)
INDICATOR_COLUMNS = {
    "progress_month": "month of the snapshot used (indicator_progress source; NaN: none ≤ m)",
    "progress_value": "progress to date used for the attainment",
    "attainment": "progress to date / annual target (fraction, capped; NaN: not assessed)",
    "in_gap": "the indicator enters the project's mean attainment (gap_indicators)",
    "light": "red / yellow / green: attainment / time progress by monitoring.light; "
             "qualitative: the rating (actual_value source) or the likelihood",
    "expected_value": "expected full-year value (全年预计完成值)",
    "expected_attainment": "expected full-year value / annual target (fraction, capped at 1)",
    "stated_likelihood": "完成目标可能性 as the unit stated it",
    "likelihood": "完成目标可能性: stated, else 确定能 / 不可能 from the expected value",
    "likelihood_inconsistent": "the stated likelihood contradicts the expected value",
    "deviation_category": "偏差原因 (category) reported with the snapshot",
    "deviation_analysis": "偏差原因分析 reported with the snapshot",
    "measures": "完善措施 reported with the snapshot",
}
_LIKELIHOOD_RANK = {"确定能": 0, "有可能": 1, "不可能": 2}
#: a likelihood read as a rating for a qualitative indicator's light (rating_light)
_LIKELIHOOD_RATING = {"确定能": "达成", "有可能": "部分达成", "不可能": "未达成"}

#: forecast methods (see monitor, Notes)
FORECAST_METHODS = {
    "pooled": "pooled log-odds regression of the final share on the share at month m, fitted on "
              "earlier years of every project of the workbook (statsmodels OLS)",
    "drift": "random walk with drift on the project's own monthly payments (OLS on the monthly "
             "increments); its point forecast is the run-rate",
    "run_rate": "naive run-rate E_m × 12/m, no interval (too few months and no history)",
    "actual": "month 12: the year is over, the forecast is the actual execution",
}

#: the fixed columns of MonitoringResult.to_frame(): name → meaning
PROJECT_COLUMNS = {
    "project_id": "项目编码 project code",
    "name": "项目名称",
    "department": "主管部门",
    "budget": "annual budget (万元) that execution is measured against (monitoring.budget_base)",
    "executed_to_date": "cumulative payments to the end of month m (万元)",
    "execution_rate": "E_m = executed_to_date / budget (fraction)",
    "time_progress": "T_m = m/12, or the share of the year's days (fraction)",
    "progress_ratio": "R = E_m / T_m",
    "light": "red / yellow / green by monitoring.light",
    "checkpoint_month": "latest profile checkpoint month ≤ m (NaN when none)",
    "checkpoint_threshold": "its cumulative execution threshold (fraction)",
    "checkpoint_missed": "E at that checkpoint below its threshold",
    "checkpoints_missed": "every checkpoint month ≤ m that was missed, ';'-joined",
    "attainment": "mean attainment to date of the indicators of monitoring.gap_indicators "
                  "(fraction, capped)",
    "n_quantitative": "number of indicators in that mean",
    "progress_month": "latest snapshot month ≤ m among the project's indicators (NaN: none, "
                      "or the actual_value source)",
    "n_no_progress": "indicators of the gap mean without a snapshot ≤ m (indicator_progress "
                     "source)",
    "gap_pp": "100 × (attainment − execution_rate), percentage points",
    "gap_flag": "gap beyond monitoring.target_vs_budget_gap_pp (monitoring.gap_mode)",
    "forecast_method": "pooled / drift / run_rate / actual (FORECAST_METHODS)",
    "forecast": "forecast year-end execution rate (fraction)",
    "forecast_lower": "lower bound of the prediction interval (NaN when none)",
    "forecast_upper": "upper bound of the prediction interval (NaN when none)",
    "run_rate_forecast": "naive run-rate E_m × 12/m (not capped)",
    "forecast_unspent": "budget × max(0, 1 − forecast): expected unspent at year-end (万元)",
    "likelihood": "完成目标可能性 of the budget: 确定能 / 有可能 / 不可能 (execution forecast)",
    "target_likelihood": "完成目标可能性 of the targets: the worst of the indicators' "
                         "(None: none assessed)",
    "n_at_risk": "indicators whose likelihood is 有可能 or 不可能",
    "handling": "处理建议: 继续执行 / 调剂 / 暂缓或停止拨款",
    "flag_codes": "';'-joined flag codes (FLAG_MESSAGES)",
}

#: the columns of MonitoringResult.dashboard()
DASHBOARD_COLUMNS = {
    "n_projects": "projects", "n_red": "red lights", "n_yellow": "yellow lights",
    "n_green": "green lights", "budget": "Σ budget (万元)",
    "executed_to_date": "Σ cumulative payments (万元)",
    "execution_rate": "Σ executed / Σ budget", "budget_red": "Σ budget of red-light projects "
    "(money at risk, 万元)", "forecast_unspent": "Σ expected unspent at year-end (万元)",
    "n_checkpoint_missed": "latest checkpoint missed", "n_gap": "gap flags",
    "n_reallocate": "handling 调剂", "n_suspend": "handling 暂缓或停止拨款",
}

FLAG_MESSAGES = {
    "no_monthly_data": ("无{month}月及以前的月度执行数据，累计支出按0计",
                        "No monthly payments reported up to month {month}: taken as 0"),
    "month_not_reported": ("未报{month}月累计支出数，沿用{last}月数据",
                           "Month {month} not reported: month {last} carried forward"),
    "cumulative_decreases": ("累计支出数在{months}月出现下降（可能有退款或填报错误）",
                             "Cumulative payments decrease in month(s) {months} (refunds or "
                             "a reporting error)"),
    "execution_above_budget": ("累计支出超过全年预算数", "Cumulative payments exceed the budget"),
    "checkpoint_missed": ("未达到节点要求：{detail}", "Checkpoint(s) missed: {detail_en}"),
    "gap": ("目标完成进度 {attainment} 与预算执行进度 {execution} 相差 {gap} 个百分点，超过 {thr}",
            "Target attainment {attainment} and budget execution {execution} differ by {gap} pp "
            "(more than {thr})"),
    "no_quantitative_indicators": ("无可计算进度的定量指标，未做目标与预算进度比较",
                                   "No quantitative indicator with progress: no gap check"),
    "no_progress_snapshot": ("{n} 个指标无{month}月及以前的监控数据（指标监控），未计入目标完成进度",
                             "{n} indicator(s) without a snapshot up to month {month} "
                             "(indicator_progress): left out of the attainment"),
    "indicators_at_risk": ("{n} 个指标完成目标可能性为“有可能”或“不可能”：{names}",
                           "{n} indicator(s) 'possible' or 'unlikely' to attain the target: "
                           "{names}"),
    "deviation_reason_missing": ("未填写偏差原因或完善措施：{names}",
                                 "No deviation reason or corrective measure given: {names}"),
    "likelihood_inconsistent": ("完成目标可能性与全年预计完成值不符：{names}",
                                "The stated likelihood contradicts the expected full-year "
                                "value: {names}"),
    "forecast_without_interval": ("月份过少且无往年数据，仅作简单外推，无预测区间",
                                  "Too few months and no history: run-rate only, no interval"),
    "deviation_analysis_required": ("完成目标可能性为“{likelihood}”，需分析偏差原因并提出纠偏措施",
                                    "Likelihood '{likelihood_en}': a deviation analysis and "
                                    "corrective measures are required"),
}


def _flag(code: str, **kw) -> dict:
    return flag(FLAG_MESSAGES, code, **kw)


# --------------------------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------------------------

def time_progress(year: int, month: int, *, basis: str = "month") -> float:
    """Time progress at the end of a month (时间进度).

    Parameters
    ----------
    year, month : int
    basis : {"month", "day"}
        ``month``: ``m/12``; ``day``: days elapsed at the end of the month / days in the year.

    Examples
    --------
    >>> time_progress(2024, 6)
    0.5
    >>> round(time_progress(2024, 2, basis="day"), 6)   # 60 / 366
    0.163934
    """
    month = _check_month(month)
    if basis == "month":
        return month / 12
    if basis != "day":
        raise InputError("must be 'month' or 'day'", argument="basis", value=basis)
    end = _dt.date(int(year), month, calendar.monthrange(int(year), month)[1])
    return end.timetuple().tm_yday / (366 if calendar.isleap(int(year)) else 365)


def traffic_light(ratio, *, red_below: float, yellow_below: float) -> np.ndarray:
    """Light of each progress ratio: red ``< red_below``, yellow ``< yellow_below``, else green.

    A ratio within 1e-9 below a boundary counts as on it (upper band). NaN gives None.
    """
    r = np.asarray(ratio, dtype=float)
    out = np.select([r < red_below - _EPS, r < yellow_below - _EPS], ["red", "yellow"],
                    "green").astype(object)
    out[np.isnan(r)] = None
    return out


def indicator_attainment(ind: pd.DataFrame, *, cap: float = 1.0) -> pd.Series:
    """Attainment to date of each quantitative indicator (fraction of its annual target).

    ≥ (and = with a non-zero target): ``a/t`` (t > 0), else 1 if ``a ≥ t``; ≤: 1 if ``a ≤ t``
    else ``t/a``; = with t = 0: 1 if ``a ≤ 0`` else 0. Floored at 0 and capped at ``cap``.
    Qualitative, not-applicable, deadline rows (``deadline`` or ``target_deadline`` given) and
    rows without numbers give NaN. ``a`` is ``actual_value``.
    """
    idx = ind.index
    col = lambda c, d=np.nan: ind[c] if c in ind else pd.Series(d, index=idx)  # noqa: E731
    t = pd.to_numeric(col("target_value"), errors="coerce").astype(float).to_numpy()
    a = pd.to_numeric(col("actual_value"), errors="coerce").astype(float).to_numpy()
    direction = col("direction", None).astype(object)
    kind = col("kind", None).astype(object)
    na = col("not_applicable", False).fillna(False).astype(bool).to_numpy()
    deadline = np.zeros(len(ind), bool)
    for c in ("deadline", "target_deadline"):
        if c in ind:
            deadline |= (ind[c].notna() & (ind[c].astype(str) != "")).to_numpy()
    qual = ((direction == "定性") | (kind == "定性")).to_numpy()
    rev = (direction == "≤").to_numpy()
    eq0 = ((direction == "=").to_numpy()) & (t == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(t > 0, a / t, np.where(a >= t, 1.0, 0.0))
        rv = np.where(a <= t, 1.0, np.where((t > 0) & (a > 0), t / a, 0.0))
        att = np.select([eq0, rev], [np.where(a <= 0, 1.0, 0.0), rv], pos)
    att = np.clip(att, 0.0, float(cap))
    att[qual | na | deadline | np.isnan(a) | np.isnan(t)] = np.nan
    return pd.Series(att, index=idx, name="attainment")


def _check_month(month) -> int:
    try:
        ok = float(month) == int(month) and 1 <= int(month) <= 12
    except (TypeError, ValueError):
        ok = False
    if not ok or isinstance(month, bool):
        raise InputError("must be a whole month number from 1 to 12", argument="month",
                         value=month)
    return int(month)


def _cumulative_grid(monthly: pd.DataFrame, upto: int, source: str | None
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(project_id, year) × months 1..upto of cumulative payments, forward-filled and 0 before
    the first report; plus the frame of which cells were reported."""
    m = monthly[monthly["month"] <= upto]
    key = ["project_id", "year", "month"]
    dup = m.duplicated(key, keep=False)
    if dup.any():
        problems = Collector()
        for _, r in m[dup].iterrows():
            problems.add(f"project {r['project_id']} has more than one row for {int(r['year'])}"
                         f"-{int(r['month']):02d} in the monthly sheet (月度执行)", file=source,
                         sheet=r.get(SHEET), row=excel_row(r), column="月份", value=int(r["month"]))
        problems.raise_if_any()
    months = list(range(1, upto + 1))
    if m.empty:
        idx = pd.MultiIndex.from_arrays([[], []], names=["project_id", "year"])
        empty = pd.DataFrame(index=idx, columns=months, dtype=float)
        return empty, empty.astype(bool)
    wide = m.pivot(index=["project_id", "year"], columns="month",
                   values="cumulative_executed").reindex(columns=months).astype(float)
    reported = wide.notna()
    return wide.ffill(axis=1).fillna(0.0), reported


def _budget_totals(budget: pd.DataFrame, base_col: str) -> pd.DataFrame:
    b = budget.assign(**{c: pd.to_numeric(budget[c], errors="coerce")
                         for c in ("initial", "adjusted", "executed") if c in budget})
    g = b.groupby(["project_id", "year"])
    out = g[["initial", "adjusted"]].sum(min_count=1)
    out["executed"] = g["executed"].sum(min_count=1)
    out["base"] = out[base_col]
    return out


_IND_KEY = ["project_id", "level1", "level2", "level3"]
#: snapshot column → name in MonitoringResult.indicators
_SNAP_COLUMNS = {"month": "progress_month", "progress_value": "progress_value",
                 "progress_text": "progress_text", "expected_value": "expected_value",
                 "expected_text": "expected_text", "likelihood": "stated_likelihood",
                 "deviation_reason": "deviation_category",
                 "deviation_analysis": "deviation_analysis", "measures": "measures"}


def _snapshots(workbook: Workbook, year: int, month: int, source: str | None
               ) -> tuple[pd.DataFrame | None, tuple[int, ...]]:
    """Each indicator's latest snapshot with month ≤ ``month`` from the indicator_progress
    table, and the months the table reports for the year; (None, ()) when it has no row for the
    year. Workbooks built in memory, without the reader's ``progress_value`` /
    ``expected_value``, have ``progress``/``expected`` read as plain numbers (``96%`` → 96,
    ``1200人次`` → 1200; text without a number → NaN)."""
    from ..io.values import parse_number
    tab = workbook.tables.get("indicator_progress")
    if tab is None or tab.empty:
        return None, ()
    pr = norm_ids(tab)
    pr = pr[pr["year"] == year].copy()
    if pr.empty:
        return None, ()
    pr["month"] = pd.to_numeric(pr["month"], errors="coerce")
    months = tuple(sorted(int(m) for m in pr["month"].dropna().unique()))
    for c in ("progress", "expected"):
        if f"{c}_value" not in pr:
            pr[f"{c}_value"] = parse_number(pr[c])[0].to_numpy() if c in pr else np.nan
        if f"{c}_text" not in pr:
            pr[f"{c}_text"] = pr[c] if c in pr else None
    for c in ("likelihood", "deviation_reason", "deviation_analysis", "measures"):
        if c not in pr:
            pr[c] = None
    dup = pr.duplicated([*_IND_KEY, "month"], keep=False) & pr["month"].notna()
    if dup.any():
        problems = Collector()
        for _, r in pr[dup].iterrows():
            problems.add(f"indicator {r['level3']} of project {r['project_id']} has more than "
                         f"one row for {year}-{int(r['month']):02d} in the indicator_progress "
                         "sheet (指标监控)", file=source, sheet=r.get(SHEET), row=excel_row(r),
                         column="月份", value=int(r["month"]))
        problems.raise_if_any()
    pr = pr[pr["month"] <= month].sort_values("month", kind="stable")
    pr = pr.drop_duplicates(_IND_KEY, keep="last")
    return pr[[*_IND_KEY, *_SNAP_COLUMNS]].rename(columns=_SNAP_COLUMNS), months


def _gap_eligible(ind: pd.DataFrame, mode: str) -> np.ndarray:
    """Indicators that enter the gap's mean attainment (see GAP_INDICATORS)."""
    col = lambda c: ind[c] if c in ind else pd.Series(None, index=ind.index)  # noqa: E731
    direction, kind = col("direction").astype(object), col("kind").astype(object)
    quant = ~((direction == "定性") | (kind == "定性")).to_numpy()
    if "not_applicable" in ind:
        quant &= ~ind["not_applicable"].fillna(False).astype(bool).to_numpy()
    for c in ("deadline", "target_deadline"):
        if c in ind:
            quant &= ~(ind[c].notna() & (ind[c].astype(str) != "")).to_numpy()
    if mode == "quantitative":
        return quant
    unit = col("unit").astype(object).where(col("unit").notna(), "").astype(str)
    ratio = unit.isin(["%", "‰"]).to_numpy() | unit.str.contains("/", regex=False).to_numpy()
    return quant & ~direction.isin(["≤", "="]).to_numpy() & ~ratio


def _names(s: pd.Series, limit: int = 5) -> str:
    items = [str(x) for x in s]
    return "、".join(items[:limit]) + (f" 等 {len(items)} 个" if len(items) > limit else "")


# --------------------------------------------------------------------------------------------
# forecasts
# --------------------------------------------------------------------------------------------

def _pooled_fit(x: np.ndarray, y: np.ndarray, clip: float):
    import statsmodels.api as sm  # local: statsmodels is heavy to import
    zx = logit(np.clip(x, clip, 1 - clip))
    zy = logit(np.clip(y, clip, 1 - clip))
    X = sm.add_constant(zx, has_constant="add")
    return sm.OLS(zy, X).fit()


def _pooled_forecast(res, e_m: np.ndarray, level: float, clip: float) -> tuple[np.ndarray, ...]:
    import statsmodels.api as sm
    X = sm.add_constant(logit(np.clip(e_m, clip, 1 - clip)), has_constant="add")
    sf = res.get_prediction(X).summary_frame(alpha=1 - level)
    hi_edge, lo_edge = logit(1 - clip), logit(clip)

    def back(z):
        z = np.asarray(z, dtype=float)
        s = expit(z)
        # a share clipped to the edge stands for "at the edge": map it back to 0 or 1
        return np.where(z >= hi_edge - _EPS, 1.0, np.where(z <= lo_edge + _EPS, 0.0, s))

    return (back(sf["mean"]), back(sf["obs_ci_lower"]), back(sf["obs_ci_upper"]))


def _drift_forecast(shares: np.ndarray, level: float) -> tuple[np.ndarray, ...]:
    """Random walk with drift on the cumulative share, vectorised over projects.

    Increments d_1..d_m (d_1 = E_1) are i.i.d. with mean μ; μ̂ = E_m/m, s² their sample
    variance. The sum of the h = 12 − m future increments has variance h·s² + h²·s²/m (noise
    plus the uncertainty of μ̂), with Student t quantiles on m − 1 degrees of freedom.
    """
    n, m = shares.shape
    d = np.diff(np.concatenate([np.zeros((n, 1)), shares], axis=1), axis=1)
    mu = shares[:, -1] / m
    s2 = ((d - mu[:, None]) ** 2).sum(axis=1) / (m - 1)
    h = 12 - m
    point = shares[:, -1] + h * mu
    se = np.sqrt(s2 * (h + h * h / m))
    q = stats.t.ppf(0.5 + level / 2, m - 1)
    return point, point - q * se, point + q * se


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ProjectMonitoring(Result):
    """Monitoring of one project at the end of a month: what its monitoring table states."""

    title = "项目绩效运行监控 Project performance monitoring"

    subject_id: str
    year: int
    month: int
    info: dict
    profile: dict
    budget: dict
    execution: dict
    checkpoints: list
    attainment: dict
    forecast: dict
    likelihood: str
    handling: str
    series: pd.DataFrame
    indicators: pd.DataFrame
    flags: list
    deviation_reasons: dict

    def _summary_lines(self) -> list[str]:
        e, f = self.execution, self.forecast
        return [f"project: {self.subject_id} {self.info.get('name', '')}",
                f"year/month: {self.year}-{self.month:02d}",
                f"profile: {self.profile['id']} {self.profile['version']}",
                f"execution: {e['rate']:.4g} of {self.budget['base']:g}; "
                f"time {e['time_progress']:.4g}"
                f"; ratio {e['ratio']:.4g} → {e['light']}",
                f"forecast ({f['method']}): {f['point']:.4g}"
                + ("" if f["lower"] is None else f" [{f['lower']:.4g}, {f['upper']:.4g}]")
                + f"; run-rate {f['run_rate']:.4g}",
                f"likelihood: {self.likelihood}; handling: {self.handling}",
                *[f"flag: {x['message']}" for x in self.flags]]

    def to_frame(self) -> pd.DataFrame:
        return self.indicators.copy()

    def to_dict(self) -> dict:
        return {"subject_id": self.subject_id, "subject_type": "project",
                "year": int(self.year), "month": int(self.month),
                **{k: jsonable(v) for k, v in self.info.items()},
                "profile": dict(self.profile), "budget": jsonable(self.budget),
                "execution": jsonable(self.execution), "checkpoints": jsonable(self.checkpoints),
                "attainment": jsonable(self.attainment), "forecast": jsonable(self.forecast),
                "likelihood": self.likelihood, "likelihood_en": LIKELIHOODS[self.likelihood],
                "handling": self.handling, "handling_en": HANDLING[self.handling],
                "series": jsonable(self.series.reset_index(drop=True)),
                "indicators": jsonable(self.indicators.reset_index(drop=True)),
                "flags": jsonable(self.flags),
                "deviation_reasons": jsonable(self.deviation_reasons)}


@dataclass(frozen=True, eq=False)
class MonitoringResult(Result):
    """Dual monitoring (双监控) of a district's projects at the end of a month.

    Attributes
    ----------
    profile : dict — id, version and hash of the rule profile.
    year, month : int
    time_progress : float — T_m.
    projects : DataFrame — one row per project, every column of PROJECT_COLUMNS plus
        information columns and ``flags`` (list of dicts).
    series : DataFrame — long monthly series: project_id, month, cumulative_executed,
        execution_rate, time_progress, reported.
    indicators : DataFrame — each indicator's progress: attainment and light, and the
        snapshot's expected value, likelihood, deviation reason and measures
        (:data:`INDICATOR_COLUMNS`).
    forecast_model : dict — the forecast method, its formula, fit statistics and data used.
    deviation_reasons : tuple — the categories (偏差原因) the report offers.
    progress_source : str — ``indicator_progress`` or ``actual_value`` (:data:`PROGRESS_SOURCES`).
    progress_months : tuple — the months the indicator_progress sheet reports for the year.
    gap_indicators : str — the indicators of the gap mean (:data:`GAP_INDICATORS`).
    department : dict or None — ``{"department_id", "department"}`` when the monitoring was
        restricted to one department (``monitor(department=...)``); ``None``: the district.
    """

    title = "绩效运行监控（双监控） Dual performance monitoring"

    profile: dict
    year: int
    month: int
    time_progress: float
    projects: pd.DataFrame
    series: pd.DataFrame
    indicators: pd.DataFrame
    forecast_model: dict
    deviation_reasons: tuple
    progress_source: str = "actual_value"
    progress_months: tuple = ()
    gap_indicators: str = "cumulative"
    department: dict | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per project with the fixed columns of :data:`PROJECT_COLUMNS`."""
        return self.projects.reindex(columns=list(PROJECT_COLUMNS)).reset_index(drop=True)

    def _summary_lines(self) -> list[str]:
        c = self.projects["light"].value_counts()
        return [f"year/month: {self.year}-{self.month:02d}",
                f"profile: {self.profile['id']} {self.profile['version']}",
                f"time progress: {self.time_progress:.4g}",
                *scope_lines(self.department),
                f"projects: {len(self.projects)}",
                "lights: " + ", ".join(f"{k} {int(c.get(k, 0))}" for k in LIGHTS),
                f"forecast: {self.forecast_model['method']}",
                f"progress: {self.progress_source}"
                + (f" (months {', '.join(map(str, self.progress_months))})"
                   if self.progress_months else "")]

    def dashboard(self, by: str | None = "department") -> pd.DataFrame:
        """District dashboard (监控看板): counts by light and money at risk, per group.

        Parameters
        ----------
        by : {"department", "sector", "budget_type", "light", "handling", None}
            The grouping column; ``None`` gives the district total only. A last row
            ``合计`` holds the district total.

        Returns
        -------
        DataFrame
            ``by`` plus the columns of :data:`DASHBOARD_COLUMNS`.
        """
        allowed = ("department", "sector", "budget_type", "light", "handling")
        if by is not None and by not in allowed:
            raise InputError(f"must be one of {', '.join(allowed)} or None", argument="by",
                             value=by)
        p = self.projects.assign(
            _red=self.projects["light"].eq("red"), _yellow=self.projects["light"].eq("yellow"),
            _green=self.projects["light"].eq("green"),
            _budget_red=self.projects["budget"].where(self.projects["light"].eq("red"), 0.0),
            _cp=self.projects["checkpoint_missed"].fillna(False).astype(bool),
            _gap=self.projects["gap_flag"].fillna(False).astype(bool),
            _re=self.projects["handling"].eq("调剂"),
            _su=self.projects["handling"].eq("暂缓或停止拨款"))
        spec = dict(n_projects=("project_id", "size"), n_red=("_red", "sum"),
                    n_yellow=("_yellow", "sum"), n_green=("_green", "sum"),
                    budget=("budget", "sum"), executed_to_date=("executed_to_date", "sum"),
                    budget_red=("_budget_red", "sum"),
                    forecast_unspent=("forecast_unspent", "sum"),
                    n_checkpoint_missed=("_cp", "sum"), n_gap=("_gap", "sum"),
                    n_reallocate=("_re", "sum"), n_suspend=("_su", "sum"))
        total = p.assign(_all="合计").groupby("_all").agg(**spec)
        col = by or "group"
        total.index.name = col
        if by is not None:
            groups = p.assign(**{by: p[by].fillna("（未填）")}).groupby(by, sort=True).agg(**spec)
            out = pd.concat([groups, total])
        else:
            out = total
        out["execution_rate"] = out["executed_to_date"] / out["budget"]
        cols = ["n_projects", "n_red", "n_yellow", "n_green", "budget", "executed_to_date",
                "execution_rate", "budget_red", "forecast_unspent", "n_checkpoint_missed",
                "n_gap", "n_reallocate", "n_suspend"]
        out = out[cols].reset_index().rename(columns={"index": col})
        for c in cols:
            if c.startswith("n_"):
                out[c] = out[c].astype(int)
        return out

    def project(self, project_id: str) -> ProjectMonitoring:
        pid = str(project_id)
        p = self.projects[self.projects["project_id"] == pid]
        if p.empty:
            raise InputError(f"no project {pid!r} in the monitoring of {self.year}",
                             argument="project_id", value=pid)
        p = p.iloc[0]
        info_cols = ["name", "department", "department_id", "implementing_unit", "budget_type",
                     "sector", "objective"]
        info = {c: (None if pd.isna(p.get(c)) else p.get(c)) for c in info_cols if c in p.index}
        series = self.series[self.series["project_id"] == pid].drop(columns=["project_id"])
        ind = self.indicators[self.indicators["project_id"] == pid].drop(
            columns=["project_id", "year", ROW], errors="ignore").reset_index(drop=True)
        dev = ind[ind["likelihood"].isin(["有可能", "不可能"])
                  | ind["deviation_category"].notna()] if len(ind) else ind
        uniq = lambda c: list(dict.fromkeys(  # noqa: E731
            str(x) for x in dev[c].dropna())) if c in dev else []
        num = lambda v: None if v is None or pd.isna(v) else float(v)  # noqa: E731
        cps = [dict(c) for c in p["checkpoints"]]
        return ProjectMonitoring(
            subject_id=pid, year=int(self.year), month=int(self.month), info=info,
            profile=dict(self.profile),
            budget={"base": float(p["budget"]), "basis": p["budget_basis"],
                    "initial": num(p["initial"]), "adjusted": num(p["adjusted"])},
            execution={"executed_to_date": float(p["executed_to_date"]),
                       "rate": float(p["execution_rate"]),
                       "time_progress": float(p["time_progress"]),
                       "ratio": float(p["progress_ratio"]), "light": p["light"],
                       "light_label": LIGHTS[p["light"]][0]},
            checkpoints=cps,
            attainment={"mean": num(p["attainment"]), "n_quantitative": int(p["n_quantitative"]),
                        "gap_pp": num(p["gap_pp"]), "gap_flag": bool(p["gap_flag"]),
                        "threshold_pp": float(p["gap_threshold_pp"]),
                        "source": self.progress_source,
                        "progress_month": num(p["progress_month"]),
                        "n_no_progress": int(p["n_no_progress"]),
                        "gap_indicators": self.gap_indicators,
                        "target_likelihood": p["target_likelihood"],
                        "n_at_risk": int(p["n_at_risk"])},
            forecast={"method": p["forecast_method"],
                      "method_note": FORECAST_METHODS[p["forecast_method"]],
                      "point": float(p["forecast"]), "lower": num(p["forecast_lower"]),
                      "upper": num(p["forecast_upper"]),
                      "level": float(self.forecast_model["level"]),
                      "run_rate": float(p["run_rate_forecast"]),
                      "unspent": float(p["forecast_unspent"])},
            likelihood=p["likelihood"], handling=p["handling"],
            series=series.reset_index(drop=True), indicators=ind, flags=list(p["flags"]),
            deviation_reasons={"categories": list(self.deviation_reasons),
                               "categories_en": [DEVIATION_REASONS.get(c, c)
                                                 for c in self.deviation_reasons],
                               "selected": [c for c in self.deviation_reasons
                                            if c in set(uniq("deviation_category"))],
                               "analysis": "；".join(uniq("deviation_analysis")) or None,
                               "measures": "；".join(uniq("measures")) or None})

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "year": int(self.year), "month": int(self.month),
                "time_progress": float(self.time_progress),
                "forecast_model": jsonable(self.forecast_model),
                "deviation_reasons": list(self.deviation_reasons),
                "progress_source": self.progress_source,
                "progress_months": [int(m) for m in self.progress_months],
                "gap_indicators": self.gap_indicators,
                "department": jsonable(self.department),
                "projects": jsonable(self.to_frame()),
                "dashboard": jsonable(self.dashboard("department"))}


# --------------------------------------------------------------------------------------------
# the stage
# --------------------------------------------------------------------------------------------

def monitor(workbook: Workbook, profile: Profile | str = "national", *, year: int | None = None,
            month: int, project_ids: Iterable[str] | None = None,
            department: str | None = None, forecast: str | None = None) -> MonitoringResult:
    """Dual monitoring (双监控) of every project of a year at the end of month ``month``.

    Parameters
    ----------
    workbook : Workbook
        Needs ``projects``, ``budget``, ``monthly`` (cumulative payments) and ``indicators``;
        the indicators' progress to date comes from ``indicator_progress`` (指标监控) when it
        has rows for the year, else from the indicators' ``actual_value``
        (``MonitoringResult.progress_source``). Earlier years of the same workbook feed the
        forecast model.
    profile : Profile or profile id
    year : int, optional
        Defaults to the latest year of the workbook.
    month : int
        End of which month (1–12). Monthly rows after it are ignored.
    project_ids : iterable of str, optional
        Restrict the output to these projects (the forecast model still uses every project).
    department : str, optional
        Restrict the output to the projects of this department of ``year`` (its
        ``department_id``, else its name; domain.md §6: units monitor their projects and the
        department sums them up). Like ``project_ids`` (and combined with it), only the output
        is restricted: the pooled forecast model is still fitted on every project of the
        workbook, so a project's forecast is the same in its department's monitoring as in
        the district's. The result records the department in ``.department``.
    forecast : {"auto", "pooled", "drift", "run_rate"}, optional
        Overrides ``monitoring.forecast.method``.

    Returns
    -------
    MonitoringResult
        ``.to_frame()`` one row per project (:data:`PROJECT_COLUMNS`), ``.project(id)``,
        ``.dashboard(by=...)``.

    Raises
    ------
    InputError
        Bad month or year; a department with no project in the year (the message names the
        projects table and lists its departments); a project without a positive budget;
        duplicated monthly rows or indicator_progress rows (same indicator and month); no
        monthly data at all for the year.

    Notes
    -----
    **Forecast of year-end execution.** ``auto`` chooses, in this order:

    1. ``pooled`` when earlier years of the workbook give at least ``forecast.min_history``
       project-years with monthly payments and a final execution rate. For each such
       project-year, x = its share executed at month *m*, y = its final share (全年执行数 /
       budget). Shares are clipped to [c, 1 − c] (``forecast.clip``) and the model
       ``logit(y) = α + β·logit(x) + ε``, ε ~ N(0, σ²), is fitted by OLS (statsmodels). The
       prediction interval at level ``forecast.level`` (parameter and noise uncertainty) is
       mapped back by the logistic function, which is monotone so the interval maps exactly;
       a bound at a clip edge is read as 0 or 1. Pooling over projects uses the district's own
       seasonal payment pattern (the December rush) that a project's few months cannot show.
    2. ``drift`` when there is no such history and *m* ≥ ``forecast.min_own_months``: the
       cumulative share is a random walk with drift (ARIMA(0,1,0) with a constant, a
       state-space model) estimated on the project's own monthly increments. Its point
       forecast is the run-rate ``E_m·12/m``; the interval is
       ``± t_{m−1} · s·sqrt(h + h²/m)``, h = 12 − m (see ``_drift_forecast``).
    3. ``run_rate``: the point forecast ``E_m·12/m`` and no interval.

    At month 12 the forecast is the actual (``actual``). Every forecast and bound is floored at
    ``E_m`` (cumulative payments do not fall) and capped at ``max(1, E_m)``. The naive run-rate
    ``E_m × 12/m`` is always reported beside it, uncapped.

    **Likelihood** (完成目标可能性) against τ = ``likelihood_target``: 确定能 when ``E_m ≥ τ``
    or the interval's lower bound ≥ τ; 不可能 when the upper bound < τ; otherwise 有可能
    (also whenever there is no interval). 有可能 and 不可能 require a deviation analysis.

    **Handling** (处理建议):

    - 暂缓或停止拨款 when the light is red and the upper bound (the point forecast when there
      is no interval) is below ``suspend_below``;
    - 调剂 when the likelihood is 不可能, or when the light is red or the latest checkpoint was
      missed and the point forecast is below τ (a slow start that the forecast expects to be
      made up, e.g. by the usual December payments, is not reallocated);
    - 继续执行 otherwise.
    """
    prof = load_profile(profile)
    mon = prof.get("monitoring")
    src = workbook.source or None
    month = _check_month(month)
    year = int(year) if year is not None else workbook.latest_year()
    fc = mon["forecast"]
    method = forecast if forecast is not None else fc["method"]
    if method not in ("auto", "pooled", "drift", "run_rate"):
        raise InputError("must be 'auto', 'pooled', 'drift' or 'run_rate'",
                         argument="forecast", value=method)
    level = float(fc["level"])
    if not 0 < level < 1:
        raise RuleError(f"profile {prof.id!r}: monitoring.forecast.level must lie in (0, 1)")
    clip = float(fc["clip"])
    basis = mon["time_progress"]
    base_col = mon["budget_base"]
    if base_col not in ("adjusted", "initial"):
        raise RuleError(f"profile {prof.id!r}: monitoring.budget_base must be adjusted or initial")
    light_rule = mon["light"]
    red_below, yellow_below = float(light_rule["red_below"]), float(light_rule["yellow_below"])

    projects = norm_ids(workbook["projects"])
    projects = projects[projects["year"] == year]
    scope = None
    if department is not None:
        scope, keep = department_scope(projects, department, year=year, file=src)
        projects = projects[keep]
    if project_ids is not None:
        ids = {str(p) for p in project_ids}
        projects = projects[projects["project_id"].isin(ids)]
    if projects.empty:
        raise InputError(f"no projects for year {year}"
                         + (f" in department {scope['department_id'] or scope['department']}"
                            if scope else "")
                         + (" and the requested ids" if project_ids is not None else ""),
                         file=src, argument="year", value=year)
    projects = projects.sort_values("project_id", kind="stable").reset_index(drop=True)
    monthly = norm_ids(workbook["monthly"])
    monthly["month"] = pd.to_numeric(monthly["month"], errors="coerce")
    monthly["cumulative_executed"] = pd.to_numeric(monthly["cumulative_executed"],
                                                   errors="coerce")
    monthly = monthly[monthly["year"] <= year]
    if not (monthly["year"] == year).any():
        raise InputError(f"the monthly sheet (月度执行) has no rows for {year}: monitoring needs "
                         "the cumulative payments of each month", file=src, sheet="monthly")
    bud = _budget_totals(norm_ids(workbook["budget"]), base_col)

    # --- execution to date ------------------------------------------------------------------
    grid, reported = _cumulative_grid(monthly, month, src)
    key = pd.MultiIndex.from_arrays([projects["project_id"], projects["year"]])
    base = bud["base"].reindex(key).to_numpy(dtype=float)
    problems = Collector()
    for i in np.flatnonzero(~(base > 0)):
        r = projects.iloc[i]
        problems.add(f"project {r['project_id']} has no positive {base_col} budget for {year} in "
                     "the budget sheet (项目资金), so its execution progress cannot be computed",
                     file=src, sheet=r.get(SHEET), row=excel_row(r), column="项目编码",
                     value=r["project_id"])
    problems.raise_if_any()
    has_data = key.isin(grid.index)
    cum = grid.reindex(key).fillna(0.0).to_numpy(dtype=float)         # n × m, filled
    rep = reported.reindex(key).fillna(False).to_numpy(dtype=bool)
    shares = cum / base[:, None]
    executed = cum[:, -1]
    e_m = shares[:, -1]
    T = time_progress(year, month, basis=basis)
    if basis == "month":
        ratio = executed * 12 / (base * month)          # one rounding: exact on hand cases
    else:
        ratio = e_m / T
    light = traffic_light(ratio, red_below=red_below, yellow_below=yellow_below)

    # --- checkpoints --------------------------------------------------------------------------
    cps_rule = mon.get("checkpoints") or {}
    cps = sorted((int(k), float(v)) for k, v in cps_rule.items() if int(k) <= month)
    n = len(projects)
    cp_missed_each = {k: shares[:, k - 1] < thr - _EPS for k, thr in cps}
    if cps:
        last_k, last_thr = cps[-1]
        cp_month = np.full(n, float(last_k))
        cp_thr = np.full(n, last_thr)
        cp_missed = cp_missed_each[last_k]
    else:
        cp_month, cp_thr, cp_missed = np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, bool)
    cp_list = [";".join(str(k) for k, _ in cps if cp_missed_each[k][i]) for i in range(n)]

    # --- target attainment and the gap ---------------------------------------------------------
    ind = norm_ids(workbook["indicators"])
    ind = ind[(ind["year"] == year) & ind["project_id"].isin(projects["project_id"])].copy()
    gap_mode = mon["gap_indicators"]
    if gap_mode not in GAP_INDICATORS:
        raise RuleError(f"profile {prof.id!r}: monitoring.gap_indicators must be "
                        + " or ".join(GAP_INDICATORS))
    snaps, snap_months = _snapshots(workbook, year, month, src)
    progress_source = "actual_value" if snaps is None else "indicator_progress"
    if snaps is None:
        ind["progress_month"] = np.nan
        ind["progress_value"] = (pd.to_numeric(ind["actual_value"], errors="coerce")
                                 if "actual_value" in ind else np.nan)
        for c in _SNAP_COLUMNS.values():
            if c not in ind:
                ind[c] = np.nan if c.endswith("_value") else None
    else:
        ind = ind.drop(columns=[c for c in _SNAP_COLUMNS.values() if c in ind])
        ind = ind.merge(snaps, on=_IND_KEY, how="left", validate="many_to_one")
    cap_att = float(mon["attainment_cap"])
    ind["attainment"] = indicator_attainment(ind.assign(actual_value=ind["progress_value"]),
                                             cap=cap_att)
    eligible = _gap_eligible(ind, gap_mode)
    ind["in_gap"] = eligible & ind["attainment"].notna().to_numpy()
    # likelihood of attaining each target (完成目标可能性)
    ind["expected_attainment"] = indicator_attainment(
        ind.assign(actual_value=ind["expected_value"]), cap=1.0)
    exp_att = ind["expected_attainment"].to_numpy(dtype=float)
    derived = np.where(np.isnan(exp_att), None,
                       np.where(exp_att >= 1 - _EPS, "确定能", "不可能")).astype(object)
    stated = ind["stated_likelihood"].astype(object)
    stated = stated.where(stated.isin(list(LIKELIHOODS)), None)
    ind["stated_likelihood"] = stated
    ind["likelihood"] = stated.where(stated.notna(), pd.Series(derived, index=ind.index))
    ind["likelihood_inconsistent"] = (((stated == "确定能") & (derived == "不可能"))
                                      | ((stated == "不可能") & (derived == "确定能"))).to_numpy()
    # lights: quantitative by attainment / time progress, qualitative by the rating (year-end
    # values) or the likelihood (snapshots)
    if progress_source == "actual_value":
        rating = ind["rating"] if "rating" in ind else pd.Series(None, index=ind.index)
    else:
        rating = ind["likelihood"].map(_LIKELIHOOD_RATING)
    qual_light = rating.map(dict(mon["rating_light"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        quant_light = traffic_light(ind["attainment"].to_numpy(dtype=float) / T,
                                    red_below=red_below, yellow_below=yellow_below)
    ind["light"] = np.where(ind["attainment"].notna(), quant_light, qual_light.to_numpy())
    ind["light"] = ind["light"].where(pd.notna(ind["light"]), None)
    att = ind[ind["in_gap"]].groupby("project_id")["attainment"].agg(["mean", "count"])
    attainment = att["mean"].reindex(projects["project_id"]).to_numpy(dtype=float)
    n_quant = att["count"].reindex(projects["project_id"]).fillna(0).astype(int).to_numpy()
    pids = projects["project_id"]
    if progress_source == "indicator_progress":
        no_snap = ind[eligible & ind["progress_month"].isna().to_numpy()]
        n_no_progress = no_snap.groupby("project_id").size().reindex(pids).fillna(0) \
            .astype(int).to_numpy()
        progress_month = ind.groupby("project_id")["progress_month"].max().reindex(pids) \
            .to_numpy(dtype=float)
    else:
        n_no_progress = np.zeros(len(pids), dtype=int)
        progress_month = np.full(len(pids), np.nan)
    lk_rank = ind["likelihood"].map(_LIKELIHOOD_RANK)
    worst = lk_rank.groupby(ind["project_id"]).max().reindex(pids)
    rank_name = {v: k for k, v in _LIKELIHOOD_RANK.items()}
    target_likelihood = np.array([None if pd.isna(v) else rank_name[int(v)] for v in worst],
                                 dtype=object)
    at_risk = ind["likelihood"].isin(["有可能", "不可能"])
    n_at_risk = at_risk.groupby(ind["project_id"]).sum().reindex(pids).fillna(0).astype(int) \
        .to_numpy()
    # a reason: the category or the analysis; measures: the snapshot's, else the project's
    # 改进措施 (a monitoring form prints its 相关建议或举措 once, for the whole project)
    proj_measures = projects.set_index("project_id")["measures"] if "measures" in projects \
        else pd.Series(dtype=object)
    has_measures = ind["measures"].notna() | ind["project_id"].map(proj_measures).notna()
    no_reason = at_risk & ((ind["deviation_category"].isna() & ind["deviation_analysis"].isna())
                           | ~has_measures)
    risk_names = ind[at_risk].groupby("project_id")["level3"].agg(_names)
    noreason_names = ind[no_reason].groupby("project_id")["level3"].agg(_names)
    inconsistent_names = ind[ind["likelihood_inconsistent"]].groupby("project_id")["level3"] \
        .agg(_names)
    gap_pp = (attainment - e_m) * 100
    thr_pp = float(mon["target_vs_budget_gap_pp"])
    mode = mon.get("gap_mode", "absolute")
    if mode == "absolute":
        gap_flag = np.abs(gap_pp) > thr_pp + _EPS
    elif mode == "attainment_ahead":
        gap_flag = gap_pp > thr_pp + _EPS
    elif mode == "execution_ahead":
        gap_flag = -gap_pp > thr_pp + _EPS
    else:
        raise RuleError(f"profile {prof.id!r}: monitoring.gap_mode must be absolute, "
                        "attainment_ahead or execution_ahead")
    gap_flag = gap_flag & ~np.isnan(gap_pp)

    # --- forecast -------------------------------------------------------------------------------
    run_rate = e_m * 12 / month
    model: dict = {"level": level, "requested": method}
    hist_n = 0
    res = None
    if month < 12 and method in ("auto", "pooled"):
        hist = grid[grid.index.get_level_values("year") < year]
        hb = bud.reindex(hist.index)
        ok = (hb["base"] > 0) & hb["executed"].notna()
        hist, hb = hist[ok.to_numpy()], hb[ok.to_numpy()]
        hist_n = len(hist)
        if hist_n >= int(fc["min_history"]) or (method == "pooled" and hist_n >= 3):
            x = hist[month].to_numpy(dtype=float) / hb["base"].to_numpy(dtype=float)
            y = hb["executed"].to_numpy(dtype=float) / hb["base"].to_numpy(dtype=float)
            res = _pooled_fit(x, y, clip)
            model.update(
                method="pooled", formula="logit(E_12) = α + β·logit(E_m) + ε",
                n_history=hist_n,
                history_years=sorted(int(v) for v in hist.index.get_level_values("year").unique()),
                params={"alpha": float(res.params[0]), "beta": float(res.params[1])},
                bse={"alpha": float(res.bse[0]), "beta": float(res.bse[1])},
                sigma=float(np.sqrt(res.scale)), r2=float(res.rsquared), clip=clip)
        elif method == "pooled":
            raise InputError(f"the pooled forecast needs earlier years with monthly payments; "
                             f"found {hist_n} project-year(s) before {year}",
                             argument="forecast", value=method)
    if month == 12:
        model.update(method="actual")
        point, lower, upper = e_m.copy(), e_m.copy(), e_m.copy()
    elif res is not None:
        point, lower, upper = _pooled_forecast(res, e_m, level, clip)
    elif method in ("auto", "drift") and month >= max(2, int(fc["min_own_months"])):
        model.update(method="drift", formula="E_12 = E_m + Σ_{k=m+1..12} d_k, d_k ~ iid (μ, σ²)",
                     n_history=hist_n, months=month)
        point, lower, upper = _drift_forecast(shares, level)
    else:
        if method == "drift":
            raise InputError(f"the drift forecast needs at least "
                             f"{max(2, int(fc['min_own_months']))} months", argument="month",
                             value=month)
        model.update(method="run_rate", formula="E_12 = E_m × 12/m", n_history=hist_n)
        point, lower, upper = run_rate.copy(), np.full(n, np.nan), np.full(n, np.nan)
    cap = np.maximum(1.0, e_m)
    point = np.minimum(np.maximum(point, e_m), cap)
    lower = np.minimum(np.maximum(lower, e_m), cap)
    upper = np.minimum(np.maximum(upper, e_m), cap)
    fmethod = model["method"]

    # --- likelihood and handling ----------------------------------------------------------------
    tau = float(mon["likelihood_target"])
    has_int = ~np.isnan(lower)
    likelihood = np.select(
        [e_m >= tau - _EPS, has_int & (lower >= tau - _EPS), has_int & (upper < tau - _EPS)],
        ["确定能", "确定能", "不可能"], "有可能").astype(object)
    red = light == "red"
    top = np.where(has_int, upper, point)
    suspend = red & (top < float(mon["suspend_below"]) - _EPS)
    realloc = (likelihood == "不可能") | ((red | cp_missed) & (point < tau - _EPS))
    handling = np.select([suspend, realloc], ["暂缓或停止拨款", "调剂"], "继续执行").astype(object)
    unspent = base * np.clip(1 - point, 0, None)

    # --- flags ----------------------------------------------------------------------------------
    months = np.arange(1, month + 1)
    decreases = np.diff(np.concatenate([np.zeros((n, 1)), cum], axis=1), axis=1) < -_EPS
    decreases &= rep
    any_rep = rep.any(axis=1)
    last_rep = np.where(any_rep, month - np.argmax(rep[:, ::-1], axis=1), 0)
    flags_col = []
    for i in range(n):
        fl = []
        if not has_data[i] or not any_rep[i]:
            fl.append(_flag("no_monthly_data", month=month))
        elif not rep[i, -1]:
            fl.append(_flag("month_not_reported", month=month, last=int(last_rep[i])))
        if decreases[i].any():
            ms = "、".join(str(k) for k in months[decreases[i]])
            fl.append(_flag("cumulative_decreases", months=ms))
        if e_m[i] > 1 + _EPS:
            fl.append(_flag("execution_above_budget"))
        missed = [(k, t) for k, t in cps if cp_missed_each[k][i]]
        if cp_missed[i]:
            fl.append(_flag("checkpoint_missed",
                            detail="；".join(f"{k}月末累计执行 {shares[i, k - 1]:.1%} 低于 {t:.0%}"
                                            for k, t in missed),
                            detail_en="; ".join(f"end of month {k}: {shares[i, k - 1]:.1%} "
                                                f"below {t:.0%}" for k, t in missed)))
        if n_no_progress[i]:
            fl.append(_flag("no_progress_snapshot", n=int(n_no_progress[i]), month=month))
        if n_quant[i] == 0:
            fl.append(_flag("no_quantitative_indicators"))
        elif gap_flag[i]:
            fl.append(_flag("gap", attainment=f"{attainment[i]:.1%}", execution=f"{e_m[i]:.1%}",
                            gap=f"{gap_pp[i]:+.1f}", thr=f"{thr_pp:g}"))
        if fmethod == "run_rate":
            fl.append(_flag("forecast_without_interval"))
        if likelihood[i] != "确定能":
            fl.append(_flag("deviation_analysis_required", likelihood=likelihood[i],
                            likelihood_en=LIKELIHOODS[likelihood[i]]))
        pid = projects.at[i, "project_id"]
        if n_at_risk[i]:
            fl.append(_flag("indicators_at_risk", n=int(n_at_risk[i]), names=risk_names[pid]))
        if pid in noreason_names.index:
            fl.append(_flag("deviation_reason_missing", names=noreason_names[pid]))
        if pid in inconsistent_names.index:
            fl.append(_flag("likelihood_inconsistent", names=inconsistent_names[pid]))
        flags_col.append(fl)

    out = projects.copy()
    tot = bud.reindex(key)
    out["budget"] = base
    out["budget_basis"] = base_col
    out["initial"] = tot["initial"].to_numpy(dtype=float)
    out["adjusted"] = tot["adjusted"].to_numpy(dtype=float)
    out["executed_to_date"] = executed
    out["execution_rate"] = e_m
    out["time_progress"] = T
    out["progress_ratio"] = ratio
    out["light"] = light
    out["checkpoint_month"] = cp_month
    out["checkpoint_threshold"] = cp_thr
    out["checkpoint_missed"] = cp_missed
    out["checkpoints_missed"] = cp_list
    out["checkpoints"] = [[{"month": k, "threshold": t, "execution_rate": float(shares[i, k - 1]),
                            "missed": bool(cp_missed_each[k][i])} for k, t in cps]
                          for i in range(n)]
    out["attainment"] = attainment
    out["n_quantitative"] = n_quant
    out["progress_month"] = progress_month
    out["n_no_progress"] = n_no_progress
    out["gap_pp"] = gap_pp
    out["gap_flag"] = gap_flag
    out["gap_threshold_pp"] = thr_pp
    out["forecast_method"] = fmethod
    out["forecast"] = point
    out["forecast_lower"] = lower
    out["forecast_upper"] = upper
    out["run_rate_forecast"] = run_rate
    out["forecast_unspent"] = unspent
    out["likelihood"] = likelihood
    out["target_likelihood"] = target_likelihood
    out["n_at_risk"] = n_at_risk
    out["handling"] = handling
    out["flags"] = flags_col
    out["flag_codes"] = [";".join(f["code"] for f in fl) for fl in flags_col]

    series = pd.DataFrame({
        "project_id": np.repeat(projects["project_id"].to_numpy(), month),
        "month": np.tile(months, n),
        "cumulative_executed": cum.ravel(),
        "execution_rate": shares.ravel(),
        "time_progress": np.tile([time_progress(year, k, basis=basis) for k in months], n),
        "reported": rep.ravel()})
    keep = [c for c in ("project_id", "year", "level1", "level2", "level3", "kind", "direction",
                        "unit", "target", "target_value", "target_text", "target_deadline",
                        "actual", "actual_value", "actual_text", "rating", "not_applicable",
                        "deviation_reason", "progress_month", "progress_text",
                        "progress_value", "attainment", "in_gap", "light", "expected_text",
                        "expected_value", "expected_attainment", "stated_likelihood",
                        "likelihood", "likelihood_inconsistent", "deviation_category",
                        "deviation_analysis", "measures", ROW) if c in ind]
    ind = ind.sort_values(["project_id", ROW] if ROW in ind else ["project_id"], kind="stable")
    return MonitoringResult(profile=prof.ref(), year=year, month=month, time_progress=T,
                            projects=out, series=series,
                            indicators=ind[keep].reset_index(drop=True), forecast_model=model,
                            deviation_reasons=tuple(mon.get("deviation_reasons")
                                                    or DEVIATION_REASONS),
                            progress_source=progress_source, progress_months=snap_months,
                            gap_indicators=gap_mode, department=scope)
