r"""Initial sets for the perimeter flow: disc (ball), ellipse, dumbbell and star, as boolean arrays on a :class:`Grid`.

A cell belongs to the set when its centre does (the sets are closed: boundary centres count). Every constructor
places the shape at ``center`` (default: the centre of the box) and refuses a shape that does not fit strictly
inside the box, because the flow treats everything outside the box as outside every set and a clipped shape would
silently be another shape.

Each shape is what a user reaches for to see a property of weighted mean curvature flow:

* :func:`disc` — the self-similar solution, :math:`r(t)^2 = r_0^2 - 2(d-1)c_{per}t` for :math:`\rho \equiv 1`;
* :func:`ellipse` — a convex set that becomes round before it vanishes;
* :func:`dumbbell` — a non-convex set whose neck pinches (curvature flow is not a convex-preserving law here);
* :func:`star` — a star-shaped set whose arms retract first, the non-convex test of the new-user task.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import as_float_array, check_int, check_positive_scalar, check_real_scalar, to_numpy
from .grid import Grid, check_grid

__all__ = ["disc", "dumbbell", "ellipse", "star"]


def _center(grid: Grid, center: Any) -> np.ndarray:
    if center is None:
        return grid.lower + grid.h * (np.array(grid.shape) - 1) / 2
    c = np.asarray(to_numpy(as_float_array(center, "center")), dtype=np.float64).reshape(-1)
    if c.shape != (grid.d,):
        raise ValueError(f"argument 'center' must be {grid.d} finite numbers (the grid's dimension), got {center!r}")
    return c


def _fits(grid: Grid, lo: np.ndarray, hi: np.ndarray, what: str, size: str) -> None:
    """Refuse a shape whose bounding box [lo, hi] leaves the box of cell centres (before any array is computed)."""
    box_lo = grid.lower
    box_hi = grid.lower + grid.h * (np.array(grid.shape) - 1)
    if np.any(lo < box_lo) or np.any(hi > box_hi):
        raise ValueError(f"the {what} reaches outside the grid's box [{box_lo.tolist()}, {box_hi.tolist()}] "
                         f"(its extent is [{lo.tolist()}, {hi.tolist()}]): shrink {size} or move 'center'")


def _nonempty(grid: Grid, A: np.ndarray, what: str, size: str) -> np.ndarray:
    if not A.any():
        raise ValueError(f"the {what} contains no cell centre: {size} is below the grid spacing h = {grid.h:g}")
    return A


def disc(grid: Grid, radius: float, center: Any = None) -> np.ndarray:
    r"""The closed ball :math:`\{x : |x - c|_2 \le r\}` (a disc in 2-D, an interval in 1-D) on ``grid``.

    Parameters
    ----------
    grid : Grid
        The grid (1 to 3 dimensions).
    radius : float
        :math:`r > 0`.
    center : sequence of float, optional
        :math:`c`, ``grid.d`` numbers; default the centre of the box.

    Returns
    -------
    numpy.ndarray of bool
        The set, of shape ``grid.shape``.

    Raises
    ------
    ValueError
        If the ball does not fit inside the box or holds no cell centre.

    Examples
    --------
    >>> from maxslope.perimeter import Grid
    >>> from maxslope.perimeter.shapes import disc
    >>> G = Grid((64, 64), 1 / 64)
    >>> A = disc(G, 0.3)
    >>> round(G.area_radius(A), 2)
    0.3
    """
    grid = check_grid(grid)
    r = check_positive_scalar(radius, "radius")
    c = _center(grid, center)
    _fits(grid, c - r, c + r, "disc", "'radius'")
    return _nonempty(grid, np.sum((grid.points - c) ** 2, axis=-1) <= r * r, "disc", "'radius'")


def ellipse(grid: Grid, semi_axes: Any, center: Any = None, angle: float = 0.0) -> np.ndarray:
    r"""The closed ellipse (ellipsoid) :math:`\{x : \sum_k (R^\top(x - c))_k^2 / a_k^2 \le 1\}` on ``grid``.

    Parameters
    ----------
    grid : Grid
        The grid (1 to 3 dimensions).
    semi_axes : sequence of float
        :math:`a_1, \dots, a_d > 0`, one per axis of the grid.
    center : sequence of float, optional
        :math:`c`; default the centre of the box.
    angle : float, optional
        In 2-D, the rotation :math:`R` of the first semi-axis from the first grid axis, in radians (default 0).
        Must be 0 in 1-D and 3-D.

    Returns
    -------
    numpy.ndarray of bool
        The set, of shape ``grid.shape``.

    Examples
    --------
    >>> import math
    >>> from maxslope.perimeter import Grid
    >>> from maxslope.perimeter.shapes import ellipse
    >>> G = Grid((128, 128), 1 / 128)
    >>> A = ellipse(G, (0.4, 0.2), angle=math.pi / 4)
    >>> round(float(A.sum()) * G.h**2 / (math.pi * 0.4 * 0.2), 2)  # area against πab
    1.0
    """
    grid = check_grid(grid)
    if isinstance(semi_axes, (str, bytes)) or np.isscalar(semi_axes):
        raise TypeError(f"argument 'semi_axes' must be a sequence of {grid.d} positive numbers, got {type(semi_axes).__name__}")
    axes = [check_positive_scalar(a, f"semi_axes[{k}]") for k, a in enumerate(semi_axes)]
    if len(axes) != grid.d:
        raise ValueError(f"argument 'semi_axes' must have {grid.d} entries (the grid's dimension), got {len(axes)}")
    c = _center(grid, center)
    theta = check_real_scalar(angle, "angle")
    if theta != 0.0 and grid.d != 2:
        raise ValueError(f"argument 'angle' rotates a 2-D ellipse only; the grid has {grid.d} dimensions")
    a = np.array(axes)
    cs, sn = math.cos(theta), math.sin(theta)
    # extent of a rotated ellipse along each grid axis
    ext = np.array([math.hypot(a[0] * cs, a[1] * sn), math.hypot(a[0] * sn, a[1] * cs)]) if grid.d == 2 else a
    _fits(grid, c - ext, c + ext, "ellipse", "'semi_axes'")
    y = grid.points - c
    if grid.d == 2:
        y = np.stack([cs * y[..., 0] + sn * y[..., 1], -sn * y[..., 0] + cs * y[..., 1]], axis=-1)
    return _nonempty(grid, np.sum((y / a) ** 2, axis=-1) <= 1.0, "ellipse", "'semi_axes'")


def dumbbell(grid: Grid, radius: float, separation: float, neck: float, center: Any = None) -> np.ndarray:
    r"""Two discs joined by a bar: a 2-D non-convex set whose neck pinches under curvature flow.

    The set is :math:`B_r(c - \tfrac{s}{2}e_1) \cup B_r(c + \tfrac{s}{2}e_1) \cup \{|y_1| \le \tfrac{s}{2},
    |y_2| \le \tfrac{w}{2}\}` with :math:`y = x - c`.

    Parameters
    ----------
    grid : Grid
        A 2-D grid.
    radius : float
        :math:`r > 0`, the radius of each bell.
    separation : float
        :math:`s > 2r`, the distance between the bells' centres (so the bells do not overlap).
    neck : float
        :math:`0 < w < 2r`, the width of the bar.
    center : sequence of float, optional
        :math:`c`; default the centre of the box.

    Returns
    -------
    numpy.ndarray of bool
        The set, of shape ``grid.shape``.

    Examples
    --------
    >>> from maxslope.perimeter import Grid
    >>> from maxslope.perimeter.shapes import dumbbell
    >>> G = Grid((96, 64), 1 / 64)
    >>> A = dumbbell(G, 0.2, 0.8, 0.1)
    >>> bool(A[48, 32]), bool(A[48, 40])  # the neck's middle is in, above the neck is out
    (True, False)
    """
    grid = check_grid(grid)
    if grid.d != 2:
        raise ValueError(f"argument 'grid' must be 2-D for a dumbbell, got {grid.d} dimensions")
    r = check_positive_scalar(radius, "radius")
    s = check_positive_scalar(separation, "separation")
    w = check_positive_scalar(neck, "neck")
    if not s > 2 * r:
        raise ValueError(f"argument 'separation' = {s:g} must exceed 2·'radius' = {2 * r:g}, or the bells overlap")
    if not w < 2 * r:
        raise ValueError(f"argument 'neck' = {w:g} must be below 2·'radius' = {2 * r:g}, or there is no neck")
    c = _center(grid, center)
    half = np.array([s / 2 + r, r])
    _fits(grid, c - half, c + half, "dumbbell", "'radius' / 'separation'")
    y = grid.points - c
    left = (y[..., 0] + s / 2) ** 2 + y[..., 1] ** 2 <= r * r
    right = (y[..., 0] - s / 2) ** 2 + y[..., 1] ** 2 <= r * r
    bar = (np.abs(y[..., 0]) <= s / 2) & (np.abs(y[..., 1]) <= w / 2)
    return _nonempty(grid, left | right | bar, "dumbbell", "'radius' / 'separation'")


def star(grid: Grid, radius: float, amplitude: float, arms: int = 5, center: Any = None, phase: float = 0.0) -> np.ndarray:
    r"""The 2-D star-shaped set :math:`\{c + \varrho(\cos\theta, \sin\theta) : \varrho \le r(1 + a\cos(m(\theta - \phi)))\}`.

    Parameters
    ----------
    grid : Grid
        A 2-D grid.
    radius : float
        :math:`r > 0`, the mean radius.
    amplitude : float
        :math:`0 \le a < 1`, the relative depth of the arms (0 is a disc).
    arms : int, optional
        :math:`m \ge 2`, the number of arms (default 5).
    center : sequence of float, optional
        :math:`c`; default the centre of the box.
    phase : float, optional
        :math:`\phi`, the angle of the first arm in radians (default 0).

    Returns
    -------
    numpy.ndarray of bool
        The set, of shape ``grid.shape``.

    Examples
    --------
    >>> from maxslope.perimeter import Grid
    >>> from maxslope.perimeter.shapes import star
    >>> G = Grid((128, 128), 1 / 128)
    >>> A = star(G, 0.25, 0.4, arms=5)
    >>> bool(A[64 + 41, 64]), bool(A[64 - 41, 64])  # 0.32 out along the first arm is in; opposite, between arms, out
    (True, False)
    """
    grid = check_grid(grid)
    if grid.d != 2:
        raise ValueError(f"argument 'grid' must be 2-D for a star, got {grid.d} dimensions")
    r = check_positive_scalar(radius, "radius")
    a = check_positive_scalar(amplitude, "amplitude", allow_zero=True)
    if not a < 1:
        raise ValueError(f"argument 'amplitude' must be in [0, 1) (the radius stays positive), got {a:g}")
    m = check_int(arms, "arms", 2)
    phi = check_real_scalar(phase, "phase")
    c = _center(grid, center)
    R = r * (1 + a)
    _fits(grid, c - R, c + R, "star", "'radius' / 'amplitude'")
    y = grid.points - c
    rho = np.hypot(y[..., 0], y[..., 1])
    theta = np.arctan2(y[..., 1], y[..., 0])
    return _nonempty(grid, rho <= r * (1 + a * np.cos(m * (theta - phi))), "star", "'radius' / 'amplitude'")
