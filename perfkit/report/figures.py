"""Figures of the self-evaluation report, drawn from the ``results.json`` dict.

Figures are built on :class:`matplotlib.figure.Figure` directly — never through ``pyplot`` — so
they need no display, touch no global backend (Agg renders them), leak no open pyplot figures in
batch runs and are not shown twice in a notebook. They display in Jupyter through
``_repr_png_``. Nothing here depends on the clock: the same results give the same pixels.

Colours: each 一级指标 has one colour; the weight (分值) is drawn as a light bar and the score
(得分) as a dark bar on top of it; indicators not applicable (不适用) are hatched grey; the
unit's self-awarded score (自评得分) is a black tick where it differs from the rule score.
"""
from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..errors import InputError
from .fonts import use_cjk_font
from .labels import as_number as _num
from .labels import fmt_num as _fmt
from .labels import awarded_if_differs, grade_label, label, value_label

__all__ = ["ReportFigure", "indicator_scores_chart", "level1_chart", "figure_bytes",
           "save_figure", "LEVEL1_COLOURS"]

#: fixed colours of the known 一级指标 (others take the next colour of _FALLBACK in order)
LEVEL1_COLOURS = {
    "预算执行": "#546e7a",
    "产出指标": "#1f5fa8", "产出": "#1f5fa8",
    "效益指标": "#2e7d32", "效益": "#2e7d32",
    "满意度指标": "#d9730d", "满意度": "#d9730d",
    "决策": "#6a3d9a", "过程": "#8c564b",
}
_FALLBACK = ("#00838f", "#ad1457", "#827717", "#4e342e", "#283593", "#558b2f")
_NA_FACE, _NA_EDGE = "#eeeeee", "#9e9e9e"
_WIDTH_IN = 9.0
_DPI = 100


