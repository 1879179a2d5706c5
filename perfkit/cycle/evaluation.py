"""External evaluation (外部评价): key evaluations by expert panels, re-evaluation of
self-evaluations, and the third-party conflict check.

黔江实施意见 §十: "通过自评和外部评价相结合的方式开展绩效评价 … 区财政局要健全重点绩效评价机制，
对重大政策、项目定期组织开展绩效评价，对部门和单位自评情况进行再评价 … 必要时可以引入第三方机构".

- :func:`key_evaluation` — a key (finance) evaluation 重点评价/财政评价 scored by several experts on
  the 财预〔2020〕10号 framework (决策/过程/产出/效益, domain.md §3.2, §4.3): weights checked,
  scores aggregated, graded, and the experts' agreement measured (ICC, Kendall's W).
- :func:`default_framework` — the §3.2 framework as data, weights from the profile.
- :func:`reevaluate` — re-evaluation 再评价 (domain.md §4.6): re-score a seeded sample of the units'
  self-evaluations by the rules and flag inflated ones; a self-evaluation quality note per unit.
- :func:`conflict_check` — 财预〔2021〕6号 (domain.md §10): the commissioning body must not be the
  object evaluated, and the evaluator must not have advised it.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result, jsonable
from .._validate import check_option
from ..errors import Collector, InputError
from ..methods.survey import aggregate_scores
from ..model.workbook import Workbook
from ..rules import Profile, load_profile
from ..scoring.grades import grade
from ..scoring.self_eval import score_self_evaluation
from .exante import _add_rows, _map_columns, _raise, _rows, _text

__all__ = ["key_evaluation", "default_framework", "icc", "kendall_w", "reevaluate",
           "conflict_check", "KeyEvaluationResult", "SubjectEvaluation", "ReevaluationResult",
           "SCORE_COLUMNS", "FRAMEWORK", "LEVEL1_FINANCE", "EVALUATION_SECTIONS"]

_EPS = 1e-9

#: the four first-level indicators of the 10号 framework, with English names
LEVEL1_FINANCE = {"决策": "decision", "过程": "process", "产出": "output", "效益": "outcome"}
_LEVEL1_VARIANTS = {**{f"{k}指标": k for k in LEVEL1_FINANCE},
                    **{v: k for k, v in LEVEL1_FINANCE.items()},
                    "outputs": "产出", "outcomes": "效益", "decisions": "决策"}

#: domain.md §3.2: (一级, 二级, 三级, source tag). 决策/过程 rows are [S: H]; the rest [U].
FRAMEWORK = (
    ("决策", "项目立项", "立项依据充分性", "S: H"),
    ("决策", "项目立项", "立项程序规范性", "S: H"),
    ("决策", "绩效目标", "绩效目标合理性", "S: H"),
    ("决策", "绩效目标", "绩效指标明确性", "S: H"),
    ("决策", "资金投入", "预算编制科学性", "U"),
    ("决策", "资金投入", "资金分配合理性", "U"),
    ("过程", "资金管理", "资金到位率", "S: H"),
    ("过程", "资金管理", "预算执行率", "S: H"),
    ("过程", "资金管理", "资金使用合规性", "S: H"),
    ("过程", "组织实施", "管理制度健全性", "U"),
    ("过程", "组织实施", "制度执行有效性", "S: H"),
    ("产出", "数量", "实际完成率", "U"),
    ("产出", "质量", "质量达标率", "U"),
    ("产出", "时效", "完成及时性", "U"),
    ("产出", "成本", "成本节约率", "U"),
    ("效益", "项目效益", "经济效益", "U"),
    ("效益", "项目效益", "社会效益", "U"),
    ("效益", "项目效益", "生态效益", "U"),
    ("效益", "项目效益", "可持续影响", "U"),
    ("效益", "满意度", "服务对象满意度", "U"),
)

#: canonical column → accepted headers of the expert score sheet
SCORE_COLUMNS: dict[str, tuple[str, ...]] = {
    "subject_id": ("subject_id", "被评价对象编码", "评价对象编码", "项目编码", "评价对象", "subject"),
    "expert": ("expert", "专家", "评审专家", "专家姓名"),
    "level1": ("level1", "一级指标"),
    "level2": ("level2", "二级指标"),
    "level3": ("level3", "三级指标"),
    "weight": ("weight", "分值", "权重"),
    "score": ("score", "得分", "评分"),
}
_KEY = ["level1", "level2", "level3"]

#: the evaluation report outline of domain.md §9.2: (title, English title)
EVALUATION_SECTIONS = (
    ("基本情况", "Overview"),
    ("绩效评价工作开展情况", "How the evaluation was done"),
    ("综合评价情况及评价结论", "Overall assessment and conclusion"),
    ("绩效评价指标分析", "Analysis by indicator"),
    ("主要经验及做法、存在的问题及原因分析", "Experience, problems and their causes"),
    ("有关建议", "Recommendations"),
    ("其他需要说明的问题", "Other matters"),
    ("附件", "Annex: scoring table"),
)


# --------------------------------------------------------------------------------------------
# framework
# --------------------------------------------------------------------------------------------
def default_framework(profile: Profile | str = "national") -> pd.DataFrame:
    """The 财预〔2020〕10号 framework of domain.md §3.2 as a table, with default weights.

    Returns
    -------
    DataFrame
        ``level1, level2, level3, weight, source``: the level-1 weights of
        ``finance_eval.weights`` (决策 15 / 过程 20 / 产出 35 / 效益 30) split equally over each
        level-1's 二级 and then equally over each 二级's 三级 rows; ``source`` is the provenance
        tag of the row (决策/过程 rows [S: H], others [U]).
    """
    prof = load_profile(profile)
    w = {str(k): float(v) for k, v in prof.get("finance_eval.weights").items()}
    df = pd.DataFrame(FRAMEWORK, columns=["level1", "level2", "level3", "source"])
    unknown = set(w) - set(df["level1"])
    if unknown:
        raise InputError(f"finance_eval.weights names unknown level-1 indicator(s) "
                         f"{sorted(unknown)}", argument="profile")
    n2 = df.groupby("level1")["level2"].transform("nunique")
    n3 = df.groupby(["level1", "level2"])["level3"].transform("size")
    df["weight"] = df["level1"].map(w).fillna(0.0) / n2 / n3
    return df[["level1", "level2", "level3", "weight", "source"]]


# --------------------------------------------------------------------------------------------
# agreement statistics
# --------------------------------------------------------------------------------------------
def icc(x: Any, *, alpha: float = 0.05) -> dict:
    """ICC(2,1) and ICC(2,k): two-way random effects, absolute agreement (Shrout & Fleiss 1979).

    Parameters
    ----------
    x : 2-D array-like
        Targets (rows; here indicators) × raters (columns; here experts). Rows with a missing
        value are dropped (listwise).
    alpha : float, keyword-only
        For the 1 − alpha confidence interval.

    Returns
    -------
    dict
        ``icc2_1, icc2_k`` with ``icc2_1_lower/upper``, ``icc2_k_lower/upper``, the F test of
        targets ``F = MSR/MSE`` with ``df1 = n − 1``, ``df2 = (n − 1)(k − 1)`` and ``p``, the
        mean squares ``msr, msc, mse``, ``n`` (targets used) and ``k``. NaN where undefined
        (fewer than 2 targets or raters, or no variation).

    Notes
    -----
    With :math:`n` targets and :math:`k` raters, from the two-way ANOVA without replication:

    .. math:: ICC(2,1) = \\frac{MSR - MSE}{MSR + (k-1)MSE + k(MSC - MSE)/n},\\quad
              ICC(2,k) = \\frac{MSR - MSE}{MSR + (MSC - MSE)/n}.

    The confidence limits follow McGraw & Wong (1996) with Satterthwaite's degrees of freedom,
    as R ``psych::ICC(x, lmer = FALSE)``; the ICC(2,k) limits are the Spearman–Brown
    transforms of the ICC(2,1) limits.

    References
    ----------
    Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin* 86, 420–428. McGraw, K. O. & Wong, S. P. (1996).
    *Psychological Methods* 1, 30–46. Revelle, W. R package psych, ``ICC``.
    """
    a = np.asarray(x, dtype=float)
    if a.ndim != 2:
        raise InputError(f"must be 2-D (targets × raters), got {a.ndim}-D", argument="x")
    a = a[~np.isnan(a).any(axis=1)]
    n, k = a.shape
    nan = float("nan")
    out = {"n": int(n), "k": int(k), "icc2_1": nan, "icc2_1_lower": nan, "icc2_1_upper": nan,
           "icc2_k": nan, "icc2_k_lower": nan, "icc2_k_upper": nan, "F": nan, "df1": nan,
           "df2": nan, "p": nan, "msr": nan, "msc": nan, "mse": nan}
    if n < 2 or k < 2:
        return out
    g = a.mean()
    ssr = k * ((a.mean(axis=1) - g) ** 2).sum()
    ssc = n * ((a.mean(axis=0) - g) ** 2).sum()
    sse = ((a - g) ** 2).sum() - ssr - ssc
    df1, df2 = n - 1, (n - 1) * (k - 1)
    msr, msc, mse = ssr / df1, ssc / (k - 1), max(sse, 0.0) / df2
    out.update(msr=float(msr), msc=float(msc), mse=float(mse), df1=df1, df2=df2)
    with np.errstate(divide="ignore", invalid="ignore"):
        i21 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
        i2k = (msr - mse) / (msr + (msc - mse) / n)
        F = msr / mse if mse > 0 else (np.inf if msr > 0 else nan)
    out.update(icc2_1=float(i21), icc2_k=float(i2k), F=float(F))
    if np.isfinite(F):
        out["p"] = float(stats.f.sf(F, df1, df2))
        fj = msc / mse
        vn = (k - 1) * (n - 1) * (k * i21 * fj + n * (1 + (k - 1) * i21) - k * i21) ** 2
        vd = (n - 1) * k ** 2 * i21 ** 2 * fj ** 2 + (n * (1 + (k - 1) * i21) - k * i21) ** 2
        v = vn / vd if vd > 0 else nan
        if np.isfinite(v) and v > 0:
            fu = stats.f.ppf(1 - alpha / 2, n - 1, v)
            fl = stats.f.ppf(1 - alpha / 2, v, n - 1)
            c = k * msc + (k * n - k - n) * mse
            lo = n * (msr - fu * mse) / (fu * c + n * msr)
            hi = n * (fl * msr - mse) / (c + n * fl * msr)
            out.update(icc2_1_lower=float(lo), icc2_1_upper=float(hi),
                       icc2_k_lower=float(lo * k / (1 + lo * (k - 1))),
                       icc2_k_upper=float(hi * k / (1 + hi * (k - 1))))
    elif msr > 0:
        out["p"] = 0.0
    return out


def kendall_w(x: Any) -> dict:
    """Kendall's coefficient of concordance W with the correction for ties.

    Parameters
    ----------
    x : 2-D array-like
        Objects (rows; here indicators) × raters (columns; here experts). Each rater's values are
        ranked over the objects (ties get their mean rank). Rows with a missing value are
        dropped.

    Returns
    -------
    dict
        ``w``, ``chi2`` = m(n − 1)W, ``df`` = n − 1, ``p`` (upper tail of χ²), ``n`` objects,
        ``m`` raters, ``ties`` = Σ_j Σ (t³ − t).

    Notes
    -----
    With rank sums :math:`R_i`, :math:`S = \\sum_i (R_i - \\bar R)^2` and, for each rater
    :math:`j`, :math:`T_j = \\sum (t^3 - t)` over its groups of :math:`t` tied values,

    .. math:: W = \\frac{12 S}{m^2 (n^3 - n) - m \\sum_j T_j}.

    It equals the tie-corrected Friedman statistic divided by :math:`m(n-1)`.

    References
    ----------
    Kendall, M. G. & Babington Smith, B. (1939). The problem of m rankings. *Ann. Math.
    Statist.* 10, 275–287. Siegel, S. & Castellan, N. J. (1988). *Nonparametric Statistics for
    the Behavioral Sciences*, 2nd ed., §9.4 (ties correction).
    """
    a = np.asarray(x, dtype=float)
    if a.ndim != 2:
        raise InputError(f"must be 2-D (objects × raters), got {a.ndim}-D", argument="x")
    a = a[~np.isnan(a).any(axis=1)]
    n, m = a.shape
    nan = float("nan")
    out = {"n": int(n), "m": int(m), "w": nan, "chi2": nan, "df": max(n - 1, 0), "p": nan,
           "ties": nan}
    if n < 2 or m < 2:
        return out
    r = stats.rankdata(a, axis=0)
    rs = r.sum(axis=1)
    s = ((rs - rs.mean()) ** 2).sum()
    t = 0.0
    for j in range(m):
        _, cnt = np.unique(a[:, j], return_counts=True)
        t += float((cnt ** 3 - cnt).sum())
    den = m ** 2 * (n ** 3 - n) - m * t
    if den <= 0:
        out["ties"] = t
        return out
    w = 12 * s / den
    chi2 = m * (n - 1) * w
    out.update(w=float(w), chi2=float(chi2), p=float(stats.chi2.sf(chi2, n - 1)), ties=t)
    return out


# --------------------------------------------------------------------------------------------
# key evaluation
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SubjectEvaluation(Result):
    """One subject's key evaluation: what its report (domain.md §9.2) states."""

    title = "重点绩效评价 Key performance evaluation"

    subject_id: str
    profile: dict
    method: str
    stage: str
    total: float
    grade: str | None
    experts: tuple
    level1: pd.DataFrame
    indicators: pd.DataFrame
    expert_totals: pd.DataFrame
    agreement: dict
    disagreement: pd.DataFrame
    warnings: list

    def _summary_lines(self) -> list[str]:
        a = self.agreement
        return [f"subject: {self.subject_id}", f"stage: {self.stage}; aggregation: {self.method}",
                f"experts: {len(self.experts)}", f"total: {self.total:.4f}",
                f"grade: {self.grade}",
                f"ICC(2,1) {a['icc2_1']:.4g}, ICC(2,k) {a['icc2_k']:.4g}, "
                f"Kendall's W {a['kendall_w']:.4g} (p {a['kendall_p']:.3g})",
                *[f"warning: {w['message']}" for w in self.warnings]]

    def to_frame(self) -> pd.DataFrame:
        return self.indicators.copy()

    def to_dict(self) -> dict:
        level1 = []
        for _, r in self.level1.iterrows():
            ind = self.indicators[self.indicators["level1"] == r["level1"]]
            level1.append({**{k: jsonable(v) for k, v in r.items()},
                           "indicators": jsonable(ind.reset_index(drop=True))})
        content = [
            None,
            {"experts": list(self.experts), "n_experts": len(self.experts),
             "aggregation": self.method, "stage": self.stage,
             "methods": ["专家评议（公众评判法）"]},
            {"total": jsonable(self.total), "grade": self.grade,
             "agreement": jsonable(self.agreement),
             "warnings": jsonable(self.warnings)},
            {"level1": level1, "disagreement": jsonable(self.disagreement.reset_index(drop=True))},
            None, None, None,
            {"scoring_table": jsonable(self.indicators.reset_index(drop=True)),
             "expert_totals": jsonable(self.expert_totals.reset_index(drop=True))},
        ]
        sections = [{"number": i + 1, "title": t, "title_en": te, "content": c}
                    for i, ((t, te), c) in enumerate(zip(EVALUATION_SECTIONS, content))]
        return {"type": type(self).__name__, "subject_id": self.subject_id,
                "profile": dict(self.profile), "method": self.method, "stage": self.stage,
                "total": jsonable(self.total), "grade": self.grade,
                "experts": list(self.experts),
                "level1": jsonable(self.level1.reset_index(drop=True)),
                "indicators": jsonable(self.indicators.reset_index(drop=True)),
                "expert_totals": jsonable(self.expert_totals.reset_index(drop=True)),
                "agreement": jsonable(self.agreement),
                "disagreement": jsonable(self.disagreement.reset_index(drop=True)),
                "warnings": jsonable(self.warnings), "sections": sections}


