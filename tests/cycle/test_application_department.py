"""Result application for one department (department=): which projects, which overlap pairs,
which sedimented funds, which proposal rows — on a hand-made district of three departments."""
import json

import numpy as np
import pandas as pd
import pytest

from perfkit.cycle.application import (apply_results, budget_proposal, detect_overlap,
                                       idle_funds)
from perfkit.errors import InputError
from perfkit.model.workbook import Workbook
from perfkit.report import cycle_view as cv

DEPTS = {"D1": "区水利局", "D2": "区农业农村委", "D3": "区教委"}
WATER = ("巩固提升农村饮水安全水平，新建改造集中供水工程，提高农村自来水普及率。",
         ["新建改造集中供水工程处数", "农村自来水普及率", "受益人口数"])
#: pid: (department, name, objective, indicator names, grade)
PROJECTS = {
    "A1": ("D1", "农村饮水安全巩固提升工程", *WATER, "良"),
    "A2": ("D1", "水库除险加固工程", "完成病险水库除险加固，消除安全隐患。",
           ["加固水库座数", "工程验收合格率"], "差"),
    "B1": ("D2", "农村饮水安全巩固提升项目", *WATER, "中"),
    "C1": ("D3", "学生营养改善计划", "为农村义务教育学生提供营养膳食补助。",
           ["受益学生人数", "营养餐供应天数"], "差"),
    "C2": ("D3", "农村饮水安全巩固提升工程（学校）", *WATER, "优"),
}
#: pid: [(adjusted, executed, carry-over) in 2023, 2024]; A2 and C1 are sedimented
BUDGET = {"A1": [(100, 95, None), (100, 95, None)],
          "A2": [(100, 40, 10), (100, 50, 30)],      # 2024: 50 / 130, carry 10 → 30
          "B1": [(200, 190, None), (200, 190, None)],
          "C1": [(300, 100, 20), (300, 120, 40)],    # 2024: 120 / 340, carry 20 → 40
          "C2": [(400, 390, None), (400, 390, None)]}


def district() -> Workbook:
    P, B, ind = [], [], []
    for pid, (d, name, obj, names, _) in PROJECTS.items():
        for y in (2023, 2024):
            P.append({"project_id": pid, "year": y, "name": name, "department_id": d,
                      "department": DEPTS[d], "implementing_unit": "单位",
                      "budget_type": "一般公共预算", "sector": "综合", "objective": obj})
            ind += [{"project_id": pid, "year": y, "level1": "产出指标", "level2": "数量指标",
                     "level3": n, "direction": "≥", "kind": "定量", "target_value": 1.0,
                     "actual_value": 1.0} for n in names]
        for y, (a, e, c) in zip((2023, 2024), BUDGET[pid]):
            B.append({"project_id": pid, "year": y, "source": "当年财政拨款", "initial": a,
                      "adjusted": a, "executed": e})
            if c is not None:
                B.append({"project_id": pid, "year": y, "source": "上年结转资金", "initial": c,
                          "adjusted": c, "executed": 0.0})
    return Workbook.from_frames({"projects": pd.DataFrame(P), "budget": pd.DataFrame(B),
                                 "indicators": pd.DataFrame(ind)})


SCORES = pd.DataFrame({"project_id": list(PROJECTS),
                       "grade": [v[4] for v in PROJECTS.values()]})


@pytest.fixture(scope="module")
def wb():
    return district()


def pairs(result):
    return [(r.project_id_a, r.project_id_b) for r in result.to_frame().itertuples()]


def test_district_overlaps_are_the_three_water_projects(wb):
    # the same water-supply text under three departments: three pairs, none with A2 or C1
    assert sorted(tuple(sorted(p)) for p in pairs(detect_overlap(wb))) == [
        ("A1", "B1"), ("A1", "C2"), ("B1", "C2")]
    assert detect_overlap(wb).department is None


@pytest.mark.parametrize("dept,expected", [
    # the department's project in column A, the partner (any department) in B
    ("D1", {("A1", "B1"), ("A1", "C2")}),
    ("D2", {("B1", "A1"), ("B1", "C2")}),
    ("D3", {("C2", "A1"), ("C2", "B1")}),
])
def test_overlap_pairs_of_a_department(wb, dept, expected):
    r = detect_overlap(wb, department=dept)
    assert set(pairs(r)) == expected and len(pairs(r)) == 2
    f = r.to_frame()
    assert (f["department_a"] == DEPTS[dept]).all()
    assert set(f["department_b"]) == {DEPTS[PROJECTS[b][0]] for _, b in expected}
    assert r.n_projects == 5                      # compared with the whole district
    assert r.department == {"department_id": dept, "department": DEPTS[dept]}
    # the similarities are the district's, pair by pair
    full = detect_overlap(wb).to_frame()
    sim = {frozenset((a, b)): s for a, b, s in
           zip(full["project_id_a"], full["project_id_b"], full["similarity"])}
    for a, b, s in zip(f["project_id_a"], f["project_id_b"], f["similarity"]):
        assert s == pytest.approx(sim[frozenset((a, b))], abs=1e-12)


