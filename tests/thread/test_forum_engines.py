"""Text copies of forum threads as the common engines print them: XenForo 2 and 1, Invision,
phpBB, SMF, MyBB, Discourse and vBulletin (`tests/fixtures/threads_forums`, invented for the tests).

What a reader expects of them: on a thread's first page the opening post is the article (what
the replies answer; `stance.thread.article.original.promote_forum_post`), a later page keeps
every post; quotations of an earlier post ("X said: ... Click to expand...", "On <date>, X
said:", "X wrote: ↑<date>", "Quote Originally Posted by X", "Quote from: X on <date>", Discourse's
"x_name:") leave the reply's text and make it
a reply to that post; ranks under names ("Active Member"), reactions, "X likes this." and the
log-in prompt after the last post are no one's words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.thread.lines import clean
from stance.thread.lines.classify import CHROME, QUOTE, classify_line
from stance.thread.model import Thread
from stance.thread.parse import ParseOptions, parse_path, parse_text

FORUMS = Path(__file__).resolve().parents[1] / "fixtures" / "threads_forums"
_REPLIES = ("Will the monthly pass work for motorbikes too? Nobody at the office could tell me.",
            "Yes, it covers anything with two wheels, I asked last week.",
            "The joints were already making a racket last winter, so this was always coming.")


def _thread(name: str) -> Thread:
    (thread,) = parse_path(FORUMS / name, ParseOptions())
    return thread


@pytest.mark.parametrize("name", ["xenforo2.txt", "xenforo1.txt", "invision.txt", "phpbb.txt",
                                  "smf.txt"])
def test_first_page_opening_post_is_the_article_and_quotes_make_replies(name: str) -> None:
    thread = _thread(name)
    assert thread.article is not None
    assert thread.article.title == "Harbour toll doubles in March"
    assert thread.article.author == "tidewatcher"
    assert thread.article.text.startswith("Drivers crossing the harbour bridge")
    comments = thread.comments
    assert [c.author for c in comments] == ["Corinne Wallace", "bridgefan77", "M. Ostrander"]
    assert [c.text for c in comments] == list(_REPLIES)
    assert [c.parent_id for c in comments] == [None, comments[0].id, None]


def test_mybb_profile_lines_and_post_numbers() -> None:
    thread = _thread("mybb.txt")
    assert thread.article is not None and thread.article.author == "tidewatcher"
    assert [(c.author, c.text) for c in thread.comments] == [
        ("Corinne Wallace", _REPLIES[0]), ("bridgefan77", _REPLIES[1])]


def test_discourse_quotes_by_user_name_and_an_unmarked_first_post() -> None:
    """Nothing on a Discourse copy says its first post opens the thread (a later page looks
    the same), so it stays a comment; "Corinne_Wallace:" over the quoted lines makes a reply."""
    comments = _thread("discourse.txt").comments
    assert [c.author for c in comments] == ["tidewatcher", "Corinne_Wallace", "bridgefan77",
                                            "M.Ostrander"]
    assert comments[2].text == _REPLIES[1] and comments[2].parent_id == comments[1].id


def test_a_later_page_keeps_every_post_and_reads_vbulletin_quotes() -> None:
    thread = _thread("vbulletin_later_page.txt")
    assert thread.article is not None and thread.article.title.startswith("Harbour toll")
    comments = thread.comments
    assert [c.author for c in comments] == ["Pell Harbison", "tidewatcher", "Pell Harbison"]
    assert comments[1].text == "It does, every day of the year, I checked with the authority."
    assert comments[1].parent_id == comments[0].id


def test_a_said_header_with_no_quotation_marks_stays_a_header() -> None:
    """"On <date>, Ann said:" heads a comment on a page where nothing marks it a quotation."""
    page = ("Harbour toll doubles in March\n\nOn March 3, 2021 at 9:02 am, Corinne Wallace "
            "said:\n\nWill the monthly pass work for motorbikes too?\n\nOn March 4, 2021 at "
            "8:40 am, bridgefan77 said:\n\nYes, it covers anything with two wheels.\n")
    (thread,) = parse_text(page, ParseOptions(format="text"), source="page.txt")
    assert [c.author for c in thread.comments] == ["Corinne Wallace", "bridgefan77"]


@pytest.mark.parametrize("line", ["Corinne Wallace wrote: ↑Wed Mar 03, 2021 10:15 am",
                                  "Quote Originally Posted by Corinne Wallace View Post",
                                  "Originally Posted by Corinne Wallace"])
def test_quotation_headers(line: str) -> None:
    found = classify_line(0, line)
    assert found.kind == QUOTE and found.attr is not None
    assert found.attr.author == "Corinne Wallace"


@pytest.mark.parametrize("line", ["Click to expand...", "Reactions: Corinne Wallace and 3 others",
                                  "Thread starter tidewatcher", "Start date Mar 3, 2021",
                                  "Corinne Wallace likes this.", "Results 21 to 23 of 23",
                                  "Discussion in 'Local News' started by tidewatcher, "
                                  "Mar 3, 2021."])
def test_forum_furniture_is_chrome(line: str) -> None:
    assert classify_line(0, line).kind == CHROME


def test_log_in_prompts_end_the_comments_and_ranks_are_labels() -> None:
    assert clean.ends_comments("You must log in or register to reply here.")
    assert clean.ends_comments("Create an account or sign in to comment")
    assert all(clean.is_member_title(t) for t in ("Active Member", "Well-known member",
                                                  "Senior Moderator"))
    assert not clean.is_member_title("Member of parliament for the coast")
    assert classify_line(0, "My wife likes this, but I don't.").kind != CHROME
