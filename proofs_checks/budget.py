"""Claims C21–C23: the attack budget, single-step facts, monotonicity and the box-constrained flow."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import maxslope as ms
from maxslope import Box
from maxslope.attacks import fgsm, ifgsm
from maxslope.checks import certify_energy_dissipation, check_energy_dissipation, is_monotone
from maxslope.exact import ascent_flow, box_linear_flow
from maxslope.schemes import GridInner, minimizing_movement, steepest_descent

from ._common import LINF, all_hold, all_rejected, has_dask, one_step_faster, sample, synchronous_dask
from .registry import Evidence, register


class _Wavy(ms.Energy):
    """ℓ(x) = sin(3x₁)cos(2x₂) + x₁/2 (a nonconvex 2-D loss to maximize)."""

    dim = 2

    def _value(self, x, xp):  # noqa: ANN001, ANN202
        return xp.sin(3 * x[..., 0]) * xp.cos(2 * x[..., 1]) + 0.5 * x[..., 0]

    def _grad(self, x, xp):  # noqa: ANN001, ANN202
        g0 = 3 * xp.cos(3 * x[..., 0]) * xp.cos(2 * x[..., 1]) + 0.5
        g1 = -2 * xp.sin(3 * x[..., 0]) * xp.sin(2 * x[..., 1])
        return xp.stack([g0, g1], axis=-1)


def _c21_measure(profile: str, K_factor: float, inner: object) -> Evidence:
    rng = np.random.default_rng(21)
    n = 100 if profile == "fast" else 1000
    # (i) K tau <= eps: the clamp never acts (up to the rounding of the K sums)
    loss = _Wavy()
    x0 = rng.uniform(-1, 1, size=(n, 2))
    eps, K = 0.2, 8
    tau = K_factor * eps / K
    free = steepest_descent(ms.Negated(loss), LINF, x0, tau, steps=K)
    boxed = ifgsm(loss, x0, eps, tau, K)
    clip_gap = float(np.max(np.abs(free.points - boxed.points)))
    clip_tol = 4 * K * np.finfo(float).eps * 2
    # (ii) clipped IFGSM = semi-implicit scheme on the box, bitwise; clamp∘clamp = projection onto the intersection
    semi = steepest_descent(ms.Negated(loss), LINF, x0, 0.03, steps=20, constraint=Box(x0, eps))
    ii = float(np.max(np.abs(ifgsm(loss, x0, eps, 0.03, 20).points - semi.points)))
    B1, B2 = Box(x0, eps), Box(x0 + 0.1, 0.15)
    y = rng.normal(size=(n, 2))
    cc = float(np.max(np.abs(B2.project(B1.project(y)) - B1.intersect(B2).project(y))))
    # (iii) one MMS step with tau = eps is at least as good as FGSM and as the flow's time-eps point
    E = ms.Negated(loss)
    x1 = x0[:20]
    mms = minimizing_movement(E, LINF, x1, eps, steps=1, inner=inner).final
    f = fgsm(loss, x1, eps)
    flow_eps = steepest_descent(E, LINF, x1, eps / 64, steps=64).final  # a feasible point of the budget ball
    gap_iii = float(np.max(E.value(mms) - np.minimum(E.value(f), E.value(flow_eps))))
    tol_iii = 5e-6  # grid inner: value within Lip·h of the optimum, h = 0.4/40/4³ ≈ 1.6e-4, Lip ≤ 4
    toy = ascent_flow([0.3, -0.2], T=0.2, eps=0.2)  # E = −|x|²/2: flow(ε) = FGSM = MMS₁
    u_eps = toy(np.array([0.2]))[0]
    toy_gap = max(
        float(np.max(np.abs(u_eps - fgsm(ms.SeparableQuadratic(np.ones(2)), toy.x0, 0.2)))),
        float(np.max(np.abs(u_eps - minimizing_movement(toy.energy, LINF, toy.x0, 0.2, steps=1).final))),
    )
    # the two-moons GELU classifier: MMS₁ with τ = ε is at least as good as FGSM
    from .two_moons import one_step_gap

    moons = one_step_gap("gelu", 20 if profile == "fast" else 100, inner)
    gap_iii = max(gap_iii, moons)
    ok = bool(clip_gap <= clip_tol) and ii == 0.0 and cc == 0.0 and gap_iii <= tol_iii and toy_gap <= 1e-15
    return Evidence(ok, max(clip_gap / clip_tol, gap_iii / tol_iii), 1.0,
                    f"{n} start points, ℓ = sin(3x₁)cos(2x₂) + x₁/2, ε = 0.2, K = 8; the ascent toy −|x|²/2; two-moons GELU net",
                    f"(i) max |unclipped − clipped| = {clip_gap:.1e} (K τ = {K * tau:g}); (ii) IFGSM vs semi-implicit on S: {ii:.1e}, "
                    f"clamp∘clamp vs projection: {cc:.1e}; (iii) max E(MMS₁) − min(E(FGSM), E(flow(ε))) = {gap_iii:.2e}; "
                    f"toy: flow(ε) = FGSM to {toy_gap:.0e}; two-moons GELU net: max ℓ(FGSM) − ℓ(MMS₁) = {moons:.2e}")


def _c21_presets(profile: str, tamper: object = None) -> Evidence:
    """(iv) the ℓ∞ presets of the attack libraries are one scheme, clipped IFGSM; (v) every preset's iterates stay
    in the budget ball ∩ the data box, for ℓ∞, ℓ2 and ℓ1.

    ``tamper(runs, chunked)`` edits the runs in place (the negative controls move one coordinate of one iterate)."""
    from maxslope.attacks import CONVENTIONS, pgd

    rng = np.random.default_rng(211)
    n = 60 if profile == "fast" else 400
    loss, eps, bounds, alpha, K = _Wavy(), 0.2, (0.0, 1.0), 0.03, 10
    x0 = rng.uniform(0.05, 0.95, size=(n, 2))
    runs: dict[tuple[float, str], np.ndarray] = {}
    for c in CONVENTIONS:
        runs[(np.inf, c)] = np.asarray(ifgsm(loss, x0, eps, alpha, K, bounds=bounds, convention=c).points)
        for q in (2.0, 1.0):
            if not (q == 1.0 and c == "torchattacks"):  # torchattacks has no ℓ1 PGD
                runs[(q, c)] = np.asarray(pgd(loss, x0, eps, 0.05, K, norm=q, bounds=bounds, convention=c).points)
    fg = {c: np.asarray(fgsm(loss, x0, eps, bounds, convention=c)) for c in CONVENTIONS if c != "art-pytorch"}
    chunked = _c21_chunked(loss, x0, eps, bounds, alpha, K)
    if callable(tamper):
        tamper(runs, chunked)
    # ART's torch path rounds the step size to float32 (as ART does): it is IFGSM with that α, bit for bit
    ref = {a: np.asarray(ifgsm(loss, x0, eps, a, K, bounds=bounds).points) for a in (alpha, float(np.float32(alpha)))}
    agree = max(float(np.max(np.abs(runs[(np.inf, c)] - ref[float(np.float32(alpha)) if c == "art-pytorch" else alpha])))
                for c in CONVENTIONS)
    agree = max(agree, max(float(np.max(np.abs(v - fg["maxslope"]))) for v in fg.values()))
    excess = 0.0
    for (q, _c), X in runs.items():
        dist = np.linalg.norm(X - x0, ord=q, axis=-1)
        excess = max(excess, float(np.max(dist - eps)) / eps, float(np.max(bounds[0] - X)) / eps, float(np.max(X - bounds[1])) / eps)
    # (vi) a Dask batch in chunks: the same iterates as in memory, bit for bit (random starts continue one stream)
    chunk_gap = max((float(np.max(np.abs(a - b))) for a, b in chunked.values()), default=0.0)
    # foolbox and ART project by x0 + clip(x - x0, -ε, ε), which rounds: a few ulps of [0, 1] per step, no more
    tol_agree, tol = 4 * K * float(np.finfo(float).eps), 1e-12
    chunks = (f"; (vi) {len(chunked)} preset runs on a Dask batch in 4 chunks against the same in memory: max "
              f"difference {chunk_gap:.1e} (0 required)") if chunked else "; (vi) Dask not installed: the chunked runs were not made"
    return Evidence(agree <= tol_agree and excess <= tol and chunk_gap == 0.0,
                    max(agree / tol_agree, excess / tol, math.inf if chunk_gap else 0.0), 1.0,
                    f"{n} start points in [0, 1]², ε = 0.2, K = 10: IFGSM/FGSM and ℓ2/ℓ1 PGD of every preset ({', '.join(CONVENTIONS)})",
                    f"(iv) ℓ∞ presets against clipped IFGSM / FGSM: max difference {agree:.1e} (allowed {tol_agree:.1e}, the "
                    f"rounding of their projection; ART's torch path with its float32 step); (v) max budget or box excess "
                    f"over every preset and norm: {excess:.1e} · ε (allowed {tol:.0e})" + chunks)


def _ascent_direction(g: np.ndarray, q: float, convention: str) -> np.ndarray:
    """The step direction of a preset as the mathematics states it, written here from the definitions (not taken
    from :mod:`maxslope.attacks`): sign(g) for ℓ∞; g/‖g‖₂ for ℓ2 (torchattacks divides by ‖g‖₂ + 1e-10); for ℓ1
    the steepest vertex sign(g_i) e_i at the *first* largest |g_i| (maxslope, ART), or foolbox's g/‖g‖₁."""
    if q == math.inf:
        return np.sign(g)
    if q == 2.0:
        n = np.sqrt(np.sum(g * g, axis=-1, keepdims=True)) + (1e-10 if convention == "torchattacks" else 0.0)
        return g / n
    if convention == "foolbox":
        return g / np.sum(np.abs(g), axis=-1, keepdims=True)
    i = np.argmax(np.abs(g), axis=-1)[..., None]  # numpy's argmax takes the first of equal values
    d = np.zeros_like(g)
    np.put_along_axis(d, i, np.take_along_axis(np.sign(g), i, axis=-1), axis=-1)
    return d


