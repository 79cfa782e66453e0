"""The recipe's row preparation: headline-shaped targets for entity-target stance rows."""

from __future__ import annotations

from stance.train.recipe import HEADLINES, add_headline_targets


def _row(dataset: str, target: str | None, stance: str | None) -> dict[str, object]:
    return {"dataset": dataset, "text": "a comment", "target": target, "stance": stance}


def test_headline_targets_wrap_the_entity_of_entity_target_stance_rows_only() -> None:
    rows = [_row("pstance", "Joe Biden", "favor"), _row("semeval2016", "Atheism", "against"),
            _row("arc", "Guns should be banned", "favor"),  # already a claim
            _row("pstance", "Joe Biden", None),  # no stance label: keeps its target
            _row("tweeteval_sentiment", None, None)]
    assert add_headline_targets(rows, 1.0, seed=1) == 2
    shapes = {h.replace("{t}", "") for h in HEADLINES}
    for row, entity in zip(rows[:2], ("Joe Biden", "Atheism"), strict=True):
        target = str(row["target"])
        assert entity in target and target != entity
        assert target.replace(entity, "") in shapes
    assert [r["target"] for r in rows[2:]] == ["Guns should be banned", "Joe Biden", None]


def test_headline_fraction_zero_changes_nothing_and_the_draw_is_seeded() -> None:
    rows = [_row("vast", f"topic {k}", "none") for k in range(200)]
    assert add_headline_targets([dict(r) for r in rows], 0.0, seed=1) == 0
    first = [dict(r) for r in rows]
    second = [dict(r) for r in rows]
    n = add_headline_targets(first, 0.3, seed=7)
    assert 30 < n < 90 and add_headline_targets(second, 0.3, seed=7) == n
    assert [r["target"] for r in first] == [r["target"] for r in second]


def test_headline_check_reads_copies_under_headlines_and_keeps_the_gold() -> None:
    from stance.train.headlines import headline_rows

    rows = [_row("pstance", "Bernie Sanders", "against"), _row("vast", "school uniforms", "none")]
    moved = headline_rows(rows)
    assert [r["target"] for r in rows] == ["Bernie Sanders", "school uniforms"]  # untouched
    assert [r["stance"] for r in moved] == ["against", "none"]
    assert all(str(m["target"]) != str(r["target"]) and str(r["target"]) in str(m["target"])
               for m, r in zip(moved, rows, strict=True))
