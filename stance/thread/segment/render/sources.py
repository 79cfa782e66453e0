"""Real comment trees from the shared datasets, read into one small shape for rendering.

Every reader returns `Tree`s: comments in reading order, each with its text and the index
of its parent (None for top level). Reply trees come from RumourEval (Reddit and Twitter),
MT-CSD (Reddit paths) and the SubReddit quote/response pairs; flat comment sections from the
SFU news comments (grouped by article), VAST and comment_claims. Readers skip what is missing,
so a partial data folder still gives trees.

`load_articles` gives article text above the comments: news sentences (BABE's, grouped by
outlet and topic into paragraphs), so that a story reads as reporting and a comment section
as readers talking, as on real pages.
"""

from __future__ import annotations

import csv
import json
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

csv.field_size_limit(10_000_000)


@dataclass(frozen=True, slots=True)
class Tree:
    texts: tuple[str, ...]
    parents: tuple[int | None, ...]
    source: str

    def __len__(self) -> int:
        return len(self.texts)


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _ordered(ids: list[str], parent_of: dict[str, str | None], text_of: dict[str, str],
             source: str) -> Tree | None:
    """Depth-first reading order (explicit stack), parents as indices."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for cid in ids:
        parent = parent_of.get(cid)
        children[parent if parent in text_of else None].append(cid)
    order: list[str] = []
    stack = list(reversed(children[None]))
    while stack:
        cid = stack.pop()
        order.append(cid)
        stack.extend(reversed(children.get(cid, [])))
    position = {cid: k for k, cid in enumerate(order)}
    texts = tuple(text_of[c] for c in order)
    parents = tuple(position.get(parent_of.get(c) or "") for c in order)
    return Tree(texts, parents, source) if len(texts) >= 2 else None


def rumoureval(root: Path) -> list[Tree]:
    threads: dict[str, list[dict[str, object]]] = defaultdict(list)
    for name in ("posts_train.jsonl", "posts_dev.jsonl"):
        for row in _jsonl(root / "rumoureval2019" / name):
            threads[str(row["thread_id"])].append(row)
    out = []
    for rows in threads.values():
        replies = [r for r in rows if not r.get("is_source") and str(r.get("text") or "").strip()]
        text_of = {str(r["id"]): str(r["text"]).strip() for r in replies}
        parent_of = {str(r["id"]): (str(r["parent_id"]) if r.get("parent_id") else None)
                     for r in replies}
        tree = _ordered(list(text_of), parent_of, text_of, "rumoureval2019")
        if tree is not None:
            out.append(tree)
    return out


def mt_csd(root: Path) -> list[Tree]:
    groups: dict[tuple[str, str], dict[str, tuple[str, str | None]]] = defaultdict(dict)
    for row in _jsonl(root / "mt_csd" / "train.jsonl"):
        raw = row.get("path")
        path = [str(p) for p in raw] if isinstance(raw, list) else []
        if path and str(row.get("text") or "").strip():
            groups[(str(row.get("target")), path[0])][path[-1]] = (
                str(row["text"]).strip(), path[-2] if len(path) > 1 else None)
    out = []
    for nodes in groups.values():
        text_of = {k: v[0] for k, v in nodes.items()}
        tree = _ordered(list(nodes), {k: v[1] for k, v in nodes.items()}, text_of, "mt_csd")
        if tree is not None:
            out.append(tree)
    return out


def subreddit_pairs(root: Path) -> list[Tree]:
    out = []
    for path in sorted((root / "subreddit_agreement").glob("*.csv")):
        for row in _csv(path):
            quote, reply = row.get("quote_text", "").strip(), row.get("response_text", "").strip()
            if quote and reply:
                out.append(Tree((quote, reply), (None, 0), "subreddit_agreement"))
    return out


def _flat(texts: list[str], source: str, rng: random.Random) -> list[Tree]:
    out, k = [], 0
    while k < len(texts):
        size = rng.randint(2, 12)
        chunk = texts[k:k + size]
        k += size
        if len(chunk) >= 2:
            out.append(Tree(tuple(chunk), tuple(None for _ in chunk), source))
    return out


def flat_sections(root: Path, rng: random.Random) -> list[Tree]:
    by_article: dict[str, list[str]] = defaultdict(list)
    for row in _csv(root / "sfu_ctc" / "SFU_constructiveness_toxicity.train.csv"):
        if row.get("comment", "").strip():
            by_article[row.get("globe_url", "")].append(row["comment"].strip())
    out = []
    for texts in by_article.values():
        out += _flat(texts, "sfu_ctc", rng)
    vast = [r.get("Tweet", "").strip() for r in _csv(root / "vast" / "vast_dev.csv")]
    out += _flat(sorted(set(t for t in vast if t)), "vast", rng)
    claims = [str(r.get("text") or "").strip() for r in _jsonl(root / "comment_claims" /
                                                               "train.jsonl")]
    out += _flat([t for t in claims if t], "comment_claims", rng)
    return out


def news_articles(root: Path, rng: random.Random) -> list[Tree]:
    """Stories made of real news sentences: BABE's sentences grouped by outlet and topic,
    two to eight paragraphs of one to three sentences each (the tree's texts; no replies)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _csv(root / "babe" / "final_labels_SG2.train.csv", delimiter=";"):
        text = " ".join((row.get("text") or "").split())
        if text:
            groups[(row.get("outlet") or "", row.get("topic") or "")].append(text)
    out = []
    for key in sorted(groups):
        sentences = groups[key]
        rng.shuffle(sentences)
        k = 0
        while k < len(sentences):
            paras: list[str] = []
            for _ in range(rng.randint(2, 8)):
                size = rng.randint(1, 3)
                if k >= len(sentences):
                    break
                paras.append(" ".join(sentences[k:k + size]))
                k += size
            if paras:
                out.append(Tree(tuple(paras), tuple(None for _ in paras), "news"))
    return out


def load_articles(root: str | Path, seed: int = 0) -> list[Tree]:
    """Story texts to print above the comments (shuffled with `seed`); [] without BABE."""
    rng = random.Random(seed)
    found = news_articles(Path(root), rng)
    logger.info("news: %d stories", len(found))
    rng.shuffle(found)
    return found


READERS: dict[str, Callable[[Path], list[Tree]]] = {
    "rumoureval2019": rumoureval, "mt_csd": mt_csd, "subreddit_agreement": subreddit_pairs}


def load_trees(root: str | Path, seed: int = 0) -> list[Tree]:
    """Every tree the data folder holds (shuffled with `seed`)."""
    rng = random.Random(seed)
    base = Path(root)
    trees: list[Tree] = []
    for name, reader in READERS.items():
        found = reader(base)
        logger.info("%s: %d trees", name, len(found))
        trees += found
    trees += flat_sections(base, rng)
    rng.shuffle(trees)
    return trees
