"""Score the HTML reader against trafilatura alone on annotated pages.

A folder holds `NAME.html` pages and `NAME.json` annotations: `article` (the article's text,
headline left out), `comments` (`author`, `text`, `parent` as an index into the list or null)
and `not_comment` (snippets of navigation, teasers, forms and the article that must not appear
in any comment). For each page:

- article word F1 (bags of lowercased words) of `stance parse` and of trafilatura alone
  (`bare_extraction`, default settings, comments left out, headline removed as we do);
- comment recall (a gold comment's text inside some found comment), exact comments, authors and
  parents of the recalled ones, for stance; recall for trafilatura's comment section;
- leaks: `not_comment` snippets and article lines that land in comments (stance) or in
  trafilatura's comment section, and gold comments left in the article.

    python -m stance.thread.formats.htmleval tests/fixtures/html/generic
    python -m stance.thread.formats.htmleval --rendered 150 --data ../shared/data

`--rendered N` scores pages rendered from N real reply trees with markup drawn at random per
page (`stance.thread.segment.render.htmlpages`) instead of a folder.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from stance.thread.formats import htmlarticle
from stance.thread.parse import ParseOptions, parse_path


@dataclass(frozen=True)
class PageScore:
    name: str
    article_f1: float
    trafilatura_f1: float
    gold_comments: int
    found_comments: int
    recalled: int
    exact: int
    authors: int
    parents: int
    trafilatura_recalled: int
    leaks: int
    trafilatura_leaks: int
    comments_in_article: int


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def word_f1(found: str, gold: str) -> float:
    got = Counter(re.findall(r"\w+", found.lower()))
    want = Counter(re.findall(r"\w+", gold.lower()))
    if not got and not want:
        return 1.0
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _trafilatura(html: str) -> tuple[str, str]:
    """(article text, comment section) from trafilatura alone."""
    main = htmlarticle.trafilatura_document(html, comments=False) or {}
    text, title = str(main.get("text") or ""), str(main.get("title") or "")
    if title and text.startswith(title):
        text = text[len(title):].lstrip()
    full = htmlarticle.trafilatura_document(html, comments=True) or {}
    return text, str(full.get("comments") or "")


def _snippets(gold: dict[str, object]) -> list[str]:
    """What must stay out of comments: the annotated snippets and the article's lines."""
    lines = [ln[:40] for ln in str(gold.get("article") or "").split("\n") if len(ln) >= 30]
    listed = gold.get("not_comment") or []
    return [_norm(s) for s in [*(listed if isinstance(listed, list) else []), *lines]]


def score_page(html_path: Path) -> PageScore:
    gold = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
    (thread,) = list(parse_path(html_path, ParseOptions()))
    ours = thread.article.text if thread.article else ""
    theirs, their_comments = _trafilatura(html_path.read_text(encoding="utf-8"))
    texts = [_norm(c.text) for c in thread.comments]
    wanted = gold["comments"]
    match: dict[int, int] = {}
    for g, item in enumerate(wanted):
        hit = next((n for n, t in enumerate(texts) if _norm(item["text"]) in t), None)
        if hit is not None:
            match[g] = hit
    ids = [c.id for c in thread.comments]
    parents = sum(1 for g, n in match.items() if thread.comments[n].parent_id == (
        None if wanted[g]["parent"] is None or wanted[g]["parent"] not in match
        else ids[match[wanted[g]["parent"]]]))
    snippets = _snippets(gold)
    return PageScore(
        name=html_path.stem, article_f1=word_f1(ours, gold["article"]),
        trafilatura_f1=word_f1(theirs, gold["article"]), gold_comments=len(wanted),
        found_comments=len(texts), recalled=len(match),
        exact=sum(1 for g, n in match.items() if texts[n] == _norm(wanted[g]["text"])),
        authors=sum(1 for g, n in match.items()
                    if thread.comments[n].author == wanted[g]["author"]),
        parents=parents,
        trafilatura_recalled=sum(1 for item in wanted
                                 if _norm(item["text"]) in _norm(their_comments)),
        leaks=sum(1 for s in snippets for t in texts if s in t),
        trafilatura_leaks=sum(1 for s in snippets if s in _norm(their_comments)),
        comments_in_article=sum(1 for item in wanted if _norm(item["text"]) in _norm(ours)))


