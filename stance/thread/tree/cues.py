"""Reply cues inside a comment's own text, for flat pages that print no nesting.

Kept apart from `assemble` so each cue is a small, separately tested rule:

- a comment that opens by quoting a sentence of an earlier comment in quotation marks
  (“The contractor is only free in June.” Then find another one) answers that comment,
  unless the article holds the sentence too (then it quotes the article);
- a Fediverse handle ("@mira@fosstodon.example") is addressed by its local part ("@mira"), so
  that part is one more name of its owner.
"""

from __future__ import annotations

import re

from stance.thread.lines import clean

#: An opening quotation: straight or curly double quotes around at least a few words.
_OPENING_QUOTE = re.compile(r"^\s*[\"“„«](?P<q>[^\"“”„«»\n]{8,400})[\"”»]")
_FEDIVERSE = re.compile(r"^@(?P<local>[\w.\-]{1,40})@[\w\-]+(?:\.[\w\-]+)+$")
_FOLD = str.maketrans({"‘": "'", "’": "'", "–": "-", "—": "-"})

#: Shorter quotations ("“No.”", "“Fair enough”") are too common to point at one comment.
MIN_QUOTED_WORDS = 4


def fold(text: str) -> str:
    """Lowercase, single spaces, straight apostrophes: how quoted and original text compare."""
    return clean.normalise_space(text.translate(_FOLD)).lower()


def opening_quotation(text: str) -> str | None:
    """The folded text a comment opens by quoting, when it is long enough to identify a
    source; None otherwise."""
    match = _OPENING_QUOTE.match(text)
    if match is None:
        return None
    quoted = fold(match.group("q")).strip(" .,;:!?…")
    return quoted if clean.word_count(quoted) >= MIN_QUOTED_WORDS else None


def own_words(text: str) -> str:
    """The folded text a later quotation may point at: the comment without the quotation it
    opens with (two replies quoting the article's same sentence do not answer each other)."""
    match = _OPENING_QUOTE.match(text)
    return fold(text[match.end():] if match else text)


def quoted_source(quoted: str, earlier: list[tuple[int, str]], article: str = ""
                  ) -> int | None:
    """Index of the latest earlier comment (index, folded text) that holds the quotation,
    provided no other earlier comment holds it too (then the quote does not decide) and the
    article (folded) does not hold it: a quotation of the article answers the article, even
    when a comment repeated the sentence before."""
    if article and quoted in article:
        return None
    holders = [index for index, text in earlier if quoted in text]
    return holders[-1] if len(holders) == 1 else None


def local_names(handles: list[str]) -> list[str]:
    """The local parts of Fediverse handles ("@mira@fosstodon.example" -> "mira")."""
    out = []
    for handle in handles:
        match = _FEDIVERSE.match(handle.strip())
        if match:
            out.append(match.group("local"))
    return out
