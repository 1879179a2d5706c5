"""Discounting and cash-flow arithmetic behind 成本收益分析法 (cost-benefit analysis).

Everything here works on *streams*: one amount per year, year 0 first. Public names are re-exported
by :mod:`perfkit.methods.cba`; import them from there (or from :mod:`perfkit.methods`).

Conventions used throughout
---------------------------
- A stream ``f`` has one entry per year ``t = 0, 1, …, n`` (position, not index label: a Series
  indexed 2025…2045 is year 0…20). A 2-D input holds one stream per **row**, years in columns.
- A discount *schedule* gives the rate of each **step**: the rate ``r(t)`` of year ``t`` (t ≥ 1)
  discounts from the end of year ``t`` back to the end of year ``t − 1``:
  ``DF_0 = 1``, ``DF_t = DF_{t−1} / (1 + r(t))``. Year 0 has no rate. Under the Green Book schedule
  years 1–30 are discounted at 3.5 %, so ``DF_30 = 1.035^−30`` and ``DF_31 = DF_30 / 1.03``
  (the Green Book applies 3.5 % "to all costs and benefits up to and including the 30th year").
"""
from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import optimize

from ..errors import InputError, MethodError

__all__ = [
    "GREENBOOK_SCHEDULE",
    "GREENBOOK_SOURCE",
    "IRRWarning",
    "discount_factors",
    "npv",
    "irrs",
    "irr",
    "mirr",
    "xnpv",
    "xirrs",
    "xirr",
    "bcr",
    "payback",
]

#: UK HM Treasury Green Book declining long-term discount schedule: ``(up to year, rate)``;
#: ``None`` means "every later year". Source tag in :data:`GREENBOOK_SOURCE`.
GREENBOOK_SCHEDULE: tuple[tuple[int | None, float], ...] = (
    (30, 0.035), (75, 0.03), (125, 0.025), (200, 0.02), (300, 0.015), (None, 0.01))

GREENBOOK_SOURCE = ("[V] HM Treasury, The Green Book, Table 6.1 'The declining long term discount "
                    "rate' (0–30: 3.5%, 31–75: 3.0%, 76–125: 2.5%, 126–200: 2.0%, 201–300: 1.5%, "
                    "301+: 1.0%), "
                    "https://ppponline.affinitext.com/public/book?id=1475&toc_id=508091 ; "
                    "3.5% up to and including year 30: "
                    "https://ppponline.affinitext.com/public/book?id=1664&toc_id=449738 "
                    "(perfkit domain.md §11)")

_CONVENTIONS = ("t0", "excel")
#: |NPV| at most this fraction of the gross present value Σ|f_t|·DF_t counts as zero
_ZERO_TOL = 1e-9


class IRRWarning(RuntimeWarning):
    """A rate of return (IRR, XIRR, MIRR) does not exist for the stream; NaN was returned."""


# --------------------------------------------------------------------------- argument helpers
def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def _check_rate_value(name: str, r: float) -> float:
    r = float(r)
    if not math.isfinite(r):
        raise InputError("must be a finite number", argument=name, value=r)
    if r <= -1.0:
        raise InputError("a discount rate must be greater than −1 (−100%)", argument=name, value=r)
    return r


def _check_convention(convention: str) -> str:
    if convention not in _CONVENTIONS:
        raise InputError("must be 't0' (year 0 undiscounted) or 'excel' (first flow discounted "
                         "one period)", argument="convention", value=convention)
    return convention


def _parse_tiers(name: str, pairs: Sequence) -> list[tuple[float, float]]:
    """[[upto, rate], …] → [(upto or inf, rate)], checked."""
    out: list[tuple[float, float]] = []
    prev = 0.0
    for k, pair in enumerate(pairs):
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise InputError("a tiered schedule is a list of [upto_year, rate] pairs",
                             argument=name, value=pair)
        upto, rate = pair
        if upto is None or (isinstance(upto, float) and math.isnan(upto)):
            if k != len(pairs) - 1:
                raise InputError("only the last tier may have upto = null (forever)",
                                 argument=name, value=pair)
            up = math.inf
        else:
            if not _is_number(upto) or float(upto) != int(upto) or int(upto) < 1:
                raise InputError("upto_year must be a whole number ≥ 1 or null", argument=name,
                                 value=pair)
            up = float(int(upto))
            if up <= prev:
                raise InputError("upto_year values must increase", argument=name, value=pair)
        if not _is_number(rate):
            raise InputError("rate must be a number", argument=name, value=pair)
        out.append((up, _check_rate_value(name, rate)))
        prev = up
    if not out:
        raise InputError("the schedule is empty", argument=name)
    return out


