"""Property-based tests (hypothesis) of the scoring functions and the value parsers.

* :func:`perfkit.scoring.score_indicators` on generated indicator tables: every score lies in
  [0, weight], every fraction in [0, 1], not-applicable rows score nothing; anything it refuses
  it refuses with an :class:`~perfkit.errors.InputError`, never another exception.
* :func:`perfkit.scoring.score_self_evaluation` on generated valid workbooks
  (:meth:`perfkit.model.workbook.Workbook.from_frames`): totals in [0, 100], a grade from the
  profile's bands; invalid workbooks raise only InputError.
* :func:`perfkit.io.parse_number` / :func:`perfkit.io.parse_target` on arbitrary cells: never
  crash, and return only the documented outputs.

Example counts are bounded so that the file runs in a few seconds.
"""
from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from perfkit.errors import InputError
from perfkit.io import parse_number, parse_target
from perfkit.model.schema import LEVEL1, LEVEL2, RATINGS
from perfkit.model.workbook import Workbook
from perfkit.rules import load_profile
from perfkit.scoring import RULES, score_indicators, score_self_evaluation

# no shrinking: a pandas-level example takes milliseconds, so shrinking one can take minutes;
# a failure is reported as found (re-run with the printed seed to investigate)
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
FAST = settings(max_examples=50, deadline=None, phases=_PHASES, suppress_health_check=_HEALTH)
#: score_indicators takes ≈ 60 ms a call (pandas), a workbook ≈ 150 ms
SLOWER = settings(max_examples=35, deadline=None, phases=_PHASES, suppress_health_check=_HEALTH)
SLOWEST = settings(max_examples=15, deadline=None, phases=_PHASES, suppress_health_check=_HEALTH)
PROFILES = ("national", "provincial80")
EPS = 1e-9

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
maybe = st.one_of(st.just(np.nan), finite)


# ============================================================================================
# score_indicators
# ============================================================================================
@st.composite
def indicator_rows(draw, *, valid: bool):
    """One indicator row. ``valid``: the row satisfies what score_indicators requires."""
    kind = draw(st.sampled_from(["quant", "qual", "deadline", "na"]))
    # weights are printed points: 0, or at least a thousandth (denormal weights would make
    # awarded/weight meaningless)
    w = draw(st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=100)))
    row = {"weight": w, "not_applicable": False, "rating": None, "awarded": np.nan,
           "deviation_reason": draw(st.sampled_from([None, "原因"])), "unit": "%",
           "target_deadline": None}
    if kind == "quant":
        row.update(direction=draw(st.sampled_from(["≥", "≤", "=", None])), kind="定量",
                   target_value=draw(finite), actual_value=draw(finite))
        if draw(st.booleans()):
            row["awarded"] = draw(st.floats(min_value=0, max_value=w + 5, allow_nan=False))
    elif kind == "deadline":
        ym = 2022 * 12 + draw(st.integers(1, 12))
        row.update(direction="≤", kind="定量", target_value=float(ym),
                   actual_value=float(ym + draw(st.integers(-12, 24))),
                   target_deadline=f"2022-{(ym - 1) % 12 + 1:02d}")
    elif kind == "qual":
        rating = draw(st.sampled_from(RATINGS))
        row.update(direction="定性", kind="定性", target_value=np.nan, actual_value=np.nan,
                   rating=rating)
        if draw(st.booleans()):                           # an awarded score inside the band
            lo, hi = load_profile("national").get("scoring.qualitative_bands")[rating]
            top = hi if hi >= 1 else hi - 1e-6
            row["awarded"] = w * draw(st.floats(min_value=lo, max_value=top))
    else:
        row.update(direction=draw(st.sampled_from(["≥", "定性"])), kind=None,
                   target_value=draw(maybe), actual_value=np.nan, not_applicable=True)
    if not valid:                                         # break something, maybe
        how = draw(st.sampled_from(["none", "weight", "actual", "target", "rating", "awarded",
                                    "inf", "text"]))
        if how == "weight":
            row["weight"] = np.nan
        elif how == "actual" and kind == "quant":
            row["actual_value"] = np.nan
        elif how == "target" and kind == "quant":
            row["target_value"] = np.nan
        elif how == "rating" and kind == "qual":
            row["rating"] = draw(st.sampled_from([None, "优秀"]))
        elif how == "awarded":
            row["awarded"] = draw(st.floats(min_value=-10, max_value=200, allow_nan=False))
        elif how == "inf":
            row["actual_value"] = draw(st.sampled_from([np.inf, -np.inf]))
        elif how == "text":
            row["weight"] = draw(st.sampled_from(["十", "", None]))
    return row


