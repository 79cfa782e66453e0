"""Metric functions (scikit-learn): per head, per dataset, and the benchmarks' own metrics.

Every function returns a flat dict whose keys are prefixed with the head's name
(`stance_macro_f1`, `sentiment_recall`, `conspiracy_mcc`, ...); per-dataset results are the
same keys behind `<dataset>/`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from stance.model.tasks import TASKS

Metrics = dict[str, Any]


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray,
                               bins: int = 15) -> float:
    """ECE: the gap between confidence and accuracy, averaged over equal-width bins."""
    if len(confidence) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(float(confidence[mask].mean()) -
                                       float(correct[mask].mean()))
    return float(total)


def top_label_confidence(task: str, probs: np.ndarray) -> np.ndarray:
    """Confidence of the predicted label: max class probability (binary: max(p, 1 - p))."""
    if TASKS[task].binary:
        return np.maximum(probs, 1.0 - probs)
    return probs.max(axis=1)


def head_metrics(task: str, gold: Sequence[str], pred: Sequence[str],
                 probs: np.ndarray | None = None) -> Metrics:
    """Metrics of one head on aligned gold/predicted label names ("true"/"false" if binary)."""
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        matthews_corrcoef,
        precision_score,
        recall_score,
    )

    spec = TASKS[task]
    out: Metrics = {f"{task}_n": len(gold)}
    if not gold:
        return out
    present = [label for label in spec.labels if label in set(gold)]
    out[f"{task}_accuracy"] = float(accuracy_score(gold, pred))
    out[f"{task}_macro_f1"] = float(f1_score(gold, pred, labels=present, average="macro",
                                             zero_division=0))
    out[f"{task}_recall"] = float(recall_score(gold, pred, labels=present, average="macro",
                                               zero_division=0))
    per_class = f1_score(gold, pred, labels=list(spec.labels), average=None, zero_division=0)
    for label, value in zip(spec.labels, per_class, strict=True):
        if label in present:
            out[f"{task}_f1_{label}"] = float(value)
    out[f"{task}_confusion"] = confusion_matrix(gold, pred, labels=list(spec.labels)).tolist()
    out[f"{task}_confusion_labels"] = list(spec.labels)
    if task == "stance":
        pair = [label for label in ("favor", "against") if label in present]
        if pair:
            out["stance_f_avg"] = float(f1_score(gold, pred, labels=pair, average="macro",
                                                 zero_division=0))
    if spec.binary:
        out[f"{task}_f1"] = float(f1_score(gold, pred, pos_label="true", zero_division=0))
        out[f"{task}_precision"] = float(precision_score(gold, pred, pos_label="true",
                                                         zero_division=0))
        out[f"{task}_recall"] = float(recall_score(gold, pred, pos_label="true",
                                                   zero_division=0))
        with warnings.catch_warnings():  # one class only: MCC is 0, say nothing
            warnings.simplefilter("ignore", UserWarning)
            out[f"{task}_mcc"] = float(matthews_corrcoef(gold, pred))
    if probs is not None and len(probs):
        correct = np.asarray([g == p for g, p in zip(gold, pred, strict=True)], dtype=float)
        out[f"{task}_ece"] = expected_calibration_error(top_label_confidence(task, probs),
                                                        correct)
    return out


def grouped_f_avg(gold: Sequence[str], pred: Sequence[str],
                  groups: Sequence[str | None]) -> float:
    """The SemEval-2016 / P-Stance metric: F_avg per target, averaged over targets."""
    values = []
    for group in sorted({g for g in groups if g is not None}):
        idx = [i for i, g in enumerate(groups) if g == group]
        sub = head_metrics("stance", [gold[i] for i in idx], [pred[i] for i in idx])
        if "stance_f_avg" in sub:
            values.append(sub["stance_f_avg"])
    return float(np.mean(values)) if values else 0.0
