"""Calibration on dev: one temperature per head (LBFGS on NLL) and F1-best binary thresholds."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from stance.model.tasks import TASKS
from stance.train.evaluate import HeadOutputs, gold_name
from stance.train.metrics import expected_calibration_error, top_label_confidence
from stance.train.rows import Row

logger = logging.getLogger(__name__)


def _targets(task: str, rows: Sequence[Row], out: HeadOutputs) -> np.ndarray:
    spec = TASKS[task]
    if spec.binary:
        return np.asarray([1.0 if rows[i][task] else 0.0 for i in out.rows])
    return np.asarray([spec.labels.index(rows[i][task]) for i in out.rows])


def _probs(task: str, logits: np.ndarray, temperature: float) -> np.ndarray:
    scaled = logits / temperature
    if TASKS[task].binary:
        return 1.0 / (1.0 + np.exp(-scaled))
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    e = np.exp(scaled)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(task: str, logits: np.ndarray, targets: np.ndarray) -> float:
    """The temperature minimising dev NLL (LBFGS over log T, so T stays positive)."""
    import torch

    x = torch.as_tensor(logits, dtype=torch.float64)
    y = torch.as_tensor(targets)
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        scaled = x / log_t.exp()
        if TASKS[task].binary:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(scaled, y.double())
        else:
            loss = torch.nn.functional.cross_entropy(scaled, y.long())
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(np.clip(log_t.exp().item(), 0.05, 20.0))


def _ece(task: str, probs: np.ndarray, targets: np.ndarray, threshold: float = 0.5) -> float:
    if TASKS[task].binary:
        correct = (probs >= threshold) == (targets > 0.5)
    else:
        correct = probs.argmax(axis=1) == targets
    return expected_calibration_error(top_label_confidence(task, probs), correct.astype(float))


def best_threshold(probs: np.ndarray, targets: np.ndarray, tags: Sequence[str]) -> float:
    """Threshold with the best mean-over-datasets F1 (each dataset counts once)."""
    from sklearn.metrics import f1_score

    grid = np.round(np.arange(0.1, 0.91, 0.02), 2)
    names = sorted(set(tags))
    masks = [np.asarray([t == n for t in tags]) for n in names]
    best, best_value = 0.5, -1.0
    for threshold in grid:
        pred = probs >= threshold
        value = float(np.mean([f1_score(targets[m] > 0.5, pred[m], zero_division=0)
                               for m in masks]))
        if value > best_value + 1e-9 or (abs(value - best_value) <= 1e-9
                                         and abs(threshold - 0.5) < abs(best - 0.5)):
            best, best_value = float(threshold), value
    return best


def calibrate(model: Any, tokenizer: Any, rows: Sequence[Row],
              batch_size: int = 128) -> dict[str, Any]:
    """Fit temperatures and thresholds on dev `rows`, store them in `model.config`.

    Returns a report: per head the temperature, threshold and ECE before and after.
    """
    from stance.train.evaluate import head_outputs

    outputs = head_outputs(model, tokenizer, rows, batch_size)
    temperatures: dict[str, float] = {}
    thresholds: dict[str, float] = {}
    report: dict[str, Any] = {}
    for task, out in outputs.items():
        targets = _targets(task, rows, out)
        temperature = fit_temperature(task, out.logits, targets)
        before, after = _probs(task, out.logits, 1.0), _probs(task, out.logits, temperature)
        entry = {"n": len(out.rows), "temperature": temperature,
                 "ece_before": _ece(task, before, targets), "ece_after": _ece(task, after,
                                                                              targets)}
        temperatures[task] = temperature
        if TASKS[task].binary:
            tags = [rows[i]["dataset"] for i in out.rows]
            thresholds[task] = best_threshold(after, targets, tags)
            entry["threshold"] = thresholds[task]
            entry["ece_after_threshold"] = _ece(task, after, targets, thresholds[task])
        report[task] = entry
        logger.info("calibrated %s: T=%.3f ECE %.4f -> %.4f", task, temperature,
                    entry["ece_before"], entry["ece_after"])
    from stance.model.config import ModelConfig

    model.config = ModelConfig.from_dict({**model.config.to_dict(),
                                          "temperatures": temperatures,
                                          "thresholds": thresholds})
    return report


__all__ = ["calibrate", "fit_temperature", "best_threshold", "gold_name"]
