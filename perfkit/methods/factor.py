"""因素分析法 (factor analysis), statistical meaning: latent factors behind indicators, scale checks
and driver regressions.

- :func:`factor_analysis` — exploratory factor analysis (探索性因子分析) and principal components,
  written to reproduce R ``psych::fa`` / ``psych::principal`` (psych 2.2.9, GPArotation 2022.10):
  minres, ML, iterated principal axis and principal components; varimax, promax and oblimin.
- :func:`kmo` — Kaiser–Meyer–Olkin measure of sampling adequacy (KMO 检验), as ``psych::KMO``.
- :func:`bartlett_sphericity` — Bartlett's test of sphericity (巴特利特球形检验), as
  ``psych::cortest.bartlett``.
- :func:`cronbach_alpha` — Cronbach's α (克朗巴哈系数, 信度) of a survey scale, as ``psych::alpha``.
- :func:`drivers` — OLS of an outcome on internal (内部因素) and external (外部因素) factors with
  robust standard errors; contributions as standardised coefficients and Shapley (LMG) shares of
  R², with group totals.

The index-decomposition meaning of 因素分析法 (连环替代法, LMDI) is in
:mod:`perfkit.methods.decomposition`.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .._results import Result
from .._validate import as_frame, check_option
from ..errors import InputError, MethodError

__all__ = [
    "factor_analysis",
    "kmo",
    "bartlett_sphericity",
    "cronbach_alpha",
    "drivers",
    "cor_smooth",
    "FactorAnalysisResult",
    "KMOResult",
    "BartlettResult",
    "CronbachAlphaResult",
    "DriversResult",
    "MAX_DRIVERS",
]

_EPS = np.finfo(float).eps

#: Largest number of regressors for the exact Shapley (LMG) split of R² in :func:`drivers`
#: (2^k sub-models; 12 regressors = 4096 small solves).
MAX_DRIVERS = 12


# ============================================================================================
# shared input handling
# ============================================================================================
def _eigh_desc(S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigen-decomposition of a symmetric matrix, values in decreasing order (as R's eigen)."""
    w, v = np.linalg.eigh(S)
    return w[::-1].copy(), v[:, ::-1].copy()


def _cov2cor(S: np.ndarray) -> np.ndarray:
    d = 1.0 / np.sqrt(np.diag(S))
    return S * d[:, None] * d[None, :]


def cor_smooth(r: Any, *, eig_tol: float = 1e-12) -> pd.DataFrame:
    """Smooth a correlation matrix that is not positive definite, as ``psych::cor.smooth``.

    Parameters
    ----------
    r : DataFrame or array
        A symmetric correlation matrix.
    eig_tol : float
        Eigenvalues below this are raised to ``100 * eig_tol``.

    Returns
    -------
    DataFrame
        ``r`` unchanged if its smallest eigenvalue is at least machine epsilon; otherwise the
        matrix rebuilt from the adjusted eigenvalues, rescaled to sum to the number of
        variables and turned back into a correlation matrix (``cov2cor``).

    Notes
    -----
    With ``r = V Λ V'``: λ_j ← 100·eig_tol where λ_j < eig_tol; λ ← λ·p/Σλ; r̃ = cov2cor(V Λ V').

    References
    ----------
    Revelle, W. psych: ``cor.smooth``; Wothke, W. (1993). Nonpositive definite matrices in
    structural modeling. In Bollen & Long (eds.), *Testing Structural Equation Models*.
    """
    R = _as_square("r", r)
    arr = R.to_numpy()
    smoothed, _ = _smooth(arr, eig_tol)
    return pd.DataFrame(smoothed, index=R.index, columns=R.columns)


def _smooth(arr: np.ndarray, eig_tol: float = 1e-12) -> tuple[np.ndarray, bool]:
    w, v = _eigh_desc(arr)
    if w.min() >= _EPS:
        return arr, False
    w = w.copy()
    w[w < eig_tol] = 100 * eig_tol
    w = w * len(w) / w.sum()
    out = (v * w) @ v.T
    out = _cov2cor(out)
    out = (out + out.T) / 2
    return out, True


def _as_square(name: str, r: Any) -> pd.DataFrame:
    R = as_frame(name, r)
    if R.shape[0] != R.shape[1]:
        raise InputError(f"must be a square matrix, got shape {R.shape}", argument=name)
    if not np.isfinite(R.to_numpy()).all():
        raise InputError("must not contain NaN or infinite values", argument=name)
    if not np.allclose(R.to_numpy(), R.to_numpy().T, atol=1e-10, rtol=0):
        raise InputError("must be symmetric", argument=name)
    return R


def _is_matrix(df: pd.DataFrame) -> bool:
    """psych's isCorrelation/isCovariance: square, symmetric, with a positive diagonal."""
    a = df.to_numpy()
    if a.shape[0] != a.shape[1] or not np.isfinite(a).all():
        return False
    return bool(np.allclose(a, a.T, atol=1e-10, rtol=0) and (np.diag(a) > 0).all()
                and (df.index.equals(df.columns) or isinstance(df.index, pd.RangeIndex)))


@dataclass
class _Prepared:
    R: pd.DataFrame          # correlation matrix (possibly smoothed)
    X: pd.DataFrame | None   # raw data (None for matrix input)
    n_obs: int | None
    smoothed: bool
    R_raw: pd.DataFrame      # correlation before smoothing


def _check_raw(name: str, X: pd.DataFrame, *, min_rows: int = 3) -> None:
    arr = X.to_numpy()
    if not np.isfinite(arr).all():
        col = X.columns[np.argwhere(~np.isfinite(arr))[0][1]]
        raise InputError("missing or infinite values are not supported; drop or impute them "
                         f"first (first one in column {col!r})", argument=name, column=str(col))
    if len(X) < min_rows:
        raise InputError(f"needs at least {min_rows} observations (rows), got {len(X)}",
                         argument=name)
    sd = X.std(ddof=1)
    const = [c for c in X.columns if not (sd[c] > 0)]
    if const:
        raise InputError(f"constant column(s) have no variance and no correlation: {const}",
                         argument=name, column=str(const[0]))


