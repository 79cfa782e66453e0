"""Page-adaptive line features: what a line shares with the rest of its own page.

On a site nobody has seen, the strongest cue is repetition: the header (or footer) lines of
one page's comments share a shape ("Ann Lee on", "Bob Smith on"; "(Name, 3 May 2015 13:08)"),
while the comments' own sentences do not. `shape_signature` maps a short line to word classes
(Capitalised, lower, UPPER, digits, month and time tokens) with its punctuation kept;
`page_shape_features` says, for every line of a page, whether its signature recurs, whether
it recurs at regular intervals, whether a neighbour's does, where the line sits relative to
the first recurring line, how long it is against the page's median line, and whether it
carries on the line above. Only the classes enter the weights, never the page's words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

_TOKEN = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?|\d+|[^\W\d_]+(?:['’][^\W\d_]+)?|[^\w\s]")
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march "
                    "april june july august september october november december".split())
_CLOCK = frozenset({"am", "pm", "utc", "gmt", "est", "pst", "cet", "ago"})
_UNITS = frozenset("minute minutes hour hours day days week weeks month months year years "
                   "mins hrs".split())
_MAX_WORDS = 12  # longer lines are someone's text: their signature is "long"
_ENDINGS = frozenset(".!?…\"”’)")
_LEN_BINS = (0.25, 0.5, 1.0, 2.0)


def _token_class(token: str) -> str:
    head = token[0]
    if head.isdigit():
        return "T" if ":" in token else "d"
    if not head.isalpha():
        return token
    low = token.lower()
    if low in _MONTHS or low in _CLOCK or low in _UNITS:
        return "D"
    if token.isupper() and len(token) > 1:
        return "U"
    return "C" if head.isupper() else "l"


_WORDISH = str.maketrans("ClU", "www")


def shape_signature(text: str) -> str:
    """Word classes of a short line, runs of one class collapsed ("Ann Lee on" -> "Cl");
    "long" for a line of more than a dozen words or 200 characters, "" for an empty one."""
    if len(text) > 200 or text.count(" ") > 2 * _MAX_WORDS:
        return "long"
    # a chunk opening with a letter holds a word: a cheap exit taken by most comment lines
    if sum(chunk[0].isalpha() for chunk in text.split()) > _MAX_WORDS:
        return "long"
    tokens = _TOKEN.findall(text)
    if len(tokens) > 3 * _MAX_WORDS or sum(t[0].isalpha() for t in tokens) > _MAX_WORDS:
        return "long"
    out: list[str] = []
    for token in tokens:
        cls = _token_class(token)
        if not out or out[-1] != cls:
            out.append(cls)
    return "".join(out)


def coarse_signature(signature: str) -> str:
    """The signature with every kind of word one class ("1. Ann Lee" and "2. ann" alike)."""
    if signature == "long":
        return signature
    out: list[str] = []
    for cls in signature.translate(_WORDISH):
        if not out or out[-1] != cls:
            out.append(cls)
    return "".join(out)


def _regular(positions: list[int]) -> bool:
    """At least three occurrences whose gaps stay within a factor of three of each other."""
    if len(positions) < 3:
        return False
    gaps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
    return max(gaps) <= 3 * min(gaps)


def _bin(value: float, bins: tuple[float, ...]) -> int:
    for k, edge in enumerate(bins):
        if value <= edge:
            return k
    return len(bins)


def _recurring(signatures: list[str]) -> tuple[list[int], set[str]]:
    """How often each line's signature occurs on the page (long and empty lines: 0), and the
    signatures that recur at regular intervals."""
    where: dict[str, list[int]] = {}
    for k, sig in enumerate(signatures):
        if sig and sig != "long":
            where.setdefault(sig, []).append(k)
    counts = [len(where.get(sig, ())) for sig in signatures]
    regular = {sig for sig, at in where.items() if _regular(at)}
    return counts, regular


def _since_separator(marks: list[bool]) -> tuple[list[str], list[str]]:
    """Lines since the last and until the next separator line ("1", "2", "3" for more,
    "none" where there is none)."""
    n = len(marks)
    since, until = ["none"] * n, ["none"] * n
    last = nxt = None
    for k in range(n):
        if last is not None:
            since[k] = str(min(k - last, 3))
        if marks[k]:
            last = k
        j = n - 1 - k
        if nxt is not None:
            until[j] = str(min(nxt - j, 3))
        if marks[j]:
            nxt = j
    return since, until


_SEP_BINS = ("1", "2", "3", "none")
_SINCE_GAP = {(d, g): f"since_sep={d}&gap_before={g}" for d in _SEP_BINS for g in (0, 1)}
_SINCE_PAGE = {(d, r): f"since_sep={d}&page_rep={r}" for d in _SEP_BINS for r in range(3)}
_UNTIL = {d: f"until_sep={d}" for d in _SEP_BINS}
_REP = {r: f"rep={r}" for r in (0, 2, 3)}
_REL = tuple(f"rel_len={k}" for k in range(len(_LEN_BINS) + 1))
_PLACE = ("before_rep", "at_rep", "after_rep")
_NEIGHBOUR = {(side, regular): [f"{side}_rep3", *([f"{side}_rep_regular"] if regular else [])]
              for side in ("prev", "next") for regular in (False, True)}
_CARRIES = ("carries_on&gap_before=0", "carries_on&gap_before=1")


def _short_line(k: int, gb: int, page: _Page) -> list[str]:
    """What only a short line can share with its page: its shape, its exact text."""
    f = []
    same = page.same[page.lowered[k]]
    if same >= 2:
        f.append(f"same_text={min(same, 3)}")  # a button, a label
    if page.signatures[k] in page.regular:
        f += ["rep_regular", f"rep_regular&gap_before={gb}"]
    if page.rep[k] == 3:
        f.append(f"rep3&gap_before={gb}")
    if page.coarse_counts[k] >= 3:
        regular = int(page.coarse[k] in page.coarse_regular)
        f.append(f"coarse_rep3&regular={regular}&gap_before={gb}")
    return f


@dataclass
class _Page:
    signatures: list[str]
    rep: list[int]
    regular: set[str]
    coarse: list[str]
    coarse_counts: list[int]
    coarse_regular: set[str]
    lowered: list[str]
    same: Counter[str]

    @classmethod
    def of(cls, texts: list[str]) -> _Page:
        signatures = [shape_signature(t) for t in texts]
        counts, regular = _recurring(signatures)
        coarse = [coarse_signature(s) for s in signatures]
        coarse_counts, coarse_regular = _recurring(coarse)
        lowered = [t.lower() if s != "long" else "" for t, s in zip(texts, signatures,
                                                                    strict=True)]
        same = Counter(lowered)
        same[""] = 0
        return cls(signatures, [3 if c >= 3 else 2 if c == 2 else 0 for c in counts], regular,
                   coarse, coarse_counts, coarse_regular, lowered, same)


def page_shape_features(texts: list[str], gaps_before: list[int],
                        separating: list[bool]) -> list[list[str]]:
    """Feature names per line of a page's non-blank, stripped lines (`texts`), given the
    blank lines before each (`gaps_before`) and which lines the classifier took for
    separators (author, label, counter lines); a short line whose shape recurs three times
    separates too."""
    n = len(texts)
    page = _Page.of(texts)
    rep = page.rep
    since, until = _since_separator([s or r == 3 for s, r in zip(separating, rep, strict=True)])
    recurring = len({sig for sig, r in zip(page.signatures, rep, strict=True) if r == 3})
    first = next((k for k in range(n) if rep[k] == 3), n)
    mid = max(median(len(t) for t in texts), 1) if texts else 1
    page_rep = min(recurring, 2)
    tail = [f"page_rep={page_rep}"]
    out: list[list[str]] = []
    for k in range(n):
        text = texts[k]
        gb = min(gaps_before[k], 1)
        f = [_REP[rep[k]], _REL[_bin(len(text) / mid, _LEN_BINS)],
             _PLACE[(k > first) + (k >= first)], _SINCE_GAP[since[k], gb], _UNTIL[until[k]],
             _SINCE_PAGE[since[k], page_rep]]
        if page.lowered[k]:
            f += _short_line(k, gb, page)
        if k and rep[k - 1] == 3:
            f += _NEIGHBOUR["prev", page.signatures[k - 1] in page.regular]
        if k + 1 < n and rep[k + 1] == 3:
            f += _NEIGHBOUR["next", page.signatures[k + 1] in page.regular]
        prev_ends = k > 0 and texts[k - 1][-1:] in _ENDINGS
        if gaps_before[k] and (k == 0 or prev_ends):
            f.append("after_blank_sentence")
        if k and not prev_ends and text[:1].islower():
            f.append(_CARRIES[gb])
        f += tail
        out.append(f)
    return out
