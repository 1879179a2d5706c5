"""The warm engine: a fork server that pays start-up once and forks a fresh process per report.

A plain loop of papermill commands spends most of each report starting processes, starting a
kernel and importing pandas/scipy/statsmodels/matplotlib. Reusing one kernel for many reports
would be fast and wrong: pandas options, the numpy seed, environment variables and the working
folder set by one report would reach the next. The warm engine keeps both speed and isolation:

* a **server** process (``python -m perfkit.run.warm``, started by :class:`WarmPool`) imports the
  libraries once, fills their caches (fonts, nbconvert, schema validators) and creates a
  pristine IPython shell, then never executes a notebook itself. Before the first report on a
  workbook it reads that workbook (:func:`perfkit.io.read_workbook` keeps it in memory), so the
  district is read once per batch, not once per report;
* for each report it ``os.fork()``\\ s a **child**: a copy of that pristine state, which runs the
  notebook's cells in its own :class:`~IPython.core.interactiveshell.InteractiveShell` — no
  kernel process — capturing every output (display data, execute results, stdout/stderr,
  errors) into nbformat outputs, with the injected-parameters cell made by papermill's own
  :func:`papermill.parameterize.parameterize_notebook`, and the same cell and notebook metadata
  papermill records. The child then runs the same post-execution steps as
  :func:`perfkit.run.execute.run_report` (HTML export, manifest, atomic move) and exits: nothing
  it changed can reach another report;
* ``jobs`` children run at once; a child that outlives its ``timeout`` is killed; a child that
  dies (segfault, ``os._exit``) is retried once (``retries``), then recorded as failed.

The parent talks to the server over a socket pair; it holds only the futures of the reports in
flight. POSIX only (``os.fork``); :func:`available` says whether it can be used here.
"""
from __future__ import annotations

import base64
import os
import pickle
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from concurrent.futures import Future
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError, RunError

__all__ = ["available", "WarmPool", "execute_notebook_inprocess", "PRELOAD"]

#: modules the server imports once (children inherit them already imported)
PRELOAD = ("numpy", "pandas", "scipy", "scipy.stats", "scipy.optimize", "statsmodels.api",
           "openpyxl", "yaml", "pydantic", "jinja2", "nbformat", "nbconvert",
           "nbconvert.preprocessors", "papermill", "papermill.parameterize",
           "papermill.engines", "papermill.execute", "fontTools.subset", "fontTools.ttLib",
           "fontTools.cffLib.transforms", "fontTools.ttLib.tables.B_A_S_E_",
           "fontTools.ttLib.tables.O_S_2f_2", "fontTools.ttLib.tables._h_h_e_a",
           "fontTools.ttLib.tables._v_h_e_a", "docx", "openpyxl.packaging.extended",
           "IPython.core.logger", "bdb", "pandas.core.methods.to_dict",
           "pandas.core.reshape.reshape",
           "perfkit", "perfkit.io", "perfkit.scoring", "perfkit.report", "perfkit.report.html",
           "perfkit.report.figures", "perfkit.report.notebook", "perfkit.report.xlsx",
           "perfkit.report.docx", "perfkit.report.outline",
           "perfkit.run", "perfkit.run.execute", "perfkit.run.publish", "perfkit.run.demo",
           "IPython.display")

_MAX_ERROR = 4000           # characters of an error message sent back to the parent


def available() -> bool:
    """Whether the warm engine can run here (it needs ``os.fork``: Linux, macOS, BSD)."""
    return hasattr(os, "fork") and os.name == "posix"


