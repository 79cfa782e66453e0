"""The recipe that builds the shipped default model (`make train-default`).

    python -m stance.train.recipe --data $STANCE_DATA --output models/default

Steps: every known dataset folder under --data gives its train and dev rows (registry.py);
train rows whose text is in any dev set are dropped; silver negatives are added (below); the
model is trained with DEFAULT_CONFIG, calibrated on dev and saved; the saved model is scored on
dev and the metrics written beside it. `--export-rows DIR` writes the prepared rows instead
(gzipped JSONL) so a machine without the data (a GPU box) can run `--rows/--dev-rows`.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
from functools import partial
from pathlib import Path
from typing import Any

from stance.train.config import TrainingConfig
from stance.train.rows import Row

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = TrainingConfig(
    output="models/default", epochs=6.0, lr=8e-5, head_lr=1e-3, batch_size=64,
    max_length=128, seed=13, sampling_alpha=0.5, max_repeat=2.0, patience=4,
    evals_per_epoch=2, balance_beta=0.0, class_weight_power=0.5, distractor_target_p=0.5,
    model_name="stance-minilm", model_version="0.1.0")

#: Rows that use none of these words cannot accuse the media (GUIDELINES.md: the accused must
#: be news media), so a sample of them are safe media-bias negatives.
MEDIA_WORDS = re.compile(r"media|news|press|journal|report|propagand|headline|article|anchor|"
                         r"pundit|coverage|outlet|\btv\b|televis|network|channel|paper|"
                         r"msm|cnn|fox|bbc|times|post\b|censor|spin|narrative|fake|bias",
                         re.IGNORECASE)
#: Likewise for conspiracy: no plot vocabulary at all -> a safe conspiracy negative.
PLOT_WORDS = re.compile(r"conspir|plot|deep\s*state|plandemic|scamdemic|agenda|cover|false\s*"
                        r"flag|stag|hoax|globalis|nwo|world\s*order|elite|cabal|depopul|"
                        r"replace|invasion|sheep|wake|woke|puppet|rigged|fraud|secret|hid|"
                        r"control|illuminati|soros|gates|rothschild|jew|zion|bilderberg|"
                        r"davos|wef|lie|lying|truth|they\s*want|planned|chemtrail|5g|vaccin|"
                        r"jab|bioweapon|lab\b|manufactur|poison|microchip|satan|pedo",
                        re.IGNORECASE)


def add_silver_negatives(rows: list[Row], fraction: float, seed: int) -> int:
    """Label a random `fraction` of rows without claim labels as claim negatives, where their
    text has no media (resp. plot) vocabulary at all. Returns how many labels were added."""
    rng = random.Random(seed)
    added = 0
    for row in rows:
        if row["dataset"] in ("comment_claims", "babe", "pan2024", "prct"):
            continue
        if row["media_bias"] is None and not MEDIA_WORDS.search(row["text"]) \
                and rng.random() < fraction:
            row["media_bias"] = False
            added += 1
        if row["conspiracy"] is None and not PLOT_WORDS.search(row["text"]) \
                and rng.random() < fraction:
            row["conspiracy"] = False
            added += 1
    return added


#: Datasets whose stance targets are entities or topics ("Hillary Clinton", "Bitcoin").
ENTITY_TARGETS = frozenset({"semeval2016", "pstance", "mt_csd", "vast"})
#: Headline shapes that report on a target without taking or changing a side, so a comment's
#: stance toward the headline is its stance toward the target. A thread's target is usually
#: such a headline; entity targets alone never teach the model to read one.
HEADLINES = (
    "{t}: what readers are saying", "Debate over {t} heats up", "Readers weigh in on {t}",
    "{t} back in the spotlight", "Poll finds voters divided over {t}",
    "Everything you need to know about {t}", "Live updates: {t}",
    "Council hears hours of public comment on {t}", "New report on {t} released this week",
    "Town hall meeting dominated by {t}", "Lawmakers to take up {t} after the recess",
    "What the latest decision on {t} means for you",
)


def mention_pattern(entity: str) -> re.Pattern[str]:
    """Where a text names `entity`: in full (any case, also as one hashtag word, "#JoeBiden"),
    or by its capitalised last word ("Trump" for "Donald Trump", "Abortion" not "abortion"),
    with a "the" before it and a possessive "'s" after it when there are."""
    words = entity.split()
    full = [re.escape(entity), re.escape("".join(words))]
    alias = ""
    if len(words) > 1 and len(words[-1]) > 3 and words[-1][:1].isupper():
        alias = "|" + re.escape(words[-1])
    names = "|".join(full)
    return re.compile(rf"(?<![\w@#])(?:(?i:the)\s+)?#?(?:(?i:{names}){alias})(?:['’]s)?(?!\w)")


def _as_written(word: str, match: re.Match[str]) -> str:
    """`word` to stand where `match` stood: its first letter upper-case at a sentence start."""
    before = match.string[:match.start()].rstrip()
    return word[:1].upper() + word[1:] if not before or before[-1] in ".!?" else word


def refer_back(text: str, entity: str, rng: random.Random) -> str | None:
    """`text` with each mention of `entity` replaced by a word pointing back at the thread's
    subject ("it" or "this"; "its" for a possessive), as reader comments under a headline do
    ("I am against it"); None where the text never names the entity."""
    pattern = mention_pattern(entity)
    if not pattern.search(text):
        return None
    word = rng.choice(("it", "this"))
    return pattern.sub(lambda m: _as_written("its" if m.group(0)[-2:] in ("'s", "’s") else word,
                                             m), text)


def add_headline_targets(rows: list[Row], fraction: float, seed: int,
                         anaphora: float = 0.0) -> int:
    """Give a random `fraction` of the entity-target stance rows a headline-shaped target
    around their entity (`HEADLINES`). Of those whose text names the entity, a random
    `anaphora` share then refer to it only as "it"/"this" (`refer_back`): the stance is
    unchanged, and the model must read the pronoun as the headline's subject. Returns how many
    targets were rewritten."""
    rng = random.Random(seed)
    changed = 0
    for row in rows:
        if (row["dataset"] in ENTITY_TARGETS and row.get("stance") is not None
                and row.get("target") and rng.random() < fraction):
            entity = row["target"]
            row["target"] = rng.choice(HEADLINES).format(t=entity)
            changed += 1
            if anaphora and rng.random() < anaphora:
                row["text"] = refer_back(row["text"], entity, rng) or row["text"]
    return changed


#: How a comment speaks of the news media in general ("the mainstream media", "MSM", "the
#: press"; not "social media").
GENERIC_MEDIA = re.compile(r"(?i)\b(?:the\s+)?(?:(?:mainstream|main\s*stream|legacy|corporate|"
                           r"liberal|national|news)\s+)?(?<!social\s)media\b|\bmsm\b|"
                           r"\bthe\s+press\b")
#: Outlets a reader names instead (`stance.model.outlets` finds each of them).
OUTLET_NAMES = ("CNN", "Fox News", "Fox", "MSNBC", "the New York Times", "the BBC", "the CBC",
                "the Washington Post", "NBC", "CBS", "ABC News", "NPR", "Reuters", "Sky News",
                "the Guardian", "the Globe and Mail", "Breitbart", "the Wall Street Journal")


def add_outlet_mentions(rows: list[Row], fraction: float, seed: int) -> int:
    """In a random `fraction` of the comment_claims rows that speak of the media in general
    (`GENERIC_MEDIA`), name one outlet there instead (`OUTLET_NAMES`), whatever the row's
    media-bias label: comments accuse "CNN" or "Fox" far more often than "the media", and the
    claim is the same. Returns how many rows changed."""
    rng = random.Random(seed + 1)
    changed = 0
    for row in rows:
        if (row["dataset"] == "comment_claims" and row.get("media_bias") is not None
                and GENERIC_MEDIA.search(row["text"]) and rng.random() < fraction):
            outlet = rng.choice(OUTLET_NAMES)
            row["text"] = GENERIC_MEDIA.sub(partial(_as_written, outlet), row["text"])
            changed += 1
    return changed


#: Datasets whose targets are claims ("Felons should be allowed to vote"), not entities.
CLAIM_TARGETS = frozenset({"arc", "perspectrum"})
_AUX = ("should|can|could|will|would|must|may|might|shall|is|are|was|were|do|does|did|has|"
        "have|had")
#: The first auxiliary of a claim, with a "not" after it if there is one.
_AUX_NOT = re.compile(rf"\b({_AUX})\b(\s+not\b)?", re.IGNORECASE)
_CONTRACTED = {"can't": "can", "cannot": "can", "won't": "will", "wouldn't": "would",
               "shouldn't": "should", "couldn't": "could", "isn't": "is", "aren't": "are",
               "wasn't": "was", "weren't": "were", "don't": "do", "doesn't": "does",
               "didn't": "did", "hasn't": "has", "haven't": "have", "mustn't": "must"}
_CONTRACTION = re.compile(r"\b(" + "|".join(re.escape(k).replace("'", "['’]")
                                             for k in _CONTRACTED) + r")\b", re.IGNORECASE)
_DO_NOT = re.compile(r"^(?:do\s+not|don['’]t|never)\s+(?=\w)", re.IGNORECASE)
#: Claims that answer a question the data leaves out ("No, it can't"): no opposite is sure.
_ANSWER = re.compile(r"^(?:yes|no)\b", re.IGNORECASE)


def negate_claim(claim: str) -> str | None:
    """The claim's opposite by its first auxiliary ("Felons should be allowed to vote" ->
    "Felons should not be allowed to vote", "Big banks are not out of control" -> "Big banks
    are out of control", "Do not stop taxing capital gains" -> "Stop taxing capital gains");
    None where no auxiliary says which way the claim goes ("College free for everyone")."""
    claim = claim.strip()
    if _ANSWER.match(claim):
        return None
    if _DO_NOT.match(claim):
        rest = _DO_NOT.sub("", claim, count=1)
        return rest[:1].upper() + rest[1:]
    contracted = _CONTRACTION.search(claim)
    aux = _AUX_NOT.search(claim)
    if contracted and (aux is None or contracted.start() <= aux.start()):
        word = _CONTRACTED[contracted.group(1).lower().replace("’", "'")]
        if contracted.start() == 0:
            word = word.capitalize()
        return claim[:contracted.start()] + word + claim[contracted.end():]
    if aux is None:
        return None
    if aux.group(2):  # "are not" -> "are"
        return claim[:aux.end(1)] + claim[aux.end():]
    after = claim[aux.end(1):].split()
    following = after[0].lower() if after else ""
    verb = aux.group(1).lower()
    if following in ("no", "never", "nothing", "nobody", "none") or verb in ("do", "does", "did"):
        return None  # a double negative, or "do" as the main verb
    if verb in ("has", "have", "had") and not (following.endswith(("ed", "en")) or
                                               following in ("been", "got", "made", "lost")):
        return None  # "has a place": possession, not an auxiliary
    return claim[:aux.end(1)] + " not" + claim[aux.end(1):]


def add_negated_claims(rows: list[Row], fraction: float, seed: int) -> int:
    """For a random `fraction` of the favor/against rows whose target is a claim
    (`CLAIM_TARGETS`), add a copy under the claim's opposite (`negate_claim`) with the stance
    flipped, so the head must read which way the claim goes, not only what it is about (ARC's
    favor and against are confused with each other more than with none). Returns how many
    rows were added."""
    rng = random.Random(seed)
    added: list[Row] = []
    for row in rows:
        if (row["dataset"] in CLAIM_TARGETS and row.get("stance") in ("favor", "against")
                and row.get("target") and rng.random() < fraction):
            opposite = negate_claim(row["target"])
            if opposite:
                added.append({**row, "target": opposite,
                              "stance": "against" if row["stance"] == "favor" else "favor"})
    rows.extend(added)
    return len(added)


#: Datasets whose favor/against rows are padded (`add_padded_rows`): one reader's view of a
#: target or claim, read on its own (RumourEval's and MT-CSD's replies read with their parent).
PADDED_STANCE = frozenset({"arc", "perspectrum", "semeval2016", "pstance", "vast"})
#: A sentence ends at ., ! or ? followed by space and a capital, quote or digit.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“'‘(A-Z0-9])")


def _sentences(text: str) -> list[str]:
    """The text's sentences of 4 to 40 words (others are fragments or run-ons)."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip())
            if 4 <= len(s.split()) <= 40]


