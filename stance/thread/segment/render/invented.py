"""Header and footer shapes invented per page, so the model cannot lean on a known template.

A real site nobody has seen prints "Ann Lee on", "Ann Lee / Leeds, Kent", "— annlee" or
"(Ann Lee, 3 May 2015 13:08)": shapes no rule knows, that the line classifier leaves as text.
What tells them apart from the comments' own lines is that every comment on the page prints
the same one. `draw` makes up such a template (slots for the name, date, place and number,
joined by a connector drawn from separators, a few generic words, or a made-up word), and
`fill` prints it for one comment.
"""

from __future__ import annotations

import random

from stance.thread.segment.render import parts

_SEPARATORS = ("|", "/", "—", "–", "-", "·", ",", ":", "~", "•")
_WORDS = ("on", "from", "at", "writes", "replied", "posted", "in", "via", "by", "wrote")
_LEADS = ("—", "–", "-", "~", "--", "by", "from", "")
_SHAPES = ("name conn", "name sep place", "lead name", "name sep date", "date sep name",
           "(name, date)", "name conn date", "#num name", "name (place)", "name sep place sep date",
           "lead name, place", "name", "name conn conn", "date")


def _connector(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(_WORDS)
    if roll < 0.75:
        return rng.choice(_SEPARATORS)
    return parts.word(rng).lower()


def draw(rng: random.Random) -> tuple[str, ...]:
    """A page's template: slot tokens ("name", "date", "place", "num") and literal text."""
    shape = rng.choice(_SHAPES)
    sep = rng.choice(_SEPARATORS)
    out: list[str] = []
    for token in shape.replace("(", "( ").replace(")", " )").replace(",", " ,").split():
        if token == "conn":
            out.append(_connector(rng))
        elif token == "sep":
            out.append(sep)
        elif token == "lead":
            out.append(rng.choice(_LEADS))
        elif token == "#num":
            out += ["#", "num"]
        else:
            out.append(token)
    return tuple(t for t in out if t)


def fill(template: tuple[str, ...], meta: parts.Meta, rng: random.Random) -> str:
    """The template printed for one comment."""
    values = {"name": meta.name, "date": meta.date, "place": parts.place(rng),
              "num": str(meta.number)}
    text = " ".join(values.get(t, t) for t in template)
    for glue in (" ,", "( ", " )", "# "):
        text = text.replace(glue, glue.strip())
    return text
