import pytest

from perfkit.errors import InputError
from perfkit.run.params import load_params, validate_parameters
from perfkit.run.paths import check_id, subject_dir


def write(tmp_path, text):
    p = tmp_path / "p.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_ids_stay_strings(tmp_path):
    spec = load_params(write(tmp_path, "notebook: project_self_evaluation\nbatch: b\n"
                                       "parameters:\n  project_id: '00123'\n"))
    assert spec.parameters["project_id"] == "00123" and spec.subject_id() == "00123"


def test_numeric_id_is_refused_with_a_hint(tmp_path):
    with pytest.raises(InputError, match="valid string") as e:
        load_params(write(tmp_path, "notebook: project_self_evaluation\n"
                                    "parameters:\n  project_id: 00123\n"))
    assert e.value.problem.column == "parameters.project_id"


def test_unknown_parameter_is_an_error_not_a_warning(tmp_path):
    with pytest.raises(InputError, match="unknown parameter") as e:
        load_params(write(tmp_path, "notebook: project_self_evaluation\n"
                                    "parameters:\n  project_id: 'A1'\n  colour: red\n"))
    assert e.value.problem.column == "parameters.colour"


@pytest.mark.parametrize("params,match", [
    ({"project_id": "A1", "year": "2024"}, "valid integer"),
    ({"project_id": "A1", "lang": "fr"}, "zh"),
    ({"project_id": "A1", "output_dir": "/tmp"}, "unknown parameter"),  # run owns paths
])
def test_wrong_types(params, match):
    with pytest.raises(InputError, match=match):
        validate_parameters("project_self_evaluation", params)


def test_unknown_notebook_and_keys(tmp_path):
    with pytest.raises(InputError, match="unknown notebook"):
        load_params(write(tmp_path, "notebook: nope\n"))
    with pytest.raises(InputError, match="unknown top-level"):
        load_params(write(tmp_path, "notebook: project_self_evaluation\nextra: 1\n"))
    with pytest.raises(InputError, match="not valid YAML"):
        load_params(write(tmp_path, "notebook: !!python/name:os.system\n"))


@pytest.mark.parametrize("bad", ["..", "../etc", "a/b", "a\\b", "/abs", "CON", "nul.txt", "",
                                 ".hidden", "a\nb", "x" * 81, "a..b"])
def test_path_traversal_ids_refused(bad):
    with pytest.raises(InputError):
        check_id(bad)
    with pytest.raises(InputError):
        subject_dir("b", bad)


@pytest.mark.parametrize("good", ["00123", "XM00001", "P-2024.1", "教育局_01"])
def test_good_ids(good, tmp_path):
    assert subject_dir("b", good, tmp_path) == tmp_path / "b" / good
