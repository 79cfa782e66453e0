"""`make bench`: throughput of `stance label` against the naive per-comment pipeline.

One run of one command, one fixed synthetic workload of reader comments (median ~50 words, long
tail, threads with replies; `stance.infer.synthetic`):

  (b) `stance label`, all heads, end to end with start-up included: the command itself, run in
      a fresh interpreter (median of 3), so Python start, imports, model load, parsing and
      writing all count, and its peak RSS is its own;
  (a) `transformers.pipeline("text-classification")` on the same base encoder, one task, one
      call per comment (in this process, its start-up shown apart);
  then, in this process, every CPU backend (torch fp32 / int8, ONNX Runtime fp32 / int8) and
  batching variants on the same comments: speed, how far each one's scores are from fp32
  torch, macro-F1 per head on annotated dev rows; the matmul ceiling of this machine (measured
  now) x FLOPs per comment; where ONNX Runtime spends its time; the parser rows of
  `stance.bench_parse` when that module exists.

`--memory N` instead runs `stance label` on N generated comments in a child process and reports
its peak RSS (`make bench-memory`). `--model DIR` benchmarks another model (default: the shipped
model, else all-MiniLM-L6-v2 with random heads); `--device cuda` benchmarks the GPU path.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

logger = logging.getLogger("stance.bench")


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m stance.bench", description=__doc__.split("\n")[0])
    p.add_argument("--model", help="model directory (default: models/default or a random-head "
                                   "all-MiniLM-L6-v2)")
    p.add_argument("--comments", type=int, default=None,
                   help="comments labelled per configuration (default 1500 CPU, 100000 CUDA)")
    p.add_argument("--naive-comments", type=int, default=250)
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="cpu")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--json", help="also write the results as JSON to this path")
    p.add_argument("--skip-backends", action="store_true",
                   help="only (a) and (b): no backend comparison, no dev-set accuracy")
    p.add_argument("--memory", type=int, default=0, metavar="N",
                   help="peak-RSS mode: label N generated comments in a child process")
    p.add_argument("--memory-model", help="model for --memory (default: the tiny test model)")
    p.add_argument("--cache-dir", help="ONNX export cache (default ~/.cache/stance)")
    return p.parse_args(argv)


def _python() -> str:
    return sys.executable


def _prepare_model(args: argparse.Namespace, work: Path) -> Path:
    """The model directory, made (random heads) and exported to ONNX in a child process, so
    this process has not imported torch before measuring (b)."""
    from stance.model.io import default_model_dir, is_stance_model

    if args.model:
        model = Path(args.model)
    elif is_stance_model(default_model_dir()):
        model = default_model_dir()
    else:
        model = work / "minilm-random-heads"
        logger.warning("no trained model: using all-MiniLM-L6-v2 with random heads (%s)", model)
    code = ("import sys, torch; from pathlib import Path\n"
            "from stance.model.io import load_base, save_model, is_stance_model\n"
            "from stance.infer.select import ensure_export\n"
            "p = Path(sys.argv[1])\n"
            "if not is_stance_model(p):\n"
            "    torch.manual_seed(0); m, t = load_base(None); save_model(m, t, p, half=False)\n"
            "if sys.argv[2] == 'cpu': ensure_export(str(p), sys.argv[3] or None)\n")
    start = time.perf_counter()
    subprocess.run([_python(), "-c", code, str(model), args.device, args.cache_dir or ""],
                   check=True)
    logger.info("model ready (and exported to ONNX when not cached) in %.1f s",
                time.perf_counter() - start)
    return model


def _workload(n: int, seed: int, path: Path) -> tuple[list[Any], dict[str, float]]:
    from stance.infer.synthetic import generate_threads
    from stance.thread.jsonl import write_threads

    threads = list(generate_threads(n, seed=seed))
    write_threads(threads, path)
    words = sorted(len(c.text.split()) for t in threads for c in t.comments)
    replies = sum(c.parent_id is not None for t in threads for c in t.comments)
    stats = {"comments": len(words), "threads": len(threads),
             "median_words": statistics.median(words), "p90_words": words[int(len(words) * .9)],
             "p99_words": words[int(len(words) * .99)], "max_words": words[-1],
             "reply_share": replies / len(words)}
    return threads, stats


def _stance_end_to_end(source: Path, model: Path, args: argparse.Namespace, out: Path,
                       n: int, runs: int = 3) -> dict[str, Any]:
    """(b): the `stance label` command itself, in a fresh interpreter each time, so start-up is
    wholly included (Python, imports, model load, parse, write); its own peak RSS. The median
    of `runs` runs: on a shared machine one run can lose seconds to another process."""
    from stance.infer.benchkit import child_peak

    cmd = [_python(), "-m", "stance.cli", "label", str(source), "-o", str(out),
           "--model", str(model), "--device", args.device]
    env = {**os.environ, **({"STANCE_CACHE": args.cache_dir} if args.cache_dir else {})}
    results = [child_peak(cmd, env) for _ in range(runs)]
    failed = [r for r in results if r["rc"] != 0]
    if failed:
        raise SystemExit(f"stance label failed: {failed[0]['stderr']}")
    seconds = statistics.median(r["seconds"] for r in results)
    backend = "cuda" if args.device == "cuda" else _auto_backend(model, args)
    return {"config": f"(b) stance label, all heads [{backend}]", "comments": n,
            "seconds": seconds, "rate": n / seconds, "runs_s": [r["seconds"] for r in results],
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results), "backend": backend}


def _auto_backend(model: Path, args: argparse.Namespace) -> str:
    """What `quantize="auto"` runs on this CPU for `model` (from its cached calibration)."""
    from stance.infer.config import InferenceConfig
    from stance.infer.export import read_meta
    from stance.infer.select import auto_choice, ensure_export

    calibration = read_meta(ensure_export(str(model), args.cache_dir))["calibration"]
    choice = auto_choice(calibration, InferenceConfig())
    return "onnx-fp32" if choice == "onnx" else choice


def _variants(device: str) -> list[tuple[str, dict[str, Any], bool]]:
    """(name, InferenceConfig options, whether it is a plain backend rather than a variant)."""
    if device == "cuda":
        return [("cuda fp32", {"precision": "fp32"}, True),
                ("cuda bf16", {"precision": "bf16"}, True),
                ("cuda fp16", {"precision": "fp16"}, True)]
    return [("torch fp32", {"quantize": "none"}, True),
            ("torch int8 (per channel)", {"quantize": "int8"}, True),
            ("onnx fp32", {"quantize": "onnx"}, True),
            ("onnx int8 (per channel)", {"quantize": "onnx-int8"}, True),
            ("onnx int8, one pass (no claim re-read)", {"quantize": "onnx-int8",
                                                         "reread": False}, False),
            ("torch int8, batches of 64", {"quantize": "int8", "batch_size": 64}, False),
            ("torch fp32, batches of 64", {"quantize": "none", "batch_size": 64}, False),
            ("torch fp32, batches of 64 in input order", {"quantize": "none", "batch_size": 64,
                                                          "window": 64}, False)]


def _backends(threads: list[Any], model: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Steady-state speed (start-up excluded) and score deviation from the first variant."""
    from stance.infer import InferenceConfig, Labeler
    from stance.infer.benchkit import scores_from_records
    from stance.infer.calibrate import compare

    rows: list[dict[str, Any]] = []
    reference: dict[str, Any] | None = None
    n = sum(len(t.comments) for t in threads)
    for name, options, primary in _variants(args.device):
        config = InferenceConfig(device=args.device, cache_dir=args.cache_dir, progress=False,
                                 **options)
        labeler = Labeler(str(model), config)
        start = time.perf_counter()
        records = list(labeler.label(threads))
        seconds = time.perf_counter() - start
        scores = scores_from_records(records)
        row: dict[str, Any] = {"config": name, "backend": labeler.backend_name, "comments": n,
                               "seconds": seconds, "rate": n / seconds, "primary": primary,
                               "reread": labeler.engine.reread_count / n}
        if reference is None:
            reference = scores
        else:
            row.update(_deviation(compare(reference, scores, labeler.model_config)))
        same_backend = [r for r in rows if r["backend"] == row["backend"]]
        if same_backend and "int8" in row["backend"]:  # the same int8, cut differently
            drift = compare(same_backend[0]["scores"], scores, labeler.model_config)
            row["drift_vs_" + same_backend[0]["config"]] = _deviation(drift)
        rows.append({**row, "scores": scores})
        logger.info("%s: %.1f comments/s", name, n / seconds)
    for row in rows:
        del row["scores"]
    return rows


