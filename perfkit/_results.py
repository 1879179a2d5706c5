"""The base of every result object perfkit returns.

Results are ``@dataclass(frozen=True, eq=False)`` subclasses of :class:`Result`. They hold full
precision; rounding happens only in presentation (``summary()``, ``_repr_html_``, ``report/``).
Each result offers ``summary()`` (text), ``to_frame()`` (a tidy DataFrame with documented, fixed
columns), ``to_dict()`` (JSON-safe, what goes into ``results.json``) and a notebook display.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import html
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Result", "jsonable"]


def jsonable(obj: Any) -> Any:
    """Convert numpy/pandas objects into plain JSON-safe Python (NaN/inf become None)."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if isinstance(obj, Result):
        return obj.to_dict()
    if isinstance(obj, pd.DataFrame):
        df = obj.reset_index() if not isinstance(obj.index, pd.RangeIndex) else obj
        return [{str(k): jsonable(v) for k, v in row.items()} for row in df.to_dict("records")]
    if isinstance(obj, pd.Series):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (_dt.date, _dt.datetime, pd.Timestamp)):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj):
        return {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if obj is pd.NA or obj is pd.NaT:
        return None
    return str(obj)


@dataclasses.dataclass(frozen=True, eq=False)
class Result:
    """Shared behaviour of result objects. Subclasses override ``to_frame`` and ``_summary_lines``."""

    #: a short title used by summary() and the HTML display; subclasses set it as a ClassVar
    title = "Result"

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def _summary_lines(self) -> list[str]:
        """Key: value lines for summary(); default lists scalar fields."""
        out = []
        for f in dataclasses.fields(self):
            if f.name.startswith("_"):
                continue
            v = getattr(self, f.name)
            if isinstance(v, (int, float, np.floating, np.integer, str, bool)) or v is None:
                if isinstance(v, (float, np.floating)):
                    v = f"{v:.6g}"
                out.append(f"{f.name}: {v}")
        return out

    def summary(self) -> str:
        lines = [self.title, "=" * len(self.title), *self._summary_lines()]
        try:
            frame = self.to_frame()
        except NotImplementedError:
            frame = None
        if frame is not None and len(frame):
            with pd.option_context("display.max_rows", 40, "display.width", 120,
                                   "display.float_format", "{:.6g}".format):
                lines += ["", frame.to_string()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head = "".join(f"<li>{html.escape(s)}</li>" for s in self._summary_lines())
        try:
            frame = self.to_frame()
            table = frame.head(50).to_html(float_format=lambda x: f"{x:.6g}", escape=True)
        except NotImplementedError:
            table = ""
        return (f"<div class='perfkit-result'><strong>{html.escape(self.title)}</strong>"
                f"<ul>{head}</ul>{table}</div>")

    def to_dict(self) -> dict:
        out = {"type": type(self).__name__}
        for f in dataclasses.fields(self):
            if f.name.startswith("_"):
                continue
            out[f.name] = jsonable(getattr(self, f.name))
        return out