# ============================================================================================
# in-process execution of a notebook (inside a disposable forked child)
# ============================================================================================
class _Sink:
    """Where the current cell's outputs go (module global: one shell per process)."""

    outputs: list | None = None
    clear_pending = False
    display_ids: dict[str, list] = {}

    @classmethod
    def add(cls, out, display_id: str | None = None) -> None:
        if cls.outputs is None:          # outside a cell (server warm-up): dropped
            return
        if cls.clear_pending:
            cls.outputs[:] = []
            cls.clear_pending = False
        if out.output_type == "stream" and cls.outputs and \
                cls.outputs[-1].output_type == "stream" and cls.outputs[-1].name == out.name:
            cls.outputs[-1].text += out.text     # what the kernel's buffered streams give
            return
        cls.outputs.append(out)
        if display_id:
            cls.display_ids.setdefault(display_id, []).append(out)

    @classmethod
    def clear(cls, wait: bool) -> None:
        if cls.outputs is None:
            return
        if wait:
            cls.clear_pending = True
        else:
            cls.outputs[:] = []


def _json_data(data: dict) -> dict:
    """Display data as the kernel protocol carries it: bytes (images) as base64 text."""
    out = {}
    for k, v in (data or {}).items():
        if isinstance(v, (bytes, bytearray)):
            v = base64.b64encode(bytes(v)).decode("ascii")
        out[k] = v
    return out


def _shell():
    """The process's IPython shell (created once, in the server, before any fork)."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from nbformat.v4 import new_output
    from traitlets.config import Config

    if _State.shell is not None:
        return _State.shell

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                    **kwargs):
            did = (transient or {}).get("display_id")
            if update:
                for out in _Sink.display_ids.get(did, []):
                    out.data = _json_data(data)
                    out.metadata = metadata or {}
                return
            _Sink.add(new_output("display_data", data=_json_data(data),
                                 metadata=metadata or {}), display_id=did)

        def clear_output(self, wait=False):
            _Sink.clear(wait)

    class Hook(DisplayHook):
        def start_displayhook(self):
            pass

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            _Sink.add(new_output("execute_result", data=_json_data(format_dict),
                                 metadata=md_dict or {}, execution_count=self.prompt_count))

        def finish_displayhook(self):
            pass

    class Shell(InteractiveShell):
        def _showtraceback(self, etype, evalue, stb):
            _Sink.add(new_output("error", ename=str(etype.__name__), evalue=str(evalue),
                                 traceback=list(stb)))

        def enable_gui(self, gui=None):
            pass

    cfg = Config()
    cfg.HistoryManager.enabled = False        # no sqlite history file
    shell = Shell.instance(config=cfg, displayhook_class=Hook, display_pub_class=Publisher)
    _State.shell = shell
    return shell


class _State:
    shell = None


class _OutStream:
    """sys.stdout / sys.stderr of a cell: text becomes a ``stream`` output."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str):
        self.name = name

    def write(self, text) -> int:
        from nbformat.v4 import new_output
        if not isinstance(text, str):
            text = str(text)
        if text:
            _Sink.add(new_output("stream", name=self.name, text=text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def fileno(self) -> int:
        import io
        raise io.UnsupportedOperation("fileno")


def _language_info() -> dict:
    import platform
    return {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
            "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3", "version": platform.python_version()}


def _utc_stamp() -> str:
    import datetime
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def execute_notebook_inprocess(notebook: str | Path, output: str | Path,
                               parameters: dict | None = None, *,
                               cwd: str | Path | None = None,
                               kernel_name: str | None = None):
    """Execute a notebook in this process's IPython shell and write it to ``output``.

    Parameterised exactly as papermill does it (the ``injected-parameters`` cell after the
    ``parameters`` cell, papermill's metadata); raises
    :class:`papermill.exceptions.PapermillExecutionError` on the first failing cell, after
    writing the notebook with papermill's error markers. Only safe in a process that executes
    one notebook and exits (a :class:`WarmPool` child): the notebook's state stays here.
    """
    from papermill.engines import NotebookExecutionManager
    from papermill.execute import (prepare_notebook_metadata, raise_for_execution_errors,
                                   remove_error_markers)
    from papermill.iorw import load_notebook_node, write_ipynb
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook))
    if parameters:
        nb = parameterize_notebook(nb, parameters, False, kernel_name=kernel_name)
    nb = prepare_notebook_metadata(nb, str(notebook), str(output), False)
    nb = remove_error_markers(nb)
    manager = NotebookExecutionManager(nb, output_path=None, progress_bar=False)
    manager.notebook_start()
    shell = _shell()
    old_out, old_err, old_cwd = sys.stdout, sys.stderr, os.getcwd()
    sys.stdout, sys.stderr = _OutStream("stdout"), _OutStream("stderr")
    if cwd is not None:
        os.chdir(cwd)
    try:
        for index, cell in enumerate(nb.cells):
            manager.cell_start(cell, index)
            try:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                cell.metadata["execution"] = {"iopub.status.busy": _utc_stamp()}
                _Sink.outputs, _Sink.clear_pending = [], False
                cell.outputs = _Sink.outputs
                cell.metadata["execution"]["iopub.execute_input"] = _utc_stamp()
                res = shell.run_cell(cell.source, store_history=True, silent=False,
                                     cell_id=cell.get("id"))
                cell.execution_count = res.execution_count
                stamp = _utc_stamp()
                cell.metadata["execution"]["iopub.status.idle"] = stamp
                cell.metadata["execution"]["shell.execute_reply"] = stamp
                failed = res.error_before_exec is not None or res.error_in_exec is not None
                if failed and "raises-exception" not in cell.metadata.get("tags", []):
                    manager.cell_exception(cell, cell_index=index)
                    break
            finally:
                _Sink.outputs = None
                manager.cell_complete(cell, cell_index=index)
        nb.metadata["language_info"] = _language_info()
        manager.notebook_complete()
    finally:
        sys.stdout, sys.stderr = old_out, old_err
        os.chdir(old_cwd)
    raise_for_execution_errors(nb, str(output))     # writes the notebook, then raises
    write_ipynb(nb, str(output))
    return nb


