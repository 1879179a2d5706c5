"""``perfkit verify``: is a report what its manifest says it is?

For one report folder, or every report folder of a batch folder:

1. **inputs** — each input file recorded in the manifest (workbook, profile YAML) still exists
   and has the recorded sha256; a rule profile named by id still has the recorded hash;
2. **versions** — the perfkit version and the notebook template are the ones recorded (a
   difference is a note: the numbers decide);
3. **hand edits** — every output file has the sha256 recorded at run time (results.json,
   report.html, report.pdf, the tables, the executed notebook; a PDF added later by
   ``perfkit pdf`` is recorded then);
4. **numbers** — the notebook is executed again with the recorded parameters and profile into a
   temporary folder, and every number of the new results.json is compared with the recorded one
   (default tolerance: absolute 1e-9, relative 1e-12, as :func:`math.isclose`); text and
   booleans must be equal. Each difference is named by its JSON path (``indicators[3].score``)
   and, inside a list, by the element's name (the indicator's 三级指标 level3 name …).

A report passes only if nothing differs. The re-run prints no PDF (the numbers are in
results.json). The executed notebook is not compared: its papermill metadata (timestamps,
durations) changes with every run; results.json holds no such field, so the same inputs give it
byte for byte.
"""
from __future__ import annotations

import math
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError, PerfkitError
from .manifest import file_sha256, package_versions, read_json
from .params import RunSpec
from .paths import notebook_path

__all__ = ["Difference", "Verification", "compare_results", "verify", "verify_folder",
           "static_checks", "format_verification", "find_report_folders", "DEFAULT_ABS_TOL",
           "DEFAULT_REL_TOL"]

DEFAULT_ABS_TOL = 1e-9
DEFAULT_REL_TOL = 1e-12
#: keys that name an element of a list in results.json, most specific first
_NAME_KEYS = ("level3", "name", "source", "code", "subject_id", "id")


@dataclass(frozen=True)
class Difference:
    """One value of results.json that differs between the recorded report and the re-run."""

    path: str                 # JSON path, e.g. "indicators[3].score"
    name: str | None          # what the path is about, e.g. the indicator's level3 name
    recorded: Any
    rerun: Any
    kind: str = "value"       # value | type | missing (not in the re-run) | added | length

    @property
    def abs_diff(self) -> float | None:
        if _is_number(self.recorded) and _is_number(self.rerun):
            return abs(float(self.recorded) - float(self.rerun))
        return None

    def to_dict(self) -> dict:
        return {"path": self.path, "name": self.name, "recorded": self.recorded,
                "rerun": self.rerun, "kind": self.kind, "abs_diff": self.abs_diff}


@dataclass
class Verification:
    """The verdict on one report folder."""

    folder: Path
    subject_id: str | None
    problems: list[str] = field(default_factory=list)    # each one fails the report
    notes: list[str] = field(default_factory=list)       # said, but do not fail it
    differences: list[Difference] = field(default_factory=list)
    numbers_compared: int = 0
    rerun: bool = False                                   # was it re-executed and compared
    identical_bytes: bool | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.differences

    def to_dict(self) -> dict:
        return {"folder": str(self.folder), "subject_id": self.subject_id, "ok": self.ok,
                "problems": self.problems, "notes": self.notes,
                "differences": [d.to_dict() for d in self.differences],
                "numbers_compared": self.numbers_compared, "rerun": self.rerun,
                "identical_bytes": self.identical_bytes}


# ============================================================================================
# comparing two results.json trees
# ============================================================================================
def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _element_name(el: Any) -> str | None:
    if not isinstance(el, dict):
        return None
    for k in _NAME_KEYS:
        if el.get(k) not in (None, ""):
            return str(el[k])
    parts = [str(el[k]) for k in ("level1", "level2") if el.get(k) not in (None, "")]
    return " / ".join(parts) or None


