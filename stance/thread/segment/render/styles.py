"""Site styles: how a page prints its comments. Every style is a function listed in `STYLES`.

A style function draws a `Style` (which header and footer shapes, how nesting shows, how
comments are separated, which reply cues the text carries); `render` then prints a real
comment tree in it, with the article and page chrome around it. `mixed` draws the parts at
random, so beyond the named styles the space of pages stays open-ended.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from stance.thread.segment.render import invented, parts
from stance.thread.segment.render.page import Page
from stance.thread.segment.render.sources import Tree


@dataclass(frozen=True)
class Style:
    name: str
    head: str | None = None  # key of parts.HEADS
    foot: str | None = None  # key of parts.FOOTS
    nest: str = "none"  # none | indent | numbered | level
    gap: int = 1  # blank lines between comments
    head_gap: int = 0  # blank lines between the header and the text
    paragraph_gap: int = 1  # blank lines between paragraphs of one comment
    blogger: str | None = None  # None | full | lossy
    cue: str | None = None  # None | at | quote | inreply
    indent_step: int = 4
    one_line: bool = False  # paragraphs joined into one line
    bullet: bool = False  # "• " opens each comment (letters pages)
    subject: bool = False  # a subject line (part of the comment) above the text
    subject_first: bool = False  # ... printed above the header, not below it
    head_template: tuple[str, ...] = ()  # a header shape made up for the page (`invented`)
    foot_template: tuple[str, ...] = ()  # ... a footer shape
    sentence_lines: float = 0.0  # how often a paragraph prints one sentence per line


StyleFn = Callable[[random.Random], Style]


def _heads(*keys: str) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(keys)


STYLES: dict[str, StyleFn] = {
    "wordpress_says": lambda r: Style("wordpress_says", head="says_date", foot=r.choice(
        ("reply", None)), nest=r.choice(("none", "indent"))),
    "wordpress_nested": lambda r: Style("wordpress_nested", head=r.choice(
        ("says", "name_date")), foot="reply", nest="indent", indent_step=r.choice((2, 4, 8))),
    "blogger_full": lambda r: Style("blogger_full", head=r.choice(("said", "name_date", "name")),
                                    blogger="full"),
    "blogger_lossy": lambda r: Style("blogger_lossy", blogger="lossy", gap=0, one_line=True),
    "numbered": lambda r: Style("numbered", head=r.choice(("says", "name", "name_date", None)),
                                nest="numbered", foot=r.choice((None, "reply", "date"))),
    "paren_footer": lambda r: Style("paren_footer", foot="paren", gap=r.choice((0, 1))),
    "signed_letters": lambda r: Style("signed_letters", foot="dash_place"),
    "comment_by": lambda r: Style("comment_by", foot="comment_by"),
    "user_date": lambda r: Style("user_date", head="user_date", gap=r.choice((1, 2))),
    "indent_only": lambda r: Style("indent_only", nest="indent", head=r.choice(("name", None)),
                                   indent_step=r.choice((2, 3, 4, 6))),
    "blank_only": lambda r: Style("blank_only", gap=r.choice((1, 2)), paragraph_gap=0,
                                  bullet=r.random() < 0.2),
    # comments set further apart than the paragraphs inside them (two or more blank lines
    # against one), nothing else printed: forum and comment exports without names
    "blank_wide": lambda r: Style("blank_wide", gap=r.choice((2, 2, 3, 4)),
                                  paragraph_gap=1, sentence_lines=0.1),
    "subject_dash": lambda r: Style("subject_dash", subject=True, foot="em_name",
                                    gap=r.choice((0, 1)), paragraph_gap=0),
    "talkback_subject": lambda r: Style("talkback_subject", subject=True, subject_first=True,
                                        head=r.choice(("name_place", "paren_date", "name_date")),
                                        nest=r.choice(("numbered", "none")), gap=r.choice((0, 1))),
    "subject_head": lambda r: Style("subject_head", subject=True, head=r.choice(
        ("name_date", "dot_age", "hash_number"))),
    "forum_wrote": lambda r: Style("forum_wrote", head=r.choice(("post_n", "name_date")),
                                   cue="quote", foot=r.choice(("report", None))),
    "forum_profile": lambda r: Style("forum_profile", head="profile", cue=r.choice(
        ("quote", None, None)), foot=r.choice(("signature", "report", "post_links", None)),
        gap=r.choice((0, 1))),
    "reddit": lambda r: Style("reddit", head="points", nest=r.choice(("level", "indent")),
                              foot=r.choice(("flag", "votes", None))),
    "at_replies": lambda r: Style("at_replies", head=r.choice(("name_date", "dot_age", "says")),
                                  cue="at", foot=r.choice(("like_reply", "reply", None))),
    "in_reply_to": lambda r: Style("in_reply_to", head="reply_to", foot="recommend"),
    "typepad": lambda r: Style("typepad", foot=r.choice(("posted_by", "posted_at"))),
    "name_above": lambda r: Style("name_above", head=r.choice(("name_blank_date", "date_name")),
                                  head_gap=1),
    "disqus": lambda r: Style("disqus", head="dot_age", foot=r.choice(("votes", "reply")),
                              nest="indent"),
    "hash": lambda r: Style("hash", head="hash_number", foot=r.choice(("permalink", None))),
    "talkback": lambda r: Style("talkback", head=r.choice(("name_place", "hash_number")),
                                nest="numbered"),
    "email": lambda r: Style("email", head="from", head_gap=1, gap=2),
    "avatar": lambda r: Style("avatar", head="avatar", foot="reply_arrow", nest="indent"),
    "footer_name": lambda r: Style("footer_name", foot=r.choice(("name", "em_name"))),
    "bar_footer": lambda r: Style("bar_footer", foot="bar_reply"),
    "wrote_head": lambda r: Style("wrote_head", head="wrote", cue=r.choice(("quote", None))),
    "on_date_said": lambda r: Style("on_date_said", head="on_date_said", nest=r.choice(
        ("none", "indent"))),
    "posted_by_head": lambda r: Style("posted_by_head", head="posted_by"),
    "letters": lambda r: Style("letters", foot=r.choice(("name_place", "dash_place", "name")),
                               bullet=r.random() < 0.6, gap=r.choice((0, 1)), paragraph_gap=0),
    "name_bar_date": lambda r: Style("name_bar_date", head="name_bar_date",
                                     foot=r.choice(("reply", "like_reply"))),
    "invented_head": lambda r: Style("invented_head", head_template=invented.draw(r),
                                     gap=r.choice((0, 1, 1)), head_gap=r.choice((0, 0, 1)),
                                     paragraph_gap=r.choice((0, 1)), sentence_lines=0.3),
    "invented_foot": lambda r: Style("invented_foot", foot_template=invented.draw(r),
                                     gap=r.choice((0, 1, 1)), paragraph_gap=r.choice((0, 1)),
                                     sentence_lines=0.3),
    "invented_both": lambda r: Style("invented_both", head_template=invented.draw(r),
                                     foot_template=invented.draw(r), gap=r.choice((0, 1)),
                                     nest=r.choice(("none", "none", "indent"))),
    "short_lines": lambda r: Style("short_lines", head=r.choice([None, *parts.HEADS]),
                                   foot=r.choice([None, *parts.FOOTS]), sentence_lines=0.8,
                                   paragraph_gap=r.choice((0, 1)), gap=r.choice((1, 2))),
}


def mixed(rng: random.Random) -> Style:
    """Any combination of the parts: the open end of the style list."""
    return Style("mixed", head=rng.choice([None, *parts.HEADS]),
                 foot=rng.choice([None, None, *parts.FOOTS]),
                 nest=rng.choice(("none", "none", "indent", "numbered", "level")),
                 gap=rng.choice((0, 1, 1, 2)), head_gap=rng.choice((0, 0, 1)),
                 paragraph_gap=rng.choice((0, 1)), cue=rng.choice((None, None, "at", "quote",
                                                                    "inreply")),
                 indent_step=rng.choice((2, 4)), one_line=rng.random() < 0.2,
                 bullet=rng.random() < 0.1, subject=rng.random() < 0.1,
                 head_template=invented.draw(rng) if rng.random() < 0.2 else (),
                 foot_template=invented.draw(rng) if rng.random() < 0.2 else (),
                 sentence_lines=rng.choice((0.0, 0.0, 0.3)))


STYLES["mixed"] = mixed


#: Styles drawn more often than the others: the lossy Blogger copy is the seed's own format,
#: and the only one where a run of unlabelled lines is a run of comments.
_FAVOURED = ("blogger_lossy",)


def pick_style(rng: random.Random) -> Style:
    name = rng.choice(_FAVOURED) if rng.random() < 0.05 else rng.choice(list(STYLES))
    style = STYLES[name](rng)
    if style.blogger is None and rng.random() < 0.15:
        style = replace(style, gap=0, head_gap=0)  # lost blank lines
    return style


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_SIGN_OFFS = ("Thanks,", "Regards", "Cheers", "Just my 2 cents.", "Thanks!", "Best,")


def _paragraphs(text: str, style: Style, rng: random.Random) -> list[list[str]]:
    """The comment's paragraphs, each as the lines it prints on: hard-wrapped now and then
    (copy-pasted mail, lists), sometimes with a sign-off line."""
    paras = [" ".join(p.split()) for p in text.replace("\r", "").split("\n") if p.strip()]
    if style.one_line or not paras:
        return [[" ".join(paras)]] if paras else []
    if rng.random() < style.sentence_lines:
        out = [[s for s in _SENTENCE_END.split(para) if s] for para in paras]
    elif rng.random() < 0.12:
        width = rng.randint(4, 12)
        wrapped = []
        for para in paras:
            words = para.split()
            wrapped.append([" ".join(words[i:i + width]) for i in range(0, len(words), width)])
        out = wrapped
    else:
        out = [[p] for p in paras]
    if rng.random() < 0.08:
        out.append([rng.choice(_SIGN_OFFS)])
    return out


@dataclass
class _Comment:
    k: int
    meta: parts.Meta
    paras: list[list[str]]


def _metas(tree: Tree, rng: random.Random) -> list[parts.Meta]:
    names = [parts.name(rng) for _ in tree.texts]
    depths: list[int] = []
    numbers: list[int] = []
    top = 0
    for parent in tree.parents:
        depths.append(0 if parent is None else min(depths[parent] + 1, 6))
        top += parent is None
        numbers.append(top)
    return [parts.Meta(name=names[k], date=parts.date(rng), number=numbers[k] if rng.random()
                       < 0.5 else k + 1, depth=depths[k],
                       parent_name=None if p is None else names[p], points=rng.randint(-3, 400))
            for k, p in enumerate(tree.parents)]


def _cue(style: Style, c: _Comment, tree: Tree, rng: random.Random) -> tuple[list[str], str]:
    """(quoted lines, prefix of the first paragraph) for a reply's cue."""
    parent = tree.parents[c.k]
    if parent is None or style.cue is None or rng.random() < 0.3:
        return [], ""
    if style.cue == "at":
        return [], f"@{c.meta.parent_name} "
    if style.cue == "inreply":
        return [], f"In reply to {c.meta.parent_name}: "
    words = " ".join(tree.texts[parent].split()[:rng.randint(6, 20)])
    return [f"> {words}"] if rng.random() < 0.6 else [f"{c.meta.parent_name} wrote:", words], ""


