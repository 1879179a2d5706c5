"""manifest.json: what a report was made from (inputs, parameters, profile, versions), and the
hashes of what it wrote — so that a later run can tell whether a report is up to date and
``perfkit verify`` can tell whether it was edited by hand."""
from __future__ import annotations

import hashlib
import json
import platform
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

__all__ = ["file_sha256", "package_versions", "build_manifest", "write_json", "read_json",
           "output_hashes", "HashCache", "fingerprint", "stale_reasons", "MANIFEST_VERSION"]

MANIFEST_VERSION = 2

_PACKAGES = ("perfkit", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "papermill",
             "nbconvert", "openpyxl", "pydantic", "pyyaml")


def file_sha256(path: str | Path) -> str:
    p = Path(path)
    h = hashlib.sha256()
    if p.is_dir():  # a CSV folder: hash of (name, content) of every file, sorted
        for f in sorted(x for x in p.rglob("*") if x.is_file()):
            h.update(f.relative_to(p).as_posix().encode())
            h.update(b"\0")
            h.update(f.read_bytes())
    else:
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return "sha256:" + h.hexdigest()


@lru_cache(maxsize=1)
def _versions() -> tuple:
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return tuple(out.items())


def package_versions() -> dict:
    return dict(_versions())


def output_hashes(folder: str | Path) -> dict[str, str | None]:
    """sha256 of every file a report wrote (``manifest.json`` itself: ``None``)."""
    folder = Path(folder)
    out = {p.name: file_sha256(p) for p in sorted(folder.iterdir())
           if p.is_file() and p.name != "manifest.json"}
    out["manifest.json"] = None
    return dict(sorted(out.items()))


def build_manifest(*, notebook: str, notebook_file: Path, batch: str, subject_id: str,
                   parameters: dict, inputs: dict[str, str], profile: dict | None,
                   outputs: list[str] | dict[str, str | None], engine: str | None = None,
                   input_hashes: dict[str, str] | None = None, pdf: dict | None = None) -> dict:
    """The manifest of one report. ``outputs`` maps each file written to its sha256 (a plain
    list of names is accepted: no hashes). ``input_hashes`` (path → sha256) avoids re-hashing
    files hashed already. ``pdf``: when ``report.pdf`` was printed, the versions that made it
    (:func:`perfkit.report.pdf.pdf_versions`), recorded under the key ``pdf``."""
    if not isinstance(outputs, dict):
        outputs = {name: None for name in outputs}
    known = input_hashes or {}
    man = {
        "manifest_version": MANIFEST_VERSION,
        "subject_id": subject_id,
        "batch": batch,
        "notebook": notebook,
        "notebook_sha256": file_sha256(notebook_file),
        "parameters": parameters,
        "inputs": {name: {"path": path, "sha256": known.get(path) or file_sha256(path)}
                   for name, path in inputs.items()},
        "profile": profile,
        "versions": package_versions(),
        "platform": {"system": platform.system(), "machine": platform.machine(),
                     "python_implementation": sys.implementation.name},
        "engine": engine,
        **({"pdf": pdf} if pdf is not None else {}),
        "outputs": dict(sorted(outputs.items())),
    }
    return man


class HashCache:
    """File hashes memoised by (path, size, mtime, inode; for a CSV folder those of each file):
    a batch of 10,000 reports on one workbook hashes it once. Profile hashes are memoised by
    reference."""

    def __init__(self):
        self._files: dict[tuple, str] = {}
        self._profiles: dict[str, str] = {}

    def file(self, path: str | Path) -> str:
        p = Path(path)
        if p.is_dir():  # a CSV folder: the size and mtime of every file in it
            key = (str(p), tuple(sorted((f.relative_to(p).as_posix(), f.stat().st_size,
                                         f.stat().st_mtime_ns)
                                        for f in p.rglob("*") if f.is_file())))
        else:
            st = p.stat()
            key = (str(p), st.st_size, st.st_mtime_ns, st.st_ino)
        h = self._files.get(key)
        if h is None:
            h = self._files[key] = file_sha256(p)
        return h

    def profile(self, ref: str) -> str:
        h = self._profiles.get(ref)
        if h is None:
            from ..rules import load_profile
            h = self._profiles[ref] = load_profile(ref).hash
        return h


