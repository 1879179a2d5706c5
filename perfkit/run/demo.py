"""The demo district on disk: generated once (seeded) under outputs/demo/data/."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

from .paths import output_root

__all__ = ["demo_workbook_path", "DEMO_SEED"]

DEMO_SEED = 2024


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".version")


def demo_workbook_path(*, seed: int = DEMO_SEED, regenerate: bool = False) -> Path:
    """Path of the demo district's workbook, generating it if it is not there yet.

    A stamp file beside the workbook records the generator's version
    (:data:`perfkit.datasets.demo.GENERATOR_VERSION`); a workbook written by an older generator
    (no stamp, or another version) is generated again, so the demo always has every table the
    current perfkit knows.
    """
    from ..datasets.demo import GENERATOR_VERSION
    path = output_root() / "demo" / "data" / f"demo_district_{seed}.xlsx"
    stamp = _stamp(path)
    want = f"{GENERATOR_VERSION}\n"
    current = path.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == want
    if regenerate or not current:
        from ..datasets.demo import generate, write
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}-{uuid.uuid4().hex[:8]}.xlsx")
        try:
            write(generate(seed=seed), tmp, format="xlsx")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        stamp_tmp = stamp.with_name(f".{stamp.name}-{uuid.uuid4().hex[:8]}")
        stamp_tmp.write_text(want, encoding="utf-8")
        os.replace(stamp_tmp, stamp)
    return path
