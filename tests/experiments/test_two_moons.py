"""The two-moons experiment: data, classifier, gradients, the authors' weights, the schemes and the command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.special import erf

from maxslope import Box, Lp, Negated
from maxslope.attacks import fgsm
from maxslope.cli import main
from maxslope.experiments.two_moons import (
    NOTEBOOK_THIRD_START,
    AttackLoss,
    MoonsClassifier,
    _train_grads,
    difference_study,
    load_state_dict,
    make_moons,
    notebook_cases,
    plot_paths,
    train_classifier,
)
from maxslope.schemes import GridInner, minimizing_movement

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "two_moons"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"the authors' reference data folder {DATA} is absent")
FILES = {"relu": "two_moons_ReLU.pt", "gelu": "two_moons_GeLU.pt"}


@pytest.fixture(scope="module")
def own() -> dict[str, MoonsClassifier]:
    return {a: train_classifier(a, seed=0) for a in ("relu", "gelu")}


def test_make_moons() -> None:
    X, y = make_moons(1000, 0.1, seed=0)
    assert X.shape == (1000, 2) and set(np.unique(y)) == {0, 1} and y.sum() == 500
    X0, y0 = make_moons(200, 0.0, seed=3)
    outer = X0[y0 == 0]
    np.testing.assert_allclose(np.hypot(*outer.T), 1.0)  # the noiseless outer moon is the upper unit half circle
    np.testing.assert_array_equal(make_moons(50, seed=4)[0], make_moons(50, seed=4)[0])
    with pytest.raises(ValueError, match="noise"):
        make_moons(10, -0.1)
    with pytest.raises(ValueError, match="'n'"):
        make_moons(1)


@pytest.mark.parametrize("act", ["relu", "gelu"])
def test_input_gradient_against_finite_differences(own: dict, act: str) -> None:
    m = own[act]
    x = np.random.default_rng(0).uniform(-1.5, 2.5, size=(200, 2))
    h, g = m.value_and_grad(x)
    np.testing.assert_allclose(h, m(x))
    e = 1e-6
    fd = np.stack([(m(x + e * v) - m(x - e * v)) / (2 * e) for v in np.eye(2)], -1)
    err = np.abs(fd - g).max(-1)
    # ReLU: points within e of a kink differ; all others agree to FD accuracy
    assert np.median(err) < 1e-8 and np.mean(err < 1e-6) > (0.95 if act == "relu" else 0.999)


def test_input_gradient_against_autograd(own: dict) -> None:
    torch = pytest.importorskip("torch")
    for act, m in own.items():
        layers = []
        for _ in range(3):
            layers += [torch.nn.Linear(2 if not layers else 20, 20), torch.nn.ReLU() if act == "relu" else torch.nn.GELU(), torch.nn.BatchNorm1d(20)]
        net = torch.nn.Sequential(*layers, torch.nn.Linear(20, 1), torch.nn.Sigmoid()).double()
        sd = {k: torch.tensor(v) for k, v in m.state_dict().items()}
        net.load_state_dict(sd, strict=False)
        net.eval()
        X = torch.tensor(np.random.default_rng(1).uniform(-1, 2, (100, 2)), requires_grad=True)
        net(X)[:, 0].sum().backward()
        h, g = m.value_and_grad(X.detach().numpy())
        np.testing.assert_allclose(h, net(X)[:, 0].detach().numpy(), atol=1e-14)
        np.testing.assert_allclose(g, X.grad.numpy(), atol=1e-13)


def test_training_gradients_against_finite_differences() -> None:
    m = train_classifier("gelu", epochs=1)
    p = {k: v.copy() for k, v in m.params.items()}
    X, y = make_moons(40, seed=5)

    def loss(q: dict) -> float:
        q = {k: v.copy() for k, v in q.items()}  # running statistics are updated in place; keep p clean
        a = X
        for lin, bn in zip(("0", "3", "6"), ("2", "5", "8"), strict=True):
            z = a @ q[f"{lin}.weight"].T + q[f"{lin}.bias"]
            u = 0.5 * z * (1 + erf(z / np.sqrt(2)))
            a = (u - u.mean(0)) / np.sqrt(u.var(0) + 1e-5) * q[f"{bn}.weight"] + q[f"{bn}.bias"]
        h = 1 / (1 + np.exp(-(a @ q["9.weight"].T[:, 0] + q["9.bias"][0])))
        return float(np.mean((h - y) ** 2))

    g = _train_grads({k: v.copy() for k, v in p.items()}, X, y.astype(float), "gelu")
    for key in ("0.weight", "2.weight", "5.bias", "9.weight"):
        idx = (0,) * p[key].ndim
        e = 1e-6
        pp, pm = {k: v.copy() for k, v in p.items()}, {k: v.copy() for k, v in p.items()}
        pp[key][idx] += e
        pm[key][idx] -= e
        assert g[key][idx] == pytest.approx((loss(pp) - loss(pm)) / (2 * e), rel=1e-5, abs=1e-9)


def test_own_classifiers_are_accurate(own: dict) -> None:
    X, y = make_moons(1000, 0.1, seed=0)
    for m in own.values():
        assert m.accuracy(X, y) >= 0.99


def test_classifier_validation(own: dict) -> None:
    sd = own["relu"].state_dict()
    with pytest.raises(ValueError, match="activation"):
        MoonsClassifier(sd, "tanh")
    bad = dict(sd)
    del bad["3.weight"]
    with pytest.raises(ValueError, match="3.weight"):
        MoonsClassifier(bad, "relu")
    bad = dict(sd, **{"0.weight": np.zeros((20, 3))})
    with pytest.raises(ValueError, match="shape"):
        MoonsClassifier(bad, "relu")
    with pytest.raises(ValueError, match="non-finite"):
        MoonsClassifier(dict(sd, **{"0.bias": np.full(20, np.nan)}), "relu")
    with pytest.raises(ValueError, match="shape"):
        own["relu"](np.zeros((3, 3)))
    with pytest.raises(ValueError, match="'y'"):
        AttackLoss(own["relu"], 2)


def test_load_state_dict_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        load_state_dict(tmp_path / "missing.pt")
    (tmp_path / "x.pt").write_text("not a zip")
    with pytest.raises(ValueError, match="zip"):
        load_state_dict(tmp_path / "x.pt")


# ------------------------------------------------------------------------------ the authors' files
@needs_data
@pytest.mark.parametrize("act", ["relu", "gelu"])
def test_authors_weights(act: str) -> None:
    sd = load_state_dict(DATA / FILES[act])
    assert sd["0.weight"].dtype == np.float32 and sd["2.num_batches_tracked"].shape == ()
    m = MoonsClassifier(sd, act)
    d = np.load(DATA / "two_moons.npz")
    assert m.accuracy(d["X"], d["Y"]) == pytest.approx(0.999)  # spec §3.1
    x0 = {"relu": (0.1, 0.55), "gelu": (0.45, 0.3)}[act]
    assert float(m(np.array(x0))) == pytest.approx({"relu": 0.970, "gelu": 0.738}[act], abs=5e-4)  # spec §3.4
    torch = pytest.importorskip("torch")
    ref = torch.load(DATA / FILES[act], map_location="cpu", weights_only=True)
    for k, v in ref.items():
        np.testing.assert_array_equal(sd[k], v.numpy())


@needs_data
@pytest.mark.parametrize(("act", "x0", "eps", "f_pt", "f_l", "m_pt", "m_l"), [
    ("relu", (0.1, 0.55), 0.2, (0.3, 0.75), 0.792, (0.030, 0.75), 0.873),
    ("gelu", (0.45, 0.3), 0.25, (0.7, 0.55), 0.925, (0.7, 0.344), 0.929),
])
def test_spec_one_step_numbers(act: str, x0: tuple, eps: float, f_pt: tuple, f_l: float, m_pt: tuple, m_l: float) -> None:
    """Spec §3.4 / C21: with τ = ε one MMS step beats FGSM at the figure start points."""
    m = MoonsClassifier.from_file(DATA / FILES[act], act)
    x = np.array([x0])
    loss = AttackLoss(m, int(m(x)[0] > 0.5))
    f = fgsm(loss, x, eps)
    mm = minimizing_movement(Negated(loss), Lp(np.inf), x, eps, steps=1, constraint=Box(x, eps), inner=GridInner(41, 3)).final
    np.testing.assert_allclose(f[0], f_pt, atol=1e-12)
    np.testing.assert_allclose(mm[0], m_pt, atol=1e-3)
    assert float(loss.value(f)[0]) == pytest.approx(f_l, abs=5e-4)
    assert float(loss.value(mm)[0]) == pytest.approx(m_l, abs=5e-4)


@needs_data
def test_spec_difference_table_first_rows() -> None:
    """Spec §3.4's reference re-run (20 start points, seed 1, grid inner): the first two rows of the table."""
    want = {"relu": [(0.172, 0.155), (0.081, 0.080)], "gelu": [(0.124, 0.114), (0.047, 0.047)]}
    for act, rows in want.items():
        st = difference_study(MoonsClassifier.from_file(DATA / FILES[act], act), n_taus=2, samples=20, seed=1)
        for i, (code, sup) in enumerate(rows):
            assert st.code_metric[i] == pytest.approx(code, abs=1e-3)
            assert st.sup_linf[i] == pytest.approx(sup, abs=1e-3)


