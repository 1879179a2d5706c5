"""Read and validate a workbook: an .xlsx file or a folder of CSV files (see
:mod:`perfkit.model.schema` for the format).

Reading
-------
* Sheets (CSV files) are matched to tables by the English name, the Chinese name or an alias
  (``projects`` / ``项目`` / ``项目信息``), after NFKC normalisation, removal of white space and
  case folding; a leading number such as ``1.`` or ``表2`` is ignored. Other sheets are skipped
  with a note in ``Workbook.meta["notes"]``.
* Headers are matched the same way (also ignoring ``*`` marks and a trailing unit in brackets,
  ``年初预算数（万元）``). The header row is the row, among the first ``HEADER_SCAN_ROWS`` non-empty
  rows, that matches the most known headers; title rows above it are skipped. A two-row header
  (a group header over sub-headers, or headers merged down over two rows) is read as one.
  Merged cells take the value of their top-left cell: everywhere they cover in the title and
  header rows, and down the first column of the range in the data (a project code merged down
  over its indicator rows applies to each of them; a value merged across columns is not copied
  into the neighbouring columns).
* Columns that are not part of the format are dropped, with a note. Fully empty rows are skipped,
  and so are footer rows that start with 合计/总计/小计/填表人/填报人/审核人/负责人/联系人/注:/说明:
  (noted). ``_row`` is always the row number the user sees (1-based, header rows included) and
  ``_sheet`` the sheet or CSV file name.
* Every cell is read as text or as the number Excel stored, never with type inference: ids
  (``*_id``) are text end to end (``00123`` stays ``00123``, a number cell ``123`` becomes
  ``"123"``), NFKC-normalised so full-width and half-width codes agree. A percent-formatted number
  is read as the user sees it (0.95 shown as 95% → ``"95%"`` → 95.0); a date cell as ISO text.

Validation
----------
All problems of the input are collected and raised together (:class:`~perfkit.errors.InputErrors`),
each naming the file, sheet, row, column (the header as printed in the file, with the canonical
name in brackets when they differ, e.g. ``年度指标值 (target)``), the value and the rule:
missing required sheet or column, required cell empty, not a number / not a whole number, below
``min`` or above ``max``, a unit that differs from the column's unit (``300000元`` in a 万元
column), a choice not in the list (with the usual variants accepted, see
:func:`perfkit.io.values.enum_variants`), an unknown flag in a list column, a flag that is not
是/否, duplicate keys (each duplicate names the row of the first occurrence), and foreign keys
(a budget/monthly/indicator/survey row whose project and year are not in the projects sheet, a
project whose department and year are not in the departments sheet). Indicator targets and
actuals are read by :func:`perfkit.io.values.resolve_indicators`. Each row of the optional
indicator_progress sheet (指标监控) must name an indicator of the indicators sheet (same project,
year and 一级/二级/三级指标); its 累计完成值 and 全年预计完成值 are read against that indicator's
target by :func:`perfkit.io.values.resolve_progress`.

Output dtypes
-------------
text and choice columns: object (``None`` when blank); list columns: tuples of flags; float
columns: float64; required int columns: int64; optional int columns: float64 (NaN when blank);
bool columns: pandas ``boolean``. The indicators table gains ``target_value``, ``actual_value``
(float), ``target_text``, ``actual_text`` (the cells as read) and ``target_deadline``
(``"YYYY-MM"`` for deadline targets); ``target``/``actual`` hold the NFKC-normalised text.
The indicator_progress table gains ``progress_value``, ``expected_value`` (float) and
``progress_text``, ``expected_text`` (the cells as read) likewise.

Speed
-----
openpyxl reads about 50 000 cells a second, too slow for a district (≈ 250 000 cells). The .xlsx
reader therefore reads the sheet XML directly with a strict pattern for the cell forms that Excel,
WPS, LibreOffice and openpyxl write, and checks that it saw every cell; a sheet it cannot read
that way (unusual attribute order, cells without references) is read with openpyxl instead.

Hostile and broken files
------------------------
Workbooks come from departments, townships and third parties, so the reader assumes nothing
about a file and always ends in a located :class:`~perfkit.errors.InputError` (never another
exception, never an unbounded amount of memory or time):

* **What the file is.** The first bytes are checked before anything is parsed: an empty file,
  an OLE compound file (a password-protected / encrypted .xlsx, or an old .xls renamed), a PNG,
  JPEG, GIF or PDF, an HTML page (what some systems export as "Excel"), a text/CSV file renamed
  .xlsx and anything else that is not a zip archive are each refused by name.
* **Size limits.** An .xlsx larger than :data:`MAX_FILE_BYTES` on disk is refused. Every XML
  part is read through a bounded reader: a part that declares (or turns out to have) more than
  :data:`MAX_PART_BYTES` uncompressed, or parts adding up to more than :data:`MAX_TOTAL_BYTES`,
  are refused before being decompressed — a zip bomb costs nothing. A sheet (or CSV file) with
  more than :data:`MAX_CELLS` cells is refused, and so is a CSV file larger than
  :data:`MAX_CSV_BYTES`. With these limits reading any file stays below about 1 GB of memory
  (``tests/bad_inputs/test_corpus.py`` measures it).
* **Damage.** A truncated zip, a bad CRC, a corrupt deflate stream, an encrypted zip member or
  malformed XML is reported as a damaged file. XML with a DOCTYPE (entity expansion, "billion
  laughs") is refused: OOXML never has one.
* **Formulas without a saved value.** perfkit reads the value a spreadsheet program saved with a
  formula, never the formula. A formula cell without one (files written by openpyxl and some
  generators store no results) is an error naming its cell in a column the format uses (it is
  not read as blank, 0 or the formula text), and a note elsewhere.
* **CSV.** A NUL byte marks binary data or UTF-16 without a byte-order mark (read as UTF-16 when
  the pattern is unambiguous); a field longer than the csv module's limit (typically an unclosed
  quote) is reported with its line.
"""
from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from ..errors import Collector, InputError
from ..model.schema import TABLES, Column, Table
from ..model.workbook import ROW, SHEET, Workbook
from . import csvio
from .values import (BLANK_MARKERS, _key1, _number_parts, normalise, parse_bool, parse_choice,
                     parse_list, resolve_indicators, resolve_progress, texts, to_text)

__all__ = ["read_workbook", "prime_cache", "cached_workbooks", "clear_cache", "HEADER_SCAN_ROWS",
           "INDICATOR_EXTRAS", "PROGRESS_EXTRAS"]

#: the header row is looked for among this many first non-empty rows
HEADER_SCAN_ROWS = 6
#: columns the reader adds to the indicators table
INDICATOR_EXTRAS = ("target_value", "actual_value", "target_text", "actual_text",
                    "target_deadline")
#: columns the reader adds to the indicator_progress table (指标监控)
PROGRESS_EXTRAS = ("progress_value", "expected_value", "progress_text", "expected_text")
#: the columns of the indicator_progress table that are read against the indicator's target
_PROGRESS_VALUES = ("progress", "expected")
#: at most this many cells are filled from merged ranges in one sheet
MAX_MERGED_CELLS = 500_000
#: an .xlsx file larger than this on disk is refused (a district workbook is a few MB)
MAX_FILE_BYTES = 200 * 2**20
#: an XML part of an .xlsx that decompresses to more than this is refused (zip bombs)
MAX_PART_BYTES = 128 * 2**20
#: the XML parts read from one .xlsx may add up to at most this, uncompressed
MAX_TOTAL_BYTES = 256 * 2**20
#: a CSV file larger than this is refused
MAX_CSV_BYTES = 128 * 2**20
#: a sheet or CSV file with more cells than this is refused (a district has ≈ 250 000 in all)
MAX_CELLS = 1_000_000
#: engine for .xlsx sheets: "auto" (fast reader, openpyxl when it cannot) or "openpyxl"
_XLSX_ENGINE = "auto"

