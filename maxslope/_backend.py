"""Array-library plumbing: namespaces, validation and conversions.

Every public function of maxslope takes arrays of the caller's library (NumPy, CuPy, torch, or any array-API
library such as ``array_api_strict``) and returns arrays of the same library. This module is the single place
that knows how to find that library (through :mod:`array_api_compat`) and how to reject bad input with a message
that names the offending argument.
"""

from __future__ import annotations

import math
from typing import Any

import array_api_compat
import numpy as np

__all__ = [
    "namespace",
    "as_float_array",
    "check_finite",
    "check_positive_scalar",
    "check_p",
    "to_numpy",
    "is_numpy",
    "library_name",
]


def library_name(x: Any) -> str:
    """Human-readable name of the array library that owns ``x``."""
    if isinstance(x, (bool, int, float, complex)):
        return "python scalar"
    try:
        xp = array_api_compat.array_namespace(x)
    except TypeError:
        return type(x).__module__.split(".")[0] + "." + type(x).__name__
    name = xp.__name__
    for prefix in ("array_api_compat.",):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def namespace(**arrays: Any) -> Any:
    """Return the array namespace shared by the named arrays.

    Parameters
    ----------
    **arrays
        The arrays of one call, by argument name. ``None`` and Python scalars are ignored.

    Raises
    ------
    TypeError
        If the arrays come from different array libraries (for example a NumPy array and a CuPy array), with
        the argument names and libraries in the message; or if an argument is not an array at all.
    """
    present = {
        k: v for k, v in arrays.items() if v is not None and not isinstance(v, (bool, int, float))
    }
    if not present:
        return array_api_compat.array_namespace(np.empty(0))
    libs: dict[str, list[str]] = {}
    for k, v in present.items():
        if isinstance(v, (list, tuple)):
            raise TypeError(
                f"argument {k!r} is a Python {type(v).__name__}; pass an array (e.g. numpy.asarray({k}))"
            )
        try:
            array_api_compat.array_namespace(v)
        except TypeError as exc:
            raise TypeError(f"argument {k!r} is not an array of a supported library: {exc}") from None
        libs.setdefault(library_name(v), []).append(k)
    if len(libs) > 1:
        desc = "; ".join(f"{', '.join(repr(n) for n in names)}: {lib}" for lib, names in libs.items())
        raise TypeError(
            "mixed array libraries in one call (" + desc + "); convert all arrays to one library first"
        )
    return array_api_compat.array_namespace(*present.values())


def is_numpy(xp: Any) -> bool:
    """True if ``xp`` is NumPy (or array-api-compat's NumPy wrapper)."""
    return bool(array_api_compat.is_numpy_namespace(xp))


def as_float_array(x: Any, name: str, xp: Any = None, *, min_ndim: int = 0, allow_int: bool = True) -> Any:
    """Validate ``x`` as a finite real floating array and return it in namespace ``xp``.

    Lists and Python scalars are converted with ``xp.asarray`` (NumPy when ``xp`` is None). Integer arrays are
    promoted to float64. Complex, boolean and non-finite input raise.
    """
    if xp is None:
        xp = namespace(**{name: x}) if not isinstance(x, (list, tuple, int, float)) else namespace()
    if isinstance(x, (list, tuple, int, float)):
        x = xp.asarray(x)
    else:
        if library_name(x) != library_name(xp.asarray(0.0)):
            raise TypeError(
                f"argument {name!r} is a {library_name(x)} array but the other arrays of this call are "
                f"{library_name(xp.asarray(0.0))} arrays; convert it first"
            )
    dt = x.dtype
    if getattr(dt, "kind", "f") in "OSUVMm":  # NumPy object, string, void and datetime arrays
        raise TypeError(f"argument {name!r} must be a real floating array, got dtype {dt}")
    if xp.isdtype(dt, "bool") or xp.isdtype(dt, "complex floating"):
        raise TypeError(f"argument {name!r} must be a real floating array, got dtype {dt}")
    if xp.isdtype(dt, "integral"):
        if not allow_int:
            raise TypeError(f"argument {name!r} must be a floating array, got dtype {dt}")
        x = xp.astype(x, xp.float64)
    if x.ndim < min_ndim:
        raise ValueError(f"argument {name!r} must have at least {min_ndim} dimension(s), got shape {tuple(x.shape)}")
    check_finite(x, name, xp)
    return x


