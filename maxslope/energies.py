r"""Energies :math:`E : \mathbb R^d \to \mathbb R` that the flows decrease.

An energy has ``value(x)`` (batched over leading axes, returning the batch shape) and ``grad(x)`` (returning
the shape of ``x``). For an attack that *maximizes* a loss :math:`\ell`, use :class:`Negated` (:math:`E = -\ell`).
Every energy validates its input and raises ``ValueError`` if a value or gradient comes out non-finite, so no
NaN ever enters a scheme silently.

Concrete energies keep their parameters as arrays of the library they were built with; calling them with an
array of another library raises ``TypeError`` (build the energy with arrays of the library you compute in).
"""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ._backend import as_float_array, check_finite, check_int, check_real_scalar, library_name, namespace, to_numpy
from .spaces.lp import Lp, _check_lp, _pnorm

__all__ = [
    "Energy",
    "Linear",
    "Quadratic",
    "SeparableQuadratic",
    "L1Norm",
    "Negated",
    "MonotoneTransform",
    "Sum",
    "FromCallables",
    "TorchEnergy",
    "as_energy",
]


class _NonFiniteEnergy(ValueError):
    """An energy returned NaN or inf; a scheme that caused it by its step size re-raises it naming that argument."""


@contextlib.contextmanager
def _blame(name: str, value: Any, what: str) -> Iterator[None]:
    """Re-raise an energy's non-finite value as the fault of the argument ``name`` that produced the point.

    The callers check the start point themselves, so a non-finite energy met later was caused by the step size
    (``tau``), the sphere radius (``h``) or the budget (``eps``): ``what`` says where it was met.
    """
    try:
        yield
    except _NonFiniteEnergy as exc:
        raise ValueError(f"argument {name!r} ({value!r}) is too large: {what} ({exc})") from exc