def _step_rates(n_steps: int, schedule: Any, name: str = "schedule") -> np.ndarray:
    """Rates r(1), …, r(n_steps) of a schedule (element k is the rate of year k + 1)."""
    if _is_number(schedule):
        return np.full(n_steps, _check_rate_value(name, schedule))
    if isinstance(schedule, str):
        key = schedule.strip().lower().replace("_", "").replace("-", "").replace(" ", "")
        if key != "greenbook":
            raise InputError("unknown schedule name; use 'greenbook', a number, a list of per-year "
                             "rates or a list of [upto_year, rate] pairs", argument=name,
                             value=schedule)
        return _step_rates(n_steps, [list(p) for p in GREENBOOK_SCHEDULE], name)
    if isinstance(schedule, Mapping):
        if "rates" in schedule:
            return _step_rates(n_steps, schedule["rates"], name)
        if "schedule" in schedule:
            return _step_rates(n_steps, schedule["schedule"], name)
        raise InputError("a schedule mapping needs a 'rates' or 'schedule' key", argument=name,
                         value=schedule)
    if isinstance(schedule, pd.Series):
        schedule = schedule.tolist()
    elif isinstance(schedule, np.ndarray):
        schedule = schedule.tolist()
    if isinstance(schedule, (list, tuple)):
        if len(schedule) == 0:
            raise InputError("the schedule is empty", argument=name)
        if all(isinstance(p, (list, tuple, np.ndarray)) for p in schedule):
            tiers = _parse_tiers(name, schedule)
            years = np.arange(1, n_steps + 1)
            if n_steps and years[-1] > tiers[-1][0]:
                raise InputError(f"the tiered schedule ends at year {int(tiers[-1][0])} but year "
                                 f"{n_steps} is needed; end it with [null, rate]", argument=name)
            bounds = np.array([t[0] for t in tiers])
            rates = np.array([t[1] for t in tiers])
            return rates[np.searchsorted(bounds, years, side="left")]
        if not all(_is_number(v) for v in schedule):
            raise InputError("per-year rates must all be numbers", argument=name)
        arr = np.asarray(schedule, dtype=float)
        if len(arr) < n_steps:
            raise InputError(f"per-year schedule has {len(arr)} rate(s) (years 1…{len(arr)}) but "
                             f"{n_steps} are needed", argument=name)
        arr = arr[:n_steps]
        bad = ~np.isfinite(arr) | (arr <= -1)
        if bad.any():
            k = int(np.argmax(bad))
            raise InputError(f"every rate must be finite and greater than −1; year {k + 1}",
                             argument=name, value=float(arr[k]))
        return arr
    raise InputError("must be a number, 'greenbook', a list of per-year rates or a list of "
                     "[upto_year, rate] pairs", argument=name, value=schedule)


def _describe_schedule(schedule: Any) -> Any:
    """A JSON-safe echo of a schedule for results."""
    if _is_number(schedule):
        return float(schedule)
    if isinstance(schedule, str):
        return "greenbook"
    if isinstance(schedule, Mapping):
        return {str(k): _describe_schedule(v) for k, v in schedule.items()}
    try:
        return [(_describe_schedule(v) if not _is_number(v) and v is not None else
                 (None if v is None else float(v))) for v in schedule]
    except TypeError:
        return str(schedule)


def _dfs(n_years: int, schedule: Any, name: str = "rate") -> np.ndarray:
    """DF_0 … DF_n as an array (DF_0 = 1)."""
    if _is_number(schedule):
        r = _check_rate_value(name, schedule)
        return np.power(1.0 + r, -np.arange(n_years + 1, dtype=float))
    rates = _step_rates(n_years, schedule, name)
    out = np.ones(n_years + 1)
    out[1:] = np.exp(-np.cumsum(np.log1p(rates)))
    return out


def _stream(name: str, flows: Any, *, min_len: int = 1) -> tuple[np.ndarray, pd.Index | None]:
    """A 1-D finite float stream and its labels (if it had any)."""
    labels = None
    if isinstance(flows, pd.DataFrame):
        if flows.shape[1] != 1 and flows.shape[0] != 1:
            raise InputError("must be one stream (1-D)", argument=name)
        flows = flows.squeeze(axis=1 if flows.shape[1] == 1 else 0)
    if isinstance(flows, pd.Series):
        labels = flows.index
        try:
            arr = flows.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise InputError("must be numeric", argument=name) from None
    else:
        try:
            arr = np.asarray(flows, dtype=float)
        except (TypeError, ValueError):
            raise InputError("must be a sequence of numbers", argument=name) from None
    if arr.ndim != 1:
        raise InputError(f"must be one stream (1-D), got {arr.ndim}-D", argument=name)
    if len(arr) < min_len:
        raise InputError(f"needs at least {min_len} value(s), got {len(arr)}", argument=name)
    bad = ~np.isfinite(arr)
    if bad.any():
        k = int(np.argmax(bad))
        where = f"year {k}" if labels is None else f"{labels[k]!r} (year {k})"
        raise InputError(f"must not contain NaN or infinite values; first at {where}",
                         argument=name, value=float(arr[k]))
    return arr, labels


