"""The district portfolio (绩效信息报告与公开) and the departments' performance-work assessment (考核).

黔江实施意见 §十 asks the finance bureau to report important evaluation results to the People's
Congress with the final accounts (重要绩效评价结果随同决算草案报送区人大常委会), §十八 to publish
performance information (推动绩效信息公开), and §十九 to assess how each department runs its
performance management (区财政局负责对区级各部门各单位 … 预算绩效管理工作情况进行考核).

- :func:`district_portfolio` rolls the year's self-evaluation grades up by department, budget
  type and sector, sums the money by grade, totals the result application (actions, recalls,
  overlaps) and scores the departments' performance-work assessment;
- :meth:`PortfolioResult.public` gives the public version with configured fields removed.

The assessment (考核) score — DESIGN PROPOSAL
--------------------------------------------
No source found gives the 考核 indicator set (domain.md §13). perfkit ships a documented simple
composite, each component a fraction in [0, 1]:

===================  ===================================================================
component            definition
===================  ===================================================================
``targets``          share of the department's projects whose targets pass the completeness
                     rule of the target review (:func:`perfkit.cycle.targets.review_targets`,
                     rule ``completeness``: no finding)
``self_eval``        self-evaluation quality: 1 − the share of the department's re-evaluated
                     projects whose self-evaluation is inflated
                     (:func:`perfkit.cycle.evaluation.reevaluate`, ``inflated``); not applicable
                     when none of its projects was re-evaluated
``execution``        budget execution: min(Σ 全年执行数 / Σ 全年预算数, 1) over its projects
===================  ===================================================================

``score = 100 × Σ w_k c_k / Σ w_k`` over the applicable components (weights
:data:`ASSESSMENT_WEIGHTS`, equal by default, ``U: design proposal``). The result states its status in every output.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from .._results import Result, jsonable
from ..errors import InputError
from ..model.workbook import Workbook
from ..rules import Profile, load_profile

__all__ = ["district_portfolio", "PortfolioResult", "ASSESSMENT_WEIGHTS", "ASSESSMENT_STATUS",
           "ASSESSMENT_COMPONENTS", "GROUP_COLUMNS", "PUBLIC_REMOVE"]

#: default weights of the assessment components (U: design proposal — equal weights)
ASSESSMENT_WEIGHTS = {"targets": 1.0, "self_eval": 1.0, "execution": 1.0}
#: component → (Chinese, English) name
ASSESSMENT_COMPONENTS = {
    "targets": ("绩效目标完整率", "share of projects with complete targets"),
    "self_eval": ("自评质量", "self-evaluation quality (1 − share inflated)"),
    "execution": ("预算执行率", "budget execution (capped at 100%)"),
}
ASSESSMENT_STATUS = "design proposal"
ASSESSMENT_STATUS_ZH = "设计方案（未见正式考核指标体系，权重可配置）"
#: fields removed from the public version by default (internal working information)
PUBLIC_REMOVE = ("implementing_unit", "flag_codes", "overlap_with")

#: columns of the grade roll-ups (by department / budget type / sector)
GROUP_COLUMNS = {
    "n_projects": "projects", "n_优": "graded 优", "n_良": "graded 良", "n_中": "graded 中",
    "n_差": "graded 差", "budget": "Σ 全年预算数 (万元)", "executed": "Σ 全年执行数 (万元)",
    "execution_rate": "Σ executed / Σ budget", "mean_total": "mean self-evaluation total",
    "weighted_total": "budget-weighted mean total", "share_good": "share graded 优 or 良",
}


@dataclass(frozen=True, eq=False)
class PortfolioResult(Result):
    """The district's performance portfolio of a year (绩效信息报告).

    Attributes
    ----------
    profile : dict
    year : int
    projects : DataFrame — one row per project: ``project_id, name, department_id, department,
        implementing_unit, budget_type, sector, budget, executed, execution_rate, total, grade,
        action, flag_codes, overlap_with, recall_amount``.
    by_department, by_budget_type, by_sector : DataFrame — the grade roll-ups
        (:data:`GROUP_COLUMNS`), a last row 合计.
    by_grade : DataFrame — ``grade, n_projects, budget, share_projects, share_budget``.
    by_action : DataFrame — ``action, n_projects, budget, share_budget`` (the grade's action).
    application : dict — totals of the result application: ``n_projects``, ``budget``,
        ``n_overlap_pairs``, ``n_idle``, ``recall_amount``, ``amounts_set``, ``note``.
    assessment : DataFrame — per department: ``department_id, department, n_projects,
        targets, n_reevaluated, self_eval, execution, score, rank`` (the components as
        fractions; NaN when not applicable), the design-proposal composite.
    assessment_rule : dict — weights, status, definitions.
    removed_fields : tuple — fields removed (public version), empty otherwise.
    """

    title = "预算绩效信息报告 District performance portfolio"

    profile: dict
    year: int
    projects: pd.DataFrame
    by_department: pd.DataFrame
    by_budget_type: pd.DataFrame
    by_sector: pd.DataFrame
    by_grade: pd.DataFrame
    by_action: pd.DataFrame
    application: dict
    assessment: pd.DataFrame
    assessment_rule: dict
    removed_fields: tuple = field(default=())

    def to_frame(self) -> pd.DataFrame:
        return self.by_department.copy()

    def _summary_lines(self) -> list[str]:
        g = self.by_grade.set_index("grade")["n_projects"]
        return [f"year: {self.year}", f"profile: {self.profile['id']} {self.profile['version']}",
                f"projects: {len(self.projects)}",
                "grades: " + ", ".join(f"{k} {int(v)}" for k, v in g.items()),
                f"assessment ({self.assessment_rule['status']}): "
                f"{len(self.assessment)} departments",
                *([f"public version: removed {', '.join(self.removed_fields)}"]
                  if self.removed_fields else [])]

    def public(self, remove: Iterable[str] = PUBLIC_REMOVE) -> "PortfolioResult":
        """The public version (公开版): every table without the columns named in ``remove``.

        Unknown names are ignored (a field may be absent from this year's tables); the names
        actually removed are recorded in ``removed_fields``.
        """
        if isinstance(remove, str):
            remove = [remove]
        names = [str(x) for x in remove]
        frames = {k: getattr(self, k) for k in ("projects", "by_department", "by_budget_type",
                                                "by_sector", "by_grade", "by_action",
                                                "assessment")}
        present = [n for n in names if any(n in f.columns for f in frames.values())
                   or n in self.application]
        out = {k: f.drop(columns=[c for c in names if c in f.columns]) for k, f in frames.items()}
        app = {k: v for k, v in self.application.items() if k not in names}
        return replace(self, application=app,
                       removed_fields=tuple(dict.fromkeys([*self.removed_fields, *present])),
                       **out)

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "year": int(self.year), "n_projects": int(len(self.projects)),
                "by_grade": jsonable(self.by_grade), "by_action": jsonable(self.by_action),
                "by_department": jsonable(self.by_department),
                "by_budget_type": jsonable(self.by_budget_type),
                "by_sector": jsonable(self.by_sector),
                "application": jsonable(self.application),
                "assessment": jsonable(self.assessment),
                "assessment_rule": jsonable(self.assessment_rule),
                "removed_fields": list(self.removed_fields),
                "projects": jsonable(self.projects)}


def _rollup(p: pd.DataFrame, by: str, grades: list[str], good: list[str]) -> pd.DataFrame:
    """Grade counts, money and mean totals per group, then a 合计 row."""
    d = p.assign(_w=p["budget"] * p["total"], _wb=p["budget"].where(p["total"].notna(), 0.0),
                 _good=p["grade"].isin(good), _graded=p["grade"].notna(),
                 **{f"n_{g}": p["grade"].eq(g) for g in grades})
    spec = dict(n_projects=("project_id", "size"),
                **{f"n_{g}": (f"n_{g}", "sum") for g in grades},
                budget=("budget", "sum"), executed=("executed", "sum"),
                mean_total=("total", "mean"), _w=("_w", "sum"), _wb=("_wb", "sum"),
                _good=("_good", "sum"), _graded=("_graded", "sum"))
    groups = d.assign(**{by: d[by].fillna("（未填）")}).groupby(by, sort=True).agg(**spec)
    total = d.assign(_all="合计").groupby("_all").agg(**spec)
    total.index.name = by
    out = pd.concat([groups, total])
    out["execution_rate"] = out["executed"] / out["budget"].where(out["budget"] > 0)
    out["weighted_total"] = out["_w"] / out["_wb"].where(out["_wb"] > 0)
    out["share_good"] = out["_good"] / out["_graded"].where(out["_graded"] > 0)
    cols = ["n_projects", *[f"n_{g}" for g in grades], "budget", "executed", "execution_rate",
            "mean_total", "weighted_total", "share_good"]
    out = out[cols].reset_index()
    for c in cols:
        if c.startswith("n_"):
            out[c] = out[c].astype(int)
    return out


def district_portfolio(workbook: Workbook, profile: Profile | str = "national", *,
                       year: int | None = None, self_evaluation: Any = None,
                       proposal: Any = None, reevaluation: Any = None, targets: Any = None,
                       weights: Mapping[str, float] | None = None,
                       reevaluation_sample: int | float | None = None,
                       seed: int = 0) -> PortfolioResult:
    """Roll a district-year up for the People's Congress and score the departments' 考核.

    Parameters
    ----------
    workbook : Workbook
    profile : Profile or profile id
    year : int, optional, keyword-only
        Defaults to the latest year of the workbook.
    self_evaluation : SelfEvaluation, optional, keyword-only
        :func:`perfkit.scoring.score_self_evaluation` of the year (computed when omitted).
    proposal : BudgetProposal, optional, keyword-only
        :func:`perfkit.cycle.application.budget_proposal` of the year (computed when omitted,
        from the same self-evaluation).
    reevaluation : ReevaluationResult, optional, keyword-only
        :func:`perfkit.cycle.evaluation.reevaluate` of the year (computed when omitted, with
        ``reevaluation_sample`` and ``seed``).
    targets : TargetReviewResult, optional, keyword-only
        :func:`perfkit.cycle.targets.review_targets` of the year (computed when omitted).
    weights : mapping, optional, keyword-only
        Weights of the assessment components (keys of :data:`ASSESSMENT_WEIGHTS`); default
        equal weights.
    reevaluation_sample, seed : keyword-only
        As ``sample`` and ``seed`` of :func:`~perfkit.cycle.evaluation.reevaluate` (default:
        every project with a self-evaluation).

    Returns
    -------
    PortfolioResult

    Notes
    -----
    Budget = Σ 全年预算数 (adjusted) over the project's fund sources, as in the self-evaluation.
    The budget-weighted mean total weighs each graded project's total by its budget. See the
    module docstring for the assessment composite (a design proposal).
    """
    prof = load_profile(profile)
    year = int(year) if year is not None else workbook.latest_year()
    w = dict(ASSESSMENT_WEIGHTS)
    if weights is not None:
        unknown = set(weights) - set(ASSESSMENT_WEIGHTS)
        if unknown:
            raise InputError(f"unknown component(s); known: {', '.join(ASSESSMENT_WEIGHTS)}",
                             argument="weights", value=sorted(unknown))
        w.update({k: float(v) for k, v in weights.items()})
    if any(not np.isfinite(v) or v < 0 for v in w.values()) or sum(w.values()) <= 0:
        raise InputError("weights must be ≥ 0 with a positive sum", argument="weights",
                         value=w)
    for name, obj in (("self_evaluation", self_evaluation), ("proposal", proposal),
                      ("reevaluation", reevaluation), ("targets", targets)):
        if obj is not None and int(getattr(obj, "year", year)) != year:
            raise InputError(f"is for year {obj.year}, not {year}", argument=name,
                             value=int(obj.year))
    if self_evaluation is None:
        from ..scoring.self_eval import score_self_evaluation
        self_evaluation = score_self_evaluation(workbook, prof, year=year)
    if proposal is None:
        from .application import budget_proposal
        proposal = budget_proposal(workbook, prof, year=year, scores=self_evaluation)
    if reevaluation is None:
        from .evaluation import reevaluate
        reevaluation = reevaluate(workbook, prof, year=year, sample=reevaluation_sample,
                                  seed=seed)
    if targets is None:
        from .targets import review_targets
        targets = review_targets(workbook, year=year, profile=prof)

    grades = [str(g) for g in prof.get("grades.bands")]
    good = grades[:2]
    sp = self_evaluation.projects.copy()
    sp["project_id"] = sp["project_id"].astype(str)
    cols = ["project_id", "name", "department_id", "department", "implementing_unit",
            "budget_type", "sector"]
    p = sp.reindex(columns=cols)
    p["budget"] = pd.to_numeric(sp["adjusted"], errors="coerce").to_numpy()
    p["executed"] = pd.to_numeric(sp["executed"], errors="coerce").to_numpy()
    p["execution_rate"] = p["executed"] / p["budget"].where(p["budget"] > 0)
    p["total"] = pd.to_numeric(sp["total"], errors="coerce").to_numpy()
    p["grade"] = sp["grade"].to_numpy()
    prop = proposal.table.set_index(proposal.table["project_id"].astype(str))
    for c in ("action", "flag_codes", "overlap_with", "recall_amount"):
        p[c] = prop[c].reindex(p["project_id"]).to_numpy() if c in prop else None
    p = p.sort_values("project_id", kind="stable").reset_index(drop=True)

    by_dept = _rollup(p.assign(department=p["department"].fillna(p["department_id"])),
                      "department", grades, good)
    by_bt = _rollup(p, "budget_type", grades, good)
    by_sector = _rollup(p, "sector", grades, good)
    tot_budget = float(p["budget"].sum())
    bg = p.assign(_g=p["grade"].fillna("（无等级）")).groupby("_g", sort=False).agg(
        n_projects=("project_id", "size"), budget=("budget", "sum"))
    order = [g for g in grades if g in bg.index] + [g for g in bg.index if g not in grades]
    bg = bg.reindex(order).rename_axis("grade").reset_index()
    bg["share_projects"] = bg["n_projects"] / len(p)
    bg["share_budget"] = bg["budget"] / tot_budget if tot_budget > 0 else np.nan
    ba = p.assign(_a=p["action"].fillna("（无）")).groupby("_a", sort=False).agg(
        n_projects=("project_id", "size"), budget=("budget", "sum"))
    ga = prof.get("application.grade_action")
    aorder = [a for a in dict.fromkeys(ga.values()) if a in ba.index] + \
        [a for a in ba.index if a not in ga.values()]
    ba = ba.reindex(aorder).rename_axis("action").reset_index()
    ba["share_budget"] = ba["budget"] / tot_budget if tot_budget > 0 else np.nan
    flags = p["flag_codes"].fillna("").astype(str)
    n_overlap_projects = int(flags.str.contains("overlap").sum())
    application = {
        "n_projects": int(len(p)), "budget": tot_budget,
        "n_overlap_projects": n_overlap_projects,
        "n_idle": int(flags.str.contains("idle_funds").sum()),
        "recall_amount": float(pd.to_numeric(p["recall_amount"], errors="coerce").sum()),
        "amounts_set": bool(proposal.amounts_set), "note": proposal.note,
        "note_en": proposal.note_en,
    }

    # --- the assessment (考核), design proposal -------------------------------------------------
    tp = targets.projects.assign(project_id=targets.projects["project_id"].astype(str))
    fc = tp.set_index("project_id")["failed_completeness"].reindex(p["project_id"])
    dkey = p["department_id"].fillna(p["department"]).astype(str)
    a = pd.DataFrame({"department_id": dkey, "department": p["department"],
                      "_complete": (fc == 0).astype(float).where(fc.notna()).to_numpy(),
                      "budget": p["budget"], "executed": p["executed"]})
    ag = a.groupby("department_id", sort=True).agg(
        department=("department", "first"), n_projects=("department", "size"),
        targets=("_complete", "mean"), budget=("budget", "sum"), executed=("executed", "sum"))
    ag["execution"] = (ag["executed"] / ag["budget"].where(ag["budget"] > 0)).clip(upper=1.0)
    rp = reevaluation.projects
    rdept = p.set_index("project_id")["department_id"].fillna(
        p.set_index("project_id")["department"]).astype(str)
    r = pd.DataFrame({"department_id": rp["project_id"].astype(str).map(rdept),
                      "inflated": rp["inflated"].astype(bool)})
    rq = r.groupby("department_id").agg(n_reevaluated=("inflated", "size"),
                                        _inf=("inflated", "mean"))
    ag["n_reevaluated"] = rq["n_reevaluated"].reindex(ag.index).fillna(0).astype(int)
    ag["self_eval"] = 1.0 - rq["_inf"].reindex(ag.index)
    comps = list(ASSESSMENT_WEIGHTS)
    vals = ag[comps].to_numpy(dtype=float)
    wv = np.array([w[c] for c in comps])
    ok = ~np.isnan(vals)
    num = np.nansum(np.where(ok, vals * wv, 0.0), axis=1)
    den = (ok * wv).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ag["score"] = np.where(den > 0, 100.0 * num / den, np.nan)
    ag["rank"] = ag["score"].rank(ascending=False, method="min")
    assessment = ag.reset_index()[["department_id", "department", "n_projects", "targets",
                                   "n_reevaluated", "self_eval", "execution", "score", "rank"]]
    assessment = assessment.sort_values(["rank", "department_id"], kind="stable",
                                        na_position="last").reset_index(drop=True)
    assessment["rank"] = assessment["rank"].astype("Int64")
    rule = {"status": ASSESSMENT_STATUS, "status_zh": ASSESSMENT_STATUS_ZH,
            "weights": w, "components": {k: {"zh": v[0], "en": v[1]}
                                         for k, v in ASSESSMENT_COMPONENTS.items()},
            "formula": "score = 100 × Σ w_k·c_k / Σ w_k over the applicable components",
            "reevaluation_sample": jsonable(reevaluation.sample),
            "source": "U: design proposal (黔江实施意见 §十九 asks for the assessment; no "
                      "indicator set found)"}
    return PortfolioResult(profile=prof.ref(), year=year, projects=p, by_department=by_dept,
                           by_budget_type=by_bt, by_sector=by_sector, by_grade=bg,
                           by_action=ba, application=application, assessment=assessment,
                           assessment_rule=rule)