_FOOTER_START = frozenset("合总小填制审负单财项联注说备")
_FOOTER = re.compile(r"^(?:合计|总计|小计|填表人|填报人|制表人|审核人|负责人|单位负责人|财务负责人|"
                     r"项目负责人|联系人|联系电话|注[:：]|说明[:：]|备注[:：])")


# ============================================================================================
# raw sheets
# ============================================================================================
@dataclass
class RawSheet:
    """A sheet (or CSV file) as a compact grid of cell values."""

    label: str                   # sheet or CSV file name → ``_sheet``
    file: str                    # file for problems
    sheet: str | None            # sheet for problems (None for CSV)
    values: np.ndarray           # object, rows × columns; None for blank cells
    rownums: np.ndarray          # row number of each grid row as the user sees it (1-based)
    colnums: np.ndarray          # column number of each grid column (1-based)
    notes: list[str] = field(default_factory=list)
    #: formula cells without a saved value: (row, column number or None, formula text)
    formulas: list = field(default_factory=list)


def _col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


@lru_cache(maxsize=4096)
def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _grid(rows: Iterable[int], cols: Iterable[int], vals: list) -> tuple[np.ndarray, np.ndarray,
                                                                         np.ndarray]:
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    if len(r) == 0:
        return np.empty((0, 0), dtype=object), r, c
    rownums, ri = np.unique(r, return_inverse=True)
    colnums, ci = np.unique(c, return_inverse=True)
    values = np.full((len(rownums), len(colnums)), None, dtype=object)
    v = np.empty(len(vals), dtype=object)
    v[:] = vals
    values[ri, ci] = v
    return values, rownums, colnums


def _apply_merges(rows: list, cols: list, vals: list, merges: Iterable[str], notes: list,
                  where: str) -> None:
    """Give the cells of merged ranges the value of the top-left cell (in place).

    In the top rows (titles and headers: the first ``HEADER_SCAN_ROWS + 1`` rows with values) a
    merged range is filled entirely, so a group header or a header merged down two rows reads
    as one. Below, only the range's first column is filled downwards: a project code merged over
    its indicator rows applies to each row, but a value merged across columns is not copied
    into the neighbouring columns (which mean something else).
    """
    merges = list(merges)
    if not merges or not rows:
        return
    pos = {(r, c): i for i, (r, c) in enumerate(zip(rows, cols))}
    max_r, max_c = max(rows), max(cols)
    top = sorted(set(rows))[:HEADER_SCAN_ROWS + 1][-1]
    budget = MAX_MERGED_CELLS
    for ref in merges:
        m = re.fullmatch(r"([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?", ref)
        if not m or not m.group(3):
            continue
        c1, r1, c2, r2 = (_col_number(m.group(1)), int(m.group(2)), _col_number(m.group(3)),
                          int(m.group(4)))
        i = pos.get((r1, c1))
        if i is None:
            continue
        v = vals[i]
        r2, c2 = min(r2, max_r), min(c2, max_c)
        if r1 > top:
            c2 = c1
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) in pos:
                    continue
                budget -= 1
                if budget < 0:
                    notes.append(f"{where}: merged ranges cover too many cells; only the first "
                                 f"{MAX_MERGED_CELLS} were filled")
                    return
                pos[(r, c)] = len(rows)
                rows.append(r)
                cols.append(c)
                vals.append(v)


# --------------------------------------------------------------------------------------------
# .xlsx
# --------------------------------------------------------------------------------------------
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DATE_IDS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_PCT_IDS = {9, 10}
_XESC = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _unx(s: str) -> str:
    """Undo the OOXML ``_xHHHH_`` escapes."""
    return _XESC.sub(lambda m: chr(int(m.group(1), 16)), s) if "_x" in s else s


class _Damaged(Exception):
    """A part of the .xlsx cannot be read (too large, damaged, not XML); → InputError."""


#: what reading a damaged or hostile zip member can raise
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
               RuntimeError, NotImplementedError, ValueError, OverflowError, struct.error)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def _part(zf: zipfile.ZipFile, name: str) -> bytes:
    """The bytes of one zip member, read within :data:`MAX_PART_BYTES` and the file's
    :data:`MAX_TOTAL_BYTES` (KeyError when absent; :class:`_Damaged` when too large or damaged).
    """
    info = zf.getinfo(name)                      # KeyError: absent
    used = getattr(zf, "_perfkit_read", 0)
    limit = min(MAX_PART_BYTES, MAX_TOTAL_BYTES - used)
    if info.file_size > limit:
        raise _Damaged(f"part {name!r} decompresses to {_mb(info.file_size)}, above the limit of "
                       f"{_mb(limit)} (a zip bomb, or a workbook too large to read: split it)")
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except _ZIP_ERRORS as e:
        raise _Damaged(f"part {name!r} is damaged ({type(e).__name__}: {e})") from None
    if len(data) > limit:
        raise _Damaged(f"part {name!r} decompresses to more than {_mb(limit)} (a zip bomb, or a "
                       "workbook too large to read: split it)")
    zf._perfkit_read = used + len(data)         # type: ignore[attr-defined]
    return data


