r"""Minimizing movements and steepest descent in :math:`W_p` (reached through :mod:`maxslope.schemes`).

* Potential energies decouple exactly (claims W3, C19): for a curve exponent equal to the order of the space,
  :math:`\mu^{k+1} = \sum_i w_i \delta_{y_i}` with :math:`y_i` the ground minimizing-movement step of :math:`V`
  from :math:`x_i` (for :math:`p = \infty`: the ball step :math:`y_i \in \arg\min_{\bar B_\tau(x_i)} V`).
* Every other energy (interactions) needs the explicit, labelled approximate solver :class:`ParticleInner`.
* Steepest descent moves each particle along the steepest :math:`L^p(\mu)` direction of the field,
  :math:`x_i \mapsto x_i - \tau u_i \|\xi_i\|_*^{p'-1}/(\sum_j w_j \|\xi_j\|_*^{p'})^{1/p}` (:math:`p = \infty`:
  :math:`x_i - \tau u_i`, batch IFGSM in ℓ∞), so :math:`W_p(\mu^{k+1}, \mu^k) \le \tau`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import check_int, check_p, check_positive_scalar
from ..curves import Trajectory
from ..schemes.inner import NoExactSolver
from ..schemes.progress import _Reporter, no_callback_for_chunks
from .empirical import Empirical
from .energies import MeasureEnergy, PotentialEnergy, _direction, _space

__all__ = ["ParticleInner"]


class ParticleInner:
    r"""Approximate minimizing-movement step over particle positions, by L-BFGS-B (SciPy).

    Minimizes :math:`\Phi(y) = \mathcal E(\sum_i w_i\delta_{y_i}) + \sum_i w_i\|y_i - x_i\|_2^p/(p\tau^{p-1})`
    (ground ℓ2, curve exponent :math:`p` = order of the space, finite), or :math:`\mathcal E` over the boxes
    :math:`\|y_i - x_i\|_\infty \le \tau` (:math:`W_\infty` over ℓ∞). The particles' own coupling bounds the
    transport cost from above, so the step is feasible; it is a *local* minimizer of this particle relaxation
    (no mass splitting), started from :math:`\mu^k`, with :math:`\nabla_{y_i}\mathcal E = w_i\xi(y_i)`.

    Parameters
    ----------
    gtol : float
        L-BFGS-B's gradient tolerance, > 0.
    maxiter : int
        Its iteration limit.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import minimizing_movement
    >>> from maxslope.wasserstein import Empirical, InteractionEnergy, ParticleInner, Wasserstein
    >>> mu = Empirical(np.array([[-1.0, 0.0], [1.0, 0.0]]))
    >>> E = InteractionEnergy(ms.SeparableQuadratic(np.ones(2)))  # attraction: the atoms move together
    >>> tr = minimizing_movement(E, Wasserstein(2.0, ms.Lp(2.0)), mu, 0.1, steps=2, p=2.0, inner=ParticleInner())
    >>> bool(np.abs(tr.points[-1, :, 0]).max() < 1.0)
    True
    """

    name = "particle"

    def __init__(self, gtol: float = 1e-12, maxiter: int = 2000) -> None:
        self.gtol, self.maxiter = check_positive_scalar(gtol, "gtol"), check_int(maxiter, "maxiter", 1)

    @property
    def guarantee(self) -> str:
        r"""What the ground solver guarantees, in words, per atom.

        Examples
        --------
        >>> from maxslope.wasserstein import ParticleInner
        >>> ParticleInner().guarantee.split(':')[0]
        'approximate'
        """
        return f"approximate: local minimizer over particle positions (L-BFGS-B, gtol={self.gtol:g}), identity coupling"

    def supports(self, space: Any, p: float) -> bool:
        r"""Whether this inner solver applies to a scheme in ``space`` with exponent ``p``.

        Parameters
        ----------
        space : Wasserstein
            The space of measures.
        p : float
            The scheme's exponent.

        Returns
        -------
        bool
            True for :math:`W_\infty` over ℓ∞ with ``p = inf`` (per-atom boxes), and for :math:`W_p` over ℓ2 with
            the curve exponent equal to the order :math:`p`.

        Examples
        --------
        >>> import math, maxslope as ms
        >>> from maxslope.wasserstein import ParticleInner, Wasserstein
        >>> P = ParticleInner()
        >>> P.supports(Wasserstein(2.0, ms.Lp(2.0)), 2.0), P.supports(Wasserstein(2.0, ms.Lp(1.0)), 2.0)
        (True, False)
        """
        space, p = _space(space), check_p(p)
        if p == math.inf:
            return space.p == math.inf and space.ground.p == math.inf
        return p == space.p and space.ground.p == 2.0

    def _require(self, space: Any, p: float) -> None:
        if not self.supports(space, p):
            raise NoExactSolver(
                f"ParticleInner covers W_p over ℓ2 with curve exponent p (finite) and W_inf over ℓ∞ (p = inf); got "
                f"{space!r} with argument 'p' = {p:g}"
            )

    def __call__(self, E: MeasureEnergy, space: Any, mu: Empirical, tau: float, p: float) -> Empirical:
        from scipy.optimize import minimize

        from .space import Wasserstein

        if not isinstance(E, MeasureEnergy):
            raise TypeError(f"argument 'E' must be an energy on measures (a MeasureEnergy), got {type(E).__name__}")
        if not isinstance(space, Wasserstein):
            raise TypeError(f"argument 'space' must be a Wasserstein space, got {type(space).__name__}")
        if not isinstance(mu, Empirical):
            raise TypeError(f"argument 'mu' must be an Empirical measure, got {type(mu).__name__}")
        tau, p = check_positive_scalar(tau, "tau"), check_p(p, "p")
        self._require(space, p)
        if p != math.inf:
            with np.errstate(over="ignore", divide="ignore"):
                c_pen = 1.0 / (p * np.float64(tau) ** (p - 1.0))
            if not (math.isfinite(c_pen) and c_pen > 0):
                raise ValueError(f"argument 'p' ({p!r}) is too large for tau = {tau!r}: the penalty 1/(p tau^(p-1)) is not "
                                 "a finite positive float")
        X, w = mu.points, mu.weights
        shape = X.shape

        def unpack(z: np.ndarray) -> Empirical:
            return Empirical._trusted(z.reshape(shape), w, mu.uniform)

        def fun(z: np.ndarray) -> tuple[float, np.ndarray]:
            nu = unpack(z)
            val = E.value(nu)
            g = w[:, None] * E.field(nu)
            if p != math.inf:
                D = z.reshape(shape) - X
                r = np.sqrt(np.sum(D * D, axis=1))
                c = 1.0 / (p * tau ** (p - 1.0))
                val += c * float(w @ r**p)
                g = g + (c * p) * (w * r ** (p - 2.0) if p >= 2 else w * np.where(r > 0, r, 1.0) ** (p - 2.0))[:, None] * D
            return val, g.ravel()

        bounds = None
        if p == math.inf:
            bounds = list(zip((X - tau).ravel(), (X + tau).ravel(), strict=True))
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                res = minimize(fun, X.ravel().copy(), jac=True, method="L-BFGS-B", bounds=bounds,
                               options={"gtol": self.gtol, "ftol": 1e-15, "maxiter": self.maxiter})
        except ValueError as exc:
            raise ValueError(f"the energy refused a trial step of L-BFGS-B (argument 'tau' = {tau!r}; a smaller tau keeps the "
                             f"trial steps in its domain): {exc}") from exc
        Y = res.x.reshape(shape)
        if p == math.inf:
            Y = np.clip(Y, X - tau, X + tau)
        if not np.all(np.isfinite(Y)):
            raise ValueError("argument 'inner' (ParticleInner) produced non-finite positions")
        return Empirical._trusted(np.ascontiguousarray(Y), w, mu.uniform)


class _PerAtom:
    """One W_p step of a potential energy: the ground minimizing-movement step of V from every atom at once."""

    def __init__(self, E: PotentialEnergy, space: Any, p: float, inner: Any) -> None:
        from ..schemes.inner import get_inner

        self.E, self.space, self.p = E, space, p
        self.solver, self.ground_guarantee = get_inner(inner, E.V, space.ground, None)

    def __call__(self, mu: Empirical, tau: float) -> Empirical:
        from ..schemes.minimizing_movement import _check_feasible, p_step

        X = mu.points
        if self.p == math.inf:
            Y = self.solver(self.E.V, self.space.ground, X, tau, None)
        else:
            Y = p_step(self.E.V, self.space.ground, X, tau, self.p, None, self.solver)
        _check_feasible(self.space.ground, X, Y, tau if self.p == math.inf else math.inf, None, self.solver)
        return Empirical._trusted(np.ascontiguousarray(np.asarray(Y, dtype=np.float64)), mu.weights, mu.uniform)


def _resolve(space: Any, E: MeasureEnergy, p: float, inner: Any) -> tuple[Any, str, str]:
    """(step callable mu -> nu, name, guarantee) for the W_p minimizing movement of E with curve exponent p."""
    if isinstance(inner, ParticleInner) or inner == "particle":
        solver = inner if isinstance(inner, ParticleInner) else ParticleInner()
        solver._require(space, p)
        return (lambda mu, tau: solver(E, space, mu, tau, p)), solver.name, solver.guarantee
    if isinstance(E, PotentialEnergy) and p == space.p:
        ground_inner = "auto" if inner == "exact" else inner
        step = _PerAtom(E, space, p, ground_inner)
        return step, "per-atom ground steps", "exact decoupling into per-atom ground steps (claim W3); ground step: {g}"
    why = (
        f"no exact minimizing movement for {E!r} in {space!r} with curve exponent p={p:g}"
        + ("" if isinstance(E, PotentialEnergy) else "; interaction energies need inner='particle' (approximate, labelled)")
        + ("" if not isinstance(E, PotentialEnergy) else f"; potential energies decouple for p = {space.p:g} (the order of the space)")
    )
    raise NoExactSolver(why)


def minimizing_movement_in(space: Any, E: Any, mu0: Any, tau: float, K: int, p: float, inner: Any, record_every: int,
                           callback: Any = None) -> Trajectory:
    """The W_p minimizing movement from ``mu0`` (see :func:`maxslope.schemes.minimizing_movement`)."""
    from .chunked import ChunkedEmpirical, chunked_scheme

    if isinstance(mu0, ChunkedEmpirical):
        no_callback_for_chunks(callback)
        return chunked_scheme(space, E, mu0, tau, K, p, inner, record_every, "minimizing_movement")  # type: ignore[no-any-return]
    mu = space.check_point(mu0, "x0")
    E = space.lift_energy(E)
    step, name, guarantee = _resolve(space, E, p, inner)
    pts, ens, times = [mu.points], [E.value(mu)], [0.0]
    report = _Reporter(callback, K, E.value)
    for k in range(K):
        nu = step(mu, tau)
        if p == math.inf and not isinstance(step, _PerAtom):  # the per-atom step checks each atom's ball itself
            d = space._particle_cost(mu, nu)
            if not d <= tau * (1 + 1e-12) + 1e-300:
                raise ValueError(f"argument 'inner' ({name!r}) returned an infeasible measure: W(nu, mu) <= {d!r} > tau = {tau!r}")
        mu = nu
        stop = report(k, tau, mu)
        if stop or (k + 1) % record_every == 0 or k + 1 == K:
            pts.append(mu.points)
            ens.append(E.value(mu))
            times.append((k + 1) * tau)
        if stop:
            break
    probe_g = getattr(step, "ground_guarantee", "")
    meta = {
        "scheme": "minimizing_movement", "p": p, "tau": tau, "steps": K, "space": repr(space), "inner": name,
        "inner_guarantee": guarantee.format(g=probe_g or "no step taken"), "constraint": None, "record_every": record_every,
    }
    if report.stopped_at is not None:
        meta["stopped_at"] = report.stopped_at
    return Trajectory(np.asarray(times), np.stack(pts), np.asarray(ens), meta, weights=np.array(mu0.weights))


def steepest_descent_in(space: Any, E: Any, mu0: Any, tau: float, K: int, selection: Any, record_every: int,
                        callback: Any = None) -> Trajectory:
    """Particle-form steepest descent in W_p (see :func:`maxslope.schemes.steepest_descent`)."""
    from .chunked import ChunkedEmpirical, chunked_scheme

    if isinstance(mu0, ChunkedEmpirical):
        no_callback_for_chunks(callback)
        return chunked_scheme(space, E, mu0, tau, K, space.p, None, record_every, "steepest_descent", selection)  # type: ignore[no-any-return]
    mu = space.check_point(mu0, "x0")
    E = space.lift_energy(E)
    sel = _selections(selection, mu.n)
    g = space.ground
    X = mu.points.copy()
    pts, ens, times = [X.copy()], [E.value(mu)], [0.0]
    report = _Reporter(callback, K, E.value)
    for k in range(K):
        cur = Empirical._trusted(X, mu.weights, mu.uniform)
        xi = E.field(cur)
        if sel is None:
            v = _direction(space, cur, xi)
        else:
            u = np.empty_like(xi)
            for s, idx in sel:
                u[idx] = np.asarray(g.steepest_direction(xi[idx], selection=s), dtype=np.float64)
            v = _direction(space, cur, xi, u)
        X = X - tau * v
        # a measure of its own: the callback may keep it
        stop = callback is not None and report(k, tau, Empirical._trusted(X.copy(), mu.weights, mu.uniform))
        if stop or (k + 1) % record_every == 0 or k + 1 == K:
            pts.append(X.copy())
            ens.append(E.value(Empirical._trusted(X, mu.weights, mu.uniform)))
            times.append((k + 1) * tau)
        if stop:
            break
    meta = {"scheme": "steepest_descent", "p": space.p, "tau": tau, "steps": K, "space": repr(space),
            "selection": "default" if selection is None else ("per particle" if sel and len(sel) > 1 else selection),
            "constraint": None, "record_every": record_every}
    if report.stopped_at is not None:
        meta["stopped_at"] = report.stopped_at
    return Trajectory(np.asarray(times), np.stack(pts), np.asarray(ens), meta, weights=np.array(mu0.weights))


def _selections(selection: Any, n: int) -> list[tuple[Any, np.ndarray]] | None:
    if selection is None:
        return None
    if isinstance(selection, (str, float, int)) and not isinstance(selection, bool):
        return [(selection, np.arange(n))]
    try:
        sel = list(selection)
    except TypeError:
        raise TypeError(f"argument 'selection' must be None, a selection rule, or one rule per particle, got {type(selection).__name__}") from None
    if len(sel) != n:
        raise ValueError(f"argument 'selection' must have one entry per particle ({n}), got {len(sel)}")
    return [(s, np.array([k for k, v in enumerate(sel) if v == s])) for s in dict.fromkeys(sel)]
