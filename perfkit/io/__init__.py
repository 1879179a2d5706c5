"""Readers of the workbook format (:mod:`perfkit.model.schema`): .xlsx files and folders of CSV
files, with Chinese or English headers, validated with every problem located."""
from __future__ import annotations

from .values import parse_bool, parse_number, parse_target, resolve_indicators
from .workbook import read_workbook

__all__ = ["read_workbook", "read_forms", "parse_number", "parse_target", "parse_bool", "resolve_indicators"]


def __getattr__(name):  # the forms reader loads only when used
    if name == "read_forms":
        from .forms import read_forms
        return read_forms
    raise AttributeError(name)
