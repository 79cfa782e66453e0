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
    "long" for a line of more than a dozen words, "" for an empty one."""
    tokens = _TOKEN.findall(text[:200])
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


def page_shape_features(texts: list[str], gaps_before: list[int],
                        separating: list[bool]) -> list[list[str]]:
    """Feature names per line of a page's non-blank lines (`texts`), given the blank lines
    before each (`gaps_before`) and which lines the classifier took for separators (author,
    label, counter lines); a short line whose shape recurs three times separates too."""
    n = len(texts)
    signatures = [shape_signature(t) for t in texts]
    counts, regular = _recurring(signatures)
    rep = [3 if c >= 3 else 2 if c == 2 else 0 for c in counts]
    since, until = _since_separator([s or r == 3 for s, r in zip(separating, rep, strict=True)])
    coarse = [coarse_signature(s) for s in signatures]
    coarse_counts, coarse_regular = _recurring(coarse)
    kinds = Counter(sig for sig, c in zip(signatures, rep, strict=True) if c == 3)
    first = next((k for k in range(n) if rep[k] == 3), n)
    lengths = [len(t) for t in texts]
    mid = median(lengths) if lengths else 1
    page = [f"page_rep={min(len(kinds), 2)}"]
    out: list[list[str]] = []
    for k in range(n):
        text = texts[k]
        gb = min(gaps_before[k], 1)
        f = [f"rep={rep[k]}", f"rel_len={_bin(lengths[k] / max(mid, 1), _LEN_BINS)}",
             "before_rep" if k < first else "at_rep" if k == first else "after_rep",
             f"since_sep={since[k]}&gap_before={gb}", f"until_sep={until[k]}",
             f"since_sep={since[k]}&{page[0]}"]
        if signatures[k] in regular:
            f += ["rep_regular", f"rep_regular&gap_before={gb}"]
        if rep[k] == 3:
            f.append(f"rep3&gap_before={gb}")
        if coarse_counts[k] >= 3:
            f.append(f"coarse_rep3&regular={int(coarse[k] in coarse_regular)}&gap_before={gb}")
        for side, j in (("prev", k - 1), ("next", k + 1)):
            if 0 <= j < n and rep[j] == 3:
                f.append(f"{side}_rep3")
                if signatures[j] in regular:
                    f.append(f"{side}_rep_regular")
        prev_ends = k > 0 and texts[k - 1][-1:] in _ENDINGS
        if gaps_before[k] and (k == 0 or prev_ends):
            f.append("after_blank_sentence")
        if k and not prev_ends and text[:1].islower():
            f.append(f"carries_on&gap_before={gb}")
        f += page
        out.append(f)
    return out
