"""CJK fonts for figures and HTML reports.

perfkit ships no font of its own: it uses Noto Sans SC (思源黑体, SIL Open Font License) from the
pip package ``pylopdf-fonts-zh-cn``, a declared dependency. :func:`use_cjk_font` registers that file
with matplotlib's font manager *at runtime* (nothing is written into matplotlib's install or cache)
so Chinese titles and labels render as glyphs instead of empty boxes, on any machine.
"""
from __future__ import annotations

import importlib.metadata
import importlib.resources
from functools import lru_cache
from pathlib import Path

from ..errors import PerfkitError

__all__ = ["CJK_FAMILY", "CSS_FONT_STACK", "cjk_font_path", "use_cjk_font"]

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