def _no_doctype(data: bytes, name: str) -> bytes:
    """Refuse XML that declares a DOCTYPE or entities (text in cells is escaped, so these bytes
    are markup wherever they occur)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _Damaged(f"part {name!r} declares a DOCTYPE or entities, which no spreadsheet "
                       "program writes; refused")
    return data


def _xml(zf: zipfile.ZipFile, name: str):
    """A parsed XML part (KeyError when absent; :class:`_Damaged` when not well-formed XML)."""
    data = _no_doctype(_part(zf, name), name)
    try:
        return ET.fromstring(data)
    except (ET.ParseError, ValueError) as e:
        raise _Damaged(f"part {name!r} is not well-formed XML ({e})") from None


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    d, b = posixpath.split(part)
    rel_part = posixpath.join(d, "_rels", b + ".rels")
    try:
        root = _xml(zf, rel_part)
    except KeyError:
        return {}
    out = {}
    for r in root:
        tgt = r.get("Target", "")
        if r.get("TargetMode") == "External":
            continue
        tgt = tgt.lstrip("/") if tgt.startswith("/") else posixpath.normpath(posixpath.join(d, tgt))
        out[r.get("Id")] = (tgt, r.get("Type", ""))
    return out


def _workbook_parts(zf: zipfile.ZipFile):
    """(sheets [(name, part)], shared-strings part, styles part, date1904)."""
    wb_part = "xl/workbook.xml"
    for tgt, typ in _rels(zf, "").values():
        if typ.endswith("/officeDocument"):
            wb_part = tgt
    root = _xml(zf, wb_part)
    rels = _rels(zf, wb_part)
    date1904 = False
    sheets = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "workbookPr":
            date1904 = el.get("date1904", "0").lower() in ("1", "true")
        elif name == "sheet":
            rid = el.get(f"{{{_REL_NS}}}id") or el.get(
                "{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
            part = rels.get(rid, (None, ""))[0]
            if part:
                sheets.append((el.get("name", ""), part))
    ss = st = None
    for tgt, typ in rels.values():
        if typ.endswith("/sharedStrings"):
            ss = tgt
        elif typ.endswith("/styles"):
            st = tgt
    return sheets, ss, st, date1904


def _shared_strings(zf: zipfile.ZipFile, part: str | None) -> list[str]:
    if not part:
        return []
    try:
        root = _xml(zf, part)
    except KeyError:
        return []
    out = []
    for si in root:
        buf = []
        for ch in si:
            n = _local(ch.tag)
            if n == "t":
                buf.append(ch.text or "")
            elif n == "r":
                for t in ch:
                    if _local(t.tag) == "t":
                        buf.append(t.text or "")
        out.append(_unx("".join(buf)))
    return out


def _fmt_kind(code: str) -> str | None:
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    if "%" in bare:
        return "pct"
    from openpyxl.styles.numbers import is_date_format
    return "date" if is_date_format(code) else None


def _style_kinds(zf: zipfile.ZipFile, part: str | None) -> list[str | None]:
    """For each cell style (xf) index: "pct", "date" or None."""
    if not part:
        return []
    try:
        root = _xml(zf, part)
    except KeyError:
        return []
    codes = {}
    for el in root.iter():
        if _local(el.tag) == "numFmt":
            try:
                codes[int(el.get("numFmtId"))] = el.get("formatCode", "")
            except (TypeError, ValueError):
                pass
    kinds: list[str | None] = []
    for el in root:
        if _local(el.tag) != "cellXfs":
            continue
        for xf in el:
            try:
                fid = int(xf.get("numFmtId", "0"))
            except ValueError:
                fid = 0
            if fid in codes:
                kinds.append(_fmt_kind(codes[fid]))
            elif fid in _PCT_IDS:
                kinds.append("pct")
            elif fid in _DATE_IDS:
                kinds.append("date")
            else:
                kinds.append(None)
    return kinds


def _pct_text(x: float) -> str:
    return f"{to_text(round(x * 100, 10))}%"


def _date_text(x: float, date1904: bool) -> str | None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
    try:
        return to_text(from_excel(x, CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900))
    except (ValueError, OverflowError, TypeError):
        return to_text(x)


@lru_cache(maxsize=8)
def _cell_regex(prefix: str) -> re.Pattern:
    p = re.escape(prefix)
    return re.compile(
        rf'<{p}c r="([A-Z]{{1,3}})([0-9]+)"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?'
        rf'(?: s="([0-9]+)")?\s*(?:/>|>(?:<{p}v>([^<]*)</{p}v>|<{p}is><{p}t'
        rf'(?: xml:space="preserve")?>([^<]*)</{p}t></{p}is>|(.*?))</{p}c>)', re.S)


def _body_value(body: str, prefix: str) -> tuple[str | None, str | None]:
    """(value text, inline text) of a cell body that is not the simple ``<v>`` form."""
    p = re.escape(prefix)
    v = re.search(rf"<{p}v(?:\s[^>]*)?>([^<]*)</{p}v>", body)
    body_is = re.sub(rf"<{p}rPh\b.*?</{p}rPh>", "", body, flags=re.S)
    ts = re.findall(rf"<{p}t(?:\s[^>]*)?>([^<]*)</{p}t>", body_is)
    return (v.group(1) if v else None), ("".join(ts) if ts else None)


@lru_cache(maxsize=65536)
def _clean(s: str) -> str | None:
    """Cell text from the XML: entities and ``_xHHHH_`` escapes undone, trimmed, None if empty."""
    return _unescape(s).strip() or None


def _unescape(s: str) -> str:
    if "&" in s:
        s = html.unescape(s)
    return _unx(s)


def _sheet_fast(data: bytes, strings: list[str | None], kinds: list, date1904: bool,
                notes: list, where: str, formulas: list | None = None):
    """Cells of one worksheet part → (rows, cols, vals, merges), or None when the sheet uses
    a form this reader does not handle (the caller then uses openpyxl). Formula cells without a
    saved value are appended to ``formulas`` as (row, column, formula text)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    m = re.search(r"<(?:([A-Za-z_][\w.\-]*):)?worksheet\b", text)
    if not m:
        return None
    prefix = f"{m.group(1)}:" if m.group(1) else ""
    p = re.escape(prefix)
    start = text.find(f"<{prefix}sheetData")
    end = text.rfind(f"</{prefix}sheetData>")
    body = text[start:end] if start >= 0 and end > start else ""
    tail = text[end:] if end > 0 else text
    merges = re.findall(rf'<{p}mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"', tail)
    tag = f"<{prefix}c"
    n_tags = sum(body.count(tag + e) for e in (" ", ">", "/", "\n", "\t", "\r"))
    if n_tags > MAX_CELLS:
        raise _Damaged(f"{where} has {n_tags:,} cells, more than the limit of {MAX_CELLS:,}; "
                       "split the workbook (by year or department)")
    matches = _cell_regex(prefix).findall(body)
    if n_tags != len(matches):
        return None
    if not matches:
        return [], [], [], merges
    grid = np.array(matches, dtype=object)
    letters, rn, s1, t, s2, v, inl, other = (grid[:, k] for k in range(8))
    n = len(v)
    no_cache = []
    if any(other):                              # formulas, rich text: the rare forms
        for i in np.flatnonzero(other != ""):
            v2, inl2 = _body_value(other[i], prefix)
            is_f = re.search(rf"<{p}f\b", other[i]) is not None
            # no saved value: no <v> at all, or an empty <v> where only text may be empty
            if is_f and inl2 is None and (v2 is None or (v2 == "" and t[i] not in ("str", "s",
                                                                                  "inlineStr"))):
                fm = re.search(rf"<{p}f(?:\s[^>]*)?>([^<]*)</{p}f>", other[i])
                no_cache.append((int(rn[i]), _col_number(letters[i]),
                                 "=" + _unescape(fm.group(1)) if fm else None))
                t[i] = "blank"
                continue
            if v2 is None and inl2 is None:
                t[i] = "blank"
                continue
            v[i] = v2 if v2 is not None else ""
            inl[i] = inl2 if inl2 is not None else ""
    vals = np.full(n, None, dtype=object)
    is_num = ((t == "") | (t == "n")) & (v != "")
    is_s = t == "s"
    is_inl = t == "inlineStr"
    is_b = t == "b"
    is_txt = (t == "str") | (t == "e") | (t == "d")
    known = is_num | is_s | is_inl | is_b | is_txt | (t == "") | (t == "n") | (t == "blank")
    if not known.all():
        return None
    if is_s.any():
        try:
            idx = np.array([int(x) for x in v[is_s]], dtype=np.int64)
            vals[is_s] = np.array(strings, dtype=object)[idx]
        except (ValueError, IndexError):
            return None
    if is_inl.any():
        vals[is_inl] = [_clean(x) for x in inl[is_inl]]
    if is_txt.any():
        vals[is_txt] = [_clean(x) for x in v[is_txt]]
    if is_b.any():
        vals[is_b] = [x.strip() in ("1", "true") for x in v[is_b]]
    if is_num.any():
        num_idx = np.flatnonzero(is_num)
        nums = pd.to_numeric(pd.Series(v[num_idx]), errors="coerce").to_numpy(dtype=float)
        vals[num_idx] = nums
        bad = np.isnan(nums)
        if bad.any():
            vals[num_idx[bad]] = [_clean(x) for x in v[num_idx[bad]]]
        if kinds:
            st = np.where(s1[num_idx] != "", s1[num_idx], s2[num_idx])
            for code in set(st.tolist()) - {""}:
                si = int(code)
                k = kinds[si] if si < len(kinds) else None
                if not k:
                    continue
                for i in num_idx[(st == code) & ~bad]:
                    vals[i] = (_pct_text(vals[i]) if k == "pct" else _date_text(vals[i], date1904))
    keep = ~pd.isna(vals)
    rows = rn[keep].astype(np.int64)
    cols = list(map(_col_number, letters[keep]))
    if no_cache and formulas is not None:
        formulas.extend(no_cache)
    return rows.tolist(), cols, vals[keep].tolist(), merges


_ANY_CELL = re.compile(r"<(?:[\w.\-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.\-]+:)?c>)", re.S)
_CELL_REF = re.compile(r'\br\s*=\s*["\']([A-Z]{1,3})([0-9]+)["\']')
_CELL_TYPE = re.compile(r'\bt\s*=\s*["\']([A-Za-z]+)["\']')


