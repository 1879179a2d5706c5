"""PDF output: ``report.html`` → ``report.pdf`` with WeasyPrint (optional: ``perfkit[pdf]``).

:func:`export_pdf` prints a perfkit HTML report (or any HTML) on A4 pages with a print
stylesheet (page margins, "第 N 页 / 共 M 页" or "Page N of M" in the footer, table rows and
figures kept whole where they fit, figures scaled to the page width).

* **Fonts.** Chinese text is drawn with the Noto Sans SC subset that the HTML report embeds as a
  ``@font-face`` data URI; no system CJK font is needed. Every embedded font is handed to
  WeasyPrint as TrueType outlines: perfkit converts CFF (PostScript) outlines with fontTools'
  cu2qu, because some PDF renderers (Ghostscript 10, hence CUPS printing on Linux) draw boxes for
  the CID-keyed CFF fonts WeasyPrint embeds. The footer text has its own small subset of the
  bundled font; an HTML without an embedded CJK font gets one, subset to its characters.
* **Determinism.** The same HTML gives a byte-identical PDF with the same WeasyPrint, Pango and
  HarfBuzz: no creation or modification date is written, the file identifier is derived from the
  content, and fonts are decoded by perfkit without the timestamp fontTools would otherwise write
  into them (WeasyPrint's own WOFF decoding stamps the current time; so does its fontTools
  subsetting, used when HarfBuzz-Subset is missing — ``SOURCE_DATE_EPOCH`` is fixed while it
  writes).
* **Offline.** Only ``data:`` URLs are loaded: an image, stylesheet or font referenced from a
  file or the network is not fetched but left out (WeasyPrint logs it on its ``weasyprint``
  logger).
* **Availability.** WeasyPrint needs the Pango library (Debian/Ubuntu: ``libpango-1.0-0`` and
  ``libpangoft2-1.0-0``; ``libharfbuzz-subset0`` too for byte-identical PDFs — without it
  WeasyPrint subsets fonts with fontTools). Without them :func:`require_weasyprint` raises a
  :class:`PdfUnavailableError` (exit status 2 at the command line) that says how to install them.
"""
from __future__ import annotations

import base64
import binascii
import io
import os
import re
import uuid
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, PerfkitError, RunError
from .fonts import CJK_FAMILY, cjk_font_path

__all__ = ["export_pdf", "print_css", "require_weasyprint", "pdf_available", "pdf_versions",
           "PdfUnavailableError", "INSTALL_HINT", "PAGE_FOOTER", "MARGIN_FAMILY",
           "MIN_WEASYPRINT"]

#: how to install what PDF output needs (printed by :class:`PdfUnavailableError`)
INSTALL_HINT = ("install the PDF extra: pip install 'perfkit[pdf]' (WeasyPrint), and the Pango "
                "libraries it needs — Debian/Ubuntu: apt install libpango-1.0-0 "
                "libpangoft2-1.0-0 libharfbuzz-subset0; conda: conda install -c conda-forge "
                "weasyprint")

#: oldest WeasyPrint major version perfkit works with (68: ``URLFetcher``, CVE-2025-68616 fixed)
MIN_WEASYPRINT = 68

#: CSS ``content`` of the page footer, per language
PAGE_FOOTER = {
    "zh": '"第 " counter(page) " 页 / 共 " counter(pages) " 页"',
    "en": '"Page " counter(page) " of " counter(pages)',
}
#: characters the footer can draw (the subset of the bundled font used in the page margins)
_MARGIN_CHARS = "第页共Pageof0123456789 /"
#: font family of the page-margin text (a subset of the bundled Noto Sans SC)
MARGIN_FAMILY = "perfkit-pdf-margin"


class PdfUnavailableError(PerfkitError):
    """WeasyPrint or the system libraries it needs (Pango) are missing. Exit status 2."""

    exit_code = 2


