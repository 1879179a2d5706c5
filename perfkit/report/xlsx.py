"""Excel tables: the official self-evaluation form (项目支出绩效自评表) and batch summaries.

:func:`write_self_eval_table` lays out the 财预〔2020〕10号 附件1 form as used locally
(domain.md §9.1) from the ``results.json`` dict, with openpyxl: numbers stay numbers with a
display format, text is wrapped, borders are thin, and the page prints on A4 landscape, one page
wide. :func:`write_summary` writes a batch summary DataFrame as .xlsx and as UTF-8-BOM .csv.
Every cell is written through :func:`perfkit.report.safe.set_cell`: text that a spreadsheet would
read as a formula (``= + - @``, tab, CR) is stored as a string with Excel's quote prefix, so it is
inert yet still reads ``=0次``; the CSV summary carries a literal leading ``'`` instead
(:func:`perfkit.report.safe.safe_frame`).

Layout of the form sheet (9 columns, A–I)::

    项目支出绩效自评表 / （2024年度）
    项目名称 | ……………………………………………………………………………………
    主管部门 | ……………… | 实施单位 | ……………………………
    项目资金  |         | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    （万元）  | 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金
    年度总体目标 | 预期目标 (B–E) | 实际完成情况 (F–I)
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    总分 | 100 | total ; 评价等级 ; 存在问题 ; 改进措施 ; 项目负责人 / 财务负责人 ; note
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import InputError
from ..model.schema import FUND_SOURCES
from .labels import (localise, as_number, flag_message, grade_label, label, runs, value_label)
from .safe import safe_frame, set_cell

__all__ = ["write_self_eval_table", "write_summary", "FORM_COLUMNS"]

#: the nine columns of the form sheet and their widths (Excel character units)
FORM_COLUMNS = {"A": 12, "B": 12, "C": 14, "D": 22, "E": 14, "F": 14, "G": 9, "H": 9, "I": 34}
_FULL_MARK = 100.0          # the form's 总分 分值: totals are on a 100-point scale (domain.md §4.1)
_NUM = "0.00"
_PCT = "0.0%"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=False)


def _font_name(lang: str) -> str:
    return "宋体" if lang == "zh" else "Arial"


def _width_units(text: str) -> int:
    """Display width in Excel character units (CJK and full-width characters count double)."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text)


def _lines(text: Any, width: float) -> int:
    if text is None or text == "":
        return 1
    return sum(max(1, math.ceil(_width_units(p) / max(width - 1, 1)))
               for p in str(text).split("\n"))


class _Form:
    """Writes the form sheet row by row, keeping the styling in one place."""

    def __init__(self, ws: Worksheet, lang: str):
        self.ws, self.lang, self.row = ws, lang, 1
        self.font = Font(name=_font_name(lang), size=10.5)
        self.bold = Font(name=_font_name(lang), size=10.5, bold=True)

    def put(self, ref: str, value: Any, *, bold: bool = False, head: bool = False,
            align: Alignment = _CENTER, fmt: str | None = None, merge_to: str | None = None):
        ws = self.ws
        cell = set_cell(ws[ref], value)
        cell.font = self.bold if (bold or head) else self.font
        cell.alignment = align
        if head:
            cell.fill = _HEAD_FILL
        if fmt and isinstance(cell.value, (int, float)):
            cell.number_format = fmt
        if merge_to and merge_to != ref:
            ws.merge_cells(f"{ref}:{merge_to}")
        return cell

    def height(self, row: int, *texts_and_widths: tuple[Any, float], minimum: float = 20):
        lines = max([_lines(t, w) for t, w in texts_and_widths] or [1])
        self.ws.row_dimensions[row].height = max(minimum, 14.5 * lines + 5)

    def borders(self, first: int, last: int) -> None:
        for row in self.ws.iter_rows(min_row=first, max_row=last, min_col=1, max_col=9):
            for cell in row:
                cell.border = _BORDER


def _merged_width(*cols: str) -> float:
    return sum(FORM_COLUMNS[c] for c in cols)


def _source_rows(budget: dict) -> list[dict]:
    """The three official fund-source rows (in schema order), then any other source given."""
    given = {str(s.get("source")): s for s in (budget.get("sources") or []) if isinstance(s, dict)}
    rows = [given.get(name, {"source": name}) for name in FUND_SOURCES]
    rows += [s for name, s in given.items() if name not in FUND_SOURCES]
    return rows


