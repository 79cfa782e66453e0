"""The sharded output directory: atomic parts, markers, resume checks, merging."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from stance.distributed import output as out
from stance.distributed.shards import Shard
from stance.errors import InputError

SETTINGS = {"model": "abc", "target": None}


def _shard(index: int, source: str = "a.jsonl") -> Shard:
    return Shard(index=index, source=source, location=f"/data/{source}", kind="jsonl",
                 start=index * 10, end=index * 10 + 10, size=100)


def _finish(shard_dir: Path, shard: Shard, records: list[dict[str, object]]) -> None:
    comments, nbytes = out.write_part(str(shard_dir), shard.index, records)
    out.write_marker(str(shard_dir), shard, {"threads": 1, "comments": comments,
                                             "bytes": nbytes, "settings": SETTINGS})


def test_plan_output_kinds(tmp_path: Path) -> None:
    assert out.plan_output(str(tmp_path / "labels"), resume=False) == out.OutputPlan(
        str(tmp_path / "labels"))
    as_file = out.plan_output(str(tmp_path / "labels.jsonl"), resume=True)
    assert as_file == out.OutputPlan(str(tmp_path / "labels.jsonl.parts"),
                                     merged=str(tmp_path / "labels.jsonl"), owned=True)
    assert out.plan_output("s3://bucket/labels/", resume=True).shard_dir == "s3://bucket/labels/"
    (tmp_path / "old").write_text("")
    assert out.plan_output(str(tmp_path / "old"), resume=False).merged == str(tmp_path / "old")
    stdout = out.plan_output("-", resume=False)
    assert stdout.merged == "-" and stdout.owned and Path(stdout.shard_dir).is_dir()
    Path(stdout.shard_dir).rmdir()
    with pytest.raises(InputError, match="--resume needs --output"):
        out.plan_output("-", resume=True)
    with pytest.raises(InputError, match="directory prefix"):
        out.plan_output("s3://bucket/labels.jsonl", resume=False)


def test_markers_let_resume_skip_only_complete_shards(tmp_path: Path) -> None:
    shards = [_shard(0), _shard(1), _shard(2)]
    _finish(tmp_path, shards[0], [{"comment_id": "a"}])
    _finish(tmp_path, shards[1], [{"comment_id": "b"}, {"comment_id": "c"}])
    (tmp_path / out.part_name(2)).write_text('{"comment_id": "half')  # no marker: redo
    assert sorted(out.finished_shards(str(tmp_path), shards, SETTINGS)) == [0, 1]
    (tmp_path / out.part_name(1)).write_text("tampered\n")  # size no longer matches
    assert sorted(out.finished_shards(str(tmp_path), shards, SETTINGS)) == [0]


@pytest.mark.parametrize("change", ["settings", "shard"])
def test_resume_refuses_output_of_another_run(tmp_path: Path, change: str) -> None:
    _finish(tmp_path, _shard(0), [{"comment_id": "a"}])
    settings = {**SETTINGS, "target": "other"} if change == "settings" else SETTINGS
    shards = [_shard(0, "b.jsonl")] if change == "shard" else [_shard(0)]
    with pytest.raises(InputError, match="other inputs or settings; rerun without --resume"):
        out.finished_shards(str(tmp_path), shards, settings)


def test_clear_removes_only_our_files(tmp_path: Path) -> None:
    _finish(tmp_path, _shard(0), [{"comment_id": "a"}])
    out.write_manifest(str(tmp_path), [json.loads((tmp_path / "part-00000.done").read_text())])
    (tmp_path / "notes.txt").write_text("mine")
    assert out.clear(str(tmp_path)) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert out.clear(str(tmp_path / "absent")) == 0


def test_merge_concatenates_in_shard_order(tmp_path: Path) -> None:
    for index in (2, 0, 1):
        _finish(tmp_path, _shard(index), [{"comment_id": f"c{index}-{k}"} for k in range(2)])
    merged = tmp_path / "all.jsonl"
    out.merge(str(tmp_path), 3, str(merged))
    ids = [json.loads(line)["comment_id"] for line in merged.read_text().splitlines()]
    assert ids == ["c0-0", "c0-1", "c1-0", "c1-1", "c2-0", "c2-1"]


def test_failed_part_write_leaves_nothing(tmp_path: Path) -> None:
    def records() -> Iterator[dict[str, object]]:
        yield {"comment_id": "a"}
        raise RuntimeError("model crashed")

    with pytest.raises(RuntimeError):
        out.write_part(str(tmp_path), 0, records())
    assert list(tmp_path.iterdir()) == []
