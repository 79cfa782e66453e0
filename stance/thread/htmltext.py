"""HTML to text without recursion: block elements become line breaks, scripts are dropped.

The walk keeps its own stack, so a page with tens of thousands of nested tags converts in
linear time and never reaches Python's recursion limit. The HTML parser is lexbor (through
selectolax), which handles deep nesting itself.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

logger = logging.getLogger(__name__)

BLOCK_TAGS = frozenset("""
address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure
footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot
th thead tr ul html center
""".split())
SKIP_TAGS = frozenset("""
script style noscript template svg canvas iframe object embed head select option button input
textarea meta link
""".split())


#: Deeper element nesting than this is flattened before parsing (real pages stay far below).
MAX_DEPTH = 1000
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*>")
_NO_DEPTH = frozenset("""
area base br col embed hr img input link meta param source track wbr p li dt dd tr td th option
optgroup rp rt tbody thead tfoot colgroup caption
""".split())


def _may_be_deep(text: str, limit: int) -> bool:
    """Cheap check (string counts per chunk) whether open tags could outrun closing ones."""
    running = 0
    for start in range(0, len(text), 32768):
        chunk = text[start:start + 32768]
        running += chunk.count("<") - 2 * chunk.count("</") - chunk.count("<!")
        if running > limit:
            return True
    return False


def limit_depth(text: str, limit: int = MAX_DEPTH) -> tuple[str, int]:
    """Drop the tags that nest deeper than `limit` (their text stays); (html, deepest seen).

    HTML parsers slow down quadratically on tens of thousands of nested block elements; no
    real page nests a thousand deep, so flattening the excess loses nothing readable.
    """
    if not _may_be_deep(text, limit):
        return text, 0
    out: list[str] = []
    last = depth = deepest = 0
    for match in _TAG.finditer(text):
        name = match.group(2).lower()
        if name in _NO_DEPTH or match.group(0).endswith("/>"):
            continue
        closing = bool(match.group(1))
        too_deep = depth > limit if closing else depth + 1 > limit
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
        if too_deep:
            out.append(text[last:match.start()])
            last = match.end()
    if deepest <= limit:
        return text, deepest
    out.append(text[last:])
    return "".join(out), deepest


def parse_html(text: str) -> LexborHTMLParser:
    """Parse HTML with lexbor (deep nesting must already be limited, see `prepare_html`)."""
    return LexborHTMLParser(text)


def prepare_html(text: str) -> tuple[str, list[str]]:
    """The page with pathological nesting flattened, and a warning when that happened."""
    flat, deepest = limit_depth(text)
    if flat is text:
        return text, []
    return flat, [f"the HTML nests {deepest} elements deep; nesting beyond {MAX_DEPTH} levels "
                  "was flattened"]


def node_text(node: LexborNode | None, *, skip: frozenset[str] = SKIP_TAGS,
              skip_classes: re.Pattern[str] | None = None,
              skip_ids: frozenset[int] | set[int] = frozenset()) -> str:
    """Readable text of `node`: one line per block element, inline text joined.

    Elements whose class matches `skip_classes`, or whose `mem_id` is in `skip_ids`, are left
    out with everything inside them (the node itself is always read).
    """
    if node is None:
        return ""
    out: list[str] = []
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, closing = stack.pop()
        tag = current.tag
        if closing:
            if tag in BLOCK_TAGS:
                out.append("\n")
            continue
        if tag == "-text":
            out.append(current.text_content or "")
            continue
        if tag in skip or tag == "_comment" or tag == "-comment":
            continue
        if current is not node:
            if skip_ids and current.mem_id in skip_ids:
                continue
            if skip_classes is not None:
                classes = current.attributes.get("class") or ""
                if classes and skip_classes.search(classes):
                    continue
        if tag == "br":
            out.append("\n")
            continue
        if tag in BLOCK_TAGS:
            out.append("\n")
        stack.append((current, True))
        children = []
        child = current.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    return tidy("".join(out))


def tidy(text: str) -> str:
    """Collapse spaces inside lines and runs of blank lines; trim."""
    text = html_lib.unescape(text) if "&" in text else text
    lines = [re.sub(r"[ \t\u00a0\u200b]+", " ", ln).strip() for ln in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip()


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a Disqus message, an Atom entry's content)."""
    if "<" not in fragment:
        return tidy(html_lib.unescape(fragment))
    tree = parse_html(f"<div>{fragment}</div>")
    return node_text(tree.css_first("div"))


def classes_of(node: LexborNode) -> set[str]:
    return set((node.attributes.get("class") or "").split())


def first_text(node: LexborNode | LexborHTMLParser, selectors: tuple[str, ...]) -> str | None:
    """Text of the first element matching any selector (in order), or None."""
    for selector in selectors:
        found = node.css_first(selector)
        if found is not None:
            text = tidy(found.text(separator=" ") or "")
            if text:
                return text
    return None
