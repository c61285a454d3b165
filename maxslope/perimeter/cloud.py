r"""The supremal nonlocal perimeter on a point cloud (the graph setting of Bungert–Stinson; claim M19).

For samples :math:`x_1, \dots, x_n` with masses :math:`m^0_i, m^1_i \ge 0` (the two class measures) and a set
given by its membership :math:`a_i = 1_A(x_i)`, the graph perimeter replaces the essential sup / inf over the ball
by the max / min over the samples in the closed ball :math:`\bar B_\varepsilon(x_i)`:

.. math::

   \mathrm{Per}^n_\varepsilon(A) = \frac1\varepsilon \sum_{i:\,a_i = 0} m^0_i \,
   \mathbf 1\{\exists j: a_j = 1,\ |x_i - x_j| \le \varepsilon\}
   + \frac1\varepsilon \sum_{i:\,a_i = 1} m^1_i \, \mathbf 1\{\exists j: a_j = 0,\ |x_i - x_j| \le \varepsilon\}.

With labelled samples :math:`(x_i, y_i)` and :math:`m^y_i = w_i 1\{y_i = y\}` the adversarial-risk identity (M1)
holds exactly on the sample, where the attacker may move a point to any sample within ε:
:math:`J^n_\varepsilon(A) = J^n_0(A) + \varepsilon\,\mathrm{Per}^n_\varepsilon(A; m^0, m^1)`.

For i.i.d. samples of a density ρ with the masses of a variant (S: :math:`m^0 = m^1 = 1/(2n)`) the graph perimeter
tends to :math:`\mathrm{Per}_\varepsilon(A)` of :mod:`~maxslope.perimeter.functional` at fixed ε, with
fluctuations of order :math:`n^{-1/2}`; a sample near the edge of the dilation has a neighbour in A only with
probability :math:`1 - (1 - \mu(\bar B_\varepsilon(x) \cap A))^{n-1}`, which :func:`disc_cloud_expectation` integrates
exactly for a disc.

The neighbour tests use SciPy's k-d tree (one nearest-neighbour query per side), so a cloud of 10⁶ points takes
seconds; nothing here needs a hand-written search.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.integrate import quad
from scipy.spatial import cKDTree

from .._backend import as_float_array, check_int, check_p, check_positive_scalar
from .functional import _FACTORS, VARIANTS
from .grid import as_set

__all__ = ["cloud_perimeter", "cloud_masses", "cloud_risk", "cloud_adversarial_risk", "disc_cloud_expectation"]


def _points(points: Any) -> np.ndarray:
    if not isinstance(points, np.ndarray) and hasattr(points, "__array_namespace__"):
        raise TypeError("argument 'points' must be a NumPy array (the point-cloud perimeter runs on the host)")
    X = as_float_array(points, "points", np)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"argument 'points' must have shape (n, d) with n, d >= 1, got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("argument 'points' must be finite (no NaN or inf)")
    return X


def _membership(A: Any, n: int, name: str = "A") -> np.ndarray:
    return as_set(A, (n,), name, "one entry per point, shape")


def _weights(weights: Any, n: int, atol: float = 1e-12) -> np.ndarray:
    if weights is None:
        return np.full(n, 1.0 / n)
    w = as_float_array(weights, "weights", np)
    if w.shape != (n,):
        raise ValueError(f"argument 'weights' must have shape ({n},), got {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("argument 'weights' must be finite and non-negative")
    if abs(math.fsum(w) - 1.0) > atol:
        raise ValueError(f"argument 'weights' must sum to 1 (sum = {math.fsum(w)!r})")
    return w


def _p(p: float) -> float:
    return check_p(p, "p")


def cloud_masses(n: int, variant: Any = "S", weights: Any = None, labels: Any = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Per-point class masses :math:`(m^0, m^1)`.

    ``variant`` is ``"S"``, ``"O"``, ``"F"`` (factors of the sample weights, as on a grid), ``"labels"`` (the
    empirical class measures :math:`m^y_i = w_i 1\{y_i = y\}`, which needs ``labels``), or a pair of arrays.

    Parameters
    ----------
    n : int
        The number of points.
    variant : str or (array, array)
        ``"S"``, ``"O"``, ``"F"``, ``"labels"`` or two arrays of length n.
    weights : array_like, optional
        Sample weights summing to 1 (default 1/n).
    labels : array_like, optional
        0/1 labels, for ``"labels"``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        :math:`m^0, m^1`, each of length n.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import cloud_adversarial_risk, cloud_masses, cloud_perimeter, cloud_risk
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0]])
    >>> A = np.array([True, True, False, False])
    >>> y = np.array([1, 1, 0, 0])
    >>> [m.tolist() for m in cloud_masses(4, "labels", labels=y)]
    [[0.0, 0.0, 0.25, 0.25], [0.25, 0.25, 0.0, 0.0]]
    """
    n = check_int(n, "n", 1)
    w = _weights(weights, n)
    if isinstance(variant, str):
        if variant == "labels":
            if labels is None:
                raise ValueError("variant 'labels' needs the argument 'labels'")
            y = _membership(labels, n, "labels")
            return w * ~y, w * y
        if variant not in VARIANTS:
            raise ValueError(f"argument 'variant' must be one of {VARIANTS}, 'labels' or a pair (m0, m1), got {variant!r}")
        a, b = _FACTORS[variant]
        return a * w, b * w
    try:
        m0, m1 = (np.asarray(v, dtype=np.float64) for v in variant)
    except (TypeError, ValueError):
        raise TypeError("argument 'variant' must be 'S', 'O', 'F', 'labels' or a pair of arrays (m0, m1)") from None
    for name, m in (("m0", m0), ("m1", m1)):
        if m.shape != (n,):
            raise ValueError(f"class masses {name} must have shape ({n},), got {m.shape}")
        if not np.all(np.isfinite(m)) or np.any(m < 0):
            raise ValueError(f"class masses {name} must be finite and non-negative")
    return m0, m1


