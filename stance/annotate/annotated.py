"""Annotated training rows (CONTRACT.md "Annotated data"): validate labels, count what is dropped.

Both importers (Label Studio JSON, CSV) hand each annotated item here as its context fields and
raw per-head labels; this module decides what survives and keeps the tally the user sees.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.io import UNENCODABLE, atomic_writer, clean_text, dumps
from stance.model.tasks import TASKS

#: Spellings accepted for the binary heads (spreadsheets write TRUE, 1, yes ...).
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})
_EXAMPLES = 3
#: The outlets named in a media-bias claim: a Label Studio TextArea, a CSV column, and a
#: training-row field (a list of names) beside the `media_bias` label.
OUTLETS = "media_bias_outlets"


def normalize_label(head: str, raw: Any) -> str | None:
    """The CONTRACT label name for a raw value, or None when it is not one of the head's."""
    task = TASKS[head]
    if isinstance(raw, bool):
        return ("true" if raw else "false") if task.binary else None
    value = str(raw).strip().lower()
    if task.binary:
        return "true" if value in _TRUE else "false" if value in _FALSE else None
    return value if value in task.labels else None


def parse_outlets(raw: Any) -> list[str] | None:
    """Outlet names from a TextArea value, a CSV cell or JSON-MIN: a list of lines, a string
    separated by ";" or newlines, or Label Studio's CSV form of several lines
    (`{"text": [...]}`). Duplicates (ignoring case) removed; None when it is unreadable."""
    if isinstance(raw, str) and raw.strip().startswith("{"):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            return None
    if isinstance(raw, dict):
        raw = raw.get("text")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        return None
    names: dict[str, str] = {}
    for line in raw:
        for part in line.replace("\n", ";").split(";"):
            name = part.strip()
            if name:
                names.setdefault(name.casefold(), name)
    return list(names.values())


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


@dataclass
class ImportReport:
    """What an import kept and dropped, with a few examples of each reason."""

    read: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    dropped_rows: Counter[str] = field(default_factory=Counter)
    dropped_labels: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def _example(self, reason: str, where: str) -> None:
        seen = self.examples.setdefault(reason, [])
        if len(seen) < _EXAMPLES:
            seen.append(clean_text(where))  # it may quote an id with a lone surrogate

    def drop_row(self, reason: str, where: str) -> None:
        self.dropped_rows[reason] += 1
        self._example(reason, where)

    def drop_label(self, reason: str, where: str) -> None:
        self.dropped_labels[reason] += 1
        self._example(reason, where)

    def to_dict(self, kept: int) -> dict[str, Any]:
        return {"read": self.read, "kept": kept, "labels": dict(self.labels),
                "dropped_rows": dict(self.dropped_rows),
                "dropped_labels": dict(self.dropped_labels), "examples": self.examples,
                "notes": list(self.notes)}

    def summary(self, kept: int) -> str:
        per_head = ", ".join(f"{h} {self.labels[h]}" for h in (*TASKS, OUTLETS) if self.labels[h])
        lines = [f"read {self.read} item(s); kept {kept} row(s)"
                 + (f" with labels: {per_head}" if per_head else "")]
        for title, counter in (("dropped row", self.dropped_rows),
                               ("dropped label", self.dropped_labels)):
            for reason, count in counter.most_common():
                lines.append(f"{title}s: {count} {reason} (e.g. "
                             f"{'; '.join(self.examples.get(reason, []))})")
        lines.extend(self.notes)
        return "\n".join(lines)


class RowBuilder:
    """Turns annotated items into training rows, keeping the last of duplicate comments."""

    def __init__(self) -> None:
        self.report = ImportReport()
        self._rows: dict[object, dict[str, Any]] = {}
        self._repaired = 0

    @property
    def rows(self) -> list[dict[str, Any]]:
        return list(self._rows.values())

    def reject(self, reason: str, where: str) -> None:
        """An item read but unusable before its labels are looked at."""
        self.report.read += 1
        self.report.drop_row(reason, where)

    def add(self, context: Mapping[str, Any], labels: Mapping[str, Any], where: str) -> None:
        """One item: `context` has text, target, parent_text, thread_id, comment_id."""
        self.report.read += 1
        cleaned = {k: clean_text(v) if isinstance(v, str) else v for k, v in context.items()}
        if cleaned != context:  # text the tokenizer cannot take, e.g. a lone "\ud800" escape
            self._repaired += 1
            context = cleaned
        text = context.get("text")
        if not isinstance(text, str) or not text.strip():
            self.report.drop_row("with empty text", where)
            return
        parent_text = _str(context.get("parent_text"))
        row: dict[str, Any] = {}
        for name, source in (("id", "comment_id"), ("thread_id", "thread_id")):
            if not is_blank(context.get(source)):
                row[name] = str(context[source])
        row.update(text=text, target=_str(context.get("target")), parent_text=parent_text)
        found = self._labels(labels, bool(parent_text), where)
        if not found:
            self.report.drop_row("with no valid label", where)
            return
        row.update(found)
        if OUTLETS in labels:
            self._outlets(row, labels[OUTLETS], where)
        key: object = (row["thread_id"], row["id"]) if "id" in row and "thread_id" in row else (
            len(self._rows), where)
        if key in self._rows:
            self.report.drop_row("duplicate comments (the later annotation kept)", where)
            self._rows.pop(key)
        self._rows[key] = row

    def _labels(self, labels: Mapping[str, Any], has_parent: bool,
                where: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for head, raw in labels.items():
            if head not in TASKS or is_blank(raw):
                continue
            name = normalize_label(head, raw)
            if name is None:
                allowed = "/".join(TASKS[head].labels)
                self.report.drop_label(f"unknown {head} label(s) (allowed: {allowed})",
                                       f"{where}: {raw!r}")
                continue
            if head == "agreement" and not has_parent:
                self.report.drop_label("agreement label(s) without a parent text", where)
                continue
            found[head] = (name == "true") if TASKS[head].binary else name
        return found

    def _outlets(self, row: dict[str, Any], raw: Any, where: str) -> None:
        """Outlets are kept on a row labeled as a media-bias claim; elsewhere they are dropped."""
        if is_blank(raw):
            return
        outlets = parse_outlets(raw)
        if outlets is None:
            self.report.drop_label("unreadable outlet lists", f"{where}: {raw!r}")
        elif outlets and row.get("media_bias") is True:
            row[OUTLETS] = outlets
        elif outlets:
            self.report.drop_label("outlets on a comment not labeled as a media-bias claim",
                                   where)

    def finish(self) -> list[dict[str, Any]]:
        rows = self.rows
        if self._repaired:
            self.report.notes.append(f"note: in {self._repaired} item(s), {UNENCODABLE}")
        self.report.labels = Counter(h for row in rows for h in (*TASKS, OUTLETS) if h in row)
        return rows


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def write_rows(rows: Iterable[Mapping[str, Any]], output: str | Path) -> int:
    """Write training rows as JSONL, atomically; returns how many."""
    count = 0
    with atomic_writer(output) as handle:
        for row in rows:
            handle.write(dumps(row) + "\n")
            count += 1
    return count
