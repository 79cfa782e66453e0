"""The learned segmenter: tag every non-blank line, then turn the tags into comment drafts.

The shipped weights (`models/segmenter/weights.json`) load once, offline; when they cannot
be read, `layout` falls back to the rules (`stance.thread.segment.rules`), as spaCy's
Sentencizer stands in where no trained SentenceRecognizer is loaded.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from stance.thread.lines.classify import (
    AVATAR,
    BLANK,
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
from stance.thread.segment.drafts import Draft, Layout
from stance.thread.segment.features import content_lines, line_features
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


def default_model() -> Perceptron | None:
    choice = os.environ.get("STANCE_SEGMENTER", "")
    if choice == "rules":
        return None
    return load_model(choice or None)


def tag_lines(lines: list[Line], model: Perceptron) -> list[str]:
    """One tag (A, N, S, C) per non-blank line of a classified page."""
    return tags_for(model.decode(line_features(lines)))


def layout(lines: list[Line], model: Perceptron | None = None) -> Layout:
    """Article lines and comment drafts of a classified page (rules when no model loads)."""
    model = model or default_model()
    if model is None:
        return rules.layout(lines)
    return layout_from_tags(lines, tag_lines(lines, model))


def _as_body(line: Line) -> Line:
    if line.kind in (TEXT, QUOTE, BLANK):
        return line
    return Line(line.index, line.raw, TEXT, number=line.number)


def _as_chrome(line: Line) -> Line:
    return line if line.kind in (LABEL, CHROME, HEADER, AVATAR, LEVEL) else Line(
        line.index, line.raw, CHROME)


def _split_between(run: list[Line]) -> tuple[list[Line], list[Line]]:
    """(closing, opening): the lines between two comments that end the one above (labels,
    footers) and those that head the one below (author, date, level lines)."""
    for k, line in enumerate(run):
        opens = line.kind in (AVATAR, LEVEL) or (
            line.kind == HEADER and (line.attr is None or line.attr.role != "foot"))
        if opens or line.kind == TEXT:
            return run[:k], run[k:]
    return run, []


def _new_draft(opening: list[Line], first: Line) -> Draft:
    draft = Draft(lines=[], numbered=first.number is not None)
    rules.merge_headers(draft, [ln for ln in opening if ln.kind in (HEADER, AVATAR)],
                        [ln for ln in opening if ln.kind == LEVEL])
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
            spans.append([line.index, line.index])
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
    return Layout(article=article, drafts=drafts, mode="learned", warnings=[])
