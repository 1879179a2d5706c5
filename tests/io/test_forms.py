"""Reading the official forms (perfkit.io.forms): four layouts, targets/monitoring forms, the
round trip into the workbook format and scoring, and the ``import-forms`` command."""
from __future__ import annotations

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from perfkit.cli import main
from perfkit.datasets.demo import write
from perfkit.errors import InputError
from perfkit.io import read_workbook
from perfkit.io.forms import REPORT_COLUMNS, FormsImport, _lab, read_forms
from perfkit.report.xlsx import write_self_eval_table
from perfkit.scoring import score_self_evaluation
from tests.io import forms_factory as F


# ============================================================================================
# fixtures: the forms are built once, read once
# ============================================================================================
@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("forms")
    F.chizhou(d / "贵池区棠溪镇.xlsx")
    F.qingshen(d / "青神县发改局.xlsx")
    F.stacked(d / "区教委.xlsx")
    return d


@pytest.fixture(scope="module")
def imp(folder) -> FormsImport:
    return read_forms(folder)


def _errors(res: FormsImport, sheet: str | None = None) -> dict[str, tuple]:
    return {p.column: (p.value, p.rule) for p in res.problems if sheet in (None, p.sheet)}


def _notes(res: FormsImport, sheet: str | None = None) -> list:
    return [p for p in res.notes if sheet in (None, p.sheet)]


def _ind(res: FormsImport, project: str) -> pd.DataFrame:
    pid = res.projects.loc[res.projects["name"] == project, "project_id"].iloc[0]
    return res.indicators[res.indicators["project_id"] == pid].set_index("level3")


# ============================================================================================
# finding the forms
# ============================================================================================
def test_every_form_found_with_its_range_and_year(imp):
    rep = imp.report()
    assert list(rep.columns) == list(REPORT_COLUMNS)
    got = rep[["sheet", "form", "range", "year", "project", "indicators", "status"]] \
        .values.tolist()
    assert sorted(got, key=lambda r: (r[3], r[4])) == sorted([
        ["委托业务项目", "项目支出绩效自评表", "A1:I25", 2022, "委托业务项目", 10, "read"],
        ["村级补助及运转经费", "项目支出绩效自评表", "A1:I20", 2022, "村级补助及运转经费", 5, "read"],
        ["专项经费", "项目支出绩效自评表", "A1:K24", 2023, "培训专项经费", 3, "read"],
        ["办公经费", "项目支出绩效自评表", "A1:K25", 2023, "办公经费", 3, "read"],
        ["工资性支出", "项目支出绩效自评表", "A1:K26", 2023, "工资性支出", 5, "read"],
        ["自评表", "项目支出绩效自评表", "A1:H18", 2024, "学生营养改善计划", 6, "read"],
        ["自评表", "项目支出绩效自评表", "A21:H36", 2024, "校舍安全维修", 5, "read"],
        ["自评表", "项目支出绩效自评表", "A39:H53", 2024, "教师培训", 4, "read"],
    ], key=lambda r: (r[3], r[4]))
    assert imp.n_read == 8
    assert "forms read: 8" in imp.summary()


@pytest.mark.parametrize("text, key, inline", [
    ("项 目 名 称", "项目名称", None),
    ("实施单位\n(盖章)", "实施单位", None),
    ("年初预算数（万元）", "年初预算数", None),
    ("全年预算数(A)", "全年预算数", None),
    ("产出指标（50分）", "产出指标", None),
    ("其中：本年财政拨款", "其中", "本年财政拨款"),
    ("主管部门：区教育委员会", "主管部门", "区教育委员会"),
    ("权\u3000重", "权重", None),
    ("１.项目年度目标完成情况", "项目年度目标完成情况", None),
])
def test_labels_are_normalised(text, key, inline):
    assert _lab(text) == (key, inline)


# ============================================================================================
# (a) Chizhou: one 年度指标值 text column, 10/50/30/10, zero headline, codes in names
# ============================================================================================
def test_chizhou_header_codes_and_generated_ids(imp, folder):
    p = imp.projects.set_index("name").loc["委托业务项目"]
    assert p["department"] == "池州市贵池区棠溪镇人民政府" and p["department_code"] == "219"
    assert p["implementing_unit"] == "池州市贵池区棠溪镇人民政府"
    assert p["year"] == 2022 and bool(p["id_generated"])
    assert p["project_id"].startswith("P") and len(p["project_id"]) == 11
    assert p["objective"].startswith("本项目共申请预算资金90万元")
    assert read_forms(folder / "贵池区棠溪镇.xlsx").projects["project_id"].iloc[0] == \
        p["project_id"]                                            # stable across reads
    notes = {(n.column, n.rule.split(" ")[0]) for n in _notes(imp, "委托业务项目")}
    assert ("B4", "department") in notes and ("B3", "no") in notes


