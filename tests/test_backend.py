from __future__ import annotations

import numpy as np
import pytest

from maxslope._backend import as_float_array, check_p, check_positive_scalar, namespace, to_numpy


def test_namespace_mixed_raises_with_names():
    import array_api_strict as xs

    with pytest.raises(TypeError, match="'x'.*numpy.*'y'.*array_api_strict|'y'.*array_api_strict"):
        namespace(x=np.zeros(2), y=xs.zeros(2))


def test_as_float_array_rejects():
    with pytest.raises(ValueError, match="'a'.*non-finite"):
        as_float_array(np.array([1.0, np.nan]), "a")
    with pytest.raises(TypeError, match="'a'.*real floating"):
        as_float_array(np.array([1 + 1j]), "a")
    with pytest.raises(TypeError, match="'a'.*real floating"):
        as_float_array(np.array([True]), "a")
    assert as_float_array(np.array([1, 2]), "a").dtype == np.float64


@pytest.mark.parametrize("v", [0.0, -1.0, float("nan"), float("inf")])
def test_check_positive_scalar(v):
    with pytest.raises(ValueError, match="'tau'"):
        check_positive_scalar(v, "tau")


def test_check_p():
    assert check_p(float("inf")) == float("inf")
    with pytest.raises(ValueError, match=r"\(1, inf\]"):
        check_p(1.0, strict=True)


def test_to_numpy_roundtrip():
    import array_api_strict as xs

    np.testing.assert_array_equal(to_numpy(xs.asarray([1.0, 2.0])), [1.0, 2.0])
