"""The learned segmenter's parts: features without a model, decoding without a page, the
perceptron's update and serialisation, renders with known tags, annotation-derived tags."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from stance.thread.lines.classify import classify
from stance.thread.segment.annotated import page_tags
from stance.thread.segment.decode import (
    ALLOWED,
    STATES,
    TAGS,
    open_page,
    states_for,
    valid,
    viterbi,
)
from stance.thread.segment.features import content_lines, line_features
from stance.thread.segment.learned import layout_from_tags
from stance.thread.segment.perceptron import Perceptron
from stance.thread.segment.render import render_page
from stance.thread.segment.render.page import Page, gold_tags
from stance.thread.segment.render.sources import Tree, load_articles
from stance.thread.segment.render.styles import STYLES, render_comments
from stance.thread.tree.assemble import assemble

PAGE = """Harbor plan approved

The council voted on Tuesday to approve the new harbor plan after a long debate.

3 comments

Mara says:
February 3, 2019 at 9:15 am
I think the plan is too expensive for a town this size.
Reply

Pete Lindqvist says:
February 3, 2019 at 10:02 am
The ferry alone will pay for it within ten years.
Reply
"""

TREE = Tree(texts=("The bridge costs too much and nobody asked the town first.",
                   "It was on the ballot last spring, so people did get asked.",
                   "Ferry prices went up again this week, which is the real problem here."),
            parents=(None, 0, None), source="invented")


def test_features_are_plain_dicts_one_per_content_line() -> None:
    lines = classify(PAGE)
    feats = line_features(lines)
    assert len(feats) == len(content_lines(lines))
    assert all(isinstance(f, dict) and f["bias"] == 1.0 for f in feats)
    names = [k for f in feats for k in f]
    assert all(isinstance(k, str) and len(k) < 80 for k in names)
    says = next(f for f, ln in zip(feats, content_lines(lines), strict=True)
                if ln.text == "Mara says:")
    assert "says" in says and "gap_before=1" in says


def test_features_hold_no_page_words() -> None:
    feats = line_features(classify(PAGE))
    for word in ("harbor", "ferry", "council", "mara", "expensive"):
        assert not any(word in k.lower() for f in feats for k in f)


def test_viterbi_keeps_the_structure() -> None:
    # emissions that would like article text after a comment and a continuation first
    emissions = [[0.0, 0.0, 0.0, 5.0], [0.0, 0.0, 5.0, 0.0], [5.0, 0.0, 0.0, 0.0]]
    zero = [[0.0] * len(STATES) for _ in STATES]
    path = viterbi(emissions, zero)
    assert valid(path)
    tags = [TAGS[s] for s in path]
    assert tags[0] != "C"
    assert "S" not in tags or "A" not in tags[tags.index("S"):]


def test_states_and_constraints_agree() -> None:
    assert valid(states_for(["A", "A", "N", "S", "C", "N", "S"]))
    assert valid(states_for(["S", "C", "S"]))  # an excerpt of the comment section alone
    assert not valid(states_for(["C", "S"]))
    assert not valid(states_for(["A", "C"]))
    assert not valid(states_for(["S", "A"]))
    # a page cut in the middle of a comment: its rest is read as a comment of its own
    assert open_page(["C", "C", "S"]) == ["S", "C", "S"]
    assert open_page(["A", "S", "C"]) == ["A", "S", "C"]


def test_gaps_are_read_against_the_pages_usual_gap() -> None:
    page = ("I moved here in 2009 and the ferry has never once been on time.\n\n"
            "Still, nobody at the council seems to care about it.\n\n\n"
            "The new timetable looks better to me, honestly.\n\n"
            "We will see how it holds up in winter.\n\n\n"
            "Does anyone know if the night boat is coming back?\n")
    lines = classify(page)
    rel = [next((k for k in f if k.startswith("gap_rel=") and "&" not in k), None)
           for f in line_features(lines)]
    assert rel == [None, "gap_rel=usual", "gap_rel=wider", "gap_rel=usual", "gap_rel=wider"]
    assert all(len(row) == len(STATES) for row in ALLOWED)


def test_perceptron_learns_a_page_and_round_trips(tmp_path: Path) -> None:
    lines = classify(PAGE)
    feats = line_features(lines)
    tags = ["A", "A", "N", "N", "N", "S", "N", "N", "N", "S", "N"]
    assert len(tags) == len(feats)
    model = Perceptron()
    wrong = [model.update(feats, states_for(tags)) for _ in range(40)]
    assert not any(wrong[-5:])  # it has learned the page
    assert [TAGS[s] for s in model.decode(feats)] == tags
    final = model.averaged()
    assert valid(final.decode(feats))
    final.save(tmp_path / "w.json")
    data = json.loads((tmp_path / "w.json").read_text())
    assert data["format"].startswith("stance-segmenter") and "weights" in data
    assert Perceptron.load(tmp_path / "w.json").decode(feats) == final.decode(feats)


def test_start_penalty_applies_when_decoding_only(tmp_path: Path) -> None:
    """`meta["start_penalty"]` lowers every comment-start score at decode time, survives a
    save, and is no part of training (a model learns the same weights with or without it)."""
    feats = line_features(classify(PAGE))
    tags = ["A", "A", "N", "N", "N", "S", "N", "N", "N", "S", "N"]
    plain, penalised = Perceptron(), Perceptron(meta={"start_penalty": 1e6})
    for _ in range(10):
        plain.update(feats, states_for(tags))
        penalised.update(feats, states_for(tags))
    assert plain.weights == penalised.weights
    assert [TAGS[s] for s in plain.decode(feats)].count("S") == 2
    decoded = [TAGS[s] for s in penalised.decode(feats)]
    assert "S" not in decoded and valid(penalised.decode(feats))
    final = penalised.averaged()
    final.save(tmp_path / "w.json")
    assert Perceptron.load(tmp_path / "w.json").start_penalty == 1e6


def test_tags_become_drafts_and_comments() -> None:
    lines = classify(PAGE)
    tags = ["A", "A", "N", "N", "N", "S", "N", "N", "N", "S", "N"]
    found = layout_from_tags(lines, tags)
    assert [d.author for d in found.drafts] == ["Mara", "Pete Lindqvist"]
    comments = assemble(found.drafts).comments
    assert [c.text for c in comments] == [
        "I think the plan is too expensive for a town this size.",
        "The ferry alone will pay for it within ten years."]


@pytest.mark.parametrize("name", sorted(STYLES))
def test_every_style_renders_tagged_pages(name: str) -> None:
    for seed in range(3):
        rng = random.Random(seed)
        style = STYLES[name](rng)
        assert style.name == name
        page = Page()
        render_comments(page, TREE, style, rng, drop_head=0.0)
        text = page.text()
        starts, spans = page.spans()
        lines = classify(text)
        tags = gold_tags(text, starts, spans, lines)
        assert len(tags) == len(content_lines(lines))
        assert set(tags) <= set(TAGS)
        assert tags.count("S") == len(TREE)  # each comment opens once, whatever the style


def test_forum_profile_blocks_are_no_ones_text() -> None:
    rng = random.Random(4)
    page = Page()
    render_comments(page, TREE, STYLES["forum_profile"](rng), rng, drop_head=0.0)
    text = page.text()
    starts, spans = page.spans()
    lines = classify(text)
    tags = gold_tags(text, starts, spans, lines)
    stats = [t for ln, t in zip(content_lines(lines), tags, strict=True)
             if any(cue in ln.text for cue in ("Posts:", "posts", "Joined:", "Karma:",
                                                "Reputation:", "Location:", "Likes:"))]
    assert stats and set(stats) == {"N"}


def test_news_stories_come_from_news_sentences(tmp_path: Path) -> None:
    folder = tmp_path / "babe"
    folder.mkdir()
    rows = [f"Officials said on Monday that the harbour project would cost {k} million.;"
            f"http://example.org/{k};Example Times;harbour;center;Non-biased;Factual;[];{k}"
            for k in range(12)]
    (folder / "final_labels_SG2.train.csv").write_text(
        "text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words;orig_row\n"
        + "\n".join(rows) + "\n", encoding="utf-8")
    stories = load_articles(tmp_path, seed=1)
    assert stories and all(t.source == "news" and t.parents == (None,) * len(t)
                           for t in stories)
    sentences = [s for t in stories for para in t.texts for s in para.split("million. ")]
    assert len(sentences) == 12  # every sentence once, grouped into paragraphs
    assert load_articles(tmp_path / "missing") == []


def test_comment_section_heads_are_no_ones_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The controls a rendered comment section opens with ("Sort by: Newest | Top", "Sign in
    to comment") come in many shapes, are tagged N, and leave the page's other draws as they
    were: with or without them, every other line of the page is the same."""
    from stance.thread.segment.render import parts

    rng = random.Random(0)
    heads = [parts.section_head(12, rng) for _ in range(200)]
    assert all(1 <= len(h) <= 3 and all(line.strip() for line in h) for h in heads)
    assert len({line for h in heads for line in h}) > 100

    marker = "Sort by: Zeta | Eta"
    def rendered(head: list[str]) -> list[tuple[str, str]]:
        monkeypatch.setattr(parts, "section_head", lambda n, rng: list(head))
        out = []
        for seed in range(40):
            page = render_page(TREE, TREE, random.Random(seed))
            lines = classify(page.text)
            tags = gold_tags(page.text, page.starts, page.tags, lines)
            out += [(ln.text, t) for ln, t in zip(content_lines(lines), tags, strict=True)]
        return out

    with_head, without = rendered([marker]), rendered([])
    assert {t for text, t in with_head if text == marker} == {"N"}
    assert [row for row in with_head if row[0] != marker] == without


