"""Township fiscal-operation evaluation (design proposal): scores by hand, DEA, transfers."""
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from perfkit.cycle.township import (GAP_COLUMNS, INDICATOR_COLUMNS, INDICATORS, STATUS,
                                    TOWNSHIP_COLUMNS, TRANSFER_COLUMNS, TransferAllocation,
                                    allocate_transfers, evaluate_township)
from perfkit.errors import IdentityError, InputError, RuleError
from perfkit.model.workbook import Workbook
from perfkit.rules import load_profile

NATIONAL = load_profile("national")          # parsed once

# A township scored by hand with the default template:
#   税收占比 60/100 = 60% → 0.6/0.75 = 0.8 × 15 = 12
#   支出进度 90/100 = 90% → 0.9 × 12 = 10.8
#   结转结余率 15.75/90 = 17.5% → (30 − 17.5)/(30 − 5) = 0.5 × 8 = 4
#   民生支出占比 63/90 = 70% → full 15
#   债务率 150/100 = 150% → (200 − 150)/(200 − 100) = 0.5 × 12 = 6
#   偿债率 15/100 = 15% → (20 − 15)/(20 − 10) = 0.5 × 8 = 4
#   库款保障 50/100 = 0.5 month → below [1, 2]: 0.5/1 = 0.5 × 10 = 5
#   预决算公开 是 → 10; 开展绩效管理 否 → 0
# dimensions: 收入质量 12, 预算执行 14.8, 支出结构 15, 债务风险 10, 库款保障 5, 财政管理 10 → 66.8
HAND = {"year": 2024, "name": "手算镇", "population": 10000, "general_revenue": 100.0,
        "tax_revenue": 60.0, "expenditure_budget": 100.0, "expenditure": 90.0,
        "livelihood_expenditure": 63.0, "carryover_balance": 15.75, "debt_balance": 150.0,
        "debt_service": 15.0, "available_revenue": 100.0, "treasury_balance": 50.0,
        "monthly_outlay": 100.0, "transfer_received": 40.0, "disclosure": "是",
        "performance_mgmt": "否"}


def towns(*rows):
    return Workbook.from_frames({"townships": pd.DataFrame(
        [{**HAND, "township_id": f"T{i + 1}", **r} for i, r in enumerate(rows)])}, source="t.xlsx")


def evaluate(*rows, **kw):
    kw.setdefault("profile", NATIONAL)
    return evaluate_township(towns(*rows), **kw)


def test_profile_section_is_a_marked_design_proposal():
    t = NATIONAL.get("township_eval")
    assert t["status"] == STATUS == "design proposal"
    assert set(t["indicators"]) == set(INDICATORS)
    assert sum(v["weight"] for v in t["indicators"].values()) == t["total"] == 100
    for code in INDICATORS:
        assert NATIONAL.source(f"township_eval.indicators.{code}.weight") \
            .startswith("U: design proposal")
    assert NATIONAL.source("township_eval.transfers.rule").startswith("U: design proposal")


def test_dimension_scores_by_hand():
    ev = evaluate({}, benchmark=False)
    ind = ev.indicators.set_index("code")
    expected = {"tax_share": 12.0, "spending_progress": 10.8, "carryover_rate": 4.0,
                "livelihood_share": 15.0, "debt_ratio": 6.0, "debt_service_ratio": 4.0,
                "treasury_cover": 5.0, "disclosure": 10.0, "performance_mgmt": 0.0}
    for code, s in expected.items():
        assert ind.loc[code, "score"] == pytest.approx(s), code
    d = ev.dimensions.set_index("dimension")["score"]
    assert d.to_dict() == pytest.approx({"收入质量": 12.0, "预算执行": 14.8, "支出结构": 15.0,
                                         "债务风险": 10.0, "库款保障": 5.0, "财政管理": 10.0})
    assert list(d.index) == ["收入质量", "预算执行", "支出结构", "债务风险", "库款保障", "财政管理"]
    row = ev.to_frame().iloc[0]
    assert row["total"] == pytest.approx(66.8) and row["grade"] == "中"
    assert list(ev.to_frame().columns[:8]) == list(TOWNSHIP_COLUMNS)[:8]
    assert set(INDICATOR_COLUMNS) == set(ev.indicators.columns)
    assert "60.0%，低于满分线 75%" in ind.loc["tax_share", "explanation"]
    assert "按比例得 12 分" in ind.loc["tax_share", "explanation"]
    assert "高于满分线 100%（200% 及以上不得分）" in ind.loc["debt_ratio", "explanation"]
    assert "0.5 个月，低于目标区间 [1, 2] 个月下限" in ind.loc["treasury_cover", "explanation"]
    assert ind.loc["performance_mgmt", "explanation"] == "未开展绩效管理，不得分"


