"""Plain-text scrapes: Blogger's text (full and lossy) and every other comment-page text.

Both go through the same line pipeline (`lines.classify` -> `segment.learned`, or the rules
when no segmenter weights load -> `tree.assemble`, `article`); the
Blogger name only records where the text came from, and the sniffer picks it when Blogger's
labels or "X said..." lines are there.
"""

from __future__ import annotations

import logging
import re

from stance.thread.article import build_article, posthead
from stance.thread.article.original import promote_forum_post, promote_original_post
from stance.thread.formats.common import thread_id_for
from stance.thread.lines.classify import classify
from stance.thread.model import Article, Thread
from stance.thread.parse import ParseOptions, register, register_sniffer
from stance.thread.segment.learned import layout
from stance.thread.segment.perceptron import Perceptron
from stance.thread.tree import cues
from stance.thread.tree.assemble import assemble
from stance.thread.tree.tail import cut_tail

logger = logging.getLogger(__name__)

_BLOGGER_LABEL = re.compile(r"ReplyDelete|^(?:Delete|Replies)$|^\d+ comments:$", re.MULTILINE)
_BLOGGER_SAID = re.compile(r"^\s*(?:#+\s*)?\S.{0,60} said\.\.\.\s*$", re.MULTILINE)


def parse_text(text: str, source: str, fmt: str = "text",
               segmenter: Perceptron | None = None, choice: str | None = None) -> Thread:
    """One thread from a plain-text scrape; `segmenter` overrides the shipped weights and
    `choice` the segmenter choice (`stance.thread.segment.learned.CHOICES`)."""
    lines = classify(text)
    promoted = promote_original_post(layout(lines, segmenter, choice))
    if promoted.article is None:
        promoted = promote_forum_post(promoted.layout, lines)
    found = promoted.layout
    article = promoted.article or build_article(found.article)
    # the article goes along so that a comment quoting it is not taken as a reply, and its
    # author so that a reply to them is not taken for a reply to a missing comment
    handles = promoted.handles or posthead.head_handles(found.article)
    drafts, _ = cut_tail(found.drafts, lines)  # the form, sidebars and footer after the comments
    assembled = assemble(drafts, _article_words(article), _article_authors(article, handles))
    logger.debug("%s: %s layout, %d comments", source, found.mode, len(assembled.comments))
    return Thread(thread_id=thread_id_for(source), comments=tuple(assembled.comments),
                  source=source if source not in ("", "-") else None, format=fmt,
                  article=article, warnings=tuple(found.warnings + assembled.warnings))


def _article_words(article: Article | None) -> str:
    """The article's title and text: what a comment that quotes the article quotes."""
    if article is None:
        return ""
    return "\n".join(part for part in (article.title, article.text) if part)


def _article_authors(article: Article | None, handles: list[str]) -> list[str]:
    """The article author's name and handles (a Fediverse handle's local part too), or none
    when the page names no author (then the handles are no one's)."""
    if article is None or not article.author:
        return []
    return [article.author, *handles, *cues.local_names(handles)]


def read_text(text: str, source: str, options: ParseOptions) -> list[Thread]:
    return [parse_text(text, source, "text")]


def read_blogger_text(text: str, source: str, options: ParseOptions) -> list[Thread]:
    return [parse_text(text, source, "blogger-text")]


def sniff_blogger_text(name: str, head: str) -> str | None:
    if head.lstrip().startswith("<"):
        return None
    labels = len(_BLOGGER_LABEL.findall(head))
    said = len(_BLOGGER_SAID.findall(head))
    return "blogger-text" if labels >= 2 or said >= 2 or "ReplyDelete" in head else None


register("text", read_text)
register("blogger-text", read_blogger_text)
register_sniffer(sniff_blogger_text)
