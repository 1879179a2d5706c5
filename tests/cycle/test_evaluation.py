"""Key evaluation with several experts, re-evaluation of self-evaluations, conflict check.

ICC(2,1), ICC(2,k) and Kendall's W are checked against R (tests/reference/icc/*,
tests/reference/kendall_w/*: psych::ICC(lmer = FALSE); W by hand, cross-checked in R with
friedman.test); everything else is computed by hand.
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from perfkit.cycle.evaluation import (EVALUATION_SECTIONS, FRAMEWORK, conflict_check,
                                      default_framework, icc, kendall_w, key_evaluation,
                                      reevaluate)
from perfkit.errors import InputError
from perfkit.model.workbook import Workbook
from perfkit.rules import load_profile

REF = Path(__file__).resolve().parents[1] / "reference"
NAT = load_profile("national")


def ref(method, case):
    d = REF / method / case
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    return d, json.loads((d / "expected.json").read_text(encoding="utf-8")), meta


# --- framework --------------------------------------------------------------------------------

def test_default_framework_weights():
    fw = default_framework(NAT)
    assert len(fw) == len(FRAMEWORK) == 20
    assert fw["weight"].sum() == pytest.approx(100)
    assert fw.groupby("level1")["weight"].sum().to_dict() == pytest.approx(
        {"决策": 15, "过程": 20, "产出": 35, "效益": 30})
    w = fw.set_index("level3")["weight"]
    assert w["立项依据充分性"] == pytest.approx(15 / 3 / 2)          # 3 二级, 2 三级 each
    assert w["资金到位率"] == pytest.approx(20 / 2 / 3)
    assert w["管理制度健全性"] == pytest.approx(20 / 2 / 2)
    assert w["实际完成率"] == pytest.approx(35 / 4)
    assert w["经济效益"] == pytest.approx(30 / 2 / 4)
    assert w["服务对象满意度"] == pytest.approx(15)
    assert fw.set_index("level3").loc["立项依据充分性", "source"] == "S: H"
    other = default_framework(NAT.with_overrides(
        {"finance_eval.weights": {"决策": 10, "过程": 10, "产出": 40, "效益": 40}}))
    assert other.groupby("level1")["weight"].sum()["产出"] == pytest.approx(40)


# --- key evaluation by hand ----------------------------------------------------------------------

#: (level1, level2, level3, weight, scores of experts 甲 乙 丙)
SMALL = [("决策", "项目立项", "立项依据充分性", 20, (16, 18, 20)),
         ("过程", "资金管理", "预算执行率", 20, (10, 14, 20)),
         ("产出", "数量", "实际完成率", 30, (30, 27, 24)),
         ("效益", "项目效益", "社会效益", 30, (30, 15, 27))]


def scores(rows=SMALL, subject="KE1", experts=("甲", "乙", "丙")):
    return pd.DataFrame([{"subject_id": subject, "expert": e, "level1": l1, "level2": l2,
                          "level3": l3, "weight": w, "score": s[j]}
                         for l1, l2, l3, w, s in rows for j, e in enumerate(experts)])


def test_aggregation_total_and_grade_by_hand():
    r = key_evaluation(scores(), NAT)
    i = r.indicators.set_index("level3")
    assert i["score"].tolist() == pytest.approx([18, 44 / 3, 27, 24])
    assert i.loc["预算执行率", "fraction"] == pytest.approx(44 / 60)
    s = r.subjects.iloc[0]
    assert s["total"] == pytest.approx(18 + 44 / 3 + 27 + 24)          # 83.67
    assert s["grade"] == "良" and s["n_experts"] == 3 and s["n_indicators"] == 4
    assert s["focus_share"] == pytest.approx(0.6)                     # exactly 60%: no warning
    assert r.warnings == []
    et = r.expert_totals.set_index("expert")["total"]
    assert et.to_dict() == pytest.approx({"甲": 86, "乙": 74, "丙": 91})
    lv = r.level1.set_index("level1")
    assert lv.loc["效益", "weight_share"] == pytest.approx(0.3)
    med = key_evaluation(scores(), NAT, method="median")
    assert med.subjects["total"].iloc[0] == pytest.approx(18 + 14 + 27 + 27)   # 86
    # three experts: dropping the highest and the lowest leaves the median
    assert key_evaluation(scores(), NAT, method="trimmed").subjects["total"].iloc[0] == \
        pytest.approx(86)


def test_trimmed_mean_drops_one_highest_and_one_lowest():
    rows = [("决策", "a", "a", 20, (10, 12, 15, 20, 4)), ("过程", "b", "b", 20, (20,) * 5),
            ("产出", "c", "c", 30, (30,) * 5), ("效益", "d", "d", 30, (30,) * 5)]
    ex = ("E1", "E2", "E3", "E4", "E5")
    got = {m: key_evaluation(scores(rows, experts=ex), NAT, method=m).indicators["score"].iloc[0]
           for m in ("mean", "median", "trimmed")}
    assert got == pytest.approx({"mean": 12.2, "median": 12, "trimmed": 37 / 3})
    r = key_evaluation(scores(rows, experts=ex), NAT, method="trimmed", trim=0.2)
    assert r.indicators["score"].iloc[0] == pytest.approx(37 / 3) and r.trim == 0.2


def test_disagreement_ranking():
    r = key_evaluation(scores(), NAT)
    d = r.disagreement
    # SD as a share of the weight: 社会效益 sd(30,15,27)/30 = .2646, 预算执行率 sd(10,14,20)/20 = .2517
    assert d["level3"].tolist()[:2] == ["社会效益", "预算执行率"]
    assert d["rank"].tolist() == [1, 2, 3, 4]
    assert d["sd_share"].iloc[0] == pytest.approx(np.std([30, 15, 27], ddof=1) / 30)
    assert d["range_share"].iloc[0] == pytest.approx(0.5)
    assert len(key_evaluation(scores(), NAT, top=2).disagreement) == 2


def test_output_plus_outcome_below_60_percent_is_a_warning():
    rows = [("决策", "a", "a", 25, (20, 20, 20)), ("过程", "b", "b", 20, (15, 15, 15)),
            ("产出", "c", "c", 30, (25, 25, 25)), ("效益", "d", "d", 25, (20, 20, 20))]
    r = key_evaluation(scores(rows), NAT)                 # still scored: a warning only
    assert r.subjects["total"].iloc[0] == pytest.approx(80)
    assert [w["code"] for w in r.warnings] == ["output_outcome_share_low"]
    assert r.warnings[0]["value"] == pytest.approx(0.55)
    assert "产出+效益" in r.warnings[0]["message"] and "55.0%" in r.warnings[0]["message"]
    assert r.subjects["n_warnings"].iloc[0] == 1
    # a mid-implementation evaluation checks 决策+过程+产出 (75%) instead
    assert key_evaluation(scores(rows), NAT, stage="mid").warnings == []


def test_mid_stage_warning():
    rows = [("决策", "a", "a", 10, (10,) * 3), ("过程", "b", "b", 10, (10,) * 3),
            ("产出", "c", "c", 30, (30,) * 3), ("效益", "d", "d", 50, (50,) * 3)]
    assert key_evaluation(scores(rows), NAT).warnings == []
    w = key_evaluation(scores(rows), NAT, stage="mid").warnings
    assert [x["code"] for x in w] == ["mid_focus_share_low"]
    assert w[0]["value"] == pytest.approx(0.5)


def test_framework_supplies_weights():
    fw = default_framework(NAT)
    rows = [{"subject_id": "KE9", "expert": e, "level1": r.level1, "level2": r.level2,
             "level3": r.level3, "score": r.weight * f}
            for e, f in (("甲", 1.0), ("乙", 0.8)) for r in fw.itertuples()]
    r = key_evaluation(pd.DataFrame(rows), NAT, framework=fw)
    assert r.subjects["total"].iloc[0] == pytest.approx(90)
    assert r.subjects["grade"].iloc[0] == "优"
    bad = pd.DataFrame(rows[1:])                          # 甲 skipped one; 乙 still scored it
    assert key_evaluation(bad, NAT, framework=fw).subjects["total"].iloc[0] == \
        pytest.approx(90 - fw["weight"].iloc[0] * 0.1)
    missing = pd.DataFrame([r for r in rows if r["level3"] != "成本节约率"])
    with pytest.raises(InputError, match="not scored by any expert"):
        key_evaluation(missing, NAT, framework=fw)
    extra = pd.DataFrame(rows + [{**rows[0], "level3": "新指标"}])
    with pytest.raises(InputError, match="not in the framework"):
        key_evaluation(extra, NAT, framework=fw)
    wrong = pd.DataFrame(rows).assign(weight=5.0)
    with pytest.raises(InputError, match="differs from the framework"):
        key_evaluation(wrong, NAT, framework=fw)


@pytest.mark.parametrize("mutate,column,match", [
    (lambda d: d.assign(score=d["score"].where(d.index != 4, 25)), "score", r"\[0, weight\]"),
    (lambda d: d.assign(score=d["score"].where(d.index != 0, -1)), "score", r"\[0, weight\]"),
    (lambda d: d.assign(weight=d["weight"].where(d.index > 2, 25)), "weight", "add up to 105"),
    (lambda d: d.assign(weight=d["weight"].where(d.index != 0, 21)), "weight",
     "different weights"),
    (lambda d: d.assign(level1=d["level1"].where(d.index != 7, "结果")), "level1",
     "unknown level-1"),
    (lambda d: pd.concat([d, d.iloc[[0]]], ignore_index=True), "level3", "twice"),
    (lambda d: d.assign(score=d["score"].astype(object).where(d.index != 2, "abc")), "score",
     "must be a number"),
])
def test_input_errors_name_the_row(mutate, column, match):
    with pytest.raises(InputError, match=match) as e:
        key_evaluation(mutate(scores()), NAT)
    assert e.value.problem.column == column
    assert e.value.problem.row is not None


def test_score_error_names_the_excel_row():
    d = scores().assign(_row=range(5, 17))
    d.loc[4, "score"] = 25                                 # weight 20
    with pytest.raises(InputError) as e:
        key_evaluation(d, NAT)
    assert e.value.problem.row == 9 and e.value.problem.value == 25


def test_level1_variants_and_report_shape():
    d = scores()
    d["level1"] = d["level1"].map({"决策": "决策指标", "过程": "process", "产出": "产出指标",
                                   "效益": "outcome"})
    r = key_evaluation(d, NAT)
    assert r.level1["level1"].tolist() == ["决策", "过程", "产出", "效益"]
    one = r.subject("KE1").to_dict()
    json.dumps(one, ensure_ascii=False)
    json.dumps(r.to_dict(), ensure_ascii=False)
    assert [s["title"] for s in one["sections"]] == [t for t, _ in EVALUATION_SECTIONS]
    assert one["sections"][2]["content"]["grade"] == "良"
    assert [x["level1"] for x in one["sections"][3]["content"]["level1"]] == \
        ["决策", "过程", "产出", "效益"]
    assert len(one["sections"][7]["content"]["scoring_table"]) == 4
    with pytest.raises(InputError):
        r.subject("nope")


# --- agreement vs R ------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["shrout_fleiss"])
def test_icc_matches_r_and_the_paper(case):
    d, exp, meta = ref("icc", case)
    x = pd.read_csv(d / "input.csv").to_numpy(float)
    got = icc(x)
    tol = meta["tolerance"]
    for k in ("icc2_1", "icc2_1_lower", "icc2_1_upper", "icc2_k", "icc2_k_lower",
              "icc2_k_upper", "F", "df1", "df2", "p"):
        assert got[k] == pytest.approx(exp[k], rel=tol["rtol"], abs=tol["atol"]), k
    assert got["icc2_1"] == pytest.approx(exp["published"]["icc2_1"],
                                          abs=tol["published_atol"])
    assert got["icc2_k"] == pytest.approx(exp["published"]["icc2_k"],
                                          abs=tol["published_atol"])


def test_kendall_w_matches_r_on_shrout_fleiss():
    d, exp, meta = ref("kendall_w", "shrout_fleiss")
    got = kendall_w(pd.read_csv(d / "input.csv").to_numpy(float))
    tol = meta["tolerance"]
    for k in ("w", "chi2", "df", "p", "ties"):
        assert got[k] == pytest.approx(exp[k], rel=tol["rtol"], abs=tol["atol"]), k
    assert got["w"] > exp["w_uncorrected"]                 # the tie correction raises W


def test_key_evaluation_agreement_matches_r():
    """The expert panel sheet (Chinese headers) through key_evaluation, vs psych::ICC and W."""
    d, exp_icc, meta_icc = ref("icc", "expert_panel")
    _, exp_w, meta_w = ref("kendall_w", "expert_panel")
    sheet = pd.read_csv(d / "expert_scores.csv", encoding="utf-8", dtype={"被评价对象编码": str})
    r = key_evaluation(sheet, NAT)
    a = r.agreement.iloc[0]
    assert a["n_indicators"] == 12 and a["n_experts"] == 5
    t = meta_icc["tolerance"]
    for k in ("icc2_1", "icc2_1_lower", "icc2_1_upper", "icc2_k", "icc2_k_lower",
              "icc2_k_upper", "F", "df1", "df2", "p"):
        assert a[k] == pytest.approx(exp_icc[k], rel=t["rtol"], abs=t["atol"]), k
    t = meta_w["tolerance"]
    for ours, theirs in (("kendall_w", "w"), ("kendall_chi2", "chi2"), ("kendall_df", "df"),
                         ("kendall_p", "p"), ("kendall_ties", "ties")):
        assert a[ours] == pytest.approx(exp_w[theirs], rel=t["rtol"], abs=t["atol"]), ours
    assert exp_w["ties"] > 0                               # the case exercises the correction
    assert r.subjects["total"].iloc[0] == pytest.approx(exp_icc["total_mean"], rel=1e-12)
    fr = pd.read_csv(REF / "kendall_w" / "expert_panel" / "fractions.csv").to_numpy(float)
    assert kendall_w(fr)["w"] == pytest.approx(exp_w["w"], rel=1e-9)


def test_agreement_edge_cases():
    assert np.isnan(icc([[1, 2]])["icc2_1"])               # one target
    assert np.isnan(kendall_w([[1], [2]])["w"])            # one rater
    same = kendall_w([[1, 1], [1, 1], [1, 1]])             # all tied: undefined
    assert np.isnan(same["w"])
    perfect = kendall_w([[1, 1, 1], [2, 2, 2], [3, 3, 3]])
    assert perfect["w"] == pytest.approx(1.0)
    assert icc([[1, 1], [2, 2], [3, 3]])["icc2_1"] == pytest.approx(1.0)
    with_nan = icc([[1, 1], [2, np.nan], [3, 3], [4, 5]])
    assert with_nan["n"] == 3


# --- re-evaluation --------------------------------------------------------------------------------

YEAR = 2024


def reeval_workbook():
    """Five projects; P2 is a planted inflated self-evaluation (Δ 15, 良 → 优)."""
    projects, budget, inds = [], [], []
    plan = {  # pid: (unit, department, actual of the 效益 indicator, its self-awarded score)
        "P1": ("一中", "区教委", 100, 30), "P2": ("一中", "区教委", 50, 30),
        "P3": ("一中", "区教委", 90, 30), "P4": ("二中", "区教委", 60, 21),
        "P5": ("卫生院", "区卫健委", 100, 30), "P6": ("卫生院", "区卫健委", 100, None)}
    for pid, (unit, dep, a, aw) in plan.items():
        projects.append({"project_id": pid, "year": YEAR, "name": f"项目{pid}",
                         "department_id": dep, "department": dep, "implementing_unit": unit,
                         "budget_type": "一般公共预算", "sector": "教育"})
        budget.append({"project_id": pid, "year": YEAR, "source": "当年财政拨款",
                       "initial": 100.0, "adjusted": 100.0, "executed": 100.0})
        base = {"project_id": pid, "year": YEAR, "kind": "定量", "direction": "≥",
                "not_applicable": False, "deviation_reason": "原因"}
        inds += [
            {**base, "level1": "产出指标", "level2": "数量指标", "level3": "完成数", "unit": "个",
             "target_value": 100.0, "actual_value": 100.0, "weight": 50.0,
             "awarded": None if aw is None else 50.0},
            {**base, "level1": "效益指标", "level2": "社会效益指标", "level3": "受益人数",
             "unit": "人", "target_value": 100.0, "actual_value": float(a), "weight": 30.0,
             "awarded": None if aw is None else float(aw)},
            {**base, "level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "满意度",
             "unit": "%", "target_value": 90.0, "actual_value": 95.0, "weight": 10.0,
             "awarded": None if aw is None else 10.0}]
    return Workbook.from_frames({"projects": pd.DataFrame(projects),
                                 "budget": pd.DataFrame(budget),
                                 "indicators": pd.DataFrame(inds)})


@pytest.fixture(scope="module")
def reeval():
    return reevaluate(reeval_workbook(), NAT)


def test_planted_inflated_self_evaluation(reeval):
    p = reeval.projects.set_index("project_id")
    # P2: rule 10 + 50 + 30·50/100 + 10 = 85 (良); self 10 + 50 + 30 + 10 = 100 (优)
    assert p.loc["P2", "total"] == pytest.approx(85) and p.loc["P2", "grade"] == "良"
    assert p.loc["P2", "self_total"] == pytest.approx(100) and p.loc["P2", "self_grade"] == "优"
    assert p.loc["P2", "delta"] == pytest.approx(15)
    assert p.loc["P2", "grade_changed"] and p.loc["P2", "flagged"] and p.loc["P2", "inflated"]
    assert p.loc["P2", "direction"] == "偏高" and p.loc["P2", "n_differ"] == 1
    assert "受益人数" in p.loc["P2", "main_reason"]
    # P3: Δ 3 within the same grade → not flagged
    assert p.loc["P3", "delta"] == pytest.approx(3) and not p.loc["P3", "flagged"]
    # P4: rule 88 (良), self 91 (优): Δ 3 < 10 but the grade changes → flagged
    assert p.loc["P4", "total"] == pytest.approx(88) and p.loc["P4", "self_total"] == \
        pytest.approx(91)
    assert p.loc["P4", "flagged"] and p.loc["P4", "inflated"]
    # P1, P5 honest
    assert p.loc["P1", "delta"] == pytest.approx(0) and p.loc["P1", "direction"] == "一致"
    assert not p.loc[["P1", "P5"], "flagged"].any()
    assert [f["project_id"] for f in reeval.flags] == ["P2", "P4"]


def test_points_lost_per_indicator(reeval):
    i = reeval.indicators
    row = i[(i["project_id"] == "P2") & (i["level3"] == "受益人数")].iloc[0]
    assert row["self_score"] == 30 and row["score"] == pytest.approx(15)
    assert row["lost"] == pytest.approx(15) and row["rule"] == "positive_ratio"
    assert "未达到目标值" in row["reason"] and "50%" in row["reason"]
    assert i.loc[i["project_id"] == "P1", "lost"].abs().max() == pytest.approx(0)


def test_unit_quality_summary(reeval):
    u = reeval.units.set_index("implementing_unit")
    assert u.loc["一中", "n_projects"] == 3 and u.loc["一中", "n_inflated"] == 1
    assert u.loc["一中", "mean_delta"] == pytest.approx(6)           # (0 + 15 + 3) / 3
    assert u.loc["一中", "share_inflated"] == pytest.approx(1 / 3)
    assert u.loc["一中", "quality"] == "存在偏差"
    assert u.loc["二中", "quality"] == "较差" and u.loc["二中", "quality_en"] == "poor"
    assert u.loc["卫生院", "quality"] == "较好" and u.loc["卫生院", "n_projects"] == 1
    assert "+6.00" in u.loc["一中", "note"]
    dep = reeval.departments.set_index("department")
    assert dep.loc["区教委", "n_projects"] == 4 and dep.loc["区教委", "n_inflated"] == 2
    assert dep.loc["区教委", "quality"] == "较差"                    # 2/4 ≥ 0.5


def test_sample_is_seeded_and_recorded(reeval):
    s = reeval.sample
    assert s["mode"] == "all" and s["n"] == 5 and s["population"] == 5
    assert s["excluded"] == ["P6"]                                   # no self-awarded scores
    a = reevaluate(reeval_workbook(), NAT, sample=2, seed=7)
    b = reevaluate(reeval_workbook(), NAT, sample=2, seed=7)
    assert a.sample["ids"] == b.sample["ids"] and len(a.sample["ids"]) == 2
    assert a.sample["ids"] == sorted(a.sample["ids"]) and a.sample["seed"] == 7
    assert a.projects["project_id"].tolist() == a.sample["ids"]
    f = reevaluate(reeval_workbook(), NAT, sample=0.5, seed=1)
    assert f.sample["n"] == 3 and f.sample["mode"] == "fraction"   # ceil(0.5 × 5)
    json.dumps(f.to_dict(), ensure_ascii=False)
    assert "sample: 3 of 5" in f.summary()


@pytest.mark.parametrize("sample,seed", [(0, 0), (6, 0), (1.5, 0), (True, 0), ("2", 0),
                                         (2, -1)])
def test_bad_samples(sample, seed):
    with pytest.raises(InputError):
        reevaluate(reeval_workbook(), NAT, sample=sample, seed=seed)


def test_flag_rules_come_from_the_profile():
    prof = NAT.with_overrides({"reevaluation.flag_grade_change": False,
                               "reevaluation.flag_delta": 15})
    p = reevaluate(reeval_workbook(), prof).projects.set_index("project_id")
    assert p.loc["P2", "flagged"]                                   # Δ 15 ≥ 15
    assert not p.loc["P4", "flagged"]                               # grade change ignored
    prof2 = NAT.with_overrides({"reevaluation.flag_delta": 15.01})
    assert not reevaluate(reeval_workbook(), prof2.with_overrides(
        {"reevaluation.flag_grade_change": False})).projects["flagged"].any()


# --- conflict check -------------------------------------------------------------------------------

def test_conflict_check():
    assert conflict_check("区财政局", "某评估公司", "区教委") == []
    w = conflict_check("区教委", "某评估公司", "区 教委")
    assert [x["code"] for x in w] == ["self_commissioned"]
    assert w[0]["message"] == "委托方与被评价对象相同"
    w = conflict_check("区财政局", "某评估公司", "区教委",
                       evaluator_prior_roles=["区卫健委", ("区教委", "编制绩效目标"),
                                              {"object": "区教委", "role": "事前评估"}])
    assert [x["code"] for x in w] == ["prior_advisory", "prior_advisory"]
    assert "编制绩效目标" in w[0]["message"]
    assert [x["code"] for x in conflict_check("区财政局", "区教委", "区教委")] == \
        ["evaluator_is_object"]
    with pytest.raises(InputError, match="evaluator"):
        conflict_check("区财政局", " ", "区教委")


def test_chinese_headers_in_errors():
    d = scores().rename(columns={"score": "得分", "weight": "分值", "level1": "一级指标"})
    d.loc[1, "得分"] = 99
    with pytest.raises(InputError) as e:
        key_evaluation(d, NAT)
    assert e.value.problem.column == "得分" and e.value.problem.row == 3
