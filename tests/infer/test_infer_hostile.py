"""Issue 13 for `stance label`: one bad record never costs a run.

Hostile thread JSONL (arbitrary JSON in every field, text no encoder takes) is labelled with the
tiny random model: no exception, no hang, one record per surviving comment, and each record's
text is the text the model read. `--resume` after a skip still gives every comment once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hostile import hostile_text, jsonl_bytes, surviving_comments, thread_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.errors import InputError
from stance.infer import InferenceConfig, Labeler
from stance.infer.writer import partial_path
from stance.io import clean_text, dumps
from stance.thread.model import Article, Comment, Thread
from stance.thread.parse import ParseOptions, parse_path
from stance.thread.sanitize import MAX_COMMENT_CHARS

FAST = settings(max_examples=40, deadline=timedelta(seconds=20),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: A file with one of each kind of bad record, and the comments that survive it.
HOSTILE = [
    '{"thread_id": "t1", "article": {"title": "The \\ud83d ferry"}, "comments": ['
    '{"id": "a", "text": "half an emoji \\ud83d and a NUL \\u0000 here"}, '
    '{"id": "b", "parent_id": "a", "text": 42}, {"id": "c", "parent_id": "b", "text": ["x"]}, '
    '{"id": "d"}, "not a comment", {"id": "e", "parent_id": "c", "text": "orphan now"}]}',
    "{oops",
    '{"thread_id": "t2", "comments": {"id": "z", "text": "comments is not a list"}}',
    '[1, 2, 3]',
    json.dumps({"thread_id": "t3", "comments": [{"id": "long", "text": "word " * 30_000},
                                                {"id": "ok", "text": "fine", "author": [1]}]}),
]
SURVIVORS = [("t1", "a"), ("t1", "b"), ("t1", "e"), ("t3", "long"), ("t3", "ok")]


@pytest.fixture(scope="module")
def labeler(tiny_model_dir: Path, infer_cache: str) -> Labeler:
    return Labeler(tiny_model_dir, InferenceConfig(device="cpu", quantize="none", progress=False,
                                                   cache_dir=infer_cache))


def _check_records(records: list[dict[str, Any]], threads: list[Thread]) -> None:
    assert [(r["thread_id"], r["comment_id"]) for r in records] == [
        (t.thread_id, c.id) for t in threads for c in t.comments]
    texts = [c.text for t in threads for c in t.comments]
    assert [r["text"] for r in records] == texts
    for record in records:
        dumps(record).encode("utf-8")


@FAST
@given(lines=st.lists(thread_lines(), min_size=1, max_size=3))
def test_any_thread_jsonl_is_labelled_one_record_per_surviving_comment(
        labeler: Labeler, lines: list[str]) -> None:
    expected = [n for n in map(surviving_comments, lines) if n is not None]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.jsonl"
        path.write_bytes(jsonl_bytes(lines))
        try:
            threads = list(parse_path(path, ParseOptions()))
        except InputError:
            assert not expected
            return
    records = list(labeler.label(threads))
    assert len(records) == sum(expected)
    _check_records(records, threads)


@FAST
@given(texts=st.lists(hostile_text, min_size=1, max_size=4), other=hostile_text,
       target=st.none() | hostile_text)
def test_threads_built_in_python_with_any_text_are_labelled(
        labeler: Labeler, texts: list[str], other: str, target: str | None) -> None:
    comments = tuple(Comment(id=f"c{i}{other}", text=text, author=other,
                             parent_id=f"c{i - 1}{other}" if i else None)
                     for i, text in enumerate(texts))
    thread = Thread(thread_id=other or "t", comments=comments, target=other or None,
                    article=Article(title=other, text=other))
    records = list(labeler.label([thread], target))
    assert [r["text"] for r in records] == [clean_text(t)[:MAX_COMMENT_CHARS] for t in texts]
    assert [r["comment_id"] for r in records] == [clean_text(c.id) for c in comments]
    for record in records:
        dumps(record).encode("utf-8")
        assert record["stance"]["target"] == clean_text(record["stance"]["target"])


def stance(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from stance.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture()
def hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(HOSTILE) + "\n")
    return path


def _label(source: Path, out: Path, model: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return stance("label", str(source), "-o", str(out), "--model", str(model), "--quantize",
                  "onnx", "--batch-size", "1", *extra)


def test_label_skips_bad_records_names_them_and_exits_3(hostile_file: Path, tmp_path: Path,
                                                        tiny_model_dir: Path,
                                                        infer_cache: str) -> None:
    out = tmp_path / "labels.jsonl"
    result = _label(hostile_file, out, tiny_model_dir)
    assert result.returncode == 3, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["thread_id"], r["comment_id"]) for r in records] == SURVIVORS
    assert records[0]["text"] == "half an emoji \ufffd and a NUL  here"
    assert records[0]["stance"]["target"] == "The \ufffd ferry"
    assert records[1]["text"] == "42" and records[2]["parent_id"] is None
    assert len(records[3]["text"]) == MAX_COMMENT_CHARS
    lines = result.stderr.strip().splitlines()
    for fragment in (f"{hostile_file}, line 1: text that cannot be encoded",
                     f"{hostile_file}, line 1, comment 'c': 'text' is a list, not a string; "
                     "skipped", f"{hostile_file}, line 1, comment 'd': has no 'text'; skipped",
                     f"{hostile_file}, line 1: comment #5 is a string, not an object; skipped",
                     f"{hostile_file}, line 2: not valid JSON",
                     f"{hostile_file}, line 3: 'comments' is an object, not a list; skipped",
                     f"{hostile_file}, line 4: expected a JSON object, found a list; skipped",
                     f"{hostile_file}, line 5: comment 'long' was 150,000 characters long"):
        assert any(fragment in line for line in lines), fragment
    assert lines[-1] == (f"stance: finished, but 6 bad input record(s) skipped (6 in "
                         f"{hostile_file}): the warnings above name them, and everything else "
                         "was written")
    assert "Traceback" not in result.stderr


def test_resume_after_a_skip_gives_every_surviving_comment_once(hostile_file: Path,
                                                                tmp_path: Path,
                                                                tiny_model_dir: Path,
                                                                infer_cache: str) -> None:
    reference = tmp_path / "reference.jsonl"
    assert _label(hostile_file, reference, tiny_model_dir).returncode == 3
    done = reference.read_text().splitlines()
    for kept in (0, 2, 4):  # killed before, between and after the skipped records
        out = tmp_path / f"labels{kept}.jsonl"
        torn = '{"thread_id": "t3", "comment_id": "lo'
        partial_path(out).write_text("".join(line + "\n" for line in done[:kept]) + torn)
        result = _label(hostile_file, out, tiny_model_dir, "--resume")
        assert result.returncode == 3, result.stderr
        assert not partial_path(out).exists()
        records = [json.loads(line) for line in out.read_text().splitlines()]
        assert [(r["thread_id"], r["comment_id"]) for r in records] == SURVIVORS
        assert [r["text"] for r in records] == [json.loads(line)["text"] for line in done]
