"""The indicator library (perfkit.indicators): data validity, search, suggestions, local sets."""
import json
import re
import textwrap

import pandas as pd
import pytest

from perfkit import indicators
from perfkit.datasets import _vocab
from perfkit.errors import InputError
from perfkit.indicators import (CATEGORIES, ENV_VAR, INDICATOR_COLUMNS, SEARCH_COLUMNS,
                                SUGGEST_COLUMNS, SUGGESTION_COLUMNS, load_library)
from perfkit.model.schema import DIRECTIONS, LEVEL1, LEVEL2, TABLES
from perfkit.model.workbook import Workbook

DEMO_SECTORS = sorted({d.sector for d in _vocab.DEPARTMENTS})
L2_CODE = {"数量指标": "OUT-Q", "质量指标": "OUT-QL", "时效指标": "OUT-T", "成本指标": "OUT-C",
           "经济效益指标": "EFF-EC", "社会效益指标": "EFF-SO", "生态效益指标": "EFF-EN",
           "可持续影响指标": "EFF-SU", "服务对象满意度指标": "SAT"}
DRINKING_WATER = {"WAT-EFF-SO-001", "WAT-OUT-Q-001", "WAT-OUT-Q-002", "WAT-EFF-SO-002",
                  "WAT-OUT-C-002", "WAT-EFF-SO-003", "WAT-OUT-QL-002", "WAT-SAT-002"}


@pytest.fixture(scope="module")
def lib():
    return load_library(env=False)


# --- the bundled data ----------------------------------------------------------------------------

def test_library_loads_and_identifies_itself(lib):
    f = lib.to_frame()
    assert list(f.columns) == list(INDICATOR_COLUMNS)
    assert len(f) >= 350 and f["id"].is_unique
    assert lib.version == "2026.1" and set(lib.sets["version"]) == {"2026.1"}
    assert lib.hash.startswith("sha256:") and len(lib.hash) == 71
    assert load_library(env=False).hash == lib.hash                      # stable
    assert lib.ref()["n_indicators"] == len(f) and lib.overrides.empty
    assert lib.sets["source"].str.match(r"^(U|S|V|domain)").all()       # every set tagged
    # every entry complete and within the schema's vocabulary
    for col in ("sector", "level3", "definition", "formula", "evidence", "standards",
                "value_hint", "source"):
        assert (f[col].str.len() > 0).all(), col
    assert f["direction"].isin(DIRECTIONS).all() and f["level1"].isin(LEVEL1).all()
    assert all(l2 in LEVEL2[l1] for l1, l2 in zip(f["level1"], f["level2"]))
    quantitative = f["direction"] != "定性"
    assert (f.loc[quantitative, "unit"].str.len() > 0).all()
    # ids follow SECTOR-LEVEL-NNN with the level code of their level2
    assert all(re.fullmatch(rf"[A-Z]{{3}}-{L2_CODE[l2]}-\d{{3}}", i)
               for i, l2 in zip(f["id"], f["level2"]))
    assert (f.groupby("sector")["id"].agg(lambda s: s.str[:3].nunique()) == 1).all()
    g = lib.get("EDU-OUT-QL-001")
    assert g["value_hint"] == {"计划标准": "按资助政策规定的认定条件"}
    assert g["formula"] == "认定准确的资助对象人数/实际资助对象人数×100%"


def test_every_demo_sector_has_a_full_core_set(lib):
    assert len(DEMO_SECTORS) >= 10
    assert set(DEMO_SECTORS) <= set(lib.sectors) and lib.sectors[-1] == "通用"
    cov = lib.coverage()
    f = lib.to_frame()
    for sector in DEMO_SECTORS:
        rows = f[f["sector"] == sector]
        assert len(rows) >= 15, sector
        assert set(rows["level1"]) == set(LEVEL1), sector                 # all three groups
        assert (cov.loc[sector, list(CATEGORIES)] > 0).all(), sector      # all six categories


def test_common_frameworks(lib):
    assert set(lib.frameworks) == {"project_target", "eval10", "project53", "department_overall",
                                   "township_fiscal"}
    pt = lib.framework("project_target")
    assert {k: tuple(v) for k, v in pt.structure.items()} == LEVEL2          # §3.1 tree
    assert set(pt.to_frame()["ref"]) <= set(lib.to_frame()["id"])
    e10 = lib.framework("eval10").to_frame()
    assert list(dict.fromkeys(e10["level1"])) == ["决策", "过程", "产出", "效益"]
    assert e10.loc[e10["level3"] == "资金到位率", "formula"].item() == "实际到位资金/预算资金×100%"
    assert e10.loc[e10["level3"] == "立项依据充分性", "source"].item() == "S: H"
    dep = lib.framework("department_overall")
    d = dep.to_frame().set_index("level3")
    assert d.loc["在职人员控制率", "formula"] == "在职人数/编制数×100%"
    assert d.loc["在职人员控制率", "inputs"] == "staff_actual;staff_authorized"
    cols = set(TABLES["departments"].names)
    assert all(set(x.split(";")) <= cols for x in dep.to_frame()["inputs"] if x)
    twn = lib.framework("township_fiscal")
    assert twn.status == "设计建议" and twn.source.startswith("U")
    assert list(twn.structure) == ["收入质量", "预算执行", "支出结构", "债务风险", "库款保障",
                                   "财政管理"]
    assert all(set(x.split(";")) <= set(TABLES["townships"].names)
               for x in twn.to_frame()["inputs"] if x)
    with pytest.raises(InputError, match="unknown framework"):
        lib.framework("nope")


