"""比较法 — the comparative method.

domain.md §8: compare the outcome against the target (计划标准), against history (历史标准) and
against the same spending in other departments or regions (行业标准). The module gives the three
variance tables, the usual two-sample and paired tests for "did it differ?", and a
difference-in-differences (双重差分) estimate for "did the funded units improve more than the
others?".

Functions
---------
- :func:`target_vs_actual` — attainment ratio, gap and met flag per indicator (目标完成情况).
- :func:`year_on_year` — change and % change between consecutive periods per unit (同比).
- :func:`peer_comparison` — value against the group median, percentile rank and z-score (横向比较).
- :func:`welch_t` — Welch two-sample t-test with Hedges' g (matches R ``t.test``).
- :func:`mann_whitney` — Wilcoxon rank-sum / Mann–Whitney U test (matches R ``wilcox.test``,
  ``exact=FALSE, correct=TRUE``) with the rank-biserial correlation.
- :func:`wilcoxon_signed_rank` — paired signed-rank test (matches R ``wilcox.test(paired=TRUE,
  exact=FALSE, correct=TRUE)``) with the matched-pairs rank-biserial correlation.
- :func:`did` — difference-in-differences by OLS with cluster-robust (CR1) standard errors.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .._results import Result
from .._validate import DIRECTION_WORDS as _DIRECTIONS, check_option, check_probability
from ..errors import IdentityError, InputError, MethodError

__all__ = [
    "TargetVsActualResult",
    "YearOnYearResult",
    "PeerComparisonResult",
    "WelchTResult",
    "MannWhitneyResult",
    "WilcoxonSignedRankResult",
    "DiDResult",
    "target_vs_actual",
    "year_on_year",
    "peer_comparison",
    "welch_t",
    "mann_whitney",
    "wilcoxon_signed_rank",
    "did",
]

_ALTERNATIVES = ("two-sided", "less", "greater")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _labelled_values(name: str, data: Any) -> pd.Series:
    """A 1-D float Series keeping labels; NaN allowed, ±inf refused."""
    if isinstance(data, pd.DataFrame):
        if data.shape[1] != 1:
            raise InputError("must be one-dimensional (a Series or one column)", argument=name,
                             value=f"DataFrame with {data.shape[1]} columns")
        data = data.iloc[:, 0]
    if isinstance(data, dict):
        data = pd.Series(data)
    if not isinstance(data, pd.Series):
        arr = np.asarray(data, dtype=object)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        if arr.ndim != 1:
            raise InputError(f"must be one-dimensional, got {arr.ndim}-D", argument=name)
        data = pd.Series(arr)
    if len(data) == 0:
        raise InputError("must not be empty", argument=name)
    try:
        out = pd.to_numeric(data, errors="raise").astype(float)
    except (TypeError, ValueError):
        bad = next((v for v in data if not _is_number(v)), None)
        raise InputError("must be numeric", argument=name, value=bad) from None
    if np.isinf(out.to_numpy()).any():
        raise InputError("must not contain infinite values", argument=name)
    return out


def _is_number(v: Any) -> bool:
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def _sample(name: str, data: Any, *, min_n: int) -> np.ndarray:
    """A clean 1-D sample: NaN dropped (as R's ``t.test``/``wilcox.test`` do), ±inf refused."""
    s = _labelled_values(name, data)
    arr = s.to_numpy()
    arr = arr[~np.isnan(arr)]
    if arr.size < min_n:
        raise InputError(f"needs at least {min_n} non-missing value(s), got {arr.size}",
                         argument=name)
    return arr


def _direction_vector(direction: Any, n: int, index: pd.Index) -> np.ndarray:
    if isinstance(direction, str):
        d = _DIRECTIONS.get(direction)
        if d is None:
            check_option("direction", direction, ("higher", "lower"))
        return np.full(n, d, dtype=object)
    if isinstance(direction, dict):
        direction = pd.Series(direction)
    if isinstance(direction, pd.Series):
        missing = index.difference(direction.index)
        if len(missing):
            raise InputError("has no entry for some rows", argument="direction",
                             value=list(missing[:5]))
        direction = direction.reindex(index)
    vals = list(direction)
    if len(vals) != n:
        raise InputError(f"must have one entry per row ({n}), got {len(vals)}",
                         argument="direction")
    out = []
    for v in vals:
        d = _DIRECTIONS.get(v) if isinstance(v, str) else None
        if d is None:
            raise InputError("entries must be 'higher' or 'lower' (or ≥/≤, 正向/逆向)",
                             argument="direction", value=v)
        out.append(d)
    return np.asarray(out, dtype=object)


def _check_alternative(alternative: str) -> str:
    return check_option("alternative", alternative, _ALTERNATIVES)


def _normal_p(z: float, alternative: str) -> float:
    if alternative == "two-sided":
        return float(2 * min(stats.norm.cdf(z), stats.norm.sf(z)))
    if alternative == "greater":
        return float(stats.norm.sf(z))
    return float(stats.norm.cdf(z))


def _tie_term(values: np.ndarray) -> float:
    """Σ (t³ − t) over groups of tied values."""
    _, counts = np.unique(values, return_counts=True)
    counts = counts.astype(float)
    return float(np.sum(counts ** 3 - counts))


# --------------------------------------------------------------------------------------------
# variance tables
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TargetVsActualResult(Result):
    """Outcome against target per indicator (目标完成情况).

    ``table`` columns: ``target``, ``actual``, ``direction``, ``attainment`` (完成率),
    ``gap`` (actual − target), ``gap_pct`` (gap / |target|), ``met`` (nullable boolean).
    """

    table: pd.DataFrame
    n: int
    n_met: int
    n_missing: int
    share_met: float

    title = "Target vs actual (目标完成情况)"

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def target_vs_actual(target: Any, actual: Any, *, direction: Any = "higher"
                     ) -> TargetVsActualResult:
    """Compare actual values with their targets (比较法: 与绩效目标比较).

    Parameters
    ----------
    target, actual : Series, dict or 1-D array-like
        Target (指标值) and actual (实际完成值) per indicator. Two Series must carry the same
        labels (the order of ``target`` is kept); array-likes must have equal length. NaN marks a
        value not yet reported and propagates; ±inf is refused.
    direction : str, Series, dict or sequence, keyword-only
        ``"higher"`` (正向, ≥: more is better) or ``"lower"`` (逆向, ≤: less is better), either one
        value for all rows or one per row (labelled like ``target``).

    Returns
    -------
    TargetVsActualResult
        ``table`` with ``attainment``, ``gap``, ``gap_pct`` and ``met`` per row; ``n_met`` and
        ``share_met`` (met / rows with both values).

    Notes
    -----
    With target :math:`t` and actual :math:`a`:

    - higher is better: attainment :math:`= a/t` (defined for :math:`t > 0`), met iff
      :math:`a \\ge t`;
    - lower is better: attainment :math:`= t/a` (defined for :math:`a > 0, t \\ge 0`), met iff
      :math:`a \\le t`;
    - gap :math:`= a - t`; gap_pct :math:`= (a - t)/|t|` (undefined for :math:`t = 0`).

    Undefined ratios are NaN, never ±inf. The attainment ratio is *not* capped at 1 here; the
    capped indicator score of domain.md §4.2 belongs to ``perfkit.scoring``.

    References
    ----------
    domain.md §4.2 (positive/reverse indicators) and §8 (比较法), source M.
    """
    t = _labelled_values("target", target)
    a = _labelled_values("actual", actual)
    if isinstance(target, pd.Series) and isinstance(actual, pd.Series):
        if not t.index.is_unique:
            raise InputError("labels must be unique", argument="target",
                             value=list(t.index[t.index.duplicated()][:5]))
        if set(t.index) != set(a.index) or len(t) != len(a):
            missing = list(t.index.symmetric_difference(a.index)[:5])
            raise InputError("must carry the same labels as target", argument="actual",
                             value=missing)
        a = a.reindex(t.index)
    else:
        if len(t) != len(a):
            raise InputError(f"must have the same length as target ({len(t)}), got {len(a)}",
                             argument="actual")
        if isinstance(target, pd.Series) or not isinstance(actual, pd.Series):
            a = pd.Series(a.to_numpy(), index=t.index)
        else:
            t = pd.Series(t.to_numpy(), index=a.index)
    d = _direction_vector(direction, len(t), t.index)
    tv, av = t.to_numpy(), a.to_numpy()
    higher = d == "higher"
    with np.errstate(divide="ignore", invalid="ignore"):
        att_h = np.where(tv > 0, av / tv, np.nan)
        att_l = np.where((av > 0) & (tv >= 0), tv / av, np.nan)
        gap = av - tv
        gap_pct = np.where(tv != 0, gap / np.abs(tv), np.nan)
    attainment = np.where(higher, att_h, att_l)
    known = ~(np.isnan(tv) | np.isnan(av))
    met_raw = np.where(higher, av >= tv, av <= tv)
    met = pd.array(np.where(known, met_raw, False), dtype="boolean")
    met[~known] = pd.NA
    table = pd.DataFrame({"target": tv, "actual": av, "direction": d.astype(str),
                          "attainment": attainment, "gap": gap, "gap_pct": gap_pct, "met": met},
                         index=t.index)
    n_known = int(known.sum())
    n_met = int(met_raw[known].sum())
    return TargetVsActualResult(table=table, n=len(table), n_met=n_met,
                                n_missing=len(table) - n_known,
                                share_met=(n_met / n_known) if n_known else float("nan"))


@dataclass(frozen=True, eq=False)
class YearOnYearResult(Result):
    """Change between consecutive periods per unit (同比/环比).

    ``table`` columns: ``<unit>``, ``<period>``, ``value``, ``prev_period``, ``prev_value``,
    ``change``, ``pct_change`` — one row per input row, sorted by unit then period.
    """

    table: pd.DataFrame
    unit: str
    period: str
    periods: list
    n_units: int

    title = "Year on year (同比)"

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def year_on_year(panel: pd.DataFrame, *, unit: str, period: str, value: str
                 ) -> YearOnYearResult:
    """Change and percentage change between consecutive periods, per unit (与历史比较).

    Parameters
    ----------
    panel : DataFrame
        Long table, one row per unit and period.
    unit, period, value : str, keyword-only
        Column names of the unit id, the (sortable) period and the numeric value.

    Returns
    -------
    YearOnYearResult
        ``table`` with ``prev_period``, ``prev_value``, ``change`` and ``pct_change``.

    Notes
    -----
    Periods are ordered over the whole panel; the previous period of :math:`p_k` is
    :math:`p_{k-1}` of that global order. A unit that lacks the previous period gets NaN rather
    than a silent two-period change.

    .. math:: \\Delta_{u,k} = v_{u,k} - v_{u,k-1}, \\qquad
              \\%\\Delta_{u,k} = \\Delta_{u,k} / |v_{u,k-1}|

    The percentage change is NaN when the base is zero or missing (NaN-safe, never ±inf). Dividing
    by :math:`|v_{u,k-1}|` keeps the sign of the change when the base is negative.

    References
    ----------
    domain.md §8 (比较法: 历史标准), source M.
    """
    if not isinstance(panel, pd.DataFrame):
        raise InputError("must be a DataFrame", argument="panel", value=type(panel).__name__)
    for arg, col in (("unit", unit), ("period", period), ("value", value)):
        if col not in panel.columns:
            raise InputError(f"column not found in panel; columns are {list(panel.columns)}",
                             argument=arg, value=col)
    if len({unit, period, value}) < 3:
        raise InputError("unit, period and value must be three different columns",
                         argument="value", value=value)
    if len(panel) == 0:
        raise InputError("must not be empty", argument="panel")
    df = pd.DataFrame({"_u": panel[unit].to_numpy(), "_p": panel[period].to_numpy()})
    if df["_u"].isna().any() or df["_p"].isna().any():
        raise InputError("must not contain missing values", argument="panel",
                         value=unit if df["_u"].isna().any() else period)
    df["_v"] = _labelled_values("value", panel[value]).to_numpy()
    dup = df.duplicated(["_u", "_p"], keep=False)
    if dup.any():
        first = df.loc[dup, ["_u", "_p"]].iloc[0].tolist()
        raise InputError("each (unit, period) must appear once", argument="panel", value=first)
    try:
        periods = sorted(df["_p"].unique())
    except TypeError:
        raise InputError("periods must be mutually sortable", argument="period",
                         value=period) from None
    prev = dict(zip(periods[1:], periods[:-1]))
    df["_pp"] = df["_p"].map(prev)
    base = df[["_u", "_p", "_v"]].rename(columns={"_p": "_pp", "_v": "_pv"})
    out = df.merge(base, on=["_u", "_pp"], how="left", validate="many_to_one")
    out["_c"] = out["_v"] - out["_pv"]
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = np.abs(out["_pv"].to_numpy())
        out["_pc"] = np.where(denom > 0, out["_c"].to_numpy() / denom, np.nan)
    out = out.sort_values(["_u", "_p"], kind="mergesort").reset_index(drop=True)
    names = {"_u": unit, "_p": period, "_v": value, "_pp": "prev_period",
             "_pv": "prev_value", "_c": "change", "_pc": "pct_change"}
    clash = set(names.values())
    if len(clash) < len(names):
        raise InputError("column names clash with the output columns prev_period, prev_value, "
                         "change, pct_change", argument="value", value=value)
    out = out[list(names)].rename(columns=names)
    if pd.api.types.is_integer_dtype(panel[period]):
        out["prev_period"] = out["prev_period"].astype("Int64")
    n_units = int(df["_u"].nunique())
    return YearOnYearResult(table=out, unit=unit, period=period, periods=list(periods),
                            n_units=n_units)


@dataclass(frozen=True, eq=False)
class PeerComparisonResult(Result):
    """Each unit against its peer group (横向比较).

    ``table`` columns: ``value``, ``group``, ``n_group`` (non-missing peers incl. the unit),
    ``group_median``, ``group_mean``, ``diff_median`` (value − median), ``percentile_rank``
    (0–100, higher = better performance), ``rank`` (1 = best), ``z_score``.
    """

    table: pd.DataFrame
    direction: str
    n_groups: int

    title = "Peer comparison (横向比较)"

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def peer_comparison(values: Any, *, groups: Any = None, direction: str = "higher"
                    ) -> PeerComparisonResult:
    """Compare each unit with its peers (与同类部门/地区比较).

    Parameters
    ----------
    values : Series, dict or 1-D array-like
        One value per unit; labels are kept. NaN marks a unit with no value (it is left out of
        every group statistic and gets NaN results).
    groups : Series, dict, sequence or None, keyword-only
        Peer group per unit (e.g. district type). Labelled like ``values`` or one per row.
        ``None`` puts every unit in one group.
    direction : {"higher", "lower"}, keyword-only
        Whether a higher value is better; sets ``percentile_rank`` and ``rank``.

    Returns
    -------
    PeerComparisonResult

    Notes
    -----
    Within a group of :math:`n` non-missing values, with :math:`b` peers strictly better and
    :math:`e` peers equal (the unit included),

    .. math:: \\text{percentile\\_rank} = 100\\,(n - b - e + e/2)/n

    is the mid-rank percentile (``scipy.stats.percentileofscore(kind="mean")`` applied to
    performance): the share of the group the unit does better than, ties counted half.
    ``rank`` is the competition rank (ties share the best place). The z-score
    :math:`(v - \\bar v)/s` uses the sample SD (ddof = 1) and is NaN for groups with fewer than
    two values or zero spread; its sign follows the value, not the direction.

    References
    ----------
    domain.md §8 (比较法: 行业标准), source M.
    """
    direction = _DIRECTIONS.get(direction, direction) if isinstance(direction, str) else direction
    check_option("direction", direction, ("higher", "lower"))
    v = _labelled_values("values", values)
    if not v.index.is_unique:
        raise InputError("labels must be unique", argument="values",
                         value=list(v.index[v.index.duplicated()][:5]))
    if groups is None:
        g = pd.Series("all", index=v.index, dtype=object)
    else:
        if isinstance(groups, dict):
            groups = pd.Series(groups)
        if isinstance(groups, pd.Series) and isinstance(values, (pd.Series, dict)):
            missing = v.index.difference(groups.index)
            if len(missing):
                raise InputError("has no group for some units", argument="groups",
                                 value=list(missing[:5]))
            g = groups.reindex(v.index)
        else:
            g = pd.Series(list(groups), dtype=object)
            if len(g) != len(v):
                raise InputError(f"must have one entry per unit ({len(v)}), got {len(g)}",
                                 argument="groups")
            g.index = v.index
        if g.isna().any():
            raise InputError("must not contain missing values", argument="groups",
                             value=g.index[g.isna()][0])
    df = pd.DataFrame({"value": v, "group": g})
    grp = df.groupby("group", sort=False)["value"]
    df["n_group"] = grp.transform("count").astype(int)
    df["group_median"] = grp.transform("median")
    df["group_mean"] = grp.transform("mean")
    sd = grp.transform(lambda s: s.std(ddof=1))
    df["diff_median"] = df["value"] - df["group_median"]
    perf = df["value"] if direction == "higher" else -df["value"]
    mid = perf.groupby(df["group"], sort=False).rank(method="average")
    df["percentile_rank"] = 100.0 * (mid - 0.5) / df["n_group"]
    df["rank"] = perf.groupby(df["group"], sort=False).rank(method="min", ascending=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (df["value"] - df["group_mean"]) / sd
    df["z_score"] = z.where(np.isfinite(z) & (sd > 0))
    return PeerComparisonResult(table=df, direction=direction,
                                n_groups=int(df["group"].nunique()))


# --------------------------------------------------------------------------------------------
# two-sample and paired tests
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class WelchTResult(Result):
    """Welch two-sample t-test (as R ``t.test(a, b)``) with Hedges' g."""

    statistic: float
    df: float
    p_value: float
    mean_a: float
    mean_b: float
    mean_diff: float
    ci_low: float
    ci_high: float
    se: float
    hedges_g: float
    g_ci_low: float
    g_ci_high: float
    n_a: int
    n_b: int
    conf: float
    alternative: str
    mu: float

    title = "Welch two-sample t-test"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{k: getattr(self, k) for k in (
            "n_a", "n_b", "mean_a", "mean_b", "mean_diff", "se", "statistic", "df", "p_value",
            "ci_low", "ci_high", "hedges_g", "g_ci_low", "g_ci_high")}])