def _uncached_formulas(text: str) -> list:
    """(row, column, formula) of the formula cells of a sheet's XML that have no saved value
    (row and column None when the cell has no reference)."""
    out = []
    for m in _ANY_CELL.finditer(text):
        body = m.group(2) or ""
        if not re.search(r"<(?:[\w.\-]+:)?f\b", body):
            continue
        v = re.search(r"<(?:[\w.\-]+:)?v(?:\s[^>]*)?>([^<]*)</", body)
        typ = _CELL_TYPE.search(m.group(1))
        if v is not None and (v.group(1) != "" or (typ and typ.group(1) in ("str", "s"))):
            continue
        if re.search(r"<(?:[\w.\-]+:)?is\b", body):
            continue
        ref = _CELL_REF.search(m.group(1))
        fm = re.search(r"<(?:[\w.\-]+:)?f(?:\s[^>]*)?>([^<]*)</", body)
        out.append((int(ref.group(2)) if ref else None,
                    _col_number(ref.group(1)) if ref else None,
                    "=" + _unescape(fm.group(1)) if fm else None))
    return out


def _sheet_openpyxl(wb, name: str, raw: bytes, formulas: list | None = None):
    """The slow, general path: openpyxl in read-only mode (merged ranges from the sheet XML)."""
    ws = wb[name]
    rows, cols, vals = [], [], []
    text = raw.decode("utf-8", errors="replace")
    if formulas is not None:
        formulas.extend(_uncached_formulas(text))
    for row in ws.iter_rows():
        if len(vals) > MAX_CELLS:
            raise _Damaged(f"sheet {name!r} has more than {MAX_CELLS:,} cells; split the "
                           "workbook (by year or department)")
        for c in row:
            v = getattr(c, "value", None)
            if v is None:
                continue
            if isinstance(v, str):
                v = v.strip()
                if not v:
                    continue
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                fmt = getattr(c, "number_format", "") or ""
                if _fmt_kind(fmt) == "pct":
                    v = _pct_text(float(v))
            elif not isinstance(v, bool):
                v = to_text(v)
            rows.append(c.row)
            cols.append(c.column)
            vals.append(v)
    merges = re.findall(r'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"',
                        text)
    return rows, cols, vals, merges


#: an .xlsx with more zip members than this is refused (a workbook has a few dozen)
MAX_ZIP_MEMBERS = 10_000
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def _sniff(path: Path) -> None:
    """Refuse, by name, a file that is not a zip archive (or is too large) before parsing it."""
    file = str(path)
    if not path.is_file():
        raise InputError("not a regular file", file=file)
    size = path.stat().st_size
    if size == 0:
        raise InputError("not a readable .xlsx file: the file is empty (0 bytes)", file=file)
    if size > MAX_FILE_BYTES:
        raise InputError(f"the file is {_mb(size)}, above the limit of {_mb(MAX_FILE_BYTES)} for "
                         "a workbook; split it (by year or department)", file=file)
    with open(path, "rb") as fh:
        head = fh.read(512)
        fh.seek(max(0, size - 65_557))
        tail = fh.read()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        i = tail.rfind(b"PK\x05\x06")
        if i >= 0 and len(tail) >= i + 12:
            n = int.from_bytes(tail[i + 10:i + 12], "little")
            if n > MAX_ZIP_MEMBERS:
                raise InputError(f"the zip archive declares {n:,} parts, more than the limit "
                                 f"of {MAX_ZIP_MEMBERS:,}: not a workbook", file=file)
        return
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_OLE):
        what = ("an OLE compound file: the workbook is password-protected (encrypted), or it is "
                "an old .xls file renamed; remove the password (文件 → 信息 → 保护工作簿) or save "
                "it as .xlsx")
    elif head.startswith(b"\x89PNG"):
        what = "a PNG image, not a spreadsheet"
    elif head.startswith(b"\xff\xd8\xff"):
        what = "a JPEG image, not a spreadsheet"
    elif head.startswith((b"GIF87a", b"GIF89a")):
        what = "a GIF image, not a spreadsheet"
    elif head.startswith(b"%PDF"):
        what = "a PDF document, not a spreadsheet"
    elif low.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
            low.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office" in head):
        what = ("an HTML or XML page with a spreadsheet name (some systems export such pages "
                "as Excel); open it in Excel or WPS and save it as .xlsx")
    elif b"\x00" not in head:
        what = ("a text file, not an .xlsx (a CSV file renamed?); a CSV workbook is a folder "
                "of .csv files, one per table")
    else:
        what = "not an .xlsx file (not a zip archive)"
    raise InputError(f"not a readable .xlsx file: the file is {what}", file=file)


def _read_xlsx(path: Path, col: Collector, notes: list) -> tuple[dict[str, RawSheet], list]:
    file = str(path)
    _sniff(path)
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as e:          # truncated, damaged, "zip file version 14.8" …
        raise InputError(f"not a readable .xlsx file: the zip archive is damaged or truncated "
                         f"({e})", file=file) from None
    with zf:
        try:
            return _read_xlsx_zip(zf, path, col, notes)
        except _Damaged as e:
            raise InputError(f"not a readable .xlsx file: {e}", file=file) from None
        except KeyError as e:
            raise InputError(f"not a readable .xlsx file: part {e} is missing", file=file) \
                from None


def _read_xlsx_zip(zf: zipfile.ZipFile, path: Path, col: Collector, notes: list
                   ) -> tuple[dict[str, RawSheet], list]:
    file = str(path)
    infos = zf.infolist()
    big = [i for i in infos if i.file_size > MAX_PART_BYTES]
    if big:
        raise _Damaged(f"part {big[0].filename!r} decompresses to {_mb(big[0].file_size)}, above "
                       f"the limit of {_mb(MAX_PART_BYTES)} (a zip bomb, or a workbook too large "
                       "to read: split it)")
    total = sum(i.file_size for i in infos)
    if total > 4 * MAX_TOTAL_BYTES:
        raise _Damaged(f"the parts decompress to {_mb(total)} in all, above the limit of "
                       f"{_mb(4 * MAX_TOTAL_BYTES)}")
    sheets, ss_part, st_part, date1904 = _workbook_parts(zf)
    chosen: dict[str, tuple[str, str]] = {}
    for name, part in sheets:
        t = _match_table(name)
        if t is None:
            notes.append(f"sheet {name!r} is not a table of the format; ignored")
            continue
        if t in chosen:
            col.add(f"two sheets hold table {t!r} ({TABLES[t].zh}): {chosen[t][0]!r} and "
                    f"{name!r}; keep one", file=file, sheet=name)
            continue
        chosen[t] = (name, part)
    out: dict[str, RawSheet] = {}
    if not chosen:
        return out, [n for n, _ in sheets]
    strings = [x.strip() or None for x in _shared_strings(zf, ss_part)]
    kinds = _style_kinds(zf, st_part)
    opx = None
    try:
        for t, (name, part) in chosen.items():
            where = f"sheet {name!r}"
            try:
                raw = _no_doctype(_part(zf, part), part)
            except KeyError:
                col.add("the sheet's data is missing from the file", file=file, sheet=name)
                out[t] = None
                continue
            formulas: list = []
            res = None
            if _XLSX_ENGINE != "openpyxl":
                try:
                    res = _sheet_fast(raw, strings, kinds, date1904, notes, where, formulas)
                except (ValueError, OverflowError, IndexError) as e:
                    raise _Damaged(f"{where} has impossible cell contents ({e})") from None
            if res is None:
                formulas = []
                try:
                    if opx is None:
                        import warnings

                        import openpyxl
                        with warnings.catch_warnings():   # unsupported extensions, styles
                            warnings.simplefilter("ignore", UserWarning)
                            opx = openpyxl.load_workbook(path, read_only=True, data_only=True)
                    res = _sheet_openpyxl(opx, name, raw, formulas)
                except (_Damaged, InputError):
                    raise
                except Exception as e:  # noqa: BLE001 - a third-party parser on any bytes
                    raise _Damaged(f"{where} cannot be read ({type(e).__name__}: {e})") from None
            rows, cols, vals, merges = res
            _apply_merges(rows, cols, vals, merges, notes, where)
            try:
                values, rownums, colnums = _grid(rows, cols, vals)
            except (ValueError, OverflowError, MemoryError) as e:
                raise _Damaged(f"{where} has impossible cell positions ({e})") from None
            out[t] = RawSheet(name, file, name, values, rownums, colnums, formulas=formulas)
    finally:
        if opx is not None:
            opx.close()
    return out, [n for n, _ in sheets]


