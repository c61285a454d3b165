"""Progress callbacks: called once per step with the iterate of that step, in every in-memory scheme; refused
for chunked inputs and for non-callables; print_progress prints every ``every`` steps and after the last."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

import maxslope as ms
from maxslope.schemes import Progress, minimizing_movement, print_progress, steepest_descent
from maxslope.wasserstein import Empirical

E = ms.SeparableQuadratic(np.array([1.0, 3.0]))
X0 = np.array([[0.5, -0.2], [0.1, 0.4]])
LINF = ms.Lp(math.inf)


@pytest.mark.parametrize("scheme", [minimizing_movement, steepest_descent])
def test_callback_sees_every_step_and_its_iterate(scheme) -> None:
    seen: list[Progress] = []
    tr = scheme(E, LINF, X0, 0.05, steps=6, record_every=3, callback=seen.append)
    assert [s.step for s in seen] == list(range(1, 7)) and all(s.steps == 6 for s in seen)
    assert [s.t for s in seen] == pytest.approx([0.05 * k for k in range(1, 7)])
    # the recorded nodes (steps 3 and 6) are the iterates the callback saw, and so are their energies
    for node, k in ((1, 3), (2, 6)):
        np.testing.assert_array_equal(seen[k - 1].x, tr.points[node])
        np.testing.assert_array_equal(seen[k - 1].energy, tr.energies[node])
    assert all(s.elapsed >= 0 for s in seen)


def test_callback_in_a_wasserstein_space() -> None:
    W = ms.Wasserstein(math.inf, LINF)
    mu = Empirical(np.array([[0.5, -0.2], [0.1, 0.4], [0.0, 0.3]]))
    V = ms.PotentialEnergy(E)
    for scheme in (minimizing_movement, steepest_descent):
        seen: list[Progress] = []
        tr = scheme(V, W, mu, 0.05, steps=3, callback=seen.append)
        assert [s.step for s in seen] == [1, 2, 3]
        np.testing.assert_array_equal(seen[-1].x.points, tr.points[-1])
        assert seen[-1].energy == pytest.approx(float(tr.energies[-1]), abs=1e-15)


def test_print_progress_prints_every_and_the_last() -> None:
    buf = io.StringIO()
    steepest_descent(E, LINF, X0, 0.05, steps=5, callback=print_progress(every=2, file=buf))
    lines = buf.getvalue().splitlines()
    assert [ln.split()[1] for ln in lines] == ["2/5", "4/5", "5/5"]
    assert "E=" in lines[0] and "[" in lines[0]  # a batch of two points shows its spread


def test_refusals() -> None:
    with pytest.raises(TypeError, match="callback"):
        steepest_descent(E, LINF, X0, 0.05, steps=2, callback=3)
    with pytest.raises(ValueError, match="every"):
        print_progress(every=0)
    with pytest.raises(TypeError, match="file"):
        print_progress(file=3)
    da = pytest.importorskip("dask.array")
    with pytest.raises(ValueError, match="callback"):
        steepest_descent(E, LINF, da.from_array(X0, chunks=(1, 2)), 0.05, steps=2, callback=print)
