"""Validation shared by the experiments: labelled data sets of the two-moons and digits classifiers."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import as_float_array, check_finite


def labelled(X: Any, y: Any, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """``X`` as finite float rows (n, d), d >= 1, n >= 1, and ``y`` as integer labels in 0..classes-1, one per row.

    Raises a ``ValueError`` naming ``X`` or ``y`` otherwise; the caller's arrays are not changed.
    """
    X = np.asarray(as_float_array(X, "X", min_ndim=2), dtype=np.float64)
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(f"argument 'X' must have shape (n, d) with d >= 1, got {X.shape}")
    check_finite(X, "X", np)
    y = np.asarray(y)
    if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"argument 'y' must be integer labels of shape ({X.shape[0]},), got {y.dtype} {y.shape}")
    if X.shape[0] == 0:
        raise ValueError("argument 'X' must hold at least one image")
    if y.min() < 0 or y.max() >= classes:
        raise ValueError(f"argument 'y' must lie in 0..{classes - 1}")
    return X, y
