"""`stance label` as a library call: inputs (any format `parse` reads) -> label JSONL."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.infer.config import InferenceConfig
from stance.io import STDIO, dumps

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LabelSummary:
    written: int  # records written by this run
    resumed: int  # records kept from an interrupted run
    backend: str
    model: str


def _check_inputs(inputs: Sequence[str]) -> None:
    if not inputs:
        raise InputError("no input files were given")
    for name in inputs:
        if name == STDIO:
            continue
        path = Path(name)
        if not path.exists():
            raise InputError("no such file", path=name)
        if path.is_dir():
            raise InputError("is a directory, not a file", path=name)


def label_files(inputs: Sequence[str], output: str = STDIO, *, model: Any = None,
                config: InferenceConfig | None = None, target: str | None = None,
                resume: bool = False) -> LabelSummary:
    """Parse `inputs`, label every comment, write one record per line to `output`.

    A file output is written to OUTPUT.partial and renamed when complete; `resume` continues a
    partial file left by a run that was killed, so each comment is written exactly once.
    """
    from stance.infer.labeler import Labeler, Resume
    from stance.infer.writer import PartialWriter
    from stance.thread.parse import ParseOptions, parse_paths

    _check_inputs(inputs)
    if resume and output == STDIO:
        raise InputError("--resume needs --output FILE (a pipe cannot be resumed)")
    labeler = Labeler(model, config)
    threads = parse_paths(list(inputs), ParseOptions())
    if output == STDIO:
        count = 0
        for record in labeler.label(threads, target):
            sys.stdout.write(dumps(record) + "\n")
            count += 1
        sys.stdout.flush()
        return LabelSummary(count, 0, labeler.backend_name, labeler.tag)
    writer = PartialWriter(output, resume=resume, model_tag=labeler.tag)
    try:
        skip = Resume(writer.done_keys()) if writer.done else None
        for record in labeler.label(threads, target, skip):
            writer.write(dumps(record))
        writer.commit()
    except BaseException:
        writer.close()
        if writer.written == 0 and writer.done == 0:  # nothing worth resuming
            writer.partial.unlink(missing_ok=True)
        raise
    return LabelSummary(writer.written, writer.done, labeler.backend_name, labeler.tag)
