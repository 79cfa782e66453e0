"""Readers for every input format; importing this package registers them with `parse`.

Sniffers run in import order, most specific first: exports (Disqus XML, Blogger Atom, Reddit
JSON), then HTML, then Blogger plain text; anything else is read as plain text.
"""

from __future__ import annotations

from stance.thread.formats import exports, html, text  # noqa: F401  (registration, in order)

__all__ = ["exports", "html", "text"]
