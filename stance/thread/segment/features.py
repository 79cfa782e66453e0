"""Per-line features for the learned segmenter: plain dicts, testable without a model.

Every feature is binary: a name present with the value 1.0 (the model relies on it).

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
from stance.thread.lines.classify import (
    AVATAR,
    BLANK,
    COUNTER,
    HEADER,
    LABEL,
    LEVEL,
    MARKER,
    QUOTE,
    TEXT,
    Line,
)
from stance.thread.segment.drafts import Layout
from stance.thread.segment.shapes import page_shape_features

Features = dict[str, float]

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

_CONTINUES = re.compile(r"^(?:and|but|so|or|also|then|which|because|plus|nor|yet|though|"
                        r"however|otherwise|instead|that|this|it|they|he|she)\b", re.IGNORECASE)
_ADDRESS = re.compile(r"^(?:@\w+|[A-Z][\w.'’-]{1,20}(?:\s[A-Z][\w.'’-]{1,20})?,)(?:\s|$)")
_WORD_BINS = (1, 3, 7, 15, 40)
_GAP_BEFORE = tuple(f"gap_before={k}" for k in range(3))
_GAP_AFTER = tuple(f"gap_after={k}" for k in range(3))
_POS = tuple(f"pos={k}" for k in range(5))
_REPEAT = tuple(f"repeat={k}" for k in range(5))
_INDENT_BINS = (0, 3, 7)
_LEN_CAP = 4000
#: The voice of a line: a reader talking (I, you, contractions, lol, ?!) or a report (said,
#: according to, Mr., per cent, dates and figures). Only the counts are features, binned, so
#: the tagger can weigh how a comment section sounds against an article on any site.
_TALK_WORDS = frozenset("i me my mine you your yours u ur lol lmao imo imho omg wtf yeah yes nope "
                        "thanks thank ok okay haha".split())
_REPORT_WORDS = frozenset("said says told according reported announced spokesman spokeswoman "
                          "official officials percent million billion mr mrs ms dr monday "
                          "tuesday wednesday thursday friday saturday sunday january february "
                          "march april june july august september october november "
                          "december".split())
_WORDS = re.compile(r"[\w']+")
_AT_HANDLE = re.compile(r"(?<!\w)@(?=\w)")
_PER_CENT = re.compile(r"\bper cent\b")
_YEAR = re.compile(r"\b\d{4}\b")


def content_lines(lines: list[Line]) -> list[Line]:
    """The lines the segmenter tags: every non-blank one."""
    return [ln for ln in lines if ln.kind != BLANK]


def _bin(value: int, bins: tuple[int, ...]) -> int:
    for k, edge in enumerate(bins):
        if value <= edge:
            return k
    return len(bins)


def _shape(line: Line, own: Features) -> str:
    """A coarse shape for spotting the page's repeated template lines."""
    head = line.text[:1]
    first = "d" if head.isdigit() else "u" if head.isupper() else "l" if head.isalpha() else "p"
    words = next((k for k in own if k.startswith("words=")), "")
    return f"{line.kind}|{words}|{first}|{'ends_sentence' in own}"


#: What a line shows of itself to its neighbours.
_NEIGHBOUR_CUES = ("name_like", "says", "dash_sig", "paren_foot", "ends_sentence", "quote_open",
                   "numbered", "has_date")
_ENDINGS = frozenset(".!?…\"”’)")


def _short_flags(text: str, words: int) -> dict[str, bool]:
    """Shapes only a short line can have (author and signature lines; whether it is a date,
    label or chrome line the line's kind says)."""
    return {
        "says": bool(_SAYS.search(text)), "by": bool(_BY.search(text)),
        "dash_sig": words <= 10 and bool(_DASH_SIG.match(text)),
        "paren_foot": text[:1] == "(" and bool(_PAREN_FOOT.match(text)),
        "name_like": words <= 4 and bool(_NAME_LIKE.match(text)),
        "votes": words <= 3 and bool(_VOTES.match(text)), "field": bool(_FIELD.match(text)),
        "has_date": words <= 8 and dates.find_date(text) is not None,
    }