def _prepare(name: str, data: Any, n_obs: Any, *, smooth: bool, min_vars: int = 2) -> _Prepared:
    df = as_frame(name, data)
    if df.columns.has_duplicates:
        raise InputError("variable (column) labels must be unique", argument=name)
    if df.shape[1] < min_vars:
        raise InputError(f"needs at least {min_vars} variables (columns), got {df.shape[1]}",
                         argument=name)
    if n_obs is not None:
        if isinstance(n_obs, bool) or not float(n_obs).is_integer() or int(n_obs) < 2:
            raise InputError("must be a whole number of observations ≥ 2", argument="n_obs",
                             value=n_obs)
        n_obs = int(n_obs)
    if _is_matrix(df):
        arr = df.to_numpy()
        if not np.allclose(np.diag(arr), 1.0, atol=1e-12, rtol=0):
            arr = _cov2cor(arr)          # a covariance matrix: psych uses cov2cor
        if (np.abs(arr) > 1 + 1e-12).any():
            raise InputError("a correlation matrix must have entries in [-1, 1]", argument=name)
        arr = (arr + arr.T) / 2
        np.fill_diagonal(arr, 1.0)
        X = None
    else:
        _check_raw(name, df)
        if n_obs is not None and n_obs != len(df):
            raise InputError(f"with raw data n_obs is the number of rows ({len(df)}); leave it "
                             "out", argument="n_obs", value=n_obs)
        n_obs = len(df)
        arr = np.corrcoef(df.to_numpy(), rowvar=False)
        X = df
    R_raw = pd.DataFrame(arr, index=df.columns, columns=df.columns)
    smoothed = False
    if smooth:
        arr2, smoothed = _smooth(arr)
        if smoothed:
            warnings.warn("the correlation matrix is not positive definite; it was smoothed "
                          "(psych::cor.smooth) before the analysis", UserWarning, stacklevel=3)
            arr = arr2
    else:
        w = np.linalg.eigvalsh(arr)
        if w.min() < _EPS:
            raise InputError("the correlation matrix is not positive definite (smallest "
                             f"eigenvalue {w.min():.3g}); a variable is a linear combination of "
                             "others or the matrix was built pairwise", argument=name)
    R = pd.DataFrame(arr, index=df.columns, columns=df.columns)
    return _Prepared(R=R, X=X, n_obs=n_obs, smoothed=smoothed, R_raw=R_raw)


def _smc(R: np.ndarray) -> np.ndarray:
    """Squared multiple correlations 1 − 1/diag(R⁺) with psych's pseudo-inverse, clipped to [0, 1]."""
    Rinv = np.linalg.pinv(R, rcond=math.sqrt(_EPS))
    smc = 1.0 - 1.0 / np.diag(Rinv)
    return np.clip(smc, 0.0, 1.0)


# ============================================================================================
# extraction
# ============================================================================================
def _lbfgsb(fn, gr, start: np.ndarray, lower: float, upper: float, parscale: float = 0.01):
    """R's ``optim(method="L-BFGS-B", control=list(parscale=...))`` defaults:
    m = 5, factr = 1e7, pgtol = 0, maxit = 100; optimisation on ``par / parscale``."""
    x0 = start / parscale
    res = optimize.minimize(
        lambda x: fn(x * parscale), x0, jac=lambda x: gr(x * parscale) * parscale,
        method="L-BFGS-B", bounds=[(lower / parscale, upper / parscale)] * len(start),
        options={"maxcor": 5, "ftol": 1e7 * _EPS, "gtol": 0.0, "maxiter": 100})
    # status 1 = iteration limit. An "ABNORMAL" line-search stop (status 2) means no further
    # descent was found; psych accepts that point too, so it counts as converged here.
    return res.x * parscale, res.status != 1, int(res.nit)


def _fit_minres(S: np.ndarray, nf: int):
    p = S.shape[0]
    tri = np.tril_indices(p, -1)

    def fn(psi):
        S2 = S.copy()
        np.fill_diagonal(S2, 1.0 - psi)
        w, v = _eigh_desc(S2)
        w[w < _EPS] = 100 * _EPS
        L = v[:, :nf] * np.sqrt(w[:nf])
        res = (S2 - L @ L.T)[tri]
        return float(np.sum(res ** 2))

    def gr(psi):
        Sstar = S - np.diag(psi)
        w, v = _eigh_desc(Sstar)
        L = v[:, :nf] * np.sqrt(np.maximum(w[:nf], 0))
        g = L @ L.T + np.diag(psi) - S
        return np.diag(g).copy()

    smc = _smc(S)
    start = np.diag(S) - smc
    upper = max(smc.max(), 1.0)
    psi, ok, nit = _lbfgsb(fn, gr, start, 0.005, upper)
    S2 = S.copy()
    np.fill_diagonal(S2, np.diag(S) - psi)
    w, v = _eigh_desc(S2)
    L = v[:, :nf] * np.sqrt(np.maximum(w[:nf], 0))
    return L, ok, nit


def _fit_ml(S: np.ndarray, nf: int):
    p = S.shape[0]

    def fn(psi):
        sc = 1.0 / np.sqrt(psi)
        e = np.linalg.eigvalsh(S * sc[:, None] * sc[None, :])[::-1][nf:]
        return float(-(np.sum(np.log(e) - e) - nf + p))

    def _load(psi):
        sc = 1.0 / np.sqrt(psi)
        w, v = _eigh_desc(S * sc[:, None] * sc[None, :])
        L = v[:, :nf] * np.sqrt(np.maximum(w[:nf] - 1.0, 0))
        return np.sqrt(psi)[:, None] * L

    def gr(psi):
        L = _load(psi)
        g = L @ L.T + np.diag(psi) - S
        return np.diag(g) / psi ** 2

    smc = _smc(S)
    start = np.diag(S) - smc
    upper = max(smc.max(), 1.0)
    psi, ok, nit = _lbfgsb(fn, gr, start, 0.005, upper)
    return _load(psi), ok, nit


def _fit_pa(S: np.ndarray, nf: int, min_err: float, max_iter: int):
    rmat = S.copy()
    np.fill_diagonal(rmat, _smc(S))
    comm = float(np.trace(rmat))
    err = comm
    i = 1
    converged = True
    L = None
    while err > min_err:
        w, v = _eigh_desc(rmat)
        if (w[:nf] < 0).any():
            raise MethodError("principal axis iteration met a negative eigenvalue among the "
                              "retained factors (psych: 'imaginary eigen value'); use "
                              "method='minres' or fewer factors")
        L = v[:, :nf] * np.sqrt(w[:nf])
        new = np.sum(L ** 2, axis=1)
        comm1 = float(new.sum())
        np.fill_diagonal(rmat, new)
        err = abs(comm - comm1)
        comm = comm1
        i += 1
        if i > max_iter:
            converged = err <= min_err
            err = 0.0
    return L, converged, i - 1


def _fit_pc(S: np.ndarray, nf: int):
    w, v = _eigh_desc(S)
    w[w < _EPS] = _EPS
    return v[:, :nf] * np.sqrt(w[:nf])


# ============================================================================================
# rotation
# ============================================================================================
def _varimax(x: np.ndarray, *, normalize: bool = True, eps: float = 1e-5):
    """``stats::varimax`` exactly (Kaiser normalisation, SVD iteration, stop when the criterion
    grows by less than a factor 1 + eps, at most 1000 iterations)."""
    nc = x.shape[1]
    if nc < 2:
        return x, np.eye(nc)
    if normalize:
        sc = np.sqrt(np.sum(x ** 2, axis=1))
        x = x / sc[:, None]
    p = x.shape[0]
    TT = np.eye(nc)
    d = 0.0
    for _ in range(1000):
        z = x @ TT
        B = x.T @ (z ** 3 - z * (np.sum(z ** 2, axis=0) / p)[None, :])
        u, s, vt = np.linalg.svd(B)
        TT = u @ vt
        dpast = d
        d = float(s.sum())
        if d < dpast * (1 + eps):
            break
    z = x @ TT
    if normalize:
        z = z * sc[:, None]
    return z, TT


