"""Render the workbook format (schema.py) as Markdown: ``python -m perfkit.model.docs``.

``docs/workbook-format.md`` is this output; a test keeps the two in step.
"""
from __future__ import annotations

from .schema import TABLES


def render() -> str:
    out = ["# The workbook format (perfkit's input)", "",
           "One Excel workbook (.xlsx, one sheet per table) or a folder of CSV files (one file "
           "per table, UTF-8, UTF-8 with BOM or GB18030). Sheet/file names and headers may be "
           "the English field names or the Chinese names below (as printed on the official "
           "forms). Amounts are in 万元. Ids are text: `00123` stays `00123`.", "",
           "Generated from `perfkit/model/schema.py` by `python -m perfkit.model.docs`; "
           "`perfkit template PATH.xlsx` writes an empty workbook with these headers, an "
           "instructions sheet and drop-down lists.", ""]
    for t in TABLES.values():
        req = "required" if t.required else "optional"
        out += [f"## `{t.name}` — {t.zh} ({req})", "", t.doc, "",
                f"Key: {', '.join(t.key)}." + (f" Other sheet names accepted: "
                                               f"{', '.join(t.aliases)}." if t.aliases else ""),
                "", "| field | 中文表头 | type | required | allowed values / unit | notes |",
                "|---|---|---|---|---|---|"]
        for c in t.columns:
            allowed = " / ".join(c.choices) if c.choices else (c.unit or "")
            if c.min is not None or c.max is not None:
                rng = f"{'' if c.min is None else f'≥ {c.min:g}'}" \
                      f"{'' if c.max is None else f' ≤ {c.max:g}'}".strip()
                allowed = f"{allowed} {rng}".strip()
            notes = c.doc + (f" Also: {', '.join(c.aliases)}." if c.aliases else "")
            out.append(f"| `{c.name}` | {c.zh} | {c.dtype} | {'yes' if c.required else ''} | "
                       f"{allowed} | {notes.strip()} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(render())
