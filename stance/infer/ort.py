"""ONNX Runtime backend: the exported encoder (fp32 or int8) and heads, without torch."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from stance.infer.backends import CONTEXT_PREFIX, BatchOutput, Pending
from stance.infer.export import ENCODER_FP32, ENCODER_INT8, HEADS, PAIR_HEADS, read_meta
from stance.infer.tokenize import TokenBatch

logger = logging.getLogger(__name__)

#: Graph fusions left out. ONNX Runtime's CPU SkipLayerNormalization kernel took ~190 us per
#: call on one comment (77 x 384), eight times its plain LayerNormalization plus the Add; without
#: the fusion the int8 encoder runs 163-166 comments/s on one thread instead of 141-145
#: (measured on this 2-core machine, ORT 1.32). The transformers optimizer's Attention and
#: MultiHeadAttention fusions were slower still (154-158/s) and are not used.
DISABLED_FUSIONS = ("SkipLayerNormFusion",)


def session(path: Path, threads: int | None, profile_prefix: str | None = None) -> Any:
    """A CPU session as the engine runs it; with `profile_prefix`, one that records a kernel
    profile (`end_profiling()` writes it)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    if profile_prefix:
        options.enable_profiling = True
        options.profile_file_prefix = profile_prefix
    options.intra_op_num_threads = threads or os.cpu_count() or 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # No busy-waiting between ops: on a shared machine spinning threads steal the cores that
    # the other thread needs (measured: about 1.5x slower on 2 busy cores).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"],
                                disabled_optimizers=list(DISABLED_FUSIONS))


class OrtBackend:
    """Runs an export made by `stance.infer.export` on the CPU."""

    def __init__(self, export_dir: Path, *, int8: bool, threads: int | None = None):
        self.meta = read_meta(export_dir)
        self.name = "onnx-int8" if int8 else "onnx-fp32"
        self.tasks: tuple[str, ...] = tuple(self.meta["tasks"])
        self.pair_tasks: tuple[str, ...] = tuple(self.meta["pair_tasks"])
        self.hidden_size = int(self.meta["hidden_size"])
        workers = threads or os.cpu_count() or 1
        #: The encoder runs one comment at a time. For int8 this is what keeps results
        #: deterministic: dynamic quantisation takes its activation scale from the whole
        #: input, so in a batch a comment's scores would depend on its neighbours (labels
        #: flipped for ~3-5% of comments between batch sizes 16 and 64, measured). Alone, each
        #: comment gets the same scores however the stream is cut (window, batch size, resume,
        #: Ray shards), and needs no padding.
        #: One comment is too little work to split over cores, so comments run side by side,
        #: one single-threaded run per core; ONNX Runtime releases the GIL. On 2 free cores:
        #: int8 274 comments/s against 150 for one run on two threads, fp32 131 against ~117
        #: for batches of 4 on two threads (measured).
        self.per_comment = True
        #: Comments handed over per call (a unit of scheduling only).
        self.preferred_batch = 32
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="stance-ort") \
            if workers > 1 else None
        self._encoder = session(export_dir / (ENCODER_INT8 if int8 else ENCODER_FP32), 1)
        #: Inputs longer than this run in the fp32 graph (see export.INT8_MAX_TOKENS); None:
        #: the chosen graph takes every input.
        limit = self.meta.get("int8_max_tokens") if int8 else None
        self.int8_max_tokens: int | None = int(limit) if limit else None
        self._long = session(export_dir / ENCODER_FP32, 1) if self.int8_max_tokens else None
        self._heads = session(export_dir / HEADS, 1)
        #: Pair-graph outputs: the parent-pair heads, then the context heads' logit additions.
        self.pair_outputs = list(self.pair_tasks) + [
            CONTEXT_PREFIX + t for t in self.meta.get("context_heads", [])]
        self._pairs = session(export_dir / PAIR_HEADS, 1) if self.pair_outputs else None
        self._inputs = {i.name for i in self._encoder.get_inputs()}

    def _encode(self, batch: TokenBatch) -> np.ndarray:
        graph = self._encoder
        if self._long is not None and int(batch.attention_mask.sum(axis=1).max()) > (
                self.int8_max_tokens or 0):
            graph = self._long  # one comment (per_comment), so its own length decides
        pooled: np.ndarray = graph.run(["pooled"], encoder_feed(batch, self._inputs))[0]
        return pooled

    def run(self, batch: TokenBatch) -> BatchOutput:
        if self.per_comment and len(batch) > 1:
            rows = split_rows(batch)
            done = self._pool.map(self._encode, rows) if self._pool else map(self._encode, rows)
            pooled = np.concatenate(list(done))
        else:
            pooled = self._encode(batch)
        logits = self._heads.run(list(self.tasks), {"pooled": pooled}) if self.tasks else []
        return BatchOutput(pooled, dict(zip(self.tasks, logits, strict=True)))

    def submit(self, batch: TokenBatch) -> Pending:
        out = self.run(batch)
        return lambda: out

    def agreement(self, parent: np.ndarray, child: np.ndarray) -> dict[str, np.ndarray]:
        if self._pairs is None or len(parent) == 0:
            return {}
        feed = {"parent": np.ascontiguousarray(parent, dtype=np.float32),
                "child": np.ascontiguousarray(child, dtype=np.float32)}
        outs = self._pairs.run(self.pair_outputs, feed)
        return dict(zip(self.pair_outputs, outs, strict=True))


def encoder_feed(batch: TokenBatch, inputs: set[str]) -> dict[str, np.ndarray]:
    """The exported encoder's inputs for `batch` (token types as zeros when it takes them and
    the tokenizer made none)."""
    feed = {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask}
    if "token_type_ids" in inputs:
        types = batch.token_type_ids
        feed["token_type_ids"] = types if types is not None else np.zeros_like(batch.input_ids)
    return feed


def split_rows(batch: TokenBatch) -> list[TokenBatch]:
    """Each row of a padded batch on its own, without its padding."""
    lengths = batch.attention_mask.sum(axis=1)
    types = batch.token_type_ids
    return [TokenBatch(batch.input_ids[i:i + 1, :n], batch.attention_mask[i:i + 1, :n],
                       None if types is None else types[i:i + 1, :n])
            for i, n in enumerate(lengths.tolist())]
