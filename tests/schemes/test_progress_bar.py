"""progress=True / progress=stream bars and stopping a run from its callback."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.schemes import minimizing_movement, steepest_descent
from maxslope.wasserstein import Empirical, Wasserstein

E = ms.SeparableQuadratic(np.array([1.0, 3.0]))
X0 = np.array([[0.5, -0.2], [1.0, 2.0]])
LINF = ms.Lp(math.inf)


@pytest.mark.parametrize("scheme", [steepest_descent, minimizing_movement])
def test_bar_on_a_stream_counts_every_step(scheme) -> None:
    buf = io.StringIO()
    tr = scheme(E, LINF, X0, 0.05, steps=7, progress=buf)
    out = buf.getvalue()
    assert "7/7" in out and "E=" in out
    assert len(tr.times) == 8 and "stopped_at" not in tr.meta


def test_progress_true_is_quiet_off_a_terminal(capsys) -> None:
    steepest_descent(E, LINF, X0, 0.05, steps=3, progress=True)  # pytest's stderr is not a terminal
    assert capsys.readouterr().err == ""


class _Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_true_draws_on_a_terminal(monkeypatch) -> None:
    err = _Tty()
    monkeypatch.setattr("sys.stderr", err)
    steepest_descent(E, LINF, X0, 0.05, steps=3, progress=True)
    assert "3/3" in err.getvalue()


def test_progress_false_draws_nothing_even_on_a_terminal(monkeypatch) -> None:
    err = _Tty()
    monkeypatch.setattr("sys.stderr", err)
    steepest_descent(E, LINF, X0, 0.05, steps=3)
    assert err.getvalue() == ""


@pytest.mark.parametrize("scheme", [steepest_descent, minimizing_movement])
def test_callback_returning_true_stops_the_run(scheme) -> None:
    seen = []

    def stop_when_small(pr):
        seen.append(pr.step)
        return bool(np.all(np.asarray(pr.energy) < 0.05))

    full = scheme(E, LINF, X0[:1], 0.05, steps=40)
    buf = io.StringIO()
    tr = scheme(E, LINF, X0[:1], 0.05, steps=40, callback=stop_when_small, progress=buf)
    k = tr.meta["stopped_at"]
    assert seen[-1] == k < 40 and len(tr.times) == k + 1
    assert float(tr.energies[-1][0]) < 0.05 <= float(tr.energies[-2][0])  # it stopped at the first small energy
    np.testing.assert_array_equal(tr.points, full.points[: k + 1])  # the same nodes as the full run, cut
    assert f"{k}/40" in buf.getvalue()


def test_truthy_but_not_true_does_not_stop() -> None:
    tr = steepest_descent(E, LINF, X0, 0.05, steps=5, callback=lambda pr: 1)
    assert len(tr.times) == 6 and "stopped_at" not in tr.meta


def test_stop_with_record_every_keeps_the_stopping_node() -> None:
    tr = steepest_descent(E, LINF, X0, 0.05, steps=20, record_every=4, callback=lambda pr: pr.step == 6)
    assert tr.meta["stopped_at"] == 6 and list(np.round(tr.times / 0.05).astype(int)) == [0, 4, 6]


@pytest.mark.parametrize("scheme", ["steepest_descent", "minimizing_movement"])
def test_wasserstein_schemes_stop_and_show_bars(scheme) -> None:
    mu = Empirical(np.array([[0.5, -0.2], [1.0, 2.0], [0.0, 0.3]]))
    W = Wasserstein(math.inf)
    fn = steepest_descent if scheme == "steepest_descent" else minimizing_movement
    buf = io.StringIO()
    tr = fn(ms.SeparableQuadratic(np.array([1.0, 1.0])), W, mu, 0.05, steps=10, callback=lambda pr: pr.step == 3, progress=buf)
    assert tr.meta["stopped_at"] == 3 and len(tr.times) == 4 and "3/10" in buf.getvalue()


def test_refusals() -> None:
    with pytest.raises(TypeError, match="'progress'"):
        steepest_descent(E, LINF, X0, 0.05, steps=2, progress="yes")
    with pytest.raises(TypeError, match="'progress'"):
        minimizing_movement(E, LINF, X0, 0.05, steps=2, progress=3)


def test_studies_show_bars_on_a_stream() -> None:
    from maxslope.checks import check_residual_order
    from maxslope.exact import convergence_study

    run = lambda tau: steepest_descent(E, LINF, np.array([0.6, -0.3]), tau, T=0.2)  # noqa: E731
    buf = io.StringIO()
    res = check_residual_order(run, E, LINF, [0.05, 0.025, 0.0125], progress=buf)
    assert "residual order" in buf.getvalue() and "3/3" in buf.getvalue() and res.details["residuals"] is not None
    buf = io.StringIO()
    ref = lambda t: np.zeros(np.shape(t) + (2,))  # noqa: E731
    convergence_study(run, ref, [0.05, 0.025], progress=buf)
    assert "convergence study" in buf.getvalue() and "2/2" in buf.getvalue()


def test_two_moons_study_bar() -> None:
    from maxslope.experiments.two_moons import difference_study, train_classifier

    model = train_classifier("gelu", epochs=2)
    buf = io.StringIO()
    difference_study(model, n_taus=2, samples=2, progress=buf)
    assert "two moons (gelu)" in buf.getvalue() and "2/2" in buf.getvalue()
    with pytest.raises(TypeError, match="'progress'"):
        difference_study(model, n_taus=1, samples=1, progress="on")
