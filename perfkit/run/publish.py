"""Called from inside a report notebook: write results.json and the tables of a result."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from .manifest import write_json
from .paths import check_id, output_root

__all__ = ["publish", "register_writer"]

#: result type name → writer(results_dict, output_dir, lang) for its tables
_WRITERS: dict[str, Callable] = {}


def register_writer(type_name: str, writer: Callable) -> None:
    _WRITERS[type_name] = writer


def _self_eval_tables(d: dict, out: Path, lang: str) -> None:
    from ..report.xlsx import write_self_eval_table
    write_self_eval_table(d, out / "self_evaluation_table.xlsx", lang=lang)


register_writer("ProjectSelfEvaluation", _self_eval_tables)


def publish(result, output_dir: str | Path | None = None, *, lang: str = "zh",
            results: dict | None = None, tables: Mapping[str, pd.DataFrame] | None = None,
            docx: dict | None = None) -> Path:
    """Write ``results.json`` and the result's tables (and Word report) into ``output_dir``.

    Parameters
    ----------
    result : Result
        Its ``to_dict()`` is ``results.json`` unless ``results`` is given.
    output_dir : path, optional
        When run by ``perfkit run``/``batch``, the staging folder of the report; interactively
        it defaults to ``outputs/interactive/<subject-id>``.
    results : dict, optional
        The dict to write as results.json (every number the report states), when a notebook
        combines several results. Must contain ``subject_id``.
    tables : mapping name → DataFrame, optional
        Written together as ``tables.xlsx`` (one sheet each, formula-like text neutralised).
    docx : dict, optional
        A report outline for :func:`perfkit.report.docx.write_docx` → ``report.docx``.
    """
    d = results if results is not None else result.to_dict()
    if output_dir is None:
        output_dir = output_root() / "interactive" / check_id(str(d.get("subject_id", "result")))
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_json(d, out / "results.json")
    writer = _WRITERS.get(type(result).__name__) if result is not None else None
    if writer is not None:
        writer(d, out, lang)
    if tables:
        from ..report.xlsx import write_tables
        write_tables(dict(tables), out / "tables.xlsx", lang=lang)
    if docx is not None:
        from ..report.docx import write_docx
        write_docx(docx, out / "report.docx", lang=lang)
    return out
