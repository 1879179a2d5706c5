"""Ex-ante assessment (事前绩效评估): rating fractions, cut-offs, experts, evidence, errors.

Every expected value is computed by hand from the national profile: 20 points per dimension,
优 1.0 / 良 0.8 / 中 0.6 / 差 0.3, 予以支持 ≥ 80, 调整后予以支持 ≥ 60 (domain.md §5).
"""
import json

import pandas as pd
import pytest

from perfkit.cycle.exante import CONCLUSIONS, EXANTE_SECTIONS, assess_exante
from perfkit.errors import InputError
from perfkit.methods.cba import appraise, least_cost
from perfkit.rules import load_profile

DIMS = ["立项必要性", "投入经济性", "绩效目标合理性", "实施方案可行性", "筹资合规性"]
#: loaded once: parsing the YAML profile costs more than an assessment
NAT = load_profile("national")


def run(ratings, profile=None, **kw):
    return assess_exante(ratings, NAT if profile is None else profile, **kw)


POLICY = ["政策设立必要性", "政策保障充分性", "政策目标合理性", "政策实施可持续性", "政策资金合规性"]


def sheet(ratings, *, subject="P1", expert=None, dims=DIMS, points=None):
    """ratings: one string per dimension, one character (优良中差) per item."""
    rows = []
    for d, rs in zip(dims, ratings):
        for i, r in enumerate(rs):
            row = {"subject_id": subject, "dimension": d, "item": f"{d}{i + 1}", "rating": r}
            if expert is not None:
                row["expert"] = expert
            if points is not None:
                row["points"] = points[d][i]
            rows.append(row)
    return pd.DataFrame(rows)


# --- scoring and conclusion -------------------------------------------------------------------

def test_hand_computed_dimension_scores_and_findings():
    # 10 points per item: 优良 18, 良中 14, 中差 9, 优优 20, 差差 6 → 67
    r = run(sheet(["优良", "良中", "中差", "优优", "差差"]))
    d = r.dimensions.set_index("dimension")
    assert d["score"].tolist() == pytest.approx([18, 14, 9, 20, 6])
    assert d["points"].tolist() == pytest.approx([20] * 5)
    assert d.loc["绩效目标合理性", "share"] == pytest.approx(0.45)
    s = r.subjects.iloc[0]
    assert s["total"] == pytest.approx(67)
    assert s["conclusion"] == "调整后予以支持" and s["conclusion_en"] == "support after adjustment"
    f = r.findings
    weak_items = f[f["rule"] == "weak_item"]
    assert sorted(weak_items["item"]) == sorted(["投入经济性2", "绩效目标合理性1", "绩效目标合理性2",
                                                 "筹资合规性1", "筹资合规性2"])
    assert weak_items.set_index("item").loc["绩效目标合理性2", "value"] == pytest.approx(0.3)
    assert sorted(f.loc[f["rule"] == "weak_dimension", "dimension"]) == ["筹资合规性", "绩效目标合理性"]
    assert s["n_findings"] == 7
    frame = r.to_frame()
    assert frame["dimension"].tolist() == DIMS + ["合计"]
    assert frame["score"].iloc[-1] == pytest.approx(67)


@pytest.mark.parametrize("ratings,points,total,conclusion", [
    (["优优"] * 5, None, 100, "予以支持"),
    (["良良"] * 5, None, 80, "予以支持"),                        # exactly 80 → 支持
    (["良中"] + ["良良"] * 4, {"立项必要性": [19.95, 0.05]}, 79.99, "调整后予以支持"),
    (["中中"] * 5, None, 60, "调整后予以支持"),                  # exactly 60 → 调整后
    (["中差"] + ["中中"] * 4, {"立项必要性": [19.95, 0.05]}, 59.985, "不予支持"),
    (["差差"] * 5, None, 30, "不予支持"),
])
def test_conclusion_boundaries(ratings, points, total, conclusion):
    pts = None
    if points is not None:
        pts = {d: [10, 10] for d in DIMS}
        pts.update(points)
    r = run(sheet(ratings, points=pts))
    assert r.subjects["total"].iloc[0] == pytest.approx(total, abs=1e-9)
    assert r.subjects["conclusion"].iloc[0] == conclusion
    assert conclusion in CONCLUSIONS


