"""User-facing labels of perfkit's reports, in Simplified Chinese (default) and English.

Every string a report shows that does not come from the user's data is looked up here, so a
missing translation is a ``KeyError`` in the tests rather than a half-English report. Labels may
hold ``str.format`` placeholders (``{year}``); :func:`label` fills them from keyword arguments.

Values of the official taxonomy that travel *inside* the data (一级/二级指标 names, fund sources,
grades, ratings) are translated by :func:`value_label`, which leaves any other value unchanged.
"""
from __future__ import annotations

import math
import string
from typing import Any

from ..errors import InputError

__all__ = ["LANGS", "LABELS", "label", "placeholders", "value_label", "grade_label",
           "flag_message", "html_lang", "as_number", "fmt_num", "fmt_pct", "runs",
           "awarded_if_differs"]

#: supported report languages
LANGS = ("zh", "en")

#: key → {"zh": ..., "en": ...}
LABELS: dict[str, dict[str, str]] = {
    # --- titles ----------------------------------------------------------------------------
    "title.self_eval_table": {"zh": "项目支出绩效自评表",
                              "en": "Project Expenditure Performance Self-Evaluation Form"},
    "title.self_eval_results": {"zh": "项目支出绩效自评结果",
                                "en": "Project Expenditure Performance Self-Evaluation Results"},
    "title.year": {"zh": "（{year}年度）", "en": "(Fiscal year {year})"},
    "title.indicator_chart": {"zh": "{name} — 绩效指标得分",
                              "en": "{name} — indicator scores"},
    "title.level1_chart": {"zh": "{name} — 一级指标得分",
                           "en": "{name} — scores by first-level indicator"},
    "title.summary_table": {"zh": "汇总表", "en": "Summary"},
    # --- sheets ----------------------------------------------------------------------------
    "sheet.form": {"zh": "自评表", "en": "Self-evaluation"},
    "sheet.detail": {"zh": "评分明细", "en": "Scoring details"},
    "sheet.notes": {"zh": "说明", "en": "Notes"},
    "sheet.summary": {"zh": "汇总", "en": "Summary"},
    # --- sections --------------------------------------------------------------------------
    "section.summary": {"zh": "评价结果", "en": "Result"},
    "section.budget": {"zh": "项目资金（万元）", "en": "Project funds (CNY 10,000)"},
    "section.objective": {"zh": "年度总体目标", "en": "Annual overall objective"},
    "section.indicators": {"zh": "绩效指标", "en": "Performance indicators"},
    "section.level1": {"zh": "一级指标得分", "en": "Scores by first-level indicator"},
    "section.flags": {"zh": "提示", "en": "Flags"},
    # --- header fields ---------------------------------------------------------------------
    "field.name": {"zh": "项目名称", "en": "Project name"},
    "field.subject_id": {"zh": "项目编码", "en": "Project code"},
    "field.year": {"zh": "年度", "en": "Year"},
    "field.department": {"zh": "主管部门", "en": "Supervising department"},
    "field.implementing_unit": {"zh": "实施单位", "en": "Implementing unit"},
    "field.budget_type": {"zh": "预算类型", "en": "Budget type"},
    "field.sector": {"zh": "行业领域", "en": "Sector"},
    "field.profile": {"zh": "评分规则", "en": "Rule profile"},
    "field.profile_version": {"zh": "规则版本", "en": "Profile version"},
    "field.profile_hash": {"zh": "规则哈希", "en": "Profile hash"},
    # --- budget block ----------------------------------------------------------------------
    "budget.source": {"zh": "资金来源", "en": "Source of funds"},
    "budget.initial": {"zh": "年初预算数", "en": "Initial budget"},
    "budget.adjusted": {"zh": "全年预算数", "en": "Full-year budget"},
    "budget.executed": {"zh": "全年执行数", "en": "Full-year execution"},
    "budget.weight": {"zh": "分值", "en": "Weight"},
    "budget.rate": {"zh": "执行率", "en": "Execution rate"},
    "budget.score": {"zh": "得分", "en": "Score"},
    "budget.total": {"zh": "年度资金总额", "en": "Total funds of the year"},
    "budget.of_which": {"zh": "其中：", "en": "of which: "},
    "budget.execution": {"zh": "预算执行率", "en": "Budget execution"},
    "budget.explanation": {"zh": "计分说明", "en": "Scoring note"},
    # --- annual objective ------------------------------------------------------------------
    "objective.expected": {"zh": "预期目标", "en": "Expected objective"},
    "objective.achieved": {"zh": "实际完成情况", "en": "Actual achievement"},
    # --- indicator columns -----------------------------------------------------------------
    "ind.level1": {"zh": "一级指标", "en": "Level-1 indicator"},
    "ind.level2": {"zh": "二级指标", "en": "Level-2 indicator"},
    "ind.level3": {"zh": "三级指标", "en": "Level-3 indicator"},
    "ind.kind": {"zh": "指标类型", "en": "Type"},
    "ind.direction": {"zh": "指标方向", "en": "Direction"},
    "ind.unit": {"zh": "计量单位", "en": "Unit"},
    "ind.target": {"zh": "年度指标值", "en": "Annual target"},
    "ind.actual": {"zh": "实际完成值", "en": "Actual value"},
    "ind.target_value": {"zh": "年度指标值（数值）", "en": "Annual target (number)"},
    "ind.actual_value": {"zh": "实际完成值（数值）", "en": "Actual value (number)"},
    "ind.weight": {"zh": "分值", "en": "Weight"},
    "ind.score": {"zh": "得分", "en": "Score"},
    "ind.rule_score": {"zh": "规则得分", "en": "Rule score"},
    "ind.awarded": {"zh": "自评得分", "en": "Self-awarded score"},
    "ind.awarded_diff": {"zh": "差异（自评−规则）", "en": "Difference (self − rule)"},
    "ind.not_applicable": {"zh": "不适用", "en": "Not applicable"},
    "ind.rating": {"zh": "定性评级", "en": "Qualitative rating"},
    "ind.explanation": {"zh": "计分说明", "en": "Scoring note"},
    "ind.deviation_reason": {"zh": "偏差原因分析及改进措施",
                             "en": "Reasons for deviation and corrective measures"},
    "ind.flags": {"zh": "提示", "en": "Flags"},
    # --- footer ----------------------------------------------------------------------------
    "footer.total": {"zh": "总分", "en": "Total score"},
    "footer.grade": {"zh": "评价等级", "en": "Grade"},
    "footer.conclusion": {"zh": "评价结论", "en": "Conclusion"},
    "footer.problems": {"zh": "存在问题", "en": "Problems found"},
    "footer.measures": {"zh": "改进措施", "en": "Corrective measures"},
    "footer.project_lead": {"zh": "项目负责人", "en": "Project lead"},
    "footer.finance_lead": {"zh": "财务负责人", "en": "Finance lead"},
    "footer.awarded_total": {"zh": "自评总分", "en": "Self-awarded total"},
    "footer.applicable_weight": {"zh": "适用分值", "en": "Applicable weight"},
    "footer.rule_note": {
        "zh": "注：得分按评分规则 {profile} 计算；单位自评得分及差异见“{sheet}”表。",
        "en": "Note: scores follow rule profile {profile}; the unit's self-awarded scores and the "
              "differences are on sheet “{sheet}”."},
    # --- grades (domain.md §4.4) -----------------------------------------------------------
    "grade.excellent": {"zh": "优", "en": "Excellent"},
    "grade.good": {"zh": "良", "en": "Good"},
    "grade.average": {"zh": "中", "en": "Average"},
    "grade.poor": {"zh": "差", "en": "Poor"},
    # --- indicator kinds, directions, ratings ----------------------------------------------
    "kind.quantitative": {"zh": "定量", "en": "Quantitative"},
    "kind.qualitative": {"zh": "定性", "en": "Qualitative"},
    "rating.achieved": {"zh": "达成", "en": "Achieved"},
    "rating.partly": {"zh": "部分达成", "en": "Partly achieved"},
    "rating.not_achieved": {"zh": "未达成", "en": "Not achieved"},
    # --- fund sources (schema.FUND_SOURCES) ------------------------------------------------
    "source.current": {"zh": "当年财政拨款", "en": "Current-year appropriation"},
    "source.carryover": {"zh": "上年结转资金", "en": "Carry-over from prior year"},
    "source.other": {"zh": "其他资金", "en": "Other funds"},
    # --- indicator taxonomy (domain.md §3.1, §3.2; schema.LEVEL1 / LEVEL2) -----------------
    "level.output": {"zh": "产出指标", "en": "Output"},
    "level.outcome": {"zh": "效益指标", "en": "Outcome"},
    "level.satisfaction": {"zh": "满意度指标", "en": "Satisfaction"},
    "level.quantity": {"zh": "数量指标", "en": "Quantity"},
    "level.quality": {"zh": "质量指标", "en": "Quality"},
    "level.timeliness": {"zh": "时效指标", "en": "Timeliness"},
    "level.cost": {"zh": "成本指标", "en": "Cost"},
    "level.economic": {"zh": "经济效益指标", "en": "Economic benefit"},
    "level.social": {"zh": "社会效益指标", "en": "Social benefit"},
    "level.ecological": {"zh": "生态效益指标", "en": "Ecological benefit"},
    "level.sustainable": {"zh": "可持续影响指标", "en": "Sustainable impact"},
    "level.beneficiary_satisfaction": {"zh": "服务对象满意度指标",
                                       "en": "Beneficiary satisfaction"},
    "level.decision": {"zh": "决策", "en": "Decision-making"},
    "level.process": {"zh": "过程", "en": "Process"},
    "level.output_short": {"zh": "产出", "en": "Output"},
    "level.outcome_short": {"zh": "效益", "en": "Outcome"},
    # --- figures ---------------------------------------------------------------------------
    "axis.points": {"zh": "分值（分）", "en": "Points"},
    "chart.weight": {"zh": "分值", "en": "Weight"},
    "chart.score": {"zh": "得分", "en": "Score"},
    "chart.awarded": {"zh": "自评得分", "en": "Self-awarded"},
    "chart.na": {"zh": "不适用", "en": "Not applicable"},
    "chart.total_grade": {"zh": "总分 {total}（{grade}）", "en": "Total {total} ({grade})"},
    # --- notes sheet -----------------------------------------------------------------------
    "notes.item": {"zh": "项目", "en": "Item"},
    "notes.value": {"zh": "内容", "en": "Value"},
    "notes.flag_code": {"zh": "提示代码", "en": "Flag code"},
    "notes.flag_message": {"zh": "提示内容", "en": "Flag"},
    "notes.no_flags": {"zh": "无", "en": "None"},
    # --- misc ------------------------------------------------------------------------------
    "misc.na": {"zh": "不适用", "en": "N/A"},
    "misc.yes": {"zh": "是", "en": "Yes"},
    "misc.no": {"zh": "否", "en": "No"},
    "misc.dash": {"zh": "—", "en": "—"},
    # --- flags raised by scoring (code → message); unknown codes fall back to their message --
    "flag.execution_below_90_unexplained": {
        "zh": "预算执行率低于90%且未说明原因",
        "en": "Budget execution below 90% without a written explanation"},
    "flag.awarded_differs": {"zh": "自评得分与规则得分不一致",
                             "en": "Self-awarded score differs from the rule score"},
    "flag.overshoot": {"zh": "实际完成值大幅超过年度指标值，目标可能设定偏低",
                       "en": "Actual value far above the target; the target may be set too low"},
    "flag.not_applicable": {"zh": "指标不适用，总分已按适用分值折算",
                            "en": "Indicator not applicable; the total is rescaled"},
    "flag.deviation_unexplained": {"zh": "未完成年度指标值且未说明偏差原因",
                                   "en": "Target missed without a reason for the deviation"},
    "flag.missing_actual": {"zh": "缺少实际完成值", "en": "Actual value missing"},
    "flag.rating_out_of_band": {"zh": "定性指标得分不在评级对应区间内",
                                "en": "Qualitative score outside the band of its rating"},
}

