"""pyproject.toml (pip) and environment.yml (conda) list the same dependencies."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda names that differ from PyPI names
CONDA_TO_PYPI = {"distributed": "dask", "dask": "dask"}


def _name(req: str) -> str:
    return re.split(r"[<>=!\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    m = re.search(r"(>=|==|<=|~=)\s*([0-9][^,; ]*)", req)
    return m.group(0).replace(" ", "") if m else ""


def test_pyproject_and_environment_agree():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(py["dependencies"])
    for extra in py["optional-dependencies"].values():
        reqs += extra
    pip_side = {_name(r): _spec(r) for r in reqs}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_side = {}
    for d in env["dependencies"]:
        items = d["pip"] if isinstance(d, dict) else [d]
        for r in items:
            n = _name(r)
            if n in ("python", "pip"):
                continue
            conda_side[CONDA_TO_PYPI.get(n, n)] = _spec(r)
    assert set(pip_side) == set(conda_side), (set(pip_side) ^ set(conda_side))
    for n, spec in pip_side.items():
        assert conda_side[n] == spec, f"{n}: pyproject {spec!r} vs environment.yml {conda_side[n]!r}"
    assert py["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]
