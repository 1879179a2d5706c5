"""The package's layers import only downwards (DESIGN.md §1: "Dependencies point down the picture
and never back up").

Every module of ``perfkit`` is parsed with :mod:`ast` (nothing is imported) and each ``import``
/ ``from … import`` naming a perfkit module — at module level, inside functions or under
``TYPE_CHECKING`` alike, relative imports resolved — is checked against the rules below.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "perfkit"

#: layer → the layers it must not import. The picture of DESIGN.md §1, top to bottom: cli → run
#: → report → cycle, studies → scoring, methods → io → model (errors, rules and the private
#: helpers serve everyone). "methods/ and scoring/ know nothing of notebooks, files or reports":
#: no io either; "report/ never computes a score" but shows what cycle and studies computed.
FORBIDDEN = {
    "methods": {"io", "cycle", "studies", "report", "run", "cli"},
    "scoring": {"io", "cycle", "studies", "report", "run", "cli"},
    "cycle": {"report", "run", "cli"},
    "studies": {"report", "run", "cli"},
    "report": {"run", "cli"},
    "io": {"scoring", "methods", "cycle", "studies", "report", "run", "cli"},
    "model": {"io", "scoring", "methods", "cycle", "studies", "report", "run", "cli"},
}

#: (importing module, imported module) → why it is allowed for now. Empty: every rule holds.
#: An entry needs a reason and an owner's plan; a new violation is fixed, not listed here.
ALLOWED: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _layer(module: str) -> str:
    """``perfkit.report.html`` → ``report``; ``perfkit.cli`` → ``cli``; ``perfkit`` → ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def perfkit_imports(path: Path) -> list[tuple[str, int]]:
    """(imported perfkit module, line) of every import in the file at ``path``."""
    module, is_package = _module_name(path)
    package = module if is_package else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[:-(node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target]
            if target == "perfkit":     # ``from .. import run``: the names are the layers
                names += [f"perfkit.{a.name}" for a in node.names]
        else:
            continue
        found += [(n, node.lineno) for n in names if n == "perfkit" or n.startswith("perfkit.")]
    return found


def violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module, _ = _module_name(path)
        forbidden = FORBIDDEN.get(_layer(module))
        if not forbidden:
            continue
        for target, line in perfkit_imports(path):
            if _layer(target) in forbidden and (module, target) not in ALLOWED:
                out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} "
                           f"({_layer(module)}/) imports {target} ({_layer(target)}/)")
    return out


def test_layers_import_only_downwards():
    found = violations()
    assert not found, ("upward dependencies (DESIGN.md §1):\n  " + "\n  ".join(found))


def test_allowlist_entries_are_still_needed_and_explained():
    for (module, target), reason in ALLOWED.items():
        assert reason.strip(), f"{module} → {target} is allowed without a reason"
        path = PACKAGE.parent / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
        assert target in {t for t, _ in perfkit_imports(path)}, \
            f"{module} no longer imports {target}: remove it from ALLOWED"


@pytest.mark.parametrize("source, module, expected", [
    ("from ..run.demo import demo_workbook_path", "perfkit/studies/methods.py",
     ["perfkit.run.demo"]),
    ("from .. import run", "perfkit/studies/methods.py", ["perfkit", "perfkit.run"]),
    ("from . import docx", "perfkit/report/__init__.py", ["perfkit.report"]),
    ("def f():\n    import perfkit.report.html as h", "perfkit/methods/cba.py",
     ["perfkit.report.html"]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..cycle import x",
     "perfkit/scoring/grades.py", ["perfkit.cycle"]),
    ("import numpy, os.path", "perfkit/io/csvio.py", []),
])
def test_import_finder(tmp_path, monkeypatch, source, module, expected):
    """The finder resolves relative imports and sees imports inside functions and blocks."""
    root = tmp_path / "perfkit"
    path = root / module.removeprefix("perfkit/")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", root)
    assert sorted(t for t, _ in perfkit_imports(path)) == sorted(expected)


def test_the_rules_catch_an_upward_import(tmp_path, monkeypatch):
    root = tmp_path / "perfkit"
    (root / "report").mkdir(parents=True)
    (root / "report" / "bad.py").write_text("def f():\n    from ..run.paths import output_root\n",
                                           encoding="utf-8")
    (root / "report" / "fine.py").write_text("from ..errors import InputError\n",
                                            encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", root)
    assert violations() == ["perfkit/report/bad.py:2: perfkit.report.bad (report/) imports "
                            "perfkit.run.paths (run/)"]
