"""The learned segmenter's model: an averaged structured perceptron over line features.

Weights are one vector of tag scores per feature name plus a state-transition matrix, saved
as plain JSON (no pickle). `update` is Collins' perceptron step on a whole page (gold path
minus decoded path), with lazy averaging so a training run costs one pass per epoch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.thread.segment.decode import EMITS, STATES, TAGS, viterbi
from stance.thread.segment.features import Features

FORMAT = "stance-segmenter-perceptron/1"


@dataclass
class Perceptron:
    weights: dict[str, list[float]] = field(default_factory=dict)
    transitions: list[list[float]] = field(
        default_factory=lambda: [[0.0] * len(STATES) for _ in STATES])
    meta: dict[str, Any] = field(default_factory=dict)
    # averaging state (training only)
    _totals: dict[str, list[float]] = field(default_factory=dict, repr=False)
    _stamps: dict[str, int] = field(default_factory=dict, repr=False)
    _steps: int = 0

    def emissions(self, feats: list[Features]) -> list[list[float]]:
        out = []
        weights = self.weights
        for f in feats:
            row = [0.0, 0.0, 0.0, 0.0]
            for name, value in f.items():
                w = weights.get(name)
                if w is not None:
                    row[0] += value * w[0]
                    row[1] += value * w[1]
                    row[2] += value * w[2]
                    row[3] += value * w[3]
            out.append(row)
        return out

    def decode(self, feats: list[Features]) -> list[int]:
        return viterbi(self.emissions(feats), self.transitions)

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
        guess = self.decode(feats)
        if guess == gold:
            return False
        for i, (g, p) in enumerate(zip(gold, guess, strict=True)):
            if g != p and EMITS[g] != EMITS[p]:
                for name, value in feats[i].items():
                    self._bump(name, EMITS[g], weight * value)
                    self._bump(name, EMITS[p], -weight * value)
            if i:
                self._bump_transition(gold[i - 1], g, weight)
                self._bump_transition(guess[i - 1], p, -weight)
        return True

    def _bump_transition(self, a: int, b: int, delta: float) -> None:
        self.transitions[a][b] += delta
        key = f"__trans{a}_{b}"
        total = self._totals.setdefault(key, [0.0])
        since = self._steps - self._stamps.get(key, 0)
        total[0] += since * (self.transitions[a][b] - delta)
        self._stamps[key] = self._steps

    def averaged(self) -> Perceptron:
        """The averaged weights (what is saved and used)."""
        steps = max(1, self._steps)
        weights: dict[str, list[float]] = {}
        for key, w in self.weights.items():
            if key.startswith("__"):
                continue
            total = self._totals.get(key, [0.0] * len(TAGS))
            since = self._steps - self._stamps.get(key, 0)
            avg = [round((total[t] + since * w[t]) / steps, 4) for t in range(len(TAGS))]
            if any(avg):
                weights[key] = avg
        trans = [[0.0] * len(STATES) for _ in STATES]
        for a in range(len(STATES)):
            for b in range(len(STATES)):
                key = f"__trans{a}_{b}"
                summed = self._totals.get(key, [0.0])[0]
                since = self._steps - self._stamps.get(key, 0)
                trans[a][b] = round((summed + since * self.transitions[a][b]) / steps, 4)
        return Perceptron(weights=weights, transitions=trans, meta=dict(self.meta))

    # -- serialisation ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "tags": list(TAGS), "states": list(STATES),
                "transitions": self.transitions, "weights": dict(sorted(self.weights.items())),
                "meta": self.meta}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Perceptron:
        if data.get("format") != FORMAT or list(data.get("tags", [])) != list(TAGS):
            raise ValueError(f"not a {FORMAT} model")
        weights = {str(k): [float(x) for x in v] for k, v in data["weights"].items()}
        trans = [[float(x) for x in row] for row in data["transitions"]]
        return cls(weights=weights, transitions=trans, meta=dict(data.get("meta") or {}))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=0, sort_keys=False) + "\n",
                              encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Perceptron:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
