"""The multi-task model: one shared encoder, a dict of small heads.

One encoder pass per comment: the comment is read together with the thread's target, mean-pooled
into a vector `h`. Stance, sentiment, media-bias and conspiracy heads read `h`; the agreement head
reads the comment's `h` with its parent's `h` (from the parent's own pass, so nothing is encoded
twice at inference).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from stance.model.batch import EncodedBatch
from stance.model.config import ModelConfig
from stance.model.tasks import TASKS


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-6)


class Head(nn.Module):
    def __init__(self, in_dim: int, hidden: int, out_dim: int, dropout: float):
        super().__init__()
        self.net = nn.Sequential(nn.Dropout(dropout), nn.Linear(in_dim, hidden), nn.GELU(),
                                 nn.Dropout(dropout), nn.Linear(hidden, out_dim))

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


def task_loss(name: str, logits: torch.Tensor, target: torch.Tensor,
              weight: torch.Tensor | None = None) -> torch.Tensor | None:
    """Mean loss of one head over the rows labelled for it (-100 = unlabelled); None if none.

    `weight` holds one weight per class; a binary head turns it into BCE's `pos_weight`.
    """
    keep = target != -100
    if not bool(keep.any()):
        return None
    if TASKS[name].binary:
        pos_weight = weight[1:2] / weight[0:1] if weight is not None else None
        return nn.functional.binary_cross_entropy_with_logits(
            logits.squeeze(-1)[keep].float(), target[keep].float(), pos_weight=pos_weight)
    return nn.functional.cross_entropy(logits[keep].float(), target[keep], weight=weight)
