"""Score a model on annotated rows: `evaluate_model(model, tokenizer, rows) -> EvalResult`.

Rows are read the way `stance label` reads a thread: each comment with its target in one
encoder pass; agreement from the comment's vector and its parent's own (target, parent) vector.
`EvalResult.predictions[head]` holds aligned (gold, predicted) label names for every row that
has a gold label for that head, so callers can compare models example by example.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stance.model.tasks import TASKS
from stance.train import registry
from stance.train.metrics import Metrics, grouped_f_avg, head_metrics
from stance.train.rows import Row, rows_from_records

logger = logging.getLogger(__name__)

#: Datasets whose F_avg is computed per target and averaged (P-Stance, as its paper reports).
#: SemEval-2016 in TweetEval pools the five targets before scoring (its evaluation script
#: flattens them), so it uses the plain pooled F_avg.
GROUPED_F_AVG = ("pstance",)


@dataclass(slots=True)
class HeadOutputs:
    """Raw logits of one head for the rows labelled for it (`rows` indexes the input rows)."""

    rows: list[int]
    logits: np.ndarray  # [N, C], or [N] for a binary head


@dataclass(slots=True)
class EvalResult:
    metrics: dict[str, Any]
    #: head -> (gold label names, predicted label names), aligned; binary heads "true"/"false".
    predictions: dict[str, tuple[list[str], list[str]]]
    #: head -> dataset tag of each prediction (aligned with `predictions`).
    datasets: dict[str, list[str]] = field(default_factory=dict)
    #: head -> calibrated probabilities per prediction (class order of tasks.py; binary P(true)).
    probabilities: dict[str, list[Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"metrics": self.metrics}


def gold_name(task: str, value: Any) -> str:
    return ("true" if value else "false") if TASKS[task].binary else str(value)


def _device_of(model: Any) -> Any:
    return next(model.parameters()).device


def encode_pairs(model: Any, tokenizer: Any, texts: Sequence[str], contexts: Sequence[str],
                 max_length: int, batch_size: int) -> Any:
    """Pooled vectors [N, H] (float32, on the model's device), length-sorted batches."""
    import torch

    from stance.model.batch import collate, pretokenize_pairs

    device = _device_of(model)
    pairs = pretokenize_pairs(tokenizer, texts, contexts, max_length)
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].input_ids))
    out = torch.empty((len(pairs), model.hidden_size), dtype=torch.float32, device=device)
    pad_id = tokenizer.pad_token_id or 0
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            batch = collate([pairs[i] for i in idx], pad_id).to(device)
            # fp32, as `stance label` runs on CPU: dev numbers and calibration match it.
            out[torch.tensor(idx, device=device)] = model.encode(batch).float()
    return out


def head_outputs(model: Any, tokenizer: Any, rows: Sequence[Row], batch_size: int = 64,
                 max_length: int | None = None) -> dict[str, HeadOutputs]:
    """Raw logits of every head for the rows that carry its label."""
    import torch

    max_length = max_length or model.config.max_length
    was_training = model.training
    model.eval()
    pooled = encode_pairs(model, tokenizer, [r["text"] for r in rows],
                          [r.get("target") or "" for r in rows], max_length, batch_size)
    result: dict[str, HeadOutputs] = {}
    with torch.inference_mode():
        for task in model.config.tasks:
            idx = [i for i, r in enumerate(rows) if r.get(task) is not None]
            if not idx:
                continue
            index = torch.tensor(idx, device=pooled.device)
            if TASKS[task].pair == "parent":
                parents = _parent_vectors(model, tokenizer, rows, idx, max_length, batch_size)
                logits = model.logits(pooled[index], parents, tasks=(task,))[task]
            elif task in getattr(model, "context", {}):
                # Replies (rows with a parent) also go through the task's context head.
                local = [j for j, i in enumerate(idx) if (rows[i].get("parent_text") or "")]
                parents = _parent_vectors(model, tokenizer, rows, [idx[j] for j in local],
                                          max_length, batch_size) if local else None
                logits = model.logits(pooled[index], parents, tasks=(task,),
                                      parent_index=torch.tensor(local, dtype=torch.long,
                                                                device=pooled.device)
                                      if local else None)[task]
            else:
                logits = model.logits(pooled[index], tasks=(task,))[task]
            values = logits.float().cpu().numpy()
            result[task] = HeadOutputs(idx, values[:, 0] if TASKS[task].binary else values)
    model.train(was_training)
    return result


