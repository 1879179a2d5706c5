"""Presentation of the methods notebooks: report outlines, figures, tables and the notebook view.

The three methods notebooks (成本效益分析 ``cost_benefit``, 标杆管理 ``benchmarking``, 因素分析
``factor_analysis``) each get their numbers from a ``*_study`` of :mod:`perfkit.studies.methods`
as a JSON-safe results dict, then call here:

- ``*_outline(results, lang=)`` → the report outline (title, meta, numbered sections with
  paragraphs, tables and figures) that :func:`perfkit.report.docx.write_docx` writes as
  ``report.docx``;
- :func:`show_outline` → the same outline displayed in the notebook (hence in ``report.html``):
  Word and HTML state the same numbers, rounded the same way (:func:`~perfkit.report.docx.
  format_number`);
- :func:`outline_tables` → every table of the outline as a DataFrame at full precision
  (``tables.xlsx``).

``show_outline``, ``outline_html`` and ``outline_tables`` live in :mod:`perfkit.report.outline`
(shared with :mod:`~perfkit.report.cycle_view`) and are re-exported here.

Figures (built on :class:`~perfkit.report.figures.ReportFigure`, CJK font, no pyplot): a tornado
chart, the Monte Carlo NPV histogram, DEA scores with their peers, Malmquist indices, a scree
plot, a loadings heatmap and an LMDI waterfall. Nothing here computes a result; text from the
user's data is escaped in HTML.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..errors import InputError
from .docx import format_number
from .fonts import use_cjk_font
from .labels import as_number, label
from .outline import outline_html, outline_tables, show_outline  # re-exported

__all__ = ["cost_benefit_outline", "benchmarking_outline", "factor_outline", "show_outline",
           "outline_html", "outline_tables", "tornado_chart", "monte_carlo_chart", "dea_chart",
           "malmquist_chart", "scree_chart", "loadings_heatmap", "waterfall_chart"]

_DPI_DOCX = 150
_MONEY, _RATIO, _PCT, _EFF, _INT = "#,##0.00", "0.00", "0.0%", "0.000", "0"


# ============================================================================================
# small helpers
# ============================================================================================
def _check(results: Any, method: str) -> dict:
    if not isinstance(results, dict) or results.get("method") != method:
        raise InputError(f"must be the results dict of a {method} study (results.json)",
                         argument="results", value=type(results).__name__)
    return results


def _m(x) -> str:
    return format_number(x, _MONEY)


def _p(x, digits: int = 1) -> str:
    return format_number(x, "0." + "0" * digits + "%" if digits else "0%")


def _r(x, digits: int = 2) -> str:
    return format_number(x, "0." + "0" * digits if digits else "0")


def _join(items: Iterable[str], lang: str) -> str:
    items = [str(i) for i in items]
    return ("、" if lang == "zh" else ", ").join(items) if items else \
        ("无" if lang == "zh" else "none")


def _table(title: str, columns: list[str], rows: list[list], fmt: dict | None = None) -> dict:
    return {"title": title, "columns": columns, "rows": rows,
            "number_format": {k: v for k, v in (fmt or {}).items() if k in columns}}


def _figure(fig, caption: str, width_cm: float = 15.0) -> dict:
    from .figures import figure_bytes

    return {"png": figure_bytes(fig, format="png", dpi=_DPI_DOCX), "caption": caption,
            "width_cm": width_cm}


def _sec(title: str, *, paragraphs=(), bullets=(), tables=(), figures=(), sections=(),
         level: int = 1) -> dict:
    return {"title": title, "level": level, "paragraphs": [p for p in paragraphs if p],
            "bullets": list(bullets), "tables": list(tables), "figures": list(figures),
            "sections": list(sections)}


def _tx(table: dict, key: str, lang: str, /, **kw) -> str:
    label("misc.dash", lang)  # validates lang
    text = table[key][lang]
    return text.format(**kw) if kw else text


def _fig_setup(width: float, height: float):
    from .figures import ReportFigure

    use_cjk_font()
    fig = ReportFigure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def _clean_axes(ax, grid: str = "x") -> None:
    ax.grid(axis=grid, color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _col_label(labels: dict, col: str, lang: str) -> str:
    lab = (labels or {}).get(col) or {}
    text = lab.get(lang) or lab.get("zh") or col
    unit = lab.get("unit")
    return f"{text}（{unit}）" if unit and lang == "zh" else (f"{text} ({unit})" if unit else text)


# ============================================================================================
# 成本效益分析 cost-benefit
# ============================================================================================
_CB = {
    "title": {"zh": "{name}成本效益分析报告", "en": "{name}: cost-benefit analysis"},
    "subtitle": {"zh": "（分析期{first}—{last}年）", "en": "(appraisal period {first}–{last})"},
    "m_name": {"zh": "项目名称", "en": "Project"},
    "m_dept": {"zh": "主管部门", "en": "Department"},
    "m_period": {"zh": "分析期", "en": "Appraisal period"},
    "m_rate": {"zh": "折现率", "en": "Discount rate"},
    "m_unit": {"zh": "金额单位", "en": "Amounts in"},
    "period": {"zh": "{first}—{last}年（{n}年）", "en": "{first}–{last} ({n} years)"},
    "greenbook": {"zh": "英国财政部《绿皮书》递减折现率（前30年3.5%）",
                  "en": "HM Treasury Green Book declining schedule (3.5% for years 0–30)"},
    "s1": {"zh": "一、项目基本情况", "en": "1. The project"},
    "s2": {"zh": "二、分析方法与参数", "en": "2. Method and parameters"},
    "s3": {"zh": "三、成本效益分析结果", "en": "3. Appraisal results"},
    "s4": {"zh": "四、乐观偏差调整", "en": "4. Optimism bias"},
    "s5": {"zh": "五、敏感性分析", "en": "5. Sensitivity analysis"},
    "s6": {"zh": "六、风险分析（蒙特卡洛模拟）", "en": "6. Risk analysis (Monte Carlo)"},
    "s7": {"zh": "七、最低成本法比较", "en": "7. Least-cost comparison of options"},
    "s8": {"zh": "八、结论与建议", "en": "8. Conclusion"},
    "composition": {"zh": "效益构成：{b}；成本构成：{c}。", "en": "Benefits: {b}. Costs: {c}."},
    "t_comp": {"zh": "表1 成本与效益构成（{unit}）", "en": "Table 1 Costs and benefits ({unit})"},
    "c_comp": {"zh": "构成项", "en": "Component"},
    "c_kind": {"zh": "类别", "en": "Kind"},
    "benefit": {"zh": "效益", "en": "Benefit"},
    "cost": {"zh": "成本", "en": "Cost"},
    "c_total": {"zh": "合计（未折现）", "en": "Total (undiscounted)"},
    "c_pv": {"zh": "现值", "en": "Present value"},
    "c_pv_central": {"zh": "现值（中心情景）", "en": "PV (central case)"},
    "method": {
        "zh": "采用成本效益分析法：净现值 NPV = Σ(Bₜ − Cₜ)·DFₜ，效益成本比 BCR = PV(B)/PV(C)，"
              "内部收益率为使净现值为零的折现率；以{first}年为第0年，第0年不折现。折现率：{rate}。",
        "en": "Cost-benefit analysis: NPV = Σ(Bₜ − Cₜ)·DFₜ, BCR = PV(B)/PV(C), and the IRR is "
              "the rate at which the NPV is zero; {first} is year 0 and is not discounted. "
              "Discount rate: {rate}."},
    "method_ob": {
        "zh": "中心情景按英国财政部《绿皮书》乐观偏差指引调整：{type}类项目{measure}乐观偏差{bound}"
              "为{pct}%，考虑风险缓释{mit}后，对{comps}上调{rate}。敏感性分析、临界值和蒙特卡洛"
              "模拟均以中心情景为基础。",
        "en": "The central case applies the Green Book optimism bias: {bound} bound {pct}% for "
              "{type} projects, mitigated by {mit}, i.e. {comps} uplifted by {rate}. Sensitivity, "
              "switching values and the Monte Carlo simulation use the central case."},
    "upper": {"zh": "上限", "en": "upper"}, "lower": {"zh": "下限", "en": "lower"},
    "capex": {"zh": "资本性支出", "en": "capital expenditure"},
    "works_duration": {"zh": "工期", "en": "works duration"},
    "result": {
        "zh": "中心情景下，项目效益现值{pvb}万元，成本现值{pvc}万元，净现值{npv}万元，"
              "效益成本比{bcr}，内部收益率{irr}，静态投资回收期{pb}年，动态投资回收期{dpb}年"
              "（自{first}年起算）。",
        "en": "Central case: PV of benefits {pvb}, PV of costs {pvc}, NPV {npv}, BCR {bcr}, "
              "IRR {irr}, payback {pb} years and discounted payback {dpb} years (from {first})."},
    "result_unit": {"zh": "", "en": " (amounts in {unit})"},
    "result_base": {"zh": "未作乐观偏差调整时，净现值{npv}万元，效益成本比{bcr}；调整使净现值减少{d}万元。",
                    "en": "Before the optimism-bias adjustment the NPV is {npv} and the BCR {bcr}; "
                          "the adjustment lowers the NPV by {d}."},
    "irr_na": {"zh": "无唯一解", "en": "not unique"},
    "never": {"zh": "分析期内未回收", "en": "not within the period"},
    "t_summary": {"zh": "表2 成本效益分析主要指标", "en": "Table 2 Appraisal summary"},
    "c_indicator": {"zh": "指标", "en": "Indicator"},
    "c_base": {"zh": "调整前", "en": "Before adjustment"},
    "c_central": {"zh": "中心情景", "en": "Central case"},
    "r_pvb": {"zh": "效益现值", "en": "PV of benefits"},
    "r_pvc": {"zh": "成本现值", "en": "PV of costs"},
    "r_npv": {"zh": "净现值", "en": "Net present value"},
    "r_bcr": {"zh": "效益成本比", "en": "Benefit-cost ratio"},
    "r_irr": {"zh": "内部收益率", "en": "Internal rate of return"},
    "r_pb": {"zh": "静态投资回收期（年）", "en": "Payback (years)"},
    "r_dpb": {"zh": "动态投资回收期（年）", "en": "Discounted payback (years)"},
    "t_years": {"zh": "表3 逐年现金流量与折现（中心情景，{unit}）",
                "en": "Table 3 Yearly flows and discounting (central case, {unit})"},
    "c_year": {"zh": "年度", "en": "Year"},
    "c_b": {"zh": "效益", "en": "Benefits"}, "c_c": {"zh": "成本", "en": "Costs"},
    "c_net": {"zh": "净效益", "en": "Net"}, "c_df": {"zh": "折现系数", "en": "Discount factor"},
    "c_pvb": {"zh": "效益现值", "en": "PV benefits"}, "c_pvc": {"zh": "成本现值", "en": "PV costs"},
    "c_pvnet": {"zh": "净效益现值", "en": "PV net"},
    "c_cum": {"zh": "累计净现值", "en": "Cumulative PV net"},
    "ob_text": {
        "zh": "乐观偏差率{rate}（未缓释{unmit}，缓释比例{mit}），{comps}合计由{base}万元调增至{adj}万元，"
              "增加{up}万元。",
        "en": "Optimism bias {rate} (unmitigated {unmit}, mitigation {mit}): {comps} rise from "
              "{base} to {adj}, by {up}."},
    "t_ob": {"zh": "表4 乐观偏差取值", "en": "Table 4 Optimism bias"},
    "c_type": {"zh": "项目类型", "en": "Project type"},
    "c_share": {"zh": "份额", "en": "Share"},
    "c_bound": {"zh": "偏差上/下限（%）", "en": "Bound (%)"},
    "c_contrib": {"zh": "加权贡献（%）", "en": "Contribution (%)"},
    "ob_none": {"zh": "本案例未作乐观偏差调整。", "en": "No optimism bias is applied."},
    "sv_text": {
        "zh": "临界值分析表明，在其他因素不变时，{top}{dir}{x}即可使净现值降为零；全部效益同比下降{xb}"
              "或全部成本同比上升{xc}时净现值为零。使净现值为零的折现率（内部收益率）为{irr}。",
        "en": "Other things equal, a {dir} of {x} in {top} wipes out the NPV; so does a fall of "
              "{xb} in all benefits or a rise of {xc} in all costs. The switching discount rate "
              "(the IRR) is {irr}."},
    "rise": {"zh": "上升", "en": "rise"}, "fall": {"zh": "下降", "en": "fall"},
    "t_sv": {"zh": "表5 临界值分析", "en": "Table 5 Switching values"},
    "c_sv": {"zh": "临界变动幅度", "en": "Switching value"},
    "c_svpv": {"zh": "临界现值", "en": "Switching PV"},
    "all_benefits": {"zh": "（全部效益）", "en": "(all benefits)"},
    "all_costs": {"zh": "（全部成本）", "en": "(all costs)"},
    "tornado_text": {
        "zh": "单因素敏感性分析中，净现值对{top}最为敏感（净现值在{lo}至{hi}万元之间变动）。",
        "en": "In the one-way sensitivity analysis the NPV is most sensitive to {top} (NPV from "
              "{lo} to {hi})."},
    "t_tornado": {"zh": "表6 单因素敏感性分析", "en": "Table 6 One-way sensitivity"},
    "c_var": {"zh": "变量", "en": "Variable"},
    "c_low": {"zh": "低值", "en": "Low"}, "c_high": {"zh": "高值", "en": "High"},
    "c_npv_low": {"zh": "低值时净现值", "en": "NPV at low"},
    "c_npv_high": {"zh": "高值时净现值", "en": "NPV at high"},
    "c_swing": {"zh": "变动幅度", "en": "Swing"},
    "rate_var": {"zh": "折现率", "en": "discount rate"},
    "f_tornado": {"zh": "图1 净现值龙卷风图", "en": "Figure 1 Tornado chart of the NPV"},
    "mc_text": {
        "zh": "以随机种子{seed}抽样{n}次，净现值均值{mean}万元，标准差{sd}万元；P5、P50、P95分别为"
              "{p5}、{p50}、{p95}万元；净现值小于零的概率为{pneg}。",
        "en": "{n} draws with seed {seed}: mean NPV {mean}, standard deviation {sd}; P5, P50 and "
              "P95 are {p5}, {p50} and {p95}; the probability of a negative NPV is {pneg}."},
    "t_mc_vars": {"zh": "表7 不确定变量及其分布", "en": "Table 7 Uncertain variables"},
    "c_dist": {"zh": "分布", "en": "Distribution"},
    "c_params": {"zh": "参数（乘数，基准为1）", "en": "Parameters (factor, base 1)"},
    "t_mc": {"zh": "表8 净现值模拟结果（{unit}）", "en": "Table 8 Simulated NPV ({unit})"},
    "c_stat": {"zh": "统计量", "en": "Statistic"},
    "c_value": {"zh": "数值", "en": "Value"},
    "s_mean": {"zh": "均值", "en": "Mean"}, "s_sd": {"zh": "标准差", "en": "Standard deviation"},
    "s_pneg": {"zh": "净现值小于零的概率", "en": "P(NPV < 0)"},
    "f_mc": {"zh": "图2 净现值模拟分布", "en": "Figure 2 Simulated distribution of the NPV"},
    "mc_none": {"zh": "本案例未作蒙特卡洛模拟。", "en": "No Monte Carlo simulation was asked for."},
    "lc_text": {
        "zh": "按单位{eff}成本比较，{best}最优（{cpe}{unit}/{eunit}）；位于成本效果前沿上的方案：{front}。",
        "en": "By cost per unit of {eff}, {best} is best ({cpe} {unit} per {eunit}); options on "
              "the cost-effectiveness frontier: {front}."},
    "lc_text_noeff": {"zh": "各方案效果相同，按成本现值比较，{best}成本最低。",
                      "en": "With equal effects, {best} has the lowest present cost."},
    "t_lc": {"zh": "表9 备选方案比较（{unit}）", "en": "Table 9 Options compared ({unit})"},
    "c_option": {"zh": "方案", "en": "Option"},
    "c_cost_pv": {"zh": "成本现值", "en": "PV of costs"},
    "c_cpe": {"zh": "单位效果成本", "en": "Cost per unit of effect"},
    "c_rank": {"zh": "排序", "en": "Rank"},
    "c_dominated": {"zh": "被占优", "en": "Dominated"},
    "c_frontier": {"zh": "位于前沿", "en": "On the frontier"},
    "c_icer": {"zh": "增量成本效果比", "en": "ICER"},
    "lc_none": {"zh": "本案例未提供备选方案。", "en": "No alternative options were given."},
    "concl_pos": {
        "zh": "中心情景净现值为正（{npv}万元），效益成本比{bcr}，项目在经济上可行。",
        "en": "The central-case NPV is positive ({npv}) with a BCR of {bcr}: the project is "
              "economically worthwhile."},
    "concl_neg": {
        "zh": "中心情景净现值为负（{npv}万元），效益成本比{bcr}，项目在现有方案下经济上不可行，"
              "建议优化方案或压缩成本。",
        "en": "The central-case NPV is negative ({npv}) with a BCR of {bcr}: as designed the "
              "project is not economically worthwhile; revise the design or its costs."},
    "concl_risk": {
        "zh": "净现值对{top}最敏感，净现值小于零的概率为{pneg}，建议在实施中重点控制相关风险，"
              "并在绩效目标中设置相应指标加以监控。",
        "en": "The NPV is most sensitive to {top} and is negative with probability {pneg}: "
              "manage these risks and monitor them through the performance targets."},
    "dist_normal": {"zh": "正态分布", "en": "Normal"},
    "dist_uniform": {"zh": "均匀分布", "en": "Uniform"},
    "dist_triangular": {"zh": "三角分布", "en": "Triangular"},
    "dist_pert": {"zh": "PERT分布", "en": "PERT"},
    "dist_lognormal": {"zh": "对数正态分布", "en": "Lognormal"},
    "axis_npv": {"zh": "净现值（{unit}）", "en": "NPV ({unit})"},
    "axis_freq": {"zh": "频数", "en": "Frequency"},
    "leg_base": {"zh": "基准净现值", "en": "Base NPV"},
    "leg_low": {"zh": "取低值", "en": "Low value"},
    "leg_high": {"zh": "取高值", "en": "High value"},
    "leg_neg": {"zh": "净现值<0", "en": "NPV < 0"},
    "yes": {"zh": "是", "en": "yes"}, "no": {"zh": "否", "en": "no"},
}


def _rate_text(discount: Any, lang: str) -> str:
    if discount == "greenbook":
        return _tx(_CB, "greenbook", lang)
    return format_number(discount, "0.0%")


def _years(x) -> str:
    return format_number(x, "0.0")


def tornado_chart(results: dict, *, lang: str = "zh"):
    """Tornado chart (龙卷风图) of a cost-benefit study: the NPV at the low and high value of
    each uncertain variable, the widest swing on top."""
    r = _check(results, "cost_benefit")
    t = (r.get("tornado") or {}).get("table") or []
    if not t:
        raise InputError("the study has no tornado table", argument="results")
    base = float(r["tornado"]["npv"])
    fig, ax = _fig_setup(9.0, max(3.0, 1.4 + 0.5 * len(t)))
    n = len(t)
    y = np.arange(n)[::-1]
    for yy, row in zip(y, t):
        lo, hi = float(row["npv_low"]), float(row["npv_high"])
        ax.barh(yy, lo - base, left=base, height=0.6, color="#c0504d", zorder=2,
                label=_tx(_CB, "leg_low", lang) if yy == y[0] else None)
        ax.barh(yy, hi - base, left=base, height=0.6, color="#4f81bd", zorder=2,
                label=_tx(_CB, "leg_high", lang) if yy == y[0] else None)
        for v in (lo, hi):
            ax.text(v, yy, f" {_m(v)} " if v >= base else f" {_m(v)} ", va="center",
                    ha="left" if v >= base else "right", fontsize=8)
    names = []
    for row in t:
        v = row["variable"]
        if v == "discount rate":
            names.append(f"{_tx(_CB, 'rate_var', lang)}\n({_p(row['low'])}, {_p(row['high'])})")
        else:
            names.append(f"{v}\n({_p(row['low'], 0)}, {_p(row['high'], 0)})")
    ax.set_yticks(y, names, fontsize=9)
    ax.axvline(base, color="#333333", linewidth=1.0, zorder=3)
    ax.axvline(0.0, color="#999999", linewidth=0.8, linestyle="--", zorder=1)
    lo_all = min(min(float(x["npv_low"]), float(x["npv_high"])) for x in t)
    hi_all = max(max(float(x["npv_low"]), float(x["npv_high"])) for x in t)
    pad = (hi_all - lo_all) * 0.18 or 1.0
    ax.set_xlim(min(lo_all, 0.0) - pad, hi_all + pad)
    ax.set_xlabel(_tx(_CB, "axis_npv", lang, unit=r.get("unit", "")))
    ax.set_title(f"{r.get('name', '')} — {_tx(_CB, 'leg_base', lang)} {_m(base)}", loc="left",
                 fontsize=11)
    _clean_axes(ax)
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    return fig


def monte_carlo_chart(results: dict, draws: Any, *, lang: str = "zh"):
    """Histogram of the Monte Carlo NPV draws with P5, P50, P95 and the region NPV < 0."""
    r = _check(results, "cost_benefit")
    mc = r.get("monte_carlo")
    if mc is None or draws is None:
        raise InputError("the study has no Monte Carlo draws", argument="draws")
    d = np.asarray(draws, dtype=float)
    fig, ax = _fig_setup(9.0, 4.2)
    counts, edges, patches = ax.hist(d, bins=60, color="#4f81bd", edgecolor="white",
                                     linewidth=0.4, zorder=2)
    for patch, left in zip(patches, edges[:-1]):
        if left < 0:
            patch.set_facecolor("#c0504d")
    for key, style in (("p5", ":"), ("p50", "-"), ("p95", ":")):
        v = float(mc[key])
        ax.axvline(v, color="#222222", linestyle=style, linewidth=1.1, zorder=3)
        ax.text(v, counts.max() * 1.04, f"{key.upper()} {_m(v)}", ha="center", va="bottom",
                fontsize=8, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
                zorder=4)
    ax.set_ylim(0, counts.max() * 1.15)
    ax.set_xlabel(_tx(_CB, "axis_npv", lang, unit=r.get("unit", "")))
    ax.set_ylabel(_tx(_CB, "axis_freq", lang))
    ax.set_title(f"n = {mc['n']}, seed = {mc['seed']}; "
                 f"{_tx(_CB, 's_pneg', lang)} = {_p(mc['prob_negative'])}", loc="left",
                 fontsize=10.5)
    _clean_axes(ax, "y")
    return fig


def cost_benefit_outline(results: dict, *, lang: str = "zh", draws: Any = None,
                         figures: bool = True) -> dict:
    """The outline of a cost-benefit report (成本效益分析报告) for ``write_docx`` and
    :func:`show_outline`.

    Parameters
    ----------
    results : dict
        ``cost_benefit_study(...).results``.
    lang : {"zh", "en"}
    draws : array, optional
        Monte Carlo NPV draws for the histogram.
    figures : bool
        Include the tornado chart and the histogram.
    """
    r = _check(results, "cost_benefit")
    T = lambda key_, /, **kw: _tx(_CB, key_, lang, **kw)  # noqa: E731
    unit = r.get("unit") or ""
    first, last, n = r["first_year"], r["last_year"], r["n_years"]
    a, a0 = r["appraisal"], r["appraisal_base"]
    kind = {"benefit": T("benefit"), "cost": T("cost")}
    comps = r.get("components") or []
    s1 = _sec(T("s1"), paragraphs=[
        r.get("description"),
        T("composition", b=_join([c["component"] for c in comps if c["kind"] == "benefit"],
                                 lang),
          c=_join([c["component"] for c in comps if c["kind"] == "cost"], lang))],
        tables=[_table(T("t_comp", unit=unit),
                       [T("c_comp"), T("c_kind"), T("c_total"), T("c_pv"), T("c_pv_central")],
                       [[c["component"], kind[c["kind"]], c["total"], c["pv"], c["pv_central"]]
                        for c in comps],
                       {T("c_total"): _MONEY, T("c_pv"): _MONEY, T("c_pv_central"): _MONEY})])

    ob = r.get("optimism_bias")
    s2_par = [T("method", first=first, rate=_rate_text(r["discount"], lang))]
    if ob:
        comp0 = (ob.get("components") or [{}])[0]
        s2_par.append(T("method_ob", type=comp0.get("label_zh") if lang == "zh" else
                        comp0.get("label"), measure=T(ob.get("measure", "capex")),
                        bound=T(ob.get("bound", "upper")),
                        pct=format_number(comp0.get("bound_pct"), "0.0"),
                        mit=_p(ob.get("mitigation"), 0), comps=_join(ob["components_adjusted"],
                                                                    lang),
                        rate=_p(ob.get("rate"))))
    s2 = _sec(T("s2"), paragraphs=s2_par)

    def irr_text(x):
        return _p(x, 2) if as_number(x) is not None else T("irr_na")

    def pb_text(x):
        return _years(x) if as_number(x) is not None else T("never")

    res_par = [T("result", pvb=_m(a["pv_benefits"]), pvc=_m(a["pv_costs"]), npv=_m(a["npv"]),
                 bcr=_r(a["bcr"], 3), irr=irr_text(a["irr"]), pb=pb_text(a["payback"]),
                 dpb=pb_text(a["discounted_payback"]), first=first)
               + (T("result_unit", unit=unit) if lang == "en" else "")]
    if ob:
        res_par.append(T("result_base", npv=_m(a0["npv"]), bcr=_r(a0["bcr"], 3),
                         d=_m(-r["npv_change_from_optimism_bias"])))
    summary_rows = [
        [T("r_pvb"), a0["pv_benefits"], a["pv_benefits"]],
        [T("r_pvc"), a0["pv_costs"], a["pv_costs"]],
        [T("r_npv"), a0["npv"], a["npv"]],
        [T("r_bcr"), a0["bcr"], a["bcr"]],
        [T("r_irr"), a0["irr"], a["irr"]],
        [T("r_pb"), a0["payback"], a["payback"]],
        [T("r_dpb"), a0["discounted_payback"], a["discounted_payback"]]]
    # one format per column: money for amounts; rows with other units are formatted as text
    fmt_rows = []
    for row in summary_rows:
        k = row[0]
        if k in (T("r_bcr"),):
            fmt_rows.append([k] + [_r(x, 3) for x in row[1:]])
        elif k == T("r_irr"):
            fmt_rows.append([k] + [irr_text(x) for x in row[1:]])
        elif k in (T("r_pb"), T("r_dpb")):
            fmt_rows.append([k] + [pb_text(x) for x in row[1:]])
        else:
            fmt_rows.append(row)
    cols = [T("c_indicator"), T("c_base"), T("c_central")]
    year_cols = [T("c_year"), T("c_b"), T("c_c"), T("c_net"), T("c_df"), T("c_pvb"),
                 T("c_pvc"), T("c_pvnet"), T("c_cum")]
    year_rows = [[str(y["year"]), y["benefits"], y["costs"], y["net"], y["discount_factor"],
                  y["pv_benefits"], y["pv_costs"], y["pv_net"], y["cumulative_pv_net"]]
                 for y in a["table"]]
    s3 = _sec(T("s3"), paragraphs=res_par, tables=[
        _table(T("t_summary"), cols, fmt_rows, {T("c_base"): _MONEY, T("c_central"): _MONEY}),
        _table(T("t_years", unit=unit), year_cols, year_rows,
               {**{c: _MONEY for c in year_cols[1:]}, T("c_df"): "0.0000"})])

    if ob:
        ob_rows = [[(c.get("label_zh") if lang == "zh" else c.get("label")), c["share"],
                    c["bound_pct"], c["contribution_pct"]] for c in ob.get("components") or []]
        s4 = _sec(T("s4"), paragraphs=[T("ob_text", rate=_p(ob["rate"]),
                                         unmit=_p(ob["unmitigated_rate"]),
                                         mit=_p(ob["mitigation"], 0),
                                         comps=_join(ob["components_adjusted"], lang),
                                         base=_m(ob["base_total"]), adj=_m(ob["adjusted_total"]),
                                         up=_m(ob["uplift_total"]))],
                  tables=[_table(T("t_ob"), [T("c_type"), T("c_share"), T("c_bound"),
                                             T("c_contrib")], ob_rows,
                                 {T("c_share"): _PCT, T("c_bound"): "0.0",
                                  T("c_contrib"): "0.0"})])
    else:
        s4 = _sec(T("s4"), paragraphs=[T("ob_none")])

    sv = r["switching_values"]
    svt = sv["table"]
    named = {"(all benefits)": T("all_benefits"), "(all costs)": T("all_costs")}
    comp_rows = [x for x in svt if x["component"] not in named and x["switching_value"]
                 is not None]
    s5_par, s5_tab, s5_fig = [], [], []
    if comp_rows:
        top = min(comp_rows, key=lambda x: abs(x["switching_value"]))
        allb = next((x for x in svt if x["component"] == "(all benefits)"), {})
        allc = next((x for x in svt if x["component"] == "(all costs)"), {})
        s5_par.append(T("sv_text", top=top["component"], x=_p(abs(top["switching_value"])),
                        dir=T("rise" if top["switching_value"] > 0 else "fall"),
                        xb=_p(-(allb.get("switching_value") or 0.0)),
                        xc=_p(allc.get("switching_value")),
                        irr=irr_text(sv.get("switching_rate"))))
    s5_tab.append(_table(T("t_sv"), [T("c_comp"), T("c_kind"), T("c_pv"), T("c_sv"),
                                     T("c_svpv")],
                         [[named.get(x["component"], x["component"]), kind[x["kind"]], x["pv"],
                           x["switching_value"], x["switching_pv"]] for x in svt],
                         {T("c_pv"): _MONEY, T("c_sv"): _PCT, T("c_svpv"): _MONEY}))
    tor = r.get("tornado")
    if tor and tor.get("table"):
        tt = tor["table"]
        top = tt[0]
        vname = T("rate_var") if top["variable"] == "discount rate" else top["variable"]
        s5_par.append(T("tornado_text", top=vname,
                        lo=_m(min(top["npv_low"], top["npv_high"])),
                        hi=_m(max(top["npv_low"], top["npv_high"]))))
        rows = []
        for x in tt:
            is_rate = x["variable"] == "discount rate"
            rows.append([T("rate_var") if is_rate else x["variable"],
                         _p(x["low"]) if is_rate else _p(x["low"], 0),
                         _p(x["high"]) if is_rate else _p(x["high"], 0),
                         x["npv_low"], x["npv_high"], x["swing"]])
        s5_tab.append(_table(T("t_tornado"), [T("c_var"), T("c_low"), T("c_high"),
                                              T("c_npv_low"), T("c_npv_high"), T("c_swing")],
                             rows, {T("c_npv_low"): _MONEY, T("c_npv_high"): _MONEY,
                                    T("c_swing"): _MONEY}))
        if figures:
            s5_fig.append(_figure(tornado_chart(r, lang=lang), T("f_tornado")))
    s5 = _sec(T("s5"), paragraphs=s5_par, tables=s5_tab, figures=s5_fig)

    mc = r.get("monte_carlo")
    if mc:
        var_rows = []
        for name, spec in (mc.get("distributions") or {}).items():
            dist = spec.get("dist", "")
            params = ", ".join(f"{k}={format_number(v, '0.00')}" for k, v in spec.items()
                               if k != "dist" and as_number(v) is not None)
            var_rows.append([name, _tx(_CB, f"dist_{dist}", lang) if f"dist_{dist}" in _CB
                             else dist, params])
        stat_rows = [[T("s_mean"), mc["mean"]], [T("s_sd"), mc["sd"]], ["P5", mc["p5"]],
                     ["P50", mc["p50"]], ["P95", mc["p95"]],
                     [T("s_pneg"), _p(mc["prob_negative"])]]
        s6 = _sec(T("s6"), paragraphs=[T("mc_text", seed=mc["seed"], n=mc["n"],
                                         mean=_m(mc["mean"]), sd=_m(mc["sd"]), p5=_m(mc["p5"]),
                                         p50=_m(mc["p50"]), p95=_m(mc["p95"]),
                                         pneg=_p(mc["prob_negative"]))],
                  tables=[_table(T("t_mc_vars"), [T("c_var"), T("c_dist"), T("c_params")],
                                 var_rows),
                          _table(T("t_mc", unit=unit), [T("c_stat"), T("c_value")], stat_rows,
                                 {T("c_value"): _MONEY})],
                  figures=[_figure(monte_carlo_chart(r, draws, lang=lang), T("f_mc"))]
                  if figures and draws is not None else [])
    else:
        s6 = _sec(T("s6"), paragraphs=[T("mc_none")])

    lc = r.get("least_cost")
    if lc:
        tab = lc["table"]
        eff = bool(lc.get("with_effect"))
        yn = {True: T("yes"), False: T("no")}
        if eff:
            cols = [T("c_option"), T("c_cost_pv"), f"{lc.get('effect_label')}"
                    f"（{lc.get('effect_unit')}）" if lang == "zh" else
                    f"{lc.get('effect_label')} ({lc.get('effect_unit')})",
                    T("c_cpe"), T("c_rank"), T("c_dominated"), T("c_frontier"), T("c_icer")]
            rows = [[x["index"], x["cost"], x["effect"], x["cost_per_effect"], x["rank"],
                     yn[bool(x["dominated"] or x.get("extended_dominated"))],
                     yn[bool(x["on_frontier"])], x["icer"]] for x in tab]
            fmt = {cols[1]: _MONEY, cols[2]: "#,##0", cols[3]: "0.0000", cols[4]: _INT,
                   cols[7]: "0.0000"}
            best = next(x for x in tab if x["index"] == lc["best"])
            text = T("lc_text", eff=lc.get("effect_label"), best=lc["best"],
                     cpe=format_number(best["cost_per_effect"], "0.0000"), unit=unit,
                     eunit=lc.get("effect_unit"), front=_join(lc.get("frontier") or [], lang))
        else:
            cols = [T("c_option"), T("c_cost_pv"), T("c_rank"), T("c_dominated")]
            rows = [[x["index"], x["cost"], x["rank"], yn[bool(x["dominated"])]] for x in tab]
            fmt = {cols[1]: _MONEY, cols[2]: _INT}
            text = T("lc_text_noeff", best=lc["best"])
        s7 = _sec(T("s7"), paragraphs=[text],
                  tables=[_table(T("t_lc", unit=unit), cols, rows, fmt)])
    else:
        s7 = _sec(T("s7"), paragraphs=[T("lc_none")])

    concl = [T("concl_pos" if a["npv"] > 0 else "concl_neg", npv=_m(a["npv"]),
               bcr=_r(a["bcr"], 3))]
    if tor and tor.get("table") and mc:
        top = tor["table"][0]["variable"]
        concl.append(T("concl_risk", top=T("rate_var") if top == "discount rate" else top,
                       pneg=_p(mc["prob_negative"])))
    s8 = _sec(T("s8"), paragraphs=concl)
    meta = [[T("m_name"), r.get("name")], [T("m_dept"), r.get("department")],
            [T("m_period"), T("period", first=first, last=last, n=n)],
            [T("m_rate"), _rate_text(r["discount"], lang)], [T("m_unit"), unit]]
    return {"title": T("title", name=r.get("name", "")),
            "subtitle": T("subtitle", first=first, last=last),
            "meta": [[k, v] for k, v in meta if v not in (None, "")],
            "context": {"npv": _m(a["npv"]), "bcr": _r(a["bcr"], 3), "irr": irr_text(a["irr"])},
            "sections": [s1, s2, s3, s4, s5, s6, s7, s8]}


# ============================================================================================
# 标杆管理 benchmarking
# ============================================================================================
_BM = {
    "title": {"zh": "标杆管理分析报告", "en": "Benchmarking report"},
    "subtitle": {"zh": "（{year}年度）", "en": "(fiscal year {year})"},
    "m_year": {"zh": "分析年度", "en": "Year"},
    "m_towns": {"zh": "乡镇街道（个）", "en": "Townships"},
    "m_depts": {"zh": "部门（个）", "en": "Departments"},
    "m_profile": {"zh": "评分规则", "en": "Rule profile"},
    "m_bench": {"zh": "标杆值", "en": "Benchmark"},
    "s1": {"zh": "一、分析对象与方法", "en": "1. Scope and method"},
    "s2": {"zh": "二、乡镇街道效率评价", "en": "2. Efficiency of the townships"},
    "s3": {"zh": "三、部门效率评价", "en": "3. Efficiency of the departments"},
    "s4": {"zh": "四、乡镇街道生产率变化（Malmquist指数）",
           "en": "4. Productivity change of the townships (Malmquist index)"},
    "s5": {"zh": "五、与标杆的差距", "en": "5. Gaps to the benchmark"},
    "s6": {"zh": "六、结论与建议", "en": "6. Conclusions and recommendations"},
    "method": {
        "zh": "采用标杆管理法，以数据包络分析（DEA）评价相对效率：以同类单位中投入产出表现最好的单位构成"
              "效率前沿，效率值为1且无松弛的单位为DEA有效（标杆单位）；非有效单位的改进目标为其标杆单位的"
              "线性组合。{orient}。超效率值（Andersen–Petersen）用于对有效单位排序。",
        "en": "Benchmarking by data envelopment analysis (DEA): the best performers form the "
              "efficiency frontier; a unit with score 1 and no slack is DEA-efficient (a "
              "benchmark), and the improvement target of any other unit is a combination of its "
              "peers. {orient}. Andersen–Petersen super-efficiency ranks the efficient units."},
    "orient_input": {"zh": "模型为投入导向，效率值θ表示在产出不变时投入可按比例缩减至θ",
                     "en": "Input orientation: the score θ is the share of the inputs needed "
                           "for the same outputs"},
    "orient_output": {"zh": "模型为产出导向，效率值φ表示在投入不变时产出可按比例扩大至φ倍",
                      "en": "Output orientation: the score φ is the factor by which the "
                            "outputs could grow with the same inputs"},
    "levels": {
        "zh": "乡镇街道：投入为{ti}，产出为{to}，{trts}。部门：投入为{di}，产出为{do}，{drts}；"
              "部门产出中的项目等级与平均分来自{year}年度项目支出绩效自评（评分规则{profile}）。",
        "en": "Townships: inputs {ti}, outputs {to}, {trts}. Departments: inputs {di}, outputs "
              "{do}, {drts}; project grades and mean scores come from the {year} project "
              "self-evaluations (rules {profile})."},
    "crs": {"zh": "规模报酬不变（CCR模型）", "en": "constant returns to scale (CCR)"},
    "vrs": {"zh": "规模报酬可变（BCC模型）", "en": "variable returns to scale (BCC)"},
    "gap_method": {
        "zh": "与标杆的差距 = (标杆值 − 实际值)/标杆值，标杆值取{bench}；差距小于等于0表示达到标杆。",
        "en": "Gap = (benchmark − actual)/benchmark with the benchmark at {bench}; a gap ≤ 0 "
              "meets the benchmark."},
    "bench_best": {"zh": "最优值", "en": "the best value"},
    "bench_p": {"zh": "前{k}%分位数（第{p}百分位）", "en": "the top-{k}% threshold (percentile {p})"},
    "dea_text": {
        "zh": "参评{n}个{what}中，DEA有效{k}个（{names}），平均效率值{mean}，最低{min}（{worst}）。",
        "en": "Of {n} {what}, {k} are DEA-efficient ({names}); mean score {mean}, lowest {min} "
              "({worst})."},
    "excluded": {"zh": "以下单位数据不全或不为正，未参加评价：{names}。",
                 "en": "Left out (missing or non-positive data): {names}."},
    "no_projects": {"zh": "以下部门本年度无项目，未参加评价：{names}。",
                    "en": "Departments without projects this year, left out: {names}."},
    "town": {"zh": "乡镇街道", "en": "townships"},
    "dept": {"zh": "部门", "en": "departments"},
    "t_dea": {"zh": "表{k} {what}DEA效率评价结果", "en": "Table {k} DEA scores: {what}"},
    "t_target": {"zh": "表{k} {what}改进目标（非有效单位）",
                 "en": "Table {k} Improvement targets: {what} (inefficient units)"},
    "f_dea": {"zh": "图{k} {what}DEA效率值及标杆单位", "en": "Figure {k} DEA scores and peers: {what}"},
    "c_rank": {"zh": "排名", "en": "Rank"},
    "c_unit": {"zh": "单位", "en": "Unit"},
    "c_eff": {"zh": "效率值", "en": "Score"},
    "c_super": {"zh": "超效率值", "en": "Super-efficiency"},
    "c_efficient": {"zh": "DEA有效", "en": "Efficient"},
    "c_peers": {"zh": "标杆单位（权重）", "en": "Peers (weights)"},
    "c_actual": {"zh": "{col}实际", "en": "{col} actual"},
    "c_target": {"zh": "{col}目标", "en": "{col} target"},
    "c_change": {"zh": "{col}调整幅度", "en": "{col} change"},
    "undefined": {"zh": "无可行解", "en": "infeasible"},
    "malm_text": {
        "zh": "{pf}—{pt}年，乡镇街道Malmquist生产率指数几何平均为{m}（技术效率变化{e}，技术进步{t}），"
              "{k}个乡镇街道生产率提高（指数大于1）。",
        "en": "{pf}–{pt}: the geometric mean Malmquist index of the townships is {m} "
              "(efficiency change {e}, technical change {t}); {k} townships improved (index "
              "above 1)."},
    "malm_none": {"zh": "工作簿中乡镇街道数据不足两个年度，未计算Malmquist指数。",
                  "en": "Fewer than two years of township data: no Malmquist index."},
    "malm_note": {"zh": "指数大于1表示改善；Malmquist指数 = 技术效率变化 × 技术进步，技术效率变化 = "
                        "纯技术效率变化 × 规模效率变化。",
                  "en": "Values above 1 mean improvement; Malmquist = efficiency change × "
                        "technical change, efficiency change = pure efficiency change × scale "
                        "efficiency change."},
    "t_malm_sum": {"zh": "表{k} Malmquist指数分解（几何平均）",
                   "en": "Table {k} Malmquist decomposition (geometric means)"},
    "t_malm": {"zh": "表{k} 各乡镇街道Malmquist指数", "en": "Table {k} Malmquist index by township"},
    "f_malm": {"zh": "图{k} 乡镇街道Malmquist生产率指数", "en": "Figure {k} Malmquist index by township"},
    "c_period": {"zh": "期间", "en": "Period"},
    "c_malm": {"zh": "Malmquist指数", "en": "Malmquist"},
    "c_effch": {"zh": "技术效率变化", "en": "Efficiency change"},
    "c_techch": {"zh": "技术进步", "en": "Technical change"},
    "c_pure": {"zh": "纯技术效率变化", "en": "Pure efficiency change"},
    "c_scale": {"zh": "规模效率变化", "en": "Scale efficiency change"},
    "c_improved": {"zh": "改善单位数", "en": "Units improved"},
    "t_gap_sum": {"zh": "表{k} 标杆差距汇总", "en": "Table {k} Gaps to the benchmark: summary"},
    "t_gap": {"zh": "表{k} {what}与标杆的差距", "en": "Table {k} Gaps to the benchmark: {what}"},
    "c_level": {"zh": "层级", "en": "Level"},
    "c_ind": {"zh": "指标", "en": "Indicator"},
    "c_bench": {"zh": "标杆值", "en": "Benchmark"},
    "c_meet": {"zh": "达到标杆的单位数", "en": "Units meeting it"},
    "c_mean_gap": {"zh": "平均差距", "en": "Mean gap"},
    "c_gap": {"zh": "{ind}差距", "en": "Gap: {ind}"},
    "gap_text": {"zh": "{what}{ind}的标杆值为{b}，{k}/{n}个单位达到标杆，平均差距{g}。",
                 "en": "{what}, {ind}: benchmark {b}; {k} of {n} units meet it; mean gap {g}."},
    "concl_t": {"zh": "乡镇街道层面，{names}为效率标杆，{worst}效率最低（{min}），"
                      "可对照其标杆单位在保持产出的前提下将{input}压减约{cut}。",
                "en": "Among the townships, {names} set the benchmark; {worst} is the least "
                      "efficient ({min}) and could deliver the same outputs with about {cut} "
                      "less {input}, following its peers."},
    "concl_d": {"zh": "部门层面，{k}个部门DEA有效，平均效率值{mean}；建议将效率评价结果与部门整体"
                      "绩效评价和预算安排结合运用。",
                "en": "Among the departments, {k} are DEA-efficient with a mean score of {mean}; "
                      "use the results together with the department-overall evaluation and the "
                      "budget."},
    "concl_note": {"zh": "DEA效率为相对效率，仅反映所选投入产出指标下与同类单位的比较，应结合实际情况分析"
                         "差距原因，不宜直接作为奖惩依据。",
                   "en": "DEA scores are relative to the units and indicators chosen; analyse "
                         "the causes of a gap before using it for rewards or sanctions."},
    "level_township": {"zh": "乡镇街道", "en": "Townships"},
    "level_department": {"zh": "部门", "en": "Departments"},
    "axis_eff": {"zh": "效率值", "en": "Score"},
    "peers_short": {"zh": "标杆：", "en": "peers: "},
    "efficient": {"zh": "DEA有效", "en": "efficient"},
    "inefficient": {"zh": "非有效", "en": "inefficient"},
}


def _bench_text(bench: Any, lang: str) -> str:
    if bench == "best":
        return _tx(_BM, "bench_best", lang)
    if isinstance(bench, str) and bench.startswith("p") and bench[1:].isdigit():
        p = int(bench[1:])
        return _tx(_BM, "bench_p", lang, k=100 - p, p=p)
    return format_number(bench, "0.00")


def dea_chart(block: dict, *, lang: str = "zh", title: str = ""):
    """Horizontal bars of the DEA scores, best first; efficient units in green, the others
    annotated with their peers (标杆单位)."""
    units = sorted(block.get("units") or [], key=lambda u: u["rank"])
    if not units:
        raise InputError("the DEA block has no units", argument="block")
    n = len(units)
    fig, ax = _fig_setup(9.0, max(3.2, 1.2 + 0.32 * n))
    y = np.arange(n)[::-1]
    eff = [u["efficiency"] for u in units]
    colours = ["#2e7d32" if u["efficient"] else "#1f5fa8" for u in units]
    ax.barh(y, eff, height=0.66, color=colours, zorder=2)
    right = max(max(eff), 1.0)
    for yy, u in zip(y, units):
        txt = format_number(u["efficiency"], _EFF)
        if not u["efficient"] and u.get("peer_names"):
            txt += "  " + _tx(_BM, "peers_short", lang) + _join(u["peer_names"], lang)
        ax.text(u["efficiency"] + right * 0.01, yy, txt, va="center", fontsize=8)
    ax.set_yticks(y, [u["name"] for u in units], fontsize=8.5)
    ax.set_xlim(0, right * 1.55)
    ax.axvline(1.0, color="#555555", linewidth=0.8, linestyle="--", zorder=1)
    ax.set_xlabel(_tx(_BM, "axis_eff", lang))
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color="#2e7d32", label=_tx(_BM, "efficient", lang)),
                       Patch(color="#1f5fa8", label=_tx(_BM, "inefficient", lang))],
              loc="lower right", fontsize=8.5, frameon=False)
    _clean_axes(ax)
    return fig


def malmquist_chart(malm: dict, *, lang: str = "zh"):
    """Dot plot of each township's Malmquist index per pair of years (line at 1 = no change)."""
    tab = malm.get("table") or []
    if not tab:
        raise InputError("the Malmquist block has no rows", argument="malm")
    units = list(dict.fromkeys(r["name"] for r in tab))
    pairs = list(dict.fromkeys((r["period_from"], r["period_to"]) for r in tab))
    n = len(units)
    fig, ax = _fig_setup(9.0, max(3.2, 1.2 + 0.3 * n))
    pos = {u: n - 1 - i for i, u in enumerate(units)}
    colours = ["#1f5fa8", "#d9730d", "#2e7d32", "#6a3d9a", "#8c564b"]
    for k, (pf, pt) in enumerate(pairs):
        rows = [r for r in tab if (r["period_from"], r["period_to"]) == (pf, pt)
                and r["malmquist"] is not None]
        ax.scatter([r["malmquist"] for r in rows], [pos[r["name"]] for r in rows], s=28,
                   color=colours[k % len(colours)], label=f"{pf}—{pt}", zorder=3)
    ax.axvline(1.0, color="#555555", linewidth=0.9, linestyle="--", zorder=1)
    ax.set_yticks(list(pos.values()), list(pos.keys()), fontsize=8.5)
    ax.set_xlabel(_tx(_BM, "c_malm", lang))
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    _clean_axes(ax)
    return fig


