"""Claims C1–C9, C12, C13: curves, slopes, steepest sets and one-step facts in (R^d, ‖·‖_p)."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, cast

import numpy as np
import sympy as sp

import maxslope as ms
from maxslope import Lp, Trajectory
from maxslope.checks import check_curve_of_maximal_slope, check_energy_dissipation, check_speed, check_upper_gradient
from maxslope.exact import (
    ascent_flow,
    l1norm_flow,
    l2_centered_quadratic_flow,
    linear_flow,
    separable_quadratic_flow,
    sliding_flow,
    sliding_lazy_curve,
)
from maxslope.exact.closed_form import T_SYM, ClosedFormFlow, Piece
from maxslope.schemes import ExactInner, minimizing_movement, p_step, steepest_descent

from ._common import LINF, HalfStep, all_hold, all_rejected, one_step_faster, sample, taus
from .registry import Evidence, Plot, register

# ---------------------------------------------------------------------------------------------------- C1


def _c1_measure(trajs: list[Trajectory]) -> Evidence:
    res = [check_speed(t, LINF) for t in trajs]
    worst = max(r.measured for r in res)
    # the report's counts: ℓ∞ has no coupling bound, so every one of the K consecutive pairs is measured exactly
    miscounted = sum(not (r.details["pairs"] == t.n_steps and r.details["exact"] == t.n_steps and r.details["certified"] == 0
                          and float(np.max(r.details["max_speed_per_step"])) == r.measured) for t, r in zip(trajs, res, strict=True))
    return Evidence(all(r.passed for r in res) and not miscounted, worst, res[0].tolerance, f"{len(trajs)} trajectories (MMS, signed GD, closed forms)",
                    f"max_k d(x^{{k+1}},x^k)/tau; results whose pair counts or per-step speeds are wrong: {miscounted}")


def _c1_all_pairs(stretch: float = 0.0) -> Evidence:
    """The speed check over all pairs of nodes in ℓ∞ (a space with no coupling bound, so nothing is certified and
    every pair is measured): the sliding flow at 30 steps is 1-Lipschitz between any two nodes, K(K+1)/2 = 465
    pairs. ``stretch`` lengthens step 12 by that relative amount (the control: 1e-9)."""
    s = sliding_flow()
    tr = sample(s, 30)
    if stretch:
        tr = one_step_faster(tr, 12, 1 + stretch)
    K = tr.n_steps
    r = check_speed(tr, LINF, pairs="all")
    counted = (r.details["pairs"], r.details["certified"], r.details["exact"], r.details["max_speed_per_step"])
    ok = r.passed and counted == (K * (K + 1) // 2, 0, K * (K + 1) // 2, None)
    return Evidence(ok, r.measured, r.tolerance, f"the sliding flow at {K} steps, all pairs of nodes"
                    + (f", step 12 {stretch:g} too long" if stretch else ""),
                    f"{r}; pairs, certified, exact: {counted[:3]}")


def _c1_check(profile: str) -> Evidence:
    q = separable_quadratic_flow([1, 2, 3], [0.73, -0.41, 0.05])
    s = sliding_flow()
    trajs = []
    for tau in taus(profile):
        for f in (q, s):
            trajs.append(minimizing_movement(f.energy, LINF, f.x0, tau, steps=round(0.8 / tau)))
            trajs.append(steepest_descent(f.energy, LINF, f.x0, tau, steps=round(0.8 / tau)))
    trajs += [sample(q), sample(s)]
    return all_hold([_c1_measure(trajs), _c1_float32(), _c1_torch(), _c1_all_pairs()])


def _c1_float32(stretch: float = 0.0) -> Evidence:
    """Signed GD computed in float32 (NumPy): every step is τ up to float32 rounding, and the speed check must
    allow that rounding in the curve's own dtype (the steps are off by 2.4e-7 relative here, far above float64's
    allowance). ``stretch``
    lengthens step 6 of 10 by that relative amount (the minimal control: 1e-4, 2.5 times the allowance of
    4e-5, which is 8√d float32 roundings of the quotient)."""
    q = separable_quadratic_flow([1, 2, 3], [0.73, -0.41, 0.05])
    gd = steepest_descent(q.energy, LINF, np.asarray(q.x0, dtype=np.float32), float(np.float32(0.05)), steps=10)
    if stretch:
        P = np.array(gd.points, copy=True)
        P[6:] += np.float32(stretch) * (P[6] - P[5])
        gd = Trajectory(gd.times, P)
    r = check_speed(gd, LINF)
    what = f"step 6 of 10 {stretch:g} too long" if stretch else "10 steps"
    # the scheme stays in float32 only if every energy does: value and gradient in the input's dtype
    x = np.array([[0.5, -0.25], [1.0, 2.0]], dtype=np.float32)
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    energies = [ms.Linear(np.array([1.0, -2.0]), 0.5), ms.Quadratic(A, np.array([0.3, -0.2]), 0.5), ms.SeparableQuadratic([1.0, 3.0], 0.1),
                ms.L1Norm(2, np.array([0.1, -0.1]), np.array([1.0, 2.0])), ms.Quadratic(A) + ms.Linear(np.array([1.0, 0.5])), -ms.Quadratic(A)]
    wide = [type(E).__name__ for E in energies if E.value(x).dtype != np.float32 or E.grad(x).dtype != np.float32]
    return Evidence(r.passed and gd.points.dtype == np.float32 and not wide, r.measured, r.tolerance,
                    f"signed GD in float32, τ = 0.05, {what}; value and gradient of six energies in float32",
                    f"{r}; energies that left float32: {wide or 'none'}")


def _c1_torch(moved: bool = False) -> Evidence:
    """Where torch is installed: signed GD (ℓ∞, ℓ1, ℓ2) of a :class:`~maxslope.TorchEnergy` on float32 tensors
    stays in torch float32 and gives the iterates of the NumPy float32 run of the same energy
    (``SeparableQuadratic``) bit for bit (autograd's gradient λx and NumPy's are one rounding; sign, clamp and the
    step are exact), and the speed check accepts the tensor curve. ``moved`` moves one coordinate of one ℓ1 iterate
    by one float32 ulp (the minimal control)."""
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        return Evidence(True, 0.0, 0.0, "TorchEnergy (skipped: torch is not installed)", "")
    import torch

    lam = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float32)
    E = ms.TorchEnergy(lambda x: (lam * x * x).sum(-1) / 2, dim=3)
    x0 = np.array([[0.73, -0.41, 0.05], [0.2, 0.0, -0.3]], dtype=np.float32)
    wrong = []
    speed = None
    for q in (math.inf, 1.0, 2.0):
        t = steepest_descent(E, Lp(q), torch.from_numpy(x0.copy()), float(np.float32(0.05)), steps=10)
        n = steepest_descent(ms.SeparableQuadratic([1.0, 2.0, 3.0]), Lp(q), x0, float(np.float32(0.05)), steps=10)
        if not isinstance(t.points, torch.Tensor) or t.points.dtype != torch.float32:
            wrong.append(f"ℓ{q:g}: iterates left torch float32 ({type(t.points).__name__})")
            continue
        P = t.points.numpy().copy()
        if moved and q == 1.0:
            P[4, 1, 2] = np.nextafter(P[4, 1, 2], np.float32(np.inf))
        if not np.array_equal(P, n.points):
            wrong.append(f"ℓ{q:g}: {int(np.count_nonzero(P != n.points))} coordinates differ from the NumPy run")
        if q == math.inf:
            speed = check_speed(t, LINF)
            if not speed.passed:
                wrong.append(str(speed))
    return Evidence(not wrong, len(wrong), 0.5, "signed GD of a TorchEnergy on float32 tensors (ℓ∞, ℓ1, ℓ2) against the "
                    "NumPy float32 run" + ("; one ℓ1 coordinate moved one ulp" if moved else ""),
                    "; ".join(wrong) or f"bit for bit, torch float32; {speed}")


def _c1_negative(profile: str) -> Evidence:
    s = sliding_flow()
    fast = steepest_descent(s.energy, LINF, s.x0, 0.15, steps=8)  # steps of 0.15 recorded as if tau = 0.1
    everywhere = replace(_c1_measure([Trajectory(np.arange(9) * 0.1, fast.points)]), test_case="signed GD at speed 1.5")
    mms = minimizing_movement(s.energy, LINF, s.x0, 0.1, steps=8)
    one = replace(_c1_measure([one_step_faster(mms, 5, 1 + 1e-9)]), test_case="exact MMS with step 6 of 8 1e-9 too long")
    controls = [everywhere, one, _c1_float32(1e-4), _c1_all_pairs(1e-9)]
    import importlib.util

    if importlib.util.find_spec("torch") is not None:
        controls.append(_c1_torch(moved=True))
    return all_rejected(controls)


register(
    id="C1",
    title="speed bound",
    statement="Every ∞-curve is 1-Lipschitz: ‖u(t) − u(s)‖ ≤ |t − s|; MMS and semi-implicit steps have length ≤ τ, in "
    "float64, in float32 and, where torch is installed, on torch tensors (TorchEnergy); the check over all pairs of nodes "
    "measures every pair where the space has no coupling bound.",
    hypotheses="none beyond the definitions",
    section="§2 C1",
    check=_c1_check,
    negative=_c1_negative,
    negative_description="signed GD with steps 0.15 recorded at spacing τ = 0.1 (speed 1.5); an exact MMS with one of its eight steps "
    "stretched by 1e-9; signed GD in float32 with one of its ten steps 1e-4 too long (2.5 times the float32 allowance); "
    "where torch is installed, the TorchEnergy run with one coordinate of one ℓ1 iterate moved one float32 ulp; the "
    "sliding flow at 30 steps with step 12 stretched by 1e-9, checked over all pairs",
)

# ---------------------------------------------------------------------------------------------------- C2

_C2_FLOWS = [
    lambda: linear_flow([1, -2, 0.5], [0, 0, 0]),
    lambda: separable_quadratic_flow([1, 2, 3], [0.73, -0.41, 0.05]),
    lambda: l1norm_flow([0.73, -0.41, 0.05]),
    lambda: ascent_flow([0.3, -0.2]),
    lambda: sliding_flow(),
    lambda: l2_centered_quadratic_flow([0.3, 0.4]),
]


def _c2_measure(flows: list[ClosedFormFlow]) -> Evidence:
    sym_ok = all(f.verify_symbolic().holds for f in flows)
    res = [check_energy_dissipation(sample(f), f.energy, f.space) for f in flows]
    worst = max(r.measured for r in res)
    tol = min(r.tolerance for r in res)
    return Evidence(
        sym_ok and all(r.passed for r in res), worst, tol,
        f"{len(flows)} closed-form curves (linear, quadratic, ℓ1, ascent, sliding, ℓ2), 400 samples each",
        f"symbolic EDE residual zero on every piece: {sym_ok}; numeric max |R| over samples",
        [Plot("line", "EDE residual along the sliding flow" if len(flows) > 1 else "EDE residual", list(res[-1].details["times"]), {"R(t)": list(res[-1].details["residual"])}, "t", "R(t)")],
    )


def _l2_direction_in_linf() -> ClosedFormFlow:
    f = linear_flow([1, -2, 0.5], [0, 0, 0])
    a = sp.Matrix([1, -2, sp.Rational(1, 2)])
    return ClosedFormFlow.from_pieces("x0 − t a/|a|_2 under ℓ∞", f, [Piece(sp.Integer(0), sp.Integer(1), -T_SYM * a / a.norm())])


def _c2_one_step_slow() -> Evidence:
    """Minimal control: the sliding flow sampled at 400 steps, with one step (the 200th) 1e-6 slower."""
    s = sliding_flow()
    r = check_energy_dissipation(one_step_faster(sample(s), 200, 1 - 1e-6), s.energy, s.space)
    return Evidence(r.passed, r.measured, r.tolerance, "the sliding flow with one of its 400 steps 1e-6 slower", str(r))


def _c2_batch(slow: float) -> Evidence:
    """A batch of two exact linear flows of one energy, one far from the origin (E ≈ 3.5e4) and one at it, with
    step 200 of the near column slowed by the factor ``1 - slow``. The batch is judged column by column: the far
    column's rounding allowance (2e-7) must not cover the near column's residual (8.8e-9 at slow = 1e-6), and the
    rejection must name the near column, at or after the end of step 200 (a mislocated rejection counts as
    accepted)."""
    far, near = linear_flow([1, -2, 0.5], [1e4, -1e4, 1e4]), linear_flow([1, -2, 0.5], [0, 0, 0])
    a, b = sample(far), sample(near)
    tr = Trajectory(a.times, np.stack([a.points, b.points], axis=1))
    if slow:
        tr = one_step_faster(tr, 200, 1 - slow, atom=1)
    r = check_energy_dissipation(tr, far.energy, far.space)
    what = f"one of its 400 steps {slow:g} slower" if slow else "both exact"
    # a rejection counts only where it is located: the near column (1), not before the end of the slowed step 200
    # (R is cumulative: it jumps there and stays, up to rounding, so its largest |R| may lie at any later node)
    located = r.details["column"] == 1 and r.worst_location is not None and r.worst_location >= float(a.times[201])
    return Evidence(r.passed or (bool(slow) and not located), r.measured, r.tolerance,
                    f"a batch of two linear flows, one at |x| = 1e4, the near one with {what}",
                    f"{r}; column {r.details['column']}, t = {r.worst_location}" + ("" if located or not slow else " (mislocated)"))


class _Duck:
    """An energy by the protocol only (``value`` and ``grad``, no :class:`maxslope.Energy` base), as a user's own
    class would be."""

    def __init__(self, E: Any) -> None:
        self._E = E

    def value(self, x: Any) -> Any:
        return self._E.value(x)

    def grad(self, x: Any) -> Any:
        return self._E.grad(x)


def _c2_duck() -> Evidence:
    """The EDE residual of the sliding flow with its energy passed by the protocol only: the same as with the
    Energy itself, bit for bit."""
    s = sliding_flow()
    tr = sample(s)
    a, b = check_energy_dissipation(tr, s.energy, s.space), check_energy_dissipation(tr, _Duck(s.energy), s.space)
    same = bool(np.array_equal(a.details["residual"], b.details["residual"]))
    return Evidence(b.passed and same, b.measured, b.tolerance, "the sliding flow with a duck-typed energy (value and grad only)",
                    f"{b}; identical residual to the Energy's: {same}")


def _c2_arrays() -> Evidence:
    """A closed-form flow built from NumPy arrays is the flow built from lists: the same pieces, exactly."""
    a = separable_quadratic_flow(np.array([1.0, 2.0, 3.0]), np.array([0.73, -0.41, 0.05]))  # type: ignore[arg-type]  # arrays on purpose
    b = separable_quadratic_flow([1, 2, 3], [0.73, -0.41, 0.05])
    same = len(a.pieces) == len(b.pieces) and all(p.t0 == q.t0 and p.t1 == q.t1 and p.u == q.u for p, q in zip(a.pieces, b.pieces, strict=True))
    return Evidence(same, 0.0 if same else 1.0, 0.5, "the separable-quadratic flow from NumPy arrays and from lists",
                    f"identical pieces: {same}")


def _c2_closed_forms(wrong_centre: bool = False) -> Evidence:
    """The closed-form flows that C2's curves come from, against their formulas written here: ℓ∞ flows of
    ½Σλ_i(x_i − c_i)² and of |x|₁ move each coordinate towards c_i at unit speed, u_i(t) = c_i + sign(x_i − c_i)
    (|x_i − c_i| − t)^+; the ℓ2 flow of ½|x − c|² is c + (x₀ − c)(1 − t/ρ)^+, ρ = |x₀ − c|₂; the default horizon
    is the arrival time + 1/4 and the default centre 0. ``wrong_centre`` writes the first formula with −c (the
    control)."""
    x0, c = np.array([0.73, -0.41, 0.05]), np.array([0.2, 0.1, -0.3])
    cw = -c if wrong_centre else c
    cases = [
        ("separable quadratic, centre c", separable_quadratic_flow([1, 2, 3], x0.tolist(), center=c.tolist()),
         lambda t: cw + np.sign(x0 - cw) * np.maximum(np.abs(x0 - cw) - t[:, None], 0.0), float(np.max(np.abs(x0 - cw))) + 0.25),
        ("ℓ1 norm", l1norm_flow(x0.tolist()), lambda t: np.sign(x0) * np.maximum(np.abs(x0) - t[:, None], 0.0), float(np.max(np.abs(x0))) + 0.25),
        ("ℓ2, default centre", l2_centered_quadratic_flow([0.3, 0.4]), lambda t: np.outer(np.maximum(1 - t / 0.5, 0.0), [0.3, 0.4]), 0.75),
        ("ℓ2, centre (0.1, −0.2)", l2_centered_quadratic_flow([0.3, 0.4], [0.1, -0.2]),
         lambda t: np.array([0.1, -0.2]) + np.outer(np.maximum(1 - t / math.hypot(0.2, 0.6), 0.0), [0.2, 0.6]), math.hypot(0.2, 0.6) + 0.25),
    ]
    gap = 0.0
    for _name, flow, formula, T in cases:
        t = np.linspace(0.0, float(flow.T), 41)
        gap = max(gap, float(np.max(np.abs(flow(t) - formula(t)))), abs(float(flow.T) - T))
    return Evidence(gap <= 1e-14, gap, 1e-14, "four closed-form flows (separable quadratic with a centre, ℓ1 norm, ℓ2 "
                    "quadratic with the default and a given centre) against their formulas, default horizons"
                    + ("; the first formula with the centre negated" if wrong_centre else ""), f"largest difference {gap:.1e}")


def _c2_float32(slow: float = 0.0) -> Evidence:
    """The sliding flow sampled at 40 steps and stored in float32: the check evaluates the energy and its slope in
    the curve's own dtype (float32 in, float64 out) and allows float32 rounding, 64·N·eps₃₂ times the energy scale
    (6.8e-4 here; the measured residual is 3e-8, so the allowance is loose, not tight). ``slow`` slows step 20 by
    that factor (the control: 0.1 leaves a residual of 2.5e-3, 3.7 times the allowance)."""
    s = sliding_flow()
    tr = sample(s, 40)
    if slow:
        tr = one_step_faster(tr, 20, 1 - slow)
    seen: set[str] = set()

    class Recording:  # the sliding energy as a user's duck energy that records the dtype it is called with
        smooth, dim = s.energy.smooth, 2

        def value(self, x: Any) -> Any:
            seen.add(str(x.dtype))
            return s.energy.value(x)

        def grad(self, x: Any) -> Any:
            seen.add(str(x.dtype))
            return s.energy.grad(x)

    r = check_energy_dissipation(Trajectory(tr.times, np.asarray(tr.points, dtype=np.float32)), Recording(), s.space)
    return Evidence(r.passed and seen == {"float32"}, r.measured, r.tolerance, "the sliding flow at 40 steps in float32"
                    + (f", step 20 {slow:g} slower" if slow else "") + ", the energy called in float32 only",
                    f"{r}; the energy was called with {sorted(seen)}")


def _c2_check(profile: str) -> Evidence:
    return all_hold([_c2_measure([f() for f in _C2_FLOWS]), _c2_batch(0.0), _c2_duck(), _c2_arrays(), _c2_closed_forms(), _c2_float32()])


def _c2_negative(profile: str) -> Evidence:
    return all_rejected([_c2_measure([_l2_direction_in_linf()]), _c2_one_step_slow(), _c2_batch(1e-6), _c2_closed_forms(True), _c2_float32(0.1)])


register(
    id="C2",
    title="energy-dissipation equality",
    statement="E(u(s)) − E(u(t)) = ∫_s^t ‖∇E(u(r))‖_* dr for every ∞-curve of maximal slope.",
    hypotheses="E ∈ C¹ (or convex with the minimal-norm slope)",
    section="§1.3, §2 C2",
    check=_c2_check,
    negative=_c2_negative,
    negative_description="the unit-speed ℓ2-normalized direction under ℓ∞ for E = ⟨a, x⟩ (not the steepest one); and "
                         "the sliding flow with one of its 400 steps 1e-6 slower; and one column of a batch of two linear "
                         "flows with one step 1e-6 slower, beside a column at |x| = 1e4 whose rounding allowance is 23 "
                         "times that violation (each column is judged on its own budget; the rejection must name that column and "
                         "a time at or after the slowed step); and the separable quadratic's formula written with the centre "
                         "negated, against the library's flow; and the sliding flow in float32 at 40 steps with step 20 10 % slower",
)

# ---------------------------------------------------------------------------------------------------- C3


def _random_lipschitz_curves(rng: np.random.Generator, n: int, d: int, K: int) -> Trajectory:
    """n random piecewise-linear curves on [0, 1] with ℓ∞ speed ≤ 1 (K steps each)."""
    steps = rng.uniform(-1, 1, size=(K, n, d))
    x0 = rng.normal(size=(1, n, d))
    return Trajectory(np.linspace(0, 1, K + 1), np.concatenate([x0, x0 + np.cumsum(steps / K, axis=0)]))


def _c3_energy() -> ms.Energy:
    return ms.Quadratic(np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([0.3, -0.2]))


def _c3_check(profile: str) -> Evidence:
    rng = np.random.default_rng(0)
    E = _c3_energy()
    curves = _random_lipschitz_curves(rng, 50 if profile == "fast" else 500, 2, 40)
    ug = check_upper_gradient(curves, E, LINF)
    # the non-optimal direction v = ∇E/|∇E|_2 (constant, frozen at x0) is 1-Lipschitz but not a flow
    lin = ms.Linear(np.array([1.0, -2.0]))
    t = np.linspace(0, 1, 201)
    v = np.array([1.0, -2.0]) / math.sqrt(5)
    slow = Trajectory(t, -t[:, None] * v)
    ede = check_energy_dissipation(slow, lin, LINF)
    R = float(ede.details["residual"][-1])
    ok = ug.passed and (not ede.passed) and R < 0
    return Evidence(ok, ug.measured, ug.tolerance, "random 1-Lipschitz curves (ℓ∞) for a quadratic; ℓ2 direction for ⟨a,x⟩",
                    f"max upper-gradient violation {ug.measured:.2e}; the ℓ2-direction curve has R(1) = {R:.4f} < 0 (strict), so it is not a flow")


def _c3_negative(profile: str) -> Evidence:
    E = _c3_energy()
    f = steepest_descent(E, LINF, np.array([1.0, -1.0]), 0.01, steps=60)
    ug = check_upper_gradient(f, E, LINF, slope=lambda x: 0.5 * np.sum(np.abs(E.grad(x)), axis=-1))
    half = Evidence(ug.passed, ug.measured, ug.tolerance, "steepest-descent curve with the halved slope ½‖∇E‖₁ offered as upper gradient")
    # minimal control: along the exact flow the inequality is an equality, so a slope only 1e-6 too small fails
    q = separable_quadratic_flow([1, 2, 3], [0.73, -0.41, 0.05])
    tight = check_upper_gradient(sample(q), q.energy, LINF,
                                 slope=lambda x: (1 - 1e-6) * np.sum(np.abs(q.energy.grad(x)), axis=-1))
    one = Evidence(tight.passed, tight.measured, tight.tolerance,
                   "the exact flow of ½Σλᵢxᵢ² with the slope (1 − 1e-6)‖∇E‖₁ offered as upper gradient")
    return all_rejected([half, one, _c3_one_place()])


def _c3_one_place(delta: float = 1e-6) -> Evidence:
    """Minimal control with a place: along the exact linear flow, the slope offered is ‖∇E‖₁ lowered by the factor
    1 − δ·exp(−((x₁ − 0.5)/0.01)²) only near x₁ = 0.5 (t = 0.5), in one of two batch columns. The inequality
    then fails near t = 0.5 only, and the check must say so: it is rejected only if it fails and points at a step
    within 0.02 of t = 0.5 in column 1."""
    a = np.array([1.0, -2.0, 0.5])
    lin = ms.Linear(a)
    t = np.linspace(0.0, 1.0, 401)
    ray = -t[:, None] * np.sign(a)  # the ∞-flow of ⟨a, x⟩ from 0
    tr = Trajectory(t, np.stack([ray + np.array([0.0, 3.0, 0.0]), ray], axis=1))
    bump = lambda x: 1 - delta * np.exp(-(((x[..., 0] + 0.5) / 0.01) ** 2))  # noqa: E731  (x₁ = −t on the ray)
    r = check_upper_gradient(tr, lin, LINF, slope=lambda x: np.sum(np.abs(lin.grad(x)), axis=-1) * bump(x))
    placed = r.worst_location is not None and abs(r.worst_location - 0.5) <= 0.02 and r.details["column"] == 1
    return Evidence(r.passed or not placed, r.measured, r.tolerance,
                    f"the exact linear flow in column 1 of 2 with the slope lowered by {delta:g} near t = 0.5 only",
                    f"{r}; located at t = {r.worst_location:.4f}, column {r.details['column']}")


register(
    id="C3",
    title="upper-gradient inequality",
    statement="For every 1-Lipschitz curve, E(u(s)) − E(u(t)) ≤ ∫ ‖∇E(u)‖_* |u'| dr ≤ ∫ ‖∇E(u)‖_* dr; strict inequality ⇒ not a flow.",
    hypotheses="E ∈ C¹",
    section="§1.2, §2 C3",
    check=_c3_check,
    negative=_c3_negative,
    negative_description="half the slope, ½‖∇E‖₁, is not an upper gradient: the inequality must fail along a steepest "
                         "curve; so must (1 − 1e-6)‖∇E‖₁ along the exact flow; and a slope 1e-6 too small near one "
                         "point of the exact linear flow, in one column of a batch, which the check must locate (the "
                         "step within 0.02 of t = 0.5 and the column)",
)

# ---------------------------------------------------------------------------------------------------- C4


def _c4_measure(flow: ClosedFormFlow) -> Evidence:
    traj = sample(flow, 800)
    res = check_curve_of_maximal_slope(traj, flow.energy, LINF)
    incl = res.parts[-1]
    return Evidence(res.passed, incl.measured, incl.tolerance, f"{flow.name}, 800 samples",
                    f"∫ r dt = {incl.measured:.2e}, max speed {incl.details['max_speed']:.6f}")


def _c4_parts(traj: Trajectory, E: Any, space: Any, p: float = math.inf) -> list[str]:
    """Where ``check_curve_of_maximal_slope`` differs from its parts called on their own, with their defaults:
    ``check_speed`` (p = ∞), ``check_energy_dissipation`` and ``check_differential_inclusion``, compared by verdict,
    measurement, tolerance, location and printed form (the combined check promises to be their conjunction)."""
    from maxslope.checks import check_differential_inclusion

    combined = check_curve_of_maximal_slope(traj, E, space, p=p)
    # on a curve of measures the combined check reuses the exact W_p of each step that its EDE part measures, so its
    # speed part is the exact one (certify=False), not the coupling bound
    alone = ([check_speed(traj, space, certify=not traj.is_measure_curve)] if p == math.inf else []) + [check_energy_dissipation(traj, E, space, p=p),
                                                                     check_differential_inclusion(traj, E, space, p=p)]
    if len(combined.parts) != len(alone):
        return [f"{len(combined.parts)} parts instead of {len(alone)}"]
    wrong = [f"{a.name}: {b} vs {a}" for a, b in zip(alone, combined.parts, strict=True)
             if (a.passed, a.measured, a.tolerance, a.worst_location, str(a)) != (b.passed, b.measured, b.tolerance, b.worst_location, str(b))]
    # the inclusion part states its speed condition |u'| <= 1 exactly where it checks one (p = ∞)
    reason = alone[-1].tolerance_reason
    if ("|u'| <= 1" in reason) != (p == math.inf):
        wrong.append(f"the inclusion check's tolerance reason {reason!r} for p = {p:g}")
    return wrong


def _c4_conjunction(profile: str, bump: float = 0.0) -> Evidence:
    """The combined check is exactly its parts, on the sliding flow (ℓ∞) and a W_2 particle flow (p = 2).
    ``bump`` (the minimal control) moves one coordinate of one node of the ℓ∞ curve by that much in the combined
    check only: the comparison must see it."""
    from maxslope.wasserstein import Empirical, PotentialEnergy, Wasserstein

    s = sliding_flow()
    traj = sample(s, 200)
    if bump:
        moved = np.array(traj.points, dtype=np.float64, copy=True)
        moved[100, 0] += bump
        combined = check_curve_of_maximal_slope(Trajectory(traj.times, moved), s.energy, LINF)
        alone = [check_speed(traj, LINF), check_energy_dissipation(traj, s.energy, LINF)]
        wrong = [a.name for a, b in zip(alone, combined.parts, strict=False) if (a.measured, str(a)) != (b.measured, str(b))]
    else:
        mu = Empirical(np.array([[0.4, -0.2], [-0.3, 0.5], [0.1, 0.9]]), np.array([0.5, 0.3, 0.2]))
        t = np.linspace(0.0, 1.0, 41)
        w2 = Trajectory(t, np.exp(-t)[:, None, None] * mu.points[None], weights=mu.weights)
        a = np.array([1.0, -2.0])  # the W_∞ flow of the potential ⟨a, x⟩ over ℓ∞: every atom moves by −t·sign(a)
        winf = Trajectory(t, mu.points[None] - t[:, None, None] * np.sign(a), weights=mu.weights)
        wrong = (_c4_parts(traj, s.energy, LINF) + _c4_parts(w2, PotentialEnergy(ms.SeparableQuadratic(np.ones(2))), Wasserstein(2.0, Lp(2.0)), 2.0)
                 + _c4_parts(winf, PotentialEnergy(ms.Linear(a)), Wasserstein(math.inf, LINF)))
    return Evidence(not wrong, len(wrong), 0.5, "check_curve_of_maximal_slope against its parts called alone "
                    "(sliding flow in ℓ∞; a W_2 particle flow with p = 2; a W_∞ particle flow over ℓ∞)"
                    + (f"; the combined check on the curve with one coordinate moved {bump:g}" if bump else ""),
                    "; ".join(wrong) or "identical verdicts, measurements, tolerances, locations and printed forms")


def _c4_locate() -> Evidence:
    """The inclusion check locates a defect at the end of its step: E = ⟨a, x⟩, a = (1, −2), in ℓ∞, the exact flow
    x(t) = x₀ − t·sign(a) on 16 steps of 1/16 with step 6 at half speed. In dyadic arithmetic the residual
    ⟨a, u̇⟩ + ‖a‖₁ is exactly 0 on every other step and 3/2 on step 6, so the integrated residual first reaches its
    maximum at t₇ = 7/16: the check must fail and report ``worst_location`` 7/16 (the time at which the defect is
    complete, as ``check_energy_dissipation`` reports it)."""
    from maxslope.checks import check_differential_inclusion

    a = np.array([1.0, -2.0])
    t = np.arange(17) / 16
    v = -np.sign(a) * np.where(np.arange(16) == 6, 0.5, 1.0)[:, None]
    x = np.concatenate([np.array([[0.5, 0.25]]), np.array([0.5, 0.25]) + np.cumsum(v / 16, axis=0)])
    r = check_differential_inclusion(Trajectory(t, x), ms.Linear(a), LINF)
    return Evidence(not r.passed and r.worst_location == 7 / 16 and r.measured == 1.5 / 16, abs((r.worst_location or 0.0) - 7 / 16), 0.0,
                    "E = ⟨a, x⟩ in ℓ∞, 16 dyadic steps of the exact flow, step 6 at half speed: the inclusion check's "
                    "verdict, measurement (3/32) and location (t = 7/16)",
                    f"{r}; located at t = {r.worst_location}")


def _c4_check(profile: str) -> Evidence:
    return all_hold([_c4_measure(sliding_flow()), _c4_conjunction(profile), _c4_locate()])


def _c4_negative(profile: str) -> Evidence:
    # minimal control: the exact flow with one of its 800 steps 1e-6 slower (u̇ leaves the steepest set there)
    s = sliding_flow()
    res = check_curve_of_maximal_slope(one_step_faster(sample(s, 800), 400, 1 - 1e-6), s.energy, LINF)
    incl = res.parts[-1]
    one = Evidence(res.passed, incl.measured, incl.tolerance, "the sliding flow with one of its 800 steps 1e-6 slower",
                   f"∫ r dt = {incl.measured:.2e}")
    return all_rejected([_c4_measure(sliding_lazy_curve()), one, _c4_conjunction(profile, 1e-9)])


register(
    id="C4",
    title="differential inclusion ⇔ EDE",
    statement="u̇ ∈ −∂‖·‖_*(∇E(u)) a.e. ⇔ (‖u̇‖ ≤ 1 and ⟨∇E(u), u̇⟩ = −‖∇E(u)‖_*) ⇔ C2; the combined check is exactly "
    "the conjunction of the speed, EDE and inclusion checks, and the inclusion check locates a defect at the end of its step.",
    hypotheses="E ∈ C¹, u Lipschitz",
    section="§1.5, §4.5, §2 C4",
    check=_c4_check,
    negative=_c4_negative,
    negative_description="the 'lazy' selection u̇₁ = 0 where ∂₁E = 0 on the sliding example; and the exact flow with one "
                         "of its 800 steps 1e-6 slower; and the combined check run on the curve with one coordinate "
                         "moved 1e-9, which the comparison with the parts must see",
)

# ---------------------------------------------------------------------------------------------------- C5


def _c5_measure(profile: str, wrong: str = "") -> Evidence:
    """``wrong``: "" (the slope formula), "euclid" (|∇E|₂ offered in every geometry) or "one" (the ℓ1 slope offered
    1.5 tolerances too large at the finest h, the ℓ2 and ℓ∞ ones exact: a minimal control)."""
    E = ms.Quadratic(np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([1.0, -1.0]))
    x = np.array([0.3, -0.2])
    hs = [0.04, 0.02, 0.01, 0.005] + ([0.0025, 0.00125] if profile != "fast" else [])
    worst_ratio, series = 0.0, {}
    for p in (1.0, 2.0, math.inf):
        sp_ = Lp(p)
        s = float(ms.slope(E, sp_, x)) if wrong != "euclid" else float(np.linalg.norm(E.grad(x)))
        L = E.grad_lipschitz(sp_)
        assert L is not None
        tol = [(h / 2) * L + (3e-7 * s if p == 2.0 else 0.0) + 1e-12 for h in hs]
        if wrong == "one" and p == 1.0:  # the difference quotients of a convex E stay below the slope
            s += 1.5 * tol[-1]
        errs = [abs(float(ms.numerical_slope(E, sp_, x, h, n=4096)) - s) for h in hs]
        series[f"ℓ{'∞' if p == math.inf else int(p)}"] = errs
        worst_ratio = max(worst_ratio, max(e / t for e, t in zip(errs, tol, strict=True)))
    lin_err = max(abs(float(ms.numerical_slope(ms.Linear(np.array([1.0, -2.0, 0.5])), Lp(p), np.zeros(3), 0.1)) - v)
                  for p, v in ((math.inf, 3.5), (1.0, 2.0)))
    ok = worst_ratio <= 1.0 and (lin_err <= 1e-14 or wrong != "")
    case = {"": "", "euclid": "; |∇E|₂ offered as the slope", "one": "; the ℓ1 slope offered 1.5 tolerances too large"}[wrong]
    return Evidence(ok, worst_ratio, 1.0, "E = ½xᵀAx + bᵀx at x = (0.3, −0.2), ℓ1/ℓ2/ℓ∞, h = 0.04·2^−j; ⟨a,x⟩ exact" + case,
                    f"max error / (L h/2 + sampling) over h; linear-energy error {lin_err:.1e}",
                    [Plot("loglog", "numerical slope error vs h", hs, series, "h", "|numerical − exact|")])


def _c5_lipschitz(profile: str, inflate: float = 1.0) -> Evidence:
    """The constant L of the rate is the exact operator norm ‖A‖_{p→q} of the Hessian, not only an upper bound.

    Independent references: sympy's exact eigenvalues (p = 2), the extreme points of the unit ball (p = 1, ∞: a
    convex function of v peaks there), for two matrices whose off-diagonal signs differ (so that both sign
    vectors matter in ℓ∞) and a separable quadratic. ``inflate`` multiplies the library's constant (a control)."""
    import sympy as sp

    cases = [np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([[2.0, -1.0], [-1.0, 3.0]]), np.array([[1.5, -0.5], [-0.5, 0.25]])]
    worst = 0.0
    for A in cases:
        for E, H in ((ms.Quadratic(A), A), (ms.SeparableQuadratic(np.diag(A).copy()), np.diag(np.diag(A)))):
            for p in (1.0, 2.0, math.inf):
                L0 = E.grad_lipschitz(Lp(p))
                if L0 is None:  # the quadratics always know their constant; None would be a defect
                    return Evidence(False, math.inf, 1e-12, "grad_lipschitz of the quadratics", f"{type(E).__name__} returned None for Lp({p})")
                L = float(L0) * inflate
                if p == 2.0:
                    ref = float(max(abs(v) for v in sp.Matrix([[sp.nsimplify(h) for h in row] for row in H.tolist()]).eigenvals()))
                else:
                    V = Lp(p).extreme_points(2)
                    ref = float(np.max(np.linalg.norm(V @ H.T, ord=Lp(p).dual_exponent, axis=-1)))
                worst = max(worst, abs(L - ref) / ref)
    # composites: a linear term adds nothing, negation keeps the constant, a non-C^{1,1} summand has none
    composite = []
    A = cases[0]
    for p in (1.0, 2.0, math.inf):
        L = float(cast(float, ms.Quadratic(A).grad_lipschitz(Lp(p))))  # the quadratics' None was refused above
        for C in (ms.Quadratic(A) + ms.Linear(np.array([1.0, -2.0])), -ms.Quadratic(A)):
            Lc = C.grad_lipschitz(Lp(p))
            worst = max(worst, math.inf if Lc is None else abs(float(Lc) * inflate - L) / L)
        composite.append((ms.Quadratic(A) + ms.L1Norm(2)).grad_lipschitz(Lp(p)))
    if any(c is not None for c in composite):
        return Evidence(False, math.inf, 1e-12, "grad_lipschitz of a quadratic plus ‖x‖₁", f"a constant for a sum with a non-C^{{1,1}} term: {composite}")
    tol = 1e-12
    return Evidence(worst <= tol, worst, tol, "grad_lipschitz of three 2×2 quadratics and their separable parts, ℓ1/ℓ2/ℓ∞; "
                    "a quadratic plus a linear term, its negation, and plus ‖x‖₁ (no constant)",
                    f"max relative gap to the exact operator norm: {worst:.1e}")


