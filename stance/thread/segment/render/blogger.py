"""Blogger pages rendered from real reply trees, with how a reader splits them.

Blogger threads are two levels deep (a reply to a reply hangs under its top-level comment), and
a Blogger page reaches users in three forms, each rendered here from one tree:

- ``html``: the page's own comment markup (``li.comment``, ``cite.user``, ``comment-content``,
  the Reply/Delete actions, ``comment-replies`` threads);
- ``text``: what a browser's select-all copy gives: author and date lines (on lines of their
  own, glued together, or Blogger's classic flat "X said..." with the date below the text),
  the Reply/Delete/Replies labels on lines of their own or run together;
- ``lossy``: the seed's format (``../shared/seeds/000_*``): author and date lines gone, each
  comment one line, the labels glued to the start of the next comment (``ReplyDelete`` after a
  top-level comment, ``Delete`` after a reply, and half the replies' labels lost).

`blogger_pages` draws trees from the data folder and yields each form with its annotation (the
shape of `real_threads_dev`'s ``*.expected.json``), so `stance.thread.segment.evaluate` can
score the parser on them. The article, names and dates are invented; the comment texts and the
reply structure are real.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.thread.segment.render import parts
from stance.thread.segment.render.sources import Tree, load_trees

FORMS = ("html", "text", "lossy")
_ARTICLE = ("The council met on Tuesday to discuss the proposal for the harbour. Residents spoke "
            "for and against it for several hours before the vote.",
            "The decision can still be appealed; the next hearing is set for the spring.")
_DEFAULT_NAMES = ("Anonymous", "Unknown")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
ARTIFACTS = ("ReplyDelete", "Newer Post", "Older Post", "Subscribe to: Post Comments (Atom)")


@dataclass(frozen=True, slots=True)
class BloggerPage:
    name: str
    form: str
    text: str
    expected: dict[str, Any]

    @property
    def suffix(self) -> str:
        return ".html" if self.form == "html" else ".txt"


def two_levels(tree: Tree) -> list[tuple[int, list[int]]]:
    """(top-level comment, its replies in reading order) as Blogger shows the tree."""
    top: list[int | None] = []
    for parent in tree.parents:
        while parent is not None and tree.parents[parent] is not None:
            parent = tree.parents[parent]
        top.append(parent)
    replies: dict[int, list[int]] = {}
    for k, parent in enumerate(top):
        if parent is not None:
            replies.setdefault(parent, []).append(k)
    return [(k, replies.get(k, [])) for k, parent in enumerate(top) if parent is None]


def _paragraphs(text: str) -> list[str]:
    out = [re.sub(r"\s+", " ", p).strip() for p in html.unescape(text).splitlines()]
    return [p for p in out if p]


def _first_words(text: str) -> str:
    return " ".join(" ".join(_paragraphs(text)).split()[:8])


def _date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.choice(_MONTHS), rng.randint(2008, 2023)
    hour, minute = rng.randint(1, 12), rng.randint(0, 59)
    return rng.choice((f"{month} {day}, {year} at {hour}:{minute:02d} {rng.choice(('AM', 'PM'))}",
                       f"{day} {month} {year} at {hour + rng.choice((0, 12)):02d}:{minute:02d}",
                       f"{month[:3]} {day}, {year}, {hour}:{minute:02d}:00 PM"))


def _names(tree: Tree, rng: random.Random) -> list[str]:
    pool = [parts.name(rng).rstrip("._-") or "Anonymous" for _ in range(max(3, len(tree) // 2))]
    return [rng.choice(_DEFAULT_NAMES) if rng.random() < 0.2 else rng.choice(pool)
            for _ in tree.texts]


def expected_reading(tree: Tree, flat: bool = False) -> dict[str, Any]:
    """The annotation: each comment's first words and its Blogger parent (none when `flat`)."""
    comments = []
    for top, replies in two_levels(tree):
        for k in (top, *replies):
            comments.append({"id": f"c{k}", "first_words": _first_words(tree.texts[k]),
                             "parent": None if k == top or flat else f"c{top}"})
    return {"comments": comments, "artifacts": list(ARTIFACTS), "article_present": True}


