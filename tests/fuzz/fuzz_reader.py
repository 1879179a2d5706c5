"""Coverage-guided fuzzing of the workbook reader with atheris (libFuzzer) — by hand, not in CI.

Any exception other than :class:`perfkit.errors.InputError` from ``read_workbook`` is a crash,
and an input that takes longer than ``-timeout`` seconds is a hang; libFuzzer saves either as
``crash-*`` / ``timeout-*`` in the current folder.

Set-up (atheris is not a perfkit dependency; it builds for CPython 3.11 on Linux x86-64)::

    python3 -m venv /tmp/atheris-venv && /tmp/atheris-venv/bin/pip install atheris
    # let that venv see perfkit and its dependencies from the project's environment
    echo "$PWD" > /tmp/atheris-venv/lib/python3.11/site-packages/perfkit-src.pth
    echo "$PWD/.venv/lib/python3.11/site-packages" \\
        >> /tmp/atheris-venv/lib/python3.11/site-packages/perfkit-src.pth

Run (from the repository root; the corpus folder is seeded with the bad-input corpus)::

    mkdir -p /tmp/fuzz-corpus && cp tests/bad_inputs/cases/*.xlsx /tmp/fuzz-corpus/
    /tmp/atheris-venv/bin/python tests/fuzz/fuzz_reader.py /tmp/fuzz-corpus \\
        -max_total_time=600 -timeout=20 -rss_limit_mb=2048

An input that starts with ``PK`` is an .xlsx file as it is (so the seed corpus is used as it
is); otherwise its first byte chooses what the rest is: an .xlsx file (0–159), or the
``项目资金`` file of an otherwise valid CSV folder (160–255). Zip bombs above the reader's limits
are refused by their declared sizes, so ``-rss_limit_mb=2048`` is a real check of the memory
bound too.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["perfkit"]):
    from perfkit.errors import InputError
    from perfkit.io import read_workbook

_CSV = {
    "部门": "部门编码,年度,部门名称\r\nD01,2022,区教育委员会\r\n",
    "项目": "项目编码,年度,项目名称,主管部门编码,主管部门,实施单位,预算类型,行业领域\r\n"
            "XM001,2022,学生营养餐,D01,区教育委员会,区营养办,一般公共预算,教育\r\n",
    "绩效指标": "项目编码,年度,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值\r\n"
                "XM001,2022,产出指标,数量指标,人数,≥1200人,1250,90\r\n",
}
_TMP = Path(tempfile.mkdtemp(prefix="perfkit-fuzz-"))


def one_input(data: bytes) -> None:
    if not data:
        return
    if data[:2] == b"PK" or data[0] < 160:
        path = _TMP / "fuzz.xlsx"
        path.write_bytes(data if data[:2] == b"PK" else data[1:])
    else:
        path = _TMP / "csv"
        path.mkdir(exist_ok=True)
        for name, text in _CSV.items():
            (path / f"{name}.csv").write_text(text, encoding="utf-8")
        (path / "项目资金.csv").write_bytes(data[1:])
    try:
        read_workbook(path, cache=False)
    except InputError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
