"""Run many reports: a process pool, a progress bar, a summary; one failure stops nothing."""
from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path
from typing import Iterable

import pandas as pd

from .._results import jsonable
from ..errors import PerfkitError
from .execute import RunOutcome, run_report
from .manifest import write_json
from .params import RunSpec
from .paths import check_id, output_root

__all__ = ["run_batch", "specs_for_workbook", "write_summary", "SUMMARY_COLUMNS"]

SUMMARY_COLUMNS = ["subject_id", "subject_type", "name", "department", "sector", "budget_type",
                   "total", "grade", "flags", "status", "error", "seconds"]


def _one(spec: RunSpec, root: str | None, timeout: int) -> RunOutcome:
    try:
        return run_report(spec, root=Path(root) if root else None, timeout=timeout)
    except PerfkitError as e:
        sid = spec.parameters.get("project_id") or "?"
        try:
            sid = spec.subject_id()
        except PerfkitError:
            pass
        return RunOutcome(subject_id=str(sid), batch=spec.batch, status="error",
                          error=str(e), error_kind=type(e).__name__)
    except Exception as e:  # noqa: BLE001 - a batch goes on with the other subjects
        return RunOutcome(subject_id=str(spec.parameters.get("project_id")), batch=spec.batch,
                          status="error", error=f"{type(e).__name__}: {e}",
                          error_kind="InternalError")


def specs_for_workbook(workbook: str | Path, *, batch: str, notebook="project_self_evaluation",
                       year: int | None = None, department: str | None = None,
                       projects: Iterable[str] | None = None, limit: int | None = None,
                       profile: str = "national", lang: str = "zh") -> list[RunSpec]:
    """One spec per project of a workbook's year (optionally one department's, or a list)."""
    from ..io import read_workbook
    wb = read_workbook(workbook)
    year = int(year) if year is not None else wb.latest_year()
    p = wb["projects"]
    p = p[p["year"] == year]
    if department:
        p = p[(p["department_id"] == department) | (p["department"] == department)]
    if projects:
        p = p[p["project_id"].isin([str(x) for x in projects])]
    ids = sorted(p["project_id"].unique())[: limit or None]
    return [RunSpec(notebook=notebook, batch=batch,
                    parameters={"workbook": str(Path(workbook).resolve()), "project_id": pid,
                                "year": year, "profile": profile, "lang": lang})
            for pid in ids]


def write_summary(rows: list[dict], batch_dir: Path) -> pd.DataFrame:
    """summary.csv / summary.xlsx / summary.json of a batch (written atomically)."""
    from ..report.xlsx import write_summary as _write
    df = pd.DataFrame(rows).reindex(columns=SUMMARY_COLUMNS).sort_values("subject_id",
                                                                        kind="stable")
    batch_dir.mkdir(parents=True, exist_ok=True)
    tmp = batch_dir / ".summary-tmp"
    tmp.mkdir(exist_ok=True)
    _write(df, tmp / "summary.xlsx", tmp / "summary.csv")
    write_json(jsonable(df.to_dict("records")), tmp / "summary.json")
    for name in ("summary.xlsx", "summary.csv", "summary.json"):
        (tmp / name).replace(batch_dir / name)
    tmp.rmdir()
    return df


def run_batch(specs: list[RunSpec], *, jobs: int = 2, root: Path | None = None,
              timeout: int = 600, quiet: bool = False) -> pd.DataFrame:
    """Run every spec on a process pool; return (and write) the summary table."""
    from tqdm.auto import tqdm
    if not specs:
        raise PerfkitError("nothing to run: the batch is empty")
    batch = check_id(specs[0].batch, what="batch")
    base = (root or output_root()) / batch
    rows = []
    t0 = time.perf_counter()
    bar = tqdm(total=len(specs), desc=f"perfkit batch {batch}", unit="report",
               disable=quiet, file=sys.stderr)
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futs = [pool.submit(_one, s, str(root) if root else None, timeout) for s in specs]
        for f in as_completed(futs):
            out = f.result()
            rows.append({"subject_id": out.subject_id, **out.summary, "status": out.status,
                         "error": out.error, "seconds": round(out.seconds, 3)})
            bar.update(1)
            if out.status == "error":
                bar.write(f"✗ {out.subject_id}: {out.error.splitlines()[0] if out.error else ''}")
    bar.close()
    df = write_summary(rows, base)
    if not quiet:
        n_err = int((df["status"] == "error").sum())
        print(f"{len(df)} report(s) in {time.perf_counter() - t0:.1f} s: {len(df) - n_err} ok, "
              f"{n_err} failed → {base}", file=sys.stderr)
    return df
