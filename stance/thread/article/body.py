"""The article part of a plain-text scrape: title, byline, date and body, boilerplate removed.

Boilerplate is recognised by shape more than by words: runs of short lines without sentence
punctuation are link lists to other stories, a "Read more" line takes the headline after it
along, short lines after the last paragraph are the site's footer, and copyright, advert and
sharing lines are dropped wherever they are.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from stance.thread.article import byline, posthead
from stance.thread.lines import clean, dates, headers
from stance.thread.lines.classify import BLANK, HEADER, LABEL, QUOTE, TEXT, Line
from stance.thread.model import Article

logger = logging.getLogger(__name__)

_CAPTION = re.compile(r"(?:\b(?:REUTERS|Reuters|AP|AFP|EPA|Getty Images|Shutterstock|"
                      r"Bloomberg|Xinhua)\b\s*(?:/\s*[\w .'-]+)?\)?\s*$|\(\s*(?:AP )?Photo\b"
                      r"|^\s*(?:photo|image|picture)(?: credit)?\s*:"
                      r"|\b[A-Z][A-Z&.-]+(?: [A-Z][A-Z&.-]+)*/\s*[A-Z][\w.'-]+"
                      r"(?: [A-Z][\w.'-]+)*\)?$)")
_SITE_NAME = re.compile(r"^\S+\.(?:com|org|net|co\.uk|info|news|io)\b.*(?:\s[-|–—]\s|$)",
                        re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|posted by|written by)\s+(?P<a>[^,|]{2,60}?)(?:\s*(?:,|\||on|at)\s"
                     r".*)?$", re.IGNORECASE)
#: A forum's community name above a post ("r/cityplanning").
_COMMUNITY = re.compile(r"^/?r/\w{2,40}$")
_DATED_BYLINE = re.compile(r"^(?:posted|submitted|written)\s+by:?\s+(?P<a>\S.{0,60}?)"
                           r"(?:\s+(?:on|at|·|•|\|))?$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©|\ball rights reserved\b|\bcopyright\b", re.IGNORECASE)
_READ_MORE = re.compile(r"^(?:read more|see also|related|more on this|recommended)\b\W*$",
                        re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;…\"”’')\]]$")


def _words(text: str) -> int:
    return clean.word_count(text)


def _ends(text: str) -> bool:
    return bool(_SENTENCE_END.search(text[-4:]))


def _is_headline(text: str, limit: int = 20) -> bool:
    """A short line without sentence punctuation: a heading or a link to another story."""
    return 0 < _words(text) <= limit and not _ends(text)


def _is_paragraph(text: str) -> bool:
    return _words(text) >= 12 and _ends(text)


def _content(lines: list[Line]) -> list[str]:
    """Text lines of the article part (chrome, labels and markers dropped), blanks kept."""
    out: list[str] = []
    for line in lines:
        if line.kind == BLANK:
            out.append("")
        elif line.kind in (TEXT, QUOTE) and not clean.is_chrome(line.text, edge=True):
            out.append(line.raw.rstrip())
        elif line.kind == LABEL and _READ_MORE.match(line.text):
            out.append(line.raw.rstrip())  # kept so the headline it links to goes with it
        elif line.kind == HEADER and line.attr is not None and line.attr.role == "foot":
            continue  # "Posted by X at 9:15 AM" under a blog post
    return out


def _drop_link_runs(lines: list[str]) -> list[str]:
    """Drop runs of three or more headline-shaped lines (lists of links to other stories)."""
    out: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        text = line.strip()
        if text and _is_headline(text) and text[:1].isupper() | text[:1].isdigit() and not (
                text.endswith((",", "-")) or text.startswith(("•", "*", "-"))):
            run.append(line)
            continue
        if len(run) < 3:
            out.extend(run)
        run = []
        out.append(line)
    return out[:-1]


def _drop_read_more(lines: list[str]) -> list[str]:
    out: list[str] = []
    skip_next = False
    for line in lines:
        text = line.strip()
        if skip_next and text:
            skip_next = False
            if _is_headline(text):
                continue
        if _READ_MORE.match(text):
            skip_next = True
            continue
        out.append(line)
    return out


def _drop_footer(lines: list[str]) -> list[str]:
    """Short lines after the last real paragraph are the site's footer; copyright anywhere."""
    lines = [ln for ln in lines if not (len(ln) < 2000 and _COPYRIGHT.search(ln) and (
        _words(ln) <= 12 or re.search(r"all rights reserved|may not (?:be )?(?:copy|reproduc)",
                                      ln, re.IGNORECASE)))]
    last = max((k for k, ln in enumerate(lines) if _is_paragraph(ln.strip())), default=-1)
    if last < 0:
        return lines
    return lines[:last + 1]


@dataclass
class _Head:
    """What the first lines of the article say about it, and the lines left for the body."""

    rest: list[str]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    social: bool = False  # a social post's "Name" / "@handle" header opened the article


