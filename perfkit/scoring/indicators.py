"""Indicator score functions of domain.md §4.2, vectorised over a whole indicator table.

Input columns (canonical, as :func:`perfkit.io.read_workbook` produces them): ``direction``
(≥ ≤ = 定性), ``kind``, ``target_value``, ``actual_value``, ``weight``, ``rating``, ``awarded``,
``not_applicable`` and optionally ``deadline`` (target is a deadline: values are year*12+month).

Output adds ``rule`` (which score function applied), ``fraction`` (score / weight), ``score``,
``explanation`` (Chinese) and ``explanation_en``, ``overshoot`` (bool), ``awarded_diff`` and
``flags`` (a ';'-joined string of flag codes). Scores are full precision; rounding is for reports.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._format import num as _fmt, pct as _pct
from ..errors import Collector
from ..model.frames import located
from ..rules import Profile, load_profile

__all__ = ["score_indicators", "RULES"]

#: rule codes and what they mean (documented in the report's method note)
RULES = {
    "not_applicable": "不适用，不计分",
    "positive_met": "正向指标达标，得满分",
    "positive_ratio": "正向指标未达标，按 实际/目标 比例得分",
    "reverse_met": "反向指标未超上限，得满分",
    "reverse_ratio": "反向指标超上限，按 目标/实际 比例得分",
    "reverse_linear": "反向指标超上限，按超出幅度线性扣分，超出一倍及以上不得分",
    "equal_zero_met": "目标为0的等值指标，实际不高于0，得满分",
    "equal_zero_missed": "目标为0的等值指标，实际高于0，不得分",
    "deadline_met": "时限指标按期完成，得满分",
    "deadline_late": "时限指标逾期，按逾期月数扣分",
    "qualitative": "定性指标按评级区间取分",
}


def _month(v: pd.Series) -> pd.Series:
    arr = np.asarray(v, dtype=float)
    fin = np.where(np.isfinite(arr), np.clip(arr, -1e12, 1e12), 0.0)   # no cast warnings
    y = np.floor((fin - 1) / 12).astype(np.int64)
    m = (fin - 1 - y * 12 + 1).astype(np.int64)
    s = pd.Series(y.astype(str), index=v.index) + "年" + pd.Series(m.astype(str), index=v.index) + "月"
    return s.where(np.isfinite(arr), "—")


def score_indicators(ind: pd.DataFrame, profile: Profile | str = "national", *,
                     source: str | None = None) -> pd.DataFrame:
    """Score every indicator row by the rules of a profile.

    Parameters
    ----------
    ind : DataFrame
        The indicators table (see module docstring). ``weight`` must be filled (see
        :func:`perfkit.scoring.self_eval.resolve_weights`).
    profile : Profile or id
    source : file name used in error messages.

    Returns
    -------
    DataFrame
        ``ind`` plus ``rule, fraction, score, explanation, explanation_en, overshoot,
        awarded_diff, flags``.

    Raises
    ------
    InputError
        A qualitative indicator without a rating, a quantitative one without an actual value,
        or a self-awarded qualitative score outside its rating's band — every such row at once.

    Notes
    -----
    With weight w, target t and actual a (domain.md §4.2):

    - positive ≥: w if a ≥ t else w·a/t (t > 0); t ≤ 0: w if a ≥ t else 0
    - reverse ≤: w if a ≤ t; else ``ratio`` w·t/a or ``linear`` w·(1 − (a−t)/t), 0 for a ≥ 2t
    - equal =: t = 0: w if a ≤ 0 else 0; t ≠ 0: as positive
    - deadline (target a month): w if on time, else w·max(0, 1 − months late × deduction)
    - qualitative: the awarded score if it lies in the rating's band [lo·w, hi·w], else the
      band's ``qualitative_default`` point (lower, mid or upper)
    - over-attainment: flagged when (a − t)/t > ``overshoot_threshold`` for ≥ indicators; the
      optional ``overshoot_deduction`` (fraction of w) is applied to flagged rows.
    """
    prof = load_profile(profile)
    sc = prof.get("scoring")
    df = ind.copy()
    idx = df.index
    col = lambda c, d=np.nan: df[c] if c in df else pd.Series(d, index=idx)  # noqa: E731

    w = pd.to_numeric(col("weight"), errors="coerce").astype(float)
    t = pd.to_numeric(col("target_value"), errors="coerce").astype(float)
    a = pd.to_numeric(col("actual_value"), errors="coerce").astype(float)
    awarded = pd.to_numeric(col("awarded"), errors="coerce").astype(float)
    direction = col("direction", None).astype(object)
    kind = col("kind", None).astype(object)
    rating = col("rating", None).astype(object).where(lambda s: s.notna(), None)
    na = col("not_applicable", False).fillna(False).astype(bool)
    dl_col = "target_deadline" if "target_deadline" in df else "deadline"
    deadline = col(dl_col, None)
    is_deadline = deadline.notna() & (deadline.astype(str) != "") if dl_col in df \
        else pd.Series(False, index=idx)
    unit = col("unit", "").fillna("").astype(str)

    qual = (direction == "定性") | (kind == "定性") | (a.isna() & rating.notna() & ~na)
    quant = ~qual & ~na
    # a bare number as target ("100%", "0起") with no direction: read as "=" (domain.md §4.2:
    # t = 0 → not above 0; t > 0 → as positive) and flagged so a reviewer can confirm it
    assumed = quant & direction.isna() & t.notna()
    direction = direction.where(~assumed, "=")

    problems = Collector()

    def where(mask: pd.Series, column: str, rule: str, values: pd.Series | None = None):
        problems.extend(located(df, mask, rule, column=column, values=values, file=source,
                                sheet="indicators"))

    where(qual & ~na & rating.isna(), "定性评级",
          "a qualitative indicator needs a rating 达成 / 部分达成 / 未达成")
    where(quant & a.isna(), "实际完成值", "a quantitative indicator needs an actual value "
          "(or mark it 不适用)")
    where(quant & t.isna(), "年度指标值", "a quantitative indicator needs a numeric target")
    where(~na & w.isna(), "分值", "the indicator has no weight")

    # --- qualitative bands ---------------------------------------------------------------
    bands = sc["qualitative_bands"]
    lo = rating.map({k: v[0] for k, v in bands.items()}).astype(float)
    hi = rating.map({k: v[1] for k, v in bands.items()}).astype(float)
    where(qual & rating.notna() & lo.isna(), "定性评级",
          f"unknown rating; allowed: {', '.join(bands)}", rating)
    top = hi >= 1.0
    eps = 1e-9
    frac_aw = awarded / w
    # an indicator of weight 0 scores 0 whatever its rating: an awarded 0 lies in any band
    frac_aw = frac_aw.where(~((w == 0) & (awarded.abs() <= eps)), lo)
    in_band = (frac_aw >= lo - eps) & ((frac_aw < hi - eps) | (top & (frac_aw <= hi + eps)))
    bad_band = qual & ~na & awarded.notna() & lo.notna() & ~in_band
    where(bad_band, "自评得分", "the awarded score of a qualitative indicator must lie in its "
          "rating's band (达成 [0.8w, w], 部分达成 [0.6w, 0.8w), 未达成 [0, 0.6w))", awarded)
    problems.raise_if_any()

    point = {"lower": lo, "upper": hi, "mid": (lo + hi) / 2}[sc["qualitative_default"]]
    qual_frac = np.where(awarded.notna() & in_band, frac_aw, point)

    # --- quantitative rules ---------------------------------------------------------------
    pos_dir = direction.isin(["≥"]) | (direction.isin(["="]) & (t != 0))
    rev_dir = direction.isin(["≤"]) & ~is_deadline
    eq0 = direction.isin(["="]) & (t == 0)
    dl = is_deadline & quant

    with np.errstate(divide="ignore", invalid="ignore"):
        pos_met = a >= t
        pos_frac = np.where(pos_met, 1.0, np.where(t > 0, np.clip(a / t, 0, 1), 0.0))
        rev_met = a <= t
        if sc["reverse_mode"] == "linear":
            rev_frac = np.where(rev_met, 1.0, np.where(t > 0, np.clip(1 - (a - t) / t, 0, 1), 0.0))
            rev_code = "reverse_linear"
        else:
            rev_frac = np.where(rev_met, 1.0, np.where((t > 0) & (a > 0), np.clip(t / a, 0, 1), 0.0))
            rev_code = "reverse_ratio"
        late = np.maximum(a - t, 0)
        per_month = float(sc.get("deadline_deduction_per_month", 0.2))
        dl_frac = np.clip(1 - late * per_month, 0, 1)

    conds = [na, qual, dl, eq0 & quant, rev_dir & quant, pos_dir & quant]
    fraction = np.select(conds, [np.nan, qual_frac, dl_frac, np.where(a <= 0, 1.0, 0.0), rev_frac,
                                 pos_frac], default=np.nan)
    rule = np.select(
        conds,
        ["not_applicable", "qualitative",
         np.where(late > 0, "deadline_late", "deadline_met"),
         np.where(a <= 0, "equal_zero_met", "equal_zero_missed"),
         np.where(rev_met, "reverse_met", rev_code),
         np.where(pos_met, "positive_met", "positive_ratio")],
        default="unscored").astype(object)

    # --- over-attainment flag (target set too low) --------------------------------------------
    with np.errstate(divide="ignore", invalid="ignore"):
        over = quant & direction.eq("≥") & (t > 0) & ((a - t) / t > float(sc["overshoot_threshold"]))
    ded = float(sc.get("overshoot_deduction") or 0.0)
    fraction = np.where(over & (ded > 0), np.maximum(fraction - ded, 0), fraction)

    score = pd.Series(fraction, index=idx) * w
    score = score.where(~na, np.nan)

    tol = float(sc["awarded_tolerance"])
    awarded_diff = (awarded - score).where(awarded.notna() & ~na)
    differs = awarded_diff.abs() > tol

    # --- explanations -------------------------------------------------------------------
    s_s, w_s, t_s, a_s = _fmt(score), _fmt(w), _fmt(t), _fmt(a)
    fr = _pct(pd.Series(fraction, index=idx))
    u = unit.where(~unit.isin(["nan", "None"]), "")
    r = pd.Series(rule, index=idx)
    zh = pd.Series("", index=idx, dtype=object)
    en = pd.Series("", index=idx, dtype=object)

    def put(mask, z, e):
        m = (r == mask) if isinstance(mask, str) else mask
        zh.loc[m] = z[m] if isinstance(z, pd.Series) else z
        en.loc[m] = e[m] if isinstance(e, pd.Series) else e

    put("not_applicable", "不适用，不计分，总分按适用分值折算为100分",
        "Not applicable: excluded; the total is rescaled to 100")
    put("positive_met", "实际值 " + a_s + u + " 达到目标值 " + t_s + u + "，得满分 " + w_s,
        "Actual " + a_s + u + " meets the target " + t_s + u + ": full marks " + w_s)
    put("positive_ratio", "实际值 " + a_s + u + " 未达到目标值 " + t_s + u + "，按完成比例 " + fr
        + " 得分 " + s_s,
        "Actual " + a_s + u + " below the target " + t_s + u + ": " + fr + " of " + w_s
        + " = " + s_s)
    put("reverse_met", "实际值 " + a_s + u + " 未超过目标上限 " + t_s + u + "，得满分 " + w_s,
        "Actual " + a_s + u + " within the ceiling " + t_s + u + ": full marks " + w_s)
    put("reverse_ratio", "实际值 " + a_s + u + " 超过目标上限 " + t_s + u + "，按 目标/实际 = " + fr
        + " 得分 " + s_s,
        "Actual " + a_s + u + " above the ceiling " + t_s + u + ": target/actual = " + fr
        + ", score " + s_s)
    put("reverse_linear", "实际值 " + a_s + u + " 超过目标上限 " + t_s + u + "，按超出幅度线性扣分，得分 "
        + s_s, "Actual " + a_s + u + " above the ceiling " + t_s + u
        + ": linear deduction, score " + s_s)
    put("equal_zero_met", "目标为0，实际值 " + a_s + u + " 不高于0，得满分 " + w_s,
        "Target 0 and actual " + a_s + u + " not above 0: full marks " + w_s)
    put("equal_zero_missed", "目标为0，实际值 " + a_s + u + " 高于0，不得分",
        "Target 0 but actual " + a_s + u + ": no marks")
    put("deadline_met", "于 " + _month(a) + " 完成，未超过时限 " + _month(t) + "，得满分 " + w_s,
        "Done by " + _month(a) + ", deadline " + _month(t) + ": full marks " + w_s)
    put("deadline_late", "于 " + _month(a) + " 完成，超过时限 " + _month(t) + " " + _fmt(pd.Series(late, index=idx))
        + " 个月，得分 " + s_s, "Done " + _fmt(pd.Series(late, index=idx)) + " month(s) after the deadline "
        + _month(t) + ": score " + s_s)
    lo_s, hi_s = _fmt(lo * w), _fmt(hi * w)
    rating_s = rating.fillna("").astype(str)
    put("qualitative", "定性评级“" + rating_s + "”，得分区间 [" + lo_s + ", " + hi_s + "]，得分 " + s_s,
        "Qualitative rating '" + rating_s + "', band [" + lo_s + ", " + hi_s + "]: score " + s_s)
    put(over, zh + "；实际值超过目标 " + _pct((a - t) / t) + "，目标可能设置偏低",
        en + "; actual exceeds the target by " + _pct((a - t) / t) + ": target may be set too low")
    put(differs, zh + "；单位自评得分 " + _fmt(awarded) + "，与规则得分相差 " + _fmt(awarded_diff),
        en + "; self-awarded " + _fmt(awarded) + ", differs from the rule score by "
        + _fmt(awarded_diff))

    flags = pd.Series("", index=idx, dtype=object)
    flags = flags.where(~over, flags + "overshoot;")
    flags = flags.where(~differs, flags + "awarded_differs;")
    flags = flags.where(~assumed, flags + "direction_assumed;")
    flags = flags.where(~(quant & ~na & (pd.Series(fraction, index=idx) < 1)
                          & col("deviation_reason", None).isna()),
                        flags + "missed_without_reason;")

    df["direction"] = direction
    df["rule"] = r
    df["fraction"] = pd.Series(fraction, index=idx).where(~na)
    df["score"] = score
    df["explanation"] = zh
    df["explanation_en"] = en
    df["overshoot"] = over.astype(bool)
    df["awarded_diff"] = awarded_diff
    df["flags"] = flags.str.rstrip(";")
    return df
