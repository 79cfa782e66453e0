"""Cut a classified plain-text scrape into an article part and comment drafts.

Three layouts are recognised, tried in this order:

1. **numbered** (`stance.thread.segment.numbered`): the comments are a numbered list;
2. **blocks**: runs of attribution and label lines separate the comments. Whether an author line
   heads the text below it or signs the text above it is decided for the whole thread from the
   line shapes and from where the text runs out; with labels but no author lines at all
   (lossy Blogger text) each comment ends at its labels;
3. **paragraphs**: after a "Comments" heading with no other structure, blank lines separate
   comments.

Everything before the first comment is the article part (see `stance.thread.article.body`).
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from stance.thread.lines import clean, counts, headers
from stance.thread.lines.classify import (
    AVATAR,
    BLANK,
    CHROME,
    HEADER,
    LABEL,
    LEVEL,
    MARKER,
    QUOTE,
    TEXT,
    Line,
)
from stance.thread.segment import refine
from stance.thread.segment.drafts import (
    STRUCTURAL,
    Block,
    Draft,
    Layout,
    has_content,
    last_paragraph,
    paragraphs,
)
from stance.thread.segment.numbered import numbered_layout

logger = logging.getLogger(__name__)

_RUN_KINDS = STRUCTURAL | {CHROME, MARKER}
_HANDLE = re.compile(r"@[\w.\-]{2,40}")
_BLOGGER_LABELS = frozenset({"ReplyDelete", "Delete", "Replies", "ReplyDeleteReplies"})
_REPLYISH = re.compile(r"\b(?:reply|replies|delete|report|expand full comment|liked by|flag|"
                       r"permalink|recommend|upvote|vote)\b|ReplyDelete|^[-_*=~\s]{3,}$",
                       re.IGNORECASE)


def layout(lines: list[Line]) -> Layout:
    """Find the article part and the comment drafts of a classified scrape."""
    start = _comments_start(lines)
    numbered = numbered_layout(
        lines, start, lambda i: sum(1 for b in _blocks(lines, i) if b.headers))
    if numbered is not None:
        return numbered
    blocks = [b for b in _blocks(lines, start) if b.structural]
    first_header = next((k for k, b in enumerate(blocks) if b.headers), None)
    if first_header is not None:
        return _header_layout(lines, start, blocks[first_header:])
    label_blocks = [b for b in blocks if any(_REPLYISH.search(ln.text) for ln in b.lines)]
    if label_blocks:
        return _label_layout(lines, start, label_blocks)
    return _paragraph_layout(lines, start)


# -- where the comment section starts ---------------------------------------------------------

def _comments_start(lines: list[Line]) -> int:
    """Index just after the section marker that opens the comments, else 0.

    That is the last marker with most of the page's attribution lines after it (an article's
    own "Posted by ..." line sits before "3 comments:"), or, without attribution lines, the
    last marker followed by any text.
    """
    markers = [ln.index for ln in lines if ln.kind == MARKER]
    if not markers:
        return 0
    header_at = [ln.index for ln in lines if ln.kind in (HEADER, AVATAR, LEVEL)]
    best = 0
    for m in markers:
        after = sum(1 for h in header_at if h > m)
        text_after = any(ln.kind in (TEXT, QUOTE, LABEL) for ln in lines[m + 1:])
        if (after and after >= len(header_at) - after) or (not header_at and text_after):
            best = m + 1
    return best


# -- attribution blocks ------------------------------------------------------------------------

def _blocks(lines: list[Line], start: int) -> list[Block]:
    blocks: list[Block] = []
    i = start
    while i < len(lines):
        if lines[i].kind not in _RUN_KINDS:
            i += 1
            continue
        j, last = i, i
        while j < len(lines) and (lines[j].kind in _RUN_KINDS or lines[j].kind == BLANK):
            if lines[j].kind != BLANK:
                last = j
            j += 1
        blocks.append(Block(i, last, [ln for ln in lines[i:last + 1] if ln.kind != BLANK]))
        i = last + 1
    return blocks



def _direction(lines: list[Line], start: int, blocks: list[Block]) -> tuple[str, list[str]]:
    """'head' when author lines precede their text, 'foot' when they follow it.

    Line shapes vote ("X said..." heads, "Posted by X | date" signs); where the text runs out
    decides against them: signatures leave nothing after the last one, headers leave a comment.
    """
    hblocks = [b for b in blocks if b.headers]
    head = sum(b.role == "head" for b in hblocks)
    foot = sum(b.role == "foot" for b in hblocks)
    after_last = []  # the last comment's text in head mode; not the form or sidebars after it
    # a date alone after it (Blogger's time footer) closes the last comment: its text is
    # what follows the last block that names someone
    last = next((b for b in reversed(hblocks)
                 if any(ln.attr is not None and ln.attr.author for ln in b.headers)), hblocks[-1])
    for line in lines[last.end + 1:]:
        if line.kind in (TEXT, QUOTE, LABEL, CHROME) and clean.ends_comments(line.text):
            break
        if line.kind in (TEXT, QUOTE):
            after_last.append(line)
    if foot > head:
        if has_content(after_last, min_words=8) and len(hblocks) > 1 and not _dash_signed(hblocks):
            return "head", []
        return "foot", []
    before_first = lines[start:blocks[0].start]
    if (not has_content(after_last, min_words=1) and has_content(before_first)
            and len(hblocks) > 1):
        return "foot", ["author and date lines follow the comments they sign (the text ends "
                        "with one); comments were attributed upwards"]
    return "head", []


def _dash_signed(hblocks: list[Block]) -> bool:
    """Every author line is a signature with a dash before it ("— Ann", "-ann42"). Those sign
    the text above them whatever follows the last one: an unsigned last comment, or the page."""
    shapes = [ln.attr.shape for b in hblocks for ln in b.headers if ln.attr is not None]
    return bool(shapes) and all(shape.startswith("dash ") for shape in shapes)


def merge_headers(draft: Draft, headers_: list[Line], levels: list[Line]) -> None:
    for line in headers_:
        attr = line.attr
        if attr is None:
            continue
        if draft.indent is None and attr.author:
            draft.indent = line.indent
            draft.shape = attr.shape
        draft.author = draft.author or attr.author
        draft.timestamp = draft.timestamp or attr.timestamp
        draft.reply_to = draft.reply_to or attr.reply_to
        draft.reddit = draft.reddit or (bool(attr.author) and headers.names_reddit_user(line.text))
        if attr.handle:
            draft.aliases.append(attr.handle)
        if "|" in line.text:  # links printed on the header line ("| parent | next")
            draft.labels = draft.labels + [line.text]
    found = [ln.level for ln in levels if ln.level is not None]
    if found:
        draft.depth = max(0, found[-1] - 1)


def _split_block(block: Block, lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """(closing, opening) lines of a block between two comments, in head mode.

    Labels before the author line close the comment above; so does a date line that stands
    apart from the author line (Blogger's footer date, "January 29, 2008 3:32 PM").
    """
    first_author = next((k for k, ln in enumerate(block.lines)
                         if ln.kind in (AVATAR, LEVEL) or (ln.kind == HEADER and ln.attr
                                                            is not None and ln.attr.author)),
                        len(block.lines))
    named = [(k, ln.attr.author.lower()) for k, ln in enumerate(block.lines)
             if ln.kind in (HEADER, AVATAR) and ln.attr is not None and ln.attr.author]
    if len({name for _, name in named}) >= 2:
        # two people named: the first signs the comment above ("Ann, Mar 3, 2021 #1" / "Like
        # Reply"), the last heads the next one ("Bob" / "Active Member")
        first_author = max(first_author, next(k for k, name in named if name == named[-1][1]))
    closing = list(block.lines[:first_author])
    if closing and closing[-1].kind == HEADER and first_author < len(block.lines):
        author_line = block.lines[first_author]
        if author_line.index == closing[-1].index + 1:  # adjacent: it dates the author line
            closing = closing[:-1]
    return closing, [ln for ln in block.lines if ln not in closing]


def close_draft(draft: Draft, closing: list[Line]) -> None:
    draft.labels = draft.labels + [ln.text for ln in closing if ln.kind == LABEL]
    for line in closing:
        if line.kind == HEADER and line.attr is not None and line.attr.timestamp:
            draft.timestamp = draft.timestamp or line.attr.timestamp


def _article_byline_block(blocks: list[Block]) -> bool:
    """The first author block is the article's byline when every later one looks alike and
    it does not ("Posted by msmash on ..." above "by drinkypoo (1234) on ...")."""
    hblocks = [b for b in blocks if b.headers]
    if len(hblocks) < 3 or blocks[0] is not hblocks[0] or counts.has_votes(blocks[0].lines):
        return False  # voted on ("Answer · 14 upvotes"): a post of the discussion, no byline
    later = Counter(b.signature for b in hblocks[1:])
    common, count = later.most_common(1)[0]
    return (hblocks[0].signature not in later and count >= 0.66 * len(hblocks[1:])
            and not hblocks[0].signature & common)


def _head_layout(lines: list[Line], start: int, blocks: list[Block],
                 warnings: list[str]) -> Layout:
    if _article_byline_block(blocks):
        blocks = blocks[1:]
    first = blocks[0]
    closing, _ = _split_block(first, lines)
    drafts: list[Draft] = []
    if any(ln.kind == HEADER or _REPLYISH.search(ln.text) for ln in closing):
        # The page starts inside a comment: its closing labels or date come first.
        article, first_body = _split_region(lines, start, first.start, mode="label")
        drafts.append(Draft(lines=first_body))
    else:
        article = lines[:start - 1] if start else lines[:first.start]
    for k, block in enumerate(blocks):
        end = blocks[k + 1].start if k + 1 < len(blocks) else len(lines)
        closing, opening = _split_block(block, lines)
        if drafts:
            close_draft(drafts[-1], closing)
        if drafts and not opening and _is_blogger(block):
            # Extractors put Blogger's labels after a comment's first line: what follows
            # them is still that comment.
            drafts[-1].lines = drafts[-1].lines + lines[block.end + 1:end]
            continue
        draft = Draft(lines=lines[block.end + 1:end])
        merge_headers(draft, [ln for ln in opening if ln.kind in (HEADER, AVATAR)],
                       [ln for ln in opening if ln.kind == LEVEL])
        draft.aliases += [ln.text for ln in opening if _HANDLE.fullmatch(ln.text)]
        drafts.append(draft)
    opens = any(ln.kind in (HEADER, AVATAR, LEVEL) for ln in _split_block(blocks[-1], lines)[1])
    if not opens and len(drafts) > 1 and not has_content(drafts[-1].lines, min_words=8):
        drafts.pop()  # the last block only closed the comment above; what follows is furniture
    elif opens and not has_content(drafts[-1].lines, min_words=1):
        drafts.pop()
        warnings.append("the page ends with an author line whose comment text is missing "
                        "(the page was cut); it was left out")
    refine.drop_dangling_name(drafts, warnings)
    drafts = refine.split_wide_gaps(drafts, warnings)
    refine.indent_depths(drafts)
    refine.parent_link_depths(drafts)
    return Layout(article=article, drafts=drafts, mode="head", warnings=warnings)


def _foot_layout(lines: list[Line], start: int, blocks: list[Block],
                 warnings: list[str]) -> Layout:
    later = [lines[blocks[k - 1].end + 1:blocks[k].start] for k in range(1, len(blocks))]
    sizes = sorted(sum(ln.kind in (TEXT, QUOTE) for ln in body) for body in later)
    article, first_body = _split_region(lines, start, blocks[0].start,
                                        mode=_foot_mode(lines, blocks),
                                        body_lines=sizes[len(sizes) // 2] if sizes else 1,
                                        most_paragraphs=max(map(paragraphs, later), default=None))
    bodies = [first_body] + later
    drafts: list[Draft] = []
    for body, block in zip(bodies, blocks, strict=True):
        draft = Draft(lines=body, labels=[ln.text for ln in block.lines if ln.kind == LABEL])
        merge_headers(draft, block.headers, [ln for ln in block.lines if ln.kind == LEVEL])
        drafts.append(draft)
    tail = lines[blocks[-1].end + 1:]
    if has_content(tail, min_words=8):
        drafts.append(Draft(lines=tail))
        warnings.append("the text after the last author line has no author line of its own")
    refine.inline_comment_depths(drafts)
    return Layout(article=article, drafts=drafts, mode="foot", warnings=warnings)


def _header_layout(lines: list[Line], start: int, blocks: list[Block]) -> Layout:
    direction, warnings = _direction(lines, start, blocks)
    if direction == "head":
        return _head_layout(lines, start, blocks, warnings)
    if _article_byline_block(blocks):  # "By Ann Lee | May 3" under the headline
        blocks = blocks[1:]
    return _foot_layout(lines, start, blocks, warnings)


def _is_blogger(block: Block) -> bool:
    return any(ln.kind == LABEL and ln.text in _BLOGGER_LABELS for ln in block.lines)


def _blogger_label_layout(lines: list[Line], start: int, blocks: list[Block]) -> Layout:
    """Lossy Blogger text, as text extractors leave it: a comment's Reply/Delete labels follow
    its first line, and the rest of the comment comes after the labels. So each label run
    closes the line just above it, and the lines after it continue that comment until the line
    above the next label run, which opens the next comment."""
    firsts: list[int | None] = []
    for k, block in enumerate(blocks):
        low = blocks[k - 1].end + 1 if k else start
        j = block.start - 1
        while j >= low and lines[j].kind == BLANK:
            j -= 1
        firsts.append(j if j >= low and lines[j].kind in (TEXT, QUOTE) else None)
    following_firsts = [len(lines)] * len(blocks)  # the next comment's first line, per block
    for k in range(len(blocks) - 2, -1, -1):
        after = firsts[k + 1]
        following_firsts[k] = after if after is not None else following_firsts[k + 1]
    drafts: list[Draft] = []
    for k, block in enumerate(blocks):
        labels = [ln.text for ln in block.lines if ln.kind == LABEL]
        first = firsts[k]
        if first is None:
            if drafts:
                drafts[-1].labels += labels
            continue
        following = following_firsts[k]
        drafts.append(Draft(lines=[lines[first], *lines[block.end + 1:following]],
                            labels=labels))
    first_line = next((f for f in firsts if f is not None), blocks[0].start)
    article = lines[:start] if start else lines[:first_line]
    warnings = ["no author or date lines: each comment was taken to start on the line above "
                "its Reply/Delete labels and to run until the next comment's first line"]
    return Layout(article=article, drafts=drafts, mode="labels", warnings=warnings)


def _label_layout(lines: list[Line], start: int, blocks: list[Block]) -> Layout:
    """No author lines at all: the comments end at their button labels."""
    if any(_is_blogger(b) for b in blocks):
        return _blogger_label_layout(lines, start, blocks)
    warnings = ["no author or date lines: each comment was taken to end at its button labels"]
    article, first_body = _split_region(lines, start, blocks[0].start, mode="label")
    if not any(ln.kind == TEXT for ln in article) and start == 0:
        warnings.append("no article text was found before the first comment")
    labels = [[ln.text for ln in b.lines if ln.kind == LABEL] for b in blocks]
    drafts = [Draft(lines=first_body, labels=labels[0])]
    for k in range(1, len(blocks)):
        body = lines[blocks[k - 1].end + 1:blocks[k].start]
        drafts.append(Draft(lines=body, labels=labels[k]))
    tail = lines[blocks[-1].end + 1:]
    if has_content(tail, min_words=1):
        drafts.append(Draft(lines=tail))
    refine.leading_names(drafts)
    refine.signature_authors(drafts)
    if any(d.author for d in drafts):
        warnings = []
    elif not any(ln.kind == BLANK for ln in lines[start:]):
        runs = sum(1 for d in drafts[1:] if sum(ln.kind == TEXT for ln in d.lines) > 1)
        if runs:
            warnings.append(f"{runs} comment(s) run over several lines with no label between "
                            "them; each may hold more than one comment")
    return Layout(article=article, drafts=drafts, mode="labels", warnings=warnings)


def _split_region(lines: list[Line], start: int, end: int, *, mode: str, body_lines: int = 1,
                  most_paragraphs: int | None = None) -> tuple[list[Line], list[Line]]:
    """Split the text before the first separator into (article part, first comment).

    `body_lines`: how many text lines a signed comment usually has, for a copy that lost
    its blank lines; `most_paragraphs`: the most paragraphs a later signed comment has (the
    first one is given no more, and what is above them is the article)."""
    if start > 0:
        return lines[:start], lines[start:end]
    region = lines[:end]
    cues = [ln.index for ln in region if ln.kind in (TEXT, LABEL, HEADER)
            and clean.is_article_end(ln.text)]
    if cues:
        cut = cues[-1] + 1
        return lines[:cut], lines[cut:end]
    quote = next((ln.index for ln in region if ln.kind == QUOTE), None)
    if quote is not None:  # a quotation opens a reply: the post starts there
        return lines[:quote], lines[quote:end]
    if mode == "foot":
        cut = (0 if most_paragraphs is None or paragraphs(region) <= most_paragraphs
               else _last_paragraphs(region, most_paragraphs))
        return lines[:cut], lines[cut:end]
    if mode == "foot-short":
        cut = (last_paragraph(region) if any(ln.kind == BLANK for ln in region)
               else _last_lines(region, max(body_lines, 1)))
        return lines[:cut], lines[cut:end]
    # Lossy text keeps one comment per paragraph, or per line when there are no blank lines.
    content = [ln for ln in region if ln.kind != BLANK]
    if not content:
        return [], region
    cut = content[-1].index
    while cut > 0 and lines[cut - 1].kind != BLANK and any(ln.kind == BLANK for ln in region):
        cut -= 1
    return lines[:cut], lines[cut:end]


def _last_paragraphs(region: list[Line], count: int) -> int:
    """Index of the first line of the last `count` paragraphs in `region`."""
    cut = region[-1].index + 1 if region else 0
    first = region[0].index if region else 0
    for _ in range(max(count, 1)):
        cut = last_paragraph(lines_before := region[:cut - first])
        if not any(ln.kind in (TEXT, QUOTE) for ln in lines_before):
            break
    return cut


def _last_lines(region: list[Line], most: int) -> int:
    """Index of the first line of the comment that ends `region`, in a copy without blank
    lines: at most `most` text lines, and none that reads as the page around the comments
    (a heading, a teaser headline, a share row)."""
    cut = None
    taken = 0
    for line in reversed(region):
        if line.kind not in (TEXT, QUOTE):
            if cut is not None:
                break
            continue
        text = line.text
        if taken >= most or clean.ends_comments(text) or clean.is_chrome(text, edge=True) or not (
                clean.ends_sentence(text) or clean.word_count(text) > 12):
            break
        cut, taken = line.index, taken + 1
    if cut is None:  # nothing reads as a sentence: the last line alone
        return next((ln.index for ln in reversed(region) if ln.kind in (TEXT, QUOTE)),
                    region[-1].index if region else 0)
    return cut


def _foot_mode(lines: list[Line], blocks: list[Block]) -> str:
    """Whether the signed comments are one paragraph each (then the first one is only the
    last paragraph before its signature, and the rest above it is the article)."""
    bodies = [lines[blocks[k - 1].end + 1:blocks[k].start] for k in range(1, len(blocks))]
    if len(bodies) < 2:
        return "foot"
    mean = sum(paragraphs(b) for b in bodies) / len(bodies)
    return "foot-short" if mean <= 1.2 else "foot"


# -- paragraphs after a section heading -------------------------------------------------------

def _paragraph_layout(lines: list[Line], start: int) -> Layout:
    if start == 0:
        return Layout(article=lines, drafts=[], mode="article")
    drafts: list[Draft] = []
    current: list[Line] = []
    for line in lines[start:]:
        if line.kind == BLANK:
            if current:
                drafts.append(Draft(lines=current))
                current = []
            continue
        current.append(line)
    if current:
        drafts.append(Draft(lines=current))
    drafts = [d for d in drafts if has_content(d.lines, min_words=1)]
    warnings = ["comments have no author lines or labels; blank lines were taken to separate "
                "them"] if drafts else []
    return Layout(article=lines[:start], drafts=drafts, mode="paragraphs", warnings=warnings)
