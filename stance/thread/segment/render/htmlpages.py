"""Generic HTML pages rendered from real reply trees, to check the HTML reader's generality.

The HTML reader finds comments by the page's repeated sibling structure, not by CMS names. This
module writes pages whose markup is drawn at random for each page, so that no fixed template
can be what the reader recognises:

- the comment block's tag (``li``, ``div``, ``article``, ``section``) and class names (CMS-like,
  plain words or generated hashes such as ``css-1x9k2q``), the container, the heading above it
  (or none);
- where the author and date sit (a header above the text or a line under it), how they are
  marked up (``cite``, ``strong``, a profile link, ``time``, plain spans), avatars, the action row
  ("Reply", "Like", "Report", vote counts) or none;
- how replies nest: inside their parent's block, in a replies container, or flat with a depth
  class or an indentation style;

around an article made of real news paragraphs (BABE's, as for the text renders) with the
chrome a page has beside it, some of it shaped like comments on purpose: navigation, a share
row, related-story teasers, a "recent comments" sidebar that names the commenters, a comment
form and a footer.

`html_pages` yields (name, html, annotation) with the annotation in the shape
`stance.thread.formats.htmleval` scores (`article`, `comments` with `author`, `text`, `parent`,
and `not_comment` snippets), so the HTML reader and trafilatura alone are scored on the same
pages. `text_copy` gives a page's text as a select-all copy has it (one line per block, the
form, sidebars and footer included) and `copy_reading` its annotation in the shape of
`real_threads_dev`, so the text parser is scored on the same pages too. The comment texts,
reply structure and article sentences are real; the markup, names and dates are invented, so
the check shares our view of markup and is no benchmark.
"""

from __future__ import annotations

import html
import random
import re
import string
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stance.thread.htmltext import node_text, parse_html
from stance.thread.segment.render import parts
from stance.thread.segment.render.sources import Tree, load_articles, load_trees

_SECTIONS = ("Home", "News", "Politics", "Business", "Opinion", "Sport", "Culture", "Science",
             "Local", "World", "Video", "Podcasts", "Newsletters", "About")
_HEADINGS = ("{n} Comments", "{n} comments", "Comments ({n})", "Reader comments",
             "Join the discussion", "{n} Responses to this post", "What readers say",
             "Discussion", "Conversation")
_ACTIONS = (("Reply",), ("Reply", "Report"), ("Like", "Reply"), ("Reply", "Share", "Report"),
            ("Reply", "Flag"), ("Respond",), ("Reply", "Quote"))
#: Headlines: the first four head the page, the others are teasers around it.
_TEASERS = ("Council delays vote on the new library", "Storm warning for the coast tonight",
            "Five things to know before the budget", "Local team wins the regional final",
            "Opinion: the housing plan misses the point",
            "Rail strike called off at the last minute", "How the new parking rules will work",
            "School board race draws record interest")
_FORM = ("Leave a Reply", "Your email address will not be published.", "Post Comment",
         "Add a comment", "Sign in to comment", "Comments are moderated before they appear.")
_FOOTER = ("Privacy Policy", "Terms of Use", "Contact us", "Advertise with us",
           "All rights reserved.")
_CMS_CLASSES = (("comment", "comment-body", "comment-author", "comment-date", "comment-text",
                 "children"),
                ("post", "post-inner", "post-user", "post-time", "post-message", "post-replies"),
                ("reply-item", "reply-wrap", "reply-name", "reply-date", "reply-text",
                 "reply-list"),
                ("entry", "entry-box", "entry-by", "entry-when", "entry-content", "entry-kids"))


def _hash_class(rng: random.Random) -> str:
    return "css-" + "".join(rng.choice(string.ascii_lowercase + string.digits)
                            for _ in range(rng.randint(5, 7)))


def _classes(rng: random.Random) -> tuple[str, ...]:
    """Six class names: block, inner, author, date, text, replies container."""
    style = rng.random()
    if style < 0.4:
        return rng.choice(_CMS_CLASSES)
    if style < 0.7:
        # plain words that name no part ("who" or "when" on the wrong element is no test)
        words = rng.sample(("item", "box", "card", "row", "unit", "cell", "msg", "note", "blk",
                            "inner", "nest", "sub", "wrap", "bubble", "tile", "panel"), 6)
        return tuple(words)
    return tuple(_hash_class(rng) for _ in range(6))


def _paragraphs(text: str) -> list[str]:
    out = [re.sub(r"\s+", " ", p).strip() for p in html.unescape(text).splitlines()]
    return [p for p in out if p]


def _ago(rng: random.Random) -> str:
    return rng.choice((f"{rng.randint(2, 23)} hours ago", f"{rng.randint(2, 11)} days ago",
                       "1 hour ago", "yesterday", parts.date(rng)))


