"""Did the new annotations help? Two models' predictions on the same data, side by side.

A paired bootstrap: each resample draws the same examples for both models, so the interval on
the difference reflects only how the models differ, not how lucky the draw of examples was.
Per head: macro-F1 (averaged over the classes present in the resample's gold or predictions,
as scikit-learn does) and accuracy, plus F1 of the positive class for binary heads; each with
the value on all the data and a 95% percentile interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from stance.errors import StanceError
from stance.model.tasks import TASKS

Predictions = Mapping[str, tuple[Sequence[str], Sequence[str]]]  # head -> (gold, predicted)


class HasPredictions(Protocol):
    """What `compare` needs of an evaluation result (`stance.train.evaluate.EvalResult`)."""

    @property
    def predictions(self) -> Predictions: ...


@dataclass(frozen=True, slots=True)
class Interval:
    value: float  # on all the data
    low: float  # 2.5th percentile of the bootstrap
    high: float  # 97.5th percentile


@dataclass(frozen=True, slots=True)
class MetricComparison:
    head: str
    metric: str
    n: int
    old: Interval
    new: Interval
    delta: Interval  # new - old
    p_not_better: float  # share of resamples where new <= old

    @property
    def significant(self) -> bool:
        return self.delta.low > 0 or self.delta.high < 0


@dataclass(frozen=True, slots=True)
class Comparison:
    rows: tuple[MetricComparison, ...]
    old_name: str
    new_name: str
    n_boot: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old_name, "new": self.new_name, "n_boot": self.n_boot,
                "seed": self.seed, "confidence": 0.95,
                "metrics": [asdict(r) | {"significant": r.significant} for r in self.rows]}

    def to_table(self) -> str:
        """An aligned text table: one line per head and metric."""
        header = ("head", "metric", "n", f"old ({self.old_name})", f"new ({self.new_name})",
                  "delta", "p(new<=old)")
        lines = [header]
        for r in self.rows:
            mark = " *" if r.significant else ""
            lines.append((r.head, r.metric, str(r.n), _fmt(r.old), _fmt(r.new),
                          _fmt(r.delta, signed=True) + mark, f"{r.p_not_better:.3f}"))
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        text = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                          for i, (c, w) in enumerate(zip(line, widths, strict=True))).rstrip()
                for line in lines]
        text.insert(1, "-" * len(text[0]))
        text.append(f"95% intervals from a paired bootstrap ({self.n_boot} resamples, seed "
                    f"{self.seed}); * = the delta's interval excludes 0.")
        return "\n".join(text)


def _fmt(interval: Interval, signed: bool = False) -> str:
    spec = "+.3f" if signed else ".3f"
    return (f"{interval.value:{spec}} [{interval.low:{spec}}, {interval.high:{spec}}]")


def _encode(gold: Sequence[str], old: Sequence[str], new: Sequence[str]) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, list[str]]:
    classes = sorted({str(x) for x in (*gold, *old, *new)})
    index = {c: i for i, c in enumerate(classes)}
    arrays = [np.fromiter((index[str(x)] for x in seq), dtype=np.int64, count=len(seq))
              for seq in (gold, old, new)]
    return arrays[0], arrays[1], arrays[2], classes


def _metrics(weights: np.ndarray, gold: np.ndarray, pred: np.ndarray, n_classes: int,
             positive: int | None) -> dict[str, np.ndarray]:
    """Metrics for each row of `weights` (how often each example was drawn): [B] arrays."""
    gold_1hot = np.eye(n_classes, dtype=np.float64)[gold]  # [N, C]
    pred_1hot = np.eye(n_classes, dtype=np.float64)[pred]
    tp = weights @ (gold_1hot * pred_1hot)  # [B, C]
    support = weights @ gold_1hot
    predicted = weights @ pred_1hot
    denom = support + predicted
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    present = denom > 0
    macro = (f1 * present).sum(1) / np.maximum(present.sum(1), 1)
    out = {"macro_f1": macro, "accuracy": tp.sum(1) / np.maximum(weights.sum(1), 1)}
    if positive is not None:
        out["f1_true"] = f1[:, positive]
    return out


def compare_predictions(old: Predictions, new: Predictions, n_boot: int = 1000, seed: int = 0,
                        heads: Sequence[str] | None = None) -> list[MetricComparison]:
    """Paired bootstrap of every head both results scored on the same gold labels."""
    rng = np.random.default_rng(seed)
    rows: list[MetricComparison] = []
    for head in heads or [h for h in TASKS if h in old and h in new]:
        (gold, old_pred), (gold_new, new_pred) = old[head], new[head]
        if list(map(str, gold)) != list(map(str, gold_new)):
            raise StanceError(f"the two evaluations of {head!r} have different gold labels; "
                              "compare models on the same data")
        if len(old_pred) != len(gold) or len(new_pred) != len(gold):
            raise StanceError(f"{head!r}: predictions and gold labels differ in length")
        if not gold:
            continue
        g, o, w, classes = _encode(gold, old_pred, new_pred)
        positive = classes.index("true") if TASKS[head].binary and "true" in classes else None
        full = np.ones((1, len(g)))
        point_old = _metrics(full, g, o, len(classes), positive)
        point_new = _metrics(full, g, w, len(classes), positive)
        boot_old: dict[str, list[np.ndarray]] = {k: [] for k in point_old}
        boot_new: dict[str, list[np.ndarray]] = {k: [] for k in point_old}
        for size in _chunks(n_boot, len(g)):
            weights = rng.multinomial(len(g), np.full(len(g), 1 / len(g)), size=size)
            for store, pred in ((boot_old, o), (boot_new, w)):
                for key, value in _metrics(weights.astype(np.float64), g, pred, len(classes),
                                           positive).items():
                    store[key].append(value)
        for metric in point_old:
            bo, bn = np.concatenate(boot_old[metric]), np.concatenate(boot_new[metric])
            rows.append(MetricComparison(
                head, metric, len(g), _interval(point_old[metric][0], bo),
                _interval(point_new[metric][0], bn),
                _interval(point_new[metric][0] - point_old[metric][0], bn - bo),
                float(np.mean(bn - bo <= 0))))
    return rows


def _chunks(n_boot: int, n: int, budget: int = 4_000_000) -> list[int]:
    """Split the resamples so a [chunk, n] weight matrix stays around `budget` cells."""
    step = max(1, budget // max(n, 1))
    return [min(step, n_boot - i) for i in range(0, n_boot, step)]


def _interval(value: float, samples: np.ndarray) -> Interval:
    low, high = np.percentile(samples, [2.5, 97.5])
    return Interval(round(float(value), 6), round(float(low), 6), round(float(high), 6))


def compare(old: HasPredictions, new: HasPredictions, n_boot: int = 1000, seed: int = 0, *,
            old_name: str = "old", new_name: str = "new") -> Comparison:
    """Compare two evaluation results of the same data, head by head."""
    if n_boot < 1:
        raise StanceError("n_boot must be at least 1")
    rows = compare_predictions(old.predictions, new.predictions, n_boot=n_boot, seed=seed)
    if not rows:
        raise StanceError("the two evaluations share no head with gold labels to compare")
    return Comparison(tuple(rows), old_name, new_name, n_boot, seed)


def compare_models(data: Sequence[Any], old_dir: str | Path, new_dir: str | Path, *,
                   device: str = "auto", batch_size: int = 64, split: str = "dev",
                   sample: int = 0, n_boot: int = 1000, seed: int = 0,
                   quantize: str | None = None) -> Comparison:
    """Evaluate two saved models on the same data, as `stance evaluate` reads it (files, or
    dataset folders' `split`, optionally a fixed-seed sample), then compare them. With
    `quantize`, both go through the inference engine as `stance label` runs them."""
    from stance.train.evaluate import evaluate_paths

    old, new = (evaluate_paths(data, str(d), device, batch_size, split, sample,
                               quantize=quantize)
                for d in (old_dir, new_dir))
    return compare(old, new, n_boot=n_boot, seed=seed, old_name=str(old_dir),
                   new_name=str(new_dir))
