"""Parser throughput: generate a few MB of every input format in memory, parse it, time it.

`bench_parser()` returns one row per format (format, MB, seconds, MB/s, threads, comments);
`make bench` prints them. The generated comments are random sentences from a small invented
vocabulary (seeded, so every run parses the same bytes).
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from html import escape
from typing import Any

logger = logging.getLogger(__name__)

_WORDS = ("the council water bridge plan vote ferry budget road school harbor power price "
          "tax people year week town never always maybe really think agree wrong right "
          "because should would could more less cost jobs study report board").split()
_NAMES = ("Anonymous", "Mara", "Pete Lindqvist", "harbor_watch", "Rosa Delgado", "kevin m",
          "Island Notes", "J. Alvarez")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + rng.choice(".?!.")


def _comment(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def _stamp(rng: random.Random, k: int) -> str:
    return f"February {1 + k % 28}, 2019 at {1 + k % 12}:{k % 60:02d} {'AM' if k % 2 else 'PM'}"



class _Parts(list[str]):
    """A list of page pieces that keeps their total length, so growing a page stays linear."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(items)
        self.chars = sum(map(len, items))

    def append(self, item: str) -> None:
        super().append(item)
        self.chars += len(item)


def _article(rng: random.Random) -> str:
    return "Harbor plan approved\n\n" + "\n\n".join(_comment(rng) for _ in range(6)) + "\n\n"


def gen_blogger_text(rng: random.Random, size: int) -> str:
    """Lossy Blogger text: labels glued to the next comment, no author lines."""
    parts = _Parts([_article(rng), "Read more ....\n"])
    label = ""
    while parts.chars < size:
        parts.append(f"{label}{_comment(rng)}\n")
        label = rng.choice(("ReplyDelete", "ReplyDelete", "Delete"))
    parts.append(label + "\n")
    return "".join(parts)


def gen_text(rng: random.Random, size: int) -> str:
    """WordPress-style text: "Name says:", a date line, the text, "Reply"."""
    parts = _Parts([_article(rng), "12 thoughts on “Harbor plan approved”\n\n"])
    k = 0
    while parts.chars < size:
        parts.append(f"{rng.choice(_NAMES)} says:\n{_stamp(rng, k)}\n\n{_comment(rng)}\n\n"
                     "Reply\n\n")
        k += 1
    return "".join(parts)


def gen_blogger_html(rng: random.Random, size: int) -> str:
    parts = _Parts(['<html><head><link href="https://www.blogger.com/x.css"></head><body>'
             '<h3 class="post-title">Harbor plan approved</h3><div class="post-body">'
             f"<p>{escape(_comment(rng))}</p></div><div class='comment-thread'><ol>"])
    k = 0
    while parts.chars < size:
        replies = "".join(
            f'<li class="comment" id="c{k}r{r}"><div class="comment-block"><div class='
            f'"comment-header"><cite class="user">{escape(rng.choice(_NAMES))}</cite><span '
            f'class="datetime"><a>{_stamp(rng, k)}</a></span></div><p class="comment-content">'
            f'{escape(_comment(rng))}</p></div></li>' for r in range(rng.randint(0, 2)))
        parts.append(
            f'<li class="comment" id="c{k}"><div class="comment-block"><div class="comment-header">'
            f'<cite class="user">{escape(rng.choice(_NAMES))}</cite><span class="datetime"><a>'
            f'{_stamp(rng, k)}</a></span></div><p class="comment-content">{escape(_comment(rng))}'
            '</p><span class="comment-actions"><a>Reply</a><a>Delete</a></span></div><div '
            f'class="comment-replies"><div class="comment-thread"><ol>{replies}</ol></div></div>'
            "</li>")
        k += 1
    return "".join(parts) + "</ol></div></body></html>"


def gen_wordpress_html(rng: random.Random, size: int) -> str:
    parts = _Parts(['<html><head><link href="/wp-content/style.css"></head><body><article>'
             '<h1 class="entry-title">Harbor plan approved</h1><div class="entry-content">'
             f"<p>{escape(_comment(rng))}</p></div></article><ol class='comment-list'>"])
    k = 0
    while parts.chars < size:
        parts.append(
            f'<li class="comment" id="comment-{k}"><article class="comment-body"><footer '
            f'class="comment-meta"><div class="comment-author vcard"><b class="fn">'
            f'{escape(rng.choice(_NAMES))}</b> <span class="says">says:</span></div><div '
            f'class="comment-metadata"><time datetime="2019-02-{1 + k % 28:02d}T10:00:00">x</time>'
            f'</div></footer><div class="comment-content"><p>{escape(_comment(rng))}</p></div>'
            '<div class="reply"><a>Reply</a></div></article></li>')
        k += 1
    return "".join(parts) + "</ol></body></html>"


