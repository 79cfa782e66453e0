"""Score parsed threads against hand annotations (the `real_threads_dev` shape).

An annotation file `NN_site.expected.json` beside `NN_site.txt` lists the comments by the
opening words of each commenter's own text (`first_words`), with `parent` (and acceptable
`alt_parents`), plus `artifacts`: strings that must not appear in any comment's text.

Predicted comments are matched to expected ones in document order by normalised prefix
(an expected comment with empty `first_words` matches only an empty prediction). From the
matching come boundary precision/recall/F1, parent accuracy over matched comments (a parent
counts when it maps to the expected parent or one of its alternatives), and the number of
artifacts found in comment texts. Totals are summed over files (micro averages).

Run ``python -m stance.thread.score FOLDER`` for a per-file table.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.thread.model import Thread

logger = logging.getLogger(__name__)

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Lowercase, straight quotes, single spaces."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().lower()


@dataclass
class FileScore:
    name: str
    expected: int
    predicted: int
    matched: int
    parents_right: int
    leaked: list[str] = field(default_factory=list)
    article_expected: bool | None = None
    article_found: bool = False

    def as_row(self) -> dict[str, Any]:
        return {"file": self.name, "expected": self.expected, "predicted": self.predicted,
                "matched": self.matched, "parents_right": self.parents_right,
                "leaked": len(self.leaked), "article_ok": self.article_ok}

    @property
    def article_ok(self) -> bool:
        return self.article_expected is None or self.article_expected == self.article_found


@dataclass
class Summary:
    files: list[FileScore]

    def _sum(self, attr: str) -> int:
        return sum(int(getattr(f, attr)) for f in self.files)

    @property
    def precision(self) -> float:
        return self._sum("matched") / max(1, self._sum("predicted"))

    @property
    def recall(self) -> float:
        return self._sum("matched") / max(1, self._sum("expected"))

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def parent_accuracy(self) -> float:
        return self._sum("parents_right") / max(1, self._sum("matched"))

    @property
    def leaked(self) -> int:
        return sum(len(f.leaked) for f in self.files)

    @property
    def article_accuracy(self) -> float:
        return sum(f.article_ok for f in self.files) / max(1, len(self.files))

    def to_dict(self) -> dict[str, Any]:
        return {"boundary_precision": round(self.precision, 4),
                "boundary_recall": round(self.recall, 4), "boundary_f1": round(self.f1, 4),
                "parent_accuracy": round(self.parent_accuracy, 4), "leaked_artifacts": self.leaked,
                "article_accuracy": round(self.article_accuracy, 4),
                "comments_expected": self._sum("expected"),
                "comments_predicted": self._sum("predicted"), "files": len(self.files)}


def match(expected: list[dict[str, Any]], thread: Thread) -> dict[int, int]:
    """Map expected comment positions to predicted positions, monotonically in document order."""
    texts = [normalise(c.text) for c in thread.comments]
    pairs: dict[int, int] = {}
    start = 0
    for e, comment in enumerate(expected):
        words = normalise(str(comment.get("first_words") or ""))
        for p in range(start, len(texts)):
            if (texts[p].startswith(words) if words else texts[p] == ""):
                pairs[e] = p
                start = p + 1
                break
    return pairs


def score_thread(name: str, expected: dict[str, Any], thread: Thread) -> FileScore:
    wanted = list(expected.get("comments") or [])
    pairs = match(wanted, thread)
    predicted_to_expected = {p: str(wanted[e].get("id")) for e, p in pairs.items()}
    position = {c.id: k for k, c in enumerate(thread.comments)}
    right = 0
    for e, p in pairs.items():
        allowed = {wanted[e].get("parent"), *(wanted[e].get("alt_parents") or [])}
        parent = thread.comments[p].parent_id
        mapped = None if parent is None else predicted_to_expected.get(position.get(parent, -1),
                                                                       "<unmatched>")
        right += mapped in allowed
    joined = [normalise(c.text) for c in thread.comments]
    leaked = [a for a in expected.get("artifacts") or []
              if normalise(a) and any(normalise(a) in text for text in joined)]
    present = expected.get("article_present")
    found = thread.article is not None and bool(thread.article.text.strip())
    return FileScore(name=name, expected=len(wanted), predicted=len(thread.comments),
                     matched=len(pairs), parents_right=right, leaked=leaked,
                     article_expected=present if isinstance(present, bool) else None,
                     article_found=found)


def _default_parser(path: Path) -> Thread:
    from stance.thread.parse import parse_path

    return next(iter(parse_path(path)))


def annotated_files(folder: str | Path) -> list[tuple[Path, Path]]:
    """(page, annotation) pairs in `folder`, sorted by name."""
    out = []
    for note in sorted(Path(folder).glob("*.expected.json")):
        page = note.with_name(note.name.replace(".expected.json", ".txt"))
        if page.is_file():
            out.append((page, note))
    return out


def score_folder(folder: str | Path, parser: Callable[[Path], Thread] | None = None,
                 only: Callable[[str], bool] | None = None) -> Summary:
    """Score every annotated page in `folder` (optionally a subset by file name)."""
    parse = parser or _default_parser
    scores = []
    for page, note in annotated_files(folder):
        if only is not None and not only(page.name):
            continue
        expected = json.loads(note.read_text(encoding="utf-8"))
        scores.append(score_thread(page.name, expected, parse(page)))
    return Summary(scores)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m stance.thread.score FOLDER", file=sys.stderr)
        return 2
    summary = score_folder(args[0])
    for f in summary.files:
        row = f.as_row()
        print(f"{row['file'][:40]:40} exp={row['expected']:3} pred={row['predicted']:3} "
              f"match={row['matched']:3} parents={row['parents_right']:3} "
              f"leaked={row['leaked']} article_ok={row['article_ok']}"
              + (f"  {f.leaked[:3]}" if f.leaked else ""))
    print(json.dumps(summary.to_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
