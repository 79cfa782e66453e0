"""Read label records (CONTRACT.md) for sampling: streamed, one thread's records at a time.

Label records carry a comment's text and its `parent_id`, not the parent's text. Records of a
thread share `thread_id` and `stance label` writes them thread by thread, so the parent's text
(and the parent's own predictions, which the disagreement strategy reads) is found in the
same contiguous group. Memory stays bounded by the largest thread, not by the file.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.io import iter_jsonl
from stance.model.tasks import TASKS

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HeadPrediction:
    """One head's prediction: the label (CONTRACT name, "true"/"false" for binary heads) and
    a probability for every class of the head."""

    label: str
    probs: Mapping[str, float]

    @property
    def confidence(self) -> float:
        return float(self.probs.get(self.label, 0.0))


@dataclass(frozen=True, slots=True)
class Record:
    """The parts of a label record that sampling and export need."""

    thread_id: str
    comment_id: str
    parent_id: str | None
    text: str
    target: str
    model: str
    heads: Mapping[str, HeadPrediction]
    outlets: tuple[str, ...]
    line: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.thread_id, self.comment_id)


def _as_prob(value: Any, *, what: str, path: str, line: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise InputError(f"{what} is not a number ({value!r})", path=path, line=line)
    return min(1.0, max(0.0, float(value)))


def _binary_head(name: str, obj: Mapping[str, Any], path: str, line: int) -> HeadPrediction:
    label = obj.get("label")
    if isinstance(label, str) and label.lower() in ("true", "false"):
        label = label.lower() == "true"
    if not isinstance(label, bool):
        raise InputError(f"'{name}.label' must be true or false, not {label!r}",
                         path=path, line=line)
    score = obj.get("score")
    p = (1.0 if label else 0.0) if score is None else _as_prob(
        score, what=f"'{name}.score'", path=path, line=line)
    return HeadPrediction("true" if label else "false", {"false": 1.0 - p, "true": p})


def _class_head(name: str, obj: Mapping[str, Any], path: str, line: int) -> HeadPrediction:
    labels = TASKS[name].labels
    label = obj.get("label")
    if label not in labels:
        raise InputError(f"'{name}.label' is {label!r}, expected one of {', '.join(labels)}",
                         path=path, line=line)
    scores = obj.get("scores")
    if not isinstance(scores, dict) or not scores:
        # A record without scores still says what was predicted: treat it as certain.
        return HeadPrediction(label, {c: float(c == label) for c in labels})
    probs = {c: _as_prob(scores.get(c, 0.0), what=f"'{name}.scores.{c}'", path=path, line=line)
             for c in labels}
    return HeadPrediction(label, probs)


def parse_heads(obj: Mapping[str, Any], path: str, line: int) -> dict[str, HeadPrediction]:
    """Every head present (and not null) in a label record."""
    heads: dict[str, HeadPrediction] = {}
    for name, task in TASKS.items():
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise InputError(f"'{name}' must be an object or null", path=path, line=line)
        heads[name] = (_binary_head if task.binary else _class_head)(name, value, path, line)
    return heads


def _opt_id(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def record_from_dict(obj: Mapping[str, Any], path: str, line: int) -> Record:
    """Validate one label record; a missing id or text is a one-sentence InputError."""
    for key in ("thread_id", "comment_id"):
        if _opt_id(obj.get(key)) is None:
            raise InputError(f"label record has no '{key}'", path=path, line=line)
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError("label record has no 'text' string", path=path, line=line)
    stance = obj.get("stance")
    target = stance.get("target") if isinstance(stance, dict) else None
    bias = obj.get("media_bias")
    outlets = bias.get("targets") if isinstance(bias, dict) else None
    return Record(
        thread_id=str(obj["thread_id"]), comment_id=str(obj["comment_id"]),
        parent_id=_opt_id(obj.get("parent_id")), text=text,
        target=target if isinstance(target, str) else "",
        model=str(obj.get("model") or "unknown"),
        heads=parse_heads(obj, path, line),
        outlets=tuple(str(o) for o in outlets) if isinstance(outlets, list) else (),
        line=line)


def iter_thread_groups(path: str | Path) -> Iterator[list[Record]]:
    """Yield the records of each thread as one list, in file order.

    A thread whose records are not contiguous is yielded once per run of records; a reply
    whose parent sits in another run loses its parent's context here (the caller can look the
    text up in a second pass), and a warning says so once.
    """
    current: list[Record] = []
    finished: set[str] = set()
    warned = False
    for line, obj in iter_jsonl(path):
        record = record_from_dict(obj, str(path), line)
        if current and record.thread_id != current[0].thread_id:
            finished.add(current[0].thread_id)
            yield current
            current = []
        if not current and record.thread_id in finished and not warned:
            logger.warning("%s: records of thread %r are not contiguous (line %d); replies may "
                           "miss their parent's predictions", path, record.thread_id, line)
            warned = True
        current.append(record)
    if current:
        yield current


def find_texts(path: str | Path, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Second pass: the text of each wanted (thread_id, comment_id) found in a records file."""
    found: dict[tuple[str, str], str] = {}
    if not wanted:
        return found
    for _, obj in iter_jsonl(path):
        key = (str(obj.get("thread_id")), str(obj.get("comment_id")))
        text = obj.get("text")
        if key in wanted and isinstance(text, str):
            found[key] = text
            if len(found) == len(wanted):
                break
    return found
