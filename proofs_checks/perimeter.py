"""Claims M1–M20 of the mean-curvature-flow spec: the nonlocal perimeter and its minimizing movements."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

import numpy as np

from maxslope.perimeter import (
    Grid,
    adversarial_risk,
    check_set_energy_inequality,
    lp_relaxation,
    nonlocal_perimeter,
    nonlocal_tv,
    perimeter_flow,
    perimeter_step,
    risk,
    signed_distance,
    solve_cut,
    star,
    stencil_max,
    step_problem,
)
from maxslope.perimeter import references as ref
from maxslope.perimeter.cloud import cloud_adversarial_risk, cloud_perimeter, cloud_risk, disc_cloud_expectation

from ._common import all_hold, all_rejected, has_module
from .registry import Evidence, Plot, le, register

SRC = "mean_curvature_flow.md"


def _random_set(rng: np.random.Generator, shape: tuple[int, ...], smooth: int = 2) -> np.ndarray:
    """Thresholded smoothed noise (a random set with boundary on several scales)."""
    from scipy.ndimage import uniform_filter

    return uniform_filter(rng.normal(size=shape), size=2 * smooth + 1, mode="wrap") > 0


def _wavy(x: np.ndarray) -> np.ndarray:
    return 1 + 0.5 * np.sin(3 * x[..., 0]) * np.cos(2 * x[..., 1])


def _disc(G: Grid, R: float) -> np.ndarray:
    """The centred disc of radius R on the grid."""
    return G.indicator(lambda x: (x**2).sum(-1) <= R**2)


def _rho_1d(x: float) -> float:
    """The 1-D density of M14 / M16, e^{−(x−0.7)²/2}."""
    return math.exp(-((x - 0.7) ** 2) / 2)


# ------------------------------------------------------------------------------------------------ M1, M2, M5
def _m1(profile: str, swap: bool) -> Evidence:
    rng = np.random.default_rng(1)
    trials = 5 if profile == "fast" else 30
    worst = 0.0
    for _ in range(trials):
        G = Grid((30, 30), 0.05, density=_wavy)
        A = _random_set(rng, G.shape)
        eta = rng.uniform(size=G.shape)
        eps = float(rng.choice([0.05, 0.1, 0.15]))
        w0, w1 = (1 - eta) * G.rho, eta * G.rho
        per = nonlocal_perimeter(A, eps, G, (w1, w0) if swap else (w0, w1))
        lhs = adversarial_risk(A, eta, eps, G)
        worst = max(worst, abs(lhs - (risk(A, eta, G) + eps * per)) / max(lhs, 1e-300))
    return le(worst, 1e-13, f"{trials} random sets and label probabilities η on a 30×30 grid, ρ = 1 + ½sin3x cos2y, ε ∈ {{h, 2h, 3h}}",
              "relative |J_ε − (J_0 + ε Per_ε(A; (1−η)ρ, ηρ))|, J_ε by brute force over the stencil")


def _m1_one_cell(profile: str) -> Evidence:
    """Minimal control: the identity with the label-0 weight of one dilation-band cell 1e-6 too large."""
    rng = np.random.default_rng(1)
    G = Grid((30, 30), 0.05, density=_wavy)
    A = _random_set(rng, G.shape)
    eta = rng.uniform(size=G.shape)
    eps = 0.1
    w0, w1 = (1 - eta) * G.rho, eta * G.rho
    band = np.argwhere((stencil_max(A.astype(float), eps, G) > 0) & ~A)
    cell = tuple(int(i) for i in band[len(band) // 2])
    w0 = w0.copy()
    w0[cell] *= 1 + 1e-6
    lhs = adversarial_risk(A, eta, eps, G)
    rel = abs(lhs - (risk(A, eta, G) + eps * nonlocal_perimeter(A, eps, G, (w0, w1)))) / lhs
    return le(rel, 1e-13, f"one random set, the label-0 weight of the one band cell {cell} 1e-6 too large",
              "relative |J_ε − (J_0 + ε Per_ε)|")


register(
    id="M1",
    title="adversarial-risk identity",
    statement="J_ε(A) = J_0(A) + ε Per_ε(A; ρ_0, ρ_1): the sup (dilation) term carries the label-0 density, the inf (erosion) term the label-1 density.",
    hypotheses="any A and data law μ",
    section="§1.3, §3 M1",
    check=lambda pr: _m1(pr, False),
    negative=lambda pr: all_rejected([_m1(pr, True), _m1_one_cell(pr)]),
    negative_description="the weights swapped (dilation with ρ_1, erosion with ρ_0); and one cell's label-0 weight "
                         "1e-6 too large",
    source=SRC,
)


def _m2(profile: str, squared: bool, one_cell: bool = False) -> Evidence:
    """``one_cell``: TV_ε with the dilation term of one cell weighted 1 + 1e-6 (a minimal control)."""
    rng = np.random.default_rng(2)
    trials = 5 if profile == "fast" else 30
    worst = 0.0
    G = Grid((24, 24), 0.05, density=_wavy)
    for _ in range(trials):
        u = np.round(rng.uniform(size=G.shape), 2)  # few distinct levels
        eps = 0.1
        levels = np.unique(np.concatenate([[0.0], u.ravel()]))
        layer = sum((b - a) * nonlocal_perimeter(u > a, eps, G) for a, b in zip(levels[:-1], levels[1:], strict=True))
        tv = _squared_osc(u, eps, G) if squared else _tv_one_cell(u, eps, G, 1e-6) if one_cell else nonlocal_tv(u, eps, G)
        worst = max(worst, abs(tv - layer) / max(abs(tv), 1e-300))
    return le(worst, 1e-12, f"{trials} random u ∈ [0, 1] (100 levels) on a 24×24 grid, ρ = 1 + ½sin3x cos2y, ε = 2h",
              "relative |TV_ε(u) − Σ_levels (t_{k+1} − t_k) Per_ε({u > t_k})|")


def _tv_one_cell(u: np.ndarray, eps: float, G: Grid, dw: float) -> float:
    """TV_ε (variant S) with the dilation term of the cell (7, 11) weighted 1 + dw: 1-homogeneous, not the coarea sum."""
    from maxslope.perimeter import stencil_max, stencil_min

    w = np.ones(G.shape)
    w[7, 11] += dw
    up, dn = (stencil_max(u, eps, G) - u) * G.mass * w, (u - stencil_min(u, eps, G)) * G.mass
    return math.fsum(np.concatenate([up.ravel(), dn.ravel()]).tolist()) / (2 * eps)


def _squared_osc(u: np.ndarray, eps: float, G: Grid) -> float:
    """A functional that is not positively 1-homogeneous: Σ m (max − u)² + m (u − min)², halved, over ε."""
    from maxslope.perimeter import stencil_max, stencil_min

    return float((((stencil_max(u, eps, G) - u) ** 2 + (u - stencil_min(u, eps, G)) ** 2) * G.mass / 2).sum() / eps)


register(
    id="M2",
    title="coarea formula",
    statement="TV_ε(u) = ∫_0^1 Per_ε({u > t}) dt for u ∈ [0, 1].",
    hypotheses="u ∈ [0, 1]",
    section="§1.3, §3 M2",
    check=lambda pr: _m2(pr, False),
    negative=lambda pr: all_rejected([_m2(pr, True), _m2(pr, False, True)]),
    negative_description="a squared oscillation functional (not 1-homogeneous) in place of TV_ε; and TV_ε with one "
                         "cell's dilation term weighted 1 + 1e-6",
    source=SRC,
)


def _m5(profile: str, negate: bool, pair: float = 0.0) -> Evidence:
    """Random pairs, and pairs more than 2ε apart (where Per_ε is additive, so the inequality is an equality).

    ``pair``: Per_ε plus ``pair`` times the product of the indicators of two cells 0.7 apart, a functional that is
    supermodular by exactly that much (a minimal control: random pairs hide it in their slack)."""
    rng = np.random.default_rng(5)
    trials = 10 if profile == "fast" else 100
    worst = -math.inf
    G = Grid((30, 30), 0.05, density=_wavy)
    eps = 0.12
    left = G.points[..., 0] < -0.15
    right = G.points[..., 0] > 0.15  # 0.3 > 2ε from the left part
    a, b = (8, 15), (22, 15)
    s = -1.0 if negate else 1.0

    def per(X: np.ndarray, v: str) -> float:
        return s * nonlocal_perimeter(X, eps, G, v) + pair * float(X[a] and X[b])

    for t in range(trials):
        E, F = _random_set(rng, G.shape), _random_set(rng, G.shape)
        if t % 2:  # separated: E on the left, F on the right, each holding its cell of the pair
            E, F = E & left, F & right
            E[a], F[b] = True, True
        for v in ("S", "O", "F"):
            P = [per(X, v) for X in (E | F, E & F, E, F)]
            worst = max(worst, (P[0] + P[1]) - (P[2] + P[3]))
    return le(worst, 1e-12, f"{trials} pairs of sets (half random, half more than 2ε apart), 30×30 grid, ρ = 1 + ½sin3x cos2y, "
              "variants S/O/F" + (f"; Per_ε + {pair:g}·1[two cells 0.7 apart]" if pair else ""),
              "max of Per(E∪F) + Per(E∩F) − Per(E) − Per(F) (≤ 0)")


register(
    id="M5",
    title="submodularity",
    statement="Per_ε(E∪F) + Per_ε(E∩F) ≤ Per_ε(E) + Per_ε(F).",
    hypotheses="ρ_0, ρ_1 ≥ 0",
    section="§1.3, §3 M5",
    check=lambda pr: _m5(pr, False),
    negative=lambda pr: all_rejected([_m5(pr, True), _m5(pr, False, 1e-9)]),
    negative_description="−Per_ε (supermodular) must be rejected; so must Per_ε plus 1e-9 times the product of two "
                         "far cells' indicators (supermodular by 1e-9)",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ M3
def _m3(profile: str, wrong: bool, one: bool = False) -> Evidence:
    """``one``: the square's F formula alone raised by 2 tolerances (a minimal control)."""
    h = 0.005 if profile == "fast" else 0.0025
    eps = 0.05
    n = int(round(0.8 / h))
    G = Grid((n, n), h)
    R, L = 0.25, 0.5
    disc = _disc(G, R)
    square = G.indicator(lambda x: np.abs(x).max(-1) <= L / 2)
    L_grid = (np.count_nonzero(square[n // 2]) * h)
    errs = []
    for v in ("S", "O", "F"):
        target = ref.disc_perimeter(R, eps, "O" if (wrong and v == "S") else v)
        errs.append(abs(nonlocal_perimeter(disc, eps, G, v) / target - 1))
        tol = 0.2 * h / eps  # O(h/ε) grid error of the ball stencil (measured ≈ 0.13 h/ε)
        bump = 1 + 2 * tol if one and v == "F" else 1.0
        errs.append(abs(nonlocal_perimeter(square, eps, G, v) / (bump * ref.square_perimeter(L_grid, eps, v)) - 1))
    return le(max(errs), tol, f"disc R = 0.25 and square L = 0.5, ρ ≡ 1, ε = 0.05, h = {h:g}; variants S/O/F",
              "max relative error against M3's closed forms; tolerance 0.2 h/ε (grid error of the ball stencil)")


register(
    id="M3",
    title="closed-form perimeters",
    statement="ρ ≡ 1: disc Per^S = 2πR exactly, outer 2πR + πε, inner 2πR − πε; square 4L − (4 − π)ε/2 (S), 4L + πε (outer).",
    hypotheses="ε < R, ε < L/2",
    section="§3 M3",
    check=lambda pr: _m3(pr, False),
    negative=lambda pr: all_rejected([_m3(pr, True), _m3(pr, False, True)]),
    negative_description="variant S compared with the outer (O) formula (the normalizations must be told apart); and "
                         "the square's F formula alone raised by two tolerances",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ M7, M8
def _m7(profile: str, wrong_sign: bool, one_cell: bool = False) -> Evidence:
    """``one_cell``: the exact steps, except that the first T(B) that meets T(A) loses one cell of T(A) ∩ T(B) (an
    operator that is not monotone by exactly one cell: a minimal control)."""
    rng = np.random.default_rng(7)
    trials = 4 if profile == "fast" else 16
    G = Grid((36, 36), 1 / 36, density=_wavy)
    eps = 2.5 / 36
    viol, spoiled = 0, False
    for t in range(trials):
        A = _random_set(rng, G.shape, 3)
        B = A | _random_set(rng, G.shape, 3)
        tau = (0.005, 0.02)[t % 2]
        for sel in ("min", "max"):
            if wrong_sign:
                TA, TB = _reversed_step(A, tau, eps, G, sel), _reversed_step(B, tau, eps, G, sel)
            else:
                TA = perimeter_step(A, tau, eps, G, selection=sel).A
                TB = perimeter_step(B, tau, eps, G, selection=sel).A
                if one_cell and not spoiled and (TA & TB).any():
                    TB = TB.copy()
                    TB[tuple(np.argwhere(TA & TB)[0])] = False
                    spoiled = True
            viol += int(np.count_nonzero(TA & ~TB))
    return le(viol, 0, f"{trials} random nested pairs A ⊂ B, 36×36 grid, ρ = 1 + ½sin3x cos2y, τ ∈ {{0.005, 0.02}}, minimal and maximal selections",
              "cells of T(A) outside T(B)")


def _reversed_step(A: np.ndarray, tau: float, eps: float, G: Grid, sel: str) -> np.ndarray:
    """The step with the fidelity's sign flipped (−sd/τ): not a minimizing movement, not monotone."""
    f, m0, m1, _ = step_problem(A, tau, eps, G)
    return solve_cut(-f, m0, m1, eps, G, sel)


register(
    id="M7",
    title="comparison principle",
    statement="A ⊂ B ⇒ T_min(A) ⊂ T_min(B) and T_max(A) ⊂ T_max(B).",
    hypotheses="ρ > 0; exact step solves",
    section="§2.5, §3 M7",
    check=lambda pr: _m7(pr, False),
    negative=lambda pr: all_rejected([_m7(pr, True), _m7(pr, False, True)]),
    negative_description="the fidelity with the wrong sign (−sd/τ) must produce non-nested steps; so must the exact "
                         "steps with one cell of T(A) removed from T(B) in one trial",
    source=SRC,
)


def _m8(profile: str, wrong_step: bool, check_half_cell: bool = True) -> Evidence:
    """``check_half_cell=False``: the check measures D_k with the other convention of the signed distance than
    the step (no half-cell offset), a control for the comparison of the check's numbers with the step's own."""
    rng = np.random.default_rng(8)
    G = Grid((40, 40), 1 / 40, density=_wavy)
    eps, tau = 2.5 / 40, 0.01  # per-step displacement ≈ τ·curvature > h: no pinning
    worst = -math.inf
    flows = 2 if profile == "fast" else 6
    total_ok = True
    moved = 0
    own_gap = 0.0  # the check's D_k and Per_ε(A_{k+1}) against the step's own, with the defaults of both
    for _ in range(flows):
        sets = [_random_set(rng, G.shape, 3)]
        own_D, own_per = [], []
        for _k in range(4):
            step = perimeter_step(sets[-1], tau, eps, G)
            new = step.A
            own_D.append(step.dissipation)
            own_per.append(step.perimeter)
            if wrong_step:  # a non-minimizing update: the step plus a random blob
                new = new | _random_set(rng, G.shape, 2) & (rng.random(G.shape) < 0.3)
            moved += int(np.count_nonzero(new ^ sets[-1]))
            sets.append(new)
        # the public check recomputes every Per_ε and D_k from the sets alone
        res = check_set_energy_inequality(np.stack(sets), tau, eps, G, tol=1e-12,
                                          **({} if check_half_cell else {"half_cell": False}))
        worst = max(worst, res.measured)
        total_ok = total_ok and res.details["total_dissipation"] <= res.details["initial_perimeter"] * (1 + 1e-12)
        if not wrong_step:
            scale = max(1.0, float(res.details["initial_perimeter"]))
            own_gap = max(own_gap, float(np.max(np.abs(res.details["dissipation"] - own_D))) / scale,
                          float(np.max(np.abs(res.details["perimeter"][1:] - own_per))) / scale)
    return Evidence(worst <= 1e-12 and total_ok and moved > 0 and own_gap <= 1e-12, worst, 1e-12,
                    f"{flows} flows × 4 steps from random sets, 40×40 grid, ρ = 1 + ½sin3x cos2y, τ = {tau:g}, ε = 2.5h",
                    f"max over steps of Per(A_{{k+1}}) + D_k − Per(A_k) (≤ 0); Σ D_k ≤ Per(A_0); {moved} cells changed; "
                    f"the check's D_k and Per_ε(A_{{k+1}}) against the step's own (defaults of both): {own_gap:.1e}·max(1, Per(A_0))")


def _m8_step_energy(swap: bool = False) -> Evidence:
    """The step's objective as the public ``step_energy`` computes it from (f, m0, m1) of ``step_problem``: equal to
    the step's own reported energy, for the idealized step (m0 = m1) and the relabeled one (m0 ≠ m1), and no
    set one cell away from the step's does better (the cut is a minimizer). ``swap`` hands ``step_energy`` the
    class masses swapped (the control: with m0 ≠ m1 the value must change)."""
    from maxslope.perimeter import disc, step_energy, step_problem

    G = Grid((30, 30), 1 / 30, density=_wavy)
    A, tau, eps = disc(G, 0.3), 0.01, 2.5 / 30
    gap, better = 0.0, 0
    for fidelity in ("idealized", "relabeled"):
        r = perimeter_step(A, tau, eps, G, fidelity=fidelity)
        f, m0, m1, _ = step_problem(A, tau, eps, G, fidelity=fidelity)
        if swap:
            m0, m1 = m1, m0
        e = step_energy(r.A, f, m0, m1, eps, G)
        gap = max(gap, abs(e - r.energy) / max(1.0, abs(r.energy)))
        for cell in np.argwhere(r.A ^ np.roll(r.A, 1, axis=0))[::7]:  # cells along the boundary
            B = r.A.copy()
            B[tuple(cell)] = not B[tuple(cell)]
            better += step_energy(B, f, m0, m1, eps, G) < e - 1e-12
    return Evidence(gap <= 1e-12 and better == 0, gap, 1e-12, "step_energy of the idealized and relabeled steps of a disc "
                    "(30×30, ρ = 1 + ½sin3x cos2y) against the steps' own energies; one-cell changes along the boundary"
                    + ("; class masses swapped" if swap else ""),
                    f"relative difference {gap:.1e}; one-cell changes that lower the objective: {better}")


def _m8_one_cell(profile: str) -> Evidence:
    """Minimal control: a true flow whose last set gains one cell, farther than ε from the set and the box edge."""
    G = Grid((40, 40), 1 / 40, density=_wavy)
    eps, tau = 2.5 / 40, 0.004  # a non-convex star that moves every step and does not vanish in four
    sets = [star(G, 0.3, 0.35, arms=4)]
    for _k in range(4):
        sets.append(perimeter_step(sets[-1], tau, eps, G).A)
    sd = signed_distance(sets[-2], G)
    m = int(np.ceil(eps / G.h))
    inner = np.zeros(G.shape, bool)
    inner[m:-m, m:-m] = True
    far = np.argwhere((sd > eps) & inner & ~sets[-1])
    cell = tuple(int(i) for i in far[len(far) // 2])
    slack = -float(check_set_energy_inequality(np.stack(sets), tau, eps, G, tol=1e-12).details["excess"][-1])
    sets[-1] = sets[-1].copy()
    sets[-1][cell] = True
    res = check_set_energy_inequality(np.stack(sets), tau, eps, G, tol=1e-12)
    return Evidence(res.passed, res.measured, 1e-12, f"a 4-step flow of a star whose last set gains the one cell {cell}",
                    f"excess {res.measured:.3g} at step {res.worst_location}; the true last step had slack {slack:.3g}")


register(
    id="M8",
    title="energy dissipation",
    statement="Per_ε(A_{k+1}) + D_k ≤ Per_ε(A_k), D_k = (1/τ)∫_{A_{k+1}ΔA_k} |sd_{A_k}| ρ; hence Σ D_k ≤ Per_ε(A_0). The check, from the sets alone, reproduces the step's own D_k and Per_ε(A_{k+1}).",
    hypotheses="exact step solves",
    section="§2.5, §3 M8",
    check=lambda pr: all_hold([_m8(pr, False), _m8_step_energy()]),
    negative=lambda pr: all_rejected([_m8(pr, True), _m8_one_cell(pr), _m8(pr, False, check_half_cell=False), _m8_step_energy(swap=True)]),
    negative_description="a non-minimizing update (the step plus random cells) must violate the inequality; so must a "
                         "true flow whose last set gains one far cell; and the check's D_k, measured without the "
                         "step's half-cell offset of the signed distance, must differ from the step's own; and step_energy with "
                         "the relabeled step's class masses swapped",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ M9, M10, M11
def _disc_grid(h: float, half: float) -> Grid:
    n = int(round(2 * half / h))
    return Grid((n, n), h)


def _m9(profile: str, variant: str, last_only: bool = False) -> Evidence:
    """``last_only``: ``variant`` is used for the second time step only, S for the first (a minimal control)."""
    h = 0.01 if profile == "fast" else 0.005
    G = _disc_grid(h, 0.5)
    errs = []
    for tau in (0.002, 0.005):
        A = _disc(G, 0.3)
        R = G.area_radius(A)
        v = "S" if last_only and tau == 0.002 else variant
        got = G.area_radius(perimeter_step(A, tau, 3 * h, G, variant=v).A)
        errs.append(abs(got - ref.disc_step_radius(R, tau, 1.0)))
    return le(max(errs), 1.5 * h, f"disc R = 0.3, ρ ≡ 1, variant {variant}, τ ∈ {{0.002, 0.005}}, ε = 3h, h = {h:g}",
              "|area radius of the grid step − (R + √(R² − 4c_per τ))/2| (c_per = 1); tolerance 1.5h (grid)")


register(
    id="M9",
    title="one-step law for discs",
    statement="ρ ≡ 1, variant S: one step maps B_R to B_{R'} with R'(R − R') = c_per(d − 1)τ.",
    hypotheses="ε < R', d ∈ {2, 3}",
    section="§3 M9",
    check=lambda pr: _m9(pr, "S"),
    negative=lambda pr: all_rejected([_m9(pr, "F"), _m9(pr, "F", last_only=True)]),
    negative_description="variant F (c_per = 2) against the c_per = 1 law (it misses by 1.3 tolerances, the grid's "
                         "resolution); and F at the second time step only",
    source=SRC,
)


def _m10(profile: str, variant: str) -> Evidence:
    h = 0.0075 if profile == "fast" else 0.005
    G = _disc_grid(h, 0.3)
    tau = 0.01
    Rc = ref.disc_extinction_radius(tau)
    vanish = perimeter_step(_disc(G, 0.85 * Rc), tau, 3 * h, G, variant=variant).A.sum()
    survive = perimeter_step(_disc(G, 1.15 * Rc), tau, 3 * h, G, variant=variant).A.sum()
    ok = vanish == 0 and survive > 0
    return Evidence(ok, float(vanish == 0) + float(survive > 0), 2.0,
                    f"discs of radius 0.85 R_c and 1.15 R_c, R_c = (4/√3)√τ = {Rc:.4f}, τ = {tau}, ε = 3h, h = {h}, variant {variant}",
                    f"cells left: {vanish} (must be 0) and {survive} (must be > 0); the ±15% bracket absorbs the grid and O(ε) shifts")


register(
    id="M10",
    title="one-step extinction of discs",
    statement="ρ ≡ 1, d = 2, variant S: B_R ↦ ∅ iff R < (4/√3)√(c_per τ).",
    hypotheses="ε ≪ √τ",
    section="§3 M10",
    check=lambda pr: _m10(pr, "S"),
    negative=lambda pr: _m10(pr, "F"),
    negative_description="variant F (c_per = 2, threshold √2 larger): the 1.15 R_c disc vanishes",
    source=SRC,
)


def _m11(profile: str, half_cell: bool, speed: float = 1.0) -> Evidence:
    """``speed``: every step taken with time step speed·τ but recorded as τ (a flow that runs too fast)."""
    h, tau, T = (0.01, 0.005, 0.03) if profile == "fast" else (0.005, 0.0025, 0.03)
    G = _disc_grid(h, 0.5)
    A = _disc(G, 0.4)
    radii = perimeter_flow(A, speed * tau, 3 * h, G, steps=round(T / tau), half_cell=half_cell).area_radius()
    exact = ref.disc_radius(T, G.area_radius(A))
    rel = abs(radii[-1] / exact - 1)
    tol = 0.02
    return le(rel, tol, f"disc R₀ = 0.4, ρ ≡ 1, variant S, h = {h}, ε = 3h, τ = {tau}, t = {T}",
              f"area radius {radii[-1]:.4f} vs exact √(R₀² − 2t) = {exact:.4f}; tolerance 2% (O(τ) + O(ε²) + grid, claim M11 measured 1.3%)")


register(
    id="M11",
    title="shrinking disc over many steps",
    statement="ρ ≡ 1: R(t)² = R₀² − 2c_per(d − 1)t; the scheme follows it with error O(τ) + O(ε^p) + grid.",
    hypotheses="3h ≤ ε ≤ √τ; per-step displacement above h (no pinning)",
    section="§3 M11, §4.2",
    check=lambda pr: _m11(pr, True),
    negative=lambda pr: all_rejected([_m11(pr, False), _m11(pr, True, 1.1)]),
    negative_description="the signed distance without the half-cell correction (the disc shrinks too slowly); and the "
                         "true scheme run 10 % too fast (steps of 1.1τ recorded as τ; at h = 0.01 a 7 % error leaves every "
                         "set unchanged, so this is about the grid's resolution)",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ M12, M13
def _m12(profile: str, sign: float) -> Evidence:
    """``sign``: the density is e^{sign·a·x}, compared with the law for e^{a·x} (sign = 1.5: a drift 50 % too strong)."""
    h = 0.01
    a = np.array([2.0, 0.0])
    G = Grid((100, 100), h, density=lambda x: np.exp(sign * (x @ a)))
    R0, tau, K = 0.3, 0.004, 5 if profile == "fast" else 6  # R(t_K) ≥ 0.2, well above one-step extinction
    A = _disc(G, R0)
    tr = perimeter_flow(A, tau, 3 * h, G, steps=K)
    cells = G.points[tr.sets[-1]]
    if len(cells) == 0:
        return Evidence(False, math.inf, 1.5 * h, "the disc vanished before the last step", "")
    centre = cells.mean(0)
    want = ref.exponential_drift_center(tr.times[-1], np.zeros(2), a)
    err = float(np.abs(centre - want).max())
    return le(err, 1.5 * h, f"disc R₀ = 0.3 in ρ = e^{{a·x}}, a = (2, 0), τ = {tau}, {K} steps, ε = 3h, h = {h}",
              f"centre {centre.round(4).tolist()} vs c(t) = −a t = {want.round(4).tolist()} (moves toward lower density); tolerance 1.5h")


register(
    id="M12",
    title="drift in an exponential density",
    statement="ρ = e^{a·x}: a disc translates rigidly with c(t) = c₀ − c_per a t while R(t) follows M11.",
    hypotheses="smooth evolution",
    section="§2.4, §3 M12",
    check=lambda pr: _m12(pr, 1.0),
    negative=lambda pr: all_rejected([_m12(pr, -1.0), _m12(pr, 1.5)]),
    negative_description="the density e^{−a·x} (wrong drift sign) against the law for e^{a·x}; and e^{1.5a·x}, a drift "
                         "50 % too strong, which misses by 1.1 tolerances (30 % stays within the 1.5h grid tolerance)",
    source=SRC,
)


def _m13(profile: str, sign: float) -> Evidence:
    h, sigma, tau = 0.0075, 0.4, 0.01  # per-step displacement τ|V| ≈ 0.01 > h (no pinning); R ≫ (4/√3)√τ
    K = 2 if profile == "fast" else 3  # the growing disc must stay clear of the box edge
    G = _disc_grid(h, 0.6)
    G = Grid(G.shape, h, density=lambda x: np.exp(sign * (x**2).sum(-1) / (2 * sigma**2)))
    ratios, rows = [], []
    for f in (0.8, 1.2):  # below and above the unstable radius σ√(d − 1) = σ
        A = _disc(G, f * sigma)
        tr = perimeter_flow(A, tau, 3 * h, G, steps=K)
        S = tr.area_radius() ** 2
        want = ref.gaussian_disc_area(tr.times, G.area_radius(A), sigma)
        ratios.append((S[-1] - S[0]) / (want[-1] - want[0]))
        rows.append(f"R₀ = {f}σ: ΔS = {S[-1] - S[0]:+.4f} (exact {want[-1] - want[0]:+.4f})")
    err = max(abs(r - 1) for r in ratios)
    return le(err, 0.3, f"centred discs R₀ = 0.8σ and 1.2σ, ρ = exp(−|x|²/2σ²), σ = {sigma}, τ = {tau}, {K} steps, ε = 3h, h = {h}",
              "; ".join(rows) + " — measured: max |ΔS_scheme/ΔS_exact − 1| (a reversed bifurcation gives a negative ratio); "
              "tolerance 0.3 for O(τ) + O(ε²) + grid at this resolution")


register(
    id="M13",
    title="unstable circle in a Gaussian density",
    statement="ρ = exp(−|x|²/2σ²): S = R² follows S(t) = S* + (S₀ − S*)e^{2c_per t/σ²}, S* = (d − 1)σ²; smaller discs vanish, larger grow.",
    hypotheses="smooth evolution",
    section="§3 M13",
    check=lambda pr: _m13(pr, -1.0),
    negative=lambda pr: _m13(pr, 1.0),
    negative_description="the drift sign reversed (ρ = exp(+|x|²/2σ²)) reverses the bifurcation",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ M14, M15
def _m14(profile: str, variant: str) -> Evidence:
    """Order in ε of the 1-D step against the local implicit step (ε → 0): 2 for variant S."""
    from scipy.optimize import brentq

    tau = 0.01
    # the local implicit step: b/τ = −(log ρ)'(b) = b − 0.7
    b_loc = brentq(lambda b: b / tau - (b - 0.7), -0.1, 0.1)
    epss = [0.08, 0.04, 0.02] if profile == "fast" else [0.08, 0.04, 0.02, 0.01]
    diffs = [abs(ref.front_step_1d(0.0, tau, e, _rho_1d, variant, window=0.05) - b_loc) for e in epss]
    orders = [math.log2(a / b) for a, b in zip(diffs[:-1], diffs[1:], strict=True)]
    worst = max(abs(o - 2.0) for o in orders)
    return le(worst, 0.15, f"ρ = e^{{−(x−0.7)²/2}}, A₀ = (−∞, 0), τ = {tau}, ε = {epss}, variant {variant}",
              f"|b_ε − b_local| = {[f'{d:.3e}' for d in diffs]}; observed orders {[round(o, 3) for o in orders]} (expected 2 for S)")


register(
    id="M14",
    title="1-D scheme consistency",
    statement="A = (−∞, b): the nonlocal step differs from the local implicit step by O(ε²) for variant S (O(ε) for O).",
    hypotheses="ρ smooth and positive",
    section="§3 M14",
    check=lambda pr: _m14(pr, "S"),
    negative=lambda pr: _m14(pr, "O"),
    negative_description="variant O (first order in ε) must fail the order-2 test",
    source=SRC,
)


def _m15(profile: str, flip: bool, one_cell: bool = False) -> Evidence:
    """``one_cell``: the right link, except one cell just outside A raised to ½ + 1e-9 in the first trial."""
    rng = np.random.default_rng(15)
    G = Grid((40, 40), 1 / 40, density=_wavy)
    eps, tau = 1.5 / 40, 0.01
    bad = 0
    margins: list[float] = []
    for _ in range(3 if profile == "fast" else 10):
        A = _random_set(rng, G.shape, 3)
        sd = signed_distance(A, G)
        s = -1.0 if flip else 1.0
        eta = np.clip(0.5 - s * eps / (2 * tau) * sd, 0, 1)
        if one_cell and not margins:
            eta[tuple(np.argwhere(~A & (sd == sd[~A].min()))[0])] = 0.5 + 1e-9
        bad += int(np.count_nonzero((eta > 0.5) != A))
        margins.append(perimeter_step(A, tau, eps, G, fidelity="relabeled").meta["clip_margin"])
    return le(bad, 0, f"random sets, 40×40 grid, ρ = 1 + ½sin3x cos2y, τ = {tau}, ε = 1.5h; relabeled data η_k = clip(½ − (ε/2τ) sd, 0, 1)",
              f"cells where {{η_k > ½}} ≠ A_k; clipping margins τ/ε − max|sd| over the moved cells: {[round(m, 3) for m in margins]}")


register(
    id="M15",
    title="Bayes classifier of the relabeled data",
    statement="{η_k > 1/2} = int A_k; the clipping at |sd| = τ/ε is inactive on A_{k+1} Δ A_k iff the reported margin is ≥ 0.",
    hypotheses="the link η_k (a convention the paper leaves open)",
    section="§2.1, §3 M15",
    check=lambda pr: _m15(pr, False),
    negative=lambda pr: all_rejected([_m15(pr, True), _m15(pr, False, True)]),
    negative_description="the link with the wrong sign, η = clip(½ + (ε/2τ) sd); and the right link with one cell "
                         "just outside A_k raised to ½ + 1e-9",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ M4, M6, M16
def _m4(profile: str, variant: str, bump: float = 0.0) -> Evidence:
    """Standard Gaussian, half-line {x < b} with b = 0.5 on a fine 1-D grid (the boundary half-way between cells):
    Per_ε − φ(b) has order 2 in ε for S and 1 for O (∂ρ ≠ 0 at b).

    ``bump``: the density of the one cell just inside b raised by that fraction (a minimal control)."""
    h = 1e-3 if profile == "fast" else 5e-4
    b = 0.5
    G = Grid((int(round(16 / h)),), h, lower=[-8 + h / 2], density=lambda x: np.exp(-x[..., 0] ** 2 / 2) / math.sqrt(2 * math.pi))
    if bump:
        rho = np.array(G.rho, copy=True)
        rho[int(np.flatnonzero(G.points[..., 0] < b)[-1])] *= 1 + bump
        G = Grid(G.shape, h, lower=[-8 + h / 2], density=rho)
    A = G.points[..., 0] < b
    local = math.exp(-b * b / 2) / math.sqrt(2 * math.pi)
    epss = [0.4, 0.2, 0.1]
    gaps = [abs(nonlocal_perimeter(A, e, G, variant) - local) for e in epss]
    orders = [math.log2(a / c) for a, c in zip(gaps[:-1], gaps[1:], strict=True)]
    exact_S = [(math.erf((b + e) / math.sqrt(2)) - math.erf((b - e) / math.sqrt(2))) / (4 * e) for e in epss]
    formula_gap = max(abs(nonlocal_perimeter(A, e, G, "S") - s) for e, s in zip(epss, exact_S, strict=True)) if variant == "S" else 0.0
    measured = max(max(abs(o - 2.0) for o in orders), formula_gap / 1e-4)
    return le(measured, 0.15, f"ρ = standard Gaussian on [−8, 8], A = {{x < 0.5}}, h = {h:g}, ε = {epss}, variant {variant}",
              f"|Per_ε − φ(b)| = {[f'{g:.3e}' for g in gaps]}, observed orders {[round(o, 3) for o in orders]} (2 expected for S); "
              f"S against (Φ(b+ε) − Φ(b−ε))/(2ε): {formula_gap:.1e}")


register(
    id="M4",
    title="localization rate",
    statement="Per^S_ε(A) = ∫_{∂A} ρ + O(ε²) (O(ε) for the outer/inner variants); Gaussian half-plane {x₁ < b}: Per^S_ε = (Φ(b+ε) − Φ(b−ε))/(2ε) → φ(b).",
    hypotheses="smooth A, ρ ∈ C²",
    section="§3 M4",
    check=lambda pr: _m4(pr, "S"),
    negative=lambda pr: all_rejected([_m4(pr, "O"), _m4(pr, "S", 0.01)]),
    negative_description="variant O (first order) must fail the order-2 test; and the S formula must miss a grid whose one "
                         "cell next to the boundary has its density raised by 1 %",
    source=SRC,
)


def _m6(profile: str, negative_mass: bool, one_cell: float = 0.0, swapped: bool = False) -> Evidence:
    """LP relaxation over u ∈ [0, 1] = minimum over sets (all 2^12 sets of a 3×4 grid), with a binary optimal vertex.

    ``one_cell``: the erosion mass of the one cell (1, 1) set to ``-one_cell`` times its mass (a minimal control)."""
    rng = np.random.default_rng(6)
    G = Grid((3, 4), 0.1, density=_wavy)
    eps = 0.15
    gap, frac = 0.0, 0
    sets, mx, mn = _all_sets(G, eps)
    for trial in range(4 if profile == "fast" else 20):
        f = rng.normal(size=G.shape) * 3
        if trial == 0:  # a fidelity whose minimizer is the whole grid: every interior erosion term is then active
            f = -np.abs(f) - 1.0
        m0 = G.mass / 2
        m1 = -G.mass / 2 if negative_mass else G.mass / 2  # a negative class mass: the erosion term is not submodular
        if one_cell:
            m1 = m1.copy()
            m1[1, 1] = -one_cell * G.mass[1, 1]
        value, u = lp_relaxation(f, m0, m1, eps, G)
        if u.shape != G.shape:  # the relaxed minimizer is a function on the grid
            return Evidence(False, math.inf, 1e-9, "LP relaxation", f"the relaxed minimizer has shape {u.shape}, not the grid's {G.shape}")
        best = float(((mx - sets) @ (m0.ravel() / eps) + (sets - mn) @ (m1.ravel() / eps) + sets @ (f * G.mass).ravel()).min())
        gap = max(gap, abs(value - best))
        frac += int(np.count_nonzero(np.minimum(u, 1 - u) > 1e-9))
    tied, wrong = _tie_selection(swapped)
    wrong += _lp_vs_cut()
    ok = gap <= 1e-9 and frac == 0 and tied > 0 and wrong == 0
    return Evidence(ok, gap, 1e-9, "3×4 grid, ρ = 1 + ½sin3x cos2y, ε = 1.5h, random fidelities; brute force over all 4096 sets; "
                    "dyadic data with exact ties" + ("; the cut's selections swapped" if swapped else ""),
                    f"|LP relaxation value − min over sets| (HiGHS dual simplex); fractional entries of the optimal u: {frac}; "
                    f"exact-cut selections that are not the intersection / union of the argmins: {wrong} of {2 * tied * len(_cut_configs())} "
                    f"({tied} problems with ties, each with {len(_cut_configs())} max-flow code × gadget choices)")


@contextlib.contextmanager
def _recording_bands(record: list[tuple[int, int]], narrow: bool = False) -> Iterator[None]:
    """Records (fixed cells of L, free cells of the band) for every exact cut the step solves. ``narrow`` replaces
    the certified band by the uncertified one of the 2 % of cells with the smallest |φ| (the control)."""
    from maxslope.perimeter import _band

    old = (_band.exact_max, _band.band_max_cut)

    def exact_max(c, a0, a1, zf, vf, inL, band, shape, offs):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        record.append((int(inL.sum()), int(band.sum())))
        return old[0](c, a0, a1, zf, vf, inL, band, shape, offs)

    def uncertified(c, a0, a1, zf, vf, phi, shape, offs, scale):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        th = float(np.quantile(np.abs(phi), 0.02))
        return _band.exact_max(c, a0, a1, zf, vf, phi < -th, np.abs(phi) <= th, shape, offs)

    _band.exact_max = exact_max
    if narrow:
        _band.band_max_cut = uncertified
    try:
        yield
    finally:
        _band.exact_max, _band.band_max_cut = old


def _m6_band(narrow: bool = False) -> Evidence:
    """Where numba is installed (the certificate's kernels): the step of M13's first disc (R₀ = 0.8σ on the
    160×160 grid, ρ = exp(−|x|²/2σ²), τ = 0.01, ε = 3h) is cut on a certified band (the restriction lemma of
    :mod:`maxslope.perimeter._band`), and its minimal and maximal minimizers equal the full graph's. The band must
    pay: at most 20 % of the cells free (17 % measured; a search that skips its repairs leaves 28 %). ``narrow``
    cuts on the uncertified band of the 2 % of cells nearest the interface instead (the control: the step moves
    about four cells, so that band cannot hold the answer)."""
    from maxslope.perimeter import _band

    if not has_module("numba"):
        return Evidence(True, 0.0, 0.0, "the certified band (skipped: numba is not installed, the step cuts the full graph)", "")
    h, sigma = 0.0075, 0.4
    G = Grid((160, 160), h, density=lambda x: np.exp(-(x**2).sum(-1) / (2 * sigma**2)))
    A = _disc(G, 0.8 * sigma)
    wrong, widest = [], 0.0
    for sel in ("min", "max"):
        record: list[tuple[int, int]] = []
        with _recording_bands(record, narrow):
            a = perimeter_step(A, 0.01, 3 * h, G, selection=sel).A
        old = _band.MIN_CELLS
        _band.MIN_CELLS = 10**12  # the full graph
        try:
            b = perimeter_step(A, 0.01, 3 * h, G, selection=sel).A
        finally:
            _band.MIN_CELLS = old
        if len(record) != 1:
            wrong.append(f"{sel}: {len(record)} cuts")
            continue
        widest = max(widest, record[0][1] / G.size)
        if not np.array_equal(a, b):
            wrong.append(f"{sel}: {int(np.count_nonzero(a ^ b))} cells differ from the full graph's")
        if widest > 0.2:
            wrong.append(f"{sel}: the band holds {record[0][1]} of {G.size} cells")
    return Evidence(not wrong, widest, 0.2, "the step of a disc R₀ = 0.8σ on a 160×160 grid cut on "
                    + ("the uncertified band of the 2 % of cells nearest the interface" if narrow else "its certified band")
                    + ", against the full graph (minimal and maximal minimizer)",
                    "; ".join(wrong) or f"free cells of the widest band / cells: {widest:.3f}; both selections equal the full graph's")


def _all_sets(G: Grid, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every subset of a small grid as a 0/1 row (bit b of row k is cell b), with its stencil max and min per cell
    (the box exterior outside the set): the brute force of M6."""
    n = G.size
    sets = ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1).astype(float)
    i, j = G.pairs(eps)
    N = np.zeros((n, n))
    N[i, j] = 1.0
    mx = (sets @ N.T > 0).astype(float)
    mn = 1.0 - ((1 - sets) @ N.T > 0)
    mn[:, G.truncated(eps).ravel()] = 0.0
    return sets, mx, mn


def _tie_selection(swapped: bool) -> tuple[int, int]:
    """Problems with exact ties (h = ½, ε = h, ρ ≡ 1, fidelities ±4 favouring a random set B, and one cell next to B
    whose fidelity makes adding it free): how many had ties, and how many of the exact cut's minimal / maximal
    minimizers were not the intersection / union of all 4096 argmins (``swapped``: min and max exchanged)."""
    G, eps = Grid((3, 4), 0.5), 0.5
    m0, m1 = G.mass / 2, G.mass / 2
    n = G.size
    sets, mx, mn = _all_sets(G, eps)
    per = (mx - sets) @ (m0.ravel() / eps) + (sets - mn) @ (m1.ravel() / eps)
    rng = np.random.default_rng(66)
    tied = wrong = 0
    for _ in range(10):
        B = rng.random(n) < 0.5
        c = int(rng.choice(np.flatnonzero(~B))) if (~B).any() else 0
        f = np.where(B, -4.0, 4.0)
        Bc = B.copy()
        Bc[c] = True
        f[c] = -(per[int(Bc @ (2 ** np.arange(n)))] - per[int(B @ (2 ** np.arange(n)))]) / G.mass.ravel()[c]
        vals = per + sets @ (f * G.mass.ravel())
        best = sets[vals == vals.min()].astype(bool)
        inter, union = best.all(0).reshape(G.shape), best.any(0).reshape(G.shape)
        if (inter == union).all():
            continue
        tied += 1
        lo, hi = ("max", "min") if swapped else ("min", "max")
        F = f.reshape(G.shape)
        for backend, gadget in _cut_configs():
            with _cut_config(backend, gadget):
                wrong += int(not (solve_cut(F, m0, m1, eps, G, lo) == inter).all()) + int(not (solve_cut(F, m0, m1, eps, G, hi) == union).all())
    return tied, wrong


def _lp_vs_cut() -> int:
    """The perimeter step solved by the LP relaxation (``solver="lp"``, HiGHS with a tie-breaking perturbation)
    and by the exact cut: the same minimal and maximal sets, on random sets of a 12×12 grid in a wavy density
    (no exact ties there, so min and max coincide; the selections on ties are :func:`_tie_selection`'s). The
    number of differing sets."""
    rng = np.random.default_rng(616)
    G = Grid((12, 12), 1 / 12, density=_wavy)
    wrong = 0
    for _ in range(3):
        A = _random_set(rng, G.shape, 2)
        for sel in ("min", "max"):
            a = perimeter_step(A, 0.01, 1.5 / 12, G, selection=sel).A
            b = perimeter_step(A, 0.01, 1.5 / 12, G, selection=sel, solver="lp").A
            wrong += int(not np.array_equal(a, b))
    return wrong


@contextlib.contextmanager
def _cut_config(backend: str, gadget: str) -> Iterator[None]:
    """The exact cut's max-flow code and graph gadget, set for the duration of a ``with`` block."""
    from maxslope.perimeter import _band, _graph

    old = (_graph.BACKEND, _band.GADGET)
    _graph.BACKEND, _band.GADGET = backend, gadget
    try:
        yield
    finally:
        _graph.BACKEND, _band.GADGET = old


def _cut_configs() -> list[tuple[str, str]]:
    """Every max-flow code installed (PyMaxflow; pseudoflow where present, with its exact maximal selection) with
    both graph gadgets (one arc per ball cell; shared row maxima): the minimizers must not depend on the choice."""
    from maxslope.perimeter import _graph

    return [(b, g) for b in ("bk", *(("hpf",) if _graph.have_hpf() else ())) for g in ("direct", "rows")]


register(
    id="M6",
    title="exact relaxation / integrality",
    statement="min over u ∈ [0, 1]ⁿ of TV_ε(u) + ⟨g, u⟩ equals the minimum over sets; the lifted LP is totally unimodular (0/1 vertices); "
              "the exact cut returns the intersection and the union of all minimizers (the minimal and maximal ones), ties included, "
              "with every installed max-flow code and both graph gadgets; where numba is installed, the cut on a certified band (the "
              "restriction lemma) equals the full graph's, and the band holds at most 20 % of the cells of a 160×160 disc step.",
    hypotheses="ρ_0, ρ_1 ≥ 0",
    section="§1.3, §4.2, §3 M6",
    check=lambda pr: all_hold([_m6(pr, False), _m6_band()]),
    negative=lambda pr: all_rejected([_m6(pr, True), _m6(pr, False, 0.01), _m6(pr, False, swapped=True),
                                                   *([_m6_band(narrow=True)] if has_module("numba") else [])]),
    negative_description="a negative class mass (non-submodular erosion term): the relaxation drops below the set "
                         "minimum; so must it with the one cell (1, 1)'s erosion mass −0.01 m; and the cut's minimal and "
                         "maximal selections swapped must be caught on the exact ties; and, where numba is installed, the disc "
                         "step cut on the uncertified band of the 2 % of cells nearest the interface must differ from the full graph's",
    source=SRC,
)


def _m16(profile: str, variant: str) -> Evidence:
    tau = 0.01
    epss = [0.08, 0.04, 0.02] if profile == "fast" else [0.08, 0.04, 0.02, 0.01, 0.005]
    diffs = [ref.front_step_1d(0.0, tau, e, _rho_1d, "S", 0.05, "relabeled") - ref.front_step_1d(0.0, tau, e, _rho_1d, variant, 0.05) for e in epss]
    orders = [math.log2(abs(a / b)) for a, b in zip(diffs[:-1], diffs[1:], strict=True)]
    return le(max(abs(o - 2) for o in orders), 0.15,
              f"1-D: ρ = e^{{−(x−0.7)²/2}}, A_k = (−∞, 0), τ = {tau}, ε = {epss}; relabeled step against the idealized step (variant {variant})",
              f"(b_relabeled − b_idealized)/ε² = {[round(d / e**2, 4) for d, e in zip(diffs, epss, strict=True)]} (expected: −0.72); "
              f"observed orders {[round(o, 3) for o in orders]}")


def _m16_grid(fidelity: str) -> Evidence:
    """The grid's step with ``fidelity`` (:func:`perimeter.step_problem` and the exact cut) against the 1-D
    reference of the *relabeled* step (:func:`references.front_step_1d`, a continuum minimization): A = (−∞, 0)
    on a 1-D grid, h = 1e-3, τ = 0.01, ε = 0.08, where the two steps differ by 5h. The grid's front must lie
    within 1.5h of the reference's; the idealized fidelity (the control) must not."""
    h, tau, eps = 1e-3, 0.01, 0.08
    G = Grid((3000,), h, lower=[-1.5], density=lambda x: np.exp(-((x[..., 0] - 0.7) ** 2) / 2))
    x = G.points[..., 0]
    r = perimeter_step(x < 0, tau, eps, G, fidelity=fidelity)
    front = float(x[r.A].max()) + h / 2 if r.A.any() else -math.inf
    b = ref.front_step_1d(0.0, tau, eps, _rho_1d, "S", fidelity="relabeled")
    return le(abs(front - b), 1.5 * h, f"1-D grid h = {h}, A = (−∞, 0), τ = {tau}, ε = {eps}: the {fidelity} grid step against the relabeled reference",
              f"grid front {front:.5f}, reference front {b:.5f} ({(front - b) / h:+.2f} h)")


register(
    id="M16",
    title="exact adversarial step vs idealized step",
    statement="The relabeled adversarial-training step and the idealized ATW step (variant S) differ by O(ε²) in the normal displacement; "
              "the grid's relabeled step (its fidelity T_{τ/ε}(sd)/τ and masses ((1 − η)ρ, ηρ)) is the 1-D reference's to within 1.5h.",
    hypotheses="ε ≪ √τ",
    section="§2.3, §3 M16",
    check=lambda pr: all_hold([_m16(pr, "S"), _m16_grid("relabeled")]),
    negative=lambda pr: all_rejected([_m16(pr, "F"), _m16_grid("idealized")]),
    negative_description="the idealized step of variant F (c_per = 2: an O(1) difference in the displacement) must fail the order-2 test; "
                         "and the grid's idealized step, 5h from the relabeled reference at ε = 0.08, must fail the grid comparison",
    source=SRC,
)


def _m17(profile: str, drift_sign: float) -> Evidence:
    """Discrete first variation of Per^S on centred discs in a Gaussian density against H + ∂_ν log ρ = 1/R − R/σ²."""
    sigma, R, s = 0.4, 0.3, 0.02
    h = 0.0025
    G = Grid((480, 480), h, density=lambda x: np.exp(-(x**2).sum(-1) / (2 * sigma**2)))
    r = np.linalg.norm(G.points, axis=-1)
    want = 1 / R + drift_sign * R / sigma**2
    errs, got = [], []
    for eps in (0.06, 0.045) if profile == "fast" else (0.08, 0.06, 0.045):
        k = (nonlocal_perimeter(r <= R + s, eps, G) - nonlocal_perimeter(r <= R - s, eps, G)) / (G.measure(r <= R + s) - G.measure(r <= R - s))
        got.append(k)
        errs.append(abs(k / want - 1))
    return le(max(errs), 0.03, f"centred disc R = {R} in ρ = exp(−|x|²/2σ²), σ = {sigma}, layers R ± {s}, h = {h}, variant S",
              f"[Per(B_{{R+s}}) − Per(B_{{R−s}})]/ρ(B_{{R+s}} \\ B_{{R−s}}) = {[round(v, 4) for v in got]} vs H + ∂_ν log ρ = {want:.4f}; "
              "tolerance 3% (O(s²) + O(ε²) + grid h/ε)")


register(
    id="M17",
    title="nonlocal curvature consistency",
    statement="The first variation of Per_ε per unit ρ-mass tends to the weighted curvature H + ∂_ν log ρ (O(ε²) for variant S).",
    hypotheses="smooth E, ρ ∈ C²",
    section="§2.5, §3 M17",
    check=lambda pr: _m17(pr, -1.0),
    negative=lambda pr: _m17(pr, 1.0),
    negative_description="the drift with the wrong sign (1/R + R/σ²) must be missed",
    source=SRC,
)


def _m20(profile: str, tilted: bool, one_cell: bool = False) -> Evidence:
    """T(A + v) = T(A) + v for grid shifts v (ρ ≡ 1), minimal and maximal selections, away from the box edge.

    ``one_cell``: the exact steps, except that the last shifted step gains one cell next to its boundary (a minimal
    control)."""
    rng = np.random.default_rng(20)
    n, h = 48, 1 / 48
    dens = (lambda x: 1 + 0.8 * np.sin(10 * x[..., 0]) * np.cos(10 * x[..., 1])) if tilted else None
    G = Grid((n, n), h, density=dens)
    mismatch = 0
    changed = 0
    trials = 3 if profile == "fast" else 10
    for trial in range(trials):
        c1, c2 = rng.uniform(-0.12, 0.12, size=2), rng.uniform(-0.12, 0.12, size=2)
        A = ((np.linalg.norm(G.points - c1, axis=-1) <= 0.17) | (np.linalg.norm(G.points - c2, axis=-1) <= 0.12))
        v = tuple(int(k) for k in rng.integers(-5, 6, size=2))
        shifted = np.roll(A, v, axis=(0, 1))
        for sel in ("min", "max"):
            TA = perimeter_step(A, 0.002, 2.5 * h, G, selection=sel).A
            changed += int(np.count_nonzero(TA ^ A))
            b = perimeter_step(shifted, 0.002, 2.5 * h, G, selection=sel).A
            if one_cell and sel == "max" and trial == trials - 1:
                b = b.copy()
                b[tuple(np.argwhere(~b & np.roll(b, 1, axis=0))[0])] = True
            mismatch += int(np.count_nonzero(np.roll(TA, v, axis=(0, 1)) ^ b))
    return Evidence(mismatch == 0 and changed > 0, mismatch, 0,
                    f"unions of two discs in a 48×48 grid shifted by up to 5 cells, τ = 0.002, ε = 2.5h, ρ {'= 1 + 0.8 sin10x cos10y' if tilted else '≡ 1'}",
                    f"cells where T(A + v) differs from T(A) + v (both selections); the steps moved {changed} cells")


register(
    id="M20",
    title="translation invariance",
    statement="ρ ≡ 1: T(A + v) = T(A) + v exactly for grid shifts v (sets away from the box edge).",
    hypotheses="ρ ≡ 1; grid shifts",
    section="§3 M20",
    check=lambda pr: _m20(pr, False),
    negative=lambda pr: all_rejected([_m20(pr, True), _m20(pr, False, True)]),
    negative_description="a non-constant density ρ = 1 + 0.8 sin10x cos10y breaks the invariance (an exponential density "
                         "would not: it only rescales); and the exact steps with one cell added to the last shifted step",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ M19
def _averaged_cloud_perimeter(X: np.ndarray, a: np.ndarray, eps: float) -> float:
    """Negative control: the *integral* graph TV (fraction of the ε-neighbours across the boundary), not the supremal one."""
    from scipy.spatial import cKDTree

    every = cKDTree(X).query_ball_point(X, r=eps, return_length=True)
    in_a = cKDTree(X[a]).query_ball_point(X, r=eps, return_length=True)
    across = np.where(a, every - in_a, in_a) / every
    return float(across.sum() / (2 * len(X)) / eps)


def _m19(profile: str, averaged: bool, budget: float = 1.0) -> Evidence:
    """Graph perimeter of a disc on uniform samples: M1 on the sample, the exact finite-n mean, convergence in n.

    ``budget``: the attacker of the M1 identity gets ``budget`` ε instead of ε (1.001: a minimal control)."""
    R, eps, L = 0.5, 0.15, 1.0
    ns = [1000, 4000, 16000] if profile == "fast" else [1000, 4000, 16000, 64000]
    seeds = 20 if profile == "fast" else 40
    # M1 on the sample: labelled clouds, the attacker moving to any sample within ε
    rng = np.random.default_rng(19)
    m1_gap = 0.0
    for _ in range(3):
        X = rng.uniform(-1, 1, size=(2000, 2))
        y = rng.uniform(size=2000) < 0.5 * (1 + np.tanh(3 * X[:, 0]))
        A = X[:, 0] + 0.3 * np.sin(4 * X[:, 1]) > 0
        e = float(rng.choice([0.05, 0.1, 0.2]))
        lhs = cloud_adversarial_risk(X, A, y, budget * e)
        m1_gap = max(m1_gap, abs(lhs - (cloud_risk(A, y) + e * cloud_perimeter(X, A, e, variant="labels", labels=y))))
    zs, bias, mean_err, sds = [], [], [], []
    limit = 0.0
    for n in ns:
        expect, limit = disc_cloud_expectation(n, R, eps, L)
        vals = []
        for s in range(seeds):
            X = np.random.default_rng([19, n, s]).uniform(-L, L, size=(n, 2))
            a = (X**2).sum(1) <= R * R
            vals.append(_averaged_cloud_perimeter(X, a, eps) if averaged else cloud_perimeter(X, a, eps))
        v = np.asarray(vals)
        se = v.std(ddof=1) / math.sqrt(seeds)
        zs.append(abs(v.mean() - expect) / se)
        bias.append(abs(expect - limit))
        mean_err.append(abs(v.mean() - limit))
        sds.append(float(v.std(ddof=1)))
    orders = [math.log(bias[k] / bias[k + 1]) / math.log(ns[k + 1] / ns[k]) for k in range(len(ns) - 1)]
    converging = all(b2 < b1 for b1, b2 in zip(bias[:-1], bias[1:], strict=True)) and bias[-1] < 0.05 * limit
    ok = m1_gap <= 1e-14 and converging and max(zs) <= 4.0
    return Evidence(
        ok, max(zs), 4.0,
        f"{'averaged (integral) graph TV' if averaged else 'graph Per_ε (variant S)'} of the disc R = {R}, ε = {eps}, "
        f"n ∈ {ns} i.i.d. uniform points in [−1, 1]², {seeds} clouds each",
        f"largest |mean − E Per^n|/SE = {max(zs):.2f} against the exact finite-n expectation (radial quadrature); "
        f"exact bias |E Per^n − Per_ε|/Per_ε = {[f'{b / limit:.2e}' for b in bias]} (order in n {[round(o, 2) for o in orders]}, "
        f"the edge of the dilation: n^(−2/3)); spread of one cloud {[f'{s:.2e}' for s in sds]} (∝ n^(−1/2)); "
        f"M1 on the sample: max |J_ε − J_0 − ε Per| = {m1_gap:.1e} over 3 labelled clouds",
        [Plot("loglog", "graph perimeter of a disc: error against n", [float(n) for n in ns],
              {"|mean − Per_ε|": mean_err, "exact bias": bias, "std of one cloud": sds}, "n", "error")],
    )


register(
    id="M19",
    title="graph / point-cloud consistency",
    statement="The supremal graph perimeter of n i.i.d. samples tends to Per_ε(A) at fixed ε (bias from the edge of the "
    "dilation, fluctuation ≈ n^(−1/2)); the adversarial-risk identity M1 holds exactly on the sample.",
    hypotheses="i.i.d. samples of ρ; fixed ε; ε-balls holding many samples",
    section="§3 M19",
    check=lambda pr: _m19(pr, False),
    negative=lambda pr: all_rejected([_m19(pr, True), _m19(pr, False, 1.001)]),
    negative_description="the averaged (integral-type) graph TV in place of the supremal one has another mean; and "
                         "the sample identity M1 with the attacker's budget 0.1 % too large",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ M18
def _hausdorff(P: np.ndarray, Q: np.ndarray) -> float:
    from scipy.spatial.distance import directed_hausdorff

    return float(max(directed_hausdorff(P, Q)[0], directed_hausdorff(Q, P)[0]))


def _m18_references(drift_sign: float = 1.0) -> Evidence:
    """The references M18 compares with, checked against closed forms first:

    * ``ellipse_curve(a, b, 400)``: every node on the ellipse (|x²/a² + y²/b² − 1| ≤ 1e-9), equal arc-length spacing
      (chords within 1e-3 of each other), and the inscribed polygon's area below πab by less than 1e-4 relative
      (the deficit of an inscribed 400-gon is O(n⁻²) ≈ 4e-5);
    * ``front_tracking`` with the drift of ρ = exp(a·x) (∂_ν log ρ = a·ν) from a circle: the circle shrinks as
      R² = R₀² − 2t around the centre c₀ − a t of :func:`exponential_drift_center` (M12's law), nodes within 2e-4;
    * ``front_tracking`` from the ellipse, ρ ≡ 1: the area lost is 2πt (Gauss–Bonnet) within 1e-3 relative;
    * past a circle's extinction time it returns an empty curve;
    * with a strong drift, ρ = exp(500|x|²), a circle follows R² + 1/K = (R₀² + 1/K)e^{−2Kt} within 2e-3 (the step's
      advection limit; with the diffusion limit alone the error was 4.5e-3);
    * and a drift that makes the curve cross itself is refused (a ValueError), not reported extinct.

    ``drift_sign = −1`` compares the drifted circle with the centre c₀ + a t (the control)."""
    a, b = 0.45, 0.3
    P = ref.ellipse_curve(a, b, 400)
    on = float(np.max(np.abs((P[:, 0] / a) ** 2 + (P[:, 1] / b) ** 2 - 1)))
    seg = np.linalg.norm(np.roll(P, -1, axis=0) - P, axis=1)
    spacing = float(seg.max() / seg.min() - 1)
    deficit = (math.pi * a * b - ref.polygon_area(P)) / (math.pi * a * b)
    drift, c0, R0, T = np.array([0.8, -0.4]), np.array([0.1, 0.2]), 0.5, 0.05
    C = ref.front_tracking(ref.ellipse_curve(R0, R0, 200, center=(0.1, 0.2)), T, grad_log_rho=lambda X: np.broadcast_to(drift, X.shape))[0]
    centre = ref.exponential_drift_center(T, c0, drift_sign * drift)
    circle = float(np.max(np.abs(np.hypot(*(C - centre).T) - math.sqrt(R0**2 - 2 * T))))
    ts = [0.0025, 0.005, 0.01]
    P0 = ref.ellipse_curve(a, b, 200)
    A0 = ref.polygon_area(ref.resample_curve(P0, 200))
    law = max(abs(A0 - ref.polygon_area(Q) - 2 * math.pi * t) / (2 * math.pi * t) for Q, t in zip(ref.front_tracking(P0, ts[-1], times=ts), ts, strict=True))
    # extinction: a circle of radius 0.1 vanishes at R₀²/2 = 0.005; a time past it gets an empty curve
    late = ref.front_tracking(ref.ellipse_curve(0.1, 0.1, 64), 0.006, times=[0.002, 0.006])
    extinct = late[1].shape == (0, 2) and abs(float(np.hypot(*late[0].T).mean()) - math.sqrt(0.01 - 0.004)) <= 1e-3
    # a strong drift: ρ = exp(K|x|²/2), K = 1000, moves a circle at speed 1/R + K R (up to 500 here), so the step
    # must respect the advection limit as well as the diffusion one: R² + 1/K = (R₀² + 1/K) e^{−2K t}
    K = 1000.0
    fast = ref.front_tracking(ref.ellipse_curve(R0, R0, 200), 0.001, grad_log_rho=lambda X: K * X, times=[0.0005, 0.001])
    strong = max(abs(float(np.hypot(*Q.T).mean()) - math.sqrt((R0**2 + 1 / K) * math.exp(-2 * K * t) - 1 / K))
                 for Q, t in zip(fast, [0.0005, 0.001], strict=True))
    # a drift field (not a gradient) that makes the curve cross itself: refused, not reported extinct
    try:
        ref.front_tracking(ref.ellipse_curve(0.5, 0.2, 64), 0.05, times=[0.01, 0.05],
                           grad_log_rho=lambda X: 200 * np.stack([np.sin(5 * X[:, 1]), np.cos(3 * X[:, 0])], axis=1))
        pinch = False
    except ValueError:
        pinch = True
    ok = (on <= 1e-9 and spacing <= 1e-3 and 0 <= deficit <= 1e-4 and circle <= 2e-4 and law <= 1e-3 and extinct
          and strong <= 2e-3 and pinch)
    return Evidence(ok, circle, 2e-4, "the references: ellipse_curve against the ellipse; front_tracking against the drifted "
                    "shrinking circle (ρ = e^{a·x}) and the Gauss–Bonnet area law" + (" (centre c₀ + a t)" if drift_sign < 0 else ""),
                    f"ellipse nodes off by {on:.1e}, chords equal within {spacing:.1e}, area deficit {deficit:.1e}; drifted "
                    f"circle nodes within {circle:.1e} of R(t), c(t); area lost vs 2πt: {law:.1e} relative; a circle of radius "
                    f"0.1 at R(0.002) and empty past its extinction at 0.005: {extinct}; a circle in ρ = exp(500|x|²) within "
                    f"{strong:.1e} of R(t) (≤ 2e-3); a self-crossing curve refused: {pinch}")


def _m18(profile: str, variant: str) -> Evidence:
    """Ellipse, ρ ≡ 1: area law A(t) = A₀ − 2πt, shape against front tracking, extinction time, T_min ⊂ T_max."""
    a, b = 0.45, 0.3
    A0 = math.pi * a * b
    t_ext = A0 / (2 * math.pi)  # Gauss–Bonnet: dA/dt = −c_per ∮κ ds = −2π c_per for every simple closed curve
    # One resolution in both profiles. At a fixed ratio ε/h the stencil's anisotropy is scale-free, so refining h
    # with ε = 3h does not bring the shape closer (h = 0.005, τ = 0.0025: area error 1.4% but Hausdorff 4.9h =
    # 0.025); ε/h → ∞ does (ε = 6h at h = 0.005: 0.013), at 11 s per cut, too slow for a check.
    cases = [(0.01, 0.005)]
    lines, area_errs, ok = [], [], True
    for h, tau in cases:
        eps = 3 * h
        n = int(round((2 * a + 0.2) / h))
        G = Grid((n, n), h)
        E0 = G.indicator(lambda x: (x[..., 0] / a) ** 2 + (x[..., 1] / b) ** 2 <= 1)
        lo = perimeter_flow(E0, tau, eps, G, T=1.3 * t_ext, variant=variant)
        hi = perimeter_flow(E0, tau, eps, G, T=1.3 * t_ext, variant=variant, selection="max")
        nested = all(not np.any(s & ~S) for s, S in zip(lo.sets, hi.sets, strict=False)) and len(lo.sets) <= len(hi.sets)
        differ = sum(int(np.count_nonzero(s ^ S)) for s, S in zip(lo.sets, hi.sets, strict=False))
        area = np.array([np.count_nonzero(S) * h * h for S in lo.sets])
        law = np.maximum(A0 - 2 * math.pi * lo.times, 0.0)
        k_half = min(int(np.searchsorted(lo.times, 0.5 * t_ext)), len(lo.times) - 1)
        area_err = float(np.max(np.abs(area[: k_half + 1] - law[: k_half + 1])) / A0)
        empty = np.flatnonzero(area == 0)
        t_gone = float(lo.times[empty[0]]) if empty.size else math.inf
        t_k = float(lo.times[k_half])
        curve = ref.front_tracking(ref.ellipse_curve(a, b, 200), t_k)[0]
        dense = ref.resample_curve(curve, 4000)
        d_h = _hausdorff(G.boundary_points(lo.sets[k_half]), dense) if lo.sets[k_half].any() else math.inf
        # for scale: the self-similar ellipse of the same area (a wrong reference: curve shortening rounds ellipses)
        s = math.sqrt(max(A0 - 2 * math.pi * t_k, 1e-12) / A0)
        d_self = _hausdorff(ref.resample_curve(ref.ellipse_curve(s * a, s * b, 400), 4000), dense)
        case_ok = nested and area_err <= 0.03 and d_h <= eps and abs(t_gone - t_ext) <= 2 * tau
        ok = ok and case_ok
        area_errs.append(area_err)
        shape = f"{d_h:.4f} = {d_h / h:.1f}h" if math.isfinite(d_h) else "none (the set is empty)"
        lines.append(f"h = {h}, τ = {tau}: area error {area_err:.4f}·A₀ up to t = {t_k:.4f}; Hausdorff to front tracking "
                     f"at t = {t_k:.4f}: {shape} (tolerance ε = {eps:g}; the self-similar ellipse is "
                     f"{d_self:.4f} from it); extinct at {t_gone:.4f} vs {t_ext:.4f} (tolerance 2τ); T_min ⊂ T_max at every "
                     f"step: {nested} ({differ} cells differ)")
    return Evidence(ok, max(area_errs), 0.03,
                    f"ellipse {a} × {b}, ρ ≡ 1, variant {variant} against the c_per = 1 law, ε = 3h, both selections",
                    "; ".join(lines) + ". Tolerances: area 3% of A₀ (O(τ), the nonlocal O(ε²κ²) and the grid "
                    "anisotropy of the ε = 3h stencil); the limit is checked at fixed ε/h, where the discrete ball "
                    "stays slightly anisotropic, so the shape is compared to within ε, not to O(h)")


register(
    id="M18",
    title="convergence on non-symmetric data",
    statement="From an ellipse the scheme follows the weighted mean curvature flow: the area decreases by 2π c_per t "
    "(Gauss–Bonnet), the shape follows a front-tracking solution, the set vanishes at A₀/(2π c_per), and the "
    "minimal scheme stays inside the maximal one. The references are checked first: the ellipse's nodes and the "
    "front tracking against the drifted shrinking circle and the area law.",
    hypotheses="ρ ≡ 1; ε, τ, h small with τκ ≳ h (otherwise the grid pins the front)",
    section="§2.4, §3 M18",
    check=lambda pr: all_hold([_m18_references(), _m18(pr, "S")]),
    negative=lambda pr: all_rejected([_m18(pr, "F"), _m18_references(-1.0)]),
    negative_description="variant F (c_per = 2) measured against the c_per = 1 law; and the front-tracking reference "
                         "with drift compared with a centre moving the wrong way, c₀ + a t",
    source=SRC,
)
