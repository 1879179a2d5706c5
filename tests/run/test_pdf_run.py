"""report.pdf in the run layer: asked for per run (``pdf: true`` / ``--pdf``), printed in staging
by every engine's common last step, recorded in the manifest, checked by verify and by the
batch's up-to-date test; ``perfkit pdf`` adds it to existing report folders."""
from __future__ import annotations

import json
import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook, new_output

from perfkit.cli import main
from perfkit.errors import InputError
from perfkit.report.pdf import pdf_available
from perfkit.run.execute import PreparedRun, add_pdf, add_pdfs, finish_run, run_report
from perfkit.run.manifest import (MANIFEST_VERSION, HashCache, build_manifest, file_sha256,
                                  fingerprint, output_hashes, read_json, stale_reasons,
                                  write_json)
from perfkit.run.params import RunSpec, load_params
from perfkit.run.paths import notebook_path
from perfkit.run.verify import static_checks, verify

needs_pdf = pytest.mark.skipif(
    not pdf_available(),
    reason="WeasyPrint or Pango is missing here (`make test` installs both: "
           "pip install 'perfkit[pdf]'; apt install libpango-1.0-0 libpangoft2-1.0-0)")
NB = "project_self_evaluation"


def _pdf_text(path) -> str:
    import pypdf
    return " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in pypdf.PdfReader(str(path)).pages)


# ------------------------------------------------------------------ asking for it ---------
def _params(tmp_path, extra: str = "") -> str:
    p = tmp_path / "p.yaml"
    p.write_text(f"notebook: {NB}\nbatch: b\n{extra}parameters:\n  project_id: XM00002\n",
                 encoding="utf-8")
    return str(p)


def test_pdf_is_a_run_option_of_the_params_file(tmp_path):
    assert load_params(_params(tmp_path)).pdf is False
    assert load_params(_params(tmp_path, "pdf: true\n")).pdf is True
    assert load_params(_params(tmp_path, "pdf: false\n"), pdf=True).pdf is True   # --pdf
    assert load_params(_params(tmp_path, "pdf: true\n"), pdf=None).pdf is True
    with pytest.raises(InputError, match="column 'pdf': must be true or false"):
        load_params(_params(tmp_path, "pdf: 'yes'\n"))
    with pytest.raises(InputError, match="allowed: notebook, batch, parameters, pdf"):
        load_params(_params(tmp_path, "pfd: true\n"))
    # not a notebook parameter: the notebook never sees it
    spec = load_params(_params(tmp_path, "pdf: true\n"))
    assert "pdf" not in spec.parameters
    assert RunSpec(**spec.model_dump()).pdf is True      # travels to warm / Dask workers


def test_an_up_to_date_report_without_pdf_is_stale_when_one_is_asked(tmp_path):
    nb = notebook_path(NB)
    params = {"project_id": "P1", "profile": "national"}
    fp = fingerprint(notebook=NB, notebook_file=nb, parameters=params, inputs={},
                     cache=HashCache())
    fp_pdf = fingerprint(notebook=NB, notebook_file=nb, parameters=params, inputs={},
                         pdf=True)
    man = {"manifest_version": MANIFEST_VERSION, "notebook": NB,
           "notebook_sha256": fp["notebook_sha256"], "parameters": dict(fp["parameters"]),
           "inputs": {}, "profile": {"hash": fp["profile_hash"]},
           "versions": {"perfkit": fp["perfkit"]},
           "outputs": {"report.html": None, "results.json": None}}
    assert stale_reasons(man, fp) == []
    assert stale_reasons(man, fp_pdf) == ["a PDF is asked for and the report has none"]
    with_pdf = {**man, "outputs": {**man["outputs"], "report.pdf": None}}
    assert stale_reasons(with_pdf, fp_pdf) == [] and stale_reasons(with_pdf, fp) == []
    # listed but deleted: the usual "missing output" reason, once
    assert stale_reasons(with_pdf, fp_pdf, tmp_path) == [
        "output(s) missing: report.html, results.json, report.pdf"]