def _c5_vertices(drop: bool = False) -> Evidence:
    """The finite sets the exact finite-difference slope maximizes over: the extreme points of the unit balls,
    {±1}^d for ℓ∞ (2^d of them) and {±e_i} for ℓ1 (2d), d = 1 … 5, compared as sets with those written here;
    ℓ2 and ℓ3 have none (None). ``drop`` leaves one vertex out of the ℓ∞ set of d = 3 (the control)."""
    import itertools

    wrong = []
    for d in range(1, 6):
        for p, want in ((math.inf, set(itertools.product((-1.0, 1.0), repeat=d))),
                        (1.0, {tuple(s * float(i == j) for j in range(d)) for i in range(d) for s in (-1.0, 1.0)})):
            got = {tuple(float(v) for v in row) for row in np.asarray(Lp(p).extreme_points(d))}
            if drop and p == math.inf and d == 3:
                got.discard((1.0, 1.0, 1.0))
            if got != want:
                wrong.append(f"ℓ{p:g}, d = {d}: {len(got)} points, {len(want)} expected")
        wrong += [f"ℓ{q:g}, d = {d}: not None" for q in (2.0, 3.0) if Lp(q).extreme_points(d) is not None]
    return Evidence(not wrong, len(wrong), 0.5, "the extreme points of the ℓ∞ and ℓ1 unit balls, d = 1 … 5"
                    + ("; one ℓ∞ vertex left out" if drop else ""), "; ".join(wrong) or "as the definitions say")