def frame(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["_row"] = range(2, len(df) + 2)
    df["_sheet"] = "绩效指标"
    return df


@SLOWER
@given(rows=st.lists(indicator_rows(valid=True), min_size=1, max_size=12),
       profile=st.sampled_from(PROFILES))
def test_indicator_scores_lie_between_zero_and_the_weight(rows, profile):
    df = frame(rows)
    out = score_indicators(df, profile)
    assert len(out) == len(df) and out.index.equals(df.index)
    na = out["not_applicable"].astype(bool).to_numpy()
    s, w, f = out["score"].to_numpy(float), out["weight"].to_numpy(float), \
        out["fraction"].to_numpy(float)
    assert np.isnan(s[na]).all() and np.isnan(f[na]).all()
    assert np.isfinite(s[~na]).all(), out.loc[~na, ["rule", "score"]]
    assert (s[~na] >= -EPS).all() and (s[~na] <= w[~na] + EPS).all()
    assert ((f[~na] >= -EPS) & (f[~na] <= 1 + EPS)).all()
    assert set(out["rule"]) <= set(RULES)
    assert out["explanation"].map(lambda x: isinstance(x, str) and x != "").all()


@SLOWER
@given(rows=st.lists(indicator_rows(valid=False), min_size=1, max_size=8),
       profile=st.sampled_from(PROFILES))
def test_indicator_scoring_refuses_only_with_input_errors(rows, profile):
    df = frame(rows)
    try:
        out = score_indicators(df, profile)
    except InputError as e:
        for p in e.problems:                              # every problem is located
            assert p.row in set(df["_row"]) and p.sheet == "绩效指标" and p.column
        return
    na = out["not_applicable"].astype(bool).to_numpy()
    s, w = out["score"].to_numpy(float), pd.to_numeric(out["weight"], errors="coerce").to_numpy()
    ok = ~na & np.isfinite(s)
    assert (s[ok] >= -EPS).all() and (s[ok] <= w[ok] + EPS).all()


# ============================================================================================
# score_self_evaluation on generated workbooks
# ============================================================================================
@st.composite
def workbooks(draw, *, valid: bool = True):
    n = draw(st.integers(1, 3))
    projects, budget, inds = [], [], []
    for k in range(n):
        pid = f"P{k}"
        projects.append({"project_id": pid, "year": 2024, "name": f"项目{k}",
                         "department_id": "D1", "department": "区教委", "implementing_unit": "单位",
                         "budget_type": "一般公共预算", "sector": "教育",
                         "execution_note": draw(st.sampled_from([None, "说明"]))})
        adj = draw(st.floats(min_value=0.01, max_value=1e5, allow_nan=False))
        budget.append({"project_id": pid, "year": 2024, "source": "当年财政拨款",
                       "initial": adj, "adjusted": adj,
                       "executed": adj * draw(st.floats(min_value=0, max_value=1.5))})
        rows = []
        auto = draw(st.booleans())
        l1s = draw(st.lists(st.sampled_from(LEVEL1), min_size=1, max_size=3, unique=True))
        if auto:     # the profile's level-1 budget needs 产出 and 效益 (满意度 is redistributed)
            l1s = list(dict.fromkeys([*l1s, "产出指标", "效益指标"]))
        for l1 in l1s:
            for j in range(draw(st.integers(1, 3))):
                r = draw(indicator_rows(valid=True))
                r.update(project_id=pid, year=2024, level1=l1,
                         level2=draw(st.sampled_from(LEVEL2[l1])), level3=f"{l1}{j}")
                rows.append(r)
        if auto:                                # no weights at all: the profile assigns them
            for r in rows:
                r["weight"] = np.nan
                r["awarded"] = np.nan
        else:                                   # weights that add up to 90
            raw = [draw(st.floats(min_value=0.5, max_value=10)) for _ in rows]
            for r, x in zip(rows, raw):
                r["weight"] = 90 * x / sum(raw)
                r["awarded"] = np.nan if r["kind"] != "定性" else r["awarded"]
                if r["kind"] == "定性" and not math.isnan(r["awarded"]):
                    r["awarded"] = np.nan
        inds += rows
    if not valid:
        how = draw(st.sampled_from(["weights", "budget", "no_indicators", "partial_weights"]))
        if how == "weights":
            inds[0]["weight"] = (inds[0]["weight"] if not math.isnan(inds[0]["weight"]) else 5) + 7
            for r in inds[1:]:
                if r["project_id"] == inds[0]["project_id"] and math.isnan(r["weight"]):
                    r["weight"] = 1.0
        elif how == "budget":
            budget[0]["adjusted"] = 0.0
        elif how == "no_indicators":
            inds = [r for r in inds if r["project_id"] != "P0"]
        else:
            inds[0]["weight"] = np.nan
            if all(math.isnan(r["weight"]) for r in inds if r["project_id"] == "P0"):
                inds[0]["weight"] = 3.0
    ind = pd.DataFrame(inds) if inds else pd.DataFrame(
        columns=["project_id", "year", "level1", "level2", "level3", "weight"])
    if len(ind):
        ind["_row"] = range(2, len(ind) + 2)
    return Workbook.from_frames({"projects": pd.DataFrame(projects),
                                 "budget": pd.DataFrame(budget), "indicators": ind},
                                source="generated.xlsx")


@SLOWEST
@given(wb=workbooks(valid=True), profile=st.sampled_from(PROFILES))
def test_self_evaluation_totals_lie_between_0_and_100(wb, profile):
    res = score_self_evaluation(wb, profile)
    p = res.projects
    assert len(p) == len(wb["projects"])
    assert np.isfinite(p["total"]).all()
    assert ((p["total"] >= -EPS) & (p["total"] <= 100 + EPS)).all(), p[["project_id", "total"]]
    bands = load_profile(profile).get("grades.bands")
    assert set(p["grade"]) <= set(bands)
    assert ((p["execution_score"] >= -EPS) & (p["execution_score"] <= 10 + EPS)).all()
    one = res.project(p["project_id"].iloc[0]).to_dict()
    assert 0 - EPS <= one["total"] <= 100 + EPS


@SLOWEST
@given(wb=workbooks(valid=False), profile=st.sampled_from(PROFILES))
def test_invalid_workbooks_raise_only_input_errors(wb, profile):
    try:
        res = score_self_evaluation(wb, profile)
    except InputError as e:
        assert all(p.file == "generated.xlsx" for p in e.problems)
        return
    t = res.projects["total"]
    assert ((t >= -EPS) & (t <= 100 + EPS)).all()


# ============================================================================================
# parse_number / parse_target
# ============================================================================================
cells = st.one_of(
    st.none(), st.text(max_size=30),
    st.text(alphabet="0123456789,.%‰+-−eE 　≥≤=＞＜＝万元人次年月底前１２３４５６７８９０，．",
            max_size=20),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20),
    st.booleans(), st.dates().map(lambda d: d), st.datetimes(),
    st.decimals(allow_nan=True, allow_infinity=True),
)
DEADLINE = re.compile(r"^(?:[0-9]{4}|-)-[0-9]{2}$")


