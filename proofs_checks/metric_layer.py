"""Claims W1–W8: the metric-space layer, the same slope, schemes and checks in ℓp and in W_p."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

import maxslope as ms
from maxslope.checks import check_energy_dissipation, check_speed
from maxslope.schemes import minimizing_movement
from maxslope.wasserstein import (
    Empirical,
    InteractionEnergy,
    MeasureEnergy,
    PotentialEnergy,
    Wasserstein,
    ball_transport_lp,
    mass_splitting_flow,
    uniform_spreading_curve,
)

from ._common import LINF, all_hold, all_rejected, chunked_cloud, has_dask, one_step_faster, sample
from .registry import Evidence, register

SRC = "metric_layer.md"
L2 = ms.Lp(2.0)
W_INF = Wasserstein(math.inf, LINF)
W_2 = Wasserstein(2.0, L2)


def _weighted_cloud(seed: int, n: int, d: int = 2) -> Empirical:
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 1.5, size=n)
    return Empirical(rng.normal(size=(n, d)), w / w.sum(), atol=1e-9)


def _order(errors: list[float]) -> float:
    """The smallest observed order over consecutive halvings of h (errors at h, h/2, h/4, …)."""
    e = np.maximum(np.asarray(errors), 1e-300)
    return float(np.min(np.log2(e[:-1] / e[1:])))


# ------------------------------------------------------------------------------------------------ W1
def _w1(profile: str, factor: float) -> Evidence:
    """Translations have W_p-speed ‖v‖; small-step particle curves have the particle formula; the ∞-MMS passes."""
    rng = np.random.default_rng(1)
    mu = _weighted_cloud(11, 8 if profile == "fast" else 30)
    worst = 0.0
    for p in (1.0, 2.0, math.inf):
        for g in (L2, LINF):
            v = rng.normal(size=2)
            v /= float(g.norm(v))  # unit speed in the ground norm
            t = np.linspace(0.0, 0.5, 6)
            tr = ms.Trajectory(t, mu.points[None] + t[:, None, None] * v, weights=mu.weights)
            md = tr.metric_derivative(Wasserstein(p, g))
            worst = max(worst, float(np.max(np.abs(md - 1.0))))
    # particle curves with small steps: W_p / h = (Σ w_i ‖Δγ_i / h‖^p)^{1/p} (identity coupling optimal)
    X = mu.points
    V = rng.normal(size=X.shape)
    h = 1e-3
    for p in (2.0, math.inf):
        Wp = Wasserstein(p, L2)
        speeds = np.linalg.norm(V, axis=1)
        formula = float(np.max(speeds)) if p == math.inf else float(np.dot(mu.weights, speeds**p) ** (1 / p))
        q = Wp.distance(mu, Empirical(X + h * V, mu.weights)) / h
        worst = max(worst, abs(q - formula) / formula)
    # the generic speed check on ∞-curves in W_∞: the W_∞-MMS of ½|x|² and the mass splitting flow
    mms = minimizing_movement(ms.SeparableQuadratic(np.ones(2)), W_INF, mu, 0.1, steps=8)
    split, _ = mass_splitting_flow(1.0, 16)
    curves = [mms, split]
    if factor != 1.0:  # recorded at half its time spacing: speed 2
        curves = [ms.Trajectory(c.times / factor, c.points, weights=c.weights) for c in curves]
    res = [check_speed(c, W_INF) for c in curves]
    ok = all(r.passed for r in res) and worst <= 1e-9
    return Evidence(ok, max(r.measured for r in res), res[0].tolerance,
                    "translations in W_1, W_2, W_∞ over ℓ2 and ℓ∞; small-step particle curves; W_∞-MMS of ½|x|² and the mass splitting ½δ_{−t} + ½δ_t",
                    f"max |W_p-speed of a unit translation − 1| and |W_p/h − particle formula|: {worst:.1e}; "
                    f"speed check: {', '.join(f'{r.measured:.6g}' for r in res)}")


def _w1_one_step(profile: str) -> Evidence:
    """Minimal control: in the W_∞-MMS of ½|x|², one atom moves 1e-9 too far in one of eight steps."""
    mu = _weighted_cloud(11, 8 if profile == "fast" else 30)
    mms = minimizing_movement(ms.SeparableQuadratic(np.ones(2)), W_INF, mu, 0.1, steps=8)
    k = 4
    atom = int(np.argmax(np.abs(mms.points[k + 1] - mms.points[k]).max(-1)))
    r = check_speed(one_step_faster(mms, k, 1 + 1e-9, atom=atom), W_INF)
    return Evidence(r.passed, r.measured, r.tolerance, "the W_∞-MMS with one atom 1e-9 too far in one step", str(r))


register(
    id="W1",
    title="metric derivative in W_p",
    statement="|μ'|_{W_p} = ‖v‖ for μ_t = (id + tv)#μ, every p; small-step particle curves have W_p/h = (Σ w_i‖Δγ_i/h‖^p)^{1/p}; "
    "the generic speed check accepts ∞-curves in W_∞.",
    hypotheses="identity coupling optimal for small steps",
    section="W1",
    check=lambda pr: _w1(pr, 1.0),
    negative=lambda pr: all_rejected([_w1(pr, 2.0), _w1_one_step(pr)]),
    negative_description="the same curves recorded at half their time spacing (speed 2); the W_∞-MMS with one step of one atom stretched "
    "by 1e-9",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ W2
def _w2(profile: str, wrong_norm: bool, bias: float = 0.0) -> Evidence:
    """Slope formula (L^{p'}(μ) norm of the field) against the gradient-free numerical slope, O(h).

    ``bias``: the formula's value in one case (W_4 over ℓ2) raised by that relative amount (a minimal control)."""
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    V = ms.Quadratic(A, np.array([0.3, -0.7]))
    mu = _weighted_cloud(22, 6 if profile == "fast" else 20)
    cases = [(W_INF, PotentialEnergy(V)), (Wasserstein(4.0, L2), PotentialEnergy(V)), (W_2, InteractionEnergy(ms.Quadratic(A))),
             (Wasserstein(4.0, LINF), InteractionEnergy(ms.Quadratic(A)))]
    hs = [1e-2 * 2.0**-j for j in range(4)]
    orders, errs, ident = [], [], 0.0
    for k, (space, E) in enumerate(cases):
        if wrong_norm:  # the L^p(μ) norm of the field in place of the L^{p'}(μ) norm
            g = ms.Lp(space.ground.dual_exponent).norm(E.field(mu))
            exact = float(np.max(g)) if space.p == math.inf else float(np.dot(mu.weights, g**space.p) ** (1 / space.p))
        else:
            exact = ms.slope(E, space, mu) * (1 + bias if k == 1 else 1.0)
        e = [abs(ms.numerical_slope(E, space, mu, h) - exact) / exact for h in hs]
        orders.append(_order(e))
        errs.append(e[-1])
    # the C20 identity: in W_∞ the numerical slope is the per-atom ground quotient, exactly
    h = 1e-3
    per_atom = float(np.dot(mu.weights, ms.numerical_slope(V, LINF, mu.points, h)))
    ident = abs(ms.numerical_slope(V, W_INF, mu, h) - per_atom)
    worst_order = min(orders)
    ok = worst_order >= 0.9 and max(errs) <= 1e-2 and ident <= 1e-15
    return Evidence(ok, worst_order, 0.9,
                    "potential (W_∞ over ℓ∞, W_4 over ℓ2) and interaction (W_2 over ℓ2, W_4 over ℓ∞) energies, 2-D quadratic, weighted atoms",
                    f"observed orders {', '.join(f'{o:.2f}' for o in orders)} (must be >= 0.9, lower is worse); "
                    f"relative errors at h = {hs[-1]:g}: {', '.join(f'{x:.1e}' for x in errs)}; "
                    f"|W_∞ numerical slope − per-atom ground quotient| = {ident:.0e}")


_A_W2 = np.array([[2.0, 0.5], [0.5, 1.0]])


class _HandInteraction(MeasureEnergy):
    """A user's energy on measures, value and field only (the base class does the rest): the interaction energy of
    W(z) = ½zᵀAz written by hand, times ``scale``."""

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale

    def value(self, mu: Empirical) -> float:
        D = mu.points[:, None, :] - mu.points[None, :, :]
        return self.scale * 0.5 * float(mu.weights @ (0.5 * np.einsum("ijk,kl,ijl->ij", D, _A_W2, D)) @ mu.weights)

    def field(self, mu: Empirical) -> np.ndarray:
        return np.asarray((mu.points - mu.weights @ mu.points) @ _A_W2)


def _w2_user_energy(scale: float = 1.0) -> Evidence:
    """A user-defined :class:`MeasureEnergy` (value and field only) gets the base class's slope and numerical slope
    (one perturbed measure per atom and coordinate); they must equal those of the library's
    ``InteractionEnergy``, whose quotient moves the atoms by its own formula, to 1e-11 relative, in W_2 over ℓ2,
    W_4 over ℓ∞ and W_∞ over ℓ1. ``scale = 1 + 1e-9`` scales the user's energy (the control)."""
    rng = np.random.default_rng(22)
    X, w = rng.normal(size=(6, 2)), rng.uniform(0.2, 1.0, size=6)
    mu = Empirical(X, w / w.sum())
    lib, user = InteractionEnergy(ms.Quadratic(_A_W2)), _HandInteraction(scale)
    worst = 0.0
    for space in (W_2, Wasserstein(4.0, LINF), Wasserstein(math.inf, ms.Lp(1.0))):
        a, b = lib.numerical_slope(space, mu, 1e-3), user.numerical_slope(space, mu, 1e-3)
        worst = max(worst, abs(a - b) / a, abs(lib.slope(space, mu) - user.slope(space, mu)) / a)
    return Evidence(worst <= 1e-11, worst, 1e-11, "a user's MeasureEnergy (value and field only) against InteractionEnergy: "
                    "slope and numerical slope (h = 1e-3) in W_2/ℓ2, W_4/ℓ∞, W_∞/ℓ1" + (f"; the user's energy × {scale!r}" if scale != 1.0 else ""),
                    f"largest relative difference {worst:.1e}")


register(
    id="W2",
    title="slope of potential and interaction energies in W_p",
    statement="|∂ℰ|_{W_p}(μ) = (∫‖ξ‖_*^{p'} dμ)^{1/p'}, ξ = ∇V or ∇(W∗μ); in W_∞ the numerical slope of ∫V dμ is the per-atom ground quotient; a user's energy given by value and field gets the same slopes.",
    hypotheses="V, W ∈ C²; W even",
    section="W2",
    check=lambda pr: all_hold([_w2(pr, False), _w2_user_energy()]),
    negative=lambda pr: all_rejected([_w2(pr, True), _w2(pr, False, 1e-4), _w2_user_energy(1 + 1e-9)]),
    negative_description="the L^p(μ) norm of the field in place of the L^{p'}(μ) norm (measures where they differ); and "
                         "the true formula raised by 1e-4 (relative) in the one case W_4 over ℓ2; and a user's energy "
                         "1e-9 (relative) off the interaction energy",
    source=SRC,
)
# the 'measured' of W2 is an order (larger is better): the Evidence passes when it is >= the tolerance


# ------------------------------------------------------------------------------------------------ W3
def _w3(profile: str, wrong_exponent: bool) -> Evidence:
    """W_p-MMS step of ∫V dμ = per-atom ground p-steps, against the LP over all plans onto a grid (HiGHS)."""
    V = ms.SeparableQuadratic(np.array([1.0, 3.0]), np.array([0.2, -0.1]))
    mu = _weighted_cloud(33, 5 if profile == "fast" else 12)
    tau = 0.3
    hgrid = 0.04
    g = np.arange(-3.0, 3.0 + hgrid / 2, hgrid)
    grid = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    worst_gap, lines = -math.inf, []
    for p, ground in ((2.0, L2), (4.0, L2), (math.inf, LINF)):
        space = Wasserstein(p, ground)
        step_p = 2.0 if (wrong_exponent and p == 4.0) else p
        nu = minimizing_movement(V, Wasserstein(step_p, ground), mu, tau, steps=1, p=step_p).node(1)
        Vg = V.value(grid)
        D = ms.wasserstein.distance_matrix(mu.points, grid, ground)
        if p == math.inf:
            values, radius = np.tile(Vg, (mu.n, 1)), tau
            mms = nu.integrate(V.value)
            feasible = space.distance(mu, nu) <= tau * (1 + 1e-12)
        else:
            c = 1.0 / (p * tau ** (p - 1))
            values, radius = Vg[None, :] + c * D**p, 1.0  # the step stays within 1 of each atom here
            mms = nu.integrate(V.value) + c * float(np.dot(mu.weights, np.asarray(ground.distance(nu.points, mu.points)) ** p))
            feasible = True
        lp, _ = ball_transport_lp(values, mu, grid, radius, ground, "min")
        gap = mms - lp  # must be <= 0: no plan onto the grid beats the decoupled step
        worst_gap = max(worst_gap, gap if feasible else math.inf)
        lines.append(f"p={p:g}: step {mms:.9f}, LP {lp:.9f}")
    tol = 1e-9  # HiGHS optimality tolerance on values of size ≤ 1
    return Evidence(worst_gap <= tol, worst_gap, tol,
                    f"V separable quadratic, {mu.n} weighted atoms in ℝ², τ = {tau:g}; LP over all plans onto a {len(g)}² grid",
                    "objective of the per-atom step − LP minimum (≤ 0 required): " + "; ".join(lines))


def _w3_chunked(moved: bool = False) -> Evidence:
    """Where Dask is installed: the decoupled steps run chunk by chunk on a :class:`ChunkedEmpirical` (40 weighted
    atoms in chunks of 7) and give the in-memory iterates, exactly summed energies and times bit for bit: the W_2
    MMS (p = 2), the W_∞ MMS recorded every second step, and the W_∞ steepest descent with sign(0) = 0.5. What does
    not decouple is refused by a ValueError: an interaction energy, the W_2 steepest descent (its step is scaled by
    a sum over all atoms), one selection rule per particle, a callback. ``moved`` moves one coordinate of one chunked iterate
    by one ulp (the minimal control)."""
    cloud = chunked_cloud(3)
    if cloud is None:
        return Evidence(True, 0.0, 0.0, "chunked measures (skipped: Dask is not installed)", "")
    from maxslope.schemes import steepest_descent
    from maxslope.wasserstein import ChunkedEmpirical

    from ._common import synchronous_dask

    atoms, X, w = cloud
    V = ms.SeparableQuadratic(np.array([1.0, 3.0]), np.array([0.2, -0.1]))
    runs = {
        "W_2 MMS": lambda m: minimizing_movement(V, W_2, m, 0.1, steps=3, p=2.0),
        "W_∞ MMS, every second node": lambda m: minimizing_movement(V, W_INF, m, 0.1, steps=3, record_every=2),
        "W_∞ steepest descent, sign(0) = 0.5": lambda m: steepest_descent(V, W_INF, m, 0.1, steps=3, selection=0.5),
    }
    refused = {
        "an interaction energy": lambda m: minimizing_movement(InteractionEnergy(ms.SeparableQuadratic(np.ones(2))), W_2, m, 0.1, steps=1, p=2.0),
        "the W_2 steepest descent": lambda m: steepest_descent(V, W_2, m, 0.1, steps=1),
        "one rule per particle": lambda m: steepest_descent(V, W_INF, m, 0.1, steps=1, selection=["zero"] * 40),
        "a callback (the chunks run as separate tasks)": lambda m: minimizing_movement(V, W_2, m, 0.1, steps=1, p=2.0, callback=lambda *a: None),
    }
    wrong = []
    with synchronous_dask():
        chunked = ChunkedEmpirical(atoms, w)
        for name, run in runs.items():
            mem, ch = run(Empirical(X, w)), run(chunked)
            P, En = np.array(ch.points), np.array(ch.energies)
            if moved and name == "W_2 MMS":
                P[2, 11, 0] = np.nextafter(P[2, 11, 0], math.inf)
            if not (np.array_equal(P, mem.points) and np.array_equal(En, mem.energies) and np.array_equal(ch.times, mem.times)):
                wrong.append(f"{name}: the chunked run differs")
            keys = ("scheme", "p", "tau", "steps", "space", "record_every", "constraint", "selection", "inner")
            if any(ch.meta.get(k) != mem.meta.get(k) for k in keys):  # the same record of the run
                wrong.append(f"{name}: meta {[(k, ch.meta.get(k), mem.meta.get(k)) for k in keys if ch.meta.get(k) != mem.meta.get(k)]}")
        for name, run in refused.items():
            try:
                run(chunked)
                wrong.append(f"{name} was not refused")
            except ValueError:
                pass
    return Evidence(not wrong, len(wrong), 0.5, "a ChunkedEmpirical (Dask, 40 weighted atoms in chunks of 7) against the "
                    "in-memory runs: W_2 MMS, W_∞ MMS, W_∞ steepest descent; four refusals"
                    + ("; one coordinate of one chunked iterate moved one ulp" if moved else ""),
                    "; ".join(wrong) or "bit for bit (iterates, exact energies, times); the four refused")


register(
    id="W3",
    title="W_p minimizing movements of potential energies decouple",
    statement="For p ∈ (1, ∞] the W_p-MMS step of ∫V dμ is Σ_i w_i δ_{y_i}, y_i the ground p-step of V from x_i; so "
    "the steps run chunk by chunk on a measure whose atoms are a Dask array, bit for bit, and what couples the atoms "
    "is refused there.",
    hypotheses="V lsc, bounded below",
    section="W3",
    check=lambda pr: all_hold([_w3(pr, False), _w3_chunked()]),
    negative=lambda pr: all_rejected([_w3(pr, True), *([_w3_chunked(moved=True)] if has_dask() else [])]),
    negative_description="per-atom steps with exponent 2 used for p = 4; and, where Dask is installed, the chunked W_2 "
                         "MMS with one coordinate of one iterate moved one ulp",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ W4 / W5
def _ray_defect(r0sq: float, lam: float, t: np.ndarray, energy_factor: float) -> float:
    """Exact EDE defect (p = 2) of the piecewise-linear interpolant of r(t) = r0 e^{−λt} for E = f λ r²/2, |∂E| = √f λ r.

    Summed over the steps: drop − ∫ ½|u'|² + ½|∂E|²; the interpolant lies on the ray, so this is the whole
    difference between the check's residual on the sampled exact curve and 0.
    """
    r = math.sqrt(r0sq) * np.exp(-lam * t)
    a, b, h = r[:-1], r[1:], np.diff(t)
    drop = energy_factor * lam / 2 * (a**2 - b**2)
    integ = energy_factor * (0.5 * (a - b) ** 2 / h + 0.5 * lam**2 * h * (a * a + a * b + b * b) / 3)
    return float(np.max(np.abs(np.cumsum(drop - integ))))


@functools.lru_cache(maxsize=8)  # W6 reads the same curves: computed once per profile
def _w4(profile: str, negative: bool, atom_rate: float = 1.0) -> Evidence:
    """``atom_rate``: atom 0 alone contracts at that multiple of the rate λ (a minimal control)."""
    lam, T = 1.5, 1.0
    mu = _weighted_cloud(44, 6 if profile == "fast" else 20)
    V = ms.SeparableQuadratic(np.full(2, lam))
    t = np.linspace(0.0, T, 401)
    rate = np.full(mu.n, 2 * lam if negative else lam)
    rate[0] *= atom_rate
    curve = ms.Trajectory(t, np.exp(-rate[None, :, None] * t[:, None, None]) * mu.points[None], weights=mu.weights)
    m2 = float(np.dot(mu.weights, np.sum(mu.points**2, axis=1)))
    allowance = _ray_defect(m2, lam, t, 1.0)
    r = check_energy_dissipation(curve, V, W_2, p=2.0, allowance=allowance, allowance_reason="exact EDE defect of the interpolant")
    # the minimizing movement x -> x/(1 + λτ) and its order-1 convergence
    taus = [0.1 * 2.0**-j for j in range(4 if profile == "fast" else 6)]
    errs, map_gap = [], 0.0
    for tau in taus:
        K = round(T / tau)
        tr = minimizing_movement(V, W_2, mu, tau, steps=K, p=2.0)
        map_gap = max(map_gap, float(np.max(np.abs(tr.points[1] - mu.points / (1 + lam * tau)))))
        errs.append(max(W_2.distance(tr.node(k), Empirical(np.exp(-lam * k * tau) * mu.points, mu.weights)) for k in range(K + 1)))
    order = _order(errs)
    ok = r.passed and (negative or (order >= 0.9 and map_gap <= 1e-12))
    return Evidence(ok, r.measured, r.tolerance,
                    f"V = {lam:g}|x|²/2, {mu.n} weighted atoms, W_2 over ℓ2; " + ("μ_t = (e^{−2λt} id)#μ_0" if negative else "μ_t = (e^{−λt} id)#μ_0"),
                    f"{r}; MMS step vs x/(1+λτ): {map_gap:.0e}; sup-W_2 errors {', '.join(f'{e:.2e}' for e in errs)}, order {order:.2f}")


register(
    id="W4",
    title="W_2 flow of a quadratic potential",
    statement="V = λ|x|²/2: the W_2 flow is μ_t = (e^{−λt} id)#μ_0, EDE holds; the MMS is x ↦ x/(1 + λτ) per step and converges at order 1.",
    hypotheses="λ > 0, ground ℓ2",
    section="W4",
    check=lambda pr: _w4(pr, False),
    negative=lambda pr: all_rejected([_w4(pr, True), _w4(pr, False, 1.001)]),
    negative_description="μ_t = (e^{−2λt} id)#μ_0 (twice too fast); and the true flow with one atom 0.1 % too fast",
    source=SRC,
)


@functools.lru_cache(maxsize=8)  # shared with W6
def _w5(profile: str, negative: bool, atom_rate: float = 1.0) -> Evidence:
    """``atom_rate``: atom 0 alone contracts towards m at that rate (a minimal control)."""
    T = 1.0
    rng = np.random.default_rng(55)
    n = 6 if profile == "fast" else 16
    mu = Empirical(rng.normal(size=(n, 2)) + np.array([1.0, -0.5]))  # mean m ≠ 0
    m = mu.points.mean(axis=0)
    E = InteractionEnergy(ms.SeparableQuadratic(np.ones(2)))
    var = float(np.mean(np.sum((mu.points - m) ** 2, axis=1)))
    closed = max(abs(E.value(mu) - var / 2), abs(ms.slope(E, W_2, mu) - math.sqrt(var)))
    t = np.linspace(0.0, T, 401)
    if negative:  # contraction towards 0 instead of m
        pts = np.exp(-t)[:, None, None] * mu.points[None]
    else:
        rate = np.ones(n)
        rate[0] = atom_rate
        pts = m + np.exp(-rate[None, :, None] * t[:, None, None]) * (mu.points - m)[None]
    curve = ms.Trajectory(t, pts, weights=mu.weights)
    r = check_energy_dissipation(curve, E, W_2, p=2.0, allowance=_ray_defect(var, 1.0, t, 1.0),
                                 allowance_reason="exact EDE defect of the interpolant")
    taus = [0.1 * 2.0**-j for j in range(3 if profile == "fast" else 5)]
    errs, map_gap = [], 0.0
    for tau in taus:
        K = round(T / tau)
        tr = minimizing_movement(E, W_2, mu, tau, steps=K, p=2.0, inner="particle")
        map_gap = max(map_gap, float(np.max(np.abs(tr.points[1] - (m + (mu.points - m) / (1 + tau))))))
        errs.append(max(W_2.distance(tr.node(k), Empirical(m + np.exp(-k * tau) * (mu.points - m))) for k in range(K + 1)))
    order = _order(errs)
    ok = r.passed and (negative or (order >= 0.9 and map_gap <= 1e-8 and closed <= 1e-12))
    return Evidence(ok, r.measured, r.tolerance,
                    f"W(z) = |z|²/2, {n} atoms with mean m ≠ 0, W_2 over ℓ2; " + ("x_i(t) = e^{−t}x_i (towards 0)" if negative else "x_i(t) = m + e^{−t}(x_i − m)"),
                    f"{r}; |ℰ − Var/2|, |slope − √Var|: {closed:.0e}; particle MMS (L-BFGS-B) vs m + (x − m)/(1+τ): {map_gap:.0e}; "
                    f"sup-W_2 errors {', '.join(f'{e:.2e}' for e in errs)}, order {order:.2f}")


def _w5_particle_box(naive: bool = False) -> Evidence:
    """``ParticleInner`` in W_∞ over ℓ∞ (p = ∞): each atom minimizes V over its box ‖y − x_i‖_∞ ≤ τ. V = ½yᵀAy + bᵀy
    with A dense and positive definite, so the box minimizer is not the clipped unconstrained one; the reference is
    SciPy's bounded least squares (BVLS, ``lsq_linear``) on ½‖Ly − t‖², A = LᵀL, per atom. And its scope, by
    ``supports``: W_p over ℓ2 with the curve exponent p, W_∞ over ℓ∞ with p = ∞, nothing else; a scheme that
    asks it for W_2 over ℓ1 is refused (NoExactSolver). ``naive`` puts the clipped unconstrained minimizer in
    place of the step (the control: the comparison must reject it)."""
    from scipy.optimize import lsq_linear

    from maxslope.schemes.inner import NoExactSolver
    from maxslope.wasserstein import ParticleInner

    rng = np.random.default_rng(5)
    M = rng.normal(size=(3, 3))
    A, b = M @ M.T + 0.5 * np.eye(3), 2 * rng.normal(size=3)
    mu = Empirical(rng.normal(size=(5, 3)), np.array([0.1, 0.2, 0.3, 0.25, 0.15]))
    tau = 0.8
    E = PotentialEnergy(ms.Quadratic(A, b))
    L = np.linalg.cholesky(A).T
    target = -np.linalg.solve(L.T, b)
    ref = np.array([lsq_linear(L, target, bounds=(x - tau, x + tau), method="bvls", tol=1e-15).x for x in mu.points])
    if naive:
        Y = np.clip(-np.linalg.solve(A, b), mu.points - tau, mu.points + tau)
    else:
        Y = ParticleInner()(E, W_INF, mu, tau, math.inf).points
    gap = float(np.max(np.abs(Y - ref)))
    active = int(np.count_nonzero(np.isclose(np.abs(ref - mu.points), tau)))
    P = ParticleInner()
    table = [(W_2, 2.0, True), (W_2, 3.0, False), (Wasserstein(2.0, ms.Lp(1.0)), 2.0, False), (W_INF, math.inf, True),
             (Wasserstein(math.inf, L2), math.inf, False), (Wasserstein(3.0, L2), 3.0, True), (Wasserstein(3.0, L2), 2.0, False)]
    scope = [f"supports({sp!r}, p={q:g}) = {P.supports(sp, q)}" for sp, q, want in table if P.supports(sp, q) != want]
    try:
        minimizing_movement(E, Wasserstein(2.0, ms.Lp(1.0)), mu, tau, steps=1, p=2.0, inner=P)
        scope.append("W_2 over ℓ1 was not refused")
    except NoExactSolver:
        pass
    return Evidence(gap <= 1e-8 and not scope, gap, 1e-8,
                    f"ParticleInner in W_∞ over ℓ∞: 5 atoms in ℝ³, V = ½yᵀAy + bᵀy (A dense), τ = {tau}, against BVLS per atom"
                    + ("; the clipped unconstrained minimizer in its place" if naive else "") + "; its scope (7 spaces and exponents)",
                    f"max |y − y_BVLS| = {gap:.1e} ({active} of 15 coordinates on the box); " + ("; ".join(scope) or "scope as documented"))


register(
    id="W5",
    title="quadratic interaction: contraction to the mean",
    statement="W(z) = |z|²/2: ∇(W∗μ) = x − m, the W_2 flow is m + e^{−t}(x − m), ℰ(μ_t) = e^{−2t}Var/2, |∂ℰ|² = Var; EDE holds; the particle MMS converges at order 1. In W_∞ over ℓ∞ the particle step is the per-atom box minimizer; it claims no other space.",
    hypotheses="ground ℓ2",
    section="W5",
    check=lambda pr: all_hold([_w5(pr, False), _w5_particle_box()]),
    negative=lambda pr: all_rejected([_w5(pr, True), _w5(pr, False, 1.001), _w5_particle_box(naive=True)]),
    negative_description="contraction towards 0 instead of the mean m ≠ 0; and the true flow with one atom 0.1 % too "
                         "fast; and, for the particle step in W_∞, the clipped unconstrained minimizer",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ W6
def _w6(profile: str, negative: bool) -> Evidence:
    """One check_energy_dissipation(traj, E, space) call for ℓ∞, W_∞ and W_2."""
    from maxslope.exact import linear_flow

    rng = np.random.default_rng(6)
    a = rng.normal(size=3)
    x0 = rng.normal(size=3)
    lin = linear_flow(a.tolist(), x0.tolist())
    cases: list[tuple[str, Any, Any, Any, Any]] = []
    split, Esplit = mass_splitting_flow(1.0, 32)
    if negative:
        cases.append(("Unif[−t, t] for −x²/2 in W_∞", uniform_spreading_curve(1.0, 200, 32), Esplit, W_INF, 0.0))
        for fn, name in ((_w4, "W4"), (_w5, "W5")):
            cases.append((f"{name} negative control in W_2", fn(profile, True), None, None, None))
            cases.append((f"{name} flow with one atom 0.1 % too fast in W_2", fn(profile, False, 1.001), None, None, None))
    else:
        cases.append(("C2 linear flow in ℓ∞", sample(lin, 64), ms.Linear(a), LINF, 0.0))
        cases.append(("mass splitting ½δ_{−t} + ½δ_t in W_∞", split, Esplit, W_INF, 0.0))
        for fn, name in ((_w4, "W4"), (_w5, "W5")):
            ev = fn(profile, False)
            cases.append((f"{name} exact flow in W_2", ev, None, None, None))
    verdicts, lines = [], []
    for name, traj, E, space, allow in cases:
        if isinstance(traj, Evidence):
            verdicts.append(traj.passed)
            lines.append(f"{name}: {'pass' if traj.passed else 'fail'} ({traj.measured:.1e} vs {traj.tolerance:.1e})")
            continue
        r = check_energy_dissipation(traj, E, space, allowance=allow)
        verdicts.append(r.passed)
        lines.append(f"{name}: {'pass' if r.passed else 'fail'} ({r.measured:.1e} vs {r.tolerance:.1e})")
    ok = all(verdicts) if not negative else any(verdicts)
    return Evidence(ok, float(sum(not v for v in verdicts) if not negative else sum(verdicts)), 0.0,
                    "the same check_energy_dissipation(traj, E, space) on ℓ∞, W_∞ and W_2 curves",
                    "; ".join(lines))


register(
    id="W6",
    title="one energy-dissipation check for every space",
    statement="The same check, called with the space object, accepts the ℓ∞ flows of C2, the W_∞ mass-splitting flow and the W_2 flows of W4/W5.",
    hypotheses="—",
    section="W6",
    check=lambda pr: _w6(pr, False),
    negative=lambda pr: _w6(pr, True),
    negative_description="Unif[−t, t] (C18) and the W4/W5 negative controls, the minimal ones (one atom 0.1 % too fast) "
                         "included: accepted by the check if any passes",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ W7
def _w7(profile: str, mixture: bool) -> Evidence:
    worst = 0.0
    trials = 3 if profile == "fast" else 10
    ss = np.array([0.25, 0.5, 0.8])
    for t in range(trials):
        rng = np.random.default_rng(70 + t)
        n = int(rng.integers(4, 12))
        mu = Empirical(rng.normal(size=(n, 2)))
        nu = _weighted_cloud(700 + t, n + 2) if t % 2 else Empirical(rng.normal(size=(n, 2)) + 1.0)
        for p in (1.0, 2.0, math.inf):
            space = Wasserstein(p, L2 if p != math.inf else LINF)
            D = space.distance(mu, nu)
            for s in ss:
                if mixture:
                    pts = np.concatenate([mu.points, nu.points])
                    w = np.concatenate([(1 - s) * mu.weights, s * nu.weights])
                    ms_ = Empirical(pts, w / w.sum(), atol=1e-9)
                else:
                    ms_ = space.geodesic(mu, nu, float(s))
                err = max(abs(space.distance(mu, ms_) - s * D), abs(space.distance(ms_, nu) - (1 - s) * D)) / D
                worst = max(worst, err)
    # δ_0 → δ_1 on the line: W_p(δ_0, mixture) = s^{1/p} ≠ s
    d0, d1 = Empirical(np.zeros((1, 1))), Empirical(np.ones((1, 1)))
    for p in (1.0, 2.0, math.inf):
        space = Wasserstein(p, L2)
        for s in ss:
            z = Empirical(np.array([[0.0], [1.0]]), np.array([1 - s, s])) if mixture else space.geodesic(d0, d1, float(s))
            worst = max(worst, abs(space.distance(d0, z) - s))
    tol = 1e-12
    return Evidence(worst <= tol, worst, tol,
                    f"{trials} pairs of clouds (uniform and weighted), p ∈ {{1, 2, ∞}}, s ∈ {{0.25, 0.5, 0.8}}; δ_0 → δ_1",
                    f"max relative |W_p(μ, μ_s) − s W_p(μ, ν)|, |W_p(μ_s, ν) − (1−s) W_p(μ, ν)|: {worst:.1e}")


def _w7_one_atom(profile: str) -> Evidence:
    """Minimal control: the W_2 midpoint with one atom of eight 1e-6 of its path too far."""
    rng = np.random.default_rng(70)
    mu, nu = Empirical(rng.normal(size=(8, 2))), Empirical(rng.normal(size=(8, 2)) + 1.0)
    space = Wasserstein(2.0, L2)
    D = space.distance(mu, nu)
    mid = space.geodesic(mu, nu, 0.5)
    _, i, j, _ = space.step_coupling(mu, nu)
    pts = mid.points.copy()
    pts[0] += 1e-6 * (nu.points[j[0]] - mu.points[i[0]])
    bad = Empirical(pts, mid.weights)
    err = max(abs(space.distance(mu, bad) - 0.5 * D), abs(space.distance(bad, nu) - 0.5 * D)) / D
    return Evidence(err <= 1e-12, err, 1e-12, "the W_2 midpoint of two 8-atom clouds with one atom 1e-6 of its path too far",
                    "relative |W(μ, z) − D/2| and |W(z, ν) − D/2|")


register(
    id="W7",
    title="geodesics: displacement interpolation",
    statement="The displacement interpolation along an optimal coupling has W_p(μ, μ_s) = s W_p(μ, ν) and W_p(μ_s, ν) = (1 − s) W_p(μ, ν).",
    hypotheses="p ∈ {1, 2, ∞}; exact couplings",
    section="W7",
    check=lambda pr: _w7(pr, False),
    negative=lambda pr: all_rejected([_w7(pr, True), _w7_one_atom(pr)]),
    negative_description="the mixture (1 − s)μ + sν (W_∞(μ, mixture) = W_∞(μ, ν); W_p(δ_0, mixture) = s^{1/p}); and "
                         "the W_2 midpoint with one atom 1e-6 of its path too far",
    source=SRC,
)


# ------------------------------------------------------------------------------------------------ W8
def _w8(profile: str, method: str, bias: float = 0.0) -> Evidence:
    """``bias``: the exact slope raised by that relative amount in the one case d = 8, p = 1.5 (a minimal control)."""
    hs = [1e-2 * 2.0**-j for j in range(4)]
    dims = (2, 4, 8)
    orders, lines = [], []
    for d in dims:
        rng = np.random.default_rng(80 + d)
        B = rng.normal(size=(d, d))
        E = ms.Quadratic(B @ B.T / d + np.eye(d), rng.normal(size=d))
        x = rng.normal(size=(2 if profile == "fast" else 6, d))
        for p in (1.0, 1.5, 2.0, 3.0, math.inf):
            space = ms.Lp(p)
            exact = np.asarray(ms.slope(E, space, x)) * (1 + bias if (d, p) == (8, 1.5) else 1.0)
            errs = [float(np.max(np.abs(np.asarray(ms.numerical_slope(E, space, x, h, method=method)) - exact) / exact)) for h in hs]
            o = _order(errs)
            orders.append(o)
            if o < 0.9:
                lines.append(f"d={d}, p={p:g}: order {o:.2f}, error {errs[-1]:.1e}")
    worst = min(orders)
    return Evidence(worst >= 0.9, worst, 0.9,
                    f"C² quadratics, p ∈ {{1, 1.5, 2, 3, ∞}}, d ∈ {{2, 4, 8}}, h = 1e-2 … {hs[-1]:.2g}, method={method!r}",
                    f"smallest observed order {worst:.2f} over {len(orders)} (d, p) cases (must be >= 0.9)"
                    + ("; stalls: " + "; ".join(lines[:4]) if lines else ""))


register(
    id="W8",
    title="the numerical slope converges in every ℓp",
    statement="For C² energies on (ℝ^d, ‖·‖_p), p ∈ {1, 1.5, 2, 3, ∞}, d ∈ {2, 4, 8}, the gradient-free numerical slope converges to ‖∇E‖_* at order ≥ 0.9.",
    hypotheses="E ∈ C²",
    section="W8",
    check=lambda pr: _w8(pr, "dual"),
    negative=lambda pr: all_rejected([_w8(pr, "sample"), _w8(pr, "dual", 1e-4)]),
    negative_description="the sample-only estimate (a finite sphere sample), which stalls; and the exact slope raised "
                         "by 1e-4 (relative) in the one case d = 8, p = 1.5",
    source=SRC,
)
