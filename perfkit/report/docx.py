"""Word reports (report.docx): an outline dict → an official-looking .docx, and template filling.

:func:`write_docx` lays out a report *outline* — a plain dict built by a notebook's outline helper
(e.g. :func:`self_evaluation_outline`) — with python-docx::

    {"title": "妇幼健康服务项目绩效自评报告", "subtitle": "（2024年度）",
     "meta": [["项目编码", "XM00002"], ["主管部门", "区卫生健康委"]],
     "date": "2025-03-31",                       # optional: core properties created/modified
     "context": {"total": "97.22"},              # optional: extra placeholders for a template
     "sections": [
        {"title": "一、项目基本情况", "level": 1,
         "paragraphs": ["…"], "bullets": ["…"],
         "tables": [{"title": "表1 项目资金", "columns": ["资金来源", "执行率"],
                     "rows": [["当年财政拨款", 0.98]], "number_format": {"执行率": "0.0%"}}],
         "figures": [{"png": b"…", "caption": "图1 一级指标得分", "width_cm": 15}],
         "sections": [ {"title": "（一）…", "level": 2, …} ]}]}

Within a section the blocks come in the order paragraphs, bullets, tables, figures, then the
nested sections. Section titles carry their own numbering (一、 / （一）), as official outlines
do: nothing is auto-numbered.

Chinese text. Word picks the font of CJK characters from the *East-Asian* slot of a run's fonts
(``w:rFonts/@w:eastAsia``), which python-docx's ``font.name`` does not set. The Normal style (and
the document defaults) get 宋体 for East-Asian text and Times New Roman for Latin text; the
Title and Heading styles get 黑体; theme-font attributes that would override them are removed;
``w:lang/@w:eastAsia`` is ``zh-CN``. The page is A4 with a centred page number.

Determinism. The same outline gives the same bytes: zip members get a fixed timestamp and the
core properties ``created``/``modified`` are set from ``outline["date"]`` (else the fixed date of
python-docx's template is kept).

Templates. :func:`fill_template` fills a user's own Word file: Jinja-style placeholders
``{{ name }}`` in paragraphs (body, tables, headers, footers) are replaced from a flat context,
even when Word split a placeholder across several runs; the formatting of the run where the
placeholder starts is kept. ``write_docx(outline, path, template=...)`` fills the template from
the outline (``title``, ``subtitle``, ``date``, the ``meta`` pairs by label and ``context``) and
renders the outline's sections where a paragraph holds only ``{{ body }}``.
"""
from __future__ import annotations

import datetime as _dt
import io
import math
import os
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any, Mapping

from ..errors import InputError
from .labels import as_number, flag_message, fmt_num, fmt_pct, grade_label, label, \
    value_label

__all__ = ["write_docx", "fill_template", "outline_context", "self_evaluation_outline",
           "format_number", "cell_text", "FONTS", "BODY_PLACEHOLDER"]

#: fonts per slot: Latin text, East-Asian text
FONTS = {
    "body": {"latin": "Times New Roman", "east_asia": "宋体"},       # SimSun
    "heading": {"latin": "Times New Roman", "east_asia": "黑体"},    # SimHei
}
#: a paragraph holding only this placeholder receives the outline's sections in template mode
BODY_PLACEHOLDER = "body"

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_PLACEHOLDER = re.compile(r"\{\{\s*([^\s{}]+)\s*\}\}")
_DASH = "—"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_NUMERIC_TEXT = re.compile(r"(?=.*\d)[<>≤≥]?\s*[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?")
_SIZES = {"title": 22.0, "subtitle": 16.0, "h1": 16.0, "h2": 14.0, "h3": 12.0, "body": 12.0,
          "table": 10.5, "caption": 10.5}


# ============================================================================================
# fonts and styles
# ============================================================================================
def _set_fonts(rpr_parent, latin: str, east_asia: str, *, lang: str | None = "zh-CN") -> None:
    """Set the Latin and East-Asian font slots on a style's or run's ``w:rPr`` and drop theme
    fonts (``w:asciiTheme`` … take precedence over explicit names in Word)."""
    from docx.oxml.ns import qn

    if hasattr(rpr_parent, "get_or_add_rPr"):
        rpr = rpr_parent.get_or_add_rPr()
    else:  # e.g. w:rPrDefault, which python-docx does not model
        rpr = rpr_parent.find(qn("w:rPr"))
        if rpr is None:
            from docx.oxml import OxmlElement
            rpr = OxmlElement("w:rPr")
            rpr_parent.insert(0, rpr)
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if lang:
        lang_el = rpr.find(qn("w:lang"))
        if lang_el is None:
            lang_el = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang_el)
        lang_el.set(qn("w:eastAsia"), lang)


def _style(doc, name: str, *, kind: str = "paragraph"):
    """A style of the document by name, created (based on Normal) if the template lacks it."""
    from docx.enum.style import WD_STYLE_TYPE

    try:
        return doc.styles[name]
    except KeyError:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH if kind == "paragraph"
                                  else WD_STYLE_TYPE.TABLE)
        if kind == "paragraph":
            st.base_style = doc.styles["Normal"]
            if name.startswith("Heading"):
                st.font.bold = True
        return st


