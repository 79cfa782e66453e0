"""Which news outlets (or media groups) a comment names: `find_outlets(text) -> ["cnn", "msm"]`.

A small, fast lexicon matcher used for `media_bias.targets` when the media-bias head fires.
Keys are normalised: a named outlet ("fox news", "nyt", "washington post", ...) or a generic
group ("msm" for mainstream/legacy media, "media", "press", "journalists", ...). Handles and
hashtags (@FoxNews, #CNN, nytimes) count. Longer names win over the words inside them, so
"mainstream media" gives "msm" and not also "media".
"""

from __future__ import annotations

import re
from functools import lru_cache

#: key -> case-insensitive patterns (regex fragments, matched on word boundaries).
OUTLETS: dict[str, tuple[str, ...]] = {
    "cnn": (r"cnn(?:brk|i|politics|news)?", r"clinton news network", r"communist news network"),
    "fox news": (r"fox\s*news(?:channel)?", r"faux\s*news", r"fnc", r"fox\s*(?:tv|network)"),
    "msnbc": (r"msnbc", r"msdnc"),
    "nyt": (r"new\s*york\s*times", r"ny\s*times", r"nytimes", r"nyt"),
    "washington post": (r"washington\s*post", r"washingtonpost", r"wapo", r"wash\s*post"),
    "bbc": (r"bbc(?:world|news|breaking|politics)?",),
    "nbc": (r"nbc(?:\s*news|news)?",),
    "cbs": (r"cbs(?:\s*news|news)?",),
    "abc": (r"abc\s*news", r"abcnews"),
    "npr": (r"npr",),
    "pbs": (r"pbs",),
    "ap": (r"associated\s*press",),
    "reuters": (r"reuters",),
    "rt": (r"russia\s*today", r"russia-today"),
    "sky news": (r"sky\s*news(?:break)?",),
    "wsj": (r"wall\s*street\s*journal", r"wsj"),
    "guardian": (r"the\s*guardian", r"grauniad"),
    "globe and mail": (r"globe\s*(?:and|&)\s*mail", r"g\s*&\s*m", r"grope\s*(?:and|&)\s*flail"),
    "cbc": (r"cbc",),
    "breitbart": (r"breitbart",),
    "infowars": (r"infowars",),
    "newsmax": (r"newsmax",),
    "oan": (r"oann?", r"one\s*america\s*news"),
    "the hill": (r"thehill",),
    "huffpost": (r"huff(?:ington)?\s*post", r"huffpo"),
    "buzzfeed": (r"buzz\s*feed(?:\s*news)?",),
    "vice": (r"vice\s*news", r"vicenews"),
    "politico": (r"politico",),
    "daily mail": (r"daily\s*mail",),
    "usa today": (r"usa\s*today",),
    "la times": (r"la\s*times", r"los\s*angeles\s*times", r"latimes"),
    "newsweek": (r"newsweek",),
    "axios": (r"axios",),
    "al jazeera": (r"al\s*jazeera",),
    "sinclair": (r"sinclair(?:\s*broadcast(?:ing)?(?:\s*group)?)?",),
    "msm": (r"msm", r"m\$m", r"main\s*-?\s*stream\s*(?:news\s*)?media", r"mainstream\s*news",
            r"mainstream\s*press", r"mainstreammedia", r"lame\s*stream\s*media",
            r"legacy\s*media", r"mockingbird\s*(?:msm|media)"),
    "corporate media": (r"corporate(?:-owned|\s*owned)?\s*media", r"corp\.?\s*media"),
    "liberal media": (r"(?:liberal|lib|leftist|left[-\s]*wing|left[-\s]*leaning|democrat)"
                      r"\s*media",),
    "conservative media": (r"(?:conservative|right[-\s]*wing|alt[-\s]*right|maga)\s*media",
                           r"conservative\s*talk\s*radio"),
    "fake news": (r"fake\s*news(?:\s*media)?", r"fakenews(?:media)?"),
    "media": (r"(?:(?:the|news|mass|western|american|global|major)\s*)?(?<!social\s)(?<!social-)"
              r"media(?:\s*outlets?|\s*networks?)?", r"news\s*outlets?", r"news\s*networks?"),
    "press": (r"the\s*press(?!\s*(?:conference|release|secretary|briefing|corps))",
              r"presstitutes?", r"press-tituates?"),
    "journalists": (r"journalists?", r"reporters?", r"journos?"),
    "pundits": (r"pundits?", r"talking\s*heads"),
}

#: key -> case-sensitive patterns: short names that are ordinary words in lower case.
OUTLETS_CASED: dict[str, tuple[str, ...]] = {
    "fox news": (r"Fox", r"FOX"),
    "abc": (r"ABC",),
    "nbc": (r"NBC",),
    "ap": (r"AP",),
    "rt": (r"RT",),
    "nyt": (r"NYT",),
    "guardian": (r"Guardian",),
}


def _compile(table: dict[str, tuple[str, ...]], flags: int) -> tuple[re.Pattern[str], list[str]]:
    alternatives = [(pattern, key) for key, patterns in table.items() for pattern in patterns]
    # Longest fragment first, so "mainstream media" wins over "media" at the same position.
    alternatives.sort(key=lambda item: -len(item[0]))
    keys = [key for _, key in alternatives]
    body = "|".join(f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(alternatives))
    return re.compile(rf"(?<![\w$])(?:{body})(?![\w])", flags), keys


@lru_cache(maxsize=1)
def _matchers() -> tuple[tuple[re.Pattern[str], list[str]], ...]:
    return (_compile(OUTLETS, re.IGNORECASE), _compile(OUTLETS_CASED, 0))


def _spans(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for pattern, keys in _matchers():
        for match in pattern.finditer(text):
            group = match.lastgroup or ""
            found.append((match.start(), match.end(), keys[int(group[1:])]))
    # Overlaps (e.g. "FOX" inside a case-insensitive "FOX News"): keep the longer match.
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    for span in found:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def find_outlets(text: str) -> list[str]:
    """Normalised outlet/media-group keys named in `text`, in order of first mention, unique."""
    seen: dict[str, None] = {}
    for _, _, key in _spans(text or ""):
        seen.setdefault(key, None)
    return list(seen)


def normalize_targets(written: str | None) -> set[str]:
    """Gold `media_target` ("msm; fox") as keys; a part the lexicon does not know stays as is.

    Gold strings are lower-cased, so a part is also tried in capitals ("fox" -> "FOX").
    """
    keys: set[str] = set()
    for part in (written or "").split(";"):
        part = part.strip().lower()
        if part:
            keys.update(find_outlets(part) or find_outlets(part.upper()) or [part])
    return keys


def outlet_scores(texts: list[str], gold: list[str | None]) -> dict[str, float]:
    """Micro precision/recall/F1 of `find_outlets` against gold `media_target` strings."""
    tp = fp = fn = 0
    for text, written in zip(texts, gold, strict=True):
        predicted = set(find_outlets(text))
        truth = normalize_targets(written)
        tp += len(predicted & truth)
        fp += len(predicted - truth)
        fn += len(truth - predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"outlets_precision": precision, "outlets_recall": recall, "outlets_f1": f1,
            "outlets_support": float(tp + fn)}
