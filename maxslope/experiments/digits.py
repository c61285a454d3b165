r"""A worked example on real data: scikit-learn's handwritten digits (8×8 images, 64-D, pixels scaled to [0, 1]).

The classifier is a multinomial logistic regression :math:`z(x) = Wx + b` trained here (L-BFGS on the mean
cross-entropy plus :math:`\tfrac{\lambda}{2}|W|^2`, seeded split). The attack loss is the margin

.. math:: \ell_y(x) = \max_{j \ne y} z_j(x) - z_y(x),

a maximum of finitely many affine functions. That makes the ℓ∞ minimizing-movement step *exactly* solvable:
over a box, an affine function is maximized at the sign vertex of its gradient, and the maximum of the pieces
is the best of the per-piece maximizers (:class:`MaxAffineInner`, a global closed form, no search). So the
example compares IFGSM (signed gradient ascent, the explicit scheme) with the exact minimizing movement in 64
dimensions, as τ → 0, and evaluates the distributional adversary of the test set (claim C20) against batch IFGSM
and an independent per-image maximum. No data box is imposed (pixels may leave [0, 1]); the budget box
:math:`\bar B_\varepsilon(x_0)` is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._backend import as_float_array, check_finite, check_int, check_positive_scalar, check_real_scalar, namespace
from ..attacks import ifgsm, pgd
from ..energies import Energy, Negated
from ..schemes import minimizing_movement
from ..schemes.inner import feasible_box
from ..spaces import Box, Lp
from ._data import labelled

__all__ = [
    "load_digits_split",
    "LinearClassifier",
    "train_linear_classifier",
    "MarginLoss",
    "MaxAffineInner",
    "digits_study",
    "DigitsStudy",
    "distributional_comparison",
    "torchattacks_comparison",
    "format_digits_table",
    "run_digits",
]


def load_digits_split(test_fraction: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's digits (1797 images, shipped inside scikit-learn), pixels / 16, a seeded train/test split.

    Returns
    -------
    X_train, y_train, X_test, y_test : arrays
        Images as rows of 64 float64 pixels in [0, 1], labels 0–9.

    Parameters
    ----------
    test_fraction : float
        The share of test images, in (0, 1).
    seed : int
        The seed of the split.

    Examples
    --------
    >>> from maxslope.experiments.digits import load_digits_split
    >>> Xtr, ytr, Xte, yte = load_digits_split()
    >>> Xtr.shape[1], len(Xtr) + len(Xte), float(Xtr.max()) <= 1.0
    (64, 1797, True)
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("the digits example needs scikit-learn: pip install 'maxslope[digits]'") from exc
    if not 0.0 < check_real_scalar(test_fraction, "test_fraction") < 1.0:
        raise ValueError(f"argument 'test_fraction' must lie in (0, 1), got {test_fraction!r}")
    seed = check_int(seed, "seed", 0)
    data = load_digits()
    X, y = data.data / 16.0, data.target.astype(np.int64)
    perm = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    te, tr = perm[:n_test], perm[n_test:]
    return X[tr], y[tr], X[te], y[te]


@dataclass
class LinearClassifier:
    """Logits :math:`z(x) = x W^T + b` (``W``: classes × 64).

    Parameters
    ----------
    W : numpy.ndarray
        The weights, (classes, d) with at least two classes.
    b : numpy.ndarray
        The biases, (classes,).

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.experiments.digits import LinearClassifier, MarginLoss
    >>> clf = LinearClassifier(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.zeros(3))  # 3 classes on R²
    >>> X, y = np.array([[0.6, 0.1], [0.2, 0.7], [-0.5, -0.4]]), np.array([0, 1, 2])
    >>> clf.logits(X).argmax(-1).tolist(), clf.accuracy(X, y)
    ([0, 1, 2], 1.0)
    """

    W: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        W = np.array(as_float_array(self.W, "W", np, min_ndim=2), dtype=np.float64)
        if W.ndim != 2 or W.shape[0] < 2 or W.shape[1] < 1:
            raise ValueError(f"argument 'W' must be a (classes, d) matrix with classes >= 2, got shape {W.shape}")
        check_finite(W, "W", np)
        b = np.array(as_float_array(self.b, "b", np, min_ndim=1), dtype=np.float64)
        if b.shape != (W.shape[0],):
            raise ValueError(f"argument 'b' must have one offset per class, shape ({W.shape[0]},), got {b.shape}")
        check_finite(b, "b", np)
        self.W, self.b = W, b

    def logits(self, x: Any) -> Any:
        r"""The class scores :math:`Wx + b`.

        Parameters
        ----------
        x : numpy.ndarray
            Images, shape (..., d).

        Returns
        -------
        numpy.ndarray
            Shape (..., classes).

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.experiments.digits import LinearClassifier, MarginLoss
        >>> clf = LinearClassifier(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.zeros(3))  # 3 classes on R²
        >>> X, y = np.array([[0.6, 0.1], [0.2, 0.7], [-0.5, -0.4]]), np.array([0, 1, 2])
        >>> clf.logits(np.array([1.0, 2.0])).tolist()
        [1.0, 2.0, -3.0]
        """
        xp = namespace(x=x)
        x = as_float_array(x, "x", xp, min_ndim=1)
        if x.shape[-1] != self.W.shape[1]:
            raise ValueError(f"argument 'x' has dimension {x.shape[-1]}, the classifier takes {self.W.shape[1]} (the columns "
                             "of argument 'W')")
        check_finite(x, "x", xp)
        W, b = xp.asarray(self.W, dtype=x.dtype), xp.asarray(self.b, dtype=x.dtype)
        return x @ W.T + b

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        r"""The share of correctly classified points.

        Parameters
        ----------
        X : numpy.ndarray
            Images, shape (n, d).
        y : numpy.ndarray
            Labels, shape (n,).

        Returns
        -------
        float
            In [0, 1].

        Examples
        --------
        >>> import math, numpy as np, maxslope as ms
        >>> from maxslope.experiments.digits import LinearClassifier, MarginLoss
        >>> clf = LinearClassifier(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.zeros(3))  # 3 classes on R²
        >>> X, y = np.array([[0.6, 0.1], [0.2, 0.7], [-0.5, -0.4]]), np.array([0, 1, 2])
        >>> clf.accuracy(X, np.array([0, 0, 2]))
        0.6666666666666666
        """
        X, y = labelled(X, y, self.W.shape[0])
        if X.shape[1] != self.W.shape[1]:
            raise ValueError(f"argument 'X' has {X.shape[1]} columns, the classifier takes {self.W.shape[1]} (the columns of 'W')")
        return float(np.mean(np.argmax(self.logits(X), axis=-1) == y))


def train_linear_classifier(X: np.ndarray, y: np.ndarray, lam: float = 1e-3, classes: int = 10) -> LinearClassifier:
    r"""Multinomial logistic regression by L-BFGS (scipy) on :math:`\frac1n\sum_i \mathrm{CE}(z(x_i), y_i) +
    \frac\lambda2 |W|_F^2`: a strictly convex problem, so the result does not depend on a seed.

    Parameters
    ----------
    X : numpy.ndarray
        Images (n, d).
    y : numpy.ndarray
        Labels (n,).
    lam : float
        The ridge penalty, > 0.
    classes : int
        The number of classes.

    Returns
    -------
    LinearClassifier
        The softmax-regression classifier.

    Examples
    --------
    >>> from maxslope.experiments.digits import load_digits_split, train_linear_classifier
    >>> Xtr, ytr, Xte, yte = load_digits_split()
    >>> train_linear_classifier(Xtr, ytr).accuracy(Xte, yte) > 0.9
    True
    """
    from scipy.optimize import minimize

    if not isinstance(classes, int) or isinstance(classes, bool) or classes < 2:
        raise ValueError(f"argument 'classes' must be an integer >= 2, got {classes!r}")
    X, y = labelled(X, y, classes)
    lam = check_positive_scalar(lam, "lam", allow_zero=True)
    n, d = X.shape
    Y = np.eye(classes)[y]

    def f(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W, b = theta[: classes * d].reshape(classes, d), theta[classes * d :]
        z = X @ W.T + b
        z = z - z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z).sum(axis=1))
        P = np.exp(z - lse[:, None])
        loss = float(np.mean(lse - (z * Y).sum(1))) + 0.5 * lam * float(np.sum(W * W))
        G = (P - Y) / n
        return loss, np.concatenate([(G.T @ X + lam * W).ravel(), G.sum(0)])

    res = minimize(f, np.zeros(classes * (d + 1)), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    theta = res.x
    return LinearClassifier(theta[: classes * d].reshape(classes, d), theta[classes * d :])


class MarginLoss(Energy):
    r"""The margin :math:`\ell_y(x) = \max_{j\ne y} z_j(x) - z_y(x)` of a linear classifier: convex, piecewise
    affine. ``grad`` is the gradient of the active piece, :math:`w_{j^*} - w_y` with :math:`j^*` the first
    maximizing class.

    Parameters
    ----------
    clf : LinearClassifier
        The classifier.
    y : int
        The true class.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.experiments.digits import LinearClassifier, MarginLoss
    >>> clf = LinearClassifier(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.zeros(3))  # 3 classes on R²
    >>> X, y = np.array([[0.6, 0.1], [0.2, 0.7], [-0.5, -0.4]]), np.array([0, 1, 2])
    >>> L = MarginLoss(clf, 0)
    >>> float(L.value(X[0])), L.grad(X[0]).tolist()  # max(0.1, −0.7) − 0.6; the active piece is class 1
    (-0.5, [-1.0, 1.0])
    """

    smooth = False

    def __init__(self, clf: LinearClassifier, y: int) -> None:
        if not isinstance(clf, LinearClassifier):
            raise TypeError(f"argument 'clf' must be a LinearClassifier, got {type(clf).__name__}")
        if isinstance(y, bool) or not isinstance(y, (int, np.integer)) or not 0 <= int(y) < clf.W.shape[0]:
            raise ValueError(f"argument 'y' must be a class index in 0..{clf.W.shape[0] - 1}, got {y!r}")
        self.clf, self.y = clf, int(y)
        self.dim = clf.W.shape[1]
        others = [j for j in range(clf.W.shape[0]) if j != self.y]
        self.A = clf.W[others] - clf.W[self.y]  #: the pieces' gradients a_j
        self.c = clf.b[others] - clf.b[self.y]  #: and offsets c_j

    def _pieces(self, x: Any, xp: Any) -> Any:
        return x @ xp.asarray(self.A.T, dtype=x.dtype) + xp.asarray(self.c, dtype=x.dtype)

    def _value(self, x: Any, xp: Any) -> Any:
        return xp.max(self._pieces(x, xp), axis=-1)

    def _grad(self, x: Any, xp: Any) -> Any:
        j = xp.argmax(self._pieces(x, xp), axis=-1)
        return xp.take(xp.asarray(self.A, dtype=x.dtype), xp.reshape(j, (-1,)), axis=0).reshape(x.shape)


class MaxAffineInner:
    r"""Exact ℓ∞ minimizing-movement step of :math:`E = -\max_j (a_j \cdot x + c_j)` (a :class:`MarginLoss`
    negated): over the box :math:`[l, u] = \bar B_r(x^k) \cap C`, piece j is maximized at the vertex
    :math:`v_j` with :math:`v_{j,i} = u_i` if :math:`a_{j,i} > 0`, :math:`l_i` if :math:`a_{j,i} < 0`,
    :math:`x^k_i` otherwise, and the maximum of the pieces at the best :math:`v_j` (first on ties). Global, in
    closed form, in any dimension; written here because no library solves this max-of-affine box problem.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.experiments.digits import LinearClassifier, MarginLoss
    >>> clf = LinearClassifier(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.zeros(3))  # 3 classes on R²
    >>> X, y = np.array([[0.6, 0.1], [0.2, 0.7], [-0.5, -0.4]]), np.array([0, 1, 2])
    >>> from maxslope.experiments.digits import MaxAffineInner
    >>> from maxslope.energies import Negated
    >>> x = MaxAffineInner()(Negated(MarginLoss(clf, 0)), ms.Lp(math.inf), X[0], 0.1, None)
    >>> np.round(x, 12).tolist()  # the vertex that raises the class-1 piece: x₁ − 0.1, x₂ + 0.1
    [0.5, 0.2]
    """

    name = "max-affine"
    guarantee = "global maximizer of the margin over the feasible box (closed form: best per-piece vertex)"

    def __call__(self, E: Energy, space: Lp, xk: Any, radius: float, constraint: Box | None) -> Any:
        if not isinstance(E, Negated) or not isinstance(E.inner, MarginLoss):
            raise TypeError(f"argument 'E' must be Negated(MarginLoss(...)) for MaxAffineInner, got {type(E).__name__}")
        if not isinstance(space, Lp) or space.p != math.inf:
            raise ValueError(f"argument 'space' must be Lp(inf) for MaxAffineInner, got {space!r}")
        if np.shape(xk)[-1:] != (E.inner.dim,):
            raise ValueError(f"argument 'xk' must have shape (..., {E.inner.dim}), got {np.shape(xk)}")
        loss = E.inner
        lo, hi = feasible_box(space, xk, radius, constraint)
        shape = np.shape(xk)
        xk = np.reshape(np.asarray(xk), (-1, shape[-1]))
        lo, hi = (np.reshape(np.broadcast_to(np.asarray(b), shape), xk.shape) for b in (lo, hi))
        A = loss.A  # (J, d)
        V = np.where(A[None] > 0, hi[:, None, :], np.where(A[None] < 0, lo[:, None, :], np.asarray(xk)[:, None, :]))
        vals = np.einsum("njd,jd->nj", V, A) + loss.c  # piece j at its own vertex
        best = np.argmax(vals, axis=1)
        return V[np.arange(V.shape[0]), best].reshape(shape)


@dataclass
class DigitsStudy:
    r"""IFGSM against the exact minimizing movement on the digits classifier, per τ, with observed orders.

    Parameters
    ----------
    taus : list of float
        The step sizes.
    steps : list of int
        :math:`K = T/\tau`.
    sup_linf : list of float
        Mean over images of :math:`\max_k \|x_k^{IFGSM} - x_k^{MMS}\|_\infty`.
    loss_gap : list of float
        Mean over images of :math:`\ell(x_K^{MMS}) - \ell(x_K^{IFGSM})`.
    samples : int
        The number of images.
    eps : float
        The budget.
    meta : dict
        Provenance.

    Examples
    --------
    >>> from maxslope.experiments.digits import DigitsStudy
    >>> st = DigitsStudy([0.1, 0.05, 0.025], [2, 4, 8], [0.02, 0.0, 0.0], [0.0, 0.0, 0.0], 5, 0.1)
    >>> st.coincide_from()
    0.05
    """

    taus: list[float]
    steps: list[int]
    sup_linf: list[float]  #: mean over images of max_k ‖x_k^IFGSM − x_k^MMS‖_∞
    loss_gap: list[float]  #: mean over images of ℓ(x_K^MMS) − ℓ(x_K^IFGSM)
    samples: int
    eps: float
    meta: dict[str, Any] = field(default_factory=dict)

    def orders(self) -> list[float | None]:
        r"""Observed orders :math:`\log_2(e_j/e_{j+1})` of ``sup_linf`` between consecutive τ (None where an error is 0).

        Returns
        -------
        list of float or None
            One order per halving of τ; None where :math:`e_j` or :math:`e_{j+1}` is 0 (the trajectories coincide,
            so there is no order to observe), never NaN.

        Examples
        --------
        >>> from maxslope.experiments.digits import DigitsStudy
        >>> st = DigitsStudy([0.1, 0.05, 0.025], [2, 4, 8], [0.02, 0.0, 0.0], [0.0, 0.0, 0.0], 5, 0.1)
        >>> st.orders()
        [None, None]
        """
        d = self.sup_linf
        return [math.log2(a / b) if a > 0 and b > 0 else None for a, b in zip(d[:-1], d[1:], strict=True)]

    def coincide_from(self) -> float | None:
        """The largest τ from which on every smaller τ of the study gives identical trajectories (None if none).

        Returns
        -------
        float or None
            That τ.

        Examples
        --------
        >>> from maxslope.experiments.digits import DigitsStudy
        >>> st = DigitsStudy([0.1, 0.05, 0.025], [2, 4, 8], [0.02, 0.0, 0.0], [0.0, 0.0, 0.0], 5, 0.1)
        >>> st.coincide_from()
        0.05
        """
        k = len(self.sup_linf)
        while k > 0 and self.sup_linf[k - 1] == 0.0:
            k -= 1
        return self.taus[k] if k < len(self.taus) else None


def _check_clf(clf: Any) -> LinearClassifier:
    if not isinstance(clf, LinearClassifier):
        raise TypeError(f"argument 'clf' must be a LinearClassifier, got {type(clf).__name__}")
    return clf


def _margins(clf: LinearClassifier, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The margin of every row of ``X`` for its own label (one :class:`MarginLoss` call per label)."""
    out = np.empty(len(y))
    for lab in np.unique(y):
        idx = np.flatnonzero(y == lab)
        out[idx] = np.asarray(MarginLoss(clf, int(lab)).value(X[idx]))
    return out


