"""The stance context head: `stance label` adds it to replies' stance as the model does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stance.infer.config import InferenceConfig
from stance.infer.labeler import Labeler
from stance.infer.synthetic import generate_threads
from stance.thread.model import Thread


@pytest.fixture(scope="module")
def context_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model whose stance head has a context head with non-zero weights."""
    import torch

    from stance.model.io import save_model
    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=5)
    model.add_context_head("stance")
    torch.manual_seed(5)
    with torch.no_grad():
        for param in model.context["stance"].parameters():
            param.normal_(0.0, 0.5)
    return save_model(model, tokenizer, tmp_path_factory.mktemp("ctx") / "model", half=False)


def _expected(model_dir: Path, threads: list[Thread]) -> dict[tuple[str, str], Any]:
    """Stance probabilities straight from the model: replies read with their parent."""
    import torch

    from stance.model.io import load_model
    from stance.train.evaluate import encode_pairs

    model, tokenizer = load_model(model_dir)
    out: dict[tuple[str, str], Any] = {}
    for thread in threads:
        target = thread.effective_target
        texts = {c.id: c.text for c in thread.comments}
        pooled = encode_pairs(model, tokenizer, list(texts.values()), [target] * len(texts),
                              64, 16)
        row = {cid: i for i, cid in enumerate(texts)}
        with torch.inference_mode():
            for c in thread.comments:
                vec = pooled[row[c.id]][None]
                parent = pooled[row[c.parent_id]][None] if c.parent_id in row else None
                logits = model.logits(vec, parent, tasks=("stance",))["stance"]
                out[(thread.thread_id, c.id)] = model.probabilities(
                    {"stance": logits})["stance"][0].numpy()
    return out


@pytest.mark.parametrize("quantize", ["none", "onnx"])
def test_replies_stance_includes_the_context_head(context_model_dir: Path, infer_cache: str,
                                                  quantize: str) -> None:
    threads = list(generate_threads(40, seed=8, mean_comments=8))
    expected = _expected(context_model_dir, threads)
    config = InferenceConfig(device="cpu", quantize=quantize, progress=False)
    records = list(Labeler(str(context_model_dir), config).label(threads))
    assert len(records) == len(expected)
    replies = 0
    for record in records:
        got = np.array([record["stance"]["scores"][k] for k in ("favor", "against", "query",
                                                                 "none")])
        want = expected[(record["thread_id"], record["comment_id"])]
        assert np.allclose(got, want, atol=2e-3), (record["comment_id"], got, want)
        replies += record["parent_id"] is not None
    assert replies >= 5


def test_context_head_starts_as_no_change() -> None:
    import torch

    from stance.model.tiny import build_tiny_model

    model, _ = build_tiny_model(seed=2)
    model.eval()
    child, parent = torch.randn(3, 32), torch.randn(3, 32)
    before = model.logits(child, parent, tasks=("stance",))["stance"]
    model.add_context_head("stance")
    model.eval()
    after = model.logits(child, parent, tasks=("stance",))["stance"]
    assert torch.equal(before, after)
    assert model.config.context_heads == ("stance",)


def test_bench_measures_the_context_head(context_model_dir: Path, tiny_model_dir: Path) -> None:
    from stance.infer.benchkit import context_head_cost

    cost = context_head_cost(context_model_dir, replies=256, chunk=64)
    assert cost["us_per_reply"] > 0
    assert context_head_cost(tiny_model_dir) == {}  # no context head, nothing to measure


