"""Cell values as people type them on Chinese budget forms: numbers, targets, flags, choices.

Everything here is vectorised over a :class:`pandas.Series` and knows nothing about files: the
reader (:mod:`perfkit.io.workbook`) turns the issues returned here into located problems.

Conventions
-----------
* **Normalisation.** Text is NFKC-normalised first, so full-width digits, letters and symbols
  (``１２３，４５６``, ``＞＝９５％``) read as their ASCII forms, and the ideographic space counts as
  white space.
* **Percent stays in percent units.** ``"95%"`` is 95.0 with unit ``"%"`` (never 0.95), and a
  percent-formatted Excel number that shows ``95%`` (stored as 0.95) is read by the workbook reader
  as the text ``"95%"``. Per mille (``‰``) is kept likewise (``"5‰"`` → 5.0, unit ``"‰"``).
* **Units.** A trailing unit is allowed after a number (``30万元`` → 30, unit ``万元``);
  :func:`parse_number` drops it, :func:`parse_target` returns it.
* **Blank markers.** An empty cell, white space only, or a lone dash or slash (``-``, ``—``, ``/``,
  the forms' way of writing "nothing here") is blank: NaN, and not an error.
* **Directions.** ``≥ ≧ ⩾ >= => > 不低于 不少于 大于 …`` and the suffixes ``以上``/``及以上`` give ``≥``;
  ``≤ ≦ ⩽ <= =< < 不高于 不超过 低于 控制在 …`` and ``以下``/``以内`` give ``≤``; ``= == ═ ＝ 等于`` give
  ``=``. Strict ``>``/``<`` are read as ``≥``/``≤``: the scoring rules (domain.md §4.2) do not
  distinguish them.
* **Deadlines** (``2022年12月前``, ``2022年12月底前``, ``12月底前``, ``年底前``, ``2022-12-31``) are
  compared at month precision. The target's value is the month index ``year * 12 + month`` with
  direction ``≤`` and the normalised deadline ``"YYYY-MM"`` (``"--MM"`` when no year is known, the
  ISO 8601 form of a month without a year). An actual that is a date (``2022年11月``) gets the same
  index; an actual such as ``按时完成``/``已按时完成``/``如期完成`` counts as met: its value is set to the
  target's, and a blank rating becomes ``达成``; ``未按时完成``/``延期完成``/``逾期`` count as not met
  (blank rating → ``未达成``, value NaN). A dated actual fills a blank rating with ``达成`` when it
  is on or before the deadline month, else ``未达成``. Ratios of month indices mean nothing, so
  scoring should treat rows with a ``target_deadline`` as met / not met through ``rating``.
"""
from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from ..model.schema import BUDGET_TYPES, DIRECTIONS, FUND_SOURCES, FUNDING_MODES, KINDS, LEVEL1, \
    RATINGS

__all__ = ["to_text", "texts", "normalise", "parse_number", "parse_target", "parse_bool",
           "parse_choice", "parse_list", "resolve_indicators", "resolve_progress",
           "enum_variants", "BLANK_MARKERS", "ON_TIME", "LATE"]

#: cell texts that mean "nothing here" on the forms (after NFKC and trimming)
BLANK_MARKERS = frozenset({"-", "--", "---", "—", "——", "–", "/", "//", "\\", "─"})

#: actual-value texts that mean a deadline was met / missed (after NFKC, white space removed)
ON_TIME = frozenset({"按时完成", "已按时完成", "如期完成", "已如期完成", "按期完成", "已按期完成",
                     "提前完成", "已提前完成", "按时", "按期", "如期"})
LATE = frozenset({"未按时完成", "未按期完成", "未如期完成", "延期完成", "逾期完成", "延期", "逾期",
                  "未完成", "未按时", "未按期"})

_WS = re.compile(r"\s+")


# --------------------------------------------------------------------------------------------
# scalars → text
# --------------------------------------------------------------------------------------------
def to_text(v: Any) -> str | None:
    """One cell as text, the way the user reads it; ``None`` for a blank cell.

    Integral numbers lose the ``.0`` (``123.0`` → ``"123"``), other floats use the shortest
    round-tripping form, text is trimmed (``"00123"`` stays ``"00123"``), booleans become
    ``"TRUE"``/``"FALSE"`` and dates ISO text.
    """
    tv = type(v)
    if tv is str:
        v = v.strip()
        return v or None
    if v is None:
        return None
    if tv is float or tv is np.float64:
        if v != v:
            return None
        if math.isfinite(v) and v == int(v) and abs(v) < 1e16:
            return str(int(v))
        return repr(float(v))
    if tv is int:
        return str(v)
    if isinstance(v, str):
        v = v.strip()
        return v or None
    if isinstance(v, (bool, np.bool_)):
        return "TRUE" if v else "FALSE"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        return to_text(float(v))
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat(sep=" ")
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    if v is pd.NA or v is pd.NaT:
        return None
    s = str(v).strip()
    return s or None


