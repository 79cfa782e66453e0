"""The streaming engine: windows of comments, length-sorted batches, parent vectors, input order.

Comments arrive as `Item`s, lazily, from any number of threads. The engine reads a window of
them, tokenizes it once, sorts it by length and cuts it into batches under a row and a token
budget (so padding stays small), runs one encoder pass per comment, and restores input order.

The agreement head needs a comment's vector and its parent's. A comment's vector is kept only
while some reply still needs it (`Item.children` says how many), and a reply that arrives before
its parent waits for it; so memory follows the number of open reply links, not the thread size.

Heads whose thresholds were fitted on comments read alone (the claim heads: the model's
`reread_alone` gates) get a second reading, without the target, for the comments whose first
reading came near a claim; the other heads keep the one reading under the target.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

import numpy as np

from stance.infer.backends import BatchOutput, Pending, split_context
from stance.infer.records import probabilities
from stance.infer.tokenize import Encoded, PairEncoder, TokenBatch
from stance.model.config import ModelConfig
from stance.model.tasks import TASKS

logger = logging.getLogger(__name__)

#: Largest number of (parent, reply) pairs scored by the pair heads in one call.
PAIR_CHUNK = 4096


class Backend(Protocol):
    name: str
    hidden_size: int
    pair_tasks: tuple[str, ...]
    preferred_batch: int

    def submit(self, batch: TokenBatch) -> Pending: ...

    def agreement(self, parent: np.ndarray, child: np.ndarray) -> dict[str, np.ndarray]: ...


@dataclass(slots=True, eq=False)
class Item:
    """One comment to score. `group` numbers its thread within the stream (ids are unique
    within a group); `children` is how many later-scored replies need this comment's vector;
    `emit=False` items are scored only to serve as parents (resumed runs).
    """

    group: int
    comment_id: str
    parent_id: str | None
    target: str
    text: str
    children: int = 0
    emit: bool = True
    payload: Any = None
    #: Filled by the engine: probabilities per comment head, and per pair head (or None).
    rows: dict[str, np.ndarray] | None = None
    pair_rows: dict[str, np.ndarray] | None = None
    waiting: bool = field(default=False)
    #: Raw logits of the heads that have a context head (replies only), until the pair pass.
    raw: dict[str, np.ndarray] | None = None

    @property
    def done(self) -> bool:
        return self.rows is not None and not self.waiting


@dataclass(frozen=True, slots=True)
class Limits:
    batch_size: int
    max_tokens: int
    window: int
    prefetch: bool


def plan_batches(lengths: list[int], limits: Limits, multiple_of: int = 8) -> list[list[int]]:
    """Cut positions, longest first, into batches of <= batch_size rows and <= max_tokens padded
    tokens (rows x longest row, rounded up to `multiple_of`)."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    width = 0
    for i in order:
        if not current:
            width = -(-max(lengths[i], 1) // multiple_of) * multiple_of
        if current and (len(current) >= limits.batch_size
                        or (len(current) + 1) * width > limits.max_tokens):
            batches.append(current)
            current = []
            width = -(-max(lengths[i], 1) // multiple_of) * multiple_of
        current.append(i)
    if current:
        batches.append(current)
    return batches


class _Links:
    """Pooled vectors kept for replies that still need them, and replies waiting for parents."""

    def __init__(self) -> None:
        self.vectors: dict[tuple[int, str], list[Any]] = {}  # key -> [vector, replies left]
        self.waiting: dict[tuple[int, str], list[tuple[Item, np.ndarray]]] = {}

    def store(self, item: Item, vector: np.ndarray) -> list[tuple[Item, np.ndarray]]:
        """Keep `item`'s vector for its replies; return replies that were waiting for it."""
        key = (item.group, item.comment_id)
        self.vectors[key] = [vector.copy(), item.children]
        return self.waiting.pop(key, [])

    def parent(self, item: Item) -> np.ndarray | None:
        found = self.vectors.get((item.group, item.parent_id or ""))
        return None if found is None else found[0]

    def release(self, group: int, parent_id: str) -> None:
        key = (group, parent_id)
        found = self.vectors.get(key)
        if found is not None:
            found[1] -= 1
            if found[1] <= 0:
                del self.vectors[key]

    def wait(self, item: Item, vector: np.ndarray) -> None:
        item.waiting = True
        self.waiting.setdefault((item.group, item.parent_id or ""), []).append(
            (item, vector.copy()))

    def give_up(self, before_group: int | None) -> None:
        """Replies whose parent never came (their thread is over): score them without one."""
        for key in [k for k in self.waiting if before_group is None or k[0] < before_group]:
            for item, _ in self.waiting.pop(key):
                item.waiting = False
                logger.warning("comment %r replies to %r, which is not in its thread; "
                               "agreement left empty", item.comment_id, item.parent_id)
        if before_group is None:
            self.vectors.clear()
        else:
            for key in [k for k in self.vectors if k[0] < before_group]:
                del self.vectors[key]


class Engine:
    """Streams `Item`s through a backend and yields them, scored, in input order."""

    def __init__(self, backend: Backend, encoder: PairEncoder, model_config: ModelConfig,
                 limits: Limits, reread: bool = True):
        self.backend = backend
        self.encoder = encoder
        self.model_config = model_config
        self.limits = limits
        self.context = tuple(model_config.context_heads)
        self.pairs = bool(backend.pair_tasks) or bool(self.context)
        #: Heads read again without the target, with their gates (ModelConfig.reread_alone).
        self.gates = _gates(model_config.reread_alone) if reread else {}
        tokens = model_config.reread_max_length
        #: Tokens of the second reading (None = the encoder's max_length).
        self.reread_tokens: int | None = None
        if isinstance(tokens, int) and not isinstance(tokens, bool) and tokens >= 8:
            self.reread_tokens = tokens
        elif tokens:
            logger.warning("model setting reread_max_length = %r ignored: it must be a whole "
                           "number of at least 8 tokens", tokens)
        #: Comments read twice so far (`make bench` reports the share).
        self.reread_count = 0

    def prepare(self, window: list[Item]) -> tuple[list[Item], list[tuple[list[int], TokenBatch]]]:
        """Tokenize a window once and pad it into length-sorted batches."""
        rows: list[Encoded] = self.encoder.encode([i.target for i in window],
                                                  [i.text for i in window])
        plan = plan_batches([len(r.ids) for r in rows], self.limits)
        return window, [(idx, self.encoder.pad([rows[i] for i in idx])) for idx in plan]

    def run(self, items: Iterable[Item]) -> Iterator[Item]:
        """Score every item; yield those with `emit` in input order, each once all its heads
        (agreement included, when it has a parent) are done."""
        it = iter(items)
        windows = iter(lambda: list(islice(it, self.limits.window)), [])
        prepared: Iterator[Any] = (self.prepare(w) for w in windows)
        if self.limits.prefetch:
            prepared = prefetch(prepared)
        links = _Links()
        out: deque[Item] = deque()
        in_flight: tuple[list[Item], list[tuple[list[int], Pending]]] | None = None
        try:
            for window, batches in prepared:
                started = [(idx, self.backend.submit(batch)) for idx, batch in batches]
                out.extend(i for i in window if i.emit)
                if in_flight is not None:
                    self._finish(*in_flight, links)
                    yield from _ready(out)
                in_flight = (window, started)
            if in_flight is not None:
                self._finish(*in_flight, links)
            links.give_up(None)
            yield from _ready(out)
        finally:
            close = getattr(prepared, "close", None)
            if close is not None:
                close()

    def _finish(self, window: list[Item], started: list[tuple[list[int], Pending]],
                links: _Links) -> None:
        pooled = np.empty((len(window), self.backend.hidden_size), dtype=np.float32)
        probs: dict[str, np.ndarray] = {}
        raw: dict[str, np.ndarray] = {}
        for idx, pending in started:
            output: BatchOutput = pending()
            pooled[idx] = output.pooled
            for task in self.context:
                value = output.logits[task]
                raw.setdefault(task, np.empty((len(window), *value.shape[1:]), np.float32))
                raw[task][idx] = value
            for task, value in probabilities(output.logits, self.model_config).items():
                if task not in probs:
                    probs[task] = np.empty((len(window), *value.shape[1:]), dtype=np.float64)
                probs[task][idx] = value
        if self.gates:
            self._reread(window, probs)
        pairs: list[tuple[Item, np.ndarray, np.ndarray]] = []
        for pos, item in enumerate(window):
            item.rows = {task: value[pos] for task, value in probs.items()}
            if item.parent_id is not None and raw:
                item.raw = {task: value[pos] for task, value in raw.items()}
            if item.children and self.pairs:
                for child, child_vec in links.store(item, pooled[pos]):
                    pairs.append((child, pooled[pos], child_vec))
        for pos, item in enumerate(window):
            if item.parent_id is None or not item.emit or not self.pairs:
                continue
            parent = links.parent(item)
            if parent is None:
                links.wait(item, pooled[pos])
            else:
                pairs.append((item, parent, pooled[pos]))
        self._score_pairs(pairs, links)
        links.give_up(window[-1].group)

    def _reread(self, window: list[Item], probs: dict[str, np.ndarray]) -> None:
        """Read again, with no target, the comments whose gated heads came near a claim under
        their target, and give those heads the target-free reading."""
        gated = [(task, gate) for task, gate in self.gates.items() if task in probs]
        near = np.zeros(len(window), dtype=bool)
        for task, gate in gated:
            near |= probs[task] >= gate
        chosen = [pos for pos in np.flatnonzero(near).tolist()
                  if window[pos].emit and window[pos].target.strip()]
        if not chosen:
            return
        self.reread_count += len(chosen)
        rows = self.encoder.encode([""] * len(chosen), [window[pos].text for pos in chosen],
                                   self.reread_tokens)
        plan = plan_batches([len(r.ids) for r in rows], self.limits)
        started = [(idx, self.backend.submit(self.encoder.pad([rows[i] for i in idx])))
                   for idx in plan]
        for idx, pending in started:
            output: BatchOutput = pending()
            logits = {task: output.logits[task] for task, _ in gated}
            for task, value in probabilities(logits, self.model_config).items():
                probs[task][[chosen[i] for i in idx]] = value

    def _score_pairs(self, pairs: list[tuple[Item, np.ndarray, np.ndarray]], links: _Links
                     ) -> None:
        for start in range(0, len(pairs), PAIR_CHUNK):
            chunk = pairs[start:start + PAIR_CHUNK]
            logits, context = split_context(self.backend.agreement(
                np.stack([p for _, p, _ in chunk]), np.stack([c for _, _, c in chunk])))
            probs = probabilities(logits, self.model_config)
            for row, (item, _, _) in enumerate(chunk):
                item.pair_rows = {task: value[row] for task, value in probs.items()}
                if context and item.raw is not None and item.rows is not None:
                    added = {t: (item.raw[t] + context[t][row])[None] for t in context}
                    item.rows.update({t: v[0] for t, v in
                                      probabilities(added, self.model_config).items()})
                item.raw = None
                item.waiting = False
                links.release(item.group, item.parent_id or "")


def _gates(settings: dict[str, Any]) -> dict[str, float]:
    """The model's `reread_alone` gates that name a binary head and lie in [0, 1]; any other
    entry is left out with a warning (a model file is input too)."""
    gates: dict[str, float] = {}
    if not isinstance(settings, dict):
        logger.warning("model setting reread_alone = %r ignored: it must map heads to gates",
                       settings)
        return gates
    for task, gate in settings.items():
        if (task in TASKS and TASKS[task].binary and isinstance(gate, int | float)
                and not isinstance(gate, bool) and 0 <= gate <= 1):
            gates[task] = float(gate)
        else:
            logger.warning("model setting reread_alone[%r] = %r ignored: it must give a binary "
                           "head a gate between 0 and 1", task, gate)
    return gates


def _ready(out: deque[Item]) -> Iterator[Item]:
    while out and out[0].done:
        yield out.popleft()


_END = object()


def prefetch(source: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """Run `source` in a background thread, `depth` results ahead (tokenizers release the GIL)."""
    buffer: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def work() -> None:
        try:
            for value in source:
                while not stop.is_set():
                    try:
                        buffer.put((value, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put((_END, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            buffer.put((_END, exc))

    thread = threading.Thread(target=work, name="stance-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            value, error = buffer.get()
            if value is _END:
                if error is not None:
                    raise error
                return
            yield value
    finally:
        stop.set()
