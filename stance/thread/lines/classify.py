"""Classify the lines of a plain-text scrape: text, labels, attribution, markers, chrome.

A line is first classified on its own shape (`classify_line`), then in context
(`classify`): weak attribution shapes only count when the thread repeats them or they sit beside
a strong one, bare user names count when they introduce a quotation or recur as authors, and a
name directly above a date joins it as one header.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from stance.thread.lines import clean, counts, dates, headers, signatures, taglines
from stance.thread.lines.headers import Attribution
from stance.thread.lines.kinds import (
    _NUMBERED,
    AVATAR,
    BLANK,
    CHROME,
    COUNTER,
    HEADER,
    LABEL,
    LEVEL,
    MARKER,
    QUOTE,
    SEPARATORS,
    TEXT,
    Line,
)

__all__ = ["AVATAR", "BLANK", "CHROME", "COUNTER", "HEADER", "LABEL", "LEVEL", "MARKER", "QUOTE",
           "SEPARATORS", "TEXT", "Line", "classify", "classify_line", "split_lines"]

logger = logging.getLogger(__name__)

#: Lines longer than this are never structure; they are only ever text.
_MAX_STRUCTURE = 300


_TRAILING_AUTHOR = re.compile(r"^(?P<text>\s*[•*\-–]\s+\S.*?\S)\s+(?P<sig>[—–]\s*\S.{0,40})$")

_TRAILING_DATED = re.compile(r"^(?P<text>\s*\S.*?[.!?)\"”’])\s+(?P<sig>[—–]\s*\S.{0,60}\d.{0,20})$")


def split_lines(text: str) -> list[str]:
    """Physical lines with tabs expanded and glued Blogger labels cut loose."""
    out: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.expandtabs(4).rstrip().replace("\u00a0", " ").replace("\u200b", "")
        if len(line) > _MAX_STRUCTURE * 4:
            out.append(line)
            continue
        out.extend(clean.split_glued(line))
    return _split_trailing_authors(out)


def _split_trailing_authors(lines: list[str]) -> list[str]:
    """"• text — Cindy S." list items, when several are signed so, and any comment that ends
    in a dated signature ("... skips. – pan_owner_paul Mar 3, 2024 at 18:22") become
    text + signature."""
    signed = []
    for k, line in enumerate(lines):
        if "—" not in line and "–" not in line:  # both signatures open with a dash
            continue
        match = _TRAILING_AUTHOR.match(line) or _TRAILING_DATED.match(line)
        attr = headers.parse_attribution(match.group("sig")) if match else None
        if match and attr is not None:
            signed.append((k, match, attr))
    if len(signed) < 2 and not any(a.timestamp and a.author for _, _, a in signed):
        return lines
    out = list(lines)
    for k, match, _ in reversed(signed):
        out[k:k + 1] = [match.group("text"), match.group("sig")]
    return out


#: Lines up to this long have their shape read once per process (`_shape_of`): pages repeat
#: their button, date and author lines, and a 20 MB line is never kept.
_CACHED_LINE = 200


def classify_line(index: int, raw: str) -> Line:
    """The line's kind from its shape alone."""
    if len(raw) <= _CACHED_LINE:
        return Line(index, raw, *_shape_of(raw))
    return _classify_line(index, raw)


@lru_cache(maxsize=8192)
def _shape_of(raw: str) -> tuple[str, Attribution | None, int | None, int | None]:
    """(kind, attr, number, level) of a short line: `classify_line` without the index."""
    line = _classify_line(0, raw)
    return line.kind, line.attr, line.number, line.level


def _classify_line(index: int, raw: str) -> Line:
    text = raw.strip()
    if not text:
        return Line(index, raw, BLANK)
    number_match = _NUMBERED.match(raw)
    number = int(number_match.group(2)) if number_match else None
    if len(text) > _MAX_STRUCTURE:  # too long for a header; a long copyright notice is chrome
        return Line(index, raw, CHROME if clean.is_copyright(text) else TEXT, number=number)
    level = headers.LEVEL_RE.match(text)
    if level:
        return Line(index, raw, LEVEL, level=int(level.group(1)))
    if clean.is_marker(text):
        return Line(index, raw, MARKER, number=number)
    name = headers.avatar_name(text)
    if name is not None:
        return Line(index, raw, AVATAR, attr=Attribution(author=name, role="head"))
    if clean.is_tracked_on(text):  # a trackback's date: no comment's header
        return Line(index, raw, CHROME)
    attr = headers.parse_attribution(text)
    if attr is not None:
        return Line(index, raw, QUOTE if attr.role == "quote" else HEADER, attr=attr,
                    number=number)
    if (dates.is_relative(text) and len(text) <= 12) or dates.is_date_line(text):
        return Line(index, raw, HEADER, attr=Attribution(timestamp=text, shape="date"))
    if clean.is_label(text):
        return Line(index, raw, LABEL, number=number)
    if clean.is_counter(text):
        return Line(index, raw, COUNTER)
    if clean.is_chrome(text):
        return Line(index, raw, CHROME)
    return Line(index, raw, TEXT, number=number)


