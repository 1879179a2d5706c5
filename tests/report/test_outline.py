"""The shared outline view: escaped HTML, Word's numbers, figures in place, full-precision tables."""
from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from perfkit.errors import InputError
from perfkit.report import cycle_view, methods_view
from perfkit.report.docx import format_number
from perfkit.report.outline import heading_titles, outline_html, outline_tables, show_outline

PNG = base64.b64decode(  # 1×1 transparent PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def _outline():
    return {
        "title": "<b>区教委</b>绩效评价报告", "subtitle": "（2024年度）",
        "meta": [["项目编码", "XM<01>"], ["总分", 92.3456]],
        "sections": [
            {"title": "一、基本情况", "level": 1, "paragraphs": ["说明 <script>x</script>"],
             "bullets": ["a & b"],
             "tables": [{"title": "表1 资金", "columns": ["项目", "预算", "执行率", "达标"],
                         "rows": [["甲<i>", 1234.5678, 0.98765, True],
                                  ["乙", None, float("nan"), np.bool_(False)]],
                         "number_format": {"预算": "#,##0.00", "执行率": "0.0%"}}],
             "figures": [{"png": PNG, "caption": "图1 <得分>", "width_cm": 8}],
             "sections": [{"title": "（一）明细", "level": 2,
                           "tables": [{"title": "表1 资金", "columns": ["x"],
                                       "rows": [[np.float64(1 / 3)]]}]}]},
            {"title": "二、结论", "level": 1, "paragraphs": ["好"]}]}


def test_html_escapes_every_text_and_states_words_numbers():
    html = outline_html(_outline())
    body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    for raw in ("<b>区教委", "<script>", "<i>", "<01>", "<得分>"):
        assert raw not in body
    for esc in ("&lt;b&gt;区教委&lt;/b&gt;", "&lt;script&gt;x&lt;/script&gt;", "甲&lt;i&gt;",
                "XM&lt;01&gt;", "a &amp; b", "图1 &lt;得分&gt;"):
        assert esc in body
    # numbers exactly as Word states them
    assert f'<td class="pk-n">{format_number(1234.5678, "#,##0.00")}</td>' in body
    assert '<td class="pk-n">1,234.57</td>' in body and '<td class="pk-n">98.8%</td>' in body
    assert '<td class="pk-n">0.33</td>' in body            # default format: two decimals
    assert "<td class=\"pk-t\">是</td>" in body and "<td class=\"pk-t\">否</td>" in body
    assert body.count('<td class="pk-n">—</td>') == 2        # missing numbers align right
    assert "<td class=\"pk-t\">92.35</td>" in body            # meta value
    # headings by level, figure inline right after the table, then the nested section
    assert "<h3>一、基本情况</h3>" in body and "<h4>（一）明细</h4>" in body
    i_tab, i_img, i_sub = (body.index("表1 资金"), body.index("data:image/png;base64,"),
                           body.index("（一）明细"))
    assert i_tab < i_img < i_sub
    assert base64.b64encode(PNG).decode() in body


def test_english_cells_and_language_check():
    assert '<td class="pk-t">Yes</td>' in outline_html(_outline(), lang="en")
    with pytest.raises(InputError):
        outline_html(_outline(), lang="fr")


def test_tables_full_precision_and_headings():
    tabs = outline_tables(_outline())
    assert list(tabs) == ["表1 资金", "表1 资金 (2)"]            # a repeated title is kept apart
    assert tabs["表1 资金"].iloc[0, 1] == 1234.5678 and tabs["表1 资金"].iloc[0, 2] == 0.98765
    assert tabs["表1 资金 (2)"].iloc[0, 0] == 1 / 3
    assert heading_titles(_outline()) == ["一、基本情况", "（一）明细", "二、结论"]


def test_show_outline_displays_figures_as_png_in_place(monkeypatch):
    import IPython.display as d

    shown = []
    monkeypatch.setattr(d, "display", lambda obj: shown.append(obj))
    show_outline(_outline())
    kinds = [type(x).__name__ for x in shown]
    assert kinds == ["HTML", "Image", "HTML"]
    assert shown[1].data == PNG and shown[1].format == "png"
    assert "<style>" in shown[0].data and "<style>" not in shown[2].data
    assert "表1 资金" in shown[0].data and "图1 &lt;得分&gt;" in shown[2].data
    assert "二、结论" in shown[2].data


def test_view_modules_re_export_the_one_implementation():
    for m in (methods_view, cycle_view):
        assert m.show_outline is show_outline and m.outline_html is outline_html
    assert methods_view.outline_tables is outline_tables
    assert cycle_view.heading_titles is heading_titles
