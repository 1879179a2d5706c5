"""Time ``perfkit.methods.dea`` against a plain one-``linprog``-per-unit loop (HiGHS).

2,000 seeded units, 3 inputs, 2 outputs; CCR/BCC × input/output. ``dea()`` is timed as a user
calls it (validation, both LP stages — score and max-slack —, λ, peers, targets, identity checks);
the loop solves only the first-stage score LP of each unit over all 2,000 units, the textbook way.
Both run here, in the same process. The scores must agree to 1e-9.

Run: ``.venv/bin/python benchmarks/dea.py`` (a few minutes; most of it is the loop).
The last line reads ``speedup_vs_linprog_loop: <ratio>``, the smallest ratio of the four models.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from perfkit.methods import dea  # noqa: E402

N_UNITS = 2000
SEED = 20240601


def make_data(n: int = N_UNITS, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cobb–Douglas frontier with half-normal inefficiency (3 inputs, 2 outputs)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(10, 100, (n, 3))
    front = (X[:, 0] * X[:, 1] * X[:, 2]) ** 0.3
    ineff = np.exp(-np.abs(rng.normal(0, 0.3, n)))
    Y = np.column_stack([front * rng.uniform(0.5, 1.5, n),
                         front * rng.uniform(0.5, 1.5, n)]) * ineff[:, None]
    idx = pd.Index([f"u{i:04d}" for i in range(n)], name="unit")
    return (pd.DataFrame(X, index=idx, columns=["x1", "x2", "x3"]),
            pd.DataFrame(Y, index=idx, columns=["y1", "y2"]))


def linprog_loop(X: np.ndarray, Y: np.ndarray, rts: str, orientation: str) -> np.ndarray:
    """One HiGHS LP per unit over all units (envelopment form), first stage only."""
    n, p = X.shape
    q = Y.shape[1]
    scores = np.empty(n)
    c = np.zeros(n + 1)
    c[0] = 1.0 if orientation == "input" else -1.0
    A_eq = np.r_[0.0, np.ones(n)][None, :] if rts == "vrs" else None
    b_eq = [1.0] if rts == "vrs" else None
    for o in range(n):
        if orientation == "input":      # min θ: Σλx ≤ θx_o, Σλy ≥ y_o
            A = np.vstack([np.column_stack([-X[o], X.T]),
                           np.column_stack([np.zeros(q), -Y.T])])
            b = np.r_[np.zeros(p), -Y[o]]
        else:                           # max φ: Σλx ≤ x_o, Σλy ≥ φy_o
            A = np.vstack([np.column_stack([np.zeros(p), X.T]),
                           np.column_stack([Y[o], -Y.T])])
            b = np.r_[X[o], np.zeros(q)]
        r = linprog(c, A_ub=A, b_ub=b, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        scores[o] = r.x[0]
    return scores


def main() -> None:
    X, Y = make_data()
    print(f"DEA benchmark: {N_UNITS} units, {X.shape[1]} inputs, {Y.shape[1]} outputs, "
          f"seed {SEED}")
    print(f"{'model':<16}{'dea() s':>10}{'loop s':>10}{'speedup':>10}{'max |diff|':>13}"
          f"{'fallback':>10}")
    ratios = []
    for rts in ("crs", "vrs"):
        for orientation in ("input", "output"):
            dea(X, Y, rts=rts, orientation=orientation)          # warm-up (imports, caches)
            t_dea = np.inf
            for _ in range(3):
                t = time.perf_counter()
                res = dea(X, Y, rts=rts, orientation=orientation)
                t_dea = min(t_dea, time.perf_counter() - t)
            t = time.perf_counter()
            ref = linprog_loop(X.to_numpy(), Y.to_numpy(), rts, orientation)
            t_loop = time.perf_counter() - t
            diff = float(np.max(np.abs(res.efficiency.to_numpy() - ref)))
            ratio = t_loop / t_dea
            ratios.append(ratio)
            name = f"{'CCR' if rts == 'crs' else 'BCC'}-{orientation}"
            print(f"{name:<16}{t_dea:>10.3f}{t_loop:>10.2f}{ratio:>10.1f}{diff:>13.2e}"
                  f"{res.n_fallback:>10d}", flush=True)
            if diff > 1e-9:
                print(f"WARNING: {name} scores differ from the loop by {diff:.3g} > 1e-9")
    print(f"speedup_vs_linprog_loop: {min(ratios):.1f}")


if __name__ == "__main__":
    main()
