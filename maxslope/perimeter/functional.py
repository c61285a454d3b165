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
    """Cell masses (m⁰, m¹) of the two class densities: a variant name, or a pair of density arrays (ρ₀, ρ₁)."""
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
    r""":math:`\max_{j \in N(i)} u_j` (the dilation for indicators); u is extended by 0 outside the box."""
    return _stencil(_field(u, grid), check_positive_scalar(eps, "eps"), grid, "max")


def stencil_min(u: Any, eps: float, grid: Grid) -> np.ndarray:
    r""":math:`\min_{j \in N(i)} u_j` (the erosion for indicators); u is extended by 0 outside the box."""
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
    r""":math:`TV_\varepsilon(u)` on the grid for :math:`u \ge 0` extended by 0 outside the box (``math.fsum`` sums)."""
    u = _field(u, grid)
    eps = check_positive_scalar(eps, "eps")
    m0, m1 = class_masses(grid, variant)
    up = (_stencil(u, eps, grid, "max") - u) * m0
    dn = (u - _stencil(u, eps, grid, "min")) * m1
    return math.fsum(np.concatenate([up.ravel(), dn.ravel()]).tolist()) / eps


def nonlocal_perimeter(A: Any, eps: float, grid: Grid, variant: Any = "S") -> float:
    r""":math:`\mathrm{Per}_\varepsilon(A) = TV_\varepsilon(1_A)`."""
    return nonlocal_tv(check_grid(grid).check_set(A).astype(np.float64), eps, grid, variant)


def risk(A: Any, eta: Any, grid: Grid) -> float:
    r"""The 0-1 risk :math:`J_0(A) = \int (1-\eta) 1_A + \eta (1 - 1_A)\,d\rho` with label probability ``eta``."""
    A = check_grid(grid).check_set(A).astype(np.float64)
    eta = _eta(eta, grid)
    return math.fsum(((1 - eta) * A * grid.mass + eta * (1 - A) * grid.mass).ravel().tolist())


def adversarial_risk(A: Any, eta: Any, eps: float, grid: Grid) -> float:
    r"""The attacked risk :math:`J_\varepsilon(A) = \int \max_{B_\varepsilon(x)} |1_A - y|\,d\mu(x, y)` by brute force.

    Label 0 (mass :math:`(1-\eta)\rho`) is lost when some point of the ball lies in A; label 1 (mass
    :math:`\eta\rho`) when some point of the ball lies outside A. The maxima run over the stencil explicitly.
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
