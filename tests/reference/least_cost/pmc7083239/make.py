"""Published cost-effectiveness table with an absolutely dominated strategy.

Source: J Natl Cancer Inst Cancer Spectrum 2020;4(2):pkaa004, doi:10.1093/jncics/pkaa004,
Table 1 (https://pmc.ncbi.nlm.nih.gov/articles/PMC7083239/table/pkaa004-T1):
Strategy 1 cost 1695.865, effectiveness 8.570992, C/E 197.861, undominated;
Strategy 2 cost 12224.17, effectiveness 8.583273, C/E 1424.186, absolutely dominated;
Strategy 3 cost 12118.17, effectiveness 8.590681, C/E 1410.618, ICER vs 1: 529 365.8, undominated.
This script only transcribes the published numbers. Run: python3 make.py
"""
import json
from pathlib import Path

HERE = Path(__file__).parent
(HERE / "inputs.json").write_text(json.dumps({"options": {
    "Strategy 1": {"cost": 1695.865, "effect": 8.570992},
    "Strategy 2": {"cost": 12224.17, "effect": 8.583273},
    "Strategy 3": {"cost": 12118.17, "effect": 8.590681}}}, indent=1))
(HERE / "expected.json").write_text(json.dumps({
    "cost_per_effect": {"Strategy 1": 197.861, "Strategy 2": 1424.186, "Strategy 3": 1410.618},
    "dominated": {"Strategy 1": False, "Strategy 2": True, "Strategy 3": False},
    "icer": {"Strategy 3": 529365.8},
    "frontier": ["Strategy 1", "Strategy 3"]}, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "three strategies, one absolutely dominated (published table)",
    "tool": {"published": "JNCI Cancer Spectrum 2020;4(2):pkaa004 Table 1"},
    "source": "https://pmc.ncbi.nlm.nih.gov/articles/PMC7083239/table/pkaa004-T1",
    "script": "make.py",
    "tolerance": {"cost_per_effect": {"rtol": 5e-6}, "icer": {"rtol": 1e-4}},
    "why": "the table prints costs to 0.01 and effects to 1e-6; C/E is printed to 3 decimals "
           "(rtol 5e-6 covers it). The ICER divides by a difference of 0.0197 effect units, so "
           "the printed rounding of the inputs moves it by up to ~5e-5 relative "
           "(published 529365.8; from the printed inputs 529346.2)",
}, indent=1))
