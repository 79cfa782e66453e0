"""Deterministic shards of a thread corpus, and reading a shard back as `Thread`s.

A shard is the unit of distribution and of resume: a byte range of a thread JSONL file (the
threads whose line starts inside it), a run of row groups of a thread Parquet file, or a whole
raw page/export (parsed like `stance parse` does). The plan depends only on the inputs and the
shard size, so a rerun finds the same shards and can skip the finished ones.

Paths are local paths or URIs that pyarrow understands (`s3://`, `gs://`, `hdfs://`): on a
cluster, inputs must live where every worker can read them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stance.errors import InputError
from stance.io import STDIO, FileNotes
from stance.thread.jsonl import build_thread, thread_from_line
from stance.thread.model import Thread
from stance.thread.parse import ParseOptions, parse_path
from stance.thread.sanitize import clean_thread
from stance.thread.tree import repair

if TYPE_CHECKING:
    from pyarrow.fs import FileSystem

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
#: Default shard size: about 100k comments of typical length, a minute or two on one GPU.
DEFAULT_SHARD_BYTES = 64 * 1024 * 1024
_READ_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work. `source` is the input as the user named it (for messages and default
    thread ids); `location` is what a worker opens (an absolute path or a URI)."""

    index: int
    source: str
    location: str
    kind: str  # "jsonl" | "parquet" | "raw"
    #: jsonl: byte range [start, end); parquet: row groups [start, end); raw: unused (0, 0).
    start: int = 0
    end: int = 0
    #: parquet: number of rows in the file before this shard (for default thread ids).
    first_row: int = 0
    #: Input file size, so a resumed run notices an input that changed underneath it.
    size: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Shard:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def is_uri(path: str) -> bool:
    return "://" in path


def resolve(path: str) -> tuple[FileSystem, str]:
    """The pyarrow filesystem for a local path or URI, and the path inside it."""
    from pyarrow import ArrowInvalid
    from pyarrow.fs import FileSystem, LocalFileSystem

    if not is_uri(path):
        return LocalFileSystem(), str(Path(path).expanduser().resolve())
    try:
        return FileSystem.from_uri(path)
    except (ArrowInvalid, OSError) as exc:
        raise InputError(f"cannot open this storage location ({exc})", path=path) from None


def location_of(path: str) -> str:
    """What a worker should open for `path`: an absolute local path, or the URI unchanged."""
    return path if is_uri(path) else str(Path(path).expanduser().resolve())


def _child_location(parent: str, parent_path: str, child_path: str) -> tuple[str, str]:
    """(source, location) of a file found under a directory or prefix."""
    rel = os.path.relpath(child_path, parent_path)
    if is_uri(parent):
        location = parent.rstrip("/") + "/" + rel.replace(os.sep, "/")
        return location, location
    return os.path.join(parent, rel), child_path


def list_inputs(inputs: list[str]) -> list[tuple[str, str, int]]:
    """Expand inputs into (source, location, size) files; a directory or prefix contributes
    its thread JSONL and Parquet files, sorted by path."""
    from pyarrow.fs import FileSelector, FileType

    files: list[tuple[str, str, int]] = []
    for source in inputs:
        if source == STDIO:
            raise InputError("the ray engine cannot read stdin; give input files or directories")
        fs, path = resolve(source)
        info = fs.get_file_info(path)
        if info.type == FileType.NotFound:
            raise InputError("no such file or directory", path=source)
        if info.type == FileType.File:
            if is_uri(source) and not source.endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES):
                raise InputError("remote inputs must be thread JSONL (.jsonl, .ndjson) or "
                                 "Parquet (.parquet); run 'stance parse' on raw pages first",
                                 path=source)
            files.append((source, location_of(source), info.size or 0))
            continue
        found = sorted((entry for entry in fs.get_file_info(FileSelector(path, recursive=True))
                        if entry.type == FileType.File
                        and entry.base_name.endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES)),
                       key=lambda entry: entry.path)
        if not found:
            raise InputError("holds no thread JSONL (.jsonl, .ndjson) or Parquet (.parquet) "
                             "files", path=source)
        for entry in found:
            child_source, child_location = _child_location(source, path, entry.path)
            files.append((child_source, child_location, entry.size or 0))
    return files


def plan_shards(inputs: list[str], shard_bytes: int = DEFAULT_SHARD_BYTES) -> list[Shard]:
    """Split the inputs into shards, numbered in input order."""
    if shard_bytes < 1:
        raise InputError(f"shard size must be at least one byte, not {shard_bytes}")
    shards: list[Shard] = []
    for source, location, size in list_inputs(inputs):
        base = Shard(index=0, source=source, location=location, kind="raw", size=size)
        if source.endswith(JSONL_SUFFIXES):
            starts = range(0, max(size, 1), shard_bytes)
            pieces = [replace(base, kind="jsonl", start=s, end=min(s + shard_bytes, size))
                      for s in starts]
        elif source.endswith(PARQUET_SUFFIXES):
            pieces = _parquet_pieces(base, shard_bytes)
        else:
            pieces = [base]
        for piece in pieces:
            shards.append(replace(piece, index=len(shards)))
    return shards


