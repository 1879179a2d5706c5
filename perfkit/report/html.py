"""HTML output: the self-evaluation summary fragment and the offline report export.

* :func:`render_results_html` turns the ``results.json`` dict into an HTML fragment (a notebook
  shows it with ``IPython.display.HTML``). Every string taken from the input is escaped.
* :func:`export_html` converts an executed notebook into ``report.html``: self-contained and fully
  offline — no code cells or prompts, no script/style/image loaded from the network (nbconvert's
  CDN scripts for require.js, MathJax, Mermaid and widgets are blanked by the template
  ``templates/perfkit_offline.html.j2``), images as base64 data URIs, ``<html lang="zh-CN">``,
  UTF-8, and the CJK font stack declared in CSS. By default the bundled Noto Sans SC font is
  embedded as a base64 ``@font-face``, subset to the characters the report uses (typically
  100–400 kB; skipped above :data:`FONT_EMBED_LIMIT`, when the font stack alone is relied on).
  :func:`find_external_refs` checks the result; a report that would reach the network is refused.
"""
from __future__ import annotations

import base64
import html as _html
import io
import re
import threading
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..errors import InputError, RunError
from .fonts import CJK_FAMILY, CSS_FONT_STACK, cjk_font_for_subsetting
from .labels import (localise, awarded_if_differs, flag_message, fmt_num, fmt_pct, grade_label,
                     html_lang, label, runs, value_label)

__all__ = ["export_html", "render_results_html", "find_external_refs", "TEMPLATES_DIR",
           "FONT_EMBED_LIMIT"]

#: folder of perfkit's nbconvert templates
TEMPLATES_DIR = Path(__file__).parent / "templates"
_TEMPLATE_FILE = "perfkit_offline.html.j2"
_FONT_PLACEHOLDER = "<!--perfkit:font-face-->"
#: largest base64 @font-face perfkit embeds in one report (bytes); above it, the CSS font stack
FONT_EMBED_LIMIT = 3_000_000
#: cell tags that remove a whole cell / its input / its outputs from the report
REMOVE_CELL_TAGS = ("remove_cell", "remove-cell")
REMOVE_INPUT_TAGS = ("remove_input", "remove-input")
REMOVE_OUTPUT_TAGS = ("remove_output", "remove-output")


