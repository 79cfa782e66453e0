"""Entry point of the parsing stage: any supported input path -> repaired `Thread`s.

Formats register a reader here; `--format auto` sniffs the file name and content.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.io import STDIO, decode_text, load_json_line, read_bytes
from stance.thread import jsonl
from stance.thread.model import Thread
from stance.thread.sanitize import clean_thread
from stance.thread.tree import repair

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """Settings for parsing, passed as one object."""

    format: str = "auto"
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParseOptions:
        return cls(**{k: v for k, v in data.items() if k in cls.__slots__})


#: A reader turns decoded text into threads; `source` is the path it came from.
Reader = Callable[[str, str, ParseOptions], list[Thread]]
_READERS: dict[str, Reader] = {}
_SNIFFERS: list[Callable[[str, str], str | None]] = []


def register(name: str, reader: Reader) -> None:
    _READERS[name] = reader


def register_sniffer(sniffer: Callable[[str, str], str | None]) -> None:
    """A sniffer gets (file name, first 64 kB of text) and returns a format name or None."""
    _SNIFFERS.append(sniffer)


def available_formats() -> list[str]:
    _load_builtin_formats()
    return ["auto", "jsonl", *sorted(_READERS)]


def _load_builtin_formats() -> None:
    # Imported for their side effect of registering readers; kept lazy so `--help` stays fast.
    try:
        import stance.thread.formats  # noqa: F401
    except ImportError:  # pragma: no cover - formats package not present yet
        pass


def _is_jsonl(name: str, head: str) -> bool:
    if name.endswith((".jsonl", ".ndjson")):
        return True
    first = head.lstrip()[:1]
    if first != "{":
        return False
    line = head.lstrip().split("\n", 1)[0]
    try:
        obj, _ = load_json_line(line)
    except ValueError:
        return False
    # A line with thread keys is thread JSONL even when malformed: validation then names the
    # line and what is wrong with it, instead of reading the JSON as prose.
    return isinstance(obj, dict) and (jsonl.looks_like_thread(obj) or "thread_id" in obj
                                      or "comments" in obj)


def detect_format(name: str, head: str) -> str:
    _load_builtin_formats()
    if _is_jsonl(name, head):
        return "jsonl"
    for sniffer in _SNIFFERS:
        found = sniffer(name, head)
        if found:
            return found
    return "text" if "text" in _READERS else "jsonl"


#: The warning on a page from which nothing was read (too short, or all of it chrome).
NOTHING_FOUND = "no article and no comments were found for this thread"


def _finish(thread: Thread, options: ParseOptions, extra: list[str]) -> Thread:
    if options.target and not thread.target:
        thread = replace(thread, target=options.target)
    if extra:
        thread = thread.with_warnings(*extra)
    thread, repaired = clean_thread(thread)  # a no-op for thread JSONL, cleaned on read
    for message in repaired:
        logger.warning("%s, thread %r: %s", thread.source or "input", thread.thread_id, message)
    return repair(thread)


def parse_path(path: str | Path, options: ParseOptions = ParseOptions()) -> Iterator[Thread]:
    """Parse one input; thread JSONL streams lazily, other formats are read whole."""
    name = str(path)
    fmt = options.format
    if fmt == "jsonl" or (fmt == "auto" and name.endswith((".jsonl", ".ndjson"))):
        for thread in jsonl.read_threads(path):
            yield _finish(thread, options, [])
        return
    data = read_bytes(path)
    text, warnings = decode_text(data)
    yield from parse_text(text, options, source=name, warnings=warnings)


def parse_text(text: str, options: ParseOptions = ParseOptions(), *, source: str = STDIO,
               warnings: list[str] | None = None) -> Iterator[Thread]:
    """Parse input already in memory (any format: `options.format`, or sniffed for "auto").

    `source` names it in errors and in the threads; `warnings` (from decoding) are added to
    every thread.
    """
    extra = list(warnings or [])
    if not text.strip():
        raise InputError("is empty: there is nothing to parse", path=source)
    fmt = options.format
    if fmt == "auto":
        fmt = detect_format(Path(source).name.lower() if source != STDIO else "", text[:65536])
        if fmt == "jsonl" and not _is_jsonl(source.lower(), text[:65536]):
            raise InputError("is not thread JSONL and no other format reader matched it",
                             path=source)
    if fmt == "jsonl":
        for thread in jsonl.threads_from_text(text, source):
            yield _finish(thread, options, extra)
        return
    _load_builtin_formats()
    reader = _READERS.get(fmt)
    if reader is None:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(available_formats())}")
    for thread in reader(text, source, options):
        found = thread.comments or (thread.article is not None
                                    and (thread.article.text or thread.article.title))
        yield _finish(thread, options, extra if found else [*extra, NOTHING_FOUND])


def parse_paths(paths: list[str] | list[Path], options: ParseOptions = ParseOptions()
                ) -> Iterator[Thread]:
    for path in paths:
        yield from parse_path(path, options)
