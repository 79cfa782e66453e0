"""Training pages for the segmenter, rendered from real comment trees with known line tags.

`render_page` prints one tree in a style drawn from `styles.STYLES`, with an article above
(paragraphs of another tree's comments), page chrome (navigation, link lists, adverts, a
comment-count marker, a footer) and randomised degradation (lost blank lines and headers, a
page cut at a byte limit as the real excerpts are). Everything is drawn from one seeded
`random.Random`, so a seed gives the same pages, except the controls above a comment section
(`parts.section_head`): they come from a generator seeded by the tree's text, so that adding
them left every other draw as it was.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from stance.thread.segment.render import parts
from stance.thread.segment.render.page import Page
from stance.thread.segment.render.sources import Tree
from stance.thread.segment.render.styles import pick_style, render_comments


@dataclass(frozen=True)
class Rendered:
    text: str
    starts: list[int]
    tags: list[str]
    style: str


def _article(page: Page, source: Tree, rng: random.Random) -> None:
    if rng.random() < 0.5:
        page.add(rng.choice(parts.NAV), "A")
        if rng.random() < 0.5:
            page.add(rng.choice(parts.NAV), "A")
        page.blank(rng.choice((0, 1)))
    words = source.texts[0].split()
    page.add(" ".join(words[:rng.randint(4, 12)]).rstrip(".") or "News", "A")
    if rng.random() < 0.5:
        page.add(f"By {parts.name(rng)}" if rng.random() < 0.6 else parts.date(rng), "A")
    blank = rng.choice((0, 1, 1))
    inset = rng.random() < 0.4  # "Read more:", an advert or a share row inside the story
    for k, text in enumerate(source.texts[:rng.randint(1, 12)]):
        page.blank(blank)
        if inset and k == 1:
            page.add(rng.choice(parts.INSETS), "A")
        for para in text.split("\n"):
            if para.strip():
                page.add(" ".join(para.split()), "A")
    if rng.random() < 0.25:  # a list inside the story
        mark = rng.choice(("• ", "* ", "- ", "  • ", ""))
        for k in range(rng.randint(2, 6)):
            words = rng.choice(source.texts).split()[:rng.randint(2, 14)]
            page.add(f"{mark or f'{k + 1}. '}{' '.join(words)}", "A")
        page.add(" ".join(rng.choice(source.texts).split()[:rng.randint(8, 30)]), "A")
    if rng.random() < 0.3:
        page.blank(blank)
        for _ in range(rng.randint(2, 5)):
            page.add(" ".join(rng.choice(source.texts).split()[:rng.randint(3, 9)]), "A")
    if rng.random() < 0.3:
        page.add(rng.choice(parts.ADS), "A")


def _marker(page: Page, tree: Tree, rng: random.Random) -> None:
    shape = rng.choice(parts.MARKERS)
    page.blank(rng.choice((0, 1)))
    page.add(shape.format(n=len(tree), t="the post"), "N")
    page.blank(rng.choice((0, 1)))


def _tail(page: Page, rng: random.Random) -> None:
    page.blank(rng.choice((0, 1)))
    for line in rng.sample(parts.TAIL, rng.randint(1, 3)):
        page.add(line.format(y=rng.randint(2005, 2024)), "N")
    if rng.random() < 0.1:
        page.blank(rng.choice((0, 1)))
        for line in parts.trackbacks(rng):
            page.add(line, "N")


def _cut(page: Page, limit: int) -> None:
    """Keep the lines that fit in `limit` characters (a scrape cut mid-page)."""
    total = 0
    for k, line in enumerate(page.lines):
        total += sum(len(p) for p, _ in line) + 1
        if total > limit:
            del page.lines[k:]
            return


def _article_only(article: Tree, rng: random.Random) -> Rendered:
    """A news page without comments: everything on it is the article part."""
    page = Page()
    _article(page, article, rng)
    if rng.random() < 0.5:
        _tail(page, rng)
    if rng.random() < 0.2:  # one long line, as some extractors give a whole page
        page.lines = [[(" ".join(p for line in page.lines for p, _ in line), "A")]]
    page.lines = [[(text, "A") for text, _ in line] for line in page.lines]
    starts, tags = page.spans()
    return Rendered(text=page.text(), starts=starts, tags=tags, style="article_only")


def render_page(tree: Tree, article: Tree | None, rng: random.Random) -> Rendered:
    """One page: `tree`'s comments in a random style, `article`'s text as the article."""
    style = pick_style(rng)
    page = Page()
    if article is not None and rng.random() < 0.2:
        return _article_only(article, rng)
    # about half the real excerpts hold only the comment section (the scrape starts there)
    has_article = article is not None and rng.random() < 0.5
    if article is not None and has_article:
        _article(page, article, rng)
    # a comment section that prints no structure at all is mostly announced by a heading
    # ("Comments"); where it is not, only the readers' voice and the gaps tell it from the story
    bare = not (style.head or style.foot or style.blogger or style.bullet or style.subject
                or style.head_template or style.foot_template or style.nest != "none")
    if rng.random() < (0.6 if has_article else 0.3) or (bare and has_article
                                                        and rng.random() < 0.6):
        _marker(page, tree, rng)
    elif has_article:
        page.blank(rng.choice((1, 2, 3)))
    # the controls a comment section opens with (under the story: an excerpt that starts
    # inside the comments starts past them), drawn from a generator of their own so that
    # adding them leaves every other draw of the page as it was
    if has_article:
        head_rng = random.Random(zlib.crc32("\n".join(tree.texts[:2]).encode("utf-8",
                                                                              "replace")))
        if head_rng.random() < 0.4:
            page.blank(head_rng.choice((0, 1)))
            for line in parts.section_head(len(tree), head_rng):
                page.add(line, "N")
            page.blank(head_rng.choice((0, 1, 1)))
    render_comments(page, tree, style, rng, drop_head=rng.choice((0.0, 0.0, 0.1, 0.3)))
    if rng.random() < 0.5:
        _tail(page, rng)
    if rng.random() < 0.5:
        _cut(page, rng.choice((2000, 3000, 5000)))
    starts, tags = page.spans()
    return Rendered(text=page.text(), starts=starts, tags=tags, style=style.name)
