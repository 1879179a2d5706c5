"""The workbook format: perfkit's input, one district-year (or several years) of data.

A workbook is an Excel file (.xlsx) with one sheet per table, or a folder of CSV files, one file
per table. Sheet/file names and column headers may be English field names or the Chinese names
printed on the official forms (e.g. ``项目名称``); both are listed here and mapped on reading.

This module is the single source of truth for the format: the reader, the validator, the
``perfkit template`` writer, the demo generator and the README's format table all read it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Column", "Table", "TABLES", "table", "BUDGET_TYPES", "FUNDING_MODES", "DIRECTIONS",
           "KINDS", "RATINGS", "FUND_SOURCES", "LEVEL1", "LEVEL2", "DEVIATION_REASONS",
           "LIKELIHOODS"]

DType = Literal["str", "float", "int", "bool", "enum", "list"]

#: 预算类型 — the three budgets of the founding document plus social insurance (34号) [V: A]
BUDGET_TYPES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算")
#: 资金方式 — funding-mode flags that extend scope "by reference" [V: B]
FUNDING_MODES = ("PPP", "政府采购", "政府购买服务", "政府债务", "政府投资基金")
#: indicator direction: positive ≥, reverse ≤, equal =, qualitative 定性
DIRECTIONS = ("≥", "≤", "=", "定性")
KINDS = ("定量", "定性")
#: qualitative ratings, three tiers [S: G]
RATINGS = ("达成", "部分达成", "未达成")
#: 资金来源 rows of the 自评表 (domain.md §9.1)
FUND_SOURCES = ("当年财政拨款", "上年结转资金", "其他资金")
#: 偏差原因 categories of the monitoring table (绩效监控表) [S: K code]
DEVIATION_REASONS = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
#: 完成目标可能性 (likelihood of attaining the target) on the monitoring table [V-by-example: K]
LIKELIHOODS = ("确定能", "有可能", "不可能")
#: the operational indicator tree of domain.md §3.1
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2 = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}


@dataclass(frozen=True)
class Column:
    name: str                      # English field name (canonical)
    zh: str                        # Chinese header as printed on the forms
    dtype: DType = "str"
    required: bool = True
    choices: tuple[str, ...] = ()  # for enum / list
    min: float | None = None       # inclusive lower bound for numbers
    max: float | None = None
    aliases: tuple[str, ...] = ()  # other headers seen in the wild
    doc: str = ""
    unit: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]            # unique key
    required: bool = True
    doc: str = ""
    aliases: tuple[str, ...] = ()
    #: (column, referenced table, referenced column) foreign keys
    refs: tuple[tuple[str, str, str], ...] = field(default=())

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_year = Column("year", "年度", "int", min=1990, max=2100, doc="budget year (预算年度)")

PROJECTS = Table(
    "projects", "项目", key=("project_id", "year"), aliases=("项目信息", "项目基本信息"),
    refs=(("department_id", "departments", "department_id"),),
    doc="One row per project and year (项目支出).",
    columns=(
        Column("project_id", "项目编码", aliases=("项目编号", "项目代码"),
               doc="project code; kept as text (00123 stays 00123)"),
        _year,
        Column("name", "项目名称"),
        Column("department_id", "主管部门编码", aliases=("部门编码",)),
        Column("department", "主管部门"),
        Column("implementing_unit", "实施单位", aliases=("执行单位",)),
        Column("budget_type", "预算类型", "enum", choices=BUDGET_TYPES,
               doc="one of the budgets: " + " / ".join(BUDGET_TYPES)),
        Column("funding_modes", "资金方式", "list", required=False, choices=FUNDING_MODES,
               doc="flags separated by ; or 、 — " + " / ".join(FUNDING_MODES)),
        Column("sector", "行业领域", aliases=("所属行业",)),
        Column("start_year", "起始年度", "int", required=False, min=1990, max=2100),
        Column("end_year", "结束年度", "int", required=False, min=1990, max=2100),
        Column("township_id", "乡镇街道编码", required=False),
        Column("objective", "年度总体目标", required=False, aliases=("预期目标",)),
        Column("achievement", "实际完成情况", required=False),
        Column("execution_note", "执行率偏低说明", required=False,
               doc="written explanation required when execution < 90% (domain.md §4.2)"),
        Column("execution_weight", "预算执行率分值", "float", required=False, min=0, max=100,
               aliases=("预算执行率权重", "资金权重", "执行率分值"),
               doc="the 预算执行率 weight (分值/权重) printed on the unit's own form; blank: the "
                   "rule profile's (10). When given, the project's indicator weights must add "
                   "up to 总分 − this weight (100 − 9 = 91), and the scoring states any "
                   "departure from the profile. `perfkit import-forms` fills it from the form."),
        Column("problems", "存在问题", required=False),
        Column("measures", "改进措施", required=False),
    ),
)

BUDGET = Table(
    "budget", "项目资金", key=("project_id", "year", "source"), aliases=("资金情况", "预算执行"),
    refs=(("project_id", "projects", "project_id"),),
    doc="Funds per project, year and source, in 万元 (rows of the 自评表's 项目资金 block).",
    columns=(
        Column("project_id", "项目编码", aliases=("项目编号", "项目代码")),
        _year,
        Column("source", "资金来源", "enum", choices=FUND_SOURCES),
        Column("initial", "年初预算数", "float", min=0, unit="万元"),
        Column("adjusted", "全年预算数", "float", min=0, unit="万元", aliases=("调整后预算数",)),
        Column("executed", "全年执行数", "float", min=0, unit="万元"),
    ),
)

MONTHLY = Table(
    "monthly", "月度执行", key=("project_id", "year", "month"), required=False,
    aliases=("月度支出",), refs=(("project_id", "projects", "project_id"),),
    doc="Cumulative payments to the end of each month (万元), for dual monitoring (双监控).",
    columns=(
        Column("project_id", "项目编码", aliases=("项目编号", "项目代码")),
        _year,
        Column("month", "月份", "int", min=1, max=12),
        Column("cumulative_executed", "累计支出数", "float", min=0, unit="万元"),
    ),
)

INDICATORS = Table(
    "indicators", "绩效指标", key=("project_id", "year", "level1", "level2", "level3"),
    aliases=("指标", "绩效指标表"), refs=(("project_id", "projects", "project_id"),),
    doc="One row per performance indicator (三级指标) of a project and year.",
    columns=(
        Column("project_id", "项目编码", aliases=("项目编号", "项目代码")),
        _year,
        Column("level1", "一级指标", "enum", choices=LEVEL1),
        Column("level2", "二级指标"),
        Column("level3", "三级指标"),
        Column("kind", "指标类型", "enum", choices=KINDS, required=False,
               doc="定量 quantitative / 定性 qualitative; inferred from direction when blank"),
        Column("direction", "指标方向", "enum", choices=DIRECTIONS, required=False,
               aliases=("指标性质",),
               doc="≥ positive, ≤ reverse, = equal, 定性 qualitative; may instead be printed "
                   "inside the target text (≥95%)"),
        Column("unit", "计量单位", required=False, aliases=("度量单位",)),
        Column("target", "年度指标值", doc="number, or text as printed (≥95%, ≤30万元, 按时完成)"),
        Column("actual", "实际完成值", required=False),
        Column("weight", "分值", "float", required=False, min=0, max=100),
        Column("rating", "定性评级", "enum", choices=RATINGS, required=False,
               doc="for qualitative indicators: 达成 / 部分达成 / 未达成"),
        Column("awarded", "自评得分", "float", required=False, min=0, aliases=("得分",),
               doc="the score the unit awarded itself; compared with the rule score"),
        Column("not_applicable", "不适用", "bool", required=False),
        Column("deviation_reason", "偏差原因分析及改进措施", required=False,
               aliases=("偏差原因",)),
    ),
)

INDICATOR_PROGRESS = Table(
    "indicator_progress", "指标监控", key=("project_id", "year", "month", "level1", "level2",
                                        "level3"),
    required=False, aliases=("绩效目标执行监控", "指标执行监控", "指标进度"),
    refs=(("project_id", "projects", "project_id"),),
    doc="In-year progress of each indicator at the end of a month, as the monitoring table "
        "(绩效监控表) reports it: 1–N月执行情况, 全年预计完成情况, 完成目标可能性, 偏差原因 and 完善措施 "
        "(domain.md §6), for dual monitoring (双监控). One row per indicator and month reported; "
        "each row names an indicator of the indicators sheet (same project, year and "
        "一级/二级/三级指标). Monitoring at the end of month m uses each indicator's latest row "
        "with month ≤ m.",
    columns=(
        Column("project_id", "项目编码", aliases=("项目编号", "项目代码")),
        _year,
        Column("month", "月份", "int", min=1, max=12, aliases=("监控月份", "截至月份"),
               doc="end of which month the values are reported (1–N月: N)"),
        Column("level1", "一级指标", "enum", choices=LEVEL1),
        Column("level2", "二级指标"),
        Column("level3", "三级指标"),
        Column("progress", "累计完成值", aliases=("1-N月执行情况", "1-N月实际完成值", "执行情况",
                                              "累计完成情况", "截至当月完成值"),
               doc="progress to date (1–N月实际完成值): a number, or text as the indicators "
                   "sheet's 实际完成值 (24万平方米, 96%, 2024年5月, 按时完成); a status without a "
                   "number (按计划推进) is kept as text, without a value"),
        Column("expected", "全年预计完成值", required=False,
               aliases=("全年预计完成情况", "预计全年完成值", "预计完成值"),
               doc="expected full-year value (全年预计完成情况), read like 累计完成值"),
        Column("likelihood", "完成目标可能性", "enum", required=False, choices=LIKELIHOODS,
               doc="the unit's own judgement: " + " / ".join(LIKELIHOODS)),
        Column("deviation_reason", "偏差原因", "enum", required=False, choices=DEVIATION_REASONS,
               aliases=("偏差原因类别",),
               doc="category of the deviation: " + " / ".join(DEVIATION_REASONS)),
        Column("deviation_analysis", "偏差原因分析", required=False, aliases=("偏差原因说明",),
               doc="the deviation explained in words"),
        Column("measures", "完善措施", required=False, aliases=("纠偏措施", "改进措施"),
               doc="corrective measures (纠偏措施)"),
    ),
)

DEPARTMENTS = Table(
    "departments", "部门", key=("department_id", "year"), aliases=("部门信息",),
    doc="Departments (部门整体) and the figures of the department-overall indicator set.",
    columns=(
        Column("department_id", "部门编码"),
        _year,
        Column("name", "部门名称"),
        Column("staff_authorized", "编制数", "int", required=False, min=0),
        Column("staff_actual", "在职人数", "int", required=False, min=0),
        Column("three_public_budget", "三公经费预算数", "float", required=False, min=0, unit="万元"),
        Column("three_public_prior", "上年三公经费预算数", "float", required=False, min=0,
               unit="万元"),
        Column("three_public_executed", "三公经费支出数", "float", required=False, min=0,
               unit="万元"),
        Column("carryover_prior", "上年结转", "float", required=False, min=0, unit="万元"),
        Column("initial_budget", "年初预算", "float", required=False, min=0, unit="万元"),
        Column("supplementary_budget", "本年追加", "float", required=False, min=0, unit="万元"),
        Column("year_end_balance", "年末结余", "float", required=False, min=0, unit="万元"),
        Column("expenditure", "支出完成数", "float", required=False, min=0, unit="万元"),
        Column("carryover_balance", "结转结余总额", "float", required=False, min=0, unit="万元"),
        Column("key_project_expenditure", "重点项目支出", "float", required=False, min=0,
               unit="万元"),
        Column("project_expenditure", "项目总支出", "float", required=False, min=0, unit="万元"),
    ),
)

TOWNSHIPS = Table(
    "townships", "乡镇街道", key=("township_id", "year"), required=False, aliases=("乡镇",),
    doc="Township fiscal operation (乡镇街道财政运行), for the comprehensive evaluation.",
    columns=(
        Column("township_id", "乡镇街道编码"),
        _year,
        Column("name", "乡镇街道名称"),
        Column("population", "常住人口", "int", required=False, min=0, unit="人"),
        Column("general_revenue", "一般公共预算收入", "float", required=False, min=0, unit="万元"),
        Column("tax_revenue", "税收收入", "float", required=False, min=0, unit="万元"),
        Column("expenditure_budget", "支出预算数", "float", required=False, min=0, unit="万元"),
        Column("expenditure", "一般公共预算支出", "float", required=False, min=0, unit="万元"),
        Column("livelihood_expenditure", "民生支出", "float", required=False, min=0, unit="万元"),
        Column("carryover_balance", "结转结余", "float", required=False, min=0, unit="万元"),
        Column("debt_balance", "债务余额", "float", required=False, min=0, unit="万元"),
        Column("debt_service", "还本付息额", "float", required=False, min=0, unit="万元"),
        Column("available_revenue", "综合财力", "float", required=False, min=0, unit="万元"),
        Column("treasury_balance", "库款余额", "float", required=False, min=0, unit="万元"),
        Column("monthly_outlay", "月均库款支出", "float", required=False, min=0, unit="万元"),
        Column("transfer_received", "上级转移支付", "float", required=False, min=0, unit="万元"),
        Column("disclosure", "预决算公开", "bool", required=False),
        Column("performance_mgmt", "开展绩效管理", "bool", required=False),
    ),
)

SURVEY = Table(
    "survey", "满意度调查", key=("project_id", "year", "respondent_id"), required=False,
    aliases=("问卷",), refs=(("project_id", "projects", "project_id"),),
    doc="Satisfaction survey responses (公众评判法), one row per respondent.",
    columns=(
        Column("project_id", "项目编码", aliases=("项目编号", "项目代码")),
        _year,
        Column("respondent_id", "问卷编号"),
        Column("response", "满意度", doc="1–5 (5 = 非常满意) or the Chinese label"),
        Column("weight", "权重", "float", required=False, min=0),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in
                            (PROJECTS, BUDGET, MONTHLY, INDICATORS, INDICATOR_PROGRESS, DEPARTMENTS,
                             TOWNSHIPS, SURVEY)}


def table(name: str) -> Table:
    """Look a table up by English or Chinese name."""
    for t in TABLES.values():
        if name in (t.name, t.zh, *t.aliases):
            return t
    raise KeyError(name)
