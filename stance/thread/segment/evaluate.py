"""Site-disjoint evaluation of the learned segmenter on annotated real pages.

``python -m stance.thread.segment.evaluate --data DIR [--folds 5] [--output metrics.json]``
splits DIR/real_threads_dev into folds (every page is from a different site, so page-disjoint
folds are site-disjoint), fits the segmenter on the renders plus the pages of the other folds,
and scores each page with the weights that never saw it. It reports boundary P/R/F1, parent
accuracy and leaked artifacts overall and for the first 12 pages (numbered below 40) and the
27 added later, and scores the seed page(s) with an annotation using weights fitted on every
dev page (the seeds are never trained on).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from pathlib import Path
from typing import Any

from stance.thread.formats.text import parse_text
from stance.thread.model import Thread
from stance.thread.score import FileScore, Summary, annotated_files, score_thread
from stance.thread.segment.perceptron import Perceptron
from stance.thread.segment.train import Example, TrainConfig, dev_examples, fit, render_examples
from stance.thread.tree import repair

logger = logging.getLogger(__name__)

_OLD_PAGES = 40  # pages numbered below this were the first 12 of real_threads_dev


def _parse(page: Path, model: Perceptron) -> Thread:
    text = page.read_text(encoding="utf-8", errors="replace")
    return repair(parse_text(text, page.name, "text", segmenter=model))


def score_pages(pages: list[tuple[Path, Path]], model: Perceptron) -> list[FileScore]:
    out = []
    for page, note in pages:
        expected = json.loads(note.read_text(encoding="utf-8"))
        out.append(score_thread(page.name, expected, _parse(page, model)))
    return out


def _is_old(name: str) -> bool:
    match = re.match(r"(\d+)_", name)
    return match is not None and int(match.group(1)) < _OLD_PAGES


def cross_validate(dev: Path, renders: list[Example], folds: int,
                   config: TrainConfig) -> list[FileScore]:
    """Every dev page scored by weights fitted without it (nor any page of its fold)."""
    pages = annotated_files(dev)
    scores: list[FileScore] = []
    for fold in range(folds):
        held = [p for k, p in enumerate(pages) if k % folds == fold]
        keep = [p.name for k, (p, _) in enumerate(pages) if k % folds != fold]
        model = fit(renders + dev_examples(dev, keep, config.dev_weight), config)
        scores += score_pages(held, model)
        logger.info("fold %d: %s", fold + 1, Summary(scores).to_dict())
    return scores


def report(scores: list[FileScore]) -> dict[str, Any]:
    return {"all": Summary(scores).to_dict(),
            "first_12": Summary([s for s in scores if _is_old(s.name)]).to_dict(),
            "added_27": Summary([s for s in scores if not _is_old(s.name)]).to_dict(),
            "files": [s.as_row() for s in scores]}


def evaluate(data: Path, seeds: Path | None, folds: int, config: TrainConfig) -> dict[str, Any]:
    renders = render_examples(data, config)
    dev = data / "real_threads_dev"
    out: dict[str, Any] = {"config": config.to_dict(), "folds": folds,
                           "site_disjoint": report(cross_validate(dev, renders, folds, config))}
    if seeds is not None and seeds.is_dir():
        model = fit(renders + dev_examples(dev, None, config.dev_weight), config)
        out["seeds"] = report(score_pages(annotated_files(seeds), model))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--seeds", default="../shared/seeds")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--renders", type=int, default=TrainConfig.renders)
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--output", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = TrainConfig(renders=args.renders, epochs=args.epochs)
    result = evaluate(Path(args.data), Path(args.seeds), args.folds, config)
    for row in result["site_disjoint"]["files"]:
        logger.info("%s", row)
    text = json.dumps({k: v for k, v in result.items()}, indent=1)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    print(json.dumps({"site_disjoint": {k: result["site_disjoint"][k] for k in
                                        ("all", "first_12", "added_27")},
                      "seeds": (result.get("seeds") or {}).get("all")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
