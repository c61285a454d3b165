r"""Attack presets: FGSM, IFGSM (BIM) and PGD as normalized steepest *ascent* of a loss :math:`\ell` (E = −ℓ).

Each preset is a chain of a direction map (a selection of the steepest set of the attack norm, or a library's
normalization), a step, and projections onto the budget ball and the data box. The order of the projections and
their floating-point form is what distinguishes the attack libraries, and ``convention`` reproduces each library's
code path, so that its iterates can be reproduced to the last bit in float32. The peer tests
(``tests/peers/test_attack_libraries.py``) run the installed libraries next to these presets and compare every
iterate.

Points are the last axis; leading axes are a batch, and every norm is taken over the last axis (flatten images
to ``(batch, C·H·W)`` first, as the libraries do internally). Iterates keep the dtype of ``x0``.

``"maxslope"`` (default)
    The semi-implicit scheme on :math:`S = \bar B_\varepsilon(x_0) \cap [\mathrm{lo}, \mathrm{hi}]^d`: a step
    along the steepest set of the attack norm, then the exact Euclidean projection onto the intersection. For ℓ∞
    that is :math:`\mathrm{clip}(x, \max(x_0 - \varepsilon, \mathrm{lo}), \min(x_0 + \varepsilon, \mathrm{hi}))`
    (claim C21(ii)); ℓ2 and ℓ1 use Dykstra's algorithm for the intersection. The ℓ1 direction is the one-hot
    vertex at the first largest :math:`|g_i|` (greedy coordinate ascent).
``"torchattacks"`` (reproduces torchattacks 3.5.1: ``FGSM``, ``BIM``, ``PGD``, ``PGDL2``)
    FGSM: ``clamp(x0 + eps*sign(g), lo, hi)``. BIM: step, then ``max(x, max(x0 - eps, lo))``, ``min(·, x0 + eps)``,
    ``min(·, hi)``. PGD ℓ∞: step, ``delta = clamp(x - x0, -eps, eps)``, ``clamp(x0 + delta, lo, hi)``. PGD ℓ2:
    direction ``g / (‖g‖₂ + 1e-10)``, ``delta *= min(eps/‖delta‖₂, 1)``, then the box. Norms are
    ``torch.norm`` (the ``torch.linalg.vector_norm`` kernel) on torch tensors. torchattacks has no ℓ1 PGD, and
    always clamps to [0, 1]; ``bounds=None`` is its arithmetic without that clamp.
``"foolbox"`` (reproduces foolbox 3.3.4: ``LinfPGD``, ``L2PGD``, ``L1PGD``, the ``BasicIterative`` and
    ``FastGradient`` attacks, which share one loop) step, then ``x0 + clip(x - x0, -eps, eps)`` (ℓ∞) or
    ``x0 + (x - x0)*min(1, eps/max(‖x - x0‖_p, 1e-12))`` (ℓ2, ℓ1: a rescaling, not the Euclidean projection),
    then the box. Directions ``sign(g)`` and ``g * (1/max(‖g‖_p, 1e-12))``; norms as eagerpy computes them,
    ``sqrt(sum(v**2))`` and ``sum(|v|)``. The iterates are those of ``Attack.run`` (``__call__`` clips once more).
``"art"`` (reproduces adversarial-robustness-toolbox 1.18 to 1.20, the NumPy path: ``FastGradientMethod``, and
    ``BasicIterativeMethod`` / ``ProjectedGradientDescent`` with an estimator that is not a ``PyTorchClassifier``,
    i.e. ``ProjectedGradientDescentNumpy``) step, **box first** (``clip`` to the float32-rounded
    ``clip_values``), then ``x0 + projection(x - x0)`` with ``sign(v)*min(|v|, eps)`` (ℓ∞) or the rescaling
    ``v*min(1, eps/‖v‖_p)`` (ℓ2, ℓ1), the factor and the product in float64 and rounded to the iterate's dtype.
    Directions ``sign(g)``, ``g/‖g‖₂`` (0 where g = 0) and, for ℓ1, the one-hot vertex at the first
    ``argmax |g_i|`` times its sign. A float64 gradient on float32 points (a scikit-learn model) is kept: the step
    and the box are computed in float64 and rounded once, when the iterate is stored, as ART does. FGSM also
    projects (ART's ``FastGradientMethod`` does). ART ≤ 1.17 added ``1e-7`` to every norm; that behaviour is not
    kept.
``"art-pytorch"`` (reproduces ART 1.18 to 1.20, ``ProjectedGradientDescentPyTorch``: ``BasicIterativeMethod`` and
    ``ProjectedGradientDescent`` with a ``PyTorchClassifier``) as ``"art"``, with the arithmetic of ART's torch
    code: the ℓ2 direction ``|g| * (1/‖g‖₂) * sign(g)`` (a reciprocal, not a division), norms by
    ``torch.linalg.norm`` on torch tensors, and the step size rounded to float32. ART's FGSM has no torch path.

Bit-exactness needs the same arithmetic: the same array library as the peer (torch tensors for torchattacks,
foolbox and ``"art-pytorch"``; NumPy arrays for ``"art"``) and the gradient the peer computes. ℓ∞ has no
reductions and is bit-exact across libraries. ℓ2 and ℓ1 steps on a NumPy array against a torch peer agree to a
few float32 rounding errors, because torch's CPU reductions accumulate in another order and width than NumPy's.

A gradient whose dtype differs from ``x0``'s is cast to ``x0``'s dtype first (autograd returns the input's dtype),
except under the ART conventions, which keep it, as ART does. Random starts use NumPy's generator (seeded), so
random-start runs are reproducible within maxslope but cannot match another library's random numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import array_api_compat
import numpy as np

from ._backend import as_float_array, check_positive_scalar, check_real_scalar, from_numpy, namespace
from ._dask import array_by_chunks, is_dask_array, trajectory_by_chunks
from .curves import Trajectory
from .energies import Negated, as_energy, check_points_for
from .spaces.box import Box
from .spaces.lp import Lp

__all__ = ["fgsm", "ifgsm", "pgd", "CONVENTIONS"]

#: the names accepted by ``convention``
CONVENTIONS = ("maxslope", "torchattacks", "foolbox", "art", "art-pytorch")
_ART = ("art", "art-pytorch")


def _norm(norm: Any) -> float:
    if norm in ("inf", "linf", math.inf):
        return math.inf
    if norm in (1, 1.0, "l1"):
        return 1.0
    if norm in (2, 2.0, "l2"):
        return 2.0
    raise ValueError(f"argument 'norm' must be inf, 2 or 1, got {norm!r}")


# ------------------------------------------------------------------------------------------ norm kernels
def _sum_norm(xp: Any, v: Any, p: float) -> Any:
    """``sqrt(sum(v*v))`` or ``sum(|v|)`` over the last axis, keepdims: NumPy's ``linalg.norm`` and eagerpy's."""
    if p == 2.0:
        return xp.sqrt(xp.sum(v * v, axis=-1, keepdims=True))
    return xp.sum(xp.abs(v), axis=-1, keepdims=True)


def _vector_norm(xp: Any, v: Any, p: float) -> Any:
    """``torch.linalg.vector_norm`` on torch tensors (what ``torch.norm`` and ``torch.linalg.norm`` call: it
    rounds differently from a sum of squares); :func:`_sum_norm` elsewhere."""
    if array_api_compat.is_torch_namespace(xp):
        import torch

        return torch.linalg.vector_norm(v, ord=p, dim=-1, keepdim=True)
    return _sum_norm(xp, v, p)


def _safe(xp: Any, n: Any) -> Any:
    """``n`` with its zeros replaced by ones, so that a division never warns (the zeros are masked after)."""
    return xp.where(n != 0, n, xp.ones_like(n))


def _one_hot_sign(xp: Any, g: Any) -> Any:
    """ART's ℓ1 direction: one-hot at the first ``argmax |g_i|``, times ``sign(g)``."""
    i = xp.argmax(xp.abs(g), axis=-1, keepdims=True)
    hot = xp.arange(g.shape[-1], device=array_api_compat.device(g)) == i
    return xp.astype(hot, g.dtype) * xp.sign(g)