def _parquet_pieces(base: Shard, shard_bytes: int) -> list[Shard]:
    """Runs of consecutive row groups, each about `shard_bytes` (at least one group)."""
    meta = _parquet_file(base).metadata
    if "comments" not in meta.schema.to_arrow_schema().names:
        raise InputError("has no 'comments' column, so it is not thread Parquet",
                         path=base.source)
    pieces: list[Shard] = []
    start, rows, first_row, nbytes = 0, 0, 0, 0
    for group in range(meta.num_row_groups):
        nbytes += meta.row_group(group).total_byte_size
        rows += meta.row_group(group).num_rows
        if nbytes >= shard_bytes or group == meta.num_row_groups - 1:
            pieces.append(replace(base, kind="parquet", start=start, end=group + 1,
                                  first_row=first_row))
            start, first_row, nbytes = group + 1, rows, 0
    return pieces or [replace(base, kind="parquet")]


def _parquet_file(shard: Shard) -> Any:
    import pyarrow.parquet as pq
    from pyarrow import ArrowException

    fs, path = resolve(shard.location)
    try:
        return pq.ParquetFile(fs.open_input_file(path))
    except (ArrowException, OSError) as exc:
        raise InputError(f"is not a readable Parquet file ({exc})", path=shard.source) from None


class ShardNotes(FileNotes):
    """The warnings of one shard read in a Ray worker: counted and kept (the first `keep`),
    not logged, so that the driver reports them as `stance label` does
    (`ray_engine.report_notes`)."""

    def __init__(self, source: str, keep: int = 20) -> None:
        super().__init__(source, named=0)
        self.keep = keep
        self.kept: list[list[Any]] = []

    def _note(self, skipped: bool, message: str, line: int | None, comment: str | None) -> None:
        if skipped:
            self.skipped += 1
        else:
            self.repaired += 1
        if len(self.kept) < self.keep:
            self.kept.append([skipped, message, line, comment])

    def to_dict(self) -> dict[str, Any]:
        """What a shard's marker records: counts, and the first notes in input order."""
        return {"skipped": self.skipped, "repaired": self.repaired, "notes": self.kept}


def read_shard(shard: Shard, options: ParseOptions | None = None,
               notes: FileNotes | None = None) -> Iterator[Thread]:
    """The shard's threads in input order, checked and repaired as `stance parse` does: a line
    or row that holds no thread is skipped, and each skip or repair goes to `notes` (by
    default logged as a warning naming file and line)."""
    options = options or ParseOptions()
    notes = notes if notes is not None else FileNotes(shard.source)
    if shard.kind == "raw":
        yield from parse_path(shard.location, replace(options, format="auto"))
        return
    stem = Path(shard.source.rstrip("/")).stem
    if shard.kind == "jsonl":
        for number, text in _jsonl_lines(shard):
            thread = thread_from_line(text, number, notes, f"{stem}-{number}")
            if thread is not None:
                yield _finish(thread, options)
    elif shard.kind == "parquet":
        for number, obj in _parquet_rows(shard):
            try:
                thread, problems = build_thread(obj, default_id=f"{stem}-{number}")
            except ValueError as exc:
                notes.skip(f"row {number}: {exc}")
                continue
            for message, cid, skipped in problems:
                (notes.skip if skipped else notes.repair)(f"row {number}: {message}", None, cid)
            thread, cleaned = clean_thread(thread)
            for message in cleaned:
                notes.repair(f"row {number}: {message}")
            yield _finish(thread, options)
    else:
        raise InputError(f"unknown shard kind {shard.kind!r}", path=shard.source)


def _finish(thread: Thread, options: ParseOptions) -> Thread:
    """The same finishing steps as stance.thread.parse for a JSONL input."""
    if options.target and not thread.target:
        thread = replace(thread, target=options.target)
    return repair(thread)


def _jsonl_lines(shard: Shard) -> Iterator[tuple[int, str]]:
    """(line number, text) for each non-blank line that starts in the shard.

    Line numbers (for default thread ids and messages) are counted from the top of the file
    only when a shard that starts mid-file first needs one.
    """
    first_line: list[int] = []
    for lines_before, (offset, raw) in enumerate(_line_range(shard)):
        if lines_before == 0:
            first_offset = offset
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not text.strip():
            continue
        if not first_line:
            first_line.append(_count_newlines(shard, first_offset) + 1)
        yield first_line[0] + lines_before, text


def _line_range(shard: Shard) -> Iterator[tuple[int, bytes]]:
    """(offset, raw line) for each line whose first byte lies in [start, end), in file order.

    A shard that starts mid-line leaves that line to the shard before it, which reads past
    its own end to finish it: every line belongs to exactly one shard.
    """
    fs, path = resolve(shard.location)
    with fs.open_input_file(path) as raw_file:
        pos = shard.start
        if pos > 0:
            raw_file.seek(pos - 1)
        reader = io.BufferedReader(raw_file, _READ_CHUNK)
        if pos > 0:
            pos += len(reader.readline()) - 1
        while pos < shard.end:
            line = reader.readline()
            if not line:
                break
            yield pos, line
            pos += len(line)


def _count_newlines(shard: Shard, upto: int) -> int:
    if upto == 0:
        return 0
    fs, path = resolve(shard.location)
    count = 0
    with fs.open_input_file(path) as handle:
        left = upto
        while left > 0:
            chunk = handle.read(min(_READ_CHUNK, left))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def _parquet_rows(shard: Shard) -> Iterator[tuple[int, dict[str, Any]]]:
    parquet = _parquet_file(shard)
    number = shard.first_row
    for group in range(shard.start, shard.end):
        for row in parquet.read_row_group(group).to_pylist():
            number += 1
            yield number, _plain(row)


def _plain(value: Any) -> Any:
    """Parquet values as JSON would give them: timestamps become ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    isoformat: Callable[[], str] | None = getattr(value, "isoformat", None)
    return isoformat() if isoformat is not None else value
