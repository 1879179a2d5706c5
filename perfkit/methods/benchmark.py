"""标杆管理法 — benchmarking: DEA, Malmquist productivity index, gap to a benchmark.

domain.md §8: 标杆管理法 uses high-performing peers as the benchmark. This module gives

- :func:`dea` — data envelopment analysis (数据包络分析): CCR (constant returns, ``rts="crs"``)
  and BCC (variable returns, ``rts="vrs"``) models, input or output oriented, with the max-slack
  second stage, intensity weights λ, peers (标杆单位), projected targets (改进目标), and the
  Andersen–Petersen super-efficiency score (超效率);
- :func:`malmquist` — the Färe–Grosskopf–Norris–Zhang (1994) Malmquist productivity index
  (Malmquist 生产率指数) between adjacent periods, with its decomposition into efficiency change
  (技术效率变化), technical change (技术进步), pure efficiency change (纯技术效率变化) and scale
  efficiency change (规模效率变化);
- :func:`gap_to_benchmark` — gap = (benchmark − actual)/benchmark against the best value, the 90th
  percentile or a given standard (行业标准/计划标准);
- :func:`percentile_rank` — each unit's mid-rank percentile among its peers.

How the DEA linear programmes are solved
----------------------------------------
Every unit needs one (two with the slack stage) small linear programme over *all* units as
possible references. Only units on the frontier can carry a positive weight λ, and they are few, so
``dea`` solves each unit's programme over a small reference set with a dense primal simplex method
vectorised over all units at once (NumPy), then **certifies** every unit's answer against the full
reference set: the final basis must be primal feasible and its dual prices must price out every unit
of the data set (reduced cost ≥ −1e-9, lexicographically for the slack stage; checking the units
that no other unit dominates is enough, see ``_nondominated``). That is the LP optimality
condition of the full programme, so the restricted solution *is* an optimum of the full one.
Infeasibility (super-efficiency) is certified the same way by the phase-1 dual (Farkas) prices. A unit whose certificate fails because a unit outside the reference set prices out
negatively gets that unit added to the reference set and is solved again (column generation); a
unit whose certificate fails for numerical reasons, or that needs too many iterations, is solved
by ``scipy.optimize.linprog`` (HiGHS) over the full reference set. The answers therefore equal
those of the textbook one-LP-per-unit loop to LP tolerance, see ``benchmarks/dea.py``.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .._results import Result
from .._validate import as_frame, as_series, check_option
from ..errors import IdentityError, InputError, MethodError

__all__ = [
    "DEAResult",
    "MalmquistResult",
    "GapResult",
    "PercentileRankResult",
    "dea",
    "malmquist",
    "gap_to_benchmark",
    "percentile_rank",
]

#: λ at or below this value is solver noise: it is reported as 0 and the unit is not a peer.
PEER_TOL = 1e-9

# solver status codes
_OPT, _INFEAS, _UNBD, _FAIL = 0, 1, 2, 3
_DTOL = 1e-9    # reduced-cost (optimality) tolerance on the column-scaled problem
_FTOL = 1e-9    # primal feasibility tolerance on the column-scaled problem
_PTOL = 1e-9    # smallest pivot element accepted by the ratio test
_CHUNK = 4096   # evaluations per batched solve (bounds memory)


# ============================================================================================
# The LP engine
# ============================================================================================
class _Model:
    """Envelopment LPs of many evaluated points against one reference set (column-scaled data).

    Rows: ``p`` input rows, ``q`` output rows, and under VRS one convexity row. Column 0 is the
    radial variable θ (input orientation) or φ (output orientation); its column depends on the
    evaluated point. The other columns (λ of the reference units, s⁻, s⁺, artificials) are shared.

    Input orientation:  Σ λ_j x_ij + s⁻_i − θ x_io = 0,   Σ λ_j y_rj − s⁺_r = y_ro
    Output orientation: Σ λ_j x_ij + s⁻_i = x_io,         Σ λ_j y_rj − s⁺_r − φ y_ro = 0
    VRS adds Σ λ_j = 1. All variables are ≥ 0.
    """

    def __init__(self, Xr: np.ndarray, Yr: np.ndarray, vrs: bool, orientation: str,
                 slack_w: np.ndarray):
        self.Xr, self.Yr = Xr, Yr
        self.p, self.q = Xr.shape[1], Yr.shape[1]
        self.vrs = vrs
        self.orientation = orientation
        self.m = self.p + self.q + (1 if vrs else 0)
        self.slack_w = slack_w
        rows = [Xr.T, Yr.T]
        if vrs:
            rows.append(np.ones((1, Xr.shape[0])))
        self.A_ref = np.vstack(rows)

    def point(self, Xe: np.ndarray, Ye: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The radial column and the right-hand side for each evaluated point."""
        n = Xe.shape[0]
        p, q = self.p, self.q
        a0 = np.zeros((n, self.m))
        b = np.zeros((n, self.m))
        if self.orientation == "input":
            a0[:, :p] = -Xe
            b[:, p:p + q] = Ye
        else:
            a0[:, p:p + q] = -Ye
            b[:, :p] = Xe
        if self.vrs:
            b[:, -1] = 1.0
        return a0, b


