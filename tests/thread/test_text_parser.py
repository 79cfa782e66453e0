"""The plain-text parser on small invented threads, the seeds, and its building blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.thread.formats.text import parse_text
from stance.thread.lines import clean, dates, headers
from stance.thread.parse import ParseOptions, parse_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "threads"


def _texts(thread):  # type: ignore[no-untyped-def]
    return [c.text for c in thread.comments]


# -- building blocks ----------------------------------------------------------------------------

@pytest.mark.parametrize("line, pieces", [
    ("ReplyDeleteOr how they put it", ["ReplyDelete", "Or how they put it"]),
    ("DeleteWNU's numbers were wrong", ["Delete", "WNU's numbers were wrong"]),
    ("Fine by me.ReplyDelete", ["Fine by me.", "ReplyDelete"]),
    ("ReplyDeleteReplies", ["ReplyDelete", "Replies"]),
    ("Deleted my account years ago", ["Deleted my account years ago"]),
    ("Reply to the mayor was fast", ["Reply to the mayor was fast"]),
])
def test_glued_blogger_labels_are_cut_loose(line: str, pieces: list[str]) -> None:
    assert clean.split_glued(line) == pieces


@pytest.mark.parametrize("line", ["Reply", "ReplyDelete", "Liked by 2 people", "△ ▽", "•",
                                  "Expand full comment", "Like · Reply · 3y", "12 points",
                                  "Reply Share ›", "(Reply) (Thread)", "Read more"])
def test_labels(line: str) -> None:
    assert clean.is_label(line)


@pytest.mark.parametrize("line", ["I like it", "More.", "Reply to the council: no.", "394"])
def test_not_labels(line: str) -> None:
    assert not clean.is_label(line)


@pytest.mark.parametrize("line", ["3 comments:", "7 thoughts on “A post”", "### Comments",
                                  "Readers' comments", "(12 comments)", "Talkbacks (4)"])
def test_section_markers(line: str) -> None:
    assert clean.is_marker(line)


@pytest.mark.parametrize("line, author, role", [
    ("Luke said...", "Luke", "head"),
    ("1. Paul R says", "Paul R", "head"),
    ("  1. #1 spyder", "spyder", "head"),
    ("Houshu in reply to Nuijel", "Houshu", "head"),
    ("by Helen (x at y dot uk) on Tue Jul 31st, 2012 at 02:40:57 AM EST", "Helen", "foot"),
    ("Posted by: b | Oct 4 2005 14:33 utc | 12", "b", "foot"),
    ("Post by Anna K » Mon Mar 14, 2022 8:30 pm", "Anna K", "head"),
    ("Steve Benassi ,   Minneapolis USA   (08.20.17)", "Steve Benassi", "either"),
    ("On January 28, 2008 at 9:15 am, Luke said:", "Luke", "head"),
    ("Polyspora wrote:", "Polyspora", "quote"),
])
def test_attribution_shapes(line: str, author: str, role: str) -> None:
    attr = headers.parse_attribution(line)
    assert attr is not None and attr.author == author and attr.role == role


@pytest.mark.parametrize("line", ["He said...", "Trump said: we will win", "The Tom Cruise video:",
                                  "and a host of other groups he supports."])
def test_sentences_are_not_attribution(line: str) -> None:
    assert headers.parse_attribution(line) is None


@pytest.mark.parametrize("text, iso", [
    ("June 1, 2012 at 5:05 PM", "2012-06-01T17:05:00"),
    ("October 4, 2005", "2005-10-04"),
    ("Published: 20.08.17, 15:31", "2017-08-20T15:31:00"),
    ("2/26/2019 09:15:00 AM", "2019-02-26T09:15:00"),
    ("Tue Jul 31st, 2012 at 02:40:57 AM EST", "2012-07-31T02:40:57"),
    ("4m", None),
])
def test_dates_to_iso(text: str, iso: str | None) -> None:
    assert dates.to_iso(text) == iso
    assert dates.is_date_line(text) or text.startswith("Published")


# -- layouts ------------------------------------------------------------------------------------

LOSSY = """Harbor dredging delayed
The state office wants another study before the permit is signed.
Editor's note: we asked the harbor master for comment.
The fuel dock is the real problem.
ReplyDeleteThat costs more than the dredging.
DeleteAnother study means another two years.
ReplyDelete"""


def test_lossy_blogger_rebuilds_parents_from_labels() -> None:
    thread = parse_text(LOSSY, "x.txt", "blogger-text")
    assert _texts(thread) == ["The fuel dock is the real problem.",
                              "That costs more than the dredging.",
                              "Another study means another two years."]
    assert [c.parent_id for c in thread.comments] == [None, "c1", None]
    assert thread.article is not None and thread.article.title == "Harbor dredging delayed"
    assert "Editor's note" in thread.article.text
    assert any("Reply/Delete labels" in w for w in thread.warnings)


def test_lossy_blogger_lines_between_labels_are_replies() -> None:
    """The seed's reading (../shared/seeds/000_*.expected.json): in lossy Blogger text each
    line is a comment, ReplyDelete ends a top-level comment and Delete a reply, and the
    unlabelled lines after a top-level comment are replies to it (most reply labels are lost).
    Until 2026-12-06 this test pinned the other reading (a comment runs from the line above
    its labels to the next such line), which merged replies into the comment above."""
    first, second = "The fares went up again in May.", "They go up every spring, check the board."
    reply, last = "A reply here, and a fair one too.", "Last comment on the fares, I promise."
    text = (f"Ferry fares up again\n3 comments:\n{first}\nReplyDelete{second}\n"
            f"{reply}\nDelete{last}\nReplyDelete\nAdd comment")
    thread = parse_text(text, "x.txt", "blogger-text")
    assert _texts(thread) == [first, second, reply, last]
    assert [c.parent_id for c in thread.comments] == [None, "c1", "c1", None]


def test_footer_attribution_goes_upwards() -> None:
    text = ("first comment text that was cut at the start of the page, see above.\n\n"
            "Ann said...\n\nJune 1, 2012 at 5:05 AM\n\nSecond comment, by Bob.\n\n"
            "Bob said...\n\nJune 2, 2012 at 6:00 AM\n")
    thread = parse_text(text, "x.txt")
    assert [(c.author, c.text[:6]) for c in thread.comments] == [("Ann", "first "),
                                                                 ("Bob", "Second")]
    assert thread.comments[1].timestamp == "2012-06-02T06:00:00"


def test_forum_quotes_give_parents_and_are_removed() -> None:
    text = ("ann_k\nThe bypass needs a cycle path.\nbob77\n\nann_k wrote:\n\n"
            "The bypass needs a cycle path.\nAgreed, and a crossing.\nann_k\n\nbob77 wrote:\n\n"
            "Agreed, and a crossing.\n")
    thread = parse_text(text, "x.txt")
    assert _texts(thread) == ["The bypass needs a cycle path.", "Agreed, and a crossing.", ""]
    assert [c.parent_id for c in thread.comments] == [None, "c1", "c2"]


def test_nested_numbered_lists_are_replies() -> None:
    thread = parse_text((FIXTURES / "h19_numbered-no-authors.txt").read_text(), "x.txt")
    assert [c.parent_id for c in thread.comments] == [None, None, "c2", None]
    assert all(not c.text[0].isdigit() for c in thread.comments)


def test_dangling_author_line_at_the_cut_is_dropped() -> None:
    text = ("Kim in reply to Lee\n\nI disagree with the plan entirely, it costs too much.\n\n"
            "Ola in reply to Kim\n\nIt costs less than the old bridge did.\n\n\nJo_99")
    thread = parse_text(text, "x.txt")
    assert _texts(thread)[-1] == "It costs less than the old bridge did."
    assert thread.comments[1].parent_id == "c1"
    assert any("Jo_99" in w for w in thread.warnings)


def test_page_chrome_never_reaches_comment_text() -> None:
    thread = parse_text((FIXTURES / "h01_wordpress-says-date.txt").read_text(), "x.txt")
    joined = "\n".join(_texts(thread))
    for chrome in ("Reply", "Leave a Reply", "Your email address", "says:", "2021 at"):
        assert chrome not in joined


def test_news_page_has_article_and_no_comments() -> None:
    thread = parse_text((FIXTURES / "h18_news-no-comments.txt").read_text(), "x.txt")
    assert thread.comments == ()
    assert thread.article is not None
    assert thread.article.title == "Storm knocks out power to 40,000 homes"
    text = thread.article.text
    assert text.startswith("High winds") and text.endswith("the district announced.")
    for boilerplate in ("ADVERTISEMENT", "Most Read", "Library extends", "All rights reserved"):
        assert boilerplate not in text


def test_plain_prose_is_an_article_without_comments() -> None:
    thread = parse_text("A short note.\n\nIt has two paragraphs and no comments at all, "
                        "which is fine.\n", "x.txt")
    assert thread.comments == () and thread.article is not None


# -- the seeds (read from ../shared/seeds, never copied) -----------------------------------------

def _seed(seeds_dir: Path, prefix: str) -> Path:
    return next(seeds_dir.glob(f"{prefix}_*.txt"))


def test_seed_blogger_thread(seeds_dir: Path) -> None:
    thread = next(parse_path(_seed(seeds_dir, "000")))
    assert thread.format == "blogger-text"
    assert thread.article is not None and thread.article.title
    assert thread.article.title.startswith("Business Insider:")
    assert len(thread.comments) >= 6
    assert any(c.parent_id for c in thread.comments)
    for comment in thread.comments:
        assert "Delete" not in comment.text and "Read more" not in comment.text


@pytest.mark.parametrize("prefix, leftovers", [
    ("003", ("Emails & Alerts", "Follow Business Insider", "Read more")),
    ("004", ("ADVERTISEMENT", "All rights reserved", "Space News from", "Your World At War")),
])
def test_seed_news_pages(seeds_dir: Path, prefix: str, leftovers: tuple[str, ...]) -> None:
    thread = next(parse_path(_seed(seeds_dir, prefix)))
    assert thread.comments == ()
    assert thread.article is not None and thread.article.title and thread.article.text
    for text in leftovers:
        assert text not in thread.article.text


def test_options_target_is_recorded() -> None:
    thread = next(iter(parse_path(FIXTURES / "h15_paragraph-comments.txt",
                                  ParseOptions(target="the school calendar"))))
    assert thread.target == "the school calendar"


def test_example_blog_thread_for_the_demo() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "blog_thread.txt"
    (thread,) = parse_path(example)
    assert thread.format == "blogger-text"
    assert thread.article is not None and "offshore wind farm" in (thread.article.title or "")
    assert len(thread.comments) == 12
    assert [c.parent_id for c in thread.comments] == [
        None, "c1", "c1", None, "c4", "c4", None, "c7", None, "c9", None, None]
    assert any("CNN" in c.text for c in thread.comments)
    assert all("Delete" not in c.text for c in thread.comments)


def test_article_with_its_own_numbered_list_has_no_comments() -> None:
    thread = parse_text((FIXTURES / "h47_article-with-numbered-list.txt").read_text(), "x.txt")
    assert thread.comments == ()
    assert thread.article is not None and "Water less" in thread.article.text
