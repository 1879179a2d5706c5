"""Report outlines in the notebook: escaped HTML, figures in place, tables for ``tables.xlsx``.

A report *outline* is the plain dict that :func:`perfkit.report.docx.write_docx` lays out as
``report.docx``::

    {"title": …, "subtitle": …, "meta": [[label, value], …],
     "sections": [{"title": "一、…", "level": 1, "paragraphs": […], "bullets": […],
                   "tables": [{"title", "columns", "rows", "number_format"}],
                   "figures": [{"png": b"…", "caption": "图1 …", "width_cm": 15}],
                   "sections": […]}]}

This module is the one place that shows such an outline in a notebook (hence in ``report.html``)
for every report view (:mod:`~perfkit.report.methods_view`, :mod:`~perfkit.report.cycle_view`):

- :func:`outline_html` — the whole outline as one self-contained HTML fragment;
- :func:`show_outline` — the same displayed in the notebook, figures as PNG images in place;
- :func:`outline_tables` — every table as a DataFrame at full precision (``tables.xlsx``);
- :func:`heading_titles` — every section title, depth first.

The HTML states each table cell exactly as the Word report does (the same cell text from
:func:`~perfkit.report.docx.format_number` and the table's ``number_format``; booleans as 是/否,
missing values as "—"), the blocks come in Word's order (paragraphs, bullets, tables, figures,
then nested sections), and every text — titles, meta, cells, captions — is HTML-escaped.
"""
from __future__ import annotations

import base64
import html as _html
from typing import Any, Iterator, Mapping

from .docx import cell_text, format_number
from .fonts import CSS_FONT_STACK
from .labels import label

__all__ = ["outline_html", "show_outline", "outline_tables", "heading_titles"]

#: how a missing value reads in a cell (as in Word)
_DASH = format_number(None)

_CSS = """<style>
.pk-outline { font-family: %s; color: #212121; line-height: 1.55; max-width: 60em; }
.pk-outline h2.pk-title { text-align: center; margin: 0.2em 0 0.1em; }
.pk-outline p.pk-subtitle { text-align: center; color: #444; margin: 0 0 0.8em; }
.pk-outline h3 { margin: 1.1em 0 0.35em; }
.pk-outline h4 { margin: 0.9em 0 0.3em; }
.pk-outline h5, .pk-outline h6 { margin: 0.7em 0 0.25em; }
.pk-outline p { margin: 0.25em 0 0.45em; }
.pk-outline table { border-collapse: collapse; margin: 0.3em auto 0.9em; font-size: 0.9em; }
.pk-outline th, .pk-outline td { border: 1px solid #9e9e9e; padding: 3px 7px;
  vertical-align: middle; }
.pk-outline th { background: #eef2f7; font-weight: 600; text-align: center; }
.pk-outline td.pk-n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pk-outline td.pk-t { text-align: left; }
.pk-outline caption { caption-side: top; font-weight: 600; text-align: center; padding: 2px 0; }
.pk-outline table.pk-meta th { text-align: left; }
.pk-outline p.pk-cap { text-align: center; color: #444; font-size: 0.9em; margin: 0.2em 0; }
.pk-outline img.pk-fig { display: block; margin: 0.6em auto 0.2em; max-width: 100%%; }
</style>""" % CSS_FONT_STACK


def _e(v: Any) -> str:
    """``v`` as escaped HTML text (None → empty)."""
    return "" if v is None else _html.escape(str(v), quote=True)


def _check_lang(lang: str) -> str:
    label("misc.dash", lang)  # InputError for an unknown language
    return lang


