"""HTML pieces that show comments: label chips, quote cards and the expandable reply tree.

Comment text is untrusted input: everything passes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from stance.report.schema import CommentView, Quote

#: Deeper replies are not indented further (they say whom they answer instead).
MAX_INDENT = 10
TREE_TEXT = 700


def chips(c: CommentView) -> str:
    out = []
    if c.stance:
        score = f" {c.stance_score:.2f}" if c.stance_score is not None else ""
        out.append(f'<span class="chip st-{escape(c.stance)}" title="stance toward the target">'
                   f"{escape(c.stance)}{score}</span>")
    if c.agreement:
        out.append(f'<span class="chip ag-{escape(c.agreement)}" title="agreement with the '
                   f'parent comment">&#8617; {escape(c.agreement)}</span>')
    if c.sentiment:
        out.append(f'<span class="chip se-{escape(c.sentiment)}" title="sentiment">'
                   f"{escape(c.sentiment)}</span>")
    if c.media_bias:
        named = f": {', '.join(c.outlets)}" if c.outlets else ""
        out.append(f'<span class="chip mb" title="claims media bias">media bias'
                   f"{escape(named)}</span>")
    if c.conspiracy:
        out.append('<span class="chip cp" title="claims a secret plot">conspiracy</span>')
    if c.disagreeing_replies:
        out.append(f'<span class="chip contested" title="direct replies that disagree">'
                   f"{c.disagreeing_replies}/{c.replies} replies disagree</span>")
    return "".join(out)


def _meta(c: CommentView, with_thread: bool) -> str:
    bits = [f'<span class="cid">{escape(c.comment_id)}</span>']
    if with_thread:
        bits.insert(0, f'<span class="tid">{escape(c.thread_id)}</span>')
    if c.author:
        bits.append(f'<span class="author">{escape(c.author)}</span>')
    if c.time:
        bits.append(f"<time>{escape(c.time)}</time>")
    if c.depth is not None and c.depth > 0:
        bits.append(f"depth {c.depth}")
    if c.indent > MAX_INDENT and c.parent_id:
        bits.append(f"&#8627; reply to {escape(c.parent_id)}")
    return '<span class="meta">' + " · ".join(bits) + "</span>"


def _text(text: str, limit: int) -> str:
    shown = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return f'<div class="text">{escape(shown) if shown.strip() else "<em>(no text)</em>"}</div>'


def comment_html(c: CommentView, *, with_thread: bool = False, limit: int = TREE_TEXT) -> str:
    return (f'<div class="comment">{_meta(c, with_thread)}<span class="chips">{chips(c)}'
            f"</span>{_text(c.text, limit)}</div>")


def quote_cards(title: str, quotes: Sequence[Quote], note: str) -> str:
    if not quotes:
        return (f'<div class="quotes"><h4>{escape(title)}</h4>'
                f'<p class="muted">{escape(note)}</p></div>')
    cards = "".join(f'<blockquote><div class="why">{escape(q.why)}</div>'
                    f"{comment_html(q.comment, with_thread=True, limit=500)}</blockquote>"
                    for q in quotes)
    return f'<div class="quotes"><h4>{escape(title)}</h4>{cards}</div>'


def reply_tree(nodes: Sequence[CommentView], omitted: int) -> str:
    """Nested `<details>` in reading order, built with an explicit stack (no recursion).

    `nodes` come depth-first with `indent` = depth below their tree's start; a node opens a
    `<details>` when the next node is its child, and closes when the walk climbs back up.
    """
    out: list[str] = ['<div class="tree">']
    open_levels: list[int] = []
    for i, node in enumerate(nodes):
        level = min(node.indent, MAX_INDENT)
        while open_levels and open_levels[-1] >= level:
            out.append("</div></details>")
            open_levels.pop()
        nxt = nodes[i + 1] if i + 1 < len(nodes) else None
        has_kids = nxt is not None and min(nxt.indent, MAX_INDENT) > level
        if has_kids:
            out.append(f'<details open class="node"><summary>{comment_html(node)}</summary>'
                       '<div class="kids">')
            open_levels.append(level)
        else:
            out.append(f'<div class="leaf">{comment_html(node)}</div>')
    out.extend("</div></details>" for _ in open_levels)
    if omitted:
        out.append(f'<p class="muted">{omitted} more comment(s) not shown; the label records '
                   "hold them all.</p>")
    out.append("</div>")
    return "".join(out)
