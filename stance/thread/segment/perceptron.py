"""The learned segmenter's model: an averaged structured perceptron over line features.

Weights are one vector of tag scores per feature name (transitions included, conditioned on
the page-level features), saved as plain JSON (no pickle). `update` is Collins' perceptron
step on a whole page (gold path minus decoded path), with lazy averaging so a training run
costs one pass per epoch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.thread.segment.decode import EMITS, STATES, TAGS, viterbi
from stance.thread.segment.features import Features

FORMAT = "stance-segmenter-perceptron/2"


def page_keys(feats: list[Features]) -> list[str]:
    """The page-level features (the same on every line): they condition the transitions."""
    if not feats:
        return []
    return ["base", *sorted(k for k in feats[0] if k.startswith("page_") and "&" not in k)]


@dataclass
class Perceptron:
    """Tag scores per feature name; transitions per page feature ("T:<page feature>:<from>"
    holds the scores of each following state), so a page that prints author lines can make
    a comment start after one cheap and after a text line dear, and a page without them not."""

    weights: dict[str, list[float]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    # averaging state (training only)
    _totals: dict[str, list[float]] = field(default_factory=dict, repr=False)
    _stamps: dict[str, int] = field(default_factory=dict, repr=False)
    _steps: int = 0

    def emissions(self, feats: list[Features]) -> list[list[float]]:
        """Tag scores per line; the features are binary (see `features`), so a present name
        adds its weights. Lines of one page often have the very same feature names (in the
        same order, so the same sums): each distinct list is summed once, and every line gets
        its own row (decoding changes rows in place)."""
        out = []
        get = self.weights.get
        seen: dict[tuple[str, ...], list[float]] = {}
        for f in feats:
            names = tuple(f)
            row = seen.get(names)
            if row is None:
                a = b = c = d = 0.0
                for name in names:
                    w = get(name)
                    if w is not None:
                        a += w[0]
                        b += w[1]
                        c += w[2]
                        d += w[3]
                row = seen[names] = [a, b, c, d]
            out.append(row.copy())
        return out

    def transitions(self, feats: list[Features]) -> list[list[float]]:
        matrix = [[0.0] * len(STATES) for _ in STATES]
        for key in page_keys(feats):
            for a in range(len(STATES)):
                w = self.weights.get(f"T:{key}:{a}")
                if w is not None:
                    matrix[a] = [x + y for x, y in zip(matrix[a], w, strict=True)]
        return matrix

    @property
    def start_penalty(self) -> float:
        """Subtracted from every line's comment-start score when decoding (not in training):
        the perceptron, trained mostly on rendered pages, opens comments on real pages more
        often than their readers do (boundary recall above precision). The value is a
        hyperparameter of the training run (`TrainConfig.start_penalty`), kept in `meta`."""
        return float(self.meta.get("start_penalty", 0.0))

    def decode(self, feats: list[Features], start_penalty: float | None = None) -> list[int]:
        """The best valid state path; `start_penalty` overrides the model's own."""
        emissions = self.emissions(feats)
        penalty = self.start_penalty if start_penalty is None else start_penalty
        if penalty:
            start = TAGS.index("S")
            for row in emissions:
                row[start] -= penalty
        return viterbi(emissions, self.transitions(feats))

    # -- training -----------------------------------------------------------------------------

    def _bump(self, key: str, tag: int, delta: float) -> None:
        w = self.weights.setdefault(key, [0.0] * len(TAGS))
        total = self._totals.setdefault(key, [0.0] * len(TAGS))
        since = self._steps - self._stamps.get(key, 0)
        for t in range(len(TAGS)):
            total[t] += since * w[t]
        self._stamps[key] = self._steps
        w[tag] += delta

    def update(self, feats: list[Features], gold: list[int], weight: float = 1.0) -> bool:
        """One perceptron step on a page; returns whether the decoded path was wrong."""
        self._steps += 1
        guess = viterbi(self.emissions(feats), self.transitions(feats))  # no start penalty
        if guess == gold:
            return False
        keys = page_keys(feats)
        for i, (g, p) in enumerate(zip(gold, guess, strict=True)):
            if EMITS[g] != EMITS[p]:
                for name, value in feats[i].items():
                    self._bump(name, EMITS[g], weight * value)
                    self._bump(name, EMITS[p], -weight * value)
            if i and (gold[i - 1], g) != (guess[i - 1], p):
                for key in keys:
                    self._bump(f"T:{key}:{gold[i - 1]}", g, weight)
                    self._bump(f"T:{key}:{guess[i - 1]}", p, -weight)
        return True

    def averaged(self) -> Perceptron:
        """The averaged weights (what is saved and used)."""
        steps = max(1, self._steps)
        weights: dict[str, list[float]] = {}
        for key, w in self.weights.items():
            total = self._totals.get(key, [0.0] * len(TAGS))
            since = self._steps - self._stamps.get(key, 0)
            avg = [round((total[t] + since * w[t]) / steps, 4) for t in range(len(TAGS))]
            if any(avg):
                weights[key] = avg
        return Perceptron(weights=weights, meta=dict(self.meta))

    # -- serialisation ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "tags": list(TAGS), "states": list(STATES),
                "weights": dict(sorted(self.weights.items())), "meta": self.meta}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Perceptron:
        if data.get("format") != FORMAT or list(data.get("tags", [])) != list(TAGS):
            raise ValueError(f"not a {FORMAT} model")
        weights = {str(k): [float(x) for x in v] for k, v in data["weights"].items()}
        return cls(weights=weights, meta=dict(data.get("meta") or {}))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), separators=(",", ":")) + "\n",
                              encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Perceptron:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