#: Chinese data value → label key, for the values :func:`value_label` translates
_VALUE_KEYS: dict[str, str] = {
    "优": "grade.excellent", "良": "grade.good", "中": "grade.average", "差": "grade.poor",
    "定量": "kind.quantitative", "定性": "kind.qualitative",
    "达成": "rating.achieved", "部分达成": "rating.partly", "未达成": "rating.not_achieved",
    "当年财政拨款": "source.current", "上年结转资金": "source.carryover", "其他资金": "source.other",
    "产出指标": "level.output", "效益指标": "level.outcome", "满意度指标": "level.satisfaction",
    "数量指标": "level.quantity", "质量指标": "level.quality", "时效指标": "level.timeliness",
    "成本指标": "level.cost", "经济效益指标": "level.economic", "社会效益指标": "level.social",
    "生态效益指标": "level.ecological", "可持续影响指标": "level.sustainable",
    "服务对象满意度指标": "level.beneficiary_satisfaction",
    "决策": "level.decision", "过程": "level.process", "产出": "level.output_short",
    "效益": "level.outcome_short",
}

_GRADE_KEYS = {"优": "grade.excellent", "良": "grade.good", "中": "grade.average",
               "差": "grade.poor"}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise InputError(f"must be one of {', '.join(map(repr, LANGS))}", argument="lang",
                         value=lang)
    return lang


