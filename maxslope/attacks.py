r"""Attack presets: FGSM, IFGSM (BIM) and PGD as normalized steepest *ascent* of a loss :math:`\ell` (E = −ℓ).

Each preset is a chain of a direction map (the steepest-set selection of the attack norm), a step, and
projections (budget ball and data box). The order of the projections and their floating-point form is what
distinguishes the attack libraries, and ``convention`` reproduces each library's documented code path so that
its iterates can be reproduced to the last bit in float32 (the arithmetic is done in the input's dtype, with
Python-float constants that NumPy / CuPy / torch all round to that dtype first):

``"maxslope"`` (default)
    The semi-implicit scheme on :math:`S = \bar B_\varepsilon(x_0) \cap [\mathrm{lo}, \mathrm{hi}]^d`: step, then
    the exact Euclidean projection onto the intersection; for ℓ∞ that is
    :math:`\mathrm{clip}(x, \max(x_0 - \varepsilon, \mathrm{lo}), \min(x_0 + \varepsilon, \mathrm{hi}))` (spec
    C21(ii)). ℓ2 / ℓ1 use Dykstra's algorithm for the intersection.
``"torchattacks"`` (torchattacks 3.5.1, ``FGSM``, ``BIM``, ``PGD``, ``PGDL2``)
    FGSM: ``clamp(x0 + eps*sign(g), lo, hi)``. IFGSM (``BIM``): step, then ``max(x, max(x0 - eps, lo))``,
    ``min(·, x0 + eps)``, ``min(·, hi)``. PGD ℓ∞: step, ``delta = clamp(x - x0, -eps, eps)``,
    ``clamp(x0 + delta, lo, hi)`` (ball then box, :math:`x_0 + \mathrm{clip}(x - x_0)` form). PGD ℓ2: direction
    ``g / (|g|_2 + 1e-10)``, ``delta *= min(eps/|delta|_2, 1)``, then box. No ℓ1 PGD exists there.
``"foolbox"`` (foolbox 3.3.4, ``LinfPGD`` / ``L2PGD`` / ``L1PGD``, ``FGSM`` = ``LinfPGD`` with one step and
    ``rel_stepsize=1``) step, ``x0 + clip(x - x0, -eps, eps)`` (ℓ∞) or ``x0 + (x - x0)*min(1, eps/max(|x - x0|_p,
    1e-12))`` (ℓ2, ℓ1 — a rescaling, not the Euclidean projection), then the box. Directions ``sign(g)``,
    ``g * (1/max(|g|_p, 1e-12))``.
``"art"`` (adversarial-robustness-toolbox 1.x, ``FastGradientMethod`` / ``ProjectedGradientDescentNumpy``)
    step, **box first** (``clip(x, lo, hi)``), then ``x0 + projection(x - x0)`` with
    ``sign(v)*min(|v|, eps)`` (ℓ∞) or ``v*min(1, eps/(|v|_p + 1e-7))`` (ℓ2, ℓ1). Directions ``sign(g)``,
    ``g/(|g|_p + 1e-7)``.

Note that the ℓ1 directions of foolbox and ART (``g/|g|_1``) are *not* in the ℓ1 steepest set
:math:`\mathrm{conv}\{\mathrm{sign}(g_i)e_i : |g_i| = \|g\|_\infty\}`; only ``"maxslope"`` uses greedy coordinate
ascent for ℓ1. Random starts use NumPy's generator (seeded), so random-start runs are reproducible within
maxslope but cannot match another library's random numbers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._backend import as_float_array, check_positive_scalar, from_numpy, namespace
from .curves import Trajectory
from .energies import Negated, as_energy
from .spaces.box import Box
from .spaces.lp import Lp

__all__ = ["fgsm", "ifgsm", "pgd", "CONVENTIONS"]

CONVENTIONS = ("maxslope", "torchattacks", "foolbox", "art")


def _norm(norm: Any) -> float:
    if norm in ("inf", "linf", math.inf):
        return math.inf
    if norm in (1, 1.0, "l1"):
        return 1.0
    if norm in (2, 2.0, "l2"):
        return 2.0
    raise ValueError(f"argument 'norm' must be inf, 2 or 1, got {norm!r}")


def _plain_norm(xp: Any, v: Any, p: float) -> Any:
    """The libraries' unscaled norms, sqrt(sum(v*v)) and sum(|v|), for bit-level agreement with them."""
    if p == 2.0:
        return xp.sqrt(xp.sum(v * v, axis=-1))
    return xp.sum(xp.abs(v), axis=-1)


