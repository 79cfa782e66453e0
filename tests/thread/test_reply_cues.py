"""Reply structure recovered from flat pages: old Reddit answer-backs, Fediverse original
posts, "In reply to NAME" lines and opening quotations (small invented threads)."""

from __future__ import annotations

import pytest

from stance.thread.formats.text import parse_text
from stance.thread.lines import clean, headers
from stance.thread.tree import cues


def _parents(text: str) -> list[tuple[str | None, str | None]]:
    return [(c.author, c.parent_id) for c in parse_text(text, "t").comments]


# -- old Reddit without indentation ------------------------------------------------------------

def _old_reddit(*comments: tuple[str, str, bool]) -> str:
    rows = ["Which stove for winter camping? (self.camping)", "submitted 3 hours ago by op_ola",
            "", "all comments", ""]
    for author, text, reply in comments:
        links = "permalink embed save parent report reply" if reply else \
            "permalink embed save report reply"
        rows += [f"[–] {author} 5 points 2 hours ago", text, links, ""]
    return "\n".join(rows)


def test_old_reddit_answer_back_nests_one_level_deeper() -> None:
    text = _old_reddit(("gas_gus", "Liquid fuel works below freezing.", False),
                       ("op_ola[S]", "Even at minus twenty?", True),
                       ("gas_gus", "Yes, canisters lose pressure long before that.", True),
                       ("op_ola[S]", "Good to know, thanks.", True),
                       ("third_tom", "Pre-heat the canister in your jacket.", True),
                       ("solo_sue", "I just use a wood stove.", False))
    assert _parents(text) == [("gas_gus", None), ("op_ola", "c1"), ("gas_gus", "c2"),
                              ("op_ola", "c3"), ("third_tom", "c1"), ("solo_sue", None)]


def test_old_reddit_replies_by_others_or_the_same_author_stay_under_the_top_comment() -> None:
    text = _old_reddit(("gas_gus", "Liquid fuel works below freezing.", False),
                       ("op_ola", "Even at minus twenty?", True),
                       ("op_ola", "Also, how heavy is it?", True),
                       ("third_tom", "About 400 grams with the pump.", True))
    assert _parents(text) == [("gas_gus", None), ("op_ola", "c1"), ("op_ola", "c1"),
                              ("third_tom", "c1")]


@pytest.mark.parametrize("line", ["continue this thread →", "continue this thread"])
def test_continue_this_thread_is_a_label(line: str) -> None:
    assert clean.is_label(line)


@pytest.mark.parametrize("raw, name", [("pawprint_pete[S]", "pawprint_pete"),
                                       ("kim_mod [M]", "kim_mod"), ("[S]", "[S]")])
def test_old_reddit_badges_leave_the_name(raw: str, name: str) -> None:
    assert headers.clean_name(raw) == name


# -- Fediverse original posts ------------------------------------------------------------------

def _post(name: str, handle: str, stamp: str, text: str) -> str:
    return f"{name}\n{handle}\n{stamp}\n{text}\n★ 3\n\n"


def test_fediverse_first_post_is_the_article_and_local_handles_resolve() -> None:
    text = (_post("Wren Okafor", "@wren@social.example", "Mar 12, 2024, 18:05",
                  "Should the allotments ban slug pellets? Vote is next month.")
            + _post("Dev Anand", "@dev@mastodon.example", "Mar 12, 2024, 18:31",
                    "@wren Beer traps work better anyway.")
            + _post("Mira Solberg", "@mira@fosstodon.example", "Mar 12, 2024, 18:47",
                    "@wren A ban seems a step too far.")
            + _post("Dev Anand", "@dev@mastodon.example", "Mar 12, 2024, 19:02",
                    "@mira Approved is not harmless though."))
    thread = parse_text(text, "t")
    assert thread.article is not None
    assert (thread.article.author, thread.article.title) == (
        "Wren Okafor", "Should the allotments ban slug pellets?")
    assert thread.article.text == "Should the allotments ban slug pellets? Vote is next month."
    assert thread.article.published == "2024-03-12T18:05:00"
    assert [(c.author, c.parent_id) for c in thread.comments] == [
        ("Dev Anand", None), ("Mira Solberg", None), ("Dev Anand", "c2")]
    assert any("original post" in w for w in thread.warnings)


