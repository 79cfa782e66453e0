"""Ray stays an optional extra: nothing imports it until `--engine ray` runs, and without it
that run fails with one sentence saying what to install. Runs with or without ray."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.distributed.ray_engine import RayOptions
from stance.errors import InputError


def _main_without_ray(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; sys.modules['ray'] = None; from stance.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120)


def test_ray_engine_without_ray_says_what_to_install(tmp_path: Path) -> None:
    corpus = tmp_path / "threads.jsonl"
    corpus.write_text(json.dumps({"thread_id": "t", "comments": [{"id": "a", "text": "x"}]}))
    result = _main_without_ray("label", str(corpus), "--engine", "ray")
    assert result.returncode == 2
    assert result.stderr.strip() == ("stance: the ray engine needs Ray: "
                                     "pip install 'stance[ray]'")


def test_importing_the_engine_does_not_import_ray() -> None:
    code = ("import sys; import stance.cli, stance.distributed.ray_engine; "
            "print('ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_ray_options_need_the_ray_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["label", str(tmp_path / "x.jsonl"), "--num-workers", "2"])
    assert isinstance(result.exception, InputError)
    assert "need --engine ray" in str(result.exception)


@pytest.mark.parametrize("bad", [{"num_workers": 0}, {"num_gpus_per_worker": -1},
                                 {"shard_bytes": 0}])
def test_ray_options_are_checked(bad: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        RayOptions(**bad)


def test_ray_options_round_trip() -> None:
    options = RayOptions(address="auto", num_workers=4, num_gpus_per_worker=0.5)
    assert RayOptions.from_dict(options.to_dict()) == options
    with pytest.raises(InputError, match="unknown ray setting"):
        RayOptions.from_dict({"workers": 3})


def test_actors_run_where_their_resources_are() -> None:
    from stance.distributed.ray_engine import worker_config
    from stance.infer.config import InferenceConfig

    cpu = worker_config(InferenceConfig(), RayOptions(num_cpus_per_worker=2))
    assert (cpu.device, cpu.threads, cpu.progress) == ("cpu", 2, False)
    assert worker_config(InferenceConfig(), RayOptions(num_gpus_per_worker=1)).device == "cuda"
    with pytest.raises(InputError, match="--num-gpus-per-worker"):
        worker_config(InferenceConfig(device="cuda"), RayOptions())