def _by_label(x0: np.ndarray, y: np.ndarray, clf: LinearClassifier, run: Any) -> np.ndarray:
    out = None
    for lab in np.unique(y):
        idx = np.flatnonzero(y == lab)
        P = np.asarray(run(MarginLoss(clf, int(lab)), x0[idx]))
        if out is None:
            out = np.empty(P.shape[:-2] + (len(y), P.shape[-1]))
        out[..., idx, :] = P
    assert out is not None
    return out


def digits_study(clf: LinearClassifier, X: np.ndarray, y: np.ndarray, n_taus: int = 5, eps: float = 0.1,
                 T: float | None = None) -> DigitsStudy:
    r"""IFGSM (step τ) against the exact ℓ∞ minimizing movement (:class:`MaxAffineInner`) on the budget box
    :math:`\bar B_\varepsilon(x_0)`, for :math:`\tau_i = \varepsilon 2^{-i}` and :math:`K = T/\tau` (default
    :math:`T = 2\varepsilon`: the free phase and the phase on the budget's faces), from every row of ``X``.

    Parameters
    ----------
    clf : LinearClassifier
        The classifier.
    X : numpy.ndarray
        The start images (n, d).
    y : numpy.ndarray
        Their labels.
    n_taus : int
        The number of step sizes.
    eps : float
        The budget.
    T : float, optional
        The horizon (default 2ε).

    Returns
    -------
    DigitsStudy
        The differences per τ.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.experiments.digits import LinearClassifier, MarginLoss
    >>> clf = LinearClassifier(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.zeros(3))  # 3 classes on R²
    >>> X, y = np.array([[0.6, 0.1], [0.2, 0.7], [-0.5, -0.4]]), np.array([0, 1, 2])
    >>> from maxslope.experiments.digits import digits_study
    >>> st = digits_study(clf, X, y, n_taus=2, eps=0.1)
    >>> st.taus, st.steps
    ([0.1, 0.05], [2, 4])
    """
    X, y = labelled(X, y, _check_clf(clf).W.shape[0])
    if X.shape[1] != clf.W.shape[1]:
        raise ValueError(f"argument 'X' has {X.shape[1]} columns, the classifier takes {clf.W.shape[1]}")
    eps = check_positive_scalar(eps, "eps")
    T = 2 * eps if T is None else check_positive_scalar(T, "T")
    n_taus = check_int(n_taus, "n_taus", 1)
    if n_taus > 30 or T / (eps * 2.0 ** -(n_taus - 1)) > 1e6:
        raise ValueError("arguments 'n_taus', 'eps' and 'T' ask for more than 10^6 steps of the finest tau")
    inner = MaxAffineInner()
    taus, steps, sup, gap = [], [], [], []
    for i in range(n_taus):
        tau = eps * 2.0**-i
        K = int(round(T / tau))
        F = _by_label(X, y, clf, lambda f, x0, tau=tau, K=K: ifgsm(f, x0, eps, tau, K).points)
        M = _by_label(X, y, clf, lambda f, x0, tau=tau, K=K: minimizing_movement(
            Negated(f), Lp(math.inf), x0, tau, steps=K, constraint=Box(x0, eps), inner=inner).points)
        lF, lM = _margins(clf, F[-1], y), _margins(clf, M[-1], y)
        taus.append(tau)
        steps.append(K)
        sup.append(float(np.mean(np.abs(F - M).max(-1).max(0))))
        gap.append(float(np.mean(lM - lF)))
    return DigitsStudy(taus, steps, sup, gap, len(y), eps)


