"""Comments as a list: "1. Paul R says" or "• text", nested lists for replies.

A numbered run is a sequence 1., 2., 3. ... at one indentation (a nested list restarts at 1,
deeper); a bulleted run is a list of items opened by one glyph ("• ", "* "), a deeper item
nesting under the one above it, as a text browser prints a page's list of comments. A run
counts as the comment list when its items carry attribution or labels, a comment heading
precedes it, it nests, or it is a list of long items closing a page of prose. A bulleted run
needs three or more items, and without a heading, author lines or labels it must be the page:
long items with nothing before them (a scrape that starts in the comments) and no prose after.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from stance.thread.lines import clean
from stance.thread.lines.classify import BLANK, HEADER, LABEL, MARKER, TEXT, Line
from stance.thread.lines.kinds import BULLETED
from stance.thread.segment.drafts import Draft, Layout

logger = logging.getLogger(__name__)


def numbered_runs(lines: list[Line], start: int) -> list[list[tuple[int, int]]]:
    """Sequential numbered lists (1., 2., 3. ...; nested lists restart at 1, deeper)."""
    runs: list[list[tuple[int, int]]] = []
    stack: list[list[int]] = []  # [indent, last number] per depth
    for line in lines[start:]:
        if line.number is None or line.kind in (MARKER, BLANK):
            continue
        indent, number = line.indent, line.number
        # the open list this number continues; where several could (replies two spaces
        # deeper), the one whose indentation it matches best, the deeper one on a tie
        fits = [d for d in range(len(stack) - 1, -1, -1)
                if number == stack[d][1] + 1 and abs(indent - stack[d][0]) <= 2]
        if fits:
            depth = min(fits, key=lambda d: abs(indent - stack[d][0]))
            del stack[depth + 1:]
            stack[depth] = [indent, number]
            runs[-1].append((line.index, depth))
        else:
            if stack and number == 1 and indent > stack[-1][0] + 1:
                stack.append([indent, number])
                runs[-1].append((line.index, len(stack) - 1))
            elif not stack or (number == 1 and indent <= stack[0][0] + 2):
                stack = [[indent, number]]
                runs.append([(line.index, 0)])
    return runs


def bulleted_runs(lines: list[Line], start: int) -> list[list[tuple[int, int]]]:
    """Runs of bulleted items with one glyph; an item indented past the item above it nests
    under it. Prose outdented from the items' text (the article going on) closes a run. A
    run's first item flush at the margin, the next one indented, is one list level: a copied
    selection that starts at the first item loses its leading spaces."""
    runs: list[list[tuple[int, int]]] = []
    stack: list[int] = []  # indent per depth
    glyph = ""
    column = 0
    for line in lines[start:]:
        if line.kind != TEXT:
            continue
        match = BULLETED.match(line.raw)
        if match is None:
            if stack and line.indent < column and clean.word_count(line.text) >= 8:
                stack = []  # the list is over
            continue
        indent, mark = line.indent, match.group(2)
        if not stack or mark != glyph:
            stack, glyph = [indent], mark
            runs.append([(line.index, 0)])
        elif len(runs[-1]) == 1 and stack == [0] and indent > 0:
            stack = [indent]  # the first item lost its indentation in the copy
            runs[-1].append((line.index, 0))
        else:
            while len(stack) > 1 and indent < stack[-1] - 1:
                stack.pop()
            if indent > stack[-1] + 1:
                stack.append(indent)
            runs[-1].append((line.index, len(stack) - 1))
        column = match.start(3) if len(stack) == 1 else column
    return runs


def item_spans(lines: list[Line], run: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(first line, end line exclusive, depth) of each item; the last runs to the text's end."""
    spans = []
    for k, (first, depth) in enumerate(run):
        end = run[k + 1][0] if k + 1 < len(run) else len(lines)
        spans.append((first, end, depth))
    return spans