def _hedges_j(df: float) -> float:
    """Exact small-sample correction J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2))."""
    return float(np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2)
                        - special.gammaln((df - 1) / 2)))


def _nct_ci(t_obs: float, df: float, conf: float) -> tuple[float, float]:
    """Confidence limits for the noncentrality parameter of a t statistic (test inversion)."""
    alpha = 1 - conf

    def root(p: float) -> float:
        f = lambda ncp: stats.nct.cdf(t_obs, df, ncp) - p  # noqa: E731 - decreasing in ncp
        width = 5 + abs(t_obs)
        lo, hi = t_obs - width, t_obs + width
        for _ in range(60):
            if f(lo) > 0 and f(hi) < 0:
                break
            lo, hi = lo - width, hi + width
        return float(optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-12, maxiter=500))

    return root(1 - alpha / 2), root(alpha / 2)


def welch_t(a: Any, b: Any, *, conf: float = 0.95, alternative: str = "two-sided",
            mu: float = 0.0) -> WelchTResult:
    """Welch two-sample t-test, mean difference with CI, and Hedges' g with CI.

    Parameters
    ----------
    a, b : 1-D array-like or Series
        The two samples (e.g. funded and non-funded units). NaN values are dropped, as R does;
        each sample needs at least two values.
    conf : float, keyword-only
        Confidence level of both intervals, in (0, 1).
    alternative : {"two-sided", "less", "greater"}, keyword-only
        Alternative hypothesis about :math:`\\mu_a - \\mu_b - \\mu_0`; one-sided tests give
        one-sided mean-difference intervals, as R does.
    mu : float, keyword-only
        Hypothesised difference :math:`\\mu_0`.

    Returns
    -------
    WelchTResult
        ``statistic``, ``df``, ``p_value``, ``mean_diff`` with ``ci_low``/``ci_high``, and
        ``hedges_g`` with its (always two-sided) ``g_ci_low``/``g_ci_high``.

    Notes
    -----
    .. math::
        t = \\frac{\\bar a - \\bar b - \\mu_0}{\\sqrt{s_a^2/n_a + s_b^2/n_b}},\\qquad
        \\nu = \\frac{(s_a^2/n_a + s_b^2/n_b)^2}
                    {\\frac{(s_a^2/n_a)^2}{n_a-1} + \\frac{(s_b^2/n_b)^2}{n_b-1}}

    (Welch–Satterthwaite). Hedges' g uses the pooled SD, :math:`d = (\\bar a - \\bar b)/s_p`,
    :math:`g = J(m)\\,d` with :math:`m = n_a + n_b - 2` and the exact correction
    :math:`J(m) = \\Gamma(m/2)/(\\sqrt{m/2}\\,\\Gamma((m-1)/2))`. Its CI inverts the noncentral
    t distribution of :math:`d/\\sqrt{1/n_a + 1/n_b}` with :math:`m` df and multiplies the limits
    by :math:`J` (as R ``effectsize::hedges_g``). g ignores ``mu``.

    References
    ----------
    Welch, B. L. (1947). Biometrika 34, 28–35. Hedges, L. V. (1981). J. Educ. Stat. 6, 107–128.
    Steiger, J. H. & Fouladi, R. T. (1997), noncentrality interval estimation. R Core Team,
    ``stats::t.test``.
    """
    check_probability("conf", conf)
    _check_alternative(alternative)
    x = _sample("a", a, min_n=2)
    y = _sample("b", b, min_n=2)
    nx, ny = x.size, y.size
    mx, my = float(x.mean()), float(y.mean())
    vx, vy = float(x.var(ddof=1)), float(y.var(ddof=1))
    sx, sy = vx / nx, vy / ny
    se = float(np.sqrt(sx + sy))
    if not se > 10 * np.finfo(float).eps * max(abs(mx), abs(my), 1.0):
        raise MethodError("data are essentially constant: the standard error is zero")
    df = (sx + sy) ** 2 / (sx ** 2 / (nx - 1) + sy ** 2 / (ny - 1))
    diff = mx - my
    t = (diff - mu) / se
    alpha = 1 - conf
    if alternative == "two-sided":
        p = 2 * stats.t.sf(abs(t), df)
        q = stats.t.ppf(1 - alpha / 2, df)
        lo, hi = diff - q * se, diff + q * se
    elif alternative == "greater":
        p = stats.t.sf(t, df)
        lo, hi = diff - stats.t.ppf(conf, df) * se, np.inf
    else:
        p = stats.t.cdf(t, df)
        lo, hi = -np.inf, diff + stats.t.ppf(conf, df) * se
    m = nx + ny - 2
    sp = np.sqrt(((nx - 1) * vx + (ny - 1) * vy) / m)
    if sp > 0:
        d = diff / sp
        j = _hedges_j(m)
        scale = np.sqrt(1 / nx + 1 / ny)
        ncp_lo, ncp_hi = _nct_ci(d / scale, m, conf)
        g, g_lo, g_hi = j * d, j * ncp_lo * scale, j * ncp_hi * scale
    else:  # pragma: no cover - se > 0 implies sp > 0
        g = g_lo = g_hi = float("nan")
    return WelchTResult(statistic=float(t), df=float(df), p_value=float(p), mean_a=mx, mean_b=my,
                        mean_diff=diff, ci_low=float(lo), ci_high=float(hi), se=se,
                        hedges_g=float(g), g_ci_low=float(g_lo), g_ci_high=float(g_hi),
                        n_a=int(nx), n_b=int(ny), conf=float(conf), alternative=alternative,
                        mu=float(mu))