def _streams(name: str, flows: Any) -> tuple[np.ndarray, bool, pd.Index | None]:
    """(2-D array rows = streams, was_1d, row labels)."""
    if isinstance(flows, pd.DataFrame):
        try:
            arr = flows.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise InputError("must be numeric", argument=name) from None
        labels = flows.index
        one = False
    else:
        if isinstance(flows, pd.Series):
            arr1, _ = _stream(name, flows)
            return arr1[None, :], True, None
        try:
            arr = np.asarray(flows, dtype=float)
        except (TypeError, ValueError):
            raise InputError("must be a sequence of numbers or a 2-D table",
                             argument=name) from None
        labels = None
        one = arr.ndim == 1
        if one:
            arr = arr[None, :]
    if arr.ndim != 2:
        raise InputError(f"must be 1-D (one stream) or 2-D (a stream per row), got {arr.ndim}-D",
                         argument=name)
    if arr.shape[1] < 1 or arr.shape[0] < 1:
        raise InputError("is empty", argument=name)
    bad = ~np.isfinite(arr)
    if bad.any():
        i, t = np.argwhere(bad)[0]
        row = f"row {labels[i]!r}, " if labels is not None else (f"row {i}, " if not one else "")
        raise InputError(f"must not contain NaN or infinite values; first at {row}year {t}",
                         argument=name, value=float(arr[i, t]))
    return arr, one, labels


# --------------------------------------------------------------------------- discounting
def discount_factors(n_years: int, schedule: Any = 0.035) -> pd.Series:
    """Discount factors DF_0 … DF_n of a discount schedule (贴现系数).

    Parameters
    ----------
    n_years : int
        Last year ``n`` (≥ 0). The result has ``n + 1`` factors, for years 0…n.
    schedule : float, str, sequence or mapping, default 0.035
        - a number: one constant rate for every year, e.g. ``0.035``;
        - ``"greenbook"``: the HM Treasury Green Book declining schedule
          (:data:`GREENBOOK_SCHEDULE`);
        - a sequence of per-year rates ``[r(1), r(2), …]``: element ``k`` is the rate of year
          ``k + 1`` (year 0 has no rate); at least ``n`` rates, extra ones are ignored;
        - a list of ``[upto_year, rate]`` pairs with increasing ``upto_year``; the rate applies to
          years ``previous upto + 1 … upto``; ``upto = None`` (YAML ``null``) means every later
          year,
          e.g. ``[[30, .035], [75, .03], [None, .025]]``;
        - a mapping ``{"rates": …}`` (the ``discount:`` block of a rule profile).

        Every rate must be finite and greater than −1.

    Returns
    -------
    pandas.Series
        Index ``0…n`` named ``year``, values ``DF_t`` named ``discount_factor``.

    Notes
    -----
    Chained factors (链式贴现): ``DF_0 = 1`` and ``DF_t = DF_{t−1} / (1 + r(t))`` for t ≥ 1, where
    ``r(t)`` is the rate of year ``t``: the step from the end of year ``t − 1`` to the end of year
    ``t`` is discounted at the rate of the *later* year. With a constant rate this is
    ``DF_t = (1 + r)^−t``. Under the Green Book schedule ``DF_30 = 1.035^−30``,
    ``DF_31 = DF_30/1.03`` and ``DF_76 = 1.035^−30 · 1.03^−45 · 1.025^−1``.

    References
    ----------
    HM Treasury (2003/2018), *The Green Book*, Table 6.1 (declining long-term discount rate);
    see :data:`GREENBOOK_SOURCE`.
    """
    if not _is_number(n_years) or float(n_years) != int(n_years) or int(n_years) < 0:
        raise InputError("must be a whole number ≥ 0", argument="n_years", value=n_years)
    n = int(n_years)
    return pd.Series(_dfs(n, schedule, "schedule"), index=pd.RangeIndex(n + 1, name="year"),
                     name="discount_factor")


