"""A rendered page under construction: its text and the tag of every character run.

Renderers add lines made of (text, tag) pieces; `gold_tags` then labels the lines the
classifier finds in the finished text (which may split a rendered line, as it cuts glued
Blogger labels loose) by where each one starts in the text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from stance.thread.lines.classify import Line
from stance.thread.segment.features import content_lines


@dataclass
class Page:
    lines: list[list[tuple[str, str]]] = field(default_factory=list)

    def add(self, text: str, tag: str) -> None:
        self.lines.append([(text, tag)])

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.lines.append([])

    def glue(self, text: str, tag: str) -> None:
        """Append to the last line (no line break): a label glued to the text after it."""
        if not self.lines:
            self.lines.append([])
        self.lines[-1].append((text, tag))

    def text(self) -> str:
        return "\n".join("".join(piece for piece, _ in line) for line in self.lines) + "\n"

    def spans(self) -> tuple[list[int], list[str]]:
        """Start offsets and tags of every piece, in text order."""
        starts, tags, offset = [], [], 0
        for line in self.lines:
            for piece, tag in line:
                starts.append(offset)
                tags.append(tag)
                offset += len(piece)
            offset += 1
        return starts, tags


def gold_tags(text: str, starts: list[int], tags: list[str], lines: list[Line]) -> list[str]:
    """The tag of each non-blank classified line: the tag of the piece its text starts in."""
    out: list[str] = []
    cursor = 0
    for line in content_lines(lines):
        probe = line.text[:40]
        at = text.find(probe, cursor)
        if at < 0:
            at = cursor
        else:
            cursor = at + len(line.text)
        k = max(0, bisect.bisect_right(starts, at) - 1)
        out.append(tags[k] if tags else "A")
    return _repair(out)


def _repair(tags: list[str]) -> list[str]:
    """A continuation with no comment open (a cut page starting mid-comment) opens one;
    article text after the comments started is furniture."""
    out, opened = [], False
    for tag in tags:
        if tag == "C" and not opened:
            tag = "S"
        if tag == "A" and opened:
            tag = "N"
        opened = opened or tag == "S"
        out.append(tag)
    return out