def test_manifest_records_pdf_versions_only_with_a_pdf():
    kw = dict(notebook=NB, notebook_file=notebook_path(NB), batch="b", subject_id="P1",
              parameters={}, inputs={}, profile=None, outputs=["report.html"])
    assert "pdf" not in build_manifest(**kw)
    man = build_manifest(**kw, pdf={"weasyprint": "70.0", "pango": "1.50.12"})
    assert man["pdf"] == {"weasyprint": "70.0", "pango": "1.50.12"}
    assert list(man)[-2:] == ["pdf", "outputs"]


# ------------------------------------------------- the common last step of every engine ---
def _staged_job(tmp_path, *, pdf: bool) -> PreparedRun:
    """A prepared run whose engine 'ran': an executed notebook and results.json in staging."""
    base = tmp_path / "out" / "b"
    staging = base / ".staging" / f"P1-{int(pdf)}"
    staging.mkdir(parents=True)
    nb = new_notebook()
    nb.cells = [new_markdown_cell("# 单位自评报告"), nbformat.v4.new_code_cell("x")]
    nb.cells[1].outputs = [new_output("display_data", data={
        "text/html": "<p>总分 <b>91.25</b>，等级 优</p>", "text/plain": "x"})]
    nbformat.write(nb, staging / "notebook.ipynb")
    write_json({"subject_id": "P1", "subject_type": "project", "name": "测试项目",
                "total": 91.25, "grade": "优"}, staging / "results.json")
    spec = RunSpec(notebook=NB, batch="b", parameters={"project_id": "P1"}, pdf=pdf)
    return PreparedRun(spec=spec, notebook=NB, notebook_file=notebook_path(NB),
                       parameters={"project_id": "P1", "lang": "zh"}, inputs={}, subject="P1",
                       batch="b", base=base, final=base / "P1", staging=staging)


@needs_pdf
def test_finish_run_prints_the_pdf_in_staging_and_records_it(tmp_path):
    job = _staged_job(tmp_path, pdf=True)
    results_before = (job.staging / "results.json").read_bytes()
    out = finish_run(job, engine="inprocess")
    final = job.final
    assert out.status == "ok" and (final / "report.pdf").is_file()
    assert (final / "results.json").read_bytes() == results_before      # untouched
    man = read_json(final / "manifest.json")
    assert man["outputs"]["report.pdf"] == file_sha256(final / "report.pdf")
    assert man["outputs"] == output_hashes(final)
    assert int(man["pdf"]["weasyprint"].split(".")[0]) >= 68
    text = _pdf_text(final / "report.pdf")
    assert "单位自评报告" in text and "91.25" in text and "第 1 页 / 共 1 页" in text
    assert not (job.base / ".staging" / "P1-1").exists()
    # without pdf: no report.pdf, no pdf entry, the same results.json
    job2 = _staged_job(tmp_path / "2", pdf=False)
    finish_run(job2)
    assert not (job2.final / "report.pdf").exists()
    assert "pdf" not in read_json(job2.final / "manifest.json")
    assert (job2.final / "results.json").read_bytes() == results_before


def test_run_report_says_pdf_is_unavailable_before_running(tmp_path, monkeypatch):
    from perfkit.report.pdf import PdfUnavailableError
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(tmp_path / "out"))
    spec = RunSpec(notebook=NB, batch="b", parameters={"project_id": "XM00002"}, pdf=True)
    for engine in ("papermill", "warm"):
        with pytest.raises(PdfUnavailableError, match=r"pip install 'perfkit\[pdf\]'"):
            run_report(spec, engine=engine)
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------ perfkit pdf on folders -----
def _report_folder(folder, text="<html lang='zh-CN'><body><h1>项目绩效自评</h1>"
                                "<p>总分 88.50</p></body></html>", *, manifest=True):
    folder.mkdir(parents=True)
    (folder / "report.html").write_text(text, encoding="utf-8")
    write_json({"subject_id": folder.name, "total": 88.5}, folder / "results.json")
    if manifest:
        man = build_manifest(notebook=NB, notebook_file=notebook_path(NB), batch="b",
                             subject_id=folder.name, parameters={"lang": "zh"}, inputs={},
                             profile=None, outputs=output_hashes(folder))
        write_json(man, folder / "manifest.json")
    return folder


