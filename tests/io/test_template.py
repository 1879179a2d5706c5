"""The empty workbook template: sheets, headers, comments, drop-downs, instructions."""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from perfkit.errors import InputError
from perfkit.io import read_workbook
from perfkit.io.template import INSTRUCTIONS_SHEET, TEMPLATE_ROWS, write_template
from perfkit.model.schema import LEVEL2, TABLES

ENUMERATED = ["budget_type", "source", "level1", "kind", "direction", "rating", "not_applicable"]


@pytest.fixture(scope="module", params=["zh", "en"])
def template(request, tmp_path_factory):
    lang = request.param
    path = write_template(tmp_path_factory.mktemp("tpl") / f"template_{lang}.xlsx", lang=lang)
    return lang, path, openpyxl.load_workbook(path)


def _sheet(t, lang):
    return t.zh if lang == "zh" else t.name


def _validations(ws) -> dict[str, list]:
    """column letter → data validations covering rows 2 … TEMPLATE_ROWS + 1 of it."""
    out: dict[str, list] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            first, last = rng.split(":")
            col = first.rstrip("0123456789")
            assert first == f"{col}2" and last == f"{col}{TEMPLATE_ROWS + 1}"
            out.setdefault(col, []).append(dv)
    return out


def test_sheets_and_headers(template):
    lang, _, wb = template
    assert wb.sheetnames == [INSTRUCTIONS_SHEET[lang]] + [_sheet(t, lang) for t in TABLES.values()]
    for t in TABLES.values():
        ws = wb[_sheet(t, lang)]
        assert ws.max_row == 1                                        # empty: headers only
        header = [c.value for c in ws[1]]
        assert header == [c.zh if lang == "zh" else c.name for c in t.columns]
        assert all(c.font.b for c in ws[1]) and ws.freeze_panes == "A2"
        for i, col in enumerate(t.columns):
            cell = ws.cell(row=1, column=i + 1)
            other = col.name if lang == "zh" else col.zh
            assert cell.comment is not None and cell.comment.text.splitlines()[0] == other
            assert ws.column_dimensions[get_column_letter(i + 1)].width >= 10
        # required columns are shaded darker than optional ones
        fills = {c.required: ws.cell(row=1, column=i + 1).fill.fgColor.rgb
                 for i, c in enumerate(t.columns)}
        if len(fills) == 2:
            assert fills[True] != fills[False]


def test_dropdowns_for_enumerated_columns(template):
    lang, _, wb = template
    seen = set()
    for t in TABLES.values():
        ws = wb[_sheet(t, lang)]
        dvs = _validations(ws)
        for i, c in enumerate(t.columns):
            letter = get_column_letter(i + 1)
            lists = [dv for dv in dvs.get(letter, []) if dv.type == "list"]
            if c.dtype == "enum" or c.name == "level2":
                choices = c.choices or tuple(x for v in LEVEL2.values() for x in v)
                assert len(lists) == 1, (t.name, c.name)
                assert lists[0].formula1 == '"' + ",".join(choices) + '"'
                assert lists[0].allow_blank
                seen.add(c.name)
            elif c.dtype == "bool":
                assert lists[0].formula1 == ('"是,否"' if lang == "zh" else '"yes,no"')
                seen.add(c.name)
            else:
                assert not lists, (t.name, c.name)
    assert set(ENUMERATED) <= seen


def test_year_checks_and_text_codes(template):
    lang, _, wb = template
    ws = wb[_sheet(TABLES["projects"], lang)]
    year = _validations(ws)["B"]
    assert year[0].type == "whole" and (year[0].formula1, year[0].formula2) == ("1990", "2100")
    assert ws.column_dimensions["A"].number_format == "@"              # project_id kept as text
    m = wb[_sheet(TABLES["monthly"], lang)]
    month = _validations(m)["C"][0]
    assert (month.formula1, month.formula2) == ("1", "12")


def test_instructions_list_every_column(template):
    lang, _, wb = template
    rows = list(wb[INSTRUCTIONS_SHEET[lang]].iter_rows(values_only=True))
    head = ("工作表", "表名（英文）", "必需的表", "列名", "字段名（英文）", "类型", "必填", "单位",
            "可选值", "取值范围", "说明") if lang == "zh" else \
        ("sheet", "sheet (Chinese)", "table required", "column", "column (Chinese)", "type",
         "required", "unit", "allowed values", "range", "description")
    i = rows.index(head)
    body = [r for r in rows[i + 1:] if r[0]]
    expected = [(t, c) for t in TABLES.values() for c in t.columns]
    assert len(body) == len(expected)
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    for r, (t, c) in zip(body, expected):
        assert r[0] == _sheet(t, lang)
        assert (r[3], r[4]) == ((c.zh, c.name) if lang == "zh" else (c.name, c.zh))
        assert r[6] == (yes if c.required else no)
        assert (r[7] or "") == c.unit
        if c.choices:
            assert r[8] == " / ".join(c.choices)
    by = {(r[0], r[3]): r for r in body}
    bt = by[(_sheet(TABLES["projects"], lang), "预算类型" if lang == "zh" else "budget_type")]
    assert "社会保险基金预算" in bt[8] and bt[10]
    yr = by[(_sheet(TABLES["projects"], lang), "年度" if lang == "zh" else "year")]
    assert yr[9] == "1990–2100"
    # the table section lists every table with its key
    tables = [r for r in rows[:i] if r[0] in {_sheet(t, lang) for t in TABLES.values()}]
    assert len(tables) == len(TABLES)


def test_template_reads_back_as_an_empty_workbook(template):
    _, path, _ = template
    wb = read_workbook(path)
    assert all(len(df) == 0 for df in wb.tables.values())
    assert set(wb.tables) == set(TABLES)


def test_bad_language(tmp_path):
    with pytest.raises(InputError) as e:
        write_template(tmp_path / "t.xlsx", lang="fr")
    assert e.value.problem.argument == "lang"
