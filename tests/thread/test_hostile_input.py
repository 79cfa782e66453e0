"""Issue 13: any input gives threads every stage can encode, or one clear InputError.

Property tests (hypothesis, bounded so the suite stays quick): arbitrary JSON in every field of a
thread line and hostile Unicode in texts; random bytes and HTML/XML fragments with --format auto.
"""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hostile import (
    NASTY,
    hostile_text,
    jsonl_bytes,
    markup,
    surviving_comments,
    thread_lines,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.errors import InputError
from stance.io import UNENCODABLE, clean_json, clean_text, collect_input_notes, dumps
from stance.thread.model import Comment, Thread
from stance.thread.parse import ParseOptions, parse_path, parse_text
from stance.thread.sanitize import MAX_COMMENT_CHARS, clean_thread

FAST = settings(max_examples=60, deadline=timedelta(seconds=10),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check_threads(threads: list[Thread]) -> None:
    """Every string encodes as UTF-8 and holds no character clean_text would change; trees are
    valid."""
    for thread in threads:
        line = dumps(thread.to_dict())
        line.encode("utf-8")  # raises on a lone surrogate
        assert clean_text(line) == line
        ids = [c.id for c in thread.comments]
        assert len(ids) == len(set(ids))
        assert all(c.parent_id is None or (c.parent_id in ids and c.parent_id != c.id)
                   for c in thread.comments)
        assert sum(w.startswith(UNENCODABLE) for w in thread.warnings) <= 1


@pytest.mark.parametrize(("raw", "clean"), [
    ("plain text, café, 😀", "plain text, café, 😀"),
    ("half \ud83d emoji", "half \ufffd emoji"),
    ("pair \ud83d\ude00 joined", "pair \U0001f600 joined"),
    ("nul\x00 bell\x07 esc\x1b del\x7f c1\x9f", "nul bell esc del c1"),
    ("tab\tnew\nline\r", "tab\tnew\nline\r"),
    ("form\x0cfeed\x0bvt\x85nel", "form feed vt nel"),
    ("non\ufffechar\uffff \ufdd0 \U0010ffff", "non\ufffdchar\ufffd \ufffd \ufffd"),
    ("rtl \u202e\u0627 zwj \u200d combining e\u0301 \u2028", "rtl \u202e\u0627 zwj \u200d "
                                                              "combining e\u0301 \u2028"),
])
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
    clean_text(raw).encode("utf-8")


def test_clean_text_returns_good_text_itself() -> None:
    text = "nothing to do here " * 10
    assert clean_text(text) is text


def test_clean_json_cleans_keys_and_deep_values_without_recursion() -> None:
    deep: list[object] = ["\ud800"]
    for _ in range(50_000):
        deep = [deep]
    value, changed = clean_json({"k\x00": {"a": ["x\ud800"]}, "deep": deep})
    assert changed == 3 and value["k"] == {"a": ["x\ufffd"]}


def test_a_lone_surrogate_escape_is_repaired_with_one_warning_per_thread(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text('{"thread_id": "t\\ud800", "comments": [{"id": "c1", "text": "a \\ud800 b"}, '
                   '{"id": "c2", "author": "\\u0000x", "text": "\\udfff"}]}\n')
    (thread,) = parse_path(src)
    assert thread.thread_id == "t\ufffd"
    assert [c.text for c in thread.comments] == ["a \ufffd b", "\ufffd"]
    assert thread.comments[1].author == "x"
    assert [w for w in thread.warnings if w.startswith(UNENCODABLE)] == [
        f"{UNENCODABLE} (4 field(s))"]


def test_threads_built_in_python_are_cleaned_and_long_comments_cut() -> None:
    thread = Thread("t", (Comment("c\ud800", "x" * (MAX_COMMENT_CHARS + 5)),))
    cleaned, messages = clean_thread(thread)
    assert cleaned.comments[0].id == "c\ufffd"
    assert len(cleaned.comments[0].text) == MAX_COMMENT_CHARS
    assert len(messages) == 2 and "cut to its first 100,000" in messages[1]
    assert clean_thread(cleaned) == (cleaned, [])


def test_non_jsonl_formats_are_cleaned_too() -> None:
    page = "A post title\n\nBob said...\n\nI agree \x1b[31m with \ufffe this.\n"
    (thread,) = parse_text(page, ParseOptions(format="text"), source="p.txt")
    _check_threads([thread])


def test_jsonl_lines_end_only_at_newline() -> None:
    line = json.dumps({"thread_id": "t", "comments": [{"id": "a", "text": "x\u2028y\x85z"}]},
                      ensure_ascii=False)
    (thread,) = parse_text(line + "\n", ParseOptions(format="jsonl"), source="-")
    assert thread.comments[0].text == "x\u2028y z"


@FAST
@given(lines=st.lists(thread_lines(), min_size=1, max_size=4), ext=st.sampled_from(
    [".jsonl", ".txt"]))
def test_any_thread_jsonl_gives_every_surviving_comment(lines: list[str], ext: str) -> None:
    expected = [surviving_comments(line) for line in lines]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{ext}"
        path.write_bytes(jsonl_bytes(lines))
        fmt = "jsonl" if ext == ".txt" else "auto"
        with collect_input_notes() as notes:
            try:
                threads = list(parse_path(path, ParseOptions(format=fmt)))
            except InputError as exc:
                assert all(n is None for n in expected), exc
                return
    assert [len(t.comments) for t in threads] == [n for n in expected if n is not None]
    _check_threads(threads)
    written = sum(n for n in expected if n is not None)
    assert notes.skipped >= sum(n is None for n in expected)
    assert written == sum(len(t.comments) for t in threads)


@FAST
@given(data=st.binary(max_size=3000), name=st.sampled_from(["r.bin", "r.txt", "r.html",
                                                              "r.xml", "r.json", "r.jsonl"]))
def test_random_bytes_give_clean_threads_or_an_input_error(data: bytes, name: str) -> None:
    _parse_bytes(data, name)


@FAST
@given(page=markup(), name=st.sampled_from(["p.html", "p.xml", "p.txt", "p"]),
       junk=st.sampled_from(["", "\x00", "\ud800", "\ufffe"]))
def test_random_markup_gives_clean_threads_or_an_input_error(page: str, name: str,
                                                              junk: str) -> None:
    _parse_bytes((page + junk + page).encode("utf-8", errors="surrogatepass"), name)


@FAST
@given(text=hostile_text, fmt=st.sampled_from(["auto", "text", "blogger-text", "html"]))
def test_hostile_text_in_memory(text: str, fmt: str) -> None:
    try:
        threads = list(parse_text(text + "".join(NASTY), ParseOptions(format=fmt), source="m"))
    except InputError:
        return
    _check_threads(threads)


def _parse_bytes(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            threads = list(parse_path(path, ParseOptions(format="auto")))
        except InputError as exc:
            assert "\n" not in str(exc)
            return
    _check_threads(threads)
