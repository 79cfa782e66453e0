"""Line tags for a hand-annotated real page (the `real_threads_dev` shape), for training.

An annotation names each comment by the opening words of its own text, its author and
time, and the strings that must not leak into comment text. From these the lines get tags:
the line where a comment's words start opens it (or the quotation header just above it,
for a forum reply that opens by quoting), lines naming a comment's author or time or holding
an artifact are furniture, the rest of a comment's stretch continues it, and before the
first comment lies the article (or furniture, where the page has no article).
"""

from __future__ import annotations

import re
from typing import Any

from stance.thread.lines.classify import BLANK, QUOTE, TEXT, Line
from stance.thread.score import normalise
from stance.thread.segment.features import content_lines

_QUOTE_LOOKBACK = 8


def _flat(lines: list[Line]) -> tuple[str, list[int]]:
    """The page's non-blank lines normalised and joined by spaces, with each line's offset."""
    parts, offsets, at = [], [], 0
    for line in lines:
        text = normalise(line.text)
        offsets.append(at)
        parts.append(text)
        at += len(text) + 1
    return " ".join(parts), offsets


def _line_at(offsets: list[int], at: int) -> int:
    k = 0
    while k + 1 < len(offsets) and offsets[k + 1] <= at:
        k += 1
    return k


def _starts(content: list[Line], comments: list[dict[str, Any]]) -> list[int | None]:
    flat, offsets = _flat(content)
    out: list[int | None] = []
    cursor = 0
    for comment in comments:
        words = normalise(str(comment.get("first_words") or ""))
        at = flat.find(words, cursor) if words else -1
        if at < 0:
            out.append(None)
            continue
        cursor = at + len(words)
        out.append(_line_at(offsets, at))
    return out


def _furniture(expected: dict[str, Any]) -> tuple[set[str], list[str]]:
    names = {normalise(str(c.get(k) or "")) for c in expected.get("comments") or []
             for k in ("author", "timestamp")}
    names.discard("")
    artifacts = [normalise(a) for a in expected.get("artifacts") or [] if normalise(a)]
    return names, artifacts


def _is_furniture(line: Line, names: set[str], artifacts: list[str]) -> bool:
    text = normalise(line.text)
    if line.kind not in (TEXT, QUOTE, BLANK):
        return True
    if any(a in text or (len(text) > 3 and text in a) for a in artifacts):
        return True
    return any(name and name in text and len(text) <= len(name) + 30 for name in names)


def _quote_opening(content: list[Line], start: int, floor: int) -> int:
    for j in range(start - 1, max(floor, start - _QUOTE_LOOKBACK) - 1, -1):
        if content[j].kind == QUOTE or re.match(r"^\s*>", content[j].raw):
            return j
    return start


def page_tags(lines: list[Line], expected: dict[str, Any]) -> list[str]:
    """One tag (A, N, S, C) per non-blank line of the classified page."""
    content = content_lines(lines)
    comments = list(expected.get("comments") or [])
    names, artifacts = _furniture(expected)
    starts = _starts(content, comments)
    opening: dict[int, int] = {}
    floor = 0
    for comment, start in zip(comments, starts, strict=True):
        if start is None:
            continue
        if comment.get("quotes"):
            start = _quote_opening(content, start, floor)
        opening[start] = 1
        floor = start + 1
    article = expected.get("article_present") is not False
    tags: list[str] = []
    opened = False
    for k, line in enumerate(content):
        if k in opening:
            tags.append("S")
            opened = True
        elif _is_furniture(line, names, artifacts):
            tags.append("N")
        else:
            tags.append("C" if opened else "A" if article else "N")
    return _article_first(tags)


def _article_first(tags: list[str]) -> list[str]:
    """Furniture before the last article line belongs to the article part."""
    last = max((k for k, t in enumerate(tags) if t == "A"), default=-1)
    return ["A" if k < last else t for k, t in enumerate(tags)]
