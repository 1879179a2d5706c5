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
    spec = load_params(a.params, batch=a.batch)
    out = run_report(spec, timeout=a.timeout)
    total, grade = out.summary.get("total"), out.summary.get("grade")
    parts = ([f"total {total:.2f}"] if isinstance(total, (int, float)) else []) + \
        ([f"grade {grade}"] if grade else [])
    print(f"{out.subject_id}: {', '.join(parts) + ' ' if parts else ''}"
          f"({out.seconds:.1f} s) → {out.path}")
    return 0


def _specs_from_folder(folder: Path, batch: str | None):
    from .run.params import load_params
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    return [load_params(f, batch=batch) for f in files]


def _cmd_batch(a) -> int:
    from .run.batch import default_engine, run_batch, specs_for_workbook
    src = Path(a.source)
    from_params = src.is_dir() and any(src.glob("*.y*ml"))
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
            specs = _specs_from_folder(src, a.batch)
        else:
            specs = specs_for_workbook(src, batch=a.batch or "batch", year=a.year,
                                       department=a.department, projects=a.projects,
                                       limit=a.limit, profile=a.profile, lang=a.lang)
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
    r.set_defaults(fn=_cmd_run)

    b = sub.add_parser("batch", help="one report per project of a workbook, or per params file "
                       "of a folder")
    b.add_argument("source", help="workbook (.xlsx or CSV folder) or a folder of params files")
    b.add_argument("--batch", help="output folder name under outputs/")
    b.add_argument("--year", type=int)
    b.add_argument("--department", help="only this department (id or name)")
    b.add_argument("--projects", nargs="*", help="only these project ids")
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
