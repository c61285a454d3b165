"""Fuzz the command line: every option with a bad value is a usage error (exit status 2) that names the option,
before any claim or experiment runs; never a traceback (issue 20)."""

from __future__ import annotations

import pytest

from maxslope.cli import main

BAD = [
    (["verify", "--only", ""], "--only"),
    (["verify", "--only", ",,"], "--only"),
    (["verify", "--only", "Z9"], "--only"),
    (["verify", "--only", "C1,Q3"], "--only"),
    (["verify", "--profile", "bogus"], "--profile"),
    (["verify", "--json", "/nonexistent-dir/x.json"], "--json"),
    (["verify", "--json", "."], "--json"),
    (["verify", "--report", "pyproject.toml"], "--report"),
    (["verify", "--report", "/nonexistent-dir/sub"], "--report"),
    (["verify", "--load", "/nonexistent.py"], "--load"),
    (["verify", "--load", "no_such_module_xyz"], "--load"),
    (["verify", "--workers", "0"], "--workers"),
    (["verify", "--workers", "-1"], "--workers"),
    (["verify", "--workers", "abc"], "--workers"),
    (["verify", "--scheduler", "bogus"], "--scheduler"),
    (["verify", "--scheduler", "tcp://host"], "--scheduler"),
    (["verify", "--workers", "2", "--scheduler", "tcp://h:1"], "--scheduler"),
    (["verify", "--bogus"], "--bogus"),
    (["experiment", "two-moons", "--taus", "0"], "--taus"),
    (["experiment", "two-moons", "--samples", "-3"], "--samples"),
    (["experiment", "two-moons", "--inner", "bogus"], "--inner"),
    (["experiment", "two-moons", "--seed", "-1"], "--seed"),
    (["experiment", "two-moons", "--paths", "x"], "--paths"),
    (["experiment", "two-moons", "--weights", "tanh=x.pt"], "--weights"),
    (["experiment", "digits", "--eps", "nan"], "--eps"),
    (["experiment", "digits", "--eps", "-0.1"], "--eps"),
    (["experiment", "digits", "--taus", "1.5"], "--taus"),
]


@pytest.mark.parametrize(("argv", "option"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_a_bad_option_is_a_usage_error_naming_it(argv: list[str], option: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert option in err, err
    assert "Traceback" not in err


def test_the_control_a_good_call_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The negative control of the test above: the same parser accepts a valid call and runs it."""
    assert main(["verify", "--only", "C6"]) == 0
    assert "1/1 claims hold" in capsys.readouterr().out
