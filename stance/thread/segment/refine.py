"""Repairs to a layout that the page's structure suggests: a user name left dangling where
the page was cut, comments whose author line was dropped (a wide gap), reply depth from
indentation or "parent" links (with answer-backs one level deeper), author names on the first
or last line of a comment."""

from __future__ import annotations

import logging
import re

from stance.thread.lines import clean, headers
from stance.thread.lines.classify import BLANK, CHROME, LABEL, MARKER, TEXT
from stance.thread.segment.drafts import Draft

logger = logging.getLogger(__name__)


def drop_dangling_name(drafts: list[Draft], warnings: list[str]) -> None:
    """A lone user name closing the page is the header of a comment the page cut off."""
    if len(drafts) < 2 or not any(d.author for d in drafts):
        return
    body = drafts[-1].lines
    content = [k for k, ln in enumerate(body) if ln.kind != BLANK]
    if len(content) < 2:
        return
    last = body[content[-1]]
    if (content[-1] - content[-2] >= 2 and last.kind == TEXT and len(last.text) <= 30
            and clean.word_count(last.text) <= 3 and headers.name_ok(last.text, max_words=3)
            and not re.search(r"[.!?:;,)\"”]$", last.text)):
        drafts[-1].lines = body[:content[-1]]
        warnings.append(f"the page ends with the author line {last.text!r} whose comment "
                        "text is missing (the page was cut); it was left out")


def indent_depths(drafts: list[Draft]) -> None:
    """Author lines indented deeper than the first one's are replies (one level per step)."""
    if any(d.depth is not None for d in drafts):
        return
    indents = sorted({d.indent for d in drafts if d.indent is not None})
    if len(indents) < 2 or drafts[0].indent != indents[0] or len(indents) > 12:
        return
    rank = {indent: k for k, indent in enumerate(indents)}
    previous = 0
    for draft in drafts:
        if draft.indent is None:
            draft.depth = previous
            continue
        draft.depth = min(rank[draft.indent], previous + 1)  # never deeper than one step
        previous = draft.depth


_PARENT_LINK = re.compile(r"(?:^|[\s|·•(\[])parent(?:$|[\s|·•)\]])", re.IGNORECASE)


def parent_link_depths(drafts: list[Draft]) -> None:
    """Without other depth evidence, a comment whose links include "parent" (old Reddit's
    "permalink embed save parent", Hacker News' "| parent |", LiveJournal's "(Reply)
    (Parent) (Thread)") is a reply: the page prints
    that link only on replies."""
    if any(d.depth is not None for d in drafts):
        return
    linked = [any(_PARENT_LINK.search(label) for label in d.labels) for d in drafts]
    if not any(linked) or all(linked):
        return
    for k, (draft, reply) in enumerate(zip(drafts, linked, strict=True)):
        draft.depth = _answer_back_depth(drafts, k) if reply else 0


def _answer_back_depth(drafts: list[Draft], k: int) -> int:
    """Depth of a reply that a flat page only marks as "a reply". A reply right after another
    reply, by the author that one answered, answers it back (A, B replies to A, A again: the
    third answers B), one level deeper; any other reply is taken to answer the top comment."""
    if k == 0:
        return 1
    before, author = drafts[k - 1], _draft_author(drafts[k])
    depth = before.depth or 0
    if depth < 1 or not author or _draft_author(before) == author:
        return 1
    answered = next((d for d in reversed(drafts[:k - 1]) if (d.depth or 0) < depth), None)
    if answered is not None and _draft_author(answered) == author:
        return depth + 1
    return 1


def _draft_author(draft: Draft) -> str:
    """The draft's author, compared without case ("" when unknown or anonymous)."""
    name = (draft.author or "").strip().lower()
    return "" if name in {"anonymous", "[deleted]", "deleted", "unknown", "guest"} else name


