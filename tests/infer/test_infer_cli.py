"""`stance label` through the real entry point: outputs, exit codes, one-sentence errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stance.infer.writer import partial_path

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
THREAD = {"thread_id": "t1", "article": {"title": "The new ferry", "text": ""},
          "comments": [{"id": "a", "text": "The ferry is a waste of money, CNN won't say it."},
                       {"id": "b", "parent_id": "a", "text": "I disagree, it saves me an hour."},
                       {"id": "c", "parent_id": "b", "text": "Source?"}]}


def stance(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from stance.cli import main; main()", *args],
                          input=stdin, capture_output=True, text=True, timeout=300)


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    path = tmp_path / "threads.jsonl"
    path.write_text(json.dumps(THREAD) + "\n" + json.dumps({**THREAD, "thread_id": "t2"}) + "\n")
    return path


def test_label_to_a_file(source: Path, tmp_path: Path, tiny_model_dir: Path,
                         infer_cache: str) -> None:
    out = tmp_path / "labels.jsonl"
    result = stance("label", str(source), "-o", str(out), "--model", str(tiny_model_dir))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["thread_id"], r["comment_id"], r["parent_id"]) for r in records] == [
        (t, c, p) for t in ("t1", "t2") for c, p in (("a", None), ("b", "a"), ("c", "b"))]
    assert records[0]["agreement"] is None and records[1]["agreement"] is not None
    assert records[0]["stance"]["target"] == "The new ferry"
    assert not partial_path(out).exists()
    assert result.stderr == ""  # no progress bar in a pipe, nothing else to say


def test_label_stdin_to_stdout_with_target(tiny_model_dir: Path, infer_cache: str) -> None:
    result = stance("label", "-", "--model", str(tiny_model_dir), "--target", "ferries",
                    "--quantize", "none", "--batch-size", "2", stdin=json.dumps(THREAD) + "\n")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3 and {r["stance"]["target"] for r in records} == {"ferries"}


@pytest.mark.parametrize("args,message", [
    (["label", "{missing}"], "no such file"),
    (["label", "{source}", "--resume"], "--resume needs --output FILE"),
    (["label", "{source}", "--model", "{tmp}"], "is not a stance model directory"),
    (["label", "{source}", "--quantize", "int4"], "Invalid value"),
])
def test_usage_errors_are_one_sentence_exit_2(args: list[str], message: str, source: Path,
                                               tmp_path: Path, tiny_model_dir: Path) -> None:
    filled = [a.format(missing=tmp_path / "nope.jsonl", source=source, tmp=tmp_path)
              for a in args]
    if "--model" not in filled:
        filled += ["--model", str(tiny_model_dir)]
    result = stance(*filled)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_bad_input_line_is_skipped_named_and_exits_3(tmp_path: Path, tiny_model_dir: Path,
                                                       infer_cache: str) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text(json.dumps(THREAD) + "\n{oops\n")
    out = tmp_path / "labels.jsonl"
    result = stance("label", str(src), "-o", str(out), "--model", str(tiny_model_dir))
    assert result.returncode == 3
    warning, summary = result.stderr.strip().splitlines()
    assert f"{src}, line 2: not valid JSON" in warning and "skipped" in summary
    assert len(out.read_text().splitlines()) == 3 and not partial_path(out).exists()


def test_a_file_with_no_thread_leaves_no_output(tmp_path: Path, tiny_model_dir: Path,
                                                infer_cache: str) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text("{oops\n")
    out = tmp_path / "labels.jsonl"
    result = stance("label", str(src), "-o", str(out), "--model", str(tiny_model_dir))
    assert result.returncode == 2
    assert "line 1" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_no_cuda_is_a_clear_error(source: Path, tiny_model_dir: Path) -> None:
    from stance.infer.backends import cuda_present

    if cuda_present():
        pytest.skip("this machine has CUDA")
    result = stance("label", str(source), "--model", str(tiny_model_dir), "--device", "cuda")
    assert result.returncode == 2 and "no CUDA device" in result.stderr


def test_raw_pages_are_parsed_first(tmp_path: Path, tiny_model_dir: Path,
                                    infer_cache: str) -> None:
    pages = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not pages:
        pytest.skip("../shared/seeds not found")
    parsed = stance("parse", str(pages[0]))
    assert parsed.returncode == 0, parsed.stderr
    expected = sum(len(json.loads(line)["comments"]) for line in parsed.stdout.splitlines())
    result = stance("label", str(pages[0]), "--model", str(tiny_model_dir))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == expected > 0


def test_no_reread_reads_each_comment_once(source: Path, tmp_path: Path,
                                           tiny_model_dir: Path, infer_cache: str) -> None:
    """A model with `reread_alone` gates: by default the claim heads take the reading without
    the target; --no-reread keeps the one reading under it. The other heads are the same."""
    import shutil

    model = tmp_path / "gated"
    shutil.copytree(tiny_model_dir, model)
    config = json.loads((model / "stance_config.json").read_text())
    config["reread_alone"] = {"media_bias": 0.0}
    (model / "stance_config.json").write_text(json.dumps(config))
    runs = {}
    for flag in ("--reread", "--no-reread"):
        out = tmp_path / f"{flag}.jsonl"
        result = stance("label", str(source), "-o", str(out), "--model", str(model),
                        "--quantize", "none", flag)
        assert result.returncode == 0, result.stderr
        runs[flag] = [json.loads(line) for line in out.read_text().splitlines()]
    for twice, once in zip(runs["--reread"], runs["--no-reread"], strict=True):
        assert twice["stance"] == once["stance"] and twice["sentiment"] == once["sentiment"]
        assert twice["media_bias"]["score"] != once["media_bias"]["score"]
