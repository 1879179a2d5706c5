"""The demo district (示范区): a seeded, realistic and entirely fictional district.

:func:`generate` builds every table of the workbook format (:mod:`perfkit.model.schema`) for a
district over several years: departments (部门), projects (项目支出) with their funds by source
(项目资金), cumulative monthly payments (月度执行, for 双监控), indicator trees with targets,
actuals and self-awarded scores (绩效指标), the indicators' in-year progress at the end of June
and September (指标监控, for 双监控), satisfaction surveys (满意度调查) and the fiscal figures of
the townships (乡镇街道). :func:`write` writes them as an ``.xlsx`` workbook or a
folder of CSV files, with Chinese (default) or English headers.

The data are meant to look like a real district's, warts included:

- execution rates mostly 90–100 %, a tail at 50–85 % and a few projects hardly started; some
  low rates carry the written explanation (执行率偏低说明) the rules require and some do not;
- cumulative monthly payments are back-loaded, with the December rush (年底突击花钱);
- indicator trees follow domain.md §3.1, weights follow §4.1 (执行率 10 + 产出 50 + 效益 30 +
  满意度 10; 55/35 when a project has no satisfaction indicator), targets are printed the way the
  forms print them (``≥95%``, ``≤30万元``, ``按时完成``, ``2024年12月底前``) or as plain numbers
  with a direction column;
- self-awarded scores (自评得分) usually equal the rule score of §4.2, but about 5 % of the
  project-years award themselves full marks for missed indicators — the pattern that
  re-evaluation (再评价) must catch;
- monitoring snapshots (指标监控, months :data:`SNAPSHOT_MONTHS`) follow each project's payments
  to date and its year-end actuals: most project-years on track, about 12 % lagging at mid-year
  (with a 偏差原因 category, an analysis and 完善措施 in 85 % of the lagging rows), about 6 % ahead;
  indicators missed at the year's end lag all year, and their unit expects less than the target
  for 40 % of them at mid-year and 70 % at the end of September (the others still expect the
  target); about 3 % of those expecting less still state 完成目标可能性 确定能 (the inconsistency
  monitoring reports).

Planted cases (districts of at least 50 projects a year over at least two years;
:func:`planted` lists them for any arguments):

- **sedimented funds (沉淀资金 → 收回)**: 2 continuing projects (3 from 200 projects a year),
  started before the first year, whose execution rate stays at 15–40 % every year while their
  carry-over (上年结转资金) grows every year (90–100 % of the previous year's unspent balance), so
  that :func:`perfkit.cycle.application.idle_funds` (national: 2 years below 60 %, growing
  carry-over) finds exactly them in the last year. With the defaults (seed 2024): XM00050
  城市道路清扫保洁, XM00092 区财政投资评审中心信息系统运行维护, XM00213 鹤鸣乡农村公路硬化工程;
- **overlapping projects (交叉重复 → 调整整合)**: two curated pairs of different departments
  (``_vocab.OVERLAP_PAIRS``) replace two projects of the last year (new ones preferred; the
  replaced projects keep their ids, years and funds): a near-identical pair, 区人力社保局
  农村劳动力转移就业技能培训 and 区农业农村委 农村劳动力转移就业技能培训补助 (the same indicator tree;
  combined similarity ≈ 0.96), and a similar pair above the national threshold of 0.70,
  区教委 校园安全防控体系建设项目 and 区公安分局 校园周边安全防控体系建设 (the same tree but one
  数量指标; ≈ 0.76–0.79). With the defaults (seed 2024): XM00401 / XM00393 and XM00364 /
  XM00122. No other pair of different departments reaches 0.70 (the next is ≈ 0.65).

Everything is drawn from :class:`numpy.random.Generator` streams spawned from one seed: the same
seed gives identical frames (and byte-identical CSV and xlsx files). The planted cases and the
snapshots draw from streams of their own, and a replaced project's own draws are still made, so
every other project is exactly what it was before they were added.
"""
from __future__ import annotations

import copy
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .._validate import check_option
from ..errors import InputError
from ..model.schema import FUND_SOURCES, FUNDING_MODES, LEVEL1, LEVEL2, TABLES
from . import _vocab as V

__all__ = ["generate", "write", "planted", "GENERATOR_VERSION", "DEFAULT_YEARS", "DISTRICT", "SNAPSHOT_MONTHS"]

#: the demo district's name (fictional)
DISTRICT = "示范区"
DEFAULT_YEARS = (2022, 2023, 2024)

_L2_ORDER = {l2: (i, j) for i, l1 in enumerate(LEVEL1) for j, l2 in enumerate(LEVEL2[l1])}
_SAT_L2 = LEVEL2["满意度指标"][0]

# cumulative-payment profiles (shares of the year's payments by month): services pay steadily,
# works (工程, 建设, 改造, 购置 …) pay late, both end with the December rush
_PROFILE_SERVICE = np.array([4, 6, 8, 8, 8, 10, 7, 7, 9, 8, 9, 16], dtype=float)
_PROFILE_WORKS = np.array([1, 2, 4, 5, 6, 8, 6, 7, 9, 9, 12, 31], dtype=float)
_WORKS_WORDS = ("工程", "建设", "改造", "购置", "修缮", "整治", "治理")
#: months at whose end the indicators' progress is reported (指标监控): half-year and three
#: quarters (domain.md §6: mid-year monitoring; Sichuan reports end-July and end-October)
#: bump when the generated data changes, so that a demo workbook written by an older perfkit
#: is generated again (:func:`perfkit.run.demo.demo_workbook_path`)
GENERATOR_VERSION = 2

SNAPSHOT_MONTHS = (6, 9)


