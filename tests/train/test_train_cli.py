"""`stance train` / `stance evaluate` through the CLI: exit codes, messages, outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stance.cli import app

ROWS = [
    {"text": "Love it, best idea in years.", "target": "the plan", "stance": "favor"},
    {"text": "Terrible plan, scrap it.", "target": "the plan", "stance": "against"},
    {"text": "Is the plan on the ballot?", "target": "the plan", "stance": "query"},
    {"text": "Nice weather today.", "target": "the plan", "stance": "none"},
    {"text": "True.", "parent_text": "The plan costs too much.", "agreement": "agree"},
    {"text": "Not at all.", "parent_text": "The plan costs too much.", "agreement": "disagree"},
    {"text": "The press hides the truth on this.", "media_bias": True},
    {"text": "I like turtles.", "media_bias": False, "sentiment": "positive"},
]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _stance(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from stance.cli import main; sys.argv[0] = 'stance'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=300)


def test_bad_label_is_one_sentence_exit_2(tmp_path: Path) -> None:
    data = _write(tmp_path / "bad.jsonl", ROWS[:2] + [{"text": "x", "stance": "support"}])
    done = _stance("train", str(data), "--output", str(tmp_path / "m"))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"stance: {data}, line 3: stance label 'support' is not one "
                                   "of favor, against, query, none")


def test_evaluate_unknown_folder_exit_2(tmp_path: Path) -> None:
    done = _stance("evaluate", str(tmp_path))
    assert done.returncode == 2 and "no known dataset folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_train_then_evaluate(tmp_path: Path, tiny_model_dir: Path) -> None:
    data = _write(tmp_path / "rows.jsonl", ROWS * 3)
    runner = CliRunner()
    out = tmp_path / "model"
    result = runner.invoke(app, ["train", str(data), "--output", str(out), "--base",
                                 str(tiny_model_dir), "--epochs", "0.5", "--batch-size", "8",
                                 "--max-length", "32", "--device", "cpu", "--eval-fraction",
                                 "0.3"])
    assert result.exit_code == 0, result.output
    assert (out / "model.safetensors").is_file()
    metrics_path = tmp_path / "metrics.json"
    result = runner.invoke(app, ["evaluate", str(data), "--model", str(out), "--output",
                                 str(metrics_path), "--device", "cpu"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(metrics_path.read_text())
    assert metrics["n_rows"] == len(ROWS) * 3
    assert {"stance_macro_f1", "agreement_macro_f1", "media_bias_f1", "score"} <= set(metrics)
    assert metrics["model"].startswith("stance-minilm@")


def test_train_stance_only_file(tmp_path: Path, tiny_model_dir: Path) -> None:
    data = _write(tmp_path / "stance.jsonl", ROWS[:4] * 4)  # no agreement rows: no parents
    result = CliRunner().invoke(app, ["train", str(data), "--output", str(tmp_path / "m"),
                                      "--base", str(tiny_model_dir), "--epochs", "0.5",
                                      "--batch-size", "4", "--device", "cpu"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "m" / "training_summary.json").read_text())
    # 4 distinct texts: too few for a dev slice, so no evals and no calibration.
    assert summary["dev_rows"] == 0 and summary["history"] == [] and summary["best_dev"] == {}
    # without --max-length, a continued model keeps the length its base reads
    base_config = json.loads((tiny_model_dir / "stance_config.json").read_text())
    saved = json.loads((tmp_path / "m" / "stance_config.json").read_text())
    assert saved["max_length"] == base_config["max_length"]


def test_saved_max_length_reads_only_saved_stance_models(tmp_path: Path,
                                                         tiny_model_dir: Path) -> None:
    from stance.model.io import saved_max_length

    assert saved_max_length(tiny_model_dir) == json.loads(
        (tiny_model_dir / "stance_config.json").read_text())["max_length"]
    assert saved_max_length(None) is None and saved_max_length(tmp_path) is None
    (tmp_path / "stance_config.json").write_text("{not json", encoding="utf-8")
    assert saved_max_length(tmp_path) is None  # unreadable: the CLI default applies


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_help_lists_options(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "--output" in result.output


def test_evaluate_through_the_engine_matches_the_direct_path(tmp_path: Path,
                                                             tiny_model_dir: Path) -> None:
    """`--quantize none` labels every row with `stance label`'s engine (fp32 torch): the
    predictions, so the metrics, are those of the direct fp32 evaluation; `--quantize
    onnx-int8` scores the int8 records and says which backend made them."""
    data = _write(tmp_path / "rows.jsonl", ROWS * 2)
    runner = CliRunner()
    found = {}
    for name, extra in (("direct", []), ("engine", ["--quantize", "none"]),
                        ("int8", ["--quantize", "onnx-int8"])):
        path = tmp_path / f"{name}.json"
        result = runner.invoke(app, ["evaluate", str(data), "--model", str(tiny_model_dir),
                                     "--output", str(path), "--device", "cpu", *extra])
        assert result.exit_code == 0, result.output
        found[name] = json.loads(path.read_text())
    for key in ("stance_macro_f1", "agreement_macro_f1", "media_bias_f1", "stance_n",
                "agreement_n"):
        assert found["engine"][key] == pytest.approx(found["direct"][key]), key
    assert found["engine"]["backend"] == "torch-fp32"
    assert found["int8"]["backend"] == "onnx-int8"
    assert found["int8"]["n_rows"] == len(ROWS) * 2 and "score" in found["int8"]
    assert "backend" not in found["direct"]
