"""Reference IRRs of conventional streams (one sign change) from numpy-financial and pyxirr.

Run with a throwaway venv:  python3 -m venv /tmp/refenv &&
/tmp/refenv/bin/pip install numpy-financial pyxirr && /tmp/refenv/bin/python make.py
perfkit is NOT imported: the values come only from the two independent tools.
"""
import json
import platform
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr

HERE = Path(__file__).parent
rng = np.random.default_rng(20240601)
streams = {}
for k in range(24):
    n = int(rng.integers(2, 41))                     # 2…40 years after year 0
    outlay = -float(rng.uniform(50, 5000))
    level = -outlay * float(rng.uniform(0.02, 0.6))
    flows = [outlay] + list(np.round(level * rng.uniform(0.2, 1.5, n), 6))
    streams[f"random_{k:02d}"] = [round(v, 6) for v in flows]
# hand-picked: numpy-financial's own doc example, a negative IRR, a high IRR, a long stream,
# outlay spread over two years, trailing zeros, a leading zero year
streams["npf_doc_example"] = [-100, 39, 59, 55, 20]
streams["negative_irr"] = [-100, 0, 0, 74]
streams["high_irr"] = [-10, 30, 30, 30]
streams["long_60y"] = [-1000.0] + [45.0] * 60
streams["two_year_outlay"] = [-300, -200, 90, 120, 150, 150, 150]
streams["trailing_zeros"] = [-100, 60, 60, 0, 0]
streams["leading_zero"] = [0, -100, 110]
streams["inflow_first"] = [100, -30, -40, -50]   # a loan: one sign change, + then −

expected = {}
for name, f in streams.items():
    expected[name] = {"numpy_financial_irr": float(npf.irr(f)), "pyxirr_irr": float(pyxirr.irr(f))}

(HERE / "inputs.json").write_text(json.dumps({"streams": streams}, indent=1))
(HERE / "expected.json").write_text(json.dumps(expected, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "IRR of streams with exactly one sign change (exactly one IRR by Descartes' rule)",
    "tool": {"numpy-financial": npf.__version__, "pyxirr": pyxirr.__version__,
             "numpy": np.__version__, "python": platform.python_version()},
    "script": "make.py",
    "tolerance": {"rtol": 1e-9, "atol": 1e-10},
    "why": "both tools solve the same equation to about 1e-10 (numpy-financial: companion-matrix "
           "eigenvalues, unpolished; pyxirr: Newton/Brent iteration with its own stopping rule); "
           "perfkit polishes with Brent to machine precision, so agreement is limited by the "
           "tools' accuracy, not by perfkit",
}, indent=1))
print("wrote", len(streams), "streams")
