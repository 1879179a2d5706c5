"""Parameter sets of the report notebooks, validated strictly.

Unlike papermill (which only warns), an unknown parameter or a value of the wrong type is an
error. Params files are read with a safe YAML loader that also refuses aliases (``*name``: an
alias bomb expands exponentially when printed), in UTF-8, up to :data:`MAX_PARAMS_BYTES`; every
failure to read one is an :class:`~perfkit.errors.InputError` naming the file. A params YAML file
looks like::

    notebook: project_self_evaluation
    batch: demo
    parameters:
      workbook: data/district.xlsx
      project_id: "00123"
      profile: national
      lang: zh
    pdf: true            # optional: also print report.pdf (needs perfkit[pdf])
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .._yaml import load_yaml
from ..errors import InputError, InputErrors, Problem
from .paths import check_id

__all__ = ["NOTEBOOK_PARAMS", "RunSpec", "load_params", "validate_parameters", "subject_key",
           "MAX_PARAMS_BYTES"]

#: a params file larger than this is refused
MAX_PARAMS_BYTES = 1 * 2**20


def _short(value: Any, limit: int = 200) -> Any:
    """A value small enough to print in an error message."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + f"… ({len(value)} characters)"
    try:
        n = len(value)
    except TypeError:
        return type(value).__name__
    return f"<{type(value).__name__} of {n} item(s)>"


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ProjectSelfEvaluationParams(_Params):
    workbook: Optional[str] = None          # None: the bundled demo district
    project_id: str = "XM00002"
    year: Optional[int] = None
    profile: str = "national"
    lang: Literal["zh", "en"] = "zh"


#: notebook name → (parameter model, the parameter naming the subject)
NOTEBOOK_PARAMS: dict[str, tuple[type[_Params], str]] = {
    "project_self_evaluation": (ProjectSelfEvaluationParams, "project_id"),
}


def register(name: str, model: type[_Params], subject_param: str) -> None:
    """Register a notebook's parameter model (used by cycle stages and methods notebooks)."""
    NOTEBOOK_PARAMS[name] = (model, subject_param)


class RunSpec(BaseModel):
    """One report to produce: which notebook, which batch folder, which parameters, and
    whether to print ``report.pdf`` too (a run option, not a notebook parameter: it changes
    no number of the report)."""

    model_config = ConfigDict(extra="forbid")
    notebook: str
    batch: str = "default"
    parameters: dict[str, Any] = {}
    pdf: bool = False

    def subject_id(self) -> str:
        """The validated subject id (a default of the notebook's model counts too)."""
        return subject_key(self.notebook, validate_parameters(self.notebook, self.parameters))


def subject_key(notebook: str, parameters: dict) -> str:
    _, key = NOTEBOOK_PARAMS[notebook]
    return check_id(parameters.get(key), what=key)


def validate_parameters(notebook: str, parameters: dict, *, file: str | None = None) -> dict:
    """Validate against the notebook's model; return the full parameter dict (defaults filled)."""
    if notebook not in NOTEBOOK_PARAMS:
        raise InputError(f"unknown notebook; available: {', '.join(sorted(NOTEBOOK_PARAMS))}",
                         file=file, column="notebook", value=notebook)
    model, key = NOTEBOOK_PARAMS[notebook]
    try:
        full = model.model_validate(parameters).model_dump()
    except ValidationError as e:
        probs = []
        for err in e.errors():
            loc = ".".join(str(x) for x in err["loc"]) or "parameters"
            msg = "unknown parameter" if err["type"] == "extra_forbidden" else err["msg"]
            probs.append(Problem(rule=msg, file=file, column=f"parameters.{loc}",
                                 value=_short(err.get("input"))))
        raise InputErrors(probs) if len(probs) > 1 else InputError(
            probs[0].rule, file=file, column=probs[0].column, value=probs[0].value) from None
    for k, v in full.items():
        if isinstance(v, str) and ("\x00" in v or len(v) > 4096):
            raise InputError("a parameter value may not contain a NUL character or exceed 4096 "
                             "characters", file=file, column=f"parameters.{k}", value=_short(v))
    _check_id_in(file, f"parameters.{key}", full[key], key)
    return full


def _check_id_in(file: str | None, column: str, value: Any, what: str) -> str:
    """:func:`check_id`, with the error located in the params file."""
    try:
        return check_id(value, what=what)
    except InputError as e:
        raise InputError(e.problem.rule, file=file, column=column, value=_short(value)) from None


def load_params(path: str | Path, **overrides) -> RunSpec:
    """Read and validate a params YAML file (safe loading only).

    ``overrides`` (``batch=``, ``pdf=`` …) replace the file's top-level keys unless ``None``."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_PARAMS_BYTES:
            raise InputError(f"the params file is larger than {MAX_PARAMS_BYTES // 1024} kB",
                             file=str(p))
        text = p.read_text(encoding="utf-8")
        raw = load_yaml(text, what="params file")
    except FileNotFoundError:
        raise InputError("params file not found", file=str(p)) from None
    except UnicodeDecodeError as e:
        raise InputError(f"the params file is not UTF-8 text (byte {e.start}); save it as "
                         "UTF-8", file=str(p)) from None
    except OSError as e:
        raise InputError(f"cannot read the params file ({e.strerror or e})", file=str(p)) \
            from None
    except yaml.YAMLError as e:
        raise InputError(f"not valid YAML (plain YAML only, no Python tags): {e}",
                         file=str(p)) from None
    if not isinstance(raw, dict):
        raise InputError("a params file must be a mapping with notebook/batch/parameters",
                         file=str(p))
    unknown = set(raw) - {"notebook", "batch", "parameters", "pdf"}
    if unknown:
        raise InputError(f"unknown top-level key(s) {sorted(unknown)}; allowed: notebook, batch, "
                         "parameters, pdf", file=str(p))
    raw = {**raw, **{k: v for k, v in overrides.items() if v is not None}}
    pdf = raw.get("pdf", False)
    if not isinstance(pdf, bool):
        raise InputError("must be true or false", file=str(p), column="pdf", value=_short(pdf))
    nb = raw.get("notebook")
    if not isinstance(nb, str):
        raise InputError("'notebook' is required and must be text", file=str(p), value=nb)
    params = validate_parameters(nb, raw.get("parameters") or {}, file=str(p))
    # a relative workbook path is relative to the current folder, else to the params file's
    wbk = params.get("workbook")
    if isinstance(wbk, str) and not Path(wbk).is_absolute():
        here, beside = Path(wbk), p.parent / wbk
        params["workbook"] = str((here if here.exists() or not beside.exists() else beside)
                                 .resolve())
    batch = raw.get("batch", "default")
    _check_id_in(str(p), "batch", batch, "batch")
    return RunSpec(notebook=nb, batch=batch, parameters=params, pdf=pdf)


# the other notebooks register their parameter models in their own modules
from . import params_cycle, params_methods  # noqa: E402,F401
