"""Shard planning and reading: every thread in exactly one shard, read as `stance parse` would."""

from __future__ import annotations

import io
import json
import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ray_corpus import make_threads, write_jsonl

from stance.distributed.ray_engine import report_notes
from stance.distributed.shards import (
    Shard,
    ShardNotes,
    _line_range,
    list_inputs,
    plan_shards,
    read_shard,
)
from stance.errors import InputError
from stance.io import collect_input_notes
from stance.thread.parse import ParseOptions, parse_paths


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """threads.jsonl with blank lines between some threads."""
    return write_jsonl(tmp_path / "threads.jsonl", make_threads(), blank_every=4)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.text(alphabet="ab\r{}é", max_size=12), max_size=20),
       trailing=st.booleans(), shard_bytes=st.integers(min_value=1, max_value=40))
def test_every_line_lands_in_exactly_one_shard(lines: list[str], trailing: bool,
                                               shard_bytes: int) -> None:
    data = ("\n".join(lines) + ("\n" if trailing and lines else "")).encode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.jsonl"
        path.write_bytes(data)
        shards = plan_shards([str(path)], shard_bytes)
        got = [(offset, line) for shard in shards for offset, line in _line_range(shard)]
    expected = io.BytesIO(data).readlines()  # split at "\n" only, as the local reader does
    assert [line for _, line in got] == expected
    assert [offset for offset, _ in got] == [sum(map(len, expected[:i]))
                                             for i in range(len(expected))]
    assert [s.index for s in shards] == list(range(len(shards)))


@pytest.mark.parametrize("shard_bytes", [1, 50, 333, 10**9])
def test_split_jsonl_reads_like_parse(corpus: Path, shard_bytes: int) -> None:
    shards = plan_shards([str(corpus)], shard_bytes)
    assert (len(shards) > 3) == (shard_bytes < 1000)
    got = [t for shard in shards for t in read_shard(shard, ParseOptions())]
    assert got == list(parse_paths([str(corpus)]))
    assert "threads-5" in {t.thread_id for t in got}  # default id counts blank lines too


def test_target_option_and_repairs_match_parse(corpus: Path) -> None:
    options = ParseOptions(target="the bridge")
    got = [t for s in plan_shards([str(corpus)], 200) for t in read_shard(s, options)]
    assert got == list(parse_paths([str(corpus)], options))
    assert {t.target for t in got} == {"the bridge", "the stadium tax"}
    assert any(t.warnings for t in got)


def test_bad_line_in_a_late_shard_is_skipped_and_named(tmp_path: Path) -> None:
    """A worker skips a line that holds no thread, as `stance label` does, and keeps its
    file and line for the driver; the other threads of every shard are read."""
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(t) for t in make_threads(6)]
    lines[4] = "{oops"
    path.write_text("\n".join(lines) + "\n")
    shards = plan_shards([str(path)], 100)
    notes = [ShardNotes(s.source) for s in shards]
    got = [t for shard, kept in zip(shards, notes, strict=True)
           for t in read_shard(shard, None, kept)]
    assert got == list(parse_paths([str(path)]))  # what `stance parse` reads of it
    assert len(got) == 5
    skipped = [note for kept in notes for note in kept.to_dict()["notes"] if note[0]]
    assert len(skipped) == 1 and skipped[0][2] == 5 and "not valid JSON" in skipped[0][1]
    assert sum(kept.skipped for kept in notes) == 1


def test_driver_reports_worker_skips_and_counts_them(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """The notes in the shards' markers become the warnings and the exit status that
    `stance label` gives; a file no line of which holds a thread is one sentence."""
    marker = {"shard": {"source": "a.jsonl"}, "threads": 3, "skipped": 25, "repaired": 1,
              "notes": [[True, "not valid JSON (x)", 7, None], [False, "'author' is a list", 9,
                                                                 "c1"]]}
    with collect_input_notes() as counted, caplog.at_level(logging.WARNING):
        report_notes([marker, {"shard": {"source": "b.jsonl"}, "threads": 2}])
    assert counted.skipped == 25 and counted.repaired == 1 and counted.files == {"a.jsonl": 25}
    assert "a.jsonl, line 7: not valid JSON (x); skipped" in caplog.text
    assert "24 more record(s)" in caplog.text
    empty = {"shard": {"source": "c.jsonl"}, "threads": 0, "skipped": 1,
             "notes": [[True, "expected a JSON object", 2, None]]}
    with pytest.raises(InputError, match=r"c\.jsonl, line 2: expected a JSON object \(and no"):
        report_notes([empty])


def test_parquet_row_groups_become_shards(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    threads = make_threads(10)
    rows = [{"thread_id": None, "target": None, **t} for t in threads]  # one schema for all
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "threads.parquet", row_group_size=3)
    (tmp_path / "ref").mkdir()
    reference = write_jsonl(tmp_path / "ref" / "threads.jsonl", threads)
    shards = plan_shards([str(tmp_path / "threads.parquet")], 1)
    assert [(s.kind, s.start, s.end, s.first_row) for s in shards] == [
        ("parquet", 0, 1, 0), ("parquet", 1, 2, 3), ("parquet", 2, 3, 6), ("parquet", 3, 4, 9)]
    got = [t for shard in shards for t in read_shard(shard)]
    assert got == list(parse_paths([str(reference)]))


def test_parquet_without_comments_is_refused(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"x": [1]}), tmp_path / "x.parquet")
    with pytest.raises(InputError, match="no 'comments' column"):
        plan_shards([str(tmp_path / "x.parquet")])


def test_directories_expand_to_sorted_thread_files(tmp_path: Path) -> None:
    for name in ("b.jsonl", "a.ndjson", "notes.txt", "sub/c.jsonl"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("")
    found = [source for source, _, _ in list_inputs([str(tmp_path)])]
    assert found == [str(tmp_path / n) for n in ("a.ndjson", "b.jsonl", "sub/c.jsonl")]


@pytest.mark.parametrize("name, message", [("-", "cannot read stdin"),
                                           ("missing.jsonl", "no such file"),
                                           ("empty_dir", "holds no thread JSONL")])
def test_unusable_inputs_are_one_sentence(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(InputError, match=message):
        plan_shards([name if name == "-" else str(tmp_path / name)])


def test_raw_files_are_one_shard_parsed_whole(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "threads.txt", make_threads(4))  # detected by content
    (shard,) = plan_shards([str(path)], 10)
    assert shard.kind == "raw"
    assert list(read_shard(shard)) == list(parse_paths([str(path)]))


def test_shard_round_trips_through_a_dict() -> None:
    shard = Shard(index=3, source="a.jsonl", location="/x/a.jsonl", kind="jsonl", start=5,
                  end=9, size=20)
    assert Shard.from_dict(json.loads(json.dumps(shard.to_dict()))) == shard