@dataclass(frozen=True, eq=False)
class KeyEvaluationResult(Result):
    """Key evaluation (重点评价/财政评价) of one or more subjects by several experts.

    Attributes
    ----------
    profile : dict
    method : str — mean / trimmed / median.
    trim : float or None — for ``trimmed``, the share cut from each end (None: one highest and
        one lowest per subject).
    stage : ``"post"`` or ``"mid"``.
    subjects : DataFrame — per subject: ``subject_id, n_experts, n_indicators, total, grade,
        focus_share`` (产出+效益 share for post, 决策+过程+产出 for mid), ``icc2_1, icc2_k,
        kendall_w, kendall_p, n_warnings``.
    indicators : DataFrame — per subject × indicator: ``subject_id, level1, level2, level3,
        weight, score`` (aggregate), ``fraction`` (score / weight), ``n`` (experts), ``mean,
        median, sd, min, max, range, sd_share, range_share`` (as shares of the weight).
    level1 : DataFrame — ``subject_id, level1, weight, score, fraction, weight_share``.
    expert_totals : DataFrame — ``subject_id, expert, total, n_scored``.
    agreement : DataFrame — per subject, the :func:`icc` and :func:`kendall_w` statistics on the
        indicator × expert matrix of score fractions.
    disagreement : DataFrame — per subject the ``finance_eval.disagreement_top`` indicators with
        the largest ``sd_share`` (then ``range_share``), ranked.
    warnings : list of dict — weight-structure warnings (产出+效益 below 60% …).
    """

    title = "重点绩效评价 Key performance evaluation"

    profile: dict
    method: str
    trim: float | None
    stage: str
    subjects: pd.DataFrame
    indicators: pd.DataFrame
    level1: pd.DataFrame
    expert_totals: pd.DataFrame
    agreement: pd.DataFrame
    disagreement: pd.DataFrame
    warnings: list

    def to_frame(self) -> pd.DataFrame:
        return self.subjects.copy()

    def _summary_lines(self) -> list[str]:
        return [f"profile: {self.profile['id']} {self.profile['version']}",
                f"stage: {self.stage}; aggregation: {self.method}",
                f"subjects: {len(self.subjects)}",
                *[f"warning: {w['message']}" for w in self.warnings]]

    def subject(self, subject_id: str) -> SubjectEvaluation:
        sid = str(subject_id)
        s = self.subjects[self.subjects["subject_id"] == sid]
        if s.empty:
            raise InputError("no such subject in the evaluation", argument="subject_id",
                             value=sid)
        s = s.iloc[0]
        pick = lambda df: df[df["subject_id"] == sid].drop(columns="subject_id") \
            .reset_index(drop=True)  # noqa: E731
        ag = self.agreement[self.agreement["subject_id"] == sid].iloc[0].drop("subject_id")
        et = pick(self.expert_totals)
        return SubjectEvaluation(
            subject_id=sid, profile=dict(self.profile), method=self.method, stage=self.stage,
            total=float(s["total"]), grade=s["grade"], experts=tuple(et["expert"]),
            level1=pick(self.level1), indicators=pick(self.indicators), expert_totals=et,
            agreement={k: jsonable(v) for k, v in ag.items()},
            disagreement=pick(self.disagreement),
            warnings=[w for w in self.warnings if w.get("subject_id") == sid])

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "method": self.method, "trim": self.trim, "stage": self.stage,
                "subjects": [self.subject(s).to_dict() for s in self.subjects["subject_id"]]}