_INLINE_NAME = re.compile(r"^(?P<a>[^:\s][^:]{0,38}):\s+(?P<t>\S.{8,})$")
_QUOTE_OPEN = re.compile(r"^[\"“‘'«„]")
_RETWEET = re.compile(r"^(?:RT|MT)\s+@")  # "RT @desk: ..." quotes a post; @desk is no author


def _inline_names(raws: list[str]) -> tuple[list[str], dict[int, str]]:
    """"kestrel22: Name it after..." paragraphs, when several names open paragraphs so,
    become a header line and a text line; returns the lines and {header index: name}."""
    found: list[tuple[int, str, str]] = []
    for k, raw in enumerate(raws):
        if len(raw) > 2000 or (k and raws[k - 1].strip()):
            continue
        match = _INLINE_NAME.match(raw.strip())
        if (match and headers.name_ok(match.group("a"), max_words=3)
                and not _QUOTE_OPEN.match(raw.strip()) and not _RETWEET.match(raw.strip())
                and headers.parse_attribution(raw) is None):
            # a header line already ("Ann says: 4 hours ago") or a quotation of a post
            # ("“@kestrel22: Name it after...”", "RT @kestrel22: ...") is no name opening a
            # paragraph
            found.append((k, headers.clean_name(match.group("a")), match.group("t")))
    if len(found) < 3 or len({name.lower() for _, name, _ in found}) < 2:
        return raws, {}
    out = list(raws)
    for k, name, rest in reversed(found):
        indent = raws[k][:len(raws[k]) - len(raws[k].lstrip())]
        out[k:k + 1] = [indent + name + ":", indent + rest]
    names: dict[int, str] = {}
    shift = 0
    for k, name, _ in found:
        names[k + shift] = name
        shift += 1
    return out, names


def classify(text: str) -> list[Line]:
    """Classify every line of `text`, shape first, then context."""
    raws, inline = _inline_names(split_lines(text))
    lines = [Line(i, raw, HEADER, attr=Attribution(author=inline[i], role="head", strong=True,
                                                   shape="name colon"))
             if i in inline else classify_line(i, raw) for i, raw in enumerate(raws)]
    lines = signatures.mark_signatures(lines)
    lines = _subject_lines(lines)
    lines = _avatar_names(lines)
    lines = _letter_avatars(lines)
    lines = _name_above_date(lines)
    lines = _followed_names(lines)
    lines = _ranked_names(lines)
    lines = taglines.tagline_names(lines)
    lines = _post_numbers(lines)
    lines = _numbered_names(lines)
    lines = _weak_headers(lines)
    lines = _dash_signatures(lines)
    lines = _names_over_places(lines)
    lines = _bare_names(lines)
    lines = _labelled_names(lines)
    lines = _said_quotes(lines)
    lines = _quotes(lines)
    lines = _icon_prefixes(lines)
    lines = _names_replied_to(lines)
    return _counters(counts.counter_rows(lines))


def _next(lines: list[Line], i: int, step: int = 1) -> int | None:
    """Index of the nearest non-blank line after (step=1) or before (step=-1) `i`."""
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].kind != BLANK:
            return j
        j += step
    return None


def _looks_like_bare_name(line: Line) -> bool:
    if line.kind != TEXT:
        return False
    text = line.text
    if text[:1] in "#*_" or text[-1:] in "*_":
        text = headers.strip_markup(text, bullets=False)  # "# ann", "**Ann Lee**"
    if line.kind != TEXT or len(text) > 40 or _SALUTATION.match(text):
        return False
    first = _COMMA.split(text, maxsplit=1)[0]  # "Duluth, MN": a place line has a comma
    return (headers.name_ok(first, max_words=4)
            and (not text.endswith(".") or bool(_INITIAL_END.search(text))))


_COMMA = re.compile(r",\s+")
#: A comment's opening salutation on its own line ("Dear Alia,", "Amen, Betty!", "Bob,"):
#: text that addresses someone, never the line that names the comment's author.
_SALUTATION = re.compile(r"^(?:(?i:dear|hi|hey|hello|amen|thanks|thank you|well said)\b.*"
                         r"|.*[,!?;])$")
