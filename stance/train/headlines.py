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

    python -m stance.train.headlines MODEL --claims [--quantize auto]

asks the same of the claim heads, through the inference engine as `stance label` runs it: the
comment_claims dev rows are scored alone (as `stance evaluate` scores them) and under real
headlines (`news_headlines`: the headline words of BABE's article addresses, a different
random headline per row), where a claim is the comment's whatever the thread is about, so the
gold labels stay. Media-bias and conspiracy F1 at the model's own thresholds; under headlines
both as `stance label` reads them (with the model's target-free re-read, `reread_alone`) and
with every comment read once. `--seed` draws other headlines: differences under about 0.04
between draws are the draw's.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
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


_SLUG_WORD = re.compile(r"^[a-z][a-z']*$")


def news_headlines(data: Path) -> list[str]:
    """Headlines of real news articles: the words of the address slugs of BABE's sentences
    ("/2020/06/law-and-order-is-a-debased-concept/" -> "Law and order is a debased
    concept"), 5 to 16 words of letters only, sorted and unique; [] without BABE."""
    found: set[str] = set()
    for path in sorted((data / "babe").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                address = (row.get("news_link") or "").split("?")[0].split("#")[0]
                parts = [p for p in address.rstrip("/").split("/")[3:] if p.count("-") >= 4]
                if not parts:
                    continue
                words = parts[-1].lower().removesuffix(".html").split("-")
                if 5 <= len(words) <= 16 and all(_SLUG_WORD.match(w) for w in words):
                    found.add(" ".join(words).capitalize())
    return sorted(found)


def claims_under_headlines(model_dir: str, data: Path, quantize: str = "auto",
                           seed: int = 5) -> dict[str, Any]:
    """Media-bias and conspiracy F1 on comment_claims dev, alone and under real headlines,
    through the inference engine (`stance label`'s path)."""
    from stance.errors import InputError
    from stance.infer.config import InferenceConfig
    from stance.infer.deveval import as_threads
    from stance.infer.labeler import Labeler
    from stance.train.data import load_source
    from stance.train.metrics import head_metrics

    rows = [r for r in load_source(data / "comment_claims", "dev")
            if r.get("media_bias") is not None or r.get("conspiracy") is not None]
    headlines = news_headlines(data)
    if not rows or not headlines:
        raise InputError("needs comment_claims and babe in the data folder", path=str(data))
    rng = random.Random(seed)
    labelers = {reread: Labeler(model_dir, InferenceConfig(
        device="cpu", quantize=quantize, progress=False, reread=reread))
        for reread in (True, False)}
    out: dict[str, Any] = {"model": model_dir, "rows": len(rows), "headlines": len(headlines),
                           "quantize": quantize}
    drawn = [rng.choice(headlines) for _ in rows]
    # under_headline is what `stance label` gives (with the model's target-free re-read, if it
    # has one); under_headline_one_pass reads every comment once, under its headline.
    for reading in ("alone", "under_headline", "under_headline_one_pass"):
        targets = [""] * len(rows) if reading == "alone" else drawn
        copies = [{"text": r["text"], "target": t} for r, t in zip(rows, targets, strict=True)]
        records = list(labelers[reading != "under_headline_one_pass"].label(as_threads(copies)))
        for task in ("media_bias", "conspiracy"):
            pairs = [(str(bool(r[task])).lower(), str(rec[task]["label"]).lower())
                     for r, rec in zip(rows, records, strict=True) if r.get(task) is not None]
            scored = head_metrics(task, [g for g, _ in pairs], [p for _, p in pairs])
            out[f"{task}_f1_{reading}"] = round(scored.get(f"{task}_f1", 0.0), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    from stance.errors import StanceError
    from stance.train.data import data_root

    p = argparse.ArgumentParser(prog="python -m stance.train.headlines",
                                description=__doc__.split("\n")[0])
    p.add_argument("model")
    p.add_argument("--data", type=Path, default=None)
    p.add_argument("--rows", type=int, default=1500)
    p.add_argument("--claims", action="store_true",
                   help="score the claim heads alone and under headlines instead")
    p.add_argument("--quantize", default="auto", help="with --claims: auto, int8 or none")
    p.add_argument("--seed", type=int, default=5, help="with --claims: the draw of headlines")
    args = p.parse_args(argv)
    try:
        if args.claims:
            print(json.dumps(claims_under_headlines(args.model, data_root(args.data),
                                                    args.quantize, args.seed)))
        else:
            print(json.dumps(compare(args.model, data_root(args.data), args.rows)))
    except StanceError as exc:
        print(f"stance: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