def _promax_core(x: np.ndarray, m: int = 4):
    """``psych::Promax`` / ``stats::promax`` (identical algorithms): varimax, then the target
    ``Q = X∘|X|^(m−1)`` fitted by least squares, columns scaled so that Φ has a unit diagonal."""
    xx, rotmat = _varimax(x)
    Q = xx * np.abs(xx) ** (m - 1)
    U = np.linalg.lstsq(xx, Q, rcond=None)[0]
    UtU = U.T @ U
    try:
        d = np.diag(np.linalg.inv(UtU))
    except np.linalg.LinAlgError:  # pragma: no cover - psych's approximation
        w, v = _eigh_desc(UtU)
        w[w < _EPS] = 100 * _EPS
        UU = (v * w) @ v.T
        np.fill_diagonal(UU, 1.0)
        d = np.diag(np.linalg.inv(UU))
    U = U * np.sqrt(d)[None, :]
    z = xx @ U
    U = rotmat @ U
    ui = np.linalg.inv(U)
    phi = ui @ ui.T
    return z, phi, U


def _oblimin(A: np.ndarray, *, gamma: float = 0.0, eps: float = 1e-5, maxit: int = 1000):
    """GPArotation::oblimin (``GPFoblq`` gradient projection, Bernaards & Jennrich 2005), with
    ``normalize=FALSE, eps=1e-5, maxit=1000`` as psych calls it.

    Oblique rotation ``Λ = A (T')⁻¹`` with unit-length columns of T; criterion
    ``Q(Λ) = ¼ Σ (Λ∘Λ)' (I − γ/p·11') (Λ∘Λ)`` off the diagonal (γ = 0: quartimin).
    """
    p, k = A.shape
    offdiag = 1.0 - np.eye(k)
    C = np.eye(p) - gamma / p if gamma else None

    def vgq(L):
        X = (L ** 2) @ offdiag
        if C is not None:
            X = C @ X
        return L * X, float(np.sum(L ** 2 * X) / 4)

    T = np.eye(k)
    al = 1.0
    L = A @ np.linalg.inv(T).T
    Gq, f = vgq(L)
    G = -(L.T @ Gq @ np.linalg.inv(T)).T
    s = np.inf
    it = 0
    for it in range(maxit + 1):
        Gp = G - T * np.sum(T * G, axis=0)[None, :]
        s = math.sqrt(float(np.sum(Gp ** 2)))
        if s < eps:
            break
        al *= 2
        for _ in range(11):
            X = T - al * Gp
            Tt = X / np.sqrt(np.sum(X ** 2, axis=0))[None, :]
            L = A @ np.linalg.inv(Tt).T
            Gqt, ft = vgq(L)
            if f - ft > 0.5 * s ** 2 * al:
                break
            al /= 2
        T = Tt
        f = ft
        G = -(L.T @ Gqt @ np.linalg.inv(Tt)).T
    converged = s < eps
    return L, T.T @ T, T, converged, it


# ============================================================================================
# statistics (psych::fa.stats)
# ============================================================================================
def _fit_stats(R: np.ndarray, L: np.ndarray, phi: np.ndarray | None, n_obs: int | None) -> dict:
    p, nf = L.shape
    model = L @ (phi if phi is not None else np.eye(nf)) @ L.T
    resid = R - model
    off = resid.copy()
    np.fill_diagonal(off, 0.0)
    dof = p * (p - 1) / 2 - p * nf + nf * (nf - 1) / 2
    out: dict[str, Any] = {"dof": float(dof),
                           "rms": math.sqrt(float(np.sum(off ** 2)) / (p * (p - 1)))}
    m = model.copy()
    np.fill_diagonal(m, np.diag(R))
    m, _ = _smooth(m)
    Rs, _ = _smooth(R)
    try:
        minvr = np.linalg.solve(m, Rs)
    except np.linalg.LinAlgError:  # pragma: no cover
        minvr = np.eye(p)
    sign, logdet = np.linalg.slogdet(minvr)
    objective = float(np.trace(minvr) - logdet - p) if sign > 0 else float("nan")
    out["objective"] = objective
    chi2 = pvalue = rmsea = tli = float("nan")
    if n_obs is not None and math.isfinite(objective):
        nm = (n_obs - 1) - (2 * p + 5) / 6 - (2 * nf) / 3
        chi2 = max(objective * nm, 0.0)
        if dof > 0:
            pvalue = float(stats.chi2.sf(chi2, dof))
            rmsea = math.sqrt(max(chi2 / (dof * n_obs) - 1 / (n_obs - 1), 0.0))
            s0, ld0 = np.linalg.slogdet(Rs)
            F0 = float(np.trace(Rs) - ld0 - p)
            M0 = F0 * 2 / (p * (p - 1))
            Mm = objective / dof
            tli = (M0 - Mm) / (M0 - 1 / nm)
    out.update(chi2=chi2, pvalue=pvalue, rmsea=rmsea, tli=tli)
    return out


# ============================================================================================
# factor_analysis
# ============================================================================================
@dataclass(frozen=True, eq=False)
class FactorAnalysisResult(Result):
    """Result of :func:`factor_analysis`.

    Attributes
    ----------
    method, rotation : str
        Extraction method and rotation actually applied (``"none"`` when one factor).
    n_factors : int
    n_obs : int or None
        Observations (rows of the raw data, or ``n_obs`` given with a matrix).
    loadings : DataFrame
        Variables × factors pattern loadings (psych names: ``MR1…``, ``ML1…``, ``PA1…``;
        components ``PC1…``, rotated ``RC1…``, oblimin ``TC1…``), numbered in the final order.
    communalities, uniquenesses : Series
        h² = row sums of squared unrotated loadings (psych ``communality``, printed ``h2``) and
        u² = 1 − h².
    complexity : Series
        Hofmann's row complexity (Σλ²)²/Σλ⁴ (psych ``com``).
    variance : DataFrame
        Per factor: ``ss_loadings`` (diag(Φ Λ'Λ) when oblique), ``proportion``, ``cumulative``,
        ``proportion_explained``, ``cumulative_proportion``.
    phi : DataFrame or None
        Factor correlations for oblique rotations.
    structure : DataFrame
        Structure matrix Λ Φ (= loadings when orthogonal).
    weights : DataFrame
        Regression (Thurstone) factor-score weights R⁻¹ Λ Φ.
    scores : DataFrame or None
        Factor scores of the observations (standardised data × weights); None for a matrix input.
    eigenvalues : Series
        Eigenvalues of the correlation matrix analysed.
    correlation : DataFrame
        The correlation matrix analysed (after smoothing, if any).
    chi2, dof, pvalue, objective, rms, rmsea, tli : float
        psych's fit statistics (see :func:`factor_analysis` Notes); NaN when unavailable.
    smoothed : bool
        True when the correlation matrix was not positive definite and was smoothed.
    converged : bool
        Extraction and rotation converged.
    """

    method: str
    rotation: str
    n_factors: int
    n_obs: int | None
    loadings: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    complexity: pd.Series
    variance: pd.DataFrame
    phi: pd.DataFrame | None
    structure: pd.DataFrame
    weights: pd.DataFrame
    scores: pd.DataFrame | None
    eigenvalues: pd.Series
    correlation: pd.DataFrame
    chi2: float
    dof: float
    pvalue: float
    objective: float
    rms: float
    rmsea: float
    tli: float
    smoothed: bool
    converged: bool

    title = "Factor analysis (因子分析)"

    def to_frame(self) -> pd.DataFrame:
        """Loadings with ``h2`` (communality), ``u2`` (uniqueness) and ``com`` (complexity)."""
        out = self.loadings.copy()
        out["h2"] = self.communalities
        out["u2"] = self.uniquenesses
        out["com"] = self.complexity
        return out

    def _summary_lines(self) -> list[str]:
        lines = [f"method: {self.method}", f"rotation: {self.rotation}",
                 f"factors: {self.n_factors}", f"observations: {self.n_obs}"]
        if math.isfinite(self.chi2):
            lines.append(f"chi-square: {self.chi2:.6g} on {self.dof:g} df, p = {self.pvalue:.4g}")
        lines.append(f"RMSR: {self.rms:.4g}")
        if self.smoothed:
            lines.append("the correlation matrix was smoothed (not positive definite)")
        if not self.converged:
            lines.append("WARNING: did not converge")
        return lines