def test_chizhou_zero_headline_takes_the_rows_below(imp):
    pid = imp.projects.set_index("name").at["委托业务项目", "project_id"]
    b = imp.budget[imp.budget["project_id"] == pid]
    assert b[["source", "initial", "adjusted", "executed"]].values.tolist() == \
        [["当年财政拨款", 90.0, 89.974, 89.974]]
    zero = [n for n in _notes(imp, "委托业务项目") if n.rule.startswith("年度资金总额 is zero")]
    assert [(n.column, n.row) for n in zero] == [("B6", 6)]
    rep = imp.report().set_index("project").loc["委托业务项目"]
    assert (rep["execution_weight"], rep["execution_awarded"], rep["awarded_total"]) == \
        (10.0, 0.0, 100.0)


def test_chizhou_targets_and_actuals_as_printed(imp):
    ind = _ind(imp, "委托业务项目")
    assert "经济效益指标" not in set(ind["level2"])          # the empty placeholder row
    cols = ["level1", "level2", "direction", "unit", "target_value", "actual_value", "kind",
            "rating", "weight", "awarded", "level1_points"]
    exp = {
        "基建工程委托业务项目数量": ["产出指标", "数量指标", "≥", "个", 50, 50, "定量", None, 8, 8, 50],
        "委托业务报告合格率": ["产出指标", "质量指标", "≥", "%", 100, 100, "定量", None, 8, 8, 50],
        "经费支出合规性": ["产出指标", "质量指标", "定性", None, np.nan, np.nan, "定性", "达成", 8, 8,
                    50],
        "提交报告及时性": ["产出指标", "时效指标", "≤", None, 2022 * 12 + 12, 2022 * 12 + 12, "定量",
                    "达成", 8, 8, 50],
        "项目总成本": ["产出指标", "成本指标", "≤", "万元", 90, 89.974, "定量", None, 8, 8, 50],
        "单项业务成本": ["产出指标", "成本指标", "≤", "万元", 30, 29.99, "定量", None, 10, 10, 50],
        "服务企业人次": ["效益指标", "社会效益指标", "≥", "人次", 735, 700, "定量", None, 10, 10, 30],
        "对控制基建项目成本影响程度": ["效益指标", "生态效益指标", "定性", None, np.nan, np.nan, "定性",
                          "达成", 10, 10, 30],
        "制度健全性": ["效益指标", "可持续影响指标", "=", "%", 100, 100, "定量", None, 10, 10, 30],
        "公众满意度": ["满意度指标", "满意度指标", "≥", "%", 95, 96, "定量", None, 10, 10, 10],
    }
    got = ind.loc[list(exp), cols]
    got = got.astype(object).where(got.notna(), None)
    assert {k: list(v) for k, v in zip(got.index, got.values.tolist())} == \
        {k: [None if isinstance(x, float) and np.isnan(x) else x for x in v]
         for k, v in exp.items()}
    assert ind.at["提交报告及时性", "target_deadline"] == "2022-12"
    assert ind.at["服务企业人次", "deviation_reason"] == "部分企业延期申报"
    assert ind.at["公众满意度", "target"] == "＞＝９５％"               # kept as printed
    assert ind["ok"].all()
    assert not _errors(imp, "委托业务项目")


def test_chizhou_unreadable_cells_are_reported_with_their_address(imp):
    errs = _errors(imp, "村级补助及运转经费")
    assert set(errs) == {"E14", "F17", "G15"}
    assert errs["E14"][0] == "较上年提高5%" and errs["E14"][1].startswith("年度指标值: target not")
    assert errs["F17"][0] == "效果显著" and "cannot tell" in errs["F17"][1]
    assert errs["G15"] == ("八", "分值: must be a number")
    p = next(p for p in imp.problems if p.column == "E14")
    assert p.row == 14 and p.file.endswith("贵池区棠溪镇.xlsx") and p.sheet == "村级补助及运转经费"
    ind = _ind(imp, "村级补助及运转经费")
    assert not ind.at["保障村干部人数", "ok"]                 # key cell unreadable: left out
    assert ind.at["提高村干部工作积极性", "ok"] and ind.at["提高村干部工作积极性", "rating"] is None
    assert np.isnan(ind.at["补助资格合规性", "weight"]) and ind.at["补助资格合规性", "ok"]
    assert ind.at["补助村(社区)数量", "target"] == "=8个"      # text, not a formula
    rep = imp.report().set_index("project").loc["村级补助及运转经费"]
    assert rep["cells_not_parsed"] == 3 and rep["indicators"] == 5


