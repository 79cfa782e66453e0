"""A commenter's name over a "tagline · age" line: Q&A and professional sites print who the
author is under their name ("Hannah Cole" / "Water quality officer · 3y").

The tagline line has the shape of a "Name · 3y" header, so on its own it reads as the author
and the real name above it is left as text of the comment before. It is a tagline, not a
name, when it reads as a phrase: two or more words, one of them after the first in lower case
("Water quality officer", "Lives in Leeds"), which display names are not ("Hannah Cole",
"river_rat", "Maria de la Cruz"). The name line must open its block (nothing but a blank line
or structure above it) and sit directly on the tagline.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stance.thread.lines import headers
from stance.thread.lines.headers import Attribution
from stance.thread.lines.kinds import HEADER, QUOTE, TEXT, Line

#: Lower-case words that do belong to names ("Maria de la Cruz", "Ludwig van Beethoven").
_PARTICLES = frozenset("de la le du da di del della der den van von ter ten bin ibn al el "
                       "y e of".split())


def is_tagline(text: str) -> bool:
    """Does a header's "name" read as a phrase about the person rather than their name?"""
    words = text.split()
    return len(words) >= 2 and any(
        re.fullmatch(r"[a-z][a-z'’\-]*", w) and w not in _PARTICLES for w in words[1:])


def _bare_name(line: Line) -> bool:
    text = line.text
    return (line.kind == TEXT and len(text) <= 40 and not text.endswith(".")
            and headers.name_ok(text, max_words=4) and not is_tagline(text))


def _opens_block(lines: list[Line], i: int) -> bool:
    return i == 0 or lines[i - 1].kind not in (TEXT, QUOTE)


def tagline_names(lines: list[Line]) -> list[Line]:
    """Name lines over a "tagline · age" header become the header's name; the tagline line
    keeps only the date."""
    out = list(lines)
    for i in range(len(lines) - 1):
        line, below = lines[i], lines[i + 1]
        attr = below.attr
        if (below.kind != HEADER or attr is None or not attr.author or not attr.timestamp
                or attr.strong or not is_tagline(attr.author) or not _bare_name(line)
                or not _opens_block(lines, i)):
            continue
        out[i] = replace(line, kind=HEADER, attr=Attribution(
            author=headers.clean_name(line.text), role="head", strong=True,
            shape="name over tagline"))
        out[i + 1] = replace(below, attr=replace(attr, author=None, strong=True,
                                                 shape="tagline date"))
    return out