def distributional_comparison(clf: LinearClassifier, X: np.ndarray, y: np.ndarray, eps: float = 0.1,
                              ifgsm_steps: int = 10) -> dict[str, float]:
    r"""The distributional adversary's value :math:`\sup\{\int\ell\,d\nu : W_\infty(\nu,\mu)\le\varepsilon\}` on
    the empirical measure of the test set (claim C20, computed by :func:`~maxslope.wasserstein.distributional_adversary`
    with :class:`MaxAffineInner`), the mean margin after batch IFGSM (``ifgsm_steps`` steps of ε/K; a lower
    bound), the mean per-image maximum computed independently (enumerating the pieces' vertices of the ε-box),
    and the clean mean margin.

    Parameters
    ----------
    clf : LinearClassifier
        The classifier.
    X : numpy.ndarray
        The images.
    y : numpy.ndarray
        Their labels.
    eps : float
        The budget.
    ifgsm_steps : int
        The IFGSM steps of the lower bound.

    Returns
    -------
    dict of str to float
        ``distributional``, ``per_image_max``, ``batch_ifgsm`` and ``clean`` mean margins, and ``ifgsm_steps``.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.experiments.digits import LinearClassifier, MarginLoss
    >>> clf = LinearClassifier(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.zeros(3))  # 3 classes on R²
    >>> X, y = np.array([[0.6, 0.1], [0.2, 0.7], [-0.5, -0.4]]), np.array([0, 1, 2])
    >>> from maxslope.experiments.digits import distributional_comparison
    >>> r = distributional_comparison(clf, X, y, eps=0.1)
    >>> abs(r["distributional"] - r["per_image_max"]) < 1e-12, r["batch_ifgsm"] <= r["distributional"] + 1e-12
    (True, True)
    """
    from ..wasserstein import Empirical, distributional_adversary

    X, y = labelled(X, y, _check_clf(clf).W.shape[0])
    if X.shape[1] != clf.W.shape[1]:
        raise ValueError(f"argument 'X' has {X.shape[1]} columns, the classifier takes {clf.W.shape[1]}")
    eps = check_positive_scalar(eps, "eps")
    if isinstance(ifgsm_steps, bool) or not isinstance(ifgsm_steps, int) or ifgsm_steps < 1:
        raise ValueError(f"argument 'ifgsm_steps' must be a positive integer, got {ifgsm_steps!r}")
    losses = [MarginLoss(clf, c) for c in range(clf.W.shape[0])]
    value, _nu = distributional_adversary(losses, Empirical(np.asarray(X, dtype=np.float64)), eps,
                                          labels=np.asarray(y, dtype=np.int64), inner=MaxAffineInner())
    F = _by_label(X, y, clf, lambda f, x0: ifgsm(f, x0, eps, eps / ifgsm_steps, ifgsm_steps).final)
    # max over the eps-box of max_j (a_j.x + c_j) = max_j (a_j.x0 + c_j + eps*|a_j|_1): independent of the inner
    per_image = [float(np.max(losses[int(c)].A @ X[n] + losses[int(c)].c + eps * np.abs(losses[int(c)].A).sum(1)))
                 for n, c in enumerate(y)]
    return {"distributional": value, "per_image_max": float(np.mean(per_image)),
            "batch_ifgsm": float(np.mean(_margins(clf, F, y))), "clean": float(np.mean(_margins(clf, X, y))),
            "ifgsm_steps": ifgsm_steps}


