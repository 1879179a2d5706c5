"""Word writer: read the .docx back with python-docx and check what a reader would see."""
import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from perfkit.errors import InputError
from perfkit.report.docx import (fill_template, format_number, outline_context,
                                 self_evaluation_outline, write_docx)


def _png() -> bytes:
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(2, 1), dpi=50)
    FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1], [1, 0])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


@pytest.fixture(scope="module")
def png():
    return _png()


def outline(png):
    return {
        "title": "农村饮水安全巩固提升工程绩效评价报告",
        "subtitle": "（2024年度）",
        "meta": [["项目编码", "XM00002"], ["主管部门", "区水利局"]],
        "date": "2025-03-31",
        "sections": [
            {"title": "一、基本情况", "level": 1,
             "paragraphs": ["项目总投资1,234.5万元。", "第二段\n换行"],
             "bullets": ["要点甲", "要点乙"],
             "tables": [{"title": "表1 资金", "columns": ["来源", "金额", "执行率", "笔数", "是否"],
                         "rows": [["当年财政拨款", 1234.5, 0.9876, 3, True],
                                  ["其他资金", None, float("nan"), 0, False]],
                         "number_format": {"金额": "#,##0.00", "执行率": "0.0%"}}],
             "sections": [{"title": "（一）项目概况", "level": 2, "paragraphs": ["概况。"],
                           "figures": [{"png": png, "caption": "图1 示意", "width_cm": 8}]}]},
            {"title": "二、绩效评价工作开展情况", "level": 1, "paragraphs": ["略。"],
             "figures": [{"png": png, "caption": "图2 另一图"}]},
        ],
    }


def test_headings_tables_figures_and_chinese_read_back(tmp_path, png):
    path = write_docx(outline(png), tmp_path / "r.docx")
    d = docx.Document(str(path))
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert heads == [("Heading 1", "一、基本情况"), ("Heading 2", "（一）项目概况"),
                     ("Heading 1", "二、绩效评价工作开展情况")]
    assert d.paragraphs[0].text == "农村饮水安全巩固提升工程绩效评价报告"
    assert d.paragraphs[0].style.name == "Title"
    texts = [p.text for p in d.paragraphs]
    assert "项目总投资1,234.5万元。" in texts and "第二段\n换行" in texts
    assert [p.text for p in d.paragraphs if p.style.name == "List Bullet"] == ["要点甲", "要点乙"]
    # meta table, then the data table
    assert [[c.text for c in r.cells] for r in d.tables[0].rows] == [["项目编码", "XM00002"],
                                                                      ["主管部门", "区水利局"]]
    t = d.tables[1]
    cells = [[c.text for c in r.cells] for r in t.rows]
    assert cells == [["来源", "金额", "执行率", "笔数", "是否"],
                     ["当年财政拨款", "1,234.50", "98.8%", "3", "是"],
                     ["其他资金", "—", "—", "0", "否"]]
    # header bold and repeated; numbers right-aligned, text left-aligned
    assert all(r.bold for c in t.rows[0].cells for r in c.paragraphs[0].runs)
    assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert t.rows[1].cells[1].paragraphs[0].alignment == 2      # RIGHT
    assert t.rows[2].cells[1].paragraphs[0].alignment == 2      # the dash of a numeric column
    assert t.rows[1].cells[0].paragraphs[0].alignment == 0      # LEFT
    assert t._tbl.tblPr.find(qn("w:tblBorders")) is not None
    assert len(d.inline_shapes) == 2
    assert "图1 示意" in texts and "表1 资金" in texts
    assert abs(d.inline_shapes[0].width.cm - 8) < 0.01
    assert abs(d.inline_shapes[1].width.cm - 15) < 0.01
    sec = d.sections[0]
    assert round(sec.page_width.cm, 1) == 21.0 and round(sec.page_height.cm, 1) == 29.7
    cp = d.core_properties
    assert cp.created.year == 2025 and cp.modified.isoformat().startswith("2025-03-31")
    assert cp.title == "农村饮水安全巩固提升工程绩效评价报告"


def test_east_asian_fonts_are_set_in_the_xml(tmp_path, png):
    d = docx.Document(str(write_docx(outline(png), tmp_path / "r.docx")))
    want = {"Normal": "宋体", "Heading 1": "黑体", "Heading 2": "黑体", "Title": "黑体"}
    for name, font in want.items():
        rpr = d.styles[name].element.rPr
        rf = rpr.find(qn("w:rFonts"))
        assert rf.get(qn("w:eastAsia")) == font, name
        assert rf.get(qn("w:ascii")) == "Times New Roman"
        # no theme font left to override the names
        assert rf.get(qn("w:asciiTheme")) is None and rf.get(qn("w:eastAsiaTheme")) is None
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    dflt = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert dflt.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"


