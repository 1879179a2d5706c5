"""Project self-evaluation (单位自评) scoring: weights, budget execution, totals, grades, flags.

The whole district is scored at once (vectorised); :meth:`SelfEvaluation.project` gives the
result of one project, whose ``to_dict()`` is the ``results.json`` of its report.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from .._format import flag, num as _fmt, pct as _pct
from .._results import Result, jsonable
from ..errors import Collector, InputError, RuleError
from ..model.schema import TABLES
from ..model.workbook import ROW, SHEET, Workbook, excel_row
from ..rules import Profile, load_profile
from .grades import grade
from .indicators import score_indicators

__all__ = ["score_self_evaluation", "resolve_weights", "SelfEvaluation",
           "ProjectSelfEvaluation", "FLAG_MESSAGES"]

FLAG_MESSAGES = {
    "execution_below_threshold_unexplained": ("预算执行率低于{threshold}且未说明原因",
                                              "Budget execution below {threshold} without an explanation"),
    "execution_above_budget": ("执行数超过全年预算数", "Executed amount exceeds the full-year budget"),
    "level1_weights_differ": ("一级指标分值与规则不一致：{detail}",
                              "Level-1 weights differ from the profile: {detail}"),
    "awarded_differs": ("{n} 项指标的单位自评得分与规则得分不一致，自评总分 {awarded} 与规则总分 {total} 相差 {diff}",
                        "{n} indicator(s) self-awarded differently from the rule; self total {awarded} vs rule total {total} (Δ {diff})"),
    "awarded_grade_differs": ("按单位自评得分评定等级为“{awarded_grade}”，按规则为“{grade}”",
                              "Self-awarded scores give grade '{awarded_grade}', the rule gives '{grade}'"),
    "overshoot": ("{n} 项指标实际值远超目标值，目标可能设置偏低", "{n} indicator(s) far exceed the target: targets may be set too low"),
    "missed_without_reason": ("{n} 项未达标指标未填写偏差原因", "{n} missed indicator(s) without a deviation reason"),
    "no_satisfaction": ("无满意度指标，其分值已按规则重新分配", "No satisfaction indicator: its points were redistributed"),
    "execution_weight_as_printed": ("预算执行率分值按单位自评表为 {weight}（表内），规则为 {rule}；绩效指标分值合计 {indicators}",
                                    "Budget-execution weight {weight} as printed on the unit's form (rule: {rule}); the indicator weights add up to {indicators}"),
}


def _flag(code: str, **kw) -> dict:
    return flag(FLAG_MESSAGES, code, **kw)


def _expected_level1(profile: Profile, has_sat: pd.Series) -> pd.DataFrame:
    """Expected weight of each level-1 group per project, with missing-satisfaction
    redistribution."""
    se = profile.get("self_eval")
    names = se["level1_names"]
    w = {k: float(v) for k, v in se["weights"].items() if k != "budget_execution"}
    to = list(se["missing_satisfaction"]["redistribute_to"])
    split = se["missing_satisfaction"]["split"]
    free = w.get("satisfaction", 0.0)
    share = ({k: 1 / len(to) for k in to} if split == "equal"
             else {k: w[k] / sum(w[x] for x in to) for k in to})
    rows = {}
    for key, lvl in names.items():
        base = w.get(key, 0.0)
        alt = 0.0 if key == "satisfaction" else base + free * share.get(key, 0.0)
        rows[lvl] = np.where(has_sat.to_numpy(), base, alt)
    return pd.DataFrame(rows, index=has_sat.index)


def _as_weight_series(execution_weight, index: pd.Index) -> pd.Series:
    """Per-project 预算执行率 weights aligned on ``index`` (project_id, year); NaN: the profile's."""
    if execution_weight is None:
        return pd.Series(np.nan, index=index, dtype=float)
    if isinstance(execution_weight, pd.Series):
        s = execution_weight
    elif isinstance(execution_weight, Mapping):
        s = pd.Series(dict(execution_weight), dtype=object)
    else:
        raise InputError("must be a Series or a mapping indexed by (project_id, year)",
                         argument="execution_weight", value=type(execution_weight).__name__)
    if len(s) and not isinstance(s.index, pd.MultiIndex):
        raise InputError("must be indexed by (project_id, year)", argument="execution_weight",
                         value=list(s.index[:3]))
    s = pd.to_numeric(s, errors="coerce").astype(float)
    return s[~s.index.duplicated()].reindex(index)


