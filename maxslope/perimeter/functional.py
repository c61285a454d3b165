r"""The supremal nonlocal total variation and perimeter of adversarial training (claims M1–M5).

.. math::

   TV_\varepsilon(u; \rho_0, \rho_1) = \frac1\varepsilon \int (\operatorname{ess\,sup}_{B_\varepsilon(x)} u - u(x))
   \rho_0(x)\,dx + \frac1\varepsilon \int (u(x) - \operatorname{ess\,inf}_{B_\varepsilon(x)} u)\rho_1(x)\,dx,
   \qquad \mathrm{Per}_\varepsilon(A) = TV_\varepsilon(1_A).

On a :class:`~maxslope.perimeter.Grid` the integrals are sums with the cell masses and the sup / inf run over the
ball stencil. The normalization is an explicit option (the paper's text leaves it open):

===========  ======================  ==================  =========
variant      (ρ₀, ρ₁)                limit                c_per
===========  ======================  ==================  =========
``"S"``      (ρ/2, ρ/2)              ∫_{∂A} ρ             1
``"O"``      (ρ, 0)                  ∫_{∂A} ρ             1
``"F"``      (ρ, ρ)                  2∫_{∂A} ρ            2
===========  ======================  ==================  =========
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import as_float_array, check_positive_scalar, namespace, to_numpy
from .grid import Grid, ball_offsets, check_grid

__all__ = ["VARIANTS", "C_PER", "class_masses", "stencil_max", "stencil_min", "nonlocal_tv", "nonlocal_perimeter", "adversarial_risk", "risk"]

VARIANTS = ("S", "O", "F")
C_PER = {"S": 1.0, "O": 1.0, "F": 2.0}
_FACTORS = {"S": (0.5, 0.5), "O": (1.0, 0.0), "F": (1.0, 1.0)}


def class_masses(grid: Grid, variant: Any = "S") -> tuple[np.ndarray, np.ndarray]:
    r"""Cell masses (m⁰, m¹) of the two class densities: a variant name, or a pair of density arrays (ρ₀, ρ₁).

    Parameters
    ----------
    grid : Grid
        The grid, with its density :math:`\rho`.
    variant : str or (array, array)
        ``"S"`` (:math:`\rho_0 = \rho_1 = \rho/2`), ``"O"`` (:math:`\rho_0 = \rho`, :math:`\rho_1 = 0`), ``"F"``
        (:math:`\rho_0 = \rho_1 = \rho`), or two non-negative density arrays of the grid's shape.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        :math:`m^c_i = \rho_c(x_i) h^d`, each of the grid's shape.

    Examples
    --------
    >>> from maxslope.perimeter import Grid, class_masses
    >>> m0, m1 = class_masses(Grid((4, 4), 0.5), "S")
    >>> float(m0.sum()), float(m1.sum())  # half of ρ(box) = 4 each
    (2.0, 2.0)
    """
    check_grid(grid)
    if isinstance(variant, str):
        if variant not in VARIANTS:
            raise ValueError(f"argument 'variant' must be one of {VARIANTS} or a pair (rho0, rho1), got {variant!r}")
        a, b = _FACTORS[variant]
        return a * grid.mass, b * grid.mass
    try:
        r0, r1 = variant
    except (TypeError, ValueError):
        raise TypeError("argument 'variant' must be 'S', 'O', 'F' or a pair of arrays (rho0, rho1)") from None
    r0, r1 = (np.asarray(to_numpy(as_float_array(r, nm, namespace(**{nm: r}))), dtype=np.float64) for nm, r in (("rho0", r0), ("rho1", r1)))
    for name, r in (("rho0", r0), ("rho1", r1)):
        if r.shape != grid.shape:
            raise ValueError(f"class density {name} must have the grid's shape {grid.shape}, got {r.shape}")
        if not np.all(np.isfinite(r)) or np.any(r < 0):
            raise ValueError(f"class density {name} must be finite and non-negative")
    return r0 * grid.h**grid.d, r1 * grid.h**grid.d


def _stencil(u: np.ndarray, eps: float, grid: Grid, op: str) -> np.ndarray:
    offs = ball_offsets(eps, grid.h, grid.d)
    r = int(np.abs(offs).max()) if len(offs) else 0
    fill = -np.inf if op == "max" else np.inf
    P = np.pad(u.astype(np.float64), r, constant_values=0.0)  # the exterior of the box is outside every set
    out = np.full(grid.shape, fill)
    f = np.maximum if op == "max" else np.minimum
    for o in offs:
        sl = tuple(slice(r + k, r + k + s) for k, s in zip(o, grid.shape, strict=True))
        f(out, P[sl], out=out)
    return out


def stencil_max(u: Any, eps: float, grid: Grid) -> np.ndarray:
    r""":math:`\max_{j \in N(i)} u_j` (the dilation for indicators); u is extended by 0 outside the box.

    Parameters
    ----------
    u : array_like
        A finite field of the grid's shape.
    eps : float
        The radius :math:`\varepsilon > 0` of the stencil :math:`N(i) = \{j : |x_j - x_i| \le \varepsilon\}`.
    grid : Grid
        The grid.

    Returns
    -------
    numpy.ndarray
        The stencil maximum, of the grid's shape.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import Grid, stencil_max
    >>> u = np.zeros((5, 5)); u[2, 2] = 1.0
    >>> int(stencil_max(u, 1.0, Grid((5, 5), 1.0)).sum())  # the cross of radius 1
    5
    """
    return _stencil(_field(u, grid), check_positive_scalar(eps, "eps"), grid, "max")


def stencil_min(u: Any, eps: float, grid: Grid) -> np.ndarray:
    r""":math:`\min_{j \in N(i)} u_j` (the erosion for indicators); u is extended by 0 outside the box.

    Parameters
    ----------
    u : array_like
        A finite field of the grid's shape.
    eps : float
        The stencil radius :math:`\varepsilon > 0`.
    grid : Grid
        The grid.

    Returns
    -------
    numpy.ndarray
        The stencil minimum, of the grid's shape.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import Grid, stencil_min
    >>> int(stencil_min(np.ones((5, 5)), 1.0, Grid((5, 5), 1.0)).sum())  # the box edge sees the zero exterior
    9
    """
    return _stencil(_field(u, grid), check_positive_scalar(eps, "eps"), grid, "min")


def _field(u: Any, grid: Grid) -> np.ndarray:
    check_grid(grid)
    u = np.asarray(to_numpy(as_float_array(u, "u", namespace(u=u))), dtype=np.float64)
    if u.shape != grid.shape:
        raise ValueError(f"argument 'u' must have the grid's shape {grid.shape}, got {u.shape}")
    if not np.all(np.isfinite(u)):
        raise ValueError("argument 'u' contains non-finite values")
    return u


def nonlocal_tv(u: Any, eps: float, grid: Grid, variant: Any = "S") -> float:
    r""":math:`TV_\varepsilon(u)` on the grid for :math:`u \ge 0` extended by 0 outside the box (``math.fsum`` sums).

    .. math:: TV_\varepsilon(u) = \frac1\varepsilon \sum_i \Big[(\max_{N(i)} u - u_i)\, m^0_i
              + (u_i - \min_{N(i)} u)\, m^1_i\Big].

    Parameters
    ----------
    u : array_like
        A finite field of the grid's shape.
    eps : float
        :math:`\varepsilon > 0`.
    grid : Grid
        The grid and density.
    variant : str or (array, array)
        The class masses, as in :func:`class_masses`.

    Returns
    -------
    float
        :math:`TV_\varepsilon(u)`, exactly rounded.

    Examples
    --------
    The coarea formula: the TV of a two-level field is the sum of its level sets' perimeters (claim M2).

    >>> from maxslope.perimeter import Grid, disc, nonlocal_perimeter, nonlocal_tv
    >>> G = Grid((32, 32), 1 / 32)
    >>> A, B = disc(G, 0.4), disc(G, 0.2)
    >>> u = A.astype(float) + B
    >>> abs(nonlocal_tv(u, 3 / 32, G) - nonlocal_perimeter(A, 3 / 32, G) - nonlocal_perimeter(B, 3 / 32, G)) < 1e-12
    True
    """
    u = _field(u, grid)
    eps = check_positive_scalar(eps, "eps")
    m0, m1 = class_masses(grid, variant)
    up = (_stencil(u, eps, grid, "max") - u) * m0
    dn = (u - _stencil(u, eps, grid, "min")) * m1
    return math.fsum(np.concatenate([up.ravel(), dn.ravel()]).tolist()) / eps


def nonlocal_perimeter(A: Any, eps: float, grid: Grid, variant: Any = "S") -> float:
    r""":math:`\mathrm{Per}_\varepsilon(A) = TV_\varepsilon(1_A)`.

    Parameters
    ----------
    A : array_like of bool
        The set, of the grid's shape.
    eps : float
        :math:`\varepsilon > 0`.
    grid : Grid
        The grid and density.
    variant : str or (array, array)
        The class masses, as in :func:`class_masses`.

    Returns
    -------
    float
        :math:`\mathrm{Per}_\varepsilon(A) = \frac1\varepsilon[\rho_0(A^\varepsilon\setminus A) + \rho_1(A \setminus A^{-\varepsilon})]`.

    Examples
    --------
    In variant S a continuum disc has :math:`\mathrm{Per}_\varepsilon = 2\pi R` at every ε; the grid disc is close:

    >>> import math
    >>> from maxslope.perimeter import Grid, disc, nonlocal_perimeter
    >>> G = Grid((200, 200), 1 / 200)
    >>> round(nonlocal_perimeter(disc(G, 0.3), 6 / 200, G) / (2 * math.pi * 0.3), 2)
    0.97
    """
    return nonlocal_tv(check_grid(grid).check_set(A).astype(np.float64), eps, grid, variant)


def risk(A: Any, eta: Any, grid: Grid) -> float:
    r"""The 0-1 risk :math:`J_0(A) = \int (1-\eta) 1_A + \eta (1 - 1_A)\,d\rho` with label probability ``eta``.

    Parameters
    ----------
    A : array_like of bool
        The classifier's set (label 1 inside).
    eta : array_like
        :math:`\eta(x) = P(y = 1 \mid x) \in [0, 1]`, of the grid's shape.
    grid : Grid
        The grid and density.

    Returns
    -------
    float
        :math:`J_0(A)`.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import Grid, risk
    >>> G = Grid((4, 4), 0.5)
    >>> risk(np.ones((4, 4), bool), np.full((4, 4), 0.25), G)  # every point labelled 1; 3/4 of ρ(box) = 4 lost
    3.0
    """
    A = check_grid(grid).check_set(A).astype(np.float64)
    eta = _eta(eta, grid)
    return math.fsum(((1 - eta) * A * grid.mass + eta * (1 - A) * grid.mass).ravel().tolist())


def adversarial_risk(A: Any, eta: Any, eps: float, grid: Grid) -> float:
    r"""The attacked risk :math:`J_\varepsilon(A) = \int \max_{B_\varepsilon(x)} |1_A - y|\,d\mu(x, y)` by brute force.

    Label 0 (mass :math:`(1-\eta)\rho`) is lost when some point of the ball lies in A; label 1 (mass
    :math:`\eta\rho`) when some point of the ball lies outside A. The maxima run over the stencil explicitly.

    Parameters
    ----------
    A : array_like of bool
        The classifier's set.
    eta : array_like
        The label probability, in [0, 1], of the grid's shape.
    eps : float
        The attack radius :math:`\varepsilon > 0`.
    grid : Grid
        The grid and density.

    Returns
    -------
    float
        :math:`J_\varepsilon(A)`; it equals :math:`J_0(A) + \varepsilon\,\mathrm{Per}_\varepsilon(A; (1-\eta)\rho, \eta\rho)`
        exactly (claim M1).

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import Grid, adversarial_risk, disc, nonlocal_perimeter, risk
    >>> G = Grid((24, 24), 1 / 24)
    >>> A, eta = disc(G, 0.3), np.full((24, 24), 0.4)
    >>> per = nonlocal_perimeter(A, 2 / 24, G, ((1 - eta), eta))
    >>> abs(adversarial_risk(A, eta, 2 / 24, G) - risk(A, eta, G) - 2 / 24 * per) < 1e-12
    True
    """
    A = check_grid(grid).check_set(A).astype(np.float64)
    eta = _eta(eta, grid)
    i, j = grid.pairs(check_positive_scalar(eps, "eps"))
    a = A.ravel()
    hit0 = np.zeros(grid.size)
    hit1 = np.zeros(grid.size)
    np.maximum.at(hit0, i, a[j])  # some attacked position of x_i lies in A
    np.maximum.at(hit1, i, 1 - a[j])  # some attacked position of x_i lies outside A
    hit1 = np.maximum(hit1, grid.truncated(eps).ravel())  # ... or outside the box, which is outside A
    m, e = grid.mass.ravel(), eta.ravel()
    return math.fsum(((1 - e) * hit0 * m + e * hit1 * m).tolist())


def _eta(eta: Any, grid: Grid) -> np.ndarray:
    eta = np.asarray(to_numpy(as_float_array(eta, "eta", namespace(eta=eta))), dtype=np.float64)
    if eta.shape != grid.shape:
        raise ValueError(f"argument 'eta' must have the grid's shape {grid.shape}, got {eta.shape}")
    if not np.all(np.isfinite(eta)) or np.any(eta < 0) or np.any(eta > 1):
        raise ValueError("argument 'eta' must take values in [0, 1]")
    return eta