TREASURY = [  # (库款余额 of 月均支出 100, fraction): band [1, 2] months, 0 at 0 and at ≥ 4
    (0.0, 0.0), (50.0, 0.5), (100.0, 1.0), (150.0, 1.0), (200.0, 1.0), (300.0, 0.5),
    (400.0, 0.0), (900.0, 0.0)]
RAMPS = [  # (column, value, code, fraction) around the thresholds
    ("tax_revenue", 75.0, "tax_share", 1.0), ("tax_revenue", 90.0, "tax_share", 1.0),
    ("debt_balance", 100.0, "debt_ratio", 1.0), ("debt_balance", 200.0, "debt_ratio", 0.0),
    ("debt_balance", 0.0, "debt_ratio", 1.0), ("debt_service", 10.0, "debt_service_ratio", 1.0),
    ("debt_service", 25.0, "debt_service_ratio", 0.0),
    ("carryover_balance", 4.5, "carryover_rate", 1.0),       # 5% of 90 exactly
    ("carryover_balance", 27.0, "carryover_rate", 0.0),      # 30% of 90
]


def test_band_and_ramp_boundaries():
    ev = evaluate(*[{"treasury_balance": b} for b, _ in TREASURY], benchmark=False)
    r = ev.indicators[ev.indicators["code"] == "treasury_cover"]
    np.testing.assert_allclose(r["fraction"], [f for _, f in TREASURY], atol=1e-12)
    assert "库款可能沉淀（4 个月及以上不得分）" in r["explanation"].iloc[5]
    ev = evaluate(*[{c: v} for c, v, *_ in RAMPS], benchmark=False)
    ind = ev.indicators
    got = [ind[(ind["township_id"] == f"T{i + 1}") & (ind["code"] == code)]["fraction"].iloc[0]
           for i, (_, _, code, _) in enumerate(RAMPS)]
    np.testing.assert_allclose(got, [f for *_, f in RAMPS], atol=1e-12)
    # no deduction above the band when zero_above is null
    prof = NATIONAL.with_overrides({"township_eval.indicators.treasury_cover.zero_above": None})
    r = evaluate({"treasury_balance": 900.0}, profile=prof, benchmark=False).indicators
    assert r.set_index("code").loc["treasury_cover", "score"] == pytest.approx(10.0)


def test_not_applicable_and_division_by_zero_rescale():
    # 综合财力 blank → both debt indicators N/A: (66.8 − 10) / 80 × 100 = 71
    ev = evaluate({"available_revenue": np.nan}, {"general_revenue": 0.0, "tax_revenue": 0.0},
                  {"performance_mgmt": None}, benchmark=False)
    f = ev.to_frame().set_index("township_id")
    assert f.loc["T1", "total"] == pytest.approx(71.0) and f.loc["T1", "applicable_weight"] == 80
    assert f.loc["T1", "债务风险"] != f.loc["T1", "债务风险"]            # NaN: no applicable weight
    # 一般公共预算收入 0 → 税收占比 N/A: 54.8 / 85
    assert f.loc["T2", "total"] == pytest.approx(54.8 / 85 * 100)
    assert "division_by_zero" in f.loc["T2", "flag_codes"]
    # 开展绩效管理 blank → N/A: 66.8 / 90
    assert f.loc["T3", "total"] == pytest.approx(66.8 / 90 * 100)
    t = ev.township("T1")
    assert [x["code"] for x in t.to_dict()["not_applicable"]] == ["debt_ratio",
                                                                  "debt_service_ratio"]
    assert "缺少综合财力" in t.indicators.set_index("code").loc["debt_ratio", "explanation"]


