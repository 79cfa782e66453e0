"""Comments printed as pairs of siblings: a header row and a text row, alternating.

Some pages give each comment two sibling elements instead of one wrapper: `<dt>name, date</dt>
<dd>text</dd>`, or a text bubble followed by its meta row (`div.bubble`, `div.bubble-meta`).
`find_pairs` looks for a run of siblings whose signatures alternate between two kinds, where
one kind carries the author/date cues and little text and the other carries the text, and
reads each header with its text row (the header first or last, as the run starts).
"""

from __future__ import annotations

from stance.thread.formats import htmlblock
from stance.thread.formats.htmldom import AUTHOR, DATE, SHORT, Dom, in_chrome, signature
from stance.thread.formats.markup import FoundComment
from stance.thread.lines import dates

#: At least this many pairs make a comment list.
_MIN_PAIRS = 2
#: A header row holds at most this much text.
_HEADER_TEXT = 2 * SHORT


def _alternating(sigs: list[str]) -> tuple[int, int] | None:
    """(start, end) of the longest run of two signatures taking turns (at least two pairs)."""
    best: tuple[int, int] | None = None
    start = 0
    for n in range(1, len(sigs) + 1):
        still = n < len(sigs) and sigs[n] != sigs[n - 1] and (n < start + 2 or
                                                              sigs[n] == sigs[n - 2])
        if still:
            continue
        if n - start >= 2 * _MIN_PAIRS and (best is None or n - start > best[1] - best[0]):
            best = (start, n - (n - start) % 2)
        start = n if n == len(sigs) or sigs[n] == sigs[n - 1] else n - 1
    return best


def _headers(dom: Dom, rows: list[int]) -> bool:
    """Whether most rows look like comment headers: a name or date, little text."""
    marked = sum(1 for r in rows if dom.cues[r] & (AUTHOR | DATE) and dom.text[r] <= _HEADER_TEXT)
    return marked * 3 >= len(rows) * 2


def _read(dom: Dom, heads: list[int], bodies: list[int]) -> list[FoundComment]:
    out: list[FoundComment] = []
    for head, body in zip(heads, bodies, strict=True):
        line = dom.text_of(head)
        name = htmlblock.author(dom, head, set())[1] or htmlblock.clean_author(line)
        span = dates.find_date(line)
        stamp = htmlblock.stamp(dom, head, set()) or (line[span[0]:span[1]] if span else None)
        text = htmlblock.text(dom, body, set(), (None, name))
        if text:
            out.append(FoundComment(
                node_id=head, source_id=htmlblock.source_id(dom, head) or
                htmlblock.source_id(dom, body), author=name, timestamp=stamp, text=text,
                parent_node=None))
    return out


def find_pairs(dom: Dom) -> list[FoundComment]:
    """Comments of the first list of alternating header and text rows (empty when none)."""
    for parent in range(len(dom)):
        kids = [k for k in dom.children[parent] if dom.text[k] > 0]
        if len(kids) < 2 * _MIN_PAIRS:
            continue
        run = _alternating([signature(dom, k) for k in kids])
        if run is None or in_chrome(dom, parent):
            continue
        rows = kids[run[0]:run[1]]
        first, second = rows[0::2], rows[1::2]
        for heads, bodies in ((first, second), (second, first)):
            if _headers(dom, heads) and not _headers(dom, bodies) and \
                    sum(dom.link[b] for b in bodies) * 2 < sum(dom.text[b] for b in bodies):
                return _read(dom, heads, bodies)
    return []