def _setup_styles(doc, lang: str) -> None:
    """Fonts, sizes and colours of the styles a report uses (default-template mode only)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    body, head = FONTS["body"], FONTS["heading"]
    # document defaults (w:docDefaults/w:rPrDefault) — text outside any style uses them
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _set_fonts(rpr_default, body["latin"], body["east_asia"])
    normal = doc.styles["Normal"]
    _set_fonts(normal.element, body["latin"], body["east_asia"])
    normal.font.size = Pt(_SIZES["body"])
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    for name, size, align in (("Title", _SIZES["title"], WD_ALIGN_PARAGRAPH.CENTER),
                              ("Subtitle", _SIZES["subtitle"], WD_ALIGN_PARAGRAPH.CENTER),
                              ("Heading 1", _SIZES["h1"], None),
                              ("Heading 2", _SIZES["h2"], None),
                              ("Heading 3", _SIZES["h3"], None)):
        st = _style(doc, name)
        _set_fonts(st.element, head["latin"], head["east_asia"])
        st.font.size = Pt(size)
        st.font.bold = name != "Subtitle"
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        pf = st.paragraph_format
        pf.space_before = Pt(12 if name.startswith("Heading") else 0)
        pf.space_after = Pt(6)
        if align is not None:
            pf.alignment = align
        # the template's Title has a bottom rule; official reports have none
        ppr = st.element.pPr
        if ppr is not None:
            for bdr in ppr.findall(qn("w:pBdr")):
                ppr.remove(bdr)
    cap = _style(doc, "Caption")
    _set_fonts(cap.element, body["latin"], body["east_asia"])
    cap.font.size = Pt(_SIZES["caption"])
    cap.font.bold = False
    cap.font.color.rgb = RGBColor(0, 0, 0)
    cap.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.space_after = Pt(8)
    if lang == "en":
        for name in ("Normal", "Title", "Heading 1", "Heading 2"):
            lang_el = doc.styles[name].element.rPr.find(qn("w:lang"))
            lang_el.set(qn("w:val"), "en-GB")


def _page_setup(doc) -> None:
    """A4 portrait, Word's Chinese default margins, a centred page number in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    for sec in doc.sections:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.top_margin = sec.bottom_margin = Cm(2.54)
        sec.left_margin = sec.right_margin = Cm(3.18)
        p = sec.footer.paragraphs[0] if sec.footer.paragraphs else sec.footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run()
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                           ("end", None)):
            if kind:
                el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
            elif text == "1":
                el = run._r.makeelement(qn("w:t"), {})
                el.text = text
            else:
                el = run._r.makeelement(qn("w:instrText"),
                                        {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
                el.text = text
            run._r.append(el)


# ============================================================================================
# numbers
# ============================================================================================
def format_number(value: Any, fmt: str | None = None) -> str:
    """A number as a report shows it, from a small Excel-like format.

    Parameters
    ----------
    value : number or None
        None, NaN and infinities give ``"—"``.
    fmt : str, optional
        ``"0"``, ``"0.00"``, ``"#,##0.00"``, ``"0.0%"`` … (decimals = zeros after the point,
        ``,`` groups thousands, a trailing ``%`` multiplies by 100). Default: integers as they
        are, other numbers with two decimals.

    Examples
    --------
    >>> format_number(0.98765, "0.0%"), format_number(1234.5, "#,##0.00"), format_number(3)
    ('98.8%', '1,234.50', '3')
    """
    f = as_number(value)
    if f is None:
        return _DASH
    if fmt is None:
        if isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
            return str(int(value))
        return f"{f:.2f}"
    if not isinstance(fmt, str) or not re.fullmatch(r"(#,##)?0(\.0+)?%?", fmt):
        raise InputError('must be a number format like "0", "0.00", "#,##0.00" or "0.0%"',
                         argument="number_format", value=fmt)
    pct = fmt.endswith("%")
    core = fmt.rstrip("%")
    digits = len(core.split(".")[1]) if "." in core else 0
    if pct:
        f *= 100.0
    text = f"{f:,.{digits}f}" if core.startswith("#,##") else f"{f:.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "").lstrip("-") or 0) == 0:
        text = text[1:]                       # no "-0.00"
    return text + ("%" if pct else "")


def _is_number(v: Any) -> bool:
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, (int, float)):
        return True
    return hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iuf"


def cell_text(v: Any, fmt: str | None = None, *, lang: str = "zh") -> tuple[str, bool]:
    """A table cell as the reports state it (Word here, and the HTML of
    :mod:`perfkit.report.outline`, which must read the same).

    Parameters
    ----------
    v : any
        The cell value: a number, text, a bool, a list or None.
    fmt : str, optional
        The column's number format (see :func:`format_number`).
    lang : {"zh", "en"}, keyword-only
        Language of 是/否 (yes/no) and of the separator of lists.

    Returns
    -------
    tuple of (str, bool)
        The text, and whether it aligns as a number: numbers through :func:`format_number`,
        booleans as 是/否, None and NaN as ``"—"``, lists joined with "；" (zh) or "; ",
        numbers already formatted as text (``"81.5%"``, ``"≥ 90"``) align as numbers.

    Examples
    --------
    >>> cell_text(0.98765, "0.0%"), cell_text(None), cell_text(True, lang="en")
    (('98.8%', True), ('—', False), ('Yes', False))
    """
    if isinstance(v, bool) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "b"):
        return label("misc.yes" if bool(v) else "misc.no", lang), False
    if v is None:
        return _DASH, False
    if _is_number(v):
        return format_number(v, fmt), True
    if isinstance(v, float) and math.isnan(v):
        return _DASH, False
    if isinstance(v, (list, tuple)):
        return "；".join(str(x) for x in v) if lang == "zh" else "; ".join(map(str, v)), False
    text = str(v)
    # numbers already formatted as text (a row of mixed units) align like numbers
    return text, bool(_NUMERIC_TEXT.fullmatch(text.strip()))


