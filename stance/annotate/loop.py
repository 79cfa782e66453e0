"""The two ends of the annotation loop: write a sample to annotate, import what came back."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from stance.annotate.annotated import ImportReport, RowBuilder, write_rows
from stance.annotate.csvio import read_csv, write_csv
from stance.annotate.labelstudio import read_export, write_config, write_tasks
from stance.annotate.sampling import SampleOptions, SampleResult, sample_records
from stance.errors import InputError
from stance.io import STDIO, read_bytes

logger = logging.getLogger(__name__)

_SUFFIXES = (".json", ".csv", ".xml", ".jsonl")
IMPORT_FORMATS = ("auto", "labelstudio", "csv")


@dataclass(frozen=True, slots=True)
class SampleFiles:
    tasks: Path  # Label Studio import JSON
    csv: Path
    config: Path  # Label Studio labeling config XML

    @classmethod
    def beside(cls, output: str | Path) -> SampleFiles:
        """`out/b1.json` (or `out/b1`) -> b1.json, b1.csv, b1.label_config.xml beside it."""
        if str(output) == STDIO:
            raise InputError("sample writes three files (Label Studio JSON, CSV, labeling "
                             "config): give --output a file name, not '-'")
        path = Path(output)
        stem = path.with_suffix("") if path.suffix.lower() in _SUFFIXES else path
        return cls(stem.with_name(stem.name + ".json"), stem.with_name(stem.name + ".csv"),
                   stem.with_name(stem.name + ".label_config.xml"))


def write_sample(labels: str | Path, output: str | Path,
                 options: SampleOptions) -> tuple[SampleResult, SampleFiles]:
    """Sample comments from a label-records file and write all three annotation files."""
    files = SampleFiles.beside(output)
    result = sample_records(labels, options)
    if not result.items:
        raise InputError(f"no comment could be sampled ({_skipped(result)})", path=str(labels))
    write_tasks(result, files.tasks)
    write_csv(result, files.csv)
    write_config(files.config)
    return result, files


def _skipped(result: SampleResult) -> str:
    if not result.seen:
        return "the file has no label records"
    reasons = ", ".join(f"{n} {why}" for why, n in result.skipped.items())
    return f"{result.seen} record(s) read; skipped: {reasons or 'none'}"


def thresholds_from_model(model_dir: str | Path) -> dict[str, float]:
    """Binary heads' decision thresholds from a saved model's config (no torch needed)."""
    from stance.model.io import CONFIG_NAME

    path = Path(model_dir) / CONFIG_NAME
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the model config ({exc})", path=str(path)) from None
    raw = config.get("thresholds") if isinstance(config, dict) else None
    return {str(k): float(v) for k, v in (raw or {}).items() if isinstance(v, int | float)}


def detect_format(path: str | Path) -> str:
    suffix = Path(str(path)).suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".json":
        return "labelstudio"
    head = read_bytes(path)[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "labelstudio" if head[:1] in (b"[", b"{") else "csv"


def import_annotations(paths: Sequence[str | Path], output: str | Path,
                       format: str = "auto") -> tuple[int, ImportReport]:
    """Read Label Studio exports and/or annotated CSVs; write training JSONL (CONTRACT.md)."""
    if format not in IMPORT_FORMATS:
        raise InputError(f"unknown format {format!r}; use {', '.join(IMPORT_FORMATS)}")
    builder = RowBuilder()
    for path in paths:
        if str(path) == STDIO:
            with _spooled_stdin() as spooled:
                _read_one(spooled, format, builder, shown=STDIO)
        else:
            _read_one(path, format, builder)
    rows = builder.finish()
    if not rows:
        names = ", ".join(str(p) for p in paths)
        raise InputError(f"no annotated row to import from {names}: "
                         + builder.report.summary(0).replace("\n", "; "))
    count = write_rows(rows, output)
    return count, builder.report


def _read_one(path: str | Path, format: str, builder: RowBuilder, shown: str | None = None) -> None:
    kind = detect_format(path) if format == "auto" else format
    try:
        (read_csv if kind == "csv" else read_export)(path, builder)
    except InputError as exc:
        if shown is None or exc.path is None:
            raise
        raise InputError(str(exc).replace(str(path), shown, 1)) from None


@contextlib.contextmanager
def _spooled_stdin() -> Iterator[Path]:
    """Standard input copied to a temporary file, so it can be sniffed and then read."""
    with tempfile.NamedTemporaryFile("wb", suffix=".annotations", delete=False) as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool)
    try:
        yield Path(spool.name)
    finally:
        Path(spool.name).unlink(missing_ok=True)
