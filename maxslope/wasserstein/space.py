r"""The Wasserstein space :math:`(\mathcal P_p(\mathbb R^d), W_p)` as a metric space of weighted particle clouds.

Points are :class:`~maxslope.wasserstein.Empirical` measures :math:`\mu = \sum_i w_i \delta_{x_i}`; the distance is
the exact :math:`W_p` of :func:`~maxslope.wasserstein.wasserstein`; geodesics are displacement interpolations
along an optimal coupling (claim W7). The generic operations of maxslope (:func:`~maxslope.slope`,
:func:`~maxslope.numerical_slope`, :func:`~maxslope.schemes.minimizing_movement`,
:func:`~maxslope.schemes.steepest_descent` and the checks in :mod:`maxslope.checks`) accept this space in place of
an :class:`~maxslope.spaces.Lp` space; a curve in it is a :class:`~maxslope.Trajectory` with ``weights``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._backend import check_p, check_real_scalar
from ..spaces.lp import Lp, _pnorm
from .distance import DEFAULT_GROUND, WassersteinResult, wasserstein
from .empirical import Empirical, _as_measure

__all__ = ["Wasserstein"]

#: relative slack with which the particles' own coupling counts as optimal (rounding of the two cost sums)
COUPLING_RTOL = 1e-12


class Wasserstein:
    r"""The space :math:`(\mathcal P_p(\mathbb R^d), W_p)` over the ground space :math:`(\mathbb R^d, \|\cdot\|)`.

    .. math:: W_p(\mu, \nu) = \min_{\gamma \in \Pi(\mu, \nu)} \Big(\int \|x - y\|^p\,d\gamma\Big)^{1/p},
              \qquad W_\infty(\mu, \nu) = \min_\gamma \max_{(x, y) \in \mathrm{supp}\,\gamma} \|x - y\|.

    Parameters
    ----------
    p : float
        The order of the space, :math:`p \in [1, \infty]`. It is *not* the exponent of a curve of maximal slope
        in the space (the ``p`` of the schemes and checks); the two coincide when a minimizing movement of a
        potential energy decouples into per-atom steps (claim W3).
    ground : Lp, optional
        The ground norm :math:`\|\cdot\|`: the default, ``Lp(inf)``, is the adversarial geometry and the default of
        every function of :mod:`maxslope.wasserstein`; the classical one is ``Lp(2)``.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from maxslope import Lp
    >>> from maxslope.wasserstein import Empirical, Wasserstein
    >>> W = Wasserstein(math.inf, Lp(math.inf))
    >>> mu, nu = Empirical(np.array([[0.0, 0.0], [1.0, 0.0]])), Empirical(np.array([[0.0, 0.5], [1.0, 0.25]]))
    >>> W.distance(mu, nu)
    0.5
    >>> W.distance(mu, W.geodesic(mu, nu, 0.5))
    0.25
    """

    #: the points of this space are measures (the checks read a trajectory's nodes as measures)
    measure_space = True

    def __init__(self, p: float, ground: Lp | None = None) -> None:
        self.p = check_p(p, "p")
        ground = DEFAULT_GROUND if ground is None else ground
        if not isinstance(ground, Lp):
            raise TypeError(f"argument 'ground' must be a normed ground space Lp(q), got {type(ground).__name__}")
        self.ground = ground

    # ------------------------------------------------------------------ basics
    @property
    def dual_exponent(self) -> float:
        r"""The exponent :math:`p' = p/(p - 1)` of the slope :math:`(\int \|\xi\|_*^{p'} d\mu)^{1/p'}` (1 for p = ∞).

        Examples
        --------
        >>> import math
        >>> from maxslope.wasserstein import Wasserstein
        >>> Wasserstein(math.inf).dual_exponent, Wasserstein(2.0).dual_exponent
        (1.0, 2.0)
        """
        return Lp(self.p).dual_exponent

    def __repr__(self) -> str:
        return f"Wasserstein({'inf' if self.p == math.inf else format(self.p, 'g')}, {self.ground!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Wasserstein) and other.p == self.p and other.ground == self.ground

    def __hash__(self) -> int:
        return hash(("Wasserstein", self.p, self.ground))

    def check_point(self, mu: Any, name: str = "mu") -> Empirical:
        """Return ``mu`` if it is an :class:`Empirical` measure, else ``TypeError`` naming ``name``.

        Parameters
        ----------
        mu : Empirical
            The candidate point of the space.
        name : str
            The argument name the error message gives.

        Returns
        -------
        Empirical
            ``mu`` itself.

        Examples
        --------
        >>> import math, numpy as np
        >>> from maxslope.wasserstein import Empirical, Wasserstein
        >>> W = Wasserstein(math.inf)
        >>> W.check_point(np.zeros((2, 2)), "x0")
        Traceback (most recent call last):
        ...
        TypeError: argument 'x0' must be ... Empirical ...
        """
        return _as_measure(mu, name, f"a point of {self!r}")

    def lift_energy(self, E: Any) -> Any:
        r"""A measure energy as it is, a ground energy :math:`V` as the potential energy :math:`\int V\,d\mu`.

        Parameters
        ----------
        E : Energy or MeasureEnergy
            A ground energy on :math:`\mathbb R^d` or an energy of measures.

        Returns
        -------
        MeasureEnergy
            ``E``, or :class:`~maxslope.wasserstein.PotentialEnergy` of it.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, Wasserstein
        >>> V = Wasserstein(math.inf).lift_energy(ms.Linear([1.0, -2.0]))
        >>> float(V.value(Empirical(np.array([[1.0, 0.0], [0.0, 1.0]]))))  # ∫ V dμ = (1 + (−2)) / 2
        -0.5
        """
        from ..energies import as_energy
        from .energies import MeasureEnergy, PotentialEnergy

        return E if isinstance(E, MeasureEnergy) else PotentialEnergy(as_energy(E, "E"))

    # ------------------------------------------------------------------ metric
    def coupling(self, mu: Empirical, nu: Empirical) -> WassersteinResult:
        r"""The exact :math:`W_p(\mu, \nu)` with an optimal coupling (:func:`~maxslope.wasserstein.wasserstein`).

        Parameters
        ----------
        mu, nu : Empirical
            The two measures.

        Returns
        -------
        WassersteinResult
            The value, the coupling and how they were computed.

        Examples
        --------
        >>> import math, numpy as np
        >>> from maxslope.wasserstein import Empirical, Wasserstein
        >>> W = Wasserstein(math.inf)
        >>> r = W.coupling(Empirical(np.array([[0.0, 0.0]])), Empirical(np.array([[1.0, -3.0]])))
        >>> r.value, r.coupling.toarray().tolist()
        (3.0, [[1.0]])
        """
        return wasserstein(self.check_point(mu, "mu"), self.check_point(nu, "nu"), self.p, self.ground)

    def distance(self, mu: Any, nu: Any) -> Any:
        r"""The exact :math:`W_p(\mu, \nu)`: a float for two measures, an array for two sequences of measures.

        Parameters
        ----------
        mu, nu : Empirical or sequence of Empirical
            Two measures, or two sequences of measures of one length (paired elementwise).

        Returns
        -------
        float or numpy.ndarray
            :math:`W_p` with the space's ground norm.

        Examples
        --------
        >>> import math, numpy as np
        >>> from maxslope.wasserstein import Empirical, Wasserstein
        >>> W = Wasserstein(math.inf)
        >>> mu = Empirical(np.array([[0.0, 0.0], [1.0, 0.0]]))
        >>> W.distance(mu, Empirical(np.array([[1.0, 0.5], [0.0, 0.5]])))  # the crossing pairing costs 1, the matching 0.5
        0.5
        """
        if isinstance(mu, Empirical) and isinstance(nu, Empirical):
            return self.coupling(mu, nu).value
        a, b = self._pairs(mu, nu)
        return np.array([self.coupling(x, y).value for x, y in zip(a, b, strict=True)])

    def distance_upper_bound(self, mu: Any, nu: Any) -> Any:
        r"""The cost of the particles' own coupling, :math:`(\sum_i w_i\|x_i - y_i\|^p)^{1/p}` (max for p = ∞).

        A certified upper bound of :math:`W_p(\mu, \nu)` when the two clouds carry the same weights particle by
        particle (then :math:`i \mapsto i` is a coupling); ``inf`` otherwise.

        Parameters
        ----------
        mu, nu : Empirical or sequence of Empirical
            Two measures, or two sequences of them.

        Returns
        -------
        float or numpy.ndarray
            The cost of :math:`i \mapsto i`, never below :math:`W_p(\mu, \nu)`.

        Examples
        --------
        >>> import math, numpy as np
        >>> from maxslope.wasserstein import Empirical, Wasserstein
        >>> W = Wasserstein(math.inf)
        >>> mu = Empirical(np.array([[0.0, 0.0], [1.0, 0.0]]))
        >>> nu = Empirical(np.array([[1.0, 0.5], [0.0, 0.5]]))
        >>> W.distance_upper_bound(mu, nu), W.distance(mu, nu)
        (1.0, 0.5)
        """
        if isinstance(mu, Empirical) and isinstance(nu, Empirical):
            return self._particle_cost(mu, nu)
        a, b = self._pairs(mu, nu)
        return np.array([self._particle_cost(x, y) for x, y in zip(a, b, strict=True)])

    def _pairs(self, mu: Any, nu: Any) -> tuple[list[Empirical], list[Empirical]]:
        if not isinstance(mu, Sequence) or not isinstance(nu, Sequence):
            raise TypeError("arguments 'mu' and 'nu' must be two Empirical measures or two sequences of them")
        if len(mu) != len(nu):
            raise ValueError(f"arguments 'mu' and 'nu' hold {len(mu)} and {len(nu)} measures")
        return [self.check_point(m, "mu") for m in mu], [self.check_point(m, "nu") for m in nu]

    def _particle_cost(self, mu: Empirical, nu: Empirical) -> float:
        self.check_point(mu, "mu")
        self.check_point(nu, "nu")
        if mu.n != nu.n or mu.dim != nu.dim or not np.array_equal(mu.weights, nu.weights):
            return math.inf
        c = _pnorm(nu.points - mu.points, self.ground.p, np)
        if self.p == math.inf:
            return float(np.max(c[mu.weights > 0]))
        return float(np.dot(mu.weights, c**self.p) ** (1.0 / self.p))

    def step_coupling(self, mu: Empirical, nu: Empirical) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        r"""The exact :math:`W_p(\mu, \nu)` and an optimal coupling as ``(value, i, j, mass)``.

        The particles' own coupling :math:`i \mapsto i` is returned when it is optimal (its cost is
        :math:`W_p` to ``COUPLING_RTOL``), so that a curve whose particles move along geodesics keeps its
        representation (and a mass split stays split); otherwise the solver's coupling.

        Parameters
        ----------
        mu, nu : Empirical
            Consecutive nodes of a curve of measures.

        Returns
        -------
        (float, numpy.ndarray, numpy.ndarray, numpy.ndarray)
            :math:`W_p`, and the coupling's support (atom indices ``i`` of ``mu``, ``j`` of ``nu``) with its masses.

        Examples
        --------
        >>> import math, numpy as np
        >>> from maxslope.wasserstein import Empirical, Wasserstein
        >>> W = Wasserstein(math.inf)
        >>> mu = Empirical(np.array([[0.0, 0.0], [1.0, 0.0]]))
        >>> value, i, j, m = W.step_coupling(mu, Empirical(mu.points + 0.25))
        >>> value, i.tolist(), j.tolist(), m.tolist()  # the particles' own coupling is optimal: kept
        (0.25, [0, 1], [0, 1], [0.5, 0.5])
        """
        res = self.coupling(mu, nu)
        own = self._particle_cost(mu, nu)
        if own <= res.value * (1 + COUPLING_RTOL) + 1e-300:
            i = np.arange(mu.n)
            return res.value, i, i, mu.weights.copy()
        C = res.coupling.tocoo()
        keep = C.data > 0
        return res.value, np.asarray(C.row[keep]), np.asarray(C.col[keep]), np.asarray(C.data[keep], dtype=np.float64)

    def geodesic(self, mu: Empirical, nu: Empirical, s: Any) -> Any:
        r"""The displacement interpolation :math:`\mu_s = ((1 - s)x + s y)_\#\gamma` along an optimal coupling.

        :math:`W_p(\mu, \mu_s) = s\,W_p(\mu, \nu)` and :math:`W_p(\mu_s, \nu) = (1 - s)\,W_p(\mu, \nu)` (claim W7).
        Mass may split: the interpolant has one atom per pair in the support of the coupling. ``s`` is a scalar
        in :math:`[0, 1]` (returns a measure) or a 1-D array of them (returns a list).

        Parameters
        ----------
        mu, nu : Empirical
            The end points.
        s : float or array_like
            The interpolation parameter(s) in [0, 1].

        Returns
        -------
        Empirical or list of Empirical
            :math:`\mu_s`.

        Examples
        --------
        >>> import math, numpy as np
        >>> from maxslope.wasserstein import Empirical, Wasserstein
        >>> W = Wasserstein(math.inf)
        >>> mu, nu = Empirical(np.array([[0.0, 0.0]])), Empirical(np.array([[2.0, 1.0]]))
        >>> mid = W.geodesic(mu, nu, 0.5)
        >>> mid.points.tolist(), W.distance(mu, mid) == 0.5 * W.distance(mu, nu)
        ([[1.0, 0.5]], True)
        """
        _, i, j, m = self.step_coupling(mu, nu)
        if isinstance(s, (int, float)) and not isinstance(s, bool):
            ss = None
        else:
            arr = np.asarray(s)
            if arr.dtype.kind not in "fiu":  # complex, bool, strings, objects: refused by name
                raise TypeError(f"argument 's' must be a real number or a 1-D array of them, got {type(s).__name__}")
            ss = np.atleast_1d(np.asarray(arr, dtype=np.float64))
        if ss is None:
            sv = check_real_scalar(s, "s")
            if not 0.0 <= sv <= 1.0:
                raise ValueError(f"argument 's' must lie in [0, 1], got {s!r}")
            return _interp(mu, nu, i, j, m, sv)
        if ss.ndim != 1 or not np.all(np.isfinite(ss)) or np.any((ss < 0) | (ss > 1)):
            raise ValueError("argument 's' must be a scalar or a 1-D array of values in [0, 1]")
        return [_interp(mu, nu, i, j, m, float(v)) for v in ss]

    # ------------------------------------------------------------------ schemes (called by maxslope.schemes)
    def _minimizing_movement(self, E: Any, mu0: Any, tau: float, K: int, p: float, inner: Any, record_every: int,
                             callback: Any = None) -> Any:
        from .schemes import minimizing_movement_in

        return minimizing_movement_in(self, E, mu0, tau, K, p, inner, record_every, callback)

    def _steepest_descent(self, E: Any, mu0: Any, tau: float, K: int, selection: Any, record_every: int,
                          callback: Any = None) -> Any:
        from .schemes import steepest_descent_in

        return steepest_descent_in(self, E, mu0, tau, K, selection, record_every, callback)


def _interp(mu: Empirical, nu: Empirical, i: np.ndarray, j: np.ndarray, m: np.ndarray, s: float) -> Empirical:
    pts = (1.0 - s) * mu.points[i] + s * nu.points[j]
    w = m / math.fsum(m.tolist()) if abs(math.fsum(m.tolist()) - 1.0) > 0 else m
    return Empirical._trusted(np.ascontiguousarray(pts), np.asarray(w, dtype=np.float64))
