"""No way in through a report: hostile values in parameters, ids, YAML and workbook texts.

* Parameter values that try to break out of the cell papermill injects (quotes, newlines, triple
  quotes, backslashes, non-ASCII) come back exactly as they went in when the injected cell is
  executed, and run nothing (checked on papermill's translation, without a kernel).
* Subject ids and batch names that try path traversal are refused before anything is written.
* YAML with Python tags is refused (params files and rule profiles).
* The slow tier runs one real report with a project named like an XSS payload and texts that
  are spreadsheet formulas: report.html carries no live script or handler from the input, the
  Excel tables hold no formula, and the CSV summary neutralises them with a leading ``'``. A
  failed run of the same subject then leaves that report as it was, and no staging folder.
"""
from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from perfkit.cli import main
from perfkit.errors import InputError, PerfkitError
from perfkit.run.params import RunSpec, load_params
from perfkit.run.paths import check_id, notebook_path, subject_dir

from .bad_inputs.make_corpus import B, I, P, edit, write_xlsx

MARKER_NAME = "perfkit-hostile-marker"

XSS_NAME = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
FORMULA_DEPT = '=HYPERLINK("http://evil.example/","点击")'
FORMULA_UNIT = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_L3 = "+cmd|' /C calc'!A0"
IFRAME_OBJECTIVE = "<iframe src=javascript:alert(1)></iframe>"

BREAKOUTS = [
    '"', "'", '"""', "'''", "\\", '\\"', "\\'", "a\nb", "a\r\nb", "\n\n# comment",
    '"; import os; os.system("touch /tmp/{m}"); x = "',
    "'''; __import__('os').system('touch /tmp/{m}'); '''",
    '"""\n__import__("os").system("touch /tmp/{m}")\n"""',
    "\\\"; __import__('os').system('touch /tmp/{m}') #",
    "项目<script>alert(1)</script>", "\u2028\u2029\u0085", "\x00\x07\x1b[31m",
    "\ud800", "${HOME} $(touch /tmp/{m}) `touch /tmp/{m}`", "{{ 7*7 }} {0} %s",
    "\u202egnp.exe", "ＸＭ００１", "😀" * 3, "\\N{BULLET}", "\\x41\\u0041",
]


def injected_namespace(parameters: dict) -> dict:
    """Parameterize the real notebook as papermill does and execute only the injected cell."""
    nb = load_notebook_node(str(notebook_path("project_self_evaluation")))
    nb = parameterize_notebook(nb, parameters)
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    ns: dict = {"__builtins__": {}}          # no import, no open, no exec if it escaped
    exec(compile(cells[0].source, "<injected>", "exec"), ns)  # noqa: S102 - the point
    ns.pop("__builtins__")
    return ns


@pytest.mark.parametrize("value", BREAKOUTS)
def test_injected_parameters_come_back_exactly(value, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    value = value.replace("{m}", MARKER_NAME)
    params = {"workbook": value, "project_id": value, "year": None, "profile": value,
              "lang": value, "output_dir": value}
    assert injected_namespace(params) == params
    assert not (Path("/tmp") / MARKER_NAME).exists()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.text(), min_size=1, max_size=4),
       other=st.one_of(st.none(), st.integers(), st.booleans(),
                       st.floats(allow_nan=False, allow_infinity=False),
                       st.lists(st.text(max_size=8), max_size=3),
                       st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3)))
def test_any_text_round_trips_through_the_injected_cell(values, other):
    params = {f"p{i}": v for i, v in enumerate(values)}
    params["other"] = other
    assert injected_namespace(params) == params


# ============================================================================================
# ids and paths
# ============================================================================================
BAD_IDS = ["..", "../x", "../../etc/passwd", "/etc/passwd", "a/b", "a\\b", "C:evil", "C:\\x",
           "CON", "con", "con.txt", "NUL", "PRN.log", "AUX", "COM1", "LPT9", "", " ", ".hidden",
           "a..b", "x" * 81, "a\x00b", "a\nb", "~root", "a b", "x／y", "．．", "\u202eexe",
           "-rf", "a*b", "a?b", "a|b", 'a"b', "a<b>", "%2e%2e", 123, None, ["a"]]


@pytest.mark.parametrize("bad", BAD_IDS, ids=[repr(b)[:20] for b in BAD_IDS])
def test_bad_ids_are_refused(bad):
    with pytest.raises(InputError):
        check_id(bad)


@pytest.mark.parametrize("good", ["XM00002", "00123", "项目-2024_a.1", "a", "x" * 80])
def test_good_ids_pass(good):
    assert check_id(good) == good