# --- search --------------------------------------------------------------------------------------

def test_search_finds_student_nutrition():
    r = indicators.search("营养改善")                    # module-level shortcut
    assert list(r.columns) == list(SEARCH_COLUMNS)
    assert r["id"].iloc[0] == "EDU-OUT-Q-001"
    assert "名称" in r["match"].iloc[0] and "营养改善" in r["level3"].iloc[0]
    top = r.head(4)
    assert (top["sector"] == "教育").all()
    assert {"EDU-OUT-Q-002", "EDU-EFF-SO-003", "EDU-OUT-C-001"} <= set(r["id"].head(6))
    assert r["score"].is_monotonic_decreasing


def test_search_filters_and_errors(lib):
    r = lib.search("覆盖率", level2="效益", k=50)
    assert len(r) > 5 and (r["level1"] == "效益指标").all()
    r = lib.search("合格率", sector=["水利", "交通运输"], level1="产出")
    assert set(r["sector"]) <= {"水利", "交通运输"} and (r["level1"] == "产出指标").all()
    assert len(lib.search("满意度", k=3)) == 3
    assert lib.search("实际完成工作量")["match"].str.contains("公式").any()
    with pytest.raises(InputError, match="sector"):
        lib.search("x", sector="航天")
    with pytest.raises(InputError, match="level1"):
        lib.search("x", level1="投入")
    with pytest.raises(InputError, match="query"):
        lib.search(" ，。")
    with pytest.raises(InputError, match="k"):
        lib.search("x", k=0)


# --- suggestions ---------------------------------------------------------------------------------

def test_suggest_ranks_water_indicators_first(lib):
    s = lib.suggest("农村饮水安全巩固提升工程", sector="水利", k=10)
    assert list(s.columns) == list(SUGGEST_COLUMNS)
    assert (s["sector"] == "水利").all() and s["rank"].tolist() == list(range(1, 11))
    assert set(s["id"].head(3)) <= DRINKING_WATER
    assert s["similarity"].iloc[0] > 0.15 and s["score"].is_monotonic_decreasing
    assert s.attrs == {"sector": "水利", "sector_inferred": False}
    # without a sector the sector is inferred from the name
    t = lib.suggest("青山镇农村饮水安全巩固提升工程", k=5)
    assert t.attrs == {"sector": "水利", "sector_inferred": True}
    assert set(t["id"].head(3)) <= DRINKING_WATER
    # restricted to one category, and excluding what the project already has
    u = lib.suggest("农村饮水安全巩固提升工程", sector="水利", level2="时效", k=3,
                    exclude=["工程按期完工率"])
    assert (u["category"] == "时效").all() and "WAT-OUT-T-001" not in set(u["id"])
    with pytest.raises(InputError):
        lib.suggest("，，")


def _project(pid, name, sector, objective=""):
    return {"project_id": pid, "year": 2024, "name": name, "department_id": "D" + pid,
            "department": "部门" + pid, "budget_type": "一般公共预算", "sector": sector,
            "objective": objective}


def _ind(pid, level1, level2, level3):
    return {"project_id": pid, "year": 2024, "level1": level1, "level2": level2,
            "level3": level3, "direction": "≥", "target": "100"}


@pytest.fixture(scope="module")
def book():
    P = [_project("P1", "青山镇农村饮水安全巩固提升工程", "水利",
                  "新建改造供水管网，提高农村自来水普及率和供水保证率。"),
         _project("P2", "城东街道农村饮水安全巩固提升工程", "水利"),
         _project("P3", "学生营养改善计划", "教育")]
    I = [_ind("P1", "产出指标", "数量指标", "新建改造供水管网长度"),
         _ind("P1", "产出指标", "质量", "供水水质达标率"),                 # short level2 name
         _ind("P1", "产出指标", "成本指标", "项目总成本"),
         _ind("P1", "效益指标", "社会效益指标", "农村自来水普及率"),
         _ind("P2", "产出指标", "数量指标", "新建改造供水管网长度"),
         _ind("P2", "产出指标", "时效指标", "工程按期完工率"),
         _ind("P2", "产出指标", "时效指标", "通水时间"),
         _ind("P2", "满意度指标", "服务对象满意度指标", "受益群众满意度"),
         _ind("P3", "产出指标", "时效指标", "营养餐按时供应率"),
         _ind("P3", "满意度指标", "服务对象满意度指标", "学生及家长满意度")]
    return Workbook.from_frames({"projects": pd.DataFrame(P), "indicators": pd.DataFrame(I)})