def key_evaluation(expert_scores: pd.DataFrame, profile: Profile | str = "national", *,
                   framework: pd.DataFrame | None = None, method: str = "mean",
                   trim: float | None = None, stage: str = "post", top: int | None = None
                   ) -> KeyEvaluationResult:
    """Key evaluation (重点评价/财政评价) of projects or policies scored by an expert panel.

    Parameters
    ----------
    expert_scores : DataFrame
        One row per subject × expert × indicator: ``subject_id, expert, level1`` (决策 / 过程 /
        产出 / 效益; 产出指标 etc. and English names accepted), ``level2, level3, weight``
        (分值; may be omitted when ``framework`` is given) and ``score`` (得分; blank = not
        scored). Chinese headers accepted (:data:`SCORE_COLUMNS`); ``_row`` names rows in
        errors.
    profile : Profile or profile id
    framework : DataFrame, optional, keyword-only
        ``level1, level2, level3, weight`` (e.g. :func:`default_framework`): every subject must
        be scored on exactly these indicators, with these weights.
    method : {"mean", "trimmed", "median"}, keyword-only
        How the experts' scores of an indicator are combined
        (:func:`perfkit.methods.survey.aggregate_scores`).
    trim : float, optional, keyword-only
        For ``trimmed``: the share cut from each end; default one highest and one lowest score
        (1/k with k experts, k ≥ 3; no trimming with fewer experts).
    stage : {"post", "mid"}, keyword-only
        Post-completion (事后) or mid-implementation (中期) evaluation: which weight-structure
        check applies (domain.md §4.3).
    top : int, optional, keyword-only
        How many most-disputed indicators to list; default ``finance_eval.disagreement_top``.

    Returns
    -------
    KeyEvaluationResult

    Raises
    ------
    InputError
        A missing column; an unknown level-1 name; a score outside [0, weight] or not a
        number; an expert scoring an indicator twice; weights that differ between experts (or
        from the framework), or that do not add up to ``finance_eval.total`` (100) for a subject;
        an indicator not in the framework or a framework indicator nobody scored.

    Notes
    -----
    - Weight structure (a **warning**, not an error; domain.md §4.3): for ``stage="post"`` the
      产出 + 效益 weights must be at least ``finance_eval.min_output_plus_outcome`` (60%) of the
      total; for ``stage="mid"`` the ``finance_eval.mid_focus`` levels (决策/过程/产出) at least
      ``finance_eval.mid_min_share``.
    - Indicator score = the aggregate of the experts' scores; total = Σ indicator scores;
      grade by ``grades.bands`` on the unrounded total.
    - Agreement on the indicator × expert matrix of fractions (score / weight), indicators with a
      missing score dropped: ICC(2,1), ICC(2,k) (:func:`icc`) and Kendall's W (:func:`kendall_w`).
    - Disagreement: per indicator the SD (ddof 1) and the range of the experts' scores as shares
      of the weight.
    """
    prof = load_profile(profile)
    fe = prof.get("finance_eval")
    check_option("method", method, ("mean", "trimmed", "median"))
    check_option("stage", stage, ("post", "mid"))
    if trim is not None and not (isinstance(trim, (int, float)) and 0 <= trim < 0.5):
        raise InputError("must be a number in [0, 0.5)", argument="trim", value=trim)
    top = int(fe.get("disagreement_top", 5)) if top is None else top
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise InputError("must be a positive integer", argument="top", value=top)
    total_pts = float(fe.get("total", 100))
    tol = float(fe.get("weight_tolerance", 0.01))

    df = _map_columns(expert_scores, SCORE_COLUMNS, argument="expert_scores")
    headers = df.attrs.get("headers", {})
    need = ["subject_id", "expert", "level1", "level2", "level3", "score"]
    if framework is None:
        need.append("weight")
    missing = [c for c in need if c not in df]
    if missing:
        raise InputError(f"the expert score sheet needs the column(s) {', '.join(missing)}"
                         + (" (or pass framework= for the weights)" if missing == ["weight"]
                            else ""), argument="expert_scores", column=missing[0])
    if df.empty:
        raise InputError("the expert score sheet is empty", argument="expert_scores")
    rows = _rows(df)
    t = pd.DataFrame({c: _text(df[c]) for c in ("subject_id", "expert", "level2", "level3")})
    l1 = _text(df["level1"])
    t["level1"] = l1.map(lambda v: v if v is None or v in LEVEL1_FINANCE
                         else _LEVEL1_VARIANTS.get(v.casefold(), v))
    t["score"] = pd.to_numeric(df["score"], errors="coerce")
    t["weight"] = pd.to_numeric(df["weight"], errors="coerce") if "weight" in df else np.nan
    t["_r"] = rows
    col = Collector()
    for c in ("subject_id", "expert", "level1", "level2", "level3"):
        _add_rows(col, t[c].isna(), rows, c, f"{c} is blank")
    _add_rows(col, t["level1"].notna() & ~t["level1"].isin(list(LEVEL1_FINANCE)), rows,
              "level1", f"unknown level-1 indicator; allowed: {'/'.join(LEVEL1_FINANCE)}",
              df["level1"])
    bad_num = df["score"].notna() & t["score"].isna() & _text(df["score"]).notna()
    _add_rows(col, bad_num, rows, "score", "the score (得分) must be a number", df["score"])
    if "weight" in df:
        bad_w = (_text(df["weight"]).notna() & t["weight"].isna()) | (t["weight"] < 0)
        _add_rows(col, bad_w, rows, "weight", "the weight (分值) must be a number ≥ 0",
                  df["weight"])
    _raise(col, headers)
    key = ["subject_id"] + _KEY
    dup = t.duplicated(["subject_id", "expert"] + _KEY)
    _add_rows(col, dup, rows, "level3", "this expert scored the same indicator twice",
              t["level3"])

    if framework is not None:
        fw = _map_columns(framework, {k: SCORE_COLUMNS[k] for k in ("level1", "level2",
                                                                    "level3", "weight")},
                          argument="framework")
        if any(c not in fw for c in _KEY + ["weight"]):
            raise InputError("needs the columns level1, level2, level3, weight",
                             argument="framework")
        fw = pd.DataFrame({c: _text(fw[c]) for c in _KEY}).assign(
            _fw=pd.to_numeric(fw["weight"], errors="coerce"))
        if fw.duplicated(_KEY).any() or fw["_fw"].isna().any():
            raise InputError("indicators must be unique and every weight a number",
                             argument="framework")
        t = t.merge(fw, on=_KEY, how="left", validate="many_to_one")
        t.index = df.index
        _add_rows(col, t["_fw"].isna(), rows, "level3", "the indicator is not in the framework",
                  t["level1"] + "/" + t["level2"] + "/" + t["level3"])
        differs = t["weight"].notna() & t["_fw"].notna() & \
            ((t["weight"] - t["_fw"]).abs() > tol)
        _add_rows(col, differs, rows, "weight", "the weight differs from the framework's",
                  t["weight"])
        t["weight"] = t["_fw"]
        _raise(col, headers)
        scored = t[key].drop_duplicates()
        subj_ids = list(dict.fromkeys(t["subject_id"]))
        need_grid = pd.DataFrame({"subject_id": subj_ids}).merge(fw[_KEY], how="cross")
        lack = need_grid.merge(scored, on=key, how="left", indicator=True)
        lack = lack[lack["_merge"] == "left_only"]
        for r in lack.itertuples():
            col.add(f"subject {r.subject_id}: the framework indicator "
                    f"{r.level1}/{r.level2}/{r.level3} was not scored by any expert",
                    argument="expert_scores", column="level3", value=r.level3)
    else:
        _add_rows(col, t["weight"].isna(), rows, "weight", "the weight (分值) is blank")
    gw = t.groupby(key, sort=False)["weight"]
    spread = gw.transform("max") - gw.transform("min")
    _add_rows(col, spread > tol, rows, "weight", "experts give this indicator different weights",
              t["weight"])
    out_range = t["score"].notna() & t["weight"].notna() & \
        ((t["score"] < -_EPS) | (t["score"] > t["weight"] + _EPS))
    _add_rows(col, out_range, rows, "score", "the score must lie in [0, weight]", t["score"])
    _raise(col, headers)

    # --- weights per subject --------------------------------------------------------------------
    ind = t.groupby(key, sort=False).agg(weight=("weight", "max"), _r=("_r", "min")).reset_index()
    sums = ind.groupby("subject_id", sort=False)["weight"].sum()
    first = t.groupby("subject_id", sort=False)["_r"].min()
    for s in sums.index[(sums - total_pts).abs() > tol]:
        col.add(f"the weights (分值) of subject {s} add up to {sums[s]:g}, not {total_pts:g}",
                row=int(first[s]), column="weight", value=float(sums[s]))
    _raise(col, headers)
    subjects = list(sums.index)

    # --- aggregation and agreement per subject ---------------------------------------------------
    parts, etot, agree = [], [], []
    for s in subjects:
        ts = t[t["subject_id"] == s]
        m = ts.pivot(index=_KEY, columns="expert", values="score")
        m = m.reindex(pd.MultiIndex.from_frame(ind.loc[ind["subject_id"] == s, _KEY]))
        k = m.shape[1]
        tr = (trim if trim is not None else (1.0 / k if k >= 3 else 0.0)) \
            if method == "trimmed" else 0.1
        if (m.notna().sum(axis=1) == 0).any():
            lacking = m.index[m.notna().sum(axis=1) == 0][0]
            raise InputError(f"subject {s}: no expert scored the indicator "
                             f"{'/'.join(lacking)}", argument="expert_scores",
                             column="score")
        agg = aggregate_scores(m, method=method, trim=tr).table.reset_index()
        agg.insert(0, "subject_id", s)
        parts.append(agg)
        etot.append(pd.DataFrame({"subject_id": s, "expert": m.columns,
                                  "total": m.sum(axis=0, min_count=1).to_numpy(),
                                  "n_scored": m.notna().sum(axis=0).to_numpy()}))
        w = ind.loc[ind["subject_id"] == s, "weight"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = m.to_numpy(dtype=float) / w[:, None]
        frac = frac[w > 0]
        ic = icc(frac)
        kw = kendall_w(frac)
        agree.append({"subject_id": s, "n_indicators": ic["n"], "n_experts": ic["k"],
                      **{c: ic[c] for c in ("icc2_1", "icc2_1_lower", "icc2_1_upper",
                                            "icc2_k", "icc2_k_lower", "icc2_k_upper", "F",
                                            "df1", "df2", "p", "msr", "msc", "mse")},
                      "kendall_w": kw["w"], "kendall_chi2": kw["chi2"], "kendall_df": kw["df"],
                      "kendall_p": kw["p"], "kendall_ties": kw["ties"]})
    agg = pd.concat(parts, ignore_index=True)
    inds = ind.drop(columns="_r").merge(agg, on=key, how="left")
    inds["fraction"] = inds["score"] / inds["weight"]
    with np.errstate(divide="ignore", invalid="ignore"):
        inds["sd_share"] = inds["sd"] / inds["weight"]
        inds["range_share"] = inds["range"] / inds["weight"]
    inds = inds[key + ["weight", "score", "fraction", "n", "mean", "median", "sd", "min", "max",
                       "range", "sd_share", "range_share"]]
    agreement = pd.DataFrame(agree)

    l1o = {k: i for i, k in enumerate(LEVEL1_FINANCE)}
    lv = inds.groupby(["subject_id", "level1"], sort=False)[["weight", "score"]].sum() \
        .reset_index()
    lv["fraction"] = lv["score"] / lv["weight"]
    lv["weight_share"] = lv["weight"] / lv["subject_id"].map(sums)
    lv = lv.assign(_s=lv["subject_id"].map({s: i for i, s in enumerate(subjects)}),
                   _o=lv["level1"].map(l1o)).sort_values(["_s", "_o"]) \
        .drop(columns=["_s", "_o"]).reset_index(drop=True)

    subj = inds.groupby("subject_id", sort=False)["score"].sum().rename("total").reset_index()
    subj["grade"] = grade(subj["total"], prof.get("grades.bands")).to_numpy()
    et = pd.concat(etot, ignore_index=True)
    subj["n_experts"] = subj["subject_id"].map(et.groupby("subject_id").size())
    subj["n_indicators"] = subj["subject_id"].map(inds.groupby("subject_id").size())

    # --- weight-structure warnings -------------------------------------------------------------
    if stage == "post":
        focus = ["产出", "效益"]
        min_share = float(fe["min_output_plus_outcome"])
        code = "output_outcome_share_low"
    else:
        focus = [str(x) for x in fe.get("mid_focus", ["决策", "过程", "产出"])]
        min_share = float(fe.get("mid_min_share", fe["min_output_plus_outcome"]))
        code = "mid_focus_share_low"
    fs = lv[lv["level1"].isin(focus)].groupby("subject_id")["weight"].sum() \
        .reindex(subjects, fill_value=0.0) / sums
    subj["focus_share"] = subj["subject_id"].map(fs)
    warnings = []
    names = "+".join(focus)
    kind_en = "post-completion" if stage == "post" else "mid-implementation"
    for s in subjects:
        if fs[s] < min_share - _EPS:
            pts = fs[s] * sums[s]
            warnings.append({
                "subject_id": s, "code": code, "value": float(fs[s]), "threshold": min_share,
                "message": f"{names}指标分值合计 {pts:g} 分（{fs[s]:.1%}），低于 {min_share:.0%}"
                           + ("（事后评价应侧重产出和效益）" if stage == "post"
                              else "（中期评价侧重决策、过程和产出）"),
                "message_en": f"{names} weights total {pts:g} ({fs[s]:.1%}), below "
                              f"{min_share:.0%} for a {kind_en} evaluation"})
    subj = subj.merge(agreement[["subject_id", "icc2_1", "icc2_k", "kendall_w", "kendall_p"]],
                      on="subject_id", how="left")
    subj["n_warnings"] = subj["subject_id"].map(pd.Series([w["subject_id"] for w in warnings],
                                                          dtype=object).value_counts()) \
        .fillna(0).astype(int)
    subj = subj[["subject_id", "n_experts", "n_indicators", "total", "grade", "focus_share",
                 "icc2_1", "icc2_k", "kendall_w", "kendall_p", "n_warnings"]]

    dis = inds.sort_values(["subject_id", "sd_share", "range_share"],
                           ascending=[True, False, False], kind="stable")
    dis = dis.groupby("subject_id", sort=False).head(top)
    dis = dis.assign(rank=dis.groupby("subject_id").cumcount() + 1,
                     _s=dis["subject_id"].map({s: i for i, s in enumerate(subjects)}))
    dis = dis.sort_values(["_s", "rank"]).drop(columns="_s")[
        ["subject_id", "rank"] + _KEY + ["weight", "score", "sd", "range", "sd_share",
                                         "range_share", "min", "max"]].reset_index(drop=True)
    return KeyEvaluationResult(profile=prof.ref(), method=method,
                               trim=trim if method == "trimmed" else None, stage=stage,
                               subjects=subj, indicators=inds, level1=lv, expert_totals=et,
                               agreement=agreement, disagreement=dis, warnings=warnings)


# --------------------------------------------------------------------------------------------
# re-evaluation
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ReevaluationResult(Result):
    """Re-evaluation (再评价) of the units' self-evaluations.

    Attributes
    ----------
    profile : dict
    year : int
    sample : dict — ``mode`` (all / n / fraction), ``requested``, ``n``, ``population``
        (projects with a self-evaluation), ``seed``, ``ids`` (sorted), ``excluded`` (projects
        of the year without any self-awarded score).
    rules : dict — flag_delta, flag_grade_change, unit_poor_share and their sources.
    projects : DataFrame — per project: ``project_id, name, department, implementing_unit,
        self_total, total, delta`` (self − rule), ``self_grade, grade, grade_changed,
        flagged, inflated, direction`` (偏高/偏低/一致), ``n_differ, points_lost, main_reason``.
    indicators : DataFrame — per indicator of the sampled projects: ``project_id, level1,
        level2, level3, weight, self_score, score, lost`` (self − rule, raw points), ``rule``,
        ``reason``, ``reason_en`` (the rule's explanation).
    units, departments : DataFrame — self-evaluation quality per implementing unit / department:
        ``n_projects, mean_delta, max_delta, n_flagged, n_inflated, share_inflated,
        n_grade_changed, quality, quality_en, note, note_en``.
    flags : list of dict — one per flagged project.
    """

    title = "再评价 Re-evaluation of self-evaluations"

    profile: dict
    year: int
    sample: dict
    rules: dict
    projects: pd.DataFrame
    indicators: pd.DataFrame
    units: pd.DataFrame
    departments: pd.DataFrame
    flags: list

    def to_frame(self) -> pd.DataFrame:
        return self.projects.copy()

    def _summary_lines(self) -> list[str]:
        p = self.projects
        return [f"year: {self.year}", f"profile: {self.profile['id']} {self.profile['version']}",
                f"sample: {self.sample['n']} of {self.sample['population']} "
                f"({self.sample['mode']}, seed {self.sample['seed']})",
                f"flagged: {int(p['flagged'].sum())}; inflated: {int(p['inflated'].sum())}; "
                f"grade changes: {int(p['grade_changed'].sum())}",
                f"mean Δ: {p['delta'].mean():.4f}"]

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "profile": dict(self.profile),
                "year": int(self.year), "sample": jsonable(self.sample),
                "rules": jsonable(self.rules), "projects": jsonable(self.projects),
                "indicators": jsonable(self.indicators), "units": jsonable(self.units),
                "departments": jsonable(self.departments), "flags": jsonable(self.flags)}


