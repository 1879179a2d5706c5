"""The indicator_progress sheet (指标监控): values read against the indicator's target, every
bad row located, and workbooks without it still read."""
from __future__ import annotations

import math

import pytest

from perfkit.errors import InputError, InputErrors
from perfkit.io import read_workbook
from perfkit.io.workbook import PROGRESS_EXTRAS
from perfkit.model.schema import TABLES

from .conftest import base_tables, to_zh, write_csv, write_xlsx

HEAD = ["project_id", "year", "month", "level1", "level2", "level3", "progress", "expected",
        "likelihood", "deviation_reason", "deviation_analysis", "measures"]
COUNT = ["产出指标", "数量指标", "受益学生人数"]          # target ≥1,200 户
DEADLINE = ["产出指标", "时效指标", "完成时间"]            # target 2022年12月底前
SATISFACTION = ["满意度指标", "服务对象满意度指标", "家长满意度"]   # target 95%
QUALITATIVE = ["效益指标", "社会效益指标", "安全状况"]      # target 较上年提高 (P2)


def tables_with_progress() -> dict[str, list[list]]:
    t = base_tables()
    t["indicator_progress"] = [
        HEAD,
        ["00123", 2022, 6, *COUNT, "600户", "1,100", "有可能", "经费保障", "资金下达较晚",
         "加快拨付"],                                                            # row 2
        ["00123", 2022, 9, *COUNT, 900, 1250, "确定能", None, None, None],     # row 3
        ["00123", 2022, 6, *DEADLINE, "按计划推进", "按时完成", None, None, None, None],  # 4
        ["00123", 2022, 9, *DEADLINE, "2022年8月", None, "确定能", None, None, None],  # 5
        ["00123", 2022, 6, *SATISFACTION, "0.96", "96%", None, None, None, None],  # row 6
        ["P2", 2022, 6, *QUALITATIVE, "有所提高", None, "确定能", None, None, None],  # row 7
    ]
    return t


def problems(path) -> list:
    with pytest.raises(InputError) as ei:
        read_workbook(path)
    e = ei.value
    return e.problems if isinstance(e, InputErrors) else [e.problem]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_values_read_against_the_indicator(tmp_path, fmt):
    t = to_zh(tables_with_progress())
    path = (write_xlsx(tmp_path / "d.xlsx", t) if fmt == "xlsx"
            else write_csv(tmp_path / "d", t))
    wb = read_workbook(path)
    p = wb["indicator_progress"]
    assert list(p["_row"]) == [2, 3, 4, 5, 6, 7]
    assert p["month"].tolist() == [6, 9, 6, 9, 6, 6]
    v = p["progress_value"].tolist()
    # 600户 → 600 (the indicator's unit); 900; a status without a number → NaN; a date against
    # a deadline → its month index; 0.96 against a percent target → 0.96 (noted); text → NaN
    assert v[:2] == [600.0, 900.0] and math.isnan(v[2]) and v[3] == 2022 * 12 + 8
    assert v[4] == 0.96 and math.isnan(v[5])
    e = p["expected_value"].tolist()
    # 1,100; 1250; 按时完成 → the deadline's own value (2022-12); blank; 96%; blank
    assert e[:3] == [1100.0, 1250.0, 2022 * 12 + 12] and math.isnan(e[3]) and e[4] == 96.0
    assert p["progress_text"].tolist()[:3] == ["600户", "900", "按计划推进"]
    assert p.loc[0, ["likelihood", "deviation_reason", "deviation_analysis", "measures"]] \
        .tolist() == ["有可能", "经费保障", "资金下达较晚", "加快拨付"]
    notes = " ".join(wb.meta["notes"])
    assert "looks like a fraction" in notes and "row 6" in notes


def test_workbook_without_the_sheet_still_reads(tmp_path):
    wb = read_workbook(write_xlsx(tmp_path / "d.xlsx", base_tables()))
    p = wb["indicator_progress"]
    assert p.empty and not TABLES["indicator_progress"].required
    assert set(PROGRESS_EXTRAS) <= set(p.columns) and {"_row", "_sheet"} <= set(p.columns)


def test_bad_month_unknown_project_indicator_and_value_are_located(tmp_path):
    t = tables_with_progress()
    t["indicator_progress"][1][2] = 13                          # row 2: month 13
    t["indicator_progress"][2][0] = "P9"                        # row 3: unknown project
    t["indicator_progress"][3][5] = "完成时限"                   # row 4: unknown indicator
    t["indicator_progress"][6][6] = "90%-100%"                  # row 7: unreadable progress
    got = {(p.sheet, p.row, p.column): p for p in problems(
        write_xlsx(tmp_path / "d.xlsx", to_zh(t)))}
    assert set(got) == {("指标监控", 2, "月份 (month)"), ("指标监控", 3, "项目编码 (project_id)"),
                        ("指标监控", 4, "三级指标 (level3)"),
                        ("指标监控", 7, "累计完成值 (progress)")}
    assert got["指标监控", 2, "月份 (month)"].rule == "must be ≤ 12"
    assert "unknown project (项目) P9 in 2022" in got["指标监控", 3, "项目编码 (project_id)"].rule
    p4 = got["指标监控", 4, "三级指标 (level3)"]
    assert "unknown indicator" in p4.rule and p4.value == "产出指标 / 时效指标 / 完成时限"
    p7 = got["指标监控", 7, "累计完成值 (progress)"]
    assert "not understood" in p7.rule and p7.value == "90%-100%"


def test_same_indicator_twice_in_a_month_and_bad_choices(tmp_path):
    t = tables_with_progress()
    t["indicator_progress"].append(list(t["indicator_progress"][1]))    # row 8 repeats row 2
    t["indicator_progress"][2][8] = "很可能"                             # row 3: not a choice
    t["indicator_progress"][2][9] = "资金"                               # row 3: not a reason
    ps = problems(write_xlsx(tmp_path / "d.xlsx", t))
    got = {(p.row, p.column.split(" + ")[0] if "+" in p.column else p.column): p for p in ps}
    assert "first seen in row 2" in got[8, "project_id"].rule
    assert got[3, "likelihood"].rule == "must be one of: 确定能 / 有可能 / 不可能"
    assert "经费保障" in got[3, "deviation_reason"].rule
    assert len(ps) == 3


def test_a_date_for_an_indicator_that_is_not_a_deadline(tmp_path):
    t = tables_with_progress()
    t["indicator_progress"][1][6] = "2022年5月"
    [p] = problems(write_xlsx(tmp_path / "d.xlsx", t))
    assert (p.sheet, p.row, p.column) == ("indicator_progress", 2, "progress")
    assert "not a deadline" in p.rule