def npv(flows: Any, rate: Any, *, convention: str = "t0") -> float | np.ndarray | pd.Series:
    """Net present value (净现值) of one stream or of many streams at once.

    Parameters
    ----------
    flows : sequence, Series, 2-D array or DataFrame
        One stream (1-D, years 0…n in order) or one stream per **row** (years in columns).
    rate : float, str, sequence or mapping
        A constant rate or a discount schedule, as in :func:`discount_factors`.
    convention : {"t0", "excel"}, keyword-only
        ``"t0"`` (default): the first flow is year 0 and is not discounted (as numpy-financial
        ``npv``). ``"excel"``: the first flow is discounted one period, as Excel's ``NPV`` and
        pyxirr ``npv(..., start_from_zero=False)``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        A float for one stream; an array (one NPV per row) for a 2-D array; a Series indexed by
        the rows of a DataFrame.

    Notes
    -----
    ``t0``: NPV = Σ_{t=0}^{n} f_t · DF_t.  ``excel``: NPV = Σ_{t=0}^{n} f_t · DF_{t+1}.
    The computation is one matrix–vector product, so 10⁵ streams take milliseconds.

    References
    ----------
    numpy-financial ``npv``; Microsoft Excel ``NPV``.
    """
    _check_convention(convention)
    arr, one, labels = _streams("flows", flows)
    m = arr.shape[1]
    df = _dfs(m if convention == "excel" else m - 1, rate, "rate")
    if convention == "excel":
        df = df[1:]
    out = arr @ df
    if one:
        return float(out[0])
    if labels is not None:
        return pd.Series(out, index=labels, name="npv")
    return out


# --------------------------------------------------------------------------- IRR
def _sign_changes(a: np.ndarray) -> int:
    s = np.sign(a[a != 0])
    return int(np.count_nonzero(s[1:] != s[:-1]))


def _poly_gross(c: np.ndarray, x: float) -> tuple[float, float]:
    """(p(x), Σ|c_t| x^t) for p(x) = Σ c_t x^t (c in increasing powers)."""
    return (float(np.polynomial.polynomial.polyval(x, c)),
            float(np.polynomial.polynomial.polyval(x, np.abs(c))))


def _no_root_reason(arr: np.ndarray) -> str:
    if not np.any(arr):
        return "all flows are zero, so NPV is zero at every rate and no IRR is defined"
    if _sign_changes(arr) == 0:
        return "the flows never change sign, so NPV is never zero"
    return "no real rate above −100% makes NPV zero"


def irrs(flows: Any) -> np.ndarray:
    """Every internal rate of return (内部收益率) of a stream: all real r > −1 with NPV(r) = 0.

    Parameters
    ----------
    flows : sequence or Series
        One stream, years 0…n.

    Returns
    -------
    numpy.ndarray
        The IRRs in increasing order; empty when there is none (no sign change, no real root,
        or every flow is zero — NPV ≡ 0 has no defined IRR).

    Notes
    -----
    With x = 1/(1 + r), NPV(r) = Σ f_t x^t = p(x), a polynomial; every real root x > 0 is an IRR
    r = 1/x − 1. The roots of ``p`` (eigenvalues of its companion matrix, ``numpy.roots``) with a
    positive real part and a small imaginary part are candidates; each is polished with Brent's
    bracketing method where ``p`` changes sign around it, and otherwise (a root of even
    multiplicity, where NPV touches zero) kept only if |p(x)| ≤ 1e-9 · Σ|f_t| x^t. Candidates
    between which NPV never leaves that tolerance are one (multiple) root.
    Descartes' rule of signs bounds the count by the number of sign changes of the flows; a stream
    with one sign change has exactly one IRR, which is bracketed and solved directly (Brent, on
    s = ln(1 + r)) without the eigenvalue step, so long conventional streams stay fast.

    Why all of them: a stream with more than one sign change can have several IRRs, and the usual
    tools then silently return one of them — for ``[-100, 230, -132]`` (IRRs 10% and 20%)
    numpy-financial 1.0.0 ``irr`` returns 0.10 and pyxirr 0.10.8 ``irr`` returns 0.20. See
    ``tests/reference/irr/two_irr``.

    References
    ----------
    Descartes' rule of signs; R. P. Brent (1973), *Algorithms for Minimization without Derivatives*;
    numpy-financial ``irr``.
    """
    arr, _ = _stream("flows", flows)
    return _irrs_array(arr)


