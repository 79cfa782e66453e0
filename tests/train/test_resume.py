"""`--resume`: a tiny run SIGKILLed mid-step and resumed ends where an uninterrupted run ends."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from test_trainer import _rows  # same hand-written rows (pytest puts this folder on sys.path)

from stance.errors import InputError
from stance.train.config import TrainingConfig

KILL_AT_CALL = 6  # the killed run dies inside its 6th training step (5 steps checkpointed)


def _config(base: Path, out: Path, **changes: Any) -> TrainingConfig:
    settings: dict[str, Any] = {
        "base": str(base), "output": str(out), "epochs": 1, "batch_size": 4, "max_steps": 9,
        "max_length": 48, "device": "cpu", "log_every": 100, "eval_fraction": 0.25, "seed": 11,
        "evals_per_epoch": 3, "checkpoint_every_s": 0.0}
    return TrainingConfig(**{**settings, **changes})


def _weights(path: Path) -> dict[str, Any]:
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


def _killed_run(config: TrainingConfig, rows_file: Path) -> int:
    """Run the training in a child process that SIGKILLs itself inside a training step."""
    script = textwrap.dedent(f"""
        import json, os, signal
        from stance.train.config import TrainingConfig
        from stance.train import trainer
        from stance.train.rows import read_annotated

        calls = 0
        original = trainer.Trainer._step_loss
        def dying(self, chunk, pad_id):
            global calls
            calls += 1
            if calls == {KILL_AT_CALL}:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(self, chunk, pad_id)
        trainer.Trainer._step_loss = dying
        config = TrainingConfig.from_dict(json.loads({json.dumps(json.dumps(config.to_dict()))}))
        trainer.train_model([read_annotated({str(rows_file)!r})], config)
    """)
    return subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                          capture_output=True, timeout=300).returncode


def test_resumed_run_ends_where_an_uninterrupted_run_ends(
        tiny_model_dir: Path, tmp_path: Path) -> None:
    import torch

    from stance.train.checkpoint import checkpoint_dir
    from stance.train.rows import write_rows
    from stance.train.trainer import train_model

    rows = _rows(4)
    rows_file = tmp_path / "rows.jsonl"
    write_rows(rows, rows_file)
    whole = train_model([rows], _config(tiny_model_dir, tmp_path / "whole"))

    cut = _config(tiny_model_dir, tmp_path / "cut")
    assert _killed_run(cut, rows_file) == -9
    state = json.loads((checkpoint_dir(tmp_path / "cut") / "state.json").read_text())
    assert state["trainer"]["step"] == KILL_AT_CALL - 1
    resumed = train_model([rows], cut, resume=True)

    a, b = _weights(whole), _weights(resumed)
    assert a.keys() == b.keys()
    for key in a:
        assert torch.allclose(a[key].float(), b[key].float(), atol=1e-5), key
    summary = [json.loads((p / "training_summary.json").read_text()) for p in (whole, resumed)]
    steps = [[h["step"] for h in s["history"]] for s in summary]
    assert steps[0] == steps[1]
    scores = [[round(h["score"], 6) for h in s["history"]] for s in summary]
    assert scores[0] == scores[1]
    assert not checkpoint_dir(tmp_path / "cut").exists()  # removed once the model is saved


def test_resume_refuses_other_settings(tiny_model_dir: Path, tmp_path: Path) -> None:
    from stance.train.rows import write_rows
    from stance.train.trainer import train_model

    rows = _rows(2)
    rows_file = tmp_path / "rows.jsonl"
    write_rows(rows, rows_file)
    assert _killed_run(_config(tiny_model_dir, tmp_path / "cut"), rows_file) == -9
    with pytest.raises(InputError, match="other training settings"):
        train_model([rows], _config(tiny_model_dir, tmp_path / "cut", lr=1e-3), resume=True)


def test_resume_without_checkpoint_starts_over(tiny_model_dir: Path, tmp_path: Path) -> None:
    from stance.train.trainer import train_model

    path = train_model([_rows(2)], _config(tiny_model_dir, tmp_path / "fresh", max_steps=2),
                       resume=True)
    assert (path / "model.safetensors").is_file()
