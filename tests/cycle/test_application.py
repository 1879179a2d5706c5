"""Result application (结果应用): actions, amounts, sedimented funds, overlap, proposal."""
import json

import numpy as np
import pandas as pd
import pytest

from perfkit.cycle.application import (ACTION_COLUMNS, IDLE_COLUMNS, OVERLAP_COLUMNS,
                                       PROPOSAL_COLUMNS, apply_results, budget_proposal,
                                       detect_overlap, idle_funds, text_similarity)
from perfkit.errors import InputError
from perfkit.model.workbook import Workbook

SCORES = pd.DataFrame({"project_id": ["P1", "P2", "P3", "P4"], "name": ["甲", "乙", "丙", "丁"],
                       "total": [95.0, 85.0, 70.0, 40.0], "grade": ["优", "良", "中", "差"],
                       "adjusted": [100.0, 200.0, 300.0, 400.0]})


# --- grade → action ----------------------------------------------------------------------------

@pytest.mark.parametrize("profile,actions", [
    ("national", ["优先保障", "保障", "改进", "削减或取消"]),
    ("sichuan2025", ["优先保障", "保障", "压缩", "取消"]),
    ("qianjiang", ["优先保障", "保障", "督促改进", "削减或取消"]),
])
def test_grade_action_mapping(profile, actions):
    r = apply_results(SCORES, profile)
    f = r.to_frame()
    assert list(f.columns) == list(ACTION_COLUMNS)
    assert f["action"].tolist() == actions
    assert f["action_en"].notna().all()


def test_no_amounts_unless_percentages_are_set():
    r = apply_results(SCORES)
    f = r.to_frame()
    assert not r.amounts_set and r.cut_percent is None
    assert f["proposed_amount"].isna().all() and f["change"].isna().all()
    assert "未设置压减比例" in r.note and "No percentages" in r.note_en
    assert f["budget"].tolist() == [100, 200, 300, 400]       # carried, not used
    json.dumps(r.to_dict(), ensure_ascii=False)


def test_amounts_by_grade_and_by_action():
    r = apply_results(SCORES, cut_percent={"中": 10, "差": 100})
    f = r.to_frame()
    assert r.amounts_set
    assert f["cut_percent"].tolist() == [0, 0, 10, 100]
    assert f["proposed_amount"].tolist() == pytest.approx([100, 200, 270, 0])
    assert f["change"].tolist() == pytest.approx([0, 0, -30, -400])
    assert "中 压减 10%" in r.note
    by_action = apply_results(SCORES, cut_percent={"削减或取消": 50},
                              budgets={"P1": 10, "P2": 20, "P3": 30, "P4": 40}).to_frame()
    assert by_action["proposed_amount"].tolist() == pytest.approx([10, 20, 30, 20])
    # a profile that sets percentages gives amounts without the argument
    from perfkit.rules import load_profile
    prof = load_profile("national").with_overrides({"application.cut_percent": {"差": 20}})
    assert apply_results(SCORES, prof).to_frame()["proposed_amount"].iloc[3] == pytest.approx(320)


def test_grade_from_total_and_errors():
    f = apply_results(SCORES.drop(columns="grade")).to_frame()
    assert f["grade"].tolist() == ["优", "良", "中", "差"]
    f80 = apply_results(SCORES.drop(columns="grade"), "provincial80").to_frame()
    assert f80["grade"].tolist() == ["优", "优", "良", "差"]
    with pytest.raises(InputError, match="cut_percent"):
        apply_results(SCORES, cut_percent={"中": 120})
    with pytest.raises(InputError, match="unknown key"):
        apply_results(SCORES, cut_percent={"A": 10})
    with pytest.raises(InputError, match="no budgets"):
        apply_results(SCORES.drop(columns="adjusted"), cut_percent={"中": 10})
    with pytest.raises(InputError, match="has no action"):
        apply_results(SCORES.assign(grade=["优", "良", "中", "E"]))
    with pytest.raises(InputError, match="grade or a total"):
        apply_results(SCORES[["project_id"]])


# --- sedimented funds ----------------------------------------------------------------------------