# --------------------------------------------------------------------------------------------
# CSV folder
# --------------------------------------------------------------------------------------------
def _read_csv_folder(folder: Path, col: Collector, notes: list, encodings: dict
                     ) -> tuple[dict[str, RawSheet], list]:
    out: dict[str, RawSheet | None] = {}      # None: the file was found but is unreadable
    seen: dict[str, str] = {}
    names = []
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if not f.is_file() or f.suffix.lower() != ".csv":
            if f.is_file() and not f.name.startswith("."):
                notes.append(f"file {f.name!r} is not a .csv file; ignored")
            continue
        names.append(f.name)
        t = _match_table(f.stem)
        if t is None:
            notes.append(f"file {f.name!r} is not a table of the format; ignored")
            continue
        if t in seen:
            col.add(f"two files hold table {t!r} ({TABLES[t].zh}): {seen[t]!r} and "
                    f"{f.name!r}; keep one", file=str(f))
            continue
        seen[t] = f.name
        out[t] = None
        try:
            size = f.stat().st_size
            if size > MAX_CSV_BYTES:
                col.add(f"the file is {_mb(size)}, above the limit of {_mb(MAX_CSV_BYTES)} for "
                        "one table; split it (by year or department)", file=str(f))
                continue
            data = f.read_bytes()
        except OSError as e:
            col.add(f"cannot read the file ({e.strerror or e})", file=str(f))
            continue
        try:
            text, enc = csvio.decode_csv(data)
        except UnicodeDecodeError as e:
            why = e.reason if e.reason.startswith("NUL") else "it is not UTF-8 or GB18030 text"
            col.add(f"cannot decode the file: {why} (byte {e.start}); save it as CSV UTF-8",
                    file=str(f))
            continue
        encodings[f.name] = enc
        del data
        rows, cols, vals = [], [], []
        try:
            for i, rec in enumerate(csvio.iter_records(text), start=1):
                for j, v in enumerate(rec, start=1):
                    v = v.strip()
                    if v:
                        rows.append(i)
                        cols.append(j)
                        vals.append(v)
                if len(vals) > MAX_CELLS:
                    break
        except csvio.CSVError as e:
            col.add(f"not a readable CSV file: {e}", file=str(f), row=e.line)
            continue
        del text
        if len(vals) > MAX_CELLS:
            col.add(f"the file has more than {MAX_CELLS:,} cells, the limit for one table; split "
                    "it (by year or department)", file=str(f))
            continue
        values, rownums, colnums = _grid(rows, cols, vals)
        out[t] = RawSheet(f.name, str(f), None, values, rownums, colnums)
    return out, names


# ============================================================================================
# names and headers
# ============================================================================================
_LEAD_NUM = re.compile(r"^(?:附?表)?[0-9]+(?:[-.][0-9]+)*[.、:_\-)]*")


@lru_cache(maxsize=None)
def _table_keys() -> dict[str, str]:
    out = {}
    for t in TABLES.values():
        for n in (t.name, t.zh, *t.aliases):
            out[_key1(n)] = t.name
    return out


def _match_table(name: str) -> str | None:
    k = _key1(name)
    if k is None:
        return None
    keys = _table_keys()
    if k in keys:
        return keys[k]
    k2 = _LEAD_NUM.sub("", k)
    return keys.get(k2) if k2 else None


_PAREN_TAIL = re.compile(r"\([^()]*\)$")


def _hkey(v) -> str | None:
    k = _key1(v)
    return (k.strip("*※") or None) if k else None