_FA_METHODS = ("minres", "ml", "pa", "pc")
_ROTATIONS = (None, "none", "varimax", "promax", "oblimin")


def factor_analysis(data: Any, *, n_factors: int, method: str = "minres",
                    rotation: str | None = None, n_obs: int | None = None,
                    max_iter: int = 50, min_err: float = 0.001) -> FactorAnalysisResult:
    """Exploratory factor analysis (因子分析) or principal components, as R ``psych``.

    Parameters
    ----------
    data : DataFrame
        Raw observations (rows = observations, columns = variables, no missing values), or a
        correlation matrix (square, symmetric, unit diagonal; a covariance matrix is turned into
        correlations). Labels are kept.
    n_factors : int
        Number of factors (components) to retain, ≥ 1.
    method : {"minres", "ml", "pa", "pc"}
        ``"minres"`` minimum residual (psych ``fm="minres"``, the default of ``psych::fa``);
        ``"ml"`` maximum likelihood; ``"pa"`` iterated principal axis; ``"pc"`` principal
        components (``psych::principal``).
    rotation : {None, "varimax", "promax", "oblimin"}
        None (or ``"none"``) leaves the extracted solution. ``"varimax"``: Kaiser-normalised
        varimax exactly as ``stats::varimax`` (ε = 1e-5), which is what psych calls for
        ``rotate="varimax"`` (GPArotation's ``Varimax`` is psych's ``"Varimax"``).
        ``"promax"``: for factor methods psych's ``kaiser(…, rotate="Promax")`` — rows scaled
        to unit communality, varimax, power m = 4 target, scaled back; for ``"pc"``
        ``stats::promax`` (m = 4) as ``psych::principal`` does. ``"oblimin"``: GPArotation's
        direct oblimin with γ = 0 (quartimin), gradient projection (own implementation of
        ``GPFoblq``, ε = 1e-5, ≤ 1000 iterations, no row normalisation). Ignored when
        ``n_factors == 1``.
    n_obs : int, optional
        Number of observations behind a correlation matrix (enables χ², p-value, RMSEA, TLI).
        With raw data it is the number of rows and may be omitted.
    max_iter, min_err : int, float
        Principal-axis iteration limits (psych defaults 50 and 0.001; the iteration stops when
        the sum of communalities changes by at most ``min_err``).

    Returns
    -------
    FactorAnalysisResult

    Raises
    ------
    InputError
        Bad option; fewer than 2 variables; missing values or a constant column in raw data;
        ``n_factors`` < 1 or so large that the model has negative degrees of freedom
        (``p(p−1)/2 − p·m + m(m−1)/2 < 0`` for factor methods, ``m > p`` for components).
    MethodError
        Principal axis iteration meets a negative eigenvalue among the retained factors.

    Notes
    -----
    *Correlations.* Raw data give Pearson correlations. A correlation matrix that is not
    positive definite (smallest eigenvalue < machine ε) is smoothed with :func:`cor_smooth` and a
    ``UserWarning`` is issued (``result.smoothed``). psych fits on the unsmoothed matrix and
    smooths only for its fit statistics; perfkit fits on the smoothed one, so that ML is defined.

    *Extraction.* With ψ the uniquenesses and S the correlation matrix:

    - minres: minimise Σ_{i>j} (S − ΛΛ')²_{ij} where Λ holds the first m eigenvectors of
      S − diag(ψ) scaled by √eigenvalue, with psych's gradient diag(ΛΛ' + diag ψ − S);
    - ml: minimise −Σ_{j>m}(ln θ_j − θ_j) − m + p over ψ, θ the eigenvalues of ψ^{-½} S ψ^{-½}
      (as ``factanal``), Λ = ψ^{½} V_m (Θ_m − I)^{½};
    - both start at ψ = 1 − SMC and use L-BFGS-B with psych's settings (bounds [0.005, 1],
      ``parscale`` 0.01, m = 5, factr = 1e7, ≤ 100 iterations; scipy's implementation);
      ``converged`` is False only when the iteration limit is reached (psych does not check);
    - pa: communalities start at the SMCs; repeat eigen-decomposition of S with the diagonal
      replaced, until the sum of communalities changes by ≤ ``min_err`` or ``max_iter`` passes;
    - pc: Λ = V_m Θ_m^{½} of S.

    *Canonical order and signs (as psych).* Factor methods: columns flipped so their sums are
    positive, rotated, flipped again, then sorted by decreasing SS loadings (diag(Φ Λ'Λ) when
    oblique). Components: flipped, rotated, sorted by column sums of squares, flipped.

    *Scores* (raw data): regression / Thurstone, ``W = R⁻¹ Λ Φ``, ``F = Z W`` with Z the data
    standardised with the n − 1 standard deviation (psych's default ``scores="regression"``);
    R is the smoothed matrix when smoothing happened (psych would use the unsmoothed one).

    *Fit* (psych ``fa.stats``; also for components, as ``principal`` reports it):
    M = Λ Φ Λ' with unit diagonal, ``objective = tr(M⁻¹R) − ln det(M⁻¹R) − p``;
    ``chi2 = objective · (n − 1 − (2p + 5)/6 − 2m/3)`` (Bartlett-corrected likelihood-ratio
    statistic, psych's ``STATISTIC``, floored at 0) on
    ``dof = p(p−1)/2 − p·m + m(m−1)/2``; ``rms`` = root mean square of the off-diagonal
    residuals over p(p−1); ``rmsea = √max(χ²/(dof·n) − 1/(n−1), 0)``; Tucker–Lewis index as psych.

    References
    ----------
    Revelle, W. (2022). psych: Procedures for Psychological, Psychometric, and Personality
    Research, version 2.2.9 (``fa``, ``principal``, ``fa.stats``, ``kaiser``, ``Promax``).
    Harman, H. H., Jones, W. H. (1966). Factor analysis by minimizing residuals (minres).
    *Psychometrika* 31, 351–368.
    Kaiser, H. F. (1958). The varimax criterion for analytic rotation in factor analysis.
    *Psychometrika* 23, 187–200.
    Hendrickson, A. E., White, P. O. (1964). Promax. *British J. Statistical Psychology* 17, 65–70.
    Bernaards, C. A., Jennrich, R. I. (2005). Gradient projection algorithms and software for
    arbitrary rotation criteria in factor analysis. *Educ. Psychol. Measurement* 65, 676–696.
    """
    check_option("method", method, _FA_METHODS)
    check_option("rotation", rotation, _ROTATIONS)
    rotation = "none" if rotation is None else rotation
    if isinstance(n_factors, bool) or not isinstance(n_factors, (int, np.integer)) or n_factors < 1:
        raise InputError("must be a whole number ≥ 1", argument="n_factors", value=n_factors)
    nf = int(n_factors)
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise InputError("must be a whole number ≥ 1", argument="max_iter", value=max_iter)
    if not (isinstance(min_err, (int, float)) and min_err > 0 and math.isfinite(min_err)):
        raise InputError("must be a positive number", argument="min_err", value=min_err)

    prep = _prepare("data", data, n_obs, smooth=True)
    R = prep.R.to_numpy()
    labels = prep.R.columns
    p = R.shape[0]
    dof = p * (p - 1) / 2 - p * nf + nf * (nf - 1) / 2
    if method == "pc":
        if nf > p:
            raise InputError(f"cannot retain more components than variables ({p})",
                             argument="n_factors", value=nf)
    elif dof < 0:
        raise InputError(f"too many factors for {p} variables: degrees of freedom "
                         f"p(p-1)/2 - p*m + m(m-1)/2 = {dof:g} < 0", argument="n_factors",
                         value=nf)

    converged = True
    if method == "minres":
        L, converged, _ = _fit_minres(R, nf)
    elif method == "ml":
        L, converged, _ = _fit_ml(R, nf)
    elif method == "pa":
        L, converged, _ = _fit_pa(R, nf, float(min_err), int(max_iter))
    else:
        L = _fit_pc(R, nf)
    if not converged:
        warnings.warn(f"{method} extraction did not converge", UserWarning, stacklevel=2)

    h2 = np.sum(L ** 2, axis=1)
    # first sign flip (psych)
    sgn = np.sign(L.sum(axis=0))
    sgn[sgn == 0] = 1
    L = L * sgn[None, :]
    if method != "pc":
        L[L == 0] = 1e-15

    phi = None
    if nf == 1:
        rotation = "none"
    if rotation == "varimax":
        L, _ = _varimax(L)
    elif rotation == "promax":
        if method == "pc":
            L, phi, U = _promax_core(L)
            ui = np.linalg.inv(U)
            phi = _cov2cor(ui @ ui.T)
        else:
            hh = np.sqrt(np.sum(L ** 2, axis=1))
            Lw, phi, _ = _promax_core(L / hh[:, None])
            L = Lw * hh[:, None]
    elif rotation == "oblimin":
        L, phi, _, rot_ok, _ = _oblimin(L)
        if not rot_ok:
            converged = False
            warnings.warn("oblimin rotation did not converge in 1000 iterations", UserWarning,
                          stacklevel=2)

    def flip(L, phi):
        s = np.sign(L.sum(axis=0))
        s[s == 0] = 1
        L = L * s[None, :]
        if phi is not None:
            phi = phi * s[:, None] * s[None, :]
        return L, phi

    def order(L, phi, weighted):
        if nf == 1:
            return L, phi
        ev = np.diag(phi @ L.T @ L) if (weighted and phi is not None) else np.sum(L ** 2, axis=0)
        o = np.argsort(-ev, kind="stable")
        L = L[:, o]
        if phi is not None:
            phi = phi[np.ix_(o, o)]
        return L, phi

    if method == "pc":
        L, phi = order(L, phi, weighted=False)
        L, phi = flip(L, phi)
        prefix = "PC" if rotation == "none" else ("TC" if rotation == "oblimin" else "RC")
    else:
        L, phi = flip(L, phi)
        L, phi = order(L, phi, weighted=True)
        prefix = {"minres": "MR", "ml": "ML", "pa": "PA"}[method]
    names = [f"{prefix}{j + 1}" for j in range(nf)]

    if np.any(h2 > 1):
        warnings.warn("an ultra-Heywood case: a communality exceeds 1; examine the results",
                      UserWarning, stacklevel=2)

    phi_m = phi if phi is not None else np.eye(nf)
    structure = L @ phi_m
    ss = np.diag(phi_m @ L.T @ L) if phi is not None else np.sum(L ** 2, axis=0)
    vtotal = float(p)  # Σ(h² + u²) with u² = 1 − h²
    variance = pd.DataFrame({
        "ss_loadings": ss, "proportion": ss / vtotal, "cumulative": np.cumsum(ss / vtotal),
        "proportion_explained": ss / ss.sum(), "cumulative_proportion": np.cumsum(ss / ss.sum()),
    }, index=pd.Index(names, name="factor"))

    try:
        W = np.linalg.solve(R, structure)
    except np.linalg.LinAlgError:  # pragma: no cover - R is smoothed, so positive definite
        W = np.linalg.pinv(R) @ structure
    scores = None
    if prep.X is not None:
        Xv = prep.X.to_numpy()
        Z = (Xv - Xv.mean(axis=0)) / Xv.std(axis=0, ddof=1)
        scores = pd.DataFrame(Z @ W, index=prep.X.index, columns=names)

    st = _fit_stats(R, L, phi, prep.n_obs)
    idx = labels
    with np.errstate(divide="ignore", invalid="ignore"):
        com = np.sum(L ** 2, axis=1) ** 2 / np.sum(L ** 4, axis=1)
    w_all, _ = _eigh_desc(R)
    return FactorAnalysisResult(
        method=method, rotation=rotation, n_factors=nf, n_obs=prep.n_obs,
        loadings=pd.DataFrame(L, index=idx, columns=names),
        communalities=pd.Series(h2, index=idx, name="h2"),
        uniquenesses=pd.Series(1.0 - h2, index=idx, name="u2"),
        complexity=pd.Series(com, index=idx, name="com"),
        variance=variance,
        phi=None if phi is None else pd.DataFrame(phi, index=names, columns=names),
        structure=pd.DataFrame(structure, index=idx, columns=names),
        weights=pd.DataFrame(W, index=idx, columns=names),
        scores=scores,
        eigenvalues=pd.Series(w_all, index=pd.RangeIndex(1, p + 1, name="component"),
                              name="eigenvalue"),
        correlation=prep.R,
        chi2=st["chi2"], dof=st["dof"], pvalue=st["pvalue"], objective=st["objective"],
        rms=st["rms"], rmsea=st["rmsea"], tli=st["tli"], smoothed=prep.smoothed,
        converged=bool(converged))


