"""CJK fonts for figures and HTML reports.

perfkit ships no font of its own: it uses Noto Sans SC (思源黑体, SIL Open Font License) from the
pip package ``pylopdf-fonts-zh-cn``, a declared dependency. :func:`use_cjk_font` registers that file
with matplotlib's font manager *at runtime* (nothing is written into matplotlib's install or cache)
so Chinese titles and labels render as glyphs instead of empty boxes, on any machine.

HTML reports embed a subset of the same font (:func:`perfkit.report.html.export_html`). A fork
server that exports many reports (:mod:`perfkit.run.warm`) calls :func:`preload_cjk_font` once:
every process it forks then subsets its own copy-on-write copy of the decompiled font
(:func:`cjk_font_for_subsetting`) instead of reading and decompiling the 8 MB file again.
"""
from __future__ import annotations

import importlib.metadata
import importlib.resources
import io
import os
from functools import lru_cache
from pathlib import Path

from ..errors import PerfkitError

__all__ = ["CJK_FAMILY", "CSS_FONT_STACK", "cjk_font_path", "use_cjk_font", "preload_cjk_font",
           "cjk_font_for_subsetting"]

#: family name of the bundled font, as matplotlib and CSS know it
CJK_FAMILY = "Noto Sans SC"
#: the font stack declared in HTML reports (bundled font first, then common system CJK fonts)
CSS_FONT_STACK = '"Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

_PACKAGE = "pylopdf_fonts_zh_cn"
_DISTRIBUTION = "pylopdf-fonts-zh-cn"
_FILES = {"sans": "NotoSansSC-Regular.otf", "serif": "NotoSerifSC-Regular.otf"}


@lru_cache(maxsize=None)
def cjk_font_path(*, style: str = "sans") -> Path:
    """Path of the Noto SC font file shipped by ``pylopdf-fonts-zh-cn``.

    Parameters
    ----------
    style : {"sans", "serif"}
        Noto Sans SC (default, used by figures and HTML) or Noto Serif SC.

    Returns
    -------
    pathlib.Path
        An existing ``.otf`` file.

    Raises
    ------
    PerfkitError
        If the font package is not installed or its file is missing.
    """
    if style not in _FILES:
        from ..errors import InputError
        raise InputError(f"must be one of {sorted(_FILES)!r}", argument="style", value=style)
    name = _FILES[style]
    # 1. the package's own resources (works for wheels, editable and zip installs alike)
    try:
        res = importlib.resources.files(_PACKAGE) / name
        with importlib.resources.as_file(res) as p:
            if Path(p).is_file():
                return Path(p)
    except ModuleNotFoundError:
        pass
    # 2. the distribution's RECORD, should the import name ever change
    try:
        dist = importlib.metadata.distribution(_DISTRIBUTION)
        for f in dist.files or ():
            if f.name == name:
                p = Path(dist.locate_file(f))
                if p.is_file():
                    return p
    except importlib.metadata.PackageNotFoundError:
        pass
    raise PerfkitError(f"the CJK font {name} was not found: install the package "
                       f"{_DISTRIBUTION!r} (pip install {_DISTRIBUTION})")


@lru_cache(maxsize=1)
def _register() -> str:
    """Add the font file to matplotlib's font manager once per process; return its family."""
    from matplotlib import font_manager

    path = cjk_font_path()
    if not any(Path(f.fname) == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese text with Noto Sans SC.

    Registers the bundled font with ``matplotlib.font_manager.fontManager`` (once per process) and
    sets ``rcParams``: ``font.family = "sans-serif"``, Noto Sans SC first in ``font.sans-serif``
    (DejaVu Sans and the previous list stay behind it as fallbacks) and
    ``axes.unicode_minus = False`` (the font has U+2212, but the ASCII hyphen is what users type).
    Idempotent and cheap on repeat calls.

    Returns
    -------
    str
        The family name registered, ``"Noto Sans SC"``.
    """
    import matplotlib as mpl

    family = _register()
    rc = mpl.rcParams
    current = [f for f in rc["font.sans-serif"] if f != family]
    if rc["font.sans-serif"][:1] != [family]:
        rc["font.sans-serif"] = [family, *current]
    if list(rc["font.family"]) != ["sans-serif"]:
        rc["font.family"] = ["sans-serif"]
    rc["axes.unicode_minus"] = False
    return family


# --------------------------------------------------------------------------------------------
# the font for subsetting, preloaded by a fork server
# --------------------------------------------------------------------------------------------
#: the tables a subset of Noto Sans SC reads (see :func:`preload_cjk_font`)
_SUBSET_TABLES = ("cmap", "hmtx", "vmtx", "CFF ", "head", "hhea", "vhea", "maxp", "OS/2", "post",
                  "name", "VORG", "BASE", "GSUB", "GPOS")
#: tables whose lazily loaded subtables are decompiled ahead as well
_DEEP_TABLES = ("BASE", "GSUB", "GPOS")
#: ``{"pid": process that preloaded, "font": TTFont}``; empty when nothing is preloaded
_PRELOADED: dict = {}


def _open_font(data: bytes | None = None):
    from fontTools.ttLib import TTFont
    src = io.BytesIO(data) if data is not None else str(cjk_font_path())
    return TTFont(src, lazy=True, recalcTimestamp=False)


def preload_cjk_font() -> None:
    """Read Noto Sans SC into memory and decompile the tables a subset reads, in this process.

    Meant for a fork server before it forks its report processes (:mod:`perfkit.run.warm`):
    each forked process then gets the decompiled font from :func:`cjk_font_for_subsetting`
    as its own copy-on-write copy. The file is read whole into memory first, so that no forked
    process reads through a file offset it would share with its siblings. The font kept here is
    never handed out in this process itself. Costs ≈ 0.4 s and 45 MB, once.
    """
    font = _open_font(cjk_font_path().read_bytes())
    font.getGlyphOrder()
    for tag in _SUBSET_TABLES:
        if tag in font:
            table = font[tag]
            if tag in _DEEP_TABLES and hasattr(table, "ensureDecompiled"):
                table.ensureDecompiled(recurse=True)
    _PRELOADED.clear()
    _PRELOADED.update(pid=os.getpid(), font=font)


def cjk_font_for_subsetting():
    """A ``fontTools.ttLib.TTFont`` of Noto Sans SC that the caller may change (subset) and must
    then discard.

    In a process forked after :func:`preload_cjk_font`, the first call returns the preloaded,
    already decompiled font (the process's own copy-on-write copy); every other call opens the
    file afresh (lazily). Either gives the same subset, byte for byte.
    """
    if _PRELOADED and _PRELOADED["pid"] != os.getpid():
        font = _PRELOADED.pop("font", None)
        _PRELOADED.clear()
        if font is not None:
            return font
    return _open_font()
