"""Grades (等级) from scores by a profile's bands, on unrounded scores (half-open intervals)."""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import RuleError

__all__ = ["grade", "band_edges"]


def band_edges(bands: Mapping[str, float]) -> list[tuple[str, float]]:
    """Bands as (grade, lower bound) sorted from the best grade down."""
    items = sorted(((str(k), float(v)) for k, v in bands.items()), key=lambda kv: -kv[1])
    if not items:
        raise RuleError("grade bands are empty")
    return items


def grade(scores, bands: Mapping[str, float]) -> pd.Series:
    """Grade of each score: the best band whose lower bound the score reaches.

    ``{优: 90, 良: 80, 中: 60, 差: 0}`` gives [90, 100] 优, [80, 90) 良, [60, 80) 中, [0, 60) 差
    (domain.md §4.4). NaN scores get no grade (None).
    """
    s = pd.Series(scores, dtype=float) if not isinstance(scores, pd.Series) else scores.astype(float)
    edges = band_edges(bands)
    conds = [s.to_numpy() >= lo for _, lo in edges]
    out = np.select(conds, [g for g, _ in edges], default=edges[-1][0]).astype(object)
    out[np.isnan(s.to_numpy())] = None
    return pd.Series(out, index=s.index, name="grade")
