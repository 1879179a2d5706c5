"""Small seeded example inputs of the management-cycle stages that the demo district lacks.

The demo district (:mod:`perfkit.datasets.demo`) is a workbook of projects, funds, indicators,
departments and townships. Two stages also need the sheets that experts fill in, which no
workbook holds:

- the ex-ante rating sheet (事前绩效评估评分表): :func:`example_exante_ratings` — two *proposed*
  projects (``XM90001`` 智慧养老服务平台建设项目, ``XM90002`` 城区背街小巷改造提升工程) rated by three
  experts on the five dimensions of domain.md §5, four 5-point items each; with
  :func:`example_exante_info` (the texts of section 1 of the report) and
  :func:`example_cashflows` (the benefit and cost streams of a cost-benefit appraisal);
- the key-evaluation expert score sheet (重点评价专家评分表): :func:`example_expert_scores` — two
  projects of the demo district (``XM00002``, ``XM00004`` by default) scored by five experts on
  the 财预〔2020〕10号 framework (domain.md §3.2) with round example weights
  (决策 15 / 过程 20 / 产出 35 / 效益 30, :data:`EXAMPLE_FRAMEWORK`).

Everything is fictional and drawn from :func:`numpy.random.default_rng` with a fixed seed: the
same seed gives identical frames. The notebooks use these when no file is given;
:func:`read_sheet` reads a user's own sheet (.xlsx or .csv, Chinese or English headers).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model.workbook import ROW, SHEET

__all__ = ["example_exante_ratings", "example_exante_info", "example_cashflows",
           "example_expert_scores", "read_sheet", "rating_sheet", "score_sheet", "cashflows_for",
           "exante_info", "EXANTE_ITEMS", "EXAMPLE_FRAMEWORK",
           "EXANTE_SUBJECTS", "KEY_EVALUATION_SUBJECTS", "EXAMPLE_SEED"]

#: seed of every example draw
EXAMPLE_SEED = 2025

#: the two proposed projects of the ex-ante example: id → name
EXANTE_SUBJECTS = {"XM90001": "智慧养老服务平台建设项目", "XM90002": "城区背街小巷改造提升工程"}
#: the demo-district projects of the key-evaluation example
KEY_EVALUATION_SUBJECTS = ("XM00002", "XM00004")

#: the ex-ante rating sheet: dimension → four 5-point items (domain.md §5; the first ten items are
#: the examples of the scoring sheet [S: I], the others written in the same style)
EXANTE_ITEMS = {
    "立项必要性": ("目的明确", "符合规划和部门职责", "唯一性、不与已有项目重复",
               "经过可行性研究、专家论证、风险评估和集体决策"),
    "投入经济性": ("预算与职责和任务匹配", "预算明细清晰", "厉行勤俭节约", "测算依据和定额标准充分"),
    "绩效目标合理性": ("目标格式完整", "目标明确", "指标细化量化", "目标与预算相匹配"),
    "实施方案可行性": ("组织机构和职责分工明确", "实施计划和进度安排合理", "管理制度健全",
                "风险防控措施可行"),
    "筹资合规性": ("资金来源合法合规", "筹资渠道明确", "支出责任与事权相匹配", "不新增隐性债务"),
}

# per subject: the probability of 优/良/中/差 for each dimension (the experts' common view);
# XM90001 is a well-prepared request, XM90002 a weak one on input economy and targets
_EXANTE_QUALITY = {
    "XM90001": {"立项必要性": (0.70, 0.25, 0.05, 0.0), "投入经济性": (0.45, 0.45, 0.10, 0.0),
                "绩效目标合理性": (0.50, 0.40, 0.10, 0.0), "实施方案可行性": (0.55, 0.40, 0.05, 0.0),
                "筹资合规性": (0.75, 0.25, 0.0, 0.0)},
    "XM90002": {"立项必要性": (0.35, 0.45, 0.20, 0.0), "投入经济性": (0.0, 0.20, 0.50, 0.30),
                "绩效目标合理性": (0.05, 0.35, 0.45, 0.15), "实施方案可行性": (0.20, 0.50, 0.30, 0.0),
                "筹资合规性": (0.30, 0.50, 0.20, 0.0)},
}
_RATINGS = ("优", "良", "中", "差")
_EXPERTS_EXANTE = ("张明（财务）", "李华（行业）", "王芳（评估）")
_EXPERTS_KEY = ("专家A（财务）", "专家B（行业）", "专家C（审计）", "专家D（评估）", "专家E（社会）")

#: the key-evaluation example framework: (一级, 二级, 三级, 分值) — the 10号 rows of domain.md §3.2
#: with round example weights (决策 15 / 过程 20 / 产出 35 / 效益 30)
EXAMPLE_FRAMEWORK = (
    ("决策", "项目立项", "立项依据充分性", 3.0), ("决策", "项目立项", "立项程序规范性", 2.0),
    ("决策", "绩效目标", "绩效目标合理性", 3.0), ("决策", "绩效目标", "绩效指标明确性", 2.0),
    ("决策", "资金投入", "预算编制科学性", 3.0), ("决策", "资金投入", "资金分配合理性", 2.0),
    ("过程", "资金管理", "资金到位率", 3.0), ("过程", "资金管理", "预算执行率", 5.0),
    ("过程", "资金管理", "资金使用合规性", 4.0), ("过程", "组织实施", "管理制度健全性", 3.0),
    ("过程", "组织实施", "制度执行有效性", 5.0),
    ("产出", "数量", "实际完成率", 10.0), ("产出", "质量", "质量达标率", 10.0),
    ("产出", "时效", "完成及时性", 8.0), ("产出", "成本", "成本节约率", 7.0),
    ("效益", "项目效益", "经济效益", 6.0), ("效益", "项目效益", "社会效益", 8.0),
    ("效益", "项目效益", "生态效益", 4.0), ("效益", "项目效益", "可持续影响", 4.0),
    ("效益", "满意度", "服务对象满意度", 8.0),
)

_INFO = {
    "XM90001": {
        "name": EXANTE_SUBJECTS["XM90001"], "department": "区民政局",
        "立项背景": "全区60岁以上老年人口占比逐年上升，居家和社区养老服务需求快速增长，现有服务信息分散在"
                "多个系统中，供需对接效率不高。",
        "主要内容": "建设全区统一的智慧养老服务平台，整合老年人基础信息、服务机构和服务订单，"
                "为居家老年人提供紧急呼叫、助餐助洁和健康监测服务。",
        "绩效目标": "项目建成后覆盖全区90%以上的居家养老服务对象，平台年服务量不少于10万人次，"
                "服务对象满意度不低于90%。",
        "资金构成": "总投资1,280万元：平台建设820万元（当年财政拨款），运行维护每年120万元（分年安排）。",
    },
    "XM90002": {
        "name": EXANTE_SUBJECTS["XM90002"], "department": "区住房城乡建委",
        "立项背景": "城区部分背街小巷路面破损、排水不畅、照明不足，群众反映较多。",
        "主要内容": "对城区42条背街小巷实施路面、排水、照明和立面改造。",
        "绩效目标": "完成42条背街小巷改造，群众满意度明显提升。",
        "资金构成": "总投资2,600万元：当年财政拨款1,600万元，其余1,000万元拟由专项债券安排，来源尚未落实。",
    },
}

# benefit and cost streams (万元, year 0 = the budget year); XM90002's benefits are modest
_CASHFLOWS = {
    "XM90001": {"costs": [820, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120],
                "benefits": [0, 260, 300, 320, 330, 340, 340, 340, 340, 340, 340]},
    "XM90002": {"costs": [1600, 1000, 60, 60, 60, 60, 60, 60, 60, 60, 60],
                "benefits": [0, 120, 220, 230, 230, 230, 230, 230, 230, 230, 230]},
}


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("must be a non-negative integer", argument="seed", value=seed)
    return int(seed)


def example_exante_ratings(*, seed: int = EXAMPLE_SEED) -> pd.DataFrame:
    """The ex-ante rating sheet of the example: 2 proposed projects × 3 experts × 20 items.

    Parameters
    ----------
    seed : int, keyword-only
        Seed of the draw.

    Returns
    -------
    DataFrame
        ``subject_id, expert, dimension, item, points, rating`` (the columns
        :func:`perfkit.cycle.exante.assess_exante` reads): 120 rows, 5 points per item. Each
        expert's rating of an item is drawn from the subject's quality profile for the
        dimension (``XM90001`` mostly 优/良, ``XM90002`` weak on 投入经济性 and 绩效目标合理性),
        so the experts broadly agree but not always.
    """
    rng = np.random.default_rng(_check_seed(seed))
    rows = []
    for sid, quality in _EXANTE_QUALITY.items():
        for dim, items in EXANTE_ITEMS.items():
            p = np.asarray(quality[dim], dtype=float)
            draws = rng.choice(len(_RATINGS), size=(len(items), len(_EXPERTS_EXANTE)),
                               p=p / p.sum())
            for i, item in enumerate(items):
                for j, expert in enumerate(_EXPERTS_EXANTE):
                    rows.append({"subject_id": sid, "expert": expert, "dimension": dim,
                                 "item": item, "points": 5.0, "rating": _RATINGS[draws[i, j]]})
    return pd.DataFrame(rows)


def example_exante_info() -> dict[str, dict[str, str]]:
    """Section 1 of the example ex-ante reports (立项背景, 主要内容, 绩效目标, 资金构成), by subject;
    also ``name`` and ``department``."""
    return {k: dict(v) for k, v in _INFO.items()}


def example_cashflows(subject_id: str) -> pd.DataFrame:
    """Benefit and cost streams (万元) of an example proposed project, for
    :func:`perfkit.methods.cba.appraise`.

    Returns
    -------
    DataFrame
        Index ``year`` (0 = the budget year … 10), columns ``benefits``, ``costs``.
    """
    sid = str(subject_id)
    if sid not in _CASHFLOWS:
        raise InputError(f"no example cash flows; examples: {', '.join(_CASHFLOWS)}",
                         argument="subject_id", value=sid)
    c = _CASHFLOWS[sid]
    return pd.DataFrame({"benefits": np.asarray(c["benefits"], dtype=float),
                         "costs": np.asarray(c["costs"], dtype=float)},
                        index=pd.RangeIndex(len(c["costs"]), name="year"))


def example_expert_scores(subject_ids=KEY_EVALUATION_SUBJECTS, *, n_experts: int = 5,
                          seed: int = EXAMPLE_SEED) -> pd.DataFrame:
    """A key-evaluation expert score sheet: subjects × experts × the 20 indicators of
    :data:`EXAMPLE_FRAMEWORK`.

    Parameters
    ----------
    subject_ids : sequence of str
        The projects scored (default ``XM00002``, ``XM00004`` of the demo district).
    n_experts : int, keyword-only
        2 to 5 experts.
    seed : int, keyword-only

    Returns
    -------
    DataFrame
        ``subject_id, expert, level1, level2, level3, weight, score``. Each subject has a true
        fraction per indicator (mostly 0.7–1.0); each expert adds a personal bias (±0.05) and
        noise (sd 0.06); two indicators per subject are *disputed* (sd 0.2), so the
        agreement statistics and the disputed-indicator list have something to find. Scores
        are rounded to 0.5 point and kept in [0, weight].
    """
    rng = np.random.default_rng(_check_seed(seed))
    ids = [str(s) for s in ([subject_ids] if isinstance(subject_ids, str) else subject_ids)]
    if not ids or len(set(ids)) != len(ids):
        raise InputError("must name one or more distinct subjects", argument="subject_ids",
                         value=ids)
    if isinstance(n_experts, bool) or not isinstance(n_experts, (int, np.integer)) \
            or not 2 <= n_experts <= len(_EXPERTS_KEY):
        raise InputError(f"must be an integer from 2 to {len(_EXPERTS_KEY)}",
                         argument="n_experts", value=n_experts)
    fw = pd.DataFrame(EXAMPLE_FRAMEWORK, columns=["level1", "level2", "level3", "weight"])
    w = fw["weight"].to_numpy()
    experts = _EXPERTS_KEY[:n_experts]
    parts = []
    for sid in ids:
        true = np.clip(rng.beta(7.0, 1.6, size=len(fw)), 0.45, 1.0)
        disputed = rng.choice(len(fw), size=2, replace=False)
        sd = np.full(len(fw), 0.06)
        sd[disputed] = 0.20
        bias = rng.uniform(-0.05, 0.05, size=n_experts)
        noise = rng.normal(0.0, 1.0, (len(fw), n_experts)) * sd[:, None]
        frac = true[:, None] + bias[None, :] + noise
        score = np.clip(np.round(np.clip(frac, 0.0, 1.0) * w[:, None] * 2) / 2, 0.0, w[:, None])
        for j, e in enumerate(experts):
            parts.append(fw.assign(subject_id=sid, expert=e, score=score[:, j]))
    out = pd.concat(parts, ignore_index=True)
    return out[["subject_id", "expert", "level1", "level2", "level3", "weight", "score"]]


def read_sheet(path: str | Path, *, sheet: str | int = 0) -> pd.DataFrame:
    """Read a rating or score sheet (.xlsx / .csv, Chinese or English headers) as text.

    Parameters
    ----------
    path : path of an ``.xlsx`` workbook (``sheet``: name or position, default the first) or a
        ``.csv`` file (UTF-8, UTF-8 with BOM or GB18030).
    sheet : str or int, keyword-only

    Returns
    -------
    DataFrame
        The cells as text (numbers are parsed by the stage that reads the sheet), blank rows
        dropped, with ``_row`` (the row as the user sees it, header = row 1) and ``_sheet`` so
        that errors name the row.

    Raises
    ------
    InputError
        The file does not exist, has another suffix, or holds no rows.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", file=str(p))
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            df = pd.read_excel(p, sheet_name=sheet, dtype=object, engine="openpyxl")
        except ValueError as e:
            raise InputError(f"cannot read the sheet: {e}", file=str(p), sheet=str(sheet)) \
                from None
        sheet_name = str(sheet) if isinstance(sheet, str) else None
    elif suffix == ".csv":
        from ..io.csvio import csv_records, decode_csv
        text, _ = decode_csv(p.read_bytes())
        recs = csv_records(text)
        if not recs:
            raise InputError("the file is empty", file=str(p))
        head, body = recs[0], recs[1:]
        width = len(head)
        df = pd.DataFrame([(r + [None] * width)[:width] for r in body], columns=head,
                          dtype=object)
        sheet_name = p.stem
    else:
        raise InputError("must be an .xlsx or .csv file", file=str(p), value=p.suffix)
    df = df.replace({"": None})
    df[ROW] = np.arange(2, len(df) + 2)
    keep = df.drop(columns=[ROW]).notna().any(axis=1)
    df = df[keep].reset_index(drop=True)
    if df.empty:
        raise InputError("the sheet has no rows", file=str(p))
    df[SHEET] = sheet_name
    return df


