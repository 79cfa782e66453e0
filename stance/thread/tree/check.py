"""Check and repair reply trees; walk them with an explicit stack (never recursion).

A valid thread has unique comment ids, no self-replies, no parent that is missing, and no
cycles. `repair` fixes each of these and says what it did in the thread's warnings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from stance.thread.model import Comment, Thread

#: Deeper chains are kept but flagged: they are almost always a scraping artifact.
MAX_REASONABLE_DEPTH = 1000


def children_index(comments: tuple[Comment, ...] | list[Comment]) -> dict[str | None, list[int]]:
    """Map each parent id (None for roots) to the positions of its children, in input order."""
    index: dict[str | None, list[int]] = {}
    for pos, comment in enumerate(comments):
        index.setdefault(comment.parent_id, []).append(pos)
    return index


def walk(thread: Thread) -> Iterator[tuple[Comment, int]]:
    """Yield (comment, depth) depth-first, roots in input order, children in input order.

    Assumes a repaired thread; comments unreachable from a root (cycles) are not yielded.
    """
    comments = thread.comments
    kids = children_index(comments)
    stack: list[tuple[int, int]] = [(pos, 0) for pos in reversed(kids.get(None, []))]
    while stack:
        pos, depth = stack.pop()
        comment = comments[pos]
        yield comment, depth
        for child in reversed(kids.get(comment.id, [])):
            stack.append((child, depth + 1))


def depths(thread: Thread) -> dict[str, int]:
    """Reply depth of every comment (0 for a top-level comment)."""
    return {comment.id: depth for comment, depth in walk(thread)}


def _dedupe_ids(comments: list[Comment], warnings: list[str]) -> list[Comment]:
    seen: set[str] = set()
    taken = {c.id for c in comments}
    out: list[Comment] = []
    renamed = 0
    for comment in comments:
        cid = comment.id
        if not cid:
            cid = f"c{len(out) + 1}"
            while cid in taken:
                cid += "_"
            taken.add(cid)
            comment = replace(comment, id=cid)
        elif cid in seen:
            n = 2
            while f"{cid}~{n}" in taken:
                n += 1
            new = f"{cid}~{n}"
            taken.add(new)
            comment = replace(comment, id=new)
            renamed += 1
        seen.add(comment.id)
        out.append(comment)
    if renamed:
        warnings.append(f"{renamed} duplicate comment id(s) renamed with a '~N' suffix")
    return out


def _fix_parents(comments: list[Comment], warnings: list[str]) -> list[Comment]:
    ids = {c.id for c in comments}
    out: list[Comment] = []
    selfs: list[str] = []
    orphans: list[str] = []
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id == comment.id:
            selfs.append(comment.id)
            comment = replace(comment, parent_id=None)
        elif comment.parent_id is not None and comment.parent_id not in ids:
            orphans.append(comment.id)
            comment = replace(comment, parent_id=None)
        out.append(comment)
    if selfs:
        warnings.append(f"{len(selfs)} self-reply(ies) made top-level: {_few(selfs)}")
    if orphans:
        warnings.append(f"{len(orphans)} comment(s) whose parent is missing re-rooted as "
                        f"top-level: {_few(orphans)}")
    return out


def _break_cycles(comments: list[Comment], warnings: list[str]) -> list[Comment]:
    """Any comment not reachable from a root sits on (or below) a cycle: cut each cycle once."""
    parent = {c.id: c.parent_id for c in comments}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known to reach a root
    cut: list[str] = []
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            cut.append(node)  # `node` closes a cycle: make it a root
            parent[node] = None
        for seen in path:
            state[seen] = 2
    if not cut:
        return comments
    warnings.append(f"{len(cut)} reply cycle(s) broken by making a comment top-level: {_few(cut)}")
    cut_set = set(cut)
    return [replace(c, parent_id=None) if c.id in cut_set else c for c in comments]


def _few(ids: list[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def repair(thread: Thread) -> Thread:
    """Return a valid thread: unique ids, no self-replies, no orphans, no cycles."""
    warnings: list[str] = []
    comments = _dedupe_ids(list(thread.comments), warnings)
    comments = _fix_parents(comments, warnings)
    comments = _break_cycles(comments, warnings)
    if not warnings and comments == list(thread.comments):
        result = thread
    else:
        result = replace(thread, comments=tuple(comments))
    deepest = max((d for _, d in walk(result)), default=0)
    if deepest > MAX_REASONABLE_DEPTH:
        warnings.append(f"reply chain {deepest} levels deep; kept as is, but it is unusually deep")
    return result.with_warnings(*warnings) if warnings else result