def test_same_outline_same_bytes(tmp_path, png):
    a = write_docx(outline(png), tmp_path / "a.docx").read_bytes()
    b = write_docx(outline(png), tmp_path / "b.docx").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize("bad,where", [
    ({"sections": []}, "title"),
    ({"title": "T", "sections": [{"title": "x", "tables": [{"columns": ["a", "b"],
                                                            "rows": [[1]]}]}]},
     "sections[0].tables[0].rows[0]"),
    ({"title": "T", "sections": [{"title": "x", "figures": [{"png": b"GIF89a"}]}]},
     "sections[0].figures[0].png"),
    ({"title": "T", "sections": [{"title": "x", "level": 4}]}, "sections[0].level"),
    ({"title": "T", "sections": [{"title": "x", "tables": [{"columns": ["a"], "rows": [[1]],
                                                            "number_format": {"a": "0.0x"}}]}]},
     "number_format"),
])
def test_bad_outline_names_the_part(tmp_path, bad, where):
    with pytest.raises(InputError) as e:
        write_docx(bad, tmp_path / "x.docx")
    assert where in str(e.value)
    assert not (tmp_path / "x.docx").exists()


def test_format_number():
    assert format_number(0.98765, "0.0%") == "98.8%"
    assert format_number(1234.5, "#,##0.00") == "1,234.50"
    assert format_number(-0.001, "0.00") == "0.00"
    assert format_number(3) == "3" and format_number(2.5) == "2.50"
    assert format_number(None) == "—" and format_number(float("inf"), "0.0") == "—"


def _template(path):
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("总分：{{ to")                     # a placeholder split over three runs,
    r = p.add_run("tal")                          # as Word often stores it
    r.bold = True
    p.add_run(" }} 分，等级{{grade}}。")
    d.add_paragraph("{{ body }}")
    d.add_table(rows=1, cols=1).cell(0, 0).text = "项目：{{ 项目名称 }}"
    d.sections[0].header.paragraphs[0].text = "{{ title }}"
    d.save(str(path))
    return path


def test_fill_template_across_runs_tables_headers(tmp_path):
    tpl = _template(tmp_path / "t.docx")
    out = fill_template(tpl, {"total": 97.2188, "grade": "优", "项目名称": "妇幼健康服务项目",
                              "title": "自评报告", "body": "正文"}, tmp_path / "f.docx")
    d = docx.Document(str(out))
    assert d.paragraphs[0].text == "总分：97.22 分，等级优。"
    assert d.paragraphs[0].runs[0].text == "总分：97.22"      # value in the run where it starts
    assert d.paragraphs[1].text == "正文"
    assert d.tables[0].cell(0, 0).text == "项目：妇幼健康服务项目"
    assert d.sections[0].header.paragraphs[0].text == "自评报告"


def test_fill_template_lists_missing_placeholders(tmp_path):
    tpl = _template(tmp_path / "t.docx")
    with pytest.raises(InputError, match="grade") as e:
        fill_template(tpl, {"total": 1}, tmp_path / "f.docx")
    assert "项目名称" in str(e.value)
    with pytest.raises(InputError, match="not found"):
        fill_template(tmp_path / "nope.docx", {}, tmp_path / "f.docx")


def test_write_docx_into_template_renders_body(tmp_path, png):
    tpl = _template(tmp_path / "t.docx")
    o = outline(png)
    o["context"] = {"total": "88.50", "grade": "良"}
    assert outline_context(o)["项目编码"] == "XM00002"
    o["meta"].append(["项目名称", "农村饮水"])
    d = docx.Document(str(write_docx(o, tmp_path / "r.docx", template=tpl)))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "总分：88.50 分，等级良。"
    assert "{{ body }}" not in texts and texts[1] == "一、基本情况"
    assert d.paragraphs[1].style.name == "Heading 1"
    assert len(d.inline_shapes) == 2
    assert d.tables[-1].cell(0, 0).text == "项目：农村饮水"   # the template's own table, after
    assert d.sections[0].header.paragraphs[0].text == o["title"]


