"""Streams with several IRRs: what numpy-financial and pyxirr return, and the exact set of IRRs.

The exact IRRs come from sympy (exact real-root isolation of the polynomial Σ f_t x^t with
rational coefficients, x = 1/(1+r), evaluated to 30 digits). numpy-financial ``irr`` and pyxirr
``irr`` each return ONE root without warning — and not the same one for [-100, 230, -132].
Run: /tmp/refenv/bin/python make.py   (venv with numpy-financial, pyxirr, sympy; no perfkit)
"""
import json
import platform
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr
import sympy

HERE = Path(__file__).parent
streams = {
    "two_irr_10_20": [-100, 230, -132],          # IRRs 10% and 20%: the tools disagree
    "lorie_savage_pump": [-1600, 10000, -10000],  # classic 'pump' problem, IRRs 25% and 400%
    "npf_doc_two_roots": [-100, 100, 0, -7],      # from numpy-financial's irr docstring
    "npf_doc_three_roots": [-5, 10.5, 1, -8, 1],  # from numpy-financial's irr docstring
    "mine_closure": [-1000, 1500, 1500, -2200],   # late clean-up cost
}


def tool(fn, f):
    try:
        v = fn(f)
    except Exception as exc:  # noqa: BLE001 - we record what the tool does
        return {"error": f"{type(exc).__name__}: {exc}"}
    return None if v is None else float(v)


x = sympy.symbols("x")
expected = {}
for name, f in streams.items():
    poly = sum(sympy.nsimplify(v, rational=True) * x**t for t, v in enumerate(f))
    roots = [r for r in sympy.real_roots(sympy.Poly(poly, x)) if r > 0]
    irrs = sorted({float(sympy.N(1 / r - 1, 30)) for r in roots})
    expected[name] = {"irrs_exact": irrs,
                      "numpy_financial_irr": tool(npf.irr, f),
                      "pyxirr_irr": tool(pyxirr.irr, f)}

(HERE / "inputs.json").write_text(json.dumps({"streams": streams}, indent=1))
(HERE / "expected.json").write_text(json.dumps(expected, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "streams with more than one IRR",
    "tool": {"sympy": sympy.__version__, "numpy-financial": npf.__version__,
             "pyxirr": pyxirr.__version__, "numpy": np.__version__,
             "python": platform.python_version()},
    "script": "make.py",
    "tolerance": {"irrs_exact": {"rtol": 1e-10, "atol": 1e-12}},
    "why": "irrs_exact is exact (sympy real-root isolation) rounded to double; perfkit must list "
           "every root to ~1e-10 and irr() must refuse (MethodError). The numpy-financial and "
           "pyxirr values document what those tools silently return; for two_irr_10_20 they "
           "differ (0.1 vs 0.2). Each tool's answer must be one of perfkit's irrs.",
}, indent=1))
for k, v in expected.items():
    print(k, v)
