"""report.pdf: Chinese text in the embedded font, A4 pages numbered in the footer, figures at
page width, byte-identical output, offline, and a clear error when WeasyPrint/Pango is missing."""
from __future__ import annotations

import base64
import builtins
import io
import re
import sys
import time

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook, new_output

from perfkit.cli import main
from perfkit.errors import InputError, RunError
from perfkit.report import pdf as pdfmod
from perfkit.report.html import export_html, render_results_html
from perfkit.report.labels import fmt_num
from perfkit.report.pdf import (INSTALL_HINT, PdfUnavailableError, export_pdf, pdf_available,
                                pdf_versions, print_css, require_weasyprint)
from tests.report import sample_results

needs_pdf = pytest.mark.skipif(
    not pdf_available(),
    reason="WeasyPrint or Pango is missing here (`make test` installs both: "
           "pip install 'perfkit[pdf]'; apt install libpango-1.0-0 libpangoft2-1.0-0)")

A4 = (595.28, 841.89)          # points
TEXT_WIDTH_PT = (210 - 32) / 25.4 * 72   # A4 width less the 16 mm side margins


def _png(width: int, height: int) -> str:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _reader(path):
    import pypdf
    return pypdf.PdfReader(str(path))


def _texts(path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in _reader(path).pages]


def _fonts(path) -> list[tuple[str, list[str]]]:
    """(BaseFont, font-file keys) of every font of every page."""
    out = []
    for page in _reader(path).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            out.append((str(font["/BaseFont"]), sorted(k for k in desc if k.startswith("/FontFile"))))
    return out


