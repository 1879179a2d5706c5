"""Numbers as text for the explanations (说明) that results carry.

Full precision stays in the numbers; these helpers only write them for people. The Series
helpers are vectorised (numpy string operations, no per-row loops) and keep the index; a NaN
reads ``—``.

============================  ==========================================  ================
helper                        writes                                      example
============================  ==========================================  ================
:func:`num` (Series)          trailing zeros trimmed                      0.40 → ``0.4``
:func:`fixed` (Series)        a fixed number of decimals                  4 → ``4.0``
:func:`pct` (Series)          a rate as a percentage, zeros trimmed       0.5 → ``50%``
:func:`pct_fixed` (Series)    a rate as a percentage, fixed decimals      0.5 → ``50.0%``
:func:`cat` (Series)          Series and scalars joined element-wise      ``"a", s`` → …
:func:`num_str` (scalar)      like :func:`num`, for one number            12.50 → ``12.5``
:func:`param` (scalar)        a rule parameter, 6 significant digits      10.0 → ``10``
:func:`param_pct` (scalar)    a rate parameter as a percentage            0.1 → ``10%``
============================  ==========================================  ================

:func:`flag` writes the flags that results list (a code and its Chinese and English message).
"""
from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
import pandas as pd

__all__ = ["num", "fixed", "pct", "pct_fixed", "cat", "num_str", "param", "param_pct", "flag"]

#: how a missing number reads
MISSING = "—"


def _series(x: Any) -> pd.Series:
    return x if isinstance(x, pd.Series) else pd.Series(x)


def num(x: Any, digits: int = 2) -> pd.Series:
    """Numbers rounded to ``digits`` decimals with trailing zeros trimmed (0.40 → 0.4, 5.00 → 5,
    −0.001 → 0); NaN → —."""
    s = _series(x)
    arr = np.asarray(s, dtype=float)
    out = np.char.mod(f"%.{digits}f", np.nan_to_num(arr))
    if digits > 0:
        out = np.char.rstrip(np.char.rstrip(out, "0"), ".")
    out = np.where(out == "-0", "0", out)
    out = np.where(np.isnan(arr), MISSING, out)
    return pd.Series(out, index=s.index, dtype=object)


def fixed(x: Any, digits: int = 1) -> pd.Series:
    """Numbers with a fixed number of decimals (4 → 4.0); NaN → —."""
    s = _series(x)
    arr = np.asarray(s, dtype=float)
    out = np.char.mod(f"%.{digits}f", np.nan_to_num(arr))
    out = np.where(np.isnan(arr), MISSING, out)
    return pd.Series(out, index=s.index, dtype=object)


def pct(x: Any, digits: int = 1) -> pd.Series:
    """Rates as percentages with trailing zeros trimmed (0.5 → 50%, 0.1234 → 12.3%)."""
    return num(_series(x).astype(float) * 100.0, digits) + "%"


def pct_fixed(x: Any, digits: int = 1) -> pd.Series:
    """Rates as percentages with a fixed number of decimals (0.5 → 50.0%)."""
    return fixed(_series(x) * 100.0, digits) + "%"


def cat(*parts: Any) -> pd.Series:
    """Element-wise concatenation of Series (at least one) and scalars into a text Series."""
    idx = next(p.index for p in parts if isinstance(p, pd.Series))
    out = np.full(len(idx), "", dtype=str)
    for p in parts:
        out = np.char.add(out, p.to_numpy().astype(str) if isinstance(p, pd.Series) else str(p))
    return pd.Series(out, index=idx, dtype=object)


def num_str(x: float | None, digits: int = 2) -> str:
    """One number as :func:`num` writes it; None, NaN and ±inf → —."""
    if x is None or not math.isfinite(x):
        return MISSING
    out = f"{float(x):.{digits}f}"
    if digits > 0:
        out = out.rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


def param(v: float) -> str:
    """A scalar rule parameter for text (0.1 → 0.1, 10.0 → 10)."""
    return f"{float(v):.6g}"


def param_pct(v: float) -> str:
    """A scalar rate parameter as a percentage (0.1 → 10%)."""
    return f"{float(v) * 100:.6g}%"


def flag(messages: Mapping[str, tuple[str, str]], code: str, **kw: Any) -> dict:
    """A flag ``{code, message, message_en}`` from ``messages``: code → (Chinese, English)
    templates, filled with ``kw``."""
    zh, en = messages[code]
    return {"code": code, "message": zh.format(**kw), "message_en": en.format(**kw)}
