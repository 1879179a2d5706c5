"""Target review (绩效目标审核): are the projects' performance targets complete, quantified,
measurable, matched to the budget and not set below what was already achieved?

黔江实施意见 §八: targets cover 产出、成本 and 经济/社会/生态效益、可持续影响、服务对象满意度;
"内容应该完整、细化、量化，做到可审核、可监控、可评价"; the finance bureau "严格绩效目标审核" and
makes target setting a precondition of the budget. domain.md §3.1 adds the target-quality rules
指向明确 / 细化量化 / 合理可行 / 相应匹配. :func:`review_targets` checks every project of a year
(vectorised with pandas merges) and returns one finding per problem, each naming the project, the
indicator (its level path 一级/二级/三级) and the rule broken.

Rules (codes in :data:`RULES`; thresholds in the profile's ``finance_eval.target_review``)
--------------------------------------------------------------------------------------------
``completeness``
    the project has 产出指标 with each 二级 of ``required_output_level2`` (数量/质量/时效/成本),
    some 效益指标 and some 满意度指标 (six checks per project).
``quantified``
    a quantitative indicator has a numeric target and a unit (deadlines need no unit); a
    qualitative one is graded (指标方向 定性: 达成 / 部分达成 / 未达成).
``measurable``
    the target text was understood, and an indicator that calls for a number (its 二级 is in
    ``quantitative_level2``, or its 三级 name contains a word of ``quantitative_words`` such as
    率 / 人次 / 满意度, or it has a unit) is not given a qualitative text (``稳步提升``).
``budget_match``
    a 成本指标 stated as an amount (元, 千元, 万元, 亿元; converted to 万元) is at most
    ``cost_max_share`` (100%) and at least ``cost_min_share`` (1%) of the project's full-year
    budget (Σ 全年预算数 over fund sources; 年初预算数 where that is blank). Unit costs
    (``元/人次``) are not amounts and are not checked.
``history``
    where the same project has the same 三级 indicator in the previous year with an actual value
    (same unit, or amounts in convertible units), a ≥ target below last year's actual — or a ≤
    target above it — is set too low: 目标值低于上年实际完成值. Deadlines are not compared.

A project's ``score`` is the share of its checks passed (each rule applied to each indicator it
concerns, plus the six completeness checks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from .._format import num as _fmt
from .._results import Result, jsonable
from ..errors import InputError
from ..io.values import parse_target
from ..model.schema import LEVEL1, LEVEL2
from ..model.workbook import ROW, Workbook
from ..rules import Profile, load_profile

__all__ = ["review_targets", "TargetReviewResult", "RULES", "FINDING_COLUMNS",
           "AMOUNT_UNITS"]

#: rule code → (Chinese, English) description
RULES = {
    "completeness": ("指标完整：产出（数量、质量、时效、成本）、效益、满意度指标齐全",
                     "complete: output (quantity, quality, timeliness, cost), outcome and "
                     "satisfaction indicators present"),
    "quantified": ("细化量化：定量指标有数值和计量单位，定性指标按分级标准",
                   "quantified: a number with a unit, or a graded qualitative indicator"),
    "measurable": ("可衡量：指标值可识别，数量类指标不用定性表述",
                   "measurable: the target is readable, and numbers are not given as text"),
    "budget_match": ("相应匹配：成本指标与项目全年预算相匹配",
                     "matched: cost targets consistent with the full-year budget"),
    "history": ("合理可行：目标值不低于上年实际完成值",
                "ambitious enough: not below last year's actual"),
}

#: amount units → factor to 万元 (definitions, not rules)
AMOUNT_UNITS = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "亿元": 1e4}

#: the fixed columns of TargetReviewResult.findings / to_frame()
FINDING_COLUMNS = ("project_id", "year", "name", "department", "implementing_unit", "level1",
                   "level2", "level3", "path", "rule", "code", "message", "message_en",
                   "target", "value", "reference", "_row")

_OUT, _EFF, _SAT = LEVEL1
_COST = LEVEL2[_OUT][3]
_REL = 1e-9


def _norm_unit(u: pd.Series) -> pd.Series:
    s = u.astype(object).where(u.notna(), None)
    s = s.map(lambda v: None if v is None else ("".join(str(v).split()) or None))
    return s.where(~s.isin(["nan", "None"]), None)


def _parsed(ind: pd.DataFrame) -> pd.DataFrame:
    """value, unit, direction, kind, deadline, text, ok of each target (reader's columns, or a
    parse of ``target`` for in-memory tables that lack them)."""
    idx = ind.index
    get = lambda c: ind[c] if c in ind else pd.Series(None, index=idx, dtype=object)  # noqa
    direction = get("direction").astype(object).where(get("direction").notna(), None)
    kind = get("kind").astype(object).where(get("kind").notna(), None)
    unit = _norm_unit(get("unit"))
    text = get("target_text") if "target_text" in ind else get("target")
    p = parse_target(get("target"), year=ind["year"] if "year" in ind else None)
    qual_text = p["qualitative"].astype(bool)
    if "target_value" in ind:
        value = pd.to_numeric(ind["target_value"], errors="coerce")
        deadline = get("target_deadline")
        ok = p["ok"].astype(bool) | value.notna() | deadline.notna()
    else:
        direction = direction.where(direction.notna(), p["direction"])
        direction = direction.where(direction.notna() | ~qual_text, "定性")
        kind = kind.where(kind.notna(), pd.Series(
            np.where(direction.eq("定性"), "定性", np.where(p["value"].notna(), "定量", None)),
            index=idx, dtype=object))
        value = p["value"].where(kind.ne("定性"))
        unit = unit.where(unit.notna(), _norm_unit(p["unit"]))
        deadline = p["deadline"]
        ok = p["ok"].astype(bool)
    return pd.DataFrame({"value": value.astype(float), "unit": unit, "direction": direction,
                         "kind": kind, "deadline": deadline.where(deadline.notna(), None),
                         "text": text, "qual_text": qual_text, "ok": ok}, index=idx)


@dataclass(frozen=True, eq=False)
class TargetReviewResult(Result):
    """Target review (绩效目标审核) of a district's projects in one year.

    Attributes
    ----------
    profile : dict — id, version, hash of the rule profile.
    year : int
    rules : dict — the thresholds applied and their sources.
    findings : DataFrame — one row per problem, columns :data:`FINDING_COLUMNS`: the project,
        the indicator (``level1/2/3`` and ``path``; for a missing 二级 the path names what is
        missing), ``rule`` (:data:`RULES`), ``code`` (the precise check), ``message`` /
        ``message_en``, the ``target`` text, ``value`` (the number compared), ``reference`` (the
        budget or last year's actual it was compared with) and ``_row`` (the indicator's row in
        the workbook).
    checks : DataFrame — per project and rule: ``n_checks``, ``n_failed``.
    projects : DataFrame — per project: ``project_id, name, department, implementing_unit,
        n_indicators, n_checks, n_failed, score`` (share of checks passed), ``n_findings``,
        ``rules_failed`` and one ``failed_<rule>`` count per rule.
    by_rule : DataFrame — district summary per rule: ``rule, label, label_en, n_findings,
        n_projects, share_projects, n_checks, pass_rate``.
    by_department : DataFrame — ``department, n_projects, mean_score, n_findings,
        n_projects_with_findings``.
    district : dict — ``n_projects, n_projects_with_findings, n_findings, mean_score,
        min_score``.
    """

    title = "绩效目标审核 Target review"

    profile: dict
    year: int
    rules: dict
    findings: pd.DataFrame
    checks: pd.DataFrame
    projects: pd.DataFrame
    by_rule: pd.DataFrame
    by_department: pd.DataFrame
    district: dict

    def to_frame(self) -> pd.DataFrame:
        return self.findings.reindex(columns=list(FINDING_COLUMNS)).reset_index(drop=True)

    def _summary_lines(self) -> list[str]:
        d = self.district
        return [f"year: {self.year}", f"profile: {self.profile['id']} {self.profile['version']}",
                f"projects: {d['n_projects']} ({d['n_projects_with_findings']} with findings)",
                f"findings: {d['n_findings']}", f"mean score: {d['mean_score']:.4f}",
                *[f"{r.rule}: {r.n_findings} finding(s) in {r.n_projects} project(s)"
                  for r in self.by_rule.itertuples()]]

    def project(self, project_id: str) -> dict:
        """One project's review (JSON-safe): score, checks and findings."""
        pid = str(project_id)
        p = self.projects[self.projects["project_id"] == pid]
        if p.empty:
            raise InputError(f"no project {pid!r} in the review of {self.year}",
                             argument="project_id", value=pid)
        row = p.iloc[0]
        return {"project_id": pid, "year": int(self.year),
                **{k: jsonable(row[k]) for k in ("name", "department", "implementing_unit",
                                                  "n_indicators", "n_checks", "n_failed",
                                                  "score", "n_findings")},
                "rules_failed": list(row["rules_failed"]),
                "checks": jsonable(self.checks[self.checks["project_id"] == pid]
                                   .drop(columns="project_id").reset_index(drop=True)),
                "findings": jsonable(self.to_frame()[self.findings["project_id"].to_numpy()
                                                     == pid].reset_index(drop=True))}

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "year": int(self.year), "rules": jsonable(self.rules),
                "district": jsonable(self.district), "by_rule": jsonable(self.by_rule),
                "by_department": jsonable(self.by_department),
                "projects": jsonable(self.projects.drop(columns=["rules_failed"])
                                     .assign(rules_failed=self.projects["rules_failed"]
                                             .map(list))),
                "findings": jsonable(self.to_frame())}


