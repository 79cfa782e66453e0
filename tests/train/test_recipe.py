"""The recipe's row preparation: headline-shaped targets for entity-target stance rows."""

from __future__ import annotations

import pytest

from stance.errors import InputError
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


def test_refer_back_replaces_every_mention_of_the_entity_and_only_it() -> None:
    import random

    from stance.train.recipe import refer_back

    rng = random.Random(3)
    out = refer_back("I will never vote for Trump. Trump's plan is a scam, #DonaldTrump",
                     "Donald Trump", rng)
    assert out is not None and "Trump" not in out
    assert out.startswith("I will never vote for ") and ". Its plan is a scam" in out
    assert refer_back("The death penalty is wrong", "death penalty", rng) in (
        "It is wrong", "This is wrong")
    # other words that merely contain the name, handles and lower-case surnames stay
    assert refer_back("Trumpism and @Trump", "Donald Trump", rng) is None
    assert refer_back("I oppose abortion", "Legalization of Abortion", rng) is None


def test_anaphora_rewrites_only_headline_rows_that_name_their_entity_and_keeps_the_gold() -> None:
    rows = [dict(_row("pstance", "Bernie Sanders", "favor"), text="Sanders gets my vote"),
            dict(_row("pstance", "Bernie Sanders", "against"), text="no way, never"),
            dict(_row("semeval2016", "Atheism", "against"), text="Atheism is empty")]
    before = [dict(r) for r in rows]
    assert add_headline_targets(rows, 1.0, seed=2, anaphora=1.0) == 3
    assert [r["text"] != b["text"] for r, b in zip(rows, before, strict=True)] == [True, False,
                                                                                  True]
    assert rows[0]["text"] in ("It gets my vote", "This gets my vote")
    assert rows[1]["text"] == before[1]["text"]
    assert [r["stance"] for r in rows] == [r["stance"] for r in before]
    # without anaphora the draw is the same as before the option existed
    again = [dict(r) for r in before]
    add_headline_targets(again, 1.0, seed=2)
    assert [r["text"] for r in again] == [r["text"] for r in before]


def test_pronoun_check_pairs_named_rows_with_their_rewritten_copies() -> None:
    from stance.train.headlines import pronoun_rows

    rows = [dict(_row("pstance", "Joe Biden", "favor"), text="Biden did well"),
            dict(_row("vast", "school uniforms", "none"), text="no idea")]
    named, pronoun = pronoun_rows(rows)
    assert named == [rows[0]] and len(pronoun) == 1
    assert "Biden" not in pronoun[0]["text"] and pronoun[0]["stance"] == "favor"
    assert "Joe Biden" in pronoun[0]["target"] and set(pronoun[0]) == set(rows[0])


def test_outlet_mentions_name_an_outlet_where_a_claims_row_speaks_of_the_media() -> None:
    from stance.model.outlets import find_outlets
    from stance.train.recipe import add_outlet_mentions

    rows = [dict(_row("comment_claims", None, None), media_bias=True,
                 text="The mainstream media lie to us. MSM hides it."),
            dict(_row("comment_claims", None, None), media_bias=False,
                 text="I saw it on social media"),
            dict(_row("vast", None, None), media_bias=None, text="the media")]
    assert add_outlet_mentions(rows, 1.0, seed=4) == 1
    assert "media" not in rows[0]["text"].lower() and "msm" not in rows[0]["text"].lower()
    assert find_outlets(rows[0]["text"]) and rows[0]["text"][0].isupper()
    assert rows[0]["media_bias"] is True
    assert rows[1]["text"] == "I saw it on social media" and rows[2]["text"] == "the media"
    assert add_outlet_mentions(rows, 0.0, seed=4) == 0


def test_news_headlines_are_the_words_of_article_address_slugs(tmp_path) -> None:
    from stance.train.headlines import news_headlines

    assert news_headlines(tmp_path) == []  # no BABE: no headlines
    (tmp_path / "babe").mkdir()
    links = ["https://example.org/2020/06/council-votes-to-close-the-old-harbour-bridge/",
             "https://example.org/news/council-votes-to-close-the-old-harbour-bridge?utm=x",
             "https://example.org/politics/story.html",  # no slug
             "https://example.org/a/too-short-slug",
             "https://example.org/b/mayor-says-2020-budget-will-add-ten-new-buses.html",
             "https://example.org/c/new-ferry-line-opens-to-the-islands.html"]
    lines = ["text;news_link;outlet"] + [f"a sentence;{link};Outlet" for link in links]
    (tmp_path / "babe" / "sentences.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert news_headlines(tmp_path) == ["Council votes to close the old harbour bridge",
                                        "New ferry line opens to the islands"]