# ============================================================================================
# KMO and Bartlett
# ============================================================================================
_KMO_LABELS = ((0.9, "marvelous"), (0.8, "meritorious"), (0.7, "middling"), (0.6, "mediocre"),
               (0.5, "miserable"), (-np.inf, "unacceptable"))


def _kmo_label(v: float) -> str:
    for cut, lab in _KMO_LABELS:
        if v >= cut:
            return lab
    return "unacceptable"  # pragma: no cover


@dataclass(frozen=True, eq=False)
class KMOResult(Result):
    """Result of :func:`kmo`.

    Attributes
    ----------
    overall : float
        Overall measure of sampling adequacy (MSA).
    per_variable : Series
        MSA of each variable.
    label : str
        Kaiser's (1974) verbal scale for ``overall``: marvelous (≥ .9), meritorious (≥ .8),
        middling (≥ .7), mediocre (≥ .6), miserable (≥ .5), unacceptable.
    """

    overall: float
    per_variable: pd.Series
    label: str

    title = "Kaiser-Meyer-Olkin measure of sampling adequacy (KMO 检验)"

    def to_frame(self) -> pd.DataFrame:
        """One row per variable: ``msa`` and ``label``."""
        out = pd.DataFrame({"msa": self.per_variable,
                            "label": [_kmo_label(v) for v in self.per_variable]})
        out.index.name = self.per_variable.index.name or "variable"
        return out


