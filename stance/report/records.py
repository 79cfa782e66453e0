"""Read label records (CONTRACT.md) into compact rows, checking each one.

A record that cannot be identified (not an object, no `thread_id` or `comment_id`) is an
`InputError` naming the file and line. A record whose label for one head is missing or unknown
is kept: that head is left out of its counts and the report says how many were, and where the
first one was. Extra fields are optional: `timestamp`, `author` and `depth` are used when present.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stance.errors import InputError
from stance.io import iter_jsonl
from stance.report.stats import normalized_entropy

STANCE = ("favor", "against", "query", "none")
AGREEMENT = ("agree", "neutral", "disagree")
SENTIMENT = ("positive", "neutral", "negative")
BINARY = ("true", "false")
HEADS: dict[str, tuple[str, ...]] = {"stance": STANCE, "agreement": AGREEMENT,
                                     "sentiment": SENTIMENT, "media_bias": BINARY,
                                     "conspiracy": BINARY}
#: Other spellings accepted for a label (RumourEval SDQC names, British spelling, short forms).
SYNONYMS: dict[str, dict[str, str]] = {
    "stance": {"support": "favor", "favour": "favor", "deny": "against", "comment": "none",
               "neither": "none"},
    "agreement": {"agreement": "agree", "disagreement": "disagree", "attack": "disagree",
                  "support": "agree"},
    "sentiment": {"pos": "positive", "neg": "negative", "neu": "neutral"},
}
TEXT_LIMIT = 2000  # characters of a comment kept for quotes and the thread view


@dataclass(frozen=True, slots=True)
class Row:
    """One label record, checked and reduced to what the report needs. -1 = label unknown."""

    seq: int
    thread_id: str
    comment_id: str
    parent_id: str | None
    text: str
    stance: int = -1
    stance_score: float | None = None
    stance_entropy: float | None = None
    target: str | None = None
    agreement: int = -1
    sentiment: int = -1
    bias: int = -1
    outlets: tuple[str, ...] = ()
    conspiracy: int = -1
    timestamp: float | None = None
    author: str | None = None
    depth: int | None = None
    model: str | None = None


@dataclass(slots=True)
class Problems:
    """Per-kind counts of repaired record problems, with the first place each was seen."""

    counts: dict[str, int] = field(default_factory=dict)
    first: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, where: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.first.setdefault(kind, where)

    def messages(self) -> list[str]:
        return [f"{n} record(s) {kind} (first at {self.first[kind]})"
                for kind, n in self.counts.items()]


def _opt_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _label_index(head: str, value: Any) -> int:
    """Index of a label in HEADS[head], or -1 when it is missing or unknown."""
    if head in ("media_bias", "conspiracy"):
        if isinstance(value, bool):
            return 0 if value else 1
        if value in (0, 1):
            return 0 if value == 1 else 1
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
            return 0 if value.strip().lower() in ("true", "yes") else 1
        return -1
    if not isinstance(value, str):
        return -1
    name = value.strip().lower()
    name = SYNONYMS.get(head, {}).get(name, name)
    labels = HEADS[head]
    return labels.index(name) if name in labels else -1


def _scores(head: str, raw: Any) -> list[float] | None:
    """The head's score vector in label order, or None when absent or not numbers."""
    if not isinstance(raw, Mapping):
        return None
    out: list[float] = []
    for name in HEADS[head]:
        value = raw.get(name)
        if value is None:
            value = next((v for k, v in raw.items()
                          if SYNONYMS.get(head, {}).get(str(k).lower()) == name), None)
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value):
            return None
        out.append(float(value))
    return out


