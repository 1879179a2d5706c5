"""Charts of the self-evaluation: one weight/score bar pair per row, CJK glyphs, deterministic."""
from __future__ import annotations

import copy
import warnings

import pytest
from matplotlib.colors import to_hex

from perfkit.errors import InputError
from perfkit.report.figures import (ReportFigure, figure_bytes, indicator_scores_chart,
                                    level1_chart, save_figure)
from tests.report import sample_results


def _draw_recording(fig) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught]


def _containers(fig):
    ax = fig.axes[0]
    by_label = {c.get_label(): c for c in ax.containers}
    return by_label["_weight"], by_label["_score"]


def _many(n: int) -> dict:
    r = sample_results()
    base = r["indicators"]
    r["indicators"] = [dict(copy.deepcopy(base[k % len(base)]), level3=f"指标{k + 1}")
                       for k in range(n)]
    return r


def test_indicator_chart_has_one_bar_pair_per_indicator():
    r = sample_results()
    inds = r["indicators"]
    fig = indicator_scores_chart(r)
    assert isinstance(fig, ReportFigure)
    weight, score = _containers(fig)
    assert len(weight) == len(score) == len(inds) == 8
    # top to bottom in the order of results["indicators"]
    assert [b.get_width() for b in weight] == [i["weight"] for i in inds]
    assert [b.get_width() for b in score] == [
        0.0 if i["not_applicable"] else i["score"] for i in inds]
    ys = [b.get_y() + b.get_height() / 2 for b in weight]
    assert ys == sorted(ys, reverse=True)
    labels = [t.get_text().replace("\n", "") for t in fig.axes[0].get_yticklabels()]
    assert labels == [i["level3"] for i in inds]
    assert "学生营养改善计划" in fig.axes[0].get_title(loc="left")


def test_indicator_chart_colours_groups_and_greys_not_applicable():
    r = sample_results()
    fig = indicator_scores_chart(r)
    weight, score = _containers(fig)
    inds = r["indicators"]
    colour = {i["level1"]: to_hex(b.get_facecolor()) for i, b in zip(inds, score)
              if not i["not_applicable"]}
    assert len(set(colour.values())) == 3  # 产出 / 效益 / 满意度
    na = [k for k, i in enumerate(inds) if i["not_applicable"]]
    assert na == [4]
    assert weight[4].get_hatch() == "///"
    assert to_hex(weight[4].get_facecolor()) == "#eeeeee"
    assert all(weight[k].get_hatch() is None for k in range(len(inds)) if k not in na)
    # the self-awarded score is marked where it differs (受益学生人数 10 vs 9.8; 长效机制 13.5 vs 12)
    ax = fig.axes[0]
    (marks,) = ax.collections
    assert sorted(x for x, _ in marks.get_offsets().tolist()) == [10.0, 13.5]


def test_charts_draw_without_missing_glyphs_in_both_languages():
    for lang in ("zh", "en"):
        for make in (indicator_scores_chart, level1_chart):
            fig = make(sample_results(), lang=lang)
            assert not [m for m in _draw_recording(fig) if "missing from font" in m]
    assert indicator_scores_chart(sample_results(), lang="en").axes[0].get_title(
        loc="left").endswith("indicator scores")


def test_level1_chart_rows_are_budget_execution_then_level1():
    r = sample_results()
    fig = level1_chart(r)
    weight, score = _containers(fig)
    assert [b.get_width() for b in weight] == [10.0, 50.0, 30.0, 10.0]
    assert [b.get_width() for b in score] == [9.0, 38.6, 26.25, 9.44]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert fig.axes[0].get_title(loc="right") == "总分 87.31（良）"
    en = level1_chart(r, lang="en")
    assert [t.get_text() for t in en.axes[0].get_yticklabels()] == [
        "Budget execution", "Output", "Outcome", "Satisfaction"]
    assert en.axes[0].get_title(loc="right") == "Total 87.31 (Good (良))"


@pytest.mark.parametrize("n", [5, 12, 25])
def test_figure_size_fits_5_to_25_indicators(n):
    fig = indicator_scores_chart(_many(n))
    w, h = fig.get_size_inches()
    assert w == 9.0
    assert 3.4 <= h <= 11.0
    assert len(_containers(fig)[0]) == n
    per_row = (h - 1.9) / n if n > 5 else None
    if per_row is not None:
        assert per_row == pytest.approx(0.36)


def test_rendering_is_deterministic():
    r = sample_results()
    a = figure_bytes(indicator_scores_chart(r), format="png", dpi=60)
    b = figure_bytes(indicator_scores_chart(r), format="png", dpi=60)
    assert a == b and a.startswith(b"\x89PNG")
    s1 = figure_bytes(level1_chart(r), format="svg")
    s2 = figure_bytes(level1_chart(r), format="svg")
    assert s1 == s2 and b"<dc:date>" not in s1


def test_repr_png_and_save(tmp_path):
    fig = level1_chart(sample_results())
    assert fig._repr_png_().startswith(b"\x89PNG")
    out = save_figure(fig, tmp_path / "l1.png", dpi=50)
    assert out.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(InputError, match="format"):
        figure_bytes(fig, format="gif")


def test_bad_input():
    with pytest.raises(InputError, match="indicators"):
        indicator_scores_chart(sample_results(indicators=[]))
    with pytest.raises(InputError, match="results"):
        indicator_scores_chart([1, 2])
    with pytest.raises(InputError, match="lang"):
        level1_chart(sample_results(), lang="de")


def test_null_numbers_from_json_do_not_break_the_chart():
    r = sample_results()
    r["indicators"][0].update(score=None, awarded=None, awarded_diff=None, flags=[])
    r["level1"][0]["score"] = None
    fig = indicator_scores_chart(r)
    assert _containers(fig)[1][0].get_width() == 0.0
    assert [b.get_width() for b in _containers(level1_chart(r))[1]][1] == 0.0