def _direction(xp: Any, g: Any, p: float, convention: str) -> Any:
    if p == math.inf:
        return xp.sign(g)
    n = _plain_norm(xp, g, p)[..., None]
    if convention == "maxslope":
        return Lp(p).steepest_direction(g)
    if convention == "torchattacks":
        return g / (n + 1e-10)
    if convention == "foolbox":
        return g * (1 / xp.maximum(n, xp.full_like(n, 1e-12)))  # foolbox multiplies by the reciprocal
    return g / (n + 1e-7)  # art


def _project(xp: Any, x: Any, x0: Any, eps: float, p: float, bounds: tuple[float, float] | None, convention: str, first: bool) -> Any:
    lo, hi = bounds if bounds is not None else (-math.inf, math.inf)
    if convention == "maxslope":
        if p == math.inf:
            a = xp.maximum(x0 - eps, xp.full_like(x0, lo)) if bounds is not None else x0 - eps
            b = xp.minimum(x0 + eps, xp.full_like(x0, hi)) if bounds is not None else x0 + eps
            return xp.minimum(xp.maximum(x, a), b)
        space = Lp(p)
        if bounds is None:
            return space.project_ball(x, x0, eps)
        box = Box.from_bounds(xp.full_like(x0, lo), xp.full_like(x0, hi))
        y, pp, qq = x, xp.zeros_like(x), xp.zeros_like(x)
        for _ in range(100):  # Dykstra: ball ∩ box
            z = space.project_ball(y + pp, x0, eps)
            pp = y + pp - z
            y = box.project(z + qq)
            qq = z + qq - y
        return y
    if convention == "torchattacks":
        if p == math.inf:
            if first:  # BIM
                a = xp.maximum(x0 - eps, xp.full_like(x0, lo)) if bounds is not None else x0 - eps
                x = xp.maximum(x, a)
                x = xp.minimum(x, x0 + eps)
                return xp.minimum(x, xp.full_like(x, hi)) if bounds is not None else x
            delta = xp.clip(x - x0, -eps, eps)
            x = x0 + delta
        else:
            delta = x - x0
            dn = _plain_norm(xp, delta, 2.0)[..., None]
            with np.errstate(divide="ignore"):
                factor = eps / dn
            factor = xp.minimum(factor, xp.ones_like(factor))
            x = x0 + delta * factor
        return xp.clip(x, lo, hi) if bounds is not None else x
    if convention == "foolbox":
        if p == math.inf:
            x = x0 + xp.clip(x - x0, -eps, eps)
        else:
            v = x - x0
            n = xp.maximum(_plain_norm(xp, v, p)[..., None], xp.full_like(v[..., :1], 1e-12))
            x = x0 + v * xp.minimum(xp.ones_like(n), eps / n)
        return xp.clip(x, lo, hi) if bounds is not None else x
    # art: box first, then the ball
    if bounds is not None:
        x = xp.clip(x, lo, hi)
    v = x - x0
    if p == math.inf:
        v = xp.sign(v) * xp.minimum(xp.abs(v), xp.full_like(v, eps))
    else:
        n = _plain_norm(xp, v, p)[..., None]
        v = v * xp.minimum(xp.ones_like(n), eps / (n + 1e-7))
    return x0 + v


def _validate(loss: Any, x0: Any, eps: Any, bounds: Any, convention: str) -> tuple[Any, Any, Any, float, tuple[float, float] | None]:
    loss = as_energy(loss, "loss")
    xp = namespace(x0=x0)
    x0 = as_float_array(x0, "x0", xp, min_ndim=1)
    eps = check_positive_scalar(eps, "eps")
    if convention not in CONVENTIONS:
        raise ValueError(f"argument 'convention' must be one of {CONVENTIONS}, got {convention!r}")
    if bounds is not None:
        try:
            lo, hi = (float(bounds[0]), float(bounds[1]))
        except (TypeError, ValueError, IndexError):
            raise TypeError("argument 'bounds' must be a pair (lo, hi) or None") from None
        if not (lo < hi) or math.isnan(lo) or math.isnan(hi):
            raise ValueError(f"argument 'bounds' must satisfy lo < hi, got {bounds!r}")
        if bool(xp.any(x0 < lo)) or bool(xp.any(x0 > hi)):
            raise ValueError("argument 'x0' lies outside 'bounds'")
        bounds = (lo, hi)
    return loss, xp, x0, eps, bounds