def _form_sheet(ws: Worksheet, r: dict, lang: str) -> None:
    L = lambda key, **kw: label(key, lang, **kw)  # noqa: E731
    f = _Form(ws, lang)
    for col, width in FORM_COLUMNS.items():
        ws.column_dimensions[col].width = width

    # --- title ---------------------------------------------------------------------------
    title = ws["A1"]
    f.put("A1", L("title.self_eval_table"), merge_to="I1")
    title.font = Font(name="黑体" if lang == "zh" else "Arial", size=16, bold=True)
    ws.row_dimensions[1].height = 30
    year = r.get("year")
    f.put("A2", L("title.year", year=year) if year is not None else "", merge_to="I2")
    ws.row_dimensions[2].height = 18

    # --- header block ----------------------------------------------------------------------
    first = 3
    f.put("A3", L("field.name"), head=True)
    f.put("B3", r.get("name"), align=_LEFT, merge_to="I3")
    f.height(3, (r.get("name"), _merged_width(*"BCDEFGHI")))
    f.put("A4", L("field.department"), head=True)
    f.put("B4", r.get("department"), align=_LEFT, merge_to="D4")
    f.put("E4", L("field.implementing_unit"), head=True)
    f.put("F4", r.get("implementing_unit"), align=_LEFT, merge_to="I4")
    f.height(4, (r.get("department"), _merged_width("B", "C", "D")),
             (r.get("implementing_unit"), _merged_width("F", "G", "H", "I")))

    # --- 项目资金（万元） ------------------------------------------------------------------
    b = r.get("budget") or {}
    sources = _source_rows(b)
    top = 5
    bottom = top + 1 + len(sources)
    f.put(f"A{top}", L("section.budget"), head=True, merge_to=f"A{bottom}")
    f.put(f"B{top}", None, head=True, merge_to=f"C{top}")
    for col, key in zip("DEFGHI", ("budget.initial", "budget.adjusted", "budget.executed",
                                   "budget.weight", "budget.rate", "budget.score")):
        f.put(f"{col}{top}", L(key), head=True)
    row = top + 1
    f.put(f"B{row}", L("budget.total"), merge_to=f"C{row}")
    for col, key in zip("DEF", ("initial", "adjusted", "executed")):
        f.put(f"{col}{row}", as_number(b.get(key)), fmt=_NUM, align=_RIGHT)
    f.put(f"G{row}", as_number(b.get("weight")), fmt=_NUM, align=_RIGHT)
    f.put(f"H{row}", as_number(b.get("rate")), fmt=_PCT, align=_RIGHT)
    f.put(f"I{row}", as_number(b.get("score")), fmt=_NUM, align=_RIGHT)
    for k, s in enumerate(sources):
        row += 1
        name = str(value_label(s.get("source"), lang))
        f.put(f"B{row}", (L("budget.of_which") + name) if k == 0 else name, align=_LEFT,
              merge_to=f"C{row}")
        for col, key in zip("DEF", ("initial", "adjusted", "executed")):
            f.put(f"{col}{row}", as_number(s.get(key)), fmt=_NUM, align=_RIGHT)
        f.put(f"G{row}", "—")
        f.put(f"H{row}", as_number(s.get("rate")), fmt=_PCT, align=_RIGHT)
        f.put(f"I{row}", "—")

    # --- 年度总体目标 ----------------------------------------------------------------------
    row = bottom + 1
    f.put(f"A{row}", L("section.objective"), head=True, merge_to=f"A{row + 1}")
    f.put(f"B{row}", L("objective.expected"), head=True, merge_to=f"E{row}")
    f.put(f"F{row}", L("objective.achieved"), head=True, merge_to=f"I{row}")
    row += 1
    f.put(f"B{row}", r.get("objective"), align=_LEFT, merge_to=f"E{row}")
    f.put(f"F{row}", r.get("achievement"), align=_LEFT, merge_to=f"I{row}")
    f.height(row, (r.get("objective"), _merged_width(*"BCDE")),
             (r.get("achievement"), _merged_width(*"FGHI")), minimum=36)

    # --- 绩效指标 --------------------------------------------------------------------------
    inds = [i for i in (r.get("indicators") or []) if isinstance(i, dict)]
    head = row + 1
    f.put(f"A{head}", L("section.indicators"), head=True, merge_to=f"A{head + max(len(inds), 1)}")
    for col, key in zip("BCDEFGHI", ("ind.level1", "ind.level2", "ind.level3", "ind.target",
                                     "ind.actual", "ind.weight", "ind.score",
                                     "ind.deviation_reason")):
        f.put(f"{col}{head}", L(key), head=True)
    f.height(head, *((L(k), FORM_COLUMNS[c]) for c, k in zip(
        "BCDEFGHI", ("ind.level1", "ind.level2", "ind.level3", "ind.target", "ind.actual",
                     "ind.weight", "ind.score", "ind.deviation_reason"))))
    for k, ind in enumerate(inds):
        row = head + 1 + k
        na = bool(ind.get("not_applicable"))
        f.put(f"B{row}", value_label(ind.get("level1"), lang))
        f.put(f"C{row}", value_label(ind.get("level2"), lang))
        f.put(f"D{row}", ind.get("level3"), align=_LEFT)
        f.put(f"E{row}", ind.get("target_text"))
        f.put(f"F{row}", ind.get("actual_text"))
        f.put(f"G{row}", as_number(ind.get("weight")), fmt=_NUM, align=_RIGHT)
        if na:
            f.put(f"H{row}", L("misc.na"))
        else:
            f.put(f"H{row}", as_number(ind.get("score")), fmt=_NUM, align=_RIGHT)
        f.put(f"I{row}", ind.get("deviation_reason"), align=_LEFT)
        f.height(row, (ind.get("level3"), FORM_COLUMNS["D"]),
                 (ind.get("target_text"), FORM_COLUMNS["E"]),
                 (ind.get("actual_text"), FORM_COLUMNS["F"]),
                 (ind.get("deviation_reason"), FORM_COLUMNS["I"]))
    if not inds:
        f.put(f"B{head + 1}", None, merge_to=f"I{head + 1}")
    # 一级 merged over its rows, 二级 over its rows within the same 一级
    start = head + 1
    for n in runs([i.get("level1") for i in inds]):
        if n > 1:
            ws.merge_cells(f"B{start}:B{start + n - 1}")
        start += n
    start = head + 1
    for n in runs([(i.get("level1"), i.get("level2")) for i in inds]):
        if n > 1:
            ws.merge_cells(f"C{start}:C{start + n - 1}")
        start += n

    # --- footer ----------------------------------------------------------------------------
    row = head + max(len(inds), 1) + 1
    f.put(f"A{row}", L("footer.total"), head=True, merge_to=f"F{row}")
    f.put(f"G{row}", _FULL_MARK, fmt=_NUM, align=_RIGHT, bold=True)
    f.put(f"H{row}", as_number(r.get("total")), fmt=_NUM, align=_RIGHT, bold=True)
    f.put(f"I{row}", None)
    ws.row_dimensions[row].height = 22
    row += 1
    f.put(f"A{row}", L("footer.grade"), head=True)
    f.put(f"B{row}", grade_label(r.get("grade"), lang), bold=True, align=_LEFT, merge_to=f"I{row}")
    ws.row_dimensions[row].height = 22
    for key, field in (("footer.problems", "problems"), ("footer.measures", "measures")):
        row += 1
        f.put(f"A{row}", L(key), head=True)
        f.put(f"B{row}", r.get(field), align=_LEFT, merge_to=f"I{row}")
        f.height(row, (r.get(field), _merged_width(*"BCDEFGHI")), minimum=36)
    row += 1
    f.put(f"A{row}", L("footer.project_lead"), head=True)
    f.put(f"B{row}", None, merge_to=f"D{row}")
    f.put(f"E{row}", L("footer.finance_lead"), head=True)
    f.put(f"F{row}", None, merge_to=f"I{row}")
    ws.row_dimensions[row].height = 28
    f.borders(first, row)

    # provenance note under the table (outside the border)
    row += 1
    profile = r.get("profile") or {}
    prof = " ".join(str(p) for p in (profile.get("id"), profile.get("version")) if p) or "—"
    note = f.put(f"A{row}", L("footer.rule_note", profile=prof, sheet=L("sheet.detail")),
                 align=_LEFT, merge_to=f"I{row}")
    note.font = Font(name=_font_name(lang), size=9, italic=True, color="555555")

    _print_setup(ws, title_rows=None)
    ws.print_area = f"A1:I{row}"