# ============================================================================================
# results → HTML fragment
# ============================================================================================
def _e(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute (None → empty)."""
    return "" if value is None else _html.escape(str(value), quote=True)


_FRAGMENT_CSS = """
.pk-selfeval { font-family: %s; color: #212121; }
.pk-selfeval h3 { margin: 0.4em 0 0.2em; }
.pk-selfeval h4 { margin: 1.1em 0 0.4em; }
.pk-selfeval table { border-collapse: collapse; margin: 0.3em 0 0.8em 0; font-size: 0.92em;
  table-layout: auto; }
.pk-selfeval table th, .pk-selfeval table td { border: 1px solid #bdbdbd; padding: 3px 7px;
  vertical-align: middle; white-space: normal; }
.pk-selfeval table th { background: #eef2f7; font-weight: 600; text-align: center; }
.pk-selfeval table td.pk-n { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.pk-selfeval table td.pk-t { text-align: left; }
.pk-selfeval table tr.pk-na td { color: #9e9e9e; }
.pk-selfeval table td.pk-diff { background: #fff3cd; font-weight: 600; }
.pk-selfeval table.pk-key td.pk-n { font-size: 1.15em; font-weight: 600; }
.pk-selfeval .pk-note { color: #555; font-size: 0.9em; margin: 0.2em 0; }
.pk-selfeval ul.pk-flags li { color: #8a4b00; }
""" % CSS_FONT_STACK


def _row(cells: list[str], tag: str = "td", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<tr{attr}>" + "".join(cells) + "</tr>"


def _th(text: Any, **attrs: Any) -> str:
    extra = "".join(f' {k}="{_e(v)}"' for k, v in attrs.items())
    return f"<th{extra}>{_e(text)}</th>"


def _td(text: Any, cls: str = "pk-t", **attrs: Any) -> str:
    extra = "".join(f' {k}="{_e(v)}"' for k, v in attrs.items()
                    if not (k == "rowspan" and v == 1))
    return f'<td class="{cls}"{extra}>{_e(text)}</td>'


def _num_td(x: Any, digits: int = 2, cls: str = "pk-n") -> str:
    return _td(fmt_num(x, digits), cls)


def _meta_table(r: dict, lang: str) -> str:
    profile = r.get("profile") or {}
    prof = " ".join(str(p) for p in (profile.get("id"), profile.get("version")) if p)
    pairs = [("field.subject_id", r.get("subject_id")), ("field.year", r.get("year")),
             ("field.department", r.get("department")),
             ("field.implementing_unit", r.get("implementing_unit")),
             ("field.budget_type", r.get("budget_type")), ("field.sector", r.get("sector")),
             ("field.profile", prof)]
    cells = []
    for key, value in pairs:
        if value not in (None, ""):
            cells.append(_th(label(key, lang)) + _td(value))
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    return '<table class="pk-meta">' + "".join(_row(c) for c in rows) + "</table>"


def _key_table(r: dict, lang: str) -> str:
    b = r.get("budget") or {}
    heads = [label("footer.total", lang), label("footer.grade", lang),
             label("budget.execution", lang), label("footer.awarded_total", lang)]
    vals = [_num_td(r.get("total")), _td(grade_label(r.get("grade"), lang), "pk-n"),
            _td(fmt_pct(b.get("rate")), "pk-n"), _num_td(r.get("awarded_total"))]
    return ('<table class="pk-key">' + _row([_th(h) for h in heads]) + _row(vals) + "</table>")


def _budget_table(r: dict, lang: str) -> str:
    b = r.get("budget") or {}
    cols = ["budget.initial", "budget.adjusted", "budget.executed", "budget.weight",
            "budget.rate", "budget.score"]
    out = ['<table class="pk-budget">',
           _row([_th(label("budget.source", lang))] + [_th(label(c, lang)) for c in cols])]
    out.append(_row([_td(label("budget.total", lang)), _num_td(b.get("initial")),
                     _num_td(b.get("adjusted")), _num_td(b.get("executed")),
                     _num_td(b.get("weight")), _td(fmt_pct(b.get("rate")), "pk-n"),
                     _num_td(b.get("score"))]))
    for k, s in enumerate(b.get("sources") or []):
        name = str(value_label(s.get("source"), lang))
        if k == 0:
            name = label("budget.of_which", lang) + name
        rate = fmt_pct(s.get("rate"), empty="") if "rate" in s else ""
        out.append(_row([_td(name), _num_td(s.get("initial")), _num_td(s.get("adjusted")),
                         _num_td(s.get("executed")), _td("—", "pk-n"), _td(rate, "pk-n"),
                         _td("—", "pk-n")]))
    out.append("</table>")
    if b.get("explanation"):
        out.append(f'<p class="pk-note">{_e(b.get("explanation"))}</p>')
    return "".join(out)


def _objective_table(r: dict, lang: str) -> str:
    if not (r.get("objective") or r.get("achievement")):
        return ""
    return ('<table class="pk-objective">'
            + _row([_th(label("objective.expected", lang)), _th(label("objective.achieved", lang))])
            + _row([_td(r.get("objective")), _td(r.get("achievement"))]) + "</table>")


def _level1_table(r: dict, lang: str) -> str:
    rows = r.get("level1") or []
    if not rows:
        return ""
    out = ['<table class="pk-level1">',
           _row([_th(label("ind.level1", lang)), _th(label("ind.weight", lang)),
                 _th(label("ind.score", lang))])]
    for x in rows:
        out.append(_row([_td(value_label(x.get("level1"), lang)), _num_td(x.get("weight")),
                         _num_td(x.get("score"))]))
    out.append("</table>")
    return "".join(out)


def _indicator_table(r: dict, lang: str) -> str:
    inds = r.get("indicators") or []
    if not inds:
        return ""
    awarded = [awarded_if_differs(i) for i in inds]
    show_awarded = any(a is not None for a in awarded)
    heads = ["ind.level1", "ind.level2", "ind.level3", "ind.target", "ind.actual", "ind.weight",
             "ind.score"] + (["ind.awarded"] if show_awarded else []) + ["ind.explanation"]
    out = ['<table class="pk-indicators">', _row([_th(label(h, lang)) for h in heads])]
    # rowspans for 一级 and (一级, 二级) runs, as on the official form
    l1_starts, l2_starts = _run_starts([i.get("level1") for i in inds]), _run_starts(
        [(i.get("level1"), i.get("level2")) for i in inds])
    for k, (ind, aw) in enumerate(zip(inds, awarded)):
        na = bool(ind.get("not_applicable"))
        cells = []
        if k in l1_starts:
            cells.append(_td(value_label(ind.get("level1"), lang), rowspan=l1_starts[k]))
        if k in l2_starts:
            cells.append(_td(value_label(ind.get("level2"), lang), rowspan=l2_starts[k]))
        cells += [_td(ind.get("level3")), _td(ind.get("target_text")),
                  _td(ind.get("actual_text")), _num_td(ind.get("weight"))]
        cells.append(_td(label("misc.na", lang), "pk-n") if na else _num_td(ind.get("score")))
        if show_awarded:
            cells.append(_td("", "pk-n") if aw is None else _num_td(aw, cls="pk-n pk-diff"))
        cells.append(_td(ind.get("explanation")))
        out.append(_row(cells, cls="pk-na" if na else ""))
    out.append("</table>")
    return "".join(out)


def _run_starts(values: list) -> dict[int, int]:
    """{row index where a run starts: run length}."""
    starts, k = {}, 0
    for n in runs(values):
        starts[k] = n
        k += n
    return starts


def _flags_list(r: dict, lang: str) -> str:
    flags = r.get("flags") or []
    if not flags:
        return ""
    items = "".join(f"<li>{_e(flag_message(f, lang))}</li>" for f in flags)
    return f'<h4>{_e(label("section.flags", lang))}</h4><ul class="pk-flags">{items}</ul>'


def render_results_html(results: dict, *, lang: str = "zh") -> str:
    """The self-evaluation (单位自评) summary as an HTML fragment.

    Parameters
    ----------
    results : dict
        The ``results.json`` content of a project self-evaluation.
    lang : {"zh", "en"}
        Language of headers and labels (the user's own texts are shown as given).

    Returns
    -------
    str
        A ``<div class="pk-selfeval">`` with: the project header, total score, grade, budget
        execution and self-awarded total; the 项目资金 table; the annual objective; scores per
        一级指标; the indicator table (rule score, the self-awarded score beside it where the two
        differ, the scoring explanation); and the flags. Every string from ``results`` is
        HTML-escaped; numbers are rounded here, for display only.
    """
    if not isinstance(results, dict):
        raise InputError("must be the results dict of a self-evaluation (results.json)",
                         argument="results", value=type(results).__name__)
    label("misc.na", lang)  # validates lang
    r = localise(results, lang)
    title = label("title.self_eval_results", lang)
    parts = [f'<div class="pk-selfeval" lang="{html_lang(lang)}">',
             f"<style>{_FRAGMENT_CSS}</style>",
             f"<h3>{_e(r.get('name'))} — {_e(title)}</h3>",
             _meta_table(r, lang),
             f"<h4>{_e(label('section.summary', lang))}</h4>", _key_table(r, lang),
             f"<h4>{_e(label('section.budget', lang))}</h4>", _budget_table(r, lang)]
    obj = _objective_table(r, lang)
    if obj:
        parts += [f"<h4>{_e(label('section.objective', lang))}</h4>", obj]
    l1 = _level1_table(r, lang)
    if l1:
        parts += [f"<h4>{_e(label('section.level1', lang))}</h4>", l1]
    ind = _indicator_table(r, lang)
    if ind:
        parts += [f"<h4>{_e(label('section.indicators', lang))}</h4>", ind]
    parts += [_flags_list(r, lang), "</div>"]
    return "\n".join(p for p in parts if p)


# ============================================================================================
# offline check
# ============================================================================================
#: attributes through which each tag loads a resource
_LOADING_ATTRS = {
    "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",),
    "frame": ("src",), "embed": ("src",), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "object": ("data",),
    "input": ("src",), "image": ("href", "xlink:href"), "feimage": ("href", "xlink:href"),
    "use": ("href", "xlink:href"), "base": ("href",),
}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.I)
_JS_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s'"`)]*|\bimport\s*\(""")


def _is_inline(url: str) -> bool:
    u = url.strip()
    return u == "" or u.startswith(("data:", "#"))


def _srcset_urls(srcset: str) -> list[str]:
    """The URLs of a ``srcset`` (a URL is a run of non-blanks; data: URIs hold commas)."""
    return [m.group(1).rstrip(",") for m in re.finditer(r"\s*(\S+)(?:\s+[^,]*)?,?", srcset)]


class _RefFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        d = {k.lower(): (v or "") for k, v in attrs}
        for name in _LOADING_ATTRS.get(tag, ()):
            if name in d:
                urls = _srcset_urls(d[name]) if name == "srcset" else [d[name]]
                self.refs += [f"<{tag} {name}={u!r}>" for u in urls if not _is_inline(u)]
        if "style" in d:
            self._css(d["style"], f"<{tag} style>")
        if tag in ("script", "style"):
            self._in = tag

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag.lower() in ("script", "style"):
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self._css(data, "<style>")
        elif self._in == "script":
            self.refs += [f"<script> {m.group(0)!r}" for m in _JS_URL.finditer(data)]

    def _css(self, css: str, where: str) -> None:
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # comments cite URLs harmlessly
        self.refs += [f"{where} url({m.group(2)!r})" for m in _CSS_URL.finditer(css)
                      if not _is_inline(m.group(2))]
        self.refs += [f"{where} @import {m.group(1)!r}" for m in _CSS_IMPORT.finditer(css)]


def find_external_refs(html: str) -> list[str]:
    """Every resource an HTML document would load from outside itself.

    Looks at ``src``/``href``/``srcset``/``data``/``poster`` of loading tags (script, link, img,
    iframe, source, video, audio, object, SVG image/use …), CSS ``url()`` and ``@import`` in
    ``<style>`` and ``style=""``, and URLs or dynamic ``import()`` inside scripts. ``data:`` URIs
    and ``#fragment`` references are inline and allowed; plain ``<a href>`` links are not loads and
    are allowed.

    Returns
    -------
    list of str
        One description per reference found; empty for a self-contained, offline document.
    """
    finder = _RefFinder()
    finder.feed(html)
    finder.close()
    return finder.refs


# ============================================================================================
# notebook → offline HTML
# ============================================================================================
@lru_cache(maxsize=8)
def _font_face(chars: str) -> str:
    """A ``<style>`` with Noto Sans SC subset to ``chars`` (base64 WOFF), or a note if too big."""
    from fontTools import subset

    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = ["kern", "liga", "vert", "vrt2"]
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright and the OFL licence
    opts.hinting = False
    opts.notdef_outline = True
    font = cjk_font_for_subsetting()
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    if len(data) > FONT_EMBED_LIMIT:
        return (f"<!-- perfkit: the {CJK_FAMILY} subset ({len(data)} bytes) exceeds the "
                f"embedding limit; the CSS font stack is used -->")
    return ('<style type="text/css">@font-face { font-family: "%s"; font-style: normal; '
            'font-weight: 400; font-display: swap; src: url(data:font/woff;base64,%s) '
            'format("woff"); }</style>' % (CJK_FAMILY, data))


def _used_chars(doc: str) -> str:
    """Characters of the document that the font could be asked to draw (sorted, unique)."""
    text = re.sub(r"data:[^\"')\s]+", "", doc)  # base64 payloads add nothing
    return "".join(sorted(c for c in set(text) if c.isprintable()))


def _clean_notebook(nb, *, keep_stderr: bool):
    """Drop stderr streams (warnings) unless asked to keep them, then code cells left without
    output (their input is hidden anyway, so they would only leave empty boxes)."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code" and cell.get("outputs") and not keep_stderr:
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    nb.cells = [c for c in nb.cells if c.get("cell_type") != "code" or c.get("outputs")]
    return nb


#: one exporter per process, built on first use (a warm server builds it before forking, so its
#: compiled templates are shared by every report process); nbconvert exporters keep per-call
#: state (filters bound to the notebook being converted), hence the lock
_EXPORTER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _exporter():
    """The HTML exporter of :func:`export_html` (lab template, perfkit's offline template, no
    code, no prompts, images embedded, cells removed by tag)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="lab", template_file=_TEMPLATE_FILE,
        extra_template_paths=[str(TEMPLATES_DIR)], exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True, exclude_anchor_links=True,
        embed_images=True, theme="light")
    exporter.register_preprocessor(TagRemovePreprocessor(
        remove_cell_tags=set(REMOVE_CELL_TAGS), remove_input_tags=set(REMOVE_INPUT_TAGS),
        remove_all_outputs_tags=set(REMOVE_OUTPUT_TAGS), enabled=True), enabled=True)
    return exporter


def export_html(notebook_path: str | Path, html_path: str | Path, *, title: str | None = None,
                lang: str = "zh", embed_font: bool = True, keep_stderr: bool = False) -> Path:
    """Convert an executed notebook into a self-contained, offline HTML report.

    Parameters
    ----------
    notebook_path : str or Path
        The executed ``.ipynb``.
    html_path : str or Path
        Where to write the report (UTF-8). Its folder must exist.
    title : str, optional
        The page ``<title>``; default the notebook's ``metadata.title``, else its file name.
    lang : {"zh", "en"}
        Language tag of the page: ``<html lang="zh-CN">`` (default) or ``"en"``.
    embed_font : bool
        Embed Noto Sans SC, subset to the characters used, as a base64 ``@font-face`` (default).
        If the subset would exceed :data:`FONT_EMBED_LIMIT`, or with ``False``, the report relies
        on the CSS font stack ``"Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif``.
    keep_stderr : bool
        Keep stderr output (warnings) in the report; dropped by default.

    Returns
    -------
    pathlib.Path
        ``html_path``.

    Notes
    -----
    No code cell input and no prompt appears; cells tagged ``remove_cell`` / ``remove_input`` /
    ``remove_output`` (or with hyphens) are removed accordingly. Figures are base64 data URIs;
    local Markdown images are embedded too. Math in Markdown is left as TeX text (MathJax would
    need the network).

    Raises
    ------
    RunError
        If the HTML would still load something from outside itself (see
        :func:`find_external_refs`), e.g. a Markdown image from a web address.
    """
    import nbformat

    notebook_path, html_path = Path(notebook_path), Path(html_path)
    if not notebook_path.is_file():
        raise InputError("notebook not found", argument="notebook_path", value=str(notebook_path))
    nb = nbformat.read(notebook_path, as_version=4)
    nb = _clean_notebook(nb, keep_stderr=keep_stderr)
    if title is not None:
        nb.metadata["title"] = str(title)

    resources = {"metadata": {"name": notebook_path.stem, "path": str(notebook_path.parent)},
                 "perfkit_font_stack": CSS_FONT_STACK}
    with _EXPORTER_LOCK:
        body, _ = _exporter().from_notebook_node(nb, resources=resources)

    face = _font_face(_used_chars(body)) if embed_font else (
        "<!-- perfkit: font not embedded; the CSS font stack is used -->")
    if _FONT_PLACEHOLDER not in body:  # pragma: no cover - template changed
        raise RunError("the perfkit HTML template lost its font placeholder")
    body = body.replace(_FONT_PLACEHOLDER, face, 1)
    # nbconvert accepts only bare ISO 639-1 codes; the report wants the region: zh-CN
    body, n = re.subn(r"<html\b[^>]*>", f'<html lang="{html_lang(lang)}">', body, count=1)
    if n != 1:  # pragma: no cover - template changed
        raise RunError("the perfkit HTML template lost its <html> element")

    refs = find_external_refs(body)
    if refs:
        shown = "; ".join(refs[:5]) + (f"; … and {len(refs) - 5} more" if len(refs) > 5 else "")
        raise RunError(f"{notebook_path.name}: the HTML report would load external resources, "
                       f"which an offline report must not: {shown}")
    html_path.write_text(body, encoding="utf-8")
    return html_path
