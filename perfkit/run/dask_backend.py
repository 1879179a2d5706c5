"""Run a batch on an existing Dask distributed cluster: one task per report.

Each task calls :func:`perfkit.run.execute.run_report` on a worker: with the ``warm`` engine a
worker process starts one fork server (:class:`perfkit.run.warm.WarmPool`, as many concurrent
reports as the worker has threads) the first time it gets a report and keeps it for the next
ones; with ``papermill`` every report starts its own kernel on the worker.

The workers must see the same paths as the client: the workbook (and any profile YAML) under the
path written in the specs, and the output root. On a cluster that means a shared file system
(NFS, Lustre, a mounted object store) mounted at the same place everywhere, or
``PERFKIT_OUTPUTS`` pointing to it. Nothing but the spec (a few hundred bytes) travels to a
worker, and only the outcome (the key results, a few hundred bytes) comes back: the reports are
written by the workers, in place, atomically.
"""
from __future__ import annotations

import atexit
import threading
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError, RunError
from .execute import RunOutcome, _subject_or_guess, run_report_safely
from .params import RunSpec

__all__ = ["run_on_dask", "report_task"]

_POOL = None
_POOL_LOCK = threading.Lock()


def _worker_pool(retries: int):
    """The warm pool of this worker process (started on first use, restarted if it died)."""
    global _POOL
    from .warm import WarmPool
    with _POOL_LOCK:
        if _POOL is not None and _POOL._proc.poll() is not None:
            _POOL = None
        if _POOL is None:
            try:
                from distributed import get_worker
                w = get_worker()
                jobs = int(getattr(w, "state", w).nthreads)
            except Exception:  # noqa: BLE001 - not on a worker (tests, local use)
                jobs = 1
            _POOL = WarmPool(jobs=max(1, jobs), retries=retries)
            atexit.register(_POOL.close)
        return _POOL


def report_task(spec: dict, root: str, timeout: int, engine: str = "warm",
                retries: int = 1) -> dict:
    """The Dask task: run one report on this worker, return its outcome as a dict."""
    rs = RunSpec(**spec)
    if engine == "warm":
        from .warm import available
        if available():
            out = _worker_pool(retries).submit(rs, root=root, timeout=timeout).result()
            return asdict(out)
    return asdict(run_report_safely(rs, root=Path(root), timeout=timeout, engine="papermill"))


def run_on_dask(specs: Iterable[RunSpec], scheduler, *, root: Path, timeout: int = 600,
                engine: str = "warm", retries: int = 1,
                window: int | None = None) -> Iterator[RunOutcome]:
    """Submit one task per report to the cluster at ``scheduler`` (an address such as
    ``tcp://10.0.0.5:8786`` or a ``distributed.Client``); yield the outcomes as they finish.

    At most ``window`` tasks (default 2 × the cluster's threads + 4) are in flight, so the
    client's memory stays flat however long the batch. A task whose worker died is recorded as
    failed (``error_kind`` ``WorkerLost``); the batch goes on.
    """
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - optional dependency
        raise InputError("--scheduler needs dask.distributed: pip install 'perfkit[dask]'",
                         argument="scheduler") from None
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, set_as_default=False) if own else scheduler
    except OSError as e:
        raise RunError(f"cannot reach the Dask scheduler {scheduler}: {e}") from None
    try:
        threads = sum(client.nthreads().values()) or 1
        window = window or 2 * threads + 4
        root_s = str(Path(root).resolve())
        it = iter(specs)
        ac = as_completed(loop=client.loop)
        specs_of: dict = {}
        in_flight = 0

        def submit_next() -> bool:
            nonlocal in_flight
            try:
                spec = next(it)
            except StopIteration:
                return False
            key = f"perfkit-report-{_subject_or_guess(spec)}-{uuid.uuid4().hex[:10]}"
            fut = client.submit(report_task, spec.model_dump(), root_s, int(timeout), engine,
                                int(retries), key=key, pure=False)
            specs_of[fut.key] = spec
            ac.add(fut)
            in_flight += 1
            return True

        while in_flight < window and submit_next():
            pass
        for fut in ac:
            in_flight -= 1
            spec = specs_of.pop(fut.key)
            try:
                out = RunOutcome(**fut.result())
            except Exception as e:  # noqa: BLE001 - worker lost, task cancelled …
                out = RunOutcome(subject_id=_subject_or_guess(spec), batch=str(spec.batch),
                                 status="error", error=f"{type(e).__name__}: {e}",
                                 error_kind="WorkerLost")
            fut.release()
            yield out
            while in_flight < window and submit_next():
                pass
    finally:
        if own:
            client.close()