def _c5_check(profile: str) -> Evidence:
    return all_hold([_c5_measure(profile), _c5_lipschitz(profile), _c5_vertices()])


register(
    id="C5",
    title="slope formula",
    statement="|∂E|(x) = ‖∇E(x)‖_*; the difference quotient max_{‖v‖=1}(E(x) − E(x + hv))/h converges to it at rate O(h).",
    hypotheses="E ∈ C¹ (C² for the rate)",
    section="§1.2, §2 C5",
    check=_c5_check,
    negative=lambda pr: all_rejected([_c5_measure(pr, "euclid"), _c5_measure(pr, "one"), _c5_lipschitz(pr, 1 + 1e-9), _c5_vertices(True)]),
    negative_description="the Euclidean |∇E|₂ offered as the slope in every geometry; in ℓ1 only, the true slope "
                         "plus 1.5 tolerances of the finest h; and the rate constants L of the quadratics 1e-9 too large",
)

# ---------------------------------------------------------------------------------------------------- C6


def _c6_measure(profile: str, perturb: bool) -> Evidence:
    rng = np.random.default_rng(6)
    n = 300 if profile == "fast" else 3000
    xi = rng.integers(-2, 3, size=(n, 5)).astype(float)  # zeros and ties are common
    worst, accepted, total, wrong = 0.0, 0, 0, 0
    cases: list[tuple[float, list[Any]]] = [(math.inf, ["zero", 0.5, -1.0]), (1.0, ["first", "average"]), (2.0, [None]), (3.0, [None])]
    for p, sels in cases:
        L = Lp(p)
        nz = np.any(xi != 0, axis=-1)
        for sel in sels:
            v0 = L.steepest_direction(xi, selection=sel)
            v = v0
            if perturb:  # leave the face: shrink (p ≠ 1) or move mass off the tie set (p = 1)
                v = 0.9 * v0 if p != 1.0 else v0 + 0.2 * (np.abs(xi) < np.max(np.abs(xi), -1, keepdims=True)) * np.sign(xi)
            gap = np.abs(np.sum(xi * v, -1) - L.dual_norm(xi)) + np.maximum(L.norm(v) - 1, 0)
            worst = max(worst, float(gap[nz].max()))
            acc = L.in_steepest_set(v, xi)
            moved = nz & np.any(v != v0, axis=-1)
            accepted += int(acc[nz].sum())
            total += int(nz.sum())
            wrong += int(acc[moved].sum())  # a direction off the face that the test accepted
    if perturb:  # the control passes (wrongly) if any direction moved off the face was accepted
        return Evidence(wrong > 0, worst, 1e-12, f"{n} random ξ, every direction moved off its face, ℓ∞/ℓ1/ℓ2/ℓ3",
                        f"{wrong} directions off the face accepted")
    return Evidence(accepted == total, worst, 1e-12, f"{n} random ξ ∈ {{−2..2}}⁵ (zeros and ties), ℓ∞/ℓ1/ℓ2/ℓ3, all selections",
                    f"membership accepted for {accepted}/{total}; max |⟨ξ,v⟩ − ‖ξ‖_*| + (‖v‖ − 1)⁺")