#: Every dataset whose rows `add_padded_rows` may pad.
PADDABLE = PADDED_STANCE | {"comment_claims"}


def add_padded_rows(rows: list[Row], fraction: float, seed: int,
                    datasets: frozenset[str] = PADDABLE) -> int:
    """For a random `fraction` of the rows that take a side (favor/against in `PADDED_STANCE`,
    a media-bias or conspiracy claim in comment_claims), add a copy with one sentence of a
    comment that takes none (same dataset, the same target where one has any, any stance
    dataset's where the dataset has no neutral rows; before or after the text), labels
    unchanged. A reader's "I am against it." stays against when a factual
    sentence follows it; a mean-pooled reading dilutes the short stance clause, and these rows
    teach the heads to keep it. Only rows of `datasets` are padded. Returns how many rows were
    added."""
    rng = random.Random(seed + 2)
    by_target: dict[tuple[str, str], list[str]] = {}
    by_dataset: dict[str, list[str]] = {}
    anywhere: list[str] = []  # P-Stance and Perspectrum have no neutral rows of their own
    for row in rows:
        neutral = ((row["dataset"] in PADDED_STANCE and row.get("stance") == "none")
                   or (row["dataset"] == "comment_claims" and row.get("media_bias") is False
                       and row.get("conspiracy") is False))
        if neutral:
            found = _sentences(row["text"])
            if found:
                by_target.setdefault((row["dataset"], row.get("target") or ""), []).extend(found)
                by_dataset.setdefault(row["dataset"], []).extend(found)
                if row["dataset"] in PADDED_STANCE:
                    anywhere.extend(found)
    added: list[Row] = []
    for row in rows:
        sided = ((row["dataset"] in PADDED_STANCE and row.get("stance") in ("favor", "against"))
                 or (row["dataset"] == "comment_claims"
                     and (row.get("media_bias") is True or row.get("conspiracy") is True)))
        if not sided or rng.random() >= fraction or row["dataset"] not in datasets:
            continue
        pool = by_target.get((row["dataset"], row.get("target") or "")) or \
            by_dataset.get(row["dataset"]) or anywhere
        if not pool:
            continue
        pad = rng.choice(pool)
        if pad in row["text"]:
            continue
        text = row["text"].strip()
        if rng.random() < 0.6:
            sep = " " if text.endswith((".", "!", "?", '"', "”")) else ". "
            text = text + sep + pad
        else:
            text = pad + " " + text
        added.append({**row, "text": text})
    rows.extend(added)
    return len(added)