# ============================================================================================
# outline checks
# ============================================================================================
def _check_outline(outline: Any) -> None:
    if not isinstance(outline, Mapping):
        raise InputError("must be an outline dict with title and sections", argument="outline",
                         value=type(outline).__name__)
    if not isinstance(outline.get("title"), str) or not outline["title"].strip():
        raise InputError("needs a non-empty 'title'", argument="outline", column="title",
                         value=outline.get("title"))
    meta = outline.get("meta") or []
    if not isinstance(meta, (list, tuple)) or any(
            not isinstance(m, (list, tuple)) or len(m) != 2 for m in meta):
        raise InputError("'meta' must be a list of [label, value] pairs", argument="outline",
                         column="meta")
    _check_sections(outline.get("sections") or [], "sections")


def _check_sections(sections: Any, where: str) -> None:
    if not isinstance(sections, (list, tuple)):
        raise InputError("must be a list of sections", argument="outline", column=where)
    for i, s in enumerate(sections):
        w = f"{where}[{i}]"
        if not isinstance(s, Mapping):
            raise InputError("a section must be a dict", argument="outline", column=w)
        if not isinstance(s.get("title"), str):
            raise InputError("a section needs a 'title' (text)", argument="outline",
                             column=f"{w}.title", value=s.get("title"))
        if s.get("level", 1) not in (1, 2, 3):
            raise InputError("'level' must be 1, 2 or 3", argument="outline",
                             column=f"{w}.level", value=s.get("level"))
        for key in ("paragraphs", "bullets"):
            items = s.get(key) or []
            if not isinstance(items, (list, tuple)) or not all(isinstance(t, str) for t in items):
                raise InputError(f"'{key}' must be a list of text", argument="outline",
                                 column=f"{w}.{key}")
        for j, t in enumerate(s.get("tables") or []):
            tw = f"{w}.tables[{j}]"
            cols = t.get("columns") if isinstance(t, Mapping) else None
            if not isinstance(cols, (list, tuple)) or not cols:
                raise InputError("a table needs a non-empty 'columns' list", argument="outline",
                                 column=f"{tw}.columns")
            for k, row in enumerate(t.get("rows") or []):
                if not isinstance(row, (list, tuple)) or len(row) != len(cols):
                    raise InputError(f"each row needs {len(cols)} cells (one per column)",
                                     argument="outline", column=f"{tw}.rows[{k}]",
                                     value=None if not isinstance(row, (list, tuple))
                                     else len(row))
            nf = t.get("number_format") or {}
            unknown = [c for c in nf if c not in cols]
            if unknown:
                raise InputError("number_format names columns the table does not have",
                                 argument="outline", column=f"{tw}.number_format",
                                 value=unknown)
            for f in nf.values():
                format_number(1.0, f)  # validates the format
        for j, f in enumerate(s.get("figures") or []):
            fw = f"{w}.figures[{j}]"
            png = f.get("png") if isinstance(f, Mapping) else None
            if not isinstance(png, (bytes, bytearray)) or bytes(png[:8]) != _PNG_MAGIC:
                raise InputError("a figure needs 'png': the bytes of a PNG image",
                                 argument="outline", column=f"{fw}.png")
            wcm = f.get("width_cm", 15.0)
            if as_number(wcm) is None or not 1.0 <= float(wcm) <= 30.0:
                raise InputError("'width_cm' must be a number between 1 and 30",
                                 argument="outline", column=f"{fw}.width_cm", value=wcm)
        _check_sections(s.get("sections") or [], f"{w}.sections")


# ============================================================================================
# rendering
# ============================================================================================
class _Renderer:
    def __init__(self, doc, lang: str):
        self.doc, self.lang = doc, lang

    # -- blocks ---------------------------------------------------------------------------
    def paragraph(self, text: str, *, indent: bool = True):
        from docx.shared import Pt

        p = self.doc.add_paragraph(text, style=_style(self.doc, "Normal"))
        if indent and self.lang == "zh":
            p.paragraph_format.first_line_indent = Pt(2 * _SIZES["body"])  # 首行缩进两字符
        p.paragraph_format.space_after = Pt(3)
        return p

    def bullet(self, text: str):
        try:
            st = self.doc.styles["List Bullet"]
        except KeyError:
            return self.paragraph("• " + text, indent=False)
        return self.doc.add_paragraph(text, style=st)

    def heading(self, text: str, level: int):
        return self.doc.add_paragraph(text, style=_style(self.doc, f"Heading {level}"))

    def caption(self, text: str):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph(text, style=_style(self.doc, "Caption"))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    def table(self, spec: Mapping) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Pt

        cols = [str(c) for c in spec["columns"]]
        rows = list(spec.get("rows") or [])
        nf = dict(spec.get("number_format") or {})
        fmts = [nf.get(c) for c in spec["columns"]]
        if spec.get("title"):
            t = self.caption(str(spec["title"]))
            t.paragraph_format.keep_with_next = True
            t.paragraph_format.space_before = Pt(6)
            t.paragraph_format.space_after = Pt(3)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(cols))
        try:
            table.style = self.doc.styles["Table Grid"]
        except KeyError:
            pass
        _grid_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        size = Pt(_SIZES["table"])
        trs = table.rows
        # header row: bold, centred, repeated on each page
        head = trs[0]
        trpr = head._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
        for cell, text in zip(head.cells, cols):
            self._cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
        numeric_col = [False] * len(cols)
        for r, row in zip(trs[1:], rows):
            for j, (cell, v) in enumerate(zip(r.cells, row)):
                text, is_num = cell_text(v, fmts[j], lang=self.lang)
                numeric_col[j] |= is_num
                self._cell(cell, text, bold=False, size=size,
                           align=WD_ALIGN_PARAGRAPH.RIGHT if is_num else WD_ALIGN_PARAGRAPH.LEFT)
        # a dash in a numeric column sits where the numbers sit
        for r in trs[1:]:
            for j, cell in enumerate(r.cells):
                if numeric_col[j] and cell.text == _DASH:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        gap = self.doc.add_paragraph(style=_style(self.doc, "Normal"))
        gap.paragraph_format.space_after = Pt(3)

    def _cell(self, cell, text: str, *, bold: bool, align, size) -> None:
        p = cell.paragraphs[0]
        p.alignment = align
        p.paragraph_format.first_line_indent = None
        run = p.add_run(text)
        run.font.size = size
        if bold:
            run.font.bold = True

    def figure(self, spec: Mapping) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        p = self.doc.add_paragraph(style=_style(self.doc, "Normal"))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.add_run().add_picture(io.BytesIO(bytes(spec["png"])),
                                width=Cm(float(spec.get("width_cm", 15.0))))
        if spec.get("caption"):
            self.caption(str(spec["caption"]))

    # -- outline --------------------------------------------------------------------------
    def header(self, outline: Mapping) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        self.doc.add_paragraph(outline["title"], style=_style(self.doc, "Title"))
        if outline.get("subtitle"):
            self.doc.add_paragraph(str(outline["subtitle"]), style=_style(self.doc, "Subtitle"))
        meta = [(str(k), v) for k, v in (outline.get("meta") or [])]
        if meta:
            table = self.doc.add_table(rows=len(meta), cols=2)
            try:
                table.style = self.doc.styles["Table Grid"]
            except KeyError:
                pass
            _grid_borders(table)
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, (k, v) in zip(table.rows, meta):
                text, is_num = cell_text(v, None, lang=self.lang)
                self._cell(r.cells[0], k, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT,
                           size=Pt(_SIZES["table"]))
                self._cell(r.cells[1], text, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT,
                           size=Pt(_SIZES["table"]))
            self.doc.add_paragraph(style=_style(self.doc, "Normal"))

    def sections(self, sections, depth: int = 1) -> None:
        for s in sections:
            self.heading(s["title"], int(s.get("level", min(depth, 3))))
            for text in s.get("paragraphs") or []:
                self.paragraph(text)
            for text in s.get("bullets") or []:
                self.bullet(text)
            for t in s.get("tables") or []:
                self.table(t)
            for f in s.get("figures") or []:
                self.figure(f)
            self.sections(s.get("sections") or [], depth + 1)


