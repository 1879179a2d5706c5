"""The standing corpus of hostile and broken inputs (``cases.yaml``, made by ``make_corpus.py``).

Every case goes through the command line in-process — ``perfkit score WORKBOOK`` for
workbooks, ``perfkit run PARAMS`` for params files that must fail before any notebook runs —
and must exit with its status, print no traceback, name the file and each expected problem
(sheet, row, column and rule on one line), write nothing, and leave the input byte-identical.
Messy but valid inputs must read to the stated values.

The slow tier makes very large workbooks at test time and reads them in a subprocess whose
peak memory is measured against the bound stated in :mod:`perfkit.io.workbook`.
"""
from __future__ import annotations

import hashlib
import math
import re
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
import yaml

import perfkit.io.workbook as W
from perfkit.cli import main
from perfkit.io import read_workbook

HERE = Path(__file__).resolve().parent
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
#: peak resident memory (MB) that reading any input must stay under (perfkit.io.workbook)
MEMORY_BOUND_MB = 1024


def digest(path: Path) -> str:
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def problem_line_found(stderr: str, e: dict) -> bool:
    """One line of the message names the sheet, row, column and rule of the problem."""
    parts = [f"sheet '{e['sheet']}'" if "sheet" in e else None, e.get("column"), e["rule"]]
    parts = [p for p in parts if p]
    row = re.compile(rf"\brow {e['row']}[,:]") if "row" in e else None
    return any(all(p in line for p in parts) and (row is None or row.search(line))
               for line in stderr.splitlines())


@pytest.fixture
def no_notebooks(monkeypatch, tmp_path):
    """Outputs go to tmp; executing a notebook fails the test (params must fail before)."""
    import perfkit.run.execute as E

    def boom(*a, **k):
        raise AssertionError("a notebook would have run")
    monkeypatch.setattr(E, "execute_papermill", boom)
    monkeypatch.setattr(E, "execute_inprocess", boom)
    out = tmp_path / "outputs"
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(out))
    monkeypatch.chdir(tmp_path)
    return out