def test_plain_handles_need_the_replies_to_address_the_first_author() -> None:
    addressed = (_post("Wren Okafor", "@wren_o", "Mar 12, 2024, 18:05", "Ban slug pellets?")
                 + _post("Dev Anand", "@dev_a", "Mar 12, 2024, 18:31", "@wren_o No, use traps.")
                 + _post("Mira Solberg", "@mira_s", "Mar 12, 2024, 18:47", "Yes please."))
    thread = parse_text(addressed, "t")
    assert thread.article is not None and thread.article.author == "Wren Okafor"
    assert len(thread.comments) == 2
    silent = addressed.replace("@wren_o No", "No")
    thread = parse_text(silent, "t")
    assert thread.article is None and len(thread.comments) == 3


def test_handle_as_name_or_article_text_keeps_the_first_comment() -> None:
    youtube = ("@bex_bakes\n3 years ago\nMy first open crumb, thanks!\nReply\n\n"
               "@lazy_lou\n3 years ago\n@bex_bakes how long in the fridge?\nReply\n\n"
               "@bex_bakes\n3 years ago\n@lazy_lou about 14 hours.\nReply\n")
    assert len(parse_text(youtube, "t").comments) == 3
    with_article = ("The council will vote on pellets after a long debate at the last meeting "
                    "of the allotment society.\n\n"
                    + _post("Wren Okafor", "@wren@social.example", "Mar 12, 2024, 18:05",
                            "Ban them all.")
                    + _post("Dev Anand", "@dev@mastodon.example", "Mar 12, 2024, 18:31",
                            "@wren No, use traps."))
    thread = parse_text(with_article, "t")
    assert [c.author for c in thread.comments] == ["Wren Okafor", "Dev Anand"]


def test_a_handle_under_a_repeated_name_is_not_a_reply_target() -> None:
    text = (_post("Ana Ruiz", "@ana@example.social", "Mar 1, 2024, 10:00", "First point.")
            + _post("Bo Kim", "@bo@example.social", "Mar 1, 2024, 10:05", "Second point.")
            + _post("Bo Kim", "@bo@example.social", "Mar 1, 2024, 10:09", "Third point."))
    thread = parse_text(text, "t")
    assert not any("not in the page" in w for w in thread.warnings)


# -- flat pages: "In reply to NAME" and opening quotations ------------------------------------

def _news(*comments: tuple[str, str]) -> str:
    rows = ["Harbour Street goes one-way", "",
            "The council voted on Tuesday to make Harbour Street one-way from June onwards.",
            "", "4 Comments", ""]
    for k, (author, text) in enumerate(comments):
        rows += [f"{author} | March 3, 2024 at {9 + k}:14 am", text, "Reply | Report", ""]
    return "\n".join(rows)


def test_in_reply_to_line_with_a_full_name_sets_the_parent_and_leaves_the_text() -> None:
    attr = headers.parse_attribution("In reply to Marcus Lee")
    assert attr is not None and attr.reply_to == "Marcus Lee"
    text = _news(("Marcus Lee", "The crossing will be safer."),
                 ("Tom Rourke", "June is bad for the shops."),
                 ("Dana Whitaker", "In reply to Marcus Lee\nOnly for kids who bike."),
                 ("Jo Park", "In reply to Councillor Baines\nNo public meeting was held."))
    thread = parse_text(text, "t")
    assert [(c.author, c.parent_id) for c in thread.comments] == [
        ("Marcus Lee", None), ("Tom Rourke", None), ("Dana Whitaker", "c1"), ("Jo Park", None)]
    assert [c.text for c in thread.comments][2:] == ["Only for kids who bike.",
                                                     "No public meeting was held."]


@pytest.mark.parametrize("line", ["In reply to the question above", "Reply to all of you"])
def test_in_reply_to_a_phrase_is_text(line: str) -> None:
    attr = headers.parse_attribution(line)
    assert attr is None or attr.reply_to is None


def test_opening_quotation_of_an_earlier_comment_names_the_parent() -> None:
    text = _news(("Marcus Lee", "The crossing will be safer for kids."),
                 ("Tom Rourke", "The contractor is only free in June. Waiting means a year."),
                 ("Ines Duarte", "“The contractor is only free in June.” Then find another."),
                 ("Sean Doyle", "“Safer for kids” is what they always say."))
    assert _parents(text) == [("Marcus Lee", None), ("Tom Rourke", None),
                              ("Ines Duarte", "c2"), ("Sean Doyle", None)]


