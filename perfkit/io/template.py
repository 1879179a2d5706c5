"""The empty workbook template (``perfkit template``): one sheet per table, ready to fill in.

Every sheet has the table's headers (bold, frozen, widths set; required columns shaded), a
comment on each header giving the other-language name, type, unit and meaning, drop-down lists
(data validation) for the enumerated columns, whole-number checks for years and months, and
text format for the code columns so that ``00123`` keeps its leading zeros. A first sheet,
``说明`` (``instructions``), lists every table and column with its type, whether it is
required, unit, allowed values and description — all read from :mod:`perfkit.model.schema`.
"""
from __future__ import annotations

from pathlib import Path

from .._validate import check_option
from ..model.schema import TABLES, Column, Table

__all__ = ["write_template", "INSTRUCTIONS_SHEET", "TEMPLATE_ROWS"]

#: name of the instructions sheet per language
INSTRUCTIONS_SHEET = {"zh": "说明", "en": "instructions"}
#: rows (below the header) covered by drop-down lists and checks
TEMPLATE_ROWS = 5000

_TYPE = {
    "zh": {"str": "文本", "float": "数值", "int": "整数", "bool": "是/否", "enum": "选项",
           "list": "多选（以；或、分隔）"},
    "en": {"str": "text", "float": "number", "int": "integer", "bool": "yes/no",
           "enum": "choice", "list": "multiple choices (separated by ; or 、)"},
}
_BOOL_CHOICES = {"zh": ("是", "否"), "en": ("yes", "no")}
_HEAD = {
    "zh": ("工作表", "表名（英文）", "必需的表", "列名", "字段名（英文）", "类型", "必填", "单位",
           "可选值", "取值范围", "说明"),
    "en": ("sheet", "sheet (Chinese)", "table required", "column", "column (Chinese)", "type",
           "required", "unit", "allowed values", "range", "description"),
}
_TITLE = {"zh": "perfkit 预算绩效管理数据模板 — 填写说明",
          "en": "perfkit budget-performance data template — instructions"}
_NOTES = {
    "zh": (
        "1. 每张数据表一个工作表；表名和列名可用中文或英文（见下表），列的顺序不限，多余的列会被忽略。",
        "2. 第1行为列名，从第2行起每行一条记录；不要合并单元格。深色表头为必填列。",
        "3. 金额单位均为万元；比率填百分数（95 表示 95%）或带单位的文本（≥95%）。",
        "4. 年度指标值可写数字（并在“指标方向”中填 ≥ / ≤ / = / 定性），也可按表格原样写成 ≥95%、≤30万元、"
        "按时完成、2024年12月底前。",
        "5. 定性指标请在“定性评级”中选 达成 / 部分达成 / 未达成；自评得分须落在评级对应区间内。",
        "6. 编码类列（项目编码、部门编码等）已设为文本格式，前导零会保留。",
        "7. 也可把每张表另存为 CSV 文件（UTF-8 或 GBK），文件名用表名，如 projects.csv 或 项目.csv。",
        "8. “指标监控”表（可选）填写各指标在年中某月末的执行情况，每个指标每个监控月份一行；项目编码、年度和"
        "一级/二级/三级指标须与“绩效指标”表中的指标一致。",
    ),
    "en": (
        "1. One sheet per table; sheet and column names may be English or Chinese (see below); "
        "column order is free and extra columns are ignored.",
        "2. Headers in row 1, one record per row from row 2; do not merge cells. Shaded headers "
        "are required columns.",
        "3. Amounts are in 万元 (10,000 yuan); rates as percent numbers (95 = 95%) or text (≥95%).",
        "4. Targets may be numbers (with the direction column ≥ / ≤ / = / 定性) or text as the "
        "forms print them: ≥95%, ≤30万元, 按时完成, 2024年12月底前.",
        "5. Qualitative indicators need a rating 达成 / 部分达成 / 未达成; the awarded score must "
        "lie in the rating's band.",
        "6. Code columns (project_id, department_id …) are formatted as text; leading zeros stay.",
        "7. Each table may also be saved as a CSV file (UTF-8 or GBK) named after the table, "
        "e.g. projects.csv or 项目.csv.",
        "8. The optional indicator_progress sheet (指标监控) gives each indicator's progress at the "
        "end of a month during the year, one row per indicator and month; project code, year "
        "and level 1/2/3 must match an indicator of the indicators sheet.",
    ),
}
_ID_COLUMNS = {"project_id", "department_id", "township_id", "respondent_id"}
_TABLE_HEAD = {"zh": ("数据表", "表名（英文）", "必需的表", "唯一键", "说明"),
               "en": ("table", "table (Chinese)", "required", "unique key", "description")}