def _print_setup(ws: Worksheet, *, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows


#: 评分明细 columns: (label key, results field, kind) — kind: text / num / raw / bool / flags
_DETAIL = (
    ("ind.level1", "level1", "value"), ("ind.level2", "level2", "value"),
    ("ind.level3", "level3", "text"), ("ind.kind", "kind", "value"),
    ("ind.direction", "direction", "value"), ("ind.unit", "unit", "text"),
    ("ind.target", "target_text", "text"), ("ind.target_value", "target", "raw"),
    ("ind.actual", "actual_text", "text"), ("ind.actual_value", "actual", "raw"),
    ("ind.weight", "weight", "num"), ("ind.rule_score", "score", "num"),
    ("ind.awarded", "awarded", "num"), ("ind.awarded_diff", "awarded_diff", "num"),
    ("ind.not_applicable", "not_applicable", "bool"), ("ind.rating", "rating", "value"),
    ("ind.explanation", "explanation", "text"),
    ("ind.deviation_reason", "deviation_reason", "text"), ("ind.flags", "flags", "flags"),
)
_DETAIL_WIDTHS = (12, 14, 22, 8, 8, 8, 16, 11, 14, 11, 8, 9, 9, 10, 7, 10, 40, 34, 26)


def _detail_sheet(ws: Worksheet, r: dict, lang: str) -> None:
    font = Font(name=_font_name(lang), size=10)
    bold = Font(name=_font_name(lang), size=10, bold=True)
    yes, no = label("misc.yes", lang), label("misc.no", lang)
    for j, (key, _, _) in enumerate(_DETAIL, start=1):
        c = set_cell(ws.cell(row=1, column=j), label(key, lang))
        c.font, c.fill, c.alignment, c.border = bold, _HEAD_FILL, _CENTER, _BORDER
        ws.column_dimensions[get_column_letter(j)].width = _DETAIL_WIDTHS[j - 1]
    inds = [i for i in (r.get("indicators") or []) if isinstance(i, dict)]
    for k, ind in enumerate(inds, start=2):
        for j, (_, field, kind) in enumerate(_DETAIL, start=1):
            v = ind.get(field)
            if kind == "value":
                v = value_label(v, lang)
            elif kind == "num":
                v = as_number(v)
            elif kind == "raw":
                num = as_number(v)
                v = num if num is not None else (v if isinstance(v, str) else None)
            elif kind == "bool":
                v = yes if v else no
            elif kind == "flags":
                v = "；".join(flag_message(x, lang) for x in (v or [])) or None
            c = set_cell(ws.cell(row=k, column=j), v)
            c.font, c.border = font, _BORDER
            if kind == "num" and c.value is not None:
                c.number_format, c.alignment = _NUM, _RIGHT
            elif kind == "raw" and isinstance(c.value, (int, float)):
                c.alignment = _RIGHT
            else:
                c.alignment = _LEFT if kind in ("text", "flags") else _CENTER
    ws.freeze_panes = "D2"
    if inds:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(_DETAIL))}{len(inds) + 1}"
    _print_setup(ws, title_rows="1:1")


