"""The indicator library (绩效指标库): common frameworks and core indicators by sector.

>>> from perfkit import indicators
>>> hits = indicators.search("营养改善")            # doctest: +SKIP
>>> lib = indicators.load_library()                 # bundled sets + PERFKIT_INDICATOR_DIRS
>>> lib.suggest("农村饮水安全巩固提升工程", sector="水利")   # doctest: +SKIP

See :mod:`perfkit.indicators.library` and ``docs/indicator-library.md``.
"""
from .library import (CATEGORIES, COMMON_SECTOR, ENV_VAR, FRAMEWORK_COLUMNS, INDICATOR_COLUMNS,
                      LIBRARY_DIR, OVERRIDE_COLUMNS, SEARCH_COLUMNS, SET_COLUMNS, STANDARDS,
                      SUGGEST_COLUMNS, SUGGESTION_COLUMNS, Framework, IndicatorLibrary,
                      ProjectSuggestion, default_library, load_library, search, suggest,
                      suggest_for_project)

__all__ = ["IndicatorLibrary", "Framework", "ProjectSuggestion", "load_library",
           "default_library", "search", "suggest", "suggest_for_project", "LIBRARY_DIR",
           "ENV_VAR", "STANDARDS", "COMMON_SECTOR", "CATEGORIES", "INDICATOR_COLUMNS",
           "FRAMEWORK_COLUMNS", "SEARCH_COLUMNS", "SUGGEST_COLUMNS", "SUGGESTION_COLUMNS",
           "SET_COLUMNS", "OVERRIDE_COLUMNS"]
