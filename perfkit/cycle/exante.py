"""Ex-ante performance assessment (事前绩效评估) of new projects and policies.

黔江实施意见 §七 asks departments to assess new major policies and projects before they are
funded, "重点论证立项必要性、投入经济性、绩效目标合理性、实施方案可行性、筹资合规性", and makes the
result a required element of the budget request. :func:`assess_exante` scores the experts'
rating sheet (评分表) of domain.md §5 and draws the conclusion 予以支持 / 调整后予以支持 / 不予支持.

The rating sheet (``ratings``), one row per subject × expert × item
--------------------------------------------------------------------

==============  ====================  ==========================================================
column          Chinese headers       meaning
==============  ====================  ==========================================================
``subject_id``  评估对象编码, 项目编码,  the project or policy assessed (several subjects allowed)
                政策编码, 评估对象
``dimension``   评估维度, 维度, 一级指标  one of the five dimensions of the variant (below)
``item``        评估要点, 评分要点,      the item rated (e.g. 目的明确, 测算依据和定额标准)
                二级指标, 要点
``rating``      评级, 评价等级, 等级     优 / 良 / 中 / 差 (also 优秀 / 良好 / 中等 / 较差)
``points``      分值                  optional: points of the item (the same for every expert)
``expert``      专家, 评审专家, 专家姓名  optional: who rated; one expert when absent
``_row``        —                     optional: the row as the user sees it, for error messages
==============  ====================  ==========================================================

Dimensions (domain.md §5, [V: I]) — project: 立项必要性, 投入经济性, 绩效目标合理性, 实施方案可行性,
筹资合规性; policy: 政策设立必要性, 政策保障充分性, 政策目标合理性, 政策实施可持续性, 政策资金合规性.
Every number (points per dimension, rating fractions, cut-offs, finding thresholds) comes from the
profile's ``exante`` section.
"""
from __future__ import annotations

import dataclasses
import math
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .._format import num_str as _fmt
from .._results import Result, jsonable
from .._validate import check_option
from ..errors import Collector, InputError
from ..methods.cba import CBAResult, LeastCostResult
from ..methods.survey import aggregate_scores
from ..model.workbook import ROW
from ..rules import Profile, load_profile

__all__ = ["assess_exante", "ExanteResult", "ExanteAssessment", "RATINGS_COLUMNS",
           "CONCLUSIONS", "EXANTE_SECTIONS", "FINDING_RULES"]

#: a comparison at a cut-off tolerates this much floating-point noise (80 by hand stays 80)
_EPS = 1e-9

#: canonical column → accepted headers (the canonical name first)
RATINGS_COLUMNS: dict[str, tuple[str, ...]] = {
    "subject_id": ("subject_id", "评估对象编码", "项目编码", "政策编码", "评估对象", "subject"),
    "dimension": ("dimension", "评估维度", "维度", "一级指标"),
    "item": ("item", "评估要点", "评分要点", "二级指标", "要点"),
    "rating": ("rating", "评级", "评价等级", "等级"),
    "points": ("points", "分值"),
    "expert": ("expert", "专家", "评审专家", "专家姓名"),
}
_LABELS = {"subject_id": "评估对象编码", "dimension": "评估维度", "item": "评估要点",
           "rating": "评级", "points": "分值", "expert": "专家"}
_RATING_VARIANTS = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}

#: conclusion → English
CONCLUSIONS = {"予以支持": "support", "调整后予以支持": "support after adjustment",
               "不予支持": "not supported"}
_REJECT = "不予支持"

#: the ex-ante report outline of domain.md §9.3 [V: I]: (title, English title, parts)
EXANTE_SECTIONS = (
    ("评估对象基本情况", "The subject assessed", ("立项背景", "主要内容", "绩效目标", "资金构成")),
    ("评估工作开展情况", "How the assessment was done", ("目的及对象", "思路及方法", "工作程序")),
    ("综合评估情况与评估结论", "Assessment by dimension and conclusion", ()),
    ("相关建议", "Recommendations", ()),
    ("其他需要说明的问题", "Other matters", ()),
    ("附件", "Annexes", ("评分表", "专家意见", "资料清单")),
)

#: finding rule codes → (Chinese, English) meaning
FINDING_RULES = {
    "weak_item": ("评估要点得分率低于“良”", "item scored below 良"),
    "weak_dimension": ("评估维度得分率偏低", "dimension scored low"),
    "cba_not_supportive": ("成本收益分析不支持", "cost-benefit analysis does not support the "
                           "project"),
    "least_cost_not_chosen": ("所选方案不是最低成本方案", "the chosen option is not the least-cost "
                              "option"),
}


