import pytest

from perfkit.errors import RuleError
from perfkit.rules import available_profiles, load_profile


def test_national_defaults_and_sources():
    p = load_profile("national")
    assert p.get("self_eval.weights") == {"budget_execution": 10, "output": 50, "outcome": 30,
                                          "satisfaction": 10}
    assert p.get("grades.bands") == {"优": 90, "良": 80, "中": 60, "差": 0}
    assert p.source("grades.bands").startswith("V")
    assert p.get("discount.schedule")[0] == [30, 0.035]
    assert p.ref()["hash"].startswith("sha256:") and len(p.hash) == 71


def test_extends_overrides_and_hash_changes():
    n, s = load_profile("national"), load_profile("sichuan2025")
    assert s.get("monitoring.checkpoints") == {4: 0.25, 6: 0.40, 8: 0.60, 10: 0.80}
    assert s.get("self_eval.weights.output") == 50          # inherited
    assert s.chain == ("sichuan2025", "national") and s.hash != n.hash
    assert load_profile("national").hash == n.hash           # stable


def test_all_shipped_profiles_load():
    assert {"national", "sichuan2025", "provincial80", "qianjiang"} <= set(available_profiles())
    for pid in available_profiles():
        load_profile(pid)
    assert load_profile("qianjiang").todo


def test_local_profile_file_extends(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("id: mine\nversion: '1'\nextends: national\n"
                 "grades:\n  bands: {value: {A: 85, B: 0}, source: local}\n", encoding="utf-8")
    p = load_profile(f)
    assert p.get("grades.bands") == {"A": 85, "B": 0} and p.source("grades.bands") == "local"


@pytest.mark.parametrize("text,match", [
    ("id: x\nextends: national\nself_eval:\n  weights:\n    output: 70\n", "sum to"),
    ("id: x\nextends: nowhere\n", "unknown rule profile"),
    ("id: x\nfoo: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
    ("- just a list\n", "mapping with an 'id'"),
])
def test_bad_profiles_refused(tmp_path, text, match):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match=match):
        load_profile(f)