def fgsm(loss: Any, x0: Any, eps: float, bounds: tuple[float, float] | None = None, convention: str = "maxslope") -> Any:
    r"""Fast gradient sign method: one signed-gradient *ascent* step of size :math:`\varepsilon` on :math:`\ell`.

    :math:`\tilde x = x_0 + \varepsilon\,\mathrm{sign}\nabla\ell(x_0)`, clipped to ``bounds``; this is one
    semi-implicit step with :math:`\tau = \varepsilon` for :math:`E = -\ell` (spec §1.7).
    """
    loss, xp, x0, eps, bounds = _validate(loss, x0, eps, bounds, convention)
    g = loss.grad(x0)
    x = x0 + eps * xp.sign(g)
    if convention == "torchattacks":
        return xp.clip(x, bounds[0], bounds[1]) if bounds is not None else x
    return _project(xp, x, x0, eps, math.inf, bounds, convention, first=False)


def ifgsm(
    loss: Any,
    x0: Any,
    eps: float,
    alpha: float,
    steps: int,
    bounds: tuple[float, float] | None = None,
    random_start: bool = False,
    seed: int | None = None,
    convention: str = "maxslope",
) -> Trajectory:
    r"""Iterative FGSM (BIM, Kurakin et al.): :math:`x^{k+1} = \Pi(x^k + \alpha\,\mathrm{sign}\nabla\ell(x^k))`.

    With ``convention="maxslope"`` this is exactly the semi-implicit scheme of :math:`E = -\ell` on the budget
    box (spec C21(ii)); with :math:`K\alpha \le \varepsilon` the projection never acts (spec C21(i)).
    Returns a :class:`Trajectory` with energies :math:`E = -\ell`.
    """
    return _iterate(loss, x0, eps, alpha, steps, math.inf, bounds, random_start, seed, convention, bim=True)


def pgd(
    loss: Any,
    x0: Any,
    eps: float,
    alpha: float,
    steps: int,
    norm: Any = math.inf,
    bounds: tuple[float, float] | None = None,
    random_start: bool = False,
    seed: int | None = None,
    convention: str = "maxslope",
) -> Trajectory:
    r"""Projected gradient *ascent* on :math:`\ell` in the ℓ∞, ℓ2 or ℓ1 ball of radius :math:`\varepsilon`.

    The direction is the normalized gradient of the convention (the steepest-set element for ``"maxslope"``),
    the step :math:`\alpha`, then the convention's projections (see the module docstring).
    """
    return _iterate(loss, x0, eps, alpha, steps, _norm(norm), bounds, random_start, seed, convention, bim=False)


def _iterate(
    loss: Any,
    x0: Any,
    eps: float,
    alpha: float,
    steps: int,
    p: float,
    bounds: Any,
    random_start: bool,
    seed: int | None,
    convention: str,
    bim: bool,
) -> Trajectory:
    loss, xp, x0, eps, bounds = _validate(loss, x0, eps, bounds, convention)
    alpha = check_positive_scalar(alpha, "alpha")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"argument 'steps' must be a non-negative integer, got {steps!r}")
    if convention == "torchattacks" and p == 1.0:
        raise ValueError("convention='torchattacks' has no l1 PGD; use 'foolbox', 'art' or 'maxslope'")
    x = x0
    if random_start:
        rng = np.random.default_rng(seed)
        shape = tuple(x0.shape)
        if p == math.inf:
            delta = rng.uniform(-eps, eps, size=shape)
        else:
            g = rng.standard_normal(size=shape)
            g /= np.linalg.norm(g, ord=p, axis=-1, keepdims=True)
            delta = g * eps * rng.uniform(size=shape[:-1] + (1,)) ** (1.0 / shape[-1])
        x = x0 + xp.astype(from_numpy(delta, x0), x0.dtype)
        if bounds is not None:
            x = xp.clip(x, bounds[0], bounds[1])
    E = Negated(loss)
    pts, ens = [x], [E.value(x)]
    for _ in range(steps):
        g = loss.grad(x)
        x = x + alpha * _direction(xp, g, p, convention)
        x = _project(xp, x, x0, eps, p, bounds, convention, first=bim)
        pts.append(x)
        ens.append(E.value(x))
    meta = {
        "scheme": "ifgsm" if bim else "pgd",
        "tau": alpha,
        "eps": eps,
        "p": p,
        "steps": steps,
        "convention": convention,
        "bounds": bounds,
        "random_start": random_start,
        "seed": seed,
        "energy": "E = -loss",
    }
    return Trajectory(np.arange(steps + 1) * alpha, xp.stack(pts, axis=0), xp.stack(ens, axis=0), meta)
