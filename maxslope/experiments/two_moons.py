r"""The two-moons experiment of Weigand–Roith–Burger: IFGSM against the minimizing-movement scheme.

Everything runs in NumPy: the data generator, the classifier (forward pass in eval mode and its analytic input
gradient), a trainer, and a reader for PyTorch state-dict files, so neither torch nor scikit-learn is needed.

* Data: :func:`make_moons`, the recipe of ``sklearn.datasets.make_moons`` (two interleaved half circles plus
  Gaussian noise), seeded; the points differ from scikit-learn's (another generator), the distribution does not.
* Classifier (:class:`MoonsClassifier`): Linear(2,20) → σ → BatchNorm1d(20) → Linear(20,20) → σ → BN → Linear(20,20)
  → σ → BN → Linear(20,1) → Sigmoid, σ = ReLU or exact (erf) GELU, BN with running statistics (eval mode);
  parameters named as in the authors' ``torch.nn.Sequential`` state dicts.
* Attack loss :math:`\ell(x) = |h(x) - y|^2` with :math:`y = 1[h(x_0) > 0.5]`, the class predicted at the start
  point (as in the paper's code); the flow decreases :math:`E = -\ell`.
* Schemes: IFGSM (clipped to the budget box) and the budget-constrained minimizing movement
  :math:`x^{k+1} \in \arg\max\{\ell(x) : \|x - x^k\|_\infty \le \tau,\ \|x - x_0\|_\infty \le \varepsilon\}`.
"""

from __future__ import annotations

import math
import pickle
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import erf

from .._backend import as_float_array, check_finite, check_int, check_positive_scalar
from ..attacks import ifgsm
from ..energies import Energy, Negated
from ..schemes import CBOInner, GridInner, minimizing_movement
from ..schemes.progress import check_progress, progress_iter
from ..spaces import Box, Lp
from ._data import labelled

__all__ = [
    "make_moons",
    "MoonsClassifier",
    "AttackLoss",
    "train_classifier",
    "load_state_dict",
    "difference_study",
    "DifferenceStudy",
    "get_inner",
    "format_table",
    "plot_paths",
    "plot_differences",
    "path_figure",
    "difference_figure",
    "run_experiment",
    "SPEC_START_POINTS",
    "NOTEBOOK_THIRD_START",
    "notebook_cases",
]

ACTIVATIONS = ("relu", "gelu")
WIDTH = 20
#: figure start points and budgets of the paper's notebook
SPEC_START_POINTS = {"relu": ((0.1, 0.55), 0.2), "gelu": ((0.45, 0.3), 0.25)}
#: the third start point of the notebook, run with τ = 10⁻³ for 1000 steps
NOTEBOOK_THIRD_START = (-0.3214, -0.5019)
_LINEAR = ("0", "3", "6", "9")
_BN = ("2", "5", "8")


def _check_model(model: Any) -> MoonsClassifier:
    if not isinstance(model, MoonsClassifier):
        raise TypeError(f"argument 'model' must be a MoonsClassifier, got {type(model).__name__}")
    return model


def _check_studies(studies: Any) -> list[DifferenceStudy]:
    if not isinstance(studies, (list, tuple)) or not studies or not all(isinstance(s, DifferenceStudy) for s in studies):
        raise TypeError(f"argument 'studies' must be a non-empty list of DifferenceStudy, got {type(studies).__name__}")
    if len({tuple(s.taus) for s in studies}) != 1:
        raise ValueError("argument 'studies' must share one list of step sizes")
    return list(studies)


def _check_out(out: Any) -> Path:
    if not isinstance(out, (str, Path)) or not str(out):
        raise TypeError(f"argument 'out' must be a folder path (str or Path), got {type(out).__name__}")
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ValueError(f"argument 'out' ({str(path)!r}) exists and is not a folder")
    return path


def _check_start(x0: Any) -> np.ndarray:
    a = as_float_array(x0, "x0", np, min_ndim=1)
    if a.shape != (2,):
        raise ValueError(f"argument 'x0' must be a point of the plane (2 numbers), got shape {a.shape}")
    check_finite(a, "x0", np)
    return a  # type: ignore[no-any-return]


