"""Inference settings, passed around as one frozen object."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from stance.errors import InputError
from stance.settings import checked_settings

DEVICES = ("auto", "cpu", "cuda")
#: none = fp32 torch; int8 = torch dynamic int8 (per channel); onnx = ONNX Runtime fp32;
#: onnx-int8 = ONNX Runtime dynamic int8 (per channel); auto = onnx-int8 on CPU when it keeps
#: scores within `tolerance` of fp32 on a calibration set (else fp32), bf16/fp16 on CUDA.
QUANTIZE = ("auto", "none", "int8", "onnx", "onnx-int8")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")


@dataclass(frozen=True, slots=True)
class InferenceConfig:
    """How to run the model; `Labeler` and `stance label` take one of these.

    Records do not depend on `batch_size`, `max_tokens` or `window` beyond float rounding.
    """

    device: str = "auto"
    #: Most comments in one forward pass; None = what the backend runs fastest with (measured
    #: on 2 cores: 16 for torch on CPU; 2048 on CUDA). ONNX Runtime encodes each comment alone
    #: whatever this says (see `OrtBackend.per_comment`).
    batch_size: int | None = None
    #: Most padded tokens in one forward pass (rows x longest row), so long comments come in
    #: smaller batches; None = 4096 on CPU, 262144 on CUDA.
    max_tokens: int | None = None
    #: Comments read ahead and sorted by length before batching; None = 2048 on CPU (32768 on
    #: CUDA). Larger windows pad less but hold more comments in memory.
    window: int | None = None
    quantize: str = "auto"
    #: CUDA autocast dtype; auto = bf16 where supported, else fp16.
    precision: str = "auto"
    #: True/False force the progress bar; None = on when stderr is a terminal and the `stance`
    #: log level lets warnings through (`--quiet` turns it off).
    progress: bool | None = None
    #: CPU threads for torch / ONNX Runtime; None = every core this process may use.
    threads: int | None = None
    #: `quantize="auto"` takes int8 only if, on the calibration set, the mean |score - fp32
    #: score| is at most `tolerance` and labels agree with fp32 on at least `min_agreement` of
    #: the rows fp32 decides with a margin (see `stance.infer.calibrate.compare`).
    tolerance: float = 0.02
    min_agreement: float = 0.97
    #: Where exported ONNX models are kept (None = $STANCE_CACHE or ~/.cache/stance).
    cache_dir: str | None = None
    #: Tokenize the next window in a background thread; None = on CUDA only.
    prefetch: bool | None = None
    #: Read comments once more without their target for the heads the model names in
    #: `reread_alone` (media bias, conspiracy), where the first reading comes near a claim.
    #: False = one pass per comment, as `make bench` measures the cost.
    reread: bool = True

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise InputError(f"unknown device {self.device!r}; choose one of {', '.join(DEVICES)}")
        if self.quantize not in QUANTIZE:
            raise InputError(f"unknown quantize mode {self.quantize!r}; choose one of "
                             f"{', '.join(QUANTIZE)}")
        if self.precision not in PRECISIONS:
            raise InputError(f"unknown precision {self.precision!r}; choose one of "
                             f"{', '.join(PRECISIONS)}")
        for name in ("batch_size", "max_tokens", "window"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise InputError(f"{name} must be a positive whole number, not {value!r}")
        if self.threads is not None and self.threads < 1:
            raise InputError(f"threads must be at least 1, not {self.threads!r}")
        if not 0 <= self.tolerance <= 1 or not 0 <= self.min_agreement <= 1:
            raise InputError("tolerance and min_agreement must lie between 0 and 1")

    def limits(self, device: str, preferred_batch: int) -> tuple[int, int, int, bool]:
        """(batch_size, max_tokens, window, prefetch), defaults filled in for `device` and
        for a backend that runs fastest with `preferred_batch` rows."""
        cuda = device == "cuda"
        batch = self.batch_size or preferred_batch
        tokens = self.max_tokens or (262144 if cuda else 4096)
        window = self.window or max(16 * batch if cuda else 2048, batch)
        return batch, tokens, window, cuda if self.prefetch is None else self.prefetch

    def with_options(self, **changes: Any) -> InferenceConfig:
        """A copy with some settings changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InferenceConfig:
        return cls(**checked_settings(cls, data, "inference"))