# ============================================================================================
# the server (python -m perfkit.run.warm --serve FD)
# ============================================================================================
def _preload(modules: Iterable[str]) -> float:
    """Import the heavy libraries once; set up IPython and matplotlib as a kernel does."""
    import importlib
    t0 = time.perf_counter()
    # what ipykernel does: the inline backend, so figures display as PNG
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    _shell()
    import matplotlib.pyplot  # noqa: F401 - loads the inline backend into the shell
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    try:
        _warm_up()
    except Exception:  # noqa: BLE001 - a child meets the same problem and reports it
        pass
    import gc
    gc.collect()
    if hasattr(gc, "freeze"):   # keep the imported objects' pages shared with the children
        gc.freeze()
    return time.perf_counter() - t0


#: a made-up self-evaluation, only for drawing the report's charts once in the server
_WARM_RESULTS = {
    "subject_id": "WARM", "name": "预热 warm-up", "total": 88.5, "grade": "良",
    "budget": {"weight": 10.0, "score": 9.5},
    "level1": [{"level1": "产出指标", "weight": 50.0, "score": 45.0},
               {"level1": "效益指标", "weight": 30.0, "score": 26.0},
               {"level1": "满意度指标", "weight": 10.0, "score": 8.0}],
    "indicators": [
        {"level1": "产出指标", "level3": "完成数量（个）", "weight": 25.0, "score": 25.0},
        {"level1": "产出指标", "level3": "Quality 质量达标率", "weight": 25.0, "score": 20.0,
         "awarded": 22.0, "awarded_diff": 2.0},
        {"level1": "效益指标", "level3": "受益人口（人）", "weight": 30.0, "score": 26.0},
        {"level1": "满意度指标", "level3": "服务对象满意度", "weight": 10.0, "score": None,
         "not_applicable": True}],
}