def review_targets(workbook: Workbook, *, year: int | None = None,
                   project_ids: Iterable[str] | None = None,
                   profile: Profile | str = "national", history: bool = True
                   ) -> TargetReviewResult:
    """Review the performance targets (绩效目标审核) of every project of a year.

    Parameters
    ----------
    workbook : Workbook
        Needs ``projects``, ``indicators`` (``target``; the reader's ``target_value``,
        ``target_text``, ``target_deadline`` — parsed here when absent) and ``budget``. The
        previous year's indicators (``actual_value``) feed the history rule.
    year : int, optional, keyword-only
        Defaults to the latest year of the workbook.
    project_ids : iterable of str, optional, keyword-only
        Restrict to these projects.
    profile : Profile or profile id, keyword-only
    history : bool, keyword-only
        Apply the history rule (needs the previous year in the workbook).

    Returns
    -------
    TargetReviewResult
        ``.findings`` / ``.to_frame()`` (one row per problem), ``.projects`` (score = share of
        checks passed), ``.by_rule`` and ``.by_department`` (district summary),
        ``.project(id)``.

    Raises
    ------
    InputError
        No project in the year (or among ``project_ids``).

    Notes
    -----
    See the module docstring for the rules. Comparisons allow a relative tolerance of 1e-9
    (a cost target equal to the budget is not above it). The history rule matches on project
    and 三级 name; when the previous year holds the same 三级 name twice for a project the
    match is ambiguous and skipped.
    """
    prof = load_profile(profile)
    tr = prof.get("finance_eval.target_review")
    year = int(year) if year is not None else workbook.latest_year()
    wb = workbook.select(years=[year], project_ids=project_ids)
    projects = wb["projects"]
    if projects.empty:
        raise InputError(f"no projects for year {year}"
                         + (" and the requested ids" if project_ids is not None else ""),
                         file=workbook.source or None, argument="year", value=year)
    info_cols = ["project_id", "name", "department", "implementing_unit"]
    info = projects.reindex(columns=info_cols).drop_duplicates("project_id")
    ind = wb["indicators"].copy()
    ind["project_id"] = ind["project_id"].astype(str)
    info["project_id"] = info["project_id"].astype(str)
    ind = ind[ind["project_id"].isin(info["project_id"])]
    p = _parsed(ind)
    ind = ind.assign(_value=p["value"], _unit=p["unit"], _dir=p["direction"], _kind=p["kind"],
                     _deadline=p["deadline"], _text=p["text"], _qual=p["qual_text"],
                     _ok=p["ok"])
    if ROW not in ind:
        ind[ROW] = np.nan
    ind["path"] = ind["level1"].astype(str) + "/" + ind["level2"].astype(str) + "/" \
        + ind["level3"].astype(str)
    parts: list[pd.DataFrame] = []
    checks: list[pd.DataFrame] = []

    def finding(rows: pd.DataFrame, rule: str, code: str, msg, msg_en, value=np.nan,
                reference=np.nan) -> None:
        if rows.empty:
            return
        parts.append(pd.DataFrame({
            "project_id": rows["project_id"].to_numpy(), "year": year,
            "level1": rows.get("level1"), "level2": rows.get("level2"),
            "level3": rows.get("level3"), "path": rows["path"].to_numpy(), "rule": rule,
            "code": code, "message": msg, "message_en": msg_en,
            "target": rows.get("_text"), "value": value, "reference": reference,
            "_row": rows.get(ROW)}, index=rows.index))

    def checked(proj: pd.Series, rule: str, failed: pd.Series) -> None:
        checks.append(pd.DataFrame({"project_id": proj.to_numpy(), "rule": rule,
                                    "failed": failed.to_numpy().astype(bool)}))

    # --- completeness: six checks per project (vectorised over a project × required grid) ------
    req2 = list(tr["required_output_level2"])
    req = pd.DataFrame([(_OUT, l2) for l2 in req2] + [(_EFF, None), (_SAT, None)],
                       columns=["level1", "level2"])
    grid = info[["project_id"]].merge(req, how="cross")
    have2 = ind[["project_id", "level1", "level2"]].drop_duplicates().assign(_h2=True)
    have1 = ind[["project_id", "level1"]].drop_duplicates().assign(_h1=True)
    grid = grid.merge(have2, on=["project_id", "level1", "level2"], how="left") \
        .merge(have1, on=["project_id", "level1"], how="left")
    present = np.where(grid["level2"].notna(), grid["_h2"].fillna(False).astype(bool),
                       grid["_h1"].fillna(False).astype(bool))
    grid["present"] = present
    checked(grid["project_id"], "completeness", ~grid["present"])
    miss = grid[~grid["present"]].copy()
    miss["path"] = miss["level1"] + np.where(miss["level2"].notna(),
                                             "/" + miss["level2"].fillna(""), "")
    miss["level3"] = None
    finding(miss, "completeness", np.where(miss["level2"].notna(), "missing_level2",
                                           "missing_level1"),
            "缺少" + miss["path"].str.replace("/", "—", regex=False),
            "missing " + miss["path"], reference=np.nan)

    # --- quantified ----------------------------------------------------------------------------
    is_dl = ind["_deadline"].notna()
    graded = ind["_dir"].eq("定性")
    qual_kind = ind["_kind"].eq("定性") | graded
    has_num = ind["_value"].notna()
    no_unit = ~qual_kind & has_num & ~is_dl & ind["_unit"].isna()
    not_q = ~qual_kind & ~has_num & ~is_dl
    ungraded = ind["_kind"].eq("定性") & ~graded
    checked(ind["project_id"], "quantified", no_unit | not_q | ungraded)
    r = ind[no_unit]
    finding(r, "quantified", "no_unit", "定量指标“" + r["level3"] + "”缺少计量单位",
            "quantitative indicator '" + r["level3"] + "' has no unit", value=r["_value"])
    r = ind[not_q]
    finding(r, "quantified", "not_quantified",
            "指标“" + r["level3"] + "”的年度指标值未量化，也未按定性分级",
            "indicator '" + r["level3"] + "' is neither quantified nor graded")
    r = ind[ungraded]
    finding(r, "quantified", "ungraded",
            "定性指标“" + r["level3"] + "”未按分级标准设置（指标方向应为“定性”）",
            "qualitative indicator '" + r["level3"] + "' is not graded (direction should be 定性)")

    # --- measurable ----------------------------------------------------------------------------
    words = [str(w) for w in tr["quantitative_words"]]
    pattern = "|".join(re.escape(w) for w in words) if words else None
    looks_quant = ind["level2"].isin(list(tr["quantitative_level2"])) | ind["_unit"].notna()
    if pattern:
        looks_quant |= ind["level3"].astype(str).str.contains(pattern, regex=True)
    unreadable = ~ind["_ok"] & ~graded     # graded text may hold digits (GB3838 III类)
    text_for_number = ind["_ok"] & ind["_qual"] & looks_quant & ~is_dl
    checked(ind["project_id"], "measurable", unreadable | text_for_number)
    r = ind[unreadable]
    finding(r, "measurable", "unreadable",
            "指标“" + r["level3"] + "”的年度指标值“" + r["_text"].astype(str) + "”无法识别",
            "the target '" + r["_text"].astype(str) + "' of '" + r["level3"]
            + "' cannot be read")
    r = ind[text_for_number & ~unreadable]
    finding(r, "measurable", "qualitative_text",
            "指标“" + r["level3"] + "”宜量化，年度指标值却为定性表述“" + r["_text"].astype(str) + "”",
            "'" + r["level3"] + "' calls for a number but its target is text '"
            + r["_text"].astype(str) + "'")

    # --- budget match --------------------------------------------------------------------------
    bud = wb["budget"].copy()
    bud["project_id"] = bud["project_id"].astype(str)
    adj = pd.to_numeric(bud.get("adjusted"), errors="coerce")
    ini = pd.to_numeric(bud.get("initial"), errors="coerce")
    bud["_b"] = adj.where(adj.notna(), ini)
    budget = bud.groupby("project_id")["_b"].sum(min_count=1).rename("_budget")
    factor = ind["_unit"].map(AMOUNT_UNITS)
    cost = ind["level2"].eq(_COST) & factor.notna() & has_num & ~is_dl
    c = ind[cost].assign(_amount=ind["_value"] * factor).merge(
        budget, left_on="project_id", right_index=True, how="left")
    c.index = ind.index[cost]
    c = c[c["_budget"].notna() & (c["_budget"] > 0)]
    hi = float(tr["cost_max_share"])
    lo = float(tr["cost_min_share"])
    above = c["_amount"] > c["_budget"] * hi * (1 + _REL)
    below = c["_amount"] < c["_budget"] * lo * (1 - _REL)
    checked(c["project_id"], "budget_match", above | below)
    r = c[above]
    finding(r, "budget_match", "cost_above_budget",
            "成本指标“" + r["level3"] + "”目标值 " + _fmt(r["_amount"], 4) + " 万元，超过项目全年预算 "
            + _fmt(r["_budget"], 4) + " 万元" + ("" if hi == 1 else f"的 {hi:.0%}"),
            "cost target '" + r["level3"] + "' of " + _fmt(r["_amount"], 4)
            + " (10k yuan) exceeds the full-year budget " + _fmt(r["_budget"], 4),
            value=r["_amount"], reference=r["_budget"])
    r = c[below]
    finding(r, "budget_match", "cost_below_share",
            "成本指标“" + r["level3"] + "”目标值 " + _fmt(r["_amount"], 4) + " 万元，不足项目全年预算 "
            + _fmt(r["_budget"], 4) + f" 万元的 {lo:.0%}",
            "cost target '" + r["level3"] + "' of " + _fmt(r["_amount"], 4)
            + f" (10k yuan) is below {lo:.0%} of the full-year budget " + _fmt(r["_budget"], 4),
            value=r["_amount"], reference=r["_budget"])

    # --- history -------------------------------------------------------------------------------
    if history:
        prev = workbook.select(years=[year - 1])["indicators"].copy()
        if not prev.empty and "actual_value" in prev:
            prev["project_id"] = prev["project_id"].astype(str)
            prev = prev[prev["project_id"].isin(info["project_id"])]
            pdl = prev["target_deadline"].notna() if "target_deadline" in prev \
                else pd.Series(False, index=prev.index)
            prev = prev.assign(_pa=pd.to_numeric(prev["actual_value"], errors="coerce"),
                               _pu=_norm_unit(prev["unit"]) if "unit" in prev else None)
            prev = prev[prev["_pa"].notna() & ~pdl]
            prev = prev[~prev.duplicated(["project_id", "level3"], keep=False)]
            cur = ind[ind["_dir"].isin(["≥", "≤"]) & has_num & ~is_dl]
            m = cur.reset_index().merge(prev[["project_id", "level3", "_pa", "_pu"]],
                                        on=["project_id", "level3"], how="inner") \
                .set_index("index")
            fc = m["_unit"].map(AMOUNT_UNITS)
            fp = m["_pu"].map(AMOUNT_UNITS)
            both_amount = fc.notna() & fp.notna()
            same_unit = (m["_unit"].fillna("") == m["_pu"].fillna(""))
            m = m.assign(_t=np.where(both_amount, m["_value"] * fc, m["_value"]),
                         _a=np.where(both_amount, m["_pa"] * fp, m["_pa"]))
            m = m[both_amount | same_unit]
            scale = np.maximum(m["_a"].abs(), 1.0) * _REL
            low_ge = m["_dir"].eq("≥") & (m["_t"] < m["_a"] - scale)
            high_le = m["_dir"].eq("≤") & (m["_t"] > m["_a"] + scale)
            checked(m["project_id"], "history", low_ge | high_le)
            u = m["_unit"].fillna("")
            r, ru = m[low_ge], u[low_ge]
            finding(r, "history", "below_last_actual",
                    "目标值低于上年实际完成值：“" + r["level3"] + "”目标 " + _fmt(r["_value"]) + ru
                    + "，上年实际完成 " + _fmt(r["_pa"]) + r["_pu"].fillna(""),
                    "target below last year's actual: '" + r["level3"] + "' target "
                    + _fmt(r["_value"]) + ru + ", last year " + _fmt(r["_pa"])
                    + r["_pu"].fillna(""), value=r["_value"], reference=r["_pa"])
            r, ru = m[high_le], u[high_le]
            finding(r, "history", "above_last_actual",
                    "反向指标目标值高于上年实际完成值：“" + r["level3"] + "”上限 " + _fmt(r["_value"])
                    + ru + "，上年实际 " + _fmt(r["_pa"]) + r["_pu"].fillna(""),
                    "ceiling above last year's actual: '" + r["level3"] + "' ceiling "
                    + _fmt(r["_value"]) + ru + ", last year " + _fmt(r["_pa"])
                    + r["_pu"].fillna(""), value=r["_value"], reference=r["_pa"])

    # --- assemble ------------------------------------------------------------------------------
    cols = [c for c in FINDING_COLUMNS if c not in ("name", "department", "implementing_unit")]
    findings = pd.concat([f.reindex(columns=cols) for f in parts]) if parts \
        else pd.DataFrame(columns=cols)
    order = {k: i for i, k in enumerate(RULES)}
    findings = findings.assign(_o=findings["rule"].map(order),
                               _rr=pd.to_numeric(findings["_row"], errors="coerce"))
    findings = findings.sort_values(["project_id", "_o", "_rr"], kind="stable",
                                    na_position="first").drop(columns=["_o", "_rr"])
    findings = findings.merge(info, on="project_id", how="left") \
        .reindex(columns=list(FINDING_COLUMNS)).reset_index(drop=True)

    ch = pd.concat(checks, ignore_index=True) if checks else \
        pd.DataFrame(columns=["project_id", "rule", "failed"])
    ch = ch.groupby(["project_id", "rule"]).agg(n_checks=("failed", "size"),
                                               n_failed=("failed", "sum")).reset_index()
    ch["n_failed"] = ch["n_failed"].astype(int)
    ch["_o"] = ch["rule"].map(order)
    ch = ch.sort_values(["project_id", "_o"]).drop(columns="_o").reset_index(drop=True)
    per = ch.groupby("project_id")[["n_checks", "n_failed"]].sum()
    failed_w = ch.pivot(index="project_id", columns="rule", values="n_failed") \
        .reindex(columns=list(RULES)).fillna(0).astype(int).add_prefix("failed_")
    proj = info.merge(ind.groupby("project_id").size().rename("n_indicators"),
                      left_on="project_id", right_index=True, how="left") \
        .merge(per, left_on="project_id", right_index=True, how="left") \
        .merge(failed_w, left_on="project_id", right_index=True, how="left")
    proj["n_indicators"] = proj["n_indicators"].fillna(0).astype(int)
    proj["score"] = 1 - proj["n_failed"] / proj["n_checks"]
    nf = findings.groupby("project_id").size()
    proj["n_findings"] = proj["project_id"].map(nf).fillna(0).astype(int)
    proj["rules_failed"] = [tuple(r for r in RULES if row[f"failed_{r}"] > 0)
                            for _, row in proj.iterrows()]
    proj = proj.sort_values("project_id", kind="stable").reset_index(drop=True)

    n_proj = len(proj)
    fr = findings.groupby("rule").agg(n_findings=("project_id", "size"),
                                      n_projects=("project_id", "nunique"))
    cr = ch.groupby("rule").agg(n_checks=("n_checks", "sum"), n_failed=("n_failed", "sum"))
    by_rule = pd.DataFrame({"rule": list(RULES), "label": [v[0] for v in RULES.values()],
                            "label_en": [v[1] for v in RULES.values()]})
    by_rule = by_rule.merge(fr, left_on="rule", right_index=True, how="left") \
        .merge(cr, left_on="rule", right_index=True, how="left")
    for c_ in ("n_findings", "n_projects", "n_checks", "n_failed"):
        by_rule[c_] = by_rule[c_].fillna(0).astype(int)
    by_rule["share_projects"] = by_rule["n_projects"] / n_proj
    by_rule["pass_rate"] = 1 - by_rule["n_failed"] / by_rule["n_checks"].replace(0, np.nan)
    by_rule = by_rule.drop(columns="n_failed")
    by_dep = proj.assign(_w=proj["n_findings"] > 0).groupby("department", dropna=False).agg(
        n_projects=("project_id", "size"), mean_score=("score", "mean"),
        n_findings=("n_findings", "sum"), n_projects_with_findings=("_w", "sum")).reset_index()
    by_dep["n_projects_with_findings"] = by_dep["n_projects_with_findings"].astype(int)
    district = {"n_projects": n_proj,
                "n_projects_with_findings": int((proj["n_findings"] > 0).sum()),
                "n_findings": int(len(findings)), "mean_score": float(proj["score"].mean()),
                "min_score": float(proj["score"].min())}
    rules = {**{k: jsonable(v) for k, v in tr.items()}, "history": bool(history),
             "sources": {k: prof.source(f"finance_eval.target_review.{k}") for k in tr}}
    return TargetReviewResult(profile=prof.ref(), year=year, rules=rules, findings=findings,
                              checks=ch, projects=proj, by_rule=by_rule, by_department=by_dep,
                              district=district)
