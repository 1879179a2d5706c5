"""The demo district (示范区): determinism, shape, realism patterns, writing and the bundled data."""
from __future__ import annotations

import re
import time
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from perfkit.datasets import load_demo, load_small, small_path
from perfkit.datasets import make_small
from perfkit.datasets.demo import SNAPSHOT_MONTHS, generate, planted, write
from perfkit.errors import InputError
from perfkit.model.schema import BUDGET_TYPES, LEVEL2, TABLES
from perfkit.model.workbook import Workbook

PY = ["project_id", "year"]


@pytest.fixture(scope="module")
def demo():
    t0 = time.perf_counter()
    frames = generate()
    elapsed = time.perf_counter() - t0
    return frames, elapsed


@pytest.fixture(scope="module")
def frames(demo):
    return demo[0]


@pytest.fixture(scope="module")
def small():
    return make_small.small_frames()


# ------------------------------------------------------------------ parsing helpers (test-only)
def _num(v):
    """(value, direction, is_deadline) of a target/actual cell as the demo prints them."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return np.nan, None, False
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v), None, False
    m = re.match(r"^(\d{4})年(\d{1,2})月", v)
    if m:
        return int(m[1]) * 12 + int(m[2]), "≤", True
    m = re.match(r"^(≥|≤|=)?(\d+(?:\.\d+)?)", v)
    if m:
        return float(m[2]), m[1], False
    return np.nan, None, False


def rule_scores(ind: pd.DataFrame) -> pd.DataFrame:
    """Rule score of every quantitative row by domain.md §4.2 (positive a/t capped, reverse t/a,
    equal-zero, deadline −20 %/month), computed independently of the generator."""
    t = ind["target"].map(_num)
    a = ind["actual"].map(_num)
    tv, av = t.map(lambda x: x[0]).astype(float), a.map(lambda x: x[0]).astype(float)
    dl = t.map(lambda x: x[2]).astype(bool)
    d = ind["direction"].astype(object).where(ind["direction"].notna(), t.map(lambda x: x[1]))
    w = ind["weight"]
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.select(
            [dl, d == "≥", d == "≤", d == "="],
            [w * np.clip(1 - 0.2 * np.maximum(av - tv, 0), 0, 1),
             np.where(av >= tv, w, w * np.clip(av / tv, 0, 1)),
             np.where(av <= tv, w, w * tv / av),
             np.where(av <= 0, w, 0.0)], np.nan)
    qual = (ind["kind"] == "定性") | (ind["direction"] == "定性") | ind["rating"].notna()
    quant = ~qual & ~ind["not_applicable"]
    return pd.DataFrame({"score": score, "quant": quant, "qual": qual & ~ind["not_applicable"],
                         "t": tv, "a": av, "dir": d})


# ------------------------------------------------------------------ determinism, speed, schema
def test_same_seed_identical_frames(frames):
    again = generate()
    for name in TABLES:
        pd.testing.assert_frame_equal(frames[name], again[name], check_exact=True)


def test_different_seed_differs():
    kw = dict(n_projects=40, n_departments=8, n_townships=4)
    a, b = generate(seed=2024, **kw), generate(seed=7, **kw)
    assert not a["indicators"].equals(b["indicators"])
    assert not a["budget"]["executed"].equals(b["budget"]["executed"])
    assert set(a["projects"]["name"]) != set(b["projects"]["name"])


def test_generation_under_three_seconds(demo):
    assert demo[1] < 3.0


def test_every_table_follows_the_schema(frames):
    assert list(frames) == list(TABLES)
    for name, t in TABLES.items():
        df = frames[name]
        assert list(df.columns) == list(t.names), name
        assert not df.duplicated(list(t.key)).any(), name
        assert len(df) > 0, name
        for c in t.columns:
            if c.required:
                assert df[c.name].notna().all(), (name, c.name)
            if c.choices and c.dtype == "enum":
                assert df[c.name].dropna().isin(c.choices).all(), (name, c.name)
            if c.min is not None and c.dtype in ("int", "float"):
                assert (df[c.name].dropna() >= c.min).all(), (name, c.name)
    ind = frames["indicators"]
    for l1, l2s in LEVEL2.items():
        assert ind.loc[ind.level1 == l1, "level2"].isin(l2s).all()


# ------------------------------------------------------------------ shape of the district
def test_district_shape(frames):
    p = frames["projects"]
    assert p.groupby("year").size().to_dict() == {2022: 300, 2023: 300, 2024: 300}
    assert frames["departments"]["department_id"].nunique() >= 30
    assert p["department_id"].nunique() >= 30
    assert p["sector"].nunique() >= 8
    assert set(p["budget_type"]) == set(BUDGET_TYPES)
    share = p["budget_type"].value_counts(normalize=True)
    assert share["一般公共预算"] > 0.8 and 0.03 < share["政府性基金预算"] < 0.2
    assert share["国有资本经营预算"] < 0.03 and share["社会保险基金预算"] < 0.03
    t = frames["townships"]
    assert t["township_id"].nunique() == 20 and len(t) == 60
    assert {n[-2:] if n.endswith("街道") else n[-1] for n in t["name"]} == {"街道", "镇", "乡"}
    modes = p["funding_modes"].dropna()
    assert 0.1 < len(modes) / len(p) < 0.9
    for m in ("PPP", "政府采购", "政府购买服务", "政府债务", "政府投资基金"):
        assert modes.str.contains(m).any(), m
    assert p.loc[p.department == "区教委", "name"].str.contains("学生营养改善计划").any()
    assert p["name"].str.contains("农村饮水安全巩固提升工程").any()


def test_projects_continue_start_and_end(frames):
    p = frames["projects"]
    ids = {y: set(g) for y, g in p.groupby("year")["project_id"]}
    assert len(ids[2022] & ids[2023] & ids[2024]) > 150                # continuing
    assert 20 < len(ids[2023] - ids[2022]) < 150                       # new
    assert 20 < len(ids[2022] - ids[2023]) < 150                       # ended
    assert p["project_id"].str.fullmatch(r"XM\d{5}").all()
    # a project keeps its name, department and budget type across years
    stable = p.groupby("project_id")[["name", "department_id", "budget_type"]].nunique()
    assert (stable == 1).all().all()
    # names are unique within a year; start ≤ year ≤ end
    assert not p.duplicated(["year", "name"]).any()
    assert (p["start_year"] <= p["year"]).all()
    assert (p["end_year"].isna() | (p["end_year"] >= p["year"])).all()
    ended = p[p.project_id.isin(ids[2022] - ids[2023]) & (p.year == 2022)]
    assert (ended["end_year"] == 2022).all()
    new = p[p.project_id.isin(ids[2024] - ids[2023])]
    assert (new["start_year"] == 2024).all()
    # per-township projects point at a township
    tw = p[p["township_id"].notna()]
    assert len(tw) > 30 and tw["township_id"].isin(frames["townships"]["township_id"]).all()


# ------------------------------------------------------------------ budget and execution
def test_budget_rows_and_execution_pattern(frames):
    b, p = frames["budget"], frames["projects"]
    assert (b["executed"] <= b["adjusted"] + 1e-9).all()
    src = b.groupby(PY)["source"].apply(set)
    assert src.map(lambda s: "当年财政拨款" in s).all() and len(src) == len(p)
    counts = b["source"].value_counts()
    assert counts["当年财政拨款"] > counts["上年结转资金"] > counts["其他资金"] > 10
    tot = b.groupby(PY)[["adjusted", "executed"]].sum()
    rate = tot["executed"] / tot["adjusted"]
    assert (rate >= 0.9).mean() > 0.6                                  # most 90–100 %
    assert ((rate >= 0.5) & (rate <= 0.85)).mean() > 0.08              # a tail
    assert (rate < 0.1).sum() >= 5                                     # a few hardly started
    # amounts printed with two decimals (万元)
    for c in ("initial", "adjusted", "executed"):
        assert np.allclose(b[c], b[c].round(2), atol=1e-9)
    # written explanation for some low rates, never for rates ≥ 90 %
    pr = p.set_index(PY)["execution_note"]
    low = rate[rate < 0.9].index
    assert pr.loc[low].notna().sum() > 10 and pr.loc[low].isna().sum() > 10
    assert pr.loc[rate[rate >= 0.9].index].isna().all()


def test_monthly_cumulative_back_loaded_and_ends_at_executed(frames):
    m, b = frames["monthly"], frames["budget"]
    assert (m.groupby(PY).size() == 12).all()
    wide = m.pivot_table(index=PY, columns="month", values="cumulative_executed")
    assert (np.diff(wide.to_numpy(), axis=1) >= 0).all()               # monotone
    executed = b.groupby(PY)["executed"].sum()
    np.testing.assert_allclose(wide[12].to_numpy(), executed.loc[wide.index].to_numpy(),
                               rtol=0, atol=1e-6)
    inc = np.diff(np.c_[np.zeros(len(wide)), wide.to_numpy()], axis=1).sum(axis=0)
    share = inc / inc.sum()
    assert share[11] == share.max() and share[11] > 0.15               # December rush
    assert share[:6].sum() < 0.5                                       # back-loaded


# ------------------------------------------------------------------ indicators
def test_indicator_tree_and_weights(frames):
    ind = frames["indicators"]
    n = ind.groupby(PY).size()
    assert n.between(8, 14).all()
    np.testing.assert_allclose(ind.groupby(PY)["weight"].sum(), 90.0, atol=1e-9)
    l1 = ind.pivot_table(index=PY, columns="level1", values="weight", aggfunc="sum")
    has_sat = l1["满意度指标"].notna()
    assert 0.05 < (~has_sat).mean() < 0.16                             # ~10 % without
    np.testing.assert_allclose(l1.loc[has_sat, ["产出指标", "效益指标", "满意度指标"]],
                               [[50, 30, 10]] * int(has_sat.sum()), atol=1e-9)
    np.testing.assert_allclose(l1.loc[~has_sat, ["产出指标", "效益指标"]],
                               [[55, 35]] * int((~has_sat).sum()), atol=1e-9)
    assert set(ind["level2"]) == {x for v in LEVEL2.values() for x in v}
    # weights split "equally-ish" with integer variation
    assert (ind["weight"] % 1 == 0).mean() > 0.8
    assert ind.groupby(PY + ["level1"])["weight"].nunique().gt(1).mean() > 0.3


def test_targets_printed_both_ways(frames):
    ind = frames["indicators"]
    txt = ind["target"][ind["target"].map(lambda v: isinstance(v, str))]
    num = ind["target"][ind["target"].map(lambda v: isinstance(v, (int, float)))]
    assert len(txt) > 1000 and len(num) > 1000
    assert txt.str.fullmatch(r"≥\d+(\.\d+)?%").any()
    assert txt.str.fullmatch(r"≤\d+(\.\d+)?万元").any()
    assert (txt == "按时完成").any()
    assert txt.str.fullmatch(r"20(22|23|24)年12月底前").any()
    # a plain number always comes with its direction
    assert ind.loc[num.index, "direction"].notna().all()
    # qualitative rows carry a rating unless not applicable
    q = ind[(ind.kind == "定性") | (ind.direction == "定性")]
    assert q.loc[~q.not_applicable, "rating"].notna().all()
    assert set(ind["rating"].dropna()) == {"达成", "部分达成", "未达成"}


def test_qualitative_awarded_within_band(frames):
    ind = frames["indicators"]
    q = ind[ind["rating"].notna() & ind["awarded"].notna()]
    assert len(q) > 500
    f = q["awarded"] / q["weight"]
    lo = q["rating"].map({"达成": 0.8, "部分达成": 0.6, "未达成": 0.0})
    hi = q["rating"].map({"达成": 1.0, "部分达成": 0.8, "未达成": 0.6})
    top = q["rating"] == "达成"
    assert ((f >= lo - 1e-9) & ((f < hi - 1e-9) | (top & (f <= 1 + 1e-9)))).all()


def test_awarded_equals_rule_score_except_inflated(frames):
    ind = frames["indicators"]
    r = rule_scores(ind)
    assert r.loc[r.quant, "score"].notna().all()                       # every target parses
    aw = ind["awarded"]
    diff = (aw - r["score"])[r.quant & aw.notna()]
    ok = diff.abs() <= 0.005
    assert ok.mean() > 0.97
    assert (diff[~ok] > 0).all()                                       # only ever inflated
    inflated = diff[~ok].index
    assert (aw[inflated] == ind.loc[inflated, "weight"]).all()         # full marks claimed
    share = ind.loc[inflated].groupby(PY).ngroups / ind.groupby(PY).ngroups
    assert 0.02 < share < 0.09                                         # ~5 % of project-years
    assert ind.loc[inflated, "deviation_reason"].isna().all()


def test_missed_overshoot_na_and_reasons(frames):
    ind = frames["indicators"]
    r = rule_scores(ind)
    missed = r.quant & (r.score < ind.weight - 1e-9)
    assert missed.sum() > 500
    has_reason = ind.loc[missed, "deviation_reason"].notna().mean()
    assert 0.6 < has_reason < 0.95
    over = r.quant & (r.dir == "≥") & (r.t > 0) & ((r.a - r.t) / r.t > 0.2)
    assert over.sum() > 30
    rev = r.quant & (r.dir == "≤")
    assert rev.sum() > 300 and (rev & (r.a > r.t)).sum() > 20          # reverse, some missed
    eq = r.quant & (r.dir == "=")
    assert eq.sum() > 100 and (eq & (r.a > 0)).sum() > 5
    na = ind[ind["not_applicable"]]
    assert len(na) > 20 and na["actual"].isna().all() and na["awarded"].isna().all()
    assert ind["awarded"].notna().mean() > 0.9


# ------------------------------------------------------------------ survey
def test_survey_matches_satisfaction_indicator(frames):
    s, ind = frames["survey"], frames["indicators"]
    n = s.groupby(PY).size()
    assert n.between(20, 200).all()
    sat = ind[ind.level1 == "满意度指标"]
    with_sat = set(map(tuple, sat[PY].drop_duplicates().to_numpy()))
    assert set(n.index) == with_sat
    labels = {"非常满意", "满意", "一般", "不满意", "非常不满意"}
    kinds = s["response"].map(lambda v: "label" if v in labels else v)
    assert set(kinds) == {1, 2, 3, 4, 5, "label"}
    score = s["response"].map(lambda v: {"非常满意": 5, "满意": 4, "一般": 3, "不满意": 2,
                                         "非常不满意": 1}.get(v, v)).astype(int)
    rate = (score >= 4).groupby([s.project_id, s.year]).mean() * 100
    first = sat.groupby(PY).head(1).set_index(PY)["actual"].astype(float)
    np.testing.assert_allclose(first.loc[rate.index], rate.round(1), atol=1e-9)
    assert s["respondent_id"].str.fullmatch(r"\d{4}").all()


# ------------------------------------------------------------------ departments, townships
def test_department_figures_are_consistent(frames):
    d, b, p = frames["departments"], frames["budget"], frames["projects"]
    avail = d.carryover_prior + d.initial_budget + d.supplementary_budget
    np.testing.assert_allclose(d.expenditure, avail - d.year_end_balance, atol=0.03)
    assert (d.year_end_balance >= 0).all() and (d.key_project_expenditure <= d.project_expenditure + 1e-6).all()
    prev = d.sort_values(["department_id", "year"]).groupby("department_id")["year_end_balance"].shift()
    nxt = d.sort_values(["department_id", "year"])["carryover_prior"]
    np.testing.assert_allclose(nxt[prev.notna()], prev.dropna(), atol=1e-9)
    pe = b.merge(p[PY + ["department_id"]], on=PY).groupby(["department_id", "year"])["executed"].sum()
    got = d.set_index(["department_id", "year"])["project_expenditure"]
    np.testing.assert_allclose(got.loc[pe.index], pe, atol=0.01)
    assert (d.staff_actual > d.staff_authorized).any() and (d.staff_actual <= d.staff_authorized).mean() > 0.7
    assert d["department_id"].str.fullmatch(r"\d{3}").all() and (d["department_id"] == "001").any()


def test_township_figures(frames):
    t = frames["townships"]
    assert (t.tax_revenue <= t.general_revenue).all()
    assert (t.expenditure <= t.expenditure_budget).all()
    assert (t.livelihood_expenditure <= t.expenditure).all()
    jd = t[t.name.str.endswith("街道")]
    xiang = t[t.name.str.endswith("乡")]
    assert jd.general_revenue.median() > xiang.general_revenue.median()
    assert t.disclosure.dtype == bool and t.performance_mgmt.any()


# ------------------------------------------------------------------ monitoring snapshots
IND_KEY = ["project_id", "year", "level1", "level2", "level3"]


def test_snapshots_follow_payments_and_actuals(frames):
    s, ind = frames["indicator_progress"], frames["indicators"]
    assert set(s["month"]) == set(SNAPSHOT_MONTHS) == {6, 9}
    assert set(s["year"]) == {2022, 2023, 2024}
    # every snapshot names an indicator; no satisfaction (surveyed at year end) or 不适用 rows
    m = s.merge(ind, on=IND_KEY, how="left", validate="many_to_one", indicator=True)
    assert (m["_merge"] == "both").all()
    assert (m["level1"] != "满意度指标").all() and not m["not_applicable"].any()
    covered = ind[(ind.level1 != "满意度指标") & ~ind.not_applicable]
    assert len(s) == 2 * len(covered)
    # numbers to date: September ≥ June; a count never exceeds the year-end actual
    num = lambda c: pd.to_numeric(m[c], errors="coerce")  # noqa: E731
    m = m.assign(p=num("progress"), a=num("actual"))
    rate = m["unit"].isin(["%", "‰"]) | m["unit"].fillna("").str.contains("/")
    w = m[~rate].pivot_table(index=IND_KEY, columns="month", values="p").dropna()
    assert len(w) > 2500 and (w[9] >= w[6] - 1e-9).all()         # rates may move either way
    cnt = m[(m["unit"].isin(["人", "个", "人次", "户", "台（套）"])) & m["a"].notna() & m["p"].notna()]
    assert len(cnt) > 1000 and (cnt["p"] <= cnt["a"] + 1e-9).all()
    # the project's total cost to date is its cumulative payments
    cost = m[m["level3"] == "项目总成本"].merge(frames["monthly"], on=["project_id", "year", "month"])
    assert len(cost) > 100
    paid = pd.to_numeric(cost["progress"].astype(str).str.removesuffix("万元"))
    np.testing.assert_allclose(paid, cost["cumulative_executed"], atol=0.005)
    # judgements and reasons: mostly certain, less so in September; reasons from the categories
    assert s["likelihood"].isin(["确定能", "有可能", "不可能"]).all()
    risky = s.groupby("month")["likelihood"].apply(lambda x: (x != "确定能").mean())
    assert 0.01 < risky[6] < risky[9] < 0.15
    r = s["deviation_reason"].dropna()
    assert set(r) == {"经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"}
    assert 0.02 < len(r) / len(s) < 0.2
    assert s.loc[r.index, "deviation_analysis"].notna().all()
    assert s.loc[r.index, "measures"].notna().all()


def test_planted_sedimented_funds_and_overlaps_are_found(frames):
    from perfkit.cycle.application import detect_overlap, idle_funds

    wb = Workbook.from_frames(frames)
    plan = planted()
    idle = idle_funds(wb)
    assert idle.idle_ids == plan["idle_funds"] == ["XM00050", "XM00092", "XM00213"]
    h = idle.history[idle.history.project_id.isin(idle.idle_ids)]
    assert (h["execution_rate"] < 0.6).all()
    # the carry-over grows over all three years, not only the rule's two
    b = frames["budget"]
    carry = b[(b.source == "上年结转资金") & b.project_id.isin(idle.idle_ids)].pivot(
        index="project_id", columns="year", values="adjusted")
    assert (carry[2023] > carry[2022]).all() and (carry[2024] > carry[2023]).all()
    ov = detect_overlap(wb).to_frame()
    pairs = {tuple(sorted(x)): s for x, s in zip(zip(ov.project_id_a, ov.project_id_b),
                                                 ov.similarity)}
    assert set(pairs) == {("XM00393", "XM00401"), ("XM00122", "XM00364")}
    assert pairs["XM00393", "XM00401"] > 0.9                       # near-identical
    assert 0.7 <= pairs["XM00122", "XM00364"] < 0.85               # similar, above 0.70
    assert [tuple(sorted(o["project_ids"])) for o in plan["overlap"]] == [
        ("XM00393", "XM00401"), ("XM00122", "XM00364")]
    assert (ov.department_a != ov.department_b).all()
    # small districts have nothing planted
    assert planted(n_projects=12, n_departments=4, years=(2023, 2024)) == {
        "idle_funds": [], "overlap": []}


def test_monitoring_on_the_demo_uses_the_snapshots():
    from perfkit.cycle.monitoring import monitor

    # a third of the demo district, read back through the reader like a user's workbook
    wb = load_demo(seed=2024, n_projects=100, n_departments=12, n_townships=4)
    r = monitor(wb, "sichuan2025", month=6)
    assert r.progress_source == "indicator_progress" and r.progress_months == (6, 9)
    f = r.to_frame()
    assert (f["n_no_progress"] == 0).all() and (f["progress_month"] == 6).all()
    assert (f["n_quantitative"] > 0).all()
    assert 0.05 < f["gap_flag"].mean() < 0.35                     # most projects on track
    assert 0.3 < (f["target_likelihood"] == "确定能").mean() < 0.9
    # the same district without the snapshots: year-end actuals as progress flag nearly all
    tables = {k: (v.iloc[:0] if k == "indicator_progress" else v) for k, v in wb.tables.items()}
    f2 = monitor(Workbook(tables, wb.source, wb.meta), "sichuan2025", month=6).to_frame()
    assert f2["gap_flag"].mean() > 0.8
    assert monitor(load_small(), month=6).progress_source == "indicator_progress"


# ------------------------------------------------------------------ arguments
@pytest.mark.parametrize("kw,arg", [
    ({"n_departments": 0}, "n_departments"), ({"n_departments": 35}, "n_departments"),
    ({"n_projects": 0}, "n_projects"), ({"n_townships": 25}, "n_townships"),
    ({"years": (2024, 2024)}, "years"), ({"years": ()}, "years"), ({"years": "x"}, "years"),
    ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"departments": ["区不存在局"]}, "departments"),
])
def test_bad_arguments(kw, arg):
    with pytest.raises(InputError) as e:
        generate(**kw)
    assert e.value.problem.argument == arg


def test_tiny_and_selected_departments():
    f = generate(n_projects=1, n_departments=1, n_townships=1, years=(2024,))
    assert len(f["projects"]) == 1 and len(f["monthly"]) == 12
    g = generate(departments=["区国资委", "区人力社保局"], n_projects=6, years=(2024,))
    assert set(g["projects"]["department"]) <= {"区国资委", "区人力社保局"}
    assert set(g["departments"]["department_id"]) == {"024", "006"}    # codes fixed by department


# ------------------------------------------------------------------ writing
def test_csv_round_trip_headers_and_values(small, tmp_path):
    for lang in ("zh", "en"):
        out = write(small, tmp_path / lang, format="csv", lang=lang)
        for name, t in TABLES.items():
            raw = (out / f"{name}.csv").read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf")                     # UTF-8 BOM for Excel
            back = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str,
                               keep_default_na=False)
            expected = [c.zh if lang == "zh" else c.name for c in t.columns]
            assert list(back.columns) == expected
            assert len(back) == len(small[name])
        proj = pd.read_csv(out / "projects.csv", encoding="utf-8-sig", dtype=str)
        assert proj.iloc[:, 0].tolist() == small["projects"]["project_id"].tolist()
    zh = pd.read_csv(tmp_path / "zh" / "indicators.csv", encoding="utf-8-sig", dtype=str)
    assert set(zh["不适用"]) <= {"是", "否"}
    dep = pd.read_csv(tmp_path / "zh" / "departments.csv", encoding="utf-8-sig", dtype=str)
    assert dep["部门编码"].str.fullmatch(r"\d{3}").all()                  # leading zeros kept


def test_xlsx_round_trip_headers_values_and_bytes(small, tmp_path):
    path = write(small, tmp_path / "zh.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == [t.zh for t in TABLES.values()]
    for name, t in TABLES.items():
        rows = list(wb[t.zh].iter_rows(values_only=True))
        assert list(rows[0]) == [c.zh for c in t.columns]
        assert len(rows) == len(small[name]) + 1
        if name == "indicators":
            assert [r[8] for r in rows[1:]] == small["indicators"]["target"].tolist()
            assert [r[13] for r in rows[1:]] == small["indicators"]["not_applicable"].tolist()
        if name == "departments":
            assert [r[0] for r in rows[1:]] == small["departments"]["department_id"].tolist()
        if name == "budget":
            np.testing.assert_array_equal([r[5] for r in rows[1:]], small["budget"]["executed"])
    wb.close()
    en = openpyxl.load_workbook(write(small, tmp_path / "en.xlsx", lang="en"), read_only=True)
    assert en.sheetnames == list(TABLES)
    for name, t in TABLES.items():
        assert list(next(en[name].iter_rows(max_row=1, values_only=True))) == list(t.names)
    en.close()
    # styled header (bold, frozen) written by openpyxl
    ws = openpyxl.load_workbook(tmp_path / "zh.xlsx")["项目"]
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    # same frames → byte-identical file (fixed timestamps)
    write(small, tmp_path / "again.xlsx")
    assert (tmp_path / "again.xlsx").read_bytes() == (tmp_path / "zh.xlsx").read_bytes()


def test_xlsx_keeps_formula_like_text_as_text(tmp_path):
    f = {"indicators": pd.DataFrame({
        "project_id": ["P1"], "year": [2024], "level1": ["产出指标"], "level2": ["质量指标"],
        "level3": ["安全事故"], "target": ["=0次"], "deviation_reason": ["-资金<到位>&晚\x01"]})}
    path = write(f, tmp_path / "f.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet4.xml").decode()
    assert "<f>" not in xml
    ws = openpyxl.load_workbook(path)["绩效指标"]
    assert ws["I2"].value == "=0次" and ws["I2"].data_type == "s"
    assert ws["O2"].value == "-资金<到位>&晚"
    assert ws["N2"].value is None                                      # missing column: blank


def test_write_bad_arguments(small, tmp_path):
    with pytest.raises(InputError):
        write(small, tmp_path / "x", format="json")
    with pytest.raises(InputError):
        write(small, tmp_path / "x.xlsx", lang="fr")


# ------------------------------------------------------------------ bundled small data, loaders
def test_bundled_small_data_is_current(small, tmp_path):
    out = write(small, tmp_path / "small", format="csv", lang="zh")
    bundled = small_path()
    assert sorted(p.name for p in bundled.glob("*.csv")) == sorted(f"{n}.csv" for n in TABLES)
    for name in TABLES:
        assert (out / f"{name}.csv").read_bytes() == (bundled / f"{name}.csv").read_bytes(), \
            f"{name}.csv is stale: run python -m perfkit.datasets.make_small"
    size = sum(p.stat().st_size for p in bundled.glob("*.csv"))
    assert size < 400_000
    p, ind, b = small["projects"], small["indicators"], small["budget"]
    assert set(p["budget_type"]) == set(BUDGET_TYPES)
    assert p.groupby("year").size().to_dict() == {2023: 12, 2024: 12}
    assert p["department"].nunique() == 4 and p["township_id"].notna().any()
    r = rule_scores(ind)
    assert (r.quant & (ind["awarded"] - r.score > 0.01)).any()                  # inflated
    assert ind["not_applicable"].any()
    assert ind.groupby(PY)["level1"].apply(lambda s: "满意度指标" not in set(s)).any()
    tot = b.groupby(PY)[["adjusted", "executed"]].sum()
    assert (tot.executed / tot.adjusted < 0.85).any()


def test_load_small_and_load_demo_read_back():
    wb = load_small()
    assert len(wb.projects) == 24 and wb.years == [2023, 2024]
    assert wb.projects["project_id"].str.fullmatch(r"XM\d{5}").all()
    assert wb.departments["department_id"].tolist()[0] == "001"
    demo = load_demo(seed=3, n_projects=8, n_departments=4, n_townships=2, years=(2023, 2024))
    assert demo.source == "demo:seed=3" and demo.meta["demo"]["n_projects"] == 8
    assert len(demo.projects) == 16 and "target_value" in demo.indicators
    ind = demo.indicators
    quant = ind["target_value"].notna()
    assert quant.mean() > 0.7
