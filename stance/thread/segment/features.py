"""Per-line features for the learned segmenter: plain dicts, testable without a model.

The segmenter tags the non-blank lines of a scrape (`content_lines`); `line_features` gives
each of them a dict of named values. Nothing here is lexical beyond generic cue words (button
labels, "says", "wrote", "reply"): the shapes transfer across sites, a page's words do not.
What the rule recognisers in `stance.thread.lines` decided about a line (its kind, its
attribution) enters as features too, so the model weighs them instead of obeying them.
"""

from __future__ import annotations

import re
from collections import Counter

from stance.thread.lines import clean, dates
from stance.thread.lines.classify import AVATAR, BLANK, HEADER, LABEL, LEVEL, Line

Features = dict[str, float]

_SENTENCE_END = re.compile(r"[.!?…\"”’)]$")
_QUOTE_OPEN = re.compile(r"^(?:>|»|\"|“|\||Quote\b|Originally Posted by\b)", re.IGNORECASE)
_MENTION = re.compile(r"^@\w|^(?:in reply to|replying to|re:|reply to)\s", re.IGNORECASE)
_SAYS = re.compile(r"\b(?:says|said|wrote|writes|commented|comments)\b[.:…]*\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^[•·▪►▸‣◦*\-–—]\s+\S")
_DASH_SIG = re.compile(r"^(?:--|[-–—~])\s*[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,4}(?:,\s*\S.{0,40})?$")
_PAREN_FOOT = re.compile(r"^\(.{2,80}\d.{0,40}\)$")
_NUMBERED = re.compile(r"^\s*#?\d{1,4}[.):]?\s")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net)\b", re.IGNORECASE)
_FIELD = re.compile(r"^(?:user|name|date|posted|from|author|by|comment)\s*[:#]", re.IGNORECASE)
_BY = re.compile(r"\b(?:comment by|posted by|written by|by)\s+\S", re.IGNORECASE)
_NAME_LIKE = re.compile(r"^[A-Z@][\w.'’@-]*(?:\s+[A-Z][\w.'’-]*){0,3}:?$|^[a-z][a-z0-9_.-]{2,24}$")
_VOTES = re.compile(r"^[+\-−]?\d{1,5}\s*(?:points?|votes?|likes?|replies|comments?)?$",
                    re.IGNORECASE)

_WORD_BINS = (1, 3, 7, 15, 40)
_INDENT_BINS = (0, 3, 7)
_LEN_CAP = 4000


def content_lines(lines: list[Line]) -> list[Line]:
    """The lines the segmenter tags: every non-blank one."""
    return [ln for ln in lines if ln.kind != BLANK]


def _bin(value: int, bins: tuple[int, ...]) -> int:
    for k, edge in enumerate(bins):
        if value <= edge:
            return k
    return len(bins)


def _shape(line: Line) -> str:
    """A coarse shape for spotting the page's repeated template lines."""
    text = line.text[:_LEN_CAP]
    words = min(clean.word_count(text, cap=50), 50)
    head = text[:1]
    first = "d" if head.isdigit() else "u" if head.isupper() else "l" if head.isalpha() else "p"
    return f"{line.kind}|{_bin(words, _WORD_BINS)}|{first}|{int(bool(_SENTENCE_END.search(text)))}"


