"""`stance label --resume` after a real SIGKILL: every comment exactly once, no torn lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from stance.infer import InferenceConfig, Labeler
from stance.infer.benchkit import scores_from_records
from stance.infer.synthetic import generate_threads
from stance.infer.writer import partial_path
from stance.thread.jsonl import write_threads


def start(source: Path, out: Path, model: Path, *extra: str,
          slow: bool = True) -> subprocess.Popen[bytes]:
    # Batches of one comment keep the tiny model slow enough to be killed mid-run.
    cmd = [sys.executable, "-c", "from stance.cli import main; main()", "label", str(source),
           "-o", str(out), "--model", str(model), "--quantize", "onnx",
           *(["--batch-size", "1"] if slow else []), *extra]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})


def kill_after(proc: subprocess.Popen[bytes], partial: Path, lines: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if partial.exists() and partial.read_bytes().count(b"\n") >= lines:
            break
        assert proc.poll() is None, "the run ended before it could be killed"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_sigkill_then_resume_writes_every_comment_exactly_once(tmp_path: Path,
                                                              tiny_model_dir: Path,
                                                              infer_cache: str) -> None:
    threads = list(generate_threads(6000, seed=5))
    source = write_threads(threads, tmp_path / "threads.jsonl") and tmp_path / "threads.jsonl"
    out = tmp_path / "labels.jsonl"
    partial = partial_path(out)

    first = start(source, out, tiny_model_dir)
    kill_after(first, partial, 300)
    assert not out.exists()
    with open(partial, "ab") as handle:  # as if the kill had torn the last record
        handle.write(b'{"thread_id": "s5-2", "comment_id": "c')
    second = start(source, out, tiny_model_dir, "--resume")
    kill_after(second, partial, 1500)
    third = start(source, out, tiny_model_dir, "--resume", slow=False)
    assert third.wait(timeout=600) == 0, third.stderr.read().decode() if third.stderr else ""

    assert not partial.exists()
    raw = out.read_bytes()
    assert raw.endswith(b"\n")
    records = [json.loads(line) for line in raw.splitlines()]  # no torn line anywhere
    keys = [(r["thread_id"], r["comment_id"]) for r in records]
    assert keys == [(t.thread_id, c.id) for t in threads for c in t.comments]

    clean = list(Labeler(tiny_model_dir, InferenceConfig(device="cpu", quantize="onnx",
                                                         progress=False,
                                                         cache_dir=infer_cache)).label(threads))
    got, want = scores_from_records(records), scores_from_records(clean)
    for task in want:
        np.testing.assert_allclose(got[task], want[task], atol=1e-5, equal_nan=True)
