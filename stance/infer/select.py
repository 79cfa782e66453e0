"""Choose the device and backend for a model, and load it.

CPU, `quantize="auto"`: ONNX Runtime with the per-channel int8 encoder when its calibration
scores stay within tolerance of fp32 torch, else ONNX Runtime fp32; torch fp32 if ONNX export or
ONNX Runtime is unavailable. A cached export is loaded without importing torch at all.
CUDA: torch with bf16 (or fp16) autocast.
"""

from __future__ import annotations

import copy
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.errors import InputError, StanceError
from stance.infer.config import InferenceConfig
from stance.infer.tokenize import PairEncoder, uses_token_types
from stance.model.config import ModelConfig

logger = logging.getLogger(__name__)

#: ONNX Runtime fp32 must reproduce torch fp32 this closely, or the export is not trusted.
FP32_EXPORT_TOLERANCE = 1e-3


@dataclass(frozen=True, slots=True)
class Loaded:
    backend: Any
    encoder: PairEncoder
    model_config: ModelConfig
    device: str
    calibration: dict[str, Any] | None


def cpu_threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def resolve_device(device: str) -> str:
    from stance.infer.backends import cuda_present

    if device == "cpu":
        return "cpu"
    present = cuda_present()
    if device == "cuda" and not present:
        raise InputError("--device cuda was asked for, but no CUDA device is available")
    return "cuda" if present else "cpu"


def load(source: Any, config: InferenceConfig) -> Loaded:
    """Load `source` (model dir, (model, tokenizer) or None) as `config` says."""
    device = resolve_device(config.device)
    mode = config.quantize
    if device == "cuda":
        if mode in ("int8", "onnx", "onnx-int8"):
            raise InputError(f"quantize mode {mode!r} runs on CPU only; use --device cpu")
        return _torch(source, config, "cuda", int8=False)
    if mode in ("none", "int8"):
        return _torch(source, config, "cpu", int8=mode == "int8")
    try:
        return _onnx(source, config)
    except (ImportError, ExportError) as exc:
        if mode != "auto":
            raise StanceError(f"the ONNX Runtime path is unavailable: {exc}") from exc
        logger.warning("ONNX Runtime path unavailable (%s); using torch fp32", exc)
        return _torch(source, config, "cpu", int8=False)


def auto_choice(calibration: dict[str, Any], config: InferenceConfig) -> str:
    """The CPU backend `quantize="auto"` runs: ONNX Runtime int8 when within tolerance (on 2
    cores faster than torch int8: ~250 against ~160-190 comments/s; deterministic per comment;
    no torch import), else ONNX Runtime fp32 (exact, and a faster start than torch)."""
    measured = calibration.get("int8")
    if measured is not None and within_tolerance(measured, config):
        return "onnx-int8"
    return "onnx"


class ExportError(StanceError):
    """The model could not be exported to ONNX, or the export does not reproduce it."""


def _model_dir(source: Any) -> Path:
    from stance.model.io import CONFIG_NAME, default_model_dir, is_stance_model

    path = Path(source) if source else default_model_dir()
    if not is_stance_model(path):
        raise InputError(f"{path} is not a stance model directory (no {CONFIG_NAME}); "
                         "train one with 'stance train' or pass --model")
    return path


def fp32(model: Any, owned: bool) -> Any:
    """`model` with every floating-point weight in float32 (a saved encoder config can carry
    `dtype: float16`, which would make CPU inference slow and GPU autocast lossy); copies a model
    it does not own before changing it."""
    import torch

    if all(p.dtype == torch.float32 for p in model.parameters() if p.is_floating_point()):
        return model
    return (model if owned else copy.deepcopy(model)).float()


