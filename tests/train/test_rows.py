"""Annotated rows are checked at the door: one sentence naming file, line and fault."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from stance.errors import InputError
from stance.train.rows import normalize_row, read_annotated, rows_from_records, write_rows


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_labels_are_normalised() -> None:
    row = normalize_row({"text": "hi", "stance": " FAVOR ", "media_bias": "1", "conspiracy": 0,
                         "sentiment": ""}, path="x.jsonl", line=3)
    assert row["stance"] == "favor" and row["media_bias"] is True
    assert row["conspiracy"] is False and row["sentiment"] is None
    assert row["target"] == "" and row["dataset"] == "x"


@pytest.mark.parametrize(("raw", "message"), [
    ({"text": "a", "stance": "pro"}, "stance label 'pro' is not one of favor, against"),
    ({"text": "a", "sentiment": "happy"}, "sentiment label 'happy'"),
    ({"text": "a", "media_bias": "maybe"}, "media_bias label 'maybe' is not true/false"),
    ({"text": "a", "agreement": "agree"}, "no 'parent_text'"),
    ({"text": "  ", "stance": "none"}, "row has no 'text'"),
    ({"text": "a", "target": 5}, "'target' must be a string"),
])
def test_bad_rows_name_file_and_line(tmp_path: Path, raw: dict, message: str) -> None:
    path = _jsonl(tmp_path / "data.jsonl", [{"text": "fine", "stance": "none"}, raw])
    with pytest.raises(InputError) as info:
        read_annotated(path)
    assert str(info.value).startswith(f"{path}, line 2: ")
    assert message in str(info.value)
    assert info.value.exit_code == 2


def test_bad_json_line(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "ok", "stance": "none"}\n\n{"text": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3: not valid JSON"):
        read_annotated(path)


def test_csv_rows_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text('text,target,stance,conspiracy\n"multi\nline",Tea,against,\n'
                    "plain,Tea,bogus,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d.csv, line 4: stance label 'bogus'"):
        read_annotated(path)
    path.write_text("text,stance\nok,none\n", encoding="utf-8")
    assert read_annotated(path)[0]["stance"] == "none"


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("x")
    with pytest.raises(InputError, match="unknown annotated-data format"):
        read_annotated(tmp_path / "d.txt")
    with pytest.raises(InputError, match="no such file"):
        read_annotated(tmp_path / "nope.jsonl")


def test_gzip_round_trip(tmp_path: Path) -> None:
    rows = rows_from_records([{"text": "a", "stance": "favor", "target": "T", "dataset": "mine",
                               "group": "g"},
                              {"text": "b", "parent_text": "p", "agreement": "agree"}])
    path = tmp_path / "rows.jsonl.gz"
    assert write_rows(rows, path) == 2
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        assert len(handle.readlines()) == 2
    assert read_annotated(path) == rows


def test_rows_from_a_datasets_dataset() -> None:
    from datasets import Dataset

    ds = Dataset.from_list([{"text": "x", "sentiment": "positive"},
                            {"text": "y", "sentiment": "nope"}])
    with pytest.raises(InputError, match=r"rows, line 2: sentiment label 'nope'"):
        rows_from_records(ds)
