r"""Grid domains for the nonlocal perimeter.

A :class:`Grid` is a box of cells of spacing :math:`h` in :math:`\mathbb R^d` (d = 1, 2, 3) with cell centres
:math:`x_i`, a density :math:`\rho` and cell masses :math:`m_i = \rho(x_i) h^d`. The adversary's ball is the closed
Euclidean ball; its grid version is the stencil :math:`N(i) = \{j : |x_j - x_i| \le \varepsilon\}` (which contains
:math:`i`). **Box edge:** data live in the box only, and everything outside the box is outside every set
(a set is a subset of the box; functions are extended by 0). So a set touching the edge pays perimeter there:
the erosion of a cell whose ball leaves the box is empty. Without this convention the whole box would have zero
perimeter and a shrinking set could jump to the full box.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.ndimage import distance_transform_edt

from .._backend import check_callable, check_positive_scalar

__all__ = ["Grid", "ball_offsets", "signed_distance"]


def check_grid(grid: Any, name: str = "grid") -> Grid:
    """``grid`` if it is a :class:`Grid`; a TypeError naming the argument otherwise."""
    if not isinstance(grid, Grid):
        raise TypeError(f"argument {name!r} must be a maxslope.perimeter.Grid, got {type(grid).__name__}")
    return grid


class Grid:
    r"""A box grid with spacing ``h`` and density ``density``.

    Parameters
    ----------
    shape : tuple of int
        Cells per axis (1 ≤ d ≤ 3 axes).
    h : float
        Spacing :math:`h > 0`.
    lower : sequence of float, optional
        Coordinates of the centre of the first cell (default: the box is centred at 0).
    density : callable or array, optional
        :math:`\rho`, a callable on points of shape (..., d) or an array of the grid's shape; positive and finite.
        Default :math:`\rho \equiv 1`.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import Grid, disc
    >>> G = Grid((8, 8), 0.25)
    >>> G.size, G.points[0, 0].tolist(), float(G.mass.sum())  # cell centres; ρ(box) = 4
    (64, [-0.875, -0.875], 4.0)
    """

    def __init__(self, shape: tuple[int, ...], h: float, lower: Any = None, density: Callable[[np.ndarray], Any] | np.ndarray | None = None) -> None:
        if not isinstance(shape, tuple) or not 1 <= len(shape) <= 3 or not all(isinstance(s, int) and s >= 1 for s in shape):
            raise ValueError(f"argument 'shape' must be a tuple of 1 to 3 positive integers, got {shape!r}")
        self.shape = shape
        self.d = len(shape)
        self.h = check_positive_scalar(h, "h")
        try:
            vol = self.h**self.d
        except OverflowError:
            vol = math.inf
        if not 0.0 < vol < math.inf:
            raise ValueError(f"argument 'h' = {h!r} is out of range: the cell volume h^d must be a positive finite number")
        if lower is None:
            lo = np.array([-(s - 1) * self.h / 2 for s in shape])
        else:
            lo = np.asarray(lower, dtype=np.float64).reshape(-1)
            if lo.shape != (self.d,) or not np.all(np.isfinite(lo)):
                raise ValueError(f"argument 'lower' must be {self.d} finite numbers, got {lower!r}")
        self.lower = lo
        axes = [lo[k] + self.h * np.arange(shape[k]) for k in range(self.d)]
        self.axes = axes
        self.points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)  #: cell centres, shape ``(*shape, d)``
        if density is None:
            rho = np.ones(shape)
        elif callable(density):
            rho = np.asarray(density(self.points), dtype=np.float64)
        else:
            rho = np.asarray(density, dtype=np.float64)
        if rho.shape != shape:
            raise ValueError(f"argument 'density' must give an array of shape {shape}, got {rho.shape}")
        if not np.all(np.isfinite(rho)) or np.any(rho <= 0):
            raise ValueError("argument 'density' must be positive and finite on every cell")
        self.rho = rho
        self.mass = rho * self.h**self.d  #: m_i = rho(x_i) h^d

    @property
    def size(self) -> int:
        r"""The number of cells.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.perimeter import Grid, disc
        >>> G = Grid((8, 8), 0.25)
        >>> G.size
        64
        """
        return int(np.prod(self.shape))

    def indicator(self, inside: Callable[[np.ndarray], Any]) -> np.ndarray:
        """The set {x_i : inside(x_i)} as a boolean array of the grid's shape.

        Parameters
        ----------
        inside : callable
            A predicate on points of shape ``(*shape, d)`` returning booleans of the grid's shape.

        Returns
        -------
        numpy.ndarray of bool
            The set.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.perimeter import Grid, disc
        >>> G = Grid((8, 8), 0.25)
        >>> int(G.indicator(lambda x: x[..., 0] > 0).sum())
        32
        """
        check_callable(inside, "inside", "predicate on cell centres (..., d) -> bool")
        A = np.asarray(inside(self.points), dtype=bool)
        if A.shape != self.shape:
            raise ValueError(f"the predicate must return an array of shape {self.shape}, got {A.shape}")
        return A

    def check_set(self, A: Any, name: str = "A") -> np.ndarray:
        r"""``A`` as a boolean array of the grid's shape; a ``ValueError`` or ``TypeError`` naming ``name`` otherwise.

        Parameters
        ----------
        A : array_like of bool
            The candidate set.
        name : str
            The argument name for the error message.

        Returns
        -------
        numpy.ndarray
            A boolean copy of ``A``.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.perimeter import Grid, disc
        >>> G = Grid((8, 8), 0.25)
        >>> G.check_set(np.ones((8, 8), int)).dtype
        dtype('bool')
        """
        return as_set(A, self.shape, name, "the grid's shape")

    def measure(self, A: np.ndarray) -> float:
        r""":math:`\rho(A) = \sum_{i \in A} m_i`.

        Parameters
        ----------
        A : numpy.ndarray of bool
            A set of the grid's shape.

        Returns
        -------
        float
            :math:`\rho(A)`.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.perimeter import Grid, disc
        >>> G = Grid((8, 8), 0.25)
        >>> G.measure(np.ones((8, 8), bool))
        4.0
        """
        return float(self.mass[self.check_set(A, "A")].sum())

    def boundary_points(self, A: Any) -> np.ndarray:
        """Midpoints of the cell faces between A and its complement (the boundary of the union of A's cells).

        Faces on the box edge count when the cell is in A (everything outside the box is outside every set).
        Returns an ``(m, d)`` array; Hausdorff distances to a reference curve use it (M18).

        Parameters
        ----------
        A : array_like of bool
            A set of the grid's shape.

        Returns
        -------
        numpy.ndarray
            Shape (m, d).

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.perimeter import Grid
        >>> A = np.zeros((3, 3), bool); A[1, 1] = True
        >>> Grid((3, 3), 1.0).boundary_points(A).tolist()  # the four faces of the centre cell
        [[-0.5, 0.0], [0.5, 0.0], [0.0, -0.5], [0.0, 0.5]]
        """
        A = self.check_set(A)
        pts = []
        for k in range(self.d):
            pad = [(0, 0)] * self.d
            pad[k] = (1, 1)
            P = np.pad(A, pad)
            lo = [slice(None)] * self.d
            hi = [slice(None)] * self.d
            lo[k], hi[k] = slice(0, -1), slice(1, None)
            face = P[tuple(lo)] != P[tuple(hi)]  # faces between index j−1 and j, j = 0..n_k
            idx = np.argwhere(face).astype(np.float64)
            idx[:, k] -= 0.5
            pts.append(self.lower + self.h * idx)
        return np.concatenate(pts, axis=0)

    def area_radius(self, A: np.ndarray) -> float:
        r"""Radius of the Lebesgue-volume-equivalent ball (h^d · #cells), for disc / ball tests.

        Parameters
        ----------
        A : numpy.ndarray of bool
            A set of the grid's shape.

        Returns
        -------
        float
            :math:`(h^d\,\#A / \omega_d)^{1/d}`.

        Examples
        --------
        >>> from maxslope.perimeter import Grid, disc
        >>> G = Grid((100, 100), 0.01)
        >>> round(G.area_radius(disc(G, 0.3)), 3)
        0.3
        """
        vol = float(np.count_nonzero(A)) * self.h**self.d
        omega = math.pi ** (self.d / 2) / math.gamma(self.d / 2 + 1)
        return (vol / omega) ** (1 / self.d)

    def pairs(self, eps: float) -> tuple[np.ndarray, np.ndarray]:
        """All stencil pairs (i, j), j ∈ N(i), as flat indices (both in the box), i.e. the attack graph.

        Parameters
        ----------
        eps : float
            The stencil radius.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            The flat indices ``i`` and ``j`` of every pair.

        Examples
        --------
        >>> from maxslope.perimeter import Grid
        >>> i, j = Grid((3, 3), 1.0).pairs(1.0)
        >>> len(i)  # 9 cells with themselves, 12 neighbour pairs each way
        33
        """
        offs = ball_offsets(eps, self.h, self.d)
        idx = np.arange(self.size).reshape(self.shape)
        src_idx, dst_idx = [], []
        for o in offs:
            src = tuple(slice(max(0, -k), s - max(0, k)) for k, s in zip(o, self.shape, strict=True))
            dst = tuple(slice(max(0, k), s - max(0, -k)) for k, s in zip(o, self.shape, strict=True))
            src_idx.append(idx[src].ravel())
            dst_idx.append(idx[dst].ravel())
        return np.concatenate(src_idx), np.concatenate(dst_idx)

    def truncated(self, eps: float) -> np.ndarray:
        """Cells whose ε-ball stencil leaves the box (their erosion is empty: the exterior is outside every set).

        Parameters
        ----------
        eps : float
            The stencil radius.

        Returns
        -------
        numpy.ndarray of bool
            The cells within ε of the box edge.

        Examples
        --------
        >>> from maxslope.perimeter import Grid
        >>> int(Grid((5, 5), 1.0).truncated(1.0).sum())  # the outer ring
        16
        """
        r = int(np.abs(ball_offsets(eps, self.h, self.d)).max())
        mask = np.zeros(self.shape, dtype=bool)
        for k in range(self.d):
            idx = [slice(None)] * self.d
            idx[k] = slice(0, r)
            mask[tuple(idx)] = True
            idx[k] = slice(self.shape[k] - r, self.shape[k])
            mask[tuple(idx)] = True
        if r == 0:
            return np.zeros(self.shape, dtype=bool)
        return mask

    def __repr__(self) -> str:
        return f"Grid(shape={self.shape}, h={self.h:g})"


def as_set(A: Any, shape: tuple[int, ...], name: str, what: str) -> np.ndarray:
    """``A`` as a boolean array of ``shape`` (0/1 entries accepted); a ValueError names the argument otherwise.

    ``what`` describes the shape in the message ("the grid's shape", "one entry per point").
    """
    A = np.asarray(A)
    if A.shape != shape:
        raise ValueError(f"argument {name!r} must have {what} {shape}, got {A.shape}")
    if A.dtype != bool:
        if not np.all(np.isin(A, (0, 1))):
            raise ValueError(f"argument {name!r} must be a boolean (0/1) array")
        A = A.astype(bool)
    return A


def ball_offsets(eps: float, h: float, d: int) -> np.ndarray:
    r"""Integer offsets :math:`o` with :math:`|o|\,h \le \varepsilon` (the closed ball stencil, centre included).

    Parameters
    ----------
    eps : float
        :math:`\varepsilon > 0`.
    h : float
        The grid spacing :math:`h > 0`.
    d : int
        The dimension, 1 to 3.

    Returns
    -------
    numpy.ndarray
        Integer array of shape (number of offsets, d).

    Examples
    --------
    >>> from maxslope.perimeter import ball_offsets
    >>> len(ball_offsets(1.0, 1.0, 2)), len(ball_offsets(3.0, 1.0, 2))  # the cross; 29 offsets at ε = 3h
    (5, 29)
    """
    eps = check_positive_scalar(eps, "eps")
    h = check_positive_scalar(h, "h")
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 1 <= d <= 3:
        raise ValueError(f"argument 'd' must be 1, 2 or 3, got {d!r}")
    if not eps / h < 1e4:
        raise ValueError(f"argument 'eps' / 'h' = {eps / h:g} is too large for a stencil (at most 1e4 cells per radius)")
    r = int(math.floor(eps / h + 1e-9))
    rng = np.arange(-r, r + 1)
    offs = np.stack(np.meshgrid(*([rng] * d), indexing="ij"), axis=-1).reshape(-1, d)
    keep = (offs**2).sum(1) * h * h <= eps * eps * (1 + 1e-12)
    return offs[keep]  # type: ignore[no-any-return]


def signed_distance(A: np.ndarray, grid: Grid, half_cell: bool = True) -> np.ndarray:
    r"""Signed distance :math:`\mathrm{sd}_A` (negative inside) of a grid set, from exact Euclidean distance transforms.

    With ``half_cell=True`` (default) the boundary is placed half a cell outside the inside cells:
    :math:`\mathrm{sd} = \mathrm{dist}(x, A) - h/2` outside and :math:`-(\mathrm{dist}(x, A^c) - h/2)` inside.
    Without it the fidelity has a dead zone of one cell and a disc shrinks about 8% too slowly.

    Parameters
    ----------
    A : array_like of bool
        The set, of the grid's shape.
    grid : Grid
        The grid.
    half_cell : bool
        Place the boundary half a cell outside the inside cells (default True).

    Returns
    -------
    numpy.ndarray
        :math:`\mathrm{sd}_A` at the cell centres; :math:`+\infty` everywhere for the empty set and
        :math:`-\infty` for the full box.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.perimeter import Grid, signed_distance
    >>> A = np.zeros((1, 6), bool); A[0, :3] = True
    >>> signed_distance(A, Grid((1, 6), 1.0)).tolist()
    [[-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]]
    """
    A = check_grid(grid).check_set(A)
    if not A.any():
        return np.full(grid.shape, np.inf)
    if A.all():
        return np.full(grid.shape, -np.inf)
    out = distance_transform_edt(~A, sampling=grid.h)
    ins = distance_transform_edt(A, sampling=grid.h)
    c = grid.h / 2 if half_cell else 0.0
    return np.where(A, -(ins - c), out - c)  # type: ignore[no-any-return]