def test_missing_categories_named_and_filled(lib, book):
    r = indicators.suggest_for_project(book, "P1", library=lib)
    assert r.missing == ("时效", "满意度")
    assert r.present == {"数量": 1, "质量": 1, "时效": 0, "成本": 1, "效益": 1, "满意度": 0}
    f = r.to_frame()
    assert list(f.columns) == list(SUGGESTION_COLUMNS)
    assert set(f.loc[f["for_missing"], "category"]) == {"时效", "满意度"}
    t, s = r.for_category("时效"), r.for_category("满意度")
    assert len(t) == 3 and (t["level2"] == "时效指标").all() and t["sector"].iloc[0] == "水利"
    assert len(s) == 3 and (s["level1"] == "满意度指标").all()
    assert s["id"].iloc[0] in {"WAT-SAT-001", "WAT-SAT-002"}
    # the similar project of the same sector is a peer; its indicators fill the gaps
    assert r.peers["project_id"].tolist() == ["P2"] and r.peers["similarity"].iloc[0] > 0.6
    pi = r.peer_indicators
    assert set(pi.loc[pi["category"] == "时效", "level3"]) == {"工程按期完工率", "通水时间"}
    assert pi.loc[pi["category"] == "满意度", "level3"].tolist() == ["受益群众满意度"]
    assert t["peer_similarity"].notna().all()
    assert t["id"].iloc[0] == "WAT-OUT-T-001"          # the peer's 工程按期完工率 is in the library
    # the project's own indicators are never suggested again
    assert not set(f["level3"]) & {"新建改造供水管网长度", "农村自来水普及率"}
    assert (~f["for_missing"]).sum() == 10
    json.dumps(r.to_dict(), ensure_ascii=False)          # JSON-safe
    assert "missing: 时效、满意度" in r.summary()


def test_complete_project_and_errors(lib, book):
    r = lib.suggest_for_project(book, "P2", categories=["数量", "时效", "满意度"])
    assert r.missing == () and not r.to_frame()["for_missing"].any()
    with pytest.raises(InputError, match="no such project"):
        lib.suggest_for_project(book, "NOPE")
    with pytest.raises(InputError, match="year"):
        lib.suggest_for_project(book, "P1", year=2020)
    with pytest.raises(InputError, match="category"):
        lib.suggest_for_project(book, "P1", categories=["投入"])


# --- local sets ----------------------------------------------------------------------------------

LOCAL = """\
id: local-edu
version: "2026.2"
title: 本区教育补充指标
kind: indicators
sector: 教育
source: "S: 本区教委2026年指标库"
indicators:
  - id: EDU-OUT-Q-001
    level1: 产出指标
    level2: 数量指标
    level3: 营养改善计划受益学生人数（本区口径）
    direction: ">="
    unit: 人
    definition: 本区口径：含城区寄宿制学校。
    formula: 受益学生人数
    evidence: 花名册
    value_hint: {计划标准: 按本区实施方案}
  - id: QJ-EDU-OUT-Q-001
    level2: 数量指标
    level3: 课后服务覆盖学校数
    direction: ≥
    unit: 所
    definition: 开展课后服务的义务教育学校数量。
    formula: 开展课后服务的学校数
    evidence: 课后服务实施方案
    value_hint: {计划标准: 按区课后服务工作方案}
"""


def test_local_set_overrides_by_id_and_is_versioned(lib, tmp_path, monkeypatch):
    d = tmp_path / "local"
    d.mkdir()
    (d / "edu.yaml").write_text(LOCAL, encoding="utf-8")
    loc = load_library(extra_dirs=[d], env=False)
    assert len(loc) == len(lib) + 1
    ov = loc.overrides
    assert ov["id"].tolist() == ["EDU-OUT-Q-001"] and ov["by_set"].item() == "local-edu"
    assert ov["by_file"].item().endswith("edu.yaml") and ov["replaced_set"].item() == "education"
    g = loc.get("EDU-OUT-Q-001")
    assert g["level3"].endswith("（本区口径）") and g["direction"] == "≥"     # >= normalised
    assert g["source"] == "S: 本区教委2026年指标库" and g["layer"] == "extra"
    assert loc.get("QJ-EDU-OUT-Q-001")["level1"] == "产出指标"            # derived from level2
    assert loc.version == "2026.1+local-edu@2026.2" and loc.hash != lib.hash
    # the same folder through the environment variable
    monkeypatch.setenv(ENV_VAR, str(d))
    env = load_library()
    assert env.overrides["id"].tolist() == ["EDU-OUT-Q-001"] and env.hash == loc.hash
    assert env.get("EDU-OUT-Q-001")["layer"] == "env"
    assert indicators.default_library().version == "2026.1+local-edu@2026.2"
    monkeypatch.delenv(ENV_VAR)
    assert indicators.default_library().version == "2026.1"


