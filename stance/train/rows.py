"""Annotated rows (CONTRACT.md): read from JSONL/CSV or a `datasets.Dataset`, checked at the door.

A row is a plain dict with `text` and any subset of `target`, `parent_text`, `stance`,
`agreement`, `sentiment`, `media_bias`, `conspiracy`, plus bookkeeping columns `dataset`,
`split` and `group` (e.g. the SemEval target a benchmark averages over). Every row that leaves
this module is normalised: label names checked, binary labels as bool, missing labels None.
A row may also carry `media_bias_outlets` (from `stance import`): the outlets its media-bias
claim names, a list of strings (in CSV: separated by ";"); only rows that have it carry it.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.io import UNENCODABLE, FileNotes, clean_text, iter_jsonl
from stance.model.tasks import TASKS

Row = dict[str, Any]

LABEL_COLUMNS: tuple[str, ...] = tuple(TASKS)
TEXT_COLUMNS: tuple[str, ...] = ("text", "target", "parent_text")
META_COLUMNS: tuple[str, ...] = ("dataset", "split", "group")
COLUMNS: tuple[str, ...] = TEXT_COLUMNS + LABEL_COLUMNS + META_COLUMNS
OUTLETS = "media_bias_outlets"  # optional: not a dataset column, kept only where given

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value != value


def _label(task: str, value: Any) -> str | bool | None:
    """The checked label of one head, or None; raises ValueError with the reason."""
    if _missing(value):
        return None
    spec = TASKS[task]
    if spec.binary:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        word = str(value).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise ValueError(f"{task} label {value!r} is not true/false (or 1/0)")
    word = str(value).strip().lower()
    if word not in spec.labels:
        raise ValueError(f"{task} label {value!r} is not one of {', '.join(spec.labels)}")
    return word


def normalize_row(raw: dict[str, Any], *, path: str, line: int | None,
                  dataset: str | None = None, split: str | None = None) -> Row:
    """Check one raw row and return it in normal form; InputError names file, line and fault."""
    text = raw.get("text")
    if _missing(text) or not isinstance(text, str):
        raise InputError("row has no 'text' (a non-empty string is required)", path=path,
                         line=line)
    row: Row = {"text": clean_text(text)}  # what the tokenizer can take (readers warn)
    for column in ("target", "parent_text"):
        value = raw.get(column)
        if not _missing(value) and not isinstance(value, str):
            raise InputError(f"'{column}' must be a string, found {type(value).__name__}",
                             path=path, line=line)
        row[column] = "" if _missing(value) else clean_text(str(value))
    for task in LABEL_COLUMNS:
        try:
            row[task] = _label(task, raw.get(task))
        except ValueError as exc:
            raise InputError(str(exc), path=path, line=line) from None
    if row["agreement"] is not None and not row["parent_text"]:
        raise InputError("row has an agreement label but no 'parent_text' to agree with",
                         path=path, line=line)
    outlets = _outlets(raw.get(OUTLETS))
    if outlets is not None:
        row[OUTLETS] = outlets
    row["dataset"] = str(raw.get("dataset") or dataset or Path(path).name.split(".")[0])
    row["split"] = str(raw.get("split") or split or "")
    group = raw.get("group")
    row["group"] = None if _missing(group) else str(group)
    return row


def _outlets(value: Any) -> list[str] | None:
    """A list of outlet names, or None when the row names none (absent or blank)."""
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list):
        return None
    return [str(v).strip() for v in value if str(v).strip()] or None


def has_label(row: Row) -> bool:
    return any(row.get(task) is not None for task in LABEL_COLUMNS)


def _open_text(path: Path) -> io.TextIOBase:
    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a directory, not an annotated file or a known dataset folder",
                         path=str(path))
    binary = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline="")


def _iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    return iter_jsonl(path)


def _iter_csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open_text(path) as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = "\t" if path.name.removesuffix(".gz").endswith(".tsv") else (
            ";" if sample.count(";") > sample.count(",") else ",")
        reader = csv.DictReader(handle, delimiter=delimiter)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise InputError(f"CSV header has no 'text' column (found {reader.fieldnames})",
                             path=str(path), line=1)
        notes = FileNotes(path)
        try:
            for record in reader:
                cleaned = {k: clean_text(v) if isinstance(v, str) else v
                           for k, v in record.items()}
                if cleaned != record:
                    notes.repair(UNENCODABLE, reader.line_num)
                yield reader.line_num, cleaned
        except csv.Error as exc:
            raise InputError(f"malformed CSV ({exc})", path=str(path),
                             line=reader.line_num) from None
        finally:
            notes.close()


def read_annotated(path: str | Path) -> list[Row]:
    """Rows of one annotated JSONL or CSV file (optionally .gz), checked line by line."""
    p = Path(path)
    name = p.name.removesuffix(".gz").lower()
    if name.endswith((".jsonl", ".json", ".ndjson")):
        records = _iter_jsonl(p)
    elif name.endswith((".csv", ".tsv")):
        records = _iter_csv(p)
    else:
        raise InputError("unknown annotated-data format: use .jsonl or .csv (optionally .gz), "
                         "or a known dataset folder", path=str(path))
    return [normalize_row(raw, path=str(p), line=n) for n, raw in records]


def rows_from_records(records: Iterable[dict[str, Any]], source: str = "rows") -> list[Row]:
    """Check in-memory rows (dicts or a `datasets.Dataset`); errors name the row number."""
    return [normalize_row(dict(raw), path=source, line=i)
            for i, raw in enumerate(records, start=1)]


def write_rows(rows: Iterable[Row], path: str | Path) -> int:
    """Write rows as (gzipped when the name ends in .gz) JSONL, atomically; returns the count."""
    from stance.io import atomic_writer, dumps

    count = 0
    with atomic_writer(path, "wb") as handle:
        stream = gzip.GzipFile(fileobj=handle, mode="wb", mtime=0) if str(path).endswith(
            ".gz") else handle
        for row in rows:
            out = {k: row.get(k) for k in COLUMNS}
            if row.get(OUTLETS) is not None:
                out[OUTLETS] = row[OUTLETS]
            stream.write((dumps(out) + "\n").encode("utf-8"))
            count += 1
        if stream is not handle:
            stream.close()
    return count