# ------------------------------------------------------------------------------------------ directions
def _dir_maxslope(xp: Any, g: Any, p: float) -> Any:
    return Lp(p).steepest_direction(g)


def _dir_torchattacks(xp: Any, g: Any, p: float) -> Any:
    return g / (_vector_norm(xp, g, p) + 1e-10)


def _dir_foolbox(xp: Any, g: Any, p: float) -> Any:
    n = _sum_norm(xp, g, p)
    return g * (1 / xp.maximum(n, xp.full_like(n, 1e-12)))  # foolbox multiplies by the reciprocal


def _dir_art(xp: Any, g: Any, p: float) -> Any:
    if p == 1.0:
        return _one_hot_sign(xp, g)
    n = _sum_norm(xp, g, p)
    return xp.abs(g) / xp.where(n != 0, n, xp.full_like(n, math.inf)) * xp.sign(g)


def _dir_art_pytorch(xp: Any, g: Any, p: float) -> Any:
    if p == 1.0:
        return _one_hot_sign(xp, g)
    n = _vector_norm(xp, g, p)
    r = xp.where(n == 0, n, 1 / _safe(xp, n))
    return xp.abs(g) * r * xp.sign(g)


_DIRECTIONS: dict[str, Callable[[Any, Any, float], Any]] = {
    "maxslope": _dir_maxslope,
    "torchattacks": _dir_torchattacks,
    "foolbox": _dir_foolbox,
    "art": _dir_art,
    "art-pytorch": _dir_art_pytorch,
}


