"""Every report label exists in both languages; taxonomy values and grades translate."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import perfkit.report as report_pkg
from perfkit.errors import InputError
from perfkit.model import schema
from perfkit.report.labels import (LABELS, LANGS, as_number, awarded_if_differs, flag_message,
                                   fmt_num, fmt_pct, grade_label, html_lang, label, placeholders,
                                   runs, value_label)

REPORT_DIR = Path(report_pkg.__file__).parent
_KEY_PREFIXES = ("title", "sheet", "section", "field", "budget", "objective", "ind", "footer",
                 "grade", "kind", "rating", "source", "level", "axis", "chart", "notes", "misc",
                 "flag")
_KEY_LITERAL = re.compile(r"""["']((?:%s)\.[a-z0-9_]+)["']""" % "|".join(_KEY_PREFIXES))


def test_every_label_has_both_languages_with_the_same_placeholders():
    assert LANGS == ("zh", "en")
    for key, texts in LABELS.items():
        assert set(texts) == set(LANGS), key
        for lang in LANGS:
            assert isinstance(texts[lang], str) and texts[lang].strip(), (key, lang)
        assert placeholders(texts["zh"]) == placeholders(texts["en"]), key


def test_every_label_key_used_by_the_report_code_exists():
    used = set()
    for path in REPORT_DIR.glob("*.py"):
        used |= set(_KEY_LITERAL.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 60
    missing = sorted(k for k in used if k not in LABELS and not k.startswith("flag."))
    assert missing == []


def test_label_lookup_formatting_and_errors():
    assert label("ind.level3") == "三级指标"
    assert label("ind.level3", "en") == "Level-3 indicator"
    assert label("title.year", "zh", year=2024) == "（2024年度）"
    assert label("title.year", "en", year=2024) == "(Fiscal year 2024)"
    assert label("ind.deviation_reason") == "偏差原因分析及改进措施"
    with pytest.raises(KeyError, match="no.such"):
        label("no.such")
    with pytest.raises(InputError, match="lang"):
        label("ind.level3", "fr")


@pytest.mark.parametrize("grade,zh,en", [("优", "优", "Excellent (优)"), ("良", "良", "Good (良)"),
                                         ("中", "中", "Average (中)"), ("差", "差", "Poor (差)")])
def test_grade_names(grade, zh, en):
    assert grade_label(grade, "zh") == zh
    assert grade_label(grade, "en") == en


def test_grade_label_without_grade_or_unknown():
    assert grade_label(None) == "—"
    assert grade_label("A+", "en") == "A+"
    assert {label(k, "en") for k in ("grade.excellent", "grade.good", "grade.average",
                                     "grade.poor")} == {"Excellent", "Good", "Average", "Poor"}


def test_schema_taxonomy_values_all_translate_to_english():
    values = (list(schema.LEVEL1) + [v for vs in schema.LEVEL2.values() for v in vs]
              + list(schema.FUND_SOURCES) + list(schema.RATINGS) + list(schema.KINDS))
    for v in values:
        assert value_label(v, "zh") == v
        en = value_label(v, "en")
        assert en != v and en.isascii(), v
    assert value_label("产出指标", "en") == "Output"
    # user values and non-strings pass through
    assert value_label("受益学生人数", "en") == "受益学生人数"
    assert value_label(None, "en") is None and value_label(3.5, "en") == 3.5


def test_flag_messages():
    assert flag_message({"code": "execution_below_90_unexplained", "message": "x"}) == \
        "预算执行率低于90%且未说明原因"
    assert flag_message({"code": "awarded_differs"}, "en") == \
        "Self-awarded score differs from the rule score"
    # an unknown code falls back to the scoring module's message, then to the code
    assert flag_message({"code": "brand_new", "message": "新的提示"}, "en") == "新的提示"
    assert flag_message("brand_new") == "brand_new"


def test_formatting_helpers():
    assert fmt_num(87.314) == "87.31" and fmt_num(None) == "—" and fmt_num(float("nan")) == "—"
    assert fmt_num("abc") == "—" and fmt_num(True) == "—"
    assert fmt_pct(0.9) == "90.0%" and fmt_pct(None, empty="") == ""
    assert as_number("9.5") == 9.5 and as_number(float("inf")) is None
    assert html_lang("zh") == "zh-CN" and html_lang("en") == "en"
    assert runs(["a", "a", "b", "a", "a", "a"]) == [2, 1, 3]
    assert runs([]) == []


def test_awarded_if_differs():
    assert awarded_if_differs({"awarded": 10.0, "score": 9.8, "awarded_diff": 0.2}) == 10.0
    assert awarded_if_differs({"awarded": 10.0, "awarded_diff": 0.001}) is None  # rounds to 0
    assert awarded_if_differs({"awarded": 9.0, "flags": ["awarded_differs"]}) == 9.0
    assert awarded_if_differs({"awarded": 9.0, "awarded_diff": 1.0,
                               "not_applicable": True}) is None
    assert awarded_if_differs({"awarded": None, "awarded_diff": None}) is None