#: Chinese descriptions for the instructions sheet (the schema's ``doc`` strings are English);
#: columns and tables not listed fall back to the English text
_DOC_ZH = {
    "projects": "项目支出，每个项目每年一行。",
    "budget": "项目资金，按项目、年度和资金来源分行，单位万元（对应自评表“项目资金”栏）。",
    "monthly": "月度累计支出数（万元），用于预算执行进度监控（双监控）。",
    "indicators": "绩效指标，每个项目每年的每个三级指标一行。",
    "indicator_progress": "指标监控：各绩效指标截至某月末的执行情况（绩效监控表的1-N月执行情况、全年预计完成情况、"
                          "完成目标可能性、偏差原因和完善措施），每个指标每个监控月份一行，用于“双监控”。",
    "departments": "部门整体支出绩效评价所需的部门数据。",
    "townships": "乡镇街道财政运行综合绩效评价所需数据。",
    "survey": "满意度调查问卷，每位受访者一行（公众评判法）。",
    ("*", "year"): "预算年度",
    ("projects", "project_id"): "项目编码，按文本保存（00123 保持为 00123）",
    ("projects", "budget_type"): "预算类型：一般公共预算 / 政府性基金预算 / 国有资本经营预算 / 社会保险基金预算",
    ("projects", "funding_modes"): "资金方式，可多选，以；或、分隔：PPP / 政府采购 / 政府购买服务 / 政府债务 / 政府投资基金",
    ("projects", "execution_note"): "预算执行率低于90%时须作书面说明",
    ("indicators", "kind"): "定量 / 定性；空白时按指标方向推断",
    ("indicators", "direction"): "≥ 正向，≤ 反向，= 等于，定性；也可直接写在指标值中（≥95%）",
    ("indicators", "target"): "数字，或按表格原样填写的文本（≥95%、≤30万元、按时完成、2024年12月底前）",
    ("indicators", "rating"): "定性指标的评级：达成 / 部分达成 / 未达成",
    ("indicators", "awarded"): "单位自评得分，将与按规则计算的得分比对",
    ("indicator_progress", "month"): "监控月份：截至该月末（1-N月中的N）",
    ("indicator_progress", "progress"): "截至该月末的累计完成值：数字，或与“实际完成值”写法相同的文本（24万平方米、96%、"
                                        "2024年5月、按时完成）；不含数字的进度说明（按计划推进）按文本保留",
    ("indicator_progress", "expected"): "全年预计完成值，写法同“累计完成值”",
    ("indicator_progress", "likelihood"): "单位判断的完成目标可能性：确定能 / 有可能 / 不可能",
    ("indicator_progress", "deviation_reason"): "偏差原因类别：经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他",
    ("indicator_progress", "deviation_analysis"): "偏差原因的文字分析",
    ("indicator_progress", "measures"): "纠偏的完善措施",
    ("survey", "response"): "1–5（5 = 非常满意），或文字：非常满意 / 满意 / 一般 / 不满意 / 非常不满意",
}


def _doc(t: Table, c: Column | None, lang: str) -> str:
    if lang != "zh":
        return (t.doc if c is None else c.doc) or ""
    if c is None:
        return _DOC_ZH.get(t.name, t.doc)
    return _DOC_ZH.get((t.name, c.name), _DOC_ZH.get(("*", c.name), c.doc)) or ""


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(i + 1)


def _choices(c: Column, lang: str) -> tuple[str, ...]:
    if c.dtype == "bool":
        return _BOOL_CHOICES[lang]
    if c.name == "level2":
        from ..model.schema import LEVEL2
        return tuple(x for v in LEVEL2.values() for x in v)
    return c.choices


def _range_text(c: Column) -> str:
    if c.min is None and c.max is None:
        return ""
    lo = "" if c.min is None else f"{c.min:g}"
    hi = "" if c.max is None else f"{c.max:g}"
    if lo and hi:
        return f"{lo}–{hi}"
    return f"≥{lo}" if lo else f"≤{hi}"


def _comment_text(t: Table, c: Column, lang: str) -> str:
    ty = _TYPE[lang][c.dtype]
    if lang == "zh":
        lines = [f"{c.name}", f"类型：{ty}" + ("（必填）" if c.required else "（选填）")]
        if c.unit:
            lines.append(f"单位：{c.unit}")
    else:
        lines = [f"{c.zh}", f"type: {ty}" + (" (required)" if c.required else " (optional)")]
        if c.unit:
            lines.append(f"unit: {c.unit}")
    ch = _choices(c, lang)
    if ch:
        lines.append(("可选：" if lang == "zh" else "choices: ") + " / ".join(ch))
    doc = _doc(t, c, lang)
    if doc:
        lines.append(doc)
    return "\n".join(lines)


