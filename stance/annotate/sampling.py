"""Choose which comments to annotate next, streaming a label-records file of any size.

Every strategy gives each eligible record a score and keeps the `n` best in a bounded heap:
- `uncertainty`: how close each selected head is to changing its mind (1 - margin between
  its two most likely classes; for a binary head, distance to its decision threshold),
  averaged or maxed over the heads.
- `disagreement`: heads that contradict each other: a reply that "agrees" with a parent of
  the opposite stance (or "disagrees" with one of the same stance), or a binary claim head
  sitting within `band` of its threshold.
- `random`: a uniform sample without replacement (a random key per record, the `n` largest
  kept; the same seed and file give the same sample).
"""

from __future__ import annotations

import heapq
import logging
import random
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from stance.annotate.records import HeadPrediction, Record, find_texts, iter_thread_groups
from stance.errors import InputError
from stance.io import STDIO, iter_jsonl
from stance.model.tasks import TASK_NAMES, TASKS

logger = logging.getLogger(__name__)

STRATEGIES = ("uncertainty", "disagreement", "random")
AGGREGATES = ("mean", "max")


@dataclass(frozen=True, slots=True)
class SampleOptions:
    strategy: str = "uncertainty"
    n: int = 200
    heads: tuple[str, ...] = TASK_NAMES
    aggregate: str = "mean"  # over heads, for uncertainty
    seed: int = 0
    #: Decision threshold of each binary head (default 0.5), e.g. from the model's config.
    thresholds: Mapping[str, float] = field(default_factory=dict)
    #: A binary head counts as disagreeing with itself within this distance of its threshold.
    band: float = 0.1
    #: (thread_id, comment_id) pairs never to sample again (already annotated).
    exclude: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise InputError(f"unknown strategy {self.strategy!r}; use one of "
                             f"{', '.join(STRATEGIES)}")
        if self.aggregate not in AGGREGATES:
            raise InputError(f"unknown aggregate {self.aggregate!r}; use mean or max")
        if self.n < 1:
            raise InputError("--n must be at least 1")
        unknown = [h for h in self.heads if h not in TASKS]
        if unknown or not self.heads:
            raise InputError(f"unknown head(s) {', '.join(unknown) or '(none given)'}; "
                             f"heads are {', '.join(TASK_NAMES)}")


@dataclass(frozen=True, slots=True)
class SampleItem:
    """A comment chosen for annotation, with its thread context and why it was chosen."""

    record: Record
    parent_text: str
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class SampleResult:
    items: tuple[SampleItem, ...]
    strategy: str
    seen: int  # records read
    eligible: int  # records that could be chosen
    skipped: Mapping[str, int]  # why the others could not


def head_uncertainty(name: str, pred: HeadPrediction, threshold: float = 0.5) -> float:
    """0 = certain, 1 = on the decision boundary."""
    if TASKS[name].binary:
        p = pred.probs["true"]
        t = min(max(threshold, 1e-6), 1 - 1e-6)
        distance = (p - t) / (1 - t) if p >= t else (t - p) / t
        return 1.0 - min(1.0, distance)
    top = sorted(pred.probs.values(), reverse=True)
    second = top[1] if len(top) > 1 else 0.0
    return 1.0 - (top[0] - second)


def uncertainty(record: Record, options: SampleOptions) -> tuple[float, str] | None:
    values = {h: head_uncertainty(h, record.heads[h], options.thresholds.get(h, 0.5))
              for h in options.heads if h in record.heads}
    if not values:
        return None
    score = max(values.values()) if options.aggregate == "max" else (
        sum(values.values()) / len(values))
    worst = max(values, key=lambda h: values[h])
    return score, f"most uncertain head: {worst} ({_describe(worst, record.heads[worst])})"


def _describe(name: str, pred: HeadPrediction) -> str:
    if TASKS[name].binary:
        return f"p(true)={pred.probs['true']:.2f}"
    ranked = sorted(pred.probs.items(), key=lambda kv: -kv[1])[:2]
    return " vs ".join(f"{label} {p:.2f}" for label, p in ranked)


def stance_conflict(child: Record, parent: Record | None) -> float:
    """Expected contradiction between a reply's agreement and the two stances, in [0, 1]."""
    agreement = child.heads.get("agreement")
    if parent is None or agreement is None:
        return 0.0
    cs, ps = child.heads.get("stance"), parent.heads.get("stance")
    if cs is None or ps is None:
        return 0.0
    favor, against = "favor", "against"
    same = cs.probs[favor] * ps.probs[favor] + cs.probs[against] * ps.probs[against]
    opposite = cs.probs[favor] * ps.probs[against] + cs.probs[against] * ps.probs[favor]
    return agreement.probs["agree"] * opposite + agreement.probs["disagree"] * same