def test_yes_no_cells_and_input_errors():
    ev = evaluate({"disclosure": True, "performance_mgmt": "Y"},
                  {"disclosure": "否", "performance_mgmt": 1}, benchmark=False)
    s = ev.indicators.pivot(index="township_id", columns="code", values="score")
    assert s.loc["T1", "disclosure"] == 10 and s.loc["T1", "performance_mgmt"] == 10
    assert s.loc["T2", "disclosure"] == 0 and s.loc["T2", "performance_mgmt"] == 10
    with pytest.raises(InputError, match="是 or 否") as e:
        evaluate({}, {"disclosure": "也许"})
    assert e.value.row == 3 and e.value.column == "预决算公开"
    with pytest.raises(InputError, match="negative") as e:
        evaluate({"debt_balance": -1.0})
    assert e.value.column == "债务余额"
    with pytest.raises(InputError, match="no such township"):
        evaluate({}, township_ids=["T9"])
    with pytest.raises(InputError, match="dea_inputs"):
        evaluate({}, {}, dea_inputs=["name"])
    with pytest.raises(InputError, match="no townships"):
        evaluate_township(Workbook.from_frames({}), NATIONAL)
    with pytest.raises(RuleError, match="full_at and zero_at"):
        evaluate({}, profile=NATIONAL.with_overrides(
            {"township_eval.indicators.tax_share.zero_at": 0.75}))


# --- benchmarking ----------------------------------------------------------------------------
# Planted DEA set (input 一般公共预算支出; outputs 常住人口 and 民生支出), CRS:
#   T1: 100 → (1000, 70)   ratios (10, 0.7)   efficient
#   T2: 100 → (500, 35)    half of T1         θ = 0.5, peer T1 or T3
#   T3: 200 → (2000, 140)  T1 at twice scale  efficient under CRS
#   T4: 50 → (400, 40)     ratios (8, 0.8)    efficient (best on 民生)
#   T5: population blank   left out of the DEA
PLANTED = [
    {"expenditure": 100.0, "population": 1000, "livelihood_expenditure": 70.0},
    {"expenditure": 100.0, "population": 500, "livelihood_expenditure": 35.0},
    {"expenditure": 200.0, "population": 2000, "livelihood_expenditure": 140.0},
    {"expenditure": 50.0, "population": 400, "livelihood_expenditure": 40.0},
    {"expenditure": 80.0, "population": None, "livelihood_expenditure": 50.0},
]


def test_dea_identifies_the_efficient_townships():
    ev = evaluate(*PLANTED)                               # profile default: CRS, input
    assert ev.benchmark_spec == {"inputs": ["expenditure"],
                                 "outputs": ["population", "livelihood_expenditure"],
                                 "rts": "crs", "orientation": "input"}
    e = ev.efficiency.set_index("township_id")
    assert ev.efficient == ["T1", "T3", "T4"]
    assert e.loc["T2", "efficiency"] == pytest.approx(0.5, abs=1e-9)
    assert not e.loc["T2", "dea_efficient"]
    assert set(e.loc["T2", "peers"].split("; ")) <= {"T1", "T3"}
    assert np.isnan(e.loc["T5", "efficiency"])
    f = ev.to_frame().set_index("township_id")
    assert "dea_excluded" in f.loc["T5", "flag_codes"] and f.loc["T2", "efficiency"] == \
        pytest.approx(0.5)
    assert ev.dea is not None and list(ev.dea.efficiency.index) == ["T1", "T2", "T3", "T4"]
    assert any("left out" in n for n in ev.notes)
    b = ev.township("T2").to_dict()["benchmark"]
    assert b["efficiency"] == pytest.approx(0.5) and b["dea_efficient"] is False
    assert b["targets"]["expenditure"] == pytest.approx(50.0)     # θx: 100 → 50
    # VRS keeps the CRS-efficient units efficient (its frontier envelops the CRS one's units)
    ev = evaluate(*PLANTED, rts="vrs")
    assert {"T1", "T3", "T4"} <= set(ev.efficient) and ev.benchmark_spec["rts"] == "vrs"
    # too few townships with data: no DEA, no crash
    ev = evaluate(PLANTED[0], PLANTED[4])
    assert ev.dea is None and ev.efficient == [] and any("not run" in n for n in ev.notes)


