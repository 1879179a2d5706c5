"""Called from inside a report notebook: write results.json and the tables of a result."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

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


def publish(result, output_dir: str | Path | None = None, *, lang: str = "zh") -> Path:
    """Write ``results.json`` (``result.to_dict()``) and the result's tables into ``output_dir``.

    When run by ``perfkit run``/``batch``, ``output_dir`` is the staging folder of the report;
    interactively it defaults to ``outputs/interactive/<subject-id>``.
    """
    d = result.to_dict()
    if output_dir is None:
        output_dir = output_root() / "interactive" / check_id(str(d.get("subject_id", "result")))
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_json(d, out / "results.json")
    writer = _WRITERS.get(type(result).__name__)
    if writer is not None:
        writer(d, out, lang)
    return out
