"""Metrics and calibration on small, hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from stance.train.calibrate import best_threshold, fit_temperature
from stance.train.evaluate import primary_scores
from stance.train.metrics import expected_calibration_error, grouped_f_avg, head_metrics


def test_stance_f_avg_is_mean_of_favor_and_against() -> None:
    gold = ["favor", "favor", "against", "against", "none", "none"]
    pred = ["favor", "against", "against", "against", "none", "favor"]
    m = head_metrics("stance", gold, pred)
    f_favor, f_against = 0.5, 0.8
    assert m["stance_f1_favor"] == pytest.approx(f_favor)
    assert m["stance_f1_against"] == pytest.approx(f_against)
    assert m["stance_f_avg"] == pytest.approx((f_favor + f_against) / 2)
    assert m["stance_confusion"][0] == [1, 1, 0, 0]
    assert "stance_f1_query" not in m  # absent from gold: not in the macro average


def test_binary_metrics_use_the_true_class() -> None:
    m = head_metrics("conspiracy", ["true", "true", "false", "false"],
                     ["true", "false", "false", "false"], np.array([0.9, 0.4, 0.1, 0.2]))
    assert m["conspiracy_precision"] == 1.0 and m["conspiracy_recall"] == 0.5
    assert m["conspiracy_f1"] == pytest.approx(2 / 3)
    assert -1.0 <= m["conspiracy_mcc"] <= 1.0 and "conspiracy_ece" in m


def test_sentiment_recall_is_macro_recall() -> None:
    m = head_metrics("sentiment", ["positive", "negative", "neutral", "neutral"],
                     ["positive", "neutral", "neutral", "neutral"])
    assert m["sentiment_recall"] == pytest.approx((1 + 0 + 1) / 3)


def test_grouped_f_avg_averages_targets() -> None:
    gold = ["favor", "against", "favor", "against"]
    pred = ["favor", "against", "against", "favor"]
    assert grouped_f_avg(gold, pred, ["a", "a", "b", "b"]) == pytest.approx(0.5)


def test_ece() -> None:
    assert expected_calibration_error(np.array([1.0, 1.0]), np.array([1.0, 1.0])) == 0.0
    assert expected_calibration_error(np.array([0.9, 0.9]), np.array([0.0, 0.0])) == \
        pytest.approx(0.9)


def test_temperature_recovers_a_known_scale() -> None:
    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 3)) * 2
    probs = np.exp(true_logits) / np.exp(true_logits).sum(1, keepdims=True)
    labels = np.array([rng.choice(3, p=p) for p in probs])
    assert fit_temperature("stance", true_logits * 3.0, labels) == pytest.approx(3.0, rel=0.15)


def test_best_threshold_separates() -> None:
    probs = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.35])
    targets = np.array([0, 0, 0, 1, 1, 1.0])
    t = best_threshold(probs, targets, ["d"] * 6)
    assert 0.3 < t <= 0.35


def test_primary_scores_average_datasets() -> None:
    out = primary_scores({"semeval2016/stance_f_avg": 0.6, "pan2024/conspiracy_mcc": 0.8,
                          "comment_claims/media_bias_f1": 0.5,
                          "comment_claims/conspiracy_f1": 0.7})
    assert out["comment_claims/claims_f1"] == pytest.approx(0.6)
    assert out["score"] == pytest.approx((0.6 + 0.8 + 0.6) / 3)