def _c6_one_direction(profile: str, p: float = 2.0, factor: float = 1 - 1e-9) -> Evidence:
    """Minimal control: one ℓp steepest direction of 300 scaled by ``factor`` (the rest exact) must be rejected:
    in ℓ2 shrunk by 1e-9; in ℓ1 its mass 1 + 1e-10, twenty times the mass tolerance d·tol = 5e-12 of d = 5
    entries each off by at most tol (a tolerance that scaled with the batch, 300·tol, would accept it)."""
    rng = np.random.default_rng(6)
    xi = rng.integers(-2, 3, size=(300, 5)).astype(float)
    xi[xi.sum(-1) == 0] += 1.0
    L = Lp(p)
    v = L.steepest_direction(xi)
    v[137] *= factor
    acc = L.in_steepest_set(v, xi)
    # the tolerance shown is the membership test's: d·tol = 5e-12 on the ℓ1 mass, tol = 1e-12 elsewhere
    return Evidence(bool(acc[137]), abs(float(1 - np.sum(xi[137] * v[137]) / L.dual_norm(xi[137]))), 5e-12 if p == 1.0 else 1e-12,
                    f"one of 300 ℓ{p:g} steepest directions scaled by 1 {'-' if factor < 1 else '+'} {abs(1 - factor):.0e}",
                    f"the other 299 accepted: {bool(acc[np.arange(300) != 137].all())}")


