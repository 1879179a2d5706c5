"""perfkit — an open, verifiable workbench for budget performance evaluation (预算绩效管理)."""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import (IdentityError, InputError, InputErrors, MethodError, PerfkitError,  # noqa: E402
                     RuleError, RunError)

__all__ = ["__version__", "PerfkitError", "InputError", "InputErrors", "RuleError",
           "MethodError", "IdentityError", "RunError"]
