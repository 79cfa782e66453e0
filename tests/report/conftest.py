"""Fixtures for the report tests: paths to the hand-written and generated label files."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "labels"
STANCES = ("favor", "against", "query", "none")


@pytest.fixture(scope="session")
def labels_dir() -> Path:
    return LABELS


@pytest.fixture(scope="session")
def small_records() -> list[dict[str, Any]]:
    with open(LABELS / "small.labels.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def make_records() -> Callable[[int, int, int], list[dict[str, Any]]]:
    return synthetic_records


def synthetic_records(seed: int, threads: int, per_thread: int) -> list[dict[str, Any]]:
    """Random but valid records, grouped by thread, each reply's parent earlier in its thread."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for t in range(threads):
        for i in range(rng.randint(1, per_thread)):
            parent = f"c{rng.randrange(i)}" if i and rng.random() < 0.7 else None
            stance = rng.choice(STANCES)
            out.append({
                "thread_id": f"t{t}", "comment_id": f"c{i}", "parent_id": parent,
                "text": f"comment {i} of thread {t}",
                "stance": {"label": stance, "scores": {s: (0.7 if s == stance else 0.1)
                                                       for s in STANCES}},
                "agreement": {"label": rng.choice(("agree", "neutral", "disagree"))}
                if parent else None,
                "sentiment": {"label": rng.choice(("positive", "neutral", "negative"))},
                "media_bias": {"label": rng.random() < 0.2,
                               "targets": [rng.choice(("A", "B", "C"))]},
                "conspiracy": {"label": rng.random() < 0.1},
            })
    return out
