"""The scorer, and the parser's pinned quality floors on annotated threads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stance.thread.model import Comment, Thread
from stance.thread.score import annotated_files, match, normalise, score_folder, score_thread

THREADS = Path(__file__).resolve().parents[1] / "fixtures" / "threads"
HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "threads_heldout"
REPLIES = Path(__file__).resolve().parents[1] / "fixtures" / "threads_replies"


def _thread(*comments: tuple[str, str | None, str]) -> Thread:
    return Thread("t", comments=tuple(Comment(id=i, parent_id=p, text=t) for i, p, t in comments))


EXPECTED = {
    "article_present": False,
    "comments": [
        {"id": "c1", "parent": None, "first_words": "Build the bridge"},
        {"id": "c2", "parent": "c1", "first_words": "It costs “too much”"},
        {"id": "c3", "parent": "c1", "alt_parents": [None], "first_words": "Both of you"},
        {"id": "c4", "parent": "c3", "first_words": ""},
    ],
    "artifacts": ["Reply", "Anonymous said..."],
}


def test_normalise_folds_quotes_case_and_space() -> None:
    assert normalise("It  costs\n“too MUCH”") == 'it costs "too much"'


def test_perfect_parse_scores_one() -> None:
    thread = _thread(("a", None, "Build the bridge now."), ("b", "a", 'It costs "too much".'),
                     ("c", None, "Both of you are wrong."), ("d", "c", ""))
    score = score_thread("x", EXPECTED, thread)
    assert (score.matched, score.parents_right, score.leaked) == (4, 4, [])
    assert score.article_ok


def test_merged_comments_lose_recall_and_leaks_are_found() -> None:
    thread = _thread(("a", None, "Build the bridge now.\nReply\nIt costs too much"),
                     ("b", "a", "Both of you are wrong. Anonymous said..."))
    score = score_thread("x", EXPECTED, thread)
    assert score.matched == 2 and score.predicted == 2 and score.expected == 4
    assert score.parents_right == 2
    assert score.leaked == ["Reply", "Anonymous said..."]


def test_matching_is_in_document_order() -> None:
    expected = [{"first_words": "same words"}, {"first_words": "same words"}]
    thread = _thread(("a", None, "same words here"), ("b", None, "other"),
                     ("c", None, "same words again"))
    assert match(expected, thread) == {0: 0, 1: 2}


def test_wrong_parent_is_counted_wrong() -> None:
    thread = _thread(("a", None, "Build the bridge"), ("b", None, 'It costs "too much"'),
                     ("c", "b", "Both of you"), ("d", "a", ""))
    score = score_thread("x", EXPECTED, thread)
    assert score.matched == 4 and score.parents_right == 1


def test_hand_written_fixture_threads_meet_floors() -> None:
    """Our own invented threads in about 45 site styles (tests/fixtures/threads).

    Before the answer/tagline rules: F1 0.9966 (146 of 147 comments), parent accuracy 1.00,
    0 leaked, article 47/48 (h45: a Quora-like answer under "Name" / "tagline · 3y" and a
    "14" / "2 comments" counter row went into the article). Measured at the time of pinning:
    F1 1.00, parent accuracy 1.00, 0 leaked, article 48/48; h45 is pinned in test_post_heads.
    Re-pinned 2026-12-06 with the learned segmenter as the default (these threads are not
    trained on): F1 0.990 (150 predicted for 147: h27's lossy Blogger lines after a label are
    replies of their own, as the seed's annotation reads that format), parent accuracy 1.00,
    0 leaked, article 47/48 (h35, a mailing-list thread: the subject and the first "On ...
    wrote:" line are taken for an article). The rules were written against these threads.
    """
    assert len(annotated_files(THREADS)) >= 30
    summary = score_folder(THREADS)
    assert summary.f1 >= 0.97, summary.to_dict()
    assert summary.parent_accuracy >= 0.95, summary.to_dict()
    assert summary.leaked == 0, [(f.name, f.leaked) for f in summary.files if f.leaked]
    assert summary.article_accuracy >= 0.97, [f.name for f in summary.files if not f.article_ok]


def test_held_out_threads_meet_floors() -> None:
    """Invented threads in site styles the rules were not first written for
    (tests/fixtures/threads_heldout: new/old Reddit, Hacker News, YouTube, Facebook, Discourse,
    phpBB/vBulletin signatures, Guardian, X/Twitter, Stack Exchange, mail archives, LinkedIn,
    Instagram, GitHub, Lemmy, Mastodon, Medium, Kinja, Steam, Discord, Nextdoor, Quora, Threads).

    First pass of the parser before the rules for them, all 30 files: boundary F1 0.71, parent
    accuracy 1.00 over the matched comments, 40 leaked artifacts, article presence 23/30.
    Measured at the time of pinning: F1 0.995, parent accuracy 1.00, 0 leaked, article
    presence 29/30 (y06: a Mastodon original post is taken as the first comment). With the
    Fediverse original-post rule: F1 1.00, parent accuracy 1.00, 0 leaked, article 30/30;
    y06 is pinned on its own so that it cannot slip back.
    """
    assert len(annotated_files(HELDOUT)) >= 30
    summary = score_folder(HELDOUT)
    assert summary.f1 >= 0.97, summary.to_dict()
    assert summary.parent_accuracy >= 0.95, summary.to_dict()
    assert summary.leaked == 0, [(f.name, f.leaked) for f in summary.files if f.leaked]
    assert summary.article_accuracy >= 0.95, summary.to_dict()
    mastodon = score_folder(HELDOUT, only=lambda name: name.startswith("y06_"))
    assert mastodon.files and mastodon.article_accuracy == 1.0, mastodon.to_dict()
    assert mastodon.f1 == 1.0, mastodon.to_dict()


def test_reply_structure_threads_meet_floors() -> None:
    """Invented threads written for the reply-structure rules (tests/fixtures/threads_replies):
    old Reddit indented, cut by "continue this thread" and flat (parents only from "parent"
    links and answer-backs), a Mastodon thread whose replies address the original post by
    handle, and a flat news page with "In reply to NAME", "@Name:", "Replying to NAME:", "> "
    and “quoted sentence” openings.

    Scored before the rules, all 5 files: F1 0.923, parent accuracy 0.833 (flat old Reddit
    flattened to one level, Mastodon and quotation parents missed), 2 leaked artifacts,
    article presence 4/5. Measured at the time of pinning: F1 1.00, parent accuracy 1.00,
    0 leaked, article presence 5/5.

    r06 (a flat news page where one comment opens by quoting the article and an earlier
    comment repeated that sentence) was added with the rule that a quotation of the article
    gives no parent: before it 5 of its 6 parents were right (folder 43/44 = 0.977), after
    6 of 6 (folder 44/44 = 1.00).
    """
    assert len(annotated_files(REPLIES)) >= 6
    summary = score_folder(REPLIES)
    assert summary.f1 >= 0.97, summary.to_dict()
    assert summary.parent_accuracy >= 0.95, summary.to_dict()
    assert summary.leaked == 0, [(f.name, f.leaked) for f in summary.files if f.leaked]
    assert summary.article_accuracy == 1.0, summary.to_dict()
    flat = score_folder(REPLIES, only=lambda name: name.startswith("r03_"))
    assert flat.parent_accuracy == 1.0, flat.to_dict()  # depth 2 and 3 without indentation
    quoting = score_folder(REPLIES, only=lambda name: name.startswith("r06_"))
    assert quoting.parent_accuracy == 1.0, quoting.to_dict()  # the article's sentence quoted


@pytest.mark.data
def test_dev_threads_meet_pinned_floors(dev_threads: Path) -> None:
    """Real scraped threads with hand annotations (../shared/data/real_threads_dev, 39 pages,
    each from a different site), scored SITE-DISJOINTLY: 3 folds, every page parsed by
    segmenter weights fitted without it (renders of the shared datasets' comment trees plus
    the other folds' pages), as `stance.thread.segment.evaluate` does, in a smaller
    configuration (400 renders, 5 epochs) so that it runs in seconds.

    History: the floors before the first re-pin (F1 0.95, parents 0.95) were in-sample (the
    rules were written against the first 12 pages) and the code then got 0.63 over all 39.
    Re-pinned 2026-12-06, fourth session, after news stories in the renders, the voice and
    relative-gap features, pages that may open with a comment, bare and forum renders and
    6,000 renders x 12 epochs for the shipped weights. This configuration (seed 13) measures:
    learned F1 0.675, parents 0.741, 14 leaked; default ("auto") on the 27 pages its rules never
    saw F1 0.698, parents 0.735 (third session: learned 0.638 / 0.832 / 16, auto 0.564 /
    0.790). The full configuration is in models/segmenter/README.md. Parent accuracy is
    scored over matched comments: it fell because comments are now found on pages without
    any reply structure whose annotated parents are guesses from content (one such page went
    from 5 to 19 matched comments, 3 with the annotated parent); over the pages where as many
    comments are matched as before it did not move (full configuration, learned: 55 then, 54
    now of 65; auto: 97 of 107 both times). Fifth session (wider auto gate, addressed-by-name
    replies; same weights): this configuration measures learned 0.675 / 0.748 / 14, auto on
    the 27 added F1 0.698, parents 0.747, 19 leaked (the full configuration's gains, F1 +0.04
    for auto, do not show at 400 renders). Sixth session (a comment-start penalty of 300 at
    decoding, chosen by nested site-disjoint CV for the full configuration; the same value
    here, where the weights are smaller): learned 0.700 / 0.789 / 17, auto on the 27 added
    F1 0.681, parents 0.779, 20 leaked (the full configuration: learned 0.719 -> 0.727,
    auto 0.743 -> 0.759, mean of three seeds); with trackback blocks as chrome: learned 0.705
    / 0.828 / 15, auto on the 27 added 0.688 / 0.779 / 19; with a name set apart above a
    date as a header: learned 0.699 / 0.791 / 12, auto 0.688 / 0.779 / 14; with "Tracked on
    DATE" as chrome: learned 0.725 / 0.774 / 12, auto 0.717 / 0.753 / 13. Ninth session
    (a salutation line is never an author name): learned 0.723 / 0.782 / 11, auto on the 27
    added 0.737 / 0.762 / 13 (floors unchanged). Eleventh session, 2026-12-07 (comment-section
    heads in the renders; the full configuration, mean of three seeds: auto on the 27 added F1
    0.787 -> 0.786, leaked 7.3 -> 6.3): this configuration measures learned 0.699 / 0.840 /
    15, auto on the 27 added 0.702 / 0.825 / 14 (floors unchanged). Twelfth session (an
    authorless leading rule block that the tagger reads as the story goes back to the
    article): the same figures in this configuration. Eighteenth session (a bulleted list of
    comments is read as the numbered one is; weights retrained): learned 0.685 / 0.836 / 12,
    auto on the 27 added 0.745 / 0.826 / 11 (floors unchanged). Twentieth session (bare-name
    headers placed by buttons, footers past the page tail, and the rest of that session's
    rule fixes; weights retrained): learned 0.711 / 0.835 / 11, auto on the 27 added 0.757 /
    0.828 / 11 (floors unchanged). Twenty-first session (forum engines' quotations and
    opening posts, dash-signed excerpts, and the rest of that session's rule fixes; weights
    retrained): learned 0.726 / 0.821 / 13, auto on the 27 added 0.767 / 0.851 / 11; floors
    raised to learned 0.66 / 0.75 / 16 and auto 0.70 / 0.75. Several of that session's fixes
    were found on seven of the 27 added pages, so auto's figure there is not wholly
    site-disjoint (models/segmenter/README.md gives the 20 other pages apart). The issue's
    targets (F1 0.85, parents 0.80, no leaks) are NOT met here; the floors sit a little below
    what is measured, so that a change for the worse shows.
    """
    from stance.thread.segment.evaluate import cross_validate, report
    from stance.thread.segment.train import TrainConfig, render_examples

    config = TrainConfig(renders=400, epochs=5)
    scores = cross_validate(dev_threads, render_examples(dev_threads.parent, config), 3, config)
    learned, auto = report(scores["learned"]), report(scores["auto"])
    assert learned["all"]["files"] == 39
    assert learned["all"]["boundary_f1"] >= 0.66, learned["all"]
    assert learned["all"]["parent_accuracy"] >= 0.75, learned["all"]
    assert learned["all"]["leaked_artifacts"] <= 16, learned["all"]
    assert auto["added_27"]["boundary_f1"] >= 0.70, auto["added_27"]
    assert auto["added_27"]["parent_accuracy"] >= 0.75, auto["added_27"]


@pytest.mark.data
def test_seed_thread_meets_its_floors(data_dir: Path) -> None:
    """The seed's lossy Blogger thread (../shared/seeds/000_*, never trained on) with the
    shipped segmenter: one comment per line, ReplyDelete/Delete giving the two-level tree.
    Measured 2026-12-06 with the weights shipped then: F1 0.947 (18 of 20 found, none wrong),
    parent accuracy 1.00, 0 leaked (the rules read it as 6 comments, F1 0.46); with the weights
    of the third and fourth sessions F1 1.00 (20 of 20)."""
    seeds = data_dir.parent / "seeds"
    if not any(seeds.glob("*.expected.json")):
        pytest.skip("no annotated seed thread")
    summary = score_folder(seeds)
    assert summary.f1 >= 0.90, summary.to_dict()
    assert summary.parent_accuracy >= 0.90, summary.to_dict()
    assert summary.leaked == 0, summary.to_dict()


@pytest.mark.data
def test_blogger_pages_from_real_trees_meet_their_floors(data_dir: Path) -> None:
    """`stance parse` (shipped weights, default choice) on Blogger pages rendered from 30
    real reply trees of the data folder, each as HTML, as the browser's full-text copy and as
    the seed's lossy text (`stance.thread.segment.render.blogger`): issue #12 asks F1 >= 0.95
    in each form. Measured 2026-12-06 with the retrained weights, 60 trees (844 comments):
    HTML F1 1.000 (parents 1.00); full text 0.972 (parents 0.98); lossy text 0.994 (parents
    1.00); 0 leaked; with 40 trees and render seeds 5/6 the full text read 0.959-0.970. The
    comment texts and reply trees are real; the page layouts are ours, so these numbers share
    the renderer's view of Blogger."""
    from stance.thread.segment.evaluate import blogger_scores

    floors = {"html": (0.97, 0.97), "text": (0.94, 0.93), "lossy": (0.96, 0.96)}
    _meet_floors(blogger_scores(data_dir, 30, seed=5), floors, max_leaked=2)


def _meet_floors(scores: dict[str, dict[str, Any]], floors: dict[str, tuple[float, float]],
                 max_leaked: int) -> None:
    """Each rendered form: enough comments, boundary F1 and parent accuracy at their floors."""
    for form, (f1, parents) in floors.items():
        summary = scores[form]
        assert summary["comments_expected"] >= 200, (form, summary)
        assert summary["boundary_f1"] >= f1, (form, summary)
        assert summary["parent_accuracy"] >= parents, (form, summary)
        assert summary["leaked_artifacts"] <= max_leaked, (form, summary)


@pytest.mark.data
def test_comment_lists_from_real_trees_meet_their_floors(data_dir: Path) -> None:
    """`stance parse` (shipped weights, default choice) on comment lists as a text browser
    prints them (bullets or numbers, later paragraphs hanging, replies nested deeper),
    rendered from 30 real reply trees (`stance.thread.segment.render.lists`): the list alone,
    under a comment-count heading, and under a story and the heading. Measured 2026-12-07
    (eighteenth session), 30 trees (441 comments), F1 / parents: bullets alone 0.882 / 0.99,
    under a heading or a story 0.989 / 0.99; numbers alone 0.965 / 0.97, under a heading or a
    story 0.989 / 0.99; 0 leaked. 60 trees: bullets 0.916 / 0.992 / 0.992, numbers 0.955 /
    0.976 / 0.976. Before the bulleted-list layout, bullets read at 0.28 / 0.68 / 0.67 (30
    trees); before numbered replies kept their level, numbered parents were 0.94 / 0.88 /
    0.88. A bare list of short comments stays unread: without a heading, only a list of long
    items is taken for the comments. Comment texts and trees are real; the layout is ours."""
    from stance.thread.segment.evaluate import list_scores

    floors = {"bare": (0.85, 0.95), "heading": (0.96, 0.96), "article": (0.96, 0.96),
              "bare-numbered": (0.92, 0.94), "heading-numbered": (0.96, 0.96),
              "article-numbered": (0.96, 0.96)}
    _meet_floors(list_scores(data_dir, 30, seed=5), floors, max_leaked=0)