def _draw(ids: list[str], sample: Any, seed: Any) -> tuple[list[str], dict]:
    n_pop = len(ids)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("must be a non-negative integer", argument="seed", value=seed)
    if sample is None:
        return ids, {"mode": "all", "requested": None, "n": n_pop}
    if isinstance(sample, bool):
        raise InputError("must be a count (int) or a fraction in (0, 1]", argument="sample",
                         value=sample)
    if isinstance(sample, (int, np.integer)):
        if not 1 <= sample <= n_pop:
            raise InputError(f"must be between 1 and the {n_pop} project(s) with a "
                             "self-evaluation", argument="sample", value=int(sample))
        n, mode = int(sample), "n"
    elif isinstance(sample, (float, np.floating)):
        if not 0 < sample <= 1:
            raise InputError("a fraction must lie in (0, 1]", argument="sample", value=sample)
        n, mode = max(1, math.ceil(float(sample) * n_pop - 1e-9)), "fraction"
    else:
        raise InputError("must be a count (int) or a fraction in (0, 1]", argument="sample",
                         value=sample)
    rng = np.random.default_rng(int(seed))
    pick = sorted(rng.choice(np.array(ids, dtype=object), size=n, replace=False).tolist())
    return pick, {"mode": mode, "requested": jsonable(sample), "n": n}