def torchattacks_comparison(clf: LinearClassifier, X: np.ndarray, y: np.ndarray, eps: float = 0.1,
                            alpha: float = 0.02, steps: int = 10) -> dict[str, Any] | None:
    """maxslope's ``"torchattacks"`` PGD preset against torchattacks' own ``PGD`` (no random start) on the same
    network (float32, cross-entropy, the data box [0, 1]), iterate by iterate. Returns None without torch or
    torchattacks.

    Parameters
    ----------
    clf : LinearClassifier
        The classifier.
    X : numpy.ndarray
        Images in [0, 1].
    y : numpy.ndarray
        Their labels.
    eps : float
        The budget, in (0, 1].
    alpha : float
        The PGD step, in (0, 1].
    steps : int
        The PGD steps, at least 1.

    Returns
    -------
    dict or None
        ``iterates`` compared, how many of them are ``bit_exact`` (equal to torchattacks' bit for bit), ``images``, ``robust_accuracy`` and the torchattacks
        version; None without torch or torchattacks.

    Examples
    --------
    >>> import math, numpy as np, maxslope as ms
    >>> from maxslope.experiments.digits import LinearClassifier, MarginLoss
    >>> clf = LinearClassifier(np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), np.zeros(3))  # 3 classes on R²
    >>> X, y = np.array([[0.6, 0.1], [0.2, 0.7], [-0.5, -0.4]]), np.array([0, 1, 2])
    >>> from maxslope.experiments.digits import torchattacks_comparison
    >>> r = torchattacks_comparison(clf, np.clip(X, 0, 1), y)
    >>> r is None or r["bit_exact"] == r["iterates"]  # every iterate equal bit for bit (None without torchattacks)
    True
    """
    X, y = labelled(X, y, _check_clf(clf).W.shape[0])
    if X.shape[1] != clf.W.shape[1]:
        raise ValueError(f"argument 'X' has {X.shape[1]} columns, the classifier takes {clf.W.shape[1]}")
    # the images lie in [0, 1]^d, whose l_inf diameter is 1: a larger budget or step is the same attack as 1 (and
    # torchattacks casts both to float32, where 1e300 overflows)
    for name, v in (("eps", eps), ("alpha", alpha)):
        if check_positive_scalar(v, name) > 1:
            raise ValueError(f"argument {name!r} must be in (0, 1] (images in [0, 1]), got {v!r}")
    steps = check_int(steps, "steps", 1)
    try:  # after the checks: a bad call is refused the same way with or without torchattacks
        import torch
        import torchattacks
    except ImportError:
        return None
    net = torch.nn.Linear(clf.W.shape[1], clf.W.shape[0])
    with torch.no_grad():
        net.weight.copy_(torch.from_numpy(clf.W.astype(np.float32)))
        net.bias.copy_(torch.from_numpy(clf.b.astype(np.float32)))
    net.eval()
    x0 = torch.from_numpy(np.asarray(X, dtype=np.float32))
    labels = torch.from_numpy(np.asarray(y, dtype=np.int64))

    def grad(x: Any) -> Any:
        x = x.detach().clone().requires_grad_(True)
        return torch.autograd.grad(torch.nn.CrossEntropyLoss()(net(x), labels), x)[0]

    def value(x: Any) -> Any:
        with torch.no_grad():
            return torch.logsumexp(net(x), dim=-1)

    from ..energies import FromCallables

    ours = pgd(FromCallables(value, grad), x0, eps, alpha, steps, bounds=(0.0, 1.0), convention="torchattacks").points
    exact = 0
    for k in range(1, steps + 1):
        ref = torchattacks.PGD(net, eps=eps, alpha=alpha, steps=k, random_start=False)(x0, labels)
        exact += bool(torch.equal(ours[k], ref))
    with torch.no_grad():
        acc = float((net(ours[-1]).argmax(-1) == labels).float().mean())
    return {"iterates": steps, "bit_exact": exact, "images": int(x0.shape[0]), "robust_accuracy": acc,
            "torchattacks": torchattacks.__version__}