def _dev_accuracy(model: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Macro-F1 per head on annotated dev rows for the choices that could cost accuracy."""
    from stance.errors import InputError
    from stance.infer import InferenceConfig, Labeler
    from stance.infer.deveval import dev_rows, evaluate
    from stance.train.data import data_root

    try:
        root = data_root()
    except InputError:
        logger.warning("no annotated data (STANCE_DATA): skipping the dev-set accuracy check")
        return []
    rows = dev_rows(root, {"stance": 300, "agreement": 150, "sentiment": 150,
                           "media_bias": 150, "conspiracy": 150}, seed=args.seed)
    choices: list[tuple[str, dict[str, Any], bool]] = [
        ("torch fp32", {"quantize": "none"}, True),
        ("onnx int8", {"quantize": "onnx-int8"}, True),
        ("torch int8", {"quantize": "int8"}, True)]
    if args.device == "cuda":
        choices = [("cuda fp32", {"precision": "fp32"}, True),
                   ("cuda bf16", {"precision": "bf16"}, True)]
    choices.append((choices[1][0] + ", comment without its target", choices[1][1], False))
    out = []
    for name, options, with_target in choices:
        config = InferenceConfig(device=args.device, cache_dir=args.cache_dir, progress=False,
                                 **options)
        out.append({"config": name, "rows": len(rows),
                    **evaluate(Labeler(str(model), config), rows, with_target)})
        logger.info("dev macro-F1, %s: %s", name, out[-1])
    return out


def _profile(model: Path, threads: list[Any], args: argparse.Namespace
             ) -> list[tuple[str, float]]:
    """Where ONNX Runtime int8 spends its time on 200 of the comments (one at a time, as
    labelled)."""
    from stance.infer.benchkit import ort_profile
    from stance.infer.engine import Limits, plan_batches
    from stance.infer.select import ensure_export

    encoder = _encoder(model)
    pairs = [(t.effective_target, c.text) for t in threads for c in t.comments][:200]
    rows = encoder.encode([a for a, _ in pairs], [b for _, b in pairs])
    plan = plan_batches([len(r.ids) for r in rows], Limits(4, 4096, 2048, False))
    batches = [encoder.pad([rows[i] for i in idx]) for idx in plan]
    return ort_profile(ensure_export(str(model), args.cache_dir), batches)


def _one_thread(model: Path, threads: list[Any], args: argparse.Namespace) -> float:
    """ONNX Runtime int8 on one thread (comments/s): on a busy machine one core is more
    nearly free than two, so its share of the one-thread ceiling is the steadier figure."""
    from stance.infer import InferenceConfig, Labeler

    subset = _first(threads, 300)
    labeler = Labeler(str(model), InferenceConfig(device="cpu", quantize="onnx-int8",
                                                  threads=1, cache_dir=args.cache_dir,
                                                  progress=False))
    start = time.perf_counter()
    count = sum(1 for _ in labeler.label(subset))
    return count / (time.perf_counter() - start)


def _deviation(result: dict[str, Any]) -> dict[str, float]:
    return {"mean_abs": result["mean_abs"], "max_abs": result["max_abs"],
            "agreement": result["agreement"], "agreement_all": result["agreement_all"]}


def _ceiling(args: argparse.Namespace, measured: dict[str, float]) -> dict[str, float]:
    from stance.infer import benchkit

    if args.device == "cuda":
        return {"fp32": benchkit.torch_matmul_gflops("cuda", "float32", 16384, 384, 1536),
                "bf16": benchkit.torch_matmul_gflops("cuda", "bfloat16", 16384, 384, 1536)}
    return benchkit.cpu_ceiling(measured)


def _encoder(model: Path) -> Any:
    from stance.infer.tokenize import PairEncoder, read_encoder_config, uses_token_types
    from stance.model.config import ModelConfig

    config = ModelConfig.from_dict(json.loads((model / "stance_config.json").read_text()))
    return PairEncoder.from_dir(model, config.max_length,
                                uses_token_types(read_encoder_config(model)))


def _design(model: Path, threads: list[Any]) -> tuple[list[int], dict[str, float]]:
    """Encoder tokens per comment of our inputs and of the alternatives they replace."""
    encoder = _encoder(model)

    def lengths(pairs: list[tuple[str, str]]) -> list[int]:
        return [len(r.ids) for r in encoder.encode([a for a, _ in pairs], [b for _, b in pairs])]

    ours = lengths([(t.effective_target, c.text) for t in threads for c in t.comments])
    alone = lengths([("", c.text) for t in threads for c in t.comments])
    texts = {(t.thread_id, c.id): c.text for t in threads for c in t.comments}
    own = dict(zip(texts, ours, strict=True))
    replies = [(t.thread_id, c) for t in threads for c in t.comments if c.parent_id]
    parents = sum(own[(tid, c.parent_id)] for tid, c in replies)
    cross = sum(lengths([(texts[(tid, c.parent_id)], c.text) for tid, c in replies]))
    n = len(ours)
    design = {"ours": sum(ours) / n, "no_target": sum(alone) / n,
              "reencode_parent": (sum(ours) + parents) / n,
              "per_head": (sum(ours) + 3 * sum(alone) + cross) / n}
    return ours, design


def _naive(threads: list[Any], model: Path, args: argparse.Namespace) -> dict[str, Any]:
    from stance.infer.benchkit import naive_pipeline
    from stance.model.config import ModelConfig
    from stance.model.io import default_base_path

    config = ModelConfig.from_dict(json.loads((model / "stance_config.json").read_text()))
    base = config.base if Path(config.base).is_dir() else default_base_path()
    texts = [c.text for t in threads for c in t.comments][: args.naive_comments]
    result = naive_pipeline(base, texts, config.max_length, args.device)
    return {"config": "(a) naive pipeline, 1 task, 1 call/comment", **result}


def _parser_rows() -> list[dict[str, Any]]:
    try:
        from stance.bench_parse import bench_parser
    except ImportError:
        return []
    return list(bench_parser())


def run(args: argparse.Namespace) -> dict[str, Any]:
    from stance.infer.benchreport import summarise

    with tempfile.TemporaryDirectory(prefix="stance-bench-") as tmp:
        work = Path(tmp)
        n = args.comments or (100_000 if args.device == "cuda" else 1500)
        threads, workload = _workload(n, args.seed, work / "threads.jsonl")
        model = _prepare_model(args, work)
        stance_row = _stance_end_to_end(work / "threads.jsonl", model, args,
                                        work / "labels.jsonl", int(workload["comments"]))
        from stance.infer.benchkit import ort_ceiling

        ort_peaks = ort_ceiling() if args.device == "cpu" else {}  # close in time to (b)
        naive_row = _naive(threads, model, args)
        subset = threads if args.device != "cuda" else _first(threads, 20_000)
        backends = [] if args.skip_backends else _backends(subset, model, args)
        accuracy = [] if args.skip_backends else _dev_accuracy(model, args)
        profile = _profile(model, threads, args) if args.device == "cpu" else []
        one_thread = _one_thread(model, threads, args) if args.device == "cpu" else None
        lengths, design = _design(model, threads)
        from stance.infer.benchkit import context_head_cost

        design.update({f"context_{k}": v for k, v in context_head_cost(model).items()})
        from stance.infer.benchkit import encoder_shape, flops_per_comment, pipeline_rate
        from stance.model.config import ModelConfig

        rate = pipeline_rate(subset, model, encoder_shape(model)["hidden"])
        count = sum(len(t.comments) for t in subset)
        backends.append({"config": "pipeline alone, no model (CPU-side ceiling)",
                         "backend": "none", "comments": count, "seconds": count / rate,
                         "rate": rate, "primary": False})

        head_hidden = ModelConfig.from_dict(
            json.loads((model / "stance_config.json").read_text())).head_hidden
        flops = flops_per_comment(lengths, encoder_shape(model), head_hidden)
        return summarise(workload=workload, lengths=lengths, flops=flops, stance=stance_row,
                         naive=naive_row, backends=backends, ceiling=_ceiling(args, ort_peaks),
                         parser=_parser_rows(), model=str(model), device=args.device,
                         design=design, accuracy=accuracy, profile=profile,
                         one_thread=one_thread)


def _first(threads: list[Any], comments: int) -> list[Any]:
    out, total = [], 0
    for thread in threads:
        if total >= comments:
            break
        out.append(thread)
        total += len(thread.comments)
    return out


def main(argv: list[str] | None = None) -> None:
    for key, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                       ("OMP_WAIT_POLICY", "PASSIVE"), ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(key, value)
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s", stream=sys.stderr)
    args = _args(argv)
    if args.device == "auto":
        from stance.infer.select import resolve_device

        args.device = resolve_device("auto")
    if args.memory:
        from stance.infer.benchreport import memory_mode

        result = memory_mode(args)
    else:
        result = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