def inline_comment_depths(drafts: list[Draft]) -> None:
    """Posts signed by a block ("answered <date>" / name) carry short comments signed inline
    ("... – user Mar 3, 2024 at 18:22"): when both shapes sign comments on one page, each
    inline-signed comment replies to the post above it."""
    shapes = {d.shape for d in drafts if d.shape}
    if "dash name date" not in shapes or len(shapes) < 2 or any(d.depth is not None
                                                                for d in drafts):
        return
    seen_post = False
    for draft in drafts:
        inline = draft.shape == "dash name date"
        draft.depth = 1 if inline and seen_post else 0
        seen_post = seen_post or not inline


def _gaps(draft: Draft) -> list[int]:
    """Positions in `draft.lines` where two or more blank lines separate two sentences."""
    found = []
    lines = draft.lines
    for k in range(2, len(lines) - 1):
        if not (lines[k - 1].kind == BLANK and lines[k - 2].kind == BLANK and
                lines[k].kind == TEXT):
            continue
        before = next((ln for ln in reversed(lines[:k]) if ln.kind != BLANK), None)
        if (before is not None and before.kind == TEXT and re.search(r"[.!?\"”)]$", before.text)
                and lines[k].text[:1].isupper() and clean.word_count(lines[k].text) >= 5
                and (k < 3 or lines[k - 3].kind != BLANK)):
            found.append(k)
    return found


def split_wide_gaps(drafts: list[Draft], warnings: list[str]) -> list[Draft]:
    """A wide gap inside one comment, where the thread has few, is a dropped author line."""
    gaps = [_gaps(d) for d in drafts]
    total = sum(len(g) for g in gaps)
    if total == 0 or len(drafts) < 3 or total > max(1, len(drafts) // 3):
        return drafts
    out: list[Draft] = []
    for draft, cuts in zip(drafts, gaps, strict=True):
        whole = draft.lines
        bounds = [0, *cuts, len(whole)]
        for n, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
            part = Draft(lines=whole[a:b]) if n else draft
            part.lines = whole[a:b]
            out.append(part)
    warnings.append(f"{total} comment(s) without an author line were separated from the "
                    "comment above by a wide gap")
    return out


def leading_names(drafts: list[Draft]) -> None:
    """Comments that each open with a bare name line (Facebook's plugin) carry their author."""
    found: list[tuple[Draft, int]] = []
    for draft in drafts:
        content = [k for k, ln in enumerate(draft.lines)
                   if ln.kind not in (BLANK, CHROME, LABEL, MARKER)]
        if len(content) < 2:
            continue
        k = content[0]
        line = draft.lines[k]
        # badges ("Author", "Top fan") may sit between the name and the text
        nxt = next((ln for ln in draft.lines[k + 1:] if ln.kind != CHROME), None)
        if (line.kind == TEXT and len(line.text) <= 40 and headers.name_ok(line.text, max_words=4)
                and not line.text.endswith(".") and nxt is not None and nxt.kind == TEXT):
            found.append((draft, k))
    if len(found) < 2 or len(found) < 0.6 * len(drafts):
        return
    for draft, k in found:
        draft.author = headers.clean_name(draft.lines[k].text)
        draft.lines = draft.lines[:k] + draft.lines[k + 1:]


def signature_authors(drafts: list[Draft]) -> None:
    """A comment without an author that ends with a bare name on its own paragraph
    ("...seems unfair.\n\nDana") is signed: the name is its author (mailing lists)."""
    for draft in drafts:
        if draft.author:
            continue
        content = [k for k, ln in enumerate(draft.lines) if ln.kind != BLANK]
        if len(content) < 2:
            continue
        k = content[-1]
        line = draft.lines[k]
        if (line.kind == TEXT and content[-2] < k - 1 and len(line.text) <= 30
                and headers.name_ok(line.text, max_words=3)
                and not re.search(r"[.!?:;,)\"”]$", line.text)):
            draft.author = headers.clean_name(line.text)
            draft.lines = draft.lines[:k]
