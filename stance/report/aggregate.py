"""Label records -> `Report`, in one streaming pass.

Records are buffered per thread only until the thread can be placed (depth, parent's stance,
replies): threads are finished least-recently-touched first once `window_rows` records are
held. Output of `stance label` is grouped by thread, so memory stays at about one window. If a
finished thread shows up again (records not grouped), its late records are counted in every
label share but replies whose parent was already finished get an unknown depth; the report says
so in its warnings.
"""

from __future__ import annotations

import heapq
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.report.definitions import DEFINITIONS
from stance.report.records import (
    HEADS,
    Problems,
    Row,
    ThreadMeta,
    iter_dict_records,
    iter_file_records,
    parse_record,
)
from stance.report.schema import Report, ThreadIndexRow, ThreadReport
from stance.report.scope import DISAGREE, Placed, Scope
from stance.report.stats import cluster_bootstrap

#: Fewer threads than this make a thread bootstrap meaningless; only Wilson intervals are given.
MIN_BOOTSTRAP_THREADS = 8


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How much the report shows and how it aggregates."""

    max_threads: int = 20  # threads shown in detail (largest first); all are in thread_index
    quotes: int = 3  # comments quoted per list (per stance label for "most confident")
    thread_quotes: int = 2  # the same inside each thread shown in detail
    outlets: int = 15  # outlets listed in the ranking
    tree_comments: int = 300  # comments shown in each thread's reply tree
    window_rows: int = 50_000  # records held while waiting for their thread to end
    bootstrap: int = 400  # thread-resampling repetitions for corpus intervals (0 = off)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportOptions:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(slots=True)
class _Tally:
    """Per-thread label counts kept for every thread (a few ints each)."""

    title: str | None
    comments: int
    counts: dict[str, list[int]]


class Aggregator:
    """Feed records with `add`, then call `report()` once."""

    def __init__(self, options: ReportOptions = ReportOptions(),
                 meta: ThreadMeta | None = None) -> None:
        self.options = options
        self.meta = meta or ThreadMeta()
        self.problems = Problems()
        self.corpus = Scope(options.quotes, options.outlets)
        self.open: OrderedDict[str, list[Row]] = OrderedDict()
        self.open_rows = 0
        self.finished: set[str] = set()
        self.fragmented: set[str] = set()
        self.tallies: dict[str, _Tally] = {}
        self.details: list[tuple[int, int, ThreadReport]] = []
        self.models: Counter[str] = Counter()
        self.targets: Counter[str] = Counter()
        self.inputs: dict[str, None] = {}
        self.seq = 0

    def add(self, path: str, line: int, obj: Mapping[str, Any]) -> None:
        row = parse_record(obj, self.seq, path, line, self.problems)
        self.seq += 1
        self.inputs.setdefault(path)
        if row.model:
            self.models[row.model] += 1
        if row.target:
            self.targets[row.target] += 1
        buffer = self.open.get(row.thread_id)
        if buffer is None:
            if row.thread_id in self.finished:
                self.fragmented.add(row.thread_id)
            buffer = self.open[row.thread_id] = []
        else:
            self.open.move_to_end(row.thread_id)
        buffer.append(row)
        self.open_rows += 1
        while self.open_rows > self.options.window_rows and len(self.open) > 1:
            self._finish_oldest()

    def _finish_oldest(self) -> None:
        tid, rows = self.open.popitem(last=False)
        self.open_rows -= len(rows)
        self._finish(tid, rows)

    def _finish(self, tid: str, rows: list[Row]) -> None:
        fragment = tid in self.finished
        placed = self._place(tid, rows, fragment)
        scope = Scope(self.options.thread_quotes, self.options.outlets)
        for item in placed:
            scope.add(item)
            self.corpus.add(item)
        keys = scope.outlet_keys()
        scope.note_thread_outlets(keys)
        if not fragment:
            self.corpus.note_thread_outlets(keys)
        self.finished.add(tid)
        self._tally(tid, scope)
        self._offer_detail(tid, rows, placed, scope, fragment)

    def _tally(self, tid: str, scope: Scope) -> None:
        tally = self.tallies.get(tid)
        if tally is None:
            self.tallies[tid] = _Tally(self.meta.titles.get(tid), scope.comments,
                                       {h: list(c) for h, c in scope.heads.items()})
            return
        tally.comments += scope.comments
        for head, counts in scope.heads.items():
            tally.counts[head] = [a + b for a, b in zip(tally.counts[head], counts, strict=True)]

    def _offer_detail(self, tid: str, rows: list[Row], placed: list[Placed], scope: Scope,
                      fragment: bool) -> None:
        k = self.options.max_threads
        key = (len(placed), -rows[0].seq)
        if k <= 0 or (len(self.details) >= k and key <= self.details[0][:2]):
            return
        targets = Counter(r.target for r in rows if r.target)
        shown = placed[: self.options.tree_comments]
        report = ThreadReport(
            thread_id=tid, title=self.meta.titles.get(tid),
            target=targets.most_common(1)[0][0] if targets else None,
            summary=scope.summary(threads=1), tree=tuple(p.view() for p in shown),
            tree_omitted=len(placed) - len(shown), partial=fragment)
        entry = (key[0], key[1], report)
        if len(self.details) < k:
            heapq.heappush(self.details, entry)
        else:
            heapq.heapreplace(self.details, entry)

    def _place(self, tid: str, rows: list[Row], fragment: bool) -> list[Placed]:
        """Order a thread's rows for reading (depth first) and work out each one's context."""
        by_id: dict[str, Row] = {}
        for row in rows:
            if row.comment_id in by_id:
                self.problems.add("repeated a comment already seen in its thread; "
                                  "only the first was counted", _at(tid, row))
            else:
                by_id[row.comment_id] = row
        unique = list(by_id.values())
        kids: dict[str, list[Row]] = {}
        starts: list[Row] = []
        for row in unique:
            if row.parent_id is not None and row.parent_id in by_id \
                    and row.parent_id != row.comment_id:
                kids.setdefault(row.parent_id, []).append(row)
            else:
                starts.append(row)
                if row.parent_id is not None and not fragment:
                    self.problems.add("replied to a comment with no record in its thread; "
                                      "their depth is unknown", _at(tid, row))
        placed: list[Placed] = []
        seen: set[str] = set()
        self._walk(tid, starts, kids, by_id, seen, placed)
        for row in unique:  # rows left over sit on a reply cycle: start from the first one
            if row.comment_id not in seen:
                self.problems.add("closed a reply cycle (parent links that loop); the comments "
                                  "on it have an unknown depth", _at(tid, row))
                self._walk(tid, [row], kids, by_id, seen, placed)
        return placed

    def _walk(self, tid: str, starts: list[Row], kids: dict[str, list[Row]],
              by_id: dict[str, Row], seen: set[str], out: list[Placed]) -> None:
        stack: list[tuple[Row, int | None, int]] = []
        for row in reversed(starts):
            base = 0 if row.parent_id is None else row.depth
            stack.append((row, base, 0))
        while stack:
            row, depth, indent = stack.pop()
            if row.comment_id in seen:
                continue
            seen.add(row.comment_id)
            children = kids.get(row.comment_id, [])
            parent = by_id.get(row.parent_id) if row.parent_id is not None else None
            key = (tid, row.comment_id)
            out.append(Placed(
                row=row, depth=depth, parent_stance=parent.stance if parent else -1,
                replies=len(children),
                disagreeing=sum(1 for c in children if c.agreement == DISAGREE),
                time=row.timestamp if row.timestamp is not None else self.meta.times.get(key),
                author=row.author or self.meta.authors.get(key), indent=indent))
            for child in reversed(children):
                stack.append((child, None if depth is None else depth + 1, indent + 1))

    def report(self) -> Report:
        while self.open:
            self._finish_oldest()
        if self.seq == 0:
            raise InputError("holds no label records", path=", ".join(self.inputs) or None)
        cluster = None
        if self.options.bootstrap > 0 and len(self.tallies) >= MIN_BOOTSTRAP_THREADS:
            cluster = {head: cluster_bootstrap([t.counts[head] for t in self.tallies.values()],
                                               reps=self.options.bootstrap)
                       for head in HEADS}
        details = self._details()
        index = tuple(ThreadIndexRow(
            thread_id=tid, title=t.title, comments=t.comments,
            counts={h: dict(zip(HEADS[h], c, strict=True)) for h, c in t.counts.items()})
            for tid, t in self.tallies.items())
        return Report(
            inputs=tuple(self.inputs), records=self.seq, models=dict(self.models.most_common()),
            targets=dict(self.targets.most_common(10)),
            corpus=self.corpus.summary(threads=len(self.tallies), cluster=cluster),
            threads=details, thread_index=index,
            threads_not_shown=max(0, len(self.tallies) - len(details)),
            warnings=tuple(self._warnings()), definitions=DEFINITIONS,
            options=self.options.to_dict())

    def _details(self) -> tuple[ThreadReport, ...]:
        """Shown threads, largest first; a thread split in the input shows its largest part."""
        out: dict[str, ThreadReport] = {}
        for _, _, detail in sorted(self.details, key=lambda e: (e[0], e[1]), reverse=True):
            if detail.thread_id not in out:
                fragmented = detail.thread_id in self.fragmented
                out[detail.thread_id] = replace(detail, partial=True) if fragmented else detail
        return tuple(out.values())

    def _warnings(self) -> list[str]:
        out = self.problems.messages()
        if self.meta.unparsed_times:
            out.append(f"{self.meta.unparsed_times} comment time(s) in the thread files could "
                       "not be read as ISO 8601 and were ignored")
        if self.fragmented:
            out.append(f"records of {len(self.fragmented)} thread(s) were not grouped together "
                       "in the input; replies whose parent came much earlier have an unknown "
                       "depth (sort the records by thread_id for exact depth and flow figures)")
        return out


def _at(tid: str, row: Row) -> str:
    return f"thread {tid}, comment {row.comment_id}"


def aggregate(records: Iterable[Mapping[str, Any]], threads: Iterable[Any] | None = None,
              options: ReportOptions = ReportOptions(), *, name: str = "in-memory records"
              ) -> Report:
    """Aggregate label record dicts (e.g. `Labeler.label(...)` output) into a `Report`.

    `threads` are optional `Thread` objects whose titles, comment times and authors are used.
    """
    meta = ThreadMeta.from_threads(threads) if threads is not None else None
    aggregator = Aggregator(options, meta)
    for path, line, obj in iter_dict_records(records, name):
        aggregator.add(path, line, obj)
    return aggregator.report()


def aggregate_files(labels: Iterable[str | Path], threads: Iterable[str | Path] | None = None,
                    options: ReportOptions = ReportOptions()) -> Report:
    """Aggregate label JSONL files; `threads` are optional inputs `stance parse` accepts."""
    meta = None
    if threads:
        from stance.thread.parse import parse_paths

        meta = ThreadMeta.from_threads(parse_paths([str(p) for p in threads]))
    aggregator = Aggregator(options, meta)
    for path, line, obj in iter_file_records(labels):
        aggregator.add(path, line, obj)
    return aggregator.report()
