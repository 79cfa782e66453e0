"""Comments found from a page's repeated sibling structure, whatever the CMS.

A comment section is a run of sibling elements that look alike (same tag and first class word)
and each carry a commenter's cues: an author element, a date, action links ("Reply", "Like"),
class words such as comment/reply/response. The detector (`find_comments`):

1. indexes the page once (`htmldom.index`), with text lengths and cue bits per element;
2. groups every element's children by signature and keeps the groups whose members mostly
   qualify as comment blocks: an author or date cue plus a second cue, some text of their own,
   few links, no headline link (related-article teasers), and no navigation, header, footer,
   sidebar or related-links element around them (unless a comment section sits in between);
3. drops groups whose text is the article's (live-blog entries, a timeline, a list of sources:
   in trafilatura's article with no conversation cue), and, when some groups are marked as
   comments by class words or conversation actions, the unmarked ones outside their section;
4. adds nested blocks of an accepted signature (a lone reply under its comment or in a replies
   container), and reads each block (`htmlblock`): author, date, and text without its
   author/date/action/meta elements and nested replies;
5. rebuilds the reply tree from nesting, replies containers, depth classes and margins
   (`htmltree`); with no block group, alternating header and text rows (`htmlpairs`).
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
from collections import defaultdict

from selectolax.lexbor import LexborHTMLParser

from stance.thread.formats import htmlblock, htmlpairs, htmltree
from stance.thread.formats.htmldom import (
    ACTION,
    AUTHOR,
    COMMENTY,
    DATE,
    HEADLINK,
    REPLY,
    Dom,
    ancestors,
    answerable,
    in_chrome,
    index,
    leading_name,
    signature,
    tidy_line,
)
from stance.thread.formats.markup import FoundComment
from stance.thread.lines import clean

logger = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset("div li article section dd blockquote tr td aside table ul dl".split())
#: Class words that name a block a comment outright (not "most-commented", "commentary").
_COMMENT_NAMES = frozenset("comment comments reply replies response responses talkback "
                           "review reviews".split())
#: A comment block's text has at most this share inside links.
_MAX_LINK_SHARE = 0.6


def _score(dom: Dom, i: int, section: bool = False) -> float:
    """How much element `i` looks like one comment (0 when it cannot be one); `section`:
    it sits in an element named for comments or responses."""
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
        if not (cues & REPLY and leading_name(dom, i) is not None and answerable(dom, i)):
            return 0.0
        cues |= AUTHOR  # a name heading a block that can be answered ("Reply")
    score = (1.0 if cues & AUTHOR else 0.0) + (1.0 if cues & DATE else 0.0)
    score += 0.5 if cues & ACTION else 0.0
    score += 0.5 if dom.own[i] & COMMENTY or section else 0.0
    return score


def _innermost(dom: Dom, i: int, listed: list[int]) -> bool:
    """`i` is a lone comment, not a section around comments: it holds no member of a list of
    comments (`listed`, sorted), at most one element inside looks like a comment (its header
    row may), and none holds most of its text."""
    if bisect.bisect_left(listed, dom.end[i]) > bisect.bisect_right(listed, i):
        return False
    half, found, j = dom.text[i] / 2, 0, i + 1
    while j < dom.end[i]:
        if _score(dom, j) >= 1.5:
            found += 1
            if found > 1 or dom.text[j] >= half:
                return False
            j = dom.end[j]
            continue
        j += 1
    return True


def _groups(dom: Dom) -> list[tuple[int, str, list[int]]]:
    """Sibling groups whose members mostly look like comments; a lone element only when it
    looks like a whole comment by itself (`_innermost`)."""
    found: list[tuple[int, str, list[int]]] = []
    lone: list[tuple[int, str, int]] = []
    for parent in range(len(dom)):
        kids = dom.children[parent]
        if not kids or (len(kids) == 1 and not dom.own[kids[0]] & COMMENTY):
            continue
        by_signature: dict[str, list[int]] = defaultdict(list)
        for kid in kids:
            by_signature[signature(dom, kid)].append(kid)
        section = any(dom.words[up] & _COMMENT_NAMES
                      for up in (parent, dom.parent[parent]) if up >= 0)
        chrome: bool | None = None  # asked once, and only when there is a candidate
        for shape, members in by_signature.items():
            scores = [_score(dom, m, section and len(members) > 1) for m in members]
            good = [m for m, s in zip(members, scores, strict=True) if s >= 1.5]
            lonely = len(members) == 1 and scores[0] >= 2.5
            if not lonely and (len(good) < 2 or len(good) * 2 < len(members)):
                continue
            chrome = in_chrome(dom, parent) if chrome is None else chrome
            if chrome:
                break
            if lonely:
                lone.append((parent, shape, members[0]))
            else:
                found.append((parent, shape, [m for m in members if _score(dom, m) > 0]))
    listed = sorted(m for _, _, members in found for m in members)
    found += [(p, shape, [m]) for p, shape, m in lone if _innermost(dom, m, listed)]
    return sorted(found)


def _nested(dom: Dom, groups: list[tuple[int, str, list[int]]], blocks: set[int]) -> set[int]:
    """More blocks of an accepted signature in the same section: a lone reply nested in its
    comment, or in a replies container next to it."""
    extra: set[int] = set()
    for parent, shape, _ in groups:
        for i in range(parent + 1, dom.end[parent]):
            if i not in blocks and signature(dom, i) == shape and _score(dom, i) >= 1.5:
                extra.add(i)
    return extra


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
        author = htmlblock.author(dom, block, inner)
        comment = FoundComment(node_id=block, source_id=htmlblock.source_id(dom, block),
                               author=author[1], timestamp=htmlblock.stamp(dom, block, inner),
                               text=htmlblock.text(dom, block, inner, author,
                                                   htmlblock.quotations(dom, block, inner)),
                               parent_node=None)
        memo[key] = (comment, htmlblock.cue_count(dom, block, inner, AUTHOR),
                     htmlblock.cue_count(dom, block, inner, DATE))
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


def _article_share(text: str, article: set[str], flat: str) -> float:
    """Share of the comment's characters on lines the article has, as lines or inside its
    lines (an extractor joins a list item's parts into one line)."""
    lines = [tidy_line(ln) for ln in text.split("\n") if ln.strip()]
    total = sum(len(ln) for ln in lines)
    there = sum(len(ln) for ln in lines
                if ln in article or (len(ln) >= 20 and ln.lower() in flat))
    return there / total if total else 0.0


def _is_article(dom: Dom, members: list[int], read: list[FoundComment],
                article: set[str]) -> bool:
    """A group whose text is the article's (live-blog entries, a timeline, a list of
    sources): most of it is in trafilatura's article, and neither class words nor the
    actions of a conversation (reply, quote, report, votes; "Share" is any page's) nor many
    voices (a forum thread has many writers, a live blog a few reporters) say that readers
    wrote it."""
    flat = " ".join(sorted(article)).lower()
    shares = [_article_share(c.text, article, flat) for c in read]
    if not shares or sum(shares) / len(shares) < 0.5:
        return False
    if any(dom.own[up] & COMMENTY for up in [*ancestors(dom, members[0], 12), *members]):
        return False
    if sum(1 for m in members if dom.cues[m] & REPLY) * 2 >= len(members):
        return False
    return len({c.author for c in read if c.author}) < 3


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


def _conversational(dom: Dom, group: tuple[int, str, list[int]]) -> bool:
    """Whether class words or conversation actions mark the group as readers' comments."""
    parent, _, members = group
    if any(dom.own[up] & COMMENTY for up in [parent, *ancestors(dom, parent, 12), *members]):
        return True
    return sum(1 for m in members if dom.cues[m] & REPLY) * 2 >= len(members)


def _in_the_conversation(dom: Dom, groups: list[tuple[int, str, list[int]]]
                         ) -> list[tuple[int, str, list[int]]]:
    """When some groups are marked as comments, the others only inside their section (a
    product grid or a dated list elsewhere on the page is not let in by its cues alone)."""
    marked = [g for g in groups if _conversational(dom, g)]
    if not marked:
        return groups
    sections = [dom.parent[g[0]] if dom.parent[g[0]] >= 0 else g[0] for g in marked]
    return [g for g in groups if g in marked or any(
        s <= g[0] < dom.end[s] for s in sections)]


def find_comments(tree: LexborHTMLParser, article_text: str = "") -> list[FoundComment]:
    """Comment blocks of the page in document order, with parents (empty when none)."""
    dom = index(tree)
    article = {tidy_line(ln) for ln in article_text.split("\n") if len(ln.strip()) >= 20}
    accepted: list[tuple[int, str, list[int]]] = []
    memo: Memo = {}
    for parent, shape, members in _groups(dom):
        read = _read(dom, set(members), memo) if len(members) >= 2 else []
        if read and _is_article(dom, members, read, article):
            logger.debug("group %s dropped: its text is the article's", shape)
            continue
        accepted.append((parent, shape, members))
    accepted = _in_the_conversation(dom, _outermost(dom, accepted))
    blocks = {m for _, _, members in accepted for m in members}
    blocks = _with_text(dom, blocks | _nested(dom, accepted, blocks), memo)
    found = [c for c in _read(dom, blocks, memo) if c.text]
    if found:
        _quoted_authors(dom, found)
        return htmltree.link_parents(dom, _unique(found))
    pairs = htmlpairs.find_pairs(dom)
    if pairs and _is_article(dom, [p.node_id for p in pairs], pairs, article):
        return []
    return _unique(pairs)


def _quoted_authors(dom: Dom, found: list[FoundComment]) -> None:
    """Whom each comment quotes, from the quotations in its own part (not in the comments
    nested in it): a flat forum's replies are placed under the post they quote."""
    nodes = {c.node_id for c in found}
    for comment in found:
        quotes = htmlblock.quotations(dom, comment.node_id, nodes - {comment.node_id})
        comment.quoted = next((name for q in quotes
                               if (name := htmlblock.quoted_author(dom, q))), None)


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
