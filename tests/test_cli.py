"""The CLI through typer's runner and through `main()` (exit codes, one-sentence errors)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from stance.cli import app
from stance.errors import SKIPPED_EXIT_CODE

runner = CliRunner()


def _run_main(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    code = "from stance.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], input=stdin.decode() if stdin
                          else None, capture_output=True, text=True, timeout=120)


def _thread_line(**extra: object) -> str:
    obj = {"thread_id": "t1", "comments": [{"id": "a", "text": "first"},
                                           {"id": "b", "parent_id": "a", "text": "second"}]}
    obj.update(extra)
    return json.dumps(obj)


def test_help_lists_the_contract_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("parse", "label", "report", "train", "evaluate"):
        assert command in result.output


def test_help_is_fast_and_does_not_import_torch() -> None:
    code = ("import sys, time; t=time.perf_counter(); from stance.cli import app; "
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False"]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "stance.cli", "--help"], capture_output=True, timeout=60)
    assert time.perf_counter() - start < 5


def test_parse_round_trips_and_repairs(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    broken = {"thread_id": "t2", "comments": [{"id": "a", "text": "x", "parent_id": "a"},
                                              {"id": "a", "text": "y", "parent_id": "ghost"}]}
    src.write_text(_thread_line() + "\n" + json.dumps(broken) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["parse", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in out.read_text().splitlines())
    assert first["comments"][1]["parent_id"] == "a" and first["warnings"] == []
    assert [c["id"] for c in second["comments"]] == ["a", "a~2"]
    assert all(c["parent_id"] is None for c in second["comments"])
    assert len(second["warnings"]) == 3


def test_parse_to_stdout() -> None:
    result = _run_main("parse", "-", "--format", "jsonl", stdin=(_thread_line() + "\n").encode())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["thread_id"] == "t1"


def test_missing_file_is_one_sentence_exit_2(tmp_path: Path) -> None:
    result = _run_main("parse", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"stance: {tmp_path / 'nope.jsonl'}: no such file"


def test_malformed_json_line_is_skipped_named_and_exits_3(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text(_thread_line() + "\n{oops\n")
    out = tmp_path / "out.jsonl"
    result = _run_main("parse", str(src), "--output", str(out))
    assert result.returncode == SKIPPED_EXIT_CODE == 3
    warning, summary = result.stderr.strip().splitlines()
    assert f"{src}, line 2: not valid JSON" in warning and warning.endswith("; skipped")
    assert summary.startswith("stance: finished, but 1 bad input record(s) skipped")
    assert "Traceback" not in result.stderr
    assert len(out.read_text().splitlines()) == 1  # the good thread was written


def test_a_file_of_nothing_but_malformed_lines_is_one_sentence_exit_2(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text("{oops\n[1]\n")
    out = tmp_path / "out.jsonl"
    result = _run_main("parse", str(src), "--output", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"stance: {src}, line 1: not valid JSON (Expecting property name enclosed in double "
        "quotes at column 2) (and no other line holds a thread)"]
    assert not out.exists()  # atomic: no half-written output


def test_empty_file_and_binary_junk(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(bytes(range(256)) * 40)
    for path in (empty, junk):
        result = _run_main("parse", str(path), "--output", str(tmp_path / "o.jsonl"))
        assert "Traceback" not in result.stderr
        assert result.returncode in (0, 2)
        if result.returncode:
            assert len(result.stderr.strip().splitlines()) == 1


def test_debug_shows_traceback(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text("{oops\n")
    result = _run_main("--debug", "parse", str(src))
    assert result.returncode == 2 and "Traceback" in result.stderr


def test_unknown_option_is_usage_error() -> None:
    result = _run_main("parse", "--no-such-flag", "x")
    assert result.returncode == 2
