"""The results fragment is escaped; the exported report is self-contained and fully offline."""
from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import perfkit
from perfkit.errors import InputError, RunError
from perfkit.report.html import (FONT_EMBED_LIMIT, export_html, find_external_refs,
                                 render_results_html)
from tests.report import sample_results

EVIL = "学生营养改善计划<script>alert(1)</script>"
FONT_STACK = '"Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'


# ------------------------------------------------------------------------ fragment ----------
def test_fragment_states_the_results():
    html = render_results_html(sample_results())
    soup = BeautifulSoup(html, "html.parser")
    key = soup.select_one("table.pk-key")
    assert [td.get_text() for td in key.find_all("td")] == ["87.31", "良", "90.0%", "91.00"]
    ind = soup.select_one("table.pk-indicators")
    heads = [th.get_text() for th in ind.find_all("th")]
    assert heads == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "自评得分", "计分说明"]
    rows = ind.find_all("tr")[1:]
    assert len(rows) == 8
    first = [td.get_text() for td in rows[0].find_all("td")]
    assert first == ["产出指标", "数量指标", "受益学生人数", "≥1000人", "980", "10.00", "9.80",
                     "10.00", "实际值 980 低于目标值 1000，按完成比例 98.0% 得分 9.80"]
    assert rows[0].find_all("td")[0]["rowspan"] == "5"  # 产出指标 spans its 5 rows
    # self-awarded score only where it differs (and highlighted)
    second = [td.get_text() for td in rows[1].find_all("td")]
    assert second[4:6] == ["9.30", ""]
    assert "pk-diff" in rows[0].find_all("td")[7]["class"]
    # not applicable row
    assert "pk-na" in rows[4]["class"] and "不适用" in rows[4].get_text()
    budget = soup.select_one("table.pk-budget")
    assert "其中：当年财政拨款" in budget.get_text() and "468.00" in budget.get_text()
    flags = [li.get_text() for li in soup.select("ul.pk-flags li")]
    assert flags == ["预算执行率低于90%且未说明原因", "自评得分与规则得分不一致", "新的提示信息"]


def test_fragment_without_differences_has_no_awarded_column():
    r = sample_results()
    for i in r["indicators"]:
        i.update(awarded=i["score"], awarded_diff=0.0, flags=[])
    soup = BeautifulSoup(render_results_html(r), "html.parser")
    heads = [th.get_text() for th in soup.select_one("table.pk-indicators").find_all("th")]
    assert "自评得分" not in heads


def test_fragment_escapes_every_input_string():
    r = sample_results(name=EVIL, department="<b>区教委</b>", implementing_unit='"><img src=x>',
                       objective="<i>o</i>", achievement="<u>a</u>")
    r["indicators"][0].update(level3="<script>x()</script>", explanation="<b>e</b>",
                              target_text="<1000", actual_text="a&b")
    r["indicators"][1]["level2"] = "<em>二级</em>"
    r["budget"]["explanation"] = "<svg onload=alert(2)>"
    r["flags"] = [{"code": "x", "message": "<script>alert(3)</script>"}]
    html = render_results_html(r)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.find("b") is None and soup.find("i") is None and soup.find("svg") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x&gt;" in html
    assert "&lt;1000" in html and "a&amp;b" in html
    assert soup.h3.get_text().startswith(EVIL)  # the text itself survives, inert


def test_fragment_in_english():
    html = render_results_html(sample_results(), lang="en")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.div["lang"] == "en"
    assert "Good (良)" in html and "Level-3 indicator" in html and "Output" in html
    assert "Carry-over from prior year" in html
    with pytest.raises(InputError, match="lang"):
        render_results_html(sample_results(), lang="xx")
    with pytest.raises(InputError, match="results"):
        render_results_html(None)