def compare_results(recorded: Any, rerun: Any, *, abs_tol: float = DEFAULT_ABS_TOL,
                    rel_tol: float = DEFAULT_REL_TOL) -> tuple[list[Difference], int]:
    """Compare two results.json trees; return (differences, how many numbers were compared).

    Numbers (not booleans) are equal when ``math.isclose(a, b, rel_tol=rel_tol,
    abs_tol=abs_tol)``; everything else must be equal exactly. ``None`` against a number is a
    difference. Each difference carries its JSON path and the name of the innermost named list
    element on the way (e.g. the indicator's level3 name)."""
    if abs_tol < 0 or rel_tol < 0:
        raise InputError("tolerances must be ≥ 0", argument="abs_tol/rel_tol",
                         value=(abs_tol, rel_tol))
    diffs: list[Difference] = []
    count = 0

    def walk(a: Any, b: Any, path: str, name: str | None) -> None:
        nonlocal count
        where = path or "(root)"
        if _is_number(a) and _is_number(b):
            count += 1
            if not math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=abs_tol):
                diffs.append(Difference(where, name, a, b))
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for k in list(a) + [k for k in b if k not in a]:
                sub = f"{path}.{k}" if path else str(k)
                if k not in b:
                    diffs.append(Difference(sub, name, a[k], None, "missing"))
                elif k not in a:
                    diffs.append(Difference(sub, name, None, b[k], "added"))
                else:
                    walk(a[k], b[k], sub, name)
            return
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                diffs.append(Difference(f"{where} (length)", name, len(a), len(b), "length"))
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]", _element_name(x) or name)
            return
        if _is_number(a) or _is_number(b):
            count += 1
            diffs.append(Difference(where, name, a, b, "value" if a is None or b is None
                                    else "type"))
            return
        if type(a) is not type(b) and not (a is None or b is None):
            diffs.append(Difference(where, name, a, b, "type"))
        elif a != b:
            diffs.append(Difference(where, name, a, b))

    walk(recorded, rerun, "", None)
    return diffs, count


# ============================================================================================
# the checks that need no re-run
# ============================================================================================
def _short(h: str | None) -> str:
    return "—" if not h else (h[:19] + "…" if len(h) > 20 else h)


def static_checks(folder: Path, manifest: dict) -> tuple[list[str], list[str]]:
    """(problems, notes) about inputs, profile, versions and hand edits of one report folder."""
    problems: list[str] = []
    notes: list[str] = []
    for name, rec in (manifest.get("inputs") or {}).items():
        path = (rec or {}).get("path")
        if not path or not Path(path).exists():
            problems.append(f"input {name} is missing: {path} (it was there at run time)")
            continue
        now = file_sha256(path)
        if now != rec.get("sha256"):
            problems.append(f"input {name} changed since the run: {path} (recorded "
                            f"{_short(rec.get('sha256'))}, now {_short(now)})")
    params = manifest.get("parameters") or {}
    prof = params.get("profile")
    rec_prof = (manifest.get("profile") or {})
    if isinstance(prof, str) and not prof.endswith((".yaml", ".yml")):
        try:
            from ..rules import load_profile
            now = load_profile(prof).hash
            if rec_prof.get("hash") and now != rec_prof.get("hash"):
                problems.append(f"rule profile {prof} changed since the run (recorded "
                                f"{_short(rec_prof.get('hash'))}, now {_short(now)})")
        except PerfkitError as e:
            problems.append(f"rule profile {prof} cannot be loaded now: {e}")
    rec_ver = (manifest.get("versions") or {}).get("perfkit")
    now_ver = package_versions().get("perfkit")
    if rec_ver != now_ver:
        notes.append(f"made with perfkit {rec_ver}; this is perfkit {now_ver}")
    try:
        nb_now = file_sha256(notebook_path(str(manifest.get("notebook"))))
        if manifest.get("notebook_sha256") and nb_now != manifest["notebook_sha256"]:
            notes.append(f"the notebook template {manifest.get('notebook')} changed since the "
                         "run")
    except PerfkitError as e:
        problems.append(f"the notebook {manifest.get('notebook')!r} is not available: {e}")
    outs = manifest.get("outputs") or {}
    hashed = {k: v for k, v in outs.items() if v}
    if outs and not hashed:
        notes.append("the manifest records no output hashes (made by an older perfkit): hand "
                     "edits cannot be detected")
    for name, h in hashed.items():
        p = folder / name
        if not p.is_file():
            problems.append(f"{name} is missing from the report folder")
        elif file_sha256(p) != h:
            problems.append(f"{name} was changed after the run (sha256 differs from the "
                            "manifest)")
    return problems, notes


