"""The page that follows the comments: cut off the last comment of a text copy.

A browser's select-all copy of a whole page runs on past the last comment: the comment form
("Leave a Reply", "Comments are moderated before they appear."), sidebar widgets ("Recent
comments" and their "Name on Post title" lines, "Most read" and its headlines), the footer
("Privacy Policy | Terms of Use", "© 2021 ..."). The segmenter reads most of it as page
furniture, but a run of headlines after the form is easily read as more of the last comment,
or as a comment of its own.

`cut_tail` finds the first line that ends a comment section (`clean.ends_comments`: a comment
form, a sidebar heading, a footer or copyright line) after which the page holds nothing a commenter
wrote: every later line is furniture or a headline-like line (a few words, no sentence end),
never a sentence. From that line on, the drafts lose their lines, and drafts left with no text
go. A section that only starts there (no sentence before it) is not cut: its short comments
could all look like headlines.
"""

from __future__ import annotations

from collections.abc import Iterator

from stance.thread.lines import clean
from stance.thread.lines.classify import BLANK, CHROME, HEADER, LABEL, MARKER, TEXT, Line
from stance.thread.segment.drafts import Draft

#: A headline-like line has at most this many words (and no sentence end).
_HEADLINE_WORDS = 12


def _sentence(line: Line) -> bool:
    """Text a commenter may have written: a sentence end, or more than a headline's words."""
    text = line.text.strip()
    if (line.kind != TEXT or not text or clean.ends_comments(text)
            or clean.is_chrome(text, edge=True)):
        return False
    return clean.word_count(text) > _HEADLINE_WORDS or clean.ends_sentence(text)


def cut_tail(drafts: list[Draft], lines: list[Line] | None = None) -> tuple[list[Draft], int]:
    """The drafts without the page that follows the comment section, and how many of their
    lines that page took.

    The cut starts at the first section-ending line after the last sentence; the lines are
    walked from the end, so a long page costs only its tail. With the page's `lines` (as
    classified, each at its own index), a section-ending line that belongs to no draft (a
    sidebar heading the segmenter read as no one's text, between two runs it read as
    comments) starts the cut too."""
    start: int | None = None
    for line, owned in _backwards(drafts, lines):
        if line.kind == BLANK:
            continue
        if owned and _sentence(line):
            break  # the last thing a commenter wrote: the cut is after it
        if line.kind in (TEXT, LABEL, CHROME, HEADER, MARKER) and clean.ends_comments(line.text):
            start = line.index
    else:
        return drafts, 0  # no sentence at all: the short lines may all be comments
    if start is None:
        return drafts, 0
    kept: list[Draft] = []
    removed = 0
    for draft in drafts:
        keep = [line for line in draft.lines if line.index < start]
        if len(keep) == len(draft.lines):
            kept.append(draft)  # wholly before the cut
            continue
        removed += len(draft.lines) - len(keep)
        draft.lines = keep
        if any(line.kind == TEXT and line.text.strip() for line in keep):
            kept.append(draft)
    return kept, removed


def _backwards(drafts: list[Draft], lines: list[Line] | None) -> Iterator[tuple[Line, bool]]:
    """The drafts' lines, last first, each with True; with the page's `lines`, the lines
    between them that no draft holds come too, with False."""
    after: int | None = None
    for draft in reversed(drafts):
        for line in reversed(draft.lines):
            if lines is not None and after is not None:
                for index in range(after - 1, line.index, -1):
                    yield lines[index], False
            yield line, True
            after = line.index