@pytest.mark.parametrize("field", ["project_id", "batch"])
@pytest.mark.parametrize("bad", ["../../escape", "/tmp/abs", "..", "a/../../b", "NUL"])
def test_traversal_is_refused_before_any_file_is_written(field, bad, tmp_path, monkeypatch):
    import perfkit.run.execute as E
    out = tmp_path / "outputs"
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(out))
    monkeypatch.setattr(E, "execute_papermill", lambda *a, **k: pytest.fail("notebook ran"))
    wb = write_xlsx(tmp_path / "wb.xlsx", edit())
    params = {"workbook": str(wb), "project_id": "XM001"}
    spec = {"notebook": "project_self_evaluation", "batch": "t", "parameters": params}
    if field == "batch":
        spec["batch"] = bad
    else:
        params["project_id"] = bad
    with pytest.raises(InputError):
        E.run_report(RunSpec(**spec))
    outcome = E.run_report_safely(RunSpec(**spec))
    assert outcome.status == "error" and outcome.error_kind == "InputError"
    with pytest.raises(InputError):
        subject_dir(spec["batch"], params["project_id"], root=out)
    assert not out.exists() or not any(out.rglob("*"))
    assert {p.name for p in tmp_path.iterdir()} == {"wb.xlsx"} | ({"outputs"} if out.exists()
                                                                    else set())


def test_publish_refuses_a_traversing_subject_id(tmp_path, monkeypatch):
    from perfkit.run.publish import publish
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / "out"))
    with pytest.raises(InputError):
        publish(None, results={"subject_id": "../../../escape"})
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "escape").exists()


def test_a_workbook_project_id_that_traverses_is_refused_per_subject(tmp_path, monkeypatch):
    """Project ids come from the workbook in a batch: an id such as ``../x`` reads (it is only
    text), but no report is run or written for it."""
    import perfkit.run.execute as E
    out = tmp_path / "outputs"
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(out))
    monkeypatch.setattr(E, "execute_papermill", lambda *a, **k: pytest.fail("notebook ran"))
    t = edit(**{f"{P}!A2": "../../x", f"{B}!A2": "../../x"})
    for r in t[I][1:4]:
        r[0] = "../../x"
    wb = write_xlsx(tmp_path / "wb.xlsx", t)
    spec = RunSpec(notebook="project_self_evaluation", batch="t",
                   parameters={"workbook": str(wb), "project_id": "../../x"})
    outcome = E.run_report_safely(spec)
    assert outcome.status == "error" and "no path separators" in outcome.error
    assert not out.exists() or not any(out.rglob("*"))


# ============================================================================================
# YAML with Python tags
# ============================================================================================
PY_TAGS = [
    "!!python/object/apply:os.system ['touch /tmp/{m}']",
    "!!python/object/new:os.system ['touch /tmp/{m}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:builtins.object {}",
]


