"""CSV files of the workbook format: decoding and splitting into a grid of text cells.

Chinese spreadsheet software saves CSV as UTF-8 (often with a byte-order mark) or in the legacy
GBK/GB18030 code page; Excel's "Unicode text" is UTF-16. :func:`decode_csv` tries, strictly and in
this order: UTF-16 when a UTF-16 byte-order mark is present, UTF-8 (with or without BOM), then
GB18030 (a superset of GBK and GB2312). A file that is none of these is reported by name.
"""
from __future__ import annotations

import codecs
import csv
import io

__all__ = ["decode_csv", "csv_records", "CSV_ENCODINGS"]

#: encodings tried in order (after a UTF-16 BOM check)
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_csv(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a CSV file → (text, encoding used).

    Raises
    ------
    UnicodeDecodeError
        When the bytes are neither UTF-16 (with BOM), UTF-8 nor GB18030.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    err: UnicodeDecodeError | None = None
    for enc in CSV_ENCODINGS:
        try:
            text = data.decode(enc, errors="strict")
        except UnicodeDecodeError as e:
            err = e
            continue
        if enc == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
            return text, "utf-8-sig"
        return text, ("utf-8" if enc == "utf-8-sig" else enc)
    assert err is not None
    raise err


def _delimiter(text: str) -> str:
    """Comma, unless the first lines have tabs (or semicolons) and no commas."""
    head = [ln for ln in text.splitlines()[:10] if ln.strip()]
    if not head:
        return ","
    joined = "\n".join(head)
    if "," in joined:
        return ","
    if "\t" in joined:
        return "\t"
    if ";" in joined:
        return ";"
    return ","


def csv_records(text: str) -> list[list[str]]:
    """Split CSV text into records (lists of fields). Blank lines are kept as empty records, so
    that record *i* (1-based) is row *i* as a spreadsheet program shows the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    return [row for row in reader]
