"""Macro-F1 per head on a slice of the annotated dev data, through the inference engine.

The bench uses it to show what each inference choice costs or gains in accuracy (int8 against
fp32, the target read with the comment against the comment alone) on real labelled comments,
not only how far the scores move. Rows with a parent are labelled as a two-comment thread, so
agreement comes from the parent's own pass, exactly as `stance label` computes it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.model.tasks import TASKS
from stance.thread.model import Comment, Thread

#: Dataset folders read for each head (their "dev" split).
SOURCES = {"stance": ("semeval2016_stance_tweeteval", "rumoureval2019"),
           "agreement": ("subreddit_agreement",), "sentiment": ("tweeteval_sentiment",),
           "media_bias": ("comment_claims",), "conspiracy": ("comment_claims",)}


def dev_rows(root: Path, per_head: dict[str, int], seed: int = 0) -> list[dict[str, Any]]:
    """Up to `per_head[task]` labelled dev rows for each head (seeded sample)."""
    from stance.train.data import load_source

    loaded: dict[str, list[dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    for task, folders in SOURCES.items():
        pool: list[dict[str, Any]] = []
        for name in folders:
            if (root / name).is_dir():
                if name not in loaded:
                    loaded[name] = load_source(root / name, "dev")
                pool.extend(r for r in loaded[name] if r.get(task) is not None)
        for row in random.Random(seed).sample(pool, min(per_head.get(task, 0), len(pool))):
            if id(row) not in seen:
                seen.add(id(row))
                rows.append(row)
    return rows


def as_threads(rows: Sequence[dict[str, Any]], with_target: bool = True) -> list[Thread]:
    """One thread per row: the row's comment, after its parent when it has one."""
    threads = []
    for i, row in enumerate(rows):
        comment = Comment("c", str(row["text"]))
        if row.get("parent_text"):
            comments: tuple[Comment, ...] = (Comment("p", str(row["parent_text"])),
                                             Comment("c", comment.text, "p"))
        else:
            comments = (comment,)
        target = str(row.get("target") or "") if with_target else ""
        threads.append(Thread(f"r{i}", comments, target=target or None))
    return threads


def macro_f1(rows: Sequence[dict[str, Any]], records: Sequence[dict[str, Any]]
             ) -> dict[str, float]:
    """Macro-F1 per head over the rows labelled for it (records: the rows' own comments)."""
    from sklearn.metrics import f1_score

    out: dict[str, float] = {}
    for task, spec in TASKS.items():
        gold, pred = [], []
        for row, record in zip(rows, records, strict=True):
            if row.get(task) is None or record.get(task) is None:
                continue
            gold.append(str(row[task]).lower())
            pred.append(str(record[task]["label"]).lower())
        if gold:
            labels = [label.lower() for label in spec.labels]
            out[task] = float(f1_score(gold, pred, labels=labels, average="macro",
                                       zero_division=0))
    return out


def evaluate(labeler: Any, rows: Sequence[dict[str, Any]], with_target: bool = True
             ) -> dict[str, float]:
    records = [r for r in labeler.label(as_threads(rows, with_target)) if r["comment_id"] == "c"]
    return macro_f1(rows, records)
