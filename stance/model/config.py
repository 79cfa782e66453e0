"""Model settings, saved beside the weights as `stance_config.json`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from stance.model.tasks import TASK_NAMES


@dataclass(frozen=True, slots=True)
class ModelConfig:
    name: str = "stance-minilm"
    version: str = "0.0.0"
    base: str = "all-MiniLM-L6-v2"  # what the encoder was initialised from
    max_length: int = 128
    head_hidden: int = 256
    dropout: float = 0.1
    tasks: tuple[str, ...] = TASK_NAMES
    #: Temperature per head, fitted on dev data after training (1.0 = uncalibrated).
    temperatures: dict[str, float] = field(default_factory=dict)
    #: Decision threshold per binary head (on the calibrated probability).
    thresholds: dict[str, float] = field(default_factory=dict)
    #: Comment heads that also read the parent: for a reply, a small pair head over (parent
    #: vector, reply vector) adds to the head's logits (e.g. "Yeah, right" under a comment
    #: against the target). The parent's vector comes from its own pass, so this is free at
    #: inference.
    context_heads: tuple[str, ...] = ()
    #: Binary heads whose dev figures (and thresholds) come from comments read alone, but which
    #: a thread reads under its target: where a comment read under a non-empty target scores
    #: at least its gate on any of them, the engine reads it once more with no target, and
    #: all of these heads take that reading (`stance.infer.engine`). A headline around a comment
    #: lowers these heads' scores (dev F1 0.70 -> 0.64-0.68); the gate keeps the second pass
    #: to the comments that could cross a threshold read alone. Empty = one pass.
    reread_alone: dict[str, float] = field(default_factory=dict)
    #: Tokens the second reading reads (0 = `max_length`). 128 keeps it on the int8 graph
    #: that `stance label` runs on CPU for inputs up to 128 tokens (`stance.infer.export`).
    reread_max_length: int = 0
    #: How the encoder's token vectors become the comment's vector `h`: "mean" (mean over the
    #: tokens) or "attention" (a learned weighted mean: one linear score per token, softmax
    #: over the tokens; it starts at zero, which is the plain mean).
    pooling: str = "mean"

    @property
    def tag(self) -> str:
        return f"{self.name}@{self.version}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tasks"] = list(self.tasks)
        data["context_heads"] = list(self.context_heads)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        for key in ("tasks", "context_heads"):
            if key in kwargs:
                kwargs[key] = tuple(kwargs[key])
        return cls(**kwargs)
