"""The byline under an article's title kept as its author and date, and replies to the
article's author that are no replies to a missing comment.

Before these rules (measured on the same files): r05 and r06 ("By Annika Brandt | March 3,
2024", "By Colm Brennan | May 14, 2024") and the Slashdot h32 ("Posted by msmash on Monday
January 28, 2019 @10:20AM ...") dropped the byline from the text but had no author and no
published date; a blog's "Name" over "tagline · 2d" under the title was dropped the same way;
the X thread x09 warned "1 comment(s) answer authors whose comments are not in the page
(metrotransit_x)" for a reply to the post it answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.thread.article import byline
from stance.thread.formats.text import parse_text
from stance.thread.model import Thread
from stance.thread.parse import parse_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

_TITLE = "Library opening hours cut to four days a week"
_BODY = ("The county library will close on Mondays, Tuesdays and Wednesdays from July to save "
         "money on heating and staff. Visitors on the other days get longer evening hours.")
_COMMENTS = ("4 Comments\n\nOrla Keane | May 14, 2024 at 8:05 am\nThe evening hours suit me "
             "fine.\nReply | Report\n\nDeclan Ward | May 14, 2024 at 8:31 am\nNinety thousand "
             "is nothing in a county budget.\nReply | Report\n")


def _thread(relative: str) -> Thread:
    return next(iter(parse_path(FIXTURES / relative)))


def _news(head: str) -> Thread:
    return parse_text(f"{_TITLE}\n\n{head}\n\n{_BODY}\n\n{_COMMENTS}", "t")


# -- news bylines ---------------------------------------------------------------------------

@pytest.mark.parametrize(("relative", "author", "published", "byline_words"), [
    ("threads_replies/r05_news-flat-reply-cues.txt", "Annika Brandt", "2024-03-03",
     "By Annika Brandt"),
    ("threads_replies/r06_news-flat-article-quote.txt", "Colm Brennan", "2024-05-14",
     "By Colm Brennan"),
    ("threads/h32_slashdot.txt", "msmash", "2019-01-28T10:20:00", "Posted by msmash"),
])
def test_fixture_bylines_are_the_article_author_and_date(relative: str, author: str,
                                                          published: str,
                                                          byline_words: str) -> None:
    thread = _thread(relative)
    assert thread.article is not None
    assert (thread.article.author, thread.article.published) == (author, published)
    assert byline_words not in thread.article.text
    assert author not in {c.author for c in thread.comments}  # no comment became the byline


@pytest.mark.parametrize(("head", "author", "published"), [
    ("By Colm Brennan | May 14, 2024", "Colm Brennan", "2024-05-14"),
    ("By Colm Brennan, May 14 2024", "Colm Brennan", "2024-05-14"),
    ("Colm Brennan | Staff writer | 14 May 2024", "Colm Brennan", "2024-05-14"),
    ("Colm Brennan, Political correspondent | 14 May 2024", "Colm Brennan", "2024-05-14"),
    ("Published 14 May 2024 by Colm Brennan", "Colm Brennan", "2024-05-14"),
    ("Published: May 14, 2024 | By Colm Brennan", "Colm Brennan", "2024-05-14"),
    ("By Colm Brennan | Updated May 14, 2024 9:05 am", "Colm Brennan", "2024-05-14T09:05:00"),
])
def test_news_bylines_under_the_title(head: str, author: str, published: str) -> None:
    thread = _news(head)
    assert thread.article is not None
    assert (thread.article.title, thread.article.author, thread.article.published) == (
        _TITLE, author, published)
    assert thread.article.text == _BODY
    assert [c.author for c in thread.comments] == ["Orla Keane", "Declan Ward"]


@pytest.mark.parametrize("head", [
    "Colm Brennan | May 14, 2024",  # how the comments below are headed: no byline shape
    "Colm Brennan | Brighton | 14 May 2024",  # a place, not a role
    "Post by Colm Brennan » May 14, 2024",  # a forum post's header
])
def test_comment_shaped_lines_are_no_byline(head: str) -> None:
    thread = _news(head)
    assert thread.article is not None
    assert (thread.article.author, thread.article.published) == (None, None)


def test_a_comment_header_is_not_taken_for_the_byline() -> None:
    """No byline: the first commenter's "By"-less header right under the article stays theirs."""
    thread = parse_text(f"{_TITLE}\n\n{_BODY}\n\n{_COMMENTS}", "t")
    assert thread.article is not None and thread.article.author is None
    page = f"{_TITLE}\n\n{_BODY}\n\nBy Colm Brennan | May 14, 2024\n\n{_COMMENTS}"
    below_body = parse_text(page, "t")  # a byline under the body is no title's byline
    assert below_body.article is not None and below_body.article.author is None


@pytest.mark.parametrize(("line", "author", "published"), [
    ("Published 14 May 2024 by Colm Brennan", "Colm Brennan", "2024-05-14"),
    ("By Colm Brennan, May 14 2024", "Colm Brennan", "2024-05-14"),
    ("Colm Brennan | Staff writer | 14 May 2024", "Colm Brennan", "2024-05-14"),
    ("Posted on March 3, 2024 by Annika Brandt", "Annika Brandt", "2024-03-03"),
])
def test_byline_of_text(line: str, author: str, published: str) -> None:
    assert byline.byline_of_text(line) == byline.Byline(author=author, published=published)


