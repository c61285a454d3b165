r"""The minimizing-movement scheme (MMS)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import as_float_array, check_p, check_positive_scalar, namespace, to_numpy
from .._dask import check_dask_constraint, is_dask_array, trajectory_by_chunks
from ..curves import Trajectory
from ..energies import as_energy, check_points_for
from ..spaces.lp import Lp, _check_lp
from ._common import check_constraint, other_space, prepare
from .inner import ExactInner, GridInner, get_inner
from .progress import _Reporter, check_callback, check_progress, is_chunked, no_callback_for_chunks, with_progress

__all__ = ["minimizing_movement", "p_step"]

#: relative slack allowed when checking that an inner solver's point is feasible
FEASIBILITY_RTOL = 1e-12


def minimizing_movement(
    E: Any,
    space: Any,
    x0: Any,
    tau: float,
    steps: int | None = None,
    T: float | None = None,
    p: float = math.inf,
    constraint: Any = None,
    inner: Any = "auto",
    record_every: int = 1,
    callback: Any = None,
    progress: Any = False,
) -> Trajectory:
    r"""The minimizing-movement scheme for an energy :math:`E` in the normed space ``space``.

    For :math:`p = \infty` (the ball-constrained step)

    .. math:: x^{k+1} \in \arg\min\{E(x) : \|x - x^k\| \le \tau,\ x \in C\},

    and for finite :math:`p > 1`

    .. math:: x^{k+1} \in \arg\min_{x \in C}\ E(x) + \frac{\|x - x^k\|^p}{p\,\tau^{p-1}}.

    The finite-:math:`p` step is computed exactly from the ball-constrained one through
    :math:`\min_x = \min_{r \ge 0} [f(r) + r^p/(p\tau^{p-1})]`, :math:`f(r) = \min_{\bar B_r(x^k) \cap C} E`, with a
    golden-section search in :math:`r`; :math:`f` is convex for convex :math:`E`, so the search is global then
    (see :func:`p_step`). As :math:`p \to \infty` the step tends to the ball-constrained one (claim C7).

    Parameters
    ----------
    E : Energy or MeasureEnergy
        The energy to decrease (for an attack, ``Negated(loss)``). In a Wasserstein space a ground energy
        :math:`V` is read as the potential energy :math:`\int V\,d\mu`.
    space : Lp or Wasserstein
        The geometry :math:`(\mathbb R^d, \|\cdot\|)`, or :math:`(\mathcal P, W_q)`. In :math:`W_q` potential
        energies decouple exactly into per-atom ground steps when ``p`` equals the order :math:`q` (claim W3);
        every other case needs ``inner="particle"`` (:class:`~maxslope.wasserstein.ParticleInner`, approximate).
    x0 : array, shape (..., d), or Empirical
        Start point(s); leading axes are a batch, processed together. In a Wasserstein space: the measure
        :math:`\mu^0`; the result is a curve of measures (a trajectory with ``weights``).
    tau : float
        The step size :math:`\tau > 0`.
    steps, T : int, float
        Exactly one: the number of steps :math:`K`, or the horizon :math:`T = K\tau`.
    p : float
        :math:`p \in (1, \infty]`; ``inf`` (default) is the ball-constrained scheme of the :math:`\infty`-flow.
    constraint : Box, optional
        The budget set :math:`C`, e.g. ``Box(x0, eps)`` (the flow on :math:`S = \bar B_\varepsilon(x_0)`); ``x0``
        must lie in it. Alternatively keep :math:`T \le \varepsilon` (every :math:`\infty`-curve then stays in
        the budget, claim C21).
    inner : {"auto", "exact", "grid", "quasi-newton", "multistart", "cbo"} or callable
        The inner solver (see :mod:`maxslope.schemes.inner`). ``"auto"`` uses the closed form when one exists and
        raises otherwise, so that an approximate solver is always an explicit choice. The trajectory's
        ``meta["inner_guarantee"]`` says how exact the chosen solver is.
    record_every : int
        Store every ``record_every``-th node (and the last).
    callback : callable, optional
        Called as ``callback(progress)`` after every step with a :class:`~maxslope.schemes.Progress` (step,
        time, iterate, energy, seconds); :func:`~maxslope.schemes.print_progress` prints one. Not available for
        Dask or chunked inputs, whose chunks run as separate tasks (watch the Dask dashboard instead).
        A callback that returns ``True`` stops the run after that step: the trajectory ends at the current node and
        ``meta["stopped_at"]`` is the step.
    progress : bool or text stream, optional
        ``True`` shows a tqdm bar of the steps when standard error is a terminal, and nothing otherwise (logs,
        CI, pipes); a stream (``sys.stdout``, a file) always gets the bar. Default False. Dask inputs ignore it
        (their chunks run as separate tasks: follow them on the Dask dashboard).

    Returns
    -------
    Trajectory
        Nodes at :math:`t_k = k\tau`, with energies and metadata.

    Raises
    ------
    ValueError
        For :math:`\tau \le 0`, both or neither of ``steps`` / ``T``, :math:`p \le 1`, ``x0`` outside the
        constraint, non-finite input, or an inner solver that returns an infeasible point.

    Examples
    --------
    The exact ℓ∞ minimizing movement of a separable quadratic lands on its flow :math:`u_i(t) = x_{0,i} -
    \mathrm{sign}(x_{0,i})\,t` until a coordinate reaches 0 (claim C2):

    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import minimizing_movement
    >>> tr = minimizing_movement(ms.SeparableQuadratic([1.0, 3.0]), ms.Lp(math.inf), np.array([0.25, -0.1]), 0.05,
    ...                          steps=4, inner="exact")
    >>> np.round(tr.points, 3).tolist()
    [[0.25, -0.1], [0.2, -0.05], [0.15, 0.0], [0.1, 0.0], [0.05, 0.0]]
    >>> tr.meta["inner_guarantee"]
    "exact: closed form 'sepquad'; global minimizer (closed form)"
    """
    callback = check_callback(callback)
    progress = check_progress(progress)
    if is_dask_array(x0) and not hasattr(space, "_minimizing_movement"):
        no_callback_for_chunks(callback)
        check_dask_constraint(constraint)
        if isinstance(inner, str) and inner in ("multistart", "cbo"):
            raise ValueError(f"argument 'inner' ({inner!r}) draws random starts over the whole batch, so a Dask 'x0' "
                             "split into chunks would not reproduce the in-memory run; use 'exact' or 'grid'")
        return trajectory_by_chunks(  # type: ignore[no-any-return]
            lambda xb: minimizing_movement(E, space, xb, tau, steps, T, p, constraint, inner, record_every), x0)
    other = other_space(space, "_minimizing_movement", tau, steps, T, constraint, record_every)
    if not is_chunked(x0):
        callback = with_progress(callback, progress)
    if other is not None:
        fn, tau_, K_, rec = other
        return fn(E, x0, tau_, K_, check_p(p, "p", strict=True), inner, rec, callback=callback)  # type: ignore[no-any-return]
    E, xp, x0, tau, K, C, record_every = prepare(E, space, x0, tau, steps, T, constraint, record_every)
    p = check_p(p, "p", strict=True)
    solver, guarantee = get_inner(inner, E, space, C)

    x = x0
    e = E.value(x)
    pts, ens, times = [x], [e], [0.0]
    report = _Reporter(callback, K, E.value)
    for k in range(K):
        if p == math.inf:
            x_new = solver(E, space, x, tau, C)
        else:
            x_new = p_step(E, space, x, tau, p, C, solver)
        _check_feasible(space, x, x_new, tau if p == math.inf else math.inf, C, solver)
        x = x_new
        e = E.value(x)
        stop = report(k, tau, x, e)
        if stop or (k + 1) % record_every == 0 or k + 1 == K:
            pts.append(x)
            ens.append(e)
            times.append((k + 1) * tau)
        if stop:
            break
    meta = {
        "scheme": "minimizing_movement",
        "p": p,
        "tau": tau,
        "steps": K,
        "space": repr(space),
        "inner": getattr(solver, "name", repr(solver)),
        "inner_guarantee": guarantee,
        "constraint": None if C is None else repr(C),
        "record_every": record_every,
    }
    if report.stopped_at is not None:
        meta["stopped_at"] = report.stopped_at
    if isinstance(solver, GridInner):
        meta["inner_spacing"] = solver.last_spacing
    return Trajectory(np.asarray(times), xp.stack(pts, axis=0), xp.stack(ens, axis=0), meta)


def _check_feasible(space: Lp, x: Any, x_new: Any, radius: float, C: Any, solver: Any) -> None:
    xp = namespace(x=x, x_new=x_new)
    if tuple(x_new.shape) != tuple(x.shape):
        raise ValueError(f"argument 'inner' returned shape {tuple(x_new.shape)}, expected {tuple(x.shape)}")
    if not bool(xp.all(xp.isfinite(x_new))):
        raise ValueError("argument 'inner' returned a non-finite point")
    # the slack: FEASIBILITY_RTOL relative, plus the rounding of x_new = x + (step of length <= radius) in the
    # dtype of x (float32 runs round at 6e-8, not 1e-16): 4 sqrt(d) eps (|x|_max + radius)
    eps = float(xp.finfo(x.dtype).eps)
    xmax = float(to_numpy(xp.max(xp.abs(x)))) if math.prod(x.shape) else 0.0
    rnd = 4.0 * math.sqrt(int(x.shape[-1])) * eps * (xmax + (radius if math.isfinite(radius) else 0.0))
    if math.isfinite(radius):
        dist = space.distance(x_new, x)
        if not bool(xp.all(dist <= radius * (1 + FEASIBILITY_RTOL) + rnd + 1e-300)):
            worst = float(to_numpy(xp.max(dist)))
            raise ValueError(
                f"argument 'inner' ({getattr(solver, 'name', solver)!r}) returned an infeasible point: "
                f"d(x_new, x_k) = {worst!r} > tau = {radius!r}"
            )
    if C is not None and not bool(xp.all(C.contains(x_new, tol=max(1e-12 * (1 + xmax), rnd)))):
        raise ValueError(f"argument 'inner' ({getattr(solver, 'name', solver)!r}) returned a point outside the constraint box")


def p_step(E: Any, space: Lp, xk: Any, tau: float, p: float, constraint: Any = None, solver: Any = None, iters: int = 120) -> Any:
    r"""One finite-:math:`p` minimizing-movement step :math:`\arg\min_x E(x) + \|x - x^k\|^p/(p\tau^{p-1})`.

    Reduced to the scalar problem :math:`\min_{r \ge 0} \phi(r)`, :math:`\phi(r) = f(r) + r^p/(p\tau^{p-1})`,
    :math:`f(r) = \min_{\bar B_r(x^k) \cap C} E`, solved by bracketing (doubling :math:`r` from :math:`\tau`
    until :math:`\phi` increases) and ``iters`` golden-section steps (interval shrinks by
    :math:`0.618^{120} \approx 10^{-25}`; golden section resolves :math:`r` only to about
    :math:`\sqrt{\epsilon_{\rm mach}}` relative because :math:`\phi` is flat at its minimum). Without a constraint and
    for :math:`C^1` energies the search is instead a bisection on the sign of
    :math:`\phi'(r) = (r/\tau)^{p-1} - \|\nabla E(x_r)\|_*` (envelope theorem), which reaches machine precision.
    For convex :math:`E`, :math:`f` is convex (a partial minimization of
    a jointly convex function), so :math:`\phi` is unimodal and the result is the global minimizer; for
    nonconvex :math:`E` it is a local minimizer of :math:`\phi`.

    Parameters
    ----------
    E : Energy
        The energy.
    space : Lp
        The normed space.
    xk : array
        The current point(s), shape ``(..., d)``.
    tau : float
        The step :math:`\tau > 0`.
    p : float
        The exponent, :math:`1 < p < \infty` (``p = inf`` is the ball-constrained step of the inner solvers).
    constraint : Box, optional
        A box :math:`C` the step stays in.
    solver : callable, optional
        The ball-constrained solver for :math:`f(r)`; default the exact one for the energy, if any.
    iters : int
        Golden-section iterations (with a constraint or a nonsmooth energy).

    Returns
    -------
    array
        :math:`x^{k+1}`, in the library and dtype of ``xk``.

    Examples
    --------
    In ℓ2 with :math:`p = 2` the step of :math:`E = \tfrac12|x|^2` is the proximal map :math:`x/(1 + \tau)`:

    >>> import numpy as np, maxslope as ms
    >>> from maxslope.schemes import p_step
    >>> x = p_step(ms.SeparableQuadratic([1.0, 1.0]), ms.Lp(2.0), np.array([1.0, 2.0]), 0.5, 2.0)
    >>> np.round(x, 10).tolist()
    [0.6666666667, 1.3333333333]
    """
    xp = namespace(xk=xk)
    E = as_energy(E)
    _check_lp(space)
    xk = as_float_array(xk, "xk", xp, min_ndim=1)
    check_points_for(E, xk, "xk")
    tau = check_positive_scalar(tau, "tau")
    p = check_p(p, "p", strict=True)
    if p == math.inf:
        raise ValueError("argument 'p' must be finite for p_step (the ball-constrained step is the p = inf scheme)")
    if isinstance(iters, bool) or not isinstance(iters, int) or iters < 1:
        raise ValueError(f"argument 'iters' must be a positive integer, got {iters!r}")
    check_constraint(constraint, xk, "xk")
    if solver is None:
        solver, _ = get_inner("auto", E, space, constraint)
    if isinstance(solver, ExactInner):
        closed = _quadratic_prox(as_energy(E), space, xk, tau, p, constraint)
        if closed is not None:
            return closed
    try:
        c = 1.0 / (p * tau ** (p - 1.0))
    except (OverflowError, ZeroDivisionError):
        c = math.nan
    if not (math.isfinite(c) and c > 0):
        raise ValueError(f"argument 'p' ({p!r}) is too large for tau = {tau!r}: the penalty 1/(p tau^(p-1)) is not a "
                         "finite positive float; use the ball-constrained scheme (p = inf)")

    def phi(r: Any) -> Any:
        y = _ball_step(solver, E, space, xk, r, constraint)
        return E.value(y) + c * r**p

    batch = tuple(xk.shape[:-1])
    hi = xp.full(batch, float(tau), dtype=xk.dtype)
    ph = phi(hi)
    for _ in range(200):
        h2 = 2.0 * hi
        p2 = phi(h2)
        grow = p2 < ph
        if not bool(xp.any(grow)):
            break
        hi = xp.where(grow, h2, hi)
        ph = xp.where(grow, p2, ph)
    lo = xp.zeros(batch, dtype=xk.dtype)
    hi = 2.0 * hi
    a, b = lo, hi
    Ea = as_energy(E)
    if constraint is None and Ea.smooth:
        # phi'(r) = (r/tau)^(p-1) - ||grad E(x_r)||_*  (envelope theorem: the ball multiplier is the dual norm
        # of the gradient at x_r); increasing for convex E, so bisection on its sign reaches machine precision
        for _ in range(iters):
            m = (a + b) / 2
            y = _ball_step(solver, E, space, xk, m, None)
            dphi = (m / tau) ** (p - 1.0) - space.dual_norm(Ea.grad(y))
            pos = dphi > 0
            b = xp.where(pos, m, b)
            a = xp.where(pos, a, m)
    else:
        g = (math.sqrt(5.0) - 1.0) / 2.0
        for _ in range(iters):
            c1 = b - g * (b - a)
            c2 = a + g * (b - a)
            left = phi(c1) <= phi(c2)
            b = xp.where(left, c2, b)
            a = xp.where(left, a, c1)
    r = (a + b) / 2
    return _ball_step(solver, E, space, xk, r, constraint)


def _ball_step(solver: Any, E: Any, space: Lp, xk: Any, r: Any, constraint: Any) -> Any:
    """Ball step with a per-batch radius: closed forms accept array radii through broadcasting."""
    xp = namespace(xk=xk)
    rr = r[..., None] if hasattr(r, "ndim") and r.ndim > 0 else r
    if space.p == math.inf or not (hasattr(r, "ndim") and r.ndim > 0):
        return solver(E, space, xk, rr, constraint)
    if isinstance(solver, ExactInner) and solver._plan(E, space, constraint)[0].name == "sepquad_l2":
        return solver(E, space, xk, r, constraint)  # the ℓ2 trust region takes one radius per start point
    # ℓ2 / ℓ1 closed forms take scalar radii: loop over batch elements on the host
    flat = xp.reshape(xk, (-1, xk.shape[-1]))
    rflat = to_numpy(xp.reshape(r, (-1,)))
    out = [solver(E, space, flat[i : i + 1, :], float(rflat[i]), constraint) for i in range(flat.shape[0])]
    return xp.reshape(xp.concat(out, axis=0), xk.shape)


def _quadratic_prox(E: Any, space: Lp, xk: Any, tau: float, p: float, constraint: Any) -> Any:
    r"""The exact p = 2 step in ℓ2 of a convex quadratic, the proximal map :math:`(I + \tau A)^{-1}(x^k - \tau b)`.

    Covers ``SeparableQuadratic`` (coordinatewise :math:`(x^k_i + \tau\lambda_i c_i)/(1 + \tau\lambda_i)`) and
    ``Quadratic`` with :math:`A \succeq 0`, without a constraint; None otherwise (the scalar search applies).
    """
    from ..energies import Quadratic, SeparableQuadratic

    if p != 2.0 or space.p != 2.0 or constraint is not None:
        return None
    xp = namespace(xk=xk)
    if isinstance(E, SeparableQuadratic) and bool(xp.all(E._param(E.lam, "lam", xp, xk.dtype) >= 0) if not isinstance(E.lam, float) else E.lam >= 0):
        lam = E._param(E.lam, "lam", xp, xk.dtype)
        c = E._param(E.center, "center", xp, xk.dtype)
        return (xk + tau * lam * c) / (1.0 + tau * lam)
    if isinstance(E, Quadratic) and E.is_convex():
        A = to_numpy(E.A)
        b = np.zeros(A.shape[0]) if E.b is None else to_numpy(E.b)
        M = np.eye(A.shape[0]) + tau * A
        y = np.linalg.solve(M, (to_numpy(xk) - tau * b).reshape(-1, A.shape[0]).T).T
        from .._backend import from_numpy

        return from_numpy(np.ascontiguousarray(y.reshape(to_numpy(xk).shape)), xk)
    return None
