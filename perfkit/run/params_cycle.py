"""Parameter models of the management-cycle notebooks (registered with
:func:`perfkit.run.params.register`), and run specs for batches of departments and townships.

Each model's fields are exactly the notebook's parameters (``output_dir`` aside); the test
``tests/run/test_cycle_notebooks.py`` checks it with ``papermill.inspect_notebook``. Defaults
run every notebook as it is on the demo district.

============================  =====================  =========================================
notebook                      subject parameter      report
============================  =====================  =========================================
``exante``                    ``subject_id``         事前绩效评估报告 (domain.md §9.3)
``target_review``             ``department_id``      绩效目标审核 (one department's projects)
``monitoring``                ``subject_id``         绩效运行监控（双监控）报告 (§9.4)
``key_evaluation``            ``subject_id``         重点绩效评价报告 (§9.2)
``reevaluation``              ``subject_id``         单位自评再评价报告 (§4.6)
``department_evaluation``     ``department_id``      部门整体支出绩效评价报告 (§9.5)
``township_evaluation``       ``township_id``        乡镇街道财政运行综合绩效评价 (§9.5; "all")
``results_application``       ``subject_id``         绩效评价结果应用 (§7)
``portfolio``                 ``subject_id``         预算绩效信息报告（人大、公开版）
============================  =====================  =========================================
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal, Optional, Union

from pydantic import field_validator

from .params import RunSpec, _Params, register

__all__ = ["ExanteParams", "TargetReviewParams", "MonitoringParams", "KeyEvaluationParams",
           "ReevaluationParams", "DepartmentEvaluationParams", "TownshipEvaluationParams",
           "ResultsApplicationParams", "PortfolioParams", "CYCLE_NOTEBOOKS", "cycle_specs"]

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
    workbook: Optional[str] = None
    subject_id: str = "monitoring-2024-06"   # a label of the period monitored
    year: Optional[int] = None
    month: int = 6
    forecast: Optional[Literal["auto", "pooled", "drift", "run_rate"]] = None
    profile: str = "national"                # national | sichuan2025 (checkpoints) | …
    lang: _Lang = "zh"


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
    workbook: Optional[str] = None
    subject_id: str = "application-2024"
    year: Optional[int] = None
    cut_percent: Optional[dict[str, float]] = None   # e.g. {中: 10, 差: 100}; no source sets it
    overlap_threshold: Optional[float] = None        # None: the profile's
    profile: str = "national"
    lang: _Lang = "zh"


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


def cycle_specs(notebook: str, workbook: str | Path, *, batch: str, year: int | None = None,
                ids: list[str] | None = None, profile: str = "national", lang: str = "zh",
                **parameters) -> list[RunSpec]:
    """One run spec per department (``department_evaluation``, ``target_review``) or per
    township (``township_evaluation``) of a workbook's year, for
    :func:`perfkit.run.batch.run_batch`.

    Parameters
    ----------
    notebook : {"department_evaluation", "target_review", "township_evaluation"}
    workbook : path
    batch : str, keyword-only
        Output folder under ``outputs/``.
    year : int, optional, keyword-only
        Default: the latest year of the table (departments or townships).
    ids : list of str, optional, keyword-only
        Only these departments / townships.
    profile, lang : keyword-only
    **parameters
        Other parameters of the notebook (e.g. ``pool=3000.0``), validated with the model.
    """
    from ..errors import InputError
    from ..io import read_workbook
    from .params import validate_parameters

    tables = {"department_evaluation": ("departments", "department_id"),
              "target_review": ("departments", "department_id"),
              "township_evaluation": ("townships", "township_id")}
    if notebook not in tables:
        raise InputError(f"must be one of {', '.join(tables)}", argument="notebook",
                         value=notebook)
    table, key = tables[notebook]
    wb = read_workbook(workbook)
    df = wb[table]
    if df.empty:
        raise InputError(f"the workbook has no {table} rows", file=str(workbook), sheet=table)
    years = sorted(int(y) for y in df["year"].dropna().unique())
    yr = int(year) if year is not None else years[-1]
    found = sorted(str(x) for x in df.loc[df["year"] == yr, key].dropna().unique())
    if ids is not None:
        unknown = [i for i in ids if str(i) not in found]
        if unknown:
            raise InputError(f"not in the {table} table of {yr}", argument="ids", value=unknown)
        found = [str(i) for i in ids]
    path = str(Path(workbook).resolve())
    specs = []
    for sid in found:
        params = {"workbook": path, key: sid, "year": yr, "profile": profile, "lang": lang,
                  **parameters}
        validate_parameters(notebook, params)
        specs.append(RunSpec(notebook=notebook, batch=batch, parameters=params))
    return specs
