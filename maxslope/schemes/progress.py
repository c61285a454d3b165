"""Progress of a running scheme: a callback after every step, a ready-made printer, and a progress bar.

``minimizing_movement(..., callback=f)`` and ``steepest_descent(..., callback=f)`` call ``f(progress)`` after each
step with a :class:`Progress`; a callback that returns ``True`` stops the run after that step (the trajectory ends
at the current node and ``meta["stopped_at"]`` records the step). :func:`print_progress` builds an ``f`` that prints
one line every few steps. ``progress=True`` shows a tqdm bar when standard error is a terminal and stays quiet
otherwise (logs, CI, pipes); ``progress=stream`` always draws it on that stream.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np

from .._backend import to_numpy

__all__ = ["Progress", "print_progress"]


@dataclass
class Progress:
    """The state of a scheme after one step, handed to the ``callback`` of a scheme.

    Parameters
    ----------
    step : int
        The step just taken, :math:`k + 1` (1 … ``steps``).
    steps : int
        The number of steps :math:`K` of the run.
    t : float
        The time :math:`t_{k+1} = (k + 1)\\tau` of the new node.
    x : array or Empirical
        The new iterate :math:`x^{k+1}` (a batch of points, or a measure in a Wasserstein space), in the run's
        own library and dtype. Do not modify it: the scheme continues from it.
    elapsed : float
        Wall-clock seconds since the scheme started.
    _energy, _value
        Internal: how to compute :attr:`energy`, and its value once computed.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.schemes import steepest_descent
    >>> seen = []
    >>> _ = steepest_descent(ms.Linear([1.0]), ms.Lp(math.inf), np.zeros(1), 0.1, steps=3,
    ...                      callback=lambda pr: seen.append((pr.step, round(pr.t, 2), round(float(pr.energy), 12))))
    >>> seen
    [(1, 0.1, -0.1), (2, 0.2, -0.2), (3, 0.3, -0.3)]
    """

    step: int
    steps: int
    t: float
    x: Any
    elapsed: float
    _energy: Callable[[], Any] = field(repr=False)
    _value: Any = field(default=None, repr=False)

    @property
    def energy(self) -> Any:
        """:math:`E(x^{k+1})` (one value per batch point), computed on first access if the scheme had not.

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.schemes import steepest_descent
        >>> out = []
        >>> _ = steepest_descent(ms.Linear([2.0]), ms.Lp(math.inf), np.zeros(1), 0.5, steps=1, callback=lambda pr: out.append(float(pr.energy)))
        >>> out
        [-1.0]
        """
        if self._value is None:
            self._value = self._energy()
        return self._value


def print_progress(every: int = 1, file: TextIO | None = None) -> Callable[[Progress], None]:
    """A callback that prints ``step k/K  t=…  E=…  (… s)`` every ``every`` steps and after the last.

    The energy shown is the mean over the batch (with its minimum and maximum for a batch of several points).

    Parameters
    ----------
    every : int
        Print every ``every``-th step (a positive integer).
    file : text stream, optional
        Where to print (default ``sys.stderr``, so that the run's own output stays clean).

    Returns
    -------
    callable
        The callback, ``f(progress) -> None``.

    Examples
    --------
    >>> import math, sys, numpy as np, maxslope as ms
    >>> from maxslope.schemes import steepest_descent, print_progress
    >>> E = ms.SeparableQuadratic(np.array([1.0, 3.0]))
    >>> tr = steepest_descent(E, ms.Lp(math.inf), np.array([0.5, -0.2]), 0.1, steps=2,
    ...                       callback=print_progress(file=sys.stdout))  # doctest: +ELLIPSIS
    step 1/2  t=0.1  E=0.0...
    step 2/2  t=0.2  E=0.0...
    """
    if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
        raise ValueError(f"argument 'every' must be a positive integer, got {every!r}")
    if file is not None and not callable(getattr(file, "write", None)):
        raise TypeError(f"argument 'file' must be a text stream with a write method, got {type(file).__name__}")

    def show(pr: Progress) -> None:
        if pr.step % every and pr.step != pr.steps:
            return
        e = np.asarray(to_numpy(pr.energy), dtype=np.float64).reshape(-1)
        spread = f" [{e.min():.6g}, {e.max():.6g}]" if e.size > 1 else ""
        out = file if file is not None else sys.stderr
        print(f"step {pr.step}/{pr.steps}  t={pr.t:.6g}  E={e.mean():.6g}{spread}  ({pr.elapsed:.2f} s)", file=out, flush=True)

    return show


def check_callback(callback: Any) -> Callable[[Progress], Any] | None:
    """``callback`` if it is None or callable; a TypeError naming the argument otherwise."""
    if callback is not None and not callable(callback):
        raise TypeError(f"argument 'callback' must be a callable taking a Progress, or None, got {type(callback).__name__}")
    return callback  # type: ignore[no-any-return]


def check_progress(progress: Any) -> Any:
    """``progress`` if it is a bool or a text stream; a TypeError naming the argument otherwise."""
    if isinstance(progress, (bool, np.bool_)):
        return bool(progress)
    if progress is None:
        return False
    if not callable(getattr(progress, "write", None)):
        raise TypeError(f"argument 'progress' must be True, False or a text stream, got {type(progress).__name__}")
    return progress


def progress_stream(progress: Any) -> TextIO | None:
    """Where a bar goes: None for ``False``, or for ``True`` when standard error is not a terminal."""
    progress = check_progress(progress)
    if progress is False:
        return None
    if progress is True:
        err = sys.stderr
        return err if err is not None and getattr(err, "isatty", lambda: False)() else None
    return progress  # type: ignore[no-any-return]


def with_progress(callback: Callable[[Progress], Any] | None, progress: Any, what: str = "steps") -> Callable[[Progress], Any] | None:
    """The user's ``callback`` followed by a tqdm bar over the run's steps, when ``progress`` asks for one.

    The bar shows the mean energy where the scheme has computed it (it never evaluates the energy itself), and it
    closes after the last step or when the callback stops the run.
    """
    stream = progress_stream(progress)
    if stream is None:
        return callback
    from tqdm import tqdm

    state: dict[str, Any] = {}

    def cb(pr: Progress) -> bool:
        stop = callback(pr) is True if callback is not None else False
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(total=pr.steps, file=stream, unit=what[:-1] if what.endswith("s") else what,
                                      leave=True, dynamic_ncols=True)
        bar.update(pr.step - bar.n)
        if pr._value is not None:
            e = np.asarray(to_numpy(pr._value), dtype=np.float64).reshape(-1)
            bar.set_postfix_str(f"t={pr.t:.4g} E={e.mean():.6g}", refresh=False)
        if stop or pr.step >= pr.steps:
            bar.close()
        return stop

    return cb


class _Reporter:
    """Calls ``callback(Progress(...))`` after each step (a no-op without a callback)."""

    def __init__(self, callback: Callable[[Progress], Any] | None, steps: int, energy: Callable[[Any], Any]) -> None:
        self.callback, self.steps, self.energy = callback, steps, energy
        self.t0 = time.perf_counter()
        self.stopped_at: int | None = None

    def __call__(self, k: int, tau: float, x: Any, value: Any = None) -> bool:
        """Report step k + 1; True when the callback asks the scheme to stop."""
        if self.callback is None:
            return False
        out = self.callback(Progress(k + 1, self.steps, (k + 1) * tau, x, time.perf_counter() - self.t0, lambda: self.energy(x), value))
        if out is True and k + 1 < self.steps:
            self.stopped_at = k + 1
            return True
        return False


def progress_iter(items: Any, progress: Any, desc: str, unit: str = "run") -> Any:
    """``items`` wrapped in a tqdm bar when ``progress`` asks for one (see :func:`progress_stream`), else as is."""
    stream = progress_stream(progress)
    if stream is None:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit, file=stream, leave=True, dynamic_ncols=True)


def is_chunked(x0: Any) -> bool:
    """Whether a scheme's start runs in chunks (a Dask array or a ChunkedEmpirical), which takes no callback."""
    from .._dask import is_dask_array
    from ..wasserstein.chunked import ChunkedEmpirical

    return bool(is_dask_array(x0)) or isinstance(x0, ChunkedEmpirical)


def no_callback_for_chunks(callback: Any) -> None:
    """Refuse a callback for a chunked (Dask) run, whose chunks run as separate tasks."""
    if callback is not None:
        raise ValueError("argument 'callback' is not available for Dask or chunked inputs: their chunks run as separate "
                         "tasks (follow them on the Dask dashboard)")
