"""Helpers shared by the format readers."""

from __future__ import annotations

import re
from pathlib import Path

from stance.io import STDIO


def thread_id_for(source: str, suffix: str | None = None) -> str:
    """A readable thread id from the input's file name (and a per-thread suffix)."""
    stem = "stdin" if source in (STDIO, "") else Path(source).stem or "thread"
    stem = re.sub(r"[^\w.-]+", "-", stem).strip("-") or "thread"
    return f"{stem}-{suffix}" if suffix else stem
