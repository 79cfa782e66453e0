"""Thread JSONL (CONTRACT.md): one thread object per line, read lazily, written atomically.

Reading is total: a line that holds no thread, or a comment without usable text, is skipped with
a warning naming file, line and comment; wrong-typed fields are repaired with a warning; the
other records of the file are read as usual.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from stance.errors import InputError
from stance.io import UNENCODABLE, FileNotes, atomic_writer, dumps, iter_lines, load_json_line
from stance.thread.model import Article, Comment, Thread
from stance.thread.sanitize import clean_thread, encoding_warning

#: (message, comment id or None, skipped) for each repair or skip made while reading a line.
Problem = tuple[str, str | None, bool]


def _json_text(value: Any) -> str | None:
    """A JSON scalar where a string belongs, as its JSON text; None for null, lists, objects."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean", str: "a string",
            type(None): "null"}.get(type(value), "a number")


def _opt_str(value: Any, name: str, problems: list[Problem], cid: str | None = None
             ) -> str | None:
    """An optional string field: null stays null, a scalar becomes its text, a list or object
    becomes null with a warning."""
    text = _json_text(value)
    if text is None and value is not None:
        problems.append((f"'{name}' is {_kind(value)}, not a string; ignored", cid, False))
    return text


def comment_from_dict(obj: Any, *, pos: int, problems: list[Problem] | None = None
                      ) -> Comment | None:
    """One comment, repaired where it can be; None (and a problem) when it has no usable text."""
    problems = [] if problems is None else problems
    if not isinstance(obj, dict):
        problems.append((f"comment #{pos} is {_kind(obj)}, not an object", None, True))
        return None
    raw_id = obj.get("id")
    cid = _json_text(raw_id) or ""  # an empty id is numbered anew by tree.repair
    name = cid or f"#{pos}"
    if raw_id is not None and cid == "" and not isinstance(raw_id, str):
        problems.append((f"'id' is {_kind(raw_id)}, not a string; numbered anew", name, False))
    raw_text = obj.get("text")
    text = _json_text(raw_text)
    if text is None:
        what = "has no 'text'" if raw_text is None else (
            f"'text' is {_kind(raw_text)}, not a string")
        problems.append((what, name, True))
        return None
    if not isinstance(raw_text, str):
        problems.append((f"'text' is {_kind(raw_text)}; read as its JSON text", name, False))
    return Comment(id=cid, text=text, parent_id=_opt_str(obj.get("parent_id"), "parent_id",
                                                         problems, name),
                   author=_opt_str(obj.get("author"), "author", problems, name),
                   timestamp=_opt_str(obj.get("timestamp"), "timestamp", problems, name))


def _article(raw: Any, problems: list[Problem]) -> Article | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append((f"'article' is {_kind(raw)}, neither an object nor null; ignored",
                         None, False))
        return None
    text = _opt_str(raw.get("text"), "article.text", problems)
    return Article(title=_opt_str(raw.get("title"), "article.title", problems), text=text or "",
                   author=_opt_str(raw.get("author"), "article.author", problems),
                   published=_opt_str(raw.get("published"), "article.published", problems))


def build_thread(obj: Any, *, default_id: str = "t1") -> tuple[Thread, list[Problem]]:
    """A Thread from a CONTRACT.md object, repaired where it can be, and what was repaired or
    skipped; ValueError says why no thread can be made (not an object, no 'comments' list)."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, found {_kind(obj)}")
    comments_raw = obj.get("comments")
    if comments_raw is None:
        raise ValueError("thread has no 'comments' list")
    if not isinstance(comments_raw, list):
        raise ValueError(f"'comments' is {_kind(comments_raw)}, not a list")
    problems: list[Problem] = []
    comments = tuple(c for c in (comment_from_dict(raw, pos=i + 1, problems=problems)
                                 for i, raw in enumerate(comments_raw)) if c is not None)
    warnings = obj.get("warnings") or []
    if not isinstance(warnings, list):
        warnings = [warnings]
    tid = _opt_str(obj.get("thread_id"), "thread_id", problems)
    thread = Thread(thread_id=tid or default_id, comments=comments,
                    source=_opt_str(obj.get("source"), "source", problems),
                    format=_opt_str(obj.get("format"), "format", problems) or "jsonl",
                    target=_opt_str(obj.get("target"), "target", problems),
                    article=_article(obj.get("article"), problems),
                    warnings=tuple(_json_text(w) or json.dumps(w) for w in warnings))
    notes = [(f"comment {cid!r}: " if cid else "") + message + ("; skipped" if skipped else "")
             for message, cid, skipped in problems]
    return (thread.with_warnings(*notes) if notes else thread), problems


def thread_from_dict(obj: dict[str, Any], *, default_id: str = "t1") -> Thread:
    """Build a Thread from a CONTRACT.md object (repairs and skips are in its warnings); raise
    ValueError with what is wrong when no thread can be made."""
    return build_thread(obj, default_id=default_id)[0]


def looks_like_thread(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("comments"), list)


def thread_from_line(line: str, number: int, notes: FileNotes, default_id: str
                     ) -> Thread | None:
    """One thread JSONL line as a clean thread, or None when it holds none; every repair and
    skip is a warning naming file, line and comment (`notes`)."""
    try:
        obj, repaired = load_json_line(line)
        thread, problems = build_thread(obj, default_id=default_id)
    except ValueError as exc:
        notes.skip(str(exc), number)
        return None
    for message, cid, skipped in problems:
        (notes.skip if skipped else notes.repair)(message, number, cid)
    if repaired:
        thread = thread.with_warnings(encoding_warning(repaired))
        notes.repair(UNENCODABLE, number)
    thread, messages = clean_thread(thread)
    for message in messages:
        notes.repair(message, number)
    return thread


def threads_from_lines(lines: Iterable[tuple[int, str]], source: str) -> Iterator[Thread]:
    """Thread JSONL lines as threads; a bad line or comment is skipped with a warning, and only
    a file none of whose lines holds a thread is an InputError (naming its first bad line)."""
    stem = Path(str(source)).stem or "stdin"
    notes = FileNotes(source, held=True)  # warnings wait for the first good thread
    first_bad: tuple[int, str] | None = None
    try:
        for number, line in lines:
            if not line.strip():
                continue
            thread = thread_from_line(line, number, notes, f"{stem}-{number}")
            if thread is None:
                first_bad = first_bad or (number, notes.last)
                continue
            notes.release()
            yield thread
    finally:
        notes.close()
    if first_bad is not None and notes.holding:
        raise InputError(f"{first_bad[1]} (and no other line holds a thread)", path=source,
                         line=first_bad[0])
    notes.release()  # a file of blank lines and nothing else


def read_threads(path: str | Path) -> Iterator[Thread]:
    """Lazily read thread JSONL (see `threads_from_lines`)."""
    return threads_from_lines(iter_lines(path), str(path))


def threads_from_text(text: str, source: str) -> Iterator[Thread]:
    """Thread JSONL already in memory (lines end at "\\n" only: U+2028 and friends are legal
    inside JSON strings)."""
    return threads_from_lines(enumerate(text.split("\n"), start=1), source)


def write_thread_line(handle: IO[str], thread: Thread) -> None:
    handle.write(dumps(thread.to_dict()) + "\n")


def write_threads(threads: Iterable[Thread], path: str | Path) -> int:
    """Write threads as JSONL atomically; return how many were written."""
    count = 0
    with atomic_writer(path) as handle:
        for thread in threads:
            write_thread_line(handle, thread)
            count += 1
    return count
