"""A fork server preloads the CJK font once; each forked process subsets its own copy, and the
subset is the same, byte for byte, as from the file."""
from __future__ import annotations

import io
import os
import pickle

import pytest

from perfkit.report import fonts
from perfkit.report import html as H

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

TEXT = "项目支出绩效自评报告 Project self-evaluation 0.5% —（一）"


@pytest.fixture
def preloaded():
    fonts.preload_cjk_font()
    yield
    fonts._PRELOADED.clear()


def _in_child(fn):
    """Run ``fn`` in a forked child; return what it returned (or raise what it raised)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                                    # pragma: no cover - the child
        try:
            out = pickle.dumps(("ok", fn()))
        except BaseException as e:  # noqa: BLE001
            out = pickle.dumps(("raised", repr(e)))
        os.write(w, out)
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 1 << 16):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    tag, value = pickle.loads(data)
    assert tag == "ok", value
    return value


def _source(font) -> str:
    f = font.reader.file
    return "memory" if isinstance(f, io.BytesIO) else "file"


def test_the_preloaded_font_goes_to_the_first_subset_of_each_child(preloaded):
    def child():
        first = fonts.cjk_font_for_subsetting()
        decompiled = first.isLoaded("CFF ") and first.isLoaded("GSUB")
        return _source(first), decompiled, _source(fonts.cjk_font_for_subsetting())

    assert _in_child(child) == ("memory", True, "file")
    assert _in_child(child) == ("memory", True, "file")    # every child has its own copy
    # the process that preloaded never hands its copy out
    assert _source(fonts.cjk_font_for_subsetting()) == "file"
    assert fonts._PRELOADED["font"].isLoaded("cmap")


def test_the_subset_of_a_preloaded_font_is_byte_identical(preloaded):
    H._font_face.cache_clear()
    expected = H._font_face(TEXT)                   # from the file, in this process
    assert "@font-face" in expected and len(expected) > 5000

    def child():
        H._font_face.cache_clear()
        return H._font_face(TEXT), fonts._PRELOADED == {}

    face, consumed = _in_child(child)
    assert face == expected and consumed
    H._font_face.cache_clear()


def test_without_preloading_fonts_come_from_the_file():
    fonts._PRELOADED.clear()
    assert _source(fonts.cjk_font_for_subsetting()) == "file"
    assert _in_child(lambda: _source(fonts.cjk_font_for_subsetting())) == "file"