def _irrs_array(arr: np.ndarray) -> np.ndarray:
    nz = np.flatnonzero(arr)
    if len(nz) < 2 or _sign_changes(arr) == 0:
        return np.empty(0)
    c = arr[nz[0]:nz[-1] + 1]            # drop leading zeros (factor x^k) and trailing zeros
    c = c / np.max(np.abs(c))
    if _sign_changes(c) == 1:
        # exactly one IRR (Descartes): bracket it directly, no O(n³) eigenvalue problem
        keep = c != 0
        return np.expm1(_expsum_roots(c[keep], np.flatnonzero(keep).astype(float)))
    roots = np.roots(c[::-1])            # numpy.roots wants the highest power first
    cand = roots[(roots.real > 0) & (np.abs(roots.imag) <= 1e-3 * np.abs(roots))].real
    cand = np.unique(cand)
    accepted: list[float] = []
    for i, x0 in enumerate(cand):
        # do not let a bracket reach half-way to a neighbouring candidate
        room = np.inf
        if i > 0:
            room = min(room, (x0 - cand[i - 1]) / 2)
        if i + 1 < len(cand):
            room = min(room, (cand[i + 1] - x0) / 2)
        room = min(room, x0 / 2)
        p0, g0 = _poly_gross(c, x0)
        if p0 == 0.0:
            accepted.append(float(x0))
            continue
        found = None
        for k in range(0, 10):
            d = min(x0 * 1e-12 * 10.0 ** k, room)
            if d <= 0:
                break
            lo, hi = x0 - d, x0 + d
            plo, phi = _poly_gross(c, lo)[0], _poly_gross(c, hi)[0]
            if plo == 0.0:
                found = lo
                break
            if phi == 0.0:
                found = hi
                break
            if np.sign(plo) != np.sign(phi):
                found = optimize.brentq(lambda x: _poly_gross(c, x)[0], lo, hi, xtol=1e-300,
                                        rtol=4 * np.finfo(float).eps, maxiter=200)
                break
            if d == room:
                break
        if found is not None:
            accepted.append(float(found))
        elif abs(p0) <= _ZERO_TOL * g0:
            accepted.append(float(x0))
    if not accepted:
        return np.empty(0)
    xs = np.sort(np.asarray(accepted))
    groups: list[list[float]] = [[xs[0]]]
    for x in xs[1:]:
        prev = groups[-1][-1]
        mid = 0.5 * (prev + x)
        pm, gm = _poly_gross(c, mid)
        if x - prev <= 1e-12 * x or abs(pm) <= _ZERO_TOL * gm:
            groups[-1].append(x)
        else:
            groups.append([x])
    xr = np.array([float(np.median(g)) for g in groups])
    return np.sort(1.0 / xr - 1.0)


def _unique_rate(roots: np.ndarray, reason: str, what: str) -> float:
    if len(roots) == 1:
        return float(roots[0])
    if len(roots) == 0:
        warnings.warn(f"{what} does not exist: {reason}; returning NaN", IRRWarning, stacklevel=3)
        return math.nan
    listed = ", ".join(f"{r:.10g}" for r in roots)
    raise MethodError(f"the stream has {len(roots)} {what}s ({listed}); a single {what} is not "
                      f"meaningful — use {what.lower()}s() to list them and judge by NPV at the "
                      f"chosen discount rate")


def irr(flows: Any) -> float:
    """The internal rate of return (内部收益率) when exactly one exists.

    Parameters
    ----------
    flows : sequence or Series
        One stream, years 0…n.

    Returns
    -------
    float
        The unique IRR; NaN (with an :class:`IRRWarning`) when there is none.

    Raises
    ------
    MethodError
        When the stream has several IRRs; the message lists all of them (see :func:`irrs`).

    Notes
    -----
    IRR is the rate r > −1 with Σ f_t (1 + r)^−t = 0; roots are found as in :func:`irrs`.
    Unlike numpy-financial and pyxirr, which return one root of a multi-root stream without
    saying so (0.10 and 0.20 respectively for ``[-100, 230, -132]``), perfkit refuses to choose.

    References
    ----------
    numpy-financial ``irr``; pyxirr ``irr``.
    """
    arr, _ = _stream("flows", flows)
    return _unique_rate(_irrs_array(arr), _no_root_reason(arr), "IRR")


