"""The multi-task model: one shared encoder, a dict of small heads.

One encoder pass per comment: the comment is read together with the thread's target, pooled (the
mean of the token vectors, or a learned weighted mean: `ModelConfig.pooling`) into a vector `h`.
Stance, sentiment, media-bias and conspiracy heads read `h`; the agreement head reads the
comment's `h` with its parent's `h` (from the parent's own pass, so nothing is encoded twice at
inference).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import torch
from torch import nn

from stance.model.batch import EncodedBatch
from stance.model.config import ModelConfig
from stance.model.tasks import TASKS

POOLINGS = ("mean", "attention")


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-6)


def attention_pool(hidden: torch.Tensor, mask: torch.Tensor, scorer: nn.Linear) -> torch.Tensor:
    """A weighted mean of the token vectors: softmax over the unmasked tokens of one linear
    score each. With the scorer at zero every token weighs the same: `mean_pool`."""
    scores = scorer(hidden).squeeze(-1).float()
    scores = scores.masked_fill(mask == 0, -1e4)
    weights = torch.softmax(scores, dim=-1).to(hidden.dtype).unsqueeze(-1)
    return (hidden * weights).sum(1)


class Head(nn.Module):
    def __init__(self, in_dim: int, hidden: int, out_dim: int, dropout: float):
        super().__init__()
        self.net = nn.Sequential(nn.Dropout(dropout), nn.Linear(in_dim, hidden), nn.GELU(),
                                 nn.Dropout(dropout), nn.Linear(hidden, out_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def pair_features(parent: torch.Tensor, child: torch.Tensor) -> torch.Tensor:
    return torch.cat([parent, child, parent * child, (parent - child).abs()], dim=-1)


class MultiTaskModel(nn.Module):
    """An encoder (any transformers `AutoModel`) and one head per task."""

    def __init__(self, encoder: nn.Module, config: ModelConfig):
        super().__init__()
        self.encoder = encoder
        self.config = config
        dim = int(encoder.config.hidden_size)  # type: ignore[union-attr,arg-type]
        heads: dict[str, nn.Module] = {}
        for name in config.tasks:
            task = TASKS[name]
            in_dim = 4 * dim if task.pair == "parent" else dim
            out_dim = 1 if task.binary else len(task.labels)
            heads[name] = Head(in_dim, config.head_hidden, out_dim, config.dropout)
        self.heads = nn.ModuleDict(heads)
        self.context = nn.ModuleDict({name: self._context_head(name)
                                      for name in config.context_heads})
        if config.pooling not in POOLINGS:
            raise ValueError(f"unknown pooling {config.pooling!r} (known: {', '.join(POOLINGS)})")
        self.pooler = self._pooler() if config.pooling == "attention" else None

    def _pooler(self) -> nn.Linear:
        scorer = nn.Linear(self.hidden_size, 1)
        nn.init.zeros_(scorer.weight)  # starts as the plain mean
        nn.init.zeros_(scorer.bias)
        return scorer

    def add_attention_pooling(self) -> None:
        """Pool by learned attention instead of the mean (zero-initialised: same outputs)."""
        if self.pooler is not None:
            return
        device = next(self.parameters()).device
        self.pooler = self._pooler().to(device)
        self.config = replace(self.config, pooling="attention")

    def _context_head(self, name: str) -> Head:
        task = TASKS[name]
        if task.pair == "parent":
            raise ValueError(f"{name} already reads the parent; it takes no context head")
        head = Head(4 * self.hidden_size, self.config.head_hidden,
                    1 if task.binary else len(task.labels), self.config.dropout)
        last = head.net[-1]
        assert isinstance(last, nn.Linear)
        nn.init.zeros_(last.weight)  # a new context head starts as "no change"
        nn.init.zeros_(last.bias)
        return head

    def add_context_head(self, name: str) -> None:
        """Give comment head `name` a context head (zero-initialised: same outputs as before)."""
        if name in self.context:
            return
        device = next(self.parameters()).device
        self.context[name] = self._context_head(name).to(device)
        self.config = replace(self.config,
                              context_heads=tuple(self.config.context_heads) + (name,))

    @property
    def hidden_size(self) -> int:
        return int(self.encoder.config.hidden_size)  # type: ignore[union-attr,arg-type]

    def encode(self, batch: EncodedBatch) -> torch.Tensor:
        """Pooled encoder output (`config.pooling`), one vector per row: [B, H]."""
        out = self.encoder(**batch.as_kwargs())
        if self.pooler is not None:
            return attention_pool(out.last_hidden_state, batch.attention_mask, self.pooler)
        return mean_pool(out.last_hidden_state, batch.attention_mask)

    def logits(self, pooled: torch.Tensor, parent_pooled: torch.Tensor | None = None,
               tasks: tuple[str, ...] | None = None,
               parent_index: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """Raw logits per head. Agreement needs `parent_pooled`.

        Without `parent_index`, `parent_pooled` rows align with `pooled`. With it (a [P] index
        into the rows of `pooled`), only those P rows have a parent: `parent_pooled` is [P, H]
        and the agreement logits are [P, C], aligned with `parent_index`.
        """
        result: dict[str, torch.Tensor] = {}
        for name in tasks or self.config.tasks:
            if TASKS[name].pair == "parent":
                if parent_pooled is None:
                    continue
                child = pooled if parent_index is None else pooled.index_select(0, parent_index)
                result[name] = self.heads[name](pair_features(parent_pooled, child))
            else:
                result[name] = self.heads[name](pooled)
                if name in self.context and parent_pooled is not None:
                    result[name] = self._with_context(name, result[name], pooled,
                                                      parent_pooled, parent_index)
        return result

    def context_logits(self, name: str, parent: torch.Tensor, child: torch.Tensor
                       ) -> torch.Tensor:
        """What the context head adds to head `name`'s logits for (parent, reply) rows."""
        return self.context[name](pair_features(parent, child))

    def _with_context(self, name: str, logits: torch.Tensor, pooled: torch.Tensor,
                      parent_pooled: torch.Tensor, parent_index: torch.Tensor | None
                      ) -> torch.Tensor:
        if parent_index is None:
            return logits + self.context_logits(name, parent_pooled, pooled)
        child = pooled.index_select(0, parent_index)
        delta = self.context_logits(name, parent_pooled, child).to(logits.dtype)
        return logits.index_add(0, parent_index, delta)

    def probabilities(self, logits: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Calibrated probabilities: softmax (or sigmoid for binary heads) of logits / T.

        Binary heads return [B] probabilities of the positive class; others [B, C].
        """
        probs: dict[str, torch.Tensor] = {}
        for name, value in logits.items():
            temp = float(self.config.temperatures.get(name, 1.0))
            scaled = value.float() / temp
            probs[name] = (torch.sigmoid(scaled.squeeze(-1)) if TASKS[name].binary
                           else torch.softmax(scaled, dim=-1))
        return probs

    def forward(self, batch: EncodedBatch, parent_batch: EncodedBatch | None = None,
                labels: dict[str, torch.Tensor] | None = None,
                loss_weights: dict[str, torch.Tensor] | None = None,
                parent_index: torch.Tensor | None = None) -> dict[str, Any]:
        """Per-task losses (key `loss_<task>`) plus `logits`; the trainer sums and logs them.

        `labels[task]` holds class indices (or 0/1 for binary heads) with -100 where a row has
        no label for that head; such rows do not train it. `parent_batch` holds the parents of
        all rows, or with `parent_index` ([P] row indices) only of the rows that have one;
        agreement labels stay aligned with `batch` either way.
        """
        pooled = self.encode(batch)
        parent_pooled = self.encode(parent_batch) if parent_batch is not None else None
        logits = self.logits(pooled, parent_pooled, parent_index=parent_index)
        out: dict[str, Any] = {"logits": logits}
        if labels is None:
            return out
        for name, target in labels.items():
            if name not in logits:
                continue
            if TASKS[name].pair == "parent" and parent_index is not None:
                target = target.index_select(0, parent_index)
            loss = task_loss(name, logits[name], target,
                             loss_weights.get(name) if loss_weights else None)
            if loss is not None:
                out[f"loss_{name}"] = loss
        return out


def distill_loss(name: str, student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """Per-row KL divergence from a teacher's distribution to the student's, for one head.

    Binary heads compare Bernoulli distributions (BCE against the teacher's probability, less
    the teacher's own entropy, so a perfect match costs zero). Returns a [B] tensor.
    """
    student, teacher = student.float(), teacher.float().detach()
    if TASKS[name].binary:
        s, t = student.squeeze(-1), teacher.squeeze(-1)
        p = torch.sigmoid(t)
        cross = nn.functional.binary_cross_entropy_with_logits(s, p, reduction="none")
        return cross - nn.functional.binary_cross_entropy_with_logits(t, p, reduction="none")
    log_t = torch.log_softmax(teacher, -1)
    return (log_t.exp() * (log_t - torch.log_softmax(student, -1))).sum(-1)


def task_loss(name: str, logits: torch.Tensor, target: torch.Tensor,
              weight: torch.Tensor | None = None) -> torch.Tensor | None:
    """Mean loss of one head over the rows labelled for it (-100 = unlabelled); None if none.

    `weight` holds one weight per class; a binary head turns it into BCE's `pos_weight`
    (unweighted when a class has weight 0, i.e. never occurs in the training rows).
    """
    keep = target != -100
    if not bool(keep.any()):
        return None
    if TASKS[name].binary:
        pos_weight = None
        if weight is not None and bool((weight[:2] > 0).all()):
            pos_weight = weight[1:2] / weight[0:1]
        return nn.functional.binary_cross_entropy_with_logits(
            logits.squeeze(-1)[keep].float(), target[keep].float(), pos_weight=pos_weight)
    return nn.functional.cross_entropy(logits[keep].float(), target[keep], weight=weight)
