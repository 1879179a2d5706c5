"""Least-cost / cost-effectiveness with strong and extended dominance.

Inputs: the five options of K. Frick, 'Decision Rules', Lecture 11 (Johns Hopkins Bloomberg School
of Public Health, 2007, CC BY-NC-SA), Incremental Cost-Effectiveness Table 1:
option 1 $300 000 / 25, 2 $200 000 / 20, 3 $450 000 / 50, 4 $375 000 / 40, 5 $400 000 / 15
(effect in QALYs). The lecture's Table 2 drops option 5 (strongly dominated) and orders the rest
2, 1, 4, 3 by cost.
Expected values are computed here from the DEFINITIONS, by brute force, not by perfkit's sweep:
- i strongly dominated: some j with C_j <= C_i and E_j >= E_i, one strictly;
- i extendedly dominated: not strongly dominated, and some pair j, k with E_j < E_i < E_k whose
  mix  C_j + (E_i - E_j)(C_k - C_j)/(E_k - E_j)  costs strictly less than C_i at effect E_i;
- frontier = the rest in order of effect; ICER between consecutive frontier options.
Run: python3 make.py (fractions.Fraction, exact)
"""
import json
from fractions import Fraction as F
from itertools import permutations
from pathlib import Path

HERE = Path(__file__).parent
options = {"1": (300000, 25), "2": (200000, 20), "3": (450000, 50), "4": (375000, 40),
           "5": (400000, 15)}
strong = {i: any((cj <= ci and ej >= ei and (cj < ci or ej > ei))
                 for j, (cj, ej) in options.items() if j != i)
          for i, (ci, ei) in options.items()}
rest = {i: v for i, v in options.items() if not strong[i]}
ext = {}
for i, (ci, ei) in rest.items():
    ext[i] = any(ej < ei < ek and F(cj) + F(ei - ej) * F(ck - cj, ek - ej) < ci
                 for (j, (cj, ej)), (k, (ck, ek)) in permutations(rest.items(), 2)
                 if i not in (j, k))
frontier = sorted((i for i in rest if not ext[i]), key=lambda i: options[i][1])
icer = {b: float(F(options[b][0] - options[a][0], options[b][1] - options[a][1]))
        for a, b in zip(frontier, frontier[1:])}
cpe = {i: float(F(c, e)) for i, (c, e) in options.items()}
(HERE / "inputs.json").write_text(json.dumps({"options": {i: {"cost": c, "effect": e}
                                                          for i, (c, e) in options.items()}},
                                             indent=1))
(HERE / "expected.json").write_text(json.dumps({
    "strongly_dominated": strong, "extended_dominated": {i: ext.get(i, False) for i in options},
    "frontier": frontier, "icer": icer, "cost_per_effect": cpe,
    "published_table2_order_by_cost": ["2", "1", "4", "3"]}, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "five options; one strongly and two extendedly dominated",
    "tool": {"published inputs": "K. Frick (2007), Decision Rules, Lecture 11, JHSPH OpenCourseWare, "
                                 "https://studylib.net/doc/11249436/",
             "expected": "python3 fractions (exact), brute-force definitions in make.py"},
    "script": "make.py",
    "tolerance": {"rtol": 1e-12},
    "why": "exact rational arithmetic; a different algorithm (pairwise mixes) from perfkit's "
           "convex-hull sweep",
}, indent=1))
print(strong, ext, frontier, icer)
