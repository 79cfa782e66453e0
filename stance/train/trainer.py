"""The multi-task trainer, and `train_model(data, TrainingConfig) -> Path` for the CLI.

Mixed batches: every batch draws rows from all datasets by the sampling plan; each row trains
only the heads it has labels for, and only rows with an agreement label encode their parent.
Per-task losses are weighted by their share of the batch, summed, and logged one by one.
AdamW with linear warmup/decay, bf16 autocast on CUDA, early stopping on the mean dev score
(each dataset's own benchmark metric), then temperature/threshold calibration on dev.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import random
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.errors import InputError, StanceError
from stance.train.config import TrainingConfig
from stance.train.rows import Row
from stance.train.sampling import (
    Example,
    balance_weights,
    build_examples,
    class_weights,
    epoch_counts,
    epoch_plan,
    expected_draws,
    training_targets,
)

logger = logging.getLogger(__name__)
#: Batches in a row with a non-finite loss or gradient before a run stops as diverged.
MAX_SKIPPED = 10

#: Heads whose answer depends on the target: not anchored where the teacher read none
#: (`TrainingConfig.distill_plain`).
TARGETED = frozenset({"stance"})

SUMMARY_NAME = "training_summary.json"


def seed_everything(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def resolve_device(name: str) -> Any:
    import torch

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise InputError("--device cuda was asked for but no CUDA device is available")
    return torch.device(name)


def _batch_tensors(examples: Sequence[Example], pad_id: int, device: Any
                   ) -> tuple[Any, Any, Any, dict[str, Any]]:
    import torch

    from stance.model.batch import collate
    from stance.model.tasks import TASKS

    batch = collate([ex.pair for ex in examples], pad_id).to(device, non_blocking=True)
    with_parent = [i for i, ex in enumerate(examples) if ex.parent is not None]
    parent_batch = parent_index = None
    if with_parent:
        parent_batch = collate([examples[i].parent for i in with_parent],  # type: ignore[misc]
                               pad_id).to(device, non_blocking=True)
        parent_index = torch.tensor(with_parent, device=device)
    labels: dict[str, Any] = {}
    for task in TASKS:
        values = [ex.labels.get(task, -100) for ex in examples]
        if any(v != -100 for v in values):
            labels[task] = torch.tensor(values, dtype=torch.long, device=device)
    return batch, parent_batch, parent_index, labels


_LAYER = re.compile(r"^encoder\.encoder\.layer\.(\d+)\.")


def freeze_lower_layers(model: Any, keep: int) -> int:
    """Stop the gradient of the encoder's embeddings and of every transformer layer below the
    top `keep` (`TrainingConfig.train_layers`); returns how many tensors were frozen."""
    params = list(model.named_parameters())
    depth = 1 + max((int(m.group(1)) for name, _ in params if (m := _LAYER.match(name))),
                    default=-1)
    cut = max(0, depth - keep)
    frozen = 0
    for name, param in params:
        match = _LAYER.match(name)
        if name.startswith("encoder.embeddings.") or (match and int(match.group(1)) < cut):
            param.requires_grad_(False)
            frozen += 1
    return frozen


class Trainer:
    """Owns the optimisation loop; the model, tokenizer and config come from outside."""

    def __init__(self, model: Any, tokenizer: Any, config: TrainingConfig,
                 train_rows: Sequence[Row], dev_rows: Sequence[Row]):
        import torch

        self.model, self.tokenizer, self.config = model, tokenizer, config
        self.dev_rows = list(dev_rows)
        self.device = resolve_device(config.device)
        self.rng = random.Random(config.seed)
        targets = training_targets(train_rows, config.distractor_target_p, self.rng)
        self.examples = build_examples(train_rows, tokenizer, config, targets)
        self.by_dataset: dict[str, list[int]] = defaultdict(list)
        for i, ex in enumerate(self.examples):
            self.by_dataset[ex.dataset].append(i)
        sizes = {d: len(ix) for d, ix in self.by_dataset.items()}
        self.counts = epoch_counts(sizes, config, config.dataset_weights)
        betas = {d: config.dataset_balance.get(d, config.balance_beta) for d in self.by_dataset}
        self.draw_weights = {d: balance_weights(self.examples, ix, betas[d])
                             for d, ix in self.by_dataset.items() if betas[d]} or None
        draws = expected_draws(self.by_dataset, self.counts, self.draw_weights,
                               len(self.examples))
        weights = class_weights(self.examples, draws, config.class_weight_power)
        self.loss_weights = {t: torch.tensor(w, dtype=torch.float32, device=self.device)
                             for t, w in weights.items()}
        per_epoch = sum(self.counts.values())
        self.steps_per_epoch = max(1, per_epoch // config.batch_size)
        total = math.ceil(config.epochs * self.steps_per_epoch)
        self.total_steps = min(total, config.max_steps) if config.max_steps else total
        self.teacher: Any = _load_teacher(config.teacher, self.device) if config.distill else None
        if config.train_layers:
            frozen = freeze_lower_layers(self.model, config.train_layers)
            logger.info("training the top %d encoder layers: %d tensors below them frozen",
                        config.train_layers, frozen)
        self.history: list[dict[str, Any]] = []
        self.best: dict[str, Any] = {"score": -1.0}
        self.best_state: dict[str, Any] | None = None
        self.stale = 0
        if not self.dev_rows:
            logger.warning("no dev rows: no early stopping, no calibration; the last weights "
                           "are kept")
        logger.info("class weights: %s", {t: [round(x, 2) for x in w] for t, w in weights.items()})
        logger.info("training on %d rows (%s); %d examples and %d steps per epoch, %d steps",
                    len(self.examples), ", ".join(f"{d} {n}" for d, n in sorted(sizes.items())),
                    per_epoch, self.steps_per_epoch, self.total_steps)

    def _optimizer(self) -> tuple[Any, Any]:
        import torch

        decay, no_decay, heads, pooler = [], [], [], []
        for name, param in self.model.named_parameters():
            if not param.requires_grad:
                continue
            if name.startswith("pooler."):
                pooler.append(param)
            elif name.startswith(("heads.", "context.")):
                heads.append(param)
            elif param.ndim < 2:
                no_decay.append(param)
            else:
                decay.append(param)
        cfg = self.config
        groups = [{"params": decay, "lr": cfg.lr, "weight_decay": cfg.weight_decay},
                  {"params": no_decay, "lr": cfg.lr, "weight_decay": 0.0},
                  {"params": heads, "lr": cfg.head_lr, "weight_decay": cfg.weight_decay}]
        if pooler:
            groups.append({"params": pooler, "lr": cfg.pooler_lr or cfg.head_lr,
                           "weight_decay": 0.0})
        optimizer = torch.optim.AdamW(groups, fused=self.device.type == "cuda")
        warmup = max(1, int(cfg.warmup_ratio * self.total_steps))

        def factor(step: int) -> float:
            if step < warmup:
                return (step + 1) / warmup
            return max(0.0, (self.total_steps - step) / max(1, self.total_steps - warmup))

        return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, factor)

    def _step_loss(self, chunk: Sequence[Example], pad_id: int) -> tuple[Any, dict[str, float]]:
        import torch

        batch, parent_batch, parent_index, labels = _batch_tensors(chunk, pad_id, self.device)
        autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=(
            self.device.type == "cuda" and self.config.mixed_precision))
        with autocast:
            out = self.model(batch, parent_batch, labels, self.loss_weights, parent_index)
        total = None
        parts: dict[str, float] = {}
        for task, target in labels.items():
            loss = out.get(f"loss_{task}")
            if loss is None:
                continue
            share = float((target != -100).sum().item()) / len(chunk)
            total = loss * share if total is None else total + loss * share
            parts[task] = float(loss.detach().item())
        if self.teacher is not None:
            anchor = self._distill_loss(chunk, out["logits"], pad_id)
            if anchor is not None:
                total = anchor if total is None else total + anchor
                parts["distill"] = float(anchor.detach().item())
        return total, parts

    def _distill_loss(self, chunk: Sequence[Example], logits: dict[str, Any], pad_id: int
                      ) -> Any:
        """Σ over the chunk's rows from distilled datasets of weight × KL(teacher ‖ student),
        per head that reads the (target, comment) pair, divided by the chunk size."""
        import torch

        from stance.model.multitask import distill_loss
        from stance.model.tasks import TASKS

        weights = self.config.distill
        rows = [i for i, ex in enumerate(chunk) if weights.get(ex.dataset, 0.0) > 0]
        if not rows:
            return None
        index = torch.tensor(rows, device=self.device)
        row_weight = torch.tensor([weights[chunk[i].dataset] for i in rows],
                                  dtype=torch.float32, device=self.device)
        # a row read under a distractor target is taught by the teacher reading it alone
        read = [ex if (plain_ids := ex.plain) is None else dataclasses.replace(ex, pair=plain_ids)
                for ex in (chunk[i] for i in rows)]
        plain = torch.tensor([chunk[i].plain is not None for i in rows], device=self.device)
        batch, parent_batch, parent_index, _ = _batch_tensors(read, pad_id, self.device)
        with torch.no_grad():
            taught = self.teacher(batch, parent_batch, parent_index=parent_index)["logits"]
        total = None
        for name, value in taught.items():
            if TASKS[name].pair == "parent" or name not in logits:
                continue
            per_row = distill_loss(name, logits[name].index_select(0, index), value)
            if name in TARGETED:  # the teacher read no target: nothing to say about it
                per_row = per_row.masked_fill(plain, 0.0)
            term = (per_row * row_weight).sum() / len(chunk)
            total = term if total is None else total + term
        return total

    def evaluate(self) -> dict[str, Any]:
        from stance.train.evaluate import evaluate_model

        if not self.dev_rows:
            return {"score": 0.0}
        return evaluate_model(self.model, self.tokenizer, self.dev_rows,
                              self.config.eval_batch_size, self.config.max_length).metrics

    def train(self, checkpoint: Path | None = None, resume_dir: Path | None = None,
              resume: bool = False) -> dict[str, Any]:
        """Run the loop; returns the best dev metrics. The best weights end up in the model.

        With `resume_dir`, the whole training state is written there every
        `checkpoint_every_s` seconds and at every dev evaluation; with `resume` too, the loop
        first continues from the state found there (if any).
        """
        import torch

        cfg = self.config
        self.model.to(self.device).train()
        optimizer, scheduler = self._optimizer()
        pad_id = self.tokenizer.pad_token_id or 0
        eval_every = max(1, self.steps_per_epoch // max(1, cfg.evals_per_epoch))
        self.best, self.best_state, self.stale = {"score": -1.0}, None, 0
        step, started = 0, time.monotonic()
        running: dict[str, list[float]] = defaultdict(list)
        plan: list[int] = []
        if resume and resume_dir is not None:
            step, plan, started = self._resume(resume_dir, optimizer, scheduler, started)
        saved_at = time.monotonic()

        def save_state() -> None:
            nonlocal saved_at
            if resume_dir is not None:
                self._save_state(resume_dir, optimizer, scheduler, step, plan, started)
                saved_at = time.monotonic()

        skipped = 0
        while step < self.total_steps:
            if len(plan) < cfg.batch_size:
                plan += epoch_plan(self.by_dataset, self.counts, self.rng, self.draw_weights)
            chunk = [self.examples[i] for i in plan[:cfg.batch_size]]
            del plan[:cfg.batch_size]
            loss, parts = self._step_loss(chunk, pad_id)
            if loss is None:
                continue
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), cfg.max_grad_norm)
            if not (torch.isfinite(loss) and torch.isfinite(norm)):
                # one bad batch must not turn every weight into NaN
                skipped += 1
                logger.warning("step %d: loss or gradient is not finite (%s); batch skipped",
                               step + 1, ", ".join(f"{k}={v:.4g}" for k, v in parts.items()))
                if skipped >= MAX_SKIPPED:
                    raise StanceError(f"training diverged: {skipped} batches in a row had a "
                                      "non-finite loss or gradient (try a lower --lr)")
                continue
            skipped = 0
            optimizer.step()
            scheduler.step()
            step += 1
            for task, value in parts.items():
                running[task].append(value)
            if step % cfg.log_every == 0:
                self._log(step, started, running)
                running.clear()
            timed_out = bool(cfg.time_limit_s) and time.monotonic() - started > cfg.time_limit_s
            evaluated = step % eval_every == 0 or step == self.total_steps or timed_out
            if evaluated:
                self._evaluate_and_keep(step, started, checkpoint)
            if evaluated or time.monotonic() - saved_at >= cfg.checkpoint_every_s:
                save_state()
            if evaluated and self.stale >= cfg.patience:
                logger.info("early stop at step %d: no better dev score in %d evals",
                            step, self.stale)
                break
            if timed_out:
                logger.info("time limit reached at step %d", step)
                break
        if self.best_state is not None:
            self.model.load_state_dict(self.best_state)
        self.model.eval()
        return self.best if self.dev_rows else {}

    def _save_state(self, directory: Path, optimizer: Any, scheduler: Any, step: int,
                    plan: list[int], started: float) -> None:
        from stance.train.checkpoint import save_checkpoint

        state = {"step": step, "plan": plan, "history": self.history, "best": self.best,
                 "stale": self.stale, "elapsed_s": time.monotonic() - started}
        save_checkpoint(directory, model=self.model, optimizer=optimizer, scheduler=scheduler,
                        best_state=self.best_state, sampler_rng=self.rng, trainer_state=state,
                        settings=self.config.to_dict())
        logger.info("checkpoint at step %d written to %s", step, directory)

    def _resume(self, directory: Path, optimizer: Any, scheduler: Any, started: float
                ) -> tuple[int, list[int], float]:
        """Restore a checkpoint; returns (step, pending plan, start time shifted by the time
        already trained)."""
        from stance.train.checkpoint import find_checkpoint, load_checkpoint

        found = find_checkpoint(directory)
        if found is None:
            logger.warning("--resume: no checkpoint in %s; starting from the beginning",
                           directory)
            return 0, [], started
        state, best = load_checkpoint(found, model=self.model, optimizer=optimizer,
                                      scheduler=scheduler, sampler_rng=self.rng,
                                      settings=self.config.to_dict())
        self.history, self.best, self.stale = state["history"], state["best"], state["stale"]
        self.best_state = best
        logger.info("resumed at step %d of %d from %s", state["step"], self.total_steps, found)
        return int(state["step"]), list(state["plan"]), started - float(state["elapsed_s"])

    def _evaluate_and_keep(self, step: int, started: float, checkpoint: Path | None) -> None:
        """Score dev; on a new best, keep a CPU copy of the weights (and save a checkpoint).

        Without dev rows nothing is scored: training runs its course and keeps its last weights.
        """
        if not self.dev_rows:
            return
        metrics = self.evaluate()
        self.model.train()
        record = {"step": step, "epoch": round(step / self.steps_per_epoch, 2),
                  "elapsed_s": round(time.monotonic() - started, 1), "score": metrics["score"],
                  **{k: v for k, v in metrics.items() if k.endswith("/primary")}}
        self.history.append(record)
        logger.info("eval %s", json.dumps(record))
        if metrics["score"] > self.best["score"] or self.best_state is None:
            self.best, self.stale = metrics, 0
            self.best_state = {k: v.detach().to("cpu", copy=True)
                               for k, v in self.model.state_dict().items()}
            if checkpoint is not None:
                _save(self.model, self.tokenizer, checkpoint)
        else:
            self.stale += 1

    def _log(self, step: int, started: float, running: dict[str, list[float]]) -> None:
        elapsed = time.monotonic() - started
        losses = " ".join(f"{t}={sum(v) / len(v):.4f}" for t, v in sorted(running.items()))
        logger.info("step %d/%d (%.0f ex/s) loss %s", step, self.total_steps,
                    step * self.config.batch_size / max(elapsed, 1e-9), losses)


def _save(model: Any, tokenizer: Any, directory: Path) -> None:
    from stance.model.io import save_model

    save_model(model, tokenizer, directory)


def _load_teacher(path: str | None, device: Any) -> Any:
    """The frozen teacher model that `distill` anchors to (fp32, eval mode, no gradients)."""
    from stance.model.io import is_stance_model, load_model

    if not path:
        return None
    if not is_stance_model(path):
        raise InputError(f"teacher {path!r} is not a saved stance model (no stance_config.json)")
    teacher, _ = load_model(path)
    teacher.float().to(device).eval()
    for param in teacher.parameters():
        param.requires_grad_(False)
    return teacher


def prepare_model(config: TrainingConfig) -> tuple[Any, Any]:
    """The model to train: a fresh one on `config.base`, or a saved stance model to continue."""
    from stance.model.config import ModelConfig
    from stance.model.io import load_base

    model, tokenizer = load_base(config.base)
    model.float()  # fp32 master weights, whatever dtype the base was stored in
    base = config.base_label or model.config.base
    model.config = ModelConfig.from_dict({
        **model.config.to_dict(), "name": config.model_name, "version": config.model_version,
        "base": base,
        "max_length": config.max_length, "temperatures": {}, "thresholds": {},
        "reread_alone": dict(config.reread_alone),
        "reread_max_length": config.reread_max_length})
    if config.stance_context:
        model.add_context_head("stance")
    if config.attention_pooling:
        model.add_attention_pooling()
    return model, tokenizer


def load_training_data(data: Sequence[Any], config: TrainingConfig,
                       dev: Sequence[Any] | None = None) -> tuple[list[Row], list[Row]]:
    """(train, dev) rows: dataset folders give their dev split, files a carved slice."""
    from stance.train.data import drop_overlap, is_folder_source, load_source, split_rows
    from stance.train.rows import has_label

    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        data = [data]  # one in-memory list of rows
    train: list[Row] = []
    dev_rows: list[Row] = []
    for source in data:
        rows = load_source(source, "train")
        if is_folder_source(source) and dev is None:
            dev_rows += load_source(source, "dev")
            train += rows
        elif dev is None:
            part_train, part_dev = split_rows(rows, config.eval_fraction, config.seed)
            train += part_train
            dev_rows += part_dev
        else:
            train += rows
    if dev is not None:
        dev_sources = [dev] if dev and isinstance(dev[0], dict) else list(dev)
        dev_rows = [row for source in dev_sources for row in load_source(source, "dev")]
    train = drop_overlap([r for r in train if has_label(r)], [r for r in dev_rows if has_label(r)])
    dev_rows = [r for r in dev_rows if has_label(r)]
    if not train:
        raise InputError("no labelled training rows in the given data")
    return train, dev_rows


def train_model(data: Sequence[Any], config: TrainingConfig,
                dev: Sequence[Any] | None = None, resume: bool = False) -> Path:
    """Fine-tune on `data` (files, dataset folders or rows); save to `config.output`.

    The training state is checkpointed to `<output>.checkpoint/` as it goes (removed once the
    model is saved); `resume=True` continues from there after a killed run.
    """
    from stance.model.io import save_model
    from stance.train.calibrate import calibrate
    from stance.train.checkpoint import checkpoint_dir

    seed_everything(config.seed)
    train_rows, dev_rows = load_training_data(data, config, dev)
    model, tokenizer = prepare_model(config)
    trainer = Trainer(model, tokenizer, config, train_rows, dev_rows)
    started = time.monotonic()
    output = Path(config.output)
    state_dir = checkpoint_dir(output)
    best = trainer.train(checkpoint=output, resume_dir=state_dir, resume=resume)
    report: dict[str, Any] = {}
    if config.calibrate and dev_rows:
        report = calibrate(model, tokenizer, dev_rows, config.eval_batch_size)
    try:
        path = save_model(model, tokenizer, output)
    except OSError as exc:
        raise StanceError(f"cannot write the model to {output} ({exc})") from exc
    summary = {"training_config": config.to_dict(), "train_rows": len(train_rows),
               "dev_rows": len(dev_rows), "train_seconds": round(time.monotonic() - started, 1),
               "steps_per_epoch": trainer.steps_per_epoch,
               "epoch_counts": trainer.counts, "history": trainer.history,
               "best_dev": {k: v for k, v in best.items() if not isinstance(v, list)},
               "calibration": report}
    write_summary(path, summary)
    shutil.rmtree(state_dir, ignore_errors=True)
    return path


def write_summary(directory: Path, summary: dict[str, Any]) -> None:
    from stance.io import atomic_writer

    with atomic_writer(directory / SUMMARY_NAME) as handle:
        handle.write(json.dumps(summary, indent=2, default=float) + "\n")


__all__ = ["Trainer", "train_model", "load_training_data"]
