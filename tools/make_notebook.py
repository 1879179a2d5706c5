"""Write a clean report notebook from a list of cells (no outputs, no execution counts).

Usage: python tools/make_notebook.py  (rewrites the notebooks listed in NOTEBOOKS)
Notebooks are committed clean; this script is the readable source of the templates.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]


def build(cells: list[tuple[str, str]], *, title: str) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"},
                   "language_info": {"name": "python"}, "title": title}
    for kind, src in cells:
        if kind == "md":
            nb.cells.append(new_markdown_cell(src.strip()))
        else:
            c = new_code_cell(src.strip())
            if kind == "parameters":
                c.metadata["tags"] = ["parameters"]
            nb.cells.append(c)
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:02d}"
    return nb


def write(name: str, cells, *, title: str) -> Path:
    path = ROOT / "notebooks" / f"{name}.ipynb"
    nbformat.write(build(cells, title=title), path)
    return path


NOTEBOOKS = {}


def notebook(name: str, title: str):
    def deco(fn):
        NOTEBOOKS[name] = (fn, title)
        return fn
    return deco


@notebook("project_self_evaluation", "项目支出绩效自评报告 Project self-evaluation")
def _self_eval():
    return [
        ("md", "# 项目支出绩效自评报告\n\nProject expenditure performance self-evaluation "
               "(单位自评). Run it as it is on the demo district, or with `perfkit run "
               "params/project_self_evaluation.yaml`."),
        ("parameters", '''
workbook = None          # the workbook (.xlsx or a folder of CSV); None: the demo district
project_id = "XM00002"   # 项目编码 (text: "00123" stays "00123")
year = None              # 年度; None: the latest year in the workbook
profile = "national"     # rule profile id or path to a profile YAML
lang = "zh"              # zh | en
output_dir = None        # set by `perfkit run`; interactive runs write to outputs/interactive/
'''),
        ("code", '''
from perfkit.io import read_workbook
from perfkit.report.notebook import show_self_evaluation
from perfkit.run import publish
from perfkit.run.demo import demo_workbook_path
from perfkit.scoring import score_self_evaluation
'''),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
result = score_self_evaluation(wb, profile, year=year, project_ids=[project_id]).project(project_id)
publish(result, output_dir, lang=lang);
'''),
        ("code", '''
show_self_evaluation(result.to_dict(), lang=lang)
'''),
    ]


if __name__ == "__main__":
    names = sys.argv[1:] or list(NOTEBOOKS)
    for n in names:
        fn, title = NOTEBOOKS[n]
        print(write(n, fn(), title=title))
