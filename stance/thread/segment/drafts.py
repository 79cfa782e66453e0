"""The intermediate shapes of text parsing: comment drafts, layouts and separator blocks."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from stance.thread.lines import clean
from stance.thread.lines.classify import AVATAR, BLANK, HEADER, LABEL, LEVEL, QUOTE, TEXT, Line

logger = logging.getLogger(__name__)

STRUCTURAL = frozenset({HEADER, LABEL, AVATAR, LEVEL})


@dataclass
class Draft:
    """A comment before its text is cleaned: its lines and what the layout says about it."""

    lines: list[Line]
    author: str | None = None
    timestamp: str | None = None
    reply_to: str | None = None
    depth: int | None = None
    labels: list[str] = field(default_factory=list)  # the buttons that closed it
    numbered: bool = False
    indent: int | None = None  # indentation of its author line
    aliases: list[str] = field(default_factory=list)  # handles printed by the name ("@jen_alv")
    shape: str | None = None  # the shape of the line that names its author
    reddit: bool = False  # its author line names a Reddit user ("u/name")


@dataclass
class Layout:
    article: list[Line]
    drafts: list[Draft]
    mode: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A run of attribution, label and chrome lines (blank lines inside it absorbed)."""

    start: int
    end: int  # inclusive
    lines: list[Line]

    @property
    def headers(self) -> list[Line]:
        return [ln for ln in self.lines if ln.kind in (HEADER, AVATAR) and ln.attr is not None]

    @property
    def structural(self) -> bool:
        return any(ln.kind in STRUCTURAL for ln in self.lines)

    @property
    def role(self) -> str:
        roles = {ln.attr.role for ln in self.headers if ln.attr is not None}
        if "foot" in roles and "head" not in roles:
            return "foot"
        return "head" if "head" in roles else "either"

    @property
    def signature(self) -> frozenset[str]:
        """The shapes of its attribution lines (to tell an article's byline from comments')."""
        return frozenset(ln.attr.shape for ln in self.headers if ln.attr is not None)


def has_content(lines: list[Line], *, min_words: int = 6) -> bool:
    """Some line reads as a sentence of the commenter's (not chrome, not a heading)."""
    for line in lines:
        if line.kind in (TEXT, QUOTE) and not clean.is_chrome(line.text, edge=True):
            if clean.word_count(line.text) >= min_words:
                return True
    return False


def paragraphs(lines: list[Line]) -> int:
    count, inside = 0, False
    for line in lines:
        if line.kind in (TEXT, QUOTE):
            count += not inside
            inside = True
        elif line.kind == BLANK:
            inside = False
    return count


def last_paragraph(region: list[Line]) -> int:
    """Index of the first line of the last paragraph in `region`."""
    content = [ln.index for ln in region if ln.kind in (TEXT, QUOTE)]
    if not content:
        return region[0].index if region else 0
    cut = content[-1]
    first = region[0].index
    while cut > first and region[cut - first - 1].kind in (TEXT, QUOTE):
        cut -= 1
    return cut
