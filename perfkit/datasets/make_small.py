"""Regenerate the small bundled district under ``perfkit/datasets/data/small/``.

Run ``python -m perfkit.datasets.make_small`` (optionally ``--out DIR``). The output is
deterministic: running it again rewrites byte-identical files.

The small district has four departments chosen so that all four budget types appear
(区教委, 区农业农村委, 区人力社保局, 区国资委), 12 projects a year over two years
(2023–2024) and two townships; headers are Chinese, as on the forms.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .demo import generate, write

#: chosen (among 2024–2043) so that the 24 project-years show every pattern of the full demo:
#: all four budget types, low and near-zero execution, inflated self-scores, 不适用 rows,
#: a project without a satisfaction indicator, a per-township project
SEED = 2029
YEARS = (2023, 2024)
DEPARTMENTS = ("区教委", "区农业农村委", "区人力社保局", "区国资委")
N_PROJECTS = 12
N_TOWNSHIPS = 2
OUT = Path(__file__).parent / "data" / "small"


def small_frames():
    """The frames of the small district (same arguments as the bundled files)."""
    return generate(seed=SEED, years=YEARS, departments=DEPARTMENTS, n_projects=N_PROJECTS,
                    n_townships=N_TOWNSHIPS)


def main(argv: list[str] | None = None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (default: the package)")
    args = ap.parse_args(argv)
    path = write(small_frames(), args.out, format="csv", lang="zh")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":  # pragma: no cover
    main()
