"""Our own typed batch around the tokenizer, so transformers' API churn touches one file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch


@dataclass(frozen=True, slots=True)
class EncodedBatch:
    input_ids: torch.Tensor  # [B, T] int64
    attention_mask: torch.Tensor  # [B, T] int64
    token_type_ids: torch.Tensor | None = None

    def __len__(self) -> int:
        return int(self.input_ids.shape[0])

    def to(self, device: torch.device | str, non_blocking: bool = False) -> EncodedBatch:
        def move(t: torch.Tensor | None) -> torch.Tensor | None:
            return None if t is None else t.to(device, non_blocking=non_blocking)

        return EncodedBatch(move(self.input_ids), move(self.attention_mask),  # type: ignore[arg-type]
                            move(self.token_type_ids))

    def pin_memory(self) -> EncodedBatch:
        def pin(t: torch.Tensor | None) -> torch.Tensor | None:
            return None if t is None else t.pin_memory()

        return EncodedBatch(pin(self.input_ids), pin(self.attention_mask),  # type: ignore[arg-type]
                            pin(self.token_type_ids))

    def as_kwargs(self) -> dict[str, torch.Tensor]:
        out = {"input_ids": self.input_ids, "attention_mask": self.attention_mask}
        if self.token_type_ids is not None:
            out["token_type_ids"] = self.token_type_ids
        return out


def tokenize_pairs(tokenizer: Any, texts: Sequence[str], contexts: Sequence[str] | None,
                   max_length: int, pad_to_multiple_of: int | None = 8) -> EncodedBatch:
    """Tokenize comments, each read after its context (the target), padded to the longest.

    The context is the first segment and the comment the second, and only the comment is
    truncated, so a long comment never pushes the target out.
    """
    contexts = _contexts(contexts, len(texts))
    enc = tokenizer(contexts, list(texts), truncation="only_second", max_length=max_length,
                    padding=True, pad_to_multiple_of=pad_to_multiple_of, return_tensors="pt")
    tti = enc.get("token_type_ids")
    return EncodedBatch(enc["input_ids"], enc["attention_mask"], tti)


def token_lengths(tokenizer: Any, texts: Sequence[str], contexts: Sequence[str] | None,
                  max_length: int) -> list[int]:
    """Token count of each (context, comment) pair after truncation, without padding."""
    contexts = _contexts(contexts, len(texts))
    enc = tokenizer(contexts, list(texts), truncation="only_second", max_length=max_length,
                    padding=False)
    return [len(ids) for ids in enc["input_ids"]]


#: A target longer than this (in characters) is cut, so it can never crowd out the comment.
MAX_CONTEXT_CHARS = 200


def _contexts(contexts: Sequence[str] | None, n: int) -> list[str]:
    if contexts is None:
        return [""] * n
    return [(c or "")[:MAX_CONTEXT_CHARS] for c in contexts]


@dataclass(frozen=True, slots=True)
class PairIds:
    """One tokenized (context, comment) pair, unpadded: what a trainer keeps per row."""

    input_ids: list[int]
    token_type_ids: list[int] | None


def pretokenize_pairs(tokenizer: Any, texts: Sequence[str], contexts: Sequence[str] | None,
                      max_length: int) -> list[PairIds]:
    """Tokenize pairs once, exactly as `tokenize_pairs` does, but unpadded (see `collate`)."""
    if not texts:
        return []
    contexts = _contexts(contexts, len(texts))
    enc = tokenizer(contexts, list(texts), truncation="only_second", max_length=max_length,
                    padding=False)
    types = enc.get("token_type_ids")
    return [PairIds(list(ids), list(types[i]) if types is not None else None)
            for i, ids in enumerate(enc["input_ids"])]


def collate(pairs: Sequence[PairIds], pad_id: int, pad_to_multiple_of: int | None = 8
            ) -> EncodedBatch:
    """Pad pre-tokenized pairs into one batch; equal to `tokenize_pairs` on the same rows."""
    longest = max(len(p.input_ids) for p in pairs)
    if pad_to_multiple_of:
        longest = -(-longest // pad_to_multiple_of) * pad_to_multiple_of
    ids = torch.tensor([p.input_ids + [pad_id] * (longest - len(p.input_ids)) for p in pairs],
                       dtype=torch.long)
    mask = torch.tensor([[1] * len(p.input_ids) + [0] * (longest - len(p.input_ids))
                         for p in pairs], dtype=torch.long)
    types = None
    if all(p.token_type_ids is not None for p in pairs):
        types = torch.tensor([p.token_type_ids + [0] * (longest - len(p.input_ids))  # type: ignore[operator]
                              for p in pairs], dtype=torch.long)
    return EncodedBatch(ids, mask, types)
