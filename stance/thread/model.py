"""The domain objects: a thread is a flat list of comments, each naming its parent.

Field names and JSON shapes follow CONTRACT.md exactly; `to_dict`/`from_dict` are the only
places that know them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


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
        """What stance is measured toward: the given target, else the article's title."""
        if self.target:
            return self.target
        if self.article is not None and self.article.title:
            return self.article.title
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
