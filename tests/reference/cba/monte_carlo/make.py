"""Exact moments and quantiles of NPV for the Monte Carlo tests (no simulation here).

NPV = Σ_i s_i · PV_i · F_i is linear in independent factors F_i, so
E[NPV] = Σ s_i PV_i E[F_i] and Var[NPV] = Σ PV_i² Var[F_i] exactly. Moments of each factor come
from scipy.stats (triangular, beta for PERT, lognorm, norm); PV_i from numpy-financial npv.
In the all-normal case NPV is itself normal, so P5/P50/P95 and P(NPV < 0) are exact too.
Run: /tmp/refenv/bin/python make.py   (numpy-financial, scipy; no perfkit)
"""
import json
import math
import platform
from pathlib import Path

import numpy as np
import numpy_financial as npf
import scipy
from scipy import stats

HERE = Path(__file__).parent
n_years = 20
components = {   # kind, stream over years 0..20
    "capex": ("cost", [1000.0, 500.0] + [0.0] * (n_years - 1)),
    "opex": ("cost", [0.0, 0.0] + [40.0] * (n_years - 1)),
    "time_savings": ("benefit", [0.0, 0.0] + [150.0] * (n_years - 1)),
    "safety": ("benefit", [0.0, 0.0] + [30.0] * (n_years - 1)),
}
rate = 0.035
pv = {k: float(npf.npv(rate, s)) for k, (_, s) in components.items()}
sign = {k: (1.0 if kind == "benefit" else -1.0) for k, (kind, _) in components.items()}


def pert(lo, mode, hi, lamb=4.0):
    a = 1 + lamb * (mode - lo) / (hi - lo)
    b = 1 + lamb * (hi - mode) / (hi - lo)
    return stats.beta(a, b, loc=lo, scale=hi - lo)


def lognormal_mean_sd(mean, sd):
    s2 = math.log1p((sd / mean) ** 2)
    return stats.lognorm(s=math.sqrt(s2), scale=math.exp(math.log(mean) - s2 / 2))


cases = {
    "mixed": {
        "uncertain": {"capex": {"dist": "triangular", "low": 0.9, "mode": 1.0, "high": 1.5},
                      "opex": {"dist": "normal", "mean": 1.0, "sd": 0.15},
                      "time_savings": {"dist": "pert", "low": 0.6, "mode": 1.0, "high": 1.2},
                      "safety": {"dist": "lognormal", "mean": 1.0, "sd": 0.3},
                      },
        "frozen": {"capex": stats.triang(c=(1.0 - 0.9) / 0.6, loc=0.9, scale=0.6),
                   "opex": stats.norm(1.0, 0.15), "time_savings": pert(0.6, 1.0, 1.2),
                   "safety": lognormal_mean_sd(1.0, 0.3)},
    },
    "all_normal": {
        "uncertain": {"capex": {"dist": "normal", "mean": 1.1, "sd": 0.2},
                      "time_savings": {"dist": "normal", "mean": 0.95, "sd": 0.15},
                      "opex": {"dist": "normal", "mean": 1.0, "sd": 0.1}},
        "frozen": {"capex": stats.norm(1.1, 0.2), "time_savings": stats.norm(0.95, 0.15),
                   "opex": stats.norm(1.0, 0.1)},
    },
}
expected = {"pv": pv}
for name, c in cases.items():
    mean = sum(sign[k] * pv[k] * (c["frozen"][k].mean() if k in c["frozen"] else 1.0)
               for k in components)
    var = sum((pv[k] ** 2) * c["frozen"][k].var() for k in c["frozen"])
    out = {"mean": float(mean), "sd": float(math.sqrt(var))}
    if name == "all_normal":
        d = stats.norm(mean, math.sqrt(var))
        out.update({"p5": float(d.ppf(0.05)), "p50": float(d.ppf(0.5)), "p95": float(d.ppf(0.95)),
                    "prob_negative": float(d.cdf(0.0))})
    expected[name] = out
(HERE / "inputs.json").write_text(json.dumps({
    "rate": rate, "components": {k: {"kind": kind, "stream": s}
                                 for k, (kind, s) in components.items()},
    "cases": {k: v["uncertain"] for k, v in cases.items()}}, indent=1))
(HERE / "expected.json").write_text(json.dumps(expected, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "20-year project with 3-4 uncertain multiplicative factors",
    "tool": {"scipy": scipy.__version__, "numpy-financial": npf.__version__,
             "numpy": np.__version__, "python": platform.python_version()},
    "script": "make.py",
    "tolerance": "Monte Carlo error: |estimate - exact| <= 5 standard errors for n = 1e6 draws "
                 "(mean: sd/sqrt(n); sd: sd*sqrt((kurt-1)/(4n)) bounded by 1% of sd; quantile q: "
                 "sqrt(q(1-q)/n)/pdf(x_q); P(NPV<0): sqrt(p(1-p)/n))",
    "why": "the expected values are exact moments/quantiles; the tested values are random "
           "draws with a fixed seed, so the tolerance is statistical",
}, indent=1))
print(expected)
