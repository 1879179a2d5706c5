"""The ``perfkit`` command. Thin: parses arguments and delegates to :mod:`perfkit.run`.

Errors the user can fix (bad input, bad parameters) print one clear message, no traceback, and
exit with status 2. Set ``PERFKIT_DEBUG=1`` to see tracebacks.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import PerfkitError

__all__ = ["main"]


def _cmd_run(a) -> int:
    from .run.execute import run_report
    from .run.params import load_params
    spec = load_params(a.params, batch=a.batch, pdf=True if a.pdf else None)
    out = run_report(spec, timeout=a.timeout)
    total, grade = out.summary.get("total"), out.summary.get("grade")
    parts = ([f"total {total:.2f}"] if isinstance(total, (int, float)) else []) + \
        ([f"grade {grade}"] if grade else [])
    print(f"{out.subject_id}: {', '.join(parts) + ' ' if parts else ''}"
          f"({out.seconds:.1f} s) → {out.path}")
    return 0


def _specs_from_folder(folder: Path, batch: str | None, pdf: bool | None = None):
    from .run.params import load_params
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    return [load_params(f, batch=batch, pdf=pdf) for f in files]


def _check_pdf(a) -> None:
    """``--pdf`` without WeasyPrint/Pango: say so (exit 2) before anything runs."""
    if getattr(a, "pdf", False):
        from .report.pdf import require_weasyprint
        require_weasyprint()


#: batch options that --set may not name (they have their own option)
_SET_OPTIONS = {"workbook": "the WORKBOOK argument", "year": "--year", "profile": "--profile",
                "lang": "--lang", "batch": "--batch", "notebook": "--notebook",
                "ids": "--ids", "department": "--department", "limit": "--limit",
                "pdf": "--pdf"}


def _parse_sets(items: list[str] | None) -> dict:
    """``--set key=value`` → ``{key: value}``; each value is read as YAML (``3000`` a number,
    ``null``, ``true``, ``'"001"'`` text, ``{中: 10, 差: 100}`` a mapping)."""
    import yaml

    from ._yaml import load_yaml
    from .errors import InputError
    out: dict = {}
    for item in items or []:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise InputError("must be KEY=VALUE, e.g. --set pool=3000", argument="--set",
                             value=item)
        if key in _SET_OPTIONS:
            raise InputError(f"use {_SET_OPTIONS[key]}, not --set {key}", argument="--set",
                             value=item)
        if key in out:
            raise InputError("the same parameter is set twice", argument="--set", value=key)
        try:
            out[key] = load_yaml(text, what="--set value")
        except yaml.YAMLError as e:
            raise InputError(f"not a YAML value: {e}", argument="--set", value=item) from None
    return out


def _batch_options(a, from_params: bool) -> dict:
    """Check the options that choose the subjects before anything starts; return --set."""
    from .errors import InputError
    sets = _parse_sets(a.set)
    if from_params:
        used = [o for o, v in (("--notebook", a.notebook), ("--ids", a.ids), ("--set", a.set))
                if v]
        if used:
            raise InputError("applies to a workbook, not to a folder of params files",
                             argument=used[0])
        return sets
    if a.ids is not None and a.projects is not None:
        raise InputError("give the ids once (--projects is the old name of --ids)",
                         argument="--ids")
    from .run.params_cycle import subject_level
    subject_level(a.notebook or "project_self_evaluation")      # an unknown notebook: now
    return sets


def _workbook_specs(src: Path, a, sets: dict):
    """Specs of a workbook batch at the notebook's level (project, department, township)."""
    from .run.params_cycle import cycle_specs
    return cycle_specs(a.notebook or "project_self_evaluation", src, batch=a.batch or "batch",
                       year=a.year, ids=a.ids if a.ids is not None else a.projects,
                       department=a.department, limit=a.limit, profile=a.profile,
                       lang=a.lang, **sets)


