"""A tiny randomly initialised model with the real tokenizer: for tests and smoke runs only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stance.model.config import ModelConfig


def build_tiny_model(seed: int = 0, hidden: int = 32, layers: int = 2) -> tuple[Any, Any]:
    """A MultiTaskModel on a 2-layer, 32-wide BERT (random weights) and the packaged tokenizer."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from stance.model.io import default_base_path
    from stance.model.multitask import MultiTaskModel

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(default_base_path())
    enc_cfg = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=hidden,
                         num_hidden_layers=layers, num_attention_heads=2,
                         intermediate_size=hidden * 2, max_position_embeddings=512)
    config = ModelConfig(name="tiny-test", version="0.0.0", base="random-bert-tiny",
                         max_length=64, head_hidden=16)
    return MultiTaskModel(BertModel(enc_cfg), config), tokenizer


def save_tiny_model(directory: str | Path, seed: int = 0) -> Path:
    from stance.model.io import save_model

    model, tokenizer = build_tiny_model(seed)
    return save_model(model, tokenizer, directory, half=False)
