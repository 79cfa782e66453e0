"""Turning checked rows into trainable examples, and the per-epoch multi-task sampling plan."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from stance.model.batch import PairIds, pretokenize_pairs
from stance.model.tasks import TASKS
from stance.train.config import TrainingConfig
from stance.train.rows import Row


@dataclass(frozen=True, slots=True)
class Example:
    pair: PairIds  # (target, comment)
    parent: PairIds | None  # (target, parent comment): rows with an agreement label, and
    # with `config.stance_context` rows with a stance label and a parent
    labels: dict[str, int]  # head -> class index (binary: 0/1), labelled heads only
    dataset: str
    #: ("", comment): what the teacher reads when the row's target is a distractor and
    #: `config.distill_plain` is set; None otherwise
    plain: PairIds | None = None


def label_index(task: str, value: object) -> int:
    spec = TASKS[task]
    return int(bool(value)) if spec.binary else spec.labels.index(str(value))


def training_targets(rows: Sequence[Row], p: float, rng: random.Random) -> list[str]:
    """The target each row is read with while training.

    Rows with a stance label keep theirs. Rows without one (agreement, sentiment, claims) have
    no real target, but at label time every comment is read with its thread's target (an
    article title, or nothing): with probability `p` such a row gets a random stance target
    from the data, so those heads learn not to depend on it.
    """
    pool = sorted({r["target"] for r in rows if r.get("stance") is not None and r["target"]})
    targets = []
    for row in rows:
        if row.get("stance") is None and pool and rng.random() < p:
            targets.append(rng.choice(pool))
        else:
            targets.append(row.get("target") or "")
    return targets


def reads_parent(row: Row, stance_context: bool) -> bool:
    """Whether a row's parent is encoded: for agreement, or for stance with a context head."""
    if row.get("agreement") is not None:
        return True
    return (stance_context and row.get("stance") is not None
            and bool((row.get("parent_text") or "").strip()))


def build_examples(rows: Sequence[Row], tokenizer: object, config: TrainingConfig,
                   targets: Sequence[str] | None = None) -> list[Example]:
    """Tokenize every row once (and its parent, where a head reads it)."""
    targets = list(targets) if targets is not None else [r.get("target") or "" for r in rows]
    pairs = pretokenize_pairs(tokenizer, [r["text"] for r in rows], targets, config.max_length)
    with_parent = [i for i, r in enumerate(rows) if reads_parent(r, config.stance_context)]
    parent_pairs = pretokenize_pairs(tokenizer, [rows[i]["parent_text"] for i in with_parent],
                                     [targets[i] for i in with_parent], config.max_length)
    parents: dict[int, PairIds] = dict(zip(with_parent, parent_pairs, strict=True))
    plain: dict[int, PairIds] = {}
    if config.distill_plain:
        moved = [i for i, r in enumerate(rows) if config.distill.get(r["dataset"], 0.0) > 0
                 and r.get("stance") is None and targets[i] != (r.get("target") or "")]
        plain = dict(zip(moved, pretokenize_pairs(tokenizer, [rows[i]["text"] for i in moved],
                                                  [""] * len(moved), config.max_length),
                         strict=True))
    examples = []
    for i, row in enumerate(rows):
        labels = {t: label_index(t, row[t]) for t in TASKS if row.get(t) is not None}
        examples.append(Example(pairs[i], parents.get(i), labels, row["dataset"], plain.get(i)))
    return examples


def epoch_counts(sizes: dict[str, int], config: TrainingConfig,
                 weights: dict[str, float] | None = None) -> dict[str, int]:
    """Examples drawn from each dataset per epoch: ∝ size**alpha × weight, capped by repeats."""
    weights = weights or {}
    raw = {d: (n ** config.sampling_alpha) * weights.get(d, 1.0) for d, n in sizes.items()}
    total_weight = sum(raw.values()) or 1.0
    total = config.epoch_examples or sum(sizes.values())
    return {d: max(1, min(round(total * raw[d] / total_weight),
                          math.ceil(config.max_repeat * sizes[d])))
            for d in sizes if sizes[d] > 0}


def balance_weights(examples: Sequence[Example], indices: Sequence[int],
                    beta: float) -> list[float]:
    """Per-row draw weights inside one dataset: (1 / class count) ** beta on its main head.

    beta = 0 draws rows uniformly; 1 balances the classes of the dataset's main head (the
    head most of its rows are labelled for), e.g. RumourEval's rare deny and query.
    """
    heads: dict[str, int] = {}
    for i in indices:
        for task in examples[i].labels:
            heads[task] = heads.get(task, 0) + 1
    main = max(sorted(heads), key=lambda t: heads[t]) if heads else ""
    counts: dict[int, int] = {}
    for i in indices:
        key = examples[i].labels.get(main, -1)
        counts[key] = counts.get(key, 0) + 1
    return [counts[examples[i].labels.get(main, -1)] ** -beta for i in indices]


def epoch_plan(by_dataset: dict[str, list[int]], counts: dict[str, int],
               rng: random.Random, weights: dict[str, list[float]] | None = None) -> list[int]:
    """Example indices of one epoch: each dataset's share, drawn uniformly without replacement
    within a pass, or by `weights[dataset]` (with replacement) where given."""
    plan: list[int] = []
    for name in sorted(counts):
        pool = by_dataset[name]
        if weights and name in weights:
            plan.extend(rng.choices(pool, weights=weights[name], k=counts[name]))
            continue
        drawn: list[int] = []
        while len(drawn) < counts[name]:
            shuffled = pool[:]
            rng.shuffle(shuffled)
            drawn.extend(shuffled[: counts[name] - len(drawn)])
        plan.extend(drawn)
    rng.shuffle(plan)
    return plan


def expected_draws(by_dataset: dict[str, list[int]], counts: dict[str, int],
                   weights: dict[str, list[float]] | None, n_examples: int) -> list[float]:
    """How often each example is drawn per epoch, on average."""
    draws = [0.0] * n_examples
    for name, pool in by_dataset.items():
        w = (weights or {}).get(name) or [1.0] * len(pool)
        total = sum(w) or 1.0
        for i, wi in zip(pool, w, strict=True):
            draws[i] = counts.get(name, 0) * wi / total
    return draws


def class_weights(examples: Sequence[Example], draws: Sequence[float],
                  power: float) -> dict[str, list[float]]:
    """Per head, class weights ∝ (1 / sampled class frequency) ** power, mean weight 1."""
    freq: dict[str, list[float]] = {t: [0.0] * len(TASKS[t].labels) for t in TASKS}
    for ex, draw in zip(examples, draws, strict=True):
        for task, index in ex.labels.items():
            freq[task][index] += draw
    weights: dict[str, list[float]] = {}
    for task, counts in freq.items():
        total = sum(counts)
        if total <= 0:
            continue
        raw = [((total / c) ** power) if c > 0 else 0.0 for c in counts]
        mean = sum(r * c for r, c in zip(raw, counts, strict=True)) / total
        weights[task] = [r / mean for r in raw]
    return weights
