"""A progress bar with comments/s on a terminal; nothing in pipes or when logging is quiet."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def wanted(setting: bool | None) -> bool:
    """True/False force it; None = stderr is a terminal and the `stance` log level is WARNING
    or more verbose (`--quiet` turns it off)."""
    if setting is not None:
        return setting
    if not logging.getLogger("stance").isEnabledFor(logging.WARNING):
        return False
    stream = sys.stderr
    return bool(getattr(stream, "isatty", None) and stream.isatty())


def progress(items: Iterable[T], setting: bool | None, unit: str = "comments") -> Iterator[T]:
    if not wanted(setting):
        yield from items
        return
    from tqdm import tqdm

    bar = tqdm(items, unit=f" {unit}", dynamic_ncols=True, mininterval=0.5, file=sys.stderr,
               leave=True)
    try:
        yield from bar
    finally:
        bar.close()
