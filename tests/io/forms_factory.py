"""Official forms built with openpyxl, laid out as the published ones are (merged cells and all).

* :func:`chizhou` — (a) 贵池区/池州 2022 style: one project per sheet, 预算执行率 10 + 产出 50 +
  效益 30 + 满意度 10, one 年度指标值 text column, an all-zero 年度资金总额 headline with the
  amounts in the 其中 rows, department and unit printed with their codes (``219-…``).
* :func:`qingshen` — (b) 青神 2023 style: 执行 10 + 产出 60 + 效益 30, 指标性质 / 指标值 / 度量单位 in
  three cells (one sheet with a two-row header under a merged 年度指标值), project code printed
  before the name, 财政资金 / 财政专户管理资金 / 单位资金 / 其他资金 rows, the template's
  instruction left in some cells, execution weight printed as 10, ``10分`` and 9. The 9 (with
  indicators adding up to 91 and 合计 100) is a constructed variant, a unit that moved one point
  from 预算执行率 to its indicators: the published Qingshen (and 大英) 2023 forms print 权重 10
  under 预算执行情况(10分) and indicators adding up to 90 under 绩效指标(90分), 合计 100.
* :func:`stacked` — (c) three projects stacked in one sheet with title rows and blank separator
  rows, no project codes, inline ``主管部门：…`` labels, 一级/二级 printed once and left blank below.
* :func:`zhongjiang` — (e) 中江 2022 style 绩效目标自评表: 分值 before 年度指标值, 全年实际值, no
  年初预算数 column, actuals printed with a direction (``≥266米``).
* :func:`target_form` and :func:`monitoring_form` — a 绩效目标申报表 and a 绩效监控表.

The texts are fictional; the layouts follow the public forms cited in domain.md (source D).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment

from perfkit.report.safe import set_cell


class _Sheet:
    def __init__(self, ws):
        self.ws = ws

    def put(self, ref: str, value: Any, *, to: str | None = None, fmt: str | None = None):
        c = set_cell(self.ws[ref], value)      # "=8个" stays text, as Excel stores it
        c.alignment = Alignment(wrap_text=True, vertical="center")
        if fmt:
            c.number_format = fmt
        if to and to != ref:
            self.ws.merge_cells(f"{ref}:{to}")
        return c

    def row(self, r: int, values: dict[str, Any]):
        for col, v in values.items():
            if v is not None:
                self.put(f"{col}{r}", v)


def _book():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return wb


# ============================================================================================
# (a) Chizhou
# ============================================================================================
#: (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)
CHIZHOU_P1 = [
    ("产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个", 50, 8, 8, None),
    ("产出指标(50分)", "质量指标", "委托业务报告合格率", "≥100%", 1.0, 8, 8, None),
    ("产出指标(50分)", "质量指标", "经费支出合规性", "严格执行相关制度规定", "达成预期指标", 8, 8, None),
    ("产出指标(50分)", "时效指标", "提交报告及时性", "2022年12月底前", "按时完成", 8, 8, None),
    ("产出指标(50分)", "成本指标", "项目总成本", "≤90万元", 89.974, 8, 8, None),
    ("产出指标(50分)", "成本指标", "单项业务成本", "≤30万元", "29.99万元", 10, 10, None),
    ("效益指标(30分)", "社会效益指标", "服务企业人次", "≧735人次", "700人次", 10, 10,
     "部分企业延期申报"),
    ("效益指标(30分)", "生态效益指标", "对控制基建项目成本影响程度", "效果明显", "效果明显", 10, 10,
     None),
    ("效益指标(30分)", "可持续影响指标", "制度健全性", "═100%", "１００％", 10, 10, None),
    ("效益指标(30分)", "经济效益指标", None, None, None, None, None, None),   # empty placeholder
    ("满意度指标(10分)", "满意度指标", "公众满意度", "＞＝９５％", "９６％", 10, 10, None),
]
#: sheet 2: cells that cannot be read
CHIZHOU_P2 = [
    ("产出指标(50分)", "数量指标", "补助村(社区)数量", "=8个", 8, 20, 20, None),
    ("产出指标(50分)", "数量指标", "保障村干部人数", "较上年提高5%", 42, 10, 10, None),
    ("产出指标(50分)", "质量指标", "补助资格合规性", "合规", "达成预期指标", "八", 8, None),
    ("产出指标(50分)", "成本指标", "项目总成本", "≤202.6万元", 132.9, 10, 10, None),
    ("效益指标(30分)", "社会效益指标", "提高村干部工作积极性", "效果明显", "效果显著", 30, 30, None),
    ("满意度指标(10分)", "满意度指标", "村民满意度", "≥90%", "93%", 10, 10, None),
]


def _chizhou_sheet(ws, *, year: int, name: str, funds: list, objective: tuple, rows: list,
                   total: float):
    s = _Sheet(ws)
    for col, w in zip("ABCDEFGHI", (12, 12, 14, 22, 14, 14, 9, 9, 30)):
        ws.column_dimensions[col].width = w
    s.put("A1", "项目支出绩效自评表", to="I1")
    s.put("A2", f"( {year}年度 )", to="I2")
    s.put("A3", "项目名称")
    s.put("B3", name, to="I3")
    s.put("A4", "主管部门")
    s.put("B4", "219-池州市贵池区棠溪镇人民政府", to="D4")
    s.put("E4", "实施单位")
    s.put("F4", "219001-池州市贵池区棠溪镇人民政府", to="I4")
    s.put("A5", "项目资金\n(万元)", to="A9")
    s.put("B5", None, to="C5")
    s.row(5, {"D": "年初预算数", "E": "全年预算数", "F": "全年执行数", "G": "分值", "H": "执行率",
              "I": "得分"})
    for k, (label, a, b, c, w, rate, score) in enumerate(funds):
        r = 6 + k
        s.put(f"B{r}", label, to=f"C{r}")
        s.row(r, {"D": a, "E": b, "F": c, "G": w, "I": score})
        if rate is not None:
            s.put(f"H{r}", rate, fmt="0.00%")
    s.put("A10", "年度总体目标", to="A11")
    s.put("B10", "预期目标", to="E10")
    s.put("F10", "实际完成情况", to="I10")
    s.put("B11", objective[0], to="E11")
    s.put("F11", objective[1], to="I11")
    head = 12
    s.put(f"A{head}", "绩效指标", to=f"A{head + len(rows)}")
    s.row(head, {"B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "年度指标值",
                 "F": "实际完成值", "G": "分值", "H": "得分", "I": "偏差原因分析及改进措施"})
    start = head + 1
    for k, (l1, l2, l3, t, a, w, sc, why) in enumerate(rows):
        r = start + k
        s.row(r, {"C": l2, "D": l3, "E": t, "G": w, "H": sc, "I": why})
        if a is not None:
            s.put(f"F{r}", a, fmt="0%" if isinstance(a, float) and a <= 1 else None)
    # 一级 merged over its rows
    r = start
    while r < start + len(rows):
        l1 = rows[r - start][0]
        n = 1
        while r - start + n < len(rows) and rows[r - start + n][0] == l1:
            n += 1
        s.put(f"B{r}", l1, to=f"B{r + n - 1}")
        r += n
    foot = start + len(rows)
    s.put(f"A{foot}", "总分", to=f"F{foot}")
    s.row(foot, {"G": 100, "H": total})
    s.put(f"A{foot + 1}", "项目负责人:", to=f"D{foot + 1}")
    s.put(f"E{foot + 1}", "财务负责人:", to=f"I{foot + 1}")


def chizhou(path: Path) -> Path:
    """(a) two projects, one per sheet, 2022."""
    wb = _book()
    _chizhou_sheet(
        wb.create_sheet("委托业务项目"), year=2022, name="委托业务项目",
        funds=[("年度资金总额:", 0, 0, 0, 10, 0.0, 0),
               ("其中:本年财政拨款", 90, 89.974, 89.974, "—", None, "—"),
               ("上年结转资金", None, None, None, None, None, None),
               ("其他资金", None, None, None, None, None, None)],
        objective=("本项目共申请预算资金90万元，用于基建工程项目预算编制、审计和设计。",
                   "本项目共完成预算资金89.97万元。"),
        rows=CHIZHOU_P1, total=100)
    _chizhou_sheet(
        wb.create_sheet("村级补助及运转经费"), year=2022, name="村级补助及运转经费",
        funds=[("年度资金总额:", 202.64, 132.912, 132.912, 10, 1.0, 10),
               ("其中:本年财政拨款", 202.64, 132.912, 132.912, "—", None, "—"),
               ("上年结转资金", None, None, None, None, None, None),
               ("其他资金", None, None, None, None, None, None)],
        objective=("保障村级组织正常运转。", "村级组织运转正常。"),
        rows=CHIZHOU_P2, total=98)
    wb.save(path)
    return path


# ============================================================================================
# (b) Qingshen
# ============================================================================================
#: (一级, 二级, 三级, 指标性质, 指标值, 度量单位, 完成值, 权重, 得分, 未完成原因分析)
QINGSHEN_P1 = [
    ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=", 100, "%", 100, 30, 30, None),
    ("产出指标", "质量指标", "足额发放率", "≥", 95, "%", 98, 20, 20, None),
    ("产出指标", "时效指标", "按时发放率", "正向指标", 100, "%", 92, 10, 10, "个别月份延迟发放"),
    ("效益指标", "社会效益指标", "足额保障率(参保率)", "=", 100, "%", 100, 20, 20, None),
    ("效益指标", "可持续影响指标", "政策延续性", "定性", "长期", None, "达成", 10, 9, None),
]
QINGSHEN_P2 = [
    ("产出指标", "数量指标", "保障办公设备台数", "≥", 120, "台", 126, 30, 30, None),
    ("产出指标", "成本指标", "办公经费控制数", "≤", 45, "万元", 43.2, 30, 30, None),
    ("效益指标", "社会效益指标", "办公保障满意率", "≥", 90, "%", 95, 30, 30, None),
]
QINGSHEN_P3 = [
    ("产出指标", "数量指标", "培训人次", "≥", 300, "人次", 320, 31, 31, None),
    ("产出指标", "时效指标", "完成时限", "≤", "2023年10月", None, "2023年9月", 30, 30, None),
    ("效益指标", "社会效益指标", "培训合格率", "≥", 90, "%", 96, 30, 30, None),
]


def _qingshen_sheet(ws, *, code_name: str, funds: list, weight: Any, rows: list, total: float,
                    achievement: str, two_row_header: bool = False):
    s = _Sheet(ws)
    s.put("A1", "报表编号:510000_0013zp", to="C1")
    s.put("A2", "部门预算项目支出绩效自评表（2023年度）", to="K2")
    s.put("A3", "项目名称")
    s.put("B3", code_name, to="K3")
    s.put("A4", "主管部门")
    s.put("B4", "青神县发展和改革局本级", to="E4")
    s.put("F4", "实施单位\n(盖章)")
    s.put("G4", "青神县发展和改革局", to="K4")
    s.put("A5", "项目基本情况", to="A9")
    s.put("B5", "1.项目年度目标完成情况", to="K5")
    s.put("B6", "项目年度目标", to="F6")
    s.put("G6", "年度目标完成情况", to="K6")
    s.put("B7", "严格执行相关政策，保障工资及时、足额发放或社保及时、足额缴纳。", to="F7")
    s.put("G7", achievement, to="K7")
    s.put("B8", "2.项目实施内容及过程概述", to="K8")
    s.put("B9", "按月发放工资，按时缴纳社保。", to="K9")
    s.put("A10", "预算执行情况(10分)", to="A15")
    s.row(10, {"B": "年度预算数(万元)", "C": "年初预算", "D": "调整后预算数", "E": "预算执行数",
               "F": "预算执行率", "G": "权\u3000重", "H": "得分"})
    s.put("I10", "原因", to="K10")
    labels = ["总额", "其中:财政资金", "财政专户管理资金", "单位资金", "其他资金"]
    for k, (label, (a, b, c)) in enumerate(zip(labels, funds)):
        r = 11 + k
        s.row(r, {"B": label, "C": a, "D": b, "E": c, "F": None if k else "100.00%"})
        if k:
            s.row(r, {"G": "/", "H": "/"})
    s.put("G11", weight)
    s.put("I11", "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);"
                 "2.年中发生预算调整的(追加或调减),应单独说明理由。", to="K15")
    head = 16
    n_head = 2 if two_row_header else 1
    first = head + n_head
    s.put(f"A{head}", "绩效指标(90分)", to=f"A{first + len(rows) - 1}")
    cols = {"B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "指标\n性质", "F": "指标值",
            "G": "度 量 单 位", "H": "完成值", "I": "权重", "J": "得分", "K": "未完成原因分析"}
    if two_row_header:
        for col in "BCDHIJK":
            s.put(f"{col}{head}", cols[col], to=f"{col}{head + 1}")
        s.put(f"E{head}", "年度指标值", to=f"G{head}")
        s.row(head + 1, {"E": "指标性质", "F": "指标值", "G": "计量单位"})
    else:
        s.row(head, cols)
    for k, (l1, l2, l3, d, v, u, a, w, sc, why) in enumerate(rows):
        s.row(first + k, {"C": l2, "D": l3, "E": d, "F": v, "G": u, "H": a, "I": w, "J": sc,
                          "K": why})
    r = first
    while r < first + len(rows):
        l1 = rows[r - first][0]
        n = 1
        while r - first + n < len(rows) and rows[r - first + n][0] == l1:
            n += 1
        s.put(f"B{r}", l1, to=f"B{r + n - 1}")
        r += n
    foot = first + len(rows)
    s.put(f"A{foot}", "合计", to=f"H{foot}")
    s.row(foot, {"I": 100, "J": total})
    s.put(f"A{foot + 1}", "评价结论")
    s.put(f"B{foot + 1}", "项目自评得分较高，资金使用规范。", to=f"K{foot + 1}")
    s.put(f"A{foot + 2}", "存在问题")
    s.put(f"B{foot + 2}", "个别月份工资发放略有延迟。", to=f"K{foot + 2}")
    s.put(f"A{foot + 3}", "改进措施")
    s.put(f"B{foot + 3}", "针对项目自评中发现的问题，提出下一步改进完善的意见及有关政策性建议。（200字以内）",
          to=f"K{foot + 3}")
    s.put(f"A{foot + 4}", "项目负责人:", to=f"E{foot + 4}")
    s.put(f"F{foot + 4}", "财务负责人:", to=f"K{foot + 4}")


def qingshen(path: Path) -> Path:
    """(b) three projects, one per sheet, 2023."""
    wb = _book()
    _qingshen_sheet(
        wb.create_sheet("工资性支出"), code_name="51000021R000000019951-工资性支出",
        funds=[(0, 0, 0), (238.93, 251.89, 251.89), ("0.00", "0.00", "0.00"), (5, 5, 4),
               (1, 1, 1)],
        weight=10, rows=QINGSHEN_P1, total=99,
        achievement="对照年度目标,说明相关任务目标的完成情况(100字以内)")
    _qingshen_sheet(
        wb.create_sheet("办公经费"), code_name="51000021R000000019952－办公经费",
        funds=[(50, 50, 48), (50, 50, 48), (None, None, None), (None, None, None),
               (None, None, None)],
        weight="10分", rows=QINGSHEN_P2, total=99.6, achievement="办公设备保障到位。",
        two_row_header=True)
    # 预算执行率 权重 9 with indicator weights 31 + 30 + 30 = 91 (合计 100); executed 18 of 20,
    # so the unit's total is 9 × 90% + 91 = 99.1
    _qingshen_sheet(
        wb.create_sheet("专项经费"), code_name="51000021R000000019953-培训专项经费",
        funds=[(20, 20, 18), (20, 20, 18), (None, None, None), (None, None, None),
               (None, None, None)],
        weight=9, rows=QINGSHEN_P3, total=99.1, achievement="完成培训。")
    wb.save(path)
    return path


# ============================================================================================
# (c) several projects stacked in one sheet
# ============================================================================================
#: (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)
STACKED = [
    {"name": "学生营养改善计划", "dept": "区教育委员会", "unit": "区学生资助中心",
     "funds": [("年度资金总额", 500, 520, 468, 10, 0.9, 9),
               ("其中：当年财政拨款", 480, 500, 450, None, None, None),
               ("上年结转资金", 20, 20, 18, None, None, None)],
     "rows": [("产出指标", "数量指标", "受益学生人数", "≥1000人", "980", 20, 20, "部分学生转学"),
              (None, None, "供餐天数", "≥200天", "200", 10, 10, None),
              (None, "质量指标", "食品安全事故", "≤0起", "0", 10, 10, None),
              (None, "时效指标", "补助资金发放及时率", "100%", "100%", 10, 10, None),
              ("效益指标", "社会效益指标", "学生体质达标率", "≥ 95 %", "96%", 30, 30, None),
              ("满意度指标", "服务对象满意度指标", "家长满意度", "≥90%", "94%", 10, 10, None)],
     "total": 99, "merged": False},
    {"name": "校舍安全维修", "dept": "区教育委员会", "unit": "区教委基建科",
     "funds": [("年度资金总额", 300, 300, 240, 10, 0.8, 8),
               ("其中：当年财政拨款", 300, 300, 240, None, None, None)],
     "rows": [("产出指标", "数量指标", "维修校舍面积", "≥12000平方米", "12500平方米", 25, 25, None),
              ("产出指标", "时效指标", "完工时间", "2024年8月底前", "2024年8月", 15, 15, None),
              ("产出指标", "成本指标", "维修成本", "≤ 30 万元", "31万元", 15, 15, "材料涨价"),
              ("效益指标", "社会效益指标", "校舍安全隐患消除", "有效消除", "达成", 25, 25, None),
              ("满意度指标", "服务对象满意度指标", "师生满意度", "≥95%", "97%", 10, 10, None)],
     "total": 98, "merged": True},
    {"name": "教师培训", "dept": "区教育委员会", "unit": None,
     "funds": [("年度资金总额", 80, 80, 80, 10, 1.0, 10),
               ("其中：当年财政拨款", 80, 80, 80, None, None, None)],
     "rows": [("产出指标", "数量指标", "培训教师人次", "≧ ８００ 人次", "820人次", 30, 30, None),
              ("产出指标", "时效指标", "培训完成时间", "12月底前", "按时完成", 25, 25, None),
              ("效益指标", "可持续影响指标", "教学能力", "较上年提高", "部分达成", 25, 18, "课程偏少"),
              ("满意度指标", "服务对象满意度指标", "参训教师满意度", "≥90%", "92%", 10, 10, None)],
     "total": 93, "merged": True},
]


def stacked(path: Path, *, year: int = 2024) -> Path:
    """(c) three projects one below another in one sheet, with title and blank rows."""
    wb = _book()
    ws = wb.create_sheet("自评表")
    s = _Sheet(ws)
    r = 1
    for p in STACKED:
        s.put(f"A{r}", "项目支出绩效自评表", to=f"H{r}")
        s.put(f"A{r + 1}", f"（{year}年度）", to=f"H{r + 1}")
        r += 2
        s.put(f"A{r}", "项 目 名 称")
        s.put(f"B{r}", p["name"], to=f"H{r}")
        r += 1
        s.put(f"A{r}", f"主管部门：{p['dept']}", to=f"D{r}")
        s.put(f"E{r}", f"实施单位：{p['unit'] or ''}", to=f"H{r}")
        r += 1
        s.put(f"A{r}", "项目资金（万元）", to=f"A{r + len(p['funds'])}")
        s.row(r, {"C": "年初预算数", "D": "全年预算数", "E": "全年执行数", "F": "分值",
                  "G": "执行率", "H": "得分"})
        for k, (label, a, b, c, w, rate, sc) in enumerate(p["funds"]):
            rr = r + 1 + k
            s.row(rr, {"B": label, "C": a, "D": b, "E": c, "F": w, "H": sc})
            if rate is not None:
                s.put(f"G{rr}", rate, fmt="0.0%")
        r += len(p["funds"]) + 1
        s.put(f"A{r}", "年度总体目标", to=f"A{r + 1}")
        s.put(f"B{r}", "预期目标", to=f"E{r}")
        s.put(f"F{r}", "实际完成情况", to=f"H{r}")
        s.put(f"B{r + 1}", f"{p['name']}：按计划实施。", to=f"E{r + 1}")
        s.put(f"F{r + 1}", f"{p['name']}：已完成。", to=f"H{r + 1}")
        r += 2
        s.row(r, {"A": "一级指标", "B": "二级指标", "C": "三级指标", "D": "年度指标值",
                  "E": "实际完成值", "F": "分值", "G": "得分", "H": "偏差原因分析及改进措施"})
        first = r + 1
        rows = p["rows"]
        for k, (l1, l2, l3, t, a, w, sc, why) in enumerate(rows):
            s.row(first + k, {"C": l3, "D": t, "E": a, "F": w, "G": sc, "H": why})
            if not p["merged"]:
                s.row(first + k, {"A": l1, "B": l2})
        if p["merged"]:
            for col, key in (("A", lambda x: x[0]), ("B", lambda x: (x[0], x[1]))):
                k = 0
                while k < len(rows):
                    n = 1
                    while k + n < len(rows) and key(rows[k + n]) == key(rows[k]):
                        n += 1
                    s.put(f"{col}{first + k}", rows[k][0 if col == "A" else 1],
                          to=f"{col}{first + k + n - 1}")
                    k += n
        r = first + len(rows)
        s.put(f"A{r}", "总分", to=f"E{r}")
        s.row(r, {"F": 100, "G": p["total"]})
        r += 3                                  # two blank separator rows
    wb.save(path)
    return path


# ============================================================================================
# target and monitoring forms
# ============================================================================================
def target_form(path: Path) -> Path:
    """A 绩效目标申报表 (2022) for the Chizhou project 委托业务项目, and one for a new project."""
    wb = _book()
    for sheet, name, amount in (("申报1", "委托业务项目", 90), ("申报2", "乡村道路养护", 60)):
        s = _Sheet(wb.create_sheet(sheet))
        s.put("A1", "项目支出绩效目标申报表", to="F1")
        s.put("A2", "（2022年度）", to="F2")
        s.put("A3", "项目名称")
        s.put("B3", name, to="F3")
        s.put("A4", "主管部门")
        s.put("B4", "219-池州市贵池区棠溪镇人民政府", to="C4")
        s.put("D4", "实施单位")
        s.put("E4", "池州市贵池区棠溪镇人民政府", to="F4")
        s.put("A5", "项目资金\n（万元）", to="A7")
        s.put("B5", "年度资金总额：", to="C5")
        s.put("D5", amount, to="F5")
        s.put("B6", "其中：财政拨款", to="C6")
        s.put("D6", amount, to="F6")
        s.put("B7", "其他资金", to="C7")
        s.put("D7", None, to="F7")
        s.put("A8", "年度总体目标")
        s.put("B8", f"{name}按计划完成。", to="F8")
        s.row(9, {"A": "一级指标", "B": "二级指标", "C": "三级指标", "D": "指标值"})
        rows = [("产出指标", "数量指标", "养护里程", "≥30公里"),
                ("产出指标", "时效指标", "完成时间", "2022年11月底前"),
                ("效益指标", "社会效益指标", "通行条件改善", "明显改善"),
                ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%")]
        for k, row in enumerate(rows):
            s.row(10 + k, dict(zip("ABCD", row)))
    wb.save(path)
    return path


def monitoring_form(path: Path) -> Path:
    """A 绩效监控表 of January–June 2023."""
    wb = _book()
    s = _Sheet(wb.create_sheet("监控"))
    s.put("A1", "项目支出绩效目标执行监控表", to="I1")
    s.put("A2", "（2023年1-6月）", to="I2")
    s.put("A3", "项目名称")
    s.put("B3", "城区绿化养护", to="I3")
    s.put("A4", "主管部门")
    s.put("B4", "区住房和城乡建设委员会", to="D4")
    s.put("E4", "执行单位")
    s.put("F4", "区园林所", to="I4")
    s.put("A5", "项目资金（万元）", to="A7")
    s.row(5, {"C": "年初预算数", "D": "全年预算数", "E": "1-6月执行数", "F": "执行率"})
    s.row(6, {"B": "年度资金总额", "C": 200, "D": 210, "E": 84})
    s.row(7, {"B": "其中：财政拨款", "C": 200, "D": 210, "E": 84})
    s.row(8, {"A": "一级指标", "B": "二级指标", "C": "三级指标", "D": "年度指标值",
              "E": "1-6月执行情况", "F": "全年预计完成情况", "G": "偏差原因", "H": "完成目标可能性",
              "I": "备注"})
    s.row(9, {"A": "产出指标", "B": "数量指标", "C": "养护面积", "D": "≥50万平方米",
              "E": "24万平方米", "F": "50万平方米", "H": "确定能"})
    s.row(10, {"A": "效益指标", "B": "生态效益指标", "C": "绿化覆盖率", "D": "≥40%", "E": "39%",
               "F": "40%", "G": "经费保障", "H": "有可能"})
    wb.save(path)
    return path


# ============================================================================================
# (e) Zhongjiang: 分值 before 年度指标值, no 年初预算数 column, 全年实际值
# ============================================================================================
#: (一级, 二级, 三级, 分值, 年度指标值, 全年实际值, 得分)
ZHONGJIANG = [
    ("产出指标（60分）", "数量指标", "安装坡面水标尺", 10, "≥266米", "≥266米", 10),
    ("产出指标（60分）", "数量指标", "水标尺宽度", 10, "≥50厘米", "52厘米", 10),
    ("产出指标（60分）", "质量指标", "项目(工程)验收合格率", 20, "100%", "100%", 20),
    ("产出指标（60分）", "时效指标", "及时(按期)完工率", 10, "≥90%", "≥90%", 10),
    ("产出指标（60分）", "成本指标", "项目计划总投资", 10, "20万元", "20万元", 10),
    ("效益指标（20分）", "社会效益指标", "受益户人口数", 10, "≥1000人", "≥1000人", 10),
    ("效益指标（20分）", "社会效益指标", "群众生产生活条件改善状况", 10, "显著提升", "显著提升", 10),
    ("满意度指标（10分）", "服务对象满意度指标", "受益户满意度", 10, "≥95%", "≥95%", 10),
]


def zhongjiang(path: Path) -> Path:
    """A 绩效目标自评表 whose columns come in another order (2022)."""
    wb = _book()
    s = _Sheet(wb.create_sheet("Sheet1"))
    s.put("A1", "绩效目标自评表", to="I1")
    s.put("A2", "(2022年度)", to="I2")
    s.put("A3", "项目名称")
    s.put("B3", "小型水库水标尺制作安装项目", to="E3")
    s.put("F3", "项目负责人及电话")
    s.put("G3", "谢某 0838-0000000", to="I3")
    s.put("A4", "主管部门")
    s.put("B4", "中江县水利局", to="E4")
    s.put("F4", "实施单位")
    s.put("G4", "中江县水利局", to="I4")
    s.put("A5", "资金情况（万元）", to="A8")
    s.put("B5", None, to="D5")
    s.row(5, {"E": "全年预算数（A）", "F": "全年执行数（B）", "G": "分值", "H": "执行率（B/A）",
              "I": "得分"})
    s.put("B6", "年度资金总额：", to="D6")
    s.row(6, {"E": 20, "F": 20, "G": 10, "H": "100.00%", "I": 10})
    s.put("B7", "其中：本年财政拨款", to="D7")
    s.row(7, {"E": 20, "F": 20})
    s.put("B8", "其他资金", to="D8")
    s.put("A9", "年度总体目标", to="A10")
    s.put("B9", "年初设定目标", to="E9")
    s.put("F9", "年度总体目标完成情况综述", to="I9")
    s.put("B10", "对农村地区供水计量设施设备进行改进。", to="E10")
    s.put("F10", "对项目区农业用水计量，为农业生产夯实基础。", to="I10")
    s.put("A11", "绩效指标", to=f"A{11 + len(ZHONGJIANG)}")
    s.row(11, {"B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "分值", "F": "年度指标值",
               "G": "全年实际值", "H": "得分", "I": "未完成原因及拟采取的改进措施"})
    for k, (l1, l2, l3, w, t, a, sc) in enumerate(ZHONGJIANG):
        s.row(12 + k, {"C": l2, "D": l3, "E": w, "F": t, "G": a, "H": sc})
    for l1, first, n in (("产出指标（60分）", 12, 5), ("效益指标（20分）", 17, 2),
                         ("满意度指标（10分）", 19, 1)):
        s.put(f"B{first}", l1, to=f"B{first + n - 1}")
    foot = 12 + len(ZHONGJIANG)
    s.put(f"A{foot}", "总分", to=f"D{foot}")
    s.row(foot, {"E": 100, "H": 100})
    wb.save(path)
    return path