def texts(s: pd.Series) -> pd.Series:
    """:func:`to_text` over a Series (object dtype, ``None`` for blanks)."""
    return pd.Series([(v.strip() or None) if type(v) is str else to_text(v) for v in s],
                     index=s.index, dtype=object)


@lru_cache(maxsize=65536)
def _nfkc(v: str) -> str | None:
    return unicodedata.normalize("NFKC", v).strip() or None


def normalise(s: pd.Series) -> pd.Series:
    """NFKC-normalise and trim a Series of text (``None`` stays ``None``)."""
    return pd.Series([None if (t := to_text(v)) is None else _nfkc(t) for v in s],
                     index=s.index, dtype=object)


def _none(s: pd.Series) -> pd.Series:
    """Object Series with ``None`` (not NaN) for missing values."""
    out = s.astype(object).copy()
    out[s.isna().to_numpy()] = None
    return out


@lru_cache(maxsize=65536)
def _key_str(v: str) -> str | None:
    return _WS.sub("", unicodedata.normalize("NFKC", v)).casefold() or None


def _key1(v: Any) -> str | None:
    """Matching key of one value: NFKC, no white space at all, case-folded (None if blank)."""
    t = to_text(v)
    return None if t is None else _key_str(t)


def _key(s: pd.Series) -> pd.Series:
    """:func:`_key1` over a Series."""
    return pd.Series([_key1(v) for v in s], index=s.index, dtype=object)


# --------------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------------
#: a number: optional sign, digits with optional thousands separators, decimals, exponent; then
#: an optional unit that does not start with a digit (``万元``, ``%``, ``人次``, ``m2``)
_NUM = (r"(?P<sign>[+-])?\s*"
        r"(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)"
        r"(?P<exp>[eE][+-]?[0-9]+)?")
_UNIT = r"(?P<unit>[A-Za-z]+[23]|[^0-9\s+\-.,][^0-9]*?)?"
_NUM_RE = re.compile(rf"^{_NUM}\s*{_UNIT}\s*$")


def _classify(s: pd.Series) -> np.ndarray:
    """0 blank, 1 number, 2 text, 3 anything else (bool, date …)."""
    def k(v):
        tv = type(v)
        if tv is str:
            return 2
        if v is None:
            return 0
        if tv is float or tv is int or tv is np.float64:
            return 0 if v != v else 1
        if isinstance(v, str):
            return 2
        if isinstance(v, (bool, np.bool_)):
            return 3
        if isinstance(v, numbers.Real):
            return 0 if math.isnan(float(v)) else 1
        if v is pd.NA or v is pd.NaT:
            return 0
        return 3
    return np.fromiter((k(v) for v in s), dtype=np.int8, count=len(s))


def _clean_numeric_text(t: pd.Series) -> pd.Series:
    t = t.str.normalize("NFKC").str.strip()
    return t.str.replace("\u2212", "-", regex=False)


def _number_parts(s: pd.Series) -> pd.DataFrame:
    """value (float), unit (str or None), ok (bool), blank (bool) for each cell."""
    s = _as_series(s)
    n = len(s)
    value = np.full(n, np.nan)
    ok = np.ones(n, dtype=bool)
    blank = np.zeros(n, dtype=bool)
    unit = np.full(n, None, dtype=object)
    kind = _classify(s)
    blank[kind == 0] = True
    num = kind == 1
    if num.any():
        v = np.array([float(x) for x in s.to_numpy()[num]], dtype=float)
        value[num] = v
        ok[num] = np.isfinite(v)
        value[np.flatnonzero(num)[~np.isfinite(v)]] = np.nan
    ok[kind == 3] = False
    txt = kind == 2
    if txt.any():
        t = _clean_numeric_text(pd.Series(s.to_numpy()[txt], dtype=object))
        is_blank = (t == "") | t.isin(BLANK_MARKERS)
        ext = t.str.extract(_NUM_RE)
        matched = ext["num"].notna() & ~is_blank
        nums = (ext["sign"].fillna("") + ext["num"].fillna("").str.replace(",", "", regex=False)
                + ext["exp"].fillna(""))
        vals = pd.to_numeric(nums.where(matched), errors="coerce").to_numpy(dtype=float)
        idx = np.flatnonzero(txt)
        value[idx] = vals
        blank[idx[is_blank.to_numpy()]] = True
        ok[idx] = (matched | is_blank).to_numpy() & (np.isfinite(vals) | is_blank.to_numpy())
        u = ext["unit"].where(matched).str.strip()
        unit[idx] = u.where(u.notna() & (u != ""), None).to_numpy(dtype=object)
    value[~np.isfinite(value)] = np.nan          # "1e400" is not a number: NaN, not infinity
    return pd.DataFrame({"value": value, "unit": unit, "ok": ok, "blank": blank}, index=s.index)