# --------------------------------------------------------------------------------------------
# shared helpers (also used by perfkit.cycle.evaluation)
# --------------------------------------------------------------------------------------------
def _hkey(v: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(v)).split()).casefold()


def _map_columns(df: pd.DataFrame, spec: Mapping[str, tuple[str, ...]], *, argument: str
                 ) -> pd.DataFrame:
    """Rename accepted (Chinese or English) headers to the canonical names."""
    if not isinstance(df, pd.DataFrame):
        raise InputError("must be a DataFrame", argument=argument, value=type(df).__name__)
    lookup = {_hkey(h): canon for canon, hs in spec.items() for h in hs}
    ren, seen = {}, {}
    for c in df.columns:
        canon = lookup.get(_hkey(c))
        if canon is None:
            continue
        if canon in seen:
            raise InputError(f"two columns mean {canon!r}: {seen[canon]!r} and {c!r}",
                             argument=argument, column=str(c))
        seen[canon] = c
        ren[c] = canon
    out = df.rename(columns=ren).reset_index(drop=True)
    out.attrs["headers"] = {canon: str(c) for canon, c in seen.items()}
    return out


def _raise(col: Collector, headers: Mapping[str, str]) -> None:
    """Raise the collected problems, naming each column by the header the user wrote."""
    if col:
        col.problems = [dataclasses.replace(p, column=headers.get(p.column, p.column))
                        for p in col.problems]
    col.raise_if_any()


def _rows(df: pd.DataFrame) -> pd.Series:
    """Row numbers for messages: ``_row`` when present, else position + 2 (header = row 1)."""
    pos = pd.Series(np.arange(2, len(df) + 2), index=df.index)
    if ROW in df:
        r = pd.to_numeric(df[ROW], errors="coerce")
        return r.where(r.notna(), pos).astype(int)
    return pos


def _text(s: pd.Series) -> pd.Series:
    """NFKC-normalised, trimmed text (None for blanks)."""
    def one(v):
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            return None
        t = unicodedata.normalize("NFKC", str(v)).strip()
        return t or None
    return pd.Series([one(v) for v in s], index=s.index, dtype=object)


def _add_rows(col: Collector, mask: pd.Series, rows: pd.Series, column: str, rule: str,
              values: pd.Series | None = None, sheet: str | None = None) -> None:
    for i in mask[mask.fillna(False).astype(bool)].index:
        col.add(rule, sheet=sheet, row=int(rows[i]), column=column,
                value=None if values is None else jsonable(values[i]))


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ExanteAssessment(Result):
    """The ex-ante assessment of one subject: what its report (domain.md §9.3) states.

    ``to_dict()`` carries ``sections``: the six sections of the §9.3 outline, each with its
    number, Chinese and English title and its content (``None`` where the report writer fills it
    in: background, programme content, document list).
    """

    title = "事前绩效评估 Ex-ante performance assessment"

    subject_id: str
    variant: str
    profile: dict
    method: str
    experts: tuple
    total: float
    conclusion: str
    dimensions: pd.DataFrame
    items: pd.DataFrame
    expert_totals: pd.DataFrame
    findings: pd.DataFrame
    evidence: list
    warnings: list
    recommendations: list
    rules: dict
    info: dict

    @property
    def conclusion_en(self) -> str:
        return CONCLUSIONS[self.conclusion]

    def _summary_lines(self) -> list[str]:
        return [f"subject: {self.subject_id} ({self.variant})",
                f"profile: {self.profile['id']} {self.profile['version']}",
                f"experts: {len(self.experts)} ({self.method})",
                f"total: {self.total:.4f}", f"conclusion: {self.conclusion}",
                *[f"finding: {m}" for m in self.findings["message"]],
                *[f"evidence: {e['text']}" for e in self.evidence]]

    def to_frame(self) -> pd.DataFrame:
        return self.dimensions.copy()

    def to_dict(self) -> dict:
        dims = []
        for _, d in self.dimensions.iterrows():
            dims.append({"dimension": d["dimension"], "points": float(d["points"]),
                         "score": float(d["score"]), "share": float(d["share"]),
                         "findings": jsonable(self.findings[self.findings["dimension"]
                                                            == d["dimension"]]),
                         "evidence": [e for e in self.evidence
                                      if e["dimension"] == d["dimension"]]})
        items = jsonable(self.items.reset_index(drop=True))
        experts = jsonable(self.expert_totals.reset_index(drop=True))
        content = [
            self.info or None,
            {"experts": list(self.experts), "n_experts": len(self.experts),
             "aggregation": self.method, "rules": self.rules,
             "methods": ["专家评议"] + (["成本收益分析法"] if any(e["source"] == "cba"
                                                           for e in self.evidence) else [])
             + (["最低成本法"] if any(e["source"] == "least_cost" for e in self.evidence)
                else [])},
            {"dimensions": dims, "total": jsonable(self.total), "conclusion": self.conclusion,
             "conclusion_en": self.conclusion_en},
            {"recommendations": list(self.recommendations)},
            {"warnings": list(self.warnings)} if self.warnings else None,
            {"评分表": items, "专家意见": experts, "资料清单": None},
        ]
        sections = [{"number": i + 1, "title": t, "title_en": te, "parts": list(parts),
                     "content": c} for i, ((t, te, parts), c) in
                    enumerate(zip(EXANTE_SECTIONS, content))]
        return {"type": type(self).__name__, "subject_id": self.subject_id,
                "subject_type": self.variant, "profile": dict(self.profile),
                "method": self.method, "experts": list(self.experts),
                "total": jsonable(self.total), "conclusion": self.conclusion,
                "conclusion_en": self.conclusion_en,
                "dimensions": [{k: v for k, v in d.items() if k not in ("findings", "evidence")}
                               for d in dims],
                "findings": jsonable(self.findings.reset_index(drop=True)),
                "evidence": jsonable(self.evidence), "warnings": jsonable(self.warnings),
                "recommendations": list(self.recommendations), "sections": sections}


