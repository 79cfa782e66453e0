"""Comment lists as a text browser prints them, rendered from real reply trees.

A WordPress-style comment list (`<ul>`/`<ol>` of comments, replies as nested lists) comes out of
a text browser or an HTML-to-text copy as bullets or numbers: each comment a list item ("• ",
"* ", "◦ ", "▪ ", or "1. ", "2. ", ... with a reply list restarting at 1), its later paragraphs
hanging under the item's text, a reply one level deeper. Names, dates and buttons are often
lost on the way. Each tree is rendered in three forms, with bullets and with numbers:

- ``bare``: the list alone (a scrape that starts in the comments);
- ``heading``: under a comment-count heading ("12 Responses to ...");
- ``article``: a short story, then the heading and the list.

Forms with numbers carry the suffix ``-numbered``.

`list_pages` yields each form with its annotation (the shape of `real_threads_dev`'s
``*.expected.json``), so `stance.thread.segment.evaluate --lists N` can score the parser on
them. The comment texts and the reply structure are real; the layout is this project's.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from stance.thread.segment.render.blogger import (
    _ARTICLE,
    BloggerPage,
    _first_words,
    _paragraphs,
    _usable,
)
from stance.thread.segment.render.sources import Tree, load_trees

_PLACES = ("bare", "heading", "article")
FORMS = _PLACES + tuple(f"{place}-numbered" for place in _PLACES)
_GLYPHS = "•*◦▪"
_TAIL = "Leave a Reply"


def render_list(tree: Tree, rng: random.Random, numbered: bool = False) -> list[str]:
    """The tree as a bulleted (or numbered) list, replies nested `step` spaces deeper."""
    glyph, step = rng.choice(_GLYPHS), rng.choice((2, 3, 4))
    depth: list[int] = []
    count: dict[int | None, int] = {}  # items so far in each reply list (numbered)
    out: list[str] = []
    for k, parent in enumerate(tree.parents):
        depth.append(0 if parent is None else depth[parent] + 1)
        count[parent] = count.get(parent, 0) + 1
        mark = f"{count[parent]}." if numbered else glyph
        pad = " " * (2 + step * depth[k])
        paras = _paragraphs(tree.texts[k]) or [" ".join(tree.texts[k].split())]
        out.append(f"{pad}{mark} {paras[0]}")
        for para in paras[1:]:
            out += ["", f"{pad}{' ' * (len(mark) + 1)}{para}"]
        out.append("")
    return out


def expected_reading(tree: Tree, article: bool) -> dict[str, object]:
    comments = [{"id": f"c{k}", "first_words": _first_words(text),
                 "parent": None if parent is None else f"c{parent}"}
                for k, (text, parent) in enumerate(zip(tree.texts, tree.parents, strict=True))]
    return {"comments": comments, "artifacts": [_TAIL], "article_present": article}


def list_pages(data: str | Path, count: int, seed: int = 5) -> Iterator[BloggerPage]:
    """`count` trees from the data folder, each rendered in every form, with its reading."""
    rng = random.Random(seed)
    trees = [t for t in load_trees(data, seed=seed) if _usable(t)]
    rng.shuffle(trees)
    for n, tree in enumerate(trees[:count]):
        heading = [f"{len(tree)} Responses to \u201cThe harbour plan\u201d", ""]
        story = ["The harbour plan", "", _ARTICLE[0], "", _ARTICLE[1], ""]
        for numbered in (False, True):
            body = render_list(tree, rng, numbered)
            for place, top in zip(_PLACES, ([], heading, story + heading), strict=True):
                form = f"{place}-numbered" if numbered else place
                yield BloggerPage(f"list-{n:03d}", form, "\n".join(top + body + [_TAIL]) + "\n",
                                  expected_reading(tree, article=place == "article"))