_URL_HINTS = ("http", "www.", ".com", ".org", ".net")


def _has_url(text: str) -> bool:
    """`_URL` found in the text; the substring test first, as most lines hold none."""
    low = text.lower()
    return any(hint in low for hint in _URL_HINTS) and bool(_URL.search(text))


def _own(line: Line) -> Features:
    """Features of the line on its own."""
    text = line.text[:_LEN_CAP]
    words = clean.word_count(text, cap=200)
    f: Features = {"bias": 1.0, f"kind={line.kind}": 1.0, f"words={_bin(words, _WORD_BINS)}": 1.0,
                   f"indent={_bin(line.indent, _INDENT_BINS)}": 1.0}
    attr = line.attr
    if attr is not None:
        f[f"attr_role={attr.role}"] = 1.0
        present = {"attr_author": attr.author, "attr_time": attr.timestamp,
                   "attr_strong": attr.strong, "attr_reply_to": attr.reply_to}
        f.update({k: 1.0 for k, v in present.items() if v})
    flags = {
        "ends_sentence": text[-1:] in _ENDINGS, "starts_upper": text[:1].isupper(),
        "starts_lower": text[:1].islower(), "quote_open": bool(_QUOTE_OPEN.match(text)),
        "mention": bool(_MENTION.match(text)), "bullet": bool(_BULLET.match(text)),
        "numbered": line.number is not None or bool(_NUMBERED.match(text)),
        "url": _has_url(text[:300]), "colon_end": text.endswith(":"),
        "all_caps": len(text) > 3 and text.isupper(), "long_line": len(text) > 300,
        "continues": bool(_CONTINUES.match(text)), "addresses": bool(_ADDRESS.match(text)),
    }
    if words <= 12:
        flags.update(_short_flags(text, words))
    f.update({k: 1.0 for k, v in flags.items() if v})
    if words >= 4:
        f[_voice(text[:600])] = 1.0
    return f


def _own_all(content: list[Line]) -> list[Features]:
    """`_own` of every line, each distinct line (text, kind, attribution, number) read once:
    pages repeat their button, date and author lines. Every line gets its own dict, since
    `line_features` adds the context features to it."""
    seen: dict[tuple[object, ...], Features] = {}
    out = []
    for line in content:
        key = (line.raw, line.kind, line.attr, line.number)
        got = seen.get(key)
        if got is None:
            got = seen[key] = _own(line)
        out.append(dict(got))
    return out


def _voice_counts(text: str) -> tuple[int, int]:
    """(talk, report) word counts of a line. Words are runs of word characters; an apostrophe
    splits them ("they're", "don't", "we're" count as one talk word each, "2009's" as a
    year), as word boundaries would."""
    low = text.lower()
    talk = low.count("?") + low.count("!")
    report = 0
    mentioned: set[int] = set()  # where a word right after "@name"'s "@" starts
    if "@" in low:
        mentioned = {m.end() for m in _AT_HANDLE.finditer(low)}
        talk += len(mentioned)
    if "per cent" in low:
        report += len(_PER_CENT.findall(low))
    if not mentioned and "'" not in low:  # the common case: plain words only
        words = _WORDS.findall(low)
        talk += sum(map(_TALK_WORDS.__contains__, words))
        report += sum(map(_REPORT_WORDS.__contains__, words)) + len(_YEAR.findall(low))
        return talk, report
    tokens = ([(m.start(), m.group()) for m in _WORDS.finditer(low)] if mentioned
              else [(-1, t) for t in _WORDS.findall(low)])
    for start, token in tokens:
        parts = token.split("'")
        k = 0
        while k < len(parts):
            part = parts[k]
            handle = k == 0 and start in mentioned  # "@you": the handle, not a talk word
            if part in _TALK_WORDS and not handle:
                talk += 1
            elif part and not handle and k + 1 < len(parts) and (
                    parts[k + 1] in ("re", "ve")
                    or (parts[k + 1] == "t" and len(part) > 1 and part.endswith("n"))):
                talk += 1  # they're, we've, don't: the next part belongs to this word
                k += 1
            elif part in _REPORT_WORDS or (len(part) == 4 and part.isdecimal()):
                report += 1
            k += 1
    return talk, report


