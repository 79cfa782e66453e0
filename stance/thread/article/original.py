"""The original post of a social thread whose first post is shaped like its replies.

A Mastodon (or other Fediverse, or X) thread page prints the post that started the thread
with the same "Name / @handle / date" header as the replies, and nothing above it. The
layout then reads it as the first comment, while every other format treats the post the
thread answers as its article. It is promoted to the article only on evidence that it is a
social post and not a forum's first comment:

- the page has no article text before it;
- it and most of the posts after it carry a handle beside a display name (not as the name,
  as YouTube prints it), in the same header shape;
- its handle is a Fediverse address ("@tomas@fosstodon.example"), or a later post addresses
  its author by handle ("@wren ...", "Replying to @wren").

A forum's first page prints the opening post with the same header as the replies too, and
then the opening post is the article (what the replies answer). It is taken as one only where
the page says the first post opens the thread: its header region numbers it 1 and the next
post's 2 or more ("#1", "Post 1"), or the next post's subject is "Re: " and the first one's
(phpBB), or a line above it names the thread's starter ("Thread starter X", "Discussion in
'Y' started by X", "By X, March 3 in Y") and X wrote it. A later
page of a thread, or an excerpt, has no such post and keeps every post as a comment.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field

from stance.thread.article import body as article_body
from stance.thread.article import posthead
from stance.thread.lines import clean, dates, headers
from stance.thread.lines.kinds import LABEL, TEXT, Line
from stance.thread.model import Article
from stance.thread.segment.drafts import Draft, Layout, has_content
from stance.thread.tree import cues
from stance.thread.tree.assemble import assemble

logger = logging.getLogger(__name__)

#: A Fediverse address: "@user@instance.tld".
_FEDIVERSE = re.compile(r"^@[\w.\-]{1,40}@[\w\-]+(?:\.[\w\-]+)+$")


@dataclass
class Promoted:
    """The layout without the original post, and the post as the thread's article."""

    layout: Layout
    article: Article | None = None
    warnings: list[str] = field(default_factory=list)
    #: The post's handles beside its author's name: a reply to them answers the article.
    handles: list[str] = field(default_factory=list)


def _handles(draft: Draft) -> list[str]:
    """Handles printed beside a display name; a handle that is itself the name (YouTube's
    "@breadmaker_bex" header) is no sign of a social post's header."""
    name = (draft.author or "").lower().lstrip("@")
    return [a for a in draft.aliases if a.startswith("@") and a.lower().lstrip("@") != name]


def _same_shape(first: Draft, rest: list[Draft]) -> bool:
    """Most later posts carry a handle in a header shaped like the first post's."""
    alike = sum(1 for d in rest if _handles(d) and d.shape == first.shape)
    return alike * 2 >= len(rest)


def _addressed(first: Draft, rest: list[Draft]) -> bool:
    """A later post opens by addressing the first post's author by handle."""
    names = {h.lower().lstrip("@") for h in _handles(first)}
    names |= {n.lower() for n in cues.local_names(_handles(first))}
    for draft in rest:
        if draft.reply_to and draft.reply_to.lower().lstrip("@") in names:
            return True
        opening = next((ln.text for ln in draft.lines if ln.text), "")
        match = re.match(r"@([\w.\-@]+)", opening)
        if match and match.group(1).rstrip(".:,").lower() in names:
            return True
    return False


def is_original_post(found: Layout) -> bool:
    """Does the first draft of the layout open a social thread (see the module's rules)?"""
    if found.mode != "head" or len(found.drafts) < 2 or has_content(found.article, min_words=5):
        return False
    first, rest = found.drafts[0], found.drafts[1:]
    handles = _handles(first)
    if not first.author or not handles or not _same_shape(first, rest):
        return False
    return any(_FEDIVERSE.match(h) for h in handles) or _addressed(first, rest)


def promote_original_post(found: Layout) -> Promoted:
    """Take the first draft out of the comments as the article, when it is the thread's
    original post; otherwise return the layout unchanged."""
    if not is_original_post(found):
        return Promoted(layout=found)
    first, rest = found.drafts[0], found.drafts[1:]
    posted = assemble([first]).comments
    text = posted[0].text if posted else ""
    if not text:
        return Promoted(layout=found)
    depths = [d.depth for d in rest if d.depth is not None]
    shift = min(depths) if depths and len(depths) == len(rest) else 0
    for draft in rest:  # replies indented under the post move up a level with it
        if draft.depth is not None:
            draft.depth -= shift
    article = Article(title=posthead.first_sentence_title(text), text=text, author=first.author,
                      published=dates.normalise_timestamp(first.timestamp))
    warning = (f"the first post (by {first.author}) has the same header as the replies; it "
               "was taken as the thread's original post, not as a comment")
    layout = Layout(article=found.article, drafts=rest, mode=found.mode,
                    warnings=[*found.warnings, warning])
    logger.debug("original post by %s promoted to the article", first.author)
    return Promoted(layout=layout, article=article, handles=_handles(first))


