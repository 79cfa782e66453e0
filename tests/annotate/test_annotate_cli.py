"""`stance sample` and `stance import` through the CLI: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stance.cli import app, main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "annotate"
runner = CliRunner()


def _main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["stance", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err


def test_sample_then_import(tmp_path: Path) -> None:
    out = tmp_path / "batch.json"
    result = runner.invoke(app, ["sample", str(FIXTURES / "labels.jsonl"), "--strategy",
                                 "disagreement", "--n", "3", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "sampled 3 of" in result.output
    tasks = json.loads(out.read_text())
    assert tasks[0]["data"]["comment_id"] == "c2"
    assert (tmp_path / "batch.csv").is_file() and (tmp_path / "batch.label_config.xml").is_file()
    train = tmp_path / "train.jsonl"
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["import", str(FIXTURES / "labelstudio_export.json"),
                                 str(tmp_path / "batch.csv"), "-o", str(train),
                                 "--report", str(report)])
    assert result.exit_code == 0, result.output
    # 4 rows from the export, 3 from the CSV; t1/c2 and t1/c3 are in both: the CSV (later) wins.
    assert "kept 5 row(s)" in result.output and "task 103 (t1/c4)" in result.output
    assert "2 duplicate comments" in result.output
    assert len(train.read_text().splitlines()) == 5
    assert json.loads(report.read_text())["kept"] == 5


def test_sample_heads_and_model_thresholds(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "stance_config.json").write_text(json.dumps({"thresholds": {"conspiracy": 0.9}}))
    out = tmp_path / "s"
    result = runner.invoke(app, ["sample", str(FIXTURES / "labels.jsonl"), "--heads",
                                 "conspiracy", "--model", str(model), "-n", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "s.json").read_text())[0]["data"]["comment_id"] == "c3"
    assert json.loads((tmp_path / "s.json").read_text())[0]["data"]["thread_id"] == "t2"


def test_import_reads_stdin(tmp_path: Path) -> None:
    data = (FIXTURES / "labelstudio_export_min.json").read_text()
    result = runner.invoke(app, ["import", "-", "-o", str(tmp_path / "o.jsonl")], input=data)
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "o.jsonl").read_text().splitlines()) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["sample", "missing.jsonl", "-o", "{tmp}/x"], "missing.jsonl: no such file"),
    (["sample", "{fixtures}/labels.jsonl", "-o", "-"], "give --output a file name"),
    (["sample", "{fixtures}/labels.jsonl", "-o", "{tmp}/x", "--heads", "humour"],
     "unknown head(s) humour"),
    (["sample", "{fixtures}/labels.jsonl", "-o", "{tmp}/x", "--strategy", "loud"],
     "Invalid value"),
    (["import", "{fixtures}/labels.jsonl", "-o", "{tmp}/o.jsonl"], "line 1: looks like label "
                                                                    "records"),
    (["import", "{tmp}/notes.csv", "-o", "{tmp}/o.jsonl"], "notes.csv, line 1: has no 'text'"),
    (["import", "{tmp}/broken.json", "-o", "{tmp}/o.jsonl"], "broken.json, line 1: not valid"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str], args: list[str],
                                          message: str) -> None:
    (tmp_path / "broken.json").write_text("[{")
    (tmp_path / "notes.csv").write_text("comment,stance\nnice,favor\n")
    monkeypatch.chdir(tmp_path)
    args = [a.format(tmp=tmp_path, fixtures=FIXTURES) for a in args]
    code, err = _main(monkeypatch, capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "o.jsonl").exists() and not (tmp_path / "x.json").exists()
