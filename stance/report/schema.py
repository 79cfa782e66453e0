"""The report as data: frozen dataclasses of plain numbers and strings.

`aggregate` builds a `Report`; every renderer (JSON, Markdown, HTML) reads only these objects,
so the three formats always show the same numbers. `Report.to_dict()` is the JSON shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from stance.report.stats import wilson


def _r(value: float) -> float:
    return round(value, 4)


@dataclass(frozen=True, slots=True)
class Share:
    """How many items carry `label`, their share of `total`, and a 95% interval for it."""

    label: str
    count: int
    share: float
    low: float
    high: float
    cluster_low: float | None = None
    cluster_high: float | None = None

    @classmethod
    def of(cls, label: str, count: int, total: int,
           cluster: tuple[float, float] | None = None) -> Share:
        low, high = wilson(count, total)
        return cls(label=label, count=count, share=_r(count / total) if total else 0.0,
                   low=_r(low), high=_r(high),
                   cluster_low=_r(cluster[0]) if cluster else None,
                   cluster_high=_r(cluster[1]) if cluster else None)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Counts and shares of one head's labels; `missing` = items that had no usable label."""

    head: str
    total: int
    shares: tuple[Share, ...]
    missing: int = 0

    @classmethod
    def of(cls, head: str, labels: Sequence[str], counts: Sequence[int], missing: int = 0,
           cluster: Sequence[tuple[float, float]] | None = None) -> Distribution:
        total = sum(counts)
        return cls(head=head, total=total, missing=missing,
                   shares=tuple(Share.of(label, count, total, cluster[i] if cluster else None)
                                for i, (label, count) in enumerate(zip(labels, counts,
                                                                       strict=True))))

    def get(self, label: str) -> Share:
        for share in self.shares:
            if share.label == label:
                return share
        raise KeyError(label)

    def counts(self) -> dict[str, int]:
        return {s.label: s.count for s in self.shares}


@dataclass(frozen=True, slots=True)
class DepthRow:
    """Stance of the comments at one reply depth ("0" = top level, "5+", or "unknown")."""

    depth: str
    stance: Distribution


@dataclass(frozen=True, slots=True)
class FlowRow:
    """How direct replies answer comments of one stance: their agreement and their stance."""

    parent_stance: str
    agreement: Distribution
    reply_stance: Distribution


@dataclass(frozen=True, slots=True)
class OutletRow:
    """An outlet accused of bias: comments naming it, threads it is named in, and the share
    of all media-bias claims that name it."""

    outlet: str
    comments: int
    threads: int
    share: Share


@dataclass(frozen=True, slots=True)
class TimeBucket:
    start: str
    comments: int
    sentiment: dict[str, int]
    stance: dict[str, int]


@dataclass(frozen=True, slots=True)
class Timeline:
    """Labels over time; `dated`/`undated` say how many comments had a usable time."""

    granularity: str
    buckets: tuple[TimeBucket, ...]
    dated: int
    undated: int


@dataclass(frozen=True, slots=True)
class CommentView:
    """One comment with its labels, as quoted or shown in a reply tree."""

    thread_id: str
    comment_id: str
    parent_id: str | None
    depth: int | None
    text: str
    author: str | None = None
    time: str | None = None
    stance: str | None = None
    stance_score: float | None = None
    stance_entropy: float | None = None
    agreement: str | None = None
    sentiment: str | None = None
    media_bias: bool | None = None
    outlets: tuple[str, ...] = ()
    conspiracy: bool | None = None
    replies: int = 0
    disagreeing_replies: int = 0
    indent: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted comment and, in words, why it was picked."""

    why: str
    comment: CommentView


@dataclass(frozen=True, slots=True)
class Summary:
    """Every number for one scope: the whole corpus or one thread."""

    comments: int
    threads: int
    top_level: int
    replies: int
    max_depth: int
    labels: dict[str, Distribution]
    depth: tuple[DepthRow, ...]
    flows: tuple[FlowRow, ...]
    outlets: tuple[OutletRow, ...]
    outlets_distinct: int
    bias_and_conspiracy: int
    timeline: Timeline | None
    confident: tuple[Quote, ...]
    contested: tuple[Quote, ...]
    ambiguous: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class ThreadReport:
    """One thread shown in detail: its numbers and its reply tree (capped, in reading order)."""

    thread_id: str
    title: str | None
    target: str | None
    summary: Summary
    tree: tuple[CommentView, ...]
    tree_omitted: int = 0
    partial: bool = False


@dataclass(frozen=True, slots=True)
class ThreadIndexRow:
    """Label counts of every thread, shown or not (for machines and the thread table)."""

    thread_id: str
    title: str | None
    comments: int
    counts: dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report. `threads` are the largest threads shown in detail; `thread_index`
    lists every thread's counts."""

    inputs: tuple[str, ...]
    records: int
    models: dict[str, int]
    targets: dict[str, int]
    corpus: Summary
    threads: tuple[ThreadReport, ...]
    thread_index: tuple[ThreadIndexRow, ...]
    threads_not_shown: int
    warnings: tuple[str, ...]
    definitions: tuple[tuple[str, str], ...]
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: the same numbers the Markdown and HTML reports show.

        Reply trees are left out (the label records hold every comment with its parent); each
        thread says how many comments its tree view showed.
        """
        data = asdict(self)
        for thread in data["threads"]:  # the records already hold every comment and its labels
            thread["tree_comments"] = len(thread.pop("tree"))
        data["definitions"] = [{"term": t, "meaning": m} for t, m in self.definitions]
        data["schema"] = "stance.report/1"
        return data
