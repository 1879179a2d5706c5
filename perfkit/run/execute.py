"""Execute one report notebook into a staging folder, then move it into place.

``outputs/<batch>/<subject-id>/`` receives ``notebook.ipynb`` (executed), ``report.html``
(self-contained, offline, no code), ``report.pdf`` when the spec asks for it (``pdf: true``),
the tables (.xlsx), ``results.json`` (every number the report states) and ``manifest.json``
(inputs, parameters, profile, versions, and the sha256 of every file written). Nothing appears
there until everything is written.

A run has three steps, whatever executes the notebook: :func:`prepare_run` (validate, resolve
inputs, make the staging folder), an engine that writes ``notebook.ipynb`` (papermill with a
kernel, or in-process in a forked child of the warm pool, see :mod:`perfkit.run.warm`), and
:func:`finish_run` (check results.json, export the HTML and the PDF, write the manifest, move
into place). :func:`add_pdf` prints the PDF of a report folder made without one.
"""
from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, PerfkitError, RunError
from .manifest import build_manifest, file_sha256, output_hashes, read_json, write_json
from .params import RunSpec, validate_parameters
from .paths import check_id, notebook_path, output_root

__all__ = ["run_report", "run_report_safely", "RunOutcome", "PreparedRun", "prepare_run",
           "finish_run", "resolve_inputs", "atomic_replace_dir", "key_results", "ENGINES",
           "add_pdf", "add_pdfs", "pdf_report_folders"]

#: engines of :func:`run_report`
ENGINES = ("papermill", "inprocess", "warm")


@dataclass
class RunOutcome:
    subject_id: str
    batch: str
    status: str                    # ok | error | skipped
    path: str | None = None
    seconds: float = 0.0
    error: str | None = None
    error_kind: str | None = None
    summary: dict = field(default_factory=dict)
    attempts: int = 1


@dataclass
class PreparedRun:
    """A validated report run whose staging folder exists (see :func:`prepare_run`)."""

    spec: RunSpec
    notebook: str
    notebook_file: Path
    parameters: dict               # validated, input paths resolved
    inputs: dict                   # name → path of the files whose hashes go into the manifest
    subject: str
    batch: str
    base: Path                     # outputs/<batch>
    final: Path                    # outputs/<batch>/<subject>
    staging: Path
    t0: float = field(default_factory=time.perf_counter)

    @property
    def executed_notebook(self) -> Path:
        return self.staging / "notebook.ipynb"

    def notebook_parameters(self) -> dict:
        """The parameters injected into the notebook (``output_dir`` is the staging folder)."""
        return {**self.parameters, "output_dir": str(self.staging)}

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        try:
            (self.base / ".staging").rmdir()
        except OSError:
            pass


#: a text parameter ending in one of these and naming an existing file is an input file
_INPUT_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".yaml", ".yml", ".json", ".parquet", ".txt")


def resolve_inputs(notebook: str, params: dict) -> tuple[dict, dict]:
    """Make input paths explicit (the demo district when no workbook is given; every input file
    as an absolute path) and list the files whose hashes go into the manifest: the workbook, a
    profile YAML, and any other parameter naming an existing data file (ratings, scores …)."""
    params = dict(params)
    inputs = {}
    if "workbook" in params:
        if params["workbook"] is None:
            from .demo import demo_workbook_path
            params["workbook"] = str(demo_workbook_path())
        wb = Path(params["workbook"])
        if not wb.exists():
            raise InputError("workbook not found", file=str(wb), argument="workbook")
        params["workbook"] = str(wb.resolve())
        inputs["workbook"] = params["workbook"]
    prof = params.get("profile")
    if isinstance(prof, str) and prof.endswith((".yaml", ".yml")):
        pp = Path(prof)
        if not pp.is_file():
            raise InputError("rule profile file not found", file=prof, argument="profile")
        params["profile"] = inputs["profile"] = str(pp.resolve())
    for name, value in params.items():
        if name in inputs or not isinstance(value, str) or \
                not value.lower().endswith(_INPUT_SUFFIXES):
            continue
        p = Path(value)
        if p.exists():
            params[name] = inputs[name] = str(p.resolve())
    return params, inputs


