"""JSON, Markdown and HTML show the same numbers; comment text is escaped; HTML is offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from stance.report import aggregate, aggregate_files, render, write_report
from stance.report.render_md import md_text
from stance.report.schema import Report


@pytest.fixture(scope="module")
def demo(labels_dir: Path) -> Report:
    return aggregate_files([labels_dir / "demo.labels.jsonl"], [labels_dir / "demo.threads.jsonl"])


@pytest.fixture(scope="module")
def small(small_records: list[dict[str, Any]]) -> Report:
    return aggregate(small_records)


def test_json_has_the_numbers(demo: Report) -> None:
    data = json.loads(render(demo, "json"))
    assert data["schema"] == "stance.report/1"
    assert data["records"] == 90 and data["corpus"]["comments"] == 90
    stance = {s["label"]: s for s in data["corpus"]["labels"]["stance"]["shares"]}
    assert stance["favor"]["count"] == demo.corpus.labels["stance"].get("favor").count
    assert set(stance["favor"]) >= {"count", "share", "low", "high"}
    assert len(data["thread_index"]) == 3
    assert data["threads"][0]["tree_comments"] == len(demo.threads[0].tree)
    assert "tree" not in data["threads"][0]
    assert data["definitions"][0]["term"] == "Labels"


def test_markdown_tables_match_json(small: Report) -> None:
    md = render(small, "md")
    assert md.startswith("# Comment report")
    assert "| favor | 3 | 43% | 16–75% |" in md
    assert "| 1 | CNN | 2 | 67% | 1 |" in md
    assert "| favor | 2 | 0% (0) | 0% (0) | 100% (2) |" in md  # flows
    assert "## How to read this" in md


def test_markdown_escapes_comment_text(small: Report) -> None:
    md = render(small, "md")
    assert "<script>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert md_text("a | b *c* <i>\n[x](y)") == r"a \| b \*c\* &lt;i&gt; \[x\](y)"


def test_html_escapes_comment_text(small: Report) -> None:
    html = render(small, "html")
    assert "<script>" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_escapes_every_field() -> None:
    evil = "<img src=x onerror=alert(1)>"
    record = {"thread_id": evil, "comment_id": evil, "parent_id": None, "text": evil,
              "stance": {"label": "favor", "scores": {"favor": 0.9, "against": 0.05,
                                                      "query": 0.03, "none": 0.02},
                         "target": evil},
              "sentiment": {"label": "neutral"}, "model": evil,
              "media_bias": {"label": True, "targets": [evil]}, "conspiracy": {"label": False}}
    report = aggregate([record], name=evil)
    html = render(report, "html")
    assert "<img" not in html
    md = render(report, "md")
    assert "<img" not in md


def test_html_is_self_contained(demo: Report) -> None:
    html = render(demo, "html")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    for needle in ("stance by reply depth", "agreement flows", "outlets ranked",
                   "sentiment over time"):
        assert f'aria-label="{needle}' in html
    assert html.count('<details class="thread"') == 3
    assert "How to read this" in html


def test_html_without_timestamps_says_how_to_get_them(
        small_records: list[dict[str, Any]]) -> None:
    undated = [{k: v for k, v in r.items() if k != "timestamp"} for r in small_records]
    html = render(aggregate(undated), "html")
    assert 'aria-label="sentiment over time"' not in html
    assert "No comment has a time" in html


def test_tree_nesting_is_balanced(demo: Report) -> None:
    html = render(demo, "html")
    assert html.count("<details") == html.count("</details>")
    assert html.count("<div") == html.count("</div>")


def test_deep_chain_renders_without_recursion() -> None:
    records = [{"thread_id": "deep", "comment_id": f"c{i}",
                "parent_id": f"c{i - 1}" if i else None, "text": f"reply {i}",
                "stance": {"label": "none"}, "sentiment": {"label": "neutral"},
                "agreement": {"label": "agree"} if i else None,
                "media_bias": {"label": False}, "conspiracy": {"label": False}}
               for i in range(5000)]
    report = aggregate(records)
    assert report.corpus.max_depth == 4999
    html = render(report, "html")
    assert html.count("<details") == html.count("</details>")
    # the tree shows 300 comments; deep replies stop indenting and say whom they answer
    assert "&#8627; reply to c298" in html and "reply 299" in html and "reply 300" not in html


def test_write_report_is_atomic_and_complete(tmp_path: Path, small: Report) -> None:
    target = tmp_path / "sub" / "report.json"
    write_report(small, target, "json")
    assert json.loads(target.read_text(encoding="utf-8"))["records"] == 7
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_unknown_format(small: Report) -> None:
    from stance.errors import InputError

    with pytest.raises(InputError, match="unknown report format"):
        render(small, "pdf")


def test_records_without_labels_still_render() -> None:
    report = aggregate([{"thread_id": "t", "comment_id": "a", "text": "x"},
                        {"thread_id": "t", "comment_id": "b", "parent_id": "a"}])
    assert report.corpus.labels["stance"].total == 0
    assert report.corpus.labels["stance"].missing == 2
    assert report.corpus.labels["agreement"].missing == 1
    for fmt in ("html", "md", "json"):
        assert render(report, fmt)
    assert any("had no 'stance'" in w for w in report.warnings)
