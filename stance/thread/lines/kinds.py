"""The kinds a line of a plain-text scrape can have, and the classified `Line` itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stance.thread.lines.headers import Attribution

BLANK, TEXT, LABEL, COUNTER = "blank", "text", "label", "counter"
MARKER, CHROME = "marker", "chrome"
HEADER, QUOTE, AVATAR, LEVEL = "header", "quote", "avatar", "level"
#: Kinds that separate comments (blank lines between them are absorbed into the block).
SEPARATORS = frozenset({HEADER, LABEL, CHROME, AVATAR, LEVEL, MARKER})

_NUMBERED = re.compile(r"^(\s*)(\d{1,4})[.)]\s+(\S.*)$")
#: A bulleted list item: its glyph, then the text.
BULLETED = re.compile(r"^(\s*)([•◦▪‣·*])\s+(\S.*)$")


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    raw: str
    kind: str = TEXT
    attr: Attribution | None = None
    number: int | None = None  # "3." list item number
    level: int | None = None  # "level 2" depth marker
    #: The stripped line and its indentation (leading spaces), worked out once: every step of
    #: the pipeline asks for them, several times per line.
    text: str = field(init=False, repr=False, compare=False)
    indent: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", self.raw.strip())
        object.__setattr__(self, "indent", len(self.raw) - len(self.raw.lstrip(" ")))

    @property
    def item_text(self) -> str:
        """The text after a list number ("3. Bob says" -> "Bob says")."""
        match = _NUMBERED.match(self.raw)
        return match.group(3).strip() if match else self.text

    @property
    def item_raw(self) -> str:
        """The line with its list number or bullet blanked out, so the text keeps its column."""
        match = _NUMBERED.match(self.raw) or BULLETED.match(self.raw)
        return " " * match.start(3) + match.group(3) if match else self.raw
