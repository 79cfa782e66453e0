"""`stance report` through the CLI: formats, --threads, exit codes and one-sentence errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stance.cli import app, main

runner = CliRunner()


def test_report_json_to_stdout(labels_dir: Path) -> None:
    result = runner.invoke(app, ["report", str(labels_dir / "small.labels.jsonl"),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["corpus"]["labels"]["stance"]["total"] == 7


def test_report_html_file_with_threads(labels_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(labels_dir / "demo.labels.jsonl"),
                                 "--threads", str(labels_dir / "demo.threads.jsonl"),
                                 "--max-threads", "2", "--output", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'aria-label="sentiment over time"' in html
    assert html.count('<details class="thread"') == 2
    assert "1 smaller thread(s) are not shown" in html


def test_report_md_several_inputs(labels_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = runner.invoke(app, ["report", str(labels_dir / "small.labels.jsonl"),
                                 str(labels_dir / "demo.labels.jsonl"), "-f", "md", "-o",
                                 str(out)])
    assert result.exit_code == 0, result.output
    assert "97 label records" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "needle"), [
    ("broken_json.labels.jsonl", "line 3: not valid JSON"),
    ("missing_id.labels.jsonl", "line 2: label record has no usable 'comment_id'"),
    ("empty.labels.jsonl", "is empty"),
    ("does-not-exist.jsonl", "no such file"),
])
def test_bad_input_is_one_sentence_and_exit_2(labels_dir: Path, tmp_path: Path, name: str,
                                              needle: str, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "never.html"
    monkeypatch.setattr(sys, "argv", ["stance", "report", str(labels_dir / name), "-o",
                                      str(out)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and err.startswith("stance: ")
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_bad_threads_file_is_exit_2(labels_dir: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["stance", "report", str(labels_dir / "small.labels.jsonl"),
                                      "--threads", str(tmp_path / "missing.jsonl")])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert "missing.jsonl" in capsys.readouterr().err


def test_report_package_never_imports_the_model() -> None:
    import subprocess

    code = ("import sys; from stance.report import aggregate_files, render; "
            "r = aggregate_files(['tests/fixtures/labels/small.labels.jsonl']); "
            "[render(r, f) for f in ('html', 'md', 'json')]; "
            "print(sorted(m for m in sys.modules if m in ('torch', 'transformers') "
            "or m.startswith(('stance.model', 'stance.infer'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
