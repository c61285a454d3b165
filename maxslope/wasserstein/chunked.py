r"""Empirical measures whose atoms are a Dask array, and the per-atom schemes on them, chunk by chunk.

A potential energy :math:`\mathcal E(\mu) = \int V\,d\mu` moves every atom independently: its :math:`W_p`
minimizing-movement step with curve exponent :math:`p` (claim W3), its :math:`W_\infty` steepest descent (batch
IFGSM) and the distributional adversary (C20) are ground-space steps from each atom. So a measure of
:math:`10^8` atoms can be split into chunks of atoms, each chunk moved by the same NumPy step as the in-memory
run, and the result equals the in-memory run bit for bit. Integrals :math:`\sum_i w_i f(x_i)` are summed exactly
(:mod:`maxslope._exactsum`): the chunks' exact partial sums add up, as integers, to the exact sum, which is what
:meth:`Empirical.integrate` returns too.

Energies that couple atoms (:class:`InteractionEnergy`), and the :math:`W_p` steepest descent for
:math:`p < \infty` (whose step is scaled by :math:`(\sum_j w_j\|\xi_j\|_*^{p'})^{1/p}`, a sum over all atoms),
do not split and raise ``ValueError`` saying so.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import check_positive_scalar
from .._dask import check_batch_chunks, is_dask_array
from .._exactsum import exact_parts, round_parts
from .empirical import WEIGHT_SUM_ATOL, Empirical, _Atoms, _values

__all__ = ["ChunkedEmpirical"]


class ChunkedEmpirical(_Atoms):
    r"""A discrete probability measure :math:`\mu = \sum_i w_i\,\delta_{x_i}` with its atoms in a Dask array.

    Parameters
    ----------
    points : dask.array.Array, shape (n, d) or (n,)
        The atoms, chunked along the atoms only (one chunk along the coordinates). Finite values are checked
        chunk by chunk, inside the tasks that read them.
    weights : array, shape (n,), optional
        Non-negative masses summing to 1 within ``atol`` (a Dask or NumPy array; rechunked like ``points``);
        default uniform :math:`1/n`. They are checked eagerly, in one pass (an exact sum).
    atol : float
        Tolerance of :math:`|\sum_i w_i - 1| \le` ``atol``.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from maxslope.wasserstein import ChunkedEmpirical
    >>> mu = ChunkedEmpirical(da.from_array(np.arange(8.0).reshape(4, 2), chunks=(2, 2)))
    >>> mu.n, mu.dim, mu.integrate(lambda x: x[:, 0])
    (4, 2, 3.0)
    """

    def __init__(self, points: Any, weights: Any = None, atol: float = WEIGHT_SUM_ATOL) -> None:
        if not is_dask_array(points):
            raise TypeError(f"argument 'points' must be a dask.array (use Empirical for in-memory atoms), got {type(points).__name__}")
        if points.ndim == 1:
            points = points[:, None]
        if points.ndim != 2:
            raise ValueError(f"argument 'points' must have shape (n, d) or (n,), got {tuple(points.shape)}")
        check_batch_chunks(points, "points", min_ndim=2)
        if np.dtype(points.dtype) != np.float64:
            points = points.astype(np.float64)
        atol = check_positive_scalar(atol, "atol")
        n = int(points.shape[0])
        self.points = points
        self.uniform = weights is None
        if weights is None:
            self._weights = None
            return
        import dask.array as da

        if not is_dask_array(weights):
            w = np.asarray(weights)
            if w.dtype.kind not in "fiu":
                raise TypeError(f"argument 'weights' must be a real array, got dtype {w.dtype}")
            if w.shape != (n,):
                raise ValueError(f"argument 'weights' must have shape ({n},), got {w.shape}")
            weights = da.from_array(w.astype(np.float64), chunks=(points.chunks[0],))
        if tuple(weights.shape) != (n,):
            raise ValueError(f"argument 'weights' must have shape ({n},), got {tuple(weights.shape)}")
        if np.dtype(weights.dtype).kind not in "fiu":
            raise TypeError(f"argument 'weights' must be a real array, got dtype {weights.dtype}")
        weights = weights.astype(np.float64).rechunk((points.chunks[0],))
        finite, low = da.compute(da.isfinite(weights).all(), weights.min())
        if not finite:
            raise ValueError("argument 'weights' contains non-finite values")
        if low < 0:
            raise ValueError(f"argument 'weights' must be non-negative, got a mass {float(low)}")
        total = round_parts(list(da.compute(_parts_per_chunk(weights))[0]))
        if not abs(total - 1.0) <= atol:
            raise ValueError(f"argument 'weights' must sum to 1 within {atol:g}, got {total!r}")
        self._weights = weights

    @classmethod
    def _trusted(cls, points: Any, weights: Any) -> ChunkedEmpirical:
        """Wrap checked Dask atoms (n, d) float64 and weights (or None for uniform) without checking again."""
        self = object.__new__(cls)
        self.points, self._weights, self.uniform = points, weights, weights is None
        return self

    @property
    def weights(self) -> Any:
        """The masses as a Dask array chunked like the atoms (uniform: :math:`1/n`, as :class:`Empirical`).

        Examples
        --------
        >>> import numpy as np
        >>> import dask.array as da  # the dask extra
        >>> from maxslope.wasserstein import ChunkedEmpirical
        >>> mu = ChunkedEmpirical(da.from_array(np.arange(6.0).reshape(3, 2), chunks=(2, 2)))
        >>> mu.weights.compute().tolist()
        [0.3333333333333333, 0.3333333333333333, 0.3333333333333333]
        """
        if self._weights is None:
            import dask.array as da

            return da.full((self.n,), 1.0 / self.n, chunks=(self.points.chunks[0],), dtype=np.float64)
        return self._weights

    def integrate(self, f: Any) -> float:
        r""":math:`\sum_i w_i f(x_i)`, correctly rounded (the value :meth:`Empirical.integrate` gives); computes.

        Parameters
        ----------
        f : callable
            (n, d) atoms to (n,) values, applied chunk by chunk.

        Returns
        -------
        float
            :math:`\sum_i w_i f(x_i)`, equal to :meth:`Empirical.integrate` on the computed measure.

        Examples
        --------
        >>> import numpy as np
        >>> import dask.array as da  # the dask extra
        >>> from maxslope.wasserstein import ChunkedEmpirical
        >>> mu = ChunkedEmpirical(da.from_array(np.arange(6.0).reshape(3, 2), chunks=(2, 2)))
        >>> mu.integrate(lambda x: x[:, 0]) == mu.compute().integrate(lambda x: x[:, 0])
        True
        """
        import dask.array as da

        if not callable(f):
            raise TypeError(f"argument 'f' must be a callable on atoms (n, d) -> (n,), got {type(f).__name__}")

        def block(x: np.ndarray) -> np.ndarray:
            if not np.all(np.isfinite(x)):
                raise ValueError("argument 'points' contains non-finite atoms (in one of its chunks); maxslope never "
                                 "propagates NaN")
            return _values(f, x)

        vals = self.points.map_blocks(block, drop_axis=1, dtype=np.float64)
        return round_parts(list(da.compute(_parts_per_chunk(vals * self.weights))[0]))

    def compute(self) -> Empirical:
        """The measure in memory, as an :class:`Empirical` (same atoms and weights).

        Returns
        -------
        Empirical
            The measure in memory.

        Examples
        --------
        >>> import numpy as np
        >>> import dask.array as da  # the dask extra
        >>> from maxslope.wasserstein import ChunkedEmpirical
        >>> mu = ChunkedEmpirical(da.from_array(np.arange(6.0).reshape(3, 2), chunks=(2, 2)))
        >>> mu.compute().points.shape
        (3, 2)
        """
        import dask

        pts, w = dask.compute(self.points, None if self._weights is None else self._weights)
        return Empirical(pts) if w is None else Empirical(pts, w)

    def __repr__(self) -> str:
        return f"ChunkedEmpirical(n={self.n}, d={self.dim}, {'uniform' if self.uniform else 'weighted'}, {len(self.points.chunks[0])} chunks)"


def _parts_per_chunk(terms: Any) -> Any:
    """A delayed list of the exact parts of each chunk of the 1-D Dask array ``terms``."""
    from dask import delayed

    return delayed(list)([delayed(exact_parts)(b) for b in terms.to_delayed().ravel()])


def _measure_energies(values: Any, weights: Any, nodes: int) -> Any:
    """The (nodes,) Dask array of :math:`\\sum_i w_i V(x_i^k)` from per-atom values (nodes, n), summed exactly."""
    import dask.array as da
    from dask import delayed

    blocks = values.to_delayed().reshape(-1)
    wblocks = weights.to_delayed().reshape(-1)
    parts = [delayed(_node_parts)(v, w) for v, w in zip(blocks, wblocks, strict=True)]
    return da.from_delayed(delayed(_combine)(parts, nodes), shape=(nodes,), dtype=np.float64)


def _round_0d(parts: list[tuple[int, int]]) -> np.ndarray:
    return np.asarray(round_parts(parts), dtype=np.float64)


def _node_parts(v: np.ndarray, w: np.ndarray) -> list[tuple[int, int]]:
    terms = w[None, :] * v  # the products of Empirical.integrate, rounded the same way
    return [exact_parts(row) for row in terms]


def _combine(parts: list[list[tuple[int, int]]], nodes: int) -> np.ndarray:
    return np.array([round_parts([p[k] for p in parts]) for k in range(nodes)], dtype=np.float64)


def chunked_scheme(space: Any, E: Any, mu0: ChunkedEmpirical, tau: float, K: int, p: float, inner: Any,
                   record_every: int, scheme: str, selection: Any = None) -> Any:
    """The per-atom minimizing movement or steepest descent of a potential energy on a chunked measure."""
    from ..curves import Trajectory
    from .energies import PotentialEnergy, _direction
    from .schemes import _resolve

    E = space.lift_energy(E)
    if not isinstance(E, PotentialEnergy):
        raise ValueError(f"argument 'E' ({E!r}) couples the atoms, so a ChunkedEmpirical cannot be moved chunk by chunk; "
                         "only potential energies (integrals of a ground energy V) split over the atoms")
    if scheme == "minimizing_movement":
        step, name, guarantee = _resolve(space, E, p, inner)  # the same step object as in memory (or its error)
    else:
        if space.p != math.inf:
            raise ValueError(f"the steepest descent in {space!r} scales every particle by (sum_j w_j |xi_j|^q)^(1/q), a sum over "
                             "all atoms, so it does not split into chunks; use Wasserstein(inf, ...) or an Empirical measure")
        if selection is not None and (not isinstance(selection, (str, float, int)) or isinstance(selection, bool)):
            raise ValueError("argument 'selection' must be one rule for all particles with a ChunkedEmpirical (per-particle lists do not chunk)")
        space.ground.steepest_direction(np.ones((1, mu0.dim)), selection=selection)  # validates the rule eagerly
        name, guarantee = "steepest descent", ""
    rec = [k + 1 for k in range(K) if (k + 1) % record_every == 0 or k + 1 == K]
    times = np.asarray([0.0] + [k * tau for k in rec])
    nodes, d = times.size, mu0.dim

    def block(X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=np.float64)
        if not np.all(np.isfinite(X)):
            raise ValueError("argument 'x0' contains non-finite atoms (in one of its chunks); maxslope never propagates NaN")
        mu = Empirical._trusted(X, np.full(X.shape[0], 1.0 / X.shape[0]), True)  # the per-atom steps ignore the masses
        out = np.empty((nodes, X.shape[0], d + 1))
        out[0, :, :d], out[0, :, d] = X, _values(E.V.value, X)
        j = 1
        for k in range(K):
            if scheme == "minimizing_movement":
                mu = step(mu, tau)
            else:
                xi = E.field(mu)
                u = None if selection is None else np.asarray(space.ground.steepest_direction(xi, selection=selection), dtype=np.float64)
                mu = Empirical._trusted(mu.points - tau * _direction(space, mu, xi, u), mu.weights, True)
            if j < nodes and k + 1 == rec[j - 1]:
                out[j, :, :d], out[j, :, d] = mu.points, _values(E.V.value, mu.points)
                j += 1
        return out

    x0 = mu0.points
    packed = x0.map_blocks(block, new_axis=0, chunks=((nodes,), x0.chunks[0], (d + 1,)), dtype=np.float64,
                           meta=np.empty((0, 0, 0)))
    energies = _measure_energies(packed[..., d], mu0.weights, nodes)
    # the in-memory run's record (inner solver for the MMS, selection for the steepest descent), plus the chunks
    meta = {"scheme": scheme, "p": p if scheme == "minimizing_movement" else space.p, "tau": tau, "steps": K, "space": repr(space),
            "constraint": None, "record_every": record_every, "backend": "dask", "chunks": str(x0.chunks[0])}
    if scheme == "minimizing_movement":
        meta.update(inner=name, inner_guarantee=guarantee.format(g=getattr(step, "ground_guarantee", "")))
    else:
        meta["selection"] = "default" if selection is None else selection
    return Trajectory(times, packed[..., :d], energies, meta, weights=mu0.weights)


def chunked_adversary(loss: Any, mu: ChunkedEmpirical, eps: float, space: Any, labels: Any, inner: Any) -> tuple[Any, ChunkedEmpirical]:
    """:func:`~maxslope.wasserstein.distributional_adversary` on a chunked measure: per-atom steps, exact sum."""
    import dask.array as da
    from dask import delayed

    from ..energies import Negated, as_energy
    from ..schemes import minimizing_movement
    from .distance import _ground
    from .flows import _losses
    from .space import Wasserstein

    eps = check_positive_scalar(eps, "eps")
    W = Wasserstein(math.inf, _ground(space))
    if labels is None:
        losses = [as_energy(loss)]
        lab = da.zeros((mu.n,), dtype=np.int64, chunks=(mu.points.chunks[0],))
    else:
        if not is_dask_array(labels):
            labels = da.from_array(np.asarray(labels), chunks=(mu.points.chunks[0],))
        if tuple(labels.shape) != (mu.n,) or np.dtype(labels.dtype).kind not in "iu":
            raise ValueError(f"argument 'labels' must be an integer array of shape ({mu.n},), got {labels.dtype} {tuple(labels.shape)}")
        lo, hi = da.compute(labels.min(), labels.max())
        losses, _ = _losses(loss, np.array([lo, hi], dtype=np.int64), 2)  # validates the energies and the label range
        lab = labels.astype(np.int64).rechunk((mu.points.chunks[0],))
    probe = np.asarray(mu.points[:1])  # checks the energies and the inner solver eagerly on one atom
    minimizing_movement(Negated(losses[0]), W, Empirical._trusted(np.ascontiguousarray(probe), np.ones(1)), eps, steps=1, inner=inner)
    d = mu.dim

    def block(X: np.ndarray, y: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=np.float64)
        if not np.all(np.isfinite(X)):
            raise ValueError("argument 'mu' contains non-finite atoms (in one of its chunks)")
        out = np.empty((X.shape[0], d + 1))
        for c, f in enumerate(losses):  # the in-memory loop, restricted to this chunk's atoms
            idx = np.flatnonzero(y == c)
            if len(idx) == 0:
                continue
            part = Empirical._trusted(np.ascontiguousarray(X[idx]), np.full(len(idx), 1.0 / len(idx)))
            xs = minimizing_movement(Negated(f), W, part, eps, steps=1, inner=inner).final
            out[idx, :d] = np.asarray(xs)
            out[idx, d] = np.asarray(f.value(xs))
        return out

    packed = da.map_blocks(block, mu.points, lab[:, None], chunks=(mu.points.chunks[0], (d + 1,)), dtype=np.float64)
    terms = packed[:, d] * mu.weights
    value = da.from_delayed(delayed(_round_0d)(_parts_per_chunk(terms)), shape=(), dtype=np.float64)
    nu = ChunkedEmpirical._trusted(packed[:, :d], mu._weights)
    return value, nu