def test_every_cell_is_read_or_reported(imp):
    """Each non-blank target, actual, weight and score cell of every form is either read into a
    value (a number, a deadline, a rating or a qualitative target) or reported by address."""
    bad = {(p.sheet, p.column) for p in imp.problems}
    ind = imp.indicators
    for _, r in ind.iterrows():
        cells = {
            "target": (r["target"], r["target_cell"],
                       pd.notna(r["target_value"]) or r["kind"] == "定性"),
            "actual": (r["actual"], r["actual_cell"],
                       pd.notna(r["actual_value"]) or r["rating"] is not None),
            "weight": (r["weight"], r["weight_cell"], pd.notna(r["weight"])),
            "awarded": (r["awarded"], r["awarded_cell"], pd.notna(r["awarded"])),
        }
        for what, (value, cell, read) in cells.items():
            printed = value is not None and not (isinstance(value, float) and np.isnan(value))
            if what in ("weight", "awarded"):
                printed = read or (r["sheet"], cell) in bad
            if printed and not read:
                assert (r["sheet"], cell) in bad, (r["sheet"], cell, what, value)


# ============================================================================================
# (b) Qingshen: 指标性质 / 指标值 / 度量单位 split, code before the name, weight variants
# ============================================================================================
def test_qingshen_split_cells_and_code_from_the_name(imp):
    p = imp.projects.set_index("project_id").loc["51000021R000000019951"]
    assert p["name"] == "工资性支出" and p["department"] == "青神县发展和改革局本级"
    assert p["implementing_unit"] == "青神县发展和改革局" and not p["id_generated"]
    assert p["objective"].startswith("严格执行相关政策")
    assert p["achievement"] is None                         # the template's instruction
    assert p["conclusion"] == "项目自评得分较高，资金使用规范。"
    assert p["problems"] == "个别月份工资发放略有延迟。" and p["measures"] is None
    ind = _ind(imp, "工资性支出")
    cols = ["level1", "level2", "direction", "unit", "target", "target_value", "actual_value",
            "weight", "awarded", "rating", "kind"]
    assert ind.loc["发放(缴纳)覆盖率", cols].tolist() == \
        ["产出指标", "数量指标", "=", "%", "100", 100.0, 100.0, 30.0, 30.0, None, "定量"]
    assert ind.loc["按时发放率", cols].tolist() == \
        ["产出指标", "时效指标", "≥", "%", "100", 100.0, 92.0, 10.0, 10.0, None, "定量"]
    assert ind.loc["政策延续性", cols].tolist()[:4] == ["效益指标", "可持续影响指标", "定性", None]
    assert ind.loc["政策延续性", ["rating", "awarded"]].tolist() == ["达成", 9.0]
    assert ind.at["按时发放率", "deviation_reason"] == "个别月份延迟发放"
    template = {n.column for n in _notes(imp, "工资性支出") if "template" in n.rule}
    assert template == {"G7", "I11", "B25"}


def test_qingshen_funds_sources_summed_and_zero_headline(imp):
    b = imp.budget[imp.budget["project_id"] == "51000021R000000019951"]
    assert b[["source", "initial", "adjusted", "executed"]].values.tolist() == [
        ["当年财政拨款", 238.93, 251.89, 251.89], ["其他资金", 6.0, 6.0, 5.0]]
    rules = [(n.column, n.rule) for n in _notes(imp, "工资性支出")]
    assert ("B11", "年度资金总额 is zero (or empty) while the rows below hold amounts: their sum "
                   "is used") in rules
    assert ("B14", "2 fund rows (B14, B15) are summed into 其他资金") in rules