def fingerprint(*, notebook: str, notebook_file: Path, parameters: dict, inputs: dict[str, str],
                cache: HashCache | None = None, pdf: bool = False) -> dict:
    """What makes a report what it is: notebook, its hash, parameters, input hashes, profile
    hash and perfkit version. Two runs with equal fingerprints give the same results.json.
    ``pdf``: the run asks for ``report.pdf`` (a report folder without one is then stale)."""
    cache = cache or HashCache()
    prof = parameters.get("profile")
    return {
        "notebook": notebook,
        "notebook_sha256": cache.file(notebook_file),
        "parameters": json.loads(json.dumps(parameters, ensure_ascii=False)),
        "inputs": {name: cache.file(path) for name, path in inputs.items()},
        "profile_hash": cache.profile(prof) if isinstance(prof, str) else None,
        "perfkit": package_versions().get("perfkit"),
        "pdf": bool(pdf),
    }


def stale_reasons(manifest: dict, fp: dict, folder: Path | None = None) -> list[str]:
    """Why an existing report does not match a fingerprint (empty: it is up to date).

    With ``folder``, also checks that every output the manifest lists is still there and that
    ``results.json`` is unchanged (hashing every report.html of a large batch would cost more
    than it saves). When the fingerprint asks for a PDF, a report without ``report.pdf`` (not
    in the manifest, or not in ``folder``) is stale."""
    why = []
    if manifest.get("manifest_version") != MANIFEST_VERSION:
        why.append(f"manifest version {manifest.get('manifest_version')} "
                   f"(now {MANIFEST_VERSION})")
    if manifest.get("notebook") != fp["notebook"]:
        why.append(f"notebook {manifest.get('notebook')!r} → {fp['notebook']!r}")
    elif manifest.get("notebook_sha256") != fp["notebook_sha256"]:
        why.append(f"the notebook {fp['notebook']} changed")
    if manifest.get("parameters") != fp["parameters"]:
        old, new = manifest.get("parameters") or {}, fp["parameters"]
        keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        why.append("parameters changed: " + ", ".join(
            f"{k} {old.get(k)!r} → {new.get(k)!r}" for k in keys))
    rec = {k: (v or {}).get("sha256") for k, v in (manifest.get("inputs") or {}).items()}
    for name in sorted(set(rec) | set(fp["inputs"])):
        if rec.get(name) != fp["inputs"].get(name):
            why.append(f"input {name} changed")
    rec_prof = (manifest.get("profile") or {}).get("hash")
    if fp["profile_hash"] is not None and rec_prof != fp["profile_hash"]:
        why.append(f"rule profile {fp['parameters'].get('profile')} changed")
    ver = (manifest.get("versions") or {}).get("perfkit")
    if ver != fp["perfkit"]:
        why.append(f"perfkit {ver} → {fp['perfkit']}")
    if folder is not None:
        outs = manifest.get("outputs") or {}
        missing = [n for n in outs if n != "manifest.json" and not (folder / n).is_file()]
        if missing:
            why.append("output(s) missing: " + ", ".join(missing))
        elif outs.get("results.json") and \
                file_sha256(folder / "results.json") != outs["results.json"]:
            why.append("results.json was edited after the run")
    if fp.get("pdf") and "report.pdf" not in (manifest.get("outputs") or {}):
        why.append("a PDF is asked for and the report has none")   # listed but gone: above
    return why


def write_json(obj, path: str | Path) -> None:
    """Deterministic JSON: sorted keys are NOT used (order is meaningful); UTF-8, no ASCII escapes."""
    text = json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def read_json(path: str | Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
