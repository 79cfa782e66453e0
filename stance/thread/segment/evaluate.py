"""Site-disjoint evaluation of the learned segmenter on annotated real pages.

``python -m stance.thread.segment.evaluate --data DIR [--folds 5] [--output metrics.json]``
splits DIR/real_threads_dev into folds (every page is from a different site, so page-disjoint
folds are site-disjoint), fits the segmenter on the renders plus the pages of the other folds,
and scores each page with the weights that never saw it. It reports boundary P/R/F1, parent
accuracy and leaked artifacts overall and for the first 12 pages (numbered below 40) and the
27 added later, and scores the seed page(s) with an annotation using weights fitted on every
dev page (the seeds are never trained on). Both the learned tagger alone ("learned") and the
default choice ("auto": the rule layouts where they recognise comment blocks) are scored;
the rules were written against the first 12 pages, so only the learned tagger's numbers and
the 27 added pages are site-disjoint for "auto". `--blogger N` also scores `stance parse` on
Blogger pages rendered from N real reply trees as HTML, full text and lossy text
(`render.blogger`), `--lists N` on comment lists as a text browser prints them (bullets
or numbers, replies nested; `render.lists`), and `--copies N` on select-all copies of generic
pages with random markup, the comment form, sidebars and footer included (`render.htmlpages`).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stance.thread.formats.text import parse_text
from stance.thread.model import Thread
from stance.thread.score import FileScore, Summary, annotated_files, score_thread
from stance.thread.segment.perceptron import Perceptron
from stance.thread.segment.train import Example, TrainConfig, dev_examples, fit, render_examples
from stance.thread.tree import repair

if TYPE_CHECKING:
    from stance.thread.segment.render.blogger import BloggerPage

logger = logging.getLogger(__name__)

_OLD_PAGES = 40  # pages numbered below this were the first 12 of real_threads_dev


CHOICES = ("learned", "auto")


def _parse(page: Path, model: Perceptron, choice: str) -> Thread:
    text = page.read_text(encoding="utf-8", errors="replace")
    return repair(parse_text(text, page.name, "text", segmenter=model, choice=choice))


def score_pages(pages: list[tuple[Path, Path]], model: Perceptron,
                choice: str = "learned") -> list[FileScore]:
    out = []
    for page, note in pages:
        expected = json.loads(note.read_text(encoding="utf-8"))
        out.append(score_thread(page.name, expected, _parse(page, model, choice)))
    return out


def blogger_scores(data: Path, count: int, seed: int = 5) -> dict[str, dict[str, Any]]:
    """The default parser (`stance parse`, shipped weights) on Blogger pages rendered from
    `count` real reply trees in each form (`render.blogger`): a summary per form."""
    from stance.thread.segment.render.blogger import FORMS, blogger_pages

    return _rendered_scores(blogger_pages(data, count, seed), FORMS)


def list_scores(data: Path, count: int, seed: int = 5) -> dict[str, dict[str, Any]]:
    """The default parser on comment lists as a text browser prints them (bullets or numbers,
    replies nested), rendered from `count` real reply trees in each form (`render.lists`)."""
    from stance.thread.segment.render.lists import FORMS, list_pages

    return _rendered_scores(list_pages(data, count, seed), FORMS)


def copy_scores(data: Path, count: int, seed: int = 5, blank_lines: bool = True
                ) -> dict[str, Any]:
    """The text parser on select-all copies of generic pages rendered from `count` real reply
    trees (`render.htmlpages`: random markup, then the form, sidebars and footer after the
    comments); without `blank_lines`, the copies lose their blank lines, as some copies do."""
    from stance.thread.segment.render.htmlpages import copy_reading, html_pages, text_copy

    rows = []
    for name, page, gold in html_pages(data, count, seed):
        text = text_copy(page)
        if not blank_lines:
            text = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", text)
        thread = repair(parse_text(text, f"{name}.txt", "text"))
        rows.append(score_thread(f"{name}.txt", copy_reading(gold), thread))
    return Summary(rows).to_dict()


def _rendered_scores(pages: Iterable[BloggerPage], forms: tuple[str, ...]
                     ) -> dict[str, dict[str, Any]]:
    import tempfile

    from stance.thread.parse import ParseOptions, parse_path

    scores: dict[str, list[FileScore]] = {form: [] for form in forms}
    with tempfile.TemporaryDirectory(prefix="stance-rendered-") as tmp:
        for page in pages:
            path = Path(tmp) / f"{page.name}-{page.form}{page.suffix}"
            path.write_text(page.text, encoding="utf-8")
            thread = repair(next(iter(parse_path(path, ParseOptions()))))
            scores[page.form].append(score_thread(path.name, page.expected, thread))
    return {form: Summary(rows).to_dict() for form, rows in scores.items()}


def _is_old(name: str) -> bool:
    match = re.match(r"(\d+)_", name)
    return match is not None and int(match.group(1)) < _OLD_PAGES


def cross_validate(dev: Path, renders: list[Example], folds: int,
                   config: TrainConfig) -> dict[str, list[FileScore]]:
    """Every dev page scored by weights fitted without it (nor any page of its fold), with
    the learned tagger alone and with the default choice ("auto")."""
    pages = annotated_files(dev)
    scores: dict[str, list[FileScore]] = {choice: [] for choice in CHOICES}
    for fold in range(folds):
        held = [p for k, p in enumerate(pages) if k % folds == fold]
        keep = [p.name for k, (p, _) in enumerate(pages) if k % folds != fold]
        model = fit(renders + dev_examples(dev, keep, config.dev_weight), config)
        for choice in CHOICES:
            scores[choice] += score_pages(held, model, choice)
        logger.info("fold %d: %s", fold + 1, Summary(scores["learned"]).to_dict())
    return scores


def report(scores: list[FileScore]) -> dict[str, Any]:
    return {"all": Summary(scores).to_dict(),
            "first_12": Summary([s for s in scores if _is_old(s.name)]).to_dict(),
            "added_27": Summary([s for s in scores if not _is_old(s.name)]).to_dict(),
            "files": [s.as_row() for s in scores]}


def evaluate(data: Path, seeds: Path | None, folds: int, config: TrainConfig) -> dict[str, Any]:
    renders = render_examples(data, config)
    dev = data / "real_threads_dev"
    scores = cross_validate(dev, renders, folds, config)
    out: dict[str, Any] = {"config": config.to_dict(), "folds": folds,
                           "site_disjoint": {c: report(s) for c, s in scores.items()}}
    if seeds is not None and seeds.is_dir():
        model = fit(renders + dev_examples(dev, None, config.dev_weight), config)
        out["seeds"] = {c: report(score_pages(annotated_files(seeds), model, c))
                        for c in CHOICES}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--seeds", default="../shared/seeds")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--renders", type=int, default=TrainConfig.renders)
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--dev-weight", type=float, default=TrainConfig.dev_weight)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--blogger", type=int, default=60,
                        help="also score Blogger pages rendered from this many real trees")
    parser.add_argument("--lists", type=int, default=60,
                        help="also score comment lists rendered from this many real trees")
    parser.add_argument("--copies", type=int, default=0,
                        help="also score select-all copies of generic pages from this many trees")
    parser.add_argument("--output", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = TrainConfig(renders=args.renders, epochs=args.epochs, dev_weight=args.dev_weight,
                         seed=args.seed)
    result = evaluate(Path(args.data), Path(args.seeds), args.folds, config)
    if args.blogger:
        result["blogger"] = blogger_scores(Path(args.data), args.blogger)
    if args.lists:
        result["lists"] = list_scores(Path(args.data), args.lists)
    if args.copies:
        result["copies"] = {"all": copy_scores(Path(args.data), args.copies),
                            "no_blank_lines": copy_scores(Path(args.data), args.copies,
                                                          blank_lines=False)}
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    brief = {c: {k: {m: v[m] for m in ("boundary_f1", "parent_accuracy", "leaked_artifacts")}
                 for k, v in r.items() if k != "files"}
             for c, r in result["site_disjoint"].items()}
    seeds = {c: r["all"] for c, r in (result.get("seeds") or {}).items()}
    rendered = {key: {f: {m: r[m] for m in ("boundary_f1", "parent_accuracy", "leaked_artifacts")}
                      for f, r in (result.get(key) or {}).items()}
                for key in ("blogger", "lists", "copies")}
    print(json.dumps({"site_disjoint": brief, "seeds": seeds, **rendered}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