_INITIAL_END = re.compile(r"\s[A-Z]\.$")


def _avatar_names(lines: list[Line]) -> list[Line]:
    """"TJ's avatar" then "TJ": the name line is the comment's header."""
    out = list(lines)
    for i, line in enumerate(lines):
        if line.kind != AVATAR:
            continue
        j = _next(out, i)
        if j is not None and _looks_like_bare_name(out[j]):
            out[j] = replace(out[j], kind=HEADER,
                             attr=Attribution(author=headers.clean_name(out[j].text), role="head",
                                              strong=True, shape="avatar name"))
    return out


def _letter_avatars(lines: list[Line]) -> list[Line]:
    """"AL" on its own line, then "Ann Lee 3 hours ago": the initials are a letter avatar
    (a circle with the commenter's initials), not a comment. One or two capitals that begin
    the next line's author's name and, for two, its second word."""
    out = list(lines)
    bare: list[tuple[int, int]] = []  # (initials, bare name) pairs with text below the name
    for i, line in enumerate(lines):
        text = line.text
        if line.kind != TEXT or not headers.letter_avatar(text):
            continue
        j = _next(lines, i)
        below = lines[j] if j is not None else None
        if j is not None and below is not None and _looks_like_bare_name(below) and _initials_of(
                headers.clean_name(below.text)).startswith(text):
            k = _next(lines, j)
            if k is not None and lines[k].kind in (TEXT, QUOTE) and len(
                    lines[k].text.split()) >= 2 and not _looks_like_bare_name(lines[k]):
                bare.append((i, j))
            continue
        if below is None or below.kind != HEADER or below.attr is None or not below.attr.author:
            continue
        if _initials_of(below.attr.author).startswith(text):
            out[i] = replace(line, kind=AVATAR,
                             attr=Attribution(author=below.attr.author, role="head"))
    # Without a date beside them, names under their letter avatars count where the page
    # prints two or more such pairs ("MK" / "Moham Kavepri" / the comment).
    if len(bare) >= 2:
        for i, j in bare:
            out[j] = named = _name_header(lines[j], "name under letters")
            out[i] = replace(lines[i], kind=AVATAR, attr=Attribution(
                author=named.attr.author if named.attr is not None else None, role="head"))
    return out


def _initials_of(name: str) -> str:
    """The capitals a letter avatar shows: the first letters of the name's first two words."""
    return "".join(w[:1] for w in name.split()[:2]).upper()


def _is_date_header(line: Line) -> bool:
    return (line.kind == HEADER and line.attr is not None and line.attr.author is None
            and bool(line.attr.timestamp))


def _is_glyph(line: Line) -> bool:
    return line.kind == LABEL and not re.search(r"\w", line.text)


def _is_reply_line(line: Line) -> bool:
    """"in reply to X" on a line of its own, between a name and its date."""
    return line.kind == HEADER and line.attr is not None and line.attr.shape == "replying to"


def _is_profile(line: Line) -> bool:
    return line.kind == CHROME and bool(re.match(r"^(?:posts|joined|join date|karma|reputation|"
                                                 r"messages|member since|total posts|"
                                                 r"registered)\b", line.text, re.IGNORECASE))


#: "answered Mar 3, 2024 at 10:05" above the name that signs an answer.
_VERB_DATE = re.compile(r"^(?:asked|answered|edited|posted|commented)\b", re.IGNORECASE)


def _name_header(line: Line, shape: str, reply_to: str | None = None,
                 role: str = "head", handle: str | None = None) -> Line:
    return replace(line, kind=HEADER, attr=Attribution(
        author=headers.clean_name(line.text), reply_to=reply_to, role=role, strong=True,
        shape=shape, handle=handle))


def _opens_with_author(line: Line | None) -> bool:
    """A strong head line that names the author before the text ("Luke said...")."""
    return (line is not None and line.kind == HEADER and line.attr is not None
            and line.attr.strong and line.attr.role == "head" and bool(line.attr.author)
            and line.attr.shape.startswith("name ") and line.attr.shape.split()[1] in (
                "said", "says", "wrote", "writes", "commented"))