# ============================================================================================
# availability
# ============================================================================================
def require_weasyprint():
    """Import WeasyPrint, or explain how to install it.

    Returns
    -------
    module
        ``weasyprint``.

    Raises
    ------
    PdfUnavailableError
        WeasyPrint is not installed, cannot load Pango (``OSError`` from its ``dlopen``) or is
        older than :data:`MIN_WEASYPRINT`, with :data:`INSTALL_HINT`.
    """
    try:
        import weasyprint
    except ImportError as e:
        cause = "WeasyPrint is not installed" if getattr(e, "name", None) == "weasyprint" \
            else f"WeasyPrint cannot be imported ({_first_line(e)})"
        raise PdfUnavailableError(f"PDF output is not available: {cause}; {INSTALL_HINT}") \
            from None
    except OSError as e:   # cffi could not dlopen libpango / libgobject …
        raise PdfUnavailableError("PDF output is not available: WeasyPrint cannot load the "
                                  f"Pango libraries ({_first_line(e)}); {INSTALL_HINT}") from None
    except Exception as e:  # noqa: BLE001 - any other failure to load is the same story
        raise PdfUnavailableError(f"PDF output is not available: WeasyPrint failed to load "
                                  f"({type(e).__name__}: {_first_line(e)}); {INSTALL_HINT}") \
            from None
    version = str(getattr(weasyprint, "__version__", "0"))
    major = re.match(r"\d+", version)
    if major is None or int(major.group(0)) < MIN_WEASYPRINT:
        raise PdfUnavailableError(f"PDF output is not available: WeasyPrint {version} is too "
                                  f"old, perfkit needs {MIN_WEASYPRINT} or later; "
                                  f"{INSTALL_HINT} (pip install -U 'perfkit[pdf]')")
    return weasyprint


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0][:300] if text else type(e).__name__


def pdf_available() -> bool:
    """Whether :func:`export_pdf` can run here (WeasyPrint and Pango load)."""
    try:
        require_weasyprint()
    except PdfUnavailableError:
        return False
    return True


def pdf_versions() -> dict:
    """Versions that decide the PDF's bytes: ``{"weasyprint": "70.0", "pango": "1.50.12"}``
    (``None`` for what cannot be told)."""
    weasyprint = require_weasyprint()
    pango = None
    try:
        from weasyprint.text.ffi import pango as _pango
        v = int(_pango.pango_version())
        pango = f"{v // 10000}.{v // 100 % 100}.{v % 100}"
    except Exception:  # noqa: BLE001 - internal API: the version is informative only
        pass
    return {"weasyprint": getattr(weasyprint, "__version__", None), "pango": pango}


# ============================================================================================
# print stylesheet
# ============================================================================================
def print_css(lang: str = "zh") -> str:
    """The print stylesheet :func:`export_pdf` adds to the report's own CSS.

    A4 pages with 18/16/20/16 mm margins, the page number in the footer
    (:data:`PAGE_FOOTER`), white background and full width (the screen layout's 1100 px column
    is dropped; JupyterLab's "keep each output on one page" rule too, which would leave a page
    almost empty before a long output; outputs are blocks, not table cells, so that a figure's
    100 % is the text width), figures scaled to the page width and never split,
    table rows, list items and headings kept whole where they fit, headings kept with what
    follows, long text wrapped inside table cells.

    WeasyPrint applies added stylesheets with the *user* origin, below the document's own CSS
    (nbconvert's sets ``@page { margin: 0.5in }``, for one): every declaration here is
    ``!important`` so that it wins.
    """
    if lang not in PAGE_FOOTER:
        raise InputError(f"must be one of {sorted(PAGE_FOOTER)}", argument="lang", value=lang)
    css = """
@page {
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-center {
    content: @FOOTER@;
    font-family: "@MARGIN@", "@CJK@", sans-serif;
    font-size: 8.5pt;
    color: #555;
  }
}
html, body { background: #fff; }
body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
.jp-Notebook { padding: 0; }
.jp-Notebook, .jp-Cell, .jp-OutputArea, .jp-OutputArea-output, .jp-RenderedHTMLCommon {
  overflow: visible; max-width: 100%; }
.jp-Cell { padding-left: 0; padding-right: 0; }
.jp-OutputArea-child, .jp-Cell, .jp-Cell-outputWrapper { break-inside: auto; }
.jp-OutputArea-child, .jp-OutputArea-output { display: block; width: auto; margin-left: 0;
  margin-right: 0; }
img, svg, canvas, video, object { max-width: 100%; height: auto; break-inside: avoid; }
figure, .jp-RenderedImage { break-inside: avoid; }
table { max-width: 100%; }
tr, li { break-inside: avoid; }
thead { display: table-header-group; }
td, th { overflow-wrap: anywhere; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; break-inside: avoid; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: inherit; text-decoration: none; }
"""
    css = re.sub(r"(:[^;{}]+?)\s*;", r"\1 !important;", css)   # see above: win over the document
    return css.replace("@FOOTER@", PAGE_FOOTER[lang]).replace("@MARGIN@", MARGIN_FAMILY) \
        .replace("@CJK@", CJK_FAMILY)


