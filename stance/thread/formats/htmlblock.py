"""One comment block of an HTML page read as a comment: its author, date, text and id.

The author is the block's first element named for a person (class/id words, a profile link,
"X says:"), else an unmarked name (`<b>Gerald</b>`) ahead of the date; the date is a `time`
element, else the first date that is not a member's join date; the text is the block without
its nested comments, its author/date/action elements and its meta rows (avatars, headers,
footers, vote and share bars), and without button, date and "says:" lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stance.thread.formats.htmldom import (
    ACTION,
    AUTHOR,
    DATE,
    REPLY,
    SHORT,
    Dom,
    badge,
    is_action_line,
    leading_name,
)
from stance.thread.htmltext import node_text
from stance.thread.lines import clean, dates, headers

_META_PARTS = frozenset("""
avatar meta metadata header footer actions action toolbar vote votes voting rating like likes
share sharing report flag permalink badge badges signature info details byline buttons controls
tools links menu
""".split())
_QUOTE_PARTS = frozenset("quote quotes quotecontent blockquote bbcodequote".split())
_NAME_TAGS = frozenset("b strong a span cite em i font small h3 h4 h5 h6 dt div p header".split())
_STRONG_TAGS = frozenset("b strong cite a h4 h5 h6 dt".split())
_SAID = re.compile(r"\s*(?:says|said|wrote|schreibt|écrit)\s*(?::|\.\.\.|…)?\s*$", re.IGNORECASE)
_BY = re.compile(r"^(?:(?:posted|written|submitted|commented|comment|reply)\s+)?"
                 r"(?:by|von|par|por)\s+", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}")
_JOINED = re.compile(r"\W*(?:joined|member since|registered|since|mitglied seit|inscrit)\b",
                     re.IGNORECASE)


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
        if (small and cue & (AUTHOR | DATE | ACTION)) or (metaish and minor) or (
                small and dom.tags[i] in ("span", "small", "em", "i", "b", "strong")
                and badge(dom, i)):  # "OP", "Moderator" beside the name
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


def clean_author(text: str) -> str | None:
    """The name in an author line ("Posted by Wendy at 10:15 PM", "Ruth says:", "Bettina,
    mother of three — 21.05.2024"), None when what is left is no name."""
    text = _BY.sub("", text)
    text = re.sub(r"\s+(?:on|at)\s*:?$", "", text)  # "Posted by Ann on" above its date line
    span = dates.find_date(text)
    clock = _CLOCK.search(text)
    cut = min([p for p in (span[0] if span else None, clock.start() if clock else None)
               if p is not None], default=0)
    if cut > 0:  # "Name 3 hours ago", "Wendy at 10:15 PM, 12 March 2024" in one element
        text = re.sub(r"[\s,|·•–—-]+(?:at|on|am|um|le|el|@)?[\s,|·•–—-]*$", "", text[:cut],
                      flags=re.IGNORECASE)
    name = headers.clean_name(_SAID.sub("", headers.clean_name(text)))
    if name and not headers.name_ok(name, max_words=8, initials=True) and ", " in name:
        name = name.split(", ")[0]  # "Anna K, Leeds": the name before the place
    return name[:80] if name and headers.name_ok(name, max_words=8, initials=True) else None


def _leading_name(dom: Dom, block: int, inner: set[int]) -> int | None:
    """An unmarked name element (`<b>Gerald</b>`, `<strong>Ruth</strong> says:`) ahead of the
    block's date, or ahead of its text when it has no date."""
    stop = _first_cue(dom, block, inner, DATE)
    limit = dom.end[block] if stop is None else dom.end[stop]  # "<b>Ann</b> wrote on DATE"
    i = block + 1
    while i < limit:
        if i in inner:
            i = dom.end[i]
            continue
        if stop is not None and i < stop < dom.end[i]:
            i += 1  # a header row holding the date too: look inside it
            continue
        size = dom.text[i]
        if stop is None and size >= 40:
            return None
        if 0 < size <= 40 and dom.tags[i] in _NAME_TAGS:
            text = dom.text_of(i)
            if headers.letter_avatar(text):  # a letter avatar ("AL") above the name
                i += 1
                continue
            if not clean.is_label(text) and not dates.is_date_line(text) and \
                    clean_author(text) and (stop is not None or dom.tags[i] in _STRONG_TAGS):
                return i
        i += 1
    return None


def _innermost(dom: Dom, at: int, bit: int) -> int:
    """The deepest element carrying `bit` inside `at` (the name link inside a user box
    that also shows the member's title)."""
    steps = 0
    while steps < 50:
        inside = next((i for i in range(at + 1, dom.end[at])
                       if dom.own[i] & bit and dom.text[i] > 0), None)
        if inside is None:
            return at
        at, steps = inside, steps + 1
    return at


def author(dom: Dom, block: int, inner: set[int]) -> tuple[int | None, str | None]:
    """The element holding the commenter's name, and the name."""
    at = _first_cue(dom, block, inner, AUTHOR)
    if at is not None:
        at = _innermost(dom, at, AUTHOR)
    if at is not None and dom.text_of(at).startswith("@"):
        at = _shown_name(dom, block, inner, at)
    if at is None or clean_author(dom.text_of(at)) is None:
        at = _leading_name(dom, block, inner)
    if at is None:
        at, name = _avatar_name(dom, block, inner)
        if name is None and dom.cues[block] & REPLY and not dom.cues[block] & DATE:
            # no date and no author class: the name that opens a block that can be answered,
            # as `htmlcomments` accepted it
            at = leading_name(dom, block)
            name = clean_author(dom.text_of(at)) if at is not None else None
        return (at, name) if name else (None, None)
    return at, clean_author(dom.text_of(at))


def _shown_name(dom: Dom, block: int, inner: set[int], handle: int) -> int:
    """"Ann Lee @annlee" where only the handle is marked: the nearest name element before
    the handle that holds neither it nor a letter avatar ("AL"), else the handle."""
    shown = handle
    for i in _own_part(dom, block, inner):
        if i >= handle:
            break
        text = dom.text_of(i)
        if (0 < dom.text[i] <= 40 and dom.tags[i] in _NAME_TAGS and dom.end[i] <= handle
                and "@" not in text and not headers.letter_avatar(text)
                and not clean.is_label(text) and clean_author(text)):
            shown = i
    return shown


def _own_part(dom: Dom, block: int, inner: set[int]) -> Iterator[int]:
    """The elements of `block` outside its nested comments, in document order."""
    i = block + 1
    while i < dom.end[block]:
        if i in inner:
            i = dom.end[i]
            continue
        yield i
        i += 1


def _avatar_name(dom: Dom, block: int, inner: set[int]) -> tuple[int | None, str | None]:
    """The name an avatar image gives (its alt text; `htmldom` marks such images), and the
    element of the block that prints the same name (so it leaves the text), else the image."""
    avatar = next((i for i in _own_part(dom, block, inner)
                   if dom.tags[i] == "img" and dom.own[i] & AUTHOR), None)
    if avatar is None:
        return None, None
    name = clean.normalise_space(dom.nodes[avatar].attributes.get("alt") or "")
    printed = next((i for i in _own_part(dom, block, inner)
                    if 0 < dom.text[i] <= 40 and dom.text_of(i) == name), None)
    return (avatar if printed is None else printed), name


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


def stamp(dom: Dom, block: int, inner: set[int]) -> str | None:
    """The block's date as printed (or its machine-readable `datetime`/`title`)."""
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


def quotations(dom: Dom, block: int, inner: set[int]) -> list[int]:
    """The quotations of other posts in the block, outermost only: `blockquote` elements and
    elements marked as quotes (XenForo's "bbCodeBlock--quote", phpBB's "quotecontent")."""
    out: list[int] = []
    i = block + 1
    while i < dom.end[block]:
        if i in inner:
            i = dom.end[i]
            continue
        if dom.tags[i] == "blockquote" or (dom.words[i] & _QUOTE_PARTS
                                           and dom.tags[i] in ("div", "section", "aside")):
            out.append(i)
            i = dom.end[i]
            continue
        i += 1
    return out


def quoted_author(dom: Dom, quote: int) -> str | None:
    """Whom a quotation quotes: its `data-quote`/`data-author` attribute, else the header line
    it opens with ("Ann said:", "On <date>, Ann said:", "Quote from: Ann on ...", "Ann wrote:")."""
    attrs = dom.nodes[quote].attributes
    for key in ("data-quote", "data-ipsquote-username", "data-author", "data-username",
                "data-user"):
        value = attrs.get(key)
        if value and headers.name_ok(str(value)):
            return headers.clean_name(str(value))
    first = (dom.nodes[quote].text(separator="\n") or "").strip().split("\n", 1)[0].strip()
    found = headers.parse_attribution(first) if first else None
    if found is not None and found.author and found.role in ("quote", "head"):
        return found.author
    return None


def text(dom: Dom, block: int, inner: set[int], by: tuple[int | None, str | None],
         quotes: list[int] | None = None) -> str:
    """What the commenter wrote: the block without nested comments, its author element `by`,
    its date, action and meta elements, the quotations `quotes` (unless nothing else is
    left), and without button, date and "says:" lines."""
    skip = _skipped(dom, block, inner)
    if by[0] is not None:
        skip.add(by[0])
    if quotes:
        own = text(dom, block, inner | set(quotes), by)
        if own:
            return own
    raw = node_text(dom.nodes[block], skip_ids={int(dom.nodes[i].mem_id) for i in skip})
    name = by[1]
    lines = [ln for ln in raw.split("\n")
             if not clean.is_label(ln) and not clean.is_chrome(ln) and not _SAID.fullmatch(ln)
             and not is_action_line(ln)
             and not (name and _SAID.sub("", ln).strip() == name) and not dates.is_date_line(ln)]
    return clean.join_text(lines)


def source_id(dom: Dom, block: int) -> str | None:
    """The block's own id, a numbered id just inside it, or an `<a id>` just before it."""
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


def cue_count(dom: Dom, block: int, inner: set[int], bit: int) -> int:
    """Separate elements carrying `bit` in the block's own part (two names: two comments).
    An avatar image is no second name (it pictures the name beside it), though alone it
    still shows that one commenter wrote the block."""
    count, pictured, i = 0, False, block + 1
    while i < dom.end[block]:
        if i in inner or (dom.own[i] & bit and dom.text[i] <= SHORT):
            if dom.tags[i] == "img":
                pictured = True
            else:
                count += i not in inner
            i = dom.end[i]
            continue
        i += 1
    return count or int(pictured)
