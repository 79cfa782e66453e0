"""The article of an HTML page: trafilatura's main text, never made worse by our own steps.

`trafilatura_article` runs trafilatura as a user would (its default settings, fallbacks
included) with comments left out. Our only changes to its text are ones that cannot lose
article words: boilerplate lines are dropped only when that keeps nearly all of the words, a
platform's post markup is used only when it holds nearly all of trafilatura's words, and lines
are taken out only when they are the text of comments found on the page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import replace

from stance.thread.article import clean_article_text
from stance.thread.lines import clean, dates, headers
from stance.thread.model import Article

logger = logging.getLogger(__name__)

#: Cleaning may drop at most this share of trafilatura's words.
_CLEAN_LOSS = 0.1
#: A platform's post body must hold this share of trafilatura's words to be used instead.
_PLATFORM_COVER = 0.8
_SAYS = re.compile(r"^\S.{0,50}?\s(?:says|said|wrote)\s*(?::|\.\.\.|…)?$", re.IGNORECASE)
_ERRORS = (RecursionError, ValueError, TypeError, AttributeError, MemoryError, LookupError)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _document(html_text: str, comments: bool) -> dict[str, object] | None:
    try:
        import trafilatura

        document = trafilatura.bare_extraction(
            html_text, include_comments=comments, with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except _ERRORS as exc:
        logger.info("trafilatura could not read the page (%s)", type(exc).__name__)
        return None
    if document is None or isinstance(document, dict):
        return document
    found = document.as_dict()
    return found if isinstance(found, dict) else None


def trafilatura_article(html_text: str) -> Article | None:
    """The page's main content by trafilatura; None when it finds none or cannot cope."""
    found = _document(html_text, comments=False)
    if found is None:
        return None
    raw = str(found.get("text") or "").strip()
    title = str(found.get("title") or "") or None
    if title and raw.startswith(title):
        raw = raw[len(title):].lstrip(" \n")  # trafilatura repeats the headline
    cleaned = clean_article_text(raw)
    text = cleaned if len(_words(cleaned)) >= (1 - _CLEAN_LOSS) * len(_words(raw)) else raw
    if not text and not title:
        return None
    published = found.get("date")
    return Article(title=title, text=text, author=str(found.get("author") or "") or None,
                   published=dates.normalise_timestamp(str(published) if published else None))


def trafilatura_comments(html_text: str) -> str:
    """The text trafilatura takes for the page's comment section ("" when none)."""
    found = _document(html_text, comments=True)
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


def _key(line: str) -> str:
    return clean.normalise_space(line).lower()


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
        if mine and len(mine & present) >= 0.6 * len(mine):
            drop |= mine
            if author:
                names.add(author.lower())
    if not drop:
        return article
    gone = [k in drop for k in keys]
    for n, line in enumerate(lines):
        near = (n > 0 and gone[n - 1]) or (n + 1 < len(lines) and gone[n + 1])
        if not gone[n] and line.strip() and near and _comment_chrome(line, names):
            gone[n] = True
    kept = [ln for ln, out in zip(lines, gone, strict=True) if not out]
    return replace(article, text=clean.join_text(kept))


def _comment_chrome(line: str, names: set[str]) -> bool:
    """A comment's header or button line ("Luke said...", "Reply", "May 2, 2020")."""
    text = line.strip()
    if len(text) > 80:
        return False
    return (clean.is_label(text) or dates.is_date_line(text) or bool(_SAYS.match(text))
            or headers.clean_name(text).lower() in names)
