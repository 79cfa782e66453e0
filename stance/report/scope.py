"""Counters for one scope (the corpus or one thread), fed one comment at a time.

Memory does not grow with the number of comments: label counts are fixed-size arrays, quotes
are bounded top-k heaps, outlets and time buckets grow only with distinct outlets and hours.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from stance.report.records import AGREEMENT, HEADS, STANCE, Row
from stance.report.schema import (
    CommentView,
    DepthRow,
    Distribution,
    FlowRow,
    OutletRow,
    Quote,
    Share,
    Summary,
)
from stance.report.timeline import WIDTH, build_timeline, hour_of

DEPTH_LABELS = ("0", "1", "2", "3", "4", "5+")
UNKNOWN_DEPTH = len(DEPTH_LABELS)
FAVOR, AGAINST, QUERY, NONE = range(4)
DISAGREE = AGREEMENT.index("disagree")


@dataclass(frozen=True, slots=True)
class Placed:
    """A row with what only its thread can tell: depth, parent's stance, replies, time."""

    row: Row
    depth: int | None
    parent_stance: int
    replies: int
    disagreeing: int
    time: float | None
    author: str | None
    indent: int = 0

    def view(self) -> CommentView:
        r = self.row
        when = (datetime.fromtimestamp(self.time, tz=UTC).strftime("%Y-%m-%d %H:%M")
                if self.time is not None else None)
        return CommentView(
            thread_id=r.thread_id, comment_id=r.comment_id, parent_id=r.parent_id,
            depth=self.depth, text=r.text, author=self.author, time=when,
            stance=STANCE[r.stance] if r.stance >= 0 else None,
            stance_score=round(r.stance_score, 4) if r.stance_score is not None else None,
            stance_entropy=round(r.stance_entropy, 4) if r.stance_entropy is not None else None,
            agreement=AGREEMENT[r.agreement] if r.agreement >= 0 else None,
            sentiment=HEADS["sentiment"][r.sentiment] if r.sentiment >= 0 else None,
            media_bias=None if r.bias < 0 else r.bias == 0, outlets=r.outlets,
            conspiracy=None if r.conspiracy < 0 else r.conspiracy == 0,
            replies=self.replies, disagreeing_replies=self.disagreeing, indent=self.indent)


class TopK:
    """The k largest keys seen, ties going to the earlier item; items built only if kept."""

    def __init__(self, k: int) -> None:
        self.k = k
        self._heap: list[tuple[tuple[float, ...], int, Quote]] = []

    def offer(self, key: tuple[float, ...], seq: int, make: Callable[[], Quote]) -> None:
        if self.k <= 0:
            return
        entry_key = (key, -seq)
        if len(self._heap) >= self.k and entry_key <= (self._heap[0][0], self._heap[0][1]):
            return
        entry = (key, -seq, make())
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, entry)
        else:
            heapq.heapreplace(self._heap, entry)

    def best(self) -> tuple[Quote, ...]:
        return tuple(q for _, _, q in sorted(self._heap, key=lambda e: (e[0], e[1]),
                                             reverse=True))


def outlet_key(name: str) -> str:
    """Outlets are compared case-insensitively, ignoring spacing and a leading 'the'."""
    return " ".join(name.casefold().split()).removeprefix("the ")


def _pct(value: float) -> str:
    return f"{value:.0%}"


