"""Paired-bootstrap comparison of two evaluation results (stance/train/compare.py)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

import pytest
from sklearn.metrics import accuracy_score, f1_score

from stance.errors import StanceError
from stance.train.compare import compare, compare_predictions


@dataclass
class Result:
    predictions: dict[str, tuple[list[str], list[str]]]


def _noisy(gold: list[str], labels: tuple[str, ...], keep: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [g if rng.random() < keep else rng.choice(labels) for g in gold]


STANCE = ("favor", "against", "query", "none")
rng = random.Random(0)
GOLD = [rng.choice(STANCE) for _ in range(300)]
BIN_GOLD = ["true" if rng.random() < 0.25 else "false" for _ in range(300)]


def test_point_values_match_scikit_learn() -> None:
    old = _noisy(GOLD, STANCE, 0.5, 1)
    new = _noisy(GOLD, STANCE, 0.8, 2)
    bold = _noisy(BIN_GOLD, ("true", "false"), 0.6, 3)
    rows = compare_predictions({"stance": (GOLD, old), "media_bias": (BIN_GOLD, bold)},
                               {"stance": (GOLD, new), "media_bias": (BIN_GOLD, BIN_GOLD)},
                               n_boot=200)
    by = {(r.head, r.metric): r for r in rows}
    assert set(by) == {("stance", "macro_f1"), ("stance", "accuracy"),
                       ("media_bias", "macro_f1"), ("media_bias", "accuracy"),
                       ("media_bias", "f1_true")}
    assert by["stance", "macro_f1"].old.value == pytest.approx(f1_score(GOLD, old,
                                                                        average="macro"))
    assert by["stance", "macro_f1"].new.value == pytest.approx(f1_score(GOLD, new,
                                                                        average="macro"))
    assert by["stance", "accuracy"].old.value == pytest.approx(accuracy_score(GOLD, old))
    assert by["media_bias", "f1_true"].old.value == pytest.approx(
        f1_score(BIN_GOLD, bold, pos_label="true"))
    assert by["media_bias", "f1_true"].new.value == 1.0
    for r in rows:
        assert r.old.low <= r.old.value <= r.old.high
        assert r.delta.value == pytest.approx(r.new.value - r.old.value, abs=1e-6)


def test_a_clearly_better_model_is_significant_and_equal_models_are_not() -> None:
    old = Result({"stance": (GOLD, _noisy(GOLD, STANCE, 0.4, 5))})
    better = Result({"stance": (GOLD, _noisy(GOLD, STANCE, 0.9, 6))})
    result = compare(old, better, n_boot=500)
    macro = result.rows[0]
    assert macro.significant and macro.delta.low > 0 and macro.p_not_better < 0.01
    same = compare(old, old, n_boot=200).rows[0]
    assert same.delta.value == same.delta.low == same.delta.high == 0.0
    assert not same.significant


def test_seeded_and_deterministic() -> None:
    old = Result({"stance": (GOLD, _noisy(GOLD, STANCE, 0.5, 7))})
    new = Result({"stance": (GOLD, _noisy(GOLD, STANCE, 0.6, 8))})
    assert compare(old, new, seed=3) == compare(old, new, seed=3)
    assert compare(old, new, seed=3).rows[0].delta != compare(old, new, seed=4).rows[0].delta


def test_table_and_json() -> None:
    old = Result({"stance": (GOLD, _noisy(GOLD, STANCE, 0.5, 9)),
                  "conspiracy": (BIN_GOLD, _noisy(BIN_GOLD, ("true", "false"), 0.5, 1))})
    new = Result({"stance": (GOLD, _noisy(GOLD, STANCE, 0.7, 10)),
                  "conspiracy": (BIN_GOLD, BIN_GOLD)})
    result = compare(old, new, n_boot=100, old_name="models/default", new_name="runs/mine")
    table = result.to_table().splitlines()
    assert "old (models/default)" in table[0] and "new (runs/mine)" in table[0]
    body = table[2:-1]
    assert [line.split()[:2] for line in body] == [
        ["stance", "macro_f1"], ["stance", "accuracy"], ["conspiracy", "macro_f1"],
        ["conspiracy", "accuracy"], ["conspiracy", "f1_true"]]
    assert len({len(line) for line in table[:2]}) == 1  # header and rule aligned
    data = json.loads(json.dumps(result.to_dict()))
    assert data["n_boot"] == 100 and len(data["metrics"]) == 5
    assert {"old", "new", "delta", "significant"} <= set(data["metrics"][0])


def test_mismatched_data_is_refused() -> None:
    old = Result({"stance": (GOLD, GOLD)})
    new = Result({"stance": (list(reversed(GOLD)), GOLD)})
    with pytest.raises(StanceError, match="different gold labels"):
        compare(old, new)
    with pytest.raises(StanceError, match="share no head"):
        compare(Result({"stance": (GOLD, GOLD)}), Result({"sentiment": (GOLD, GOLD)}))