class _Sums:
    """Prefix sums over the page's lines, so that testing every run costs its own length, not
    the page's (a page can hold a run per few lines)."""

    def __init__(self, lines: list[Line]):
        n = len(lines)
        self.words = [0] * (n + 1)  # words on lines [0, i)
        self.text_words = [0] * (n + 1)  # ... on text lines
        self.text = [0] * (n + 1)  # text lines
        self.headers = [0] * (n + 1)
        self.labels = [0] * (n + 1)
        self.first_marker = n
        #: smallest indentation of a text line of eight or more words at or after i
        self.prose_indent = [1 << 30] * (n + 1)
        counts = [clean.word_count(line.text) if line.kind != BLANK else 0 for line in lines]
        for i, (line, words) in enumerate(zip(lines, counts, strict=True)):
            text = line.kind == TEXT
            self.words[i + 1] = self.words[i] + words
            self.text_words[i + 1] = self.text_words[i] + (words if text else 0)
            self.text[i + 1] = self.text[i] + text
            self.headers[i + 1] = self.headers[i] + (line.kind == HEADER)
            self.labels[i + 1] = self.labels[i] + (line.kind == LABEL)
            if line.kind == MARKER and self.first_marker == n:
                self.first_marker = i
        for i in range(n - 1, -1, -1):
            line = lines[i]
            own = line.indent if line.kind == TEXT and counts[i] >= 8 else 1 << 30
            self.prose_indent[i] = min(own, self.prose_indent[i + 1])

    @staticmethod
    def span(prefix: list[int], a: int, b: int) -> int:
        return prefix[b] - prefix[a]


