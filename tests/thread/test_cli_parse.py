"""`stance parse` end to end: every format through the typer app, exit codes through main()."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stance.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()
KEYS = ["thread_id", "source", "format", "target", "article", "comments", "warnings"]
COMMENT_KEYS = ["id", "parent_id", "author", "timestamp", "text"]


def _parse(*args: str, stdin: str | None = None) -> list[dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["parse", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("path, fmt, n_comments", [
    ("threads/h09_blogger-lossy.txt", "blogger-text", 6),
    ("threads/h08_blogger-full.txt", "blogger-text", 4),
    ("threads/h12_bullets-trailing-author.txt", "text", 4),
    ("html/blogger_threaded.html", "blogger-html", 4),
    ("html/wordpress.html", "wordpress-html", 3),
    ("html/generic_comments.html", "html", 3),
    ("exports/disqus.xml", "disqus-xml", 3),
    ("exports/reddit_listing.json", "reddit-json", 3),
    ("exports/blogger_comments.atom", "blogger-atom", 3),
])
def test_each_format_is_detected_and_follows_the_contract(path: str, fmt: str,
                                                           n_comments: int) -> None:
    (thread,) = _parse(str(FIXTURES / path))
    assert list(thread) == KEYS
    assert thread["format"] == fmt and len(thread["comments"]) == n_comments
    assert thread["source"] == str(FIXTURES / path)
    for comment in thread["comments"]:
        assert list(comment) == COMMENT_KEYS and isinstance(comment["text"], str)
    assert thread["article"] is None or list(thread["article"]) == ["title", "text", "author",
                                                                    "published"]
    assert all(isinstance(w, str) and w for w in thread["warnings"])


def test_format_can_be_forced(tmp_path: Path) -> None:
    (thread,) = _parse(str(FIXTURES / "html/wordpress.html"), "--format", "html")
    assert thread["format"] == "html" and len(thread["comments"]) == 3


def test_several_inputs_to_one_output_file(tmp_path: Path) -> None:
    out = tmp_path / "threads.jsonl"
    result = runner.invoke(app, ["parse", str(FIXTURES / "threads/h04_typepad-footer.txt"),
                                 str(FIXTURES / "exports/disqus.xml"), "-o", str(out),
                                 "--target", "the plan"])
    assert result.exit_code == 0, result.output
    threads = [json.loads(line) for line in out.read_text().splitlines()]
    assert [t["thread_id"] for t in threads] == ["h04_typepad-footer", "disqus"]
    assert all(t["target"] == "the plan" for t in threads)


def test_parse_output_is_valid_parse_input(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    runner.invoke(app, ["parse", str(FIXTURES / "threads/h21_wordpresscom-nested-says.txt"),
                        "-o", str(out)])
    again = _parse(str(out))
    assert again == [json.loads(out.read_text())]


def test_stdin_text_and_jsonl() -> None:
    (thread,) = _parse("-", stdin=(FIXTURES / "threads/h09_blogger-lossy.txt").read_text())
    assert thread["source"] is None and thread["thread_id"] == "stdin"
    assert len(thread["comments"]) == 6
    line = json.dumps({"thread_id": "s", "comments": [{"id": "a", "text": "hi"}]})
    (thread,) = _parse("-", stdin=line + "\n")
    assert thread["format"] == "jsonl" and thread["comments"][0]["text"] == "hi"


def _main(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", "from stance.cli import main; main()", *args],
                          input=stdin, capture_output=True, timeout=120, cwd=REPO)


@pytest.mark.parametrize("args, stdin, fragment", [
    (["parse", "no/such/file.txt"], None, "no/such/file.txt: no such file"),
    (["parse", "-"], b"  \n", "empty"),
    (["parse", "--format", "disqus-xml", "-"], b"<disqus><post>", "not well-formed XML"),
    (["parse", "--format", "nonsense", "-"], b"text", "unknown format 'nonsense'"),
    (["parse", "--format", "reddit-json", "-"], b'{"a": [1, 2', "not valid JSON"),
    (["parse", "-"], b'{"thread_id": "t", "comments": 3}\n',
     "line 1: 'comments' is a number, not a list"),
])
def test_bad_input_exits_2_with_one_sentence(args: list[str], stdin: bytes | None,
                                              fragment: str) -> None:
    done = _main(*args, stdin=stdin)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_binary_garbage_exits_cleanly() -> None:
    done = _main("parse", "-", stdin=bytes(range(256)) * 40)
    assert done.returncode in (0, 2), done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()


def test_library_warnings_stay_quiet_unless_asked_for(tmp_path: Path) -> None:
    """trafilatura warns "discarding data: None" on a page without text; that means nothing
    to a user, so `stance parse` shows library warnings only with -v."""
    page = tmp_path / "bare.html"
    page.write_text("<html><body><div>\n", encoding="utf-8")
    quiet = _main("parse", str(page))
    assert quiet.returncode == 0, quiet.stderr
    assert b"trafilatura" not in quiet.stderr
    loud = _main("-v", "parse", str(page))
    assert loud.returncode == 0 and b"trafilatura" in loud.stderr


def test_a_page_that_yields_nothing_says_so(tmp_path: Path) -> None:
    page = tmp_path / "bare.html"
    page.write_text("<html><body><div>\n", encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Council approves harbor plan\n\nThe council voted 5-2 on Tuesday to "
                     "approve the plan after a long debate.\n", encoding="utf-8")
    bare, told = _parse(str(page), str(story))
    assert bare["warnings"] == ["no article and no comments were found for this thread"]
    assert told["article"] and told["warnings"] == []
