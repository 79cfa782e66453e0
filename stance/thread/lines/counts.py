"""A post's own counts: its counter row, and the vote count that marks a post in the discussion.

A count line like "2 comments" normally opens the page's comment section (a marker), and the
comment section then starts after it. Q&A and social sites also print such a count under
every post, next to its vote count ("14" / "2 comments" under a Quora answer): there it is
that post's counter row, and taking it as the section marker would push the post above it into
the article. A count marker directly under a bare number (no blank line between) is read as
such a counter row; a marker that opens a comment section follows text, a heading or a blank
line, not a vote count.

A vote count in a post's header ("Answer · 14 upvotes", "12 points") says readers vote on it:
it is a post of the discussion (an answer, a comment), not an article's byline.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stance.thread.lines.kinds import COUNTER, LABEL, MARKER, Line

#: "14 upvotes", "1.2K votes", "12 points" on a label line.
_VOTES = re.compile(r"\b\d[\d,.]*[KkMm]?\s*(?:(?:up)?votes?|points?)\b", re.IGNORECASE)

#: "2 comments", "40 answers", "3 replies": a count, not a heading ("Comments:").
_COUNT = re.compile(r"^\d[\d,.]*[KkMm]?\s+\w+$")


def counter_rows(lines: list[Line]) -> list[Line]:
    """Count markers directly under a bare number become labels (the post's counter row)."""
    out = list(lines)
    for i in range(1, len(lines)):
        line = lines[i]
        if line.kind == MARKER and lines[i - 1].kind == COUNTER and _COUNT.match(line.text):
            out[i] = replace(line, kind=LABEL)
    return out


def has_votes(lines: list[Line]) -> bool:
    """Does one of the (header block's) label lines carry a vote count?"""
    return any(line.kind == LABEL and _VOTES.search(line.text) for line in lines)
