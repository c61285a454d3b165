r"""Closed-form :math:`\infty`-flows, exact in sympy and evaluable in NumPy and mpmath.

A :class:`ClosedFormFlow` is a piecewise-polynomial curve :math:`u : [0, T] \to \mathbb R^d` with rational
break points, together with the energy and the slope as sympy expressions. On every piece the signs of all
absolute values are constant, so every quantity along the curve is a polynomial in :math:`t` there, and the
energy-dissipation equality (claim C2)

.. math:: E(u(s)) - E(u(t)) = \int_s^t |\partial E|(u(r))\,dr

and the differential inclusion :math:`\langle \nabla E(u), \dot u\rangle = -\|\nabla E(u)\|_*`,
:math:`\|\dot u\| \le 1` (claim C4) can be verified *symbolically* (:meth:`ClosedFormFlow.verify_symbolic`),
and enclosed in interval arithmetic (:mod:`maxslope.checks.certified`). Curves that are **not** flows can be
built the same way (:meth:`ClosedFormFlow.from_pieces`) and must fail those checks (negative controls).

The constructors below derive the reference curves of the claims (linear, separable quadratic, ℓ1 norm,
ascent, sliding, ℓ2 quadratic, and the budget-box flow of claim C23); derivations are in their docstrings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from .._backend import check_int as _check_int
from .._backend import check_real_scalar as _check_real
from .._results import _Verdict
from ..energies import Energy, L1Norm, Linear, Negated, Quadratic, SeparableQuadratic
from ..spaces.box import Box
from ..spaces.lp import Lp

__all__ = [
    "ClosedFormFlow",
    "Piece",
    "SymbolicReport",
    "linear_flow",
    "separable_quadratic_flow",
    "l1norm_flow",
    "ascent_flow",
    "sliding_flow",
    "l2_centered_quadratic_flow",
    "box_linear_flow",
    "T_SYM",
]

T_SYM = sp.Symbol("t", real=True)


def _q(v: Any, name: str = "value") -> sp.Expr:
    """Exact rational from a Python number (via its decimal repr, so 0.73 -> 73/100)."""
    if isinstance(v, sp.Basic):
        if not (v.is_real and v.is_finite):
            raise ValueError(f"argument {name!r} must hold finite real numbers, got {v}")
        return v
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"argument {name!r} must hold real numbers, got {type(v).__name__}")
    if isinstance(v, (int, np.integer)):
        return sp.Integer(int(v))
    if not math.isfinite(float(v)):
        raise ValueError(f"argument {name!r} must hold finite numbers, got {float(v)}")
    return sp.Rational(repr(float(v)))


def _lengths(**vecs: list[sp.Expr] | None) -> int:
    """The common length of the given vectors; ValueError naming them when they differ."""
    lens = {k: len(v) for k, v in vecs.items() if v is not None}
    if len(set(lens.values())) > 1:
        raise ValueError("arguments " + ", ".join(f"{k!r} (length {n})" for k, n in lens.items()) + " must have the same length")
    return next(iter(lens.values()))


def _qT(T: Any) -> sp.Expr:
    """The horizon as an exact positive rational."""
    Tq = _q(T, "T")
    if not Tq > 0:
        raise ValueError(f"argument 'T' must be > 0, got {T!r}")
    return Tq


def _qvec(v: Any, name: str) -> list[sp.Expr]:
    """A non-empty 1-D sequence of finite real numbers as exact rationals; ValueError/TypeError naming ``name``."""
    if isinstance(v, (str, bytes)) or not hasattr(v, "__len__"):
        raise TypeError(f"argument {name!r} must be a sequence of real numbers, got {type(v).__name__}")
    if isinstance(v, np.ndarray) and v.ndim != 1:
        raise ValueError(f"argument {name!r} must be 1-D, got shape {v.shape}")
    if len(v) == 0:
        raise ValueError(f"argument {name!r} must not be empty")
    return [_q(x, name) for x in v]


@dataclass
class Piece:
    """One polynomial piece :math:`u(t)`, :math:`t \\in [t_0, t_1]`, of a closed-form curve.

    Parameters
    ----------
    t0, t1 : sympy.Expr
        The piece's time interval (``t1`` may be ``sympy.oo``).
    u : sympy.Matrix
        :math:`u(t)`, a column of polynomials in ``T_SYM``.

    Examples
    --------
    >>> import sympy as sp
    >>> from maxslope.exact.closed_form import Piece, T_SYM
    >>> Piece(sp.Integer(0), sp.Integer(1), sp.Matrix([1 - T_SYM, 0])).u.subs(T_SYM, sp.Rational(1, 2)).T.tolist()
    [[1/2, 0]]
    """

    t0: sp.Expr
    t1: sp.Expr
    u: sp.Matrix


@dataclass
class SymbolicReport(_Verdict):
    r"""Per-piece symbolic residuals (all zero for a flow); ``passed`` when every one simplifies to zero.

    Parameters
    ----------
    ede_residuals : list of sympy.Expr
        Per piece, :math:`E(u(t_0)) - E(u(t)) - \int_{t_0}^t |\partial E|(u)`.
    inclusion_residuals : list of sympy.Expr
        Per piece, :math:`\langle\nabla E(u), \dot u\rangle + \|\nabla E(u)\|_*` (empty for a constrained flow).
    speeds : list of sympy.Expr
        Per piece, :math:`\|\dot u\|`.
    continuity_gaps : list of sympy.Expr
        Between consecutive pieces, :math:`|u(t_1^-) - u(t_1^+)|`.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.exact import separable_quadratic_flow
    >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
    >>> rep = flow.verify_symbolic()
    >>> rep.passed, rep.details["ede_residuals"]
    (True, ['0', '0', '0'])
    """

    ede_residuals: list[sp.Expr]
    inclusion_residuals: list[sp.Expr]
    speeds: list[sp.Expr]
    continuity_gaps: list[sp.Expr]

    @property
    def holds(self) -> bool:
        r"""True when every EDE and inclusion residual and continuity gap simplifies to 0 and every speed to at most 1.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> flow.verify_symbolic().holds
        True
        """
        return (
            all(sp.simplify(r) == 0 for r in self.ede_residuals)
            and all(sp.simplify(r) == 0 for r in self.inclusion_residuals)
            and all(bool(sp.simplify(s - 1) <= 0) for s in self.speeds)
            and all(sp.simplify(g) == 0 for g in self.continuity_gaps)
        )

    @property
    def passed(self) -> bool:  # type: ignore[override]
        """The same as :attr:`holds`.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> flow.verify_symbolic().passed
        True
        """
        return self.holds

    @property
    def details(self) -> dict[str, Any]:
        """The residual lists as strings, per piece.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> sorted(flow.verify_symbolic().details)
        ['continuity_gaps', 'ede_residuals', 'inclusion_residuals', 'speeds']
        """
        return {k: [str(e) for e in getattr(self, k)] for k in ("ede_residuals", "inclusion_residuals", "speeds", "continuity_gaps")}

    def __str__(self) -> str:
        n = len(self.ede_residuals)
        return (f"symbolic energy-dissipation proof: {'PASS' if self.passed else 'FAIL'} ({n} pieces: EDE residuals "
                f"{[str(e) for e in self.ede_residuals]}, speeds {[str(e) for e in self.speeds]})")


def _resolve_abs(expr: sp.Expr, t_mid: sp.Expr) -> sp.Expr:
    """Replace |a(t)| and sign(a(t)) by their constant sign on a piece (evaluated at the midpoint)."""

    def fix_abs(a: sp.Expr) -> sp.Expr:
        s = sp.sign(a.subs(T_SYM, t_mid))
        return s * a

    def fix_sign(a: sp.Expr) -> sp.Expr:
        return sp.sign(a.subs(T_SYM, t_mid))

    expr = expr.replace(
        lambda e: e.is_Pow and e.exp == sp.S.Half, lambda e: sp.sqrt(sp.factor(e.base))
    )  # sqrt(c (t - a)^2) -> sqrt(c) |t - a|
    expr = expr.replace(sp.Abs, fix_abs)
    expr = expr.replace(sp.sign, fix_sign)
    expr = expr.replace(sp.Max, lambda *a: max(a, key=lambda e: float(e.subs(T_SYM, t_mid))))
    expr = expr.replace(sp.Min, lambda *a: min(a, key=lambda e: float(e.subs(T_SYM, t_mid))))
    return sp.expand(expr)


class ClosedFormFlow:
    r"""A piecewise-polynomial curve with its energy and slope, exact in sympy.

    Parameters
    ----------
    name : str
    space : Lp
        The geometry of the flow.
    energy : Energy
        The numeric energy (used by schemes and numeric checks).
    energy_expr : callable(sympy.Matrix) -> sympy.Expr
        :math:`E` as a sympy expression of the point.
    slope_expr : callable(sympy.Matrix, int) -> sympy.Expr
        The (possibly constrained) slope :math:`|\partial E|` at a point of piece ``k``.
    pieces : list of Piece
    grad_expr : callable(sympy.Matrix) -> sympy.Matrix, optional
        :math:`\nabla E` (for the inclusion check); derived from ``energy_expr`` if omitted.
    reference : str
        Where the curve comes from (which energy and geometry, and the claim it serves).
    constrained : bool
        Whether the curve lives on a budget box (then the inclusion residual is not formed: the constrained slope
        is not a dual norm of the gradient).

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.exact import separable_quadratic_flow
    >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
    >>> flow(np.array([0.1, 0.25])).round(12).tolist(), flow.verify_symbolic().passed
    ([[0.2, -0.1], [0.05, 0.0]], True)
    """

    def __init__(
        self,
        name: str,
        space: Lp,
        energy: Energy,
        energy_expr: Callable[[sp.Matrix], sp.Expr],
        slope_expr: Callable[[sp.Matrix, int], sp.Expr],
        pieces: Sequence[Piece],
        grad_expr: Callable[[sp.Matrix], sp.Matrix] | None = None,
        reference: str = "",
        constrained: bool = False,
    ) -> None:
        if isinstance(pieces, (str, bytes)) or not isinstance(pieces, Sequence) or isinstance(pieces, np.ndarray):
            raise TypeError(f"argument 'pieces' must be a sequence of Piece, got {type(pieces).__name__}")
        if not pieces:
            raise ValueError("argument 'pieces' must not be empty")
        bad = [i for i, pc in enumerate(pieces) if not isinstance(pc, Piece)]
        if bad:
            raise TypeError(f"argument 'pieces[{bad[0]}]' must be a Piece, got {type(pieces[bad[0]]).__name__}")
        if not isinstance(name, str):
            raise TypeError(f"argument 'name' must be a string, got {type(name).__name__}")
        for a, b in zip(pieces[:-1], pieces[1:], strict=False):
            if a.t1 != b.t0:
                raise ValueError("pieces must be contiguous (t1 of one = t0 of the next)")
        self.name, self.space, self.energy = name, space, energy
        self.energy_expr, self.slope_expr = energy_expr, slope_expr
        self.pieces = list(pieces)
        self.grad_expr = grad_expr
        self.reference = reference
        self.constrained = constrained
        self.dim = int(self.pieces[0].u.shape[0])
        self.T = self.pieces[-1].t1
        self._np: list[Callable[[np.ndarray], np.ndarray]] | None = None

    # ------------------------------------------------------------------ construction of arbitrary curves
    @classmethod
    def from_pieces(cls, name: str, like: ClosedFormFlow, pieces: Sequence[Piece], reference: str = "negative control") -> ClosedFormFlow:
        """A curve with the energy, slope and geometry of ``like`` but other pieces (e.g. a negative control).

        Parameters
        ----------
        name : str
            The new curve's name.
        like : ClosedFormFlow
            The flow whose space, energy, slope, gradient and constraint flag are kept.
        pieces : sequence of Piece
            The new curve's contiguous pieces.
        reference : str
            Where the curve comes from (default ``"negative control"``).

        Returns
        -------
        ClosedFormFlow
            The curve; its symbolic checks are those of ``like``'s energy and geometry.

        Examples
        --------
        The sliding flow's first piece run at half speed is no curve of maximal slope:

        >>> import sympy as sp
        >>> from maxslope.exact import sliding_flow
        >>> from maxslope.exact.closed_form import Piece, T_SYM
        >>> s = sliding_flow()
        >>> p0 = s.pieces[0]
        >>> slow = Piece(p0.t0, p0.t1, p0.u.subs(T_SYM, T_SYM / 2))
        >>> c = type(s).from_pieces("half speed", s, [slow])
        >>> c.name, c.reference, c.verify_symbolic().passed
        ('half speed', 'negative control', False)
        """
        if not isinstance(reference, str):
            raise TypeError(f"argument 'reference' must be a string, got {type(reference).__name__}")
        if not isinstance(like, ClosedFormFlow):
            raise TypeError(f"argument 'like' must be a ClosedFormFlow, got {type(like).__name__}")
        return cls(name, like.space, like.energy, like.energy_expr, like.slope_expr, pieces, like.grad_expr, reference, like.constrained)

    # ------------------------------------------------------------------ numeric evaluation
    @property
    def x0(self) -> np.ndarray:
        r"""The start point :math:`u(t_0)` as float64.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> flow.x0.tolist()
        [0.3, -0.2]
        """
        return np.array([float(v) for v in self.pieces[0].u.subs(T_SYM, self.pieces[0].t0)], dtype=np.float64)

    @property
    def horizon(self) -> float:
        r"""The end time :math:`T` of the last piece.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> flow.horizon
        0.55
        """
        return float(self.T)

    def __call__(self, t: Any) -> np.ndarray:
        """:math:`u(t)` in float64 (NumPy), vectorized over ``t``; shape ``t.shape + (d,)``."""
        arr = np.asarray(t)
        if arr.dtype.kind not in "fiu":
            raise TypeError(f"argument 't' must be real times, got dtype {arr.dtype}")
        tt = arr.astype(np.float64)
        if not np.all(np.isfinite(tt)):
            raise ValueError("argument 't' contains non-finite values")
        if np.any(tt < float(self.pieces[0].t0) - 1e-15) or np.any(tt > float(self.T) * (1 + 1e-15) + 1e-15):
            raise ValueError(f"argument 't' must lie in [{float(self.pieces[0].t0)}, {float(self.T)}]")
        if self._np is None:
            self._np = [sp.lambdify(T_SYM, list(pc.u), "numpy") for pc in self.pieces]
        out = np.empty(tt.shape + (self.dim,))
        edges = np.array([float(pc.t1) for pc in self.pieces])
        idx = np.minimum(np.searchsorted(edges, tt, side="left"), len(self.pieces) - 1)
        for k, f in enumerate(self._np):
            m = idx == k
            if np.any(m):
                vals = f(tt[m])
                out[m] = np.stack([np.broadcast_to(np.asarray(v, dtype=np.float64), tt[m].shape) for v in vals], axis=-1)
        return out

    def mp(self, t: Any, dps: int = 50) -> list[mpmath.mpf]:
        """:math:`u(t)` with mpmath at ``dps`` decimal digits (exact rational substitution, then evaluation).

        Parameters
        ----------
        t : float or sympy.Expr
            A time in the flow's interval (a float is read as the rational it prints as).
        dps : int
            Decimal digits.

        Returns
        -------
        list of mpmath.mpf
            The coordinates of :math:`u(t)`.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> [str(v) for v in flow.mp(0.1, dps=20)]
        ['0.2', '-0.1']
        """
        tq = self._exact_time(t)
        dps = _check_int(dps, "dps", 1)
        for pc in self.pieces:
            if bool(tq <= pc.t1) or pc is self.pieces[-1]:
                with mpmath.workdps(dps):
                    return [mpmath.mpf(str(sp.N(v.subs(T_SYM, tq), dps + 5))) for v in pc.u]
        raise AssertionError  # pragma: no cover

    def _exact_time(self, t: Any, name: str = "t") -> sp.Expr:
        """``t`` as an exact sympy number in ``[t_0, T]``: a real sympy number, or a finite float made rational."""
        if isinstance(t, sp.Basic):
            if not (t.is_number and t.is_real and t.is_finite):
                raise ValueError(f"argument {name!r} must be a finite real number, got {t!r}")
            tq = t
        else:
            tq = sp.nsimplify(_check_real(t, name))
        if bool(tq < self.pieces[0].t0) or bool(tq > self.T):
            raise ValueError(f"argument {name!r} must lie in [{self.pieces[0].t0}, {self.T}], got {t!r}")
        return tq

    def energy_along(self, t: Any) -> np.ndarray:
        """:math:`E(u(t))` with the numeric energy.

        Parameters
        ----------
        t : array_like
            Times in the flow's interval.

        Returns
        -------
        numpy.ndarray
            :math:`E(u(t))`, shape of ``t``.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> flow.energy_along(np.array([0.0, 0.3])).round(12).tolist()  # ½(0.09 + 2·0.04), then 0
        [0.085, 0.0]
        """
        return np.asarray(self.energy.value(self(t)))

    # ------------------------------------------------------------------ symbolic verification
    def piece_polynomials(self, k: int) -> tuple[sp.Expr, sp.Expr, sp.Matrix]:
        r"""On piece ``k``: (E(u(t)), slope(u(t)), u(t)) with absolute values resolved, as polynomials in t.

        Parameters
        ----------
        k : int
            The piece index.

        Returns
        -------
        (sympy.Expr, sympy.Expr, sympy.Matrix)
            :math:`E(u(t))`, :math:`|\partial E|(u(t))` and :math:`u(t)` on piece ``k``.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> e, s, u = flow.piece_polynomials(0)
        >>> s  # both coordinates move: slope λ₁|u₁| + λ₂|u₂|
        7/10 - 3*t
        """
        k = _check_int(k, "k", 0)
        if k >= len(self.pieces):
            raise ValueError(f"argument 'k' must be a piece index in [0, {len(self.pieces) - 1}], got {k}")
        pc = self.pieces[k]
        t1 = pc.t1 if pc.t1 != sp.oo else pc.t0 + 1
        mid = (pc.t0 + t1) / 2
        e = _resolve_abs(self.energy_expr(pc.u), mid)
        s = _resolve_abs(self.slope_expr(pc.u, k), mid)
        return e, s, pc.u

    def verify_symbolic(self) -> SymbolicReport:
        r"""Exact per-piece residuals of EDE, of the inclusion and the speeds (claims C2, C4, C1).

        Returns
        -------
        SymbolicReport
            The residuals per piece; ``passed`` when all vanish and every speed is at most 1.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> flow.verify_symbolic().passed
        True
        """
        ede, incl, speeds, gaps = [], [], [], []
        r = sp.Symbol("r", real=True)
        for k, pc in enumerate(self.pieces):
            e, s, u = self.piece_polynomials(k)
            integral = sp.integrate(s.subs(T_SYM, r), (r, pc.t0, T_SYM))
            ede.append(sp.expand(e.subs(T_SYM, pc.t0) - e - integral))
            udot = u.diff(T_SYM)
            speeds.append(sp.simplify(_sym_norm(udot, self.space.p)))
            if not self.constrained:
                g = self.grad_expr(u) if self.grad_expr is not None else sp.Matrix([sp.diff(self.energy_expr(_X(self.dim)), xi) for xi in _X(self.dim)]).subs(dict(zip(_X(self.dim), u, strict=False)))
                t1 = pc.t1 if pc.t1 != sp.oo else pc.t0 + 1
                mid = (pc.t0 + t1) / 2
                dual = _resolve_abs(_sym_norm(g, self.space.dual_exponent), mid)
                incl.append(sp.expand(_resolve_abs((g.T * udot)[0, 0], mid) + dual))
            if k > 0:
                prev = self.pieces[k - 1]
                gaps.append(sp.simplify((prev.u.subs(T_SYM, prev.t1) - pc.u.subs(T_SYM, pc.t0)).norm()))
        return SymbolicReport(ede, incl, speeds, gaps)

    def exact_energy_drop(self, t: Any) -> sp.Expr:
        """:math:`E(u(0)) - E(u(t))` as an exact sympy number.

        Parameters
        ----------
        t : float or sympy.Expr
            A time (a float is read as the rational it prints as).

        Returns
        -------
        sympy.Expr
            The exact drop, a rational for rational data.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.exact import separable_quadratic_flow
        >>> flow = separable_quadratic_flow([1.0, 2.0], [0.3, -0.2])
        >>> flow.exact_energy_drop(0.1)  # E(u(0)) − E(u(0.1)) = 0.085 − 0.03
        11/200
        """
        tq = self._exact_time(t)
        e0 = self.energy_expr(self.pieces[0].u.subs(T_SYM, self.pieces[0].t0))
        for pc in self.pieces:
            if bool(tq <= pc.t1) or pc is self.pieces[-1]:
                return sp.nsimplify(e0 - self.energy_expr(pc.u.subs(T_SYM, tq)))
        raise AssertionError  # pragma: no cover

    def __repr__(self) -> str:
        return f"ClosedFormFlow({self.name!r}, {self.space!r}, d={self.dim}, pieces={len(self.pieces)}, T={self.T})"


def _X(d: int) -> list[sp.Symbol]:
    return list(sp.symbols(f"x0:{d}", real=True))


def _sym_norm(v: sp.Matrix, p: float) -> sp.Expr:
    if p == math.inf:
        return sp.Max(*[sp.Abs(c) for c in v]) if len(v) > 1 else sp.Abs(v[0])
    if p == 1.0:
        return sum((sp.Abs(c) for c in v), sp.Integer(0))
    if p == 2.0:
        return sp.sqrt(sum((c**2 for c in v), sp.Integer(0)))
    pr = sp.nsimplify(p)
    return sum((sp.Abs(c) ** pr for c in v), sp.Integer(0)) ** (1 / pr)


# ---------------------------------------------------------------------------------------------------------------
def linear_flow(a: Sequence[float], x0: Sequence[float], T: float = 1.0, p: float = math.inf) -> ClosedFormFlow:
    r""":math:`E(x) = \langle a, x\rangle`.

    * ℓ∞: :math:`u_i(t) = x_{0,i} - t\,\mathrm{sign}(a_i)` (coordinates with :math:`a_i = 0` are free; here they
      rest), :math:`E(u(t)) = E(x_0) - t\|a\|_1`.
    * ℓ2: :math:`u = x_0 - t a/|a|_2`, rate :math:`|a|_2`.
    * ℓ1: :math:`u = x_0 - t\,\mathrm{sign}(a_j)e_j` for the unique :math:`j` with :math:`|a_j| = \|a\|_\infty`
      (raises if the argmax is not unique: then the flow is not unique, claim C13).

    Parameters
    ----------
    a : sequence of float
        :math:`a`.
    x0 : sequence of float
        The start point.
    T : float
        The horizon.
    p : float
        The geometry, 1, 2 or ∞.

    Returns
    -------
    ClosedFormFlow
        The flow, exact in sympy.

    Examples
    --------
    >>> from maxslope.exact import linear_flow
    >>> linear_flow([1.0, -2.0], [0.0, 0.0], T=0.5)(0.5).tolist()
    [-0.5, 0.5]
    """
    aq, xq = _qvec(a, 'a'), _qvec(x0, 'x0')
    d = len(aq)
    if len(xq) != d:
        raise ValueError("arguments 'a' and 'x0' must have the same length")
    space = Lp(p)
    t = T_SYM
    if space.p == math.inf:
        u = sp.Matrix([xq[i] - t * sp.sign(aq[i]) for i in range(d)])
    elif space.p == 2.0:
        n = sp.sqrt(sum(v**2 for v in aq))
        if n == 0:
            raise ValueError("argument 'a' must be nonzero")
        u = sp.Matrix([xq[i] - t * aq[i] / n for i in range(d)])
    elif space.p == 1.0:
        m = max(abs(v) for v in aq)
        js = [i for i in range(d) if abs(aq[i]) == m]
        if len(js) != 1 or m == 0:
            raise ValueError(f"argument 'a' must have a unique largest |a_i| > 0 (the l1 flow of a linear energy is unique only then), got {a!r}")
        u = sp.Matrix([xq[i] - (t * sp.sign(aq[i]) if i == js[0] else 0) for i in range(d)])
    else:
        raise ValueError(f"argument 'p' must be 1, 2 or inf (the exponents with a closed-form linear flow), got {p!r}")
    E = Linear(np.array([float(v) for v in aq]))
    a_m = sp.Matrix(aq)
    return ClosedFormFlow(
        f"linear, {space!r}", space, E,
        lambda x: (a_m.T * x)[0, 0],
        lambda x, k: _sym_norm(a_m, space.dual_exponent),
        [Piece(sp.Integer(0), _qT(T), u)],
        grad_expr=lambda x: a_m,
        reference="linear energy <a, x>",
    )


def separable_quadratic_flow(lam: Sequence[float], x0: Sequence[float], center: Sequence[float] | None = None, T: float | None = None) -> ClosedFormFlow:
    r""":math:`E = \tfrac12\sum_i\lambda_i(x_i - c_i)^2` in ℓ∞.

    The unique flow is :math:`u_i(t) = c_i + \mathrm{sign}(x_{0,i} - c_i)(|x_{0,i} - c_i| - t)^+`, independent of
    :math:`\lambda`: while :math:`u_i \ne c_i`, the inclusion forces :math:`\dot u_i = -\mathrm{sign}(u_i - c_i)`
    (unit speed toward :math:`c_i`), and a coordinate at :math:`c_i` cannot leave (any exit direction points
    uphill). Break points at :math:`|x_{0,i} - c_i|`. Default horizon :math:`T = \|x_0 - c\|_\infty + 1/4`.

    Parameters
    ----------
    lam : sequence of float
        :math:`\lambda_i > 0`.
    x0 : sequence of float
        The start point.
    center : sequence of float, optional
        :math:`c` (default 0).
    T : float, optional
        The horizon (default :math:`\|x_0 - c\|_\infty + 1/4`).

    Returns
    -------
    ClosedFormFlow
        The flow, exact in sympy.

    Examples
    --------
    >>> from maxslope.exact import separable_quadratic_flow
    >>> separable_quadratic_flow([1.0, 5.0], [0.3, -0.2])(0.25).round(12).tolist()  # λ does not matter
    [0.05, 0.0]
    """
    lq, xq = _qvec(lam, 'lam'), _qvec(x0, 'x0')
    cq0 = None if center is None else _qvec(center, 'center')
    d = _lengths(lam=lq, x0=xq, center=cq0)
    cq = [sp.Integer(0)] * d if cq0 is None else cq0
    if any(v <= 0 for v in lq):
        raise ValueError("argument 'lam' must be positive")
    dist = [abs(xq[i] - cq[i]) for i in range(d)]
    Tq = _qT(T) if T is not None else max(dist) + sp.Rational(1, 4)
    pieces = _pieces_shrink(xq, cq, Tq)
    E = SeparableQuadratic(np.array([float(v) for v in lq]), np.array([float(v) for v in cq]))
    lm, cm = sp.Matrix(lq), sp.Matrix(cq)
    return ClosedFormFlow(
        "separable quadratic, Lp(inf)", Lp(math.inf), E,
        lambda x: sum((lm[i] * (x[i] - cm[i]) ** 2 for i in range(d)), sp.Integer(0)) / 2,
        lambda x, k: sum((lm[i] * sp.Abs(x[i] - cm[i]) for i in range(d)), sp.Integer(0)),
        pieces,
        grad_expr=lambda x: sp.Matrix([lm[i] * (x[i] - cm[i]) for i in range(d)]),
        reference="separable quadratic",
    )


def _pieces_shrink(xq: list[sp.Expr], cq: list[sp.Expr], Tq: sp.Expr) -> list[Piece]:
    d = len(xq)
    dist = [abs(xq[i] - cq[i]) for i in range(d)]
    bps = sorted({v for v in dist if 0 < v < Tq})
    edges = [sp.Integer(0)] + bps + [Tq]
    pieces = []
    for a, b in zip(edges[:-1], edges[1:], strict=False):
        u = sp.Matrix([cq[i] + sp.sign(xq[i] - cq[i]) * (dist[i] - T_SYM) if dist[i] >= b else cq[i] for i in range(d)])
        pieces.append(Piece(a, b, u))
    return pieces


def l1norm_flow(x0: Sequence[float], T: float | None = None) -> ClosedFormFlow:
    r""":math:`E(x) = |x|_1` in ℓ∞ (convex, not :math:`C^1`): the same curve as :func:`separable_quadratic_flow` with
    :math:`c = 0`; the slope is :math:`\|u\|_0` (number of nonzero coordinates), the dual norm of the minimal-norm
    subgradient.

    Parameters
    ----------
    x0 : sequence of float
        The start point.
    T : float, optional
        The horizon (default :math:`\|x_0\|_\infty + 1/4`).

    Returns
    -------
    ClosedFormFlow
        The flow, exact in sympy.

    Examples
    --------
    >>> from maxslope.exact import l1norm_flow
    >>> l1norm_flow([0.3, -0.2]).verify_symbolic().passed
    True
    """
    xq = _qvec(x0, 'x0')
    d = len(xq)
    Tq = _qT(T) if T is not None else max(abs(v) for v in xq) + sp.Rational(1, 4)
    pieces = _pieces_shrink(xq, [sp.Integer(0)] * d, Tq)
    return ClosedFormFlow(
        "|x|_1, Lp(inf)", Lp(math.inf), L1Norm(d),
        lambda x: sum((sp.Abs(v) for v in x), sp.Integer(0)),
        lambda x, k: sum((sp.Abs(sp.sign(v)) for v in x), sp.Integer(0)),
        pieces,
        grad_expr=lambda x: sp.Matrix([sp.sign(v) for v in x]),
        reference="weighted l1 norm",
    )


def ascent_flow(x0: Sequence[float], T: float = 1.0, eps: float | None = None) -> ClosedFormFlow:
    r""":math:`E(x) = -\tfrac12|x|_2^2` in ℓ∞ from :math:`x_0` with all :math:`x_{0,i} \ne 0`:
    :math:`u_i = x_{0,i} + t\,\mathrm{sign}(x_{0,i})`. With ``eps`` the flow on the budget box
    :math:`\bar B_\varepsilon(x_0)`: coordinates stop at the face at :math:`t = \varepsilon` and the constrained
    slope (claim C23) drops to 0, so flow(ε) = FGSM = MMS₁.

    Parameters
    ----------
    x0 : sequence of float
        The start point, no zero coordinate.
    T : float
        The horizon.
    eps : float, optional
        The budget of the box the flow stops on (claim C23).

    Returns
    -------
    ClosedFormFlow
        The flow, exact in sympy.

    Examples
    --------
    >>> from maxslope.exact import ascent_flow
    >>> ascent_flow([0.5, -0.5], T=1.0, eps=0.2)(1.0).round(12).tolist()  # stopped on the box: FGSM
    [0.7, -0.7]
    """
    xq = _qvec(x0, 'x0')
    if any(v == 0 for v in xq):
        raise ValueError("ascent_flow needs x0_i != 0 for all i (from 0 the flow is not unique, claim C13)")
    d = len(xq)
    Tq = _qT(T)
    E = Negated(SeparableQuadratic(np.ones(d)))
    if eps is None:
        pieces = [Piece(sp.Integer(0), Tq, sp.Matrix([xq[i] + T_SYM * sp.sign(xq[i]) for i in range(d)]))]
        slope = lambda x, k: sum((sp.Abs(v) for v in x), sp.Integer(0))  # noqa: E731
        constrained = False
    else:
        eq = _q(eps)
        edges = [sp.Integer(0), min(eq, Tq)] + ([Tq] if Tq > eq else [])
        pieces = [Piece(edges[0], edges[1], sp.Matrix([xq[i] + T_SYM * sp.sign(xq[i]) for i in range(d)]))]
        if Tq > eq:
            pieces.append(Piece(eq, Tq, sp.Matrix([xq[i] + eq * sp.sign(xq[i]) for i in range(d)])))
        slope = lambda x, k: sum((sp.Abs(v) for v in x), sp.Integer(0)) if k == 0 else sp.Integer(0)  # noqa: E731
        constrained = True
    return ClosedFormFlow(
        "ascent toy -|x|^2/2, Lp(inf)" + ("" if eps is None else f", budget box eps={eps}"), Lp(math.inf), E,
        lambda x: -sum((v**2 for v in x), sp.Integer(0)) / 2,
        slope,
        pieces,
        grad_expr=lambda x: -x,
        reference="ascent of -|x|^2/2",
        constrained=constrained,
    )


def sliding_flow(x0: Sequence[float] = (0.6, 0.0), T: float = 1.0) -> ClosedFormFlow:
    r"""the coupled sliding example :math:`E(x_1, x_2) = \tfrac12(x_1 - x_2/2)^2 - x_2` in ℓ∞.

    With :math:`s = x_1 - x_2/2`, :math:`\nabla E = (s, -s/2 - 1)`. For :math:`s > 0` the flow moves with
    :math:`\dot u = (-1, 1)` (:math:`\dot s = -3/2`); for :math:`-2 < s < 0` with :math:`(1, 1)`
    (:math:`\dot s = 1/2`); for :math:`s < -2` with :math:`(1, -1)` (:math:`\dot s = 3/2`). On :math:`s = 0`,
    :math:`\partial_1 E = 0` and the only admissible continuation is the sliding velocity
    :math:`\dot u = (1/2, 1)` (it keeps :math:`s = 0`, has :math:`\|\dot u\|_\infty = 1` and
    :math:`\langle\nabla E, \dot u\rangle = -1 = -\|\nabla E\|_1`). The "lazy" selection :math:`\dot u_1 = 0` is not
    a solution (see :func:`sliding_lazy_curve`).

    Parameters
    ----------
    x0 : sequence of float
        The start point (default (0.6, 0)).
    T : float
        The horizon.

    Returns
    -------
    ClosedFormFlow
        The flow, exact in sympy.

    Examples
    --------
    >>> from maxslope.exact import sliding_flow
    >>> s = sliding_flow()
    >>> len(s.pieces), s.verify_symbolic().passed
    (2, True)
    """
    xq = _qvec(x0, 'x0')
    if len(xq) != 2:
        raise ValueError("argument 'x0' must have length 2")
    Tq = _qT(T)
    t = T_SYM
    s0 = xq[0] - xq[1] / 2
    pieces: list[Piece] = []
    t_cur = sp.Integer(0)
    pos = sp.Matrix(xq)

    def add(vel: tuple[sp.Expr, sp.Expr], dur: sp.Expr) -> None:
        nonlocal t_cur, pos
        end = min(t_cur + dur, Tq)
        if end <= t_cur:
            return
        v = sp.Matrix(vel)
        pieces.append(Piece(t_cur, end, pos + (t - t_cur) * v))
        pos = pos + (end - t_cur) * v
        t_cur = end

    if s0 > 0:
        add((-1, 1), s0 / sp.Rational(3, 2))
    elif s0 < 0:
        if s0 < -2:
            add((1, -1), (-2 - s0) / sp.Rational(3, 2))
            s0 = sp.Integer(-2)
        add((1, 1), -s0 / sp.Rational(1, 2))
    if t_cur < Tq:
        add((sp.Rational(1, 2), 1), Tq - t_cur)
    E = Quadratic(np.array([[1.0, -0.5], [-0.5, 0.25]]), np.array([0.0, -1.0]))
    return ClosedFormFlow(
        "sliding example, Lp(inf)", Lp(math.inf), E,
        lambda x: (x[0] - x[1] / 2) ** 2 / 2 - x[1],
        lambda x, k: sp.Abs(x[0] - x[1] / 2) + sp.Abs(-(x[0] - x[1] / 2) / 2 - 1),
        pieces,
        grad_expr=lambda x: sp.Matrix([x[0] - x[1] / 2, -(x[0] - x[1] / 2) / 2 - 1]),
        reference="sliding flow (the slope-maximizing selection, claim C4)",
    )


def sliding_lazy_curve(x0: Sequence[float] = (0.6, 0.0), T: float = 1.0) -> ClosedFormFlow:
    r"""Negative control for the sliding flow (claim C4): the pointwise "zero where :math:`\partial_iE = 0`" selection.

    Until :math:`s = 0` it follows the flow; on :math:`s = 0` it moves with :math:`\dot u = (0, 1)`, which
    immediately leaves :math:`s = 0` — we take the curve as it stands (velocity (0, 1) from the hitting time),
    which violates the inclusion and the energy-dissipation equality.

    Parameters
    ----------
    x0 : sequence of float
        The start point (default (0.6, 0)).
    T : float
        The horizon.

    Returns
    -------
    ClosedFormFlow
        The flow, exact in sympy.

    Examples
    --------
    >>> from maxslope.exact import sliding_lazy_curve
    >>> sliding_lazy_curve().verify_symbolic().passed  # the negative control of claim C4
    False
    """
    ref = sliding_flow(x0, T)
    first = ref.pieces[0]
    t1 = first.t1
    p1 = first.u.subs(T_SYM, t1)
    pieces = [first] + ([Piece(t1, ref.T, p1 + (T_SYM - t1) * sp.Matrix([0, 1]))] if t1 < ref.T else [])
    return ClosedFormFlow.from_pieces("sliding, lazy selection (not a flow)", ref, pieces)


def l2_centered_quadratic_flow(x0: Sequence[float], center: Sequence[float] | None = None, T: float | None = None) -> ClosedFormFlow:
    r""":math:`E = \tfrac12|x - c|_2^2` in ℓ2: :math:`u(t) = c + (x_0 - c)(1 - t/\rho)^+`,
    :math:`\rho = |x_0 - c|_2` (a straight segment at unit speed, then rest).

    Parameters
    ----------
    x0 : sequence of float
        The start point.
    center : sequence of float, optional
        :math:`c` (default 0).
    T : float, optional
        The horizon (default :math:`\rho + 1/4`).

    Returns
    -------
    ClosedFormFlow
        The flow, exact in sympy.

    Examples
    --------
    >>> from maxslope.exact import l2_centered_quadratic_flow
    >>> l2_centered_quadratic_flow([3.0, 4.0], T=6.0)(2.5).round(12).tolist()  # half way along the 5-long segment
    [1.5, 2.0]
    """
    xq = _qvec(x0, 'x0')
    cq0 = None if center is None else _qvec(center, 'center')
    d = _lengths(x0=xq, center=cq0)
    cq = [sp.Integer(0)] * d if cq0 is None else cq0
    w = sp.Matrix([xq[i] - cq[i] for i in range(d)])
    rho = sp.sqrt(sum(v**2 for v in w))
    if rho == 0:
        raise ValueError("argument 'x0' must differ from the center")
    Tq = _qT(T) if T is not None else rho + sp.Rational(1, 4)
    cm = sp.Matrix(cq)
    pieces = [Piece(sp.Integer(0), min(rho, Tq), cm + w * (1 - T_SYM / rho))]
    if Tq > rho:
        pieces.append(Piece(rho, Tq, cm))
    E = SeparableQuadratic(np.ones(d), np.array([float(v) for v in cq]))
    return ClosedFormFlow(
        "centered quadratic, Lp(2)", Lp(2), E,
        lambda x: sum(((x[i] - cm[i]) ** 2 for i in range(d)), sp.Integer(0)) / 2,
        lambda x, k: sp.sqrt(sum(((x[i] - cm[i]) ** 2 for i in range(d)), sp.Integer(0))) if k == 0 else sp.Integer(0),
        pieces,
        grad_expr=lambda x: x - cm,
        reference="centred quadratic in l2",
    )


def box_linear_flow(a: Sequence[float], x0: Sequence[float], eps: float | Sequence[float], T: float) -> ClosedFormFlow:
    r"""Claim C23: :math:`E = \langle a, x\rangle` on the budget box :math:`S = \bar B_\varepsilon(x_0)` in ℓ∞.

    :math:`u_i(t) = x_{0,i} - \mathrm{sign}(a_i)\min(t, \varepsilon_i)`; coordinate :math:`i` becomes blocked at
    :math:`t = \varepsilon_i`, and the constrained slope :math:`\sum_{i \text{ unblocked}}|a_i|` drops by
    :math:`|a_i|` there.

    Parameters
    ----------
    a : sequence of float
        :math:`a`.
    x0 : sequence of float
        The box centre and start point.
    eps : float or sequence of float
        The budget :math:`\varepsilon` (or one per coordinate).
    T : float
        The horizon.

    Returns
    -------
    ClosedFormFlow
        The flow, exact in sympy.

    Examples
    --------
    >>> from maxslope.exact import box_linear_flow
    >>> box_linear_flow([1.0, -2.0], [0.0, 0.0], [0.1, 0.3], T=0.5)(0.5).round(12).tolist()
    [-0.1, 0.3]
    """
    aq, xq = _qvec(a, 'a'), _qvec(x0, 'x0')
    eq0 = None if isinstance(eps, (int, float)) else _qvec(eps, 'eps')
    d = _lengths(a=aq, x0=xq, eps=eq0)
    eq = [_q(eps, 'eps')] * d if eq0 is None else eq0
    if any(not e > 0 for e in eq):
        raise ValueError(f"argument 'eps' must be > 0, got {eps!r}")
    Tq = _qT(T)
    bps = sorted({e for e in eq if 0 < e < Tq})
    edges = [sp.Integer(0)] + bps + [Tq]
    pieces = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=False):
        u = sp.Matrix([xq[i] - sp.sign(aq[i]) * (T_SYM if eq[i] >= hi else eq[i]) for i in range(d)])
        pieces.append(Piece(lo, hi, u))
    a_m = sp.Matrix(aq)

    def slope(x: sp.Matrix, k: int) -> sp.Expr:
        hi = pieces[k].t1
        return sum((sp.Abs(aq[i]) for i in range(d) if eq[i] >= hi), sp.Integer(0))

    E = Linear(np.array([float(v) for v in aq]))
    flow = ClosedFormFlow(
        "linear on the budget box, Lp(inf)", Lp(math.inf), E,
        lambda x: (a_m.T * x)[0, 0],
        slope,
        pieces,
        grad_expr=lambda x: a_m,
        reference="claim C23",
        constrained=True,
    )
    flow.box = Box(np.array([float(v) for v in xq]), np.array([float(v) for v in eq]))  # type: ignore[attr-defined]
    return flow
