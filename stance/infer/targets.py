"""The stance target of a thread as the model should read it.

A thread's target is usually a page title, and titles carry their outlet: "Coastal Times: Port
Alder approves ...", "... | Business Insider", "... - The Guardian". The outlet is not what the
commenters take a side on, and the model was trained on bare claims and headlines, so a title's
outlet prefix or suffix is dropped. A target the user gave (`--target`, the thread's `target`)
is used as given.
"""

from __future__ import annotations

import re

from stance.thread.model import Thread

#: "Outlet Name: headline" — one to four capitalised words (or an all-caps acronym) before a
#: colon, followed by a headline of at least three words; `_is_outlet` decides.
_PREFIX = re.compile(
    r"^(?:(?:The|the)\s+)?(?:[A-Z][\w&.'’-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w&.'’-]*|of|and|&)){0,3}"
    r"\s*[:|]\s+(?=(?:\S+\s+){2}\S)")
#: "headline | Outlet", "headline - Outlet", "headline — Outlet" at the end of a title.
_SUFFIX = re.compile(
    r"\s+[|\-–—]\s+(?:(?:The|the)\s+)?(?:[A-Z][\w&.'’-]*|[A-Z]{2,})"
    r"(?:\s+(?:[A-Z][\w&.'’-]*|of|and|&)){0,3}\s*$")
#: Words that start a headline-like prefix that is part of the claim, not an outlet.
_KEEP_PREFIX = {"breaking", "update", "watch", "live", "video", "exclusive", "analysis",
                "opinion", "editorial", "poll", "report", "fact check"}


def _is_outlet(name: str) -> bool:
    """A title prefix that names a publication: a known outlet, or a name of two or more
    words ("Coastal Times"); one plain word ("Brexit: ...") is the headline's topic."""
    from stance.model.outlets import find_outlets

    if name.lower() in _KEEP_PREFIX:
        return False
    return bool(find_outlets(name)) or len(name.split()) >= 2


def headline_target(title: str) -> str:
    """`title` without an outlet prefix ("Outlet: ...") or suffix ("... | Outlet")."""
    text = " ".join(title.split())
    match = _PREFIX.match(text)
    if match and _is_outlet(match.group(0).rstrip(":| ").strip()):
        text = text[match.end():]
    text = _SUFFIX.sub("", text) if len(text.split()) > 4 else text
    return text.strip() or " ".join(title.split())


def stance_target(thread: Thread, given: str | None = None) -> str:
    """What stance is measured toward: `given`, else `Thread.effective_target` with the
    article title's outlet dropped ("" when there is nothing to measure toward)."""
    if given:
        return given
    title = thread.article.title if thread.article is not None else None
    if not thread.target and title:
        return headline_target(title)
    return thread.effective_target
