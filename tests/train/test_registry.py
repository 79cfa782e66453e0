"""The dataset registry on the shared data (skipped when STANCE_DATA is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.errors import InputError
from stance.model.tasks import TASKS
from stance.train import registry
from stance.train.data import load_source, split_rows
from stance.train.rows import rows_from_records

CARVED = ("vast", "subreddit_agreement", "comment_claims", "pan2024_oppositional_en",
          "prct_youtube")


def _folder(data_dir: Path, name: str) -> Path:
    path = data_dir / name
    if not path.is_dir():
        pytest.skip(f"{name} not in STANCE_DATA")
    return path


@pytest.mark.data
@pytest.mark.parametrize("name", [n for n in registry.REGISTRY if n != "babe"])
def test_dev_split_maps_onto_its_heads(data_dir: Path, name: str) -> None:
    spec = registry.REGISTRY[name]
    rows = load_source(_folder(data_dir, name), "dev")
    assert len(rows) > 50
    assert {r["dataset"] for r in rows} == {spec.tag}
    for task in TASKS:
        labelled = [r for r in rows if r[task] is not None]
        assert bool(labelled) == (task in spec.heads), task
    if "stance" in spec.heads:
        assert all(r["target"] for r in rows)


@pytest.mark.data
@pytest.mark.parametrize("name", CARVED)
def test_carved_dev_is_disjoint_and_fixed(data_dir: Path, name: str) -> None:
    folder = _folder(data_dir, name)
    dev = load_source(folder, "dev")
    train = load_source(folder, "train")
    pairs = {(r["parent_text"], r["text"]) for r in dev}
    assert not pairs & {(r["parent_text"], r["text"]) for r in train}
    again = rows_from_records(registry.load_folder(folder, "dev"))
    assert [r["text"] for r in again] == [r["text"] for r in dev]


@pytest.mark.data
def test_rumoureval_reads_replies_toward_their_source(data_dir: Path) -> None:
    rows = load_source(_folder(data_dir, "rumoureval2019"), "dev")
    labels = {r["stance"] for r in rows}
    assert labels == {"favor", "against", "query", "none"}
    replies = [r for r in rows if r["parent_text"]]
    assert replies and all(r["target"] != r["text"] for r in replies)


def test_unknown_folder_and_split(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no known dataset folder"):
        load_source(tmp_path, "dev")
    (tmp_path / "pstance").mkdir()
    with pytest.raises(InputError, match="unknown split"):
        registry.load_folder(tmp_path / "pstance", "test")
    with pytest.raises(InputError, match="expected file is missing"):
        registry.load_folder(tmp_path / "pstance", "dev")


def test_carve_is_stratified_and_keeps_groups_together() -> None:
    keys = [i // 2 for i in range(40)]  # pairs of rows share a key
    strata = ["a" if i < 20 else "b" for i in range(40)]
    chosen = registry.carve(keys, strata, 0.2, seed=1)
    assert len(chosen) == 8
    assert all((i ^ 1) in chosen for i in chosen)
    assert sum(1 for i in chosen if i < 20) == 4
    assert chosen == registry.carve(keys, strata, 0.2, seed=1)


def test_pick_keeps_shared_keys_out_of_train() -> None:
    records = [{"text": t} for t in ["x", "x", "y", "z"]]
    keys = [r["text"] for r in records]
    assert registry._pick(records, {0}, "dev", keys) == [{"text": "x"}]
    assert registry._pick(records, {0}, "train", keys) == [{"text": "y"}, {"text": "z"}]


def test_split_rows_for_files() -> None:
    rows = rows_from_records([{"text": f"text {i}", "sentiment": "positive" if i % 2 else
                               "negative"} for i in range(50)])
    train, dev = split_rows(rows, 0.2, seed=3)
    assert len(dev) == 10 and len(train) == 40
    assert not {r["text"] for r in dev} & {r["text"] for r in train}
