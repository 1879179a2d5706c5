"""Read the official forms (项目支出绩效自评表, 绩效目标申报表, 绩效监控表) as departments submit them.

Departments hand in their self-evaluations and targets on the official forms — Excel files
exported from the budget system or filled in by hand — rather than in perfkit's workbook format
(:mod:`perfkit.model.schema`). :func:`read_forms` finds every form in every sheet of a folder of
``.xlsx`` files, reads it cell by cell and returns a :class:`FormsImport` whose
:meth:`~FormsImport.to_workbook` gives the tables of the workbook format (written with
:func:`perfkit.datasets.demo.write`, read back with :func:`perfkit.io.read_workbook`).

Finding the forms
-----------------
Labels are compared after NFKC normalisation (full-width letters, digits, brackets and colons
become half-width), with all white space and line breaks removed, a trailing bracket such as
``（万元）`` / ``(A)`` / ``(50分)`` / ``(盖章)`` dropped, a trailing colon dropped and leading
numbering (``1.``, ``一、``) ignored: ``项 目 名 称``, ``实施单位\\n(盖章)`` and ``年初预算数（万元）``
all match.

* **A form starts** at each cell labelled 项目名称 (the value is the next cell to the right, or
  the text after the colon of ``项目名称：…``). The title rows just above it (a cell with ``表`` and
  绩效/自评/申报/监控, a year line such as ``（2022年度）``, ``填报单位：``, ``报表编号：``, ``附件``)
  belong to the form; it ends where the next form starts. So a sheet may hold one form, or
  several stacked one below another with title rows and blank separator rows.
* **Kind**: a title with 自评 is a self-evaluation (自评表), with 监控 a monitoring form
  (监控表), with 申报 or 目标表 a target form (申报表); without a title, a form with 实际完成值 or
  得分 columns is a self-evaluation, one with ``1-N月执行情况`` a monitoring form, else a target
  form.
* **Year**: the first ``YYYY年`` in the title rows; else the ``year`` argument; else the form is
  not read (reported).
* **Header fields**: 项目名称, 项目编码/项目代码/项目编号, 主管部门, 实施单位/执行单位. A code printed
  before the name (``51000021R000000019951-工资性支出``, ``219-池州市贵池区棠溪镇人民政府``) is split
  off as the project / department code (noted).
* **Funds** (项目资金 / 预算执行情况 / 资金情况): the row with at least two of 年初预算数(年初预算),
  全年预算数(调整后预算数), 全年执行数(预算执行数), ``1-N月执行数``; then one row per source:
  年度资金总额(总额/合计) and 当年财政拨款 (本年财政拨款, 财政拨款, 财政资金), 上年结转资金, 其他资金
  (财政专户管理资金, 单位资金, 自筹资金 … are summed into 其他资金, noted). 分值/权重 and 得分 of
  the total row are the execution weight and the self-awarded execution score; a 原因 column is
  the explanation of a low execution rate. A target form without that header row may give
  ``年度资金总额 | 100`` label–value rows (read as 年初预算数).
* **Objective**: 预期目标 / 项目年度目标 / 年初设定目标 and 实际完成情况 / 年度目标完成情况 (the
  text below the header, or to its right); or ``年度总体目标 | text``.
* **Indicators**: the row with 一级指标 and 三级指标 (or 二级指标); the columns 年度指标值 (指标值,
  目标值), 指标性质, 度量单位/计量单位, 实际完成值 (完成值, 全年实际值), 分值/权重, 得分, a column
  whose header holds 原因 (偏差原因分析及改进措施, 未完成原因分析 …), and for monitoring
  ``1-N月执行情况``, 全年预计完成情况, 完成目标可能性. A second header row under it (指标性质 |
  指标值 | 度量单位 under a merged 年度指标值) is read with it. 一级/二级 merged down over their
  rows (or printed once and left blank below) apply to every row beneath; ``产出指标(50分)`` gives
  产出指标 and the group's printed points.
* **Footer**: 总分/合计 (the form's weight total and its self-awarded total 得分), 评价结论,
  存在问题, 改进措施; signature and note rows are ignored.
* Merged cells hold their value in the top-left cell; only 一级/二级 (and labels) are read
  through a merge, so a weight merged over two rows is never counted twice. A cell still holding
  the template's instruction (``…（100字以内）``) counts as empty (noted).

Reading the values
------------------
Targets and actuals go through :func:`perfkit.io.values.resolve_indicators` (with
:func:`~perfkit.io.values.parse_target`), exactly as the workbook reader reads them, so ``≥95%``,
``≧735人次``, ``═100%``, ``≤30万元``, ``按时完成``, ``2022年12月底前``, ``较上年提高`` and full-width
digits read the same here and there. Amounts, weights and scores must be numbers (a unit 万元 or
分 may follow). A qualitative actual is turned into a rating (定性评级) only when it says so:
达成/已完成/达成预期指标…, 部分达成/部分完成, 未达成/未完成…, or when it repeats the target's own
words (``效果明显`` for ``效果明显``); any other qualitative actual is reported, never guessed.

Monitoring forms (绩效监控表) also give each indicator's in-year progress: ``1-N月执行情况``
(N is the month, else the month of the funds block's ``1-N月执行数``), 全年预计完成情况,
完成目标可能性 (确定能 / 有可能 / 不可能, else an error) and a 原因 column. They become rows of the
workbook's indicator_progress table (指标监控) in :meth:`FormsImport.to_workbook`: the 原因 cell
is the 偏差原因 category when it names one (经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他),
else the 偏差原因分析 text; a row whose 1-N月执行情况 is empty, or whose month is unknown, is
left out (noted).

What is reported
----------------
``problems`` (errors): every cell that could not be read, with file, sheet and cell address
(``column='D17'``, ``row=17``), the value found and the rule; a form without a year, a project
name or a department; an unknown fund source or 一级指标; a duplicated indicator or project.
Rows with an error in their key cells (一级/二级/三级, 年度指标值) are left out of the workbook;
an actual, weight or score that could not be read is written blank. ``notes``: what was done on
the reader's behalf — a generated id, a code split from a name, the sum of the fund rows used
for an all-zero 年度资金总额, sources summed into 其他资金, an execution weight other than 10
(it is written to ``projects.execution_weight`` and the scoring uses it: a form that prints 9
with indicators adding up to 91 is scored as printed), weights that do not add up to the form's
total, empty actuals, a form superseded by another
form of the same project.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from .._results import Result
from ..errors import InputError, Problem
from ..model.schema import DEVIATION_REASONS, DIRECTIONS, LEVEL1, LIKELIHOODS, TABLES
from .values import (_key1, normalise, parse_choice, parse_target, resolve_indicators, texts,
                     to_text)
from .workbook import (_col_letter, _sheet_fast, _sheet_openpyxl, _shared_strings,
                       _style_kinds, _workbook_parts)

__all__ = ["read_forms", "FormsImport", "FORM_KINDS", "REPORT_COLUMNS", "ISSUE_COLUMNS"]

#: form kinds → the official form's name
FORM_KINDS = {"self_eval": "项目支出绩效自评表", "targets": "绩效目标申报表", "monitoring": "绩效监控表"}
#: when several forms give the same project and year, the first kind in this order is used
_PRECEDENCE = ("self_eval", "monitoring", "targets")
#: the 预算执行率 weight of the self-evaluation (domain.md §4.1); other values are noted
STANDARD_EXECUTION_WEIGHT = 10.0

#: columns of :meth:`FormsImport.report`
REPORT_COLUMNS = ("file", "sheet", "form", "range", "year", "project_id", "project", "department",
                  "indicators", "cells_not_parsed", "notes", "execution_weight",
                  "execution_awarded", "awarded_total", "status")
#: columns of :meth:`FormsImport.issues`
ISSUE_COLUMNS = ("severity", "file", "sheet", "cell", "value", "rule")

_MAX_MERGED = 200_000
_FORM_FILES = (".xlsx", ".xlsm")

# ============================================================================================
# labels
# ============================================================================================
_FIELD = {
    "项目名称": "name", "项目编码": "project_id", "项目代码": "project_id", "项目编号": "project_id",
    "项目id": "project_id", "主管部门": "department", "主管单位": "department",
    "主管部门及代码": "department", "主管部门名称": "department", "实施单位": "implementing_unit",
    "执行单位": "implementing_unit", "项目实施单位": "implementing_unit",
    "实施单位及代码": "implementing_unit", "实施单位名称": "implementing_unit",
}
_FUNDS = {
    "年初预算数": "initial", "年初预算": "initial", "年初预算金额": "initial", "年初批复预算数": "initial",
    "全年预算数": "adjusted", "全年预算": "adjusted", "调整后预算数": "adjusted",
    "调整后预算": "adjusted", "全年预算金额": "adjusted",
    "全年执行数": "executed", "全年执行": "executed", "预算执行数": "executed", "执行数": "executed",
    "全年实际执行数": "executed", "实际执行数": "executed", "全年执行金额": "executed",
    "全年预计执行数": "forecast", "预计全年执行数": "forecast",
    "分值": "weight", "权重": "weight", "执行率": "rate", "预算执行率": "rate", "得分": "score",
}
_AMOUNT_FIELDS = ("initial", "adjusted", "executed", "to_date", "forecast")
_TO_DATE = re.compile(r"^(?:1[-~～至到—–])?(\d{1,2})月(?:末|底)?(?:累计)?"
                      r"(?:执行数|支出数|执行金额|支出金额|实际执行数|执行|支出)$")
_SOURCES = {
    **{k: "total" for k in ("年度资金总额", "资金总额", "总额", "合计", "总计", "项目资金总额",
                            "年度资金合计", "资金合计", "年度资金", "项目资金合计")},
    **{k: "当年财政拨款" for k in ("当年财政拨款", "本年财政拨款", "财政拨款", "财政资金",
                               "当年财政拨款资金", "本年财政拨款资金", "财政拨款资金", "本级财政资金")},
    **{k: "上年结转资金" for k in ("上年结转资金", "上年结转", "结转资金", "上年结转结余资金")},
    **{k: "其他资金" for k in ("其他资金", "其他", "财政专户管理资金", "单位资金", "单位自有资金",
                             "自有资金", "自筹资金", "社会投入资金", "银行贷款", "其他资金来源")},
}
_IND = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3",
    "年度指标值": "target", "指标值": "target", "年度目标值": "target", "目标值": "target",
    "预期指标值": "target", "年度指标值(目标值)": "target",
    "指标性质": "direction", "指标方向": "direction",
    "度量单位": "unit", "计量单位": "unit", "单位": "unit",
    "实际完成值": "actual", "完成值": "actual", "全年实际值": "actual", "实际值": "actual",
    "全年实际完成值": "actual", "年度实际完成值": "actual", "实际完成": "actual",
    "分值": "weight", "权重": "weight", "指标分值": "weight",
    "得分": "awarded", "自评得分": "awarded",
    "全年预计完成情况": "forecast", "全年预计完成值": "forecast", "预计完成情况": "forecast",
    "完成目标可能性": "likelihood", "完成可能性": "likelihood", "中期指标值": "midterm",
    "备注": "remark",
}
_PROGRESS = re.compile(r"^(?:1[-~～至到—–])?(\d{1,2})月(?:末|底)?(?:累计)?"
                       r"(?:执行情况|完成情况|完成值|实际完成值|执行值|进度|实际完成情况)$")
_OBJ_EXPECTED = {"预期目标", "年度目标", "项目年度目标", "年初设定目标", "年度预期目标",
                 "预期绩效目标", "年初目标"}
_OBJ_ACTUAL = {"实际完成情况", "年度目标完成情况", "年度总体目标完成情况",
               "年度总体目标完成情况综述", "目标完成情况", "总体目标完成情况", "目标实际完成情况"}
_OBJ_LABEL = {"年度总体目标", "总体目标", "年度绩效目标", "绩效目标"}
_SECTION = {"项目资金", "资金情况", "预算执行情况", "项目资金情况", "资金投入情况", "项目基本情况",
            "绩效指标", "年度绩效指标", "项目实施内容及过程概述", "项目年度目标完成情况",
            *_OBJ_LABEL}
_FOOT = {
    **{k: "total" for k in ("总分", "合计", "总计", "自评总分", "总得分", "分值合计")},
    **{k: "conclusion" for k in ("评价结论", "自评结论", "结论")},
    **{k: "problems" for k in ("存在问题", "存在的问题", "主要问题")},
    **{k: "measures" for k in ("改进措施", "改进意见", "下一步改进措施", "整改措施", "相关建议或举措")},
    **{k: "ignore" for k in ("评价等级", "自评等级", "项目负责人", "财务负责人", "填报人", "填表人",
                             "审核人", "联系电话", "单位负责人", "注", "说明", "填表说明", "备注",
                             "偏差原因分析", "不能完成原因分析", "偏差/不能完成原因分析")},
}
_TEMPLATE = re.compile(r"[0-9]+字(?:以内|左右)")
_TITLE_WORDS = ("绩效", "自评", "申报", "监控")
_YEAR_LINE = re.compile(r"^\(?(?:19|20)[0-9]{2}年(?:度)?(?:[0-9]{1,2}[-~至到—–]?[0-9]{0,2}月)?\)?$")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年")
_TITLE_PREFIX = ("填报单位", "单位:", "金额单位", "报表编号", "附件", "附表", "编制单位", "填报日期")
_POINTS = re.compile(r"\(\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*\)")
_POINTS_ANY = re.compile(r"[(（]\s*[0-9０-９.．]+\s*分\s*[)）]")
_PAREN_TAIL = re.compile(r"\([^()]*\)$")
_LEAD_NUM = re.compile(r"^(?:[0-9]+[.、]|[一二三四五六七八九十]+、|\([一二三四五六七八九十0-9]+\))")
_CODE_NAME = re.compile(r"^\s*([0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+)\s*[-－—–_:：]\s*(\S.*)$", re.S)

#: qualitative actuals that state the rating (after NFKC, white space removed, case folded)
RATING_WORDS = {
    **{w: "达成" for w in ("达成", "已达成", "达成预期指标", "达成预期目标", "达成年度指标",
                           "达到预期", "达到预期目标", "达到预期指标", "已达到预期", "已完成", "完成",
                           "全部完成", "已全部完成", "达标", "已达标", "完成目标", "已实现", "实现",
                           "全面完成", "已全面完成")},
    **{w: "部分达成" for w in ("部分达成", "部分完成", "部分达到", "部分达成年度指标",
                             "部分达成年度指标并具有一定效果", "部分实现")},
    **{w: "未达成" for w in ("未达成", "未完成", "未达到", "未达标", "未实现", "未达成年度指标",
                           "未达成年度指标且效果较差", "没有完成")},
}


@lru_cache(maxsize=65536)
def _lab(text: str) -> tuple[str | None, str | None]:
    """(label key, inline value) of a cell text: ``项目名称：学生营养餐`` → (项目名称, 学生营养餐)."""
    t = unicodedata.normalize("NFKC", text).strip()
    inline = None
    m = re.match(r"^([^:]{1,14}):\s*(.*)$", t, re.S)
    if m:
        t, rest = m.group(1), m.group(2).strip()
        inline = rest or None
    k = re.sub(r"\s+", "", t).casefold().strip("*※")
    while True:
        k2 = _PAREN_TAIL.sub("", k)
        if k2 == k or not k2:
            break
        k = k2
    k = _LEAD_NUM.sub("", k)
    return (k or None), inline


def _text(v: Any) -> str | None:
    """A cell as text, trimmed, as printed (names and free texts are not normalised)."""
    return to_text(v)


def _split_code(text: str | None, *, min_len: int) -> tuple[str | None, str | None]:
    """``219-池州市…`` → (``219``, ``池州市…``); (None, text) when no code is printed."""
    if not text:
        return None, text
    m = _CODE_NAME.match(text)
    code = unicodedata.normalize("NFKC", m.group(1)) if m else ""
    if m and len(code) >= min_len and sum(ch.isdigit() for ch in code) >= 2:
        return code, m.group(2).strip()
    return None, text


def _nfkc_first(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).strip()
    return t[:1] or " "


def _stable_id(prefix: str, *parts: str, n: int = 10) -> str:
    h = hashlib.sha1("|".join(p or "" for p in parts).encode("utf-8")).hexdigest()
    return prefix + h[:n].upper()


# ============================================================================================
# sheets as grids of cells
# ============================================================================================
class _Grid:
    """One sheet: its own cell values, merged ranges and label keys."""

    def __init__(self, file: str, sheet: str, rows, cols, vals, merges):
        self.file, self.sheet = file, sheet
        self.cells: dict[tuple[int, int], Any] = {}
        for r, c, v in zip(rows, cols, vals):
            if isinstance(v, str):
                v = v.strip() or None
            if v is not None:
                self.cells[(int(r), int(c))] = v
        self.owner: dict[tuple[int, int], tuple[int, int]] = {}
        self.span: dict[tuple[int, int], tuple[int, int]] = {}
        max_r = max((r for r, _ in self.cells), default=0)
        max_c = max((c for _, c in self.cells), default=0)
        budget = _MAX_MERGED
        for ref in merges:
            m = re.fullmatch(r"([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)", ref)
            if not m:
                continue
            c1, r1 = _col_number(m.group(1)), int(m.group(2))
            c2, r2 = _col_number(m.group(3)), int(m.group(4))
            self.span[(r1, c1)] = (r2, c2)
            for r in range(r1, min(r2, max_r) + 1):
                for c in range(c1, min(c2, max_c) + 1):
                    if (r, c) != (r1, c1):
                        budget -= 1
                        if budget < 0:
                            break
                        self.owner[(r, c)] = (r1, c1)
                        self.cells.pop((r, c), None)
        self.by_row: dict[int, list[int]] = {}
        for r, c in sorted(self.cells):
            self.by_row.setdefault(r, []).append(c)
        self.rows = sorted(self.by_row)

    def own(self, r: int, c: int) -> Any:
        return self.cells.get((r, c))

    def value(self, r: int, c: int) -> tuple[Any, tuple[int, int]]:
        """Value through a merge, and the cell that holds it."""
        o = self.owner.get((r, c), (r, c))
        return self.cells.get(o), o

    def label(self, r: int, c: int) -> tuple[str | None, str | None]:
        v = self.cells.get((r, c))
        return _lab(v) if isinstance(v, str) else (None, None)

    def end_col(self, r: int, c: int) -> int:
        return self.span.get((r, c), (r, c))[1]


@lru_cache(maxsize=4096)
def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _addr(rc: tuple[int, int]) -> str:
    return f"{_col_letter(rc[1])}{rc[0]}"


def _read_grids(path: Path, issues: "_Issues") -> list[_Grid]:
    """Every sheet of an .xlsx file as a grid (reusing the workbook reader's cell parser, so a
    percent-formatted 0.95 reads ``95%`` and a date cell reads as ISO text)."""
    file = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        issues.error(f"not a readable .xlsx file ({e})", file=file)
        return []
    out = []
    with zf:
        try:
            sheets, ss_part, st_part, date1904 = _workbook_parts(zf)
            strings = [x.strip() or None for x in _shared_strings(zf, ss_part)]
            kinds = _style_kinds(zf, st_part)
        except (KeyError, ET.ParseError) as e:
            issues.error(f"not a readable .xlsx file ({e})", file=file)
            return []
        opx = None
        for name, part in sheets:
            try:
                raw = zf.read(part)
            except KeyError:
                issues.error("the sheet's data is missing from the file", file=file, sheet=name)
                continue
            notes: list[str] = []
            res = _sheet_fast(raw, strings, kinds, date1904, notes, f"sheet {name!r}")
            if res is None:
                if opx is None:
                    import warnings

                    import openpyxl
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", UserWarning)
                        opx = openpyxl.load_workbook(path, read_only=True, data_only=True)
                res = _sheet_openpyxl(opx, name, raw)
            for n in notes:
                issues.note(n, file=file, sheet=name)
            rows, cols, vals, merges = res
            out.append(_Grid(file, name, rows, cols, vals, merges))
        if opx is not None:
            opx.close()
    return out


# ============================================================================================
# problems and notes
# ============================================================================================
class _Issues:
    def __init__(self):
        self.items: list[tuple[str, Problem, int | None]] = []   # (severity, problem, form)

    def _add(self, sev, rule, *, file=None, sheet=None, cell=None, value=None, form=None):
        row = None
        if cell is not None:
            m = re.fullmatch(r"[A-Z]+([0-9]+)", cell)
            row = int(m.group(1)) if m else None
        self.items.append((sev, Problem(rule=rule, file=file, sheet=sheet, row=row, column=cell,
                                        value=to_text(value) if value is not None else None),
                           form))

    def error(self, rule, **kw):
        self._add("error", rule, **kw)

    def note(self, rule, **kw):
        self._add("note", rule, **kw)


# ============================================================================================
# finding the forms in a sheet
# ============================================================================================
def _is_title(text: str) -> bool:
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if _YEAR_LINE.match(t) or t.startswith(_TITLE_PREFIX):
        return True
    return "表" in t and len(t) <= 40 and any(w in t for w in _TITLE_WORDS) and ":" not in t


def _anchors(g: _Grid) -> list[tuple[int, int]]:
    out = []
    for r in g.rows:
        for c in g.by_row[r]:
            if g.label(r, c)[0] == "项目名称":
                out.append((r, c))
                break
    return out


def _blocks(g: _Grid) -> list[tuple[int, int, tuple[int, int], list[int]]]:
    """(top, bottom, anchor cell, title rows) of each form candidate in the sheet."""
    anchors = _anchors(g)
    tops = []
    prev = 0
    for ar, _ in anchors:
        top, titles = ar, []
        for r in range(ar - 1, max(prev, ar - 7), -1):
            if r not in g.by_row:
                continue
            texts_ = [g.own(r, c) for c in g.by_row[r]]
            if all(isinstance(t, str) and _is_title(t) for t in texts_):
                top = r
                titles.append(r)
            else:
                break
        tops.append((top, sorted(titles)))
        prev = ar
    out = []
    last = g.rows[-1] if g.rows else 0
    for k, ((ar, ac), (top, titles)) in enumerate(zip(anchors, tops)):
        bottom = tops[k + 1][0] - 1 if k + 1 < len(tops) else last
        out.append((top, bottom, (ar, ac), titles))
    return out


def _right_value(g: _Grid, r: int, c: int, *, inline: bool = True
                 ) -> tuple[Any, tuple[int, int] | None]:
    """The value of a label at (r, c): inline after the colon, else the next own cell to the
    right that is not itself a label."""
    if inline:
        _, text = g.label(r, c)
        if text is not None:
            return text, (r, c)
    end = g.end_col(r, c)
    for cc in g.by_row.get(r, []):
        if cc <= end:
            continue
        v = g.own(r, cc)
        if isinstance(v, str) and _known_label(_lab(v)[0]) and _lab(v)[1] is None:
            return None, None
        return v, (r, cc)
    return None, None


@lru_cache(maxsize=None)
def _all_labels() -> frozenset:
    return frozenset({*_FIELD, *_FUNDS, *_IND, *_OBJ_EXPECTED, *_OBJ_ACTUAL, *_SECTION, *_FOOT,
                      "年度", "预算年度", "项目负责人及电话"})


def _known_label(k: str | None) -> bool:
    return k is not None and (k in _all_labels() or bool(_TO_DATE.match(k))
                              or bool(_PROGRESS.match(k)))


def _funds_key(k: str | None) -> tuple[str | None, int | None]:
    if k is None:
        return None, None
    if k in _FUNDS:
        return _FUNDS[k], None
    m = _TO_DATE.match(k)
    if m and 1 <= int(m.group(1)) <= 12:
        return "to_date", int(m.group(1))
    if "原因" in k or k in ("说明", "执行率偏低说明"):
        return "reason", None
    return None, None


def _ind_key(k: str | None) -> tuple[str | None, int | None]:
    if k is None:
        return None, None
    if k in _IND:
        return _IND[k], None
    m = _PROGRESS.match(k)
    if m and 1 <= int(m.group(1)) <= 12:
        return "progress", int(m.group(1))
    if "原因" in k:
        return "deviation", None
    return None, None


def _source_key(g: _Grid, r: int, c: int) -> tuple[str | None, str | None]:
    """(canonical source or "total", label as printed) of a fund-source label cell."""
    v = g.own(r, c)
    if not isinstance(v, str):
        return None, None
    k, inline = _lab(v)
    if k == "其中" and inline:
        k, _ = _lab(inline)
    elif k is not None and k.startswith("其中"):
        k = k[2:].lstrip(":")
    if k is not None:
        k = k.rstrip(":")
    return _SOURCES.get(k), (k or None)


@dataclass
class _Form:
    """One form as found in a sheet (raw cells and their addresses)."""

    idx: int
    file: str
    sheet: str
    kind: str | None
    top: int
    bottom: int
    title: str | None
    year: int | None
    year_cell: str | None
    fields: dict          # name → (value, address)
    funds: list           # [{"source", "label", "label_cell", field → (raw, address)}]
    funds_meta: dict      # weight_from_label, to_date_month, header_row
    objective: dict       # "objective"/"achievement" → (text, address)
    indicators: list      # [{column → (raw, address)}]
    footer: dict          # total_weight, awarded_total, conclusion, problems, measures
    last_row: int
    min_col: int
    max_col: int
    has_actual_cols: bool
    has_progress_cols: bool
    progress_month: int | None = None     # N of the 1-N月执行情况 column


def _parse_block(g: _Grid, idx: int, top: int, bottom: int, anchor: tuple[int, int],
                 titles: list[int], issues: _Issues) -> _Form | None:
    rows = [r for r in g.rows if top <= r <= bottom]
    nxt = [c for c in g.by_row[anchor[0]] if c > g.end_col(*anchor)]
    if g.label(*anchor)[1] is None and nxt and isinstance(g.own(anchor[0], nxt[0]), str) \
            and _known_label(_lab(g.own(anchor[0], nxt[0]))[0]):
        issues.note("项目名称 heads a column of a table (the next cell is another header), not a "
                    "form; skipped", file=g.file, sheet=g.sheet, cell=_addr(anchor))
        return None
    # --- title, kind and year -----------------------------------------------------------------
    title, year, year_cell = None, None, None
    for r in [*titles, anchor[0]]:
        for c in g.by_row.get(r, []):
            v = g.own(r, c)
            if not isinstance(v, str):
                continue
            t = unicodedata.normalize("NFKC", v)
            if r in titles and title is None and "表" in t:
                title = re.sub(r"\s+", "", t)
            compact = re.sub(r"\s+", "", t)
            if year is None and r in titles and ("表" in t or _YEAR_LINE.match(compact)):
                m = _YEAR.search(t)
                if m:
                    year, year_cell = int(m.group(1)), _addr((r, c))
    kind = None
    if title:
        if "自评" in title:
            kind = "self_eval"
        elif "监控" in title:
            kind = "monitoring"
        elif "申报" in title or "目标表" in title or "目标申报" in title:
            kind = "targets"

    # --- indicator header ----------------------------------------------------------------------
    ind_row, ind_cols, ind_start = None, {}, None
    for r in rows:
        cols = {}
        for c in g.by_row[r]:
            name, month = _ind_key(g.label(r, c)[0])
            if name and name not in {v[0] for v in cols.values()}:
                cols[c] = (name, month)
        names = {v[0] for v in cols.values()}
        if "level1" in names and ("level3" in names or "level2" in names):
            ind_row, ind_cols, ind_start = r, cols, r + 1
            break
    if ind_row is not None and ind_row + 1 in g.by_row:
        sub = {}
        for c in g.by_row[ind_row + 1]:
            name, month = _ind_key(g.label(ind_row + 1, c)[0])
            if name in ("target", "direction", "unit", "actual", "weight", "awarded",
                        "progress", "forecast", "midterm"):
                sub[c] = (name, month)
        if sub:
            merged = dict(ind_cols)
            for c, nm in sub.items():
                merged[c] = nm
            # a group header that now has sub-headers under it no longer names its own column
            seen, ind_cols = set(), {}
            for c in sorted(merged):
                if merged[c][0] not in seen:
                    ind_cols[c] = merged[c]
                    seen.add(merged[c][0])
            ind_start = ind_row + 2
    stop = ind_row if ind_row is not None else bottom + 1

    # --- header fields -------------------------------------------------------------------------
    fields: dict[str, tuple] = {}
    for r in rows:
        if r >= stop:
            break
        for c in g.by_row[r]:
            k = g.label(r, c)[0]
            if k in _FIELD and _FIELD[k] not in fields:
                v, at = _right_value(g, r, c)
                fields[_FIELD[k]] = (_text(v), _addr(at) if at else _addr((r, c)), _addr((r, c)))

    # --- funds ---------------------------------------------------------------------------------
    funds, funds_meta = [], {"weight_from_label": None, "to_date_month": None,
                             "header_row": None, "columns": {"initial"}}
    f_row, f_cols = None, {}
    for r in rows:
        if r >= stop:
            break
        cols = {}
        for c in g.by_row[r]:
            name, month = _funds_key(g.label(r, c)[0])
            if name and name not in {v[0] for v in cols.values()}:
                cols[c] = (name, month)
        if len({v[0] for v in cols.values()} & {"initial", "adjusted", "executed", "to_date"}) >= 2:
            f_row, f_cols = r, cols
            break
    section_rows = set()
    for r in rows:
        if r >= stop:
            break
        for c in g.by_row[r]:
            k = g.label(r, c)[0]
            if k in ("项目资金", "资金情况", "预算执行情况", "项目资金情况", "资金投入情况"):
                pts = _POINTS.search(unicodedata.normalize("NFKC", str(g.own(r, c))))
                if pts and funds_meta["weight_from_label"] is None:
                    funds_meta["weight_from_label"] = float(pts.group(1))
            if k in _SECTION or k in _OBJ_EXPECTED or k in _OBJ_ACTUAL:
                section_rows.add(r)
    if f_row is not None:
        funds_meta["header_row"] = f_row
        funds_meta["columns"] = {nm for nm, _ in f_cols.values()}
        for c, (nm, month) in f_cols.items():
            if nm == "to_date":
                funds_meta["to_date_month"] = month
        first_amount = min(c for c, (nm, _) in f_cols.items() if nm in _AMOUNT_FIELDS)
        for r in rows:
            if r <= f_row or r >= stop:
                continue
            label, label_at, src = None, None, None
            for c in g.by_row[r]:
                if c >= first_amount:
                    break
                s, printed = _source_key(g, r, c)
                if s is not None:
                    label, label_at, src = printed, (r, c), s
                    break
                if isinstance(g.own(r, c), str):
                    label, label_at = _lab(g.own(r, c))[0], (r, c)
            has_amount = any(g.own(r, c) is not None for c, (nm, _) in f_cols.items()
                             if nm in _AMOUNT_FIELDS)
            if src is None:
                if label is not None and (label in _SECTION or _known_label(label)
                                          or r in section_rows):
                    break
                if label is not None and has_amount:
                    issues.error(f"fund source {label!r} not recognised; use 当年财政拨款 / 上年"
                                 "结转资金 / 其他资金 (or 年度资金总额 for the total)",
                                 file=g.file, sheet=g.sheet, cell=_addr(label_at),
                                 value=g.own(*label_at), form=idx)
                    continue
                if not has_amount:
                    break
                continue
            rec = {"source": src, "label": label, "label_cell": _addr(label_at)}
            for c, (nm, _) in f_cols.items():
                if c <= label_at[1]:
                    continue
                rec[nm] = (g.own(r, c), _addr((r, c)))
            funds.append(rec)
    else:
        # label–value rows (target forms): 年度资金总额 | 100
        for r in rows:
            if r >= stop:
                break
            for c in g.by_row[r]:
                s, printed = _source_key(g, r, c)
                if s is None:
                    continue
                v, at = _right_value(g, r, c, inline=False)
                if at is not None:
                    funds.append({"source": s, "label": printed, "label_cell": _addr((r, c)),
                                  "initial": (v, _addr(at))})
                break

    # --- objective -----------------------------------------------------------------------------
    objective: dict[str, tuple] = {}
    for r in rows:
        if r >= stop:
            break
        for c in g.by_row[r]:
            k = g.label(r, c)[0]
            which = ("objective" if k in _OBJ_EXPECTED else "achievement" if k in _OBJ_ACTUAL
                     else None)
            if which is None or which in objective:
                continue
            below = g.own(r + 1, c)
            if below is not None and not (isinstance(below, str) and _known_label(_lab(below)[0])):
                objective[which] = (_text(below), _addr((r + 1, c)))
            else:
                v, at = _right_value(g, r, c)
                if at is not None:
                    objective[which] = (_text(v), _addr(at))
    if "objective" not in objective:
        for r in rows:
            if r >= stop:
                break
            for c in g.by_row[r]:
                if g.label(r, c)[0] in _OBJ_LABEL:
                    v, at = _right_value(g, r, c)
                    if at is not None:
                        objective["objective"] = (_text(v), _addr(at))
                        break
            if "objective" in objective:
                break

    # --- indicators ----------------------------------------------------------------------------
    indicators: list[dict] = []
    footer_start = bottom + 1
    col_of = {nm: c for c, (nm, _) in ind_cols.items()}
    if ind_row is not None:
        l1_prev, l2_prev = (None, None), (None, None)
        for r in rows:
            if r < ind_start:
                continue
            first = g.by_row[r][0]
            fk = g.label(r, first)[0]
            if fk in _FOOT or (fk is not None and fk.startswith(("注:", "说明:"))):
                footer_start = r
                break
            rec: dict[str, tuple] = {}
            for nm, c in col_of.items():
                if nm in ("level1", "level2"):
                    v, at = g.value(r, c)
                else:
                    v, at = g.own(r, c), (r, c)
                rec[nm] = (v, _addr(at))
            own_vals = [nm for nm, c in col_of.items()
                        if nm not in ("level1", "level2") and g.own(r, c) is not None]
            l1v, l1a = rec.get("level1", (None, None))
            l2v, l2a = rec.get("level2", (None, None))
            # printed once and left blank below (not merged): carry the group down
            if l1v is None and l1_prev[0] is not None:
                rec["level1"] = l1_prev
            elif l1v is not None:
                if l1_prev[0] != l1v:
                    l2_prev = (None, None)
                l1_prev = (l1v, l1a)
            if l2v is None and l2_prev[0] is not None:
                rec["level2"] = l2_prev
            elif l2v is not None:
                l2_prev = (l2v, l2a)
            if not own_vals:
                continue               # a group heading row, or an empty row
            if g.own(r, col_of.get("level3", -1)) is None and not any(
                    nm in own_vals for nm in ("target", "weight", "actual", "awarded")):
                continue
            rec["_row"] = r
            indicators.append(rec)
        # footer
        footer: dict[str, Any] = {}
        for r in rows:
            if r < footer_start:
                continue
            first = g.by_row[r][0]
            k = g.label(r, first)[0]
            what = _FOOT.get(k)
            if what == "total":
                for nm, key in (("weight", "total_weight"), ("awarded", "awarded_total")):
                    c = col_of.get(nm)
                    if c is not None:
                        v, at = g.value(r, c)
                        if at != (r, first):
                            footer[key] = (v, _addr(at))
            elif what in ("conclusion", "problems", "measures") and what not in footer:
                v, at = _right_value(g, r, first)
                if at is not None:
                    footer[what] = (_text(v), _addr(at))
    else:
        footer = {}
    # footers of forms whose indicator table is absent or whose labels sit elsewhere
    for r in rows:
        for c in g.by_row[r]:
            k = g.label(r, c)[0]
            what = _FOOT.get(k)
            if what in ("conclusion", "problems", "measures") and what not in footer \
                    and r >= stop:
                v, at = _right_value(g, r, c)
                if at is not None:
                    footer[what] = (_text(v), _addr(at))

    if ind_row is None and not funds and f_row is None:
        issues.note("项目名称 found but no funds (项目资金) or indicator (绩效指标) table below it: "
                    "not read as a form", file=g.file, sheet=g.sheet, cell=_addr(anchor))
        return None
    names = {nm for nm, _ in ind_cols.values()}
    last_row = max(r for r in rows) if rows else top
    cols_used = [c for r in rows for c in g.by_row[r]]
    return _Form(idx=idx, file=g.file, sheet=g.sheet, kind=kind, top=top, bottom=bottom,
                 title=title, year=year, year_cell=year_cell, fields=fields, funds=funds,
                 funds_meta=funds_meta, objective=objective, indicators=indicators,
                 footer=footer, last_row=last_row, min_col=min(cols_used, default=1),
                 max_col=max(cols_used, default=1),
                 has_actual_cols=bool(names & {"actual", "awarded"}),
                 has_progress_cols="progress" in names,
                 progress_month=next((mo for nm, mo in ind_cols.values() if nm == "progress"),
                                     None))


# ============================================================================================
# the result
# ============================================================================================
@dataclass(frozen=True, eq=False)
class FormsImport(Result):
    """What :func:`read_forms` read from a folder of official forms.

    Attributes
    ----------
    forms : DataFrame
        One row per form found (see :meth:`report`).
    projects, budget, indicators, monthly : DataFrame
        The forms' content in the workbook format's columns (canonical names, see
        :mod:`perfkit.model.schema`), plus ``form`` (row of ``forms``), ``file``, ``sheet`` and
        ``cell`` (where the row was read). ``projects`` adds ``department_code`` (a code printed
        before the department's name), ``conclusion`` (评价结论), ``awarded_total`` (the form's
        总分), ``execution_awarded`` (the form's 预算执行率 得分) and ``id_generated``;
        ``execution_weight`` (the form's 预算执行率 分值) is also a column of the workbook
        format, so the project is scored with the weight its form prints. In ``indicators``, ``direction``, ``kind``, ``unit`` and ``rating``
        are as :func:`~perfkit.io.values.resolve_indicators` resolved them (``target`` and
        ``actual`` stay as printed), and it adds ``target_value``, ``actual_value``,
        ``target_deadline``, ``level1_points`` (``产出指标(50分)`` → 50), ``progress`` /
        ``forecast`` / ``likelihood`` (monitoring forms), the cells ``target_cell``,
        ``actual_cell``, ``weight_cell``, ``awarded_cell`` and ``ok`` (False: left out of the
        workbook because a key cell could not be read, or the form was superseded).
    problems : tuple of Problem
        Cells that could not be read (errors), each with file, sheet, ``row`` and ``column`` =
        the cell address (``D17``), the value and the rule.
    notes : tuple of Problem
        What was done on the reader's behalf (generated ids, sums used …), located likewise.
    """

    title = "官方表格导入 Official forms import"

    forms: pd.DataFrame
    projects: pd.DataFrame
    budget: pd.DataFrame
    indicators: pd.DataFrame
    monthly: pd.DataFrame
    problems: tuple
    notes: tuple
    source: str = ""

    @property
    def n_read(self) -> int:
        """Number of forms whose project made it into the workbook tables."""
        return int((self.forms["status"] == "read").sum()) if len(self.forms) else 0

    def report(self) -> pd.DataFrame:
        """One row per form found: ``file, sheet, form`` (kind), ``range`` (``A1:I28``),
        ``year, project_id, project, department``, ``indicators`` (rows read into the workbook),
        ``cells_not_parsed`` (errors located in the form), ``notes``, ``execution_weight`` and
        ``execution_awarded`` (the form's 预算执行率 分值/得分), ``awarded_total`` (the form's 总分,
        the unit's self-awarded total) and ``status`` (``read`` or why not)."""
        return self.forms.reindex(columns=list(REPORT_COLUMNS)).reset_index(drop=True)

    def issues(self) -> pd.DataFrame:
        """Problems (``severity`` error) then notes, one row each: ``severity, file, sheet,
        cell, value, rule``."""
        rows = [("error", p) for p in self.problems] + [("note", p) for p in self.notes]
        return pd.DataFrame([{"severity": s, "file": p.file, "sheet": p.sheet, "cell": p.column,
                              "value": p.value, "rule": p.rule} for s, p in rows],
                            columns=list(ISSUE_COLUMNS))

    def to_frame(self) -> pd.DataFrame:
        return self.report()

    def _summary_lines(self) -> list[str]:
        return [f"source: {self.source}", f"forms found: {len(self.forms)}",
                f"forms read: {self.n_read}", f"projects: {len(self.projects)}",
                f"indicators: {int(self.indicators['ok'].sum()) if len(self.indicators) else 0}",
                f"cells not parsed: {len(self.problems)}", f"notes: {len(self.notes)}"]

    def to_workbook(self, *, departments: Mapping[str, str] | None = None,
                    budget_type: str = "一般公共预算",
                    sector: str | Mapping[str, str] = "未分类") -> dict[str, pd.DataFrame]:
        """The tables of the workbook format: departments, projects, budget, indicators,
        monthly and indicator_progress (monitoring forms), with canonical column names.

        Parameters
        ----------
        departments : mapping of department name → department id, optional
            Ids for the departments (主管部门编码). A department not in the map keeps the code
            printed before its name (``219-池州市…`` → ``219``), else gets a stable generated id
            ``D`` + 8 hex digits of the SHA-1 of its name.
        budget_type : str
            预算类型 of every project (the forms do not print it); one of the schema's budgets.
        sector : str or mapping of department name → sector
            行业领域 of the projects (the forms do not print it).

        Returns
        -------
        dict of table name → DataFrame
            Pass it to :func:`perfkit.datasets.demo.write`. Rows whose key cells could not be
            read (``indicators.ok`` False) are left out; see :attr:`problems`.
        """
        from ..model.schema import BUDGET_TYPES
        if budget_type not in BUDGET_TYPES:
            raise InputError(f"must be one of {' / '.join(BUDGET_TYPES)}",
                             argument="budget_type", value=budget_type)
        p = self.projects.copy()
        dmap = {}
        if departments is not None:
            if not isinstance(departments, Mapping):
                raise InputError("must be a mapping of department name → id",
                                 argument="departments", value=type(departments).__name__)
            dmap = {_key1(k): str(v) for k, v in departments.items()}
        if len(p):
            mapped = p["department"].map(lambda n: dmap.get(_key1(n)))
            gen = p["department"].map(lambda n: _stable_id("D", _key1(n) or "", n=8))
            p["department_id"] = mapped.where(mapped.notna(), p["department_code"]
                                              .where(p["department_code"].notna(), gen))
            if isinstance(sector, Mapping):
                smap = {_key1(k): v for k, v in sector.items()}
                p["sector"] = p["department"].map(lambda n: smap.get(_key1(n), "未分类"))
            else:
                p["sector"] = str(sector)
            p["budget_type"] = budget_type
        else:
            p = p.assign(department_id=pd.Series(dtype=object), sector=pd.Series(dtype=object),
                         budget_type=pd.Series(dtype=object))
        p["funding_modes"] = None
        deps = p[["department_id", "year", "department"]].rename(columns={"department": "name"}) \
            .drop_duplicates(["department_id", "year"]).reset_index(drop=True)
        ind = self.indicators[self.indicators["ok"]] if len(self.indicators) else self.indicators
        prog = _progress_rows(ind)
        if len(prog):       # the in-year 原因 belongs to the snapshot, not to the year-end row
            ind = ind.copy()
            ind.loc[ind.index.isin(prog.index), "deviation_reason"] = None
        out = {"departments": deps, "projects": p, "budget": self.budget, "indicators": ind,
               "monthly": self.monthly, "indicator_progress": prog.reset_index(drop=True)}
        return {name: _canonical(name, df) for name, df in out.items()}


def _progress_rows(ind: pd.DataFrame) -> pd.DataFrame:
    """Rows of the indicator_progress table from monitoring forms' indicators (index kept)."""
    cols = list(TABLES["indicator_progress"].names)
    if not len(ind) or "form_kind" not in ind:
        return pd.DataFrame(columns=cols)
    m = ind[(ind["form_kind"] == "monitoring") & ind["progress"].notna()
            & ind["progress_month"].notna()]
    reason, is_cat = parse_choice(m["deviation_reason"], DEVIATION_REASONS)
    has = m["deviation_reason"].notna()
    return pd.DataFrame({
        "project_id": m["project_id"], "year": m["year"],
        "month": m["progress_month"].astype("int64"), "level1": m["level1"],
        "level2": m["level2"], "level3": m["level3"], "progress": m["progress"],
        "expected": m["forecast"], "likelihood": m["likelihood"],
        "deviation_reason": reason.where(has & is_cat, None),
        "deviation_analysis": m["deviation_reason"].where(has & ~is_cat, None),
        "measures": None}, index=m.index).reindex(columns=cols)


def _canonical(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The schema's columns of a table, in order, with plain dtypes for the writer."""
    df = df.reindex(columns=list(TABLES[name].names)).reset_index(drop=True)
    for c in TABLES[name].columns:
        s = df[c.name]
        if c.dtype == "int" and c.required:
            df[c.name] = pd.to_numeric(s, errors="coerce").astype("int64")
        elif c.dtype in ("int", "float"):
            df[c.name] = pd.to_numeric(s, errors="coerce").astype(float)
        else:
            df[c.name] = s.astype(object).where(s.notna(), None)
    return df


# ============================================================================================
# entry point
# ============================================================================================
def _files(paths_or_folder) -> tuple[list[Path], str]:
    if isinstance(paths_or_folder, (str, Path)):
        items = [Path(paths_or_folder)]
    else:
        try:
            items = [Path(p) for p in paths_or_folder]
        except TypeError:
            raise InputError("must be a folder, a file or a list of files",
                             argument="paths_or_folder", value=paths_or_folder) from None
    files: list[Path] = []
    for p in items:
        if not p.exists():
            raise InputError("no such file or folder", argument="paths_or_folder", value=str(p))
        if p.is_dir():
            files += sorted((f for f in p.rglob("*") if f.is_file()
                             and not f.name.startswith((".", "~$"))), key=lambda f: str(f))
        else:
            files.append(p)
    source = str(items[0]) if len(items) == 1 else f"{len(items)} paths"
    return files, source


def read_forms(paths_or_folder: str | Path | Iterable[str | Path], *,
               year: int | None = None) -> FormsImport:
    """Read the official forms (项目支出绩效自评表, 绩效目标申报表, 绩效监控表) in Excel files.

    Parameters
    ----------
    paths_or_folder : path or iterable of paths
        A folder (searched recursively for ``.xlsx``/``.xlsm`` files; Excel lock files ``~$…``
        and hidden files are skipped), one file, or a list of files and folders.
    year : int, optional
        Budget year of the forms that do not print one in their title (``（2024年度）``).

    Returns
    -------
    FormsImport
        The forms found, their content in the workbook format's columns, the problems (cells not
        read, located by file, sheet and cell) and notes. :meth:`FormsImport.to_workbook` gives
        the tables; :meth:`FormsImport.report` what was read.

    Raises
    ------
    InputError
        A path that does not exist, or a bad ``year``. Problems inside the forms are not raised:
        they are collected in ``.problems``.

    Notes
    -----
    See the module docstring for the anchors, the layouts understood and what is reported.
    ``.xls`` files (the old binary format) are reported and skipped: save them as ``.xlsx``.
    """
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, (int, np.integer)) \
                or not 1990 <= int(year) <= 2100:
            raise InputError("must be an integer year in [1990, 2100]", argument="year",
                             value=year)
        year = int(year)
    files, source = _files(paths_or_folder)
    issues = _Issues()
    forms: list[_Form] = []
    for f in files:
        suf = f.suffix.lower()
        if suf == ".xls":
            issues.error("the old .xls format is not read; open the file in Excel or WPS and save "
                         "it as .xlsx", file=str(f))
            continue
        if suf not in _FORM_FILES:
            issues.note("not an .xlsx file; skipped", file=str(f))
            continue
        for g in _read_grids(f, issues):
            found = 0
            for top, bottom, anchor, titles in _blocks(g):
                form = _parse_block(g, len(forms), top, bottom, anchor, titles, issues)
                if form is not None:
                    forms.append(form)
                    found += 1
            if not found and g.cells and not _anchors(g):
                issues.note("no form found in this sheet (no 项目名称 label with a funds or "
                            "indicator table)", file=g.file, sheet=g.sheet)
    return _assemble(forms, issues, year, source)


# ============================================================================================
# values and tables
# ============================================================================================
_AMOUNT_UNITS = frozenset({"万元", "万"})
_SCORE_UNITS = frozenset({"分"})


def _numbers(raw: list, cells: list, meta: list, issues: _Issues, *, units: list,
             what: list[str], lo: list, hi: list) -> np.ndarray:
    """Parse number cells at once (one :func:`parse_target` call); report, with their cells,
    the ones that are not numbers, carry another unit than ``units[i]`` or lie outside
    ``[lo[i], hi[i]]`` (NaN: no bound). Those read as NaN."""
    if not raw:
        return np.array([], dtype=float)
    s = pd.Series(raw, dtype=object)
    t = parse_target(s)
    txt = texts(s)
    ok = (t["ok"] & t["direction"].isna() & t["deadline"].isna() & ~t["qualitative"]).to_numpy()
    unit = t["unit"].to_numpy(dtype=object)
    unit_ok = np.array([u is None or u in us for u, us in zip(unit, units)], dtype=bool)
    v = t["value"].to_numpy(dtype=float).copy()
    lo_, hi_ = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    with np.errstate(invalid="ignore"):
        in_range = ~((v < lo_) | (v > hi_))
    for i in np.flatnonzero(~(ok & unit_ok & in_range)):
        file, sheet, form = meta[i]
        if not ok[i]:
            rule = f"{what[i]}: must be a number"
        elif not unit_ok[i]:
            rule = f"{what[i]}: unit {unit[i]} is not " + " / ".join(sorted(units[i]))
        else:
            rule = (f"{what[i]}: must be within [{lo_[i]:g}, "
                    f"{'∞' if np.isnan(hi_[i]) else format(hi_[i], 'g')}]")
        issues.error(rule, file=file, sheet=sheet, cell=cells[i], value=txt.iloc[i], form=form)
        v[i] = np.nan
    return v


def _strip_template(value: str | None, cell: str | None, form: _Form, issues: _Issues):
    if value and _TEMPLATE.search(value):
        issues.note("the cell still holds the template's instruction; read as empty",
                    file=form.file, sheet=form.sheet, cell=cell, value=value[:60], form=form.idx)
        return None
    return value


def _assemble(forms: list[_Form], issues: _Issues, year_arg: int | None,
              source: str) -> FormsImport:
    report_rows, proj_rows, bud_rows, mon_rows = [], [], [], []
    ind_recs: list[dict] = []
    num_raw, num_cells, num_meta, num_what, num_dest = [], [], [], [], []
    w_raw, w_cells, w_meta, w_what, w_dest = [], [], [], [], []

    for f in forms:
        loc = {"file": f.file, "sheet": f.sheet, "form": f.idx}
        rng = f"{_col_letter(f.min_col)}{f.top}:{_col_letter(f.max_col)}{f.last_row}"
        kind = f.kind or ("self_eval" if f.has_actual_cols else
                          "monitoring" if f.has_progress_cols else "targets")
        rep = {"file": f.file, "sheet": f.sheet, "form": FORM_KINDS[kind], "kind": kind,
               "range": rng, "year": f.year, "project_id": None, "project": None,
               "department": None, "status": "read", "_idx": f.idx}
        report_rows.append(rep)
        # --- year
        y = f.year
        if y is None:
            y = year_arg
            if y is None:
                issues.error("the budget year is not printed in the form's title (e.g. （2024年度）); "
                             "pass year=… (--year)", cell=_addr((f.top, f.min_col)), **loc)
                rep["status"] = "not read: no year"
                continue
        elif year_arg is not None and y != year_arg:
            issues.note(f"the form states {y}; year={year_arg} applies only to forms that "
                        "state no year", cell=f.year_cell, value=y, **loc)
        rep["year"] = y
        # --- header fields
        name, name_cell, name_label = f.fields.get("name", (None, None, None))
        dept, dept_cell, dept_label = f.fields.get("department", (None, None, None))
        unit, unit_cell, unit_label = f.fields.get("implementing_unit", (None, None, None))
        code, code_cell, _ = f.fields.get("project_id", (None, None, None))
        if not name:
            issues.error("项目名称 is empty", cell=name_cell or name_label, **loc)
            rep["status"] = "not read: no project name"
            continue
        pid_from_name, short = _split_code(name, min_len=6)
        if pid_from_name and not code:
            issues.note(f"project code {pid_from_name} taken from the project name",
                        cell=name_cell, value=name, **loc)
            code, name = pid_from_name, short
        elif pid_from_name and code:
            name = short
        if not dept:
            issues.error("主管部门 is empty", cell=dept_cell or dept_label or name_label, **loc)
            rep["status"] = "not read: no department"
            continue
        dept_code, dept_name = _split_code(dept, min_len=2)
        if dept_code:
            issues.note(f"department code {dept_code} taken from the department's name",
                        cell=dept_cell, value=dept, **loc)
        _, unit_name = _split_code(unit, min_len=2)
        if not unit_name:
            issues.note("实施单位 is empty; the department is used", cell=unit_cell or unit_label,
                        **loc)
            unit_name = dept_name
        generated = not code
        if generated:
            code = _stable_id("P", _key1(dept_name) or "", _key1(name) or "")
            issues.note(f"no project code on the form; generated {code} from the name and the "
                        "department", cell=name_cell, **loc)
        code = unicodedata.normalize("NFKC", str(code)).strip()
        rep.update(project_id=code, project=name, department=dept_name)
        objective = {k: _strip_template(v[0], v[1], f, issues) for k, v in f.objective.items()}
        foot = {k: (_strip_template(v[0], v[1], f, issues)
                    if k in ("conclusion", "problems", "measures") else v)
                for k, v in f.footer.items()}
        exec_reason = None
        for rec in f.funds:
            if rec["source"] == "total" and rec.get("reason"):
                exec_reason = _strip_template(_text(rec["reason"][0]), rec["reason"][1], f,
                                              issues)
        proj_rows.append({
            "form": f.idx, "file": f.file, "sheet": f.sheet, "cell": name_cell,
            "project_id": code, "year": y, "name": name, "department": dept_name,
            "department_code": dept_code, "implementing_unit": unit_name,
            "objective": objective.get("objective"), "achievement": objective.get("achievement"),
            "execution_note": exec_reason, "problems": foot.get("problems"),
            "measures": foot.get("measures"), "conclusion": foot.get("conclusion"),
            "id_generated": generated, "kind": kind})
        # --- numbers to parse: funds, weights and scores
        for j, rec in enumerate(f.funds):
            for fld in _AMOUNT_FIELDS:
                if fld in rec:
                    raw, cell = rec[fld]
                    num_raw.append(raw)
                    num_cells.append(cell)
                    num_meta.append((f.file, f.sheet, f.idx))
                    num_what.append({"initial": "年初预算数", "adjusted": "全年预算数",
                                     "executed": "全年执行数", "forecast": "全年预计执行数",
                                     "to_date": "累计执行数"}[fld])
                    num_dest.append((f.idx, j, fld))
            if rec["source"] == "total" or (j == 0 and not any(
                    r["source"] == "total" for r in f.funds)):
                for fld, label in (("weight", "预算执行率 分值"), ("score", "预算执行率 得分")):
                    if fld in rec:
                        w_raw.append(rec[fld][0])
                        w_cells.append(rec[fld][1])
                        w_meta.append((f.file, f.sheet, f.idx))
                        w_what.append(label)
                        w_dest.append(("form", f.idx, fld))
        for fld, label in (("total_weight", "总分 分值"), ("awarded_total", "总分 得分")):
            if fld in f.footer:
                w_raw.append(f.footer[fld][0])
                w_cells.append(f.footer[fld][1])
                w_meta.append((f.file, f.sheet, f.idx))
                w_what.append(label)
                w_dest.append(("form", f.idx, fld))
        for rec in f.indicators:
            d = {"form": f.idx, "file": f.file, "sheet": f.sheet, "project_id": code, "year": y,
                 "kind_form": kind, "_row": rec["_row"],
                 "progress_month": (f.progress_month if f.progress_month is not None
                                    else f.funds_meta["to_date_month"])}
            for nm in ("level1", "level2", "level3", "target", "direction", "unit", "actual",
                       "weight", "awarded", "deviation", "progress", "forecast", "likelihood"):
                v, cell = rec.get(nm, (None, None))
                d[nm] = v
                d[nm + "_cell"] = cell
            ind_recs.append(d)

    # --- amounts, weights and scores (vectorised) ------------------------------------------------
    n_a, n_w = len(num_raw), len(w_raw)
    both = _numbers(num_raw + w_raw, num_cells + w_cells, num_meta + w_meta, issues,
                    units=[_AMOUNT_UNITS] * n_a + [_SCORE_UNITS] * n_w, what=num_what + w_what,
                    lo=[0.0] * (n_a + n_w), hi=[np.nan] * n_a + [100.0] * n_w)
    amounts, wscores = both[:n_a], both[n_a:]
    form_nums: dict[int, dict] = {}
    for (_, i, fld), v in zip(w_dest, wscores):
        form_nums.setdefault(i, {})[fld] = v
    fund_vals: dict[tuple[int, int], dict] = {}
    for (i, j, fld), v in zip(num_dest, amounts):
        fund_vals.setdefault((i, j), {})[fld] = v
    bad_amount_cells = {c for (sev, p, _) in issues.items if sev == "error"
                        for c in [p.column] if c}

    by_idx = {f.idx: f for f in forms}
    proj_by_form = {r["form"]: r for r in proj_rows}
    for rep in report_rows:
        i = rep["_idx"]
        nums = form_nums.get(i, {})
        f = by_idx[i]
        w = nums.get("weight", np.nan)
        if np.isnan(w) and f.funds_meta["weight_from_label"] is not None:
            w = f.funds_meta["weight_from_label"]
        rep["execution_weight"] = w
        rep["execution_awarded"] = nums.get("score", np.nan)
        rep["awarded_total"] = nums.get("awarded_total", np.nan)
        rep["_total_weight"] = nums.get("total_weight", np.nan)
        if i not in proj_by_form:
            continue
        pr = proj_by_form[i]
        pr["awarded_total"] = rep["awarded_total"]
        pr["execution_weight"] = w
        pr["execution_awarded"] = rep["execution_awarded"]
        loc = {"file": f.file, "sheet": f.sheet, "form": i}
        if not np.isnan(w) and w != STANDARD_EXECUTION_WEIGHT:
            cell = next((r["weight"][1] for r in f.funds if "weight" in r), None)
            full = rep["_total_weight"]
            full = 100.0 if np.isnan(full) else full
            issues.note(f"预算执行率 分值 is {w:g} (the national profile gives "
                        f"{STANDARD_EXECUTION_WEIGHT:g}, domain.md §4.1): written to the "
                        f"project's 预算执行率分值 (execution_weight), so it is scored with the "
                        f"form's own weights; its indicator weights must add up to "
                        f"{full - w:g}", cell=cell, value=w, **loc)
        # budget rows
        _fund_rows(f, pr, fund_vals, bad_amount_cells, issues, bud_rows, mon_rows)

    # --- indicators (vectorised through resolve_indicators) ---------------------------------------
    ind = _indicators(ind_recs, issues)

    # --- one form per project and year -----------------------------------------------------------
    projects = pd.DataFrame(proj_rows)
    forms_df = pd.DataFrame(report_rows)
    if len(projects):
        projects["_prec"] = projects["kind"].map({k: n for n, k in enumerate(_PRECEDENCE)})
        projects = projects.sort_values(["_prec", "form"], kind="stable")
        dup = projects.duplicated(["project_id", "year", "kind"], keep="first")
        first = projects.drop_duplicates(["project_id", "year", "kind"]).set_index(
            ["project_id", "year", "kind"])
        for _, r in projects[dup].iterrows():
            o = first.loc[(r["project_id"], r["year"], r["kind"])]
            issues.error(f"project {r['project_id']} ({r['year']}) is on two "
                         f"{FORM_KINDS[r['kind']]}s: this one is skipped (first: file "
                         f"{o['file']}, sheet {o['sheet']!r}, cell {o['cell']})",
                         file=r["file"], sheet=r["sheet"], cell=r["cell"], value=r["name"],
                         form=r["form"])
            forms_df.loc[forms_df["_idx"] == r["form"], "status"] = "not read: duplicate"
        projects = projects[~dup]
        sup = projects.duplicated(["project_id", "year"], keep="first")
        chosen = projects[~sup].set_index(["project_id", "year"])
        for _, r in projects[sup].iterrows():
            o = chosen.loc[(r["project_id"], r["year"])]
            issues.note(f"project {r['project_id']} ({r['year']}) also has a "
                        f"{FORM_KINDS[o['kind']]} (file {o['file']}, sheet {o['sheet']!r}); "
                        "its funds and indicators are used, this form's only in the report",
                        file=r["file"], sheet=r["sheet"], cell=r["cell"], form=r["form"])
            forms_df.loc[forms_df["_idx"] == r["form"], "status"] = \
                f"superseded by the {FORM_KINDS[o['kind']]}"
        keep_forms = set(projects.loc[~sup, "form"])
        projects = projects[~sup].sort_values("form").drop(columns="_prec").reset_index(drop=True)
    else:
        keep_forms = set()
        projects = pd.DataFrame(columns=["form", "file", "sheet", "cell", "project_id", "year",
                                         "name", "department", "department_code",
                                         "implementing_unit", "id_generated", "kind"])
    for c in projects.columns:
        if projects[c].dtype == object or pd.api.types.is_string_dtype(projects[c].dtype):
            projects[c] = projects[c].astype(object).where(projects[c].notna(), None)
    budget = pd.DataFrame(bud_rows, columns=["form", "file", "sheet", "cell", "project_id",
                                             "year", "source", "initial", "adjusted", "executed"])
    budget = budget[budget["form"].isin(keep_forms)].reset_index(drop=True)
    monthly = pd.DataFrame(mon_rows, columns=["form", "file", "sheet", "cell", "project_id",
                                              "year", "month", "cumulative_executed"])
    monthly = monthly.drop_duplicates(["project_id", "year", "month"]).reset_index(drop=True)
    n_ind = ind[ind["ok"]].groupby("form").size() if len(ind) else pd.Series(dtype=int)
    if len(ind):
        ind.loc[~ind["form"].isin(keep_forms), "ok"] = False
        _weight_notes(ind, forms_df, keep_forms, issues)

    # --- the report ------------------------------------------------------------------------------
    probs = [(sev, p, fi) for sev, p, fi in issues.items]
    if len(forms_df):
        n_err = pd.Series([fi for sev, _, fi in probs if sev == "error" and fi is not None],
                          dtype=float).value_counts()
        n_note = pd.Series([fi for sev, _, fi in probs if sev == "note" and fi is not None],
                           dtype=float).value_counts()
        forms_df["cells_not_parsed"] = forms_df["_idx"].map(n_err).fillna(0).astype(int)
        forms_df["notes"] = forms_df["_idx"].map(n_note).fillna(0).astype(int)
        forms_df["indicators"] = forms_df["_idx"].map(n_ind).fillna(0).astype(int)
    else:
        forms_df = pd.DataFrame(columns=[*REPORT_COLUMNS, "_idx"])
    return FormsImport(
        forms=forms_df.drop(columns=[c for c in forms_df.columns if c.startswith("_")] + ["kind"],
                            errors="ignore").reindex(columns=list(REPORT_COLUMNS)),
        projects=projects, budget=budget, indicators=ind, monthly=monthly,
        problems=tuple(p for sev, p, _ in probs if sev == "error"),
        notes=tuple(p for sev, p, _ in probs if sev == "note"), source=source)


def _fund_rows(f: _Form, pr: dict, fund_vals: dict, bad_cells: set, issues: _Issues,
               bud_rows: list, mon_rows: list) -> None:
    """Budget rows (by source) of one form; the all-zero headline and sums are noted."""
    loc = {"file": f.file, "sheet": f.sheet, "form": f.idx}
    kind = pr["kind"]
    total, subs = None, []
    for j, rec in enumerate(f.funds):
        vals = fund_vals.get((f.idx, j), {})
        bad = any(rec[fld][1] in bad_cells for fld in _AMOUNT_FIELDS if fld in rec)
        item = {"rec": rec, "vals": vals, "bad": bad}
        if rec["source"] == "total":
            total = total or item
        else:
            subs.append(item)

    def amounts(item):
        return np.array([item["vals"].get(k, np.nan) for k in _AMOUNT_FIELDS], dtype=float)

    sub_has = [s for s in subs if np.nansum(np.abs(amounts(s))) > 0 and not s["bad"]]
    rows: list[tuple[str, dict, str]] = []           # (source, values, cell)
    if sub_has:
        for s in sub_has:
            rows.append((s["rec"]["source"], s["vals"], s["rec"]["label_cell"]))
        if total is not None and not total["bad"]:
            t = amounts(total)
            summed = np.nansum(np.vstack([amounts(s) for s in sub_has]), axis=0)
            if np.nansum(np.abs(t)) == 0:
                issues.note("年度资金总额 is zero (or empty) while the rows below hold amounts: their "
                            "sum is used", cell=total["rec"]["label_cell"], **loc)
            else:
                given = ~np.isnan(t)
                if np.any(np.abs(t[given] - summed[given]) > 0.005):
                    issues.note("年度资金总额 differs from the sum of the rows below; the rows are "
                                "used", cell=total["rec"]["label_cell"], **loc)
    elif total is not None and not total["bad"] and np.nansum(np.abs(amounts(total))) > 0:
        rows.append(("当年财政拨款", total["vals"], total["rec"]["label_cell"]))
        issues.note("only 年度资金总额 is given: recorded as 当年财政拨款", cell=total["rec"]
                    ["label_cell"], **loc)
    elif not any(s["bad"] for s in subs) and not (total and total["bad"]):
        issues.error("no amounts in the funds block (项目资金)",
                     cell=(f.funds[0]["label_cell"] if f.funds else
                           _addr((f.top, f.min_col))), **loc)
        return
    # canonical sources, several printed names summed into one
    agg: dict[str, dict] = {}
    labels: dict[str, list] = {}
    for src, vals, cell in rows:
        a = agg.setdefault(src, {"cell": cell})
        for k in _AMOUNT_FIELDS:
            if k in vals and not np.isnan(vals[k]):
                a[k] = a.get(k, 0.0) + vals[k]
        labels.setdefault(src, []).append(cell)
    for src, cells in labels.items():
        if len(cells) > 1:
            issues.note(f"{len(cells)} fund rows ({', '.join(cells)}) are summed into {src}",
                        cell=cells[0], **loc)
    filled = []
    columns = f.funds_meta["columns"]
    for src, a in agg.items():
        initial = a.get("initial", np.nan)
        adjusted = a.get("adjusted", np.nan)
        executed = a.get("executed", np.nan)
        if kind == "monitoring":
            if np.isnan(executed) and "to_date" in a:
                executed = a["to_date"]
                issues.note("全年执行数 is not on a monitoring form: the amount executed to date "
                            "is written", cell=a["cell"], **loc)
        elif kind == "targets" and np.isnan(executed):
            executed = 0.0
            issues.note("a target form has no execution: 全年执行数 written as 0; replace it "
                        "before scoring", cell=a["cell"], **loc)
        if "adjusted" not in columns and not np.isnan(initial):
            adjusted = initial
            issues.note("全年预算数 is not on the form: 年初预算数 is written", cell=a["cell"], **loc)
        if "initial" not in columns and not np.isnan(adjusted):
            initial = adjusted
            issues.note("年初预算数 is not on the form: 全年预算数 is written", cell=a["cell"], **loc)
        vals = [initial, adjusted, executed]
        if any(np.isnan(v) for v in vals):
            filled.append(a["cell"])
            vals = [0.0 if np.isnan(v) else v for v in vals]
        bud_rows.append({"form": f.idx, "file": f.file, "sheet": f.sheet, "cell": a["cell"],
                         "project_id": pr["project_id"], "year": pr["year"], "source": src,
                         "initial": vals[0], "adjusted": vals[1], "executed": vals[2]})
    if filled:
        issues.note("empty amounts in a fund row that has other amounts are read as 0",
                    cell=filled[0], value=", ".join(filled), **loc)
    month = f.funds_meta["to_date_month"]
    if month is not None:
        to_date = [a["to_date"] for a in agg.values() if "to_date" in a]
        if to_date:
            mon_rows.append({"form": f.idx, "file": f.file, "sheet": f.sheet,
                             "cell": next(iter(agg.values()))["cell"],
                             "project_id": pr["project_id"], "year": pr["year"], "month": month,
                             "cumulative_executed": float(sum(to_date))})


_IND_COLUMNS = ["form", "file", "sheet", "cell", "project_id", "year", "level1", "level2",
                "level3", "kind", "direction", "unit", "target", "actual", "weight", "rating",
                "awarded", "not_applicable", "deviation_reason", "level1_points",
                "form_kind", "progress_month", "progress",
                "forecast", "likelihood", "target_value", "actual_value", "target_deadline",
                "target_cell", "actual_cell", "weight_cell", "awarded_cell", "ok"]


def _indicators(recs: list[dict], issues: _Issues) -> pd.DataFrame:
    if not recs:
        return pd.DataFrame(columns=_IND_COLUMNS).astype({"ok": bool})
    df = pd.DataFrame(recs)
    n = len(df)
    err = np.zeros(n, dtype=bool)           # key cell unreadable: row left out
    meta = list(zip(df["file"], df["sheet"], df["form"]))

    def report(mask, col, rule, values=None, severity="error"):
        mask = np.asarray(mask, dtype=bool)
        vals = df[col] if values is None else values
        for i in np.flatnonzero(mask):
            file, sheet, form = meta[i]
            cell = df.at[i, col + "_cell"] if col + "_cell" in df else None
            getattr(issues, "error" if severity == "error" else "note")(
                rule, file=file, sheet=sheet, cell=cell, value=vals.iloc[i], form=form)

    # level 1: "产出指标(50分)" → 产出指标, 50
    l1_txt = normalise(df["level1"])
    points = l1_txt.str.extract(_POINTS)[0].astype(float)
    l1_clean = l1_txt.str.replace(_POINTS, "", regex=True).str.strip()
    level1, ok1 = parse_choice(l1_clean, LEVEL1)
    blank1 = l1_clean.isna()
    report(blank1, "level1", "一级指标 is empty")
    report(~ok1 & ~blank1, "level1", f"一级指标 must be one of {' / '.join(LEVEL1)}")
    err |= (~ok1 | blank1).to_numpy()
    l2 = texts(df["level2"]).str.replace(_POINTS_ANY, "", regex=True).str.strip()
    l2 = l2.where(l2.notna() & (l2 != ""), None)
    report(l2.isna(), "level2", "二级指标 is empty")
    err |= l2.isna().to_numpy()
    l3 = texts(df["level3"])
    report(l3.isna(), "level3", "三级指标 is empty")
    err |= l3.isna().to_numpy()
    t_txt = texts(df["target"])
    report(t_txt.isna(), "target", "年度指标值 is empty")
    err |= t_txt.isna().to_numpy()

    direction, okd = parse_choice(df["direction"], DIRECTIONS)
    report(~okd, "direction", f"指标性质 must be one of {' / '.join(DIRECTIONS)} (or 正向/反向)")
    err |= ~okd.to_numpy()
    unit = normalise(df["unit"])

    # ratings stated by qualitative actuals
    a_txt = texts(df["actual"])
    a_key = df["actual"].map(lambda v: _key1(v) if isinstance(v, str) else None)
    rating = a_key.map(RATING_WORDS)
    # the actual repeats a qualitative target's words (no digits: see parse_target)
    same = (a_key.notna() & (a_key == df["target"].map(
        lambda v: _key1(v) if isinstance(v, str) else None))
        & ~a_key.fillna("0").str.contains(r"[0-9]", regex=True))
    rating = rating.where(rating.notna() | ~same, "达成")
    rating = rating.astype(object).where(rating.notna(), None)

    resolved, iss = resolve_indicators(
        df["target"], df["actual"], direction=direction, unit=unit,
        kind=pd.Series([None] * n, index=df.index, dtype=object), rating=rating, year=df["year"])
    blank_actual = pd.Series(False, index=df.index)
    for rec in iss.itertuples(index=False):
        i = int(rec.index)
        col = {"target": "target", "actual": "actual", "kind": "target",
               "direction": "direction" if df.at[i, "direction_cell"] else "target",
               "unit": "unit" if df.at[i, "unit_cell"] else "target"}[rec.column]
        label = {"target": "年度指标值", "actual": "实际完成值", "direction": "指标性质",
                 "unit": "度量单位"}[col]
        file, sheet, form = meta[i]
        getattr(issues, "error" if rec.severity == "error" else "note")(
            f"{label}: {rec.rule}", file=file, sheet=sheet, cell=df.at[i, col + "_cell"],
            value=df.at[i, col], form=form)
        if rec.severity == "error":
            if rec.column == "actual":
                blank_actual[i] = True
            else:
                err[i] = True
    qual = resolved["kind"] == "定性"
    unstated = qual & resolved["rating"].isna() & a_txt.notna() & ~blank_actual
    report(unstated, "actual", "实际完成值: cannot tell whether the qualitative target was met; "
           "write 达成 / 部分达成 / 未达成 (or the target's own words)", values=a_txt)
    directed = a_txt.map(lambda v: v is not None and _nfkc_first(v) in "≥≤><=≧≦═⩾⩽")
    report(directed & ~blank_actual, "actual", "实际完成值 carries a direction symbol; its number "
           "is read as the actual", values=a_txt, severity="note")
    self_eval = (df["kind_form"] == "self_eval").to_numpy()
    report(self_eval & a_txt.isna().to_numpy(), "actual", "实际完成值 is empty",
           values=a_txt, severity="note")

    # monitoring forms: 完成目标可能性, and rows without progress
    lk_raw = normalise(df["likelihood"])
    likelihood, ok_lk = parse_choice(lk_raw, LIKELIHOODS)
    report(~ok_lk, "likelihood", f"完成目标可能性 must be one of {' / '.join(LIKELIHOODS)}",
           values=lk_raw)
    likelihood = likelihood.where(ok_lk, None)
    monitoring = (df["kind_form"] == "monitoring").to_numpy()
    no_prog = monitoring & texts(df["progress"]).isna().to_numpy() & ~err
    report(no_prog, "level3", "1-N月执行情况 is empty: no monitoring snapshot (指标监控) for this "
           "indicator", values=l3, severity="note")

    # weights and self-awarded scores
    wa = _numbers(df["weight"].tolist() + df["awarded"].tolist(),
                  df["weight_cell"].tolist() + df["awarded_cell"].tolist(), meta + meta, issues,
                  units=[_SCORE_UNITS] * (2 * n), what=["分值"] * n + ["得分"] * n,
                  lo=[0.0] * (2 * n), hi=[100.0] * n + [np.nan] * n)
    wv, av = wa[:n], wa[n:]

    out = pd.DataFrame({
        "form": df["form"], "file": df["file"], "sheet": df["sheet"],
        "cell": df["level3_cell"].where(df["level3_cell"].notna(), df["target_cell"]),
        "project_id": df["project_id"], "year": df["year"].astype("int64"),
        "level1": level1, "level2": l2, "level3": l3,
        "kind": resolved["kind"], "direction": resolved["direction"], "unit": resolved["unit"],
        "target": t_txt, "actual": a_txt.where(~blank_actual, None),
        "weight": wv, "rating": resolved["rating"], "awarded": av, "not_applicable": None,
        "deviation_reason": texts(df["deviation"]),
        "level1_points": points, "form_kind": df["kind_form"],
        "progress_month": pd.to_numeric(df["progress_month"], errors="coerce"),
        "progress": texts(df["progress"]),
        "forecast": texts(df["forecast"]), "likelihood": likelihood,
        "target_value": resolved["target_value"], "actual_value": resolved["actual_value"],
        "target_deadline": resolved["target_deadline"],
        "target_cell": df["target_cell"], "actual_cell": df["actual_cell"],
        "weight_cell": df["weight_cell"], "awarded_cell": df["awarded_cell"],
        "ok": ~err, "_row": df["_row"]})
    # duplicated indicators (same project, year and tree path) — the first is kept
    key = ["project_id", "year", "level1", "level2", "level3"]
    dup = out.duplicated(key, keep="first") & out["ok"] & out[key].notna().all(axis=1)
    if dup.any():
        first_cell = out[out["ok"]].drop_duplicates(key).set_index(key)["cell"]
        for i in np.flatnonzero(dup.to_numpy()):
            k = tuple(out.iloc[i][key])
            issues.error(f"the same indicator appears twice in the project (first at "
                         f"{first_cell.get(k)}); this row is left out", file=out.at[i, "file"],
                         sheet=out.at[i, "sheet"], cell=out.at[i, "cell"],
                         value=out.at[i, "level3"], form=out.at[i, "form"])
        out.loc[dup, "ok"] = False
    return out.drop(columns="_row")


def _weight_notes(ind: pd.DataFrame, forms_df: pd.DataFrame, keep: set,
                  issues: _Issues) -> None:
    """Note weights that do not add up: per 一级 group against its printed points, and the
    execution weight plus the indicators against the form's 总分 分值 (or 100)."""
    ok = ind[ind["form"].isin(keep) & ind["level1"].notna()]
    if ok.empty:
        return
    full_sum = lambda s: s.sum() if s.notna().all() else np.nan  # noqa: E731
    g = ok.groupby(["form", "level1"], sort=False).agg(
        w=("weight", full_sum), pts=("level1_points", "first"),
        cell=("cell", "first"), file=("file", "first"), sheet=("sheet", "first"))
    for (form, l1), r in g.iterrows():
        if pd.notna(r["pts"]) and pd.notna(r["w"]) and abs(r["w"] - r["pts"]) > 1e-6:
            issues.note(f"the weights of {l1} add up to {r['w']:g}, the form prints "
                        f"{r['pts']:g} points", file=r["file"], sheet=r["sheet"], cell=r["cell"],
                        form=form)
    tot = ok.groupby("form").agg(w=("weight", full_sum),
                                 cell=("cell", "first"), file=("file", "first"),
                                 sheet=("sheet", "first"))
    info = forms_df.set_index("_idx")
    for form, r in tot.iterrows():
        if form not in info.index or pd.isna(r["w"]):
            continue
        ew = info.at[form, "execution_weight"]
        full = info.at[form, "_total_weight"]
        full = 100.0 if pd.isna(full) else full
        if pd.notna(ew) and abs(ew + r["w"] - full) > 1e-6:
            issues.note(f"预算执行率 {ew:g} + indicator weights {r['w']:g} = {ew + r['w']:g}, "
                        f"not {full:g}", file=r["file"], sheet=r["sheet"], cell=r["cell"],
                        form=form)
