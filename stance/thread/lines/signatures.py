"""Signatures at the end of a comment: what the commenter's client or profile adds, not what
they wrote.

Three shapes are recognised, all only where a comment ends (a blank line, structure or the
end of the page follows):

- a delimiter line ("--", "-- ", "_________________") followed by one to three short lines
  (mail and forum signatures);
- a valediction and a name ("Cheers," / "Sally");
- a name directly above a client line ("Pete" / "Sent from my iPhone"; the client line itself
  is chrome everywhere, see `stance.thread.lines.clean`).

The lines found are re-classified as chrome, which the layout skips and the text drops.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from stance.thread.lines import clean, headers
from stance.thread.lines.kinds import BLANK, CHROME, TEXT, Line

logger = logging.getLogger(__name__)

_DELIMITER = re.compile(r"^(?:--\s?|—|_{3,}|-{3,}|={3,})$")
_VALEDICTION = re.compile(
    r"^(?:cheers|regards|best|best wishes|best regards|kind regards|warm regards|warmly|thanks|"
    r"many thanks|thank you|thanks again|sincerely|yours|yours truly|all the best|take care|"
    r"love|ta)\s*[,.!]?$", re.IGNORECASE)
_CLIENT = re.compile(r"^(?:sent from my \w+(?: \w+)?|get outlook for \w+)$", re.IGNORECASE)
_MAX_SIGNATURE_LINES = 3


def _ends_comment(lines: list[Line], j: int) -> bool:
    """Nothing of the comment's own text follows line j-1 (blank, structure or the end)."""
    return j >= len(lines) or lines[j].kind != TEXT


def _short(line: Line) -> bool:
    return line.kind == TEXT and len(line.text) <= 80


def _name_line(line: Line) -> bool:
    return _short(line) and len(line.text) <= 40 and headers.name_ok(line.text, max_words=3)


def _as_chrome(out: list[Line], start: int, end: int) -> None:
    for k in range(start, end):
        if out[k].kind != BLANK:
            out[k] = replace(out[k], kind=CHROME, attr=None)


def mark_signatures(lines: list[Line]) -> list[Line]:
    """The lines with every signature re-classified as chrome."""
    out = list(lines)
    for i, line in enumerate(lines):
        text = line.text
        if not text or i == 0:
            continue
        if _DELIMITER.match(text) and lines[i - 1].kind == TEXT:
            j = i + 1
            while j < len(lines) and j - i <= _MAX_SIGNATURE_LINES and _short(lines[j]):
                j += 1
            if j > i + 1 and _ends_comment(lines, j):
                _as_chrome(out, i, j)
        elif (_VALEDICTION.match(text) and i + 1 < len(lines) and _name_line(lines[i + 1])
              and _ends_comment(lines, i + 2)):
            _as_chrome(out, i, i + 2)
        elif (_name_line(line) and i + 1 < len(lines) and _CLIENT.match(lines[i + 1].text)
              and clean.is_chrome(lines[i + 1].text)):
            _as_chrome(out, i, i + 2)
    return out