@dataclass(frozen=True, eq=False)
class MannWhitneyResult(Result):
    """Wilcoxon rank-sum / Mann–Whitney U test (normal approximation, continuity-corrected)."""

    statistic: float
    u_b: float
    z: float
    p_value: float
    rank_biserial: float
    prob_superiority: float
    n_a: int
    n_b: int
    ties: bool
    alternative: str

    title = "Mann–Whitney U (Wilcoxon rank-sum) test"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{k: getattr(self, k) for k in (
            "n_a", "n_b", "statistic", "u_b", "z", "p_value", "rank_biserial",
            "prob_superiority")}])


def mann_whitney(a: Any, b: Any, *, alternative: str = "two-sided") -> MannWhitneyResult:
    """Mann–Whitney U test with the rank-biserial correlation.

    Parameters
    ----------
    a, b : 1-D array-like or Series
        The two samples; NaN values are dropped. Each needs at least one value.
    alternative : {"two-sided", "less", "greater"}, keyword-only
        ``"greater"``: values of ``a`` tend to exceed those of ``b``.

    Returns
    -------
    MannWhitneyResult
        ``statistic`` is :math:`U_a` (R's ``W``), ``u_b`` :math:`= n_a n_b - U_a`, ``z`` the
        corrected normal deviate, ``p_value``, ``rank_biserial`` and ``prob_superiority``.

    Notes
    -----
    With mid-ranks :math:`R_i` of the pooled sample and tie counts :math:`t_k`,

    .. math::
        U_a = \\sum_{i\\in a} R_i - \\frac{n_a(n_a+1)}{2},\\qquad
        \\sigma^2 = \\frac{n_a n_b}{12}\\Big(n_a+n_b+1 -
                   \\frac{\\sum_k (t_k^3 - t_k)}{(n_a+n_b)(n_a+n_b-1)}\\Big)

    :math:`z = (U_a - n_a n_b/2 - c)/\\sigma` with the continuity correction
    :math:`c = 0.5\\,\\mathrm{sign}(U_a - n_a n_b/2)` (two-sided), :math:`+0.5` (greater) or
    :math:`-0.5` (less) — exactly R ``wilcox.test(a, b, exact = FALSE, correct = TRUE)``.
    Rank-biserial :math:`r = 2U_a/(n_a n_b) - 1` (Kerby 2014), positive when ``a`` tends to be
    larger; probability of superiority :math:`U_a/(n_a n_b) = P(A>B) + P(A=B)/2`.

    References
    ----------
    Mann, H. B. & Whitney, D. R. (1947). Ann. Math. Stat. 18, 50–60. Kerby, D. S. (2014).
    Comprehensive Psychology 3, 11.IT.3.1. R Core Team, ``stats::wilcox.test``.
    """
    _check_alternative(alternative)
    x = _sample("a", a, min_n=1)
    y = _sample("b", b, min_n=1)
    nx, ny = x.size, y.size
    pooled = np.concatenate([x, y])
    ranks = stats.rankdata(pooled)
    w = float(ranks[:nx].sum() - nx * (nx + 1) / 2)
    n = nx + ny
    ties = _tie_term(pooled)
    sigma = np.sqrt((nx * ny / 12) * ((n + 1) - ties / (n * (n - 1)))) if n > 1 else 0.0
    if not sigma > 0:
        raise MethodError("all values are tied; the rank-sum test is undefined")
    z0 = w - nx * ny / 2
    corr = {"two-sided": np.sign(z0) * 0.5, "greater": 0.5, "less": -0.5}[alternative]
    z = float((z0 - corr) / sigma)
    return MannWhitneyResult(statistic=w, u_b=float(nx * ny - w), z=z,
                             p_value=_normal_p(z, alternative),
                             rank_biserial=float(2 * w / (nx * ny) - 1),
                             prob_superiority=float(w / (nx * ny)), n_a=int(nx), n_b=int(ny),
                             ties=bool(ties > 0), alternative=alternative)