class _Tied(ms.Energy):
    """ℓ(x) = x₁ − x₂ + 0·x₃: |∂₁ℓ| = |∂₂ℓ| everywhere (the ℓ1 vertex is a tie) and ∂₃ℓ = 0 (sign(0))."""

    dim = 3

    def _value(self, x, xp):  # noqa: ANN001, ANN202
        return x[..., 0] - x[..., 1]

    def _grad(self, x, xp):  # noqa: ANN001, ANN202
        one = xp.ones_like(x[..., 0])
        return xp.stack([one, -one, 0 * one], axis=-1)


def _c21_unprojected(profile: str, tamper: object = None) -> Evidence:
    """(vii) while K α < ε and the iterates stay inside the data box, no projection acts: every preset's ℓ∞, ℓ2
    and ℓ1 PGD is the unprojected ascent x_{k+1} = x_k + α d(∇ℓ(x_k)) with that preset's direction d
    (:func:`_ascent_direction`). Run on the wavy loss and on a loss with tied and zero partial derivatives (the
    first-largest vertex of ℓ1, sign(0) = 0).

    ``tamper(runs)`` edits the runs in place (the negative control moves one coordinate of one iterate)."""
    from maxslope.attacks import CONVENTIONS, pgd

    rng = np.random.default_rng(2107)
    n = 40 if profile == "fast" else 300
    eps, alpha, K = 0.2, 0.019, 10  # K α = 0.19 < ε: the budget ball never binds
    cases = {"wavy": (_Wavy(), rng.uniform(0.25, 0.75, size=(n, 2))), "tied": (_Tied(), rng.uniform(0.25, 0.75, size=(n, 3)))}
    runs: dict[tuple[str, float, str], tuple[np.ndarray, np.ndarray]] = {}
    for name, (loss, x0) in cases.items():
        for c in CONVENTIONS:
            a = float(np.float32(alpha)) if c == "art-pytorch" else alpha  # ART's torch step is a float32 tensor
            for q in (math.inf, 2.0, 1.0):
                if q == 1.0 and c == "torchattacks":
                    continue
                X = np.asarray(pgd(loss, x0, eps, alpha, K, norm=q, bounds=(0.0, 1.0), convention=c).points)
                ref = [x0]
                for _ in range(K):
                    x = ref[-1]
                    ref.append(x + a * _ascent_direction(np.asarray(loss.grad(x)), q, c))
                runs[(name, q, c)] = (X, np.stack(ref))
    if callable(tamper):
        tamper(runs)
    gap = max(float(np.max(np.abs(X - R))) for X, R in runs.values())
    tol = 4 * K * float(np.finfo(float).eps)  # the rounding of K steps and of the inactive projections, on [0, 1]
    return Evidence(gap <= tol, gap / tol, 1.0,
                    f"(vii) {len(runs)} preset runs (every convention, ℓ∞/ℓ2/ℓ1) with K α = 0.19 < ε = 0.2 inside [0, 1]^d, "
                    f"{n} start points each, on the wavy loss and a loss with tied and zero partials",
                    f"(vii) max distance to the unprojected ascent of each preset's direction: {gap:.1e} (allowed {tol:.1e}, "
                    "the rounding of K steps and of the projections that do not act)")


