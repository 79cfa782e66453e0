"""Multi-task sampling: shares, caps, balancing, class weights, distractor targets."""

from __future__ import annotations

import random

import pytest

from stance.model.batch import PairIds
from stance.train.config import TrainingConfig
from stance.train.sampling import (
    Example,
    balance_weights,
    class_weights,
    epoch_counts,
    epoch_plan,
    expected_draws,
    training_targets,
)


def _ex(dataset: str, **labels: int) -> Example:
    return Example(PairIds([101, 102], None), None, dict(labels), dataset)


def test_epoch_counts_follow_alpha_and_cap() -> None:
    cfg = TrainingConfig(sampling_alpha=0.5, max_repeat=2.0)
    counts = epoch_counts({"big": 10000, "small": 100}, cfg)
    assert counts["small"] == 200  # capped at 2 passes
    assert counts["big"] == round(10100 * 100 / 110)
    assert epoch_counts({"a": 100, "b": 100}, cfg, {"b": 0.5})["b"] < 100


def test_epoch_plan_draws_each_share() -> None:
    by = {"a": [0, 1, 2], "b": [3, 4]}
    plan = epoch_plan(by, {"a": 5, "b": 2}, random.Random(0))
    assert sorted(plan).count(3) == 1 and len(plan) == 7
    assert sum(1 for i in plan if i < 3) == 5
    assert set(plan[:0]) == set()


def test_balance_weights_favour_rare_classes() -> None:
    examples = [_ex("r", stance=3)] * 8 + [_ex("r", stance=1)] * 2
    w = balance_weights(examples, list(range(10)), 1.0)
    assert w[0] == pytest.approx(1 / 8) and w[9] == pytest.approx(1 / 2)
    assert balance_weights(examples, list(range(10)), 0.0) == [1.0] * 10


def test_class_weights_have_mean_one() -> None:
    examples = [_ex("d", sentiment=0)] * 9 + [_ex("d", sentiment=1)]
    by = {"d": list(range(10))}
    draws = expected_draws(by, {"d": 10}, None, 10)
    w = class_weights(examples, draws, 1.0)["sentiment"]
    assert w[1] == pytest.approx(9 * w[0])
    assert (9 * w[0] + w[1]) / 10 == pytest.approx(1.0)
    assert w[2] == 0.0


def test_distractor_targets_only_for_rows_without_stance() -> None:
    rows = [{"text": "a", "target": "Tea", "stance": "favor"},
            {"text": "b", "target": "", "stance": None},
            {"text": "c", "target": "", "stance": None}] * 20
    targets = training_targets(rows, 0.5, random.Random(1))
    assert all(t == "Tea" for t in targets[0::3])
    rest = targets[1::3] + targets[2::3]
    assert set(rest) == {"", "Tea"}
    assert training_targets(rows, 0.0, random.Random(1))[1] == ""