@dataclass(frozen=True, eq=False)
class ExanteResult(Result):
    """Ex-ante assessment (事前绩效评估) of one or more subjects.

    Attributes
    ----------
    profile : dict — id, version, hash of the rule profile.
    variant : ``"project"`` or ``"policy"``.
    method : how several experts' item scores were combined (mean / trimmed / median).
    subjects : DataFrame — one row per subject: ``subject_id, n_experts, n_items, total,
        conclusion, conclusion_en, n_findings``.
    dimensions : DataFrame — ``subject_id, dimension, points, score, share`` (score / points).
    items : DataFrame — the scoring table: ``subject_id, dimension, item, points, score,
        fraction, n_experts, sd, min, max, ratings`` (e.g. ``优×3、良×1``).
    expert_totals : DataFrame — ``subject_id, expert, total, n_items, complete`` (each
        expert's own total).
    findings : DataFrame — ``subject_id, dimension, item, rule, message, message_en, value``.
    evidence : list of dict — cost-benefit and least-cost evidence lines (subject_id,
        dimension, source, text, text_en, values).
    warnings : list of dict — e.g. an expert who did not rate every item.
    """

    title = "事前绩效评估 Ex-ante performance assessment"

    profile: dict
    variant: str
    method: str
    trim: float | None
    subjects: pd.DataFrame
    dimensions: pd.DataFrame
    items: pd.DataFrame
    expert_totals: pd.DataFrame
    findings: pd.DataFrame
    evidence: list
    warnings: list
    rules: dict
    info: dict

    def to_frame(self) -> pd.DataFrame:
        """One row per subject × dimension, then a 合计 row per subject."""
        tot = self.subjects[["subject_id", "total"]].rename(columns={"total": "score"})
        tot = tot.assign(dimension="合计", points=float(self.rules["total"]),
                         share=tot["score"] / float(self.rules["total"]))
        out = pd.concat([self.dimensions, tot[self.dimensions.columns]], ignore_index=True)
        order = {s: i for i, s in enumerate(self.subjects["subject_id"])}
        out["_o"] = out["subject_id"].map(order)
        return out.sort_values(["_o"], kind="stable").drop(columns="_o").reset_index(drop=True)

    def _summary_lines(self) -> list[str]:
        return [f"profile: {self.profile['id']} {self.profile['version']}",
                f"variant: {self.variant}; aggregation: {self.method}",
                *[f"{r.subject_id}: {r.total:.4f} → {r.conclusion}"
                  for r in self.subjects.itertuples()]]

    def subject(self, subject_id: str) -> ExanteAssessment:
        """The assessment of one subject (its report's content)."""
        sid = str(subject_id)
        s = self.subjects[self.subjects["subject_id"] == sid]
        if s.empty:
            raise InputError("no such subject in the assessment", argument="subject_id",
                             value=sid)
        s = s.iloc[0]
        pick = lambda df: df[df["subject_id"] == sid].drop(columns="subject_id") \
            .reset_index(drop=True)  # noqa: E731
        et = pick(self.expert_totals)
        f = self.findings[self.findings["subject_id"] == sid]
        return ExanteAssessment(
            subject_id=sid, variant=self.variant, profile=dict(self.profile),
            method=self.method, experts=tuple(et["expert"]), total=float(s["total"]),
            conclusion=s["conclusion"], dimensions=pick(self.dimensions),
            items=pick(self.items), expert_totals=et,
            findings=f.drop(columns="subject_id").reset_index(drop=True),
            evidence=[e for e in self.evidence if e["subject_id"] == sid],
            warnings=[w for w in self.warnings if w.get("subject_id") == sid],
            recommendations=_recommendations(s["conclusion"], f),
            rules=dict(self.rules), info=dict(self.info.get(sid, {})))

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "variant": self.variant, "method": self.method, "trim": self.trim,
                "rules": jsonable(self.rules),
                "subjects": [self.subject(s).to_dict() for s in self.subjects["subject_id"]]}