def _name_above_date(lines: list[Line]) -> list[Line]:
    """A bare name directly above a date ("Millicent" / "18m", glyphs between allowed) or a
    profile line ("Posts: 212") is the header's name; a second name above it on Disqus is
    the one replied to. A name right below a date-only post header is its author."""
    out = list(lines)
    standalone = Counter(ln.text.lower() for ln in lines if ln.kind == TEXT and len(ln.text) <= 40)
    for i, line in enumerate(lines):
        if not _looks_like_bare_name(line):
            continue
        j = i + 1  # glyphs and up to two buttons ("Follow") may sit between name and date
        while j < len(lines) and (_is_glyph(lines[j]) or (j - i <= 2 and (
                lines[j].kind == LABEL or _is_reply_line(lines[j])))):
            j += 1
        if j >= len(lines):
            continue
        # A name set apart above a date header ("Jo Marsh" / blank / "March 4th, 2009" /
        # "7:00 am"): one blank line between them, and one above the name, so the name is
        # no body's last line.
        gapped = (j == i + 1 and lines[j].kind == BLANK and j + 1 < len(lines)
                  and (i == 0 or lines[i - 1].kind == BLANK) and _is_date_header(out[j + 1]))
        if gapped:
            j += 1
        below = out[j]
        above = out[i - 1] if i > 0 else None
        if _opens_with_author(above):
            continue  # "X said..." / "@harbourdesk Two" / date: the block has its author; a
            # short line under it is the comment
        if _is_date_header(below) or _is_profile(below):
            if not gapped and above is not None and _looks_like_bare_name(above) and (
                    i < 2 or out[i - 2].kind not in (TEXT, QUOTE)):
                # Disqus prints the name replied to under the author's; a newspaper prints
                # the commenter's town there ("Carol B." / "Duluth, MN" / "March 4").
                # A handle there ("@ilse@mastodon.example") is the author's own address.
                handle = line.text if line.text.startswith("@") else None
                known = standalone[line.text.lower()] >= 2 and handle is None
                out[i - 1] = _name_header(above, "name over name", handle=handle,
                                          reply_to=line.text if known else None)
                out[i] = replace(line, kind=LABEL)
            else:
                out[i] = _name_header(line, "name over gap over date" if gapped
                                      else "name over date")
            if below.kind == HEADER and below.attr is not None:
                out[j] = replace(below, attr=replace(below.attr, strong=True))
        elif (above is not None and above.attr is not None and _is_date_header(above)
              and (_is_profile(below) or below.kind in (AVATAR, LABEL)
                   or _VERB_DATE.match(above.text))):
            # "answered <date>" / name signs the post above it
            signs = bool(_VERB_DATE.match(above.text)) and below.kind not in (AVATAR, LABEL)
            out[i] = _name_header(line, "name under date", role="foot" if signs else "head")
            out[i - 1] = replace(above, attr=replace(above.attr, strong=True))
    return out


_FOLLOW = re.compile(r"^[\W_]*follow(?:ing)?[\W_]*$", re.IGNORECASE)


def _ranked_names(lines: list[Line]) -> list[Line]:
    """"Ann Lee" / "Active Member": a bare name right above a forum rank heads a post."""
    out = list(lines)
    for i, line in enumerate(lines[:-1]):
        if lines[i + 1].kind == LABEL and clean.is_member_title(lines[i + 1].text) and (
                _looks_like_bare_name(line)):
            out[i] = _name_header(line, "name over rank")
    return out


def _followed_names(lines: list[Line]) -> list[Line]:
    """"Helen Strand" / "· Follow" / "Former classics teacher · 3y": the name above a Follow
    button is the author; the name-and-date line under it holds a tagline, not a name."""
    out = list(lines)
    for i, line in enumerate(lines):
        j = _next(lines, i)
        k = _next(lines, j) if j is not None else None
        if k is None or j is None or not _looks_like_bare_name(line):
            continue
        attr = lines[k].attr
        if (not _FOLLOW.match(lines[j].text) or lines[k].kind != HEADER or attr is None
                or not attr.timestamp):
            continue
        out[i] = _name_header(line, "name over follow")
        out[k] = replace(lines[k], attr=replace(attr, author=None, strong=True,
                                                shape="tagline date"))
    return out


_POST_NUMBER = re.compile(
    r"^(?:post|comment|reply|message|msg|entry)\s*#?\s*(\d{1,6})\s*:?$|^#(\d{1,6})$", re.IGNORECASE)


def _post_numbers(lines: list[Line]) -> list[Line]:
    """Forum posts numbered on a line of their own ("Post 3", "Comment #12", "#7"): header
    lines when the page has two or more of them in increasing order."""
    found = []
    for i, line in enumerate(lines):
        match = _POST_NUMBER.match(line.text) if line.kind == TEXT else None
        if match:
            found.append((i, int(match.group(1) or match.group(2))))
    numbers = [n for _, n in found]
    if len(found) < 2 or any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        return lines
    out = list(lines)
    for i, _ in found:
        out[i] = replace(lines[i], kind=HEADER, attr=Attribution(role="head", strong=True,
                                                                   shape="post n"))
        # the poster's display name on the next line, above the post ("Quillon Marsh")
        j = _next(lines, i)
        k = _next(lines, j) if j is not None else None
        if (j is not None and k is not None and lines[j].kind == TEXT
                and lines[k].kind == TEXT and len(lines[j].text) <= 60
                and len(lines[j].text.split()) <= 10 and lines[j].text[-1:] not in ".?!:"):
            out[j] = replace(lines[j], kind=HEADER, attr=Attribution(
                author=headers.clean_name(lines[j].text), role="head", strong=True,
                shape="name under post n"))
    return out