def _warm_up() -> None:
    """Fill the caches that every report would fill again: the CJK font file resolved and
    registered with matplotlib's font manager, and its font look-ups under the rcParams the
    report figures use (set inside an ``rc_context``, so restored), by drawing the report's two
    charts once (matplotlib drops its FreeType objects in a forked child: each report opens its
    own); the HTML exporter with its compiled templates
    (:func:`perfkit.report.html.export_html` keeps one per process), by exporting a small
    notebook; the CJK font decompiled in memory, of which each report's HTML embeds a subset
    (:func:`perfkit.report.fonts.preload_cjk_font`: each child subsets its copy-on-write copy);
    nbformat's schema validator; the default rule profile; package versions of the manifest.
    (fontTools' lazily imported modules are in :data:`PRELOAD`.)

    Only caches: no rcParams, option, environment or working-folder change, and no notebook
    code runs in the server."""
    import tempfile

    import matplotlib as mpl
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from ..report.figures import figure_bytes, indicator_scores_chart, level1_chart
    from ..report.fonts import preload_cjk_font, use_cjk_font
    from ..report.html import export_html
    from ..rules import load_profile
    from .manifest import package_versions

    package_versions()
    load_profile("national")
    with mpl.rc_context():
        use_cjk_font()
        for make in (level1_chart, indicator_scores_chart):
            figure_bytes(make(_WARM_RESULTS), dpi=100)
    nb = new_notebook(cells=[new_markdown_cell("# 绩效"), new_code_cell(
        "x", outputs=[new_output("display_data", data={"text/html": "<b>绩效 0.5%</b>",
                                                       "text/plain": "x"})])])
    with tempfile.TemporaryDirectory(prefix="perfkit-warm-") as d:
        nbformat.write(nb, os.path.join(d, "w.ipynb"))
        nbformat.read(os.path.join(d, "w.ipynb"), as_version=4)
        export_html(os.path.join(d, "w.ipynb"), os.path.join(d, "w.html"), embed_font=False)
    preload_cjk_font()


def _prime(task: dict, primed: set) -> None:
    """Read the report's workbook in the server before forking, so that every child finds it
    in the read cache (:func:`perfkit.io.workbook.prime_cache`; keyed on path, size, mtime,
    inode) instead of reading it again: a district read once per batch instead of once per
    report. A workbook that cannot be read, or whose reading warns (the warnings belong in each
    report's own notebook), is left to the children."""
    if task.get("kind") != "report":
        return
    wb = (task["args"]["spec"].get("parameters") or {}).get("workbook")
    if isinstance(wb, str):
        _prime_workbook(wb, primed)