def budget_rows(pid, year, adjusted, executed, carry):
    rows = [{"project_id": pid, "year": year, "source": "当年财政拨款", "initial": adjusted,
             "adjusted": adjusted, "executed": executed}]
    if carry is not None:
        rows.append({"project_id": pid, "year": year, "source": "上年结转资金", "initial": carry,
                     "adjusted": carry, "executed": 0.0})
    return rows


def project(pid, year, dept, name=None, objective=None):
    return {"project_id": pid, "year": year, "name": name or f"项目{pid}", "department_id": dept,
            "department": dept, "implementing_unit": "单位", "budget_type": "一般公共预算",
            "sector": "综合", "objective": objective}


def idle_book():
    P, B = [], []
    spec = {  # pid: [(adjusted, executed, carry) for 2022, 2023, 2024]
        "X": [(100, 40, 10), (100, 40, 20), (100, 50, 30)],     # planted: low, growing carry
        "Y": [(100, 30, 20), (100, 30, 20), (100, 30, 20)],     # low but carry not growing
        "Z": [(100, 95, 5), (100, 95, 10), (100, 95, 20)],      # growing carry, high execution
        "W": [(100, 40, None), (100, 40, None), (100, 40, None)],   # no carry-over
        "V": [(100, 50, 10), (100, 72, 20), (100, 78, 30)],     # 2023-24: exactly 60%: not low
    }
    for pid, yrs in spec.items():
        for y, (a, e, c) in zip((2022, 2023, 2024), yrs):
            P.append(project(pid, y, "D1"))
            B += budget_rows(pid, y, a, e, c)
    return Workbook.from_frames({"projects": pd.DataFrame(P), "budget": pd.DataFrame(B)})


def test_idle_funds_planted_case():
    r = idle_funds(idle_book())
    f = r.to_frame().set_index("project_id")
    assert list(r.to_frame().columns) == list(IDLE_COLUMNS)
    assert r.idle_ids == ["X"]
    # X in 2024: adjusted 100 + 30 carry, executed 50 → rate 50/130, balance 80
    assert f.loc["X", "execution_rate"] == pytest.approx(50 / 130)
    assert f.loc["X", "carryover_first"] == 20 and f.loc["X", "carryover"] == 30
    assert f.loc["X", "recall_amount"] == pytest.approx(80) and f.loc["X", "action"] == "收回"
    assert np.isnan(f.loc["Y", "recall_amount"]) and pd.isna(f.loc["Y", "action"])
    # V: 72/120 and 78/130 are exactly 60%, not below it; a threshold of 61% catches it
    assert idle_funds(idle_book(), execution_below=0.61).idle_ids == ["V", "X"]
    assert idle_funds(idle_book(), min_years=3).idle_ids == ["X"]          # 10 < 20 < 30
    # one year only: growth is not needed; W has no carry-over, Z executes 95/115
    assert idle_funds(idle_book(), min_years=1).idle_ids == ["X", "Y"]
    # the window must be complete: 2022 alone has no earlier year
    assert idle_funds(idle_book(), year=2022).idle_ids == []
    h = r.history
    assert set(h["year"]) == {2023, 2024} and len(h) == 10
    json.dumps(r.to_dict(), ensure_ascii=False)
    with pytest.raises(InputError, match="min_years"):
        idle_funds(idle_book(), min_years=0)


def test_idle_funds_execution_boundary():
    B = budget_rows("A", 2023, 100, 60, 10) + budget_rows("A", 2024, 100, 66, 10)
    B[0]["adjusted"] = 90.0           # 2023: 60 / (90 + 10) = 0.60 exactly → not low
    B[2]["adjusted"] = 100.0
    B[3]["adjusted"] = B[3]["initial"] = 20.0
    wb = Workbook.from_frames({"projects": pd.DataFrame([project("A", 2023, "D"),
                                                         project("A", 2024, "D")]),
                               "budget": pd.DataFrame(B)})
    assert idle_funds(wb).idle_ids == []
    assert idle_funds(wb, execution_below=0.61).idle_ids == ["A"]    # 0.60 and 0.55, 10 → 20


# --- overlap --------------------------------------------------------------------------------------

def ind_rows(pid, year, names):
    return [{"project_id": pid, "year": year, "level1": "产出指标", "level2": "数量指标",
             "level3": n, "direction": "≥", "kind": "定量", "target_value": 1.0,
             "actual_value": 1.0} for n in names]