def _numbered_names(lines: list[Line]) -> list[Line]:
    """WordPress's ordered comment list without "says": "  1. Maren", then the comment indented
    under it. A numbered item that is only a name, with deeper-indented text below it, is the
    comment's header when at least two items of one numbering (1., 2., ...) look so; a list
    of places or titles in an article is not indented under its items."""
    found: list[tuple[int, int, str]] = []  # (line, its number, the name)
    for i, line in enumerate(lines):
        if line.number is None or line.kind != TEXT:
            continue
        name = line.item_text
        if len(name) > 40 or not headers.name_ok(name, max_words=4):
            continue
        j = _next(lines, i)
        if j is not None and lines[j].kind == TEXT and lines[j].indent > line.indent:
            found.append((i, line.number, name))
    numbers = [n for _, n, _ in found]
    if len(found) < 2 or not any(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False)):
        return lines
    out = list(lines)
    for i, _, name in found:
        out[i] = replace(lines[i], kind=HEADER, attr=Attribution(
            author=headers.clean_name(name), role="head", strong=True, shape="n. name"))
    return out


def _weak_headers(lines: list[Line]) -> list[Line]:
    """Weak shapes count when repeated or next to strong structure; else they are text."""
    shapes = Counter(line.attr.shape for line in lines
                     if line.kind == HEADER and line.attr is not None and not line.attr.strong)
    out = list(lines)
    for i, line in enumerate(lines):
        if line.kind != HEADER or line.attr is None or line.attr.strong:
            continue
        if shapes[line.attr.shape] >= 2 or _beside_strong(lines, i):
            continue
        out[i] = replace(line, kind=TEXT, attr=None)
    return out


_DASH_SIGNED = re.compile(r"^[-–—~]\s*(?P<a>[^-–—~\s].{0,38})$")


def _dash_signatures(lines: list[Line]) -> list[Line]:
    """Where two or more comments are signed with a dash ("-mae424", "— SA"), a dashed line in
    the same place (right under a comment's text, a blank line or the end after it) signs its
    comment too, though the name would not pass for one alone ("-A is A", "-19061 is home").
    Dashed lines one under another are a list, never signatures."""
    dashed = [i for i, ln in enumerate(lines)
              if ln.kind == HEADER and ln.attr is not None and ln.attr.shape == "dash name"]
    if not dashed:
        return lines
    out = list(lines)
    for i in dashed:
        if any(0 <= j < len(lines) and _DASH_SIGNED.match(lines[j].text) for j in (i - 1, i + 1)):
            out[i] = replace(lines[i], kind=TEXT, attr=None)
    lines = list(out)
    signed = sum(1 for ln in lines if ln.kind == HEADER and ln.attr is not None
                 and ln.attr.shape == "dash name")
    if signed < 2:
        return lines
    for i, line in enumerate(lines):
        match = _DASH_SIGNED.match(line.text) if line.kind == TEXT else None
        if (match is None or i == 0 or lines[i - 1].kind != TEXT
                or _DASH_SIGNED.match(lines[i - 1].text)
                or (i + 1 < len(lines) and lines[i + 1].kind != BLANK)
                or len(match.group("a").split()) > 4 or clean.ends_sentence(match.group("a"))):
            continue
        out[i] = replace(line, kind=HEADER, attr=Attribution(
            author=headers.clean_name(match.group("a")), role="foot", shape="dash name"))
    return out


#: A town or region under a letter writer's name ("Poynton, Cheshire", "Portland, Me.").
_PLACE = re.compile(r"^[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){0,2}"
                    r"(?:, [A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){0,2})?$")