@pytest.mark.parametrize("line", [
    "Marcus Lee | March 3, 2024 at 9:14 am", "M. Okafor | Brighton | 04/02/2023 08:17",
    "Updated: 14.03.2022, 09:12", "By the end of May 14, 2024 the work will be done.",
    "Published 14 May 2024 by the county council and its partners in the region",
    "By Colm Brennan",  # no date: the article's own "By X" rule reads it
])
def test_lines_that_are_no_dated_byline(line: str) -> None:
    assert byline.byline_of_text(line) is None


# -- a blog author's name over "tagline · age" ----------------------------------------------

_BLOG = ("Why I gave up my car for a year\n\nNadia Ferris\nUrban planner and cyclist · 2d\n\n"
         "I sold the car in January and promised myself a year of buses, bikes and walking. "
         "Here is what it cost and what it changed.\n\n"
         "Responses (2)\n\nOwen Pike\n1d\n\nI tried this and lasted three weeks. The bus at "
         "night is the problem.\n\nLena Ortiz\n20h\n\nThe shopping part is so true. A trailer "
         "for the bike fixed it for me.\n")


def test_blog_author_over_tagline_is_the_article_author() -> None:
    thread = parse_text(_BLOG, "t")
    assert thread.article is not None
    assert (thread.article.title, thread.article.author, thread.article.published) == (
        "Why I gave up my car for a year", "Nadia Ferris", "2d")
    assert thread.article.text.startswith("I sold the car")
    assert "Nadia" not in thread.article.text and "planner" not in thread.article.text
    assert [c.author for c in thread.comments] == ["Owen Pike", "Lena Ortiz"]


def test_blog_author_over_tagline_without_blank_lines_leaves_the_text() -> None:
    glued = _BLOG.replace("year\n\nNadia", "year\nNadia").replace("2d\n\nI sold", "2d\nI sold")
    thread = parse_text(glued, "t")
    assert thread.article is not None
    assert (thread.article.author, thread.article.published) == ("Nadia Ferris", "2d")
    assert thread.article.text.startswith("I sold the car")


@pytest.mark.parametrize(("name", "below", "author"), [
    ("Nadia Ferris", "Urban planner and cyclist · 2d", "Nadia Ferris"),
    ("Nadia Ferris", "Lives in Leeds · Mar 3, 2024", "Nadia Ferris"),
    ("Nadia Ferris", "Urban Planner · 2d", None),  # no phrase: a name or a place
    ("Nadia Ferris", "Urban planner and cyclist", None),  # no date
    ("I sold the car.", "Urban planner and cyclist · 2d", None),
    ("Sold the car in January", "Urban planner and cyclist · 2d", None),
])
def test_name_over_tagline_lines(name: str, below: str, author: str | None) -> None:
    found = byline.name_over_tagline(name, below)
    assert (found.author if found else None) == author


@pytest.mark.parametrize("relative", ["threads/h45_quora-like-upvotes.txt",
                                      "threads_heldout/z05_quora-answers.txt"])
def test_an_answer_under_a_question_is_no_byline(relative: str) -> None:
    """A Q&A answer's "Name" over "tagline · 3y" heads a comment, not the question."""
    thread = _thread(relative)
    assert thread.article is not None and thread.article.author is None
    assert thread.comments[0].author in ("Hannah Cole", "Helen Strand")


# -- replies to the article's author ---------------------------------------------------------

def test_x_reply_to_the_posts_author_is_top_level_without_warning() -> None:
    thread = _thread("threads_heldout/x09_twitter-thread.txt")
    assert thread.warnings == ()
    assert [(c.author, c.parent_id) for c in thread.comments] == [
        ("Jen Alvarez", None), ("Ravi P.", "c1"), ("Metro Transit", "c1")]


_X_POST = ("Post\n\nCity Parks\n@cityparks\nThe east pool opens on Saturday. Lanes are "
           "bookable online from Thursday.\n\nDana K\n@dana_k\n·\n2h\nReplying to {to}\n"
           "Finally, the queue last year was an hour.\n2\n\nLee Marsh\n@lee_m\n·\n1h\n"
           "Replying to @dana_k\nIt was two hours on the first day.\n1\n")


@pytest.mark.parametrize("to", ["@cityparks", "@cityparks and @someone_else"])
def test_reply_to_the_article_author_by_handle_does_not_warn(to: str) -> None:
    thread = parse_text(_X_POST.format(to=to), "t")
    assert thread.warnings == ()
    assert [c.parent_id for c in thread.comments] == [None, "c1"]


def test_reply_to_someone_else_missing_still_warns() -> None:
    thread = parse_text(_X_POST.format(to="@parks_fan"), "t")
    assert any("(parks_fan)" in w for w in thread.warnings)


def test_reply_to_the_news_author_by_name_does_not_warn() -> None:
    page = (f"{_TITLE}\n\nBy Colm Brennan | May 14, 2024\n\n{_BODY}\n\n3 Comments\n\n"
            "Orla Keane | May 14, 2024 at 8:05 am\nThe evening hours suit me fine.\n"
            "Reply | Report\n\nDeclan Ward | May 14, 2024 at 8:31 am\nIn reply to {to}\n"
            "Ninety thousand is nothing in a county budget.\nReply | Report\n")
    to_author = parse_text(page.replace("{to}", "Colm Brennan"), "t")
    assert to_author.warnings == ()
    assert [c.parent_id for c in to_author.comments] == [None, None]
    to_missing = parse_text(page.replace("{to}", "Councillor Baines"), "t")
    assert any("(Councillor Baines)" in w for w in to_missing.warnings)


def test_r05_still_warns_about_a_missing_commenter() -> None:
    thread = _thread("threads_replies/r05_news-flat-reply-cues.txt")
    assert any("(Councillor Baines)" in w for w in thread.warnings)
