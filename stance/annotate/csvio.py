"""The spreadsheet round trip: a CSV prefilled with the model's predictions, read back corrected.

Columns: thread_id, comment_id, text, parent_text, target, then per head the predicted label
(to correct, or blank out to leave unlabeled) and `<head>_score` (the model's probability for
that label), then `reviewed`: mark a row (x, yes, 1) once it is checked. When any row is marked,
only marked rows are imported; when none is, all are, with a note that unchecked predictions
were taken as labels. Written with a UTF-8 BOM so spreadsheet programs read it as UTF-8; cells
that a spreadsheet would run as a formula get a leading apostrophe, removed again on import.
`media_bias_outlets` holds the outlets named in a media-bias claim, separated by ";": corrected
there, they become the row's outlets. Label Studio's CSV export is read the same way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from stance.annotate.annotated import OUTLETS, RowBuilder, is_blank
from stance.annotate.sampling import SampleItem, SampleResult
from stance.errors import InputError
from stance.io import atomic_writer, decode_text, read_bytes
from stance.model.tasks import TASKS

CONTEXT_COLUMNS = ("thread_id", "comment_id", "text", "parent_text", "target")
HEAD_COLUMNS = tuple(c for h in TASKS for c in (h, f"{h}_score"))
EXTRA_COLUMNS = ("reviewed", "parent_id", OUTLETS, "sample_score", "sample_reason")
COLUMNS = CONTEXT_COLUMNS + HEAD_COLUMNS + EXTRA_COLUMNS
_REVIEWED = frozenset({"x", "yes", "y", "1", "true", "done", "ok", "✓", "✔"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_COLUMNS = ("text", "parent_text", "target")


def protect(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) or unprotect(cell) != cell else cell


def unprotect(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def csv_row(item: SampleItem) -> dict[str, Any]:
    r = item.record
    row: dict[str, Any] = {"thread_id": r.thread_id, "comment_id": r.comment_id,
                           "text": protect(r.text), "parent_text": protect(item.parent_text),
                           "target": protect(r.target), "reviewed": "",
                           "parent_id": r.parent_id or "",
                           OUTLETS: "; ".join(r.outlets),
                           "sample_score": f"{item.score:.4f}", "sample_reason": item.reason}
    for name in TASKS:
        pred = r.heads.get(name)
        row[name] = pred.label if pred else ""
        row[f"{name}_score"] = f"{pred.confidence:.3f}" if pred else ""
    return row


def write_csv(result: SampleResult, path: str | Path) -> int:
    with atomic_writer(path) as handle:
        handle.write("\ufeff")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for item in result.items:
            writer.writerow(csv_row(item))
    return len(result.items)


def _delimiter(header: str) -> str:
    """Spreadsheets in some locales save with ';' (or tabs): pick what splits the header."""
    return max((",", ";", "\t"), key=header.count)


def _read_rows(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text, _ = decode_text(read_bytes(path))
    header = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(header))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        fields = [(f or "").strip().lower() for f in reader.fieldnames or []]
        reader.fieldnames = fields
        for row in reader:
            rows.append((reader.line_num, {k: v for k, v in row.items()
                                           if isinstance(k, str) and isinstance(v, str)}))
    except csv.Error as exc:
        raise InputError(f"not a readable CSV ({exc})", path=str(path),
                         line=reader.line_num) from None
    return fields, rows


def read_csv(path: str | Path, builder: RowBuilder) -> None:
    """Read an annotated CSV (the one `stance sample` wrote, corrected) into `builder`."""
    fields, rows = _read_rows(path)
    if "text" not in fields:
        raise InputError("has no 'text' column", path=str(path), line=1)
    if not any(h in fields for h in TASKS):
        raise InputError(f"has no label column (one of {', '.join(TASKS)})",
                         path=str(path), line=1)
    only_reviewed = "reviewed" in fields and any(_is_reviewed(r) for _, r in rows)
    if "reviewed" in fields and not only_reviewed and rows:
        builder.report.notes.append(
            f"note: no row of {path} is marked in its 'reviewed' column, so every row was "
            "imported; predictions nobody corrected count as labels")
    for line, row in rows:
        where = f"line {line}" + (f" ({row.get('thread_id')}/{row['comment_id']})"
                                  if row.get("comment_id") else "")
        if only_reviewed and not _is_reviewed(row):
            builder.reject("not marked in the 'reviewed' column", where)
            continue
        context = {k: unprotect(row.get(k) or "") if k in _TEXT_COLUMNS else row.get(k)
                   for k in CONTEXT_COLUMNS}
        labels = {h: row[h] for h in TASKS if h in row and not is_blank(row[h])}
        if not is_blank(row.get(OUTLETS)):
            labels[OUTLETS] = row[OUTLETS]
        builder.add(context, labels, where)


def _is_reviewed(row: dict[str, str]) -> bool:
    return (row.get("reviewed") or "").strip().lower() in _REVIEWED
