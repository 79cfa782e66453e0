"""Measurements for `make bench`: matmul ceilings, FLOPs per comment, the naive baseline,
score deviations between backends, and peak memory of a child process."""

from __future__ import annotations

import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from stance.model.tasks import TASKS


def typical_rate(run: Callable[[], float], repeats: int = 5) -> float:
    """Median of `repeats` tries of `run()` (a rate). The median, not the best: on a shared
    machine a short burst can catch the other processes idle, which a long run never does."""
    return statistics.median(run() for _ in range(repeats))


def gflops(call: Callable[[], Any], flops: float, seconds: float = 0.25) -> float:
    """Sustained G(FL)OP/s of `call` (doing `flops` each time): median of 5 runs of at least
    `seconds` each, after one warm-up call."""
    call()

    def once() -> float:
        count, start = 0, time.perf_counter()
        while True:
            call()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return count * flops / elapsed / 1e9

    return typical_rate(once)


def ort_matmul_gops(int8: bool, m: int = 4096, k: int = 384, n: int = 1536,
                    threads: int | None = None) -> float:
    """GFLOP/s (GOP/s for int8) of one ONNX Runtime MatMul of the encoder's FFN shape.

    int8 is the same graph after per-channel dynamic quantisation: what the int8 encoder runs.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from stance.infer.ort import session

    rng = np.random.default_rng(0)
    weight = numpy_helper.from_array(rng.standard_normal((k, n)).astype(np.float32), "W")
    graph = helper.make_graph([helper.make_node("MatMul", ["X", "W"], ["Y"])], "mm",
                              [helper.make_tensor_value_info("X", TensorProto.FLOAT, [m, k])],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [m, n])],
                              [weight])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mm.onnx"
        onnx.save(model, str(path))
        if int8:
            from stance.infer.export import _quantize

            _quantize(path, Path(tmp) / "mm.int8.onnx")
            path = Path(tmp) / "mm.int8.onnx"
        sess = session(path, threads)
    x = rng.standard_normal((m, k)).astype(np.float32)
    return gflops(lambda: sess.run(None, {"X": x}), 2 * m * k * n)


def torch_matmul_gflops(device: str = "cpu", dtype: str = "float32", m: int = 4096,
                        k: int = 384, n: int = 1536) -> float:
    import torch

    dt = getattr(torch, dtype)
    a = torch.randn(m, k, device=device).to(dt)
    b = torch.randn(k, n, device=device).to(dt)
    if device == "cpu":
        return gflops(lambda: torch.mm(a, b), 2 * m * k * n)

    def hundred() -> None:
        for _ in range(100):
            torch.mm(a, b)
        torch.cuda.synchronize()

    return gflops(hundred, 100 * 2 * m * k * n)


def torch_int8_gops(m: int = 4096, k: int = 384, n: int = 1536,
                    threads: int | None = None) -> float:
    """GOP/s of torch's dynamic int8 Linear (per-channel weights, full 8-bit activations on
    VNNI CPUs): what the torch int8 encoder runs."""
    import torch

    from stance.infer.backends import quantize_int8

    class Wrap(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = torch.nn.Sequential(torch.nn.Linear(k, n))

    layer = quantize_int8(Wrap()).encoder[0]
    x = torch.randn(m, k)
    before = torch.get_num_threads()
    torch.set_num_threads(threads or before)
    try:
        with torch.inference_mode():
            return gflops(lambda: layer(x), 2 * m * k * n)
    finally:
        torch.set_num_threads(before)


def ort_ceiling() -> dict[str, float]:
    """ONNX Runtime matmul throughput on the encoder's FFN shape at two batch sizes (no torch
    import, so it can run right after the end-to-end measurement)."""
    found: dict[str, float] = {}
    for m in (1024, 4096):
        found[f"ort_fp32_m{m}"] = ort_matmul_gops(False, m=m)
        found[f"ort_int8_m{m}"] = ort_matmul_gops(True, m=m)
    found["ort_int8_1thread"] = ort_matmul_gops(True, m=1024, threads=1)
    return found


def cpu_ceiling(measured: dict[str, float] | None = None) -> dict[str, float]:
    """Matmul throughput of this machine with every engine we run (adding torch to `measured`
    from `ort_ceiling`); `fp32` and `int8` are the best of each precision, `int8_1thread` the
    best int8 on one thread."""
    found = dict(measured or ort_ceiling())
    for m in (1024, 4096):
        found[f"torch_fp32_m{m}"] = torch_matmul_gflops(m=m)
        found[f"torch_int8_m{m}"] = torch_int8_gops(m=m)
    found["torch_int8_1thread"] = torch_int8_gops(m=1024, threads=1)
    found["fp32"] = max(v for k, v in found.items() if "fp32" in k)
    found["int8"] = max(v for k, v in found.items() if "int8" in k and "1thread" not in k)
    found["int8_1thread"] = max(v for k, v in found.items() if "int8_1thread" in k)
    return found


def ort_profile(export_dir: Path, batches: Sequence[Any], int8: bool = True,
                top: int = 8) -> list[tuple[str, float]]:
    """Share of ONNX Runtime kernel time per operator type, running the comments of `batches`
    (TokenBatch) one at a time on one thread, with the engine's session settings."""
    import json
    from collections import Counter

    from stance.infer.export import ENCODER_FP32, ENCODER_INT8
    from stance.infer.ort import encoder_feed, session, split_rows

    with tempfile.TemporaryDirectory() as tmp:
        sess = session(export_dir / (ENCODER_INT8 if int8 else ENCODER_FP32), 1,
                       profile_prefix=str(Path(tmp) / "profile"))
        names = {i.name for i in sess.get_inputs()}
        for row in (r for batch in batches for r in split_rows(batch)):
            sess.run(None, encoder_feed(row, names))
        events = json.loads(Path(sess.end_profiling()).read_text())
    spent: Counter[str] = Counter()
    for event in events:
        if event.get("cat") == "Node" and str(event.get("name", "")).endswith("_kernel_time"):
            spent[event["args"]["op_name"]] += int(event["dur"])
    total = sum(spent.values()) or 1
    return [(op, us / total) for op, us in spent.most_common(top)]


