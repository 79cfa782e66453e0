"""Reading label records: bad input is one sentence naming file and line, or a counted repair."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.errors import InputError
from stance.report import aggregate, aggregate_files
from stance.report.records import Problems, parse_record, parse_timestamp


def test_malformed_json_names_file_and_line(labels_dir: Path) -> None:
    path = labels_dir / "broken_json.labels.jsonl"
    with pytest.raises(InputError) as err:
        aggregate_files([path])
    assert str(path) in str(err.value) and "line 3" in str(err.value)
    assert err.value.exit_code == 2


def test_record_without_comment_id_names_file_and_line(labels_dir: Path) -> None:
    path = labels_dir / "missing_id.labels.jsonl"
    with pytest.raises(InputError, match=r"line 2: label record has no usable 'comment_id'"):
        aggregate_files([path])


def test_empty_file_is_an_error(labels_dir: Path) -> None:
    with pytest.raises(InputError, match="is empty"):
        aggregate_files([labels_dir / "empty.labels.jsonl"])


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        aggregate_files([tmp_path / "nope.jsonl"])


def test_no_records_in_memory_is_an_error() -> None:
    with pytest.raises(InputError, match="holds no label records"):
        aggregate([])


def test_non_dict_record_in_memory_names_its_position() -> None:
    good = {"thread_id": "t", "comment_id": "a", "text": "x", "stance": {"label": "favor"}}
    with pytest.raises(InputError, match="in-memory records, line 2"):
        aggregate([good, ["not", "a", "record"]])  # type: ignore[list-item]


def test_repairs_are_counted_and_reported(labels_dir: Path) -> None:
    report = aggregate_files([labels_dir / "repairable.labels.jsonl"])
    text = "\n".join(report.warnings)
    assert "unknown stance label" in text and "repairable.labels.jsonl line 2" in text
    assert "'timestamp' that is not an ISO 8601 time" in text
    assert "'sentiment' that is not an object" in text
    assert "repeated a comment" in text and "comment b" in text
    assert "no record in its thread" in text
    assert "reply cycle" in text
    stance = report.corpus.labels["stance"]
    # a: support -> favor; b: unknown (left out); duplicate b dropped; c: deny -> against;
    # x, y: none
    assert stance.counts() == {"favor": 1, "against": 1, "query": 0, "none": 2}
    assert stance.missing == 1
    depths = {row.depth: row.stance.total for row in report.corpus.depth}
    assert depths["0"] == 1 and depths["3"] == 1  # 'c' keeps its depth hint
    assert depths["unknown"] == 2  # the cycle
    assert [o.outlet for o in report.corpus.outlets] == ["Channel 4"]  # a string target


def test_synonyms_and_loose_values() -> None:
    problems = Problems()
    row = parse_record({"thread_id": 7, "comment_id": 3, "text": "t",
                        "stance": {"label": "Deny", "scores": {"support": 0.1, "deny": 0.6,
                                                               "query": 0.1, "comment": 0.2}},
                        "sentiment": {"label": "neg"}, "media_bias": {"label": "yes"},
                        "conspiracy": {"label": 1}}, 0, "f", 1, problems)
    assert (row.thread_id, row.comment_id) == ("7", "3")
    assert row.stance == 1 and row.stance_score == pytest.approx(0.6)
    assert row.sentiment == 2 and row.bias == 0 and row.conspiracy == 0
    assert problems.counts == {}


def test_scores_that_are_not_numbers_are_ignored() -> None:
    problems = Problems()
    row = parse_record({"thread_id": "t", "comment_id": "c", "text": "t",
                        "stance": {"label": "favor", "scores": {"favor": "high"}},
                        "sentiment": {"label": "neutral"}, "media_bias": {"label": False},
                        "conspiracy": {"label": False}}, 0, "f", 1, problems)
    assert row.stance == 0 and row.stance_score is None and row.stance_entropy is None


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-01-01T10:00:00Z", 1704103200.0),
    ("2024-01-01T12:00:00+02:00", 1704103200.0),
    ("2024-01-01T10:00:00", 1704103200.0),
    ("2024-01-01", 1704067200.0),
    (1704103200, 1704103200.0),
    (1704103200000, 1704103200.0),
    ("last Tuesday", None), ("", None), (None, None), (True, None),
])
def test_parse_timestamp(value: object, expected: float | None) -> None:
    assert parse_timestamp(value) == expected
