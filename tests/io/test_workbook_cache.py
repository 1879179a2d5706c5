"""The read cache of :mod:`perfkit.io.workbook`: prime_cache, cached_workbooks, clear_cache."""
from __future__ import annotations

import warnings

import pytest

from perfkit.errors import InputError
from perfkit.io import read_workbook
from perfkit.io import workbook as W
from perfkit.io.workbook import cached_workbooks, clear_cache, prime_cache

from .conftest import write_csv, write_xlsx


@pytest.fixture(autouse=True)
def empty_cache():
    clear_cache()
    yield
    clear_cache()


def test_prime_then_read_returns_the_primed_workbook(tmp_path, tables):
    path = write_xlsx(tmp_path / "d.xlsx", tables)
    assert cached_workbooks() == []
    assert prime_cache(path) is True
    assert cached_workbooks() == [(str(path.resolve()), None)]
    wb = read_workbook(path)
    assert read_workbook(path) is wb
    assert wb.projects["project_id"].tolist() == ["00123", "P2"]
    assert prime_cache(path) is True                    # already there: nothing read again
    assert read_workbook(path) is wb


def test_years_selections_are_kept_apart(tmp_path, tables):
    folder = write_csv(tmp_path / "csv", tables)
    assert prime_cache(folder, years=[2022]) and prime_cache(folder)
    assert cached_workbooks() == [(str(folder.resolve()), (2022,)),
                                  (str(folder.resolve()), None)]
    assert read_workbook(folder, years=[2022]) is not read_workbook(folder)


def test_clear_cache_of_one_path_or_all(tmp_path, tables):
    a = write_xlsx(tmp_path / "a.xlsx", tables)
    b = write_csv(tmp_path / "b", tables)
    prime_cache(a)
    prime_cache(a, years=2022)
    prime_cache(b)
    first = read_workbook(a)
    assert clear_cache(a) == 2
    assert cached_workbooks() == [(str(b.resolve()), None)]
    assert read_workbook(a) is not first                 # read again
    assert clear_cache(tmp_path / "nothing.xlsx") == 0
    assert clear_cache() == 2 and cached_workbooks() == []


def test_a_workbook_whose_reading_warns_is_not_cached(tmp_path, tables, monkeypatch):
    path = write_xlsx(tmp_path / "w.xlsx", tables)
    real = W._read_workbook

    def warns(*a, **k):
        warnings.warn("something odd in the file", UserWarning)
        return real(*a, **k)

    monkeypatch.setattr(W, "_read_workbook", warns)
    assert prime_cache(path) is False
    assert cached_workbooks() == []
    with pytest.warns(UserWarning, match="something odd"):   # the reader's caller sees it
        read_workbook(path)


def test_prime_cache_raises_as_the_reader_does(tmp_path, tables):
    with pytest.raises(InputError, match="no such file"):
        prime_cache(tmp_path / "missing.xlsx")
    tables["projects"][2][0] = None                       # a project without its id
    path = write_xlsx(tmp_path / "bad.xlsx", tables)
    with pytest.raises(InputError):
        prime_cache(path)
    assert cached_workbooks() == []


def test_the_cache_holds_at_most_four(tmp_path, tables):
    paths = [write_csv(tmp_path / f"c{i}", tables) for i in range(5)]
    for p in paths:
        assert prime_cache(p)
    assert [c[0] for c in cached_workbooks()] == [str(p.resolve()) for p in paths[1:]]