def _voice(text: str) -> str:
    talk, report = _voice_counts(text)
    if talk > report:
        return f"voice=talk{min(talk - report, 3)}"
    if report > talk:
        return f"voice=report{min(report - talk, 3)}"
    return "voice=even"


_STRUCTURE = frozenset({HEADER, AVATAR, LEVEL})


_SEPARATING = frozenset({HEADER, AVATAR, LEVEL, LABEL, MARKER, COUNTER})
_DIST_BINS = (1, 2, 4, 8)


def _struct_distances(content: list[Line]) -> tuple[list[str], list[str]]:
    """For each line, how many lines back and ahead the nearest separating line (author,
    label, counter or marker line) is, binned ("none" when there is none)."""
    n = len(content)
    since, until = ["none"] * n, ["none"] * n
    last = None
    for k, line in enumerate(content):
        if last is not None:
            since[k] = str(_bin(k - last, _DIST_BINS))
        if line.kind in _SEPARATING:
            last = k
    nxt = None
    for k in range(n - 1, -1, -1):
        if nxt is not None:
            until[k] = str(_bin(nxt - k, _DIST_BINS))
        if content[k].kind in _SEPARATING:
            nxt = k
    return since, until


def blogger_copy(content: list[Line]) -> int:
    """Blogger's Reply/Delete labels on the page: 0 none, 1 with author lines, 2 without them
    (the lossy text copy). A comment that happens to look like a header line (a short
    "@name well said.") does not make a page of forty labels a page with author lines: the
    copy is lossy when there are fewer header lines than a quarter of its Delete labels. Nor
    does a list typed into a comment ("- Haldor" / "- Brandt" / ...): a dash line that only
    looks like a signature counts as an author line when no such line is next to it."""
    deletes = sum(ln.kind == LABEL and "Delete" in ln.text for ln in content)
    if not deletes:
        return 0
    heads = sum(ln.kind in _STRUCTURE and not _listed_dash(content, k)
                for k, ln in enumerate(content))
    return 2 if 4 * heads < deletes else 1


def _weak_dash(line: Line) -> bool:
    return (line.kind == HEADER and line.attr is not None and line.attr.shape == "dash name"
            and not line.attr.strong)


def _listed_dash(content: list[Line], k: int) -> bool:
    """A weak "- Name" line with another one right above or below it: a typed list."""
    return _weak_dash(content[k]) and any(
        0 <= j < len(content) and _weak_dash(content[j]) for j in (k - 1, k + 1))


def _page_features(content: list[Line]) -> list[str]:
    """What the whole page shows: whether it prints author lines, labels, numbering or
    indentation at all (the same blank line means a new comment on a page without them)."""
    kinds = Counter(ln.kind for ln in content)
    heads = sum(kinds[k] for k in _STRUCTURE)
    numbered = sum(ln.number is not None for ln in content)
    indents = len({ln.indent for ln in content if ln.indent < 40})
    return [f"page_heads={min(heads, 3)}", f"page_blogger={blogger_copy(content)}",
            f"page_labels={min(kinds[LABEL], 3)}", f"page_numbered={min(numbered, 3)}",
            f"page_indents={min(indents, 3)}"]


def _relative_gaps(gaps: list[int], heads: str) -> list[list[str]]:
    """The blank lines before each line against the page's usual gap (the commonest non-zero
    one): on a page without author lines, comments are often set further apart than the
    paragraphs inside them (two blank lines against one), or all equally far apart. Conjoined
    with whether the page prints author lines (`heads`, its page_heads feature)."""
    nonzero = Counter(g for g in gaps[1:] if g)
    if not nonzero:
        return [[] for _ in gaps]
    usual = max(sorted(nonzero), key=lambda g: nonzero[g])
    uniform = "uniform" if len(nonzero) == 1 else "mixed"
    names = {rel: [f"gap_rel={rel}", f"gap_rel={rel}&{heads}",
                   f"gap_rel={rel}&gaps={uniform}&{heads}"]
             for rel in ("none", "usual", "wider", "closer")}
    out: list[list[str]] = [[]]  # the first line has nothing above it
    for g in gaps[1:]:
        out.append(names["none" if g == 0 else "usual" if g == usual else
                         "wider" if g > usual else "closer"])
    return out