def atomic_replace_dir(staging: Path, final: Path) -> None:
    """Move a finished staging folder to its final place, replacing an older one as a whole."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    try:
        os.replace(staging, final)
    except OSError:
        if old is not None:       # put the previous report back
            os.replace(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _kernel_error(exc) -> PerfkitError:
    """Turn an error raised inside the notebook into a perfkit error without a traceback."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if ename in ("InputError", "InputErrors", "RuleError"):
        e = InputError(evalue)
        e.args = (evalue,)
        return e
    return RunError(f"the notebook failed: {ename}: {evalue}")


def plan_run(spec: RunSpec, *, root: Path | None = None) -> tuple[str, str, dict, dict, Path]:
    """Validate a spec without touching the disk: (subject, batch, parameters, inputs, final
    folder). Raises an :class:`InputError` for bad parameters or a missing input."""
    params = validate_parameters(spec.notebook, spec.parameters)
    subject = spec.subject_id()
    batch = check_id(spec.batch, what="batch")
    params, inputs = resolve_inputs(spec.notebook, params)
    return subject, batch, params, inputs, (root or output_root()) / batch / subject


def prepare_run(spec: RunSpec, *, root: Path | None = None,
                staging_token: str | None = None) -> PreparedRun:
    """Validate a spec, resolve its inputs and create its staging folder
    ``outputs/<batch>/.staging/<subject>-<random>`` (or ``.staging/<staging_token>``)."""
    t0 = time.perf_counter()
    subject, batch, params, inputs, final = plan_run(spec, root=root)
    nb_file = notebook_path(spec.notebook)
    base = final.parent
    name = check_id(staging_token, what="staging token") if staging_token else \
        f"{subject}-{uuid.uuid4().hex[:12]}"
    staging = base / ".staging" / name
    staging.mkdir(parents=True, exist_ok=False)
    return PreparedRun(spec=spec, notebook=spec.notebook, notebook_file=nb_file,
                       parameters=params, inputs=inputs, subject=subject, batch=batch, base=base,
                       final=final, staging=staging, t0=t0)


def execute_papermill(job: PreparedRun, *, timeout: int = 600, kernel_name: str | None = None,
                      log_output: bool = False) -> None:
    """Engine ``papermill``: a fresh kernel process executes the notebook (``timeout``: seconds
    per cell)."""
    import papermill as pm  # heavy import, only when running
    try:
        pm.execute_notebook(
            str(job.notebook_file), str(job.executed_notebook),
            parameters=job.notebook_parameters(), kernel_name=kernel_name or "python3",
            progress_bar=False, log_output=log_output, cwd=str(job.notebook_file.parent),
            execution_timeout=timeout, report_mode=False)
    except pm.PapermillExecutionError as e:
        raise _kernel_error(e) from None
    except PerfkitError:
        raise
    except Exception as e:  # kernel died, timeout, …
        raise RunError(f"executing {job.notebook_file.name} failed: {type(e).__name__}: {e}") \
            from None


def execute_inprocess(job: PreparedRun, *, kernel_name: str | None = None) -> None:
    """Engine ``inprocess``: execute the notebook's cells in a fresh IPython shell of *this*
    process. Only safe in a process that runs one report and exits (a warm-pool child): state
    set by the notebook stays in the process."""
    from papermill.exceptions import PapermillExecutionError

    from .warm import execute_notebook_inprocess
    try:
        execute_notebook_inprocess(job.notebook_file, job.executed_notebook,
                                   job.notebook_parameters(), cwd=job.notebook_file.parent,
                                   kernel_name=kernel_name)
    except PapermillExecutionError as e:
        raise _kernel_error(e) from None
    except PerfkitError:
        raise
    except Exception as e:
        raise RunError(f"executing {job.notebook_file.name} failed: {type(e).__name__}: {e}") \
            from None