def _move_unprojected(key: tuple[str, float, str], delta: float) -> object:
    """A negative control: one coordinate of one iterate of one preset run moved by ``delta`` (inside the ball)."""
    def tamper(runs: dict) -> None:
        runs[key][0][5, 7, 1] -= delta
    return tamper


def _c21_chunked(loss: object, x0: np.ndarray, eps: float, bounds: tuple[float, float], alpha: float,
                 K: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The chunked and in-memory iterates of six preset runs on a Dask batch, where Dask is installed."""
    try:
        import dask.array as da
    except ImportError:
        return {}
    from maxslope.attacks import pgd

    X = da.from_array(x0, chunks=(16, 2))
    cases = {
        "IFGSM": lambda x: ifgsm(loss, x, eps, alpha, K, bounds=bounds).points,
        "IFGSM torchattacks": lambda x: ifgsm(loss, x, eps, alpha, K, bounds=bounds, convention="torchattacks").points,
        "PGD ℓ∞, random start": lambda x: pgd(loss, x, eps, alpha, K, bounds=bounds, random_start=True, seed=3).points,
        "PGD ℓ2 art": lambda x: pgd(loss, x, eps, 0.05, K, norm=2, bounds=bounds, convention="art").points,
        "PGD ℓ1 foolbox": lambda x: pgd(loss, x, eps, 0.05, K, norm=1, bounds=bounds, convention="foolbox").points,
        "FGSM art": lambda x: fgsm(loss, x, eps, bounds, convention="art"),
    }
    with synchronous_dask():
        return {k: (np.array(f(X)), np.asarray(f(x0))) for k, f in cases.items()}


def _move_chunked(delta: float) -> object:
    """A negative control: one coordinate of one chunked PGD ℓ1 iterate moved by ``delta``."""
    def tamper(runs: dict, chunked: dict) -> None:
        chunked["PGD ℓ1 foolbox"][0][4, 20, 0] += delta
    return tamper


def _move_one(q: float, c: str, delta: float) -> object:
    """A negative control: one coordinate of one iterate of one preset moved outwards by ``delta``, at the iterate
    farthest from its start (on the budget sphere or a face of the box)."""
    def tamper(runs: dict, chunked: dict) -> None:
        X = runs[(q, c)]
        D = X - X[0]
        k, i = np.unravel_index(np.argmax(np.linalg.norm(D, ord=q, axis=-1)), D.shape[:2])
        j = int(np.argmax(np.abs(D[k, i])))
        X[k, i, j] += delta * np.sign(D[k, i, j])
    return tamper


class _WideGradient(ms.Energy):
    """The wavy loss, its gradient returned in float64 whatever the input's dtype (as a float64 model would)."""

    dim = 2

    def _value(self, x, xp):  # noqa: ANN001, ANN202
        return _Wavy()._value(x, xp)

    def _grad(self, x, xp):  # noqa: ANN001, ANN202
        return np.asarray(_Wavy()._grad(np.asarray(x, dtype=np.float64), np), dtype=np.float64)


def _c21_shapes(tamper: object = None) -> Evidence:
    """Every preset (IFGSM, FGSM, ℓ2 and ℓ1 PGD) on start points with two batch axes, (3, 5, 2), gives the run on
    the same 15 points as one (15, 2) batch, bit for bit; on float32 start points with a loss whose gradient comes
    in float64, every preset's iterates stay float32 (the input's dtype), and the ℓ∞ ones equal those of the
    float32 gradient; what a library does not have is refused (ART's torch FGSM, torchattacks' ℓ1 PGD). ``tamper(runs)`` edits the runs (the
    control moves one coordinate of one iterate by one ulp)."""
    from maxslope.attacks import CONVENTIONS, pgd

    rng = np.random.default_rng(2108)
    loss, eps, bounds, K = _Wavy(), 0.2, (0.0, 1.0), 6
    flat = rng.uniform(0.05, 0.95, size=(15, 2))
    cube = flat.reshape(3, 5, 2)
    runs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for c in CONVENTIONS:
        attacks = {"IFGSM": lambda x, c=c: ifgsm(loss, x, eps, 0.03, K, bounds=bounds, convention=c).points,
                   "PGD ℓ2": lambda x, c=c: pgd(loss, x, eps, 0.05, K, norm=2, bounds=bounds, convention=c).points}
        if c != "torchattacks":
            attacks["PGD ℓ1"] = lambda x, c=c: pgd(loss, x, eps, 0.05, K, norm=1, bounds=bounds, convention=c).points
        if c != "art-pytorch":
            attacks["FGSM"] = lambda x, c=c: fgsm(loss, x, eps, bounds, convention=c)
        for name, run in attacks.items():
            a, b = np.asarray(run(cube)), np.asarray(run(flat))
            runs[f"{name} {c}"] = (a, b.reshape(a.shape) if b.size == a.size else b)
    if callable(tamper):
        tamper(runs)
    wrong = [k for k, (a, b) in runs.items() if a.shape != b.shape or not np.array_equal(a, b)]
    x32 = flat.astype(np.float32)
    for c in CONVENTIONS:
        for q in (math.inf, 2.0, 1.0):
            if q == 1.0 and c == "torchattacks":
                continue
            wide = np.asarray(pgd(_WideGradient(), x32, eps, 0.03, K, norm=q, bounds=bounds, convention=c).points)
            if wide.dtype != np.float32:
                wrong.append(f"ℓ{q:g} {c}: {wide.dtype} iterates from float32 starts")
            elif q == math.inf and not np.array_equal(wide, np.asarray(pgd(loss, x32, eps, 0.03, K, norm=q, bounds=bounds, convention=c).points)):
                wrong.append(f"ℓ∞ {c}: a float64 gradient changed the float32 iterates")
    for what, call in (("FGSM with convention='art-pytorch'", lambda: fgsm(loss, flat, eps, bounds, convention="art-pytorch")),
                       ("ℓ1 PGD with convention='torchattacks'", lambda: pgd(loss, flat, eps, 0.05, K, norm=1, convention="torchattacks"))):
        try:
            call()
            wrong.append(f"{what} was not refused")
        except ValueError:
            pass
    return Evidence(not wrong, len(wrong), 0.5, f"{len(runs)} preset runs on (3, 5, 2) against (15, 2) start points; every "
                    "preset on float32 starts with a float64 gradient; ART's torch FGSM and torchattacks' ℓ1 PGD refused",
                    "; ".join(wrong) or "bit for bit; float32 kept; refused")


def _ulp_off(key: str) -> object:
    """A negative control: one coordinate of one iterate of one run with two batch axes moved by one ulp."""
    def tamper(runs: dict) -> None:
        a = runs[key][0]
        a[(a.shape[0] - 1, 1, 2, 0)] = np.nextafter(a[(a.shape[0] - 1, 1, 2, 0)], math.inf)
    return tamper


def _c21_ball_projection(nudge: float = 0.0) -> Evidence:
    """The budget projections ``Lp(p).project_ball`` (p = 1, 2, ∞) are the Euclidean projections onto B̄_r(c), by
    their variational characterization rather than their formulas: y ∈ B̄_r(c) and ⟨x − y, z − y⟩ ≤ 0 for every z
    in the ball, i.e. ⟨x − y, y − c⟩ = r‖x − y‖_q (q the dual exponent: the support function of the ball).
    200 points inside and outside, centres ≠ 0, per-point radii and a scalar radius. ``nudge`` moves one coordinate of one
    projected point towards the centre (the minimal control)."""
    rng = np.random.default_rng(2111)
    x = rng.normal(size=(200, 3)) * 2
    c = rng.normal(size=(200, 3)) * 0.3
    r = rng.uniform(0.2, 1.5, size=200)
    worst = 0.0
    for p in (1.0, 2.0, math.inf):
        S = ms.Lp(p)
        for rad in (r, 0.7):  # per-point radii and one scalar radius (separate code paths)
            y = np.array(S.project_ball(x, c, rad), dtype=np.float64, copy=True)
            if nudge and p == math.inf:
                y[17, 1] -= nudge * np.sign(y[17, 1] - c[17, 1])
            inside = np.asarray(S.norm(y - c)) - rad
            vi = np.abs(np.sum((x - y) * (y - c), axis=-1) - rad * np.asarray(S.dual_norm(x - y)))
            worst = max(worst, float(np.max(inside)) / 1e-12, float(np.max(vi)) / 1e-12)
    return Evidence(worst <= 1.0, worst, 1.0, "Lp(1, 2, ∞).project_ball on 200 points, centres and radii",
                    "max of the ball excess and of |⟨x − y, y − c⟩ − r‖x − y‖_q|, in units of 1e-12")


def _c21_check(profile: str) -> Evidence:
    return all_hold([_c21_measure(profile, 1.0, GridInner(n=41, zoom=4)), _c21_presets(profile), _c21_unprojected(profile),
                     _c21_ball_projection(), _c21_shapes()])


register(
    id="C21",
    title="budget and single-step facts",
    statement="(i) ‖u(t) − x₀‖ ≤ t, IFGSM with Kτ ≤ ε never clips; (ii) clipped IFGSM = semi-implicit scheme on S = B̄_ε(x₀), clamp∘clamp = projection onto the intersection; (iii) one MMS step with τ = ε attains the max over the budget ball, so E(MMS₁) ≤ min(E(FGSM), E(u(ε))); (iv) the ℓ∞ FGSM/IFGSM presets of torchattacks, foolbox and ART are that one scheme, bit for bit; (v) every preset's ℓ∞, ℓ2 and ℓ1 iterates stay in the budget ball ∩ the data box; (vi) on a Dask batch in chunks the presets give the in-memory iterates bit for bit; (vii) while K α < ε inside the data box, every preset's ℓ∞, ℓ2 and ℓ1 PGD is the unprojected ascent of its direction (ℓ1: the first largest |∂ᵢℓ|; sign(0) = 0); (viii) the presets do not depend on the batch's shape, keep the start points' dtype, and refuse what their library lacks.",
    hypotheses="(ii) needs ∂_iE ≠ 0 on the compared coordinates; (iv) ART's torch path takes its step size in float32, as ART does",
    section="§1.7, §2 C21",
    check=_c21_check,
    negative=lambda pr: all_rejected([_c21_measure(pr, 2.0, GridInner(n=3, zoom=0)),
                                      _c21_measure(pr, 1.0001, GridInner(n=41, zoom=4)),
                                      _c21_presets(pr, _move_one(np.inf, "foolbox", 1e-12)),
                                      _c21_presets(pr, _move_one(2.0, "art", 1e-9)),
                                      *([_c21_presets(pr, _move_chunked(1e-15))] if has_dask() else []),
                                      _c21_unprojected(pr, _move_unprojected(("wavy", 2.0, "torchattacks"), 1e-13)),
                                      _c21_ball_projection(1e-9), _c21_shapes(_ulp_off("PGD ℓ1 foolbox"))]),
    negative_description="K τ = 2ε (the clamp acts) and a 3×3-grid inner solver (not a global maximizer); K τ = "
                         "(1 + 1e-4)ε with the true inner solver (the clamp acts by 2e-5); one coordinate of one "
                         "foolbox ℓ∞ iterate moved by 1e-12; one coordinate of one ART ℓ2 iterate moved by 1e-9 "
                         "(off the scheme by 110 times its rounding allowance; out of the ball by 4e-9 ε); and one "
                         "coordinate of one chunked (Dask) PGD ℓ1 iterate moved by 1e-15 (where Dask is installed); and, "
                         "for (vii), one coordinate of one torchattacks ℓ2 iterate, inside the ball, moved by 1e-13 "
                         "(11 times the rounding allowance); and one coordinate of one ℓ∞ ball projection moved 1e-9 "
                         "towards the centre; and one coordinate of one foolbox ℓ1 iterate on a batch with two batch "
                         "axes moved one ulp",
)

# ---------------------------------------------------------------------------------------------------- C22


def _c22_cases() -> list:
    return [
        (ms.SeparableQuadratic(np.array([1.0])), np.array([0.25]), 0.4),
        (ms.Negated(_Wavy()), np.array([0.1, 0.55]), 0.05),
        (ms.Quadratic(np.array([[1.0, -0.5], [-0.5, 0.25]]), np.array([0.0, -1.0])), np.array([0.6, 0.0]), 0.1),
    ]


def _c22_check(profile: str) -> Evidence:
    worst, flagged, held = 0.0, 0, 0
    for E, x0, tau in _c22_cases():
        inner = "auto" if not isinstance(E, ms.Negated) else GridInner()
        m = minimizing_movement(E, LINF, x0, tau, steps=12, inner=inner)
        r = is_monotone(m.energies)
        worst, held = max(worst, r.measured), held + int(r.passed)
        s = steepest_descent(E, LINF, x0, tau, steps=12)
        flagged += int(not is_monotone(s.energies).passed)
    # the verdicts, not only the measurements: every MMS run passes, and signed GD is flagged exactly where it
    # overshoots (x²/2 with τ > |x₀|, and the wavy loss; on the sliding quadratic it decreases)
    return Evidence(worst <= 0.0 and held == 3 and flagged == 2, worst, 0.0, "MMS and signed GD on E = x²/2 (τ = 0.4 > |x₀|), a wavy loss, the sliding quadratic",
                    f"max MMS energy increase {worst:.1e}, {held}/3 MMS runs pass; signed GD flagged non-monotone in {flagged}/3 cases "
                    "(E = x²/2 overshoots, and the wavy loss)")


def _c22_negative(profile: str) -> Evidence:
    E, x0, tau = _c22_cases()[0]
    s = steepest_descent(E, LINF, x0, tau, steps=12)
    r = is_monotone(s.energies)
    overshoot = Evidence(r.passed, r.measured, 0.0, "signed GD on E = x²/2, τ = 0.4 > |x₀| = 0.25, offered as a monotone scheme")
    # minimal: the exact MMS energies of the sliding quadratic with one of twelve values raised by 4 ulps
    E2, x2, tau2 = _c22_cases()[2]
    e = np.array(minimizing_movement(E2, LINF, x2, tau2, steps=12).energies, dtype=np.float64)
    e[7] = e[6] + 4 * np.spacing(abs(e[6]))
    r2 = is_monotone(e)
    one = Evidence(r2.passed, r2.measured, 0.0, "MMS energies with one increase of 4 ulps")
    return all_rejected([overshoot, one])


register(
    id="C22",
    title="monotonicity",
    statement="E∘u is non-increasing for flows and for the MMS; IFGSM (signed GD) is not monotone in general (overshoot).",
    hypotheses="—",
    section="§2 C22",
    check=_c22_check,
    negative=_c22_negative,
    negative_description="the signed-GD energy sequence of E = x²/2 with τ > |x₀| must be flagged as non-monotone; so must an MMS energy "
    "sequence with one increase of 4 ulps",
)

# ---------------------------------------------------------------------------------------------------- C23


def _c23_measure(profile: str, constrained_slope: bool) -> Evidence:
    f = box_linear_flow([1.0, -2.0, 0.5], [0.0, 0.0, 0.0], [0.1, 0.2, 0.3], 0.5)
    box = f.box  # type: ignore[attr-defined]
    E = f.energy
    slope = (lambda x: box.restricted_slope(x, E.grad(x), tol=1e-12)) if constrained_slope else None
    num = check_energy_dissipation(sample(f, 1000), E, LINF, slope=slope)
    cert = certify_energy_dissipation(f) if constrained_slope else None
    node = 0.0
    for tau in (0.1, 0.05, 0.025):
        s = steepest_descent(E, LINF, f.x0, tau, T=0.5, constraint=box)
        node = max(node, float(np.max(np.abs(s.points - f(s.times)))))
    faces = _c23_face_points(box)
    # a box given by its bounds is that box: the same lower and upper faces, and the same projection
    shift = np.array([0.5, -0.25, 1.0])  # off the origin: a centre of 0 would hide a wrong centre formula
    lo, hi = np.asarray(box.lower, dtype=np.float64) + shift, np.asarray(box.upper, dtype=np.float64) + shift
    same = ms.Box.from_bounds(lo, hi)
    probe = np.random.default_rng(231).uniform(-1.0, 1.0, size=(50, 3))
    faces = max(faces, float(np.max(np.abs(np.asarray(same.lower) - lo))), float(np.max(np.abs(np.asarray(same.upper) - hi))),
                float(np.max(np.abs(np.asarray(same.project(probe)) - np.clip(probe, lo, hi)))),
                float(np.max(np.abs(np.asarray(same.center) - (lo + hi) / 2))), float(np.max(np.abs(np.asarray(same.radius) - (hi - lo) / 2))))
    ok = num.passed and node <= 1e-15 and (cert is None or cert.passed) and faces == 0.0
    return Evidence(ok, num.measured, num.tolerance, "E = ⟨a,x⟩, a = (1, −2, 0.5) on the box ε = (0.1, 0.2, 0.3), T = 0.5",
                    f"EDE with the {'restricted' if constrained_slope else 'unconstrained'} slope: max |R| = {num.measured:.2e}; "
                    f"clipped IFGSM node error {node:.1e}; restricted slope on 400 face points against the definition, and "
                    f"Box.from_bounds(lower, upper) against the box (faces, centre, radius, projection of 50 points): max error {faces:.1e}" + (f"; interval arithmetic: {cert.status}" if cert else ""))


def _c23_symbolic(unconstrained: bool = False) -> Evidence:
    """The ascent toy −|x|²/2 stopped on the budget box ε = 0.2 (x₀ = (0.5, −0.3), T = 0.4): its exact proof, EDE
    per piece with the constrained slope (|x|₁ while moving, 0 once every coordinate rests on its face).
    ``unconstrained`` keeps the slope |x|₁ on the resting piece (the control: energy constant, slope positive)."""
    import copy

    import sympy as sp

    f = ascent_flow([0.5, -0.3], T=0.4, eps=0.2)
    if unconstrained:
        f = copy.copy(f)
        f.slope_expr = lambda x, k: sum((sp.Abs(v) for v in x), sp.Integer(0))
    rep = f.verify_symbolic()
    return Evidence(rep.passed and len(f.pieces) == 2, float(not rep.passed), 0.5,
                    "the ascent toy −|x|²/2 on the budget box ε = 0.2, exact in sympy"
                    + ("; the resting piece with the unconstrained slope" if unconstrained else ""), str(rep))


def _c23_one_step(profile: str) -> Evidence:
    """Minimal control: the box flow sampled at 1000 steps with one step (t = 0.15) 1e-6 slower. The two
    coordinates still moving then stop 5e-10 short of their faces and rest there, where the restricted slope
    still counts them: the curve is no flow of E|_S, and the EDE must say so."""
    f = box_linear_flow([1.0, -2.0, 0.5], [0.0, 0.0, 0.0], [0.1, 0.2, 0.3], 0.5)
    box, E = f.box, f.energy  # type: ignore[attr-defined]
    r = check_energy_dissipation(one_step_faster(sample(f, 1000), 300, 1 - 1e-6), E, LINF,
                                 slope=lambda x: box.restricted_slope(x, E.grad(x), tol=1e-12))
    return Evidence(r.passed, r.measured, r.tolerance, "the box flow with one of its 1000 steps 1e-6 slower", str(r))


def _c23_certified_slow(profile: str) -> Evidence:
    """Minimal control of the certified mode: the exact box flow with its second piece run 1e-6 slower (a
    rational curve, so interval arithmetic sees the whole defect). The certificate must refute it."""
    r = certify_energy_dissipation(_slowed_box_flow("1/1000000"))
    return Evidence(r.passed, r.measured, r.tolerance, "the box flow with its second piece 1e-6 slower, certified mode",
                    f"interval arithmetic: {r.status}")


def _slowed_box_flow(slow: Any) -> Any:
    """The exact box flow with its second piece run slower by the factor 1 − ``slow`` (a sympy Rational)."""
    import sympy as sp

    from maxslope.exact.closed_form import T_SYM, Piece

    f = box_linear_flow([1.0, -2.0, 0.5], [0.0, 0.0, 0.0], [0.1, 0.2, 0.3], 0.5)
    p1 = f.pieces[1]
    pieces = list(f.pieces)
    pieces[1] = Piece(p1.t0, p1.t1, p1.u.subs(T_SYM, p1.t0 + (T_SYM - p1.t0) * (1 - sp.Rational(slow))))
    return type(f).from_pieces(f"box flow, piece 2 slower by {slow}", f, pieces)


def _dented_linear_flow() -> Any:
    """The ∞-flow of ⟨a, x⟩, a = (1, −2, ½), from 0 on [0, 1], run along u(t) = −sign(a)(t − δt(1 − t)), δ = 1e-6:
    the same path and end point, a little slow first and fast later, so R(t) = −‖a‖₁δ t(1 − t) vanishes at both
    ends of the piece and is about −9e-7 in the middle."""
    import sympy as sp

    from maxslope.exact import linear_flow
    from maxslope.exact.closed_form import T_SYM, Piece

    f = linear_flow([1, -2, 0.5], [0, 0, 0], T=1)
    d = sp.Rational(1, 10**6)
    u = sp.Matrix([-1, 1, -1]) * (T_SYM - d * T_SYM * (1 - T_SYM))
    return type(f).from_pieces("linear flow with a dent", f, [Piece(sp.Integer(0), sp.Integer(1), u)])


def _exact_residual(flow: Any, t: Any) -> Any:
    """R(t) = E(u(0)) − E(u(t)) − ∫₀ᵗ |∂E|(u(r)) dr in exact sympy arithmetic at a rational time t, from the
    flow's energy and slope expressions (the |·| resolved by sympy at t itself, not by the certificate)."""
    import sympy as sp

    from maxslope.exact.closed_form import T_SYM

    r = sp.Symbol("r", real=True)
    total = sp.Integer(0)
    for k, pc in enumerate(flow.pieces):
        end = min(pc.t1, t)
        if end > pc.t0:
            total += sp.integrate(sp.piecewise_fold(flow.slope_expr(pc.u, k).subs(T_SYM, r)), (r, pc.t0, end))
        if pc.t1 >= t:
            return sp.nsimplify(flow.energy_expr(flow.pieces[0].u.subs(T_SYM, 0)) - flow.energy_expr(pc.u.subs(T_SYM, t)) - total)
    raise ValueError(f"t = {t} is past the last piece")


def _c23_certificate(profile: str, tamper: object = None) -> Evidence:
    """The certified mode's own verdicts, each against what exact arithmetic says:

    * refutation from one cell per piece (bisection needed): the box flow with its second piece 1e−6 slower is
      refuted on that piece, with R < 0 (it dissipates too little), and exact sympy arithmetic gives
      R(midpoint of the witness cell) < −tol;
    * honesty: without bisection (``max_depth = 0``) the same curve is *undecided*, never certified, and the
      undecided cell it reports lies on the slowed piece;
    * a dent (:func:`_dented_linear_flow`): |R| crosses the tolerance near both ends, where cells stay undecided
      at any depth; the certificate must go on past them and refute the middle;
    * precision: the sliding flow, whose |·| argument vanishes at the end of its first piece, is certified at every
      working precision from 15 to 50 digits;
    * both signs of |·| arguments: the ℓ1 and separable-quadratic flows from a start with negative coordinates
      are certified.

    ``tamper(runs)`` edits the results by name (the negative control)."""
    from maxslope.exact import l1norm_flow, separable_quadratic_flow, sliding_flow

    slow, dent = _slowed_box_flow("1/1000000"), _dented_linear_flow()
    x0 = [0.73, -0.41, 0.05]
    runs = {
        "slowed": certify_energy_dissipation(slow, cells=1, max_depth=40),
        "undecided": certify_energy_dissipation(slow, cells=1, max_depth=0),
        "dent": certify_energy_dissipation(dent, tol=1e-8, cells=4, max_depth=12),
        **{f"sliding flow, {d} digits": certify_energy_dissipation(sliding_flow(), cells=4, max_depth=2, dps=d) for d in (15, 20, 25, 30, 40, 50)},
        "ℓ1 flow, a negative coordinate": certify_energy_dissipation(l1norm_flow(x0), cells=4, max_depth=2),
        "quadratic flow, a negative coordinate": certify_energy_dissipation(separable_quadratic_flow([1, 2, 3], x0), cells=4, max_depth=2),
    }
    if callable(tamper):
        tamper(runs)
    wrong = [w for w in (_refuted_below(slow, runs["slowed"], 1), _refuted_below(dent, runs["dent"], 0)) if w]
    und = runs["undecided"]
    if und.status != "undecided":
        wrong.append(f"without bisection: {und.status}")
    elif und.details.get("piece") != 1 or und.witness is None or not float(slow.pieces[1].t0) <= und.witness[0] < und.witness[1] <= float(slow.pieces[1].t1):
        wrong.append(f"without bisection: undecided at {und.witness} {und.details}, not on the slowed piece 1")
    wrong += [f"{n}: {x.status}" for n, x in runs.items() if n not in ("slowed", "undecided", "dent") and x.status != "certified"]
    # a certificate covers every initial cell of every piece: it reports at least that many cells examined
    flows = {"ℓ1 flow, a negative coordinate": l1norm_flow(x0), "quadratic flow, a negative coordinate": separable_quadratic_flow([1, 2, 3], x0),
             **{n: sliding_flow() for n in runs if n.startswith("sliding")}}
    wrong += [f"{n}: {runs[n].cells} cells examined, fewer than the {4 * len(f.pieces)} initial ones"
              for n, f in flows.items() if not (isinstance(runs[n].cells, int) and runs[n].cells >= 4 * len(f.pieces))]
    return Evidence(not wrong, len(wrong), 0.5,
                    f"certified mode: {len(runs)} certificates (a refutation by bisection checked in exact arithmetic, "
                    "an undecided case, a dent refuted past undecided cells, 6 working precisions, both signs of |·| arguments)",
                    "; ".join(wrong) or f"all as exact arithmetic says (refuted at witness {runs['slowed'].witness}, sign −1)")


def _refuted_below(flow: Any, r: Any, piece: int) -> str:
    """What is wrong with ``r`` as a refutation of ``flow`` with R < 0 on ``piece`` ("" if nothing): the status,
    the piece, the sign −1, a witness cell inside that piece, and R < −tol at the witness's midpoint in exact
    sympy arithmetic (:func:`_exact_residual`)."""
    import sympy as sp

    w = r.witness
    if r.status != "refuted" or r.details.get("piece") != piece or r.details.get("sign") != -1 or w is None:
        return f"{flow.name}: {r} {r.details}"
    pc = flow.pieces[piece]
    if not float(pc.t0) <= w[0] < w[1] <= float(pc.t1):
        return f"{flow.name}: witness cell {w} outside piece {piece}, [{float(pc.t0)}, {float(pc.t1)}]"
    R = _exact_residual(flow, (sp.Rational(w[0]) + sp.Rational(w[1])) / 2)
    return "" if R < -sp.Rational(r.tol) else f"{flow.name}: exact R at the witness midpoint {float(R):.3e} is not below −tol"


def _one_sign_flipped(runs: dict) -> None:
    """A negative control: the refutation's reported sign flipped (R > 0 instead of R < 0), nothing else."""
    r = runs["slowed"]
    runs["slowed"] = type(r)(r.status, r.tol, r.enclosure_max, r.cells, r.witness, {**r.details, "sign": -r.details.get("sign", 0)})


def _c23_face_points(box: ms.Box) -> float:
    """max |restricted_slope − Σ_{i free} |g_i||, with "free" from the definition: x_i − δ sign(g_i) stays in the box.

    Points on every face and corner, gradients in [−2, 2] with exact zeros and both signs on both faces (a
    coordinate on the upper face whose gradient points inwards is free, whatever the size of the gradient).
    """
    rng = np.random.default_rng(23)
    lo, hi = np.asarray(box.lower, dtype=np.float64), np.asarray(box.upper, dtype=np.float64)
    side = rng.integers(-1, 2, size=(400, lo.shape[-1]))  # −1 lower face, 0 interior, +1 upper face
    x = np.where(side < 0, lo, np.where(side > 0, hi, (lo + hi) / 2))
    g = np.round(rng.uniform(-2.0, 2.0, size=x.shape), 1)  # exact zeros occur
    delta = 1e-6 * float(np.min(hi - lo))
    y = x - delta * np.sign(g)
    free = (y >= lo) & (y <= hi)
    ref = np.where(free, np.abs(g), 0.0).sum(-1)
    return float(np.max(np.abs(np.asarray(box.restricted_slope(x, g)) - ref)))


register(
    id="C23",
    title="box-constrained flow",
    statement="On S = B̄_ε(x₀) the EDE holds with the slope Σ_{i unblocked} |∂_iE|; for E = ⟨a,x⟩ the flow is u_i = x₀,ᵢ − sign(a_i) min(t, ε_i) and clipped IFGSM is exact at the nodes.",
    hypotheses="E ∈ C¹ (a derivation of this project)",
    section="§1.7, §2 C23",
    check=lambda pr: all_hold([_c23_measure(pr, True), _c23_certificate(pr), _c23_symbolic()]),
    negative=lambda pr: all_rejected([_c23_measure(pr, False), _c23_one_step(pr), _c23_certified_slow(pr),
                                      _c23_certificate(pr, _one_sign_flipped), _c23_symbolic(unconstrained=True)]),
    negative_description="the unconstrained slope ‖∇E‖₁ on the box flow (ignores blocked coordinates); the box "
                         "flow with one of its 1000 steps 1e-6 slower, which leaves coordinates just short of their faces; "
                         "and in certified (interval) mode, the exact box flow with its second piece 1e-6 slower, and "
                         "the certificates' record with the refutation's sign flipped (one number); the ascent toy's exact proof with the "
                         "unconstrained slope on its resting piece",
)

