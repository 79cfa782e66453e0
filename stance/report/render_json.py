"""JSON: the report's numbers for machines (`Report.to_dict()`, indented, UTF-8 kept)."""

from __future__ import annotations

import json

from stance.report.schema import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
