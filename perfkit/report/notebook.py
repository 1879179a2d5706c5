"""What a report notebook displays: a few calls, so that notebooks stay thin."""
from __future__ import annotations

__all__ = ["show_self_evaluation"]


def show_self_evaluation(results: dict, *, lang: str = "zh") -> None:
    """Display a project self-evaluation: summary tables, the two charts and the rule notes."""
    from IPython.display import HTML, display

    from .figures import indicator_scores_chart, level1_chart
    from .html import render_results_html

    display(HTML(render_results_html(results, lang=lang)))
    for make in (level1_chart, indicator_scores_chart):
        fig = make(results, lang=lang)
        display(fig)
    prof = results.get("profile") or {}
    note = (f"评分规则：{prof.get('id')} {prof.get('version')}（{prof.get('hash', '')[:19]}）。"
            "得分保留全精度计算，表中数字四舍五入显示；等级按未取整总分判定。"
            if lang == "zh" else
            f"Rules: profile {prof.get('id')} {prof.get('version')} ({prof.get('hash', '')[:19]}). "
            "Scores are computed at full precision and rounded for display only; the grade uses "
            "the unrounded total.")
    display(HTML(f"<p class='pk-note'>{__import__('html').escape(note)}</p>"))
