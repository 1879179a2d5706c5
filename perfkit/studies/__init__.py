"""Studies: analyses that prepare data from a workbook, call the methods and gather every number
a report states into one JSON-safe dict. Above :mod:`perfkit.methods`, :mod:`perfkit.scoring` and
:mod:`perfkit.io`; below :mod:`perfkit.report` and :mod:`perfkit.run`.
"""
from .methods import (DEMO_CBA_CASE, CostBenefitCase, Study, benchmarking_study,
                      cost_benefit_study, factor_study, load_case)

__all__ = ["Study", "CostBenefitCase", "DEMO_CBA_CASE", "load_case", "cost_benefit_study",
           "benchmarking_study", "factor_study"]
