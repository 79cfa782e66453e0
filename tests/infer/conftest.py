"""Fixtures for the inference tests: a private ONNX export cache and small thread sets."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from stance.infer.synthetic import generate_threads
from stance.thread.model import Thread


@pytest.fixture(scope="session")
def infer_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An ONNX export cache for this test session (also for CLI subprocesses, via the env)."""
    path = str(tmp_path_factory.mktemp("stance-cache"))
    old = os.environ.get("STANCE_CACHE")
    os.environ["STANCE_CACHE"] = path
    yield path
    if old is None:
        os.environ.pop("STANCE_CACHE", None)
    else:
        os.environ["STANCE_CACHE"] = old


@pytest.fixture(scope="session")
def few_threads() -> list[Thread]:
    """About 120 synthetic comments in threads with replies."""
    return list(generate_threads(120, seed=3, mean_comments=10))