@needs_pdf
def test_add_pdf_records_it_and_leaves_everything_else(tmp_path):
    f = _report_folder(tmp_path / "P1")
    before = {p.name: p.read_bytes() for p in f.iterdir()}
    man_before = read_json(f / "manifest.json")
    pdf, made = add_pdf(f)
    assert made and pdf == f / "report.pdf"
    assert "项目绩效自评" in _pdf_text(pdf) and "88.50" in _pdf_text(pdf)
    for name, data in before.items():
        if name != "manifest.json":
            assert (f / name).read_bytes() == data, name
    man = read_json(f / "manifest.json")
    assert man["outputs"] == output_hashes(f)
    assert {k: v for k, v in man.items() if k not in ("pdf", "outputs")} == \
        {k: v for k, v in man_before.items() if k != "outputs"}
    assert sorted(p.name for p in f.iterdir()) == sorted([*before, "report.pdf"])  # no tmp
    # current: left alone; forced: printed again, byte for byte the same
    assert add_pdf(f) == (pdf, False)
    data = pdf.read_bytes()
    assert add_pdf(f, force=True) == (pdf, True) and pdf.read_bytes() == data
    # verify checks it like any output
    assert static_checks(f, man)[0] == []
    pdf.write_bytes(data + b"%")
    assert "report.pdf was changed after the run (sha256 differs from the manifest)" in \
        static_checks(f, read_json(f / "manifest.json"))[0]


@needs_pdf
def test_add_pdf_refuses_an_edited_report(tmp_path):
    f = _report_folder(tmp_path / "P1")
    (f / "report.html").write_text("<p>总分 100.00</p>", encoding="utf-8")
    with pytest.raises(InputError, match="report.html was changed after the run"):
        add_pdf(f)
    assert not (f / "report.pdf").exists()


@needs_pdf
def test_perfkit_pdf_on_a_batch_folder(tmp_path, capsys):
    batch = tmp_path / "b"
    _report_folder(batch / "P1")
    _report_folder(batch / "P2", "<html lang='en'><body><p>Total 77.00</p></body></html>",
                   manifest=False)
    _report_folder(batch / "P3")
    (batch / "P3" / "report.html").write_text("<p>edited</p>", encoding="utf-8")
    _report_folder(batch / ".staging" / "P4")
    assert main(["pdf", str(batch), "--jobs", "1"]) == 1          # P3 failed, the rest done
    err = capsys.readouterr().err
    assert "2 PDF(s) printed, 0 current" in err and "1 failed" in err and "P3" in err
    assert (batch / "P1" / "report.pdf").is_file() and (batch / "P2" / "report.pdf").is_file()
    assert "Page 1 of 1" in _pdf_text(batch / "P2" / "report.pdf")
    assert not (batch / ".staging" / "P4" / "report.pdf").exists()
    shutil.rmtree(batch / "P3")
    assert main(["pdf", str(batch), "--jobs", "1"]) == 0
    assert "0 PDF(s) printed, 2 current" in capsys.readouterr().err
    res = sorted((r["status"], r["folder"].rsplit("/", 1)[1])
                 for r in add_pdfs(batch, force=True, jobs=1))
    assert res == [("ok", "P1"), ("ok", "P2")]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="not a report folder"):
        list(add_pdfs(tmp_path / "empty"))
    assert main(["pdf", str(tmp_path / "nowhere")]) == 2


@needs_pdf
@pytest.mark.slow          # worker processes are spawned: each imports perfkit and WeasyPrint
def test_perfkit_pdf_prints_in_worker_processes(tmp_path, capsys):
    for name in ("P1", "P2", "P3"):
        _report_folder(tmp_path / "b" / name)
    assert main(["pdf", str(tmp_path / "b"), "--jobs", "2"]) == 0
    assert "3 PDF(s) printed, 0 current" in capsys.readouterr().err
    pdfs = [(tmp_path / "b" / n / "report.pdf").read_bytes() for n in ("P1", "P2", "P3")]
    assert pdfs[0] == pdfs[1] == pdfs[2]          # the same HTML, the same bytes
    for name in ("P1", "P2", "P3"):
        f = tmp_path / "b" / name
        assert read_json(f / "manifest.json")["outputs"] == output_hashes(f)


