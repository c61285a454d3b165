"""Shape constructors against their exact areas, the set energy inequality with minimal negative controls, and the
SetTrajectory plot."""

from __future__ import annotations

import math

import numpy as np
import pytest

from maxslope.perimeter import (
    Grid,
    check_set_energy_inequality,
    class_masses,
    disc,
    dumbbell,
    ellipse,
    perimeter_flow,
    signed_distance,
    star,
)

H = 1 / 200
G = Grid((200, 200), H)


def _area(A: np.ndarray, grid: Grid = G) -> float:
    return float(np.count_nonzero(A)) * grid.h**grid.d


def _boundary_tol(length: float, grid: Grid = G) -> float:
    # a cell-centre set differs from the continuum shape only in cells that the boundary crosses
    return length * grid.h * math.sqrt(2)


@pytest.mark.parametrize("r", [0.1, 0.25, 0.4])
def test_disc_area(r: float) -> None:
    assert abs(_area(disc(G, r)) - math.pi * r * r) < _boundary_tol(2 * math.pi * r)


def test_ball_volume_3d_and_off_centre() -> None:
    G3 = Grid((40, 40, 40), 1 / 40)
    A = disc(G3, 0.3, center=[0.1, 0.0, -0.05])
    assert abs(_area(A, G3) - 4 / 3 * math.pi * 0.3**3) < _boundary_tol(4 * math.pi * 0.09, G3)
    pts = G3.points[A]
    assert np.allclose(pts.mean(axis=0), [0.1, 0.0, -0.05], atol=G3.h / 2)


@pytest.mark.parametrize("angle", [0.0, 0.4, math.pi / 2])
def test_ellipse_area_and_orientation(angle: float) -> None:
    a, b = 0.4, 0.15
    A = ellipse(G, (a, b), angle=angle)
    perim = math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))  # Ramanujan
    assert abs(_area(A) - math.pi * a * b) < _boundary_tol(perim)
    # the principal axis of the cell centres is the rotated first semi-axis
    P = G.points[A]
    w, V = np.linalg.eigh(np.cov(P.T))
    v = V[:, np.argmax(w)]
    assert abs(abs(v @ [math.cos(angle), math.sin(angle)]) - 1) < 1e-3


def test_star_area() -> None:
    r, a = 0.25, 0.4
    A = star(G, r, a, arms=5)
    # ½∮ r(θ)² dθ = πr²(1 + a²/2); the boundary is at most 2π r (1 + a)·√(1 + (m a)²) long
    assert abs(_area(A) - math.pi * r * r * (1 + a * a / 2)) < _boundary_tol(2 * math.pi * r * (1 + a) * math.sqrt(1 + 4))
    assert np.array_equal(star(G, r, 0.0), disc(G, r))  # amplitude 0 is the disc


def test_dumbbell_area() -> None:
    r, s, w = 0.2, 0.5, 0.1
    A = dumbbell(G, r, s, w)
    b = w / 2
    strip_in_disc = 2 * (b * math.sqrt(r * r - b * b) + r * r * math.asin(b / r))  # ∫_{-b}^{b} 2√(r² − t²) dt
    exact = 2 * math.pi * r * r + s * w - strip_in_disc  # the bar minus the two half-strips inside the bells
    assert abs(_area(A) - exact) < _boundary_tol(4 * math.pi * r + 2 * s)
    # non-convex: the midpoint of the two bells' tops is outside
    top = G.points[..., 1] == G.points[..., 1][0, np.argmin(np.abs(G.axes[1] - 0.15))]
    assert not A[np.argmin(np.abs(G.axes[0])), np.argmin(np.abs(G.axes[1] - 0.15))]
    assert top.any()


@pytest.mark.parametrize("call, arg", [
    (lambda: disc(G, 0.6), "'radius'"),  # reaches outside the box
    (lambda: disc(G, 1e-4, center=[0.0012, 0.0012]), "'radius'"),  # holds no cell centre
    (lambda: disc(G, 0.1, center=[0.0, 0.0, 0.0]), "'center'"),
    (lambda: ellipse(G, (0.2,)), "'semi_axes'"),
    (lambda: ellipse(Grid((8, 8, 8), 0.1), (0.2, 0.2, 0.2), angle=0.3), "'angle'"),
    (lambda: dumbbell(G, 0.2, 0.3, 0.1), "'separation'"),
    (lambda: dumbbell(G, 0.2, 0.5, 0.5), "'neck'"),
    (lambda: dumbbell(Grid((8, 8, 8), 0.1), 0.1, 0.3, 0.05), "'grid'"),
    (lambda: star(G, 0.2, 1.0), "'amplitude'"),
    (lambda: star(G, 0.2, 0.3, arms=1), "'arms'"),
])
def test_shape_refusals(call, arg) -> None:
    with pytest.raises((ValueError, TypeError), match=arg):
        call()


# --- the set energy inequality ------------------------------------------------------------------------------------

G40 = Grid((40, 40), 1 / 40, density=lambda x: 1 + 0.5 * np.sin(3 * x[..., 0]) * np.cos(2 * x[..., 1]))
TAU, EPS = 0.004, 2.5 / 40


@pytest.fixture(scope="module")
def star_flow():
    return perimeter_flow(star(G40, 0.3, 0.35, arms=4), TAU, EPS, G40, steps=4)


def test_own_flow_passes_and_matches_the_step_bookkeeping(star_flow) -> None:
    res = star_flow.check_energy_inequality()
    assert res.passed and res.location_name == "step"
    # recomputed from the sets, the dissipation and perimeters equal what the steps recorded
    assert np.allclose(res.details["dissipation"], star_flow.dissipation, rtol=1e-12, atol=0)
    assert np.allclose(res.details["perimeter"], star_flow.perimeter, rtol=1e-12, atol=0)
    assert res.details["dissipation"].sum() > 0  # the flow moved
    assert res.details["total_dissipation"] <= res.details["initial_perimeter"]


