"""The annotation loop end to end with the tiny model: label -> sample -> annotate -> import
-> train from the old model -> evaluate --compare OLD NEW. Seconds, not minutes."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from stance.cli import app
from stance.model.tasks import TASKS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annotate"
runner = CliRunner()


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"stance {' '.join(args)}: {result.output}"
    return result.output


def _annotator(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A pretend annotator: simple rules on the invented fixture comments."""
    text = data["text"].lower()
    labels = {
        "stance": "query" if "?" in text else "against" if any(
            w in text for w in ("disaster", "lose", "never", "track")) else "favor",
        "sentiment": "negative" if any(w in text for w in ("disaster", "never", "lose", "track"))
        else "positive",
        "media_bias": "true" if any(w in text for w in ("courier", "paper")) else "false",
        "conspiracy": "true" if "they want" in text else "false",
    }
    if data["parent_text"]:
        labels["agreement"] = "agree" if text.startswith(("yes", "agreed")) else "disagree"
    return [{"from_name": head, "to_name": "text", "type": "choices",
             "value": {"choices": [label]}} for head, label in labels.items()]


def _annotate_export(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What Label Studio exports after annotation; the last task is skipped (cancelled)."""
    export = []
    for number, task in enumerate(tasks, start=1):
        cancelled = number == len(tasks)
        export.append({"id": number, "data": task["data"], "predictions": task["predictions"],
                       "annotations": [{"id": number, "was_cancelled": cancelled,
                                        "result": [] if cancelled else _annotator(task["data"]),
                                        "updated_at": "2024-06-01T12:00:00Z"}]})
    return export


def test_annotation_loop_end_to_end(tiny_model_dir: Path, tmp_path: Path) -> None:
    labels = tmp_path / "labels.jsonl"
    _invoke("label", str(FIXTURES / "threads.jsonl"), "--model", str(tiny_model_dir),
            "--device", "cpu", "--output", str(labels))
    records = [json.loads(line) for line in labels.read_text().splitlines()]
    assert len(records) == 12

    _invoke("sample", str(labels), "--strategy", "uncertainty", "--n", "10",
            "--output", str(tmp_path / "batch.json"))
    tasks = json.loads((tmp_path / "batch.json").read_text())
    assert len(tasks) == 10
    replies = [t for t in tasks if t["data"]["parent_id"]]
    assert replies and all(t["data"]["parent_text"] for t in replies)
    assert all(t["data"]["target"] for t in tasks)
    assert {r["from_name"] for r in tasks[0]["predictions"][0]["result"]} <= set(TASKS)

    export = tmp_path / "export.json"
    export.write_text(json.dumps(_annotate_export(tasks)))
    with open(tmp_path / "batch.csv", encoding="utf-8-sig", newline="") as handle:
        sheet = list(csv.DictReader(handle))
    sheet[0].update(reviewed="x", sentiment="neutral")
    with open(tmp_path / "sheet.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)

    annotated = tmp_path / "annotated.jsonl"
    output = _invoke("import", str(export), str(tmp_path / "sheet.csv"), "-o", str(annotated))
    rows = [json.loads(line) for line in annotated.read_text().splitlines()]
    assert len(rows) == 9  # 9 annotated tasks; the sheet's one reviewed row replaces its twin
    assert "1 with no submitted annotation" in output
    assert "9 not marked in the 'reviewed' column" in output
    assert any(r.get("sentiment") == "neutral" for r in rows)

    new_model = tmp_path / "mine"
    _invoke("train", str(annotated), "--base", str(tiny_model_dir), "--epochs", "1",
            "--device", "cpu", "--output", str(new_model))
    assert (new_model / "stance_config.json").is_file()

    metrics = tmp_path / "compare.json"
    table = _invoke("evaluate", str(annotated), "--compare", str(tiny_model_dir),
                    str(new_model), "--output", str(metrics))
    assert re.search(r"^stance\s+macro_f1\s+\d+\s", table, flags=re.MULTILINE)
    assert "95% intervals" in table
    result = json.loads(metrics.read_text())
    heads = {m["head"] for m in result["metrics"]}
    assert heads == set(TASKS)
    for metric in result["metrics"]:
        assert metric["old"]["low"] <= metric["old"]["value"] <= metric["old"]["high"]

    # The same comparison through the path `stance label` runs (ONNX Runtime here).
    quantized = tmp_path / "compare_onnx.json"
    table = _invoke("evaluate", str(annotated), "--compare", str(tiny_model_dir),
                    str(new_model), "--quantize", "onnx", "--output", str(quantized))
    assert "95% intervals" in table
    assert {m["head"] for m in json.loads(quantized.read_text())["metrics"]} == set(TASKS)
