"""Reference NPVs: numpy-financial ``npv`` (year 0 undiscounted) and pyxirr ``npv`` with
``start_from_zero=False`` (first flow discounted one period, like Excel NPV).

Run: /tmp/refenv/bin/python make.py   (no perfkit import)
"""
import json
import platform
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr

HERE = Path(__file__).parent
rng = np.random.default_rng(42)
streams = np.round(rng.normal(0, 1000, size=(40, 21)), 3)
streams[:, 0] = -np.abs(streams[:, 0]) * 5
rates = [-0.05, 0.0, 0.035, 0.08, 0.25]
t0 = {str(r): [float(npf.npv(r, s)) for s in streams] for r in rates}
excel = {str(r): [float(pyxirr.npv(r, s.tolist(), start_from_zero=False)) for s in streams]
         for r in rates}
(HERE / "inputs.json").write_text(json.dumps({"streams": streams.tolist(), "rates": rates},
                                             indent=0))
(HERE / "expected.json").write_text(json.dumps({"t0_numpy_financial": t0,
                                                "excel_pyxirr": excel}, indent=0))
(HERE / "meta.json").write_text(json.dumps({
    "case": "NPV of 40 random 21-year streams at 5 rates, both conventions",
    "tool": {"numpy-financial": npf.__version__, "pyxirr": pyxirr.__version__,
             "numpy": np.__version__, "python": platform.python_version()},
    "script": "make.py",
    "tolerance": {"rtol": 1e-12, "atol": 1e-9},
    "why": "a closed form; implementations differ by floating-point summation order only "
           "(atol for NPVs near zero)",
}, indent=1))