def _c6_edges(flip: bool = False) -> Evidence:
    """At ξ = 0 the steepest set is the whole unit ball (the random ξ of :func:`_c6_measure` leave zero out), and
    next to a tie set of ℓ1 it is the tie set's simplex face. ``flip`` (the control) asks the opposite of one fact."""
    facts = [(1.0, [0.3, -0.2], [0.0, 0.0], True), (1.0, [0.6, -0.5], [0.0, 0.0], False),
             (1.0, [0.0, 1.0], [0.0, 2.0], True), (1.0, [0.5, 0.5], [0.0, 2.0], False),
             (math.inf, [0.3, -1.0], [0.0, 0.0], True), (math.inf, [1.1, 0.0], [0.0, 0.0], False),
             (2.0, [0.6, 0.8], [0.0, 0.0], True), (2.0, [0.6, 0.81], [0.0, 0.0], False)]
    if flip:
        facts[0] = (*facts[0][:3], False)
    wrong = [f"ℓ{p:g}: v = {v}, ξ = {xi}: {not want}" for p, v, xi, want in facts
             if bool(Lp(p).in_steepest_set(np.array(v), np.array(xi))) != want]
    return Evidence(not wrong, len(wrong), 0.5, "membership at ξ = 0 (the unit ball) in ℓ1, ℓ∞, ℓ2 and next to an ℓ1 tie"
                    + (" (one fact asked the other way)" if flip else ""), "; ".join(wrong) or "as the definitions say")


register(
    id="C6",
    title="dual-norm subdifferential",
    statement="v ∈ ∂‖·‖_*(ξ) ⇔ ‖v‖ ≤ 1 and ⟨ξ, v⟩ = ‖ξ‖_*; sign(ξ), ξ/|ξ|₂, the ℓp formula and one-hot argmax belong to it.",
    hypotheses="any norm",
    section="§1.5, §2 C6",
    # the ℓ1 mass tolerance is d·tol = 5e-12 from both sides: 1 + 4e-12 is accepted, 1 + 1e-10 (control) is not
    check=lambda pr: all_hold([_c6_measure(pr, False), _c6_edges(), _c6_one_direction(pr, 1.0, 1 + 4e-12)]),
    negative=lambda pr: all_rejected([_c6_measure(pr, True), _c6_one_direction(pr), _c6_one_direction(pr, 1.0, 1 + 1e-10), _c6_edges(True)]),
    negative_description="directions moved off the face (0.9·v, or ℓ1 mass off the tie set) must each be rejected by the "
                         "membership test; so must one ℓ2 direction of 300 shrunk by 1e-9, one ℓ1 direction of 300 "
                         "with mass 1 + 1e-10, and one membership fact at ξ = 0 asked the other way",
)

