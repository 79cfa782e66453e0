"""`stance label --engine ray` on a small local Ray instance with the tiny model.

The Ray engine must write exactly the records the local engine writes, resume shard by shard,
and skip a bad input line inside a worker as the local engine does. Skipped without the ray extra.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from ray_corpus import make_threads, write_jsonl
from typer.testing import CliRunner

from stance.cli import app
from stance.distributed.ray_engine import RayOptions, label_with_ray
from stance.errors import InputError
from stance.infer.config import InferenceConfig
from stance.thread.parse import parse_paths

ray = pytest.importorskip("ray")
#: Ray Data's own deprecation notices (its context copies deprecated fields), not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CONFIG = InferenceConfig(device="cpu", quantize="none", batch_size=8, threads=1)
#: Small shards so that a 12-thread corpus spans several of them.
OPTIONS = RayOptions(num_workers=2, shard_bytes=700)


@pytest.fixture(scope="module", autouse=True)
def ray_instance() -> Iterator[None]:
    """One small local Ray for the module: 2 CPUs, a 300 MB object store, no dashboard."""
    ray.init(num_cpus=2, object_store_memory=300 * 1024 * 1024, include_dashboard=False,
             configure_logging=False, log_to_driver=False,
             runtime_env={"env_vars": {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                                       "OMP_NUM_THREADS": "1"}})
    yield
    ray.shutdown()


def _local_records(model_dir: Path, inputs: list[str]) -> list[dict[str, Any]]:
    from stance.infer.labeler import Labeler

    return list(Labeler(str(model_dir), CONFIG).label(parse_paths(inputs)))


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _parts(shard_dir: Path) -> list[dict[str, Any]]:
    return [r for part in sorted(shard_dir.glob("part-*.jsonl")) for r in _read(part)]


def assert_same_records(got: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    """Same records in the same order: labels equal, scores within 1e-5."""
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        assert a.keys() == b.keys()
        assert _scores(a) == pytest.approx(_scores(b), abs=1e-5)
        assert _without_scores(a) == _without_scores(b)


def _scores(record: dict[str, Any]) -> dict[str, float]:
    flat: dict[str, float] = {}
    for head, value in record.items():
        if isinstance(value, dict):
            for name, score in (value.get("scores") or {}).items():
                flat[f"{head}.{name}"] = score
            if "score" in value:
                flat[f"{head}.score"] = value["score"]
    return flat


def _without_scores(record: dict[str, Any]) -> dict[str, Any]:
    return {k: ({kk: vv for kk, vv in v.items() if kk not in ("scores", "score")}
                if isinstance(v, dict) else v) for k, v in record.items()}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path
              ) -> tuple[Path, list[str], list[dict[str, Any]]]:
    """One Ray run over a JSONL file (several byte-range shards) and a Parquet file (several
    row-group shards) into a shard directory, and the local engine's records for them."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    root = tmp_path_factory.mktemp("first_run")
    corpus = write_jsonl(root / "threads.jsonl", make_threads(), blank_every=4)
    extra = make_threads(5, seed=3)
    pq.write_table(pa.Table.from_pylist([{"target": None, **t} for t in extra]),
                   root / "more.parquet", row_group_size=2)
    (root / "ref").mkdir()
    same_as_parquet = write_jsonl(root / "ref" / "more.jsonl", extra)
    expected = _local_records(tiny_model_dir, [str(corpus), str(same_as_parquet)])
    inputs = [str(corpus), str(root / "more.parquet")]
    label_with_ray(inputs, str(root / "labels"), model=str(tiny_model_dir), config=CONFIG,
                   options=OPTIONS)
    return root / "labels", inputs, expected


def test_ray_engine_writes_the_local_engines_records(
        first_run: tuple[Path, list[str], list[dict[str, Any]]]) -> None:
    shard_dir, _, expected = first_run
    assert_same_records(_parts(shard_dir), expected)
    manifest = json.loads((shard_dir / "manifest.json").read_text())
    assert manifest["comments"] == len(expected) and manifest["backends"] == ["torch-fp32"]
    assert [s["part"] for s in manifest["shards"]] == [
        f"part-{i:05d}.jsonl" for i in range(len(manifest["shards"]))]
    assert len({s["source"] for s in manifest["shards"]}) == 2 and len(manifest["shards"]) > 4


