"""Scoring: indicator score functions, weights, totals, grades (domain.md §4)."""
from .grades import band_edges, grade
from .indicators import RULES, score_indicators
from .self_eval import (ProjectSelfEvaluation, SelfEvaluation, resolve_weights,
                        score_self_evaluation)

__all__ = ["grade", "band_edges", "score_indicators", "RULES", "resolve_weights",
           "score_self_evaluation", "SelfEvaluation", "ProjectSelfEvaluation"]
