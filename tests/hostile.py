"""Hypothesis strategies for hostile input (issue 13): arbitrary JSON in every field of a thread
line, text no encoder takes, random bytes, and HTML/XML fragments. Shared by the parse and label
property tests (pytest puts this folder, the one of the root conftest.py, on sys.path)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

#: Characters that break naive readers: lone surrogates (an emoji cut in half), controls, NUL,
#: non-characters, combining marks, bidi controls, line separators, a BOM, a whole emoji.
NASTY = ["\ud800", "\udfff", "\ud83d", "\ude00", "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b",
         "\x7f", "\x85", "\x9f", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\U0001fffe",
         "\u0301", "\u20dd", "\u202e", "\u200f", "\u0627", "\u05d0", "\u200d", "\u2028",
         "\u2029", "\ufeff", "\U0001f600", "\t", "\r", "\n", "\\", '"', " "]

hostile_text = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=40)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=6)


def _field(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually a well-typed value, often anything JSON can hold."""
    return st.one_of(good, good, json_values)


_COMMENT_KEYS = {"id": st.sampled_from(["c1", "c2", "c3", ""]) | hostile_text,
                 "parent_id": st.none() | st.sampled_from(["c1", "c2", "c3"]),
                 "author": st.none() | hostile_text, "timestamp": st.none() | hostile_text,
                 "text": hostile_text}
comments = st.fixed_dictionaries({}, optional={k: _field(v) for k, v in _COMMENT_KEYS.items()})
_ARTICLE = st.fixed_dictionaries({}, optional={k: _field(st.none() | hostile_text)
                                               for k in ("title", "text", "author", "published")})
thread_objects = st.fixed_dictionaries({}, optional={
    "thread_id": _field(st.sampled_from(["t1", "t2"]) | hostile_text),
    "source": _field(st.none() | hostile_text), "format": _field(st.just("jsonl")),
    "target": _field(st.none() | hostile_text), "article": _field(st.none() | _ARTICLE),
    "comments": _field(st.lists(_field(comments), max_size=5)),
    "warnings": _field(st.lists(hostile_text, max_size=2)),
})
#: A line that is certainly not JSON (it starts with '#').
junk_lines = hostile_text.map(lambda s: "#" + s.replace("\n", " ").replace("\r", " "))


@st.composite
def thread_lines(draw: st.DrawFn) -> str:
    """One line of thread JSONL: mostly a thread object, sometimes any JSON value or junk.
    Lone surrogates travel as JSON escapes, or (ensure_ascii off) as invalid UTF-8 bytes."""
    kind = draw(st.sampled_from(["thread"] * 6 + ["json", "junk"]))
    if kind == "junk":
        return draw(junk_lines)
    value = draw(thread_objects if kind == "thread" else json_values)
    return json.dumps(value, ensure_ascii=draw(st.booleans()))


def jsonl_bytes(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


def usable_text(value: Any) -> bool:
    return isinstance(value, str | int | float)  # bool is an int; null, lists and objects not


def surviving_comments(line: str) -> int | None:
    """How many comments of the line should survive (an oracle independent of the reader);
    None when the line holds no thread."""
    if line.startswith("#"):
        return None
    obj = json.loads(line)
    if not isinstance(obj, dict) or not isinstance(obj.get("comments"), list):
        return None
    return sum(isinstance(c, dict) and usable_text(c.get("text")) for c in obj["comments"])


_TAGS = ["div", "p", "li", "ol", "ul", "article", "section", "span", "a", "br", "h1", "time",
         "script", "style", "blockquote", "table", "td", "post", "thread", "message", "author",
         "entry", "content", "title", "body", "html"]
_ATTRS = ["", ' class="comment"', ' class="comment-body"', ' class="comment-author"',
          ' class="commentlist"', ' id="c1"', ' dsq:id="1"', ' class="reply"', ' href="#"',
          ' class="comments-block blogger.com"', ' datetime="2020-01-01"']
_BITS = ["&amp;", "&#0;", "&#xD800;", "&#1;", "&bogus;", "&#x10FFFF;", "<![CDATA[x]]>",
         "<!-- c -->", "<!--", "]]>", "<?pi x?>", "<", ">", "&", "<br/>", "</div>", "</p>"]
_PREFIXES = ["", "<!DOCTYPE html>", "<?xml version='1.0' encoding='utf-8'?>",
             "<html><body>", '<disqus xmlns="http://disqus.com" '
             'xmlns:dsq="http://disqus.com/disqus-internals">',
             '<feed xmlns="http://www.w3.org/2005/Atom">',
             "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"]


@st.composite
def markup(draw: st.DrawFn) -> str:
    """A random HTML/XML fragment: nested, unclosed and stray tags, entities, CDATA, text."""
    parts = [draw(st.sampled_from(_PREFIXES))]
    for _ in range(draw(st.integers(0, 25))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            parts.append(f"<{draw(st.sampled_from(_TAGS))}{draw(st.sampled_from(_ATTRS))}>")
        elif choice == 1:
            parts.append(f"</{draw(st.sampled_from(_TAGS))}>")
        elif choice == 2:
            parts.append(draw(st.sampled_from(_BITS)))
        else:
            parts.append(draw(hostile_text))
    return "".join(parts)