class Scope:
    """Counts for the corpus or one thread; `add` one placed comment, then `summary()`."""

    def __init__(self, quotes: int, outlets: int) -> None:
        self.comments = self.top_level = self.replies = self.max_depth = 0
        self.heads = {head: [0] * len(labels) for head, labels in HEADS.items()}
        self.missing = dict.fromkeys(HEADS, 0)
        self.depth = [[0] * len(STANCE) for _ in range(UNKNOWN_DEPTH + 1)]
        self.flow_agree = [[0] * len(AGREEMENT) for _ in STANCE]
        self.flow_stance = [[0] * len(STANCE) for _ in STANCE]
        self.outlets: Counter[str] = Counter()
        self.outlet_threads: Counter[str] = Counter()
        self.spellings: dict[str, Counter[str]] = {}
        self.bias_claims = self.both = 0
        self.hours: dict[int, list[int]] = {}
        self.undated = 0
        self.max_outlets = outlets
        self.confident = {label: TopK(quotes) for label in STANCE[:3]}
        self.contested = TopK(quotes)
        self.ambiguous = TopK(quotes)

    def add(self, p: Placed) -> None:
        r = p.row
        self.comments += 1
        is_reply = r.parent_id is not None
        self.replies += is_reply
        self.top_level += not is_reply
        for head, value in (("stance", r.stance), ("sentiment", r.sentiment),
                            ("media_bias", r.bias), ("conspiracy", r.conspiracy)):
            if value >= 0:
                self.heads[head][value] += 1
            else:
                self.missing[head] += 1
        if is_reply:
            if r.agreement >= 0:
                self.heads["agreement"][r.agreement] += 1
            else:
                self.missing["agreement"] += 1
        self._structure(p)
        self._claims(r)
        self._time(p)
        self._quotes(p)

    def _structure(self, p: Placed) -> None:
        r = p.row
        if p.depth is not None:
            self.max_depth = max(self.max_depth, p.depth)
        bucket = UNKNOWN_DEPTH if p.depth is None else min(p.depth, UNKNOWN_DEPTH - 1)
        if r.stance >= 0:
            self.depth[bucket][r.stance] += 1
        if p.parent_stance >= 0:
            if r.agreement >= 0:
                self.flow_agree[p.parent_stance][r.agreement] += 1
            if r.stance >= 0:
                self.flow_stance[p.parent_stance][r.stance] += 1

    def _claims(self, r: Row) -> None:
        if r.bias == 0:
            self.bias_claims += 1
            self.both += r.conspiracy == 0
            keys: dict[str, str] = {}
            for name in r.outlets:  # "CNN" and "the cnn" in one comment count once
                keys.setdefault(outlet_key(name), name)
            for key, name in keys.items():
                self.outlets[key] += 1
                self.spellings.setdefault(key, Counter())[name] += 1

    def _time(self, p: Placed) -> None:
        if p.time is None:
            self.undated += 1
            return
        slot = self.hours.setdefault(hour_of(p.time), [0] * WIDTH)
        r = p.row
        slot[0] += 1
        if r.sentiment >= 0:
            slot[1 + r.sentiment] += 1
        if r.stance >= 0:
            slot[4 + r.stance] += 1

    def _quotes(self, p: Placed) -> None:
        r = p.row
        if r.stance in (FAVOR, AGAINST, QUERY) and r.stance_score is not None:
            score = r.stance_score
            self.confident[STANCE[r.stance]].offer(
                (score,), r.seq, lambda: Quote(f"{STANCE[r.stance]} with probability "
                                               f"{_pct(score)}", p.view()))
        if p.disagreeing > 0:
            share = p.disagreeing / p.replies
            self.contested.offer(
                (p.disagreeing, share, r.stance_entropy or 0.0), r.seq,
                lambda: Quote(f"{p.disagreeing} of {p.replies} direct replies disagree",
                              p.view()))
        if r.stance_entropy is not None:
            entropy = r.stance_entropy
            self.ambiguous.offer(
                (entropy,), r.seq,
                lambda: Quote(f"stance scores nearly flat (entropy {entropy:.2f})", p.view()))

    def note_thread_outlets(self, outlets: set[str]) -> None:
        """Count each outlet once per thread (call once per finished thread)."""
        for name in outlets:
            self.outlet_threads[name] += 1

    def outlet_keys(self) -> set[str]:
        return set(self.outlets)

    def summary(self, threads: int, cluster: dict[str, list[tuple[float, float]] | None]
                | None = None) -> Summary:
        labels = {head: Distribution.of(head, names, self.heads[head], self.missing[head],
                                        (cluster or {}).get(head))
                  for head, names in HEADS.items()}
        deepest = max((i for i in range(UNKNOWN_DEPTH) if sum(self.depth[i]) > 0), default=0)
        depth = tuple(DepthRow(name, Distribution.of("stance", STANCE, self.depth[i]))
                      for i, name in enumerate((*DEPTH_LABELS, "unknown"))
                      if i <= deepest or (i == UNKNOWN_DEPTH and sum(self.depth[i]) > 0))
        flows = tuple(FlowRow(STANCE[i], Distribution.of("agreement", AGREEMENT,
                                                         self.flow_agree[i]),
                              Distribution.of("stance", STANCE, self.flow_stance[i]))
                      for i in range(len(STANCE)))
        ranked = sorted(self.outlets.items(),
                        key=lambda kv: (-kv[1], -self.outlet_threads[kv[0]], kv[0]))
        outlets = []
        for key, count in ranked[: self.max_outlets]:
            name = max(self.spellings[key].items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
            outlets.append(OutletRow(outlet=name, comments=count,
                                     threads=self.outlet_threads[key],
                                     share=Share.of(name, count, self.bias_claims)))
        return Summary(
            comments=self.comments, threads=threads, top_level=self.top_level,
            replies=self.replies, max_depth=self.max_depth, labels=labels, depth=depth,
            flows=flows, outlets=tuple(outlets), outlets_distinct=len(self.outlets),
            bias_and_conspiracy=self.both, timeline=build_timeline(self.hours, self.undated),
            confident=tuple(q for label in STANCE[:3] for q in self.confident[label].best()),
            contested=self.contested.best(), ambiguous=self.ambiguous.best())