def _grid_borders(table) -> None:
    """Single black borders on every cell edge, whatever table styles a template defines."""
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    old = tblpr.find(qn("w:tblBorders"))
    if old is not None:
        tblpr.remove(old)
    borders = tblpr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {
            qn("w:val"): "single", qn("w:sz"): "4", qn("w:space"): "0",
            qn("w:color"): "000000"}))
    # schema order of w:tblPr: … tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook …
    later = [tblpr.find(qn(f"w:{t}")) for t in ("shd", "tblLayout", "tblCellMar", "tblLook",
                                                "tblCaption", "tblDescription")]
    later = [el for el in later if el is not None]
    if later:
        min(later, key=lambda el: tblpr.index(el)).addprevious(borders)
    else:
        tblpr.append(borders)


def _core_properties(doc, outline: Mapping, lang: str) -> None:
    cp = doc.core_properties
    cp.title = str(outline["title"])
    cp.subject = str(outline.get("subtitle") or "")
    cp.author = "perfkit"
    cp.last_modified_by = "perfkit"
    cp.comments = ""
    cp.keywords = ""
    cp.revision = 1
    cp.language = "zh-CN" if lang == "zh" else "en"
    when = outline.get("date")
    if when is not None:
        d = _as_datetime(when)
        cp.created = cp.modified = d


def _as_datetime(value: Any) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        d = value
    elif isinstance(value, _dt.date):
        d = _dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            d = _dt.datetime.fromisoformat(value)
        except ValueError:
            raise InputError("'date' must be an ISO date such as 2025-03-31", argument="outline",
                             column="date", value=value) from None
    elif isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 9999:
        d = _dt.datetime(value, 12, 31)
    else:
        raise InputError("'date' must be an ISO date such as 2025-03-31", argument="outline",
                         column="date", value=value)
    if d.tzinfo is None:
        d = d.replace(tzinfo=_dt.timezone.utc)
    return d


def _save_deterministic(doc, path: Path) -> Path:
    """Save with every zip member stamped 1980-01-01 (python-docx stamps the current time), via
    a temporary file moved into place."""
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, zin.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_bytes(out.getvalue())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _check_lang(lang: str) -> None:
    label("misc.dash", lang)   # raises InputError for an unsupported language


def write_docx(outline: dict, path: str | Path, *, lang: str = "zh",
               template: str | Path | None = None) -> Path:
    """Write a report outline as a Word document (report.docx).

    Parameters
    ----------
    outline : dict
        ``title``, optional ``subtitle``, ``meta`` ([label, value] pairs shown as a table under
        the title), ``date`` (ISO date: the document's created/modified time), ``context``
        (extra template placeholders) and ``sections`` (see the module docstring).
    path : str or Path
        The ``.docx`` file to write (replaced atomically).
    lang : {"zh", "en"}
        Language of the few words the writer adds (是/否) and of the document's language tags.
    template : str or Path, optional
        A user's Word file to fill instead of perfkit's layout: its ``{{ placeholders }}`` are
        filled from the outline (see :func:`outline_context`) and the outline's sections are
        rendered where a paragraph holds only ``{{ body }}``. The template's own styles apply.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InputError
        A malformed outline (naming the part, e.g. ``sections[2].tables[0].rows[3]``), an
        unknown language, a missing template or a template placeholder with no value.
    """
    import docx

    _check_lang(lang)
    _check_outline(outline)
    path = Path(path)
    if template is not None:
        doc = _open_template(template)
        ctx = outline_context(outline)
        _fill(doc, ctx, template=str(template), body=True)
        body_p = _find_body_placeholder(doc)
        if body_p is not None:
            _render_at(doc, body_p, outline, lang)
    else:
        doc = docx.Document()
        _setup_styles(doc, lang)
        _page_setup(doc)
        r = _Renderer(doc, lang)
        r.header(outline)
        r.sections(outline.get("sections") or [])
    _core_properties(doc, outline, lang)
    return _save_deterministic(doc, path)


