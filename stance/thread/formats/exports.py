"""Platform exports: Disqus XML, Blogger's Atom comment feed, Reddit JSON.

XML is read with defusedxml (no DTDs, no entity expansion, no external entities). Reddit JSON
of any depth is read by `stance.thread.jsondeep`, and every walk over it keeps its own stack.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from stance.errors import InputError
from stance.thread import jsondeep
from stance.thread.formats.common import thread_id_for
from stance.thread.htmltext import fragment_text
from stance.thread.lines import dates
from stance.thread.model import Article, Comment, Thread
from stance.thread.parse import ParseOptions, register, register_sniffer

logger = logging.getLogger(__name__)

_DSQ = "{http://disqus.com/disqus-internals}id"
_ATOM = "{http://www.w3.org/2005/Atom}"
_THR = "{http://purl.org/syndication/thread/1.0}"


def _xml(text: str, source: str) -> Element:
    try:
        return SafeET.fromstring(text.lstrip("\ufeff").strip())
    except DefusedXmlException as exc:
        raise InputError(f"XML with forbidden constructs ({type(exc).__name__}: DTDs and "
                         "entities are not read)", path=source) from None
    except SafeET.ParseError as exc:
        line = getattr(exc, "position", (None, None))[0]
        raise InputError(f"not well-formed XML ({exc})", path=source, line=line) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: Element, name: str) -> Element | None:
    for child in node:
        if _local(child.tag) == name:
            return child
    return None


def _child_text(node: Element, name: str) -> str:
    child = _child(node, name)
    return (child.text or "").strip() if child is not None else ""


def _ref(node: Element | None) -> str | None:
    if node is None:
        return None
    return node.get(_DSQ) or node.get("id") or None


# -- Disqus -----------------------------------------------------------------------------------

def read_disqus(text: str, source: str, options: ParseOptions) -> list[Thread]:
    root = _xml(text, source)
    titles: dict[str, Article] = {}
    order: list[str] = []
    for node in root:
        if _local(node.tag) == "thread" and _ref(node):
            key = str(_ref(node))
            titles[key] = Article(title=_child_text(node, "title") or None, text="",
                                  author=None, published=dates.normalise_timestamp(
                                      _child_text(node, "createdAt")))
            order.append(key)
    posts: dict[str, list[tuple[Comment, bool]]] = {}
    for node in root:
        if _local(node.tag) != "post":
            continue
        thread_ref = _ref(_child(node, "thread")) or "?"
        removed = (_child_text(node, "isDeleted") == "true" or
                   _child_text(node, "isSpam") == "true")
        author = _child(node, "author")
        comment = Comment(id=str(_ref(node) or ""),
                          text=fragment_text(_child_text(node, "message")),
                          parent_id=_ref(_child(node, "parent")),
                          author=_child_text(author, "name") or None if author is not None
                          else None,
                          timestamp=dates.normalise_timestamp(_child_text(node, "createdAt")))
        posts.setdefault(thread_ref, []).append((comment, removed))
        if thread_ref not in order:
            order.append(thread_ref)
    if not posts and not titles:
        raise InputError("is XML but holds no Disqus <thread> or <post> elements", path=source)
    threads = []
    for key in order:
        comments, warnings = _drop_removed(posts.get(key, []))
        threads.append(Thread(thread_id=thread_id_for(source, key if len(order) > 1 else None),
                              comments=tuple(comments), source=source, format="disqus-xml",
                              article=titles.get(key), warnings=tuple(warnings)))
    return threads


def _drop_removed(posts: list[tuple[Comment, bool]]) -> tuple[list[Comment], list[str]]:
    """Deleted and spam posts leave; their replies move up to the removed post's parent."""
    up = {c.id: c.parent_id for c, removed in posts if removed}
    kept: list[Comment] = []
    for comment, removed in posts:
        if removed:
            continue
        parent = comment.parent_id
        steps = 0
        while parent in up and steps <= len(up):
            parent = up[parent]
            steps += 1
        kept.append(Comment(id=comment.id, text=comment.text, parent_id=parent,
                            author=comment.author, timestamp=comment.timestamp))
    warnings = [f"{len(up)} deleted or spam post(s) left out; their replies were attached to "
                "the post above them"] if up else []
    return kept, warnings


# -- Blogger Atom comment feed ------------------------------------------------------------------

def _short_id(entry_id: str) -> str:
    match = re.search(r"post-(\d+)$", entry_id)
    return match.group(1) if match else entry_id


