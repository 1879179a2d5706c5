"""Presentation of the management-cycle stages: results dicts, report outlines, tables, charts.

For each stage notebook this module offers four kinds of helpers, so that the notebook stays a
few calls long and the report never computes a score:

- ``<stage>_results(result, …) → dict`` — the ``results.json`` of the report: the stage
  result's ``to_dict()`` (full precision) plus the subject keys (``subject_id``,
  ``subject_type``, ``name``) and the few totals the report states (sums and counts of the
  stage result; no score is computed here);
- ``<stage>_outline(results, lang=…) → dict`` — the report in the official outline (domain.md
  §9) as an outline for :func:`perfkit.report.docx.write_docx`; pure functions of the results
  dict, so the Word report, the HTML report and results.json state the same numbers;
- ``<stage>_tables(results, lang=…) → {name: DataFrame}`` — the sheets of ``tables.xlsx``;
- :func:`show_outline` — displays an outline in the notebook (escaped HTML tables, figures as
  PNG), which becomes ``report.html``; it, :func:`outline_html` and :func:`heading_titles` live
  in :mod:`perfkit.report.outline` (shared with :mod:`~perfkit.report.methods_view`) and are
  re-exported here.

Numbers in tables are rounded only when shown, with :func:`perfkit.report.docx.format_number`
and the table's ``number_format`` (``"0.00"`` scores, ``"0.0%"`` rates, ``"#,##0.00"`` 万元), in
the HTML exactly as in Word. Texts from the inputs are escaped. Chinese by default; English with
``lang="en"`` (the labels are in :data:`TEXT`).
"""
from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .._results import jsonable
from .labels import as_number, fmt_num, fmt_pct, grade_label, label, value_label
from .outline import heading_titles, outline_html, show_outline  # re-exported

__all__ = [
    "TEXT", "show_outline", "outline_html", "heading_titles", "project_info",
    "exante_results", "exante_outline", "exante_tables",
    "target_review_results", "target_review_outline", "target_review_tables",
    "monitoring_results", "monitoring_outline", "monitoring_tables",
    "key_evaluation_results", "key_evaluation_outline", "key_evaluation_tables",
    "reevaluation_results", "reevaluation_outline", "reevaluation_tables",
    "department_results", "department_outline", "department_tables",
    "township_results", "township_outline", "township_tables",
    "application_results", "application_outline", "application_tables",
    "portfolio_results", "portfolio_outline", "portfolio_tables",
]

_F2, _F1P, _MONEY, _F4 = "0.00", "0.0%", "#,##0.00", "0.0000"
_ZH_NUM = "一二三四五六七八九十"

# =============================================================================================
# labels (zh, en)
# =============================================================================================
#: every text this module writes: key → (Chinese, English); ``{placeholders}`` are filled
TEXT: dict[str, tuple[str, str]] = {
    # generic
    "none": ("无。", "None."),
    "not_given": ("（未提供）", "(not provided)"),
    "fill_in": ("（由评价/评估机构填写）", "(to be written by the evaluators)"),
    "total": ("合计", "Total"),
    "rules_note": ("评分规则：{profile}（{hash}）。数值按全精度计算，报告中四舍五入显示；等级按未取整的"
                   "分数判定。", "Rules: profile {profile} ({hash}). Numbers are computed at full "
                   "precision and rounded for display only; grades use unrounded scores."),
    "design": ("本部分为设计方案：{what}", "Design proposal: {what}"),
    "year": ("年度", "Year"), "profile": ("评分规则", "Rule profile"),
    "code": ("编码", "Code"), "name": ("名称", "Name"), "department": ("主管部门", "Department"),
    "project": ("项目", "Project"), "project_id": ("项目编码", "Project code"),
    "project_name": ("项目名称", "Project name"), "score": ("得分", "Score"),
    "weight": ("分值", "Weight"), "points": ("分值", "Points"), "share": ("得分率", "Share"),
    "grade": ("等级", "Grade"), "n_projects": ("项目数", "Projects"),
    "budget": ("预算数（万元）", "Budget (CNY 10k)"), "executed": ("执行数（万元）",
                                                              "Executed (CNY 10k)"),
    "execution_rate": ("执行率", "Execution rate"), "action": ("处理方向", "Action"),
    "message": ("说明", "Note"), "rule": ("规则", "Rule"), "value": ("数值", "Value"),
    "unit": ("实施单位", "Implementing unit"), "sector": ("行业领域", "Sector"),
    "budget_type": ("预算类型", "Budget type"), "expert": ("专家", "Expert"),
    "dimension": ("维度", "Dimension"), "item": ("评估要点", "Item"),
    "indicator": ("指标", "Indicator"), "level1": ("一级指标", "Level 1"),
    "level2": ("二级指标", "Level 2"), "level3": ("三级指标", "Level 3"),
    "formula": ("计算公式", "Formula"), "explanation": ("计分说明", "Scoring note"),
    "total_score": ("总分", "Total score"), "conclusion": ("结论", "Conclusion"),
    "third_party": ("第三方评价利益冲突检查（财预〔2021〕6号）：委托方“{c}”，评价机构“{e}”，被评价对象“{o}”。",
                    "Third-party conflict check (财预〔2021〕6号): commissioner '{c}', evaluator "
                    "'{e}', object '{o}'."),
    "conflict_ok": ("未发现委托方与被评价对象相同、评价机构曾为被评价对象提供服务等利益冲突。",
                    "No conflict found (the commissioner is not the object; the evaluator did "
                    "not serve it)."),
    "conflict_warn": ("警告：{msg}", "Warning: {msg}"),
}


def _t(key: str, lang: str, **kw) -> str:
    zh, en = TEXT[key]
    text = zh if lang == "zh" else en
    return text.format(**kw) if kw else text


def _check_lang(lang: str) -> str:
    label("misc.dash", lang)  # InputError for an unknown language
    return lang


def _n1(i: int, lang: str) -> str:
    """Level-1 numbering: 一、 / 1. """
    return f"{_ZH_NUM[i - 1]}、" if lang == "zh" else f"{i}. "


def _n2(i: int, lang: str) -> str:
    """Level-2 numbering: （一） / (1) """
    return f"（{_ZH_NUM[i - 1]}）" if lang == "zh" else f"({i}) "


def _msg(d: Mapping, lang: str, key: str = "message") -> str:
    """A message in ``lang`` from a dict carrying ``message`` and ``message_en``."""
    if lang == "en" and d.get(f"{key}_en"):
        return str(d[f"{key}_en"])
    return str(d.get(key) or "")