def _head_fields(lines: list[str]) -> _Head:
    """Title, author and published date from the first lines of the article."""
    head = _Head(rest=list(lines))
    rest = head.rest
    byline_first = False  # a forum post's "Posted by u/x 6 hr. ago" above its title
    handle_next = False  # the "@handle" line under a social post's display name
    tagline_next = False  # the "tagline · 2d" line under a blog author's name
    for _ in range(6):
        k = next((i for i, ln in enumerate(rest) if ln.strip()), None)
        if k is None:
            break
        text = rest[k].strip()
        after_byline, byline_first = byline_first, False
        after_name, handle_next = handle_next, False
        after_author, tagline_next = tagline_next, False
        if after_byline and head.title is None and _words(text) <= 30 and len(text) <= 300:
            head.title = text  # the post's first line is its title, whatever it ends with
            if not any(ln.strip() for ln in rest[k + 1:]):
                break  # a post of one line: it stays the text as well
        elif after_name and posthead.is_handle(text):
            pass  # the handle under the display name
        elif after_author:
            pass  # the tagline under the blog author's name
        elif (submitted := posthead.submitter(text)) is not None:
            head.author = head.author or submitted.author  # "submitted 9 hours ago by sam"
            head.published = head.published or dates.normalise_timestamp(submitted.when)
        elif head.title is None and _is_post_title(text, rest, k):
            head.title = posthead.untagged(text)
        elif (head.published is None and len(text) <= 160 and dates.find_date(text)
              and _words(text) <= 12):
            span = dates.find_date(text) or (0, 0)
            head.published = dates.normalise_timestamp(text[slice(*span)])
            dated_by = _DATED_BYLINE.match(text[:span[0]].strip())
            if head.author is None and dated_by:  # "Posted by u/streetsforall 6 hr. ago"
                head.author = headers.clean_name(dated_by.group("a"))
                byline_first = head.title is None
        elif len(text) > 400:
            break
        elif head.title is None and (_SITE_NAME.match(text) or _COMMUNITY.match(text) or (
                re.search(r"\s[-|–—·]\s", text) and _next_is_headline(rest, k))):
            pass  # the site's name and tagline above the headline
        elif head.author is None and head.title is not None and _BYLINE.match(text):
            head.author = _BYLINE.match(text).group("a").strip()  # type: ignore[union-attr]
        elif head.author is None and head.title is not None and (
                blog := byline.name_over_tagline(text, _next_text(rest, k))) is not None:
            head.author, tagline_next = blog.author, True  # "Nadia Ferris" / "Planner · 2d"
            head.published = head.published or blog.published
        elif head.author is None and (name := posthead.social_author(text, _next_text(rest, k))):
            head.author, head.social, handle_next = name, True, True
        elif head.title is None and _CAPTION.search(text):
            break  # a photo caption opens the page: keep it in the text, look past it
        elif (head.title is None and _is_headline(text, 30)
              and text[:1].isupper() | text[:1].isdigit()):
            head.title = text
        else:
            break
        del rest[k]
    if head.social and head.title is not None and _words(head.title) == 1:
        head.title = None  # a page's tab name above the post ("Post" on X), not its title
    if head.title is None and not head.social:
        head.title = _title_after_caption(rest)
        if head.title is not None:
            rest.remove(next(ln for ln in rest if ln.strip() == head.title))
    return head


def _next_text(lines: list[str], k: int) -> str:
    return next((ln.strip() for ln in lines[k + 1:] if ln.strip()), "")


def _is_post_title(text: str, lines: list[str], k: int) -> bool:
    """A link aggregator's post title: tagged "(self.sub)" / "(domain)", or above the line
    naming its submitter."""
    return _words(text) <= 40 and len(text) <= 320 and (
        posthead.has_title_tag(text) or posthead.submitter(_next_text(lines, k)) is not None)


def _next_is_headline(lines: list[str], k: int) -> bool:
    following = _next_text(lines, k)
    return _is_headline(following, 30) and following[:1].isupper()


def _title_after_caption(lines: list[str]) -> str | None:
    content = [ln.strip() for ln in lines if ln.strip()][:2]
    if (len(content) == 2 and len(content[0]) < 400 and _CAPTION.search(content[0])
            and _is_headline(content[1], 30)):
        return content[1]
    return None


def clean_article_text(text: str) -> str:
    """Boilerplate removed from a body already cut out as the article (by markup or
    trafilatura): chrome lines, "Read more" links and link lists; its last lines are kept."""
    lines = [ln for ln in text.split("\n") if not clean.is_chrome(ln, edge=True)
             and not clean.is_label(ln)]
    return clean.join_text(_drop_link_runs(_drop_read_more(lines)))


def _one_short_sentence(body: str) -> bool:
    """A single short line, a question or a link title: a thread's topic, not a text."""
    return ("\n" not in body and _words(body) <= 15 and not body.rstrip().endswith((".", "!"))
            and len(re.findall(r"[.!?…](?:\s|$)", body)) <= 1)


def build_article(lines: list[Line]) -> Article | None:
    """The article of a plain-text page, or None when there is neither a title nor a body."""
    head = _head_fields(_content(lines))
    title, author, published, rest = head.title, head.author, head.published, head.rest
    found = byline.find_byline(lines)  # the text drops a byline read as a header: keep its fields
    if found is not None:
        author, published = author or found.author, published or found.published
    rest = _drop_read_more(rest)
    rest = _drop_link_runs(rest)
    rest = _drop_footer(rest)
    body = clean.join_text(rest)
    sentences = [ln for ln in rest if _words(ln) >= 6 and _ends(ln.strip())]
    if not sentences and _words(body) < 25:
        body = ""  # headings, kickers and bylines only: there is no article text
    elif _one_short_sentence(body):
        # a thread's topic line ("Best line weight for pike?", "Show HN: ... (example.com)")
        title, body = title or body, ""
    if head.social and title is None:
        title = posthead.first_sentence_title(body)  # a post has no title but its words
    if not title and not body:
        return None
    if title is None and "\n" not in body and _words(body) <= 40:
        title = body  # a post of one line (a Reddit title and nothing else): it is the topic
    return Article(title=title, text=body, author=author, published=published)