@lru_cache(maxsize=None)
def _header_keys(table: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in TABLES[table].columns:
        for h in c.headers:
            k = _hkey(h)
            if k in out and out[k] != c.name:
                raise RuntimeError(f"schema: header {h!r} is ambiguous in table {table!r}")
            out[k] = c.name
    return out


def _match_header(v, table: str) -> str | None:
    k = _hkey(v)
    if k is None:
        return None
    keys = _header_keys(table)
    if k in keys:
        return keys[k]
    k2 = _PAREN_TAIL.sub("", k)
    return keys.get(k2) if k2 != k else None


def _header_text(v) -> str:
    t = to_text(v) or ""
    return re.sub(r"\s+", " ", t).strip()


# ============================================================================================
# building one table
# ============================================================================================
@dataclass
class _Ctx:
    table: Table
    sheet: RawSheet
    col: Collector
    labels: dict = field(default_factory=dict)      # canonical column → label for problems
    present: set = field(default_factory=set)       # canonical columns found in the file

    def label(self, name: str) -> str:
        if name in self.labels:
            return self.labels[name]
        c = self.table.column(name)
        return f"{c.zh} ({c.name})"

    def add(self, rule: str, *, row=None, column=None, value=None):
        self.col.add(rule, file=self.sheet.file, sheet=self.sheet.sheet, row=row,
                     column=column, value=value)

    def cells(self, mask, rows, name, values, rule):
        label = self.label(name)
        mask = np.asarray(mask, dtype=bool)
        vals = np.asarray(values, dtype=object)
        for i in np.flatnonzero(mask):
            r = rule[i] if isinstance(rule, (list, np.ndarray)) else rule
            self.col.add(r, file=self.sheet.file, sheet=self.sheet.sheet, row=int(rows[i]),
                         column=label, value=to_text(vals[i]))


def _find_header(sh: RawSheet, table: str) -> tuple[list[int], dict[int, str], dict[int, str]]:
    """(header grid-row positions, {grid column → canonical}, {grid column → header text})."""
    n = min(HEADER_SCAN_ROWS, sh.values.shape[0])
    matches = []
    for i in range(n):
        m = {}
        for j, v in enumerate(sh.values[i]):
            c = _match_header(v, table)
            if c is not None:
                m[j] = c
        matches.append(m)
    if not matches:
        return [], {}, {}
    score = [len(set(m.values())) for m in matches]
    best = int(np.argmax(score))
    if score[best] == 0:
        return [], {}, {}
    cols = dict(matches[best])
    rows = [best]
    if best + 1 < sh.values.shape[0]:
        nxt = matches[best + 1] if best + 1 < n else {
            j: c for j, v in enumerate(sh.values[best + 1])
            if (c := _match_header(v, table)) is not None}
        combined = dict(cols)
        for j, c in nxt.items():
            if j not in combined:
                combined[j] = c
        if len(set(combined.values())) > score[best]:
            cols = combined
            rows = [best, best + 1]
    text = {}
    for j in range(sh.values.shape[1]):
        for i in rows:
            if j in cols and _match_header(sh.values[i, j], table) == cols[j]:
                text[j] = _header_text(sh.values[i, j])
                break
        else:
            vals = [_header_text(sh.values[i, j]) for i in rows if sh.values[i, j] is not None]
            if vals:
                text[j] = " / ".join(dict.fromkeys(vals))
    return rows, cols, text


def _empty_frame(t: Table) -> pd.DataFrame:
    data = {}
    for c in t.columns:
        data[c.name] = pd.Series(dtype=_dtype(c))
    if t.name == "indicators":
        for e in INDICATOR_EXTRAS:
            data[e] = pd.Series(dtype=float if e.endswith("_value") else object)
    if t.name == "indicator_progress":
        for e in PROGRESS_EXTRAS:
            data[e] = pd.Series(dtype=float if e.endswith("_value") else object)
    data[ROW] = pd.Series(dtype="int64")
    data[SHEET] = pd.Series(dtype=object)
    return pd.DataFrame(data)


def _dtype(c: Column) -> str:
    return {"float": "float64", "int": "int64" if c.required else "float64",
            "bool": "boolean"}.get(c.dtype, "object")


def _numbers(ctx: _Ctx, c: Column, raw: pd.Series, shown: np.ndarray, rows: np.ndarray
             ) -> pd.Series:
    p = _number_parts(raw)
    bad = ~p["ok"].to_numpy()
    what = "a whole number" if c.dtype == "int" else "a number"
    ctx.cells(bad, rows, c.name, shown, f"must be {what}")
    v = p["value"].to_numpy()
    if c.dtype == "int":
        frac = p["ok"].to_numpy() & ~np.isnan(v) & (v != np.round(v))
        ctx.cells(frac, rows, c.name, shown, "must be a whole number")
        v = np.where(frac, np.nan, v)
    if c.unit:
        u = p["unit"]
        same = u.isna() | (u == c.unit) | ((c.unit == "万元") & (u == "万"))
        wrong = (~same).to_numpy() & p["ok"].to_numpy()
        ctx.cells(wrong, rows, c.name, shown,
                  [f"unit {x} differs from the column's unit {c.unit}" for x in u])
        v = np.where(wrong, np.nan, v)
    if c.min is not None:
        lo = ~np.isnan(v) & (v < c.min)
        rule = "must not be negative" if c.min == 0 else f"must be ≥ {c.min:g}"
        ctx.cells(lo, rows, c.name, shown, rule)
    if c.max is not None:
        hi = ~np.isnan(v) & (v > c.max)
        ctx.cells(hi, rows, c.name, shown, f"must be ≤ {c.max:g}")
    return pd.Series(v, index=raw.index, dtype=float)


def _convert(ctx: _Ctx, c: Column, raw: pd.Series, shown: pd.Series, rows: np.ndarray
             ) -> pd.Series:
    if c.dtype in ("float", "int"):
        return _numbers(ctx, c, raw, raw.to_numpy(dtype=object), rows)
    if c.dtype == "str":
        return normalise(shown) if c.name.endswith("_id") else shown
    raw = shown
    if c.dtype == "enum":
        out, ok = parse_choice(raw, c.choices)
        ctx.cells(~ok.to_numpy(), rows, c.name, shown.to_numpy(dtype=object),
                  f"must be one of: {' / '.join(c.choices)}")
        return out
    if c.dtype == "list":
        out, ok, bad = parse_list(raw, c.choices)
        ctx.cells(~ok.to_numpy(), rows, c.name, shown.to_numpy(dtype=object),
                  [f"unknown flag {b}; allowed: {' / '.join(c.choices)}" for b in bad])
        return out
    if c.dtype == "bool":
        out, ok = parse_bool(raw)
        ctx.cells(~ok.to_numpy(), rows, c.name, shown.to_numpy(dtype=object),
                  "must be 是 or 否 (also Y/N, true/false, 1/0, √/×)")
        return out
    raise RuntimeError(f"schema: unknown dtype {c.dtype!r}")  # pragma: no cover


def _build_table(t: Table, sh: RawSheet, col: Collector, notes: list, meta: dict,
                 years: set[int] | None) -> tuple[pd.DataFrame, _Ctx]:
    ctx = _Ctx(t, sh, col)
    where = f"sheet {sh.sheet!r}" if sh.sheet else f"file {sh.label!r}"
    notes.extend(sh.notes)
    if sh.values.shape[0] == 0:
        if t.required:
            ctx.add(f"the sheet for table {t.name!r} ({t.zh}) is empty")
        return _empty_frame(t), ctx
    hrows, cols, htext = _find_header(sh, t.name)
    if not hrows:
        exp = ", ".join(c.zh for c in t.columns if c.required)
        extra = (f" ({len(sh.formulas)} formula cell(s) have no saved value: open the file in "
                 "Excel or WPS and save it)" if sh.formulas else "")
        ctx.add(f"no header row found in the first {HEADER_SCAN_ROWS} rows; expected headers "
                f"such as {exp}{extra}")
        return _empty_frame(t), ctx
    header_row = int(sh.rownums[hrows[-1]])
    meta["header_rows"][t.name] = [int(sh.rownums[i]) for i in hrows]
    if hrows[0] > 0:
        notes.append(f"{where}: rows {', '.join(str(int(r)) for r in sh.rownums[:hrows[0]])} "
                     "above the header were skipped")

    # columns: known, duplicated, unknown
    pos: dict[str, int] = {}
    for j in sorted(cols):
        name = cols[j]
        letter = _col_letter(int(sh.colnums[j]))
        if name in pos:
            first = _col_letter(int(sh.colnums[pos[name]]))
            ctx.add(f"column appears twice (columns {first} and {letter}); keep one",
                    row=header_row, column=htext.get(j, name))
            continue
        pos[name] = j
        ctx.present.add(name)
        h = htext.get(j, name)
        ctx.labels[name] = h if h == name else f"{h} ({name})"
    data = sh.values[hrows[-1] + 1:]
    rownums = sh.rownums[hrows[-1] + 1:]
    for j in range(sh.values.shape[1]):
        if j in cols:
            continue
        letter = _col_letter(int(sh.colnums[j]))
        if j in htext:
            notes.append(f"{where}, column {letter} {htext[j]!r}: not a column of table "
                         f"{t.name!r}; ignored")
        elif data.shape[0] and any(v is not None for v in data[:, j]):
            notes.append(f"{where}, column {letter}: has values but no header; ignored")
    missing = [c for c in t.columns if c.required and c.name not in pos]
    for c in missing:
        ctx.add("missing required column; use one of the headers "
                + " / ".join(c.headers), row=header_row, column=f"{c.zh} ({c.name})")
    no_value = _formula_problems(ctx, sh, pos, header_row, notes, where)

    # rows: drop empty and footer rows
    if data.shape[0]:
        present = ~pd.isna(data)
        keep = present.any(axis=1)
        first = data[np.arange(data.shape[0]), present.argmax(axis=1)]
        footer = np.array([type(v) is str and v[:1] in _FOOTER_START and bool(_FOOTER.match(v))
                           for v in first], dtype=bool)
        if (footer & keep).any():
            fr = ", ".join(str(int(r)) for r in rownums[footer & keep])
            notes.append(f"{where}: footer row(s) {fr} skipped")
        keep &= ~footer
        data, rownums = data[keep], rownums[keep]
    n = data.shape[0]
    raw = {name: pd.Series(data[:, j], dtype=object) if n else pd.Series([], dtype=object)
           for name, j in pos.items()}

    # year first, so that rows of other years can be dropped before anything else
    shown = {k: (v if t.column(k).dtype in ("float", "int") else texts(v))
             for k, v in raw.items()}
    if "year" in raw:
        year = _convert(ctx, t.column("year"), raw["year"], shown["year"], rownums)
        if years is not None:
            sel = (year.isin(years) | year.isna()).to_numpy()
            if not sel.all():
                year = year[sel].reset_index(drop=True)
                raw = {k: v[sel].reset_index(drop=True) for k, v in raw.items()}
                shown = {k: v[sel].reset_index(drop=True) for k, v in shown.items()}
                rownums = rownums[sel]
                n = len(rownums)
    else:
        year = None

    out: dict[str, pd.Series] = {}
    for c in t.columns:
        if c.name not in raw:
            out[c.name] = pd.Series([None] * n if _dtype(c) == "object" else np.nan, index=range(n),
                                    dtype=_dtype(c) if _dtype(c) != "int64" else "float64")
            if c.dtype == "list":
                out[c.name] = pd.Series([()] * n, dtype=object)
            continue
        r, txt = raw[c.name], shown[c.name]
        if c.required:
            blank = txt.isna() | txt.isin(BLANK_MARKERS)
            if no_value.get(c.name):        # reported as a formula without a saved value
                blank &= ~pd.Series(np.isin(rownums, list(no_value[c.name])), index=blank.index)
            ctx.cells(blank.to_numpy(), rownums, c.name, txt.to_numpy(dtype=object),
                      "required cell is empty")
        if c.name == "year":
            out[c.name] = year
        elif t.name == "indicators" and c.name in ("target", "actual"):
            out[c.name] = normalise(txt)
        elif t.name == "indicator_progress" and c.name in _PROGRESS_VALUES:
            out[c.name] = normalise(txt)
        else:
            out[c.name] = _convert(ctx, c, r, txt, rownums)

    df = pd.DataFrame(out)
    if t.name == "indicators":
        _indicators(ctx, df, shown, rownums, n, notes, where)
    if t.name == "indicator_progress":
        for c in _PROGRESS_VALUES:          # values come with the indicators (_progress)
            df[f"{c}_value"] = np.nan
            df[f"{c}_text"] = (shown[c].astype(object) if c in shown
                               else pd.Series([None] * n, dtype=object))
    for c in t.columns:
        if c.dtype == "int" and c.required and df[c.name].notna().all():
            df[c.name] = df[c.name].astype("int64")
    df[ROW] = np.asarray(rownums, dtype=np.int64)
    df[SHEET] = pd.Series([sh.label] * len(df), index=df.index, dtype=object)
    return df, ctx


def _formula_problems(ctx: _Ctx, sh: RawSheet, pos: dict, header_row: int, notes: list,
                      where: str) -> dict[str, set]:
    """Report formula cells without a saved value: an error in a column of the format below the
    header, a note elsewhere. Returns {canonical column: row numbers} of the errors."""
    out: dict[str, set] = {}
    if not sh.formulas:
        return out
    by_colnum = {int(sh.colnums[j]): name for name, j in pos.items()}
    rule = ("formula without a saved value: perfkit reads the result a spreadsheet program "
            "saved, and this file holds none (it was written by a program that stores formulas "
            "only, e.g. openpyxl); open it in Excel or WPS, let it calculate, and save it")
    elsewhere = 0
    for r, c, ftext in sh.formulas:
        name = by_colnum.get(c) if c is not None else None
        if r is None:
            ctx.add(rule, value=ftext)
        elif name is not None and r > header_row:
            out.setdefault(name, set()).add(int(r))
            ctx.add(rule, row=int(r), column=ctx.label(name), value=ftext)
        else:
            elsewhere += 1
    if elsewhere:
        notes.append(f"{where}: {elsewhere} formula cell(s) outside the table's columns have no "
                     "saved value; ignored")
    return out


def _indicators(ctx: _Ctx, df: pd.DataFrame, raw: dict, rownums, n: int, notes: list,
                where: str) -> None:
    empty = pd.Series([None] * n, dtype=object)
    target = raw.get("target", empty)
    actual = raw.get("actual", empty)
    resolved, issues = resolve_indicators(
        target, actual, direction=df["direction"], unit=df["unit"], kind=df["kind"],
        rating=df["rating"], year=df["year"])
    target = target.reindex(df.index)
    actual = actual.reindex(df.index)
    for col in ("direction", "unit", "kind", "rating"):
        df[col] = resolved[col]
    df["target_value"] = resolved["target_value"]
    df["actual_value"] = resolved["actual_value"]
    df["target_text"] = target.astype(object)
    df["actual_text"] = actual.astype(object)
    df["target_deadline"] = resolved["target_deadline"]
    for rec in issues.itertuples(index=False):
        row = int(rownums[rec.index])
        label = ctx.label(rec.column)
        if rec.severity == "error":
            ctx.add(rec.rule, row=row, column=label, value=rec.value)
        else:
            notes.append(f"{where}, row {row}, column {label!r}: {rec.rule} "
                         f"(found {rec.value!r})")


def _progress(tables: dict, ctxs: dict, notes: list) -> None:
    """Match each indicator_progress row with its indicator and read its values against the
    indicator's target (in place). A row whose project and year exist but whose indicator does
    not is an error (a project or year that does not exist is reported by the key checks)."""
    name = "indicator_progress"
    df = tables[name]
    if name not in ctxs or df.empty:
        return
    ctx = ctxs[name]
    key = ["project_id", "year", "level1", "level2", "level3"]
    if not set(key) <= ctx.present:
        return                                  # a missing column is reported already
    ind = tables["indicators"]
    cols = ["kind", "direction", "unit", "target_value", "target_deadline"]
    look = ind.dropna(subset=key).drop_duplicates(key)[key + cols].assign(_found=True)
    left = df[key].astype({"year": float})
    m = left.merge(look.astype({"year": float}), on=key, how="left").set_axis(df.index)
    complete = df[key].notna().all(axis=1)
    known_py = pd.MultiIndex.from_frame(
        tables["projects"][["project_id", "year"]].astype(object).astype({"year": float})
    ) if not tables["projects"].empty else pd.MultiIndex.from_arrays([[], []])
    py = pd.MultiIndex.from_frame(left[["project_id", "year"]].astype(object))
    unknown = complete & m["_found"].isna() & pd.Series(py.isin(known_py), index=df.index)
    for i in df.index[unknown.to_numpy()]:
        r = df.loc[i]
        ctx.add(f"refers to an unknown indicator (绩效指标) of project {r['project_id']} in "
                f"{int(r['year'])}: no row {r['level1']} / {r['level2']} / {r['level3']} in "
                f"{ctxs['indicators'].sheet.label if 'indicators' in ctxs else '绩效指标'!r}",
                row=int(r[ROW]) if ROW in r else None, column=ctx.label("level3"),
                value=f"{r['level1']} / {r['level2']} / {r['level3']}")
    where = f"sheet {ctx.sheet.sheet!r}" if ctx.sheet.sheet else f"file {ctx.sheet.label!r}"
    rows = df[ROW].to_numpy() if ROW in df else np.full(len(df), None)
    for c in _PROGRESS_VALUES:
        if c not in ctx.present:
            continue
        value, issues = resolve_progress(
            df[f"{c}_text"], target_value=m["target_value"],
            target_deadline=m["target_deadline"], kind=m["kind"], direction=m["direction"],
            unit=m["unit"], year=df["year"])
        df[f"{c}_value"] = value.astype(float)
        label = ctx.label(c)
        pos = {ix: k for k, ix in enumerate(df.index)}
        for rec in issues.itertuples(index=False):
            if pd.isna(m.at[rec.index, "_found"]):
                continue                        # no indicator: reported above (or by the keys)
            row = rows[pos[rec.index]]
            row = int(row) if row is not None else None
            if rec.severity == "error":
                ctx.add(rec.rule, row=row, column=label, value=rec.value)
                df.loc[rec.index, f"{c}_value"] = np.nan
            else:
                notes.append(f"{where}, row {row}, column {label!r}: {rec.rule} "
                             f"(found {rec.value!r})")


# ============================================================================================
# keys across tables
# ============================================================================================
def _check_keys(tables: dict, ctxs: dict, col: Collector) -> None:
    for name, t in TABLES.items():
        df = tables[name]
        if df.empty or name not in ctxs or any(k not in df for k in t.key):
            continue
        ctx = ctxs[name]
        key = list(t.key)
        if not set(key) <= ctx.present:
            continue
        ok = df[key].notna().all(axis=1)
        d = df[ok]
        dup = d.duplicated(key, keep="first")
        if not dup.any():
            continue
        first = d.groupby(key, sort=False)[ROW].transform("first")
        label = " + ".join(ctx.label(k) for k in key)
        for i in dup[dup].index:
            kv = tuple(d.at[i, k] for k in key)
            ctx.add(f"duplicate key {', '.join(key)}; first seen in row {int(first[i])}",
                    row=int(d.at[i, ROW]), column=label, value=" / ".join(map(str, kv)))


def _check_refs(tables: dict, ctxs: dict, present: set, col: Collector) -> None:
    for name, t in TABLES.items():
        df = tables[name]
        if df.empty or name not in ctxs:
            continue
        for fk, ref, ref_col in t.refs:
            if ref not in present or fk not in df:
                continue
            rdf = tables[ref]
            pair = "year" in df and "year" in rdf
            lcols = [fk, "year"] if pair else [fk]
            rcols = [ref_col, "year"] if pair else [ref_col]
            if not (set(lcols) <= ctxs[name].present and ref in ctxs
                    and set(rcols) <= ctxs[ref].present):
                continue    # a key column is missing: reported already
            have = df[lcols].notna().all(axis=1)
            if not have.any():
                continue
            left = pd.MultiIndex.from_frame(df.loc[have, lcols].astype(object))
            right = pd.MultiIndex.from_frame(rdf[rcols].dropna().astype(object))
            known = left.isin(right)
            if known.all():
                continue
            ctx = ctxs[name]
            rt = TABLES[ref]
            sheet = ctxs[ref].sheet.label if ref in ctxs else rt.zh
            for i, k in zip(df.index[have][~known], left[~known]):
                what = f"{k[0]} in {k[1]}" if pair else f"{k[0]}"
                ctx.add(f"refers to an unknown {rt.name[:-1] if rt.name.endswith('s') else rt.name}"
                        f" ({rt.zh}) {what}: no such row in {sheet!r}",
                        row=int(df.at[i, ROW]), column=ctx.label(fk),
                        value=" / ".join(str(x) for x in k))


# ============================================================================================
# entry point
# ============================================================================================
_MEMO: "dict[tuple, Workbook]" = {}
_MEMO_SIZE = 4


def _memo_key(p: Path, years) -> tuple | None:
    try:
        if p.is_dir():
            stamp = tuple(sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns)
                                 for f in p.iterdir() if f.is_file()))
        else:
            st = p.stat()
            stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    except OSError:
        return None
    try:
        yrs = None if years is None else tuple(sorted(int(y) for y in (
            [years] if isinstance(years, (int, str)) else years)))
    except (TypeError, ValueError):
        return None          # not cached; the reader reports the bad argument
    return (str(p.resolve()), stamp, yrs)