def read_atom(text: str, source: str, options: ParseOptions) -> list[Thread]:
    root = _xml(text, source)
    entries = [e for e in root if _local(e.tag) == "entry"]
    ids = {_short_id(_child_text(e, "id")) for e in entries}
    comments: list[Comment] = []
    for entry in entries:
        cid = _short_id(_child_text(entry, "id"))
        parent = None
        for node in entry:
            if _local(node.tag) == "in-reply-to" and _short_id(node.get("ref") or "") in ids:
                parent = _short_id(node.get("ref") or "")
            if _local(node.tag) == "link" and node.get("rel") == "related":
                match = re.search(r"/comments/default/(\d+)", node.get("href") or "")
                if match and match.group(1) in ids:
                    parent = match.group(1)
        author = _child(entry, "author")
        content = _child(entry, "content")
        if content is None:  # (an Element without children is falsy: no `or` here)
            content = _child(entry, "summary")
        comments.append(Comment(
            id=cid, text=fragment_text((content.text or "") if content is not None else ""),
            parent_id=parent, author=_child_text(author, "name") or None if author is not None
            else None, timestamp=dates.normalise_timestamp(_child_text(entry, "published"))))
    title = re.sub(r"^Comments on [^:]*:\s*", "", _child_text(root, "title"))
    return [Thread(thread_id=thread_id_for(source), comments=tuple(comments), source=source,
                   format="blogger-atom", article=Article(title=title) if title else None)]


# -- Reddit JSON --------------------------------------------------------------------------------

def _things(data: Any) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(thing data, parent comment id) for every comment and post, walked with a stack."""
    stack: list[tuple[Any, str | None]] = [(data, None)]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, list):
            stack.extend((item, parent) for item in reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        inner = node.get("data") if isinstance(node.get("data"), dict) else None
        kind = node.get("kind")
        if kind == "Listing" and inner is not None:
            stack.append((inner.get("children") or [], parent))
            continue
        thing = inner if inner is not None and kind in ("t1", "t3", "more") else node
        if kind == "more":
            yield {"_more": len(thing.get("children") or [])}, parent
            continue
        yield thing, parent
        own = str(thing.get("name") or thing.get("id") or "") or None
        replies = thing.get("replies")
        if replies:
            stack.append((replies, own if "body" in thing else parent))
        children = thing.get("comments") if "comments" in thing else None
        if isinstance(children, list):
            stack.append((children, own if "body" in thing else parent))


def read_reddit(text: str, source: str, options: ParseOptions) -> list[Thread]:
    try:
        data = jsondeep.loads(text)
    except ValueError as exc:
        pos = getattr(exc, "pos", None)
        line = text.count("\n", 0, pos) + 1 if isinstance(pos, int) else None
        raise InputError(f"not valid JSON ({exc.args[0] if exc.args else exc})", path=source,
                         line=line) from None
    article: Article | None = None
    comments: list[Comment] = []
    more = 0
    for thing, parent in _things(data):
        if "_more" in thing:
            more += int(thing["_more"])
        elif "body" in thing:
            comments.append(_reddit_comment(thing, parent))
        elif "title" in thing and article is None:
            article = Article(title=str(thing.get("title") or "") or None,
                              text=str(thing.get("selftext") or ""),
                              author=thing.get("author") or None,
                              published=_epoch(thing.get("created_utc")))
    if not comments and article is None:
        raise InputError("is JSON but holds no Reddit comments (objects with a 'body')",
                         path=source)
    warnings = [f"{more} comment(s) were not loaded in this export ('load more comments')"] \
        if more else []
    return [Thread(thread_id=thread_id_for(source), comments=tuple(comments), source=source,
                   format="reddit-json", article=article, warnings=tuple(warnings))]


def _epoch(value: Any) -> str | None:
    if isinstance(value, (int, float)) and value > 0:
        from datetime import datetime

        try:
            return datetime.fromtimestamp(value, tz=UTC).replace(tzinfo=None).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return dates.normalise_timestamp(value) if isinstance(value, str) else None


def _reddit_comment(thing: dict[str, Any], parent: str | None) -> Comment:
    cid = str(thing.get("name") or thing.get("id") or "")
    explicit = thing.get("parent_id")
    if isinstance(explicit, str) and explicit.startswith("t3_"):
        parent = None
    elif isinstance(explicit, str) and explicit:
        parent = explicit
    return Comment(id=cid, text=str(thing.get("body") or ""), parent_id=parent,
                   author=thing.get("author") or None, timestamp=_epoch(thing.get("created_utc")))


# -- sniffing -----------------------------------------------------------------------------------

def sniff_exports(name: str, head: str) -> str | None:
    start = head.lstrip("\ufeff \t\r\n")[:1]
    if start == "<":
        if re.search(r"<disqus[\s>]", head):
            return "disqus-xml"
        if re.search(r"<feed[\s>]", head) and "http://www.w3.org/2005/Atom" in head:
            return "blogger-atom"
        return None
    if start in ("[", "{") and re.search(r'"(?:body|kind)"\s*:', head):
        return "reddit-json"
    return None


register("disqus-xml", read_disqus)
register("blogger-atom", read_atom)
register("reddit-json", read_reddit)
register_sniffer(sniff_exports)
