"""The indicator library (绩效指标库): common frameworks and core indicators by sector.

黔江实施意见 §十三 asks the finance bureau for a common framework of quantitative and
qualitative indicators (共性绩效指标框架) and the line departments for core indicators and
standards by sector and field (分行业、分领域核心绩效指标和标准体系), shared and adjusted over
time (共建共享、动态调整). This module is that library, as versioned YAML data:

- **indicator sets** (``kind: indicators``): one file per sector (行业领域, the strings of the
  workbook's ``sector`` column) plus the common set (通用). Each indicator has a stable id, the
  three levels of domain.md §3.1 (names exactly as :data:`perfkit.model.schema.LEVEL1` /
  ``LEVEL2``), a direction, unit, definition, formula, evidence (佐证材料) and value-setting
  hints by standard (计划标准 / 历史标准 / 行业标准 / 成本定额);
- **frameworks** (``kind: frameworks``): the common frameworks of domain.md §3 — the project
  target tree (§3.1), the 财预〔2020〕10号 evaluation framework (§3.2), the 53号-style project
  and department-overall sets with formulas (§3.3) and the township design proposal (§3.3).

:func:`load_library` reads the bundled sets, then local folders (``PERFKIT_INDICATOR_DIRS`` and
``extra_dirs``); every entry is validated and a local entry may replace a bundled one by id (the
replacement is recorded in :attr:`IndicatorLibrary.overrides`). :meth:`IndicatorLibrary.search`
finds indicators by words; :meth:`IndicatorLibrary.suggest` proposes indicators for a project;
:func:`suggest_for_project` also names the categories (数量/质量/时效/成本/效益/满意度) a
project's targets lack — the check the target review (绩效目标审核) uses.

Only the safe YAML loader is used (``yaml.CSafeLoader`` when libyaml is present, else
``yaml.SafeLoader``): a file with Python tags is refused.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml

from .._results import Result, jsonable
from .._text import fit_tfidf, normalise_text, text_similarity
from .._yaml import load_yaml
from ..errors import Collector, InputError
from ..model.schema import DIRECTIONS, LEVEL1, LEVEL2, TABLES

__all__ = ["IndicatorLibrary", "Framework", "ProjectSuggestion", "load_library",
           "default_library", "search", "suggest", "suggest_for_project", "LIBRARY_DIR",
           "ENV_VAR", "STANDARDS", "COMMON_SECTOR", "CATEGORIES", "INDICATOR_COLUMNS",
           "FRAMEWORK_COLUMNS", "SEARCH_COLUMNS", "SUGGEST_COLUMNS", "SUGGESTION_COLUMNS",
           "SET_COLUMNS", "OVERRIDE_COLUMNS"]

#: the bundled data folder
LIBRARY_DIR = Path(__file__).with_name("data")
#: environment variable: folders of local sets, separated by ``os.pathsep`` (``:`` or ``;``)
ENV_VAR = "PERFKIT_INDICATOR_DIRS"
#: value-setting standards (指标值设定依据), after 财预〔2021〕101号 as commonly summarised [U]
STANDARDS = ("计划标准", "历史标准", "行业标准", "成本定额")
#: the sector of the common (共性) indicator set
COMMON_SECTOR = "通用"
#: categories checked for completeness of a project's targets: name → (level1, level2 names)
CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "数量": ("产出指标", ("数量指标",)),
    "质量": ("产出指标", ("质量指标",)),
    "时效": ("产出指标", ("时效指标",)),
    "成本": ("产出指标", ("成本指标",)),
    "效益": ("效益指标", LEVEL2["效益指标"]),
    "满意度": ("满意度指标", LEVEL2["满意度指标"]),
}
_L2_CATEGORY = {l2: c for c, (_, l2s) in CATEGORIES.items() for l2 in l2s}

_DIRECTION_ALIASES = {">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤", "==": "=", "≧": "≥",
                      "≦": "≤", "定性指标": "定性"}
_KINDS = ("indicators", "frameworks")
_SET_FIELDS = {"id", "version", "title", "kind", "sector", "source", "note", "indicators",
               "frameworks"}
_IND_REQUIRED = ("id", "level2", "level3", "direction", "definition", "formula", "evidence",
                 "value_hint")
_IND_FIELDS = set(_IND_REQUIRED) | {"level1", "sector", "unit", "typical_target", "keywords",
                                    "source", "note"}
_FW_REQUIRED = ("id", "title", "subject", "structure", "nodes")
_FW_FIELDS = set(_FW_REQUIRED) | {"status", "source", "note", "table"}
_NODE_FIELDS = {"id", "ref", "level1", "level2", "level3", "direction", "unit", "definition",
                "formula", "inputs", "scoring", "source", "note"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
#: the safe loader, in C when libyaml is available (same results, ~20× faster)

#: fixed columns of :meth:`IndicatorLibrary.to_frame`
INDICATOR_COLUMNS = {
    "id": "stable id, e.g. EDU-OUT-Q-001 (sector code - level1 code - level2 code - number)",
    "sector": "行业领域 (the workbook's sector strings; 通用 for the common set)",
    "level1": "一级指标", "level2": "二级指标", "level3": "三级指标 (the indicator's name)",
    "category": "数量 / 质量 / 时效 / 成本 / 效益 / 满意度 (CATEGORIES)",
    "direction": "≥ / ≤ / = / 定性", "kind": "定量 / 定性", "unit": "计量单位",
    "definition": "指标解释", "formula": "计算公式 (定性: the rating rule)",
    "evidence": "佐证材料", "standards": "value-setting standards, '、'-joined (STANDARDS)",
    "value_hint": "取值建议 by standard, '；'-joined '标准：建议'",
    "typical_target": "typical target as printed (≥95%, 按期完成 …), may be empty",
    "keywords": "project keywords that call for the indicator, '、'-joined",
    "source": "source tag (V / S / U as in domain.md)", "set_id": "id of the set (file)",
    "set_version": "version of the set", "layer": "builtin / base / env / extra",
    "file": "the YAML file",
}
#: fixed columns of :meth:`Framework.to_frame`
FRAMEWORK_COLUMNS = {
    "framework": "framework id", "id": "node id", "level1": "一级指标", "level2": "二级指标",
    "level3": "三级指标", "direction": "≥ / ≤ / = / 定性 (may be empty)", "unit": "计量单位",
    "definition": "指标解释", "formula": "计算公式", "inputs": "workbook columns the formula "
    "uses (';'-joined, of the framework's table)", "scoring": "scoring example (评分标准示例)",
    "source": "source tag", "ref": "id of the library indicator the node reuses (may be empty)",
}
#: fixed columns of :meth:`IndicatorLibrary.search`
SEARCH_COLUMNS = {
    "id": "indicator id", "sector": "行业领域", "level1": "一级指标", "level2": "二级指标",
    "level3": "三级指标", "direction": "方向", "unit": "计量单位",
    "typical_target": "typical target", "definition": "指标解释", "formula": "计算公式",
    "score": "ranking score: 1·[query in name] + 0.5·[in definition/keywords] + "
             "0.25·[in formula] + 0.5·cos(name) + 0.5·cos(name+definition+formula)",
    "match": "where the query was found: 名称 / 定义 / 公式, else 相似 (similarity only)",
}
#: fixed columns of :meth:`IndicatorLibrary.suggest`
SUGGEST_COLUMNS = {
    "rank": "1 = best", "id": "indicator id", "sector": "行业领域", "level1": "一级指标",
    "level2": "二级指标", "level3": "三级指标", "category": "数量 … 满意度",
    "direction": "方向", "unit": "计量单位", "typical_target": "typical target",
    "formula": "计算公式",
    "score": "similarity + 0.5·sector_match + 0.15·[通用] + 0.3·peer_similarity",
    "similarity": "cosine of the project's name (0.7) and objective (0.3) with the indicator's "
                  "name, keywords, definition and formula",
    "sector_match": "the indicator belongs to the project's sector",
    "peer_similarity": "max over similar projects' indicator names of cos × project "
                       "similarity (NaN without a workbook)",
    "reason": "why it is suggested (Chinese)",
}
#: fixed columns of :meth:`ProjectSuggestion.to_frame`
SUGGESTION_COLUMNS = {"for_missing": "suggested for a category the project lacks",
                      **SUGGEST_COLUMNS}
#: fixed columns of :attr:`IndicatorLibrary.sets`
SET_COLUMNS = {"set_id": "id", "kind": "indicators / frameworks", "version": "version",
               "title": "title", "sector": "sector (indicator sets)", "source": "source tag",
               "layer": "builtin / base / env / extra", "n_entries": "indicators or frameworks",
               "file": "the YAML file"}
#: fixed columns of :attr:`IndicatorLibrary.overrides`
OVERRIDE_COLUMNS = {"id": "entry id replaced", "kind": "indicator / framework",
                    "replaced_set": "set id of the replaced entry",
                    "replaced_version": "its version", "replaced_file": "its file",
                    "by_set": "set id of the replacement", "by_version": "its version",
                    "by_file": "its file"}

_SECTOR_BONUS = 0.5
_COMMON_BONUS = 0.15
_PEER_WEIGHT = 0.3
_OBJECTIVE_WEIGHT = 0.3
_PEER_MIN = 0.3
_PEER_MAX = 5
_SAME_NAME = 0.8


# --------------------------------------------------------------------------------------------
# reading and validating
# --------------------------------------------------------------------------------------------

def _s(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read the indicator set: {e.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; save the indicator set as UTF-8", file=str(path)) \
            from None
    try:
        return load_yaml(text, what="indicator set")
    except yaml.YAMLError as e:
        raise InputError(f"is not valid YAML (plain YAML only, no Python tags; quote '=' and "
                         f"'%' values): {e}", file=str(path)) from None


def _files(where: Path, layer: str) -> list[Path]:
    if where.is_file():
        return [where]
    if not where.is_dir():
        raise InputError(f"indicator folder not found ({layer})", argument=(
            ENV_VAR if layer == "env" else "extra_dirs" if layer == "extra" else "path"),
            value=str(where))
    return sorted(p for p in where.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _direction(v: Any) -> str:
    """≥ ≤ = 定性, accepting >=, <=, == and full-width forms."""
    d = unicodedata.normalize("NFKC", _s(v)).replace(" ", "")
    return _DIRECTION_ALIASES.get(d, d)


def _check_unknown(entry: dict, known: set, what: str, file: str, col: Collector) -> None:
    """Report fields of ``entry`` not in ``known`` (one problem naming the first)."""
    unknown = sorted(set(map(str, entry)) - known)
    if unknown:
        col.add(f"{what}unknown field(s) {', '.join(unknown)}; known: "
                f"{', '.join(sorted(known))}", file=file, column=unknown[0])


def _check_set_header(raw: Any, file: str, col: Collector) -> dict | None:
    if not isinstance(raw, dict):
        col.add("an indicator set must be a mapping with id, version, kind and entries",
                file=file)
        return None
    for k in ("id", "version", "kind", "source"):
        if not _s(raw.get(k)):
            col.add(f"the set needs a '{k}'", file=file, column=k)
    _check_unknown(raw, _SET_FIELDS, "", file, col)
    kind = _s(raw.get("kind"))
    if kind and kind not in _KINDS:
        col.add(f"kind must be one of {', '.join(_KINDS)}", file=file, column="kind", value=kind)
        return None
    sid = _s(raw.get("id"))
    if sid and not _ID.match(sid):
        col.add("the set id must be letters, digits, '-', '_' or '.'", file=file, column="id",
                value=sid)
    key = "indicators" if kind == "indicators" else "frameworks"
    entries = raw.get(key)
    if kind and (not isinstance(entries, list) or not entries):
        col.add(f"a set of kind {kind} needs a non-empty list '{key}'", file=file, column=key)
        return None
    return raw


def _check_entry_id(e: Any, i: int, what: str, file: str, col: Collector) -> str | None:
    if not isinstance(e, dict):
        col.add(f"{what} #{i + 1} must be a mapping of fields", file=file, value=e)
        return None
    eid = _s(e.get("id"))
    if not eid:
        col.add(f"{what} #{i + 1} has no id", file=file, column="id")
        return None
    if not _ID.match(eid):
        col.add(f"{what} {eid!r}: the id must be letters, digits, '-', '_' or '.'", file=file,
                column="id", value=eid)
        return None
    return eid


def _check_levels(e: dict, eid: str, what: str, file: str, col: Collector,
                  structure: Mapping[str, Any] | None = None) -> tuple[str, str] | None:
    """level1/level2 against schema.LEVEL1/LEVEL2 (or a framework's structure)."""
    tree = {k: tuple(v) for k, v in (structure or LEVEL2).items()}
    l1, l2 = _s(e.get("level1")), _s(e.get("level2"))
    if not l2:
        col.add(f"{what} {eid!r}: level2 is required", file=file, column="level2")
        return None
    if not l1:
        owners = [k for k, v in tree.items() if l2 in v]
        if len(owners) != 1:
            col.add(f"{what} {eid!r}: unknown level2 name; use one of "
                    f"{', '.join(x for v in tree.values() for x in v)}", file=file,
                    column="level2", value=l2)
            return None
        l1 = owners[0]
    if l1 not in tree:
        col.add(f"{what} {eid!r}: unknown level1 name; use one of {', '.join(tree)}",
                file=file, column="level1", value=l1)
        return None
    if l2 not in tree[l1]:
        col.add(f"{what} {eid!r}: level2 {l2!r} is not under {l1}; use one of "
                f"{', '.join(tree[l1])}", file=file, column="level2", value=l2)
        return None
    return l1, l2


def _check_indicator(e: dict, eid: str, head: dict, file: str, col: Collector) -> dict | None:
    n0 = len(col.problems)
    _check_unknown(e, _IND_FIELDS, f"indicator {eid!r}: ", file, col)
    for k in _IND_REQUIRED:
        if k != "value_hint" and not _s(e.get(k)):
            col.add(f"indicator {eid!r}: {k} is required", file=file, column=k)
    levels = _check_levels(e, eid, "indicator", file, col)
    d = _direction(e.get("direction"))
    if _s(e.get("direction")) and d not in DIRECTIONS:
        col.add(f"indicator {eid!r}: direction must be one of {', '.join(DIRECTIONS)}",
                file=file, column="direction", value=e.get("direction"))
    if d in ("≥", "≤", "=") and not _s(e.get("unit")):
        col.add(f"indicator {eid!r}: a quantitative indicator ({d}) needs a unit", file=file,
                column="unit")
    vh = e.get("value_hint")
    if not isinstance(vh, dict) or not vh:
        col.add(f"indicator {eid!r}: value_hint must map one or more of "
                f"{', '.join(STANDARDS)} to a hint", file=file, column="value_hint", value=vh)
    else:
        for std, hint in vh.items():
            if std not in STANDARDS:
                col.add(f"indicator {eid!r}: unknown value_hint standard; use "
                        f"{', '.join(STANDARDS)}", file=file, column="value_hint", value=std)
            elif not _s(hint):
                col.add(f"indicator {eid!r}: value_hint {std} needs a hint text", file=file,
                        column="value_hint")
    kw = e.get("keywords", [])
    if kw is not None and not (isinstance(kw, list) and all(isinstance(x, str) for x in kw)):
        col.add(f"indicator {eid!r}: keywords must be a list of words", file=file,
                column="keywords", value=kw)
    sector = _s(e.get("sector")) or _s(head.get("sector"))
    if not sector:
        col.add(f"indicator {eid!r}: no sector (give it on the set or the entry)", file=file,
                column="sector")
    if len(col.problems) > n0 or levels is None:
        return None
    std = [s for s in STANDARDS if s in vh]
    return {
        "id": eid, "sector": sector, "level1": levels[0], "level2": levels[1],
        "level3": _s(e["level3"]), "category": _L2_CATEGORY[levels[1]], "direction": d,
        "kind": "定性" if d == "定性" else "定量", "unit": _s(e.get("unit")),
        "definition": _s(e["definition"]), "formula": _s(e["formula"]),
        "evidence": _s(e["evidence"]), "standards": "、".join(std),
        "value_hint": "；".join(f"{s}：{_s(vh[s])}" for s in std),
        "typical_target": _s(e.get("typical_target")),
        "keywords": "、".join(_s(x) for x in (kw or []) if _s(x)),
        "source": _s(e.get("source")) or _s(head.get("source")),
        "_value_hint": {s: _s(vh[s]) for s in std},
    }


def _check_framework(e: dict, eid: str, head: dict, file: str, col: Collector) -> dict | None:
    n0 = len(col.problems)
    _check_unknown(e, _FW_FIELDS, f"framework {eid!r}: ", file, col)
    for k in _FW_REQUIRED:
        if not e.get(k):
            col.add(f"framework {eid!r}: {k} is required", file=file, column=k)
    st = e.get("structure")
    structure: dict[str, dict[str, str]] = {}
    if st is not None and not (isinstance(st, dict) and all(isinstance(v, dict) and v
                                                            for v in st.values())):
        col.add(f"framework {eid!r}: structure must map each level1 to a mapping of level2 → "
                "description", file=file, column="structure")
    elif st:
        structure = {str(k): {str(a): _s(b) for a, b in v.items()} for k, v in st.items()}
    table = _s(e.get("table"))
    if table and table not in TABLES:
        col.add(f"framework {eid!r}: unknown workbook table; use one of {', '.join(TABLES)}",
                file=file, column="table", value=table)
        table = ""
    nodes_raw = e.get("nodes")
    if nodes_raw is not None and not isinstance(nodes_raw, list):
        col.add(f"framework {eid!r}: nodes must be a list", file=file, column="nodes")
        nodes_raw = []
    nodes = []
    src = _s(e.get("source")) or _s(head.get("source"))
    for i, nd in enumerate(nodes_raw or []):
        nid = _check_entry_id(nd, i, f"framework {eid!r} node", file, col)
        if nid is None:
            continue
        _check_unknown(nd, _NODE_FIELDS, f"node {nid!r}: ", file, col)
        ref = _s(nd.get("ref"))
        if ref:
            nodes.append({"framework": eid, "id": nid, "ref": ref,
                          "source": _s(nd.get("source")), "_file": file})
            continue
        if not _s(nd.get("level3")):
            col.add(f"node {nid!r}: level3 (or ref) is required", file=file, column="level3")
        levels = _check_levels(nd, nid, "node", file, col, structure) if structure else None
        d = _direction(nd.get("direction")) if _s(nd.get("direction")) else ""
        if d and d not in DIRECTIONS:
            col.add(f"node {nid!r}: direction must be one of {', '.join(DIRECTIONS)}",
                    file=file, column="direction", value=nd.get("direction"))
        inputs = nd.get("inputs") or []
        if not isinstance(inputs, list):
            col.add(f"node {nid!r}: inputs must be a list of column names", file=file,
                    column="inputs", value=inputs)
            inputs = []
        if inputs and not table:
            col.add(f"node {nid!r}: inputs need the framework's 'table'", file=file,
                    column="inputs")
        elif inputs:
            cols = TABLES[table].names
            for c in inputs:
                if c not in cols:
                    col.add(f"node {nid!r}: {c!r} is not a column of table {table}; use one "
                            f"of {', '.join(cols)}", file=file, column="inputs", value=c)
        if levels is None:
            continue
        nodes.append({"framework": eid, "id": nid, "level1": levels[0], "level2": levels[1],
                      "level3": _s(nd.get("level3")), "direction": d,
                      "unit": _s(nd.get("unit")), "definition": _s(nd.get("definition")),
                      "formula": _s(nd.get("formula")),
                      "inputs": ";".join(map(str, inputs)), "scoring": _s(nd.get("scoring")),
                      "source": _s(nd.get("source")) or src, "ref": ""})
    if len(col.problems) > n0:
        return None
    return {"id": eid, "title": _s(e["title"]), "subject": _s(e["subject"]),
            "status": _s(e.get("status")), "source": src, "note": _s(e.get("note")),
            "table": table, "structure": structure, "nodes": nodes}


@dataclass
class _Entry:
    kind: str                     # indicator | framework
    data: dict
    set_id: str
    version: str
    file: str
    layer: int
    layer_name: str


def _load_layers(layers: list[tuple[str, Path]]) -> tuple[dict, list[dict], list[dict]]:
    entries: dict[str, _Entry] = {}
    sets: list[dict] = []
    overrides: list[dict] = []
    for li, (lname, where) in enumerate(layers):
        col = Collector()
        seen_sets: dict[str, str] = {}
        layer_entries: dict[str, _Entry] = {}
        node_ids: dict[str, str] = {}          # framework node ids share the id namespace
        for path in _files(where, lname):
            file = str(path)
            raw = _check_set_header(_read(path), file, col)
            if raw is None or not _s(raw.get("kind")):
                continue
            sid, ver, kind = _s(raw.get("id")), _s(raw.get("version")), _s(raw["kind"])
            if sid in seen_sets:
                col.add(f"set id {sid!r} is used by two files in the same folder (also "
                        f"{seen_sets[sid]})", file=file, column="id", value=sid)
            seen_sets[sid] = file
            items = raw["indicators"] if kind == "indicators" else raw["frameworks"]
            n = 0
            for i, e in enumerate(items):
                what = "indicator" if kind == "indicators" else "framework"
                eid = _check_entry_id(e, i, what, file, col)
                if eid is None:
                    continue
                if eid in layer_entries or eid in node_ids:
                    other = layer_entries[eid].file if eid in layer_entries else node_ids[eid]
                    where_ = "earlier in this file" if other == file else f"also in {other}"
                    col.add(f"duplicate id {eid!r} ({where_}); ids must be unique", file=file,
                            column="id", value=eid)
                    continue
                raw_nodes = e.get("nodes") if kind == "frameworks" else None
                for nd in raw_nodes if isinstance(raw_nodes, list) else ():
                    nid = _s(nd.get("id")) if isinstance(nd, dict) else ""
                    if not nid:
                        continue
                    if nid in layer_entries or nid in node_ids or nid == eid:
                        col.add(f"duplicate id {nid!r} (node of framework {eid!r}); ids must "
                                "be unique", file=file, column="id", value=nid)
                    node_ids[nid] = file
                data = (_check_indicator if kind == "indicators" else _check_framework)(
                    e, eid, raw, file, col)
                if data is None:
                    continue
                layer_entries[eid] = _Entry(what, data, sid, ver, file, li, lname)
                n += 1
            sets.append({"set_id": sid, "kind": kind, "version": ver,
                         "title": _s(raw.get("title")) or sid, "sector": _s(raw.get("sector")),
                         "source": _s(raw.get("source")), "layer": lname, "n_entries": n,
                         "file": file})
        col.raise_if_any()
        for eid, ent in layer_entries.items():
            old = entries.get(eid)
            if old is not None:
                if old.kind != ent.kind:
                    raise InputError(f"{ent.kind} {eid!r} would replace a {old.kind} of the same "
                                     f"id ({old.file}); use another id", file=ent.file,
                                     column="id", value=eid)
                overrides.append({"id": eid, "kind": ent.kind, "replaced_set": old.set_id,
                                  "replaced_version": old.version, "replaced_file": old.file,
                                  "by_set": ent.set_id, "by_version": ent.version,
                                  "by_file": ent.file})
            entries[eid] = ent
    return entries, sets, overrides


# --------------------------------------------------------------------------------------------
# frameworks
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Framework:
    """A common framework (共性指标框架) of domain.md §3: levels with descriptions, and nodes.

    Attributes
    ----------
    id, title, subject : str — subject is 项目 / 部门整体 / 乡镇街道 …
    status : str — e.g. 参考 (reference), 设计建议 (design proposal)
    source : str — source tag of the framework (nodes may carry their own)
    structure : mapping level1 → mapping level2 → description
    nodes : DataFrame — :data:`FRAMEWORK_COLUMNS`
    table : str — workbook table the node ``inputs`` refer to ("" if none)
    """

    id: str
    title: str
    subject: str
    status: str
    source: str
    note: str
    table: str
    structure: Mapping[str, Mapping[str, str]]
    nodes: pd.DataFrame
    set_id: str = ""
    version: str = ""
    file: str = ""

    def to_frame(self) -> pd.DataFrame:
        return self.nodes.reindex(columns=list(FRAMEWORK_COLUMNS)).reset_index(drop=True)

    def levels(self) -> pd.DataFrame:
        """One row per level2: level1, level2, description."""
        return pd.DataFrame([{"level1": a, "level2": b, "description": d}
                             for a, sub in self.structure.items() for b, d in sub.items()],
                            columns=["level1", "level2", "description"])

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "subject": self.subject,
                "status": self.status, "source": self.source, "note": self.note,
                "table": self.table, "structure": jsonable(self.structure),
                "nodes": jsonable(self.to_frame()), "set_id": self.set_id,
                "version": self.version}

    def _repr_html_(self) -> str:
        import html
        return (f"<div><strong>{html.escape(self.title)}</strong> ({html.escape(self.status)}; "
                f"{html.escape(self.source)}){self.to_frame().to_html(escape=True)}</div>")