@dataclass(frozen=True, eq=False)
class WilcoxonSignedRankResult(Result):
    """Wilcoxon signed-rank test (paired or one-sample; normal approximation, corrected)."""

    statistic: float
    z: float
    p_value: float
    rank_biserial: float
    n: int
    n_used: int
    n_zero: int
    ties: bool
    alternative: str
    mu: float

    title = "Wilcoxon signed-rank test"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{k: getattr(self, k) for k in (
            "n", "n_used", "n_zero", "statistic", "z", "p_value", "rank_biserial")}])


def wilcoxon_signed_rank(x: Any, y: Any = None, *, alternative: str = "two-sided",
                         mu: float = 0.0) -> WilcoxonSignedRankResult:
    """Wilcoxon signed-rank test on paired values (e.g. before/after per unit).

    Parameters
    ----------
    x : 1-D array-like or Series
        First measurement per unit (e.g. after).
    y : 1-D array-like, Series or None
        Second measurement (e.g. before), paired with ``x`` by position, or by label when both
        are Series. ``None`` tests ``x`` alone against ``mu``. Pairs with a NaN are dropped.
    alternative : {"two-sided", "less", "greater"}, keyword-only
        ``"greater"``: :math:`x - y` tends to exceed ``mu``.
    mu : float, keyword-only
        Hypothesised location of :math:`x - y`.

    Returns
    -------
    WilcoxonSignedRankResult
        ``statistic`` is :math:`V` (R's ``V``), with ``z``, ``p_value``, the matched-pairs
        ``rank_biserial``, ``n`` complete pairs, ``n_zero`` zero differences and ``n_used``.

    Notes
    -----
    Differences :math:`d_i = x_i - y_i - \\mu` equal to zero are dropped (R's rule), leaving
    :math:`n`; :math:`R_i` are mid-ranks of :math:`|d_i|`.

    .. math::
        V = \\sum_{d_i>0} R_i,\\qquad
        \\sigma^2 = \\frac{n(n+1)(2n+1)}{24} - \\frac{\\sum_k (t_k^3 - t_k)}{48},\\qquad
        z = \\frac{V - n(n+1)/4 - c}{\\sigma}

    with the continuity correction :math:`c` as in :func:`mann_whitney` — R
    ``wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = TRUE)``. Matched-pairs
    rank-biserial :math:`r = (V - (S - V))/S`, :math:`S = n(n+1)/2` (Kerby 2014).

    References
    ----------
    Wilcoxon, F. (1945). Biometrics Bulletin 1, 80–83. Kerby, D. S. (2014). Comprehensive
    Psychology 3, 11.IT.3.1. R Core Team, ``stats::wilcox.test``.
    """
    _check_alternative(alternative)
    if not np.isfinite(mu):
        raise InputError("must be finite", argument="mu", value=mu)
    xs = _labelled_values("x", x)
    if y is None:
        diff = xs.to_numpy()
    else:
        ys = _labelled_values("y", y)
        if isinstance(x, pd.Series) and isinstance(y, pd.Series):
            if set(xs.index) != set(ys.index) or len(xs) != len(ys) or not xs.index.is_unique:
                raise InputError("must carry the same (unique) labels as x", argument="y",
                                 value=list(xs.index.symmetric_difference(ys.index)[:5]))
            ys = ys.reindex(xs.index)
        elif len(xs) != len(ys):
            raise InputError(f"must have the same length as x ({len(xs)}), got {len(ys)}",
                             argument="y")
        diff = xs.to_numpy() - ys.to_numpy()
    diff = diff[~np.isnan(diff)]
    n_pairs = diff.size
    if n_pairs == 0:
        raise InputError("needs at least one complete pair", argument="x")
    d = diff - mu
    nz = d[d != 0]
    n = nz.size
    if n == 0:
        raise MethodError("all differences are zero; the signed-rank test is undefined")
    r = stats.rankdata(np.abs(nz))
    v = float(r[nz > 0].sum())
    ties = _tie_term(r)
    sigma = np.sqrt(n * (n + 1) * (2 * n + 1) / 24 - ties / 48)
    z0 = v - n * (n + 1) / 4
    corr = {"two-sided": np.sign(z0) * 0.5, "greater": 0.5, "less": -0.5}[alternative]
    z = float((z0 - corr) / sigma)
    s = n * (n + 1) / 2
    return WilcoxonSignedRankResult(statistic=v, z=z, p_value=_normal_p(z, alternative),
                                    rank_biserial=float((v - (s - v)) / s), n=int(n_pairs),
                                    n_used=int(n), n_zero=int(n_pairs - n), ties=bool(ties > 0),
                                    alternative=alternative, mu=float(mu))