def _torch_model(source: Any, device: str) -> tuple[Any, Any]:
    """(model, tokenizer) in float32; a caller's model is copied rather than moved or cast."""
    if isinstance(source, tuple):
        model, tokenizer = source
        current = next(iter(model.parameters())).device.type
        owned = current != device
        return fp32(copy.deepcopy(model) if owned else model, owned), tokenizer
    from stance.model.io import load_model

    model, tokenizer = load_model(_model_dir(source), "cpu")
    return fp32(model, True), tokenizer


def _torch(source: Any, config: InferenceConfig, device: str, int8: bool) -> Loaded:
    import torch

    from stance.infer.backends import TorchBackend

    if config.threads:
        torch.set_num_threads(config.threads)
    model, tokenizer = _torch_model(source, device)
    backend = TorchBackend(model, device, int8=int8, precision=config.precision)
    workers = min(8, cpu_threads()) if device == "cuda" else 1
    encoder = PairEncoder(tokenizer, model.config.max_length,
                          uses_token_types(model.encoder.config.to_dict()), workers)
    return Loaded(backend, encoder, model.config, device, None)


def ensure_export(source: Any, cache_dir: str | None) -> Path:
    """The cached ONNX export of `source`, made now if missing."""
    from stance.infer.export import cached_export, dir_key, export_model, model_key

    if isinstance(source, tuple):
        model, tokenizer = source
        encoder = PairEncoder(tokenizer, model.config.max_length,
                              uses_token_types(model.encoder.config.to_dict()))
        key = model_key(model, encoder.tokenizer_json())
    else:
        path = _model_dir(source)
        key = dir_key(path)
        model = encoder = None
    hit = cached_export(key, cache_dir)
    if hit is not None:
        return hit
    logger.info("exporting the model to ONNX (once per model; cached)")
    if model is None:
        from stance.model.io import load_model

        model, tokenizer = load_model(path, "cpu")
        model = fp32(model, True)
        encoder = PairEncoder(tokenizer, model.config.max_length,
                              uses_token_types(model.encoder.config.to_dict()))
    try:
        return export_model(model, encoder, key, cache_dir)
    except StanceError as exc:
        raise ExportError(str(exc)) from exc
    except OSError as exc:
        raise ExportError(f"cannot write the ONNX cache ({exc.strerror or exc}: "
                          f"{exc.filename}); set STANCE_CACHE to a writable folder") from exc


def within_tolerance(measured: dict[str, Any], config: InferenceConfig) -> bool:
    return bool(measured["mean_abs"] <= config.tolerance
                and measured["agreement"] >= config.min_agreement)


def _onnx(source: Any, config: InferenceConfig) -> Loaded:
    import onnxruntime  # noqa: F401 - ImportError here means: no ONNX path

    from stance.infer.export import read_meta
    from stance.infer.ort import OrtBackend

    export_dir = ensure_export(source, config.cache_dir)
    meta = read_meta(export_dir)
    calibration = meta["calibration"]
    if calibration["fp32"]["max_abs"] > FP32_EXPORT_TOLERANCE:
        raise ExportError(f"the ONNX export differs from the torch model by up to "
                          f"{calibration['fp32']['max_abs']:.2g} in fp32")
    choice = config.quantize if config.quantize != "auto" else auto_choice(calibration, config)
    if config.quantize == "auto":
        _log_choice(calibration, choice)
    backend = OrtBackend(export_dir, int8=choice == "onnx-int8",
                         threads=config.threads or cpu_threads())
    encoder = PairEncoder.from_dir(export_dir, int(meta["max_length"]),
                                   bool(meta["use_token_types"]))
    return Loaded(backend, encoder, ModelConfig.from_dict(meta["model"]), "cpu", calibration)


def _log_choice(calibration: dict[str, Any], choice: str) -> None:
    found = calibration.get("int8")
    if found is not None:
        logger.info("onnx-int8 vs fp32 on %d calibration comments: mean |d score| %.4f, "
                    "max %.4f, label agreement %.3f", calibration["comments"],
                    found["mean_abs"], found["max_abs"], found["agreement"])
    logger.info("quantize=auto chose %s", choice)