@pytest.mark.parametrize("tag", PY_TAGS)
def test_python_tags_are_refused_in_params_files(tag, tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("notebook: project_self_evaluation\nparameters:\n  project_id: "
                 + tag.replace("{m}", MARKER_NAME) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no Python tags"):
        load_params(p)
    assert not (Path("/tmp") / MARKER_NAME).exists()


@pytest.mark.parametrize("tag", PY_TAGS)
def test_python_tags_are_refused_in_rule_profiles(tag, tmp_path):
    from perfkit.rules import load_profile
    p = tmp_path / "evil.yaml"
    p.write_text("id: evil\nextends: national\ntitle: "
                 + tag.replace("{m}", MARKER_NAME) + "\n", encoding="utf-8")
    with pytest.raises(PerfkitError, match="no Python tags") as ei:
        load_profile(str(p))
    assert ei.value.exit_code == 2
    assert not (Path("/tmp") / MARKER_NAME).exists()


# ============================================================================================
# hostile texts in a workbook: HTML escaped, spreadsheet formulas neutralised
# ============================================================================================
def hostile_workbook(path: Path) -> Path:
    t = edit(**{f"{P}!C2": XSS_NAME, f"{P}!E2": FORMULA_DEPT, f"{P}!F2": FORMULA_UNIT,
                f"{I}!E2": FORMULA_L3, f"{I}!E4": "-2+3", f"{I}!L4": "=1+1",
                f"{I}!E3": IFRAME_OBJECTIVE})
    return write_xlsx(path, t, text_only=True)       # texts, as a user types them


def test_score_summary_neutralises_formulas(tmp_path, capsys):
    wb = hostile_workbook(tmp_path / "hostile.xlsx")
    before = wb.read_bytes()
    assert main(["score", str(wb), "--out", str(tmp_path / "summary")]) == 0
    capsys.readouterr()
    assert wb.read_bytes() == before
    with open(tmp_path / "summary.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    cells = [v for r in rows for v in r.values() if v]
    assert f"'{FORMULA_DEPT}" in cells                      # neutralised with a leading '
    assert not [v for v in cells if v[:1] in "=+-@" and not _is_number(v)]
    assert_no_formulas(tmp_path / "summary.xlsx")


def _is_number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def assert_no_formulas(path: Path) -> None:
    """No formula anywhere in an .xlsx: none in the sheet XML, none as openpyxl reads it, and
    formula-like text stored as quote-prefixed strings or with a leading apostrophe."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value[:1] in "=+-@" \
                        and not _is_number(c.value):
                    assert c.quotePrefix, (ws.title, c.coordinate, c.value)


class _Live(HTMLParser):
    """Collect what a browser would execute: script texts, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[tuple] = []
        self.tags: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k.lower().startswith("on") or "javascript:" in (v or "").lower():
                self.handlers.append((tag, k, v))
        self._script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script:
            self.scripts.append(data)


def live_parts(html: str) -> _Live:
    p = _Live()
    p.feed(html)
    p.close()
    return p


def test_the_results_fragment_escapes_workbook_texts():
    from perfkit.report.html import render_results_html
    res = {"name": XSS_NAME, "subject_id": "XM001", "department": FORMULA_DEPT,
           "objective": IFRAME_OBJECTIVE, "achievement": "</table><script>alert(2)</script>",
           "indicators": [{"level1": "产出指标", "level2": "<b>x</b>", "level3": XSS_NAME,
                           "target_text": "\"><svg onload=alert(3)>", "actual_text": "1",
                           "weight": 10, "score": 5, "explanation": "<img src=x onerror=y>"}],
           "flags": [{"code": "x", "message": "<script>alert(4)</script>",
                      "message_en": "<script>alert(4)</script>"}]}
    html = render_results_html(res)
    live = live_parts(html)
    assert live.handlers == [] and not any("alert" in s for s in live.scripts)
    assert not {"img", "iframe", "svg", "b", "script"} & set(live.tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.slow
def test_hostile_report_end_to_end_and_nothing_lost(tmp_path, monkeypatch):
    """One real report with hostile texts, then a failing run of the same subject."""
    from perfkit.run.execute import run_report
    out = tmp_path / "outputs"
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(out))
    wb = hostile_workbook(tmp_path / "hostile.xlsx")
    wb_hash = hashlib.sha256(wb.read_bytes()).hexdigest()
    spec = RunSpec(notebook="project_self_evaluation", batch="hostile",
                   parameters={"workbook": str(wb), "project_id": "XM001", "lang": "zh"})
    res = run_report(spec)
    assert res.status == "ok"
    folder = out / "hostile" / "XM001"
    assert Path(res.path) == folder

    html = (folder / "report.html").read_text(encoding="utf-8")
    live = live_parts(html)
    assert not any("alert(1)" in s for s in live.scripts), "a script from the input is live"
    assert not [h for h in live.handlers if "alert" in (h[2] or "")], live.handlers
    assert "iframe" not in live.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html      # shown, escaped
    assert "onerror=alert(1)&gt;" in html
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert results["name"] == XSS_NAME                          # data kept as it is
    for x in folder.glob("*.xlsx"):
        assert_no_formulas(x)
    texts = [c.value for x in folder.glob("*.xlsx") for ws in openpyxl.load_workbook(x)
             for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(FORMULA_L3 in t for t in texts)                  # shown, inert

    # --- nothing lost: a failing run of the same subject ----------------------------------
    before = {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
              for p in folder.rglob("*") if p.is_file()}
    broken = write_xlsx(tmp_path / "broken.xlsx", edit(**{f"{B}!D2": -5}))
    broken_hash = hashlib.sha256(broken.read_bytes()).hexdigest()
    bad = RunSpec(notebook="project_self_evaluation", batch="hostile",
                  parameters={"workbook": str(broken), "project_id": "XM001", "lang": "zh"})
    with pytest.raises(PerfkitError, match="must not be negative"):
        run_report(bad)
    after = {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in folder.rglob("*") if p.is_file()}
    assert after == before, "the previous report was changed"
    leftovers = [p.name for p in (out / "hostile").iterdir() if p.name != "XM001"]
    staging = out / "hostile" / ".staging"
    assert leftovers in ([], [".staging"]) and (not staging.exists() or not any(staging.iterdir()))
    assert not list(out.rglob(".old-*"))
    assert hashlib.sha256(wb.read_bytes()).hexdigest() == wb_hash        # inputs untouched
    assert hashlib.sha256(broken.read_bytes()).hexdigest() == broken_hash


@pytest.mark.slow
def test_rule_profile_alias_bomb_is_refused(tmp_path):
    """A rule profile that is an alias bomb must be refused quickly, not hash for hours."""
    import subprocess
    import sys
    lines = ["id: lol", "extends: national", "x:", "  a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  {c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = ("import sys\nfrom perfkit.errors import PerfkitError\nfrom perfkit.rules import "
            "load_profile\ntry:\n    load_profile(sys.argv[1]).ref()\nexcept PerfkitError:\n"
            "    sys.exit(2)\n")
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(path)], timeout=10,
                              capture_output=True)
    except subprocess.TimeoutExpired:
        pytest.fail("loading and hashing the profile did not finish in 10 s")
    assert proc.returncode == 2