# ---------------------------------------------------------------------------------------------------- C7


def _c7_measure(profile: str, limit: float) -> Evidence:
    E = ms.SeparableQuadratic(np.array([1.0]))
    ps = [2, 4, 8, 16, 32, 64] + ([128, 256] if profile != "fast" else [])
    xs = [float(p_step(E, LINF, np.array([1.0]), 0.3, p)[0]) for p in ps]
    gaps = [abs(x - limit) for x in xs]
    # asymptotics: 1 − x = τ x^{1/(p−1)} ⇒ |x_p − 0.7| ≈ τ|ln 0.7|/(p − 1)
    tol = 1.05 * 0.3 * abs(math.log(0.7)) / (ps[-1] - 1) + 1e-12
    mono = all(b < a for a, b in zip(gaps, gaps[1:], strict=False))
    return Evidence(mono and gaps[-1] <= tol, gaps[-1], tol, f"E = x²/2, x^k = 1, τ = 0.3, p = {ps[0]}…{ps[-1]}; limit {limit}",
                    f"x_p = {', '.join(f'{x:.6f}' for x in xs)}; monotone approach: {mono}",
                    [Plot("loglog", "p-MMS step: distance to the ball step", [float(p) for p in ps], {"|x_p − 0.7|": gaps}, "p", "distance")])


def _c7_steps(shift: float = 0.0) -> Evidence:
    """Each p-step is the minimizer of E(y) + ‖y − x^k‖^p/(pτ^{p−1}) it claims to be, on every path of p_step:

    * p = 2 in ℓ2 (the proximal maps): ``Quadratic`` and ``SeparableQuadratic`` against (I + τA)⁻¹(x^k − τb)
      solved by sympy in exact rationals;
    * the radius search of a separable quadratic, unconstrained (bisection on φ′) in ℓ∞ and ℓ2 with p = 3, and with
      a box (golden section) in ℓ∞ with p = 4: the objective at the step against the minimum over a 801² grid of the ball of radius 2τ
      around x^k plus the step itself (the step must be no worse than the grid, to the grid's resolution).

    ``shift`` moves the solver's answer by that much in its first coordinate before the comparison (a control)."""
    import sympy as sp

    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    b, xk, tau = np.array([0.25, -0.5]), np.array([0.75, -0.25]), 0.5
    As, bs, xs = (sp.Matrix(v.tolist()).applyfunc(sp.nsimplify) for v in (A, b[:, None], xk[:, None]))
    exact = (sp.eye(2) + sp.nsimplify(tau) * As).LUsolve(xs - sp.nsimplify(tau) * bs)
    ref = np.array([float(v) for v in exact])
    lam = np.array([1.0, 3.0])
    ref_sep = np.array([float((sp.nsimplify(x) + sp.nsimplify(tau) * sp.nsimplify(lm) * sp.Rational(1, 10)) / (1 + sp.nsimplify(tau) * sp.nsimplify(lm))) for x, lm in zip(xk, lam, strict=True)])
    got = [p_step(ms.Quadratic(A, b), Lp(2.0), xk, tau, 2.0), p_step(ms.SeparableQuadratic(lam, 0.1), Lp(2.0), xk, tau, 2.0)]
    got = [np.array(g, dtype=np.float64, copy=True) for g in got]
    for g in got:
        g[0] += shift
    prox = max(float(np.max(np.abs(got[0] - ref))), float(np.max(np.abs(got[1] - ref_sep))))
    E = ms.SeparableQuadratic(lam, 0.1)
    worst, tau2 = 0.0, 0.2
    for space, p, box in ((LINF, 3.0, None), (LINF, 4.0, ms.Box(np.array([0.7, -0.3]), 0.2)), (Lp(2.0), 3.0, None)):
        y = np.array(p_step(E, space, xk, tau2, p, constraint=box), dtype=np.float64, copy=True)
        y[0] += shift
        c = 1.0 / (p * tau2 ** (p - 1.0))
        s = np.linspace(-2 * tau2, 2 * tau2, 801)
        Y = np.stack(np.meshgrid(s, s), -1).reshape(-1, 2) + xk
        if box is not None:
            Y = Y[np.all((Y >= np.asarray(box.lower)) & (Y <= np.asarray(box.upper)), axis=-1)]
        def obj(z: np.ndarray, c: float = c, space: Lp = space, p: float = p) -> np.ndarray:
            return np.asarray(E.value(z)) + c * np.asarray(space.norm(z - xk)) ** p

        inside = box is None or bool(np.all((y >= np.asarray(box.lower) - 1e-15) & (y <= np.asarray(box.upper) + 1e-15)))
        worst = max(worst, float(obj(y) - obj(Y).min()) if inside else math.inf)
    ok = prox <= 1e-15 and worst <= 1e-12
    return Evidence(ok, max(prox / 1e-15, worst / 1e-12), 1.0,
                    "p-steps on each path: the ℓ2 proximal maps of two quadratics (exact rationals); p = 3 in ℓ∞ and "
                    "ℓ2 (bisection) and p = 4 in ℓ∞ with a box (golden section) against a 801² grid",
                    f"proximal maps off by {prox:.1e} (allowed 1e-15); objective above the grid minimum by {worst:.1e} (allowed 1e-12)")


register(
    id="C7",
    title="MMS as the p → ∞ limit of p-MMS",
    statement="argmin{E(x) + d(x, x^k)^p/(pτ^{p−1})} → argmin_{B̄_τ(x^k)} E as p → ∞.",
    hypotheses="E lsc, minimizers unique",
    section="§1.4, §2 C7",
    check=lambda pr: all_hold([_c7_measure(pr, 0.7), _c7_steps()]),
    negative=lambda pr: all_rejected([_c7_measure(pr, 0.8), _c7_measure(pr, 0.699), _c7_steps(1e-6)]),
    negative_description="the same p-steps compared with the ball step of the wrong radius 0.2 (limit 0.8); and with "
                         "radius 0.301, 0.3 % too large (limit 0.699); and every p-step moved by 1e-6 in one coordinate",
)

# ---------------------------------------------------------------------------------------------------- C8


def _c8_measure(profile: str, inner: object) -> Evidence:
    cases = [
        (ms.SeparableQuadratic(np.array([1.0, 2.0, 3.0])), np.array([0.73, -0.41, 0.05])),
        (ms.Quadratic(np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([0.3, -0.2])), np.array([1.0, -1.0])),
        (ms.Linear(np.array([1.0, -2.0])), np.array([0.0, 0.0])),
    ]
    tau, K, m = 0.1, 6, 32
    worst, worst_tol = -math.inf, 0.0
    exact = ExactInner()
    for E, x0 in cases:
        traj = minimizing_movement(E, LINF, x0, tau, steps=K, inner=inner)
        for k in range(K):
            xk = traj.points[k]
            rs = np.linspace(0, tau, m + 1)[1:]
            g = np.array([float(ms.slope(E, LINF, exact(E, LINF, xk, float(r), None))) for r in rs])
            # the slope along the variational interpolant is non-increasing in r: right Riemann sum is a lower
            # bound of ∫, left sum (with r → 0⁺, the slope at x^k) an upper bound; use the lower bound
            lower = float(np.sum(g) * (tau / m))
            drop = float(E.value(xk) - E.value(traj.points[k + 1]))
            viol = lower - drop
            if viol > worst:
                worst, worst_tol = viol, 1e-12 * (1 + abs(drop))
    return Evidence(worst <= max(worst_tol, 1e-12), worst, max(worst_tol, 1e-12),
                    "MMS, τ = 0.1, 6 steps: separable quadratic, coupled quadratic, linear (ℓ∞)",
                    "max_k [lower Riemann bound of ∫_0^τ |∂E|(x_{k,r}) dr − (E(x^k) − E(x^{k+1}))]")


class _OneStepShort:
    """Minimal control of C8: the exact inner solver, except that call ``at`` stops 1e-6 short of the minimizer."""

    name = "exact, one step 1e-6 short"
    guarantee = "none (negative control)"

    def __init__(self, at: int) -> None:
        self.at, self.calls = at, 0

    def __call__(self, E, space, xk, r, c):  # noqa: ANN001, ANN204
        self.calls += 1
        x = ExactInner()(E, space, xk, r, c)
        return xk + (1 - 1e-6) * (x - xk) if self.calls == self.at else x


def _c8_negative(profile: str) -> Evidence:
    # step 15 of 18 is the linear energy's third: its slope is constant along the interpolant, so the Riemann
    # lower bound is exact there and a step 1e-6 short is a visible violation (for the quadratics the bound's own
    # slack, about τ·Δ|∂E|/m, hides departures below ~1e-2)
    one = _c8_measure(profile, _OneStepShort(15))
    one.test_case = "the exact MMS with one of its 18 steps (linear energy) 1e-6 short of the minimizer"
    return all_rejected([_c8_measure(profile, HalfStep()), one])