class ReportFigure(Figure):
    """A matplotlib Figure with an Agg canvas that shows itself in Jupyter as PNG."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)

    def _repr_png_(self) -> bytes:
        return figure_bytes(self, format="png", dpi=_DPI)


def figure_bytes(fig: Figure, *, format: str = "png", dpi: int = 150) -> bytes:
    """Render ``fig`` deterministically (no creation date, fixed SVG ids) and return the bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    format : {"png", "svg", "pdf"}
    dpi : int
        Resolution of raster output.
    """
    import matplotlib as mpl

    if format not in ("png", "svg", "pdf"):
        raise InputError("must be 'png', 'svg' or 'pdf'", argument="format", value=format)
    metadata = {"png": {"Software": None}, "svg": {"Date": None},
                "pdf": {"CreationDate": None, "ModDate": None}}[format]
    buf = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "perfkit", "svg.fonttype": "path"}):
        fig.savefig(buf, format=format, dpi=dpi, metadata=metadata, facecolor="white")
    return buf.getvalue()


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path`` (format from the suffix: .png, .svg or .pdf); return the path."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    path.write_bytes(figure_bytes(fig, format=fmt, dpi=dpi))
    return path


# --------------------------------------------------------------------------------------------
def _fmt_weight(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def _tint(colour: str, amount: float = 0.68) -> tuple[float, float, float]:
    """``colour`` mixed with white (amount 1 = white)."""
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _colours(groups: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    spare = iter(_FALLBACK * 4)
    for g in groups:
        if g not in out:
            out[g] = LEVEL1_COLOURS.get(g) or next(spare)
    return out


def _wrap(text: str, width: int = 28, max_lines: int = 3) -> str:
    """Wrap a tick label at ``width`` display units (a CJK character counts 2, Latin 1)."""
    text = str(text)
    if text.isascii():
        lines = textwrap.wrap(text, width=width, break_long_words=True)
    else:
        lines, line, used = [], "", 0
        for ch in text:
            w = 2 if ord(ch) >= 0x2E80 else 1
            if used + w > width and line:
                lines.append(line)
                line, used = "", 0
            line += ch
            used += w
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines) or " "


def _project_name(results: dict) -> str:
    return str(results.get("name") or results.get("subject_id") or "")


def _check(results: Any, key: str) -> list:
    if not isinstance(results, dict):
        raise InputError("must be the results dict of a self-evaluation (results.json)",
                         argument="results", value=type(results).__name__)
    rows = results.get(key)
    if not isinstance(rows, list) or not rows:
        raise InputError(f"has no {key!r} list to chart", argument="results")
    return rows


def _bars(ax, y, weights, scores, colours, na, awarded, lang: str) -> None:
    """Draw the light weight bars, dark score bars, N/A hatching and awarded ticks on ``ax``."""
    face = [(_NA_FACE if n else _tint(c)) for c, n in zip(colours, na)]
    edge = [(_NA_EDGE if n else c) for c, n in zip(colours, na)]
    wbars = ax.barh(y, [w or 0.0 for w in weights], height=0.72, color=face, edgecolor=edge,
                    linewidth=0.8, label="_weight", zorder=2)
    for bar, n in zip(wbars, na):
        if n:
            bar.set_hatch("///")
    sbars = ax.barh(y, [0.0 if (n or s is None) else s for s, n in zip(scores, na)],
                    height=0.42, color=colours, label="_score", zorder=3)
    xs = [(a, yy) for a, yy in zip(awarded, y) if a is not None]
    if xs:
        ax.scatter([a for a, _ in xs], [yy for _, yy in xs], marker="|", s=260, linewidths=2.2,
                   color="black", zorder=4, label="_awarded")
    right = max([w or 0.0 for w in weights] + [s or 0.0 for s in scores]
                + [a or 0.0 for a in awarded] + [1.0])
    for yy, w, s, n in zip(y, weights, scores, na):
        text = label("chart.na", lang) if n else f"{_fmt(s)} / {_fmt_weight(w)}"
        ax.text(max(w or 0.0, s or 0.0) + right * 0.015, yy, text, va="center", ha="left",
                fontsize=8.5, color=_NA_EDGE if n else "#333333", zorder=5)
    ax.set_xlim(0, right * 1.2)
    ax.set_xlabel(label("axis.points", lang))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend(ax, groups: dict[str, str], lang: str, *, na: bool, awarded: bool) -> None:
    handles = [Patch(facecolor=c, edgecolor=c, label=value_label(g, lang))
               for g, c in groups.items()]
    handles.append(Patch(facecolor=_tint("#555555"), edgecolor="#555555",
                         label=label("chart.weight", lang)))
    handles.append(Patch(facecolor="#555555", label=label("chart.score", lang)))
    if na:
        handles.append(Patch(facecolor=_NA_FACE, edgecolor=_NA_EDGE, hatch="///",
                             label=label("chart.na", lang)))
    if awarded:
        handles.append(Line2D([], [], marker="|", linestyle="none", markersize=12,
                              markeredgewidth=2.2, color="black",
                              label=label("chart.awarded", lang)))
    ax.figure.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 5),
                     frameon=False, fontsize=8.5)


def indicator_scores_chart(results: dict, *, lang: str = "zh") -> ReportFigure:
    """Horizontal bars of each indicator's score (得分) against its weight (分值).

    Parameters
    ----------
    results : dict
        The ``results.json`` content of a project self-evaluation.
    lang : {"zh", "en"}
        Language of titles, axis and legend (the user's indicator names are shown as given).

    Returns
    -------
    ReportFigure
        One light weight bar and one dark score bar per indicator, in the order of
        ``results["indicators"]``, top to bottom (the two bar containers are labelled
        ``"_weight"`` and ``"_score"``); bars coloured by 一级指标; indicators not applicable
        hatched grey with a zero-length score bar; a black tick at the self-awarded score where it differs.
    """
    label("chart.score", lang)  # validates lang early
    inds = _check(results, "indicators")
    use_cjk_font()
    n = len(inds)
    groups = _colours([str(i.get("level1", "")) for i in inds])
    fig = ReportFigure(figsize=(_WIDTH_IN, max(3.4, 1.9 + 0.36 * n)), dpi=_DPI,
                       layout="constrained")
    ax = fig.add_subplot()
    y = [n - 1 - k for k in range(n)]
    na = [bool(i.get("not_applicable")) for i in inds]
    awarded = [awarded_if_differs(i) for i in inds]
    _bars(ax, y, [_num(i.get("weight")) for i in inds], [_num(i.get("score")) for i in inds],
          [groups[str(i.get("level1", ""))] for i in inds], na, awarded, lang)
    ax.set_yticks(y, [_wrap(i.get("level3", "")) for i in inds], fontsize=9)
    for tick, n_a in zip(ax.get_yticklabels(), na):
        if n_a:
            tick.set_color(_NA_EDGE)
    ax.set_ylim(-0.6, n - 0.4)
    # thin separators between 一级指标 groups
    for k in range(1, n):
        if inds[k].get("level1") != inds[k - 1].get("level1"):
            ax.axhline(n - k - 0.5, color="#bbbbbb", linewidth=0.8, zorder=1)
    ax.set_title(label("title.indicator_chart", lang, name=_project_name(results)),
                 fontsize=12, loc="left")
    _legend(ax, groups, lang, na=any(na), awarded=any(a is not None for a in awarded))
    return fig


def level1_chart(results: dict, *, lang: str = "zh") -> ReportFigure:
    """Score against weight per 一级指标, with budget execution (预算执行率) as the first row.

    Parameters
    ----------
    results : dict
        The ``results.json`` content of a project self-evaluation.
    lang : {"zh", "en"}

    Returns
    -------
    ReportFigure
        One weight/score bar pair per row; the subtitle states the total score and grade.
    """
    label("chart.score", lang)
    level1 = _check(results, "level1")
    use_cjk_font()
    rows: list[tuple[str, str, float | None, float | None]] = []  # (colour key, label, w, s)
    budget = results.get("budget") or {}
    if _num(budget.get("weight")) is not None:
        rows.append(("预算执行", label("budget.execution", lang), _num(budget.get("weight")),
                     _num(budget.get("score"))))
    for r in level1:
        name = str(r.get("level1", ""))
        rows.append((name, str(value_label(name, lang)), _num(r.get("weight")),
                     _num(r.get("score"))))
    n = len(rows)
    groups = _colours([k for k, *_ in rows])
    fig = ReportFigure(figsize=(_WIDTH_IN, max(3.0, 1.9 + 0.55 * n)), dpi=_DPI,
                       layout="constrained")
    ax = fig.add_subplot()
    y = [n - 1 - k for k in range(n)]
    _bars(ax, y, [w for *_, w, _ in rows], [s for *_, s in rows],
          [groups[k] for k, *_ in rows], [False] * n, [None] * n, lang)
    ax.set_yticks(y, [_wrap(lbl) for _, lbl, _, _ in rows], fontsize=10)
    ax.set_ylim(-0.6, n - 0.4)
    total = _num(results.get("total"))
    subtitle = label("chart.total_grade", lang, total=_fmt(total),
                     grade=grade_label(results.get("grade"), lang))
    ax.set_title(label("title.level1_chart", lang, name=_project_name(results)), fontsize=12,
                 loc="left")
    ax.set_title(subtitle, fontsize=10.5, loc="right", color="#333333")
    legend_groups = {}  # the legend explains weight vs score; row labels name the groups
    _legend(ax, legend_groups, lang, na=False, awarded=False)
    return fig
