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

from stance.thread.lines import clean
from stance.thread.lines.classify import BLANK, CHROME, HEADER, LABEL, TEXT, Line
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


def cut_tail(drafts: list[Draft]) -> tuple[list[Draft], int]:
    """The drafts without the page that follows the comment section, and how many of their
    lines that page took.

    The cut starts at the first section-ending line after the last sentence; the lines are
    walked from the end, so a long page costs only its tail."""
    spots = ((k, j) for k in range(len(drafts) - 1, -1, -1)
             for j in range(len(drafts[k].lines) - 1, -1, -1))
    start: tuple[int, int] | None = None
    for k, j in spots:
        line = drafts[k].lines[j]
        if line.kind == BLANK:
            continue
        if _sentence(line):
            break  # the last thing a commenter wrote: the cut is after it
        if line.kind in (TEXT, LABEL, CHROME, HEADER) and clean.ends_comments(line.text):
            start = (k, j)
    else:
        return drafts, 0  # no sentence at all: the short lines may all be comments
    if start is None:
        return drafts, 0
    k, j = start
    removed = len(drafts[k].lines) - j + sum(len(d.lines) for d in drafts[k + 1:])
    kept = drafts[:k]
    head = drafts[k]
    head.lines = head.lines[:j]
    if any(line.kind == TEXT and line.text.strip() for line in head.lines):
        kept.append(head)
    return kept, removed