def score_folder(folder: Path) -> list[PageScore]:
    return [score_page(path) for path in sorted(folder.glob("*.html"))]


def summary(scores: list[PageScore]) -> dict[str, float | int]:
    """Totals over pages: comment recall, exact texts, authors and parents of the recalled
    comments, leaks, and the same for trafilatura where it has them."""
    gold = sum(s.gold_comments for s in scores)
    recalled = sum(s.recalled for s in scores)
    n = len(scores) or 1

    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 0.0

    return {"pages": len(scores), "comments": gold,
            "article_f1": round(sum(s.article_f1 for s in scores) / n, 4),
            "trafilatura_article_f1": round(sum(s.trafilatura_f1 for s in scores) / n, 4),
            "recall": share(recalled, gold), "exact": share(sum(s.exact for s in scores), gold),
            "authors": share(sum(s.authors for s in scores), recalled),
            "parents": share(sum(s.parents for s in scores), recalled),
            "trafilatura_recall": share(sum(s.trafilatura_recalled for s in scores), gold),
            "leaks": sum(s.leaks for s in scores),
            "trafilatura_leaks": sum(s.trafilatura_leaks for s in scores),
            "comments_in_article": sum(s.comments_in_article for s in scores)}


def score_rendered(data: Path, count: int, seed: int = 5) -> list[PageScore]:
    """Pages rendered from `count` real reply trees of the data folder, scored."""
    import tempfile

    from stance.thread.segment.render.htmlpages import html_pages

    with tempfile.TemporaryDirectory(prefix="stance-html-") as tmp:
        for name, page, gold in html_pages(data, count, seed):
            (Path(tmp) / f"{name}.html").write_text(page, encoding="utf-8")
            (Path(tmp) / f"{name}.json").write_text(json.dumps(gold), encoding="utf-8")
        return score_folder(Path(tmp))


def _report(scores: list[PageScore]) -> str:
    head = (f"{'page':28} {'art F1':>6} {'traf':>6} {'gold':>4} {'found':>5} {'recall':>6} "
            f"{'exact':>5} {'auth':>4} {'par':>4} {'t.rec':>5} {'leak':>4} {'t.leak':>6} "
            f"{'c.in.art':>8}")
    rows = [head]
    for s in scores:
        rows.append(f"{s.name[:28]:28} {s.article_f1:6.3f} {s.trafilatura_f1:6.3f} "
                    f"{s.gold_comments:4} {s.found_comments:5} {s.recalled:6} {s.exact:5} "
                    f"{s.authors:4} {s.parents:4} {s.trafilatura_recalled:5} {s.leaks:4} "
                    f"{s.trafilatura_leaks:6} {s.comments_in_article:8}")
    n = len(scores) or 1
    gold = sum(s.gold_comments for s in scores) or 1
    rows.append(
        f"mean article F1 {sum(s.article_f1 for s in scores) / n:.3f} (trafilatura "
        f"{sum(s.trafilatura_f1 for s in scores) / n:.3f}); comment recall "
        f"{sum(s.recalled for s in scores) / gold:.3f} (trafilatura "
        f"{sum(s.trafilatura_recalled for s in scores) / gold:.3f}); leaks "
        f"{sum(s.leaks for s in scores)} (trafilatura {sum(s.trafilatura_leaks for s in scores)})")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", help="annotated pages (NAME.html + NAME.json)")
    parser.add_argument("--rendered", type=int, default=0,
                        help="score pages rendered from this many real trees instead")
    parser.add_argument("--data", default="../shared/data", help="STANCE_DATA (--rendered)")
    parser.add_argument("--seed", type=int, default=5, help="render seed (--rendered)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.rendered:
        if not Path(args.data).is_dir():
            print(f"htmleval: no data folder at {args.data}", file=sys.stderr)
            return 2
        scores = score_rendered(Path(args.data), args.rendered, args.seed)
        print(_report(scores))
        print(json.dumps(summary(scores)))
        return 0
    if not args.folder or not Path(args.folder).is_dir():
        print("usage: python -m stance.thread.formats.htmleval FOLDER | --rendered N",
              file=sys.stderr)
        return 2
    print(_report(score_folder(Path(args.folder))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
