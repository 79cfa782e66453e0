"""`make bench` and `make bench-memory` run end to end (tiny sizes) and report what they must."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_bench_reports_rates_ratio_memory_and_ceiling(tmp_path: Path, tiny_model_dir: Path,
                                                      infer_cache: str) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "stance.bench", "--model", str(tiny_model_dir),
                             "--comments", "80", "--naive-comments", "8", "--json", str(out),
                             "--cache-dir", infer_cache], capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text())
    assert data["stance"]["comments"] == 80 and data["stance"]["rate"] > 0
    assert data["stance"]["peak_rss_mb"] > 0 and len(data["stance"]["runs_s"]) == 3
    assert data["naive"]["comments"] == 8
    assert {r["config"] for r in data["backends"]} >= {"torch fp32",
                                                       "onnx int8 (per channel)"}
    assert all("mean_abs" in r for r in data["backends"][1:] if r["backend"] != "none")
    assert data["verdict"]["ceiling_share_steady"] > 0
    assert data["ceiling"]["fp32"] > 0 and data["ceiling"]["int8"] > 0
    assert data["verdict"]["flops_per_comment"] > 0
    assert "x naive" in result.stdout and "matmul ceiling" in result.stdout


@pytest.mark.slow
def test_bench_memory_mode(tmp_path: Path, infer_cache: str) -> None:
    out = tmp_path / "mem.json"
    result = subprocess.run([sys.executable, "-m", "stance.bench", "--memory", "3000",
                             "--json", str(out), "--cache-dir", infer_cache],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = json.loads(out.read_text())["memory"]
    assert [(r["comments"], r["quantize"]) for r in rows] == [
        (300, "auto"), (300, "none"), (3000, "auto"), (3000, "none")]
    assert all(r["records"] == r["comments"] and r["peak_rss_mb"] > 50 for r in rows)