def _gather_B(A_ext: np.ndarray, a0: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Basis matrices (n, m, m) from column ids; column 0 is each evaluation's own radial column."""
    Bm = np.transpose(A_ext[:, basis], (1, 0, 2)).copy()
    z = basis == 0
    if z.any():
        ni, ci = np.nonzero(z)
        Bm[ni, :, ci] = a0[ni]
    return Bm


def _batched_simplex(model: _Model, cols: np.ndarray, a0: np.ndarray, b: np.ndarray,
                     excl: np.ndarray, second_stage: bool, basis0: np.ndarray | None = None):
    """Two-phase primal simplex, vectorised over evaluations, with an explicit basis inverse.

    Phase 1 drives artificials out; stage 1 optimises the radial variable; stage 2 (optional)
    maximises the weighted slack sum *lexicographically*: only columns with zero stage-1 reduced
    cost may enter, which keeps θ (φ) at its optimum. Dantzig pricing, switching an evaluation to
    Bland's rule after a run of degenerate pivots (DEA is highly degenerate). The basis inverse is
    refactorised every 25 iterations. ``basis0`` (column ids, −1 rows = cold start) warm-starts
    evaluations from an earlier basis; it must be primal feasible, else the row starts cold.

    Returns ``status, basis, A_ext, C, (s0, t0, art0)`` where ``C`` holds the cost rows of phase
    1, stage 1 and stage 2 and ``s0, t0, art0`` are the first s⁻, s⁺ and artificial column ids.
    """
    n, m = b.shape
    p, q = model.p, model.q
    k = len(cols)
    Ash = np.hstack([model.A_ref[:, cols],
                     np.vstack([np.eye(p), np.zeros((m - p, p))]),
                     np.vstack([np.zeros((p, q)), -np.eye(q), np.zeros((m - p - q, q))]),
                     np.eye(m)])
    K1 = 1 + Ash.shape[1]
    A_ext = np.hstack([np.zeros((m, 1)), Ash])
    A_neg = -A_ext
    s0, t0 = 1 + k, 1 + k + p
    art0 = t0 + q
    C = np.zeros((3, K1))
    C[0, art0:] = 1.0
    C[1, 0] = 1.0 if model.orientation == "input" else -1.0
    C[2, s0:art0] = -model.slack_w
    # starting basis: s- on the input rows (b >= 0); on the output rows s+ where b == 0 and an
    # artificial otherwise; an artificial on the convexity row.
    basis = np.empty((n, m), dtype=np.int64)
    basis[:, :p] = s0 + np.arange(p)
    out_pos = b[:, p:p + q] > 0
    basis[:, p:p + q] = np.where(out_pos, art0 + p + np.arange(q), t0 + np.arange(q))
    if model.vrs:
        basis[:, -1] = art0 + m - 1
    sign = np.ones((n, m))
    sign[:, p:p + q] = np.where(out_pos, 1.0, -1.0)
    Binv = np.zeros((n, m, m))
    Binv[:, np.arange(m), np.arange(m)] = sign
    xB = sign * b
    phase = np.where((basis >= art0).any(axis=1), 0, 1)
    if basis0 is not None and (basis0[:, 0] >= 0).any():
        w0 = np.nonzero(basis0[:, 0] >= 0)[0]
        try:
            Bi0 = np.linalg.inv(_gather_B(A_ext, a0[w0], basis0[w0]))
            x0 = np.einsum("nij,nj->ni", Bi0, b[w0])
        except np.linalg.LinAlgError:
            w0 = w0[:0]
        if w0.size:
            good = (x0 >= -_FTOL).all(axis=1) & np.isfinite(x0).all(axis=1)
            w0, Bi0, x0 = w0[good], Bi0[good], np.maximum(x0[good], 0.0)
            basis[w0], Binv[w0], xB[w0] = basis0[w0], Bi0, x0
            phase[w0] = np.where(((basis0[w0] >= art0) & (x0 > _FTOL)).any(axis=1), 0, 1)
    pen = np.zeros((n, K1))         # +inf on columns that may not enter
    if excl is not None and (excl >= 0).any():
        pos = np.full(model.A_ref.shape[1], -1)
        pos[cols] = np.arange(k)
        e = np.where(excl >= 0, pos[np.maximum(excl, 0)], -1)
        has = e >= 0
        pen[np.nonzero(has)[0], 1 + e[has]] = np.inf
    pen[phase == 1, art0:] = np.inf
    C_tail = C[:, s0:]              # costs live in column 0 and from s0 on
    status = np.full(n, -1)
    bland = np.zeros(n, dtype=bool)
    degen = np.zeros(n, dtype=np.int64)
    iters = np.zeros(n, dtype=np.int64)
    maxiter = 100 + 20 * (m + k)
    act = np.arange(n)
    it = 0
    while act.size:
        it += 1
        bs, Bi, xb, ph = basis[act], Binv[act], xB[act], phase[act]
        cB = C[ph[:, None], bs]
        y = np.einsum("nm,nmk->nk", cB, Bi)                 # dual prices
        draw = y @ A_neg                                    # reduced costs c − yA
        draw[:, 0] += C[ph, 0] - np.einsum("nm,nm->n", y, a0[act])
        draw[:, s0:] += C_tail[ph]
        d = draw + pen[act]
        # basic columns price out at ~1e-16, far inside the tolerance: no need to mask them
        qe = np.argmin(d, axis=1)
        optimal = d[np.arange(act.size), qe] >= -_DTOL
        bl = np.nonzero(bland[act] & ~optimal)[0]
        if bl.size:                                         # Bland: first improving column
            qe[bl] = np.argmax(d[bl] < -_DTOL, axis=1)
        if optimal.any():                                   # phase transitions
            oi = np.nonzero(optimal)[0]
            g = act[oi]
            sel = ph[oi] == 0
            if sel.any():
                gi = g[sel]
                artsum = np.where(basis[gi] >= art0, xB[gi], 0.0).sum(axis=1)
                bad = artsum > _FTOL
                status[gi[bad]] = _INFEAS
                ok = gi[~bad]
                phase[ok] = 1
                pen[ok, art0:] = np.inf
            sel = ph[oi] == 1
            if sel.any():
                gi = g[sel]
                if second_stage:                            # stay on the optimal face
                    pen[gi] = np.where(draw[oi[sel]] > _DTOL, np.inf, pen[gi])
                    phase[gi] = 2
                else:
                    status[gi] = _OPT
            sel = ph[oi] == 2
            if sel.any():
                status[g[sel]] = _OPT
        piv = np.nonzero(~optimal)[0]
        if piv.size:                                        # pivots
            g = act[piv]
            qq = qe[piv]
            aq = A_ext[:, qq].T.copy()
            z = qq == 0
            aq[z] = a0[g[z]]
            Bi_p = Bi[piv]
            w = np.einsum("nij,nj->ni", Bi_p, aq)
            xb_p = xb[piv]
            bs_p = bs[piv]
            # a basic artificial at zero level (after phase 1) must leave rather than move
            isart = (bs_p >= art0) & (ph[piv] > 0)[:, None]
            elig = (w > _PTOL) | (isart & (np.abs(w) > _PTOL))
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(elig, np.maximum(xb_p, 0.0) / np.abs(w), np.inf)
            ratio = np.where(isart & elig, 0.0, ratio)
            rmin = ratio.min(axis=1)
            unb = ~np.isfinite(rmin)
            if unb.any():
                status[g[unb]] = _UNBD
            tie = ratio <= rmin[:, None] + 1e-12
            r_stable = np.argmax(np.where(tie, np.abs(w), -1.0), axis=1)
            r_bland = np.argmin(np.where(tie, bs_p, np.iinfo(np.int64).max), axis=1)
            r = np.where(bland[g], r_bland, r_stable)
            ok = ~unb
            g, r, w, qq, Bi_p, xb_p = g[ok], r[ok], w[ok], qq[ok], Bi_p[ok], xb_p[ok]
            if g.size:
                nn = np.arange(g.size)
                wr = w[nn, r]
                step = np.maximum(xb_p[nn, r] / wr, 0.0)
                xb_new = xb_p - step[:, None] * w
                xb_new[nn, r] = step
                rowr = Bi_p[nn, r] / wr[:, None]
                Bi_new = Bi_p - w[:, :, None] * rowr[:, None, :]
                Bi_new[nn, r] = rowr
                xB[g] = xb_new
                Binv[g] = Bi_new
                bsn = basis[g]
                bsn[nn, r] = qq
                basis[g] = bsn
                degen[g] = np.where(step <= 1e-12, degen[g] + 1, 0)
                bland[g] |= degen[g] > 3 * m
                iters[g] += 1
        if it % 25 == 0:
            still = np.nonzero(status < 0)[0]
            if still.size:
                Bm = _gather_B(A_ext, a0[still], basis[still])
                try:
                    Binv[still] = np.linalg.inv(Bm)
                    xB[still] = np.einsum("nij,nj->ni", Binv[still], b[still])
                except np.linalg.LinAlgError:
                    status[still] = _FAIL
        status[(status < 0) & (iters > maxiter)] = _FAIL
        act = np.nonzero(status < 0)[0]
    return status, basis, A_ext, C, (s0, t0, art0)


def _candidates(Xr: np.ndarray, Yr: np.ndarray, vrs: bool, n_dir: int = 96) -> np.ndarray:
    """Cheap first guess of frontier units: maximisers of random positive price ratios.

    Any unit maximising u·y / v·x (CRS) or u·y − v·x (VRS) with positive prices lies on the
    frontier. The guess only speeds things up: the certificate decides (column generation).
    """
    rng = np.random.default_rng(20240601)
    q, p = Yr.shape[1], Xr.shape[1]
    U = rng.exponential(size=(n_dir, q))
    V = rng.exponential(size=(n_dir, p))
    if vrs:
        V *= np.exp(rng.uniform(-3.0, 3.0, size=(n_dir, 1)))
        S = U @ Yr.T - V @ Xr.T
        extra = [np.argmax(Yr, axis=0)]
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            S = (U @ Yr.T) / (V @ Xr.T)
        S = np.where(np.isnan(S), -np.inf, S)
        extra = []
    return np.unique(np.concatenate([np.argmax(S, axis=1), *extra]))


def _nondominated(Z: np.ndarray, strong: np.ndarray, block: int = 256) -> np.ndarray:
    """Indices of the rows of Z (distinct rows; larger is better in every column) that no other
    row dominates (≥ everywhere).

    Certification only needs these: at an optimal basis the dual prices of input rows are ≤ 0 and
    those of output rows ≥ 0 (the slack columns price out), so a dominated unit's reduced cost
    is at least that of the unit dominating it, in both stages (within (1+p+q)·1e-9 of the
    tolerance). The rows are first screened against ``strong`` (likely frontier units).
    """
    n = Z.shape[0]
    S = Z[strong]
    alive = np.ones(n, dtype=bool)
    for s in range(0, n, block):
        blk = Z[s:s + block]
        ge = (S[None, :, :] >= blk[:, None, :]).all(axis=2)
        ge[np.arange(blk.shape[0])[:, None] == (strong[None, :] - s)] = False
        alive[s:s + block] = ~ge.any(axis=1)
    idx = np.nonzero(alive)[0]
    R = Z[idx]
    keep = np.ones(idx.size, dtype=bool)
    for s in range(0, idx.size, block):
        blk = R[s:s + block]
        ge = (R[None, :, :] >= blk[:, None, :]).all(axis=2)
        keep[s:s + block] = ge.sum(axis=1) == 1          # only itself
    return idx[keep]


@dataclass
class _Solution:
    status: np.ndarray        # (n,) _OPT / _INFEAS / _UNBD / _FAIL
    score: np.ndarray         # (n,) θ or φ (NaN if not optimal)
    lam: np.ndarray           # (k, 3) triplets: evaluation, reference id, λ > 0
    slack: np.ndarray         # (n, p+q) scaled slacks (NaN without the slack stage)
    ref_cols: np.ndarray      # the certified reference columns used
    n_fallback: int


def _solve(model: _Model, Xe: np.ndarray, Ye: np.ndarray, *, excl: np.ndarray | None = None,
           second_stage: bool = True, cand: np.ndarray | None = None,
           max_rounds: int = 40) -> _Solution:
    """Solve the envelopment LP of every evaluated point; every answer is certified or re-solved."""
    a0, b = model.point(Xe, Ye)
    n, m = b.shape
    p, q = model.p, model.q
    n_ref = model.A_ref.shape[1]
    if excl is None:
        excl = np.full(n, -1, dtype=np.int64)
    cols = np.unique(np.asarray(_candidates(model.Xr, model.Yr, model.vrs) if cand is None
                                else cand, dtype=np.int64))
    if (excl >= 0).any():
        chk = np.arange(n_ref)
    else:
        chk = _nondominated(np.hstack([-model.Xr, model.Yr]), cols)
    status = np.full(n, -1)
    score = np.full(n, np.nan)
    lam: list = []
    slack = np.full((n, p + q), np.nan)
    fallback: set[int] = set()
    pending = np.arange(n)
    last = np.full((n, m), -1, dtype=np.int64)      # last basis of each evaluation (warm start)
    rounds = 0
    while pending.size and rounds < max_rounds:
        rounds += 1
        new_cols: list[int] = []
        next_pending: list[int] = []
        for start in range(0, pending.size, _CHUNK):
            chunk = pending[start:start + _CHUNK]
            st, basis, A_ext, C, offs = _batched_simplex(model, cols, a0[chunk], b[chunk],
                                                         excl[chunk], second_stage, last[chunk])
            last[chunk] = basis
            for code in (_UNBD, _FAIL):
                fallback.update(chunk[st == code].tolist())
            nc, nxt, fb = _certify(model, cols, chk, chunk, st, basis, A_ext, C, offs, a0, b,
                                   excl, second_stage, status, score, lam, slack)
            new_cols += nc
            next_pending += nxt
            fallback.update(fb)
        grown = np.union1d(cols, np.asarray(new_cols, dtype=np.int64))
        pending = np.asarray(sorted(set(next_pending) - fallback), dtype=np.int64)
        # renumber the kept bases for the grown column set (λ ids move, the rest shift)
        old = last[pending]
        is_lam = (old >= 1) & (old <= cols.size)
        last[pending] = np.where(
            is_lam, 1 + np.searchsorted(grown, cols[np.clip(old - 1, 0, cols.size - 1)]),
            np.where(old > cols.size, old + grown.size - cols.size, old))
        cols = grown
    fallback.update(pending.tolist())
    for e in sorted(fallback):
        st, th, li, lv, sl = _solve_linprog(model, a0[e], b[e], int(excl[e]), second_stage)
        status[e], score[e], slack[e] = st, th, sl
        lam.append(np.column_stack([np.full(li.size, e), li, lv]))
    lam_arr = np.vstack(lam) if lam else np.zeros((0, 3))
    return _Solution(status, score, lam_arr, slack, cols, len(fallback))


def _certify(model, cols, chk, chunk, st, basis, A_ext, C, offs, a0, b, excl, second_stage,
             status, score, lam, slack):
    """Check each evaluation's final basis against the full reference set (see module notes).

    ``chk`` are the reference units whose reduced costs are checked: all of them, or only the
    non-dominated ones (see :func:`_nondominated`; all of them whenever a column is excluded).
    Fills the outputs of certified evaluations; returns (columns to add, evaluations to re-solve,
    evaluations to hand to linprog).
    """
    A_chk = model.A_ref[:, chk]
    s0, t0, art0 = offs
    k = len(cols)
    new_cols: list[int] = []
    again: list[int] = []
    fb: list[int] = []
    for code in (_OPT, _INFEAS):
        sel = np.nonzero(st == code)[0]
        if not sel.size:
            continue
        g = chunk[sel]
        bs = basis[sel]
        Bm = _gather_B(A_ext, a0[g], bs)
        try:
            xs = np.linalg.solve(Bm, b[g][:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            fb += g.tolist()
            continue
        BT = np.transpose(Bm, (0, 2, 1))
        ok = (xs >= -_FTOL).all(axis=1)
        isart = bs >= art0
        if code == _OPT:
            ok &= ~(isart & (np.abs(xs) > _FTOL)).any(axis=1)
            stages = [1, 2] if second_stage else [1]
        else:
            ok &= np.where(isart, xs, 0.0).sum(axis=1) > _FTOL
            stages = [0]
        ex = excl[g]
        hx = np.nonzero(ex >= 0)[0]
        pos = np.searchsorted(cols, ex[hx])
        inr = (pos < k) & (cols[np.minimum(pos, k - 1)] == ex[hx])
        viol = np.zeros(len(g), dtype=bool)
        add = np.full(len(g), -1)
        face = None
        rows = np.arange(len(g))
        for ci in stages:
            y = np.linalg.solve(BT, C[ci][bs][:, :, None])[:, :, 0]
            d = C[ci][None, :art0] - y @ A_ext[:, :art0]           # restricted columns
            d[:, 0] = C[ci][0] - np.einsum("nm,nm->n", y, a0[g])
            d[hx[inr], 1 + pos[inr]] = np.inf
            if face is None:
                D = y @ A_chk                                       # = −(reduced cost)
                D[hx, ex[hx]] = -np.inf                             # (chk is complete here)
                jmax = D.argmax(axis=1)
                vmin = -D[rows, jmax]
                jmin = chk[jmax]
                face = (d <= _DTOL, np.divmod(np.flatnonzero(D >= -_DTOL), D.shape[1]))
            else:                                                   # lexicographic stage 2:
                d = np.where(face[0], d, np.inf)                    # only the optimal face
                fr, fc = face[1]
                vals = -np.einsum("nm,mn->n", y[fr], A_chk[:, fc])
                vmin = np.full(len(g), np.inf)
                jmin = np.full(len(g), -1)
                if fr.size:
                    o = np.lexsort((vals, fr))
                    first = np.unique(fr[o], return_index=True)[1]
                    vmin[fr[o][first]] = vals[o][first]
                    jmin[fr[o][first]] = chk[fc[o][first]]
            ok &= ~(d < -_DTOL).any(axis=1)
            v = (vmin < -_DTOL) & ~viol
            add[v] = jmin[v]
            viol |= vmin < -_DTOL
        fb += g[~ok].tolist()
        cg = ok & viol
        again += g[cg].tolist()
        new_cols += add[cg].tolist()
        done = np.nonzero(ok & ~viol)[0]
        gd = g[done]
        status[gd] = code
        if code != _OPT:
            continue
        bsd, xd = bs[done], xs[done]
        score[gd] = np.where(bsd == 0, xd, 0.0).sum(axis=1)
        isl = (bsd >= 1) & (bsd < s0)
        if second_stage:
            sl = np.zeros((len(gd), model.p + model.q))
            rr, cc = np.nonzero((bsd >= s0) & (bsd < art0))
            sl[rr, bsd[rr, cc] - s0] = np.maximum(xd[rr, cc], 0.0)
            slack[gd] = sl
        rr, cc = np.nonzero(isl)
        lam.append(np.column_stack([gd[rr], cols[bsd[rr, cc] - 1], np.maximum(xd[rr, cc], 0.0)]))
    return new_cols, again, fb


def _solve_linprog(model: _Model, a0: np.ndarray, b: np.ndarray, excl: int,
                   second_stage: bool):
    """Reference path: HiGHS (dual simplex) over the full reference set, one unit at a time."""
    m = b.size
    p, q = model.p, model.q
    ref = np.arange(model.A_ref.shape[1])
    if excl >= 0:
        ref = ref[ref != excl]
    A = np.hstack([a0[:, None], model.A_ref[:, ref],
                   np.vstack([np.eye(p), np.zeros((m - p, p))]),
                   np.vstack([np.zeros((p, q)), -np.eye(q), np.zeros((m - p - q, q))])])
    nc = A.shape[1]
    c = np.zeros(nc)
    c[0] = 1.0 if model.orientation == "input" else -1.0
    opts = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
    nan_sl = np.full(p + q, np.nan)
    r = linprog(c, A_eq=A, b_eq=b, bounds=(0, None), method="highs-ds", options=opts)
    if r.status in (2, 3):
        return (_INFEAS if r.status == 2 else _UNBD), np.nan, ref[:0], np.zeros(0), nan_sl
    if r.status != 0:
        return _FAIL, np.nan, ref[:0], np.zeros(0), nan_sl
    th = float(r.x[0])
    z = r.x
    if second_stage:
        c2 = np.zeros(nc)
        c2[1 + ref.size:] = -model.slack_w
        bounds = [(th, th)] + [(0, None)] * (nc - 1)
        r2 = linprog(c2, A_eq=A, b_eq=b, bounds=bounds, method="highs-ds", options=opts)
        if r2.status != 0:
            return _FAIL, np.nan, ref[:0], np.zeros(0), nan_sl
        z = r2.x
    lv = np.maximum(z[1:1 + ref.size], 0.0)
    nz = lv > 0
    sl = np.maximum(z[1 + ref.size:], 0.0) if second_stage else nan_sl
    return _OPT, th, ref[nz], lv[nz], sl


# ============================================================================================
# Argument checks
# ============================================================================================
def _unit_frame(name: str, data: Any, default: str) -> pd.DataFrame:
    if isinstance(data, pd.Series) and data.name is None:
        data = data.rename(default)
    df = as_frame(name, data)
    if df.shape[1] == 0:
        raise InputError("must have at least one column", argument=name)
    if not df.columns.is_unique:
        dup = list(df.columns[df.columns.duplicated()][:5])
        raise InputError("column names must be unique", argument=name, value=dup)
    if not df.index.is_unique:
        dup = list(df.index[df.index.duplicated()][:5])
        raise InputError("unit labels (the index) must be unique", argument=name, value=dup)
    arr = df.to_numpy(dtype=float)
    bad = ~np.isfinite(arr)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputError("must not contain NaN or infinite values", argument=name,
                         column=str(df.columns[c]), value=f"unit {df.index[r]!r}: {arr[r, c]}")
    if (arr < 0).any():
        r, c = np.argwhere(arr < 0)[0]
        raise InputError("must not be negative", argument=name, column=str(df.columns[c]),
                         value=f"unit {df.index[r]!r}: {arr[r, c]}")
    zero_col = ~(arr > 0).any(axis=0)
    if zero_col.any():
        c = int(np.argmax(zero_col))
        raise InputError("a column that is zero for every unit carries no information (drop it)",
                         argument=name, column=str(df.columns[c]), value=0.0)
    zero_row = ~(arr > 0).any(axis=1)
    if zero_row.any():
        r = int(np.argmax(zero_row))
        raise InputError(f"every unit needs at least one positive {default} (semipositive data)",
                         argument=name, value=df.index[r])
    return df


def _check_pair(inputs: Any, outputs: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    X = _unit_frame("inputs", inputs, "input")
    Y = _unit_frame("outputs", outputs, "output")
    if len(X) != len(Y):
        raise InputError(f"must have one row per unit of inputs ({len(X)}), got {len(Y)}",
                         argument="outputs", value=len(Y))
    if not X.index.equals(Y.index):
        if set(X.index) != set(Y.index):
            missing = [u for u in X.index if u not in set(Y.index)][:5]
            raise InputError("must be indexed by the same units as inputs", argument="outputs",
                             value=missing or list(Y.index.difference(X.index)[:5]))
        Y = Y.loc[X.index]
    common = [c for c in X.columns if c in set(Y.columns)]
    if common:
        raise InputError("input and output column names must be distinct", argument="outputs",
                         value=common[:5])
    return X, Y


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise InputError("must be True or False", argument=name, value=value)
    return bool(value)


# ============================================================================================
# DEA
# ============================================================================================
@dataclass(frozen=True, eq=False)
class DEAResult(Result):
    """Data envelopment analysis of a set of units (数据包络分析).

    Attributes
    ----------
    efficiency : Series
        Farrell score per unit: θ ∈ (0, 1] (input orientation) or φ ≥ 1 (output orientation);
        with ``super_efficiency`` the Andersen–Petersen score (NaN where undefined).
    slacks : DataFrame
        Max-slack second stage: input excess s⁻ (input columns) and output shortfall s⁺ (output
        columns), in the data's units, with the score held at its optimum.
    lambdas : DataFrame
        Intensity weights λ, units × reference units (only units that are someone's peer appear as
        columns; values ≤ ``PEER_TOL`` are 0).
    peers : dict
        Unit → list of its reference units (标杆单位), λ > ``PEER_TOL``, in data order.
    targets : DataFrame
        Projected inputs and outputs (改进目标): input orientation x̂ = θx − s⁻, ŷ = y + s⁺;
        output orientation x̂ = x − s⁻, ŷ = φy + s⁺.
    rts, orientation, super_efficiency
        The model.
    inputs, outputs : DataFrame
        The data as analysed (kept for the identity checks and reproducibility).
    n_fallback : int
        Units solved by the plain ``linprog`` path instead of the batched simplex.
    """

    efficiency: pd.Series
    slacks: pd.DataFrame
    lambdas: pd.DataFrame
    peers: dict
    targets: pd.DataFrame
    rts: str
    orientation: str
    super_efficiency: bool
    inputs: pd.DataFrame
    outputs: pd.DataFrame
    n_fallback: int = 0

    title = "Data envelopment analysis (DEA, 数据包络分析)"

    def __post_init__(self):
        e = self.efficiency.to_numpy(dtype=float)
        fin = np.isfinite(e)
        if not self.super_efficiency:
            if not fin.all():
                raise IdentityError("every unit must have a finite DEA score")
            if self.orientation == "input":
                bad = ~((e > 0) & (e <= 1 + 1e-9))
                rule = "input-oriented efficiency must lie in (0, 1]"
            else:
                bad = ~(e >= 1 - 1e-9)
                rule = "output-oriented efficiency φ must be ≥ 1"
        else:
            bad = fin & ~(e > 0)
            rule = "super-efficiency must be positive (or NaN where undefined)"
        if bad.any():
            u = self.efficiency.index[np.argmax(bad)]
            raise IdentityError(f"{rule}; unit {u!r} has {e[np.argmax(bad)]!r}")
        # the targets must be the peers' λ-combination: x̂ = Σ λ_j x_j, ŷ = Σ λ_j y_j
        lam = self.lambdas.reindex(index=self.efficiency.index, fill_value=0.0)
        data = pd.concat([self.inputs, self.outputs], axis=1)
        implied = lam.to_numpy() @ data.loc[lam.columns].to_numpy()
        tg = self.targets[data.columns].to_numpy()
        scale = np.abs(data.to_numpy()).max(axis=0)
        gap = np.abs(implied - tg)[fin] / scale
        if gap.size and np.nanmax(gap) > 1e-6:
            raise IdentityError("targets differ from the λ-combination of the peers "
                                f"(largest relative gap {np.nanmax(gap):.3g})")
        if self.rts == "vrs":
            s = lam.to_numpy().sum(axis=1)[fin]
            if s.size and np.max(np.abs(s - 1)) > 1e-6:
                raise IdentityError("under VRS the λ of each unit must sum to 1")

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: ``efficiency``, ``slack_<column>`` for every input and output,
        ``target_<column>`` for every input and output, ``peers`` ("; "-joined labels)."""
        df = pd.DataFrame({"efficiency": self.efficiency})
        for c in self.slacks.columns:
            df[f"slack_{c}"] = self.slacks[c]
        for c in self.targets.columns:
            df[f"target_{c}"] = self.targets[c]
        df["peers"] = ["; ".join(map(str, self.peers[u])) for u in df.index]
        return df

    def _summary_lines(self) -> list[str]:
        name = {"crs": "CCR (constant returns to scale)",
                "vrs": "BCC (variable returns to scale)"}[self.rts]
        e = self.efficiency
        lines = [f"model: {name}, {self.orientation}-oriented"
                 + (", Andersen–Petersen super-efficiency" if self.super_efficiency else ""),
                 f"units: {len(e)}; inputs: {list(self.inputs.columns)}; "
                 f"outputs: {list(self.outputs.columns)}"]
        if self.super_efficiency:
            lines.append(f"undefined super-efficiency (infeasible LP): {int(e.isna().sum())}")
        else:
            lines.append(f"units with score 1: {int((np.abs(e - 1) <= 1e-9).sum())}")
        lines.append(f"mean score: {e.mean():.6g}")
        return lines


def dea(inputs: Any, outputs: Any, *, rts: str = "crs", orientation: str = "input",
        super_efficiency: bool = False) -> DEAResult:
    """Data envelopment analysis (数据包络分析, 标杆管理法): CCR/BCC, input or output oriented.

    Parameters
    ----------
    inputs : DataFrame or Series
        Inputs (投入) per unit, one column per input, indexed by unit label; non-negative, finite.
    outputs : DataFrame or Series
        Outputs (产出) per unit, indexed by the same labels (any order; they are aligned to
        ``inputs``); column names distinct from the input names.
    rts : {"crs", "vrs"}, keyword-only
        Returns to scale of the technology: ``"crs"`` constant (CCR, Charnes–Cooper–Rhodes 1978),
        ``"vrs"`` variable (BCC, Banker–Charnes–Cooper 1984).
    orientation : {"input", "output"}, keyword-only
        ``"input"``: the largest proportional input saving (投入导向); ``"output"``: the largest
        proportional output expansion (产出导向).
    super_efficiency : bool, keyword-only
        Andersen–Petersen (1993) super-efficiency (超效率): each unit is evaluated against all the
        *other* units, so efficient units score above 1 (input) or below 1 (output) and can be
        ranked.

    Returns
    -------
    DEAResult
        ``efficiency``, ``slacks``, ``lambdas``, ``peers``, ``targets``; ``to_frame()`` gives one
        row per unit.

    Raises
    ------
    InputError
        Bad shapes, mismatched unit labels, duplicated unit labels, NaN/inf, negative values, a
        column that is zero for every unit, a unit with no positive input or no positive output,
        shared input/output column names, unknown options.
    IdentityError
        The solution violates an identity it must satisfy (see Notes).
    MethodError
        An LP could not be solved (should not happen with valid data).

    Notes
    -----
    For unit *o* with inputs :math:`x_o` and outputs :math:`y_o`, the input-oriented envelopment
    programme is

    .. math::
        \\theta^* = \\min_{\\theta,\\lambda\\ge0} \\theta \\quad\\text{s.t.}\\quad
        \\textstyle\\sum_j \\lambda_j x_{ij} \\le \\theta x_{io},\\;
        \\sum_j \\lambda_j y_{rj} \\ge y_{ro}\\;\\; (+\\textstyle\\sum_j\\lambda_j = 1
        \\text{ under VRS}),

    and the output-oriented one :math:`\\varphi^* = \\max \\varphi` s.t.
    :math:`\\sum_j\\lambda_j x_{ij}\\le x_{io}`, :math:`\\sum_j\\lambda_j y_{rj}\\ge\\varphi y_{ro}`.
    The second stage holds the score at its optimum and maximises :math:`\\sum_i s^-_i +
    \\sum_r s^+_r` (slacks in the data's own units, Cooper–Seiford–Tone 2007, §3.3); ``slacks``,
    ``lambdas``, ``peers`` and ``targets`` come from that stage, so a unit is Pareto–Koopmans
    efficient iff its score is 1 and all its slacks are 0. Under CRS, φ* = 1/θ*.

    Super-efficiency drops unit *o* from its own reference set. For a unit with θ* < 1 (φ* > 1)
    the score is unchanged (its optimal λ_o is 0), so only units with score 1 are re-solved. The
    score is NaN where that programme is infeasible (possible under VRS, and under CRS with zero
    inputs) or, in the output orientation, where φ* = 0 (no other unit can produce any of unit
    *o*'s outputs within its inputs; under CRS that is exactly the infeasible input case).

    *Duplicated units.* Unit labels must be unique. Different labels with identical data are
    kept as separate units and get identical scores, slacks and targets; as a reference, only the
    first of a group of identical rows is used (so peers name the first label, and λ is not split
    arbitrarily). With super-efficiency a duplicated unit is still enveloped by its twin, so its
    score equals its ordinary score (1 if efficient) and its twin is its peer.

    Identities checked on construction (``IdentityError`` if violated): scores in (0, 1]
    (input) or ≥ 1 (output) for the ordinary models; targets equal the λ-combination of the
    peers' data (relative 1e-6); λ sums to 1 under VRS.

    The programmes are solved all at once by a certified batched simplex (module notes), exact
    to LP tolerance (≈1e-9 or better): the results equal one ``linprog`` per unit.

    References
    ----------
    Charnes, A., Cooper, W. W., Rhodes, E. (1978). Measuring the efficiency of decision making
    units. *European Journal of Operational Research* 2(6), 429–444.
    Banker, R. D., Charnes, A., Cooper, W. W. (1984). Some models for estimating technical and
    scale inefficiencies in DEA. *Management Science* 30(9), 1078–1092.
    Andersen, P., Petersen, N. C. (1993). A procedure for ranking efficient units in DEA.
    *Management Science* 39(10), 1261–1264.
    Cooper, W. W., Seiford, L. M., Tone, K. (2007). *Data Envelopment Analysis*, 2nd ed.
    Springer. Chapters 3–4.
    """
    check_option("rts", rts, ("crs", "vrs"))
    check_option("orientation", orientation, ("input", "output"))
    super_efficiency = _check_bool("super_efficiency", super_efficiency)
    X, Y = _check_pair(inputs, outputs)
    x_scale = X.max(axis=0).to_numpy()
    y_scale = Y.max(axis=0).to_numpy()
    Xs = X.to_numpy() / x_scale
    Ys = Y.to_numpy() / y_scale
    n = len(X)
    # the reference set: the first unit of every group of identical rows
    _, first, group = np.unique(np.hstack([X.to_numpy(), Y.to_numpy()]), axis=0,
                                return_index=True, return_inverse=True)
    group = group.ravel()
    rep_of = first[group]                       # each unit's representative (first twin)
    reps = np.sort(first)
    ref_pos = np.full(n, -1)
    ref_pos[reps] = np.arange(reps.size)
    w = np.concatenate([x_scale, y_scale])
    model = _Model(Xs[reps], Ys[reps], rts == "vrs", orientation, w / w.max())
    sol = _solve(model, Xs, Ys)
    if (sol.status != _OPT).any():
        u = X.index[np.argmax(sol.status != _OPT)]
        raise MethodError(f"the DEA programme of unit {u!r} could not be solved")
    score, slack = sol.score.copy(), sol.slack.copy()
    lam = sol.lam                                   # triplets (unit, reference position, λ)
    n_fallback = sol.n_fallback
    if super_efficiency:
        on_frontier = (score >= 1 - 1e-6) if orientation == "input" else (score <= 1 + 1e-6)
        twins = np.bincount(group)[group] > 1
        todo = np.nonzero(on_frontier & ~twins)[0]
        if todo.size:
            sup = _solve(model, Xs[todo], Ys[todo], excl=ref_pos[todo], cand=sol.ref_cols)
            n_fallback += sup.n_fallback
            bad = (sup.status == _FAIL)
            if bad.any():
                raise MethodError("the super-efficiency programme of unit "
                                  f"{X.index[todo[np.argmax(bad)]]!r} could not be solved")
            defined = sup.status == _OPT
            if orientation == "output":     # φ = 0: nothing else produces these outputs
                defined &= sup.score > 1e-12
            score[todo] = np.where(defined, sup.score, np.nan)
            slack[todo] = np.where(defined[:, None], sup.slack, np.nan)
            sl = sup.lam[defined[sup.lam[:, 0].astype(np.int64)]]
            sl[:, 0] = todo[sl[:, 0].astype(np.int64)]
            lam = np.vstack([lam[~np.isin(lam[:, 0], todo)], sl])
    e_idx = lam[:, 0].astype(np.int64)
    j_idx = reps[lam[:, 1].astype(np.int64)]        # reference position -> unit position
    if super_efficiency:
        # a duplicated unit is enveloped by its twin: its peer is the twin, not itself
        selfref = np.nonzero(e_idx == j_idx)[0]
        for t in selfref:
            u = e_idx[t]
            j_idx[t] = np.nonzero((group == group[u]) & (np.arange(n) != u))[0][0]
    # tidy: noise to zero, efficient scores snapped to exactly 1 within 1e-12
    score = np.where(np.abs(score - 1.0) <= 1e-12, 1.0, score)
    slack = np.where(slack <= 1e-9, 0.0, slack) * w
    slack = np.where(np.isnan(score)[:, None], np.nan, slack)
    keep = lam[:, 2] > PEER_TOL
    e_idx, j_idx, lv = e_idx[keep], j_idx[keep], lam[keep, 2]
    used = np.unique(j_idx)
    L = np.zeros((n, used.size))
    np.add.at(L, (e_idx, np.searchsorted(used, j_idx)), lv)
    units = X.index
    labels = units.tolist()
    lambdas = pd.DataFrame(L, index=units, columns=units[used])
    peers: dict = {u: [] for u in labels}
    for e, j in sorted(set(zip(e_idx.tolist(), j_idx.tolist()))):
        peers[labels[e]].append(labels[j])
    cols = list(X.columns) + list(Y.columns)
    slacks = pd.DataFrame(slack, index=units, columns=cols)
    data = np.hstack([X.to_numpy(), Y.to_numpy()])
    p = X.shape[1]
    radial = np.ones_like(data)
    if orientation == "input":
        radial[:, :p] = score[:, None]
    else:
        radial[:, p:] = score[:, None]
    sign = np.r_[-np.ones(p), np.ones(Y.shape[1])]
    targets = pd.DataFrame(radial * data + sign * slack, index=units, columns=cols)
    return DEAResult(efficiency=pd.Series(score, index=units, name="efficiency"),
                     slacks=slacks, lambdas=lambdas, peers=peers, targets=targets, rts=rts,
                     orientation=orientation, super_efficiency=super_efficiency,
                     inputs=X, outputs=Y, n_fallback=n_fallback)


# ============================================================================================
# Malmquist productivity index
# ============================================================================================
_MALMQUIST_COLUMNS = ["unit", "period_from", "period_to", "malmquist", "effch", "techch",
                      "pure_effch", "scale_effch"]


@dataclass(frozen=True, eq=False)
class MalmquistResult(Result):
    """Adjacent-period Malmquist productivity index and its decomposition (Malmquist 指数).

    ``table`` (= ``to_frame()``) has exactly the columns ``unit, period_from, period_to,
    malmquist, effch, techch, pure_effch, scale_effch``; ``distances`` holds the distance
    functions behind each row (``d_from_from`` = D^from(x^from, y^from), ``d_from_to`` =
    D^from(x^to, y^to), ``d_to_from``, ``d_to_to``, and the VRS own-period ``dvrs_from_from``,
    ``dvrs_to_to``). Values > 1 mean improvement (productivity growth, efficiency catch-up,
    frontier shift outwards).
    """

    table: pd.DataFrame
    distances: pd.DataFrame
    orientation: str
    rts: str

    title = "Malmquist productivity index (Malmquist 生产率指数)"

    def __post_init__(self):
        t = self.table
        if list(t.columns) != _MALMQUIST_COLUMNS:
            raise IdentityError(f"Malmquist table columns must be {_MALMQUIST_COLUMNS}")
        m, e, tc = t["malmquist"].to_numpy(), t["effch"].to_numpy(), t["techch"].to_numpy()
        pe, se = t["pure_effch"].to_numpy(), t["scale_effch"].to_numpy()
        ok = np.isfinite(m) & np.isfinite(e) & np.isfinite(tc)
        if (np.abs(m - e * tc)[ok] > 1e-9 * np.abs(m[ok])).any():
            raise IdentityError("malmquist must equal effch × techch")
        ok = np.isfinite(e) & np.isfinite(pe) & np.isfinite(se)
        if (np.abs(e - pe * se)[ok] > 1e-9 * np.abs(e[ok])).any():
            raise IdentityError("effch must equal pure_effch × scale_effch")

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _summary_lines(self) -> list[str]:
        t = self.table
        gm = float(np.exp(np.log(t["malmquist"]).mean())) if len(t) else float("nan")
        return [f"orientation: {self.orientation}; technology: {self.rts.upper()}",
                f"unit-period pairs: {len(t)} (undefined: {int(t['malmquist'].isna().sum())})",
                f"geometric mean of the index: {gm:.6g}"]


def _column_list(name: str, value: Any, panel: pd.DataFrame) -> list:
    cols = [value] if isinstance(value, (str, numbers.Number)) else list(value)
    if not cols:
        raise InputError("must name at least one column", argument=name)
    missing = [c for c in cols if c not in panel.columns]
    if missing:
        raise InputError("names columns that are not in panel", argument=name, value=missing)
    if len(set(cols)) != len(cols):
        raise InputError("must not repeat a column", argument=name, value=cols)
    return cols


def _distance(model_X: np.ndarray, model_Y: np.ndarray, Xe: np.ndarray, Ye: np.ndarray,
              vrs: bool, orientation: str) -> np.ndarray:
    """Distance D of each evaluated point to the technology spanned by (model_X, model_Y):
    D = θ (input orientation, Farrell) or 1/φ (output orientation, Shephard); NaN if undefined."""
    if Xe.shape[0] == 0:
        return np.zeros(0)
    uniq = np.unique(np.hstack([model_X, model_Y]), axis=0, return_index=True)[1]
    reps = np.sort(uniq)
    model = _Model(model_X[reps], model_Y[reps], vrs, orientation, np.ones(Xe.shape[1] + Ye.shape[1]))
    sol = _solve(model, Xe, Ye, second_stage=False)
    if ((sol.status != _OPT) & (sol.status != _INFEAS) & (sol.status != _UNBD)).any():
        raise MethodError("a Malmquist distance function could not be computed")
    s = np.where(sol.status == _OPT, sol.score, np.nan)
    if orientation == "output":
        with np.errstate(divide="ignore"):
            s = np.where(s > 1e-12, 1.0 / s, np.nan)
    return s


def malmquist(panel: pd.DataFrame, *, unit: Any, period: Any, inputs: Any, outputs: Any,
              orientation: str = "input", rts: str = "crs") -> MalmquistResult:
    """Malmquist productivity index between adjacent periods (Malmquist 生产率指数).

    Parameters
    ----------
    panel : DataFrame
        Long table, one row per unit and period.
    unit, period : column name, keyword-only
        Columns holding the unit label and the period (any sortable values, e.g. years).
    inputs, outputs : column name or list of column names, keyword-only
        Input (投入) and output (产出) columns; non-negative and finite, every observation with
        at least one positive input and output.
    orientation : {"input", "output"}, keyword-only
        Orientation of the distance functions (see Notes).
    rts : {"crs", "vrs"}, keyword-only
        Technology of the index. ``"crs"`` (default) is the Färe–Grosskopf–Norris–Zhang index:
        the index and ``effch``/``techch`` under constant returns, ``effch`` split into
        ``pure_effch`` (VRS) × ``scale_effch``. ``"vrs"`` computes every distance under
        variable returns (then ``effch = pure_effch`` and ``scale_effch = 1``); this is not a
        true total-factor-productivity index (Grifell-Tatjé & Lovell 1995) and cross-period VRS
        programmes may be infeasible (NaN).

    Returns
    -------
    MalmquistResult
        ``to_frame()`` columns: ``unit, period_from, period_to, malmquist, effch, techch,
        pure_effch, scale_effch``, one row per unit observed in both of two adjacent periods
        (periods in sorted order; units in order of first appearance). Units missing from
        either period of a pair are left out of that pair.

    Notes
    -----
    With :math:`D^s(x^t, y^t)` the distance of the period-*t* observation to the period-*s*
    technology (all units of period *s*, including units absent in the other period):

    .. math::
        M = \\left[\\frac{D^{t}(x^{t+1},y^{t+1})}{D^{t}(x^{t},y^{t})}\\cdot
            \\frac{D^{t+1}(x^{t+1},y^{t+1})}{D^{t+1}(x^{t},y^{t})}\\right]^{1/2}
          = \\underbrace{\\frac{D^{t+1}(x^{t+1},y^{t+1})}{D^{t}(x^{t},y^{t})}}_{\\text{effch}}
            \\cdot
            \\underbrace{\\left[\\frac{D^{t}(x^{t+1},y^{t+1})}{D^{t+1}(x^{t+1},y^{t+1})}\\cdot
            \\frac{D^{t}(x^{t},y^{t})}{D^{t+1}(x^{t},y^{t})}\\right]^{1/2}}_{\\text{techch}},

    ``pure_effch`` = :math:`D_v^{t+1}(x^{t+1},y^{t+1})/D_v^{t}(x^{t},y^{t})` with VRS distances and
    ``scale_effch`` = effch / pure_effch.

    *Convention.* Input orientation: D = θ, the Farrell input efficiency (the reciprocal of
    Shephard's input distance function); output orientation: D = 1/φ, Shephard's output distance
    function. With this convention **a value above 1 means improvement** for every column, in
    both orientations (productivity growth, catching up with the frontier, the frontier moving
    outwards). Cross-period distances can exceed 1 (the observation lies beyond the other
    period's frontier). A distance whose programme is infeasible is NaN and so are the columns
    built from it. Under CRS the input and output indices coincide (θ = 1/φ).

    Identities checked on construction: malmquist = effch × techch and effch = pure_effch ×
    scale_effch (relative 1e-9), else ``IdentityError``.

    References
    ----------
    Färe, R., Grosskopf, S., Norris, M., Zhang, Z. (1994). Productivity growth, technical
    progress, and efficiency change in industrialized countries. *American Economic Review*
    84(1), 66–83.
    Caves, D. W., Christensen, L. R., Diewert, W. E. (1982). The economic theory of index
    numbers and the measurement of input, output, and productivity. *Econometrica* 50(6).
    Grifell-Tatjé, E., Lovell, C. A. K. (1995). A note on the Malmquist productivity index.
    *Economics Letters* 47(2), 169–175.
    """
    check_option("orientation", orientation, ("input", "output"))
    check_option("rts", rts, ("crs", "vrs"))
    if not isinstance(panel, pd.DataFrame):
        raise InputError("must be a DataFrame (one row per unit and period)", argument="panel",
                         value=type(panel).__name__)
    for name, col in (("unit", unit), ("period", period)):
        if col not in panel.columns:
            raise InputError("must name a column of panel", argument=name, value=col)
    if unit == period:
        raise InputError("unit and period must be different columns", argument="period",
                         value=period)
    in_cols = _column_list("inputs", inputs, panel)
    out_cols = _column_list("outputs", outputs, panel)
    clash = [c for c in in_cols + out_cols if c in (unit, period)]
    if clash or set(in_cols) & set(out_cols):
        raise InputError("input, output, unit and period columns must all be different",
                         argument="outputs", value=clash or sorted(set(in_cols) & set(out_cols)))
    if panel[unit].isna().any() or panel[period].isna().any():
        raise InputError("unit and period must not be missing", argument="panel")
    keys = panel[[unit, period]]
    if keys.duplicated().any():
        dup = keys[keys.duplicated()].iloc[0].tolist()
        raise InputError("each (unit, period) pair must appear once", argument="panel", value=dup)
    frame = panel.reset_index(drop=True)
    where = pd.Index([f"{u} @ {t}" for u, t in zip(frame[unit], frame[period])])
    X = _unit_frame("inputs", frame[in_cols].set_axis(where), "input")
    Y = _unit_frame("outputs", frame[out_cols].set_axis(where), "output")
    try:
        periods = sorted(frame[period].unique().tolist())
    except TypeError:
        raise InputError("period values must be sortable (all numbers, or all dates, ...)",
                         argument="period", value=period) from None
    if len(periods) < 2:
        raise InputError("needs at least two periods", argument="panel", value=periods)
    Xs = X.to_numpy() / X.max(axis=0).to_numpy()
    Ys = Y.to_numpy() / Y.max(axis=0).to_numpy()
    order = pd.unique(frame[unit])
    rank = {u: i for i, u in enumerate(order)}
    at = {t: frame.index[frame[period] == t].to_numpy() for t in periods}
    by_unit = {t: dict(zip(frame.loc[at[t], unit], at[t])) for t in periods}

    own_cache: dict = {}

    def own(t, vrs):
        if (t, vrs) not in own_cache:
            r = at[t]
            own_cache[(t, vrs)] = dict(zip(r, _distance(Xs[r], Ys[r], Xs[r], Ys[r], vrs,
                                                        orientation)))
        return own_cache[(t, vrs)]

    vrs_index = rts == "vrs"
    rows, dist = [], []
    for t0, t1 in zip(periods[:-1], periods[1:]):
        both = sorted(set(by_unit[t0]) & set(by_unit[t1]), key=rank.__getitem__)
        if not both:
            continue
        i0 = np.array([by_unit[t0][u] for u in both])
        i1 = np.array([by_unit[t1][u] for u in both])
        r0, r1 = at[t0], at[t1]
        d00 = np.array([own(t0, vrs_index)[i] for i in i0])
        d11 = np.array([own(t1, vrs_index)[i] for i in i1])
        d01 = _distance(Xs[r0], Ys[r0], Xs[i1], Ys[i1], vrs_index, orientation)
        d10 = _distance(Xs[r1], Ys[r1], Xs[i0], Ys[i0], vrs_index, orientation)
        v00 = np.array([own(t0, True)[i] for i in i0])
        v11 = np.array([own(t1, True)[i] for i in i1])
        effch = d11 / d00
        techch = np.sqrt((d01 / d11) * (d00 / d10))
        index = np.sqrt((d01 / d00) * (d11 / d10))
        pure = v11 / v00
        scale = effch / pure
        for j, u in enumerate(both):
            rows.append((u, t0, t1, index[j], effch[j], techch[j], pure[j], scale[j]))
            dist.append((u, t0, t1, d00[j], d01[j], d10[j], d11[j], v00[j], v11[j]))
    table = pd.DataFrame(rows, columns=_MALMQUIST_COLUMNS)
    for c in _MALMQUIST_COLUMNS[3:]:
        table[c] = table[c].astype(float)
    distances = pd.DataFrame(dist, columns=["unit", "period_from", "period_to", "d_from_from",
                                            "d_from_to", "d_to_from", "d_to_to",
                                            "dvrs_from_from", "dvrs_to_to"])
    return MalmquistResult(table=table, distances=distances, orientation=orientation, rts=rts)


# ============================================================================================
# Gap to a benchmark and percentile rank
# ============================================================================================
def _values(name: str, values: Any) -> pd.Series:
    if isinstance(values, dict):
        values = pd.Series(values, dtype=float)
    v = as_series(name, values)
    if not v.index.is_unique:
        raise InputError("unit labels must be unique", argument=name,
                         value=list(v.index[v.index.duplicated()][:5]))
    if np.isinf(v.to_numpy()).any():
        raise InputError("must not contain infinite values", argument=name,
                         value=v.index[np.isinf(v.to_numpy())][0])
    if v.notna().sum() == 0:
        raise InputError("needs at least one non-missing value", argument=name)
    return v


@dataclass(frozen=True, eq=False)
class GapResult(Result):
    """Gap of each unit to a benchmark (标杆差距); a positive gap means worse than the benchmark.

    ``to_frame()`` columns: ``value``, ``benchmark``, ``gap``, ``meets_benchmark`` (gap ≤ 0;
    NaN values give NaN gap and False).
    """

    values: pd.Series
    gap: pd.Series
    benchmark_value: float
    benchmark: Any
    direction: str

    title = "Gap to benchmark (标杆差距)"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"value": self.values, "benchmark": self.benchmark_value,
                             "gap": self.gap, "meets_benchmark": self.gap <= 0})

    def _summary_lines(self) -> list[str]:
        return [f"benchmark: {self.benchmark!r} = {self.benchmark_value:.6g} "
                f"({self.direction} is better)",
                f"units: {len(self.values)}; at or better than the benchmark: "
                f"{int((self.gap <= 0).sum())}; mean gap: {self.gap.mean():.6g}"]


def gap_to_benchmark(values: Any, *, benchmark: Any = "best", direction: str = "higher"
                     ) -> GapResult:
    """Relative gap of each unit to a benchmark (标杆管理法: 与标杆的差距).

    Parameters
    ----------
    values : Series, dict or 1-D array-like
        One indicator value per unit (labels kept). NaN marks a missing value: it is left out of
        the benchmark and gets a NaN gap.
    benchmark : "best", "p90", "pNN" or number, keyword-only
        ``"best"``: the best value observed (max if higher is better, min if lower is better);
        ``"p90"``: the top-decile threshold, i.e. the 90th percentile of the values when higher
        is better and the 10th percentile when lower is better (``"pNN"`` likewise for any
        NN in 1–99; linear interpolation, ``numpy.quantile`` default = R type 7); a number: an
        external standard (行业标准, 计划标准, a domestic or foreign peer).
    direction : {"higher", "lower"}, keyword-only
        Whether a higher value is better.

    Returns
    -------
    GapResult

    Notes
    -----
    With benchmark value :math:`B` and actual value :math:`a`,

    .. math::
        \\text{gap} = \\frac{B - a}{|B|}\\ \\text{(higher is better)},\\qquad
        \\text{gap} = \\frac{a - B}{|B|}\\ \\text{(lower is better)},

    so a **positive gap always means worse than the benchmark** and a gap ≤ 0 means the unit
    meets or beats it. For :math:`B > 0` and higher-is-better this is domain.md's
    (benchmark − actual)/benchmark; the lower-is-better sign is flipped so that the sign keeps its
    meaning, and :math:`|B|` keeps it for a negative benchmark. A benchmark of 0 makes the
    relative gap undefined (``InputError``).

    References
    ----------
    domain.md §8 (标杆管理法: gap-to-benchmark = (benchmark − actual)/benchmark).
    """
    check_option("direction", direction, ("higher", "lower"))
    v = _values("values", values)
    obs = v.dropna().to_numpy()
    if isinstance(benchmark, str):
        if benchmark == "best":
            B = obs.max() if direction == "higher" else obs.min()
        elif len(benchmark) in (2, 3) and benchmark[0] == "p" and benchmark[1:].isdigit() \
                and 1 <= int(benchmark[1:]) <= 99:
            k = int(benchmark[1:]) / 100.0
            B = np.quantile(obs, k if direction == "higher" else 1.0 - k)
        else:
            raise InputError('must be "best", "p90" (any "p1"–"p99") or a number',
                             argument="benchmark", value=benchmark)
    elif isinstance(benchmark, numbers.Real) and not isinstance(benchmark, bool):
        B = float(benchmark)
        if not np.isfinite(B):
            raise InputError("must be finite", argument="benchmark", value=benchmark)
    else:
        raise InputError('must be "best", "p90" (any "p1"–"p99") or a number',
                         argument="benchmark", value=benchmark)
    B = float(B)
    if B == 0:
        raise InputError("the benchmark value is 0, so the relative gap is undefined",
                         argument="benchmark", value=benchmark)
    gap = (B - v) / abs(B) if direction == "higher" else (v - B) / abs(B)
    return GapResult(values=v, gap=gap.rename("gap"), benchmark_value=B, benchmark=benchmark,
                     direction=direction)


@dataclass(frozen=True, eq=False)
class PercentileRankResult(Result):
    """Percentile rank of each unit among all units (百分位排名).

    ``to_frame()`` columns: ``value``, ``rank`` (1 = best; ties share the best place),
    ``percentile_rank`` (0–100, higher = better performance).
    """

    table: pd.DataFrame
    direction: str

    title = "Percentile rank (百分位排名)"

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def percentile_rank(values: Any, *, direction: str = "higher") -> PercentileRankResult:
    """Mid-rank percentile of each unit's performance (百分位排名).

    Parameters
    ----------
    values : Series, dict or 1-D array-like
        One value per unit (labels kept); NaN = missing (left out, NaN rank).
    direction : {"higher", "lower"}, keyword-only
        Whether a higher value is better.

    Returns
    -------
    PercentileRankResult

    Notes
    -----
    Among :math:`n` non-missing values, with :math:`w` units strictly worse and :math:`e` units
    equal (the unit included),

    .. math:: \\text{percentile\\_rank} = 100\\,(w + e/2)/n,

    i.e. ``scipy.stats.percentileofscore(kind="mean")`` applied to performance (the same
    definition as :func:`perfkit.methods.compare.peer_comparison`). ``rank`` is the
    competition rank, 1 = best.

    References
    ----------
    domain.md §8 (比较法/标杆管理法: peer percentile).
    """
    check_option("direction", direction, ("higher", "lower"))
    v = _values("values", values)
    perf = v if direction == "higher" else -v
    n = perf.notna().sum()
    mid = perf.rank(method="average")
    table = pd.DataFrame({"value": v,
                          "rank": perf.rank(method="min", ascending=False),
                          "percentile_rank": 100.0 * (mid - 0.5) / n})
    return PercentileRankResult(table=table, direction=direction)