def read_workbook(path: str | Path, *, years: Iterable[int] | None = None,
                  cache: bool = True) -> Workbook:
    """Read and validate a workbook; see :func:`_read_workbook` for the rules.

    With ``cache`` (the default) a workbook already read by this process, unchanged on disk
    (same size, modification time and inode), is returned from memory: a batch engine that reads
    the district once before forking its report processes pays the reading once. Treat the
    returned tables as read-only.
    """
    p = Path(path)
    key = _memo_key(p, years) if cache else None
    if key is not None and key in _MEMO:
        return _MEMO[key]
    wb = _read_workbook(path, years=years)
    if key is not None:
        _remember(key, wb)
    return wb


def _remember(key: tuple, wb: Workbook) -> None:
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = wb


def prime_cache(path: str | Path, *, years: Iterable[int] | None = None) -> bool:
    """Read a workbook into this process's read cache ahead of use.

    A fork server calls it before forking its report processes, so that each report's
    :func:`read_workbook` finds the district in memory instead of reading it again.

    Parameters
    ----------
    path : str or Path
        As :func:`read_workbook`.
    years : iterable of int, optional
        As :func:`read_workbook` (the cache holds each ``years`` selection apart).

    Returns
    -------
    bool
        True if the workbook is now in the cache (read now, or already there). False if its
        reading warned: such a workbook is not cached, so that every later
        :func:`read_workbook` reads it again and its warnings appear where it is called (in
        each report's notebook), instead of once, silently, here.

    Raises
    ------
    InputError, InputErrors
        As :func:`read_workbook`, for a missing or invalid workbook (nothing is cached).
    """
    import warnings

    key = _memo_key(Path(path), years)
    if key is None:                      # unreadable path or bad years: raise as the reader does
        _read_workbook(path, years=years)
        return False
    if key in _MEMO:
        return True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = _read_workbook(path, years=years)
    if caught:
        return False
    _remember(key, wb)
    return True