def test_quotation_cues() -> None:
    assert cues.opening_quotation('"Not in June." Nonsense.') is None  # too short to point
    assert cues.opening_quotation("“The contractor is only free in June.” No.") == \
        "the contractor is only free in june"
    earlier = [(0, "the contractor is only free in june. fine."),
               (1, "they said the contractor is only free in june too")]
    assert cues.quoted_source("the contractor is only free in june", earlier) is None
    assert cues.quoted_source("the contractor is only free in june", earlier[:1]) == 0
    assert cues.own_words("“Quoted words from the article here.” My view.") == "my view."
    assert cues.local_names(["@mira@fosstodon.example", "@plain", "mira"]) == ["mira"]


def test_quotation_of_the_article_gives_no_parent() -> None:
    """A comment that repeats an article sentence mid-text does not become the parent of a
    later comment that opens by quoting that sentence (before: it did, "c2")."""
    text = _news(("Marcus Lee", "The crossing will be safer for kids."),
                 ("Tom Rourke", "I doubt it. They voted on Tuesday to make Harbour Street "
                                "one-way from June onwards, without asking the shops."),
                 ("Ines Duarte", "“Make Harbour Street one-way from June onwards.” Good."),
                 ("Sean Doyle", "“Without asking the shops” is not true, there was a survey."))
    assert _parents(text) == [("Marcus Lee", None), ("Tom Rourke", None),
                              ("Ines Duarte", None), ("Sean Doyle", "c2")]


def test_quoted_source_ignores_quotations_of_the_article() -> None:
    earlier = [(0, "they said the contractor is only free in june. fine.")]
    quoted = "the contractor is only free in june"
    assert cues.quoted_source(quoted, earlier) == 0
    assert cues.quoted_source(quoted, earlier, "works start soon. the contractor is only "
                                               "free in june, the council said.") is None
    assert cues.quoted_source(quoted, earlier, "an article about something else") == 0


# -- a comment that opens by addressing an earlier commenter -----------------------------------

def _flat(*comments: tuple[str, str]) -> str:
    rows = ["Ferry timetable changes", "", "The winter timetable starts next week.", "",
            "3 comments", ""]
    for author, text in comments:
        rows += [f"{author} says:", "March 3, 2021 at 9:14 am", text, "Reply", ""]
    return "\n".join(rows)


def test_a_comment_addressing_an_earlier_commenter_by_name_answers_them() -> None:
    text = _flat(("Betty Nolan", "The early boat is always full in winter."),
                 ("Rob Stein", "Amen, Betty! Nobody on the board takes that boat."),
                 ("Ann Lee", "Dear Rob, the board publishes its passenger counts."),
                 ("Carl Berg", "Ferries are a good idea for this town."))
    assert _parents(text) == [("Betty Nolan", None), ("Rob Stein", "c1"),
                              ("Ann Lee", "c2"), ("Carl Berg", None)]


def test_addressing_someone_who_has_not_commented_or_oneself_keeps_a_comment_top_level() -> None:
    text = _flat(("Betty Nolan", "Thanks, Mayor, for finally listening."),
                 ("Rob Stein", "Dear Editor, please cover the board meeting."),
                 ("Rob Stein", "Rob, you forgot the date."))
    assert _parents(text) == [("Betty Nolan", None), ("Rob Stein", None), ("Rob Stein", None)]


def test_a_comment_that_is_only_a_quotation_of_nothing_on_the_page_keeps_it() -> None:
    """"> ..." quoting no earlier comment, and nothing after it: the quotation may hold the
    commenter's own words run into it, so it stays the comment's text; a quotation of an
    earlier comment with nothing after it still leaves the comment empty, answering that
    comment (with a warning)."""
    from stance.thread.parse import ParseOptions, parse_text

    head = ("Harbour toll doubles\n\nDrivers will pay twice as much from March, the authority "
            "said on Monday.\n\n3 Comments\n\nAnn Lee March 3, 2021 at 9:15 am\n\n"
            "Eleven years without a rise and now it doubles overnight.\n\n")
    page = head + ("Bob Stone March 3, 2021 at 9:40 am\n\n>The authority never explains a "
                   "thing.It's the same every year and nobody asks why.\n")
    (thread,) = parse_text(page, ParseOptions(format="text"), source="page.txt")
    assert thread.comments[-1].text.startswith(">The authority never explains")
    page = head + ("Bob Stone March 3, 2021 at 9:40 am\n\n>Eleven years without a rise and now "
                   "it doubles overnight.\n\nCy Dunn March 3, 2021 at 9:50 am\n\nFair point.\n")
    (thread,) = parse_text(page, ParseOptions(format="text"), source="page.txt")
    bob = thread.comments[1]
    assert (bob.author, bob.text, bob.parent_id) == ("Bob Stone", "", thread.comments[0].id)
    assert any("only a quotation" in w for w in thread.warnings)
