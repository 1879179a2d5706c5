"""The 项目支出绩效自评表 in the official layout, and batch summaries, read back with openpyxl."""
from __future__ import annotations

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from perfkit.errors import InputError
from perfkit.report.xlsx import write_self_eval_table, write_summary
from tests.report import sample_results


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "自评表.xlsx"
    assert write_self_eval_table(sample_results(), path) == path
    return path, openpyxl.load_workbook(path)


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_sheets(book):
    _, wb = book
    assert wb.sheetnames == ["自评表", "评分明细", "说明"]


def test_official_headers_in_place(book):
    ws = book[1]["自评表"]
    expected = {
        "A1": "项目支出绩效自评表", "A2": "（2024年度）",
        "A3": "项目名称", "B3": "学生营养改善计划",
        "A4": "主管部门", "B4": "区教委", "E4": "实施单位", "F4": "区学生资助中心",
        "A5": "项目资金（万元）", "D5": "年初预算数", "E5": "全年预算数", "F5": "全年执行数",
        "G5": "分值", "H5": "执行率", "I5": "得分",
        "B6": "年度资金总额", "B7": "其中：当年财政拨款", "B8": "上年结转资金", "B9": "其他资金",
        "A10": "年度总体目标", "B10": "预期目标", "F10": "实际完成情况",
        "A12": "绩效指标", "B12": "一级指标", "C12": "二级指标", "D12": "三级指标",
        "E12": "年度指标值", "F12": "实际完成值", "G12": "分值", "H12": "得分",
        "I12": "偏差原因分析及改进措施",
        "B13": "产出指标", "C13": "数量指标", "D13": "受益学生人数", "E13": "≥1000人",
        "B18": "效益指标", "B20": "满意度指标", "D20": "学生及家长满意度",
        "A21": "总分", "A22": "评价等级", "B22": "良", "A23": "存在问题", "A24": "改进措施",
        "A25": "项目负责人", "E25": "财务负责人",
    }
    got = {ref: ws[ref].value for ref in expected}
    assert got == expected
    assert ws["B11"].value.startswith("为全区义务教育") and ws["F11"].value.startswith("全年为980名")
    assert "national 2026.1" in ws["A26"].value and "评分明细" in ws["A26"].value


def test_numbers_are_numbers_with_formats(book):
    ws = book[1]["自评表"]
    assert [ws[f"{c}6"].value for c in "DEFGHI"] == [500, 520, 468, 10, 0.9, 9]
    assert ws["H6"].number_format == "0.0%" and ws["D6"].number_format == "0.00"
    assert ws["I6"].number_format == "0.00"
    # 分值 and 得分 only on the total row; sources show a dash
    assert [ws[f"{c}7"].value for c in "DEFGHI"] == [480, 500, 450, "—", None, "—"]
    assert [ws[f"G{r}"].value for r in range(13, 21)] == [10, 10, 10, 10, 10, 15, 15, 10]
    assert [ws[f"H{r}"].value for r in range(13, 21)] == [
        9.8, 9.3, 10, 9.5, "不适用", 14.25, 12, 9.44]
    assert ws["H13"].number_format == "0.00"
    assert ws["G21"].value == 100 and ws["H21"].value == 87.31


def test_merged_cells(book):
    merged = _merged(book[1]["自评表"])
    assert {"A1:I1", "A2:I2", "B3:I3", "B4:D4", "F4:I4", "A5:A9", "B6:C6", "B7:C7",
            "A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11", "A12:A20",
            "A21:F21", "B22:I22", "B23:I23", "B24:I24"} <= merged
    # 一级 merged vertically over its rows; 二级 over its rows within the same 一级
    assert {"B13:B17", "B18:B19", "C13:C14"} <= merged
    assert not any(r.startswith(("B20:", "C15:", "C18:")) for r in merged)


def test_formula_like_text_is_neutralised(book):
    path, wb = book
    ws = wb["自评表"]
    cell = ws["I18"]  # a deviation reason that is a HYPERLINK formula
    assert cell.value.startswith("=HYPERLINK")
    assert cell.data_type == "s" and cell.quotePrefix
    assert ws["E15"].value == "=0次" and ws["E15"].quotePrefix  # an "equal" target reads as is
    assert ws["B24"].value.startswith("-1") and ws["B24"].quotePrefix
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 3
        for name in sheets:
            assert "<f>" not in z.read(name).decode()
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_style_and_print_setup(book):
    ws = book[1]["自评表"]
    assert ws["D13"].border.left.style == "thin" and ws["I25"].border.bottom.style == "thin"
    assert ws["I13"].alignment.wrap_text
    assert ws.column_dimensions["I"].width == 34
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.row_dimensions[11].height >= 36  # long objective text gets room


