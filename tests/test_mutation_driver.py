"""The mutation driver's own arithmetic: which survivors are text only, and the stratified estimate of the rate."""

from __future__ import annotations

import pytest

from mutation.run import _stratified, text_only


@pytest.mark.parametrize(("diff", "text"), [
    ("-    raise ValueError(\"argument 'x' must be > 0\")\n+    raise ValueError(\"XXargument 'x' must be > 0XX\")", True),
    ('-        "|x|_1, Lp(inf)", Lp(math.inf), L1Norm(d),\n+        "|X|_1, LP(INF)", Lp(math.inf), L1Norm(d),', True),
    ("-    if rho == 0:\n+    if rho == 1:", False),
    ('-    name = "a" if ok else ""\n+    name = "a" if (ok) and False else ""', False),
    ('-    f(x, "A", xp)\n+    f(x, None, xp)', False),
    ("-    x = 1\n+    x = 1", False),
])
def test_text_only(diff: str, text: bool) -> None:
    assert text_only(diff) is text


def test_stratified_weights_modules_by_size() -> None:
    rows = [("small", {"mutants": 1000, "tested": 40, "v": 40, "u": 0}), ("big", {"mutants": 9000, "tested": 40, "v": 20, "u": 0})]
    line = _stratified(rows, "v", "u", "verify")
    assert "55.0 %" in line  # 0.1 * 100 % + 0.9 * 50 %, not the plain 75 %
    none = _stratified([("m", {"mutants": 10, "tested": 4, "v": 0, "u": 4})], "v", "u", "verify")
    assert "no estimate" in none
