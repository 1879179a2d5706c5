"""What the warm server fills before forking: caches only, nothing a report could see."""
from __future__ import annotations

import gc
import importlib.util
import os
import warnings

import matplotlib as mpl
import pytest

from perfkit.io import workbook as W
from perfkit.io.workbook import cached_workbooks, clear_cache
from perfkit.run import warm
from tests.io.conftest import base_tables, write_xlsx


@pytest.fixture(autouse=True)
def no_gc_freeze(monkeypatch):
    """The server freezes its objects after priming; this test process must not."""
    monkeypatch.setattr(gc, "freeze", lambda: None)


def test_every_preloaded_module_exists():
    missing = [m for m in warm.PRELOAD if importlib.util.find_spec(m) is None]
    assert missing == []


def test_warm_up_fills_caches_and_changes_no_setting(tmp_path, monkeypatch):
    from matplotlib import font_manager

    from perfkit.report import fonts
    from perfkit.report import html as H

    H._exporter.cache_clear()
    rc = dict(mpl.rcParams)
    env, cwd = dict(os.environ), os.getcwd()
    try:
        warm._warm_up()
        assert dict(mpl.rcParams) == rc                 # set inside rc_context, restored
        assert dict(os.environ) == env and os.getcwd() == cwd
        assert H._exporter.cache_info().currsize == 1   # the exporter every report reuses
        assert any(f.name == fonts.CJK_FAMILY for f in font_manager.fontManager.ttflist)
        assert fonts._PRELOADED["pid"] == os.getpid()   # for the children to subset
        assert fonts._PRELOADED["font"].isLoaded("GSUB")
    finally:
        fonts._PRELOADED.clear()


def test_priming_caches_a_workbook_once(tmp_path):
    clear_cache()
    path = write_xlsx(tmp_path / "d.xlsx", base_tables())
    primed: set = set()
    warm._prime_workbook(str(path), primed)
    assert cached_workbooks() == [(str(path.resolve()), None)] and len(primed) == 1
    warm._prime_workbook(str(tmp_path / "missing.xlsx"), primed)    # ignored
    assert len(primed) == 1
    clear_cache()


def test_a_workbook_that_warns_is_left_to_the_reports(tmp_path, monkeypatch):
    clear_cache()
    path = write_xlsx(tmp_path / "w.xlsx", base_tables())
    calls = []
    real = W._read_workbook

    def warns(*a, **k):
        calls.append(1)
        warnings.warn("odd", UserWarning)
        return real(*a, **k)

    monkeypatch.setattr(W, "_read_workbook", warns)
    primed: set = set()
    warm._prime_workbook(str(path), primed)
    warm._prime_workbook(str(path), primed)          # not tried twice
    assert cached_workbooks() == [] and calls == [1]
    bad = write_xlsx(tmp_path / "bad.xlsx", {"projects": [["project_id"], ["P1"]]})
    monkeypatch.setattr(W, "_read_workbook", real)
    warm._prime_workbook(str(bad), primed)           # invalid: the report will say why
    assert cached_workbooks() == []


@pytest.mark.parametrize("kind", ["notebook", "report"])
def test_prime_only_reads_the_workbook_of_a_report(kind, tmp_path):
    clear_cache()
    path = write_xlsx(tmp_path / "d.xlsx", base_tables())
    task = {"kind": kind, "args": {"spec": {"parameters": {"workbook": str(path)}}}}
    warm._prime(task, set())
    assert len(cached_workbooks()) == (1 if kind == "report" else 0)
    clear_cache()
