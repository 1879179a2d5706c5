"""Target review (绩效目标审核): planted problems, one per rule, and the per-project score."""
import json

import numpy as np
import pandas as pd
import pytest

from perfkit.cycle.targets import FINDING_COLUMNS, RULES, review_targets
from perfkit.errors import InputError
from perfkit.model.workbook import Workbook
from perfkit.rules import load_profile

NAT = load_profile("national")
Y = 2024
OUT, EFF, SAT = "产出指标", "效益指标", "满意度指标"


def project(pid, year, dept):
    return {"project_id": pid, "year": year, "name": f"项目{pid}", "department_id": dept,
            "department": dept, "implementing_unit": f"{dept}单位", "budget_type": "一般公共预算",
            "sector": "教育"}


def ind(pid, l1, l2, l3, target, *, year=Y, direction="≥", unit=None, value=None, actual=None,
        kind=None, deadline=None):
    """An indicator row as the reader leaves it (parsed columns included)."""
    qual = direction == "定性"
    return {"project_id": pid, "year": year, "level1": l1, "level2": l2, "level3": l3,
            "kind": kind or ("定性" if qual else "定量"), "direction": direction, "unit": unit,
            "target": str(target), "target_text": str(target),
            "target_value": np.nan if qual else (value if value is not None else float(target)),
            "actual": None if actual is None else str(actual),
            "actual_value": np.nan if actual is None else float(actual),
            "target_deadline": deadline}


def workbook():
    inds = [
        # P1 (2024): no 时效指标; 培训人次 below last year's actual; cost above the budget;
        # satisfaction given as text
        ind("P1", OUT, "数量指标", "培训人次", 1200, unit="人次"),
        ind("P1", OUT, "质量指标", "合格率", "≥95%", unit="%", value=95.0),
        ind("P1", OUT, "成本指标", "项目总成本", "≤150万元", direction="≤", unit="万元", value=150.0),
        ind("P1", EFF, "社会效益指标", "服务质量", "稳步提升", direction="定性"),
        ind("P1", SAT, "服务对象满意度指标", "群众满意度", "满意", direction="定性"),
        # P2 (2024): a number without a unit; cost in 元 below 1% of the budget; ceilings above
        # last year's actuals; a unit change that is not compared; a deadline
        ind("P2", OUT, "数量指标", "发放台数", 30),
        ind("P2", OUT, "质量指标", "验收合格率", 100, unit="%"),
        ind("P2", OUT, "时效指标", "完成时间", "2024年12月底前", direction="≤",
            value=2024 * 12 + 12, deadline="2024-12"),
        ind("P2", OUT, "成本指标", "印刷费", "≤5000元", direction="≤", unit="元", value=5000.0),
        ind("P2", OUT, "成本指标", "单位成本", "≤300元/人次", direction="≤", unit="元/人次",
            value=300.0),
        ind("P2", EFF, "社会效益指标", "投诉次数", "≤8次", direction="≤", unit="次", value=8.0),
        ind("P2", EFF, "经济效益指标", "带动就业", 100, unit="人"),
        ind("P2", SAT, "服务对象满意度指标", "满意度", "≥90%", unit="%", value=90.0),
        # last year
        ind("P1", OUT, "数量指标", "培训人次", 1300, year=Y - 1, unit="人次", actual=1363),
        ind("P1", OUT, "质量指标", "合格率", 95, year=Y - 1, unit="%", actual=94),
        ind("P2", OUT, "数量指标", "发放台数", 30, year=Y - 1, actual=30),
        ind("P2", OUT, "时效指标", "完成时间", "2023年12月底前", year=Y - 1, direction="≤",
            value=2023 * 12 + 12, deadline="2023-12", actual=2023 * 12 + 10),
        ind("P2", OUT, "成本指标", "单位成本", 300, year=Y - 1, direction="≤", unit="元/人次",
            actual=200),
        ind("P2", EFF, "社会效益指标", "投诉次数", 8, year=Y - 1, direction="≤", unit="次",
            actual=5),
        ind("P2", EFF, "经济效益指标", "带动就业", 100, year=Y - 1, unit="人次", actual=120),
        ind("P2", SAT, "服务对象满意度指标", "满意度", 90, year=Y - 1, unit="%", actual=88),
    ]
    budget = pd.DataFrame([
        {"project_id": "P1", "year": Y, "source": "当年财政拨款", "initial": 100.0,
         "adjusted": 100.0, "executed": 0.0},
        {"project_id": "P2", "year": Y, "source": "当年财政拨款", "initial": 80.0,
         "adjusted": 80.0, "executed": 0.0},
        {"project_id": "P2", "year": Y, "source": "上年结转资金", "initial": 20.0,
         "adjusted": 20.0, "executed": 0.0},
    ])
    projects = pd.DataFrame([project("P1", Y, "区教委"), project("P2", Y, "区卫健委"),
                             project("P1", Y - 1, "区教委"), project("P2", Y - 1, "区卫健委")])
    return Workbook.from_frames({"projects": projects, "indicators": pd.DataFrame(inds),
                                 "budget": budget})