def _project_execution_weights(projects: pd.DataFrame, se: dict, source: str | None
                               ) -> pd.Series:
    """``projects.execution_weight`` as numbers on the projects' index (NaN: the profile's),
    checked: a number in [0, total), and equal to the profile's when the profile says
    ``project_execution_weight: refuse``."""
    total = float(se["total"])
    w_rule = float(se["weights"]["budget_execution"])
    policy = se.get("project_execution_weight", "use")
    if policy not in ("use", "refuse"):
        raise RuleError(f"self_eval.project_execution_weight must be use or refuse, not "
                        f"{policy!r}")
    raw = projects["execution_weight"] if "execution_weight" in projects else \
        pd.Series(np.nan, index=projects.index, dtype=object)
    blank = raw.isna() | raw.astype(str).str.strip().isin(["", "nan", "None"])
    w = pd.to_numeric(raw.where(~blank), errors="coerce").astype(float)
    bad = (~blank & w.isna()) | (w < 0) | (w >= total)
    refused = ~bad & w.notna() & ((w - w_rule).abs() > float(se["weight_tolerance"])) \
        & (policy == "refuse")
    problems = Collector()
    col = TABLES["projects"].column("execution_weight").zh
    for i in np.flatnonzero((bad | refused).to_numpy()):
        r = projects.iloc[i]
        rule = (f"预算执行率分值 must be a number in [0, {total:g})" if bad.iloc[i] else
                f"预算执行率分值 {w.iloc[i]:g} departs from the profile's {w_rule:g}, and the "
                "profile (self_eval.project_execution_weight: refuse) does not accept "
                "per-project weights")
        problems.add(f"project {r['project_id']}: {rule}", file=source, sheet=r.get(SHEET),
                     row=excel_row(r), column=col,
                     value=float(w.iloc[i]) if pd.notna(w.iloc[i]) else raw.iloc[i])
    problems.raise_if_any()
    return w