def _parent_vectors(model: Any, tokenizer: Any, rows: Sequence[Row], idx: Sequence[int],
                    max_length: int, batch_size: int) -> Any:
    """The (target, parent) vectors of rows `idx`, each distinct parent encoded once."""
    import torch

    keys = sorted({(rows[i].get("target") or "", rows[i].get("parent_text") or "")
                   for i in idx})
    where = {k: j for j, k in enumerate(keys)}
    parents = encode_pairs(model, tokenizer, [k[1] for k in keys], [k[0] for k in keys],
                           max_length, batch_size)
    pidx = torch.tensor([where[(rows[i].get("target") or "", rows[i].get("parent_text") or "")]
                         for i in idx], device=parents.device)
    return parents[pidx]


def probabilities(model: Any, task: str, logits: np.ndarray) -> np.ndarray:
    import torch

    return model.probabilities({task: torch.from_numpy(np.asarray(logits))})[task].numpy()


def predicted_names(model: Any, task: str, probs: np.ndarray) -> list[str]:
    spec = TASKS[task]
    if spec.binary:
        threshold = float(model.config.thresholds.get(task, 0.5))
        return ["true" if p >= threshold else "false" for p in probs]
    return [spec.labels[int(i)] for i in probs.argmax(axis=1)]


def evaluate_model(model: Any, tokenizer: Any, rows_or_dataset: Any, batch_size: int = 64,
                   max_length: int | None = None) -> EvalResult:
    """Metrics per head and per dataset, and the aligned predictions behind them."""
    rows = _as_rows(rows_or_dataset)
    outputs = head_outputs(model, tokenizer, rows, batch_size, max_length)
    per_task = {}
    for task, out in outputs.items():
        probs = probabilities(model, task, out.logits)
        per_task[task] = (out.rows, predicted_names(model, task, probs), probs)
    return result_from_predictions(rows, per_task)


#: head -> (indices of the rows labelled for it, predicted label names, probabilities [N(, C)]).
Predictions = dict[str, tuple[list[int], list[str], np.ndarray]]


def result_from_predictions(rows: Sequence[Row], per_task: Predictions) -> EvalResult:
    """Metrics (per head, per dataset, each dataset's primary score) from predictions made by
    any path: the model directly (`evaluate_model`) or the inference engine (`stance.infer.
    evaluate`)."""
    predictions: dict[str, tuple[list[str], list[str]]] = {}
    datasets: dict[str, list[str]] = {}
    probs_out: dict[str, list[Any]] = {}
    metrics: Metrics = {"n_rows": len(rows)}
    for task, (idx, pred, probs) in per_task.items():
        gold = [gold_name(task, rows[i][task]) for i in idx]
        predictions[task] = (gold, pred)
        datasets[task] = [rows[i]["dataset"] for i in idx]
        probs_out[task] = probs.tolist()
        metrics.update(head_metrics(task, gold, pred, probs))
        groups = [rows[i].get("group") for i in idx]
        metrics.update(_per_dataset(task, gold, pred, probs, datasets[task], groups))
    metrics.update(primary_scores(metrics))
    return EvalResult(metrics, predictions, datasets, probs_out)


def _as_rows(rows_or_dataset: Any) -> list[Row]:
    """Checked rows from row dicts or a `datasets.Dataset` (checking normal rows is a no-op)."""
    return rows_from_records(rows_or_dataset)


