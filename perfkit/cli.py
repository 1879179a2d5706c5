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
    print(f"{out.subject_id}: total {out.summary.get('total'):.2f}, grade "
          f"{out.summary.get('grade')} ({out.seconds:.1f} s) → {out.path}"
          if isinstance(out.summary.get("total"), (int, float)) else f"→ {out.path}")
    return 0


def _specs_from_folder(folder: Path, batch: str | None):
    from .run.params import load_params
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    return [load_params(f, batch=batch) for f in files]


def _cmd_batch(a) -> int:
    from .run.batch import run_batch, specs_for_workbook
    src = Path(a.source)
    if src.is_dir() and any(src.glob("*.y*ml")):
        specs = _specs_from_folder(src, a.batch)
    else:
        specs = specs_for_workbook(src, batch=a.batch or "batch", year=a.year,
                                   department=a.department, projects=a.projects,
                                   limit=a.limit, profile=a.profile, lang=a.lang)
    df = run_batch(specs, jobs=a.jobs, timeout=a.timeout, quiet=a.quiet)
    failed = df[df["status"] == "error"]
    if len(failed):
        print(f"{len(failed)} subject(s) failed:", file=sys.stderr)
        for r in failed.itertuples():
            print(f"  {r.subject_id}: {str(r.error).splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


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
    print(df[["subject_id", "name", "total", "grade", "status"]].to_string(index=False))
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
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    b.add_argument("--timeout", type=int, default=600)
    b.add_argument("--quiet", action="store_true")
    b.set_defaults(fn=_cmd_batch)

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