# ============================================================================================
# verify
# ============================================================================================
def find_report_folders(path: str | Path) -> list[Path]:
    """``path`` itself if it is a report folder (has manifest.json), else its subfolders that
    are. Raises an :class:`InputError` if there is none."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such folder", file=str(p))
    if (p / "manifest.json").is_file():
        return [p]
    if p.is_dir():
        subs = sorted(d for d in p.iterdir() if d.is_dir() and not d.name.startswith(".")
                      and (d / "manifest.json").is_file())
        if subs:
            return subs
    raise InputError("not a report folder (no manifest.json) nor a batch folder of reports",
                     file=str(p))


def _load_manifest(folder: Path) -> dict:
    try:
        man = read_json(folder / "manifest.json")
    except (OSError, ValueError) as e:
        raise InputError(f"manifest.json cannot be read: {e}", file=str(folder)) from None
    if not isinstance(man, dict) or not isinstance(man.get("parameters"), dict) or \
            not isinstance(man.get("notebook"), str):
        raise InputError("manifest.json lacks notebook/parameters: not a perfkit report",
                         file=str(folder / "manifest.json"))
    return man


def verify(path: str | Path, *, abs_tol: float = DEFAULT_ABS_TOL,
           rel_tol: float = DEFAULT_REL_TOL, rerun: bool = True, engine: str | None = None,
           jobs: int = 2, timeout: int = 600, scheduler: str | None = None,
           pool=None) -> list[Verification]:
    """Verify one report folder or every report of a batch folder (see module docstring).

    Parameters
    ----------
    path : str or Path
        ``outputs/<batch>/<subject>`` or ``outputs/<batch>``.
    abs_tol, rel_tol : float
        Tolerance of the number comparison (``math.isclose``).
    rerun : bool
        Re-execute and compare the numbers (default); ``False``: the static checks only.
    engine, jobs, timeout, scheduler, pool
        How to re-execute (as :func:`perfkit.run.batch.run_batch`; default engine warm).

    Raises
    ------
    InputError
        ``path`` is not a report folder nor a batch folder, or a manifest is unreadable.
    """
    folders = find_report_folders(path)
    if abs_tol < 0 or rel_tol < 0:
        raise InputError("tolerances must be ≥ 0", argument="abs_tol/rel_tol",
                         value=(abs_tol, rel_tol))
    single = len(folders) == 1 and Path(path).resolve() == folders[0].resolve()
    out: list[Verification] = []
    todo: dict[str, tuple[Verification, RunSpec]] = {}
    for folder in folders:
        try:
            man = _load_manifest(folder)
        except InputError as e:
            if single:
                raise
            out.append(Verification(folder, folder.name, problems=[str(e)]))
            continue
        v = Verification(folder, man.get("subject_id"))
        v.problems, v.notes = static_checks(folder, man)
        out.append(v)
        if not (folder / "results.json").is_file():
            v.problems.append("results.json is missing: nothing to compare")
            continue
        if rerun and not any(p.startswith("input ") and "missing" in p for p in v.problems):
            spec = RunSpec(notebook=man["notebook"], batch=str(man.get("batch") or "verify"),
                           parameters=dict(man["parameters"]))
            todo[str(folder)] = (v, spec)
    if todo:
        _rerun_and_compare(todo, abs_tol=abs_tol, rel_tol=rel_tol, engine=engine, jobs=jobs,
                           timeout=timeout, scheduler=scheduler, pool=pool)
    return out


def verify_folder(folder: str | Path, **kwargs) -> Verification:
    """:func:`verify` of one report folder."""
    return verify(folder, **kwargs)[0]


def _rerun_and_compare(todo: dict, *, abs_tol, rel_tol, engine, jobs, timeout,
                       scheduler, pool) -> None:
    from .batch import iter_outcomes
    tmp = Path(tempfile.mkdtemp(prefix="perfkit-verify-"))
    try:
        # a re-run goes to <tmp>/<round>/<batch>/<subject>: two folders of one subject (a copy
        # of a report folder) are re-run in different rounds and never meet
        by_subject: dict[tuple, list] = {}
        for v, spec in todo.values():
            try:
                key = (spec.batch, spec.subject_id())
            except PerfkitError as e:
                v.problems.append(f"the recorded parameters are not valid now: {e}")
                continue
            by_subject.setdefault(key, []).append((v, spec))
        rounds = max((len(x) for x in by_subject.values()), default=0)
        for r in range(rounds):
            members = {k: x[r] for k, x in by_subject.items() if len(x) > r}
            specs = [spec for _, spec in members.values()]
            for outcome in iter_outcomes(specs, engine=engine, jobs=jobs, root=tmp / str(r),
                                         timeout=timeout, scheduler=scheduler, pool=pool):
                member = members.get((outcome.batch, outcome.subject_id))
                if member is None:
                    continue
                v, _ = member
                v.rerun = True
                if outcome.status != "ok":
                    v.problems.append(f"re-running the report failed: {outcome.error}")
                    continue
                new = Path(outcome.path) / "results.json"
                old = v.folder / "results.json"
                try:
                    rec = read_json(old)
                except (OSError, ValueError) as e:
                    v.problems.append(f"results.json cannot be read: {e}")
                    continue
                v.differences, v.numbers_compared = compare_results(
                    rec, read_json(new), abs_tol=abs_tol, rel_tol=rel_tol)
                v.identical_bytes = old.read_bytes() == new.read_bytes()
                shutil.rmtree(outcome.path, ignore_errors=True)
            for v, _ in members.values():
                if not v.rerun:
                    v.problems.append("the re-run gave no outcome")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ============================================================================================
# presentation
# ============================================================================================
def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - _width(s))


def _cut(s: str, w: int) -> str:
    if _width(s) <= w:
        return s
    out = ""
    for c in s:
        if _width(out + c) > w - 1:
            break
        out += c
    return out + "…"


def _fmt(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, (list, dict)):
        return f"<{type(x).__name__} of {len(x)}>"
    return str(x)


def _table(diffs: list[Difference], *, limit: int = 50) -> Iterator[str]:
    head = ("where", "name", "recorded", "re-run", "difference")
    rows = []
    for d in diffs[:limit]:
        ad = d.abs_diff
        rows.append((d.path, _cut(d.name or "", 24), _cut(_fmt(d.recorded), 26),
                     _cut(_fmt(d.rerun), 26),
                     f"{ad:.3g}" if ad is not None else {"missing": "not in re-run",
                                                         "added": "only in re-run",
                                                         "type": "type differs",
                                                         "length": "length differs"}
                     .get(d.kind, "differs")))
    widths = [max(_width(r[i]) for r in rows + [head]) for i in range(5)]
    yield "  ".join(_pad(h, w) for h, w in zip(head, widths)).rstrip()
    for r in rows:
        yield "  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip()
    if len(diffs) > limit:
        yield f"… and {len(diffs) - limit} more difference(s)"


def format_verification(results: list[Verification], *, abs_tol: float = DEFAULT_ABS_TOL,
                        rel_tol: float = DEFAULT_REL_TOL, limit: int = 50) -> str:
    """A readable report: one block per report folder, a table of differences by name."""
    lines = []
    for v in results:
        who = v.subject_id or v.folder.name
        if v.ok:
            how = (f"{v.numbers_compared} numbers equal within tolerance"
                   + (", results.json byte-identical" if v.identical_bytes else "")
                   if v.rerun else "inputs and outputs unchanged (not re-run)")
            lines.append(f"✓ {who}: verified — {how}")
        else:
            n = len(v.differences)
            what = [f"{len(v.problems)} problem(s)"] if v.problems else []
            if n:
                what.append(f"{n} difference(s) in results.json")
            lines.append(f"✗ {who}: {', '.join(what)}  [{v.folder}]")
        for p in v.problems:
            lines.append(f"    ! {p}")
        for note in v.notes:
            lines.append(f"    · {note}")
        if v.differences:
            lines.append(f"    tolerance: absolute {abs_tol:g}, relative {rel_tol:g}; "
                         f"{v.numbers_compared} numbers compared")
            lines += ["    " + row for row in _table(v.differences, limit=limit)]
    n_bad = sum(not v.ok for v in results)
    lines.append(f"{len(results)} report(s): {len(results) - n_bad} verified, {n_bad} "
                 "failed verification")
    return "\n".join(lines)