def test_int8_falls_back_to_fp32_ffn_outputs_when_full_int8_misses(
        context_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stance.infer import export
    from stance.infer.select import ensure_export

    answers = iter([False, True])  # full int8 misses the tolerance, the fallback meets it
    monkeypatch.setattr(export, "_int8_within_defaults", lambda calibration: next(answers))
    path = ensure_export(str(context_model_dir), str(tmp_path))
    meta = export.read_meta(path)
    assert meta["int8_fp32_nodes"] == "ffn_output"
    assert "int8_full" in meta["calibration"]
    assert len(export.ffn_output_nodes(path / export.ENCODER_FP32)) == 2  # one per layer
    assert (path / export.ENCODER_INT8).is_file()
    assert not (path / (export.ENCODER_INT8 + ".full")).exists()


def test_long_inputs_run_in_fp32_when_int8_holds_only_short_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A model reading past INT8_MAX_TOKENS whose full int8 graph misses the tolerance gets
    the fp32-FFN int8 graph for short inputs and fp32 for long ones, when that passes; the
    fp32-FFN graph is never used uncapped for such a model (calibrated: two checks, not three)."""
    import dataclasses

    from stance.infer import export
    from stance.infer.ort import OrtBackend
    from stance.infer.select import ensure_export
    from stance.infer.tokenize import PairEncoder
    from stance.model.io import save_model
    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=3)
    model.config = dataclasses.replace(model.config, max_length=export.INT8_MAX_TOKENS + 72)
    model_dir = save_model(model, tokenizer, tmp_path / "model", half=False)
    answers = iter([False, True])  # full int8 misses; fp32-FFN routed by length meets it
    monkeypatch.setattr(export, "_int8_within_defaults", lambda calibration: next(answers))
    path = ensure_export(str(model_dir), str(tmp_path / "cache"))
    meta = export.read_meta(path)
    assert meta["int8_max_tokens"] == export.INT8_MAX_TOKENS
    assert "int8_full" in meta["calibration"] and "int8_ffn" not in meta["calibration"]
    assert next(answers, None) is None

    encoder = PairEncoder.from_dir(path, int(meta["max_length"]), bool(meta["use_token_types"]))
    short = encoder.pad(encoder.encode(["wind farm"], ["I am against it."]))
    long = encoder.pad(encoder.encode(["wind farm"], ["I am against it. " * 60]))
    assert short.input_ids.shape[1] <= export.INT8_MAX_TOKENS < long.input_ids.shape[1]
    routed = OrtBackend(path, int8=True, threads=1)
    fp32 = OrtBackend(path, int8=False, threads=1)
    assert routed.int8_max_tokens == export.INT8_MAX_TOKENS
    np.testing.assert_allclose(routed.run(long).pooled, fp32.run(long).pooled, rtol=0, atol=0)
    assert not np.array_equal(routed.run(short).pooled, fp32.run(short).pooled)


def test_a_model_within_max_tokens_never_routes(context_model_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from stance.infer import export
    from stance.infer.select import ensure_export

    answers = iter([False, False])  # both int8 graphs miss; the model reads only 64 tokens
    monkeypatch.setattr(export, "_int8_within_defaults", lambda calibration: next(answers))
    meta = export.read_meta(ensure_export(str(context_model_dir), str(tmp_path)))
    assert "int8_max_tokens" not in meta and "int8_fp32_nodes" not in meta


def test_a_long_reading_model_whose_int8_graphs_miss_keeps_full_int8_unrouted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both checks miss: meta.json says nothing of routing or fp32 nodes, and the int8 file
    is the full int8 graph again (auto will choose fp32)."""
    import dataclasses

    from stance.infer import export
    from stance.infer.select import ensure_export
    from stance.model.io import save_model
    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=4)
    model.config = dataclasses.replace(model.config, max_length=export.INT8_MAX_TOKENS + 72)
    model_dir = save_model(model, tokenizer, tmp_path / "model", half=False)
    answers = iter([False, False])
    monkeypatch.setattr(export, "_int8_within_defaults", lambda calibration: next(answers))
    path = ensure_export(str(model_dir), str(tmp_path / "cache"))
    meta = export.read_meta(path)
    assert "int8_max_tokens" not in meta and "int8_fp32_nodes" not in meta
    assert (path / export.ENCODER_INT8).is_file()
    assert not (path / (export.ENCODER_INT8 + ".full")).exists()