def test_resume_labels_only_the_unfinished_shards(
        first_run: tuple[Path, list[str], list[dict[str, Any]]], tmp_path: Path,
        tiny_model_dir: Path) -> None:
    shard_dir = tmp_path / "labels"
    shutil.copytree(first_run[0], shard_dir)
    inputs, expected = first_run[1], first_run[2]
    parts = sorted(shard_dir.glob("part-*.jsonl"))
    stamps = {p.name: p.stat().st_mtime_ns for p in parts}
    (shard_dir / "part-00001.done").unlink()        # killed before its marker
    parts[2].write_text(parts[2].read_text()[:40])    # cut short after its marker
    run = partial(label_with_ray, inputs, str(shard_dir), model=str(tiny_model_dir),
                  config=CONFIG, options=RayOptions(num_workers=1, shard_bytes=700))

    run(resume=True)

    assert_same_records(_parts(shard_dir), expected)
    changed = {p.name for p in parts if p.stat().st_mtime_ns != stamps[p.name]}
    assert changed == {"part-00001.jsonl", "part-00002.jsonl"}
    with pytest.raises(InputError, match="other inputs or settings"):
        run(resume=True, target="other")


def test_bad_line_inside_a_worker_is_skipped_as_locally(tmp_path: Path,
                                                        tiny_model_dir: Path) -> None:
    """A line that holds no thread costs only itself: both engines label the rest, write the
    same records and exit 3 naming the file and line."""
    lines = [json.dumps(t) for t in make_threads()]
    lines[9] = '{"thread_id": "t9", "comments": [oops'
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text("\n".join(lines) + "\n")
    common = ["label", str(corpus), "--model", str(tiny_model_dir), "--device", "cpu",
              "--quantize", "none"]
    local = CliRunner().invoke(app, [*common, "--output", str(tmp_path / "local.jsonl")])
    assert local.exit_code == 3, local.output
    result = CliRunner().invoke(app, [*common, "--engine", "ray", "--num-workers", "1",
                                      "--output", str(tmp_path / "ray.jsonl")])
    assert result.exit_code == 3, result.output
    assert "1 bad input record(s) skipped (1 in" in result.output
    assert_same_records(_read(tmp_path / "ray.jsonl"), _read(tmp_path / "local.jsonl"))


def test_file_without_a_thread_is_one_sentence(tmp_path: Path, tiny_model_dir: Path) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"thread_id": "t0", "comments": [oops\n[1, 2]\n')
    with pytest.raises(InputError, match=r"bad\.jsonl, line 1: not valid JSON"):
        label_with_ray([str(corpus)], str(tmp_path / "out"), model=str(tiny_model_dir),
                       config=CONFIG, options=RayOptions(num_workers=1, shard_bytes=700))


def test_cli_engines_agree(tmp_path: Path, tiny_model_dir: Path) -> None:
    """`stance label` and `stance label --engine ray` write the same file."""
    corpus = write_jsonl(tmp_path / "threads.jsonl", make_threads(6))
    common = ["label", str(corpus), "--model", str(tiny_model_dir), "--device", "cpu",
              "--quantize", "none"]
    local = CliRunner().invoke(app, [*common, "--output", str(tmp_path / "local.jsonl")])
    assert local.exit_code == 0, local.output
    merged = tmp_path / "ray.jsonl"
    result = CliRunner().invoke(app, [*common, "--engine", "ray", "--num-workers", "1",
                                      "--output", str(merged)])
    assert result.exit_code == 0, result.output
    assert_same_records(_read(merged), _read(tmp_path / "local.jsonl"))
    assert not (tmp_path / "ray.jsonl.parts").exists()  # merged, then removed


def test_gpu_workers_need_a_gpu_on_a_local_instance(tmp_path: Path,
                                                    tiny_model_dir: Path) -> None:
    if ray.cluster_resources().get("GPU"):
        pytest.skip("this machine has a GPU")
    corpus = write_jsonl(tmp_path / "threads.jsonl", make_threads(3))
    with pytest.raises(InputError, match="no GPU"):
        label_with_ray([str(corpus)], str(tmp_path / "out"), model=str(tiny_model_dir),
                       options=RayOptions(num_gpus_per_worker=1, address=None))