def make_moons(n: int = 1000, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's recipe): ``n`` points (n//2 outer, label 0), Gaussian noise.

    Parameters
    ----------
    n : int
        The number of points, >= 2.
    noise : float
        The standard deviation of the Gaussian noise, >= 0.
    seed : int
        The seed.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Points (n, 2) and 0/1 labels (n,).

    Examples
    --------
    >>> from maxslope.experiments.two_moons import make_moons
    >>> X, y = make_moons(10, seed=0)
    >>> X.shape, int(y.sum())
    ((10, 2), 5)
    """
    n = check_int(n, "n", 2)
    noise = check_positive_scalar(noise, "noise", allow_zero=True)
    seed = check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    a, b = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.concatenate([np.stack([np.cos(a), np.sin(a)], 1), np.stack([1 - np.cos(b), 1 - np.sin(b) - 0.5], 1)])
    y = np.concatenate([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    perm = rng.permutation(n)
    X, y = X[perm], y[perm]
    return X + noise * rng.normal(size=X.shape), y


def _act(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "relu":
        return np.maximum(z, 0.0)
    return 0.5 * z * (1.0 + erf(z / math.sqrt(2.0)))  # type: ignore[no-any-return]


def _dact(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "relu":
        return (z > 0).astype(z.dtype)  # torch's ReLU derivative at 0 is 0
    return 0.5 * (1.0 + erf(z / math.sqrt(2.0))) + z * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)  # type: ignore[no-any-return]


class MoonsClassifier:
    r"""The paper's classifier :math:`h : \mathbb R^2 \to (0, 1)` in eval mode, in float64.

    Parameters
    ----------
    state : mapping
        Parameters named as in the authors' state dicts (``"0.weight"`` … ``"9.bias"``, BN ``running_mean`` /
        ``running_var``); values are arrays (float32 weights are evaluated in float64).
    activation : {"relu", "gelu"}
    bn_eps : float
        BatchNorm's :math:`\epsilon` (torch default 1e-5).

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.experiments.two_moons import make_moons, train_classifier
    >>> model = train_classifier("gelu", epochs=3)
    >>> h, g = model.value_and_grad(np.zeros((3, 2)))
    >>> h.shape, g.shape, bool(((0 < h) & (h < 1)).all())
    ((3,), (3, 2), True)
    """

    def __init__(self, state: dict[str, Any], activation: str, bn_eps: float = 1e-5) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"argument 'activation' must be one of {ACTIVATIONS}, got {activation!r}")
        self.activation = activation
        self.bn_eps = check_positive_scalar(bn_eps, "bn_eps")
        if not isinstance(state, dict):
            raise TypeError(f"argument 'state' must be a dict of parameter arrays, got {type(state).__name__}")
        shapes = {"0.weight": (WIDTH, 2), "3.weight": (WIDTH, WIDTH), "6.weight": (WIDTH, WIDTH), "9.weight": (1, WIDTH), "9.bias": (1,)}
        for k in ("0", "3", "6"):
            shapes[f"{k}.bias"] = (WIDTH,)
        for k in _BN:
            for s in ("weight", "bias", "running_mean", "running_var"):
                shapes[f"{k}.{s}"] = (WIDTH,)
        p: dict[str, np.ndarray] = {}
        for key, shape in shapes.items():
            if key not in state:
                raise ValueError(f"argument 'state' lacks parameter {key!r} (expected the Sequential layout of the paper's notebook: Linear, activation, ..., Linear)")
            v = as_float_array(np.asarray(state[key]), f"state[{key!r}]", np)
            if v.shape != shape:
                raise ValueError(f"argument 'state': parameter {key!r} has shape {v.shape}, expected {shape}")
            if not np.all(np.isfinite(v)):
                raise ValueError(f"argument 'state': parameter {key!r} contains non-finite values")
            p[key] = v
        if np.any(np.concatenate([p[f"{k}.running_var"] for k in _BN]) < 0):
            raise ValueError("argument 'state': BatchNorm running_var must be non-negative")
        self.params = p

    @classmethod
    def from_file(cls, path: str | Path, activation: str) -> MoonsClassifier:
        """Load a PyTorch state-dict file (``torch.save(model.state_dict())``) without torch.

        Parameters
        ----------
        path : str or Path
            A ``torch.save`` zip file of the authors' state dict.
        activation : {"gelu", "relu"}
            The network's activation.

        Returns
        -------
        MoonsClassifier
            The network.

        Examples
        --------
        >>> import os
        >>> from pathlib import Path
        >>> from maxslope.experiments.two_moons import MoonsClassifier, make_moons
        >>> data = Path(os.environ.get("MAXSLOPE_TWO_MOONS_DATA", "../shared/data/two_moons"))
        >>> path = data / "two_moons_GeLU.pt"  # the authors' trained network, where the data sit beside the checkout
        >>> model = MoonsClassifier.from_file(path, "gelu") if path.is_file() else None
        >>> model is None or (model.activation, model.accuracy(*make_moons(500, seed=0)) > 0.95) == ("gelu", True)
        True
        """
        return cls(load_state_dict(path), activation)

    def state_dict(self) -> dict[str, np.ndarray]:
        r"""The weights as a dict of arrays, with the key names of the authors' torch model.

        Returns
        -------
        dict of str to numpy.ndarray
            The layer weights and biases.

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.experiments.two_moons import make_moons, train_classifier
        >>> model = train_classifier("gelu", epochs=3)
        >>> sorted(model.state_dict())[:2]
        ['0.bias', '0.weight']
        """
        return {k: v.copy() for k, v in self.params.items()}

    def _layers(self, x: np.ndarray) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
        p, a = self.params, x
        cache = []
        for lin, bn in zip(_LINEAR[:3], _BN, strict=True):
            z = a @ p[f"{lin}.weight"].T + p[f"{lin}.bias"]
            s = p[f"{bn}.weight"] / np.sqrt(p[f"{bn}.running_var"] + self.bn_eps)
            a = (_act(z, self.activation) - p[f"{bn}.running_mean"]) * s + p[f"{bn}.bias"]
            cache.append((z, s))
        return cache, (a @ p["9.weight"].T + p["9.bias"])[..., 0]

    def __call__(self, x: Any) -> np.ndarray:
        """:math:`h(x)` for points of shape (..., 2)."""
        x = _points(x)
        return 1.0 / (1.0 + np.exp(-self._layers(x)[1]))  # type: ignore[no-any-return]

    def value_and_grad(self, x: Any) -> tuple[np.ndarray, np.ndarray]:
        r""":math:`h(x)` and :math:`\nabla h(x)` (backpropagation through the eval-mode network).

        Parameters
        ----------
        x : array_like
            Points, shape (..., 2).

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            :math:`h(x)`, shape (...), and :math:`\nabla h(x)`, shape (..., 2).

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.experiments.two_moons import make_moons, train_classifier
        >>> model = train_classifier("gelu", epochs=3)
        >>> x = np.array([0.3, -0.2])
        >>> h, g = model.value_and_grad(x)
        >>> fd = (model(x + [1e-6, 0]) - model(x - [1e-6, 0])) / 2e-6
        >>> bool(abs(g[0] - fd) < 1e-6)
        True
        """
        x = _points(x)
        cache, logit = self._layers(x)
        h = 1.0 / (1.0 + np.exp(-logit))
        g = (h * (1 - h))[..., None] * self.params["9.weight"][0]  # d h / d a3
        for (z, s), lin in zip(reversed(cache), reversed(_LINEAR[:3]), strict=True):
            g = (g * s * _dact(z, self.activation)) @ self.params[f"{lin}.weight"]
        return h, g

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        r"""The share of correctly classified points.

        Parameters
        ----------
        X : numpy.ndarray
            Points, shape (n, 2).
        y : numpy.ndarray
            Labels, shape (n,).

        Returns
        -------
        float
            In [0, 1].

        Examples
        --------
        >>> import numpy as np
        >>> from maxslope.experiments.two_moons import make_moons, train_classifier
        >>> model = train_classifier("gelu", epochs=3)
        >>> 0.0 <= model.accuracy(*make_moons(50, seed=2)) <= 1.0
        True
        """
        X, y = labelled(X, y, 2)
        if X.shape[1] != 2:
            raise ValueError(f"argument 'X' must have shape (n, 2), got {X.shape}")
        return float(np.mean((self(X) > 0.5) == (y == 1)))


def _points(x: Any) -> np.ndarray:
    x = as_float_array(x, "x", np, min_ndim=1)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(f"argument 'x' must have shape (..., 2), got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("argument 'x' contains non-finite values")
    return x


class AttackLoss(Energy):
    r"""The attack loss :math:`\ell(x) = |h(x) - y|^2` for a fixed target class ``y`` (0 or 1).

    Parameters
    ----------
    model : MoonsClassifier
        The network :math:`h`.
    y : {0, 1}
        The target class.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.experiments.two_moons import make_moons, train_classifier
    >>> model = train_classifier("gelu", epochs=3)
    >>> from maxslope.experiments.two_moons import AttackLoss
    >>> L = AttackLoss(model, 1)
    >>> x = np.zeros(2)
    >>> bool(np.isclose(L.value(x), (model(x) - 1) ** 2))
    True
    """

    dim = 2

    def __init__(self, model: MoonsClassifier, y: int) -> None:
        if isinstance(y, bool) or y not in (0, 1):
            raise ValueError(f"argument 'y' must be 0 or 1, got {y!r}")
        self.model, self.y = _check_model(model), float(y)

    def _value(self, x, xp):  # noqa: ANN001, ANN202
        return (self.model(np.asarray(x)) - self.y) ** 2

    def _grad(self, x, xp):  # noqa: ANN001, ANN202
        h, g = self.model.value_and_grad(np.asarray(x))
        return (2 * (h - self.y))[..., None] * g


# ------------------------------------------------------------------------------------------ training
def train_classifier(activation: str, X: np.ndarray | None = None, y: np.ndarray | None = None, epochs: int = 100,
                     batch: int = 100, lr: float = 1e-3, seed: int = 0) -> MoonsClassifier:
    """Train the classifier as the paper's notebook does: MSE against the 0/1 label, Adam, batches in order.

    Initialization as torch's defaults (uniform :math:`\\pm 1/\\sqrt{\\text{fan-in}}`, BN weight 1, bias 0), BN in
    train mode with batch statistics and running averages (momentum 0.1, unbiased running variance). Seeded.

    Parameters
    ----------
    activation : {"gelu", "relu"}
        The network's activation.
    X, y : numpy.ndarray, optional
        The training data (default ``make_moons(1000, 0.1, seed=0)``).
    epochs : int
        Passes over the data.
    batch : int
        The batch size.
    lr : float
        Adam's learning rate.
    seed : int
        The seed of the initialization.

    Returns
    -------
    MoonsClassifier
        The trained network in eval mode.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.experiments.two_moons import make_moons, train_classifier
    >>> model = train_classifier("gelu", epochs=3)
    >>> X, y = make_moons(200, seed=1)
    >>> model.accuracy(X, y) > 0.75  # three epochs already separate the moons
    True
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"argument 'activation' must be one of {ACTIVATIONS}, got {activation!r}")
    epochs, batch, seed = check_int(epochs, "epochs", 1), check_int(batch, "batch", 1), check_int(seed, "seed", 0)
    lr = check_positive_scalar(lr, "lr")
    if lr > 1.0:
        raise ValueError(f"argument 'lr' must be at most 1 (Adam's step), got {lr!r}")
    if (X is None) != (y is None):
        raise ValueError("arguments 'X' and 'y' must be given together (or neither, for make_moons)")
    if X is None or y is None:
        X, y = make_moons(seed=seed)
    X = as_float_array(X, "X", np, min_ndim=2)
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] < 2:
        raise ValueError(f"argument 'X' must have shape (n, 2) with n >= 2, got {X.shape}")
    check_finite(X, "X", np)
    t = np.asarray(y)
    if t.shape != (X.shape[0],) or t.dtype.kind not in "biuf" or not np.all(np.isin(t, (0, 1))):
        raise ValueError(f"argument 'y' must hold one 0/1 label per row of 'X', shape ({X.shape[0]},)")
    t = t.astype(np.float64)
    rng = np.random.default_rng(seed + 1)
    p: dict[str, np.ndarray] = {}
    for lin, (fo, fi) in zip(_LINEAR, [(WIDTH, 2), (WIDTH, WIDTH), (WIDTH, WIDTH), (1, WIDTH)], strict=True):
        bound = 1 / math.sqrt(fi)
        p[f"{lin}.weight"] = rng.uniform(-bound, bound, size=(fo, fi))
        p[f"{lin}.bias"] = rng.uniform(-bound, bound, size=fo)
    for bn in _BN:
        p[f"{bn}.weight"], p[f"{bn}.bias"] = np.ones(WIDTH), np.zeros(WIDTH)
        p[f"{bn}.running_mean"], p[f"{bn}.running_var"] = np.zeros(WIDTH), np.ones(WIDTH)
    trainable = [k for k in p if "running" not in k]
    m = {k: np.zeros_like(p[k]) for k in trainable}
    v = {k: np.zeros_like(p[k]) for k in trainable}
    step = 0
    for _ in range(epochs):
        for s in range(0, X.shape[0], batch):
            xb, tb = X[s : s + batch], t[s : s + batch]
            grads = _train_grads(p, xb, tb, activation)
            step += 1
            for k in trainable:
                m[k] = 0.9 * m[k] + 0.1 * grads[k]
                v[k] = 0.999 * v[k] + 0.001 * grads[k] ** 2
                p[k] -= lr * (m[k] / (1 - 0.9**step)) / (np.sqrt(v[k] / (1 - 0.999**step)) + 1e-8)
    return MoonsClassifier(p, activation)