def _cmd_batch(a) -> int:
    from .run.batch import default_engine, run_batch
    _check_pdf(a)
    src = Path(a.source)
    from_params = src.is_dir() and any(src.glob("*.y*ml"))
    sets = _batch_options(a, from_params)
    pool = None
    if (a.engine or default_engine()) == "warm" and not a.scheduler:
        # start the fork server now: it imports the libraries (and reads the workbook) while
        # this process lists the projects
        from .run.warm import WarmPool
        pool = WarmPool(jobs=max(1, a.jobs), retries=a.retries, wait=False)
        if not from_params and src.exists():
            pool.prime(src)
    try:
        if from_params:
            specs = _specs_from_folder(src, a.batch, pdf=True if a.pdf else None)
        else:
            specs = _workbook_specs(src, a, sets)
        if a.pdf:
            specs = [s.model_copy(update={"pdf": True}) for s in specs]
        df = run_batch(specs, jobs=a.jobs, timeout=a.timeout, quiet=a.quiet, engine=a.engine,
                       force=a.force, retries=a.retries, scheduler=a.scheduler, pool=pool)
    finally:
        if pool is not None:
            pool.close()
    failed = df[df["status"].isin(["error", "interrupted"])]
    if len(failed):
        print(f"{len(failed)} subject(s) failed (listed in summary.csv/.json):", file=sys.stderr)
        for r in failed.head(50).itertuples():
            print(f"  {r.subject_id}: {str(r.error).splitlines()[0]}", file=sys.stderr)
        if len(failed) > 50:
            print(f"  … and {len(failed) - 50} more", file=sys.stderr)
        return 1
    return 0


def _cmd_verify(a) -> int:
    import json

    from .run.verify import find_report_folders, format_verification, verify
    if not a.no_rerun:
        n = len(find_report_folders(a.path))
        print(f"verifying {n} report(s): checking hashes, then executing again…",
              file=sys.stderr)
    results = verify(a.path, abs_tol=a.abs_tol, rel_tol=a.rel_tol, rerun=not a.no_rerun,
                     engine=a.engine, jobs=a.jobs, timeout=a.timeout, scheduler=a.scheduler)
    if a.json:
        print(json.dumps([v.to_dict() for v in results], ensure_ascii=False, indent=1,
                         default=str))
    else:
        print(format_verification(results, abs_tol=a.abs_tol, rel_tol=a.rel_tol))
    return 0 if all(v.ok for v in results) else 1


def _cmd_pdf(a) -> int:
    from .run.execute import add_pdfs
    n = {"ok": 0, "current": 0, "error": 0}
    for r in add_pdfs(a.path, force=a.force, jobs=a.jobs):
        n[r["status"]] += 1
        if r["status"] == "error":
            print(f"✗ {r['folder']}: {r['error']}", file=sys.stderr)
        elif r["status"] == "ok":
            print(f"{r['path']}")
    print(f"{n['ok']} PDF(s) printed, {n['current']} current (--force to print them again), "
          f"{n['error']} failed", file=sys.stderr)
    return 1 if n["error"] else 0


def _cmd_demo(a) -> int:
    from .io import read_workbook
    from .run.batch import run_batch, specs_for_workbook
    from .run.demo import demo_workbook_path
    path = demo_workbook_path(regenerate=a.regenerate)
    print(f"demo district workbook: {path}", file=sys.stderr)
    wb = read_workbook(path)
    dept = None
    if not a.all:
        p = wb["projects"]
        p = p[p["year"] == wb.latest_year()]
        dept = sorted(p["department_id"].unique())[0]
        print(f"reporting on department {dept} (use --all for the whole district)",
              file=sys.stderr)
    specs = specs_for_workbook(path, batch="demo", department=dept, lang=a.lang)
    df = run_batch(specs, jobs=a.jobs, quiet=a.quiet)
    print(df[["subject_id", "name", "total", "grade", "status"]].round({"total": 2})
          .to_string(index=False))
    return 0 if (df["status"] == "ok").all() else 1


def _cmd_template(a) -> int:
    from .io.template import write_template
    write_template(a.path, lang=a.lang)
    print(f"template written: {a.path}")
    return 0


def _cmd_profiles(a) -> int:
    from .rules import available_profiles, load_profile
    for pid in available_profiles():
        p = load_profile(pid)
        print(f"{p.id:14} {p.version:16} {p.hash[:19]}  {p.title}")
    return 0