def _build_frameworks(entries: dict[str, _Entry], ind: pd.DataFrame) -> dict[str, Framework]:
    out = {}
    by_id = ind.set_index("id") if len(ind) else None
    for eid, ent in entries.items():
        if ent.kind != "framework":
            continue
        d = ent.data
        rows = []
        for nd in d["nodes"]:
            if nd.get("ref"):
                if by_id is None or nd["ref"] not in by_id.index:
                    raise InputError(f"node {nd['id']!r} of framework {eid!r} refers to an "
                                     "unknown indicator id", file=ent.file, column="ref",
                                     value=nd["ref"])
                r = by_id.loc[nd["ref"]]
                if d["structure"] and r["level2"] not in d["structure"].get(r["level1"], {}):
                    raise InputError(f"node {nd['id']!r}: indicator {nd['ref']!r} "
                                     f"({r['level1']}/{r['level2']}) is outside the framework's "
                                     "structure", file=ent.file, column="ref", value=nd["ref"])
                rows.append({"framework": eid, "id": nd["id"], "level1": r["level1"],
                             "level2": r["level2"], "level3": r["level3"],
                             "direction": r["direction"], "unit": r["unit"],
                             "definition": r["definition"], "formula": r["formula"],
                             "inputs": "", "scoring": "",
                             "source": nd.get("source") or r["source"], "ref": nd["ref"]})
            else:
                rows.append({k: v for k, v in nd.items() if not k.startswith("_")})
        out[eid] = Framework(eid, d["title"], d["subject"], d["status"], d["source"], d["note"],
                             d["table"], d["structure"],
                             pd.DataFrame(rows, columns=list(FRAMEWORK_COLUMNS)), ent.set_id,
                             ent.version, ent.file)
    return out


