"""Data sets: the demo district (示范区) generator and the small bundled sample.

- :func:`generate` / :func:`write` — the seeded demo district as frames, and as an ``.xlsx``
  workbook or a folder of CSV files (:mod:`perfkit.datasets.demo`); :func:`planted` — the
  sedimented-funds projects and overlapping pairs planted in it.
- :func:`load_demo` — the demo district as a validated :class:`~perfkit.model.workbook.Workbook`,
  read back through :func:`perfkit.io.read_workbook` exactly as a user's file would be.
- :func:`small_path` / :func:`load_small` — a small district (4 departments, 12 projects a year,
  2 townships, 2 years) bundled as CSV files with Chinese headers, for tests and the docs.
  Regenerate it with ``python -m perfkit.datasets.make_small``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from .demo import DEFAULT_YEARS, DISTRICT, generate, planted, write

__all__ = ["generate", "write", "planted", "load_demo", "load_small", "small_path",
           "DEFAULT_YEARS", "DISTRICT"]

_SMALL = Path(__file__).parent / "data" / "small"


def load_demo(*, seed: int = 2024, **kw):
    """The demo district as a Workbook, read back through the same reader as users' files.

    Parameters
    ----------
    seed : int
        Seed of the generator (:func:`perfkit.datasets.demo.generate`).
    **kw
        Other arguments of :func:`~perfkit.datasets.demo.generate` (``years``, ``n_projects``,
        ``n_departments``, ``n_townships``, ``departments``).

    Returns
    -------
    Workbook
        Validated tables with parsed targets (``target_value``, ``actual_value`` …) as
        :func:`perfkit.io.read_workbook` produces them; ``source`` is ``"demo:seed=<seed>"``.

    Notes
    -----
    The frames are written to a temporary folder of CSV files (Chinese headers) and read back,
    so the demo exercises the reader, the header mapping and the validation like real data.
    """
    from ..io import read_workbook
    from ..model.workbook import Workbook

    frames = generate(seed=seed, **kw)
    with tempfile.TemporaryDirectory(prefix="perfkit-demo-") as d:
        folder = write(frames, Path(d) / "demo", format="csv", lang="zh")
        wb = read_workbook(folder)
    meta = dict(wb.meta)
    meta["demo"] = {"seed": seed, **{k: (list(v) if isinstance(v, tuple) else v)
                                     for k, v in kw.items()}}
    return Workbook(wb.tables, f"demo:seed={seed}", meta)


def small_path() -> Path:
    """The folder of the bundled small district (CSV files, UTF-8 with BOM, Chinese headers)."""
    return _SMALL


def load_small():
    """The bundled small district as a Workbook (via :func:`perfkit.io.read_workbook`)."""
    from ..io import read_workbook

    return read_workbook(_SMALL)