class _Page:
    """One page's drawn markup conventions, so every comment on it looks alike."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cls = _classes(rng)
        self.block = rng.choice(("li", "div", "article", "div", "section"))
        self.container = "ol" if self.block == "li" and rng.random() < 0.5 else (
            "ul" if self.block == "li" else rng.choice(("div", "section")))
        self.author_below = rng.random() < 0.2
        self.author_tag = rng.choice(("cite", "strong", "b", "a", "span", "span"))
        self.date_tag = rng.choice(("time", "span", "a", "small"))
        self.avatar = rng.random() < 0.5
        self.actions = rng.choice(_ACTIONS) if rng.random() < 0.75 else ()
        self.votes = rng.random() < 0.25
        self.paragraphs_as = rng.choice(("p", "br"))
        self.nesting = rng.choice(("inside", "inside", "container", "flat-class", "flat-style"))
        self.dates = rng.random() < 0.85
        # more conventions, drawn from the page's class names so the draws above stay as they
        # were: "X says:", a "#12" permalink, "in reply to X" on flat pages, a "Load more
        # comments" button, a dash before a name printed under the text
        more = random.Random(zlib.crc32("|".join(self.cls).encode()))
        self.says = more.random() < 0.25
        self.numbered = more.random() < 0.2
        self.reply_to = self.nesting.startswith("flat") and more.random() < 0.4
        self.load_more = more.random() < 0.3
        self.dash = self.author_below and more.random() < 0.5
        # and: letter avatars ("AL" in a circle), a badge after some names ("OP",
        # "Moderator"), an "Edited" mark, "Show more replies" buttons under threads
        self.letters = not self.avatar and more.random() < 0.3
        self.badges = more.random() < 0.25
        self.edited = more.random() < 0.2
        self.show_more = self.nesting in ("inside", "container") and more.random() < 0.3
        # drawn apart again, so that each page above stays as it was: the name and the date
        # in blocks of their own (two lines in a copy), a vote widget ("▲ 12 ▼", a bare
        # count), "Posted by X on <date>" under the text, a handle after the name
        again = random.Random(zlib.crc32(("|".join(self.cls) + "|2").encode()))
        self.split_meta = again.random() < 0.3
        self.vote_widget = again.choice(("points", "arrows", "bare")) if self.votes else ""
        self.posted_by = self.author_below and not self.says and again.random() < 0.3
        self.handles = again.random() < 0.15

    def author_html(self, name: str) -> str:
        cls, tag = self.cls[2], self.author_tag
        inner = html.escape(name)
        if tag == "a":
            out = f"<a class='{cls}' href='/users/{html.escape(name.lower())}'>{inner}</a>"
        else:
            out = f"<{tag} class='{cls}'>{inner}</{tag}>"
        if self.handles:
            handle = re.sub(r"[^a-z0-9_]", "", name.lower()) or "user"
            out += f" <span class='handle'>@{handle}</span>"
        if self.posted_by:
            return "Posted by " + out + (" on" if self.dates else "")
        return ("— " if self.dash else "") + out + (" says:" if self.says else "")

    def date_html(self) -> str:
        if not self.dates:
            return ""
        text = html.escape(_ago(self.rng))
        if self.date_tag == "time":
            return f"<time class='{self.cls[3]}' datetime='2021-03-04T10:00'>{text}</time>"
        if self.date_tag == "a":
            return f"<a class='{self.cls[3]}' href='#permalink'>{text}</a>"
        return f"<{self.date_tag} class='{self.cls[3]}'>{text}</{self.date_tag}>"

    def body_html(self, text: str) -> str:
        paras = [html.escape(p) for p in _paragraphs(text)]
        if self.paragraphs_as == "p":
            inner = "".join(f"<p>{p}</p>" for p in paras)
        else:
            inner = "<br><br>".join(paras)
        return f"<div class='{self.cls[4]}'>{inner}</div>"

    def actions_html(self) -> str:
        links = "".join(f"<a href='#' class='act'>{a}</a> " for a in self.actions)
        if self.votes:
            score = self.rng.randint(0, 90)
            links += {"points": f"<span class='score'>{score} points</span>",
                      "arrows": f"<span class='vote'>▲</span> <span class='score'>{score}</span>"
                                " <span class='vote'>▼</span>",
                      "bare": f"<div class='score'>{score}</div>"}[self.vote_widget]
        return f"<div class='actions'>{links}</div>" if links else ""

    def comment_html(self, name: str, text: str, depth: int, inner: str = "",
                     number: int = 0, parent: str | None = None) -> str:
        extra = f" <a class='num' href='#c{number}'>#{number}</a>" if self.numbered else ""
        if self.reply_to and parent:
            extra += f" <span class='to'>in reply to {html.escape(parent)}</span>"
        if self.edited and number % 4 == 1:
            extra += " <span class='edited'>Edited</span>"
        badge = ""
        if self.badges and number % 3 == 0:
            badge = f" <span class='badge'>{('OP', 'Moderator', 'Top commenter')[number % 9 // 3]}"
            badge += "</span>"
        if self.split_meta:  # a line for the name, a line for the date
            meta = (f"<div class='meta'><div>{self.author_html(name)}{badge}</div>"
                    f"<div>{self.date_html()}{extra}</div></div>")
        else:
            meta = (f"<div class='meta'>{self.author_html(name)}{badge} {self.date_html()}"
                    f"{extra}</div>")
        avatar = (f"<img class='avatar' src='/a/{self.rng.randint(1, 999)}.png' "
                  f"alt='{html.escape(name)}'>") if self.avatar else ""
        if self.letters:
            initials = "".join(w[0] for w in name.split()[:2]).upper()
            avatar = f"<div class='avatar-letters'>{html.escape(initials)}</div>"
        body = self.body_html(text)
        content = (avatar + body + meta if self.author_below else avatar + meta + body)
        content += self.actions_html()
        attrs = f"class='{self.cls[0]}'"
        if self.nesting == "flat-class":
            attrs = f"class='{self.cls[0]} depth-{depth + 1}'"
        elif self.nesting == "flat-style" and depth:
            attrs += f" style='margin-left: {depth * 40}px'"
        return (f"<{self.block} {attrs}><div class='{self.cls[1]}'>{content}</div>{inner}"
                f"</{self.block}>")


def _depths(tree: Tree) -> list[int]:
    depths: list[int] = []
    for parent in tree.parents:
        depths.append(0 if parent is None else depths[parent] + 1)
    return depths


def render_comments(tree: Tree, names: list[str], page: _Page) -> str:
    """The comment list: nested inside each block, in a replies container, or flat."""
    children: dict[int | None, list[int]] = {}
    for k, parent in enumerate(tree.parents):
        children.setdefault(parent, []).append(k)
    depths = _depths(tree)

    def parent_name(k: int) -> str | None:
        parent = tree.parents[k]
        return names[parent] if parent is not None else None

    def nested(k: int) -> str:
        kids = "".join(nested(c) for c in children.get(k, []))
        if kids:
            button = "<button class='more-replies'>Show more replies</button>" \
                if page.show_more else ""
            kids = f"<{page.container} class='{page.cls[5]}'>{kids}{button}</{page.container}>"
        return page.comment_html(names[k], tree.texts[k], depths[k], kids, k + 1)

    if page.nesting in ("inside", "container"):
        items = "".join(nested(k) for k in children.get(None, []))
    else:
        items = "".join(page.comment_html(names[k], tree.texts[k], depths[k], "", k + 1,
                                          parent_name(k))
                        for k in range(len(tree)))
    more = "<button class='more'>Load more comments</button>" if page.load_more else ""
    return f"<{page.container} class='comment-list-{page.rng.randint(1, 9)}'>{items}" \
           f"</{page.container}>{more}"


#: Syllables of `parts.name` that are English words; display names rarely are ("Robar Do").
_WORDS = frozenset("a an and as at by do go in is it no of on or so to".split())


def _name(rng: random.Random) -> str:
    while True:
        name = parts.name(rng).rstrip("._-")
        if name and not _WORDS.intersection(name.lower().replace(".", " ").split()):
            return name


def _names(n: int, rng: random.Random) -> list[str]:
    pool = [_name(rng) for _ in range(max(3, n // 2 + 1))]
    return [rng.choice(pool) for _ in range(n)]


def render_page(tree: Tree, story: Tree, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """One page and its annotation."""
    page = _Page(rng)
    names = _names(len(tree), rng)
    site = parts.word(rng).title() + rng.choice((" Times", " Post", " Daily", " Blog", " News"))
    headline = rng.choice(_TEASERS[:4]) + " as residents react"
    article = [re.sub(r"\s+", " ", p).strip() for p in story.texts]
    nav = rng.sample(_SECTIONS, rng.randint(5, 9))
    teasers = rng.sample(_TEASERS[4:], 3)
    recent = [(rng.choice(names), rng.choice(_TEASERS[:4])) for _ in range(rng.randint(3, 5))]
    form, footer = rng.sample(_FORM, 3), rng.sample(_FOOTER, 3)
    semantic = rng.random() < 0.6  # <main><article> or anonymous divs
    share, related, sidebar = rng.random() < 0.6, rng.random() < 0.7, rng.random() < 0.6
    heading = rng.choice(_HEADINGS).format(n=len(tree)) if rng.random() < 0.85 else ""
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(headline)}"
           f" | {site}</title></head><body><header><div class='logo'>{site}</div><nav><ul>"
           + "".join(f"<li><a href='/{s.lower()}'>{s}</a></li>" for s in nav)
           + "</ul></nav></header>",
           "<main><article class='story'>" if semantic else "<div class='main'><div>",
           f"<h1>{html.escape(headline)}</h1><p class='byline'>By {parts.name(rng).title()} | "
           f"{parts.date(rng)}</p>",
           "".join(f"<p>{html.escape(p)}</p>" for p in article)]
    if share:
        out.append("<div class='share'><a>Share on Facebook</a> <a>Share on X</a> "
                   "<a>Email this story</a></div>")
    out.append("</article>" if semantic else "</div>")
    if related:
        out.append("<div class='related'><h3>Related stories</h3><ul>"
                   + "".join(f"<li><a href='/s/{n}'>{t}</a></li>" for n, t in enumerate(teasers))
                   + "</ul></div>")
    out.append(f"<section id='comments-{rng.randint(1, 99)}'>"
               + (f"<h2>{heading}</h2>" if heading else "")
               + render_comments(tree, names, page)
               + f"<div class='respond'><h3>{form[0]}</h3><p>{form[1]}</p><textarea></textarea>"
               + f"<button>{form[2]}</button></div></section>")
    out.append("</main>" if semantic else "</div>")
    if sidebar:
        out.append("<aside><h3>Recent comments</h3><ul>"
                   + "".join(f"<li><a href='/u'>{html.escape(n)}</a> on <a href='/s'>{t}</a></li>"
                             for n, t in recent) + "</ul><h3>Most read</h3><ol>"
                   + "".join(f"<li><a href='/m/{n}'>{t}</a></li>" for n, t in enumerate(teasers))
                   + "</ol></aside>")
    out.append("<footer>" + " | ".join(f"<a>{f}</a>" for f in footer)
               + f" <p>© 2021 {site}</p></footer></body></html>")
    not_comment = [*teasers, *form, *footer, " ".join(nav)]
    if page.load_more:
        not_comment.append("Load more comments")
    if page.show_more:
        not_comment.append("Show more replies")
    if share:
        not_comment.append("Share on Facebook")
    if sidebar:
        not_comment += [f"{n} on {t}" for n, t in recent]
    # one word ("News") is no leak check: comments use the words of navigation too
    not_comment = [s for s in not_comment if len(s.split()) >= 2]
    gold = {"article": "\n".join(article),
            "comments": [{"author": names[k], "text": " ".join(_paragraphs(tree.texts[k])),
                          "parent": tree.parents[k]} for k in range(len(tree))],
            "not_comment": not_comment,
            "style": {k: v for k, v in vars(page).items() if k != "rng"}}
    return "\n".join(out) + "\n", gold


def _usable(tree: Tree) -> bool:
    texts = [" ".join(_paragraphs(t)) for t in tree.texts]
    return (3 <= len(tree) <= 25 and all(len(t.split()) >= 3 for t in texts)
            and len(set(texts)) == len(texts)
            and not any(a != b and a in b for a in texts for b in texts))


def html_pages(data: str | Path, count: int, seed: int = 5
               ) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """`count` pages, each from one real tree under one real story: (name, html, annotation)."""
    rng = random.Random(seed)
    trees = [t for t in load_trees(data, seed=seed) if _usable(t)]
    stories = [s for s in load_articles(data, seed=seed) if len(s) >= 2]
    rng.shuffle(trees)
    for n, tree in enumerate(trees[:count]):
        story = stories[n % len(stories)] if stories else Tree(
            ("The council met on Tuesday to discuss the harbour plan.",
             "A decision is expected next month."), (None, None), "none")
        page, gold = render_page(tree, story, rng)
        yield f"html-{n:03d}", page, gold


def text_copy(page: str) -> str:
    """The page's text as a browser's select-all copy gives it (navigation, form, sidebars
    and footer included)."""
    tree = parse_html(page)
    return node_text(tree.body or tree.root)


def copy_reading(gold: dict[str, Any]) -> dict[str, Any]:
    """A page's annotation as `stance.thread.score` reads it: each comment's first words and
    parent, the snippets that must stay out of comments as artifacts."""
    comments = [{"id": f"c{k}", "first_words": " ".join(c["text"].split()[:8]),
                 "parent": None if c["parent"] is None else f"c{c['parent']}"}
                for k, c in enumerate(gold["comments"])]
    return {"comments": comments, "artifacts": list(gold["not_comment"]),
            "article_present": True}