SELF_EVAL = {
    "subject_id": "XM00002", "subject_type": "project", "year": 2024, "name": "妇幼健康服务项目",
    "department": "区卫生健康委", "implementing_unit": "区妇幼保健院", "budget_type": "一般公共预算",
    "funding_modes": ["政府采购"], "sector": "卫生健康", "objective": "孕产妇系统管理人数达到4600人。",
    "achievement": "实际完成4749人。", "execution_note": None, "problems": None, "measures": None,
    "profile": {"id": "national", "version": "2026.1", "hash": "sha256:20651aca26fe7074dced"},
    "budget": {"weight": 10.0, "initial": 164.0, "adjusted": 180.0, "executed": 153.0,
               "rate": 0.85, "score": 8.5, "explanation": "x",
               "sources": [{"source": "当年财政拨款", "initial": 164.0, "adjusted": 180.0,
                            "executed": 153.0}]},
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "level3": "孕产妇系统管理人数", "unit": "人",
         "target_text": "4600", "actual_text": "4749", "weight": 50.0, "score": 50.0,
         "fraction": 1.0, "not_applicable": False, "deviation_reason": None},
        {"level1": "效益指标", "level2": "社会效益指标", "level3": "免疫接种率", "unit": "%",
         "target_text": "≥94%", "actual_text": "81.5", "weight": 30.0, "score": 26.0106,
         "fraction": 0.867, "not_applicable": False, "deviation_reason": "疫苗供应不足"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "满意度", "unit": "%",
         "target_text": "≥90%", "actual_text": "", "weight": 10.0, "score": None,
         "fraction": None, "not_applicable": True, "deviation_reason": None}],
    "level1": [{"level1": "产出指标", "weight": 50.0, "score": 50.0},
               {"level1": "效益指标", "weight": 30.0, "score": 26.0106}],
    "total": 93.8562, "grade": "优", "awarded_total": 95.0, "applicable_weight": 90.0,
    "flags": [{"code": "execution_below_90_unexplained", "message": "m"}],
}


def test_self_evaluation_outline_sections_and_numbers(tmp_path):
    o = self_evaluation_outline(SELF_EVAL, figures=False)
    assert [s["title"] for s in o["sections"]] == [
        "一、项目基本情况", "二、绩效目标及完成情况", "三、预算执行情况", "四、绩效指标完成情况",
        "五、自评结论", "六、存在问题及改进措施", "七、其他需要说明的问题"]
    d = docx.Document(str(write_docx(o, tmp_path / "se.docx")))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "93.86分" in text and "“优”" in text and "85.0%" in text
    assert "执行率偏低的原因" in text                  # below 90% without an explanation
    assert "免疫接种率" in text and "81.5%" in text and "疫苗供应不足" in text
    assert "95.00" in text                           # self-awarded total differs
    assert "90.00" in text                           # rescaled from 90 applicable points
    assert "预算执行率低于90%且未说明原因" in text    # the flag, in section 七
    assert "sha256:20651aca26fe" in text
    ind = d.tables[-1]
    assert [c.text for c in ind.rows[0].cells][:3] == ["一级指标", "二级指标", "三级指标"]
    assert [c.text for c in ind.rows[2].cells][5:7] == ["30.00", "26.01"]
    assert [c.text for c in ind.rows[3].cells][6] == "不适用"
    funds = d.tables[1]
    assert [c.text for c in funds.rows[1].cells] == ["年度资金总额", "164.00", "180.00",
                                                     "153.00", "85.0%"]


def test_self_evaluation_outline_english_with_figure():
    o = self_evaluation_outline(SELF_EVAL, lang="en")
    assert o["sections"][0]["title"] == "1. Project overview"
    figs = o["sections"][3]["figures"]
    assert len(figs) == 1 and figs[0]["png"][:4] == b"\x89PNG"
    with pytest.raises(InputError):
        self_evaluation_outline({"name": "x"})


def test_self_evaluation_outline_of_real_scores(tmp_path):
    """The outline of real scoring results (demo projects) writes and reads back."""
    from perfkit.datasets.demo import generate, write
    from perfkit.io import read_workbook
    from perfkit.scoring import score_self_evaluation

    write(generate(seed=7, years=(2024,), n_departments=2, n_projects=4, n_townships=1),
          tmp_path / "wb", format="csv")
    se = score_self_evaluation(read_workbook(tmp_path / "wb"), "national")
    for pid in se.projects["project_id"]:
        r = se.project(pid).to_dict()
        d = docx.Document(str(write_docx(self_evaluation_outline(r, figures=False),
                                         tmp_path / f"{pid}.docx")))
        text = "\n".join(p.text for p in d.paragraphs)
        assert f"{r['total']:.2f}分" in text and r["name"] in text
        ind = d.tables[-1]
        assert len(ind.rows) == 1 + len(r["indicators"])
        assert [c.text for c in ind.rows[1].cells][2] == r["indicators"][0]["level3"]
