"""Every path perfkit writes derives from here, from validated ids."""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import InputError

__all__ = ["repo_root", "output_root", "notebook_dir", "notebook_path", "check_id",
           "subject_dir"]

_ID = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z_.\-\u4e00-\u9fff]{0,79}$")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
             *(f"LPT{i}" for i in range(10))}


def check_id(value: object, *, what: str = "subject id") -> str:
    """Validate an id used in paths: letters, digits, CJK, ``_ . -``; no ``..``, no separators,
    no reserved device names. Returns it as a string (ids are strings end to end)."""
    if not isinstance(value, str):
        raise InputError(f"{what} must be text (quote it in YAML: '00123')", argument=what,
                         value=value)
    s = value
    if not _ID.match(s) or ".." in s or s.split(".")[0].upper() in _RESERVED:
        raise InputError(f"{what} may contain only letters, digits, Chinese characters and "
                         "_ . - (no path separators, no '..', no device names), at most 80",
                         argument=what, value=value)
    return s


def repo_root() -> Path:
    """The source checkout when perfkit runs from one (editable install), else the cwd."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").exists() and (here / "notebooks").is_dir() \
        else Path.cwd()


def output_root() -> Path:
    env = os.environ.get("PERFKIT_OUTPUTS")
    return Path(env).resolve() if env else repo_root() / "outputs"


def notebook_dir() -> Path:
    for cand in (repo_root() / "notebooks", Path(__file__).resolve().parents[1] / "notebooks"):
        if cand.is_dir():
            return cand
    raise InputError("the notebook templates were not found (expected a notebooks/ folder)")


def notebook_path(name: str) -> Path:
    check_id(name, what="notebook")
    p = notebook_dir() / f"{name}.ipynb"
    if not p.exists():
        avail = sorted(x.stem for x in notebook_dir().glob("*.ipynb"))
        raise InputError(f"unknown notebook; available: {', '.join(avail)}", argument="notebook",
                         value=name)
    return p


def subject_dir(batch: str, subject_id: str, root: Path | None = None) -> Path:
    return (root or output_root()) / check_id(batch, what="batch") / check_id(subject_id)