def format_digits_table(study: DigitsStudy) -> str:
    """The difference table with observed orders.

    Parameters
    ----------
    study : DigitsStudy
        The study.

    Returns
    -------
    str
        A Markdown table.

    Examples
    --------
    >>> from maxslope.experiments.digits import DigitsStudy
    >>> st = DigitsStudy([0.1, 0.05, 0.025], [2, 4, 8], [0.02, 0.0, 0.0], [0.0, 0.0, 0.0], 5, 0.1)
    >>> from maxslope.experiments.digits import format_digits_table
    >>> print(format_digits_table(st).splitlines()[2])
    | 0.1 | 2 | 0.02 |  | 0 |
    """
    if not isinstance(study, DigitsStudy):
        raise TypeError(f"argument 'study' must be a DigitsStudy, got {type(study).__name__}")
    lines = ["| τ | K | mean sup ℓ∞ difference | order | mean ℓ(MMS) − ℓ(IFGSM) at T |", "|---|---|---|---|---|"]
    o = study.orders()
    for i, tau in enumerate(study.taus):
        prev = None if i == 0 else o[i - 1]
        order = "" if i == 0 else ("identical" if study.sup_linf[i] == 0 else "" if prev is None else f"{prev:.2f}")
        lines.append(f"| {tau:g} | {study.steps[i]} | {study.sup_linf[i]:.4g} | {order} | {study.loss_gap[i]:.3g} |")
    return "\n".join(lines)