def _direction(xp: Any, g: Any, p: float, convention: str) -> Any:
    if p == math.inf:
        return xp.sign(g)  # every library: sign(0) = 0 (ART writes ones * sign(g), the same numbers)
    return _DIRECTIONS[convention](xp, g, p)


# ------------------------------------------------------------------------------------------ projections
def _clip_box(xp: Any, x: Any, bounds: tuple[float, float] | None) -> Any:
    return xp.clip(x, bounds[0], bounds[1]) if bounds is not None else x


def _clip_budget_box(xp: Any, x: Any, x0: Any, eps: float, bounds: tuple[float, float] | None) -> Any:
    """``min(max(x, max(x0 - eps, lo)), min(x0 + eps, hi))``: the exact projection onto the ℓ∞ budget box ∩ the data
    box. min and max are exact, so torchattacks' BIM order (max with the lower corner, then min with
    ``x0 + eps``, then with ``hi``) gives the same numbers."""
    a = xp.maximum(x0 - eps, xp.full_like(x0, bounds[0])) if bounds is not None else x0 - eps
    b = xp.minimum(x0 + eps, xp.full_like(x0, bounds[1])) if bounds is not None else x0 + eps
    return xp.minimum(xp.maximum(x, a), b)


def _proj_maxslope(xp: Any, x: Any, x0: Any, eps: float, p: float, bounds: Any, bim: bool) -> Any:
    if p == math.inf:
        return _clip_budget_box(xp, x, x0, eps, bounds)
    space = Lp(p)
    if bounds is None:
        return space.project_ball(x, x0, eps)
    box = Box.from_bounds(xp.full_like(x0, bounds[0]), xp.full_like(x0, bounds[1]))
    y, pp, qq = x, xp.zeros_like(x), xp.zeros_like(x)
    for _ in range(100):  # Dykstra's algorithm: the projection onto ball ∩ box
        z = space.project_ball(y + pp, x0, eps)
        pp = y + pp - z
        y = box.project(z + qq)
        qq = z + qq - y
    return y


def _proj_torchattacks(xp: Any, x: Any, x0: Any, eps: float, p: float, bounds: Any, bim: bool) -> Any:
    if p == math.inf:
        if bim:  # BIM's max/min form
            return _clip_budget_box(xp, x, x0, eps, bounds)
        return _clip_box(xp, x0 + xp.clip(x - x0, -eps, eps), bounds)
    delta = x - x0
    n = _vector_norm(xp, delta, 2.0)
    factor = xp.where(n != 0, eps / _safe(xp, n), xp.full_like(n, math.inf))  # eps/0 = inf in torch
    factor = xp.minimum(factor, xp.ones_like(factor))
    return _clip_box(xp, x0 + delta * factor, bounds)


