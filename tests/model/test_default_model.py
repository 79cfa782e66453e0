"""Tier 2: the shipped default model loads offline, is small, calibrated, and makes sense."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stance.model.tasks import TASK_NAMES

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def shipped(default_model_dir: Path) -> tuple[Any, Any]:
    import torch

    from stance.model.io import load_model

    torch.set_num_threads(2)
    return load_model(default_model_dir, device="cpu")


def test_size_and_files(default_model_dir: Path) -> None:
    total = sum(p.stat().st_size for p in default_model_dir.iterdir() if p.is_file())
    assert total <= 50 * 1024 * 1024
    assert (default_model_dir / "README.md").is_file()
    assert not list(default_model_dir.glob("*.bin")) and not list(default_model_dir.glob("*.pt"))
    config = json.loads((default_model_dir / "stance_config.json").read_text())
    assert set(config["temperatures"]) == set(TASK_NAMES)
    assert set(config["thresholds"]) == {"media_bias", "conspiracy"}


def _predict(model: Any, tokenizer: Any, rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    from stance.train.evaluate import evaluate_model

    result = evaluate_model(model, tokenizer, rows)
    return {task: pred for task, (_, pred) in result.predictions.items()}


def test_obvious_cases(shipped: tuple[Any, Any]) -> None:
    model, tokenizer = shipped
    rows = [
        {"text": "What a wonderful day, I love everyone here!", "sentiment": "positive"},
        {"text": "This is the worst, most miserable service I have ever had.",
         "sentiment": "negative"},
        {"text": "CNN and the rest of the mainstream media lie to you every single day.",
         "media_bias": True, "conspiracy": False},
        {"text": "I made pasta for dinner and it was fine.", "media_bias": False,
         "conspiracy": False},
        {"text": "Wake up people, the elites planned this virus to control and depopulate us.",
         "conspiracy": True},
        {"text": "Best president ever, four more years!", "target": "Donald Trump",
         "stance": "favor"},
        {"text": "He is a liar and a disgrace, never voting for him.", "target": "Donald Trump",
         "stance": "against"},
        {"text": "Yes, exactly, I agree completely.", "parent_text": "Masks help in crowds.",
         "agreement": "agree"},
        {"text": "No, that is false and you know it.", "parent_text": "Masks help in crowds.",
         "agreement": "disagree"},
    ]
    pred = _predict(model, tokenizer, rows)
    assert pred["sentiment"] == ["positive", "negative"]
    assert pred["media_bias"] == ["true", "false"]
    assert pred["conspiracy"] == ["false", "false", "true"]
    assert pred["stance"] == ["favor", "against"]
    assert pred["agreement"] == ["agree", "disagree"]
