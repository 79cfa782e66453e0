"""Label Studio: the labeling config for our heads, task import JSON, and reading its export.

Shapes (Label Studio's "Basic JSON" format):
- import: a list of tasks `{"data": {...}, "predictions": [{"model_version", "score",
  "result": [{"from_name", "to_name", "type": "choices", "value": {"choices": [...]}}]}]}`;
  predictions show up as pre-annotations the annotator corrects.
- export: the same tasks with `"annotations": [{"result": [...], "was_cancelled": bool,
  "updated_at": ...}]` (older versions: `"completions"`). The "JSON-MIN" export (flat objects,
  one key per control) is read too.
Control names (`from_name`) are the head names of `stance.model.tasks`, choices their labels;
the outlets named in a media-bias claim are a one-line <TextArea> (`media_bias_outlets`, outlets
separated by ";"), pre-filled with the outlets the model found. One line, because Label Studio's
JSON-MIN export loses a TextArea with several lines and its CSV export writes them as JSON.
Checked against a running Label Studio by `make annotate-check` (stance.annotate.lscheck).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from stance.annotate.annotated import OUTLETS, RowBuilder
from stance.annotate.sampling import SampleItem, SampleResult
from stance.errors import InputError
from stance.io import atomic_writer, decode_text, dumps, iter_jsonl, read_bytes
from stance.model.tasks import TASKS

#: The question shown above each head's choices.
PROMPTS = {
    "stance": "Stance of the comment toward the target",
    "agreement": "Agreement with the parent comment (replies only)",
    "sentiment": "Sentiment of the comment",
    "media_bias": "Does it claim news media are biased, lying, censoring or pushing propaganda?",
    "conspiracy": "Does it claim a secret coordinated plot explains events?",
}
TEXT_NAME = "text"  # the <Text> every control labels (to_name)
OUTLETS_PROMPT = "Outlets named in the media-bias claim (one line, separated by ;)"


def label_config() -> str:
    """The Label Studio labeling config XML: the context, the comment, one <Choices> per head."""
    lines = ["<View>",
             '  <Header value="Target (stance is measured toward this)" size="6"/>',
             '  <Text name="target" value="$target"/>',
             '  <Header value="Parent comment (empty for a top-level comment)" size="6"/>',
             '  <Text name="parent_text" value="$parent_text"/>',
             '  <Header value="Comment to label" size="5"/>',
             f'  <Text name="{TEXT_NAME}" value="${TEXT_NAME}"/>']
    for name, task in TASKS.items():
        lines.append(f"  <Header value={quoteattr(PROMPTS.get(name, name))} size=\"6\"/>")
        lines.append(f'  <Choices name="{name}" toName="{TEXT_NAME}" choice="single-radio" '
                     'showInline="true">')
        lines.extend(f"    <Choice value={quoteattr(label)}/>" for label in task.labels)
        lines.append("  </Choices>")
        if name == "media_bias":
            lines.append(f"  <Header value={quoteattr(OUTLETS_PROMPT)} size=\"6\"/>")
            lines.append(f'  <TextArea name="{OUTLETS}" toName="{TEXT_NAME}" editable="true" '
                         'maxSubmissions="1" rows="1" placeholder="e.g. CNN; Fox News"/>')
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def task_data(item: SampleItem) -> dict[str, Any]:
    """The fields an annotator sees (and that come back in the export). No key may share a
    control's name: Label Studio's flat exports (CSV, JSON-MIN) put both in one namespace."""
    r = item.record
    return {"thread_id": r.thread_id, "comment_id": r.comment_id, "parent_id": r.parent_id,
            "text": r.text, "parent_text": item.parent_text, "target": r.target,
            "model": r.model,
            "sample_score": round(item.score, 4), "sample_reason": item.reason}


def to_task(item: SampleItem) -> dict[str, Any]:
    """One import task, the model's predictions as a pre-annotation."""
    r = item.record
    result = [{"id": name, "from_name": name, "to_name": TEXT_NAME, "type": "choices",
               "value": {"choices": [pred.label]}, "score": round(pred.confidence, 4)}
              for name, pred in r.heads.items()]
    bias = r.heads.get("media_bias")
    if r.outlets and bias is not None and bias.label == "true":
        result.append({"id": OUTLETS, "from_name": OUTLETS, "to_name": TEXT_NAME,
                       "type": "textarea", "value": {"text": ["; ".join(r.outlets)]}})
    confidences = [p.confidence for p in r.heads.values()]
    score = sum(confidences) / len(confidences) if confidences else 0.0
    prediction = {"model_version": r.model, "score": round(score, 4), "result": result}
    return {"data": task_data(item), "predictions": [prediction] if result else []}