def _train_grads(p: dict[str, np.ndarray], xb: np.ndarray, tb: np.ndarray, activation: str, eps: float = 1e-5) -> dict[str, np.ndarray]:
    """MSE loss gradients in train mode (batch-statistics BN); updates the running statistics in place."""
    N = xb.shape[0]
    a = xb
    cache = []
    for lin, bn in zip(_LINEAR[:3], _BN, strict=True):
        z = a @ p[f"{lin}.weight"].T + p[f"{lin}.bias"]
        u = _act(z, activation)
        mu, var = u.mean(0), u.var(0)
        inv = 1 / np.sqrt(var + eps)
        xhat = (u - mu) * inv
        cache.append((a, z, xhat, inv))
        a = xhat * p[f"{bn}.weight"] + p[f"{bn}.bias"]
        p[f"{bn}.running_mean"] = 0.9 * p[f"{bn}.running_mean"] + 0.1 * mu
        p[f"{bn}.running_var"] = 0.9 * p[f"{bn}.running_var"] + 0.1 * var * N / max(N - 1, 1)
    logit = a @ p["9.weight"].T[:, 0] + p["9.bias"][0]
    h = 1 / (1 + np.exp(-logit))
    dlogit = 2 * (h - tb) / N * h * (1 - h)
    g = {"9.weight": (dlogit @ a)[None, :], "9.bias": np.array([dlogit.sum()])}
    da = dlogit[:, None] * p["9.weight"][0]
    for (a_in, z, xhat, inv), lin, bn in zip(reversed(cache), reversed(_LINEAR[:3]), reversed(_BN), strict=True):
        g[f"{bn}.weight"] = (da * xhat).sum(0)
        g[f"{bn}.bias"] = da.sum(0)
        dx = da * p[f"{bn}.weight"]
        du = inv / N * (N * dx - dx.sum(0) - xhat * (dx * xhat).sum(0))
        dz = du * _dact(z, activation)
        g[f"{lin}.weight"] = dz.T @ a_in
        g[f"{lin}.bias"] = dz.sum(0)
        da = dz @ p[f"{lin}.weight"]
    return g


