"""Issue 13 beyond parse and label: report, train, evaluate and import read text no encoder
takes (lone surrogate escapes, NUL and other controls, non-characters) and repair it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.annotate.loop import import_annotations
from stance.io import UNENCODABLE, clean_text, dumps
from stance.report import aggregate_files, render
from stance.train.rows import read_annotated, rows_from_records

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = "\ud83d half \ud800 \x00nul \x1b[0m \ufffe"


def _poison(obj: object) -> object:
    """Every string of a JSON value with BAD appended."""
    if isinstance(obj, str):
        return obj + BAD
    if isinstance(obj, list):
        return [_poison(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _poison(v) if k in ("text", "thread_id", "comment_id", "parent_id", "target",
                                       "parent_text", "data") else v for k, v in obj.items()}
    return obj


def _encodable(text: str) -> None:
    text.encode("utf-8")
    assert clean_text(text) == text


def test_report_reads_label_records_with_unencodable_text(tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    lines = (FIXTURES / "labels" / "small.labels.jsonl").read_text().splitlines()
    path = tmp_path / "bad.labels.jsonl"
    path.write_text("".join(json.dumps(_poison(json.loads(line))) + "\n" for line in lines))
    report = aggregate_files([path])
    assert report.records == len(lines)
    for fmt in ("html", "md", "json"):
        _encodable(render(report, fmt))
    assert f"{path}, line 1: {UNENCODABLE}" in caplog.text


def test_training_rows_are_cleaned_at_the_door(tmp_path: Path) -> None:
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text(json.dumps({"text": "a" + BAD, "target": BAD, "stance": "favor"}) + "\n")
    csv = tmp_path / "rows.csv"
    csv.write_text("text,target,stance\n\"b\x00\x07c\ufffe\",t\x01,none\n", encoding="utf-8")
    rows = read_annotated(jsonl) + read_annotated(csv) + rows_from_records(
        [{"text": "d\ud800", "parent_text": "\udc00", "agreement": "agree"}])
    for row in rows:
        for column in ("text", "target", "parent_text"):
            _encodable(row[column])
    assert [r["text"] for r in rows] == ["a" + clean_text(BAD), "bc\ufffd", "d\ufffd"]


def test_evaluate_scores_rows_with_unencodable_text(tmp_path: Path, tiny_model_dir: Path) -> None:
    from stance.train.evaluate import evaluate_paths

    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps({"text": f"row {i}{BAD}", "target": BAD,
                                        "stance": "favor" if i % 2 else "against"}) + "\n"
                            for i in range(6)))
    result = evaluate_paths([str(path)], str(tiny_model_dir), "cpu", 4)
    assert result.metrics["n_rows"] == 6


def test_import_repairs_unencodable_text_with_a_note(tmp_path: Path) -> None:
    tasks = json.loads((FIXTURES / "annotate" / "labelstudio_export.json").read_text())
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{**t, "data": _poison(t["data"])} for t in tasks]))
    out = tmp_path / "rows.jsonl"
    count, report = import_annotations([export], out)
    assert count > 0
    text = out.read_text(encoding="utf-8")
    _encodable(text)
    assert all(clean_text(BAD) in json.loads(line)["text"] for line in text.splitlines())
    assert any(UNENCODABLE in note for note in report.notes)
    _encodable(dumps(report.to_dict(count)))
