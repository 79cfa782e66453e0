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
from dataclasses import dataclass, replace

from stance.thread import clean, dates, headers
from stance.thread.headers import Attribution

logger = logging.getLogger(__name__)

BLANK, TEXT, LABEL, COUNTER = "blank", "text", "label", "counter"
MARKER, CHROME = "marker", "chrome"
HEADER, QUOTE, AVATAR, LEVEL = "header", "quote", "avatar", "level"
#: Kinds that separate comments (blank lines between them are absorbed into the block).
SEPARATORS = frozenset({HEADER, LABEL, CHROME, AVATAR, LEVEL, MARKER})

_NUMBERED = re.compile(r"^(\s*)(\d{1,4})[.)]\s+(\S.*)$")
#: Lines longer than this are never structure; they are only ever text.
_MAX_STRUCTURE = 300


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    raw: str
    kind: str = TEXT
    attr: Attribution | None = None
    number: int | None = None  # "3." list item number
    level: int | None = None  # "level 2" depth marker

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" "))

    @property
    def item_text(self) -> str:
        """The text after a list number ("3. Bob says" -> "Bob says")."""
        match = _NUMBERED.match(self.raw)
        return match.group(3).strip() if match else self.text

    @property
    def item_raw(self) -> str:
        """The line with its list number blanked out, so the text keeps its column."""
        match = _NUMBERED.match(self.raw)
        return " " * match.start(3) + match.group(3) if match else self.raw


_TRAILING_AUTHOR = re.compile(r"^(?P<text>\s*[•*\-–]\s+\S.*?\S)\s+(?P<sig>[—–]\s*\S.{0,40})$")


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
    """"• text — Cindy S." list items, when several are signed so, become text + signature."""
    signed = []
    for k, line in enumerate(lines):
        match = _TRAILING_AUTHOR.match(line)
        if match and headers.parse_attribution(match.group("sig")) is not None:
            signed.append((k, match))
    if len(signed) < 2:
        return lines
    out = list(lines)
    for k, match in reversed(signed):
        out[k:k + 1] = [match.group("text"), match.group("sig")]
    return out


def classify_line(index: int, raw: str) -> Line:
    """The line's kind from its shape alone."""
    text = raw.strip()
    if not text:
        return Line(index, raw, BLANK)
    number_match = _NUMBERED.match(raw)
    number = int(number_match.group(2)) if number_match else None
    if len(text) > _MAX_STRUCTURE:
        return Line(index, raw, TEXT, number=number)
    level = headers.LEVEL_RE.match(text)
    if level:
        return Line(index, raw, LEVEL, level=int(level.group(1)))
    if clean.is_marker(text):
        return Line(index, raw, MARKER, number=number)
    name = headers.avatar_name(text)
    if name is not None:
        return Line(index, raw, AVATAR, attr=Attribution(author=name, role="head"))
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


def _inline_names(raws: list[str]) -> tuple[list[str], dict[int, str]]:
    """"kestrel22: Name it after..." paragraphs, when several names open paragraphs so,
    become a header line and a text line; returns the lines and {header index: name}."""
    found: list[tuple[int, str, str]] = []
    for k, raw in enumerate(raws):
        if len(raw) > 2000 or (k and raws[k - 1].strip()):
            continue
        match = _INLINE_NAME.match(raw.strip())
        if match and headers.name_ok(match.group("a"), max_words=3):
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
    lines = _subject_lines(lines)
    lines = _avatar_names(lines)
    lines = _name_above_date(lines)
    lines = _weak_headers(lines)
    lines = _bare_names(lines)
    lines = _quotes(lines)
    return _counters(lines)


def _next(lines: list[Line], i: int, step: int = 1) -> int | None:
    """Index of the nearest non-blank line after (step=1) or before (step=-1) `i`."""
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].kind != BLANK:
            return j
        j += step
    return None


def _looks_like_bare_name(line: Line) -> bool:
    text = line.text
    first = re.split(r",\s+", text, maxsplit=1)[0]  # "Duluth, MN": a place line has a comma
    return (line.kind == TEXT and len(text) <= 40 and headers.name_ok(first, max_words=4)
            and (not text.endswith(".") or bool(re.search(r"\s[A-Z]\.$", text))))


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


def _is_date_header(line: Line) -> bool:
    return (line.kind == HEADER and line.attr is not None and line.attr.author is None
            and bool(line.attr.timestamp))


def _is_glyph(line: Line) -> bool:
    return line.kind == LABEL and not re.search(r"\w", line.text)


def _is_profile(line: Line) -> bool:
    return line.kind == CHROME and bool(re.match(r"^(?:posts|joined|join date|karma|reputation|"
                                                 r"messages|member since|total posts|"
                                                 r"registered)\b", line.text, re.IGNORECASE))


def _name_header(line: Line, shape: str, reply_to: str | None = None) -> Line:
    return replace(line, kind=HEADER, attr=Attribution(
        author=headers.clean_name(line.text), reply_to=reply_to, role="head", strong=True,
        shape=shape))


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
        while j < len(lines) and (_is_glyph(lines[j]) or (lines[j].kind == LABEL and j - i <= 2)):
            j += 1
        if j >= len(lines):
            continue
        below = out[j]
        above = out[i - 1] if i > 0 else None
        if _is_date_header(below) or _is_profile(below):
            if above is not None and _looks_like_bare_name(above) and (
                    i < 2 or out[i - 2].kind not in (TEXT, QUOTE)):
                # Disqus prints the name replied to under the author's; a newspaper prints
                # the commenter's town there ("Carol B." / "Duluth, MN" / "March 4").
                known = standalone[line.text.lower()] >= 2
                out[i - 1] = _name_header(above, "name over name",
                                          reply_to=line.text if known else None)
                out[i] = replace(line, kind=LABEL)
            else:
                out[i] = _name_header(line, "name over date")
            if below.kind == HEADER and below.attr is not None:
                out[j] = replace(below, attr=replace(below.attr, strong=True))
        elif (above is not None and above.attr is not None and _is_date_header(above)
              and (_is_profile(below) or below.kind == AVATAR or below.kind == LABEL)):
            out[i] = _name_header(line, "name under date")
            out[i - 1] = replace(above, attr=replace(above.attr, strong=True))
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
    for i, line in enumerate(lines):
        if line.kind != TEXT or len(line.text) > 200:
            continue
        match = re.match(r"^re\s*:\s*(.+)$", line.text, re.IGNORECASE)
        if match and (match.group(1).lower() in texts or counts[line.text.lower()] >= 2):
            out[i] = replace(line, kind=LABEL)
    return out


def _counters(lines: list[Line]) -> list[Line]:
    """Bare numbers are vote or post counts next to other chrome, else ordinary text."""
    out = list(lines)
    for i, line in enumerate(lines):
        if line.kind != COUNTER:
            continue
        near = [_next(lines, i, -1), _next(lines, i, 1)]
        chrome = any(j is not None and abs(j - i) <= 2 and lines[j].kind in (LABEL, HEADER, AVATAR)
                     for j in near)
        out[i] = replace(line, kind=LABEL if chrome else TEXT)
    return out