def build_rows(data: Path, silver_fraction: float, seed: int, headline_fraction: float = 0.0,
               anaphora: float = 0.0, outlets: float = 0.0,
               negate: float = 0.0, pad: float = 0.0,
               pad_datasets: frozenset[str] = PADDABLE) -> tuple[list[Row], list[Row]]:
    from stance.train.data import drop_overlap, load_source

    train = load_source(data, "train")
    dev = load_source(data, "dev")
    train = drop_overlap(train, dev)
    added = add_silver_negatives(train, silver_fraction, seed)
    padded = add_padded_rows(train, pad, seed, pad_datasets)
    texts = [row["text"] for row in train]
    headlines = add_headline_targets(train, headline_fraction, seed, anaphora)
    pronouns = sum(text != row["text"] for text, row in zip(texts, train, strict=True))
    named = add_outlet_mentions(train, outlets, seed)
    negated = add_negated_claims(train, negate, seed)
    logger.info("%d train rows, %d dev rows, %d silver negative labels, %d headline targets "
                "(%d naming their subject only as it/this), %d naming an outlet for the media, "
                "%d under a negated claim, %d padded with a sentence that takes no side",
                len(train), len(dev), added, headlines, pronouns, named, negated, padded)
    return train, dev


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m stance.train.recipe", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, help="STANCE_DATA folder (default: $STANCE_DATA)")
    p.add_argument("--rows", type=Path, help="prepared train rows (instead of --data)")
    p.add_argument("--dev-rows", type=Path, help="prepared dev rows (with --rows)")
    p.add_argument("--export-rows", type=Path, help="write prepared rows here and stop")
    p.add_argument("--output", default=DEFAULT_CONFIG.output)
    p.add_argument("--base", default=None, help="base encoder dir (default: packaged MiniLM)")
    p.add_argument("--base-label", default=None, help="base name to record in the config")
    p.add_argument("--silver-fraction", type=float, default=0.08)
    p.add_argument("--headline-fraction", type=float, default=0.0,
                   help="share of entity-target stance rows read under a headline-shaped "
                        "target (recipe.HEADLINES)")
    p.add_argument("--anaphora", type=float, default=0.0,
                   help="share of those rows whose text then names the entity only as "
                        "it/this (recipe.refer_back), where it names the entity at all")
    p.add_argument("--outlets", type=float, default=0.0,
                   help="share of comment_claims rows speaking of the media in general that "
                        "name an outlet instead (recipe.add_outlet_mentions)")
    p.add_argument("--negate-claims", type=float, default=0.0,
                   help="share of ARC and Perspectrum favor/against rows also read under the "
                        "claim's opposite with the stance flipped (recipe.negate_claim)")
    p.add_argument("--pad-neutral", type=float, default=0.0,
                   help="share of rows that take a side also read with one sentence of a "
                        "comment that takes none beside them (recipe.add_padded_rows)")
    p.add_argument("--pad-datasets", default=",".join(sorted(PADDABLE)),
                   help="comma-separated datasets whose rows --pad-neutral pads (default: "
                        "all it can)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                   help="override a TrainingConfig field, e.g. --set epochs=4 --set lr=5e-5")
    p.add_argument("--no-eval", action="store_true", help="skip the final dev evaluation")
    p.add_argument("--resume", action="store_true",
                   help="continue a killed run from OUTPUT.checkpoint/ (same arguments)")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def _pad_datasets(value: str) -> frozenset[str]:
    from stance.errors import InputError

    names = frozenset(name.strip() for name in value.split(",") if name.strip())
    unknown = sorted(names - PADDABLE)
    if unknown:
        raise InputError(f"--pad-datasets: {', '.join(unknown)} cannot be padded; choose from "
                         f"{', '.join(sorted(PADDABLE))}")
    return names


def _config(args: argparse.Namespace) -> TrainingConfig:
    overrides: dict[str, Any] = {"output": args.output, "base": args.base,
                                 "base_label": args.base_label}
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    return TrainingConfig.from_dict({**DEFAULT_CONFIG.to_dict(), **overrides})


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    if args.verbose:
        logging.getLogger("stance").setLevel(logging.INFO)
    from stance.errors import StanceError
    from stance.train.data import data_root
    from stance.train.rows import read_annotated, write_rows

    try:
        config = _config(args)
        if args.rows:
            train = read_annotated(args.rows)
            dev = read_annotated(args.dev_rows) if args.dev_rows else []
        else:
            train, dev = build_rows(data_root(args.data), args.silver_fraction, config.seed,
                                    args.headline_fraction, args.anaphora, args.outlets,
                                    args.negate_claims, args.pad_neutral,
                                    _pad_datasets(args.pad_datasets))
        if args.export_rows:
            write_rows(train, args.export_rows / "train_rows.jsonl.gz")
            write_rows(dev, args.export_rows / "dev_rows.jsonl.gz")
            print(f"wrote {len(train)} train and {len(dev)} dev rows to {args.export_rows}")
            return 0
        path = run(config, train, dev, evaluate=not args.no_eval, resume=args.resume)
        print(f"saved the model to {path}")
    except StanceError as exc:
        print(f"stance: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


def run(config: TrainingConfig, train: list[Row], dev: list[Row], evaluate: bool = True,
        resume: bool = False) -> Path:
    """Train, calibrate, save; then score the saved (fp16) model on dev like `stance evaluate`."""
    from stance.train.trainer import train_model

    path = train_model(train, config, dev=dev, resume=resume)
    if evaluate and dev:
        from stance.io import atomic_writer
        from stance.model.io import load_model
        from stance.train.evaluate import evaluate_model
        from stance.train.trainer import resolve_device

        model, tokenizer = load_model(path, device=str(resolve_device(config.device)))
        result = evaluate_model(model, tokenizer, dev, config.eval_batch_size)
        with atomic_writer(path / "dev_metrics.json") as handle:
            handle.write(json.dumps(result.metrics, indent=1) + "\n")
        logger.info("dev score %.4f", result.metrics["score"])
    return path


if __name__ == "__main__":
    raise SystemExit(main())
