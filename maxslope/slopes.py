r"""Local slopes :math:`|\partial E|(x) = \limsup_{y \to x} (E(x) - E(y))^+ / d(x, y)` (spec §1.2, C5)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._backend import as_float_array, check_positive_scalar, namespace
from .energies import as_energy
from .spaces.lp import Lp

__all__ = ["slope", "numerical_slope"]


def slope(E: Any, space: Lp, x: Any) -> Any:
    r"""The exact local slope of ``E`` at ``x`` in the geometry ``space``, batched.

    For :math:`E \in C^1`: :math:`|\partial E|(x) = \|\nabla E(x)\|_*` (spec C5). For a convex nonsmooth energy
    (:class:`~maxslope.energies.L1Norm`): the dual norm of the minimal-norm subgradient; for
    :math:`E = |x|_1` in :math:`\ell^\infty` this is :math:`\|x\|_0`. An energy may override the formula with a
    ``slope(space, x)`` method.
    """
    E = as_energy(E)
    if not isinstance(space, Lp):
        raise TypeError(f"argument 'space' must be an Lp space, got {type(space).__name__}")
    return E.slope(space, x)


def numerical_slope(
    E: Any, space: Lp, x: Any, h: float, n: int = 720, rng: np.random.Generator | int | None = 0
) -> Any:
    r"""The difference-quotient slope :math:`\max_{\|v\| = 1} (E(x) - E(x + h v))^+ / h`, batched over ``x``.

    The maximum runs over a finite direction set on the unit sphere:

    * :math:`\ell^\infty` (:math:`d \le 16`) and :math:`\ell^1`: the extreme points of the unit ball
      (:math:`\{\pm1\}^d`, resp. :math:`\pm e_i`). For linear :math:`E` the result is exact; for :math:`E \in C^2`
      it equals :math:`\|\nabla E(x)\|_* + O(h)` because the maximizer of :math:`-\langle \nabla E, v\rangle` is an
      extreme point;
    * otherwise ``n`` points of the sphere (equally spaced angles in :math:`d = 2`, seeded Gaussian directions
      else); in :math:`d = 2` the sampling error is :math:`O(n^{-2})\|\nabla E\|_*`.

    This is the quantity of spec C5: it must converge to :func:`slope` as :math:`h \to 0` at rate :math:`O(h)`.
    """
    E = as_energy(E)
    if not isinstance(space, Lp):
        raise TypeError(f"argument 'space' must be an Lp space, got {type(space).__name__}")
    xp = namespace(x=x)
    x = as_float_array(x, "x", xp, min_ndim=1)
    h = check_positive_scalar(h, "h")
    d = int(x.shape[-1])
    V = space.extreme_points(d, xp, x.dtype)
    if V is None:
        V = space.sample_sphere(xp.zeros((d,), dtype=x.dtype), 1.0, n, rng)
    e0 = E.value(x)
    ys = x[..., None, :] + h * V
    e1 = E.value(ys)
    q = (e0[..., None] - e1) / h
    return xp.maximum(xp.max(q, axis=-1), xp.zeros_like(e0))