def _notes_sheet(ws: Worksheet, r: dict, lang: str) -> None:
    font = Font(name=_font_name(lang), size=10)
    bold = Font(name=_font_name(lang), size=10, bold=True)
    profile = r.get("profile") or {}
    rows = [("field.subject_id", r.get("subject_id")), ("field.name", r.get("name")),
            ("field.year", r.get("year")), ("field.department", r.get("department")),
            ("field.implementing_unit", r.get("implementing_unit")),
            ("field.budget_type", value_label(r.get("budget_type"), lang)),
            ("field.sector", r.get("sector")),
            ("field.profile", profile.get("id")), ("field.profile_version", profile.get("version")),
            ("field.profile_hash", profile.get("hash")),
            ("footer.total", as_number(r.get("total"))),
            ("footer.awarded_total", as_number(r.get("awarded_total"))),
            ("footer.applicable_weight", as_number(r.get("applicable_weight"))),
            ("footer.grade", grade_label(r.get("grade"), lang)),
            ("budget.execution", (r.get("budget") or {}).get("explanation"))]
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 22, 72
    for j, key in enumerate(("notes.item", "notes.value"), start=1):
        c = set_cell(ws.cell(row=1, column=j), label(key, lang))
        c.font, c.fill, c.border, c.alignment = bold, _HEAD_FILL, _BORDER, _CENTER
    for k, (key, value) in enumerate(rows, start=2):
        a = set_cell(ws.cell(row=k, column=1), label(key, lang))
        b = set_cell(ws.cell(row=k, column=2), value)
        for c in (a, b):
            c.font, c.border, c.alignment = font, _BORDER, _LEFT
        if isinstance(b.value, float):
            b.number_format = _NUM
    row = len(rows) + 3
    for j, key in enumerate(("notes.flag_code", "notes.flag_message"), start=1):
        c = set_cell(ws.cell(row=row, column=j), label(key, lang))
        c.font, c.fill, c.border, c.alignment = bold, _HEAD_FILL, _BORDER, _CENTER
    flags = [x for x in (r.get("flags") or [])]
    if not flags:
        set_cell(ws.cell(row=row + 1, column=1), label("notes.no_flags", lang)).font = font
    for k, flag in enumerate(flags, start=row + 1):
        code = flag.get("code") if isinstance(flag, dict) else flag
        a = set_cell(ws.cell(row=k, column=1), code)
        b = set_cell(ws.cell(row=k, column=2), flag_message(flag, lang))
        for c in (a, b):
            c.font, c.border, c.alignment = font, _BORDER, _LEFT
    _print_setup(ws, title_rows=None)
    ws.page_setup.orientation = "portrait"


