"""A small thread corpus with the awkward cases a shard boundary must not disturb.

A plain module (not a conftest) so that its name cannot clash with other test folders.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

WORDS = ("the", "council", "lied", "about", "stadium", "tax", "CNN", "never", "reports", "it",
         "agree", "nonsense", "why", "would", "they", "hide", "this", "great", "idea", "é", "猫")


def make_threads(count: int = 12, seed: int = 7) -> list[dict[str, Any]]:
    """Threads of uneven size with replies; one lacks a thread_id, one has a target, one has
    a duplicate comment id and one has no comments."""
    rnd = random.Random(seed)
    threads: list[dict[str, Any]] = []
    for t in range(count):
        comments: list[dict[str, Any]] = []
        for c in range(rnd.choice((0, 1, 2, 3, 5, 8)) if t else 4):
            parent = rnd.choice([None, *[x["id"] for x in comments]]) if comments else None
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 30)))
            comments.append({"id": f"c{c}", "parent_id": parent, "text": text})
        thread: dict[str, Any] = {"thread_id": f"t{t}", "comments": comments,
                                  "article": {"title": f"Article {t}", "text": "Body."}}
        threads.append(thread)
    specials = [lambda t: t.pop("thread_id"),
                lambda t: t.update(target="the stadium tax"),
                lambda t: t.update(comments=[{"id": "a", "text": "one"},
                                             {"id": "a", "text": "two"}]),
                lambda t: t.update(comments=[])]
    for thread, special in zip(threads[3:], specials, strict=False):
        special(thread)
    return threads


def write_jsonl(path: Path, threads: list[dict[str, Any]], blank_every: int = 0) -> Path:
    lines = []
    for i, thread in enumerate(threads):
        lines.append(json.dumps(thread, ensure_ascii=False))
        if blank_every and i % blank_every == 0:
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
