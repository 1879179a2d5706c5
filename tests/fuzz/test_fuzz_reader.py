"""Fuzzing the workbook reader with hypothesis: whatever the bytes, ``read_workbook`` returns a
Workbook or raises :class:`~perfkit.errors.InputError` — never another exception, never a hang.

Four mutators start from a small valid workbook (the corpus's base, ``tests/bad_inputs``):

* byte flips anywhere in the .xlsx zip (headers, compressed streams, central directory);
* mutations of the sheet XML (slices deleted or repeated, XML fragments inserted), re-zipped
  with correct CRCs so that the XML parser and the fast cell reader are reached;
* random cell contents (any text, numbers, dates, formulas) written by openpyxl;
* byte-level mutations of a CSV file in a CSV folder.

Each example runs under a per-example alarm (:data:`EXAMPLE_TIMEOUT` s). The example counts
keep the whole file near half a minute; it is in the slow tier. ``fuzz_reader.py`` beside this
file is a coverage-guided (atheris) harness for longer runs by hand.
"""
from __future__ import annotations

import contextlib
import io
import signal
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from perfkit.errors import InputError
from perfkit.io import read_workbook
from perfkit.model.workbook import Workbook

from ..bad_inputs.make_corpus import B, I, P, base, xlsx_bytes

pytestmark = pytest.mark.slow

#: seconds one example may take before it counts as a hang
EXAMPLE_TIMEOUT = 20
STATS: dict[str, dict[str, int]] = {}
_COMMON = dict(deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: most byte-level mutants are refused within milliseconds: many examples
FUZZ = settings(max_examples=200, **_COMMON)
#: mutants that reach validation take ≈ 0.1–0.3 s each (pandas): fewer
FUZZ_DEEP = settings(max_examples=60, **_COMMON)

SEED_XLSX = xlsx_bytes(base())
with zipfile.ZipFile(io.BytesIO(SEED_XLSX)) as _z:
    SEED_PARTS = {i.filename: _z.read(i.filename) for i in _z.infolist()}
SHEETS = sorted(n for n in SEED_PARTS if n.startswith("xl/worksheets/"))


class Hang(Exception):
    pass


@contextlib.contextmanager
def alarm(seconds: int):
    def fire(signum, frame):
        raise Hang(f"an example took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check(kind: str, path: Path) -> None:
    """Read ``path``: a Workbook or an InputError, within the time limit."""
    s = STATS.setdefault(kind, {"examples": 0, "input_error": 0, "read": 0, "seconds": 0})
    s["examples"] += 1
    t = time.perf_counter()
    try:
        with alarm(EXAMPLE_TIMEOUT):
            wb = read_workbook(path, cache=False)
    except InputError as e:
        s["input_error"] += 1
        assert str(e) and e.problems
    else:
        s["read"] += 1
        assert isinstance(wb, Workbook)
    finally:
        s["seconds"] += time.perf_counter() - t


def rezip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, len(SEED_XLSX) - 1), st.integers(1, 255)),
                      min_size=1, max_size=24),
       cut=st.one_of(st.none(), st.integers(0, len(SEED_XLSX))))
def test_byte_flips_in_the_zip(flips, cut):
    data = bytearray(SEED_XLSX)
    for pos, x in flips:
        data[pos] ^= x
    if cut is not None:
        data = data[:cut]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "fuzz.xlsx"
        p.write_bytes(bytes(data))
        check("byte flips", p)


FRAGMENTS = [b'<c r="A1">', b'<c r="XFD1048576" t="s"><v>99999</v></c>', b"</row>", b"<row>",
             b'<row r="0">', b'<row r="99999999999999999999">', b"<f>SUM(A1:A9)</f>",
             b"<v></v>", b"<v>1e999</v>", b"<v>NaN</v>", b'<c r="B2" t="b"><v>2</v></c>',
             b'<c r="C3" t="d"><v>2022-13-45</v></c>', b'<c r="D4" t="e"><v>#REF!</v></c>',
             b'<c r="A2" t="inlineStr"><is><t>&#0;</t></is></c>', b"&amp;", b"&bogus;",
             b"<!DOCTYPE x>", b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCells count="1">',
             b'<c r="ZZZ1"><v>1</v></c>', b'<c r="A1" s="999999"><v>1</v></c>',
             b'<c r="A1" t="s"><v>-1</v></c>', b"\x00", b"\xff\xfe", "合计".encode(),
             b"<is><t>", b"_x0000_", b"_xD800_", b"]]>", b"<![CDATA[x]]>"]


