"""The shared datasets, by folder name under STANCE_DATA, as annotated rows (CONTRACT.md).

Each converter loads its folder with Hugging Face `datasets` and maps it onto the heads it can
teach, returning a `datasets.Dataset` with the columns of `stance.train.rows.COLUMNS`. Splits
are "train" and "dev"; a dataset without a dev split gets one carved from train with a fixed
seed (stratified), and test sets are never read (they are not in STANCE_DATA anyway).
"""

from __future__ import annotations

import json
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.train.rows import COLUMNS

logger = logging.getLogger(__name__)

CARVE_SEED = 20160
SPLITS = ("train", "dev")
Loader = Callable[[Path, str], Any]  # (folder, split) -> datasets.Dataset


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    tag: str  # the `dataset` column value, and the prefix of its metrics
    folder: str  # folder name under STANCE_DATA
    heads: tuple[str, ...]
    metric: str  # the benchmark's own metric, as named in evaluate.py (e.g. "stance_f_avg")
    published: str  # best published result, from the folder's SOURCE.md
    load: Loader


def _features() -> Any:
    from datasets import Features, Value

    kinds = {"media_bias": "bool", "conspiracy": "bool"}
    return Features({c: Value(kinds.get(c, "string")) for c in COLUMNS})


def _rows_dataset(records: list[dict[str, Any]], tag: str, split: str) -> Any:
    """A `datasets.Dataset` in row form: every column present, unset ones None."""
    from datasets import Dataset

    rows = [{**dict.fromkeys(COLUMNS), **r, "dataset": tag, "split": split} for r in records
            if isinstance(r.get("text"), str) and r["text"].strip()]
    if len(rows) < len(records):
        logger.info("%s/%s: skipped %d row(s) with empty text", tag, split,
                    len(records) - len(rows))
    features = _features()
    if not rows:
        return Dataset.from_dict({c: [] for c in COLUMNS}, features=features)
    return Dataset.from_list(rows, features=features)


def _csv(files: Sequence[Path], **kwargs: Any) -> Any:
    from datasets import load_dataset

    return load_dataset("csv", data_files=[str(f) for f in files], split="train",
                        na_filter=False, **kwargs)


def _text_lines(path: Path) -> list[str]:
    from datasets import load_dataset

    return list(load_dataset("text", data_files=str(path), split="train")["text"])


def _jsonl(path: Path, fields: Sequence[str]) -> Any:
    """JSONL read line by line (mixed-type columns defeat Arrow's inference), as a Dataset."""
    from datasets import Dataset

    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"not valid JSON ({exc.msg})", path=str(path),
                                     line=number) from None
                records.append({f: obj.get(f) for f in fields})
    return Dataset.from_list(records)


def _need(path: Path) -> Path:
    if not path.exists():
        raise InputError("expected file is missing from the dataset folder", path=str(path))
    return path