class _Quartic(ms.Energy):
    """E(y) = ½|y|² − M y₁²y₂² + ⟨a, y⟩ with y = x − c: a local minimum near c and, for M r² > ½, a local
    minimum at each corner of the ℓ∞ ball B̄_r(c); the tilt a makes the last corner, (+, +), the lowest."""

    dim = 2

    def __init__(self, c: np.ndarray, M: float, a: np.ndarray) -> None:
        self.c, self.M, self.a = c, M, a

    def _value(self, x, xp):  # noqa: ANN001, ANN202
        y = x - self.c
        return 0.5 * (y * y).sum(-1) - self.M * y[..., 0] ** 2 * y[..., 1] ** 2 + (y * self.a).sum(-1)

    def _grad(self, x, xp):  # noqa: ANN001, ANN202
        y = x - self.c
        return xp.stack([y[..., 0] - 2 * self.M * y[..., 0] * y[..., 1] ** 2 + self.a[0],
                         y[..., 1] - 2 * self.M * y[..., 1] * y[..., 0] ** 2 + self.a[1]], axis=-1)


def _c8_local_solvers(solver: str = "multistart") -> Evidence:
    """The hypothesis "exact global minimizers" met by a multistart solver: on a ball step with five local minima
    (the centre and the four corners), the corner starts of ``MultistartInner`` must give the global one, the
    last corner, as a brute force over a 401² grid that contains the corners finds it; and a seeded local solver
    must be reproducible (QuasiNewtonInner twice with seed 3: the same point, bit for bit). ``solver="local"``
    offers QuasiNewtonInner's answer from x^k alone (the control: a local minimum, not the global one)."""
    from maxslope.schemes import MultistartInner, QuasiNewtonInner

    xk, r = np.array([0.3, -0.1]), 0.2
    E = _Quartic(xk, 50.0, np.array([-1e-3, -2e-3]))
    s = np.linspace(-r, r, 401)
    grid = np.stack(np.meshgrid(s, s), -1).reshape(-1, 2) + xk
    best = float(np.min(E.value(grid)))
    inner = MultistartInner(n_random=0) if solver == "multistart" else QuasiNewtonInner(n_random=0)
    x = inner(E, LINF, xk, r, None)
    gap = float(E.value(x)) - best
    a, b = (QuasiNewtonInner(n_random=2, seed=3)(E, LINF, xk, r, None) for _ in range(2))
    same = bool(np.array_equal(a, b))
    # the ℓ1 ball: the exact linear step with a box (a fractional knapsack) against HiGHS; the ℓ2 ball: the
    # quasi-Newton (SLSQP) step of a strictly convex quadratic against the exact trust-region step
    from scipy.optimize import linprog

    lin, y0, rad = ms.Linear(np.array([3.0, -2.0, 1.0])), np.array([0.2, 0.1, -0.3]), 0.5
    box = ms.Box(np.array([0.5, 0.0, 0.0]), np.array([0.5, 1.0, 1.0]))  # stops the steepest coordinate at 0: the rest spills
    n = 3  # y = y0 + u − v, u, v ≥ 0, Σ(u + v) ≤ r, box on y
    res = linprog(np.concatenate([lin.a, -lin.a]), A_ub=np.vstack([np.ones((1, 2 * n)), np.hstack([np.eye(n), -np.eye(n)]),
                                                                  np.hstack([-np.eye(n), np.eye(n)])]),
                  b_ub=np.concatenate([[rad], np.asarray(box.upper) - y0, y0 - np.asarray(box.lower)]), bounds=[(0, None)] * (2 * n), method="highs")
    knap = np.asarray(ExactInner()(lin, Lp(1.0), y0, rad, box))
    l1_gap = abs(float(lin.value(knap)) - (float(lin.value(y0)) + res.fun)) if res.status == 0 else math.inf
    q = ms.SeparableQuadratic(np.array([1.0, 4.0]), np.array([1.0, -1.0]))
    qn2 = np.asarray(QuasiNewtonInner(n_random=1, seed=0)(q, Lp(2.0), xk, r, None))
    ex2 = np.asarray(ExactInner()(q, Lp(2.0), xk, r, None))
    qn_gap = float(np.max(np.abs(qn2 - ex2)))
    # with a box that binds two faces inside the ball: the minimizer is the box's corner (the negative gradient
    # lies in the box's normal cone there, and the ball does not bind)
    qbox = ms.Box(np.array([0.35, -0.05]), np.array([0.1, 0.1]))
    qn_box = np.asarray(QuasiNewtonInner(n_random=1, seed=0)(q, Lp(2.0), xk, r, qbox))
    qn_gap = max(qn_gap, float(np.max(np.abs(qn_box - np.array([0.45, -0.15])))))
    # the SLSQP answer enters as a verdict only: it is local and iterative, and its last digits depend on the
    # BLAS threads of the process (a Dask worker's differ), while verify's numbers are reproducible bit for bit
    qn_ok = qn_gap <= 1e-6
    gap = max(abs(gap), l1_gap)
    return Evidence(gap <= 1e-12 and same and qn_ok, gap, 1e-12,
                    f"a ball step with five local minima, {type(inner).__name__} against a 401² brute force; a seeded quasi-Newton twice; "
                    "the ℓ1 knapsack step with a box against HiGHS; the quasi-Newton (SLSQP) ℓ2 step against the exact one and, with a "
                    "box, against the box's corner (to 1e-6)",
                    f"E(solver) − min at {x}, ℓ1 objective gap {l1_gap:.1e}; SLSQP step within 1e-6 of the exact one: "
                    f"{qn_ok}; seeded runs identical: {same}")


class _Bowl(ms.Energy):
    """E(x) = ½((x₁ − c₁)² + 4(x₂ − c₂)²) with no gradient Lipschitz constant reported (``grad_lipschitz`` is
    None): the projected gradient of :class:`~maxslope.schemes.MultistartInner` then takes Armijo steps."""

    dim = 2

    def __init__(self, c: np.ndarray) -> None:
        self.c = c

    def _value(self, x, xp):  # noqa: ANN001, ANN202
        y = x - self.c
        return 0.5 * (y[..., 0] ** 2 + 4 * y[..., 1] ** 2)

    def _grad(self, x, xp):  # noqa: ANN001, ANN202
        y = x - self.c
        return xp.stack([y[..., 0], 4 * y[..., 1]], axis=-1)


def _c8_armijo(iters: int = 200) -> Evidence:
    """MultistartInner's Armijo branch (an energy without a Lipschitz constant): on the ℓ∞, ℓ2 and ℓ1 balls
    B̄_0.2((0.3, −0.1)) the minimizer of the bowl is its centre c = (0.37, −0.02), inside every ball and at no
    start (x^k, the corners), so the descent must move to it (to 1e-12). ``iters=1`` allows one step (the control:
    one Armijo step from the starts cannot reach c)."""
    from maxslope.schemes import MultistartInner

    xk, c = np.array([0.3, -0.1]), np.array([0.37, -0.02])
    gap = max(float(np.max(np.abs(np.asarray(MultistartInner(n_random=0, iters=iters)(_Bowl(c), Lp(p), xk, 0.2, None)) - c)))
              for p in (math.inf, 2.0, 1.0))
    return Evidence(gap <= 1e-12, gap, 1e-12, f"MultistartInner (Armijo steps, {iters} iterations) on ℓ∞, ℓ2 and ℓ1 ball steps "
                    "whose minimizer is interior", f"largest |x − c| {gap:.1e}")


def _c8_trust_region(nudge: float = 0.0) -> Evidence:
    """The exact ℓ2 ball step of a dense positive definite quadratic (the trust-region subproblem, no closed form:
    eigenbasis and a bisection on the multiplier) certified by its KKT conditions, which are sufficient for a
    convex problem: y in the ball; inside it ∇E(y) = 0; on the sphere ∇E(y) = −μ(y − x^k) with μ ≥ 0. Six starts
    in one batch, radii that bind and one that does not. ``nudge`` moves one coordinate of one answer (the
    control)."""
    rng = np.random.default_rng(81)
    M = rng.normal(size=(3, 3))
    A = M @ M.T + 0.3 * np.eye(3)
    A[0, 1] = A[1, 0] = A[0, 1] + 0.5
    Q = ms.Quadratic(A, np.array([0.4, -1.0, 0.7]))
    X = rng.normal(size=(6, 3))
    worst, inside, on = 0.0, 0, 0
    for r in (0.05, 0.3, 50.0):
        Y = np.array(ExactInner()(Q, Lp(2.0), X, r, None), dtype=np.float64, copy=True)
        if nudge and r == 0.3:
            Y[4, 2] += nudge
        G = np.asarray(Q.grad(Y))
        for x, y, g in zip(X, Y, G, strict=True):
            s_ = y - x
            scale = 1.0 + float(np.linalg.norm(np.asarray(Q.grad(x))))
            excess = max(0.0, float(np.linalg.norm(s_)) - r) / r
            if np.linalg.norm(s_) < r * (1 - 1e-9):
                inside += 1
                res = float(np.linalg.norm(g)) / scale
            else:
                on += 1
                mu = max(0.0, -float(g @ s_)) / float(s_ @ s_)
                res = float(np.linalg.norm(g + mu * s_)) / scale
            worst = max(worst, res, excess)
    # the solvers are chosen by convexity: is_convex must tell A ⪰ 0 (up to 1e-12‖A‖) from an indefinite A
    V = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    # (the scale is the largest |eigenvalue|, not the middle one: −1e-10 is within 1e-12·1e3 but not 1e-12·1e-3)
    spectra = {(2.0, 1.0, 0.0): True, (2.0, 1.0, -1e-14): True, (2.0, 1.0, -1e-9): False, (1.0, -1.0, -2.0): False,
               (1e3, 1e-3, -1e-10): True, (1e3, 1e-3, -2e-9): False}
    convexity = [f"eigenvalues {ev}: is_convex() = {not want}" for ev, want in spectra.items()
                 if ms.Quadratic(V @ np.diag(ev) @ V.T).is_convex() is not want]
    convexity += ["A ≻ 0 judged not convex"] if not Q.is_convex() else []
    return Evidence(worst <= 1e-10 and inside > 0 and on > 0 and not convexity, worst, 1e-10,
                    "the exact ℓ2 ball step of a dense positive definite quadratic in ℝ³ (trust region), six starts, r = 0.05, 0.3, 50; "
                    "is_convex on seven spectra"
                    + (f"; one coordinate of one answer moved {nudge:g}" if nudge else ""),
                    f"largest KKT residual (relative to 1 + |∇E(x^k)|) {worst:.1e}; {inside} answers inside the ball, {on} on the sphere; "
                    + ("; ".join(convexity) or "convexity judged right"))