def _rule_tags(lines: list[Line], found: Layout | None) -> tuple[dict[int, str], str]:
    """What the rule layouts (`segment.rules`) make of each line: the first line of a
    comment's text, a later one, the article part, or neither; and the layout they chose."""
    if found is None:
        from stance.thread.segment import rules  # rules import this package's drafts

        found = rules.layout(lines)
    out = {ln.index: "article" for ln in found.article}
    for draft in found.drafts:
        body = [ln for ln in draft.lines if ln.kind in (TEXT, QUOTE)]
        for k, line in enumerate(body):
            out[line.index] = "start" if k == 0 else "body"
    return out, found.mode


def line_features(lines: list[Line], *, use_rules: bool = True,
                  ruled: Layout | None = None) -> list[Features]:
    """One feature dict per non-blank line of `lines` (a classified page), in order.

    With `use_rules`, what the rule layouts decided about a line (`ruled`, computed when not
    given) is one more feature."""
    content = content_lines(lines)
    rule_tags, mode = _rule_tags(lines, ruled) if use_rules else ({}, "off")
    n = len(content)
    own = _own_all(content)
    shapes = [_shape(ln, f) for ln, f in zip(content, own, strict=True)]
    cues = [[name for name in _NEIGHBOUR_CUES if name in f] for f in own]
    repeats = Counter(shapes)
    page = _page_features(content)
    since, until = _struct_distances(content)
    page_gap = {gb: [f"{name}&gap_before={gb}" for name in page] for gb in range(3)}
    page_since = {d: [f"{name}&since={d}" for name in page] for d in {*since}}
    raw_gaps = [ln.index - content[k - 1].index - 1 if k else 2 for k, ln in enumerate(content)]
    gaps = [min(g, 2) for g in raw_gaps]
    gap_rel = _relative_gaps(raw_gaps, page[0])
    shaped = page_shape_features([ln.text for ln in content], gaps,
                                 [ln.kind in _SEPARATING for ln in content])
    indents = [ln.indent for ln in content]
    names: dict[tuple[str, object, object], str] = {}  # each distinct name built once a page

    def name(stem: str, a: object, b: object) -> str:
        key = (stem, a, b)
        got = names.get(key)
        if got is None:
            got = names[key] = stem.format(a, b)
        return got

    out: list[Features] = []
    for k, line in enumerate(content):
        f = own[k]
        gb = gaps[k]
        ga = gaps[k + 1] if k + 1 < n else 2
        keys = [_GAP_BEFORE[gb], _GAP_AFTER[ga], _POS[min(4, 5 * k // max(1, n))],
                name("kind={}&gap_before={}", line.kind, gb),
                _REPEAT[min(repeats[shapes[k]], 4)], name("since_struct={}", since[k], None),
                name("until_struct={}", until[k], None),
                name("since_struct={}&gap_before={}", since[k], gb),
                name("until_struct={}&gap_after={}", until[k], ga), *page, *page_gap[gb],
                *page_since[since[k]], *shaped[k], *gap_rel[k]]
        if k == 0:  # the start state's score: whether a page may open with a comment
            keys += ["first", *(f"first&{name}" for name in page)]
        if use_rules:
            rule = rule_tags.get(line.index, "other")
            keys += [f"rule={rule}", f"rule={rule}&mode={mode}"]
        for side, j in (("prev", k - 1), ("next", k + 1)):
            if 0 <= j < n:
                diff = indents[k] - indents[j]
                keys += [name("{}_kind={}", side, content[j].kind),
                         *(name("{}_{}", side, c) for c in cues[j]),
                         name("{}_indent={}", side, ">" if diff > 0 else "<" if diff < 0 else "=")]
            else:
                keys.append(f"{side}_none")
        if k and gb == 0 and "starts_lower" in f and "ends_sentence" not in own[k - 1]:
            keys.append("runs_on")
        f.update(dict.fromkeys(keys, 1.0))
        out.append(f)
    return out