def _recommendations(conclusion: str, findings: pd.DataFrame) -> list[dict]:
    """Recommendation lines (相关建议) from the conclusion and the findings."""
    out = []
    if conclusion == "予以支持":
        out.append({"text": "建议予以支持，按程序纳入预算安排。",
                    "text_en": "Support the request and include it in the budget."})
    elif conclusion == "调整后予以支持":
        out.append({"text": "建议按评估意见调整完善后予以支持。",
                    "text_en": "Support the request once it is revised as advised."})
    else:
        out.append({"text": "建议不予支持：事前绩效评估未通过的，不安排预算。",
                    "text_en": "Do not support: no budget is arranged for a request that fails "
                               "the ex-ante assessment."})
    for r in findings.itertuples():
        if r.rule == "weak_item":
            out.append({"text": f"完善“{r.item}”（{r.dimension}）。",
                        "text_en": f"Improve '{r.item}' ({r.dimension})."})
        elif r.rule == "weak_dimension":
            out.append({"text": f"重点补充论证{r.dimension}。",
                        "text_en": f"Strengthen the case for {r.dimension}."})
        elif r.rule == "cba_not_supportive":
            out.append({"text": "复核成本收益测算，进一步论证投入经济性。",
                        "text_en": "Review the cost-benefit estimates and the economy of the "
                                   "inputs."})
        elif r.rule == "least_cost_not_chosen":
            out.append({"text": "说明未选择最低成本方案的理由，或改选成本更低的方案。",
                        "text_en": "Explain why the least-cost option was not chosen, or "
                                   "choose it."})
    return out


# --------------------------------------------------------------------------------------------
# the stage
# --------------------------------------------------------------------------------------------
def _per_subject(arg: Any, cls: type, subjects: list[str], name: str) -> dict[str, Any]:
    """A result or a mapping subject_id → result, as a dict over the subjects it concerns."""
    if arg is None:
        return {}
    if isinstance(arg, cls):
        if len(subjects) != 1:
            raise InputError(f"one {cls.__name__} given for {len(subjects)} subjects: pass a "
                             "mapping subject_id → result", argument=name)
        return {subjects[0]: arg}
    if isinstance(arg, Mapping):
        out = {}
        for k, v in arg.items():
            if str(k) not in subjects:
                raise InputError("names a subject that is not in the ratings", argument=name,
                                 value=k)
            if not isinstance(v, cls):
                raise InputError(f"values must be {cls.__name__}", argument=name,
                                 value=type(v).__name__)
            out[str(k)] = v
        return out
    raise InputError(f"must be a {cls.__name__} or a mapping subject_id → {cls.__name__}",
                     argument=name, value=type(arg).__name__)