def test_idle_funds_of_a_department(wb):
    assert idle_funds(wb).idle_ids == ["A2", "C1"]
    d1 = idle_funds(wb, department="D1")
    assert d1.to_frame()["project_id"].tolist() == ["A1", "A2"] and d1.idle_ids == ["A2"]
    # A2 in 2024: adjusted 100 + 30 carry-over, executed 50 → recall the balance 80
    assert d1.to_frame().set_index("project_id").loc["A2", "recall_amount"] == pytest.approx(80)
    assert idle_funds(wb, department="区教委").idle_ids == ["C1"]        # by name
    assert idle_funds(wb, department="D2").idle_ids == []


def test_apply_results_of_a_department():
    scores = SCORES.assign(department_id=[PROJECTS[p][0] for p in SCORES["project_id"]])
    r = apply_results(scores, department="D3")
    assert r.to_frame()["project_id"].tolist() == ["C1", "C2"]
    assert r.to_frame()["action"].tolist() == ["削减或取消", "优先保障"]
    assert r.department == {"department_id": "D3", "department": "D3"}   # no name column
    with pytest.raises(InputError, match="no department_id or department column"):
        apply_results(SCORES, department="D3")


def test_budget_proposal_rows_of_a_department(wb):
    r = budget_proposal(wb, scores=SCORES, department="D1", cut_percent={"差": 100, "中": 10})
    f = r.to_frame().set_index("project_id")
    assert f.index.tolist() == ["A1", "A2"]
    assert f.loc["A1", "actions"] == "保障;调整整合" and f.loc["A1", "overlap_with"] == "B1;C2"
    assert f.loc["A2", "actions"] == "削减或取消;收回" and f.loc["A2", "flag_codes"] == "idle_funds"
    assert f.loc["A2", "recall_amount"] == pytest.approx(80)
    assert f["current_budget"].tolist() == [100, 100]           # 当年财政拨款 of 2024
    assert f["proposed_amount"].tolist() == [100, 0]
    # the same rows as the district's proposal
    full = budget_proposal(wb, scores=SCORES, cut_percent={"差": 100, "中": 10}).to_frame()
    pd.testing.assert_frame_equal(r.to_frame(), full[full["project_id"].isin(["A1", "A2"])]
                                  .reset_index(drop=True))
    d2 = budget_proposal(wb, scores=SCORES, department="区农业农村委").to_frame()
    assert d2["project_id"].tolist() == ["B1"] and d2["actions"].iloc[0] == "改进;调整整合"
    assert d2["overlap_with"].iloc[0] == "A1;C2"
    assert "department: D1 区水利局" in r.summary()
    json.dumps(r.to_dict(), ensure_ascii=False)


def test_unknown_department_names_the_table(wb):
    with pytest.raises(InputError, match=r"no project of department 'D9' in 2024 in the "
                                         r"projects table; departments: D1, D2, D3"):
        budget_proposal(wb, scores=SCORES, department="D9")
    with pytest.raises(InputError, match="department"):
        detect_overlap(wb, department="")


def test_department_report_results_and_title(wb):
    idle = idle_funds(wb, department="D3")
    ov = detect_overlap(wb, department="D3")
    bp = budget_proposal(wb, scores=SCORES, department="D3", idle=idle, overlap=ov)
    res = cv.application_results(bp, idle, ov, "D3")
    assert res["subject_type"] == "department" and res["department_id"] == "D3"
    assert res["department"] == "区教委" and res["name"] == "区教委2024年度绩效评价结果应用"
    t = res["totals"]
    assert (t["n_projects"], t["n_idle"], t["n_overlap_pairs"]) == (2, 1, 2)
    assert t["current_budget"] == pytest.approx(700)
    assert t["recall_amount"] == pytest.approx(340 - 120)
    # in the order of application.grade_action (C1 差 comes first in the table)
    assert [(a["action"], a["n_projects"]) for a in res["by_action"]] == [("优先保障", 1),
                                                                          ("削减或取消", 1)]
    o = cv.application_outline(res, figures=False)
    assert o["title"] == "区教委2024年度绩效评价结果应用报告"
    html = cv.outline_html(o)
    assert "涉及本部门项目的疑似交叉重复 2 对" in html and "区水利局" in html   # a partner's dept
    assert cv.application_outline(res, lang="en", figures=False)["title"] == \
        "Application of evaluation results, 区教委, 2024"
    # the district report keeps its title
    dist = cv.application_results(budget_proposal(wb, scores=SCORES), idle_funds(wb),
                                  detect_overlap(wb), "application-2024")
    assert dist["subject_type"] == "district" and "department_id" not in dist
    assert cv.application_outline(dist, figures=False)["title"] == "2024年度绩效评价结果应用报告"
    # idle and overlap must be of the same scope as the proposal
    with pytest.raises(InputError, match="same department"):
        cv.application_results(bp, idle_funds(wb), ov, "D3")
    assert np.isclose(sum(p["current_budget"] for p in res["proposal"]), 700)
