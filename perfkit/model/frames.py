"""Small helpers on the tables of a :class:`~perfkit.model.workbook.Workbook`.

- :func:`norm_ids` — a copy with ``project_id`` as text and ``year`` numeric;
- :func:`located` — one :class:`~perfkit.errors.Problem` per marked row, located by the hidden
  ``_sheet`` and ``_row`` columns (sheet and row as the user sees them in Excel);
- :func:`numeric_figures` — figure columns coerced to numbers, every cell that is not a number
  and every negative number reported as a problem.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from ..errors import Collector, Problem
from .workbook import ROW, SHEET

__all__ = ["norm_ids", "located", "numeric_figures", "BLANK_CELLS"]

#: cell texts that mean "no figure" (read as missing, not as an error)
BLANK_CELLS = ("", "-", "—", "/")


def norm_ids(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with ``project_id`` as text and ``year`` numeric (NaN where not a number)."""
    df = df.copy()
    if "project_id" in df:
        df["project_id"] = df["project_id"].astype(str)
    if "year" in df:
        df["year"] = pd.to_numeric(df["year"], errors="coerce")
    return df


def located(df: pd.DataFrame, mask: Any, rule: str, *, column: str | None = None,
            values: pd.Series | None = None, file: str | None = None,
            sheet: str | None = None) -> list[Problem]:
    """One problem per row of ``df`` where ``mask`` is true, in row order.

    Parameters
    ----------
    df : DataFrame
        A workbook table; its ``_sheet`` and ``_row`` columns (when present) locate each row.
    mask : boolean array-like aligned with ``df``
    rule : str
        The rule broken.
    column : str, keyword-only, optional
        The column as the user knows it (its Chinese header).
    values : Series aligned with ``df``, keyword-only, optional
        The value shown for each row (``found …``); none when omitted.
    file : str, keyword-only, optional
    sheet : str, keyword-only, optional
        The sheet to name when ``df`` has no ``_sheet`` column.
    """
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    sheets = df[SHEET].iloc[pos].tolist() if SHEET in df else [sheet] * len(pos)
    rows = df[ROW].iloc[pos].tolist() if ROW in df else [None] * len(pos)
    return [Problem(rule=rule, file=file, sheet=sheet,
                    row=int(row) if row is not None and pd.notna(row) else None, column=column,
                    value=None if values is None else values.iloc[k])
            for k, sheet, row in zip(pos, sheets, rows)]


def numeric_figures(df: pd.DataFrame, columns: Iterable[str], *, label: Callable[[str], str],
                    problems: Collector, file: str | None = None) -> pd.DataFrame:
    """A copy of ``df`` with ``columns`` as floats; bad cells are added to ``problems``.

    Blank cells and the texts of :data:`BLANK_CELLS` become NaN. Every other cell that is not a
    number (``must be a number``, showing the cell) and every negative number (``must not be
    negative``) is reported with its sheet, row and ``label(column)`` — column by column, the
    non-numbers of a column before its negatives.
    """
    out = df.copy()
    for c in columns:
        raw = df[c]
        val = pd.to_numeric(raw, errors="coerce")
        blank = raw.isna() | raw.astype(str).str.strip().isin(BLANK_CELLS)
        problems.extend(located(df, val.isna() & ~blank, "must be a number", column=label(c),
                                values=raw, file=file))
        problems.extend(located(df, val < 0, "must not be negative", column=label(c),
                                values=val.astype(object), file=file))  # Python floats
        out[c] = val.astype(float)
    return out