def label(key: str, lang: str = "zh", **fields: Any) -> str:
    """The label ``key`` in language ``lang``, with ``{placeholders}`` filled from ``fields``.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`, e.g. ``"ind.level3"``.
    lang : {"zh", "en"}
        Simplified Chinese (default) or English.
    **fields
        Values for the label's placeholders.

    Raises
    ------
    KeyError
        If ``key`` is unknown (so a missing label fails loudly in tests).
    InputError
        If ``lang`` is not supported.
    """
    _check_lang(lang)
    try:
        text = LABELS[key][lang]
    except KeyError:
        raise KeyError(f"no report label {key!r} (add it to perfkit.report.labels.LABELS)") \
            from None
    return text.format(**fields) if fields else text


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in a label (used by the completeness test)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def value_label(value: Any, lang: str = "zh") -> Any:
    """Translate a value of the official taxonomy (一级指标 name, grade, rating …) into ``lang``.

    Values that are not in the taxonomy (the user's own indicator names, numbers, None) are
    returned unchanged; in Chinese every value is returned unchanged.
    """
    _check_lang(lang)
    if lang == "zh" or not isinstance(value, str):
        return value
    key = _VALUE_KEYS.get(value.strip())
    return LABELS[key][lang] if key else value


def grade_label(grade: str | None, lang: str = "zh") -> str:
    """优/良/中/差 in ``lang`` (English: ``"Good (良)"``); ``"—"`` when there is no grade."""
    _check_lang(lang)
    if grade is None or grade == "":
        return label("misc.dash", lang)
    key = _GRADE_KEYS.get(str(grade).strip())
    if key is None:
        return str(grade)
    return LABELS[key]["zh"] if lang == "zh" else f"{LABELS[key][lang]} ({grade})"