def _own(line: Line) -> Features:
    """Features of the line on its own."""
    text = line.text[:_LEN_CAP]
    words = clean.word_count(text, cap=200)
    f: Features = {"bias": 1.0, f"kind={line.kind}": 1.0, f"words={_bin(words, _WORD_BINS)}": 1.0,
                   f"indent={_bin(line.indent, _INDENT_BINS)}": 1.0}
    attr = line.attr
    if attr is not None:
        f[f"attr_role={attr.role}"] = 1.0
        f["attr_author"] = float(bool(attr.author))
        f["attr_time"] = float(bool(attr.timestamp))
        f["attr_strong"] = float(attr.strong)
        f["attr_reply_to"] = float(bool(attr.reply_to))
    flags = {
        "ends_sentence": bool(_SENTENCE_END.search(text)), "starts_upper": text[:1].isupper(),
        "starts_lower": text[:1].islower(), "quote_open": bool(_QUOTE_OPEN.match(text)),
        "mention": bool(_MENTION.match(text)), "says": words <= 12 and bool(_SAYS.search(text)),
        "bullet": bool(_BULLET.match(text)),
        "dash_sig": words <= 10 and bool(_DASH_SIG.match(text)),
        "paren_foot": bool(_PAREN_FOOT.match(text)), "numbered": line.number is not None
        or bool(_NUMBERED.match(text)), "url": bool(_URL.search(text)),
        "field": bool(_FIELD.match(text)), "by": words <= 12 and bool(_BY.search(text)),
        "name_like": words <= 4 and bool(_NAME_LIKE.match(text)),
        "votes": words <= 3 and bool(_VOTES.match(text)), "colon_end": text.endswith(":"),
        "all_caps": len(text) > 3 and text.isupper(), "long_line": len(text) > 300,
    }
    if words <= 25:
        flags["date_line"] = dates.is_date_line(text)
        flags["has_date"] = dates.find_date(text) is not None
        flags["is_label"] = clean.is_label(text)
        flags["chrome"] = clean.is_chrome(text)
    f.update({k: 1.0 for k, v in flags.items() if v})
    return f


_STRUCTURE = frozenset({HEADER, AVATAR, LEVEL})


def _page_features(content: list[Line]) -> list[str]:
    """What the whole page shows: whether it prints author lines, labels, numbering or
    indentation at all (the same blank line means a new comment on a page without them)."""
    kinds = Counter(ln.kind for ln in content)
    heads = sum(kinds[k] for k in _STRUCTURE)
    numbered = sum(ln.number is not None for ln in content)
    indents = len({ln.indent for ln in content if ln.indent < 40})
    return [f"page_heads={min(heads, 3) if heads < 3 else 3}",
            f"page_labels={min(kinds[LABEL], 3)}", f"page_numbered={min(numbered, 3)}",
            f"page_indents={min(indents, 3)}"]


def line_features(lines: list[Line]) -> list[Features]:
    """One feature dict per non-blank line of `lines` (a classified page), in order."""
    content = content_lines(lines)
    n = len(content)
    own = [_own(ln) for ln in content]
    shapes = [_shape(ln) for ln in content]
    repeats = Counter(shapes)
    page = _page_features(content)
    out: list[Features] = []
    for k, line in enumerate(content):
        f = own[k]
        gap_before = line.index - content[k - 1].index - 1 if k else 3
        gap_after = content[k + 1].index - line.index - 1 if k + 1 < n else 3
        gb, ga = min(gap_before, 2), min(gap_after, 2)
        f[f"gap_before={gb}"] = 1.0
        f[f"gap_after={ga}"] = 1.0
        f[f"pos={min(4, 5 * k // max(1, n))}"] = 1.0
        f[f"kind={line.kind}&gap_before={gb}"] = 1.0
        f[f"repeat={min(repeats[shapes[k]], 4)}"] = 1.0
        for name in page:
            f[name] = 1.0
            f[f"{name}&gap_before={gb}"] = 1.0
            f[f"{name}&kind={line.kind}"] = 1.0
        for side, j in (("prev", k - 1), ("next", k + 1)):
            if 0 <= j < n:
                other = content[j]
                f[f"{side}_kind={other.kind}"] = 1.0
                for name in ("is_label", "date_line", "name_like", "says", "dash_sig",
                             "paren_foot", "ends_sentence", "quote_open", "numbered"):
                    if name in own[j]:
                        f[f"{side}_{name}"] = 1.0
                diff = line.indent - other.indent
                f[f"{side}_indent={'>' if diff > 0 else '<' if diff < 0 else '='}"] = 1.0
            else:
                f[f"{side}_none"] = 1.0
        if k and "ends_sentence" not in own[k - 1] and "starts_lower" in f and gb == 0:
            f["runs_on"] = 1.0
        out.append(f)
    return out
