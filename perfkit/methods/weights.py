"""Indicator weights: AHP (层次分析法), entropy weights (熵权法) and weight sensitivity.

domain.md §4.3: department and finance evaluations weight indicators "by importance"; AHP turns
expert pairwise judgements into weights and checks their consistency, the entropy method derives
weights from the spread of the data, and :func:`weight_sensitivity` asks how much the grades
(优/良/中/差, domain.md §4.4) depend on the exact weights chosen.

Functions
---------
- :func:`ahp` — principal-eigenvector weights, λmax, CI, RI and CR of a pairwise matrix.
- :func:`entropy_weights` — entropy weight method with min–max normalisation by direction.
- :func:`weight_sensitivity` — Dirichlet perturbation of the weights; probability that each
  unit's grade changes and the distribution of its total.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .._results import Result
from .._validate import (DIRECTION_WORDS as _DIRECTIONS, as_matrix, as_weights,
                         check_numeric_columns, check_option)
from ..errors import InputError, MethodError

__all__ = [
    "SAATY_RI",
    "AHPResult",
    "EntropyWeightsResult",
    "WeightSensitivityResult",
    "ahp",
    "entropy_weights",
    "weight_sensitivity",
]

#: Saaty's random consistency index RI for matrix orders n = 1..15 (Saaty 1980, *The Analytic
#: Hierarchy Process*, McGraw-Hill: the mean CI of randomly generated reciprocal matrices on the
#: 1/9..9 scale). Later sources give slightly different values for n ≥ 11; pass ``ri=`` to use them.
SAATY_RI: dict[int, float] = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32,
                              8: 1.41, 9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56,
                              14: 1.57, 15: 1.59}
_RI_SOURCE = "Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill"


# --------------------------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class AHPResult(Result):
    """AHP weights and consistency (层次分析法).

    ``table`` columns: ``weight`` (sums to 1) and ``lambda_i`` :math:`= (Aw)_i / w_i` (all equal
    to λmax for a consistent matrix).
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    consistent: bool
    threshold: float
    n: int
    method: str
    matrix: pd.DataFrame
    ri_source: str

    title = "AHP weights (层次分析法)"

    def to_frame(self) -> pd.DataFrame:
        a = self.matrix.to_numpy()
        w = self.weights.to_numpy()
        return pd.DataFrame({"weight": w, "lambda_i": (a @ w) / w}, index=self.weights.index)


