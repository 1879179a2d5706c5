"""Parameter models of the methods notebooks (strict; registered with the run layer).

The analyses they run live in :mod:`perfkit.studies.methods`.
"""
from __future__ import annotations

from typing import Literal, Optional, Union

from ..studies.methods import DEFAULT_FA_VARIABLES, CostBenefitCase
from .params import _Params, register

__all__ = ["CostBenefitParams", "BenchmarkingParams", "FactorAnalysisParams"]


class CostBenefitParams(_Params):
    subject_id: str = "rural-water-cba"
    case: Optional[CostBenefitCase] = None          # None: DEMO_CBA_CASE
    lang: Literal["zh", "en"] = "zh"



class BenchmarkingParams(_Params):
    workbook: Optional[str] = None                   # None: the demo district
    subject_id: str = "district-benchmarking"
    year: Optional[int] = None                       # None: the latest year
    profile: str = "national"
    township_inputs: list[str] = ["expenditure"]
    township_outputs: list[str] = ["population", "livelihood_expenditure"]
    township_rts: Literal["crs", "vrs"] = "crs"
    department_inputs: list[str] = ["expenditure"]
    department_outputs: list[str] = ["n_good", "mean_score"]
    department_rts: Literal["crs", "vrs"] = "vrs"
    orientation: Literal["input", "output"] = "input"
    benchmark: Union[float, str] = "p90"             # gap benchmark: "best", "pNN", a number
    lang: Literal["zh", "en"] = "zh"



class FactorAnalysisParams(_Params):
    workbook: Optional[str] = None                   # None: the demo district
    subject_id: str = "district-factors"
    variables: list[str] = DEFAULT_FA_VARIABLES      # township columns or "a/b" ratios
    fa_years: Optional[list[int]] = None             # None: every year (township-years pooled)
    n_factors: Optional[int] = None                  # None: Kaiser's rule (eigenvalues > 1)
    method: Literal["minres", "ml", "pa", "pc"] = "minres"
    rotation: Literal["varimax", "promax", "oblimin", "none"] = "varimax"
    year: Optional[int] = None                       # decomposition: current year (latest)
    base_year: Optional[int] = None                  # decomposition: base year (year − 1)
    department_id: Optional[str] = None              # None: every department of the district
    by: Literal["sector", "department"] = "sector"
    lang: Literal["zh", "en"] = "zh"


register("cost_benefit", CostBenefitParams, "subject_id")
register("benchmarking", BenchmarkingParams, "subject_id")
register("factor_analysis", FactorAnalysisParams, "subject_id")
