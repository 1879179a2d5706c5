"""The department scope of a cycle stage (``department=`` of :mod:`.application` and
:mod:`.monitoring`): which rows of a table belong to one department, looked up by id or name.

A stage called with ``department=`` reports on that department's projects and records the
department in its result's ``.department`` (``{"department_id", "department"}``; ``None`` for
the district); :func:`scope_lines` gives the line its ``summary()`` prints.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["department_scope", "scope_lines"]


def _text_col(frame: pd.DataFrame, col: str) -> pd.Series | None:
    if col not in frame:
        return None
    s = frame[col]
    return s.where(s.isna(), s.astype(str)).astype(object)


def department_scope(frame: pd.DataFrame, department: Any, *, what: str = "projects",
                     year: int | None = None, file: str | None = None,
                     argument: str = "department") -> tuple[dict, np.ndarray]:
    """The rows of ``frame`` that belong to one department, and the department's id and name.

    Parameters
    ----------
    frame : DataFrame
        A table with a ``department_id`` and/or a ``department`` (name) column.
    department : str
        A department id, or its name: ``department_id`` is matched first, else the name.
    what : str, keyword-only
        The table's name, for the messages ("projects", "scores").
    year : int, optional, keyword-only
        The year the table was restricted to, for the messages.
    file, argument : keyword-only
        Where the error points (the workbook; the argument that took ``department``).

    Returns
    -------
    (dict, ndarray of bool)
        ``{"department_id", "department"}`` (the id is None when the table has no id column;
        the name falls back on the id) and the mask of the department's rows.

    Raises
    ------
    InputError
        ``department`` is not a non-empty text; the table has neither column; no row matches
        (the message names the table and lists its departments); a name matches several
        department ids.
    """
    if not isinstance(department, str) or not department.strip():
        raise InputError("must be a department id or name (text)", argument=argument,
                         value=department)
    d = department.strip()
    ids, names = _text_col(frame, "department_id"), _text_col(frame, "department")
    if ids is None and names is None:
        raise InputError(f"the {what} have no department_id or department column to select a "
                         "department by", argument=argument, value=d, file=file)
    none = pd.Series(False, index=frame.index)
    mask = ids.eq(d).fillna(False) if ids is not None else none
    if not mask.any() and names is not None:
        mask = names.eq(d).fillna(False)
        if ids is not None and ids[mask].nunique() > 1:
            raise InputError(f"the name {d!r} belongs to several departments "
                             f"({', '.join(sorted(ids[mask].dropna().unique()))}): use the id",
                             argument=argument, value=d, file=file)
    if not mask.any():
        known = sorted((ids if ids is not None else names).dropna().unique())
        shown = ", ".join(known[:40]) + (f" … ({len(known)})" if len(known) > 40 else "")
        raise InputError(f"no project of department {d!r}"
                         + (f" in {year}" if year is not None else "")
                         + f" in the {what} table; departments: {shown or '—'}",
                         argument=argument, value=d, file=file)
    did = ids[mask].dropna() if ids is not None else pd.Series(dtype=object)
    nm = names[mask].dropna() if names is not None else pd.Series(dtype=object)
    did = str(did.iloc[0]) if len(did) else None
    return ({"department_id": did, "department": str(nm.iloc[0]) if len(nm) else did or d},
            mask.to_numpy(dtype=bool))


def scope_lines(scope: dict | None) -> list[str]:
    """The ``summary()`` line naming the department of a result (none for the district)."""
    if not scope:
        return []
    did, name = scope.get("department_id"), scope.get("department")
    return [f"department: {did} {name}" if did and name and did != name
            else f"department: {did or name}"]