def test_mean_of_two_experts_exactly_80_is_support():
    a = sheet(["优优"] * 5, expert="甲")           # 100
    b = sheet(["中中"] * 5, expert="乙")           # 60
    r = run(pd.concat([a, b]))
    assert r.subjects["total"].iloc[0] == 80
    assert r.subjects["conclusion"].iloc[0] == "予以支持"
    et = r.expert_totals.set_index("expert")["total"]
    assert et["甲"] == pytest.approx(100) and et["乙"] == pytest.approx(60)


def test_default_points_split_equally_over_items():
    # 立项必要性 has 4 items (5 points each), the others 1 item (20 points)
    r = run(sheet(["优良中差", "良", "良", "良", "良"]))
    it = r.items.set_index("item")
    assert it.loc["立项必要性1", "points"] == pytest.approx(5)
    assert it.loc["投入经济性1", "points"] == pytest.approx(20)
    # 5 × (1 + .8 + .6 + .3) = 13.5; 4 × 16 = 64 → 77.5
    assert r.subjects["total"].iloc[0] == pytest.approx(77.5)


def test_profile_rating_fractions_and_cutoffs_are_used():
    prof = NAT.with_overrides({
        "exante.rating_fraction": {"优": 1.0, "良": 0.75, "中": 0.5, "差": 0.0},
        "exante.cutoffs": {"予以支持": 85, "调整后予以支持": 70}})
    r = run(sheet(["良良"] * 5), prof)
    assert r.subjects["total"].iloc[0] == pytest.approx(75)
    assert r.subjects["conclusion"].iloc[0] == "调整后予以支持"
    assert r.rules["cutoffs"] == {"予以支持": 85, "调整后予以支持": 70}


# --- several experts --------------------------------------------------------------------------

FIVE = {"甲": "优", "乙": "优", "丙": "良", "丁": "差", "戊": "差"}   # 10, 10, 8, 3, 3 per item


def five_experts():
    return pd.concat([sheet([r * 2] * 5, expert=e) for e, r in FIVE.items()], ignore_index=True)


@pytest.mark.parametrize("method,item,total", [
    ("mean", 6.8, 68.0),            # (10 + 10 + 8 + 3 + 3) / 5
    ("median", 8.0, 80.0),
    ("trimmed", 7.0, 70.0),         # drop one highest and one lowest: (10 + 8 + 3) / 3
])
def test_expert_aggregation(method, item, total):
    r = run(five_experts(), method=method)
    assert r.items["score"].tolist() == pytest.approx([item] * 10)
    assert r.subjects["total"].iloc[0] == pytest.approx(total)
    assert r.subjects["n_experts"].iloc[0] == 5
    assert r.items["ratings"].iloc[0] == "优×2、良×1、差×2"
    assert r.method == method


def test_default_aggregation_comes_from_profile():
    assert run(five_experts()).method == "mean"
    prof = NAT.with_overrides({"exante.expert_aggregation": "median"})
    r = run(five_experts(), prof)
    assert r.method == "median" and r.subjects["total"].iloc[0] == pytest.approx(80)


def test_incomplete_expert_is_a_warning():
    a = sheet(["优优"] * 5, expert="甲")
    b = sheet(["良良"] * 5, expert="乙").iloc[1:]
    r = run(pd.concat([a, b]))
    assert [w["code"] for w in r.warnings] == ["incomplete_expert"]
    assert r.items.set_index("item").loc["立项必要性1", "score"] == pytest.approx(10)
    assert r.subjects["total"].iloc[0] == pytest.approx(10 + 9 * 9)


# --- variants, headers, several subjects -------------------------------------------------------

def test_policy_variant_and_chinese_headers():
    df = sheet(["优良"] * 5, dims=POLICY).rename(columns={
        "subject_id": "评估对象编码", "dimension": "评估维度", "item": "评估要点", "rating": "评级"})
    r = run(df, variant="policy")
    assert r.dimensions["dimension"].tolist() == POLICY
    assert r.subjects["total"].iloc[0] == pytest.approx(90)
    with pytest.raises(InputError, match="unknown project dimension"):
        run(df)