def parse_timestamp(value: Any) -> float | None:
    """Seconds since the epoch from ISO 8601 text or a number; None when it is not a time.

    Times without a zone are read as UTC wall-clock time (comment pages rarely say their zone).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = float(value) / 1000.0 if abs(value) > 1e11 else float(value)
        return seconds if math.isfinite(seconds) else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _head(obj: Mapping[str, Any], head: str, where: str, problems: Problems,
          optional: bool = False) -> tuple[int, Any]:
    raw = obj.get(head)
    if raw is None:
        if not optional:
            problems.add(f"had no '{head}' and were left out of its counts", where)
        return -1, None
    if not isinstance(raw, Mapping):
        problems.add(f"had a '{head}' that is not an object; left out of its counts", where)
        return -1, None
    index = _label_index(head, raw.get("label"))
    if index < 0:
        problems.add(f"had a missing or unknown {head} label "
                     f"(expected {', '.join(HEADS[head])}); left out of its counts", where)
    return index, raw


def _stance_fields(raw: Any, index: int) -> tuple[float | None, float | None, str | None]:
    if raw is None:
        return None, None, None
    scores = _scores("stance", raw.get("scores"))
    target = _opt_str(raw.get("target"))
    if scores is None or index < 0:
        return None, None, target
    total = sum(scores)
    confidence = scores[index] / total if total > 0 else None
    return confidence, normalized_entropy(scores), target


def _outlets(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    targets = raw.get("targets")
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, list):
        return ()
    return tuple(dict.fromkeys(t.strip() for t in targets if isinstance(t, str) and t.strip()))


def parse_record(obj: Mapping[str, Any], seq: int, path: str, line: int,
                 problems: Problems) -> Row:
    """Check one record and reduce it to a Row; InputError when it cannot be identified."""
    tid, cid = obj.get("thread_id"), obj.get("comment_id")
    for name, value in (("thread_id", tid), ("comment_id", cid)):
        if value is None or value == "" or isinstance(value, dict | list | bool):
            raise InputError(f"label record has no usable '{name}'", path=path, line=line)
    where = f"{path} line {line}"
    stance, stance_raw = _head(obj, "stance", where, problems)
    agreement, _ = _head(obj, "agreement", where, problems, optional=True)
    sentiment, _ = _head(obj, "sentiment", where, problems)
    bias, bias_raw = _head(obj, "media_bias", where, problems)
    conspiracy, _ = _head(obj, "conspiracy", where, problems)
    confidence, entropy, target = _stance_fields(stance_raw, stance)
    text = obj.get("text")
    if not isinstance(text, str):
        problems.add("had no 'text' (quoted as empty)", where)
        text = ""
    timestamp = parse_timestamp(obj.get("timestamp"))
    if timestamp is None and obj.get("timestamp") not in (None, ""):
        problems.add("had a 'timestamp' that is not an ISO 8601 time; it was ignored", where)
    depth = obj.get("depth")
    return Row(seq=seq, thread_id=str(tid), comment_id=str(cid),
               parent_id=_opt_str(obj.get("parent_id")), text=text[:TEXT_LIMIT],
               stance=stance, stance_score=confidence, stance_entropy=entropy, target=target,
               agreement=agreement, sentiment=sentiment, bias=bias,
               outlets=_outlets(bias_raw) if bias == 0 else (), conspiracy=conspiracy,
               timestamp=timestamp, author=_opt_str(obj.get("author")),
               depth=depth if isinstance(depth, int) and not isinstance(depth, bool)
               and depth >= 0 else None,
               model=_opt_str(obj.get("model")))


def iter_file_records(paths: Iterable[str | Path]
                      ) -> Iterator[tuple[str, int, Mapping[str, Any]]]:
    """Yield (path, line, record) from label JSONL files; an empty file is an InputError."""
    for path in paths:
        seen = False
        for line, obj in iter_jsonl(path):
            seen = True
            yield str(path), line, obj
        if not seen:
            raise InputError("is empty: it holds no label records", path=str(path))


def iter_dict_records(records: Iterable[Mapping[str, Any]], name: str = "in-memory records"
                      ) -> Iterator[tuple[str, int, Mapping[str, Any]]]:
    """Number in-memory records (e.g. from `Labeler.label`) so errors can say which one."""
    for number, obj in enumerate(records, start=1):
        if not isinstance(obj, Mapping):
            raise InputError(f"expected a label record (a dict), found {type(obj).__name__}",
                             path=name, line=number)
        yield name, number, obj


@dataclass(slots=True)
class ThreadMeta:
    """What thread JSONL adds to label records: titles, comment times and authors."""

    titles: dict[str, str] = field(default_factory=dict)
    times: dict[tuple[str, str], float] = field(default_factory=dict)
    authors: dict[tuple[str, str], str] = field(default_factory=dict)
    unparsed_times: int = 0

    @classmethod
    def from_threads(cls, threads: Iterable[Any]) -> ThreadMeta:
        """Collect from `stance.thread` Thread objects (anything with the same attributes)."""
        meta = cls()
        for thread in threads:
            tid = str(thread.thread_id)
            article = getattr(thread, "article", None)
            title = getattr(article, "title", None) or getattr(thread, "target", None)
            if title:
                meta.titles[tid] = str(title)
            for comment in thread.comments:
                key = (tid, str(comment.id))
                if comment.timestamp:
                    moment = parse_timestamp(comment.timestamp)
                    if moment is None:
                        meta.unparsed_times += 1
                    else:
                        meta.times[key] = moment
                if comment.author:
                    meta.authors[key] = str(comment.author)
        return meta