def _join(items: Iterable[Any], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(str(x) for x in items)


def _profile_note(results: Mapping, lang: str) -> str:
    prof = results.get("profile") or {}
    return _t("rules_note", lang, profile=" ".join(str(x) for x in (prof.get("id"),
                                                                    prof.get("version")) if x),
              hash=str(prof.get("hash") or "")[:19])


def _grade(g: Any, lang: str) -> str:
    return grade_label(g, lang) if g not in (None, "") else label("misc.dash", lang)


#: budget actions (处理方向, domain.md §7) → English
_ACTION_EN = {"优先保障": "give priority", "保障": "maintain", "改进": "improve",
              "督促改进": "urge improvement", "压缩": "compress", "削减或取消": "cut or cancel",
              "取消": "cancel", "调整整合": "adjust or merge", "收回": "recall",
              "继续执行": "continue", "调剂": "reallocate", "暂缓或停止拨款": "suspend or stop"}


def _action(a: Any, lang: str) -> Any:
    """An action (or a ';'-joined list of actions) in ``lang``: ``give priority (优先保障)``."""
    if lang == "zh" or not isinstance(a, str) or not a:
        return a
    parts = a.split(";")
    if all(x in _ACTION_EN for x in parts):
        return "; ".join(f"{_ACTION_EN[x]} ({x})" for x in parts)
    return a


def _val(v: Any, lang: str) -> Any:
    """A data value for a table: taxonomy values and actions translated, 合计 → Total."""
    if v == "合计":
        return _t("total", lang)
    return _action(value_label(v, lang), lang)


# =============================================================================================
# outline pieces
# =============================================================================================
def _sec(title: str, *, level: int = 1, paragraphs: Sequence[str] = (),
         bullets: Sequence[str] = (), tables: Sequence[dict] = (), figures: Sequence[dict] = (),
         sections: Sequence[dict] = ()) -> dict:
    out: dict[str, Any] = {"title": title, "level": level}
    if paragraphs:
        out["paragraphs"] = [str(p) for p in paragraphs]
    if bullets:
        out["bullets"] = [str(b) for b in bullets]
    if tables:
        out["tables"] = list(tables)
    if figures:
        out["figures"] = list(figures)
    if sections:
        out["sections"] = list(sections)
    return out


def _cell(v: Any) -> Any:
    """A JSON value as a table cell: numbers as floats/ints, NaN → None, lists joined."""
    if isinstance(v, (list, tuple)):
        return "；".join(str(x) for x in v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = as_number(v)
    if f is not None and not isinstance(v, str):
        return f
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def _table(title: str | None, records: Sequence[Mapping], spec: Sequence[tuple],
           lang: str) -> dict:
    """A table of an outline from records: ``spec`` lists ``(key, header, format)``; the header
    is a :data:`TEXT` key or a literal text; ``format`` a number format or None. A key may be a
    callable ``record → value``."""
    cols, fmts, getters = [], {}, []
    for key, head, fmt in spec:
        h = _t(head, lang) if head in TEXT else str(head)
        cols.append(h)
        if fmt:
            fmts[h] = fmt
        getters.append(key)
    rows = []
    for r in records:
        row = []
        for g in getters:
            v = g(r) if callable(g) else r.get(g)
            row.append(_cell(_val(v, lang) if isinstance(v, str) else v))
        rows.append(row)
    out = {"columns": cols, "rows": rows}
    if title:
        out["title"] = title
    if fmts:
        out["number_format"] = fmts
    return out


def _figure(fig, caption: str, width_cm: float = 15.0) -> dict:
    from .figures import figure_bytes
    return {"png": figure_bytes(fig, format="png", dpi=150), "caption": caption,
            "width_cm": width_cm}


# =============================================================================================
# charts (matplotlib Figure objects, no pyplot)
# =============================================================================================
def _chart_title(caption: str) -> str:
    """A caption without its number (图1 / Figure 1), as the chart's own title."""
    return re.sub(r"^(图\s*\d+\s*|Figure\s+\d+\s*)", "", str(caption))


def _new_fig(height: float):
    from .figures import ReportFigure
    from .fonts import use_cjk_font
    use_cjk_font()
    return ReportFigure(figsize=(9.0, height), dpi=100, layout="constrained")


def _hbars(labels: Sequence[str], values: Sequence[float | None],
           maxima: Sequence[float | None] | None, *, title: str, xlabel: str,
           pct: bool = False, colour: str = "#1f5fa8"):
    """Horizontal bars of values (dark) against their maxima (light), top to bottom."""
    n = len(labels)
    fig = _new_fig(max(2.6, 1.5 + 0.42 * n))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    vals = np.array([np.nan if v is None else float(v) for v in values])
    if maxima is not None:
        mx = np.array([np.nan if v is None else float(v) for v in maxima])
        ax.barh(y, np.nan_to_num(mx), height=0.72, color="#d6e2f0", edgecolor=colour,
                linewidth=0.6, zorder=2)
    ax.barh(y, np.nan_to_num(vals), height=0.42 if maxima is not None else 0.6, color=colour,
            zorder=3)
    right = np.nanmax(np.concatenate([np.nan_to_num(vals), np.nan_to_num(mx) if maxima
                                      is not None else [0.0], [1e-9]]))
    for yy, v in zip(y, vals):
        if np.isfinite(v):
            txt = f"{v * 100:.1f}%" if pct else f"{v:.2f}"
            ax.text(v + right * 0.015, yy, txt, va="center", fontsize=8.5, color="#333333")
    ax.set_xlim(0, right * 1.18)
    ax.set_yticks(y, [str(s) for s in labels], fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_title(_chart_title(title), loc="left", fontsize=11.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def _stacked(categories: Sequence[str], stacks: Mapping[str, Sequence[float]],
             colours: Mapping[str, str], *, title: str, xlabel: str):
    """Horizontal stacked bars (one bar per category, one segment per stack)."""
    n = len(categories)
    fig = _new_fig(max(2.8, 1.6 + 0.3 * n))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    for name, vals in stacks.items():
        v = np.asarray(vals, dtype=float)
        ax.barh(y, v, left=left, height=0.66, color=colours.get(name, "#888888"), label=name,
                zorder=2)
        left += v
    ax.set_yticks(y, [str(c) for c in categories], fontsize=8.5)
    ax.set_xlabel(xlabel)
    ax.set_title(_chart_title(title), loc="left", fontsize=11.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.legend(loc="outside lower center", ncol=max(1, len(stacks)), frameon=False, fontsize=8.5)
    return fig


def _scatter(x: Sequence[float], y: Sequence[float], *, title: str, xlabel: str, ylabel: str,
             highlight: Sequence[bool] | None = None, diagonal: bool = False,
             labels: Sequence[str] | None = None):
    fig = _new_fig(4.8)
    ax = fig.add_subplot()
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    hi = np.zeros(len(xa), bool) if highlight is None else np.asarray(highlight, bool)
    ax.scatter(xa[~hi], ya[~hi], s=22, color="#1f5fa8", alpha=0.75, zorder=3)
    if hi.any():
        ax.scatter(xa[hi], ya[hi], s=36, color="#c62828", zorder=4)
    if diagonal and len(xa):
        lo = float(np.nanmin(np.concatenate([xa, ya])))
        hi_ = float(np.nanmax(np.concatenate([xa, ya])))
        ax.plot([lo, hi_], [lo, hi_], color="#999999", linewidth=0.8, zorder=2)
    if labels is not None:
        for xx, yy, t in zip(xa, ya, labels):
            if np.isfinite(xx) and np.isfinite(yy):
                ax.annotate(str(t), (xx, yy), fontsize=7.5, xytext=(3, 3),
                            textcoords="offset points", color="#444444")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(_chart_title(title), loc="left", fontsize=11.5)
    ax.grid(color="#e5e5e5", linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


_GRADE_COLOURS = {"优": "#2e7d32", "良": "#7cb342", "中": "#f9a825", "差": "#c62828"}
_LIGHT_COLOURS = {"red": "#c62828", "yellow": "#f9a825", "green": "#2e7d32"}


def _frame(records: Sequence[Mapping], columns: Mapping[str, str], lang: str) -> pd.DataFrame:
    """A DataFrame of records for tables.xlsx: the listed keys, headers in ``lang``."""
    df = pd.DataFrame(list(records))
    keep = [c for c in columns if c in df.columns]
    df = df.reindex(columns=keep)
    return df.rename(columns={c: (_t(columns[c], lang) if columns[c] in TEXT else columns[c])
                              for c in keep})


def project_info(workbook, project_id: str, *, year: int | None = None) -> dict:
    """A project's basic information from a workbook (name, department, unit, budget type,
    sector, objective and its funds summed over sources, 万元); ``{}`` when it is not there.

    A look-up for the 基本情况 section of a report, not a computation of any score."""
    pid = str(project_id)
    p = workbook["projects"]
    p = p[p["project_id"].astype(str) == pid]
    if p.empty:
        return {}
    yr = int(year) if year is not None and (p["year"] == int(year)).any() else int(p["year"].max())
    row = p[p["year"] == yr].iloc[0]
    info = {"project_id": pid, "year": yr}
    for c in ("name", "department_id", "department", "implementing_unit", "budget_type",
              "sector", "objective", "achievement", "start_year", "end_year"):
        v = row.get(c)
        info[c] = None if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)) \
            else jsonable(v)
    b = workbook["budget"]
    b = b[(b["project_id"].astype(str) == pid) & (b["year"] == yr)]
    info["budget"] = {c: float(pd.to_numeric(b[c], errors="coerce").sum(min_count=1))
                      if len(b) and pd.to_numeric(b[c], errors="coerce").notna().any() else None
                      for c in ("initial", "adjusted", "executed")}
    return info


# =============================================================================================
# 1. ex-ante assessment (事前绩效评估), domain.md §9.3
# =============================================================================================
TEXT.update({
    "ex.title": ("{name}事前绩效评估报告", "Ex-ante performance assessment: {name}"),
    "ex.s1": ("评估对象基本情况", "The subject assessed"),
    "ex.s1.parts": ("立项背景|主要内容|绩效目标|资金构成",
                    "Background|Main content|Performance targets|Funding"),
    "ex.s2": ("评估工作开展情况", "How the assessment was done"),
    "ex.s2.1": ("评估目的及对象", "Purpose and subject"),
    "ex.s2.2": ("评估思路及方法", "Approach and methods"),
    "ex.s2.3": ("评估工作程序", "Procedure"),
    "ex.s3": ("综合评估情况与评估结论", "Assessment by dimension and conclusion"),
    "ex.s4": ("相关建议", "Recommendations"),
    "ex.s5": ("其他需要说明的问题", "Other matters"),
    "ex.s6": ("附件", "Annexes"),
    "ex.s6.1": ("评分表", "Scoring sheet"), "ex.s6.2": ("专家意见", "Experts' scores"),
    "ex.s6.3": ("资料清单", "Documents reviewed"),
    "ex.purpose": ("根据《黔江区全面实施预算绩效管理的实施意见》第七条，新出台重大政策、新实施项目应开展事前绩效"
                   "评估，评估结果作为申请预算的必备要件。本次评估对象为“{name}”（{id}），主管部门为{dept}，"
                   "重点论证{dims}。", "Under §七 of the Qianjiang 实施意见, new major policies and "
                   "projects are assessed before funding; the result is a required element of the "
                   "budget request. Subject: '{name}' ({id}), department {dept}; dimensions "
                   "assessed: {dims}."),
    "ex.method": ("评估采用专家评议法：{n} 位专家（{experts}）按评分表对{k}个维度、{items}个评估要点逐项评级"
                  "（{fractions}），要点得分 = 分值 × 评级系数，专家意见按{agg}汇总；各维度{pts}分，合计"
                  "{total}分。结论标准：{cutoffs}。", "Expert review: {n} experts ({experts}) rated "
                  "{items} items in {k} dimensions ({fractions}); item score = points × rating "
                  "fraction, combined by {agg}; {pts} points per dimension, {total} in all. "
                  "Cut-offs: {cutoffs}."),
    "ex.method_cba": ("同时运用成本收益分析法测算项目的净现值、效益成本比和内部收益率，作为投入经济性的佐证；"
                      "分析结论与专家评级并列报告，不改变专家评分。", "A cost-benefit analysis "
                      "(NPV, BCR, IRR) is reported as evidence on input economy, beside the "
                      "experts' ratings, which it does not change."),
    "ex.procedure": ("评估按照“制定评估方案—收集审核资料—专家独立评分—汇总分析—形成评估结论—出具评估报告”的程序"
                     "开展。", "Steps: plan → collect and check documents → independent expert "
                     "scoring → aggregation → conclusion → report."),
    "ex.overall": ("经综合评估，“{name}”得分 {total} 分（满分 {max} 分），评估结论为“{conclusion}”。",
                   "Overall, '{name}' scored {total} of {max}; conclusion: {conclusion}."),
    "ex.dims": ("各维度得分：{parts}。", "Scores by dimension: {parts}."),
    "ex.dim_part": ("{dim} {score}/{pts} 分", "{dim} {score}/{pts}"),
    "ex.findings": ("评估发现：", "Findings:"),
    "ex.findings_h": ("主要问题", "Main findings"),
    "ex.cba_title": ("成本收益分析", "Cost-benefit analysis"),
    "ex.cba_intro": ("按{schedule}贴现，项目现值效益 {pvb} 万元、现值成本 {pvc} 万元，净现值 {npv} 万元，"
                     "效益成本比 {bcr}{irr}。", "Discounted with {schedule}: PV of benefits "
                     "{pvb}, PV of costs {pvc} (CNY 10k); NPV {npv}; BCR {bcr}{irr}."),
    "ex.irr": ("，内部收益率 {irr}", "; IRR {irr}"),
    "ex.others": ("同批评估的其他对象：{items}。", "Other subjects assessed in the same round: {items}."),
    "ex.dim_table": ("表1 各维度得分", "Table 1 Scores by dimension"),
    "ex.cba_table": ("表2 成本收益分析", "Table 2 Cost-benefit analysis"),
    "ex.item_table": ("附表1 事前绩效评估评分表", "Annex table 1 Scoring sheet"),
    "ex.expert_table": ("附表2 专家评分", "Annex table 2 Experts' totals"),
    "ex.fig": ("图1 各维度得分", "Figure 1 Scores by dimension"),
    "ex.evidence_dim": ("佐证维度", "Dimension"), "ex.fraction": ("得分系数", "Fraction"),
    "ex.ratings": ("专家评级", "Ratings"), "ex.sd": ("标准差", "SD"),
    "ex.complete": ("是否完整", "Complete"), "ex.n_items": ("评分要点数", "Items rated"),
    "ex.metric": ("指标", "Measure"), "ex.npv": ("净现值（万元）", "NPV (CNY 10k)"),
    "ex.bcr": ("效益成本比", "BCR"), "ex.irr_l": ("内部收益率", "IRR"),
    "ex.pvb": ("现值效益（万元）", "PV benefits (CNY 10k)"),
    "ex.pvc": ("现值成本（万元）", "PV costs (CNY 10k)"),
    "ex.no_docs": ("（资料清单由评估机构按实际收集的资料填写。）",
                   "(The list of documents is filled in by the assessors.)"),
    "ex.evidence_note": ("成本收益分析等佐证材料与专家评分并列报告，评分未据此调整。",
                         "Evidence such as the cost-benefit analysis is reported beside the "
                         "experts' ratings, which it does not change."),
    "ex.conclusion_meta": ("评估结论", "Conclusion"),
    "ex.greenbook": ("英国绿皮书分段贴现率", "the Green Book schedule"),
})

_CONCLUSION_EN = {"予以支持": "support", "调整后予以支持": "support after adjustment",
                  "不予支持": "not supported"}


def _conclusion(c: Any, lang: str) -> str:
    return str(c) if lang == "zh" else f"{_CONCLUSION_EN.get(c, c)} ({c})"


def exante_results(result, subject_id: str, *, cba=None, info: Mapping | None = None) -> dict:
    """results.json of an ex-ante report: the subject's assessment (§9.3 ``sections``) plus
    ``name``, ``department``, the cost-benefit figures and the other subjects of the round.

    Parameters
    ----------
    result : ExanteResult
    subject_id : str
    cba : CBAResult, optional — the subject's appraisal (its figures go into ``cba``).
    info : mapping, optional — the subject's ``name``, ``department`` and section-1 texts.
    """
    d = result.subject(subject_id).to_dict()
    info = dict(info or {})
    d.update(report="exante", name=info.get("name") or subject_id,
             department=info.get("department"))
    if cba is not None:
        d["cba"] = {"npv": jsonable(cba.npv), "bcr": jsonable(cba.bcr), "irr": jsonable(cba.irr),
                    "pv_benefits": jsonable(cba.pv_benefits), "pv_costs": jsonable(cba.pv_costs),
                    "payback": jsonable(cba.payback),
                    "discounted_payback": jsonable(cba.discounted_payback),
                    "schedule": jsonable(cba.schedule), "irr_note": cba.irr_note}
    d["round"] = jsonable(result.subjects)
    return d


def exante_outline(results: Mapping, *, lang: str = "zh", figures: bool = True) -> dict:
    """The ex-ante report (事前绩效评估报告) in the outline of domain.md §9.3: 一、评估对象基本情况 /
    二、评估工作开展情况 / 三、综合评估情况与评估结论 / 四、相关建议 / 五、其他需要说明的问题 / 六、附件."""
    _check_lang(lang)
    r = results
    secs = {s["number"]: s for s in r.get("sections") or []}
    name = str(r.get("name") or r.get("subject_id"))
    info = (secs.get(1) or {}).get("content") or {}
    rules = ((secs.get(2) or {}).get("content") or {}).get("rules") or {}
    dims = r.get("dimensions") or []
    total, conclusion = r.get("total"), r.get("conclusion")
    dept = r.get("department") or _t("not_given", lang)

    # 一、评估对象基本情况
    parts_zh = TEXT["ex.s1.parts"][0].split("|")
    parts_l = _t("ex.s1.parts", lang).split("|")
    s1 = [_sec(_n2(i + 1, lang) + pl, level=2,
               paragraphs=[str(info.get(pz) or _t("not_given", lang))])
          for i, (pz, pl) in enumerate(zip(parts_zh, parts_l))]

    # 二、评估工作开展情况
    fr = rules.get("rating_fraction") or {}
    cut = rules.get("cutoffs") or {}
    agg = {"mean": ("算术平均", "the mean"), "trimmed": ("去掉最高分和最低分后的平均",
                                                      "the trimmed mean"),
           "median": ("中位数", "the median")}.get(r.get("method"), (r.get("method"),) * 2)
    experts = r.get("experts") or []
    n_items = len(((secs.get(6) or {}).get("content") or {}).get("评分表") or [])
    method = _t("ex.method", lang, n=len(experts), experts=_join(experts, lang),
                k=len(rules.get("dimensions") or dims), items=n_items,
                fractions=_join([f"{k} {v:g}" for k, v in fr.items()], lang),
                agg=agg[0] if lang == "zh" else agg[1], pts=f"{rules.get('points_each', 20):g}",
                total=f"{rules.get('total', 100):g}",
                cutoffs=_join([f"{k} ≥ {v:g}" for k, v in cut.items()], lang))
    s2_method = [method] + ([_t("ex.method_cba", lang)] if r.get("cba") else [])
    s2 = [_sec(_n2(1, lang) + _t("ex.s2.1", lang), level=2, paragraphs=[
              _t("ex.purpose", lang, name=name, id=r.get("subject_id"), dept=dept,
                 dims=_join([d["dimension"] for d in dims], lang))]),
          _sec(_n2(2, lang) + _t("ex.s2.2", lang), level=2, paragraphs=s2_method),
          _sec(_n2(3, lang) + _t("ex.s2.3", lang), level=2,
               paragraphs=[_t("ex.procedure", lang)])]

    # 三、综合评估情况与评估结论
    p3 = [_t("ex.overall", lang, name=name, total=fmt_num(total),
             max=f"{rules.get('total', 100):g}", conclusion=_conclusion(conclusion, lang)),
          _t("ex.dims", lang, parts=("；" if lang == "zh" else "; ").join(
              _t("ex.dim_part", lang, dim=d["dimension"], score=fmt_num(d["score"]),
                 pts=f"{d['points']:g}") for d in dims))]
    t3 = [_table(_t("ex.dim_table", lang), dims + [{"dimension": "合计", "points":
                                                     rules.get("total", 100), "score": total,
                                                     "share": (total or 0) / rules.get("total",
                                                                                       100)}],
                 [("dimension", "dimension", None), ("points", "points", "0"),
                  ("score", "score", _F2), ("share", "share", _F1P)], lang)]
    cba = r.get("cba")
    sub3 = []
    if cba:
        sched = cba.get("schedule")
        sched_t = _t("ex.greenbook", lang) if sched == "greenbook" or isinstance(sched, list) \
            else (f"{float(sched) * 100:g}%" if as_number(sched) is not None else str(sched))
        irr = _t("ex.irr", lang, irr=fmt_pct(cba.get("irr"), 2)) \
            if as_number(cba.get("irr")) is not None else ""
        sub3.append(_sec(_n2(1, lang) + _t("ex.cba_title", lang), level=2, paragraphs=[
            _t("ex.cba_intro", lang, schedule=sched_t, pvb=fmt_num(cba.get("pv_benefits")),
               pvc=fmt_num(cba.get("pv_costs")), npv=fmt_num(cba.get("npv")),
               bcr=fmt_num(cba.get("bcr"), 3), irr=irr)],
            tables=[_table(_t("ex.cba_table", lang), [
                {"m": _t("ex.pvb", lang), "v": cba.get("pv_benefits")},
                {"m": _t("ex.pvc", lang), "v": cba.get("pv_costs")},
                {"m": _t("ex.npv", lang), "v": cba.get("npv")},
                {"m": _t("ex.bcr", lang), "v": cba.get("bcr")}],
                [("m", "ex.metric", None), ("v", "value", "#,##0.000")], lang)]))
    findings = [_msg(f, lang) for f in r.get("findings") or []]
    evidence = [_msg(e, lang, "text") for e in r.get("evidence") or []
                if not (cba and e.get("source") == "cba")]
    b3 = findings + evidence
    others = [x for x in r.get("round") or [] if x.get("subject_id") != r.get("subject_id")]
    if others:
        p3.append(_t("ex.others", lang, items=_join(
            [f"{o['subject_id']} {fmt_num(o.get('total'))}"
             f"（{_conclusion(o.get('conclusion'), lang)}）" if lang == "zh" else f"{o['subject_id']} {fmt_num(o.get('total'))} "
             f"({_CONCLUSION_EN.get(o.get('conclusion'), o.get('conclusion'))})"
             for o in others], lang)))
    if b3:
        sub3.append(_sec(_n2(len(sub3) + 1, lang) + _t("ex.findings_h", lang), level=2,
                         bullets=b3))
    figs = []
    if figures and dims:
        figs.append(_figure(_hbars([d["dimension"] for d in dims], [d["score"] for d in dims],
                                   [d["points"] for d in dims],
                                   title=_t("ex.fig", lang), xlabel=label("axis.points", lang)),
                            _t("ex.fig", lang)))

    # 四、相关建议 / 五、其他需要说明的问题
    recs = [_msg(x, lang, "text") for x in r.get("recommendations") or []]
    p5 = [_profile_note(r, lang), _t("ex.evidence_note", lang)]
    b5 = [_msg(w, lang) for w in r.get("warnings") or []]

    # 六、附件
    annex = (secs.get(6) or {}).get("content") or {}
    items = annex.get("评分表") or []
    et = annex.get("专家意见") or []
    s6 = [_sec(_n2(1, lang) + _t("ex.s6.1", lang), level=2, tables=[_table(
              _t("ex.item_table", lang), items,
              [("dimension", "dimension", None), ("item", "item", None),
               ("points", "points", "0.00"), ("score", "score", _F2),
               ("fraction", "ex.fraction", _F1P), ("ratings", "ex.ratings", None),
               ("sd", "ex.sd", _F2)], lang)]),
          _sec(_n2(2, lang) + _t("ex.s6.2", lang), level=2, tables=[_table(
              _t("ex.expert_table", lang), et,
              [("expert", "expert", None), ("total", "total_score", _F2),
               ("n_items", "ex.n_items", "0"), ("complete", "ex.complete", None)], lang)]),
          _sec(_n2(3, lang) + _t("ex.s6.3", lang), level=2,
               paragraphs=[_t("ex.no_docs", lang)])]

    prof = r.get("profile") or {}
    return {
        "title": _t("ex.title", lang, name=name),
        "meta": [[_t("project_id", lang), r.get("subject_id")], [_t("department", lang), dept],
                 [_t("total_score", lang), fmt_num(total)],
                 [_t("ex.conclusion_meta", lang), _conclusion(conclusion, lang)],
                 [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]],
        "sections": [
            _sec(_n1(1, lang) + _t("ex.s1", lang), sections=s1),
            _sec(_n1(2, lang) + _t("ex.s2", lang), sections=s2),
            _sec(_n1(3, lang) + _t("ex.s3", lang), paragraphs=p3, tables=t3,
                 figures=figs, sections=sub3),
            _sec(_n1(4, lang) + _t("ex.s4", lang), bullets=recs or [_t("none", lang)]),
            _sec(_n1(5, lang) + _t("ex.s5", lang), paragraphs=p5, bullets=b5),
            _sec(_n1(6, lang) + _t("ex.s6", lang), sections=s6),
        ]}


def exante_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """tables.xlsx of an ex-ante report: dimensions, the scoring sheet, experts, findings."""
    secs = {s["number"]: s for s in results.get("sections") or []}
    annex = (secs.get(6) or {}).get("content") or {}
    fnd = [{**f, "message": _msg(f, lang)} for f in results.get("findings") or []]
    return {
        _t("ex.dim_table", lang)[:20]: _frame(results.get("dimensions") or [], {
            "dimension": "dimension", "points": "points", "score": "score", "share": "share"},
            lang),
        _t("ex.s6.1", lang): _frame(annex.get("评分表") or [], {
            "dimension": "dimension", "item": "item", "points": "points", "score": "score",
            "fraction": "ex.fraction", "n_experts": "expert", "sd": "ex.sd",
            "ratings": "ex.ratings"}, lang),
        _t("ex.s6.2", lang): _frame(annex.get("专家意见") or [], {
            "expert": "expert", "total": "total_score", "n_items": "ex.n_items",
            "complete": "ex.complete"}, lang),
        _t("ex.findings", lang).rstrip("：:"): _frame(fnd, {
            "dimension": "dimension", "item": "item", "rule": "rule", "message": "message",
            "value": "value"}, lang),
    }


# =============================================================================================
# 2. target review (绩效目标审核) of one department's projects
# =============================================================================================
TEXT.update({
    "tr.title": ("{name}{year}年度项目绩效目标审核报告", "Target review {year}: {name}"),
    "tr.s1": ("审核依据和范围", "Basis and scope"),
    "tr.s2": ("审核结果", "Results"),
    "tr.s3": ("项目审核情况", "Projects"),
    "tr.s4": ("问题清单", "Findings"),
    "tr.s5": ("审核意见", "Opinion"),
    "tr.s6": ("其他需要说明的问题", "Other matters"),
    "tr.basis": ("依据《黔江区全面实施预算绩效管理的实施意见》第八条，绩效目标应当完整、细化、量化，做到可审核、"
                 "可监控、可评价，绩效目标设置是预算安排的前置条件。本次审核{name}{year}年度 {n} 个项目、"
                 "{ni} 个绩效指标，逐项检查以下规则：", "Under §八 of the Qianjiang 实施意见, "
                 "targets must be complete, detailed and quantified; setting them is a "
                 "precondition of the budget. Reviewed: {n} project(s) of {name} for {year}, "
                 "{ni} indicators, against these rules:"),
    "tr.summary": ("审核发现 {nf} 个问题，涉及 {np} 个项目（共 {n} 个）；项目平均通过率 {mean}，最低 {min}。",
                   "{nf} finding(s) in {np} of {n} project(s); mean pass rate {mean}, "
                   "lowest {min}."),
    "tr.clean": ("所有项目的绩效目标均通过审核规则。", "Every project's targets pass the rules."),
    "tr.rule_table": ("表1 审核规则及结果", "Table 1 Rules and results"),
    "tr.project_table": ("表2 项目审核情况", "Table 2 Projects"),
    "tr.finding_table": ("表3 问题清单", "Table 3 Findings"),
    "tr.n_findings": ("问题数", "Findings"), "tr.n_checks": ("检查项数", "Checks"),
    "tr.n_failed": ("未通过项数", "Failed"), "tr.pass_rate": ("通过率", "Pass rate"),
    "tr.n_indicators": ("指标数", "Indicators"), "tr.rules_failed": ("未通过规则", "Rules failed"),
    "tr.share_projects": ("涉及项目占比", "Share of projects"), "tr.target": ("年度指标值", "Target"),
    "tr.reference": ("比较基准", "Reference"), "tr.path": ("指标（一级/二级/三级）",
                                                       "Indicator (L1/L2/L3)"),
    "tr.opinion_fix": ("{id} {name}：{n} 个问题，须按问题清单修改完善绩效目标后，方可纳入预算安排。",
                       "{id} {name}: {n} finding(s); revise the targets before the budget is "
                       "arranged."),
    "tr.opinion_ok": ("其余项目绩效目标通过审核，可随预算一并批复、公开。",
                      "The other projects' targets pass and can be approved and published with "
                      "the budget."),
    "tr.truncated": ("（共 {n} 条，此处列示前 {k} 条，完整清单见 tables.xlsx。）",
                     "({n} rows; the first {k} are listed, all of them in tables.xlsx.)"),
})

_RULES_ZH_EN = {"completeness": ("指标完整", "complete"), "quantified": ("细化量化", "quantified"),
                "measurable": ("可衡量", "measurable"), "budget_match": ("相应匹配", "matched"),
                "history": ("合理可行", "ambitious enough")}
_MAX_ROWS = 60


def department_projects(workbook, department_id: str, *, year: int | None = None
                        ) -> tuple[list[str], str]:
    """The project ids of a department in a year and the department's name (a look-up).

    Raises
    ------
    InputError
        The department has no project in the year.
    """
    from ..errors import InputError
    did = str(department_id)
    yr = int(year) if year is not None else workbook.latest_year()
    p = workbook["projects"]
    p = p[(p["year"] == yr) & ((p["department_id"].astype(str) == did)
                               | (p["department"].astype(str) == did))]
    if p.empty:
        d = workbook["departments"]
        known = sorted(d.loc[d["year"] == yr, "department_id"].astype(str).unique()) \
            if len(d) else []
        raise InputError(f"no project of department {did!r} in {yr}; departments: "
                         f"{', '.join(known) or '—'}", file=workbook.source or None,
                         argument="department_id", value=did)
    name = str(p["department"].dropna().iloc[0]) if p["department"].notna().any() else did
    return sorted(p["project_id"].astype(str).unique()), name


def target_review_results(result, department_id: str, *, name: str | None = None) -> dict:
    """results.json of a department's target review: :meth:`TargetReviewResult.to_dict` plus the
    subject keys."""
    d = result.to_dict()
    return {"subject_id": str(department_id), "subject_type": "department",
            "name": name or str(department_id), "report": "target_review", **d}


def _truncate(rows: list, lang: str) -> tuple[list, list[str]]:
    if len(rows) <= _MAX_ROWS:
        return rows, []
    return rows[:_MAX_ROWS], [_t("tr.truncated", lang, n=len(rows), k=_MAX_ROWS)]


def target_review_outline(results: Mapping, *, lang: str = "zh") -> dict:
    """The target-review report of a department (绩效目标审核报告)."""
    _check_lang(lang)
    r = results
    name, year = r.get("name"), r.get("year")
    d = r.get("district") or {}
    projects = r.get("projects") or []
    findings = r.get("findings") or []
    by_rule = r.get("by_rule") or []
    n_ind = sum(int(p.get("n_indicators") or 0) for p in projects)
    rule_bullets = [f"{x.get('label') if lang == 'zh' else x.get('label_en')}" for x in by_rule]
    p2 = [_t("tr.summary", lang, nf=d.get("n_findings", 0), np=d.get("n_projects_with_findings", 0),
             n=d.get("n_projects", 0), mean=fmt_pct(d.get("mean_score")),
             min=fmt_pct(d.get("min_score")))]
    if not findings:
        p2.append(_t("tr.clean", lang))
    rule_rows = [{**x, "rule": _RULES_ZH_EN.get(x["rule"], (x["rule"],) * 2)[lang == "en"]}
                 for x in by_rule]
    t2 = _table(_t("tr.rule_table", lang), rule_rows,
                [("rule", "rule", None), ("n_checks", "tr.n_checks", "0"),
                 ("pass_rate", "tr.pass_rate", _F1P), ("n_findings", "tr.n_findings", "0"),
                 ("n_projects", "n_projects", "0"), ("share_projects", "tr.share_projects",
                                                     _F1P)], lang)
    prow = [{**p, "rules_failed": _join([_RULES_ZH_EN.get(x, (x, x))[lang == "en"]
                                         for x in p.get("rules_failed") or []], lang)}
            for p in projects]
    t3 = _table(_t("tr.project_table", lang), prow,
                [("project_id", "project_id", None), ("name", "project_name", None),
                 ("n_indicators", "tr.n_indicators", "0"), ("n_checks", "tr.n_checks", "0"),
                 ("n_failed", "tr.n_failed", "0"), ("score", "tr.pass_rate", _F1P),
                 ("rules_failed", "tr.rules_failed", None)], lang)
    frows, note = _truncate([{**f, "message": _msg(f, lang),
                              "rule": _RULES_ZH_EN.get(f["rule"], (f["rule"],) * 2)[lang == "en"]}
                             for f in findings], lang)
    t4 = _table(_t("tr.finding_table", lang), frows,
                [("project_id", "project_id", None), ("path", "tr.path", None),
                 ("rule", "rule", None), ("message", "message", None),
                 ("target", "tr.target", None)], lang)
    bad = [p for p in projects if int(p.get("n_findings") or 0) > 0]
    b5 = [_t("tr.opinion_fix", lang, id=p["project_id"], name=p.get("name"), n=p["n_findings"])
          for p in bad]
    if len(bad) < len(projects):
        b5.append(_t("tr.opinion_ok", lang))
    prof = r.get("profile") or {}
    return {
        "title": _t("tr.title", lang, name=name, year=year),
        "meta": [[_t("code", lang), r.get("subject_id")], [_t("department", lang), name],
                 [_t("year", lang), year], [_t("n_projects", lang), len(projects)],
                 [_t("tr.n_findings", lang), d.get("n_findings", 0)],
                 [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]],
        "sections": [
            _sec(_n1(1, lang) + _t("tr.s1", lang),
                 paragraphs=[_t("tr.basis", lang, name=name, year=year, n=len(projects),
                                ni=n_ind)], bullets=rule_bullets),
            _sec(_n1(2, lang) + _t("tr.s2", lang), paragraphs=p2, tables=[t2]),
            _sec(_n1(3, lang) + _t("tr.s3", lang), tables=[t3]),
            _sec(_n1(4, lang) + _t("tr.s4", lang), paragraphs=note or
                 ([] if findings else [_t("none", lang)]), tables=[t4] if findings else []),
            _sec(_n1(5, lang) + _t("tr.s5", lang), bullets=b5 or [_t("tr.clean", lang)]),
            _sec(_n1(6, lang) + _t("tr.s6", lang), paragraphs=[_profile_note(r, lang)]),
        ]}


def target_review_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    fnd = [{**f, "message": _msg(f, lang)} for f in results.get("findings") or []]
    return {
        _t("tr.s3", lang): _frame(results.get("projects") or [], {
            "project_id": "project_id", "name": "project_name", "n_indicators": "tr.n_indicators",
            "n_checks": "tr.n_checks", "n_failed": "tr.n_failed", "score": "tr.pass_rate",
            "n_findings": "tr.n_findings"}, lang),
        _t("tr.s4", lang): _frame(fnd, {
            "project_id": "project_id", "name": "project_name", "level1": "level1",
            "level2": "level2", "level3": "level3", "rule": "rule", "code": "code",
            "message": "message", "target": "tr.target", "value": "value",
            "reference": "tr.reference", "_row": "_row"}, lang),
        _t("rule", lang): _frame(results.get("by_rule") or [], {
            "rule": "rule", "label": "message", "n_checks": "tr.n_checks",
            "pass_rate": "tr.pass_rate", "n_findings": "tr.n_findings",
            "n_projects": "n_projects"}, lang),
    }


# =============================================================================================
# 3. dual monitoring (双监控), domain.md §9.4
# =============================================================================================
TEXT.update({
    "mo.title": ("{year}年1—{month}月预算绩效运行监控报告",
                 "Performance monitoring report, January–{month_en} {year}"),
    "mo.s1": ("监控范围和方法", "Scope and method"),
    "mo.s2": ("预算执行进度", "Budget execution"),
    "mo.s3": ("执行节点与目标完成情况", "Checkpoints and target attainment"),
    "mo.s4": ("全年执行预测", "Year-end forecast"),
    "mo.s5": ("偏差处理", "Handling of deviations"),
    "mo.s6": ("相关建议", "Recommendations"),
    "mo.s7": ("其他需要说明的问题", "Other matters"),
    "mo.scope": ("依据《黔江区全面实施预算绩效管理的实施意见》第九条，对 {n} 个项目（预算合计 {budget} 万元）的"
                 "绩效目标实现程度和预算执行进度实行“双监控”，监控时点为{year}年{month}月末，时间进度 {tp}。",
                 "Under §九 of the Qianjiang 实施意见, {n} projects (budget {budget}, CNY 10k) "
                 "are monitored on both target attainment and budget execution at the end of "
                 "month {month} of {year}; time progress {tp}."),
    "mo.lights_rule": ("执行进度 = 累计支出 / 全年预算；进度比 = 执行进度 / 时间进度；进度比低于 {red} 为红灯，"
                       "低于 {yellow} 为黄灯，其余为绿灯。", "Execution = payments to date / "
                       "annual budget; ratio = execution / time progress; below {red} red, "
                       "below {yellow} yellow, else green."),
    "mo.cp_rule": ("执行节点（规则 {profile}）：{cps}。", "Checkpoints (profile {profile}): {cps}."),
    "mo.cp_none": ("本规则未设执行节点（可选用 sichuan2025 规则：4月末25%、6月末40%、8月末60%、10月末80%）。",
                   "This profile sets no checkpoints (profile sichuan2025 has 25% at end-April, "
                   "40% end-June, 60% end-August, 80% end-October)."),
    "mo.gap_rule": ("目标完成进度与预算执行进度相差超过 {pp} 个百分点的项目予以提示。",
                    "Projects whose target attainment and budget execution differ by more than "
                    "{pp} pp are flagged."),
    "mo.exec": ("截至{month}月末，累计支出 {exe} 万元，执行进度 {rate}，时间进度 {tp}。红灯 {red} 个、黄灯 {yellow} "
                "个、绿灯 {green} 个，红灯项目预算 {bred} 万元。", "By the end of month {month}: "
                "payments {exe} (CNY 10k), execution {rate}, time progress {tp}. Red {red}, "
                "yellow {yellow}, green {green}; budget of red-light projects {bred}."),
    "mo.dash_table": ("表1 分部门执行进度", "Table 1 Execution by department"),
    "mo.fig": ("图1 分部门监控灯数", "Figure 1 Lights by department"),
    "mo.cp": ("已过执行节点 {k} 个，最近节点未达要求的项目 {n} 个。", "{k} checkpoint(s) passed; {n} "
              "project(s) missed the latest one."),
    "mo.cp_no": ("截至本月尚无执行节点。", "No checkpoint yet."),
    "mo.gap": ("目标完成进度与预算执行进度偏差超限的项目 {n} 个；{nq} 个项目无可计算进度的定量指标。",
               "{n} project(s) with a target-vs-budget gap beyond the limit; {nq} without a "
               "quantitative indicator with progress."),
    "mo.forecast": ("按预算加权，预测全年执行率 {fc}（简单按已过月份外推为 {rr}）；预计年末未支出 {unspent} 万元。"
                    "预测方法：{methods}。", "Budget-weighted forecast of year-end execution "
                    "{fc} (naive run-rate {rr}); expected unspent at year-end {unspent} (CNY "
                    "10k). Methods: {methods}."),
    "mo.method_note": ("{m} {n} 个", "{m}: {n}"),
    "mo.handling": ("处理建议：继续执行 {c} 个，调剂 {r} 个，暂缓或停止拨款 {s} 个。完成目标可能性为“有可能”"
                    "{p} 个、“不可能” {u} 个，须分析偏差原因（{reasons}）并提出纠偏措施。",
                    "Handling: continue {c}, reallocate {r}, suspend or stop {s}. Likelihood "
                    "'possible' {p}, 'unlikely' {u}: a deviation analysis ({reasons}) and "
                    "corrective measures are required."),
    "mo.attention_table": ("表3 需处理的项目", "Table 3 Projects needing action"),
    "mo.rec1": ("对红灯且预计无法完成的项目，按“调剂”或“暂缓或停止拨款”处理，资金统筹用于亟需领域。",
                "Reallocate, suspend or stop funding for red-light projects that cannot catch up."),
    "mo.rec2": ("对执行节点未达要求的项目，由主管部门在10个工作日内提出继续执行、调剂或取消的意见。",
                "Departments of projects that missed a checkpoint choose continue / reallocate / "
                "cancel within 10 working days."),
    "mo.rec3": ("对目标完成进度与预算执行进度偏差较大的项目，核实指标完成值的填报口径。",
                "Check how progress was reported where target attainment and execution diverge."),
    "mo.period_note": ("注：报告编号“{sid}”与监控时点 {year}-{month:02d} 不一致，请核对。",
                       "Note: the report id '{sid}' does not match the period {year}-{month:02d}."),
    "mo.title_dept": ("{dept}{year}年1—{month}月预算绩效运行监控报告",
                      "Performance monitoring report, {dept}, January–{month_en} {year}"),
    "mo.name": ("{year}年1—{month}月绩效运行监控", "Performance monitoring, {year}-{month:02d}"),
    "mo.name_dept": ("{dept}{year}年1—{month}月绩效运行监控",
                     "Performance monitoring, {dept}, {year}-{month:02d}"),
    "mo.scope_dept": ("本报告范围：{dept}的项目（主管部门汇总所属单位项目的监控情况）；全年执行预测的模型按全区各部门"
                      "项目的往年数据估计，与全区监控报告相同。", "Scope: the projects of {dept} "
                      "(the department sums up its units' monitoring); the year-end forecast "
                      "model is fitted on earlier years of every department's projects, as in "
                      "the district's report."),
    "mo.proj_table": ("表1 各项目执行进度", "Table 1 Execution by project"),
    "mo.fig_dept": ("图1 各项目执行进度", "Figure 1 Execution by project"),
    "mo.light": ("灯", "Light"), "mo.ratio": ("进度比", "Ratio"),
    "mo.fc": ("预测全年执行率", "Forecast"), "mo.likelihood": ("完成目标可能性", "Likelihood"),
    "mo.handling_h": ("处理建议", "Handling"), "mo.exec_td": ("累计支出（万元）", "Paid to date"),
    "mo.n_red": ("红灯", "Red"), "mo.n_yellow": ("黄灯", "Yellow"), "mo.n_green": ("绿灯", "Green"),
    "mo.budget_red": ("红灯预算（万元）", "Red budget"), "mo.n_cp": ("节点未达", "Checkpoint missed"),
    "mo.n_gap": ("偏差超限", "Gap"), "mo.month": ("监控月份", "Month"),
    "mo.cp_missed": ("未达节点", "Checkpoints missed"),
    "mo.src": ("目标完成进度取自{src}；{gap}。", "Target attainment uses {src}; {gap}."),
    "mo.src.indicator_progress": ("“指标监控”表中各指标截至{month}月末最近一次填报的累计完成值",
                                  "each indicator's latest snapshot up to the end of month "
                                  "{month} in the indicator_progress sheet (指标监控)"),
    "mo.src.actual_value": ("“绩效指标”表的实际完成值（工作簿无本年度“指标监控”数据；该值常为年末值，目标完成进度与"
                            "预算执行进度的比较仅供参考）", "the actual values of the indicators "
                            "sheet (the workbook has no indicator_progress rows for the year; "
                            "they are often year-end values, so the gap check is indicative "
                            "only)"),
    "mo.src_months": ("本年度指标监控数据报送月份：{months}。", "Months reported in the "
                      "indicator_progress sheet this year: {months}."),
    "mo.gap_cum": ("偏差比较只计入随年度累计完成的正向定量指标（数量、里程、金额等），比率、上限、等于和时限类指标"
                   "不计入", "the gap check counts only the ≥ indicators that accumulate during "
                   "the year (counts, lengths, amounts), not rates, ceilings, equalities or "
                   "deadlines"),
    "mo.gap_all": ("偏差比较计入全部定量指标（时限类除外）", "the gap check counts every "
                   "quantitative indicator except deadlines"),
    "mo.no_snap": ("{n} 个计入比较的指标无{month}月及以前的监控数据，未计入目标完成进度。",
                   "{n} indicator(s) of the gap check have no snapshot up to month {month} and "
                   "are left out of the attainment."),
    "mo.target_lk": ("按指标判断完成目标可能性（单位填报，未填报的按全年预计完成值判断）：确定能 {c} 个项目、有可能 {p} "
                     "个、不可能 {u} 个、未判断 {na} 个；“有可能”或“不可能”的指标 {ni} 个，{nr} 个项目有指标未填写偏差"
                     "原因或完善措施，{nc} 个项目填报的可能性与全年预计完成值不符。",
                     "Likelihood of attaining the targets, by indicator (as stated, else from "
                     "the expected full-year value): certain {c} project(s), possible {p}, "
                     "unlikely {u}, not assessed {na}; {ni} indicator(s) possible or "
                     "unlikely; {nr} project(s) give no deviation reason or measure for some "
                     "of them; {nc} project(s) state a likelihood that contradicts their "
                     "expected value."),
    "mo.reasons": ("偏差原因分布：{items}。", "Deviation reasons: {items}."),
    "mo.reason_item": ("{r} {n} 个", "{r} {n}"),
    "mo.risk_table": ("表2 完成目标可能性为“有可能”或“不可能”的指标",
                      "Table 2 Indicators possible or unlikely to attain their target"),
    "mo.target_h": ("年度指标值", "Target"), "mo.progress_h": ("累计完成值", "Progress"),
    "mo.att_h": ("完成进度", "Attainment"), "mo.expected_h": ("全年预计", "Expected"),
    "mo.reason_h": ("偏差原因", "Reason"), "mo.analysis_h": ("原因分析", "Analysis"),
    "mo.measures_h": ("完善措施", "Measures"), "mo.target_lk_h": ("目标完成可能性",
                                                             "Target likelihood"),
    "mo.rec4": ("对完成目标可能性为“有可能”或“不可能”的指标，由实施单位分析偏差原因、提出纠偏措施，未填写的应补报。",
                "Units analyse the deviation and propose corrective measures for indicators "
                "possible or unlikely to attain their target; missing ones are to be supplied."),
})
_DEV_REASON_EN = {"经费保障": "funding", "制度保障": "rules and procedures", "人员保障": "staffing",
                  "硬件条件保障": "equipment and facilities", "其他": "other"}

_LIGHT_ZH = {"red": ("红灯", "red"), "yellow": ("黄灯", "yellow"), "green": ("绿灯", "green")}
_HANDLING_EN = {"继续执行": "continue", "调剂": "reallocate", "暂缓或停止拨款": "suspend or stop"}
_LIKELIHOOD_EN = {"确定能": "certain", "有可能": "possible", "不可能": "unlikely"}
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def monitoring_results(result, subject_id: str, *, profile: Any = "national") -> dict:
    """results.json of a monitoring report: :meth:`MonitoringResult.to_dict` (every project,
    the dashboard by department) plus the district totals the report states.

    For one department (``result.department`` set by ``monitor(department=...)``) the subject
    type is ``department``, ``department_id`` / ``department`` name it (``department`` is then
    the name, not the dict of ``to_dict()``), the projects and the dashboard are the
    department's, and ``district`` holds the department's totals (the 合计 row).

    ``district``: the district row of ``dashboard(None)``; ``forecast_summary``: the
    budget-weighted forecast and run-rate (Σ budget·forecast / Σ budget), the expected unspent
    amount and the count of projects per forecast method; ``counts``: projects by light,
    handling, likelihood and target likelihood, indicators at risk and deviation reasons;
    ``progress``: where the indicators' progress to date came from (``source``,
    ``months`` reported, ``gap_indicators``, indicators without a snapshot);
    ``indicators_at_risk``: every indicator whose likelihood is 有可能 or 不可能, with its
    progress, expected value, reason and measures; ``rules``: the light, checkpoint and gap
    rules of the profile."""
    from ..rules import load_profile

    d = result.to_dict()
    p = result.projects
    dist = jsonable(result.dashboard(None).iloc[0].drop(labels=["group"]).to_dict())
    b = p["budget"].astype(float)
    bsum = float(b.sum())
    fs = {"forecast_rate": float((b * p["forecast"]).sum() / bsum) if bsum > 0 else None,
          "run_rate": float((b * p["run_rate_forecast"]).sum() / bsum) if bsum > 0 else None,
          "forecast_unspent": float(p["forecast_unspent"].sum()),
          "methods": {str(k): int(v) for k, v in p["forecast_method"].value_counts()
                      .sort_index().items()}}
    counts = {"light": {k: int((p["light"] == k).sum()) for k in _LIGHT_ZH},
              "handling": {k: int((p["handling"] == k).sum()) for k in _HANDLING_EN},
              "likelihood": {k: int((p["likelihood"] == k).sum()) for k in _LIKELIHOOD_EN},
              "checkpoint_missed": int(p["checkpoint_missed"].fillna(False).astype(bool).sum()),
              "checkpoints_passed": sum(1 for k in (load_profile(profile).get(
                  "monitoring").get("checkpoints") or {}) if int(k) <= int(result.month)),
              "gap_flag": int(p["gap_flag"].fillna(False).astype(bool).sum()),
              "no_quantitative": int((p["n_quantitative"] == 0).sum())}
    ind = result.indicators
    risk = ind[ind["likelihood"].isin(["有可能", "不可能"])] if "likelihood" in ind else ind.iloc[:0]
    tl = p["target_likelihood"] if "target_likelihood" in p else pd.Series(None, index=p.index)
    counts["target_likelihood"] = {**{k: int((tl == k).sum()) for k in _LIKELIHOOD_EN},
                                   "none": int(tl.isna().sum())}
    counts["indicators_at_risk"] = int(len(risk))
    counts["at_risk_without_reason"] = int(sum(
        1 for fl in p["flags"] for f in fl if f["code"] == "deviation_reason_missing"))
    counts["likelihood_inconsistent"] = int(sum(
        1 for fl in p["flags"] for f in fl if f["code"] == "likelihood_inconsistent"))
    cats = list(result.deviation_reasons)
    dev = ind["deviation_category"] if "deviation_category" in ind else pd.Series(dtype=object)
    counts["deviation_reasons"] = {k: int((dev == k).sum()) for k in cats}
    names = p.set_index("project_id")["name"] if "name" in p else pd.Series(dtype=object)
    risk_rows = [{"project_id": r["project_id"], "name": names.get(r["project_id"]),
                  **{c: r.get(c) for c in ("level1", "level2", "level3", "target",
                                           "progress_month", "progress_text", "attainment",
                                           "expected_text", "likelihood", "stated_likelihood",
                                           "deviation_category", "deviation_analysis",
                                           "measures")}}
                 for r in risk.sort_values(["project_id"], kind="stable").to_dict("records")]
    progress = {"source": getattr(result, "progress_source", "actual_value"),
                "months": [int(m) for m in getattr(result, "progress_months", ())],
                "gap_indicators": getattr(result, "gap_indicators", "cumulative"),
                "n_no_progress": int(p["n_no_progress"].sum()) if "n_no_progress" in p else 0,
                "projects_without_progress": int((p["n_no_progress"] > 0).sum())
                if "n_no_progress" in p else 0}
    mon = load_profile(profile).get("monitoring")
    rules = {"light": jsonable(mon["light"]), "checkpoints": jsonable(mon.get("checkpoints")),
             "target_vs_budget_gap_pp": jsonable(mon.get("target_vs_budget_gap_pp")),
             "likelihood_target": jsonable(mon.get("likelihood_target"))}
    scope = getattr(result, "department", None)
    dept = {"department_id": scope.get("department_id"), "department": scope.get("department")} \
        if scope else {}
    name = _t("mo.name_dept", "zh", dept=scope.get("department"), year=result.year,
              month=result.month) if scope else _t("mo.name", "zh", year=result.year,
                                                   month=result.month)
    return {"subject_id": str(subject_id), "subject_type": "department" if scope else "district",
            "name": name, "report": "monitoring", **d, **dept, "district": dist,
            "forecast_summary": fs, "counts": counts, "rules": rules,
            "progress": progress, "indicators_at_risk": jsonable(risk_rows)}


def monitoring_outline(results: Mapping, *, lang: str = "zh", figures: bool = True) -> dict:
    """The monitoring report (预算绩效运行监控报告, domain.md §9.4): scope and method, execution
    progress with the lights, checkpoints and targets, the forecast, handling, recommendations."""
    _check_lang(lang)
    r = results
    year, month = r.get("year"), int(r.get("month"))
    dept = r.get("department") if r.get("subject_type") == "department" else None
    did = r.get("department_id") if dept else None
    dept_label = (f"{dept}（{did}）" if lang == "zh" else f"{dept} ({did})") \
        if dept and did and did != dept else dept
    dist, fs, c, rules = (r.get("district") or {}, r.get("forecast_summary") or {},
                          r.get("counts") or {}, r.get("rules") or {})
    prof = r.get("profile") or {}
    tp = fmt_pct(r.get("time_progress"))
    light = rules.get("light") or {}
    cps = rules.get("checkpoints")
    p1 = [_t("mo.scope", lang, n=dist.get("n_projects"), budget=fmt_num(dist.get("budget")),
             year=year, month=month, tp=tp),
          _t("mo.lights_rule", lang, red=fmt_pct(light.get("red_below"), 0),
             yellow=fmt_pct(light.get("yellow_below"), 0)),
          _t("mo.cp_rule", lang, profile=prof.get("id"), cps=_join(
              [(f"{k}月末{fmt_pct(v, 0)}" if lang == "zh" else f"end of month {k} {fmt_pct(v, 0)}")
               for k, v in cps.items()], lang)) if cps else _t("mo.cp_none", lang),
          _t("mo.gap_rule", lang, pp=f"{as_number(rules.get('target_vs_budget_gap_pp')) or 0:g}")]
    prog = r.get("progress") or {}
    src = prog.get("source") or r.get("progress_source") or "actual_value"
    p1.append(_t("mo.src", lang, src=_t(f"mo.src.{src}", lang, month=month),
                 gap=_t("mo.gap_all" if prog.get("gap_indicators") == "quantitative"
                        else "mo.gap_cum", lang)))
    if prog.get("months"):
        p1.append(_t("mo.src_months", lang, months=_join(
            [(f"{k}月" if lang == "zh" else str(k)) for k in prog["months"]], lang)))
    if dept:
        p1.append(_t("mo.scope_dept", lang, dept=dept_label))
    expected = f"{year}-{month:02d}"
    # a department's report is named by the department's id, which says nothing of the period
    if expected not in str(r.get("subject_id")) and not (
            dept and str(r.get("subject_id")) in (str(did), str(dept))):
        p1.append(_t("mo.period_note", lang, sid=r.get("subject_id"), year=year, month=month))
    lc = c.get("light") or {}
    p2 = [_t("mo.exec", lang, month=month, exe=fmt_num(dist.get("executed_to_date")),
             rate=fmt_pct(dist.get("execution_rate")), tp=tp, red=lc.get("red", 0),
             yellow=lc.get("yellow", 0), green=lc.get("green", 0),
             bred=fmt_num(dist.get("budget_red")))]
    dash = r.get("dashboard") or []
    figs, note1 = [], []
    if dept:
        t2, figs, note1 = _monitoring_projects_table(r, lang, figures=figures)
    else:
        t2 = _table(_t("mo.dash_table", lang), dash,
                    [("department", "department", None), ("n_projects", "n_projects", "0"),
                     ("n_red", "mo.n_red", "0"), ("n_yellow", "mo.n_yellow", "0"),
                     ("n_green", "mo.n_green", "0"), ("budget", "budget", _MONEY),
                     ("executed_to_date", "mo.exec_td", _MONEY),
                     ("execution_rate", "execution_rate", _F1P),
                     ("budget_red", "mo.budget_red", _MONEY),
                     ("n_checkpoint_missed", "mo.n_cp", "0"), ("n_gap", "mo.n_gap", "0")], lang)
    body = [x for x in dash if x.get("department") != "合计"]
    if figures and body and not dept:
        body = sorted(body, key=lambda x: -int(x.get("n_projects") or 0))
        figs.append(_figure(_stacked(
            [x["department"] for x in body],
            {_LIGHT_ZH[k][0] if lang == "zh" else _LIGHT_ZH[k][1]:
             [int(x.get(f"n_{k}") or 0) for x in body] for k in _LIGHT_ZH},
            {(_LIGHT_ZH[k][0] if lang == "zh" else _LIGHT_ZH[k][1]): _LIGHT_COLOURS[k]
             for k in _LIGHT_ZH}, title=_t("mo.fig", lang), xlabel=_t("n_projects", lang)),
            _t("mo.fig", lang)))
    p3 = [_t("mo.cp", lang, k=c.get("checkpoints_passed", 0), n=c.get("checkpoint_missed", 0))
          if c.get("checkpoints_passed") else _t("mo.cp_no", lang),
          _t("mo.gap", lang, n=c.get("gap_flag", 0), nq=c.get("no_quantitative", 0))]
    if prog.get("n_no_progress"):
        p3.append(_t("mo.no_snap", lang, n=prog["n_no_progress"], month=month))
    tlk = c.get("target_likelihood") or {}
    if tlk:
        p3.append(_t("mo.target_lk", lang, c=tlk.get("确定能", 0), p=tlk.get("有可能", 0),
                     u=tlk.get("不可能", 0), na=tlk.get("none", 0),
                     ni=c.get("indicators_at_risk", 0), nr=c.get("at_risk_without_reason", 0),
                     nc=c.get("likelihood_inconsistent", 0)))
    dr = {k: v for k, v in (c.get("deviation_reasons") or {}).items() if v}
    if dr:
        p3.append(_t("mo.reasons", lang, items=_join(
            [_t("mo.reason_item", lang, r=k if lang == "zh" else _DEV_REASON_EN.get(k, k), n=v)
             for k, v in sorted(dr.items(), key=lambda kv: -kv[1])], lang)))
    risk = [{**x, "likelihood": x.get("likelihood") if lang == "zh" else _LIKELIHOOD_EN.get(
                 x.get("likelihood"), x.get("likelihood")),
             "deviation_category": x.get("deviation_category") if lang == "zh"
             else _DEV_REASON_EN.get(x.get("deviation_category"), x.get("deviation_category"))}
            for x in r.get("indicators_at_risk") or []]
    risk_rows, risk_note = _truncate(risk, lang)
    t3 = _table(_t("mo.risk_table", lang), risk_rows,
                [("project_id", "project_id", None), ("name", "project_name", None),
                 ("level3", "level3", None), ("target", "mo.target_h", None),
                 ("progress_text", "mo.progress_h", None), ("attainment", "mo.att_h", _F1P),
                 ("expected_text", "mo.expected_h", None),
                 ("likelihood", "mo.likelihood", None),
                 ("deviation_category", "mo.reason_h", None),
                 ("measures", "mo.measures_h", None)], lang)
    methods = _join([_t("mo.method_note", lang, m=k, n=v)
                     for k, v in (fs.get("methods") or {}).items()], lang)
    p4 = [_t("mo.forecast", lang, fc=fmt_pct(fs.get("forecast_rate")),
             rr=fmt_pct(fs.get("run_rate")), unspent=fmt_num(fs.get("forecast_unspent")),
             methods=methods)]
    fm = r.get("forecast_model") or {}
    if fm.get("formula"):
        p4.append(str(fm["formula"]))
    hc, lk = c.get("handling") or {}, c.get("likelihood") or {}
    reasons = _join(r.get("deviation_reasons") or [], lang)
    p5 = [_t("mo.handling", lang, c=hc.get("继续执行", 0), r=hc.get("调剂", 0),
             s=hc.get("暂缓或停止拨款", 0), p=lk.get("有可能", 0), u=lk.get("不可能", 0),
             reasons=reasons)]
    order = {"暂缓或停止拨款": 0, "调剂": 1}
    att = sorted([x for x in r.get("projects") or [] if x.get("handling") != "继续执行"],
                 key=lambda x: (order.get(x.get("handling"), 2), x.get("execution_rate") or 0,
                                str(x.get("project_id"))))
    att = [{**x, "light": _LIGHT_ZH.get(x.get("light"), (x.get("light"),) * 2)[lang == "en"],
            "handling": x.get("handling") if lang == "zh" else _HANDLING_EN.get(
                x.get("handling"), x.get("handling")),
            "likelihood": x.get("likelihood") if lang == "zh" else _LIKELIHOOD_EN.get(
                x.get("likelihood"), x.get("likelihood"))} for x in att]
    att_rows, note = _truncate(att, lang)
    t5 = _table(_t("mo.attention_table", lang), att_rows,
                [("project_id", "project_id", None), ("name", "project_name", None),
                 ("department", "department", None), ("budget", "budget", _MONEY),
                 ("execution_rate", "execution_rate", _F1P), ("light", "mo.light", None),
                 ("forecast", "mo.fc", _F1P), ("likelihood", "mo.likelihood", None),
                 ("handling", "mo.handling_h", None)], lang)
    recs = [_t("mo.rec1", lang)]
    if cps:
        recs.append(_t("mo.rec2", lang))
    if c.get("gap_flag"):
        recs.append(_t("mo.rec3", lang))
    if c.get("indicators_at_risk"):
        recs.append(_t("mo.rec4", lang))
    return {
        "title": _t("mo.title_dept", lang, dept=dept, year=year, month=month,
                    month_en=_MONTHS_EN[month - 1]) if dept
        else _t("mo.title", lang, year=year, month=month, month_en=_MONTHS_EN[month - 1]),
        "meta": [[_t("code", lang), r.get("subject_id")], [_t("year", lang), year],
                 *([[_t("department", lang), dept_label]] if dept else []),
                 [_t("mo.month", lang), month], [_t("n_projects", lang), dist.get("n_projects")],
                 [_t("execution_rate", lang), fmt_pct(dist.get("execution_rate"))],
                 [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]],
        "sections": [
            _sec(_n1(1, lang) + _t("mo.s1", lang), paragraphs=p1),
            _sec(_n1(2, lang) + _t("mo.s2", lang), paragraphs=p2 + note1, tables=[t2],
                 figures=figs),
            _sec(_n1(3, lang) + _t("mo.s3", lang), paragraphs=p3 + risk_note,
                 tables=[t3] if risk else []),
            _sec(_n1(4, lang) + _t("mo.s4", lang), paragraphs=p4),
            _sec(_n1(5, lang) + _t("mo.s5", lang), paragraphs=p5 + note,
                 tables=[t5] if att else []),
            _sec(_n1(6, lang) + _t("mo.s6", lang), bullets=recs),
            _sec(_n1(7, lang) + _t("mo.s7", lang), paragraphs=[_profile_note(r, lang)]),
        ]}


def _monitoring_projects_table(r: Mapping, lang: str, *, figures: bool
                               ) -> tuple[dict, list, list]:
    """Table 1 (and figure 1) of a department's monitoring report: each of its projects'
    execution and light, then the department's total (the dashboard's 合计 row); plus the
    truncation note (if any)."""
    dist = r.get("district") or {}
    projects = sorted(r.get("projects") or [], key=lambda x: str(x.get("project_id")))
    rows, note = _truncate(projects, lang)
    light = lambda x: _LIGHT_ZH.get(x.get("light"), (x.get("light"),) * 2)[lang == "en"]  # noqa
    total = {"project_id": "合计", "budget": dist.get("budget"),
             "executed_to_date": dist.get("executed_to_date"),
             "execution_rate": dist.get("execution_rate")}
    t = _table(_t("mo.proj_table", lang), [*rows, total],
               [("project_id", "project_id", None), ("name", "project_name", None),
                ("budget", "budget", _MONEY), ("executed_to_date", "mo.exec_td", _MONEY),
                ("execution_rate", "execution_rate", _F1P),
                ("progress_ratio", "mo.ratio", _F2),
                (lambda x: light(x) if x.get("light") else None, "mo.light", None),
                ("checkpoints_missed", "mo.cp_missed", None)], lang)
    figs = []
    if figures and rows:
        figs.append(_figure(_hbars([x.get("name") or x.get("project_id") for x in rows],
                                   [x.get("execution_rate") for x in rows], None,
                                   title=_t("mo.fig_dept", lang),
                                   xlabel=_t("execution_rate", lang), pct=True),
                            _t("mo.fig_dept", lang)))
    return t, figs, note


def monitoring_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """tables.xlsx of a monitoring report: the monitoring table of every project (§6 columns),
    the dashboard and the indicators possible or unlikely to attain their target."""
    cols = {"project_id": "project_id", "name": "project_name", "department": "department",
            "budget": "budget", "executed_to_date": "mo.exec_td",
            "execution_rate": "execution_rate", "time_progress": "时间进度" if lang == "zh"
            else "Time progress", "progress_ratio": "mo.ratio", "light": "mo.light",
            "checkpoints_missed": "mo.cp_missed", "attainment": "目标完成进度" if lang == "zh"
            else "Attainment", "gap_pp": "偏差（百分点）" if lang == "zh" else "Gap (pp)",
            "forecast": "mo.fc", "forecast_lower": "预测下限" if lang == "zh" else "Lower",
            "forecast_upper": "预测上限" if lang == "zh" else "Upper",
            "run_rate_forecast": "简单外推" if lang == "zh" else "Run-rate",
            "forecast_unspent": "预计未支出（万元）" if lang == "zh" else "Expected unspent",
            "likelihood": "mo.likelihood", "target_likelihood": "mo.target_lk_h",
            "n_at_risk": "偏差指标数" if lang == "zh" else "Indicators at risk",
            "handling": "mo.handling_h", "flag_codes": "提示" if lang == "zh" else "Flags"}
    risk = {"project_id": "project_id", "name": "project_name", "level1": "level1",
            "level2": "level2", "level3": "level3", "target": "mo.target_h",
            "progress_month": "mo.month", "progress_text": "mo.progress_h",
            "attainment": "mo.att_h", "expected_text": "mo.expected_h",
            "stated_likelihood": "填报的可能性" if lang == "zh" else "Stated likelihood",
            "likelihood": "mo.likelihood", "deviation_category": "mo.reason_h",
            "deviation_analysis": "mo.analysis_h", "measures": "mo.measures_h"}
    return {
        "监控表" if lang == "zh" else "Monitoring": _frame(results.get("projects") or [], cols,
                                                          lang),
        "分部门" if lang == "zh" else "By department": _frame(results.get("dashboard") or [], {
            "department": "department", "n_projects": "n_projects", "n_red": "mo.n_red",
            "n_yellow": "mo.n_yellow", "n_green": "mo.n_green", "budget": "budget",
            "executed_to_date": "mo.exec_td", "execution_rate": "execution_rate",
            "budget_red": "mo.budget_red", "forecast_unspent": "预计未支出（万元）"
            if lang == "zh" else "Expected unspent", "n_checkpoint_missed": "mo.n_cp",
            "n_gap": "mo.n_gap", "n_reallocate": "调剂" if lang == "zh" else "Reallocate",
            "n_suspend": "暂缓或停止拨款" if lang == "zh" else "Suspend"}, lang),
        "偏差指标" if lang == "zh" else "Indicators at risk": _frame(
            results.get("indicators_at_risk") or [], risk, lang),
    }


# =============================================================================================
# 4. key evaluation (重点绩效评价), domain.md §9.2
# =============================================================================================
TEXT.update({
    "ke.title": ("{name}绩效评价报告", "Performance evaluation report: {name}"),
    "ke.subtitle": ("（重点绩效评价，{stage}）", "(key evaluation, {stage})"),
    "ke.post": ("事后评价", "post-completion"), "ke.mid": ("中期评价", "mid-implementation"),
    "ke.s1": ("基本情况", "Overview"),
    "ke.s1.1": ("项目概况", "The project"), "ke.s1.2": ("项目绩效目标", "Performance targets"),
    "ke.s2": ("绩效评价工作开展情况", "How the evaluation was done"),
    "ke.s2.1": ("绩效评价目的、对象和范围", "Purpose, object and scope"),
    "ke.s2.2": ("绩效评价原则、评价指标体系、评价方法和评价标准",
                "Principles, indicator system, methods and standards"),
    "ke.s2.3": ("绩效评价工作过程", "Process"),
    "ke.s3": ("综合评价情况及评价结论", "Overall assessment and conclusion"),
    "ke.s4": ("绩效评价指标分析", "Analysis by indicator"),
    "ke.s5": ("主要经验及做法、存在的问题及原因分析", "Experience, problems and their causes"),
    "ke.s6": ("有关建议", "Recommendations"),
    "ke.s7": ("其他需要说明的问题", "Other matters"),
    "ke.s8": ("附件", "Annex"),
    "ke.overview": ("“{name}”（{id}）由{dept}主管、{unit}实施，预算类型{bt}，所属领域{sector}。{year}年全年预算"
                    "{adjusted}万元，执行{executed}万元。", "'{name}' ({id}) is run by {dept} and "
                    "implemented by {unit}; budget type {bt}, sector {sector}. In {year} its "
                    "full-year budget was {adjusted} and {executed} was spent (CNY 10k)."),
    "ke.not_in_wb": ("工作簿中没有该项目的基本信息。", "The workbook holds no information on this project."),
    "ke.purpose": ("依据《黔江区全面实施预算绩效管理的实施意见》第十条，区财政局对重大政策、项目定期组织开展重点绩效"
                   "评价。本次评价对象为“{name}”（{id}），评价类型为{stage}。", "Under §十 of the Qianjiang "
                   "实施意见, the finance bureau evaluates major policies and projects; this "
                   "{stage} evaluation covers '{name}' ({id})."),
    "ke.system": ("评价采用财预〔2020〕10号共性指标框架（决策、过程、产出、效益），一级指标分值：{weights}；产出和效益"
                  "合计占 {focus}。", "The 财预〔2020〕10号 framework (decision, process, output, "
                  "outcome) is used; level-1 weights: {weights}; output and outcome together "
                  "{focus}."),
    "ke.focus_mid": ("评价采用财预〔2020〕10号共性指标框架，一级指标分值：{weights}；中期评价侧重决策、过程和产出，"
                     "合计占 {focus}。", "The 财预〔2020〕10号 framework is used; level-1 weights: "
                     "{weights}; a mid-term evaluation weighs decision, process and output "
                     "({focus})."),
    "ke.methods": ("评价方法：专家评议（公众评判法），{n} 位专家独立打分，按{agg}汇总；以组内相关系数 ICC 和 Kendall "
                   "协调系数 W 检验专家评分的一致性。评价标准：计划标准（年度绩效目标）。", "Methods: "
                   "expert review (公众评判法); {n} experts scored independently, combined by "
                   "{agg}; agreement checked with the ICC and Kendall's W. Standard: the annual "
                   "targets."),
    "ke.process": ("评价工作按照“前期准备—资料收集与核查—现场评价—专家评分—综合分析—撰写报告”的程序开展。",
                   "Steps: preparation → documents and checks → site visits → expert scoring → "
                   "analysis → report."),
    "ke.conclusion": ("经综合评价，“{name}”得分 {total} 分，评价等级为“{grade}”。其中{parts}。",
                      "Overall, '{name}' scored {total}, grade {grade}: {parts}."),
    "ke.part": ("{l1} {score}/{w} 分", "{l1} {score}/{w}"),
    "ke.agreement": ("专家评分一致性：ICC(2,1) = {icc1}（95%置信区间 {lo1}—{hi1}），ICC(2,k) = {icck}；"
                     "Kendall 协调系数 W = {w}（χ² = {chi2}，p = {p}）。", "Agreement: ICC(2,1) = "
                     "{icc1} (95% CI {lo1}–{hi1}), ICC(2,k) = {icck}; Kendall's W = {w} "
                     "(χ² = {chi2}, p = {p})."),
    "ke.agree_low": ("单个专家评分的一致性偏低（ICC(2,1) < 0.5），结论以专家组平均分为准，争议指标见下表。",
                     "Single-expert agreement is low (ICC(2,1) < 0.5): the conclusion rests on "
                     "the panel's combined scores; disputed indicators are listed."),
    "ke.l1_table": ("表1 一级指标得分", "Table 1 Scores by level-1 indicator"),
    "ke.ind_table": ("{l1}指标得分", "{l1}: indicator scores"),
    "ke.dispute_table": ("表2 专家分歧较大的指标", "Table 2 Most disputed indicators"),
    "ke.fig": ("图1 一级指标得分", "Figure 1 Scores by level-1 indicator"),
    "ke.l1_par": ("{l1}指标分值 {w} 分，得分 {score} 分，得分率 {frac}。",
                  "{l1}: {score} of {w} ({frac})."),
    "ke.good": ("得分率较高的一级指标：{items}。", "Strongest level-1 indicators: {items}."),
    "ke.lost": ("扣分较多的指标：{items}。", "Indicators losing most points: {items}."),
    "ke.lost_item": ("{l3}（扣 {lost} 分）", "{l3} (−{lost})"),
    "ke.rec_lost": ("针对“{l3}”扣分原因，制定整改措施并纳入下年度绩效目标管理。",
                    "Address the causes behind '{l3}' and carry the fix into next year's targets."),
    "ke.rec_grade": ("按评价等级“{grade}”落实结果应用：{action}。", "Apply the result of grade {grade}: "
                     "{action}."),
    "ke.rec_dispute": ("对专家分歧较大的指标（{items}）补充核查证据。",
                       "Check further evidence for the disputed indicators ({items})."),
    "ke.score_table": ("附表1 绩效评价指标评分表", "Annex table 1 Scoring table"),
    "ke.expert_table": ("附表2 专家评分汇总", "Annex table 2 Experts' totals"),
    "ke.fraction": ("得分率", "Fraction"), "ke.sd": ("标准差", "SD"), "ke.min": ("最低", "Min"),
    "ke.max": ("最高", "Max"), "ke.n": ("专家数", "Experts"), "ke.rank": ("排序", "Rank"),
    "ke.sd_share": ("标准差/分值", "SD / weight"), "ke.n_scored": ("评分指标数", "Scored"),
    "ke.weight_share": ("权重占比", "Share of weight"),
})
_L1_ORDER = ("决策", "过程", "产出", "效益")


def key_evaluation_results(result, subject_id: str, *, info: Mapping | None = None,
                           commissioner: str | None = None, evaluator: str | None = None,
                           object: str | None = None, conflicts: Sequence[Mapping] = (),
                           profile: Any = None) -> dict:
    """results.json of a key-evaluation report: :meth:`SubjectEvaluation.to_dict` (§9.2
    ``sections``) plus the project's basic information (``info``), the third-party check and
    the budget action of the grade (``application.grade_action`` of ``profile``)."""
    d = result.subject(subject_id).to_dict()
    action = None
    if profile is not None and d.get("grade"):
        from ..rules import load_profile
        action = load_profile(profile).get("application.grade_action", {}).get(d["grade"])
    info = dict(info or {})
    d.update(report="key_evaluation", subject_type="project",
             name=info.get("name") or str(subject_id), department=info.get("department"),
             sector=info.get("sector"), budget_type=info.get("budget_type"), info=info,
             action=action,
             third_party={"commissioner": commissioner, "evaluator": evaluator,
                          "object": object, "warnings": jsonable(list(conflicts))})
    return d


def _conflict_lines(tp: Mapping, lang: str) -> list[str]:
    if not tp or not tp.get("commissioner"):
        return []
    out = [_t("third_party", lang, c=tp.get("commissioner"), e=tp.get("evaluator"),
              o=tp.get("object"))]
    warns = tp.get("warnings") or []
    out += [_t("conflict_warn", lang, msg=_msg(w, lang)) for w in warns] or \
        [_t("conflict_ok", lang)]
    return out


def key_evaluation_outline(results: Mapping, *, lang: str = "zh", figures: bool = True) -> dict:
    """The key-evaluation report (绩效评价报告) in the outline of domain.md §9.2: 一、基本情况 …
    八、附件."""
    _check_lang(lang)
    r = results
    info = r.get("info") or {}
    name = str(r.get("name") or r.get("subject_id"))
    stage = _t("ke.post" if r.get("stage") == "post" else "ke.mid", lang)
    total, grade = r.get("total"), r.get("grade")
    l1 = sorted(r.get("level1") or [], key=lambda x: _L1_ORDER.index(x["level1"])
                if x["level1"] in _L1_ORDER else 9)
    inds = r.get("indicators") or []
    ag = r.get("agreement") or {}
    dash = _t("none", lang)

    # 一、基本情况
    if info:
        b = info.get("budget") or {}
        s11 = [_t("ke.overview", lang, name=name, id=r.get("subject_id"),
                  dept=info.get("department") or "—", unit=info.get("implementing_unit") or "—",
                  bt=info.get("budget_type") or "—", sector=info.get("sector") or "—",
                  year=info.get("year"), adjusted=fmt_num(b.get("adjusted")),
                  executed=fmt_num(b.get("executed")))]
        s12 = [str(info.get("objective") or _t("not_given", lang))]
    else:
        s11, s12 = [_t("ke.not_in_wb", lang)], [_t("not_given", lang)]
    # 二、工作开展情况
    wts = _join([f"{value_label(x['level1'], lang)} {x['weight']:g}" for x in l1], lang)
    tot_w = sum(float(x["weight"]) for x in l1) or 1.0
    if r.get("stage") == "mid":
        focus = sum(float(x["weight"]) for x in l1 if x["level1"] in ("决策", "过程", "产出"))
        system = _t("ke.focus_mid", lang, weights=wts, focus=fmt_pct(focus / tot_w))
    else:
        focus = sum(float(x["weight"]) for x in l1 if x["level1"] in ("产出", "效益"))
        system = _t("ke.system", lang, weights=wts, focus=fmt_pct(focus / tot_w))
    agg = {"mean": ("算术平均", "the mean"), "trimmed": ("去掉最高分和最低分后的平均",
                                                      "the trimmed mean"),
           "median": ("中位数", "the median")}.get(r.get("method"), (r.get("method"),) * 2)
    s22 = [system, _t("ke.methods", lang, n=len(r.get("experts") or []),
                      agg=agg[0] if lang == "zh" else agg[1])]
    s23 = [_t("ke.process", lang)] + _conflict_lines(r.get("third_party") or {}, lang)
    # 三、综合评价
    parts = ("，" if lang == "zh" else ", ").join(
        _t("ke.part", lang, l1=value_label(x["level1"], lang), score=fmt_num(x["score"]),
           w=f"{x['weight']:g}") for x in l1)
    p3 = [_t("ke.conclusion", lang, name=name, total=fmt_num(total), grade=_grade(grade, lang),
             parts=parts)]
    if ag:
        p3.append(_t("ke.agreement", lang, icc1=fmt_num(ag.get("icc2_1"), 3),
                     lo1=fmt_num(ag.get("icc2_1_lower"), 3), hi1=fmt_num(ag.get("icc2_1_upper"), 3),
                     icck=fmt_num(ag.get("icc2_k"), 3), w=fmt_num(ag.get("kendall_w"), 3),
                     chi2=fmt_num(ag.get("kendall_chi2"), 2),
                     p=(f"{ag['kendall_p']:.3g}" if as_number(ag.get("kendall_p")) is not None
                        else "—")))
        if (as_number(ag.get("icc2_1")) or 1.0) < 0.5:
            p3.append(_t("ke.agree_low", lang))
    t3 = [_table(_t("ke.l1_table", lang),
                 l1 + [{"level1": "合计", "weight": tot_w, "score": total,
                        "fraction": (total or 0) / tot_w, "weight_share": 1.0}],
                 [(lambda x: value_label(x["level1"], lang) if x["level1"] != "合计"
                   else _t("total", lang), "level1", None), ("weight", "weight", "0.00"),
                  ("score", "score", _F2), ("fraction", "ke.fraction", _F1P),
                  ("weight_share", "ke.weight_share", _F1P)], lang)]
    dis = r.get("disagreement") or []
    t3.append(_table(_t("ke.dispute_table", lang), dis,
                     [("rank", "ke.rank", "0"), ("level1", "level1", None),
                      ("level3", "level3", None), ("weight", "weight", "0.00"),
                      ("score", "score", _F2), ("sd", "ke.sd", _F2),
                      ("sd_share", "ke.sd_share", _F1P), ("min", "ke.min", "0.00"),
                      ("max", "ke.max", "0.00")], lang))
    figs = []
    if figures and l1:
        figs.append(_figure(_hbars([value_label(x["level1"], lang) for x in l1],
                                   [x["score"] for x in l1], [x["weight"] for x in l1],
                                   title=_t("ke.fig", lang), xlabel=label("axis.points", lang)),
                            _t("ke.fig", lang)))
    # 四、指标分析
    s4 = []
    for i, x in enumerate(l1, start=1):
        rows = [y for y in inds if y["level1"] == x["level1"]]
        nm = value_label(x["level1"], lang)
        s4.append(_sec(_n2(i, lang) + (f"{nm}指标" if lang == "zh" else str(nm)), level=2,
                       paragraphs=[_t("ke.l1_par", lang, l1=nm, w=f"{x['weight']:g}",
                                      score=fmt_num(x["score"]), frac=fmt_pct(x["fraction"]))],
                       tables=[_table(_t("ke.ind_table", lang, l1=nm), rows,
                                      [("level2", "level2", None), ("level3", "level3", None),
                                       ("weight", "weight", "0.00"), ("score", "score", _F2),
                                       ("fraction", "ke.fraction", _F1P), ("sd", "ke.sd", _F2)],
                                      lang)]))
    # 五、经验和问题
    best = sorted(l1, key=lambda x: -float(x["fraction"]))[:2]
    lost = sorted(inds, key=lambda y: -(float(y["weight"]) - float(y["score"] or 0)))[:5]
    lost = [y for y in lost if float(y["weight"]) - float(y["score"] or 0) > 1e-9]
    p5 = [_t("ke.good", lang, items=_join([f"{value_label(x['level1'], lang)} "
                                          f"{fmt_pct(x['fraction'])}" for x in best], lang))]
    if lost:
        p5.append(_t("ke.lost", lang, items=_join(
            [_t("ke.lost_item", lang, l3=y["level3"],
                lost=fmt_num(float(y["weight"]) - float(y["score"] or 0))) for y in lost], lang)))
    b5 = [_msg(w, lang) for w in r.get("warnings") or []]
    # 六、建议
    recs = [_t("ke.rec_lost", lang, l3=y["level3"]) for y in lost[:3]]
    if r.get("action"):
        recs.append(_t("ke.rec_grade", lang, grade=_grade(grade, lang),
                       action=_action(r["action"], lang)))
    if dis:
        recs.append(_t("ke.rec_dispute", lang, items=_join([y["level3"] for y in dis[:3]], lang)))
    # 八、附件
    t8 = [_table(_t("ke.score_table", lang), inds,
                 [(lambda y: value_label(y["level1"], lang), "level1", None),
                  ("level2", "level2", None), ("level3", "level3", None),
                  ("weight", "weight", "0.00"), ("score", "score", _F2),
                  ("n", "ke.n", "0"), ("min", "ke.min", "0.00"), ("max", "ke.max", "0.00"),
                  ("sd", "ke.sd", _F2)], lang),
          _table(_t("ke.expert_table", lang), r.get("expert_totals") or [],
                 [("expert", "expert", None), ("total", "total_score", _F2),
                  ("n_scored", "ke.n_scored", "0")], lang)]
    prof = r.get("profile") or {}
    return {
        "title": _t("ke.title", lang, name=name),
        "subtitle": _t("ke.subtitle", lang, stage=stage),
        "meta": [[_t("project_id", lang), r.get("subject_id")],
                 [_t("department", lang), info.get("department") or "—"],
                 [_t("total_score", lang), fmt_num(total)],
                 [label("footer.grade", lang), _grade(grade, lang)],
                 [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]],
        "sections": [
            _sec(_n1(1, lang) + _t("ke.s1", lang), sections=[
                _sec(_n2(1, lang) + _t("ke.s1.1", lang), level=2, paragraphs=s11),
                _sec(_n2(2, lang) + _t("ke.s1.2", lang), level=2, paragraphs=s12)]),
            _sec(_n1(2, lang) + _t("ke.s2", lang), sections=[
                _sec(_n2(1, lang) + _t("ke.s2.1", lang), level=2, paragraphs=[
                    _t("ke.purpose", lang, name=name, id=r.get("subject_id"), stage=stage)]),
                _sec(_n2(2, lang) + _t("ke.s2.2", lang), level=2, paragraphs=s22),
                _sec(_n2(3, lang) + _t("ke.s2.3", lang), level=2, paragraphs=s23)]),
            _sec(_n1(3, lang) + _t("ke.s3", lang), paragraphs=p3, tables=t3, figures=figs),
            _sec(_n1(4, lang) + _t("ke.s4", lang), sections=s4),
            _sec(_n1(5, lang) + _t("ke.s5", lang), paragraphs=p5, bullets=b5),
            _sec(_n1(6, lang) + _t("ke.s6", lang), bullets=recs or [dash]),
            _sec(_n1(7, lang) + _t("ke.s7", lang), paragraphs=[_profile_note(r, lang)]
                 + [x for x in _conflict_lines(r.get("third_party") or {}, lang)[1:]]),
            _sec(_n1(8, lang) + _t("ke.s8", lang), tables=t8),
        ]}


def key_evaluation_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    return {
        _t("ke.s8", lang) if lang == "zh" else "Scoring table": _frame(
            results.get("indicators") or [], {
                "level1": "level1", "level2": "level2", "level3": "level3", "weight": "weight",
                "score": "score", "fraction": "ke.fraction", "n": "ke.n", "mean": "平均"
                if lang == "zh" else "Mean", "median": "中位数" if lang == "zh" else "Median",
                "sd": "ke.sd", "min": "ke.min", "max": "ke.max"}, lang),
        "一级指标" if lang == "zh" else "Level 1": _frame(results.get("level1") or [], {
            "level1": "level1", "weight": "weight", "score": "score", "fraction": "ke.fraction"},
            lang),
        "专家" if lang == "zh" else "Experts": _frame(results.get("expert_totals") or [], {
            "expert": "expert", "total": "total_score", "n_scored": "ke.n_scored"}, lang),
        "争议指标" if lang == "zh" else "Disputed": _frame(results.get("disagreement") or [], {
            "rank": "ke.rank", "level1": "level1", "level2": "level2", "level3": "level3",
            "weight": "weight", "score": "score", "sd": "ke.sd", "sd_share": "ke.sd_share",
            "range": "极差" if lang == "zh" else "Range"}, lang),
    }


# =============================================================================================
# 5. re-evaluation (再评价) of self-evaluations, domain.md §4.6
# =============================================================================================
TEXT.update({
    "re.title": ("{year}年度单位自评结果再评价报告", "Re-evaluation of self-evaluations, {year}"),
    "re.s1": ("再评价范围和方法", "Scope and method"),
    "re.s2": ("再评价总体情况", "Overall results"),
    "re.s3": ("自评偏差情况", "Deviations"),
    "re.s4": ("单位自评质量", "Self-evaluation quality by unit"),
    "re.s5": ("处理意见", "Follow-up"),
    "re.s6": ("其他需要说明的问题", "Other matters"),
    "re.scope": ("依据《黔江区全面实施预算绩效管理的实施意见》第十条，区财政局对部门和单位自评情况进行再评价。"
                 "{year}年度有自评结果的项目 {pop} 个，{mode}，随机种子 {seed}，抽取 {n} 个项目，按与自评相同的"
                 "评分规则重新评分。", "Under §十 of the Qianjiang 实施意见, the finance bureau "
                 "re-evaluates the units' self-evaluations. {pop} projects of {year} have a "
                 "self-evaluation; {mode}, seed {seed}: {n} drawn and re-scored by the same "
                 "rules."),
    "re.mode_all": ("全部纳入", "all included"), "re.mode_n": ("按数量抽样", "a sample by count"),
    "re.mode_fraction": ("按比例 {p} 抽样", "a sample of {p}"),
    "re.flag_rule": ("自评总分与再评价总分相差 {d} 分及以上{g}的，认定为自评偏差；偏差为正（自评偏高）的认定为自评"
                     "偏高。单位被抽查项目中自评偏高的占 {poor} 及以上的，自评质量为“较差”。",
                     "A project deviates when self and rule totals differ by {d} points or "
                     "more{g}; inflated when the self total is higher. A unit whose inflated "
                     "share reaches {poor} has poor self-evaluation quality."),
    "re.or_grade": ("或等级发生变化", " or the grade changes"),
    "re.summary": ("抽查 {n} 个项目，自评总分与再评价总分平均相差 {mean} 分；认定自评偏差 {f} 个，其中自评偏高 {i}"
                   " 个，等级变化 {g} 个；{d} 个项目有指标自评得分与规则得分不一致。",
                   "{n} projects re-evaluated; self minus rule total {mean} on average; {f} "
                   "deviate, {i} inflated, {g} grade changes; {d} project(s) have indicators "
                   "self-scored differently from the rule."),
    "re.fig": ("图1 自评总分与再评价总分", "Figure 1 Self-evaluation vs re-evaluation totals"),
    "re.dev_table": ("表1 自评偏差项目", "Table 1 Projects whose self-evaluation deviates"),
    "re.unit_table": ("表2 单位自评质量", "Table 2 Self-evaluation quality by unit"),
    "re.no_dev": ("抽查项目的自评得分与再评价得分一致。", "The sampled self-evaluations agree "
                  "with the rules."),
    "re.inflated_units": ("自评质量“较差”的单位：{units}。", "Units with poor self-evaluation "
                          "quality: {units}."),
    "re.no_poor": ("未发现自评质量“较差”的单位。", "No unit has poor self-evaluation quality."),
    "re.follow1": ("对自评偏高的单位予以通报，责令其核实整改，并将自评质量纳入预算绩效管理工作考核（第十九条）。",
                   "Report the units with inflated self-evaluations, have them correct it, and "
                   "count self-evaluation quality in their assessment (§十九)."),
    "re.follow2": ("再评价结果随同决算草案报送区人大常委会，并按规定公开。",
                   "Report the results with the final accounts to the People's Congress and "
                   "publish them."),
    "re.self": ("自评总分", "Self total"), "re.rule": ("再评价总分", "Re-evaluated"),
    "re.delta": ("差异", "Δ"), "re.self_grade": ("自评等级", "Self grade"),
    "re.direction": ("方向", "Direction"), "re.reason": ("主要原因", "Main reason"),
    "re.flagged": ("认定偏差", "Deviates"), "re.quality": ("自评质量", "Quality"),
    "re.mean_delta": ("平均差异", "Mean Δ"), "re.n_inflated": ("自评偏高", "Inflated"),
    "re.n_flagged": ("偏差", "Deviating"), "re.lost": ("差异（自评−规则）", "Self − rule"),
})


def reevaluation_results(result, subject_id: str) -> dict:
    """results.json of a re-evaluation report: :meth:`ReevaluationResult.to_dict` plus the
    totals the report states (``summary``)."""
    d = result.to_dict()
    p = result.projects
    u = result.units
    summary = {"n": int(len(p)), "population": int(result.sample["population"]),
               "mean_delta": jsonable(p["delta"].mean()),
               "max_abs_delta": jsonable(p["delta"].abs().max()),
               "n_flagged": int(p["flagged"].sum()), "n_inflated": int(p["inflated"].sum()),
               "n_grade_changed": int(p["grade_changed"].sum()),
               "n_differ": int((p["n_differ"] > 0).sum()),
               "poor_units": sorted(u.loc[u["quality"] == "较差", "implementing_unit"]
                                    .dropna().astype(str).tolist())}
    return {"subject_id": str(subject_id), "subject_type": "district",
            "name": f"{result.year}年度自评再评价", "report": "reevaluation", **d,
            "summary": summary}


def reevaluation_outline(results: Mapping, *, lang: str = "zh", figures: bool = True) -> dict:
    """The re-evaluation report (单位自评结果再评价报告)."""
    _check_lang(lang)
    r = results
    s, smp, rules = r.get("summary") or {}, r.get("sample") or {}, r.get("rules") or {}
    year = r.get("year")
    mode = smp.get("mode")
    mode_t = _t("re.mode_all", lang) if mode == "all" else (
        _t("re.mode_n", lang) if mode == "n" else
        _t("re.mode_fraction", lang, p=fmt_pct(smp.get("requested"), 0)))
    p1 = [_t("re.scope", lang, year=year, pop=smp.get("population"), mode=mode_t,
             seed=smp.get("seed"), n=smp.get("n")),
          _t("re.flag_rule", lang, d=f"{as_number(rules.get('flag_delta')) or 0:g}",
             g=_t("re.or_grade", lang) if rules.get("flag_grade_change") else "",
             poor=fmt_pct(rules.get("unit_poor_share"), 0))]
    p2 = [_t("re.summary", lang, n=s.get("n"), mean=f"{as_number(s.get('mean_delta')) or 0:+.2f}",
             f=s.get("n_flagged"), i=s.get("n_inflated"), g=s.get("n_grade_changed"),
             d=s.get("n_differ"))]
    projects = r.get("projects") or []
    figs = []
    if figures and projects:
        figs.append(_figure(_scatter([x["total"] for x in projects],
                                     [x["self_total"] for x in projects],
                                     highlight=[bool(x.get("flagged")) for x in projects],
                                     diagonal=True, title=_t("re.fig", lang),
                                     xlabel=_t("re.rule", lang), ylabel=_t("re.self", lang)),
                            _t("re.fig", lang)))
    dev = sorted([x for x in projects if x.get("flagged") or x.get("direction") != "一致"],
                 key=lambda x: (-abs(float(x.get("delta") or 0)), str(x["project_id"])))
    dev = [{**x, "direction": x.get("direction") if lang == "zh" else
            {"偏高": "higher", "偏低": "lower", "一致": "same"}.get(x.get("direction"))}
           for x in dev]
    dev_rows, note = _truncate(dev, lang)
    t3 = _table(_t("re.dev_table", lang), dev_rows,
                [("project_id", "project_id", None), ("name", "project_name", None),
                 ("implementing_unit", "unit", None), ("self_total", "re.self", _F2),
                 ("total", "re.rule", _F2), ("delta", "re.delta", _F2),
                 (lambda x: _grade(x.get("self_grade"), lang), "re.self_grade", None),
                 (lambda x: _grade(x.get("grade"), lang), "grade", None),
                 ("direction", "re.direction", None), ("flagged", "re.flagged", None),
                 ("main_reason", "re.reason", None)], lang)
    units = sorted(r.get("units") or [], key=lambda x: ({"较差": 0, "存在偏差": 1}.get(
        x.get("quality"), 2), str(x.get("implementing_unit"))))
    units_show = [x for x in units if x.get("quality") != "较好"]
    t4 = _table(_t("re.unit_table", lang),
                [{**x, "quality": x["quality"] if lang == "zh" else x.get("quality_en"),
                  "note": _msg(x, lang, "note")} for x in units_show],
                [("department", "department", None), ("implementing_unit", "unit", None),
                 ("n_projects", "n_projects", "0"), ("mean_delta", "re.mean_delta", _F2),
                 ("n_flagged", "re.n_flagged", "0"), ("n_inflated", "re.n_inflated", "0"),
                 ("quality", "re.quality", None)], lang)
    poor = s.get("poor_units") or []
    p4 = [_t("re.inflated_units", lang, units=_join(poor, lang)) if poor
          else _t("re.no_poor", lang)]
    prof = r.get("profile") or {}
    return {
        "title": _t("re.title", lang, year=year),
        "meta": [[_t("code", lang), r.get("subject_id")], [_t("year", lang), year],
                 [_t("n_projects", lang), f"{smp.get('n')} / {smp.get('population')}"],
                 [_t("re.n_inflated", lang), s.get("n_inflated")],
                 [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]],
        "sections": [
            _sec(_n1(1, lang) + _t("re.s1", lang), paragraphs=p1),
            _sec(_n1(2, lang) + _t("re.s2", lang), paragraphs=p2, figures=figs),
            _sec(_n1(3, lang) + _t("re.s3", lang), paragraphs=note if dev else
                 [_t("re.no_dev", lang)], tables=[t3] if dev else []),
            _sec(_n1(4, lang) + _t("re.s4", lang), paragraphs=p4,
                 tables=[t4] if units_show else []),
            _sec(_n1(5, lang) + _t("re.s5", lang), bullets=[_t("re.follow1", lang),
                                                            _t("re.follow2", lang)]),
            _sec(_n1(6, lang) + _t("re.s6", lang), paragraphs=[_profile_note(r, lang)]),
        ]}


def reevaluation_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    return {
        "项目" if lang == "zh" else "Projects": _frame(results.get("projects") or [], {
            "project_id": "project_id", "name": "project_name", "department": "department",
            "implementing_unit": "unit", "self_total": "re.self", "total": "re.rule",
            "delta": "re.delta", "self_grade": "re.self_grade", "grade": "grade",
            "flagged": "re.flagged", "inflated": "re.n_inflated", "direction": "re.direction",
            "n_differ": "指标差异数" if lang == "zh" else "Indicators differing",
            "main_reason": "re.reason"}, lang),
        "指标" if lang == "zh" else "Indicators": _frame(results.get("indicators") or [], {
            "project_id": "project_id", "level1": "level1", "level2": "level2",
            "level3": "level3", "weight": "weight", "self_score": "re.self", "score": "re.rule",
            "lost": "re.lost", "reason": "explanation"}, lang),
        "单位" if lang == "zh" else "Units": _frame(results.get("units") or [], {
            "department": "department", "implementing_unit": "unit", "n_projects": "n_projects",
            "mean_delta": "re.mean_delta", "max_delta": "最大差异" if lang == "zh" else "Max Δ",
            "n_flagged": "re.n_flagged", "n_inflated": "re.n_inflated",
            "share_inflated": "偏高占比" if lang == "zh" else "Share inflated",
            "quality": "re.quality", "note": "message"}, lang),
        "部门" if lang == "zh" else "Departments": _frame(results.get("departments") or [], {
            "department": "department", "n_projects": "n_projects",
            "mean_delta": "re.mean_delta", "n_flagged": "re.n_flagged",
            "n_inflated": "re.n_inflated", "quality": "re.quality", "note": "message"}, lang),
    }


# =============================================================================================
# 6. department overall (部门整体支出绩效评价), domain.md §9.5
# =============================================================================================
TEXT.update({
    "de.title": ("{name}{year}年度部门整体支出绩效评价报告",
                 "Department-overall performance evaluation {year}: {name}"),
    "de.s1": ("基本情况", "Overview"),
    "de.s2": ("绩效评价工作开展情况", "How the evaluation was done"),
    "de.s3": ("综合评价情况及评价结论", "Overall assessment and conclusion"),
    "de.s4": ("绩效评价指标分析", "Analysis by indicator"),
    "de.s5": ("存在的问题及原因分析", "Problems and their causes"),
    "de.s6": ("有关建议", "Recommendations"),
    "de.s7": ("其他需要说明的问题", "Other matters"),
    "de.s8": ("附件", "Annex"),
    "de.overview": ("{name}（部门编码 {id}）{year}年编制数 {sa} 人、在职人数 {st} 人；上年结转 {cp} 万元，年初预算"
                    " {ib} 万元，本年追加 {sb} 万元，支出完成 {ex} 万元，年末结余 {ye} 万元。",
                    "{name} (code {id}), {year}: {sa} authorised posts, {st} staff; carry-over "
                    "{cp}, initial budget {ib}, supplementary {sb}, spent {ex}, year-end balance "
                    "{ye} (CNY 10k)."),
    "de.fig_table": ("表1 部门基本数据", "Table 1 Department figures"),
    "de.basis": ("依据《黔江区全面实施预算绩效管理的实施意见》第五条、第十条，从投入、过程、产出、效果等方面衡量部门"
                 "整体绩效，结果与部门预算安排挂钩（第十六条）。指标体系如表2所示（财预〔2013〕53号衍生的部门整体"
                 "评价表）。", "Under §五 and §十 of the Qianjiang 实施意见 the department "
                 "is evaluated as a whole on input, process, output and outcome; the result is "
                 "linked to its budget (§十六). Indicators: Table 2."),
    "de.system_table": ("表2 评价指标体系", "Table 2 Indicator system"),
    "de.conclusion": ("经综合评价，{name}部门整体绩效得分 {total} 分，评价等级为“{grade}”，处理方向：{action}。"
                      "{groups}。", "{name} scored {total}, grade {grade}; action: {action}. "
                      "{groups}."),
    "de.no_total": ("没有适用的指标，无法得出总分。", "No applicable indicator: no total."),
    "de.rescaled": ("{n} 项指标不适用，总分按适用指标分值 {w} 分折算为百分制。",
                    "{n} indicator(s) not applicable; the total is rescaled from {w} points."),
    "de.group_table": ("表3 一级指标得分", "Table 3 Scores by group"),
    "de.ind_table": ("表4 指标得分", "Table 4 Indicator scores"),
    "de.fig": ("图1 一级指标得分", "Figure 1 Scores by group"),
    "de.portfolio": ("部门项目自评情况：{n} 个项目，优良率 {good}，按预算加权平均得分 {ws} 分。",
                     "Projects: {n} self-evaluated, {good} graded good or better, "
                     "budget-weighted mean {ws}."),
    "de.no_ded": ("各项指标均得满分。", "Every indicator scored full marks."),
    "de.rec_action": ("按评价等级“{grade}”落实部门整体绩效与部门预算安排挂钩：{action}。",
                      "Link the result to the department's budget (grade {grade}): {action}."),
    "de.rec_ded": ("针对“{name}”扣分问题制定整改措施。", "Correct the causes of the deduction on "
                   "'{name}'."),
    "de.annex_table": ("附表 部门整体支出绩效评价评分表", "Annex table Scoring table"),
    "de.group": ("一级指标", "Group"), "de.applicable": ("适用", "Applicable"),
    "de.deduction": ("扣分", "Deduction"), "de.figure": ("项目", "Item"),
})
_DEPT_FIGS = (("staff_authorized", "编制数（人）", "Authorised posts"),
              ("staff_actual", "在职人数（人）", "Staff"),
              ("three_public_budget", "三公经费预算数（万元）", "'Three public' budget"),
              ("three_public_executed", "三公经费支出数（万元）", "'Three public' spent"),
              ("carryover_prior", "上年结转（万元）", "Carry-over"),
              ("initial_budget", "年初预算（万元）", "Initial budget"),
              ("supplementary_budget", "本年追加（万元）", "Supplementary"),
              ("expenditure", "支出完成数（万元）", "Spent"),
              ("year_end_balance", "年末结余（万元）", "Year-end balance"),
              ("carryover_balance", "结转结余总额（万元）", "Carry-over and balance"),
              ("key_project_expenditure", "重点项目支出（万元）", "Key project spending"),
              ("project_expenditure", "项目总支出（万元）", "Project spending"))


def department_results(result) -> dict:
    """results.json of a department-overall report: :meth:`DepartmentResult.to_dict` (already
    in the §9.2 skeleton) plus ``report``."""
    d = result.to_dict()
    d["report"] = "department_evaluation"
    return d


_COUNTS = ("staff_authorized", "staff_actual", "population")


def _fig_rows(figs: Mapping, spec, lang: str, *, text: bool = False) -> list[dict]:
    """Rows (item, value) of a table of figures; with ``text`` the values are formatted (counts
    without decimals, amounts with two)."""
    from .docx import format_number
    out = []
    for k, zh, en in spec:
        v = as_number(figs.get(k))
        if v is None:
            continue
        if text:
            v = format_number(v, "#,##0" if k in _COUNTS else "#,##0.00")
        out.append({"item": zh if lang == "zh" else en, "value": v})
    return out


def _ind_name(x: Mapping, lang: str) -> str:
    return str(x.get("name") if lang == "zh" else x.get("name_en") or x.get("name"))


def department_outline(results: Mapping, *, lang: str = "zh", figures: bool = True) -> dict:
    """The department-overall report (部门整体支出绩效评价报告), the §9.2 skeleton (domain.md §9.5)."""
    _check_lang(lang)
    r = results
    name = str(r.get("name") or r.get("subject_id"))
    year = r.get("year")
    f = r.get("basic_info") or {}
    total, grade, action = r.get("total"), r.get("grade"), r.get("action")
    p1 = [_t("de.overview", lang, name=name, id=r.get("subject_id"), year=year,
             sa=fmt_num(f.get("staff_authorized"), 0), st=fmt_num(f.get("staff_actual"), 0),
             cp=fmt_num(f.get("carryover_prior")), ib=fmt_num(f.get("initial_budget")),
             sb=fmt_num(f.get("supplementary_budget")), ex=fmt_num(f.get("expenditure")),
             ye=fmt_num(f.get("year_end_balance")))]
    t1 = _table(_t("de.fig_table", lang), _fig_rows(f, _DEPT_FIGS, lang, text=True),
                [("item", "de.figure", None), ("value", "value", None)], lang)
    system = r.get("indicator_system") or []
    t2 = _table(_t("de.system_table", lang), system,
                [(lambda x: _val(x["group"], lang) if lang == "zh" else
                  {"投入": "Input", "过程": "Process", "产出": "Output", "效果": "Outcome"}.get(
                      x["group"], x["group"]), "de.group", None),
                 (lambda x: _ind_name(x, lang), "indicator", None),
                 ("formula", "formula", None), ("weight", "weight", "0.00")], lang)
    groups = r.get("groups") or []
    gname = (lambda g: g) if lang == "zh" else (
        lambda g: {"投入": "Input", "过程": "Process", "产出": "Output", "效果": "Outcome"}.get(g, g))
    gtext = ("，" if lang == "zh" else "; ").join(
        f"{gname(g['group'])} {fmt_num(g.get('score'))}/{fmt_num(g.get('applicable_weight'))}"
        for g in groups)
    if as_number(total) is None:
        p3 = [_t("de.no_total", lang)]
    else:
        p3 = [_t("de.conclusion", lang, name=name, total=fmt_num(total), grade=_grade(grade, lang),
                 action=_action(action, lang) or "—", groups=gtext)]
    if r.get("rescaled"):
        p3.append(_t("de.rescaled", lang, n=len(r.get("not_applicable") or []),
                     w=fmt_num(r.get("applicable_weight"))))
    t3 = _table(_t("de.group_table", lang), groups,
                [(lambda x: gname(x["group"]), "de.group", None), ("weight", "weight", "0.00"),
                 ("applicable_weight", "de.applicable", "0.00"), ("score", "score", _F2)], lang)
    figs = []
    if figures and groups:
        figs.append(_figure(_hbars([gname(g["group"]) for g in groups],
                                   [g.get("score") for g in groups],
                                   [g.get("applicable_weight") for g in groups],
                                   title=_t("de.fig", lang), xlabel=label("axis.points", lang)),
                            _t("de.fig", lang)))
    inds = r.get("indicators") or []
    t4 = _table(_t("de.ind_table", lang), inds,
                [(lambda x: gname(x["group"]), "de.group", None),
                 (lambda x: _ind_name(x, lang), "indicator", None), ("weight", "weight", "0.00"),
                 ("value", "value", _F4), ("score", "score", _F2),
                 (lambda x: _msg(x, lang, "explanation"), "explanation", None)], lang)
    pf = r.get("portfolio") or {}
    p4 = [_t("de.portfolio", lang, n=pf.get("n_projects", 0), good=fmt_pct(pf.get("good_share")),
             ws=fmt_num(pf.get("weighted_score")))] if pf.get("n_projects") else []
    ded = r.get("deductions") or []
    b5 = [_msg(x, lang, "explanation") for x in ded] + \
        [_msg(x, lang, "explanation") for x in r.get("not_applicable") or []]
    recs = []
    if action:
        recs.append(_t("de.rec_action", lang, grade=_grade(grade, lang),
                       action=_action(action, lang)))
    recs += [_t("de.rec_ded", lang, name=_ind_name(x, lang)) for x in ded]
    b7 = [_msg(x, lang) for x in r.get("flags") or []]
    annex = _table(_t("de.annex_table", lang), inds,
                   [(lambda x: gname(x["group"]), "de.group", None),
                    (lambda x: _ind_name(x, lang), "indicator", None),
                    ("weight", "weight", "0.00"), ("score", "score", _F2),
                    ("deduction", "de.deduction", _F2), ("applicable", "de.applicable", None)],
                   lang)
    prof = r.get("profile") or {}
    return {
        "title": _t("de.title", lang, name=name, year=year),
        "meta": [[_t("code", lang), r.get("subject_id")], [_t("year", lang), year],
                 [_t("total_score", lang), fmt_num(total)],
                 [label("footer.grade", lang), _grade(grade, lang)],
                 [_t("action", lang), _action(action, lang) or "—"],
                 [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]],
        "sections": [
            _sec(_n1(1, lang) + _t("de.s1", lang), paragraphs=p1, tables=[t1]),
            _sec(_n1(2, lang) + _t("de.s2", lang), paragraphs=[_t("de.basis", lang)],
                 tables=[t2]),
            _sec(_n1(3, lang) + _t("de.s3", lang), paragraphs=p3, tables=[t3], figures=figs),
            _sec(_n1(4, lang) + _t("de.s4", lang), paragraphs=p4, tables=[t4]),
            _sec(_n1(5, lang) + _t("de.s5", lang), bullets=b5 or [_t("de.no_ded", lang)]),
            _sec(_n1(6, lang) + _t("de.s6", lang), bullets=recs or [_t("none", lang)]),
            _sec(_n1(7, lang) + _t("de.s7", lang), paragraphs=[_profile_note(r, lang)],
                 bullets=b7),
            _sec(_n1(8, lang) + _t("de.s8", lang), tables=[annex]),
        ]}


def department_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    inds = [{**x, "explanation": _msg(x, lang, "explanation"), "name": _ind_name(x, lang)}
            for x in results.get("indicators") or []]
    return {
        "指标" if lang == "zh" else "Indicators": _frame(inds, {
            "group": "de.group", "code": "code", "name": "indicator", "formula": "formula",
            "weight": "weight", "value": "value", "status": "状态" if lang == "zh" else "Status",
            "applicable": "de.applicable", "score": "score", "deduction": "de.deduction",
            "explanation": "explanation"}, lang),
        "一级指标" if lang == "zh" else "Groups": _frame(results.get("groups") or [], {
            "group": "de.group", "weight": "weight", "applicable_weight": "de.applicable",
            "score": "score"}, lang),
        "基本数据" if lang == "zh" else "Figures": pd.DataFrame(
            _fig_rows(results.get("basic_info") or {}, _DEPT_FIGS, lang)).rename(
            columns={"item": _t("de.figure", lang), "value": _t("value", lang)}),
    }


# =============================================================================================
# 7. townships (乡镇街道财政运行综合绩效评价) and transfers, domain.md §9.5 — design proposal
# =============================================================================================
TEXT.update({
    "tw.title_all": ("{year}年度乡镇街道财政运行综合绩效评价报告",
                     "Township fiscal-operation evaluation {year}"),
    "tw.title_one": ("{name}{year}年度财政运行综合绩效评价报告",
                     "Fiscal-operation evaluation {year}: {name}"),
    "tw.s1": ("基本情况", "Overview"), "tw.s2": ("评价工作开展情况", "How the evaluation was done"),
    "tw.s3": ("综合评价情况及评价结论", "Overall assessment and conclusion"),
    "tw.s4": ("评价指标分析和标杆比较", "Analysis by indicator and benchmarking"),
    "tw.s4.1": ("指标分析", "Indicators"), "tw.s4.2": ("标杆管理分析（DEA）", "Benchmarking (DEA)"),
    "tw.s5": ("存在的问题", "Problems"), "tw.s6": ("有关建议及转移支付分配",
                                                   "Recommendations and transfer allocation"),
    "tw.s7": ("其他需要说明的问题", "Other matters"), "tw.s8": ("附件", "Annex"),
    "tw.status": ("乡镇街道财政运行综合绩效评价未见正式指标体系，本报告采用可配置的设计方案（收入质量、预算执行、支出"
                  "结构、债务风险、库款保障、财政管理），各项权重和阈值均为规则文件中的可调默认值。",
                  "No official indicator set was found: this report uses perfkit's configurable "
                  "design proposal (revenue quality, budget execution, expenditure structure, "
                  "debt risk, treasury cover, fiscal management); every weight and threshold is "
                  "a default of the rule profile."),
    "tw.basis": ("依据《黔江区全面实施预算绩效管理的实施意见》第十条，对乡镇街道财政运行情况实施综合绩效评价，并按第十六条"
                 "将评价结果与转移支付分配挂钩。", "Under §十 of the Qianjiang 实施意见 the "
                 "townships' fiscal operation is evaluated, and under §十六 the result is linked "
                 "to transfer payments."),
    "tw.dea_method": ("标杆管理法：以数据包络分析（DEA，{rts}，{orient}）比较各乡镇街道的投入（{inputs}）与产出"
                      "（{outputs}），效率为1且无松弛的为标杆乡镇。", "Benchmarking: DEA ({rts}, "
                      "{orient}) of inputs ({inputs}) against outputs ({outputs}); a township "
                      "with efficiency 1 and no slack is a benchmark."),
    "tw.overview_all": ("本次评价 {n} 个乡镇街道，{year}年一般公共预算支出合计 {exp} 万元。",
                        "{n} townships evaluated; general expenditure {exp} (CNY 10k) in {year}."),
    "tw.overview_one": ("{name}（{id}）{year}年常住人口 {pop} 人，一般公共预算收入 {rev} 万元（其中税收 {tax} 万元），"
                        "一般公共预算支出 {exp} 万元，债务余额 {debt} 万元。",
                        "{name} ({id}), {year}: population {pop}; general revenue {rev} (tax "
                        "{tax}); expenditure {exp}; debt {debt} (CNY 10k)."),
    "tw.grades": ("综合得分平均 {mean} 分；等级分布：{dist}。", "Mean score {mean}; grades: {dist}."),
    "tw.one": ("{name}综合得分 {total} 分，评价等级为“{grade}”，在 {n} 个乡镇街道中排第 {rank} 位。",
               "{name} scored {total}, grade {grade}, ranked {rank} of {n}."),
    "tw.efficient": ("DEA 标杆乡镇街道：{ids}。", "DEA benchmarks: {ids}."),
    "tw.eff_one": ("DEA 效率值 {eff}{tail}。", "DEA efficiency {eff}{tail}."),
    "tw.eff_bench": ("，为标杆乡镇", "; a benchmark"),
    "tw.eff_peers": ("，可参照的标杆：{peers}", "; peers: {peers}"),
    "tw.alloc": ("转移支付资金池 {pool} 万元，其中基础部分 {base}、绩效部分 {perf}，绩效部分按{rule}分配，金额按最大余额"
                 "法取整至 0.01 万元，合计等于资金池。", "Pool {pool} (CNY 10k): base share "
                 "{base}, performance share {perf}; the performance part is split by {rule}; "
                 "amounts rounded to 0.01 by largest remainder and add up to the pool."),
    "tw.rule_prop": ("超过门槛分的得分比例", "score above the floor"),
    "tw.rule_grade": ("等级系数", "grade coefficients"),
    "tw.alloc_one": ("{name}分配转移支付 {amount} 万元（占 {share}）。", "{name} is allocated "
                     "{amount} (CNY 10k), {share} of the pool."),
    "tw.rec_low": ("对得分较低的乡镇街道（{ids}），督促其针对扣分指标整改。",
                   "Follow up the lowest-scoring townships ({ids}) on their deductions."),
    "tw.rec_ded": ("针对“{name}”扣分问题制定整改措施。", "Correct the causes of the deduction on "
                   "'{name}'."),
    "tw.list_table": ("表1 乡镇街道综合评价结果", "Table 1 Results by township"),
    "tw.dim_table": ("表 维度得分", "Table Scores by dimension"),
    "tw.ind_table": ("表 指标得分", "Table Indicator scores"),
    "tw.gap_table": ("表 与最优乡镇的差距", "Table Gap to the best township"),
    "tw.eff_table": ("表 DEA 效率和参照标杆", "Table DEA efficiency and peers"),
    "tw.alloc_table": ("表 转移支付分配", "Table Transfer allocation"),
    "tw.fig": ("图1 综合得分与 DEA 效率", "Figure 1 Score and DEA efficiency"),
    "tw.fig_one": ("图1 维度得分", "Figure 1 Scores by dimension"),
    "tw.eff": ("DEA效率", "DEA efficiency"), "tw.bench": ("标杆", "Benchmark"),
    "tw.peers": ("参照标杆", "Peers"), "tw.amount": ("分配金额（万元）", "Amount (CNY 10k)"),
    "tw.base_part": ("基础部分", "Base part"), "tw.perf_part": ("绩效部分", "Performance part"),
    "tw.gap": ("差距", "Gap"), "tw.best": ("最优", "Best"), "tw.best_ids": ("最优乡镇", "Best"),
    "tw.fraction": ("得分率", "Fraction"), "tw.rank": ("排名", "Rank"),
    "tw.township": ("乡镇街道", "Township"),
})
_DIM_EN = {"收入质量": "Revenue quality", "预算执行": "Budget execution",
           "支出结构": "Expenditure structure", "债务风险": "Debt risk", "库款保障": "Treasury cover",
           "财政管理": "Fiscal management", "综合得分": "Total"}
_TOWN_FIGS = (("population", "常住人口（人）", "Population"),
              ("general_revenue", "一般公共预算收入（万元）", "General revenue"),
              ("tax_revenue", "税收收入（万元）", "Tax revenue"),
              ("expenditure_budget", "支出预算数（万元）", "Expenditure budget"),
              ("expenditure", "一般公共预算支出（万元）", "Expenditure"),
              ("livelihood_expenditure", "民生支出（万元）", "Livelihood spending"),
              ("carryover_balance", "结转结余（万元）", "Carry-over"),
              ("debt_balance", "债务余额（万元）", "Debt"),
              ("debt_service", "还本付息额（万元）", "Debt service"),
              ("available_revenue", "综合财力（万元）", "Available revenue"),
              ("treasury_balance", "库款余额（万元）", "Treasury balance"),
              ("monthly_outlay", "月均库款支出（万元）", "Monthly outlay"),
              ("transfer_received", "上级转移支付（万元）", "Transfers received"))


def township_results(evaluation, allocation, township_id: str = "all") -> dict:
    """results.json of a township report: for ``"all"`` the district table (scores, grades, DEA
    efficiency, peers), the benchmarks and the transfer allocation; for one township its
    :meth:`TownshipResult.to_dict` plus its rank, its DEA standing and its allocation row."""
    tdf = evaluation.to_frame()
    order = tdf.sort_values(["total", "township_id"], ascending=[False, True], kind="stable",
                            na_position="last")
    rank = pd.Series(np.arange(1, len(order) + 1), index=order["township_id"].to_numpy())
    alloc = allocation.to_dict()
    alloc_table = jsonable(allocation.to_frame())
    grades = {str(k): int(v) for k, v in tdf["grade"].value_counts().items()}
    common = {"report": "township_evaluation", "status": evaluation.status,
              "benchmark_spec": jsonable(evaluation.benchmark_spec),
              "efficient": list(evaluation.efficient), "notes": list(evaluation.notes),
              "n_townships": int(len(tdf)),
              "allocation": {k: jsonable(v) for k, v in alloc.items() if k != "table"},
              "allocation_table": alloc_table}
    if str(township_id) == "all":
        cols = ["township_id", "name", "population", "total", "grade", "efficiency",
                "dea_efficient", "peers", "flag_codes", *_DIM_EN.keys()]
        towns = tdf.reindex(columns=[c for c in cols if c in tdf.columns])
        towns = towns.assign(rank=rank.reindex(towns["township_id"]).to_numpy())
        return {"subject_id": "all", "subject_type": "townships",
                "name": f"{evaluation.year}年度乡镇街道财政运行综合绩效评价", "year": int(evaluation.year),
                "profile": dict(evaluation.profile), **common,
                "mean_total": jsonable(tdf["total"].mean()), "grades": grades,
                "total_expenditure": jsonable(pd.to_numeric(
                    evaluation.figures["expenditure"], errors="coerce").sum()),
                "townships": jsonable(towns), "dimensions": jsonable(evaluation.dimensions),
                "gaps": jsonable(evaluation.gaps)}
    tid = str(township_id)
    d = evaluation.township(tid).to_dict()
    row = [x for x in alloc_table if x["township_id"] == tid]
    return {**d, **common, "rank": int(rank[tid]), "allocation_row": row[0] if row else None,
            "mean_total": jsonable(tdf["total"].mean()), "grades": grades}


def _rts_text(spec: Mapping, lang: str) -> tuple[str, str]:
    rts = {"crs": ("规模报酬不变", "constant returns"), "vrs": ("规模报酬可变", "variable returns")}
    ori = {"input": ("投入导向", "input-oriented"), "output": ("产出导向", "output-oriented")}
    k = lang == "en"
    return rts.get(spec.get("rts"), (spec.get("rts"),) * 2)[k], \
        ori.get(spec.get("orientation"), (spec.get("orientation"),) * 2)[k]


def _col_names(cols: Iterable[str], lang: str) -> str:
    from ..model.schema import TOWNSHIPS
    names = []
    for c in cols:
        try:
            names.append(TOWNSHIPS.column(c).zh if lang == "zh" else c)
        except KeyError:
            names.append(c)
    return _join(names, lang)


def township_outline(results: Mapping, *, lang: str = "zh", figures: bool = True) -> dict:
    """The township report (乡镇街道财政运行综合绩效评价报告, design proposal), for one township or
    for all (``subject_id == "all"``), with the DEA benchmarking and the transfer allocation."""
    _check_lang(lang)
    r = results
    year = r.get("year")
    spec = r.get("benchmark_spec") or {}
    rts, ori = _rts_text(spec, lang)
    al = r.get("allocation") or {}
    at = r.get("allocation_table") or []
    dn = (lambda d: d) if lang == "zh" else (lambda d: _DIM_EN.get(d, d))
    p2 = [_t("tw.basis", lang), _t("design", lang, what=_t("tw.status", lang)),
          _t("tw.dea_method", lang, rts=rts, orient=ori, inputs=_col_names(spec.get("inputs")
                                                                           or [], lang),
             outputs=_col_names(spec.get("outputs") or [], lang))]
    rule = _t("tw.rule_prop", lang) if al.get("rule") == "proportional_to_score" \
        else _t("tw.rule_grade", lang)
    p6 = [_t("tw.alloc", lang, pool=fmt_num(al.get("pool_allocated")),
             base=fmt_pct(al.get("base_share")), perf=fmt_pct(al.get("performance_share")),
             rule=rule)]
    p6 += [_msg(f, lang) for f in al.get("flags") or []]
    t_alloc = _table(_t("tw.alloc_table", lang), at,
                     [("township_id", "code", None), ("name", "tw.township", None),
                      ("total", "total_score", _F2), (lambda x: _grade(x.get("grade"), lang),
                                                      "grade", None),
                      ("base_part", "tw.base_part", _MONEY),
                      ("performance_part", "tw.perf_part", _MONEY),
                      ("amount", "tw.amount", _MONEY), ("share", "share", "0.00%")], lang)
    prof = r.get("profile") or {}
    if r.get("subject_id") == "all":
        towns = sorted(r.get("townships") or [], key=lambda x: x.get("rank") or 9999)
        dist = _join([f"{_grade(g, lang)} {n}" for g, n in (r.get("grades") or {}).items()], lang)
        p1 = [_t("tw.overview_all", lang, n=r.get("n_townships"), year=year,
                 exp=fmt_num(r.get("total_expenditure")))]
        p3 = [_t("tw.grades", lang, mean=fmt_num(r.get("mean_total")), dist=dist),
              _t("tw.efficient", lang, ids=_join(r.get("efficient") or ["—"], lang))]
        t3 = _table(_t("tw.list_table", lang), towns,
                    [("rank", "tw.rank", "0"), ("township_id", "code", None),
                     ("name", "tw.township", None), ("total", "total_score", _F2),
                     (lambda x: _grade(x.get("grade"), lang), "grade", None)], lang)
        figs = []
        if figures and towns:
            figs.append(_figure(_scatter([x.get("total") for x in towns],
                                         [x.get("efficiency") for x in towns],
                                         highlight=[bool(x.get("dea_efficient")) for x in towns],
                                         labels=[x.get("name") for x in towns],
                                         title=_t("tw.fig", lang),
                                         xlabel=_t("total_score", lang),
                                         ylabel=_t("tw.eff", lang)), _t("tw.fig", lang)))
        dim_names = [d for d in _DIM_EN if d != "综合得分" and any(d in x for x in towns)]
        t41 = _table(_t("tw.dim_table", lang), towns,
                     [("township_id", "code", None), ("name", "tw.township", None)]
                     + [(d, dn(d), _F2) for d in dim_names] + [("total", "total_score", _F2)],
                     lang)
        t42 = _table(_t("tw.eff_table", lang), towns,
                     [("township_id", "code", None), ("name", "tw.township", None),
                      ("efficiency", "tw.eff", "0.000"), ("dea_efficient", "tw.bench", None),
                      ("peers", "tw.peers", None)], lang)
        gap_total = [g for g in r.get("gaps") or [] if g.get("dimension") == "综合得分"]
        t8 = _table(_t("tw.gap_table", lang), gap_total,
                    [("township_id", "code", None), ("fraction", "tw.fraction", _F1P),
                     ("best", "tw.best", _F1P), ("best_townships", "tw.best_ids", None),
                     ("gap", "tw.gap", _F1P)], lang)
        low = [x for x in towns if x.get("grade") in ("中", "差")]
        recs = [_t("tw.rec_low", lang, ids=_join([x["name"] for x in low], lang))] if low else []
        title = _t("tw.title_all", lang, year=year)
        meta = [[_t("year", lang), year], [_t("tw.township", lang), r.get("n_townships")],
                [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]]
        sections = [
            _sec(_n1(1, lang) + _t("tw.s1", lang), paragraphs=p1),
            _sec(_n1(2, lang) + _t("tw.s2", lang), paragraphs=p2),
            _sec(_n1(3, lang) + _t("tw.s3", lang), paragraphs=p3, tables=[t3], figures=figs),
            _sec(_n1(4, lang) + _t("tw.s4", lang), sections=[
                _sec(_n2(1, lang) + _t("tw.s4.1", lang), level=2, tables=[t41]),
                _sec(_n2(2, lang) + _t("tw.s4.2", lang), level=2, paragraphs=[p3[-1]],
                     tables=[t42])]),
            _sec(_n1(5, lang) + _t("tw.s5", lang), bullets=[
                f"{x['name']}：{_grade(x.get('grade'), lang)}" for x in low]
                or [_t("none", lang)]),
            _sec(_n1(6, lang) + _t("tw.s6", lang), paragraphs=p6, bullets=recs,
                 tables=[t_alloc]),
            _sec(_n1(7, lang) + _t("tw.s7", lang), paragraphs=[_profile_note(r, lang)]
                 + list(r.get("notes") or [])),
            _sec(_n1(8, lang) + _t("tw.s8", lang), tables=[t8]),
        ]
    else:
        name = str(r.get("name") or r.get("subject_id"))
        f = r.get("basic_info") or {}
        p1 = [_t("tw.overview_one", lang, name=name, id=r.get("subject_id"), year=year,
                 pop=fmt_num(f.get("population"), 0), rev=fmt_num(f.get("general_revenue")),
                 tax=fmt_num(f.get("tax_revenue")), exp=fmt_num(f.get("expenditure")),
                 debt=fmt_num(f.get("debt_balance")))]
        t1 = _table(None, _fig_rows(f, _TOWN_FIGS, lang, text=True),
                    [("item", "de.figure", None), ("value", "value", None)], lang)
        total, grade = r.get("total"), r.get("grade")
        p3 = [_t("tw.one", lang, name=name, total=fmt_num(total), grade=_grade(grade, lang),
                 n=r.get("n_townships"), rank=r.get("rank"))]
        if r.get("rescaled"):
            p3.append(_t("de.rescaled", lang, n=len(r.get("not_applicable") or []),
                         w=fmt_num(r.get("applicable_weight"))))
        dims = r.get("dimensions") or []
        t3 = _table(_t("tw.dim_table", lang), dims,
                    [(lambda x: dn(x["dimension"]), "dimension", None),
                     ("weight", "weight", "0.00"), ("score", "score", _F2),
                     ("fraction", "tw.fraction", _F1P)], lang)
        figs = []
        if figures and dims:
            figs.append(_figure(_hbars([dn(x["dimension"]) for x in dims],
                                       [x.get("score") for x in dims],
                                       [x.get("applicable_weight") for x in dims],
                                       title=_t("tw.fig_one", lang),
                                       xlabel=label("axis.points", lang)),
                                _t("tw.fig_one", lang)))
        inds = r.get("indicators") or []
        t41 = _table(_t("tw.ind_table", lang), inds,
                     [(lambda x: dn(x["dimension"]), "dimension", None),
                      (lambda x: _ind_name(x, lang), "indicator", None),
                      ("weight", "weight", "0.00"), ("value", "value", _F4),
                      ("score", "score", _F2),
                      (lambda x: _msg(x, lang, "explanation"), "explanation", None)], lang)
        b = r.get("benchmark") or {}
        tail = _t("tw.eff_bench", lang) if b.get("dea_efficient") else (
            _t("tw.eff_peers", lang, peers=_join(b.get("peers") or [], lang))
            if b.get("peers") else "")
        p42 = [_t("tw.eff_one", lang, eff=fmt_num(b.get("efficiency"), 3), tail=tail)]
        t42 = _table(_t("tw.gap_table", lang), r.get("gaps") or [],
                     [(lambda x: dn(x["dimension"]), "dimension", None),
                      ("fraction", "tw.fraction", _F1P), ("best", "tw.best", _F1P),
                      ("best_townships", "tw.best_ids", None), ("gap", "tw.gap", _F1P)], lang)
        row = r.get("allocation_row") or {}
        p6 = p6 + ([_t("tw.alloc_one", lang, name=name, amount=fmt_num(row.get("amount")),
                       share=fmt_pct(row.get("share"), 2))] if row else [])
        ded = r.get("deductions") or []
        title = _t("tw.title_one", lang, name=name, year=year)
        meta = [[_t("code", lang), r.get("subject_id")], [_t("year", lang), year],
                [_t("total_score", lang), fmt_num(total)],
                [label("footer.grade", lang), _grade(grade, lang)],
                [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]]
        sections = [
            _sec(_n1(1, lang) + _t("tw.s1", lang), paragraphs=p1, tables=[t1]),
            _sec(_n1(2, lang) + _t("tw.s2", lang), paragraphs=p2),
            _sec(_n1(3, lang) + _t("tw.s3", lang), paragraphs=p3, tables=[t3], figures=figs),
            _sec(_n1(4, lang) + _t("tw.s4", lang), sections=[
                _sec(_n2(1, lang) + _t("tw.s4.1", lang), level=2, tables=[t41]),
                _sec(_n2(2, lang) + _t("tw.s4.2", lang), level=2, paragraphs=p42,
                     tables=[t42])]),
            _sec(_n1(5, lang) + _t("tw.s5", lang), bullets=[_msg(x, lang, "explanation")
                                                            for x in ded] or [_t("none", lang)]),
            _sec(_n1(6, lang) + _t("tw.s6", lang), paragraphs=p6,
                 bullets=[_t("tw.rec_ded", lang, name=_ind_name(x, lang)) for x in ded],
                 tables=[t_alloc]),
            _sec(_n1(7, lang) + _t("tw.s7", lang), paragraphs=[_profile_note(r, lang)],
                 bullets=[_msg(x, lang) for x in r.get("flags") or []]),
            _sec(_n1(8, lang) + _t("tw.s8", lang), tables=[_table(
                _t("tw.ind_table", lang), inds,
                [(lambda x: dn(x["dimension"]), "dimension", None),
                 (lambda x: _ind_name(x, lang), "indicator", None),
                 ("formula", "formula", None), ("weight", "weight", "0.00"),
                 ("score", "score", _F2)], lang)]),
        ]
    return {"title": title, "subtitle": "（设计方案）" if lang == "zh" else "(design proposal)",
            "meta": meta, "sections": sections}


def township_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    out = {"转移支付" if lang == "zh" else "Transfers": _frame(
        results.get("allocation_table") or [], {
            "township_id": "code", "name": "tw.township", "total": "total_score",
            "grade": "grade", "base_key": "基础因素" if lang == "zh" else "Base key",
            "performance_weight": "绩效权重" if lang == "zh" else "Performance weight",
            "base_part": "tw.base_part", "performance_part": "tw.perf_part",
            "quota": "精确额度" if lang == "zh" else "Quota", "amount": "tw.amount",
            "share": "share"}, lang)}
    if results.get("subject_id") == "all":
        out["乡镇街道" if lang == "zh" else "Townships"] = _frame(results.get("townships") or [], {
            "rank": "tw.rank", "township_id": "code", "name": "tw.township",
            "population": "常住人口" if lang == "zh" else "Population", "total": "total_score",
            "grade": "grade", "efficiency": "tw.eff", "dea_efficient": "tw.bench",
            "peers": "tw.peers", **{d: d if lang == "zh" else _DIM_EN[d] for d in _DIM_EN
                                    if d != "综合得分"}}, lang)
        out["差距" if lang == "zh" else "Gaps"] = _frame(results.get("gaps") or [], {
            "township_id": "code", "dimension": "dimension", "fraction": "tw.fraction",
            "best": "tw.best", "best_townships": "tw.best_ids", "gap": "tw.gap"}, lang)
    else:
        inds = [{**x, "explanation": _msg(x, lang, "explanation"), "name": _ind_name(x, lang)}
                for x in results.get("indicators") or []]
        out["指标" if lang == "zh" else "Indicators"] = _frame(inds, {
            "dimension": "dimension", "code": "code", "name": "indicator", "formula": "formula",
            "weight": "weight", "value": "value", "applicable": "de.applicable",
            "score": "score", "explanation": "explanation"}, lang)
        out["差距" if lang == "zh" else "Gaps"] = _frame(results.get("gaps") or [], {
            "dimension": "dimension", "fraction": "tw.fraction", "best": "tw.best",
            "best_townships": "tw.best_ids", "gap": "tw.gap"}, lang)
    return out


# =============================================================================================
# 8. result application (结果应用), domain.md §7
# =============================================================================================
TEXT.update({
    "ap.title": ("{year}年度绩效评价结果应用报告", "Application of evaluation results, {year}"),
    "ap.s1": ("评价结果概况", "Results"),
    "ap.s2": ("评价结果与预算安排挂钩", "Linking results to the budget"),
    "ap.s3": ("长期沉淀资金", "Sedimented funds"),
    "ap.s4": ("交叉重复项目", "Overlapping projects"),
    "ap.s5": ("{year}年预算安排建议", "Budget proposal for {year}"),
    "ap.s6": ("其他需要说明的问题", "Other matters"),
    "ap.overview": ("{year}年度 {n} 个项目完成绩效自评，预算合计 {budget} 万元。等级分布：{dist}。",
                    "{n} projects self-evaluated in {year}, budget {budget} (CNY 10k). Grades: "
                    "{dist}."),
    "ap.grade_table": ("表1 评价等级与资金", "Table 1 Grades and money"),
    "ap.fig": ("图1 各评价等级的本年拨款", "Figure 1 Appropriation by grade"),
    "ap.basis": ("依据《黔江区全面实施预算绩效管理的实施意见》第十六条：对绩效好的政策和项目原则上优先保障，对绩效一般的"
                 "督促改进，对交叉重复、碎片化的予以调整，对低效无效资金一律削减或取消，对长期沉淀的资金一律收回。"
                 "处理方向按规则 {profile} 确定：{rules}。", "Under §十六 of the Qianjiang 实施意见: "
                 "good performers get priority, average ones must improve, overlapping ones are "
                 "adjusted, ineffective funds are cut or cancelled, sedimented funds recalled. "
                 "Actions by profile {profile}: {rules}."),
    "ap.action_table": ("表2 处理方向汇总", "Table 2 Actions"),
    "ap.idle_rule": ("认定标准：连续 {k} 年执行率低于 {thr} 且上年结转资金逐年增加（超过 {minc} 万元），收回当年结余。",
                     "Rule: {k} consecutive years with execution below {thr} and a carry-over "
                     "that grows every year (above {minc}); the year's balance is recalled."),
    "ap.idle": ("认定长期沉淀资金项目 {n} 个，建议收回 {amount} 万元。", "{n} project(s) with "
                "sedimented funds; recall {amount} (CNY 10k)."),
    "ap.idle_table": ("表3 长期沉淀资金项目", "Table 3 Sedimented funds"),
    "ap.overlap_rule": ("比对不同部门项目的名称、年度目标和三级指标（字符二元组 TF-IDF 余弦相似度，阈值 {thr}）。",
                        "Names, objectives and indicators of different departments' projects "
                        "compared (character-bigram TF-IDF cosine, threshold {thr})."),
    "ap.overlap": ("发现疑似交叉重复项目 {n} 对，建议调整整合。", "{n} pair(s) of possibly "
                   "overlapping projects: adjust or merge."),
    "ap.overlap_table": ("表4 疑似交叉重复项目", "Table 4 Possibly overlapping projects"),
    "ap.proposal": ("下年度预算安排建议表共 {n} 个项目，本年财政拨款 {cur} 万元。{amount}",
                    "The proposal lists {n} projects with this year's appropriation {cur} (CNY "
                    "10k). {amount}"),
    "ap.proposed": ("按设定的压减比例，建议安排 {prop} 万元，较本年减少 {cut} 万元。",
                    "With the cut percentages set, the proposal is {prop}, {cut} less."),
    "ap.prop_table": ("表5 需调整的项目（处理方向为改进、压缩、削减或取消，或有沉淀、重复提示）",
                      "Table 5 Projects to adjust (improve, cut or cancel; sedimented or "
                      "overlapping)"),
    "ap.cur": ("本年拨款（万元）", "Appropriation"), "ap.prop": ("建议安排（万元）", "Proposed"),
    "ap.change": ("增减（万元）", "Change"), "ap.actions": ("全部处理方向", "Actions"),
    "ap.recall": ("收回金额（万元）", "Recall"), "ap.similarity": ("相似度", "Similarity"),
    "ap.shared": ("共同指标", "Shared indicators"), "ap.share_budget": ("资金占比", "Share of money"),
    "ap.share_projects": ("项目占比", "Share of projects"),
    "ap.carry": ("本年上年结转（万元）", "Carry-over, last year"),
    "ap.carry_first": ("首年上年结转（万元）", "Carry-over, first year"), "ap.balance": ("结余（万元）", "Balance"),
    "ap.flags": ("提示", "Flags"), "ap.with": ("重复对象", "Overlaps with"),
})
TEXT.update({
    "ap.title_dept": ("{dept}{year}年度绩效评价结果应用报告",
                      "Application of evaluation results, {dept}, {year}"),
    "ap.name": ("{year}年度绩效评价结果应用", "Application of evaluation results, {year}"),
    "ap.name_dept": ("{dept}{year}年度绩效评价结果应用",
                     "Application of evaluation results, {dept}, {year}"),
    "ap.overview_dept": ("{dept}{year}年度 {n} 个项目完成绩效自评，预算合计 {budget} 万元。等级分布：{dist}。",
                         "{dept}: {n} projects self-evaluated in {year}, budget {budget} (CNY "
                         "10k). Grades: {dist}."),
    "ap.overlap_dept": ("发现涉及本部门项目的疑似交叉重复 {n} 对（比对范围为全区各部门项目；表中 A 为本部门项目，B 为"
                        "其他部门的项目），建议调整整合。", "{n} pair(s) of possibly overlapping "
                        "projects involve this department (compared with every department's "
                        "projects; A is this department's project, B the other's): adjust or "
                        "merge."),
    "ap.scope_dept": ("本报告范围：{dept}的项目。", "Scope: the projects of {dept}."),
})
_ADJUST = ("改进", "压缩", "削减或取消", "取消", "督促改进")


def application_results(proposal, idle, overlap, subject_id: str, *,
                        profile: Any = "national") -> dict:
    """results.json of a result-application report: the proposal table, the sedimented funds
    and the overlap pairs, with totals by grade and by action (counts and money), and the
    profile's ``application.grade_action``.

    For one department (``proposal.department`` set by ``budget_proposal(department=...)``) the
    subject type is ``department`` and ``department_id`` / ``department`` name it; ``idle`` and
    ``overlap`` must have been computed for the same department.

    Raises
    ------
    InputError
        ``idle`` or ``overlap`` was computed for another scope than the proposal.
    """
    from ..errors import InputError
    from ..rules import load_profile
    scope = getattr(proposal, "department", None)
    for arg, other in (("idle", idle), ("overlap", overlap)):
        if getattr(other, "department", None) != scope:
            raise InputError("must be computed for the same department as the proposal "
                             f"(department={(scope or {}).get('department_id')!r})",
                             argument=arg, value=(getattr(other, "department", None) or {})
                             .get("department_id"))
    t = proposal.to_frame()
    cur = t["current_budget"].astype(float)
    by_grade = t.assign(_g=t["grade"].fillna("（无等级）")).groupby("_g", sort=False).agg(
        n_projects=("project_id", "size"), current_budget=("current_budget", "sum"))
    order = [g for g in ("优", "良", "中", "差") if g in by_grade.index] + \
        [g for g in by_grade.index if g not in ("优", "良", "中", "差")]
    by_grade = by_grade.reindex(order).rename_axis("grade").reset_index()
    tot = float(cur.sum())
    by_grade["share_projects"] = by_grade["n_projects"] / len(t)
    by_grade["share_budget"] = by_grade["current_budget"] / tot if tot > 0 else np.nan
    by_action = t.assign(_a=t["action"].fillna("（无）")).groupby("_a", sort=False).agg(
        n_projects=("project_id", "size"), current_budget=("current_budget", "sum"),
        proposed_amount=("proposed_amount", lambda s: s.sum(min_count=1)))
    grade_action = load_profile(profile).get("application.grade_action")
    first = list(dict.fromkeys(grade_action.values()))          # 优先保障, 保障, 改进, …
    by_action = by_action.reindex(first + [a for a in by_action.index if a not in first]) \
        .dropna(subset=["n_projects"])
    by_action["n_projects"] = by_action["n_projects"].astype(int)
    by_action = by_action.rename_axis("action").reset_index()
    idle_p = idle.to_frame()
    idle_rows = idle_p[idle_p["idle"]]
    totals = {"n_projects": int(len(t)), "current_budget": tot,
              "proposed_amount": jsonable(t["proposed_amount"].sum(min_count=1)),
              "change": jsonable(t["change"].sum(min_count=1)),
              "n_idle": int(len(idle_rows)),
              "recall_amount": float(pd.to_numeric(idle_rows["recall_amount"]).sum()),
              "n_overlap_pairs": int(len(overlap.pairs))}
    dept = {"department_id": scope.get("department_id"), "department": scope.get("department")} \
        if scope else {}
    name = _t("ap.name_dept", "zh", dept=scope.get("department"), year=proposal.year) if scope \
        else _t("ap.name", "zh", year=proposal.year)
    return {"subject_id": str(subject_id), "subject_type": "department" if scope else "district",
            "name": name, **dept, "report": "results_application",
            "year": int(proposal.year), "proposal_year": int(proposal.year) + 1,
            "profile": dict(proposal.profile), "amounts_set": bool(proposal.amounts_set),
            "grade_action": jsonable(grade_action),
            "note": proposal.note, "note_en": proposal.note_en, "totals": totals,
            "by_grade": jsonable(by_grade), "by_action": jsonable(by_action),
            "idle_rule": jsonable(idle.rule), "idle": jsonable(idle_rows.reset_index(drop=True)),
            "overlap_threshold": float(overlap.threshold),
            "overlap_fields": jsonable(overlap.fields),
            "overlap": jsonable(overlap.to_frame()), "proposal": jsonable(t)}


def application_outline(results: Mapping, *, lang: str = "zh", figures: bool = True) -> dict:
    """The result-application report (绩效评价结果应用报告): grades → actions, sedimented funds,
    overlaps and next year's proposal."""
    _check_lang(lang)
    r = results
    year, tot = r.get("year"), r.get("totals") or {}
    dept = r.get("department") if r.get("subject_type") == "department" else None
    bg = r.get("by_grade") or []
    dist = _join([f"{_grade(x['grade'], lang)} {x['n_projects']}" for x in bg], lang)
    p1 = [_t("ap.overview_dept" if dept else "ap.overview", lang, year=year, dept=dept,
             n=tot.get("n_projects"), budget=fmt_num(tot.get("current_budget")), dist=dist)]
    did = r.get("department_id")
    dept_label = (f"{dept}（{did}）" if lang == "zh" else f"{dept} ({did})") \
        if dept and did and did != dept else dept
    if dept:
        p1.append(_t("ap.scope_dept", lang, dept=dept_label))
    t1 = _table(_t("ap.grade_table", lang), bg,
                [(lambda x: _grade(x["grade"], lang), "grade", None),
                 ("n_projects", "n_projects", "0"), ("share_projects", "ap.share_projects", _F1P),
                 ("current_budget", "ap.cur", _MONEY), ("share_budget", "ap.share_budget", _F1P)],
                lang)
    figs = []
    if figures and bg:
        figs.append(_figure(_hbars([_grade(x["grade"], lang) for x in bg],
                                   [x["current_budget"] for x in bg], None,
                                   title=_t("ap.fig", lang), xlabel=_t("ap.cur", lang)),
                            _t("ap.fig", lang)))
    prof = r.get("profile") or {}
    ga = r.get("grade_action") or {}
    rules = _join([f"{g}→{_action(a, lang)}" for g, a in ga.items()], lang) if ga else \
        _join([f"{_action(x['action'], lang)}" for x in r.get("by_action") or []], lang)
    p2 = [_t("ap.basis", lang, profile=prof.get("id"), rules=rules), _msg(r, lang, "note")]
    t2 = _table(_t("ap.action_table", lang), r.get("by_action") or [],
                [("action", "action", None), ("n_projects", "n_projects", "0"),
                 ("current_budget", "ap.cur", _MONEY),
                 ("proposed_amount", "ap.prop", _MONEY)], lang)
    ir = r.get("idle_rule") or {}
    idle = r.get("idle") or []
    p3 = [_t("ap.idle_rule", lang, k=ir.get("min_years"), thr=fmt_pct(ir.get("execution_below"), 0),
             minc=fmt_num(ir.get("min_carryover"))),
          _t("ap.idle", lang, n=tot.get("n_idle", 0), amount=fmt_num(tot.get("recall_amount")))]
    t3 = _table(_t("ap.idle_table", lang), idle,
                [("project_id", "project_id", None), ("name", "project_name", None),
                 ("department", "department", None), ("execution_rate", "execution_rate", _F1P),
                 ("carryover_first", "ap.carry_first", _MONEY),
                 ("carryover", "ap.carry", _MONEY), ("recall_amount", "ap.recall", _MONEY)],
                lang)
    ov = r.get("overlap") or []
    p4 = [_t("ap.overlap_rule", lang, thr=f"{as_number(r.get('overlap_threshold')) or 0:g}"),
          _t("ap.overlap_dept" if dept else "ap.overlap", lang,
             n=tot.get("n_overlap_pairs", 0))]
    t4 = _table(_t("ap.overlap_table", lang), ov,
                [("project_id_a", "project_id", None), ("name_a", "project_name", None),
                 ("department_a", "department", None), ("project_id_b", "project_id", None),
                 ("name_b", "project_name", None), ("department_b", "department", None),
                 ("similarity", "ap.similarity", "0.000"), ("shared_indicators", "ap.shared",
                                                             None)], lang)
    t4["columns"] = [c + (" A" if i in (0, 1, 2) else " B" if i in (3, 4, 5) else "")
                     for i, c in enumerate(t4["columns"])]
    prop = r.get("proposal") or []
    amount = _t("ap.proposed", lang, prop=fmt_num(tot.get("proposed_amount")),
                cut=fmt_num(-(as_number(tot.get("change")) or 0.0))) if r.get("amounts_set") \
        else _msg(r, lang, "note")
    p5 = [_t("ap.proposal", lang, n=tot.get("n_projects"), cur=fmt_num(tot.get("current_budget")),
             amount=amount)]
    adj = [x for x in prop if x.get("action") in _ADJUST or x.get("flag_codes")]
    adj_rows, note = _truncate(adj, lang)
    t5 = _table(_t("ap.prop_table", lang), adj_rows,
                [("project_id", "project_id", None), ("name", "project_name", None),
                 ("department", "department", None), ("total", "score", _F2),
                 (lambda x: _grade(x.get("grade"), lang), "grade", None),
                 ("current_budget", "ap.cur", _MONEY), ("actions", "ap.actions", None),
                 ("proposed_amount", "ap.prop", _MONEY), ("recall_amount", "ap.recall", _MONEY)],
                lang)
    return {
        "title": _t("ap.title_dept", lang, dept=dept, year=year) if dept
        else _t("ap.title", lang, year=year),
        "meta": [[_t("code", lang), r.get("subject_id")], [_t("year", lang), year],
                 *([[_t("department", lang), dept_label]] if dept else []),
                 [_t("n_projects", lang), tot.get("n_projects")],
                 [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]],
        "sections": [
            _sec(_n1(1, lang) + _t("ap.s1", lang), paragraphs=p1, tables=[t1], figures=figs),
            _sec(_n1(2, lang) + _t("ap.s2", lang), paragraphs=p2, tables=[t2]),
            _sec(_n1(3, lang) + _t("ap.s3", lang), paragraphs=p3, tables=[t3] if idle else []),
            _sec(_n1(4, lang) + _t("ap.s4", lang), paragraphs=p4, tables=[t4] if ov else []),
            _sec(_n1(5, lang) + _t("ap.s5", lang, year=r.get("proposal_year")),
                 paragraphs=p5 + note, tables=[t5] if adj else []),
            _sec(_n1(6, lang) + _t("ap.s6", lang), paragraphs=[_profile_note(r, lang)]),
        ]}


def application_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    return {
        "预算安排建议" if lang == "zh" else "Proposal": _frame(results.get("proposal") or [], {
            "project_id": "project_id", "name": "project_name", "department": "department",
            "current_budget": "ap.cur", "total": "score", "grade": "grade", "action": "action",
            "flag_codes": "ap.flags", "overlap_with": "ap.with", "recall_amount": "ap.recall",
            "actions": "ap.actions", "cut_percent": "压减比例（%）" if lang == "zh"
            else "Cut (%)", "proposed_amount": "ap.prop", "change": "ap.change"}, lang),
        "沉淀资金" if lang == "zh" else "Sedimented": _frame(results.get("idle") or [], {
            "project_id": "project_id", "name": "project_name", "department": "department",
            "execution_rate": "execution_rate", "carryover_first": "ap.carry_first",
            "carryover": "ap.carry", "balance": "ap.balance", "recall_amount": "ap.recall"},
            lang),
        "交叉重复" if lang == "zh" else "Overlaps": pd.DataFrame(results.get("overlap") or []),
        "等级" if lang == "zh" else "Grades": _frame(results.get("by_grade") or [], {
            "grade": "grade", "n_projects": "n_projects", "current_budget": "ap.cur",
            "share_budget": "ap.share_budget"}, lang),
    }


# =============================================================================================
# 9. district portfolio (绩效信息报告, 公开版) and the departments' assessment (考核)
# =============================================================================================
TEXT.update({
    "pf.title": ("{year}年度预算绩效管理情况报告", "Budget performance report, {year}"),
    "pf.title_public": ("{year}年度预算绩效信息公开", "Budget performance information, {year}"),
    "pf.subtitle": ("（报区人大常委会）", "(for the People's Congress)"),
    "pf.subtitle_public": ("（公开版）", "(public version)"),
    "pf.s1": ("总体情况", "Overview"),
    "pf.s2": ("评价结果分布", "Distribution of results"),
    "pf.s2.1": ("按部门", "By department"), "pf.s2.2": ("按预算类型", "By budget type"),
    "pf.s2.3": ("按行业领域", "By sector"),
    "pf.s3": ("资金与评价等级", "Money by grade"),
    "pf.s4": ("结果应用情况", "Result application"),
    "pf.s5": ("部门预算绩效管理工作考核", "Assessment of the departments' performance work"),
    "pf.s6": ("第三方评价与利益冲突检查", "Third parties and conflicts of interest"),
    "pf.s7": ("其他需要说明的问题", "Other matters"),
    "pf.overview": ("依据《黔江区全面实施预算绩效管理的实施意见》第十条、第十八条，现将{year}年度预算绩效管理情况报告如下："
                    "全区 {n} 个项目完成绩效自评，预算合计 {budget} 万元，执行 {exe} 万元，执行率 {rate}；"
                    "评价等级为优 {a} 个、良 {b} 个、中 {c} 个、差 {d} 个，按预算加权平均得分 {wt} 分。",
                    "Under §十 and §十八 of the Qianjiang 实施意见: {n} projects were "
                    "self-evaluated in {year}, budget {budget}, spent {exe} (CNY 10k), "
                    "execution {rate}; grades excellent {a}, good {b}, average {c}, poor {d}; "
                    "budget-weighted mean score {wt}."),
    "pf.dept_table": ("表1 分部门评价结果", "Table 1 Results by department"),
    "pf.bt_table": ("表2 分预算类型评价结果", "Table 2 Results by budget type"),
    "pf.sector_table": ("表3 分行业领域评价结果", "Table 3 Results by sector"),
    "pf.grade_table": ("表4 资金按评价等级分布", "Table 4 Money by grade"),
    "pf.money": ("评价为优的项目资金 {a} 万元，占 {sa}；评价为中、差的项目资金 {c} 万元，占 {sc}。",
                 "Projects graded excellent hold {a} (CNY 10k), {sa} of the money; average "
                 "or poor {c}, {sc}."),
    "pf.fig": ("图1 分部门评价等级分布", "Figure 1 Grades by department"),
    "pf.app": ("按评价等级确定处理方向（见表5）；{note} 疑似交叉重复项目 {ov} 个，长期沉淀资金项目 {idle} 个，"
               "建议收回 {recall} 万元。", "Actions follow the grades (Table 5); {note} {ov} "
               "project(s) possibly overlapping, {idle} with sedimented funds, recall {recall} "
               "(CNY 10k)."),
    "pf.action_table": ("表5 结果应用处理方向", "Table 5 Actions"),
    "pf.assess_intro": ("依据第十九条，区财政局对区级各部门预算绩效管理工作情况进行考核。考核得分 = 100 × 各项加权平均："
                        "{components}（权重 {weights}）；不适用的项目不计入。",
                        "Under §十九 the finance bureau assesses each department's performance "
                        "work. Score = 100 × the weighted mean of {components} (weights "
                        "{weights}); components not applicable are left out."),
    "pf.assess_design": ("考核指标体系未见正式文件，本考核为简单综合的设计方案，仅供参考。",
                         "No official assessment indicator set was found; this simple "
                         "composite is a design proposal, for reference only."),
    "pf.assess_top": ("考核得分最高的部门：{top}；最低的部门：{bottom}。", "Highest: {top}; "
                      "lowest: {bottom}."),
    "pf.assess_table": ("表6 部门预算绩效管理工作考核（设计方案）", "Table 6 Assessment (design "
                        "proposal)"),
    "pf.public_removed": ("公开版已删除以下字段：{fields}。", "Fields removed from the public "
                          "version: {fields}."),
    "pf.targets": ("目标完整率", "Targets complete"), "pf.self_eval": ("自评质量", "Self-eval quality"),
    "pf.execution": ("执行率", "Execution"), "pf.n_re": ("再评价项目数", "Re-evaluated"),
    "pf.mean_total": ("平均得分", "Mean score"), "pf.weighted_total": ("加权平均得分",
                                                                   "Weighted mean"),
    "pf.share_good": ("优良率", "Good or better"), "pf.rank": ("排名", "Rank"),
})


def portfolio_results(result, subject_id: str, *, public: bool = False,
                      remove: Sequence[str] = (), commissioner: str | None = None,
                      evaluator: str | None = None, object: str | None = None,
                      conflicts: Sequence[Mapping] = ()) -> dict:
    """results.json of the district portfolio: :meth:`PortfolioResult.to_dict` (the public
    version when ``public``: the fields in ``remove`` are not in results.json either), the
    third-party check and the headline totals (``totals``)."""
    res = result.public(remove) if public else result
    d = res.to_dict()
    total = [x for x in d["by_department"] if x.get("department") == "合计"]
    return {"subject_id": str(subject_id), "subject_type": "district",
            "name": f"{res.year}年度预算绩效管理情况报告", "report": "portfolio", "public": bool(public),
            **d, "totals": total[0] if total else {},
            "third_party": {"commissioner": commissioner, "evaluator": evaluator,
                            "object": object, "warnings": jsonable(list(conflicts))}}


def portfolio_outline(results: Mapping, *, lang: str = "zh", figures: bool = True) -> dict:
    """The district portfolio report (预算绩效管理情况报告, for the People's Congress) or its
    public version (公开版)."""
    _check_lang(lang)
    r = results
    year, t = r.get("year"), r.get("totals") or {}
    public = bool(r.get("public"))
    p1 = [_t("pf.overview", lang, year=year, n=t.get("n_projects"), budget=fmt_num(t.get("budget")),
             exe=fmt_num(t.get("executed")), rate=fmt_pct(t.get("execution_rate")),
             a=t.get("n_优", 0), b=t.get("n_良", 0), c=t.get("n_中", 0), d=t.get("n_差", 0),
             wt=fmt_num(t.get("weighted_total")))]
    grp_spec = [("n_projects", "n_projects", "0"), ("n_优", _grade("优", lang), "0"),
                ("n_良", _grade("良", lang), "0"), ("n_中", _grade("中", lang), "0"),
                ("n_差", _grade("差", lang), "0"), ("budget", "budget", _MONEY),
                ("execution_rate", "execution_rate", _F1P),
                ("weighted_total", "pf.weighted_total", _F2), ("share_good", "pf.share_good", _F1P)]
    t21 = _table(_t("pf.dept_table", lang), r.get("by_department") or [],
                 [("department", "department", None)] + grp_spec, lang)
    t22 = _table(_t("pf.bt_table", lang), r.get("by_budget_type") or [],
                 [("budget_type", "budget_type", None)] + grp_spec, lang)
    t23 = _table(_t("pf.sector_table", lang), r.get("by_sector") or [],
                 [("sector", "sector", None)] + grp_spec, lang)
    figs = []
    body = [x for x in r.get("by_department") or [] if x.get("department") != "合计"]
    if figures and body:
        body = sorted(body, key=lambda x: -int(x.get("n_projects") or 0))
        grades = ("优", "良", "中", "差")
        figs.append(_figure(_stacked([x["department"] for x in body],
                                     {_grade(g, lang): [int(x.get(f"n_{g}") or 0) for x in body]
                                      for g in grades},
                                     {_grade(g, lang): _GRADE_COLOURS[g] for g in grades},
                                     title=_t("pf.fig", lang), xlabel=_t("n_projects", lang)),
                            _t("pf.fig", lang)))
    bg = {x["grade"]: x for x in r.get("by_grade") or []}
    low = [bg[g] for g in ("中", "差") if g in bg]
    p3 = [_t("pf.money", lang, a=fmt_num((bg.get("优") or {}).get("budget")),
             sa=fmt_pct((bg.get("优") or {}).get("share_budget")),
             c=fmt_num(sum(float(x["budget"]) for x in low)),
             sc=fmt_pct(sum(float(x["share_budget"] or 0) for x in low)))]
    t3 = _table(_t("pf.grade_table", lang), list(bg.values()),
                [(lambda x: _grade(x["grade"], lang), "grade", None),
                 ("n_projects", "n_projects", "0"), ("share_projects", "ap.share_projects", _F1P),
                 ("budget", "budget", _MONEY), ("share_budget", "ap.share_budget", _F1P)], lang)
    app = r.get("application") or {}
    p4 = [_t("pf.app", lang, note=_msg(app, lang, "note") if app.get("note") else "",
             ov=app.get("n_overlap_projects", 0), idle=app.get("n_idle", 0),
             recall=fmt_num(app.get("recall_amount")))]
    t4 = _table(_t("pf.action_table", lang), r.get("by_action") or [],
                [("action", "action", None), ("n_projects", "n_projects", "0"),
                 ("budget", "budget", _MONEY), ("share_budget", "ap.share_budget", _F1P)], lang)
    rule = r.get("assessment_rule") or {}
    comps = rule.get("components") or {}
    w = rule.get("weights") or {}
    asm = r.get("assessment") or []
    p5 = [_t("pf.assess_intro", lang, components=_join(
              [v["zh" if lang == "zh" else "en"] for v in comps.values()], lang),
              weights=_join([f"{w.get(k, 0):g}" for k in comps], lang)),
          _t("design", lang, what=_t("pf.assess_design", lang))]
    scored = [x for x in asm if as_number(x.get("score")) is not None]
    if scored:
        p5.append(_t("pf.assess_top", lang,
                     top=f"{scored[0]['department']} {fmt_num(scored[0]['score'])}",
                     bottom=f"{scored[-1]['department']} {fmt_num(scored[-1]['score'])}"))
    t5 = _table(_t("pf.assess_table", lang), asm,
                [("rank", "pf.rank", "0"), ("department", "department", None),
                 ("n_projects", "n_projects", "0"), ("targets", "pf.targets", _F1P),
                 ("n_reevaluated", "pf.n_re", "0"), ("self_eval", "pf.self_eval", _F1P),
                 ("execution", "pf.execution", _F1P), ("score", "score", _F2)], lang)
    p6 = _conflict_lines(r.get("third_party") or {}, lang) or [_t("none", lang)]
    p7 = [_profile_note(r, lang)]
    if public and r.get("removed_fields"):
        p7.append(_t("pf.public_removed", lang, fields=_join(r["removed_fields"], lang)))
    prof = r.get("profile") or {}
    return {
        "title": _t("pf.title_public" if public else "pf.title", lang, year=year),
        "subtitle": _t("pf.subtitle_public" if public else "pf.subtitle", lang),
        "meta": [[_t("code", lang), r.get("subject_id")], [_t("year", lang), year],
                 [_t("n_projects", lang), t.get("n_projects")],
                 [_t("profile", lang), f"{prof.get('id')} {prof.get('version')}"]],
        "sections": [
            _sec(_n1(1, lang) + _t("pf.s1", lang), paragraphs=p1),
            _sec(_n1(2, lang) + _t("pf.s2", lang), figures=figs, sections=[
                _sec(_n2(1, lang) + _t("pf.s2.1", lang), level=2, tables=[t21]),
                _sec(_n2(2, lang) + _t("pf.s2.2", lang), level=2, tables=[t22]),
                _sec(_n2(3, lang) + _t("pf.s2.3", lang), level=2, tables=[t23])]),
            _sec(_n1(3, lang) + _t("pf.s3", lang), paragraphs=p3, tables=[t3]),
            _sec(_n1(4, lang) + _t("pf.s4", lang), paragraphs=p4, tables=[t4]),
            _sec(_n1(5, lang) + _t("pf.s5", lang), paragraphs=p5, tables=[t5]),
            _sec(_n1(6, lang) + _t("pf.s6", lang), paragraphs=p6),
            _sec(_n1(7, lang) + _t("pf.s7", lang), paragraphs=p7),
        ]}


def portfolio_tables(results: Mapping, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    grp = {"n_projects": "n_projects", "n_优": "优", "n_良": "良", "n_中": "中", "n_差": "差",
           "budget": "budget", "executed": "executed", "execution_rate": "execution_rate",
           "mean_total": "pf.mean_total", "weighted_total": "pf.weighted_total",
           "share_good": "pf.share_good"}
    proj_cols = {"project_id": "project_id", "name": "project_name", "department_id": "code",
                 "department": "department", "implementing_unit": "unit",
                 "budget_type": "budget_type", "sector": "sector", "budget": "budget",
                 "executed": "executed", "execution_rate": "execution_rate", "total": "score",
                 "grade": "grade", "action": "action", "flag_codes": "ap.flags",
                 "overlap_with": "ap.with", "recall_amount": "ap.recall"}
    return {
        "部门" if lang == "zh" else "Departments": _frame(
            results.get("by_department") or [], {"department": "department", **grp}, lang),
        "预算类型" if lang == "zh" else "Budget types": _frame(
            results.get("by_budget_type") or [], {"budget_type": "budget_type", **grp}, lang),
        "行业领域" if lang == "zh" else "Sectors": _frame(
            results.get("by_sector") or [], {"sector": "sector", **grp}, lang),
        "考核" if lang == "zh" else "Assessment": _frame(results.get("assessment") or [], {
            "rank": "pf.rank", "department_id": "code", "department": "department",
            "n_projects": "n_projects", "targets": "pf.targets", "n_reevaluated": "pf.n_re",
            "self_eval": "pf.self_eval", "execution": "pf.execution", "score": "score"}, lang),
        "项目" if lang == "zh" else "Projects": _frame(results.get("projects") or [], proj_cols,
                                                     lang),
    }
