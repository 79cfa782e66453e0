"""Threads every stage can read: text no encoder takes is repaired, absurdly long comments cut.

Every reader's threads pass through `clean_thread` (`stance.thread.parse` for all formats,
`stance.infer.labeler` for threads built in Python), so the text a label record carries is the
text the model read.
"""

from __future__ import annotations

from dataclasses import replace

from stance.io import UNENCODABLE, clean_text
from stance.thread.model import Article, Comment, Thread

#: A longer comment is cut to this many characters (the model reads a few hundred; a comment of
#: more than ~15,000 words is a scraping accident, and it would bloat every output).
MAX_COMMENT_CHARS = 100_000


def _opt(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def _clean_comment(comment: Comment) -> Comment:
    fields = (comment.id, comment.text, comment.parent_id, comment.author, comment.timestamp)
    cleaned = [_opt(value) for value in fields]
    if all(new is old for new, old in zip(cleaned, fields, strict=True)):
        return comment  # the common case: nothing to do, nothing allocated
    cid, text, parent_id, author, timestamp = cleaned
    return Comment(id=cid or "", text=text or "", parent_id=parent_id, author=author,
                   timestamp=timestamp)


def _clean_article(article: Article | None) -> Article | None:
    if article is None:
        return None
    cleaned = Article(title=_opt(article.title), text=clean_text(article.text),
                      author=_opt(article.author), published=_opt(article.published))
    return article if cleaned == article else cleaned


def encoding_warning(fields: int) -> str:
    """The thread warning for `fields` repaired strings."""
    return f"{UNENCODABLE} ({fields} field(s))"


def clean_thread(thread: Thread) -> tuple[Thread, list[str]]:
    """The thread with every string cleaned (`stance.io.clean_text`) and comments longer than
    MAX_COMMENT_CHARS cut, and what was done in words (also added to the thread's warnings):
    one warning for all repaired text, one per cut comment."""
    repaired = 0
    comments: list[Comment] = []
    cut: list[str] = []
    for comment in thread.comments:
        cleaned = _clean_comment(comment)
        repaired += cleaned is not comment
        if len(cleaned.text) > MAX_COMMENT_CHARS:
            cut.append(f"comment {cleaned.id!r} was {len(cleaned.text):,} characters long; "
                       f"cut to its first {MAX_COMMENT_CHARS:,}")
            cleaned = replace(cleaned, text=cleaned.text[:MAX_COMMENT_CHARS])
        comments.append(cleaned)
    head = {name: _opt(getattr(thread, name)) for name in ("source", "format", "target")}
    article = _clean_article(thread.article)
    thread_id = clean_text(thread.thread_id)
    old_warnings = tuple(clean_text(w) for w in thread.warnings)
    repaired += (article is not thread.article) + (thread_id is not thread.thread_id) + sum(
        head[name] is not getattr(thread, name) for name in head) + sum(
        new is not old for new, old in zip(old_warnings, thread.warnings, strict=True))
    messages = ([encoding_warning(repaired)] if repaired else []) + cut
    if not messages:
        return thread, []
    result = replace(thread, thread_id=thread_id, comments=tuple(comments), article=article,
                     warnings=old_warnings + tuple(messages), **head)
    return result, messages