# --------------------------------------------------------------------------------------------
# the library
# --------------------------------------------------------------------------------------------

def _resolve_level1(v: Any) -> str:
    s = _s(v)
    for c in (s, s + "指标"):
        if c in LEVEL1:
            return c
    raise InputError(f"unknown level1; use one of {', '.join(LEVEL1)}", argument="level1",
                     value=v)


def _resolve_level2(v: Any) -> tuple[str, ...]:
    """Level-2 names from a category (时效, 效益 …), a level2 name, or a list of those."""
    vals = [v] if isinstance(v, str) else list(v)
    out: list[str] = []
    all_l2 = [x for t in LEVEL2.values() for x in t]
    for x in vals:
        s = _s(x)
        if s in CATEGORIES:
            out.extend(CATEGORIES[s][1])
        elif s in all_l2:
            out.append(s)
        elif s + "指标" in all_l2:
            out.append(s + "指标")
        else:
            raise InputError(f"unknown level2 or category; use one of "
                             f"{', '.join(CATEGORIES)} or {', '.join(all_l2)}",
                             argument="level2", value=x)
    return tuple(dict.fromkeys(out))


def _check_k(k: Any, name: str = "k") -> int:
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError("must be a whole number ≥ 1", argument=name, value=k)
    return int(k)