def _proj_foolbox(xp: Any, x: Any, x0: Any, eps: float, p: float, bounds: Any, bim: bool) -> Any:
    if p == math.inf:
        x = x0 + xp.clip(x - x0, -eps, eps)
    else:
        v = x - x0
        n = xp.maximum(_sum_norm(xp, v, p), xp.full_like(v[..., :1], 1e-12))
        x = x0 + v * xp.minimum(xp.ones_like(n), eps / n)
    return _clip_box(xp, x, bounds)


def _art_project(xp: Any, x: Any, x0: Any, eps: float, p: float, norm: Callable[[Any, Any, float], Any]) -> Any:
    """ART's ``projection`` (NumPy, ``norm`` = :func:`_sum_norm`) or ``_projection`` (torch, :func:`_vector_norm`)
    of ``x - x0``: the box was applied by the step.

    A plain function called at every step, not a closure built at import: a closure's body would be fixed before
    any test could swap it (mutation testing reaches only what runs after import)."""
    v = x - x0
    v64 = xp.astype(v, xp.float64)  # eps is a float64 array in ART, so the factor and product are float64
    if p == math.inf:
        r = xp.sign(v64) * xp.minimum(xp.abs(v64), xp.full_like(v64, eps))
    else:
        n = xp.astype(norm(xp, v, p), xp.float64)
        factor = xp.where(n != 0, xp.minimum(xp.ones_like(n), eps / _safe(xp, n)), xp.zeros_like(n))
        r = v64 * factor
    return x0 + xp.astype(r, x0.dtype)


def _proj_art(xp: Any, x: Any, x0: Any, eps: float, p: float, bounds: Any, bim: bool) -> Any:
    return _art_project(xp, x, x0, eps, p, _sum_norm)


def _proj_art_pytorch(xp: Any, x: Any, x0: Any, eps: float, p: float, bounds: Any, bim: bool) -> Any:
    return _art_project(xp, x, x0, eps, p, _vector_norm)


_PROJECTIONS: dict[str, Callable[..., Any]] = {
    "maxslope": _proj_maxslope,
    "torchattacks": _proj_torchattacks,
    "foolbox": _proj_foolbox,
    "art": _proj_art,
    "art-pytorch": _proj_art_pytorch,
}


def _step(xp: Any, x: Any, g: Any, x0: Any, eps: float, alpha: float, p: float, bounds: Any, convention: str,
          bim: bool, project: bool = True) -> Any:
    """One iterate: direction, step, then the convention's box and ball (``project=False``: the box only)."""
    if convention in _ART:
        if convention == "art-pytorch":
            alpha = float(np.float32(alpha))  # ART's torch step: eps_step as a float32 tensor
        x = _clip_box(xp, x + alpha * _direction(xp, g, p, convention), bounds)
        x = xp.astype(x, x0.dtype)  # ART stores into its float32 array: the one rounding of a float64 step
        return _PROJECTIONS[convention](xp, x, x0, eps, p, bounds, bim) if project else x
    if g.dtype != x0.dtype:
        g = xp.astype(g, x0.dtype)
    x = x + alpha * _direction(xp, g, p, convention)
    return _PROJECTIONS[convention](xp, x, x0, eps, p, bounds, bim) if project else _clip_box(xp, x, bounds)


def _validate(loss: Any, x0: Any, eps: Any, bounds: Any, convention: Any) -> tuple[Any, Any, Any, float, tuple[float, float] | None]:
    loss = as_energy(loss, "loss")
    xp = namespace(x0=x0)
    x0 = as_float_array(x0, "x0", xp, min_ndim=1)
    check_points_for(loss, x0, "x0")
    eps = check_positive_scalar(eps, "eps")
    if not isinstance(convention, str):
        raise TypeError(f"argument 'convention' must be a string, one of {CONVENTIONS}, got {type(convention).__name__}")
    if convention not in CONVENTIONS:
        raise ValueError(f"argument 'convention' must be one of {CONVENTIONS}, got {convention!r}")
    if bounds is not None:
        try:
            lo, hi = (check_real_scalar(bounds[0], "bounds", allow_inf=True), check_real_scalar(bounds[1], "bounds", allow_inf=True))
        except (TypeError, IndexError, KeyError):
            raise TypeError("argument 'bounds' must be a pair of real numbers (lo, hi) or None") from None
        except ValueError:
            raise ValueError(f"argument 'bounds' must be a pair (lo, hi) with lo < hi, got {bounds!r}") from None
        if len(bounds) != 2:
            raise TypeError(f"argument 'bounds' must be a pair (lo, hi) or None, got {len(bounds)} values")
        if not (lo < hi) or math.isnan(lo) or math.isnan(hi):
            raise ValueError(f"argument 'bounds' must satisfy lo < hi, got {bounds!r}")
        if bool(xp.any(x0 < lo)) or bool(xp.any(x0 > hi)):
            raise ValueError("argument 'x0' lies outside 'bounds'")
        if convention in _ART:  # ART keeps clip_values as float32
            lo, hi = float(np.float32(lo)), float(np.float32(hi))
        bounds = (lo, hi)
    return loss, xp, x0, eps, bounds