def mirr(flows: Any, finance_rate: float, reinvest_rate: float) -> float:
    """Modified internal rate of return (修正内部收益率).

    Parameters
    ----------
    flows : sequence or Series
        One stream, years 0…n (n ≥ 1).
    finance_rate : float
        Rate at which the negative flows are discounted to year 0 (> −1).
    reinvest_rate : float
        Rate at which the positive flows are compounded to year n (> −1).

    Returns
    -------
    float
        MIRR; NaN with an :class:`IRRWarning` if the stream has no positive or no negative flow.

    Notes
    -----
    MIRR = (FV_n(f⁺ at reinvest_rate) / −PV_0(f⁻ at finance_rate))^{1/n} − 1, where f⁺ are the
    positive and f⁻ the negative flows, FV_n(f⁺) = Σ f_t⁺ (1 + r_reinvest)^{n−t} and
    PV_0(f⁻) = Σ f_t⁻ (1 + r_finance)^{−t}.
    It is unique, which is why it is used when the IRR is not.

    References
    ----------
    numpy-financial ``mirr``; Excel ``MIRR``.
    """
    arr, _ = _stream("flows", flows, min_len=2)
    fr = _check_rate_value("finance_rate", finance_rate)
    rr = _check_rate_value("reinvest_rate", reinvest_rate)
    n = len(arr) - 1
    pos, neg = np.where(arr > 0, arr, 0.0), np.where(arr < 0, arr, 0.0)
    if not pos.any() or not neg.any():
        warnings.warn("MIRR does not exist: the stream needs both a positive and a negative flow; "
                      "returning NaN", IRRWarning, stacklevel=2)
        return math.nan
    t = np.arange(n + 1)
    fv_pos = float(pos @ np.power(1.0 + rr, n - t))
    pv_neg = float(neg @ np.power(1.0 + fr, -t.astype(float)))
    return float((fv_pos / -pv_neg) ** (1.0 / n) - 1.0)


# --------------------------------------------------------------------------- dated flows
def _dated(flows: Any, dates: Any) -> tuple[np.ndarray, np.ndarray]:
    """(amounts, year fractions Act/365 from the first date)."""
    if dates is None:
        if isinstance(flows, pd.Series) and isinstance(flows.index, pd.DatetimeIndex):
            dates = flows.index
        else:
            raise InputError("dates are required unless flows is a Series with a DatetimeIndex",
                             argument="dates")
    arr, _ = _stream("flows", flows)
    try:
        d = pd.to_datetime(pd.Index(list(dates) if not isinstance(dates, pd.Index) else dates))
    except (TypeError, ValueError) as exc:
        raise InputError(f"could not be read as dates ({exc})", argument="dates") from None
    if len(d) != len(arr):
        raise InputError(f"must have one date per flow: {len(d)} dates, {len(arr)} flows",
                         argument="dates")
    if d.isna().any():
        raise InputError("must not contain missing dates", argument="dates")
    if d.tz is not None:
        d = d.tz_localize(None)
    d = d.normalize()
    days = np.asarray((d - d[0]) / pd.Timedelta(days=1), dtype=float)
    if (days < 0).any():
        k = int(np.argmax(days < 0))
        raise InputError("no date may precede the first date (the valuation date)",
                         argument="dates", value=str(d[k].date()))
    return arr, days / 365.0


def xnpv(rate: float, flows: Any, dates: Any = None) -> float:
    """Net present value of dated flows (按日贴现的净现值), Act/365 from the first date.

    Parameters
    ----------
    rate : float
        Annual rate (> −1).
    flows : sequence or Series
        Amounts; a Series with a DatetimeIndex may omit ``dates``.
    dates : sequence of date-likes, optional
        One date per flow; the first is the valuation date and no date may precede it.
        A time of day is ignored.

    Returns
    -------
    float

    Notes
    -----
    XNPV = Σ_i f_i (1 + r)^{−(d_i − d_0)/365}.

    References
    ----------
    Excel ``XNPV``; pyxirr ``xnpv`` (day count ACT/365F).
    """
    r = _check_rate_value("rate", rate)
    arr, tau = _dated(flows, dates)
    return float(arr @ np.power(1.0 + r, -tau))