def check_finite(x: Any, name: str, xp: Any = None) -> None:
    """Raise ``ValueError`` naming ``name`` if ``x`` holds NaN or infinity."""
    if xp is None:
        xp = array_api_compat.array_namespace(x)
    if math.prod(x.shape) == 0:
        return
    if not bool(xp.all(xp.isfinite(x))):
        nnan = int(xp.sum(xp.astype(xp.isnan(x), xp.int64)))
        raise ValueError(
            f"argument {name!r} contains non-finite values ({nnan} NaN, "
            f"{int(xp.sum(xp.astype(xp.isinf(x), xp.int64)))} infinite); maxslope never propagates NaN"
        )


def check_real_scalar(v: Any, name: str, *, allow_inf: bool = False) -> float:
    """Return ``float(v)`` after checking it is a real, non-NaN number (finite unless ``allow_inf``)."""
    if isinstance(v, (bool, str, bytes, complex, np.bool_, np.complexfloating)) or getattr(getattr(v, "dtype", None), "kind", "f") in "cbOSU":
        raise TypeError(f"argument {name!r} must be a real number, got {type(v).__name__}")
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise TypeError(f"argument {name!r} must be a real number, got {type(v).__name__}") from None
    if math.isnan(f) or (math.isinf(f) and not allow_inf):
        raise ValueError(f"argument {name!r} must be finite, got {f}")
    return f


def check_positive_scalar(v: Any, name: str, *, allow_zero: bool = False, allow_inf: bool = False) -> float:
    """Return ``float(v)`` after checking it is a real number > 0 (or ≥ 0 with ``allow_zero``)."""
    f = check_real_scalar(v, name, allow_inf=allow_inf)
    if f < 0 or (f == 0 and not allow_zero):
        raise ValueError(f"argument {name!r} must be {'>= 0' if allow_zero else '> 0'}, got {f}")
    return f


def check_int(v: Any, name: str, minimum: int = 0) -> int:
    """Return ``int(v)`` after checking it is an integer (not a bool) with ``v >= minimum``."""
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"argument {name!r} must be an integer >= {minimum}, got {type(v).__name__}")
    if v < minimum:
        raise ValueError(f"argument {name!r} must be an integer >= {minimum}, got {v!r}")
    return int(v)


def check_callable(f: Any, name: str, what: str = "callable") -> Any:
    """Return ``f`` if it is callable, else a ``TypeError`` naming the argument (``what`` says what it maps)."""
    if not callable(f):
        raise TypeError(f"argument {name!r} must be a {what}, got {type(f).__name__}")
    return f


def check_p(p: Any, name: str = "p", *, minimum: float = 1.0, strict: bool = False) -> float:
    """Validate an exponent ``p ∈ [minimum, ∞]`` (``(minimum, ∞]`` when ``strict``)."""
    if isinstance(p, bool):
        raise TypeError(f"argument {name!r} must be a real number or math.inf, got bool")
    try:
        f = float(p)
    except (TypeError, ValueError):
        raise TypeError(f"argument {name!r} must be a real number or math.inf, got {type(p).__name__}") from None
    if math.isnan(f) or f < minimum or (strict and f == minimum):
        rng = f"({minimum:g}, inf]" if strict else f"[{minimum:g}, inf]"
        raise ValueError(f"argument {name!r} must lie in {rng}, got {p!r}")
    return f


def to_numpy(x: Any) -> np.ndarray:
    """Copy an array of any supported library to host NumPy (used by host-only reference code)."""
    if isinstance(x, np.ndarray):
        return x
    if array_api_compat.is_cupy_array(x):
        return x.get()  # type: ignore[no-any-return]
    if array_api_compat.is_torch_array(x):
        return x.detach().cpu().numpy()  # type: ignore[no-any-return]
    try:
        return np.asarray(x)
    except Exception:  # array_api_strict arrays expose __dlpack__/buffer
        return np.from_dlpack(x)


def from_numpy(a: np.ndarray, like: Any) -> Any:
    """Move a NumPy array to the library (and device) of ``like``."""
    xp = array_api_compat.array_namespace(like)
    if is_numpy(xp):
        return a
    try:
        dev = array_api_compat.device(like)
        return xp.asarray(a, device=dev)
    except TypeError:
        return xp.asarray(a)