def _unit_format(labels: dict, col: str, *, target: bool = False) -> str:
    """Counts (人, 个) as whole numbers (targets with two decimals), amounts with separators."""
    unit = ((labels or {}).get(col) or {}).get("unit", "")
    if unit in ("人", "个", "次"):
        return _MONEY if target else "#,##0"
    return _MONEY if unit == "万元" else _RATIO


def _dea_tables(block: dict, what: str, lang: str, k0: int) -> tuple[list, list]:
    T = lambda key_, /, **kw: _tx(_BM, key_, lang, **kw)  # noqa: E731
    labels = block.get("labels") or {}
    ins, outs = block["inputs"], block["outputs"]
    units = sorted(block["units"], key=lambda u: u["rank"])
    yn = {True: label("misc.yes", lang), False: label("misc.no", lang)}
    cols = [T("c_rank"), T("c_unit")] + [_col_label(labels, c, lang) for c in ins + outs] + \
        [T("c_eff"), T("c_super"), T("c_efficient"), T("c_peers")]
    rows = []
    for u in units:
        peers = _join([f"{n}({format_number(w, '0.000')})" for n, w in
                       zip(u["peer_names"], u["peer_weights"])], lang) if not u["efficient"] \
            else "—"
        rows.append([u["rank"], u["name"]] + [u[c] for c in ins + outs]
                    + [u["efficiency"], u["super_efficiency"] if u["super_efficiency"]
                       is not None else T("undefined"), yn[bool(u["efficient"])], peers])
    fmt = {T("c_rank"): _INT, T("c_eff"): _EFF, T("c_super"): _EFF}
    fmt.update({_col_label(labels, c, lang): _unit_format(labels, c) for c in ins + outs})
    t1 = _table(T("t_dea", k=k0, what=what if lang == "zh" else what), cols, rows, fmt)
    orient_cols = ins if block["orientation"] == "input" else outs
    tcols = [T("c_unit"), T("c_eff")]
    for c in orient_cols:
        lab = _col_label(labels, c, lang)
        tcols += [T("c_actual", col=lab), T("c_target", col=lab), T("c_change", col=lab)]
    trows = []
    for u in units:
        if u["efficient"]:
            continue
        row = [u["name"], u["efficiency"]]
        for c in orient_cols:
            row += [u[c], u[f"target_{c}"], u[f"change_{c}"]]
        trows.append(row)
    tfmt = {T("c_eff"): _EFF}
    for c in orient_cols:
        lab = _col_label(labels, c, lang)
        tfmt.update({T("c_actual", col=lab): _unit_format(labels, c, target=True),
                     T("c_target", col=lab): _unit_format(labels, c, target=True),
                     T("c_change", col=lab): _PCT})
    t2 = _table(T("t_target", k=k0 + 1, what=what), tcols, trows, tfmt)
    return [t1, t2], units


