r"""Closed-form W_∞ curves, the distributional adversary and the transport LP behind C19 / C20.

The schemes and checks themselves are the generic ones (:func:`~maxslope.schemes.minimizing_movement`,
:func:`~maxslope.checks.check_energy_dissipation`, …) called with a :class:`~maxslope.wasserstein.Wasserstein`
space; this module holds what is specific to the W_∞ theory.

For a potential energy :math:`\mathcal E(\mu) = \int E\,d\mu` on :math:`(\mathcal P_\infty, W_\infty)` built on a
normed space :math:`(\mathbb R^d, \|\cdot\|)`:

* the strong upper gradient is :math:`G(\mu) = \int \|\nabla E\|_*\,d\mu`;
* a curve :math:`\mu_t = (e_t)_\#\eta` superposed from 1-Lipschitz curves has :math:`W_\infty(\mu_s, \mu_t) \le
  |t - s|` (C17), and it is an :math:`\infty`-curve of maximal slope iff
  :math:`\mathcal E(\mu_s) - \mathcal E(\mu_t) = \int_s^t G(\mu_r)\,dr` (C18); mass may split;
* the minimizing movement decouples, :math:`\min\{\mathcal E(\nu) : W_\infty(\nu, \mu) \le \tau\} = \int
  \min_{\bar B_\tau(x)} E\,d\mu(x)`, attained by a pushforward (C19); the particle-wise semi-implicit scheme is
  batch IFGSM;
* the distributional adversary :math:`\sup\{\int \ell\,d\nu : W_\infty(\nu, \mu) \le \varepsilon\}` equals
  :math:`\int \max_{\bar B_\varepsilon(x)} \ell\,d\mu` (C20).

A curve of measures is a :class:`~maxslope.Trajectory` with ``weights``: a representing measure
:math:`\eta = \sum_i w_i \delta_{\gamma_i}` with piecewise-linear curves :math:`\gamma_i`; the checks read the
*measures* :math:`\mu_t` (exact :math:`W_p` between time slices, :math:`\mathcal E` and its slope), not the
particle labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .._backend import as_float_array, check_finite, check_positive_scalar
from .._lp import linprog_unit_cost
from ..curves import Trajectory
from ..energies import _blame, as_energy
from ..schemes.minimizing_movement import minimizing_movement
from ..spaces.lp import Lp
from .distance import _ground, distance_matrix
from .empirical import Empirical, _as_measure
from .space import Wasserstein

if TYPE_CHECKING:
    from .chunked import ChunkedEmpirical

__all__ = [
    "mass_splitting_flow",
    "uniform_spreading_curve",
    "distributional_adversary",
    "ball_transport_lp",
]



def _horizon(T: Any, nodes: Any) -> tuple[float, int]:
    T = check_positive_scalar(T, "T")
    if isinstance(nodes, bool) or not isinstance(nodes, int) or nodes < 1:
        raise ValueError(f"argument 'nodes' must be a positive integer, got {nodes!r}")
    return T, nodes


def mass_splitting_flow(T: float = 1.0, nodes: int = 64) -> tuple[Trajectory, Any]:
    r""":math:`E(x) = -x^2/2` on :math:`\mathbb R`, :math:`\mu_0 = \delta_0`, the flow
    :math:`\mu_t = \tfrac12\delta_{-t} + \tfrac12\delta_t` (mass splits at the critical point).

    Returns the flow (two particles of mass 1/2 from 0) and the energy. :math:`\mathcal E(\mu_t) = -t^2/2`,
    :math:`G(\mu_t) = t`, :math:`W_\infty(\mu_s, \mu_t) = |t - s|`.

    Parameters
    ----------
    T : float
        The horizon.
    nodes : int
        The number of steps of the sampled curve.

    Returns
    -------
    (Trajectory, Energy)
        The curve of measures and :math:`-x^2/2`.

    Examples
    --------
    >>> import math, maxslope as ms
    >>> from maxslope.checks import check_speed
    >>> from maxslope.wasserstein import Wasserstein, mass_splitting_flow
    >>> tr, E = mass_splitting_flow(T=1.0, nodes=8)
    >>> tr.node(-1).points[:, 0].tolist(), check_speed(tr, Wasserstein(math.inf)).passed
    ([-1.0, 1.0], True)
    """
    from ..energies import Negated, SeparableQuadratic

    T, nodes = _horizon(T, nodes)
    t = np.linspace(0.0, T, nodes + 1)
    pts = np.stack([-t, t], axis=1)[:, :, None]
    meta = {"scheme": "closed form: mass splitting (claim C17)"}
    return Trajectory(t, pts, meta=meta, weights=np.array([0.5, 0.5])), Negated(SeparableQuadratic(np.ones(1)))


def uniform_spreading_curve(T: float = 1.0, atoms: int = 200, nodes: int = 64) -> Trajectory:
    r""":math:`\mu_t = \mathrm{Unif}[-t, t]` (quantized to ``atoms`` equal atoms at :math:`c_i t`,
    :math:`c_i = (2i - 1)/N - 1`), W_∞-speed 1 but not a flow of :math:`-x^2/2`: :math:`d\mathcal E/dt \approx
    -t/3 \ne -G(\mu_t) \approx -t/2`.

    Parameters
    ----------
    T : float
        The horizon.
    atoms : int
        The number of equal atoms.
    nodes : int
        The number of steps.

    Returns
    -------
    Trajectory
        The curve of measures.

    Examples
    --------
    >>> import math
    >>> from maxslope.checks import check_energy_dissipation
    >>> from maxslope.wasserstein import Wasserstein, mass_splitting_flow, uniform_spreading_curve
    >>> _, E = mass_splitting_flow()
    >>> check_energy_dissipation(uniform_spreading_curve(atoms=50, nodes=8), E, Wasserstein(math.inf)).passed
    False
    """
    T, nodes = _horizon(T, nodes)
    if isinstance(atoms, bool) or not isinstance(atoms, int) or atoms < 1:
        raise ValueError(f"argument 'atoms' must be a positive integer, got {atoms!r}")
    c = (2 * np.arange(1, atoms + 1) - 1) / atoms - 1
    t = np.linspace(0.0, T, nodes + 1)
    return Trajectory(t, (t[:, None] * c[None, :])[:, :, None], meta={"scheme": "Unif[-t, t] (a W_inf curve that is not a flow)"}, weights=np.full(atoms, 1.0 / atoms))


def _losses(loss: Any, labels: Any, n: int) -> tuple[list[Any], np.ndarray]:
    if labels is None:
        return [as_energy(loss, "loss")], np.zeros(n, dtype=np.int64)
    lab = np.asarray(labels)
    if lab.shape != (n,) or not np.issubdtype(lab.dtype, np.integer):
        raise ValueError(f"argument 'labels' must be an integer array of shape ({n},), got {lab.dtype} {lab.shape}")
    if not isinstance(loss, Sequence):
        raise TypeError("with 'labels', argument 'loss' must be a sequence of energies indexed by label")
    if lab.min() < 0 or lab.max() >= len(loss):
        raise ValueError(f"argument 'labels' has values outside 0..{len(loss) - 1}")
    return [as_energy(f, "loss") for f in loss], lab


def distributional_adversary(loss: Any, mu: Empirical | ChunkedEmpirical, eps: float, ground: Lp | None = None, labels: Any = None,
                             inner: Any = "auto") -> tuple[Any, Any]:
    r"""C20: :math:`\sup\{\int \ell\,d\nu : W_\infty(\nu, \mu) \le \varepsilon\} = \int \max_{\bar B_\varepsilon(x)} \ell\,d\mu`.

    Computed as one :math:`W_\infty` minimizing-movement step of size :math:`\varepsilon` for :math:`-\int\ell`
    (per atom, labels fixed: atom :math:`i` uses ``loss[labels[i]]``). Returns the value and the optimal
    :math:`\nu` (a pushforward of :math:`\mu`). ``inner`` must be a global solver of the ball problem (exact
    closed forms by default).

    With a :class:`~maxslope.wasserstein.ChunkedEmpirical` ``mu`` (atoms in a Dask array) the steps run chunk by
    chunk; the value is then a 0-d Dask array (the exact sum of the chunks' exact partial sums, equal to the
    in-memory value bit for bit) and :math:`\nu` a ``ChunkedEmpirical``; ``labels`` may be a Dask array chunked
    like the atoms.

    Parameters
    ----------
    loss : Energy or sequence of Energy
        The loss :math:`\ell` on :math:`\mathbb R^d`, or one loss per class when ``labels`` is given.
    mu : Empirical or ChunkedEmpirical
        The data distribution :math:`\mu`.
    eps : float
        The budget :math:`\varepsilon > 0`.
    ground : Lp, optional
        The ground norm of :math:`W_\infty` (default ``Lp(inf)``, as everywhere in :mod:`maxslope.wasserstein`).
    labels : array_like of int, optional
        The class of each atom, an index into ``loss``.
    inner : str or inner solver
        The solver of the per-atom ball problem; it must be global (default: the exact closed forms).

    Returns
    -------
    value : float or dask.array.Array
        :math:`\int \max_{\bar B_\varepsilon(x)} \ell\,d\mu`, the supremum over the :math:`W_\infty` ball (a 0-d
        Dask array for a ``ChunkedEmpirical``).
    nu : Empirical or ChunkedEmpirical
        An optimal adversarial distribution, with the weights of :math:`\mu`.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope import SeparableQuadratic
    >>> from maxslope.wasserstein import Empirical, distributional_adversary
    >>> mu = Empirical(np.array([[0.0, 0.0], [1.0, -1.0]]))
    >>> loss = SeparableQuadratic(np.ones(2))     # ½|x|², maximized at the far corner of each box
    >>> value, nu = distributional_adversary(loss, mu, 0.5)
    >>> float(value), nu.points.tolist()        # (½·0.5 + ½·4.5) / 2
    (1.25, [[0.5, 0.5], [1.5, -1.5]])
    """
    from ..energies import Negated
    from .chunked import ChunkedEmpirical, chunked_adversary

    if isinstance(mu, ChunkedEmpirical):
        return chunked_adversary(loss, mu, eps, ground, labels, inner)
    mu = _as_measure(mu)
    eps = check_positive_scalar(eps, "eps")
    space = _ground(ground)
    losses, lab = _losses(loss, labels, mu.n)
    out = np.empty_like(mu.points)
    vals = np.empty(mu.n)
    W = Wasserstein(math.inf, space)
    for y, f in enumerate(losses):
        idx = np.flatnonzero(lab == y)
        if len(idx) == 0:
            continue
        part = Empirical._trusted(np.ascontiguousarray(mu.points[idx]), np.full(len(idx), 1.0 / len(idx)))
        with np.errstate(over="ignore", invalid="ignore"), _blame("eps", eps, "the loss is not finite at the adversarial atoms"):
            xs = minimizing_movement(Negated(f), W, part, eps, steps=1, inner=inner).final
            vals[idx] = np.asarray(f.value(xs))
            out[idx] = np.asarray(xs)
    if not (np.all(np.isfinite(out)) and np.all(np.isfinite(vals))):
        raise ValueError(f"argument 'eps' ({eps!r}) is too large: the loss overflows at the adversarial atoms")
    return math.fsum((mu.weights * vals).tolist()), Empirical(out, mu.weights.copy())


def ball_transport_lp(values: np.ndarray, mu: Empirical, grid: np.ndarray, radius: float, ground: Lp | None = None, sense: str = "min") -> tuple[float, Any]:
    r"""The transport LP behind C19 / C20 on a grid: optimize :math:`\sum_{ik} \gamma_{ik} v_{ik}` over plans
    :math:`\gamma \ge 0` with first marginal :math:`\mu` and second marginal supported on ``grid``, using only
    pairs with :math:`\|x_i - z_k\| \le r` (i.e. :math:`W_\infty(\nu, \mu) \le r`).

    ``values[i, k]`` is the integrand at grid point ``k`` for atom ``i`` (so label-dependent losses fit). Solved
    by SciPy's HiGHS; no decoupling is assumed, which is what the claims check. The ground norm ``ground``
    defaults to ``Lp(inf)``, as everywhere in :mod:`maxslope.wasserstein`.

    Parameters
    ----------
    values : numpy.ndarray
        Shape (n, m): the integrand per atom and grid point.
    mu : Empirical
        The first marginal.
    grid : numpy.ndarray
        The candidate support, shape (m, d) (or (m,) in 1-D).
    radius : float
        :math:`r \ge 0`.
    ground : Lp, optional
        The ground norm (default ℓ∞).
    sense : {"min", "max"}
        Minimize or maximize.

    Returns
    -------
    (float, scipy.sparse.coo_array)
        The optimal value and plan (n, m).

    Examples
    --------
    For a loss without label dependence the LP decouples into per-atom extrema over the balls (claim C20):

    >>> import numpy as np
    >>> from maxslope.wasserstein import Empirical, ball_transport_lp
    >>> mu = Empirical(np.array([[0.0], [1.0]]))
    >>> g = np.linspace(-1.0, 2.0, 31)
    >>> val, plan = ball_transport_lp(np.vstack([g, g]) ** 2, mu, g, 0.5, sense="max")
    >>> round(val, 12)  # ½·0.5² + ½·1.5²
    1.25
    """
    mu = _as_measure(mu)
    space = _ground(ground)
    grid = as_float_array(grid, "grid", np, min_ndim=1)
    grid = grid[:, None] if grid.ndim == 1 and mu.dim == 1 else grid
    if grid.ndim != 2 or grid.shape[0] == 0 or grid.shape[1] != mu.dim:
        raise ValueError(f"argument 'grid' must be an (m, {mu.dim}) array of points with m >= 1, got shape {grid.shape}")
    check_finite(grid, "grid", np)
    v = as_float_array(values, "values", np)
    if v.shape != (mu.n, grid.shape[0]):
        raise ValueError(f"argument 'values' must have shape ({mu.n}, {grid.shape[0]}), got {v.shape}")
    check_finite(v, "values", np)
    radius = check_positive_scalar(radius, "radius", allow_zero=True)
    if not isinstance(sense, str) or sense not in ("min", "max"):
        raise ValueError(f"argument 'sense' must be 'min' or 'max', got {sense!r}")
    D = distance_matrix(mu.points, grid, space)
    ii, kk = np.nonzero(D <= radius * (1 + 1e-12))
    if np.any(np.bincount(ii, minlength=mu.n) == 0):
        raise ValueError(f"some atom has no point of argument 'grid' within argument 'radius' = {radius!r}; refine or "
                         "extend the grid")
    c = v[ii, kk] * (1.0 if sense == "min" else -1.0)
    A = sp.csr_array((np.ones(len(ii)), (ii, np.arange(len(ii)))), shape=(mu.n, len(ii)))
    res = linprog_unit_cost(c, A_eq=A, b_eq=mu.weights, bounds=(0, None), method="highs")
    if res.status != 0:
        raise RuntimeError(f"HiGHS failed: {res.message}")
    plan = sp.coo_array((res.x, (ii, kk)), shape=(mu.n, grid.shape[0]))
    return float(res.fun) * (1.0 if sense == "min" else -1.0), plan
