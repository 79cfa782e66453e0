"""Aggregate numbers checked by hand on a tiny corpus, plus invariants on random ones."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.report import ReportOptions, aggregate, aggregate_files
from stance.report.schema import Report
from stance.thread.model import Comment, Thread

Make = Callable[[int, int, int], list[dict[str, Any]]]


@pytest.fixture()
def small(small_records: list[dict[str, Any]]) -> Report:
    return aggregate(small_records)


def test_label_counts(small: Report) -> None:
    labels = small.corpus.labels
    assert labels["stance"].counts() == {"favor": 3, "against": 2, "query": 1, "none": 1}
    assert labels["agreement"].counts() == {"agree": 1, "neutral": 0, "disagree": 3}
    assert labels["agreement"].total == 4  # replies only
    assert labels["sentiment"].counts() == {"positive": 2, "neutral": 3, "negative": 2}
    assert labels["media_bias"].counts() == {"true": 3, "false": 4}
    assert labels["conspiracy"].counts() == {"true": 1, "false": 6}
    favor = labels["stance"].get("favor")
    assert favor.share == round(3 / 7, 4) and favor.low < favor.share < favor.high
    assert small.corpus.bias_and_conspiracy == 1
    assert (small.corpus.comments, small.corpus.top_level, small.corpus.replies) == (7, 3, 4)


def test_depth_and_flows(small: Report) -> None:
    depth = {row.depth: row.stance.counts() for row in small.corpus.depth}
    assert list(depth) == ["0", "1", "2"]
    assert depth["0"] == {"favor": 1, "against": 0, "query": 1, "none": 1}
    assert depth["1"] == {"favor": 1, "against": 2, "query": 0, "none": 0}
    assert depth["2"] == {"favor": 1, "against": 0, "query": 0, "none": 0}
    flows = {f.parent_stance: (f.agreement.counts(), f.reply_stance.counts())
             for f in small.corpus.flows}
    assert flows["favor"][0] == {"agree": 0, "neutral": 0, "disagree": 2}
    assert flows["favor"][1]["against"] == 2
    assert flows["against"][0] == {"agree": 0, "neutral": 0, "disagree": 1}
    assert flows["none"][0] == {"agree": 1, "neutral": 0, "disagree": 0}
    assert sum(flows["query"][0].values()) == 0


def test_outlets_ranked_and_deduplicated(small: Report) -> None:
    outlets = small.corpus.outlets
    assert [(o.outlet, o.comments, o.threads) for o in outlets] == [("CNN", 2, 1),
                                                                    ("Fox News", 1, 1)]
    assert outlets[0].share.share == round(2 / 3, 4)  # of the 3 media-bias claims


def test_quotes(small: Report) -> None:
    confident = [(q.comment.comment_id, q.comment.stance) for q in small.corpus.confident]
    assert confident == [("d2", "favor"), ("c1", "favor"), ("c4", "favor"),
                         ("c2", "against"), ("c3", "against"), ("c5", "query")]
    contested = [q.comment.comment_id for q in small.corpus.contested]
    assert contested == ["c1", "c2"]
    assert "2 of 2 direct replies disagree" in small.corpus.contested[0].why
    assert small.corpus.ambiguous[0].comment.comment_id == "d1"


def test_threads_detail_and_index(small: Report) -> None:
    assert [t.thread_id for t in small.threads] == ["t1", "t2"]  # largest first
    t1 = small.threads[0]
    assert t1.summary.comments == 5 and t1.target == "The cycle lane on Mill Road"
    assert [(c.comment_id, c.indent) for c in t1.tree] == [
        ("c1", 0), ("c2", 1), ("c4", 2), ("c3", 1), ("c5", 0)]
    assert t1.tree[0].replies == 2 and t1.tree[0].disagreeing_replies == 2
    index = {row.thread_id: row for row in small.thread_index}
    assert index["t2"].counts["stance"] == {"favor": 1, "against": 0, "query": 0, "none": 1}


def test_timeline_from_record_timestamps(small: Report) -> None:
    timeline = small.corpus.timeline
    assert timeline is not None
    assert (timeline.dated, timeline.undated) == (1, 6)
    assert timeline.buckets[0].start == "2024-01-01T10:00"
    assert timeline.buckets[0].sentiment["positive"] == 1


def test_timeline_from_thread_files(labels_dir: Path) -> None:
    labels = labels_dir / "demo.labels.jsonl"
    without = aggregate_files([labels])
    assert without.corpus.timeline is None
    report = aggregate_files([labels], [labels_dir / "demo.threads.jsonl"])
    timeline = report.corpus.timeline
    assert timeline is not None and timeline.dated == report.corpus.comments
    assert sum(b.comments for b in timeline.buckets) == timeline.dated
    assert report.threads[0].title == "Riverton council approves the new harbour bridge toll"
    assert report.threads[0].tree[0].author is not None


def test_thread_objects_supply_times(small_records: list[dict[str, Any]]) -> None:
    thread = Thread(thread_id="t1", comments=(
        Comment(id="c1", text="", timestamp="2024-02-01T08:00:00"),
        Comment(id="c2", text="", parent_id="c1", timestamp="not a time")))
    report = aggregate(small_records, threads=[thread])
    assert report.corpus.timeline is not None and report.corpus.timeline.dated == 2
    assert any("could not be read as ISO 8601" in w for w in report.warnings)


def test_max_threads_caps_the_detail(small_records: list[dict[str, Any]]) -> None:
    report = aggregate(small_records, options=ReportOptions(max_threads=1))
    assert [t.thread_id for t in report.threads] == ["t1"]
    assert report.threads_not_shown == 1 and len(report.thread_index) == 2


def test_tree_cap(small_records: list[dict[str, Any]]) -> None:
    report = aggregate(small_records, options=ReportOptions(tree_comments=2))
    assert len(report.threads[0].tree) == 2 and report.threads[0].tree_omitted == 3


def _numbers(report: Report) -> dict[str, Any]:
    data = report.to_dict()["corpus"]
    return {k: data[k] for k in ("labels", "depth", "flows", "outlets", "comments", "replies")}


def test_interleaved_records_give_the_same_numbers(make_records: Make) -> None:
    records = make_records(3, 12, 15)
    shuffled = records[:]
    random.Random(0).shuffle(shuffled)
    options = ReportOptions(bootstrap=0)
    assert _numbers(aggregate(shuffled, options=options)) == \
        _numbers(aggregate(records, options=options))


def test_records_beyond_the_window_are_flagged_not_lost(make_records: Make) -> None:
    records = make_records(4, 6, 20)
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    options = ReportOptions(window_rows=5, bootstrap=0)
    report = aggregate(shuffled, options=options)
    exact = aggregate(records, options=options)
    assert report.corpus.labels == exact.corpus.labels  # every label is still counted
    assert any("not grouped together" in w for w in report.warnings)
    assert not exact.warnings
    assert {r.thread_id: r.comments for r in report.thread_index} == \
        {r.thread_id: r.comments for r in exact.thread_index}


def test_thread_bootstrap_only_with_enough_threads(small: Report, make_records: Make) -> None:
    assert small.corpus.labels["stance"].get("favor").cluster_low is None
    many = aggregate(make_records(5, 12, 10),
                     options=ReportOptions(bootstrap=100))
    favor = many.corpus.labels["stance"].get("favor")
    assert favor.cluster_low is not None and favor.cluster_high is not None
    assert favor.cluster_low <= favor.share <= favor.cluster_high


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 8), st.integers(1, 12))
def test_invariants(make_records: Make, seed: int, threads: int, per_thread: int) -> None:
    records = make_records(seed, threads, per_thread)
    report = aggregate(records, options=ReportOptions(bootstrap=0, max_threads=3))
    corpus = report.corpus
    stance = corpus.labels["stance"]
    assert corpus.comments == len(records) == stance.total
    assert sum(s.share for s in stance.shares) == pytest.approx(1.0, abs=1e-3)
    assert sum(row.stance.total for row in corpus.depth) == stance.total
    assert corpus.labels["agreement"].total == corpus.replies
    flows = sum(f.agreement.total for f in corpus.flows)
    assert flows == corpus.replies  # every reply's parent is in the records
    assert sum(t.comments for t in report.thread_index) == len(records)
    assert len(report.threads) == min(3, len(report.thread_index))
    sizes = [t.summary.comments for t in report.threads]
    assert sizes == sorted(sizes, reverse=True)
    for share in (s for d in corpus.labels.values() for s in d.shares):
        assert 0.0 <= share.low <= share.share <= share.high <= 1.0


def test_a_split_thread_is_shown_once_and_marked_partial(make_records: Make) -> None:
    records = make_records(8, 3, 12)
    first = [r for r in records if r["thread_id"] == "t0"]
    assert len(first) > 2
    others = [r for r in records if r["thread_id"] != "t0"]
    split = first[:2] + others + first[2:]  # t0 comes back after the others were finished
    report = aggregate(split, options=ReportOptions(window_rows=1, bootstrap=0))
    shown = [t.thread_id for t in report.threads]
    assert len(shown) == len(set(shown))
    assert {t.thread_id: t.partial for t in report.threads}["t0"] is True
    assert any("not grouped together" in w for w in report.warnings)
    assert {r.thread_id: r.comments for r in report.thread_index}["t0"] == len(first)
