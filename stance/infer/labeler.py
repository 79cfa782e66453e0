"""`Labeler`: the Python API of inference. Threads in, CONTRACT label records out.

    labeler = Labeler()                       # models/default (or $STANCE_MODEL), auto device
    for record in labeler.label(threads):     # lazily, one record per comment, input order
        ...

`Labeler(model)` takes a model directory, a `(MultiTaskModel, tokenizer)` pair, or None; the
`InferenceConfig` says where and how to run it. Records do not depend on batch size, window,
resumption or sharding beyond float rounding, with one exception: torch int8
(`quantize="int8"`) takes each batch's activation range as its quantisation scale, so there a
comment's scores move by about the int8 error when batches are cut differently (ONNX Runtime
int8, the default, encodes every comment alone to avoid exactly that).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stance.errors import InputError
from stance.infer.backends import split_context
from stance.infer.config import InferenceConfig
from stance.infer.engine import Engine, Item, Limits
from stance.infer.progress import progress
from stance.infer.records import RecordBuilder, probabilities
from stance.infer.select import Loaded, load
from stance.infer.targets import stance_target
from stance.infer.tokenize import TokenBatch
from stance.io import clean_text
from stance.model.config import ModelConfig
from stance.thread.model import Thread
from stance.thread.sanitize import clean_thread
from stance.thread.tree import repair

logger = logging.getLogger(__name__)

ModelSource = str | Path | tuple[Any, Any] | None


@dataclass(frozen=True, slots=True)
class Prediction:
    """Pooled vectors [B, H] and calibrated probabilities per comment head (see `probabilities`)."""

    pooled: np.ndarray
    probs: dict[str, np.ndarray]


class Resume:
    """The records an earlier, interrupted run already wrote, as (thread_id, comment_id) keys in
    output order; `take` consumes them as the same input is read again."""

    def __init__(self, keys: Iterator[tuple[str, str]]):
        self._keys = keys
        self._next = next(keys, None)
        self.skipped = 0

    def take(self, key: tuple[str, str]) -> bool:
        if self._next is None:
            return False
        if self._next != key:
            raise InputError(f"the partial output continues with comment {self._next[1]!r} of "
                             f"thread {self._next[0]!r}, but the input has {key[1]!r} of "
                             f"{key[0]!r} there: the input changed; rerun without --resume")
        self._next = next(self._keys, None)
        self.skipped += 1
        return True

    def check_exhausted(self) -> None:
        if self._next is not None:
            raise InputError(f"the partial output holds comment {self._next[1]!r} of thread "
                             f"{self._next[0]!r}, which the input does not have; "
                             "rerun without --resume")


def thread_items(threads: Iterable[Thread], target: str | None = None,
                 resume: Resume | None = None, pairs: bool = True) -> Iterator[Item]:
    """Flatten threads into engine items; comments already done (resume) are scored only when
    a reply still needs their vector. Text no encoder takes is repaired first (`clean_thread`),
    so a record's text is what the model read."""
    target = clean_text(target) if target else target
    for group, thread in enumerate(threads):
        if not isinstance(thread, Thread):
            raise InputError(f"expected Thread objects to label, got {type(thread).__name__}")
        thread = repair(clean_thread(thread)[0])
        goal = stance_target(thread, target)
        comments = thread.comments
        emit = [not (resume and resume.take((thread.thread_id, c.id))) for c in comments]
        children: Counter[str] = Counter()
        if pairs:
            children.update(c.parent_id for c, e in zip(comments, emit, strict=True)
                            if e and c.parent_id is not None)
        for comment, wanted in zip(comments, emit, strict=True):
            need = children.get(comment.id, 0)
            if wanted or need:
                yield Item(group, comment.id, comment.parent_id, goal, comment.text, need,
                           wanted, thread.thread_id)
    if resume is not None:
        resume.check_exhausted()


class Labeler:
    """Labels comment threads with every head of a multi-task model."""

    def __init__(self, model: ModelSource = None, config: InferenceConfig | None = None):
        self.config = config or InferenceConfig()
        loaded: Loaded = load(model, self.config)
        self.backend = loaded.backend
        self.encoder = loaded.encoder
        self.model_config: ModelConfig = loaded.model_config
        self.device = loaded.device
        #: How far int8 scores were from fp32 on the calibration set (None when not measured).
        self.calibration: dict[str, Any] | None = loaded.calibration
        self.limits = Limits(*self.config.limits(self.device, self.backend.preferred_batch))
        self.engine = Engine(self.backend, self.encoder, self.model_config, self.limits,
                             reread=self.config.reread)
        self.records = RecordBuilder(self.model_config)
        logger.info("labeling with %s on %s (%s)", self.tag, self.device, self.backend.name)

    @property
    def tag(self) -> str:
        return self.model_config.tag

    @property
    def backend_name(self) -> str:
        return self.backend.name

    def encode(self, targets: list[str], texts: list[str]) -> TokenBatch:
        """Tokenize (target, comment) pairs into one padded batch for `predict`."""
        return self.encoder.pad(self.encoder.encode(targets, texts))

    def predict(self, batch: TokenBatch) -> Prediction:
        """One forward pass: pooled vectors and per-comment head probabilities."""
        output = self.backend.submit(batch)()
        return Prediction(output.pooled, probabilities(output.logits, self.model_config))

    def predict_pairs(self, parent: np.ndarray, child: np.ndarray) -> dict[str, np.ndarray]:
        """Agreement (pair-head) probabilities for rows of (parent, reply) pooled vectors."""
        pairs, _ = split_context(self.backend.agreement(parent, child))
        return probabilities(pairs, self.model_config)

    def pipe(self, items: Iterable[Item]) -> Iterator[Item]:
        """Score items (see `thread_items`), yielded in input order with their probabilities."""
        return self.engine.run(items)

    def label(self, threads: Iterable[Thread], target: str | None = None,
              resume: Resume | None = None) -> Iterator[dict[str, Any]]:
        """One CONTRACT label record per comment, lazily, in input order.

        `target`, when given, is what stance is measured toward in every thread (instead of
        each thread's own target or article title).
        """
        items = thread_items(threads, target, resume, pairs=self.engine.pairs)
        build = self.records.build
        records = (build(i.payload, i.comment_id, i.parent_id, i.text, i.target, i.rows or {},
                         i.pair_rows) for i in self.engine.run(items))
        return progress(records, self.config.progress)
