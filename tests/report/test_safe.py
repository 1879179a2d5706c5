"""Formula (CSV/Excel) injection is neutralised in values, frames and openpyxl cells."""
from __future__ import annotations

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from perfkit.report.safe import FORMULA_PREFIXES, neutralise_cell, safe_frame, set_cell


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"), ("\r=cmd", "'\r=cmd"),
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("学生营养改善计划", "学生营养改善计划"), ("a=b", "a=b"), ("", ""), (" =x", " =x"),
    ("'already", "'already"),
])
def test_neutralise_text(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize("value", [-5, -5.5, 0, 3.2, True, None, np.float64(-1.0), np.int64(-3)])
def test_numbers_and_non_text_untouched(value):
    assert neutralise_cell(value) is value


def test_neutralise_is_idempotent():
    once = neutralise_cell("=x")
    assert neutralise_cell(once) == once
    assert FORMULA_PREFIXES == ("=", "+", "-", "@", "\t", "\r")


def test_safe_frame_neutralises_text_columns_labels_and_index_only():
    df = pd.DataFrame({
        "name": ["=1+1", "学生营养", None, "-x"],
        "n": [1, -2, 3, 4],
        "x": [0.5, -1.5, np.nan, 2.0],
        "mixed": np.array(["@x", 1, -2.5, "+y"], dtype=object),
        "cat": pd.Categorical(["=a", "b", "b", "c"]),
        "=evil": ["a", "b", "c", "d"],
    }, index=["=i", "j", "k", "l"])
    before = df.copy(deep=True)
    out = safe_frame(df)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert out["name"].tolist()[:2] == ["'=1+1", "学生营养"] and out["name"].iloc[3] == "'-x"
    assert pd.isna(out["name"].iloc[2])
    assert out["n"].tolist() == [1, -2, 3, 4] and out["n"].dtype == df["n"].dtype
    assert out["x"].iloc[1] == -1.5 and out["x"].dtype == np.float64
    assert out["mixed"].tolist() == ["'@x", 1, -2.5, "'+y"]
    assert out["cat"].tolist() == ["'=a", "b", "b", "c"]
    assert list(out.columns)[-1] == "'=evil"
    assert list(out.index) == ["'=i", "j", "k", "l"]


def test_safe_frame_multiindex_columns():
    df = pd.DataFrame([[1, "=x"]], columns=pd.MultiIndex.from_tuples([("a", "=b"), ("c", "d")]))
    out = safe_frame(df)
    assert ("a", "'=b") in out.columns and out[("c", "d")].iloc[0] == "'=x"


def test_set_cell_stores_formula_like_text_inert_and_readable(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    set_cell(ws["A1"], '=HYPERLINK("http://evil.example","点击")')
    set_cell(ws["A2"], "=0次")
    set_cell(ws["A3"], "-1 加快食堂设施更新")
    set_cell(ws["A4"], "学生营养")
    set_cell(ws["A5"], np.float64(9.8))
    set_cell(ws["A6"], float("nan"))
    set_cell(ws["A7"], np.int64(-3))
    set_cell(ws["A8"], "a\x00b\x07c")  # control characters Excel forbids
    set_cell(ws["A9"], np.bool_(True))
    path = tmp_path / "c.xlsx"
    wb.save(path)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula element at all
    back = openpyxl.load_workbook(path).active
    assert back["A1"].value == '=HYPERLINK("http://evil.example","点击")'
    assert back["A1"].data_type == "s" and back["A1"].quotePrefix
    assert back["A2"].value == "=0次" and back["A2"].quotePrefix
    assert back["A3"].value == "-1 加快食堂设施更新" and back["A3"].quotePrefix
    assert back["A4"].value == "学生营养" and not back["A4"].quotePrefix
    assert back["A5"].value == 9.8 and back["A5"].data_type == "n"
    assert back["A6"].value is None
    assert back["A7"].value == -3
    assert back["A8"].value == "abc"
    assert back["A9"].value is True
