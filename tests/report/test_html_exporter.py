"""export_html keeps one nbconvert exporter per process: reusing it changes no byte."""
from __future__ import annotations

import base64
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from perfkit.report import html as H
from perfkit.report.html import export_html

# a 1×1 white PNG
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082")).decode("ascii")


def _notebook(path: Path, n: int, *, title: str, lang: str = "python") -> Path:
    cells = [new_markdown_cell(f"# 报告 {n} <small>{title}</small>\n\n- 项目 *{n}*\n- $x^{n}$")]
    for k in range(n):
        cells.append(new_code_cell(f"show({k})", outputs=[
            new_output("display_data", data={"text/html": f"<table><tr><td>指标{k}</td>"
                                                          f"<td>{k * 1.5:.2f}</td></tr></table>",
                                             "text/plain": "t"}),
            new_output("display_data", data={"image/png": PNG, "text/plain": "fig"}),
            new_output("stream", name="stdout", text=f"行 {k}\n")]))
    cells.append(new_code_cell("secret()", outputs=[new_output("stream", name="stdout",
                                                                text="SECRET-OUTPUT")]))
    cells[-1].metadata["tags"] = ["remove_cell"]
    nb = new_notebook(cells=cells)
    nb.metadata["language_info"] = {"name": lang}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def notebooks(tmp_path):
    return [_notebook(tmp_path / f"n{n}.ipynb", n, title=t, lang=lang)
            for n, t, lang in ((1, "甲", "python"), (3, "乙 B", "R"), (2, "丙 <C>", "python"))]


def _fresh(nb: Path, out: Path, **kw) -> str:
    H._exporter.cache_clear()
    export_html(nb, out, **kw)
    return out.read_text(encoding="utf-8")


def test_a_reused_exporter_gives_the_bytes_of_a_fresh_one(notebooks, tmp_path):
    fresh = [_fresh(nb, tmp_path / f"f{i}.html", embed_font=False, title=f"T{i}")
             for i, nb in enumerate(notebooks)]
    H._exporter.cache_clear()
    again = []
    for i, nb in enumerate(notebooks + notebooks[::-1]):
        k = (list(range(len(notebooks))) + list(range(len(notebooks)))[::-1])[i]
        export_html(nb, tmp_path / f"r{i}.html", embed_font=False, title=f"T{k}")
        again.append((k, (tmp_path / f"r{i}.html").read_text(encoding="utf-8")))
    assert H._exporter.cache_info().currsize == 1 and H._exporter.cache_info().hits == 5
    for k, text in again:
        assert text == fresh[k]
    assert "SECRET-OUTPUT" not in fresh[0] and "丙" in fresh[2] and "<title>T1</title>" in fresh[1]


def test_concurrent_exports_give_the_sequential_bytes(notebooks, tmp_path):
    expected = [_fresh(nb, tmp_path / f"s{i}.html", embed_font=False)
                for i, nb in enumerate(notebooks)]
    results: dict[int, str] = {}
    errors = []

    def run(i: int) -> None:
        try:
            out = tmp_path / f"t{i}.html"
            export_html(notebooks[i % 3], out, embed_font=False)
            results[i] = out.read_text(encoding="utf-8")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(results[i] == expected[i % 3] for i in range(6))


def test_used_chars_is_the_sorted_set_of_printable_characters():
    doc = ('<p>绩效 Performance 0.5%\t\n<img src="data:image/png;base64,QUJDWFla">'
           "\x00é€绩</p>")
    text = doc.replace("data:image/png;base64,QUJDWFla", "")
    assert H._used_chars(doc) == "".join(sorted({c for c in text if c.isprintable()}))
    assert "Q" not in H._used_chars(doc) and "\t" not in H._used_chars(doc)
