"""Comments found from a page's repeated sibling structure, whatever the CMS.

A comment section is a run of sibling elements that look alike (same tag and first class word)
and each carry a commenter's cues: an author element, a date, action links ("Reply", "Like"),
class words such as comment/reply/response. The detector (`find_comments`):

1. indexes the page once (`htmldom.index`), with text lengths and cue bits per element;
2. groups every element's children by signature and keeps the groups whose members mostly
   qualify as comment blocks: an author or date cue plus a second cue, some text of their own,
   few links, no headline link (related-article teasers), and no navigation, header, footer,
   sidebar or related-links element around them (unless a comment section sits in between);
3. adds nested blocks of an accepted signature (a lone reply under its comment), drops groups
   whose text is the article's own text (live-blog entries, quoted paragraphs), and reads each
   block's author, date and text (without its author/date/action elements and nested replies);
4. rebuilds the reply tree from nesting (`htmltree`).
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
import re
from collections import defaultdict

from selectolax.lexbor import LexborHTMLParser

from stance.thread.formats import htmltree
from stance.thread.formats.htmldom import (
    ACTION,
    AUTHOR,
    CHROME,
    COMMENTY,
    DATE,
    HEADLINK,
    SHORT,
    Dom,
    ancestors,
    index,
    tidy_line,
)
from stance.thread.formats.markup import FoundComment
from stance.thread.htmltext import node_text
from stance.thread.lines import clean, dates, headers

logger = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset("div li article section dd blockquote tr td aside table ul dl".split())
_META_PARTS = frozenset("""
avatar meta metadata header footer actions action toolbar vote votes voting rating like likes
share sharing report flag permalink badge badges signature info details byline buttons controls
tools links menu
""".split())
_NAME_TAGS = frozenset("b strong a span cite em i font small h3 h4 h5 h6 dt div p header".split())
_STRONG_TAGS = frozenset("b strong cite a h4 h5 h6 dt".split())
_SAID = re.compile(r"\s*(?:says|said|wrote|schreibt|écrit)\s*(?::|\.\.\.|…)?\s*$", re.IGNORECASE)
_JOINED = re.compile(r"\W*(?:joined|member since|registered|since|mitglied seit|inscrit)\b",
                     re.IGNORECASE)
#: Class words that name a block a comment outright (not "most-commented", "commentary").
_COMMENT_NAMES = frozenset("comment comments reply replies response responses talkback "
                           "review reviews".split())
#: A comment block's text has at most this share inside links.
_MAX_LINK_SHARE = 0.6


def _signature(dom: Dom, i: int) -> str:
    node = dom.nodes[i]
    first = (node.attributes.get("class") or "").split()[:1]
    if first:
        return f"{dom.tags[i]}.{re.sub(r'[0-9]+', '', first[0].lower())}"
    ident = re.sub(r"[0-9]+", "", (node.attributes.get("id") or "").lower())
    return f"{dom.tags[i]}#{ident}" if ident else dom.tags[i]


def _score(dom: Dom, i: int) -> float:
    """How much element `i` looks like one comment (0 when it cannot be one)."""
    size = dom.text[i]
    cues = dom.cues[i]
    if dom.tags[i] not in _BLOCK_TAGS or size < 12:
        return 0.0
    if dom.link[i] > _MAX_LINK_SHARE * size:
        return 0.0
    teaser = cues & HEADLINK or (dom.longest_link[i] >= 25 and dom.longest_link[i] >= 0.35 * size)
    if teaser and not dom.words[i] & _COMMENT_NAMES:
        return 0.0  # a headline link, or a text that is mostly one link: a teaser
    # (a block named a comment keeps its linked subject line, as Drupal prints one)
    if not cues & (AUTHOR | DATE):
        return 0.0
    score = (1.0 if cues & AUTHOR else 0.0) + (1.0 if cues & DATE else 0.0)
    score += 0.5 if cues & ACTION else 0.0
    score += 0.5 if dom.own[i] & COMMENTY else 0.0
    return score


def _in_chrome(dom: Dom, parent: int) -> bool:
    """Whether the container sits in navigation or page furniture, not a comment section."""
    for up in [parent, *ancestors(dom, parent)]:
        if dom.own[up] & COMMENTY and not dom.own[up] & CHROME:
            return False
        if dom.own[up] & CHROME:
            return True
    return False


def _innermost(dom: Dom, i: int) -> bool:
    """No element inside `i` looks like a comment itself (a lone comment, not a section)."""
    return all(_score(dom, j) < 1.5 for j in range(i + 1, dom.end[i]))


def _groups(dom: Dom) -> list[tuple[int, str, list[int]]]:
    """Sibling groups whose members mostly look like comments."""
    found: list[tuple[int, str, list[int]]] = []
    for parent in range(len(dom)):
        kids = dom.children[parent]
        if not kids or (len(kids) == 1 and not dom.own[kids[0]] & COMMENTY):
            continue
        by_signature: dict[str, list[int]] = defaultdict(list)
        for kid in kids:
            by_signature[_signature(dom, kid)].append(kid)
        for signature, members in by_signature.items():
            scores = [_score(dom, m) for m in members]
            good = [m for m, s in zip(members, scores, strict=True) if s >= 1.5]
            enough = len(good) >= 2 or (len(members) == 1 and scores[0] >= 2.5
                                        and _innermost(dom, members[0]))
            if enough and len(good) * 2 >= len(members) and not _in_chrome(dom, parent):
                found.append((parent, signature, [m for m in members if _score(dom, m) > 0]))
    return found


def _nested(dom: Dom, groups: list[tuple[int, str, list[int]]], blocks: set[int]) -> set[int]:
    """More blocks of an accepted signature in the same section: a lone reply nested in its
    comment, or in a replies container next to it."""
    extra: set[int] = set()
    for parent, signature, _ in groups:
        for i in range(parent + 1, dom.end[parent]):
            if i not in blocks and _signature(dom, i) == signature and _score(dom, i) >= 1.5:
                extra.add(i)
    return extra


def _skipped(dom: Dom, block: int, inner: set[int]) -> set[int]:
    """Elements of `block` that are not its text: nested blocks, author/date/action parts."""
    out: set[int] = set()
    i = block + 1
    while i < dom.end[block]:
        if i in inner:
            out.add(i)
            i = dom.end[i]
            continue
        small = dom.text[i] <= SHORT
        minor = dom.text[i] * 2 < dom.text[block]
        metaish = bool(dom.words[i] & _META_PARTS) and dom.text[i] <= 3 * SHORT
        cue = dom.named[i] if not minor else dom.own[i]  # short text alone may be the comment
        if (small and cue & (AUTHOR | DATE | ACTION)) or (metaish and minor):
            out.add(i)
            i = dom.end[i]
            continue
        i += 1
    return out


def _first_cue(dom: Dom, block: int, inner: set[int], bit: int) -> int | None:
    i = block + 1
    while i < dom.end[block]:
        if i in inner:
            i = dom.end[i]
            continue
        if dom.own[i] & bit and 0 < dom.text[i] <= SHORT:
            return i
        i += 1
    return None


def _clean_author(text: str) -> str | None:
    text = re.sub(r"^(?:by|von|par|por)\s+", "", text, flags=re.IGNORECASE)
    span = dates.find_date(text)
    if span is not None and span[0] > 0:
        text = text[:span[0]]  # "Name 3 hours ago" in one element
    name = headers.clean_name(_SAID.sub("", headers.clean_name(text)))
    return name[:80] if name and headers.name_ok(name, max_words=8) else None


def _leading_name(dom: Dom, block: int, inner: set[int]) -> int | None:
    """An unmarked name element (`<b>Gerald</b>`, `<strong>Ruth</strong> says:`) ahead of the
    block's date, or ahead of its text when it has no date."""
    stop = _first_cue(dom, block, inner, DATE)
    i = block + 1
    while i < dom.end[block] and (stop is None or i < stop):
        if i in inner:
            i = dom.end[i]
            continue
        size = dom.text[i]
        if stop is None and size >= 40:
            return None
        if 0 < size <= 40 and dom.tags[i] in _NAME_TAGS:
            text = dom.text_of(i)
            if not clean.is_label(text) and not dates.is_date_line(text) and \
                    _clean_author(text) and (stop is not None or dom.tags[i] in _STRONG_TAGS):
                return i
        i += 1
    return None


