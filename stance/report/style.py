"""The HTML report's stylesheet (inline; system fonts only, so nothing is fetched)."""

from __future__ import annotations

from stance.report.svg import PALETTE

_PREFIX = {"stance": "st", "agreement": "ag", "sentiment": "se"}


def _chip_rules() -> str:
    rules = []
    for head, prefix in _PREFIX.items():
        for label, color in PALETTE[head].items():
            light = label in ("neutral", "none")
            ink = "#1f2328" if light else "#fff"
            rules.append(f".chip.{prefix}-{label},.dot.{prefix}-{label}{{background:{color};"
                         f"color:{ink}}}")
            rules.append(f".card.{prefix}-{label} .v{{color:{color}}}")
    rules.append(f".chip.mb{{background:{PALETTE['media_bias']['true']};color:#fff}}")
    rules.append(f".chip.cp{{background:{PALETTE['conspiracy']['true']};color:#fff}}")
    rules.append(f".card.mb .v{{color:{PALETTE['media_bias']['true']}}}")
    rules.append(f".card.cp .v{{color:{PALETTE['conspiracy']['true']}}}")
    return "".join(rules)


CSS = """
:root{--ink:#1f2328;--muted:#6b7280;--line:#e5e7eb;--bg:#fafaf8;--card:#fff}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
 font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header,nav,main,footer,.warnings{max-width:1120px;margin:0 auto;padding:0 28px}
header{padding-top:28px}
h1{font-size:30px;margin:0 0 4px;letter-spacing:-.02em}
h2{font-size:21px;margin:34px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:22px 0 8px}
h4{font-size:13px;margin:0 0 8px;text-transform:uppercase;letter-spacing:.06em;
 color:var(--muted)}
nav{display:flex;gap:18px;padding-top:6px;padding-bottom:6px;font-size:14px}
a{color:#1d4ed8;text-decoration:none}a:hover{text-decoration:underline}
.muted{color:var(--muted);font-size:13px}
code{font-size:13px;background:#f0f0ec;padding:1px 4px;border-radius:3px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .k{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.card .v{font-size:28px;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums}
.card .s{font-size:12px;color:var(--muted)}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}
.panel{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;
 padding:12px 12px 6px}
.panel figcaption{font-weight:600;font-size:14px;margin-bottom:8px}
svg{max-width:100%;height:auto;display:block;overflow:visible}
svg text{font-family:inherit;font-variant-numeric:tabular-nums}
.row{display:flex;gap:24px;align-items:flex-end;flex-wrap:wrap}
.aside{max-width:320px}
table.grid{border-collapse:collapse;margin:12px 0;font-size:14px;background:var(--card);
 font-variant-numeric:tabular-nums}
.grid th,.grid td{border-bottom:1px solid var(--line);padding:6px 12px;text-align:left;
 vertical-align:middle}
.grid thead th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;
 letter-spacing:.04em}
table.threads{width:100%}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
.chip{display:inline-block;font-size:11.5px;line-height:1.6;padding:0 7px;border-radius:9px;
 margin:0 4px 2px 0;white-space:nowrap;font-variant-numeric:tabular-nums}
.chip.contested{background:#fff;color:#d84315;border:1px solid #d84315}
.quote-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:16px;
 margin-bottom:10px}
.quote-grid.three{grid-template-columns:repeat(auto-fill,minmax(300px,1fr))}
blockquote{margin:0 0 10px;background:var(--card);border:1px solid var(--line);
 border-left:4px solid #cbd5e1;border-radius:6px;padding:8px 12px}
.why{font-size:12px;color:var(--muted);margin-bottom:2px}
.comment .meta{font-size:12px;color:var(--muted);margin-right:8px}
.comment .tid{font-weight:600}
.comment .text{white-space:pre-wrap;overflow-wrap:anywhere;margin-top:2px}
details.thread{background:var(--card);border:1px solid var(--line);border-radius:10px;
 padding:10px 16px;margin:14px 0}
details.thread>summary{cursor:pointer;font-size:17px;font-weight:600}
details.targets summary{cursor:pointer;font-size:13px;color:var(--muted)}
.tree{margin-top:6px}
.tree .node>summary{list-style:none;cursor:pointer}
.tree .node>summary::-webkit-details-marker{display:none}
.tree .node>summary::before{content:"\\25BE";color:var(--muted);float:left;margin:3px 0 0 -14px;
 font-size:12px}
.tree .node:not([open])>summary::before{content:"\\25B8"}
.tree .comment{padding:6px 0 6px 14px;border-top:1px solid #f1f1ee}
.tree .kids{margin-left:14px;border-left:2px solid var(--line);padding-left:6px}
.warnings{background:#fff8e1;border:1px solid #f6d365;border-radius:10px;padding:4px 20px;
 margin-top:16px}
.warnings h2{border:0;margin-top:10px;font-size:16px}
.warn{background:#fff8e1;padding:6px 10px;border-radius:6px}
dl dt{font-weight:600;margin-top:10px}dl dd{margin:2px 0 0 0;color:#374151}
footer{color:var(--muted);font-size:12px;padding-top:30px;padding-bottom:40px}
@media print{details{display:block}nav{display:none}}
""" + _chip_rules()
