"""maxslope's attack presets against the installed attack libraries, iterate by iterate.

torchattacks 3.5.1, foolbox 3.3.4 and ART 1.20.1 run their own attacks on a small torch network (and, for ART's
float64 NumPy path, a scikit-learn logistic regression); maxslope runs the matching ``convention`` with the
gradient that library computes. The iterate after k steps is the library's output with ``steps = k`` (no random
start, so the runs are deterministic), for every k = 1..K.

Tolerances: ℓ∞ is bit-exact everywhere. ℓ2 and ℓ1 are bit-exact where the arithmetic is the same (maxslope on the
library's own array library: torch tensors for torchattacks, foolbox and ART's torch path, NumPy for ART's NumPy
path) and within 1e-6 otherwise: there a NumPy sum meets a torch CPU reduction, which accumulates in another order
and width. Install the peers with ``nox -s peers`` (or as ``.ci/run`` does); without them every test here skips.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the peer tests need torch (pip install torch==2.13.0)")
torchattacks = pytest.importorskip("torchattacks", reason="needs torchattacks 3.5.1 (nox -s peers)")
foolbox = pytest.importorskip("foolbox", reason="needs foolbox 3.3.4 (nox -s peers)")
art = pytest.importorskip("art", reason="needs adversarial-robustness-toolbox 1.20.1 (nox -s peers)")

import eagerpy as ep  # noqa: E402
from art.attacks.evasion import (  # noqa: E402
    BasicIterativeMethod,
    FastGradientMethod,
    ProjectedGradientDescent,
    ProjectedGradientDescentNumpy,
)
from art.estimators.classification import PyTorchClassifier, SklearnClassifier  # noqa: E402

import maxslope as ms  # noqa: E402
from maxslope.attacks import fgsm, ifgsm, pgd  # noqa: E402

D, C, K = 8, 3, 5
#: (eps, alpha) per norm: the budget binds within K steps, so the projections act
BUDGET = {math.inf: (0.1, 0.03), 2.0: (0.3, 0.1), 1.0: (0.6, 0.2)}
NORMS = {math.inf: "inf", 2.0: "l2", 1.0: "l1"}
COUNTS: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])  # cases, iterates, exact, max |diff|


def _net():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(D, 16), torch.nn.Tanh(), torch.nn.Linear(16, C))
    return net.eval()


NET = _net()
#: torchattacks' PGDL2 reshapes norms to (N, 1, 1, 1): it takes images, so it gets (N, 1, 1, D) and this model
NET4 = torch.nn.Sequential(torch.nn.Flatten(), NET).eval()


def _points(batch: int, box: bool) -> np.ndarray:
    """Start points: with the box, some coordinates sit near 0 and 1 so that it binds; without it, deep inside
    [0, 1] so that torchattacks' fixed [0, 1] clamp never acts."""
    rng = np.random.default_rng(batch + 10 * box)
    if box:
        x = rng.uniform(0, 1, size=(batch, D))
        x[:, :2] = rng.choice([0.01, 0.99], size=(batch, 2))
        return x.astype(np.float32)
    return rng.uniform(0.4, 0.6, size=(batch, D)).astype(np.float32)