def test_detail_sheet(book):
    ws = book[1]["评分明细"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["一级指标", "二级指标", "三级指标"]
    for h in ("分值", "规则得分", "自评得分", "差异（自评−规则）", "计分说明", "不适用"):
        assert h in head
    col = {h: k for k, h in enumerate(head)}
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 8
    first = rows[0]
    assert first[col["三级指标"]] == "受益学生人数"
    assert first[col["规则得分"]] == 9.8 and first[col["自评得分"]] == 10
    assert first[col["差异（自评−规则）"]] == pytest.approx(0.2)
    assert first[col["计分说明"]].startswith("实际值 980 低于目标值 1000")
    assert first[col["提示"]] == "自评得分与规则得分不一致"
    assert first[col["年度指标值（数值）"]] == 1000
    assert rows[4][col["不适用"]] == "是" and rows[4][col["规则得分"]] is None
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref == "A1:S9"


def test_notes_sheet(book):
    ws = book[1]["说明"]
    pairs = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert pairs["项目编码"] == "XM00123"
    assert pairs["规则哈希"].startswith("sha256:")
    assert pairs["总分"] == 87.31 and pairs["自评总分"] == 91 and pairs["评价等级"] == "良"
    assert pairs["execution_below_90_unexplained"] == "预算执行率低于90%且未说明原因"
    assert pairs["some_future_code"] == "新的提示信息"


def test_english_form(tmp_path):
    path = write_self_eval_table(sample_results(), tmp_path / "form.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Self-evaluation", "Scoring details", "Notes"]
    ws = wb["Self-evaluation"]
    assert ws["A3"].value == "Project name" and ws["B13"].value == "Output"
    assert ws["B22"].value == "Good (良)" and ws["D13"].value == "受益学生人数"


def test_sparse_results_still_give_the_form(tmp_path):
    r = sample_results(indicators=[], objective=None, problems=None, year=None)
    r["budget"] = {"weight": 10.0, "score": None}
    wb = openpyxl.load_workbook(write_self_eval_table(r, tmp_path / "f.xlsx"))
    ws = wb["自评表"]
    assert ws["B7"].value == "其中：当年财政拨款" and ws["D7"].value is None
    assert ws["A12"].value == "绩效指标" and ws["A14"].value == "总分"
    with pytest.raises(InputError, match="results"):
        write_self_eval_table("nope", tmp_path / "x.xlsx")


# -------------------------------------------------------------------------------------------
@pytest.fixture
def summary():
    return pd.DataFrame({
        "项目编码": ["XM001", "XM002", "XM003"],
        "项目名称": ["=cmd|' /C calc'!A0", "学生营养改善计划", "@SUM(1)"],
        "总分": [87.314159, 91.0, np.nan],
        "执行率": [0.9, 0.955, 1.0],
        "指标数": [8, 12, 5],
    })


def test_summary_csv_is_utf8_bom_and_neutralised(tmp_path, summary):
    written = write_summary(summary, None, tmp_path / "s.csv")
    assert written == [tmp_path / "s.csv"]
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "项目编码,项目名称,总分,执行率,指标数"
    back = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
    assert back["项目名称"].tolist() == ["'=cmd|' /C calc'!A0", "学生营养改善计划", "'@SUM(1)"]
    assert back["总分"].iloc[0] == 87.314159  # full precision
    assert summary["项目名称"].iloc[0].startswith("=")  # caller's frame untouched


def test_summary_xlsx(tmp_path, summary):
    written = write_summary(summary, tmp_path / "s.xlsx", None, percent_columns=["执行率"])
    assert written == [tmp_path / "s.xlsx"]
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    assert ws.title == "汇总"
    assert [c.value for c in ws[1]] == ["项目编码", "项目名称", "总分", "执行率", "指标数"]
    assert ws["B2"].value == "=cmd|' /C calc'!A0" and ws["B2"].data_type == "s"
    assert ws["B2"].quotePrefix and ws["B4"].quotePrefix and not ws["B3"].quotePrefix
    assert ws["C2"].value == 87.314159 and ws["C2"].number_format == "0.00"
    assert ws["C4"].value is None
    assert ws["D3"].value == 0.955 and ws["D3"].number_format == "0.0%"
    assert ws["E2"].value == 8 and ws["E2"].number_format == "0"
    assert ws.freeze_panes == "A2"


def test_summary_index_and_errors(tmp_path, summary):
    indexed = summary.set_index("项目编码")
    write_summary(indexed, tmp_path / "i.xlsx", tmp_path / "i.csv", sheet_name="批次/2024")
    ws = openpyxl.load_workbook(tmp_path / "i.xlsx").active
    assert ws["A1"].value == "项目编码" and ws["A2"].value == "XM001"
    assert ws.title == "批次2024"
    assert pd.read_csv(tmp_path / "i.csv", encoding="utf-8-sig").columns[0] == "项目编码"
    with pytest.raises(InputError, match="percent_columns"):
        write_summary(summary, tmp_path / "x.xlsx", None, percent_columns=["nope"])
    with pytest.raises(InputError, match="frame"):
        write_summary([1, 2], tmp_path / "x.xlsx", None)