def _cmd_score(a) -> int:
    from .io import read_workbook
    from .scoring import score_self_evaluation
    res = score_self_evaluation(read_workbook(a.workbook), a.profile, year=a.year)
    df = res.to_frame()
    if a.out:
        from .report.xlsx import write_summary
        out = Path(a.out)
        write_summary(df, out.with_suffix(".xlsx"), out.with_suffix(".csv"))
        print(f"written: {out.with_suffix('.csv')} and .xlsx", file=sys.stderr)
    else:
        print(df.to_string(index=False))
    return 0


def _cmd_import_forms(a) -> int:
    import pandas as pd

    from .datasets.demo import write
    from .errors import InputError
    from .io.forms import read_forms
    from .report.safe import safe_frame
    out = Path(a.out)
    if out.suffix.lower() != ".xlsx":
        raise InputError("must name an .xlsx file", argument="--out", value=a.out)
    res = read_forms(a.folder, year=a.year)
    issues = res.issues()
    for r in issues[issues["severity"] == "error"].itertuples(index=False):
        where = ", ".join(str(x) for x in (r.file, repr(r.sheet) if pd.notna(r.sheet) else None,
                                           r.cell) if pd.notna(x))
        found = f" (found {r.value!r})" if pd.notna(r.value) else ""
        print(f"  not read: {where}: {r.rule}{found}", file=sys.stderr)
    if res.n_read == 0:
        raise InputError("no form could be read: no 项目支出绩效自评表 / 绩效目标申报表 / 绩效监控表 with "
                         "a 项目名称 label and a funds or indicator table was found "
                         f"({len(res.forms)} form(s) found, {len(res.problems)} problem(s))",
                         file=str(a.folder))
    write(res.to_workbook(), out)
    report = out.with_name(out.stem + ".import-report.xlsx")
    with pd.ExcelWriter(report, engine="openpyxl") as xw:
        safe_frame(res.report()).to_excel(xw, sheet_name="读取情况", index=False)
        safe_frame(issues).to_excel(xw, sheet_name="问题与说明", index=False)
    print(res.report().drop(columns=["file"]).to_string(index=False))
    print(f"{res.n_read} form(s) read, {len(res.problems)} cell(s) not read, {len(res.notes)} "
          f"note(s); workbook: {out}; report: {report}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="perfkit", description="Budget performance evaluation "
                                "(预算绩效管理) reports from workbooks.")
    from . import __version__
    p.add_argument("--version", action="version", version=f"perfkit {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("run", help="run one report from a params YAML file")
    r.add_argument("params")
    r.add_argument("--batch", help="output folder name under outputs/ (overrides the file)")
    r.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    r.add_argument("--pdf", action="store_true",
                   help="also print report.pdf (as 'pdf: true' in the file; needs perfkit[pdf])")
    r.set_defaults(fn=_cmd_run)

    b = sub.add_parser("batch", help="one report per project, department or township of a "
                       "workbook (by the notebook's level), or per params file of a folder")
    b.add_argument("source", help="workbook (.xlsx or CSV folder) or a folder of params files")
    b.add_argument("--batch", help="output folder name under outputs/")
    b.add_argument("--notebook", metavar="NAME",
                   help="the report to run (default project_self_evaluation); its level "
                        "(perfkit.run.params_cycle.SUBJECT_LEVELS, README 'Batches') says "
                        "whether one report is made per project, department or township")
    b.add_argument("--ids", nargs="+", metavar="ID",
                   help="only these subjects (project, department or township ids)")
    b.add_argument("--year", type=int)
    b.add_argument("--department", help="only this department (id or name): its projects, or "
                   "its own report for a department-level notebook")
    b.add_argument("--projects", nargs="+", metavar="ID", help="only these project ids (the "
                   "old name of --ids)")
    b.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="another parameter of the notebook, the same for every report (value "
                        "read as YAML: --set pool=3000 --set 'cut_percent={中: 10, 差: 100}'); "
                        "repeat for several")
    b.add_argument("--limit", type=int)
    b.add_argument("--profile", default="national")
    b.add_argument("--lang", default="zh", choices=["zh", "en"])
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                   help="reports at once (default: the number of CPUs)")
    b.add_argument("--timeout", type=int, default=600,
                   help="seconds per report (warm) or per cell (papermill)")
    b.add_argument("--engine", choices=["warm", "papermill"], default=None,
                   help="warm: fork server, libraries imported once (default on POSIX); "
                        "papermill: a kernel per report")
    b.add_argument("--force", action="store_true",
                   help="run reports that are up to date too (default: skip them)")
    b.add_argument("--retries", type=int, default=1,
                   help="times a report whose process died is tried again (warm)")
    b.add_argument("--scheduler", metavar="tcp://HOST:8786",
                   help="run on this Dask cluster (workers must see the same paths)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--pdf", action="store_true",
                   help="also print report.pdf of every report (needs perfkit[pdf]); an up-to-"
                        "date report without one is run again")
    b.set_defaults(fn=_cmd_batch)

    v = sub.add_parser("verify", help="check a report (or a batch folder of reports): inputs, "
                       "versions, hand edits, and every number re-computed")
    v.add_argument("path", help="outputs/<batch>/<subject> or outputs/<batch>")
    v.add_argument("--abs-tol", type=float, default=1e-9, help="absolute tolerance (1e-9)")
    v.add_argument("--rel-tol", type=float, default=1e-12, help="relative tolerance (1e-12)")
    v.add_argument("--no-rerun", action="store_true",
                   help="only check hashes and versions; do not execute again")
    v.add_argument("--engine", choices=["warm", "papermill"], default=None)
    v.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    v.add_argument("--timeout", type=int, default=600)
    v.add_argument("--scheduler", metavar="tcp://HOST:8786")
    v.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    v.set_defaults(fn=_cmd_verify)

    pd_ = sub.add_parser("pdf", help="print report.pdf of an existing report folder (or of every "
                         "report of a batch folder) from its report.html")
    pd_.add_argument("path", help="outputs/<batch>/<subject> or outputs/<batch>")
    pd_.add_argument("--force", action="store_true",
                     help="print again PDFs that are current (default: leave them)")
    pd_.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                     help="PDFs printed at once (default: the number of CPUs)")
    pd_.set_defaults(fn=_cmd_pdf)

    d = sub.add_parser("demo", help="generate the demo district and report on it")
    d.add_argument("--all", action="store_true", help="every project, not one department")
    d.add_argument("--regenerate", action="store_true")
    d.add_argument("--lang", default="zh", choices=["zh", "en"])
    d.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    d.add_argument("--quiet", action="store_true")
    d.set_defaults(fn=_cmd_demo)

    t = sub.add_parser("template", help="write an empty workbook with headers and drop-downs")
    t.add_argument("path")
    t.add_argument("--lang", default="zh", choices=["zh", "en"])
    t.set_defaults(fn=_cmd_template)

    s = sub.add_parser("score", help="score every project of a workbook (no notebooks)")
    s.add_argument("workbook")
    s.add_argument("--year", type=int)
    s.add_argument("--profile", default="national")
    s.add_argument("--out", help="write summary .csv and .xlsx here")
    s.set_defaults(fn=_cmd_score)

    im = sub.add_parser("import-forms", help="read official forms (项目支出绩效自评表, 绩效目标申报表, "
                        "绩效监控表) into a workbook")
    im.add_argument("folder", help="folder of .xlsx forms (searched recursively), or one file")
    im.add_argument("--out", required=True, help="the workbook (.xlsx) to write; the report goes "
                    "to WORKBOOK.import-report.xlsx beside it")
    im.add_argument("--year", type=int, help="budget year of forms that do not print one")
    im.set_defaults(fn=_cmd_import_forms)

    pr = sub.add_parser("profiles", help="list the rule profiles")
    pr.set_defaults(fn=_cmd_profiles)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args) or 0)
    except PerfkitError as e:
        if os.environ.get("PERFKIT_DEBUG"):
            raise
        print(f"perfkit: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("perfkit: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - no traceback for the user
        if os.environ.get("PERFKIT_DEBUG"):
            raise
        print(f"perfkit: internal error: {type(e).__name__}: {e}\n"
              "(set PERFKIT_DEBUG=1 for the traceback, and please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
