r"""Exact minimum s–t cuts for the perimeter steps: the maximal source side, by one of two max-flow codes.

* ``"bk"``: PyMaxflow's Boykov–Kolmogorov max-flow (a core dependency). PyMaxflow puts the nodes of neither
  search tree on the source side, so its source side is the complement of the sink tree: the *maximal* source set
  of a minimum cut.
* ``"hpf"``: Hochbaum's pseudoflow (the ``pseudoflow`` package, the reference implementation by Chandran, Spaen and
  Hochbaum, optional: ``pip install maxslope[hpf]``; note its licence, free for research and not-for-profit use
  only). Its source set is the set of strong nodes at termination, the *minimal* source set of a minimum cut; the
  maximal source set of a graph is the complement of the minimal source set of the reversed graph (arcs reversed,
  s and t exchanged), which is what is solved. On the perimeter graphs its solve phase grows about linearly in the
  number of arcs, where Boykov–Kolmogorov grows like arcs^1.7 (its augmenting paths must travel ~√τ to the fidelity
  that pays for the perimeter).

Both are exact in floating point in the same sense: each compares residual capacities to 0. ``"auto"`` picks
``"hpf"`` when it is installed and the graph fits in memory, ``"bk"`` otherwise. The library is called through
ctypes with one arc matrix: its own Python wrapper builds a networkx graph (and passes four times the arc count).
The C code keeps its state in globals, so calls are serialized by a lock, and it exits the process when malloc
fails, so the memory it needs (about 190 bytes per arc) is checked against the available memory first.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from typing import Any

import numpy as np

__all__: list[str] = []

BACKENDS = ("auto", "bk", "hpf")
#: the backend of every cut; tests set it to compare the two
BACKEND = "auto"
_LOCK = threading.Lock()
_HPF: Any = None
_BYTES_PER_ARC = 190  # the input matrix (32), two copies of the C Arc struct (2 × 64) and adjacency pointers (2 × 8)


def _load_hpf() -> Any:
    """The ``hpf_solve`` entry of pseudoflow's shared library, or None when pseudoflow is not installed."""
    global _HPF
    if _HPF is None:
        try:
            import pseudoflow
        except ImportError:
            _HPF = False
            return None
        libs = sorted(glob.glob(os.path.join(os.path.dirname(pseudoflow.__file__), "libhpf*")))
        if not libs:  # pragma: no cover - a broken install
            _HPF = False
            return None
        lib = ctypes.cdll.LoadLibrary(libs[0])
        f = lib.hpf_solve
        P = ctypes.POINTER
        f.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, P(ctypes.c_double), ctypes.c_double * 2, ctypes.c_int,
                      P(ctypes.c_int), P(P(ctypes.c_int)), P(P(ctypes.c_double)), ctypes.c_int * 5, ctypes.c_double * 3]
        f.restype = None
        _HPF = (lib, f)
    return _HPF or None


def have_hpf() -> bool:
    """Whether the pseudoflow backend is installed."""
    return _load_hpf() is not None


def _available_bytes() -> float:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    try:  # pragma: no cover - not Linux
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return 0.0


def backend_for(n_arcs: int, backend: str | None = None) -> str:
    """The backend that ``backend`` (default: the module's BACKEND) resolves to for a graph of ``n_arcs`` arcs."""
    b = BACKEND if backend is None else backend
    if b not in BACKENDS:
        raise ValueError(f"the cut backend must be one of {BACKENDS}, got {b!r}")
    if b == "bk":
        return "bk"
    fits = n_arcs < 2**31 - 1 and n_arcs * _BYTES_PER_ARC < 0.6 * _available_bytes()
    if b == "hpf":
        if not have_hpf():
            raise ImportError("the 'hpf' cut backend needs pseudoflow: pip install pseudoflow")
        if not fits:
            raise MemoryError(f"the pseudoflow backend needs about {n_arcs * _BYTES_PER_ARC / 2**30:.1f} GiB for {n_arcs} arcs")
        return "hpf"
    return "hpf" if have_hpf() and fits else "bk"


def maximal_source_side(n: int, tail: np.ndarray, head: np.ndarray, cap: np.ndarray, s_cap: np.ndarray, t_cap: np.ndarray,
                        backend: str | None = None) -> np.ndarray:
    """The maximal source set of a minimum s–t cut, as a bool array over the ``n`` inner nodes.

    Inner arcs ``tail → head`` with capacities ``cap``; terminal arcs s → i with ``s_cap[i]`` and i → t with
    ``t_cap[i]`` (all finite and ≥ 0; "infinite" arcs are given a capacity larger than every cut)."""
    which = backend_for(len(tail) + 2 * n, backend)
    if n == 0:
        return np.zeros(0, dtype=bool)
    if which == "bk":
        import maxflow

        g = maxflow.GraphFloat()
        g.add_nodes(n)
        g.add_edges(tail, head, cap, np.zeros(len(tail)))
        g.add_grid_tedges(np.arange(n), s_cap, t_cap)
        g.maxflow()
        return ~np.asarray(g.get_grid_segments(np.arange(n)), dtype=bool)
    # the reversed graph: source t (node 0), sink s (node n + 1), inner node i is i + 1; its minimal source set is
    # the complement of the original maximal source set
    ks, kt = np.flatnonzero(s_cap > 0), np.flatnonzero(t_cap > 0)
    keep = cap > 0
    m = int(keep.sum()) + len(ks) + len(kt)
    arc = np.empty((m, 4))
    e = int(keep.sum())
    arc[:e, 0] = head[keep] + 1
    arc[:e, 1] = tail[keep] + 1
    arc[:e, 2] = cap[keep]
    arc[e:e + len(kt), 0] = 0
    arc[e:e + len(kt), 1] = kt + 1
    arc[e:e + len(kt), 2] = t_cap[kt]
    arc[e + len(kt):, 0] = ks + 1
    arc[e + len(kt):, 1] = n + 1
    arc[e + len(kt):, 2] = s_cap[ks]
    arc[:, 3] = 0.0
    lib, f = _load_hpf()
    P = ctypes.POINTER
    nb, cuts, bps = ctypes.c_int(0), P(ctypes.c_int)(), P(ctypes.c_double)()
    with _LOCK:
        f(n + 2, m, 0, n + 1, arc.ctypes.data_as(P(ctypes.c_double)), (ctypes.c_double * 2)(0.0, 0.0), 0,
          ctypes.byref(nb), ctypes.byref(cuts), ctypes.byref(bps), (ctypes.c_int * 5)(), (ctypes.c_double * 3)())
        try:
            side = np.ctypeslib.as_array(cuts, shape=(n + 2,))[1:n + 1].astype(bool)
        finally:
            lib.libfree(cuts)
            lib.libfree(bps)
    return ~side
