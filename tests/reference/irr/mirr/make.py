"""Reference MIRR from numpy-financial and pyxirr.  Run: /tmp/refenv/bin/python make.py"""
import json
import platform
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr

HERE = Path(__file__).parent
cases = {
    "npf_doc_like": {"flows": [-100, 60, -10, 80], "finance_rate": 0.10, "reinvest_rate": 0.12},
    "excel_doc_like": {"flows": [-120000, 39000, 30000, 21000, 37000, 46000],
                       "finance_rate": 0.10, "reinvest_rate": 0.12},
    "two_irr_stream": {"flows": [-100, 230, -132], "finance_rate": 0.05, "reinvest_rate": 0.05},
    "negative_rates": {"flows": [-500, 100, 200, 300], "finance_rate": -0.02,
                       "reinvest_rate": -0.01},
    "long": {"flows": [-1000.0] + [80.0] * 25 + [-200.0], "finance_rate": 0.035,
             "reinvest_rate": 0.035},
}
rng = np.random.default_rng(7)
for k in range(8):
    n = int(rng.integers(3, 30))
    f = list(np.round(rng.normal(0, 100, n + 1), 4))
    f[0] = -abs(f[0]) - 50
    f[-1] = abs(f[-1]) + 10
    cases[f"random_{k}"] = {"flows": [float(v) for v in f],
                            "finance_rate": float(np.round(rng.uniform(0, 0.1), 4)),
                            "reinvest_rate": float(np.round(rng.uniform(0, 0.1), 4))}
expected = {}
for name, c in cases.items():
    expected[name] = {
        "numpy_financial_mirr": float(npf.mirr(c["flows"], c["finance_rate"], c["reinvest_rate"])),
        "pyxirr_mirr": float(pyxirr.mirr(c["flows"], c["finance_rate"], c["reinvest_rate"]))}
(HERE / "inputs.json").write_text(json.dumps(cases, indent=1))
(HERE / "expected.json").write_text(json.dumps(expected, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "modified IRR (finance rate for negative flows, reinvestment rate for positive flows)",
    "tool": {"numpy-financial": npf.__version__, "pyxirr": pyxirr.__version__,
             "numpy": np.__version__, "python": platform.python_version()},
    "script": "make.py",
    "tolerance": {"rtol": 1e-12, "atol": 1e-14},
    "why": "MIRR is a closed form; all three implementations differ only by rounding order",
}, indent=1))
print(expected)
