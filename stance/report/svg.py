"""Inline SVG charts for the HTML report: no scripts, no fonts, no network.

Each function takes report objects and returns one `<svg>` string. Every piece of text is
escaped. Colours come from PALETTE so a label looks the same in every chart and chip.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from stance.report.records import AGREEMENT, STANCE
from stance.report.schema import DepthRow, Distribution, FlowRow, Timeline

PALETTE: dict[str, dict[str, str]] = {
    "stance": {"favor": "#2e7d32", "against": "#c62828", "query": "#e09b00", "none": "#9aa0a6"},
    "agreement": {"agree": "#00897b", "neutral": "#b8c2cc", "disagree": "#d84315"},
    "sentiment": {"positive": "#1e88e5", "neutral": "#b8c2cc", "negative": "#8e24aa"},
    "media_bias": {"true": "#8d6e63", "false": "#e4e4e0"},
    "conspiracy": {"true": "#5e35b1", "false": "#e4e4e0"},
}
BINARY_NAMES = {"true": "claim", "false": "no claim"}
INK, MUTED, GRID = "#1f2328", "#6b7280", "#e5e7eb"


def label_name(label: str) -> str:
    return BINARY_NAMES.get(label, label)


def pct(value: float) -> str:
    return f"{value * 100:.0f}%" if value >= 0.01 or value == 0 else f"{value * 100:.1f}%"


def ci_text(low: float, high: float) -> str:
    """An interval as "21–39%", with a decimal when it is too narrow to show otherwise."""
    if high - low < 0.02:
        return f"{low * 100:.1f}–{high * 100:.1f}%"
    return f"{low * 100:.0f}–{high * 100:.0f}%"


def _svg(width: float, height: float, body: Sequence[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" '
            f'aria-label="{escape(label)}">' + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, size: int = 11, anchor: str = "start",
          fill: str = INK, weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}" font-weight="{weight}">{escape(text)}</text>')


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "",
          extra: str = "") -> str:
    title = f"<title>{escape(tip)}</title>" if tip else ""
    return (f'<rect x="{x:.2f}" y="{y:.2f}" width="{max(w, 0):.2f}" height="{max(h, 0):.2f}" '
            f'fill="{fill}"{extra}>{title}</rect>')


def _whisker(x1: float, x2: float, y: float, color: str = INK, dash: str = "") -> str:
    style = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<path d="M{x1:.1f} {y - 3:.1f}V{y + 3:.1f}M{x1:.1f} {y:.1f}H{x2:.1f}'
            f'M{x2:.1f} {y - 3:.1f}V{y + 3:.1f}" stroke="{color}" stroke-width="1.2" '
            f'fill="none"{style}/>')


def strip(dist: Distribution, width: float = 120, height: float = 10) -> str:
    """A small 100% stacked bar (for tables and headers)."""
    colors = PALETTE.get(dist.head, {})
    body, x = [], 0.0
    for share in dist.shares:
        w = share.share * width
        tip = f"{label_name(share.label)}: {pct(share.share)} ({share.count})"
        body.append(_rect(x, 0, w, height, colors.get(share.label, MUTED), tip))
        x += w
    if dist.total == 0:
        body.append(_rect(0, 0, width, height, GRID, "no labels"))
    return _svg(width, height, body, f"{dist.head} shares")


def share_panel(dist: Distribution, width: float = 340) -> str:
    """A composition strip, then one bar per label with its 95% interval as a whisker
    (dashed: the thread-bootstrap interval, when there is one)."""
    colors = PALETTE.get(dist.head, {})
    left, right = 74.0, width - 104.0
    span = right - left
    body = [_rect(left, 2, span, 9, GRID)]
    x = left
    for share in dist.shares:
        body.append(_rect(x, 2, share.share * span, 9, colors.get(share.label, MUTED),
                          f"{label_name(share.label)}: {pct(share.share)}"))
        x += share.share * span
    y = 24.0
    for share in dist.shares:
        color = colors.get(share.label, MUTED)
        body.append(_text(left - 8, y + 10, label_name(share.label), anchor="end"))
        body.append(_rect(left, y + 1, span, 12, "#f3f4f6"))
        body.append(_rect(left, y + 1, share.share * span, 12, color,
                          f"{share.count} of {dist.total}"))
        body.append(_whisker(left + share.low * span, left + share.high * span, y + 7))
        if share.cluster_low is not None and share.cluster_high is not None:
            body.append(_whisker(left + share.cluster_low * span,
                                 left + share.cluster_high * span, y + 15, MUTED, "2 2"))
        body.append(_text(right + 6, y + 10, pct(share.share), weight="600"))
        body.append(_text(right + 42, y + 10, ci_text(share.low, share.high), 10,
                          fill=MUTED))
        y += 22
    return _svg(width, y + 4, body, f"{dist.head}: shares with 95% intervals")


def depth_columns(rows: Sequence[DepthRow], height: float = 190) -> str:
    """Stance mix at each reply depth: one 100% column per depth, comment count on top."""
    col, gap, top, bottom = 46.0, 18.0, 22.0, 34.0
    width = 40 + len(rows) * (col + gap)
    plot = height - top - bottom
    body = [_text(8, top + 4, "100%", 9, fill=MUTED), _text(8, top + plot, "0%", 9, fill=MUTED)]
    for i, row in enumerate(rows):
        x = 40 + i * (col + gap)
        y = top + plot
        dist = row.stance
        if dist.total == 0:
            body.append(_rect(x, top, col, plot, "#f3f4f6", "no comments"))
        for share in dist.shares:
            h = share.share * plot
            y -= h
            body.append(_rect(x, y, col, h, PALETTE["stance"][share.label],
                              f"depth {row.depth}: {share.label} {pct(share.share)} "
                              f"({share.count} of {dist.total})"))
        body.append(_text(x + col / 2, top - 7, f"n={dist.total:,}", 10, "middle", MUTED))
        body.append(_text(x + col / 2, top + plot + 15, row.depth, 11, "middle"))
    body.append(_text(40 + (width - 40) / 2 - gap / 2, height - 4, "reply depth", 10,
                      "middle", MUTED))
    return _svg(width, height, body, "stance by reply depth")


def flow_sankey(flows: Sequence[FlowRow], width: float = 560, height: float = 230) -> str:
    """Parent stance (left) -> how direct replies answer it (right); ribbon width = replies."""
    matrix = [[s.count for s in f.agreement.shares] for f in flows]
    total = sum(map(sum, matrix))
    if total == 0:
        return _svg(width, 40, [_text(0, 20, "No replies with agreement labels.", 12,
                                      fill=MUTED)], "no agreement flows")
    gap, node_w, x_left, x_right = 10.0, 12.0, 120.0, width - 132.0
    height = min(height, 40.0 + 16.0 * total)  # a handful of replies gets a small chart
    scale = (height - gap * 3) / total
    left_y, y = [], 0.0
    for row in matrix:
        left_y.append(y)
        y += sum(row) * scale + (gap if sum(row) else 0)
    cols = [sum(row[j] for row in matrix) for j in range(len(AGREEMENT))]
    right_y, y = [], 0.0
    for c in cols:
        right_y.append(y)
        y += c * scale + (gap if c else 0)
    body: list[str] = []
    right_fill = list(right_y)
    for i, row in enumerate(matrix):
        ly = left_y[i]
        for j, count in enumerate(row):
            if not count:
                continue
            h = count * scale
            ry = right_fill[j]
            mid = (x_left + node_w + x_right) / 2
            path = (f"M{x_left + node_w:.1f} {ly:.1f}C{mid:.1f} {ly:.1f} {mid:.1f} {ry:.1f} "
                    f"{x_right:.1f} {ry:.1f}V{ry + h:.1f}C{mid:.1f} {ry + h:.1f} {mid:.1f} "
                    f"{ly + h:.1f} {x_left + node_w:.1f} {ly + h:.1f}Z")
            tip = (f"{count} repl{'y' if count == 1 else 'ies'} to {STANCE[i]} comments "
                   f"{AGREEMENT[j]}")
            body.append(f'<path d="{path}" fill="{PALETTE["stance"][STANCE[i]]}" '
                        f'fill-opacity="0.32"><title>{escape(tip)}</title></path>')
            ly += h
            right_fill[j] += h
    for i, row in enumerate(matrix):
        if sum(row):
            h = sum(row) * scale
            body.append(_rect(x_left, left_y[i], node_w, h, PALETTE["stance"][STANCE[i]]))
            body.append(_text(x_left - 8, left_y[i] + h / 2 + 4,
                              f"{STANCE[i]} ({sum(row)})", 11, "end"))
    for j, c in enumerate(cols):
        if c:
            h = c * scale
            body.append(_rect(x_right, right_y[j], node_w, h,
                              PALETTE["agreement"][AGREEMENT[j]]))
            body.append(_text(x_right + node_w + 8, right_y[j] + h / 2 + 4,
                              f"{AGREEMENT[j]} ({c})", 11))
    return _svg(width, height, body, "agreement flows from parent stance to reply agreement")


def ranked_bars(items: Sequence[tuple[str, int, str]], color: str = "#8d6e63",
                width: float = 560) -> str:
    """Horizontal bars, largest first: (label, value, note shown after the value)."""
    label_w, row_h = 150.0, 22.0
    top = max((v for _, v, _ in items), default=0) or 1
    span = width - label_w - 150
    body = []
    for i, (label, value, note) in enumerate(items):
        y = i * row_h
        shown = label if len(label) <= 24 else label[:23] + "…"
        body.append(_text(label_w - 8, y + 14, shown, 11, "end"))
        body.append(_rect(label_w, y + 4, value / top * span, 13, color, f"{label}: {value}"))
        body.append(_text(label_w + value / top * span + 6, y + 14, f"{value} {note}", 10,
                          fill=MUTED))
    return _svg(width, max(len(items), 1) * row_h + 4, body, "outlets ranked")


def timeline_chart(timeline: Timeline, head: str = "sentiment", width: float = 960,
                   height: float = 200) -> str:
    """Comments per time bucket, stacked by `head` labels (sentiment or stance)."""
    buckets = timeline.buckets
    colors = PALETTE[head]
    left, top, bottom = 34.0, 10.0, 34.0
    plot_w, plot_h = width - left - 6, height - top - bottom
    peak = max((b.comments for b in buckets), default=0) or 1
    step = plot_w / max(len(buckets), 1)
    bar = max(step * 0.8, 1.0)
    body = [f'<path d="M{left} {top + plot_h:.1f}H{width - 6:.1f}" stroke="{GRID}"/>',
            _text(left - 4, top + 8, str(peak), 9, "end", MUTED),
            _text(left - 4, top + plot_h, "0", 9, "end", MUTED)]
    every = max(1, len(buckets) // 8)
    for i, bucket in enumerate(buckets):
        x, y = left + i * step, top + plot_h
        counts = bucket.sentiment if head == "sentiment" else bucket.stance
        for label, count in counts.items():
            h = count / peak * plot_h
            y -= h
            body.append(_rect(x, y, bar, h, colors[label],
                              f"{bucket.start}: {count} {label} of {bucket.comments}"))
        if i % every == 0:
            tick = bucket.start[5:].replace("T", " ") if timeline.granularity == "hour" \
                else bucket.start
            body.append(_text(x + bar / 2, top + plot_h + 14, tick, 9, "middle", MUTED))
    body.append(_text(left + plot_w / 2, height - 4, f"comments per {timeline.granularity}", 10,
                      "middle", MUTED))
    return _svg(width, height, body, f"{head} over time")