def test_rating_variants_accepted():
    df = sheet(["优良"] * 5)
    df["rating"] = df["rating"].map({"优": "优秀", "良": "良好"})
    assert run(df).subjects["total"].iloc[0] == pytest.approx(90)


def test_several_subjects_with_mapped_evidence():
    df = pd.concat([sheet(["优优"] * 5, subject="A"), sheet(["差差"] * 5, subject="B")])
    bad = appraise([0, 30, 30], [100, 0, 0], rate=0.0)        # NPV −40, BCR 0.6
    r = run(df, cba={"B": bad})
    assert r.subjects.set_index("subject_id")["conclusion"].to_dict() == {"A": "予以支持",
                                                                          "B": "不予支持"}
    assert [e["subject_id"] for e in r.evidence] == ["B"]
    with pytest.raises(InputError, match="mapping"):
        run(df, cba=bad)
    with pytest.raises(InputError, match="not in the ratings"):
        run(df, cba={"C": bad})


# --- cost-benefit and least-cost evidence -------------------------------------------------------

def test_cba_not_supportive_is_a_finding_not_a_score_change():
    base = run(sheet(["优优"] * 5))
    bad = appraise([0, 30, 30], [100, 0, 0], rate=0.0)
    assert bad.npv == pytest.approx(-40) and bad.bcr == pytest.approx(0.6)
    r = run(sheet(["优优"] * 5), cba=bad)
    assert r.subjects["total"].iloc[0] == base.subjects["total"].iloc[0] == 100
    assert r.subjects["conclusion"].iloc[0] == "予以支持"
    f = r.findings[r.findings["rule"] == "cba_not_supportive"]
    assert len(f) == 1 and f["dimension"].iloc[0] == "投入经济性"
    assert "成本收益分析不支持" in f["message"].iloc[0] and "NPV = -40" in f["message"].iloc[0]
    assert r.evidence[0]["dimension"] == "投入经济性" and r.evidence[0]["values"]["bcr"] == \
        pytest.approx(0.6)
    rec = r.subject("P1").recommendations
    assert any("复核成本收益" in x["text"] for x in rec)


def test_cba_supportive_gives_evidence_only():
    good = appraise([0, 80, 80], [100, 0, 0], rate=0.0)       # NPV 60, BCR 1.6
    r = run(sheet(["优优"] * 5), cba=good)
    assert r.findings.empty
    assert "NPV = 60" in r.evidence[0]["text"] and "BCR = 1.6" in r.evidence[0]["text"]


def test_policy_evidence_goes_to_the_policy_input_dimension():
    bad = appraise([0, 30], [100, 0], rate=0.0)
    r = run(sheet(["优优"] * 5, dims=POLICY), variant="policy", cba=bad)
    assert r.findings["dimension"].tolist() == ["政策保障充分性"]


def test_least_cost_evidence_and_chosen_option():
    lc = least_cost(pd.Series({"方案一": 120.0, "方案二": 100.0, "方案三": 150.0}))
    r = run(sheet(["优优"] * 5), least_cost=lc, chosen_option="方案三")
    assert r.evidence[0]["source"] == "least_cost" and "方案二" in r.evidence[0]["text"]
    f = r.findings
    assert f["rule"].tolist() == ["least_cost_not_chosen"]
    assert f["value"].iloc[0] == pytest.approx(150)
    assert run(sheet(["优优"] * 5), least_cost=lc,
                         chosen_option="方案二").findings.empty
    with pytest.raises(InputError, match="chosen_option"):
        run(sheet(["优优"] * 5), least_cost=lc, chosen_option="方案九")


# --- report shape ---------------------------------------------------------------------------------

