"""Outlets named in a media-bias claim through the loop, and the check's annotator, no server.

The shapes here are the ones a running Label Studio 1.23 produced (`make annotate-check`): the
one-line TextArea's `{"text": [...]}` value, JSON-MIN's flat string, the CSV export's columns
(a several-line TextArea comes as JSON in a CSV cell).
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from stance.annotate.annotated import OUTLETS, parse_outlets
from stance.annotate.labelstudio import label_config, to_task
from stance.annotate.loop import import_annotations
from stance.annotate.lsannotator import annotate, prediction_problems
from stance.annotate.sampling import SampleOptions, sample_records
from stance.train.rows import normalize_row, read_annotated, write_rows

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "demo.labels.jsonl"


def parsed_config() -> dict[str, Any]:
    """What Label Studio's `parsed_label_config` says about our config."""
    root = ET.fromstring(label_config())
    return {el.get("name"): {"type": el.tag, "to_name": [el.get("toName")],
                             "labels": [c.get("value") for c in el.iter("Choice")]}
            for el in root if el.get("toName")}


def server_tasks(n: int = 24) -> list[dict[str, Any]]:
    """Sampled tasks as the server lists them: ids on tasks and predictions."""
    items = sample_records(LABELS, SampleOptions(n=n)).items
    tasks = [to_task(item) for item in items]
    for i, task in enumerate(tasks, start=1):
        task["id"] = i
        task["predictions"][0]["id"] = 100 + i
    return tasks


@pytest.mark.parametrize(("raw", "expected"), [
    ("CNN; Fox News", ["CNN", "Fox News"]),
    (["CNN; cnn", " BBC "], ["CNN", "BBC"]),
    ('{"text": ["CNN", "the Daily Courier"]}', ["CNN", "the Daily Courier"]),  # LS CSV, 2 lines
    ({"text": ["a\nb"]}, ["a", "b"]),
    ("", []),
    ({}, None),  # what JSON-MIN makes of a several-line TextArea: lost
    ('{"text": [1]}', None),
])
def test_parse_outlets(raw: Any, expected: list[str] | None) -> None:
    assert parse_outlets(raw) == expected


def test_config_has_an_outlets_textarea_and_tasks_prefill_it() -> None:
    config = parsed_config()
    assert config[OUTLETS] == {"type": "TextArea", "to_name": ["text"], "labels": []}
    tasks = server_tasks()
    with_outlets = [t for t in tasks
                    if any(r["from_name"] == OUTLETS for r in t["predictions"][0]["result"])]
    assert with_outlets
    for task in tasks:
        assert not set(task["data"]) & set(config), "flat exports would mix data and labels"
        assert prediction_problems(task, config) == []
    result = {r["from_name"]: r for r in with_outlets[0]["predictions"][0]["result"]}
    assert result["media_bias"]["value"] == {"choices": ["true"]}
    assert result[OUTLETS]["type"] == "textarea" and len(result[OUTLETS]["value"]["text"]) == 1


def test_prediction_problems_catch_what_label_studio_accepts_silently() -> None:
    task = server_tasks(1)[0]
    result = task["predictions"][0]["result"]
    result[0]["value"]["choices"] = ["favour"]
    result[1]["from_name"] = "nosuch"
    result[2]["to_name"] = "target"
    problems = prediction_problems(task, parsed_config())
    assert len(problems) == 3 and "favour" in problems[0] and "nosuch" in problems[1]
    assert prediction_problems({"id": 9, "predictions": []}, parsed_config())


def _export(tasks: list[dict[str, Any]], payloads: dict[int, dict[str, Any]]) -> list[Any]:
    return [{"id": t["id"], "data": t["data"], "predictions": [t["predictions"][0]["id"]],
             "annotations": [{"id": t["id"], "updated_at": "2026-01-01T00:00:00Z",
                              **payloads[t["id"]]}]} for t in tasks]


def _json_min(export: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for task in export:
        if task["annotations"][0]["was_cancelled"]:
            continue
        row = dict(task["data"], id=task["id"])
        for item in task["annotations"][0]["result"]:
            value = item["value"]
            row[item["from_name"]] = value.get("choices", value.get("text"))[0]
        rows.append(row)
    return rows


def test_the_checks_annotator_round_trips_through_every_export_shape(tmp_path: Path) -> None:
    tasks = server_tasks()
    subs = [annotate(t, i, skip=i == len(tasks) - 1) for i, t in enumerate(tasks)]
    changed = {name for s in subs for name in s.changed}
    assert {"stance", "media_bias", OUTLETS} <= changed
    expected = {(e["thread_id"], e["id"]): e for s in subs if (e := s.expected)}
    export = _export(tasks, {s.task_id: s.payload for s in subs})
    minimal = _json_min(export)
    (tmp_path / "e.json").write_text(json.dumps(export))
    (tmp_path / "e.min.json").write_text(json.dumps(minimal))
    with open(tmp_path / "e.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted({k for r in minimal for k in r}))
        writer.writeheader()
        writer.writerows(minimal)
    for name in ("e.json", "e.min.json", "e.csv"):
        count, report = import_annotations([tmp_path / name], tmp_path / "rows.jsonl")
        rows = [json.loads(x) for x in (tmp_path / "rows.jsonl").read_text().splitlines()]
        assert {(r["thread_id"], r["id"]): r for r in rows} == expected, name
        assert count == len(tasks) - 1 and not report.dropped_labels
    assert any(OUTLETS in row for row in expected.values())


def test_outlets_only_on_a_media_bias_claim(tmp_path: Path) -> None:
    def item(bias: str, outlets: str) -> dict[str, Any]:
        return {"data": {"thread_id": "t", "comment_id": bias, "text": "x"},
                "annotations": [{"result": [
                    {"from_name": "media_bias", "type": "choices", "value": {"choices": [bias]}},
                    {"from_name": OUTLETS, "type": "textarea", "value": {"text": [outlets]}}]}]}
    path = tmp_path / "e.json"
    path.write_text(json.dumps([item("true", "CNN;  NYT"), item("false", "BBC")]))
    _, report = import_annotations([path], tmp_path / "rows.jsonl")
    rows = [json.loads(x) for x in (tmp_path / "rows.jsonl").read_text().splitlines()]
    assert rows[0][OUTLETS] == ["CNN", "NYT"] and OUTLETS not in rows[1]
    assert report.dropped_labels == {"outlets on a comment not labeled as a media-bias claim": 1}
    assert "media_bias_outlets 1" in report.summary(2)


def test_training_rows_carry_outlets_and_stay_compatible(tmp_path: Path) -> None:
    given = normalize_row({"text": "x", "media_bias": "true", OUTLETS: "CNN; NYT"},
                          path="a.csv", line=2)
    plain = normalize_row({"text": "y", "media_bias": True, OUTLETS: ""}, path="a.csv", line=3)
    assert given[OUTLETS] == ["CNN", "NYT"] and OUTLETS not in plain
    write_rows([given, plain], tmp_path / "rows.jsonl")
    back = read_annotated(tmp_path / "rows.jsonl")
    assert back[0][OUTLETS] == ["CNN", "NYT"] and OUTLETS not in back[1]