# --------------------------------------------------------------------------------------------
# difference in differences
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class DiDResult(Result):
    """Difference-in-differences (双重差分) by OLS with robust standard errors.

    ``coefficients`` columns: ``term``, ``estimate``, ``se``, ``statistic``, ``p_value``,
    ``ci_low``, ``ci_high``. ``cell_means`` has one row per (treated, post) cell with ``n`` and
    ``mean``.
    """

    estimate: float
    se: float
    statistic: float
    df: float
    p_value: float
    ci_low: float
    ci_high: float
    conf: float
    n: int
    n_dropped: int
    n_clusters: int | None
    cov_type: str
    coefficients: pd.DataFrame
    cell_means: pd.DataFrame

    title = "Difference in differences (双重差分)"

    def to_frame(self) -> pd.DataFrame:
        return self.coefficients.copy()


def _binary(data: pd.DataFrame, col: str, arg: str) -> np.ndarray:
    s = data[col]
    if s.dtype == bool:
        return s.to_numpy(dtype=float)
    vals = pd.to_numeric(s, errors="coerce")
    ok = vals.isin([0, 1]) | s.isna()
    if not ok.all():
        raise InputError("must be 0/1 or boolean", argument=arg,
                         value=s[~ok].iloc[0])
    return vals.to_numpy(dtype=float)


