"""The heads and their label names (CONTRACT.md). The one place that lists them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Task:
    name: str
    labels: tuple[str, ...]  # class names; a binary task has ("false", "true")
    binary: bool = False
    pair: str = "target"  # what the comment is read with: "target" or "parent"


STANCE = Task("stance", ("favor", "against", "query", "none"))
AGREEMENT = Task("agreement", ("agree", "disagree", "neutral"), pair="parent")
SENTIMENT = Task("sentiment", ("positive", "negative", "neutral"))
MEDIA_BIAS = Task("media_bias", ("false", "true"), binary=True)
CONSPIRACY = Task("conspiracy", ("false", "true"), binary=True)

TASKS: dict[str, Task] = {t.name: t for t in (STANCE, AGREEMENT, SENTIMENT, MEDIA_BIAS, CONSPIRACY)}
TASK_NAMES: tuple[str, ...] = tuple(TASKS)
