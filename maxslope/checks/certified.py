r"""Certified energy-dissipation checks for closed-form curves, by interval arithmetic (mpmath ``iv``).

For a :class:`~maxslope.exact.ClosedFormFlow` the residual

.. math:: R(t) = E(u(0)) - E(u(t)) - \int_0^t |\partial E|(u(r))\,dr

is, on each polynomial piece, a combination of polynomials with exact (rational or algebraic) coefficients: the
energy along the piece, the exact antiderivative of the slope along it, and the exact integral over the earlier
pieces. These terms are evaluated **separately** (no symbolic cancellation is trusted) in interval arithmetic on
a partition of :math:`[0, T]` into cells, with all constants entered as intervals, so that every evaluation is an
enclosure of the true value of :math:`R` on the cell. The absolute values in the energy and slope were resolved
by the sign of their argument on the piece; that sign is re-checked on every cell, exactly (a Sturm root count of
the polynomial argument over its rational or algebraic coefficient field, exact signs at the cell's ends), with
the interval enclosure only as a fallback, so that the verdict does not depend on the working precision.

Verdicts: **certified** if every cell's enclosure lies in :math:`[-\mathrm{tol}, \mathrm{tol}]`; **refuted** if some
cell's enclosure misses that interval (the identity is false there, by more than ``tol``); **undecided** otherwise
after ``max_depth`` bisections. A cell left undecided does not stop the search: every other cell is still
decided, so that a refutation anywhere is found (a curve whose :math:`|R|` crosses ``tol`` inside a cell is undecided
there, however deep the bisection, and refuted where :math:`|R|` is larger).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from .._backend import check_positive_scalar
from .._results import _Verdict
from ..exact.closed_form import T_SYM, ClosedFormFlow

__all__ = ["CertifiedResult", "certify_energy_dissipation"]


@dataclass
class CertifiedResult(_Verdict):
    """Outcome of a certified check: ``passed`` when the identity is certified on every cell.

    Parameters
    ----------
    status : {"certified", "refuted", "undecided"}
        The verdict.
    tol : float
        The tolerance on :math:`|R|`.
    enclosure_max : float
        An upper bound of :math:`|R|` over the decided cells.
    cells : int
        The number of cells decided.
    witness : (float, float), optional
        A cell where the identity is refuted or undecided.
    details : dict
        Further numbers: the ``piece`` of the witness cell and, when refuted, the ``sign`` of :math:`R` there
        (+1: the energy fell by more than the slope integral, which no 1-Lipschitz curve can do, so the curve is
        too fast or the slope is not an upper gradient; −1: it fell by less, the curve is too slow or not
        steepest).

    Examples
    --------
    >>> from maxslope.checks import certify_energy_dissipation
    >>> from maxslope.exact import linear_flow
    >>> r = certify_energy_dissipation(linear_flow([1.0, -2.0], [0.0, 0.0], T=0.5), cells=4, max_depth=2)
    >>> r.status, r.passed
    ('certified', True)
    """

    status: str  # "certified" | "refuted" | "undecided"
    tol: float
    enclosure_max: float  # an upper bound of |R| over all decided cells
    cells: int
    witness: tuple[float, float] | None = None  # a cell where the identity is refuted / undecided
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:  # type: ignore[override]
        r"""True when the identity is certified on every cell.

        Examples
        --------
        >>> from maxslope.checks import CertifiedResult
        >>> r = CertifiedResult("certified", 1e-25, 3e-30, 8)
        >>> r.passed
        True
        """
        return self.status == "certified"

    @property
    def measured(self) -> float:
        r"""The certified upper bound of :math:`|R|` (the measured value of the verdict).

        Examples
        --------
        >>> from maxslope.checks import CertifiedResult
        >>> r = CertifiedResult("certified", 1e-25, 3e-30, 8)
        >>> r.measured
        3e-30
        """
        return self.enclosure_max

    @property
    def tolerance(self) -> float:
        r"""The tolerance ``tol`` the enclosure is compared with.

        Examples
        --------
        >>> from maxslope.checks import CertifiedResult
        >>> r = CertifiedResult("certified", 1e-25, 3e-30, 8)
        >>> r.tolerance
        1e-25
        """
        return self.tol

    def __str__(self) -> str:
        w = "" if self.witness is None else f", witness cell [{self.witness[0]:.6g}, {self.witness[1]:.6g}]"
        return f"certified EDE: {self.status} (|R| <= {self.enclosure_max:.3e} on {self.cells} cells, tol {self.tol:g}{w})"


def _iv_fn(expr: sp.Expr) -> Any:
    mods = [{"mpf": mpmath.iv.mpf, "sqrt": mpmath.iv.sqrt, "pi": mpmath.iv.pi, "exp": mpmath.iv.exp}, "mpmath"]
    f = sp.lambdify(T_SYM, expr, modules=mods)
    return lambda T: mpmath.iv.mpf(f(T))  # constants come back as numbers: make them intervals


def _enclose(v: sp.Expr) -> Any:
    """A tight interval enclosure of an exact real number (rational or algebraic)."""
    if isinstance(v, sp.Rational):
        return mpmath.iv.mpf(v.p) / mpmath.iv.mpf(v.q)
    x = mpmath.mpf(str(sp.N(v, mpmath.iv.dps + 10)))
    w = mpmath.mpf(10) ** (-(mpmath.iv.dps + 5)) * (1 + abs(x))
    return mpmath.iv.mpf([x - w, x + w])


def _abs_args(expr: sp.Expr) -> list[sp.Expr]:
    out = [a.args[0] for a in expr.atoms(sp.Abs)] + [a.args[0] for a in expr.atoms(sp.sign)]
    return [a for a in out if not (a.atoms(sp.Abs) or a.atoms(sp.sign))]


def _poly(a: sp.Expr) -> sp.Poly | None:
    """``a`` as a polynomial in t over its exact coefficient field (rational or algebraic), or None."""
    try:
        return sp.Poly(a, T_SYM, extension=True)
    except (sp.PolynomialError, sp.polys.polyerrors.DomainError, NotImplementedError):
        return None


def _sign_holds(a: sp.Expr, poly: sp.Poly | None, s: Any, fa: Any, lo: sp.Expr, hi: sp.Expr) -> bool:
    """Whether the argument ``a`` of an absolute value has the sign ``s`` on the open cell (lo, hi) and the sign
    ``s`` or 0 at its two ends.

    The ends are decided exactly. On the open cell a polynomial over an exact field is decided exactly as well:
    no root inside (a Sturm count over [lo, hi] less the roots at the ends) and the sign ``s`` at the midpoint.
    An interval enclosure cannot do this next to a root at an end (a kink of the flow at the end of a piece):
    the enclosure of the constants straddles 0 there at some working precisions and not at others, so the
    verdict would depend on ``dps``. The interval enclosure over the inner cell is the fallback where the exact
    count is not available."""
    if not all(sp.sign(a.subs(T_SYM, e)) in (s, 0) for e in (lo, hi)):
        return False
    if poly is not None:
        if poly.is_zero:
            return bool(s == 0)
        try:
            inside = poly.count_roots(lo, hi) - sum(poly.eval(e) == 0 for e in {lo, hi})
        except (sp.polys.polyerrors.DomainError, sp.polys.polyerrors.PolynomialError, NotImplementedError):
            inside = None
        if inside is not None:
            return bool(inside == 0 and sp.sign(poly.eval((lo + hi) / 2)) == s)
    ilo, ihi = _enclose(lo).b, _enclose(hi).a
    if not ilo < ihi:
        return True
    v = fa(mpmath.iv.mpf([ilo, ihi]))
    return bool((v.a >= 0) if s > 0 else (v.b <= 0) if s < 0 else (v.a >= 0 and v.b <= 0))


def certify_energy_dissipation(flow: ClosedFormFlow, tol: float = 1e-25, cells: int = 32, max_depth: int = 6, dps: int = 50) -> CertifiedResult:
    """Enclose the EDE residual of ``flow`` on :math:`[0, T]` in interval arithmetic (see the module docstring).

    Parameters
    ----------
    flow : ClosedFormFlow
        The closed-form curve.
    tol : float
        The bound on :math:`|R|` to certify, > 0.
    cells : int
        The initial number of time cells.
    max_depth : int
        How often an undecided cell is bisected.
    dps : int
        The interval precision in decimal digits, >= 15.

    Returns
    -------
    CertifiedResult
        ``certified`` when every cell's enclosure of :math:`|R|` is below ``tol``, ``refuted`` when one lies above.

    Examples
    --------
    >>> from maxslope.checks import certify_energy_dissipation
    >>> from maxslope.exact import sliding_flow, sliding_lazy_curve
    >>> certify_energy_dissipation(sliding_flow(), cells=8, max_depth=3).status
    'certified'
    >>> certify_energy_dissipation(sliding_lazy_curve(), cells=8, max_depth=3).status
    'refuted'
    """
    if not isinstance(flow, ClosedFormFlow):
        raise TypeError(f"argument 'flow' must be a ClosedFormFlow, got {type(flow).__name__}")
    tol = check_positive_scalar(tol, "tol")
    for name, v, lo in (("cells", cells, 1), ("max_depth", max_depth, 0), ("dps", dps, 15)):
        if isinstance(v, bool) or not isinstance(v, int) or v < lo:
            raise ValueError(f"argument {name!r} must be an integer >= {lo}, got {v!r}")
    old_dps = mpmath.iv.dps
    mpmath.iv.dps = dps
    try:
        return _certify(flow, tol, cells, max_depth)
    finally:
        mpmath.iv.dps = old_dps


def _certify(flow: ClosedFormFlow, tol: float, cells: int, max_depth: int) -> CertifiedResult:
    r = sp.Symbol("r", real=True)
    tol_iv = mpmath.iv.mpf([-tol, tol])
    e0_expr = flow.energy_expr(flow.pieces[0].u.subs(T_SYM, flow.pieces[0].t0))
    carried = sp.Integer(0)
    worst = mpmath.mpf(0)
    n_cells = 0
    undecided: tuple[tuple[float, float], dict[str, Any]] | None = None
    for k, pc in enumerate(flow.pieces):
        ek, sk, _u = flow.piece_polynomials(k)
        Pk = sp.integrate(sk.subs(T_SYM, r), (r, pc.t0, T_SYM))
        Rk = e0_expr - ek - carried - Pk
        expanded = sp.expand(Rk)
        deg = sp.Poly(expanded, T_SYM).degree() if expanded.has(T_SYM) else 0
        taylor = [_iv_fn(sp.diff(Rk, T_SYM, j) + 0 * T_SYM) for j in range(max(deg, 0) + 1)]
        mid = (pc.t0 + pc.t1) / 2
        raw = [flow.energy_expr(pc.u), flow.slope_expr(pc.u, k)]
        sign_checks = []
        for a in {x for e in raw for x in _abs_args(sp.sympify(e))}:
            s = sp.sign(a.subs(T_SYM, mid))
            sign_checks.append((s, _iv_fn(a + 0 * T_SYM), a, _poly(a)))
        stack = [(pc.t0 + (pc.t1 - pc.t0) * sp.Rational(i, cells), pc.t0 + (pc.t1 - pc.t0) * sp.Rational(i + 1, cells), 0) for i in range(cells)]
        while stack:
            lo, hi, depth = stack.pop()
            n_cells += 1
            outer = mpmath.iv.mpf([_enclose(lo).a, _enclose(hi).b])
            signs_ok = all(_sign_holds(a_expr, poly, s_, fa, lo, hi) for s_, fa, a_expr, poly in sign_checks)
            # exact Taylor form about the midpoint: R(t) = sum_j R^(j)(m) (t - m)^j / j!  (R is a polynomial
            # on the piece), each coefficient enclosed at the point m, then (t - m) ranges over the cell
            mq = (lo + hi) / 2
            mi = _enclose(mq)
            dt = outer - mi
            R = mpmath.iv.mpf(0)
            for j, fj in enumerate(taylor):
                R = R + fj(mi) * dt**j / math.factorial(j)
            inside = R.a >= tol_iv.a and R.b <= tol_iv.b
            disjoint = R.a > tol_iv.b or R.b < tol_iv.a
            if signs_ok and inside:
                worst = max(worst, abs(mpmath.mpf(R.a)), abs(mpmath.mpf(R.b)))
                continue
            if signs_ok and disjoint:
                side = 1 if R.a > tol_iv.b else -1
                return CertifiedResult("refuted", tol, float(max(abs(mpmath.mpf(R.a)), abs(mpmath.mpf(R.b)))), n_cells,
                                       (float(lo), float(hi)), {"piece": k, "sign": side})
            if depth >= max_depth:
                # undecided here, but a cell elsewhere may still refute: keep the first such cell and go on
                if undecided is None:
                    undecided = ((float(lo), float(hi)), {"piece": k, "signs_ok": signs_ok})
                continue
            m = (lo + hi) / 2
            stack += [(lo, m, depth + 1), (m, hi, depth + 1)]
        carried = carried + Pk.subs(T_SYM, pc.t1)
    if undecided is not None:
        return CertifiedResult("undecided", tol, float(worst), n_cells, undecided[0], undecided[1])
    return CertifiedResult("certified", tol, float(worst), n_cells)