def did(data: pd.DataFrame, *, outcome: str, treated: str, post: str,
        cluster: str | None = None, covariates: Sequence[str] | Iterable[str] = (),
        conf: float = 0.95) -> DiDResult:
    """Difference-in-differences estimate of a programme effect (双重差分).

    Parameters
    ----------
    data : DataFrame
        Long table, one row per unit and period.
    outcome : str, keyword-only
        Column of the outcome.
    treated, post : str, keyword-only
        0/1 (or boolean) columns: the unit is in the funded group; the period is after the start.
    cluster : str or None, keyword-only
        Column of the cluster id (usually the unit). ``None`` gives heteroskedasticity-robust
        HC1 errors instead of cluster-robust ones.
    covariates : sequence of str, keyword-only
        Numeric control columns added linearly.
    conf : float, keyword-only
        Confidence level.

    Returns
    -------
    DiDResult
        ``estimate`` (the coefficient of treated × post), its ``se``, ``statistic``, ``df``,
        ``p_value`` and CI; all ``coefficients``; the 2 × 2 ``cell_means``. Rows with a missing
        value in a used column are dropped and counted in ``n_dropped``.

    Notes
    -----
    .. math:: y_{it} = \\beta_0 + \\beta_1 D_i + \\beta_2 P_t + \\delta\\, D_i P_t +
              x_{it}'\\gamma + \\varepsilon_{it}

    fitted by OLS (statsmodels). With clusters :math:`g = 1..G` the CR1 variance is

    .. math:: \\hat V = \\frac{G}{G-1}\\frac{N-1}{N-K}(X'X)^{-1}
              \\Big(\\sum_g X_g'\\hat u_g \\hat u_g' X_g\\Big)(X'X)^{-1}

    and inference uses :math:`t_{G-1}`, as Stata's ``vce(cluster)``. Without clusters, HC1
    :math:`\\frac{N}{N-K}(X'X)^{-1}X'\\mathrm{diag}(\\hat u^2)X(X'X)^{-1}` with :math:`t_{N-K}`.
    Without covariates :math:`\\hat\\delta` equals the double difference of cell means
    :math:`(\\bar y_{11} - \\bar y_{10}) - (\\bar y_{01} - \\bar y_{00})`; the result checks that
    identity and raises :class:`~perfkit.errors.IdentityError` if it fails. Few clusters
    (G < 30 or so) make CR1 inference optimistic; see Cameron & Miller (2015).

    References
    ----------
    Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*, ch. 5.
    Cameron, A. C. & Miller, D. L. (2015). J. Human Resources 50(2), 317–372.
    """
    import statsmodels.api as sm

    check_probability("conf", conf)
    if not isinstance(data, pd.DataFrame):
        raise InputError("must be a DataFrame", argument="data", value=type(data).__name__)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    named = [("outcome", outcome), ("treated", treated), ("post", post)]
    if cluster is not None:
        named.append(("cluster", cluster))
    named += [("covariates", c) for c in covariates]
    for arg, col in named:
        if col not in data.columns:
            raise InputError(f"column not found in data; columns are {list(data.columns)}",
                             argument=arg, value=col)
    reserved = {outcome, treated, post}
    for c in covariates:
        if c in reserved:
            raise InputError("a covariate cannot be the outcome, treated or post column",
                             argument="covariates", value=c)
    if len(set(covariates)) != len(covariates):
        raise InputError("must not repeat a column", argument="covariates", value=covariates)
    cols = [outcome, treated, post, *covariates] + ([cluster] if cluster is not None else [])
    sub = data[list(dict.fromkeys(cols))]
    for arg, col in [("outcome", outcome)] + [("covariates", c) for c in covariates]:
        if not pd.api.types.is_numeric_dtype(sub[col]):
            raise InputError("must be a numeric column", argument=arg, value=col)
        if np.isinf(sub[col].astype(float).to_numpy()).any():
            raise InputError("must not contain infinite values", argument=arg, value=col)
    d = _binary(sub, treated, "treated")
    p = _binary(sub, post, "post")
    keep = sub.notna().all(axis=1).to_numpy()
    n_dropped = int((~keep).sum())
    y = sub[outcome].astype(float).to_numpy()[keep]
    d, p = d[keep], p[keep]
    cells = pd.DataFrame({"treated": d.astype(int), "post": p.astype(int), "y": y})
    cm = (cells.groupby(["treated", "post"])["y"].agg(["size", "mean"])
          .rename(columns={"size": "n"}).reindex(
              pd.MultiIndex.from_product([[0, 1], [0, 1]], names=["treated", "post"])))
    if cm["n"].isna().any() or (cm["n"] == 0).any():
        empty = [f"treated={i}, post={j}" for (i, j), n in cm["n"].items()
                 if not (n == n and n > 0)]
        raise InputError("every treated × post cell needs observations; empty: "
                         + "; ".join(empty), argument="data")
    cm["n"] = cm["n"].astype(int)
    cm = cm.reset_index()
    X = np.column_stack([np.ones_like(y), d, p, d * p]
                        + [sub[c].astype(float).to_numpy()[keep] for c in covariates])
    names = ["const", treated, post, f"{treated}:{post}", *covariates]
    n, k = X.shape
    if np.linalg.matrix_rank(X) < k:
        raise MethodError("the design matrix is rank deficient (a covariate is collinear with "
                          "the treatment, period or another covariate)")
    model = sm.OLS(y, X)
    if cluster is not None:
        groups = pd.factorize(sub[cluster][keep])[0]
        n_clusters = int(groups.max() + 1)
        if n_clusters < 2:
            raise InputError("needs at least two clusters", argument="cluster", value=cluster)
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        df_inf = float(n_clusters - 1)
        cov_type = "CR1"
    else:
        if n <= k:
            raise InputError(f"needs more rows ({n}) than parameters ({k})", argument="data")
        fit = model.fit(cov_type="HC1", use_t=True)
        n_clusters = None
        df_inf = float(n - k)
        cov_type = "HC1"
    params = np.asarray(fit.params)
    bse = np.asarray(fit.bse)
    tvals = params / bse
    pvals = 2 * stats.t.sf(np.abs(tvals), df_inf)
    q = stats.t.ppf(1 - (1 - conf) / 2, df_inf)
    coefs = pd.DataFrame({"term": names, "estimate": params, "se": bse, "statistic": tvals,
                          "p_value": pvals, "ci_low": params - q * bse,
                          "ci_high": params + q * bse})
    if not covariates:
        m = cm.set_index(["treated", "post"])["mean"]
        dd = (m[(1, 1)] - m[(1, 0)]) - (m[(0, 1)] - m[(0, 0)])
        scale = max(1.0, float(np.abs(y).max()))
        if abs(dd - params[3]) > 1e-8 * scale:
            raise IdentityError(f"DiD coefficient {params[3]!r} differs from the double "
                                f"difference of cell means {dd!r}")
    return DiDResult(estimate=float(params[3]), se=float(bse[3]), statistic=float(tvals[3]),
                     df=df_inf, p_value=float(pvals[3]), ci_low=float(params[3] - q * bse[3]),
                     ci_high=float(params[3] + q * bse[3]), conf=float(conf), n=int(n),
                     n_dropped=n_dropped, n_clusters=n_clusters, cov_type=cov_type,
                     coefficients=coefs, cell_means=cm)
