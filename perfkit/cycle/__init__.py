"""The budget-performance management cycle (预算绩效管理全过程), one module per stage.

黔江实施意见 §七–§十六 (domain.md §5–§7): 事前绩效评估 → 绩效目标 → 双监控 → 绩效评价 → 结果应用.

======================  =====================================================================
stage                   functions
======================  =====================================================================
ex-ante assessment      :func:`assess_exante` (事前绩效评估, :mod:`.exante`)
target review           :func:`review_targets` (绩效目标审核, :mod:`.targets`)
dual monitoring         :func:`monitor` (双监控, :mod:`.monitoring`)
evaluation              :func:`key_evaluation`, :func:`default_framework`, :func:`reevaluate`,
                        :func:`conflict_check`, :func:`icc`, :func:`kendall_w`
                        (重点评价、再评价、第三方, :mod:`.evaluation`)
department overall      :func:`evaluate_department` (部门整体, :mod:`.department`)
townships               :func:`evaluate_township`, :func:`allocate_transfers`
                        (乡镇街道财政运行, 转移支付, :mod:`.township`)
result application      :func:`apply_results`, :func:`idle_funds`, :func:`detect_overlap`,
                        :func:`budget_proposal` (结果应用, :mod:`.application`)
portfolio / 考核         :func:`district_portfolio` (绩效信息报告, :mod:`.portfolio`)
======================  =====================================================================
"""
from __future__ import annotations

from .application import (ApplicationResult, BudgetProposal, IdleFundsResult, OverlapResult,
                          apply_results, budget_proposal, detect_overlap, idle_funds)
from .department import DepartmentEvaluation, DepartmentResult, evaluate_department
from .evaluation import (KeyEvaluationResult, ReevaluationResult, SubjectEvaluation,
                         conflict_check, default_framework, icc, kendall_w, key_evaluation,
                         reevaluate)
from .exante import ExanteAssessment, ExanteResult, assess_exante
from .monitoring import MonitoringResult, ProjectMonitoring, monitor
from .portfolio import PortfolioResult, district_portfolio
from .targets import TargetReviewResult, review_targets
from .township import (TownshipEvaluation, TownshipResult, TransferAllocation,
                       allocate_transfers, evaluate_township)

__all__ = [
    "assess_exante", "review_targets", "monitor", "key_evaluation", "default_framework",
    "reevaluate", "conflict_check", "icc", "kendall_w", "evaluate_department",
    "evaluate_township", "allocate_transfers", "apply_results", "idle_funds", "detect_overlap",
    "budget_proposal", "district_portfolio",
    "ExanteResult", "ExanteAssessment", "TargetReviewResult", "MonitoringResult",
    "ProjectMonitoring", "KeyEvaluationResult", "SubjectEvaluation", "ReevaluationResult",
    "DepartmentEvaluation", "DepartmentResult", "TownshipEvaluation", "TownshipResult",
    "TransferAllocation", "ApplicationResult", "IdleFundsResult", "OverlapResult",
    "BudgetProposal", "PortfolioResult",
]
