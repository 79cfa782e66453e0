"""Crash-safe JSONL output: write `OUTPUT.partial`, rename to `OUTPUT` only when complete.

Records go to the partial file in input order, flushed every `flush_every` records and fsynced
at most once a second, so a run killed even by SIGKILL leaves a partial file that is a prefix of
the output, possibly with one torn last line. `--resume` drops that torn line, skips the comments
already written (checking that they are the same comments, in the same order) and appends the
rest. Without `--resume`, an old partial file is replaced.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from stance.errors import InputError

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"


def partial_path(output: str | Path) -> Path:
    path = Path(output)
    return path.with_name(path.name + PARTIAL_SUFFIX)


def _valid_prefix(path: Path, model_tag: str | None) -> tuple[int, int]:
    """(bytes, records) of the partial file's leading run of complete, valid records."""
    good = count = 0
    with open(path, "rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            try:
                obj = json.loads(raw)
                key_ok = isinstance(obj["thread_id"], str) and isinstance(obj["comment_id"], str)
            except (ValueError, KeyError, TypeError):
                break
            if not key_ok:
                break
            if model_tag is not None and obj.get("model") != model_tag:
                raise InputError(f"was written by model {obj.get('model')!r}, not {model_tag!r}; "
                                 "rerun without --resume to start over", path=str(path),
                                 line=count + 1)
            good += len(raw)
            count += 1
    return good, count


def _keys(path: Path, limit: int) -> Iterator[tuple[str, str]]:
    """(thread_id, comment_id) of the first `limit` bytes' records, read lazily."""
    with open(path, "rb") as handle:
        read = 0
        for raw in handle:
            read += len(raw)
            if read > limit:
                return
            obj = json.loads(raw)
            yield obj["thread_id"], obj["comment_id"]


class PartialWriter:
    """Appends JSONL lines to OUTPUT.partial; `commit` moves it to OUTPUT atomically."""

    def __init__(self, output: str | Path, *, resume: bool = False, model_tag: str | None = None,
                 flush_every: int = 64, fsync_seconds: float = 1.0):
        self.output = Path(output)
        self.partial = partial_path(output)
        self.flush_every = flush_every
        self.fsync_seconds = fsync_seconds
        self.done = 0  # records already in the partial file from an earlier run
        self.written = 0
        self.output.parent.mkdir(parents=True, exist_ok=True)
        end = 0
        if resume and self.partial.exists():
            end, self.done = _valid_prefix(self.partial, model_tag)
            size = self.partial.stat().st_size
            if size > end:
                logger.warning("dropping %d byte(s) of a torn last record from %s",
                               size - end, self.partial)
            logger.info("resuming: %d record(s) already in %s", self.done, self.partial)
        elif resume:
            logger.info("nothing to resume (no %s); starting from the beginning", self.partial)
        self._end = end
        self._handle: IO[bytes] = open(self.partial, "r+b" if end else "wb")  # noqa: SIM115
        self._handle.truncate(end)
        self._handle.seek(end)
        self._fsynced = time.monotonic()

    def done_keys(self) -> Iterator[tuple[str, str]]:
        """Keys of the records kept from the earlier run, in order (lazily, from disk)."""
        return _keys(self.partial, self._end)

    def write(self, line: str) -> None:
        self._handle.write(line.encode("utf-8") + b"\n")
        self.written += 1
        if self.written % self.flush_every == 0:
            self._handle.flush()
            if time.monotonic() - self._fsynced >= self.fsync_seconds:
                os.fsync(self._handle.fileno())
                self._fsynced = time.monotonic()

    def commit(self) -> Path:
        """Flush, fsync and rename OUTPUT.partial to OUTPUT."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self.partial, self.output)
        _fsync_dir(self.output.parent)
        return self.output

    def close(self) -> None:
        """Stop without committing: the partial file stays for `--resume`."""
        if not self._handle.closed:
            self._handle.flush()
            self._handle.close()


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
