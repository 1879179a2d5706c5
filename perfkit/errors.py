"""The perfkit exception tree.

Every error a user can cause is a :class:`PerfkitError`. Errors about data or arguments are
:class:`InputError` (also a :class:`ValueError`) and say *where* the problem is — file, sheet,
row (as the user sees it in Excel, 1-based, header row included), column — the value found and
the rule broken. Several problems found in one pass travel together as :class:`InputErrors`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

__all__ = [
    "PerfkitError",
    "InputError",
    "InputErrors",
    "RuleError",
    "MethodError",
    "IdentityError",
    "RunError",
    "Problem",
]


class PerfkitError(Exception):
    """Base of every error perfkit raises on purpose."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we know."""

    rule: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    argument: str | None = None

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(f"file {self.file}")
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        if self.argument:
            parts.append(f"argument {self.argument!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        val = "" if self.value is None else f" (found {self.value!r})"
        return f"{loc}: {self.rule}{val}" if loc else f"{self.rule}{val}"

    def to_dict(self) -> dict:
        return {k: (v if v is None or isinstance(v, (str, int, float, bool)) else str(v))
                for k, v in self.__dict__.items()}


class InputError(PerfkitError, ValueError):
    """Bad data or a bad argument. Exit code 2 at the command line.

    Parameters mirror :class:`Problem`; ``str(err)`` reads e.g.
    ``file d.xlsx, sheet 'indicators', row 14, column 'target': must be a number (found 'abc')``.
    """

    exit_code = 2

    def __init__(self, rule: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None, value: Any = None,
                 argument: str | None = None):
        self.problem = Problem(rule=rule, file=file, sheet=sheet, row=row, column=column,
                               value=value, argument=argument)
        super().__init__(str(self.problem))

    # convenient attribute access
    def __getattr__(self, name):  # only called when normal lookup fails
        if name in Problem.__dataclass_fields__ and "problem" in self.__dict__:
            return getattr(self.__dict__["problem"], name)
        raise AttributeError(name)

    @property
    def problems(self) -> list[Problem]:
        return [self.problem]


class InputErrors(InputError):
    """Several input problems found together (all problems of a file are reported at once)."""

    def __init__(self, problems: Iterable[Problem], *, limit: int = 200):
        probs = list(problems)
        if not probs:
            raise ValueError("InputErrors needs at least one problem")
        self._problems = probs
        self.problem = probs[0]
        shown = probs[:limit]
        lines = [f"{len(probs)} problem(s) in the input:"] + [f"  - {p}" for p in shown]
        if len(probs) > limit:
            lines.append(f"  … and {len(probs) - limit} more")
        Exception.__init__(self, "\n".join(lines))

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)


class RuleError(PerfkitError, ValueError):
    """A rule profile is malformed, or a rule cannot be applied."""

    exit_code = 2


class MethodError(PerfkitError):
    """A method cannot give a unique, meaningful answer (e.g. several IRRs, infeasible LP)."""


class IdentityError(MethodError):
    """A result failed an accounting identity it must satisfy (e.g. LMDI effects ≠ change)."""


class RunError(PerfkitError):
    """Executing a notebook or a batch failed."""


class Collector:
    """Gather :class:`Problem` s during a validation pass, then raise them all at once."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, rule: str, **where) -> None:
        self.problems.append(Problem(rule=rule, **where))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if len(self.problems) == 1:
            p = self.problems[0]
            raise InputError(p.rule, file=p.file, sheet=p.sheet, row=p.row, column=p.column,
                             value=p.value, argument=p.argument)
        if self.problems:
            raise InputErrors(self.problems)
