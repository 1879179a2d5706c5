"""read_workbook: formats, header forms, encodings, and every kind of bad input located exactly."""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import perfkit.io.workbook as W
from perfkit.errors import InputError, InputErrors
from perfkit.io import read_workbook
from perfkit.model.schema import TABLES

from .conftest import base_tables, to_zh, write_csv, write_xlsx


def problems(exc) -> list:
    return exc.problems if isinstance(exc, InputErrors) else [exc.problem]


def where(p) -> tuple:
    return (p.sheet, p.row, p.column)


def read_bad(path, **kw) -> list:
    with pytest.raises(InputError) as ei:
        read_workbook(path, **kw)
    return problems(ei.value)


# --------------------------------------------------------------------------------------------
# good workbooks
# --------------------------------------------------------------------------------------------
def test_english_headers(tmp_path, tables):
    wb = read_workbook(write_xlsx(tmp_path / "d.xlsx", tables))
    p = wb.projects
    assert p["project_id"].tolist() == ["00123", "P2"]                # text, zeros kept
    assert p["year"].dtype == "int64" and p["year"].tolist() == [2022, 2022]
    assert p["funding_modes"].tolist() == [("政府采购",), ()]
    assert p["_row"].tolist() == [2, 3] and set(p["_sheet"]) == {"projects"}
    b = wb.budget
    assert b["initial"].tolist() == [100.0, 50.0] and b["executed"].tolist() == [110.5, 40.0]
    ind = wb.indicators
    assert ind["target_value"].tolist()[:3] == [1200.0, 2022 * 12 + 12, 95.0]
    assert ind["actual_value"].tolist()[:3] == [1250.0, 2022 * 12 + 11, 96.0]
    assert ind["direction"].tolist() == ["≥", "≤", "≥", "定性"]
    assert ind["unit"].tolist() == ["户", None, "%", None]
    assert ind["kind"].tolist() == ["定量", "定量", "定量", "定性"]
    assert ind["rating"].tolist() == [None, "达成", None, "达成"]
    assert ind["target_text"].tolist()[0] == "≥1,200 户"
    assert ind["target_deadline"].tolist()[1] == "2022-12"
    for name in TABLES:                                                 # every table present
        assert {"_row", "_sheet"} <= set(wb[name].columns)
    assert wb.monthly.empty and list(wb.monthly.columns)[:4] == list(TABLES["monthly"].names)
    assert wb.meta["format"] == "xlsx" and wb.meta["notes"] == []
    assert wb.source == str(tmp_path / "d.xlsx")


def test_chinese_headers_and_sheet_names(tmp_path, tables):
    en = read_workbook(write_xlsx(tmp_path / "en.xlsx", tables))
    zh = read_workbook(write_xlsx(tmp_path / "zh.xlsx", to_zh(tables)))
    for name in TABLES:
        pd.testing.assert_frame_equal(en[name].drop(columns="_sheet"),
                                      zh[name].drop(columns="_sheet"))
    assert set(zh.projects["_sheet"]) == {"项目"}
    assert zh.meta["sheets"]["indicators"] == "绩效指标"


def test_header_variants_are_normalised(tmp_path, tables):
    t = copy.deepcopy(tables)
    t["budget"][0] = ["项目 编码", "年　度", "资金\n来源", "年初预算数（万元）", "*全年预算数",
                      "Executed"]
    t["项目信息"] = t.pop("projects")                                    # an alias sheet name
    wb = read_workbook(write_xlsx(tmp_path / "d.xlsx", t))
    assert wb.budget["adjusted"].tolist() == [120.0, 50.0]
    assert wb.projects["project_id"].tolist() == ["00123", "P2"]


def test_title_rows_above_header(tmp_path, tables):
    titles = {"budget": [["2022年度项目支出绩效自评表"], ["填报单位：区教委", None, None, "单位：万元"]]}
    path = write_xlsx(tmp_path / "d.xlsx", tables, title_rows=titles)
    wb = read_workbook(path)
    assert wb.budget["_row"].tolist() == [4, 5]                         # as Excel shows them
    assert wb.meta["header_rows"]["budget"] == [3]
    assert any("rows 1, 2 above the header" in n for n in wb.meta["notes"])