def _run_is_comments(lines: list[Line], run: list[tuple[int, int]], start: int, sums: _Sums,
                     *, bulleted: bool = False) -> bool:
    spans = item_spans(lines, run)
    top = [s for s in spans if s[2] == 0]
    if bulleted and len(spans) < 3:
        return False  # a reply or a short list inside a comment, not the comment list
    with_header = sum(sums.span(sums.headers, a, b) > 0 for a, b, _ in top)
    with_labels = sum(sums.span(sums.labels, a, b) > 0 for a, b, _ in top)
    if with_header >= max(1, (len(top) + 1) // 2) or with_labels >= max(1, (len(top) + 1) // 2):
        return True
    first = run[0][0]
    if sums.first_marker < first and start > 0:
        return True
    nested = any(depth > 0 for _, depth in run)
    words = [sums.span(sums.words, a, b) for a, b, _ in top]
    long_items = sum(words) / max(1, len(words)) >= 12
    prose_before = sums.text_words[first] >= 40
    # Without a heading or chrome, a list is the comments only if the page ends with it: an
    # article's own list is followed by more article.
    if not long_items or _prose_after(lines, run, sums):
        return False
    if bulleted:
        # Articles end with bulleted lists (key points, nested ones too) far more often than
        # with numbered ones: without a heading, only a page that is the list is comments.
        return sums.span(sums.text, start, first) == 0
    return nested or (prose_before and _blank_before(lines, first))


def _prose_after(lines: list[Line], run: list[tuple[int, int]], sums: _Sums) -> bool:
    """Does text outdented from the list's items follow it (the article goes on)?"""
    last = lines[run[-1][0]]
    column = _column(last)
    top_indent = min(lines[i].indent for i, depth in run if depth == 0)
    return sums.prose_indent[last.index + 1] < min(top_indent + 1, column)


def _blank_before(lines: list[Line], index: int) -> bool:
    return index > 0 and lines[index - 1].kind == BLANK


def numbered_layout(lines: list[Line], start: int,
                    header_blocks: Callable[[int], int]) -> Layout | None:
    """The numbered-list layout, or None; `header_blocks(i)` counts author blocks from line i."""
    runs = [(run, False) for run in numbered_runs(lines, start)]
    runs += [(run, True) for run in bulleted_runs(lines, start)]
    if not runs:
        return None
    runs.sort(key=lambda r: r[0][0][0])
    sums = _Sums(lines)
    for run, bulleted in reversed(runs):
        if not _run_is_comments(lines, run, start, sums, bulleted=bulleted):
            continue
        spans = item_spans(lines, run)
        if bulleted:
            spans[-1] = (spans[-1][0], _last_item_end(lines, spans), spans[-1][2])
        if header_blocks(run[0][0]) > len(spans):
            return None  # more author lines than items: the blocks layout fits better
        drafts = [_numbered_draft(lines[a:b], depth) for a, b, depth in spans]
        first = run[0][0]
        if bulleted:
            first = _unbulleted_first(lines, start, first, spans)
            if first < run[0][0]:
                drafts.insert(0, _numbered_draft(lines[first:run[0][0]], 0))
        return Layout(article=lines[:first], drafts=drafts, mode="numbered")
    return None


def _signature(lines: list[Line], a: int, b: int) -> str | None:
    """The shape of the author line that signs lines[a:b] at its end, if one does."""
    for line in reversed(lines[a:b]):
        if line.kind == BLANK or line.kind == LABEL:
            continue
        if line.kind == HEADER and line.attr is not None and line.attr.role == "foot":
            return line.attr.shape
        return None
    return None


def _unbulleted_first(lines: list[Line], start: int, first: int,
                      spans: list[tuple[int, int, int]]) -> int:
    """Where the list's first item starts when it has no bullet: letters pages put the
    bullet between letters, not before the first one ("text" / "Ann Lee" / "Leeds" / "• text"
    / ...). Only where every item (but a last note) is signed in one shape and the lines above
    the list end with that signature; the item is the text right above it (to a blank line,
    at most three times an item's text)."""
    signed = spans[:-1] if len(spans) > 2 else spans  # (a note may close the list)
    shapes = {_signature(lines, a, b) for a, b, _ in signed}
    shape = shapes.pop() if len(shapes) == 1 else None
    if shape is None or _signature(lines, start, first) != shape:
        return first
    most = 3 * max(sum(ln.kind == TEXT for ln in lines[a:b]) for a, b, _ in spans)
    k = first - 1
    while k >= start and lines[k].kind != TEXT:
        k -= 1  # the signature
    taken = 0
    while k >= start and lines[k].kind == TEXT and taken < most:
        k, taken = k - 1, taken + 1
    return k + 1 if taken else first


def _column(line: Line) -> int:
    return len(line.item_raw) - len(line.item_raw.lstrip(" "))


def _last_item_end(lines: list[Line], spans: list[tuple[int, int, int]]) -> int:
    """Where the last bulleted item ends. Where the items' later lines hang under their text,
    or every other item is one line, the last item ends at the first line that does neither
    (a note or the page's footer after the list); otherwise at the text's end."""
    def text_lines(a: int, b: int) -> list[Line]:
        return [ln for ln in lines[a + 1:b] if ln.kind == TEXT]
    hanging = any(ln.indent >= _column(lines[a]) for a, b, _ in spans[:-1]
                  for ln in text_lines(a, b))
    single = all(not text_lines(a, b) for a, b, _ in spans[:-1])
    first, end, _ = spans[-1]
    if not (hanging or single):
        return end
    column = _column(lines[first])
    for line in lines[first + 1:end]:
        if line.kind == TEXT and (single and not hanging or line.indent < column):
            return line.index
    return end


def _numbered_draft(item: list[Line], depth: int) -> Draft:
    draft = Draft(lines=list(item), depth=depth, numbered=True)
    for line in item:
        if line.kind == HEADER and line.attr is not None:
            draft.author = draft.author or line.attr.author
            draft.timestamp = draft.timestamp or line.attr.timestamp
            draft.reply_to = draft.reply_to or line.attr.reply_to
    draft.labels = [ln.text for ln in item if ln.kind == LABEL]
    return draft
