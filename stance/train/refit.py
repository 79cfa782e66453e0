"""Refit the stance head on the frozen encoder: ``python -m stance.train.refit``.

``python -m stance.train.refit models/default --data $STANCE_DATA --output DIR``

Why: continuations of the whole model moved ARC's favor/against little and traded other
datasets against it (model card, "Tried after 0.2" on). Yet a linear probe on the shipped
model's own pooled vectors, read at 256 tokens as `stance label` reads them, told ARC's favor
from its against better than the stance head does: the head was trained at 128 tokens and
shares its 256 hidden units with datasets whose labels mean other things. So this refits only
the stance head. The encoder reads every (target, comment) pair once, with no gradient, and
the head is fitted on those vectors in seconds per epoch. Every other tensor of the model
(encoder, the other heads) is saved exactly as it was.

The fit (`RefitConfig`): cross-entropy with class weights; each dataset's rows weighted by
n ** 0.5 / n times `dataset_weights`; ARC's and Perspectrum's classes balanced inside them
(`balance`; most of ARC's none are synthetic "unrelated" pairs); a KL anchor to the model's
own stance predictions (`anchor` on entity and thread rows, `claim_anchor` on claim rows, so
the head may move where the claims need it and stays where the rest does not); a share of
the entity rows read once more under a headline-shaped target (`recipe.HEADLINES`), as in
training; optionally (`pad`) a share of the favor/against rows read once more with a
sentence of a neutral comment added, so a short stance clause beside a factual sentence keeps
its side (those copies pay no anchor); a cosine learning rate; the weights averaged over the
second half of the steps. stance-minilm@0.4.0 is 0.3.2 refitted with `--context --pad 0.5`.
The stance temperature is fitted again on the dev rows; thresholds of the claim heads and
their temperatures are kept.

The vectors are cached beside the output (`OUTPUT.refit_cache/`, safetensors, one per distinct
(target, text) pair, valid for one model's weights), so a second run with other fit settings
or more rows encodes only the pairs it has not seen.
The model is saved in the precision its weights were read in (fp16 stays fp16, so every
tensor but the stance head's comes out bit for bit as it was).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from stance.errors import InputError, StanceError
from stance.train.recipe import (
    CLAIM_TARGETS,
    PADDED_STANCE,
    add_headline_targets,
    add_padded_rows,
)
from stance.train.rows import Row

logger = logging.getLogger(__name__)

STANCE_LABELS = ("favor", "against", "query", "none")
CACHE_SUFFIX = ".refit_cache"


@dataclass(frozen=True, slots=True)
class RefitConfig:
    epochs: int = 8
    lr: float = 1e-3
    batch_size: int = 64
    weight_decay: float = 0.01
    anchor: float = 3.0
    claim_anchor: float = 0.0
    balance: float = 0.5
    dataset_weights: dict[str, float] = field(default_factory=lambda: {
        "arc": 8.0, "rumoureval2019": 3.0, "semeval2016": 1.5})
    cap: dict[str, int] = field(default_factory=lambda: {
        "pstance": 3000, "mt_csd": 3000, "perspectrum": 3000})
    headline_fraction: float = 0.4
    #: Share of the favor/against rows of ARC, Perspectrum, SemEval, P-Stance and VAST also
    #: trained with a sentence that takes no side added (`stance.train.recipe.add_padded_rows`);
    #: those copies pay no anchor, since the model's own reading of them is the diluted one.
    pad: float = 0.0
    context: bool = False
    #: The saved head is `mix` x the refitted weights + (1 - mix) x the model's own (WiSE-FT,
    #: Wortsman et al., 2022: interpolating a fine-tuned model toward where it started keeps
    #: more of its reading of inputs unlike the fitting data).
    mix: float = 1.0
    seed: int = 13
    encode_batch: int = 64

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def check(self) -> None:
        if self.epochs < 1 or self.lr <= 0 or self.batch_size < 1:
            raise InputError("epochs, lr and batch size must be positive")
        if min(self.anchor, self.claim_anchor, self.balance, self.headline_fraction, self.pad) < 0:
            raise InputError("anchors, balance, headline fraction and pad must be >= 0")
        if self.pad > 1.0 or self.headline_fraction > 1.0:
            raise InputError("pad and headline fraction are shares: at most 1")
        if not 0.0 < self.mix <= 1.0:
            raise InputError(f"mix must lie in (0, 1], not {self.mix}")


@dataclass(slots=True)
class Vectors:
    """Pooled (target, text) vectors of labelled rows, their parents' and each row's parent
    index into `parents` (-1: no parent)."""

    rows: Any
    parents: Any
    parent_index: Any
    datasets: list[str]
    labels: Any
    #: Per row: a padded copy (`RefitConfig.pad`), which pays no anchor.
    padded: list[bool]


def stance_rows(rows: list[Row], config: RefitConfig, train: bool) -> list[Row]:
    """The rows with a stance label; for training, capped per dataset (a seeded sample), with
    the padded copies (`pad`) and the headline-target copies of a share of the entity rows
    added."""
    by_set: dict[str, list[Row]] = {}
    for row in rows:
        if row.get("stance") is not None and (row.get("text") or "").strip():
            by_set.setdefault(str(row.get("dataset") or ""), []).append(row)
    out: list[Row] = []
    for name, group in by_set.items():
        cap = config.cap.get(name) if train else None
        out += random.Random(config.seed).sample(group, cap) if cap and len(group) > cap \
            else group
    if train and config.pad:
        first = len(out)
        add_padded_rows(out, config.pad, config.seed, PADDED_STANCE)
        for row in out[first:]:  # new dicts, made by add_padded_rows
            row["padded"] = True
    if train and config.headline_fraction:
        copies = [dict(r) for r in out]
        add_headline_targets(copies, config.headline_fraction, config.seed)
        out += [c for c, r in zip(copies, out, strict=True) if c.get("target") != r.get("target")]
    return out


def _model_key(model_dir: Path, max_length: int) -> str:
    digest = hashlib.sha256()
    with open(model_dir / "model.safetensors", "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(str(max_length).encode())
    return digest.hexdigest()


def _pair_key(target: str, text: str) -> str:
    return hashlib.sha256(f"{target}\0{text}".encode("utf-8", "replace")).hexdigest()[:32]


class PairStore:
    """Pooled vectors of (target, text) pairs read by one model, kept in `folder`
    (`pairs.safetensors` and `pairs.json`, written atomically): a pair is encoded once, and a
    later run with other rows encodes only the pairs it has not seen."""

    def __init__(self, folder: Path, model_key: str) -> None:
        import torch

        self.folder, self.model_key = folder, model_key
        self.keys: list[str] = []
        self.vectors = torch.zeros((0, 0))
        tensors, meta = folder / "pairs.safetensors", folder / "pairs.json"
        if tensors.is_file() and meta.is_file():
            from safetensors.torch import load_file

            try:
                info = json.loads(meta.read_text())
                if info.get("model") == model_key:
                    self.vectors = load_file(str(tensors))["vectors"]
                    self.keys = list(info["keys"])
                    if len(self.keys) != len(self.vectors):
                        raise ValueError("keys and vectors differ in number")
            except (OSError, ValueError, KeyError) as exc:
                logger.warning("refit cache %s unreadable (%s): encoding again", folder, exc)
                self.keys, self.vectors = [], torch.zeros((0, 0))
        self.where = {k: i for i, k in enumerate(self.keys)}

    def lookup(self, model: Any, tokenizer: Any, pairs: list[tuple[str, str]],
               batch_size: int) -> Any:
        """Vectors [len(pairs), H] in order, encoding (and storing) the missing ones."""
        import torch

        from stance.train.evaluate import encode_pairs

        keys = [_pair_key(t, x) for t, x in pairs]
        missing: list[int] = []  # the first index of each pair not stored yet
        queued: set[str] = set()
        for i, key in enumerate(keys):
            if key not in self.where and key not in queued:
                queued.add(key)
                missing.append(i)
        if missing:
            logger.info("encoding %d new (target, text) pairs", len(missing))
            new = encode_pairs(model, tokenizer, [pairs[i][1] for i in missing],
                               [pairs[i][0] for i in missing], model.config.max_length,
                               batch_size).cpu()
            self.vectors = new if not self.keys else torch.cat([self.vectors, new])
            for i in missing:
                self.where[keys[i]] = len(self.keys)
                self.keys.append(keys[i])
            self._save()
        return self.vectors[torch.tensor([self.where[k] for k in keys], dtype=torch.long)]

    def _save(self) -> None:
        from safetensors.torch import save_file

        from stance.io import atomic_writer

        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / "pairs.tmp"
        save_file({"vectors": self.vectors.contiguous()}, str(tmp))
        tmp.replace(self.folder / "pairs.safetensors")
        with atomic_writer(self.folder / "pairs.json") as handle:
            handle.write(json.dumps({"model": self.model_key, "keys": self.keys}))


def encode_rows(model: Any, tokenizer: Any, rows: list[Row], store: PairStore,
                batch_size: int) -> Vectors:
    """Every row's (target, text) vector and each distinct (target, parent) vector once."""
    import torch

    vectors = store.lookup(model, tokenizer, [(r.get("target") or "", r["text"]) for r in rows],
                           batch_size)
    keys = sorted({(r.get("target") or "", r["parent_text"]) for r in rows
                   if r.get("parent_text")})
    where = {k: j for j, k in enumerate(keys)}
    parents = (store.lookup(model, tokenizer, keys, batch_size) if keys
               else torch.zeros((0, vectors.shape[1])))
    index = torch.tensor([where[(r.get("target") or "", r["parent_text"])]
                          if r.get("parent_text") else -1 for r in rows], dtype=torch.long)
    labels = torch.tensor([STANCE_LABELS.index(r["stance"]) for r in rows], dtype=torch.long)
    return Vectors(vectors, parents, index, [str(r.get("dataset") or "") for r in rows], labels,
                   [bool(r.get("padded")) for r in rows])


