"""What `make annotate-check` does to a Label Studio project in an annotator's place.

Pure functions over the server's JSON, so they are tested without a server:
- `prediction_problems`: is every pre-annotation one the labeling interface can show (a control
  of the config, pointed at its object, a value among the control's choices)? Label Studio
  itself accepts predictions with unknown controls or choices and silently shows nothing.
- `annotate`: the annotation an annotator's clicks would submit for a task: the prediction
  accepted, some labels changed (outlets included), every result shaped as the labeling
  interface sends it (`origin`, `parent_prediction`, `lead_time`); and the training row that
  `stance import` must make of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stance.annotate.annotated import OUTLETS, parse_outlets
from stance.annotate.labelstudio import TEXT_NAME
from stance.model.tasks import TASKS

#: Outlets the emulated annotator types: one added to the model's, and a fresh claim's.
ADDED_OUTLET = "Fox News"
NEW_CLAIM_OUTLETS = "CNN; the Daily Courier"


def prediction_problems(task: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """What is wrong with a task's pre-annotation, checked against the server's parsed config
    (`parsed_label_config`: control -> type, to_name, labels)."""
    where = f"task {task.get('id')}"
    predictions = task.get("predictions") or []
    if len(predictions) != 1:
        return [f"{where}: {len(predictions)} predictions stored, expected 1"]
    problems: list[str] = []
    results = predictions[0].get("result") or []
    if not results:
        problems.append(f"{where}: the prediction has no result")
    for item in results:
        name = item.get("from_name")
        control = config.get(name) if isinstance(name, str) else None
        if control is None:
            problems.append(f"{where}: prediction for {name!r}, not a control of the config")
            continue
        if item.get("to_name") not in control.get("to_name", []):
            problems.append(f"{where}: {name} points at {item.get('to_name')!r}")
        if str(item.get("type", "")).lower() != str(control.get("type", "")).lower():
            problems.append(f"{where}: {name} is a {item.get('type')}, the config has a "
                            f"{control.get('type')}")
        value = item.get("value") or {}
        if control.get("type") == "Choices":
            bad = [c for c in value.get("choices") or [None] if c not in control["labels"]]
            if bad:
                problems.append(f"{where}: {name} choice(s) {bad} not in {control['labels']}")
        elif control.get("type") == "TextArea" and not value.get("text"):
            problems.append(f"{where}: {name} has no text")
    return problems


@dataclass
class Submission:
    """One emulated annotation: what is submitted and what `stance import` must give back."""

    task_id: int
    payload: dict[str, Any]
    expected: dict[str, Any] | None  # the training row; None for a skipped task
    changed: list[str] = field(default_factory=list)  # heads (and outlets) changed


def _result_id(task_id: int, name: str) -> str:
    """A 10-character region id like the labeling interface's."""
    return hashlib.sha1(f"{task_id}:{name}".encode()).hexdigest()[:10]


def _next(head: str, label: str) -> str:
    labels = TASKS[head].labels
    return labels[(labels.index(label) + 1) % len(labels)]


def predicted_values(task: Mapping[str, Any]) -> dict[str, Any]:
    """Control -> the predicted choice (or the outlets' text line)."""
    values: dict[str, Any] = {}
    for item in (task.get("predictions") or [{}])[0].get("result") or []:
        value = item.get("value") or {}
        if item.get("type") == "textarea":
            values[item["from_name"]] = "; ".join(value.get("text") or [])
        elif value.get("choices"):
            values[item["from_name"]] = value["choices"][0]
    return values


def edit(values: dict[str, Any], index: int) -> list[str]:
    """Change some predicted labels in place, in a fixed pattern over the tasks; the names of
    what changed. Outlets: named on a new claim, one added, or removed with the claim."""
    changed: list[str] = []
    for head, every, offset in (("stance", 3, 0), ("sentiment", 4, 1), ("agreement", 5, 2)):
        if head in values and index % every == offset:
            values[head] = _next(head, values[head])
            changed.append(head)
    if "conspiracy" in values and index % 6 == 3:
        values["conspiracy"] = _next("conspiracy", values["conspiracy"])
        changed.append("conspiracy")
    bias, outlets = values.get("media_bias"), values.get(OUTLETS)
    if bias == "true" and outlets and index % 2 == 0:
        values[OUTLETS] = f"{outlets}; {ADDED_OUTLET}"
        changed.append(OUTLETS)
    elif bias == "true" and outlets:
        values["media_bias"] = "false"
        values.pop(OUTLETS)
        changed += ["media_bias", OUTLETS]
    elif bias == "false" and index % 4 == 2:
        values["media_bias"], values[OUTLETS] = "true", NEW_CLAIM_OUTLETS
        changed += ["media_bias", OUTLETS]
    return changed


def expected_row(data: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The training row `stance import` must write for these submitted values."""
    row: dict[str, Any] = {"id": str(data["comment_id"]), "thread_id": str(data["thread_id"]),
                           "text": data["text"], "target": data.get("target") or "",
                           "parent_text": data.get("parent_text") or ""}
    for head, task in TASKS.items():
        if head in values and (head != "agreement" or row["parent_text"]):
            row[head] = values[head] == "true" if task.binary else values[head]
    if row.get("media_bias") is True and values.get(OUTLETS):
        row[OUTLETS] = parse_outlets(values[OUTLETS])
    return row


def annotate(task: Mapping[str, Any], index: int, *, skip: bool = False) -> Submission:
    """The annotation for one task: the prediction, edited by `edit`, submitted (or skipped)."""
    task_id = int(task["id"])
    prediction = (task.get("predictions") or [{}])[0]
    base = {"lead_time": 4.2 + index, "parent_prediction": prediction.get("id"),
            "ground_truth": False}
    if skip:
        return Submission(task_id, {**base, "result": [], "was_cancelled": True}, None)
    predicted = predicted_values(task)
    values = dict(predicted)
    changed = edit(values, index)
    result = []
    for name, value in values.items():
        kind = "textarea" if name == OUTLETS else "choices"
        origin = "prediction" if predicted.get(name) == value else (
            "prediction-changed" if name in predicted else "manual")
        result.append({"id": _result_id(task_id, name), "type": kind,
                       "value": {"text": [value]} if kind == "textarea" else {"choices": [value]},
                       "origin": origin, "to_name": TEXT_NAME, "from_name": name})
    return Submission(task_id, {**base, "result": result, "was_cancelled": False},
                     expected_row(task["data"], values), changed)