def assess_exante(ratings: pd.DataFrame, profile: Profile | str = "national", *,
                  variant: str = "project", cba: Any = None, least_cost: Any = None,
                  chosen_option: Any = None, method: str | None = None,
                  trim: float | None = None, info: Mapping[str, Mapping] | None = None
                  ) -> ExanteResult:
    """Score an ex-ante assessment (事前绩效评估) and draw its conclusion.

    Parameters
    ----------
    ratings : DataFrame
        The rating sheet, one row per subject × expert × item (module docstring: columns
        ``subject_id, dimension, item, rating`` and optional ``points, expert, _row``; Chinese
        headers accepted).
    profile : Profile or profile id
    variant : {"project", "policy"}, keyword-only
        Which five dimensions apply: ``exante.dims`` or ``exante.policy_dims``.
    cba : CBAResult or mapping subject_id → CBAResult, optional, keyword-only
        From :func:`perfkit.methods.cba.appraise`. Adds an evidence line to the input-economy
        dimension (``exante.evidence_dimension``: 投入经济性 / 政策保障充分性) and, when NPV < 0
        or BCR < 1, the finding ``cba_not_supportive``.
    least_cost : LeastCostResult or mapping subject_id → LeastCostResult, optional
        From :func:`perfkit.methods.cba.least_cost`. Adds an evidence line naming the
        least-cost (or most cost-effective) option and the frontier.
    chosen_option : label or mapping subject_id → label, optional, keyword-only
        The option the request proposes; if it is not the least-cost result's ``best`` the
        finding ``least_cost_not_chosen`` is raised.
    method : {"mean", "trimmed", "median"}, optional, keyword-only
        How several experts' scores of an item are combined; default
        ``exante.expert_aggregation`` (mean).
    trim : float, optional, keyword-only
        Share cut from each end for ``method="trimmed"``. Default: one highest and one lowest
        score (1/k with k experts, when k ≥ 3; no trimming with fewer experts).
    info : mapping subject_id → mapping, optional, keyword-only
        Texts of section 1 of the report (立项背景, 主要内容, 绩效目标, 资金构成), passed through.

    Returns
    -------
    ExanteResult
        ``.subjects``, ``.dimensions``, ``.items``, ``.findings``, ``.subject(id)`` →
        :class:`ExanteAssessment` (whose ``to_dict()`` follows the §9.3 report outline).

    Raises
    ------
    InputError
        A missing column; an unknown dimension or rating (naming the row and column); a subject
        without one of the five dimensions; points given for some items of a dimension but not
        others, differing between experts, or not adding up to ``exante.total``; the same item
        rated twice by one expert; an expert column filled on some rows only.

    Notes
    -----
    Each item :math:`i` has points :math:`p_i`; by default every dimension gets
    ``exante.points_each`` (20) points split equally over its items, so the sheet totals
    ``exante.total`` (100). An expert's score of the item is :math:`p_i f(r)` with the rating
    fraction :math:`f` of ``exante.rating_fraction`` (优 1.0, 良 0.8, 中 0.6, 差 0.3). The item's
    score is the mean (or trimmed mean or median, :func:`perfkit.methods.survey.aggregate_scores`)
    of its experts' scores; the dimension score is the sum of its items, the total the sum of
    the dimensions. The conclusion uses ``exante.cutoffs`` on the unrounded total, half-open:
    total ≥ 80 予以支持, 60 ≤ total < 80 调整后予以支持, below 60 不予支持 (a tolerance of 1e-9
    keeps a total that is 80 by hand at 80).

    Findings: an item whose score is below ``weak_item_below`` (0.8, the 良 fraction) of its
    points; a dimension below ``weak_dimension_below`` (0.6) of its points; the cost-benefit
    and least-cost findings above. **Evidence does not change the score**: the experts rate
    投入经济性 having seen the analysis; a CBA that does not support the project is reported
    beside their rating, for the reader to weigh.
    """
    prof = load_profile(profile)
    ex = prof.get("exante")
    check_option("variant", variant, ("project", "policy"))
    method = method if method is not None else str(ex.get("expert_aggregation", "mean"))
    check_option("method", method, ("mean", "trimmed", "median"))
    if trim is not None and not (isinstance(trim, (int, float)) and 0 <= trim < 0.5):
        raise InputError("must be a number in [0, 0.5)", argument="trim", value=trim)
    dims = list(ex["dims"] if variant == "project" else ex["policy_dims"])
    fractions = {str(k): float(v) for k, v in ex["rating_fraction"].items()}
    points_each = float(ex["points_each"])
    total_pts = float(ex.get("total", points_each * len(dims)))
    tol = float(ex.get("points_tolerance", 0.01))

    df = _map_columns(ratings, RATINGS_COLUMNS, argument="ratings")
    headers = df.attrs.get("headers", {})
    missing = [c for c in ("subject_id", "dimension", "item", "rating") if c not in df]
    if missing:
        raise InputError(f"the rating sheet needs the column(s) {', '.join(missing)} "
                         f"({', '.join(_LABELS[c] for c in missing)})", argument="ratings",
                         column=missing[0])
    if df.empty:
        raise InputError("the rating sheet is empty", argument="ratings")
    rows = _rows(df)
    sid = _text(df["subject_id"])
    dim = _text(df["dimension"])
    item = _text(df["item"])
    rating = _text(df["rating"]).map(lambda r: _RATING_VARIANTS.get(r, r) if r else r)
    if "expert" in df:
        expert = _text(df["expert"])
    else:
        expert = pd.Series("专家", index=df.index, dtype=object)
    pts = pd.to_numeric(df["points"], errors="coerce") if "points" in df \
        else pd.Series(np.nan, index=df.index)

    col = Collector()
    _add_rows(col, sid.isna(), rows, "subject_id", "the subject (评估对象编码) is blank")
    _add_rows(col, dim.isna(), rows, "dimension", "the dimension (评估维度) is blank")
    _add_rows(col, dim.notna() & ~dim.isin(dims), rows, "dimension",
              f"unknown {variant} dimension; allowed: {'、'.join(dims)}", dim)
    _add_rows(col, item.isna(), rows, "item", "the item (评估要点) is blank")
    _add_rows(col, rating.isna(), rows, "rating", "the rating (评级) is blank")
    _add_rows(col, rating.notna() & ~rating.isin(list(fractions)), rows, "rating",
              f"unknown rating; allowed: {'/'.join(fractions)}", df["rating"])
    if "expert" in df and expert.notna().any():
        _add_rows(col, expert.isna(), rows, "expert",
                  "the expert (专家) is blank while other rows name one")
    elif "expert" in df:
        expert = pd.Series("专家", index=df.index, dtype=object)
    if "points" in df:
        raw_p = df["points"]
        bad_p = (_text(raw_p).notna() & pts.isna()) | (pts < 0) | np.isinf(pts)
        _add_rows(col, bad_p, rows, "points", "points (分值) must be a number ≥ 0", raw_p)
    _raise(col, headers)

    t = pd.DataFrame({"subject_id": sid, "expert": expert, "dimension": dim, "item": item,
                      "rating": rating, "points": pts, "_r": rows})
    dup = t.duplicated(["subject_id", "expert", "dimension", "item"], keep="first")
    _add_rows(col, dup, rows, "item", "this expert rated the same item twice", item)
    subjects = list(dict.fromkeys(t["subject_id"]))
    # every subject needs every dimension
    have = t.groupby("subject_id", sort=False)["dimension"].agg(set)
    first_row = t.groupby("subject_id", sort=False)["_r"].min()
    for s in subjects:
        lack = [d for d in dims if d not in have[s]]
        if lack:
            col.add(f"subject {s} has no rating for the dimension(s) {'、'.join(lack)}; each "
                    f"of {'、'.join(dims)} must be assessed", row=int(first_row[s]),
                    column="dimension", value=s)
    # points: all or none per subject × dimension, the same for every expert
    key_i = ["subject_id", "dimension", "item"]
    g = t.groupby(["subject_id", "dimension"], sort=False)["points"]
    some = (g.transform("count") > 0) & t["points"].isna()
    _add_rows(col, some, rows, "points", "points (分值) are given for some items of this "
              "dimension but not for this one; give all or none")
    gi = t.groupby(key_i, sort=False)["points"]
    spread = gi.transform("max") - gi.transform("min")
    _add_rows(col, spread > tol, rows, "points", "experts give this item different points",
              t["points"])
    _raise(col, headers)

    # --- item points -------------------------------------------------------------------------
    items = t.groupby(key_i, sort=False).agg(points=("points", "max"), _r=("_r", "min")) \
        .reset_index()
    n_items = items.groupby(["subject_id", "dimension"], sort=False)["item"].transform("size")
    items["points"] = items["points"].where(items["points"].notna(), points_each / n_items)
    sums = items.groupby("subject_id", sort=False)["points"].sum()
    for s in sums.index[(sums - total_pts).abs() > tol]:
        col.add(f"the points (分值) of subject {s} add up to {sums[s]:g}, not "
                f"{total_pts:g}", row=int(first_row[s]), column="points", value=float(sums[s]))
    _raise(col, headers)

    # --- scores ------------------------------------------------------------------------------
    t = t.drop(columns="points").merge(items[key_i + ["points"]], on=key_i, how="left")
    t["score"] = t["points"] * t["rating"].map(fractions)
    warnings = []
    parts, etot = [], []
    for s in subjects:
        ts = t[t["subject_id"] == s]
        m = ts.pivot(index=key_i, columns="expert", values="score")
        m = m.reindex(pd.MultiIndex.from_frame(items.loc[items["subject_id"] == s, key_i]))
        k = m.shape[1]
        tr = (trim if trim is not None else (1.0 / k if k >= 3 else 0.0)) \
            if method == "trimmed" else 0.1
        agg = aggregate_scores(m, method=method, trim=tr).table
        parts.append(agg.reset_index())
        rated = m.notna().sum(axis=0)
        for e in m.columns[rated < len(m)]:
            warnings.append({"subject_id": s, "code": "incomplete_expert", "expert": e,
                             "message": f"专家“{e}”未对全部评估要点评分（{int(rated[e])}/{len(m)}），"
                                        "其总分不可与其他专家比较",
                             "message_en": f"expert '{e}' rated {int(rated[e])} of {len(m)} "
                                           "items; their total is not comparable"})
        etot.append(pd.DataFrame({"subject_id": s, "expert": m.columns,
                                  "total": m.sum(axis=0, min_count=1).to_numpy(),
                                  "n_items": rated.to_numpy(),
                                  "complete": (rated == len(m)).to_numpy()}))
    agg = pd.concat(parts, ignore_index=True)
    items = items.merge(agg, on=key_i, how="left")
    counts = t.groupby(key_i + ["rating"], sort=False).size().rename("n").reset_index()
    order = {r: i for i, r in enumerate(fractions)}
    counts["_o"] = counts["rating"].map(order)
    counts = counts.sort_values(key_i + ["_o"], kind="stable")
    counts["txt"] = counts["rating"] + "×" + counts["n"].astype(str)
    ratings_txt = counts.groupby(key_i, sort=False)["txt"].agg("、".join).rename("ratings")
    items = items.merge(ratings_txt.reset_index(), on=key_i, how="left")
    items["fraction"] = items["score"] / items["points"]
    items = items.rename(columns={"n": "n_experts"})[
        key_i + ["points", "score", "fraction", "n_experts", "sd", "min", "max", "ratings",
                 "_r"]]
    items["_d"] = items["dimension"].map({d: i for i, d in enumerate(dims)})
    items["_s"] = items["subject_id"].map({s: i for i, s in enumerate(subjects)})
    items = items.sort_values(["_s", "_d", "_r"], kind="stable") \
        .drop(columns=["_s", "_d", "_r"]).reset_index(drop=True)

    dimt = items.groupby(["subject_id", "dimension"], sort=False)[["points", "score"]].sum() \
        .reset_index()
    dimt["share"] = dimt["score"] / dimt["points"]
    subj = dimt.groupby("subject_id", sort=False)["score"].sum().rename("total").reset_index()
    cut = sorted(((str(k), float(v)) for k, v in ex["cutoffs"].items()), key=lambda kv: -kv[1])
    conds = [subj["total"].to_numpy() >= lo - _EPS for _, lo in cut]
    subj["conclusion"] = np.select(conds, [c for c, _ in cut], default=_REJECT).astype(object)
    subj["conclusion_en"] = subj["conclusion"].map(CONCLUSIONS)
    et = pd.concat(etot, ignore_index=True)
    subj = subj.merge(et.groupby("subject_id").size().rename("n_experts").reset_index(),
                      on="subject_id").merge(
        items.groupby("subject_id").size().rename("n_items").reset_index(), on="subject_id")

    # --- findings ------------------------------------------------------------------------------
    weak_i = float(ex.get("weak_item_below", fractions.get("良", 0.8)))
    weak_d = float(ex.get("weak_dimension_below", 0.6))
    f_items = items[items["fraction"] < weak_i - _EPS]
    fi = pd.DataFrame({
        "subject_id": f_items["subject_id"], "dimension": f_items["dimension"],
        "item": f_items["item"], "rule": "weak_item",
        "message": "“" + f_items["item"] + "”得分率 " + (f_items["fraction"] * 100).map(_fmt)
        + "%（" + f_items["score"].map(_fmt) + "/" + f_items["points"].map(_fmt) + " 分，评级 "
        + f_items["ratings"] + "）",
        "message_en": "'" + f_items["item"] + "' scored " + (f_items["fraction"] * 100).map(_fmt)
        + "% (" + f_items["score"].map(_fmt) + " of " + f_items["points"].map(_fmt)
        + "; ratings " + f_items["ratings"] + ")",
        "value": f_items["fraction"]})
    f_dims = dimt[dimt["share"] < weak_d - _EPS]
    fd = pd.DataFrame({
        "subject_id": f_dims["subject_id"], "dimension": f_dims["dimension"], "item": None,
        "rule": "weak_dimension",
        "message": f_dims["dimension"] + "得分 " + f_dims["score"].map(_fmt) + "/"
        + f_dims["points"].map(_fmt) + " 分，得分率 " + (f_dims["share"] * 100).map(_fmt)
        + "%，低于 " + _fmt(weak_d * 100) + "%",
        "message_en": f_dims["dimension"] + " scored " + f_dims["score"].map(_fmt) + " of "
        + f_dims["points"].map(_fmt) + " (" + (f_dims["share"] * 100).map(_fmt) + "%), below "
        + _fmt(weak_d * 100) + "%",
        "value": f_dims["share"]})

    ev_dim = ex.get("evidence_dimension", {}).get(variant, dims[1])
    evidence, extra = _evidence(subjects, ev_dim,
                                _per_subject(cba, CBAResult, subjects, "cba"),
                                _per_subject(least_cost, LeastCostResult, subjects,
                                             "least_cost"),
                                chosen_option)
    findings = pd.concat([x for x in (fd, fi, pd.DataFrame(extra)) if len(x)],
                         ignore_index=True) if (len(fd) or len(fi) or extra) else \
        pd.DataFrame(columns=["subject_id", "dimension", "item", "rule", "message",
                              "message_en", "value"])
    findings["_s"] = findings["subject_id"].map({s: i for i, s in enumerate(subjects)})
    findings["_d"] = findings["dimension"].map({d: i for i, d in enumerate(dims)})
    findings = findings.sort_values(["_s", "_d"], kind="stable").drop(columns=["_s", "_d"]) \
        .reset_index(drop=True)
    subj = subj.merge(findings.groupby("subject_id").size().rename("n_findings").reset_index(),
                      on="subject_id", how="left")
    subj["n_findings"] = subj["n_findings"].fillna(0).astype(int)
    subj = subj[["subject_id", "n_experts", "n_items", "total", "conclusion", "conclusion_en",
                 "n_findings"]]
    rules = {"dimensions": dims, "points_each": points_each, "total": total_pts,
             "rating_fraction": fractions, "cutoffs": dict(ex["cutoffs"]),
             "weak_item_below": weak_i, "weak_dimension_below": weak_d,
             "evidence_dimension": ev_dim,
             "sources": {k: prof.source(f"exante.{k}") for k in
                         ("rating_fraction", "cutoffs", "points_each")}}
    info_d = {str(k): dict(v) for k, v in (info or {}).items()}
    return ExanteResult(profile=prof.ref(), variant=variant, method=method,
                        trim=trim if method == "trimmed" else None, subjects=subj,
                        dimensions=dimt, items=items, expert_totals=et, findings=findings,
                        evidence=evidence, warnings=warnings, rules=rules, info=info_d)