def _author(dom: Dom, block: int, inner: set[int]) -> tuple[int | None, str | None]:
    """The element holding the commenter's name, and the name."""
    at = _first_cue(dom, block, inner, AUTHOR)
    if at is None or _clean_author(dom.text_of(at)) is None:
        at = _leading_name(dom, block, inner)
    return (at, _clean_author(dom.text_of(at))) if at is not None else (None, None)


def _date_element(dom: Dom, block: int, inner: set[int]) -> int | None:
    """The block's posting date: a `time` element, else the first date that is not a
    member's join date ("Joined: 12 Mar 2008")."""
    found: list[int] = []
    i = block + 1
    while i < dom.end[block]:
        if i in inner:
            i = dom.end[i]
            continue
        if dom.own[i] & DATE and 0 < dom.text[i] <= SHORT:
            if dom.tags[i] == "time":
                return i
            found.append(i)
        i += 1
    posted = [i for i in found if not _JOINED.match(dom.text_of(i))]
    best = posted or found
    return best[0] if best else None


def _stamp(dom: Dom, block: int, inner: set[int]) -> str | None:
    at = _date_element(dom, block, inner)
    if at is None:
        return None
    node = dom.nodes[at]
    inside = node.css_first("time[datetime]") if dom.tags[at] != "time" else None
    for source in (node, inside):
        if source is not None:
            value = source.attributes.get("datetime") or source.attributes.get("title")
            if value and dates.find_date(value) is not None:
                return value
    text = dom.text_of(at)
    span = dates.find_date(text)
    return text[span[0]:span[1]] if span is not None else text or None