def test_renders_are_seeded() -> None:
    one = render_page(TREE, TREE, random.Random(3))
    two = render_page(TREE, TREE, random.Random(3))
    assert one == two


def test_annotation_gives_line_tags() -> None:
    expected = {"article_present": True, "comments": [
        {"id": "c1", "parent": None, "first_words": "I think the plan", "author": "Mara"},
        {"id": "c2", "parent": None, "first_words": "The ferry alone", "author": "Pete Lindqvist"}],
        "artifacts": ["Reply", "February 3, 2019"]}
    tags = page_tags(classify(PAGE), expected)
    assert tags.count("S") == 2 and tags[:2] == ["A", "A"]
    assert valid(states_for(tags))


def test_lossy_blogger_section_starts_at_the_first_labelled_comment() -> None:
    from stance.thread.segment.learned import _lossy_blogger_tags

    page = ("Harbor plan approved after a long night\n"
            "Read the council's own summary here, it is worth your time.\n"
            "I think the plan is too expensive for a town this size.\n"
            "ReplyDelete\n"
            "The ferry alone will pay for it within ten years.\n"
            "ReplyDelete\n")
    content = content_lines(classify(page))  # "ReplyDelete" is two label lines
    assert len(content) == 8
    # a tagger that took the article's chatty last line for the first comment
    tags = _lossy_blogger_tags(content, ["A", "S", "S", "N", "N", "S", "N", "N"])
    assert tags == ["A", "A", "S", "N", "N", "S", "N", "N"]
    # and one that ran the article into the first comment's line
    assert _lossy_blogger_tags(content, ["A", "A", "A", "N", "N", "S", "N", "N"]) == tags
    # and one that read the whole short page as article: the labels stay labels
    assert _lossy_blogger_tags(content, ["A"] * 8) == ["A", "A", "S", "N", "N", "S", "N", "N"]