def parse_number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse numbers as people type them.

    Parameters
    ----------
    s : Series
        Cell values: Excel numbers (used as they are), or text such as ``1,234.5``,
        ``１２３，４５６``, `` 42 ``, ``95%``, ``30万元``.

    Returns
    -------
    value : Series of float
        NaN for blank cells (see ``BLANK_MARKERS``) and for cells that are not numbers.
    ok : Series of bool
        False where the cell holds something that is not a number (``abc``, ``≥95``, ``1-2``,
        a boolean, infinity); True for numbers and blanks.

    Notes
    -----
    Percent stays in percent units: ``"95%"`` gives 95.0. A trailing unit is dropped
    (``30万元`` → 30.0); :func:`parse_target` keeps it. Thousands separators must group by three
    (``1,234``); ``1,2`` is not a number.
    """
    p = _number_parts(s)
    return p["value"].rename(getattr(s, "name", None)), p["ok"].rename(getattr(s, "name", None))


def _as_series(s) -> pd.Series:
    if isinstance(s, pd.Series):
        return s.astype(object) if s.dtype != object else s
    return pd.Series(list(s) if not isinstance(s, (str, bytes)) else [s], dtype=object)


# --------------------------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------------------------
_GE_WORDS = ("大于或等于", "大于等于", "不低于", "不少于", "不小于", "不得低于", "不得少于", "大于",
             "高于", "多于", "超过", "至少", "达到")
_LE_WORDS = ("小于或等于", "小于等于", "不高于", "不超过", "不多于", "不大于", "不得高于", "不得超过",
             "控制在", "小于", "低于", "少于", "至多")
_EQ_WORDS = ("等于",)
_PREFIX = {**{w: "≥" for w in (">=", "=>", "≥", "≧", "⩾", ">", *_GE_WORDS)},
           **{w: "≤" for w in ("<=", "=<", "≤", "≦", "⩽", "<", *_LE_WORDS)},
           **{w: "=" for w in ("==", "=", "═", *_EQ_WORDS)}}
_PREFIX_RE = re.compile(
    "^(?P<dir>" + "|".join(re.escape(w) for w in sorted(_PREFIX, key=len, reverse=True))
    + r")?\s*(?P<rest>.*?)$", re.S)
_SUFFIX = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤"}
_SUFFIX_RE = re.compile(r"^(?P<rest>.*?)\s*(?:\((?:含|含本数)\))?\s*(?P<suf>"
                        + "|".join(sorted(_SUFFIX, key=len, reverse=True))
                        + r")?\s*(?:\((?:含|含本数)\))?$", re.S)

# deadlines (matched on text with all white space removed); tail: no digits, nothing "after"
_TAIL = r"(?P<tail>[^0-9]*)"
_DEADLINE_RES: tuple[tuple[re.Pattern, Any], ...] = (
    (re.compile(r"^(?:于|在|截至|截止|截止到|到)?(?:(?P<y>[0-9]{4})年)?(?P<m>[0-9]{1,2})月份?"
                r"(?:(?P<d>[0-9]{1,2})[日号])?" + _TAIL + "$"), None),
    (re.compile(r"^(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})(?:[-/](?P<d>[0-9]{1,2}))?"
                r"(?:T?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?" + _TAIL + "$"), None),
    (re.compile(r"^(?P<y>[0-9]{4})\.(?P<m>[0-9]{1,2})(?P<tail>(?:底|末)?(?:之前|以前|前)[^0-9]*)$"),
     None),
    (re.compile(r"^(?:(?P<y>[0-9]{4})年|本年|当年|年)度?(?:底|末|内)" + _TAIL + "$"), 12),
    (re.compile(r"^(?:(?P<y>[0-9]{4})年)?上半年" + _TAIL + "$"), 6),
    (re.compile(r"^(?:(?P<y>[0-9]{4})年)?下半年" + _TAIL + "$"), 12),
    (re.compile(r"^(?:(?P<y>[0-9]{4})年)?第?(?P<q>[一二三四1-4])季度" + _TAIL + "$"), "q"),
)
_BAD_TAIL = re.compile(r"后|起|以来|开始")
_QUARTER = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_DIGIT = re.compile(r"[0-9]")


def _year_series(year, index) -> pd.Series:
    if year is None:
        return pd.Series(np.nan, index=index)
    if isinstance(year, pd.Series):
        return pd.to_numeric(year, errors="coerce").reindex(index).astype(float)
    return pd.Series(float(year), index=index)


def _deadlines(t: pd.Series) -> pd.DataFrame:
    """year (float), month (float) for texts that are deadlines; NaN elsewhere."""
    y = pd.Series(np.nan, index=t.index)
    m = pd.Series(np.nan, index=t.index)
    todo = t.notna()
    for rx, month in _DEADLINE_RES:
        if not todo.any():
            break
        ext = t[todo].str.extract(rx)
        hit = ext["tail"].notna() & ~ext["tail"].fillna("").str.contains(_BAD_TAIL)
        hit = hit[hit]
        if hit.empty:
            continue
        e = ext.loc[hit.index]
        if month is None:
            mm = pd.to_numeric(e["m"], errors="coerce")
        elif month == "q":
            mm = e["q"].map(_QUARTER).astype(float)
        else:
            mm = pd.Series(float(month), index=e.index)
        m.loc[e.index] = mm
        y.loc[e.index] = pd.to_numeric(e["y"], errors="coerce")
        todo.loc[e.index] = False
    return pd.DataFrame({"year": y, "month": m})


def parse_target(s: pd.Series, *, year: int | pd.Series | None = None) -> pd.DataFrame:
    """Parse indicator values (年度指标值 / 实际完成值) as printed on the forms.

    Parameters
    ----------
    s : Series
        Cell values: ``≥95%``, ``≧735人次``, ``═100%``, ``≤30万元``, ``>=90``, ``＞＝９５％``,
        ``100%``, ``95``, ``≥ 1,200 户``, ``按时完成``, ``2022年12月底前``, ``较上年提高``, ``0起`` …
    year : int or Series, optional
        The budget year of each row, used for deadlines that omit the year (``12月底前``).

    Returns
    -------
    DataFrame with the index of ``s`` and columns

    ``direction``
        ``"≥"``, ``"≤"``, ``"="`` from a symbol or word in the text, ``"≤"`` for deadlines,
        else None (a bare number carries no direction).
    ``value``
        the number (percent in percent units); for deadlines the month index
        ``year * 12 + month`` (NaN when the year is unknown); NaN for qualitative text.
    ``unit``
        the unit printed after the number (``%``, ``万元``, ``人次``), or None.
    ``qualitative``
        True for text without any number (``按时完成``, ``较上年提高``, ``有所提升``).
    ``deadline``
        ``"YYYY-MM"`` (or ``"--MM"`` without a year) for deadlines, else None.
    ``ok``
        False for text perfkit cannot read (``较上年提高5%``, ``90%-100%``, ``≥ abc1``);
        blanks are ok.
    """
    s = _as_series(s)
    txt = texts(s)
    codes, uniq = pd.factorize(txt, use_na_sentinel=True)
    u = _parse_target_texts(pd.Series(np.asarray(uniq, dtype=object), dtype=object))
    take = np.where(codes < 0, len(u), codes)
    blank_row = pd.DataFrame({"direction": [None], "value": [np.nan], "unit": [None],
                              "qualitative": [False], "deadline": [None], "ok": [True]})
    out = pd.concat([u, blank_row], ignore_index=True).iloc[take].set_axis(s.index)
    out = out.astype({"value": float, "qualitative": bool, "ok": bool})
    # deadlines printed without a year (``12月底前``) take the row's budget year
    noyear = out["deadline"].str.startswith("--", na=False)
    if noyear.any() and year is not None:
        yr = _year_series(year, s.index)
        fill = noyear & yr.notna()
        month = out.loc[fill, "deadline"].str[2:].astype(int)
        y = yr[fill].astype(int)
        out.loc[fill, "value"] = (y * 12 + month).astype(float)
        out.loc[fill, "deadline"] = [f"{a:04d}-{b:02d}" for a, b in zip(y, month)]
    return out


def _parse_target_texts(s: pd.Series) -> pd.DataFrame:
    """:func:`parse_target` of distinct, trimmed texts (None for blanks), without the year."""
    idx = s.index
    n = len(s)
    direction = pd.Series([None] * n, index=idx, dtype=object)
    value = pd.Series(np.nan, index=idx)
    unit = pd.Series([None] * n, index=idx, dtype=object)
    qualitative = pd.Series(False, index=idx)
    deadline = pd.Series([None] * n, index=idx, dtype=object)
    ok = pd.Series(True, index=idx)

    txt = s.notna().to_numpy()
    t = _clean_numeric_text(pd.Series(s.to_numpy()[txt], index=idx[txt], dtype=object))
    blank = (t == "") | t.isin(BLANK_MARKERS)
    t = t[~blank]

    pre = t.str.extract(_PREFIX_RE)
    d_pre = pre["dir"].map(_PREFIX)
    suf = pre["rest"].fillna("").str.extract(_SUFFIX_RE)
    d_suf = suf["suf"].map(_SUFFIX)
    rest = suf["rest"].fillna("").str.strip()
    conflict = d_pre.notna() & d_suf.notna() & (d_pre != d_suf)
    d = d_pre.fillna(d_suf)

    # 1) deadlines first (``2022年12月前`` would otherwise read as 2022 with unit 年12月前)
    compact = rest.str.replace(_WS, "", regex=True)
    dl = _deadlines(compact)
    is_dl = dl["month"].notna()
    yr = dl["year"]
    good_dl = is_dl & dl["month"].between(1, 12) & (yr.isna() | yr.between(1900, 2200))
    dl_dir_bad = is_dl & d.notna() & (d != "≤")
    if is_dl.any():
        ii = is_dl[is_dl].index
        ym = yr[ii] * 12 + dl["month"][ii]
        value[ii] = ym
        deadline[ii] = [
            (f"{int(y):04d}-{int(mo):02d}" if not math.isnan(y) else f"--{int(mo):02d}")
            for y, mo in zip(yr[ii], dl["month"][ii])]
        direction[ii] = "≤"
        ok[ii] = (good_dl & ~dl_dir_bad & ~conflict)[ii]

    # 2) numbers with an optional direction and unit
    nd = ~is_dl
    ext = rest[nd].str.extract(_NUM_RE)
    matched = ext["num"].notna()
    nums = (ext["sign"].fillna("") + ext["num"].fillna("").str.replace(",", "", regex=False)
            + ext["exp"].fillna(""))
    vals = pd.to_numeric(nums.where(matched), errors="coerce")
    mi = matched[matched].index
    value[mi] = vals[mi].where(np.isfinite(vals[mi]))     # "1e400": NaN, not infinity
    u = ext["unit"].str.strip()
    u = u.where(u.notna() & (u != ""), None)
    unit[mi] = u[mi]
    direction[mi] = d[mi].where(d[mi].notna(), None)
    ok[mi] = (~conflict[mi]) & np.isfinite(vals[mi])

    # 3) text without any digit: qualitative; anything else is unreadable
    rest_nd = rest[nd & ~matched.reindex(rest.index, fill_value=False)]
    has_digit = rest_nd.str.contains(_DIGIT)
    qi = has_digit[~has_digit].index
    qualitative[qi] = True
    ok[has_digit[has_digit].index] = False
    return pd.DataFrame({"direction": _none(direction), "value": value.astype(float),
                         "unit": _none(unit), "qualitative": qualitative.astype(bool),
                         "deadline": _none(deadline), "ok": ok.astype(bool)})


# --------------------------------------------------------------------------------------------
# flags, choices, lists
# --------------------------------------------------------------------------------------------
_TRUE = {"是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "对", "有"}
_FALSE = {"否", "n", "no", "false", "f", "0", "×", "✗", "✘", "无", "不是"}


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """是/否, Y/N, yes/no, true/false, 1/0, √/× (and Excel booleans) → (nullable boolean, ok)."""
    s = _as_series(s)
    k = _key(s)
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[k.isin(_TRUE)] = True
    out[k.isin(_FALSE)] = False
    blank = k.isna() | k.isin(BLANK_MARKERS)
    ok = blank | out.notna()
    out[blank] = pd.NA
    return out, ok.astype(bool)


_ENUM_VARIANTS: dict[tuple[str, ...], dict[str, str]] = {
    DIRECTIONS: {
        **{v: "≥" for v in (">=", "=>", "≧", "⩾", ">", "正向", "正向指标", "越大越好", "大于等于",
                            "不低于", "不少于", "positive", "ge", ">=(正向)")},
        **{v: "≤" for v in ("<=", "=<", "≦", "⩽", "<", "反向", "反向指标", "越小越好", "小于等于",
                            "不高于", "不超过", "reverse", "negative", "le")},
        **{v: "=" for v in ("==", "═", "等于", "相等", "equal", "eq")},
        **{v: "定性" for v in ("定性指标", "qualitative")},
    },
    KINDS: {"定量指标": "定量", "定性指标": "定性", "quantitative": "定量", "qualitative": "定性"},
    RATINGS: {"已达成": "达成", "达成年度指标": "达成", "部分达成年度指标": "部分达成",
              "未达成年度指标": "未达成", "met": "达成", "partlymet": "部分达成",
              "notmet": "未达成"},
    LEVEL1: {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标", "output": "产出指标",
             "outputs": "产出指标", "outcome": "效益指标", "outcomes": "效益指标",
             "satisfaction": "满意度指标"},
    FUND_SOURCES: {**{f"其中:{c}": c for c in FUND_SOURCES}, "财政拨款": "当年财政拨款",
                   "当年财政拨款资金": "当年财政拨款", "上年结转": "上年结转资金",
                   "其他": "其他资金", "其中:其他": "其他资金"},
    BUDGET_TYPES: {"政府基金预算": "政府性基金预算", "社保基金预算": "社会保险基金预算",
                   "国有资本预算": "国有资本经营预算"},
    FUNDING_MODES: {"政府和社会资本合作": "PPP"},
}


def enum_variants(choices: Iterable[str]) -> dict[str, str]:
    """Matching key → canonical choice, for a schema column's choices plus known variants."""
    return dict(_enum_variants(tuple(choices)))