# ------------------------------------------------------------------------------------------ state dicts
class _StateUnpickler(pickle.Unpickler):
    """Reads a torch zip state dict into NumPy arrays (tensor rebuild and typed storages only)."""

    _DTYPES = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
               "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16, "CharStorage": np.int8,
               "ByteStorage": np.uint8, "BoolStorage": np.bool_}

    def __init__(self, fh: Any, zf: zipfile.ZipFile, prefix: str, little: bool) -> None:
        super().__init__(fh)
        self.zf, self.prefix, self.little = zf, prefix, little

    def find_class(self, module: str, name: str) -> Any:
        if module == "collections" and name == "OrderedDict":
            return OrderedDict
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor
        if module == "torch" and name in self._DTYPES:
            return self._DTYPES[name]
        raise pickle.UnpicklingError(f"unsupported object {module}.{name} in a state-dict file")

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unsupported persistent id {pid!r}")
        dtype, key = pid[1], pid[2]
        raw = self.zf.read(f"{self.prefix}/data/{key}")
        return np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<" if self.little else ">"))


def _rebuild_tensor(storage: np.ndarray, offset: int, size: tuple[int, ...], stride: tuple[int, ...], *_: Any) -> np.ndarray:
    item = storage.dtype.itemsize
    if len(size) == 0:
        return np.array(storage[offset])
    return np.lib.stride_tricks.as_strided(storage[offset:], shape=size, strides=tuple(s * item for s in stride)).copy()