# ============================================================================================
# blocks
# ============================================================================================
def _table_html(t: Mapping, lang: str) -> str:
    """A table of an outline: each cell's text and alignment as in Word."""
    cols = [str(c) for c in t["columns"]]
    nf = t.get("number_format") or {}
    fmts = [nf.get(c) for c in t["columns"]]
    cells = [[cell_text(v, f, lang=lang) for v, f in zip(row, fmts)] for row in t.get("rows") or []]
    numeric = [any(row[j][1] for row in cells if j < len(row)) for j in range(len(cols))]
    body = []
    for row in cells:
        tds = []
        for j, (text, is_num) in enumerate(row):
            # a dash in a numeric column sits where the numbers sit (as in Word)
            right = is_num or (text == _DASH and numeric[j])
            tds.append(f'<td class="{"pk-n" if right else "pk-t"}">{_e(text)}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    cap = f"<caption>{_e(t['title'])}</caption>" if t.get("title") else ""
    head = "<tr>" + "".join(f"<th>{_e(c)}</th>" for c in cols) + "</tr>"
    return f"<table>{cap}<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def _header_html(outline: Mapping, lang: str) -> str:
    parts = [f'<h2 class="pk-title">{_e(outline.get("title"))}</h2>']
    if outline.get("subtitle"):
        parts.append(f'<p class="pk-subtitle">{_e(outline["subtitle"])}</p>')
    meta = outline.get("meta") or []
    if meta:
        rows = "".join(f'<tr><th>{_e(k)}</th><td class="pk-t">{_e(cell_text(v, lang=lang)[0])}'
                       "</td></tr>" for k, v in meta)
        parts.append(f'<table class="pk-meta">{rows}</table>')
    return "".join(parts)


def _caption_html(caption: str) -> str:
    return f'<p class="pk-cap">{_e(caption)}</p>'


def _section_blocks(s: Mapping, lang: str, depth: int = 1) -> Iterator[tuple[str, Any]]:
    """Yield ``("html", text)`` and ``("png", (bytes, caption))`` blocks of a section, in the
    order Word writes them."""
    lvl = int(s.get("level", min(depth, 3)))
    tag = f"h{min(max(lvl, 1) + 2, 6)}"
    buf = [f"<{tag}>{_e(s.get('title'))}</{tag}>"]
    buf += [f"<p>{_e(p)}</p>" for p in s.get("paragraphs") or []]
    if s.get("bullets"):
        buf.append("<ul>" + "".join(f"<li>{_e(b)}</li>" for b in s["bullets"]) + "</ul>")
    buf += [_table_html(t, lang) for t in s.get("tables") or []]
    for f in s.get("figures") or []:
        yield "html", "".join(buf)
        buf = []
        yield "png", (bytes(f["png"]), str(f.get("caption") or ""))
    if buf:
        yield "html", "".join(buf)
    for sub in s.get("sections") or []:
        yield from _section_blocks(sub, lang, depth + 1)


# ============================================================================================
# public
# ============================================================================================
def outline_html(outline: Mapping, *, lang: str = "zh") -> str:
    """The whole outline as one self-contained HTML fragment.

    Parameters
    ----------
    outline : dict
        A report outline (the dict :func:`~perfkit.report.docx.write_docx` takes).
    lang : {"zh", "en"}
        Language of the cell texts the outline does not carry (是/否 …).

    Returns
    -------
    str
        ``<style>`` plus a ``<div class="pk-outline">``: every text escaped, numbers as in Word,
        figures inline as PNG ``data:`` URIs with their captions.
    """
    _check_lang(lang)
    parts = [_CSS, '<div class="pk-outline">', _header_html(outline, lang)]
    for s in outline.get("sections") or []:
        for kind, v in _section_blocks(s, lang):
            if kind == "html":
                parts.append(v)
            else:
                png, cap = v
                parts.append(f'<img class="pk-fig" alt="{_e(cap)}" src="data:image/png;base64,'
                             f'{base64.b64encode(png).decode("ascii")}"/>' + _caption_html(cap))
    parts.append("</div>")
    return "".join(parts)


def show_outline(outline: Mapping, *, lang: str = "zh") -> None:
    """Display a report outline in the notebook (hence in ``report.html``).

    The header, then each section — headings, paragraphs, bullets, escaped tables — as HTML;
    each figure as a PNG image output in its place, its caption under it.
    """
    from IPython.display import HTML, Image, display

    _check_lang(lang)
    buf = [_header_html(outline, lang)]
    css = [_CSS]                                     # the style goes with the first block

    def flush():
        if buf:
            display(HTML("".join(css) + '<div class="pk-outline">' + "".join(buf) + "</div>"))
            buf.clear()
            css.clear()

    for s in outline.get("sections") or []:
        for kind, v in _section_blocks(s, lang):
            if kind == "html":
                buf.append(v)
            else:
                flush()
                png, cap = v
                display(Image(data=png, format="png"))
                buf.append(_caption_html(cap))
    flush()


def outline_tables(outline: Mapping) -> dict:
    """Every table of an outline as a DataFrame at full precision, keyed by its title.

    Tables are taken depth first; a table without a title is ``table<n>``, a repeated title gets
    `` (2)``, `` (3)`` … Cells are the outline's values, unrounded.
    """
    import pandas as pd

    out: dict = {}

    def walk(sections):
        for s in sections or []:
            for t in s.get("tables") or []:
                name = str(t.get("title") or f"table{len(out) + 1}")
                base, k = name, 2
                while name in out:
                    name, k = f"{base} ({k})", k + 1
                out[name] = pd.DataFrame([list(r) for r in t.get("rows") or []],
                                         columns=[str(c) for c in t["columns"]])
            walk(s.get("sections"))

    walk(outline.get("sections"))
    return out


def heading_titles(outline: Mapping) -> list[str]:
    """Every section title of an outline, depth first (for tests and tables of contents)."""
    out: list[str] = []

    def walk(secs):
        for s in secs or []:
            out.append(str(s.get("title")))
            walk(s.get("sections"))

    walk(outline.get("sections"))
    return out
