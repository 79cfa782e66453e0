"""HTML: one self-contained page (inline CSS and SVG, no scripts, no network)."""

from __future__ import annotations

from html import escape

from stance.report.html_parts import quote_cards, reply_tree
from stance.report.schema import Distribution, Report, Summary, ThreadReport
from stance.report.style import CSS
from stance.report.svg import (
    PALETTE,
    ci_text,
    depth_columns,
    flow_sankey,
    label_name,
    pct,
    ranked_bars,
    share_panel,
    strip,
    timeline_chart,
)

HEAD_TITLES = {"stance": "Stance toward the target", "agreement": "Agreement with parent",
               "sentiment": "Sentiment", "media_bias": "Media-bias claim",
               "conspiracy": "Conspiracy claim"}


def _interval(dist: Distribution, label: str) -> str:
    s = dist.get(label)
    return ci_text(s.low, s.high)


def _cards(report: Report) -> str:
    c = report.corpus
    stance, bias, plot = c.labels["stance"], c.labels["media_bias"], c.labels["conspiracy"]
    items = [("Comments", f"{c.comments:,}",
              f"{c.top_level:,} top level\n{c.replies:,} replies", ""),
             ("Threads", f"{c.threads:,}", f"deepest reply:\ndepth {c.max_depth}", "")]
    for title, dist, label, cls in (("Favor", stance, "favor", "st-favor"),
                                    ("Against", stance, "against", "st-against"),
                                    ("Media-bias claims", bias, "true", "mb"),
                                    ("Conspiracy claims", plot, "true", "cp")):
        share = dist.get(label)
        items.append((title, pct(share.share),
                      f"{share.count:,} of {dist.total:,}\n95% CI {_interval(dist, label)}", cls))
    cards = []
    for key, value, sub, cls in items:
        cards.append(f'<div class="card {cls}"><div class="k">{escape(key)}</div>'
                     f'<div class="v">{escape(value)}</div>'
                     f'<div class="s">{escape(sub).replace(chr(10), "<br>")}</div></div>')
    return '<div class="cards">' + "".join(cards) + "</div>"


def _panels(summary: Summary) -> str:
    out = []
    for head, dist in summary.labels.items():
        missing = f" · {dist.missing:,} without a label" if dist.missing else ""
        out.append(f'<figure class="panel"><figcaption>{escape(HEAD_TITLES[head])}'
                   f'<span class="muted"> · n={dist.total:,}{missing}</span></figcaption>'
                   f"{share_panel(dist)}</figure>")
    return '<div class="panels">' + "".join(out) + "</div>"


def _flow_table(summary: Summary) -> str:
    rows = []
    for flow in summary.flows:
        dist = flow.agreement
        if dist.total == 0:
            continue
        cells = "".join(f"<td>{pct(s.share)} <span class='muted'>({s.count})</span></td>"
                        for s in dist.shares)
        rows.append(f'<tr><th><span class="dot st-{flow.parent_stance}"></span>'
                    f"{flow.parent_stance}</th><td>{dist.total}</td>{cells}"
                    f"<td>{strip(flow.reply_stance, 90, 9)}</td></tr>")
    if not rows:
        return ""
    heads = "".join(f"<th>{label}</th>" for label in ("agree", "neutral", "disagree"))
    return ('<table class="grid"><thead><tr><th>parent stance</th><th>replies</th>'
            f"{heads}<th>replies' own stance</th></tr></thead><tbody>{''.join(rows)}"
            "</tbody></table>")


def _outlets(summary: Summary) -> str:
    if not summary.outlets:
        return '<p class="muted">No comment named an outlet while claiming media bias.</p>'
    items = [(o.outlet, o.comments,
              f"· {pct(o.share.share)} of claims · {o.threads} thread{'s' * (o.threads != 1)}")
             for o in summary.outlets]
    more = summary.outlets_distinct - len(items)
    note = f'<p class="muted">{more} more outlet(s) in the JSON report.</p>' if more > 0 else ""
    both = summary.bias_and_conspiracy
    return (ranked_bars(items, PALETTE["media_bias"]["true"]) + note +
            f'<p class="muted">{both} comment(s) claim both media bias and a conspiracy.</p>')


def _timeline(summary: Summary) -> str:
    t = summary.timeline
    if t is None:
        return ('<p class="muted">No comment has a time. Times come from a '
                "<code>timestamp</code> in the label records or from the thread files given "
                "with <code>--threads</code>.</p>")
    legend = "".join(f'<span class="chip se-{k}">{k}</span>' for k in PALETTE["sentiment"])
    undated = f" · {t.undated:,} without a time" if t.undated else ""
    return (f'<p class="muted">{t.dated:,} dated comments{undated} · {legend}</p>'
            f"{timeline_chart(t)}"
            f'<details><summary>Stance over time</summary>{timeline_chart(t, "stance")}'
            "</details>")


def _quotes(summary: Summary) -> str:
    confident = "".join(
        quote_cards(f"Most confident: {label}",
                    [q for q in summary.confident if q.comment.stance == label],
                    f"No {label} comment with stance scores.")
        for label in ("favor", "against", "query"))
    return (f'<div class="quote-grid three">{confident}</div><div class="quote-grid">'
            + quote_cards("Most contested", summary.contested,
                          "No comment has a reply labelled 'disagree'.")
            + quote_cards("Most ambiguous", summary.ambiguous, "No stance scores.")
            + "</div>")