# ============================================================================================
# templates
# ============================================================================================
def outline_context(outline: Mapping) -> dict:
    """The flat placeholder context of an outline: ``title``, ``subtitle``, ``date``, every
    ``meta`` pair under its label (``{{ 项目名称 }}``), then ``outline["context"]``."""
    ctx: dict[str, Any] = {"title": outline.get("title"), "subtitle": outline.get("subtitle"),
                           "date": outline.get("date")}
    for k, v in outline.get("meta") or []:
        ctx[str(k)] = v
    ctx.update(outline.get("context") or {})
    return ctx


def _open_template(template: str | Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    p = Path(template)
    if not p.is_file():
        raise InputError("Word template not found", file=str(p), argument="template")
    try:
        return docx.Document(str(p))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(f"not a Word .docx file ({type(e).__name__})", file=str(p),
                         argument="template") from None


def _text_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "f"):
        return fmt_num(v, 2, empty=_DASH)
    return str(v)


def _parts(doc):
    """Every XML part whose paragraphs may hold placeholders: body, headers, footers."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    yield doc.element.body
    seen = set()
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            part = rel.target_part
            if id(part) not in seen:
                seen.add(id(part))
                yield part.element


def _paragraph_texts(p_el):
    """The ``w:t`` elements of a paragraph's runs, in order (runs in hyperlinks, insertions and
    smart tags included; nested text boxes are paragraphs of their own)."""
    from docx.oxml.ns import qn

    return [t for t in p_el.xpath("./w:r/w:t | ./w:hyperlink/w:r/w:t | ./w:ins/w:r/w:t"
                                  " | ./w:smartTag/w:r/w:t | ./w:fldSimple/w:r/w:t")
            if t.tag == qn("w:t")]


def _replace_in_paragraph(p_el, ctx: Mapping, missing: set, skip_body: bool) -> int:
    """Replace the placeholders of one paragraph across its runs; return how many."""
    ts = _paragraph_texts(p_el)
    if not ts:
        return 0
    texts = [t.text or "" for t in ts]
    full = "".join(texts)
    if "{{" not in full:
        return 0
    matches = list(_PLACEHOLDER.finditer(full))
    if skip_body and len(matches) == 1 and full.strip() == matches[0].group(0) \
            and matches[0].group(1) == BODY_PLACEHOLDER:
        return 0
    n = 0
    for m in reversed(matches):
        name = m.group(1)
        if name not in ctx:
            missing.add(name)
            continue
        value = _text_value(ctx[name])
        start, end = m.span()
        # map [start, end) onto the w:t elements
        pos = 0
        first = True
        for k, t in enumerate(ts):
            a, b = pos, pos + len(texts[k])
            pos = b
            if b <= start or a >= end:
                continue
            lo, hi = max(start, a) - a, min(end, b) - a
            s = texts[k]
            texts[k] = s[:lo] + (value if first else "") + s[hi:]
            first = False
        for t, s in zip(ts, texts):
            if t.text != s:
                t.text = s
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        n += 1
        full = "".join(texts)
    return n


def _fill(doc, context: Mapping, *, template: str, body: bool) -> int:
    from docx.oxml.ns import qn

    ctx = {str(k): v for k, v in context.items()}
    missing: set[str] = set()
    n = 0
    for root in _parts(doc):
        for p in root.iter(qn("w:p")):
            n += _replace_in_paragraph(p, ctx, missing, skip_body=body)
    if missing:
        raise InputError(f"the template has placeholders with no value: "
                         f"{', '.join(sorted(missing))}; available: "
                         f"{', '.join(sorted(ctx)) or 'none'}", file=template,
                         argument="context", value=sorted(missing))
    return n


def _find_body_placeholder(doc):
    from docx.oxml.ns import qn

    for p in doc.element.body.iter(qn("w:p")):
        full = "".join(t.text or "" for t in _paragraph_texts(p)).strip()
        m = _PLACEHOLDER.fullmatch(full)
        if m and m.group(1) == BODY_PLACEHOLDER:
            return p
    return None


def _render_at(doc, anchor, outline: Mapping, lang: str) -> None:
    """Render the outline's sections at the place of the paragraph ``anchor`` (removed)."""
    body = doc.element.body
    kept = list(body)               # holding the proxies keeps their ids unique and stable
    before = set(map(id, kept))
    _Renderer(doc, lang).sections(outline.get("sections") or [])
    new = [el for el in body if id(el) not in before]
    for el in new:
        anchor.addprevious(el)
    anchor.getparent().remove(anchor)


def fill_template(template: str | Path, context: Mapping[str, Any], path: str | Path) -> Path:
    """Fill the ``{{ placeholders }}`` of a Word template from a flat context.

    Parameters
    ----------
    template : str or Path
        A ``.docx`` file (the user's own layout, styles, letterhead …).
    context : mapping name → value
        Values are written as text: numbers with two decimals (format them beforehand for
        anything else), None as empty text.
    path : str or Path
        The filled ``.docx`` to write.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        The template is missing or not a .docx, or it holds a placeholder that ``context`` does
        not define (all such names are listed).

    Notes
    -----
    A placeholder is ``{{ name }}`` (spaces optional); ``name`` is any run of non-space
    characters without braces, so ``{{ 总分 }}`` works. Word often splits typed text into
    several runs (spell-check marks, edits, formatting); the replacement works on the
    paragraph's text across runs and writes the value into the run where the placeholder
    starts, keeping that run's formatting. Paragraphs in tables, headers and footers are filled
    too. The output is deterministic (fixed zip timestamps).
    """
    if not isinstance(context, Mapping):
        raise InputError("must be a mapping of placeholder name → value", argument="context",
                         value=type(context).__name__)
    doc = _open_template(template)
    _fill(doc, context, template=str(template), body=False)
    return _save_deterministic(doc, Path(path))


