r"""The semi-implicit scheme = normalized steepest descent."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._dask import check_dask_constraint, is_dask_array, trajectory_by_chunks
from ..curves import Trajectory
from ..energies import _blame
from ._common import other_space, prepare
from .progress import _Reporter, check_callback, check_progress, is_chunked, no_callback_for_chunks, with_progress

__all__ = ["steepest_descent"]


def steepest_descent(
    E: Any,
    space: Any,
    x0: Any,
    tau: float,
    steps: int | None = None,
    T: float | None = None,
    constraint: Any = None,
    selection: Any = None,
    record_every: int = 1,
    callback: Any = None,
    progress: Any = False,
) -> Trajectory:
    r"""Normalized steepest descent :math:`x^{k+1} = \Pi_C(x^k - \tau v^k)`, :math:`v^k \in \partial\|\cdot\|_*(\nabla E(x^k))`.

    This is the semi-implicit (linearized) minimizing movement: :math:`x^{k+1} \in \arg\min\{E(x^k) +
    \langle \nabla E(x^k), x - x^k\rangle : \|x - x^k\| \le \tau\}`, the explicit Euler scheme of
    the differential inclusion :math:`\dot u \in -\partial\|\cdot\|_*(\nabla E(u))`. By geometry:

    * ℓ∞: signed gradient descent :math:`x - \tau\,\mathrm{sign}\nabla E` (IFGSM without clipping);
    * ℓ2: normalized gradient descent :math:`x - \tau\,\nabla E/|\nabla E|_2`;
    * ℓp: :math:`v = \mathrm{sign}(\xi)|\xi|^{q-1}/\|\xi\|_q^{q-1}`;
    * ℓ1: greedy coordinate descent (one-hot at the largest :math:`|\partial_i E|`);
    * :math:`W_q` (``space`` a :class:`~maxslope.wasserstein.Wasserstein`, ``x0`` an ``Empirical``): every
      particle moves along the steepest :math:`L^q(\mu)` direction of the field :math:`\xi` of the energy,
      :math:`x_i - \tau u_i\|\xi_i\|_*^{q'-1}/(\sum_j w_j\|\xi_j\|_*^{q'})^{1/q}` with :math:`u_i` the ground
      steepest direction (:math:`q = \infty`: :math:`x_i - \tau u_i`, batch IFGSM in ℓ∞); ``selection`` may give
      one rule per particle, so that the copies of a split atom leave a critical point in different directions.

    With ``constraint=Box(x0, eps)`` in ℓ∞ the projection is a coordinatewise clamp, and the result is exactly
    the semi-implicit scheme on :math:`S = \bar B_\varepsilon(x_0)`, i.e. clipped IFGSM (claim C21(ii)); in other
    geometries it is projected normalized descent. The whole batch of start points moves in one array
    operation per step (no Python loop over points).

    A Dask array ``x0`` (chunked along its batch axes, not along the coordinates) runs this NumPy scheme chunk
    by chunk; the Trajectory's ``points`` and ``energies`` are Dask arrays chunked like ``x0``, equal bit for bit
    to the in-memory run (see :doc:`/cluster`).

    Parameters
    ----------
    E, space, x0, tau, steps, T, constraint, record_every, callback, progress
        As in :func:`~maxslope.schemes.minimizing_movement`.
    selection : str or float, optional
        The element of the steepest set where it is not unique (see :meth:`Lp.steepest_direction`): ℓ∞
        ``"zero"`` (default, ``sign(0) = 0``) or a value in [−1, 1]; ℓ1 ``"first"`` or ``"average"``.

    Returns
    -------
    Trajectory
        Nodes at :math:`t_k = k\tau` in the library and dtype of ``x0``, with energies and ``meta`` (scheme, p,
        tau, steps, space, selection, constraint, ``stopped_at`` when a callback stopped the run).

    Examples
    --------
    Signed gradient descent on :math:`E(x) = \tfrac12(x_1^2 + 3x_2^2)`: every coordinate moves by τ until it
    reaches 0 (up to rounding), then chatters across it:

    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import steepest_descent
    >>> tr = steepest_descent(ms.SeparableQuadratic([1.0, 3.0]), ms.Lp(math.inf), np.array([0.25, -0.1]), 0.05, steps=6)
    >>> np.round(tr.points[:, 0], 2).tolist(), np.round(tr.points[:, 1], 2).tolist()
    ([0.25, 0.2, 0.15, 0.1, 0.05, 0.0, -0.05], [-0.1, -0.05, 0.0, 0.0, 0.0, 0.0, 0.0])
    """
    callback = check_callback(callback)
    progress = check_progress(progress)
    if is_dask_array(x0) and not hasattr(space, "_steepest_descent"):
        no_callback_for_chunks(callback)
        check_dask_constraint(constraint)
        return trajectory_by_chunks(  # type: ignore[no-any-return]
            lambda xb: steepest_descent(E, space, xb, tau, steps, T, constraint, selection, record_every), x0)
    other = other_space(space, "_steepest_descent", tau, steps, T, constraint, record_every)
    if not is_chunked(x0):
        callback = with_progress(callback, progress)
    if other is not None:
        fn, tau_, K_, rec = other
        return fn(E, x0, tau_, K_, selection, rec, callback=callback)  # type: ignore[no-any-return]
    E, xp, x0, tau, K, C, record_every = prepare(E, space, x0, tau, steps, T, constraint, record_every)
    space.steepest_direction(xp.ones((1, x0.shape[-1]), dtype=x0.dtype), selection=selection)  # validates selection

    x = x0
    pts, ens, times = [x], [E.value(x)], [0.0]
    report = _Reporter(callback, K, E.value)
    with np.errstate(over="ignore", invalid="ignore"), _blame('tau', tau, 'the energy of an iterate is not finite'):  # overflow is refused, naming tau
        for k in range(K):
            v = space.steepest_direction(E.grad(x), selection=selection)
            x = x - tau * v
            if C is not None:
                x = C.project(x)
            recorded = (k + 1) % record_every == 0 or k + 1 == K
            e = E.value(x) if recorded else None  # a recorded node's energy is handed on, not evaluated twice
            stop = report(k, tau, x, e)
            if recorded or stop:
                pts.append(x)
                ens.append(E.value(x) if e is None else e)
                times.append((k + 1) * tau)
            if stop:
                break
    meta = {
        "scheme": "steepest_descent",
        "p": space.p,
        "tau": tau,
        "steps": K,
        "space": repr(space),
        "selection": "default" if selection is None else selection,
        "constraint": None if C is None else repr(C),
        "record_every": record_every,
    }
    if report.stopped_at is not None:
        meta["stopped_at"] = report.stopped_at
    energies = xp.stack(ens, axis=0)
    if not bool(xp.all(xp.isfinite(energies))):
        raise ValueError(f"argument 'tau' ({tau!r}) is too large: the iterates or their energies overflow")
    return Trajectory(np.asarray(times), xp.stack(pts, axis=0), energies, meta)
