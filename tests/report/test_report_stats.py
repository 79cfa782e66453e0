"""Wilson intervals, entropy and the thread bootstrap against known values and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stance.report.stats import cluster_bootstrap, normalized_entropy, wilson


def test_wilson_known_values() -> None:
    low, high = wilson(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4)
    assert high == pytest.approx(0.7634, abs=1e-4)
    low, high = wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson(10, 10)
    assert high == 1.0 and low == pytest.approx(0.7225, abs=1e-4)


def test_wilson_empty_and_invalid() -> None:
    assert wilson(0, 0) == (0.0, 0.0)
    with pytest.raises(ValueError):
        wilson(11, 10)


@given(st.integers(1, 100_000), st.data())
def test_wilson_contains_the_share(total: int, data: st.DataObject) -> None:
    count = data.draw(st.integers(0, total))
    low, high = wilson(count, total)
    assert 0.0 <= low <= count / total <= high <= 1.0


def test_wilson_narrows_with_more_data() -> None:
    small = wilson(30, 100)
    large = wilson(3000, 10000)
    assert large[1] - large[0] < small[1] - small[0]


def test_entropy() -> None:
    assert normalized_entropy([0.25, 0.25, 0.25, 0.25]) == pytest.approx(1.0)
    assert normalized_entropy([1.0, 0.0, 0.0, 0.0]) == 0.0
    assert 0.0 < normalized_entropy([0.7, 0.1, 0.1, 0.1]) < 1.0
    assert normalized_entropy([2.0, 2.0]) == pytest.approx(1.0)  # renormalised


def test_cluster_bootstrap_is_wider_for_clustered_data() -> None:
    # Ten threads of 50 comments, each thread all-favor or all-against: comments are not
    # independent, so resampling threads must give a much wider interval than Wilson's.
    counts = [[50, 0] if i % 2 else [0, 50] for i in range(10)]
    intervals = cluster_bootstrap(counts, reps=300, seed=1)
    assert intervals is not None
    low, high = intervals[0]
    w_low, w_high = wilson(250, 500)
    assert low <= 0.5 <= high
    assert (high - low) > 2 * (w_high - w_low)


def test_cluster_bootstrap_needs_two_threads() -> None:
    assert cluster_bootstrap([[3, 4]]) is None
    assert cluster_bootstrap([[0, 0], [0, 0]]) is None
    result = cluster_bootstrap([[1, 1], [2, 0], [0, 2]], reps=50)
    assert result is not None and all(0 <= lo <= hi <= 1 for lo, hi in result)
    assert not any(math.isnan(v) for pair in result for v in pair)