# ============================================================================================
# the project self-evaluation report (单位自评报告)
# ============================================================================================
_SE = {
    "title": {"zh": "{name}绩效自评报告", "en": "{name}: performance self-evaluation report"},
    "subtitle": {"zh": "（{year}年度）", "en": "(Fiscal year {year})"},
    "s1": {"zh": "一、项目基本情况", "en": "1. Project overview"},
    "s2": {"zh": "二、绩效目标及完成情况", "en": "2. Performance objectives and achievement"},
    "s3": {"zh": "三、预算执行情况", "en": "3. Budget execution"},
    "s4": {"zh": "四、绩效指标完成情况", "en": "4. Performance indicators"},
    "s5": {"zh": "五、自评结论", "en": "5. Self-evaluation conclusion"},
    "s6": {"zh": "六、存在问题及改进措施", "en": "6. Problems and improvement measures"},
    "s7": {"zh": "七、其他需要说明的问题", "en": "7. Other matters"},
    "s2_1": {"zh": "（一）年度总体目标", "en": "(1) Annual overall objective"},
    "s2_2": {"zh": "（二）实际完成情况", "en": "(2) Actual achievement"},
    "s6_1": {"zh": "（一）存在问题", "en": "(1) Problems"},
    "s6_2": {"zh": "（二）改进措施", "en": "(2) Improvement measures"},
    "overview": {
        "zh": "{name}（项目编码{id}）由{department}主管、{unit}实施，预算类型为{budget_type}，"
              "所属行业领域为{sector}。",
        "en": "{name} (code {id}) is supervised by {department} and implemented by {unit}; "
              "budget type: {budget_type}; sector: {sector}."},
    "overview_funds": {
        "zh": "{year}年度项目年初预算数{initial}万元，全年预算数{adjusted}万元，"
              "全年执行数{executed}万元。",
        "en": "In {year} the initial budget was {initial}, the full-year budget {adjusted} and "
              "the full-year execution {executed} (CNY 10,000)."},
    "modes": {"zh": "资金使用方式：{modes}。", "en": "Funding modes: {modes}."},
    "no_text": {"zh": "（未填报）", "en": "(not reported)"},
    "execution": {
        "zh": "全年预算数{adjusted}万元，全年执行数{executed}万元，预算执行率{rate}，"
              "按分值{weight}分计得{score}分。",
        "en": "Full-year budget {adjusted}, executed {executed} (CNY 10,000): execution rate "
              "{rate}, scoring {score} of {weight} points."},
    "execution_low": {"zh": "预算执行率低于90%，执行情况说明：{note}",
                      "en": "Execution is below 90%; explanation: {note}"},
    "execution_low_missing": {"zh": "预算执行率低于90%，未填报执行率偏低的原因说明。",
                              "en": "Execution is below 90% and no explanation was given."},
    "table_funds": {"zh": "表1 项目资金情况（万元）", "en": "Table 1 Project funds (CNY 10,000)"},
    "table_level1": {"zh": "表2 一级指标得分", "en": "Table 2 Scores by first-level indicator"},
    "table_ind": {"zh": "表3 绩效指标完成情况", "en": "Table 3 Performance indicators"},
    "fig_level1": {"zh": "图1 一级指标得分", "en": "Figure 1 Scores by first-level indicator"},
    "indicators_intro": {
        "zh": "项目共设置绩效指标{n}项（不含预算执行率），其中达到年度指标值{met}项，"
              "未达到{missed}项{na}。",
        "en": "The project has {n} performance indicators (besides budget execution): {met} met "
              "the annual target and {missed} did not{na}."},
    "na_part": {"zh": "，不适用{k}项", "en": "; {k} not applicable"},
    "conclusion": {
        "zh": "经自评，{name}{year}年度绩效自评总分为{total}分，评价等级为“{grade}”。"
              "其中预算执行率得分{exec}分，{parts}。",
        "en": "The self-evaluation gives {name} a total of {total} points for {year}, grade "
              "{grade}: budget execution {exec} points, {parts}."},
    "part": {"zh": "{level1}得分{score}分（分值{weight}分）",
             "en": "{level1} {score} of {weight} points"},
    "awarded": {
        "zh": "单位自评得分合计{awarded}分，与按评分规则计算的总分相差{diff}分。",
        "en": "The unit's own scores add up to {awarded} points, {diff} points from the rule "
              "total."},
    "rescaled": {"zh": "部分指标不适用，总分已按适用分值{w}分折算为百分制。",
                 "en": "Some indicators do not apply; the total is rescaled from {w} applicable "
                       "points to 100."},
    "missed": {"zh": "“{level3}”未达到年度指标值（指标值{target}，实际完成{actual}），"
                     "得分{score}分（分值{weight}分）。",
               "en": "“{level3}” missed its annual target (target {target}, actual {actual}): "
                     "{score} of {weight} points."},
    "reason": {"zh": "偏差原因及改进措施：{text}", "en": "Reason and measures: {text}"},
    "no_problems": {"zh": "各项绩效指标均达到年度指标值，未发现明显问题。",
                    "en": "Every indicator met its annual target; no significant problem found."},
    "default_measures": {
        "zh": "针对未完成的指标分析原因，科学合理设置下一年度绩效目标，加强项目执行过程监控。",
        "en": "Analyse the causes of the missed targets, set next year's targets realistically "
              "and monitor implementation more closely."},
    "rules_note": {
        "zh": "评分规则：{profile}（{hash}）。得分按全精度计算，报告中的数字四舍五入显示；"
              "评价等级按未取整的总分判定。",
        "en": "Rules: {profile} ({hash}). Scores are computed at full precision and rounded "
              "for display only; the grade uses the unrounded total."},
    "flags_intro": {"zh": "评分时发现以下需要关注的情况：", "en": "Scoring raised these flags:"},
    "none": {"zh": "无。", "en": "None."},
    "meta_grade": {"zh": "评价等级", "en": "Grade"},
}