def disagreement(record: Record, parent: Record | None,
                 options: SampleOptions) -> tuple[float, str] | None:
    candidates: list[tuple[float, str]] = []
    if "agreement" in options.heads or "stance" in options.heads:
        conflict = stance_conflict(record, parent)
        if conflict > 0 and parent is not None:
            candidates.append((conflict, f"agreement {record.heads['agreement'].label!r} with "
                                         f"a {parent.heads['stance'].label!r} parent while "
                                         f"itself {record.heads['stance'].label!r}"))
    for name in options.heads:
        pred = record.heads.get(name)
        if pred is None or not TASKS[name].binary:
            continue
        t = options.thresholds.get(name, 0.5)
        near = 1.0 - abs(pred.probs["true"] - t) / options.band
        if near > 0:
            candidates.append((near, f"{name} near its threshold ({_describe(name, pred)})"))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])


def sample_records(path: str | Path, options: SampleOptions) -> SampleResult:
    """Stream `path` (label records; '-' = stdin) and keep the `options.n` best comments."""
    if str(path) == STDIO:
        with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as spool:
            shutil.copyfileobj(sys.stdin.buffer, spool)
        try:
            return sample_records(spool.name, options)
        finally:
            Path(spool.name).unlink(missing_ok=True)
    rng = random.Random(options.seed)
    heap: list[tuple[float, int, SampleItem]] = []
    skipped = {"empty text": 0, "already annotated": 0, "no selected head": 0}
    seen = eligible = 0
    for group in iter_thread_groups(path):
        by_id = {r.comment_id: r for r in group}
        for record in group:
            seen += 1
            parent = by_id.get(record.parent_id) if record.parent_id else None
            scored = _score(record, parent, options, rng, skipped)
            if scored is None:
                continue
            eligible += 1
            item = SampleItem(record, parent.text if parent else "", scored[0], scored[1])
            entry = (scored[0], -seen, item)  # ties: the earlier record wins
            if len(heap) < options.n:
                heapq.heappush(heap, entry)
            elif entry[:2] > heap[0][:2]:
                heapq.heapreplace(heap, entry)
    items = [e[2] for e in sorted(heap, key=lambda e: (-e[0], -e[1]))]
    items = _fill_parent_texts(path, items)
    skipped = {k: v for k, v in skipped.items() if v}
    return SampleResult(tuple(items), options.strategy, seen, eligible, skipped)


def _score(record: Record, parent: Record | None, options: SampleOptions, rng: random.Random,
           skipped: dict[str, int]) -> tuple[float, str] | None:
    if not record.text.strip():
        skipped["empty text"] += 1
        return None
    if record.key in options.exclude:
        skipped["already annotated"] += 1
        return None
    if options.strategy == "random":
        return rng.random(), "random"
    result = (uncertainty(record, options) if options.strategy == "uncertainty"
              else disagreement(record, parent, options))
    if result is None:
        skipped["no selected head"] += 1
    return result


def _fill_parent_texts(path: str | Path, items: list[SampleItem]) -> list[SampleItem]:
    """Replies whose parent was not in their thread's run: look the parent's text up."""
    wanted = {(i.record.thread_id, i.record.parent_id) for i in items
              if i.record.parent_id and not i.parent_text}
    if not wanted:
        return items
    found = find_texts(path, {(t, p) for t, p in wanted if p is not None})
    missing = len(wanted) - len(found)
    if missing:
        logger.warning("%d sampled repl%s have a parent_id with no record in %s; their parent "
                       "text is left empty", missing, "y" if missing == 1 else "ies", path)
    return [replace(i, parent_text=found.get((i.record.thread_id, i.record.parent_id or ""), ""))
            if i.record.parent_id and not i.parent_text else i for i in items]


def read_exclude(paths: Iterable[str | Path]) -> frozenset[tuple[str, str]]:
    """(thread_id, id) of every row in annotated JSONL files written by `stance import`."""
    keys: set[tuple[str, str]] = set()
    for path in paths:
        for line, obj in iter_jsonl(path):
            tid, cid = obj.get("thread_id"), obj.get("id", obj.get("comment_id"))
            if tid is None or cid is None:
                raise InputError("row has no 'thread_id' and 'id' to exclude by",
                                 path=str(path), line=line)
            keys.add((str(tid), str(cid)))
    return frozenset(keys)
