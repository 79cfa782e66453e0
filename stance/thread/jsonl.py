"""Thread JSONL (CONTRACT.md): one thread object per line, read lazily, written atomically."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from stance.errors import InputError
from stance.io import atomic_writer, dumps, iter_jsonl
from stance.thread.model import Article, Comment, Thread


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def comment_from_dict(obj: Any, *, where: str, pos: int) -> Comment:
    if not isinstance(obj, dict):
        raise ValueError(f"comment {pos} is not an object")
    text = obj.get("text")
    if text is None:
        raise ValueError(f"comment {pos} has no 'text'")
    cid = obj.get("id")
    if cid is None or cid == "":
        cid = ""  # repaired (numbered) by tree.repair
    return Comment(id=str(cid), text=str(text), parent_id=_opt_str(obj.get("parent_id")),
                   author=_opt_str(obj.get("author")), timestamp=_opt_str(obj.get("timestamp")))


def thread_from_dict(obj: dict[str, Any], *, default_id: str = "t1") -> Thread:
    """Build a Thread from a CONTRACT.md object; raise ValueError with what is wrong."""
    comments_raw = obj.get("comments")
    if comments_raw is None:
        raise ValueError("thread has no 'comments' list")
    if not isinstance(comments_raw, list):
        raise ValueError("'comments' is not a list")
    comments = tuple(comment_from_dict(c, where="", pos=i + 1) for i, c in enumerate(comments_raw))
    article_raw = obj.get("article")
    article = None
    if isinstance(article_raw, dict):
        article = Article(title=_opt_str(article_raw.get("title")),
                          text=str(article_raw.get("text") or ""),
                          author=_opt_str(article_raw.get("author")),
                          published=_opt_str(article_raw.get("published")))
    elif article_raw is not None:
        raise ValueError("'article' is neither an object nor null")
    warnings = obj.get("warnings") or []
    if not isinstance(warnings, list):
        warnings = [str(warnings)]
    tid = obj.get("thread_id")
    return Thread(thread_id=str(tid) if tid not in (None, "") else default_id,
                  comments=comments, source=_opt_str(obj.get("source")),
                  format=_opt_str(obj.get("format")) or "jsonl",
                  target=_opt_str(obj.get("target")), article=article,
                  warnings=tuple(str(w) for w in warnings))


def looks_like_thread(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("comments"), list)


def read_threads(path: str | Path) -> Iterator[Thread]:
    """Lazily read thread JSONL; a malformed line is an InputError naming file and line."""
    number = 0
    lines = iter_jsonl(path)
    while True:
        try:
            number, obj = next(lines)
        except StopIteration:
            return
        except RecursionError:
            raise InputError("JSON nested too deeply to read (a thread line holds a flat "
                             "'comments' list)", path=str(path), line=number + 1) from None
        try:
            yield thread_from_dict(obj, default_id=f"{Path(str(path)).stem}-{number}")
        except ValueError as exc:
            raise InputError(str(exc), path=str(path), line=number) from None


def threads_from_text(text: str, source: str) -> Iterator[Thread]:
    """Thread JSONL already in memory; a bad line is an InputError naming source and line."""
    stem = Path(str(source)).stem or "stdin"
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})", path=source,
                             line=number) from None
        except RecursionError:
            raise InputError("JSON nested too deeply to read (a thread line holds a flat "
                             "'comments' list)", path=source, line=number) from None
        if not isinstance(obj, dict):
            raise InputError(f"expected a JSON object, found {type(obj).__name__}", path=source,
                             line=number)
        try:
            yield thread_from_dict(obj, default_id=f"{stem}-{number}")
        except ValueError as exc:
            raise InputError(str(exc), path=source, line=number) from None


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