def _dea_section(block: dict, title: str, what: str, what_plural: str, lang: str, k: int,
                 fig_k: int, figures: bool, extra: list[str]) -> dict:
    T = lambda key_, /, **kw: _tx(_BM, key_, lang, **kw)  # noqa: E731
    tables, units = _dea_tables(block, what, lang, k)
    eff_names = [u["name"] for u in units if u["efficient"]]
    worst = min(units, key=lambda u: u["efficiency"])
    par = [T("dea_text", n=block["n_units"], what=what_plural, k=block["n_efficient"],
             names=_join(eff_names, lang), mean=format_number(block["mean_efficiency"], _EFF),
             min=format_number(block["min_efficiency"], _EFF), worst=worst["name"])] + extra
    figs = [_figure(dea_chart(block, lang=lang), T("f_dea", k=fig_k, what=what))] \
        if figures else []
    return _sec(title, paragraphs=par, tables=tables, figures=figs)


def benchmarking_outline(results: dict, *, lang: str = "zh", figures: bool = True) -> dict:
    """The outline of a benchmarking report (标杆管理分析报告): DEA of the townships and
    departments, Malmquist indices, gaps to the benchmark."""
    r = _check(results, "benchmarking")
    T = lambda key_, /, **kw: _tx(_BM, key_, lang, **kw)  # noqa: E731
    tw, dp, malm = r["townships"], r["departments"], r.get("malmquist")
    prof = r.get("profile") or {}
    profile = " ".join(str(x) for x in (prof.get("id"), prof.get("version")) if x)
    lab = lambda b, cols: _join([_col_label(b.get("labels"), c, lang) for c in cols], lang)  # noqa
    s1 = _sec(T("s1"), paragraphs=[
        T("method", orient=T(f"orient_{tw['orientation']}")),
        T("levels", ti=lab(tw, tw["inputs"]), to=lab(tw, tw["outputs"]), trts=T(tw["rts"]),
          di=lab(dp, dp["inputs"]), do=lab(dp, dp["outputs"]), drts=T(dp["rts"]),
          year=r["year"], profile=profile),
        T("gap_method", bench=_bench_text(r.get("benchmark"), lang))])
    what_t, what_d = T("level_township"), T("level_department")
    extra_t = [T("excluded", names=_join(tw["excluded"], lang))] if tw.get("excluded") else []
    s2 = _dea_section(tw, T("s2"), what_t, T("town"), lang, 1, 1, figures, extra_t)
    extra_d = ([T("excluded", names=_join(dp["excluded"], lang))] if dp.get("excluded") else []) \
        + ([T("no_projects", names=_join(dp["no_projects"], lang))] if dp.get("no_projects")
           else [])
    s3 = _dea_section(dp, T("s3"), what_d, T("dept"), lang, 3, 2, figures, extra_d)

    k = 5
    if malm:
        summ = malm["summary"]
        par = [T("malm_text", pf=s["period_from"], pt=s["period_to"],
                 m=format_number(s["malmquist"], "0.0000"), e=format_number(s["effch"], "0.0000"),
                 t=format_number(s["techch"], "0.0000"), k=s["n_improved"]) for s in summ]
        par.append(T("malm_note"))
        mcols = [T("c_period"), T("c_malm"), T("c_effch"), T("c_techch"), T("c_pure"),
                 T("c_scale"), T("c_improved")]
        srows = [[f"{s['period_from']}—{s['period_to']}", s["malmquist"], s["effch"],
                  s["techch"], s["pure_effch"], s["scale_effch"], s["n_improved"]]
                 for s in summ]
        f4 = {c: "0.0000" for c in mcols[1:6]}
        f4[T("c_improved")] = _INT
        drows = [[x["name"], f"{x['period_from']}—{x['period_to']}", x["malmquist"],
                  x["effch"], x["techch"], x["pure_effch"], x["scale_effch"]]
                 for x in malm["table"]]
        dcols = [T("c_unit")] + mcols[:6]
        s4 = _sec(T("s4"), paragraphs=par,
                  tables=[_table(T("t_malm_sum", k=k), mcols, srows, f4),
                          _table(T("t_malm", k=k + 1), dcols, drows,
                                 {c: "0.0000" for c in dcols[2:]})],
                  figures=[_figure(malmquist_chart(malm, lang=lang), T("f_malm", k=3))]
                  if figures else [])
        k += 2
    else:
        s4 = _sec(T("s4"), paragraphs=[T("malm_none")])

    gs = r.get("gap_summary") or []
    gl = {"township": what_t, "department": what_d}
    pct_ind = {"livelihood_share", "spending_progress", "execution_rate"}

    def gfmt(code):
        return _PCT if code in pct_ind else ("0.00" if code == "mean_score" else _EFF)

    ind_name = lambda g: g["indicator_zh"] if lang == "zh" else g["indicator_en"]  # noqa
    s5_par = [T("gap_text", what=gl[g["level"]], ind=ind_name(g),
                b=format_number(g["benchmark_value"], gfmt(g["indicator"])), k=g["n_meeting"],
                n=g["n_units"], g=_p(g["mean_gap"])) for g in gs]
    sum_rows = [[gl[g["level"]], ind_name(g), format_number(g["benchmark_value"],
                                                            gfmt(g["indicator"])),
                 g["n_meeting"], g["n_units"], g["mean_gap"]] for g in gs]
    s5_tab = [_table(T("t_gap_sum", k=k), [T("c_level"), T("c_ind"), T("c_bench"),
                                           T("c_meet"), "n", T("c_mean_gap")], sum_rows,
                     {T("c_meet"): _INT, "n": _INT, T("c_mean_gap"): _PCT})]
    k += 1
    for level in ("township", "department"):
        inds = [g for g in gs if g["level"] == level]
        rows_by_unit: dict = {}
        for x in r.get("gaps") or []:
            if x["level"] == level:
                rows_by_unit.setdefault((x["unit"], x["name"]), {})[x["indicator"]] = x
        if not inds or not rows_by_unit:
            continue
        cols = [T("c_unit")]
        for g in inds:
            cols += [ind_name(g), T("c_gap", ind=ind_name(g))]
        rows, fmt = [], {}
        for g in inds:
            fmt[ind_name(g)] = gfmt(g["indicator"])
            fmt[T("c_gap", ind=ind_name(g))] = _PCT
        for (unit, name), d in rows_by_unit.items():
            row = [name]
            for g in inds:
                x = d.get(g["indicator"]) or {}
                row += [x.get("value"), x.get("gap")]
            rows.append(row)
        s5_tab.append(_table(T("t_gap", k=k, what=gl[level]), cols, rows, fmt))
        k += 1
    s5 = _sec(T("s5"), paragraphs=s5_par, tables=s5_tab)

    tu = sorted(tw["units"], key=lambda u: u["efficiency"])
    worst = tu[0]
    concl = []
    if tw["orientation"] == "input" and tw["inputs"]:
        c0 = tw["inputs"][0]
        concl.append(T("concl_t", names=_join([u["name"] for u in tw["units"] if u["efficient"]],
                                              lang),
                       worst=worst["name"], min=format_number(worst["efficiency"], _EFF),
                       input=_col_label(tw.get("labels"), c0, lang).split("（")[0],
                       cut=_p(-(worst.get(f"change_{c0}") or 0.0))))
    concl.append(T("concl_d", k=dp["n_efficient"],
                   mean=format_number(dp["mean_efficiency"], _EFF)))
    concl.append(T("concl_note"))
    s6 = _sec(T("s6"), paragraphs=concl)
    meta = [[T("m_year"), r["year"]], [T("m_towns"), tw["n_units"]],
            [T("m_depts"), dp["n_units"]], [T("m_profile"), profile],
            [T("m_bench"), _bench_text(r.get("benchmark"), lang)]]
    return {"title": T("title"), "subtitle": T("subtitle", year=r["year"]), "meta": meta,
            "context": {"year": r["year"]}, "sections": [s1, s2, s3, s4, s5, s6]}