def test_one_added_cell_is_rejected(star_flow) -> None:
    """Minimal control: one cell added to A_K, farther than ε from A_{K−1} and from the box edge. It costs a whole
    ε-dilation of perimeter plus its distance in D, more than the last step's slack Per(A_{K−1}) − Per(A_K) − D, so
    the inequality must fail there, at step K−1. (Nearer cells, or earlier steps with more slack, can pass: the
    inequality is one-sided and certifies dissipation, not minimality.)"""
    K = len(star_flow.sets) - 1
    slack = -star_flow.check_energy_inequality().details["excess"][K - 1]
    assert 0 < slack < 0.05
    sd = signed_distance(star_flow.sets[K - 1], G40)
    inner = np.zeros(G40.shape, bool)
    m = int(np.ceil(EPS / G40.h))
    inner[m:-m, m:-m] = True
    cells = np.argwhere((sd > EPS) & inner)
    assert len(cells) > 100
    for c in cells[::7]:
        bad = star_flow.sets.copy()
        bad[K][tuple(c)] = True
        res = check_set_energy_inequality(bad, TAU, EPS, G40)
        assert not res.passed and res.worst_location == K - 1, (tuple(c), res)


def test_wrong_variant_or_tau_is_rejected(star_flow) -> None:
    # the flow's sets judged as if the steps had a 4× larger τ: D_k shrinks, so it still passes (the inequality is
    # one-sided) ...
    assert check_set_energy_inequality(star_flow.sets, 4 * TAU, EPS, G40).passed
    # ... but a 4× smaller τ makes the dissipation 4× larger than any minimizer could afford
    assert not check_set_energy_inequality(star_flow.sets, TAU / 4, EPS, G40).passed
    # the maximal selection of the same flow also passes
    tmax = perimeter_flow(star_flow.sets[0], TAU, EPS, G40, steps=3, selection="max")
    assert tmax.check_energy_inequality().passed


def test_custom_variant_and_relabeled_fidelity() -> None:
    G = Grid((24, 24), 1 / 24)
    m0, m1 = class_masses(G, "O")
    traj = perimeter_flow(disc(G, 0.3), 0.005, 3 / 24, G, steps=2, variant=(m0 / G.h**2, m1 / G.h**2))
    with pytest.raises(ValueError, match="'variant'"):
        traj.check_energy_inequality()
    assert traj.check_energy_inequality(variant=(m0 / G.h**2, m1 / G.h**2)).passed
    rel = perimeter_flow(disc(G, 0.3), 0.005, 3 / 24, G, steps=2, fidelity="relabeled")
    with pytest.raises(ValueError, match="fidelity"):
        rel.check_energy_inequality()


def test_empty_start_changed_is_infinite() -> None:
    G = Grid((16, 16), 1 / 16)
    sets = np.zeros((2, 16, 16), dtype=bool)
    assert check_set_energy_inequality(sets, 0.01, 0.2, G).passed  # empty stays empty: 0 ≤ 0
    sets[1, 8, 8] = True
    res = check_set_energy_inequality(sets, 0.01, 0.2, G)
    assert not res.passed and res.measured == math.inf


def test_check_refusals() -> None:
    G = Grid((16, 16), 1 / 16)
    one = np.zeros((1, 16, 16), dtype=bool)
    with pytest.raises(ValueError, match="'sets'"):
        check_set_energy_inequality(one, 0.01, 0.2, G)
    with pytest.raises(ValueError, match=r"'sets\[1\]'"):
        check_set_energy_inequality([one[0], np.zeros((15, 16), bool)], 0.01, 0.2, G)
    with pytest.raises(ValueError, match="'tau'"):
        check_set_energy_inequality(np.zeros((2, 16, 16), bool), 0.0, 0.2, G)
    with pytest.raises(TypeError, match="'half_cell'"):
        check_set_energy_inequality(np.zeros((2, 16, 16), bool), 0.01, 0.2, G, half_cell=1)
    sets = np.zeros((2, 16, 16), bool)
    before = sets.copy()
    check_set_energy_inequality(sets, 0.01, 0.2, G)
    assert np.array_equal(sets, before)


# --- plot -----------------------------------------------------------------------------------------------------------

def test_plot_draws_one_contour_per_nonempty_step(star_flow) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    out = star_flow.plot(ax=ax, steps=[0, 2, 4])
    assert out is ax
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"t = {t:.4g}" for t in star_flow.times[[0, 2, 4]]]
    # each contour is the set's boundary: its vertices lie within a cell of the grid boundary faces
    faces = G40.boundary_points(star_flow.sets[2])
    paths = [p for c in ax.collections for p in c.get_paths()]
    assert len(ax.collections) == 3
    seg = ax.collections[1].get_paths()[0].vertices
    d = np.min(np.linalg.norm(seg[:, None, :] - faces[None, :, :], axis=-1), axis=1)
    assert d.max() <= G40.h and len(paths) >= 3
    plt.close(fig)


def test_plot_refusals(star_flow) -> None:
    with pytest.raises(ValueError, match=r"'steps\[0\]'"):
        star_flow.plot(steps=[99])
    with pytest.raises(TypeError, match="'steps'"):
        star_flow.plot(steps=3)
    G3 = Grid((6, 6, 6), 1 / 6)
    t3 = perimeter_flow(disc(G3, 0.25), 0.01, 0.3, G3, steps=1)
    with pytest.raises(ValueError, match="2-D"):
        t3.plot()