def fgsm(loss: Any, x0: Any, eps: float, bounds: tuple[float, float] | None = None, convention: str = "maxslope") -> Any:
    r"""Fast gradient sign method: one signed-gradient *ascent* step of size :math:`\varepsilon` on :math:`\ell`.

    :math:`\tilde x = x_0 + \varepsilon\,\mathrm{sign}\,\nabla\ell(x_0)`, then the convention's box and ball
    (torchattacks clamps to the box only). This is one semi-implicit step with :math:`\tau = \varepsilon` of
    the energy :math:`E = -\ell` in :math:`(\mathbb R^d, \|\cdot\|_\infty)`.

    Parameters
    ----------
    loss : Energy or object with ``value(x)`` and ``grad(x)``
        The loss :math:`\ell` to increase, batched over the leading axes of ``x0``.
    x0 : array, shape (..., d)
        Clean points (a batch over the leading axes); any array library.
    eps : float
        The ℓ∞ budget :math:`\varepsilon > 0`.
    bounds : (float, float) or None
        The data box :math:`[\mathrm{lo}, \mathrm{hi}]^d`, or None for no box.
    convention : str
        One of :data:`CONVENTIONS` (see the module docstring). ``"art-pytorch"`` is refused: ART's
        ``FastGradientMethod`` has only the NumPy path (``"art"``).

    Returns
    -------
    array, shape of ``x0``
        The adversarial points, in the library and dtype of ``x0``.

    Examples
    --------
    >>> import numpy as np
    >>> import maxslope as ms
    >>> from maxslope.attacks import fgsm
    >>> fgsm(ms.Linear(np.array([1.0, -2.0])), np.array([0.5, 0.5]), 0.1, bounds=(0.0, 1.0))
    array([0.6, 0.4])
    """
    if is_dask_array(x0):
        return array_by_chunks(lambda xb: fgsm(loss, xb, eps, bounds, convention), x0)
    loss, xp, x0, eps, bounds = _validate(loss, x0, eps, bounds, convention)
    if convention == "art-pytorch":
        raise ValueError("convention='art-pytorch' has no FGSM (ART's FastGradientMethod runs in NumPy); use 'art'")
    return _step(xp, x0, loss.grad(x0), x0, eps, eps, math.inf, bounds, convention, bim=False,
                 project=convention != "torchattacks")