def _has_neighbour(X: np.ndarray, src: np.ndarray, dst: np.ndarray, eps: float, p: float) -> np.ndarray:
    """For each point of ``src`` (a mask), whether some point of ``dst`` (a mask) lies in the closed ε-ball."""
    out = np.zeros(int(src.sum()), dtype=bool)
    if out.size == 0 or not dst.any():
        return out
    tree = cKDTree(X[dst])
    # the bound is a strict inequality in SciPy; one ulp above ε makes the ball closed, the test below exact
    try:
        d, _ = tree.query(X[src], k=1, p=p, distance_upper_bound=math.nextafter(eps, math.inf))
    except ValueError as exc:  # SciPy's overflow of |x|^p for a huge finite p
        raise ValueError(f"argument 'p' ({p!r}) is too large for these points ({exc}); use p = inf") from None
    return d <= eps


def cloud_perimeter(points: Any, A: Any, eps: float, variant: Any = "S", weights: Any = None, labels: Any = None,
                    p: float = 2.0) -> float:
    r"""The graph perimeter :math:`\mathrm{Per}^n_\varepsilon(A)` of the module docstring.

    Parameters
    ----------
    points : array of shape (n, d)
        The samples.
    A : bool array of shape (n,)
        Membership :math:`1_A(x_i)`.
    eps : float
        The budget ε > 0 (closed balls).
    variant, weights, labels
        The class masses, see :func:`cloud_masses` (default: variant S with uniform weights 1/n).
    p : float
        The ground norm ℓp (p ≥ 1; ``inf`` allowed).

    Returns
    -------
    float
        :math:`\mathrm{Per}^n_\varepsilon(A)`.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import cloud_adversarial_risk, cloud_masses, cloud_perimeter, cloud_risk
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0]])
    >>> A = np.array([True, True, False, False])
    >>> y = np.array([1, 1, 0, 0])
    >>> cloud_perimeter(X, A, 0.15)  # x₃ sees A, x₂ sees the complement: (¼·½ + ¼·½)/0.15
    1.6666666666666667
    """
    X = _points(points)
    a = _membership(A, X.shape[0])
    eps = check_positive_scalar(eps, "eps")
    m0, m1 = cloud_masses(X.shape[0], variant, weights, labels)
    p = _p(p)
    dil = _has_neighbour(X, ~a, a, eps, p)
    ero = _has_neighbour(X, a, ~a, eps, p)
    return (math.fsum(m0[~a][dil]) + math.fsum(m1[a][ero])) / eps


