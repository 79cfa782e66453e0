"""Fast (target, comment) pair encoding on the Rust `tokenizers` library, into numpy batches.

Produces exactly the ids of `stance.model.batch.tokenize_pairs` (target as segment A, cut to
`MAX_CONTEXT_CHARS` characters; comment as segment B, the only one truncated), but it encodes each
distinct target once, encodes comments without padding, and pads only when a length-sorted
batch is cut, so no work is spent on padding and nothing needs torch or transformers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stance.errors import InputError

#: Same value as `stance.model.batch.MAX_CONTEXT_CHARS` (a test keeps them equal); repeated here
#: so the ONNX Runtime path can run without importing torch.
MAX_CONTEXT_CHARS = 200
#: A target never takes more than this share of `max_length`, so the comment always fits some.
MAX_CONTEXT_SHARE = 0.5
#: Comments per task when several threads tokenize one window.
PARALLEL_CHUNK = 1024


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """A padded batch as numpy arrays (int64), ready for torch or ONNX Runtime."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray | None

    def __len__(self) -> int:
        return int(self.input_ids.shape[0])

    @property
    def tokens(self) -> int:
        """Real (unpadded) tokens in the batch."""
        return int(self.attention_mask.sum())


@dataclass(frozen=True, slots=True)
class Encoded:
    """One encoded pair, unpadded."""

    ids: list[int]
    type_ids: list[int]


class PairEncoder:
    """Encodes (target, comment) pairs; one per model, safe to share between threads."""

    def __init__(self, tokenizer: Any, max_length: int, use_token_types: bool = True,
                 workers: int = 1):
        from tokenizers import Tokenizer

        if isinstance(tokenizer, Tokenizer):
            rust = Tokenizer.from_str(tokenizer.to_str())
        elif hasattr(tokenizer, "backend_tokenizer"):  # a transformers fast tokenizer
            rust = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
        else:
            raise InputError("the tokenizer is not a fast (Rust) tokenizer; save the model "
                             "with a tokenizer.json")
        rust.no_truncation()
        rust.no_padding()
        self._tok = rust
        self.max_length = int(max_length)
        self.use_token_types = use_token_types
        self._specials = rust.num_special_tokens_to_add(True)
        self._pad_id = _pad_id(rust, tokenizer)
        self._targets: dict[str, Any] = {}
        #: Threads that tokenize chunks of a window at once (the Rust side releases the GIL);
        #: worth it on CUDA, where the CPU only feeds the GPU.
        self.workers = max(1, workers)
        self._pool: ThreadPoolExecutor | None = None

    @classmethod
    def from_dir(cls, directory: str | Path, max_length: int, use_token_types: bool = True,
                 workers: int = 1) -> PairEncoder:
        from tokenizers import Tokenizer

        path = Path(directory) / "tokenizer.json"
        if not path.is_file():
            raise InputError(f"{path.parent} has no tokenizer.json (a fast tokenizer is needed)")
        return cls(Tokenizer.from_file(str(path)), max_length, use_token_types, workers)

    @property
    def pad_id(self) -> int:
        return self._pad_id

    def tokenizer_json(self) -> str:
        text: str = self._tok.to_str()
        return text

    def save_tokenizer(self, path: str | Path) -> None:
        self._tok.save(str(path))

    def _target(self, target: str) -> Any:
        enc = self._targets.get(target)
        if enc is None:
            if len(self._targets) > 4096:
                self._targets.clear()
            enc = self._tok.encode(target[:MAX_CONTEXT_CHARS], add_special_tokens=False)
            cap = int(self.max_length * MAX_CONTEXT_SHARE)
            if len(enc.ids) > cap:
                enc.truncate(cap)
            self._targets[target] = enc
        return enc

    def encode(self, targets: Sequence[str], texts: Sequence[str],
               max_length: int | None = None) -> list[Encoded]:
        """Encode pairs, unpadded, truncating only the comment to fit `max_length` (default:
        the encoder's; a shorter one reads less of each comment)."""
        if self.workers == 1 or len(texts) < 2 * PARALLEL_CHUNK:
            return self._encode(targets, texts, max_length)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="stance-tok")
        starts = range(0, len(texts), PARALLEL_CHUNK)
        parts = self._pool.map(lambda i: self._encode(targets[i:i + PARALLEL_CHUNK],
                                                      texts[i:i + PARALLEL_CHUNK], max_length),
                               starts)
        return [row for part in parts for row in part]

    def _encode(self, targets: Sequence[str], texts: Sequence[str],
                max_length: int | None = None) -> list[Encoded]:
        comments = self._tok.encode_batch(list(texts), add_special_tokens=False)
        limit = min(max_length or self.max_length, self.max_length)
        out: list[Encoded] = []
        for target, comment in zip(targets, comments, strict=True):
            first = self._target(target or "")
            room = limit - self._specials - len(first.ids)
            if len(comment.ids) > room:
                comment.truncate(max(room, 0))
            pair = self._tok.post_process(first, comment, add_special_tokens=True)
            out.append(Encoded(pair.ids, pair.type_ids))
        return out

    def pad(self, rows: Sequence[Encoded], multiple_of: int = 8) -> TokenBatch:
        """Pad rows into one batch, to the longest row rounded up to `multiple_of`."""
        longest = max(len(r.ids) for r in rows)
        if multiple_of > 1:
            longest = -(-longest // multiple_of) * multiple_of
        ids = np.full((len(rows), longest), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), longest), dtype=np.int64)
        types = np.zeros((len(rows), longest), dtype=np.int64) if self.use_token_types else None
        for i, row in enumerate(rows):
            n = len(row.ids)
            ids[i, :n] = row.ids
            mask[i, :n] = 1
            if types is not None:
                types[i, :n] = row.type_ids
        return TokenBatch(ids, mask, types)


def _pad_id(rust: Any, tokenizer: Any) -> int:
    pad = getattr(tokenizer, "pad_token_id", None)
    if isinstance(pad, int):
        return pad
    for token in ("[PAD]", "<pad>", "<|padding|>"):
        found = rust.token_to_id(token)
        if found is not None:
            return int(found)
    return 0


def uses_token_types(encoder_config: dict[str, Any]) -> bool:
    """Whether the encoder has a segment embedding worth feeding (BERT yes, RoBERTa no)."""
    return int(encoder_config.get("type_vocab_size", 2) or 0) > 1


def read_encoder_config(directory: str | Path) -> dict[str, Any]:
    from stance.model.io import ENCODER_CONFIG_NAME

    data: dict[str, Any] = json.loads((Path(directory) / ENCODER_CONFIG_NAME).read_text())
    return data
