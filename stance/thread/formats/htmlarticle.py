"""The article of an HTML page: trafilatura's main text, never made worse by our own steps.

`trafilatura_article` runs trafilatura as a user would (its default settings, fallbacks
included) with comments left out. Our changes to its text are meant never to lose article
words: button and boilerplate lines ("Share this:", "Leave a comment") are dropped only when
that keeps nearly all of the words, a platform's post markup is used only when it holds nearly
all of trafilatura's words, and lines are taken out only when they are the text of comments
found on the page (with those comments' header and button lines).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from stance.thread.lines import clean, dates
from stance.thread.model import Article

logger = logging.getLogger(__name__)

#: Cleaning may drop at most this share of trafilatura's words.
_CLEAN_LOSS = 0.1
#: A platform's post body must hold this share of trafilatura's words to be used instead.
_PLATFORM_COVER = 0.8
_SAYS = re.compile(r"^\S.{0,50}?\s(?:says|said|wrote)\s*(?::|\.\.\.|…)?$", re.IGNORECASE)
#: A thread page's main text is mostly (at least half) comment words.
_THREAD_SHARE = 0.5
_LIST_MARK = re.compile(r"^\s*(?:[-*•]\s+)+")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def trafilatura_document(html_text: str, comments: bool, recall: bool = False
                         ) -> dict[str, object] | None:
    """trafilatura's `bare_extraction` (default settings, or `favor_recall`) as a dict, None
    when it finds nothing or fails on the page."""
    try:
        import trafilatura

        document = trafilatura.bare_extraction(
            html_text, include_comments=comments, with_metadata=True, favor_recall=recall,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # noqa: BLE001 - a third-party extractor on untrusted input
        logger.info("trafilatura could not read the page (%s)", type(exc).__name__)
        return None
    if document is None or isinstance(document, dict):
        return document
    found = document.as_dict()
    return found if isinstance(found, dict) else None


def trafilatura_article(html_text: str) -> Article | None:
    """The page's main content by trafilatura; None when it finds none or cannot cope. Only
    when its default settings find nothing is it asked again to favour recall."""
    found = trafilatura_document(html_text, comments=False)
    if found is None or not str(found.get("text") or "").strip():
        found = trafilatura_document(html_text, comments=False, recall=True) or found
    if found is None:
        return None
    raw = str(found.get("text") or "").strip()
    title = str(found.get("title") or "") or None
    if title and raw.startswith(title):
        raw = raw[len(title):].lstrip(" \n")  # trafilatura repeats the headline
    cleaned = clean.join_text([ln for ln in raw.split("\n")
                               if not clean.is_chrome(ln, edge=True) and not clean.is_label(ln)])
    text = cleaned if len(_words(cleaned)) >= (1 - _CLEAN_LOSS) * len(_words(raw)) else raw
    if not text and not title:
        return None
    published = found.get("date")
    return Article(title=title, text=text, author=str(found.get("author") or "") or None,
                   published=dates.normalise_timestamp(str(published) if published else None))


def trafilatura_comments(html_text: str) -> str:
    """The text trafilatura takes for the page's comment section ("" when none)."""
    found = trafilatura_document(html_text, comments=True)
    return str(found.get("comments") or "").strip() if found else ""


def choose(platform: Article | None, extracted: Article | None) -> Article | None:
    """The platform's post (cleaner fields) when its body holds nearly all of trafilatura's
    words (headline, byline and numbers aside), else trafilatura's article with the
    platform's missing fields filled in."""
    if platform is None or extracted is None:
        return platform or extracted
    ours = set(_words(platform.text))
    heading = set(_words(" ".join(str(f or "") for f in (
        platform.title, platform.author, extracted.title, extracted.author))))
    theirs = [w for w in _words(extracted.text) if w not in heading and not w.isdigit()]
    covered = sum(1 for w in theirs if w in ours) / len(theirs) if theirs else 1.0
    if covered >= _PLATFORM_COVER and platform.text:
        return replace(platform, title=platform.title or extracted.title,
                       author=platform.author or extracted.author,
                       published=platform.published or extracted.published)
    return replace(extracted, title=extracted.title or platform.title,
                   author=extracted.author or platform.author,
                   published=extracted.published or platform.published)