def ifgsm(
    loss: Any,
    x0: Any,
    eps: float,
    alpha: float,
    steps: int,
    bounds: tuple[float, float] | None = None,
    random_start: bool = False,
    seed: int | None = None,
    convention: str = "maxslope",
) -> Trajectory:
    r"""Iterative FGSM (BIM, Kurakin et al.): :math:`x^{k+1} = \Pi(x^k + \alpha\,\mathrm{sign}\,\nabla\ell(x^k))`.

    With ``convention="maxslope"`` this is exactly the semi-implicit scheme of :math:`E = -\ell` on the budget
    box (claim C21(ii)); with :math:`K\alpha \le \varepsilon` the projection never acts (claim C21(i)).

    Parameters
    ----------
    loss : Energy or object with ``value(x)`` and ``grad(x)``
        The loss :math:`\ell` to increase.
    x0 : array, shape (..., d)
        Clean points (a batch over the leading axes).
    eps : float
        The ℓ∞ budget :math:`\varepsilon > 0`.
    alpha : float
        The step size :math:`\alpha > 0` (the time step τ of the scheme).
    steps : int
        The number of iterations :math:`K \ge 0`.
    bounds : (float, float) or None
        The data box, or None.
    random_start : bool
        Start at a uniform point of the budget ball (seeded by ``seed``), clipped to the box.
    seed : int or None
        Seed of the random start; None draws one from the system's entropy. Either way the result's
        ``meta["seed"]`` holds the seed used, so the run can be repeated from its record.
    convention : str
        One of :data:`CONVENTIONS`; torchattacks' ``BIM``, foolbox's ``LinfBasicIterativeAttack``, ART's
        ``BasicIterativeMethod`` (``"art"``: NumPy estimators, ``"art-pytorch"``: a ``PyTorchClassifier``).

    Returns
    -------
    Trajectory
        The iterates :math:`x^0, \dots, x^K` at times :math:`k\alpha`, with energies :math:`E = -\ell`.

    Examples
    --------
    >>> import numpy as np
    >>> import maxslope as ms
    >>> from maxslope.attacks import ifgsm
    >>> tr = ifgsm(ms.Linear(np.array([1.0, -2.0])), np.array([0.5, 0.5]), eps=0.1, alpha=0.04, steps=3)
    >>> tr.final
    array([0.6, 0.4])
    """
    return _iterate(loss, x0, eps, alpha, steps, math.inf, bounds, random_start, seed, convention, bim=True)


def pgd(
    loss: Any,
    x0: Any,
    eps: float,
    alpha: float,
    steps: int,
    norm: Any = math.inf,
    bounds: tuple[float, float] | None = None,
    random_start: bool = False,
    seed: int | None = None,
    convention: str = "maxslope",
) -> Trajectory:
    r"""Projected gradient *ascent* on :math:`\ell` in the ℓ∞, ℓ2 or ℓ1 ball of radius :math:`\varepsilon`.

    :math:`x^{k+1} = \Pi_{\bar B_\varepsilon(x_0) \cap \text{box}}(x^k + \alpha\, v^k)`, where :math:`v^k` is the
    convention's normalized gradient (an element of the steepest set :math:`\partial\|\cdot\|_*(\nabla\ell(x^k))`
    for ``"maxslope"``) and :math:`\Pi` the convention's projections (see the module docstring).

    Parameters
    ----------
    loss : Energy or object with ``value(x)`` and ``grad(x)``
        The loss :math:`\ell` to increase.
    x0 : array, shape (..., d)
        Clean points (a batch over the leading axes).
    eps : float
        The budget :math:`\varepsilon > 0` in the attack norm.
    alpha : float
        The step size :math:`\alpha > 0`.
    steps : int
        The number of iterations :math:`K \ge 0`.
    norm : {inf, 2, 1, "inf", "l2", "l1"}
        The attack norm.
    bounds : (float, float) or None
        The data box, or None.
    random_start : bool
        Start at a uniform point of the budget ball (seeded by ``seed``), clipped to the box.
    seed : int or None
        Seed of the random start; None draws one from the system's entropy. Either way the result's
        ``meta["seed"]`` holds the seed used, so the run can be repeated from its record.
    convention : str
        One of :data:`CONVENTIONS` (``"torchattacks"`` has no ℓ1 PGD).

    Returns
    -------
    Trajectory
        The iterates at times :math:`k\alpha`, with energies :math:`E = -\ell`.

    Examples
    --------
    >>> import numpy as np
    >>> import maxslope as ms
    >>> from maxslope.attacks import pgd
    >>> tr = pgd(ms.Linear(np.array([3.0, 4.0])), np.array([0.0, 0.0]), eps=1.0, alpha=2.0, steps=1, norm=2)
    >>> tr.final
    array([0.6, 0.8])
    """
    return _iterate(loss, x0, eps, alpha, steps, _norm(norm), bounds, random_start, seed, convention, bim=False)


def _fresh_seed() -> int:
    """A seed in [0, 2⁶³) from the operating system's entropy (for a random start called with ``seed=None``)."""
    return int(np.random.SeedSequence().generate_state(2, np.uint64)[0] % 2**63)