def cached_workbooks() -> list[tuple[str, tuple[int, ...] | None]]:
    """The workbooks in this process's read cache, oldest first, as ``(absolute path, years)``
    (``years`` None for every year); at most four are kept."""
    return [(k[0], k[2]) for k in _MEMO]


def clear_cache(path: str | Path | None = None) -> int:
    """Forget the workbooks read by this process (only those at ``path``, if given; every
    ``years`` selection of it). Returns how many cache entries were dropped."""
    if path is None:
        n = len(_MEMO)
        _MEMO.clear()
        return n
    where = str(Path(path).resolve())
    drop = [k for k in _MEMO if k[0] == where]
    for k in drop:
        del _MEMO[k]
    return len(drop)


def _read_workbook(path: str | Path, *, years: Iterable[int] | None = None) -> Workbook:
    """Read and validate a workbook of budget-performance data.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx`` file with one sheet per table, or a folder of ``.csv`` files (one per table,
        named by the English or Chinese table name or an alias: ``projects.csv``, ``项目.csv``).
        CSV files may be UTF-8 (with or without BOM), GB18030/GBK or UTF-16.
    years : iterable of int, optional
        Keep only these budget years (rows of other years are neither returned nor validated).

    Returns
    -------
    Workbook
        Every table of :data:`perfkit.model.schema.TABLES` with canonical column names, the hidden
        ``_row`` and ``_sheet`` columns, and optional absent tables as empty frames.
        ``meta`` holds ``format`` (``"xlsx"``/``"csv"``), ``notes`` (ignored sheets and columns,
        skipped rows, soft warnings), ``sheets`` (table → sheet/file name), ``header_rows``
        (table → header row numbers) and, for CSV, ``encodings`` (file → encoding).

    Raises
    ------
    InputError
        The path is missing or not a workbook, or exactly one problem was found.
    InputErrors
        Several problems were found; ``.problems`` lists them all, each with file, sheet, row,
        column, value and rule.

    Notes
    -----
    The input is only read, never written. See the module docstring for the reading rules.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("no such file or folder", argument="path", value=str(path))
    yrs = None
    if years is not None:
        try:
            yrs = {int(y) for y in ([years] if isinstance(years, (int, str)) else years)}
        except (TypeError, ValueError):
            raise InputError("must be an iterable of years (integers)", argument="years",
                             value=years) from None
    col = Collector()
    notes: list[str] = []
    meta: dict = {"format": None, "notes": notes, "sheets": {}, "header_rows": {},
                  "years": sorted(yrs) if yrs is not None else None}
    if p.is_dir():
        meta["format"] = "csv"
        meta["encodings"] = {}
        raws, found = _read_csv_folder(p, col, notes, meta["encodings"])
        kind = "file"
    else:
        suf = p.suffix.lower()
        if suf == ".xls":
            raise InputError("the old .xls format is not read; save the file as .xlsx",
                             file=str(p))
        if suf == ".csv":
            raise InputError("a CSV workbook is a folder of CSV files, one per table; pass the "
                             "folder", file=str(p))
        if suf not in (".xlsx", ".xlsm"):
            raise InputError("expected an .xlsx file or a folder of CSV files", file=str(p))
        meta["format"] = "xlsx"
        raws, found = _read_xlsx(p, col, notes)
        kind = "sheet"

    tables: dict[str, pd.DataFrame] = {}
    ctxs: dict[str, _Ctx] = {}
    for name, t in TABLES.items():
        sh = raws.get(name)
        if sh is None:
            if t.required and name not in raws:    # (a file found but unreadable is reported)
                names = " / ".join((t.name, t.zh, *t.aliases))
                if kind == "file":
                    names = " / ".join(f"{n}.csv" for n in (t.name, t.zh, *t.aliases))
                have = ", ".join(repr(f) for f in found) or "none"
                col.add(f"missing required {kind} for table {t.name!r} ({t.zh}); name it "
                        f"{names} (found: {have})", file=str(p))
            tables[name] = _empty_frame(t)
            continue
        meta["sheets"][name] = sh.label
        tables[name], ctxs[name] = _build_table(t, sh, col, notes, meta, yrs)
    _progress(tables, ctxs, notes)
    _check_keys(tables, ctxs, col)
    _check_refs(tables, ctxs, set(raws), col)
    col.raise_if_any()
    return Workbook(tables, str(p), meta)