def _evidence(subjects: list[str], dimension: str, cbas: dict, lcs: dict, chosen: Any
              ) -> tuple[list[dict], list[dict]]:
    """Evidence lines and the findings they raise."""
    ev, fnd = [], []
    for s in subjects:
        c = cbas.get(s)
        if c is not None:
            irr = f"，内部收益率 IRR = {c.irr:.2%}" if np.isfinite(c.irr) else ""
            irr_en = f", IRR = {c.irr:.2%}" if np.isfinite(c.irr) else ""
            ev.append({"subject_id": s, "dimension": dimension, "source": "cba",
                       "text": f"成本收益分析：净现值 NPV = {_fmt(c.npv)}，效益成本比 BCR = "
                               f"{_fmt(c.bcr, 3)}{irr}（贴现率 {c.schedule}）",
                       "text_en": f"Cost-benefit analysis: NPV = {_fmt(c.npv)}, BCR = "
                                  f"{_fmt(c.bcr, 3)}{irr_en} (discounting {c.schedule})",
                       "values": {"npv": c.npv, "bcr": c.bcr, "irr": c.irr,
                                  "pv_benefits": c.pv_benefits, "pv_costs": c.pv_costs}})
            bad = []
            if c.npv < 0:
                bad.append(("净现值为负", "NPV < 0"))
            if np.isfinite(c.bcr) and c.bcr < 1:
                bad.append(("效益成本比小于1", "BCR < 1"))
            if bad:
                fnd.append({"subject_id": s, "dimension": dimension, "item": None,
                            "rule": "cba_not_supportive",
                            "message": "成本收益分析不支持：" + "、".join(b[0] for b in bad)
                                       + f"（NPV = {_fmt(c.npv)}，BCR = {_fmt(c.bcr, 3)}）；"
                                         "专家评分未据此调整",
                            "message_en": "Cost-benefit analysis does not support the project: "
                                          + ", ".join(b[1] for b in bad)
                                          + " (the experts' ratings are not changed)",
                            "value": c.npv})
        lc = lcs.get(s)
        if lc is not None:
            front = "、".join(map(str, lc.frontier))
            what = "单位效果成本最低" if lc.with_effect else "成本最低"
            how = "lowest cost per effect" if lc.with_effect else "lowest cost"
            ev.append({"subject_id": s, "dimension": dimension, "source": "least_cost",
                       "text": f"最低成本法：{what}的方案为“{lc.best}”；有效方案：{front}",
                       "text_en": f"Least-cost analysis: best option '{lc.best}'"
                                  f" ({how});"
                                  f" efficient options: {', '.join(map(str, lc.frontier))}",
                       "values": {"best": lc.best, "frontier": list(lc.frontier)}})
            ch = chosen.get(s) if isinstance(chosen, Mapping) else chosen
            if ch is not None:
                if ch not in lc.table.index:
                    raise InputError("is not one of the least-cost options",
                                     argument="chosen_option", value=ch)
                if ch != lc.best:
                    row = lc.table.loc[ch]
                    fnd.append({"subject_id": s, "dimension": dimension, "item": None,
                                "rule": "least_cost_not_chosen",
                                "message": f"所选方案“{ch}”不是{what}方案（最优为“{lc.best}”"
                                           + ("，且被其他方案占优" if bool(row["dominated"])
                                              else "") + "）",
                                "message_en": f"The chosen option '{ch}' is not the best "
                                              f"('{lc.best}')"
                                              + (" and is dominated" if bool(row["dominated"])
                                                 else ""),
                                "value": float(row["cost"])})
    return ev, fnd