def _entry(eid="LOC-OUT-Q-001", **over):
    e = {"id": eid, "level1": "产出指标", "level2": "数量指标", "level3": "测试指标",
         "direction": "≥", "unit": "个", "definition": "定义", "formula": "公式",
         "evidence": "佐证", "value_hint": "{计划标准: 按计划}"}
    e.update(over)
    return "  - " + "\n    ".join(f"{k}: {v}" for k, v in e.items() if v is not None) + "\n"


def _write(tmp_path, entries, head=None):
    head = head or ('id: loc\nversion: "1"\nkind: indicators\nsector: 测试\n'
                    'source: "U: test"\nindicators:\n')
    f = tmp_path / "broken.yaml"
    f.write_text(head + "".join(entries), encoding="utf-8")
    return f


def test_broken_local_file_names_file_and_ids(tmp_path):
    f = _write(tmp_path, [_entry("LOC-OUT-Q-001", direction="大于"),
                          _entry("LOC-OUT-Q-002"), _entry("LOC-OUT-Q-002")])
    with pytest.raises(InputError) as e:
        load_library(f, env=False)
    msg = str(e.value)
    assert "2 problem(s)" in msg and str(f) in msg
    assert "'LOC-OUT-Q-001': direction must be one of ≥, ≤, =, 定性" in msg and "大于" in msg
    assert "duplicate id 'LOC-OUT-Q-002'" in msg
    assert all(p.file == str(f) for p in e.value.problems)


@pytest.mark.parametrize("entry,match", [
    (_entry(level1="投入指标"), "'LOC-OUT-Q-001': unknown level1"),
    (_entry(level2="经济效益指标"), "level2 '经济效益指标' is not under 产出指标"),
    (_entry(level1=None, level2="数量"), "'LOC-OUT-Q-001': unknown level2"),
    (_entry(formula=None), "'LOC-OUT-Q-001': formula is required"),
    (_entry(unit=None), "'LOC-OUT-Q-001': a quantitative indicator"),
    (_entry(value_hint="{计划: 按计划}"), "unknown value_hint standard"),
    (_entry(value_hint="按计划"), "value_hint must map"),
    (_entry(defintion="typo"), "unknown field\\(s\\) defintion"),
    (_entry(keywords="单个词"), "keywords must be a list"),
    (_entry(id="坏 id"), "the id must be"),
])
def test_invalid_entries(tmp_path, entry, match):
    f = _write(tmp_path, [entry])
    with pytest.raises(InputError, match=match) as e:
        load_library(f, env=False)
    assert e.value.problem.file == str(f)


def test_invalid_files(tmp_path):
    f = _write(tmp_path, [_entry(direction="=")])                   # unquoted '=' is a YAML tag
    with pytest.raises(InputError, match="quote '='"):
        load_library(f, env=False)
    f = _write(tmp_path, [_entry()], head="id: loc\nkind: indicators\nindicators:\n")
    with pytest.raises(InputError, match="needs a 'version'"):
        load_library(f, env=False)
    f = _write(tmp_path, [], head='id: loc\nversion: "1"\nkind: weights\nsource: U\n')
    with pytest.raises(InputError, match="kind must be one of"):
        load_library(f, env=False)
    fw = textwrap.dedent("""\
        id: fw
        version: "1"
        kind: frameworks
        source: "U: test"
        frameworks:
          - id: mine
            title: 测试框架
            subject: 部门整体
            table: departments
            structure: {投入: {预算配置: 说明}}
            nodes:
              - {id: N1, level1: 投入, level2: 预算配置, level3: 率, inputs: [staff_actual, nope]}
              - {id: N2, level1: 过程, level2: 预算配置, level3: 率}
              - {id: N1, level1: 投入, level2: 预算配置, level3: 率二}
        """)
    (tmp_path / "broken.yaml").write_text(fw, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_library(tmp_path / "broken.yaml", env=False)
    assert "'nope' is not a column of table departments" in str(e.value)
    assert "node 'N2': unknown level1" in str(e.value)
    assert "duplicate id 'N1' (node of framework 'mine')" in str(e.value)
    with pytest.raises(InputError, match="not found"):
        load_library(extra_dirs=[tmp_path / "missing"], env=False)