@lru_cache(maxsize=64)
def _enum_variants(choices: tuple[str, ...]) -> dict[str, str]:
    out = {_key1(c): c for c in choices}
    for v, c in _ENUM_VARIANTS.get(choices, {}).items():
        out.setdefault(_key1(v), c)
    return out


def parse_choice(s: pd.Series, choices: Iterable[str] | Mapping[str, str]
                 ) -> tuple[pd.Series, pd.Series]:
    """Map cells to canonical choices (NFKC, white space and case ignored, known variants such as
    ``>=``/``正向`` → ``≥`` accepted) → (canonical or None, ok)."""
    s = _as_series(s)
    table = choices if isinstance(choices, Mapping) else enum_variants(choices)
    k = _key(s)
    out = k.map(table)
    blank = k.isna() | k.isin(BLANK_MARKERS)
    ok = blank | out.notna()
    return _none(out), ok.astype(bool)


_LIST_SEP = re.compile(r"[;、,/|\s]+")


def parse_list(s: pd.Series, choices: Iterable[str]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Flags separated by ``;`` ``；`` ``、`` ``,`` ``/`` or spaces → (tuple of canonical flags,
    ok, the unknown flags joined by ``、`` or None)."""
    s = _as_series(s)
    table = enum_variants(choices)
    t = normalise(s)
    out, ok, bad = [], [], []
    for v in t:
        if v is None or v in BLANK_MARKERS:
            out.append(())
            ok.append(True)
            bad.append(None)
            continue
        parts = [p for p in _LIST_SEP.split(v) if p]
        mapped = [table.get(p.casefold()) for p in parts]
        unknown = [p for p, m in zip(parts, mapped) if m is None]
        out.append(tuple(dict.fromkeys(m for m in mapped if m is not None)))
        ok.append(not unknown)
        bad.append("、".join(unknown) if unknown else None)
    return (pd.Series(out, index=s.index, dtype=object), pd.Series(ok, index=s.index),
            pd.Series(bad, index=s.index, dtype=object))


# --------------------------------------------------------------------------------------------
# indicators: target × actual × direction × kind × rating
# --------------------------------------------------------------------------------------------
def resolve_indicators(target: pd.Series, actual: pd.Series, *, direction: pd.Series,
                       unit: pd.Series, kind: pd.Series, rating: pd.Series,
                       year: pd.Series | int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the target and actual texts of indicator rows and reconcile them with the explicit
    direction / unit / kind / rating columns.

    Parameters
    ----------
    target, actual : Series
        Raw cells of 年度指标值 and 实际完成值.
    direction, kind, rating : Series
        Canonical choices already parsed (None where blank).
    unit : Series
        The 计量单位 column (None where blank).
    year : Series or int, optional
        Budget year of each row (for deadlines without a year).

    Returns
    -------
    resolved : DataFrame
        ``target_value``, ``actual_value`` (floats), ``target_deadline`` (``"YYYY-MM"`` or None),
        ``direction`` (explicit, else from the target text, else ``定性`` for qualitative text),
        ``unit`` (explicit, else from the target text), ``kind`` (explicit, else ``定性`` for a
        qualitative target or direction, ``定量`` when a number or deadline was read) and
        ``rating`` (explicit, else filled for deadline targets, see the module notes).
    issues : DataFrame
        One row per issue: ``index`` (row label), ``column`` (canonical column), ``value``,
        ``rule`` and ``severity`` (``"error"`` — a problem of the input — or ``"note"``).

    Notes
    -----
    Errors: a target that cannot be read (unless the indicator is 定性); an explicit direction
    that contradicts the symbol in the target text (``≥`` vs ``≤30万元``); an explicit 定量 kind
    with a qualitative target; an actual that cannot be read; a qualitative actual (``已完成``)
    for a quantitative, non-deadline target without a 定性评级; a date as the actual of a target
    that is not a deadline. Notes: a unit column that differs from the unit in the target text;
    an actual that looks like a fraction (0.96) against a percent target (≥95%).
    """
    idx = target.index
    t = parse_target(target, year=year)
    a = parse_target(actual, year=year)
    direction = direction.reindex(idx)
    kind = kind.reindex(idx)
    rating = rating.reindex(idx).astype(object)
    unit_col = normalise(unit.reindex(idx))
    issues: list[dict] = []

    def issue(mask, column, values, rule, severity="error"):
        mask = mask.fillna(False).astype(bool)
        for i in mask[mask].index:
            r = rule[i] if isinstance(rule, pd.Series) else rule
            issues.append({"index": i, "column": column, "value": values.get(i), "rule": r,
                           "severity": severity})

    t_txt = texts(target)
    a_txt = texts(actual)
    explicit_qual = (direction == "定性") | (kind == "定性")
    issue(~t["ok"] & ~explicit_qual, "target", t_txt,
          "target not understood: write a number with ≥/≤/= and a unit (≥95%, ≤30万元), a "
          "deadline (2022年12月底前), or mark the indicator 定性 and give a 定性评级")
    sym = direction.isin(["≥", "≤", "="]) & t["direction"].notna() & \
        (direction != t["direction"])
    issue(sym, "direction", direction,
          "direction conflicts with the symbol in the target text (" + t_txt.fillna("")
          + " in 年度指标值)")

    d_out = direction.where(direction.notna(), t["direction"])
    d_out = d_out.where(d_out.notna() | ~t["qualitative"], "定性")

    has_num = t["value"].notna() | t["deadline"].notna()
    k_in = kind
    k_out = k_in.where(k_in.notna(), None)
    infer = k_in.isna()
    k_out[infer & ((d_out == "定性") | t["qualitative"])] = "定性"
    k_out[infer & k_out.isna() & has_num] = "定量"
    issue((k_in == "定量") & t["qualitative"], "kind", k_in,
          "a 定量 indicator needs a numeric target (年度指标值 is text)")
    issue((k_in == "定量") & (direction == "定性"), "kind", k_in,
          "指标类型 定量 contradicts 指标方向 定性")
    d_out[(d_out.isna()) & (k_out == "定性")] = "定性"

    u_txt = t["unit"]
    differs = unit_col.notna() & u_txt.notna() & (unit_col != u_txt)
    issue(differs, "unit", unit_col, "计量单位 differs from the unit in the target text", "note")
    u_out = unit_col.where(unit_col.notna(), u_txt)

    quant = k_out == "定量"
    is_dl = t["deadline"].notna()
    target_value = t["value"].where(quant)
    actual_value = a["value"].copy()
    r_out = rating.copy()
    has_rating = rating.notna()

    # deadline targets: met / not met
    a_key = _key(actual)
    dl = quant & is_dl
    dated = dl & a["deadline"].notna()
    met = dated & (a["value"] <= t["value"])
    r_out[dated & ~has_rating & met] = "达成"
    r_out[dated & ~has_rating & ~met & a["value"].notna() & t["value"].notna()] = "未达成"
    on_time = dl & a_key.isin(ON_TIME)
    late = dl & a_key.isin(LATE)
    actual_value[on_time] = t["value"][on_time]
    actual_value[late] = np.nan
    r_out[on_time & ~has_rating] = "达成"
    r_out[late & ~has_rating] = "未达成"
    dl_other = dl & a_txt.notna() & ~dated & ~on_time & ~late & ~has_rating
    issue(dl_other, "actual", a_txt,
          "the actual of a deadline target must be a date (2022年11月) or 按时完成/未按时完成, "
          "or give a 定性评级")

    # quantitative, not a deadline
    qn = quant & ~is_dl
    issue(qn & a["qualitative"] & ~has_rating, "actual", a_txt,
          "a qualitative actual for a quantitative target needs a 定性评级 (达成/部分达成/未达成)")
    issue(qn & a["deadline"].notna(), "actual", a_txt,
          "the actual is a date but the target is not a deadline")
    actual_value[qn & a["deadline"].notna()] = np.nan
    issue(~a["ok"] & ~(dl & has_rating) & ~explicit_qual, "actual", a_txt,
          "actual not understood: write a number (96%, 1250), or give a 定性评级")
    frac = qn & (u_out == "%") & a["unit"].isna() & d_out.isin(["≥", "="]) & \
        (t["value"] >= 50) & (a["value"] > 0) & (a["value"] <= 1)
    issue(frac, "actual", a_txt,
          "the actual looks like a fraction but the target is in percent (read as percent "
          "points)", "note")
    a_unit_diff = qn & a["unit"].notna() & u_out.notna() & (a["unit"] != u_out)
    issue(a_unit_diff, "actual", a_txt, "unit of the actual differs from the target's unit",
          "note")

    resolved = pd.DataFrame({
        "target_value": target_value.astype(float),
        "actual_value": actual_value.astype(float),
        "target_deadline": _none(t["deadline"].where(quant & is_dl)),
        "direction": _none(d_out),
        "unit": _none(u_out),
        "kind": _none(k_out),
        "rating": _none(r_out),
    }, index=idx)
    iss = pd.DataFrame(issues, columns=["index", "column", "value", "rule", "severity"])
    return resolved, iss


# --------------------------------------------------------------------------------------------
# in-year progress of indicators (绩效监控表: 1–N月执行情况, 全年预计完成情况)
# --------------------------------------------------------------------------------------------
def resolve_progress(values: pd.Series, *, target_value: pd.Series, target_deadline: pd.Series,
                     kind: pd.Series, direction: pd.Series, unit: pd.Series,
                     year: pd.Series | int | None = None) -> tuple[pd.Series, pd.DataFrame]:
    """Read the progress to date (1–N月执行情况) or the expected full-year value (全年预计完成值)
    of indicators, against the indicators' resolved targets.

    Parameters
    ----------
    values : Series
        Raw cells as printed: ``1250``, ``24万平方米``, ``96%``, ``按时完成``, ``2024年5月``,
        ``按计划推进``.
    target_value, target_deadline, kind, direction, unit : Series
        The indicator's target as :func:`resolve_indicators` resolved it (aligned with
        ``values``; NaN/None where the indicator is unknown).
    year : Series or int, optional
        Budget year of each row (for dates without a year).

    Returns
    -------
    value : Series of float
        The number read (percent in percent units). For a deadline target: a date gives its
        month index (``year * 12 + month``, comparable with the target), an on-time word
        (:data:`ON_TIME`) the target's value, a late word (:data:`LATE`) NaN. Text without a
        number (``按计划推进``, ``进度滞后``) is a valid status without a value: NaN.
    issues : DataFrame
        ``index``, ``column`` (always ``"value"``), ``value``, ``rule``, ``severity`` (``error``
        or ``note``), as :func:`resolve_indicators` returns them.

    Notes
    -----
    Errors: text perfkit cannot read (``90%-100%``, ``较上年提高5%``); a date where the target
    is not a deadline. Notes: a unit that differs from the indicator's unit; a fraction (0.96)
    against a percent target (read as percent points, as for 实际完成值).
    """
    idx = values.index
    values = _as_series(values)
    # plain numbers (1250, 96%, 24万平方米: most cells) are read as numbers; only the rest
    # (dates, 按时完成, ≥95%, 按计划推进 …) goes through parse_target
    nums = _number_parts(values)
    dateish = nums["unit"].fillna("").str.contains("[年月日季]", regex=True)
    plain = (nums["ok"] & ~nums["blank"] & ~dateish).to_numpy()
    p = pd.DataFrame({"direction": None, "value": nums["value"].where(plain),
                      "unit": nums["unit"].where(plain, None), "qualitative": False,
                      "deadline": None, "ok": True}, index=idx)
    rest = ~plain & ~nums["blank"].to_numpy()
    if rest.any():
        yr = year[rest] if isinstance(year, pd.Series) else year
        parsed = parse_target(values[rest], year=yr)
        p = pd.concat([p[~rest], parsed]).reindex(idx)
    p = p.astype({"value": float, "ok": bool, "qualitative": bool})
    is_txt = pd.Series(rest, index=idx)
    txt = texts(values)
    tv = pd.to_numeric(target_value.reindex(idx), errors="coerce").astype(float)
    is_dl = target_deadline.reindex(idx).notna()
    kind = kind.reindex(idx)
    direction = direction.reindex(idx)
    u_ind = normalise(unit.reindex(idx))
    value = p["value"].astype(float).copy()
    issues: list[dict] = []

    def issue(mask, rule, severity="error"):
        mask = mask.fillna(False).astype(bool)
        for i in mask[mask].index:
            issues.append({"index": i, "column": "value", "value": txt.get(i), "rule": rule,
                           "severity": severity})

    key = pd.Series(None, index=idx, dtype=object)
    key[is_txt] = _key(values[is_txt])
    on_time = is_dl & key.isin(ON_TIME)
    value[on_time] = tv[on_time]
    value[is_dl & key.isin(LATE)] = np.nan
    dated = p["deadline"].notna()
    issue(dated & ~is_dl & (kind != "定性"),
          "the value is a date but the indicator's target is not a deadline")
    value[dated & ~is_dl] = np.nan
    issue(~p["ok"], "value not understood: write a number (96%, 1250), a date for a deadline "
          "(2024年5月), or a short text (按计划推进)")
    quant = kind == "定量"
    u_val = p["unit"]
    issue(quant & ~is_dl & u_val.notna() & u_ind.notna() & (u_val != u_ind),
          "unit differs from the indicator's unit", "note")
    frac = quant & (u_ind == "%") & u_val.isna() & direction.isin(["≥", "="]) & (tv >= 50) & \
        (value > 0) & (value <= 1)
    issue(frac, "the value looks like a fraction but the target is in percent (read as percent "
          "points)", "note")
    iss = pd.DataFrame(issues, columns=["index", "column", "value", "rule", "severity"])
    return value.rename(getattr(values, "name", None)), iss