def reevaluate(workbook: Workbook, profile: Profile | str = "national", *,
               year: int | None = None, sample: int | float | None = None,
               seed: int = 0) -> ReevaluationResult:
    """Re-evaluate (再评价) the units' self-evaluations by the rules of a profile.

    Parameters
    ----------
    workbook : Workbook
        Indicators with the units' self-awarded scores (``awarded``, 自评得分).
    profile : Profile or profile id
    year : int, optional, keyword-only
        Defaults to the latest year of the workbook.
    sample : int or float, optional, keyword-only
        ``None``: every project with a self-evaluation; an int: that many projects; a float in
        (0, 1]: that share, rounded up (10% of 15 projects is 2). Drawn without replacement
        from the sorted project codes with ``numpy.random.default_rng(seed)``; the draw is
        recorded in ``.sample``.
    seed : int, keyword-only
        Seed of the draw (recorded).

    Returns
    -------
    ReevaluationResult

    Raises
    ------
    InputError
        A bad ``sample`` or ``seed``; no project with a self-evaluation in the year; and every
        error :func:`perfkit.scoring.score_self_evaluation` raises.

    Notes
    -----
    The sampled projects are scored by :func:`perfkit.scoring.score_self_evaluation` (the same
    rules as the self-evaluation itself, domain.md §4.6). Per indicator, ``lost`` = self-awarded
    − rule score (raw points; positive = the unit gave itself more than the rule allows) and the
    rule's explanation says why. Per project, ``self_total`` is the unit's total (its awarded
    scores, the rule score where it awarded none, the budget-execution score by the rule since
    the form has no self-awarded cell for it), ``delta = self_total − total`` on the 100-point
    scale. A project is ``flagged`` when |Δ| ≥ ``reevaluation.flag_delta`` or, when
    ``reevaluation.flag_grade_change`` is true, its grade changes; ``inflated`` when flagged
    with Δ > 0. A unit's quality is 较差 when the share of its projects that are inflated is at
    least ``reevaluation.unit_poor_share``, 存在偏差 when some project is flagged, else 较好.
    """
    prof = load_profile(profile)
    re_ = prof.get("reevaluation")
    year = int(year) if year is not None else workbook.latest_year()
    ind_all = workbook.select(years=[year])["indicators"]
    aw = pd.to_numeric(ind_all.get("awarded"), errors="coerce") if "awarded" in ind_all \
        else pd.Series(np.nan, index=ind_all.index)
    has = ind_all.assign(_a=aw.notna()).groupby(ind_all["project_id"].astype(str))["_a"].any()
    all_ids = sorted(str(p) for p in workbook.select(years=[year])["projects"]["project_id"])
    ids = sorted(p for p in all_ids if has.get(p, False))
    excluded = [p for p in all_ids if p not in ids]
    if not ids:
        raise InputError(f"no project of {year} has self-awarded scores (自评得分) to re-evaluate",
                         file=workbook.source or None, argument="year", value=year)
    picked, smeta = _draw(ids, sample, seed)
    smeta.update(population=len(ids), seed=int(seed), ids=picked, excluded=excluded)
    se = score_self_evaluation(workbook, prof, year=year, project_ids=picked)

    fd = float(re_["flag_delta"])
    use_grade = bool(re_.get("flag_grade_change", True))
    poor = float(re_.get("unit_poor_share", 0.5))
    p = se.projects
    out = pd.DataFrame({
        "project_id": p["project_id"].astype(str),
        "name": p.get("name"), "department": p.get("department"),
        "implementing_unit": p.get("implementing_unit"),
        "self_total": p["awarded_total"].astype(float), "total": p["total"].astype(float)})
    out["delta"] = out["self_total"] - out["total"]
    out["self_grade"] = p["awarded_grade"].to_numpy()
    out["grade"] = p["grade"].to_numpy()
    out["grade_changed"] = (out["self_grade"] != out["grade"]) & out["self_grade"].notna()
    out["flagged"] = (out["delta"].abs() >= fd - _EPS) | (use_grade & out["grade_changed"])
    out["inflated"] = out["flagged"] & (out["delta"] > _EPS)

    i = se.indicators
    app = ~i["not_applicable"].fillna(False).astype(bool)
    ii = pd.DataFrame({"project_id": i["project_id"].astype(str), "level1": i["level1"],
                       "level2": i["level2"], "level3": i["level3"],
                       "weight": i["weight"].astype(float),
                       "self_score": pd.to_numeric(i["awarded"], errors="coerce"),
                       "score": i["score"].astype(float), "rule": i["rule"],
                       "reason": i["explanation"], "reason_en": i["explanation_en"]})
    ii["lost"] = (ii["self_score"] - ii["score"]).where(app)
    ii = ii[["project_id", "level1", "level2", "level3", "weight", "self_score", "score", "lost",
             "rule", "reason", "reason_en"]].reset_index(drop=True)
    tol = float(prof.get("scoring.awarded_tolerance"))
    differ = ii["lost"].abs() > tol
    out["n_differ"] = out["project_id"].map(ii[differ].groupby("project_id").size()) \
        .fillna(0).astype(int)
    out["points_lost"] = out["project_id"].map(ii.groupby("project_id")["lost"].sum(min_count=1))
    # consistent (一致) when no indicator differs beyond the tolerance; else the sign of Δ
    out["direction"] = np.where(out["n_differ"] == 0, "一致",
                                np.where(out["delta"] > 0, "偏高", "偏低"))
    out["inflated"] &= out["n_differ"] > 0
    worst = ii[differ].assign(_abs=ii["lost"].abs()).sort_values("_abs", ascending=False,
                                                                   kind="stable") \
        .drop_duplicates("project_id")
    out["main_reason"] = out["project_id"].map(
        worst.set_index("project_id").apply(lambda r: f"{r['level3']}：自评 {r['self_score']:g} 分，"
                                            f"按规则 {r['score']:.2f} 分（{r['reason']}）", axis=1)
        if len(worst) else pd.Series(dtype=object))

    def quality(by: str) -> pd.DataFrame:
        cols = [by] if by == "department" else ["department", by]
        g = out.groupby(cols, dropna=False, sort=True)
        q = g.agg(n_projects=("project_id", "size"), mean_delta=("delta", "mean"),
                  max_delta=("delta", "max"), n_flagged=("flagged", "sum"),
                  n_inflated=("inflated", "sum"), n_grade_changed=("grade_changed", "sum")) \
            .reset_index()
        for c in ("n_flagged", "n_inflated", "n_grade_changed"):
            q[c] = q[c].astype(int)
        q["share_inflated"] = q["n_inflated"] / q["n_projects"]
        is_poor = q["share_inflated"] >= poor - _EPS
        q["quality"] = np.select([is_poor, q["n_flagged"] > 0], ["较差", "存在偏差"], "较好")
        q["quality_en"] = q["quality"].map({"较差": "poor", "存在偏差": "deviations",
                                            "较好": "good"})
        q["note"] = ("抽查 " + q["n_projects"].astype(str) + " 个项目，自评总分与再评价平均相差 "
                     + q["mean_delta"].map(lambda v: f"{v:+.2f}") + " 分，"
                     + q["n_inflated"].astype(str) + " 个项目自评明显偏高")
        q["note_en"] = (q["n_projects"].astype(str) + " project(s) re-evaluated; self minus "
                        "rule total " + q["mean_delta"].map(lambda v: f"{v:+.2f}")
                        + " on average; " + q["n_inflated"].astype(str) + " inflated")
        return q[cols + ["n_projects", "mean_delta", "max_delta", "n_flagged", "n_inflated",
                         "share_inflated", "n_grade_changed", "quality", "quality_en", "note",
                         "note_en"]]

    flags = [{"project_id": r.project_id, "code": "self_eval_inflated" if r.inflated
              else "self_eval_deviates",
              "message": f"项目 {r.project_id} 自评 {r.self_total:.2f} 分（{r.self_grade}），"
                         f"再评价 {r.total:.2f} 分（{r.grade}），相差 {r.delta:+.2f} 分",
              "message_en": f"project {r.project_id}: self {r.self_total:.2f} ({r.self_grade}),"
                            f" re-evaluated {r.total:.2f} ({r.grade}), Δ {r.delta:+.2f}"}
             for r in out[out["flagged"]].itertuples()]
    rules = {"flag_delta": fd, "flag_grade_change": use_grade, "unit_poor_share": poor,
             "sources": {k: prof.source(f"reevaluation.{k}") for k in
                         ("flag_delta", "flag_grade_change", "unit_poor_share")}}
    return ReevaluationResult(profile=prof.ref(), year=year, sample=smeta, rules=rules,
                              projects=out.reset_index(drop=True), indicators=ii,
                              units=quality("implementing_unit"),
                              departments=quality("department"), flags=flags)


