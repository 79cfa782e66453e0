"""Sampling strategies over a hand-written label-records file (tests/fixtures/annotate)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.annotate.records import HeadPrediction
from stance.annotate.sampling import (
    SampleOptions,
    head_uncertainty,
    read_exclude,
    sample_records,
    stance_conflict,
    uncertainty,
)
from stance.errors import InputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annotate"
LABELS = FIXTURES / "labels.jsonl"


def _ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{i.record.thread_id}/{i.record.comment_id}" for i in result.items]


def test_uncertainty_puts_the_near_uniform_comment_first() -> None:
    result = sample_records(LABELS, SampleOptions(n=2))
    assert _ids(result)[0] == "t1/c3"
    assert result.seen == 8 and result.eligible == 7
    assert result.skipped == {"empty text": 1}
    scores = [i.score for i in result.items]
    assert scores == sorted(scores, reverse=True)


def test_heads_option_scores_only_the_chosen_heads() -> None:
    # media_bias scores: c4 0.55 and c3 0.45 are the only ones near 0.5.
    result = sample_records(LABELS, SampleOptions(n=2, heads=("media_bias",)))
    assert sorted(_ids(result)) == ["t1/c3", "t1/c4"]
    assert "media_bias" in result.items[0].reason


def test_threshold_moves_the_binary_boundary() -> None:
    # With the conspiracy threshold at 0.9, t2/c3 (0.93) is the least sure conspiracy call.
    options = SampleOptions(n=1, heads=("conspiracy",), thresholds={"conspiracy": 0.9})
    assert _ids(sample_records(LABELS, options)) == ["t2/c3"]


def test_max_aggregate_differs_from_mean() -> None:
    mean = sample_records(LABELS, SampleOptions(n=7, aggregate="mean"))
    top = sample_records(LABELS, SampleOptions(n=7, aggregate="max"))
    assert sorted(_ids(mean)) == sorted(_ids(top))
    assert all(m.score <= t.score + 1e-12 for m, t in
               zip(sorted(mean.items, key=lambda i: i.record.key),
                   sorted(top.items, key=lambda i: i.record.key), strict=True))


def test_disagreement_finds_the_reply_that_agrees_with_the_opposite_stance() -> None:
    result = sample_records(LABELS, SampleOptions(strategy="disagreement", n=3))
    assert _ids(result)[0] == "t1/c2"
    assert "agreement 'agree'" in result.items[0].reason
    # Confident top-level comments with no binary head near its threshold are not candidates.
    assert "t1/c1" not in _ids(result) and result.skipped["no selected head"] >= 1


def test_random_is_seeded_uniform_and_without_replacement() -> None:
    a = _ids(sample_records(LABELS, SampleOptions(strategy="random", n=4, seed=3)))
    b = _ids(sample_records(LABELS, SampleOptions(strategy="random", n=4, seed=3)))
    assert a == b and len(set(a)) == 4
    seen = {tuple(sorted(_ids(sample_records(LABELS, SampleOptions("random", n=4, seed=s)))))
            for s in range(12)}
    assert len(seen) > 3


def test_context_comes_from_the_same_file_even_when_the_thread_is_split() -> None:
    items = {f"{i.record.thread_id}/{i.record.comment_id}": i
             for i in sample_records(LABELS, SampleOptions(n=10)).items}
    assert items["t1/c2"].parent_text.startswith("Finally some safe room")
    # t1/c5 comes after thread t2 in the file: found by the second pass.
    assert items["t1/c5"].parent_text.startswith("Does anyone know")
    assert items["t1/c1"].parent_text == ""
    assert items["t1/c2"].record.target == "the new bike lanes on Elm Street"


def test_exclude_skips_annotated_comments(tmp_path: Path) -> None:
    done = tmp_path / "done.jsonl"
    done.write_text(json.dumps({"id": "c3", "thread_id": "t1", "text": "x"}) + "\n")
    result = sample_records(LABELS, SampleOptions(n=10, exclude=read_exclude([done])))
    assert "t1/c3" not in _ids(result) and result.skipped["already annotated"] == 1


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "line 2: not valid JSON"),
    (json.dumps({"thread_id": "t9", "text": "x"}), "line 2: label record has no 'comment_id'"),
    (json.dumps({"thread_id": "t9", "comment_id": "a", "text": "x",
                 "stance": {"label": "pro"}}), "line 2: 'stance.label' is 'pro'"),
    (json.dumps({"thread_id": "t9", "comment_id": "a", "text": "x",
                 "media_bias": {"label": "maybe"}}), "line 2: 'media_bias.label' must be"),
])
def test_bad_records_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(LABELS.read_text().splitlines()[0] + "\n" + line + "\n")
    with pytest.raises(InputError, match=message):
        sample_records(path, SampleOptions())


def test_bad_options_are_input_errors() -> None:
    for kwargs in ({"strategy": "loudest"}, {"n": 0}, {"heads": ("stance", "humour")},
                   {"aggregate": "median"}):
        with pytest.raises(InputError):
            SampleOptions(**kwargs)  # type: ignore[arg-type]


def test_head_uncertainty_bounds() -> None:
    binary = lambda p: HeadPrediction("true" if p >= .5 else "false",  # noqa: E731
                                      {"true": p, "false": 1 - p})
    assert head_uncertainty("media_bias", binary(0.5)) == pytest.approx(1.0)
    assert head_uncertainty("media_bias", binary(1.0)) == pytest.approx(0.0)
    assert head_uncertainty("media_bias", binary(0.0)) == pytest.approx(0.0)
    assert head_uncertainty("media_bias", binary(0.3), threshold=0.3) == pytest.approx(1.0)
    flat = HeadPrediction("favor", {"favor": .25, "against": .25, "query": .25, "none": .25})
    assert head_uncertainty("stance", flat) == pytest.approx(1.0)


def test_stance_conflict_is_high_only_for_contradictions() -> None:
    from stance.annotate.records import record_from_dict

    def rec(cid: str, stance: str, agreement: str | None) -> object:
        probs = {k: float(k == stance) for k in ("favor", "against", "query", "none")}
        obj = {"thread_id": "t", "comment_id": cid, "text": "x",
               "stance": {"label": stance, "scores": probs}}
        if agreement:
            obj["agreement"] = {"label": agreement, "scores": {
                k: float(k == agreement) for k in ("agree", "disagree", "neutral")}}
        return record_from_dict(obj, "mem", 1)

    parent = rec("p", "favor", None)
    assert stance_conflict(rec("a", "against", "agree"), parent) == 1.0  # type: ignore[arg-type]
    assert stance_conflict(rec("b", "favor", "disagree"), parent) == 1.0  # type: ignore[arg-type]
    assert stance_conflict(rec("c", "favor", "agree"), parent) == 0.0  # type: ignore[arg-type]
    assert stance_conflict(rec("d", "against", "agree"), None) == 0.0  # type: ignore[arg-type]


def _random_records(seed: int, count: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        raw = [rng.random() for _ in range(4)]
        probs = dict(zip(("favor", "against", "query", "none"), (x / sum(raw) for x in raw),
                         strict=True))
        rows.append({"thread_id": f"t{i // 5}", "comment_id": f"c{i}", "text": f"comment {i}",
                     "stance": {"label": max(probs, key=probs.__getitem__), "scores": probs},
                     "conspiracy": {"label": False, "score": rng.random()}})
    return rows


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(1, 40), n=st.integers(1, 15))
def test_bounded_heap_keeps_the_true_top_n(tmp_path_factory: pytest.TempPathFactory, seed: int,
                                           count: int, n: int) -> None:
    rows = _random_records(seed, count)
    path = tmp_path_factory.mktemp("h") / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    options = SampleOptions(n=n, heads=("stance", "conspiracy"))
    result = sample_records(path, options)
    from stance.annotate.records import record_from_dict

    scored = []
    for i, row in enumerate(rows):
        value = uncertainty(record_from_dict(row, "mem", i + 1), options)
        assert value is not None
        scored.append((-value[0], i, row["comment_id"]))
    expected = [cid for _, _, cid in sorted(scored)[:n]]
    assert [i.record.comment_id for i in result.items] == expected