def carve(keys: Sequence[Hashable], strata: Sequence[Hashable], fraction: float,
          seed: int | str = CARVE_SEED) -> set[int]:
    """Row indices of a dev slice: `fraction` of the keys of each stratum (all their rows).

    Rows that share a key but sit in different strata (VAST: one comment, several topics and
    labels) are drawn per stratum; `_pick` keeps every row of a drawn key out of train.
    """
    groups: dict[Hashable, dict[Hashable, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, (key, stratum) in enumerate(zip(keys, strata, strict=True)):
        groups[stratum][key].append(i)
    rng = random.Random(seed)
    chosen: set[int] = set()
    for stratum in sorted(groups, key=str):
        members = sorted(groups[stratum], key=str)
        rng.shuffle(members)
        for key in members[: round(fraction * len(members))]:
            chosen.update(groups[stratum][key])
    return chosen


def _pick(records: list[dict[str, Any]], dev: set[int], split: str,
          keys: Sequence[Hashable] | None = None) -> list[dict[str, Any]]:
    """The dev rows, or the train rows: the rest, minus any row sharing a key with dev."""
    if split == "dev":
        return [r for i, r in enumerate(records) if i in dev]
    held = {keys[i] for i in dev} if keys is not None else set()
    return [r for i, r in enumerate(records)
            if i not in dev and (keys is None or keys[i] not in held)]


SEMEVAL_TARGETS = {"abortion": "Legalization of Abortion", "atheism": "Atheism",
                   "climate": "Climate Change is a Real Concern",
                   "feminist": "Feminist Movement", "hillary": "Hillary Clinton"}


def _mapping(path: Path) -> dict[str, str]:
    pairs = (line.split(None, 1) for line in _text_lines(path) if line.strip())
    return {k: v.strip().lower() for k, v in pairs}


def load_semeval(folder: Path, split: str) -> Any:
    names = _mapping(_need(folder / "mapping.txt"))
    prefix = "train" if split == "train" else "val"
    records = []
    for sub, target in SEMEVAL_TARGETS.items():
        texts = _text_lines(_need(folder / sub / f"{prefix}_text.txt"))
        labels = _text_lines(_need(folder / sub / f"{prefix}_labels.txt"))
        if len(texts) != len(labels):
            raise InputError(f"{len(texts)} texts but {len(labels)} labels",
                             path=str(folder / sub))
        records += [{"text": t, "target": target, "stance": names[lab.strip()], "group": sub}
                    for t, lab in zip(texts, labels, strict=True)]
    return _rows_dataset(records, "semeval2016", split)


def load_pstance(folder: Path, split: str) -> Any:
    prefix = "raw_train" if split == "train" else "raw_val"
    files = [_need(folder / f"{prefix}_{t}.csv") for t in ("trump", "biden", "bernie")]
    ds = _csv(files)
    records = [{"text": r["Tweet"], "target": r["Target"], "stance": r["Stance"].lower(),
                "group": r["Target"]} for r in ds]
    return _rows_dataset(records, "pstance", split)


def load_mt_csd(folder: Path, split: str) -> Any:
    ds = _jsonl(_need(folder / ("train.jsonl" if split == "train" else "valid.jsonl")),
                ("target", "context", "text", "stance"))
    records = [{"text": r["text"], "target": r["target"], "stance": r["stance"],
                "parent_text": (r["context"] or [""])[-1], "group": r["target"]} for r in ds]
    return _rows_dataset(records, "mt_csd", split)


VAST_LABELS = {0: "against", 1: "favor", 2: "none"}


def load_vast(folder: Path, split: str) -> Any:
    """VAST ships only its dev split here: 70% of its comments train, 30% are our dev."""
    ds = _csv([_need(folder / "vast_dev.csv")])
    records = [{"text": r["Tweet"], "target": r["Target"],
                "stance": VAST_LABELS[int(r["Stance"])],
                "group": "few-shot" if str(r["seen?"]) == "1" else "zero-shot"} for r in ds]
    keys = [r["text"] for r in records]
    dev = carve(keys, [r["stance"] for r in records], 0.3)
    return _rows_dataset(_pick(records, dev, split, keys), "vast", split)


SDQC = {"support": "favor", "deny": "against", "query": "query", "comment": "none"}


def load_rumoureval(folder: Path, split: str) -> Any:
    """SDQC toward the thread's source post: target = source text, parent = replied-to post.

    Source posts stay in, with their own label (nearly always support = favor toward
    themselves): at label time a thread's first comment is often the claim itself.
    """
    ds = _jsonl(_need(folder / f"posts_{split}.jsonl"),
                ("id", "thread_id", "parent_id", "text", "label_sdqc", "platform"))
    text_of = {r["id"]: (r["text"] or "").strip() for r in ds}
    records = []
    for r in ds:
        text = text_of[r["id"]]
        if not text or text in ("[deleted]", "[removed]") or r["label_sdqc"] not in SDQC:
            continue
        records.append({"text": text, "target": text_of.get(r["thread_id"], ""),
                        "parent_text": text_of.get(r["parent_id"] or "", ""),
                        "stance": SDQC[r["label_sdqc"]], "group": r["platform"]})
    return _rows_dataset(records, "rumoureval2019", split)


AGREEMENT_LABELS = {0: "disagree", 1: "neutral", 2: "agree"}


def load_agreement(folder: Path, split: str) -> Any:
    records = []
    for name in ("SubReddit-MaskMandate", "SubReddit-CovidVaccine"):
        ds = _csv([_need(folder / f"{name}.train.csv")])
        records += [{"text": r["response_text"], "parent_text": r["quote_text"],
                     "agreement": AGREEMENT_LABELS[int(r["relation"])], "group": name}
                    for r in ds if str(r["response_text"]).strip()
                    and str(r["quote_text"]).strip()]
    keys = [(r["parent_text"], r["text"]) for r in records]
    dev = carve(keys, [(r["group"], r["agreement"]) for r in records], 0.15)
    return _rows_dataset(_pick(records, dev, split, keys), "subreddit_agreement", split)


SENTIMENT_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}


def load_sentiment(folder: Path, split: str) -> Any:
    if split == "train":
        ds = _jsonl(_need(folder / "train_reconstructed.jsonl"), ("text", "label"))
        pairs = [(r["text"], str(r["label"])) for r in ds]
    else:
        texts = _text_lines(_need(folder / "val_text.txt"))
        labels = _text_lines(_need(folder / "val_labels.txt"))
        pairs = list(zip(texts, (lab.strip() for lab in labels), strict=True))
    records = [{"text": t, "sentiment": SENTIMENT_LABELS[lab]} for t, lab in pairs]
    return _rows_dataset(records, "tweeteval_sentiment", split)


def claims_dev(ids: Sequence[str], strata: Sequence[Hashable]) -> set[int]:
    """comment_claims' dev rows: 20% of each batch, carved per batch and stratum.

    The batches (id prefixes) arrive one after another in the file; each is carved on its own,
    so a new batch adds its own dev rows and never moves an earlier row between train and dev
    (the first two batches keep exactly the split the 0.1 model was trained and scored with).
    """
    by_batch: dict[str, list[int]] = defaultdict(list)
    for i, row_id in enumerate(ids):
        by_batch["q" if str(row_id).startswith("q") else ""].append(i)
    dev: set[int] = set()
    for batch in sorted(by_batch):
        idx = by_batch[batch]
        seed = CARVE_SEED if not batch else f"{CARVE_SEED}/{batch}"
        picked = carve(list(range(len(idx))), [strata[i] for i in idx], 0.2, seed)
        dev.update(idx[j] for j in picked)
    return dev


def load_claims(folder: Path, split: str) -> Any:
    ds = _jsonl(_need(folder / "train.jsonl"),
                ("id", "text", "media_bias", "conspiracy", "source"))
    records = [{"text": r["text"], "media_bias": bool(r["media_bias"]),
                "conspiracy": bool(r["conspiracy"]), "group": r["source"]} for r in ds]
    dev = claims_dev(list(ds["id"]), [(r["media_bias"], r["conspiracy"]) for r in records])
    return _rows_dataset(_pick(records, dev, split), "comment_claims", split)


def claims_media_targets(folder: Path, split: str) -> tuple[list[str], list[str | None]]:
    """(text, gold `media_target`) of the media-bias-positive rows of our comment_claims split."""
    ds = _jsonl(_need(folder / "train.jsonl"), ("id", "text", "media_bias", "conspiracy",
                                                "media_target"))
    records = list(ds)
    dev = claims_dev([r["id"] for r in records],
                     [(bool(r["media_bias"]), bool(r["conspiracy"])) for r in records])
    chosen = [r for r in _pick(records, dev, split) if r["media_bias"]]
    return [r["text"] for r in chosen], [r["media_target"] for r in chosen]


def load_pan(folder: Path, split: str) -> Any:
    ds = _jsonl(_need(folder / "train.jsonl"), ("text", "category"))
    records = [{"text": r["text"], "conspiracy": r["category"] == "CONSPIRACY"} for r in ds]
    dev = carve(list(range(len(records))), [r["conspiracy"] for r in records], 0.2)
    return _rows_dataset(_pick(records, dev, split), "pan2024", split)


def load_prct(folder: Path, split: str) -> Any:
    ds = _csv([_need(folder / "anonymized_gold_standard.train.csv")])
    records = [{"text": r["CommentText"], "parent_text": r["ParentCommentText"],
                "conspiracy": r["gold_label"] == "PRCT"} for r in ds]
    keys = [r["text"] for r in records]
    dev = carve(keys, [r["conspiracy"] for r in records], 0.2)
    return _rows_dataset(_pick(records, dev, split, keys), "prct", split)


ARC_LABELS = {"agree": "favor", "disagree": "against", "discuss": "none", "unrelated": "none"}
#: `unrelated` ARC rows are synthetic (a comment paired with another debate's claim) and make
#: up ~70% of the file; training keeps at most this many per comment, dev keeps them all.
ARC_UNRELATED_PER_COMMENT = 1


def load_arc(folder: Path, split: str) -> Any:
    """NYT reader comments toward short debate claims (agree/disagree/discuss/unrelated)."""
    ds = _jsonl(_need(folder / f"{split}.jsonl"), ("id", "claim", "comment", "label"))
    rng = random.Random(CARVE_SEED)
    kept: dict[str, int] = defaultdict(int)
    records = []
    for r in ds:
        if r["label"] not in ARC_LABELS:
            continue
        if split == "train" and r["label"] == "unrelated":
            body = str(r["id"]).rsplit("_b", 1)[-1]
            if kept[body] >= ARC_UNRELATED_PER_COMMENT or rng.random() < 0.3:
                continue
            kept[body] += 1
        records.append({"text": r["comment"], "target": r["claim"],
                        "stance": ARC_LABELS[r["label"]],
                        "group": "unrelated" if r["label"] == "unrelated" else "related"})
    return _rows_dataset(records, "arc", split)


def load_perspectrum(folder: Path, split: str) -> Any:
    """Debate claims and one-sentence perspectives (support/undermine: favor/against only)."""
    ds = _jsonl(_need(folder / f"{split}.jsonl"), ("claim", "perspective", "label"))
    to2 = {"support": "favor", "undermine": "against"}
    records = [{"text": r["perspective"], "target": r["claim"], "stance": to2[r["label"]]}
               for r in ds if r["label"] in to2]
    return _rows_dataset(records, "perspectrum", split)


def load_babe(folder: Path, split: str) -> Any:
    """Side signal only: news sentences (biased wording or not) that name no media are
    media-bias negatives, so the head learns that loaded political language is no claim
    about the media. Train split only."""
    from stance.model.outlets import find_outlets

    if split != "train":
        return _rows_dataset([], "babe", split)
    ds = _csv([_need(folder / "final_labels_SG2.train.csv")], sep=";")
    records = [{"text": r["text"], "media_bias": False, "group": r["label_bias"]} for r in ds
               if r["text"].strip() and not find_outlets(r["text"])]
    return _rows_dataset(records, "babe", split)


REGISTRY: dict[str, DatasetSpec] = {s.folder: s for s in (
    DatasetSpec("semeval2016", "semeval2016_stance_tweeteval", ("stance",), "stance_f_avg",
                "F_avg 72.9 (TimeLMs-2021), SVM 67.3", load_semeval),
    DatasetSpec("pstance", "pstance", ("stance",), "stance_f_avg",
                "F_avg 80.5 (BERTweet, in-target)", load_pstance),
    DatasetSpec("mt_csd", "mt_csd", ("stance",), "stance_macro_f1",
                "~50.5 (GLAN)", load_mt_csd),
    DatasetSpec("vast", "vast", ("stance",), "stance_macro_f1",
                "macro-F1 0.666 (TGA Net, trained on VAST train)", load_vast),
    DatasetSpec("rumoureval2019", "rumoureval2019", ("stance",), "stance_macro_f1",
                "macro-F1 0.619 (BLCU-NLP)", load_rumoureval),
    DatasetSpec("subreddit_agreement", "subreddit_agreement", ("agreement",),
                "agreement_macro_f1", "none comparable (few-shot paper)", load_agreement),
    DatasetSpec("tweeteval_sentiment", "tweeteval_sentiment", ("sentiment",),
                "sentiment_recall", "macro-recall 73.7 (TimeLMs-2021)", load_sentiment),
    DatasetSpec("comment_claims", "comment_claims", ("media_bias", "conspiracy"),
                "claims_f1", "none (project labels)", load_claims),
    DatasetSpec("pan2024", "pan2024_oppositional_en", ("conspiracy",), "conspiracy_mcc",
                "MCC ~0.84 top EN (unverified), F1 ~0.83", load_pan),
    DatasetSpec("prct", "prct_youtube", ("conspiracy",), "conspiracy_f1",
                "none (LLM 94.8% acc. on a biased sample)", load_prct),
    DatasetSpec("arc", "arc", ("stance",), "stance_macro_f1",
                "none comparable (published ARC figures use a comment-overlapping split)",
                load_arc),
    DatasetSpec("perspectrum", "perspectrum", ("stance",), "stance_macro_f1",
                "F1 77.8 (STANCY), human 90.9", load_perspectrum),
    DatasetSpec("babe", "babe", ("media_bias",), "",
                "side signal only (BABE's own task: macro-F1 0.804)", load_babe),
)}
BY_TAG: dict[str, DatasetSpec] = {s.tag: s for s in REGISTRY.values()}


def spec_for(path: Path) -> DatasetSpec | None:
    return REGISTRY.get(path.name)


def load_folder(path: Path, split: str) -> Any:
    """One known dataset folder as a `datasets.Dataset` of annotated rows."""
    spec = spec_for(path)
    if spec is None:
        raise InputError(f"not a known dataset folder (known: {', '.join(REGISTRY)})",
                         path=str(path))
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r} (use train or dev)", path=str(path))
    _quiet_datasets()
    logger.info("loading %s (%s)", spec.folder, split)
    return spec.load(path, split)


def _quiet_datasets() -> None:
    import datasets

    if not logging.getLogger("stance").isEnabledFor(logging.INFO):
        datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