def test_claims_check_scores_the_claim_heads_alone_and_under_headlines(
        tmp_path, tiny_model_dir) -> None:
    import json

    from stance.train.headlines import claims_under_headlines

    (tmp_path / "comment_claims").mkdir()
    (tmp_path / "babe").mkdir()
    rows = [{"id": f"c{k}", "text": f"comment number {k} about the {'news' if k % 3 else 'plot'}",
             "source": "vast", "sampled": "random", "media_bias": k % 5 == 0,
             "media_target": None, "conspiracy": k % 7 == 0, "agreement": "agreed"}
            for k in range(60)]
    (tmp_path / "comment_claims" / "train.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "babe" / "s.csv").write_text(
        "text;news_link;outlet\na;https://x.org/a/council-votes-to-close-the-old-bridge;X\n",
        encoding="utf-8")
    out = claims_under_headlines(str(tiny_model_dir), tmp_path, quantize="none")
    assert out["headlines"] == 1 and 0 < out["rows"] < 60  # the carved dev rows only
    for task in ("media_bias", "conspiracy"):
        for reading in ("alone", "under_headline", "under_headline_one_pass"):
            assert 0.0 <= out[f"{task}_f1_{reading}"] <= 1.0
    (tmp_path / "babe" / "s.csv").unlink()  # no headlines: one clear error, no traceback
    with pytest.raises(InputError, match="babe"):
        claims_under_headlines(str(tiny_model_dir), tmp_path, quantize="none")


@pytest.mark.parametrize("claim,opposite", [
    ("Felons should be allowed to vote", "Felons should not be allowed to vote"),
    ("Big banks are not out of control", "Big banks are out of control"),
    ("Do not stop taxing capital gains", "Stop taxing capital gains"),
    ("We don't need libraries", "We do need libraries"),
    ("Colorado didn’t go too far", "Colorado did go too far"),
    ("Comment sections have failed", "Comment sections have not failed"),
    ("Can't be stopped", "Can be stopped"),
    ("College free for everyone", None),  # no auxiliary says which way it goes
    ("Blasphemy has no place on the statute books", None),  # double negative
    ("Home schoolers have a case", None),  # "have" as the main verb
    ("No, it can't denounce", None),  # answers a question the data leaves out
])
def test_negate_claim(claim: str, opposite: str | None) -> None:
    from stance.train.recipe import negate_claim

    assert negate_claim(claim) == opposite


def test_negated_claims_flip_the_stance_of_claim_rows_only() -> None:
    from stance.train.recipe import add_negated_claims

    def row(dataset: str, target: str, stance: str | None) -> dict:
        return {"dataset": dataset, "target": target, "stance": stance, "text": "a comment",
                "parent_text": ""}

    rows = [row("arc", "Felons should be allowed to vote", "favor"),
            row("perspectrum", "Junk food should not be banned", "against"),
            row("arc", "Felons should be allowed to vote", "none"),  # discuss/unrelated: kept
            row("arc", "College free for everyone", "favor"),  # no opposite
            row("semeval2016", "Atheism", "against")]  # an entity target
    assert add_negated_claims(rows, 1.0, seed=0) == 2
    assert [(r["dataset"], r["target"], r["stance"]) for r in rows[5:]] == [
        ("arc", "Felons should not be allowed to vote", "against"),
        ("perspectrum", "Junk food should be banned", "favor")]
    assert add_negated_claims(rows[:5], 0.0, seed=0) == 0


def test_padded_rows_keep_their_labels_and_take_a_neutral_sentence() -> None:
    from stance.train.recipe import add_padded_rows

    def row(dataset: str, text: str, stance: str | None = None, target: str = "Wind power",
            media: bool | None = None, plot: bool | None = None) -> dict:
        return {"dataset": dataset, "target": target, "stance": stance, "text": text,
                "media_bias": media, "conspiracy": plot, "parent_text": ""}

    neutral = "The turbines were built by a firm from the next county over."
    rows = [row("arc", "I am against it.", "against"),
            row("arc", neutral + " Short bit.", "none"),
            row("vast", "Some other target takes no side here either.", "none", target="Tax"),
            row("rumoureval2019", "Not true, and you know it.", "against"),  # reads its parent
            row("comment_claims", "The networks hide every story that hurts them.", media=True,
                plot=False, target=""),
            row("comment_claims", "We drove out to the coast on a sunny weekend.", media=False,
                plot=False, target=""),
            row("pstance", "Vote for him, he is the one.", "favor", target="Bernie Sanders")]
    n = len(rows)
    assert add_padded_rows(rows, 1.0, seed=0) == 3
    added = rows[n:]
    assert [(r["dataset"], r["stance"], r["media_bias"]) for r in added] == [
        ("arc", "against", None), ("comment_claims", None, True), ("pstance", "favor", None)]
    arc, claims, pstance = added
    assert "I am against it." in arc["text"] and neutral in arc["text"]  # same target's pool
    assert "We drove out to the coast on a sunny weekend." in claims["text"]
    # P-Stance has no neutral rows: its pad comes from another stance dataset's
    assert pstance["text"] != "Vote for him, he is the one." and "he is the one" in pstance["text"]
    assert add_padded_rows(rows[:n], 0.0, seed=0) == 0
    only_arc = rows[:n]
    assert add_padded_rows(only_arc, 1.0, seed=0, datasets=frozenset({"arc"})) == 1
    assert only_arc[n]["dataset"] == "arc"