def write_template(path: str | Path, *, lang: str = "zh") -> Path:
    """Write the empty workbook template (.xlsx).

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (its folder is created if needed).
    lang : {"zh", "en"}
        Headers in Chinese, as on the forms (default), with the English field name in each
        header's comment — or the other way round.

    Returns
    -------
    Path
        The file written.

    Notes
    -----
    Drop-down lists cover rows 2 to ``TEMPLATE_ROWS + 1`` of each enumerated column
    (预算类型, 资金来源, 一级指标, 二级指标, 指标类型, 指标方向, 定性评级, 不适用 …). Excel shows
    a warning, not a hard stop, for a value outside the list, so that printed variants the
    reader understands (``>=`` for ``≥``) can still be pasted in.
    """
    from openpyxl import Workbook as XLWorkbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    check_option("lang", lang, ("zh", "en"))
    path = Path(path)
    wb = XLWorkbook()
    bold = Font(bold=True)
    req_fill = PatternFill("solid", fgColor="BDD7EE")
    opt_fill = PatternFill("solid", fgColor="DDEBF7")
    last = TEMPLATE_ROWS + 1

    # --- instructions ------------------------------------------------------------------------
    ins = wb.active
    ins.title = INSTRUCTIONS_SHEET[lang]
    ins.append([_TITLE[lang]])
    ins["A1"].font = Font(bold=True, size=14)
    for note in _NOTES[lang]:
        ins.append([note])
    ins.append([])
    ins.append(list(_TABLE_HEAD[lang]))
    for cell in ins[ins.max_row]:
        cell.font = bold
        cell.fill = req_fill
    yes, no = _BOOL_CHOICES[lang]
    for t in TABLES.values():
        sheet, other = (t.zh, t.name) if lang == "zh" else (t.name, t.zh)
        key = [t.column(k).zh if lang == "zh" else k for k in t.key]
        ins.append([sheet, other, yes if t.required else no, " + ".join(key), _doc(t, None, lang)])
    ins.append([])
    head_row = ins.max_row + 1
    ins.append(list(_HEAD[lang]))
    for cell in ins[head_row]:
        cell.font = bold
        cell.fill = req_fill
    for t in TABLES.values():
        sheet, other = (t.zh, t.name) if lang == "zh" else (t.name, t.zh)
        for c in t.columns:
            col, col_other = (c.zh, c.name) if lang == "zh" else (c.name, c.zh)
            ins.append([sheet, other, yes if t.required else no, col, col_other,
                        _TYPE[lang][c.dtype], yes if c.required else no, c.unit,
                        " / ".join(_choices(c, lang)), _range_text(c), _doc(t, c, lang)])
    for i, wdt in enumerate((14, 14, 10, 22, 24, 14, 8, 8, 40, 12, 60)):
        ins.column_dimensions[_letter(i)].width = wdt
    ins.freeze_panes = ins.cell(row=head_row + 1, column=1)

    # --- one sheet per table -----------------------------------------------------------------
    for t in TABLES.values():
        ws = wb.create_sheet(t.zh if lang == "zh" else t.name)
        for i, c in enumerate(t.columns):
            cell = ws.cell(row=1, column=i + 1, value=c.zh if lang == "zh" else c.name)
            cell.font = bold
            cell.fill = req_fill if c.required else opt_fill
            cell.alignment = Alignment(vertical="center")
            cm = Comment(_comment_text(t, c, lang), "perfkit")
            cm.width, cm.height = 260, 140
            cell.comment = cm
            letter = _letter(i)
            ws.column_dimensions[letter].width = max(10, min(40, 2.2 * len(c.zh) + 4))
            rng = f"{letter}2:{letter}{last}"
            if c.name in _ID_COLUMNS:
                ws.column_dimensions[letter].number_format = "@"
            ch = _choices(c, lang)
            if ch and c.dtype != "list":    # multi-choice cells (资金方式) would always warn
                dv = DataValidation(type="list", formula1='"' + ",".join(ch) + '"',
                                    allow_blank=True, showDropDown=False)
                dv.errorStyle = "warning"
                dv.error = ("请从下拉列表中选择：" if lang == "zh" else "Choose from the list: ") \
                    + " / ".join(ch)
                dv.errorTitle = c.zh if lang == "zh" else c.name
                dv.showErrorMessage = True
                dv.add(rng)
                ws.add_data_validation(dv)
            elif c.dtype == "int" and c.min is not None and c.max is not None:
                dv = DataValidation(type="whole", operator="between", formula1=f"{c.min:g}",
                                    formula2=f"{c.max:g}", allow_blank=True)
                dv.errorStyle = "warning"
                dv.error = (f"应为 {c.min:g} 至 {c.max:g} 之间的整数" if lang == "zh" else
                            f"a whole number from {c.min:g} to {c.max:g}")
                dv.showErrorMessage = True
                dv.add(rng)
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 20
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
