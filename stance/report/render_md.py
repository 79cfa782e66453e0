"""Markdown: the report's numbers as tables, for pasting into an article draft or a ticket."""

from __future__ import annotations

import re
from collections.abc import Sequence

from stance.report.html_parts import MAX_INDENT
from stance.report.schema import CommentView, Distribution, Quote, Report, Summary, ThreadReport
from stance.report.svg import ci_text, label_name, pct

MD_TREE = 60  # comments per thread in the Markdown reply tree
MD_TIME_ROWS = 60
_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md_text(text: str, limit: int = 400) -> str:
    """Comment text made inert: one line, HTML and Markdown syntax escaped."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", flat) or "_(no text)_"


def _ci(low: float, high: float) -> str:
    return ci_text(low, high)


def _dist_table(dist: Distribution) -> list[str]:
    cluster = any(s.cluster_low is not None for s in dist.shares)
    head = "| label | count | share | 95% interval |" + (" thread bootstrap |" if cluster else "")
    rows = [head, "|---|---:|---:|---:|" + ("---:|" if cluster else "")]
    for s in dist.shares:
        extra = ""
        if cluster and s.cluster_low is not None and s.cluster_high is not None:
            extra = f" {_ci(s.cluster_low, s.cluster_high)} |"
        rows.append(f"| {label_name(s.label)} | {s.count:,} | {pct(s.share)} | "
                    f"{_ci(s.low, s.high)} |{extra}")
    return rows


def _labels(summary: Summary, level: str) -> list[str]:
    out = [f"{level} Labels", ""]
    for head, dist in summary.labels.items():
        missing = f", {dist.missing:,} without a label" if dist.missing else ""
        out += [f"**{head.replace('_', ' ')}** (n={dist.total:,}{missing})", "",
                *_dist_table(dist), ""]
    return out


def _depth(summary: Summary, level: str) -> list[str]:
    out = [f"{level} Stance by reply depth", "",
           "| depth | comments | favor | against | query | none |",
           "|---|---:|---:|---:|---:|---:|"]
    for row in summary.depth:
        cells = " | ".join(pct(s.share) for s in row.stance.shares)
        out.append(f"| {row.depth} | {row.stance.total:,} | {cells} |")
    return [*out, ""]


def _flows(summary: Summary, level: str) -> list[str]:
    out = [f"{level} Agreement flows", "", "How direct replies answer comments of each stance.",
           "", "| parent stance | replies | agree | neutral | disagree |",
           "|---|---:|---:|---:|---:|"]
    for flow in summary.flows:
        d = flow.agreement
        cells = " | ".join(f"{pct(s.share)} ({s.count})" for s in d.shares)
        out.append(f"| {flow.parent_stance} | {d.total:,} | {cells} |")
    return [*out, ""]


def _claims(summary: Summary, level: str) -> list[str]:
    plot = summary.labels["conspiracy"].get("true")
    bias = summary.labels["media_bias"].get("true")
    out = [f"{level} Media-bias and conspiracy claims", "",
           f"Media-bias claims: {bias.count:,} ({pct(bias.share)}, 95% {_ci(bias.low, bias.high)})."
           f" Conspiracy claims: {plot.count:,} ({pct(plot.share)}, 95% "
           f"{_ci(plot.low, plot.high)}). Both: {summary.bias_and_conspiracy:,}.", ""]
    if summary.outlets:
        out += ["| rank | outlet | comments | share of bias claims | threads |",
                "|---:|---|---:|---:|---:|"]
        out += [f"| {i} | {md_text(o.outlet, 60)} | {o.comments:,} | {pct(o.share.share)} | "
                f"{o.threads:,} |" for i, o in enumerate(summary.outlets, start=1)]
        more = summary.outlets_distinct - len(summary.outlets)
        out += [f"\n{more} more outlet(s) in the JSON report." if more > 0 else "", ""]
    return out


def _timeline(summary: Summary, level: str) -> list[str]:
    t = summary.timeline
    if t is None:
        return []
    out = [f"{level} Sentiment over time (per {t.granularity})", "",
           f"{t.dated:,} dated comments, {t.undated:,} without a time.", "",
           "| from | comments | positive | neutral | negative | favor | against |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    busy = [b for b in t.buckets if b.comments]
    for b in busy[:MD_TIME_ROWS]:
        out.append(f"| {b.start} | {b.comments} | {b.sentiment['positive']} | "
                   f"{b.sentiment['neutral']} | {b.sentiment['negative']} | "
                   f"{b.stance['favor']} | {b.stance['against']} |")
    if len(busy) > MD_TIME_ROWS:
        out.append(f"\n{len(busy) - MD_TIME_ROWS} more period(s) in the JSON report.")
    return [*out, ""]


def _labels_line(c: CommentView) -> str:
    bits = []
    if c.stance:
        bits.append(c.stance + (f" {c.stance_score:.2f}" if c.stance_score is not None else ""))
    if c.agreement:
        bits.append(f"↩ {c.agreement}")
    if c.sentiment:
        bits.append(c.sentiment)
    if c.media_bias:
        bits.append("media bias" + (f": {', '.join(c.outlets)}" if c.outlets else ""))
    if c.conspiracy:
        bits.append("conspiracy")
    return md_text(" · ".join(bits), 200)


def _quotes(title: str, quotes: Sequence[Quote]) -> list[str]:
    out = [f"**{title}**", ""]
    if not quotes:
        return [*out, "_none_", ""]
    for q in quotes:
        c = q.comment
        out += [f"> {md_text(c.text)}", ">",
                f"> — {md_text(c.thread_id, 60)}/{md_text(c.comment_id, 60)} · "
                f"{md_text(q.why, 120)} · {_labels_line(c)}", ""]
    return out


def _summary(summary: Summary, level: str) -> list[str]:
    out = _labels(summary, level) + _depth(summary, level) + _flows(summary, level)
    out += _claims(summary, level) + _timeline(summary, level)
    out += [f"{level} Comments worth reading", ""]
    for label in ("favor", "against", "query"):
        out += _quotes(f"Most confident: {label}",
                       [q for q in summary.confident if q.comment.stance == label])
    return out + _quotes("Most contested", summary.contested) + _quotes(
        "Most ambiguous", summary.ambiguous)


def _tree(t: ThreadReport) -> list[str]:
    out = ["#### Reply tree", ""]
    for c in t.tree[:MD_TREE]:
        pad = "  " * min(c.indent, MAX_INDENT)
        out.append(f"{pad}- **{md_text(c.comment_id, 40)}** [{_labels_line(c)}] "
                   f"{md_text(c.text, 240)}")
    hidden = len(t.tree) - min(len(t.tree), MD_TREE) + t.tree_omitted
    if hidden:
        out.append(f"\n{hidden} more comment(s) not shown.")
    return [*out, ""]


def _threads(report: Report) -> list[str]:
    out = ["## Threads", "", "| thread | comments | favor | against | media bias | conspiracy |",
           "|---|---:|---:|---:|---:|---:|"]
    for t in report.threads:
        s = t.summary.labels
        out.append(f"| {md_text(t.title or t.thread_id, 80)} | {t.summary.comments:,} | "
                   f"{pct(s['stance'].get('favor').share)} | "
                   f"{pct(s['stance'].get('against').share)} | "
                   f"{pct(s['media_bias'].get('true').share)} | "
                   f"{pct(s['conspiracy'].get('true').share)} |")
    if report.threads_not_shown:
        out.append(f"\n{report.threads_not_shown:,} smaller thread(s) not shown; the JSON "
                   "report lists every thread (thread_index).")
    out.append("")
    for t in report.threads:
        out += [f"### {md_text(t.title or t.thread_id, 200)}", "",
                f"`{md_text(t.thread_id, 80)}` · {t.summary.comments:,} comments"
                + (f" · stance toward: {md_text(t.target, 200)}" if t.target else ""), ""]
        if t.partial:
            out += ["_Records of this thread were not grouped; this is one part of it._", ""]
        out += _summary(t.summary, "####") + _tree(t)
    return out


def render_md(report: Report) -> str:
    c = report.corpus
    out = ["# Comment report", "",
           f"{report.records:,} label records from {md_text(', '.join(report.inputs), 300)} · "
           f"{c.threads:,} thread(s) · model {md_text(', '.join(report.models) or 'unknown')}", ""]
    if report.warnings:
        out += ["> **Repaired input**", ">"] + [f"> - {md_text(w, 400)}" for w in report.warnings]
        out.append("")
    out += ["## The corpus", "",
            f"{c.comments:,} comments ({c.top_level:,} top level, {c.replies:,} replies; "
            f"deepest reply at depth {c.max_depth}).", ""]
    out += _summary(c, "###") + _threads(report)
    out += ["## How to read this", ""]
    out += [f"- **{term}**: {text}" for term, text in report.definitions]
    return "\n".join(out) + "\n"