# ------------------------------------------------------------------ a real report --------
@pytest.fixture(scope="module")
def pdf_report(tmp_path_factory):
    if not pdf_available():
        pytest.skip("WeasyPrint or Pango is missing here")
    from perfkit.datasets.demo import generate, write
    d = tmp_path_factory.mktemp("pdfrun")
    frames = generate(seed=7, years=(2023, 2024), n_departments=3, n_projects=12,
                      n_townships=4)
    wb = d / "district.xlsx"
    write(frames, wb, format="xlsx")
    pid = sorted(frames["projects"]["project_id"].unique())[0]
    spec = RunSpec(notebook=NB, batch="pdf", pdf=True,
                   parameters={"workbook": str(wb), "project_id": pid})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PERFKIT_OUTPUTS", str(d / "out"))
        out = run_report(spec)
    return d, spec, out


@pytest.mark.slow
def test_real_report_with_pdf(pdf_report, monkeypatch):
    from perfkit.run.batch import plan_batch
    d, spec, out = pdf_report
    monkeypatch.setenv("PERFKIT_OUTPUTS", str(d / "out"))
    final = d / "out" / "pdf" / spec.parameters["project_id"]
    assert out.status == "ok" and out.path == str(final)
    res = read_json(final / "results.json")
    html = (final / "report.html").read_text(encoding="utf-8")
    text = _pdf_text(final / "report.pdf")
    total = f"{res['total']:.2f}"                      # as the report displays it
    assert total in html and total in text and res["grade"] in text
    assert res["name"] in text and "第 1 页 / 共" in text
    man = read_json(final / "manifest.json")
    assert man["outputs"]["report.pdf"] == file_sha256(final / "report.pdf")
    assert man["pdf"]["weasyprint"]

    # the batch: up to date with or without --pdf; without a PDF, stale only when asked
    todo, settled = plan_batch([spec, spec.model_copy(update={"batch": "pdf2"})])
    assert [s.status for s in settled] == ["skipped"] and [s.batch for s in todo] == ["pdf2"]
    no_pdf = d / "out" / "nopdf" / final.name
    shutil.copytree(final, no_pdf)
    (no_pdf / "report.pdf").unlink()
    m = read_json(no_pdf / "manifest.json")
    m.pop("pdf")
    m["outputs"].pop("report.pdf")
    m["batch"] = "nopdf"
    write_json(m, no_pdf / "manifest.json")
    asked = spec.model_copy(update={"batch": "nopdf"})
    todo, settled = plan_batch([asked])
    assert todo == [asked] and settled == []
    todo, settled = plan_batch([asked.model_copy(update={"pdf": False})])
    assert todo == [] and [s.status for s in settled] == ["skipped"]

    # perfkit pdf adds the very same PDF and the manifest it would have had
    assert main(["pdf", str(no_pdf)]) == 0
    assert (no_pdf / "report.pdf").read_bytes() == (final / "report.pdf").read_bytes()
    m2 = read_json(no_pdf / "manifest.json")
    assert m2["outputs"] == man["outputs"] and m2["pdf"] == man["pdf"]
    assert (no_pdf / "results.json").read_bytes() == (final / "results.json").read_bytes()
    todo, settled = plan_batch([asked])
    assert todo == [] and [s.status for s in settled] == ["skipped"]

    # verify (hashes only) passes, and catches a hand-edited PDF
    assert all(v.ok for v in verify(final, rerun=False))
    (final / "report.pdf").write_bytes(b"%PDF-1.7 edited")
    v = verify(final, rerun=False)[0]
    assert "report.pdf was changed after the run (sha256 differs from the manifest)" in \
        v.problems
    json.dumps(v.to_dict(), default=str)