def _t(key: str, lang: str, **kw) -> str:
    text = _SE[key][lang]
    return text.format(**kw) if kw else text


def _or(value: Any, lang: str) -> str:
    return _t("no_text", lang) if value in (None, "") else str(value)


def _with_unit(text: Any, unit: Any) -> str:
    """``81.5`` + ``%`` → ``81.5%``: a bare number gets its unit; other texts stay as given."""
    t = "" if text is None else str(text)
    if unit and re.fullmatch(r"-?\d+(\.\d+)?", t.strip()):
        return t.strip() + str(unit)
    return t


def self_evaluation_outline(results: dict, *, lang: str = "zh", figures: bool = True) -> dict:
    """The outline of a project's self-evaluation report (项目支出绩效自评报告) for
    :func:`write_docx`.

    Parameters
    ----------
    results : dict
        The ``results.json`` content of a project self-evaluation
        (:meth:`perfkit.scoring.self_eval.ProjectSelfEvaluation.to_dict`).
    lang : {"zh", "en"}
    figures : bool, keyword-only
        Embed the first-level score chart (:func:`perfkit.report.figures.level1_chart`).

    Returns
    -------
    dict
        Sections 一、项目基本情况 / 二、绩效目标及完成情况 / 三、预算执行情况 /
        四、绩效指标完成情况 (tables) / 五、自评结论 (total, grade) / 六、存在问题及改进措施 /
        七、其他需要说明的问题; numbers are stated as the HTML report rounds them.
    """
    _check_lang(lang)
    if not isinstance(results, dict) or "indicators" not in results:
        raise InputError("must be the results dict of a project self-evaluation (results.json)",
                         argument="results", value=type(results).__name__)
    from .labels import localise

    r = localise(results, lang)
    b = r.get("budget") or {}
    name = str(r.get("name") or r.get("subject_id") or "")
    year = r.get("year")
    grade = grade_label(r.get("grade"), lang)
    inds = list(r.get("indicators") or [])

    # 一、项目基本情况
    s1 = [_t("overview", lang, name=name, id=r.get("subject_id"),
             department=_or(r.get("department"), lang),
             unit=_or(r.get("implementing_unit"), lang),
             budget_type=_or(r.get("budget_type"), lang), sector=_or(r.get("sector"), lang)),
          _t("overview_funds", lang, year=year, initial=fmt_num(b.get("initial")),
             adjusted=fmt_num(b.get("adjusted")), executed=fmt_num(b.get("executed")))]
    modes = r.get("funding_modes") or []
    if modes:
        s1.append(_t("modes", lang, modes=("、" if lang == "zh" else ", ").join(map(str, modes))))

    # 三、预算执行情况
    rate = as_number(b.get("rate"))
    s3 = [_t("execution", lang, adjusted=fmt_num(b.get("adjusted")),
             executed=fmt_num(b.get("executed")), rate=fmt_pct(b.get("rate")),
             weight=fmt_num(b.get("weight")), score=fmt_num(b.get("score")))]
    if rate is not None and rate < 0.9:
        s3.append(_t("execution_low", lang, note=r["execution_note"]) if r.get("execution_note")
                  else _t("execution_low_missing", lang))
    fund_cols = [label("budget.source", lang), label("budget.initial", lang),
                 label("budget.adjusted", lang), label("budget.executed", lang),
                 label("budget.rate", lang)]
    fund_rows = [[label("budget.total", lang), as_number(b.get("initial")),
                  as_number(b.get("adjusted")), as_number(b.get("executed")), rate]]
    for k, s in enumerate(b.get("sources") or []):
        src = str(value_label(s.get("source"), lang))
        adj, exe = as_number(s.get("adjusted")), as_number(s.get("executed"))
        fund_rows.append([(label("budget.of_which", lang) if k == 0 else "") + src,
                          as_number(s.get("initial")), adj, exe,
                          exe / adj if adj and exe is not None else None])
    fmt2 = {c: "0.00" for c in fund_cols[1:4]}

    # 四、绩效指标完成情况
    applicable = [i for i in inds if not i.get("not_applicable")]
    met = [i for i in applicable if as_number(i.get("fraction")) is not None
           and as_number(i.get("fraction")) >= 1 - 1e-12]
    missed = [i for i in applicable if i not in met]
    n_na = len(inds) - len(applicable)
    s4 = [_t("indicators_intro", lang, n=len(inds), met=len(met), missed=len(missed),
             na=_t("na_part", lang, k=n_na) if n_na else "")]
    l1_cols = [label("ind.level1", lang), label("ind.weight", lang), label("ind.score", lang)]
    l1_rows = [[label("budget.execution", lang), as_number(b.get("weight")),
                as_number(b.get("score"))]]
    l1_rows += [[str(value_label(x.get("level1"), lang)), as_number(x.get("weight")),
                 as_number(x.get("score"))] for x in r.get("level1") or []]
    l1_rows.append([label("footer.total", lang), as_number(r.get("applicable_weight")),
                    as_number(r.get("total"))])
    ind_cols = [label(k, lang) for k in ("ind.level1", "ind.level2", "ind.level3", "ind.target",
                                         "ind.actual", "ind.weight", "ind.score",
                                         "ind.deviation_reason")]
    ind_rows = []
    for i in inds:
        na = bool(i.get("not_applicable"))
        ind_rows.append([str(value_label(i.get("level1"), lang)),
                         str(value_label(i.get("level2"), lang)), i.get("level3"),
                         i.get("target_text"), i.get("actual_text"), as_number(i.get("weight")),
                         label("misc.na", lang) if na else as_number(i.get("score")),
                         i.get("deviation_reason") or ""])
    s4_figs = []
    if figures and r.get("level1"):
        from .figures import figure_bytes, level1_chart
        s4_figs.append({"png": figure_bytes(level1_chart(results, lang=lang), dpi=150),
                        "caption": _t("fig_level1", lang), "width_cm": 15.0})

    # 五、自评结论
    parts = ("，" if lang == "zh" else ", ").join(
        _t("part", lang, level1=value_label(x.get("level1"), lang),
           score=fmt_num(x.get("score")), weight=fmt_num(x.get("weight")))
        for x in r.get("level1") or [])
    s5 = [_t("conclusion", lang, name=name, year=year, total=fmt_num(r.get("total")),
             grade=grade, exec=fmt_num(b.get("score")), parts=parts)]
    aw, tot = as_number(r.get("awarded_total")), as_number(r.get("total"))
    if aw is not None and tot is not None and round(aw - tot, 2) != 0:
        s5.append(_t("awarded", lang, awarded=fmt_num(aw), diff=fmt_num(aw - tot)))
    w_app = as_number(r.get("applicable_weight"))
    if w_app is not None and abs(w_app - 100.0) > 1e-9:
        s5.append(_t("rescaled", lang, w=fmt_num(w_app)))

    # 六、存在问题及改进措施
    problems, measures = [], []
    if r.get("problems"):
        problems.append(str(r["problems"]))
    for i in missed:
        problems.append(_t("missed", lang, level3=i.get("level3"),
                           target=_with_unit(i.get("target_text"), i.get("unit")),
                           actual=_with_unit(i.get("actual_text"), i.get("unit")),
                           score=fmt_num(i.get("score")),
                           weight=fmt_num(i.get("weight"))))
    if r.get("measures"):
        measures.append(str(r["measures"]))
    reasons = list(dict.fromkeys(str(i["deviation_reason"]) for i in missed
                                 if i.get("deviation_reason")))
    measures += [_t("reason", lang, text=t) for t in reasons]
    if not problems:
        problems.append(_t("no_problems", lang))
    if not measures and missed:
        measures.append(_t("default_measures", lang))
    if not measures:
        measures.append(_t("none", lang))

    # 七、其他需要说明的问题
    prof = r.get("profile") or {}
    s7 = [_t("rules_note", lang,
             profile=" ".join(str(x) for x in (prof.get("id"), prof.get("version")) if x),
             hash=str(prof.get("hash") or "")[:19])]
    flags = r.get("flags") or []
    s7_bullets = [flag_message(f, lang) for f in flags]
    if flags:
        s7.append(_t("flags_intro", lang))

    meta = [[label("field.subject_id", lang), r.get("subject_id")],
            [label("field.department", lang), r.get("department")],
            [label("field.implementing_unit", lang), r.get("implementing_unit")],
            [label("field.year", lang), year],
            [label("footer.total", lang), fmt_num(r.get("total"))],
            [_t("meta_grade", lang), grade]]
    return {
        "title": _t("title", lang, name=name),
        "subtitle": _t("subtitle", lang, year=year) if year is not None else None,
        "meta": [[k, v] for k, v in meta if v not in (None, "")],
        "context": {"name": name, "subject_id": r.get("subject_id"), "year": year,
                    "total": fmt_num(r.get("total")), "grade": grade,
                    "execution_rate": fmt_pct(b.get("rate"))},
        "sections": [
            {"title": _t("s1", lang), "level": 1, "paragraphs": s1},
            {"title": _t("s2", lang), "level": 1, "sections": [
                {"title": _t("s2_1", lang), "level": 2, "paragraphs": [_or(r.get("objective"),
                                                                             lang)]},
                {"title": _t("s2_2", lang), "level": 2,
                 "paragraphs": [_or(r.get("achievement"), lang)]}]},
            {"title": _t("s3", lang), "level": 1, "paragraphs": s3,
             "tables": [{"title": _t("table_funds", lang), "columns": fund_cols,
                         "rows": fund_rows,
                         "number_format": {**fmt2, fund_cols[4]: "0.0%"}}]},
            {"title": _t("s4", lang), "level": 1, "paragraphs": s4,
             "tables": [{"title": _t("table_level1", lang), "columns": l1_cols,
                         "rows": l1_rows,
                         "number_format": {l1_cols[1]: "0.00", l1_cols[2]: "0.00"}},
                        {"title": _t("table_ind", lang), "columns": ind_cols, "rows": ind_rows,
                         "number_format": {ind_cols[5]: "0.00", ind_cols[6]: "0.00"}}],
             "figures": s4_figs},
            {"title": _t("s5", lang), "level": 1, "paragraphs": s5},
            {"title": _t("s6", lang), "level": 1, "sections": [
                {"title": _t("s6_1", lang), "level": 2, "paragraphs": problems},
                {"title": _t("s6_2", lang), "level": 2, "paragraphs": measures}]},
            {"title": _t("s7", lang), "level": 1, "paragraphs": s7, "bullets": s7_bullets},
        ],
    }