@FAST
@given(values=st.lists(cells, max_size=20))
def test_parse_number_returns_only_documented_outputs(values):
    s = pd.Series(values, dtype=object)
    value, ok = parse_number(s)
    assert value.index.equals(s.index) and ok.index.equals(s.index)
    assert value.dtype == float and ok.dtype == bool
    v = value.to_numpy()
    assert not np.isinf(v).any()                       # infinity is never a value
    for x, val, good in zip(values, v, ok):
        if not good:
            assert math.isnan(val)
        if isinstance(x, bool) or isinstance(x, (dt.date, dt.datetime)):
            assert not good


@FAST
@given(values=st.lists(cells, max_size=20),
       year=st.one_of(st.none(), st.integers(1900, 2200)))
def test_parse_target_returns_only_documented_outputs(values, year):
    s = pd.Series(values, dtype=object)
    out = parse_target(s, year=year)
    assert list(out.columns) == ["direction", "value", "unit", "qualitative", "deadline", "ok"]
    assert out.index.equals(s.index)
    assert set(out["direction"].dropna()) <= {"≥", "≤", "="}
    assert out["value"].dtype == float and not np.isinf(out["value"].to_numpy()).any()
    assert out["qualitative"].dtype == bool and out["ok"].dtype == bool
    assert out.loc[out["qualitative"], "value"].isna().all()
    dl = out["deadline"].dropna()
    assert dl.map(lambda x: bool(DEADLINE.match(x))).all(), dl
    assert (out.loc[dl.index, "direction"] == "≤").all()
    for u in out["unit"].dropna():
        assert isinstance(u, str) and u == u.strip() and u


@FAST
@given(x=st.floats(min_value=0, max_value=1e12, allow_nan=False).map(lambda v: round(v, 2)),
       fullwidth=st.booleans(), sep=st.booleans())
def test_numbers_as_people_type_them_read_back(x, fullwidth, sep):
    text = f"{x:,.2f}" if sep else f"{x:.2f}"
    if fullwidth:
        text = text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    value, ok = parse_number(pd.Series([text], dtype=object))
    assert ok[0] and value[0] == pytest.approx(x, rel=1e-12, abs=1e-9)
    t = parse_target(pd.Series([f"≥{text}%"], dtype=object))
    assert t["ok"][0] and t["direction"][0] == "≥" and t["unit"][0] == "%"
    assert t["value"][0] == pytest.approx(x, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e999"])
def test_nan_and_infinity_are_not_numbers(text):
    value, ok = parse_number(pd.Series([text], dtype=object))
    assert not ok[0] and math.isnan(value[0])
    assert not parse_target(pd.Series([text], dtype=object))["value"].map(np.isinf).any()