def _per_dataset(task: str, gold: list[str], pred: list[str], probs: np.ndarray,
                 tags: list[str], groups: list[str | None]) -> Metrics:
    out: Metrics = {}
    for tag in sorted(set(tags)):
        idx = [i for i, t in enumerate(tags) if t == tag]
        sub = head_metrics(task, [gold[i] for i in idx], [pred[i] for i in idx], probs[idx])
        if task == "stance" and tag in GROUPED_F_AVG:
            sub["stance_f_avg_pooled"] = sub.get("stance_f_avg", 0.0)
            sub["stance_f_avg"] = grouped_f_avg([gold[i] for i in idx], [pred[i] for i in idx],
                                                [groups[i] for i in idx])
        out.update({f"{tag}/{key}": value for key, value in sub.items()})
    return out


def primary_scores(metrics: Metrics) -> Metrics:
    """Each dataset's own benchmark metric as `<tag>/primary`, and their mean as `score`."""
    out: Metrics = {}
    for spec in registry.BY_TAG.values():
        if spec.metric == "claims_f1":
            parts = [metrics.get(f"{spec.tag}/{k}") for k in ("media_bias_f1", "conspiracy_f1")]
            values = [p for p in parts if p is not None]
            if values:
                out[f"{spec.tag}/claims_f1"] = float(np.mean(values))
                out[f"{spec.tag}/primary"] = out[f"{spec.tag}/claims_f1"]
        elif spec.metric and f"{spec.tag}/{spec.metric}" in metrics:
            out[f"{spec.tag}/primary"] = metrics[f"{spec.tag}/{spec.metric}"]
    if out:
        primaries = [v for k, v in out.items() if k.endswith("/primary")]
        out["score"] = float(np.mean(primaries))
    else:
        fallback = [metrics[f"{t}_macro_f1"] for t in TASKS if f"{t}_macro_f1" in metrics]
        out["score"] = float(np.mean(fallback)) if fallback else 0.0
    return out


def outlet_metrics(sources: Sequence[Any], split: str) -> Metrics:
    """`find_outlets` against comment_claims' gold `media_target`, when that folder is given."""
    from pathlib import Path

    from stance.model.outlets import outlet_scores

    folders = []
    for source in sources:
        if isinstance(source, str | Path) and Path(source).is_dir():
            path = Path(source)
            folders += [path] if path.name == "comment_claims" else [
                p for p in [path / "comment_claims"] if p.is_dir()]
    out: Metrics = {}
    for folder in folders:
        texts, gold = registry.claims_media_targets(folder, split)
        out.update({f"comment_claims/{k}": v for k, v in outlet_scores(texts, gold).items()})
    return out


def evaluate_paths(sources: Sequence[Any], model_dir: str | None = None, device: str = "auto",
                   batch_size: int = 64, split: str = "dev",
                   sample: int = 0, seed: int = 13, quantize: str | None = None) -> EvalResult:
    """What `stance evaluate` does: dataset folders give their `split`, files all their rows.

    With `quantize` (`stance label`'s choices) the rows go through the inference engine, so the
    scores are the ones `stance label` would write with that setting on this machine.
    """
    from stance.train.data import load_sources, sample_rows

    rows = load_sources(sources, split)
    if sample:
        rows = sample_rows(rows, sample, seed)
    if not rows:
        from stance.errors import InputError

        raise InputError("no labelled rows to evaluate on in the given data")
    if quantize is not None:
        from stance.infer.config import InferenceConfig
        from stance.infer.evaluate import evaluate_with_labeler

        config = InferenceConfig(device=device, quantize=quantize, progress=False)
        result, tag = evaluate_with_labeler(rows, model_dir, config)
        result.metrics["model"] = tag
    else:
        from stance.model.io import load_model
        from stance.train.trainer import resolve_device

        model, tokenizer = load_model(model_dir, device=str(resolve_device(device)))
        result = evaluate_model(model, tokenizer, rows, batch_size)
        result.metrics["model"] = model.config.tag
    result.metrics.update(outlet_metrics(sources, split))
    return result