# ============================================================================================
# fonts
# ============================================================================================
#: ``url(data:<font mime>;base64,…)`` with its optional ``format("…")`` hint, in CSS
_FONT_URL = re.compile(
    r"""url\(\s*(['"]?)data:(?:font/[\w.+-]+|application/(?:x-)?font-[\w.+-]+|"""
    r"""application/octet-stream|application/vnd\.ms-fontobject)(?:;[\w=.+-]+)*;base64,"""
    r"""([A-Za-z0-9+/=\s]+)\1\s*\)(\s*format\(\s*['"]?[\w-]+['"]?\s*\))?""", re.I)
_CJK_FACE = re.compile(r"@font-face\s*\{[^}]*font-family\s*:\s*['\"]?" + re.escape(CJK_FAMILY),
                       re.I)


def _quadratic(font) -> None:
    """Replace a font's CFF outlines by TrueType (``glyf``) outlines, in place (cu2qu with a
    maximum error of 1 font unit: invisible)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, g in glyphs.items():
        if hasattr(g, "xMin"):
            hmtx[name] = (hmtx[name][0], g.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    font["post"].formatType = 3.0     # no glyph names: CID fonts have none worth keeping
    font.sfntVersion = "\x00\x01\x00\x00"


@lru_cache(maxsize=16)
def _truetype(data: bytes) -> bytes | None:
    """A font file (WOFF, WOFF2, OTF or TTF) as plain TrueType bytes, without a new timestamp;
    ``None`` if fontTools cannot read it (WeasyPrint then gets the original)."""
    from fontTools.ttLib import TTFont
    try:
        font = TTFont(io.BytesIO(data), recalcTimestamp=False)
        font.flavor = None
        if "CFF " in font:
            _quadratic(font)
        out = io.BytesIO()
        font.save(out)
    except Exception:  # noqa: BLE001 - a font we cannot convert is passed on untouched
        return None
    return out.getvalue()


def _rewrite_fonts(html: str) -> str:
    """Every base64 font of the document as TrueType (see module docstring)."""
    def repl(m: re.Match) -> str:
        try:
            data = base64.b64decode(re.sub(r"\s+", "", m.group(2)), validate=True)
        except (binascii.Error, ValueError):
            return m.group(0)
        ttf = _truetype(data)
        if ttf is None:
            return m.group(0)
        return ('url(data:font/ttf;base64,' + base64.b64encode(ttf).decode("ascii")
                + ') format("truetype")')
    return _FONT_URL.sub(repl, html)


@lru_cache(maxsize=8)
def _bundled_face(family: str, chars: str) -> str:
    """``@font-face`` of the bundled Noto Sans SC subset to ``chars``, as TrueType."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    opts.layout_features = ["kern", "liga", "vert", "vrt2"]
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # keep copyright and the OFL licence
    opts.hinting = False
    opts.notdef_outline = True
    font = TTFont(str(cjk_font_path()), lazy=True, recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    ttf = _truetype(buf.getvalue())
    if ttf is None:  # pragma: no cover - the bundled font always converts
        raise RunError(f"the bundled font {cjk_font_path().name} could not be converted")
    data = base64.b64encode(ttf).decode("ascii")
    return ('@font-face { font-family: "%s"; font-style: normal; font-weight: 400; '
            'src: url(data:font/ttf;base64,%s) format("truetype"); }' % (family, data))


def _text_chars(html: str) -> str:
    """The printable characters of a document (sorted, unique; base64 payloads left out)."""
    text = re.sub(r"data:[^\"')\s]+", "", html)
    return "".join(sorted({c for c in text if c.isprintable()}))


@contextmanager
def _fixed_font_timestamps():
    """Set ``SOURCE_DATE_EPOCH`` (unless set) while WeasyPrint works: fontTools then stamps
    that fixed time, not the current one, into a font it saves — which WeasyPrint does when it
    decodes a WOFF font perfkit could not convert, and when it subsets fonts without
    HarfBuzz-Subset (``libharfbuzz-subset0``)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


# ============================================================================================
# export
# ============================================================================================
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*['\"]?([A-Za-z-]+)", re.I)


def _read_html(html: str | Path) -> tuple[str, str | None]:
    """(markup, file name or None). A ``Path`` or a ``str`` without ``<`` is a file."""
    if isinstance(html, Path) or (isinstance(html, str) and "<" not in html):
        p = Path(html)
        if not p.is_file():
            raise InputError("HTML file not found", file=str(p), argument="html")
        try:
            return p.read_text(encoding="utf-8"), str(p)
        except UnicodeDecodeError as e:
            raise InputError(f"not UTF-8 text (byte {e.start})", file=str(p)) from None
    if not isinstance(html, str):
        raise InputError("must be HTML text or the path of an HTML file", argument="html",
                         value=type(html).__name__)
    return html, None


def _url_fetcher():
    """A fetcher that loads ``data:`` URLs only (WeasyPrint ≥ 68)."""
    from weasyprint.urls import URLFetcher
    return URLFetcher(allowed_protocols=("data",), timeout=5)


def export_pdf(html: str | Path, pdf_path: str | Path, *, lang: str | None = None,
               title: str | None = None, stylesheet: str | None = None) -> Path:
    """Print an HTML report to an A4 PDF (atomically: a temporary file, then a rename).

    Parameters
    ----------
    html : str or Path
        The HTML: a :class:`~pathlib.Path`, or a ``str`` naming a file, is read as UTF-8; a
        ``str`` that contains ``<`` is the markup itself.
    pdf_path : str or Path
        Where to write the PDF. Its folder must exist. Written to a temporary file beside it,
        then renamed into place: no half-written PDF is ever seen under this name.
    lang : {"zh", "en"}, optional
        Language of the page footer ("第 N 页 / 共 M 页" or "Page N of M"). Default: from the
        document's ``<html lang>`` (``en…`` → English, anything else → Chinese).
    title : str, optional
        The PDF's title; default the document's ``<title>``.
    stylesheet : str, optional
        More CSS, applied after :func:`print_css`.

    Returns
    -------
    pathlib.Path
        ``pdf_path``.

    Raises
    ------
    PdfUnavailableError
        WeasyPrint or Pango is missing (with the install commands).
    InputError
        ``html`` names no file, or is not UTF-8; ``lang`` is unknown; the folder of
        ``pdf_path`` does not exist.
    RunError
        WeasyPrint failed on the document.

    Notes
    -----
    See the module docstring for fonts, determinism and the offline rule. A report of a
    dozen A4 pages takes 1–3 s.
    """
    weasyprint = require_weasyprint()
    markup, source = _read_html(html)
    if lang is None:
        m = _HTML_LANG.search(markup[:4096])
        lang = "en" if m and m.group(1).lower().startswith("en") else "zh"
    css = print_css(lang)
    pdf_path = Path(pdf_path)
    if not pdf_path.parent.is_dir():
        raise InputError("the folder of the PDF does not exist", file=str(pdf_path),
                         argument="pdf_path")

    markup = _rewrite_fonts(markup)
    faces = [_bundled_face(MARGIN_FAMILY, _MARGIN_CHARS)]
    if not _CJK_FACE.search(markup):      # no embedded CJK font: bring one
        faces.append(_bundled_face(CJK_FAMILY, _text_chars(markup) + _MARGIN_CHARS))
        css += 'html { font-family: "%s", sans-serif; }\n' % CJK_FAMILY
    from weasyprint.text.fonts import FontConfiguration
    fonts = FontConfiguration()      # without it, @font-face rules of added CSS are ignored
    sheets = [weasyprint.CSS(string="\n".join(faces) + css, font_config=fonts)]
    if stylesheet:
        sheets.append(weasyprint.CSS(string=stylesheet, font_config=fonts))

    tmp = pdf_path.with_name(f".{pdf_path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        from .. import __version__
        base_url = str(Path(source).resolve().parent) + os.sep if source else None
        with _fixed_font_timestamps():
            doc = weasyprint.HTML(string=markup, url_fetcher=_url_fetcher(),
                                  base_url=base_url).render(stylesheets=sheets,
                                                            font_config=fonts)
            doc.metadata.generator = f"perfkit {__version__}"
            doc.metadata.created = doc.metadata.modified = None
            if title is not None:
                doc.metadata.title = str(title)
            doc.write_pdf(tmp, pdf_identifier=True)
        os.replace(tmp, pdf_path)
    except PerfkitError:
        raise
    except OSError as e:
        raise RunError(f"writing the PDF failed: {e}") from None
    except Exception as e:  # noqa: BLE001 - WeasyPrint's own failures, without a traceback
        raise RunError(f"WeasyPrint failed on {source or 'the HTML'}: "
                       f"{type(e).__name__}: {_first_line(e)}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return pdf_path