def test_a_section_of_headed_comments_counts_without_an_announcement() -> None:
    """Where the rules see no comments, the tagger's section counts when something announces
    it, or when three or more of its comments each follow an author/footer line."""
    from stance.thread.segment.learned import _announced

    page = "\n".join([
        "The harbour board met on Tuesday to discuss the new ferry timetable.",
        "Members said the winter service would stay as it is for another year.",
        "Subscribe now for full access to every story.",
        "Mara Olsen on", "The winter service is fine but the summer boats are always full.",
        "Pete Lindqvist on", "I would like an earlier boat on Sundays for people who work.",
        "Rosa Delgado on", "Thanks for covering this, the board rarely explains its choices."])
    lines = classify(page)
    headed = ["A", "A", "S", "N", "S", "N", "S", "N", "S"]
    assert _announced(headed, layout_from_tags(lines, headed))
    two = ["A", "A", "A", "A", "A", "N", "S", "N", "S"]  # announced: a header opens it
    assert _announced(two, layout_from_tags(lines, two))
    bare = ["A", "A", "A", "A", "S", "A", "A", "A", "A"]  # one unannounced "comment"
    assert not _announced(bare, layout_from_tags(lines, bare))
    once = ["A", "A", "A", "A", "S", "N", "S", "A", "A"]  # one headed comment is not enough
    assert not _announced(once, layout_from_tags(lines, once))


def test_a_dated_story_the_rules_took_for_a_comment_goes_back_to_the_article() -> None:
    """Rules read a story's date line as a comment header; where that draft names no author
    and the tagger reads all its text as the story, the story stays the article."""
    from stance.thread.segment import rules
    from stance.thread.segment.learned import _story_kept

    page = "\n".join([
        "Saturday, March 4, 2023", "",
        "Ferry timetable stays for another winter", "",
        "The harbour board met on Tuesday and kept the winter service as it is.", "",
        "Mara Olsen said...", "",
        "The winter service is fine but the summer boats are always full.", "",
        "10:54 PM", "Pete Lindqvist said...", "",
        "I would like an earlier boat on Sundays for people who work.", "",
        "9:11 PM"])
    lines = classify(page)
    ruled = rules.layout(lines)
    assert ruled.drafts and ruled.drafts[0].author is None  # the date opened a "comment"
    content = content_lines(lines)
    story = {ln.index for d in ruled.drafts if d.author is None for ln in d.lines}
    tags = ["A" if ln.index in story or ln.index < 3 else "N" if ln.kind != "text" else "S"
            for ln in content]
    kept = _story_kept(lines, ruled, tags)
    assert [d.author for d in kept.drafts] == ["Mara Olsen", "Pete Lindqvist"]
    assert any("harbour board" in ln.text for ln in kept.article)
    # where the tagger reads that text as a comment, the rule layout stands
    as_comment = ["S" if ln.index in story and ln.kind == "text" else t
                  for ln, t in zip(content, tags, strict=True)]
    assert _story_kept(lines, ruled, as_comment) is ruled