@pytest.fixture(scope="module")
def review():
    return review_targets(workbook(), profile=NAT)


def codes(r, pid):
    f = r.findings
    return sorted(f.loc[f["project_id"] == pid, "code"])


def test_findings_per_project(review):
    assert codes(review, "P1") == sorted(["missing_level2", "below_last_actual",
                                          "cost_above_budget", "qualitative_text"])
    assert codes(review, "P2") == sorted(["no_unit", "cost_below_share", "above_last_actual",
                                          "above_last_actual"])
    assert list(review.to_frame().columns) == list(FINDING_COLUMNS)
    assert set(review.findings["rule"]) <= set(RULES)


def test_missing_timeliness_indicator(review):
    f = review.findings[review.findings["code"] == "missing_level2"].iloc[0]
    assert f["project_id"] == "P1" and f["path"] == "产出指标/时效指标"
    assert f["rule"] == "completeness" and f["message"] == "缺少产出指标—时效指标"
    assert f["name"] == "项目P1" and f["department"] == "区教委"


def test_target_below_last_years_actual(review):
    f = review.findings[review.findings["code"] == "below_last_actual"].iloc[0]
    assert f["path"] == "产出指标/数量指标/培训人次"
    assert f["value"] == 1200 and f["reference"] == 1363
    assert f["message"].startswith("目标值低于上年实际完成值")
    assert f["_row"] == 2                                 # the indicator's row in the sheet


def test_ceiling_above_last_years_actual_and_units(review):
    f = review.findings[review.findings["code"] == "above_last_actual"]
    assert sorted(f["level3"]) == ["单位成本", "投诉次数"]
    assert f.set_index("level3").loc["投诉次数", "reference"] == 5
    # equal to last year (发放台数 30 vs 30) passes; 人 vs 人次 and the deadline are not compared;
    # 满意度 ≥ 90 vs 88 passes
    hist = review.checks[review.checks["rule"] == "history"].set_index("project_id")
    assert hist.loc["P1", "n_checks"] == 2 and hist.loc["P1", "n_failed"] == 1
    assert hist.loc["P2", "n_checks"] == 4 and hist.loc["P2", "n_failed"] == 2


def test_cost_targets_against_the_budget(review):
    f = review.findings[review.findings["rule"] == "budget_match"].set_index("code")
    assert f.loc["cost_above_budget", "value"] == 150 and \
        f.loc["cost_above_budget", "reference"] == 100
    # 5000 元 = 0.5 万元 < 1% of 100 万元 (two fund sources summed)
    assert f.loc["cost_below_share", "value"] == pytest.approx(0.5)
    assert f.loc["cost_below_share", "reference"] == pytest.approx(100)
    assert "1%" in f.loc["cost_below_share", "message"]
    # the unit cost (元/人次) is not an amount: one budget check per project
    bm = review.checks[review.checks["rule"] == "budget_match"]
    assert bm["n_checks"].tolist() == [1, 1]


def test_quantified_and_measurable(review):
    f = review.findings.set_index("code")
    assert f.loc["no_unit", "level3"] == "发放台数" and f.loc["no_unit", "rule"] == "quantified"
    assert f.loc["qualitative_text", "level3"] == "群众满意度"
    assert "满意" in f.loc["qualitative_text", "message"]


