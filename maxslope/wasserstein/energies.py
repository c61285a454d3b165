r"""Energies on measures: potential :math:`\int V\,d\mu` and interaction :math:`\tfrac12\iint W(x - y)\,d\mu\,d\mu`.

Each has a value, the gradient field of its first variation :math:`\xi` at the atoms, and its slope in
:math:`W_p` over the ground space :math:`(\mathbb R^d, \|\cdot\|)` (claim W2),

.. math:: |\partial\mathcal E|_{W_p}(\mu) = \Big(\int \|\xi\|_*^{p'}\,d\mu\Big)^{1/p'}, \qquad p' = \tfrac{p}{p - 1}
          \quad(p' = 1 \text{ for } p = \infty,\ \text{the max over atoms for } p = 1).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import check_positive_scalar, to_numpy
from ..energies import _blame, as_energy
from ..spaces.lp import _pnorm
from .empirical import Empirical, _as_measure

__all__ = ["MeasureEnergy", "PotentialEnergy", "InteractionEnergy"]


def _space(space: Any) -> Any:
    from .space import Wasserstein

    if not isinstance(space, Wasserstein):
        raise TypeError(f"argument 'space' must be a Wasserstein space, got {type(space).__name__}")
    return space


class MeasureEnergy:
    r"""Base class of energies :math:`\mathcal E : \mathcal P(\mathbb R^d) \to \mathbb R` on empirical measures.

    Subclasses implement ``value(mu)`` and ``field(mu)`` (the gradient of the first variation at the atoms,
    shape (n, d)); the slope and the gradient-free numerical slope follow from them here.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
    >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
    >>> V = PotentialEnergy(ms.Linear([1.0, -2.0]))
    >>> V.value(mu), V.slope(Wasserstein(math.inf), mu)
    (-2.0, 3.0)
    """

    smooth = True

    def value(self, mu: Empirical) -> float:  # pragma: no cover - abstract
        r"""The energy :math:`\mathcal E(\mu)`.

        Parameters
        ----------
        mu : Empirical
            The measure.

        Returns
        -------
        float
            :math:`\mathcal E(\mu)`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
        >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
        >>> PotentialEnergy(ms.SeparableQuadratic([1.0, 1.0])).value(mu)
        1.5
        """
        raise NotImplementedError

    def field(self, mu: Empirical) -> np.ndarray:  # pragma: no cover - abstract
        r"""The gradient field :math:`\xi = \nabla \frac{\delta\mathcal E}{\delta\mu}` at the atoms.

        Parameters
        ----------
        mu : Empirical
            The measure.

        Returns
        -------
        numpy.ndarray
            Shape (n, d), one vector per atom.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
        >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
        >>> PotentialEnergy(ms.SeparableQuadratic([1.0, 1.0])).field(mu).tolist()
        [[1.0, 0.0], [-1.0, 2.0]]
        """
        raise NotImplementedError

    def _atom_values(self, mu: Empirical, i: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """:math:`\\mathcal E` of the measures with atom ``i[k]`` moved to ``Y[k]`` (default: one call per row)."""
        out = np.empty(len(i))
        for k, (a, y) in enumerate(zip(i, Y, strict=True)):
            pts = mu.points.copy()
            pts[a] = y
            out[k] = self.value(Empirical._trusted(pts, mu.weights, mu.uniform))
        return out

    def slope(self, space: Any, mu: Empirical) -> float:
        r""":math:`|\partial\mathcal E|_{W_p}(\mu) = (\sum_i w_i \|\xi(x_i)\|_*^{p'})^{1/p'}` (claim W2).

        Parameters
        ----------
        space : Wasserstein
            :math:`W_p` over a normed ground space.
        mu : Empirical
            The measure.

        Returns
        -------
        float
            The exact slope.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
        >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
        >>> E = PotentialEnergy(ms.SeparableQuadratic([1.0, 1.0]))
        >>> E.slope(Wasserstein(math.inf, ms.Lp(math.inf)), mu)  # ∫ |ξ|₁ dμ = (1 + 3)/2
        2.0
        """
        space, mu = _space(space), _as_measure(mu)
        g = _pnorm(self.field(mu), space.ground.dual_exponent, np)
        return _lp_mean(g, mu.weights, space.dual_exponent)

    def numerical_slope(self, space: Any, mu: Empirical, h: float) -> float:
        r"""A gradient-free difference quotient :math:`(\mathcal E(\mu) - \mathcal E(\nu))^+/h`, :math:`W_p(\nu, \mu) \le h`.

        The field :math:`\xi` is estimated by central differences of :math:`\mathcal E` in each atom and
        coordinate (step ``h``); :math:`\nu = (\mathrm{id} + h v)_\#\mu` moves atom :math:`i` along the
        steepest :math:`L^p(\mu)` direction of that estimate, :math:`v_i = -u_i\,\|\hat\xi_i\|_*^{p'-1}/
        (\sum_j w_j\|\hat\xi_j\|_*^{p'})^{1/p}` with :math:`u_i` a ground steepest direction, so the particles'
        coupling certifies :math:`W_p(\nu, \mu) \le h`. The quotient converges to the slope at :math:`O(h)` for
        :math:`C^2` energies. Costs :math:`2nd` evaluations of :math:`\mathcal E` at perturbed measures.

        Parameters
        ----------
        space : Wasserstein
            The space.
        mu : Empirical
            The measure.
        h : float
            The radius of the quotient, > 0.

        Returns
        -------
        float
            The quotient; it tends to :meth:`slope` as :math:`h \to 0`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
        >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
        >>> E = InteractionEnergy(ms.SeparableQuadratic([1.0, 1.0]))
        >>> W = Wasserstein(2.0, ms.Lp(2.0))
        >>> round(abs(E.numerical_slope(W, mu, 1e-4) - E.slope(W, mu)), 3)
        0.0
        """
        space, mu = _space(space), _as_measure(mu)
        h = check_positive_scalar(h, "h")
        n, d = mu.points.shape
        i = np.repeat(np.arange(n), d)
        e = np.tile(np.eye(d), (n, 1))
        Y = mu.points[i]
        with np.errstate(over="ignore", invalid="ignore"), _blame("h", h, "the difference quotient left the energy's domain"):  # overflow is refused, naming h
            fwd = self._atom_values(mu, i, Y + h * e)
            bwd = self._atom_values(mu, i, Y - h * e)
            w = np.where(mu.weights > 0, mu.weights, 1.0)
            xi = ((fwd - bwd) / (2 * h)).reshape(n, d) / w[:, None]
            return _quotient(self, space, mu, xi, h)


def _lp_mean(g: np.ndarray, w: np.ndarray, q: float) -> float:
    if q == math.inf:
        return float(np.max(g[w > 0]))
    if q == 1.0:
        return float(math.fsum((w * g).tolist()))
    return float(math.fsum((w * g**q).tolist()) ** (1.0 / q))


def _direction(space: Any, mu: Empirical, xi: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
    """The steepest unit direction of L^p(mu; ground) for the field xi (descent is -h times it).

    ``u`` is the per-atom steepest ground direction of ``xi`` (an element of the subdifferential of the dual norm);
    by default the ground space's own selection. The L^p(mu) scaling of it is the same for every selection.
    """
    if u is None:
        u = np.asarray(space.ground.steepest_direction(xi), dtype=np.float64)
    if space.p == math.inf:
        return u
    g = _pnorm(xi, space.ground.dual_exponent, np)
    q = space.dual_exponent
    if space.p == 1.0:  # all mass of the direction on the atoms with the largest field
        top = (g >= g[mu.weights > 0].max()) & (mu.weights > 0)
        scale = np.where(top, 1.0 / max(float(mu.weights[top].sum()), 1e-300), 0.0)
        return u * scale[:, None]
    S = math.fsum((mu.weights * g**q).tolist())
    if S == 0.0:
        return np.zeros_like(xi)
    return u * (g ** (q - 1.0) / S ** (1.0 / space.p))[:, None]


def _quotient(E: MeasureEnergy, space: Any, mu: Empirical, xi: np.ndarray, h: float) -> float:
    v = _direction(space, mu, xi)
    nu = Empirical._trusted(np.ascontiguousarray(mu.points - h * v), mu.weights, mu.uniform)
    return max((E.value(mu) - E.value(nu)) / h, 0.0)


class PotentialEnergy(MeasureEnergy):
    r"""The potential energy :math:`\mathcal E(\mu) = \int V\,d\mu = \sum_i w_i V(x_i)`; :math:`\xi = \nabla V`.

    Parameters
    ----------
    V : Energy
        The potential on :math:`\mathbb R^d` (anything :func:`~maxslope.energies.as_energy` accepts).

    Notes
    -----
    In :math:`W_\infty` the numerical slope is the per-atom ground difference quotient
    :math:`\sum_i w_i \max_{\|y - x_i\| = h}(V(x_i) - V(y))^+/h` (the C20 identity), computed by
    :func:`~maxslope.numerical_slope` in the ground space at every atom. Minimizing movements decouple into
    per-atom ground steps for every curve exponent equal to the order of the space (claim W3).

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
    >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
    >>> PotentialEnergy(ms.Linear([1.0, 0.0])).value(mu)  # the mean first coordinate
    0.0
    """

    def __init__(self, V: Any) -> None:
        self.V = as_energy(V, "V")
        self.smooth = bool(self.V.smooth)

    def __repr__(self) -> str:
        return f"PotentialEnergy({type(self.V).__name__})"

    def value(self, mu: Empirical) -> float:
        r""":math:`\mathcal E(\mu) = \sum_i w_i V(x_i)`.

        Parameters
        ----------
        mu : Empirical
            The measure.

        Returns
        -------
        float
            :math:`\sum_i w_i V(x_i)`, correctly rounded.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
        >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
        >>> PotentialEnergy(ms.Linear([0.0, 1.0])).value(mu)
        1.0
        """
        return _as_measure(mu).integrate(self.V.value)

    def field(self, mu: Empirical) -> np.ndarray:
        r""":math:`\xi(x_i) = \nabla V(x_i)`, shape (n, d).

        Parameters
        ----------
        mu : Empirical
            The measure.

        Returns
        -------
        numpy.ndarray
            :math:`\nabla V(x_i)`, shape (n, d).

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
        >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
        >>> PotentialEnergy(ms.Linear([0.0, 1.0])).field(mu).tolist()
        [[0.0, 1.0], [0.0, 1.0]]
        """
        return np.asarray(to_numpy(self.V.grad(_as_measure(mu).points)), dtype=np.float64)

    def _atom_values(self, mu: Empirical, i: np.ndarray, Y: np.ndarray) -> np.ndarray:
        dv = np.asarray(to_numpy(self.V.value(Y)), dtype=np.float64) - np.asarray(to_numpy(self.V.value(mu.points[i])), dtype=np.float64)
        return self.value(mu) + mu.weights[i] * dv

    def numerical_slope(self, space: Any, mu: Empirical, h: float) -> float:
        r"""The difference quotient of :meth:`MeasureEnergy.numerical_slope`; in :math:`W_\infty` exactly the per-atom one.

        In :math:`W_\infty` it is :math:`\sum_i w_i \max_{\|y - x_i\| = h}(V(x_i) - V(y))^+/h`, each atom's ground
        quotient by :func:`~maxslope.numerical_slope` (claim W2); otherwise the base class's.

        Parameters
        ----------
        space : Wasserstein
            The space.
        mu : Empirical
            The measure.
        h : float
            The radius, > 0.

        Returns
        -------
        float
            The quotient.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, PotentialEnergy, Wasserstein
        >>> E = PotentialEnergy(ms.Linear([1.0, -2.0]))
        >>> E.numerical_slope(Wasserstein(math.inf), Empirical(np.zeros((3, 2))), 0.1)  # exact for a linear V
        3.0
        """
        space, mu = _space(space), _as_measure(mu)
        if space.p == math.inf:
            from ..slopes import numerical_slope

            q = np.asarray(to_numpy(numerical_slope(self.V, space.ground, mu.points, h)), dtype=np.float64)
            return float(math.fsum((mu.weights * q).tolist()))
        return super().numerical_slope(space, mu, h)


class InteractionEnergy(MeasureEnergy):
    r"""The interaction energy :math:`\mathcal E(\mu) = \tfrac12\iint W(x - y)\,d\mu(x)\,d\mu(y)`.

    For an even :math:`W \in C^1` its first variation is :math:`W * \mu`, with gradient field
    :math:`\xi(x) = \sum_j w_j \nabla W(x - x_j)`. The sums run over all pairs, the diagonal included (the exact
    value on an empirical measure). Cost :math:`O(n^2 d)` per evaluation.

    Parameters
    ----------
    W : Energy
        The even interaction kernel on :math:`\mathbb R^d` (e.g. ``SeparableQuadratic(np.ones(d))`` for
        :math:`|z|_2^2/2`, claim W5). Evenness is checked on the atoms where it is evaluated.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
    >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
    >>> InteractionEnergy(ms.SeparableQuadratic([1.0, 1.0])).value(mu)  # ½ · 2 ordered pairs · ¼ · |x₁ − x₂|²/2
    1.0
    """

    def __init__(self, W: Any) -> None:
        self.W = as_energy(W, "W")
        if not self.W.smooth:
            raise ValueError("argument 'W' must be a C^1 kernel (its gradient field defines the flow)")

    def __repr__(self) -> str:
        return f"InteractionEnergy({type(self.W).__name__})"

    def _diffs(self, mu: Empirical) -> np.ndarray:
        X = mu.points
        return X[:, None, :] - X[None, :, :]

    def value(self, mu: Empirical) -> float:
        r""":math:`\tfrac12\sum_{i,j} w_i w_j W(x_i - x_j)`.

        Parameters
        ----------
        mu : Empirical
            The measure.

        Returns
        -------
        float
            :math:`\tfrac12\sum_{ij} w_i w_j W(x_i - x_j)`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
        >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
        >>> InteractionEnergy(ms.SeparableQuadratic([1.0, 1.0])).value(mu)
        1.0
        """
        mu = _as_measure(mu)
        V = np.asarray(to_numpy(self.W.value(self._diffs(mu))), dtype=np.float64)
        return 0.5 * float(mu.weights @ V @ mu.weights)

    def field(self, mu: Empirical) -> np.ndarray:
        r""":math:`\xi(x_i) = \sum_j w_j \nabla W(x_i - x_j)`, shape (n, d).

        Parameters
        ----------
        mu : Empirical
            The measure.

        Returns
        -------
        numpy.ndarray
            :math:`\xi(x_i) = \sum_j w_j\nabla W(x_i - x_j)`, shape (n, d).

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.wasserstein import Empirical, InteractionEnergy, PotentialEnergy, Wasserstein
        >>> mu = Empirical(np.array([[1.0, 0.0], [-1.0, 2.0]]))
        >>> InteractionEnergy(ms.SeparableQuadratic([1.0, 1.0])).field(mu).tolist()  # toward the mean (0, 1)
        [[1.0, -1.0], [-1.0, 1.0]]
        """
        mu = _as_measure(mu)
        G = np.asarray(to_numpy(self.W.grad(self._diffs(mu))), dtype=np.float64)
        return np.einsum("ijd,j->id", G, mu.weights)

    def _atom_values(self, mu: Empirical, i: np.ndarray, Y: np.ndarray) -> np.ndarray:
        X, w = mu.points, mu.weights
        base = self.value(mu)
        old = np.asarray(to_numpy(self.W.value(X[i][:, None, :] - X[None, :, :])), dtype=np.float64)  # (k, n)
        new = np.asarray(to_numpy(self.W.value(Y[:, None, :] - X[None, :, :])), dtype=np.float64)
        own = np.arange(len(i))
        new[own, i] = old[own, i]  # the self term W(0) does not change when an atom moves
        return base + w[i] * ((new - old) @ w)