def finish_run(job: PreparedRun, *, engine: str | None = None) -> RunOutcome:
    """After an engine wrote ``notebook.ipynb``: check ``results.json``, export
    ``report.html`` (and ``report.pdf`` if ``job.spec.pdf``), write ``manifest.json`` (with the
    sha256 of every output) and move the staging folder into place. Every engine ends here,
    so the PDF is there, in staging, before the folder appears."""
    nb_name = job.notebook_file.name
    if not job.executed_notebook.exists():
        raise RunError(f"{nb_name}: the engine wrote no executed notebook")
    if not (job.staging / "results.json").exists():
        raise RunError(f"{nb_name} ran but did not publish results.json "
                       "(call perfkit.run.publish)")
    results = read_json(job.staging / "results.json")
    from ..report.html import export_html
    lang = job.parameters.get("lang")
    export_html(job.executed_notebook, job.staging / "report.html",
                title=str(results.get("name") or job.subject),
                **({"lang": lang} if lang in ("zh", "en") else {}))
    pdf = None
    if job.spec.pdf:
        from ..report.pdf import export_pdf, pdf_versions
        export_pdf(job.staging / "report.html", job.staging / "report.pdf",
                   lang=lang if lang in ("zh", "en") else None)
        pdf = pdf_versions()
    manifest = build_manifest(notebook=job.notebook, notebook_file=job.notebook_file,
                              batch=job.batch, subject_id=job.subject,
                              parameters=job.parameters, inputs=job.inputs,
                              profile=results.get("profile"),
                              outputs=output_hashes(job.staging), engine=engine, pdf=pdf)
    write_json(manifest, job.staging / "manifest.json")
    atomic_replace_dir(job.staging, job.final)
    return RunOutcome(subject_id=job.subject, batch=job.batch, status="ok", path=str(job.final),
                      seconds=time.perf_counter() - job.t0, summary=key_results(results))


