"""Attention pooling (`ModelConfig.pooling = "attention"`): starts as the mean, saves, and
`stance label` reads a model that has it as the model itself does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stance.errors import InputError
from stance.infer.config import InferenceConfig
from stance.infer.labeler import Labeler
from stance.infer.synthetic import generate_threads


def _batch(tokenizer: object) -> object:
    from stance.model.batch import EncodedBatch

    enc = tokenizer(["Port Alder approves the wind farm", ""],  # type: ignore[operator]
                    ["I am against it. The view is the only thing we have.", "lol ok"],
                    padding=True, return_tensors="pt")
    return EncodedBatch(enc["input_ids"], enc["attention_mask"], enc.get("token_type_ids"))


def test_attention_pooling_starts_as_the_mean() -> None:
    import torch

    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=3)
    model.eval()
    batch = _batch(tokenizer)
    with torch.no_grad():
        before = model.encode(batch)
        model.add_attention_pooling()
        model.eval()
        after = model.encode(batch)
        assert model.config.pooling == "attention"
        assert torch.allclose(before, after, atol=1e-6)
        assert model.pooler is not None
        model.pooler.weight.normal_(0.0, 1.0)  # a trained scorer weighs tokens unevenly
        moved = model.encode(batch)
    assert not torch.allclose(before, moved, atol=1e-3)


def test_padding_gets_no_attention() -> None:
    """A row's vector does not depend on how far the batch pads it."""
    import torch

    from stance.model.batch import EncodedBatch
    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=4)
    model.add_attention_pooling()
    model.eval()
    assert model.pooler is not None
    with torch.no_grad():
        model.pooler.weight.normal_(0.0, 1.0)
        short = tokenizer(["t"], ["short comment"], return_tensors="pt")
        padded = tokenizer(["t"], ["short comment"], padding="max_length", max_length=40,
                           return_tensors="pt")
        a = model.encode(EncodedBatch(short["input_ids"], short["attention_mask"],
                                      short.get("token_type_ids")))
        b = model.encode(EncodedBatch(padded["input_ids"], padded["attention_mask"],
                                      padded.get("token_type_ids")))
    assert torch.allclose(a, b, atol=1e-5)


def test_unknown_pooling_is_refused(tiny_model_dir: Path, tmp_path: Path) -> None:
    import json
    import shutil
    from dataclasses import replace

    from stance.model.io import load_model
    from stance.model.multitask import MultiTaskModel
    from stance.model.tiny import build_tiny_model

    model, _ = build_tiny_model(seed=1)
    with pytest.raises(ValueError, match="unknown pooling"):
        MultiTaskModel(model.encoder, replace(model.config, pooling="max"))
    odd = shutil.copytree(tiny_model_dir, tmp_path / "odd")
    config = json.loads((odd / "stance_config.json").read_text())
    (odd / "stance_config.json").write_text(json.dumps({**config, "pooling": "max"}))
    with pytest.raises(InputError, match=r"stance_config\.json: unknown pooling 'max'"):
        load_model(odd)


@pytest.fixture(scope="module")
def pooled_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch

    from stance.model.io import save_model
    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=6)
    model.add_attention_pooling()
    assert model.pooler is not None
    torch.manual_seed(6)
    with torch.no_grad():
        model.pooler.weight.normal_(0.0, 1.0)
    return save_model(model, tokenizer, tmp_path_factory.mktemp("pool") / "model", half=False)


def test_pooling_survives_save_and_load(pooled_model_dir: Path, tmp_path: Path) -> None:
    import json
    import shutil

    from safetensors.torch import load_file, save_file

    from stance.model.io import load_model

    model, _ = load_model(pooled_model_dir)
    assert model.config.pooling == "attention"
    assert model.pooler is not None and float(model.pooler.weight.detach().abs().sum()) > 0
    # weights without the scorer do not load silently as the mean
    broken = shutil.copytree(pooled_model_dir, tmp_path / "broken")
    state = load_file(str(broken / "model.safetensors"))
    save_file({k: v for k, v in state.items() if not k.startswith("pooler.")},
              str(broken / "model.safetensors"))
    with pytest.raises(InputError, match="does not match its config"):
        load_model(broken)
    assert json.loads((pooled_model_dir / "stance_config.json").read_text())["pooling"] == (
        "attention")


@pytest.mark.parametrize("quantize", ["none", "onnx"])
def test_label_pools_as_the_model_does(pooled_model_dir: Path, infer_cache: str,
                                       quantize: str) -> None:
    import torch

    from stance.model.io import load_model
    from stance.train.evaluate import encode_pairs

    threads = list(generate_threads(20, seed=3, mean_comments=4))
    model, tokenizer = load_model(pooled_model_dir)
    config = InferenceConfig(device="cpu", quantize=quantize, progress=False)
    records = list(Labeler(str(pooled_model_dir), config).label(threads))
    by_id = {(r["thread_id"], r["comment_id"]): r for r in records}
    checked = 0
    for thread in threads:
        tops = [c for c in thread.comments if c.parent_id is None]  # no context head here
        pooled = encode_pairs(model, tokenizer, [c.text for c in tops],
                              [thread.effective_target] * len(tops), 64, 16)
        with torch.inference_mode():
            probs = model.probabilities(model.logits(pooled, tasks=("sentiment",)))
        for i, comment in enumerate(tops):
            got = by_id[(thread.thread_id, comment.id)]["sentiment"]["scores"]
            got_arr = np.array([got[k] for k in ("positive", "negative", "neutral")])
            assert np.allclose(got_arr, probs["sentiment"][i].numpy(), atol=2e-3)
            checked += 1
    assert checked >= 5
