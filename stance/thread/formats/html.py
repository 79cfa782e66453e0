"""HTML pages: Blogger and WordPress comment markup, and any other page.

The article is trafilatura's main text (`formats.htmlarticle`); a platform's post markup
replaces it only when it holds nearly all of trafilatura's words. Comments come from the
platform's markup (`formats.markup`), else from the page's repeated sibling structure
(`formats.htmlcomments`); their text is then taken out of the article. A page whose comments
have no recognisable markup goes through the text segmenter (`formats.htmlfallback` picks the
text), and the thread says so in its warnings.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser

from stance.thread.article import clean_article_text
from stance.thread.formats import htmlarticle, htmlcomments, htmlfallback, markup
from stance.thread.formats.common import thread_id_for
from stance.thread.htmltext import first_text, node_text, parse_html, prepare_html, tidy
from stance.thread.lines import dates
from stance.thread.model import Article, Comment, Thread
from stance.thread.parse import ParseOptions, register, register_sniffer

logger = logging.getLogger(__name__)

_BLOGGER_POST = (".post-body", ".entry-content", "article .post")
_BLOGGER_TITLE = (".post-title", "h3.entry-title", "h1")
_BLOGGER_DATE = ("abbr.published", ".published", "time", ".date-header")
_BLOGGER_AUTHOR = (".post-author .fn", ".post-author", ".g-profile")
_WP_POST = ("article .entry-content", ".entry-content", ".post-content", ".entry")
_WP_TITLE = ("h1.entry-title", ".entry-title", "h1.post-title", "h1")
_WP_DATE = ("time.entry-date", "time.published", ".entry-date", "time")
_WP_AUTHOR = (".entry-meta .author .fn", ".byline .author", ".author .fn", ".author-name")
_CHROME_BLOCKS = re.compile(r"\b(?:comments?-(?:area|section|list)|commentlist|comment-form|"
                            r"respond|sidebar|widget|footer|share|related|nav)\b")


def _page_date(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is None:
            continue
        stamp = (node.attributes.get("datetime") or node.attributes.get("title")
                 or tidy(node.text(separator=" ") or ""))
        if stamp:
            return dates.normalise_timestamp(stamp)
    return None


def _platform_article(tree: LexborHTMLParser, post: tuple[str, ...], title: tuple[str, ...],
                      when: tuple[str, ...], author: tuple[str, ...]) -> Article | None:
    body = next((n for n in (tree.css_first(s) for s in post) if n is not None), None)
    if body is None:
        return None
    text = clean_article_text(node_text(body, skip_classes=_CHROME_BLOCKS))
    heading = first_text(tree, title)
    if not text and not heading:
        return None
    return Article(title=heading, text=text, author=first_text(tree, author),
                   published=_page_date(tree, when))


def _comments(found: list[markup.FoundComment]) -> tuple[Comment, ...]:
    ids: dict[int, str] = {}
    out: list[Comment] = []
    taken: set[str] = set()
    for n, item in enumerate(found, start=1):
        cid = item.source_id if item.source_id and item.source_id not in taken else f"c{n}"
        taken.add(cid)
        ids[item.node_id] = cid
        out.append(Comment(id=cid, text=item.text, author=item.author,
                           timestamp=dates.normalise_timestamp(item.timestamp),
                           parent_id=ids.get(item.parent_node) if item.parent_node is not None
                           else None))
    return tuple(out)


def _classic_blogger(tree: LexborHTMLParser) -> list[markup.FoundComment]:
    """Old Blogger templates: dl#comments-block with dt author / dd body / dd footer."""
    found: list[markup.FoundComment] = []
    seen: set[int] = set()
    for dt in tree.css("dl#comments-block dt, dl.comments-block dt, dt.comment-author"):
        if dt.mem_id in seen:
            continue
        seen.add(dt.mem_id)
        body = dt.next
        while body is not None and body.tag != "dd":
            body = body.next
        if body is None:
            continue
        footer = body.next
        while footer is not None and footer.tag not in ("dd", "dt"):
            footer = footer.next
        stamp = None
        if footer is not None and footer.tag == "dd":
            stamp = tidy(footer.text(separator=" ") or "") or None
        name = re.sub(r"\s*said\s*(?:\.\.\.|…|:)?\s*$", "", tidy(dt.text(separator=" ") or ""),
                      flags=re.IGNORECASE)
        anchor = dt.attributes.get("id") or (dt.prev.attributes.get("name") if dt.prev is not None
                                             and dt.prev.tag == "a" else None)
        found.append(markup.FoundComment(node_id=int(dt.mem_id), source_id=anchor,
                                         author=name or None, timestamp=stamp,
                                         text=node_text(body), parent_node=None))
    return [c for c in found if c.text]


