"""Reports: figures, tables, HTML and Excel output, zh/en labels. It presents, never scores.

The input of every function here is a plain dict: the content of ``results.json`` written by the
scoring layer. Heavy modules (matplotlib, nbconvert, openpyxl) load only when first used::

    from perfkit.report import indicator_scores_chart, render_results_html, write_self_eval_table
"""
from __future__ import annotations

import importlib

from .labels import LANGS, flag_message, grade_label, label, value_label
from .safe import neutralise_cell, safe_frame, set_cell

__all__ = [
    # labels / safe
    "LANGS", "label", "value_label", "grade_label", "flag_message",
    "neutralise_cell", "safe_frame", "set_cell",
    # fonts
    "cjk_font_path", "use_cjk_font",
    # figures
    "indicator_scores_chart", "level1_chart", "figure_bytes", "save_figure",
    # html
    "export_html", "render_results_html", "find_external_refs",
    # xlsx
    "write_self_eval_table", "write_summary",
    # pdf (optional extra: pip install 'perfkit[pdf]')
    "export_pdf", "pdf_available",
]

_LAZY = {
    "cjk_font_path": "fonts", "use_cjk_font": "fonts",
    "indicator_scores_chart": "figures", "level1_chart": "figures",
    "figure_bytes": "figures", "save_figure": "figures",
    "export_html": "html", "render_results_html": "html", "find_external_refs": "html",
    "write_self_eval_table": "xlsx", "write_summary": "xlsx",
    "export_pdf": "pdf", "pdf_available": "pdf",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