# =============================================================================================
# public API
# =============================================================================================
def generate(*, seed: int = 2024, years: Sequence[int] = DEFAULT_YEARS, n_departments: int = 30,
             n_projects: int = 300, n_townships: int = 20,
             departments: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """Generate the demo district (示范区), one frame per table of the workbook format.

    Parameters
    ----------
    seed : int
        Seed of every random draw; the same seed gives identical frames.
    years : sequence of int
        Budget years (预算年度), e.g. ``(2022, 2023, 2024)``. Projects continue, end and start
        between years; project ids (``XM00001`` …) are stable across years.
    n_departments : int
        Number of departments (部门), 1 to 34, taken in a fixed order (区教委, 区卫生健康委, …).
    n_projects : int
        Projects (项目支出) per year, ≥ 1.
    n_townships : int
        Number of townships (乡镇街道), 1 to 24.
    departments : sequence of str, optional
        Department names to use instead of the first ``n_departments`` (for small samples).

    Returns
    -------
    dict of str → DataFrame
        Keys are the table names of :data:`perfkit.model.schema.TABLES` (``projects``,
        ``budget``, ``monthly``, ``indicators``, ``indicator_progress``, ``departments``,
        ``townships``, ``survey``);
        columns are the canonical English names in schema order; rows sorted by key. Amounts
        are in 万元 with two decimals. ``target`` and ``actual`` (and ``progress`` and
        ``expected`` of the snapshots) hold numbers or text as the forms print them;
        ``survey.response`` holds 1–5 or the Chinese labels.

    Raises
    ------
    InputError
        An argument is out of range.

    Examples
    --------
    >>> frames = generate(seed=1, n_projects=20, n_departments=5, n_townships=3)
    >>> sorted(frames) == sorted(TABLES)
    True
    """
    return _generator(seed, years, n_departments, n_projects, n_townships, departments).run()


def planted(*, seed: int = 2024, years: Sequence[int] = DEFAULT_YEARS, n_departments: int = 30,
            n_projects: int = 300, n_townships: int = 20,
            departments: Sequence[str] | None = None) -> dict:
    """The cases planted in the demo district that :func:`generate` builds with the same
    arguments (see the module docstring), without generating it.

    Returns
    -------
    dict
        ``idle_funds``: sorted ids of the sedimented projects (沉淀资金, found by
        :func:`perfkit.cycle.application.idle_funds` in the last year);
        ``overlap``: one dict per overlapping pair (交叉重复, found by
        :func:`perfkit.cycle.application.detect_overlap` in the last year) with ``kind``
        (``"near"`` near-identical, ``"similar"`` similar but above the national threshold),
        ``project_ids`` (A, B) and ``names``. Both are empty for districts of fewer than 50
        projects a year or of a single year.

    Examples
    --------
    >>> planted()["idle_funds"]
    ['XM00050', 'XM00092', 'XM00213']
    """
    g = _generator(seed, years, n_departments, n_projects, n_townships, departments)
    plan = g._plan(g._pool())
    return {"idle_funds": sorted(plan["idle"]),
            "overlap": [{"kind": kind, "project_ids": (a, b),
                         "names": (plan["twins"][a].name, plan["twins"][b].name)}
                        for kind, a, b in plan["overlap"]]}


def _generator(seed, years, n_departments, n_projects, n_townships, departments
               ) -> "_Generator":
    yrs = _check_years(years)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("must be a non-negative integer", argument="seed", value=seed)
    if departments is not None:
        by_name = {d.name: d for d in V.DEPARTMENTS}
        unknown = [d for d in departments if d not in by_name]
        if unknown or not departments:
            raise InputError(f"unknown department(s); known: {', '.join(by_name)}",
                             argument="departments", value=unknown or departments)
        depts = [by_name[d] for d in dict.fromkeys(departments)]
    else:
        _check_int("n_departments", n_departments, 1, len(V.DEPARTMENTS))
        depts = list(V.DEPARTMENTS[:n_departments])
    _check_int("n_projects", n_projects, 1, 100_000)
    _check_int("n_townships", n_townships, 1, len(V.TOWNSHIPS))
    return _Generator(int(seed), yrs, depts, int(n_projects), int(n_townships))


def write(frames: Mapping[str, pd.DataFrame], path: str | Path, *, format: str = "xlsx",
          lang: str = "zh") -> Path:
    """Write workbook tables as an ``.xlsx`` file or a folder of CSV files.

    Parameters
    ----------
    frames : mapping of table name → DataFrame
        Canonical column names (as :func:`generate` returns them). Tables of the schema that are
        missing are written empty (headers only); hidden columns (``_row``, ``_sheet``) and
        columns unknown to the schema are dropped.
    path : str or Path
        The ``.xlsx`` file, or the folder that receives ``<table>.csv`` (created if needed).
    format : {"xlsx", "csv"}
    lang : {"zh", "en"}
        Headers: the Chinese names printed on the forms (default) or the English field names.
        For xlsx the sheet names follow (``项目`` / ``projects``); CSV files are always named by
        the English table name (``projects.csv``), UTF-8 with a byte-order mark so Excel opens
        them correctly. Yes/no columns (不适用 …) are written 是/否 in Chinese CSV files,
        True/False in English ones and as Excel booleans in xlsx.

    Returns
    -------
    Path
        The file or folder written. The same frames always give byte-identical files.
    """
    check_option("format", format, ("xlsx", "csv"))
    check_option("lang", lang, ("zh", "en"))
    path = Path(path)
    tables = {name: _for_output(name, frames.get(name)) for name in TABLES}
    if format == "csv":
        path.mkdir(parents=True, exist_ok=True)
        for name, df in tables.items():
            t = TABLES[name]
            headers = [c.zh if lang == "zh" else c.name for c in t.columns]
            if lang == "zh":
                df = df.assign(**{c.name: df[c.name].map({True: "是", False: "否"})
                                  for c in t.columns if c.dtype == "bool"})
            df.to_csv(path / f"{name}.csv", index=False, header=headers, encoding="utf-8-sig",
                      lineterminator="\n")
        return path
    _write_xlsx(tables, path, lang)
    return path


# =============================================================================================
# argument checks
# =============================================================================================
def _check_int(name: str, value, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise InputError(f"must be an integer in [{lo}, {hi}]", argument=name, value=value)


def _check_years(years) -> tuple[int, ...]:
    try:
        ys = tuple(int(y) for y in years)
    except (TypeError, ValueError):
        raise InputError("must be a sequence of integer years", argument="years",
                         value=years) from None
    if not ys or len(set(ys)) != len(ys) or any(not 1990 <= y <= 2100 for y in ys) \
            or any(int(y) != y for y in years):
        raise InputError("must be distinct integer years in [1990, 2100]", argument="years",
                         value=years)
    return tuple(sorted(ys))


# =============================================================================================
# small numeric helpers
# =============================================================================================
def _nice(v: float, lo: float, hi: float) -> float:
    """Round a drawn target to a number a planner would write (3,000 not 3,127)."""
    if lo == hi:
        return float(lo)
    step = 10.0 ** (math.floor(math.log10(hi - lo)) - 1)
    if float(lo).is_integer() and float(hi).is_integer():
        step = max(step, 1.0)
    x = round(round(v / step) * step, 6)
    return float(min(max(x, lo), hi))


def _fmt(x: float) -> str:
    """95.0 → '95', 92.5 → '92.5', 12.30 → '12.3'."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def _money(c: int) -> float:
    """Cents of 万元 → 万元 with two decimals."""
    return round(c / 100, 2)


_FLOAT_UNITS = ("‰", "公里", "平方公里", "微克/立方米")


def _decimals(unit: str, target: float) -> int:
    """Decimals of a printed actual value: 1 for %, 2 for amounts and measures, 0 for counts."""
    if unit == "%":
        return 1
    if unit.startswith("万") or unit in _FLOAT_UNITS or not float(target).is_integer():
        return 2
    return 0


def _num(x: float) -> int | float:
    """Integral floats as int, so that files print 1300 rather than 1300.0."""
    return int(x) if float(x).is_integer() else float(x)


def _qual_award_cents(rng: np.random.Generator, rating: str, w: float) -> int:
    """A self-awarded score (in hundredths) inside the rating's band: 达成 [0.8w, w],
    部分达成 [0.6w, 0.8w), 未达成 [0, 0.6w)."""
    wc = w * 100
    if rating == "达成":
        lo, hi = math.ceil(0.8 * wc - 1e-6), math.floor(wc + 1e-6)
        if rng.random() < 0.6:
            return hi
    elif rating == "部分达成":
        lo, hi = math.ceil(0.6 * wc - 1e-6), math.ceil(0.8 * wc - 1e-6) - 1
    else:
        lo, hi = 0, math.ceil(0.6 * wc - 1e-6) - 1
    return int(rng.integers(lo, max(lo, hi) + 1))


def _award(score: float) -> float:
    """The printed self-awarded score: two decimals, three when two would be off by half a
    hundredth (so it always agrees with the rule score within ±0.005)."""
    a = round(score, 2)
    return a if abs(a - score) < 0.0049 else round(score, 3)


def _split_weights(rng: np.random.Generator, total: int, n: int) -> list[float]:
    """Split ``total`` points over ``n`` indicators: equal-ish integers with some variation, or
    (for some projects) an equal split printed with two decimals."""
    if n == 0:
        return []
    if n > 1 and total % n and rng.random() < 0.2:
        each = round(total / n, 2)
        ws = [each] * (n - 1)
        return ws + [round(total - sum(ws), 2)]
    base = total // n
    ws = [base] * n
    for i in rng.permutation(n)[: total - base * n]:
        ws[i] += 1
    if n > 1 and rng.random() < 0.5:
        i, j = rng.choice(n, 2, replace=False)
        d = int(rng.integers(1, 3))
        if ws[j] - d >= 2:
            ws[i] += d
            ws[j] -= d
    return [float(x) for x in ws]


def _partial_text(target: str) -> str:
    """The actual printed for a partly reached qualitative target (明显改善 → 有所改善)."""
    for adv in ("明显", "有效", "稳步", "持续", "逐步", "日益", "全面", "长期"):
        if target.startswith(adv):
            rest = target[len(adv):]
            return ("基本" if rest in ("落实", "有效", "保障", "向好", "优化", "加强") else "有所") + rest
    return "基本" + target


# =============================================================================================
# the generator
# =============================================================================================
@dataclass
class _Row:
    """Static part of one indicator of a project (the same every year)."""
    level1: str
    level2: str
    level3: str
    unit: str
    style: str                  # pos / rev / eq0 / budget / qual / deadline / survey / sat
    lo: float = 0.0
    hi: float = 0.0
    base: float = float("nan")  # base target
    text: str = ""              # qualitative target text
    month: int = 12             # deadline month
    printed: bool = False       # target printed as text (≥95%)
    show_dir: bool = True       # direction column filled
    show_kind: bool = True      # kind column filled
    weight: float = 0.0


@dataclass
class _Project:
    pid: str
    name: str
    dept: V.DepartmentSpec
    dept_id: str
    unit: str
    township_id: str | None
    budget_type: str
    modes: str | None
    start_year: int
    end_year: int | None
    base: float                 # 万元
    works: bool
    template: V.ProjectTemplate
    rows: list[_Row] = field(default_factory=list)
    has_sat: bool = True


class _Generator:
    def __init__(self, seed: int, years: tuple[int, ...], depts: list[V.DepartmentSpec],
                 n_projects: int, n_townships: int):
        self.years = years
        self.depts = depts
        self.n_projects = n_projects
        self.towns = list(V.TOWNSHIPS[:n_townships])
        self.town_ids = {t: f"XZ{i + 1:02d}" for i, t in enumerate(self.towns)}
        # department codes are fixed by the department (区教委 is always 001)
        self.dept_ids = {d.name: f"{V.DEPARTMENTS.index(d) + 1:03d}" for d in depts}
        # spawn(11): the first eight children are those of the original spawn(8), so adding the
        # planted cases and the monitoring snapshots left every earlier draw unchanged
        streams = np.random.SeedSequence([seed, 20241127]).spawn(11)
        (self.r_pool, self.r_budget, self.r_month, self.r_ind, self.r_survey, self.r_dept,
         self.r_town, self.r_text, self.r_plan, self.r_twin, self.r_prog) = (
            np.random.default_rng(s) for s in streams)
        self.plan: dict | None = None

    # ------------------------------------------------------------------ project pool
    def _candidates(self) -> list[list[tuple]]:
        """Per department, in the order they are used: its own programmes mixed with one
        township's instance of each per-township template (random order), then the other
        townships' instances, then generic per-unit projects."""
        out = []
        for d in self.depts:
            own = [(tpl, None, None) for tpl in d.templates if not tpl.per_township]
            town = []
            for tpl in d.templates:
                if tpl.per_township:
                    ts = [self.towns[i] for i in self.r_pool.permutation(len(self.towns))]
                    own.append((tpl, ts[0], None))
                    town += [(tpl, t, None) for t in ts[1:]]
            gen = [(tpl, None, u) for tpl in V.GENERIC_TEMPLATES for u in d.units]
            queue = []
            for group in (own, town, gen):
                queue += [group[i] for i in self.r_pool.permutation(len(group))]
            out.append(queue[::-1])         # reversed so that list.pop() takes the next one
        return out

    def _new_project(self, cands, used_names: set, counter: int, start: int,
                     end: int | None) -> _Project:
        rng = self.r_pool
        size = np.array([d.size if cands[i] else 0.0 for i, d in enumerate(self.depts)])
        if counter <= len(self.depts) and cands[counter - 1]:
            size = np.eye(len(self.depts))[counter - 1]     # every department gets a project
        if size.sum() == 0:     # everything spent (huge n_projects): another phase (二期 …)
            i = int(rng.integers(len(self.depts)))
            tpls = self.depts[i].templates
            tpl, unit = tpls[int(rng.integers(len(tpls)))], None
            town = self.towns[int(rng.integers(len(self.towns)))] if tpl.per_township else None
        else:
            i = int(rng.choice(len(self.depts), p=size / size.sum()))
            tpl, town, unit = cands[i].pop()
        d = self.depts[i]
        if unit is not None:            # generic per-unit project
            label = d.name if unit.endswith("机关") else unit
            name = tpl.name.replace("{u}", label)
        else:
            name = tpl.name.replace("{t}", town or "")
        base_name, k = name, 2
        while name in used_names:
            name = f"{base_name}（{'二三四五六七八九十'[k - 2] if k <= 10 else k}期）"
            k += 1
        used_names.add(name)
        if unit is None:
            if tpl.unit:
                unit = tpl.unit.replace("{t}", town or "")
            elif town is not None:
                unit = town + ("办事处" if town.endswith("街道") else "人民政府")
            else:
                unit = d.units[int(rng.integers(len(d.units)))]
        modes = set(tpl.modes)
        if rng.random() < 0.08:
            modes.add("C")
        if rng.random() < 0.04:
            modes.add("B")
        bt = tpl.bt
        if bt == "G" and "D" in modes and rng.random() < 0.5:
            bt = "F"                    # works financed by special bonds (专项债券) sit in 政府性基金预算
        modes_txt = "、".join(m for m in FUNDING_MODES if m in {V.MODE_CODES[c] for c in modes})
        scale = tpl.scale * float(np.exp(rng.normal(0, 0.4)))
        p = _Project(pid=f"XM{counter:05d}", name=name, dept=d, dept_id=self.dept_ids[d.name],
                     unit=unit, township_id=self.town_ids[town] if town else None,
                     budget_type=V.BUDGET_TYPE_CODES[bt], modes=modes_txt or None,
                     start_year=start, end_year=end, base=scale,
                     works=any(w in name for w in _WORKS_WORDS) or bool(modes & {"D", "P"}),
                     template=tpl)
        self._skeleton(p)
        return p

    def _pool(self) -> dict[int, list[_Project]]:
        """Projects active each year: continuing ones keep their id; ended ones are replaced by
        new ones so that every year has exactly ``n_projects``."""
        rng = self.r_pool
        cands = self._candidates()
        used: set = set()
        active: dict[int, list[_Project]] = {}
        counter = 0
        current: list[_Project] = []
        for k, y in enumerate(self.years):
            current = [p for p in current if p.end_year is None or p.end_year >= y]
            while len(current) < self.n_projects:
                counter += 1
                if k == 0:
                    start = y - int(rng.choice(5, p=[0.35, 0.2, 0.2, 0.15, 0.1]))
                    end = y + int(rng.choice(5, p=[0.2, 0.25, 0.25, 0.15, 0.15]))
                else:
                    start = y
                    end = y + int(rng.choice(4, p=[0.25, 0.35, 0.25, 0.15]))
                p = self._new_project(cands, used, counter, start, end)
                if not p.template.per_township and rng.random() < 0.3:
                    p.end_year = None           # recurring (经常性项目): no end year printed
                current.append(p)
            active[y] = list(current)
        return active

    # ------------------------------------------------------------------ indicator skeleton
    def _pick(self, pool, taken: set, rng: np.random.Generator) -> tuple | None:
        free = [s for s in pool if s[0] not in taken]
        if not free:
            return None
        s = free[int(rng.integers(len(free)))]
        taken.add(s[0])
        return s

    def _skeleton(self, p: _Project, rng: np.random.Generator | None = None) -> None:
        rng = self.r_ind if rng is None else rng
        sec = V.SECTORS[p.dept.sector]
        taken: set = set()
        picked: list[tuple[str, str, tuple]] = []      # (level1, level2, spec)

        def add(l2: str, pool) -> bool:
            s = self._pick(pool, taken, rng)
            if s is None:
                return False
            l1 = next(k for k, v in LEVEL2.items() if l2 in v)
            picked.append((l1, l2, s))
            return True

        qty = list(p.template.qty)
        for s in qty[:3]:
            taken.add(s[0])
            picked.append(("产出指标", "数量指标", s))
        if len(qty) == 1 and rng.random() < 0.5:
            add("数量指标", V.QUANTITY_EXTRA)
        add("质量指标", sec["quality"] + V.QUALITY_GENERIC)
        add("时效指标", V.TIME)
        add("社会效益指标", sec["social"])
        u = rng.random()
        n_sat = 0 if u < 0.1 else (2 if u > 0.92 else 1)
        p.has_sat = n_sat > 0
        optional = [("数量指标", V.QUANTITY_EXTRA), ("质量指标", sec["quality"] + V.QUALITY_GENERIC),
                    ("时效指标", V.TIME), ("成本指标", V.COST), ("成本指标", V.COST),
                    ("社会效益指标", sec["social"] + V.SOCIAL_GENERIC),
                    ("经济效益指标", sec["economic"] or (("带动就业人数", "人", "50-500"),)),
                    ("可持续影响指标", V.SUSTAINABLE), ("质量指标", V.QUALITY_GENERIC)]
        if sec["ecological"]:
            optional += [("生态效益指标", sec["ecological"])] * 2
        target_n = int(rng.integers(8, 15)) - n_sat
        for i in rng.permutation(len(optional)):
            if len(picked) >= target_n:
                break
            add(*optional[i])
        # at least one 效益 indicator besides satisfaction is guaranteed by the 社会效益 pick
        sat_names = list(sec["satisfaction"])
        first = sat_names[int(rng.integers(len(sat_names)))]
        picked.append(("满意度指标", _SAT_L2, (first, "%", "survey")))
        if n_sat == 2:
            other = [n for n in sat_names if n != first] or ["服务对象满意度"]
            nm = other[0] if other[0] != first else "社会公众满意度"
            picked.append(("满意度指标", _SAT_L2, (nm, "%", "sat")))
        if n_sat == 0:
            picked = [x for x in picked if x[0] != "满意度指标"]
        picked.sort(key=lambda x: _L2_ORDER[x[1]])          # stable: keeps draw order within

        rows = []
        for l1, l2, (name, unit, spec) in picked:
            r = _Row(l1, l2, name, unit, "pos")
            if spec.startswith("定性:"):
                r.style, r.text, r.unit = "qual", spec[3:], ""
                r.show_dir = rng.random() < 0.8
            elif spec.startswith("deadline:"):
                r.style, r.month, r.unit = "deadline", int(spec[9:]), ""
                r.show_dir = False
            elif spec in ("survey", "sat"):
                r.style = spec
                r.base = float(rng.choice([85.0, 90.0, 95.0], p=[0.3, 0.5, 0.2]))
            elif spec == "budget":
                r.style = "budget"
            elif spec == "=0":
                r.style, r.base = "eq0", 0.0
            else:
                if spec.startswith("≤"):
                    r.style, spec = "rev", spec[1:]
                lo, _, hi = spec.partition("-")
                r.lo, r.hi = float(lo), float(hi or lo)
                r.base = _nice(rng.uniform(r.lo, r.hi), r.lo, r.hi)
            if r.style in ("pos", "rev", "budget", "survey", "sat"):
                r.printed = rng.random() < 0.35
                r.show_dir = (not r.printed) or rng.random() < 0.3
                r.show_kind = rng.random() < 0.85
            rows.append(r)
        # weights (domain.md §4.1): 产出 50 / 效益 30 / 满意度 10; 55 / 35 without satisfaction
        totals = {"产出指标": 50, "效益指标": 30, "满意度指标": 10} if p.has_sat else \
            {"产出指标": 55, "效益指标": 35}
        for l1, total in totals.items():
            mine = [r for r in rows if r.level1 == l1]
            for r, w in zip(mine, _split_weights(rng, total, len(mine))):
                r.weight = w
        p.rows = rows

    # ------------------------------------------------------------------ budget
    def _exec_rate(self) -> float:
        rng = self.r_budget
        u = rng.random()
        if u < 0.03:
            return float(rng.uniform(0.0, 0.08))          # hardly started
        if u < 0.20:
            return float(rng.uniform(0.50, 0.85))         # the tail
        if u < 0.26:
            return float(rng.uniform(0.85, 0.90))
        return 1.0 if rng.random() < 0.3 else float(rng.uniform(0.90, 1.0))

    def _budget(self, p: _Project, y: int, unspent_prev: int | None) -> tuple[list, float]:
        """Budget rows (source, initial, adjusted, executed in cents) and the execution rate."""
        rng = self.r_budget
        base = p.base * float(rng.uniform(0.85, 1.15))
        step = 1.0 if base >= 100 else (0.1 if base >= 10 else 0.01)
        init = int(round(round(base / step) * step * 100))
        init = max(init, 100)
        u = rng.random()
        if u < 0.65:
            adj = init
        elif u < 0.85:
            adj = int(round(init * rng.uniform(1.03, 1.30)))
        else:
            adj = int(round(init * rng.uniform(0.75, 0.97)))
        if rng.random() < 0.03:
            init = 0                                        # added during the year (年中追加)
        r = self._exec_rate()
        rows = [("当年财政拨款", init, adj, int(math.floor(adj * r)))]
        carry = 0
        if unspent_prev is not None and unspent_prev >= 100 and rng.random() < 0.6:
            carry = int(unspent_prev * rng.uniform(0.5, 1.0))
        elif unspent_prev is None and p.start_year < y and rng.random() < 0.12:
            carry = int(adj * rng.uniform(0.05, 0.3))
        if carry:
            rows.append(("上年结转资金", carry, carry,
                         int(math.floor(carry * min(1.0, r + rng.uniform(0, 0.15))))))
        if rng.random() < 0.08:
            oth = int(adj * rng.uniform(0.05, 0.25))
            rows.append(("其他资金", 0 if rng.random() < 0.3 else oth, oth,
                         int(math.floor(oth * r * rng.uniform(0.9, 1.0)))))
        adj_t = sum(x[2] for x in rows)
        exe_t = sum(x[3] for x in rows)
        return rows, exe_t / adj_t

    # ------------------------------------------------------------------ indicators of a year
    def _indicators(self, p: _Project, y: int, rate: float, adj_total_c: int, exe_total_c: int,
                    out: list, survey: list, meta: list | None = None, *,
                    rng: np.random.Generator | None = None,
                    rng_survey: np.random.Generator | None = None) -> tuple[bool, str, str]:
        """Indicator rows of a project-year (appended to ``out``); ``meta`` receives, per row,
        what the monitoring snapshots need (style, numbers, missed …)."""
        rng = self.r_ind if rng is None else rng
        p_miss = 0.10 if rate >= 0.9 else (0.25 if rate >= 0.5 else 0.55)
        inflate = rng.random() < 0.05
        blank_award = rng.random() < 0.03
        forced = False
        any_missed = False
        first_qty = first_soc = None
        for r in p.rows:
            w = r.weight
            direction = "≥"
            kind = "定量"
            unit = r.unit
            t = a = float("nan")
            target: object = None
            actual: object = None
            rating = None
            score = float("nan")
            na = False
            qual = False
            miss = rng.random() < p_miss
            if inflate and not forced and r.style == "pos" and r.level2 == "数量指标":
                miss, forced = True, True
            if r.style not in ("survey", "sat") and not (inflate and forced and miss) \
                    and rng.random() < 0.012:
                na = True
            if r.style == "qual":
                qual, kind, direction = True, "定性", "定性"
                if miss:
                    rating = "部分达成" if rng.random() < 0.7 else "未达成"
                else:
                    rating = "达成" if rng.random() < 0.95 else "部分达成"
                target = r.text
                actual = {"达成": r.text, "部分达成": _partial_text(r.text),
                          "未达成": "未达预期"}[rating]
            elif r.style == "deadline":
                kind = "定量" if rng.random() < 0.5 else None
                direction = None
                t = y * 12 + r.month
                late = int(rng.integers(1, 4)) if miss else -int(rng.integers(0, 4))
                a = t + late
                target = f"{y}年{r.month}月底前"
                ay, am = divmod(int(a) - 1, 12)
                actual = f"{ay}年{am + 1}月"
                score = w * max(0.0, 1 - 0.2 * max(late, 0))
            else:
                if r.style == "eq0":
                    direction, t = "=", 0.0
                    a = float(rng.integers(1, 3)) if miss else 0.0
                else:
                    if r.style == "budget":
                        t = _money(adj_total_c)
                        a = _money(exe_total_c)
                        direction = "≤"
                    elif r.style in ("survey", "sat"):
                        t = r.base
                        if r.style == "survey":
                            a = self._survey(p, y, t, miss, survey, rng_survey)
                        else:
                            a = round(float(np.clip(t + rng.normal(3, 3) - (8 if miss else 0),
                                                    60, 100)), 1)
                    else:
                        t = r.base
                        if r.style == "pos" and unit != "%" and r.lo != r.hi:
                            t = _nice(r.base * rng.uniform(0.92, 1.12), r.lo, r.hi * 1.3)
                        direction = "≤" if r.style == "rev" else "≥"
                        dec = _decimals(unit, t)
                        if r.style == "rev":
                            if miss:
                                a = t * (rng.uniform(1.01, 1.10) if unit == "%" else
                                         rng.uniform(1.05, 1.5))
                            else:
                                a = t * rng.uniform(0.85 if unit == "%" else 0.6, 1.0)
                            a = round(a, dec)
                            if miss and a <= t:
                                a = t + 10 ** -dec if dec else t + 1
                        else:
                            if miss:
                                a = t * rng.uniform(0.55, 0.97) if t < 100 or unit != "%" else \
                                    rng.uniform(85, 99.5)
                            elif unit != "%" and rng.random() < 0.05:
                                a = t * rng.uniform(1.5, 3.0)        # target set too low
                            else:
                                a = t * rng.uniform(1.0, 1.08)
                            if unit == "%":
                                a = min(a, 100.0)
                            a = round(a, dec)
                            if miss and a >= t:
                                a = t - (10 ** -dec if dec else 1)
                            if not miss and a < t:
                                a = t
                            a = max(a, 0.0)
                    if r.style == "budget":
                        direction = "≤"
                if direction == "≥":
                    score = w if a >= t else (w * max(a, 0) / t if t > 0 else 0.0)
                elif direction == "≤":
                    score = w if a <= t else (w * t / a if t > 0 and a > 0 else 0.0)
                else:
                    score = w if a <= 0 else 0.0
                target = _num(t)
                actual = _num(a)
                if r.printed:
                    target = f"{direction}{_fmt(t)}{unit}"
            if not r.show_dir:
                direction = None        # printed inside the target text, or left blank
            if not r.show_kind:
                kind = None
            if na:
                actual, rating, score = None, None, float("nan")
            if qual and not na:
                aw_c = _qual_award_cents(rng, rating, w)
                awarded = aw_c / 100
                score_missed = rating != "达成"
            else:
                awarded = _award(score) if not na else float("nan")
                score_missed = (not na) and score < w - 1e-9
            reason = None
            if score_missed:
                any_missed = True
                if inflate and not qual:
                    awarded = float(w)
                elif rng.random() < 0.8:
                    reason = (V.DEVIATION_CAUSES[int(rng.integers(len(V.DEVIATION_CAUSES)))] + "；"
                              + V.DEVIATION_MEASURES[int(rng.integers(len(V.DEVIATION_MEASURES)))]
                              + "。")
            if na:
                note = V.NA_NOTES[int(rng.integers(len(V.NA_NOTES)))]
                reason = note or None
            if blank_award or (not na and rng.random() < 0.01):
                awarded = float("nan")
            out.append((p.pid, y, r.level1, r.level2, r.level3, kind, direction, unit or None,
                        target, actual, w, rating, awarded, na, reason))
            if meta is not None:
                meta.append((r.style, float(t), float(a), unit or "", r.printed, r.month,
                             bool(score_missed), bool(na), rating))
            if r.level2 == "数量指标" and first_qty is None and not na:
                first_qty = (r.level3, t, a, unit)
            if r.level2 == "社会效益指标" and first_soc is None:
                first_soc = (r.level3, target, r.style)
        # objective / achievement texts (年度总体目标 / 实际完成情况)
        obj = f"{y}年，按计划实施{p.name}"
        ach = f"{y}年，{p.name}"
        if first_qty is not None:
            n, t, a, u = first_qty
            obj += f"，{n}达到{_fmt(t)}{u}"
            ach += f"{n}实际完成{_fmt(a)}{u}"
        if first_soc is not None and first_soc[2] == "qual":
            obj += f"，{first_soc[0]}{first_soc[1]}"
        obj += "。"
        ach += "，部分绩效指标未达到年度目标。" if any_missed else "，各项绩效指标均达到年度目标。"
        return any_missed, obj, ach

    # ------------------------------------------------------------------ survey
    def _survey(self, p: _Project, y: int, target: float, miss: bool, survey: list,
                rng: np.random.Generator | None = None) -> float:
        """Draw one project's respondents; return the satisfied share (%) for the indicator."""
        rng = self.r_survey if rng is None else rng
        n = int(rng.integers(20, 201))
        sat = float(np.clip(target / 100 + rng.normal(0.03, 0.03) - (0.10 if miss else 0),
                            0.5, 0.995))
        p5 = sat * rng.uniform(0.35, 0.7)
        rest = 1 - sat
        probs = np.array([rest * 0.1, rest * 0.25, rest * 0.65, sat - p5, p5])
        codes = rng.choice(5, size=n, p=probs / probs.sum()) + 1
        labels = rng.random() < 0.4
        survey.append((p.pid, y, codes, labels))
        return round(100.0 * float(np.mean(codes >= 4)), 1)

    # ------------------------------------------------------------------ monthly
    def _monthly(self, keys: list[tuple[str, int]], totals: np.ndarray, works: np.ndarray
                 ) -> pd.DataFrame:
        rng = self.r_month
        n = len(keys)
        prof = np.where(works[:, None], _PROFILE_WORKS[None, :], _PROFILE_SERVICE[None, :])
        prof = prof / prof.sum(axis=1, keepdims=True)
        g = rng.gamma(prof * 40.0)
        start = np.where(works & (rng.random(n) < 0.5), rng.integers(1, 7, n), 1)
        g[np.arange(12)[None, :] < (start[:, None] - 1)] = 0.0
        g[:, 11] += 1e-9
        frac = np.cumsum(g, axis=1) / g.sum(axis=1, keepdims=True)
        cum = np.floor(frac * totals[:, None]).astype(np.int64)
        cum = np.maximum.accumulate(cum, axis=1)
        cum[:, 11] = totals
        pids = np.repeat([k[0] for k in keys], 12)
        yrs = np.repeat([k[1] for k in keys], 12)
        return pd.DataFrame({"project_id": pd.array(pids, dtype="str"),
                             "year": yrs.astype("int64"),
                             "month": np.tile(np.arange(1, 13), n).astype("int64"),
                             "cumulative_executed": (cum.ravel() / 100).round(2)})

    # ------------------------------------------------------------------ departments
    def _departments(self, budget: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
        rng = self.r_dept
        b = budget.merge(projects[["project_id", "year", "department_id"]],
                         on=["project_id", "year"])
        pe = b.groupby(["department_id", "year"])["executed"].sum()
        cur = b[b["source"] != "上年结转资金"]
        init = cur.groupby(["department_id", "year"])["initial"].sum()
        adj_up = (cur["adjusted"] - cur["initial"]).clip(lower=0).groupby(
            [cur["department_id"], cur["year"]]).sum()
        per_proj = b.groupby(["department_id", "year", "project_id"])["executed"].sum()
        # key projects (重点项目): the largest third of a department's projects by payments
        key_exp = {k: float(np.sort(g.to_numpy())[::-1][: max(1, len(g) // 3)].sum())
                   for k, g in per_proj.groupby(level=[0, 1])}
        rows = []
        for d in sorted(self.depts, key=lambda d: self.dept_ids[d.name]):
            did = self.dept_ids[d.name]
            auth = int(round(d.size * rng.uniform(30, 90)))
            tp = d.size ** 0.5 * rng.uniform(8, 40)
            tp_prior = tp * rng.uniform(1.0, 1.15)
            balance_prev = None
            for y in self.years:
                auth = max(5, auth + int(rng.integers(-2, 3)))
                actual = int(round(auth * (rng.uniform(1.01, 1.06) if rng.random() < 0.12
                                           else rng.uniform(0.86, 1.0))))
                # 三公 budgets mostly shrink (压减), sometimes grow
                tp *= rng.uniform(1.02, 1.15) if rng.random() < 0.2 else rng.uniform(0.85, 1.0)
                key = (did, y)
                proj_exec = float(pe.get(key, 0.0))
                basic = actual * rng.uniform(14, 20)
                initial = basic + float(init.get(key, 0.0))
                supp = float(adj_up.get(key, 0.0)) + initial * rng.uniform(0.0, 0.05)
                carry = (balance_prev if balance_prev is not None
                         else initial * rng.uniform(0.02, 0.08))
                expenditure = basic * rng.uniform(0.97, 1.0) + proj_exec
                avail = carry + initial + supp
                if expenditure > avail:
                    supp += expenditure - avail
                    avail = carry + initial + supp
                balance = avail - expenditure
                rows.append({
                    "department_id": did, "year": y, "name": d.name,
                    "staff_authorized": auth, "staff_actual": actual,
                    "three_public_budget": round(tp, 2), "three_public_prior": round(tp_prior, 2),
                    "three_public_executed": round(tp * rng.uniform(0.6, 1.0), 2),
                    "carryover_prior": round(carry, 2), "initial_budget": round(initial, 2),
                    "supplementary_budget": round(supp, 2), "year_end_balance": round(balance, 2),
                    "expenditure": round(expenditure, 2), "carryover_balance": round(balance, 2),
                    "key_project_expenditure": round(key_exp.get(key, 0.0), 2),
                    "project_expenditure": round(proj_exec, 2)})
                tp_prior = tp
                balance_prev = balance
        return pd.DataFrame(rows)

    # ------------------------------------------------------------------ townships
    def _townships(self) -> pd.DataFrame:
        rng = self.r_town
        rows = []
        for t in self.towns:
            tid = self.town_ids[t]
            kind = "街道" if t.endswith("街道") else ("镇" if t.endswith("镇") else "乡")
            pop = {"街道": rng.uniform(40000, 90000), "镇": rng.uniform(12000, 40000),
                   "乡": rng.uniform(4000, 12000)}[kind]
            rev = {"街道": rng.uniform(5000, 20000), "镇": rng.uniform(1000, 5000),
                   "乡": rng.uniform(300, 1200)}[kind]
            tax_share = {"街道": rng.uniform(0.7, 0.88), "镇": rng.uniform(0.55, 0.75),
                         "乡": rng.uniform(0.4, 0.65)}[kind]
            transfer_ratio = {"街道": rng.uniform(0.2, 0.5), "镇": rng.uniform(0.5, 1.2),
                              "乡": rng.uniform(1.0, 3.0)}[kind]
            debt_ratio = 0.0 if rng.random() < 0.25 else rng.uniform(0.1, 1.2)
            pm_year = self.years[0] + int(rng.integers(-1, len(self.years) + 1))
            for y in self.years:
                pop *= rng.uniform(0.985, 1.01)
                rev *= rng.uniform(0.97, 1.08)
                tax = rev * np.clip(tax_share + rng.normal(0, 0.02), 0.3, 0.95)
                transfer = rev * transfer_ratio * rng.uniform(0.9, 1.1)
                available = rev * rng.uniform(0.5, 0.7) + transfer
                budget = available * rng.uniform(0.95, 1.05)
                ex_rate = rng.uniform(0.68, 0.8) if rng.random() < 0.1 else rng.uniform(0.85, 0.99)
                expenditure = budget * ex_rate
                debt = available * debt_ratio * rng.uniform(0.9, 1.1)
                outlay = expenditure / 12 * rng.uniform(0.95, 1.05)
                rows.append({
                    "township_id": tid, "year": y, "name": t, "population": int(round(pop)),
                    "general_revenue": round(rev, 2), "tax_revenue": round(float(tax), 2),
                    "expenditure_budget": round(budget, 2), "expenditure": round(expenditure, 2),
                    "livelihood_expenditure": round(expenditure * rng.uniform(0.6, 0.82), 2),
                    "carryover_balance": round((budget - expenditure) * rng.uniform(0.6, 1.0), 2),
                    "debt_balance": round(debt, 2),
                    "debt_service": round(debt * rng.uniform(0.06, 0.15), 2),
                    "available_revenue": round(available, 2),
                    "treasury_balance": round(outlay * rng.uniform(0.5, 3.0), 2),
                    "monthly_outlay": round(outlay, 2),
                    "transfer_received": round(transfer, 2),
                    "disclosure": bool(rng.random() < 0.9),
                    "performance_mgmt": bool(y >= pm_year)})
        return pd.DataFrame(rows)

    # ------------------------------------------------------------------ planted cases
    def _plan(self, active: dict[int, list[_Project]]) -> dict:
        """Choose the planted cases (see the module docstring), from ``r_plan`` only.

        Returns ``{"idle": {pid: spec}, "twins": {pid: _Project}, "overlap": [(kind, pid_a,
        pid_b)]}``. Nothing is planted in districts of fewer than 50 projects a year or of a
        single year."""
        if self.plan is not None:
            return self.plan
        rng = self.r_plan
        plan: dict = {"idle": {}, "twins": {}, "overlap": []}
        self.plan = plan
        years = self.years
        if self.n_projects < 50 or len(years) < 2:
            return plan
        last = years[-1]
        every = set.intersection(*({p.pid for p in active[y]} for y in years))
        by_pid = {p.pid: p for y in years for p in active[y]}
        # sedimented funds: continuing projects (started before the first year), ordinary budget
        cand = sorted(pid for pid in every if by_pid[pid].start_year < years[0]
                      and by_pid[pid].budget_type in ("一般公共预算", "政府性基金预算"))
        n_idle = min(len(cand), 2 if self.n_projects < 200 else 3)
        for i in sorted(rng.choice(len(cand), n_idle, replace=False)):
            plan["idle"][cand[i]] = {
                "carry0": float(rng.uniform(0.3, 0.5)),
                "rates": {y: (float(rng.uniform(0.2, 0.4)), float(rng.uniform(0.15, 0.4)),
                              float(rng.uniform(0.9, 1.0))) for y in years}}
        # overlapping pairs (交叉重复) of different departments: two natural projects of the last
        # year (new ones preferred) are replaced by a curated pair
        depts = {d.name: d for d in self.depts}
        taken = set(plan["idle"])
        for kind, (da, ta), (db, tb) in V.OVERLAP_PAIRS:
            if da not in depts or db not in depts:
                continue
            chosen = []
            for dn in (da, db):
                pool = [p for p in sorted(active[last], key=lambda q: q.pid)
                        if p.dept.name == dn and p.pid not in taken
                        and p.budget_type == "一般公共预算" and p.base <= 1500]
                new = [p for p in pool if p.start_year == last]
                pool = new or pool
                if not pool:
                    break
                chosen.append(pool[int(rng.integers(len(pool)))])
            if len(chosen) < 2:
                continue
            a = self._twin(chosen[0], ta, rng)
            b = self._twin(chosen[1], tb, rng, like=a, share_all=kind == "near")
            plan["twins"][a.pid], plan["twins"][b.pid] = a, b
            plan["overlap"].append((kind, a.pid, b.pid))
            taken |= {a.pid, b.pid}
        return plan

    def _twin(self, nat: _Project, tpl: V.ProjectTemplate, rng: np.random.Generator, *,
              like: _Project | None = None, share_all: bool = False) -> _Project:
        """A curated project that takes the place (id, department, years, funds) of ``nat``.
        With ``like``, its indicator tree copies that project's: all of it (``share_all``), or
        all but the 数量指标 rows, which come from ``tpl``."""
        d = nat.dept
        modes = "、".join(m for m in FUNDING_MODES if m in {V.MODE_CODES[c] for c in tpl.modes})
        q = _Project(pid=nat.pid, name=tpl.name, dept=d, dept_id=nat.dept_id,
                     unit=tpl.unit or d.units[0], township_id=None,
                     budget_type=nat.budget_type, modes=modes or None,
                     start_year=nat.start_year, end_year=nat.end_year, base=nat.base,
                     works=any(w in tpl.name for w in _WORKS_WORDS), template=tpl)
        if like is None:
            self._skeleton(q, rng)
            return q
        q.rows = [copy.copy(r) for r in like.rows]
        q.has_sat = like.has_sat
        if not share_all:
            qty = [i for i, r in enumerate(q.rows) if r.level2 == "数量指标"]
            for i, (name, unit, spec) in zip(qty, tpl.qty):
                lo, _, hi = spec.partition("-")
                r = q.rows[i]
                r.level3, r.unit, r.lo, r.hi = name, unit, float(lo), float(hi or lo)
                r.base = _nice(rng.uniform(r.lo, r.hi), r.lo, r.hi)
        return q

    def _idle_rows(self, pid: str, y: int, rows: list, prev: dict) -> list:
        """Budget rows (cents) of a planted sedimented project: its appropriation as drawn,
        low execution, and a carry-over (上年结转资金) that grows every year."""
        spec = self.plan["idle"][pid]
        r_cur, r_carry, keep = spec["rates"][y]
        src, init, adj, _ = rows[0]
        if pid in prev:
            last_carry, unspent = prev[pid]
            carry = int(unspent * keep)
            if carry <= last_carry:
                carry = unspent
        else:
            carry = int(adj * spec["carry0"])
        exe, ce = int(math.floor(adj * r_cur)), int(math.floor(carry * r_carry))
        prev[pid] = (carry, adj - exe + carry - ce)
        return [(src, init, adj, exe), ("上年结转资金", carry, carry, ce)]

    # ------------------------------------------------------------------ monitoring snapshots
    def _snapshots(self, ind: pd.DataFrame, meta: list, keys: list, cum_c: np.ndarray,
                   adj_c: np.ndarray) -> pd.DataFrame:
        """Rows of the indicator_progress table (指标监控) at :data:`SNAPSHOT_MONTHS`.

        Progress to date follows the project's payments: the share of the year's payments made
        by month m, scaled by the execution rate (a project that spends little delivers little)
        and by the project-year's pace — on track (82 %), lagging (12 %: 45–70 % of that pace at
        month 6, catching up by the year's end) or ahead (6 %) — times the year-end actual.
        Rates (%, ‰) report the rate so far; the total-cost indicator the payments to date;
        deadlines a date once due; qualitative indicators a status text. Indicators missed at
        the year's end lag all year; their unit expects less than the target (and says 有可能
        or 不可能) for 40 % of them at mid-year and 70 % at the end of September, the others
        still expect the target. Satisfaction
        indicators (surveyed at the year's end) and 不适用 rows have no snapshot."""
        rng = self.r_prog
        n, nk = len(ind), len(keys)
        if n == 0:
            return _frame("indicator_progress", [])
        style = np.array([m[0] for m in meta], dtype=object)
        t = np.array([m[1] for m in meta], dtype=float)
        a = np.array([m[2] for m in meta], dtype=float)
        unit = np.array([m[3] for m in meta], dtype=object)
        printed = np.array([m[4] for m in meta], dtype=bool)
        dmonth = np.array([m[5] for m in meta], dtype=int)
        missed = np.array([m[6] for m in meta], dtype=bool)
        na = np.array([m[7] for m in meta], dtype=bool)
        rating = np.array([m[8] for m in meta], dtype=object)
        kpos = {k: i for i, k in enumerate(keys)}
        pid, l1, l2, l3 = (ind[c].tolist() for c in ("project_id", "level1", "level2", "level3"))
        years = ind["year"].to_numpy(dtype=int)
        ki = np.array([kpos[k] for k in zip(ind["project_id"].tolist(), years.tolist())])
        total = cum_c[:, 11].astype(float)
        share = np.divide(cum_c, total[:, None], out=np.zeros(cum_c.shape),
                          where=total[:, None] > 0)
        pace = np.sqrt(np.clip(np.divide(total, adj_c, out=np.zeros(nk), where=adj_c > 0)
                               / 0.9, 0.2, 1.0))
        u = rng.random(nk)
        lag, ahead = u < 0.12, (u >= 0.12) & (u < 0.18)
        fac = {6: np.where(lag, rng.uniform(0.45, 0.7, nk),
                           np.where(ahead, rng.uniform(1.3, 1.7, nk), 1.0)),
               9: np.where(lag, rng.uniform(0.7, 0.9, nk),
                           np.where(ahead, rng.uniform(1.1, 1.3, nk), 1.0))}
        ratio_unit = np.isin(unit, ("%", "‰")) | np.array(["/" in x for x in unit], dtype=bool)
        numeric = np.isin(style, ("pos", "rev", "eq0", "budget"))
        cumul = np.isin(style, ("pos", "rev", "eq0")) & ~ratio_unit
        lagging = missed | (lag[ki] & cumul)
        keep = ~np.isin(style, ("survey", "sat")) & ~na
        dec = np.array([_decimals(u_, t_) if np.isfinite(t_) else 0
                        for u_, t_ in zip(unit, t)], dtype=int)
        # the unit's expectation (全年预计完成值) and judgement (完成目标可能性)
        step = 10.0 ** -dec
        short6 = np.where(rng.random(n) < 0.5, t, np.minimum(a * rng.uniform(1.0, 1.05, n),
                                                               t - step))
        wart = rng.random(n) < 0.03             # "确定能" although its expectation falls short
        # units are optimistic early: most indicators missed at the year's end still expect
        # their target at mid-year, fewer at the end of September
        optimist = {6: rng.random(n) < 0.6, 9: rng.random(n) < 0.3}
        cause = rng.integers(len(V.DEVIATION_CAUSES), size=n)
        measure = rng.integers(len(V.DEVIATION_MEASURES), size=n)
        give_reason = rng.random(n) < 0.85
        text_on = rng.integers(len(V.PROGRESS_ON_TRACK), size=n)
        text_lag = rng.integers(len(V.PROGRESS_LAGGING), size=n)
        frac_prev = np.zeros(n)
        out = []
        for m in SNAPSHOT_MONTHS:
            noise = np.exp(rng.normal(0.0, 0.05, n))
            frac = np.clip(share[ki, m - 1] * fac[m][ki] * pace[ki] * noise, 0.0, 1.0)
            frac = np.maximum(frac, frac_prev)
            frac_prev = frac
            rate_now = np.clip(a * rng.uniform(0.985, 1.01, n), 0, None)
            rate_now = np.where(unit == "%", np.minimum(rate_now, 100.0), rate_now)
            prog = np.select([style == "budget", cumul & (style == "eq0"), cumul, numeric],
                             [cum_c[ki, m - 1] / 100, np.floor(a * frac), a * frac, rate_now],
                             np.nan)
            risk = missed & ~optimist[m]
            exp_ = np.where(risk, np.where(m < 9, short6, a), t)
            exp_ = np.where(style == "budget", a, np.where(style == "eq0", np.where(risk, a, 0),
                                                             np.where(style == "rev",
                                                                      np.where(risk, a, t),
                                                                      exp_)))
            with np.errstate(divide="ignore", invalid="ignore"):
                short = np.where(t > 0, exp_ / t, 0.0)
            like = np.where(~risk, "确定能",
                            np.where((style == "pos") & (short < 0.9) | (rating == "未达成"),
                                     "不可能", "有可能")).astype(object)
            like[risk & wart] = "确定能"
            due = (style == "deadline") & (dmonth <= m)
            for i in np.flatnonzero(keep):
                s = style[i]
                y = int(years[i])
                if s == "qual":
                    p_txt: object = (V.PROGRESS_LAGGING[text_lag[i]] if missed[i]
                                     else V.PROGRESS_ON_TRACK[text_on[i]])
                    e_txt: object = None
                elif s == "deadline":
                    am = max(1, int(a[i]) - y * 12)
                    if not due[i]:
                        p_txt = (V.PROGRESS_LAGGING[text_lag[i]] if missed[i]
                                 else V.PROGRESS_ON_TRACK[text_on[i]])
                    elif am <= m:
                        p_txt = f"{y}年{am}月"
                    else:
                        p_txt = "未按时完成"
                    e_txt = "延期完成" if risk[i] else "按时完成"
                else:
                    d = 2 if s == "budget" else int(dec[i])
                    p_txt = _num(round(float(prog[i]), d))
                    e_txt = _num(round(float(exp_[i]), d))
                    if printed[i] and unit[i]:
                        p_txt, e_txt = f"{_fmt(p_txt)}{unit[i]}", f"{_fmt(e_txt)}{unit[i]}"
                reason = analysis = meas = None
                if lagging[i] and give_reason[i]:
                    reason = V.DEVIATION_CAUSE_CATEGORY[cause[i]]
                    analysis = V.DEVIATION_CAUSES[cause[i]]
                    meas = V.DEVIATION_MEASURES[measure[i]]
                out.append((pid[i], y, m, l1[i], l2[i], l3[i], p_txt, e_txt, like[i], reason,
                            analysis, meas))
        return _frame("indicator_progress", out)

    # ------------------------------------------------------------------ run
    def run(self) -> dict[str, pd.DataFrame]:
        active = self._pool()
        plan = self._plan(active)
        proj_rows, bud_rows, ind_rows, survey, meta = [], [], [], [], []
        month_keys, month_tot, month_works, month_adj = [], [], [], []
        unspent: dict[str, int] = {}        # as drawn: keeps every later draw unchanged
        idle_prev: dict[str, tuple[int, int]] = {}
        rt = self.r_text
        for y in self.years:
            for p in sorted(active[y], key=lambda q: q.pid):
                rows, rate = self._budget(p, y, unspent.get(p.pid))
                unspent[p.pid] = sum(x[2] for x in rows) - sum(x[3] for x in rows)
                if p.pid in plan["idle"]:
                    rows = self._idle_rows(p.pid, y, rows, idle_prev)
                adj_c = sum(x[2] for x in rows)
                exe_c = sum(x[3] for x in rows)
                for src, i_c, a_c, e_c in rows:
                    bud_rows.append((p.pid, y, src, _money(i_c), _money(a_c), _money(e_c)))
                q = plan["twins"].get(p.pid)
                month_keys.append((p.pid, y))
                month_tot.append(exe_c)
                month_adj.append(adj_c)
                month_works.append(p.works)     # (the gamma draws depend on the profile)
                if q is None:
                    missed, obj, ach = self._indicators(p, y, rate, adj_c, exe_c, ind_rows,
                                                        survey, meta)
                else:   # the natural project's draws are made (and dropped) to keep the streams
                    missed, _, _ = self._indicators(p, y, rate, adj_c, exe_c, [], [])
                    _, obj, ach = self._indicators(q, y, rate, adj_c, exe_c, ind_rows, survey,
                                                   meta, rng=self.r_twin,
                                                   rng_survey=self.r_twin)
                note = None
                if rate < 0.9 and rt.random() < 0.6:
                    note = V.EXECUTION_NOTES[int(rt.integers(len(V.EXECUTION_NOTES)))]
                problems = measures = None
                if (rate < 0.9 or missed) and rt.random() < 0.6:
                    k = int(rt.integers(1, 3))
                    problems = "；".join(V.PROBLEMS[i] for i in
                                        sorted(rt.choice(len(V.PROBLEMS), k, replace=False)))
                    measures = "；".join(V.MEASURES[i] for i in
                                        sorted(rt.choice(len(V.MEASURES), k, replace=False)))
                if p.pid in plan["idle"]:
                    note = V.IDLE_NOTES[int(self.r_twin.integers(len(V.IDLE_NOTES)))]
                    problems = problems or V.PROBLEMS[0]
                    measures = measures or V.MEASURES[0]
                d = q or p
                proj_rows.append({
                    "project_id": p.pid, "year": y, "name": d.name, "department_id": d.dept_id,
                    "department": d.dept.name, "implementing_unit": d.unit,
                    "budget_type": d.budget_type, "funding_modes": d.modes,
                    "sector": d.dept.sector, "start_year": d.start_year, "end_year": d.end_year,
                    "township_id": d.township_id, "objective": obj, "achievement": ach,
                    "execution_note": note, "problems": problems, "measures": measures})

        projects = _frame("projects", proj_rows)
        budget = _frame("budget", bud_rows)
        indicators = _frame("indicators", ind_rows)
        monthly = self._monthly(month_keys, np.array(month_tot, dtype=np.int64),
                                np.array(month_works, dtype=bool))
        cum_c = np.round(monthly["cumulative_executed"].to_numpy() * 100).astype(np.int64) \
            .reshape(len(month_keys), 12)
        progress = self._snapshots(indicators, meta, month_keys, cum_c,
                                   np.array(month_adj, dtype=float))
        # survey
        if survey:
            sizes = np.array([len(s[2]) for s in survey])
            codes = np.concatenate([s[2] for s in survey])
            lab = np.repeat([s[3] for s in survey], sizes)
            labels = np.array(V.LIKERT_LABELS, dtype=object)[codes - 1]
            resp = np.where(lab, labels, codes.astype(object))
            rid = np.concatenate([np.arange(1, k + 1) for k in sizes])
            surv = pd.DataFrame({
                "project_id": pd.array(np.repeat([s[0] for s in survey], sizes), dtype="str"),
                "year": np.repeat([s[1] for s in survey], sizes).astype("int64"),
                "respondent_id": pd.array([f"{i:04d}" for i in rid], dtype="str"),
                "response": pd.Series(resp, dtype=object),
                "weight": np.full(len(codes), np.nan)})
        else:
            surv = _frame("survey", [])
        frames = {
            "projects": projects, "budget": budget, "monthly": monthly, "indicators": indicators,
            "indicator_progress": progress,
            "departments": _typed("departments", self._departments(budget, projects)),
            "townships": _typed("townships", self._townships()),
            "survey": _typed("survey", surv),
        }
        return {name: _sort(name, frames[name]) for name in TABLES}


# =============================================================================================
# frames: dtypes and order
# =============================================================================================
_OBJECT_COLS = {("indicators", "target"), ("indicators", "actual"), ("survey", "response"),
                ("indicator_progress", "progress"), ("indicator_progress", "expected")}


def _frame(name: str, rows: list) -> pd.DataFrame:
    cols = list(TABLES[name].names)
    df = pd.DataFrame.from_records(rows, columns=cols) if rows else pd.DataFrame(columns=cols)
    return _typed(name, df)


def _typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    t = TABLES[name]
    out = {}
    for c in t.columns:
        s = df[c.name] if c.name in df else pd.Series([None] * len(df), index=df.index)
        if (name, c.name) in _OBJECT_COLS:
            out[c.name] = s.astype(object).where(s.notna(), None)
        elif c.dtype == "int":
            out[c.name] = s.astype("int64") if c.required or s.notna().all() else s.astype("Int64")
        elif c.dtype == "float":
            out[c.name] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif c.dtype == "bool":
            out[c.name] = s.astype(bool)
        else:
            out[c.name] = s.astype(object).where(s.notna(), None).astype("str")
    return pd.DataFrame(out, index=df.index)


def _sort(name: str, df: pd.DataFrame) -> pd.DataFrame:
    t = TABLES[name]
    if name == "budget":
        order = df["source"].map({s: i for i, s in enumerate(FUND_SOURCES)})
        df = df.assign(_o=order).sort_values(["project_id", "year", "_o"], kind="stable")
        df = df.drop(columns="_o")
    elif name == "indicators":
        df = df.sort_values(["project_id", "year"], kind="stable")   # tree order kept within
    elif name == "indicator_progress":
        df = df.sort_values(["project_id", "year", "month"], kind="stable")
    else:
        df = df.sort_values(list(t.key), kind="stable")
    return df.reset_index(drop=True)


# =============================================================================================
# writing
# =============================================================================================
def _for_output(name: str, df: pd.DataFrame | None) -> pd.DataFrame:
    cols = list(TABLES[name].names)
    if df is None:
        return pd.DataFrame(columns=cols)
    missing = [c for c in cols if c not in df]
    if missing:
        df = df.assign(**{c: None for c in missing})
    return df[cols]


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(v: str) -> str:
    v = _ILLEGAL_XML.sub("", v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return v


def _cells(s: pd.Series, letter: str, first_row: int) -> list[str]:
    """SpreadsheetML fragments (``<c …>``) of one column, as openpyxl's write-only mode writes
    them: numbers ``t="n"``, booleans ``t="b"``, text as inline strings (never formulas)."""
    rows = range(first_row, first_row + len(s))
    if pd.api.types.is_bool_dtype(s.dtype) and not isinstance(s.dtype, pd.BooleanDtype):
        return [f'<c r="{letter}{r}" t="b"><v>{int(v)}</v></c>' for r, v in zip(rows, s.tolist())]
    if pd.api.types.is_float_dtype(s.dtype):
        return ["" if (v != v or v in (math.inf, -math.inf)) else
                f'<c r="{letter}{r}" t="n"><v>{v!r}</v></c>' for r, v in zip(rows, s.tolist())]
    if pd.api.types.is_integer_dtype(s.dtype) and not s.isna().any():
        return [f'<c r="{letter}{r}" t="n"><v>{int(v)}</v></c>' for r, v in zip(rows, s.tolist())]
    out = []
    for r, v in zip(rows, s.astype(object).tolist()):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            out.append("")
        elif isinstance(v, (bool, np.bool_)):
            out.append(f'<c r="{letter}{r}" t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, (int, np.integer)):
            out.append(f'<c r="{letter}{r}" t="n"><v>{int(v)}</v></c>')
        elif isinstance(v, (float, np.floating)):
            out.append(f'<c r="{letter}{r}" t="n"><v>{float(v)!r}</v></c>'
                       if math.isfinite(v) else "")
        else:
            text = _xml_text(str(v))
            sp = ' xml:space="preserve"' if text != text.strip() else ""
            out.append(f'<c r="{letter}{r}" t="inlineStr"><is><t{sp}>{text}</t></is></c>')
    return out


def _rows_xml(df: pd.DataFrame, columns: Sequence[str]) -> bytes:
    if len(df) + 1 > 1_048_576:
        raise InputError("too many rows for one Excel sheet (max 1,048,575 data rows)",
                         argument="frames", value=len(df))
    cols = [_cells(df[c], _col_letter(i), 2) for i, c in enumerate(columns)]
    parts = [f'<row r="{r}">' + "".join(cells) + "</row>"
             for r, cells in zip(range(2, len(df) + 2), zip(*cols))]
    return "".join(parts).encode("utf-8")


_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _write_xlsx(tables: Mapping[str, pd.DataFrame], path: Path, lang: str) -> None:
    """openpyxl (write-only) writes the workbook, styles, bold frozen headers and column
    widths; the data rows are streamed into each sheet's XML directly, which is ~20× faster
    than openpyxl's per-cell writer for the ~100,000-row survey table."""
    from openpyxl import Workbook as XLWorkbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = XLWorkbook(write_only=True)
    bold = Font(bold=True)
    data: dict[str, bytes] = {}
    for k, (name, df) in enumerate(tables.items(), start=1):
        t = TABLES[name]
        ws = wb.create_sheet(t.zh if lang == "zh" else t.name)
        ws.freeze_panes = "A2"
        for i, c in enumerate(t.columns):
            ws.column_dimensions[_col_letter(i)].width = max(10, min(40, 2.2 * len(c.zh) + 4))
        header = []
        for c in t.columns:
            cell = WriteOnlyCell(ws, value=c.zh if lang == "zh" else c.name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        data[f"xl/worksheets/sheet{k}.xml"] = _rows_xml(df, t.names)
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    _normalise_zip(buf.getvalue(), path, data)


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _normalise_zip(data: bytes, path: Path, rows: Mapping[str, bytes]) -> None:
    """Rewrite the xlsx: insert the data rows, fix the timestamps (equal content → equal
    bytes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _CORE_TIME.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", payload)
            extra = rows.get(info.filename)
            if extra:
                i = payload.rindex(b"</sheetData>")
                payload = payload[:i] + extra + payload[i:]
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, payload)
    path.write_bytes(out.getvalue())