def _image_widths(path) -> list[float]:
    """Width in points of every image drawn, from the content streams' transformation
    matrices."""
    from pypdf.generic import ContentStream

    def mul(m, n):
        a, b, c, d, e, f = m
        a2, b2, c2, d2, e2, f2 = n
        return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
                e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)

    r = _reader(path)
    widths = []
    for page in r.pages:
        ctm, stack = (1, 0, 0, 1, 0, 0), []
        for operands, op in ContentStream(page.get_contents(), r).operations:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                ctm = mul(tuple(float(x) for x in operands), ctm)
            elif op == b"Do":
                widths.append(abs(ctm[0]))
    return widths


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A perfkit report.html (nbconvert export, embedded WOFF font subset) of a self-evaluation
    with a long table and a figure wider than the page, and its PDF."""
    if not pdf_available():
        pytest.skip("WeasyPrint or Pango is missing here")
    folder = tmp_path_factory.mktemp("pdf")
    results = sample_results()
    rows = "".join(f"<tr><td>第{i}行 绩效指标</td><td>{i * 1.5:.2f}</td></tr>" for i in range(90))
    nb = new_notebook()
    nb.cells = [new_markdown_cell("# 学生营养改善计划绩效自评报告\n\n## 一、基本情况"),
                nbformat.v4.new_code_cell("x"), nbformat.v4.new_code_cell("y"),
                nbformat.v4.new_code_cell("z")]
    nb.cells[1].outputs = [new_output("display_data", data={
        "text/html": render_results_html(results), "text/plain": "x"})]
    nb.cells[2].outputs = [new_output("display_data", data={
        "text/html": f"<table><tr><th>名称</th><th>得分</th></tr>{rows}</table>",
        "text/plain": "y"})]
    nb.cells[3].outputs = [new_output("display_data", data={
        "image/png": _png(2400, 600), "text/plain": "z"})]
    nbformat.write(nb, folder / "report.ipynb")
    html = export_html(folder / "report.ipynb", folder / "report.html")
    t0 = time.perf_counter()
    pdf = export_pdf(html, folder / "report.pdf")
    return {"html": html, "pdf": pdf, "results": results, "folder": folder,
            "seconds": time.perf_counter() - t0}


# ------------------------------------------------------------------ content ---------------
@needs_pdf
def test_chinese_text_and_the_numbers_shown_are_in_the_pdf(report):
    text = " ".join(_texts(report["pdf"]))
    assert "学生营养改善计划绩效自评报告" in text
    assert "学生营养改善计划 — 项目支出绩效自评结果" in text
    total = fmt_num(report["results"]["total"], 2)           # as report.html shows it
    assert total == "87.31" and total in report["html"].read_text(encoding="utf-8")
    assert total in text
    assert "第89行 绩效指标" in text and "133.50" in text       # the long table's last row


@needs_pdf
def test_a4_pages_numbered_in_the_footer(report):
    texts = _texts(report["pdf"])
    n = len(texts)
    assert n >= 3
    for i, t in enumerate(texts, start=1):
        assert f"第 {i} 页 / 共 {n} 页" in t
    for page in _reader(report["pdf"]).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx(A4, abs=0.01)


@needs_pdf
def test_only_the_embedded_font_is_used_as_truetype(report):
    fonts = _fonts(report["pdf"])
    assert fonts
    for name, files in fonts:
        # the report's subset and the footer's: no system font (no fallback glyph) anywhere
        assert re.search(r"\+(Noto-Sans-SC|perfkit-pdf-margin)(-Bold)?$", name), name
        assert files == ["/FontFile2"], (name, files)   # TrueType outlines, not CFF


@needs_pdf
def test_figure_is_scaled_to_the_text_width(report):
    widths = _image_widths(report["pdf"])
    assert widths == [pytest.approx(TEXT_WIDTH_PT, abs=0.5)]   # 2400 px would be 1800 pt


@needs_pdf
def test_same_html_gives_the_same_bytes(report, tmp_path, monkeypatch):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86_400)   # a day later
    again = export_pdf(report["html"], tmp_path / "a.pdf").read_bytes()
    assert again == report["pdf"].read_bytes()
    meta = _reader(tmp_path / "a.pdf").metadata
    assert "/CreationDate" not in meta and "/ModDate" not in meta
    assert meta["/Title"] == "report" and meta["/Creator"].startswith("perfkit ")


@needs_pdf
def test_english_footer_and_language_from_the_document(tmp_path):
    export_pdf("<html lang='en'><body><p>Performance 绩效</p></body></html>", tmp_path / "a.pdf")
    assert "Page 1 of 1" in _texts(tmp_path / "a.pdf")[0]
    export_pdf("<html><body><p>Performance</p></body></html>", tmp_path / "b.pdf", lang="en")
    assert "Page 1 of 1" in _texts(tmp_path / "b.pdf")[0]
    export_pdf("<html><body><p>绩效</p></body></html>", tmp_path / "c.pdf")
    assert "第 1 页 / 共 1 页" in _texts(tmp_path / "c.pdf")[0]


@needs_pdf
def test_html_without_embedded_font_gets_the_bundled_one(tmp_path):
    export_pdf("<p>财政支出绩效评价：优</p>", tmp_path / "a.pdf")
    assert "财政支出绩效评价：优" in _texts(tmp_path / "a.pdf")[0]
    assert sorted(name.split("+")[1] for name, _ in _fonts(tmp_path / "a.pdf")) == \
        ["Noto-Sans-SC", "perfkit-pdf-margin"]


@needs_pdf
def test_only_data_urls_are_loaded(tmp_path):
    from PIL import Image
    Image.new("RGB", (20, 20), "red").save(tmp_path / "red.png")
    export_pdf(f"<p>图</p><img src='file://{tmp_path}/red.png'><img src='red.png'>"
               "<img src='http://example.invalid/a.png'>", tmp_path / "out.pdf")
    assert _image_widths(tmp_path / "out.pdf") == []
    export_pdf(f"<p>图</p><img src='data:image/png;base64,{_png(20, 20)}'>", tmp_path / "in.pdf")
    assert len(_image_widths(tmp_path / "in.pdf")) == 1


@needs_pdf
def test_written_atomically_and_failures_leave_the_old_pdf(tmp_path, monkeypatch):
    out = export_pdf("<p>一</p>", tmp_path / "r.pdf")
    before = out.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]
    weasyprint = require_weasyprint()
    monkeypatch.setattr(weasyprint.HTML, "render",
                        lambda self, **kw: (_ for _ in ()).throw(ValueError("boom")))
    with pytest.raises(RunError, match="WeasyPrint failed.*ValueError: boom"):
        export_pdf("<p>二</p>", tmp_path / "r.pdf")
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


@needs_pdf
def test_bad_arguments(tmp_path):
    with pytest.raises(InputError, match="HTML file not found"):
        export_pdf(tmp_path / "missing.html", tmp_path / "a.pdf")
    with pytest.raises(InputError, match="folder of the PDF"):
        export_pdf("<p>x</p>", tmp_path / "no" / "a.pdf")
    with pytest.raises(InputError, match="lang"):
        export_pdf("<p>x</p>", tmp_path / "a.pdf", lang="fr")


def test_print_css_states_the_page():
    css = print_css("zh")
    assert "size: A4" in css and 'counter(page) " 页 / 共 " counter(pages)' in css
    assert "break-inside: avoid" in css and "max-width: 100% !important" in css
    assert '"Page " counter(page) " of " counter(pages)' in print_css("en")


@needs_pdf
def test_versions_are_reported():
    v = pdf_versions()
    assert int(v["weasyprint"].split(".")[0]) >= 68
    assert v["pango"] is None or re.fullmatch(r"1\.\d+\.\d+", v["pango"])


# ------------------------------------------------------- WeasyPrint or Pango missing ------
def _no_weasyprint(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)   # import weasyprint → ImportError


def test_missing_weasyprint_says_how_to_install(monkeypatch):
    _no_weasyprint(monkeypatch)
    with pytest.raises(PdfUnavailableError) as e:
        require_weasyprint()
    msg = str(e.value)
    assert "WeasyPrint is not installed" in msg
    assert "pip install 'perfkit[pdf]'" in msg
    assert "apt install libpango-1.0-0 libpangoft2-1.0-0" in msg
    assert e.value.exit_code == 2
    assert not pdf_available()
    with pytest.raises(PdfUnavailableError):
        export_pdf("<p>x</p>", "unused.pdf")


def test_missing_pango_says_how_to_install(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open "
                          "shared object file: No such file or directory\nmore lines")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(PdfUnavailableError) as e:
        require_weasyprint()
    msg = str(e.value)
    assert "cannot load the Pango libraries (cannot load library 'libpango-1.0-0'" in msg
    assert "more lines" not in msg and INSTALL_HINT in msg


def test_too_old_weasyprint_is_refused(monkeypatch):
    import types
    monkeypatch.setitem(sys.modules, "weasyprint", types.SimpleNamespace(__version__="61.2"))
    with pytest.raises(PdfUnavailableError, match="WeasyPrint 61.2 is too old, perfkit needs 68"):
        require_weasyprint()


def test_cli_without_weasyprint_exits_2_without_traceback(monkeypatch, tmp_path, capsys):
    _no_weasyprint(monkeypatch)
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / "out"))
    monkeypatch.delenv("PERFKIT_DEBUG", raising=False)
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "report.html").write_text("<p>报告</p>", encoding="utf-8")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.yaml").write_text("notebook: project_self_evaluation\n",
                                           encoding="utf-8")
    for argv in (["pdf", str(folder)],
                 ["run", "params/project_self_evaluation.yaml", "--pdf"],
                 ["batch", str(tmp_path / "p"), "--pdf", "--quiet"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("perfkit: error: PDF output is not available"), err
        assert "pip install 'perfkit[pdf]'" in err and "libpangoft2-1.0-0" in err
        assert "Traceback" not in err
    assert not (folder / "report.pdf").exists()
    assert not (tmp_path / "out").exists()     # nothing ran


def test_module_names_what_it_exports():
    assert set(pdfmod.__all__) <= set(dir(pdfmod))
