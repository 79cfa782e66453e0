"""Does a model read a headline target as it reads the entity the headline is about?

    python -m stance.train.headlines MODEL [--data $STANCE_DATA] [--rows 1500]

Takes a seeded sample of the dev rows of the entity-target stance datasets (SemEval-2016,
P-Stance, VAST; MT-CSD's targets are entities too but its rows need their parents) and scores
the model's stance macro-F1 twice: under the rows' own targets ("Hillary Clinton") and under
headline-shaped targets around them (`recipe.HEADLINES`, e.g. "Debate over Hillary Clinton
heats up"), which report on the entity without taking a side, so the gold stance is the same.
A thread's target is usually such a headline; the gap between the two figures is what a
model loses on it. A third figure takes the rows whose text names the entity and scores
them as named, then under a headline with the name replaced by "it"/"this"
(`pronoun_rows`), as reader comments refer to a headline's subject. fp32 torch on the CPU;
prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

#: The dev sets whose targets are entities and whose rows stand alone.
DATASETS = ("semeval2016_stance_tweeteval", "pstance", "vast")


def headline_rows(rows: list[dict[str, Any]], seed: int = 5) -> list[dict[str, Any]]:
    """The same rows, each under a headline around its own target (copies)."""
    from stance.train.recipe import add_headline_targets

    copies = [dict(r) for r in rows]
    add_headline_targets(copies, 1.0, seed)
    return copies


def pronoun_rows(rows: list[dict[str, Any]], seed: int = 5
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows whose text names their entity (as they are), and copies of them under a
    headline around it whose text names it only as "it"/"this" (`recipe.refer_back`)."""
    from stance.train.recipe import add_headline_targets

    copies = [dict(r) for r in rows]
    add_headline_targets(copies, 1.0, seed, anaphora=1.0)
    keep = [k for k, (c, r) in enumerate(zip(copies, rows, strict=True)) if c["text"] != r["text"]]
    return [rows[k] for k in keep], [copies[k] for k in keep]


def compare(model_dir: str, data: Path, count: int = 1500, seed: int = 0) -> dict[str, Any]:
    from stance.model.io import load_model
    from stance.train.data import load_source
    from stance.train.evaluate import evaluate_model

    rows: list[dict[str, Any]] = []
    for name in DATASETS:
        if (data / name).is_dir():
            rows += load_source(data / name, "dev")
    random.Random(seed).shuffle(rows)
    rows = rows[:count]
    model, tokenizer = load_model(model_dir)
    own = evaluate_model(model, tokenizer, rows, 64).metrics
    headline = evaluate_model(model, tokenizer, headline_rows(rows), 64).metrics
    named, pronoun = pronoun_rows(rows)
    named_f1 = evaluate_model(model, tokenizer, named, 64).metrics if named else {}
    pronoun_f1 = evaluate_model(model, tokenizer, pronoun, 64).metrics if pronoun else {}
    return {"model": model_dir, "rows": len(rows),
            "entity_target_macro_f1": round(own["stance_macro_f1"], 4),
            "headline_target_macro_f1": round(headline["stance_macro_f1"], 4),
            "pronoun_rows": len(pronoun),
            "named_entity_target_macro_f1": round(named_f1.get("stance_macro_f1", 0.0), 4),
            "pronoun_headline_macro_f1": round(pronoun_f1.get("stance_macro_f1", 0.0), 4)}


def main(argv: list[str] | None = None) -> int:
    from stance.errors import StanceError
    from stance.train.data import data_root

    p = argparse.ArgumentParser(prog="python -m stance.train.headlines",
                                description=__doc__.split("\n")[0])
    p.add_argument("model")
    p.add_argument("--data", type=Path, default=None)
    p.add_argument("--rows", type=int, default=1500)
    args = p.parse_args(argv)
    try:
        print(json.dumps(compare(args.model, data_root(args.data), args.rows)))
    except StanceError as exc:
        print(f"stance: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