def _labels(x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return NET(torch.from_numpy(x)).argmax(-1).numpy()


class _Loss(ms.Energy):
    """The library's loss and gradient as a maxslope energy, on NumPy arrays or torch tensors."""

    def __init__(self, grad_torch, value_torch):
        self._g, self._v = grad_torch, value_torch

    def _call(self, f, x):
        if isinstance(x, torch.Tensor):
            return f(x)
        out = f(torch.from_numpy(np.ascontiguousarray(x)))
        return out.detach().numpy()

    def _value(self, x, xp):
        return self._call(self._v, x)

    def _grad(self, x, xp):
        return self._call(self._g, x)


def _ce_value(y):
    """The energies the trajectories record: log-sum-exp of the logits (any batch shape; not compared)."""
    def v(x):
        with torch.no_grad():
            return torch.logsumexp(NET(x), dim=-1)
    return v


def _torchattacks_loss(y):
    def g(x):
        x = x.detach().clone().requires_grad_(True)
        cost = torch.nn.CrossEntropyLoss()(NET(x), torch.as_tensor(y))  # torchattacks' loss, mean reduction
        return torch.autograd.grad(cost, x)[0]
    return _Loss(g, _ce_value(y))


def _foolbox_loss(y):
    fmodel = foolbox.PyTorchModel(NET, bounds=(0, 1))
    attack = foolbox.attacks.LinfPGD()
    loss_fn = attack.get_loss_fn(fmodel, ep.astensor(torch.as_tensor(y)))

    def g(x):
        return attack.value_and_grad(loss_fn, ep.astensor(x))[1].raw
    return _Loss(g, _ce_value(y))


def _art_classifier(box: bool):
    return PyTorchClassifier(NET, loss=torch.nn.CrossEntropyLoss(), input_shape=(D,), nb_classes=C,
                             clip_values=(0.0, 1.0) if box else None)


def _art_loss(clf, y):
    onehot = np.eye(C, dtype=np.float32)[y]

    def g(x):
        if isinstance(x, torch.Tensor):
            return clf.loss_gradient(x, torch.from_numpy(onehot))
        return torch.from_numpy(clf.loss_gradient(x.numpy(), onehot))
    return _Loss(g, _ce_value(y))


def _backend(x: np.ndarray, backend: str):
    return torch.from_numpy(x.copy()) if backend == "torch" else x.copy()


def _compare(lib, norm, backend, ms_points, lib_iterates, exact: bool):
    """Every iterate k = 1..K: bit-exact, or within 1e-6 where the arithmetic differs (see the module docstring)."""
    got = np.asarray(ms_points.detach().numpy() if isinstance(ms_points, torch.Tensor) else ms_points)
    assert got.dtype == np.float32
    n_exact, worst = 0, 0.0
    for k, ref in enumerate(lib_iterates, start=1):
        ref = np.asarray(ref)
        assert ref.dtype == np.float32
        if exact:
            np.testing.assert_array_equal(got[k], ref, err_msg=f"{lib} {norm} {backend}: iterate {k}")
        else:
            np.testing.assert_allclose(got[k], ref, rtol=0, atol=1e-6, err_msg=f"{lib} {norm} {backend}: iterate {k}")
        n_exact += bool(np.array_equal(got[k], ref))
        worst = max(worst, float(np.max(np.abs(got[k] - ref))))
    c = COUNTS[(lib, NORMS[norm] if not isinstance(norm, str) else norm, backend)]
    c[0] += 1
    c[1] += len(lib_iterates)
    c[2] += n_exact
    c[3] = max(c[3], worst)


CASES = [(b, box, be) for b in (1, 7) for box in (True, False) for be in ("numpy", "torch")]


def _setup(batch: int, box: bool, p: float):
    """Start points, their predicted labels, the budget and step for ``p``, and the data box (or None)."""
    x0 = _points(batch, box)
    return (x0, _labels(x0), *BUDGET[p], (0.0, 1.0) if box else None)


def _with_start(x0: np.ndarray, x1):
    """A one-step result as the two iterates (x0, x1), in x1's library."""
    return torch.stack([torch.from_numpy(x0), x1]) if isinstance(x1, torch.Tensor) else np.stack([x0, x1])


# ------------------------------------------------------------------------------------------ torchattacks
@pytest.mark.parametrize("scheme,p", [("fgsm", math.inf), ("bim", math.inf), ("pgd", math.inf), ("pgd", 2.0)])
@pytest.mark.parametrize("batch,box,backend", CASES)
def test_torchattacks(scheme, p, batch, box, backend):
    x0, y, eps, alpha, bounds = _setup(batch, box, p)
    loss = _torchattacks_loss(y)
    xt, yt = torch.from_numpy(x0).reshape(batch, 1, 1, D), torch.from_numpy(y)
    if scheme == "fgsm":
        ours = _with_start(x0, fgsm(loss, _backend(x0, backend), eps, bounds=bounds, convention="torchattacks"))
        refs = [torchattacks.FGSM(NET4, eps=eps)(xt, yt).reshape(batch, D).numpy()]
    else:
        if scheme == "bim":
            tr = ifgsm(loss, _backend(x0, backend), eps, alpha, K, bounds=bounds, convention="torchattacks")
            make = lambda k: torchattacks.BIM(NET4, eps=eps, alpha=alpha, steps=k)  # noqa: E731
        elif p == math.inf:
            tr = pgd(loss, _backend(x0, backend), eps, alpha, K, bounds=bounds, convention="torchattacks")
            make = lambda k: torchattacks.PGD(NET4, eps=eps, alpha=alpha, steps=k, random_start=False)  # noqa: E731
        else:
            tr = pgd(loss, _backend(x0, backend), eps, alpha, K, norm=2, bounds=bounds, convention="torchattacks")
            make = lambda k: torchattacks.PGDL2(NET4, eps=eps, alpha=alpha, steps=k, random_start=False)  # noqa: E731
        ours = tr.points
        refs = [make(k)(xt, yt).reshape(batch, D).numpy() for k in range(1, K + 1)]
    if not box:  # torchattacks always clamps to [0, 1]: the points stay inside, so the clamp never acted
        assert all(((r > 0) & (r < 1)).all() for r in refs)
    _compare("torchattacks", p, backend, ours, refs, exact=p == math.inf or backend == "torch")


# ------------------------------------------------------------------------------------------ foolbox
@pytest.mark.parametrize("scheme", ["fgm", "bim", "pgd"])
@pytest.mark.parametrize("p", [math.inf, 2.0, 1.0])
@pytest.mark.parametrize("batch,box,backend", CASES)
def test_foolbox(scheme, p, batch, box, backend):
    x0, y, eps, alpha, bounds = _setup(batch, box, p)
    fmodel = foolbox.PyTorchModel(NET, bounds=(0.0, 1.0) if box else (-math.inf, math.inf))
    crit = foolbox.criteria.Misclassification(torch.from_numpy(y))
    xt = torch.from_numpy(x0)
    fa = foolbox.attacks
    cls = {
        "fgm": {math.inf: fa.LinfFastGradientAttack, 2.0: fa.L2FastGradientAttack, 1.0: fa.L1FastGradientAttack},
        "bim": {math.inf: fa.LinfBasicIterativeAttack, 2.0: fa.L2BasicIterativeAttack, 1.0: fa.L1BasicIterativeAttack},
        "pgd": {math.inf: fa.LinfPGD, 2.0: fa.L2PGD, 1.0: fa.L1PGD},
    }[scheme][p]
    loss = _foolbox_loss(y)
    if scheme == "fgm":  # one step of size eps (rel_stepsize = 1)
        refs = [cls(random_start=False).run(fmodel, xt, crit, epsilon=eps).numpy()]
        if p == math.inf:
            ours = _with_start(x0, fgsm(loss, _backend(x0, backend), eps, bounds=bounds, convention="foolbox"))
        else:
            ours = pgd(loss, _backend(x0, backend), eps, eps, 1, norm=p, bounds=bounds, convention="foolbox").points
    else:
        refs = [cls(abs_stepsize=alpha, steps=k, random_start=False).run(fmodel, xt, crit, epsilon=eps).numpy()
                for k in range(1, K + 1)]
        if scheme == "bim" and p == math.inf:
            tr = ifgsm(loss, _backend(x0, backend), eps, alpha, K, bounds=bounds, convention="foolbox")
        else:
            tr = pgd(loss, _backend(x0, backend), eps, alpha, K, norm=p, bounds=bounds, convention="foolbox")
        ours = tr.points
    _compare("foolbox", p, backend, ours, refs, exact=p == math.inf or backend == "torch")


# ------------------------------------------------------------------------------------------ ART, torch model
@pytest.mark.parametrize("scheme", ["fgm", "bim", "pgd", "pgd-numpy"])
@pytest.mark.parametrize("p", [math.inf, 2.0, 1.0])
@pytest.mark.parametrize("batch,box,backend", CASES)
def test_art_pytorch_classifier(scheme, p, batch, box, backend):
    """FGM and ``ProjectedGradientDescentNumpy`` take ART's NumPy path (``"art"``); BIM and PGD with a
    ``PyTorchClassifier`` take its torch path (``"art-pytorch"``)."""
    if scheme == "bim" and p != math.inf:
        pytest.skip("ART's BasicIterativeMethod is l-inf only")
    x0, y, eps, alpha, bounds = _setup(batch, box, p)
    clf = _art_classifier(box)
    loss = _art_loss(clf, y)
    norm = np.inf if p == math.inf else int(p)
    conv = "art-pytorch" if scheme in ("bim", "pgd") else "art"
    if scheme == "fgm":
        refs = [FastGradientMethod(clf, norm=norm, eps=eps, eps_step=eps, batch_size=64).generate(x0, y=y)]
        if p == math.inf:
            ours = _with_start(x0, fgsm(loss, _backend(x0, backend), eps, bounds=bounds, convention="art"))
        else:
            ours = pgd(loss, _backend(x0, backend), eps, eps, 1, norm=p, bounds=bounds, convention="art").points
    else:
        def make(k):
            if scheme == "bim":
                return BasicIterativeMethod(clf, eps=eps, eps_step=alpha, max_iter=k, batch_size=64)
            kw = dict(norm=norm, eps=eps, eps_step=alpha, max_iter=k, num_random_init=0, batch_size=64)
            if scheme == "pgd-numpy":
                return ProjectedGradientDescentNumpy(clf, **kw)
            attack = ProjectedGradientDescent(clf, **kw)
            assert type(attack._attack).__name__ == "ProjectedGradientDescentPyTorch"
            return attack
        refs = [make(k).generate(x0, y=y) for k in range(1, K + 1)]
        run = ifgsm if scheme == "bim" else pgd
        kw = {} if scheme == "bim" else {"norm": p}
        ours = run(loss, _backend(x0, backend), eps, alpha, K, bounds=bounds, convention=conv, **kw).points
    same_arith = (backend == "torch") == (conv == "art-pytorch")
    _compare(f"ART ({conv})", p, backend, ours, refs, exact=p == math.inf or same_arith)


# ------------------------------------------------------------------------------------------ ART, float64 gradient
def _sklearn_classifier(box: bool):
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(3)
    X = rng.uniform(0, 1, size=(200, D))
    yy = (X[:, 0] + 2 * X[:, 1] - X[:, 2] > 1.0).astype(int) + (X[:, 3] > 0.7).astype(int)
    return SklearnClassifier(LogisticRegression().fit(X, yy), clip_values=(0.0, 1.0) if box else None)


def _sk_loss(clf, y, cast: bool = False):
    onehot = np.eye(C)[y]

    def grad(x):
        g = clf.loss_gradient(x, onehot)
        assert g.dtype == np.float64  # the point of this case: a float64 gradient on float32 points
        return g.astype(np.float32) if cast else g
    return ms.FromCallables(lambda x: np.zeros(x.shape[:-1], dtype=x.dtype), grad)


def _sk_runs(scheme, p, clf, x0, y, eps, alpha):
    norm = np.inf if p == math.inf else int(p)
    if scheme == "fgm":
        return [FastGradientMethod(clf, norm=norm, eps=eps, eps_step=eps).generate(x0, y=y)]
    if scheme == "bim":
        return [BasicIterativeMethod(clf, eps=eps, eps_step=alpha, max_iter=k).generate(x0, y=y) for k in range(1, K + 1)]
    return [ProjectedGradientDescent(clf, norm=norm, eps=eps, eps_step=alpha, max_iter=k, num_random_init=0)
            .generate(x0, y=y) for k in range(1, K + 1)]


def _sk_ours(scheme, p, loss, x0, eps, alpha, bounds):
    if scheme == "fgm" and p == math.inf:
        return _with_start(x0, fgsm(loss, x0, eps, bounds=bounds, convention="art"))
    if scheme == "fgm":
        return pgd(loss, x0, eps, eps, 1, norm=p, bounds=bounds, convention="art").points
    if scheme == "bim":
        return ifgsm(loss, x0, eps, alpha, K, bounds=bounds, convention="art").points
    return pgd(loss, x0, eps, alpha, K, norm=p, bounds=bounds, convention="art").points


SK_CASES = [("fgm", p) for p in BUDGET] + [("bim", math.inf)] + [("pgd", p) for p in BUDGET]


@pytest.mark.parametrize("scheme,p", SK_CASES)
@pytest.mark.parametrize("batch,box", [(1, True), (7, True), (1, False), (7, False)])
def test_art_float64_gradient(scheme, p, batch, box):
    """ART's NumPy path steps in float64 and rounds when it stores into its float32 array: bit-exact, ℓ∞ included."""
    x0 = _points(batch, box)
    clf = _sklearn_classifier(box)
    y = np.asarray(clf.predict(x0)).argmax(-1)
    eps, alpha = BUDGET[p]
    bounds = (0.0, 1.0) if box else None
    refs = _sk_runs(scheme, p, clf, x0, y, eps, alpha)
    ours = _sk_ours(scheme, p, _sk_loss(clf, y), x0, eps, alpha, bounds)
    _compare("ART (art), float64 gradient", p, "numpy", ours, refs, exact=True)


def test_art_float64_gradient_negative_control():
    """Casting the float64 gradient to float32 before the step (what maxslope did before) is caught."""
    x0 = _points(7, True)
    clf = _sklearn_classifier(True)
    y = np.asarray(clf.predict(x0)).argmax(-1)
    eps, alpha = BUDGET[2.0]
    refs = _sk_runs("pgd", 2.0, clf, x0, y, eps, alpha)
    wrong = _sk_ours("pgd", 2.0, _sk_loss(clf, y, cast=True), x0, eps, alpha, (0.0, 1.0))
    assert any(not np.array_equal(wrong[k], r) for k, r in enumerate(refs, start=1))


@pytest.mark.parametrize("p", [2.0, 1.0])
def test_wrong_convention_is_caught(p):
    """Negative control: each library's iterates are not reproduced by another library's convention."""
    x0 = _points(7, True)
    y = _labels(x0)
    eps, alpha = BUDGET[p]
    fmodel = foolbox.PyTorchModel(NET, bounds=(0.0, 1.0))
    crit = foolbox.criteria.Misclassification(torch.from_numpy(y))
    cls = foolbox.attacks.L2PGD if p == 2.0 else foolbox.attacks.L1PGD
    ref = cls(abs_stepsize=alpha, steps=K, random_start=False).run(fmodel, torch.from_numpy(x0), crit, epsilon=eps)
    for conv in ("maxslope", "art-pytorch"):
        tr = pgd(_foolbox_loss(y), torch.from_numpy(x0), eps, alpha, K, norm=p, bounds=(0.0, 1.0), convention=conv)
        assert not torch.equal(tr.points[-1], ref)