def overlap_book():
    y = 2024
    P = [project("A1", y, "区水利局", "农村饮水安全巩固提升工程",
                 "巩固提升农村饮水安全水平，新建改造集中供水工程，提高农村自来水普及率。"),
         project("B1", y, "区农业农村委", "农村饮水安全巩固提升项目",
                 "巩固提升农村饮水安全水平，新建和改造集中供水工程，提高农村自来水普及率"),
         project("C1", y, "区教委", "学生营养改善计划",
                 "为农村义务教育学生提供营养膳食补助，改善学生营养健康状况。"),
         project("D1", y, "区交通局", "农村公路养护工程",
                 "完成农村公路日常养护和危桥改造，保障群众安全出行。"),
         project("E1", y, "区卫生健康委", "基本公共卫生服务项目",
                 "为城乡居民免费提供基本公共卫生服务，提高居民健康水平。"),
         project("C2", y, "区教委", "学生营养改善计划（续）",            # same department as C1
                 "为农村义务教育学生提供营养膳食补助，改善学生营养健康状况")]
    common = ["服务对象满意度", "资金拨付及时率"]
    I = (ind_rows("A1", y, ["新建改造集中供水工程处数", "农村自来水普及率", "受益人口数"] + common)
         + ind_rows("B1", y, ["新建改造集中供水工程数", "农村自来水普及率", "受益人口数"] + common)
         + ind_rows("C1", y, ["受益学生人数", "营养餐供应天数"] + common)
         + ind_rows("D1", y, ["养护农村公路里程", "改造危桥座数"] + common)
         + ind_rows("E1", y, ["建立居民健康档案人数", "老年人健康管理人数"] + common)
         + ind_rows("C2", y, ["受益学生人数", "营养餐供应天数"] + common))
    return Workbook.from_frames({"projects": pd.DataFrame(P), "indicators": pd.DataFrame(I)})


def test_text_similarity_basics():
    s = text_similarity(["农村饮水安全工程", "农村 饮水安全 工程！", "学生营养改善计划", "", None])
    assert s[0, 1] == pytest.approx(1.0)                 # spaces and punctuation ignored
    assert s[0, 2] == pytest.approx(0.0)                 # no shared bigram
    assert s[3, 3] == 0 and s[4, 0] == 0                 # empty texts
    assert s[2, 2] == pytest.approx(1.0)


def test_overlap_planted_near_duplicate():
    r = detect_overlap(overlap_book())
    f = r.to_frame()
    assert list(f.columns) == list(OVERLAP_COLUMNS)
    # exactly one pair: the same project under two departments' names; C1–C2 are as alike
    # but of the same department, and the unrelated projects are far below the threshold
    assert len(f) == 1
    row = f.iloc[0]
    assert {row["project_id_a"], row["project_id_b"]} == {"A1", "B1"}
    assert row["department_a"] != row["department_b"]
    assert row["similarity"] > 0.8 and row["name_similarity"] > 0.7
    assert row["objective_similarity"] > 0.9
    assert set(row["shared_indicators"].split(";")) == {"农村自来水普及率", "受益人口数",
                                                        "服务对象满意度", "资金拨付及时率"}
    assert row["action"] == "调整整合"
    assert r.partners() == {"A1": ["B1"], "B1": ["A1"]}
    # with no threshold every pair of different departments with any shared bigram appears,
    # and the unrelated ones stay low
    allp = detect_overlap(overlap_book(), threshold=0.0).to_frame()
    assert not ((allp["department_a"] == allp["department_b"]).any())
    unrelated = allp[~allp[["project_id_a", "project_id_b"]].isin(["A1", "B1"]).all(axis=1)]
    assert len(unrelated) > 5 and (unrelated["similarity"] < 0.35).all()
    assert not allp[["project_id_a", "project_id_b"]].isin(["C1", "C2"]).all(axis=1).any()
    # combined similarity = mean of the three field cosines when all are present
    assert row["similarity"] == pytest.approx(
        (row["name_similarity"] + row["objective_similarity"] + row["indicator_similarity"]) / 3)
    json.dumps(r.to_dict(), ensure_ascii=False)