# ---------------------------------------------------------------------- offline check -------
def test_find_external_refs_catches_every_kind_of_load():
    doc = """<html><head>
    <script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>
    <link rel="stylesheet" href="//fonts.example.com/a.css">
    <style>/* see https://github.com/x */ @import url("https://x.example/b.css");
      .a { background: url(http://x.example/bg.png) }
      .b { background: url(data:image/png;base64,AA) }</style>
    <script type="module">const m = await import("https://cdn.example/m.js");</script>
    </head><body>
    <img src="http://x.example/a.png"><img src="data:image/png;base64,AAAA">
    <img srcset="data:image/png;base64,AA 1x, https://x.example/2x.png 2x">
    <div style="background-image:url('https://x.example/c.png')"></div>
    <iframe src="https://x.example/"></iframe><img src="figure.png">
    <a href="https://www.mof.gov.cn/">财政部</a><svg><use href="#icon"/></svg>
    </body></html>"""
    refs = find_external_refs(doc)
    joined = "\n".join(refs)
    for needle in ("require.min.js", "fonts.example.com", "b.css", "bg.png", "m.js",
                   "a.png", "2x.png", "c.png", "<iframe", "figure.png"):
        assert needle in joined, needle
    # 10 loads; the @import is reported as url() and as @import, the module as import( and URL
    assert len(refs) == 12
    assert "mof.gov.cn" not in joined and "github.com" not in joined and "#icon" not in joined
    assert find_external_refs("<p>学生</p><img src='data:image/png;base64,AA'>") == []


# ------------------------------------------------------------------------ export ------------
_NOTEBOOK_CODE = [
    "from IPython.display import HTML, display\n"
    "import json, sys\n"
    "from perfkit.report import render_results_html, indicator_scores_chart\n"
    "SECRET_CODE_MARKER = 1\n"
    "results = json.loads(RESULTS_JSON)\n"
    "print('stderr noise', file=sys.stderr)",
    "display(HTML(render_results_html(results)))",
    "fig = indicator_scores_chart(results)\nfig",
    "print('本段输出应被移除')",
]


def _notebook(results: dict):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [new_markdown_cell("# 学生营养改善计划绩效自评报告\n\n## 一、基本情况\n\n$x^2$ 保持为文本。"),
                new_code_cell("RESULTS_JSON = " + repr(json.dumps(results, ensure_ascii=False)),
                              metadata={"tags": ["parameters"]})]
    nb.cells += [new_code_cell(src) for src in _NOTEBOOK_CODE]
    nb.cells[-1].metadata["tags"] = ["remove_cell"]
    return nb


def _execute(nb, folder) -> None:
    """Run ``nb`` on the python3 kernel (perfkit importable even when not pip-installed)."""
    from nbclient import NotebookClient

    repo = str(Path(perfkit.__file__).resolve().parents[1])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", os.pathsep.join(
            p for p in (repo, os.environ.get("PYTHONPATH")) if p))
        NotebookClient(nb, kernel_name="python3", timeout=120, resources={
            "metadata": {"path": str(folder)}}).execute()


def _fill_outputs(nb, results: dict) -> None:
    """Give ``nb`` the outputs its execution would give, without a kernel (fast tier)."""
    from perfkit.report.figures import figure_bytes, indicator_scores_chart

    png = base64.b64encode(figure_bytes(indicator_scores_chart(results), dpi=60)).decode()
    code = [c for c in nb.cells if c.cell_type == "code"]
    code[1].outputs = [new_output("stream", name="stderr", text="stderr noise\n")]
    code[2].outputs = [new_output("display_data", data={
        "text/html": render_results_html(results),
        "text/plain": "<IPython.core.display.HTML object>"})]
    code[3].outputs = [new_output("execute_result", execution_count=4, data={
        "image/png": png, "text/plain": "<ReportFigure size 900x478 with 1 Axes>"})]
    code[4].outputs = [new_output("stream", name="stdout", text="本段输出应被移除\n")]


@pytest.fixture(scope="module", params=["built", pytest.param("executed", marks=pytest.mark.slow)])
def executed(request, tmp_path_factory):
    """A tiny report notebook — outputs built with nbformat, or really executed by nbclient on
    the python3 kernel (slow tier) — exported to HTML."""
    folder = tmp_path_factory.mktemp("nb")
    results = sample_results(name=EVIL)
    nb = _notebook(results)
    if request.param == "executed":
        _execute(nb, folder)
    else:
        _fill_outputs(nb, results)
    nb_path = folder / "report.ipynb"
    nbformat.write(nb, nb_path)
    html_path = export_html(nb_path, folder / "report.html")
    text = html_path.read_bytes().decode("utf-8")  # UTF-8 or this fails
    return nb, text, BeautifulSoup(text, "html.parser")


def test_notebook_has_the_outputs_we_expect(executed):
    nb = executed[0]
    kinds = [[o.get("output_type") for o in c.get("outputs", [])] for c in nb.cells
             if c.cell_type == "code"]
    assert kinds[1] == ["stream"] and kinds[2] == ["display_data"]
    assert kinds[3] == ["execute_result"] and kinds[4] == ["stream"]
    assert "image/png" in nb.cells[4].outputs[0]["data"]


