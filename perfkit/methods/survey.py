"""公众评判法 — public assessment: satisfaction surveys and expert scoring.

domain.md §8: judge through expert review (专家评议), public questionnaires and sample surveys.
domain.md §4.2: the satisfaction rate is satisfied / valid responses (invalid and blank answers
are excluded), scored as a positive indicator against its target (e.g. ≥ 90%).

Functions
---------
- :func:`satisfaction` — satisfaction rate (满意度) with a Wilson interval (or a design-weighted
  one on the Kish effective sample size), and flags when the sample cannot support the indicator.
- :func:`kish_effective_n` — Kish effective sample size of design weights.
- :func:`sample_size` — respondents needed for a margin of error, with finite population
  correction and design effect.
- :func:`aggregate_scores` — aggregate expert scores (mean, trimmed mean, median) per item.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result
from .._validate import (as_matrix, as_weights, check_numeric_columns, check_option,
                         check_probability)
from ..errors import InputError

__all__ = [
    "LIKERT_ZH",
    "SatisfactionResult",
    "SampleSizeResult",
    "AggregateScoresResult",
    "satisfaction",
    "kish_effective_n",
    "sample_size",
    "aggregate_scores",
]

#: Default five-point labels (1–5) and common synonyms found on Chinese questionnaires.
#: "基本满意" is deliberately absent: forms disagree on whether it counts as satisfied, so
#: the user must map it explicitly through ``levels=``.
LIKERT_ZH: dict[str, int] = {
    "非常满意": 5, "很满意": 5,
    "满意": 4, "比较满意": 4, "较满意": 4,
    "一般": 3,
    "不满意": 2, "不太满意": 2, "比较不满意": 2, "较不满意": 2,
    "非常不满意": 1, "很不满意": 1,
    "very satisfied": 5, "satisfied": 4, "neutral": 3, "dissatisfied": 2,
    "very dissatisfied": 1,
}
_CANONICAL_ZH = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}
_METHODS = ("wilson", "clopper-pearson", "wald")


# --------------------------------------------------------------------------------------------
# satisfaction
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SatisfactionResult(Result):
    """Satisfaction rate (满意度) with its confidence interval and adequacy flags.

    ``counts`` has one row per scale level: ``level``, ``label``, ``n``, ``weight`` (sum of
    design weights), ``share`` (weighted share of valid responses), ``satisfied``.
    ``target_status`` is ``"met"`` (lower limit ≥ target), ``"not met"`` (upper limit < target),
    ``"uncertain"`` (the interval straddles the target) or ``None`` without a target.
    """

    rate: float
    ci_low: float
    ci_high: float
    half_width: float
    n: int
    n_blank: int
    n_invalid: int
    n_valid: int
    n_satisfied: int
    n_eff: float
    deff: float
    weighted: bool
    conf: float
    method: str
    margin: float
    precise_enough: bool
    target: float | None
    target_status: str | None
    target_met: bool | None
    too_small: bool
    n_required: int
    counts: pd.DataFrame

    title = "Satisfaction rate (满意度)"

    def to_frame(self) -> pd.DataFrame:
        return self.counts.copy()

    def _summary_lines(self) -> list[str]:
        lines = [f"rate: {self.rate:.4%}  [{self.ci_low:.4%}, {self.ci_high:.4%}] "
                 f"({self.conf:.0%} {self.method}{', weighted' if self.weighted else ''})",
                 f"responses: {self.n} (blank {self.n_blank}, invalid {self.n_invalid}, "
                 f"valid {self.n_valid}, satisfied {self.n_satisfied})",
                 f"effective n: {self.n_eff:.6g} (design effect {self.deff:.6g})",
                 f"half-width {self.half_width:.4%} vs margin {self.margin:.4%}: "
                 f"{'precise enough' if self.precise_enough else 'too wide'}"]
        if self.target is not None:
            lines.append(f"target {self.target:.4%}: {self.target_status}")
        lines.append(f"sample too small: {self.too_small} (needed ≈ {self.n_required})")
        return lines


def _is_blank(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _proportion_ci(p: float, n: float, conf: float, method: str) -> tuple[float, float]:
    z = stats.norm.ppf(1 - (1 - conf) / 2)
    if method == "wilson":
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return max(0.0, centre - half), min(1.0, centre + half)
    if method == "wald":
        half = z * math.sqrt(p * (1 - p) / n)
        return max(0.0, p - half), min(1.0, p + half)
    # clopper-pearson on (possibly fractional) effective counts
    x = p * n
    a = 1 - conf
    lo = 0.0 if x <= 0 else float(stats.beta.ppf(a / 2, x, n - x + 1))
    hi = 1.0 if x >= n else float(stats.beta.ppf(1 - a / 2, x + 1, n - x))
    return lo, hi


def satisfaction(responses: Any, *, satisfied: Any = 4, levels: Mapping[str, float] | None = None,
                 invalid: Iterable[Any] = (), weights: Any = None, conf: float = 0.95,
                 method: str = "wilson", target: float | None = None, margin: float = 0.05
                 ) -> SatisfactionResult:
    """Satisfaction rate of a survey (服务对象满意度) with a confidence interval.

    Parameters
    ----------
    responses : Series or 1-D array-like
        One answer per respondent: a score on the scale (1–5 by default), a label (e.g.
        非常满意/满意/一般/不满意/非常不满意, see :data:`LIKERT_ZH`), or booleans (True =
        satisfied). Blank answers (NaN, None, empty text) are excluded and counted.
    satisfied : number or collection, keyword-only
        A number ``s`` counts scores ≥ ``s`` as satisfied (default 4: 满意 and 非常满意); a
        collection lists the satisfied levels (scores or labels). Ignored for boolean answers.
    levels : mapping label → score, optional, keyword-only
        Label → score map replacing :data:`LIKERT_ZH` (e.g. ``{"满意": 3, "基本满意": 2,
        "不满意": 1}`` for a three-point form). Its scores define the valid numeric answers.
    invalid : collection, keyword-only
        Answers that are invalid by the form's rules (e.g. ``0``, ``9``, ``"不清楚"``); they are
        excluded and counted in ``n_invalid``. Any other answer off the scale is an error rather
        than silently dropped.
    weights : Series or 1-D array-like, optional, keyword-only
        Design weights (non-negative), one per respondent. The rate becomes the weighted share
        and the interval uses the Kish effective sample size.
    conf : float, keyword-only
        Confidence level, in (0, 1).
    method : {"wilson", "clopper-pearson", "wald"}, keyword-only
        Interval for the proportion. Wilson is the default (good coverage at rates near 90%).
    target : float, optional, keyword-only
        Target rate as a fraction (0.9 for 90%).
    margin : float, keyword-only
        Largest acceptable half-width of the interval (fraction), default 0.05.

    Returns
    -------
    SatisfactionResult
        ``rate``, ``ci_low``/``ci_high``, ``n``, ``n_valid``, ``n_eff``, ``target_status``,
        ``target_met`` (met with confidence), ``precise_enough``, ``too_small`` and
        ``n_required`` (valid responses needed for ``margin`` at the observed rate — 0.5 if
        the rate is 0 or 1 — and the observed design effect, without population correction).

    Notes
    -----
    Rate :math:`\\hat p = \\sum_{i\\in S} w_i / \\sum_{i\\in V} w_i` over valid responses
    :math:`V` and satisfied ones :math:`S\\subseteq V` (all :math:`w_i = 1` unweighted).
    Kish effective size :math:`n_{\\mathrm{eff}} = (\\sum w)^2/\\sum w^2`; design effect
    :math:`n_V/n_{\\mathrm{eff}}`. Wilson score interval with :math:`z = \\Phi^{-1}(1-\\alpha/2)`:

    .. math:: \\frac{\\hat p + z^2/(2n) \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/(4n^2)}}{1 + z^2/n},
              \\qquad n = n_{\\mathrm{eff}}

    (equal to R ``prop.test(x, n, correct = FALSE)$conf.int`` when unweighted). Clopper–Pearson
    uses Beta quantiles with :math:`x = \\hat p\\,n_{\\mathrm{eff}}` (R ``binom.test`` when
    unweighted). ``half_width`` is half the interval length. The sample is flagged
    ``too_small`` when the half-width exceeds ``margin`` or the interval straddles the target;
    "met with confidence" means the two-sided lower limit is at least the target (a one-sided
    test at level :math:`(1-\\text{conf})/2`).

    References
    ----------
    Wilson, E. B. (1927). JASA 22, 209–212. Kish, L. (1965). *Survey Sampling*, §11.7.
    Clopper, C. J. & Pearson, E. S. (1934). Biometrika 26, 404–413. domain.md §4.2, source F.
    """
    check_probability("conf", conf)
    check_option("method", method, _METHODS)
    margin = check_probability("margin", margin)
    if target is not None:
        if not isinstance(target, (int, float, np.integer, np.floating)) or not (0 <= target <= 1):
            raise InputError("must be a fraction in [0, 1] (e.g. 0.9 for 90%)", argument="target",
                             value=target)
        target = float(target)
    if isinstance(responses, pd.DataFrame):
        if responses.shape[1] != 1:
            raise InputError("must be one column of answers", argument="responses",
                             value=f"DataFrame with {responses.shape[1]} columns")
        responses = responses.iloc[:, 0]
    resp = responses if isinstance(responses, pd.Series) else pd.Series(
        list(np.asarray(responses, dtype=object).ravel()), dtype=object)
    if len(resp) == 0:
        raise InputError("must not be empty", argument="responses")
    n = len(resp)
    vals = list(resp.to_numpy(dtype=object))

    if weights is None:
        w = np.ones(n)
    else:
        if isinstance(weights, pd.Series) and isinstance(responses, pd.Series):
            if not weights.index.equals(resp.index):
                if set(weights.index) != set(resp.index) or len(weights) != n:
                    raise InputError("must carry the same labels as responses",
                                     argument="weights")
                weights = weights.reindex(resp.index)
        w = as_weights("weights", weights, n=n, per="response")

    invalid_set = set()
    for v in invalid:
        invalid_set.add(v.strip() if isinstance(v, str) else v)
    blank = np.array([_is_blank(v) for v in vals])
    declared_invalid = np.array([
        (not b) and ((v.strip() if isinstance(v, str) else v) in invalid_set)
        for v, b in zip(vals, blank)])
    usable = ~blank & ~declared_invalid
    used_vals = [v for v, u in zip(vals, usable) if u]

    boolean = bool(used_vals) and all(isinstance(v, (bool, np.bool_)) for v in used_vals)
    if boolean:
        score = np.full(n, np.nan)
        score[usable] = [1.0 if v else 0.0 for v in used_vals]
        sat = score == 1.0
        scale = [1.0, 0.0]
        labels = {1.0: "满意 (True)", 0.0: "不满意 (False)"}
        sat_levels = {1.0}
    else:
        lv = dict(LIKERT_ZH if levels is None else levels)
        if not lv:
            raise InputError("must map at least one label to a score", argument="levels")
        try:
            lv = {str(k).strip(): float(s) for k, s in lv.items()}
        except (TypeError, ValueError):
            raise InputError("scores must be numbers", argument="levels") from None
        scale = sorted(set(lv.values()), reverse=True)
        scale_set = set(scale)
        if levels is None:
            labels = {float(k): v for k, v in _CANONICAL_ZH.items()}
        else:
            labels = {}
            for k, s in lv.items():
                labels.setdefault(s, k)
        score = np.full(n, np.nan)
        bad = []
        for i, (v, u) in enumerate(zip(vals, usable)):
            if not u:
                continue
            if isinstance(v, (bool, np.bool_)):
                bad.append(v)
                continue
            if isinstance(v, str):
                t = v.strip()
                if t in lv:
                    score[i] = lv[t]
                    continue
                try:
                    num = float(t)
                except ValueError:
                    bad.append(v)
                    continue
            else:
                try:
                    num = float(v)
                except (TypeError, ValueError):
                    bad.append(v)
                    continue
            if num in scale_set:
                score[i] = num
            else:
                bad.append(v)
        if bad:
            uniq = list(dict.fromkeys(map(str, bad)))[:10]
            raise InputError(f"{len(bad)} answer(s) are not on the scale {scale} nor a known "
                             f"label; declare them with invalid=… or map them with levels=…",
                             argument="responses", value=uniq)
        if isinstance(satisfied, (int, float, np.integer, np.floating)) and not isinstance(
                satisfied, (bool, np.bool_)):
            sat_levels = {s for s in scale if s >= float(satisfied)}
        elif isinstance(satisfied, str):
            raise InputError("must be a score threshold or a collection of levels",
                             argument="satisfied", value=satisfied)
        else:
            try:
                items = list(satisfied)
            except TypeError:
                raise InputError("must be a score threshold or a collection of levels",
                                 argument="satisfied", value=satisfied) from None
            sat_levels = set()
            for it in items:
                if isinstance(it, str) and it.strip() in lv:
                    sat_levels.add(lv[it.strip()])
                elif not isinstance(it, str) and _num_in(it, scale_set):
                    sat_levels.add(float(it))
                else:
                    raise InputError("lists a level that is not on the scale",
                                     argument="satisfied", value=it)
        if not sat_levels:
            raise InputError(f"selects no level of the scale {scale}", argument="satisfied",
                             value=satisfied)
        sat = np.isin(score, list(sat_levels))

    valid = usable
    n_valid = int(valid.sum())
    if n_valid == 0:
        raise InputError("has no valid response", argument="responses")
    wv = w[valid]
    sw = float(wv.sum())
    if not sw > 0:
        raise InputError("valid responses have zero total weight", argument="weights")
    rate = float(w[valid & sat].sum() / sw)
    n_eff = sw ** 2 / float(np.sum(wv ** 2))
    if weights is None:
        n_eff = float(n_valid)
    lo, hi = _proportion_ci(rate, n_eff, conf, method)
    half = (hi - lo) / 2
    precise = half <= margin
    if target is None:
        status, met = None, None
    elif lo >= target:
        status, met = "met", True
    elif hi < target:
        status, met = "not met", False
    else:
        status, met = "uncertain", False
    too_small = (not precise) or status == "uncertain"
    deff = n_valid / n_eff
    # planning proportion: the observed rate, or the conservative 0.5 when it is 0 or 1
    p_plan = rate if 0 < rate < 1 else 0.5
    n_req = sample_size(margin, p=p_plan, conf=conf, deff=max(deff, 1.0)).n

    rows = []
    for s in scale:
        m = valid & (score == s)
        rows.append({"level": s, "label": labels.get(s, str(s)), "n": int(m.sum()),
                     "weight": float(w[m].sum()), "share": float(w[m].sum() / sw),
                     "satisfied": bool(s in sat_levels)})
    counts = pd.DataFrame(rows)
    return SatisfactionResult(
        rate=rate, ci_low=float(lo), ci_high=float(hi), half_width=float(half), n=n,
        n_blank=int(blank.sum()), n_invalid=int(declared_invalid.sum()), n_valid=n_valid,
        n_satisfied=int((valid & sat).sum()), n_eff=float(n_eff), deff=float(deff),
        weighted=weights is not None, conf=float(conf), method=method, margin=margin,
        precise_enough=bool(precise), target=target, target_status=status, target_met=met,
        too_small=bool(too_small), n_required=int(n_req), counts=counts)


def _num_in(v: Any, scale: set) -> bool:
    try:
        return float(v) in scale
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# sample sizes
# --------------------------------------------------------------------------------------------
def kish_effective_n(weights: Any) -> float:
    """Kish effective sample size of design weights.

    Parameters
    ----------
    weights : 1-D array-like or Series
        Non-negative, finite weights, not all zero.

    Returns
    -------
    float
        :math:`n_{\\mathrm{eff}} = (\\sum_i w_i)^2 / \\sum_i w_i^2`; equal weights give the count.

    Notes
    -----
    The design effect due to unequal weighting is :math:`n / n_{\\mathrm{eff}} = 1 + CV_w^2`
    (with the population CV of the weights).

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley, §11.7.
    """
    w = as_weights("weights", weights)
    if w.size == 0:
        raise InputError("must not be empty", argument="weights")
    s2 = float(np.sum(w ** 2))
    if s2 == 0:
        raise InputError("must not all be zero", argument="weights")
    return float(np.sum(w)) ** 2 / s2


@dataclass(frozen=True, eq=False)
class SampleSizeResult(Result):
    """Respondents needed for a margin of error (``int(result)`` gives ``n``)."""

    n: int
    n_unrounded: float
    n_infinite: float
    margin: float
    p: float
    conf: float
    z: float
    population: int | None
    deff: float

    title = "Sample size (样本量)"

    def __int__(self) -> int:
        return self.n

    def __index__(self) -> int:
        return self.n

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{k: getattr(self, k) for k in (
            "n", "n_unrounded", "n_infinite", "margin", "p", "conf", "z", "population", "deff")}])


def sample_size(margin: float, *, p: float = 0.5, conf: float = 0.95,
                population: int | None = None, deff: float = 1.0) -> SampleSizeResult:
    """Sample size to estimate a proportion within ±``margin`` (问卷样本量).

    Parameters
    ----------
    margin : float
        Half-width of the interval as a fraction (0.05 for ±5 percentage points).
    p : float, keyword-only
        Anticipated proportion; 0.5 is the conservative choice.
    conf : float, keyword-only
        Confidence level.
    population : int, optional, keyword-only
        Population size :math:`N` for the finite population correction.
    deff : float, keyword-only
        Design effect (≥ 1 for clustered or weighted designs).

    Returns
    -------
    SampleSizeResult
        ``n`` (rounded up, at most ``population``), ``n_unrounded`` and ``n_infinite``
        (before the finite population correction).

    Notes
    -----
    Cochran's formula with :math:`z = \\Phi^{-1}(1 - \\alpha/2)`:

    .. math:: n_0 = \\mathrm{deff}\\,\\frac{z^2 p(1-p)}{e^2},\\qquad
              n = \\frac{n_0}{1 + (n_0 - 1)/N}

    :math:`n_0 = 384.15 \\to 385` for :math:`e = 0.05`, 95%, :math:`p = 0.5`. The finite form is
    algebraically the Krejcie–Morgan formula :math:`\\chi^2 N p(1-p)/(e^2(N-1) + \\chi^2 p(1-p))`
    (their Table 1 gives 278 for N = 1000).

    References
    ----------
    Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., §4.4. Krejcie, R. V. & Morgan, D. W.
    (1970). Educ. Psychol. Meas. 30, 607–610.
    """
    margin = check_probability("margin", margin)
    p = check_probability("p", p)
    check_probability("conf", conf)
    if not (isinstance(deff, (int, float, np.integer, np.floating)) and np.isfinite(deff)
            and deff > 0):
        raise InputError("must be a positive number", argument="deff", value=deff)
    if population is not None:
        if isinstance(population, (bool, np.bool_)) or not isinstance(
                population, (int, np.integer)) or population < 1:
            raise InputError("must be a positive integer", argument="population",
                             value=population)
        population = int(population)
    z = float(stats.norm.ppf(1 - (1 - conf) / 2))
    n0 = float(deff) * z * z * p * (1 - p) / (margin * margin)
    n_fin = n0 if population is None else n0 / (1 + (n0 - 1) / population)
    n = math.ceil(n_fin - 1e-9)
    if population is not None:
        n = min(n, population)
    return SampleSizeResult(n=int(max(n, 1)), n_unrounded=float(n_fin), n_infinite=n0,
                            margin=margin, p=p, conf=float(conf), z=z, population=population,
                            deff=float(deff))


# --------------------------------------------------------------------------------------------
# expert scoring
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class AggregateScoresResult(Result):
    """Aggregated expert scores per item (专家评分汇总).

    ``table`` columns: ``score`` (the aggregate), ``n`` (scores given), ``n_used`` (after
    trimming), ``mean``, ``median``, ``sd`` (ddof = 1), ``min``, ``max``, ``range``, ``cv``
    (sd / mean: the experts' disagreement).
    """

    table: pd.DataFrame
    method: str
    trim: float

    title = "Expert scores (专家评分)"

    @property
    def scores(self) -> pd.Series:
        return self.table["score"].copy()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def aggregate_scores(scores: Any, *, method: str = "mean", trim: float = 0.1
                     ) -> AggregateScoresResult:
    """Aggregate the scores several experts gave each item (专家评议).

    Parameters
    ----------
    scores : DataFrame, Series or 2-D array-like
        Rows are items (indicators, projects), columns are experts. NaN means the expert did
        not score the item. A Series is one item scored by several experts.
    method : {"mean", "trimmed", "median"}, keyword-only
        ``"trimmed"`` drops the ``trim`` share of the lowest and of the highest scores of each
        item before averaging.
    trim : float, keyword-only
        Share cut from *each* end, in [0, 0.5). With :math:`k` experts,
        ``trim=1/k`` is the common rule 去掉一个最高分和一个最低分.

    Returns
    -------
    AggregateScoresResult

    Notes
    -----
    With the :math:`n` scores of an item sorted, :math:`g = \\lfloor \\text{trim}\\cdot n\\rfloor`
    are cut from each end and the trimmed mean is
    :math:`\\frac{1}{n-2g}\\sum_{i=g+1}^{n-g} x_{(i)}` (as ``scipy.stats.trim_mean`` and R
    ``mean(x, trim=)``, which floors the same way). ``cv`` is :math:`s/\\bar x` on all scores.

    References
    ----------
    domain.md §8 (公众评判法: 专家评议), source M. Wilcox, R. R. (2012). *Introduction to Robust
    Estimation and Hypothesis Testing*, 3rd ed., §3.2.
    """
    check_option("method", method, ("mean", "trimmed", "median"))
    try:
        trim = float(trim)
    except (TypeError, ValueError):
        raise InputError("must be a number in [0, 0.5)", argument="trim", value=trim) from None
    if not (0 <= trim < 0.5):
        raise InputError("must lie in [0, 0.5)", argument="trim", value=trim)
    if isinstance(scores, pd.Series):
        name = "item" if scores.name is None else scores.name
        scores = pd.DataFrame([scores.to_numpy()], index=[name], columns=scores.index)
    scores = as_matrix("scores", scores, what="items × experts")
    if scores.shape[0] == 0 or scores.shape[1] == 0:
        raise InputError("must not be empty", argument="scores")
    check_numeric_columns("scores", scores)
    x = scores.to_numpy(dtype=float)
    if np.isinf(x).any():
        raise InputError("must not contain infinite values", argument="scores")
    n = (~np.isnan(x)).sum(axis=1)
    if (n == 0).any():
        raise InputError("every item needs at least one score", argument="scores",
                         value=scores.index[n == 0][0])
    srt = np.sort(x, axis=1)  # NaN sorts last
    g = np.floor(trim * n + 1e-9).astype(int) if method == "trimmed" else np.zeros_like(n)
    pos = np.arange(x.shape[1])[None, :]
    keep = (pos >= g[:, None]) & (pos < (n - g)[:, None])
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        tmean = np.where(keep, srt, 0.0).sum(axis=1) / keep.sum(axis=1)
        mean = np.nanmean(x, axis=1)
        sd = np.where(n > 1, np.nanstd(x, axis=1, ddof=1) if x.shape[1] > 1 else np.nan, np.nan)
        median = np.nanmedian(x, axis=1)
        mn, mx = np.nanmin(x, axis=1), np.nanmax(x, axis=1)
        cv = np.where(mean != 0, sd / mean, np.nan)
    agg = {"mean": mean, "trimmed": tmean, "median": median}[method]
    table = pd.DataFrame({"score": agg, "n": n, "n_used": n - 2 * g if method == "trimmed"
                          else n, "mean": mean, "median": median, "sd": sd, "min": mn,
                          "max": mx, "range": mx - mn, "cv": cv}, index=scores.index)
    return AggregateScoresResult(table=table, method=method, trim=trim)
