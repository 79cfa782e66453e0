"""The spreadsheet round trip: prefilled CSV out, corrected CSV back in."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stance.annotate.csvio import COLUMNS, protect, unprotect
from stance.annotate.loop import import_annotations, write_sample
from stance.annotate.sampling import SampleOptions
from stance.errors import InputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annotate"


def _sample_csv(tmp_path: Path, n: int = 4) -> list[dict[str, str]]:
    _, files = write_sample(FIXTURES / "labels.jsonl", tmp_path / "batch", SampleOptions(n=n))
    raw = files.csv.read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheets read it as UTF-8
    with open(files.csv, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_sample_writes_three_files_named_from_the_output(tmp_path: Path) -> None:
    result, files = write_sample(FIXTURES / "labels.jsonl", tmp_path / "b1.json",
                                 SampleOptions(n=3))
    assert [files.tasks.name, files.csv.name, files.config.name] == [
        "b1.json", "b1.csv", "b1.label_config.xml"]
    assert len(json.loads(files.tasks.read_text())) == 3 == len(result.items)


def test_csv_is_prefilled_with_predictions_and_context(tmp_path: Path) -> None:
    rows = _sample_csv(tmp_path)
    assert list(rows[0]) == list(COLUMNS)
    first = rows[0]
    assert (first["thread_id"], first["comment_id"]) == ("t1", "c3")
    assert first["stance"] == "favor" and first["stance_score"] == "0.270"
    assert first["parent_text"].startswith("Finally some safe room")
    assert first["reviewed"] == ""


def test_reviewed_rows_come_back_with_corrections(tmp_path: Path) -> None:
    rows = _sample_csv(tmp_path)
    rows[0].update(stance="query", reviewed="x", media_bias="TRUE")  # as a spreadsheet saves it
    rows[1].update(reviewed="yes", sentiment="", agreement="Disagree")
    rows[2].update(stance="favour", reviewed="1", sentiment="neutral")
    path = _write(tmp_path / "done.csv", rows, delimiter=";")
    out = tmp_path / "train.jsonl"
    count, report = import_annotations([path], out)
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert count == 3
    assert got[0]["stance"] == "query" and got[0]["media_bias"] is True
    assert "sentiment" not in got[1] and got[1]["agreement"] == "disagree"
    assert "stance" not in got[2] and got[2]["sentiment"] == "neutral"
    assert report.dropped_rows["not marked in the 'reviewed' column"] == 1
    assert "line 4 (t1/c4): 'favour'" in report.summary(count)  # row 3 is on CSV line 4
    assert not report.notes


def test_unreviewed_csv_imports_everything_with_a_note(tmp_path: Path) -> None:
    rows = _sample_csv(tmp_path)
    count, report = import_annotations([_write(tmp_path / "d.csv", rows)], tmp_path / "o.jsonl")
    assert count == len(rows) and "no row" in report.notes[0]


@pytest.mark.parametrize(("header", "message"), [
    ("comment,stance", "line 1: has no 'text' column"),
    ("text,notes", "line 1: has no label column"),
])
def test_csv_without_required_columns(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(header + "\nhello,there\n")
    with pytest.raises(InputError, match=message):
        import_annotations([path], tmp_path / "o.jsonl")


def test_formula_cells_are_protected_and_restored(tmp_path: Path) -> None:
    records = tmp_path / "labels.jsonl"
    line = json.loads((FIXTURES / "labels.jsonl").read_text().splitlines()[0])
    line["text"] = "=HYPERLINK(\"http://x\") -and- more"
    records.write_text(json.dumps(line) + "\n")
    _, files = write_sample(records, tmp_path / "f", SampleOptions(n=1))
    assert "'=HYPERLINK" in files.csv.read_text(encoding="utf-8-sig")
    count, _ = import_annotations([files.csv], tmp_path / "o.jsonl")
    assert json.loads((tmp_path / "o.jsonl").read_text())["text"] == line["text"]


@given(st.text())
def test_protect_round_trips(text: str) -> None:
    assert unprotect(protect(text)) == text
    assert not protect(text).startswith(("=", "+", "-", "@"))
