"""Result application (结果应用): evaluation results → next year's budget.

黔江实施意见 §十六 links results to budgets: projects that perform well are in principle given
priority (优先保障), average ones are urged to improve (督促改进), overlapping and fragmented ones
are adjusted (交叉重复、碎片化 → 调整), inefficient or ineffective funds are cut or cancelled
(削减或取消), and long-sedimented funds are recalled (长期沉淀 → 收回) (domain.md §7).

- :func:`apply_results` maps grades to actions by ``application.grade_action`` and, only when the
  user sets percentages, computes amounts — no source found specifies a percentage, so the
  profile's ``application.cut_percent`` is null and no amount is stated by default;
- :func:`idle_funds` finds sedimented funds (沉淀资金): low execution and a growing carry-over
  (上年结转资金) over consecutive years → 收回 (recall);
- :func:`detect_overlap` finds overlapping projects (交叉重复) of different departments by
  Chinese text similarity (character-bigram TF-IDF cosine, no network, no sklearn);
- :func:`budget_proposal` assembles the next-year proposal table per project.

Each function takes ``department=`` (a department id, or its name) to report on one
department: its projects' actions, its sedimented funds, the overlap pairs that involve at least
one of its projects (the partner may belong to any department; the department's project is put
in column A) and its rows of the proposal. Overlaps are still searched over the whole district
(and IDF weights computed over it), so a department's pairs are exactly the district's pairs
that involve it. The result records the department in ``.department``
(``{"department_id", "department"}``, ``None`` for the district).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd
from scipy import sparse

from .._results import Result, jsonable
from .._text import segments, text_similarity, tfidf_matrix
from ..errors import Collector, InputError
from ..model.frames import norm_ids
from ..model.workbook import SHEET, Workbook, excel_row
from ..rules import Profile, load_profile
from ..scoring.grades import grade as _grade
from ._scope import department_scope as _department_scope
from ._scope import scope_lines as _scope_lines

__all__ = ["apply_results", "idle_funds", "detect_overlap", "budget_proposal",
           "text_similarity", "ApplicationResult", "IdleFundsResult", "OverlapResult",
           "BudgetProposal", "ACTIONS_EN", "ACTION_COLUMNS", "IDLE_COLUMNS", "OVERLAP_COLUMNS",
           "PROPOSAL_COLUMNS"]

_EPS = 1e-9

#: action (处理方向) → English
ACTIONS_EN = {"优先保障": "give priority", "保障": "maintain", "改进": "improve",
              "督促改进": "urge improvement", "压缩": "compress", "削减或取消": "cut or cancel",
              "取消": "cancel", "调整整合": "adjust or merge", "收回": "recall"}

#: fixed columns of ApplicationResult.to_frame()
ACTION_COLUMNS = {
    "project_id": "项目编码", "name": "项目名称", "department": "主管部门",
    "total": "score (when given)", "grade": "等级", "action": "处理方向 from application.grade_action",
    "action_en": "the action in English",
    "cut_percent": "percentage cut set by the user (NaN when none)",
    "budget": "the budget the percentage applies to (万元)",
    "proposed_amount": "budget × (1 − cut_percent/100) (NaN when no percentages are set)",
    "change": "proposed_amount − budget",
}
#: fixed columns of IdleFundsResult.to_frame()
IDLE_COLUMNS = {
    "project_id": "项目编码", "name": "项目名称", "department": "主管部门",
    "window_start": "first year of the window", "window_end": "last year (the year examined)",
    "years_present": "years of the window with budget rows",
    "execution_rate": "execution rate of the last year (Σ executed / Σ adjusted)",
    "max_execution_rate": "highest execution rate in the window",
    "carryover_first": "上年结转资金 in the window's first year (万元)",
    "carryover": "上年结转资金 in the last year (万元)",
    "balance": "unspent at the end of the last year: adjusted − executed (万元)",
    "idle": "sedimented: every window year below the execution threshold with a carry-over "
            "above min_carryover that grows every year",
    "recall_amount": "收回: the last year's unspent balance (NaN when not idle)",
    "action": "收回 when idle",
}
#: fixed columns of OverlapResult.to_frame()
OVERLAP_COLUMNS = {
    "project_id_a": "项目编码 A", "name_a": "项目名称 A", "department_a": "主管部门 A",
    "project_id_b": "项目编码 B", "name_b": "项目名称 B", "department_b": "主管部门 B",
    "similarity": "combined similarity (weighted mean of the field cosines present in both)",
    "name_similarity": "cosine of the names", "objective_similarity": "cosine of the objectives",
    "indicator_similarity": "cosine of the indicator names",
    "shared_indicators": "三级指标 names the two share (normalised), ';'-joined",
    "action": "调整整合",
}
#: fixed columns of BudgetProposal.to_frame()
PROPOSAL_COLUMNS = {
    "project_id": "项目编码", "name": "项目名称", "department": "主管部门",
    "current_budget": "this year's appropriation (application.proposal_base_sources, 万元)",
    "total": "evaluation score", "grade": "等级", "action": "处理方向 from the grade",
    "flag_codes": "idle_funds / overlap, ';'-joined", "overlap_with": "partner project ids",
    "recall_amount": "收回 amount of sedimented funds (万元)",
    "actions": "every action, ';'-joined (grade action, then flag actions)",
    "cut_percent": "percentage cut set by the user", "proposed_amount": "next year's proposal "
    "(NaN when no percentages are set)", "change": "proposed_amount − current_budget",
}

_NOTE_NO_AMOUNT = ("未设置压减比例：政策文件未规定具体比例（规则 application.cut_percent 为空），"
                   "本表只给出处理方向，不计算金额。如需金额，请设置 cut_percent。",
                   "No percentages set: no source specifies them (application.cut_percent is "
                   "null), so only the direction is given and no amount. Set cut_percent to get "
                   "amounts.")
_NOTE_AMOUNT = ("金额按用户设置的比例计算：{detail}；未列出的等级不调整。",
                "Amounts use the percentages set by the user: {detail}; grades not listed are "
                "unchanged.")


def _years(workbook: Workbook, year: int | None) -> int:
    return int(year) if year is not None else workbook.latest_year()


# --------------------------------------------------------------------------------------------
# grade → action, amounts
# --------------------------------------------------------------------------------------------

def _resolve_cut(cut_percent: Mapping | None, grade_action: Mapping[str, str]) -> dict | None:
    """{grade: percent} from keys that are grades or actions; None when not set."""
    if cut_percent is None:
        return None
    if not isinstance(cut_percent, Mapping):
        raise InputError("must map grades (优/良/中/差) or actions to a percentage, e.g. "
                         "{'差': 100, '中': 10}", argument="cut_percent", value=cut_percent)
    out: dict[str, float] = {}
    for k, v in cut_percent.items():
        try:
            pct = float(v)
        except (TypeError, ValueError):
            pct = float("nan")
        if not (0 <= pct <= 100):
            raise InputError(f"the percentage for {k!r} must be a number from 0 to 100",
                             argument="cut_percent", value=v)
        if k in grade_action:
            out[str(k)] = pct
        elif k in grade_action.values():
            for g, a in grade_action.items():
                if a == k:
                    out.setdefault(g, pct)
        else:
            raise InputError(f"unknown key {k!r}: use a grade ({', '.join(grade_action)}) or an "
                             f"action ({', '.join(dict.fromkeys(grade_action.values()))})",
                             argument="cut_percent", value=k)
    return out


def _scores_frame(scores: Any) -> pd.DataFrame:
    if hasattr(scores, "projects") and isinstance(getattr(scores, "projects"), pd.DataFrame):
        scores = scores.projects
    if not isinstance(scores, pd.DataFrame):
        raise InputError("must be a DataFrame with project_id and grade (or total), or a "
                         "SelfEvaluation", argument="scores", value=type(scores).__name__)
    if "project_id" not in scores:
        raise InputError("needs a project_id column", argument="scores")
    if "grade" not in scores and "total" not in scores:
        raise InputError("needs a grade or a total column", argument="scores")
    return norm_ids(scores)


def _budget_series(budgets: Any, scores: pd.DataFrame) -> pd.Series | None:
    if budgets is None:
        for c in ("budget", "current_budget", "adjusted"):
            if c in scores:
                return pd.to_numeric(scores[c], errors="coerce").set_axis(scores["project_id"])
        return None
    if isinstance(budgets, pd.DataFrame):
        num = [c for c in budgets.columns if c != "project_id"
               and pd.api.types.is_numeric_dtype(budgets[c])]
        if "project_id" not in budgets or not num:
            raise InputError("a DataFrame of budgets needs project_id and a numeric column",
                             argument="budgets")
        col = "budget" if "budget" in budgets else num[0]
        s = budgets.set_index(budgets["project_id"].astype(str))[col]
    elif isinstance(budgets, pd.Series):
        s = budgets.copy()
    elif isinstance(budgets, Mapping):
        s = pd.Series(dict(budgets))
    else:
        raise InputError("must be a mapping, Series or DataFrame of project_id → budget",
                         argument="budgets", value=type(budgets).__name__)
    s.index = s.index.astype(str)
    s = pd.to_numeric(s, errors="coerce")
    if (s < 0).any():
        raise InputError("budgets must not be negative", argument="budgets",
                         value=float(s[s < 0].iloc[0]))
    return s


@dataclass(frozen=True, eq=False)
class ApplicationResult(Result):
    """Grade → action (and amounts when percentages are set) for each project."""

    title = "绩效评价结果应用 Result application"

    profile: dict
    actions: pd.DataFrame
    cut_percent: dict | None
    amounts_set: bool
    note: str
    note_en: str
    department: dict | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.actions.reindex(columns=list(ACTION_COLUMNS)).reset_index(drop=True)

    def _summary_lines(self) -> list[str]:
        c = self.actions["action"].value_counts()
        return [f"profile: {self.profile['id']} {self.profile['version']}",
                *_scope_lines(self.department),
                f"projects: {len(self.actions)}",
                "actions: " + ", ".join(f"{k} {int(v)}" for k, v in c.items()),
                f"note: {self.note}"]

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "cut_percent": jsonable(self.cut_percent), "amounts_set": self.amounts_set,
                "note": self.note, "note_en": self.note_en,
                "department": jsonable(self.department), "actions": jsonable(self.to_frame())}


def apply_results(scores: pd.DataFrame, profile: Profile | str = "national", *,
                  cut_percent: Mapping[str, float] | None = None,
                  budgets: Any = None, department: str | None = None) -> ApplicationResult:
    """Link evaluation grades to budget actions (结果应用).

    Parameters
    ----------
    scores : DataFrame or SelfEvaluation
        One row per project with ``project_id`` and ``grade`` (or ``total``, graded by the
        profile's bands); ``name``, ``department`` and ``total`` are carried along.
        A :class:`~perfkit.scoring.self_eval.SelfEvaluation` is accepted (its ``.projects``).
    profile : Profile or profile id
        ``application.grade_action`` maps grades to actions (national: 优 优先保障, 良 保障,
        中 改进, 差 削减或取消).
    cut_percent : mapping, optional
        Percentage cut per grade or per action, 0–100 (``{"中": 10, "差": 100}``). Defaults to
        the profile's ``application.cut_percent``, which is null: then no amount is computed
        and the result's ``note`` says so. Grades not listed are cut by 0%.
    budgets : mapping, Series or DataFrame, optional
        project_id → the budget the percentage applies to. Defaults to a ``budget``,
        ``current_budget`` or ``adjusted`` column of ``scores``. Needed only with percentages.
    department : str, optional
        Only the projects of this department (matched on a ``department_id`` column of
        ``scores``, else on ``department``, the name); ``None``: every project.

    Returns
    -------
    ApplicationResult
        ``.to_frame()`` with :data:`ACTION_COLUMNS`.

    Notes
    -----
    ``proposed_amount = budget × (1 − cut_percent/100)``; ``change = proposed − budget``.
    """
    prof = load_profile(profile)
    app = prof.get("application")
    grade_action = dict(app["grade_action"])
    df = _scores_frame(scores)
    scope = None
    if department is not None:
        scope, keep = _department_scope(df, department, what="scores", argument="department")
        df = df[keep].reset_index(drop=True)
    if "total" in df and ("grade" not in df or df["grade"].isna().all()):
        df["grade"] = _grade(pd.to_numeric(df["total"], errors="coerce"),
                             prof.get("grades.bands")).to_numpy()
    problems = Collector()
    bad = df["grade"].notna() & ~df["grade"].isin(list(grade_action))
    for _, r in df[bad].iterrows():
        problems.add(f"grade {r['grade']!r} of project {r['project_id']} has no action in "
                     f"application.grade_action ({', '.join(grade_action)})",
                     sheet=r.get(SHEET), row=excel_row(r), column="grade", value=r["grade"])
    problems.raise_if_any()
    cut = _resolve_cut(cut_percent if cut_percent is not None else app.get("cut_percent"),
                       grade_action)
    out = pd.DataFrame({"project_id": df["project_id"].to_numpy()})
    for c in ("name", "department", "total"):
        out[c] = df[c].to_numpy() if c in df else None
    out["grade"] = df["grade"].to_numpy()
    out["action"] = df["grade"].map(grade_action).to_numpy()
    out["action"] = out["action"].where(out["action"].notna(), None)
    out["action_en"] = out["action"].map(ACTIONS_EN)
    bud = _budget_series(budgets, df)
    out["budget"] = (bud.reindex(out["project_id"]).to_numpy(dtype=float) if bud is not None
                     else np.nan)
    if cut is None:
        out["cut_percent"] = np.nan
        out["proposed_amount"] = np.nan
        out["change"] = np.nan
        note, note_en = _NOTE_NO_AMOUNT
    else:
        if bud is None:
            raise InputError("percentages are set but no budgets were given: pass budgets= or a "
                             "budget column in scores", argument="budgets")
        missing = out["budget"].isna() & out["grade"].notna()
        if missing.any():
            raise InputError("no budget for project(s) "
                             + ", ".join(out.loc[missing, "project_id"].head(10)),
                             argument="budgets", value=out.loc[missing, "project_id"].iloc[0])
        pct = out["grade"].map(cut).astype(float).fillna(0.0).where(out["grade"].notna())
        out["cut_percent"] = pct
        out["proposed_amount"] = out["budget"] * (1 - pct / 100)
        out["change"] = out["proposed_amount"] - out["budget"]
        detail = "，".join(f"{g} 压减 {p:g}%" for g, p in cut.items())
        detail_en = ", ".join(f"{g} cut {p:g}%" for g, p in cut.items())
        note = _NOTE_AMOUNT[0].format(detail=detail)
        note_en = _NOTE_AMOUNT[1].format(detail=detail_en)
    return ApplicationResult(profile=prof.ref(), actions=out, cut_percent=cut,
                             amounts_set=cut is not None, note=note, note_en=note_en,
                             department=scope)


# --------------------------------------------------------------------------------------------
# sedimented funds (沉淀资金)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class IdleFundsResult(Result):
    """Sedimented funds (沉淀资金): projects whose carry-over grows while execution stays low."""

    title = "长期沉淀资金 Sedimented funds"

    profile: dict
    year: int
    rule: dict
    projects: pd.DataFrame
    history: pd.DataFrame
    department: dict | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.projects.reindex(columns=list(IDLE_COLUMNS)).reset_index(drop=True)

    @property
    def idle_ids(self) -> list[str]:
        return self.projects.loc[self.projects["idle"], "project_id"].tolist()

    def _summary_lines(self) -> list[str]:
        p = self.projects
        return [f"year: {self.year}", f"profile: {self.profile['id']} {self.profile['version']}",
                *_scope_lines(self.department),
                f"rule: {self.rule}", f"projects examined: {len(p)}",
                f"idle: {int(p['idle'].sum())}, recall {p['recall_amount'].sum():.6g} 万元"]

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "year": int(self.year), "rule": jsonable(self.rule),
                "department": jsonable(self.department),
                "projects": jsonable(self.to_frame()), "history": jsonable(self.history)}


def idle_funds(workbook: Workbook, profile: Profile | str = "national", *,
               year: int | None = None, min_years: int | None = None,
               execution_below: float | None = None,
               min_carryover: float | None = None,
               department: str | None = None) -> IdleFundsResult:
    """Find sedimented funds (长期沉淀资金) to recall (收回).

    Parameters
    ----------
    workbook : Workbook
        Several years of the ``budget`` table; the carry-over is the ``上年结转资金`` row.
    profile : Profile or profile id
    year : int, optional
        The last year examined (default: the latest year of the workbook).
    min_years, execution_below, min_carryover : optional
        Override ``application.idle_funds.*`` (national: 2 years, execution < 60%,
        carry-over > 0 万元).
    department : str, optional
        Only this department's projects of ``year`` (its id, or its name).

    Returns
    -------
    IdleFundsResult
        ``.to_frame()`` one row per project of ``year`` (:data:`IDLE_COLUMNS`), ``.history``
        the per-year figures, ``.idle_ids``.

    Notes
    -----
    For the window of the ``min_years`` consecutive years ending at ``year``, a project is
    sedimented when every window year has budget rows, an execution rate (Σ executed /
    Σ adjusted over all sources) below ``execution_below``, and a carry-over (adjusted, or
    initial when blank, of the 上年结转资金 row) above ``min_carryover``, and the carry-over
    grows strictly from each window year to the next. The amount to recall is the last year's
    unspent balance (adjusted − executed), which would otherwise be carried over again.
    Default window of 2 years: 预算法 art. 42 treats carry-over unspent for two consecutive years
    as balance (结余) [U].
    """
    prof = load_profile(profile)
    rule = dict(prof.get("application.idle_funds"))
    if min_years is not None:
        rule["min_years"] = min_years
    if execution_below is not None:
        rule["execution_below"] = execution_below
    if min_carryover is not None:
        rule["min_carryover"] = min_carryover
    try:
        k = int(rule["min_years"])
        if k != float(rule["min_years"]) or k < 1:
            raise ValueError
    except (TypeError, ValueError):
        raise InputError("must be a whole number ≥ 1", argument="min_years",
                         value=rule["min_years"]) from None
    thr, min_c = float(rule["execution_below"]), float(rule["min_carryover"])
    year = _years(workbook, year)
    window = list(range(year - k + 1, year + 1))

    projects = norm_ids(workbook["projects"])
    projects = projects[projects["year"] == year].sort_values("project_id", kind="stable")
    if projects.empty:
        raise InputError(f"no projects for year {year}", argument="year", value=year)
    scope = None
    if department is not None:
        scope, keep = _department_scope(projects, department, year=year,
                                        file=workbook.source or None)
        projects = projects[keep]
    b = norm_ids(workbook["budget"])
    for c in ("initial", "adjusted", "executed"):
        b[c] = pd.to_numeric(b[c], errors="coerce")
    b = b[b["year"].isin(window) & b["project_id"].isin(projects["project_id"])]
    g = b.groupby(["project_id", "year"])
    hist = g[["adjusted", "executed"]].sum(min_count=1)
    carry_rows = b[b["source"] == "上年结转资金"]
    carry_amt = carry_rows["adjusted"].fillna(carry_rows["initial"])
    hist["carryover"] = carry_rows.assign(_c=carry_amt).groupby(["project_id", "year"])["_c"] \
        .sum().reindex(hist.index).fillna(0.0)
    hist["execution_rate"] = hist["executed"] / hist["adjusted"].where(hist["adjusted"] > 0)
    hist["balance"] = (hist["adjusted"] - hist["executed"]).clip(lower=0)

    ids = projects["project_id"].to_numpy()
    wide = lambda c: hist[c].unstack("year").reindex(index=ids, columns=window)  # noqa: E731
    rate, carry, bal = wide("execution_rate"), wide("carryover"), wide("balance")
    present = hist["adjusted"].unstack("year").reindex(index=ids, columns=window).notna()
    r, c = rate.to_numpy(dtype=float), carry.to_numpy(dtype=float)
    all_present = present.to_numpy().all(axis=1)
    low = np.all(r < thr - _EPS, axis=1)          # NaN rates compare False → not low
    positive = np.all(c > min_c + _EPS, axis=1)
    growing = np.all(np.diff(c, axis=1) > _EPS, axis=1) if k > 1 else np.ones(len(ids), bool)
    idle = all_present & low & positive & growing
    last_bal = bal[year].to_numpy(dtype=float)

    out = pd.DataFrame({"project_id": ids,
                        "name": projects.get("name", pd.Series(None, index=projects.index))
                        .to_numpy(),
                        "department": projects.get("department",
                                                   pd.Series(None, index=projects.index))
                        .to_numpy()})
    out["window_start"] = window[0]
    out["window_end"] = window[-1]
    out["years_present"] = present.to_numpy().sum(axis=1)
    out["execution_rate"] = r[:, -1]
    with np.errstate(all="ignore"):
        out["max_execution_rate"] = np.nanmax(np.where(np.isnan(r), -np.inf, r), axis=1)
    out.loc[~np.isfinite(out["max_execution_rate"]), "max_execution_rate"] = np.nan
    out["carryover_first"] = c[:, 0]
    out["carryover"] = c[:, -1]
    out["balance"] = last_bal
    out["idle"] = idle
    out["recall_amount"] = np.where(idle, last_bal, np.nan)
    out["action"] = np.where(idle, prof.get("application.flag_action")["idle_funds"], None)
    history = hist.reset_index()[["project_id", "year", "adjusted", "executed", "execution_rate",
                                  "carryover", "balance"]]
    return IdleFundsResult(profile=prof.ref(), year=year,
                           rule={"min_years": k, "execution_below": thr,
                                 "min_carryover": min_c, "window": window},
                           projects=out.reset_index(drop=True),
                           history=history.sort_values(["project_id", "year"]).reset_index(
                               drop=True), department=scope)


# --------------------------------------------------------------------------------------------
# overlap (交叉重复)
# --------------------------------------------------------------------------------------------

def _tfidf(docs: list[Any]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """L2-normalised character-bigram TF-IDF rows (:func:`perfkit._text.tfidf_matrix`) and a
    mask of non-empty documents."""
    X = tfidf_matrix(docs, n=2)
    return X, X.getnnz(axis=1) > 0


@dataclass(frozen=True, eq=False)
class OverlapResult(Result):
    """Pairs of projects of different departments whose texts are near-duplicates (交叉重复)."""

    title = "交叉重复项目 Overlapping projects"

    profile: dict
    year: int
    threshold: float
    fields: dict
    n_projects: int
    pairs: pd.DataFrame
    department: dict | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.pairs.reindex(columns=list(OVERLAP_COLUMNS)).reset_index(drop=True)

    def partners(self) -> dict[str, list[str]]:
        """project_id → the ids it overlaps with."""
        out: dict[str, list[str]] = {}
        for a, b in zip(self.pairs["project_id_a"], self.pairs["project_id_b"]):
            out.setdefault(a, []).append(b)
            out.setdefault(b, []).append(a)
        return out

    def _summary_lines(self) -> list[str]:
        return [f"year: {self.year}", f"profile: {self.profile['id']} {self.profile['version']}",
                *_scope_lines(self.department),
                f"projects: {self.n_projects}", f"threshold: {self.threshold:g}",
                f"pairs: {len(self.pairs)}"]

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "year": int(self.year), "threshold": float(self.threshold),
                "fields": jsonable(self.fields), "n_projects": int(self.n_projects),
                "department": jsonable(self.department), "pairs": jsonable(self.to_frame())}


def detect_overlap(workbook: Workbook, profile: Profile | str = "national", *,
                   year: int | None = None, threshold: float | None = None,
                   fields: Mapping[str, float] | None = None,
                   department: str | None = None) -> OverlapResult:
    """Find overlapping projects (交叉重复) of different departments.

    Parameters
    ----------
    workbook : Workbook
    profile : Profile or profile id
    year : int, optional
        Defaults to the latest year.
    threshold : float, optional
        Minimum combined similarity (0–1); defaults to ``application.overlap.threshold``.
    fields : mapping, optional
        Weights of the texts compared, keys among ``name``, ``objective``, ``indicators``;
        defaults to ``application.overlap.fields`` (equal weights).
    department : str, optional
        Only the pairs that involve a project of this department (its id, or its name); the
        department's project is in column A, its partner (of any other department) in B.
        The search and the IDF weights still cover the whole district.

    Returns
    -------
    OverlapResult
        ``.to_frame()`` one row per pair (:data:`OVERLAP_COLUMNS`), most similar first;
        ``.partners()``; ``n_projects`` the projects compared (the district's).

    Notes
    -----
    Each project gives three texts: its name (项目名称), its annual objective (年度总体目标) and
    the names of its 三级指标 joined. Each text becomes a character-bigram TF-IDF vector
    (:func:`text_similarity`: no word segmentation, no network, numpy/scipy sparse only) and
    the cosine of two vectors is the field similarity. The combined similarity is the weighted
    mean over the fields present (non-empty) in both projects:
    ``Σ_f w_f·cos_f / Σ_f w_f·[f present in both]``. Only pairs of different departments
    (``department_id``, else ``department``) are reported, when the combined similarity
    reaches the threshold. IDF is computed over the year's projects, so words every project
    shares (满意度, 项目) weigh little.
    """
    prof = load_profile(profile)
    ov = prof.get("application.overlap")
    thr = float(ov["threshold"] if threshold is None else threshold)
    if not 0 <= thr <= 1:
        raise InputError("must lie in [0, 1]", argument="threshold", value=threshold)
    w = dict(ov["fields"] if fields is None else fields)
    unknown = set(w) - {"name", "objective", "indicators"}
    if unknown or not w or any(float(v) < 0 for v in w.values()) \
            or sum(map(float, w.values())) <= 0:
        raise InputError("must map some of name, objective, indicators to non-negative weights "
                         "with a positive sum", argument="fields", value=dict(w))
    year = _years(workbook, year)
    p = norm_ids(workbook["projects"])
    p = p[p["year"] == year].sort_values("project_id", kind="stable").reset_index(drop=True)
    if p.empty:
        raise InputError(f"no projects for year {year}", argument="year", value=year)
    scope = None
    if department is not None:
        scope, mine = _department_scope(p, department, year=year, file=workbook.source or None)
    ind = norm_ids(workbook["indicators"])
    ind = ind[ind["year"] == year]
    names_by_pid = ind.groupby("project_id")["level3"].agg(
        lambda s: [x for x in s.dropna().astype(str)]) if not ind.empty else pd.Series(dtype=object)
    ind_lists = [names_by_pid.get(pid, []) for pid in p["project_id"]]
    texts = {"name": p.get("name", pd.Series(None, index=p.index)).tolist(),
             "objective": p.get("objective", pd.Series(None, index=p.index)).tolist(),
             "indicators": ["；".join(x) for x in ind_lists]}
    n = len(p)
    S = sparse.csr_matrix((n, n))
    mats, present = {}, {}
    for f, wf in w.items():
        X, pres = _tfidf(texts[f])
        mats[f] = (X @ X.T).tocsr()
        present[f] = pres
        S = S + float(wf) * mats[f]
    dept = (p["department_id"] if "department_id" in p else pd.Series(None, index=p.index))
    dept = dept.where(dept.notna(), p.get("department", pd.Series(None, index=p.index)))
    dept = dept.astype(str).to_numpy()
    S = sparse.triu(S, k=1).tocoo()
    i, j, num = S.row, S.col, S.data
    denom = np.zeros(len(i))
    for f, wf in w.items():
        denom += float(wf) * (present[f][i] & present[f][j])
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(denom > 0, num / denom, 0.0)
    keep = (dept[i] != dept[j]) & (sim >= thr - _EPS)
    i, j, sim = i[keep], j[keep], sim[keep]
    if scope is not None:
        # pairs with one of the department's projects, that project first (column A)
        keep = mine[i] | mine[j]
        i, j, sim = i[keep], j[keep], sim[keep]
        swap = ~mine[i]
        i, j = np.where(swap, j, i), np.where(swap, i, j)
    order = np.lexsort((j, i, -sim))
    i, j, sim = i[order], j[order], sim[order]

    def field_sim(f: str) -> np.ndarray:
        if f not in mats or len(i) == 0:
            return np.full(len(i), np.nan)
        v = np.asarray(mats[f][i, j]).ravel()
        return np.where(present[f][i] & present[f][j], v, np.nan)

    norm_sets = [{"".join(segments(x)) for x in lst} - {""} for lst in ind_lists]
    shared = [";".join(sorted(norm_sets[a] & norm_sets[b])) for a, b in zip(i, j)]
    col = lambda c: p.get(c, pd.Series(None, index=p.index)).to_numpy()  # noqa: E731
    pairs = pd.DataFrame({
        "project_id_a": p["project_id"].to_numpy()[i], "name_a": col("name")[i],
        "department_a": col("department")[i],
        "project_id_b": p["project_id"].to_numpy()[j], "name_b": col("name")[j],
        "department_b": col("department")[j], "similarity": sim,
        "name_similarity": field_sim("name"), "objective_similarity": field_sim("objective"),
        "indicator_similarity": field_sim("indicators"), "shared_indicators": shared,
        "action": prof.get("application.flag_action")["overlap"]})
    return OverlapResult(profile=prof.ref(), year=year, threshold=thr,
                         fields={k: float(v) for k, v in w.items()}, n_projects=n, pairs=pairs,
                         department=scope)


# --------------------------------------------------------------------------------------------
# next-year proposal
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class BudgetProposal(Result):
    """Next year's budget proposal per project (下年度预算安排建议)."""

    title = "下年度预算安排建议 Budget proposal"

    profile: dict
    year: int
    table: pd.DataFrame
    amounts_set: bool
    note: str
    note_en: str
    department: dict | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.table.reindex(columns=list(PROPOSAL_COLUMNS)).reset_index(drop=True)

    def _summary_lines(self) -> list[str]:
        t = self.table
        lines = [f"year: {self.year} → {self.year + 1}",
                 f"profile: {self.profile['id']} {self.profile['version']}",
                 *_scope_lines(self.department),
                 f"projects: {len(t)}", f"current budget: {t['current_budget'].sum():.6g} 万元",
                 f"recall: {t['recall_amount'].sum():.6g} 万元"]
        if self.amounts_set:
            lines.append(f"proposed: {t['proposed_amount'].sum():.6g} 万元")
        return lines + [f"note: {self.note}"]

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "year": int(self.year), "proposal_year": int(self.year) + 1,
                "amounts_set": self.amounts_set, "note": self.note, "note_en": self.note_en,
                "department": jsonable(self.department), "table": jsonable(self.to_frame())}


def budget_proposal(workbook: Workbook, profile: Profile | str = "national", *,
                    year: int | None = None, scores: Any = None,
                    cut_percent: Mapping[str, float] | None = None,
                    idle: IdleFundsResult | bool | None = None,
                    overlap: OverlapResult | bool | None = None,
                    department: str | None = None) -> BudgetProposal:
    """Next year's proposal table: current budget, grade, action, flags, amount if set.

    Parameters
    ----------
    workbook : Workbook
    profile : Profile or profile id
    year : int, optional
        The evaluated year (default latest); the proposal is for ``year + 1``.
    scores : DataFrame or SelfEvaluation, optional
        Grades per project; default :func:`perfkit.scoring.score_self_evaluation` of the year.
    cut_percent : mapping, optional
        As in :func:`apply_results`; without it no amount is proposed.
    idle, overlap : result, bool or None
        Results of :func:`idle_funds` / :func:`detect_overlap`; ``None`` computes them with the
        profile's rules (for ``department`` when it is given), ``False`` skips the check.
        Results for the whole district are accepted with ``department`` too.
    department : str, optional
        Only the rows of this department's projects (its id, or its name); the default
        scores are then computed for its projects only.

    Returns
    -------
    BudgetProposal
        ``.to_frame()`` with :data:`PROPOSAL_COLUMNS`.

    Notes
    -----
    ``current_budget`` is the year's adjusted amount of the fund sources in
    ``application.proposal_base_sources`` (national: 当年财政拨款). ``actions`` lists the grade's
    action, then 调整整合 for an overlap and 收回 for sedimented funds
    (``application.flag_action``). The recall amount is shown apart and is not subtracted from
    the proposal.
    """
    prof = load_profile(profile)
    app = prof.get("application")
    year = _years(workbook, year)
    p = norm_ids(workbook["projects"])
    p = p[p["year"] == year].sort_values("project_id", kind="stable").reset_index(drop=True)
    if p.empty:
        raise InputError(f"no projects for year {year}", argument="year", value=year)
    scope = None
    if department is not None:
        scope, keep = _department_scope(p, department, year=year, file=workbook.source or None)
        p = p[keep].reset_index(drop=True)
    b = norm_ids(workbook["budget"])
    b = b[(b["year"] == year) & b["source"].isin(list(app["proposal_base_sources"]))]
    cur = pd.to_numeric(b["adjusted"], errors="coerce").fillna(
        pd.to_numeric(b["initial"], errors="coerce")).groupby(b["project_id"]).sum()
    current = cur.reindex(p["project_id"]).fillna(0.0).to_numpy(dtype=float)
    if scores is None:
        from ..scoring.self_eval import score_self_evaluation
        scores = score_self_evaluation(workbook, prof, year=year,
                                       project_ids=None if scope is None
                                       else p["project_id"].tolist())
    sc = _scores_frame(scores)
    if "year" in sc:
        sc = sc[sc["year"].isna() | (sc["year"] == year)]

    sc = sc.drop(columns=[c for c in ("name", "department") if c in sc]) \
        .merge(p[["project_id"] + [c for c in ("name", "department") if c in p]],
               on="project_id", how="right")
    res = apply_results(sc, prof, cut_percent=cut_percent,
                        budgets=pd.Series(current, index=p["project_id"].to_numpy()))
    t = res.actions.set_index("project_id").reindex(p["project_id"]).reset_index()
    t["current_budget"] = current

    if idle is None:
        idle = idle_funds(workbook, prof, year=year, department=department)
    if overlap is None:
        overlap = detect_overlap(workbook, prof, year=year, department=department)
    recall = pd.Series(np.nan, index=t["project_id"])
    idle_set: set[str] = set()
    if isinstance(idle, IdleFundsResult):
        ip = idle.projects.set_index("project_id")
        idle_set = set(idle.idle_ids)
        recall = ip["recall_amount"].reindex(t["project_id"])
    elif idle is not False:
        raise InputError("must be an IdleFundsResult, None or False", argument="idle",
                         value=type(idle).__name__)
    partners: dict[str, list[str]] = {}
    if isinstance(overlap, OverlapResult):
        partners = overlap.partners()
    elif overlap is not False:
        raise InputError("must be an OverlapResult, None or False", argument="overlap",
                         value=type(overlap).__name__)
    fa = app["flag_action"]
    flags, with_, actions = [], [], []
    for pid, act in zip(t["project_id"], t["action"]):
        fl, acts = [], [act] if isinstance(act, str) else []
        if pid in partners:
            fl.append("overlap")
            acts.append(fa["overlap"])
        if pid in idle_set:
            fl.append("idle_funds")
            acts.append(fa["idle_funds"])
        flags.append(";".join(fl))
        with_.append(";".join(sorted(partners.get(pid, []))))
        actions.append(";".join(acts))
    t["flag_codes"] = flags
    t["overlap_with"] = with_
    t["recall_amount"] = recall.to_numpy(dtype=float)
    t["actions"] = actions
    return BudgetProposal(profile=prof.ref(), year=year, table=t, amounts_set=res.amounts_set,
                          note=res.note, note_en=res.note_en, department=scope)
