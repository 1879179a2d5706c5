"""Parameter models of the management-cycle notebooks (registered with
:func:`perfkit.run.params.register`), the subject level of every notebook, and run specs for
batches of projects, departments and townships (:func:`cycle_specs`).

Each model's fields are exactly the notebook's parameters (``output_dir`` aside); the test
``tests/run/test_cycle_notebooks.py`` checks it with ``papermill.inspect_notebook``. Defaults
run every notebook as it is on the demo district.

============================  =====================  =========================================
notebook                      subject parameter      report
============================  =====================  =========================================
``exante``                    ``subject_id``         事前绩效评估报告 (domain.md §9.3)
``target_review``             ``department_id``      绩效目标审核 (one department's projects)
``monitoring``                ``subject_id``         绩效运行监控（双监控）报告 (§9.4); with
                                                     ``department_id`` one department's
``key_evaluation``            ``subject_id``         重点绩效评价报告 (§9.2)
``reevaluation``              ``subject_id``         单位自评再评价报告 (§4.6)
``department_evaluation``     ``department_id``      部门整体支出绩效评价报告 (§9.5)
``township_evaluation``       ``township_id``        乡镇街道财政运行综合绩效评价 (§9.5; "all")
``results_application``       ``subject_id``         绩效评价结果应用 (§7); with ``department_id``
                                                     one department's (subject: the department)
``portfolio``                 ``subject_id``         预算绩效信息报告（人大、公开版）
============================  =====================  =========================================

:data:`SUBJECT_LEVELS` (:func:`subject_level`) says what one report of each notebook is about,
and so what ``perfkit batch WORKBOOK --notebook NAME`` makes one report per:

==============  ===========================================================================
level           notebooks
==============  ===========================================================================
``project``     ``project_self_evaluation``, ``key_evaluation`` (batched over the workbook's
                projects); ``exante``, ``cost_benefit`` (their subjects are in their own
                input, not in a workbook: run a folder of params files)
``department``  ``department_evaluation`` (the ``departments`` table), ``target_review``,
                ``results_application``, ``monitoring`` (the departments with projects in
                the year; ``perfkit run params/monitoring.yaml`` still monitors the district)
``township``    ``township_evaluation`` (the ``townships`` table)
``district``    ``reevaluation``, ``portfolio``, ``benchmarking``, ``factor_analysis``: one
                report on the whole district (``perfkit run``)
==============  ===========================================================================
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Literal, Optional, Union

from pydantic import field_validator, model_validator

from .params import RunSpec, _Params, register

__all__ = ["ExanteParams", "TargetReviewParams", "MonitoringParams", "KeyEvaluationParams",
           "ReevaluationParams", "DepartmentEvaluationParams", "TownshipEvaluationParams",
           "ResultsApplicationParams", "PortfolioParams", "CYCLE_NOTEBOOKS", "SUBJECT_LEVELS",
           "subject_level", "cycle_specs"]

_Lang = Literal["zh", "en"]


def _abs_if_here(v: Optional[str]) -> Optional[str]:
    """A relative input path that exists from the current folder, made absolute (the notebook
    runs in notebooks/, where a relative path would not be found)."""
    if v is None or Path(v).is_absolute() or not Path(v).exists():
        return v
    return str(Path(v).resolve())


class ExanteParams(_Params):
    ratings: Optional[str] = None            # rating sheet (.xlsx/.csv); None: the example
    subject_id: str = "XM90001"              # the proposed project assessed
    variant: Literal["project", "policy"] = "project"
    method: Optional[Literal["mean", "trimmed", "median"]] = None   # None: the profile's
    cba: bool = True                         # cost-benefit appraisal when cash flows are known
    cashflows: Optional[str] = None          # 年度/效益/成本 sheet; None: the example's
    discount: Optional[float] = None         # constant discount rate; None: Green Book schedule
    profile: str = "national"
    lang: _Lang = "zh"

    _paths = field_validator("ratings", "cashflows")(_abs_if_here)


class TargetReviewParams(_Params):
    workbook: Optional[str] = None
    department_id: str = "001"
    year: Optional[int] = None
    history: bool = True                     # compare with last year's actuals
    profile: str = "national"
    lang: _Lang = "zh"


class MonitoringParams(_Params):
    """``department_id`` set and ``subject_id`` not given: the subject (the report's folder) is
    the department id."""

    workbook: Optional[str] = None
    subject_id: str = "monitoring-2024-06"   # a label of the period monitored
    department_id: Optional[str] = None      # None: the whole district
    year: Optional[int] = None
    month: int = 6
    forecast: Optional[Literal["auto", "pooled", "drift", "run_rate"]] = None
    profile: str = "national"                # national | sichuan2025 (checkpoints) | …
    lang: _Lang = "zh"

    @model_validator(mode="after")
    def _subject_is_the_department(self):
        if self.department_id is not None and "subject_id" not in self.model_fields_set:
            self.subject_id = self.department_id
        return self


class KeyEvaluationParams(_Params):
    workbook: Optional[str] = None           # for the project's basic information
    scores: Optional[str] = None             # expert score sheet; None: the example
    subject_id: str = "XM00002"
    year: Optional[int] = None
    stage: Literal["post", "mid"] = "post"
    method: Literal["mean", "trimmed", "median"] = "mean"
    commissioner: str = "区财政局"
    evaluator: str = "示范会计师事务所"
    evaluator_prior_roles: list[str] = []
    profile: str = "national"
    lang: _Lang = "zh"

    _paths = field_validator("scores")(_abs_if_here)


class ReevaluationParams(_Params):
    workbook: Optional[str] = None
    subject_id: str = "reevaluation-2024"
    year: Optional[int] = None
    sample: Optional[Union[int, float]] = 0.3   # a count, a fraction, or None for all
    seed: int = 1
    profile: str = "national"
    lang: _Lang = "zh"


class DepartmentEvaluationParams(_Params):
    workbook: Optional[str] = None
    department_id: str = "001"
    year: Optional[int] = None
    profile: str = "national"
    lang: _Lang = "zh"


class TownshipEvaluationParams(_Params):
    workbook: Optional[str] = None
    township_id: str = "all"                 # a township id, or "all"
    year: Optional[int] = None
    pool: float = 2000.0                     # transfer-payment pool to allocate (万元)
    base_share: Optional[float] = None       # None: the profile's
    transfer_rule: Optional[Literal["proportional_to_score", "grade_coefficients"]] = None
    rts: Optional[Literal["crs", "vrs"]] = None
    profile: str = "national"
    lang: _Lang = "zh"


class ResultsApplicationParams(_Params):
    """``department_id`` set and ``subject_id`` not given: the subject (the report's folder) is
    the department id."""

    workbook: Optional[str] = None
    subject_id: str = "application-2024"
    department_id: Optional[str] = None              # None: the whole district
    year: Optional[int] = None
    cut_percent: Optional[dict[str, float]] = None   # e.g. {中: 10, 差: 100}; no source sets it
    overlap_threshold: Optional[float] = None        # None: the profile's
    profile: str = "national"
    lang: _Lang = "zh"

    @model_validator(mode="after")
    def _subject_is_the_department(self):
        if self.department_id is not None and "subject_id" not in self.model_fields_set:
            self.subject_id = self.department_id
        return self


class PortfolioParams(_Params):
    workbook: Optional[str] = None
    subject_id: str = "portfolio-2024"
    year: Optional[int] = None
    public: bool = False
    public_remove: list[str] = ["implementing_unit", "flag_codes", "overlap_with"]
    reevaluation_sample: Optional[Union[int, float]] = None
    seed: int = 1
    commissioner: str = "区财政局"
    evaluator: str = "示范会计师事务所"
    evaluated_object: str = "区级各部门"
    evaluator_prior_roles: list[str] = []
    profile: str = "national"
    lang: _Lang = "zh"


#: notebook → (model, subject parameter)
CYCLE_NOTEBOOKS = {
    "exante": (ExanteParams, "subject_id"),
    "target_review": (TargetReviewParams, "department_id"),
    "monitoring": (MonitoringParams, "subject_id"),
    "key_evaluation": (KeyEvaluationParams, "subject_id"),
    "reevaluation": (ReevaluationParams, "subject_id"),
    "department_evaluation": (DepartmentEvaluationParams, "department_id"),
    "township_evaluation": (TownshipEvaluationParams, "township_id"),
    "results_application": (ResultsApplicationParams, "subject_id"),
    "portfolio": (PortfolioParams, "subject_id"),
}
for _name, (_model, _key) in CYCLE_NOTEBOOKS.items():
    register(_name, _model, _key)


#: notebook → what one of its reports is about: ``project``, ``department``, ``township`` or
#: ``district`` (one report on the whole district; not batched over a workbook)
SUBJECT_LEVELS: dict[str, str] = {
    "project_self_evaluation": "project",
    "key_evaluation": "project",
    "exante": "project",
    "cost_benefit": "project",
    "target_review": "department",
    "department_evaluation": "department",
    "results_application": "department",
    "monitoring": "department",
    "township_evaluation": "township",
    "reevaluation": "district",
    "portfolio": "district",
    "benchmarking": "district",
    "factor_analysis": "district",
}

#: level → (table, id column) the subjects of a batch are read from; department_evaluation
#: reads the ``departments`` table (it needs its row there), the others the departments that
#: have projects in the year
_LEVEL_TABLES = {"project": ("projects", "project_id"),
                 "department": ("projects", "department_id"),
                 "township": ("townships", "township_id")}
_TABLE_OVERRIDES = {"department_evaluation": ("departments", "department_id")}
#: the parameter that takes the subject's id, where it is not the subject parameter (the
#: subject id then follows from it)
_ID_PARAMS = {"results_application": "department_id", "monitoring": "department_id"}


def subject_level(notebook: str) -> str:
    """What one report of ``notebook`` is about: ``"project"``, ``"department"``,
    ``"township"`` or ``"district"`` (see :data:`SUBJECT_LEVELS`).

    Raises
    ------
    InputError
        Unknown notebook (the message lists the known ones).
    """
    from ..errors import InputError
    if notebook not in SUBJECT_LEVELS:
        raise InputError(f"unknown notebook; available: {', '.join(sorted(SUBJECT_LEVELS))}",
                         argument="notebook", value=notebook)
    return SUBJECT_LEVELS[notebook]


def _base_parameters(notebook: str, *, workbook: str, year: int | None, profile: str,
                     lang: str, parameters: dict) -> dict:
    """workbook / year / profile / lang for the notebook's model (those it has), plus
    ``parameters`` — checked: unknown names, and names the batch sets itself, are refused."""
    from ..errors import InputError
    from .params import NOTEBOOK_PARAMS
    model, key = NOTEBOOK_PARAMS[notebook]
    fields = model.model_fields
    batch_set = ("workbook", key, "year", _ID_PARAMS.get(notebook, key))
    unknown = [k for k in parameters if k not in fields]
    if unknown:
        raise InputError(f"unknown parameter of {notebook}; the others it takes: "
                         f"{', '.join(f for f in fields if f not in batch_set)}",
                         argument="parameters", value=unknown[0])
    reserved = [k for k in parameters if k in batch_set]
    if reserved:
        raise InputError(f"set by the batch itself (one report per subject): use the "
                         f"workbook argument, ids or year instead", argument="parameters",
                         value=reserved[0])
    out: dict[str, Any] = {"workbook": workbook}
    for name, value, default in (("year", year, None), ("profile", profile, "national"),
                                 ("lang", lang, "zh")):
        if name in fields:
            out[name] = value
        elif value != default:
            raise InputError(f"{notebook} has no {name} parameter", argument=name, value=value)
    return {**out, **parameters}


def cycle_specs(notebook: str, workbook: str | Path, *, batch: str, year: int | None = None,
                ids: Iterable[str] | None = None, department: str | None = None,
                limit: int | None = None, profile: str = "national", lang: str = "zh",
                **parameters) -> list[RunSpec]:
    """One run spec per subject of a workbook's year at the notebook's level
    (:func:`subject_level`), for :func:`perfkit.run.batch.run_batch`: per project
    (``project_self_evaluation``, ``key_evaluation``; built by
    :func:`perfkit.run.batch.specs_for_workbook`), per department (``department_evaluation``,
    ``target_review``, ``results_application``, ``monitoring``) or per township
    (``township_evaluation``).

    Parameters
    ----------
    notebook : str
        A notebook of level ``project`` (with a ``workbook`` parameter), ``department`` or
        ``township``. District-level notebooks run once: use :func:`perfkit.run.run_report`.
    workbook : path
    batch : str, keyword-only
        Output folder under ``outputs/``.
    year : int, optional, keyword-only
        Default: the latest year of the table the subjects come from.
    ids : iterable of str, optional, keyword-only
        Only these subjects (project, department or township ids).
    department : str, optional, keyword-only
        Project level: only this department's projects. Department level: only this
        department. An id or a name.
    limit : int, optional, keyword-only
        At most this many subjects (the first by id).
    profile, lang : keyword-only
        Passed to notebooks that have these parameters.
    **parameters
        Other parameters of the notebook (e.g. ``pool=3000.0``), validated with its model.

    Returns
    -------
    list of RunSpec
        Sorted by subject id; each validated.

    Raises
    ------
    InputError
        Unknown notebook, a notebook that is not batched over a workbook, an id or department
        not in the table (the message names the table and lists what it holds), an unknown
        or ill-typed parameter.
    """
    from ..errors import InputError
    from ..io import read_workbook
    from .params import NOTEBOOK_PARAMS, validate_parameters

    level = subject_level(notebook)
    model, key = NOTEBOOK_PARAMS[notebook]
    if level == "district":
        raise InputError("reports on the whole district once: run it with "
                         f"`perfkit run params/{notebook}.yaml` (its level is district, not "
                         "project, department or township)", argument="notebook",
                         value=notebook)
    if "workbook" not in model.model_fields:
        raise InputError("reads no workbook: its subjects come from its own input; run a "
                         "folder of params files instead (perfkit batch FOLDER)",
                         argument="notebook", value=notebook)
    path = str(Path(workbook).resolve())
    base = _base_parameters(notebook, workbook=path, year=year, profile=profile, lang=lang,
                            parameters=parameters)
    if level == "project":
        from .batch import specs_for_workbook
        extra = {k: v for k, v in base.items() if k not in ("workbook", "year", "profile",
                                                              "lang")}
        return specs_for_workbook(workbook, batch=batch, notebook=notebook, year=year,
                                  department=department, projects=ids, limit=limit,
                                  profile=profile, lang=lang, parameters=extra)
    if level == "township" and department is not None:
        raise InputError(f"{notebook} reports per township: --department does not apply",
                         argument="department", value=department)
    table, col = _TABLE_OVERRIDES.get(notebook, _LEVEL_TABLES[level])
    wb = read_workbook(workbook)
    df = wb[table]
    src = str(workbook)
    if df.empty:
        raise InputError(f"the workbook has no {table} rows", file=src, sheet=table)
    years = sorted(int(y) for y in df["year"].dropna().unique())
    yr = int(year) if year is not None else years[-1]
    rows = df[df["year"] == yr]
    found = sorted(str(x) for x in rows[col].dropna().unique())
    if not found:
        raise InputError(f"the {table} table has no rows for {yr} (years: "
                         f"{', '.join(map(str, years))})", file=src, argument="year", value=yr)
    wanted = [str(i) for i in ids] if ids is not None else None
    if department is not None:        # an id, or a name (name column of the table)
        d = str(department)
        name_col = "name" if table == "departments" else "department"
        match = [d] if d in found else sorted(
            rows.loc[rows[name_col].astype(str) == d, col].dropna().astype(str).unique()) \
            if name_col in rows else []
        if len(match) != 1:
            raise InputError(f"no department {d!r} in the {table} table of {yr} (by id or "
                             f"name); it holds: {_shown(found)}", file=src,
                             argument="department", value=d)
        wanted = (wanted or []) + match
    if wanted is not None:
        unknown = [i for i in wanted if i not in found]
        if unknown:
            raise InputError(f"not in the {table} table of {yr} (column {col}); it holds: "
                             f"{_shown(found)}", file=src, argument="ids",
                             value=unknown if len(unknown) > 1 else unknown[0])
        found = sorted(dict.fromkeys(wanted))
    found = found[: limit or None]
    base["year"] = yr
    id_param = _ID_PARAMS.get(notebook, key)
    # the shared parameters, checked once; an id that is not a valid folder name fails that
    # subject only (an error row of the summary)
    validate_parameters(notebook, {**base, id_param: "subject"})
    return [RunSpec(notebook=notebook, batch=batch, parameters={**base, id_param: sid})
            for sid in found]


def _shown(values: list[str], k: int = 40) -> str:
    return ", ".join(values[:k]) + (f" … ({len(values)} in all)" if len(values) > k else "") \
        or "—"
