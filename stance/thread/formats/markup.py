"""Comments where a platform's markup shows them: Blogger and WordPress.

Other pages are read by the generic detector (`formats.htmlcomments`), which finds comments
from the page's repeated structure rather than from class names.

A `Markup` names what a comment element looks like and where its author, date and text sit.
`extract(tree, markup)` returns the comments in document order, each with the nearest enclosing
comment element as its parent (found by walking up, never by recursion).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from stance.thread.htmltext import node_text, tidy
from stance.thread.lines import clean, headers

logger = logging.getLogger(__name__)

#: Walking up from a comment stops after this many ancestors (pathological nesting).
_MAX_CLIMB = 5000


@dataclass(frozen=True)
class Markup:
    """Where the parts of a comment are, as CSS selectors and class patterns."""

    items: str  # selector of comment elements
    content: tuple[str, ...]  # selectors of the text element inside an item
    author: tuple[str, ...]
    date: tuple[str, ...]
    meta: re.Pattern[str]  # classes to leave out when the text is the item's own text
    skip: re.Pattern[str] | None = None  # classes of items that are not comments (pingbacks)


BLOGGER = Markup(
    items="li.comment",
    content=(".comment-content",),
    author=(".comment-header cite.user", ".comment-header .user", "cite.user"),
    date=(".comment-header .datetime", ".datetime", ".comment-timestamp"),
    meta=re.compile(r"comment-(?:header|actions|replies|replybox)|avatar|thread-|continue"),
)
WORDPRESS = Markup(
    items="li.comment, li.review, article.comment",
    content=(".comment-content", ".comment-text", ".comment-body > p", ".comment_text"),
    author=(".comment-author .fn", "cite.fn", ".fn", ".comment-author"),
    date=(".comment-metadata time", "time", ".comment-meta a", ".commentmetadata a",
          ".comment-date"),
    meta=re.compile(r"comment-(?:author|meta|metadata|reply|awaiting)|commentmetadata|vcard|"
                    r"\breply\b|children|avatar|says|comment-respond"),
    skip=re.compile(r"\b(?:pingback|trackback)\b"),
)
@dataclass
class FoundComment:
    node_id: int
    source_id: str | None
    author: str | None
    timestamp: str | None
    text: str
    parent_node: int | None
    quoted: str | None = None  # the author a quotation in the comment names ("Ann said:")


def _items(tree: LexborHTMLParser, markup: Markup) -> list[LexborNode]:
    seen: set[int] = set()
    nodes = []
    for node in tree.css(markup.items):  # a node matching two selectors comes back twice
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            nodes.append(node)
    if markup.skip is not None:
        nodes = [n for n in nodes if not markup.skip.search(n.attributes.get("class") or "")]
    return nodes


def _owner(node: LexborNode, ids: set[int], stop: int) -> int | None:
    """mem_id of the nearest enclosing item of `node` (not counting `node` itself)."""
    parent = node.parent
    steps = 0
    while parent is not None and steps < _MAX_CLIMB:
        if parent.mem_id in ids:
            return int(parent.mem_id)
        if parent.mem_id == stop:
            return None
        parent = parent.parent
        steps += 1
    return None


def _own(item: LexborNode, selectors: tuple[str, ...], ids: set[int]) -> LexborNode | None:
    """First element matching a selector inside `item` but not inside a nested item."""
    for selector in selectors:
        for found in item.css(selector):
            if _owner(found, ids, -1) == item.mem_id:
                return found
    return None


def _author(item: LexborNode, markup: Markup, ids: set[int]) -> str | None:
    node = _own(item, markup.author, ids)
    if node is None:
        return None
    text = tidy(node.text(separator=" ") or "")
    text = re.sub(r"\s*(?:says|said|wrote)\s*(?::|\.\.\.|…)?\s*$", "", text, flags=re.IGNORECASE)
    text = headers.clean_name(text.split("\n")[0])
    return text[:80] or None


def _date(item: LexborNode, markup: Markup, ids: set[int]) -> str | None:
    node = _own(item, markup.date, ids)
    if node is None:
        return None
    stamp = node.attributes.get("datetime") or node.attributes.get("title")
    return stamp or tidy(node.text(separator=" ") or "") or None


def _text(item: LexborNode, markup: Markup, ids: set[int]) -> str:
    content = _own(item, markup.content, ids)
    if content is not None:
        text = node_text(content, skip_ids=ids)
    else:
        text = node_text(item, skip_classes=markup.meta, skip_ids=ids)
    lines = [ln for ln in text.split("\n")
             if not clean.is_label(ln) and not clean.is_chrome(ln)]
    return clean.join_text(lines)


def extract(tree: LexborHTMLParser, markup: Markup) -> list[FoundComment]:
    """Comments found by `markup`, in document order.

    An element whose only text is in a nested match (Blogger's li.comment around its
    div.comment-block) takes over that first nested match; elements with no text at all drop
    out and pass their replies up to their own parent.
    """
    items = _items(tree, markup)
    ids = {int(n.mem_id) for n in items}
    found = [FoundComment(node_id=int(n.mem_id), source_id=n.attributes.get("id") or None,
                          author=_author(n, markup, ids), timestamp=_date(n, markup, ids),
                          text=_text(n, markup, ids), parent_node=_owner(n, ids, -1))
             for n in items]
    by_id = {c.node_id: c for c in found}
    first_child: dict[int, int] = {}
    for comment in found:
        if comment.parent_node is not None:
            first_child.setdefault(comment.parent_node, comment.node_id)
    alias: dict[int, int] = {}
    for comment in found:
        inner = by_id.get(first_child.get(comment.node_id, -1))
        if comment.text or inner is None or not inner.text or inner.node_id in alias:
            continue
        alias[inner.node_id] = comment.node_id
        comment.text = inner.text
        comment.author = comment.author or inner.author
        comment.timestamp = comment.timestamp or inner.timestamp
        comment.source_id = comment.source_id or inner.source_id
    kept = [c for c in found if c.text and c.node_id not in alias]
    kept_ids = {c.node_id for c in kept}
    for comment in kept:
        steps = 0
        while comment.parent_node is not None and comment.parent_node not in kept_ids \
                and steps < _MAX_CLIMB:
            parent = comment.parent_node
            comment.parent_node = alias.get(parent) or (by_id[parent].parent_node
                                                         if parent in by_id else None)
            steps += 1
    return kept
