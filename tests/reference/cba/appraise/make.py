"""A worked project appraisal computed with numpy-financial and pyxirr (no perfkit).

Project: a 20-year scheme, capex in years 0-1, opex from year 2, benefits ramping up; discount
rate 3.5%. Expected: PV(benefits), PV(costs), NPV, BCR (numpy-financial npv), IRR
(numpy-financial irr and pyxirr irr), MIRR, and simple / discounted payback computed by a plain
loop over cumulative sums with linear interpolation in the crossing year.
Run: /tmp/refenv/bin/python make.py
"""
import json
import platform
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr

HERE = Path(__file__).parent
years = 21
benefits = [0.0, 0.0] + [min(120.0, 40.0 + 20.0 * k) for k in range(years - 2)]
costs = [600.0, 400.0] + [25.0] * (years - 2)
rate = 0.035
net = [b - c for b, c in zip(benefits, costs)]


def payback(flows):
    cum = 0.0
    was_negative = False
    for t, f in enumerate(flows):
        new = cum + f
        if new < 0:
            was_negative = True
        elif was_negative and t > 0 and cum < 0:
            return (t - 1) + (-cum) / (new - cum)
        cum = new
    return 0.0 if not was_negative else float("nan")


disc = [f / (1 + rate) ** t for t, f in enumerate(net)]
pvb, pvc = float(npf.npv(rate, benefits)), float(npf.npv(rate, costs))
expected = {
    "pv_benefits": pvb, "pv_costs": pvc, "npv": float(npf.npv(rate, net)), "bcr": pvb / pvc,
    "irr_numpy_financial": float(npf.irr(net)), "irr_pyxirr": float(pyxirr.irr(net)),
    "mirr_numpy_financial": float(npf.mirr(net, rate, rate)),
    "payback": payback(net), "discounted_payback": payback(disc),
    "npv_excel_pyxirr": float(pyxirr.npv(rate, net, start_from_zero=False)),
}
(HERE / "inputs.json").write_text(json.dumps({"benefits": benefits, "costs": costs,
                                              "rate": rate}, indent=1))
(HERE / "expected.json").write_text(json.dumps(expected, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "20-year project appraisal at 3.5%",
    "tool": {"numpy-financial": npf.__version__, "pyxirr": pyxirr.__version__,
             "numpy": np.__version__, "python": platform.python_version()},
    "script": "make.py",
    "tolerance": {"rtol": 1e-10, "atol": 1e-9},
    "why": "closed forms except IRR (tools iterate to ~1e-10); payback is a plain-loop "
           "re-implementation of the documented definition",
}, indent=1))
print(expected)
