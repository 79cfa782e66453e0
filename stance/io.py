"""Small I/O helpers shared by every stage: atomic writes, robust text reads, JSONL, and the one
place that decides which characters a text may hold (`clean_text`)."""

from __future__ import annotations

import contextlib
import contextvars
import gzip
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from stance.errors import InputError

logger = logging.getLogger(__name__)

STDIO = "-"

# Characters no stage can take: lone surrogates (not encodable as UTF-8, and the tokenizer
# rejects them), control characters other than tab, newline and carriage return, and the Unicode
# non-characters. Separator-like controls become a space, the others are removed; surrogates
# (after pairing any that form a valid pair) and non-characters become U+FFFD.
_SPACE_LIKE = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_BMP_BAD = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_NONCHARS = "".join(chr(p << 16 | 0xFFFE) + chr(p << 16 | 0xFFFF) for p in range(1, 17))
_BAD_BMP = re.compile(f"[{_BMP_BAD}]")  # fast; with the 32 astral ones ~10x slower
_MAYBE_ASTRAL = re.compile("[\U0001fffe-\U0010ffff]")
_BAD = re.compile(f"[{_BMP_BAD}{_ASTRAL_NONCHARS}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What `clean_text` did, in words (thread warnings and log lines say this).
UNENCODABLE = ("text that cannot be encoded (lone surrogates, control characters or "
               "non-characters) was repaired: replaced with U+FFFD or removed")


def _replacement(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SPACE_LIKE:
        return " "
    return "" if char < "\ua000" else "\ufffd"


def clean_text(text: str) -> str:
    """`text` with every character no stage can encode repaired (the same object when none)."""
    if _BAD_BMP.search(text) is None and (
            text.isascii() or _MAYBE_ASTRAL.search(text) is None or _BAD.search(text) is None):
        return text
    if _SURROGATE.search(text) is not None:
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _BAD.sub(_replacement, text)


def clean_json(value: Any) -> tuple[Any, int]:
    """Clean every string (keys too) of a decoded JSON value in place, without recursion;
    returns the value and how many strings changed."""
    if isinstance(value, str):
        cleaned = clean_text(value)
        return cleaned, int(cleaned is not value)
    changed = 0
    stack: list[Any] = [value] if isinstance(value, dict | list) else []
    while stack:
        node = stack.pop()
        pairs = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, item in pairs:
            if isinstance(item, str):
                cleaned = clean_text(item)
                if cleaned is not item:
                    node[key] = cleaned
                    changed += 1
            elif isinstance(item, dict | list):
                stack.append(item)
            if isinstance(node, dict) and isinstance(key, str):
                new_key = clean_text(key)
                if new_key is not key:
                    node[new_key] = node.pop(key)
                    changed += 1
    return value, changed


def load_json_line(line: str) -> tuple[Any, int]:
    """One JSONL line as (value, strings repaired), every string cleaned (`clean_text`);
    ValueError says in words why a line is not JSON."""
    cleaned = clean_text(line)
    repaired = int(cleaned is not line)
    cleaned = cleaned.lstrip("\ufeff")  # a byte-order mark left at the start of a line
    try:
        value = json.loads(cleaned, strict=False)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ValueError(f"not valid JSON ({exc})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
    if "\\" in cleaned:  # an escape (\u0000, \ud800, \f ...) can decode to anything
        value, changed = clean_json(value)
        repaired += changed
    return value, repaired


@dataclass(slots=True)
class InputNotes:
    """What the readers of one command repaired and skipped (`collect_input_notes`)."""

    skipped: int = 0  # records (lines or comments) dropped
    repaired: int = 0  # records changed
    files: dict[str, int] = field(default_factory=dict)  # skipped records per file

    def summary(self) -> str:
        where = ", ".join(f"{n} in {name}" for name, n in list(self.files.items())[:5])
        more = len(self.files) - 5
        return (f"{self.skipped} bad input record(s) skipped ({where}"
                f"{f' and {more} more file(s)' if more > 0 else ''})")


_NOTES: contextvars.ContextVar[InputNotes | None] = contextvars.ContextVar("stance_input_notes",
                                                                          default=None)


@contextlib.contextmanager
def collect_input_notes() -> Iterator[InputNotes]:
    """Count what readers skip and repair while the block runs (the CLI's exit code uses it)."""
    notes = InputNotes()
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


class FileNotes:
    """Warnings about the records of one input file: each one logged, naming file, line and
    comment, up to `named` of them (then one line says how many more), and counted in the
    active `collect_input_notes` block.

    With `held=True` nothing is logged or counted until `release()`: a reader that finds no
    good record at all raises one InputError instead of a warning per line.
    """

    def __init__(self, path: str | Path, named: int = 20, held: bool = False):
        self.path = str(path)
        self.named = named
        self.logged = 0
        self.skipped = 0
        self.repaired = 0
        self.last = ""  # the last skip's message
        self._held: list[tuple[bool, str, int | None, str | None]] | None = [] if held else None

    def skip(self, message: str, line: int | None = None, comment: str | None = None) -> None:
        self.last = message
        self._note(True, message, line, comment)

    def repair(self, message: str, line: int | None = None, comment: str | None = None) -> None:
        self._note(False, message, line, comment)

    @property
    def holding(self) -> bool:
        return self._held is not None

    def release(self) -> None:
        """Log and count what was held."""
        held, self._held = self._held or [], None
        for note in held:
            self._note(*note)

    def _note(self, skipped: bool, message: str, line: int | None, comment: str | None) -> None:
        if self._held is not None:
            self._held.append((skipped, message, line, comment))
            return
        notes = _NOTES.get()
        if skipped:
            self.skipped += 1
            message += "; skipped"
            if notes is not None:
                notes.skipped += 1
                notes.files[self.path] = notes.files.get(self.path, 0) + 1
        else:
            self.repaired += 1
            if notes is not None:
                notes.repaired += 1
        self.logged += 1
        if self.logged <= self.named:
            logger.warning("%s: %s", self.where(line, comment), message)

    def tally(self, skipped: int, repaired: int) -> None:
        """Count records skipped or repaired elsewhere (in a Ray worker) that are not named
        one by one; `close` then says how many were not named."""
        skipped, repaired = max(skipped, 0), max(repaired, 0)
        if not skipped and not repaired:
            return
        self.skipped += skipped
        self.repaired += repaired
        notes = _NOTES.get()
        if notes is not None:
            notes.skipped += skipped
            notes.repaired += repaired
            if skipped:
                notes.files[self.path] = notes.files.get(self.path, 0) + skipped
        self.logged = max(self.logged, self.named) + skipped + repaired

    def where(self, line: int | None, comment: str | None = None) -> str:
        at = f", line {line}" if line is not None else ""
        return f"{self.path}{at}" + (f", comment {comment!r}" if comment is not None else "")

    def close(self) -> None:
        """Say how many warnings were not shown one by one."""
        if self.logged > self.named:
            logger.warning("%s: %d more record(s) repaired or skipped, not named above "
                           "(%d skipped and %d repaired in all)", self.path,
                           self.logged - self.named, self.skipped, self.repaired)


@contextlib.contextmanager
def atomic_writer(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path` and move it into place only on success.

    `path == "-"` writes to stdout. A crash leaves the old file (or none) untouched.
    """
    if str(path) == STDIO:
        yield sys.stdout.buffer if "b" in mode else sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, _default_mode())  # mkstemp makes 0600; outputs get the usual umask mode
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _default_mode() -> int:
    return 0o666 & ~_umask()


def default_dir_mode() -> int:
    """What `mkdir` would give a directory here: `mkdtemp` makes 0700, outputs get this."""
    return 0o777 & ~_umask()


def read_bytes(path: str | Path) -> bytes:
    """Read a whole input file (or stdin for "-"), with a one-sentence error when it cannot be."""
    if str(path) == STDIO:
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", path=str(path))
    if p.is_dir():
        raise InputError("is a directory, not a file", path=str(path))
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", path=str(path)) from exc


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (BOM tolerated); invalid bytes become U+FFFD with a warning."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        warnings.append("input was not valid UTF-8; undecodable bytes were replaced with U+FFFD")
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL characters were removed from the input")
    return text, warnings


def iter_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) lazily from a UTF-8 file (gzipped if `.gz`) or stdin, decoding with
    replacement."""
    if str(path) == STDIO:
        stream: IO[bytes] | gzip.GzipFile = sys.stdin.buffer
        close = False
    else:
        p = Path(path)
        if not p.exists():
            raise InputError("no such file", path=str(path))
        if p.is_dir():
            raise InputError("is a directory, not a file", path=str(path))
        try:
            # A gzipped input (`.gz`) is read transparently.
            stream = gzip.open(p, "rb") if p.suffix == ".gz" else open(p, "rb")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror or exc})", path=str(path)) from exc
        close = True
    try:
        for number, raw in enumerate(stream, start=1):
            yield number, raw.decode("utf-8", errors="replace").rstrip("\r\n")
    finally:
        if close:
            stream.close()


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; a bad line is a one-sentence error.

    Strings come back cleaned (`clean_text`), with a warning per repaired line.
    """
    notes = FileNotes(path)
    try:
        for number, line in iter_lines(path):
            if not line.strip():
                continue
            try:
                obj, repaired = load_json_line(line)
            except ValueError as exc:
                raise InputError(str(exc), path=str(path), line=number) from None
            if not isinstance(obj, dict):
                raise InputError(f"expected a JSON object, found {type(obj).__name__}",
                                 path=str(path), line=number)
            if repaired:
                notes.repair(UNENCODABLE, number)
            yield number, obj
    finally:
        notes.close()


def dumps(obj: Any) -> str:
    """One compact JSON line, UTF-8 kept readable."""
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