def write_self_eval_table(results: dict, path: str | Path, *, lang: str = "zh") -> Path:
    """Write the 项目支出绩效自评表 (project self-evaluation form) as an .xlsx workbook.

    Parameters
    ----------
    results : dict
        The ``results.json`` content of a project self-evaluation.
    path : str or Path
        The .xlsx to write (its folder must exist; the run layer chooses it).
    lang : {"zh", "en"}
        Language of the form's printed labels; the user's texts are written as given.

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    Sheets:

    * ``自评表`` — the official form of domain.md §9.1 (see the module docstring); 得分 is the
      rule score; a note under the form names the rule profile.
    * ``评分明细`` — one row per indicator: target and actual as printed and as numbers, weight,
      rule score (规则得分), self-awarded score (自评得分), difference, not-applicable, rating,
      scoring explanation, deviation reason and flags.
    * ``说明`` — subject, rule profile (id, version, hash), totals, grade and all flags.

    Numbers are written as numbers (``0.00``, rates ``0.0%``); text passes through
    :func:`~perfkit.report.safe.set_cell` (formula-like text is stored inert, quote-prefixed).
    """
    if not isinstance(results, dict):
        raise InputError("must be the results dict of a self-evaluation (results.json)",
                         argument="results", value=type(results).__name__)
    label("misc.na", lang)  # validates lang
    results = localise(results, lang)
    path = Path(path)
    wb = Workbook()
    form = wb.active
    form.title = label("sheet.form", lang)
    _form_sheet(form, results, lang)
    _detail_sheet(wb.create_sheet(label("sheet.detail", lang)), results, lang)
    _notes_sheet(wb.create_sheet(label("sheet.notes", lang)), results, lang)
    wb.properties.creator = "perfkit"
    wb.properties.title = label("title.self_eval_table", lang)
    wb.save(path)
    return path


