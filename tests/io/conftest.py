"""Small workbooks built in the tests themselves (no dependency on the demo generator)."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from perfkit.model.schema import TABLES


def base_tables() -> dict[str, list[list]]:
    """A valid two-project, one-department workbook: table → [header row, data rows…]."""
    return {
        "departments": [
            ["department_id", "year", "name"],
            ["D01", 2022, "区教育委员会"],
        ],
        "projects": [
            ["project_id", "year", "name", "department_id", "department", "implementing_unit",
             "budget_type", "funding_modes", "sector"],
            ["00123", 2022, "学生营养餐", "D01", "区教育委员会", "区营养办", "一般公共预算",
             "政府采购", "教育"],
            ["P2", 2022, "校舍维修", "D01", "区教育委员会", "区教委", "一般公共预算", None,
             "教育"],
        ],
        "budget": [
            ["project_id", "year", "source", "initial", "adjusted", "executed"],
            ["00123", 2022, "当年财政拨款", 100, 120, 110.5],
            ["P2", 2022, "当年财政拨款", 50, 50, 40],
        ],
        "indicators": [
            ["project_id", "year", "level1", "level2", "level3", "direction", "unit", "target",
             "actual", "weight", "rating"],
            ["00123", 2022, "产出指标", "数量指标", "受益学生人数", None, None, "≥1,200 户", "1250",
             20, None],
            ["00123", 2022, "产出指标", "时效指标", "完成时间", None, None, "2022年12月底前",
             "2022年11月", 10, None],
            ["00123", 2022, "满意度指标", "服务对象满意度指标", "家长满意度", "≥", "%", "95%",
             "96%", 10, None],
            ["P2", 2022, "效益指标", "社会效益指标", "安全状况", None, None, "较上年提高", "已提高",
             30, "达成"],
        ],
    }


def zh_header(table: str, name: str) -> str:
    return TABLES[table].column(name).zh


def to_zh(tables: dict[str, list[list]]) -> dict[str, list[list]]:
    """Same tables with Chinese sheet names and headers."""
    return {TABLES[t].zh: [[zh_header(t, h) for h in rows[0]], *rows[1:]]
            for t, rows in tables.items()}


def write_xlsx(path: Path, tables: dict[str, list[list]], *, title_rows: dict | None = None
               ) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        for title in (title_rows or {}).get(name, []):
            ws.append(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def write_csv(folder: Path, tables: dict[str, list[list]], *, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(folder / f"{name}.csv", "w", encoding=encoding, newline="") as f:
            w = csv.writer(f)
            for r in rows:
                w.writerow(["" if v is None else v for v in r])
    return folder


@pytest.fixture
def tables():
    return base_tables()
