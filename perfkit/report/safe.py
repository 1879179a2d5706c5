"""Neutralise spreadsheet formula injection (CSV/Excel injection) in everything perfkit writes.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and openpyxl (which would even *store* ``"=cmd|..."`` as a formula).
Project names, indicator names and reasons come from user workbooks, so every ``.xlsx`` and
``.csv`` that perfkit writes passes its text cells through one of:

* :func:`neutralise_cell` (one value) / :func:`safe_frame` (a DataFrame) — such text gets a
  literal leading apostrophe ``'`` (OWASP's advice). Use it for CSV and for ``DataFrame.to_excel``.
* :func:`set_cell` — for cells written with openpyxl: the text is stored *as a string* with
  Excel's own quote prefix (exactly what Excel records when a user types ``'=…``), so it is
  never evaluated and still reads ``=0次`` (a legitimate 年度指标值 for an "equal" target)
  instead of ``'=0次``, and reads back unchanged.

Numbers are never touched — a value meant as a number must be passed as a number.
"""
from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

__all__ = ["FORMULA_PREFIXES", "neutralise_cell", "safe_frame", "set_cell"]

#: first characters that make a spreadsheet treat text as a formula (OWASP CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PATTERN = r"^[=+\-@\t\r]"


def neutralise_cell(value: Any) -> Any:
    """Return ``value`` made safe for a spreadsheet cell.

    Parameters
    ----------
    value : Any
        A cell value. Only ``str`` is changed; numbers, booleans, dates and ``None`` pass through.

    Returns
    -------
    Any
        ``"'" + value`` if ``value`` is a string starting with ``= + - @``, a tab or a carriage
        return; otherwise ``value`` itself.

    Examples
    --------
    >>> neutralise_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise_cell(-5), neutralise_cell("-5"), neutralise_cell("学生营养")
    (-5, "'-5", '学生营养')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_series(s: pd.Series) -> pd.Series:
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        s = s.astype(object)
        dtype = s.dtype
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        # a pandas string column: every value is a str or missing — vectorised
        mask = s.str.contains(_PATTERN, regex=True, na=False)
        return s.mask(mask, "'" + s) if mask.any() else s
    if pd.api.types.is_object_dtype(dtype):
        return s.map(neutralise_cell)
    return s


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells, column labels and index labels are neutralised.

    Numeric, boolean and datetime columns are returned unchanged; object and string columns go
    through :func:`neutralise_cell`. The input is never modified.
    """
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        new = _safe_series(col)
        if new is not col:
            out.isetitem(i, new)
    out.columns = _safe_index(out.columns)
    out.index = _safe_index(out.index)
    return out


def _safe_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_safe_index(level) for level in index.levels],
                                verify_integrity=False)
    if pd.api.types.is_object_dtype(index.dtype) or pd.api.types.is_string_dtype(index.dtype):
        return index.map(neutralise_cell)
    return index


def set_cell(cell, value: Any):
    """Assign ``value`` to an openpyxl ``cell`` with no possible formula; return the cell.

    Numbers (not bool) and None are assigned as they are (NaN/inf become empty); dates and
    booleans too. Any other value is converted to text, cleaned of the control characters Excel
    forbids, and — if it would be read as a formula (see :data:`FORMULA_PREFIXES`) — stored as a
    string with the cell's ``quotePrefix`` set.
    """
    if hasattr(value, "dtype") and hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if value is None or isinstance(value, (bool, _dt.date, _dt.datetime, _dt.time)):
        cell.value = value
        return cell
    if isinstance(value, (int, float)):
        cell.value = value if (isinstance(value, int) or math.isfinite(value)) else None
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    if neutralise_cell(text) is not text:
        cell.data_type = "s"        # never "f" (formula)
        cell.quotePrefix = True
    return cell
