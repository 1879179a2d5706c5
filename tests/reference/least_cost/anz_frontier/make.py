"""Published efficiency frontier of six colorectal-screening strategies (ICERs increasing).

Source: Australia and New Zealand Health Policy 2005, 2:10, doi:10.1186/1743-8462-2-10, Table 7
(https://anzhealthpolicy.biomedcentral.com/articles/10.1186/1743-8462-2-10/tables/7):
costs ($) and effectiveness (life-years gained, LYG) of the strategies left after simple and
extended dominance, with average and incremental cost-effectiveness ratios.
This script only transcribes the published numbers. Run: python3 make.py
"""
import json
from pathlib import Path

HERE = Path(__file__).parent
options = {"EXISTING PRACTICE": (0, 0), "FOBT2": (140117791, 3551),
           "DCBE5": (248112291, 6023), "DCBE3": (304301903, 6720),
           "FOBT1+DCBE5": (370181240, 7076), "FOBT1+DCBE3": (422777702, 7299)}
(HERE / "inputs.json").write_text(json.dumps({"options": {k: {"cost": c, "effect": e}
                                                          for k, (c, e) in options.items()}},
                                             indent=1))
(HERE / "expected.json").write_text(json.dumps({
    "cost_per_effect": {"FOBT2": 39459, "DCBE5": 41194, "DCBE3": 45283, "FOBT1+DCBE5": 52315,
                        "FOBT1+DCBE3": 57923},
    "icer": {"FOBT2": 39459, "DCBE5": 43687, "DCBE3": 80616, "FOBT1+DCBE5": 185054,
             "FOBT1+DCBE3": 235859},
    "frontier": list(options)}, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "six strategies all on the efficiency frontier; zero-effect baseline",
    "tool": {"published": "ANZ Health Policy 2005;2:10 Table 7"},
    "source": "https://anzhealthpolicy.biomedcentral.com/articles/10.1186/1743-8462-2-10/tables/7",
    "script": "make.py",
    "tolerance": {"rtol": 3e-3},
    "why": "LYG are printed as whole numbers; an ICER over an increment of 223 LYG moves by up to "
           "0.5/223 ≈ 2.2e-3 relative, and ratios are printed to $1",
}, indent=1))
