"""TrainingConfig: every training setting in one frozen object (saved beside the model)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from stance.errors import InputError
from stance.settings import checked_settings


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    base: str | None = None  # base encoder dir/hub name, or a saved stance model; None = MiniLM
    output: str = "runs/model"
    epochs: float = 3.0  # sampled epochs (see epoch_examples)
    lr: float = 5e-5  # encoder learning rate
    head_lr: float = 5e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    batch_size: int = 32
    max_length: int = 128
    seed: int = 13
    device: str = "auto"  # auto | cpu | cuda
    mixed_precision: bool = True  # bf16 autocast on CUDA
    eval_fraction: float = 0.1  # dev slice carved from annotated files without a dev split
    patience: int = 4  # evaluations without a better dev score before stopping
    evals_per_epoch: int = 2
    #: Datasets are sampled in proportion to size**alpha (0 = equal, 1 = natural sizes).
    sampling_alpha: float = 0.5
    #: No dataset is repeated more than this many times per epoch.
    max_repeat: float = 2.0
    #: Extra sampling weight per dataset tag (e.g. a side-signal dataset drawn less often).
    dataset_weights: dict[str, float] = field(default_factory=lambda: {"babe": 0.25})
    #: Examples per sampled epoch; 0 = the number of training rows, capped by max_repeat.
    epoch_examples: int = 0
    #: Inside each dataset, rows are drawn ∝ (1 / count of their class) ** balance_beta
    #: (0 = uniform; 1 = balanced classes); the loss class weights then correct the rest.
    balance_beta: float = 0.0
    #: Per-dataset balance_beta, where one dataset's rare classes need more draws than the
    #: others' (e.g. {"rumoureval2019": 0.5} for its query and deny); overrides balance_beta.
    dataset_balance: dict[str, float] = field(default_factory=dict)
    #: Class weights are (1 / class frequency) ** power, normalised (0 = unweighted).
    class_weight_power: float = 0.5
    #: Probability that a row without a stance label is read with a random stance target
    #: instead of none, so heads that ignore the target learn to ignore it.
    distractor_target_p: float = 0.5
    max_grad_norm: float = 1.0
    #: A saved stance model whose predictions anchor the run (learning without forgetting):
    #: on rows of the datasets in `distill`, each head also pays `distill[dataset]` times the
    #: KL divergence from the teacher's (uncalibrated) distribution, so a continuation that
    #: learns new data keeps what the teacher did on the old. Heads over the parent pair
    #: (agreement) are not distilled.
    teacher: str | None = None
    distill: dict[str, float] = field(default_factory=dict)
    #: On distilled rows that are read under a distractor target (`distractor_target_p`), the
    #: teacher reads the comment alone, and only the heads that ignore the target (sentiment,
    #: media bias, conspiracy) are anchored: the student learns to read a comment under a
    #: headline as the teacher reads it with no target at all.
    distill_plain: bool = False
    #: Give the stance head the parent comment (a context head over the parent's and the
    #: reply's vectors, added to the stance logits of replies); rows with a stance label and a
    #: `parent_text` then encode their parent too.
    stance_context: bool = True
    #: Pool the token vectors by learned attention instead of their mean (`ModelConfig.pooling`;
    #: a continued mean-pooled model starts with the same outputs).
    attention_pooling: bool = False
    #: Train only the top this many transformer layers of the encoder (with the heads, the
    #: context head and the pooler); the embeddings and the layers below stay as the base
    #: has them. 0 = every layer. A continuation that may move less of the encoder forgets
    #: less of what it is not shown, and its steps cost less (no gradient below the cut).
    train_layers: int = 0
    #: Learning rate of the attention scorer (0 = head_lr). The scorer starts at zero and its
    #: weights must grow to about one before token weights differ much: at a head's rate a
    #: short continuation leaves it near the mean (300 steps at 1.5e-4: weight norm 0.02).
    pooler_lr: float = 0.0
    #: Saved as the model's `reread_alone` gates (`stance.model.config.ModelConfig`): where a
    #: claim head scores at least this under a thread's target, `stance label` reads the
    #: comment again alone. Chosen for 0.3.2 on comment_claims dev under real headlines
    #: (`python -m stance.train.headlines MODEL --claims`, three draws): 0.2 passes every
    #: comment that the media-bias head flags read alone, 0.1 at least 98% of those the
    #: conspiracy head flags. {} = one pass.
    reread_alone: dict[str, float] = field(
        default_factory=lambda: {"media_bias": 0.2, "conspiracy": 0.1})
    #: ... reading this many tokens (the model's `reread_max_length`; 0 = max_length).
    reread_max_length: int = 128
    #: Write a resumable checkpoint (weights, optimizer, scheduler, sampler, RNG) this often.
    checkpoint_every_s: float = 300.0
    max_steps: int = 0  # stop after this many optimiser steps (0 = no limit); smoke tests
    time_limit_s: float = 0.0  # stop training (then calibrate and save) after this long
    calibrate: bool = True  # fit temperatures and binary thresholds on dev
    log_every: int = 50
    eval_batch_size: int = 128
    #: What the model card calls the base (default: `base`, or all-MiniLM-L6-v2 for None).
    base_label: str | None = None
    model_name: str = "stance-minilm"
    model_version: str = "0.1.0"

    def __post_init__(self) -> None:
        problems = []
        if self.epochs <= 0:
            problems.append("epochs must be > 0")
        if self.batch_size < 1 or self.eval_batch_size < 1:
            problems.append("batch sizes must be >= 1")
        if not 8 <= self.max_length <= 512:
            problems.append("max_length must be between 8 and 512")
        if not 0 <= self.eval_fraction < 1:
            problems.append("eval_fraction must be in [0, 1)")
        if self.device not in ("auto", "cpu", "cuda") and not self.device.startswith("cuda:"):
            problems.append(f"unknown device {self.device!r}")
        if self.train_layers < 0:
            problems.append("train_layers must be >= 0")
        if self.pooler_lr < 0:
            problems.append("pooler_lr must be >= 0")
        if any(w < 0 for w in self.distill.values()):
            problems.append("distill weights must be >= 0")
        if self.distill and not self.teacher:
            problems.append("distill needs a teacher model")
        if self.distill_plain and not self.distill:
            problems.append("distill_plain needs distill weights")
        if any(not isinstance(g, int | float) or not 0 <= g <= 1
               for g in self.reread_alone.values()):
            problems.append("reread_alone gates must lie between 0 and 1")
        if self.reread_max_length and not 8 <= self.reread_max_length <= 512:
            problems.append("reread_max_length must be 0 or between 8 and 512")
        if problems:
            raise InputError("bad training settings: " + "; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingConfig:
        return cls(**checked_settings(cls, data, "training"))

    def replace(self, **changes: Any) -> TrainingConfig:
        return replace(self, **changes)
