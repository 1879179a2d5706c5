"""Reference XNPV / XIRR (Act/365 fixed, from the first date) from pyxirr.

Run: /tmp/refenv/bin/python make.py   (no perfkit import)
"""
import datetime as dt
import json
import platform
from pathlib import Path

import numpy as np
import pyxirr

HERE = Path(__file__).parent
D = dt.date
cases = {
    "excel_doc_like": {"dates": ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15",
                                 "2009-04-01"],
                       "flows": [-10000, 2750, 4250, 3250, 2750]},
    "leap_years": {"dates": ["2019-12-31", "2020-02-29", "2021-06-30", "2024-02-29"],
                   "flows": [-1000, 100, 400, 800]},
    "unsorted_after_first": {"dates": ["2020-01-01", "2022-07-01", "2021-01-01", "2023-01-01"],
                             "flows": [-500, 200, 150, 260]},
    "same_day_flows": {"dates": ["2020-01-01", "2020-01-01", "2020-06-30", "2021-12-31"],
                       "flows": [-600, -400, 300, 900]},
    "negative_xirr": {"dates": ["2020-01-01", "2021-01-01", "2022-05-01"],
                      "flows": [-1000, 300, 500]},
    "monthly_10y": {"dates": [str(D(2015 + (m // 12), m % 12 + 1, 1)) for m in range(121)],
                    "flows": [-10000.0] + [120.0] * 120},
}
rng = np.random.default_rng(11)
for k in range(6):
    n = int(rng.integers(3, 15))
    start = D(2010, 1, 1) + dt.timedelta(days=int(rng.integers(0, 3000)))
    days = np.sort(rng.choice(np.arange(1, 4000), n, replace=False))
    flows = [-float(np.round(rng.uniform(100, 1000), 2))] + \
        [float(np.round(v, 2)) for v in rng.uniform(10, 400, n)]
    cases[f"random_{k}"] = {"dates": [str(start)] + [str(start + dt.timedelta(days=int(d)))
                                                      for d in days],
                            "flows": flows}
rates = [-0.5, 0.0, 0.035, 0.1, 0.5]
expected = {}
for name, c in cases.items():
    dates = [D.fromisoformat(s) for s in c["dates"]]
    expected[name] = {
        "pyxirr_xirr": float(pyxirr.xirr(dates, c["flows"], day_count=pyxirr.DayCount.ACT_365F)),
        "pyxirr_xnpv": {str(r): float(pyxirr.xnpv(r, dates, c["flows"],
                                                  day_count=pyxirr.DayCount.ACT_365F))
                        for r in rates}}
# the two-IRR stream on yearly dates 365 days apart: pyxirr returns one root silently
two = {"dates": ["2021-01-01", "2022-01-01", "2023-01-01"], "flows": [-100, 230, -132]}
two_dates = [D.fromisoformat(s) for s in two["dates"]]
expected_two = {"pyxirr_xirr": float(pyxirr.xirr(two_dates, two["flows"])),
                "note": "2021 and 2022 have 365 days, so year fractions are exactly 0, 1, 2 and "
                        "the XIRRs are exactly 0.1 and 0.2"}
(HERE / "inputs.json").write_text(json.dumps({"cases": cases, "rates": rates,
                                              "two_xirr": two}, indent=1))
(HERE / "expected.json").write_text(json.dumps({"cases": expected, "two_xirr": expected_two},
                                               indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "dated flows: XNPV at several rates and XIRR (Act/365F from the first date)",
    "tool": {"pyxirr": pyxirr.__version__, "numpy": np.__version__,
             "python": platform.python_version()},
    "script": "make.py",
    "tolerance": {"xnpv": {"rtol": 1e-12, "atol": 1e-9}, "xirr": {"rtol": 1e-8, "atol": 1e-10}},
    "why": "XNPV is a closed form (rounding only); pyxirr's XIRR iteration stops at about 1e-10 "
           "while perfkit polishes with Brent to machine precision (measured when frozen: for "
           "monthly_10y pyxirr's XIRR is 1.2e-10 from perfkit's and leaves XNPV = 4.9e-6, "
           "perfkit's leaves 6e-12; the test also checks perfkit's residual is not larger)",
}, indent=1))
print(expected_two)
