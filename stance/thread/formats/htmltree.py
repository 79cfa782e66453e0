"""Reply trees of comment blocks found in HTML, from how the page nests or indents them.

Three signs, tried in order for each comment (all walks are bounded loops, never recursion):

1. nesting: the nearest enclosing comment block is the parent (`li > ol.children > li`);
2. a replies container: a block inside an element that directly follows a comment block
   (`div.comment` + `div.replies > div.comment`) answers that comment;
3. indentation: among siblings with depth classes (`depth-2`, `level-3`, `indent-1`) or a
   left margin in their style, the parent is the nearest earlier block that is less deep.
"""

from __future__ import annotations

import re

from stance.thread.formats.htmldom import Dom, ancestors
from stance.thread.formats.markup import FoundComment

_DEPTH_CLASS = re.compile(r"(?:^|[-_\s])(?:depth|level|lvl|indent|nest|nested|nesting|"
                          r"reply-level|thread-level)[-_]?(\d{1,2})(?:$|[-_\s])", re.IGNORECASE)
_MARGIN = re.compile(r"(?:margin|padding)-left\s*:\s*(\d+(?:\.\d+)?)\s*(px|em|rem|%)?",
                     re.IGNORECASE)
#: Steps climbed from a block to find a replies container that follows a comment.
_CONTAINER_CLIMB = 3


def _depth(dom: Dom, i: int) -> float | None:
    attrs = dom.nodes[i].attributes
    found = _DEPTH_CLASS.search(attrs.get("class") or "")
    if found:
        return float(found.group(1))
    margin = _MARGIN.search(attrs.get("style") or "")
    if margin:
        value = float(margin.group(1))
        return value * 16 if margin.group(2) in ("em", "rem") else value
    return None


def _previous_element(dom: Dom, i: int) -> int | None:
    up = dom.parent[i]
    if up < 0:
        return None
    siblings = dom.children[up]
    at = siblings.index(i)
    return siblings[at - 1] if at > 0 else None


def _enclosing(dom: Dom, i: int, kept: set[int]) -> int | None:
    for up in ancestors(dom, i):
        if up in kept:
            return up
    return None


def _after_comment(dom: Dom, i: int, kept: set[int]) -> int | None:
    """The comment that the replies container holding `i` follows, if any."""
    climb = [i, *ancestors(dom, i, _CONTAINER_CLIMB)]
    for step in climb[1:]:
        before = _previous_element(dom, step)
        if before is not None and before in kept:
            return before
    return None


def _by_depth(dom: Dom, found: list[FoundComment], parents: dict[int, int | None]) -> None:
    """Parents from depth classes or margins, for comments that are siblings in one list."""
    by_container: dict[int, list[int]] = {}
    for comment in found:
        if parents.get(comment.node_id) is None:
            by_container.setdefault(dom.parent[comment.node_id], []).append(comment.node_id)
    for members in by_container.values():
        depths = [_depth(dom, m) for m in members]
        if len({d for d in depths if d is not None}) < 2:
            continue
        stack: list[tuple[float, int]] = []
        for member, depth in zip(members, depths, strict=True):
            level = depth if depth is not None else 0.0
            while stack and stack[-1][0] >= level:
                stack.pop()
            parents[member] = stack[-1][1] if stack else None
            stack.append((level, member))


def link_parents(dom: Dom, found: list[FoundComment]) -> list[FoundComment]:
    """`found` with `parent_node` set to the node id of each comment's parent."""
    kept = {c.node_id for c in found}
    parents: dict[int, int | None] = {}
    for comment in found:
        parent = _enclosing(dom, comment.node_id, kept)
        if parent is None:
            parent = _after_comment(dom, comment.node_id, kept)
        parents[comment.node_id] = parent
    _by_depth(dom, found, parents)
    latest: dict[str, int] = {}  # author -> node of their latest comment so far
    for comment in found:
        parent = parents.get(comment.node_id)
        if parent is None and comment.quoted:  # a flat forum: the post it quotes
            parent = latest.get(comment.quoted.lower())
        comment.parent_node = parent
        if comment.author:
            latest[comment.author.lower()] = comment.node_id
    return found
