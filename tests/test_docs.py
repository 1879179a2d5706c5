from pathlib import Path

from perfkit.model.docs import render

ROOT = Path(__file__).resolve().parents[1]


def test_workbook_format_doc_is_current():
    doc = (ROOT / "docs" / "workbook-format.md").read_text(encoding="utf-8")
    assert doc.strip() == render().strip(), "run: python -m perfkit.model.docs > docs/workbook-format.md"
