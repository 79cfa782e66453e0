"""find_outlets: hand-written sentences, and precision/recall on comment_claims' dev slice."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.model.outlets import find_outlets, normalize_targets, outlet_scores


@pytest.mark.parametrize(("text", "expected"), [
    ("CNN and the mainstream media never tell you this.", ["cnn", "msm"]),
    ("Watching @FoxNews spin it again #FoxNews", ["fox news"]),
    ("The New York Times buried the story; so did the NYT's rivals.", ["nyt"]),
    ("Washington Post and WaPo readers, look at the BBC coverage", ["washington post", "bbc"]),
    ("Journalists and pundits on MSNBC agree", ["journalists", "pundits", "msnbc"]),
    ("the lamestream media and the corporate media", ["msm", "corporate media"]),
])
def test_finds_and_normalises_outlets(text: str, expected: list[str]) -> None:
    assert find_outlets(text) == expected


@pytest.mark.parametrize("text", [
    "Social media is full of bots.",
    "She held a press conference this morning.",
    "a fox ran across the road",
    "His legal guardian signed the form.",
    "",
])
def test_ordinary_words_are_not_outlets(text: str) -> None:
    assert find_outlets(text) == []


def test_longest_name_wins_over_words_inside_it() -> None:
    assert find_outlets("The mainstream media again") == ["msm"]
    assert find_outlets("FOX News said") == ["fox news"]


def test_gold_targets_are_normalised_like_predictions() -> None:
    assert normalize_targets("msm; fox") == {"msm", "fox news"}
    assert normalize_targets("the mainstream media; nytimes") == {"msm", "nyt"}
    assert normalize_targets("some blog") == {"some blog"}
    assert normalize_targets(None) == set()


def test_outlet_scores_count_pairs() -> None:
    scores = outlet_scores(["CNN lies", "the BBC and Fox News"], ["cnn", "bbc"])
    assert scores["outlets_precision"] == pytest.approx(2 / 3)
    assert scores["outlets_recall"] == pytest.approx(1.0)


@pytest.mark.data
def test_outlets_on_claims_dev_slice(data_dir: Path) -> None:
    from stance.train.registry import claims_media_targets

    folder = data_dir / "comment_claims"
    if not folder.is_dir():
        pytest.skip("comment_claims not in STANCE_DATA")
    texts, gold = claims_media_targets(folder, "dev")
    scores = outlet_scores(texts, gold)
    assert len(texts) > 40
    assert scores["outlets_precision"] >= 0.75
    assert scores["outlets_recall"] >= 0.70