@FUZZ
@given(sheet=st.sampled_from(SHEETS),
       edits=st.lists(st.tuples(st.sampled_from(["delete", "repeat", "insert"]),
                                st.floats(0, 1), st.floats(0, 1), st.sampled_from(FRAGMENTS)),
                      min_size=1, max_size=8),
       other=st.sampled_from([None, "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
                              "xl/_rels/workbook.xml.rels", "[Content_Types].xml"]))
def test_mutated_sheet_xml(sheet, edits, other):
    parts = dict(SEED_PARTS)
    for target in (sheet, other):
        if target is None or target not in parts:
            continue
        xml = parts[target]
        for op, a, b, frag in edits:
            i, j = sorted((int(a * len(xml)), int(b * len(xml))))
            if op == "delete":
                xml = xml[:i] + xml[j:]
            elif op == "repeat":
                xml = xml[:j] + xml[i:j] * 3 + xml[j:]
            else:
                xml = xml[:i] + frag + xml[i:]
        parts[target] = xml
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "fuzz.xlsx"
        p.write_bytes(rezip(parts))
        check("sheet XML", p)


cell_values = st.one_of(
    st.text(max_size=40), st.text(alphabet="=+-@0123456789.,%≥≤万元年月", max_size=12),
    st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**15, 10**15),
    st.booleans(), st.datetimes(min_value=__import__("datetime").datetime(1900, 3, 1)),
    st.sampled_from(["=1/0", "=A1", "=SUM(A:A)", "#N/A", "合计", "—", "", " ", "\t"]))


@FUZZ_DEEP
@given(changes=st.lists(st.tuples(st.sampled_from([P, B, I]), st.integers(1, 8),
                                  st.integers(1, 13), cell_values), min_size=1, max_size=15))
def test_random_cell_contents(changes):
    t = base()
    for sheet, r, c, v in changes:
        rows = t[sheet]
        while len(rows) < r:
            rows.append([])
        while len(rows[r - 1]) < c:
            rows[r - 1].append(None)
        rows[r - 1][c - 1] = v
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    try:
        for name, rows in t.items():
            ws = wb.create_sheet(name)
            for r, row in enumerate(rows, start=1):
                for c, v in enumerate(row, start=1):
                    if v is not None:
                        ws.cell(row=r, column=c, value=v)
    except IllegalCharacterError:
        return                                   # openpyxl cannot write it; Excel neither
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "fuzz.xlsx"
        wb.save(p)
        check("cell contents", p)


def _csv_seed() -> dict[str, bytes]:
    out = {}
    for name, rows in base().items():
        out[name] = "".join(",".join("" if v is None else str(v) for v in row) + "\r\n"
                            for row in rows).encode("utf-8")
    return out


CSV_SEED = _csv_seed()


@FUZZ_DEEP
@given(name=st.sampled_from(sorted(CSV_SEED)),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       flips=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=4)),
                      max_size=10),
       junk=st.one_of(st.none(), st.binary(max_size=200)))
def test_mutated_csv_bytes(name, encoding, flips, junk):
    files = dict(CSV_SEED)
    data = CSV_SEED[name].decode("utf-8").encode(encoding)
    for where, b in flips:
        i = int(where * len(data))
        data = data[:i] + b + data[i + len(b):]
    files[name] = junk if junk is not None and len(flips) % 2 else data
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "csv"
        folder.mkdir()
        for n, b in files.items():
            (folder / f"{n}.csv").write_bytes(b)
        check("CSV bytes", folder)


def test_report_fuzz_statistics():
    """Prints what the fuzzers ran (``pytest -s``); runs after them, in file order."""
    total = sum(s["examples"] for s in STATS.values())
    for kind, s in STATS.items():
        print(f"fuzz {kind}: {s['examples']} examples, {s['input_error']} InputError, "
              f"{s['read']} read, {s['seconds']:.1f} s")
    if STATS:
        assert total >= 100