def encoder_shape(model_dir: Path) -> dict[str, int]:
    from stance.infer.tokenize import read_encoder_config

    cfg = read_encoder_config(model_dir)
    return {"layers": int(cfg["num_hidden_layers"]), "hidden": int(cfg["hidden_size"]),
            "intermediate": int(cfg["intermediate_size"])}


def flops_per_comment(lengths: Sequence[int], shape: dict[str, int], head_hidden: int) -> float:
    """Useful FLOPs per comment (padding not counted): encoder matmuls 2 x params x tokens,
    attention 4 x T^2 x H per layer, and every head's two layers."""
    layers, h, inter = shape["layers"], shape["hidden"], shape["intermediate"]
    t = np.asarray(lengths, dtype=np.float64)
    per_layer = 2 * t * (4 * h * h + 2 * h * inter) + 4 * t * t * h
    heads = sum(2 * ((4 if task.pair == "parent" else 1) * h * head_hidden
                     + head_hidden * len(task.labels)) for task in TASKS.values())
    return float((layers * per_layer).mean() + heads)


def naive_pipeline(base: str, texts: Sequence[str], max_length: int,
                   device: str = "cpu") -> dict[str, float]:
    """transformers.pipeline("text-classification") on the base encoder, one call per comment
    (it adds a random classification head: only speed is measured)."""
    import warnings

    import transformers

    transformers.logging.set_verbosity_error()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        classify = transformers.pipeline("text-classification", model=base,
                                         device=0 if device == "cuda" else -1)
    startup = time.perf_counter() - start
    for text in texts[:5]:
        classify(text, truncation=True, max_length=max_length)
    start = time.perf_counter()
    for text in texts:
        classify(text, truncation=True, max_length=max_length)
    seconds = time.perf_counter() - start
    return {"comments": len(texts), "startup_s": startup, "seconds": seconds,
            "rate": len(texts) / seconds,
            "rate_with_startup": len(texts) / (seconds + startup)}