def cloud_risk(A: Any, labels: Any, weights: Any = None) -> float:
    r"""The empirical 0-1 risk :math:`J^n_0(A) = \sum_i w_i |1_A(x_i) - y_i|`.

    Parameters
    ----------
    A : array_like of bool
        Membership, one entry per point.
    labels : array_like
        0/1 labels.
    weights : array_like, optional
        Sample weights (default 1/n).

    Returns
    -------
    float
        :math:`J^n_0(A)`.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import cloud_adversarial_risk, cloud_masses, cloud_perimeter, cloud_risk
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0]])
    >>> A = np.array([True, True, False, False])
    >>> y = np.array([1, 1, 0, 0])
    >>> cloud_risk(A, y)
    0.0
    """
    a = np.asarray(A)
    if a.ndim != 1 or a.shape[0] == 0:
        raise ValueError(f"argument 'A' must be a non-empty one-dimensional array, one entry per point, got shape {a.shape}")
    n = a.shape[0]
    a = _membership(a, n)
    if np.shape(labels) != (n,):
        raise ValueError(f"arguments 'A' and 'labels' must have one entry per point each, got shapes {(n,)} and {np.shape(labels)}")
    y = _membership(labels, n, "labels")
    return math.fsum(_weights(weights, n)[a != y])


def cloud_adversarial_risk(points: Any, A: Any, labels: Any, eps: float, weights: Any = None, p: float = 2.0) -> float:
    r"""Attacked empirical risk :math:`J^n_\varepsilon(A) = \sum_i w_i \max_{j:\,|x_j - x_i| \le \varepsilon} |1_A(x_j) - y_i|`.

    Computed by brute force over each point's neighbour list (``query_ball_point``), a code path separate from
    :func:`cloud_perimeter`, so that the identity :math:`J^n_\varepsilon = J^n_0 + \varepsilon\,\mathrm{Per}^n_\varepsilon`
    is a real check.

    Parameters
    ----------
    points : array_like
        The samples, shape (n, d).
    A : array_like of bool
        Membership.
    labels : array_like
        0/1 labels.
    eps : float
        The budget, > 0.
    weights : array_like, optional
        Sample weights (default 1/n).
    p : float
        The ground norm.

    Returns
    -------
    float
        :math:`J^n_\varepsilon(A)`; it equals ``cloud_risk + eps * cloud_perimeter(..., variant="labels")``.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import cloud_adversarial_risk, cloud_masses, cloud_perimeter, cloud_risk
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0]])
    >>> A = np.array([True, True, False, False])
    >>> y = np.array([1, 1, 0, 0])
    >>> r = cloud_adversarial_risk(X, A, y, 0.15)
    >>> r, abs(r - cloud_risk(A, y) - 0.15 * cloud_perimeter(X, A, 0.15, "labels", labels=y)) < 1e-15
    (0.5, True)
    """
    X = _points(points)
    n = X.shape[0]
    a = _membership(A, n)
    y = _membership(labels, n, "labels")
    w = _weights(weights, n)
    eps = check_positive_scalar(eps, "eps")
    p = _p(p)
    try:
        lists = cKDTree(X).query_ball_point(X, r=eps, p=p)
    except ValueError as exc:  # SciPy's overflow of |x|^p for a huge finite p
        raise ValueError(f"argument 'p' ({p!r}) is too large for these points ({exc}); use p = inf") from None
    total = []
    for i, nb in enumerate(lists):
        nb = np.asarray(nb, dtype=np.intp)
        d = np.linalg.norm(X[nb] - X[i], ord=p, axis=1)
        nb = nb[d <= eps]  # the closed ball, whatever the tree's rounding
        if np.any(a[nb] != y[i]):
            total.append(w[i])
    return math.fsum(total)


