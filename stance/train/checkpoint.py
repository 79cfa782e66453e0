"""Resumable training state: written atomically every few minutes, read by `--resume`.

A checkpoint is a directory beside the run's output (`<output>.checkpoint/`) holding
- `weights.safetensors`: the current weights (fp32), and `best.safetensors` the best so far;
- `optimizer.safetensors`: AdamW's moments and step counts, one tensor per parameter;
- `rng.safetensors`: torch's CPU (and CUDA) generator states;
- `state.json`: the step, the scheduler, the sampler's pending plan and generator, Python's and
  NumPy's generators, the dev history and early-stopping state, and the settings it was made
  with (a resume with other settings is refused).
Everything is tensors or JSON: no pickle. The directory is written under a temporary name and
renamed into place, so a process killed mid-write leaves the previous checkpoint intact.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

from stance.errors import InputError

STATE = "state.json"
WEIGHTS = "weights.safetensors"
BEST = "best.safetensors"
OPTIMIZER = "optimizer.safetensors"
RNG = "rng.safetensors"
#: Settings that may differ between a run and its resume (they do not change the trajectory).
FREE_SETTINGS = ("output", "device", "time_limit_s", "checkpoint_every_s", "log_every")


def checkpoint_dir(output: str | Path) -> Path:
    out = Path(output)
    return out.with_name(out.name + ".checkpoint")


def _tensors(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v.detach().to("cpu").contiguous() for k, v in state.items()}


def _optimizer_tensors(optimizer: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """AdamW's state as flat tensors (`<param index>.<name>`) plus its JSON-able rest."""
    import torch

    full = optimizer.state_dict()
    flat: dict[str, Any] = {}
    for index, values in full["state"].items():
        for name, value in values.items():
            tensor = value if torch.is_tensor(value) else torch.tensor(value)
            flat[f"{index}.{name}"] = tensor.detach().to("cpu").contiguous()
    return flat, {"param_groups": full["param_groups"]}


def _optimizer_state(flat: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {}
    for key, tensor in flat.items():
        index, _, name = key.partition(".")
        state.setdefault(int(index), {})[name] = tensor
    return {"state": state, "param_groups": rest["param_groups"]}


def _numpy_state() -> list[Any]:
    import numpy as np

    kind, keys, pos, has_gauss, gauss = np.random.get_state(legacy=True)
    return [kind, np.asarray(keys).tolist(), int(pos), int(has_gauss), float(gauss)]


def _set_numpy_state(state: list[Any]) -> None:
    import numpy as np

    kind, keys, pos, has_gauss, gauss = state
    np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, gauss))


def _random_state(rng: Any) -> list[Any]:
    """The state of a `random.Random` (or of the `random` module's own generator)."""
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def _set_random_state(rng: Any, state: list[Any]) -> None:
    rng.setstate((state[0], tuple(state[1]), state[2]))


def comparable(settings: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in settings.items() if k not in FREE_SETTINGS}


def save_checkpoint(directory: Path, *, model: Any, optimizer: Any, scheduler: Any,
                    best_state: dict[str, Any] | None, sampler_rng: random.Random,
                    trainer_state: dict[str, Any], settings: dict[str, Any]) -> None:
    """Write the whole training state to `directory`, atomically."""
    import torch
    from safetensors.torch import save_file

    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        save_file(_tensors(model.state_dict()), str(tmp / WEIGHTS))
        if best_state is not None:
            save_file(_tensors(best_state), str(tmp / BEST))
        flat, rest = _optimizer_tensors(optimizer)
        save_file(flat, str(tmp / OPTIMIZER))
        rng = {"torch": torch.get_rng_state()}
        if torch.cuda.is_available():
            rng.update({f"cuda{i}": s for i, s in enumerate(torch.cuda.get_rng_state_all())})
        save_file(rng, str(tmp / RNG))
        state = {"trainer": trainer_state, "scheduler": scheduler.state_dict(),
                 "optimizer": rest, "sampler_rng": _random_state(sampler_rng),
                 "python_rng": _random_state(random), "numpy_rng": _numpy_state(),
                 "settings": settings}
        with open(tmp / STATE, "w", encoding="utf-8") as handle:
            json.dump(state, handle, default=float)
            handle.flush()
            os.fsync(handle.fileno())
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def find_checkpoint(directory: Path) -> Path | None:
    """The checkpoint to resume from: `directory`, or its `.old` twin when a write was cut
    between the two renames."""
    for path in (directory, directory.with_name(directory.name + ".old")):
        if (path / STATE).is_file():
            return path
    return None


def load_checkpoint(directory: Path, *, model: Any, optimizer: Any, scheduler: Any,
                    sampler_rng: random.Random, settings: dict[str, Any]
                    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Restore everything `save_checkpoint` wrote; returns (trainer state, best weights)."""
    import torch
    from safetensors.torch import load_file

    try:
        state = json.loads((directory / STATE).read_text(encoding="utf-8"))
        weights = load_file(str(directory / WEIGHTS))
        flat = load_file(str(directory / OPTIMIZER))
        rng = load_file(str(directory / RNG))
        best = load_file(str(directory / BEST)) if (directory / BEST).is_file() else None
    except (OSError, ValueError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the training checkpoint ({exc})",
                         path=str(directory)) from exc
    if comparable(state["settings"]) != comparable(settings):
        changed = sorted(k for k in comparable(settings)
                         if state["settings"].get(k) != settings.get(k))
        raise InputError("the checkpoint was made with other training settings "
                         f"({', '.join(changed) or 'unknown'}); rerun without --resume or "
                         "with the same settings", path=str(directory))
    model.load_state_dict(weights)
    optimizer.load_state_dict(_optimizer_state(flat, state["optimizer"]))
    scheduler.load_state_dict(state["scheduler"])
    _set_random_state(sampler_rng, state["sampler_rng"])
    _set_random_state(random, state["python_rng"])
    _set_numpy_state(state["numpy_rng"])
    torch.set_rng_state(rng["torch"])
    cuda = [rng[k] for k in sorted(rng) if k.startswith("cuda")]
    if cuda and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(cuda)
    return state["trainer"], best