def render_html(tree: Tree, rng: random.Random) -> str:
    names = _names(tree, rng)

    def item(k: int, reply: bool) -> str:
        body = "<br>".join(html.escape(p) for p in _paragraphs(tree.texts[k]))
        reply_link = "" if reply else "<a class='comment-reply' target='_self'>Reply</a>"
        return (f"<li class='comment' id='c{k}'><div class='avatar-image-container'>"
                f"<img src='avatar.png'></div><div class='comment-block'>"
                f"<div class='comment-header'><cite class='user'>{html.escape(names[k])}</cite>"
                f"<span class='datetime secondary-text'><a href='#c{k}'>{_date(rng)}</a></span>"
                f"</div><p class='comment-content'>{body}</p>"
                f"<span class='comment-actions secondary-text'>{reply_link}"
                f"<span class='item-control blog-admin'><a>Delete</a></span></span></div>")

    out = ["<!DOCTYPE html><html><head><title>Harbour Notes: The harbour vote</title></head>"
           "<body><div class='post hentry'><h3 class='post-title entry-title'>The harbour vote"
           "</h3><div class='post-body entry-content'>"
           + "".join(f"<p>{p}</p>" for p in _ARTICLE) + "</div><div class='post-footer'>"
           "Posted by <span class='fn'>Harbour Notes</span> at 7:30 PM</div></div>"
           f"<div class='comments' id='comments'><h4>{len(tree)} comments:</h4>"
           "<div class='comment-thread toplevel-thread'><ol id='top-ra'>"]
    for top, replies in two_levels(tree):
        out.append(item(top, False))
        if replies:
            out.append("<div class='comment-replies'><div class='comment-thread inline-thread'>"
                       "<span class='thread-toggle thread-expanded'><span class='thread-count'>"
                       "<a>Replies</a></span></span>"
                       "<ol class='thread-chrome thread-expanded'><div>")
            out += [item(k, True) + "</li>" for k in replies]
            out.append("</div><div class='continue'><a>Reply</a></div></ol></div></div>")
        out.append("</li>")
    out.append("</ol></div><p class='comment-footer'><a>Add comment</a></p></div>"
               "<div class='blog-pager'><a>Newer Post</a> <a>Older Post</a> <a>Home</a></div>"
               "<p>Subscribe to: Post Comments (Atom)</p></body></html>")
    return "\n".join(out) + "\n"


def render_text(tree: Tree, rng: random.Random) -> tuple[str, bool]:
    """The browser copy, in one of three layouts; also whether it is the flat classic one."""
    names = _names(tree, rng)
    layout = rng.choice(("threaded", "glued", "classic"))
    out = ["The harbour vote", *_ARTICLE, "Posted by Harbour Notes at 7:30 PM", "",
           f"{len(tree)} comments:", ""]
    if layout == "classic":
        for top, replies in two_levels(tree):
            for k in (top, *replies):
                out += [f"{names[k]} said...", *_paragraphs(tree.texts[k]), _date(rng), ""]
        out += ["Post a Comment", ""]
    else:
        glued = layout == "glued"
        for top, replies in two_levels(tree):
            head = [names[top] + _date(rng)] if glued else [names[top], _date(rng)]
            out += [*head, *_paragraphs(tree.texts[top])]
            out += ["ReplyDelete"] if glued else ["Reply", "Delete"]
            if replies:
                out.append("Replies")
                for k in replies:
                    head = [names[k] + _date(rng)] if glued else [names[k], _date(rng)]
                    out += [*head, *_paragraphs(tree.texts[k]), "Delete"]
                out.append("Reply")
        out += ["Add comment", "Load more...", ""]
    out += ["Newer Post Older Post Home", "", "Subscribe to: Post Comments (Atom)"]
    return "\n".join(out) + "\n", layout == "classic"


def render_lossy(tree: Tree, rng: random.Random) -> str:
    out = ["The harbour vote", *_ARTICLE, "Read more ...."]
    label = ""
    for top, replies in two_levels(tree):
        out.append(label + " ".join(_paragraphs(tree.texts[top])))
        label = "ReplyDelete"
        for k in replies:
            out.append(label + " ".join(_paragraphs(tree.texts[k])))
            label = "Delete" if rng.random() < 0.5 else ""
        if not replies:
            label = "ReplyDelete"
    out.append(label)
    return "\n".join(out) + "\n"


def _usable(tree: Tree) -> bool:
    """A tree with replies, whose comments a reader can tell apart by their first words."""
    heads = [_first_words(t).lower() for t in tree.texts]
    return (3 <= len(tree) <= 30 and any(p is not None for p in tree.parents)
            and all(heads) and len(set(heads)) == len(heads))


def blogger_pages(data: str | Path, count: int, seed: int = 5) -> Iterator[BloggerPage]:
    """`count` trees from the data folder, each rendered in every form, with its reading."""
    rng = random.Random(seed)
    trees = [t for t in load_trees(data, seed=seed) if _usable(t)]
    rng.shuffle(trees)
    for n, tree in enumerate(trees[:count]):
        yield BloggerPage(f"blogger-{n:03d}", "html", render_html(tree, rng),
                          expected_reading(tree))
        text, flat = render_text(tree, rng)
        yield BloggerPage(f"blogger-{n:03d}", "text", text, expected_reading(tree, flat=flat))
        yield BloggerPage(f"blogger-{n:03d}", "lossy", render_lossy(tree, rng),
                          expected_reading(tree))