def test_project_scores_are_shares_of_checks_passed(review):
    p = review.projects.set_index("project_id")
    # P1: completeness 6 + quantified 5 + measurable 5 + budget 1 + history 2 = 19, 4 failed
    assert p.loc["P1", "n_checks"] == 19 and p.loc["P1", "n_failed"] == 4
    assert p.loc["P1", "score"] == pytest.approx(15 / 19)
    # P2: 6 + 8 + 8 + 1 + 4 = 27, failed: no unit, cost below 1%, two ceilings
    assert p.loc["P2", "n_checks"] == 27 and p.loc["P2", "n_failed"] == 4
    assert p.loc["P2", "score"] == pytest.approx(23 / 27)
    assert p.loc["P1", "rules_failed"] == ("completeness", "measurable", "budget_match",
                                           "history")
    assert p.loc["P2", "failed_history"] == 2


def test_district_summary(review):
    d = review.district
    assert d["n_projects"] == 2 and d["n_findings"] == 8 and d["n_projects_with_findings"] == 2
    assert d["mean_score"] == pytest.approx((15 / 19 + 23 / 27) / 2)
    br = review.by_rule.set_index("rule")
    assert br.loc["history", "n_findings"] == 3 and br.loc["history", "n_projects"] == 2
    assert br.loc["completeness", "share_projects"] == pytest.approx(0.5)
    assert br.loc["completeness", "pass_rate"] == pytest.approx(11 / 12)
    dep = review.by_department.set_index("department")
    assert dep.loc["区卫健委", "n_findings"] == 4
    out = review.to_dict()
    json.dumps(out, ensure_ascii=False)
    one = review.project("P1")
    assert one["score"] == pytest.approx(15 / 19) and len(one["findings"]) == 4
    json.dumps(one, ensure_ascii=False)
    assert "history" in review.summary()


def test_history_off_and_project_filter():
    r = review_targets(workbook(), profile=NAT, history=False, project_ids=["P1"])
    assert list(r.projects["project_id"]) == ["P1"]
    assert "history" not in set(r.findings["rule"])
    assert r.projects["n_checks"].iloc[0] == 17


def test_unit_conversion_yuan_above_budget():
    wb = workbook()
    i = wb.indicators.copy()
    m = (i["project_id"] == "P2") & (i["level3"] == "印刷费")
    i.loc[m, ["target", "target_text", "target_value"]] = ["≤1,500,000元", "≤1,500,000元",
                                                           1_500_000.0]
    r = review_targets(Workbook.from_frames({**wb.tables, "indicators": i}), profile=NAT)
    f = r.findings[(r.findings["project_id"] == "P2") & (r.findings["rule"] == "budget_match")]
    assert f["code"].tolist() == ["cost_above_budget"]
    assert f["value"].iloc[0] == pytest.approx(150)        # 万元


def test_unparsed_in_memory_table_gives_the_same_findings(review):
    """Without the reader's parsed columns the targets are parsed here."""
    wb = workbook()
    raw = wb.indicators.drop(columns=["target_value", "target_text", "target_deadline", "kind"])
    raw["direction"] = raw["direction"].where(raw["direction"] == "定性", None)
    raw["unit"] = raw["unit"].where(raw["level3"] != "合格率", None)   # taken from ≥95%
    r = review_targets(Workbook.from_frames({**wb.tables, "indicators": raw}), profile=NAT,
                       history=False)
    expected = review.findings[review.findings["rule"] != "history"]
    assert sorted(r.findings["code"]) == sorted(expected["code"])


def test_unreadable_target_and_ungraded_qualitative():
    wb = workbook()
    i = wb.indicators.copy()
    m = (i["project_id"] == "P1") & (i["level3"] == "合格率") & (i["year"] == Y)
    i.loc[m, ["target", "target_text", "target_value"]] = ["90%-100%", "90%-100%", np.nan]
    m2 = (i["project_id"] == "P1") & (i["level3"] == "服务质量")
    i.loc[m2, "direction"] = "≥"                           # kind 定性 but not graded
    r = review_targets(Workbook.from_frames({**wb.tables, "indicators": i}), profile=NAT,
                       project_ids=["P1"])
    c = set(r.findings["code"])
    assert {"unreadable", "not_quantified", "ungraded"} <= c


def test_thresholds_come_from_the_profile():
    prof = NAT.with_overrides({"finance_eval.target_review.cost_max_share": 2.0,
                               "finance_eval.target_review.cost_min_share": 0.001})
    r = review_targets(workbook(), profile=prof)
    assert "budget_match" not in set(r.findings["rule"])


def test_no_projects_is_an_error():
    with pytest.raises(InputError, match="no projects"):
        review_targets(workbook(), year=2030, profile=NAT)
