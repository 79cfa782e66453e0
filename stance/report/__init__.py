"""Reports: label records -> aggregate numbers (`aggregate`) -> JSON, Markdown or HTML.

    from stance.report import aggregate, render
    report = aggregate(records, threads)          # records: label record dicts
    html = render(report, "html")

Data flows one way: this package reads label records and never imports the model.
"""

from __future__ import annotations

from pathlib import Path

from stance.errors import InputError
from stance.io import atomic_writer
from stance.report.aggregate import Aggregator, ReportOptions, aggregate, aggregate_files
from stance.report.schema import Distribution, Report, Share, Summary, ThreadReport

FORMATS = ("html", "md", "json")


def render(report: Report, format: str = "html") -> str:
    """The report as text in one of FORMATS."""
    if format == "json":
        from stance.report.render_json import render_json

        return render_json(report)
    if format == "md":
        from stance.report.render_md import render_md

        return render_md(report)
    if format == "html":
        from stance.report.render_html import render_html

        return render_html(report)
    raise InputError(f"unknown report format {format!r}; choose one of {', '.join(FORMATS)}")


def write_report(report: Report, path: str | Path, format: str = "html") -> None:
    """Render and write atomically ('-' = stdout)."""
    text = render(report, format)
    with atomic_writer(path) as handle:
        handle.write(text)


__all__ = ["FORMATS", "Aggregator", "Distribution", "Report", "ReportOptions", "Share",
           "Summary", "ThreadReport", "aggregate", "aggregate_files", "render", "write_report"]
