"""Make the standing corpus of hostile and broken inputs: ``python tests/bad_inputs/make_corpus.py``.

Every case is a small workbook (.xlsx), CSV folder or params file in ``cases/`` plus its entry in
``cases.yaml``: the command that reads it (``perfkit score WORKBOOK`` or ``perfkit run PARAMS``),
the exit status it must give, and either the problems the message must name (sheet, row, column
and a piece of the rule, all on one line of the message) or — for inputs that are messy but
valid — values the reader must produce. ``test_corpus.py`` runs them all.

The output is reproducible: zip members carry a fixed date and the document properties a fixed
time, so running this again rewrites the same bytes (``test_corpus.py`` checks the contents).
The very large cases (hundreds of MB) are not committed; the test makes them when it runs.

Run with ``--check`` to compare a fresh generation with the committed files without writing.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import re
import shutil
import struct
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import openpyxl
import yaml

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
CASES_YAML = HERE / "cases.yaml"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

P = "项目"          # sheet names as on the official forms
B = "项目资金"
I = "绩效指标"
D = "部门"


# ============================================================================================
# the valid base workbook: one department, two projects whose weights add up (50/30/10 + 10)
# ============================================================================================
def base() -> dict[str, list[list]]:
    return {
        D: [["部门编码", "年度", "部门名称"],
            ["D01", 2022, "区教育委员会"]],
        P: [["项目编码", "年度", "项目名称", "主管部门编码", "主管部门", "实施单位", "预算类型", "行业领域"],
            ["XM001", 2022, "学生营养餐", "D01", "区教育委员会", "区营养办", "一般公共预算", "教育"],
            ["XM002", 2022, "校舍维修", "D01", "区教育委员会", "区教委", "一般公共预算", "教育"]],
        B: [["项目编码", "年度", "资金来源", "年初预算数", "全年预算数", "全年执行数"],
            ["XM001", 2022, "当年财政拨款", 100, 120, 110.5],
            ["XM002", 2022, "当年财政拨款", 50, 50, 40]],
        I: [["项目编码", "年度", "一级指标", "二级指标", "三级指标", "指标方向", "计量单位", "年度指标值",
             "实际完成值", "分值", "定性评级", "偏差原因分析及改进措施"],
            ["XM001", 2022, "产出指标", "数量指标", "受益学生人数", "≥", "人", "1200", "1250", 50, None,
             None],
            ["XM001", 2022, "效益指标", "社会效益指标", "学生营养状况", "定性", None, "有所改善", None, 30,
             "达成", None],
            ["XM001", 2022, "满意度指标", "服务对象满意度指标", "家长满意度", "≥", "%", "95%", "96%", 10,
             None, None],
            ["XM002", 2022, "产出指标", "时效指标", "完工时间", None, None, "2022年12月底前", "2022年11月",
             50, None, None],
            ["XM002", 2022, "效益指标", "社会效益指标", "校舍安全", "定性", None, "明显提升", None, 30,
             "部分达成", "雨季延误"],
            ["XM002", 2022, "满意度指标", "服务对象满意度指标", "师生满意度", "≥", "%", "90%", "92%", 10,
             None, None]],
    }


# ============================================================================================
# writers (reproducible)
# ============================================================================================
def _fixed_core(xml: bytes) -> bytes:
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                  rb"\g<1>2024-01-01T00:00:00Z\g<2>", xml)


def normalise_zip(path: Path, *, patch: dict[str, Callable[[bytes], bytes]] | None = None,
                  keep_sizes: bool = True) -> Path:
    """Rewrite a zip with fixed member dates (and apply byte patches to members)."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "docProps/core.xml":
                data = _fixed_core(data)
            if patch and name in patch:
                data = patch[name](data)
            zi = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            z.writestr(zi, data)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]], *,
               merges: dict[str, list[str]] | None = None,
               formats: dict[str, dict[str, str]] | None = None,
               patch: dict[str, Callable[[bytes], bytes]] | None = None,
               text_only: bool = False) -> Path:
    """Sheets of rows (None = empty cell) → .xlsx written by openpyxl, normalised.
    ``text_only``: text starting with ``=`` is stored as text, not as a formula."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    cell = ws.cell(row=r, column=c, value=v)
                    if text_only and isinstance(v, str):
                        cell.data_type = "s"
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
        for ref, fmt in (formats or {}).get(name, {}).items():
            ws[ref].number_format = fmt
    fixed = dt.datetime(2024, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(path)
    return normalise_zip(path, patch=patch)


def sheet_part(sheets: dict, name: str) -> str:
    """The zip member of a sheet written by :func:`write_xlsx` (sheets in insertion order)."""
    return f"xl/worksheets/sheet{list(sheets).index(name) + 1}.xml"


def write_csv_folder(folder: Path, sheets: dict[str, list[list]], *, encoding: str = "utf-8",
                     raw: dict[str, bytes] | None = None) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, rows in sheets.items():
        text = "".join(",".join(_csv_field(v) for v in row) + "\r\n" for row in rows)
        (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    for name, data in (raw or {}).items():
        (folder / name).write_bytes(data)
    return folder


def _csv_field(v) -> str:
    if v is None:
        return ""
    s = str(v)
    return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in ',"\r\n') else s


def xlsx_bytes(sheets: dict[str, list[list]], **kw) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        p = write_xlsx(Path(d) / "x.xlsx", sheets, **kw)
        return p.read_bytes()


# ============================================================================================
# the cases
# ============================================================================================
@dataclass
class Case:
    id: str
    doc: str
    build: Callable[[Path], None]
    input: str                           # relative to cases/
    command: str = "score"               # score | run
    exit: int = 2
    errors: list[dict] = field(default_factory=list)   # each: sheet, row, column, rule (all opt.)
    values: list[dict] = field(default_factory=list)   # each: table, row (_row), column, value
    file: str | None = None              # the file the message names, if not the input

    def entry(self) -> dict:
        d = {"id": self.id, "doc": self.doc, "input": f"cases/{self.input}",
             "command": self.command, "exit": self.exit}
        if self.errors:
            d["errors"] = self.errors
        if self.values:
            d["values"] = self.values
        if self.file:
            d["file"] = self.file
        return d


CASES: list[Case] = []


def case(id: str, doc: str, *, ext: str = ".xlsx", **kw):
    def deco(fn: Callable[[Path], None]):
        CASES.append(Case(id=id, doc=doc, build=fn, input=f"{id}{ext}", **kw))
        return fn
    return deco


def err(rule: str, sheet: str | None = None, row: int | None = None,
        column: str | None = None) -> dict:
    return {k: v for k, v in (("sheet", sheet), ("row", row), ("column", column),
                              ("rule", rule)) if v is not None}


def val(table: str, row: int, column: str, value) -> dict:
    return {"table": table, "row": row, "column": column, "value": value}


def edit(**changes) -> dict:
    """base() with cells changed: edit(**{"项目资金!D2": 5}) (sheet!A1 references)."""
    t = base()
    for ref, v in changes.items():
        sheet, cell = ref.split("!")
        m = re.fullmatch(r"([A-Z])([0-9]+)", cell)
        c, r = ord(m.group(1)) - 64, int(m.group(2))
        rows = t[sheet]
        while len(rows) < r:
            rows.append([])
        while len(rows[r - 1]) < c:
            rows[r - 1].append(None)
        rows[r - 1][c - 1] = v
    return t


# ---- valid, and messy ------------------------------------------------------------------------
@case("base_valid", "the valid base workbook: scores cleanly", exit=0,
      values=[val("budget", 2, "adjusted", 120.0), val("indicators", 2, "target_value", 1200.0),
              val("indicators", 5, "target_deadline", "2022-12")])
def _(path):
    write_xlsx(path, base())


@case("messy_fullwidth_digits", "numbers typed with full-width digits and separators "
      "(１２３，４５６) and a full-width target (＞＝９５％) read as their ASCII values", exit=0,
      values=[val("budget", 2, "initial", 123456.0), val("budget", 2, "adjusted", 123456.0),
              val("indicators", 4, "target_value", 95.0), val("indicators", 4, "direction", "≥")])
def _(path):
    t = edit(**{f"{B}!D2": "１２３，４５６", f"{B}!E2": "１２３４５６", f"{B}!F2": "１００，０００",
                f"{I}!H4": "＞＝９５％", f"{I}!F4": None})
    write_xlsx(path, t)


@case("messy_thousands_separators", "budget amounts stored as text with thousands separators "
      "and a unit read as numbers", exit=0,
      values=[val("budget", 2, "initial", 1234.5), val("budget", 2, "adjusted", 1500.0),
              val("budget", 2, "executed", 1400.25)])
def _(path):
    write_xlsx(path, edit(**{f"{B}!D2": "1,234.5", f"{B}!E2": " 1,500万元 ",
                             f"{B}!F2": "1,400.25"}))


@case("messy_percent_strings", "percent strings and percent-formatted numbers in indicators "
      "stay in percent units", exit=0,
      values=[val("indicators", 4, "actual_value", 96.0), val("indicators", 7, "target_value", 90.0),
              val("indicators", 7, "actual_value", 92.5)])
def _(path):
    t = edit(**{f"{I}!H7": 0.9, f"{I}!I7": "92.5%"})
    write_xlsx(path, t, formats={I: {"H7": "0%"}})


@case("messy_empty_rows_in_the_middle", "empty rows in the middle of a sheet are skipped and "
      "rows keep the numbers the user sees", exit=0,
      values=[val("indicators", 5, "level3", "受益学生人数"), val("indicators", 9, "level3", "家长满意度")])
def _(path):
    t = base()
    ind = t[I]
    t[I] = [ind[0], [], [], [], ind[1], [], ind[2], [], ind[3], *ind[4:]]
    write_xlsx(path, t)


@case("messy_gov_export_title_rows_merged_header", "a government-system export: a merged "
      "title row, a unit line, and a two-row header with merged group cells", exit=0,
      values=[val("budget", 5, "initial", 100.0), val("budget", 6, "executed", 40.0)])
def _(path):
    t = base()
    rows = t[B]
    t[B] = [["2022年度项目资金执行情况表", None, None, None, None, None],
            ["填报单位：区教育委员会", None, None, None, "单位：万元", None],
            ["项目编码", "年度", "资金来源", "预算执行情况", None, None],
            [None, None, None, "年初预算数", "全年预算数", "全年执行数"],
            *rows[1:]]
    write_xlsx(path, t, merges={B: ["A1:F1", "A3:A4", "B3:B4", "C3:C4", "D3:F3"]})


@case("messy_merged_project_code", "a project code merged down over its indicator rows "
      "applies to each row", exit=0,
      values=[val("indicators", 3, "project_id", "XM001"), val("indicators", 4, "project_id", "XM001")])
def _(path):
    t = base()
    for r in (2, 3):
        t[I][r][0] = None
    write_xlsx(path, t, merges={I: ["A2:A4"]})


@case("messy_fullwidth_ids", "ids typed in full-width letters match their half-width form",
      exit=0, values=[val("budget", 2, "project_id", "XM001")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!A2": "ＸＭ００１"}))


@case("messy_formula_with_cached_value", "formulas that carry the value Excel saved read as "
      "that value, never the formula text", exit=0,
      values=[val("budget", 2, "adjusted", 120.0), val("indicators", 2, "weight", 50.0)])
def _(path):
    t = edit(**{f"{B}!E2": "=SUM(60,60)", f"{I}!J2": "=25*2"})
    write_xlsx(path, t, patch={
        sheet_part(t, B): lambda b: b.replace(b"<f>SUM(60,60)</f><v></v>",
                                              b"<f>SUM(60,60)</f><v>120</v>"),
        sheet_part(t, I): lambda b: b.replace(b"<f>25*2</f><v></v>", b"<f>25*2</f><v>50</v>")})


@case("messy_date_serial_actual", "a deadline's actual given as an Excel date (a serial number "
      "with a date format) reads as that month", exit=0,
      values=[val("indicators", 5, "actual_value", 2022 * 12 + 11),
              val("indicators", 5, "rating", "达成")])
def _(path):
    t = edit(**{f"{I}!I5": dt.datetime(2022, 11, 15)})
    write_xlsx(path, t)


@case("messy_csv_gb18030", "a CSV folder saved in GB18030 (WPS/Excel 'CSV' on Chinese Windows)",
      ext="", exit=0, values=[val("projects", 2, "name", "学生营养餐")])
def _(path):
    write_csv_folder(path, base(), encoding="gb18030")


@case("messy_csv_utf8_bom", "a CSV folder saved as 'CSV UTF-8' (with a byte-order mark)", ext="",
      exit=0, values=[val("projects", 3, "name", "校舍维修")])
def _(path):
    write_csv_folder(path, base(), encoding="utf-8-sig")


@case("messy_csv_utf16_no_bom", "a CSV file saved as UTF-16 without a byte-order mark "
      "(mislabelled: the NUL bytes give it away) is read as UTF-16", ext="", exit=0,
      values=[val("departments", 2, "name", "区教育委员会")])
def _(path):
    t = base()
    write_csv_folder(path, {k: v for k, v in t.items() if k != D})
    text = "".join(",".join(_csv_field(v) for v in row) + "\r\n" for row in t[D])
    (path / f"{D}.csv").write_bytes(text.encode("utf-16-le"))


# ---- sheets and columns ----------------------------------------------------------------------
@case("missing_sheet_indicators", "the indicators sheet is absent",
      errors=[err("missing required sheet for table 'indicators'")])
def _(path):
    t = base()
    del t[I]
    write_xlsx(path, t)


@case("misnamed_sheet", "the indicators sheet is named 指标明细 (not a known name)",
      errors=[err("missing required sheet for table 'indicators'")])
def _(path):
    t = base()
    t["指标明细"] = t.pop(I)
    write_xlsx(path, t)


@case("two_sheets_same_table", "two sheets hold the projects table (项目 and 项目信息)",
      errors=[err("two sheets hold table 'projects'", sheet="项目信息")])
def _(path):
    t = base()
    t["项目信息"] = copy.deepcopy(t[P])
    write_xlsx(path, t)


@case("missing_column_target", "the indicators sheet has no 年度指标值 column",
      errors=[err("missing required column", sheet=I, row=1, column="年度指标值")])
def _(path):
    t = base()
    t[I] = [r[:7] + r[8:] for r in t[I]]
    write_xlsx(path, t)


@case("wrong_column_name", "a budget column is headed 预算金额 instead of 年初预算数",
      errors=[err("missing required column", sheet=B, row=1, column="年初预算数")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!D1": "预算金额"}))


@case("duplicate_column", "项目名称 appears twice in the projects sheet",
      errors=[err("column appears twice", sheet=P, row=1, column="项目名称")])
def _(path):
    write_xlsx(path, edit(**{f"{P}!I1": "项目名称", f"{P}!I2": "x", f"{P}!I3": "y"}))


@case("too_many_title_rows", "seven title rows push the header beyond the rows searched",
      errors=[err("no header row found", sheet=B)])
def _(path):
    t = base()
    t[B] = [[f"说明第{i}行"] for i in range(1, 8)] + t[B]
    write_xlsx(path, t)


@case("gov_export_error_row_numbers", "in a government-system export (title rows, two-row "
      "merged header) an error names the row the user sees",
      errors=[err("must be a number", sheet=B, row=6, column="全年执行数")])
def _(path):
    t = base()
    rows = t[B]
    t[B] = [["2022年度项目资金执行情况表", None, None, None, None, None],
            ["单位：万元", None, None, None, None, None],
            ["项目编码", "年度", "资金来源", "预算执行情况", None, None],
            [None, None, None, "年初预算数", "全年预算数", "全年执行数"],
            *rows[1:]]
    t[B][5][5] = "四十"
    write_xlsx(path, t, merges={B: ["A1:F1", "A3:A4", "B3:B4", "C3:C4", "D3:F3"]})


@case("empty_rows_then_error", "an error below empty rows names the row the user sees",
      errors=[err("must be a number", sheet=I, row=9, column="分值")])
def _(path):
    t = base()
    ind = t[I]
    t[I] = [ind[0], ind[1], [], [], [], ind[2], [], ind[3], list(ind[4]), *ind[5:]]
    t[I][8][9] = "五十"
    write_xlsx(path, t)


@case("projects_sheet_empty", "the projects sheet exists but holds nothing",
      errors=[err("the sheet for table 'projects'", sheet=P)])
def _(path):
    t = base()
    t[P] = []
    write_xlsx(path, t)


@case("projects_header_only", "the projects sheet has a header and no rows: nothing to score",
      errors=[err("holds no projects")])
def _(path):
    t = base()
    t[P] = t[P][:1]
    t[B] = t[B][:1]
    t[I] = t[I][:1]
    write_xlsx(path, t)


# ---- cell values -----------------------------------------------------------------------------
@case("required_cell_empty", "a project without a name",
      errors=[err("required cell is empty", sheet=P, row=3, column="项目名称")])
def _(path):
    write_xlsx(path, edit(**{f"{P}!C3": None}))


@case("number_as_words", "a budget amount written in words",
      errors=[err("must be a number", sheet=B, row=2, column="年初预算数")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!D2": "一百万"}))


@case("bad_thousands_grouping", "thousands separators that do not group by three (1,2,3)",
      errors=[err("must be a number", sheet=B, row=3, column="全年执行数")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!F3": "1,2,3"}))


@case("percent_in_money_column", "a percent string in a 万元 column",
      errors=[err("differs from the column's unit 万元", sheet=B, row=2, column="全年执行数")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!F2": "92%"}))


@case("yuan_in_wanyuan_column", "an amount in 元 in a 万元 column",
      errors=[err("unit 元 differs", sheet=B, row=3, column="年初预算数")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!D3": "300000元"}))


@case("negative_budget", "a negative budget amount",
      errors=[err("must not be negative", sheet=B, row=3, column="全年预算数")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!E3": -50}))


@case("nan_and_inf_text", "NaN, inf and 1e400 typed as text are not numbers",
      errors=[err("must be a number", sheet=B, row=2, column="年初预算数"),
              err("must be a number", sheet=B, row=2, column="全年预算数"),
              err("must be a number", sheet=B, row=3, column="全年执行数")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!D2": "NaN", f"{B}!E2": "inf", f"{B}!F3": "1e400"}))


@case("nan_and_inf_stored", "NaN and INF stored as numeric cell values in the sheet XML",
      errors=[err("must be a number", sheet=B, row=2, column="全年执行数"),
              err("must be a number", sheet=B, row=3, column="全年执行数")])
def _(path):
    t = edit(**{f"{B}!F2": 777.25, f"{B}!F3": 888.25})
    write_xlsx(path, t, patch={sheet_part(t, B): lambda b: b.replace(b"<v>777.25</v>", b"<v>NaN</v>")
                               .replace(b"<v>888.25</v>", b"<v>INF</v>")})


@case("formula_without_cached_value", "a formula written by openpyxl has no saved value: "
      "reported, not read as blank, 0 or the formula text",
      errors=[err("formula without a saved value", sheet=B, row=2, column="全年预算数"),
              err("formula without a saved value", sheet=I, row=3, column="分值")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!E2": "=D2*1.2", f"{I}!J3": "=90-50-10"}))


@case("formula_without_cached_value_slow_path", "the same, in a sheet whose XML sends the "
      "reader down the openpyxl path (attributes in another order)",
      errors=[err("formula without a saved value", sheet=B, row=3, column="全年执行数")])
def _(path):
    t = edit(**{f"{B}!F3": "=E3*0.8"})

    def reorder(b: bytes) -> bytes:
        return re.sub(rb'<c r="([A-Z]+[0-9]+)" t="n">', rb'<c t="n" r="\1">', b)
    write_xlsx(path, t, patch={sheet_part(t, B): reorder})


@case("date_text_in_money_column", "a date typed as text in a budget column",
      errors=[err("must be a number", sheet=B, row=2, column="全年执行数")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!F2": "2022-05-01"}))


@case("year_as_date_serial", "the year typed into a date-formatted cell (Excel shows "
      "1905-07-14)", errors=[err("must be a whole number", sheet=P, row=2, column="年度")])
def _(path):
    write_xlsx(path, edit(), formats={P: {"B2": "yyyy-mm-dd"}})


@case("year_out_of_range", "a year outside 1990–2100",
      errors=[err("must be ≥ 1990", sheet=D, row=3, column="年度")])
def _(path):
    t = edit(**{f"{D}!B3": 1899, f"{D}!A3": "D02", f"{D}!C3": "旧部门"})
    write_xlsx(path, t)


@case("fractional_year", "a year with decimals",
      errors=[err("must be a whole number", sheet=B, row=3, column="年度")])
def _(path):
    write_xlsx(path, edit(**{f"{B}!B3": 2022.5}))


@case("unknown_choice", "a budget type that is not one of the four budgets",
      errors=[err("must be one of", sheet=P, row=3, column="预算类型")])
def _(path):
    write_xlsx(path, edit(**{f"{P}!G3": "一般预算"}))


@case("unreadable_target", "an indicator target perfkit cannot read",
      errors=[err("target not understood", sheet=I, row=2, column="年度指标值")])
def _(path):
    write_xlsx(path, edit(**{f"{I}!H2": "较上年提高5%"}))


# ---- keys and references ---------------------------------------------------------------------
@case("duplicate_project_id", "the same project twice in one year",
      errors=[err("duplicate key project_id, year; first seen in row 2", sheet=P, row=4,
                  column="项目编码")])
def _(path):
    t = base()
    t[P].append(list(t[P][1]))
    write_xlsx(path, t)


@case("indicator_of_unknown_project", "an indicator row refers to a project not in 项目",
      errors=[err("refers to an unknown project", sheet=I, row=3, column="项目编码")])
def _(path):
    write_xlsx(path, edit(**{f"{I}!A3": "XM999"}))


@case("numeric_id_loses_zeros", "a project code typed as the number 123 where the projects "
      "sheet has the text 00123: no such project",
      errors=[err("refers to an unknown project", sheet=B, row=2, column="项目编码")])
def _(path):
    t = edit(**{f"{P}!A2": "00123", f"{B}!A2": 123})
    for r in t[I][1:4]:
        r[0] = "00123"
    write_xlsx(path, t)


@case("project_of_unknown_department", "a project whose department is not in 部门",
      errors=[err("refers to an unknown department", sheet=P, row=3, column="主管部门编码")])
def _(path):
    write_xlsx(path, edit(**{f"{P}!D3": "D99"}))


PR = "指标监控"
PROGRESS_HEADER = ["项目编码", "年度", "月份", "一级指标", "二级指标", "三级指标", "累计完成值", "偏差原因"]


@case("progress_month_13", "an in-year progress row (指标监控) for month 13",
      errors=[err("must be ≤ 12", sheet=PR, row=2, column="月份")])
def _(path):
    t = base()
    t[PR] = [PROGRESS_HEADER,
             ["XM001", 2022, 13, "产出指标", "数量指标", "受益学生人数", "600", None]]
    write_xlsx(path, t)


@case("progress_of_unknown_indicator", "an in-year progress row naming an indicator that the "
      "indicators sheet does not have",
      errors=[err("unknown indicator", sheet=PR, row=3, column="三级指标")])
def _(path):
    t = base()
    t[PR] = [PROGRESS_HEADER,
             ["XM001", 2022, 6, "产出指标", "数量指标", "受益学生人数", "600", None],
             ["XM001", 2022, 6, "产出指标", "数量指标", "受益教师人数", "80", None]]
    write_xlsx(path, t)


@case("progress_bad_deviation_reason", "a deviation reason (偏差原因) outside the five categories",
      errors=[err("经费保障", sheet=PR, row=2, column="偏差原因")])
def _(path):
    t = base()
    t[PR] = [PROGRESS_HEADER,
             ["XM001", 2022, 6, "产出指标", "数量指标", "受益学生人数", "400", "天气原因"]]
    write_xlsx(path, t)


@case("execution_weight_out_of_range", "a project's printed 预算执行率分值 of 120",
      errors=[err("100", sheet=P, row=2, column="预算执行率分值")])
def _(path):
    t = base()
    t[P][0].append("预算执行率分值")
    t[P][1].append(120)
    t[P][2].append(None)
    write_xlsx(path, t)


# ---- scoring-stage errors --------------------------------------------------------------------
@case("weights_do_not_add_up", "a project's weights add up to 80, not 90 (with 预算执行率 10: "
      "100) — a scoring-stage error",
      errors=[err("add up to 80", sheet=I, row=2, column="分值")])
def _(path):
    write_xlsx(path, edit(**{f"{I}!J2": 40}))


@case("weights_partly_missing", "some indicators of a project have a weight, others not",
      errors=[err("some indicators of this project have a weight", sheet=I, row=6, column="分值")])
def _(path):
    write_xlsx(path, edit(**{f"{I}!J6": None}))


@case("qualitative_without_rating", "a 定性 indicator without its rating",
      errors=[err("needs a rating", sheet=I, row=3, column="定性评级")])
def _(path):
    write_xlsx(path, edit(**{f"{I}!K3": None}))


# ---- files that are not what they say ----------------------------------------------------------
@case("zero_bytes", "an empty (0-byte) file", errors=[err("empty (0 bytes)")])
def _(path):
    path.write_bytes(b"")


@case("truncated_xlsx", "an .xlsx cut off half-way (an interrupted download)",
      errors=[err("not a readable .xlsx file")])
def _(path):
    data = xlsx_bytes(base())
    path.write_bytes(data[: len(data) // 2])


@case("encrypted_xlsx", "a password-protected .xlsx: an OLE compound file (its header "
      "built by hand) with an .xlsx name", errors=[err("password-protected (encrypted)")])
def _(path):
    path.write_bytes(ole_header())


@case("png_named_xlsx", "a PNG image named .xlsx", errors=[err("a PNG image")])
def _(path):
    path.write_bytes(tiny_png())


@case("csv_named_xlsx", "a CSV file renamed .xlsx", errors=[err("a text file")])
def _(path):
    path.write_bytes("项目编码,年度\r\nXM001,2022\r\n".encode("utf-8"))


@case("html_named_xlsx", "an HTML table exported by a government system as .xlsx",
      errors=[err("an HTML or XML page")])
def _(path):
    path.write_bytes("<html><head><meta charset='utf-8'></head><body><table><tr><td>项目编码"
                     "</td></tr></table></body></html>".encode("utf-8"))


@case("old_xls", "the old .xls format", ext=".xls", errors=[err("the old .xls format")])
def _(path):
    path.write_bytes(ole_header())


@case("zip_bomb_sheet", "a sheet whose XML decompresses to 300 MB (a few hundred kB "
      "compressed): refused from its declared size, before decompressing",
      errors=[err("above the limit")])
def _(path):
    zip_bomb(path, "xl/worksheets/sheet1.xml", 300 * 2**20)


@case("zip_bomb_lying_size", "a sheet whose XML really decompresses to 300 MB but whose zip "
      "entry claims 2 kB: the bounded reader stops at the claimed size and the CRC fails",
      errors=[err("damaged")])
def _(path):
    zip_bomb(path, "xl/worksheets/sheet1.xml", 300 * 2**20, lie=2048)


@case("bad_crc", "a sheet whose compressed bytes were altered (bad CRC / deflate stream)",
      errors=[err("damaged")])
def _(path):
    data = bytearray(xlsx_bytes(base()))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet3.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(10, min(60, info.compress_size)):
        data[start + k] ^= 0x5A
    path.write_bytes(bytes(data))


@case("xml_entity_bomb", "shared strings with a DOCTYPE and nested entities (billion laughs)",
      errors=[err("declares a DOCTYPE")])
def _(path):
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi"))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE sst [{ents}]><sst xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main"><si><t>&i;</t></si></sst>').encode()
    data = xlsx_bytes(base())
    rel = (b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in items + [("xl/sharedStrings.xml", bomb)]:
            if name == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", rel)
            z.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), content,
                       compress_type=zipfile.ZIP_DEFLATED)


@case("zip_unsupported_version", "a zip whose central directory asks for zip version 14.8 "
      "(found by atheris: zipfile raised NotImplementedError)",
      errors=[err("not a readable .xlsx file")])
def _(path):
    data = bytearray(xlsx_bytes(base()))
    cd = data.rfind(b"PK\x05\x06")
    first = int.from_bytes(data[cd + 16:cd + 20], "little")     # first central record
    data[first + 6] = 148                                     # version needed: 14.8
    path.write_bytes(bytes(data))


@case("not_a_workbook_zip", "a zip archive that is not a workbook (no workbook part)",
      errors=[err("not a readable .xlsx file")])
def _(path):
    with zipfile.ZipFile(path, "w") as z:
        zi = zipfile.ZipInfo("readme.txt", date_time=FIXED_TIME)
        z.writestr(zi, "hello")


# ---- CSV folders -----------------------------------------------------------------------------
@case("csv_mislabelled_latin1", "a CSV file in a Western code page (bytes that are neither "
      "UTF-8 nor GB18030)", ext="", errors=[err("cannot decode the file")])
def _(path):
    write_csv_folder(path, {k: v for k, v in base().items() if k != D},
                     raw={f"{D}.csv": "部门编码,年度,部门名称\r\n".encode("utf-8")
                          + b"D01,2022,Caf\xe9 \xff\xfe\r\n"})


@case("csv_binary_nul", "a CSV file holding binary data (NUL bytes, not UTF-16)", ext="",
      errors=[err("NUL byte")])
def _(path):
    write_csv_folder(path, {k: v for k, v in base().items() if k != D},
                     raw={f"{D}.csv": b"\x00\x01\x02\x03binary\x00\x00\x10\x11\x00\xff"})


@case("csv_unclosed_quote", "a CSV field whose quote is never closed swallows the rest of "
      "the file (longer than the csv module's field limit)", ext="",
      errors=[err("quote", row=3)])
def _(path):
    t = base()
    rows = t[P]
    write_csv_folder(path, {k: v for k, v in t.items() if k != P})
    text = "\r\n".join(",".join(_csv_field(v) for v in r) for r in rows[:2])
    text += '\r\nXM002,2022,"校舍维修' + ("x" * 140_000) + "\r\n"
    (path / f"{P}.csv").write_bytes(text.encode("utf-8"))


@case("csv_missing_file", "a CSV folder without the budget file", ext="",
      errors=[err("missing required file for table 'budget'")])
def _(path):
    t = base()
    del t[B]
    write_csv_folder(path, t)


@case("csv_zero_byte_file", "a CSV folder whose projects file is empty (0 bytes)", ext="",
      errors=[err("the sheet for table 'projects'")])
def _(path):
    write_csv_folder(path, {k: v for k, v in base().items() if k != P}, raw={f"{P}.csv": b""})


@case("csv_duplicate_ids", "duplicate budget rows in a CSV folder", ext="",
      errors=[err("duplicate key", row=4, column="项目编码")])
def _(path):
    t = base()
    t[B].append(list(t[B][1]))
    write_csv_folder(path, t)


# ---- params files (perfkit run fails before any notebook runs) ----------------------------------
def params(path: Path, body: str) -> None:
    path.write_text(body, encoding="utf-8")


HEAD = "notebook: project_self_evaluation\nbatch: corpus\n"


def pcase(id: str, doc: str, **kw):
    return case(id, doc, ext=".yaml", command="run", **kw)


@pcase("params_unknown_top_key", "an unknown top-level key",
       errors=[err("unknown top-level key")])
def _(path):
    params(path, HEAD + "parameter:\n  project_id: 'XM001'\n")


@pcase("params_unknown_parameter", "an unknown parameter (papermill would only warn)",
       errors=[err("unknown parameter", column="parameters.projectid")])
def _(path):
    params(path, HEAD + "parameters:\n  workbook: base_valid.xlsx\n  projectid: 'XM001'\n")


@pcase("params_wrong_type", "year given as text",
       errors=[err("valid integer", column="parameters.year")])
def _(path):
    params(path, HEAD + "parameters:\n  workbook: base_valid.xlsx\n  project_id: 'XM001'\n"
           "  year: '2022'\n")


@pcase("params_numeric_id", "project_id 00123 unquoted: YAML makes it the number 123",
       errors=[err("valid string", column="parameters.project_id")])
def _(path):
    params(path, HEAD + "parameters:\n  workbook: base_valid.xlsx\n  project_id: 00123\n")


@pcase("params_bad_lang", "a language that is not zh or en",
       errors=[err("'zh' or 'en'", column="parameters.lang")])
def _(path):
    params(path, HEAD + "parameters:\n  project_id: 'XM001'\n  lang: fr\n")


@pcase("params_unknown_notebook", "a notebook that does not exist",
       errors=[err("unknown notebook")])
def _(path):
    params(path, "notebook: ../../etc/passwd\nparameters:\n  project_id: 'XM001'\n")


@pcase("params_traversal_project_id", "a project id that climbs out of the outputs folder",
       errors=[err("no path separators", )])
def _(path):
    params(path, HEAD + "parameters:\n  workbook: base_valid.xlsx\n"
           "  project_id: '../../../tmp/pwned'\n")


@pcase("params_absolute_project_id", "an absolute path as the project id",
       errors=[err("no path separators")])
def _(path):
    params(path, HEAD + "parameters:\n  workbook: base_valid.xlsx\n  project_id: '/etc/passwd'\n")


@pcase("params_backslash_project_id", "a Windows path as the project id",
       errors=[err("no path separators")])
def _(path):
    params(path, HEAD + "parameters:\n  workbook: base_valid.xlsx\n"
           "  project_id: '..\\\\..\\\\Windows'\n")


@pcase("params_device_name_id", "a reserved device name (CON) as the project id",
       errors=[err("device names")])
def _(path):
    params(path, HEAD + "parameters:\n  workbook: base_valid.xlsx\n  project_id: 'CON'\n")


@pcase("params_traversal_batch", "a batch name that climbs out of the outputs folder",
       errors=[err("no path separators")])
def _(path):
    params(path, "notebook: project_self_evaluation\nbatch: '../../outside'\nparameters:\n"
           "  workbook: base_valid.xlsx\n  project_id: 'XM001'\n")


@pcase("params_dotdot_batch", "a batch named '..'", errors=[err("no path separators")])
def _(path):
    params(path, "notebook: project_self_evaluation\nbatch: '..'\nparameters:\n"
           "  workbook: base_valid.xlsx\n  project_id: 'XM001'\n")


@pcase("params_python_tag", "YAML with a Python tag that would run a command",
       errors=[err("no Python tags")])
def _(path):
    params(path, HEAD + "parameters:\n  project_id: !!python/object/apply:os.system "
           "['touch /tmp/perfkit-pwned']\n")


@pcase("params_python_name_tag", "YAML with a python/name tag",
       errors=[err("no Python tags")])
def _(path):
    params(path, "!!python/name:os.system\n")


@pcase("params_alias_bomb", "a YAML alias bomb (billion laughs) in a parameter",
       errors=[err("aliases (*name) are not allowed")])
def _(path):
    lines = ["notebook: project_self_evaluation", "parameters:", "  project_id: 'XM001'",
             "  evil:", "    a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"    {c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
    params(path, "\n".join(lines) + "\n")


@pcase("params_workbook_missing", "a workbook path that does not exist",
       errors=[err("workbook not found")], file="no_such_district.xlsx")
def _(path):
    params(path, HEAD + "parameters:\n  workbook: no_such_district.xlsx\n  project_id: 'XM001'\n")


@pcase("params_nul_in_path", "a NUL character in the workbook path",
       errors=[err("NUL character", column="parameters.workbook")])
def _(path):
    params(path, HEAD + 'parameters:\n  workbook: "base_valid.xlsx\\0.txt"\n  project_id: XM001\n')


@pcase("params_not_a_mapping", "a YAML list instead of a mapping",
       errors=[err("must be a mapping")])
def _(path):
    params(path, "- notebook\n- project_self_evaluation\n")


@pcase("params_empty", "an empty params file", errors=[err("must be a mapping")])
def _(path):
    path.write_bytes(b"")


@pcase("params_invalid_yaml", "YAML that does not parse", errors=[err("not valid YAML")])
def _(path):
    params(path, HEAD + "parameters: {project_id: 'XM001'\n")


@pcase("params_gb18030", "a params file saved in GB18030", errors=[err("not UTF-8")])
def _(path):
    path.write_bytes((HEAD + "parameters:\n  project_id: '项目一'\n").encode("gb18030"))


# ============================================================================================
# byte builders
# ============================================================================================
def ole_header() -> bytes:
    """The first sector of an OLE2 compound file, as Excel writes an encrypted .xlsx (the
    EncryptionInfo/EncryptedPackage streams live inside such a container)."""
    hdr = bytearray(512)
    hdr[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")        # signature
    struct.pack_into("<HHHHH", hdr, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)  # minor, major v3, BOM,
    struct.pack_into("<I", hdr, 44, 1)                   # sector shifts; one FAT sector
    struct.pack_into("<I", hdr, 48, 1)                   # first directory sector
    struct.pack_into("<I", hdr, 56, 4096)                # mini stream cutoff
    struct.pack_into("<I", hdr, 60, 0xFFFFFFFE)          # no mini FAT
    struct.pack_into("<I", hdr, 68, 0xFFFFFFFE)          # no DIFAT sectors
    struct.pack_into("<I", hdr, 76, 0)                   # FAT in sector 0
    for k in range(1, 109):
        struct.pack_into("<I", hdr, 76 + 4 * k, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
    dirs = bytearray(512)
    name = "Root Entry".encode("utf-16-le") + b"\0\0"
    dirs[0:len(name)] = name
    struct.pack_into("<HBB", dirs, 64, len(name), 5, 1)
    name2 = "EncryptedPackage".encode("utf-16-le") + b"\0\0"
    dirs[128:128 + len(name2)] = name2
    struct.pack_into("<HBB", dirs, 128 + 64, len(name2), 2, 1)
    return bytes(hdr + fat + dirs)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def zip_bomb(path: Path, member: str, size: int, *, lie: int | None = None) -> None:
    """A valid-looking workbook whose ``member`` decompresses to ``size`` bytes of XML."""
    data = xlsx_bytes(base())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/' \
           b'spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    block = b" " * (1 << 20)
    n_blocks, rest = divmod(size - len(head) - len(tail), len(block))

    def piece(data: bytes, final: bool = False) -> bytes:
        # each piece ends at a full flush, so identical data deflates to identical bytes and
        # the pieces concatenate into one raw deflate stream
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)
    deflated = (piece(head) + piece(block) * n_blocks
                + piece(b" " * rest + tail, final=True))
    crc = zlib.crc32(head)
    for _ in range(n_blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(b" " * rest + tail, crc)
    declared = size if lie is None else lie
    out = io.BytesIO()
    central = []
    for name, content in items:
        nb = name.encode()
        if name == member:
            raw, c, usize = deflated, crc & 0xFFFFFFFF, declared
        else:
            co = zlib.compressobj(9, zlib.DEFLATED, -15)
            raw = co.compress(content) + co.flush()
            c, usize = zlib.crc32(content) & 0xFFFFFFFF, len(content)
        off = out.tell()
        dos_time, dos_date = 0, (2024 - 1980) << 9 | 1 << 5 | 1
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, dos_time, dos_date, c,
                              len(raw), usize, len(nb), 0) + nb + raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, dos_time,
                                   dos_date, c, len(raw), usize, len(nb), 0, 0, 0, 0, 0, off)
                       + nb)
    cd_off = out.tell()
    cd = b"".join(central)
    out.write(cd)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(cd),
                          cd_off, 0))
    path.write_bytes(out.getvalue())


# ============================================================================================
# main
# ============================================================================================
def generate(out_dir: Path) -> list[dict]:
    """Write every case into ``out_dir/cases`` and ``out_dir/cases.yaml``; return the entries."""
    cases = out_dir / "cases"
    if cases.exists():
        shutil.rmtree(cases)
    cases.mkdir(parents=True)
    ids = [c.id for c in CASES]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise RuntimeError(f"duplicate case ids: {sorted(dup)}")
    entries = []
    for c in CASES:
        c.build(cases / c.input)
        entries.append(c.entry())
    text = ("# Generated by make_corpus.py — do not edit by hand; edit the generator and re-run it.\n"
            + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100))
    (out_dir / "cases.yaml").write_text(text, encoding="utf-8")
    return entries


def snapshot(root: Path) -> dict[str, object]:
    """Contents of a generated corpus, comparable across runs: zip members unpacked."""
    out: dict[str, object] = {}
    for f in sorted(root.rglob("*")):
        if not f.is_file():
            continue
        rel = f.relative_to(root).as_posix()
        data = f.read_bytes()
        if data[:4] == b"PK\x03\x04" and f.suffix == ".xlsx":
            try:
                with zipfile.ZipFile(f) as z:
                    if sum(i.file_size for i in z.infolist()) < 50 * 2**20:
                        out[rel] = {i.filename: z.read(i.filename) for i in z.infolist()}
                        continue
            except Exception:  # noqa: BLE001 - a broken zip is compared byte for byte
                pass
        out[rel] = data
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        with tempfile.TemporaryDirectory() as d:
            generate(Path(d))
            fresh = snapshot(Path(d))
        committed = {k: v for k, v in snapshot(HERE).items()
                     if k.startswith(("cases/", "cases.yaml"))}
        same = fresh == committed
        print("corpus is up to date" if same else "corpus differs from the generator")
        return 0 if same else 1
    entries = generate(HERE)
    size = sum(f.stat().st_size for f in CASES_DIR.rglob("*") if f.is_file())
    print(f"{len(entries)} cases written to {CASES_DIR} ({size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