register(
    id="C8",
    title="MMS discrete energy inequality",
    statement="E(x^k) − E(x^{k+1}) ≥ ∫_0^τ |∂E|(x_{k,r}) dr along the De Giorgi variational interpolant x_{k,r} ∈ argmin_{B̄_r(x^k)} E; "
    "the exact inner steps it needs are global minimizers (ℓ1 knapsack against HiGHS, ℓ2 trust region by its KKT conditions).",
    hypotheses="E lsc, exact global minimizers",
    section="§1.4, §2 C8",
    check=lambda pr: all_hold([_c8_measure(pr, "exact"), _c8_local_solvers(), _c8_trust_region(), _c8_armijo()]),
    negative=lambda pr: all_rejected([_c8_negative(pr), _c8_local_solvers("local"), _c8_trust_region(1e-7), _c8_armijo(1)]),
    negative_description="an inner solver that returns the half-way point (not a minimizer); and the exact one with a "
                         "single step 1e-6 short; and a local quasi-Newton step from x^k alone on a ball step with "
                         "five local minima (it stops at the one near x^k); and the exact ℓ2 trust-region step with "
                         "one coordinate of one answer moved 1e-7 (its KKT residual must show it); and MultistartInner's "
                         "Armijo descent limited to one iteration on ball steps with an interior minimizer",
)

# ---------------------------------------------------------------------------------------------------- C9


def _c9_measure(profile: str, factor: float) -> Evidence:
    rng = np.random.default_rng(9)
    n = 200 if profile == "fast" else 5000
    worst = 0.0
    exact_defect_err = 0.0
    A = rng.normal(size=(3, 3))
    for E in (ms.SeparableQuadratic(np.ones(3)), ms.SeparableQuadratic(np.array([1.0, 2.0, 3.0])), ms.Quadratic(A + A.T)):
        for p in (math.inf, 2.0, 1.0):
            space = Lp(p)
            L = E.grad_lipschitz(space)
            assert L is not None
            x = rng.normal(size=(n, 3))
            for tau in (0.1, 0.01):
                v = space.steepest_direction(E.grad(x))
                defect = np.abs(E.value(x - tau * v) - E.value(x) + tau * space.dual_norm(E.grad(x)))
                worst = max(worst, float(np.max(defect / (factor * L * tau**2) )))
                if p == math.inf and isinstance(E, ms.SeparableQuadratic) and float(E.lam[0]) == 1.0 and float(E.lam[2]) == 1.0:
                    exact_defect_err = max(exact_defect_err, float(np.max(np.abs(defect - tau**2 / 2 * np.count_nonzero(x, -1)))))
    return Evidence(worst <= 1 + 1e-9 and exact_defect_err <= 1e-14, worst, 1 + 1e-9,
                    f"{n} random x, τ ∈ {{0.1, 0.01}}, ℓ∞/ℓ2/ℓ1, ½|x|², separable and indefinite quadratics",
                    f"max defect / ({factor:g}·L τ²); ½|x|² in ℓ∞: defect − (τ²/2)#{{x_i ≠ 0}} = {exact_defect_err:.1e}")


register(
    id="C9",
    title="semi-implicit one-step estimate",
    statement="|E(x − τv) − E(x) + τ‖∇E(x)‖_*| ≤ (L/2)τ² for v ∈ ∂‖·‖_*(∇E(x)), L the Lipschitz constant of ∇E: (R^d, ‖·‖) → (R^d, ‖·‖_*).",
    hypotheses="∇E Lipschitz",
    section="§1.6, §2 C9",
    check=lambda pr: _c9_measure(pr, 0.5),
    negative=lambda pr: all_rejected([_c9_measure(pr, 0.25), _c9_measure(pr, 0.5 * (1 - 1e-6))]),
    negative_description="the bound with L/4 instead of L/2 (violated by ½|x|², whose defect is exactly (τ²/2)·#{x_i ≠ 0}); "
                         "and with L/2 shrunk by 1e-6, where the bound is attained",
)

# ---------------------------------------------------------------------------------------------------- C12


def _c12_measure(profile: str, lag: int, faster: float = 1.0) -> Evidence:
    """``lag`` steps of delay in the constant interpolant; ``faster`` stretches the fifth step (a minimal control)."""
    s = sliding_flow()
    worst = 0.0
    for tau in taus(profile):
        tr = steepest_descent(s.energy, LINF, s.x0, tau, T=round(1 / tau) * tau)
        if faster != 1.0:
            tr = one_step_faster(tr, 5, faster)
        # ū = x^k on (t_{k−1}, t_k] and û is linear there, so the gap's supremum on each step is its limit at t_{k−1}⁺:
        # the first float after every node is sampled, besides a grid of 8 points per step
        fine = np.union1d(np.linspace(0, tr.times[-1], tr.n_steps * 8 + 1), np.nextafter(tr.times[:-1], np.inf))
        const = tr.interpolate(np.maximum(fine - lag * tau, 0), "constant")
        gap = float(np.max(LINF.distance(const, tr.interpolate(fine, "linear"))))
        worst = max(worst, gap / tau)
    case = f"; step 5 stretched by {faster:.9g}" if faster != 1.0 else ""
    return Evidence(worst <= 1 + 1e-12, worst, 1 + 1e-12, "signed GD on the sliding example, τ = 0.1·2^−j" + case,
                    "sup_t ‖ū_τ(t) − û_τ(t)‖_∞ / τ" + (f" (constant interpolant lagged by {lag} steps)" if lag else ""))


register(
    id="C12",
    title="interpolant independence",
    statement="The piecewise-constant and piecewise-linear interpolants differ by ≤ τ in sup norm, so they have the same limits.",
    hypotheses="none",
    section="§1.4, §2 C12",
    check=lambda pr: _c12_measure(pr, 0),
    negative=lambda pr: all_rejected([_c12_measure(pr, 2), _c12_measure(pr, 0, 1 + 1e-9)]),
    negative_description="a piecewise-constant interpolant lagged by two steps; and a curve whose fifth step alone is "
                         "1e-9 longer than τ",
)

# ---------------------------------------------------------------------------------------------------- C13


def _c13_measure(curves: list[tuple[Trajectory, ms.Energy]], desc: str) -> Evidence:
    res = [check_curve_of_maximal_slope(tr, E, LINF) for tr, E in curves]
    pts = [np.asarray(tr.points) for tr, _ in curves]
    distinct = min(float(np.max(np.abs(a - b))) for i, a in enumerate(pts) for b in pts[i + 1:]) if len(pts) > 1 else 0.0
    ede = [r.parts[1] for r in res]
    worst = max(e.measured for e in ede)
    ok = all(r.passed for r in res) and distinct > 0.05
    return Evidence(ok, worst, min(e.tolerance for e in ede), desc, f"{sum(r.passed for r in res)}/{len(res)} accepted; min pairwise sup-distance {distinct:.3f}")


def _c13_curves(speed2: float) -> list[tuple[Trajectory, ms.Energy]]:
    t = np.linspace(0, 1, 401)
    lin = ms.Linear(np.array([1.0, 0.0]))
    out: list[tuple[Trajectory, ms.Energy]] = [(Trajectory(t, np.stack([-t, 0 * t], -1)), lin), (Trajectory(t, np.stack([-t, speed2 * np.sin(t)], -1)), lin)]
    up = ms.Negated(ms.SeparableQuadratic(np.array([1.0])))
    t0 = 0.3
    out += [(Trajectory(t, sgn * np.maximum(t - t0, 0)[:, None]), up) for sgn in (1.0, -1.0)]
    return out


register(
    id="C13",
    title="non-uniqueness",
    statement="Several distinct curves satisfy C2–C4 from the same x₀ (zero gradient coordinates in ℓ∞, or critical points).",
    hypotheses="critical points or zero gradient coordinates",
    section="§2 C13, §4.1, §4.4",
    check=lambda pr: _c13_measure(_c13_curves(1.0), "⟨a,x⟩ with a₂ = 0: x₂ at rest and x₂ = sin t; −x²/2 from 0: ±(t − 0.3)⁺"),
    negative=lambda pr: all_rejected([_c13_measure(_c13_curves(1.5), "the same with x₂ = 1.5 sin t (speed 1.5 > 1)"),
                             _c13_measure(_c13_curves(1 + 1e-5), "x₂ = (1 + 1e-5) sin t (too fast only in the first two of 400 steps)")]),
    negative_description="a second coordinate moving at speed 1.5 must not be accepted; nor one at speed 1 + 1e-5 near t = 0 only",
)
