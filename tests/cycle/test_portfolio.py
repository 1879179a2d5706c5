"""District portfolio (绩效信息报告) and the departments' assessment (考核, design proposal)."""
import numpy as np
import pytest

from perfkit.cycle import district_portfolio, reevaluate
from perfkit.cycle.portfolio import ASSESSMENT_WEIGHTS, PUBLIC_REMOVE
from perfkit.datasets import load_small
from perfkit.errors import InputError


@pytest.fixture(scope="module")
def wb():
    return load_small()


@pytest.fixture(scope="module")
def pr(wb):
    return district_portfolio(wb, "national", seed=1)


def test_rollups_add_up(pr):
    p = pr.projects
    for frame, key in ((pr.by_department, "department"), (pr.by_budget_type, "budget_type"),
                       (pr.by_sector, "sector")):
        body, total = frame[frame[key] != "合计"], frame[frame[key] == "合计"].iloc[0]
        assert body["n_projects"].sum() == total["n_projects"] == len(p)
        assert body["budget"].sum() == pytest.approx(total["budget"])
        assert sum(total[f"n_{g}"] for g in "优良中差") == p["grade"].notna().sum()
        assert total["execution_rate"] == pytest.approx(p["executed"].sum() / p["budget"].sum())
        w = (p["budget"] * p["total"]).sum() / p.loc[p["total"].notna(), "budget"].sum()
        assert total["weighted_total"] == pytest.approx(w)
    assert pr.by_grade["share_budget"].sum() == pytest.approx(1.0)
    assert pr.by_grade["n_projects"].sum() == len(p)
    assert pr.by_action["budget"].sum() == pytest.approx(p["budget"].sum())


def test_assessment_is_the_documented_composite(wb, pr):
    a = pr.assessment.set_index("department_id")
    assert pr.assessment_rule["status"] == "design proposal"
    p = pr.projects
    for did, row in a.iterrows():
        mine = p[p["department_id"] == did]
        ex = min(mine["executed"].sum() / mine["budget"].sum(), 1.0)
        assert row["execution"] == pytest.approx(ex)
        comps = [row["targets"], row["self_eval"], row["execution"]]
        ok = [c for c in comps if not np.isnan(c)]
        assert row["score"] == pytest.approx(100 * sum(ok) / len(ok))
        assert 0 <= row["targets"] <= 1
    # ranks follow the scores
    s = pr.assessment["score"].to_numpy()
    assert (np.diff(s) <= 1e-12).all()
    assert list(pr.assessment["rank"])[0] == 1


def test_weights_and_not_applicable_self_eval(wb):
    re_ = reevaluate(wb, "national", sample=1, seed=3)      # one project: one department assessed
    r = district_portfolio(wb, "national", reevaluation=re_,
                           weights={"targets": 0, "self_eval": 0, "execution": 1})
    a = r.assessment
    assert a["score"].to_numpy() == pytest.approx(100 * a["execution"].to_numpy())
    assert (a["n_reevaluated"] > 0).sum() == 1
    assert a["self_eval"].isna().sum() == len(a) - 1
    with pytest.raises(InputError, match="unknown component"):
        district_portfolio(wb, "national", reevaluation=re_, weights={"speed": 1})
    with pytest.raises(InputError, match="positive sum"):
        district_portfolio(wb, "national", reevaluation=re_,
                           weights={k: 0 for k in ASSESSMENT_WEIGHTS})


def test_public_version_removes_fields(pr):
    pub = pr.public()
    assert set(pub.removed_fields) == set(PUBLIC_REMOVE)
    for f in (pub.projects, pub.by_department, pub.assessment):
        assert not set(PUBLIC_REMOVE) & set(f.columns)
    assert "implementing_unit" in pr.projects.columns          # the original is unchanged
    d = pub.to_dict()
    assert all("implementing_unit" not in x for x in d["projects"])
    assert pr.public(["nothing_like_this"]).removed_fields == ()


def test_year_mismatch_is_refused(wb):
    re_ = reevaluate(wb, "national", year=2023, sample=2, seed=0)
    with pytest.raises(InputError, match="not 2024"):
        district_portfolio(wb, "national", year=2024, reevaluation=re_)
