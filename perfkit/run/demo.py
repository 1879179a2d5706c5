"""The demo district on disk: generated once (seeded) under outputs/demo/data/."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

from .paths import output_root

__all__ = ["demo_workbook_path", "DEMO_SEED"]

DEMO_SEED = 2024


def demo_workbook_path(*, seed: int = DEMO_SEED, regenerate: bool = False) -> Path:
    """Path of the demo district's workbook, generating it if it is not there yet."""
    path = output_root() / "demo" / "data" / f"demo_district_{seed}.xlsx"
    if regenerate or not path.exists():
        from ..datasets.demo import generate, write
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}-{uuid.uuid4().hex[:8]}.xlsx")
        try:
            write(generate(seed=seed), tmp, format="xlsx")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return path
