"""The learned segmenter: tag every non-blank line, then turn the tags into comment drafts.

The shipped weights (`models/segmenter/weights.json`) load once, offline; when they cannot
be read, `layout` falls back to the rules (`stance.thread.segment.rules`), as spaCy's
Sentencizer stands in where no trained SentenceRecognizer is loaded. See `CHOICES` for how the
two share the work by default.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from stance.thread.lines.classify import (
    AVATAR,
    CHROME,
    HEADER,
    LABEL,
    LEVEL,
    QUOTE,
    TEXT,
    Line,
)
from stance.thread.segment import refine, rules
from stance.thread.segment.decode import tags_for
from stance.thread.segment.drafts import Draft, Layout, has_content
from stance.thread.segment.features import blogger_copy, content_lines, line_features
from stance.thread.segment.perceptron import Perceptron

logger = logging.getLogger(__name__)

#: Where the shipped weights live (the repository's models/segmenter); STANCE_SEGMENTER
#: names other weights, or "rules" to use the rule-based layouts.
DEFAULT_WEIGHTS = Path(__file__).resolve().parents[3] / "models" / "segmenter" / "weights.json"
_BODY = ("S", "C")


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> Perceptron | None:
    """The segmenter weights, or None when they are missing or unreadable."""
    where = Path(path) if path else DEFAULT_WEIGHTS
    if not where.is_file():
        logger.debug("no segmenter weights at %s; using the rule layouts", where)
        return None
    try:
        return Perceptron.load(where)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("segmenter weights %s not usable (%s); using the rule layouts", where, exc)
        return None


#: The segmenter choices: "auto" (the default) keeps the rule layout where the rules recognise
#: the page's comment blocks (author lines, a numbered list; a leading block that names no
#: author and that the tagger reads as the story goes back to the article, `_story_kept`) and
#: uses the learned tagger everywhere else (lossy Blogger labels, blank-line sections, pages
#: where the rules see no comments at all, see `_announced`); "learned" always tags; "rules"
#: never does.
CHOICES = ("auto", "learned", "rules")
#: Rule layouts that rest on blocks the page prints (not on blank lines or a lone label run).
_BLOCK_MODES = frozenset({"head", "foot", "numbered"})


def default_choice() -> tuple[str, Perceptron | None]:
    """STANCE_SEGMENTER: one of CHOICES, or a path to other weights (used as "auto")."""
    value = os.environ.get("STANCE_SEGMENTER", "") or "auto"
    if value == "rules":
        return "rules", None
    if value in CHOICES:
        return value, load_model(None)
    return "auto", load_model(value)


def default_model() -> Perceptron | None:
    return default_choice()[1]


def tag_lines(lines: list[Line], model: Perceptron, ruled: Layout | None = None,
              lossy_blogger: bool = False) -> list[str]:
    """One tag (A, N, S, C) per non-blank line of a classified page.

    Lossy Blogger text (`features.blogger_copy` == 2) is read by its format's convention (the
    seed's annotation): each line of the comment section is one comment, so no line
    continues the one above, and the model's start penalty (which keeps paragraphs of one
    comment together elsewhere) does not apply."""
    feats = line_features(lines, ruled=ruled)
    tags = tags_for(model.decode(feats, start_penalty=0.0) if lossy_blogger
                    else model.decode(feats))
    return _lossy_blogger_tags(content_lines(lines), tags) if lossy_blogger else tags


def _lossy_blogger_tags(content: list[Line], tags: list[str]) -> list[str]:
    """Each text line of the comment section is one comment, and a Reply/Delete label closes
    the comment above it, so the text line before the first label is a comment, not the end
    of the article (on a short page the tagger can take it for the article's last line).
    The first comment of a section is a top-level one, closed by the first label: the lines
    above that comment's line are the article's, whatever the tagger made of them."""
    tags = ["S" if tag == "C" else tag for tag in tags]
    labels = [k for k, ln in enumerate(content) if ln.kind == LABEL]
    if not labels:
        return tags
    text = next((k for k in range(labels[0] - 1, -1, -1)
                 if content[k].kind in (TEXT, QUOTE)), None)
    if text is not None:  # after it, article lines are comments, or labels between them
        tags = (["A" if t in _BODY else t for t in tags[:text]]
                + [("S" if content[k].kind in (TEXT, QUOTE) else "N") if t == "A" else t
                   for k, t in enumerate(tags[text:], start=text)])
    # a text line between the first comment and the last label is a comment too
    start = next((k for k, t in enumerate(tags) if t == "S"), len(tags))
    return [("S" if t == "N" and start < k < labels[-1] and content[k].kind in (TEXT, QUOTE)
             else t) for k, t in enumerate(tags)]


def layout(lines: list[Line], model: Perceptron | None = None,
           choice: str | None = None) -> Layout:
    """Article lines and comment drafts of a classified page.

    `model` and `choice` default to the shipped weights and STANCE_SEGMENTER; without
    weights the rule layouts are used."""
    default, loaded = default_choice()
    choice = choice or default
    model = model or loaded
    ruled = rules.layout(lines)
    if model is None or choice == "rules":
        return ruled
    content = content_lines(lines)
    lossy = blogger_copy(content) == 2  # lossy Blogger: read by its labels, not the rules
    if choice == "auto" and ruled.mode in _BLOCK_MODES and ruled.drafts and not lossy:
        if ruled.drafts[0].author is None:
            return _story_kept(lines, ruled, tag_lines(lines, model, ruled))
        return ruled
    tags = tag_lines(lines, model, ruled, lossy_blogger=lossy)
    if lossy:
        lines = _comment_headers_as_text(lines, content, tags)
    found = layout_from_tags(lines, tags)
    if choice == "auto" and not ruled.drafts and not _announced(tags, found):
        return ruled
    return found


def _story_kept(lines: list[Line], ruled: Layout, tags: list[str]) -> Layout:
    """The rule layout, less the leading drafts that name no author and whose every text line
    the tagger reads as the story: a dated story opens like a comment ("Saturday, February
    14, 2009" over its title), and the rules take its date for a comment's header."""
    tag_of = {ln.index: tag for ln, tag in zip(content_lines(lines), tags, strict=True)}
    story = 0
    for draft in ruled.drafts[:-1]:
        text = [ln for ln in draft.lines if ln.kind in (TEXT, QUOTE)]
        if draft.author is not None or any(tag_of.get(ln.index) != "A" for ln in text):
            break
        story += 1
    moved = [ln for draft in ruled.drafts[:story] for ln in draft.lines]
    if not any(ln.kind in (TEXT, QUOTE) for ln in moved):
        return ruled
    return Layout(sorted(ruled.article + moved, key=lambda ln: ln.index),
                  ruled.drafts[story:], ruled.mode, list(ruled.warnings))


def _comment_headers_as_text(lines: list[Line], content: list[Line],
                             tags: list[str]) -> list[Line]:
    """A lossy Blogger copy has no author lines, so a line the tagger reads as a comment that
    the classifier took for one ("@harbourwatch well said.") is the comment's text."""
    body = {ln.index for ln, tag in zip(content, tags, strict=True)
            if tag in _BODY and ln.kind in (HEADER, AVATAR)}
    return [Line(ln.index, ln.raw, TEXT, number=ln.number) if ln.index in body else ln
            for ln in lines]


def _announced(tags: list[str], found: Layout) -> bool:
    """Where the rules see no comment section at all, the tagger's section counts only when
    something announces it (a line that is no one's text right before its first comment, or
    nothing above it: the page opens with readers talking) and two of its comments read as
    sentences: a lone "comment" straight after article paragraphs is more often the rest of
    the story (after a "Read more", a quotation), and a run of headlines after an advert is a
    list of links."""
    first = next((k for k, t in enumerate(tags) if t == "S"), None)
    if first is None:
        return False
    if first > 0 and tags[first - 1] != "N" and sum(
            t == "S" and tags[k - 1] == "N" for k, t in enumerate(tags) if k) < 3:
        return False
    return sum(has_content(d.lines, min_words=8) for d in found.drafts) >= 2


def _as_body(line: Line) -> Line:
    """A line the tagger reads as comment text keeps its kind when the line classifier took
    it for a label, counter or author line: such a line never enters a comment's text."""
    return line


def _as_chrome(line: Line) -> Line:
    return line if line.kind in (LABEL, CHROME, HEADER, AVATAR, LEVEL) else Line(
        line.index, line.raw, CHROME)


def _split_between(run: list[Line]) -> tuple[list[Line], list[Line]]:
    """(closing, opening): the lines between two comments that end the one above (labels,
    footers) and those that head the one below (author, date, level lines)."""
    for k, line in enumerate(run):
        opens = line.kind in (AVATAR, LEVEL) or (
            line.kind == HEADER and (line.attr is None or line.attr.role != "foot"))
        if opens or line.kind in (TEXT, QUOTE):
            return run[:k], run[k:]
    return run, []


def _new_draft(opening: list[Line], first: Line) -> Draft:
    draft = Draft(lines=[], numbered=first.number is not None)
    rules.merge_headers(draft, [ln for ln in opening if ln.kind in (HEADER, AVATAR)],
                        [ln for ln in opening if ln.kind == LEVEL])
    if first.kind in (HEADER, AVATAR):
        rules.merge_headers(draft, [first], [])
    if draft.indent is None:
        draft.indent = first.indent
    return draft


def layout_from_tags(lines: list[Line], tags: list[str]) -> Layout:
    """Drafts from line tags: each S opens a comment, C lines continue it, N lines between
    two comments close the one above or head the one below."""
    content = content_lines(lines)
    last_article = max((k for k, t in enumerate(tags) if t == "A"), default=-1)
    article = lines[:content[last_article].index + 1] if last_article >= 0 else []
    drafts: list[Draft] = []
    spans: list[list[int]] = []  # [first, last] line index of each draft's body
    run: list[Line] = []
    for line, tag in zip(content[last_article + 1:], tags[last_article + 1:], strict=True):
        if tag == "N":
            run.append(line)
            continue
        if tag == "S" or not drafts:
            closing, opening = _split_between(run)
            if drafts:
                rules.close_draft(drafts[-1], closing)
            drafts.append(_new_draft(opening, line))
            # a forum quotation header ("X wrote:") stays with the reply, so that the quoted
            # text is recognised and removed and the quoted post becomes the parent
            quoting = [ln.index for ln in opening if ln.kind == QUOTE]
            spans.append([min(quoting, default=line.index), line.index])
        else:
            drafts[-1].labels += [ln.text for ln in run if ln.kind == LABEL]
            spans[-1][1] = line.index
        run = []
    if drafts:
        rules.close_draft(drafts[-1], _split_between(run)[0])
    tagged = {ln.index: t for ln, t in zip(content, tags, strict=True)}
    for draft, (first, last) in zip(drafts, spans, strict=True):
        draft.lines = [_as_body(ln) if tagged.get(ln.index, "C") in _BODY else _as_chrome(ln)
                       for ln in lines[first:last + 1]]
    refine.indent_depths(drafts)
    refine.parent_link_depths(drafts)
    refine.inline_comment_depths(drafts)
    warnings = []
    if any("Delete" in label for d in drafts for label in d.labels) and not any(
            d.author for d in drafts):
        warnings.append("no author or date lines: each text between Reply/Delete labels was "
                        "read as one comment (ReplyDelete ends a top-level comment, Delete a "
                        "reply; unlabelled ones hang under the last top-level comment)")
    return Layout(article=article, drafts=drafts, mode="learned", warnings=warnings)