# ============================================================================================
# 因素分析 factor analysis and decomposition
# ============================================================================================
_FA = {
    "title": {"zh": "因素分析报告", "en": "Factor analysis report"},
    "subtitle": {"zh": "（{year}年度）", "en": "(fiscal year {year})"},
    "m_obs": {"zh": "因子分析样本", "en": "Factor-analysis sample"},
    "m_obs_v": {"zh": "{n}个乡镇街道·年度观测（{years}）", "en": "{n} township-years ({years})"},
    "m_method": {"zh": "提取方法/旋转", "en": "Extraction / rotation"},
    "m_dec": {"zh": "变动分析期间", "en": "Change analysed"},
    "s1": {"zh": "一、分析对象与数据", "en": "1. Data"},
    "s2": {"zh": "二、适用性检验", "en": "2. Suitability tests"},
    "s3": {"zh": "三、因子提取与旋转", "en": "3. Extraction and rotation"},
    "s4": {"zh": "四、指标体系精简建议", "en": "4. Reducing the indicator set"},
    "s5": {"zh": "五、因子得分", "en": "5. Factor scores"},
    "s6": {"zh": "六、项目支出变动因素分析", "en": "6. What drove the change in project spending"},
    "s7": {"zh": "七、结论", "en": "7. Conclusions"},
    "data": {
        "zh": "选取乡镇街道{n_vars}项财政指标，以{years}年共{n}个乡镇街道·年度观测为样本（{drop}），"
              "对指标体系进行因子分析，识别其背后的共同因子，为精简指标体系提供依据。",
        "en": "{n_vars} fiscal indicators of the townships over {years} ({n} township-years; "
              "{drop}) are factor-analysed to find the common factors behind them and to "
              "reduce the indicator set."},
    "drop_none": {"zh": "无缺失观测", "en": "no observation dropped"},
    "drop_some": {"zh": "{k}个观测因数据缺失剔除", "en": "{k} observations with missing data dropped"},
    "t_vars": {"zh": "表1 分析指标及描述统计", "en": "Table 1 Indicators and descriptive statistics"},
    "c_var": {"zh": "指标", "en": "Indicator"},
    "c_unit": {"zh": "单位", "en": "Unit"},
    "c_mean": {"zh": "均值", "en": "Mean"},
    "c_sd": {"zh": "标准差", "en": "SD"},
    "c_msa": {"zh": "MSA", "en": "MSA"},
    "kmo": {
        "zh": "KMO检验值为{kmo}（{label}），Bartlett球形检验χ²={chi}（自由度{df}），p {p}。{verdict}",
        "en": "KMO = {kmo} ({label}); Bartlett's test χ² = {chi} on {df} df, p {p}. {verdict}"},
    "suitable": {"zh": "数据适合进行因子分析。", "en": "The data are suitable for factor analysis."},
    "unsuitable": {"zh": "KMO值低于0.6或Bartlett检验不显著，因子分析结果仅供参考。",
                   "en": "KMO below 0.6 or Bartlett's test not significant: read the factors "
                         "with caution."},
    "kmo_marvelous": {"zh": "非常适合", "en": "marvelous"},
    "kmo_meritorious": {"zh": "很适合", "en": "meritorious"},
    "kmo_middling": {"zh": "适合", "en": "middling"},
    "kmo_mediocre": {"zh": "一般", "en": "mediocre"},
    "kmo_miserable": {"zh": "勉强", "en": "miserable"},
    "kmo_unacceptable": {"zh": "不适合", "en": "unacceptable"},
    "extract": {
        "zh": "相关矩阵特征值大于1的因子有{kaiser}个，{rule}保留{nf}个因子，采用{method}法提取、{rot}旋转，"
              "累计方差贡献率{cum}。{names}",
        "en": "{kaiser} eigenvalues of the correlation matrix exceed 1; {rule} {nf} factors are "
              "retained ({method} extraction, {rot} rotation), explaining {cum} of the "
              "variance. {names}"},
    "rule_kaiser": {"zh": "按Kaiser准则", "en": "by Kaiser's rule"},
    "rule_given": {"zh": "按设定", "en": "as set,"},
    "factor_names": {"zh": "{f}主要反映{vars}", "en": "{f} mainly reflects {vars}"},
    "t_eig": {"zh": "表2 方差解释", "en": "Table 2 Variance explained"},
    "c_factor": {"zh": "因子", "en": "Factor"},
    "c_ss": {"zh": "载荷平方和", "en": "SS loadings"},
    "c_prop": {"zh": "方差贡献率", "en": "Proportion"},
    "c_cum": {"zh": "累计贡献率", "en": "Cumulative"},
    "t_load": {"zh": "表3 旋转后因子载荷矩阵", "en": "Table 3 Rotated loadings"},
    "c_h2": {"zh": "共同度", "en": "Communality"},
    "f_scree": {"zh": "图1 碎石图", "en": "Figure 1 Scree plot"},
    "f_heat": {"zh": "图2 因子载荷热力图", "en": "Figure 2 Loadings heatmap"},
    "reduce": {
        "zh": "各因子载荷绝对值最大的指标可作为代表性指标：{reps}。共同度低于0.5的指标（{low}）被公共因子解释"
              "不足，可考虑剔除或单独保留；在多个因子上载荷≥0.4的指标（{cross}）含义交叉，宜结合业务判断。",
        "en": "The indicator with the largest loading on each factor can represent it: {reps}. "
              "Indicators with communality below 0.5 ({low}) are poorly explained by the common "
              "factors (drop or keep separately); indicators loading ≥ 0.4 on several factors "
              "({cross}) mix meanings and need judgement."},
    "t_reduce": {"zh": "表4 指标精简建议", "en": "Table 4 Suggested reduction"},
    "c_main": {"zh": "主因子", "en": "Main factor"},
    "c_load": {"zh": "载荷", "en": "Loading"},
    "c_sugg": {"zh": "建议", "en": "Suggestion"},
    "sg_representative": {"zh": "保留（代表性指标）", "en": "keep (representative)"},
    "sg_keep": {"zh": "保留", "en": "keep"},
    "sg_drop_candidate": {"zh": "可考虑剔除", "en": "drop candidate"},
    "sg_review_cross_loading": {"zh": "交叉载荷，需复核", "en": "cross-loading: review"},
    "scores": {"zh": "{year}年各乡镇街道的因子得分（回归法，标准化得分，0为样本平均水平）如下。",
               "en": "Factor scores of the townships in {year} (regression method; standardised, "
                     "0 = sample average)."},
    "t_scores": {"zh": "表5 {year}年乡镇街道因子得分", "en": "Table 5 Factor scores, {year}"},
    "c_town": {"zh": "乡镇街道", "en": "Township"},
    "dec": {
        "zh": "{scope}项目支出执行数由{y0}年的{v0}万元变为{y1}年的{v1}万元，变动{d}万元。将其分解为项目个数、"
              "平均预算规模（全年预算数/项目个数）和预算执行率三个因素：执行数 = 项目个数 × 平均预算规模 × "
              "预算执行率。",
        "en": "{scope} executed project spending went from {v0} in {y0} to {v1} in {y1}, a change "
              "of {d} (CNY 10,000). It is split into three factors: executed = number of projects "
              "× average budget (full-year budget / projects) × execution rate."},
    "scope_district": {"zh": "全区", "en": "District-wide,"},
    "scope_dept": {"zh": "{name}", "en": "{name}:"},
    "lmdi": {
        "zh": "按{by}分组的LMDI加法分解（无残差）：项目个数效应{n}万元，平均预算规模效应{a}万元，"
              "预算执行率效应{r}万元。",
        "en": "LMDI additive decomposition by {by} (no residual): number of projects {n}, "
              "average budget {a}, execution rate {r}."},
    "lmdi_mult": {"zh": "乘法分解：执行数变为基期的{tot}倍，其中项目个数{n}、平均预算规模{a}、"
                        "预算执行率{r}。",
                  "en": "Multiplicative: executed spending is {tot} times the base, of which "
                        "number of projects {n}, average budget {a}, execution rate {r}."},
    "chain": {"zh": "连环替代法（按项目个数→平均预算规模→预算执行率顺序替代）：{effects}。{note}",
              "en": "Chain substitution (order: projects → average budget → execution rate): "
                    "{effects}. {note}"},
    "chain_dep": {"zh": "连环替代法的结果依赖替代顺序，各因素影响在全部替代顺序下的取值区间见表7。",
                  "en": "Chain-substitution effects depend on the order; the range of each "
                        "effect over all orders is in Table 7."},
    "chain_indep": {"zh": "本例中各因素影响与替代顺序无关。",
                    "en": "Here the effects do not depend on the order."},
    "t_lmdi": {"zh": "表6 LMDI分解结果（万元）", "en": "Table 6 LMDI decomposition (CNY 10,000)"},
    "t_chain": {"zh": "表7 连环替代法分解结果（万元）",
                "en": "Table 7 Chain substitution (CNY 10,000)"},
    "t_groups": {"zh": "表8 按{by}的LMDI分解明细（万元）",
                 "en": "Table 8 LMDI detail by {by} (CNY 10,000)"},
    "f_water": {"zh": "图3 项目支出变动因素分解（LMDI）", "en": "Figure 3 LMDI decomposition"},
    "c_effect": {"zh": "影响额", "en": "Effect"},
    "c_share": {"zh": "贡献率", "en": "Share"},
    "c_index": {"zh": "乘法指数", "en": "Index"},
    "c_plan": {"zh": "基期值", "en": "Base"},
    "c_actual": {"zh": "报告期值", "en": "Current"},
    "c_min": {"zh": "最小影响", "en": "Min effect"},
    "c_max": {"zh": "最大影响", "en": "Max effect"},
    "c_group": {"zh": "分组", "en": "Group"},
    "c_v0": {"zh": "基期执行数", "en": "Base executed"},
    "c_v1": {"zh": "报告期执行数", "en": "Current executed"},
    "c_total": {"zh": "合计", "en": "Total"},
    "f_n_projects": {"zh": "项目个数", "en": "number of projects"},
    "f_avg_budget": {"zh": "平均预算规模", "en": "average budget"},
    "f_execution_rate": {"zh": "预算执行率", "en": "execution rate"},
    "by_sector": {"zh": "行业领域", "en": "sector"},
    "by_department": {"zh": "部门", "en": "department"},
    "concl_fa": {"zh": "{nf}个公共因子解释了{cum}的方差，{n_vars}项指标可由{reps}等{k}项代表性指标概括。",
                 "en": "{nf} common factors explain {cum} of the variance; the {n_vars} "
                       "indicators can be summarised by {k} representative indicators ({reps})."},
    "concl_dec": {"zh": "项目支出执行数变动{d}万元，其中影响最大的因素是{top}（{e}万元）。",
                  "en": "Executed project spending changed by {d}; the largest factor is {top} "
                        "({e})."},
    "axis_eig": {"zh": "特征值", "en": "Eigenvalue"},
    "axis_comp": {"zh": "成分序号", "en": "Component"},
    "kaiser_line": {"zh": "特征值 = 1", "en": "eigenvalue = 1"},
    "base": {"zh": "{y}年", "en": "{y}"},
}