def test_corpus_is_large_enough_and_small_on_disk():
    assert len(CASES) >= 40
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    kinds = {c["command"] for c in CASES}
    assert kinds == {"score", "run"}
    assert sum(c["exit"] == 0 for c in CASES) >= 8                    # messy but valid ones
    size = sum(f.stat().st_size for f in (HERE / "cases").rglob("*") if f.is_file())
    assert size < 2 * 2**20
    for c in CASES:
        assert (HERE / c["input"]).exists(), c["id"]
        assert c["exit"] == 0 or c.get("errors"), c["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case, capsys, no_notebooks):
    path = HERE / case["input"]
    before = digest(path)
    rc = main([case["command"], str(path)])
    out, err = capsys.readouterr()
    assert digest(path) == before, "the input was modified"
    assert "Traceback" not in err + out
    assert "internal error" not in err
    assert rc == case["exit"], err
    assert not no_notebooks.exists() or not any(no_notebooks.rglob("*")), "something was written"
    if case["exit"] != 0:
        assert err.startswith("perfkit: error:"), err
        assert case.get("file", path.name) in err, "the message does not name the file"
        for e in case["errors"]:
            assert problem_line_found(err, e), f"expected {e} in:\n{err}"
    wb = read_workbook(path) if case.get("values") else None     # memo: read by the command
    for v in case.get("values", []):
        df = wb[v["table"]]
        row = df[df["_row"] == v["row"]]
        assert len(row) == 1, f"{v['table']} has no row {v['row']}: {df['_row'].tolist()}"
        got = row.iloc[0][v["column"]]
        want = v["value"]
        if isinstance(want, float):
            assert math.isclose(float(got), want, rel_tol=1e-12), (v, got)
        else:
            assert got == want, (v, got)


@pytest.mark.slow
def test_generator_reproduces_the_committed_corpus(tmp_path):
    from . import make_corpus
    make_corpus.generate(tmp_path)
    fresh = make_corpus.snapshot(tmp_path)
    committed = {k: v for k, v in make_corpus.snapshot(HERE).items()
                 if k.startswith(("cases/", "cases.yaml"))}
    assert sorted(fresh) == sorted(committed)
    differ = [k for k in fresh if fresh[k] != committed[k]]
    assert differ == [], "re-run tests/bad_inputs/make_corpus.py and commit the result"


# ============================================================================================
# very large inputs, made at test time; peak memory measured in a subprocess
# ============================================================================================
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_HEADER = ("项目编码", "年度", "资金来源", "年初预算数", "全年预算数", "全年执行数")


def big_xlsx(path: Path, rows: int, *, repeat: bool = False) -> Path:
    """A budget sheet of ``rows`` data rows × 6 cells, streamed into the zip (``repeat``: the
    same block of 20 000 rows over and over, fast to make, for files that must be refused
    before their cells are read)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{_NS}" '
                   f'xmlns:r="{rel}"><sheets><sheet name="项目资金" sheetId="1" r:id="rId1"/>'
                   "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship'
                   f' Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                   "</Relationships>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><worksheet xmlns="{_NS}"><sheetData><row r="1">'
                    .encode())
            f.write("".join(f'<c r="{chr(65 + j)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                            for j, h in enumerate(_HEADER)).encode() + b"</row>")
            buf = []
            block = None
            for i in range(2, rows + 2):
                if block is not None:
                    if (i - 2) % 20_000 == 0:
                        f.write(block if rows + 2 - i >= 20_000 else b"")
                    continue
                buf.append(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>XM{i}</t></is></c>'
                           f'<c r="B{i}"><v>2022</v></c><c r="C{i}" t="inlineStr"><is><t>其他资金'
                           f'</t></is></c><c r="D{i}"><v>{i}</v></c><c r="E{i}"><v>{i}</v></c>'
                           f'<c r="F{i}"><v>1.5</v></c></row>')
                if len(buf) == 20_000:
                    data = "".join(buf).encode()
                    f.write(data)
                    buf = []
                    if repeat:
                        block = data
            f.write("".join(buf).encode() + b"</sheetData></worksheet>")
    return path


def big_csv_folder(folder: Path, rows: int) -> Path:
    folder.mkdir()
    with open(folder / "项目资金.csv", "w", encoding="utf-8", newline="") as f:
        f.write(",".join(_HEADER) + "\r\n")
        block = "".join(f"XM{i},2022,其他资金,{i},{i},1.5\r\n" for i in range(50_000))
        for _ in range(rows // 50_000):       # refused for its size before duplicates matter
            f.write(block)
    return folder


_PROBE = textwrap.dedent("""
    import contextlib, io, sys, time
    from perfkit.cli import main
    err = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(["score", sys.argv[1]])
    dt = time.perf_counter() - t
    # peak RSS of this program (VmHWM restarts at exec, unlike ru_maxrss, which would count
    # the pytest process this one was forked from)
    hwm = next(int(line.split()[1]) for line in open("/proc/self/status")
               if line.startswith("VmHWM:"))
    print(rc, hwm // 1024, round(dt, 2))
    print(err.getvalue()[:2000])
""")


def read_in_subprocess(path: Path) -> tuple[int, int, float, str]:
    """(exit status, peak RSS in MB, seconds, message) of ``perfkit score path``."""
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    first, _, rest = proc.stdout.partition("\n")
    rc, rss, secs = first.split()
    return int(rc), int(rss), float(secs), rest


@pytest.mark.slow
def test_huge_sheet_xml_is_refused_before_decompressing(tmp_path):
    """≈ 2.2 million rows: about 300 MB of sheet XML (a few MB on disk)."""
    path = big_xlsx(tmp_path / "huge.xlsx", max(2_200_000, W.MAX_PART_BYTES // 60),
                    repeat=True)
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > W.MAX_PART_BYTES
    before = digest(path)
    rc, rss, secs, msg = read_in_subprocess(path)
    print(f"huge sheet XML: refused in {secs} s, peak RSS {rss} MB")
    assert rc == 2 and "above the limit" in msg and "Traceback" not in msg
    assert rss < 400 and secs < 10
    assert digest(path) == before


@pytest.mark.slow
def test_too_many_cells_are_refused_within_the_memory_bound(tmp_path):
    rows = W.MAX_CELLS // 6 + 1000
    path = big_xlsx(tmp_path / "cells.xlsx", rows)
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size < W.MAX_PART_BYTES
    rc, rss, secs, msg = read_in_subprocess(path)
    print(f"{rows * 6 + 6:,} cells: refused in {secs} s, peak RSS {rss} MB")
    assert rc == 2 and "more than the limit" in msg and "项目资金" in msg
    assert rss < MEMORY_BOUND_MB


@pytest.mark.slow
def test_largest_accepted_sheet_reads_within_the_memory_bound(tmp_path):
    """Just under MAX_CELLS: read completely (then refused for the missing sheets, after
    validating every row) in less than the stated memory bound."""
    rows = W.MAX_CELLS // 6 - 1000
    path = big_xlsx(tmp_path / "limit.xlsx", rows)
    rc, rss, secs, msg = read_in_subprocess(path)
    print(f"{rows * 6 + 6:,} cells: read in {secs} s, peak RSS {rss} MB")
    assert rc == 2 and "missing required sheet for table 'projects'" in msg
    assert rss < MEMORY_BOUND_MB


@pytest.mark.slow
def test_two_million_row_csv_is_refused_streaming(tmp_path):
    folder = big_csv_folder(tmp_path / "csv", 2_000_000)
    size = (folder / "项目资金.csv").stat().st_size
    assert size < W.MAX_CSV_BYTES                 # refused for its cells, not its size
    t = time.perf_counter()
    rc, rss, secs, msg = read_in_subprocess(folder)
    print(f"2,000,000-row CSV ({size / 2**20:.0f} MB): refused in {secs} s, peak RSS {rss} MB "
          f"({time.perf_counter() - t:.1f} s with start-up)")
    assert rc == 2 and f"more than {W.MAX_CELLS:,} cells" in msg
    assert rss < MEMORY_BOUND_MB