def test_report_dict_follows_the_exante_outline():
    r = run(sheet(["优良", "良中", "中差", "优优", "差差"]),
                      info={"P1": {"立项背景": "背景"}})
    d = r.subject("P1").to_dict()
    json.dumps(d, ensure_ascii=False)
    json.dumps(r.to_dict(), ensure_ascii=False)
    assert [s["title"] for s in d["sections"]] == [t for t, _, _ in EXANTE_SECTIONS]
    assert [s["number"] for s in d["sections"]] == [1, 2, 3, 4, 5, 6]
    assert d["sections"][0]["content"] == {"立项背景": "背景"}
    s3 = d["sections"][2]["content"]
    assert [x["dimension"] for x in s3["dimensions"]] == DIMS
    assert s3["dimensions"][2]["score"] == pytest.approx(9)
    assert len(s3["dimensions"][2]["findings"]) == 3        # 2 items + the dimension
    assert s3["total"] == pytest.approx(67) and s3["conclusion"] == "调整后予以支持"
    recs = d["sections"][3]["content"]["recommendations"]
    assert recs[0]["text"].startswith("建议按评估意见调整完善后予以支持")
    annex = d["sections"][5]["content"]
    assert len(annex["评分表"]) == 10 and annex["专家意见"][0]["total"] == pytest.approx(67)
    assert d["total"] == pytest.approx(67) and d["conclusion_en"] == "support after adjustment"
    assert "调整后予以支持" in r.summary()


def test_reject_recommendation_says_no_budget():
    d = run(sheet(["差差"] * 5)).subject("P1").to_dict()
    assert "不安排预算" in d["recommendations"][0]["text"]


# --- validation -----------------------------------------------------------------------------------

def test_unknown_dimension_names_row_and_column():
    df = sheet(["优优"] * 5)
    df.loc[3, "dimension"] = "立项依据"
    df["_row"] = range(10, 20)
    with pytest.raises(InputError) as e:
        run(df)
    assert e.value.problem.row == 13 and e.value.problem.column == "dimension"
    assert e.value.problem.value == "立项依据"


def test_unknown_rating_names_row_and_column():
    df = sheet(["优优"] * 5)
    df.loc[0, "rating"] = "A"
    with pytest.raises(InputError) as e:
        run(df)
    assert e.value.problem.row == 2 and e.value.problem.column == "rating"   # header is row 1
    assert "优/良/中/差" in str(e.value)


def test_missing_dimension_is_named():
    df = sheet(["优优"] * 5)
    df = df[df["dimension"] != "筹资合规性"]
    with pytest.raises(InputError, match="筹资合规性"):
        run(df)


@pytest.mark.parametrize("mutate,match", [
    (lambda d: d.drop(columns="rating"), "needs the column"),
    (lambda d: d.assign(points=[10.0, None] + [10.0] * 8), "some items"),
    (lambda d: d.assign(points=[12.0] * 10), "add up to 120"),
    (lambda d: pd.concat([d, d.iloc[[0]]]), "twice"),
    (lambda d: d.assign(points=["x"] + [10.0] * 9), "must be a number"),
])
def test_input_errors(mutate, match):
    with pytest.raises(InputError, match=match):
        run(mutate(sheet(["优优"] * 5)))


def test_points_must_agree_between_experts():
    a = sheet(["优优"] * 5, expert="甲", points={d: [10, 10] for d in DIMS})
    b = sheet(["优优"] * 5, expert="乙", points={d: ([12, 8] if d == "立项必要性" else [10, 10])
                                                 for d in DIMS})
    with pytest.raises(InputError, match="different points"):
        run(pd.concat([a, b], ignore_index=True))


def test_bad_options():
    with pytest.raises(InputError, match="variant"):
        run(sheet(["优优"] * 5), variant="programme")
    with pytest.raises(InputError, match="method"):
        run(sheet(["优优"] * 5), method="mode")


def test_errors_name_the_column_as_the_user_wrote_it():
    df = sheet(["优优"] * 5).rename(columns={"dimension": "评估维度", "rating": "评级"})
    df.loc[2, "评级"] = "好"
    with pytest.raises(InputError) as e:
        run(df)
    assert e.value.problem.column == "评级" and e.value.problem.row == 4


def test_blank_points_cells_count_as_blank():
    df = sheet(["优优"] * 5).assign(points="")
    assert run(df).subjects["total"].iloc[0] == pytest.approx(100)
