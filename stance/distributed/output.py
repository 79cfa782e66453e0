"""The sharded output of a distributed run, and resuming it shard by shard.

An output directory (a local path or a URI such as `s3://bucket/labels/`) holds

    part-00000.jsonl   label records of shard 0, in input order
    part-00000.done    JSON marker written after its part: the shard, counts, settings
    manifest.json      written when every shard is done: the shards in order with counts

A part is written to a temporary name and renamed into place (object stores publish an object
only when its upload completes), and its marker comes after it, so a marker means a complete
part. `--resume` skips shards whose marker matches the planned shard and the run's settings.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from stance.distributed.shards import Shard, is_uri, resolve
from stance.errors import InputError
from stance.io import STDIO, atomic_writer, dumps

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_MERGED_SUFFIXES = (".jsonl", ".ndjson", ".json")


def part_name(index: int) -> str:
    return f"part-{index:05d}.jsonl"


def marker_name(index: int) -> str:
    return f"part-{index:05d}.done"


def join(directory: str, name: str) -> str:
    return directory.rstrip("/") + "/" + name if is_uri(directory) else str(Path(directory) / name)


@dataclass(frozen=True, slots=True)
class OutputPlan:
    """Where the shards go and, when the user named a file, where they are merged."""

    shard_dir: str
    merged: str | None = None
    #: The shard directory is ours to delete once merged (a temporary or a `.parts` folder).
    owned: bool = False


def plan_output(output: str, *, resume: bool) -> OutputPlan:
    """`-` merges to stdout from a temporary directory; an existing file, or a new path ending
    in .jsonl/.ndjson/.json, is a merged file built from `FILE.parts/`; anything else (a
    directory, new or not, or a URI prefix) keeps the shards."""
    if output == STDIO:
        if resume:
            raise InputError("--resume needs --output naming a directory or file, not stdout")
        return OutputPlan(tempfile.mkdtemp(prefix="stance-ray-"), merged=STDIO, owned=True)
    if Path(output).is_file() or (output.endswith(_MERGED_SUFFIXES)
                                  and not Path(output).is_dir()):
        if is_uri(output):
            raise InputError("a remote output must be a directory prefix (shards are written "
                             "there); merge them with 'cat' if you need one file", path=output)
        parts = Path(output).with_name(Path(output).name + ".parts")
        return OutputPlan(str(parts), merged=output, owned=True)
    return OutputPlan(output)


@contextlib.contextmanager
def _open_atomic(location: str) -> Iterator[IO[str]]:
    """A text handle whose content appears at `location` only if the block succeeds."""
    if not is_uri(location):
        with atomic_writer(location) as handle:
            yield handle
        return
    fs, path = resolve(location)
    tmp = f"{path.rsplit('/', 1)[0]}/_tmp.{path.rsplit('/', 1)[-1]}"
    try:
        with fs.open_output_stream(tmp) as stream, io.TextIOWrapper(
                stream, encoding="utf-8", newline="\n") as handle:
            yield handle
        fs.move(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            fs.delete_file(tmp)
        raise


def write_part(shard_dir: str, index: int, records: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """Write one shard's records atomically; return (records, bytes)."""
    count = size = 0
    with _open_atomic(join(shard_dir, part_name(index))) as handle:
        for record in records:
            line = dumps(record) + "\n"
            handle.write(line)
            count += 1
            size += len(line.encode("utf-8"))
    return count, size


def write_marker(shard_dir: str, shard: Shard, summary: dict[str, Any]) -> None:
    """Mark a shard done, after its part is in place."""
    with _open_atomic(join(shard_dir, marker_name(shard.index))) as handle:
        handle.write(json.dumps({"shard": shard.to_dict(), **summary}, sort_keys=True) + "\n")


def _read_text(location: str) -> str:
    fs, path = resolve(location)
    with fs.open_input_stream(path) as stream:
        data: bytes = stream.read()
    return data.decode("utf-8")


def _listing(shard_dir: str) -> dict[str, int]:
    """File name -> size for the files directly in the shard directory (empty if none)."""
    from pyarrow.fs import FileSelector, FileType

    fs, path = resolve(shard_dir)
    infos = fs.get_file_info(FileSelector(path, allow_not_found=True))
    return {info.base_name: info.size or 0 for info in infos if info.type == FileType.File}


def finished_shards(shard_dir: str, shards: list[Shard], settings: dict[str, Any]
                    ) -> dict[int, dict[str, Any]]:
    """Markers of shards that a resumed run can skip, by shard index.

    A marker for another input or other settings is an error, not something to overwrite: the
    user pointed --resume at the output of a different run.
    """
    files = _listing(shard_dir)
    planned = {shard.index: shard for shard in shards}
    done: dict[int, dict[str, Any]] = {}
    for name in sorted(files):
        if not (name.startswith("part-") and name.endswith(".done")):
            continue
        location = join(shard_dir, name)
        try:
            marker = json.loads(_read_text(location))
            shard = Shard.from_dict(marker["shard"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"is not a shard marker ({exc}); remove it or rerun without "
                             "--resume", path=location) from None
        if planned.get(shard.index) != shard or marker.get("settings") != settings:
            raise InputError("was written for other inputs or settings; rerun without --resume "
                             "or choose another --output", path=location)
        if files.get(part_name(shard.index)) != marker.get("bytes"):
            logger.warning("shard %d: part file missing or changed; labelling it again",
                           shard.index)
            continue
        done[shard.index] = marker
    return done


def clear(shard_dir: str) -> int:
    """Remove the parts, markers and manifest of an earlier run; return how many files."""
    fs, path = resolve(shard_dir)
    removed = 0
    for name in _listing(shard_dir):
        ours = name.startswith(("part-", "_tmp.part-", ".part-")) or name == MANIFEST
        if ours:
            fs.delete_file(f"{path}/{name}")
            removed += 1
    return removed


def write_manifest(shard_dir: str, markers: list[dict[str, Any]]) -> dict[str, Any]:
    """Summarise a finished run in shard order; return the summary."""
    manifest = {
        "shards": [{"part": part_name(m["shard"]["index"]), "source": m["shard"]["source"],
                    "threads": m["threads"], "comments": m["comments"]} for m in markers],
        "threads": sum(m["threads"] for m in markers),
        "comments": sum(m["comments"] for m in markers),
        "settings": markers[0]["settings"] if markers else {},
        # Which inference backend the actors picked (int8 and fp32 scores differ slightly).
        "backends": sorted({m.get("backend", "unknown") for m in markers}),
    }
    with _open_atomic(join(shard_dir, MANIFEST)) as handle:
        handle.write(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def merge(shard_dir: str, count: int, output: str) -> None:
    """Concatenate parts 0..count-1 into `output` (a file, written atomically, or stdout)."""
    with atomic_writer(output, "wb") as out:
        for index in range(count):
            fs, path = resolve(join(shard_dir, part_name(index)))
            with fs.open_input_stream(path) as stream:
                while chunk := stream.read(1 << 20):
                    out.write(chunk)


def remove_dir(shard_dir: str) -> None:
    """Delete an owned shard directory after a successful merge."""
    fs, path = resolve(shard_dir)
    with contextlib.suppress(OSError):
        fs.delete_dir(path)