#: A post's number printed in its header region ("#1", "Post 1", "Post #12").
_POST_NUMBER = re.compile(r"^(?:post\s*)?#\s?(\d{1,6})$|^post\s+(\d{1,6})$", re.IGNORECASE)
_SMF_TOPIC = re.compile(r"^(?:author\s+)?topic:\s*(.+?)\s*\(read [\d,]+ times\)$", re.IGNORECASE)
_RE_SUBJECT = re.compile(r"^re\s*:\s*(.{1,200})$", re.IGNORECASE)
#: The thread starter named above the posts.
_STARTER = re.compile(
    r"^(?:thread starter|topic starter|started by|discussion in ['‘\"].{1,80}['’\"] started by"
    r"|by)\s+(?P<a>[^,]{1,60}?)(?:\s*,\s*.{0,60}?)?\.?$", re.IGNORECASE)


def _post_number(lines: list[Line]) -> int | None:
    """The post's number in its header region; SMF's "« on: <date> »" is the opening post's
    (0) and "« Reply #2 on: <date> »" a reply's."""
    for line in lines:
        match = _POST_NUMBER.match(line.text) if len(line.text) <= 12 else None
        if match:
            return int(match.group(1) or match.group(2))
        smf = headers.SMF_ON.match(line.text) if len(line.text) <= 120 else None
        if smf:
            return int(smf.group("n") or 0)
    return None


def _starts_thread(first: Draft, second: Draft, lines: list[Line]) -> bool:
    """The page numbers the first post 1 (and the second 2 or more), or names its author as
    the thread's starter above it."""
    start = first.lines[0].index if first.lines else 0
    end = second.lines[0].index if second.lines else start
    last = first.lines[-1].index if first.lines else start
    own = _post_number(lines[max(0, start - 6):start])
    after = _post_number(lines[last + 1:end])
    if own is not None and own <= 1 and after is not None and after > own:
        return True
    subjects = {ln.text.lower() for ln in lines[max(0, start - 6):start]}
    for line in lines[last + 1:end]:  # phpBB: the topic's subject, then "Re: <subject>"
        match = _RE_SUBJECT.match(line.text)
        if match and match.group(1).strip().lower() in subjects:
            return True
    author = (first.author or "").lower()
    for line in lines[:start]:
        match = _STARTER.match(line.text) if len(line.text) <= 160 else None
        if match and author and match.group("a").strip().lower() == author:
            return True
    return False


def _topic_title(lines: list[Line]) -> str | None:
    """The topic's title: the last text line above the opening post that reads as a heading
    (below the forum's breadcrumbs: "Home" / "Forums" / "Local News" / the title)."""
    for line in reversed(lines):
        text = line.text
        topic = _SMF_TOPIC.match(text)
        if topic:  # "Author Topic: <title>  (Read 1234 times)"
            return topic.group(1)
        if (line.kind in (TEXT, LABEL) and 2 <= len(text.split()) <= 25
                and not text.endswith(".") and not clean.is_label(text)
                and not clean.is_chrome(text, edge=True)):
            return text  # a topic's subject above the first post is a label
    return None


def promote_forum_post(found: Layout, lines: list[Line]) -> Promoted:
    """Take the first draft out of the comments as the article when the page marks it as the
    thread's opening post (see the module's rules); otherwise return the layout unchanged."""
    if found.mode != "head" or len(found.drafts) < 2 or has_content(found.article, min_words=8):
        return Promoted(layout=found)
    drafts = list(itertools.islice((d for d in found.drafts if has_content(d.lines, min_words=1)),
                                   2))
    if len(drafts) < 2 or not _starts_thread(drafts[0], drafts[1], lines):
        return Promoted(layout=found)
    first = drafts[0]
    rest = found.drafts[found.drafts.index(first) + 1:]
    posted = assemble([first]).comments
    text = posted[0].text if posted else ""
    if not text:
        return Promoted(layout=found)
    title = _topic_title(lines[:first.lines[0].index])
    if title is None:
        above = article_body.build_article(found.article)
        title = above.title if above is not None and above.title else (
            posthead.first_sentence_title(text))
    article = Article(title=title, text=text, author=first.author,
                      published=dates.normalise_timestamp(first.timestamp))
    warning = (f"the first post (by {first.author or 'an unnamed author'}) opens the thread; "
               "it was taken as the article, not as a comment")
    layout = Layout(article=found.article, drafts=rest, mode=found.mode,
                    warnings=[*found.warnings, warning])
    return Promoted(layout=layout, article=article)
