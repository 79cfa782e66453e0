"""The domain objects: a thread is a flat list of comments, each naming its parent.

Field names and JSON shapes follow CONTRACT.md exactly; `to_dict`/`from_dict` are the only
places that know them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

#: A target read from an article's text stops after this many words: the stance target shares
#: the encoder's token budget with the comment.
LEAD_MAX_WORDS = 40
#: Sentences are taken until the lead has at least this many words ("Breaking." alone is no
#: claim).
LEAD_MIN_WORDS = 8
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
#: A list item's marker at the start of a line ("1. ", "(2) ", "• ", "- "): not part of a claim.
_LIST_MARKER = re.compile(r"^[ \t]*(?:\(?\d{1,3}[.)]|[-*•·▪►‣◦])[ \t]+", re.MULTILINE)


def lead_claim(text: str) -> str:
    """The opening claim of an article's text: its first sentence(s), at most LEAD_MAX_WORDS
    words (what stance is measured toward when the article has no title, e.g. a rumour's
    source post given as the article), without list markers ("1. ", "• ")."""
    words: list[str] = []
    for sentence in _SENTENCE_END.split(" ".join(_LIST_MARKER.sub("", text).split())):
        words.extend(sentence.split())
        if len(words) >= LEAD_MIN_WORDS:
            break
    return " ".join(words[:LEAD_MAX_WORDS])


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    text: str
    parent_id: str | None = None
    author: str | None = None
    timestamp: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "parent_id": self.parent_id, "author": self.author,
                "timestamp": self.timestamp, "text": self.text}


@dataclass(frozen=True, slots=True)
class Article:
    title: str | None = None
    text: str = ""
    author: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "text": self.text, "author": self.author,
                "published": self.published}


@dataclass(frozen=True, slots=True)
class Thread:
    thread_id: str
    comments: tuple[Comment, ...] = ()
    source: str | None = None
    format: str | None = None
    target: str | None = None
    article: Article | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def effective_target(self) -> str:
        """What stance is measured toward: the given target, else the article's title, else
        the opening claim of the article's text (`lead_claim`)."""
        if self.target:
            return self.target
        if self.article is not None and self.article.title:
            return self.article.title
        if self.article is not None and self.article.text.strip():
            return lead_claim(self.article.text)
        return ""

    def with_warnings(self, *messages: str) -> Thread:
        return replace(self, warnings=self.warnings + tuple(messages))

    def to_dict(self) -> dict[str, Any]:
        return {
            "thread_id": self.thread_id,
            "source": self.source,
            "format": self.format,
            "target": self.target,
            "article": self.article.to_dict() if self.article is not None else None,
            "comments": [c.to_dict() for c in self.comments],
            "warnings": list(self.warnings),
        }
