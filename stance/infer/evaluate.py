"""Score annotated rows through the inference engine: what `stance label` would write.

`stance evaluate` scores a model directly in fp32 by default. The team's held-out measurement
runs through `stance label`, which on CPU defaults to ONNX Runtime int8, so
`stance evaluate --quantize auto` (or any other `stance label` choice) labels every row as a
small thread (the comment after its parent when it has one) and scores the records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from stance.infer.config import InferenceConfig
from stance.model.tasks import TASKS
from stance.train.evaluate import EvalResult, Predictions, gold_name, result_from_predictions
from stance.train.rows import Row


def _probability(task: str, entry: dict[str, Any]) -> Any:
    if TASKS[task].binary:
        return float(entry["score"])
    return [float(entry["scores"][label]) for label in TASKS[task].labels]


def evaluate_with_labeler(rows: Sequence[Row], model: str | None,
                          config: InferenceConfig) -> tuple[EvalResult, str]:
    """Metrics of the records `Labeler(model, config)` writes for `rows`, and the model tag."""
    from stance.infer.deveval import as_threads
    from stance.infer.labeler import Labeler

    labeler = Labeler(model, config)
    records = [r for r in labeler.label(as_threads(rows)) if r["comment_id"] == "c"]
    per_task: Predictions = {}
    for task in TASKS:
        idx = [i for i, (row, record) in enumerate(zip(rows, records, strict=True))
               if row.get(task) is not None and record.get(task) is not None]
        if not idx:
            continue
        pred = [gold_name(task, records[i][task]["label"]) for i in idx]
        probs = np.asarray([_probability(task, records[i][task]) for i in idx], dtype=float)
        per_task[task] = (idx, pred, probs)
    result = result_from_predictions(rows, per_task)
    result.metrics["backend"] = labeler.backend_name
    return result, labeler.tag