def test_export_has_no_code(executed):
    _, text, soup = executed
    assert "SECRET_CODE_MARKER" not in text and "render_results_html(" not in text
    assert "RESULTS_JSON" not in text
    assert soup.select(".jp-InputPrompt, .jp-OutputPrompt, .jp-CodeMirrorEditor, "
                       ".jp-Editor") == []
    assert all("jp-mod-noInput" in c["class"] for c in soup.select(".jp-CodeCell"))
    assert "stderr noise" not in text          # warnings dropped
    assert "本段输出应被移除" not in text        # remove_cell tag honoured


def test_export_is_fully_offline(executed):
    _, text, soup = executed
    assert find_external_refs(text) == []
    # independent check with BeautifulSoup
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for el in soup.find_all(tag):
            value = el.get(attr)
            assert value is None or not re.match(r"\s*(https?:)?//", value), (tag, value)
    for script in soup.find_all("script"):
        assert not re.search(r"https?://", script.get_text()), script.get_text()[:200]
    assert "cdnjs" not in text and "unpkg" not in text and "MathJax.Hub" not in text
    assert "require.min.js" not in text and "mermaid" not in text.lower()
    imgs = soup.find_all("img")
    assert len(imgs) == 1 and imgs[0]["src"].startswith("data:image/png;base64,")
    assert base64.b64decode(imgs[0]["src"].split(",", 1)[1])[:4] == b"\x89PNG"


def test_export_language_charset_font_and_chinese(executed):
    _, text, soup = executed
    assert soup.html["lang"] == "zh-CN"
    assert text.lstrip().startswith("<!DOCTYPE html>")
    assert soup.find("meta", charset=True)["charset"].lower() == "utf-8"
    assert FONT_STACK in text
    faces = re.findall(r"@font-face \{[^}]*\}", text)
    assert len(faces) == 1 and "data:font/woff;base64," in faces[0]
    assert len(faces[0]) < FONT_EMBED_LIMIT
    assert "学生营养改善计划绩效自评报告" in soup.get_text()
    assert "受益学生人数" in soup.get_text() and "$x^2$" in soup.get_text()


def test_export_renders_the_project_name_inert(executed):
    _, text, soup = executed
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
    assert EVIL in soup.get_text()


def _built_notebook(folder, cells):
    nb = new_notebook()
    nb.cells = cells
    path = folder / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_export_options(tmp_path):
    frag = render_results_html(sample_results())
    path = _built_notebook(tmp_path, [
        new_markdown_cell("# 报告"),
        new_code_cell("x", outputs=[new_output("display_data", data={"text/html": frag})]),
        new_code_cell("warn", outputs=[
            new_output("stream", name="stderr", text="UserWarning!\n")])])
    out = export_html(path, tmp_path / "a.html", title="学生营养 <自评>", lang="en",
                      embed_font=False, keep_stderr=True)
    text = out.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.title.get_text() == "学生营养 <自评>" and "<自评>" not in text.split("<body")[0]
    assert "@font-face" not in text and FONT_STACK in text
    assert "UserWarning!" in text
    assert find_external_refs(text) == []


def test_export_refuses_a_report_that_would_load_from_the_web(tmp_path):
    path = _built_notebook(tmp_path, [new_markdown_cell("![logo](https://example.com/logo.png)")])
    with pytest.raises(RunError, match="example.com/logo.png"):
        export_html(path, tmp_path / "b.html", embed_font=False)
    assert not (tmp_path / "b.html").exists()
    with pytest.raises(InputError, match="notebook"):
        export_html(tmp_path / "missing.ipynb", tmp_path / "c.html")


def test_local_markdown_images_are_embedded(tmp_path):
    from perfkit.report.figures import figure_bytes, level1_chart

    (tmp_path / "chart.png").write_bytes(figure_bytes(level1_chart(sample_results()), dpi=40))
    path = _built_notebook(tmp_path, [new_markdown_cell("![图](chart.png)")])
    text = export_html(path, tmp_path / "d.html", embed_font=False).read_text(encoding="utf-8")
    img = BeautifulSoup(text, "html.parser").find("img")
    assert img["src"].startswith("data:image/png;base64,")
