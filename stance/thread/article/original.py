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
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from stance.thread.article import posthead
from stance.thread.lines import dates
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
