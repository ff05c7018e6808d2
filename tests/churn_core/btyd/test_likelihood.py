"""The shared maximum-likelihood step: best of several starts, and plain failures."""

from __future__ import annotations

import numpy as np
import pytest

from churn_core.btyd.likelihood import maximize_likelihood
from churn_core.errors import ChurnDataError


def bowl(centre: np.ndarray):  # type: ignore[no-untyped-def]
    """A smooth objective whose minimum is at ``centre`` (in log-parameters)."""
    return lambda p: (float(((p - centre) ** 2).sum()), 2 * (p - centre))


def test_the_minimum_is_found_from_every_start() -> None:
    centre = np.log([0.25, 4.0, 30.0])
    for start in ([1.0, 1.0, 1.0], [0.01, 100.0, 0.5]):
        found = maximize_likelihood(bowl(centre), [start], ["r", "alpha", "b"], "toy")
        np.testing.assert_allclose(found, centre, atol=1e-6)


def test_the_best_of_several_starts_wins() -> None:
    # Two valleys: one at log p = -1 (depth 0), a deeper one at log p = 2 (depth -1).
    def two_valleys(p: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = (p[0] + 1) ** 2, (p[0] - 2) ** 2 - 1
        if a < b:
            return float(a), np.array([2 * (p[0] + 1)])
        return float(b), np.array([2 * (p[0] - 2)])

    found = maximize_likelihood(two_valleys, [[np.exp(-1.5)], [np.exp(2.5)]], ["p"], "toy")
    assert found[0] == pytest.approx(2.0, abs=1e-6)


def test_a_parameter_that_runs_to_the_edge_is_reported_by_name() -> None:
    def downhill(p: np.ndarray) -> tuple[float, np.ndarray]:  # best at alpha -> infinity
        return float(np.exp(-p[1]) + (p[0] - 1) ** 2), np.array([2 * (p[0] - 1), -np.exp(-p[1])])

    with pytest.raises(ChurnDataError) as error:
        maximize_likelihood(downhill, [[1.0, 1.0]], ["r", "alpha"], "BG/NBD", fix="Do this.")
    [problem] = error.value.problems
    assert str(problem) == (
        "The BG/NBD model could not be fitted to this log: its alpha runs off to the edge of the "
        "possible range (the data cannot pin it down), so its figures would be meaningless. "
        "Do this."
    )


def test_an_optimiser_that_never_converges_is_reported_not_returned() -> None:
    def broken(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        return float("nan"), np.full_like(log_params, np.nan)

    with pytest.raises(ChurnDataError, match="the optimiser did not converge") as error:
        maximize_likelihood(broken, [[1.0, 1.0]], ["x", "y"], "toy")
    assert error.value.problems[0].code == "fit_not_converged"