@dataclass(frozen=True, eq=False)
class IndicatorLibrary:
    """The loaded, validated indicator library. Build it with :func:`load_library`.

    Attributes
    ----------
    indicators : DataFrame — one row per indicator, :data:`INDICATOR_COLUMNS`
    frameworks : mapping id → :class:`Framework`
    sets : DataFrame — the files read, :data:`SET_COLUMNS`
    overrides : DataFrame — entries a later folder replaced by id, :data:`OVERRIDE_COLUMNS`
    """

    indicators: pd.DataFrame
    frameworks: Mapping[str, Framework]
    sets: pd.DataFrame
    overrides: pd.DataFrame
    _value_hints: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)

    # --- identity ---------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """The version of the base sets, then ``+set@version`` for each local set.

        The base sets normally share one version (e.g. ``2026.1``); if they do not, their
        distinct versions are joined with ``/``.
        """
        s = self.sets
        base = s[s["layer"].isin(["builtin", "base"])]
        vers = sorted(set(base["version"])) or ["0"]
        local = s[~s["layer"].isin(["builtin", "base"])]
        return "/".join(vers) + "".join(f"+{a}@{b}" for a, b in zip(local["set_id"],
                                                                     local["version"]))

    @functools.cached_property
    def hash(self) -> str:
        """sha256 of the canonical JSON of every entry and every set's id and version (file
        paths are left out, so the hash is the same on every machine)."""
        ind = self.indicators.drop(columns=["file", "layer"]).sort_values("id")
        payload = {
            "sets": sorted([a, b, c] for a, b, c in zip(self.sets["set_id"], self.sets["kind"],
                                                       self.sets["version"])),
            "indicators": jsonable(ind.reset_index(drop=True)),
            "value_hints": {k: dict(v) for k, v in sorted(self._value_hints.items())},
            "frameworks": {k: f.to_dict() for k, f in sorted(self.frameworks.items())},
        }
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    def ref(self) -> dict:
        """The identification that goes into results and manifests."""
        return {"id": "perfkit-indicators", "version": self.version, "hash": self.hash,
                "n_indicators": int(len(self.indicators)),
                "overrides": int(len(self.overrides))}

    # --- access -----------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """Every indicator, :data:`INDICATOR_COLUMNS`, sorted by sector then id."""
        return self.indicators.reindex(columns=list(INDICATOR_COLUMNS)).reset_index(drop=True)

    @property
    def sectors(self) -> list[str]:
        """Sectors with an indicator set (通用 last)."""
        s = sorted(set(self.indicators["sector"]) - {COMMON_SECTOR})
        return s + ([COMMON_SECTOR] if COMMON_SECTOR in set(self.indicators["sector"]) else [])

    def get(self, indicator_id: str) -> dict:
        """One indicator as a dict; ``value_hint`` is a mapping standard → hint."""
        m = self.indicators["id"] == indicator_id
        if not m.any():
            raise InputError("unknown indicator id", argument="indicator_id",
                             value=indicator_id)
        out = self.indicators[m].iloc[0].to_dict()
        out["value_hint"] = dict(self._value_hints.get(indicator_id, {}))
        out["keywords"] = [x for x in out["keywords"].split("、") if x]
        return out

    def framework(self, framework_id: str) -> Framework:
        """A common framework by id (``project_target``, ``eval10``, ``project53``,
        ``department_overall``, ``township_fiscal`` or a local one)."""
        if framework_id not in self.frameworks:
            raise InputError(f"unknown framework; available: {', '.join(self.frameworks)}",
                             argument="framework_id", value=framework_id)
        return self.frameworks[framework_id]

    def coverage(self) -> pd.DataFrame:
        """Indicators per sector and category (rows: sectors; columns: CATEGORIES)."""
        t = pd.crosstab(self.indicators["sector"], self.indicators["category"])
        t = t.reindex(index=self.sectors, columns=list(CATEGORIES), fill_value=0)
        t["total"] = t.sum(axis=1)
        return t

    def __len__(self) -> int:
        return len(self.indicators)

    def __repr__(self) -> str:
        return (f"IndicatorLibrary(version={self.version!r}, indicators={len(self)}, "
                f"sectors={len(self.sectors)}, frameworks={len(self.frameworks)}, "
                f"overrides={len(self.overrides)})")

    def summary(self) -> str:
        lines = [repr(self), "", self.coverage().to_string()]
        if len(self.overrides):
            lines += ["", "overrides:", self.overrides.to_string(index=False)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html
        return (f"<div><strong>{html.escape(repr(self))}</strong>"
                f"{self.coverage().to_html(escape=True)}</div>")

    # --- text machinery (fitted once, lazily) ------------------------------------------------
    @functools.cached_property
    def _text(self) -> dict:
        ind = self.indicators
        names = ind["level3"].tolist()
        docs = (ind["level3"] + " " + ind["keywords"] + " " + ind["definition"] + " "
                + ind["formula"]).tolist()
        model = fit_tfidf(docs)
        return {
            "model": model, "X_name": model.transform(names), "X_doc": model.transform(docs),
            "name_n": ind["level3"].map(normalise_text).to_numpy(dtype=object),
            "def_n": (ind["definition"] + ind["keywords"]).map(normalise_text)
            .to_numpy(dtype=object),
            "formula_n": ind["formula"].map(normalise_text).to_numpy(dtype=object),
        }

    def _mask(self, *, sector=None, level1=None, level2=None) -> np.ndarray:
        ind = self.indicators
        m = np.ones(len(ind), bool)
        if sector is not None:
            secs = [sector] if isinstance(sector, str) else list(sector)
            unknown = [x for x in secs if x not in set(ind["sector"])]
            if unknown:
                raise InputError(f"no indicator set for this sector; available: "
                                 f"{', '.join(self.sectors)}", argument="sector",
                                 value=unknown[0])
            m &= ind["sector"].isin(secs).to_numpy()
        if level1 is not None:
            m &= (ind["level1"] == _resolve_level1(level1)).to_numpy()
        if level2 is not None:
            m &= ind["level2"].isin(_resolve_level2(level2)).to_numpy()
        return m

    # --- search -----------------------------------------------------------------------------
    def search(self, query: str, *, sector: str | Sequence[str] | None = None,
               level1: str | None = None, level2: str | Sequence[str] | None = None,
               k: int = 20) -> pd.DataFrame:
        """Find indicators by words (substring and similarity ranking).

        Parameters
        ----------
        query : str
            Words, e.g. ``"营养改善"``, ``"覆盖率"``, ``"饮水 水质"`` (spaces and punctuation are
            ignored).
        sector : str or list of str, optional
            Restrict to these sectors (``"通用"`` is the common set).
        level1 : str, optional
            ``产出指标`` / ``效益指标`` / ``满意度指标`` (``产出`` … accepted).
        level2 : str or list, optional
            A level2 name or a category (数量 / 质量 / 时效 / 成本 / 效益 / 满意度).
        k : int
            How many to return at most.

        Returns
        -------
        DataFrame
            :data:`SEARCH_COLUMNS`, best first (ties by id); only rows with a positive score.

        Notes
        -----
        score = 1·[query ⊂ name] + 0.5·[query ⊂ definition or keywords] + 0.25·[query ⊂ formula]
        + 0.5·cos(query, name) + 0.5·cos(query, name + keywords + definition + formula), where
        ⊂ is a substring test on normalised text (:func:`perfkit._text.normalise_text`) and cos
        the character-bigram TF-IDF cosine (:mod:`perfkit._text`, idf fitted on the library).
        """
        k = _check_k(k)
        q = normalise_text(query)
        if not q:
            raise InputError("must contain letters, digits or Chinese characters",
                             argument="query", value=query)
        m = self._mask(sector=sector, level1=level1, level2=level2)
        t = self._text
        contains = np.vectorize(lambda s: q in s, otypes=[bool])
        in_name, in_def, in_formula = (contains(t[c]) if len(t[c]) else np.zeros(0, bool)
                                       for c in ("name_n", "def_n", "formula_n"))
        qv = t["model"].transform([query])
        sim_name = (t["X_name"] @ qv.T).toarray().ravel()
        sim_doc = (t["X_doc"] @ qv.T).toarray().ravel()
        score = (1.0 * in_name + 0.5 * in_def + 0.25 * in_formula + 0.5 * sim_name
                 + 0.5 * sim_doc)
        idx = np.flatnonzero(m & (score > 1e-12))
        ids = self.indicators["id"].to_numpy()
        idx = idx[np.lexsort((ids[idx], -score[idx]))][:k]
        out = self.indicators.iloc[idx].copy()
        out["score"] = score[idx]
        where = np.char.add(np.char.add(np.where(in_name[idx], "名称;", ""),
                                        np.where(in_def[idx], "定义;", "")),
                            np.where(in_formula[idx], "公式;", "")) if len(idx) else np.array([])
        out["match"] = [w.rstrip(";") or "相似" for w in where]
        return out.reindex(columns=list(SEARCH_COLUMNS)).reset_index(drop=True)

    # --- suggestions ------------------------------------------------------------------------
    def _infer_sector(self, sim: np.ndarray) -> str | None:
        ind = self.indicators
        s = pd.Series(sim, index=ind.index)
        s = s[(ind["sector"] != COMMON_SECTOR).to_numpy()]
        if s.empty:
            return None
        top = s.groupby(ind.loc[s.index, "sector"]).apply(
            lambda x: float(np.sort(x.to_numpy())[::-1][:3].mean()))
        best = top.sort_values(ascending=False, kind="stable")
        return str(best.index[0]) if best.iloc[0] > 0.05 else None

    def _scores(self, name: Any, objective: Any = None, *, sector: str | None = None,
                peer_names: Sequence[str] = (), peer_weights: Sequence[float] = ()) \
            -> tuple[pd.DataFrame, str | None, bool]:
        """Every indicator with similarity, sector match, peer similarity and score."""
        if not normalise_text(name) and not normalise_text(objective):
            raise InputError("needs a project name (or objective) with words in it",
                             argument="project_name", value=name)
        t = self._text
        sim = (t["X_doc"] @ t["model"].transform([name]).T).toarray().ravel()
        if normalise_text(objective):
            sim_o = (t["X_doc"] @ t["model"].transform([objective]).T).toarray().ravel()
            sim = (1 - _OBJECTIVE_WEIGHT) * sim + _OBJECTIVE_WEIGHT * sim_o
        ind = self.indicators
        inferred = False
        if sector is not None and sector not in set(ind["sector"]):
            sector = None                       # a sector without a set: infer one instead
        if sector is None:
            sector = self._infer_sector(sim)
            inferred = sector is not None
        match = (ind["sector"] == sector).to_numpy() if sector else np.zeros(len(ind), bool)
        common = (ind["sector"] == COMMON_SECTOR).to_numpy()
        peer = np.full(len(ind), np.nan)
        if len(peer_names):
            S = text_similarity(ind["level3"].tolist(), list(peer_names))
            peer = (S * np.asarray(peer_weights, float)[None, :]).max(axis=1)
        score = (sim + _SECTOR_BONUS * match + _COMMON_BONUS * (common & ~match)
                 + _PEER_WEIGHT * np.nan_to_num(peer))
        out = ind.copy()
        out["similarity"], out["sector_match"] = sim, match
        out["peer_similarity"], out["score"] = peer, score
        return out, sector, inferred

    @staticmethod
    def _rank(scored: pd.DataFrame, mask: np.ndarray, k: int, sector: str | None) \
            -> pd.DataFrame:
        idx = np.flatnonzero(mask)
        sc = scored["score"].to_numpy()
        ids = scored["id"].to_numpy()
        idx = idx[np.lexsort((ids[idx], -sc[idx]))][:k]
        out = scored.iloc[idx].copy()
        out["rank"] = np.arange(1, len(out) + 1)
        reasons = []
        for sm, s, p, sec in zip(out["sector_match"], out["similarity"], out["peer_similarity"],
                                 out["sector"]):
            r = [f"同行业（{sector}）" if sm else ("共性指标" if sec == COMMON_SECTOR
                                               else f"相近行业（{sec}）")]
            if s > 0:
                r.append(f"与项目名称/目标相似度{s:.2f}")
            if p == p and p > 0.3:
                r.append("同类项目使用相近指标")
            reasons.append("；".join(r))
        out["reason"] = reasons
        return out.reindex(columns=list(SUGGEST_COLUMNS)).reset_index(drop=True)

    def suggest(self, project_name: str, objective: str | None = None, *,
                sector: str | None = None, k: int = 10,
                level2: str | Sequence[str] | None = None,
                exclude: Iterable[str] = ()) -> pd.DataFrame:
        """Suggest indicators for a project from its name, objective and sector.

        Parameters
        ----------
        project_name : str
            项目名称, e.g. ``"青山镇农村饮水安全巩固提升工程"``.
        objective : str, optional
            年度总体目标 (weighs 0.3 against the name's 0.7).
        sector : str, optional
            行业领域. Without it (or when it has no set) the sector is inferred: the sector
            whose three best indicators are on average most similar to the project.
        k : int
            How many suggestions.
        level2 : str or list, optional
            Only these level2 names or categories (e.g. ``"时效"``).
        exclude : iterable of str
            Indicator names the project already has; library indicators with the same
            normalised name, or a name similarity ≥ 0.8, are left out.

        Returns
        -------
        DataFrame
            :data:`SUGGEST_COLUMNS`, best first. ``.attrs["sector"]`` is the sector used and
            ``.attrs["sector_inferred"]`` whether it was inferred.

        Notes
        -----
        score = similarity + 0.5·[same sector] + 0.15·[common set 通用], where similarity is
        the TF-IDF cosine (:mod:`perfkit._text`) of the project's name (and objective) with the
        indicator's name, keywords, definition and formula. Indicators of the project's sector
        therefore come first, ordered by similarity; common indicators follow.
        """
        k = _check_k(k)
        scored, used, inferred = self._scores(project_name, objective, sector=sector)
        m = self._mask(level2=level2) & self._not_existing(exclude)
        out = self._rank(scored, m, k, used)
        out.attrs.update({"sector": used, "sector_inferred": inferred})
        return out

    def _not_existing(self, existing: Iterable[str]) -> np.ndarray:
        ex = [x for x in existing if normalise_text(x)]
        if not ex:
            return np.ones(len(self.indicators), bool)
        names = self.indicators["level3"].tolist()
        same = np.isin(self._text["name_n"], [normalise_text(x) for x in ex])
        S = text_similarity(names, ex)
        return ~(same | (S.max(axis=1) >= _SAME_NAME))

    def suggest_for_project(self, workbook: Any, project_id: str, *, year: int | None = None,
                            k: int = 10, per_category: int = 3,
                            categories: Sequence[str] | None = None) -> "ProjectSuggestion":
        """Suggestions for a project of a workbook, and the categories its targets lack.

        Parameters
        ----------
        workbook : Workbook
        project_id : str
        year : int, optional
            Defaults to the latest year the project appears in.
        k : int
            How many general suggestions (any category).
        per_category : int
            How many suggestions for each missing category.
        categories : list of str, optional
            The categories a complete target set should cover; default all of
            :data:`CATEGORIES` (数量, 质量, 时效, 成本, 效益, 满意度).

        Returns
        -------
        ProjectSuggestion
            ``.missing`` the categories with no indicator; ``.to_frame()`` the suggestions
            (missing categories first, then general ones); ``.peers`` similar projects of the
            workbook and ``.peer_indicators`` what they use in the missing categories.

        Notes
        -----
        A workbook row's category comes from its level1 (效益指标 → 效益, 满意度指标 → 满意度)
        and otherwise from its level2 with the suffix 指标 optional (数量 / 质量 / 时效 / 成本).
        Similar projects are the year's other projects whose names have a TF-IDF cosine ≥ 0.3
        with this one (at most 5); the names of their indicators add
        ``0.3·max(cos(indicator, peer indicator) × project similarity)`` to a library
        indicator's score. The project's own indicators are never suggested again.
        """
        k = _check_k(k)
        per_category = _check_k(per_category, "per_category")
        cats = list(CATEGORIES) if categories is None else list(categories)
        bad = [c for c in cats if c not in CATEGORIES]
        if bad:
            raise InputError(f"unknown category; use {', '.join(CATEGORIES)}",
                             argument="categories", value=bad[0])
        pid = str(project_id)
        p = workbook["projects"].copy()
        p["project_id"] = p["project_id"].astype(str)
        p["year"] = pd.to_numeric(p["year"], errors="coerce")
        mine = p[p["project_id"] == pid]
        if mine.empty:
            raise InputError("no such project in the workbook", argument="project_id",
                             value=project_id)
        if year is None:
            year = int(mine["year"].max())
        row = mine[mine["year"] == int(year)]
        if row.empty:
            raise InputError(f"project {pid} has no row for this year (years: "
                             f"{', '.join(str(int(y)) for y in sorted(mine['year'].unique()))})",
                             argument="year", value=year)
        row = row.iloc[0]
        name, objective = _s(row.get("name")), _s(row.get("objective"))
        sector = _s(row.get("sector")) or None

        ind = workbook["indicators"].copy()
        ind["project_id"] = ind["project_id"].astype(str)
        ind["year"] = pd.to_numeric(ind["year"], errors="coerce")
        ind = ind[ind["year"] == int(year)]
        ind["category"] = _categories_of(ind)
        own = ind[ind["project_id"] == pid]
        present = {c: int((own["category"] == c).sum()) for c in cats}
        missing = tuple(c for c in cats if present[c] == 0)

        # similar projects of the same year (peers) and their indicators
        others = p[(p["year"] == int(year)) & (p["project_id"] != pid)]
        peers = pd.DataFrame(columns=["project_id", "name", "sector", "similarity"])
        if len(others) and name:
            sim = text_similarity([name], others["name"].tolist()).ravel()
            take = np.flatnonzero(sim >= _PEER_MIN)
            take = take[np.lexsort((others["project_id"].to_numpy()[take], -sim[take]))]
            take = take[:_PEER_MAX]
            peers = pd.DataFrame({"project_id": others["project_id"].to_numpy()[take],
                                  "name": others["name"].to_numpy()[take],
                                  "sector": others.get("sector", pd.Series(
                                      None, index=others.index)).to_numpy()[take],
                                  "similarity": sim[take]})
        pind = ind[ind["project_id"].isin(peers["project_id"])]
        pind = pind.merge(peers[["project_id", "similarity"]], on="project_id")
        pind = pind[pind["level3"].notna()]
        pw = pind.groupby("level3")["similarity"].max() if len(pind) else pd.Series(dtype=float)
        scored, used, inferred = self._scores(name or pid, objective or None, sector=sector,
                                              peer_names=pw.index.tolist(),
                                              peer_weights=pw.to_numpy())
        keep = self._not_existing(own["level3"].dropna().astype(str).tolist())
        parts = []
        for c in missing:
            m = keep & self.indicators["category"].eq(c).to_numpy()
            r = self._rank(scored, m, per_category, used)
            r.insert(0, "for_missing", True)
            parts.append(r)
        g = self._rank(scored, keep, k, used)
        g.insert(0, "for_missing", False)
        parts.append(g)
        sugg = pd.concat(parts, ignore_index=True).reindex(columns=list(SUGGESTION_COLUMNS))
        sugg["for_missing"] = sugg["for_missing"].astype(bool)
        pi = pind[pind["category"].isin(missing)]
        peer_ind = (pi.groupby(["category", "level3"], sort=False)
                    .agg(n_projects=("project_id", "nunique"),
                         project_ids=("project_id", lambda s: ";".join(sorted(set(s)))),
                         similarity=("similarity", "max"))
                    .reset_index()
                    .sort_values(["category", "n_projects", "similarity", "level3"],
                                 ascending=[True, False, False, True], kind="stable")
                    .reset_index(drop=True)) if len(pi) else pd.DataFrame(
            columns=["category", "level3", "n_projects", "project_ids", "similarity"])
        return ProjectSuggestion(library=self.ref(), project_id=pid, year=int(year), name=name,
                                 sector=sector or "", sector_used=used or "",
                                 sector_inferred=inferred, categories=tuple(cats),
                                 present=present, missing=missing, suggestions=sugg,
                                 peers=peers.reset_index(drop=True), peer_indicators=peer_ind)


def _categories_of(ind: pd.DataFrame) -> pd.Series:
    """Category (数量 … 满意度) of each workbook indicator row; None when unrecognised."""
    l1 = ind.get("level1", pd.Series("", index=ind.index)).fillna("").astype(str).str.strip()
    l2 = ind.get("level2", pd.Series("", index=ind.index)).fillna("").astype(str).str.strip()
    l2 = l2.str.replace(r"指标$", "", regex=True)
    cat = pd.Series(None, index=ind.index, dtype=object)
    for c in ("数量", "质量", "时效", "成本"):
        cat = cat.mask(cat.isna() & l2.str.contains(c, regex=False), c)
    cat = cat.mask(l2.str.contains("满意", regex=False), "满意度")
    cat = cat.mask(l2.str.contains("效益", regex=False) | l2.str.contains("可持续",
                                                                         regex=False), "效益")
    cat = cat.mask(l1.str.startswith("效益"), "效益")
    cat = cat.mask(l1.str.startswith("满意度"), "满意度")
    return cat


@dataclass(frozen=True, eq=False)
class ProjectSuggestion(Result):
    """Indicator suggestions for one project, and the categories its targets lack."""

    title = "指标建议 Indicator suggestions"

    library: dict
    project_id: str
    year: int
    name: str
    sector: str
    sector_used: str
    sector_inferred: bool
    categories: tuple
    present: dict
    missing: tuple
    suggestions: pd.DataFrame
    peers: pd.DataFrame
    peer_indicators: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.suggestions.reindex(columns=list(SUGGESTION_COLUMNS)).reset_index(drop=True)

    def for_category(self, category: str) -> pd.DataFrame:
        """Suggestions made for one missing category."""
        f = self.to_frame()
        return f[f["for_missing"] & (f["category"] == category)].reset_index(drop=True)

    def _summary_lines(self) -> list[str]:
        lines = [f"project: {self.project_id} {self.name} ({self.year})",
                 f"sector: {self.sector or '—'}" + (
                     f" (used: {self.sector_used}, inferred)" if self.sector_inferred else ""),
                 "present: " + ", ".join(f"{c} {n}" for c, n in self.present.items()),
                 "missing: " + ("、".join(self.missing) if self.missing else "none"),
                 f"library: {self.library['version']} {self.library['hash'][:19]}"]
        for c in self.missing:
            f = self.for_category(c)
            if len(f):
                lines.append(f"suggested for {c}: " + "、".join(f["level3"]))
        return lines

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "library": dict(self.library),
                "project_id": self.project_id, "year": int(self.year), "name": self.name,
                "sector": self.sector, "sector_used": self.sector_used,
                "sector_inferred": bool(self.sector_inferred),
                "categories": list(self.categories), "present": dict(self.present),
                "missing": list(self.missing), "suggestions": jsonable(self.to_frame()),
                "peers": jsonable(self.peers), "peer_indicators": jsonable(self.peer_indicators)}


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------

def _env_dirs() -> list[Path]:
    v = os.environ.get(ENV_VAR, "")
    return [Path(x) for x in v.split(os.pathsep) if x.strip()]


def load_library(path: str | Path | None = None, *,
                 extra_dirs: Iterable[str | Path] = (), env: bool = True) -> IndicatorLibrary:
    """Load and validate the indicator library.

    Parameters
    ----------
    path : str or Path, optional
        The base folder (or one file) of sets; default the bundled sets (:data:`LIBRARY_DIR`).
    extra_dirs : iterable of paths
        Local folders (or files) read after the base and after ``PERFKIT_INDICATOR_DIRS``;
        later folders win.
    env : bool
        Read the folders listed in the environment variable ``PERFKIT_INDICATOR_DIRS``
        (separated by ``os.pathsep``). Default True.

    Returns
    -------
    IndicatorLibrary

    Raises
    ------
    InputError
        Naming the file, the entry id and the field, for any of: YAML that does not parse, a
        missing set header (id, version, kind, source), an unknown field, a missing required
        field, a level1/level2 name outside :data:`perfkit.model.schema.LEVEL1`/``LEVEL2``, a
        direction outside ≥ ≤ = 定性 (``>=``/``<=``/``==`` are accepted and normalised), a
        quantitative indicator without a unit, a value_hint standard outside :data:`STANDARDS`,
        an id used twice in one folder, a framework node input that is not a column of the
        framework's table, a framework node ``ref`` to an unknown indicator. All the problems
        of a folder are reported together.

    Notes
    -----
    Folders are read in order: base, then each ``PERFKIT_INDICATOR_DIRS`` folder, then each
    ``extra_dirs`` folder; within a folder, files in name order. An entry whose id already
    exists in an earlier folder replaces it — a locality's own definition of a bundled
    indicator — and the replacement is listed in ``.overrides``. Within one folder an id must
    be unique.
    """
    layers: list[tuple[str, Path]] = [("builtin" if path is None else "base",
                                       LIBRARY_DIR if path is None else Path(path))]
    if env:
        layers += [("env", d) for d in _env_dirs()]
    if isinstance(extra_dirs, (str, Path)):
        extra_dirs = [extra_dirs]
    layers += [("extra", Path(d)) for d in extra_dirs]
    entries, sets, overrides = _load_layers(layers)
    recs = []
    hints: dict[str, dict[str, str]] = {}
    for eid, ent in entries.items():
        if ent.kind != "indicator":
            continue
        d = {k: v for k, v in ent.data.items() if not k.startswith("_")}
        hints[eid] = ent.data["_value_hint"]
        d.update(set_id=ent.set_id, set_version=ent.version, layer=ent.layer_name,
                 file=ent.file)
        recs.append(d)
    ind = pd.DataFrame(recs, columns=list(INDICATOR_COLUMNS))
    if len(ind):
        order = {s: i for i, s in enumerate(sorted(set(ind["sector"]) - {COMMON_SECTOR}))}
        order[COMMON_SECTOR] = len(order)
        ind = ind.assign(_o=ind["sector"].map(order)).sort_values(["_o", "id"], kind="stable") \
            .drop(columns="_o").reset_index(drop=True)
    frameworks = _build_frameworks(entries, ind)
    return IndicatorLibrary(ind, frameworks, pd.DataFrame(sets, columns=list(SET_COLUMNS)),
                            pd.DataFrame(overrides, columns=list(OVERRIDE_COLUMNS)), hints)


@functools.lru_cache(maxsize=4)
def _cached(env_value: str) -> IndicatorLibrary:
    return load_library()


def default_library() -> IndicatorLibrary:
    """The bundled library plus ``PERFKIT_INDICATOR_DIRS`` (cached per value of the variable)."""
    return _cached(os.environ.get(ENV_VAR, ""))


def search(query: str, **kw: Any) -> pd.DataFrame:
    """:meth:`IndicatorLibrary.search` on :func:`default_library` (e.g. ``search("营养改善")``)."""
    return default_library().search(query, **kw)


def suggest(project_name: str, objective: str | None = None, **kw: Any) -> pd.DataFrame:
    """:meth:`IndicatorLibrary.suggest` on :func:`default_library`."""
    return default_library().suggest(project_name, objective, **kw)


def suggest_for_project(workbook: Any, project_id: str, *, year: int | None = None,
                        k: int = 10, library: IndicatorLibrary | None = None,
                        **kw: Any) -> ProjectSuggestion:
    """:meth:`IndicatorLibrary.suggest_for_project` on ``library`` (default
    :func:`default_library`)."""
    lib = default_library() if library is None else library
    return lib.suggest_for_project(workbook, project_id, year=year, k=k, **kw)