def opens_with(article: Article | None, comment: str, comments: Iterable[str] = ()) -> bool:
    """Whether trafilatura's article is a thread whose first post is the topic (a forum): it
    holds the first comment with no sentence of its own before it, and most of its words are
    the comments' (`comments`: all of their texts)."""
    if article is None or not comment.strip():
        return False
    theirs = Counter(_words(article.text))
    ours = Counter(w for text in comments for w in _words(text))
    if sum((theirs & ours).values()) < _THREAD_SHARE * sum(theirs.values()):
        return False
    flat = clean.normalise_space(article.text).lower()
    first = _key(comment.split("\n")[0])
    at = flat.find(first) if len(first) >= 20 else -1
    if at < 0:
        return False
    before = re.split(r"(?<=[.!?])\s+|\s*\|\s*", flat[:at])
    return not any(len(part.split()) >= 8 and clean.ends_sentence(part) for part in before)


def _key(line: str) -> str:
    return clean.normalise_space(_LIST_MARK.sub("", line)).lower()


def _is_comment_line(key: str, lines: set[str], long_lines: list[str]) -> bool:
    """The line is a comment's line, or one with a button label or two glued to it."""
    if key in lines:
        return True
    return any(part in key and len(key) - len(part) <= 30 for part in long_lines)


def without_comments(article: Article | None, comments: Iterable[tuple[str | None, str]]
                     ) -> Article | None:
    """`article` without the lines that are the text of found comments (author, text): a
    comment is taken out only when most of its lines are there, with its header and button
    lines next to it."""
    if article is None or not article.text:
        return article
    lines = article.text.split("\n")
    keys = [_key(ln) for ln in lines]
    present = set(keys)
    drop: set[str] = set()
    names: set[str] = set()
    for author, text in comments:
        mine = {_key(ln) for ln in text.split("\n") if ln.strip()}
        there = sum(1 for k in mine if k in present or (len(k) >= 20 and any(
            _is_comment_line(a, set(), [k]) for a in keys)))
        if mine and there >= 0.6 * len(mine):
            drop |= mine
            if author:
                names.add(author.lower())
    if not drop:
        return article
    long_drop = [k for k in drop if len(k) >= 20]
    gone = [_is_comment_line(k, drop, long_drop) for k in keys]
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        for n in order:
            near = (n > 0 and gone[n - 1]) or (n + 1 < len(lines) and gone[n + 1])
            if not gone[n] and lines[n].strip() and near and _comment_chrome(lines[n], names):
                gone[n] = True
    kept = [ln for ln, out in zip(lines, gone, strict=True) if not out]
    return replace(article, text=clean.join_text(kept))


def _comment_chrome(line: str, names: set[str]) -> bool:
    """A comment's header or button line ("Luke said...", "Reply", "May 2, 2020", "Gwen
    Jan 9, 2024 #2")."""
    text = _LIST_MARK.sub("", line).strip()
    if len(text) > 100:
        return False
    if clean.is_label(text) or dates.is_date_line(text) or _SAYS.match(text) or \
            clean.is_marker(text):
        return True
    lowered = text.lower()
    name = next((n for n in names if n in lowered), None)
    if name is None:
        return False
    if not lowered.startswith(name):  # "Posted by Helen Marsh on 2 October 2023"
        return dates.find_date(text) is not None
    rest = text[len(name):].strip(" ,·|-–—:")
    return not rest or dates.is_date_line(rest) or _SAYS.match(text) is not None or bool(
        dates.find_date(rest) and len(rest) <= 60)