def test_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["experiment", "two-moons", "--taus", "2", "--samples", "3", "--out", str(tmp_path), "--paths", "reduced"]) == 0
    out = capsys.readouterr().out
    assert "MMS inner solver: grid" in out and "| 0.1 | 10 |" in out
    for name in ("two_moons_differences.png", "two_moons_paths_relu.png", "two_moons_paths_gelu.png"):
        assert (tmp_path / name).stat().st_size > 10_000
    with pytest.raises(SystemExit) as exc:  # a usage error: exit status 2, as argparse's own
        main(["experiment", "two-moons", "--weights", "tanh=x.pt"])
    assert exc.value.code == 2
    assert main(["experiment", "two-moons", "--weights", f"relu={tmp_path / 'none.pt'}", "--taus", "1"]) == 2


def test_time_misaligned_comparison_shows_no_trend(own: dict) -> None:
    good = difference_study(own["gelu"], 3, 4, inner=GridInner(21, 2))
    bad = difference_study(own["gelu"], 3, 4, inner=GridInner(21, 2), time_scale=0.5)
    assert good.sup_linf[-1] < 0.5 * good.sup_linf[0]
    assert bad.sup_linf[-1] > 0.5 * bad.sup_linf[0]


def test_notebook_counts() -> None:
    """The authors' notebook runs K = int(T/τ) from the unrounded τ (its printed GELU output: [4, 8, 40, 1000]);
    for ReLU 0.2 * 0.1 = 0.020000000000000004 gives 49, not 50."""
    assert notebook_cases(0.25) == [(0.25, 4), (0.125, 8), (0.025, 40), (0.001, 1000)]
    assert notebook_cases(0.2) == [(0.2, 5), (0.1, 10), (0.02, 49), (0.001, 1000)]
    assert notebook_cases(0.2)[2] != (0.02, 50)  # the "ε/10" form would give 50
    with pytest.raises(ValueError, match="'eps'"):
        notebook_cases(0.0)


def test_path_figures_use_the_notebook_counts(own: dict) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    cheap = GridInner(5, 0)  # the counts are what is tested here, not the inner solver
    titles = [a.get_title() for a in plot_paths(own["relu"], cheap).axes if a.get_visible()]
    assert titles == ["τ = 0.2, K = 5", "τ = 0.1, K = 10", "τ = 0.02, K = 49", "τ = 0.001, K = 1000"]
    third = plot_paths(own["gelu"], cheap, NOTEBOOK_THIRD_START, cases=[(1e-3, 1000)])
    assert [a.get_title() for a in third.axes] == ["τ = 0.001, K = 1000"]
    reduced = [a.get_title() for a in plot_paths(own["relu"], cheap, cases="reduced").axes]
    assert reduced == ["τ = 0.2, K = 1", "τ = 0.1, K = 3", "τ = 0.02, K = 50", "τ = 0.001, K = 100"]
    with pytest.raises(ValueError, match="'cases'"):
        plot_paths(own["relu"], cheap, cases="paper")