def _lens(r: float, R: float, eps: float) -> float:
    """Area of B_eps(x) ∩ B_R(0) for |x| = r (two discs in the plane)."""
    if r + eps <= R:
        return math.pi * eps**2
    if r >= R + eps:
        return 0.0
    if r + R <= eps:
        return math.pi * R**2
    c1 = (r**2 + eps**2 - R**2) / (2 * r * eps)
    c2 = (r**2 + R**2 - eps**2) / (2 * r * R)
    c1, c2 = min(1.0, max(-1.0, c1)), min(1.0, max(-1.0, c2))
    k = (-r + eps + R) * (r + eps - R) * (r - eps + R) * (r + eps + R)
    return eps**2 * math.acos(c1) + R**2 * math.acos(c2) - 0.5 * math.sqrt(max(k, 0.0))


def disc_cloud_expectation(n: int, R: float, eps: float, L: float) -> tuple[float, float]:
    r"""Exact :math:`\mathbb E\,\mathrm{Per}^n_\varepsilon(B_R)` and its limit, n i.i.d. uniform points in :math:`[-L, L]^2`.

    Variant S with weights 1/n, ℓ2 balls, the disc centred, :math:`R + 2\varepsilon \le L` (no ball leaves the box).
    With :math:`\rho = 1/(4L^2)` and :math:`\ell(r) = |\bar B_\varepsilon(x) \cap B_R|` at :math:`|x| = r`,

    .. math::

       \mathbb E\,\mathrm{Per}^n_\varepsilon = \frac{\rho}{2\varepsilon}\Big[\int_R^{R+\varepsilon}
       \big(1 - (1 - \rho\,\ell(r))^{n-1}\big)2\pi r\,dr + \int_{R-\varepsilon}^R
       \big(1 - (1 - \rho(\pi\varepsilon^2 - \ell(r)))^{n-1}\big)2\pi r\,dr\Big],

    and the limit :math:`n \to \infty` is :math:`\mathrm{Per}_\varepsilon(B_R) = 2\pi R\rho` (variant S is exact on
    discs, M3). Returns ``(expectation, limit)``; the radial integrals are adaptive Gauss–Kronrod (``quad``) to 1e-13.

    Parameters
    ----------
    n : int
        The number of samples, >= 2.
    R : float
        The disc radius.
    eps : float
        :math:`\varepsilon \le R`.
    L : float
        The half-side of the sampling box, :math:`R + 2\varepsilon \le L`.

    Returns
    -------
    (float, float)
        :math:`\mathbb E\,\mathrm{Per}^n_\varepsilon(B_R)` and its limit :math:`2\pi R\rho`.

    Examples
    --------
    >>> from maxslope.perimeter import disc_cloud_expectation
    >>> e, lim = disc_cloud_expectation(10_000, 0.5, 0.1, 1.0)
    >>> round(lim, 6), round(e, 4)  # below the limit: points near the dilation's edge find no sample of A
    (0.785398, 0.7301)
    """
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"argument 'n' must be an integer >= 2, got {n!r}")
    R, eps, L = (check_positive_scalar(v, k) for v, k in ((R, "R"), (eps, "eps"), (L, "L")))
    if R + 2 * eps > L or eps > R:
        raise ValueError(f"arguments 'R' = {R!r}, 'eps' = {eps!r} and 'L' = {L!r} need eps <= R and R + 2*eps <= L "
                         "(every ball inside the box)")
    rho = 1.0 / (4 * L * L)
    ball = math.pi * eps**2

    def outside(r: float) -> float:
        return -math.expm1((n - 1) * math.log1p(-rho * _lens(r, R, eps))) * 2 * math.pi * r

    def inside(r: float) -> float:
        return -math.expm1((n - 1) * math.log1p(-rho * (ball - _lens(r, R, eps)))) * 2 * math.pi * r

    o = quad(outside, R, R + eps, epsabs=0, epsrel=1e-13, limit=400)[0]
    i = quad(inside, R - eps, R, epsabs=0, epsrel=1e-13, limit=400)[0]
    return rho / (2 * eps) * (o + i), 2 * math.pi * R * rho