def load_state_dict(path: str | Path) -> dict[str, np.ndarray]:
    """The tensors of a ``torch.save`` zip file as NumPy arrays, read without torch (no code is executed).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    dict of str to numpy.ndarray
        The tensors.

    Examples
    --------
    >>> import os
    >>> from pathlib import Path
    >>> from maxslope.experiments.two_moons import load_state_dict
    >>> data = Path(os.environ.get("MAXSLOPE_TWO_MOONS_DATA", "../shared/data/two_moons"))
    >>> path = data / "two_moons_GeLU.pt"
    >>> state = load_state_dict(path) if path.is_file() else None
    >>> state is None or (state["0.weight"].shape, str(state["0.weight"].dtype)) == ((20, 2), "float32")
    True
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"argument 'path' must be a file path (str or Path), got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"argument 'path': no such file {str(path)!r}")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"argument 'path': {str(path)!r} is not a torch zip state dict (not a zip archive)")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        pkl = [n for n in names if n.endswith("/data.pkl")]
        if len(pkl) != 1:
            raise ValueError(f"argument 'path': {str(path)!r} is not a torch zip state dict (no single data.pkl)")
        prefix = pkl[0][: -len("/data.pkl")]
        little = True
        if f"{prefix}/byteorder" in names:
            little = zf.read(f"{prefix}/byteorder").decode().strip() == "little"
        with zf.open(pkl[0]) as fh:
            state = _StateUnpickler(fh, zf, prefix, little).load()
    if not isinstance(state, dict):
        raise ValueError(f"argument 'path': {str(path)!r} does not hold a state dict")
    return {str(k): np.asarray(v) for k, v in state.items()}


# ------------------------------------------------------------------------------------------ the study
def get_inner(name: str) -> tuple[Any, str]:
    """The inner solver of the minimizing movement and a description for the output.

    Parameters
    ----------
    name : {"exact", "grid", "cbo"}
        The solver's name.

    Returns
    -------
    (callable, str)
        The solver and its description.

    Examples
    --------
    >>> from maxslope.experiments.two_moons import get_inner
    >>> get_inner("exact")[1].split(" ")[:2]
    ['dense', 'grid']
    """
    if name == "exact":
        return GridInner(n=81, zoom=5), "dense grid 81×81 + 5 zoom refinements (global to spacing ≈ 1e-8 of the box)"
    if name == "grid":
        return GridInner(n=41, zoom=3), "grid 41×41 + 3 zoom refinements (global to spacing ≈ 1e-5 of the box)"
    if name == "cbo":
        return CBOInner(), "CBO (the paper's stochastic solver: best particle, 30 particles × 30 iterations)"
    raise ValueError(f"argument 'name' must be 'exact', 'grid' or 'cbo', got {name!r}")


@dataclass
class DifferenceStudy:
    r"""Mean IFGSM–MMS trajectory differences per τ (both metrics) with observed orders.

    Parameters
    ----------
    activation : str
        The network.
    taus : list of float
        The step sizes.
    steps : list of int
        :math:`K = T/\tau`.
    code_metric : list of float
        Mean over samples of :math:`\max_k \|x_k^F - x_k^M\|_1`.
    sup_linf : list of float
        Mean over samples of :math:`\sup_t \|u^F - u^M\|_\infty`.
    inner : str
        The MMS inner solver.
    samples : int
        The number of start points.
    meta : dict
        Provenance.

    Examples
    --------
    >>> from maxslope.experiments.two_moons import DifferenceStudy
    >>> DifferenceStudy("gelu", [0.2, 0.1], [5, 10], [0.4, 0.2], [0.2, 0.1], "grid", 4).orders()
    [1.0]
    """

    activation: str
    taus: list[float]
    steps: list[int]
    code_metric: list[float]  #: mean over samples of max_k ‖x_k^F − x_k^M‖₁ (the paper code's matrix ∞-norm)
    sup_linf: list[float]  #: mean over samples of sup_t ‖u^F(t) − u^M(t)‖_∞ (attained at nodes)
    inner: str
    samples: int
    meta: dict[str, Any] = field(default_factory=dict)

    def orders(self, which: str = "sup_linf") -> list[float | None]:
        r"""Observed orders :math:`\log_2(e_j/e_{j+1})` of one metric between consecutive τ (None where an error is 0).

        Parameters
        ----------
        which : {"sup_linf", "code_metric"}
            The metric.

        Returns
        -------
        list of float or None
            One order per halving of τ; None where an error is 0 (no order to observe), never NaN.

        Examples
        --------
        >>> from maxslope.experiments.two_moons import DifferenceStudy
        >>> DifferenceStudy("gelu", [0.2, 0.1], [5, 10], [0.4, 0.1], [0.2, 0.1], "grid", 4).orders("code_metric")
        [2.0]
        """
        if which not in ("sup_linf", "code_metric"):
            raise ValueError(f"argument 'which' must be 'sup_linf' or 'code_metric', got {which!r}")
        d = getattr(self, which)
        return [math.log2(a / b) if a > 0 and b > 0 else None for a, b in zip(d[:-1], d[1:], strict=True)]


def _paths(model: MoonsClassifier, x0: np.ndarray, eps: float, tau: float, K: int, inner: Any | None) -> np.ndarray:
    """Iterates (K+1, B, 2) of IFGSM (``inner=None``) or of the budget-constrained MMS with that inner solver,
    from start points x0, grouped by the class predicted at x0."""
    y0 = (model(x0) > 0.5).astype(int)
    P = np.empty((K + 1,) + x0.shape)
    for y in (0, 1):
        idx = np.flatnonzero(y0 == y)
        if len(idx) == 0:
            continue
        loss = AttackLoss(model, y)
        if inner is None:
            P[:, idx] = np.asarray(ifgsm(loss, x0[idx], eps, tau, K).points)
        else:
            P[:, idx] = np.asarray(minimizing_movement(Negated(loss), Lp(math.inf), x0[idx], tau, steps=K,
                                                       constraint=Box(x0[idx], eps), inner=inner).points)
    return P


def difference_study(model: MoonsClassifier, n_taus: int = 5, samples: int = 20, eps: float = 0.2, T: float = 1.0,
                     inner: str | Any = "grid", seed: int = 1, time_scale: float = 1.0, progress: Any = False) -> DifferenceStudy:
    r"""IFGSM against the budget-constrained MMS for :math:`\tau_i = \varepsilon 2^{-i}`, :math:`K = T/\tau`.

    Start points uniform in :math:`[-1, 1]^2` (seeded). ``time_scale`` ≠ 1 runs the MMS with step
    ``time_scale·τ`` against IFGSM with step τ (a time-misaligned comparison, the negative control of C24).
    ``progress=True`` shows a bar over the τ values when standard error is a terminal (a stream: always there).

    Parameters
    ----------
    model : MoonsClassifier
        The network.
    n_taus : int
        The number of step sizes :math:`\tau_i = \varepsilon 2^{-i}`.
    samples : int
        The number of start points.
    eps : float
        The budget.
    T : float
        The horizon.
    inner : str or callable
        The MMS inner solver (see :func:`get_inner`).
    seed : int
        The seed of the start points.
    time_scale : float
        The MMS step relative to IFGSM's (1: aligned).
    progress : bool or text stream
        A bar over the τ values.

    Returns
    -------
    DifferenceStudy
        The mean differences per τ.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.experiments.two_moons import make_moons, train_classifier
    >>> model = train_classifier("gelu", epochs=3)
    >>> from maxslope.experiments.two_moons import difference_study
    >>> st = difference_study(model, n_taus=2, samples=3)
    >>> st.taus, st.steps
    ([0.2, 0.1], [5, 10])
    """
    model = _check_model(model)
    progress = check_progress(progress)
    n_taus, samples, seed = check_int(n_taus, "n_taus", 1), check_int(samples, "samples", 1), check_int(seed, "seed", 0)
    if samples > 10**6:
        raise ValueError(f"argument 'samples' must be at most 10^6, got {samples}")
    eps, T = check_positive_scalar(eps, "eps"), check_positive_scalar(T, "T")
    time_scale = check_positive_scalar(time_scale, "time_scale")
    if not (1e-3 <= time_scale <= 1e3):
        raise ValueError(f"argument 'time_scale' must lie in [1e-3, 1e3], got {time_scale!r}")
    if n_taus > 30 or T / (eps * 2.0 ** -(n_taus - 1)) > 1e6:
        raise ValueError("arguments 'n_taus', 'eps' and 'T' ask for more than 10^6 steps of the finest tau")
    if isinstance(inner, str):
        try:
            solver, desc = get_inner(inner)
        except ValueError:
            raise ValueError(f"argument 'inner' must be 'exact', 'grid', 'cbo' or a solver, got {inner!r}") from None
    elif callable(inner):
        solver, desc = inner, getattr(inner, "name", repr(inner))
    else:
        raise TypeError(f"argument 'inner' must be 'exact', 'grid', 'cbo' or a solver, got {type(inner).__name__}")
    x0 = np.random.default_rng(seed).uniform(-1, 1, size=(samples, 2))
    taus, steps, code, sup = [], [], [], []
    for i in progress_iter(range(n_taus), progress, f"two moons ({model.activation})", "tau"):
        tau = eps * 2.0**-i
        K = int(round(T / tau))
        F = _paths(model, x0, eps, tau, K, None)
        M = _paths(model, x0, eps, tau * time_scale, K, solver)
        diff = np.abs(F - M)
        taus.append(tau)
        steps.append(K)
        code.append(float(np.mean(diff.sum(-1).max(0))))
        sup.append(float(np.mean(diff.max(-1).max(0))))
    return DifferenceStudy(model.activation, taus, steps, code, sup, desc, samples)


# ------------------------------------------------------------------------------------------ the command
def format_table(studies: list[DifferenceStudy]) -> str:
    """The table of mean differences against τ for each network, both metrics, with observed orders.

    Parameters
    ----------
    studies : list of DifferenceStudy
        One per network.

    Returns
    -------
    str
        The table.

    Examples
    --------
    >>> from maxslope.experiments.two_moons import DifferenceStudy, format_table
    >>> print(format_table([DifferenceStudy("gelu", [0.2, 0.1], [5, 10], [0.4, 0.2], [0.2, 0.1], "grid", 4)]).splitlines()[0])
    | τ | K | GELU: max_k ℓ1 (code) | order | GELU: sup ℓ∞ | order |
    """
    studies = _check_studies(studies)
    lines = []
    head = "| τ | K | " + " | ".join(f"{s.activation.upper()}: max_k ℓ1 (code) | order | {s.activation.upper()}: sup ℓ∞ | order" for s in studies) + " |"
    lines.append(head)
    lines.append("|" + "---|" * (2 + 4 * len(studies)))
    for i, tau in enumerate(studies[0].taus):
        row = [f"{tau:g}", str(studies[0].steps[i])]
        for s in studies:
            oc, os_ = s.orders("code_metric"), s.orders("sup_linf")
            row += [f"{s.code_metric[i]:.4g}", _order_cell(oc, i), f"{s.sup_linf[i]:.4g}", _order_cell(os_, i)]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _order_cell(orders: list[float | None], i: int) -> str:
    """The table cell of the order between rows i - 1 and i: empty in the first row and where an error is 0."""
    o = None if i == 0 else orders[i - 1]
    return "" if o is None else f"{o:.2f}"


def notebook_cases(eps: float, T: float = 1.0) -> list[tuple[float, int]]:
    r"""The (τ, K) pairs of the figures of the authors' notebook, as its code computes them.

    The notebook (``Flows.ipynb``, cell 9, TimRoith/AdversarialFlows) forms the step sizes
    :math:`\varepsilon, \varepsilon/2, 0.1\,\varepsilon, 10^{-3}`, runs each rounded to 3 decimals, and takes
    :math:`K = \lfloor T/\tau \rfloor` with :math:`T = 1` from the *unrounded* τ. The list
    ``stepsizes = [1, 3, 50, 100]`` that the cell defines is never passed. So for ReLU (ε = 0.2) the counts are
    [5, 10, 49, 1000]: ``0.2 * 0.1`` is 0.020000000000000004 in floating point and ``int(1/τ)`` is 49. For GELU
    (ε = 0.25) they are [4, 8, 40, 1000], which the notebook's stored output prints.

    Parameters
    ----------
    eps : float
        The budget ε > 0.
    T : float
        The horizon (1 in the notebook).

    Returns
    -------
    list of (float, int)
        The rounded step sizes and their iteration counts.

    Examples
    --------
    >>> notebook_cases(0.2)
    [(0.2, 5), (0.1, 10), (0.02, 49), (0.001, 1000)]
    """
    eps = check_positive_scalar(eps, "eps")
    T = check_positive_scalar(T, "T")
    return [(round(t, 3), int(T / t)) for t in (eps, eps / 2, eps * 0.1, 1e-3)]


def plot_paths(model: MoonsClassifier, inner: Any, x0: tuple[float, float] | None = None, eps: float | None = None,
               cases: str | list[tuple[float, int]] = "notebook") -> Any:
    """Loss landscape (log scale) with the ε-budget square and both iterate paths, one panel per (τ, K).

    Parameters
    ----------
    model : MoonsClassifier
        The classifier; the attacked loss is :math:`|h(x) - y|^2` with y the class predicted at ``x0``.
    inner : inner solver
        The minimizing movement's inner solver (e.g. ``GridInner(n=41, zoom=3)``).
    x0, eps : optional
        Start point and budget; by default the notebook's for this activation (``SPEC_START_POINTS``).
    cases : "notebook", "reduced" or list of (float, int)
        ``"notebook"`` (default): :func:`notebook_cases`, the counts the authors' code runs. ``"reduced"``:
        τ ∈ {ε, ε/2, ε/10, 10⁻³} with K ∈ {1, 3, 50, 100}, the list the notebook defines but does not use (a
        shorter run, t ≤ 0.1 at τ = 10⁻³). Or explicit pairs, e.g. ``[(1e-3, 1000)]`` for the third start point
        ``NOTEBOOK_THIRD_START``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (pyplot, so that notebooks and the gallery show it); :func:`path_figure` saves it.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.experiments.two_moons import make_moons, train_classifier
    >>> model = train_classifier("gelu", epochs=3)
    >>> from maxslope.experiments.two_moons import get_inner, plot_paths
    >>> fig = plot_paths(model, get_inner("grid")[0], cases=[(0.1, 2)])
    >>> len(fig.axes) >= 1
    True
    """
    import matplotlib.pyplot as plt

    model = _check_model(model)
    if not callable(inner):
        raise TypeError(f"argument 'inner' must be an inner solver (a callable), got {type(inner).__name__}")
    x0d, epsd = SPEC_START_POINTS[model.activation]
    x0a = _check_start(x0 if x0 is not None else x0d)[None, :]
    eps = check_positive_scalar(eps if eps is not None else epsd, "eps")
    if eps > 10:
        raise ValueError(f"argument 'eps' must be at most 10 (the data lie in [-1.5, 2.5]^2), got {eps!r}")
    if isinstance(cases, str) and cases == "notebook":
        cases = notebook_cases(eps)
    elif isinstance(cases, str) and cases == "reduced":
        cases = [(eps, 1), (eps / 2, 3), (eps / 10, 50), (1e-3, 100)]
    elif isinstance(cases, str) or not isinstance(cases, (list, tuple)) or not cases or not all(
            isinstance(c, (list, tuple)) and len(c) == 2 for c in cases):
        raise ValueError(f"argument 'cases' must be 'notebook', 'reduced' or a non-empty list of (tau, K), got {cases!r}")
    for tau, K in cases:
        if check_positive_scalar(tau, "cases") > eps or isinstance(K, bool) or not isinstance(K, int) or not 1 <= K <= 10**5:
            raise ValueError(f"argument 'cases': each (tau, K) needs 0 < tau <= eps and an integer 1 <= K <= 10^5, got {(tau, K)!r}")
    y = int(model(x0a)[0] > 0.5)
    loss = AttackLoss(model, y)
    ncol = min(2, len(cases))
    nrow = -(-len(cases) // ncol)
    fig, axs = plt.subplots(nrow, ncol, figsize=(5 * ncol, 4.8 * nrow), squeeze=False)
    axes = axs.ravel()
    w = 1.2 * eps
    g1, g2 = np.linspace(x0a[0, 0] - w, x0a[0, 0] + w, 161), np.linspace(x0a[0, 1] - w, x0a[0, 1] + w, 161)
    G = np.stack(np.meshgrid(g1, g2, indexing="xy"), -1)
    L = np.asarray(loss.value(G.reshape(-1, 2))).reshape(G.shape[:2])
    for ax, (tau, K) in zip(axes, cases, strict=False):
        ax.contourf(g1, g2, np.log10(L + 1e-12), levels=30, cmap="viridis")
        ax.add_patch(plt.Rectangle((x0a[0, 0] - eps, x0a[0, 1] - eps), 2 * eps, 2 * eps, fill=False, ec="white", lw=1.5, ls="--"))
        F = np.asarray(ifgsm(loss, x0a, eps, tau, K).points)[:, 0]
        M = np.asarray(minimizing_movement(Negated(loss), Lp(math.inf), x0a, tau, steps=K, constraint=Box(x0a, eps), inner=inner).points)[:, 0]
        ax.plot(F[:, 0], F[:, 1], "o-", color="tab:red", ms=3, lw=1.2, label=f"IFGSM (ℓ = {float(loss.value(F[-1])):.3f})")
        ax.plot(M[:, 0], M[:, 1], "s-", color="white", ms=3, lw=1.2, label=f"MMS (ℓ = {float(loss.value(M[-1])):.3f})")
        ax.plot(*x0a[0], "k*", ms=10)
        ax.set_title(f"τ = {tau:g}, K = {K}")
        ax.set_aspect("equal")
        ax.legend(loc="lower left", fontsize=8)
    for ax in axes[len(cases):]:
        ax.set_visible(False)
    fig.suptitle(f"{model.activation.upper()} classifier, x₀ = ({x0a[0, 0]:g}, {x0a[0, 1]:g}), ε = {eps:g}: log₁₀ ℓ, budget square dashed")
    fig.tight_layout()
    return fig


def _save(fig: Any, path: Path) -> Path:
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def path_figure(model: MoonsClassifier, out: Path, inner: Any, x0: tuple[float, float] | None = None, eps: float | None = None,
                cases: str | list[tuple[float, int]] = "notebook", name: str | None = None) -> Path:
    """Save `plot_paths` as ``out/<name>.png`` (default ``two_moons_paths_<activation>``) and return the path.

    Parameters
    ----------
    model : MoonsClassifier
        The network.
    out : Path
        The output folder.
    inner : callable
        The MMS inner solver.
    x0 : (float, float), optional
        The start point.
    eps : float, optional
        The budget.
    cases : str or list of (float, int)
        The (τ, K) panels.
    name : str, optional
        The file name without ``.png``.

    Returns
    -------
    Path
        The saved file.

    Examples
    --------
    >>> import numpy as np
    >>> from maxslope.experiments.two_moons import make_moons, train_classifier
    >>> model = train_classifier("gelu", epochs=3)
    >>> import tempfile
    >>> from pathlib import Path
    >>> from maxslope.experiments.two_moons import get_inner, path_figure
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = path_figure(model, Path(d), get_inner("grid")[0], cases=[(0.1, 2)])
    ...     print(p.name, p.stat().st_size > 0)
    two_moons_paths_gelu.png True
    """
    model, out = _check_model(model), _check_out(out)
    if name is not None and (not isinstance(name, str) or not name or "/" in name or "\\" in name):
        raise ValueError(f"argument 'name' must be a non-empty file name without a folder, got {name!r}")
    name = name or f"two_moons_paths_{model.activation}"
    return _save(plot_paths(model, inner, x0, eps, cases), out / f"{name}.png")


def plot_differences(studies: list[DifferenceStudy]) -> Any:
    """Log–log plot of the mean differences against τ (both metrics, both networks) with a slope-1 guide.

    Parameters
    ----------
    studies : list of DifferenceStudy
        One per network.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> from maxslope.experiments.two_moons import DifferenceStudy, plot_differences
    >>> fig = plot_differences([DifferenceStudy("gelu", [0.2, 0.1], [5, 10], [0.4, 0.2], [0.2, 0.1], "grid", 4)])
    >>> len(fig.axes)
    1
    """
    import matplotlib.pyplot as plt

    studies = _check_studies(studies)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for s, c in zip(studies, ("tab:blue", "tab:orange"), strict=False):
        ax.loglog(s.taus, s.code_metric, "o-", color=c, label=f"{s.activation.upper()}: mean max_k ℓ1")
        ax.loglog(s.taus, s.sup_linf, "s--", color=c, label=f"{s.activation.upper()}: mean sup ℓ∞")
    t = np.asarray(studies[0].taus)
    ax.loglog(t, studies[0].sup_linf[0] * t / t[0], "k:", label="slope 1")
    ax.set_xticks(t, [f"{v:.3g}" for v in t])
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    ax.set_xlabel("τ")
    ax.set_ylabel("mean trajectory difference")
    ax.legend(fontsize=8)
    ax.set_title("IFGSM vs minimizing movement (two moons)")
    fig.tight_layout()
    return fig


def difference_figure(studies: list[DifferenceStudy], out: Path) -> Path:
    """Save `plot_differences` as ``out/two_moons_differences.png`` and return the path.

    Parameters
    ----------
    studies : list of DifferenceStudy
        One per network.
    out : Path
        The output folder.

    Returns
    -------
    Path
        The saved file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from maxslope.experiments.two_moons import DifferenceStudy, difference_figure
    >>> with tempfile.TemporaryDirectory() as d:
    ...     print(difference_figure([DifferenceStudy("gelu", [0.2, 0.1], [5, 10], [0.4, 0.2], [0.2, 0.1], "grid", 4)], Path(d)).name)
    two_moons_differences.png
    """
    out = _check_out(out)
    return _save(plot_differences(studies), out / "two_moons_differences.png")


def run_experiment(n_taus: int = 5, samples: int = 20, inner: str = "grid", out: str | Path | None = "two_moons_out",
                   weights: dict[str, str] | None = None, seed: int = 1, echo: Any = print,
                   paths: str = "notebook", progress: Any = False) -> list[DifferenceStudy]:
    """The whole experiment: both classifiers, the difference table, and (with ``out``) the figures.

    ``progress=True`` shows a bar per network over the τ values when standard error is a terminal.

    ``paths="notebook"`` (default) draws the path figures with the notebook's counts (:func:`notebook_cases`) and
    adds its third start point (τ = 10⁻³, 1000 steps) for each network; ``"reduced"`` uses K ∈ {1, 3, 50, 100}
    and no third start point (a quick run).

    Parameters
    ----------
    n_taus : int
        The number of step sizes.
    samples : int
        The number of start points.
    inner : str
        The MMS inner solver's name.
    out : str or Path or None
        Where to save the figures (None: no figures).
    weights : dict of str to str, optional
        State-dict files per activation (default: train here).
    seed : int
        The seed of the start points.
    echo : callable
        Where the text goes (default ``print``).
    paths : {"notebook", "reduced"}
        The path panels.
    progress : bool or text stream
        Bars over the τ values.

    Returns
    -------
    list of DifferenceStudy
        One per network.

    Examples
    --------
    >>> from maxslope.experiments.two_moons import run_experiment
    >>> lines = []
    >>> studies = run_experiment(n_taus=2, samples=2, out=None, echo=lines.append)
    >>> [s.activation for s in studies], lines[0].split(":")[0]
    (['relu', 'gelu'], 'RELU classifier')
    """
    if paths not in ("notebook", "reduced"):
        raise ValueError(f"argument 'paths' must be 'notebook' or 'reduced', got {paths!r}")
    progress = check_progress(progress)
    solver, desc = get_inner(inner)
    weights = weights or {}
    studies = []
    models = {}
    for act in ACTIVATIONS:
        if act in weights:
            model = MoonsClassifier.from_file(weights[act], act)
            src = f"weights from {weights[act]}"
        else:
            model = train_classifier(act, seed=0)
            src = "trained here (NumPy, seed 0, make_moons(1000, 0.1, seed 0), Adam, 100 epochs)"
        X, y = make_moons(seed=0)
        echo(f"{act.upper()} classifier: {src}; accuracy on make_moons(seed 0): {model.accuracy(X, y):.3f}")
        models[act] = model
        studies.append(difference_study(model, n_taus, samples, inner=solver, seed=seed, progress=progress))
    echo(f"\nMMS inner solver: {desc}. ε = 0.2, T = 1, {samples} start points uniform in [−1, 1]² (seed {seed}).")
    echo("Metrics: 'code' = mean over samples of max_k ‖x_k^IFGSM − x_k^MMS‖₁ (the paper code's matrix ∞-norm); "
         "'sup ℓ∞' = mean over samples of sup_t ‖u^IFGSM(t) − u^MMS(t)‖_∞ (interpolants; attained at nodes).\n")
    echo(format_table(studies))
    if out is not None:
        out = Path(out)
        figs = [difference_figure(studies, out)] + [path_figure(m, out, solver, cases=paths) for m in models.values()]
        if paths == "notebook":
            figs += [path_figure(m, out, solver, NOTEBOOK_THIRD_START, cases=[(1e-3, 1000)],
                                 name=f"two_moons_paths_{m.activation}_third_start") for m in models.values()]
        echo("\nfigures: " + ", ".join(str(p) for p in figs))
    return studies