def _text(dom: Dom, block: int, inner: set[int], author: tuple[int | None, str | None]) -> str:
    skip = _skipped(dom, block, inner)
    if author[0] is not None:
        skip.add(author[0])
    raw = node_text(dom.nodes[block], skip_ids={int(dom.nodes[i].mem_id) for i in skip})
    name = author[1]
    lines = [ln for ln in raw.split("\n")
             if not clean.is_label(ln) and not clean.is_chrome(ln) and not _SAID.fullmatch(ln)
             and not (name and _SAID.sub("", ln).strip() == name) and not dates.is_date_line(ln)]
    return clean.join_text(lines)


def _source_id(dom: Dom, block: int) -> str | None:
    ident = dom.nodes[block].attributes.get("id")
    if ident:
        return ident
    for kid in dom.children[block][:3]:
        inner = dom.nodes[kid].attributes.get("id")
        if inner and re.search(r"\d", inner):
            return inner
    up = dom.parent[block]
    siblings = dom.children[up] if up >= 0 else []
    at = siblings.index(block) if block in siblings else 0
    if at > 0 and dom.tags[siblings[at - 1]] == "a":  # <a id="comment-12"></a><div ...>
        anchor = dom.nodes[siblings[at - 1]].attributes
        named = anchor.get("id") or anchor.get("name")
        if named and re.search(r"\d", named):
            return named
    return None


def _cue_count(dom: Dom, block: int, inner: set[int], bit: int) -> int:
    """Separate elements carrying `bit` in the block's own part (two names: two comments)."""
    count, i = 0, block + 1
    while i < dom.end[block]:
        if i in inner or (dom.own[i] & bit and dom.text[i] <= SHORT):
            count += i not in inner
            i = dom.end[i]
            continue
        i += 1
    return count


def _inside(dom: Dom, block: int, ordered: list[int]) -> list[int]:
    """The blocks nested in `block` (`ordered` is every block, sorted)."""
    return ordered[bisect.bisect_right(ordered, block):bisect.bisect_left(ordered, dom.end[block])]


#: Blocks already read, by (block, nested blocks): the same block is read in several steps.
Memo = dict[tuple[int, tuple[int, ...]], tuple[FoundComment, int, int]]


def _read_one(dom: Dom, block: int, ordered: list[int], memo: Memo
              ) -> tuple[FoundComment, int, int]:
    """The block as a comment, with its count of own author and date cues."""
    nested = tuple(_inside(dom, block, ordered))
    key = (block, nested)
    if key not in memo:
        inner = set(nested)
        author = _author(dom, block, inner)
        comment = FoundComment(node_id=block, source_id=_source_id(dom, block),
                               author=author[1], timestamp=_stamp(dom, block, inner),
                               text=_text(dom, block, inner, author), parent_node=None)
        memo[key] = (comment, _cue_count(dom, block, inner, AUTHOR),
                     _cue_count(dom, block, inner, DATE))
    comment, authors, stamps = memo[key]
    return dataclasses.replace(comment), authors, stamps