class Energy:
    r"""Base class of energies. Subclasses implement ``_value(x, xp)`` and ``_grad(x, xp)``.

    Attributes
    ----------
    smooth : bool
        True if :math:`E \in C^1`; then the local slope in any norm is :math:`\|\nabla E\|_*` (claim C5). For
        convex nonsmooth energies (``smooth = False``), ``grad`` returns the minimal-norm subgradient and the
        slope is its dual norm.
    dim : int or None
        The dimension :math:`d` if the energy fixes it.

    Examples
    --------
    A new energy implements ``_value`` and ``_grad``; validation, batching and the slope come from the base:

    >>> import math, numpy as np, maxslope as ms
    >>> class Cosh(ms.Energy):
    ...     def _value(self, x, xp):
    ...         return xp.sum(xp.cosh(x), axis=-1)
    ...     def _grad(self, x, xp):
    ...         return xp.sinh(x)
    >>> round(float(ms.slope(Cosh(), ms.Lp(math.inf), np.array([1.0, -1.0]))), 6)  # 2 sinh 1
    2.350402
    """

    smooth: bool = True
    dim: int | None = None

    # -- public API ----------------------------------------------------------------------------------
    def value(self, x: Any) -> Any:
        """:math:`E(x)`, batched over the leading axes of ``x``.

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``, of the library of the energy's parameters.

        Returns
        -------
        array
            The values, shape ``(...)``, in the library and dtype of ``x``.

        Examples
        --------
        >>> import numpy as np, maxslope as ms
        >>> ms.SeparableQuadratic([1.0, 2.0]).value(np.array([[1.0, 1.0], [0.0, 2.0]])).tolist()
        [1.5, 4.0]
        """
        xp, x = self._check_x(x)
        v = self._value(x, xp)
        self._check_out(v, "value", xp)
        return v

    def grad(self, x: Any) -> Any:
        r""":math:`\nabla E(x)` (for nonsmooth convex energies: the minimal-norm subgradient), shape of ``x``.

        Parameters
        ----------
        x : array
            Points, shape ``(..., d)``.

        Returns
        -------
        array
            The gradients, shape of ``x``, in its library and dtype.

        Examples
        --------
        >>> import numpy as np, maxslope as ms
        >>> ms.SeparableQuadratic([1.0, 2.0]).grad(np.array([1.0, 1.0])).tolist()
        [1.0, 2.0]
        """
        xp, x = self._check_x(x)
        g = self._grad(x, xp)
        self._check_out(g, "gradient", xp)
        return g

    def grad_lipschitz(self, space: Lp) -> float | None:
        r"""A Lipschitz constant :math:`L` of :math:`\nabla E : (\mathbb R^d, \|\cdot\|) \to (\mathbb R^d, \|\cdot\|_*)`.

        Used by the one-step estimate of claim C9, :math:`|E(x - \tau v) - E(x) + \tau\|\nabla E(x)\|_*| \le
        \tfrac L2 \tau^2`. Returns None when no constant is known (the default).

        Parameters
        ----------
        space : Lp
            The geometry of the domain (the dual norm measures the gradients).

        Returns
        -------
        float or None
            :math:`L`, or None.

        Examples
        --------
        >>> import math, maxslope as ms
        >>> ms.SeparableQuadratic([1.0, 2.0]).grad_lipschitz(ms.Lp(math.inf))  # ‖diag λ‖ from ℓ∞ to ℓ1
        3.0
        """
        _check_lp(space)
        return None

    def slope(self, space: Lp, x: Any) -> Any:
        r"""The local slope :math:`|\partial E|(x) = \|\nabla E(x)\|_*` in the geometry ``space``.

        Parameters
        ----------
        space : Lp
            The normed space.
        x : array
            Points, shape ``(..., d)``.

        Returns
        -------
        array
            The slopes, shape ``(...)``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> float(ms.Linear([1.0, -2.0]).slope(ms.Lp(2.0), np.zeros(2))) == math.sqrt(5)
        True
        """
        _check_lp(space)
        xp, x = self._check_x(x)
        return _pnorm(self.grad(x), space.dual_exponent, xp)

    def __add__(self, other: Energy) -> Sum:
        return Sum(self, other)

    def __neg__(self) -> Negated:
        return Negated(self)

    # -- helpers -------------------------------------------------------------------------------------
    def _check_x(self, x: Any) -> tuple[Any, Any]:
        xp = namespace(x=x)
        x = as_float_array(x, "x", xp, min_ndim=1)
        if self.dim is not None and x.shape[-1] != self.dim:
            raise ValueError(f"argument 'x' has dimension {x.shape[-1]} but {type(self).__name__} is defined on R^{self.dim}")
        return xp, x

    def _check_out(self, v: Any, what: str, xp: Any) -> None:
        try:
            check_finite(v, what, xp)
        except ValueError:
            raise _NonFiniteEnergy(
                f"energy {type(self).__name__} returned a non-finite {what}; argument 'x' is outside its domain "
                "or the energy is broken (maxslope never propagates NaN)"
            ) from None

    def _param(self, value: Any, name: str, xp: Any, dtype: Any = None) -> Any:
        """A parameter in the namespace of ``x`` (and, if given, cast to ``x``'s floating dtype)."""
        if isinstance(value, (int, float)):
            return value
        if library_name(value) != library_name(xp.asarray(0.0)):
            raise TypeError(
                f"{type(self).__name__}.{name} is a {library_name(value)} array but 'x' is a "
                f"{library_name(xp.asarray(0.0))} array; build the energy with arrays of the library you compute in"
            )
        if dtype is not None and value.dtype != dtype:
            return xp.astype(value, dtype)
        return value

    def _value(self, x: Any, xp: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _grad(self, x: Any, xp: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


def check_points_for(E: Any, x: Any, name: str) -> None:
    """Refuse points ``x`` (..., d) with an empty last axis or a dimension other than the energy's, naming ``name``."""
    d = int(x.shape[-1]) if x.ndim else 0
    if d == 0 or math.prod(x.shape) == 0:
        raise ValueError(f"argument {name!r} must hold at least one point of dimension >= 1, got shape {tuple(x.shape)}")
    dim = getattr(E, "dim", None)
    if dim is not None and d != dim:
        raise ValueError(f"argument {name!r} has dimension {d} but the energy {type(E).__name__} is defined on R^{dim}")


def _vector(a: Any, name: str) -> Any:
    if isinstance(a, (list, tuple)):
        # no dtype forced here: a list is refused or promoted exactly as the array it makes (a list of bools or of
        # strings like "1.5" was read as float64, where the bool or string array is refused)
        a = np.asarray(a)
    xp = namespace(**{name: a})
    a = as_float_array(a, name, xp, min_ndim=1)
    if a.ndim != 1 or a.shape[0] == 0:
        raise ValueError(f"argument {name!r} must be a non-empty vector (1-D), got shape {tuple(a.shape)}")
    return a


def _scalar_or_vector(c: Any, name: str, d: int, against: str) -> Any:
    if isinstance(c, (int, float)) and not isinstance(c, bool):
        return check_real_scalar(c, name)
    c = _vector(c, name)
    if c.shape[0] != d:
        raise ValueError(f"argument {name!r} has length {c.shape[0]}, expected {d} (from argument {against!r})")
    return c


class Linear(Energy):
    r"""The linear energy :math:`E(x) = \langle a, x\rangle + c`.

    Its slope is :math:`\|a\|_*` everywhere, and its :math:`\infty`-flows are straight lines at unit speed
    (unique in :math:`\ell^\infty` on the coordinates with :math:`a_i \ne 0`).

    Parameters
    ----------
    a : array_like
        :math:`a \in \mathbb R^d` (any array library; points must be of the same library).
    c : float
        The constant.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.Linear([1.0, -2.0], c=0.5)
    >>> float(E.value(np.array([1.0, 1.0]))), float(ms.slope(E, ms.Lp(math.inf), np.zeros(2)))
    (-0.5, 3.0)
    """

    def __init__(self, a: Any, c: float = 0.0) -> None:
        self.a = _vector(a, "a")
        self.dim = int(self.a.shape[0])
        self.c = check_real_scalar(c, "c")

    def _value(self, x: Any, xp: Any) -> Any:
        return xp.sum(x * self._param(self.a, "a", xp, x.dtype), axis=-1) + self.c

    def _grad(self, x: Any, xp: Any) -> Any:
        return xp.zeros_like(x) + self._param(self.a, "a", xp, x.dtype)

    def grad_lipschitz(self, space: Lp) -> float:
        r"""0: the gradient of a linear energy is constant.

        Parameters
        ----------
        space : Lp
            The geometry of the domain.

        Returns
        -------
        float or None
            :math:`L`, or None when unknown.

        Examples
        --------
        >>> import maxslope as ms
        >>> ms.Linear([1.0, 2.0]).grad_lipschitz(ms.Lp(2.0))
        0.0
        """
        _check_lp(space)
        return 0.0


class Quadratic(Energy):
    r"""The quadratic :math:`E(x) = \tfrac12 x^\top A x + b^\top x + c` with symmetric :math:`A`.

    ``grad_lipschitz(space)`` returns the operator norm :math:`\|A\|_{p \to q}`: exact for :math:`p = 2`
    (spectral norm), :math:`p = 1` (:math:`\max_{ij}|a_{ij}|`) and :math:`p = \infty` with :math:`d \le 16`
    (:math:`\max_{s \in \{\pm1\}^d} \|As\|_1`, a convex function maximized at a vertex); for larger :math:`d` in
    :math:`\ell^\infty` the upper bound :math:`\sum_{ij}|a_{ij}|`; None for other :math:`p`.

    Parameters
    ----------
    A : array_like
        A symmetric (d, d) matrix.
    b : array_like, optional
        :math:`b \in \mathbb R^d` (default 0).
    c : float
        The constant.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.Quadratic([[2.0, 1.0], [1.0, 2.0]], [1.0, 0.0])
    >>> E.grad(np.array([1.0, 0.0])).tolist(), round(E.grad_lipschitz(ms.Lp(2.0)), 12), E.is_convex()
    ([3.0, 1.0], 3.0, True)
    """

    def __init__(self, A: Any, b: Any = None, c: float = 0.0) -> None:
        xp = namespace(A=A) if not isinstance(A, (list, tuple)) else namespace()
        A = as_float_array(np.asarray(A, dtype=float) if isinstance(A, (list, tuple)) else A, "A", xp, min_ndim=2)
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise ValueError(f"argument 'A' must be a square matrix, got shape {tuple(A.shape)}")
        An = to_numpy(A)
        scale = max(float(np.max(np.abs(An))), 1e-300)
        if float(np.max(np.abs(An - An.T))) > 1e-12 * scale:
            raise ValueError("argument 'A' must be symmetric (E = x^T A x / 2 only sees its symmetric part)")
        self.A = A
        self.dim = int(A.shape[0])
        self.b = None if b is None else _vector(b, "b")
        if self.b is not None and self.b.shape[0] != self.dim:
            raise ValueError(f"argument 'b' has length {self.b.shape[0]}, expected {self.dim}")
        self.c = check_real_scalar(c, "c")

    def _value(self, x: Any, xp: Any) -> Any:
        A = self._param(self.A, "A", xp, x.dtype)
        Ax = xp.matmul(x, A)
        v = 0.5 * xp.sum(x * Ax, axis=-1) + self.c
        if self.b is not None:
            v = v + xp.sum(x * self._param(self.b, "b", xp, x.dtype), axis=-1)
        return v

    def _grad(self, x: Any, xp: Any) -> Any:
        g = xp.matmul(x, self._param(self.A, "A", xp, x.dtype))
        if self.b is not None:
            g = g + self._param(self.b, "b", xp, x.dtype)
        return g

    def is_convex(self) -> bool:
        r"""True if :math:`A` is positive semidefinite (smallest eigenvalue ≥ −1e-12·‖A‖).

        Returns
        -------
        bool
            Whether :math:`A \succeq 0`.

        Examples
        --------
        >>> import maxslope as ms
        >>> ms.Quadratic([[1.0, 0.0], [0.0, -1.0]]).is_convex()
        False
        """
        An = to_numpy(self.A)
        ev = np.linalg.eigvalsh(An)
        return bool(ev[0] >= -1e-12 * max(abs(ev[-1]), 1e-300))

    def grad_lipschitz(self, space: Lp) -> float | None:
        r"""The operator norm :math:`\|A\|_{p \to q}` (see the class docstring for which are exact).

        Parameters
        ----------
        space : Lp
            The geometry of the domain.

        Returns
        -------
        float or None
            :math:`L`, or None when unknown.

        Examples
        --------
        >>> import math, maxslope as ms
        >>> ms.Quadratic([[2.0, 0.0], [0.0, 1.0]]).grad_lipschitz(ms.Lp(math.inf))  # max over sign vectors of |As|_1
        3.0
        """
        _check_lp(space)
        An = to_numpy(self.A)
        d = An.shape[0]
        if space.p == 2.0:
            return float(np.linalg.norm(An, 2))
        if space.p == 1.0:
            return float(np.max(np.abs(An)))
        if space.p == math.inf:
            if d <= Lp.MAX_VERTEX_DIM:
                best = 0.0
                for s in itertools.product((1.0, -1.0), repeat=d - 1):
                    v = np.array((1.0,) + s)
                    best = max(best, float(np.sum(np.abs(An @ v))))
                return best
            return float(np.sum(np.abs(An)))
        return None


class SeparableQuadratic(Energy):
    r"""The separable quadratic :math:`E(x) = \tfrac12 \sum_i \lambda_i (x_i - c_i)^2`, :math:`\lambda_i > 0`.

    In :math:`\ell^\infty` its :math:`\infty`-flow is unique and independent of :math:`\lambda`:
    :math:`u_i(t) = c_i + \mathrm{sign}(x_{0,i} - c_i)(|x_{0,i} - c_i| - t)^+`.
    ``grad_lipschitz`` is :math:`\|\mathrm{diag}\,\lambda\|_{p\to q}`: :math:`\|\lambda\|_r` with
    :math:`1/r = 1/q - 1/p` when :math:`q \le p`, else :math:`\max_i \lambda_i`.

    Parameters
    ----------
    lam : array_like
        :math:`\lambda \in (0, \infty)^d`.
    center : float or array_like
        :math:`c`, a scalar or a vector of length d (default 0).

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.SeparableQuadratic([1.0, 4.0], center=[0.0, 1.0])
    >>> float(E.value(np.array([2.0, 0.0]))), E.grad(np.array([2.0, 0.0])).tolist()
    (4.0, [2.0, -4.0])
    """

    def __init__(self, lam: Any, center: Any = 0.0) -> None:
        self.lam = _vector(lam, "lam")
        xp = namespace(lam=self.lam)
        if not bool(xp.all(self.lam > 0)):
            raise ValueError("argument 'lam' must be strictly positive (the closed-form flows need lambda_i > 0)")
        self.dim = int(self.lam.shape[0])
        self.center = _scalar_or_vector(center, "center", self.dim, "lam")

    def _shift(self, x: Any, xp: Any) -> Any:
        return x - self._param(self.center, "center", xp, x.dtype)

    def _value(self, x: Any, xp: Any) -> Any:
        y = self._shift(x, xp)
        return 0.5 * xp.sum(self._param(self.lam, "lam", xp, x.dtype) * y * y, axis=-1)

    def _grad(self, x: Any, xp: Any) -> Any:
        return self._param(self.lam, "lam", xp, x.dtype) * self._shift(x, xp)

    def grad_lipschitz(self, space: Lp) -> float:
        r""":math:`\|\mathrm{diag}\,\lambda\|_{p\to q}` (see the class docstring).

        Parameters
        ----------
        space : Lp
            The geometry of the domain.

        Returns
        -------
        float or None
            :math:`L`, or None when unknown.

        Examples
        --------
        >>> import maxslope as ms
        >>> ms.SeparableQuadratic([1.0, 3.0]).grad_lipschitz(ms.Lp(2.0))
        3.0
        """
        _check_lp(space)
        lam = to_numpy(self.lam)
        p, q = space.p, space.dual_exponent
        if q <= p:
            inv_r = (1.0 / q) - (0.0 if p == math.inf else 1.0 / p)
            if inv_r == 0:
                return float(np.max(lam))
            r = 1.0 / inv_r
            return float(np.sum(lam**r) ** (1.0 / r))
        return float(np.max(lam))


class L1Norm(Energy):
    r"""The convex, nonsmooth energy :math:`E(x) = \sum_i w_i |x_i - c_i|`, weights :math:`w_i > 0`.

    ``grad`` returns the minimal-norm subgradient :math:`w \odot \mathrm{sign}(x - c)` (zero where
    :math:`x_i = c_i`), which minimizes every :math:`\ell^q` norm over :math:`\partial E(x)`; the slope in
    :math:`\ell^\infty` with unit weights is :math:`\|x - c\|_0`, the number of nonzero coordinates.

    Parameters
    ----------
    dim : int
        :math:`d \ge 1`.
    center : float or array_like
        :math:`c` (default 0).
    weight : float or array_like
        :math:`w > 0` (default 1).

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.L1Norm(3)
    >>> x = np.array([0.5, 0.0, -2.0])
    >>> float(E.value(x)), E.grad(x).tolist(), float(ms.slope(E, ms.Lp(math.inf), x))
    (2.5, [1.0, 0.0, -1.0], 2.0)
    """

    smooth = False

    def __init__(self, dim: int, center: Any = 0.0, weight: Any = 1.0) -> None:
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise ValueError(f"argument 'dim' must be a positive integer, got {dim!r}")
        self.dim = dim
        self.center = _scalar_or_vector(center, "center", dim, "dim")
        self.weight = _scalar_or_vector(weight, "weight", dim, "dim")
        w = self.weight
        if (isinstance(w, float) and w <= 0) or (not isinstance(w, float) and not bool(namespace(w=w).all(w > 0))):
            raise ValueError("argument 'weight' must be strictly positive")

    def _value(self, x: Any, xp: Any) -> Any:
        return xp.sum(self._param(self.weight, "weight", xp, x.dtype) * xp.abs(x - self._param(self.center, "center", xp, x.dtype)), axis=-1)

    def _grad(self, x: Any, xp: Any) -> Any:
        return self._param(self.weight, "weight", xp, x.dtype) * xp.sign(x - self._param(self.center, "center", xp, x.dtype))


class Negated(Energy):
    r""":math:`E = -\ell`: turns a loss to maximize (an attack) into an energy to decrease.

    Parameters
    ----------
    loss : Energy
        :math:`\ell`, smooth (the negative of a nonsmooth convex energy is concave and has no minimal-norm
        subgradient).

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.Negated(ms.Linear([1.0, -2.0]))
    >>> float(E.value(np.ones(2))), (-ms.Linear([1.0, -2.0])).grad(np.ones(2)).tolist()
    (1.0, [-1.0, 2.0])
    """

    def __init__(self, loss: Any) -> None:
        self.inner = as_energy(loss, "loss")
        self.dim = self.inner.dim
        self.smooth = self.inner.smooth

    def _value(self, x: Any, xp: Any) -> Any:
        return -self.inner.value(x)

    def _grad(self, x: Any, xp: Any) -> Any:
        if not self.inner.smooth:
            raise ValueError("Negated of a nonsmooth convex energy is concave: its minimal-norm subgradient is undefined")
        return -self.inner.grad(x)

    def grad_lipschitz(self, space: Lp) -> float | None:
        r"""The inner energy's constant (negation does not change :math:`\|\nabla E\|` differences).

        Parameters
        ----------
        space : Lp
            The geometry of the domain.

        Returns
        -------
        float or None
            :math:`L`, or None when unknown.

        Examples
        --------
        >>> import maxslope as ms
        >>> ms.Negated(ms.SeparableQuadratic([1.0, 3.0])).grad_lipschitz(ms.Lp(2.0))
        3.0
        """
        _check_lp(space)
        return self.inner.grad_lipschitz(space)


class MonotoneTransform(Energy):
    r""":math:`\varphi \circ E` for an increasing :math:`\varphi \in C^1` (:math:`\varphi' > 0`).

    It has the same :math:`\infty`-flows, the same minimizing-movement iterates and — because the sign of every
    gradient coordinate is unchanged — bitwise the same signed-gradient iterates as :math:`E` (claim C15).
    ``phi`` and ``dphi`` map arrays to arrays of the same library; ``dphi`` must be positive where evaluated
    (checked; a violation raises ``ValueError``).

    Parameters
    ----------
    phi : callable
        :math:`\varphi`, arrays to arrays.
    dphi : callable
        :math:`\varphi' > 0`, arrays to arrays.
    energy : Energy
        :math:`E`.

    Examples
    --------
    The signed gradient of :math:`e^E` is that of :math:`E`:

    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.SeparableQuadratic([1.0, 3.0])
    >>> F = ms.MonotoneTransform(np.exp, np.exp, E)
    >>> x = np.array([0.4, -0.2])
    >>> np.array_equal(np.sign(F.grad(x)), np.sign(E.grad(x)))
    True
    """

    def __init__(self, phi: Callable[[Any], Any], dphi: Callable[[Any], Any], energy: Any) -> None:
        if not callable(phi) or not callable(dphi):
            raise TypeError("arguments 'phi' and 'dphi' must be callables")
        self.phi, self.dphi = phi, dphi
        self.inner = as_energy(energy, "energy")
        self.dim = self.inner.dim
        self.smooth = self.inner.smooth

    def _value(self, x: Any, xp: Any) -> Any:
        return self.phi(self.inner.value(x))

    def _grad(self, x: Any, xp: Any) -> Any:
        d = self.dphi(self.inner.value(x))
        if not bool(xp.all(d > 0)):
            raise ValueError("argument 'dphi' returned a value <= 0: phi must be strictly increasing")
        return d[..., None] * self.inner.grad(x)


class Sum(Energy):
    r""":math:`E_1 + \dots + E_m`; its gradient Lipschitz constant is the sum of the parts' (if all known).

    Parameters
    ----------
    *energies : Energy
        The parts, at least one, of one dimension where they fix it.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.Sum(ms.SeparableQuadratic([1.0, 1.0]), ms.Linear([1.0, 0.0]))  # or SeparableQuadratic(...) + Linear(...)
    >>> float(E.value(np.array([1.0, 1.0]))), E.grad_lipschitz(ms.Lp(2.0))
    (2.0, 1.0)
    """

    def __init__(self, *energies: Any) -> None:
        if not energies:
            raise ValueError("argument 'energies' must hold at least one energy, got none")
        self.parts = [as_energy(e, f"energies[{i}]") for i, e in enumerate(energies)]
        dims = {e.dim for e in self.parts if e.dim is not None}
        if len(dims) > 1:
            raise ValueError(f"Sum of energies on different dimensions {sorted(dims)}")
        self.dim = dims.pop() if dims else None
        self.smooth = all(e.smooth for e in self.parts)

    def _value(self, x: Any, xp: Any) -> Any:
        out = self.parts[0].value(x)
        for e in self.parts[1:]:
            out = out + e.value(x)
        return out

    def _grad(self, x: Any, xp: Any) -> Any:
        if not self.smooth:
            raise ValueError("the minimal-norm subgradient of a sum with nonsmooth parts is not the sum of theirs")
        out = self.parts[0].grad(x)
        for e in self.parts[1:]:
            out = out + e.grad(x)
        return out

    def grad_lipschitz(self, space: Lp) -> float | None:
        r"""The sum of the parts' constants, or None if one is unknown.

        Parameters
        ----------
        space : Lp
            The geometry of the domain.

        Returns
        -------
        float or None
            :math:`L`, or None when unknown.

        Examples
        --------
        >>> import maxslope as ms
        >>> (ms.SeparableQuadratic([1.0, 1.0]) + ms.Linear([1.0, 0.0])).grad_lipschitz(ms.Lp(2.0))
        1.0
        """
        _check_lp(space)
        ls = [e.grad_lipschitz(space) for e in self.parts]
        return None if any(v is None for v in ls) else float(sum(ls))  # type: ignore[arg-type]


class FromCallables(Energy):
    """An energy from two callables ``value(x)`` and ``grad(x)`` (batched, array-API in and out).

    Parameters
    ----------
    value, grad : callable
        ``value`` maps points of shape ``(..., d)`` to values of shape ``(...)``, ``grad`` to gradients of shape
        ``(..., d)``; an answer of another shape is refused (``ValueError`` naming the callable) when the energy is
        evaluated.
    lipschitz : callable(space) -> float or None, optional
        A gradient Lipschitz constant for a given geometry, if known.
    smooth : bool
        Whether the energy is C^1 (default True).
    dim : int, optional

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> E = ms.FromCallables(lambda x: np.sin(x).sum(-1), np.cos, dim=2)
    >>> E.grad(np.zeros(2)).tolist(), float(ms.slope(E, ms.Lp(math.inf), np.zeros(2)))
    ([1.0, 1.0], 2.0)
    """

    def __init__(
        self,
        value: Callable[[Any], Any],
        grad: Callable[[Any], Any],
        lipschitz: Callable[[Lp], float | None] | None = None,
        smooth: bool = True,
        dim: int | None = None,
    ) -> None:
        if not callable(value) or not callable(grad):
            raise TypeError("arguments 'value' and 'grad' must be callables")
        self._v, self._g, self._lip = value, grad, lipschitz
        self.smooth = smooth
        self.dim = None if dim is None else check_int(dim, "dim", 1)

    def _value(self, x: Any, xp: Any) -> Any:
        v = self._v(x)
        # one value per point: a (..., 1) answer would broadcast against (...) downstream into an (n, n) table
        if tuple(getattr(v, "shape", ())) != tuple(x.shape[:-1]):
            raise ValueError(f"argument 'value' returned shape {tuple(getattr(v, 'shape', ()))} for input of shape "
                             f"{tuple(x.shape)}; expected {tuple(x.shape[:-1])} (one value per point)")
        return v

    def _grad(self, x: Any, xp: Any) -> Any:
        g = self._g(x)
        if tuple(g.shape) != tuple(x.shape):
            raise ValueError(f"argument 'grad' returned shape {tuple(g.shape)} for input of shape {tuple(x.shape)}")
        return g

    def grad_lipschitz(self, space: Lp) -> float | None:
        r"""What the ``lipschitz`` callable gives for ``space``, or None without one.

        Parameters
        ----------
        space : Lp
            The geometry of the domain.

        Returns
        -------
        float or None
            :math:`L`, or None when unknown.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> E = ms.FromCallables(lambda x: (x**2).sum(-1) / 2, lambda x: x, lipschitz=lambda space: 1.0)
        >>> E.grad_lipschitz(ms.Lp(2.0))
        1.0
        """
        _check_lp(space)
        return None if self._lip is None else self._lip(space)


class TorchEnergy(Energy):
    """An energy from a torch function or ``nn.Module`` ``f(x) -> values`` (batch), gradients by autograd.

    Accepts torch tensors (any device) and, for convenience, NumPy arrays (converted to CPU tensors of the same
    dtype and back). Needs the optional ``torch`` extra.

    Parameters
    ----------
    fn : callable
        ``f(x) -> values``: a batch of points of shape ``(..., d)`` to values of shape ``(...)``, differentiable
        by torch's autograd.
    dim : int, optional
        The dimension :math:`d`, if the function fixes it.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> import importlib.util
    >>> if importlib.util.find_spec("torch"):  # the example runs where torch is installed
    ...     import torch
    ...     E = ms.TorchEnergy(lambda x: (x**2).sum(-1) / 2, dim=2)
    ...     print(E.grad(torch.tensor([1.0, -2.0])).tolist())
    ... else:
    ...     print([1.0, -2.0])
    [1.0, -2.0]
    """

    def __init__(self, fn: Callable[[Any], Any], dim: int | None = None) -> None:
        try:
            import torch
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("TorchEnergy needs torch: pip install 'maxslope[torch]'") from exc
        if not callable(fn):
            raise TypeError("argument 'fn' must be callable")
        self._torch = torch
        self.fn = fn
        self.dim = None if dim is None else check_int(dim, "dim", 1)

    def _to_torch(self, x: Any) -> tuple[Any, bool]:
        torch = self._torch
        if isinstance(x, torch.Tensor):
            return x, False
        return torch.from_numpy(np.ascontiguousarray(to_numpy(x))), True

    def _value(self, x: Any, xp: Any) -> Any:
        t, conv = self._to_torch(x)
        with self._torch.no_grad():
            v = self.fn(t)
        return v.numpy() if conv else v

    def _grad(self, x: Any, xp: Any) -> Any:
        torch = self._torch
        t, conv = self._to_torch(x)
        t = t.detach().clone().requires_grad_(True)
        with torch.enable_grad():
            v = self.fn(t)
            (g,) = torch.autograd.grad(v.sum(), t)
        return g.numpy() if conv else g


def as_energy(e: Any, name: str = "E") -> Energy:
    """Return ``e`` if it is an :class:`Energy`; wrap a duck-typed object with ``value``/``grad``; else raise.

    Parameters
    ----------
    e : Energy or object
        An energy, or an object with ``value(x)`` and ``grad(x)`` (and optionally ``grad_lipschitz``, ``smooth``,
        ``dim``).
    name : str
        The argument name for the error message.

    Returns
    -------
    Energy
        ``e``, or a :class:`FromCallables` wrapping it.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.energies import as_energy
    >>> class Half:
    ...     def value(self, x): return (x**2).sum(-1) / 2
    ...     def grad(self, x): return x
    >>> as_energy(Half()).grad(np.array([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    if isinstance(e, Energy):
        return e
    if hasattr(e, "value") and hasattr(e, "grad") and callable(e.value) and callable(e.grad):
        return FromCallables(e.value, e.grad, getattr(e, "grad_lipschitz", None), getattr(e, "smooth", True), getattr(e, "dim", None))
    raise TypeError(f"argument {name!r} must be an energy (an object with value(x) and grad(x)), got {type(e).__name__}")
