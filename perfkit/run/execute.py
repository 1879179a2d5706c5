"""Execute one report notebook into a staging folder, then move it into place.

``outputs/<batch>/<subject-id>/`` receives ``notebook.ipynb`` (executed), ``report.html``
(self-contained, offline, no code), the tables (.xlsx), ``results.json`` (every number the report
states) and ``manifest.json`` (inputs, parameters, profile, versions, and the sha256 of every file
written). Nothing appears there until everything is written.

A run has three steps, whatever executes the notebook: :func:`prepare_run` (validate, resolve
inputs, make the staging folder), an engine that writes ``notebook.ipynb`` (papermill with a
kernel, or in-process in a forked child of the warm pool, see :mod:`perfkit.run.warm`), and
:func:`finish_run` (check results.json, export the HTML, write the manifest, move into place).
"""
from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, PerfkitError, RunError
from .manifest import build_manifest, output_hashes, read_json, write_json
from .params import RunSpec, validate_parameters
from .paths import check_id, notebook_path, output_root

__all__ = ["run_report", "run_report_safely", "RunOutcome", "PreparedRun", "prepare_run",
           "finish_run", "resolve_inputs", "atomic_replace_dir", "key_results", "ENGINES"]

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
    ``report.html``, write ``manifest.json`` (with the sha256 of every output) and move the
    staging folder into place."""
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
    manifest = build_manifest(notebook=job.notebook, notebook_file=job.notebook_file,
                              batch=job.batch, subject_id=job.subject,
                              parameters=job.parameters, inputs=job.inputs,
                              profile=results.get("profile"),
                              outputs=output_hashes(job.staging), engine=engine)
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
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine; one of {', '.join(ENGINES)}", argument="engine",
                         value=engine)
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


def key_results(results: dict) -> dict:
    """The few numbers a portfolio roll-up gathers from one report's results.json."""
    flags = results.get("flags") or []
    return {"subject_type": results.get("subject_type"), "name": results.get("name"),
            "department": results.get("department"), "sector": results.get("sector"),
            "budget_type": results.get("budget_type"), "total": results.get("total"),
            "grade": results.get("grade"),
            "flags": ";".join(f.get("code", "") if isinstance(f, dict) else str(f)
                              for f in flags)}