def _prime_workbook(wb: str, primed: set) -> None:
    from ..io.workbook import prime_cache
    try:
        st = Path(wb).stat()
    except OSError:
        return
    key = (str(Path(wb).resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    if key in primed:                 # tried already (a workbook that warns is not re-read)
        return
    primed.add(key)
    try:
        if not prime_cache(wb):       # it warned: left to the children, which show the warnings
            return
    except Exception:  # noqa: BLE001 - the child reports the problem in its notebook
        return
    import gc
    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()


def _task_report(spec: dict, root: str, timeout: int, token: str) -> dict:
    from dataclasses import asdict

    from .execute import run_report_safely
    from .params import RunSpec
    out = run_report_safely(RunSpec(**spec), root=Path(root), timeout=timeout,
                            engine="inprocess", staging_token=token)
    d = asdict(out)
    if d.get("error") and len(d["error"]) > _MAX_ERROR:
        d["error"] = d["error"][:_MAX_ERROR] + " …"
    return d


def _task_notebook(notebook: str, output: str, parameters: dict | None, cwd: str | None) -> dict:
    try:
        execute_notebook_inprocess(notebook, output, parameters, cwd=cwd)
        return {"status": "ok", "output": output}
    except Exception as e:  # noqa: BLE001 - sent back as data
        ename = getattr(e, "ename", type(e).__name__)
        evalue = getattr(e, "evalue", str(e))
        return {"status": "error", "output": output, "error": f"{ename}: {evalue}"[:_MAX_ERROR],
                "error_kind": ename}


_TASKS = {"report": _task_report, "notebook": _task_notebook}


def _die_with_parent(server_pid: int) -> None:
    """Linux: be killed if the server dies (best effort; elsewhere the child finishes its
    report and exits when it finds its pipe closed)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)      # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001
        return
    if os.getppid() != server_pid:                   # it died before prctl took effect
        os._exit(1)


def _child_main(task: dict, wfd: int, close_fds: list[int], server_pid: int) -> None:
    """In the forked child: run one task, write the pickled answer, exit without cleanup."""
    code = 0
    try:
        for fd in close_fds:
            try:
                os.close(fd)
            except OSError:
                pass
        os.setpgid(0, 0)                            # a timeout kills the whole group
        _die_with_parent(server_pid)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:                                        # as a fresh kernel would: own entropy
            import numpy as np
            np.random.seed()
        except Exception:  # noqa: BLE001
            pass
        if task["kind"] == "report":
            answer = _TASKS["report"](token=task["token"], **task["args"])
        else:
            answer = _TASKS[task["kind"]](**task["args"])
        payload = pickle.dumps(("ok", answer), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as e:  # noqa: BLE001 - reported, never raised past the fork
        payload = pickle.dumps(("raised", f"{type(e).__name__}: {e}"[:_MAX_ERROR]))
        code = 3
    try:
        view = memoryview(payload)
        while view:
            n = os.write(wfd, view)
            view = view[n:]
        os.close(wfd)
    except OSError:
        code = 4
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
        os._exit(code)


class _Running:
    __slots__ = ("task", "pid", "rfd", "buf", "deadline", "started", "timed_out")

    def __init__(self, task, pid, rfd, deadline):
        self.task, self.pid, self.rfd, self.deadline = task, pid, rfd, deadline
        self.buf = bytearray()
        self.started = time.perf_counter()
        self.timed_out = False


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"killed by signal {sig} ({name})"
    return f"exited with code {os.WEXITSTATUS(status)}"


def _failure(task: dict, error: str, kind: str, seconds: float) -> dict:
    if task["kind"] == "report":
        spec = task["args"]["spec"]
        from .execute import _subject_or_guess
        from .params import RunSpec
        try:
            sid = _subject_or_guess(RunSpec(**spec))
        except Exception:  # noqa: BLE001
            sid = "?"
        return {"subject_id": sid, "batch": str(spec.get("batch")), "status": "error",
                "path": None, "seconds": seconds, "error": error, "error_kind": kind,
                "summary": {}, "attempts": task["attempt"]}
    return {"status": "error", "output": task["args"].get("output"), "error": error,
            "error_kind": kind, "attempts": task["attempt"]}


def _cleanup_staging(task: dict) -> None:
    """Remove what a killed or crashed child left in its staging folder."""
    if task["kind"] != "report":
        return
    from .paths import check_id
    try:
        batch = check_id(task["args"]["spec"].get("batch", "default"), what="batch")
    except Exception:  # noqa: BLE001 - nothing was created for a bad batch id
        return
    staging = Path(task["args"]["root"]) / batch / ".staging" / task["token"]
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.parent.rmdir()
    except OSError:
        pass


def serve(fd: int, *, jobs: int, retries: int = 1,
          preload: Iterable[str] = PRELOAD) -> None:  # pragma: no cover - runs in a subprocess
    """The server loop (runs in its own process, see :class:`WarmPool`)."""
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides when to stop
    conn = Connection(fd)
    try:
        seconds = _preload(preload)
    except BaseException as e:  # noqa: BLE001
        conn.send(("failed", f"{type(e).__name__}: {e}"))
        return
    conn.send(("ready", {"pid": os.getpid(), "preload_seconds": seconds}))
    queue: deque = deque()
    running: dict[int, _Running] = {}
    primed: set = set()
    accepting = True

    def finish(r: _Running, status: int | None) -> None:
        os.close(r.rfd)
        task = r.task
        seconds = time.perf_counter() - r.started
        answer = None
        if r.timed_out:
            _cleanup_staging(task)
            answer = _failure(task, f"timed out after {task['timeout']} s (the report process "
                              "was killed)", "Timeout", seconds)
        else:
            try:
                tag, value = pickle.loads(bytes(r.buf)) if r.buf else (None, None)
            except Exception:  # noqa: BLE001 - a torn message: the child died writing it
                tag, value = None, None
            if tag == "ok":
                answer = value
                if isinstance(answer, dict):
                    answer["attempts"] = task["attempt"]
            elif tag == "raised":
                answer = _failure(task, value, "InternalError", seconds)
            else:
                _cleanup_staging(task)
                how = _describe_status(status) if status is not None else "vanished"
                if task["attempt"] <= retries:
                    task["attempt"] += 1
                    task["token"] = uuid.uuid4().hex
                    queue.appendleft(task)
                    return
                answer = _failure(task, f"the report process {how} (tried {task['attempt']} "
                                  "times)", "Crashed", seconds)
        conn.send(("done", task["id"], answer))

    def start(task: dict) -> None:
        try:
            _prime(task, primed)
        except Exception:  # noqa: BLE001 - priming is an optimisation only
            pass
        rfd, wfd = os.pipe()
        others = [r.rfd for r in running.values()] + [rfd, conn.fileno()]
        server_pid = os.getpid()
        pid = os.fork()
        if pid == 0:
            _child_main(task, wfd, others, server_pid)
        os.close(wfd)
        os.set_blocking(rfd, False)
        timeout = task.get("timeout") or 0
        running[pid] = _Running(task, pid, rfd,
                                time.perf_counter() + timeout if timeout > 0 else None)

    try:
        while accepting or queue or running:
            while queue and len(running) < jobs:
                start(queue.popleft())
            now = time.perf_counter()
            deadlines = [r.deadline for r in running.values()
                         if r.deadline is not None and not r.timed_out]
            wait = 0.05 if running else None
            if deadlines:
                wait = max(0.0, min([wait or 1.0] + [d - now for d in deadlines]))
            fds = [r.rfd for r in running.values()] + ([conn.fileno()] if accepting else [])
            if not fds:
                break
            readable, _, _ = select.select(fds, [], [], wait)
            if accepting and conn.fileno() in readable:
                try:
                    msg = conn.recv()
                except (EOFError, OSError):
                    msg = ("close",)
                if msg[0] == "run":
                    task = msg[1]
                    task["attempt"] = 1
                    task["token"] = uuid.uuid4().hex
                    queue.append(task)
                elif msg[0] == "prime":
                    try:
                        _prime_workbook(msg[1], primed)
                    except Exception:  # noqa: BLE001 - an optimisation only
                        pass
                elif msg[0] == "close":   # the parent is gone or done: stop everything
                    accepting = False
                    queue.clear()
                    for r in running.values():
                        r.timed_out = True
                        try:
                            os.killpg(r.pid, signal.SIGKILL)
                        except OSError:
                            pass
            for r in list(running.values()):
                if r.rfd in readable:
                    try:
                        while True:
                            chunk = os.read(r.rfd, 1 << 16)
                            if not chunk:
                                break
                            r.buf += chunk
                    except BlockingIOError:
                        pass
            now = time.perf_counter()
            for r in list(running.values()):
                if r.deadline is not None and now > r.deadline and not r.timed_out:
                    r.timed_out = True
                    try:
                        os.killpg(r.pid, signal.SIGKILL)
                    except OSError:
                        try:
                            os.kill(r.pid, signal.SIGKILL)
                        except OSError:
                            pass
                pid, status = os.waitpid(r.pid, os.WNOHANG)
                if pid:
                    try:                     # whatever is left in the pipe
                        while True:
                            chunk = os.read(r.rfd, 1 << 16)
                            if not chunk:
                                break
                            r.buf += chunk
                    except (BlockingIOError, OSError):
                        pass
                    del running[r.pid]
                    if accepting:
                        try:
                            finish(r, status)
                        except (BrokenPipeError, OSError):
                            accepting = False
                    else:
                        os.close(r.rfd)
                        _cleanup_staging(r.task)
    finally:
        for r in running.values():
            try:
                os.killpg(r.pid, signal.SIGKILL)
            except OSError:
                pass
            _cleanup_staging(r.task)


# ============================================================================================
# the client
# ============================================================================================
class WarmPool:
    """A fork server with ``jobs`` concurrent report processes (see the module docstring).

    Use as a context manager::

        with WarmPool(jobs=2) as pool:
            for outcome in pool.imap_unordered(specs, root=output_root()):
                ...

    :meth:`submit` is thread-safe and returns a :class:`concurrent.futures.Future` of a
    :class:`~perfkit.run.execute.RunOutcome`.

    Parameters
    ----------
    jobs : int
        Reports executed at once (forked children).
    retries : int
        How many times a report whose process died is tried again (default once).
    start_timeout : float
        Seconds to wait for the server to import the libraries.
    """

    def __init__(self, jobs: int = 2, *, retries: int = 1, start_timeout: float = 300,
                 wait: bool = True):
        if not available():
            raise RunError("the warm engine needs os.fork (POSIX); use engine='papermill'")
        if int(jobs) < 1:
            raise InputError("must be at least 1", argument="jobs", value=jobs)
        import socket
        from multiprocessing.connection import Connection
        self.jobs = int(jobs)
        self.start_timeout = start_timeout
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        pkg_parent = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(
            [pkg_parent] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "perfkit.run.warm", "--serve", str(theirs.fileno()),
             "--jobs", str(self.jobs), "--retries", str(int(retries))],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            env=env, start_new_session=True)
        theirs.close()
        self._conn = Connection(ours.detach())
        self._lock = threading.Lock()
        self._futures: dict[int, tuple[Future, str]] = {}
        self._ids = iter(range(1, 1 << 62))
        self._closed = False
        self._ready = threading.Event()
        self._dead = False
        self._start_error: str | None = None
        self.info: dict = {}
        self._reader = threading.Thread(target=self._read, name="perfkit-warm-reader",
                                        daemon=True)
        self._reader.start()
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float | None = None) -> dict:
        """Block until the server has imported the libraries; return its info (pid, preload
        seconds). Raises :class:`RunError` if it failed or did not start in time."""
        if not self._ready.wait(self.start_timeout if timeout is None else timeout):
            self.close()
            raise RunError(f"the warm server did not start within {self.start_timeout:g} s")
        if self._start_error is not None:
            self.close()
            raise RunError(f"the warm server failed to start: {self._start_error}")
        return self.info

    # -- plumbing ---------------------------------------------------------------------------
    def _read(self) -> None:
        from .execute import RunOutcome
        while True:
            try:
                msg = self._conn.recv()
            except (EOFError, OSError):
                break
            if msg[0] == "ready":
                self.info = msg[1]
                self._ready.set()
                continue
            if msg[0] == "failed":
                self._start_error = str(msg[1])
                self._ready.set()
                break
            if msg[0] != "done":
                continue
            with self._lock:
                fut, kind = self._futures.pop(msg[1], (None, None))
            if fut is None:
                continue
            ans = msg[2]
            fut.set_result(RunOutcome(**ans) if kind == "report" else ans)
        if not self._ready.is_set():
            self._start_error = self._start_error or "it died while starting"
            self._ready.set()
        with self._lock:
            self._dead = True
            pending, self._futures = list(self._futures.values()), {}
        for fut, _ in pending:
            if not fut.done():
                fut.set_exception(RunError("the warm server stopped before the report was "
                                           "done" + (f" ({self._start_error})"
                                                     if self._start_error else "")))

    def _send(self, kind: str, args: dict, timeout: float | None) -> Future:
        fut: Future = Future()
        with self._lock:
            if self._closed:
                raise RunError("the warm pool is closed")
            if self._dead:
                raise RunError("the warm server is gone"
                               + (f": {self._start_error}" if self._start_error else ""))
            tid = next(self._ids)
            self._futures[tid] = (fut, kind)
            try:
                self._conn.send(("run", {"id": tid, "kind": kind, "args": args,
                                         "timeout": timeout}))
            except (OSError, ValueError) as e:
                self._futures.pop(tid, None)
                raise RunError(f"the warm server is gone: {e}") from None
        return fut

    def _kill(self) -> None:
        try:
            self._proc.kill()
        except OSError:
            pass
        self._proc.wait()

    # -- API --------------------------------------------------------------------------------
    def prime(self, workbook: str | Path) -> None:
        """Ask the server to read this workbook now (while the caller does something else):
        every report forked afterwards finds it in memory."""
        with self._lock:
            if self._closed:
                raise RunError("the warm pool is closed")
            self._conn.send(("prime", str(Path(workbook).resolve())))

    def submit(self, spec, *, root: str | Path | None = None, timeout: float = 600) -> Future:
        """Queue one report; the future's result is a :class:`RunOutcome` (never raises for a
        failed report: its status is ``error``)."""
        from .paths import output_root
        root = Path(root) if root is not None else output_root()
        return self._send("report", {"spec": spec.model_dump(), "root": str(root.resolve()),
                                     "timeout": int(timeout)}, timeout)

    def submit_notebook(self, notebook: str | Path, output: str | Path,
                        parameters: dict | None = None, *, cwd: str | Path | None = None,
                        timeout: float = 600) -> Future:
        """Execute any notebook in a fresh child (no report steps); the result is a dict with
        ``status`` (``ok``/``error``), ``error`` and ``attempts``."""
        return self._send("notebook", {"notebook": str(Path(notebook).resolve()),
                                       "output": str(Path(output).resolve()),
                                       "parameters": parameters,
                                       "cwd": str(cwd) if cwd is not None else None}, timeout)

    def imap_unordered(self, specs: Iterable, *, root: str | Path | None = None,
                       timeout: float = 600, window: int | None = None) -> Iterator:
        """Outcomes in completion order; at most ``window`` reports (default 2 × jobs + 2) are
        queued at a time, so a batch of any size holds little memory."""
        from concurrent.futures import FIRST_COMPLETED, wait
        window = window or 2 * self.jobs + 2
        it = iter(specs)
        pending: set = set()
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                try:
                    pending.add(self.submit(next(it), root=root, timeout=timeout))
                except StopIteration:
                    exhausted = True
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                yield f.result()

    def close(self) -> None:
        """Stop the server (reports still running are killed)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            started = self._ready.is_set()
            try:
                self._conn.send(("close",))
            except (OSError, ValueError):
                pass
        if not started:          # still importing, nothing running: no need to wait
            self._kill()
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._kill()
        try:
            self._conn.close()
        except OSError:
            pass
        self._reader.join(timeout=5)

    @property
    def server_pid(self) -> int:
        return self._proc.pid

    def __enter__(self) -> "WarmPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):  # pragma: no cover - safety net
        try:
            if not self._closed:
                self.close()
        except Exception:  # noqa: BLE001
            pass


def _main(argv: list[str] | None = None) -> int:  # pragma: no cover - the server process
    import argparse
    p = argparse.ArgumentParser(prog="python -m perfkit.run.warm")
    p.add_argument("--serve", type=int, required=True, help="socket file descriptor")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--retries", type=int, default=1)
    a = p.parse_args(argv)
    serve(a.serve, jobs=a.jobs, retries=a.retries)
    return 0


if __name__ == "__main__":  # pragma: no cover
    # run the server from the package module, not from ``__main__``: the children import
    # perfkit.run.warm and must find the shell the server created there
    from perfkit.run import warm as _warm
    sys.exit(_warm._main())