def run_report(spec: RunSpec, *, root: Path | None = None, timeout: int = 600,
               kernel_name: str | None = None, log_output: bool = False,
               engine: str = "papermill", staging_token: str | None = None) -> RunOutcome:
    """Run one report (see module docstring). Raises a PerfkitError on failure; the previous
    report of the same subject, if any, is left as it was.

    Parameters
    ----------
    spec : RunSpec
    root : Path, optional
        Output root (default :func:`perfkit.run.paths.output_root`).
    timeout : int
        Seconds per cell (papermill) or for the whole report (warm).
    engine : {"papermill", "inprocess", "warm"}
        ``papermill``: a kernel process per report. ``warm``: a fork of a process that has
        imported the libraries (:mod:`perfkit.run.warm`; a one-report pool is started here —
        use :func:`perfkit.run.batch.run_batch` for many). ``inprocess``: this very process
        (only for disposable processes).

    Raises
    ------
    PdfUnavailableError
        ``spec.pdf`` and WeasyPrint or Pango is missing (before anything runs).
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine; one of {', '.join(ENGINES)}", argument="engine",
                         value=engine)
    if spec.pdf:     # say it now, not after the notebook ran
        from ..report.pdf import require_weasyprint
        require_weasyprint()
    if engine == "warm":
        from .warm import WarmPool
        with WarmPool(jobs=1) as pool:
            out = pool.submit(spec, root=root or output_root(), timeout=timeout).result()
        if out.status != "ok":
            if out.error_kind in ("InputError", "InputErrors", "RuleError"):
                e = InputError(out.error or "")
                e.args = (out.error,)
                raise e
            raise RunError(out.error or "the report failed")
        return out
    job = prepare_run(spec, root=root, staging_token=staging_token)
    try:
        if engine == "papermill":
            execute_papermill(job, timeout=timeout, kernel_name=kernel_name,
                              log_output=log_output)
        else:
            execute_inprocess(job, kernel_name=kernel_name)
        return finish_run(job, engine=engine)
    finally:
        job.discard()    # no-op after a successful move


def run_report_safely(spec: RunSpec, **kwargs) -> RunOutcome:
    """:func:`run_report` that returns an ``error`` outcome instead of raising (batches go on
    with the other subjects)."""
    try:
        return run_report(spec, **kwargs)
    except PerfkitError as e:
        return RunOutcome(subject_id=_subject_or_guess(spec), batch=str(spec.batch),
                          status="error", error=str(e), error_kind=type(e).__name__)
    except Exception as e:  # noqa: BLE001 - a batch goes on with the other subjects
        return RunOutcome(subject_id=_subject_or_guess(spec), batch=str(spec.batch),
                          status="error", error=f"{type(e).__name__}: {e}",
                          error_kind="InternalError")


def _subject_or_guess(spec: RunSpec) -> str:
    try:
        return spec.subject_id()
    except Exception:  # noqa: BLE001 - a bad id is reported as the error itself
        from .params import NOTEBOOK_PARAMS
        key = NOTEBOOK_PARAMS.get(spec.notebook, (None, "project_id"))[1]
        return str(spec.parameters.get(key) or "?")


def _dig(results: dict, path: str):
    v = results
    for part in path.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    return v


def _counts_text(rows, key: str) -> str | None:
    """``"优先保障 3;保障 5"`` from rows of {key, n_projects}."""
    if not isinstance(rows, list):
        return None
    return ";".join(f"{r.get(key)} {r.get('n_projects')}" for r in rows if isinstance(r, dict))


#: report (``results["report"]``) → the summary columns it fills besides the common ones:
#: (column, dotted path in results.json, or a function of it). ``n_projects`` and ``budget``
#: are common columns; the others are appended to the summary of the batches that have them.
_KEY_FIGURES = {
    "results_application": (
        ("n_projects", "totals.n_projects"), ("budget", "totals.current_budget"),
        ("actions", lambda r: _counts_text(r.get("by_action"), "action")),
        ("n_idle", "totals.n_idle"), ("recall_amount", "totals.recall_amount"),
        ("n_overlap_pairs", "totals.n_overlap_pairs"),
        ("proposed_amount", "totals.proposed_amount")),
    "department_evaluation": (
        ("n_projects", "portfolio.n_projects"), ("budget", "portfolio.budget"),
        ("action", "action"), ("project_weighted_score", "portfolio.weighted_score")),
    "target_review": (
        ("n_projects", "district.n_projects"), ("n_findings", "district.n_findings"),
        ("n_projects_with_findings", "district.n_projects_with_findings")),
    "township_evaluation": (
        ("n_townships", "n_townships"), ("rank", "rank"), ("mean_total", "mean_total"),
        ("transfer_amount", "allocation_row.amount")),
    "monitoring": (
        ("n_projects", "district.n_projects"), ("budget", "district.budget"),
        ("execution_rate", "district.execution_rate"), ("n_red", "district.n_red"),
        ("n_yellow", "district.n_yellow"), ("n_green", "district.n_green")),
    "portfolio": (
        ("n_projects", "totals.n_projects"), ("budget", "totals.budget"),
        ("execution_rate", "totals.execution_rate"),
        ("weighted_total", "totals.weighted_total")),
}


def key_results(results: dict) -> dict:
    """The few numbers a portfolio roll-up gathers from one report's results.json.

    Every report: subject type, name, department, sector, budget type, total, grade, flags,
    ``n_projects`` and ``budget`` (万元; a project's adjusted budget). Department, township and
    district reports add their own figures (:data:`_KEY_FIGURES`): a result application its
    actions, sedimented funds and overlaps; a department evaluation its grade's action; a
    township its rank and transfer; monitoring its execution rate and lights.
    """
    flags = results.get("flags") or []
    budget = results.get("budget")
    if isinstance(budget, dict):          # a project report: {initial, adjusted, executed …}
        budget = budget.get("adjusted") if budget.get("adjusted") is not None \
            else budget.get("initial")
    out = {"subject_type": results.get("subject_type"), "name": results.get("name"),
           "department": results.get("department"), "sector": results.get("sector"),
           "budget_type": results.get("budget_type"), "total": results.get("total"),
           "grade": results.get("grade"),
           "flags": ";".join(f.get("code", "") if isinstance(f, dict) else str(f)
                             for f in flags),
           "n_projects": results.get("n_projects"),
           "budget": budget if isinstance(budget, (int, float)) else None}
    if out["department"] is None and out["subject_type"] == "department":
        out["department"] = out["name"]
    for col, how in _KEY_FIGURES.get(results.get("report"), ()):
        v = how(results) if callable(how) else _dig(results, how)
        if v is not None or col not in out:
            out[col] = v
    return out


# ============================================================================================
# report.pdf of an existing report folder
# ============================================================================================
def pdf_report_folders(path: str | Path) -> list[Path]:
    """``path`` itself if it holds a ``report.html``, else its subfolders that do (a batch
    folder; hidden folders such as ``.staging`` left out). Raises an :class:`InputError` if
    there is none."""
    p = Path(path)
    if not p.is_dir():
        raise InputError("no such folder", file=str(p))
    if (p / "report.html").is_file():
        return [p]
    subs = sorted(d for d in p.iterdir() if d.is_dir() and not d.name.startswith(".")
                  and (d / "report.html").is_file())
    if not subs:
        raise InputError("not a report folder (no report.html) nor a batch folder of reports",
                         file=str(p))
    return subs


def _write_json_atomic(obj, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write_json(obj, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def add_pdf(folder: str | Path, *, force: bool = False) -> tuple[Path, bool]:
    """Print ``report.pdf`` of an existing report folder from its ``report.html``.

    The PDF is written to a temporary file and renamed into place; then the folder's
    ``manifest.json`` (if any) records its sha256 among the outputs — so that ``perfkit
    verify`` checks it for hand edits like the other outputs — and the versions that printed
    it (key ``pdf``). ``results.json`` and every other file are left untouched.

    Parameters
    ----------
    folder : str or Path
        ``outputs/<batch>/<subject>``.
    force : bool
        Print again even when ``report.pdf`` is current (recorded in the manifest with
        ``report.html`` unchanged since; without a manifest: newer than ``report.html``).

    Returns
    -------
    (Path, bool)
        The PDF, and whether it was printed now (``False``: it was current).

    Raises
    ------
    InputError
        No ``report.html``; an unreadable manifest; or ``report.html`` differs from the hash
        its manifest recorded (hand-edited: its PDF would not be the report that was run —
        run the report again).
    PdfUnavailableError
        WeasyPrint or Pango is missing.
    """
    from ..report.pdf import export_pdf, pdf_versions
    folder = Path(folder)
    html, pdf, man_file = folder / "report.html", folder / "report.pdf", folder / "manifest.json"
    if not html.is_file():
        raise InputError("no report.html in the folder", file=str(folder))
    man = None
    if man_file.is_file():
        try:
            man = read_json(man_file)
        except (OSError, ValueError) as e:
            raise InputError(f"manifest.json cannot be read: {e}", file=str(man_file)) from None
        if not isinstance(man, dict):
            raise InputError("manifest.json is not a perfkit manifest", file=str(man_file))
    outs = dict((man or {}).get("outputs") or {})
    html_hash = file_sha256(html) if man is not None else None
    if man is not None and outs.get("report.html") and outs["report.html"] != html_hash:
        raise InputError("report.html was changed after the run (its sha256 differs from the "
                         "manifest): run the report again rather than print an edited copy",
                         file=str(html))
    if not force and pdf.is_file():
        if man is not None:
            if outs.get("report.pdf") and outs["report.pdf"] == file_sha256(pdf):
                return pdf, False
        elif pdf.stat().st_mtime_ns >= html.stat().st_mtime_ns:
            return pdf, False
    params = (man or {}).get("parameters") or {}
    lang = params.get("lang") if params.get("lang") in ("zh", "en") else None
    export_pdf(html, pdf, lang=lang)
    if man is not None:
        outs["report.pdf"] = file_sha256(pdf)
        new = {k: v for k, v in man.items() if k not in ("pdf", "outputs")}
        new["pdf"] = pdf_versions()
        new["outputs"] = dict(sorted(outs.items()))
        _write_json_atomic(new, man_file)
    return pdf, True


def _add_pdf_safely(folder: str, force: bool) -> dict:
    try:
        pdf, made = add_pdf(folder, force=force)
        return {"folder": folder, "status": "ok" if made else "current", "path": str(pdf)}
    except PerfkitError as e:
        return {"folder": folder, "status": "error", "error": str(e),
                "error_kind": type(e).__name__}
    except Exception as e:  # noqa: BLE001 - one folder's failure stops nothing
        return {"folder": folder, "status": "error", "error": f"{type(e).__name__}: {e}",
                "error_kind": "InternalError"}


def add_pdfs(path: str | Path, *, force: bool = False, jobs: int = 1):
    """:func:`add_pdf` for a report folder or every report folder of a batch folder.

    Parameters
    ----------
    path : str or Path
        ``outputs/<batch>/<subject>`` or ``outputs/<batch>``.
    force : bool
        Print PDFs that are current too.
    jobs : int
        Folders printed at once (processes).

    Yields
    ------
    dict
        Per folder, in completion order: ``folder``, ``status`` (``ok``: printed, ``current``:
        left as it was, ``error``), ``path`` or ``error`` and ``error_kind``. One folder's
        failure stops nothing.

    Raises
    ------
    InputError
        ``path`` holds no report.
    PdfUnavailableError
        WeasyPrint or Pango is missing (before any folder is touched).
    """
    from ..report.pdf import require_weasyprint
    folders = [str(f) for f in pdf_report_folders(path)]
    require_weasyprint()
    if jobs <= 1 or len(folders) == 1:
        for f in folders:
            yield _add_pdf_safely(f, force)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    # spawn: this process has loaded Pango/GLib, which are not to be forked
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(folders)), mp_context=ctx) as pool:
        futures = [pool.submit(_add_pdf_safely, f, force) for f in folders]
        for fut in as_completed(futures):
            yield fut.result()