def test_overlap_field_weights_and_missing_objective():
    wb = overlap_book()
    p = wb["projects"].copy()
    p.loc[p["project_id"] == "B1", "objective"] = None
    wb2 = Workbook.from_frames({"projects": p, "indicators": wb["indicators"]})
    row = detect_overlap(wb2).to_frame().iloc[0]
    assert np.isnan(row["objective_similarity"])
    assert row["similarity"] == pytest.approx((row["name_similarity"]
                                               + row["indicator_similarity"]) / 2)
    only_names = detect_overlap(wb, fields={"name": 1.0}).to_frame()
    assert len(only_names) == 1 and only_names["similarity"].iloc[0] == pytest.approx(
        only_names["name_similarity"].iloc[0])
    with pytest.raises(InputError, match="fields"):
        detect_overlap(wb, fields={"title": 1.0})
    with pytest.raises(InputError, match="threshold"):
        detect_overlap(wb, threshold=1.5)


# --- next year's proposal -------------------------------------------------------------------------

def proposal_book():
    wb = overlap_book()
    B = []
    for pid, a in zip(["A1", "B1", "C1", "D1", "E1", "C2"], [100, 200, 300, 400, 500, 600]):
        B += budget_rows(pid, 2023, a, a * 0.4, 10)
        idle = pid == "C1"
        B += budget_rows(pid, 2024, a, a * (0.4 if idle else 0.9), 20 if idle else None)
    P = pd.concat([wb["projects"], wb["projects"].assign(year=2023)])
    return Workbook.from_frames({"projects": P.drop(columns=["_row", "_sheet"]),
                                 "indicators": wb["indicators"], "budget": pd.DataFrame(B)})


def test_budget_proposal_table():
    wb = proposal_book()
    scores = pd.DataFrame({"project_id": ["A1", "B1", "C1", "D1", "E1", "C2"],
                           "grade": ["良", "中", "差", "优", "良", "中"]})
    r = budget_proposal(wb, scores=scores)
    f = r.to_frame().set_index("project_id")
    assert list(r.to_frame().columns) == list(PROPOSAL_COLUMNS)
    assert f.loc["A1", "current_budget"] == 100                 # 当年财政拨款 only
    assert f.loc["C1", "current_budget"] == 300
    assert f.loc["A1", "flag_codes"] == "overlap" and f.loc["A1", "overlap_with"] == "B1"
    assert f.loc["B1", "actions"] == "改进;调整整合"
    # C1: 2023 120/310, 2024 120/320, carry 10 → 20: sedimented → recall 200
    assert f.loc["C1", "flag_codes"] == "idle_funds"
    assert f.loc["C1", "recall_amount"] == pytest.approx(320 - 120)
    assert f.loc["C1", "actions"] == "削减或取消;收回"
    assert f.loc["D1", "actions"] == "优先保障" and np.isnan(f.loc["D1", "recall_amount"])
    assert not r.amounts_set and f["proposed_amount"].isna().all()
    assert "未设置压减比例" in r.note
    cut = budget_proposal(wb, scores=scores, cut_percent={"差": 100, "中": 10})
    fc = cut.to_frame().set_index("project_id")
    assert fc.loc["C1", "proposed_amount"] == 0 and fc.loc["B1", "proposed_amount"] == 180
    assert fc.loc["D1", "proposed_amount"] == 400 and fc.loc["B1", "change"] == -20
    skip = budget_proposal(wb, scores=scores, idle=False, overlap=False).to_frame()
    assert (skip["flag_codes"] == "").all()
    json.dumps(cut.to_dict(), ensure_ascii=False)
    assert "2024 → 2025" in r.summary()


def test_budget_proposal_scores_the_self_evaluation_by_default():
    from tests.scoring.test_self_eval import FULL, workbook
    r = budget_proposal(workbook(FULL))
    row = r.to_frame().iloc[0]
    assert row["grade"] == "良" and row["total"] == pytest.approx(84.5)
    assert row["action"] == "保障" and row["actions"] == "保障"
    assert row["current_budget"] == pytest.approx(80.0)        # 当年财政拨款 adjusted
    assert row["flag_codes"] == "" and np.isnan(row["recall_amount"])
    from perfkit.scoring import score_self_evaluation
    se = score_self_evaluation(workbook(FULL))
    assert apply_results(se).to_frame()["action"].tolist() == ["保障"]
