"""The growth fit recovers known exponents."""
import pytest

from scaleblind.graders.growth import complexity_class, fit_exponent, growth


@pytest.mark.parametrize("power, expected", [(0.0, "O(1)"), (1.0, "O(n)"), (2.0, "O(n^2)")])
def test_fit_recovers_power_laws(power, expected):
    sizes = [30, 2000, 100000]
    exponent = fit_exponent(sizes, [3.0 * s ** power for s in sizes])
    assert exponent == pytest.approx(power)
    assert complexity_class(exponent) == expected


def test_n_log_n_lands_between_linear_and_quadratic():
    import math
    sizes = [1000, 10000, 100000]
    assert complexity_class(fit_exponent(sizes, [s * math.log(s) for s in sizes])) in ("O(n)", "O(n log n)")


def test_too_few_points_give_none():
    assert fit_exponent([30], [5.0]) is None
    assert fit_exponent([30, 30], [5.0, 6.0]) is None
    assert growth([{"tier": "demo", "size": 30, "mean_latency_ms": None}])["exponent"] is None