def test_gap_to_best_per_dimension():
    # T1 the hand case; T2 the same with 税收占比 75% (full) and 库款 1.5 months (full)
    ev = evaluate({}, {"tax_revenue": 75.0, "treasury_balance": 150.0}, benchmark=False)
    g = ev.gaps.set_index(["dimension", "township_id"])
    assert set(GAP_COLUMNS) == set(ev.gaps.columns)
    assert g.loc[("收入质量", "T1"), "gap"] == pytest.approx(0.2)           # (1 − 0.8)/1
    assert g.loc[("收入质量", "T2"), "gap"] == pytest.approx(0.0)
    assert g.loc[("收入质量", "T1"), "best_townships"] == "T2"
    assert g.loc[("库款保障", "T1"), "gap"] == pytest.approx(0.5)
    assert g.loc[("支出结构", "T1"), "best_townships"] == "T1;T2"
    # total: T1 66.8, T2 66.8 + 3 + 5 = 74.8 → gap (0.748 − 0.668)/0.748
    assert g.loc[("综合得分", "T1"), "gap"] == pytest.approx(0.08 / 0.748)


def test_township_result_to_dict_is_json_safe():
    ev = evaluate(*PLANTED)
    d = ev.township("T5").to_dict()
    json.dumps(d, ensure_ascii=False, allow_nan=False)
    assert d["status"] == "design proposal" and d["subject_type"] == "township"
    for key in ("basic_info", "indicator_system", "dimensions", "indicators", "benchmark", "gaps",
                "deductions", "flags", "total", "grade"):
        assert key in d
    assert d["benchmark"]["efficiency"] is None
    json.dumps(ev.to_dict(), ensure_ascii=False, allow_nan=False)
    assert "design proposal" in ev.summary()
    with pytest.raises(InputError):
        ev.township("nope")


def test_demo_data_runs():
    from perfkit.io import read_workbook
    from pathlib import Path
    import perfkit
    wb = read_workbook(Path(perfkit.__file__).parent / "datasets" / "data" / "small")
    ev = evaluate_township(wb, NATIONAL)
    assert ev.year == 2024 and ev.to_frame()["total"].notna().all()


# --- transfer payments -----------------------------------------------------------------------
def units_sum(alloc):
    return sum(Decimal(repr(float(a))) for a in alloc.to_frame()["amount"])


def test_proportional_to_score_by_hand():
    s = pd.Series({"A": 90.0, "B": 80.0, "C": 60.0, "D": np.nan})
    a = allocate_transfers(s, 1000, profile=NATIONAL)           # base 0.8 equal, floor 60
    t = a.to_frame().set_index("township_id")
    assert list(a.to_frame().columns) == list(TRANSFER_COLUMNS)
    # base 800 / 4 = 200 each; performance 200 ∝ (30, 20, 0, 0) → 120, 80
    assert t["amount"].to_dict() == {"A": 320.0, "B": 280.0, "C": 200.0, "D": 200.0}
    assert t.loc["A", "performance_part"] == pytest.approx(120.0)
    assert [f["code"] for f in a.flags] == ["no_score"]
    assert units_sum(a) == Decimal("1000")


def test_awkward_pool_sums_exactly():
    a = allocate_transfers(pd.Series({"A": 70.0, "B": 70.0, "C": 70.0}), 1000.005,
                           profile=NATIONAL)
    # 1000.005 rounds half up to 1000.01; 100001 units / 3 → 33334, 33334, 33333
    assert a.pool_allocated == 1000.01 and a.pool_units == 100001
    assert a.to_frame()["amount"].tolist() == [333.34, 333.34, 333.33]
    assert units_sum(a) == Decimal("1000.01")
    assert a.flags[0]["code"] == "pool_rounded" and "1000.005" in a.flags[0]["message"]


