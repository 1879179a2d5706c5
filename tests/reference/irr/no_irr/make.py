"""Streams with no IRR: what numpy-financial and pyxirr do, and the exact (empty) root set.

sympy's exact real-root isolation shows there is no real x = 1/(1+r) > 0 with Σ f_t x^t = 0
(or, for the all-zero stream, that every rate is a root). Run with /tmp/refenv/bin/python make.py.
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
    "no_real_root": [1, -1, 1],              # sign changes, but NPV > 0 at every rate
    "no_real_root_project": [-100, 250, -200],
    "no_sign_change_positive": [100, 50, 20],
    "no_sign_change_negative": [-100, -50, -20],
    "all_zero": [0, 0, 0],
    "single_flow": [-100],
}
reason = {"no_real_root": "no_real_root", "no_real_root_project": "no_real_root",
          "no_sign_change_positive": "no_sign_change", "no_sign_change_negative": "no_sign_change",
          "all_zero": "all_zero", "single_flow": "no_sign_change"}


def tool(fn, f):
    try:
        v = fn(f)
    except Exception as exc:  # noqa: BLE001
        return {"error": f"{type(exc).__name__}: {exc}"}
    if v is None:
        return None
    v = float(v)
    return "nan" if np.isnan(v) else v


x = sympy.symbols("x")
expected = {}
for name, f in streams.items():
    poly = sum(sympy.nsimplify(v, rational=True) * x**t for t, v in enumerate(f))
    if all(v == 0 for v in f):
        roots = "every rate (NPV identically zero)"
    else:
        roots = [float(1 / r - 1) for r in sympy.real_roots(sympy.Poly(poly, x)) if r > 0]
    expected[name] = {"irrs_exact": roots, "reason": reason[name],
                      "numpy_financial_irr": tool(npf.irr, f), "pyxirr_irr": tool(pyxirr.irr, f)}

(HERE / "inputs.json").write_text(json.dumps({"streams": streams}, indent=1))
(HERE / "expected.json").write_text(json.dumps(expected, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "streams without an IRR",
    "tool": {"sympy": sympy.__version__, "numpy-financial": npf.__version__,
             "pyxirr": pyxirr.__version__, "numpy": np.__version__,
             "python": platform.python_version()},
    "script": "make.py",
    "tolerance": "exact: perfkit irrs() must be empty and irr() NaN with IRRWarning",
    "why": "no real root exists (sympy), so any number returned would be wrong; the tools return "
           "NaN (numpy-financial), None (pyxirr) or raise (pyxirr, no sign change) - recorded here",
}, indent=1))
for k, v in expected.items():
    print(k, v)
