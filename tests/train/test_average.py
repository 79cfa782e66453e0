"""`python -m stance.train.average`: weight averaging of two stance models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.errors import InputError


@pytest.fixture(scope="module")
def other_tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from stance.model.tiny import save_tiny_model

    return save_tiny_model(tmp_path_factory.mktemp("models") / "tiny_b", seed=1)


def _weights(path: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


def test_average_is_the_weighted_mean_of_every_tensor(tiny_model_dir: Path, other_tiny: Path,
                                                      tmp_path: Path) -> None:
    from stance.train.average import average_models

    out = tmp_path / "soup"
    averaging = average_models(tiny_model_dir, other_tiny, 0.25, out, version="9.9.9")
    a, b, mixed = _weights(tiny_model_dir), _weights(other_tiny), _weights(out)
    assert set(mixed) == set(a)
    moved = 0
    for key, tensor in mixed.items():
        if tensor.is_floating_point():
            want = 0.25 * a[key].float() + 0.75 * b[key].float()
            assert (tensor.float() - want).abs().max() < 2e-3, key  # stored as fp16
            moved += not (a[key] == b[key]).all()
    assert moved  # the two tiny models differ, so the average is neither
    config = json.loads((out / "stance_config.json").read_text())
    assert config["version"] == "9.9.9" and "0.25" in config["base"]
    assert averaging["alpha_a"] == 0.25 and averaging["calibration"] is None
    summary = json.loads((out / "training_summary.json").read_text())
    assert summary["weight_average"]["b"] == str(other_tiny)


def test_average_refuses_other_architectures_and_bad_alpha(tiny_model_dir: Path,
                                                           tmp_path: Path) -> None:
    from safetensors.torch import load_file, save_file

    from stance.train.average import average_models

    with pytest.raises(InputError, match="between 0 and 1"):
        average_models(tiny_model_dir, tiny_model_dir, 1.5, tmp_path / "x")
    odd = tmp_path / "odd"
    odd.mkdir()
    weights = load_file(str(tiny_model_dir / "model.safetensors"))
    weights.pop(sorted(weights)[-1])
    save_file(weights, str(odd / "model.safetensors"))
    with pytest.raises(InputError, match="do not share one architecture"):
        average_models(odd, tiny_model_dir, 0.5, tmp_path / "y")


def test_a_mean_pooled_model_averages_with_an_attention_pooled_one(
        tiny_model_dir: Path, tmp_path: Path) -> None:
    """Mean pooling is attention pooling with the scorer at zero: the average halves it."""
    import torch

    from stance.model.io import load_model, save_model
    from stance.train.average import average_models

    model, tokenizer = load_model(tiny_model_dir)
    model.add_attention_pooling()
    assert model.pooler is not None
    with torch.no_grad():
        model.pooler.weight.fill_(0.5)
    pooled = save_model(model, tokenizer, tmp_path / "pooled", half=False)
    average_models(tiny_model_dir, pooled, 0.5, tmp_path / "soup")
    mixed = _weights(tmp_path / "soup")
    assert (mixed["pooler.weight"].float() - 0.25).abs().max() < 1e-3
    assert json.loads((tmp_path / "soup" / "stance_config.json").read_text())["pooling"] == (
        "attention")
    with pytest.raises(InputError, match="do not share one architecture"):
        average_models(pooled, tiny_model_dir, 0.5, tmp_path / "other_way")


def test_cli_says_one_sentence_for_a_missing_model(tmp_path: Path, tiny_model_dir: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from stance.train.average import main

    code = main([str(tmp_path / "nothing"), str(tiny_model_dir), "--no-calibrate",
                 "--output", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("stance: cannot read the weights of") and err.count("\n") == 1
