"""Dual monitoring for one department (department=): which projects, the dashboard row, the
forecast pooled over the whole district, the errors, and the department's report — on a
hand-made district of three departments."""
import json

import pandas as pd
import pytest

from perfkit.cycle.monitoring import monitor
from perfkit.errors import InputError
from perfkit.model.workbook import Workbook
from perfkit.report import cycle_view as cv
from perfkit.run.execute import key_results

DEPTS = {"D1": "区水利局", "D2": "区教委", "D3": "区农业农村委"}
#: pid: (department, adjusted budget 2024, cumulative payments at the end of June 2024)
PROJECTS = {"A1": ("D1", 100.0, 30.0),     # E = 0.30, R = 0.60: yellow (on the red boundary)
            "A2": ("D1", 200.0, 120.0),    # E = 0.60, R = 1.20: green
            "A3": ("D1", 300.0, 60.0),     # E = 0.20, R = 0.40: red
            "B1": ("D2", 400.0, 180.0),    # E = 0.45, R = 0.90: green
            "C1": ("D3", 50.0, 10.0),      # E = 0.20, R = 0.40: red
            "C2": ("D3", 150.0, 75.0)}     # E = 0.50, R = 1.00: green
#: history of every project (2022, 2023): share paid at the end of June, final share
HISTORY = {"A1": [(0.30, 0.95), (0.35, 0.97)], "A2": [(0.50, 0.99), (0.45, 0.96)],
           "A3": [(0.10, 0.70), (0.15, 0.80)], "B1": [(0.40, 0.92), (0.25, 0.85)],
           "C1": [(0.20, 0.88), (0.05, 0.60)], "C2": [(0.55, 1.00), (0.60, 0.98)]}


def district(keep=None) -> Workbook:
    """The district (or only the projects in ``keep``): 2024 to June, 2022–2023 in full."""
    P, B, M = [], [], []
    for pid, (d, budget, paid) in PROJECTS.items():
        if keep is not None and pid not in keep:
            continue
        for y in (2022, 2023, 2024):
            P.append({"project_id": pid, "year": y, "name": f"项目{pid}", "department_id": d,
                      "department": DEPTS[d], "implementing_unit": f"{DEPTS[d]}下属单位",
                      "budget_type": "一般公共预算", "sector": "综合"})
        for y, (x6, final) in zip((2022, 2023), HISTORY[pid]):
            B.append({"project_id": pid, "year": y, "source": "当年财政拨款", "initial": budget,
                      "adjusted": budget, "executed": final * budget})
            M += [{"project_id": pid, "year": y, "month": m,
                   "cumulative_executed": budget * (x6 * m / 6 if m <= 6
                                                    else x6 + (final - x6) * (m - 6) / 6)}
                  for m in range(1, 13)]
        B.append({"project_id": pid, "year": 2024, "source": "当年财政拨款", "initial": budget,
                  "adjusted": budget, "executed": None})
        M += [{"project_id": pid, "year": 2024, "month": m, "cumulative_executed": paid * m / 6}
              for m in range(1, 7)]
    ind = pd.DataFrame(columns=["project_id", "year", "level1", "level2", "level3", "direction",
                                "kind", "target_value", "actual_value"])
    return Workbook.from_frames({"projects": pd.DataFrame(P), "budget": pd.DataFrame(B),
                                 "monthly": pd.DataFrame(M), "indicators": ind},
                                source="district.xlsx")


@pytest.fixture(scope="module")
def wb():
    return district()


@pytest.fixture(scope="module")
def full(wb):
    return monitor(wb, year=2024, month=6)


@pytest.fixture(scope="module")
def d1(wb):
    return monitor(wb, year=2024, month=6, department="D1")


def test_the_department_s_projects_only(full, d1, wb):
    f = d1.to_frame()
    assert f["project_id"].tolist() == ["A1", "A2", "A3"]
    assert (f["department"] == "区水利局").all()
    assert f["execution_rate"].tolist() == pytest.approx([0.30, 0.60, 0.20], abs=1e-12)
    assert f["light"].tolist() == ["yellow", "green", "red"]
    assert d1.department == {"department_id": "D1", "department": "区水利局"}
    assert full.department is None and len(full.projects) == 6
    # by name, the same result
    by_name = monitor(wb, year=2024, month=6, department="区农业农村委")
    assert by_name.to_frame()["project_id"].tolist() == ["C1", "C2"]
    assert by_name.department == {"department_id": "D3", "department": "区农业农村委"}
    # combined with project_ids: both restrictions apply
    both = monitor(wb, year=2024, month=6, department="D1", project_ids=["A3", "C1"])
    assert both.to_frame()["project_id"].tolist() == ["A3"]
    # each row is the district's row of that project
    pd.testing.assert_frame_equal(f, full.to_frame().iloc[:3].reset_index(drop=True))