def scree_chart(eigenvalues: list, n_factors: int, *, lang: str = "zh"):
    """Scree plot (碎石图): eigenvalues with the Kaiser line at 1; retained factors filled."""
    ev = [float(v) for v in eigenvalues]
    fig, ax = _fig_setup(7.5, 3.8)
    x = np.arange(1, len(ev) + 1)
    ax.plot(x, ev, color="#1f5fa8", linewidth=1.4, zorder=2)
    ax.scatter(x[:n_factors], ev[:n_factors], color="#1f5fa8", s=36, zorder=3)
    ax.scatter(x[n_factors:], ev[n_factors:], facecolor="white", edgecolor="#1f5fa8", s=36,
               zorder=3)
    ax.axhline(1.0, color="#c0504d", linestyle="--", linewidth=1.0,
               label=_tx(_FA, "kaiser_line", lang))
    for xx, v in zip(x, ev):
        ax.text(xx, v, f" {v:.2f}", fontsize=7.5, va="bottom")
    ax.set_xticks(x)
    ax.set_xlabel(_tx(_FA, "axis_comp", lang))
    ax.set_ylabel(_tx(_FA, "axis_eig", lang))
    ax.legend(loc="upper right", fontsize=8.5, frameon=False)
    _clean_axes(ax, "y")
    return fig


