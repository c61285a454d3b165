"""Fuzz the public API: every registered function and method, one spoiled argument at a time (issue 20).

Each call must raise a ``ValueError``/``TypeError`` whose message names the spoiled argument, or return finite
values; never another exception, never hang, never touch the caller's arrays (values and ``writeable`` flags).
The registry and the sweep live in ``proofs_checks`` (claim A1 of ``maxslope verify`` runs the same sweep); this
file adds the registration tests and a Hypothesis test that draws the spoilings in random order.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs_checks import contract
from proofs_checks.api_calls import CALLS, public_callables, registered
from proofs_checks.api_methods import METHODS, method_registered, public_methods

#: the functions and the methods of the objects they return, fuzzed alike
ALL = contract.registry()


def test_every_public_callable_is_registered() -> None:
    missing = sorted(n for n in public_callables() if not registered(n))
    assert not missing, f"public callables without a fuzz entry (add them to proofs_checks/api_calls.py): {missing}"
    stale = sorted(n for n in CALLS if n not in public_callables())
    assert not stale, f"fuzz entries that are no longer public: {stale}"


def test_every_public_method_is_registered() -> None:
    methods = public_methods()
    missing = sorted(n for n in methods if not method_registered(n))
    assert not missing, f"public methods without a fuzz entry (add them to proofs_checks/api_methods.py): {missing}"
    stale = sorted(n for n in METHODS if n.split("[")[0] not in methods)
    assert not stale, f"method fuzz entries that are no longer public: {stale}"


@pytest.mark.parametrize("name", sorted(ALL))
def test_the_valid_call_works(name: str) -> None:
    fn, kwargs = ALL[name]()
    kind, out = contract.call(fn, kwargs)
    assert kind == "ok", (name, kind, out)
    assert contract.finite(out), (name, "the valid call returned non-finite values")


@pytest.mark.parametrize("name", sorted(ALL))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_argument(name: str, data: st.DataObject) -> None:
    _, kwargs = ALL[name]()
    if not kwargs:  # nothing to spoil: the valid call is tested above
        return
    arg = data.draw(st.sampled_from(sorted(kwargs)), label="argument")
    k = data.draw(st.sampled_from(range(len(contract.bad_values(kwargs[arg])))), label="bad value index")
    bad, defect = contract.spoiled_call(ALL[name], arg, k)
    assert defect is None, f"{name}({arg}={bad!r}) {defect}"


def test_every_spoiled_function_argument_exhaustively() -> None:
    """Every (function, argument, bad value) of the registry, not a sample: about 3,700 calls in about 10 s, so it
    is part of the default run; the Hypothesis test above draws the same spoilings in random order."""
    _, defects = contract.sweep(CALLS)
    assert not defects, "\n".join(defects)


def test_every_spoiled_method_argument_exhaustively() -> None:
    """The same for every public method of the objects the functions return."""
    _, defects = contract.sweep(METHODS)
    assert not defects, "\n".join(defects)


@pytest.mark.parametrize("what", sorted(contract.BROKEN))
def test_the_sweep_finds_each_minimal_violation(what: str) -> None:
    """Claim A1's negative controls, one by one: exactly one defective call each, and the sweep finds it."""
    n, defects = contract.sweep({what: contract._control_call(contract.BROKEN[what])}, timeout=1)
    assert len(defects) == 1 and n >= 10, (n, defects)


def test_every_domain_edge() -> None:
    """At the edges of the documented domains the value just outside is refused by name, the one inside accepted."""
    from proofs_checks.api_calls import BOUNDARY

    n, defects = contract.boundary_sweep(ALL, BOUNDARY)
    assert n >= 30 and not defects, "\n".join(defects)


def test_the_edge_sweep_finds_a_moved_edge() -> None:
    """A1's edge control: of six edge cases exactly one (p = 1 − 1e-12 accepted) is a defect, and it is found; the
    true ℓp norm has none."""
    n, defects = contract.boundary_sweep({"edge": lambda: (contract._lp_norm_at, {"x": contract._x(), "p": 2.0})},
                                         {"edge": contract.EDGE_CASES})
    assert n == 6 and len(defects) == 1 and "p=0.999999999999" in defects[0], defects
    import maxslope as ms

    _, none = contract.boundary_sweep({"edge": lambda: (lambda x, p: ms.Lp(p).norm(x), {"x": contract._x(), "p": 2.0})},
                                      {"edge": contract.EDGE_CASES})
    assert none == []