def test_the_dashboard_row_by_hand(d1):
    dash = d1.dashboard("department")
    assert dash["department"].tolist() == ["区水利局", "合计"]
    row = dash.iloc[0].to_dict()
    assert {k: row[k] for k in ("n_projects", "n_red", "n_yellow", "n_green",
                                "n_checkpoint_missed", "n_gap")} == {
        "n_projects": 3, "n_red": 1, "n_yellow": 1, "n_green": 1, "n_checkpoint_missed": 0,
        "n_gap": 0}
    assert row["budget"] == pytest.approx(600.0)
    assert row["executed_to_date"] == pytest.approx(30 + 120 + 60)
    assert row["execution_rate"] == pytest.approx(210 / 600)
    assert row["budget_red"] == pytest.approx(300.0)                  # A3
    assert dash.iloc[1].drop("department").to_dict() == dash.iloc[0].drop("department").to_dict()


def test_the_forecast_pools_every_department(full, d1, wb):
    # fitted on the 12 project-years of 2022–2023 of all six projects, not D1's six
    assert d1.forecast_model == full.forecast_model
    assert d1.forecast_model["method"] == "pooled" and d1.forecast_model["n_history"] == 12
    cols = ["forecast", "forecast_lower", "forecast_upper", "likelihood", "handling"]
    a = d1.to_frame().set_index("project_id")[cols]
    b = full.to_frame().set_index("project_id").loc[a.index, cols]
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    # a workbook of D1's projects alone has too little history (6 < 8) and forecasts otherwise
    alone = monitor(district(keep={"A1", "A2", "A3"}), year=2024, month=6)
    assert alone.forecast_model["method"] == "drift"
    assert not (alone.to_frame()["forecast"].to_numpy() == a["forecast"].to_numpy()).all()


def test_to_dict_and_summary_name_the_department(d1, full):
    d = d1.to_dict()
    assert d["department"] == {"department_id": "D1", "department": "区水利局"}
    assert [p["project_id"] for p in d["projects"]] == ["A1", "A2", "A3"]
    assert full.to_dict()["department"] is None
    assert "department: D1 区水利局" in d1.summary()
    json.dumps(d, ensure_ascii=False)


def test_unknown_department_names_the_projects_table(wb):
    with pytest.raises(InputError, match=r"no project of department 'D9' in 2024 in the "
                                         r"projects table; departments: D1, D2, D3") as e:
        monitor(wb, year=2024, month=6, department="D9")
    assert e.value.argument == "department" and "district.xlsx" in str(e.value)
    with pytest.raises(InputError, match="department id or name"):
        monitor(wb, year=2024, month=6, department="")


def test_department_report(d1, full):
    res = cv.monitoring_results(d1, "D1")
    assert res["subject_type"] == "department" and res["subject_id"] == "D1"
    assert res["department_id"] == "D1" and res["department"] == "区水利局"
    assert res["name"] == "区水利局2024年1—6月绩效运行监控"
    assert [p["project_id"] for p in res["projects"]] == ["A1", "A2", "A3"]
    assert [r["department"] for r in res["dashboard"]] == ["区水利局", "合计"]
    assert res["district"]["n_projects"] == 3                  # the department's totals
    assert res["district"]["execution_rate"] == pytest.approx(0.35)
    assert res["counts"]["light"] == {"red": 1, "yellow": 1, "green": 1}
    o = cv.monitoring_outline(res, figures=False)
    assert o["title"] == "区水利局2024年1—6月预算绩效运行监控报告"
    assert ["主管部门", "区水利局（D1）"] in o["meta"]
    html = cv.outline_html(o)
    assert "不一致" not in html                      # the department id names the report
    assert "本报告范围：区水利局（D1）的项目" in html
    t1 = o["sections"][1]["tables"][0]
    assert t1["title"] == "表1 各项目执行进度"
    assert [r[0] for r in t1["rows"]] == ["A1", "A2", "A3", "合计"]
    assert t1["rows"][-1][4] == pytest.approx(0.35)
    assert "35.0%" in html
    assert cv.monitoring_outline(res, lang="en", figures=False)["title"] == \
        "Performance monitoring report, 区水利局, January–June 2024"
    # another report id still gets the period note
    other = cv.monitoring_outline({**res, "subject_id": "D1-2024-08"}, figures=False)
    assert "不一致" in cv.outline_html(other)
    # the summary row of a batch names the department
    k = key_results(res)
    assert (k["subject_type"], k["department"], k["n_projects"], k["n_red"]) == (
        "department", "区水利局", 3, 1)
    assert k["budget"] == pytest.approx(600.0) and k["execution_rate"] == pytest.approx(0.35)
    # the district's report is unchanged: its dashboard by department, no department keys
    dist = cv.monitoring_results(full, "monitoring-2024-06")
    assert dist["subject_type"] == "district" and "department_id" not in dist
    assert dist["name"] == "2024年1—6月绩效运行监控"
    od = cv.monitoring_outline(dist, figures=False)
    assert od["title"] == "2024年1—6月预算绩效运行监控报告"
    assert od["sections"][1]["tables"][0]["title"] == "表1 分部门执行进度"
    assert key_results(dist)["department"] is None