def _names_over_places(lines: list[Line]) -> list[Line]:
    """Letters pages sign each letter with the writer's name and, on the next line, their
    town ("Jacqueline Cassidy" / "Poynton, Cheshire"): where two or more letters are signed so
    (a name right under a sentence, a place right under the name, the next letter or the end
    after it), the name signs the letter above and the place is part of the signature."""
    found = []
    for i in range(1, len(lines) - 1):
        above, line, place = lines[i - 1], lines[i], lines[i + 1]
        after = lines[i + 2] if i + 2 < len(lines) else None
        if (above.kind == TEXT and (clean.ends_sentence(above.text) or len(above.text) > 80)
                and _looks_like_bare_name(line) and place.kind == TEXT
                and _PLACE.match(place.text) is not None and place.text != line.text
                and (after is None or after.kind != TEXT or not _looks_like_bare_name(after))):
            found.append(i)
    if len(found) < 2:
        return lines
    out = list(lines)
    for i in found:
        out[i] = _name_header(lines[i], "name over place", role="foot")
        out[i + 1] = replace(lines[i + 1], kind=LABEL)
    return out


def _beside_strong(lines: list[Line], i: int) -> bool:
    for step in (-1, 1):
        j = _next(lines, i, step)
        if j is None or abs(j - i) > 2:
            continue
        other = lines[j]
        if other.kind in (LABEL, AVATAR) or (other.kind == HEADER and other.attr is not None
                                              and other.attr.strong):
            return True
    return False


def _bare_names(lines: list[Line]) -> list[Line]:
    """Forum style: a bare user name heads a post when it opens a quotation or recurs as author."""
    quoted = {line.attr.author.lower() for line in lines
              if line.kind == QUOTE and line.attr is not None and line.attr.author}
    if not quoted:
        return lines
    standalone = Counter(line.text.lower() for line in lines if _looks_like_bare_name(line))
    out = list(lines)
    for i, line in enumerate(lines):
        if not _looks_like_bare_name(line):
            continue
        j = _next(lines, i)
        name = line.text.lower()
        opens_quote = j is not None and lines[j].kind == QUOTE and j - i <= 2
        if opens_quote or name in quoted or standalone[name] >= 2:
            out[i] = replace(line, kind=HEADER, attr=Attribution(
                author=headers.clean_name(line.text), role="head", strong=True,
                shape="bare name"))
    return out


def _labelled_names(lines: list[Line]) -> list[Line]:
    """Names with no date beside them, placed by the page's buttons: where three or more bare
    names each sit between a button row ("Reply", "Like Reply", a bare vote count) and a
    comment's text (a badge or a permalink may sit under the name), a name after a button
    row heads the next comment; where three or more sit between a comment's text and its
    button row, a name before one signs the comment above. The first comment's
    name has no button row above it: the one nearest above the first such row's text counts.
    A letter avatar ("MD") above a name is skipped over and becomes the name's avatar."""
    content = [k for k, ln in enumerate(lines) if ln.kind != BLANK]
    if len(content) < 9:
        return lines
    pos = {k: n for n, k in enumerate(content)}

    def before(k: int) -> Line | None:
        n = pos[k] - 1
        while n >= 0 and headers.letter_avatar(lines[content[n]].text):
            n -= 1
        return lines[content[n]] if n >= 0 else None

    def after(k: int) -> Line | None:
        n = pos[k] + 1  # past a badge or a permalink under the name ("Top fan", "#4")
        while n < len(content) and n - pos[k] <= 2 and _header_part(lines[content[n]]):
            n += 1
        return lines[content[n]] if n < len(content) else None

    def sentence(line: Line | None) -> bool:
        return (line is not None and line.kind in (TEXT, QUOTE)
                and not _looks_like_bare_name(line) and len(line.text.split()) >= 3)

    head, foot = [], []
    for k in content:
        line = lines[k]
        if not _looks_like_bare_name(line) or clean.ends_comments(line.text):
            continue  # "Recent comments" under "Add a comment" is a sidebar's heading
        above = before(k)
        if above is not None and above.kind in (LABEL, COUNTER) and sentence(after(k)):
            head.append(k)
        elif sentence(above) and pos[k] + 1 < len(content) and lines[
                content[pos[k] + 1]].kind in (LABEL, COUNTER):
            foot.append(k)
    # Most of the button rows must take part. Rows under text (a name signing it counts as
    # text) for signed names; rows followed by text for heading names, less those right
    # under a name (a permalink, "#4", is part of that name's header).
    under, over = 0, 0
    for n, k in enumerate(content[1:-1], start=1):
        if lines[k].kind not in (LABEL, COUNTER):
            continue
        above, below = lines[content[n - 1]], lines[content[n + 1]]
        under += above.kind in (TEXT, QUOTE)
        over += below.kind in (TEXT, QUOTE) and not _looks_like_bare_name(above)
    heads = len(head) >= 3 and len(head) >= 0.5 * over and len(head) > len(foot)
    if not heads and (len(foot) < 3 or len(foot) < 0.5 * under):
        return lines
    out = list(lines)
    if heads:
        first = _first_named(lines, content, pos, head[0])
        for k in ([first] if first is not None else []) + head:
            out[k] = _name_header(lines[k], "name over text")
    else:
        for k in foot:
            out[k] = _name_header(lines[k], "name under text", role="foot")
    return _letter_avatars(out)


