"""Green Book optimism bias: the published table and the published combined-project example.

No tool: the expected values are the numbers printed by HM Treasury. This script only writes
them down (and does the example's one-line arithmetic as a check on the transcription).
Run: python3 make.py
"""
import json
from pathlib import Path

HERE = Path(__file__).parent
table_pct = {   # project type: works duration (upper, lower), capex (upper, lower)
    "non_standard_buildings": {"works_duration": [39, 2], "capex": [51, 4]},
    "standard_buildings": {"works_duration": [4, 1], "capex": [24, 2]},
    "non_standard_civil_engineering": {"works_duration": [25, 3], "capex": [66, 6]},
    "standard_civil_engineering": {"works_duration": [20, 1], "capex": [44, 3]},
    "equipment_development": {"works_duration": [54, 10], "capex": [200, 10]},
    "outsourcing": {"works_duration": None, "capex": [41, 0]},
}
example = {"project_type": ["non_standard_buildings", "standard_buildings"], "shares": [0.3, 0.7],
           "bound": "upper", "measure": "capex"}
published_rate = 0.321  # "30% × 51% + 70% × 24% = 32.1%"
assert abs(0.3 * 51 + 0.7 * 24 - 32.1) < 1e-12
(HERE / "inputs.json").write_text(json.dumps({"example": example, "base_cost": 1000.0},
                                             indent=1))
(HERE / "expected.json").write_text(json.dumps({"table_pct": table_pct,
                                                "example_rate": published_rate,
                                                "example_adjusted_cost": 1321.0}, indent=1))
(HERE / "meta.json").write_text(json.dumps({
    "case": "Green Book optimism-bias bounds and the combined-project worked example (32.1%)",
    "tool": {"published": "HM Treasury Green Book supplementary guidance: Optimism bias"},
    "source": "table: https://ppponline.affinitext.com/public/book?id=1343&toc_id=444193 ; "
              "example: toc_id=444268 (perfkit domain.md §11, tag [V])",
    "script": "make.py",
    "tolerance": {"atol": 1e-12},
    "why": "published figures with at most one decimal; 0.3*51 + 0.7*24 is exact up to rounding",
}, indent=1))
