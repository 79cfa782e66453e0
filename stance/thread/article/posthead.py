"""The head of a post that opens a thread: a link aggregator's title and submitter lines, a
social post's name and handle lines, and a title for a post that prints none.

Kept apart from `article` because these are the post's own furniture rather than a news
page's boilerplate, and each rule is a small, separately tested shape:

- old Reddit, Lemmy and Hacker News print the title, then a submitter line under it
  ("submitted 14 hours ago by pete to r/town", "318 points by dana 11 hours ago | hide");
  the title may end with the post's kind or link domain in parentheses ("(self.Millbrook)",
  "(example.com)"), which is furniture, not part of the title;
- a social post (X, Mastodon, Bluesky) prints the display name over the handle ("Metro
  Transit" / "@metrotransit_x") above its text: that is the author, not the text;
- a post without a title is represented by its first sentence (what stance is measured toward).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stance.thread.lines import clean, headers
from stance.thread.lines.kinds import BLANK, Line

#: "(self.Millbrook)" or "(example.com)", "(i.redd.it)", "(youtube.com/watch)" after a title.
_TITLE_TAG = re.compile(r"\s*\((?:self\.\w{2,40}|[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,12}"
                        r"(?:/[^\s()]*)?)\)$", re.IGNORECASE)
#: Old Reddit and Lemmy: "submitted 14 hours ago by pete" (+ " to r/town" / " to technology").
_SUBMITTED = re.compile(r"^submitted\s+(?P<when>\S.{0,40}?)\s+by\s+(?P<a>[\w.\-]{2,40})"
                        r"(?:\s*\[[A-Z+]{1,3}\])?(?:\s+to\s+(?:/?r/)?[\w.\-@]{2,60})?$",
                        re.IGNORECASE)
#: Hacker News: "318 points by dana 11 hours ago | hide | past | favorite | 201 comments".
_POINTS_BY = re.compile(r"^\d[\d,]*\s+points?\s+by\s+(?P<a>[\w.\-]{2,40})\s+"
                        r"(?P<when>\d{1,4}\s+\w+\s+ago)(?:\s*\|.*)?$", re.IGNORECASE)
#: A handle on a line of its own: "@metrotransit_x", "@tomas@fosstodon.example".
_HANDLE = re.compile(r"^@[\w.\-]{1,40}(?:@[\w\-]+(?:\.[\w\-]+)+)?$")
#: The first sentence of a post, used as its title.
_FIRST_SENTENCE = re.compile(r"^.+?[.!?…](?=\s|$)", re.DOTALL)
MAX_TITLE_WORDS = 30


@dataclass(frozen=True, slots=True)
class Submitter:
    """Who submitted the post and when, as the submitter line prints it."""

    author: str
    when: str


def submitter(line: str) -> Submitter | None:
    """The submitter line under a link aggregator's post title, or None."""
    text = clean.normalise_space(line)
    match = _SUBMITTED.match(text) or _POINTS_BY.match(text)
    if match is None:
        return None
    return Submitter(author=headers.clean_name(match.group("a")), when=match.group("when"))


def has_title_tag(line: str) -> bool:
    """Does the line end with a post kind or link domain in parentheses ("(self.sailing)")?"""
    return bool(_TITLE_TAG.search(line.strip()))


def untagged(title: str) -> str:
    """The title without its "(self.sub)" / "(domain)" tag."""
    return _TITLE_TAG.sub("", title.strip()).strip()


def is_handle(line: str) -> bool:
    return bool(_HANDLE.match(line.strip()))


def social_author(name_line: str, handle_line: str) -> str | None:
    """The display name of a social post's "Name" / "@handle" header, or None when the two
    lines are not that header (the handle must be on its own line, under a plausible name)."""
    name = name_line.strip()
    if not is_handle(handle_line) or name.startswith("@") or not headers.name_ok(name,
                                                                                max_words=5):
        return None
    return headers.clean_name(name)


def head_handles(lines: list[Line], limit: int = 5) -> list[str]:
    """Handles under a display name at the top of the article part ("Metro Transit" /
    "@metrotransit_x"): the post's author, whom replies address by handle."""
    content = [ln.text for ln in lines if ln.kind != BLANK][:limit]
    return [handle for name, handle in zip(content, content[1:], strict=False)
            if social_author(name, handle) is not None]


def first_sentence_title(text: str) -> str | None:
    """A post's first sentence, when it is short enough to stand for the post."""
    match = _FIRST_SENTENCE.match(text)
    title = clean.normalise_space(match.group(0) if match else text)
    return title if 0 < clean.word_count(title) <= MAX_TITLE_WORDS else None