def _read(dom: Dom, blocks: set[int], memo: Memo) -> list[FoundComment]:
    """Comments of `blocks`: a wrapper with no text of its own takes over its first nested
    block (li.comment around div.comment-body); a container whose own part holds no author
    or date, or several of each, is no comment."""
    ordered = sorted(blocks)
    read = {b: _read_one(dom, b, ordered, memo) for b in ordered}
    merged: set[int] = set()
    out: list[FoundComment] = []
    for block in ordered:
        if block in merged:
            continue
        comment, authors, stamps = read[block]
        inner = [i for i in _inside(dom, block, ordered) if i not in merged]
        if not comment.text and inner:
            first, _, _ = read[inner[0]]
            merged.add(inner[0])
            comment.text, comment.author = first.text, comment.author or first.author
            comment.timestamp = comment.timestamp or first.timestamp
            comment.source_id = comment.source_id or first.source_id
        elif inner and not authors and not stamps:
            continue  # a comment section around the comments
        if authors >= 2 and stamps >= 2:
            continue  # several comments that the markup does not separate
        out.append(comment)
    return out


def _article_share(text: str, article: set[str]) -> float:
    """Share of the comment's characters on lines the article has word for word."""
    lines = [tidy_line(ln) for ln in text.split("\n") if ln.strip()]
    total = sum(len(ln) for ln in lines)
    return sum(len(ln) for ln in lines if ln in article) / total if total else 0.0


def _is_article(dom: Dom, members: list[int], read: list[FoundComment],
                article: set[str]) -> bool:
    """A group whose text is the article's (live-blog entries, dated sections): most of it
    is in trafilatura's article, nothing calls it a comment or a reply, and few people wrote
    it (a discussion has many voices, a live blog a few reporters)."""
    shares = [_article_share(c.text, article) for c in read]
    if not shares or sum(shares) / len(shares) < 0.5:
        return False
    if any(dom.own[up] & COMMENTY for up in [*ancestors(dom, members[0], 12), *members]):
        return False
    voices = {c.author for c in read if c.author}
    return len(voices) < 3


def _with_text(dom: Dom, blocks: set[int], memo: Memo) -> set[int]:
    """The blocks left when those with neither text of their own nor nested blocks (a header
    row that looked like a comment: a name, a date, a button) are dropped."""
    ordered = sorted(blocks)
    empty = {b for b in ordered
             if not _inside(dom, b, ordered) and not _read_one(dom, b, ordered, memo)[0].text}
    return blocks - empty


def _outermost(dom: Dom, groups: list[tuple[int, str, list[int]]]
               ) -> list[tuple[int, str, list[int]]]:
    """The groups without lone blocks inside another group's block (the body of a comment
    that its own wrapper already stands for)."""
    members = {m for _, _, found in groups for m in found}
    return [g for g in groups if len(g[2]) > 1 or not any(
        up in members for up in ancestors(dom, g[2][0], 60))]


def find_comments(tree: LexborHTMLParser, article_text: str = "") -> list[FoundComment]:
    """Comment blocks of the page in document order, with parents (empty when none)."""
    dom = index(tree)
    article = {tidy_line(ln) for ln in article_text.split("\n") if len(ln.strip()) >= 20}
    accepted: list[tuple[int, str, list[int]]] = []
    memo: Memo = {}
    for parent, signature, members in _groups(dom):
        read = _read(dom, set(members), memo) if len(members) >= 2 else []
        if read and _is_article(dom, members, read, article):
            logger.debug("group %s dropped: its text is the article's", signature)
            continue
        accepted.append((parent, signature, members))
    accepted = _outermost(dom, accepted)
    if not accepted:
        return []
    blocks = {m for _, _, members in accepted for m in members}
    blocks = _with_text(dom, blocks | _nested(dom, accepted, blocks), memo)
    found = [c for c in _read(dom, blocks, memo) if c.text]
    return htmltree.link_parents(dom, _unique(found))


def _unique(found: list[FoundComment]) -> list[FoundComment]:
    """The first of comments printed twice (a "top comments" box above the full list)."""
    seen: set[str] = set()
    out: list[FoundComment] = []
    for comment in found:
        key = clean.normalise_space(comment.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(comment)
    return out
