"""The Workbook container: the tidy tables of one district over one or more years."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import pandas as pd

from ..errors import InputError
from .schema import TABLES

__all__ = ["Workbook", "ROW", "SHEET", "excel_row"]

#: hidden column holding the row number as the user sees it in Excel / the CSV file (1-based,
#: header row included), so that every later error can point back at the input
ROW = "_row"
#: hidden column holding the sheet (or CSV file) name the row came from
SHEET = "_sheet"


def excel_row(record) -> int | None:
    """The row of a record (one row of a table, a Series or a mapping) as the user sees it in
    Excel — its ``_row`` — for error messages; None when the record has none."""
    v = record.get(ROW)
    return int(v) if v is not None and pd.notna(v) else None


@dataclass(frozen=True, eq=False)
class Workbook:
    """Validated input tables with canonical (English) column names.

    Attributes
    ----------
    tables : mapping of table name → DataFrame; every frame carries ``_row`` and ``_sheet``.
        Tables that are optional and absent are empty frames with the schema's columns.
    source : the path the workbook was read from ("" when built in memory).
    """

    tables: Mapping[str, pd.DataFrame]
    source: str = ""
    meta: Mapping[str, object] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def years(self) -> list[int]:
        p = self.tables.get("projects")
        return sorted(int(y) for y in p["year"].dropna().unique()) if p is not None else []

    @property
    def project_ids(self) -> list[str]:
        return sorted(self.tables["projects"]["project_id"].unique())

    def latest_year(self) -> int:
        if not self.years:
            raise InputError("the workbook holds no projects", file=self.source or None)
        return self.years[-1]

    def select(self, *, years: Iterable[int] | None = None,
               project_ids: Iterable[str] | None = None) -> "Workbook":
        """A workbook restricted to some years and/or projects (departments, townships kept)."""
        ys = None if years is None else {int(y) for y in years}
        ids = None if project_ids is None else {str(p) for p in project_ids}
        out = {}
        for name, df in self.tables.items():
            mask = pd.Series(True, index=df.index)
            if ys is not None and "year" in df:
                mask &= df["year"].isin(ys)
            if ids is not None and "project_id" in df:
                mask &= df["project_id"].isin(ids)
            out[name] = df[mask]
        return Workbook(out, self.source, self.meta)

    def where(self, table: str, row_index) -> dict:
        """File/sheet/row of a row of a table, for error messages."""
        df = self.tables[table]
        r = df.loc[row_index]
        return {"file": self.source or None, "sheet": r.get(SHEET), "row": excel_row(r)}

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame], source: str = "") -> "Workbook":
        """Build from in-memory frames that already use canonical names (no validation)."""
        out = {}
        for name, t in TABLES.items():
            df = frames.get(name)
            if df is None:
                df = pd.DataFrame(columns=list(t.names))
            df = df.copy()
            if ROW not in df:
                df[ROW] = range(2, len(df) + 2)
            if SHEET not in df:
                df[SHEET] = name
            out[name] = df.reset_index(drop=True)
        return cls(out, source)
