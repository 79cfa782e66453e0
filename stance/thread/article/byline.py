"""The byline under an article's title: who wrote it and when, kept as the article's author
and published date.

Kept apart from `article` because the shapes that hold a byline are also the shapes of
comment headers ("By X | date", "Name" over "tagline · 2d"), and the line classifier reads
them as headers, which the article text drops. A line is taken as the article's byline only
when all of these hold, so that a commenter's header is never taken for it:

- it lies in the article part (before the layout's first comment) and in its head: under a
  title line, among the first few lines, before the first paragraph of the body;
- it has a byline's own shape, which comment headers do not print:
  "By Colm Brennan | May 14, 2024", "By Colm Brennan, May 14 2024", "Posted by msmash on
  Monday January 28, 2019 ..." (the classifier's "by name on date" headers),
  "Published 14 May 2024 by Colm Brennan", "Colm Brennan | Staff writer | 14 May 2024"
  (a role between name and date: a bare "Name | date" is how comments are headed);
- a blog's "Name" over "tagline · 2d" (the classifier's "name over tagline" header) is a
  byline only with body text after it in the article part: on a Q&A page the same shape
  heads an answer, which the layout already took as a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stance.thread.lines import clean, dates, headers, taglines
from stance.thread.lines.kinds import BLANK, HEADER, TEXT, Line

#: The classifier's shapes of a "by" byline ("post by" and "comment by" head forum posts).
_BY_SHAPES = frozenset({"by name on date", "posted by name on date", "written by name on date"})
#: Non-blank lines under the top of the article part in which a byline is looked for.
HEAD_LINES = 5
#: "Published 14 May 2024" / "Updated:" / "Posted on" before the date of a "... by Name" line.
_DATE_LEAD = re.compile(r"^(?:(?:first\s+)?(?:published|posted|updated|written)(?:\s+on)?)?"
                        r"\s*:?\s*$", re.IGNORECASE)
#: "| by Colm Brennan" after the date.
_BY_AFTER = re.compile(r"^\s*(?:[|·•,–—-]\s*)?by:?\s+(?P<a>[^|·•,]{2,60}?)\s*$", re.IGNORECASE)
#: "By Colm Brennan," / "By Colm Brennan | Updated" before the date.
_BY_BEFORE = re.compile(r"^by:?\s+(?P<a>[^|·•,]{2,60}?)\s*(?:[|·•,–—-]|\bon\b)\s*"
                        r"(?:(?:published|posted|updated)(?:\s+on)?\s*:?\s*)?$", re.IGNORECASE)
#: Job titles a newsroom prints between a reporter's name and the date.
_ROLE_WORDS = re.compile(r"\b(?:writer|reporter|correspondent|editor|columnist|contributor|"
                         r"journalist|staff|desk|critic)\b", re.IGNORECASE)
_SEGMENTS = re.compile(r"\s+[|·•]\s+")


@dataclass(frozen=True, slots=True)
class Byline:
    """The article's author and published date (normalised like comment timestamps)."""

    author: str
    published: str | None = None


def _published(stamp: str | None) -> str | None:
    """The date inside a byline's date part, normalised ("May 14, 2024" -> "2024-05-14")."""
    if not stamp:
        return None
    span = dates.find_date(stamp)
    if span is not None:
        return dates.normalise_timestamp(stamp[slice(*span)])
    return dates.normalise_timestamp(stamp) if dates.is_date_line(stamp) else None


def _named(name: str, published: str | None) -> Byline | None:
    name = headers.clean_name(name)
    return Byline(author=name, published=published) if headers.name_ok(name) else None


def _is_role(text: str) -> bool:
    return bool(_ROLE_WORDS.search(text)) or taglines.is_tagline(text)


def _name_role_date(text: str) -> Byline | None:
    """"Colm Brennan | Staff writer | 14 May 2024" or "Colm Brennan, Staff writer | 14 May
    2024": a name, a role and nothing but a date."""
    parts = _SEGMENTS.split(text)
    if len(parts) == 2 and "," in parts[0]:
        parts = [*parts[0].split(",", 1), parts[1]]
    if len(parts) != 3 or not dates.is_date_line(parts[2]) or not _is_role(parts[1].strip()):
        return None
    return _named(parts[0], _published(parts[2]))


def byline_of_text(text: str) -> Byline | None:
    """The author and date of a byline line as printed, whatever the classifier made of it;
    None when the line is not shaped like a byline (a comment's "Name | date" is not)."""
    text = clean.normalise_space(text)
    span = dates.find_date(text)
    if span is None:
        return None
    before, after = text[:span[0]].strip(), text[span[1]:].strip()
    published = dates.normalise_timestamp(text[slice(*span)])
    if _DATE_LEAD.match(before) and (by := _BY_AFTER.match(after)):
        return _named(by.group("a"), published)  # "Published 14 May 2024 by Colm Brennan"
    if (by := _BY_BEFORE.match(before)) and not after.strip(" |·•,.;"):
        return _named(by.group("a"), published)  # "By Colm Brennan, May 14 2024"
    return _name_role_date(text)


def name_over_tagline(name: str, below: str) -> Byline | None:
    """A blog's "Nadia Ferris" over "Urban planner · 2d" printed straight under the title:
    without a blank line above the name the classifier leaves both lines text."""
    parts = re.split(r"\s+[·•]\s+", below.strip())
    name = name.strip()
    if (len(parts) != 2 or not taglines.is_tagline(parts[0]) or not dates.is_date_line(parts[1])
            or name.endswith(".") or taglines.is_tagline(name)
            or not headers.name_ok(name, max_words=4)):
        return None
    return _named(name, _published(parts[1]))


def _of_header(line: Line, below: Line | None) -> Byline | None:
    """A byline the classifier read as a header ("by name on date", a name over a tagline)."""
    attr = line.attr
    if attr is None or not attr.author:
        return None
    if attr.shape in _BY_SHAPES:
        return _named(attr.author, _published(attr.timestamp))
    if (attr.shape == "name over tagline" and below is not None and below.attr is not None
            and below.attr.shape == "tagline date"):
        return _named(attr.author, _published(below.attr.timestamp))
    return None


def _is_body(line: Line) -> bool:
    """A line of the article's body: a sentence, not a title, kicker or byline."""
    return line.kind == TEXT and clean.word_count(line.text) >= 8 and line.text[-1:] in ".!?…\"”"


def find_byline(lines: list[Line]) -> Byline | None:
    """The byline under the title at the top of the article part (see the module's rules),
    or None."""
    content = [ln for ln in lines if ln.kind != BLANK]
    for k, line in enumerate(content[:HEAD_LINES]):
        if _is_body(line):
            return None
        if k == 0 or not any(ln.kind == TEXT for ln in content[:k]):
            continue  # a byline sits under the title
        below = content[k + 1] if k + 1 < len(content) else None
        found = _of_header(line, below) if line.kind == HEADER else None
        if found is not None and line.attr is not None and line.attr.shape not in _BY_SHAPES:
            if not any(_is_body(ln) for ln in content[k + 2:]):
                return None  # a name over a tagline with no text under it heads an answer
        found = found or byline_of_text(line.text)
        if found is not None:
            return found
    return None