def kmo(data: Any) -> KMOResult:
    """Kaiser–Meyer–Olkin measure of sampling adequacy (KMO 检验), as ``psych::KMO``.

    Parameters
    ----------
    data : DataFrame
        Raw observations or a correlation matrix (positive definite).

    Returns
    -------
    KMOResult

    Raises
    ------
    InputError
        Fewer than 2 variables, missing values, a constant column, or a correlation matrix that
        is not positive definite (the partial correlations do not exist).

    Notes
    -----
    With Q = R⁻¹, the partial (anti-image) correlations are q_{ij} = −Q_ij/√(Q_ii Q_jj)
    (the sign does not matter here). Off the diagonal,

    .. math:: \\mathrm{MSA} = \\frac{\\sum_{i\\ne j} r_{ij}^2}{\\sum_{i\\ne j} r_{ij}^2 +
              \\sum_{i\\ne j} q_{ij}^2}, \\qquad
              \\mathrm{MSA}_j = \\frac{\\sum_{i\\ne j} r_{ij}^2}{\\sum_{i\\ne j} r_{ij}^2 +
              \\sum_{i\\ne j} q_{ij}^2}.

    References
    ----------
    Kaiser, H. F. (1970). A second generation little jiffy. *Psychometrika* 35, 401–415.
    Kaiser, H. F., Rice, J. (1974). Little jiffy, mark IV. *Educ. Psychol. Measurement* 34, 111–117.
    """
    prep = _prepare("data", data, None, smooth=False)
    R = prep.R.to_numpy()
    Q = _cov2cor(np.linalg.inv(R))
    np.fill_diagonal(Q, 0.0)
    r = R.copy()
    np.fill_diagonal(r, 0.0)
    sr, sq = np.sum(r ** 2), np.sum(Q ** 2)
    overall = float(sr / (sr + sq))
    per = np.sum(r ** 2, axis=0) / (np.sum(r ** 2, axis=0) + np.sum(Q ** 2, axis=0))
    return KMOResult(overall=overall, per_variable=pd.Series(per, index=prep.R.columns, name="msa"),
                     label=_kmo_label(overall))


@dataclass(frozen=True, eq=False)
class BartlettResult(Result):
    """Result of :func:`bartlett_sphericity`: ``statistic`` (χ²), ``dof``, ``pvalue``,
    ``n_obs`` and ``n_vars``."""

    statistic: float
    dof: float
    pvalue: float
    n_obs: int
    n_vars: int

    title = "Bartlett's test of sphericity (巴特利特球形检验)"

    def to_frame(self) -> pd.DataFrame:
        """One row: ``statistic, dof, pvalue, n_obs, n_vars``."""
        return pd.DataFrame([{"statistic": self.statistic, "dof": self.dof,
                              "pvalue": self.pvalue, "n_obs": self.n_obs,
                              "n_vars": self.n_vars}])


def bartlett_sphericity(data: Any, *, n_obs: int | None = None) -> BartlettResult:
    """Bartlett's test that a correlation matrix is the identity (球形检验), as
    ``psych::cortest.bartlett``.

    Parameters
    ----------
    data : DataFrame
        Raw observations, or a correlation matrix together with ``n_obs``.
    n_obs : int, optional
        Sample size behind a correlation matrix (required then; psych would assume 100).

    Returns
    -------
    BartlettResult

    Notes
    -----
    .. math:: \\chi^2 = -\\Big(n - 1 - \\frac{2p + 5}{6}\\Big) \\ln|R|, \\qquad
              \\mathrm{dof} = p(p-1)/2.

    References
    ----------
    Bartlett, M. S. (1951). The effect of standardization on a χ² approximation in factor
    analysis. *Biometrika* 38, 337–344.
    """
    prep = _prepare("data", data, n_obs, smooth=False)
    if prep.n_obs is None:
        raise InputError("is required with a correlation matrix (the sample size behind it)",
                         argument="n_obs")
    R = prep.R.to_numpy()
    p = R.shape[0]
    sign, logdet = np.linalg.slogdet(R)
    stat = float(-logdet * (prep.n_obs - 1 - (2 * p + 5) / 6))
    dof = p * (p - 1) / 2
    return BartlettResult(statistic=stat, dof=float(dof), pvalue=float(stats.chi2.sf(stat, dof)),
                          n_obs=int(prep.n_obs), n_vars=int(p))


# ============================================================================================
# Cronbach's alpha
# ============================================================================================
@dataclass(frozen=True, eq=False)
class CronbachAlphaResult(Result):
    """Result of :func:`cronbach_alpha`.

    Attributes
    ----------
    alpha : float
        Raw α from the item covariances (psych ``raw_alpha``).
    alpha_std : float
        Standardised α from the correlations (psych ``std.alpha``).
    average_r : float
        Mean inter-item correlation.
    n_items, n_obs : int
    reversed : list
        Items reverse-scored before the analysis.
    items : DataFrame
        Per item: ``alpha_if_dropped`` (raw, psych ``alpha.drop$raw_alpha``),
        ``std_alpha_if_dropped``, ``item_total_r`` (correlation with the total score, psych
        ``raw.r``), ``item_rest_r`` (corrected item–total correlation, psych ``r.drop``),
        ``std_r``, ``mean``, ``sd``.
    """

    alpha: float
    alpha_std: float
    average_r: float
    n_items: int
    n_obs: int
    reversed: list
    items: pd.DataFrame

    title = "Cronbach's alpha (克朗巴哈系数)"

    def to_frame(self) -> pd.DataFrame:
        """The per-item table (see ``items``)."""
        return self.items


