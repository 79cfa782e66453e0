"""OUTPUT.partial: torn lines, resume bookkeeping, atomic commit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.errors import InputError
from stance.infer.writer import PartialWriter, partial_path


def record(i: int, model: str = "m@1") -> str:
    return json.dumps({"thread_id": "t", "comment_id": f"c{i}", "model": model})


def test_output_appears_only_on_commit(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "labels.jsonl"
    writer = PartialWriter(out, flush_every=2)
    for i in range(5):
        writer.write(record(i))
    assert not out.exists() and partial_path(out).exists()
    writer.commit()
    assert not partial_path(out).exists()
    assert [json.loads(x)["comment_id"] for x in out.read_text().splitlines()] == \
        [f"c{i}" for i in range(5)]


def test_resume_drops_a_torn_last_line_and_keeps_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "labels.jsonl"
    partial_path(out).write_text("\n".join(record(i) for i in range(3)) + "\n"
                                 + '{"thread_id": "t", "comm')
    writer = PartialWriter(out, resume=True, model_tag="m@1")
    assert writer.done == 3
    assert list(writer.done_keys()) == [("t", "c0"), ("t", "c1"), ("t", "c2")]
    writer.write(record(3))
    writer.commit()
    lines = out.read_text().splitlines()
    assert [json.loads(x)["comment_id"] for x in lines] == ["c0", "c1", "c2", "c3"]


def test_a_corrupt_line_ends_what_counts_as_done(tmp_path: Path) -> None:
    out = tmp_path / "labels.jsonl"
    partial_path(out).write_bytes((record(0) + "\n").encode() + b"\x00\x00garbage\n"
                                  + (record(2) + "\n").encode())
    writer = PartialWriter(out, resume=True)
    assert writer.done == 1
    writer.close()
    assert partial_path(out).read_text() == record(0) + "\n"


def test_resume_refuses_another_models_output(tmp_path: Path) -> None:
    out = tmp_path / "labels.jsonl"
    partial_path(out).write_text(record(0, model="old@0") + "\n")
    with pytest.raises(InputError, match="written by model 'old@0'"):
        PartialWriter(out, resume=True, model_tag="m@1")


def test_without_resume_an_old_partial_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "labels.jsonl"
    partial_path(out).write_text(record(0) + "\n" + record(1) + "\n")
    writer = PartialWriter(out)
    assert writer.done == 0
    writer.write(record(7))
    writer.commit()
    assert out.read_text() == record(7) + "\n"


def test_resume_without_a_partial_starts_over(tmp_path: Path) -> None:
    writer = PartialWriter(tmp_path / "labels.jsonl", resume=True)
    assert writer.done == 0 and list(writer.done_keys()) == []
    writer.close()


def test_a_last_record_without_its_newline_is_redone(tmp_path: Path) -> None:
    out = tmp_path / "labels.jsonl"
    partial_path(out).write_text(record(0) + "\n" + record(1) + "\n" + record(2))
    writer = PartialWriter(out, resume=True)
    assert writer.done == 2
    writer.write(record(2))
    writer.commit()
    assert [json.loads(x)["comment_id"] for x in out.read_text().splitlines()] == \
        ["c0", "c1", "c2"]
