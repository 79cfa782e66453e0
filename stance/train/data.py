"""What `stance train` / `stance evaluate` read: annotated files, dataset folders, or rows.

A source is an annotated JSONL/CSV file (CONTRACT.md), a known dataset folder (its name under
STANCE_DATA, see registry.py), a folder holding such dataset folders (STANCE_DATA itself), an
in-memory list of row dicts or a `datasets.Dataset`.
"""

from __future__ import annotations

import logging
import os
import random
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.train import registry
from stance.train.rows import Row, has_label, read_annotated, rows_from_records

logger = logging.getLogger(__name__)

Source = str | Path | Sequence[dict[str, Any]] | Any


def data_root(explicit: str | Path | None = None) -> Path:
    """STANCE_DATA (or `explicit`), defaulting to data/ then ../shared/data."""
    for candidate in (explicit, os.environ.get("STANCE_DATA"), "data", "../shared/data"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise InputError("no annotated-data folder found: pass --data DIR or set STANCE_DATA")


def dataset_folders(path: Path, only: Iterable[str] | None = None) -> list[Path]:
    """The known dataset folders inside `path` (all, or the ones named in `only`)."""
    wanted = set(only) if only is not None else None
    return [path / name for name in registry.REGISTRY
            if (path / name).is_dir() and (wanted is None or name in wanted
                                           or registry.REGISTRY[name].tag in wanted)]


def load_source(source: Source, split: str = "train") -> list[Row]:
    """Checked rows of one source; for a dataset folder, its `split` ("train" or "dev")."""
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            if registry.spec_for(path) is not None:
                return rows_from_records(registry.load_folder(path, split), str(path))
            folders = dataset_folders(path)
            if not folders:
                raise InputError("folder holds no known dataset folder "
                                 f"(known: {', '.join(registry.REGISTRY)})", path=str(path))
            return [row for f in folders for row in load_source(f, split)]
        return read_annotated(path)
    return rows_from_records(source)


def load_sources(sources: Sequence[Source], split: str = "train") -> list[Row]:
    rows = [row for source in sources for row in load_source(source, split)]
    labelled = [row for row in rows if has_label(row)]
    if len(labelled) < len(rows):
        logger.warning("%d row(s) carry no label for any head and are ignored",
                       len(rows) - len(labelled))
    return labelled


def is_folder_source(source: Source) -> bool:
    return isinstance(source, str | Path) and Path(source).is_dir()


def split_rows(rows: list[Row], fraction: float, seed: int) -> tuple[list[Row], list[Row]]:
    """(train, dev): a fixed-seed, per-dataset stratified dev slice of `fraction`."""
    if fraction <= 0 or len(rows) < 10:
        return rows, []
    keys = [_norm(r["text"]) for r in rows]
    strata = [(r["dataset"],) + tuple(r[t] for t in ("stance", "agreement", "sentiment",
                                                     "media_bias", "conspiracy")) for r in rows]
    dev = registry.carve(keys, strata, fraction, seed)
    return ([r for i, r in enumerate(rows) if i not in dev],
            [r for i, r in enumerate(rows) if i in dev])


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def drop_overlap(train: list[Row], dev: list[Row]) -> list[Row]:
    """Train rows whose text (normalised) is not in any dev row of any dataset.

    The shared datasets reuse each other's texts (comment_claims samples from the others),
    so a dev text can sit in another dataset's train split.
    """
    seen = {_norm(r["text"]) for r in dev}
    kept = [r for r in train if _norm(r["text"]) not in seen]
    if len(kept) < len(train):
        logger.info("dropped %d train row(s) whose text is in a dev set", len(train) - len(kept))
    return kept


def sample_rows(rows: list[Row], per_dataset: int, seed: int) -> list[Row]:
    """A fixed-seed sample of at most `per_dataset` rows of each dataset (order kept).

    Each dataset is drawn with its own generator (seeded by `seed` and its name), so adding or
    removing a dataset leaves the sample of every other one unchanged.
    """
    by_dataset: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_dataset.setdefault(row["dataset"], []).append(i)
    chosen: set[int] = set()
    for name in sorted(by_dataset):
        idx = by_dataset[name]
        rng = random.Random(f"{seed}/{name}")
        chosen.update(idx if len(idx) <= per_dataset else rng.sample(idx, per_dataset))
    return [row for i, row in enumerate(rows) if i in chosen]
