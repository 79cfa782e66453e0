"""Small I/O helpers shared by every stage: atomic writes, robust text reads, JSONL."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from stance.errors import InputError

STDIO = "-"


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
    """Yield (line number, object) for each non-blank line; a bad line is a one-sentence error."""
    for number, line in iter_lines(path):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})",
                             path=str(path), line=number) from None
        if not isinstance(obj, dict):
            raise InputError(f"expected a JSON object, found {type(obj).__name__}",
                             path=str(path), line=number)
        yield number, obj


def dumps(obj: Any) -> str:
    """One compact JSON line, UTF-8 kept readable."""
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
