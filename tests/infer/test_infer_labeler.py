"""`Labeler` on the tiny random model: CONTRACT records, backends, invariance, API."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stance.errors import InputError
from stance.infer import InferenceConfig, Labeler
from stance.infer.benchkit import scores_from_records
from stance.model.tasks import TASKS
from stance.thread.model import Article, Comment, Thread

CLASSES = {name: task.labels for name, task in TASKS.items() if not task.binary}


def run(model: Any, threads: list[Thread], cache: str, **options: Any) -> list[dict[str, Any]]:
    config = InferenceConfig(device="cpu", cache_dir=cache, progress=False, **options)
    return list(Labeler(model, config).label(threads))


def assert_close(a: list[dict[str, Any]], b: list[dict[str, Any]], tol: float) -> None:
    assert [(r["thread_id"], r["comment_id"]) for r in a] == \
        [(r["thread_id"], r["comment_id"]) for r in b]
    sa, sb = scores_from_records(a), scores_from_records(b)
    for task in TASKS:
        np.testing.assert_allclose(sa[task], sb[task], atol=tol, equal_nan=True, err_msg=task)


def test_records_follow_the_contract(tiny_model_dir: Path, infer_cache: str,
                                     few_threads: list[Thread]) -> None:
    records = run(tiny_model_dir, few_threads, infer_cache)
    comments = [(t, c) for t in few_threads for c in t.comments]
    assert len(records) == len(comments)
    for record, (thread, comment) in zip(records, comments, strict=True):
        assert list(record) == ["thread_id", "comment_id", "parent_id", "text", "stance",
                                "agreement", "sentiment", "media_bias", "conspiracy", "model"]
        assert (record["thread_id"], record["comment_id"], record["parent_id"], record["text"]) \
            == (thread.thread_id, comment.id, comment.parent_id, comment.text)
        assert record["model"] == "tiny-test@0.0.0"
        assert record["stance"]["target"] == thread.effective_target
        for task in ("stance", "sentiment", "agreement"):
            value = record[task]
            if task == "agreement" and comment.parent_id is None:
                assert value is None
                continue
            assert list(value["scores"]) == list(CLASSES[task])
            assert abs(sum(value["scores"].values()) - 1) < 1e-4
            assert value["label"] == max(value["scores"], key=value["scores"].get)
        for task in ("media_bias", "conspiracy"):
            assert isinstance(record[task]["label"], bool)
            assert record[task]["label"] == (record[task]["score"] >= 0.5)
        assert isinstance(record["media_bias"]["targets"], list)


@pytest.mark.parametrize("quantize,tol", [("none", 1e-5), ("onnx", 1e-5), ("onnx-int8", 1e-5),
                                          ("int8", 0.01)])
def test_batch_size_and_window_do_not_change_records(tiny_model_dir: Path, infer_cache: str,
                                                     few_threads: list[Thread], quantize: str,
                                                     tol: float) -> None:
    small = run(tiny_model_dir, few_threads, infer_cache, quantize=quantize, batch_size=1,
                window=1)
    large = run(tiny_model_dir, few_threads, infer_cache, quantize=quantize, batch_size=64,
                window=4096, max_tokens=100_000)
    assert_close(small, large, tol)


@pytest.mark.parametrize("quantize,tol", [("onnx", 1e-4), ("int8", 0.02), ("onnx-int8", 0.02)])
def test_backends_agree_with_fp32_torch(tiny_model_dir: Path, infer_cache: str,
                                        few_threads: list[Thread], quantize: str,
                                        tol: float) -> None:
    reference = run(tiny_model_dir, few_threads, infer_cache, quantize="none")
    assert_close(reference, run(tiny_model_dir, few_threads, infer_cache, quantize=quantize), tol)


def test_auto_takes_int8_only_within_tolerance(tiny_model_dir: Path, infer_cache: str) -> None:
    config = InferenceConfig(device="cpu", cache_dir=infer_cache)
    labeler = Labeler(tiny_model_dir, config)
    assert labeler.backend_name == "onnx-int8"
    calibration = labeler.calibration
    assert calibration is not None and calibration["comments"] >= 300
    assert calibration["fp32"]["max_abs"] < 1e-4
    assert set(calibration) >= {"fp32", "int8"}
    strict = config.with_options(tolerance=0.0, min_agreement=1.0)
    if calibration["int8"]["mean_abs"] > 0:
        assert Labeler(tiny_model_dir, strict).backend_name == "onnx-fp32"


def test_auto_choice() -> None:
    from stance.infer.select import auto_choice

    good = {"mean_abs": 0.001, "agreement": 1.0}
    config = InferenceConfig()
    assert auto_choice({"int8": good}, config) == "onnx-int8"
    assert auto_choice({"int8": {"mean_abs": 0.5, "agreement": 1.0}}, config) == "onnx"
    assert auto_choice({"int8": {"mean_abs": 0.001, "agreement": 0.5}}, config) == "onnx"
    assert auto_choice({}, config) == "onnx"


def test_an_in_memory_model_gives_the_same_records_and_is_not_changed(
        infer_cache: str, few_threads: list[Thread], tiny_model_dir: Path) -> None:
    import torch

    from stance.model.io import load_model

    model, tokenizer = load_model(tiny_model_dir)
    model.encoder.half()  # as a model saved with `dtype: float16` loads
    dtypes = {n: p.dtype for n, p in model.named_parameters()}
    for quantize in ("none", "onnx"):
        got = run((model, tokenizer), few_threads, infer_cache, quantize=quantize)
        assert_close(run(tiny_model_dir, few_threads, infer_cache), got, 0.01)
    assert {n: p.dtype for n, p in model.named_parameters()} == dtypes
    assert next(model.parameters()).device == torch.device("cpu")


def test_predict_and_predict_pairs_match_label(tiny_model_dir: Path, infer_cache: str) -> None:
    thread = Thread("t", (Comment("a", "The stadium tax is a scam."),
                          Comment("b", "No it is not, read the budget.", "a")),
                    article=Article(title="Stadium tax"))
    labeler = Labeler(tiny_model_dir, InferenceConfig(device="cpu", cache_dir=infer_cache,
                                                      quantize="none"))
    first, second = labeler.label([thread])
    prediction = labeler.predict(labeler.encode(["Stadium tax"] * 2, [c.text for c in
                                                                      thread.comments]))
    assert prediction.pooled.shape == (2, 32)
    scores = prediction.probs["stance"][1]
    assert list(second["stance"]["scores"].values()) == pytest.approx(scores.tolist(), abs=1e-6)
    pair = labeler.predict_pairs(prediction.pooled[:1], prediction.pooled[1:])["agreement"][0]
    assert list(second["agreement"]["scores"].values()) == pytest.approx(pair.tolist(), abs=1e-6)
    assert first["agreement"] is None


def test_target_override_and_thresholds(infer_cache: str, few_threads: list[Thread]) -> None:
    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=1)
    model.config = dataclasses.replace(model.config,
                                       thresholds={"media_bias": 0.0, "conspiracy": 1.01})
    thread = Thread("t", (Comment("a", "CNN and Fox News never report this."),),
                    article=Article(title="Ferry fares"))
    labeler = Labeler((model, tokenizer), InferenceConfig(device="cpu", quantize="none"))
    (record,) = labeler.label([thread], target="the ferry")
    assert record["stance"]["target"] == "the ferry"
    assert record["media_bias"]["label"] is True and record["conspiracy"]["label"] is False
    try:
        from stance.model.outlets import find_outlets
    except ImportError:
        assert record["media_bias"]["targets"] == []
    else:
        assert record["media_bias"]["targets"] == find_outlets(thread.comments[0].text)
        assert "cnn" in record["media_bias"]["targets"]
    (default,) = labeler.label([thread])
    assert default["stance"]["target"] == "Ferry fares"
    assert default["stance"]["scores"] != record["stance"]["scores"]


def test_cached_onnx_path_imports_no_torch(tiny_model_dir: Path, infer_cache: str) -> None:
    Labeler(tiny_model_dir, InferenceConfig(device="cpu", cache_dir=infer_cache))  # exports
    code = ("import sys\nfrom stance.infer import InferenceConfig, Labeler\n"
            "from stance.thread.model import Comment, Thread\n"
            f"lab = Labeler({str(tiny_model_dir)!r}, InferenceConfig(device='cpu', "
            f"cache_dir={infer_cache!r}))\n"
            "recs = list(lab.label([Thread('t', (Comment('a', 'hi'), Comment('b', 'yo', 'a')))]))\n"
            "print(len(recs), lab.backend_name, 'torch' in sys.modules, "
            "'transformers' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2", "onnx-int8", "False", "False"]


def test_bad_models_and_inputs_are_one_sentence_errors(tmp_path: Path,
                                                       tiny_model_dir: Path) -> None:
    with pytest.raises(InputError, match="not a stance model directory"):
        Labeler(tmp_path, InferenceConfig(device="cpu"))
    with pytest.raises(InputError, match="unknown quantize mode"):
        InferenceConfig(quantize="int4")
    labeler = Labeler(tiny_model_dir, InferenceConfig(device="cpu", quantize="none"))
    with pytest.raises(InputError, match="expected Thread objects"):
        list(labeler.label([{"thread_id": "t", "comments": []}]))  # type: ignore[list-item]


def test_cuda_is_refused_clearly_when_absent(tiny_model_dir: Path) -> None:
    from stance.infer.backends import cuda_present

    if cuda_present():
        pytest.skip("this machine has CUDA")
    with pytest.raises(InputError, match="no CUDA device"):
        Labeler(tiny_model_dir, InferenceConfig(device="cuda"))


def test_empty_and_odd_comments(tiny_model_dir: Path) -> None:
    thread = Thread("t", (Comment("a", ""), Comment("b", "😀 " * 400, "a"),
                          Comment("c", "x", "b")), target="t" * 1000)
    records = list(Labeler(tiny_model_dir, InferenceConfig(device="cpu", quantize="none"))
                   .label([thread, Thread("empty")]))
    assert [r["comment_id"] for r in records] == ["a", "b", "c"]


@pytest.mark.parametrize("quantize", ["none", "onnx"])
def test_claim_heads_near_a_claim_take_the_reading_without_the_target(
        infer_cache: str, quantize: str) -> None:
    """With `reread_alone` gates, a comment read under its thread's target whose score on any
    gated head reaches that head's gate gets every gated head's score from the comment read
    alone; the other heads keep the reading under the target; --no-reread
    (`reread=False`) reads once."""
    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=3)
    model.config = dataclasses.replace(model.config,
                                       reread_alone={"media_bias": 0.0, "conspiracy": 1.0})
    comments = tuple(Comment(f"c{k}", text) for k, text in enumerate(
        ("The networks never show the other side.", "Ferries are late again.", "Fine by me.")))
    under = [Thread("t", comments, target="Ferry fares rise again next spring")]
    alone = [Thread("t", comments, target="")]
    config = InferenceConfig(device="cpu", quantize=quantize, cache_dir=infer_cache,
                             progress=False)
    twice = Labeler((model, tokenizer), config)
    once = Labeler((model, tokenizer), dataclasses.replace(config, reread=False))
    got, one, bare = (list(twice.label(under)), list(once.label(under)),
                      list(once.label(alone)))
    assert twice.engine.reread_count == 3  # gate 0: every comment under a target
    for g, o, b in zip(got, one, bare, strict=True):
        assert g["media_bias"]["score"] == pytest.approx(b["media_bias"]["score"], abs=1e-5)
        assert g["media_bias"]["score"] != pytest.approx(o["media_bias"]["score"], abs=1e-5)
        # conspiracy's gate (1.0) is never reached, but the comment was read again for media
        # bias: every gated head takes the reading the thresholds were fitted on
        assert g["conspiracy"]["score"] == pytest.approx(b["conspiracy"]["score"], abs=1e-5)
        for head in ("stance", "sentiment"):
            assert g[head]["scores"] == pytest.approx(o[head]["scores"], abs=1e-6)
            assert g[head]["scores"] != pytest.approx(b[head]["scores"], abs=1e-5)
    list(twice.label(alone))
    assert twice.engine.reread_count == 3  # no target: nothing to read again
