"""The page that follows the comments: cut off the last comment of a text copy.

A browser's select-all copy of a whole page runs on past the last comment: the comment form
("Leave a Reply", "Comments are moderated before they appear."), sidebar widgets ("Recent
comments" and their "Name on Post title" lines, "Most read" and its headlines), the footer
("Privacy Policy | Terms of Use", "© 2021 ..."). The segmenter reads most of it as page
furniture, but a run of headlines after the form is easily read as more of the last comment,
or as a comment of its own.

`cut_tail` finds the first line that ends a comment section (`ends_comments`: a comment form,
a sidebar heading, a footer or copyright line) after which the page holds nothing a commenter
wrote: every later line is furniture or a headline-like line (a few words, no sentence end),
never a sentence. From that line on, the drafts lose their lines, and drafts left with no text
go. A section that only starts there (no sentence before it) is not cut: its short comments
could all look like headlines.
"""

from __future__ import annotations

import re

from stance.thread.lines import clean
from stance.thread.lines.classify import BLANK, CHROME, HEADER, LABEL, TEXT, Line
from stance.thread.segment.drafts import Draft

_END = re.compile(
    r"^(?:"
    # the comment form
    r"(?:leave|post|add|write|submit|join) (?:a |your |the )?(?:comment|reply|response|"
    r"discussion|conversation)(?: below)?[.:!…]*"
    r"|your email address will not be published\b.*|required fields are marked\b.*"
    r"|comments? (?:are|is) (?:moderated|reviewed)\b.*|(?:sign|log) ?in to (?:comment|reply)\b.*"
    r"|you must be (?:logged|signed) in to (?:post|leave) a comment\b.*"
    r"|(?:the )?comments? (?:are|is) (?:now |currently )?closed\b.*"
    # sidebar and related-content headings
    r"|recent (?:comments|posts|articles|stories)|related(?: posts| articles| stories| content)?"
    r"|(?:most|more) (?:read|popular|viewed|commented|shared|from .{1,40})"
    r"|popular (?:posts|stories)"
    r"|you (?:may|might) also like|trending(?: now| stories)?|top stories|latest (?:news|posts)"
    # the footer
    r"|privacy(?: policy)?|terms(?: of (?:use|service))?|cookie (?:policy|settings)"
    r"|contact(?: us)?|about(?: us)?|advertise(?: with us)?|sitemap|all rights reserved\.?"
    r")[.:]?$",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s*[|·•]\s*")
#: A headline-like line has at most this many words (and no sentence end).
_HEADLINE_WORDS = 12


def ends_comments(text: str) -> bool:
    """A line that closes a comment section: the comment form, a sidebar heading, a footer
    or copyright line ("Terms of Use | Contact us" counts when each part does)."""
    text = text.strip()
    if not text or len(text) > 200:
        return False
    if clean.is_copyright(text):
        return True
    return all(_END.match(part) or clean.is_copyright(part)
               for part in _PARTS.split(text) if part)


def _sentence(line: Line) -> bool:
    """Text a commenter may have written: a sentence end, or more than a headline's words."""
    text = line.text.strip()
    if line.kind != TEXT or not text or ends_comments(text) or clean.is_chrome(text, edge=True):
        return False
    return (clean.word_count(text) > _HEADLINE_WORDS
            or bool(re.search(r"[.!?…]['\"”’)]*$", text)))


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
        if line.kind in (TEXT, LABEL, CHROME, HEADER) and ends_comments(line.text):
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