def test_qingshen_two_row_header_and_weight_variants(imp):
    rep = imp.report().set_index("sheet")
    assert rep.loc[["工资性支出", "办公经费", "专项经费"], "execution_weight"].tolist() == \
        [10.0, 10.0, 9.0]                                   # 10, "10分", 9
    assert rep.loc[["工资性支出", "办公经费", "专项经费"], "awarded_total"].tolist() == \
        [99.0, 99.6, 99.1]
    ind = _ind(imp, "办公经费")                              # header on two rows
    assert ind[["direction", "target", "unit", "actual_value"]].values.tolist() == [
        ["≥", "120", "台", 126.0], ["≤", "45", "万元", 43.2], ["≥", "90", "%", 95.0]]
    nine = [n for n in _notes(imp, "专项经费") if n.rule.startswith("预算执行率 分值 is 9")]
    assert [(n.column, n.value) for n in nine] == [("G11", "9")]
    assert "indicator weights must add up to 91" in nine[0].rule
    # 9 + 91 = 合计 100: no note that the weights do not add up
    assert not [n for n in _notes(imp, "专项经费") if "indicator weights 91" in n.rule]
    p = imp.to_workbook()["projects"].set_index("name")["execution_weight"]
    assert p[["工资性支出", "办公经费", "培训专项经费"]].tolist() == [10.0, 10.0, 9.0]
    ind3 = _ind(imp, "培训专项经费")
    assert ind3["weight"].sum() == 91
    assert ind3.at["完成时限", "target_deadline"] == "2023-10"
    assert ind3.at["完成时限", "rating"] == "达成"


# ============================================================================================
# (c) stacked forms, no codes, inline labels, groups printed once
# ============================================================================================
def test_stacked_forms_inline_labels_and_fill_down(imp):
    p = imp.projects[imp.projects["year"] == 2024].set_index("name")
    assert list(p.index) == ["学生营养改善计划", "校舍安全维修", "教师培训"]
    assert set(p["department"]) == {"区教育委员会"}
    assert p.at["学生营养改善计划", "implementing_unit"] == "区学生资助中心"
    assert p.at["教师培训", "implementing_unit"] == "区教育委员会"      # empty: the department
    assert any(n.column == "E42" and "实施单位 is empty" in n.rule for n in imp.notes)
    assert p["id_generated"].all() and p["project_id"].is_unique
    ind = _ind(imp, "学生营养改善计划")
    assert ind[["level1", "level2"]].values.tolist() == [
        ["产出指标", "数量指标"], ["产出指标", "数量指标"], ["产出指标", "质量指标"],
        ["产出指标", "时效指标"], ["效益指标", "社会效益指标"], ["满意度指标", "服务对象满意度指标"]]
    assert ind.at["学生体质达标率", "target_value"] == 95.0
    b = imp.budget[imp.budget["project_id"] == p.at["学生营养改善计划", "project_id"]]
    assert b[["source", "initial", "adjusted", "executed"]].values.tolist() == [
        ["当年财政拨款", 480.0, 500.0, 450.0], ["上年结转资金", 20.0, 20.0, 18.0]]
    t = _ind(imp, "教师培训")
    assert t.at["培训教师人次", "target_value"] == 800.0          # ≧ ８００ 人次
    assert t.at["培训完成时间", "target_deadline"] == "2024-12"   # 12月底前 + the form's year
    assert t.at["教学能力", "rating"] == "部分达成"


# ============================================================================================
# (e) Zhongjiang: columns in another order, no 年初预算数 column
# ============================================================================================
def test_zhongjiang_column_order_and_missing_initial(tmp_path):
    res = read_forms(F.zhongjiang(tmp_path / "zj.xlsx"))
    assert res.n_read == 1 and not res.problems
    rep = res.report().iloc[0]
    assert (rep["form"], rep["year"], rep["range"], rep["indicators"]) == \
        ("项目支出绩效自评表", 2022, "A1:I20", 8)
    assert (rep["execution_weight"], rep["execution_awarded"], rep["awarded_total"]) == \
        (10.0, 10.0, 100.0)
    p = res.projects.iloc[0]
    assert p["objective"] == "对农村地区供水计量设施设备进行改进。"
    assert p["achievement"] == "对项目区农业用水计量，为农业生产夯实基础。"
    assert res.budget[["source", "initial", "adjusted", "executed"]].values.tolist() == \
        [["当年财政拨款", 20.0, 20.0, 20.0]]
    ind = res.indicators.set_index("level3")
    assert ind["weight"].tolist() == [w for *_, w, _t, _a, _s in F.ZHONGJIANG]
    assert ind["level1_points"].tolist() == [60.0] * 5 + [20.0] * 2 + [10.0]
    assert ind.loc["水标尺宽度", ["target_value", "actual_value", "unit"]].tolist() == \
        [50.0, 52.0, "厘米"]
    assert ind.at["群众生产生活条件改善状况", "rating"] == "达成"
    notes = {(n.column, n.rule) for n in res.notes}
    assert ("B7", "年初预算数 is not on the form: 全年预算数 is written") in notes
    directed = sorted(c for c, r in notes if r.startswith("实际完成值 carries a direction"))
    assert directed == ["G12", "G15", "G17", "G19"]


