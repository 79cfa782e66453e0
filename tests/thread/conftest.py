"""Fixtures for the parser tests: hand-written threads and the shared seeds/dev folders."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
THREADS = FIXTURES / "threads"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not found")
    return SEEDS


@pytest.fixture(scope="session")
def dev_threads(data_dir: Path) -> Path:
    folder = data_dir / "real_threads_dev"
    if not folder.is_dir():
        pytest.skip("real_threads_dev not found in the data folder")
    return folder
