"""Label records (CONTRACT.md) from head outputs, and calibrated probabilities in numpy.

Every backend returns raw logits; this module is the one place that turns them into
probabilities (temperature, softmax or sigmoid) and into records, so all backends agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np

from stance.model.config import ModelConfig
from stance.model.tasks import TASKS

logger = logging.getLogger(__name__)

#: Scores are rounded to this many decimals in records.
DECIMALS = 6


def probabilities(logits: dict[str, np.ndarray], config: ModelConfig) -> dict[str, np.ndarray]:
    """Softmax (or sigmoid of the positive class for binary heads) of logits / temperature.

    Multi-class heads give [N, C]; binary heads give [N] probabilities of "true".
    """
    out: dict[str, np.ndarray] = {}
    for name, value in logits.items():
        scaled = value.astype(np.float64) / float(config.temperatures.get(name, 1.0))
        if TASKS[name].binary:
            out[name] = 1.0 / (1.0 + np.exp(-scaled.reshape(len(scaled))))
        else:
            shifted = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
            out[name] = shifted / shifted.sum(axis=-1, keepdims=True)
    return out


def labels_of(name: str, probs: np.ndarray, config: ModelConfig) -> np.ndarray:
    """Decisions: the argmax class index, or for binary heads P(true) >= threshold."""
    if TASKS[name].binary:
        return probs >= float(config.thresholds.get(name, 0.5))
    return probs.argmax(axis=-1)


OutletFinder = Callable[[str], list[str]]


def outlet_finder() -> OutletFinder:
    """`stance.model.outlets.find_outlets`, or a finder of nothing while it does not exist."""
    try:
        from stance.model.outlets import find_outlets
    except ImportError:
        logger.debug("stance.model.outlets not available; media_bias targets stay empty")
        return lambda text: []
    return find_outlets


class RecordBuilder:
    """Builds one CONTRACT label record per comment from its rows of probabilities."""

    def __init__(self, config: ModelConfig, finder: OutletFinder | None = None):
        self.config = config
        self.tag = config.tag
        self.find_outlets = finder or outlet_finder()
        self._thresholds = {n: float(config.thresholds.get(n, 0.5)) for n in TASKS
                            if TASKS[n].binary}

    def _multi(self, name: str, row: Any) -> dict[str, Any] | None:
        if row is None:
            return None
        labels = TASKS[name].labels
        values = [round(v, DECIMALS) for v in row.tolist()]
        return {"label": labels[int(np.argmax(row))],
                "scores": dict(zip(labels, values, strict=True))}

    def _binary(self, name: str, score: Any) -> dict[str, Any] | None:
        if score is None:
            return None
        value = float(score)
        return {"label": value >= self._thresholds[name], "score": round(value, DECIMALS)}

    def build(self, thread_id: str, comment_id: str, parent_id: str | None, text: str,
              target: str, rows: dict[str, Any], pair_rows: dict[str, Any] | None
              ) -> dict[str, Any]:
        """`rows[task]` holds this comment's probabilities; `pair_rows` its agreement ones."""
        stance = self._multi("stance", rows.get("stance"))
        if stance is not None:
            stance["target"] = target
        media = self._binary("media_bias", rows.get("media_bias"))
        if media is not None:
            media["targets"] = self.find_outlets(text) if media["label"] else []
        agreement = None
        if parent_id is not None and pair_rows:
            agreement = self._multi("agreement", pair_rows.get("agreement"))
        return {"thread_id": thread_id, "comment_id": comment_id, "parent_id": parent_id,
                "text": text, "stance": stance, "agreement": agreement,
                "sentiment": self._multi("sentiment", rows.get("sentiment")),
                "media_bias": media,
                "conspiracy": self._binary("conspiracy", rows.get("conspiracy")),
                "model": self.tag}