def flag_message(flag: Any, lang: str = "zh") -> str:
    """The message of a flag in ``lang``.

    ``flag`` is a dict ``{"code": ..., "message": ...}`` from ``results.json`` or a bare code.
    Known codes use :data:`LABELS` (``flag.<code>``); unknown ones fall back to the message the
    scoring module wrote, then to the code itself, so a new flag never breaks a report.
    """
    _check_lang(lang)
    if isinstance(flag, dict):
        code, message = flag.get("code"), flag.get("message")
    else:
        code, message = flag, None
    key = f"flag.{code}"
    if key in LABELS:
        return LABELS[key][lang]
    return str(message) if message else str(code)


def html_lang(lang: str = "zh") -> str:
    """The BCP 47 tag for ``<html lang=…>``: ``zh-CN`` or ``en``."""
    return {"zh": "zh-CN", "en": "en"}[_check_lang(lang)]


# --- formatting (rounding happens here, in presentation, never in results) ------------------
def as_number(x: Any) -> float | None:
    """A finite float, or None for None/NaN/inf/bool/non-numbers (JSON writes NaN as null)."""
    if x is None or isinstance(x, bool):
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def fmt_num(x: Any, digits: int = 2, *, empty: str = "—") -> str:
    """``x`` with ``digits`` decimals (``87.31``), or ``empty`` when it is not a number."""
    f = as_number(x)
    return empty if f is None else f"{f:.{digits}f}"


def fmt_pct(x: Any, digits: int = 1, *, empty: str = "—") -> str:
    """A ratio as a percentage (``0.9`` → ``90.0%``), or ``empty`` when it is not a number."""
    f = as_number(x)
    return empty if f is None else f"{f * 100:.{digits}f}%"


def runs(values: list) -> list[int]:
    """Lengths of the runs of equal consecutive values: ``[a, a, b, a]`` → ``[2, 1, 1]``.

    Used to merge 一级/二级指标 cells vertically (rowspan in HTML, merged cells in Excel).
    """
    out: list[int] = []
    prev = object()
    for v in values:
        if out and v == prev:
            out[-1] += 1
        else:
            out.append(1)
        prev = v
    return out


def awarded_if_differs(indicator: dict) -> float | None:
    """The self-awarded score (自评得分) of an indicator row when it differs from the rule score.

    Scoring marks the difference with the flag ``awarded_differs``; without the flag, a non-zero
    ``awarded_diff`` at two decimals counts. ``None`` when equal, missing or not applicable.
    """
    a = as_number(indicator.get("awarded"))
    if a is None or indicator.get("not_applicable"):
        return None
    diff = as_number(indicator.get("awarded_diff"))
    if "awarded_differs" in (indicator.get("flags") or ()) or (diff is not None
                                                               and round(diff, 2) != 0):
        return a
    return None


def localise(results: dict, lang: str = "zh") -> dict:
    """A shallow copy of a results dict whose explanation and flag texts are in ``lang``.

    ``results.json`` carries both languages (``explanation`` / ``explanation_en``,
    ``message`` / ``message_en``); reports show one.
    """
    if _check_lang(lang) == "zh" or not isinstance(results, dict):
        return results
    r = dict(results)

    def pick(d: dict, key: str) -> dict:
        if isinstance(d, dict) and d.get(f"{key}_en"):
            d = {**d, key: d[f"{key}_en"]}
        return d

    if isinstance(r.get("indicators"), list):
        r["indicators"] = [pick(i, "explanation") for i in r["indicators"]]
    if isinstance(r.get("budget"), dict):
        r["budget"] = pick(r["budget"], "explanation")
    if isinstance(r.get("flags"), list):
        r["flags"] = [pick(f, "message") for f in r["flags"]]
    return r
