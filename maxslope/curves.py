r"""Discrete curves :math:`t_0 < t_1 < \dots < t_K \mapsto x^0, \dots, x^K` and their interpolants."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._backend import as_float_array, check_real_scalar, namespace, to_numpy
from ._dask import check_batch_chunks, is_dask_array
from .spaces.base import MetricSpace, check_space

__all__ = ["Trajectory"]


@dataclass
class Trajectory:
    r"""Nodes :math:`(t_k, x^k)_{k=0}^K` of a curve, with energies and metadata.

    Attributes
    ----------
    times : numpy.ndarray, shape (K+1,)
        Strictly increasing node times (host NumPy float64; they are few).
    points : array, shape ``(K+1, *batch, d)``
        The nodes in the caller's array library. For a batch of start points the batch axes follow the time axis.
    energies : array, shape ``(K+1, *batch)``, optional
        :math:`E(x^k)` when the producer computed them.
    meta : dict
        What produced the curve: scheme, step size, geometry, selection rule, inner solver and its exactness
        guarantee, constraint, etc. Reports print it.
    weights : numpy.ndarray, shape (n,), optional
        Given for a **curve of measures** (a trajectory in :class:`~maxslope.wasserstein.Wasserstein`): then
        ``points`` has shape ``(K+1, n, d)`` and node :math:`k` is the measure
        :math:`\mu_k = \sum_i w_i \delta_{x^k_i}`. The particles :math:`i \mapsto (x^k_i)_k` are a representing
        measure of the curve; several particles may start at one atom (a mass split). The checks read the
        measures (exact :math:`W_p` between nodes), not the particle labels.

    Notes
    -----
    Two interpolants are provided: the piecewise-constant one
    :math:`\bar u(t) = x^k` for :math:`t \in (t_{k-1}, t_k]` (and :math:`\bar u(t_0) = x^0`) and the piecewise-linear
    one. They differ by at most :math:`\max_k d(x^{k+1}, x^k)` in sup-distance (claim C12).

    Parameters
    ----------
    times : array_like, shape (K+1,)
        Strictly increasing node times.
    points : array, shape ``(K+1, *batch, d)``
        The nodes, in any array library.
    energies : array, shape ``(K+1, *batch)``, optional
        :math:`E(x^k)`.
    meta : dict, optional
        Provenance.
    weights : array_like, shape (n,), optional
        For a curve of measures: the particle weights, summing to 1.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
    >>> tr.n_steps, tr.dim, tr.horizon, tr.at(0.75).tolist()
    (2, 2, 1.0, [0.5, 0.25])
    """

    times: Any
    points: Any
    energies: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
    weights: Any = None

    def __post_init__(self) -> None:
        t = np.asarray(to_numpy(self.times) if not isinstance(self.times, np.ndarray) else self.times)
        if t.dtype.kind not in "fiu":
            raise TypeError(f"argument 'times' must be a real array, got dtype {t.dtype}")
        t = t.astype(np.float64)
        if t.ndim != 1 or t.size < 1:
            raise ValueError(f"argument 'times' must be a non-empty 1-D array, got shape {t.shape}")
        if not np.all(np.isfinite(t)):
            raise ValueError("argument 'times' contains non-finite values")
        if t.size > 1 and not np.all(np.diff(t) > 0):
            raise ValueError("argument 'times' must be strictly increasing")
        self.times = t
        if self.weights is not None:
            self._init_measure_curve()
            return
        xp = namespace(points=self.points)
        if is_dask_array(self.points):  # a chunked run: checked per chunk by the scheme, never computed here
            check_batch_chunks(self.points, "points", min_ndim=2)
        else:
            self.points = as_float_array(self.points, "points", xp, min_ndim=2)
        if self.points.shape[0] != t.size:
            raise ValueError(f"argument 'points' has {self.points.shape[0]} nodes but 'times' has {t.size}")
        if self.points.shape[-1] == 0:  # as for curves of measures: a point has d >= 1 coordinates
            raise ValueError(f"argument 'points' must have d >= 1 coordinates (its last axis), got shape {tuple(self.points.shape)}")
        if self.energies is not None:
            if is_dask_array(self.energies) and is_dask_array(self.points):
                if np.dtype(self.energies.dtype).kind != "f":
                    raise TypeError(f"argument 'energies' must be a real floating array, got dtype {self.energies.dtype}")
            else:
                self.energies = as_float_array(self.energies, "energies", xp)
            if tuple(self.energies.shape) != tuple(self.points.shape[:-1]):
                raise ValueError(
                    f"argument 'energies' has shape {tuple(self.energies.shape)}, expected {tuple(self.points.shape[:-1])}"
                )
        self._xp = xp

    def _init_measure_curve(self) -> None:
        from .wasserstein.empirical import check_weights

        if is_dask_array(self.points):
            self._init_chunked_measure_curve()
            return
        xp = namespace(points=self.points, weights=self.weights)
        pts = np.array(to_numpy(as_float_array(self.points, "points", xp, min_ndim=3)), dtype=np.float64)
        if pts.ndim != 3 or pts.shape[0] != self.times.size or pts.shape[1] == 0 or pts.shape[2] == 0:
            raise ValueError(
                f"argument 'points' of a curve of measures must have shape (K+1, n, d) with K+1 = {self.times.size}, "
                f"n >= 1, d >= 1, got {pts.shape}"
            )
        self.weights = check_weights(self.weights, pts.shape[1], "weights")
        self.points = pts
        if self.energies is not None:
            e = np.array(to_numpy(as_float_array(self.energies, "energies", namespace(energies=self.energies))), dtype=np.float64)
            if e.shape != (self.times.size,):
                raise ValueError(f"argument 'energies' of a curve of measures must have shape ({self.times.size},), got {e.shape}")
            self.energies = e
        self._xp = namespace(points=pts)

    def _init_chunked_measure_curve(self) -> None:
        """A curve of measures whose particles are a Dask array (K+1, n, d), produced chunk by chunk."""
        check_batch_chunks(self.points, "points", min_ndim=3)
        if self.points.ndim != 3 or self.points.shape[0] != self.times.size:
            raise ValueError(f"argument 'points' of a curve of measures must have shape (K+1, n, d) with K+1 = {self.times.size}, "
                             f"got {tuple(self.points.shape)}")
        if not is_dask_array(self.weights) or tuple(self.weights.shape) != (self.points.shape[1],):
            raise ValueError(f"argument 'weights' of a chunked curve of measures must be a Dask array of shape ({self.points.shape[1]},)")
        if self.energies is not None and (not is_dask_array(self.energies) or tuple(self.energies.shape) != (self.times.size,)):
            raise ValueError(f"argument 'energies' of a chunked curve of measures must be a Dask array of shape ({self.times.size},)")
        self._xp = namespace(points=self.points)

    @property
    def is_measure_curve(self) -> bool:
        """True for a curve of measures (``weights`` given).

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.is_measure_curve
        False
        """
        return self.weights is not None

    def node(self, k: int) -> Any:
        r"""Node :math:`k`: the array :math:`x^k`, or for a curve of measures the :class:`Empirical` :math:`\mu_k`.

        Parameters
        ----------
        k : int
            The node index, :math:`0 \le k \le K` (negative indices count from the end).

        Returns
        -------
        array or Empirical
            :math:`x^k` or :math:`\mu_k`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.node(1).tolist()
        [0.5, 0.0]
        """
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not -self.times.size <= k < self.times.size:
            raise ValueError(f"argument 'k' must be an integer node index in [0, {self.n_steps}], got {k!r}")
        if self.weights is None:
            return self.points[int(k), ...]
        from .wasserstein.empirical import Empirical

        if is_dask_array(self.points):  # a chunked curve: this node is computed into memory
            import dask

            pts, w = dask.compute(self.points[int(k)], self.weights)
            return Empirical(pts, w)
        return Empirical._trusted(self.points[int(k)], self.weights)

    def particles(self) -> Trajectory:
        """The particle curves of a curve of measures as a batched trajectory in the ground space (batch = particles).

        Returns
        -------
        Trajectory
            Points of shape ``(K+1, n, d)`` with batch = particles, no weights.

        Examples
        --------
        >>> import numpy as np, maxslope as ms
        >>> mc = ms.Trajectory(np.array([0.0, 1.0]), np.array([[[0.0], [1.0]], [[0.5], [1.0]]]), weights=np.array([0.5, 0.5]))
        >>> mc.is_measure_curve, mc.particles().batch_shape
        (True, (2,))
        """
        if self.weights is None:
            raise ValueError("particles() is defined for curves of measures (a trajectory with weights)")
        if is_dask_array(self.points):
            return Trajectory(self.times.copy(), self.points, meta=dict(self.meta))
        return Trajectory(self.times.copy(), self.points.copy(), meta=dict(self.meta))

    def at(self, t: float) -> Any:
        """The point of the piecewise-linear interpolant at time ``t`` (for a curve of measures: of the particles).

        Parameters
        ----------
        t : float
            A time in :math:`[t_0, t_K]`.

        Returns
        -------
        array
            The interpolated point(s), shape ``(*batch, d)``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.at(0.25).tolist()
        [0.25, 0.0]
        """
        x = self.interpolate([check_real_scalar(t, "t")], "linear")[0]
        if self.weights is None:
            return x
        from .wasserstein.empirical import Empirical

        if is_dask_array(self.points):
            import dask

            pts, w = dask.compute(x, self.weights)
            return Empirical(pts, w)
        return Empirical._trusted(np.ascontiguousarray(x), self.weights)

    # ------------------------------------------------------------------ shape information
    @property
    def n_steps(self) -> int:
        """K, the number of steps (nodes − 1).

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.n_steps
        2
        """
        return int(self.times.size - 1)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The batch axes of the points (empty for a curve of measures: its particles are not a batch).

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.batch_shape
        ()
        """
        if self.weights is not None:
            return ()
        return tuple(self.points.shape[1:-1])

    @property
    def dim(self) -> int:
        r"""The dimension :math:`d` of the points (the last axis).

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.dim
        2
        """
        return int(self.points.shape[-1])

    @property
    def final(self) -> Any:
        """The last node :math:`x^K`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.final.tolist()
        [0.5, 0.5]
        """
        return self.points[-1, ...]

    @property
    def horizon(self) -> float:
        r"""The final time :math:`t_K`.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.horizon
        1.0
        """
        return float(self.times[-1] - self.times[0])

    # ------------------------------------------------------------------ interpolants
    def interpolate(self, t: Any, kind: str = "linear") -> Any:
        r"""Evaluate an interpolant at the times ``t`` (host array-like), shape ``(len(t), *batch, d)``.

        ``kind="linear"``: piecewise linear; ``kind="constant"``: :math:`\bar u(t) = x^k` for
        :math:`t \in (t_{k-1}, t_k]`. Times outside :math:`[t_0, t_K]` raise ``ValueError``.

        Parameters
        ----------
        t : array_like
            Times in :math:`[t_0, t_K]`.
        kind : {"linear", "constant"}
            The interpolant.

        Returns
        -------
        array
            Shape ``(len(t), *batch, d)``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.interpolate([0.25, 0.75]).tolist(), tr.interpolate([0.25], "constant").tolist()
        ([[0.25, 0.0], [0.5, 0.25]], [[0.5, 0.0]])
        """
        arr = np.asarray(t)
        if arr.dtype.kind not in "fiu":
            raise TypeError(f"argument 't' must be a real time or a 1-D array of real times, got dtype {arr.dtype}")
        tt = np.atleast_1d(arr.astype(np.float64))
        if tt.ndim != 1:
            raise ValueError(f"argument 't' must be a real time or a 1-D array of real times, got shape {arr.shape}")
        if not np.all(np.isfinite(tt)):
            raise ValueError("argument 't' contains non-finite values")
        lo, hi = self.times[0], self.times[-1]
        span = max(hi - lo, 1.0)
        if np.any(tt < lo - 1e-12 * span) or np.any(tt > hi + 1e-12 * span):
            raise ValueError(f"argument 't' must lie in [{lo}, {hi}]")
        tt = np.clip(tt, lo, hi)
        xp = self._xp
        if kind == "constant":
            idx = np.searchsorted(self.times, tt, side="left")
            return xp.take(self.points, xp.asarray(idx, dtype=xp.int64), axis=0)
        if kind != "linear":
            raise ValueError(f"argument 'kind' must be 'linear' or 'constant', got {kind!r}")
        if self.times.size == 1:
            return xp.take(self.points, xp.asarray(np.zeros(tt.size, dtype=np.int64)), axis=0)
        k = np.clip(np.searchsorted(self.times, tt, side="right") - 1, 0, self.times.size - 2)
        w = (tt - self.times[k]) / (self.times[k + 1] - self.times[k])
        a = xp.take(self.points, xp.asarray(k, dtype=xp.int64), axis=0)
        b = xp.take(self.points, xp.asarray(k + 1, dtype=xp.int64), axis=0)
        ww = xp.asarray(w, dtype=self.points.dtype)
        ww = xp.reshape(ww, (tt.size,) + (1,) * (self.points.ndim - 1))
        return a + ww * (b - a)

    # ------------------------------------------------------------------ metric quantities
    def increments(self, space: MetricSpace) -> Any:
        """:math:`d(x^{k+1}, x^k)`, shape ``(K, *batch)``.

        Parameters
        ----------
        space : MetricSpace
            The space whose distance is measured.

        Returns
        -------
        array
            Shape ``(K, *batch)``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.increments(ms.Lp(2.0)).tolist()
        [0.5, 0.5]
        """
        check_space(space, "space")
        if self.n_steps == 0:
            raise ValueError("a trajectory with a single node has no increments")
        if self.weights is not None:
            return np.asarray(space.distance([self.node(k + 1) for k in range(self.n_steps)], [self.node(k) for k in range(self.n_steps)]))
        return space.distance(self.points[1:, ...], self.points[:-1, ...])

    def metric_derivative(self, space: MetricSpace) -> Any:
        r"""Difference quotients :math:`d(x^{k+1}, x^k)/(t_{k+1} - t_k)`, shape ``(K, *batch)``.

        For the piecewise-linear interpolant in a normed space this is exactly its metric derivative
        :math:`|u'|` on :math:`(t_k, t_{k+1})`.

        Parameters
        ----------
        space : MetricSpace
            The space whose distance is measured.

        Returns
        -------
        array
            Shape ``(K, *batch)``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.metric_derivative(ms.Lp(2.0)).tolist()
        [1.0, 1.0]
        """
        if self.weights is not None:
            return self.increments(space) / np.diff(self.times)
        xp = self._xp
        dt = xp.asarray(np.diff(self.times), dtype=self.points.dtype)
        dt = xp.reshape(dt, (self.n_steps,) + (1,) * (self.points.ndim - 2))
        return self.increments(space) / dt

    def lipschitz_constant(self, space: MetricSpace) -> Any:
        """:math:`\\max_k d(x^{k+1}, x^k)/(t_{k+1} - t_k)` per batch element (the interpolant's Lipschitz constant).

        Parameters
        ----------
        space : MetricSpace
            The space whose distance is measured.

        Returns
        -------
        array or float
            One constant per batch element.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> float(tr.lipschitz_constant(ms.Lp(math.inf)))
        1.0
        """
        return self._xp.max(self.metric_derivative(space), axis=0)

    def length(self, space: MetricSpace) -> Any:
        """:math:`\\sum_k d(x^{k+1}, x^k)` per batch element.

        Parameters
        ----------
        space : MetricSpace
            The space whose distance is measured.

        Returns
        -------
        array or float
            One length per batch element.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> float(tr.length(ms.Lp(1.0)))
        1.0
        """
        return self._xp.sum(self.increments(space), axis=0)

    def energy_values(self, E: Any) -> Any:
        """:math:`E(x^k)`, shape ``(K+1, *batch)`` (computed with ``E`` if the trajectory has none).

        Parameters
        ----------
        E : Energy or MeasureEnergy
            The energy, used only when the trajectory stores no energies.

        Returns
        -------
        array
            Shape ``(K+1, *batch)``.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 0.5, 1.0]), np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]))
        >>> tr.energy_values(ms.Linear([1.0, 1.0])).tolist()
        [0.0, 0.5, 1.0]
        """
        if self.energies is not None:
            return self.energies
        if self.weights is not None:
            return np.array([float(E.value(self.node(k))) for k in range(self.times.size)])
        return E.value(self.points)

    def select(self, index: Any) -> Trajectory:
        """The sub-trajectory of one batch element (``index`` indexes the batch axes).

        Parameters
        ----------
        index : int or tuple of int
            An index into the batch axes.

        Returns
        -------
        Trajectory
            The curve of that batch element, with its energies.

        Examples
        --------
        >>> import numpy as np, maxslope as ms
        >>> tr = ms.Trajectory(np.array([0.0, 1.0]), np.zeros((2, 3, 2)))
        >>> tr.batch_shape, tr.select(1).batch_shape
        ((3,), ())
        """
        if self.weights is not None:
            raise ValueError("a curve of measures has no batch axes to select from; use particles()")
        idx = index if isinstance(index, tuple) else (index,)
        batch = self.batch_shape
        if len(idx) > len(batch) or any(isinstance(i, bool) or not isinstance(i, (int, np.integer)) for i in idx):
            raise TypeError(f"argument 'index' must be an integer or a tuple of at most {len(batch)} integers (the batch "
                            f"axes {batch}), got {index!r}")
        for i, n in zip(idx, batch, strict=False):
            if not -n <= i < n:
                raise ValueError(f"argument 'index' {index!r} is out of range for the batch shape {batch}")
        pts = self.points[(slice(None),) + idx + (Ellipsis,)]
        en = None if self.energies is None else self.energies[(slice(None),) + idx]
        return Trajectory(self.times.copy(), pts, en, dict(self.meta))

    def __repr__(self) -> str:
        tau = self.meta.get("tau")
        taus = f", tau={tau:g}" if isinstance(tau, float) and math.isfinite(tau) else ""
        what = f"measures of {self.points.shape[1]} particles" if self.weights is not None else f"batch={self.batch_shape}"
        return (
            f"Trajectory(K={self.n_steps}, {what}, d={self.dim}, "
            f"t=[{self.times[0]:g}, {self.times[-1]:g}]{taus}, scheme={self.meta.get('scheme', '?')!r})"
        )
