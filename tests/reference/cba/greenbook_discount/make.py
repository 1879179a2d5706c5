"""Green Book declining discount factors, years 0…400, by an independent closed form.

The Green Book (Table 6.1) gives rates by period: 0–30 3.5%, 31–75 3.0%, 76–125 2.5%,
126–200 2.0%, 201–300 1.5%, 301+ 1.0%, and says 3.5% applies "to all costs and benefits up to and
including the 30th year". So DF_t = Π over the periods of (1 + r_p)^(−years of period p up to t):
e.g. DF_30 = 1.035^−30, DF_31 = 1.035^−30 · 1.03^−1.
This script computes that product of powers with Python's decimal module at 40 digits (no loop of
chained divisions, no numpy, no perfkit) and rounds to double at the end.
Run: python3 make.py
"""
import json
import platform
from decimal import Decimal, getcontext
from pathlib import Path

getcontext().prec = 40
HERE = Path(__file__).parent
periods = [(1, 30, "0.035"), (31, 75, "0.03"), (76, 125, "0.025"), (126, 200, "0.02"),
           (201, 300, "0.015"), (301, 10**9, "0.01")]


def df(t: int) -> Decimal:
    out = Decimal(1)
    for first, last, r in periods:
        years = max(0, min(t, last) - first + 1)
        out /= (Decimal(1) + Decimal(r)) ** years
    return out


years = list(range(0, 401))
(HERE / "expected.json").write_text(json.dumps(
    {"discount_factor": {str(t): float(df(t)) for t in years},
     "discount_factor_str40": {str(t): str(df(t)) for t in (30, 31, 75, 76, 125, 126, 200, 201,
                                                             300, 301, 400)}}, indent=0))
(HERE / "inputs.json").write_text(json.dumps({"schedule": "greenbook", "n_years": 400,
                                              "tiers": [[30, 0.035], [75, 0.03], [125, 0.025],
                                                        [200, 0.02], [300, 0.015],
                                                        [None, 0.01]]}, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "HM Treasury Green Book declining long-term discount factors, years 0-400",
    "tool": {"python decimal (40 digits)": platform.python_version()},
    "script": "make.py",
    "source": "Green Book Table 6.1 https://ppponline.affinitext.com/public/book?id=1475&toc_id=508091"
              " ; 3.5% up to and including year 30: "
              "https://ppponline.affinitext.com/public/book?id=1664&toc_id=449738",
    "tolerance": {"rtol": 1e-13},
    "why": "exact decimal products rounded to double; perfkit chains 400 steps in binary floating "
           "point (exp of a cumulative sum of log1p), whose rounding error grows like n·eps",
}, indent=1))
print(float(df(30)), float(df(31)), float(df(400)))
