"""Cell values as typed on the forms: numbers, targets, flags, choices, indicator reconciliation."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from perfkit.io.values import (enum_variants, parse_bool, parse_choice, parse_list, parse_number,
                               parse_target, resolve_indicators, to_text)
from perfkit.model.schema import DIRECTIONS, FUNDING_MODES, FUND_SOURCES, LEVEL1

NAN = float("nan")


def _same(a, b):
    return (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)) \
        or a == b


# --------------------------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell, value, ok", [
    ("1,234.5", 1234.5, True),
    ("１２３，４５６", 123456.0, True),        # full-width digits and comma
    ("  42  ", 42.0, True),
    ("\u300042\u3000", 42.0, True),           # ideographic spaces
    ("95%", 95.0, True),                      # percent stays in percent units
    ("９５％", 95.0, True),
    ("30万元", 30.0, True),                   # trailing unit dropped
    ("1,200 户", 1200.0, True),
    ("-5", -5.0, True),
    ("−3.5", -3.5, True),                     # U+2212 minus sign
    ("+7", 7.0, True),
    (".5", 0.5, True),
    ("1e3", 1000.0, True),
    ("00123", 123.0, True),
    (123.0, 123.0, True),                     # Excel number cells pass through
    (7, 7.0, True),
    (0.1, 0.1, True),
    (None, NAN, True),                        # blanks are NaN and fine
    ("", NAN, True),
    ("   ", NAN, True),
    ("—", NAN, True),
    ("/", NAN, True),
    (NAN, NAN, True),
    ("abc", NAN, False),
    ("1,2", NAN, False),                      # not a thousands grouping
    ("12 34", NAN, False),
    ("≥95", NAN, False),                      # a target, not a number
    ("1-2", NAN, False),
    (True, NAN, False),                       # a boolean cell is not a number
    ("nan", NAN, False),
    (float("inf"), NAN, False),
])
def test_parse_number(cell, value, ok):
    v, k = parse_number(pd.Series([cell], dtype=object))
    assert _same(float(v.iloc[0]), value)
    assert bool(k.iloc[0]) is ok


def test_parse_number_is_vectorised_and_keeps_index():
    s = pd.Series(["1", "x", None, 2.5], index=[10, 11, 12, 13], dtype=object)
    v, ok = parse_number(s)
    assert list(v.index) == [10, 11, 12, 13]
    assert v.dtype == float and ok.dtype == bool
    assert v[10] == 1.0 and math.isnan(v[11]) and math.isnan(v[12]) and v[13] == 2.5
    assert ok.tolist() == [True, False, True, True]


# --------------------------------------------------------------------------------------------
# parse_target
# --------------------------------------------------------------------------------------------
#  text, direction, value, unit, qualitative, deadline, ok
TARGETS = [
    ("≥95%", "≥", 95.0, "%", False, None, True),
    ("≧735人次", "≥", 735.0, "人次", False, None, True),
    ("═100%", "=", 100.0, "%", False, None, True),
    ("≤30万元", "≤", 30.0, "万元", False, None, True),
    (">=90", "≥", 90.0, None, False, None, True),
    ("＞＝９５％", "≥", 95.0, "%", False, None, True),
    ("100%", None, 100.0, "%", False, None, True),
    ("95", None, 95.0, None, False, None, True),
    ("≥ 1,200 户", "≥", 1200.0, "户", False, None, True),
    ("≤0.5%", "≤", 0.5, "%", False, None, True),
    ("按时完成", None, NAN, None, True, None, True),
    ("2022年12月前", "≤", 2022 * 12 + 12, None, False, "2022-12", True),
    ("2022年12月底前", "≤", 2022 * 12 + 12, None, False, "2022-12", True),
    ("12月底前", "≤", 2023 * 12 + 12, None, False, "2023-12", True),   # year from the row
    ("较上年提高", None, NAN, None, True, None, True),
    ("=0", "=", 0.0, None, False, None, True),
    ("0起", None, 0.0, "起", False, None, True),
    ("≥3个", "≥", 3.0, "个", False, None, True),
    ("≤5天", "≤", 5.0, "天", False, None, True),
    ("有所提升", None, NAN, None, True, None, True),
    ("<=10", "≤", 10.0, None, False, None, True),
    ("≦10", "≤", 10.0, None, False, None, True),
    ("＝100％", "=", 100.0, "%", False, None, True),
    ("==1", "=", 1.0, None, False, None, True),
    ("95%以上", "≥", 95.0, "%", False, None, True),
    ("不低于90%", "≥", 90.0, "%", False, None, True),
    ("控制在30万元以内", "≤", 30.0, "万元", False, None, True),
    ("2022-06-30", "≤", 2022 * 12 + 6, None, False, "2022-06", True),  # an Excel date cell
    ("年底前完成", "≤", 2023 * 12 + 12, None, False, "2023-12", True),
    ("2022年第三季度", "≤", 2022 * 12 + 9, None, False, "2022-09", True),
    ("", None, NAN, None, False, None, True),
    ("较上年提高5%", None, NAN, None, False, None, False),  # relative: not readable
    ("90%-100%", None, NAN, None, False, None, False),
    ("≥95%以下", "≥", 95.0, "%", False, None, False),       # contradictory
    ("2022年12月以后", None, NAN, None, False, None, False),
    ("≥2022年12月", "≤", 2022 * 12 + 12, None, False, "2022-12", False),
]


@pytest.mark.parametrize("text, direction, value, unit, qualitative, deadline, ok", TARGETS,
                         ids=[t[0] or "blank" for t in TARGETS])
def test_parse_target(text, direction, value, unit, qualitative, deadline, ok):
    r = parse_target(pd.Series([text], dtype=object), year=2023).iloc[0]
    assert r["direction"] == direction
    assert _same(float(r["value"]), float(value))
    assert r["unit"] == unit
    assert bool(r["qualitative"]) is qualitative
    assert r["deadline"] == deadline
    assert bool(r["ok"]) is ok


def test_parse_target_numbers_and_year_series():
    s = pd.Series([95, 0.5, "12月底前", "12月底前", None], index=list("abcde"), dtype=object)
    out = parse_target(s, year=pd.Series([2021, 2021, 2021, 2022, 2022], index=list("abcde")))
    assert list(out.columns) == ["direction", "value", "unit", "qualitative", "deadline", "ok"]
    assert out["value"].tolist()[:2] == [95.0, 0.5]
    assert out.loc["c", "deadline"] == "2021-12" and out.loc["d", "deadline"] == "2022-12"
    assert out.loc["c", "value"] == 2021 * 12 + 12
    assert out["ok"].all()


def test_parse_target_without_year_keeps_month_only():
    r = parse_target(pd.Series(["12月底前"])).iloc[0]
    assert r["deadline"] == "--12" and math.isnan(r["value"]) and r["direction"] == "≤"


# --------------------------------------------------------------------------------------------
# choices, lists, flags
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell, expected", [
    ("≥", "≥"), (">=", "≥"), ("≧", "≥"), ("＞＝", "≥"), ("正向", "≥"), ("正向指标", "≥"),
    ("≤", "≤"), ("<=", "≤"), ("≦", "≤"), ("反向", "≤"), ("＜＝", "≤"),
    ("=", "="), ("＝", "="), ("═", "="), ("==", "="),
    ("定性", "定性"), (" 定性指标 ", "定性"),
])
def test_direction_variants(cell, expected):
    out, ok = parse_choice(pd.Series([cell]), DIRECTIONS)
    assert ok.iloc[0] and out.iloc[0] == expected


def test_choice_unknown_and_blank():
    out, ok = parse_choice(pd.Series(["≈", None, "产出", "其中：当年财政拨款"]), DIRECTIONS)
    assert ok.tolist() == [False, True, False, False]
    assert out.tolist() == [None, None, None, None]
    assert enum_variants(LEVEL1)["产出"] == "产出指标"
    out, ok = parse_choice(pd.Series(["其中：当年财政拨款", "上年结转资金"]), FUND_SOURCES)
    assert out.tolist() == ["当年财政拨款", "上年结转资金"] and ok.all()


def test_parse_list():
    out, ok, bad = parse_list(pd.Series(["PPP、政府采购", "ppp;政府购买服务", None, "PPP；众筹"]),
                              FUNDING_MODES)
    assert out.tolist() == [("PPP", "政府采购"), ("PPP", "政府购买服务"), (), ("PPP",)]
    assert ok.tolist() == [True, True, True, False]
    assert bad.tolist() == [None, None, None, "众筹"]


@pytest.mark.parametrize("cell, value, ok", [
    ("是", True, True), ("否", False, True), ("Y", True, True), ("n", False, True),
    ("true", True, True), ("FALSE", False, True), ("1", True, True), ("0", False, True),
    (1, True, True), (0.0, False, True), ("√", True, True), ("×", False, True),
    (True, True, True), (None, None, True), ("也许", None, False),
])
def test_parse_bool(cell, value, ok):
    out, k = parse_bool(pd.Series([cell], dtype=object))
    assert bool(k.iloc[0]) is ok
    assert (pd.isna(out.iloc[0]) if value is None else out.iloc[0] == value)


def test_to_text():
    assert to_text(123.0) == "123"
    assert to_text(0.1) == "0.1"
    assert to_text(" 00123 ") == "00123"
    assert to_text("") is None and to_text(None) is None and to_text(NAN) is None
    assert to_text(True) == "TRUE"


# --------------------------------------------------------------------------------------------
# resolve_indicators
# --------------------------------------------------------------------------------------------
def _resolve(rows, year=2022):
    df = pd.DataFrame(rows, columns=["target", "actual", "direction", "unit", "kind", "rating"])
    df = df.astype(object).where(df.notna(), None)
    return resolve_indicators(df["target"], df["actual"], direction=df["direction"],
                              unit=df["unit"], kind=df["kind"], rating=df["rating"], year=year)


def test_resolve_fills_direction_unit_kind():
    res, iss = _resolve([
        ["≥95%", "96%", None, None, None, None],
        ["≤30万元", "28", "≤", None, None, None],
        ["按时完成", "已完成", None, None, None, "达成"],
        ["100", "100", None, "件", None, None],
    ])
    assert iss.empty
    assert res["direction"].tolist() == ["≥", "≤", "定性", None]
    assert res["unit"].tolist() == ["%", "万元", None, "件"]
    assert res["kind"].tolist() == ["定量", "定量", "定性", "定量"]
    assert res["target_value"].tolist()[:2] == [95.0, 30.0]
    assert math.isnan(res["target_value"][2])
    assert res["actual_value"].tolist()[:2] == [96.0, 28.0]


def test_resolve_direction_conflict_is_an_error():
    _, iss = _resolve([["≤30万元", "28", "≥", None, None, None]])
    assert iss[["index", "column", "severity"]].values.tolist() == [[0, "direction", "error"]]
    assert "conflicts" in iss["rule"][0] and "≤30万元" in iss["rule"][0]


def test_resolve_qualitative_actual_needs_rating():
    _, iss = _resolve([["≥95%", "已完成", None, None, None, None],
                       ["≥95%", "已完成", None, None, None, "达成"]])
    assert iss["index"].tolist() == [0]
    assert iss["column"][0] == "actual" and iss["value"][0] == "已完成"
    assert "定性评级" in iss["rule"][0]


def test_resolve_deadlines_met_and_missed():
    res, iss = _resolve([
        ["2022年12月底前", "2022年11月", None, None, None, None],
        ["2022年12月底前", "2023年1月", None, None, None, None],
        ["12月底前", "按时完成", None, None, None, None],
        ["2022年6月前", "已按时完成", None, None, None, None],
        ["2022年6月前", "延期完成", None, None, None, None],
        ["2022年6月前", "2022年8月", None, None, None, "部分达成"],   # explicit rating wins
        ["2022年6月前", "还在做", None, None, None, None],
    ])
    assert res["rating"].tolist() == ["达成", "未达成", "达成", "达成", "未达成", "部分达成", None]
    assert res["direction"].tolist() == ["≤"] * 7
    assert res["kind"].tolist() == ["定量"] * 7
    assert res["target_deadline"].tolist() == ["2022-12", "2022-12", "2022-12"] + ["2022-06"] * 4
    assert res["target_value"][0] == 2022 * 12 + 12 and res["actual_value"][0] == 2022 * 12 + 11
    assert res["actual_value"][2] == res["target_value"][2]          # on time → met
    assert math.isnan(res["actual_value"][4])
    assert iss["index"].tolist() == [6] and iss["column"][0] == "actual"


def test_resolve_unreadable_target_unless_qualitative():
    _, iss = _resolve([["较上年提高5%", None, None, None, None, None],
                       ["较上年提高5%", None, "定性", None, None, "达成"]])
    assert iss["index"].tolist() == [0] and iss["column"][0] == "target"


def test_resolve_notes_are_not_errors():
    res, iss = _resolve([["≥95%", "0.96", None, None, None, None],
                         ["≤30万元", "28", None, "元", None, None]])
    assert (iss["severity"] == "note").all() and len(iss) == 2
    assert res["unit"].tolist() == ["%", "元"]


def test_resolve_kind_quantitative_needs_number():
    res, iss = _resolve([["按时完成", None, None, None, "定量", None]])
    assert iss["column"].tolist() == ["kind"]
    assert res["kind"][0] == "定量"
