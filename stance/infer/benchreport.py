"""Tables and verdicts for `make bench`, and the peak-memory mode (`make bench-memory`)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: ONNX Runtime operators that are int8 matrix products.
INT8_GEMM_OPS = {"DynamicQuantizeMatMul", "MatMulIntegerToFloat", "MatMulInteger", "QAttention",
                 "QGemm"}
#: Targets of issue 5 on the 2-core CPU machine.
TARGET_RATIO = 2.5
TARGET_CEILING = 0.60

COLUMNS = (("config", "{}", 44), ("comments", "{:d}", 8), ("seconds", "{:.1f}", 8),
           ("rate", "{:.1f}", 10), ("x_naive", "{:.2f}", 7), ("peak_rss_mb", "{:.0f}", 8),
           ("mean_abs", "{:.4f}", 8), ("max_abs", "{:.4f}", 8), ("agreement", "{:.3f}", 6),
           ("agreement_all", "{:.3f}", 9), ("reread", "{:.1%}", 7))
HEADERS = {"rate": "comments/s", "x_naive": "x naive", "peak_rss_mb": "RSS MB",
           "mean_abs": "mean|d|", "max_abs": "max|d|", "agreement": "agree",
           "agreement_all": "agree all", "reread": "re-read"}


def _cell(row: dict[str, Any], key: str, fmt: str, width: int) -> str:
    value = row.get(key)
    text = "" if value is None else fmt.format(value)
    return text[:width].ljust(width) if key == "config" else text.rjust(width)


def table(rows: Sequence[dict[str, Any]]) -> str:
    head = "  ".join(HEADERS.get(k, k).ljust(w) if k == "config" else HEADERS.get(k, k).rjust(w)
                     for k, _, w in COLUMNS)
    lines = [head, "-" * len(head)]
    lines += ["  ".join(_cell(r, k, f, w) for k, f, w in COLUMNS) for r in rows]
    return "\n".join(lines)


def _precision(backend: str) -> str:
    if "int8" in backend:
        return "int8"
    if "bf16" in backend or "fp16" in backend:
        return "bf16"
    return "fp32"


def summarise(*, workload: dict[str, Any], lengths: list[int], flops: float,
              stance: dict[str, Any], naive: dict[str, Any], backends: list[dict[str, Any]],
              ceiling: dict[str, float], parser: list[dict[str, Any]], model: str,
              device: str, design: dict[str, float] | None = None,
              accuracy: list[dict[str, Any]] | None = None,
              profile: list[tuple[str, float]] | None = None,
              one_thread: float | None = None) -> dict[str, Any]:
    """Print the comparison and return it as one JSON-ready dict."""
    base = naive["rate"]
    naive_rows = [dict(naive, x_naive=1.0),
                  {"config": "    same, start-up included", "comments": naive["comments"],
                   "seconds": naive["seconds"] + naive["startup_s"],
                   "rate": naive["rate_with_startup"],
                   "x_naive": naive["rate_with_startup"] / base}]
    stance = dict(stance, x_naive=stance["rate"] / base)
    for row in backends:
        row["x_naive"] = row["rate"] / base
    precision = _precision(stance["backend"])
    peak = ceiling.get(precision, ceiling.get("fp32", 0.0))
    steady = next((r["rate"] for r in backends
                   if r["backend"] == stance["backend"] and r.get("primary")), None)
    verdict = {
        "ratio_with_startup": stance["x_naive"],
        "ceiling_gops": peak, "precision": precision, "flops_per_comment": flops,
        "ceiling_share_with_startup": stance["rate"] * flops / 1e9 / peak if peak else None,
        "ceiling_share_steady": steady * flops / 1e9 / peak if peak and steady else None,
        # The issue states the limit as "measured matmul GFLOP/s x FLOPs per comment": the
        # float ceiling. The int8 one above is the stricter bar for an int8 engine.
        "fp32_ceiling_gflops": ceiling.get("fp32"),
        "fp32_ceiling_share_steady": (steady * flops / 1e9 / ceiling["fp32"]
                                      if steady and ceiling.get("fp32") else None),
        "steady_rate": steady,
        "one_thread_rate": one_thread,
        "ceiling_share_1thread": (one_thread * flops / 1e9 / ceiling["int8_1thread"]
                                  if one_thread and ceiling.get("int8_1thread") else None),
    }
    _print(workload, lengths, flops, ceiling, naive_rows + [stance], backends, model, device,
           design)
    if accuracy:
        _print_accuracy(accuracy)
    if profile:
        gemm = sum(share for op, share in profile if op in INT8_GEMM_OPS)
        print("\nwhere ONNX Runtime int8 spends its kernel time: " + ", ".join(
            f"{op} {share:.0%}" for op, share in profile)
            + f" (int8 matmuls {gemm:.0%}: the rest runs at elementwise speed, far below the "
            "matmul ceiling)")
    _print_verdict(verdict, sys.stdout)
    if parser:
        print("\nparser throughput:")
        for row in parser:
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    return {"model": model, "device": device, "workload": workload,
            "tokens_per_comment": statistics.fmean(lengths), "ceiling": ceiling,
            "naive": naive, "stance": stance, "backends": backends, "verdict": verdict,
            "design": design, "accuracy": accuracy, "profile": profile, "parser": parser}


def _print(workload: dict[str, Any], lengths: list[int], flops: float,
           ceiling: dict[str, float], main_rows: list[dict[str, Any]],
           backends: list[dict[str, Any]], model: str, device: str,
           design: dict[str, float] | None) -> None:
    out = sys.stdout
    w = workload
    print(f"\nmodel {model} on {device}", file=out)
    print(f"workload: {w['comments']} synthetic reader comments in {w['threads']} threads, "
          f"words median {w['median_words']:.0f} / p90 {w['p90_words']} / p99 {w['p99_words']} "
          f"/ max {w['max_words']}, {w['reply_share']:.0%} replies; "
          f"{statistics.fmean(lengths):.1f} tokens per (target, comment) pair", file=out)
    print("matmul ceiling, measured now (FFN shape, m rows): " + ", ".join(
        f"{k} {v:.0f}" for k, v in ceiling.items()) + " G(FL)OP/s", file=out)
    print(f"useful FLOPs per comment (padding excluded): {flops / 1e9:.2f} GFLOP\n", file=out)
    print(table(main_rows), file=out)
    if backends:
        print("\nbackends on the same comments, start-up excluded; |d| and agreement vs "
              "the first row ('agree' counts rows fp32 decides by >= 0.02):", file=out)
        print(table(backends), file=out)
    for row in backends:
        for key, drift in row.items():
            if key.startswith("drift_vs_"):
                print(f"\n{row['config']} vs {key.removeprefix('drift_vs_')}: mean |d score| "
                      f"{drift['mean_abs']:.4f}, labels agree on {drift['agreement_all']:.1%}: "
                      "a batched int8 comment depends on its batch (the activation scale is "
                      "per batch), which is why ONNX int8 encodes comments one at a time",
                      file=out)
    if design:
        print("\ndesign (encoder tokens per comment, all heads): "
              f"one pass of target+comment, parent vector reused: {design['ours']:.1f}; "
              f"re-encoding each reply's parent: {design['reencode_parent']:.1f} "
              f"({design['reencode_parent'] / design['ours']:.2f}x the work); "
              f"one pass per head (4 single-input heads + agreement pairs): "
              f"{design['per_head']:.1f} ({design['per_head'] / design['ours']:.2f}x); "
              f"comment alone, no target: {design['no_target']:.1f} (stance blind to the "
              "target)", file=out)
    if design and "context_us_per_reply" in design:
        rate = next((r.get("rate") for r in main_rows if str(r.get("config", "")).startswith(
            "(b)")), None)
        share = (f" = {design['context_us_per_reply'] / (1e6 / rate):.2%} of (b)'s time per "
                 "comment" if rate else "")
        print(f"stance reads the parent through a context head on the two pooled vectors: "
              f"{design['context_us_per_reply']:.1f} us per reply on one thread{share}; "
              "putting the parent's text into the reply's pass instead would cost the "
              "re-encoding row above", file=out)


def _print_accuracy(rows: list[dict[str, Any]]) -> None:
    heads = [t for t in ("stance", "agreement", "sentiment", "media_bias", "conspiracy")
             if any(t in r for r in rows)]
    print(f"\nmacro-F1 on {rows[0]['rows']} annotated dev rows (../shared/data), "
          "per head:")
    print("  " + "config".ljust(46) + "".join(h.rjust(12) for h in heads))
    for row in rows:
        print("  " + row["config"][:46].ljust(46)
              + "".join((f"{row[h]:.3f}" if h in row else "").rjust(12) for h in heads))


def _print_verdict(v: dict[str, Any], out: Any) -> None:
    ratio = v["ratio_with_startup"]
    print(f"\n(b) / (a), start-up included: {ratio:.2f}x "
          f"[target >= {TARGET_RATIO}x: {'PASS' if ratio >= TARGET_RATIO else 'FAIL'}]", file=out)
    share = v["ceiling_share_steady"]
    e2e = v["ceiling_share_with_startup"]
    if share is not None:
        print(f"(b) at {share:.0%} of the {v['precision']} matmul ceiling "
              f"({v['steady_rate'] * v['flops_per_comment'] / 1e9:.0f} of "
              f"{v['ceiling_gops']:.0f} G/s) steady, {e2e:.0%} with start-up "
              f"[target >= {TARGET_CEILING:.0%}: "
              f"{'PASS' if share >= TARGET_CEILING else 'FAIL'}]", file=out)
    elif e2e is not None:
        print(f"(b) at {e2e:.0%} of the {v['precision']} matmul ceiling with start-up", file=out)
    fp32_share = v.get("fp32_ceiling_share_steady")
    if fp32_share is not None and v["precision"] != "fp32":
        print(f"(b) at {fp32_share:.0%} of the fp32 matmul ceiling "
              f"({v['fp32_ceiling_gflops']:.0f} GFLOP/s, the issue's 'matmul GFLOP/s') steady "
              f"[target >= {TARGET_CEILING:.0%}: "
              f"{'PASS' if fp32_share >= TARGET_CEILING else 'FAIL'}; the "
              f"{v['precision']} line above is the stricter bar]", file=out)
    if v.get("ceiling_share_1thread") is not None:
        print(f"on one thread: {v['one_thread_rate']:.1f} comments/s = "
              f"{v['ceiling_share_1thread']:.0%} of the one-thread int8 ceiling (on a shared "
              "machine the steadier figure)", file=out)


def memory_mode(args: argparse.Namespace) -> dict[str, Any]:
    """Peak RSS of `stance label` (a child process) on N and N/10 generated comments."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="stance-mem-") as tmp:
        work = Path(tmp)
        model = Path(args.memory_model) if args.memory_model else _tiny(work)
        env = _child_env(args.cache_dir or str(work / "cache"))
        counts = sorted({max(100, args.memory // 10), args.memory})
        _run_label(work, model, env, 100, args.seed, "auto")  # warm-up: makes the export
        for count in counts:
            for quantize in ("auto", "none"):
                rows.append(_run_label(work, model, env, count, args.seed, quantize))
    print(f"\npeak RSS of `stance label` (child process), model {model.name}:")
    for row in rows:
        print(f"  {row['comments']:>8} comments ({row['input_mb']:.0f} MB in), "
              f"--quantize {row['quantize']}: "
              f"{row['seconds']:.1f} s, {row['rate']:.0f} comments/s, "
              f"peak RSS {row['peak_rss_mb']:.0f} MB, {row['records']} records")
    return {"memory": rows, "model": str(model)}


def _run_label(work: Path, model: Path, env: dict[str, str], count: int, seed: int,
               quantize: str) -> dict[str, Any]:
    from stance.infer.benchkit import child_peak
    from stance.infer.synthetic import generate_threads
    from stance.thread.jsonl import write_threads

    source = work / f"in-{count}.jsonl"
    if not source.exists():
        write_threads(generate_threads(count, seed=seed), source)
    out = work / f"out-{count}.jsonl"
    cmd = [sys.executable, "-m", "stance.cli", "label", str(source), "-o", str(out),
           "--model", str(model), "--quantize", quantize]
    result = child_peak(cmd, env)
    if result["rc"] != 0:
        raise SystemExit(f"stance label failed: {result['stderr']}")
    with open(out, "rb") as handle:
        lines = sum(1 for _ in handle)
    return {"comments": count, "quantize": quantize, "input_mb": source.stat().st_size / 1e6,
            "seconds": result["seconds"], "rate": count / result["seconds"],
            "peak_rss_mb": result["peak_rss_mb"], "records": lines}


def _tiny(work: Path) -> Path:
    from stance.model.tiny import save_tiny_model

    return save_tiny_model(work / "tiny")


def _child_env(cache: str) -> dict[str, str]:
    import os

    return {**os.environ, "STANCE_CACHE": cache}