class NullBackend:
    """A backend that returns zeros at once: what is left is the pipeline's own cost."""

    name = "none (no model)"
    pair_tasks: tuple[str, ...] = ("agreement",)
    preferred_batch = 64

    def __init__(self, hidden_size: int):
        self.hidden_size = hidden_size

    def submit(self, batch: Any) -> Any:
        from stance.infer.backends import BatchOutput

        n = len(batch)
        out = BatchOutput(np.zeros((n, self.hidden_size), dtype=np.float32),
                          {name: np.zeros((n, 1 if task.binary else len(task.labels)))
                           for name, task in TASKS.items() if task.pair != "parent"})
        return lambda: out

    def agreement(self, parent: np.ndarray, child: np.ndarray) -> dict[str, np.ndarray]:
        return {"agreement": np.zeros((len(parent), 3))}


def pipeline_rate(threads: Sequence[Any], model_dir: Path, hidden_size: int,
                  batch_size: int = 64) -> float:
    """Comments/s of everything but the model: items, tokenization, length-sorted batches,
    parent links, probabilities, records and JSON lines (written to memory)."""
    import io
    import json as _json

    from stance.infer.engine import Engine, Limits
    from stance.infer.labeler import thread_items
    from stance.infer.records import RecordBuilder
    from stance.infer.tokenize import PairEncoder, read_encoder_config, uses_token_types
    from stance.io import dumps
    from stance.model.config import ModelConfig

    config = ModelConfig.from_dict(_json.loads((model_dir / "stance_config.json").read_text()))
    encoder = PairEncoder.from_dir(model_dir, config.max_length,
                                   uses_token_types(read_encoder_config(model_dir)))
    engine = Engine(NullBackend(hidden_size), encoder, config,
                    Limits(batch_size, 1 << 30, 4096, False))
    build = RecordBuilder(config, finder=lambda text: []).build
    sink = io.StringIO()
    start = time.perf_counter()
    count = 0
    for item in engine.run(thread_items(threads)):
        record = build(item.payload, item.comment_id, item.parent_id, item.text, item.target,
                       item.rows or {}, item.pair_rows)
        sink.write(dumps(record) + "\n")
        count += 1
    return count / (time.perf_counter() - start)


def scores_from_records(records: Sequence[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Per head, the probabilities in `records` (NaN rows where a head is null)."""
    out: dict[str, np.ndarray] = {}
    for name, task in TASKS.items():
        width = 1 if task.binary else len(task.labels)
        rows = []
        for record in records:
            value = record.get(name)
            if value is None:
                rows.append([np.nan] * width)
            elif task.binary:
                rows.append([value["score"]])
            else:
                rows.append([value["scores"][label] for label in task.labels])
        out[name] = np.asarray(rows, dtype=np.float64)
    return out


def child_peak(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `command`; its wall time, exit code and its own peak RSS in MB.

    The peak is the child's VmHWM, polled from /proc until it exits: exec starts a fresh
    address space, whereas `ru_maxrss` would also count the parent's pages the child held
    between fork and exec (a bench process with torch loaded made every child look 400 MB).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    status = Path(f"/proc/{proc.pid}/status")
    peak_kb = 0
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    return {"seconds": seconds, "rc": proc.returncode, "peak_rss_mb": peak_kb / 1024,
            "stderr": err.strip()[-500:]}


def self_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def context_head_cost(model_dir: Path, replies: int = 2048, chunk: int = 256) -> dict[str, float]:
    """Microseconds per reply of the stance context head (the pair MLP that gives stance the
    parent), run as the engine runs it: chunks of (parent, reply) vectors, one CPU thread.
    The alternative design, the parent's text in the reply's encoder pass, is the design
    table's `reencode_parent` row."""
    import time

    import torch

    from stance.model.io import load_model
    from stance.model.multitask import pair_features

    model, _ = load_model(model_dir)
    names = tuple(model.config.context_heads)
    if not names:
        return {}
    hidden = model.hidden_size
    parent, child = torch.randn(replies, hidden), torch.randn(replies, hidden)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.inference_mode():
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                for i in range(0, replies, chunk):
                    features = pair_features(parent[i:i + chunk], child[i:i + chunk])
                    for name in names:
                        model.context[name](features)
                best = min(best, time.perf_counter() - start)
    finally:
        torch.set_num_threads(threads)
    return {"us_per_reply": best / replies * 1e6}