def _expsum_roots(c: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """All real roots s of g(s) = Σ c_i exp(−s τ_i), τ strictly increasing, c_i ≠ 0.

    Rolle/Descartes isolation: the critical points of g_k(s) = Σ_{i≥k} c_i exp(−s(τ_i − τ_k)) are
    the roots of g_{k+1} with coefficients −(τ_i − τ_k) c_i; between consecutive critical points
    g_k is monotone and has at most one root. Recursion stops when a level has ≤ 1 sign change
    (exactly as many roots as sign changes then, by Descartes' rule for exponential sums).
    """
    levels_c = [c / np.max(np.abs(c))]
    levels_t = [tau - tau[0]]
    while _sign_changes(levels_c[-1]) >= 2:
        cc, tt = levels_c[-1], levels_t[-1]
        nc = -(tt[1:] - tt[0]) * cc[1:]
        levels_c.append(nc / np.max(np.abs(nc)))
        levels_t.append(tt[1:] - tt[1])
        if len(levels_c) > 5000:  # pragma: no cover - absurd input
            raise MethodError("too many dated flows with several sign changes to isolate XIRRs")

    s_max = 700.0  # r = e^s − 1 stays finite; g is evaluated scaled, so exp() never overflows

    def make(cc: np.ndarray, tt: np.ndarray):
        def f(s: float) -> tuple[float, float]:
            a = -s * tt
            a = a - a.max()
            e = np.exp(a)
            return float(cc @ e), float(np.abs(cc) @ e)
        return f

    crit = np.empty(0)
    for cc, tt in zip(reversed(levels_c), reversed(levels_t)):
        f = make(cc, tt)
        g = lambda s, f=f: f(s)[0]  # noqa: E731
        sign_pos, sign_neg = np.sign(cc[0]), np.sign(cc[-1])   # limits s→+∞ and s→−∞
        roots: list[float] = []
        pts = list(crit)
        vals = []
        for z in pts:
            v, gr = f(z)
            vals.append(0.0 if abs(v) <= _ZERO_TOL * gr else v)
        for z, v in zip(pts, vals):
            if v == 0.0:
                roots.append(z)
        # bounded monotone pieces
        for (a, va), (b, vb) in zip(zip(pts, vals), zip(pts[1:], vals[1:])):
            if va != 0.0 and vb != 0.0 and np.sign(va) != np.sign(vb):
                roots.append(optimize.brentq(g, a, b, xtol=1e-15, rtol=4 * np.finfo(float).eps))
        # unbounded ends
        if pts:
            ends = [(pts[0], vals[0], -1.0, sign_neg), (pts[-1], vals[-1], 1.0, sign_pos)]
        else:
            v0, gr0 = f(0.0)
            if abs(v0) <= _ZERO_TOL * gr0:
                roots.append(0.0)
                ends = []
            else:
                ends = [(0.0, v0, -1.0, sign_neg), (0.0, v0, 1.0, sign_pos)]
        for z, vz, direction, limit_sign in ends:
            if vz == 0.0 or np.sign(vz) == limit_sign:
                continue
            step = 0.5
            prev = z
            while True:
                s = z + direction * step
                if abs(s) > s_max:
                    if abs(prev) >= s_max:
                        break
                    s = direction * s_max      # one last try at the edge of the range
                vs = g(s)
                if vs == 0.0:
                    roots.append(s)
                    break
                if np.sign(vs) == limit_sign:
                    lo, hi = (s, prev) if direction < 0 else (prev, s)
                    roots.append(optimize.brentq(g, lo, hi, xtol=1e-15,
                                                 rtol=4 * np.finfo(float).eps))
                    break
                prev = s
                step *= 2.0
        crit = np.unique(np.asarray(roots, dtype=float))
    return crit


def xirrs(flows: Any, dates: Any = None) -> np.ndarray:
    """Every rate r > −1 that makes :func:`xnpv` zero (all XIRRs), increasing.

    Parameters
    ----------
    flows, dates
        As in :func:`xnpv`; flows on the same date are added together.

    Returns
    -------
    numpy.ndarray
        Empty when there is none.

    Notes
    -----
    With s = ln(1 + r), XNPV = Σ f_i e^{−s τ_i} is an exponential sum in s; its real roots are
    isolated exactly by Rolle's theorem (roots of the derivative split the line into monotone
    pieces, recursively) and polished with Brent's method. The number of roots is at most the
    number of sign changes of the date-ordered flows (Descartes' rule for exponential sums).

    References
    ----------
    G. Pólya and G. Szegő, *Problems and Theorems in Analysis II*, Part V (Descartes' rule for
    exponential sums); Excel ``XIRR``; pyxirr ``xirr``.
    """
    arr, tau = _dated(flows, dates)
    return _xirrs_array(arr, tau)


def _xirrs_array(arr: np.ndarray, tau: np.ndarray) -> np.ndarray:
    ut, inv = np.unique(tau, return_inverse=True)
    c = np.zeros(len(ut))
    np.add.at(c, inv, arr)
    keep = c != 0
    c, ut = c[keep], ut[keep]
    if len(c) < 2 or _sign_changes(c) == 0:
        return np.empty(0)
    s = _expsum_roots(c, ut)
    # merge roots that are numerically one (NPV within tolerance between them)
    if len(s) > 1:
        merged = [s[0]]
        for v in s[1:]:
            mid = 0.5 * (merged[-1] + v)
            a = -mid * (ut - ut[0])
            e = np.exp(a - a.max())
            if abs(c @ e) <= _ZERO_TOL * (np.abs(c) @ e):
                merged[-1] = 0.5 * (merged[-1] + v)
            else:
                merged.append(v)
        s = np.asarray(merged)
    return np.sort(np.expm1(s))


def xirr(flows: Any, dates: Any = None) -> float:
    """Internal rate of return of dated flows (按日计算的内部收益率), Act/365, when unique.

    Same semantics as :func:`irr`: the unique root; NaN with :class:`IRRWarning` when there is
    none; :class:`~perfkit.errors.MethodError` listing them when there are several.

    Parameters
    ----------
    flows, dates
        As in :func:`xnpv`.

    Returns
    -------
    float

    Notes
    -----
    Solves Σ f_i (1 + r)^{−(d_i − d_0)/365} = 0; see :func:`xirrs`.

    References
    ----------
    Excel ``XIRR``; pyxirr ``xirr``.
    """
    arr, tau = _dated(flows, dates)
    return _unique_rate(_xirrs_array(arr, tau), _no_root_reason(arr), "XIRR")


# --------------------------------------------------------------------------- ratios, payback
def bcr(benefits: Any, costs: Any, rate: Any, *, convention: str = "t0") -> float:
    """Benefit–cost ratio (效益成本比): PV(benefits) / PV(costs).

    Parameters
    ----------
    benefits, costs : sequence, Series, 2-D array or DataFrame
        Streams over the same years (a 2-D input is one component per row; rows are summed).
    rate : float, str, sequence or mapping
        Constant rate or schedule (see :func:`discount_factors`).
    convention : {"t0", "excel"}, keyword-only
        As in :func:`npv`.

    Returns
    -------
    float

    Notes
    -----
    BCR = Σ B_t DF_t / Σ C_t DF_t. Needs PV(costs) > 0.

    References
    ----------
    HM Treasury, *The Green Book* (benefit–cost ratio).
    """
    b = _total_stream("benefits", benefits)
    c = _total_stream("costs", costs)
    if len(b) != len(c):
        raise InputError(f"benefits and costs must cover the same years: {len(b)} vs {len(c)}",
                         argument="costs")
    pvb = npv(b, rate, convention=convention)
    pvc = npv(c, rate, convention=convention)
    if not pvc > 0:
        raise InputError("the present value of costs must be positive for a benefit–cost ratio",
                         argument="costs", value=pvc)
    return pvb / pvc


def _total_stream(name: str, x: Any) -> np.ndarray:
    arr, one, _ = _streams(name, x)
    return arr[0] if one else arr.sum(axis=0)


def payback(flows: Any, *, rate: Any = None) -> float:
    """Payback period (投资回收期), simple or discounted, in years from year 0.

    Parameters
    ----------
    flows : sequence or Series
        Net flows, years 0…n (outlays negative).
    rate : float, str, sequence or mapping, optional, keyword-only
        ``None`` (default) gives the simple payback; a rate or schedule gives the discounted
        payback (flows multiplied by DF_t first).

    Returns
    -------
    float
        Years until the cumulative (discounted) net flow first turns from negative to ≥ 0;
        0.0 when it is never negative; NaN when it never recovers.

    Notes
    -----
    Let S_t = Σ_{u≤t} f_u·DF_u (DF ≡ 1 for the simple payback). If T is the first year with
    S_T ≥ 0 after the cumulative sum has been negative, the flow of year T is taken to arrive
    evenly through that year (linear interpolation):
    payback = (T − 1) + (−S_{T−1}) / (S_T − S_{T−1}).
    Later dips below zero (e.g. a decommissioning outlay) are not considered; look at NPV.

    References
    ----------
    Standard capital-budgeting definition, e.g. Brealey, Myers & Allen, *Principles of Corporate
    Finance*, ch. 5.
    """
    arr, _ = _stream("flows", flows)
    if rate is not None:
        arr = arr * _dfs(len(arr) - 1, rate, "rate")
    return _payback_from_cum(np.cumsum(arr))


def _payback_from_cum(cum: np.ndarray) -> float:
    """Payback from cumulative (discounted) net flows S_0 … S_n; see :func:`payback`."""
    neg = np.flatnonzero(cum < 0)
    if len(neg) == 0:
        return 0.0
    after = np.flatnonzero((cum >= 0) & (np.arange(len(cum)) > neg[0]))
    if len(after) == 0:
        return math.nan
    t = int(after[0])
    return float((t - 1) + (-cum[t - 1]) / (cum[t] - cum[t - 1]))
