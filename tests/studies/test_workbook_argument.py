"""A study takes its workbook explicitly: the demo district is the notebooks' default, not the
study's (studies sit below perfkit.run; see tests/test_layering.py)."""
from __future__ import annotations

import inspect

import pytest

from perfkit.errors import InputError
from perfkit.studies import benchmarking_study, factor_study


@pytest.mark.parametrize("study", [benchmarking_study, factor_study])
def test_the_workbook_is_required(study):
    assert inspect.signature(study).parameters["workbook"].default is inspect.Parameter.empty
    with pytest.raises(TypeError):
        study()


@pytest.mark.parametrize("study", [benchmarking_study, factor_study])
@pytest.mark.parametrize("value", [None, "", "  ", 3, True])
def test_no_workbook_is_an_input_error_naming_the_argument(study, value):
    with pytest.raises(InputError, match="a study needs a workbook") as e:
        study(value)
    assert e.value.argument == "workbook"


def test_a_missing_file_is_reported_by_the_reader(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        factor_study(tmp_path / "nowhere.xlsx")
