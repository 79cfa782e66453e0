"""What the text segmenter gets from an HTML page whose comment markup is not recognised.

The page's text after the article, without navigation, headers, footers, sidebars, forms and
link lists, and only when it shows signs of comments (date lines, "X says:" lines, "Reply"
buttons); the comments the segmenter finds there are kept unless they are link text.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from stance.thread.htmltext import SKIP_TAGS, node_text
from stance.thread.lines import clean, dates
from stance.thread.model import Comment

_CHROME_TAGS = SKIP_TAGS | frozenset("nav header footer aside menu".split())
_CHROME_CLASSES = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|sidebar|related|"
    r"recommended|popular|trending|share|sharing|social|footer|newsletter|subscribe|advert|ads?|"
    r"promo|pagination|pager|tags|tagcloud|masthead|banner|cookie)(?:$|[\s_-])", re.IGNORECASE)
_SAYS = re.compile(r"^\S.{0,50}?\s(?:says|said|wrote)\s*(?::|\.\.\.|…)?$", re.IGNORECASE)
_BULLET = re.compile(r"^[ \t]*[-*•][ \t]+", re.MULTILINE)
#: A form with at most this much text is a form (ASP.NET pages put everything in one).
_FORM_TEXT = 2000
_COMMENT_NAMED = ", ".join(f"[{a}*={w}]" for a in ("class", "id")
                           for w in ("omment", "OMMENT", "iscuss", "eply", "espons"))
#: A tail needs this many comment-like lines before the segmenter reads it.
_MIN_SIGNS = 2
#: A comment is link text when this share of its characters is.
_LINK_SHARE = 0.6


def _key(line: str) -> str:
    return clean.normalise_space(_BULLET.sub("", line)).lower()


def _signs(lines: list[str]) -> int:
    return sum(1 for ln in lines if len(ln) <= 80 and (
        dates.is_date_line(ln) or _SAYS.match(ln) or ln.strip() in ("Reply", "Report")))


def page_text(tree: LexborHTMLParser) -> str:
    """The page's text without navigation, headers, footers, sidebars and comment forms."""
    body = tree.body or tree.root
    forms = {int(f.mem_id) for f in tree.css("form")
             if len(f.text(separator=" ") or "") <= _FORM_TEXT}  # a comment form, not a page
    return node_text(body, skip=_CHROME_TAGS, skip_classes=_CHROME_CLASSES, skip_ids=forms)


def text_after(tree: LexborHTMLParser, article_text: str) -> str:
    """The pruned page text after the article's last line ("" when it shows no comments)."""
    lines = page_text(tree).split("\n")
    article = {_key(ln) for ln in article_text.split("\n") if len(ln.strip()) >= 20}
    if article:
        last = max((n for n, ln in enumerate(lines) if _key(ln) in article), default=-1)
        if last < 0:
            return ""
        lines = lines[last + 1:]
    return "\n".join(lines).strip() if _signs(lines) >= _MIN_SIGNS else ""


def names_comments(tree: LexborHTMLParser) -> bool:
    """Whether any element's class or id names comments or a discussion (where trafilatura
    looks for a comment section; without one, asking it is wasted time)."""
    return tree.css_first(_COMMENT_NAMED) is not None


def link_lines(tree: LexborHTMLParser) -> set[str]:
    """The texts of the page's links (navigation, teasers, tags)."""
    out: set[str] = set()
    for node in tree.css("a"):
        text = _key(node.text(separator=" ") or "")
        if text:
            out.add(text)
    return out


def lead_lines(title: str | None, text: str) -> set[str]:
    """The article's headline and first sentence-like paragraph (a byline or a kicker is not
    one): no comment starts a page."""
    lines = [_key(ln) for ln in text.split("\n")
             if clean.word_count(ln) >= 6 and clean.ends_sentence(ln.strip())][:1]
    return {*lines, *([_key(title)] if title else [])}


def source_text(head: str, tail: str) -> str:
    """The article and the tail as one text, without the list bullets an extractor adds."""
    text = f"{head}\n\n{tail}" if tail else head
    return _BULLET.sub("", text)


def plausible(comments: tuple[Comment, ...], links: set[str], article: str = "",
              lead: frozenset[str] | set[str] = frozenset()) -> tuple[Comment, ...]:
    """The comments that are neither link text (a menu or a list of headlines read as
    comments) nor the article: not its opening, and not its text when nothing (no author, no
    date) shows that a commenter wrote it."""
    in_article = {_key(ln) for ln in article.split("\n") if ln.strip()}
    kept: list[Comment] = []
    for comment in comments:
        lines = [_key(ln) for ln in comment.text.split("\n") if ln.strip()]
        total = sum(len(ln) for ln in lines)
        linked = sum(len(ln) for ln in lines if ln in links)
        quoted = sum(len(ln) for ln in lines if ln in in_article)
        unsigned = not comment.author and not comment.timestamp
        if total and linked < _LINK_SHARE * total and not lead.intersection(lines) and not (
                unsigned and quoted >= 0.5 * total):
            kept.append(comment)
    return _reparented(kept)


def signed(comments: tuple[Comment, ...]) -> tuple[Comment, ...]:
    """The comments with an author or a date (what the page's own text is believed for)."""
    return _reparented([c for c in comments if c.author or c.timestamp])


def _reparented(kept: list[Comment]) -> tuple[Comment, ...]:
    """`kept` with replies to dropped comments made top-level."""
    ids = {c.id for c in kept}
    return tuple(c if c.parent_id is None or c.parent_id in ids else
                 Comment(id=c.id, text=c.text, author=c.author, timestamp=c.timestamp,
                         parent_id=None) for c in kept)