def run_digits(n_taus: int = 7, samples: int = 50, eps: float = 0.1, seed: int = 0, echo: Any = print) -> dict[str, Any]:
    """The whole example: train, the τ study on ``samples`` test images, the distributional comparison on the
    whole test set, and (with torch and torchattacks) the peer comparison. Prints and returns the results.

    Parameters
    ----------
    n_taus : int
        The number of step sizes.
    samples : int
        The test images of the τ study.
    eps : float
        The budget.
    seed : int
        The seed of the split.
    echo : callable
        Where the text goes.

    Returns
    -------
    dict
        The ``classifier``, the ``study``, the ``distributional`` comparison and the ``peer`` comparison (None
        without torchattacks).

    Examples
    --------
    >>> from maxslope.experiments.digits import run_digits
    >>> out = run_digits(n_taus=2, samples=3, echo=lambda *a: None)
    >>> sorted(out), out["study"].steps
    (['classifier', 'distributional', 'peer', 'study'], [2, 4])
    """
    if not isinstance(samples, int) or samples < 1:
        raise ValueError(f"argument 'samples' must be a positive integer, got {samples!r}")
    Xtr, ytr, Xte, yte = load_digits_split(seed=seed)
    clf = train_linear_classifier(Xtr, ytr)
    echo(f"digits: {len(ytr)} train / {len(yte)} test images (64 pixels in [0, 1]); multinomial logistic regression, "
         f"test accuracy {clf.accuracy(Xte, yte):.3f}")
    study = digits_study(clf, Xte[:samples], yte[:samples], n_taus=n_taus, eps=eps)
    echo(f"\nIFGSM against the exact l-inf minimizing movement ({MaxAffineInner.guarantee}); margin loss, "
         f"eps = {eps:g}, T = 2 eps, {samples} test images:\n")
    echo(format_digits_table(study))
    tstar = study.coincide_from()
    if tstar is not None:
        echo(f"\nfrom tau = {tstar:g} on, IFGSM and the exact minimizing movement give identical iterates on every image: "
             "each follows the vertex of the margin's active piece")
    dist = distributional_comparison(clf, Xte, yte, eps)
    echo(f"\nW_inf distributional adversary on the {len(yte)} test images (eps = {eps:g}), mean margin:")
    echo(f"  distributional adversary {dist['distributional']:.6f} | per-image maximum {dist['per_image_max']:.6f} | "
         f"batch IFGSM ({dist['ifgsm_steps']} steps) {dist['batch_ifgsm']:.6f} | clean {dist['clean']:.6f}")
    peer = torchattacks_comparison(clf, Xte, yte, eps)
    if peer is None:
        echo("\ntorch / torchattacks not installed: the peer comparison is skipped")
    else:
        echo(f"\ntorchattacks {peer['torchattacks']} PGD against maxslope's 'torchattacks' preset on the same network: "
             f"{peer['bit_exact']}/{peer['iterates']} iterates bit-exact on {peer['images']} images (float32); "
             f"robust accuracy {peer['robust_accuracy']:.3f}")
    return {"classifier": clf, "study": study, "distributional": dist, "peer": peer}