def ahp(matrix: Any, *, allow_inconsistent: bool = False, method: str = "eigenvector",
        threshold: float = 0.1, ri: Mapping[int, float] | Sequence[float] | None = None,
        reciprocal_rtol: float = 0.01) -> AHPResult:
    """Weights from a pairwise comparison matrix (层次分析法, AHP).

    Parameters
    ----------
    matrix : DataFrame or square 2-D array-like
        :math:`a_{ij}` = importance of row :math:`i` over column :math:`j` on Saaty's 1–9 scale.
        A DataFrame must carry the same labels on rows and columns (columns are reordered to the
        rows). Entries must be positive and finite, the diagonal 1, and
        :math:`a_{ji} = 1/a_{ij}`.
    allow_inconsistent : bool, keyword-only
        If False (default) a matrix with CR ≥ ``threshold`` raises
        :class:`~perfkit.errors.MethodError`; if True the result carries ``consistent=False``.
    method : {"eigenvector", "geometric"}, keyword-only
        Saaty's principal right eigenvector (default) or the row geometric mean (方根法).
        λmax is the principal eigenvalue in both cases.
    threshold : float, keyword-only
        Largest acceptable CR (exclusive), 0.1 by Saaty's rule.
    ri : mapping n → RI or sequence (index 0 ↔ n = 1), optional, keyword-only
        Random index table replacing :data:`SAATY_RI` (needed for n > 15).
    reciprocal_rtol : float, keyword-only
        Tolerance on :math:`a_{ij}a_{ji} = 1`, so that entries typed as 0.33 for 1/3 pass.
        Accepted near-reciprocal pairs are made exact by the geometric mean
        :math:`a_{ij} \\leftarrow \\sqrt{a_{ij}/a_{ji}}` (no change for exact input).

    Returns
    -------
    AHPResult
        ``weights`` (labelled, sum 1), ``lambda_max``, ``ci``, ``ri``, ``cr``, ``consistent``.

    Notes
    -----
    :math:`A w = \\lambda_{\\max} w` with :math:`w > 0` (Perron), :math:`\\sum w = 1`;

    .. math:: CI = \\frac{\\lambda_{\\max} - n}{n - 1}, \\qquad CR = CI / RI_n

    with Saaty's (1980) random index :math:`RI_n` = 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
    1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59 for n = 1..15. Matrices of order 1 and 2 are always
    consistent (CR := 0). Saaty's house-buying example (1990, criteria matrix of order 8) gives
    weights .173 .054 .188 .018 .031 .036 .167 .333, λmax = 9.669, CI = .238, CR = .169.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill. Saaty, T. L. (1990).
    How to make a decision: the analytic hierarchy process. EJOR 48, 9–26.
    """
    check_option("method", method, ("eigenvector", "geometric"))
    if not (isinstance(threshold, (int, float, np.floating)) and 0 < threshold <= 1):
        raise InputError("must lie in (0, 1]", argument="threshold", value=threshold)
    if not (isinstance(reciprocal_rtol, (int, float, np.floating)) and 0 <= reciprocal_rtol < 1):
        raise InputError("must lie in [0, 1)", argument="reciprocal_rtol", value=reciprocal_rtol)
    if isinstance(matrix, pd.DataFrame):
        if not matrix.index.is_unique or set(matrix.index) != set(matrix.columns) \
                or len(matrix.index) != len(matrix.columns):
            raise InputError("rows and columns must carry the same unique labels",
                             argument="matrix",
                             value=list(matrix.index.symmetric_difference(matrix.columns))[:5])
        df = matrix.loc[:, list(matrix.index)]
        bad = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
        if bad:
            raise InputError("entries must be numeric", argument="matrix", value=bad[:5])
        labels = list(df.index)
        a = df.to_numpy(dtype=float)
    else:
        try:
            a = np.asarray(matrix, dtype=float)
        except (TypeError, ValueError):
            raise InputError("must be a square numeric matrix", argument="matrix") from None
        if a.ndim != 2 or a.shape[0] != a.shape[1]:
            raise InputError(f"must be square, got shape {a.shape}", argument="matrix")
        labels = list(range(a.shape[0]))
    n = a.shape[0]
    if n == 0:
        raise InputError("must not be empty", argument="matrix")
    bad = ~np.isfinite(a) | ~(a > 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(f"cell ({labels[i]!r}, {labels[j]!r}) must be positive and finite",
                         argument="matrix", value=a[i, j])
    diag = np.abs(np.diag(a) - 1) > 1e-9
    if diag.any():
        i = int(np.argmax(diag))
        raise InputError(f"diagonal cell ({labels[i]!r}, {labels[i]!r}) must be 1",
                         argument="matrix", value=a[i, i])
    prod = a * a.T
    off = np.triu(np.abs(prod - 1) > reciprocal_rtol + 1e-12, 1)
    if off.any():
        i, j = np.argwhere(off)[0]
        raise InputError(f"cell ({labels[j]!r}, {labels[i]!r}) must be the reciprocal of cell "
                         f"({labels[i]!r}, {labels[j]!r}) = {a[i, j]!r}, i.e. "
                         f"{1 / a[i, j]!r}", argument="matrix", value=a[j, i])
    a = np.sqrt(a / a.T)
    ri_table = _ri_table(ri)
    if n not in ri_table:
        raise InputError(f"no random index for a matrix of order {n}; pass ri=…",
                         argument="matrix", value=n)
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    if method == "eigenvector":
        v = np.abs(vecs[:, k].real)
        w = v / v.sum()
    else:
        gm = np.exp(np.log(a).mean(axis=1))
        w = gm / gm.sum()
    if n <= 2:
        lam = float(n)  # exact for reciprocal matrices; removes rounding noise
        ci_ = 0.0
    else:
        ci_ = (lam - n) / (n - 1)
    ri_n = float(ri_table[n])
    cr = ci_ / ri_n if ri_n > 0 else 0.0
    consistent = cr < threshold
    if not consistent and not allow_inconsistent:
        raise MethodError(f"the pairwise matrix is inconsistent: CR = {cr:.4f} ≥ {threshold} "
                          f"(λmax = {lam:.4f}, CI = {ci_:.4f}, RI = {ri_n}); revise the "
                          "judgements or pass allow_inconsistent=True")
    return AHPResult(weights=pd.Series(w, index=labels, name="weight"), lambda_max=lam,
                     ci=float(ci_), ri=ri_n, cr=float(cr), consistent=bool(consistent),
                     threshold=float(threshold), n=n, method=method,
                     matrix=pd.DataFrame(a, index=labels, columns=labels),
                     ri_source=_RI_SOURCE if ri is None else "user supplied")


def _ri_table(ri: Any) -> dict[int, float]:
    if ri is None:
        return dict(SAATY_RI)
    if isinstance(ri, Mapping):
        out = {int(k): float(v) for k, v in ri.items()}
    else:
        out = {i + 1: float(v) for i, v in enumerate(ri)}
    if any(not np.isfinite(v) or v < 0 for v in out.values()):
        raise InputError("random indices must be finite and non-negative", argument="ri")
    return out


# --------------------------------------------------------------------------------------------
# entropy weights
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class EntropyWeightsResult(Result):
    """Entropy weights (熵权法).

    ``table`` columns: ``direction``, ``entropy`` :math:`e_j`, ``divergence``
    :math:`d_j = 1 - e_j`, ``weight`` (sums to 1), ``constant`` (no spread → weight 0).
    """

    weights: pd.Series
    table: pd.DataFrame
    normalised: pd.DataFrame
    n_units: int
    shift: float
    constant: list = field(default_factory=list)

    title = "Entropy weights (熵权法)"

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def _column_directions(direction: Any, columns: pd.Index) -> list[str]:
    k = len(columns)
    if direction is None:
        return ["higher"] * k
    if isinstance(direction, str):
        d = _DIRECTIONS.get(direction)
        if d is None:
            check_option("direction", direction, ("higher", "lower"))
        return [d] * k
    if isinstance(direction, Mapping):
        direction = pd.Series(direction, dtype=object)
    if isinstance(direction, pd.Series):
        missing = [c for c in columns if c not in direction.index]
        if missing:
            raise InputError("has no entry for some indicators", argument="direction",
                             value=missing[:5])
        vals = [direction[c] for c in columns]
    else:
        vals = list(direction)
        if len(vals) != k:
            raise InputError(f"must have one entry per indicator ({k}), got {len(vals)}",
                             argument="direction")
    out = []
    for v in vals:
        d = _DIRECTIONS.get(v) if isinstance(v, str) else None
        if d is None:
            raise InputError("entries must be 'higher' or 'lower' (or 正向/逆向)",
                             argument="direction", value=v)
        out.append(d)
    return out


def entropy_weights(data: Any, *, direction: Any = None, shift: float = 0.0
                    ) -> EntropyWeightsResult:
    """Objective weights from the dispersion of the data (熵权法, entropy weight method).

    Parameters
    ----------
    data : DataFrame or 2-D array-like
        Units (rows, at least 2) × indicators (columns); numeric and finite.
    direction : None, str, mapping, Series or sequence, keyword-only
        ``"higher"`` (正向, larger is better) or ``"lower"`` (逆向) for all indicators or per
        indicator. ``None`` means all ``"higher"``. Only the normalisation depends on it.
    shift : float, keyword-only
        Constant added to every normalised value before the shares are taken (0 by default).
        Some textbooks use a small shift (e.g. 0.0001) to avoid :math:`\\ln 0`; it changes the
        weights slightly. With ``shift=0`` the limit :math:`0 \\ln 0 = 0` is used instead.

    Returns
    -------
    EntropyWeightsResult
        ``weights`` (labelled by indicator, sum 1), ``table``, the ``normalised`` matrix and
        the list of ``constant`` indicators.

    Notes
    -----
    For :math:`m` units and indicator :math:`j`, min–max normalise by direction,

    .. math:: z_{ij} = \\frac{x_{ij} - \\min_i x_{ij}}{\\max_i x_{ij} - \\min_i x_{ij}}
              \\;\\text{(higher)},\\qquad
              z_{ij} = \\frac{\\max_i x_{ij} - x_{ij}}{\\max_i x_{ij} - \\min_i x_{ij}}
              \\;\\text{(lower)},

    then :math:`p_{ij} = (z_{ij}+s) / \\sum_i (z_{ij}+s)`,
    :math:`e_j = -\\frac{1}{\\ln m}\\sum_i p_{ij}\\ln p_{ij}` (with :math:`0\\ln 0 = 0`),
    :math:`d_j = 1 - e_j` and :math:`w_j = d_j / \\sum_k d_k`.

    *Zero handling*: a normalised value of 0 (the worst unit on an indicator) contributes
    :math:`0 \\ln 0 = 0`, its limit, so no arbitrary constant is needed. An indicator with no
    spread (max = min) carries no information: its normalisation is undefined, it is listed in
    ``constant`` and gets weight 0 (entropy reported as 1). If every indicator is constant a
    :class:`~perfkit.errors.MethodError` is raised.

    References
    ----------
    Shannon, C. E. (1948). Bell Syst. Tech. J. 27, 379–423. Zeleny, M. (1982). *Multiple
    Criteria Decision Making*, McGraw-Hill (entropy weighting). Common Chinese textbook form
    (熵值法) with min–max normalisation.
    """
    df = as_matrix("data", data, what="units × indicators", row_vector=False)
    if df.shape[1] == 0:
        raise InputError("needs at least one indicator column", argument="data")
    if df.shape[0] < 2:
        raise InputError(f"needs at least 2 units (rows), got {df.shape[0]}", argument="data")
    check_numeric_columns("data", df)
    if not df.columns.is_unique:
        raise InputError("indicator names must be unique", argument="data",
                         value=list(df.columns[df.columns.duplicated()][:5]))
    x = df.to_numpy(dtype=float)
    if not np.isfinite(x).all():
        i, j = np.argwhere(~np.isfinite(x))[0]
        raise InputError(f"must not contain NaN or infinite values (row {df.index[i]!r}, "
                         f"column {df.columns[j]!r})", argument="data", value=x[i, j])
    try:
        shift = float(shift)
    except (TypeError, ValueError):
        raise InputError("must be a non-negative number", argument="shift", value=shift) from None
    if not (np.isfinite(shift) and shift >= 0):
        raise InputError("must be a non-negative number", argument="shift", value=shift)
    dirs = _column_directions(direction, df.columns)
    m = x.shape[0]
    lo, hi = x.min(axis=0), x.max(axis=0)
    rng = hi - lo
    const = rng <= 1e-12 * np.maximum(1.0, np.maximum(np.abs(lo), np.abs(hi)))
    if const.all():
        raise MethodError("every indicator is constant across units; entropy weights are "
                          "undefined")
    safe = np.where(const, 1.0, rng)
    lower = np.array([d == "lower" for d in dirs])
    z = np.where(lower, (hi - x) / safe, (x - lo) / safe)
    z = np.where(const, np.nan, z)
    zs = z + shift
    p = zs / zs.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(m)
    e = np.where(const, 1.0, e)
    d = 1 - e
    w = d / d.sum()
    cols = df.columns
    table = pd.DataFrame({"direction": dirs, "entropy": e, "divergence": d, "weight": w,
                          "constant": const}, index=cols)
    return EntropyWeightsResult(weights=pd.Series(w, index=cols, name="weight"), table=table,
                                normalised=pd.DataFrame(z, index=df.index, columns=cols),
                                n_units=m, shift=shift,
                                constant=[c for c, k in zip(cols, const) if k])


# --------------------------------------------------------------------------------------------
# weight sensitivity
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class WeightSensitivityResult(Result):
    """How grades move when the weights are perturbed.

    ``table`` (one row per unit): ``base_total``, ``base_grade``, ``p_change`` (probability the
    grade differs from the base grade), ``p5``, ``p50``, ``p95`` (quantiles of the total),
    ``mean``, ``sd`` and one ``p_<grade>`` column per grade. ``weights_table`` (one row per
    indicator): ``weight``, ``p5``, ``p50``, ``p95`` of the drawn weights.
    """

    table: pd.DataFrame
    weights_table: pd.DataFrame
    n: int
    concentration: float
    seed: int | None
    bands: dict
    grades: list

    title = "Weight sensitivity (权重敏感性)"

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def weight_sensitivity(scores: Any, weights: Any, *,
                       bands: Mapping[str, float] | None = None, n: int = 10000,
                       concentration: float = 100.0, seed: int | None = 0,
                       lowest: str = "差", chunk_size: int = 2_000_000
                       ) -> WeightSensitivityResult:
    """Probability that each unit's grade changes under perturbed weights (权重敏感性分析).

    Parameters
    ----------
    scores : DataFrame or 2-D array-like
        Units × indicators: the share of each indicator's points earned, in [0, 1].
    weights : Series, mapping or 1-D array-like
        Indicator weights in points, non-negative, summing to 100. A Series/mapping is matched
        to the columns of ``scores`` by label.
    bands : mapping grade → lower bound, keyword-only
        Grade thresholds on the 0–100 total; default ``{"优": 90, "良": 80, "中": 60}``
        (domain.md §4.4). Totals below the lowest bound get ``lowest``.
    n : int, keyword-only
        Number of Dirichlet draws.
    concentration : float, keyword-only
        Dirichlet concentration :math:`\\kappa`; larger means smaller perturbations.
    seed : int or None, keyword-only
        Seed of ``numpy.random.default_rng``; record it in the manifest.
    lowest : str, keyword-only
        Label of the grade below every band (差).
    chunk_size : int, keyword-only
        Largest number of totals held in memory at once (units × draws per chunk).

    Returns
    -------
    WeightSensitivityResult

    Notes
    -----
    Draws :math:`\\pi^{(r)} \\sim \\mathrm{Dirichlet}(\\kappa\\,w/100)` over the indicators with
    positive weight (zero weights stay zero), so :math:`E[\\pi_j] = w_j/100` and
    :math:`\\mathrm{Var}[\\pi_j] = \\frac{(w_j/100)(1-w_j/100)}{\\kappa + 1}` — with
    :math:`\\kappa = 100` a 10-point weight varies with SD ≈ 3 points. Totals
    :math:`T_u^{(r)} = 100\\sum_j s_{uj}\\pi_j^{(r)}` are graded on half-open bands
    :math:`[b_g, b_{g-1})` on unrounded totals (a tolerance of :math:`10^{-9}` absorbs floating
    error at a boundary). All units share the same draws (common random numbers), so
    differences between units are not Monte Carlo noise. The Monte Carlo standard error of a
    probability :math:`\\hat q` is :math:`\\sqrt{\\hat q(1-\\hat q)/n}`.

    References
    ----------
    Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*. Wiley. OECD/JRC
    (2008). *Handbook on Constructing Composite Indicators*, §7 (uncertainty in weights).
    domain.md §4.4 (grade bands).
    """
    if bands is None:
        bands = {"优": 90.0, "良": 80.0, "中": 60.0}
    if not isinstance(bands, Mapping) or not bands:
        raise InputError("must be a non-empty mapping grade → lower bound", argument="bands",
                         value=bands)
    try:
        band_items = sorted(((str(g), float(b)) for g, b in bands.items()), key=lambda t: -t[1])
    except (TypeError, ValueError):
        raise InputError("bounds must be numbers", argument="bands", value=bands) from None
    bvals = [b for _, b in band_items]
    if any(not (0 < b <= 100) for b in bvals) or len(set(bvals)) != len(bvals):
        raise InputError("bounds must be distinct numbers in (0, 100]", argument="bands",
                         value=dict(bands))
    grades = [g for g, _ in band_items] + [str(lowest)]
    if len(set(grades)) != len(grades):
        raise InputError("grade labels must differ from each other and from lowest",
                         argument="lowest", value=lowest)
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError("must be a positive integer", argument="n", value=n)
    if not (isinstance(concentration, (int, float, np.integer, np.floating))
            and np.isfinite(concentration) and concentration > 0):
        raise InputError("must be a positive number", argument="concentration",
                         value=concentration)
    if seed is not None and (isinstance(seed, (bool, np.bool_))
                             or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InputError("must be a non-negative integer or None", argument="seed", value=seed)
    if not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise InputError("must be a positive integer", argument="chunk_size", value=chunk_size)

    sdf = as_matrix("scores", scores, what="units × indicators")
    if sdf.shape[0] == 0 or sdf.shape[1] == 0:
        raise InputError("must not be empty", argument="scores")
    check_numeric_columns("scores", sdf)
    s = sdf.to_numpy(dtype=float)
    if not np.isfinite(s).all() or (s < 0).any() or (s > 1).any():
        mask = ~np.isfinite(s) | (s < 0) | (s > 1)
        i, j = np.argwhere(mask)[0]
        raise InputError(f"must be score fractions in [0, 1] (row {sdf.index[i]!r}, column "
                         f"{sdf.columns[j]!r})", argument="scores", value=s[i, j])

    if isinstance(weights, Mapping):
        weights = pd.Series(weights)
    if isinstance(weights, pd.Series) and isinstance(scores, pd.DataFrame):
        if set(weights.index) != set(sdf.columns) or len(weights) != sdf.shape[1]:
            raise InputError("labels must match the columns of scores", argument="weights",
                             value=list(pd.Index(weights.index).symmetric_difference(
                                 sdf.columns))[:5])
        weights = weights.reindex(sdf.columns)
    w = as_weights("weights", weights, n=s.shape[1], per="indicator")
    if abs(w.sum() - 100) > 1e-6:
        raise InputError("must sum to 100 points", argument="weights", value=float(w.sum()))

    active = w > 0
    rng = np.random.default_rng(seed)
    alpha = concentration * w[active] / 100.0
    draws = np.zeros((n, w.size))
    draws[:, active] = rng.dirichlet(alpha, size=n) if active.sum() > 1 else 1.0

    thr_asc = np.array(bvals[::-1])               # ascending lower bounds
    labels_asc = np.array(grades[::-1], dtype=object)  # [lowest, ..., best]

    def grade_idx(t: np.ndarray) -> np.ndarray:
        return np.searchsorted(thr_asc, t + 1e-9, side="right")

    base = s @ w
    base_idx = grade_idx(base)
    n_units = s.shape[0]
    p_change = np.empty(n_units)
    q = np.empty((n_units, 3))
    mean = np.empty(n_units)
    sd = np.empty(n_units)
    pg = np.zeros((n_units, len(grades)))
    per = max(1, int(chunk_size // n))
    for start in range(0, n_units, per):   # chunks of units; each is vectorised over draws
        sl = slice(start, min(start + per, n_units))
        tot = 100.0 * (s[sl] @ draws.T)            # (units in chunk, n)
        gi = grade_idx(tot)
        p_change[sl] = (gi != base_idx[sl, None]).mean(axis=1)
        q[sl] = np.quantile(tot, [0.05, 0.5, 0.95], axis=1).T
        mean[sl] = tot.mean(axis=1)
        sd[sl] = tot.std(axis=1, ddof=1) if n > 1 else np.nan
        for g in range(len(grades)):
            pg[sl, g] = (gi == g).mean(axis=1)
    table = pd.DataFrame({"base_total": base, "base_grade": labels_asc[base_idx].astype(str),
                          "p_change": p_change, "p5": q[:, 0], "p50": q[:, 1], "p95": q[:, 2],
                          "mean": mean, "sd": sd}, index=sdf.index)
    for g_i, g in enumerate(labels_asc[::-1]):
        table[f"p_{g}"] = pg[:, len(grades) - 1 - g_i]
    wq = np.quantile(100 * draws, [0.05, 0.5, 0.95], axis=0)
    weights_table = pd.DataFrame({"weight": w, "p5": wq[0], "p50": wq[1], "p95": wq[2]},
                                 index=sdf.columns)
    return WeightSensitivityResult(table=table, weights_table=weights_table, n=int(n),
                                   concentration=float(concentration),
                                   seed=None if seed is None else int(seed),
                                   bands={g: b for g, b in band_items}, grades=grades)
