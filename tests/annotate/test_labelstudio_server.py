"""`make annotate-check` as a test: the annotation loop against a real local Label Studio.

Slow (a server start, a few exports, a tiny training run: about two minutes) and skipped unless
Label Studio is installed: `make annotate-check` puts it in .venv-annotate/ (the `annotate`
extra); STANCE_LABEL_STUDIO may name another `label-studio` executable.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from stance.annotate.lscheck import CheckOptions, run_check

ROOT = Path(__file__).resolve().parents[2]


def label_studio() -> Path | None:
    for candidate in (os.environ.get("STANCE_LABEL_STUDIO"),
                      str(ROOT / ".venv-annotate" / "bin" / "label-studio"),
                      shutil.which("label-studio")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.mark.slow
def test_annotation_loop_against_a_running_label_studio(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = label_studio()
    if server is None:
        pytest.skip("Label Studio is not installed (make annotate-check installs it)")
    run_check(CheckOptions(server=server, workdir=tmp_path,
                           labels=ROOT / "tests" / "fixtures" / "labels" / "demo.labels.jsonl"))
    out = capsys.readouterr().out
    assert "annotate-check passed" in out
    for export in ("JSON", "JSON_MIN", "CSV"):
        assert f"{export} export -> stance import" in out
    assert (tmp_path / "compare.json").is_file()