def stance_logits(model: Any, vec: Vectors, rows: Any = None) -> Any:
    """The stance head's logits (context head added for replies) for `rows` (all if None)."""
    import torch

    from stance.model.multitask import pair_features

    idx = torch.arange(len(vec.labels)) if rows is None else rows
    out = model.heads["stance"](vec.rows[idx])
    context = getattr(model, "context", {})
    has = vec.parent_index[idx] >= 0
    if "stance" in context and bool(has.any()):
        delta = context["stance"](pair_features(vec.parents[vec.parent_index[idx][has]],
                                                vec.rows[idx][has]))
        out = out.clone()
        out[has] = out[has] + delta
    return out


def row_weights(vec: Vectors, config: RefitConfig) -> Any:
    """Per-row loss weights: n ** 0.5 / n per dataset times its weight; classes balanced
    (power `balance`) inside the claim datasets; mean 1."""
    import torch

    count = Counter(vec.datasets)
    weights = [config.dataset_weights.get(d, 1.0) * count[d] ** 0.5 / count[d]
               for d in vec.datasets]
    labels = vec.labels.tolist()
    for name in CLAIM_TARGETS if config.balance else ():
        idx = [i for i, d in enumerate(vec.datasets) if d == name]
        classes = Counter(labels[i] for i in idx)
        factor = {c: (len(idx) / (len(classes) * n)) ** config.balance
                  for c, n in classes.items()}
        norm = sum(factor[labels[i]] for i in idx) / max(1, len(idx))
        for i in idx:
            weights[i] *= factor[labels[i]] / norm
    w = torch.tensor(weights, dtype=torch.float32)
    return w / w.mean()