@pytest.mark.parametrize("pool", [123456.789, 0.07, 1e6 / 3, 0.0])
def test_many_townships_sum_to_the_pool(pool):
    rng = np.random.default_rng(7)
    n = 997
    df = pd.DataFrame({"township_id": [f"X{i:04d}" for i in range(n)],
                       "total": rng.uniform(40, 100, n),
                       "population": rng.integers(3000, 90000, n)})
    for kw in ({}, {"base": "population", "performance_key": "base"},
               {"rule": "grade_coefficients", "base_share": 0.3}):
        a = allocate_transfers(df, pool, profile=NATIONAL, **kw)
        t = a.to_frame()
        dq = Decimal(repr(pool)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        assert int(t["units"].sum()) == a.pool_units == int(dq * 100)
        assert units_sum(a) == dq
        assert (t["rounding"].abs() < 0.01).all() and (t["amount"] >= 0).all()
        np.testing.assert_allclose(t["quota"].sum(), float(dq), rtol=1e-12, atol=1e-9)


def test_grade_coefficients_by_hand():
    df = pd.DataFrame({"township_id": ["A", "B", "C", "D"], "grade": ["优", "良", "中", "差"]})
    a = allocate_transfers(df, 100, profile=NATIONAL, rule="grade_coefficients", base_share=0.5)
    t = a.to_frame().set_index("township_id")
    # base 50 / 4 = 12.5; performance 50 ∝ (1.5, 1, 0.5, 0) / 3 → 25, 16.667, 8.333, 0
    np.testing.assert_allclose(t["quota"], [37.5, 29.1666667, 20.8333333, 12.5])
    # largest remainder: 3750 + 2916 + 2083 + 1250 = 9999 units, the last unit goes to B (.667)
    assert t["amount"].tolist() == [37.5, 29.17, 20.83, 12.5]
    assert units_sum(a) == Decimal("100")
    a = allocate_transfers(df, 100, profile=NATIONAL, rule="grade_coefficients",
                           grade_coefficients={"优": 2, "良": 1, "中": 1, "差": 0},
                           performance_share=1.0)
    assert a.to_frame()["amount"].tolist() == [50.0, 25.0, 25.0, 0.0]
    with pytest.raises(InputError, match="no coefficient"):
        allocate_transfers(df, 100, profile=NATIONAL, rule="grade_coefficients",
                           grade_coefficients={"优": 1})


def test_population_base_no_eligible_and_errors():
    df = pd.DataFrame({"township_id": ["A", "B"], "total": [50.0, 55.0],
                       "population": [1000, 3000]})
    a = allocate_transfers(df, 100, profile=NATIONAL, base="population")
    # nobody above the floor 60: the performance part joins the base part (by population)
    assert a.to_frame()["amount"].tolist() == [25.0, 75.0]
    assert a.flags[0]["code"] == "no_eligible"
    f = allocate_transfers(df, 100, profile=NATIONAL, base=pd.Series({"A": 1.0, "B": 4.0}),
                           base_share=1.0)
    assert f.to_frame()["amount"].tolist() == [20.0, 80.0] and f.base == "factors"
    # the evaluation itself is accepted (population and grade travel with it)
    ev = evaluate({}, {"tax_revenue": 75.0}, benchmark=False)
    e = allocate_transfers(ev, 10, profile=NATIONAL, base="population")
    assert e.to_frame()["amount"].sum() == pytest.approx(10.0)
    for kw, match in (({"base_share": 0.5, "performance_share": 0.6}, "must be 1"),
                      ({"rule": "lottery"}, "rule"), ({"base_share": 1.5}, r"\[0, 1\]"),
                      ({"base": "area"}, "base")):
        with pytest.raises(InputError, match=match):
            allocate_transfers(df, 100, profile=NATIONAL, **kw)
    with pytest.raises(InputError, match="negative"):
        allocate_transfers(df, -1, profile=NATIONAL)
    with pytest.raises(InputError, match="unique"):
        allocate_transfers(pd.DataFrame({"township_id": ["A", "A"], "total": [1, 2]}), 1,
                           profile=NATIONAL)


def test_allocation_checks_its_identity():
    a = allocate_transfers(pd.Series({"A": 90.0, "B": 70.0}), 10, profile=NATIONAL)
    bad = a.to_frame()
    bad.loc[0, "units"] += 1
    with pytest.raises(IdentityError, match="add up"):
        TransferAllocation(table=bad, pool=10.0, pool_allocated=10.0, pool_units=1000,
                           decimals=2, rule=a.rule, base_share=a.base_share,
                           performance_share=a.performance_share, base=a.base,
                           performance_key=a.performance_key, floor=a.floor,
                           grade_coefficients=None, flags=[])
    json.dumps(a.to_dict(), ensure_ascii=False, allow_nan=False)
    assert "pool: 10.00 万元" in a.summary()