def resolve_weights(ind: pd.DataFrame, profile: Profile | str = "national", *,
                    source: str | None = None,
                    execution_weight: pd.Series | Mapping | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill missing weights and check that each project's weights add up to the profile's budget.

    Parameters
    ----------
    ind : DataFrame
        The indicators table (``project_id, year, level1, level2, level3, weight`` …).
    profile : Profile or profile id
    source : str, optional
        File named in the errors.
    execution_weight : Series or mapping indexed by (project_id, year), optional
        The 预算执行率 weight of each project when it departs from the profile's
        (``projects.execution_weight``: the weight printed on the unit's own form); NaN or
        absent: the profile's ``self_eval.weights.budget_execution``.

    Returns
    -------
    (DataFrame, DataFrame)
        The indicator table with ``weight`` filled, and a per-project frame of level-1 weights
        (columns are level-1 names) with ``expected_*`` columns, ``level1_differs``,
        ``has_satisfaction``, ``execution_weight`` and ``indicator_points``.

    Raises
    ------
    InputError
        A project with some weights missing, or whose weights do not add up to its indicator
        points ``total − 预算执行率 weight`` (100 − 10 = 90; 100 − 9 = 91 for a form that
        prints 9), naming its first indicator row and the column 分值.

    Notes
    -----
    A project whose indicators carry no weight at all gets the profile's level-1 budget
    (产出 50 / 效益 30 / 满意度 10, satisfaction redistributed when absent), scaled to its
    indicator points when its 预算执行率 weight departs from the profile's (× 91/90 for 9),
    split equally over its 二级 indicators and then over the 三级 rows. ``expected_*`` are the
    profile's level-1 weights, unscaled, so ``level1_differs`` shows where a project's form put
    the points it moved (产出指标 51 against the profile's 50). The total (100) never moves: a
    per-project weight only moves points between 预算执行率 and the indicators, so a sum that
    is off (85, or 91 with 预算执行率 10) is still refused.
    """
    prof = load_profile(profile)
    se = prof.get("self_eval")
    key = ["project_id", "year"]
    df = ind.copy()
    df["weight"] = pd.to_numeric(df.get("weight"), errors="coerce")
    g = df.groupby(key, sort=False)
    n_missing = g["weight"].transform(lambda s: s.isna().sum())
    n_rows = g["weight"].transform("size")
    all_missing = n_missing == n_rows
    sat_name = se["level1_names"]["satisfaction"]
    has_sat = df.assign(_s=df["level1"].eq(sat_name)).groupby(key, sort=False)["_s"].any()
    total = float(se["total"])
    w_rule = float(se["weights"]["budget_execution"])
    given = _as_weight_series(execution_weight, has_sat.index)
    w_exec = given.fillna(w_rule)
    points = total - w_exec                                  # the project's indicator points
    expected = _expected_level1(prof, has_sat)

    # automatic weights: level-1 budget (scaled to the project's indicator points) / number of
    # level-2 groups / number of rows in the group
    if all_missing.any():
        auto = df[all_missing]
        scaled = expected.mul(points / (total - w_rule), axis=0)
        exp_long = scaled.stack().rename("l1w").reset_index().rename(columns={"level_2": "level1"})
        exp_long.columns = [*key, "level1", "l1w"]
        m = auto[key + ["level1", "level2"]].reset_index().merge(exp_long, on=key + ["level1"],
                                                                  how="left").set_index("index")
        n_l2 = auto.groupby(key + ["level1"])["level2"].transform("nunique")
        n_l3 = auto.groupby(key + ["level1", "level2"])["level2"].transform("size")
        df.loc[all_missing, "weight"] = m["l1w"] / n_l2 / n_l3

    problems = Collector()
    partial = df["weight"].isna()
    for i in np.flatnonzero(partial.to_numpy()):
        r = df.iloc[i]
        problems.add("some indicators of this project have a weight and others do not; give all "
                     "or none", file=source, sheet=r.get(SHEET), row=excel_row(r), column="分值")
    sums = df.groupby(key, sort=False)["weight"].sum()
    first = df.reset_index().groupby(key, sort=False).first()
    tol = float(se["weight_tolerance"])
    bad = (sums - points.reindex(sums.index)).abs() > tol
    for k in sums.index[bad]:
        r = first.loc[k]
        w = float(w_exec[k])
        whose = ("" if abs(w - w_rule) <= tol else
                 f" (表内, the project's 预算执行率分值; the profile gives {w_rule:g})")
        problems.add(f"the weights (分值) of project {k[0]} ({k[1]}) add up to {sums[k]:g}; with "
                     f"预算执行率 {w:g}{whose} they must add up to {total - w:g} "
                     f"(总分 {total:g})", file=source, sheet=r.get(SHEET), row=excel_row(r),
                     column="分值", value=float(sums[k]))
    problems.raise_if_any()

    actual_l1 = df.pivot_table(index=key, columns="level1", values="weight", aggfunc="sum",
                               fill_value=0.0)
    actual_l1 = actual_l1.reindex(columns=expected.columns, fill_value=0.0).reindex(expected.index)
    differs = ((actual_l1 - expected).abs() > tol).any(axis=1)
    l1 = actual_l1.join(expected.add_prefix("expected_"))
    l1["level1_differs"] = differs
    l1["has_satisfaction"] = has_sat
    l1["execution_weight"] = w_exec
    l1["indicator_points"] = points
    return df, l1


@dataclass(frozen=True, eq=False)
class ProjectSelfEvaluation(Result):
    """One project's self-evaluation score (单位自评): what its report and results.json state."""

    title = "项目支出绩效自评 Project self-evaluation"

    subject_id: str
    year: int
    info: dict
    profile: dict
    budget: dict
    indicators: pd.DataFrame
    level1: pd.DataFrame
    subtotals: pd.DataFrame
    total: float
    grade: str | None
    awarded_total: float | None
    flags: list

    def _summary_lines(self) -> list[str]:
        return [f"project: {self.subject_id} {self.info.get('name', '')}",
                f"year: {self.year}", f"profile: {self.profile['id']} {self.profile['version']}",
                f"budget execution: {self.budget['rate']:.4g} → {self.budget['score']:.4g}"
                f" / {self.budget['weight']:g}",
                f"total: {self.total:.4f}", f"grade: {self.grade}",
                *[f"flag: {f['message']}" for f in self.flags]]

    def to_frame(self) -> pd.DataFrame:
        return self.indicators.copy()

    def to_dict(self) -> dict:
        cols = ["level1", "level2", "level3", "kind", "direction", "unit", "target", "target_text",
                "actual", "actual_text", "weight", "score", "fraction", "rule", "awarded",
                "awarded_diff", "not_applicable", "rating", "explanation", "explanation_en",
                "deviation_reason", "flags"]
        ind = self.indicators.drop(columns=["target", "actual"], errors="ignore") \
            .rename(columns={"target_value": "target", "actual_value": "actual"})
        ind = ind.reindex(columns=cols)
        ind["flags"] = ind["flags"].fillna("").map(lambda s: [f for f in s.split(";") if f])
        ind["not_applicable"] = ind["not_applicable"].fillna(False).astype(bool)
        out = {"subject_id": self.subject_id, "subject_type": "project", "year": int(self.year),
               **{k: jsonable(v) for k, v in self.info.items()},
               "profile": dict(self.profile), "budget": jsonable(self.budget),
               "indicators": jsonable(ind.reset_index(drop=True)),
               "level1": jsonable(self.level1.reset_index(drop=True)),
               "subtotals": jsonable(self.subtotals.reset_index(drop=True)),
               "total": jsonable(self.total), "grade": self.grade,
               "awarded_total": jsonable(self.awarded_total),
               "applicable_weight": jsonable(self.budget["weight"]
                                             + float(self.indicators.loc[
                                                 ~self.indicators["not_applicable"].fillna(False)
                                                 .astype(bool), "weight"].sum())),
               "flags": jsonable(self.flags)}
        return out


@dataclass(frozen=True, eq=False)
class SelfEvaluation(Result):
    """Self-evaluation scores of many projects (a district-year). ``project(id)`` gives one."""

    title = "项目支出绩效自评汇总 Self-evaluation summary"

    profile: dict
    year: int
    projects: pd.DataFrame       # one row per project: info, budget, total, grade, flags
    indicators: pd.DataFrame     # every scored indicator row
    sources: pd.DataFrame        # budget by source

    def to_frame(self) -> pd.DataFrame:
        cols = ["project_id", "name", "department", "sector", "budget_type", "execution_weight",
                "execution_rate", "execution_score", "total", "grade", "awarded_total",
                "flag_codes"]
        return self.projects.reindex(columns=cols).reset_index(drop=True)

    def _summary_lines(self) -> list[str]:
        g = self.projects["grade"].value_counts()
        return [f"year: {self.year}", f"profile: {self.profile['id']} {self.profile['version']}",
                f"projects: {len(self.projects)}",
                "grades: " + ", ".join(f"{k} {int(v)}" for k, v in g.items())]

    def project(self, project_id: str) -> ProjectSelfEvaluation:
        pid = str(project_id)
        p = self.projects[self.projects["project_id"] == pid]
        if p.empty:
            raise InputError(f"no project {pid!r} in year {self.year}", argument="project_id",
                             value=pid)
        p = p.iloc[0]
        ind = self.indicators[self.indicators["project_id"] == pid].drop(
            columns=["project_id", "year"]).reset_index(drop=True)
        srcs = self.sources[self.sources["project_id"] == pid]
        app = ind[~ind["not_applicable"].fillna(False).astype(bool)]
        level1 = app.groupby("level1", sort=False).agg(weight=("weight", "sum"),
                                                       score=("score", "sum")).reset_index()
        subtotals = app.groupby(["level1", "level2"], sort=False).agg(
            weight=("weight", "sum"), score=("score", "sum")).reset_index()
        info_cols = ["name", "department", "department_id", "implementing_unit", "budget_type",
                     "funding_modes", "sector", "township_id", "objective", "achievement",
                     "execution_note", "problems", "measures"]
        info = {c: (None if (not isinstance(p.get(c), (list, tuple)) and pd.isna(p.get(c)))
                    else p.get(c)) for c in info_cols if c in p.index}
        budget = {"weight": float(p["execution_weight"]),
                  "weight_source": p["execution_weight_source"],
                  "initial": float(p["initial"]),
                  "adjusted": float(p["adjusted"]), "executed": float(p["executed"]),
                  "rate": float(p["execution_rate"]), "score": float(p["execution_score"]),
                  "explanation": p["execution_explanation"],
                  "explanation_en": p["execution_explanation_en"],
                  "sources": srcs[["source", "initial", "adjusted", "executed"]]
                  .to_dict("records")}
        return ProjectSelfEvaluation(
            subject_id=pid, year=int(self.year), info=info, profile=dict(self.profile),
            budget=budget, indicators=ind, level1=level1, subtotals=subtotals,
            total=float(p["total"]), grade=p["grade"],
            awarded_total=None if pd.isna(p["awarded_total"]) else float(p["awarded_total"]),
            flags=list(p["flags"]))


def score_self_evaluation(workbook: Workbook, profile: Profile | str = "national", *,
                          year: int | None = None,
                          project_ids: Iterable[str] | None = None) -> SelfEvaluation:
    """Score the self-evaluation (单位自评) of every project of a workbook's year.

    Parameters
    ----------
    workbook : Workbook
        From :func:`perfkit.io.read_workbook`.
    profile : Profile or profile id
    year : int, optional
        Defaults to the latest year in the workbook.
    project_ids : iterable of str, optional
        Restrict to these projects.

    Returns
    -------
    SelfEvaluation
        ``.projects`` (one row per project), ``.indicators`` (every scored row) and
        ``.project(id)`` → :class:`ProjectSelfEvaluation`.

    Notes
    -----
    Budget execution 预算执行率 = Σ executed / Σ full-year (adjusted) budget over the fund
    sources; its score is ``w × min(rate, 1)``. The total is
    ``(execution score + Σ indicator scores) / (execution weight + Σ applicable weights) × 100``,
    so not-applicable indicators are dropped and the total rescaled to 100 (domain.md §4.2).
    Grades use the profile's bands on the unrounded total (§4.4).

    The execution weight ``w`` is the profile's ``self_eval.weights.budget_execution`` (10),
    unless the project's row gives its own ``execution_weight`` (预算执行率分值): the weight
    printed on the unit's form, which ``perfkit import-forms`` copies (a form may print 9 with
    indicators adding up to 91, total 100). The form's own split is what the unit scored with,
    so it is used as printed; the project's indicator weights must then add up to
    ``total − w``, and the project carries the flag ``execution_weight_as_printed`` and an
    execution explanation ``得分 = 9（表内，规则为 10） × …`` so the report shows the departure.
    Only the split moves: the total stays the profile's ``self_eval.total``, so a sum that is
    off (85; or 91 with 10) is still an input error naming the indicator sheet, row and 分值.
    A per-project column was chosen over a profile-wide tolerance on the total because it keeps
    that check exact for every other project and records, next to the project, which weight
    was used. A profile with ``self_eval.project_execution_weight: refuse`` refuses
    per-project weights that differ from its own (an input error naming the projects row).
    """
    prof = load_profile(profile)
    se = prof.get("self_eval")
    src = workbook.source or None
    year = int(year) if year is not None else workbook.latest_year()
    wb = workbook.select(years=[year], project_ids=project_ids)
    projects = wb["projects"].copy()
    if projects.empty:
        raise InputError(f"no projects for year {year}"
                         + (" and the requested ids" if project_ids is not None else ""),
                         file=src, argument="year", value=year)
    key = ["project_id", "year"]

    w_given = _project_execution_weights(projects, se, src)
    ind, l1 = resolve_weights(wb["indicators"], prof, source=src,
                              execution_weight=w_given.set_axis(
                                  pd.MultiIndex.from_frame(projects[key])))
    ind = score_indicators(ind, prof, source=src)

    # --- budget execution (预算执行率) -------------------------------------------------------
    bud = wb["budget"]
    sources = bud.groupby(key + ["source"], sort=False)[["initial", "adjusted", "executed"]] \
        .sum().reset_index()
    tot = bud.groupby(key)[["initial", "adjusted", "executed"]].sum()
    projects = projects.merge(tot, left_on=key, right_index=True, how="left")
    problems = Collector()
    base_col = "adjusted" if se["execution_base"] == "adjusted" else "initial"
    no_budget = projects[base_col].isna() | (projects[base_col] <= 0)
    for _, r in projects[no_budget].iterrows():
        problems.add(f"project {r['project_id']} has no positive {base_col} budget in the budget "
                     "sheet (项目资金), so its execution rate cannot be computed",
                     file=src, sheet=r.get(SHEET), row=excel_row(r), column="项目编码",
                     value=r["project_id"])
    no_ind = ~projects.set_index(key).index.isin(ind.set_index(key).index)
    for _, r in projects[no_ind].iterrows():
        problems.add(f"project {r['project_id']} has no performance indicators (绩效指标)",
                     file=src, sheet=r.get(SHEET), row=excel_row(r), column="项目编码",
                     value=r["project_id"])
    problems.raise_if_any()

    w_rule = float(se["weights"]["budget_execution"])
    # the budget merge above kept the rows in order; a weight that departs from the profile's
    # is the one printed on the unit's form (表内)
    w_exec = pd.Series(w_given.fillna(w_rule).to_numpy(), index=projects.index)
    printed = (w_exec - w_rule).abs() > float(se["weight_tolerance"])
    rate = projects["executed"] / projects[base_col]
    projects["execution_weight"] = w_exec
    projects["execution_weight_source"] = np.where(printed, "project", "profile")
    projects["execution_rate"] = rate
    projects["execution_score"] = w_exec * np.minimum(rate, 1.0)
    zh_w = _fmt(w_exec).where(~printed, _fmt(w_exec) + "（表内，规则为 " + _fmt(w_rule)[0] + "）")
    en_w = pd.Series("", index=projects.index, dtype=object).where(
        ~printed, "; weight " + _fmt(w_exec) + " as printed on the form (rule " + _fmt(w_rule)[0]
        + ")")
    projects["execution_explanation"] = ("执行率 = " + _fmt(projects["executed"]) + " / "
                                         + _fmt(projects[base_col]) + " = " + _pct(rate)
                                         + "，得分 = " + zh_w
                                         + " × " + _pct(np.minimum(rate, 1)) + " = "
                                         + _fmt(projects["execution_score"]))
    projects["execution_explanation_en"] = ("Execution = " + _fmt(projects["executed"]) + " / "
                                            + _fmt(projects[base_col]) + " = " + _pct(rate)
                                            + "; score = " + _fmt(projects["execution_score"])
                                            + en_w)

    # --- totals -----------------------------------------------------------------------------
    app = ~ind["not_applicable"].fillna(False).astype(bool)
    agg = ind[app].groupby(key).agg(ind_score=("score", "sum"), ind_weight=("weight", "sum"))
    aw = ind[app].assign(_aw=ind["awarded"].where(ind["awarded"].notna(), ind["score"]),
                         _has=ind["awarded"].notna())
    agg_aw = aw.groupby(key).agg(aw_score=("_aw", "sum"), n_aw=("_has", "sum"))
    counts = ind.assign(
        _over=ind["overshoot"],
        _diff=ind["flags"].str.contains("awarded_differs", regex=False),
        _miss=ind["flags"].str.contains("missed_without_reason", regex=False),
    ).groupby(key).agg(n_over=("_over", "sum"), n_diff=("_diff", "sum"), n_miss=("_miss", "sum"))
    projects = projects.merge(agg, left_on=key, right_index=True, how="left") \
        .merge(agg_aw, left_on=key, right_index=True, how="left") \
        .merge(counts, left_on=key, right_index=True, how="left") \
        .merge(l1[["level1_differs", "has_satisfaction"]], left_on=key, right_index=True,
               how="left") \
        .merge(ind.groupby(key)["weight"].sum().rename("ind_weight_all"), left_on=key,
               right_index=True, how="left")
    total_pts = float(se["total"])
    denom = projects["execution_weight"] + projects["ind_weight"].fillna(0.0)
    projects["total"] = (projects["execution_score"] + projects["ind_score"].fillna(0.0)) \
        / denom * total_pts
    projects["grade"] = grade(projects["total"], prof.get("grades.bands")).to_numpy()
    projects["awarded_total"] = ((projects["execution_score"] + projects["aw_score"].fillna(0.0))
                                 / denom * total_pts).where(projects["n_aw"].fillna(0) > 0)
    projects["awarded_grade"] = grade(projects["awarded_total"], prof.get("grades.bands")).to_numpy()

    # --- flags --------------------------------------------------------------------------------
    thr = float(se["execution_explain_below"])
    note = projects.get("execution_note", pd.Series(None, index=projects.index))
    unexplained = (rate < thr) & (note.isna() | (note.astype(str).str.strip() == ""))
    flags_col = []
    for i, r in enumerate(projects.itertuples(index=False)):  # per project, not per indicator
        fl = []
        if unexplained.iloc[i]:
            fl.append(_flag("execution_below_threshold_unexplained", threshold=f"{thr:.0%}"))
        if rate.iloc[i] > 1 + 1e-12:
            fl.append(_flag("execution_above_budget"))
        if r.execution_weight_source == "project":
            fl.append(_flag("execution_weight_as_printed", weight=f"{r.execution_weight:g}",
                            rule=f"{w_rule:g}", indicators=f"{r.ind_weight_all:g}"))
        if not r.has_satisfaction:
            fl.append(_flag("no_satisfaction"))
        if r.level1_differs:
            row = l1.loc[(r.project_id, r.year)]
            detail = "，".join(f"{c} {row[c]:g}（规则 {row['expected_' + c]:g}）"
                              for c in l1.columns[:3] if abs(row[c] - row["expected_" + c]) > 1e-9)
            fl.append(_flag("level1_weights_differ", detail=detail))
        if r.n_diff and r.n_diff > 0:
            fl.append(_flag("awarded_differs", n=int(r.n_diff), awarded=f"{r.awarded_total:.2f}",
                            total=f"{r.total:.2f}", diff=f"{r.awarded_total - r.total:+.2f}"))
            if r.awarded_grade != r.grade:
                fl.append(_flag("awarded_grade_differs", awarded_grade=r.awarded_grade,
                                grade=r.grade))
        if r.n_over and r.n_over > 0:
            fl.append(_flag("overshoot", n=int(r.n_over)))
        if r.n_miss and r.n_miss > 0:
            fl.append(_flag("missed_without_reason", n=int(r.n_miss)))
        flags_col.append(fl)
    projects["flags"] = flags_col
    projects["flag_codes"] = [";".join(f["code"] for f in fl) for fl in flags_col]
    projects = projects.sort_values("project_id", kind="stable").reset_index(drop=True)
    ind = ind.sort_values(["project_id", ROW] if ROW in ind else ["project_id"], kind="stable")
    return SelfEvaluation(profile=prof.ref(), year=year, projects=projects,
                          indicators=ind.reset_index(drop=True), sources=sources)