def write_tasks(result: SampleResult, path: str | Path) -> int:
    """The sample as a Label Studio import file (a JSON list, one task per line)."""
    tasks = [to_task(item) for item in result.items]
    with atomic_writer(path) as handle:
        handle.write("[\n" + ",\n".join(dumps(t) for t in tasks) + ("\n]\n" if tasks else "]\n"))
    return len(tasks)


def write_config(path: str | Path) -> None:
    with atomic_writer(path) as handle:
        handle.write(label_config())


def read_export(path: str | Path, builder: RowBuilder) -> None:
    """Read a Label Studio JSON (or JSON-MIN) export into `builder`."""
    for index, line, task in _load_tasks(path):
        if not isinstance(task, dict):
            builder.reject("that are not task objects", f"item {index}")
            continue
        if isinstance(task.get("stance"), dict) and "comment_id" in task:
            raise InputError("looks like label records from 'stance label' (predictions, not "
                             "annotations): sample them with 'stance sample', annotate, then "
                             "import Label Studio's export or the CSV", path=str(path), line=line)
        where = _where(index, task)
        if any(k in task for k in ("data", "annotations", "completions")):
            annotation = latest_annotation(task)
            if annotation is None:
                builder.reject("with no submitted annotation (none, or all cancelled)", where)
                continue
            labels = choices_from_result(annotation.get("result"), builder, where)
            data = task.get("data")
            context: Mapping[str, Any] = data if isinstance(data, dict) else {}
        else:  # JSON-MIN: one flat object per task, a key per control
            labels = {h: _min_choice(task[h], builder, where, h) for h in TASKS if h in task}
            if OUTLETS in task:
                labels[OUTLETS] = task[OUTLETS]
            context = task
        builder.add(context, labels, where)


def _load_tasks(path: str | Path) -> list[tuple[int, int | None, Any]]:
    """(index, line or None, task): a JSON list (or one task), or JSON Lines of tasks."""
    text, _ = decode_text(read_bytes(path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})",
                             path=str(path), line=exc.lineno) from None
        return [(i, n, obj) for i, (n, obj) in enumerate(iter_jsonl(path), start=1)]
    if isinstance(data, dict):
        return [(1, 1, data)]
    if not isinstance(data, list):
        raise InputError("expected a JSON list of Label Studio tasks", path=str(path))
    return [(i, None, task) for i, task in enumerate(data, start=1)]


def _where(index: int, task: Mapping[str, Any]) -> str:
    data = task.get("data")
    if not isinstance(data, Mapping):
        data = task
    name = f"task {task['id']}" if "id" in task and "data" in task else f"item {index}"
    if data.get("comment_id") is not None:
        name += f" ({data.get('thread_id')}/{data.get('comment_id')})"
    return name


def latest_annotation(task: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The most recently updated annotation that was not cancelled (skipped), if any."""
    raw = task.get("annotations", task.get("completions"))
    if not isinstance(raw, list):
        return None
    kept = [(str(a.get("updated_at") or a.get("created_at") or ""), i, a)
            for i, a in enumerate(raw) if isinstance(a, dict) and not a.get("was_cancelled")]
    return max(kept, key=lambda k: (k[0], k[1]))[2] if kept else None


def choices_from_result(result: Any, builder: RowBuilder, where: str) -> dict[str, Any]:
    """Head -> the chosen label from an annotation's result list (and the outlets' text)."""
    labels: dict[str, Any] = {}
    for item in result if isinstance(result, list) else []:
        if not isinstance(item, dict):
            continue
        head = item.get("from_name")
        value = item.get("value")
        if head == OUTLETS:
            labels[OUTLETS] = value.get("text") if isinstance(value, dict) else None
            continue
        choices = value.get("choices") if isinstance(value, dict) else None
        if head not in TASKS:
            builder.report.drop_label("results from controls that are not our heads", where)
            continue
        if isinstance(choices, list) and len(choices) > 1:
            builder.report.drop_label("labels with several choices for one head", where)
            continue
        if isinstance(choices, list) and choices:
            labels[str(head)] = choices[0]
    return labels


def _min_choice(value: Any, builder: RowBuilder, where: str, head: str) -> Any:
    if isinstance(value, dict):
        value = value.get("choices")
    if isinstance(value, list):
        if len(value) > 1:
            builder.report.drop_label("labels with several choices for one head",
                                      f"{where}: {head}")
            return None
        return value[0] if value else None
    return value