def gen_html(rng: random.Random, size: int) -> str:
    """A page with its own comment markup (class names only a generic reader can guess)."""
    parts = _Parts(["<html><body><main><h1>Harbor plan approved</h1>"
             f"<p>{escape(_comment(rng))}</p></main><section class='comments'>"])
    k = 0
    while parts.chars < size:
        parts.append(f'<div class="comment-item" id="reply-{k}"><span class="username">'
                     f'{escape(rng.choice(_NAMES))}</span><div class="comment-text">'
                     f"{escape(_comment(rng))}</div></div>")
        k += 1
    return "".join(parts) + "</section></body></html>"


def gen_disqus(rng: random.Random, size: int) -> str:
    parts = _Parts(['<?xml version="1.0" encoding="utf-8"?><disqus xmlns="http://disqus.com" '
             'xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="1">'
             "<title>Harbor plan approved</title></thread>"])
    k = 0
    while parts.chars < size:
        parent = f'<parent dsq:id="{rng.randrange(k)}"/>' if k and rng.random() < 0.5 else ""
        parts.append(f'<post dsq:id="{k}"><message><![CDATA[<p>{escape(_comment(rng))}</p>]]>'
                     f"</message><createdAt>2019-02-26T09:15:00Z</createdAt><author><name>"
                     f'{escape(rng.choice(_NAMES))}</name></author><thread dsq:id="1"/>{parent}'
                     "</post>")
        k += 1
    return "".join(parts) + "</disqus>"


def gen_atom(rng: random.Random, size: int) -> str:
    parts = _Parts(['<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
             'xmlns:thr="http://purl.org/syndication/thread/1.0"><title>Comments on Blog: '
             "Harbor plan approved</title>"])
    k = 0
    while parts.chars < size:
        parts.append(f"<entry><id>tag:blogger.com,1999:blog-1.post-{k}</id><published>"
                     f"2019-02-26T09:15:00Z</published><content type='html'>"
                     f"{escape(_comment(rng))}</content><author><name>"
                     f"{escape(rng.choice(_NAMES))}</name></author></entry>")
        k += 1
    return "".join(parts) + "</feed>"


def gen_reddit(rng: random.Random, size: int) -> str:
    comments: list[dict[str, Any]] = []
    total = 0
    k = 0
    while total < size:
        body, reply_body = _comment(rng), _comment(rng)
        total += len(body) + len(reply_body) + 300
        reply = {"kind": "t1", "data": {"name": f"t1_{k}r", "author": rng.choice(_NAMES),
                                        "body": reply_body, "replies": ""}}
        comments.append({"kind": "t1", "data": {
            "name": f"t1_{k}", "author": rng.choice(_NAMES), "body": body,
            "created_utc": 1551172500 + k,
            "replies": {"kind": "Listing", "data": {"children": [reply]}}}})
        k += 1
    post = {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
        "title": "Harbor plan approved", "selftext": _comment(rng), "author": "op"}}]}}
    return json.dumps([post, {"kind": "Listing", "data": {"children": comments}}])


def gen_jsonl(rng: random.Random, size: int) -> str:
    lines: list[str] = []
    total = 0
    t = 0
    while total < size:
        comments = [{"id": f"c{k}", "parent_id": f"c{k - 1}" if k % 3 else None,
                     "text": _comment(rng)} for k in range(1, 40)]
        line = json.dumps({"thread_id": f"t{t}", "comments": comments})
        lines.append(line)
        total += len(line) + 1
        t += 1
    return "\n".join(lines) + "\n"


GENERATORS: dict[str, Callable[[random.Random, int], str]] = {
    "blogger-text": gen_blogger_text, "text": gen_text, "blogger-html": gen_blogger_html,
    "wordpress-html": gen_wordpress_html, "html": gen_html, "disqus-xml": gen_disqus,
    "reddit-json": gen_reddit, "blogger-atom": gen_atom, "jsonl": gen_jsonl,
}


def bench_parser(size_mb: float = 2.0, formats: list[str] | None = None,
                 seed: int = 13) -> list[dict[str, Any]]:
    """Generate `size_mb` of each format, parse it with auto-detection, and time the parse."""
    from stance.thread.parse import ParseOptions, parse_text

    rows: list[dict[str, Any]] = []
    for name in formats or list(GENERATORS):  # warm up: imports are not parsing time
        list(parse_text(GENERATORS[name](random.Random(seed), 2000), ParseOptions(),
                        source=f"warmup.{name}"))
    for name in formats or list(GENERATORS):
        text = GENERATORS[name](random.Random(seed), int(size_mb * 1_000_000))
        megabytes = len(text.encode("utf-8")) / 1_000_000
        start = time.perf_counter()
        threads = list(parse_text(text, ParseOptions(), source=f"bench.{name}"))
        seconds = time.perf_counter() - start
        detected = threads[0].format if threads else None
        rows.append({"format": name, "detected": detected, "MB": round(megabytes, 2),
                     "seconds": round(seconds, 3), "MB/s": round(megabytes / seconds, 2),
                     "threads": len(threads),
                     "comments": sum(len(t.comments) for t in threads)})
        logger.info("parsed %.1f MB of %s in %.2f s", megabytes, name, seconds)
    return rows


def main() -> None:
    for row in bench_parser():
        print("  ".join(f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
