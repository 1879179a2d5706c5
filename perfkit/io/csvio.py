"""CSV files of the workbook format: decoding and splitting into a grid of text cells.

Chinese spreadsheet software saves CSV as UTF-8 (often with a byte-order mark) or in the legacy
GBK/GB18030 code page; Excel's "Unicode text" is UTF-16. :func:`decode_csv` tries, strictly and in
this order: UTF-16 when a UTF-16 byte-order mark is present, UTF-8 (with or without BOM), then
GB18030 (a superset of GBK and GB2312). A file that is none of these is reported by name.

Hostile or broken files: a NUL byte never occurs in CSV text, so bytes with NULs are either
UTF-16 saved without a byte-order mark (read as such when every other byte is NUL, as in text of
mostly ASCII characters) or binary data (refused). A malformed file (a field longer than the
csv module's limit, typically an unclosed quote) raises :class:`CSVError` with its line.
"""
from __future__ import annotations

import codecs
import csv
import io

__all__ = ["decode_csv", "csv_records", "iter_records", "CSV_ENCODINGS", "CSVError"]

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
    nul = data.find(b"\x00")
    if nul >= 0:
        if len(data) % 2 == 0:
            for enc in ("utf-16-le", "utf-16-be"):
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _looks_like_text(text):
                    return text, enc
        raise UnicodeDecodeError("utf-8", data, nul, nul + 1,
                                 "NUL byte: binary data, not CSV text")
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


def _lines(text: str):
    """The lines of ``text`` with their endings (cut at ``\\n``), one at a time."""
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        yield text[start:end]
        start = end


def _looks_like_text(text: str) -> bool:
    """Text of a table: no NUL, a line break or a separator, and (almost) only ASCII, CJK and
    full-width characters — what UTF-16 bytes decoded in the right byte order give."""
    if not text or "\x00" in text or not any(c in text for c in "\n,\t;"):
        return False
    sample = text[:4096]
    good = sum(1 for c in sample if " " <= c <= "~" or c in "\r\n\t\ufeff"
               or "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return good >= 0.95 * len(sample)


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


class CSVError(ValueError):
    """A CSV file the csv module cannot split; ``line`` is the line where it gave up."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def csv_records(text: str) -> list[list[str]]:
    """Split CSV text into records (lists of fields). Blank lines are kept as empty records, so
    that record *i* (1-based) is row *i* as a spreadsheet program shows the file.

    Raises
    ------
    CSVError
        When the text cannot be split (e.g. a field longer than ``csv.field_size_limit()``,
        usually an unclosed quote).
    """
    return list(iter_records(text))


def iter_records(text: str):
    """:func:`csv_records` one record at a time (a reader can stop early at a size limit)."""
    # lines are cut lazily from the text: io.StringIO would hold a 4-byte-per-character copy
    lines = _lines(text) if "\n" in text else io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=_delimiter(text))
    try:
        yield from reader
    except csv.Error as e:
        hint = ("; a quote (\") is probably not closed" if "field larger" in str(e) else "")
        raise CSVError(f"{e} (near line {reader.line_num}){hint}", line=reader.line_num) \
            from None