# ============================================================================================
# the round trip: workbook format → read_workbook → scoring
# ============================================================================================
@pytest.fixture(scope="module")
def workbook_path(imp, tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "district.xlsx"
    write(imp.to_workbook(departments={"区教育委员会": "D01"}, sector={"区教育委员会": "教育"}),
          path)
    return path


def test_to_workbook_is_readable(workbook_path, imp):
    wb = read_workbook(workbook_path)
    assert wb.years == [2022, 2023, 2024]
    assert len(wb["projects"]) == 8 and len(wb["indicators"]) == int(imp.indicators["ok"].sum())
    d = wb["departments"].set_index("name")["department_id"].to_dict()
    assert d["区教育委员会"] == "D01" and d["池州市贵池区棠溪镇人民政府"] == "219"
    assert d["青神县发展和改革局本级"].startswith("D") and len(d["青神县发展和改革局本级"]) == 9
    p = wb["projects"].set_index("name")
    assert p.at["学生营养改善计划", "sector"] == "教育" and p.at["工资性支出", "sector"] == "未分类"
    assert set(p["budget_type"]) == {"一般公共预算"}


def test_self_awarded_scores_vs_rule_scores(workbook_path, imp):
    wb = read_workbook(workbook_path)
    broken = {"村级补助及运转经费"}                      # unreadable cells
    ids = imp.projects.loc[~imp.projects["name"].isin(broken), ["project_id", "year"]]
    totals = {}
    for year, g in ids.groupby("year"):
        res = score_self_evaluation(wb, year=int(year), project_ids=g["project_id"])
        for r in res.projects.itertuples():
            totals[r.name] = (r.total, r.awarded_total, r.flag_codes)
        if year == 2022:
            ind = res.indicators.set_index("level3")
            assert ind.at["服务企业人次", "score"] == pytest.approx(10 * 700 / 735)
            assert ind.at["服务企业人次", "awarded_diff"] == pytest.approx(10 - 10 * 700 / 735)
            assert ind.at["提交报告及时性", "rule"] == "deadline_met"
            assert ind.at["经费支出合规性", "rule"] == "qualitative"
    # rule total: execution 10 × min(89.974/89.974, 1) + 80 − 0.476 = 99.524; the form says 100
    assert totals["委托业务项目"][0] == pytest.approx(100 - (10 - 10 * 700 / 735))
    assert totals["委托业务项目"][1] == pytest.approx(100.0)
    assert "awarded_differs" in totals["委托业务项目"][2]
    # 工资性支出: execution 10 × 256.89/257.89 (其他资金 summed in) + 88.2; the unit gave
    # 按时发放率 (92% of 100%) full marks: +0.8
    assert totals["工资性支出"][0] == pytest.approx(10 * 256.89 / 257.89 + 88.2)
    assert totals["工资性支出"][1] - totals["工资性支出"][0] == pytest.approx(0.8)
    assert totals["学生营养改善计划"][0] == pytest.approx(9.0 + 90 - 0.4)
    assert totals["教师培训"][:2] == (pytest.approx(93.0), pytest.approx(93.0))
    form_totals = imp.report().set_index("project")["awarded_total"]
    assert form_totals["委托业务项目"] == 100.0 and form_totals["学生营养改善计划"] == 99.0


def test_weight_nine_as_printed_is_scored_with_the_forms_weights(workbook_path):
    """Before: the form's 预算执行率 9 + indicators 91 was refused (add up to 91, not 90).
    Now every Qingshen project of 2023 is scored, 培训专项经费 with the weights it prints."""
    wb = read_workbook(workbook_path)
    assert wb["projects"].set_index("name").at["培训专项经费", "execution_weight"] == 9.0
    res = score_self_evaluation(wb, year=2023)              # all three projects, none refused
    p = res.projects.set_index("name")
    assert sorted(p.index) == ["办公经费", "培训专项经费", "工资性支出"]
    assert p["execution_weight"].tolist() == [10.0 if n != "培训专项经费" else 9.0
                                              for n in p.index]
    # by hand: 预算执行率 18/20 = 90% → 9 × 0.9 = 8.1; 培训人次 320 ≥ 300 → 31; 完成时限 2023-09
    # before 2023-10 → 30; 培训合格率 96% ≥ 90% → 30; total (8.1 + 91) / (9 + 91) × 100 = 99.1
    r = res.project("51000021R000000019953")
    assert r.budget["weight"] == 9.0 and r.budget["weight_source"] == "project"
    assert r.budget["score"] == pytest.approx(8.1)
    assert r.indicators["score"].tolist() == pytest.approx([31.0, 30.0, 30.0])
    assert r.total == pytest.approx(99.1) and r.grade == "优"
    assert r.awarded_total == pytest.approx(99.1)           # the unit's 总分 on the form
    assert "得分 = 9（表内，规则为 10） × 90% = 8.1" in r.budget["explanation"]
    assert "weight 9 as printed on the form (rule 10)" in r.budget["explanation_en"]
    fl = {f["code"]: f for f in r.flags}
    assert fl["execution_weight_as_printed"]["message"] == \
        "预算执行率分值按单位自评表为 9（表内），规则为 10；绩效指标分值合计 91"
    assert "execution_weight_as_printed" in p.at["培训专项经费", "flag_codes"]
    assert "execution_weight_as_printed" not in p.at["工资性支出", "flag_codes"]
    assert res.project("51000021R000000019951").budget["weight_source"] == "profile"


def test_form_weights_that_do_not_add_up_are_still_refused(tmp_path):
    """预算执行率 9 but indicator weights 31 + 30 + 24 = 85: refused, naming the sheet, the row of
    the project's first indicator and the column 分值; and 10 with 91 (101 in all) too."""
    path = F.qingshen(tmp_path / "q.xlsx")
    book = openpyxl.load_workbook(path)
    book["专项经费"]["I19"] = 24                            # 培训合格率: 30 → 24
    book.save(path)
    frames = read_forms(path).to_workbook()
    wbpath = write(frames, tmp_path / "wb.xlsx")
    with pytest.raises(InputError) as e:
        score_self_evaluation(read_workbook(wbpath), year=2023)
    p = e.value.problem
    assert (p.sheet, p.row, p.column, p.value) == ("绩效指标", 10, "分值", 85.0)
    assert "add up to 85; with 预算执行率 9 (表内" in p.rule and "must add up to 91" in p.rule
    # the same project with 预算执行率 10 and indicators adding up to 91 (101 in all) is refused
    frames["projects"].loc[frames["projects"]["execution_weight"] == 9, "execution_weight"] = 10
    frames["indicators"].loc[frames["indicators"]["level3"] == "培训合格率", "weight"] = 30
    with pytest.raises(InputError, match=r"add up to 91; with 预算执行率 10 they must add up to 90"):
        score_self_evaluation(read_workbook(write(frames, tmp_path / "wb2.xlsx")), year=2023)


# ============================================================================================
# (d) perfkit's own rendition of the form (write_self_eval_table) read back
# ============================================================================================
def test_perfkit_own_form_reads_back(workbook_path, imp, tmp_path):
    wb = read_workbook(workbook_path)
    res = score_self_evaluation(wb, year=2024)
    for pid in res.projects["project_id"]:
        write_self_eval_table(res.project(pid).to_dict(), tmp_path / f"{pid}.xlsx")
    back = read_forms(tmp_path)
    assert back.n_read == 3 and not back.problems
    assert sorted(back.projects["project_id"]) == sorted(res.projects["project_id"])
    rep = back.report().set_index("project_id")
    rule = res.projects.set_index("project_id")
    for pid in rule.index:
        assert rep.at[pid, "awarded_total"] == pytest.approx(rule.at[pid, "total"])
        assert rep.at[pid, "execution_awarded"] == pytest.approx(rule.at[pid, "execution_score"])
        assert rep.at[pid, "range"] == rep.at[pid, "range"] and rep.at[pid, "sheet"] == "自评表"
    # the 得分 column of perfkit's form is the rule score: read as awarded, it equals it
    merged = back.indicators.merge(res.indicators, on=["project_id", "level3"],
                                   suffixes=("", "_rule"))
    assert len(merged) == len(res.indicators)
    np.testing.assert_allclose(merged["awarded"], merged["score"])
    assert (merged["target"] == merged["target_text"]).all()
    assert (merged["weight"] == merged["weight_rule"]).all()
    b = back.budget.groupby("project_id")[["adjusted", "executed"]].sum()
    np.testing.assert_allclose(b.loc[rule.index, "executed"], rule["executed"])
    notes = {n.rule for n in back.notes}
    assert any("项目名称 found but no funds" in n for n in notes)   # the 说明 sheet


# ============================================================================================
# target and monitoring forms
# ============================================================================================
def test_target_and_monitoring_forms(tmp_path):
    F.chizhou(tmp_path / "a.xlsx")
    F.target_form(tmp_path / "t.xlsx")
    F.monitoring_form(tmp_path / "m.xlsx")
    res = read_forms(tmp_path)
    rep = res.report().set_index("sheet")
    assert rep.at["申报1", "form"] == "绩效目标申报表"
    assert rep.at["申报1", "status"] == "superseded by the 项目支出绩效自评表"
    assert rep.at["申报2", "status"] == "read" and rep.at["申报2", "indicators"] == 4
    assert rep.at["监控", "form"] == "绩效监控表" and rep.at["监控", "year"] == 2023
    new = res.projects.set_index("name")
    b = res.budget.set_index("project_id")
    assert b.loc[new.at["乡村道路养护", "project_id"], ["initial", "adjusted", "executed"]] \
        .tolist() == [60.0, 60.0, 0.0]
    assert new.at["乡村道路养护", "objective"] == "乡村道路养护按计划完成。"
    assert b.loc[new.at["城区绿化养护", "project_id"], ["initial", "adjusted", "executed"]] \
        .tolist() == [200.0, 210.0, 84.0]
    assert res.monthly[["month", "cumulative_executed"]].values.tolist() == [[6, 84.0]]
    m = _ind(res, "城区绿化养护")
    assert m[["target_value", "progress", "forecast", "likelihood", "deviation_reason"]] \
        .values.tolist() == [[50.0, "24万平方米", "50万平方米", "确定能", None],
                             [40.0, "39%", "40%", "有可能", "经费保障"]]
    assert m["actual"].isna().all()
    rules = " ".join(n.rule for n in res.notes)
    assert "全年执行数 written as 0" in rules and "amount executed to date" in rules
    # the superseded target form's indicators stay out of the workbook
    wb_frames = res.to_workbook()
    assert set(wb_frames["monthly"]["month"]) == {6}
    assert len(wb_frames["projects"]) == 4
    out = write(wb_frames, tmp_path / "wb.xlsx")
    assert len(read_workbook(out)["indicators"]) == int(res.indicators["ok"].sum())


def test_monitoring_form_gives_indicator_snapshots(tmp_path):
    from perfkit.cycle.monitoring import monitor

    path = F.monitoring_form(tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["监控"]
    ws["G9"] = "施工进度受雨季影响"              # a reason that is not a category: the analysis
    ws["H10"] = "较大可能"                       # not a 完成目标可能性 choice
    ws.append(["产出指标", "数量指标", "补植苗木", "≥2000株", None, "2000株"])   # no progress
    wb.save(path)
    res = read_forms(tmp_path)
    errs = {p.column: p.rule for p in res.problems}
    assert errs == {"H10": "完成目标可能性 must be one of 确定能 / 有可能 / 不可能"}
    notes = {p.column: p.rule for p in res.notes}
    assert "no monitoring snapshot" in notes["C11"]
    frames = res.to_workbook()
    snaps = frames["indicator_progress"]
    assert snaps[["month", "level3", "progress", "expected", "likelihood", "deviation_reason",
                  "deviation_analysis"]].values.tolist() == [
        [6, "养护面积", "24万平方米", "50万平方米", "确定能", None, "施工进度受雨季影响"],
        [6, "绿化覆盖率", "39%", "40%", None, "经费保障", None]]
    # the in-year reasons sit in the snapshots, not in the year-end indicator rows
    assert frames["indicators"]["deviation_reason"].isna().all()
    wbk = read_workbook(write(frames, tmp_path / "wb.xlsx"))
    p = wbk["indicator_progress"]
    assert p["progress_value"].tolist() == [24.0, 39.0]
    assert p["expected_value"].tolist() == [50.0, 40.0]
    r = monitor(wbk, month=6)
    assert r.progress_source == "indicator_progress"
    # 养护面积 24 of 50 万平方米 = 0.48 (the rate 绿化覆盖率 is not in the gap) vs 84/210 = 0.40
    f = r.to_frame().iloc[0]
    assert f["attainment"] == pytest.approx(0.48) and f["gap_pp"] == pytest.approx(8.0)
    assert f["n_no_progress"] == 1                       # 补植苗木


# ============================================================================================
# files, years and arguments
# ============================================================================================
def test_files_that_cannot_be_read(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "~$lock.xlsx").write_bytes(b"")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "汇总表"
    wb.save(tmp_path / "summary.xlsx")
    res = read_forms(tmp_path)
    assert res.n_read == 0 and len(res.forms) == 0
    errs = {p.file.rsplit("/", 1)[-1]: p.rule for p in res.problems}
    assert errs["old.xls"].startswith("the old .xls format is not read")
    assert errs["broken.xlsx"].startswith("not a readable .xlsx file")
    notes = {(p.file.rsplit("/", 1)[-1], p.sheet): p.rule for p in res.notes}
    assert notes[("notes.txt", None)] == "not an .xlsx file; skipped"
    assert notes[("summary.xlsx", "Sheet")].startswith("no form found in this sheet")
    assert not any("~$" in p.file for p in (*res.problems, *res.notes))
    assert list(res.to_workbook()["projects"].columns)[:3] == ["project_id", "year", "name"]


def test_year_from_argument_or_reported(tmp_path):
    wb = openpyxl.load_workbook(F.stacked(tmp_path / "c.xlsx"))
    ws = wb["自评表"]
    for r in (2, 22, 40):                                   # drop the year lines
        ws.cell(r, 1).value = None
    wb.save(tmp_path / "c.xlsx")
    res = read_forms(tmp_path)
    assert res.n_read == 0
    assert [(p.column, p.rule[:25]) for p in res.problems] == \
        [("A1", "the budget year is not pr")] * 1 + [("A21", "the budget year is not pr")] + \
        [("A39", "the budget year is not pr")]
    assert set(res.report()["status"]) == {"not read: no year"}
    res = read_forms(tmp_path, year=2025)
    assert res.n_read == 3 and set(res.projects["year"]) == {2025}
    # a printed year wins over the argument, with a note
    F.chizhou(tmp_path / "a.xlsx")
    res = read_forms(tmp_path / "a.xlsx", year=2025)
    assert set(res.projects["year"]) == {2022}
    assert any(n.column == "A2" and "states 2022" in n.rule for n in res.notes)


def test_duplicate_forms_and_bad_arguments(tmp_path):
    F.chizhou(tmp_path / "a.xlsx")
    F.chizhou(tmp_path / "b.xlsx")
    res = read_forms([tmp_path / "a.xlsx", tmp_path / "b.xlsx"])
    assert res.n_read == 2
    dup = [p for p in res.problems if "is on two 项目支出绩效自评表s" in p.rule]
    assert len(dup) == 2 and all(p.file.endswith("b.xlsx") and p.column == "B3" for p in dup)
    assert set(res.report()["status"]) == {"read", "not read: duplicate"}
    with pytest.raises(InputError, match="no such file"):
        read_forms(tmp_path / "missing")
    with pytest.raises(InputError, match="year"):
        read_forms(tmp_path, year=20)
    with pytest.raises(InputError, match="budget_type"):
        res.to_workbook(budget_type="预算")


def test_duplicate_indicator_is_left_out(tmp_path):
    path = F.chizhou(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["委托业务项目"]
    ws["D14"] = "基建工程委托业务项目数量"                     # a second row with the same path
    ws["C14"] = "数量指标"
    wb.save(path)
    res = read_forms(path)
    dup = [p for p in res.problems if p.rule.startswith("the same indicator appears twice")]
    assert [(p.column, p.value) for p in dup] == [("D14", "基建工程委托业务项目数量")]
    assert "(first at D13)" in dup[0].rule
    assert res.indicators.loc[res.indicators["sheet"] == "委托业务项目", "ok"].sum() == 9


# ============================================================================================
# the command
# ============================================================================================
def test_import_forms_command(folder, tmp_path, capsys):
    out = tmp_path / "out" / "district.xlsx"
    assert main(["import-forms", str(folder), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "委托业务项目" in captured.out
    assert "G15: 分值: must be a number (found '八')" in captured.err
    assert "8 form(s) read, 3 cell(s) not read" in captured.err
    wb = read_workbook(out)
    assert len(wb["projects"]) == 8
    report = out.with_name("district.import-report.xlsx")
    with zipfile.ZipFile(report):
        pass
    sheets = pd.read_excel(report, sheet_name=None)
    assert list(sheets) == ["读取情况", "问题与说明"]
    assert len(sheets["读取情况"]) == 8
    assert (sheets["问题与说明"]["severity"] == "error").sum() == 3
    # import-forms → score: the Qingshen year scores every project, 9 + 91 as printed
    assert main(["score", str(out), "--year", "2023"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 4                                  # header + 3 projects
    nine = [ln for ln in printed if "培训专项经费" in ln]
    assert len(nine) == 1 and "execution_weight_as_printed" in nine[0] and "99.1" in nine[0]


def test_import_forms_command_nothing_read(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    code = main(["import-forms", str(tmp_path / "in"), "--out", str(tmp_path / "w.xlsx")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no form could be read" in err and "old .xls format" in err
    assert not (tmp_path / "w.xlsx").exists()
    assert main(["import-forms", str(tmp_path / "in"), "--out", str(tmp_path / "w.csv")]) == 2