def render_comments(page: Page, tree: Tree, style: Style, rng: random.Random,
                    drop_head: float) -> None:
    metas = _metas(tree, rng)
    comments = [_Comment(k, m, _paragraphs(tree.texts[k], style, rng))
                for k, m in enumerate(metas)]
    pending_label = ""
    for c in comments:
        if not c.paras:
            continue
        depth = c.meta.depth if style.nest != "none" else 0
        pad = " " * (style.indent_step * depth) if style.nest == "indent" else ""
        if style.nest == "level":
            page.add(f"level {depth + 1}", "N")
        head = parts.HEADS[style.head](c.meta, rng) if style.head else []
        if style.head_template:
            head = [invented.fill(style.head_template, c.meta, rng)]
        if rng.random() < drop_head:
            head = []
        number = f"{c.meta.number}. " if style.nest == "numbered" else "• " if style.bullet else ""
        if style.nest == "numbered" and depth:
            pad = "   " * depth
        quoted, prefix = _cue(style, c, tree, rng)
        first = True
        if style.subject and rng.random() < 0.8:
            if style.subject_first:
                page.add(pad + number + _subject(tree.texts[c.k], rng), "S")
                first, number = False, ""
            else:
                quoted = [_subject(tree.texts[c.k], rng)] + quoted
        for i, line in enumerate(head):
            if line:
                page.add(pad + (number if i == 0 else "") + line, "N")
            else:
                page.blank()
        if head:
            number = ""
            page.blank(style.head_gap)
        for line in quoted:
            _body_line(page, pad + number + line, "S" if first else "C", pending_label)
            first, pending_label, number = False, "", ""
        for p, para in enumerate(c.paras):
            if p and style.paragraph_gap:
                page.blank(style.paragraph_gap)
            for i, line in enumerate(para):
                text = (prefix + line) if p == 0 and i == 0 else line
                _body_line(page, pad + number + text, "S" if first else "C", pending_label)
                first, pending_label, number = False, "", ""
        pending_label = _close(page, style, c, tree, rng, pad)
        page.blank(style.gap)
    if pending_label:
        page.add(pending_label, "N")


def _subject(text: str, rng: random.Random) -> str:
    words = text.split()[:rng.randint(2, 6)]
    return " ".join(words).rstrip(".,;:").capitalize()


def _body_line(page: Page, text: str, tag: str, label: str) -> None:
    if label:
        page.add(label, "N")
        page.glue(text, tag)
    else:
        page.add(text, tag)


def _close(page: Page, style: Style, c: _Comment, tree: Tree, rng: random.Random,
           pad: str) -> str:
    """Print the comment's footer; returns a label to glue to the next line (lossy Blogger)."""
    reply = tree.parents[c.k] is not None
    if style.blogger == "lossy":
        if not reply:
            return "ReplyDelete"
        return "Delete" if rng.random() < 0.25 else ""
    if style.blogger == "full":
        page.add("Delete" if reply else "ReplyDelete", "N")
        following = c.k + 1 < len(tree.parents) and tree.parents[c.k + 1] is not None
        if not reply and following:
            page.add("Replies", "N")
        return ""
    foot = parts.FOOTS[style.foot](c.meta, rng) if style.foot else []
    if style.foot_template:
        foot = [invented.fill(style.foot_template, c.meta, rng)]
    for line in foot:
        page.add(pad + line, "N")
    return ""
