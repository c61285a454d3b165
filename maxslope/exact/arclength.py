r"""ℓ2 :math:`\infty`-flows of quadratics as arc-length reparametrizations of the classical flow (claim C14)."""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
import sympy as sp

from .._backend import as_float_array, check_finite, check_int, check_real_scalar
from ..energies import Quadratic
from ..spaces.lp import Lp

__all__ = ["ArcLengthQuadraticFlow"]


class ArcLengthQuadraticFlow:
    r"""The ℓ2 :math:`\infty`-flow of :math:`E(x) = \tfrac12 x^\top A x`, :math:`A \succ 0` symmetric.

    While :math:`\nabla E \ne 0`, :math:`\infty`-flows in ℓ2 are unit-speed reparametrizations of the classical
    gradient flow :math:`\dot x = -Ax`, :math:`x(s) = e^{-As}x_0` (claim C14): with the arc length
    :math:`\sigma(s) = \int_0^s |Ax(r)|_2\,dr`, :math:`u(t) = x(\sigma^{-1}(t))` for
    :math:`t < \sigma(\infty)`. The EDE in time :math:`t` is, after the change of variables, the identity
    :math:`\tfrac{d}{ds}E(x(s)) + |\nabla E(x(s))|_2\,\sigma'(s) = -|Ax|^2 + |Ax|^2 = 0` (checked in sympy by
    :meth:`verify_symbolic`).

    Evaluation: NumPy (Newton on :math:`\sigma(s) = t`, :math:`\sigma` by 80-point Gauss–Legendre quadrature on
    :math:`[0, s]`; error ≲ 1e-13 for :math:`\lambda_{\max} s \lesssim 40`) or mpmath at any precision
    (``mp``: ``quad`` + ``findroot``).

    Parameters
    ----------
    A : array_like
        A symmetric positive definite (d, d) matrix.
    x0 : array_like
        The start point.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.exact import ArcLengthQuadraticFlow
    >>> flow = ArcLengthQuadraticFlow(np.diag([1.0, 4.0]), np.array([1.0, 1.0]))
    >>> t = np.linspace(0, 0.5, 6)
    >>> v = np.linalg.norm(np.diff(flow(t), axis=0), axis=1) / 0.1
    >>> bool(np.all(np.abs(v - 1) < 1e-3))  # unit speed in ℓ2 (chords of a curved path: slightly below 1)
    True
    """

    def __init__(self, A: Any, x0: Any) -> None:
        A = as_float_array(A, "A", np, min_ndim=2)
        check_finite(A, "A", np)
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
            raise ValueError(f"argument 'A' must be a square (d, d) matrix, got shape {A.shape}")
        self.energy = Quadratic(A)
        if not self.energy.is_convex():
            raise ValueError("argument 'A' must be positive definite")
        self.A = A
        self.w, self.V = np.linalg.eigh(A)
        if self.w[0] <= 0:
            raise ValueError("argument 'A' must be positive definite")
        self.x0 = as_float_array(x0, "x0", np, min_ndim=1)
        check_finite(self.x0, "x0", np)
        if self.x0.shape != (A.shape[0],):
            raise ValueError("argument 'x0' must have the dimension of 'A'")
        self.y0 = self.V.T @ self.x0
        self.space = Lp(2)
        self.sigma_inf = self._sigma(np.array([60.0 / self.w[0]]))[0]
        self._gl = np.polynomial.legendre.leggauss(80)

    def x_classical(self, s: np.ndarray) -> np.ndarray:
        r"""The classical ℓ2 gradient flow :math:`x(s) = e^{-As}x_0` at its own time ``s`` (before reparametrizing).

        Parameters
        ----------
        s : numpy.ndarray
            Classical times :math:`s \ge 0`.

        Returns
        -------
        numpy.ndarray
            Points, shape ``s.shape + (d,)``.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import ArcLengthQuadraticFlow
        >>> flow = ArcLengthQuadraticFlow(np.diag([1.0, 4.0]), np.array([1.0, 1.0]))
        >>> flow.x_classical(np.array([0.0]))[0].tolist()
        [1.0, 1.0]
        """
        s = as_float_array(s, "s", np)
        check_finite(s, "s", np)
        if np.any(s < 0):
            raise ValueError("argument 's' must be >= 0 (classical times)")
        return (np.exp(-np.multiply.outer(s, self.w)) * self.y0) @ self.V.T  # type: ignore[no-any-return]

    def _speed(self, s: np.ndarray) -> np.ndarray:
        g = self.w * self.y0 * np.exp(-np.multiply.outer(s, self.w))
        return np.sqrt(np.sum(g * g, axis=-1))  # type: ignore[no-any-return]

    def _sigma(self, s: np.ndarray) -> np.ndarray:
        nodes, weights = np.polynomial.legendre.leggauss(80)
        r = (nodes[None, :] + 1.0) * (s[:, None] / 2.0)
        return np.sum(self._speed(r) * weights[None, :], axis=-1) * (s / 2.0)  # type: ignore[no-any-return]

    def __call__(self, t: Any) -> np.ndarray:
        tt = np.atleast_1d(as_float_array(t, "t", np))
        check_finite(tt, "t", np)
        if np.any(tt < 0) or np.any(tt >= self.sigma_inf):
            raise ValueError(f"argument 't' must lie in [0, {self.sigma_inf}) (the flow reaches the minimizer at sigma(inf))")
        s = tt / max(self._speed(np.zeros(1))[0], 1e-300)
        for _ in range(60):
            f = self._sigma(s) - tt
            s_new = np.maximum(s - f / self._speed(s), 0.0)
            if np.all(np.abs(s_new - s) <= 1e-15 * (1 + s)):
                s = s_new
                break
            s = s_new
        out = self.x_classical(s)
        return out.reshape(np.shape(t) + (self.x0.size,))

    def mp(self, t: Any, dps: int = 30) -> list[Any]:
        """:math:`u(t)` in mpmath at ``dps`` digits.

        Parameters
        ----------
        t : float
            A time.
        dps : int
            Decimal digits.

        Returns
        -------
        list of mpmath.mpf
            The coordinates of :math:`u(t)`.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import ArcLengthQuadraticFlow
        >>> flow = ArcLengthQuadraticFlow(np.diag([1.0, 4.0]), np.array([1.0, 1.0]))
        >>> [round(float(v), 12) for v in flow.mp(0.3)] == [round(float(v), 12) for v in flow(np.array([0.3]))[0]]
        True
        """
        tf = check_real_scalar(t, "t")
        if not 0 <= tf < self.sigma_inf:
            raise ValueError(f"argument 't' must lie in [0, {self.sigma_inf}) (the flow reaches the minimizer at sigma(inf))")
        dps = check_int(dps, "dps", 1)
        with mpmath.workdps(dps + 10):
            w = [mpmath.mpf(float(v)) for v in self.w]
            y0 = [mpmath.mpf(float(v)) for v in self.y0]

            def speed(s: Any) -> Any:
                return mpmath.sqrt(mpmath.fsum((w[i] * y0[i] * mpmath.exp(-w[i] * s)) ** 2 for i in range(len(w))))

            def sigma(s: Any) -> Any:
                return mpmath.quad(speed, [0, s])

            tt = mpmath.mpf(tf)
            s = mpmath.findroot(lambda s: sigma(s) - tt, tt / speed(0))
            y = [y0[i] * mpmath.exp(-w[i] * s) for i in range(len(w))]
            V = [[mpmath.mpf(float(v)) for v in row] for row in self.V]
            return [+mpmath.fsum(V[r][c] * y[c] for c in range(len(w))) for r in range(len(w))]

    def verify_symbolic(self) -> sp.Expr:
        """The EDE residual in the classical time variable, simplified (0 for a flow).

        Returns
        -------
        sympy.Expr
            The residual; 0 for a flow.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import ArcLengthQuadraticFlow
        >>> flow = ArcLengthQuadraticFlow(np.diag([1.0, 4.0]), np.array([1.0, 1.0]))
        >>> flow.verify_symbolic()
        0
        """
        s = sp.Symbol("s", nonnegative=True)
        lam = [sp.nsimplify(float(v)) for v in self.w]
        y0 = [sp.nsimplify(float(v)) for v in self.y0]
        y = [y0[i] * sp.exp(-lam[i] * s) for i in range(len(lam))]
        E = sum(lam[i] * y[i] ** 2 for i in range(len(lam))) / 2
        grad_norm = sp.sqrt(sum((lam[i] * y[i]) ** 2 for i in range(len(lam))))
        sigma_prime = grad_norm
        return sp.simplify(sp.diff(E, s) + grad_norm * sigma_prime)  # type: ignore[no-any-return]