# --------------------------------------------------------------------------------------------
# the user's file when given, else the example (what the stage notebooks call)
# --------------------------------------------------------------------------------------------
def rating_sheet(path: str | Path | None = None) -> pd.DataFrame:
    """The ex-ante rating sheet at ``path`` (:func:`read_sheet`), or the example when ``None``."""
    return example_exante_ratings() if path is None else read_sheet(path)


def score_sheet(path: str | Path | None = None) -> pd.DataFrame:
    """The key-evaluation expert score sheet at ``path``, or the example when ``None``."""
    return example_expert_scores() if path is None else read_sheet(path)


def exante_info(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Section-1 texts of the ex-ante report: the example's when the example ratings are used
    (``path`` is None), else none (the report says 未提供)."""
    return example_exante_info() if path is None else {}


_FLOW_HEADERS = {"year": ("year", "年度", "年份", "期数"), "benefits": ("benefits", "效益", "收益"),
                 "costs": ("costs", "成本", "费用")}


def cashflows_for(subject_id: str, path: str | Path | None = None) -> pd.DataFrame | None:
    """Benefit and cost streams (万元) for a cost-benefit appraisal.

    Parameters
    ----------
    subject_id : str
    path : path, optional
        A sheet with the columns 年度/year, 效益/benefits, 成本/costs (one row per year, year 0
        first). When ``None``: the example's streams if ``subject_id`` is an example subject,
        else ``None`` (no appraisal).

    Returns
    -------
    DataFrame or None
        Index ``year``, columns ``benefits``, ``costs`` (floats).
    """
    if path is None:
        return example_cashflows(subject_id) if str(subject_id) in _CASHFLOWS else None
    df = read_sheet(path)
    from ..cycle.exante import _map_columns
    df = _map_columns(df, _FLOW_HEADERS, argument="cashflows")
    missing = [c for c in ("benefits", "costs") if c not in df]
    if missing:
        raise InputError(f"the cash-flow sheet needs the column(s) {', '.join(missing)} "
                         "(效益 / 成本)", file=str(path), column=missing[0])
    out = pd.DataFrame({c: pd.to_numeric(df[c], errors="coerce") for c in ("benefits", "costs")})
    bad = out.isna().any(axis=1)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError("benefits and costs must be numbers (0 when none)", file=str(path),
                         row=int(df[ROW].iloc[i]), value=None)
    years = pd.to_numeric(df["year"], errors="coerce") if "year" in df \
        else pd.Series(np.arange(len(out)))
    out.index = pd.Index(years.astype(int).to_numpy(), name="year")
    return out