def test_merged_header_cells(tmp_path, tables):
    """A two-row header: codes merged down over rows 2–3, a group header over three columns."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        if name != "budget":
            for r in rows:
                ws.append(r)
            continue
        ws.append(["项目资金绩效表"])
        ws.merge_cells("A1:F1")
        ws.append(["项目编码", "年度", "资金来源", "项目资金（万元）", None, None])
        ws.append([None, None, None, "年初预算数", "全年预算数", "全年执行数"])
        for rng in ("A2:A3", "B2:B3", "C2:C3", "D2:F2"):
            ws.merge_cells(rng)
        for r in rows[1:]:
            ws.append(r)
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    out = read_workbook(path)
    b = out.budget
    assert b["project_id"].tolist() == ["00123", "P2"]
    assert b["initial"].tolist() == [100.0, 50.0] and b["executed"].tolist() == [110.5, 40.0]
    assert b["_row"].tolist() == [4, 5]
    # the merged codes fill row 3, which then holds every header
    assert out.meta["header_rows"]["budget"] == [3]


def test_two_row_header_without_merges(tmp_path, tables):
    t = to_zh(tables)
    t["项目资金"] = [["项目编码", "年度", "资金来源", "项目资金（万元）", None, None],
                   [None, None, None, "年初预算数", "全年预算数", "全年执行数"],
                   *t["项目资金"][1:]]
    out = read_workbook(write_xlsx(tmp_path / "d.xlsx", t))
    assert out.meta["header_rows"]["budget"] == [1, 2]
    assert out.budget["adjusted"].tolist() == [120.0, 50.0]
    assert out.budget["_row"].tolist() == [3, 4]


def test_merged_data_cells_apply_to_every_row(tmp_path, tables):
    t = copy.deepcopy(tables)
    t["indicators"][0].append("deviation_reason")
    for r in t["indicators"][1:]:
        r.append(None)
    t["indicators"][2][0] = None                       # the code is merged down from row 2
    t["indicators"][4][11] = "原因"                     # merged across L5:M5, and down M6:M7
    t["indicators"].extend([["P2", 2022, "产出指标", "数量指标", f"x{i}", None, None, "1", "1",
                             1, None, None] for i in range(2)])
    path = write_xlsx(tmp_path / "d.xlsx", t)
    wb = openpyxl.load_workbook(path)
    wb["indicators"].merge_cells("A2:A3")
    wb["indicators"].merge_cells("L5:M7")
    wb.save(path)
    ind = read_workbook(path).indicators
    assert ind["project_id"].tolist() == ["00123", "00123", "00123", "P2", "P2", "P2"]
    assert ind["deviation_reason"].tolist() == [None, None, None, "原因", "原因", "原因"]


def test_empty_rows_footer_and_unknown_columns(tmp_path, tables):
    t = copy.deepcopy(tables)
    t["budget"][0].append("备注")
    t["budget"][1].append("说明文字")
    t["budget"].insert(2, [None] * 7)                  # an empty row 3
    t["budget"].append(["合计", None, None, 150, 170, 150.5])
    wb = read_workbook(write_xlsx(tmp_path / "d.xlsx", t))
    assert wb.budget["_row"].tolist() == [2, 4]
    assert "备注" not in wb.budget.columns
    notes = " | ".join(wb.meta["notes"])
    assert "column G '备注': not a column of table 'budget'" in notes
    assert "footer row(s) 5 skipped" in notes


def test_ids_stay_text(tmp_path, tables):
    t = copy.deepcopy(tables)
    t["projects"][2][0] = 456                          # an id typed as a number
    t["budget"][2][0] = 456.0
    t["indicators"][4][0] = "４５６"                    # full-width digits
    wb = read_workbook(write_xlsx(tmp_path / "d.xlsx", t))
    assert wb.projects["project_id"].tolist() == ["00123", "456"]
    assert wb.budget["project_id"].tolist() == ["00123", "456"]
    assert wb.indicators["project_id"].tolist()[-1] == "456"


def test_percent_and_date_cells(tmp_path, tables):
    t = copy.deepcopy(tables)
    t["indicators"][3][7] = 0.95                        # typed as 95% in Excel
    t["indicators"][3][8] = 0.965
    t["indicators"][2][7] = dt.datetime(2022, 12, 31)   # a date cell as deadline
    path = write_xlsx(tmp_path / "d.xlsx", t)
    wb = openpyxl.load_workbook(path)
    ws = wb["indicators"]
    ws["H4"].number_format = "0%"
    ws["I4"].number_format = "0.0%"
    ws["H3"].number_format = 'yyyy"年"m"月"d"日"'
    wb.save(path)
    ind = read_workbook(path).indicators
    assert ind["target_text"].tolist()[1:3] == ["2022-12-31", "95%"]
    assert ind["target_value"].tolist()[1:3] == [2022 * 12 + 12, 95.0]
    assert ind["actual_value"].tolist()[2] == pytest.approx(96.5)


def test_years_filter(tmp_path, tables):
    t = copy.deepcopy(tables)
    t["departments"].append(["D01", 2021, "区教育委员会"])
    t["projects"].append(["00123", 2021, "学生营养餐", "D01", "区教委", "区营养办", "一般公共预算",
                          None, "教育"])
    t["budget"].append(["00123", 2021, "当年财政拨款", -1, 1, 1])    # bad, but not read
    wb = read_workbook(write_xlsx(tmp_path / "d.xlsx", t), years=[2022])
    assert wb.years == [2022] and len(wb.projects) == 2
    assert wb.meta["years"] == [2022]
    full = read_bad(tmp_path / "d.xlsx")
    assert [where(p) for p in full] == [("budget", 4, "initial")]


# --------------------------------------------------------------------------------------------
# CSV folders
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, label", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                             ("gb18030", "gb18030")])
def test_csv_encodings(tmp_path, tables, encoding, label):
    folder = write_csv(tmp_path / "csv", to_zh(tables), encoding=encoding)
    wb = read_workbook(folder)
    assert wb.meta["format"] == "csv"
    assert set(wb.meta["encodings"].values()) == {label}
    assert wb.projects["name"].tolist() == ["学生营养餐", "校舍维修"]
    assert wb.projects["project_id"].tolist() == ["00123", "P2"]
    assert wb.indicators["target_value"].tolist()[0] == 1200.0
    assert set(wb.projects["_sheet"]) == {"项目.csv"} and wb.projects["_row"].tolist() == [2, 3]
    xl = read_workbook(write_xlsx(tmp_path / "x.xlsx", tables))
    for name in TABLES:
        pd.testing.assert_frame_equal(xl[name].drop(columns="_sheet"),
                                      wb[name].drop(columns="_sheet"), check_dtype=False)


def test_csv_english_names_and_problem_location(tmp_path, tables):
    t = copy.deepcopy(tables)
    t["budget"][2][3] = "abc"
    t["budget"].insert(0, ["2022年度项目资金表"])         # a title row with a single field
    folder = write_csv(tmp_path / "csv", t)
    (folder / "readme.txt").write_text("not data")
    [p] = read_bad(folder)
    assert p.file == str(folder / "budget.csv") and p.sheet is None
    assert (p.row, p.column, p.value) == (4, "initial", "abc")
    assert "file " + str(folder / "budget.csv") + ", row 4, column 'initial'" in str(p)


def test_csv_undecodable_file_is_named(tmp_path, tables):
    folder = write_csv(tmp_path / "csv", tables)
    (folder / "budget.csv").write_bytes(b"project_id,year\n\xff\xfe\xfa\x80,2022\n")
    ps = read_bad(folder)
    assert any(p.file == str(folder / "budget.csv") and "cannot decode" in p.rule for p in ps)


# --------------------------------------------------------------------------------------------
# bad input, located exactly
# --------------------------------------------------------------------------------------------
def test_missing_required_sheet(tmp_path, tables):
    del tables["budget"]
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", tables))
    assert p.file == str(tmp_path / "d.xlsx") and p.sheet is None
    assert "missing required sheet for table 'budget' (项目资金)" in p.rule
    assert "项目资金" in str(p)


def test_missing_required_column(tmp_path, tables):
    t = to_zh(tables)
    t["项目资金"] = [[c for c in r[:5]] for r in t["项目资金"]]          # 全年执行数 dropped
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", t))
    assert where(p) == ("项目资金", 1, "全年执行数 (executed)")
    assert "missing required column" in p.rule


def test_non_numeric_budget(tmp_path, tables):
    t = to_zh(tables)
    t["项目资金"][2][3] = "abc"
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", t))
    assert where(p) == ("项目资金", 3, "年初预算数 (initial)")
    assert p.value == "abc" and p.rule == "must be a number"
    assert "sheet '项目资金', row 3, column '年初预算数 (initial)': must be a number (found 'abc')" \
        in str(p)


def test_negative_budget(tmp_path, tables):
    tables["budget"][1][5] = -3
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", tables))
    assert where(p) == ("budget", 2, "executed") and p.value == "-3"
    assert p.rule == "must not be negative"


def test_unit_differs_from_column_unit(tmp_path, tables):
    tables["budget"][1][3] = "1000000元"
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", tables))
    assert where(p) == ("budget", 2, "initial") and "unit 元" in p.rule


def test_unknown_direction(tmp_path, tables):
    t = to_zh(tables)
    t["绩效指标"][1][5] = "≈"
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", t))
    assert where(p) == ("绩效指标", 2, "指标方向 (direction)") and p.value == "≈"
    assert p.rule.startswith("must be one of: ≥ / ≤ / = / 定性")


def test_direction_variants_accepted(tmp_path, tables):
    for i, d in enumerate((">=", "正向", "＞＝", "≧")):
        tables["indicators"][1][5] = d                 # the target is ≥1,200 户
        ind = read_workbook(write_xlsx(tmp_path / f"d{i}.xlsx", tables)).indicators
        assert ind["direction"][0] == "≥"


def test_direction_conflicting_with_target_text(tmp_path, tables):
    tables["indicators"][1][5] = "≤"                   # target is ≥1,200 户
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", tables))
    assert where(p) == ("indicators", 2, "direction") and "conflicts" in p.rule


def test_qualitative_actual_without_rating(tmp_path, tables):
    t = to_zh(tables)
    t["绩效指标"][3][8] = "已完成"                       # for target 95%
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", t))
    assert where(p) == ("绩效指标", 4, "实际完成值 (actual)") and p.value == "已完成"


def test_indicator_for_unknown_project(tmp_path, tables):
    tables["indicators"][4][0] = "P9"
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", tables))
    assert where(p) == ("indicators", 5, "project_id") and p.value == "P9 / 2022"
    assert "unknown project (项目) P9 in 2022" in p.rule


def test_project_of_unknown_department_year(tmp_path, tables):
    tables["projects"][2][1] = 2023                    # D01 exists only in 2022
    ps = read_bad(write_xlsx(tmp_path / "d.xlsx", tables))
    got = {(p.sheet, p.row, p.column, p.value) for p in ps}
    assert ("projects", 3, "department_id", "D01 / 2023") in got
    assert ("budget", 3, "project_id", "P2 / 2022") in got          # and P2/2022 is gone
    assert ("indicators", 5, "project_id", "P2 / 2022") in got


def test_duplicate_ids(tmp_path, tables):
    t = to_zh(tables)
    t["项目"].append(list(t["项目"][1]))                # row 4 repeats row 2
    [p] = read_bad(write_xlsx(tmp_path / "d.xlsx", t))
    assert (p.sheet, p.row) == ("项目", 4)
    assert p.column == "项目编码 (project_id) + 年度 (year)"
    assert p.value == "00123 / 2022" and "first seen in row 2" in p.rule


def test_whole_numbers_and_bounds(tmp_path, tables):
    tables["monthly"] = [["project_id", "year", "month", "cumulative_executed"],
                         ["00123", 2022, 13, 10], ["00123", 2022, "2.5", 20],
                         ["00123", "2022年", 3, "1,000"]]
    tables["indicators"][1][9] = 120                   # 分值 above 100
    tables["indicators"][2][2] = "产出"                 # a variant of 产出指标: accepted
    ps = read_bad(write_xlsx(tmp_path / "d.xlsx", tables))
    got = {where(p): (p.rule, p.value) for p in ps}
    assert got == {("monthly", 2, "month"): ("must be ≤ 12", "13"),
                   ("monthly", 3, "month"): ("must be a whole number", "2.5"),
                   ("indicators", 2, "weight"): ("must be ≤ 100", "120")}


def test_required_cell_empty_and_bool_and_list(tmp_path, tables):
    tables["projects"][1][2] = None                    # name
    tables["projects"][2][7] = "PPP、众筹"
    tables["indicators"][0].append("not_applicable")
    tables["indicators"][1].append("也许")
    ps = read_bad(write_xlsx(tmp_path / "d.xlsx", tables))
    got = {where(p): p.rule for p in ps}
    assert got[("projects", 2, "name")] == "required cell is empty"
    assert got[("projects", 3, "funding_modes")].startswith("unknown flag 众筹")
    assert got[("indicators", 2, "not_applicable")].startswith("must be 是 or 否")


def test_several_problems_reported_together(tmp_path, tables):
    t = to_zh(tables)
    t["项目资金"][1][3] = "abc"                          # non-numeric
    t["项目资金"][2][5] = -10                           # negative
    t["绩效指标"][2][5] = "大概"                         # unknown direction
    t["绩效指标"][4][0] = "P9"                          # unknown project
    t["项目"].append(list(t["项目"][2]))                # duplicate P2/2022 at row 4
    t["部门"][0] = ["部门编码", "部门名称"]               # 年度 missing
    t["部门"][1] = ["D01", "区教育委员会"]
    with pytest.raises(InputErrors) as ei:
        read_workbook(write_xlsx(tmp_path / "d.xlsx", t))
    got = sorted((p.sheet, p.row or 0, p.column) for p in ei.value.problems)
    assert got == sorted([
        ("项目资金", 2, "年初预算数 (initial)"),
        ("项目资金", 3, "全年执行数 (executed)"),
        ("绩效指标", 3, "指标方向 (direction)"),
        ("绩效指标", 5, "项目编码 (project_id)"),
        ("项目", 4, "项目编码 (project_id) + 年度 (year)"),
        ("部门", 1, "年度 (year)"),
    ])
    msg = str(ei.value)
    assert msg.startswith("6 problem(s) in the input:")
    assert "sheet '项目资金', row 2, column '年初预算数 (initial)': must be a number (found 'abc')" \
        in msg


def test_bad_paths(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_workbook(tmp_path / "nope.xlsx")
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"\.xls format"):
        read_workbook(tmp_path / "a.xls")
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable .xlsx"):
        read_workbook(tmp_path / "b.xlsx")
    with pytest.raises(InputError, match="argument 'years'"):
        read_workbook(tmp_path / "b.xlsx", years=["x"])


def test_reading_never_modifies_the_input(tmp_path, tables):
    t = copy.deepcopy(tables)
    t["budget"][1][3] = "abc"
    paths = [write_xlsx(tmp_path / "good.xlsx", tables), write_xlsx(tmp_path / "bad.xlsx", t)]
    folder = write_csv(tmp_path / "csv", to_zh(tables), encoding="gb18030")
    files = paths + sorted(folder.iterdir())

    def digest():
        return {f: (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns)
                for f in files}

    before = digest()
    read_workbook(paths[0])
    with pytest.raises(InputError):
        read_workbook(paths[1])
    read_workbook(folder)
    assert digest() == before
    assert sorted(folder.iterdir()) == files[2:]


# --------------------------------------------------------------------------------------------
# the fast .xlsx reader agrees with openpyxl
# --------------------------------------------------------------------------------------------
def _raw_xlsx(path: Path, sheets: dict[str, list[list]], *, prefix: str = "") -> Path:
    """Write an .xlsx the way Excel does (shared strings, styles), by hand."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns{":" + prefix if prefix else ""}="{ns}"'
    strings: list[str] = []

    def sst(s):
        if s not in strings:
            strings.append(s)
        return strings.index(s)

    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    parts = {}
    for k, (name, rows) in enumerate(sheets.items(), start=1):
        xml = [f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns} '
               f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               f"<{p}sheetData>"]
        for i, row in enumerate(rows, start=1):
            xml.append(f'<{p}row r="{i}">')
            for j, v in enumerate(row):
                ref = f"{chr(65 + j)}{i}"
                if v is None:
                    xml.append(f'<{p}c r="{ref}" s="0"/>')
                elif isinstance(v, str) and v.startswith("="):        # formula with a value
                    xml.append(f'<{p}c r="{ref}"><{p}f>{esc(v[1:])}</{p}f><{p}v>5</{p}v></{p}c>')
                elif isinstance(v, str) and v.startswith("rich:"):    # rich text + phonetic
                    a, b = v[5:].split("|")
                    xml.append(f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}r><{p}t>{esc(a)}</{p}t>'
                               f'</{p}r><{p}r><{p}t xml:space="preserve">{esc(b)}</{p}t></{p}r>'
                               f'<{p}rPh sb="0" eb="1"><{p}t>ふ</{p}t></{p}rPh></{p}is></{p}c>')
                elif isinstance(v, str):
                    xml.append(f'<{p}c r="{ref}" t="s"><{p}v>{sst(v)}</{p}v></{p}c>')
                elif isinstance(v, tuple):                            # (number, style)
                    xml.append(f'<{p}c r="{ref}" s="{v[1]}"><{p}v>{v[0]}</{p}v></{p}c>')
                else:
                    xml.append(f'<{p}c r="{ref}"><{p}v>{v}</{p}v></{p}c>')
            xml.append(f"</{p}row>")
        xml.append(f'</{p}sheetData><{p}mergeCells count="1"><{p}mergeCell ref="Z1:Z2"/>'
                   f"</{p}mergeCells></{p}worksheet>")
        parts[f"xl/worksheets/sheet{k}.xml"] = "".join(xml)
    sheets_xml = "".join(f'<sheet name="{esc(n)}" sheetId="{k}" r:id="rId{k}"/>'
                         for k, n in enumerate(sheets, start=1))
    rels = "".join(f'<Relationship Id="rId{k}" Type="http://schemas.openxmlformats.org/'
                   f'officeDocument/2006/relationships/worksheet" '
                   f'Target="worksheets/sheet{k}.xml"/>' for k in range(1, len(sheets) + 1))
    n = len(sheets)
    rels += (f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/'
             f'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
             f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/'
             f'officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="http://schemas.'
        f'openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets_xml}</sheets>'
        f"</workbook>")
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}" count="{len(strings)}">'
        + "".join(f'<si><t xml:space="preserve">{esc(s)}</t></si>' for s in strings) + "</sst>")
    parts["xl/styles.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{ns}"><numFmts count="1">'
        '<numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="1"><font><sz val="11"/>'
        '<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType='
        '"none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
        '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
        'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/>'
        '<xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs><cellStyles count="1">'
        '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
    ct = "".join(f'<Override PartName="/{k}" ContentType="application/vnd.openxmlformats-'
                 f'officedocument.spreadsheetml.worksheet+xml"/>' for k in parts
                 if k.startswith("xl/worksheets/"))
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{ct}</Types>")
    with zipfile.ZipFile(path, "w") as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return path


def _excel_like(tables):
    t = to_zh(tables)
    t["绩效指标"][3][7] = (0.95, 1)                       # 95% with the builtin percent format
    t["绩效指标"][3][8] = (0.965, 2)                      # 96.5% with a custom 0.0% format
    t["绩效指标"][1][9] = "=SUM(1,4)"                     # a formula with its saved value 5
    t["项目"][1][2] = "rich:学生|营养餐 & 奶"               # rich text runs and an entity
    t["项目资金"][1][3] = 100                             # an integer cell
    return t


@pytest.mark.parametrize("prefix", ["", "x"])
def test_fast_reader_matches_openpyxl(tmp_path, tables, monkeypatch, prefix):
    path = _raw_xlsx(tmp_path / "excel.xlsx", _excel_like(tables), prefix=prefix)
    called = []
    real = W._sheet_openpyxl
    monkeypatch.setattr(W, "_sheet_openpyxl", lambda *a: called.append(1) or real(*a))
    fast = read_workbook(path)
    assert called == []                                # the fast path read every sheet
    monkeypatch.setattr(W, "_XLSX_ENGINE", "openpyxl")
    slow = read_workbook(path, cache=False)
    assert len(called) == 4
    for name in TABLES:
        pd.testing.assert_frame_equal(fast[name], slow[name])
    assert fast.projects["name"][0] == "学生营养餐 & 奶"
    assert fast.indicators["target_value"].tolist()[2] == 95.0
    assert fast.indicators["actual_value"].tolist()[2] == pytest.approx(96.5)
    assert fast.indicators["weight"][0] == 5.0


def test_unusual_cell_forms_fall_back_to_openpyxl(tmp_path, tables, monkeypatch):
    path = write_xlsx(tmp_path / "d.xlsx", tables)
    # rewrite one sheet with the attributes in another order (t before r): legal, but not the
    # form the fast reader expects
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet2.xml"
    items[name] = items[name].replace(b'<c r="A2" t="inlineStr">', b'<c t="inlineStr" r="A2">')
    with zipfile.ZipFile(path, "w") as z:
        for n, b in items.items():
            z.writestr(n, b)
    called = []
    real = W._sheet_openpyxl
    monkeypatch.setattr(W, "_sheet_openpyxl", lambda *a: called.append(a[1]) or real(*a))
    wb = read_workbook(path)
    assert called == ["projects"]
    assert wb.projects["project_id"].tolist() == ["00123", "P2"]


@pytest.mark.slow
def test_district_sized_workbook_reads_quickly(tmp_path):
    """300 projects × 12 indicators × 3 years read through the fast path (timing is printed by
    benchmarks; here we check size, speed order and that no sheet needed openpyxl)."""
    import time
    tb = base_tables()
    ind = [tb["indicators"][0]]
    proj = [tb["projects"][0]]
    bud = [tb["budget"][0]]
    for p in range(300):
        for y in (2021, 2022, 2023):
            pid = f"{p:05d}"
            proj.append([pid, y, f"项目{p}", "D01", "区教委", "单位", "一般公共预算", None, "教育"])
            bud.append([pid, y, "当年财政拨款", 100, 100, 90])
            for k in range(12):
                ind.append([pid, y, "产出指标", "数量指标", f"指标{k}", None, None,
                            f"≥{80 + k}%", f"{85 + k}%", 10, None])
    deps = [tb["departments"][0]] + [["D01", y, "区教委"] for y in (2021, 2022, 2023)]
    path = tmp_path / "district.xlsx"
    book = openpyxl.Workbook(write_only=True)
    for name, rows in {"projects": proj, "budget": bud, "indicators": ind,
                       "departments": deps}.items():
        ws = book.create_sheet(name)
        for r in rows:
            ws.append(r)
    book.save(path)
    t0 = time.perf_counter()
    wb = read_workbook(path)
    elapsed = time.perf_counter() - t0
    assert len(wb.indicators) == 10800 and wb.indicators["target_value"].notna().all()
    assert elapsed < 10, elapsed                        # ≈ 1 s on a quiet 2-core machine


def test_memo_returns_same_workbook_until_the_file_changes(tmp_path, tables):
    path = _raw_xlsx(tmp_path / "m.xlsx", _excel_like(tables))
    a = read_workbook(path)
    assert read_workbook(path) is a
    assert read_workbook(path, cache=False) is not a
    import os
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    assert read_workbook(path) is not a