def cronbach_alpha(items: Any, *, reverse: Sequence = ()) -> CronbachAlphaResult:
    """Cronbach's α reliability of a scale (信度分析), as ``psych::alpha``.

    Parameters
    ----------
    items : DataFrame
        Rows = respondents, columns = items (≥ 2), numeric, no missing values, none constant.
    reverse : sequence of column labels
        Items to reverse-score first: x ← (min + max) − x, with min and max taken over all items
        (psych's rule; e.g. 1–5 Likert items become 6 − x).

    Returns
    -------
    CronbachAlphaResult

    Notes
    -----
    With k items, covariance matrix C and correlation matrix R,

    .. math:: \\alpha = \\frac{k}{k-1}\\Big(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1'C\\mathbf 1}\\Big),
              \\qquad \\alpha_{std} = \\frac{k}{k-1}\\Big(1 - \\frac{k}{\\mathbf 1'R\\mathbf 1}\\Big).

    α-if-dropped recomputes both without the item (NaN when only 2 items: α of one item is
    undefined). ``item_total_r`` correlates the item with the mean score of all items;
    ``item_rest_r`` = (Σ_{j≠i} C_ij)/√(C_ii · 1'C_{-i}1), the correlation with the sum of the
    other items; ``std_r`` = Σ_j R_ij/√(1'R1).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16, 297–334. Revelle, W. psych ``alpha``.
    """
    X = as_frame("items", items)
    if X.columns.has_duplicates:
        raise InputError("item (column) labels must be unique", argument="items")
    if X.shape[1] < 2:
        raise InputError(f"needs at least 2 items (columns), got {X.shape[1]}", argument="items")
    _check_raw("items", X)
    if isinstance(reverse, (str, bytes)) or not isinstance(reverse, (Sequence, pd.Index, np.ndarray, set, frozenset)):
        reverse = [reverse]
    reverse = list(reverse)
    unknown = [c for c in reverse if c not in X.columns]
    if unknown:
        raise InputError(f"unknown item(s): {unknown}", argument="reverse", value=unknown)
    if len(set(reverse)) != len(reverse):
        raise InputError("lists an item twice", argument="reverse", value=reverse)
    if reverse:
        arr = X.to_numpy()
        adjust = arr.max() + arr.min()
        X = X.copy()
        for c in reverse:
            X[c] = adjust - X[c]
    C = np.cov(X.to_numpy(), rowvar=False)
    R = _cov2cor(C)
    k = C.shape[0]

    def a1(C, R):
        n = C.shape[0]
        raw = (1 - np.trace(C) / C.sum()) * (n / (n - 1))
        std = (1 - n / R.sum()) * (n / (n - 1))
        return raw, std

    raw, std = a1(C, R)
    av_r = (R.sum() - k) / (k * (k - 1))
    drop_raw = np.full(k, np.nan)
    drop_std = np.full(k, np.nan)
    if k > 2:
        for i in range(k):
            keep = np.delete(np.arange(k), i)
            drop_raw[i], drop_std[i] = a1(C[np.ix_(keep, keep)], R[np.ix_(keep, keep)])
    total = X.to_numpy().mean(axis=1)
    Xv = X.to_numpy()
    raw_r = np.array([np.corrcoef(total, Xv[:, j])[0, 1] for j in range(k)])
    std_r = R.sum(axis=0) / math.sqrt(R.sum())
    r_drop = np.empty(k)
    for i in range(k):
        keep = np.delete(np.arange(k), i)
        v_drop = C[np.ix_(keep, keep)].sum()
        c_drop = C[:, i].sum() - C[i, i]
        r_drop[i] = c_drop / math.sqrt(C[i, i] * v_drop)
    table = pd.DataFrame({
        "alpha_if_dropped": drop_raw, "std_alpha_if_dropped": drop_std, "item_total_r": raw_r,
        "item_rest_r": r_drop, "std_r": std_r, "mean": Xv.mean(axis=0),
        "sd": Xv.std(axis=0, ddof=1)}, index=X.columns)
    table.index.name = X.columns.name or "item"
    return CronbachAlphaResult(alpha=float(raw), alpha_std=float(std), average_r=float(av_r),
                               n_items=int(k), n_obs=int(len(X)), reversed=reverse, items=table)