def _summary_sections(summary: Summary, level: str = "h2") -> str:
    def sec(title: str, body: str) -> str:
        return f"<section><{level}>{escape(title)}</{level}>{body}</section>"

    return (sec("Labels", _panels(summary))
            + sec("Stance by reply depth", f'<div class="row">{depth_columns(summary.depth)}'
                  '<p class="muted aside">Does the conversation turn as it goes deeper? Each '
                  "column is the stance mix of the comments at that depth.</p></div>")
            + sec("Agreement flows", '<p class="muted">How direct replies answer favor, '
                  "against, query and none comments.</p>" + flow_sankey(summary.flows)
                  + _flow_table(summary))
            + sec("Outlets accused of bias", _outlets(summary))
            + sec("Sentiment over time", _timeline(summary))
            + sec("Comments worth reading", _quotes(summary)))


def _thread_table(report: Report) -> str:
    rows = []
    for t in report.threads:
        s = t.summary.labels
        title = t.title or t.target or t.thread_id
        rows.append(f'<tr><td><a href="#t-{escape(t.thread_id, quote=True)}">{escape(title)}'
                    f'</a><div class="muted">{escape(t.thread_id)}</div></td>'
                    f"<td>{t.summary.comments:,}</td><td>{strip(s['stance'])}</td>"
                    f"<td>{pct(s['stance'].get('favor').share)}</td>"
                    f"<td>{pct(s['stance'].get('against').share)}</td>"
                    f"<td>{pct(s['media_bias'].get('true').share)}</td>"
                    f"<td>{pct(s['conspiracy'].get('true').share)}</td></tr>")
    note = ""
    if report.threads_not_shown:
        note = (f'<p class="muted">{report.threads_not_shown:,} smaller thread(s) are not shown '
                "here; the JSON report lists every thread's counts (thread_index).</p>")
    return ('<table class="grid threads"><thead><tr><th>thread</th><th>comments</th>'
            "<th>stance</th><th>favor</th><th>against</th><th>bias claims</th>"
            f"<th>conspiracy</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{note}")


def _thread(t: ThreadReport, first: bool) -> str:
    title = t.title or t.target or t.thread_id
    target = (f'<p class="muted">Stance measured toward: {escape(t.target)}</p>'
              if t.target and t.target != title else "")
    partial = ('<p class="warn">This thread\'s records were not grouped together in the '
               "input; this view shows one part of it.</p>" if t.partial else "")
    return (f'<details class="thread" id="t-{escape(t.thread_id, quote=True)}"'
            f'{" open" if first else ""}><summary><span class="ttitle">{escape(title)}</span>'
            f'<span class="muted"> · {t.summary.comments:,} comments · {escape(t.thread_id)}'
            f"</span></summary>{target}{partial}"
            f"{_summary_sections(t.summary, 'h3')}"
            f"<section><h3>Reply tree</h3>{reply_tree(t.tree, t.tree_omitted)}</section>"
            "</details>")


def _header(report: Report) -> str:
    models = ", ".join(report.models) or "unknown model"
    inputs = ", ".join(report.inputs)
    targets = "".join(f"<li>{escape(t)} <span class='muted'>({n:,})</span></li>"
                      for t, n in report.targets.items())
    target_html = (f'<details class="targets"><summary>Targets ({len(report.targets)})'
                   f"</summary><ul>{targets}</ul></details>" if targets else "")
    return (f'<header><h1>Comment report</h1><p class="muted">{report.records:,} label records'
            f" from {escape(inputs)} · model {escape(models)}</p>{target_html}</header>")


def _warnings(report: Report) -> str:
    if not report.warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in report.warnings)
    return f'<section class="warnings"><h2>Repaired input</h2><ul>{items}</ul></section>'


def _definitions(report: Report) -> str:
    items = "".join(f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>"
                    for term, text in report.definitions)
    legend = " ".join(f'<span class="chip st-{k}">{k}</span>' for k in PALETTE["stance"])
    return (f'<section id="how"><h2>How to read this</h2><p>Colours: {legend} · whiskers are '
            "95% Wilson intervals, dashed whiskers thread-bootstrap intervals.</p>"
            f"<dl>{items}</dl></section>")


def render_html(report: Report) -> str:
    threads = "".join(_thread(t, i == 0) for i, t in enumerate(report.threads))
    body = (_header(report) + '<nav><a href="#corpus">Corpus</a><a href="#threads">Threads</a>'
            '<a href="#how">How to read this</a></nav>' + _warnings(report)
            + f'<main><section id="corpus"><h2>The corpus</h2>{_cards(report)}</section>'
            + _summary_sections(report.corpus)
            + f'<section id="threads"><h2>Threads</h2>{_thread_table(report)}{threads}'
            + f"</section>{_definitions(report)}</main>"
            + '<footer>Made by <code>stance report</code>. Labels are model predictions.'
            "</footer>")
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Comment report</title><style>{CSS}</style></head><body>{body}</body></html>\n")


__all__ = ["render_html", "label_name"]