# --------------------------------------------------------------------------------------------
def _cell_value(v: Any) -> Any:
    """Plain Python for openpyxl: numpy scalars unwrapped, NaN/NaT/NA → empty."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, (list, tuple, set, dict)):
        return str(v)
    return v


def _summary_xlsx(df: pd.DataFrame, path: Path, *, sheet_name: str, lang: str,
                  percent: set[str]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "".join(c for c in sheet_name if c not in '[]:*?/\\')[:31] or "Sheet1"
    font = Font(name=_font_name(lang), size=10)
    bold = Font(name=_font_name(lang), size=10, bold=True)
    for j, col in enumerate(df.columns, start=1):
        s = df[col]
        if str(col) in percent:
            fmt = _PCT
        elif pd.api.types.is_float_dtype(s.dtype):
            fmt = _NUM
        elif pd.api.types.is_integer_dtype(s.dtype):
            fmt = "0"
        else:
            fmt = None
        head = set_cell(ws.cell(row=1, column=j), str(col))
        head.font, head.fill, head.alignment, head.border = bold, _HEAD_FILL, _CENTER, _BORDER
        widths = [_width_units(str(col))]
        for i, v in enumerate(s.tolist(), start=2):
            c = set_cell(ws.cell(row=i, column=j), _cell_value(v))
            c.font = font
            if fmt and isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                c.number_format = fmt
            if i <= 201 and c.value is not None:
                widths.append(_width_units(str(c.value)) if not isinstance(c.value, float)
                              else 10)
        ws.column_dimensions[get_column_letter(j)].width = min(max(max(widths) + 2, 8), 50)
    ws.freeze_panes = "A2"
    if len(df):
        ws.auto_filter.ref = f"A1:{get_column_letter(max(len(df.columns), 1))}{len(df) + 1}"
    _print_setup(ws, title_rows="1:1")
    wb.properties.creator = "perfkit"
    wb.save(path)


def write_summary(frame: pd.DataFrame, path_xlsx: str | Path | None,
                  path_csv: str | Path | None, *, sheet_name: str | None = None,
                  lang: str = "zh", percent_columns: Iterable[str] = ()) -> list[Path]:
    """Write a batch summary table as .xlsx and/or .csv, neutralised against formula injection.

    Parameters
    ----------
    frame : pandas.DataFrame
        The summary (one row per subject, say). A non-default index is written as columns.
    path_xlsx, path_csv : str or Path or None
        Files to write; ``None`` skips that format.
    sheet_name : str, optional
        Name of the worksheet (default the label ``sheet.summary``: 汇总).
    lang : {"zh", "en"}
    percent_columns : iterable of str
        Columns holding ratios to display as ``0.0%`` in Excel (the stored value is unchanged).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Notes
    -----
    The CSV is UTF-8 with a byte-order mark (``utf-8-sig``) so Excel opens Chinese correctly;
    numbers keep full precision in both files (Excel shows floats as ``0.00``).
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError("must be a pandas DataFrame", argument="frame",
                         value=type(frame).__name__)
    label("misc.na", lang)
    df = frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
    percent = set(percent_columns)
    missing = percent - set(map(str, df.columns))
    if missing:
        raise InputError(f"names columns not in the frame: {sorted(missing)}",
                         argument="percent_columns")
    written: list[Path] = []
    if path_xlsx is not None:
        path_xlsx = Path(path_xlsx)
        _summary_xlsx(df, path_xlsx, sheet_name=sheet_name or label("sheet.summary", lang),
                      lang=lang, percent=percent)
        written.append(path_xlsx)
    if path_csv is not None:
        path_csv = Path(path_csv)
        safe_frame(df).to_csv(path_csv, index=False, encoding="utf-8-sig")
        written.append(path_csv)
    return written


def write_tables(tables: dict, path: str | Path, *, lang: str = "zh") -> Path:
    """Several DataFrames as one workbook, one sheet each (names cut to Excel's 31 characters),
    header bold and frozen, text neutralised against formula injection."""
    from openpyxl import Workbook as _WB
    from openpyxl.styles import Font
    path = Path(path)
    wb = _WB()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, df in tables.items():
        title = re.sub(r"[\[\]:*?/\\]", "_", str(name))[:31] or "sheet"
        base, k = title, 1
        while title in used:
            k += 1
            title = f"{base[:28]}_{k}"
        used.add(title)
        ws = wb.create_sheet(title)
        frame = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
        for j, col in enumerate(frame.columns, start=1):
            c = set_cell(ws.cell(row=1, column=j), str(col))
            c.font = Font(bold=True)
            ws.column_dimensions[c.column_letter].width = max(10, min(40, len(str(col)) * 2 + 2))
        for i, row in enumerate(frame.itertuples(index=False), start=2):
            for j, v in enumerate(row, start=1):
                set_cell(ws.cell(row=i, column=j), _cell_value(v))
        ws.freeze_panes = "A2"
    if not wb.sheetnames:
        wb.create_sheet("empty")
    wb.properties.creator = "perfkit"
    wb.save(path)
    return path