def _header_part(line: Line) -> bool:
    """A line that may sit between a name and its comment's text: a badge, a button or a
    permalink, a header line that names no one ("#4", "3 hours ago")."""
    return line.kind in (CHROME, LABEL) or (line.kind == HEADER and line.attr is not None
                                             and not line.attr.author)


def _first_named(lines: list[Line], content: list[int], pos: dict[int, int],
                 second: int) -> int | None:
    """The bare name heading the comment above the first button row that a name follows:
    the nearest bare name above that row with only the comment's text between them."""
    n = pos[second] - 1
    while n >= 0 and lines[content[n]].kind not in (LABEL, COUNTER):
        n -= 1
    n -= 1  # the button row; above it, the comment's text up to its name
    texts = parts = 0
    while n >= 0 and pos[second] - n < 40:
        line = lines[content[n]]
        if _looks_like_bare_name(line):
            return content[n] if texts else None
        if texts and parts < 2 and _header_part(line):  # "#1" under the name
            parts += 1
        elif line.kind not in (TEXT, QUOTE) or parts:
            return None
        else:
            texts += 1
        n -= 1
    return None


_EXPAND = re.compile(r"^click to expand(?:\.\.\.|…)?$", re.IGNORECASE)
_QUOTE_REACH = 80  # lines from a quotation's header to its "Click to expand..."
_HANDLE_COLON = re.compile(r"^@?([\w.\-]{2,40}):$")


def _said_quotes(lines: list[Line]) -> list[Line]:
    """Forum quotations opened by a line shaped like a comment header ("Ann Lee said:",
    "On 3/3/2021 at 10:15 AM, Ann Lee said:"):

    - XenForo closes the quoted lines with "Click to expand...": they become "> " lines, so
      the quotation ends there and not at the next blank line;
    - Invision and others put it under the post's own author line (a header naming someone
      else right above it, blank lines and buttons between allowed); Discourse prints only
      the quoted poster's user name and a colon there ("ann_lee:"), a name the page's
      headers also print.
    """
    out = list(lines)
    authors = {ln.attr.author.lower() for ln in lines
               if ln.kind == HEADER and ln.attr is not None and ln.attr.author}
    for i, line in enumerate(lines):
        if not line.text.endswith(":"):
            continue
        handle = _HANDLE_COLON.match(line.text) if line.kind == TEXT else None
        if handle and handle.group(1).lower() in authors:  # Discourse: "ann_lee:" quotes
            above = _authored_above(lines, i)
            if above is not None and above.lower() != handle.group(1).lower():
                out[i] = replace(line, kind=QUOTE, attr=Attribution(
                    author=handle.group(1), role="quote", strong=True, shape="handle colon"))
            continue
        attr = line.attr
        if (line.kind != HEADER or attr is None or not attr.author or attr.role != "head"
                or not line.text.rstrip("*_ ").endswith(":")):
            continue
        end = None
        for j in range(i + 1, min(len(lines), i + _QUOTE_REACH)):
            if _EXPAND.match(lines[j].text):
                end = j
                break
            if lines[j].kind in (HEADER, AVATAR, LEVEL):
                break
        above = _authored_above(lines, i)
        if end is None and (above is None or above.lower() == attr.author.lower()):
            continue
        out[i] = replace(line, kind=QUOTE, attr=replace(attr, role="quote"))
        for k in range(i + 1, end or i + 1):
            if lines[k].kind != BLANK:
                out[k] = Line(lines[k].index, "> " + lines[k].text, TEXT)
    return out


def _authored_above(lines: list[Line], i: int) -> str | None:
    """The author named by the header lines right above line i (blank lines and labels
    between allowed; at most three lines of the block), else None."""
    seen = 0
    j = _next(lines, i, -1)
    while j is not None and seen < 3 and lines[j].kind in (HEADER, AVATAR, LABEL, LEVEL):
        attr = lines[j].attr
        if lines[j].kind in (HEADER, AVATAR) and attr is not None and attr.author:
            return attr.author
        seen += 1
        j = _next(lines, j, -1)
    return None


_ICON_PREFIX = re.compile(r"^(?:Anonymous|Blogger|OpenID)\s+(?=\S)")


