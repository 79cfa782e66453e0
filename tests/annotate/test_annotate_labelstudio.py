"""Label Studio: the labeling config, the import tasks, and reading exports back."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from stance.annotate.annotated import RowBuilder
from stance.annotate.labelstudio import label_config, read_export, to_task
from stance.annotate.loop import import_annotations
from stance.annotate.sampling import SampleOptions, sample_records
from stance.errors import InputError
from stance.model.tasks import TASKS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annotate"


def test_config_has_one_choices_per_head_with_contract_labels() -> None:
    root = ET.fromstring(label_config())
    texts = {t.get("name"): t.get("value") for t in root.iter("Text")}
    assert texts == {"target": "$target", "parent_text": "$parent_text", "text": "$text"}
    choices = {c.get("name"): c for c in root.iter("Choices")}
    assert list(choices) == list(TASKS)
    for name, element in choices.items():
        assert element.get("toName") in texts
        assert tuple(c.get("value") for c in element.iter("Choice")) == TASKS[name].labels


def test_tasks_carry_context_and_predictions_that_match_the_config() -> None:
    root = ET.fromstring(label_config())
    allowed = {c.get("name"): {x.get("value") for x in c.iter("Choice")}
               for c in root.iter("Choices")}
    items = sample_records(FIXTURES / "labels.jsonl", SampleOptions(n=10)).items
    tasks = [to_task(i) for i in items]
    json.dumps(tasks)  # serialisable
    for task in tasks:
        data = task["data"]
        assert {"text", "parent_text", "target", "thread_id", "comment_id"} <= set(data)
        (prediction,) = task["predictions"]
        assert prediction["model_version"] == "tiny-test@0.0.0"
        assert 0 <= prediction["score"] <= 1
        for result in prediction["result"]:
            if result["type"] == "textarea":  # the outlets: test_annotate_outlets.py
                continue
            assert result["type"] == "choices" and result["to_name"] == "text"
            assert result["value"]["choices"][0] in allowed[result["from_name"]]
    top_level = next(t for t in tasks if t["data"]["comment_id"] == "c1")
    assert "agreement" not in {r["from_name"] for r in top_level["predictions"][0]["result"]}


def _as_export(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What Label Studio exports when an annotator accepts every pre-annotation."""
    return [{"id": i, "data": t["data"], "predictions": t["predictions"],
             "annotations": [{"id": i, "result": t["predictions"][0]["result"],
                              "was_cancelled": False}]} for i, t in enumerate(tasks, 1)]


def test_round_trip_through_an_export(tmp_path: Path) -> None:
    items = sample_records(FIXTURES / "labels.jsonl", SampleOptions(n=10)).items
    export = tmp_path / "export.json"
    export.write_text(json.dumps(_as_export([to_task(i) for i in items])))
    out = tmp_path / "train.jsonl"
    count, report = import_annotations([export], out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert count == len(rows) == len(items) and not report.dropped_rows
    by_id = {(r["thread_id"], r["id"]): r for r in rows}
    orphans = 0
    for item in items:
        row = by_id[item.record.key]
        assert row["text"] == item.record.text and row["parent_text"] == item.parent_text
        for head, pred in item.record.heads.items():
            if head == "agreement" and not item.parent_text:  # t2/c2: its parent's text is ""
                orphans += 1
                assert head not in row
                continue
            expected = (pred.label == "true") if TASKS[head].binary else pred.label
            assert row[head] == expected
    assert orphans == 1 == report.dropped_labels["agreement label(s) without a parent text"]


def test_export_fixture_keeps_good_rows_and_reports_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "train.jsonl"
    count, report = import_annotations([FIXTURES / "labelstudio_export.json"], out)
    rows = {r["id"] + "@" + r["thread_id"]: r
            for r in map(json.loads, out.read_text().splitlines())}
    assert count == 4 and sorted(rows) == ["c2@t1", "c3@t1", "c3@t2", "c4@t2"]
    assert rows["c2@t1"]["media_bias"] is False and rows["c2@t1"]["stance"] == "against"
    assert rows["c3@t1"]["stance"] == "query"  # the latest non-cancelled annotation
    assert rows["c3@t2"] == {"id": "c3", "thread_id": "t2", "conspiracy": True, "parent_text": "",
                             "text": "They want us inside so they can track what we buy.",
                             "target": "moving the market indoors"}
    assert rows["c4@t2"]["sentiment"] == "positive" and "agreement" not in rows["c4@t2"]
    assert report.read == 8
    assert report.dropped_rows == {"with no submitted annotation (none, or all cancelled)": 2,
                                   "with empty text": 1, "with no valid label": 1}
    assert sum(report.dropped_labels.values()) == 4
    summary = report.summary(count)
    assert "task 103 (t1/c4)" in summary and "'favour'" in summary and "'happy'" in summary


def test_json_min_export() -> None:
    builder = RowBuilder()
    read_export(FIXTURES / "labelstudio_export_min.json", builder)
    rows = builder.finish()
    assert [(r["id"], r.get("stance"), r.get("sentiment"), r.get("media_bias"))
            for r in rows] == [("c1", "favor", "neutral", None), ("c2", None, None, True)]
    assert rows[1]["agreement"] == "disagree"


@pytest.mark.parametrize(("content", "message"), [
    ('[{"data": {"text": "x"}}\n,,]', "line 2: not valid JSON"),
    ('"just a string"', "expected a JSON list of Label Studio tasks"),
])
def test_unreadable_exports_are_one_sentence_errors(tmp_path: Path, content: str,
                                                    message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        import_annotations([path], tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_nothing_usable_is_an_error_that_says_why(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text(json.dumps([{"id": 1, "data": {"text": "hello"}, "annotations": []}]))
    with pytest.raises(InputError, match="no annotated row.*1 with no submitted annotation"):
        import_annotations([path], tmp_path / "out.jsonl")


def test_duplicates_keep_the_later_annotation(tmp_path: Path) -> None:
    task = {"data": {"thread_id": "t", "comment_id": "c", "text": "hi"},
            "annotations": [{"result": [{"from_name": "sentiment", "to_name": "text",
                                         "type": "choices",
                                         "value": {"choices": ["negative"]}}]}]}
    later = json.loads(json.dumps(task))
    later["annotations"][0]["result"][0]["value"]["choices"] = ["positive"]
    path = tmp_path / "e.json"
    path.write_text(json.dumps([task, later]))
    count, report = import_annotations([path], tmp_path / "out.jsonl")
    assert count == 1 and report.dropped_rows[
        "duplicate comments (the later annotation kept)"] == 1
    assert json.loads((tmp_path / "out.jsonl").read_text())["sentiment"] == "positive"