# ============================================================================================
# drivers
# ============================================================================================
@dataclass(frozen=True, eq=False)
class DriversResult(Result):
    """Result of :func:`drivers`.

    Attributes
    ----------
    outcome : str
    robust : str
        Covariance type of the standard errors (``"HC3"`` …, or ``"nonrobust"``).
    n_obs : int
    r2, adj_r2 : float
    coefficients : DataFrame
        One row per term (``const`` first): ``group`` (internal/external/intercept), ``coef``,
        ``se``, ``t``, ``pvalue``, ``ci_low``, ``ci_high`` (95 %), ``std_coef`` (b·s_x/s_y),
        ``shapley_r2`` (LMG share of R² in R² units), ``share_r2`` (shapley_r2 / R²),
        ``contribution`` (b·Δx when ``change`` is given, else NaN).
    groups : DataFrame
        Per group (internal, external): ``n_terms``, ``shapley_r2``, ``share_r2``,
        ``contribution``.
    """

    outcome: str
    robust: str
    n_obs: int
    r2: float
    adj_r2: float
    coefficients: pd.DataFrame
    groups: pd.DataFrame
    _fit: Any = field(default=None, repr=False)

    title = "Driver analysis (内外部因素分析)"

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table (see ``coefficients``)."""
        return self.coefficients

    def _summary_lines(self) -> list[str]:
        lines = [f"outcome: {self.outcome}", f"observations: {self.n_obs}",
                 f"R²: {self.r2:.4g} (adjusted {self.adj_r2:.4g})", f"standard errors: {self.robust}"]
        for g, row in self.groups.iterrows():
            lines.append(f"{g}: Shapley R² {row['shapley_r2']:.4g} ({row['share_r2']:.1%} of R²)")
        return lines


def _shapley_r2(Rxx: np.ndarray, rxy: np.ndarray) -> tuple[np.ndarray, float]:
    """Exact LMG / Shapley decomposition of R² over k regressors from the correlations."""
    k = len(rxy)
    r2 = np.zeros(2 ** k)
    for mask in range(1, 2 ** k):
        idx = [j for j in range(k) if mask >> j & 1]
        sub = Rxx[np.ix_(idx, idx)]
        b = np.linalg.lstsq(sub, rxy[idx], rcond=None)[0]
        r2[mask] = float(rxy[idx] @ b)
    w = np.array([math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k)
                  for s in range(k)])
    phi = np.zeros(k)
    masks = np.arange(2 ** k)
    sizes = np.array([bin(m).count("1") for m in masks])
    for j in range(k):
        without = masks[(masks >> j & 1) == 0]
        phi[j] = np.sum(w[sizes[without]] * (r2[without | (1 << j)] - r2[without]))
    return phi, float(r2[-1])


def drivers(data: Any, *, outcome: str, internal: Sequence = (), external: Sequence = (),
            robust: str = "HC3", change: Mapping | pd.Series | None = None) -> DriversResult:
    """Driver analysis (因素分析法: 内部因素与外部因素): OLS of an outcome on internal and external
    factors, with robust standard errors and each factor's contribution.

    Parameters
    ----------
    data : DataFrame
        One row per unit (project, district, year…), numeric columns.
    outcome : str
        Column of the outcome (e.g. an indicator score or attainment rate).
    internal, external : sequence of str
        Columns that are internal factors (管理、执行 — under the unit's control) and external
        factors (政策、经济、自然 — outside it). At least one regressor in all; at most
        :data:`MAX_DRIVERS`; no column in both.
    robust : {"HC3", "HC2", "HC1", "HC0", "nonrobust"}
        Heteroskedasticity-consistent covariance (HC3, MacKinnon & White 1985, is the default
        for small samples). Tests and intervals use the t distribution with n − k − 1 df.
    change : mapping or Series, optional
        A change in each regressor (e.g. this year's mean minus last year's). Then
        ``contribution = b · Δx`` per factor and per group: the change in the outcome the model
        attributes to it.

    Returns
    -------
    DriversResult

    Raises
    ------
    InputError
        Unknown or duplicated columns, missing values, a constant regressor, collinear
        regressors, too few rows (n ≤ k + 1), too many regressors, or a bad ``robust``.

    Notes
    -----
    Model ``y = b₀ + Σ_j b_j x_j + e``, fitted by OLS (statsmodels). With HC3,
    ``V = (X'X)⁻¹ X' diag(e_i²/(1 − h_ii)²) X (X'X)⁻¹``.

    Two contributions are reported, because raw coefficients are not comparable across units:

    - ``std_coef`` = b_j · s_{x_j} / s_y, the outcome change in SDs for a one-SD change of x_j;
    - ``shapley_r2`` — the LMG (Lindeman, Merenda & Gold 1980) or Shapley share of R²: the
      increase in R² from adding x_j, averaged over all orders of entry,
      φ_j = Σ_{S ⊆ K∖{j}} |S|!(k−|S|−1)!/k! · (R²_{S∪{j}} − R²_S). The φ_j add up exactly to R²
      and are never negative; group totals are sums over the group's factors.

    References
    ----------
    MacKinnon, J. G., White, H. (1985). Some heteroskedasticity-consistent covariance matrix
    estimators with improved finite sample properties. *J. Econometrics* 29, 305–325.
    Lindeman, R. H., Merenda, P. F., Gold, R. Z. (1980). *Introduction to Bivariate and
    Multivariate Analysis*. Grömping, U. (2006). Relative importance for linear regression in
    R: the package relaimpo. *J. Statistical Software* 17(1).
    """
    import statsmodels.api as sm

    check_option("robust", robust, ("HC3", "HC2", "HC1", "HC0", "nonrobust"))
    df = as_frame("data", data, numeric=False)
    for nm, grp in (("internal", internal), ("external", external)):
        if isinstance(grp, str):
            raise InputError("must be a list of column names, not a single string",
                             argument=nm, value=grp)
    internal, external = list(internal), list(external)
    terms = internal + external
    if outcome not in df.columns:
        raise InputError("is not a column of data", argument="outcome", value=outcome)
    if not terms:
        raise InputError("give at least one factor in internal or external", argument="internal")
    both = sorted(set(internal) & set(external), key=str)
    if both:
        raise InputError(f"column(s) listed as both internal and external: {both}",
                         argument="external", value=both)
    if len(set(terms)) != len(terms):
        raise InputError("a column is listed twice", argument="internal", value=terms)
    unknown = [t for t in terms if t not in df.columns]
    if unknown:
        raise InputError(f"unknown column(s): {unknown}", argument="internal" if unknown[0] in internal else "external",
                         value=unknown)
    if outcome in terms:
        raise InputError("the outcome cannot also be a factor", argument="outcome", value=outcome)
    if len(terms) > MAX_DRIVERS:
        raise InputError(f"at most {MAX_DRIVERS} factors (the exact Shapley split fits 2^k "
                         "models)", argument="internal", value=len(terms))
    sub = as_frame("data", df[[outcome, *terms]])
    _check_raw("data", sub)
    n, k = len(sub), len(terms)
    if n <= k + 1:
        raise InputError(f"needs more observations than parameters + 1 ({k + 2}), got {n}",
                         argument="data")
    y = sub[outcome].to_numpy()
    X = sub[terms].to_numpy()
    Xc = np.column_stack([np.ones(n), X])
    if np.linalg.matrix_rank(Xc) < k + 1:
        raise InputError("the factors are perfectly collinear; drop one", argument="data",
                         value=terms)
    model = sm.OLS(y, Xc)
    if robust == "nonrobust":
        fit = model.fit(use_t=True)
    else:
        fit = model.fit(cov_type=robust, use_t=True)
    ci = np.asarray(fit.conf_int(0.05))
    sx = X.std(axis=0, ddof=1)
    sy = y.std(ddof=1)
    Rall = np.corrcoef(np.column_stack([X, y]), rowvar=False)
    phi, r2_full = _shapley_r2(Rall[:k, :k], Rall[:k, k])
    params = np.asarray(fit.params)
    contrib = np.full(k, np.nan)
    if change is not None:
        ch = pd.Series(change, dtype=float) if not isinstance(change, pd.Series) else change.astype(float)
        missing = [t for t in terms if t not in ch.index]
        extra = [t for t in ch.index if t not in terms]
        if missing or extra:
            raise InputError(f"must give a change for exactly the factors; missing {missing}, "
                             f"extra {extra}", argument="change")
        if not np.isfinite(ch.reindex(terms).to_numpy()).all():
            raise InputError("must be finite", argument="change")
        contrib = params[1:] * ch.reindex(terms).to_numpy()
    group = ["internal"] * len(internal) + ["external"] * len(external)
    r2 = float(fit.rsquared)
    coef = pd.DataFrame({
        "group": ["intercept", *group],
        "coef": params, "se": np.asarray(fit.bse), "t": np.asarray(fit.tvalues),
        "pvalue": np.asarray(fit.pvalues), "ci_low": ci[:, 0], "ci_high": ci[:, 1],
        "std_coef": np.r_[np.nan, params[1:] * sx / sy],
        "shapley_r2": np.r_[np.nan, phi],
        "share_r2": np.r_[np.nan, phi / r2] if r2 > 0 else np.full(k + 1, np.nan),
        "contribution": np.r_[np.nan, contrib],
    }, index=pd.Index(["const", *map(str, terms)], name="term"))
    rows = []
    for g in ("internal", "external"):
        m = coef["group"] == g
        rows.append({"group": g, "n_terms": int(m.sum()),
                     "shapley_r2": float(coef.loc[m, "shapley_r2"].sum()),
                     "share_r2": float(coef.loc[m, "share_r2"].sum()) if m.any() else 0.0,
                     "contribution": (float(coef.loc[m, "contribution"].sum())
                                      if change is not None else float("nan"))})
    groups = pd.DataFrame(rows).set_index("group")
    if abs(r2_full - r2) > 1e-8 * max(1.0, r2):  # pragma: no cover - same least squares twice
        raise MethodError(f"R² from correlations {r2_full!r} differs from OLS {r2!r}")
    return DriversResult(outcome=str(outcome), robust=robust, n_obs=int(n), r2=r2,
                         adj_r2=float(fit.rsquared_adj), coefficients=coef, groups=groups,
                         _fit=fit)