def _icon_prefixes(lines: list[Line]) -> list[Line]:
    """Old Blogger templates print the commenter's icon as alt text before the name
    ("Anonymous Luther said...", "Blogger Mike LaRoche said..."): where two or more authors
    start so, the word is the icon's, not the name's."""
    marked = [i for i, ln in enumerate(lines) if ln.kind == HEADER and ln.attr is not None
              and ln.attr.author and _ICON_PREFIX.match(ln.attr.author)]
    if len(marked) < 2:
        return lines
    out = list(lines)
    for i in marked:
        attr = lines[i].attr
        assert attr is not None and attr.author is not None
        out[i] = replace(lines[i], attr=replace(attr, author=_ICON_PREFIX.sub("", attr.author)))
    return out


def _names_replied_to(lines: list[Line]) -> list[Line]:
    """Disqus prints the name replied to after the replier's, its arrow lost in a copy
    ("bridgefan77 Corinne Wallace • 3 years ago"): an author whose last words are the whole
    name of an earlier header's author is the rest of the name, replying to that one."""
    out = list(lines)
    earlier: set[str] = set()
    for i, line in enumerate(lines):
        attr = line.attr
        if line.kind != HEADER or attr is None or not attr.author:
            continue
        author = attr.author
        words = author.split()
        for k in range(1, len(words)):  # the longest earlier name that ends the author
            name, rest = " ".join(words[k:]), " ".join(words[:k]).rstrip(" ↪→»>")
            if (name in earlier and rest and rest not in earlier and not attr.reply_to
                    and headers.name_ok(rest, max_words=3)):
                out[i] = replace(line, attr=replace(attr, author=rest, reply_to=name))
                author = rest
                break
        earlier.add(author)
    return out


def _quotes(lines: list[Line]) -> list[Line]:
    """"X wrote:" is a quotation inside a post when a header precedes it; else it is a header."""
    has_headers = any(line.kind == HEADER for line in lines)
    out = list(lines)
    for i, line in enumerate(lines):
        if line.kind != QUOTE or line.attr is None:
            continue
        j = _next(out, i, -1)
        after_header = j is not None and out[j].kind in (HEADER, QUOTE, AVATAR)
        mail_quote = line.attr.shape == "date name wrote"  # "On <date>, X wrote:" quotes X
        if not after_header and not has_headers and not mail_quote:
            out[i] = replace(line, kind=HEADER, attr=replace(line.attr, role="head"))
    return out


def _subject_lines(lines: list[Line]) -> list[Line]:
    """Forum post subjects ("Re: <topic>") repeat the topic line: they are chrome."""
    texts = {ln.text.lower() for ln in lines if ln.kind == TEXT and len(ln.text) <= 200}
    counts = Counter(ln.text.lower() for ln in lines if ln.kind == TEXT and len(ln.text) <= 200)
    out = list(lines)
    topics = set()
    for i, line in enumerate(lines):
        if line.kind != TEXT or len(line.text) > 200:
            continue
        match = re.match(r"^re\s*:\s*(.+)$", line.text, re.IGNORECASE)
        if match and (match.group(1).lower() in texts or counts[line.text.lower()] >= 2):
            out[i] = replace(line, kind=LABEL)
            topics.add(match.group(1).lower())
    for i, line in enumerate(lines):  # the first post's subject: the topic above its header
        if not topics or line.kind != TEXT or line.text.lower() not in topics:
            continue
        j = _next(lines, i)
        attr = lines[j].attr if j is not None else None
        if (line.kind == TEXT and line.text.lower() in topics and j is not None
                and lines[j].kind == HEADER and attr is not None and attr.strong):
            out[i] = replace(line, kind=LABEL)
    return out


def _counters(lines: list[Line]) -> list[Line]:
    """Bare numbers are vote or post counts next to other chrome, else ordinary text."""
    out = list(lines)
    for i, line in enumerate(lines):
        if line.kind != COUNTER:
            continue
        near = [_next(lines, i, -1), _next(lines, i, 1)]
        chrome = any(j is not None and abs(j - i) <= 2
                     and lines[j].kind in (LABEL, HEADER, AVATAR, MARKER, CHROME) for j in near)
        # a column of counts (reply, repost and like counts under a post) is never text
        chrome = chrome or any(j is not None and j - i in (-1, 1) and lines[j].kind == COUNTER
                               for j in near)
        out[i] = replace(line, kind=LABEL if chrome else TEXT)
    last = _next(out, len(out), -1)
    if (last is not None and lines[last].kind == COUNTER and out[last].kind == TEXT
            and any(ln.kind == COUNTER and out[k].kind == LABEL for k, ln in enumerate(lines))):
        out[last] = replace(out[last], kind=LABEL)  # the last comment's count ends the page
    return out