def _iterate(
    loss: Any,
    x0: Any,
    eps: float,
    alpha: float,
    steps: int,
    p: float,
    bounds: Any,
    random_start: bool,
    seed: int | None,
    convention: str,
    bim: bool,
    draw_offset: int = 0,
) -> Trajectory:
    if is_dask_array(x0):
        return _iterate_chunks(loss, x0, eps, alpha, steps, p, bounds, random_start, seed, convention, bim)
    loss, xp, x0, eps, bounds = _validate(loss, x0, eps, bounds, convention)
    alpha = check_positive_scalar(alpha, "alpha")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"argument 'steps' must be a non-negative integer, got {steps!r}")
    if not isinstance(random_start, bool):
        raise TypeError(f"argument 'random_start' must be a bool, got {type(random_start).__name__}")
    if convention == "torchattacks" and p == 1.0:
        raise ValueError("convention='torchattacks' has no l1 PGD; use 'foolbox', 'art' or 'maxslope'")
    x = x0
    if random_start:
        if seed is None:  # drawn here and recorded in the meta, so that the run can be repeated from its record
            seed = _fresh_seed()
        bitgen = np.random.PCG64(seed)  # the generator of np.random.default_rng(seed)
        bitgen.advance(draw_offset)  # a chunk of a Dask batch continues the stream where the chunk starts
        rng = np.random.Generator(bitgen)
        shape = tuple(x0.shape)
        if p == math.inf:
            delta = rng.uniform(-eps, eps, size=shape)
        else:
            g = rng.standard_normal(size=shape)
            g /= np.linalg.norm(g, ord=p, axis=-1, keepdims=True)
            delta = g * eps * rng.uniform(size=shape[:-1] + (1,)) ** (1.0 / shape[-1])
        x = _clip_box(xp, x0 + xp.astype(from_numpy(delta, x0), x0.dtype), bounds)
    E = Negated(loss)
    pts, ens = [x], [E.value(x)]
    for _ in range(steps):
        x = _step(xp, x, loss.grad(x), x0, eps, alpha, p, bounds, convention, bim)
        pts.append(x)
        ens.append(E.value(x))
    meta = {
        "scheme": "ifgsm" if bim else "pgd",
        "tau": alpha,
        "eps": eps,
        "p": p,
        "steps": steps,
        "convention": convention,
        "bounds": bounds,
        "random_start": random_start,
        "seed": seed,
        "energy": "E = -loss",
    }
    return Trajectory(np.arange(steps + 1) * alpha, xp.stack(pts, axis=0), xp.stack(ens, axis=0), meta)


def _iterate_chunks(loss: Any, x0: Any, eps: float, alpha: float, steps: int, p: float, bounds: Any, random_start: bool,
                    seed: int | None, convention: str, bim: bool) -> Trajectory:
    """``_iterate`` on each chunk of a Dask batch; a random start continues one PCG64 stream across the chunks."""
    if not isinstance(random_start, bool):
        raise TypeError(f"argument 'random_start' must be a bool, got {type(random_start).__name__}")
    if not random_start:
        return trajectory_by_chunks(  # type: ignore[no-any-return]
            lambda xb: _iterate(loss, xb, eps, alpha, steps, p, bounds, False, seed, convention, bim), x0)
    if p != math.inf:
        raise ValueError("argument 'random_start' with a Dask 'x0' needs norm=inf: the l2/l1 starts draw a variable "
                         "number of random numbers per point, so a chunk cannot find its place in the stream")
    if any(len(c) != 1 for c in x0.chunks[1:]):
        raise ValueError(f"argument 'x0' for a random start must be chunked along its first axis only, got chunks {x0.chunks}")
    if seed is None:  # one stream for the whole batch, as in memory
        seed = _fresh_seed()
    row = math.prod(x0.shape[1:])
    starts = np.concatenate([[0], np.cumsum(x0.chunks[0])])

    def run(xb: np.ndarray, block_id: tuple[int, ...] = (0,)) -> Trajectory:
        return _iterate(loss, xb, eps, alpha, steps, p, bounds, True, seed, convention, bim, int(starts[block_id[0]]) * row)

    return trajectory_by_chunks(run, x0, with_block_id=True)  # type: ignore[no-any-return]
