"""Thread JSONL follows CONTRACT.md exactly and round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.errors import InputError
from stance.io import collect_input_notes
from stance.thread.jsonl import read_threads, thread_from_dict, write_threads
from stance.thread.parse import parse_path

FULL = {
    "thread_id": "t1", "source": "https://example.org/post", "format": "blogger-text",
    "target": "the new bridge", "article": {"title": "A bridge", "text": "Body.", "author": None,
                                            "published": None},
    "comments": [
        {"id": "c1", "parent_id": None, "author": "Anonymous", "timestamp": "2019-02-26T09:15:00",
         "text": "Build it."},
        {"id": "c2", "parent_id": "c1", "author": None, "timestamp": None, "text": "No way."}],
    "warnings": ["something was guessed"],
}


def test_round_trip_is_exact(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(FULL) + "\n")
    out = tmp_path / "out.jsonl"
    write_threads(read_threads(src), out)
    assert json.loads(out.read_text()) == FULL


def test_minimal_thread_fills_defaults() -> None:
    t = thread_from_dict({"thread_id": "x", "comments": [{"id": "1", "text": "hi"}]})
    d = t.to_dict()
    assert list(d) == ["thread_id", "source", "format", "target", "article", "comments", "warnings"]
    assert d["comments"][0] == {"id": "1", "parent_id": None, "author": None, "timestamp": None,
                                "text": "hi"}
    assert t.effective_target == ""


def test_effective_target_falls_back_to_title() -> None:
    t = thread_from_dict({**FULL, "target": None})
    assert t.effective_target == "A bridge"


@pytest.mark.parametrize("text, target", [
    # a rumour's source post as the article: the whole post
    ("Reports say the  bridge will close for a year.\nMore soon.",
     "Reports say the bridge will close for a year."),
    # a short opening sentence is no claim on its own: the next one joins it
    ("Breaking. The council voted to sell the harbour land tonight. Details follow.",
     "Breaking. The council voted to sell the harbour land tonight."),
    # a run-on text is cut at 40 words
    (" ".join(f"w{i}" for i in range(100)), " ".join(f"w{i}" for i in range(40))),
    ("   ", ""),
    # a list of items: their markers are no part of the claim (a year is no marker)
    ("  1. The council sold the land.\n  2. The mayor resigned over it.\n  3. More.",
     "The council sold the land. The mayor resigned over it."),
    ("• Ferries stop in May.\n(2) Fares rise by a third next year.",
     "Ferries stop in May. Fares rise by a third next year."),
    ("2016. A year the harbour will not forget, said the mayor.",
     "2016. A year the harbour will not forget, said the mayor."),
])
def test_effective_target_falls_back_to_the_articles_opening_claim(text: str,
                                                                   target: str) -> None:
    t = thread_from_dict({"thread_id": "x", "article": {"title": None, "text": text},
                          "comments": [{"id": "1", "text": "hi"}]})
    assert t.effective_target == target


_BAD_LINES = [
    ('{"thread_id": "x"}', "no 'comments'"),
    ('{"thread_id": "x", "comments": {}}', "not a list"),
    ('[1, 2]', "expected a JSON object"),
    ('{"thread_id": ', "not valid JSON"),
]


@pytest.mark.parametrize("line, fragment", _BAD_LINES)
def test_a_bad_line_is_skipped_with_a_warning_naming_file_and_line(
        tmp_path: Path, line: str, fragment: str, caplog: pytest.LogCaptureFixture) -> None:
    src = tmp_path / "bad.jsonl"
    second = json.dumps({**FULL, "thread_id": "t2"})
    src.write_text(json.dumps(FULL) + "\n\n" + line + "\n" + second)
    with collect_input_notes() as notes:
        threads = list(read_threads(src))
    assert [t.thread_id for t in threads] == ["t1", "t2"]
    assert notes.skipped == 1 and notes.files == {str(src): 1}
    (message,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert message.startswith(f"{src}, line 3: ") and fragment in message
    assert message.endswith("skipped")


@pytest.mark.parametrize("line, fragment", _BAD_LINES)
def test_a_file_with_no_readable_thread_is_an_input_error(tmp_path: Path, line: str,
                                                          fragment: str) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text("\n" + line + "\n" + line + "\n")
    with pytest.raises(InputError) as err:
        list(read_threads(src))
    assert f"{src}, line 2: " in str(err.value) and fragment in str(err.value)
    assert err.value.exit_code == 2


def test_a_comment_without_text_is_skipped_and_named(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text(json.dumps({"thread_id": "x", "comments": [
        {"id": "1"}, {"id": "2", "parent_id": "1", "text": "reply"}]}) + "\n")
    with collect_input_notes() as notes:
        (thread,) = parse_path(src)
    assert [c.id for c in thread.comments] == ["2"] and thread.comments[0].parent_id is None
    assert notes.skipped == 1
    assert f"{src}, line 1, comment '1': has no 'text'; skipped" in caplog.text
    assert any("comment '1': has no 'text'; skipped" in w for w in thread.warnings)


def test_non_string_ids_are_kept_as_strings() -> None:
    t = thread_from_dict({"thread_id": 7, "comments": [{"id": 1, "text": "a"},
                                                        {"id": 2, "parent_id": 1, "text": "b"}]})
    assert t.thread_id == "7" and t.comments[1].parent_id == "1"
