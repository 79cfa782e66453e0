"""Settings, tokenization, records and the synthetic workload."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from stance.errors import InputError
from stance.infer.config import InferenceConfig
from stance.infer.records import RecordBuilder, probabilities
from stance.infer.synthetic import generate_threads
from stance.model.config import ModelConfig


def test_config_round_trips_and_validates() -> None:
    config = InferenceConfig(device="cpu", batch_size=8, quantize="onnx-int8", threads=2)
    assert InferenceConfig.from_dict(config.to_dict()) == config
    with pytest.raises(InputError, match="unknown inference setting"):
        InferenceConfig.from_dict({"batch": 3})
    for bad in ({"device": "tpu"}, {"batch_size": 0}, {"window": -1}, {"threads": 0},
                {"tolerance": 2.0}, {"precision": "int4"}):
        with pytest.raises(InputError):
            InferenceConfig(**bad)  # type: ignore[arg-type]
    assert config.with_options(batch_size=None, window=5).window == 5


def test_limits_have_device_defaults() -> None:
    assert InferenceConfig().limits("cpu", 16) == (16, 4096, 2048, False)
    batch, tokens, window, prefetch = InferenceConfig().limits("cuda", 2048)
    assert batch == 2048 and tokens >= batch * 64 and window >= batch and prefetch
    assert InferenceConfig(batch_size=3).limits("cuda", 2048)[0] == 3


def test_pair_encoder_matches_the_training_tokenizer() -> None:
    from transformers import AutoTokenizer

    from stance.infer import tokenize
    from stance.model import batch
    from stance.model.io import default_base_path

    assert tokenize.MAX_CONTEXT_CHARS == batch.MAX_CONTEXT_CHARS
    tok = AutoTokenizer.from_pretrained(default_base_path())
    pairs = [(t.effective_target, c.text) for t in generate_threads(150, seed=9)
             for c in t.comments]
    pairs += [("", ""), ("", "x"), ("t", ""), ("héllo wörld 😀", "Ünïcode 😀 " * 200),
              ("a" * 400, "short"), ("Is it?", "Yes.\n\nNo.\t\u200b")]
    want = batch.tokenize_pairs(tok, [p[1] for p in pairs], [p[0] for p in pairs], 128)
    encoder = tokenize.PairEncoder(tok, 128)
    got = encoder.pad(encoder.encode([p[0] for p in pairs], [p[1] for p in pairs]))
    width = want.input_ids.shape[1]
    assert got.input_ids.shape == (len(pairs), width)
    np.testing.assert_array_equal(got.input_ids, want.input_ids.numpy())
    np.testing.assert_array_equal(got.attention_mask, want.attention_mask.numpy())
    assert want.token_type_ids is not None and got.token_type_ids is not None
    np.testing.assert_array_equal(got.token_type_ids, want.token_type_ids.numpy())


def test_probabilities_use_temperatures() -> None:
    config = ModelConfig(temperatures={"stance": 2.0, "conspiracy": 0.5})
    logits = {"stance": np.array([[2.0, 0.0, 0.0, 0.0]]), "conspiracy": np.array([[1.0]]),
              "sentiment": np.array([[1.0, 1.0, 1.0]])}
    probs = probabilities(logits, config)
    e = np.exp([1.0, 0, 0, 0])
    np.testing.assert_allclose(probs["stance"][0], e / e.sum())
    np.testing.assert_allclose(probs["conspiracy"], [1 / (1 + np.exp(-2.0))])
    np.testing.assert_allclose(probs["sentiment"][0], [1 / 3] * 3)


def test_record_builder_thresholds_and_outlets() -> None:
    config = ModelConfig(thresholds={"media_bias": 0.7})
    seen: list[str] = []
    builder = RecordBuilder(config, finder=lambda text: seen.append(text) or ["cnn"])
    rows = {"stance": np.array([0.1, 0.2, 0.3, 0.4]), "sentiment": np.array([0.5, 0.3, 0.2]),
            "media_bias": np.float64(0.69), "conspiracy": np.float64(0.5)}
    record = builder.build("t", "c", None, "text", "goal", rows, None)
    assert record["media_bias"] == {"label": False, "score": 0.69, "targets": []}
    assert record["conspiracy"] == {"label": True, "score": 0.5}
    assert record["stance"]["label"] == "none" and record["stance"]["target"] == "goal"
    assert seen == []
    rows["media_bias"] = np.float64(0.7)
    record = builder.build("t", "c", "p", "CNN lies", "goal", rows,
                           {"agreement": np.array([0.2, 0.7, 0.1])})
    assert record["media_bias"]["targets"] == ["cnn"] and seen == ["CNN lies"]
    assert record["agreement"]["label"] == "disagree"


def test_synthetic_threads_look_like_reader_comments() -> None:
    threads = list(generate_threads(3000, seed=1))
    comments = [c for t in threads for c in t.comments]
    assert len(comments) == 3000
    assert [c.text for c in comments[:50]] == \
        [c.text for t in generate_threads(50, seed=1) for c in t.comments]
    words = sorted(len(c.text.split()) for c in comments)
    assert 40 <= statistics.median(words) <= 60
    assert words[int(len(words) * 0.99)] > 3 * statistics.median(words)  # a long tail
    replies = sum(c.parent_id is not None for c in comments) / len(comments)
    assert 0.35 < replies < 0.65
    for thread in threads:
        seen: set[str] = set()
        for comment in thread.comments:
            assert comment.parent_id is None or comment.parent_id in seen
            seen.add(comment.id)