# --------------------------------------------------------------------------------------------
# third-party conflict check
# --------------------------------------------------------------------------------------------
def _name(v: Any, argument: str) -> str:
    if v is None or not str(v).strip():
        raise InputError("must name a body (non-empty text)", argument=argument, value=v)
    return "".join(unicodedata.normalize("NFKC", str(v)).split()).casefold()


def conflict_check(commissioner: str, evaluator: str, object: str, *,
                   evaluator_prior_roles: Iterable[Any] = ()) -> list[dict]:
    """Check a third-party evaluation for conflicts of interest (财预〔2021〕6号, domain.md §10).

    Parameters
    ----------
    commissioner : str
        The body that commissions the evaluation (委托方).
    evaluator : str
        The third-party institution (第三方机构).
    object : str
        The body, project or policy evaluated (被评价对象).
    evaluator_prior_roles : iterable, keyword-only
        What the evaluator did before: each entry a name of a body it served, a pair
        ``(body, role)`` or a mapping ``{"object": body, "role": role}`` (e.g. 咨询, 编制绩效目标,
        事前评估).

    Returns
    -------
    list of dict
        One warning per conflict found (empty when none): ``code``, ``message``,
        ``message_en``. Codes: ``self_commissioned`` (委托方与被评价对象相同),
        ``evaluator_is_object``, ``prior_advisory`` (one per prior role with the object).

    Notes
    -----
    Names are compared after NFKC normalisation, removal of white space and case folding. The
    6号 principles are 权责清晰、主体分离 and strict recusal; its detailed prohibitions are [U],
    so perfkit warns rather than refuses.
    """
    c, e, o = _name(commissioner, "commissioner"), _name(evaluator, "evaluator"), \
        _name(object, "object")
    out = []
    if c == o:
        out.append({"code": "self_commissioned", "message": "委托方与被评价对象相同",
                    "message_en": "the commissioning body is the object evaluated"})
    if e == o:
        out.append({"code": "evaluator_is_object", "message": "评价机构与被评价对象相同",
                    "message_en": "the evaluator is the object evaluated"})
    if isinstance(evaluator_prior_roles, (str, Mapping)):
        evaluator_prior_roles = [evaluator_prior_roles]
    for i, entry in enumerate(evaluator_prior_roles):
        if isinstance(entry, Mapping):
            body, role = entry.get("object"), entry.get("role")
        elif isinstance(entry, (tuple, list)) and len(entry) == 2:
            body, role = entry
        else:
            body, role = entry, None
        if _name(body, f"evaluator_prior_roles[{i}]") == o:
            what = f"（{role}）" if role else ""
            out.append({"code": "prior_advisory",
                        "message": f"评价机构曾为被评价对象提供服务{what}，应回避",
                        "message_en": "the evaluator served the object before"
                                      + (f" ({role})" if role else "") + ": it should recuse"})
    return out