def _fallback_source(tree: LexborHTMLParser, html_text: str, article: Article | None,
                     own: bool = False) -> tuple[str, bool]:
    """The text the text segmenter reads when no comment markup is recognised: the article,
    then trafilatura's comment section or else (or with `own`) the page's text after the
    article (the whole pruned page when there is no article); and whether that text is the
    page's own, where only comments with an author or a date are believed (page furniture
    reads as text too)."""
    if article is None:
        return htmlfallback.source_text("", htmlfallback.page_text(tree)), True
    head = "\n".join(p for p in (article.title, article.text) if p)
    section = htmlarticle.trafilatura_comments(html_text) if not own and \
        htmlfallback.names_comments(tree) else ""
    tail = section or htmlfallback.text_after(tree, article.text)
    return htmlfallback.source_text(head, tail), not section


def _text_fallback(tree: LexborHTMLParser, html_text: str, source: str,
                   article: Article | None) -> tuple[tuple[Comment, ...], list[str], Thread]:
    """No comment markup: the comments the text segmenter finds in the page's text (and its
    whole reading, whose article stands in when trafilatura found none)."""
    from stance.thread.formats.text import parse_text

    lead = htmlfallback.lead_lines(article.title, article.text) if article else set()

    def reading(own: bool) -> tuple[tuple[Comment, ...], Thread, bool]:
        text, signed_only = _fallback_source(tree, html_text, article, own)
        thread = parse_text(text, source, "html")
        comments = htmlfallback.plausible(thread.comments, htmlfallback.link_lines(tree),
                                          article.text if article else "", lead)
        return (htmlfallback.signed(comments) if signed_only else comments), thread, signed_only

    comments, thread, signed_only = reading(False)
    if not signed_only and not htmlfallback.signed(comments):
        # trafilatura's comment section may have lost the lines that name the commenters
        # (a name signed under the text): the page's own text after the article, where only
        # signed comments count, is read too, and wins when it finds any
        own, own_thread, _ = reading(True)
        if own:
            comments, thread = own, own_thread
    if not comments:
        return (), [], thread
    return comments, ["the page has no comment markup that stance knows; comments were read "
                      "from the page's text", *thread.warnings], thread


def _build(tree: LexborHTMLParser, html_text: str, warnings: list[str], source: str,
           fmt: str, found: list[markup.FoundComment], article: Article | None) -> Thread:
    comments = _comments(found)
    if not found:
        comments, notes, reading = _text_fallback(tree, html_text, source, article)
        warnings.extend(notes)
        article = article or reading.article
    elif len(comments) >= 2 and htmlarticle.opens_with(article, comments[0].text,
                                                         (c.text for c in comments)):
        # a forum thread: the first post is what the page is about
        first = comments[0]
        article = Article(title=article.title if article else None, text=first.text,
                          author=first.author, published=first.timestamp)
        comments = tuple(replace(c, parent_id=None) if c.parent_id == first.id else c
                         for c in comments[1:])
        warnings.append("the page's main text is its first post; it was taken as the article")
    article = htmlarticle.without_comments(article, ((c.author, c.text) for c in comments))
    return Thread(thread_id=thread_id_for(source), comments=comments,
                  source=source if source not in ("", "-") else None, format=fmt,
                  article=article, warnings=tuple(warnings))


def _read(text: str, source: str, fmt: str, platform: markup.Markup | None) -> Thread:
    text, warnings = prepare_html(text)
    tree = parse_html(text)
    extracted = htmlarticle.trafilatura_article(text)
    article = extracted
    found: list[markup.FoundComment] = []
    if platform is markup.BLOGGER:
        found = markup.extract(tree, platform) or _classic_blogger(tree)
        article = htmlarticle.choose(_platform_article(
            tree, _BLOGGER_POST, _BLOGGER_TITLE, _BLOGGER_DATE, _BLOGGER_AUTHOR), extracted)
    elif platform is markup.WORDPRESS:
        found = markup.extract(tree, platform)
        article = htmlarticle.choose(_platform_article(
            tree, _WP_POST, _WP_TITLE, _WP_DATE, _WP_AUTHOR), extracted)
    if not found:
        found = htmlcomments.find_comments(tree, article.text if article else "")
    return _build(tree, text, warnings, source, fmt, found, article)


def read_blogger_html(text: str, source: str, options: ParseOptions) -> list[Thread]:
    return [_read(text, source, "blogger-html", markup.BLOGGER)]


def read_wordpress_html(text: str, source: str, options: ParseOptions) -> list[Thread]:
    return [_read(text, source, "wordpress-html", markup.WORDPRESS)]


def read_html(text: str, source: str, options: ParseOptions) -> list[Thread]:
    return [_read(text, source, "html", None)]


_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<!--|<meta|<div|<article|<p\b|"
                         r"<section|<ol|<ul|<li|<table|<span|<h[1-6])", re.IGNORECASE)


def sniff_html(name: str, head: str) -> str | None:
    looks_html = name.endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(head))
    if not looks_html:
        return None
    if re.search(r"comment-thread|comments-block|blogger\.com|blogspot\.com", head) and \
            re.search(r"comment-content|comment-body|comment-author", head):
        return "blogger-html"
    if re.search(r"class=[\"'][^\"']*\b(?:commentlist|comment-list)\b", head) or (
            "wp-content" in head and "comment" in head):
        return "wordpress-html"
    return "html"


register("blogger-html", read_blogger_html)
register("wordpress-html", read_wordpress_html)
register("html", read_html)
register_sniffer(sniff_html)
