r"""Local slopes :math:`|\partial E|(x) = \limsup_{y \to x} (E(x) - E(y))^+ / d(x, y)` (claims C5, W2, W8).

Both functions take any space of the metric-space layer: an :class:`~maxslope.spaces.Lp` space with array points,
or a :class:`~maxslope.wasserstein.Wasserstein` space with :class:`~maxslope.wasserstein.Empirical` points (a
ground energy :math:`V` is then read as the potential energy :math:`\int V\,d\mu`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._backend import as_float_array, check_positive_scalar, namespace
from .energies import _blame, as_energy
from .spaces.base import check_space
from .spaces.lp import Lp

__all__ = ["slope", "numerical_slope"]


def _energy_in(E: Any, space: Any) -> Any:
    lift = getattr(space, "lift_energy", None)
    return lift(E) if lift is not None else as_energy(E)


def slope(E: Any, space: Any, x: Any) -> Any:
    r"""The exact local slope of ``E`` at ``x`` in the metric space ``space``, batched over ``x``.

    * Normed space, :math:`E \in C^1`: :math:`|\partial E|(x) = \|\nabla E(x)\|_*` (claim C5); for a convex nonsmooth
      energy (:class:`~maxslope.energies.L1Norm`) the dual norm of the minimal-norm subgradient.
    * :math:`W_p` over a normed ground space: :math:`(\int \|\xi\|_*^{p'}\,d\mu)^{1/p'}` with :math:`\xi` the gradient
      field of the first variation (claim W2; :math:`\int\|\nabla V\|_*\,d\mu` for a potential in :math:`W_\infty`).

    The formula is the energy's ``slope(space, x)`` method, so an energy may override it.

    Parameters
    ----------
    E : Energy or MeasureEnergy
        The energy (a ground energy :math:`V` is read as :math:`\int V\,d\mu` in a Wasserstein space).
    space : MetricSpace
        ``Lp(p)`` or ``Wasserstein(p, Lp(q))``.
    x : array or Empirical
        A point or a batch of points (shape ``(..., d)``), or a measure.

    Returns
    -------
    array or float
        :math:`|\partial E|(x)`, one value per batch point (a float for a measure).

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> import maxslope as ms
    >>> from maxslope.wasserstein import Empirical, Wasserstein
    >>> V = ms.Linear(np.array([1.0, -2.0]))
    >>> float(ms.slope(V, ms.Lp(math.inf), np.zeros(2)))
    3.0
    >>> ms.slope(V, Wasserstein(math.inf, ms.Lp(math.inf)), Empirical(np.zeros((4, 2))))
    3.0
    """
    space = check_space(space)
    return _energy_in(E, space).slope(space, x)


def numerical_slope(
    E: Any, space: Any, x: Any, h: float, n: int = 720, rng: np.random.Generator | int | None = 0, method: str = "dual"
) -> Any:
    r"""A gradient-free difference-quotient slope :math:`\max_{d(y, x) = h} (E(x) - E(y))^+ / h`, batched over ``x``.

    In a normed space the maximum runs over a finite set of points :math:`y = x + h v`, :math:`\|v\| = 1`:

    * the extreme points of the unit ball where they are few (ℓ∞ with :math:`d \le 16`: :math:`\{\pm1\}^d`; ℓ1:
      :math:`\pm e_i`), else ``n`` points of the unit sphere (equally spaced angles in :math:`d = 2`, seeded
      Gaussian directions otherwise);
    * with ``method="dual"`` (default) also :math:`v^* = -J(\hat g)`, the steepest unit direction of the
      central-difference estimate :math:`\hat g_j = (E(x + h e_j) - E(x - h e_j))/(2h)` of the gradient (2d more
      evaluations, no gradient call). A finite sample never contains the maximizing direction, so
      ``method="sample"`` stalls at a fixed relative error in smooth norms (about 1.5 % in ℓ2 with d = 4); with
      :math:`v^*` the quotient converges to :math:`\|\nabla E(x)\|_*` at :math:`O(h)` for :math:`C^2` energies in
      every ℓp and dimension (claim W8).

    In :math:`W_p` the energy's ``numerical_slope(space, mu, h)`` is used: in :math:`W_\infty` a potential energy's
    is exactly the per-atom ground quotient :math:`\sum_i w_i \max_{\|y - x_i\| = h}(V(x_i) - V(y))^+/h` (claim W2).

    Parameters
    ----------
    E : Energy or MeasureEnergy
        The energy; only its values are used.
    space : MetricSpace
        ``Lp(p)`` or ``Wasserstein(p, Lp(q))``.
    x : array or Empirical
        A point or a batch of points, or a measure.
    h : float
        The radius of the difference quotient, :math:`h > 0`.
    n : int
        Sample directions where the unit ball has too many extreme points.
    rng : numpy.random.Generator or int or None
        The seed or generator of the sampled directions.
    method : {"dual", "sample"}
        Add the dual direction of the central-difference gradient (default), or use the samples alone.

    Returns
    -------
    array or float
        The quotient, one value per batch point (a float for a measure); it never exceeds the exact slope by more
        than :math:`O(h)`, and converges to it as :math:`h \to 0` with ``method="dual"``.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.SeparableQuadratic([1.0, 3.0])
    >>> x = np.array([0.5, -0.2])
    >>> exact = float(ms.slope(E, ms.Lp(2.0), x))
    >>> [round(abs(float(ms.numerical_slope(E, ms.Lp(2.0), x, h)) - exact) / h, 2) for h in (1e-2, 1e-3)]  # O(h): C·h
    [1.08, 1.09]
    """
    space = check_space(space)
    if not isinstance(space, Lp):
        if method not in ("dual", "sample"):
            raise ValueError(f"argument 'method' must be 'dual' or 'sample', got {method!r}")
        return _energy_in(E, space).numerical_slope(space, x, h)
    E = as_energy(E)
    xp = namespace(x=x)
    x = as_float_array(x, "x", xp, min_ndim=1)
    h = check_positive_scalar(h, "h")
    if method not in ("dual", "sample"):
        raise ValueError(f"argument 'method' must be 'dual' or 'sample', got {method!r}")
    d = int(x.shape[-1])
    if d == 0:
        raise ValueError("argument 'x' has an empty last axis (dimension 0)")
    V = space.extreme_points(d, xp, x.dtype)
    if V is None:
        V = space.sample_sphere(xp.zeros((d,), dtype=x.dtype), 1.0, n, rng)
    e0 = E.value(x)
    with np.errstate(over="ignore", invalid="ignore"), _blame('h', h, 'the energy is not finite on the sphere of radius h'):  # overflow is refused, naming h
        q = (e0[..., None] - E.value(x[..., None, :] + h * V)) / h
        best = xp.max(q, axis=-1)
        if method == "dual":
            eye = xp.eye(d, dtype=x.dtype)
            g = (E.value(x[..., None, :] + h * eye) - E.value(x[..., None, :] - h * eye)) / (2 * h)
            if bool(xp.all(xp.isfinite(g))):
                v = space.steepest_direction(g)
                best = xp.maximum(best, (e0 - E.value(x - h * v)) / h)
            else:
                best = g[..., 0]  # non-finite: refused below
    out = xp.maximum(best, xp.zeros_like(e0))
    if not bool(xp.all(xp.isfinite(out))):
        raise ValueError(f"argument 'h' ({h!r}) is too large: the energy overflows on the sphere of radius h around 'x'")
    return out
