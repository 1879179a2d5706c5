"""The bundled CJK font is found, registered at runtime and renders Chinese without tofu."""
from __future__ import annotations

import warnings

import matplotlib as mpl
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from perfkit.errors import InputError
from perfkit.report.fonts import CJK_FAMILY, CSS_FONT_STACK, cjk_font_path, use_cjk_font

CHINESE = "学生营养改善计划 — 绩效指标得分：≥90%，得分 9.80（良）"


def _missing_glyph_warnings(draw) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _draw_text(text: str) -> None:
    fig = Figure(figsize=(4, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(text)
    ax.set_xlabel("分值（分）")
    ax.set_yticks([0, 1], ["受益学生人数", "食品安全事故发生次数"])
    fig.canvas.draw()


def test_font_path_is_the_noto_sans_sc_file_of_the_pip_package():
    path = cjk_font_path()
    assert path.is_file()
    assert path.name == "NotoSansSC-Regular.otf"
    assert "pylopdf_fonts_zh_cn" in path.parts
    assert path.stat().st_size > 1_000_000
    assert font_manager.FontProperties(fname=str(path)).get_name() == CJK_FAMILY
    serif = cjk_font_path(style="serif")
    assert serif.name == "NotoSerifSC-Regular.otf" and serif.is_file()
    with pytest.raises(InputError, match="style"):
        cjk_font_path(style="mono")


def test_use_cjk_font_sets_rcparams_and_is_idempotent():
    with mpl.rc_context():
        assert use_cjk_font() == CJK_FAMILY
        assert use_cjk_font() == CJK_FAMILY
        assert list(mpl.rcParams["font.family"]) == ["sans-serif"]
        sans = list(mpl.rcParams["font.sans-serif"])
        assert sans[0] == CJK_FAMILY and sans.count(CJK_FAMILY) == 1
        assert "DejaVu Sans" in sans  # Latin fallback kept behind
        assert mpl.rcParams["axes.unicode_minus"] is False
        registered = [f for f in font_manager.fontManager.ttflist
                      if f.fname == str(cjk_font_path())]
        assert len(registered) == 1
        # nothing written into matplotlib's installation
        assert not str(cjk_font_path()).startswith(mpl.get_data_path())


def test_chinese_renders_without_missing_glyph_warnings():
    with mpl.rc_context():
        use_cjk_font()
        assert _missing_glyph_warnings(lambda: _draw_text(CHINESE)) == []


def test_the_warning_check_would_catch_missing_glyphs():
    # control: with a Latin-only font the same text does produce "missing from font" warnings
    with mpl.rc_context({"font.family": ["DejaVu Sans"], "font.sans-serif": ["DejaVu Sans"]}):
        assert _missing_glyph_warnings(lambda: _draw_text(CHINESE))


def test_css_font_stack():
    assert CSS_FONT_STACK == '"Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
