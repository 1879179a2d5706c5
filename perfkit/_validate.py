"""Argument checks shared by methods and scoring. Each raises InputError naming the argument."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["check_option", "as_frame", "as_matrix", "check_numeric_columns", "as_series",
           "as_weights", "check_finite", "check_nonnegative", "check_positive",
           "check_probability", "DIRECTION_WORDS"]

#: what a ``direction`` argument may say: higher is better (正向) or lower is better (逆向)
DIRECTION_WORDS = {
    "higher": "higher", "lower": "lower",
    ">=": "higher", "≥": "higher", "正向": "higher", "positive": "higher",
    "<=": "lower", "≤": "lower", "逆向": "lower", "反向": "lower", "reverse": "lower",
}


def check_option(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    allowed = tuple(allowed)
    if value not in allowed:
        raise InputError(f"must be one of {', '.join(map(repr, allowed))}", argument=name,
                         value=value)
    return value


def as_frame(name: str, data: Any, *, numeric: bool = True, min_rows: int = 1) -> pd.DataFrame:
    """Coerce to a DataFrame (Series → one column); check it is numeric and non-empty."""
    if isinstance(data, pd.Series):
        data = data.to_frame()
    elif not isinstance(data, pd.DataFrame):
        try:
            arr = np.asarray(data, dtype=float)
        except (TypeError, ValueError):
            raise InputError("must be a DataFrame or a 2-D numeric array", argument=name) from None
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise InputError(f"must be 2-D, got {arr.ndim}-D", argument=name)
        data = pd.DataFrame(arr)
    if len(data) < min_rows:
        raise InputError(f"needs at least {min_rows} row(s), got {len(data)}", argument=name)
    if numeric:
        bad = [c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])]
        if bad:
            raise InputError(f"columns must be numeric; not numeric: {bad}", argument=name)
        data = data.astype(float)
    return data


def as_matrix(name: str, data: Any, *, what: str, row_vector: bool = True) -> pd.DataFrame:
    """A 2-D argument (``what``, e.g. ``"items × experts"``) as a DataFrame.

    A DataFrame is returned as it is (labels kept; see :func:`check_numeric_columns`); anything
    else is converted to floats (``must be numeric``), a 1-D array becoming one row when
    ``row_vector``, and must then be 2-D (``must be 2-D (<what>), got <n>-D``).
    """
    if isinstance(data, pd.DataFrame):
        return data
    try:
        arr = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise InputError("must be numeric", argument=name) from None
    if row_vector and arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise InputError(f"must be 2-D ({what}), got {arr.ndim}-D", argument=name)
    return pd.DataFrame(arr)


def check_numeric_columns(name: str, df: pd.DataFrame) -> None:
    """Every column of ``df`` must have a numeric dtype (the error names up to five that do
    not)."""
    bad = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise InputError("columns must be numeric", argument=name, value=bad[:5])


def as_series(name: str, data: Any, *, min_len: int = 1) -> pd.Series:
    if isinstance(data, pd.DataFrame):
        if data.shape[1] != 1:
            raise InputError("must be one-dimensional", argument=name)
        data = data.iloc[:, 0]
    if not isinstance(data, pd.Series):
        try:
            data = pd.Series(np.asarray(data, dtype=float))
        except (TypeError, ValueError):
            raise InputError("must be a Series or a 1-D numeric array", argument=name) from None
    if data.ndim != 1:
        raise InputError("must be one-dimensional", argument=name)
    if len(data) < min_len:
        raise InputError(f"needs at least {min_len} value(s), got {len(data)}", argument=name)
    if not pd.api.types.is_numeric_dtype(data):
        try:
            data = data.astype(float)
        except (TypeError, ValueError):
            raise InputError("must be numeric", argument=name) from None
    return data.astype(float)


def as_weights(name: str, data: Any, *, n: int | None = None, per: str = "item") -> np.ndarray:
    """Weights as a flat float array: numeric (``must be numeric``), ``n`` of them when given
    (``must have one weight per <per> (<n>), got <m>``), finite and non-negative."""
    try:
        w = np.asarray(data, dtype=float).ravel()
    except (TypeError, ValueError):
        raise InputError("must be numeric", argument=name) from None
    if n is not None and w.size != n:
        raise InputError(f"must have one weight per {per} ({n}), got {w.size}", argument=name)
    if not np.isfinite(w).all() or (w < 0).any():
        raise InputError("must be finite and non-negative", argument=name)
    return w


def _first_bad(values: np.ndarray, mask: np.ndarray, labels) -> str:
    idx = np.argwhere(mask)[0]
    if labels is not None and len(idx) >= 1:
        try:
            return f" at {labels[idx[0]]!r}"
        except Exception:  # noqa: BLE001 - labels are a courtesy
            pass
    return ""


def check_finite(name: str, data: Any) -> None:
    arr = np.asarray(data, dtype=float)
    mask = ~np.isfinite(arr)
    if mask.any():
        labels = getattr(data, "index", None)
        raise InputError("must not contain NaN or infinite values"
                         + _first_bad(arr, mask, labels), argument=name)


def check_nonnegative(name: str, data: Any) -> None:
    check_finite(name, data)
    arr = np.asarray(data, dtype=float)
    if (arr < 0).any():
        raise InputError("must not be negative" + _first_bad(arr, arr < 0, getattr(data, "index", None)),
                         argument=name)


def check_positive(name: str, data: Any) -> None:
    check_finite(name, data)
    arr = np.asarray(data, dtype=float)
    if (arr <= 0).any():
        raise InputError("must be strictly positive"
                         + _first_bad(arr, arr <= 0, getattr(data, "index", None)), argument=name)


def check_probability(name: str, value: float, *, open_interval: bool = True) -> float:
    v = float(value)
    ok = (0 < v < 1) if open_interval else (0 <= v <= 1)
    if not ok:
        raise InputError("must lie in (0, 1)" if open_interval else "must lie in [0, 1]",
                         argument=name, value=value)
    return v
