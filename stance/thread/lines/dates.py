"""Dates and times as comment sections print them, and their conversion to ISO 8601.

`find_date` locates a date/time expression in a line, `is_date_line` says whether a line is
nothing but one (plus separators and permalink chrome), and `to_iso` turns what it can into
`YYYY-MM-DDTHH:MM:SS`. Relative times ("4m", "2 hours ago") are recognised but not converted.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

logger = logging.getLogger(__name__)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
WEEKDAY = (r"(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:rs(?:day)?)?|Fri(?:day)?|"
           r"Sat(?:urday)?|Sun(?:day)?)\.?,?")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_ZONE = (r"(?:\s*(?:[AaPp]\.?[Mm]\.?))?(?:\s*\(?(?:UTC|GMT|utc|gmt|[ECMP][SD]T|BST|CET|CEST|IST|"
         r"AEST|AEDT)\)?(?:[+-]\d{1,2}(?::?\d\d)?)?)?")
_CLOCK = r"(?:[01]?\d|2[0-3])[:.][0-5]\d(?:[:.][0-5]\d)?" + _ZONE
_AT = r"(?:\s*(?:,|at|@|-|–|\|)?\s*)"

_ABSOLUTE = [
    # Monday, January 28, 2008 at 9:15 AM / Jan 28 2008 14:33 utc / January 28th, 2008
    rf"(?:{WEEKDAY}\s*)?{MONTH}\s+{_DAY},?\s+{_YEAR}(?:{_AT}{_CLOCK})?",
    # 28 January 2008 10:15 / Tue 31 Jul 2012
    rf"(?:{WEEKDAY}\s*)?{_DAY}\s+{MONTH},?\s+{_YEAR}(?:{_AT}{_CLOCK})?",
    # 2019-02-26 09:15[:00] / 2019-02-26T09:15:00Z
    rf"{_YEAR}-[01]\d-[0-3]\d(?:[T\s]{_CLOCK}(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)?",
    # 2/26/2019 09:15:00 AM / 26.02.2019, 15:31 / 08.20.17 / 20.08.17, 15:31
    rf"[0-3]?\d(?P<sep>[./-])[0-3]?\d(?P=sep)(?:{_YEAR}|\d\d)(?:{_AT}{_CLOCK})?",
    # Mar 3 '19 at 14:02 (Stack Exchange)
    rf"{MONTH}\s+{_DAY}\s+'\d\d(?:{_AT}{_CLOCK})?",
    # 9:15 AM on January 28, 2008
    rf"{_CLOCK},?\s+(?:on\s+)?{MONTH}\s+{_DAY},?\s+{_YEAR}",
    # January 28, 2008 without a year but with a clock: Jan 28, 9:15 AM
    rf"{MONTH}\s+{_DAY}(?:{_AT}{_CLOCK})",
    # 12 Apr 14:03 / 28 January, 9:15
    rf"{_DAY}\s+{MONTH}(?:{_AT}{_CLOCK})",
]
#: "Mar 3" / "3 March": a date only when it is the whole line.
_MONTH_DAY = re.compile(rf"(?:{MONTH}\s+{_DAY}|{_DAY}\s+{MONTH}|{MONTH}\s+'?(?:{_YEAR}|\d\d))",
                        re.IGNORECASE)
_RELATIVE = (
    r"(?:(?:about|over|almost|edited)\s+)?(?:\d+|an?|one|few)\s*\+?\s*(?:s|sec|secs|seconds?|m|min|mins|"
    r"minutes?|h|hr|hrs|hours?|d|days?|w|wk|wks|weeks?|mo|mos|months?|y|yr|yrs|years?)\.?"
    r"(?:\s+ago)?"
)
_RELATIVE_WORD = r"(?:just now|yesterday|today|moments? ago)"

ABSOLUTE_RE = re.compile("|".join(f"(?:{p})" for p in _ABSOLUTE), re.IGNORECASE)
RELATIVE_RE = re.compile(rf"(?<![\w.])(?:{_RELATIVE}|{_RELATIVE_WORD})(?![\w])", re.IGNORECASE)
_RELATIVE_FULL = re.compile(rf"(?:{_RELATIVE}|{_RELATIVE_WORD})", re.IGNORECASE)
#: Bare "4m" or "18h" style stamps are only dates when they are the whole line.
_SHORT_RELATIVE = re.compile(r"\d{1,3}\s?(?:s|m|min|h|hr|d|w|mo|y|yr)", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_MAYBE_DATE = re.compile(r"\d|\bago\b|just now|yesterday|today", re.IGNORECASE)
_CLOCK_ONLY = re.compile(rf"{_CLOCK}", re.IGNORECASE)
_COLON_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\s*(?:([AaPp])\.?[Mm]\.?)?")

#: Separators and permalink chrome allowed around a date on a date line.
_DATE_LINE_NOISE = re.compile(
    r"(?:posted|published|updated|edited|asked|answered|commented|date|sent|on|at|@|\||·|•|#\d*|permalink|link|reply|report|"
    r"\(edited\)|\(utc\)|utc|"
    r"[()\[\]\-–—,:;.]|\s)+",
    re.IGNORECASE,
)


def find_date(line: str) -> tuple[int, int] | None:
    """Span of the first absolute date (or clock-bearing date) in `line`, else of a relative one."""
    if not _MAYBE_DATE.search(line):
        return None
    match = ABSOLUTE_RE.search(line)
    if match is not None:
        return match.span()
    match = RELATIVE_RE.search(line)
    if match is not None and (" ago" in match.group(0).lower() or
                              any(w in match.group(0).lower() for w in ("just now", "yesterday"))):
        return match.span()
    return None


def is_relative(text: str) -> bool:
    text = text.strip(" ·•|()[]").strip()
    return bool(_RELATIVE_FULL.fullmatch(text) or _SHORT_RELATIVE.fullmatch(text))


def is_date_line(line: str) -> bool:
    """True when `line` holds one date or time and nothing else but separators."""
    text = line.strip()
    if not text or len(text) > 80:
        return False
    # every absolute date, clock and "Mar 3" holds a digit: most lines skip those patterns
    digit = _DIGIT.search(text) is not None
    if is_relative(text) or (digit and _MONTH_DAY.fullmatch(text.strip(" ·•|()[]"))):
        return True
    match = (ABSOLUTE_RE.search(text) or _CLOCK_ONLY.search(text)) if digit else None
    if match is None:
        rel = RELATIVE_RE.search(text)
        if rel is None or not _DATE_LINE_NOISE.fullmatch(text[:rel.start()] + " " +
                                                         text[rel.end():]):
            return False
        return True
    rest = text[:match.start()] + " " + text[match.end():]
    return bool(_DATE_LINE_NOISE.fullmatch(rest) or not rest.strip())


def _clock(text: str) -> tuple[int, int, int]:
    match = _COLON_CLOCK.search(text)
    if match is None:
        return 0, 0, 0
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    ampm = (match.group(4) or "").lower()
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    return hour, minute, second


def _year(value: str) -> int:
    year = int(value)
    return year + (2000 if year < 70 else 1900) if year < 100 else year


def _ymd(text: str) -> tuple[int, int, int] | None:
    iso = re.search(r"((?:19|20)\d\d)-([01]\d)-([0-3]\d)", text)
    if iso:
        return int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
    named = re.search(rf"({MONTH})\s+({_DAY}),?\s+({_YEAR})", text, re.IGNORECASE)
    if named:
        return (int(named.group(3)), _MONTHS[named.group(1).lower()[:3]],
                int(re.sub(r"\D", "", named.group(2))))
    named = re.search(rf"({_DAY})\s+({MONTH}),?\s+({_YEAR})", text, re.IGNORECASE)
    if named:
        return (int(named.group(3)), _MONTHS[named.group(2).lower()[:3]],
                int(re.sub(r"\D", "", named.group(1))))
    numeric = re.search(r"([0-3]?\d)([./-])([0-3]?\d)\2(\d{4}|\d\d)", text)
    if numeric:
        first, second, year = int(numeric.group(1)), int(numeric.group(3)), numeric.group(4)
        # Slashes and dashes are US month/day; dots are day.month unless that is impossible.
        if numeric.group(2) in "/-" or second > 12:
            month, day = first, second
        else:
            day, month = first, second
        if month > 12:
            month, day = day, month
        return _year(year), month, day
    return None


def to_iso(text: str | None) -> str | None:
    """ISO 8601 for an absolute date (with its clock when given); None when it is not one."""
    if not text:
        return None
    match = ABSOLUTE_RE.search(text)
    if match is None:
        return None
    found = match.group(0)
    ymd = _ymd(found)
    if ymd is None:
        return None
    has_clock = _COLON_CLOCK.search(found) is not None
    try:
        stamp = datetime(*ymd, *(_clock(found) if has_clock else (0, 0, 0)))
    except ValueError:
        return None
    return stamp.isoformat() if has_clock else stamp.date().isoformat()


def normalise_timestamp(text: str | None) -> str | None:
    """ISO when the stamp is absolute, the stamp as printed when it is relative, else None."""
    if not text:
        return None
    text = text.strip(" \t·•|,;()[]")
    return to_iso(text) or (text or None)
