"""Shared fixtures. Tier 1: a tiny random model (seconds); tier 2: the shipped default model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def data_root() -> Path | None:
    """The annotated-data folder (STANCE_DATA, default data/ or ../shared/data), or None."""
    for candidate in (os.environ.get("STANCE_DATA"), "data", str(REPO.parent / "shared" / "data")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    root = data_root()
    if root is None:
        pytest.skip("annotated data folder not found (set STANCE_DATA)")
    return root


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved tiny random model directory (loads like any stance model)."""
    import torch

    torch.set_num_threads(1)
    from stance.model.tiny import save_tiny_model

    return save_tiny_model(tmp_path_factory.mktemp("models") / "tiny")


@pytest.fixture(scope="session")
def default_model_dir() -> Path:
    from stance.model.io import default_model_dir as find

    path = find()
    if not (path / "stance_config.json").is_file():
        pytest.skip("no shipped default model in models/default")
    return path