def loadings_heatmap(loadings: list, names: dict, *, lang: str = "zh"):
    """Heatmap of the (rotated) loadings, values written in the cells."""
    if not loadings:
        raise InputError("no loadings", argument="loadings")
    factors = [k for k in loadings[0] if k != "variable"]
    M = np.array([[float(r[f]) for f in factors] for r in loadings])
    rows = [names.get(r["variable"], r["variable"]) for r in loadings]
    fig, ax = _fig_setup(max(5.0, 2.8 + 1.1 * len(factors)), max(3.0, 1.0 + 0.42 * len(rows)))
    im = ax.imshow(M, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    for i in range(M.shape[0]):
        for j in range(M.shape[1]):
            ax.text(j, i, f"{M[i, j]:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if abs(M[i, j]) > 0.6 else "#222222")
    ax.set_xticks(range(len(factors)), factors)
    ax.set_yticks(range(len(rows)), rows, fontsize=8.5)
    fig.colorbar(im, ax=ax, shrink=0.8)
    return fig


def waterfall_chart(dec: dict, *, lang: str = "zh"):
    """Waterfall of the LMDI additive effects from the base-year to the current-year value."""
    eff = (dec.get("lmdi_additive") or {}).get("effects") or {}
    if not eff:
        raise InputError("no LMDI effects", argument="dec")
    fig, ax = _fig_setup(8.0, 4.2)
    steps = [(_tx(_FA, "base", lang, y=dec["base_year"]), dec["base_value"], "total")]
    steps += [(_tx(_FA, f"f_{k}", lang), float(v), "step") for k, v in eff.items()]
    steps.append((_tx(_FA, "base", lang, y=dec["year"]), dec["current_value"], "total"))
    level, lowest = 0.0, min(dec["base_value"], dec["current_value"])
    for i, (name, v, kind) in enumerate(steps):
        if kind == "total":
            ax.bar(i, v, color="#546e7a", width=0.6, zorder=2)
            level = v
            ax.text(i, v, _m(v), ha="center", va="bottom", fontsize=8)
        else:
            ax.bar(i, v, bottom=level, color="#2e7d32" if v >= 0 else "#c0504d", width=0.6,
                   zorder=2)
            ax.text(i, level + max(v, 0), ("+" if v >= 0 else "") + _m(v), ha="center",
                    va="bottom", fontsize=8)
            level += v
            lowest = min(lowest, level)
    ax.set_xticks(range(len(steps)), [s[0] for s in steps], fontsize=9)
    lo = lowest * 0.85
    ax.set_ylim(max(0.0, lo), max(dec["base_value"], dec["current_value"]) * 1.08)
    ax.set_ylabel("万元" if lang == "zh" else "CNY 10,000")
    _clean_axes(ax, "y")
    return fig


def factor_outline(results: dict, *, lang: str = "zh", figures: bool = True) -> dict:
    """The outline of a factor-analysis report (因素分析报告): factor analysis of the indicator
    set, then the decomposition of the change in project spending."""
    r = _check(results, "factor_analysis")
    T = lambda key_, /, **kw: _tx(_FA, key_, lang, **kw)  # noqa: E731
    fa, dec = r["factor"], r["decomposition"]
    vars_ = fa["variables"]
    vname = {v["variable"]: (v["name_zh"] if lang == "zh" else v["name_en"]) for v in vars_}
    years = fa["years"]
    ytxt = f"{years[0]}—{years[-1]}" if len(years) > 1 else str(years[0])
    drop = T("drop_none") if not fa["dropped_observations"] else \
        T("drop_some", k=len(fa["dropped_observations"]))
    s1 = _sec(T("s1"), paragraphs=[T("data", n_vars=fa["n_vars"], years=ytxt, n=fa["n_obs"],
                                     drop=drop)],
              tables=[_table(T("t_vars"), [T("c_var"), T("c_unit"), T("c_mean"), T("c_sd"),
                                           T("c_msa")],
                             [[vname[v["variable"]], v["unit"], v["mean"], v["sd"], v["msa"]]
                              for v in vars_],
                             {T("c_mean"): _RATIO, T("c_sd"): _RATIO, T("c_msa"): _EFF})])
    bart = fa["bartlett"]
    ok = fa["kmo"] >= 0.6 and (bart.get("pvalue") or 1.0) < 0.05
    p = bart.get("pvalue")
    s2 = _sec(T("s2"), paragraphs=[T("kmo", kmo=format_number(fa["kmo"], _EFF),
                                     label=T(f"kmo_{fa['kmo_label']}"),
                                     chi=format_number(bart["statistic"], "0.00"),
                                     df=format_number(bart["dof"], _INT),
                                     p="< 0.001" if p is not None and p < 0.001 else
                                     "= " + format_number(p, "0.000"),
                                     verdict=T("suitable" if ok else "unsuitable"))])
    facs = fa["factors"]
    names_txt = ("；" if lang == "zh" else "; ").join(
        T("factor_names", f=f["factor"], vars=_join([vname[v] for v in f["salient"]], lang))
        for f in facs) + ("。" if lang == "zh" else ".")
    cum = facs[-1]["cumulative"] if facs else None
    rot = {"varimax": "方差最大化（varimax）", "promax": "promax斜交", "oblimin": "oblimin斜交",
           "none": "不"}.get(fa["rotation"], fa["rotation"]) if lang == "zh" else fa["rotation"]
    meth = {"minres": "最小残差", "ml": "最大似然", "pa": "主轴因子", "pc": "主成分"}.get(
        fa["method"], fa["method"]) if lang == "zh" else fa["method"]
    eig_rows = [[f["factor"], f["ss_loadings"], f["proportion"], f["cumulative"]] for f in facs]
    fnames = [f["factor"] for f in facs]
    h2 = {v["variable"]: v["h2"] for v in vars_}
    load_rows = [[vname[x["variable"]]] + [x[f] for f in fnames] + [h2[x["variable"]]]
                 for x in fa["loadings"]]
    figs = []
    if figures:
        figs = [_figure(scree_chart(fa["eigenvalues"], fa["n_factors"], lang=lang),
                        T("f_scree"), 12.0),
                _figure(loadings_heatmap(fa["loadings"], vname, lang=lang), T("f_heat"), 13.0)]
    s3 = _sec(T("s3"), paragraphs=[T("extract", kaiser=fa["kaiser_n"],
                                     rule=T("rule_kaiser" if fa["n_factors_rule"] == "kaiser"
                                            else "rule_given"),
                                     nf=fa["n_factors"], method=meth, rot=rot, cum=_p(cum),
                                     names=names_txt)],
              tables=[_table(T("t_eig"), [T("c_factor"), T("c_ss"), T("c_prop"), T("c_cum")],
                             eig_rows, {T("c_ss"): _EFF, T("c_prop"): _PCT, T("c_cum"): _PCT}),
                      _table(T("t_load"), [T("c_var")] + fnames + [T("c_h2")], load_rows,
                             {**{f: _EFF for f in fnames}, T("c_h2"): _EFF})],
              figures=figs)
    reps = [vname[v["variable"]] for v in vars_ if v["represents"]]
    low = [vname[v["variable"]] for v in vars_ if v["low_communality"]]
    cross = [vname[v["variable"]] for v in vars_ if v["cross_loading"]]
    s4 = _sec(T("s4"), paragraphs=[T("reduce", reps=_join(reps, lang), low=_join(low, lang),
                                     cross=_join(cross, lang))],
              tables=[_table(T("t_reduce"), [T("c_var"), T("c_main"), T("c_load"), T("c_h2"),
                                             T("c_sugg")],
                             [[vname[v["variable"]], v["factor"], v["loading"], v["h2"],
                               T(f"sg_{v['suggestion']}")] for v in vars_],
                             {T("c_load"): _EFF, T("c_h2"): _EFF})])
    sc_rows = [[s["name"]] + [s[f] for f in fnames] for s in fa["scores"]]
    s5 = _sec(T("s5"), paragraphs=[T("scores", year=fa["scores_year"])],
              tables=[_table(T("t_scores", year=fa["scores_year"]), [T("c_town")] + fnames,
                             sc_rows, {f: _EFF for f in fnames})])

    add = dec["lmdi_additive"]
    eff = add["effects"]
    by = T(f"by_{dec['by']}")
    scope = T("scope_district") if dec.get("department_id") is None else \
        T("scope_dept", name=dec.get("department_name") or dec["department_id"])
    par = [T("dec", scope=scope, y0=dec["base_year"], v0=_m(dec["base_value"]), y1=dec["year"],
             v1=_m(dec["current_value"]), d=_m(dec["change"])),
           T("lmdi", by=by, n=_m(eff["n_projects"]), a=_m(eff["avg_budget"]),
             r=_m(eff["execution_rate"]))]
    mult = dec.get("lmdi_multiplicative")
    if mult:
        me = mult["effects"]
        par.append(T("lmdi_mult", tot=format_number(mult["total"], "0.0000"),
                     n=format_number(me["n_projects"], "0.0000"),
                     a=format_number(me["avg_budget"], "0.0000"),
                     r=format_number(me["execution_rate"], "0.0000")))
    ch = dec["chain_substitution"]
    ce = ch["effects"]
    par.append(T("chain", effects=_join([f"{T('f_' + k)} {_m(v)}" for k, v in ce.items()],
                                        lang),
                 note=T("chain_dep" if ch["order_dependent"] else "chain_indep")))
    fnames_dec = dec["factors"]
    total_change = dec["change"]
    lrows = [[T(f"f_{k}"), eff[k], (eff[k] / total_change) if total_change else None,
              (mult["effects"][k] if mult else None)] for k in fnames_dec]
    lrows.append([T("c_total"), total_change, 1.0 if total_change else None,
                  mult["total"] if mult else None])
    crow = [[T(f"f_{x['factor']}"), x["plan"], x["actual"], x["effect"], x["share"],
             x["effect_min"], x["effect_max"]] for x in dec["chain_table"]]
    chain_fmt_rows = []
    for row, x in zip(crow, dec["chain_table"]):
        fmtv = "#,##0.00" if x["factor"] == "avg_budget" else (
            "0.00%" if x["factor"] == "execution_rate" else "#,##0")
        if x["factor"] == "execution_rate":
            row[1], row[2] = _p(x["plan"], 2), _p(x["actual"], 2)
        else:
            row[1], row[2] = format_number(x["plan"], fmtv), format_number(x["actual"], fmtv)
        chain_fmt_rows.append(row)
    grp_rows = [[g[dec["by"]]] + [g[k] for k in fnames_dec] + [g["total"], g["base_value"],
                                                                g["current_value"]]
                for g in dec["lmdi_detail"]]
    gcols = [T("c_group")] + [T(f"f_{k}") for k in fnames_dec] + [T("c_total"), T("c_v0"),
                                                                   T("c_v1")]
    s6 = _sec(T("s6"), paragraphs=par, tables=[
        _table(T("t_lmdi"), [T("c_var"), T("c_effect"), T("c_share"), T("c_index")], lrows,
               {T("c_effect"): _MONEY, T("c_share"): _PCT, T("c_index"): "0.0000"}),
        _table(T("t_chain"), [T("c_var"), T("c_plan"), T("c_actual"), T("c_effect"),
                              T("c_share"), T("c_min"), T("c_max")], chain_fmt_rows,
               {T("c_effect"): _MONEY, T("c_share"): _PCT, T("c_min"): _MONEY,
                T("c_max"): _MONEY}),
        _table(T("t_groups", by=by), gcols, grp_rows, {c: _MONEY for c in gcols[1:]})],
        figures=[_figure(waterfall_chart(dec, lang=lang), T("f_water"), 13.0)]
        if figures else [])
    top = max(eff, key=lambda k: abs(eff[k]))
    s7 = _sec(T("s7"), paragraphs=[
        T("concl_fa", nf=fa["n_factors"], cum=_p(cum), n_vars=fa["n_vars"], k=len(reps),
          reps=_join(reps, lang)),
        T("concl_dec", d=_m(total_change), top=T(f"f_{top}"), e=_m(eff[top]))])
    meta = [[T("m_obs"), T("m_obs_v", n=fa["n_obs"], years=ytxt)],
            [T("m_method"), f"{meth} / {rot}"],
            [T("m_dec"), f"{dec['base_year']}—{dec['year']}"]]
    return {"title": T("title"), "subtitle": T("subtitle", year=r["year"]), "meta": meta,
            "context": {"year": r["year"]}, "sections": [s1, s2, s3, s4, s5, s6, s7]}