def row_anchors(vec: Vectors, config: RefitConfig) -> Any:
    """Per-row weight of the KL anchor to the model's own reading: `claim_anchor` on the claim
    datasets, `anchor` elsewhere, 0 on padded copies (the old reading of those is the diluted
    one they are there to correct)."""
    import torch

    return torch.tensor([0.0 if pad else config.claim_anchor if d in CLAIM_TARGETS
                         else config.anchor
                         for d, pad in zip(vec.datasets, vec.padded, strict=True)])


def fit_head(model: Any, vec: Vectors, config: RefitConfig) -> list[float]:
    """Fit the stance head (and its context head with `config.context`) in place; returns the
    mean loss per epoch. Deterministic for one seed."""
    import math

    import torch

    torch.manual_seed(config.seed)
    head = model.heads["stance"]
    context = model.context["stance"] if config.context and "stance" in model.context else None
    params = list(head.parameters()) + (list(context.parameters()) if context else [])
    model.eval()
    with torch.no_grad():
        teacher = torch.log_softmax(stance_logits(model, vec), -1)
    anchor = row_anchors(vec, config)
    weights = row_weights(vec, config)
    counts = torch.bincount(vec.labels, minlength=len(STANCE_LABELS)).float()
    class_w = (counts.sum() / counts.clamp(min=1)) ** 0.5
    class_w = class_w / class_w.mean()
    initial = [p.detach().clone() for p in params]
    opt = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    n = len(vec.labels)
    per_epoch = (n + config.batch_size - 1) // config.batch_size
    total = config.epochs * per_epoch
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, total) / total)))
    average = [p.detach().clone() for p in params]
    averaged = 0
    history = []
    for epoch in range(config.epochs):
        head.train()
        if context is not None:
            context.train()
        order, seen = torch.randperm(n), 0.0
        for start in range(0, n, config.batch_size):
            i = order[start:start + config.batch_size]
            logits = stance_logits(model, vec, i)
            ce = torch.nn.functional.cross_entropy(logits, vec.labels[i], weight=class_w,
                                                   reduction="none")
            kl = torch.nn.functional.kl_div(torch.log_softmax(logits, -1), teacher[i],
                                            log_target=True, reduction="none").sum(-1)
            loss = (weights[i] * (ce + anchor[i] * kl)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            seen += float(loss.detach()) * len(i)
            if epoch >= config.epochs // 2:
                averaged += 1
                for mean, p in zip(average, params, strict=True):
                    mean.mul_((averaged - 1) / averaged).add_(p.detach() / averaged)
        history.append(seen / n)
    with torch.no_grad():
        for mean, first, p in zip(average, initial, params, strict=True):
            p.copy_(config.mix * mean + (1.0 - config.mix) * first)
    model.eval()
    return history


def dev_scores(model: Any, vec: Vectors) -> dict[str, float]:
    """Macro-F1 per dataset over the classes it uses (fp32 vectors: a quick check; `stance
    evaluate` gives the figures through the int8 path)."""
    import torch
    from sklearn.metrics import f1_score

    with torch.no_grad():
        pred = stance_logits(model, vec).argmax(-1).tolist()
    gold = vec.labels.tolist()
    out = {}
    for name in sorted(set(vec.datasets)):
        idx = [i for i, d in enumerate(vec.datasets) if d == name]
        g, p = [gold[i] for i in idx], [pred[i] for i in idx]
        out[name] = round(float(f1_score(g, p, labels=sorted(set(g)), average="macro")), 4)
    return out


def _stored_half(model_dir: Path) -> bool:
    from safetensors import safe_open

    with safe_open(str(model_dir / "model.safetensors"), framework="pt") as handle:
        return any(handle.get_slice(k).get_dtype() == "F16" for k in handle.keys())


def refit(model_dir: str | Path, train: list[Row], dev: list[Row], output: str | Path,
          config: RefitConfig | None = None, *, version: str | None = None,
          label: str | None = None, cache: str | Path | None = None) -> dict[str, Any]:
    """Refit `model_dir`'s stance head on `train`, fit its temperature on `dev`, save the
    model to `output` (vectors cached in `cache`, by default `OUTPUT.refit_cache`); returns
    the report written beside it (in `training_summary.json`)."""
    import torch

    from stance.io import atomic_writer
    from stance.model.config import ModelConfig
    from stance.model.io import load_model, save_model
    from stance.train.calibrate import fit_temperature

    config = config or RefitConfig()
    config.check()
    model_dir, output = Path(model_dir), Path(output)
    model, tokenizer = load_model(model_dir)
    model.float()
    model.eval()
    if "stance" not in model.heads:
        raise InputError(f"{model_dir} has no stance head")
    train_rows, dev_rows = stance_rows(train, config, True), stance_rows(dev, config, False)
    if not train_rows or not dev_rows:
        raise InputError("no rows with a stance label in the "
                         f"{'training' if not train_rows else 'dev'} data")
    store = PairStore(Path(cache) if cache else output.with_name(output.name + CACHE_SUFFIX),
                      _model_key(model_dir, model.config.max_length))
    tv = encode_rows(model, tokenizer, train_rows, store, config.encode_batch)
    dv = encode_rows(model, tokenizer, dev_rows, store, config.encode_batch)
    before = dev_scores(model, dv)
    history = fit_head(model, tv, config)
    after = dev_scores(model, dv)
    with torch.no_grad():
        logits = stance_logits(model, dv).numpy()
    temperature = fit_temperature("stance", logits, dv.labels.numpy())
    settings = model.config.to_dict()
    settings["temperatures"] = {**settings.get("temperatures", {}), "stance": temperature}
    settings["base"] = label or f"{model.config.name}@{model.config.version}, stance head refit"
    if version:
        settings["version"] = version
    model.config = ModelConfig.from_dict(settings)
    # read before saving: the output may be the model's own folder, which saving replaces
    half = _stored_half(model_dir)
    summary_path = model_dir / "training_summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    save_model(model, tokenizer, output, half=half)
    report = {"model": str(model_dir), "config": config.to_dict(),
              "train_rows": dict(Counter(tv.datasets)), "dev_rows": dict(Counter(dv.datasets)),
              "loss": [round(x, 4) for x in history], "dev_before": before, "dev_after": after,
              "stance_temperature": temperature}
    summary["stance_head_refit"] = report
    with atomic_writer(output / "training_summary.json") as handle:
        handle.write(json.dumps(summary, indent=1) + "\n")
    return report


def _pairs(text: str, kind: type) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = kind(value)
        except ValueError:
            sep = ""
        if not sep:
            raise InputError(f"expected NAME=NUMBER, got {item!r}")
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m stance.train.refit", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    d = RefitConfig()
    p.add_argument("model", help="model directory whose stance head is refitted")
    p.add_argument("--data", type=Path, help="STANCE_DATA folder (train and dev rows)")
    p.add_argument("--output", required=True)
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--anchor", type=float, default=d.anchor)
    p.add_argument("--claim-anchor", type=float, default=d.claim_anchor)
    p.add_argument("--balance", type=float, default=d.balance)
    p.add_argument("--weights", default=",".join(f"{k}={v}" for k, v in d.dataset_weights.items()),
                   help="dataset weights, NAME=W,...")
    p.add_argument("--cap", default=",".join(f"{k}={v}" for k, v in d.cap.items()),
                   help="most training rows per dataset, NAME=N,...")
    p.add_argument("--headline-fraction", type=float, default=d.headline_fraction)
    p.add_argument("--pad", type=float, default=d.pad,
                   help="share of the favor/against rows also read with a neutral sentence")
    p.add_argument("--context", action="store_true", help="also refit the stance context head")
    p.add_argument("--mix", type=float, default=d.mix,
                   help="share of the refitted head in the saved one (the rest: the model's own)")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--cache", type=Path, default=None,
                   help="folder of cached vectors (default: OUTPUT.refit_cache)")
    p.add_argument("--version", default=None, help="version to write in stance_config.json")
    p.add_argument("--label", default=None, help="what stance_config.json calls the base")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        from stance.train.data import data_root, load_source

        config = RefitConfig(epochs=args.epochs, lr=args.lr, anchor=args.anchor,
                             claim_anchor=args.claim_anchor, balance=args.balance,
                             dataset_weights=_pairs(args.weights, float),
                             cap=_pairs(args.cap, int), headline_fraction=args.headline_fraction,
                             pad=args.pad,
                             context=args.context, mix=args.mix, seed=args.seed)
        config.check()
        root = data_root(args.data)
        report = refit(args.model, load_source(root, "train"), load_source(root, "dev"),
                       args.output, config, version=args.version, label=args.label,
                       cache=args.cache)
    except StanceError as exc:
        print(f"stance: {exc}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps({k: report[k] for k in ("dev_before", "dev_after", "stance_temperature")},
                     indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
