"""Run many reports: skip those up to date, run the rest on an engine, write a portfolio roll-up.

* **Engines.** ``warm`` (default on POSIX): a fork server imports the libraries once and forks a
  fresh process per report (:mod:`perfkit.run.warm`) — no process, kernel or import start-up per
  report, and no state shared between reports. ``papermill``: a process pool where each report
  starts its own kernel (slower; kept for comparison and where ``fork`` is missing). With
  ``scheduler="tcp://host:8786"`` the reports run on a Dask cluster
  (:mod:`perfkit.run.dask_backend`).
* **Up to date.** A subject whose report folder has a manifest with the same notebook hash,
  parameters, input hashes, rule-profile hash and perfkit version (and whose outputs are all
  there, results.json unedited, report.pdf among them if the spec asks for a PDF) is not run
  again: its status is ``skipped``; ``force=True`` re-runs it. A batch that was killed therefore resumes where it stopped: every finished report
  was moved into place whole, and the next run does only the rest.
* **Roll-up.** ``outputs/<batch>/summary.xlsx``, ``summary.csv`` and ``summary.json``: one row per
  subject with its key results (from the run outcome; for skipped subjects from their
  results.json), status ``ok`` / ``skipped`` / ``error`` and the error. The parent process keeps
  one small dict per subject, whatever the engine.
* One failure stops nothing; the failures are listed in the summary.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import pandas as pd

from .._results import jsonable
from ..errors import InputError, PerfkitError
from .execute import RunOutcome, key_results, plan_run, run_report_safely
from .manifest import HashCache, fingerprint, read_json, stale_reasons, write_json
from .params import RunSpec
from .paths import check_id, notebook_path, output_root

__all__ = ["run_batch", "specs_for_workbook", "write_summary", "plan_batch", "iter_outcomes",
           "default_engine", "SUMMARY_COLUMNS", "BATCH_ENGINES"]

#: the columns of every batch summary; a batch of department, township or district reports adds
#: its reports' own figures (:func:`perfkit.run.execute.key_results`) before ``status``
SUMMARY_COLUMNS = ["subject_id", "subject_type", "name", "department", "sector", "budget_type",
                   "total", "grade", "flags", "n_projects", "budget", "status", "error",
                   "error_kind", "attempts", "seconds"]

#: engines of :func:`run_batch`
BATCH_ENGINES = ("warm", "papermill")


def default_engine() -> str:
    """``warm`` where ``os.fork`` exists, else ``papermill``."""
    from .warm import available
    return "warm" if available() else "papermill"


def specs_for_workbook(workbook: str | Path, *, batch: str, notebook="project_self_evaluation",
                       year: int | None = None, department: str | None = None,
                       projects: Iterable[str] | None = None, limit: int | None = None,
                       profile: str = "national", lang: str = "zh",
                       parameters: Mapping[str, Any] | None = None) -> list[RunSpec]:
    """One spec per project of a workbook's year (optionally one department's, or a list), for
    a project-level notebook (``project_self_evaluation``, ``key_evaluation``).

    Parameters
    ----------
    workbook : path
    batch : str
        Output folder under ``outputs/``.
    notebook : str
        Its subject parameter (``project_id``, or ``subject_id``) takes each project id.
    year : int, optional
        Default: the workbook's latest year.
    department : str, optional
        Only this department's projects (its id or its name).
    projects : iterable of str, optional
        Only these project ids.
    limit : int, optional
        At most this many projects (the first by id).
    profile, lang : str
        Passed to notebooks that have these parameters.
    parameters : mapping, optional
        Other parameters of the notebook, the same for every project.

    Raises
    ------
    InputError
        A project id or department not in the projects table of the year (named), or a
        parameter the notebook's model refuses.
    """
    from ..io import read_workbook
    from .params import NOTEBOOK_PARAMS, validate_parameters
    if notebook not in NOTEBOOK_PARAMS:
        raise InputError(f"unknown notebook; available: {', '.join(sorted(NOTEBOOK_PARAMS))}",
                         argument="notebook", value=notebook)
    model, key = NOTEBOOK_PARAMS[notebook]
    wb = read_workbook(workbook)
    year = int(year) if year is not None else wb.latest_year()
    p = wb["projects"]
    p = p[p["year"] == year]
    src = str(workbook)
    if department:
        d = str(department)
        p = p[(p["department_id"].astype(str) == d) | (p["department"].astype(str) == d)]
        if p.empty:
            known = sorted(wb["projects"].loc[wb["projects"]["year"] == year, "department_id"]
                           .dropna().astype(str).unique())
            raise InputError(f"no project of department {d!r} in the projects table of "
                             f"{year} (by id or name); departments: {', '.join(known) or '—'}",
                             file=src, argument="department", value=d)
    all_ids = sorted(p["project_id"].astype(str).unique())
    if projects is not None:
        wanted = [str(x) for x in projects]
        unknown = [x for x in wanted if x not in set(all_ids)]
        if unknown:
            where = f"department {department!r} in " if department else ""
            raise InputError(f"not in the projects table of {year} ({where}column "
                             f"project_id)", file=src, argument="projects",
                             value=unknown if len(unknown) > 1 else unknown[0])
        all_ids = sorted(dict.fromkeys(wanted))
    ids = all_ids[: limit or None]
    base: dict[str, Any] = {"workbook": str(Path(workbook).resolve())}
    for name, value in (("year", year), ("profile", profile), ("lang", lang)):
        if name in model.model_fields:
            base[name] = value
    base.update(parameters or {})
    # the parameters shared by every spec, checked once; a project id that is not a valid
    # folder name fails that subject only (an error row of the summary)
    validate_parameters(notebook, {**base, key: "subject"})
    return [RunSpec(notebook=notebook, batch=batch, parameters={**base, key: pid})
            for pid in ids]


def write_summary(rows: list[dict], batch_dir: Path) -> pd.DataFrame:
    """summary.csv / summary.xlsx / summary.json of a batch (written atomically):
    :data:`SUMMARY_COLUMNS`, with the report-specific figures of the rows (first seen first)
    before ``status``."""
    from ..report.xlsx import write_summary as _write
    extra = list(dict.fromkeys(k for r in rows for k in r if k not in SUMMARY_COLUMNS))
    at = SUMMARY_COLUMNS.index("status")
    columns = SUMMARY_COLUMNS[:at] + extra + SUMMARY_COLUMNS[at:]
    df = pd.DataFrame(rows).reindex(columns=columns).sort_values("subject_id", kind="stable")
    df = df.reset_index(drop=True)
    batch_dir.mkdir(parents=True, exist_ok=True)
    tmp = batch_dir / f".summary-tmp-{os.getpid()}"
    tmp.mkdir(exist_ok=True)
    try:
        _write(df, tmp / "summary.xlsx", tmp / "summary.csv")
        write_json(jsonable(df.to_dict("records")), tmp / "summary.json")
        for name in ("summary.xlsx", "summary.csv", "summary.json"):
            (tmp / name).replace(batch_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return df


def _row(out: RunOutcome) -> dict:
    return {"subject_id": out.subject_id, **(out.summary or {}), "status": out.status,
            "error": out.error, "error_kind": out.error_kind,
            "attempts": out.attempts if out.status != "skipped" else 0,
            "seconds": round(float(out.seconds or 0.0), 3)}


def plan_batch(specs: Iterable[RunSpec], *, root: Path | None = None, force: bool = False,
               cache: HashCache | None = None) -> tuple[list[RunSpec], list[RunOutcome]]:
    """Split specs into those to run and those settled already: ``skipped`` (up to date, key
    results read from their results.json) or ``error`` (bad parameters, missing input,
    subject twice in the batch)."""
    cache = cache or HashCache()
    todo: list[RunSpec] = []
    settled: list[RunOutcome] = []
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        try:
            subject, batch, params, inputs, final = plan_run(spec, root=root)
        except PerfkitError as e:
            from .execute import _subject_or_guess
            settled.append(RunOutcome(subject_id=_subject_or_guess(spec), batch=str(spec.batch),
                                      status="error", error=str(e),
                                      error_kind=type(e).__name__, attempts=0))
            continue
        if (batch, subject) in seen:
            settled.append(RunOutcome(subject_id=subject, batch=batch, status="error",
                                      error="the subject appears more than once in the batch "
                                      "(its first spec is run)", error_kind="InputError",
                                      attempts=0))
            continue
        seen.add((batch, subject))
        man_file = final / "manifest.json"
        if not force and man_file.is_file():
            try:
                man = read_json(man_file)
                fp = fingerprint(notebook=spec.notebook,
                                 notebook_file=notebook_path(spec.notebook), parameters=params,
                                 inputs=inputs, cache=cache, pdf=spec.pdf)
                if not stale_reasons(man, fp, final):
                    results = read_json(final / "results.json")
                    settled.append(RunOutcome(subject_id=subject, batch=batch,
                                              status="skipped", path=str(final),
                                              summary=key_results(results), attempts=0))
                    continue
            except (OSError, ValueError, PerfkitError):
                pass     # unreadable: run it again
        todo.append(spec)
    return todo, settled


def _clean_stale_staging(base: Path, older_than: float) -> None:
    """Remove staging folders left by a batch that was killed (older than ``older_than`` s)."""
    st = base / ".staging"
    if not st.is_dir():
        return
    now = time.time()
    for p in st.iterdir():
        try:
            if now - p.stat().st_mtime > older_than:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def _papermill_pool(specs: list[RunSpec], *, jobs: int, root: Path,
                    timeout: int) -> Iterator[RunOutcome]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    ctx = multiprocessing.get_context("spawn")
    window = 2 * jobs + 2
    it = iter(specs)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        pending: set = set()
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                try:
                    pending.add(pool.submit(run_report_safely, next(it), root=root,
                                            timeout=timeout, engine="papermill"))
                except StopIteration:
                    exhausted = True
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()


def iter_outcomes(specs: list[RunSpec], *, engine: str | None = None, jobs: int = 2,
                  root: Path | None = None, timeout: int = 600, retries: int = 1,
                  scheduler: str | None = None, pool=None) -> Iterator[RunOutcome]:
    """Run specs (no up-to-date check) and yield their outcomes in completion order.
    ``pool``: a running :class:`~perfkit.run.warm.WarmPool` to use (engine warm) instead of
    starting one."""
    root = Path(root) if root is not None else output_root()
    engine = engine or default_engine()
    if engine not in BATCH_ENGINES:
        raise InputError(f"unknown engine; one of {', '.join(BATCH_ENGINES)}",
                         argument="engine", value=engine)
    if not specs:
        return
    if scheduler:
        from .dask_backend import run_on_dask
        yield from run_on_dask(specs, scheduler, root=root, timeout=timeout, engine=engine,
                               retries=retries)
        return
    if engine == "warm":
        from .warm import WarmPool, available
        if pool is not None:
            yield from pool.imap_unordered(specs, root=root, timeout=timeout)
            return
        if available():
            with WarmPool(jobs=max(1, jobs), retries=retries) as pool:
                yield from pool.imap_unordered(specs, root=root, timeout=timeout)
            return
    yield from _papermill_pool(specs, jobs=max(1, jobs), root=root, timeout=timeout)


def run_batch(specs: Iterable[RunSpec], *, jobs: int = 2, root: Path | None = None,
              timeout: int = 600, quiet: bool = False, engine: str | None = None,
              force: bool = False, retries: int = 1, scheduler: str | None = None,
              pool=None) -> pd.DataFrame:
    """Run a batch; return (and write) the summary table.

    Parameters
    ----------
    specs : iterable of RunSpec
        All of one batch (the first spec's batch names the folder of the summary).
    jobs : int
        Reports at once (warm: forked children; papermill: kernel processes).
    root : Path, optional
        Output root (default ``PERFKIT_OUTPUTS`` or ``outputs/``).
    timeout : int
        Seconds: per report (warm; the process is killed), per cell (papermill).
    quiet : bool
        No progress bar and no closing line.
    engine : {"warm", "papermill"}, optional
        Default ``warm`` on POSIX, else ``papermill``.
    force : bool
        Run subjects whose reports are up to date too.
    retries : int
        Warm engine: times a report whose process died is tried again.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``): run the reports on its workers,
        which must see the same paths (inputs and ``root``).
    pool : WarmPool, optional
        A running warm pool to use (its ``jobs`` apply) instead of starting one.

    Returns
    -------
    pandas.DataFrame
        The summary: :data:`SUMMARY_COLUMNS`, one row per subject, status ``ok`` / ``skipped``
        / ``error`` (``interrupted`` for reports not finished when the batch was stopped).
    """
    from tqdm.auto import tqdm
    specs = list(specs)
    if not specs:
        raise PerfkitError("nothing to run: the batch is empty")
    batch = check_id(specs[0].batch, what="batch")
    root = Path(root).resolve() if root is not None else output_root()
    base = root / batch
    engine = engine or default_engine()
    if engine not in BATCH_ENGINES:
        raise InputError(f"unknown engine; one of {', '.join(BATCH_ENGINES)}",
                         argument="engine", value=engine)
    t0 = time.perf_counter()
    _clean_stale_staging(base, older_than=max(2 * timeout, 3600))
    todo, settled = plan_batch(specs, root=root, force=force)
    del specs
    rows = [_row(o) for o in settled]
    n_skipped = sum(o.status == "skipped" for o in settled)
    if not quiet and n_skipped:
        print(f"{n_skipped} report(s) up to date, skipped (--force to run them again)",
              file=sys.stderr)
    waiting = {}
    for s in todo:
        try:
            waiting[s.subject_id()] = s.batch
        except PerfkitError:
            pass
    bar = tqdm(total=len(todo), desc=f"perfkit batch {batch} [{engine}]", unit="report",
               disable=quiet or not todo, file=sys.stderr, smoothing=0.05, dynamic_ncols=True)
    n_err = 0
    try:
        for out in iter_outcomes(todo, engine=engine, jobs=jobs, root=root, timeout=timeout,
                                 retries=retries, scheduler=scheduler, pool=pool):
            waiting.pop(out.subject_id, None)
            rows.append(_row(out))
            bar.update(1)
            if out.status == "error":
                n_err += 1
                bar.set_postfix(failed=n_err, refresh=False)
                if not quiet:
                    first = (out.error or "").splitlines()[0] if out.error else ""
                    bar.write(f"✗ {out.subject_id}: {first}", file=sys.stderr)
    except BaseException:
        rows += [{"subject_id": sid, "status": "interrupted", "attempts": 0}
                 for sid in waiting]
        write_summary(rows, base)
        raise
    finally:
        bar.close()
    df = write_summary(rows, base)
    if not quiet:
        n = len(df)
        n_fail = int((df["status"] == "error").sum())
        n_ok = int((df["status"] == "ok").sum())
        print(f"{n} report(s) in {time.perf_counter() - t0:.1f} s: {n_ok} run, {n_skipped} "
              f"up to date, {n_fail} failed → {base}", file=sys.stderr)
    return df
