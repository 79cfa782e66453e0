"""Comment-page conventions the parser learned to read in the third session (2026-12-06), each
on a small page written here: lossy Blogger copies with a header-like comment, lower-case
text glued to a label, Blogger names that start with an article, WordPress's ordered list of
bare names, forum posts numbered on lines of their own, and long copyright notices."""

from __future__ import annotations

from stance.thread.lines import clean, headers
from stance.thread.lines.classify import CHROME, HEADER, LABEL, TEXT, classify, classify_line
from stance.thread.parse import ParseOptions, parse_text


def _comments(text: str) -> list[str]:
    (thread,) = parse_text(text, ParseOptions(), source="page.txt")
    return [c.text for c in thread.comments]


def test_a_header_like_comment_keeps_a_lossy_blogger_copy_lossy() -> None:
    replies = [f"@harbourwatch point {k} about the ferry timetable." for k in range(8)]
    page = ["The ferry timetable", "The council published the winter ferry timetable today.",
            "Read more ....", "@harbourwatch well said."]
    page += [f"ReplyDelete{text}" for text in replies] + ["ReplyDelete"]
    assert headers.parse_attribution("@harbourwatch well said.") is not None  # looks like one
    comments = _comments("\n".join(page) + "\n")
    assert comments == ["@harbourwatch well said.", *replies]


def test_a_dash_list_typed_into_a_comment_keeps_a_lossy_blogger_copy_lossy() -> None:
    # "- Name" lines look like signatures one by one; in a run they are a typed list, and a
    # comment with one must not make the copy read as a page with author lines.
    listed = ["The ferry crews on the list:", "- Haldor", "- Mikkelsen", "- Brandt",
              "- Aasgaard", "- Lindqvist", "- Okafor"]
    replies = [f"Point {k} about the winter ferry timetable." for k in range(6)]
    page = ["The ferry timetable", "The council published the winter ferry timetable today.",
            "Read more ....", "First about the timetable, the early crossing is gone."]
    page += ["ReplyDelete" + listed[0], *listed[1:]]
    page += [f"ReplyDelete{text}" for text in replies] + ["ReplyDelete"]
    assert headers.parse_attribution("- Haldor") is not None  # each one looks like a signature
    comments = _comments("\n".join(page) + "\n")
    assert comments[0] == "First about the timetable, the early crossing is gone."
    assert comments[-len(replies):] == replies
    assert not any(text.startswith(("ReplyDelete", "Delete")) for text in comments)


def test_the_first_comment_of_a_short_lossy_page_is_not_the_article_end() -> None:
    page = ("The harbor plan\n\nThe council approved the harbor plan on Tuesday night.\n\n"
            "Read more ....\nHarbor harbor harbor harbor.\nReplyDeleteHarbor harbor harbor "
            "harbor.\nReplyDelete\n")
    assert _comments(page) == ["Harbor harbor harbor harbor."] * 2


def test_delete_glued_to_lower_case_text_is_split_but_words_stay_whole() -> None:
    assert clean.split_glued("Deletequite right about the fares") == [
        "Delete", "quite right about the fares"]
    for word in ("Deleted my post", "Deletes it", "Deleterious effects"):
        assert clean.split_glued(word) == [word]


def test_blogger_names_may_start_with_an_article() -> None:
    said = headers.parse_attribution("The Old Salt said...")
    assert said is not None and said.author == "The Old Salt"
    assert headers.parse_attribution("The council said...") is None  # a sentence, not a name
    lines = classify("The Old SaltMarch 5, 2010 at 1:07 AM\nFirst.\n\n"
                     "Mark HollisMarch 6, 2010 at 2:10 PM\nSecond.\n")
    assert [ln.kind for ln in lines if ln.text.startswith(("The Old", "Mark"))] == [HEADER] * 2


def test_a_name_may_open_with_an_initial_where_markup_says_name() -> None:
    """In an HTML author element "A. Lind" is a name (found by the HTML check of the
    nineteenth session, where such names lost their author); a plain-text line "A. Lind" may
    be an outline letter ("A. Introduction") and is not taken for a name."""
    assert headers.name_ok("A. Lind", initials=True) and headers.name_ok("I. M. Pei", initials=True)
    assert not headers.name_ok("A.", initials=True) and not headers.name_ok("A man", initials=True)
    assert not headers.name_ok("Or maybe", initials=True)
    assert not headers.name_ok("A. Introduction") and not headers.name_ok("A. Lind")


def test_a_short_line_under_x_said_is_the_comment() -> None:
    page = ("4 comments:\n\nAnn Lee said...\n@harbourdesk Two\nJune 24, 2020 at 7:22 PM\n\n"
            "Bob Stone said...\nThe ferry was late again this morning, twice.\n"
            "June 25, 2020 at 8:02 AM\n")
    assert _comments(page) == ["@harbourdesk Two", "The ferry was late again this morning, twice."]


def test_wordpress_ordered_list_of_bare_names() -> None:
    page = ("  1. Maren\n\n    The new timetable drops the early crossing, which nurses use.\n\n"
            "  2. Tom Ashby\n\n    The ferry company decided this without asking anyone here.\n")
    lines = classify(page)
    assert [ln.kind for ln in lines if ln.number is not None] == [HEADER, HEADER]
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert [c.author for c in thread.comments] == ["Maren", "Tom Ashby"]


def test_a_numbered_list_in_an_article_is_not_a_comment_list() -> None:
    lines = classify("Three places to visit:\n1. Paris\n2. Rome\n3. Oslo\n")
    assert all(ln.kind == TEXT for ln in lines if ln.number is not None)


def test_forum_posts_numbered_on_their_own_line() -> None:
    """Post 1 opens the thread, so it is the article (`article.original.promote_forum_post`)."""
    page = ("Post 1\n\nQuillon Marsh\n\nHas anyone tried the new ferry booking page yet?\n\n"
            "Post 2\n\nThe Keeper of the Light..., Harbourmaster\n\n"
            "Yes, it lost my booking twice this week.\n\nPost 3\n\nQuillon Marsh\n\n"
            "Mine too, and nobody answers the phone.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert thread.article is not None and thread.article.author == "Quillon Marsh"
    assert thread.article.text == "Has anyone tried the new ferry booking page yet?"
    assert [c.author for c in thread.comments] == ["The Keeper of the Light..., Harbourmaster",
                                                   "Quillon Marsh"]
    assert thread.comments[0].text == "Yes, it lost my booking twice this week."


def test_numbered_forum_posts_of_a_later_page_stay_comments() -> None:
    page = ("Post 21\n\nQuillon Marsh\n\nHas anyone tried the new ferry booking page yet?\n\n"
            "Post 22\n\nThe Keeper of the Light..., Harbourmaster\n\n"
            "Yes, it lost my booking twice this week.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert [c.author for c in thread.comments] == ["Quillon Marsh",
                                                   "The Keeper of the Light..., Harbourmaster"]


def test_a_long_copyright_notice_is_chrome() -> None:
    notice = ("All rights reserved. Copyright Example Press Agency. " + "Sections of this page "
              "may not be reproduced without the prior written consent of the agency. " * 5)
    assert len(notice) > 300
    (line,) = [ln for ln in classify(notice + "\n") if ln.text]
    assert line.kind == CHROME


def test_a_name_set_apart_above_a_date_header_is_the_author() -> None:
    """Newspaper blogs print "Name" / blank / "December 18th, 2009" / "7:00 am" / blank /
    text: the name is the next comment's author, not the last line of the one before, and a
    comment without a name starts at its date (sixth session, 2026-12-06)."""
    page = ("Welcome to the ferry debate\n\nThe council voted to raise the winter ferry fares "
            "again, the third time in two years.\n\n"
            "Marta Lind\n\nDecember 18th, 2009\n\n7:00 am\n\n"
            "Right on, the fares keep going up while the boats keep breaking down.\n\n\n"
            "December 18th, 2009\n\n7:24 am\n\n"
            "Did the council not promise a new boat last spring? Nothing has happened.\n\n"
            "Old Ferry Hand\n\nDecember 18th, 2009\n\n7:31 am\n\n"
            "Spot on, and the winter timetable is worse than last year's.\n")
    lines = classify(page)
    names = [ln for ln in lines if ln.text in ("Marta Lind", "Old Ferry Hand")]
    assert [ln.kind for ln in names] == [HEADER, HEADER]
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert [c.author for c in thread.comments] == ["Marta Lind", None, "Old Ferry Hand"]
    assert [c.text.split(",")[0] for c in thread.comments] == [
        "Right on", "Did the council not promise a new boat last spring? Nothing has happened.",
        "Spot on"]
    assert not any("Old Ferry Hand" in c.text for c in thread.comments)


def test_a_salutation_under_an_avatar_line_is_the_comment_not_its_author() -> None:
    """Substack prints "<Name>'s avatar" and, in some layouts, the name on the next line; a
    comment that opens with a salutation line ("Dear Tove," / "Amen, Ruth!") under the
    avatar keeps it as text, and the avatar still names the author (ninth session,
    2026-12-06)."""
    page = ("12 Comments\n\nRuth Ames's avatar\n\nTove, thank you for writing this every "
            "week. It helps more than you know.\n\nExpand full comment\n\n"
            "Tove Berg's avatar\n\nDear Ruth,\n\nyour note made my week. We are all well "
            "and the power is back.\n\nExpand full comment\n\nKai Moss's avatar\n\n"
            "Amen, Ruth!\n\nThe weekly letters are the best thing on this site.\n\n"
            "Expand full comment\n")
    lines = classify(page)
    salutations = [ln for ln in lines if ln.text in ("Dear Ruth,", "Amen, Ruth!")]
    assert [ln.kind for ln in salutations] == [TEXT, TEXT]
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert [c.author for c in thread.comments] == ["Ruth Ames", "Tove Berg", "Kai Moss"]
    assert [c.text.split(",")[0] for c in thread.comments] == ["Tove", "Dear Ruth", "Amen"]
    assert [c.parent_id for c in thread.comments] == [None, "c1", "c1"]


# -- bulleted comment lists (eighteenth session, 2026-12-07) ------------------------------------

_BULLETED_PAGE = """\
• The new timetable drops the early crossing, which the island's nurses rely on every day.

  • I asked the ferry company about it and they said the winter numbers do not justify a boat.

  • Did anyone count the passengers?

    The numbers they quote are from the storm weeks, when nobody travels at all.

  • Maren,

    The council has the real counts and they show the early boat full most mornings of the year.

    I sent them to the ferry company twice and never heard back from anyone there.

Comments are closed.
"""


def test_a_bulleted_list_of_comments_opening_a_scrape_is_the_comment_list() -> None:
    # A text browser prints a page's list of comments as bullets, later paragraphs hanging
    # under the item's text; a scrape that starts in the comments opens with that list.
    comments = _comments(_BULLETED_PAGE)
    assert len(comments) == 4
    assert comments[0].startswith("The new timetable drops")
    assert comments[2].startswith("Did anyone count") and "storm weeks" in comments[2]
    assert comments[3].startswith("Maren,") and comments[3].endswith("anyone there.")
    assert not any("Comments are closed" in text for text in comments)


def test_bullets_summarising_an_article_stay_in_the_article() -> None:
    page = ("Ferry timetable cut\n\n"
            "* The early crossing goes from the winter timetable in November this year.\n"
            "* The ferry company says fewer than twenty people use the boat on most days.\n"
            "* The island council says the counts were taken in the storm weeks of last year.\n\n"
            "The ferry company published its winter timetable on Tuesday, and the early crossing "
            "is gone from it for the first time in thirty years.\n\n"
            "The council will meet the company next week to discuss the counts and the nurses "
            "who travel to the hospital on the mainland every morning.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert not thread.comments


def test_one_bulleted_reply_inside_a_numbered_comment_list_keeps_the_list() -> None:
    page = ("3 comments\n\n  1. Maren\n\n    The new timetable drops the early crossing, which "
            "nurses use.\n\n    • I agree, and the late boat is no better for anyone who works "
            "there.\n\n  2. Tom Ashby\n\n    The ferry company decided this without asking "
            "anyone here.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert [c.author for c in thread.comments] == ["Maren", "Tom Ashby"]


def test_a_bulleted_list_closing_an_article_stays_in_the_article() -> None:
    # Stories end with "what we know" lists of long items; without a comment heading, only a
    # page that is nothing but the list is read as the comments.
    page = ("Ferry timetable cut\n\nThe ferry company published its winter timetable on "
            "Tuesday, and the early crossing is gone from it for the first time in thirty "
            "years.\n\nThe council will meet the company next week to discuss the counts and the "
            "nurses who travel to the hospital on the mainland every morning.\n\n"
            "What we know so far:\n\n"
            "• The early crossing goes from the winter timetable in November, the company says "
            "in its notice to passengers.\n"
            "• The company counted fewer than twenty passengers on most days of the last two "
            "winters, its spokesman said.\n"
            "• The island council says the counts were taken in the storm weeks and will ask "
            "for new ones before the vote.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert not thread.comments


def test_nested_bullets_are_replies_and_a_flush_first_item_is_not_a_parent() -> None:
    # Replies print as a deeper list (two spaces per level here); the copy lost the first
    # item's leading spaces, which must not make the items after it its replies.
    page = ("• The new timetable drops the early crossing, which the island's nurses rely on "
            "every day.\n\n"
            "  • I asked the ferry company about it and they said the winter numbers do not "
            "justify a boat.\n\n"
            "    • The numbers they quote are from the storm weeks, when nobody travels "
            "anywhere.\n\n"
            "      • Then the council should ask for new counts before anything is decided.\n\n"
            "  • The late boat is no better, it leaves before the evening shift at the hospital "
            "ends.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    ids = [c.id for c in thread.comments]
    assert len(ids) == 5
    assert [c.parent_id for c in thread.comments] == [None, None, ids[1], ids[2], None]


def test_one_comment_and_its_replies_as_a_bulleted_list() -> None:
    # A conversation under one comment: the list has a single top-level item.
    page = ("1 Response\n\n"
            "  • The new timetable drops the early crossing, which the island's nurses rely on.\n"
            "    • The ferry company says the winter numbers do not justify a boat at that hour.\n"
            "      • Those numbers are from the storm weeks, when nobody travels anywhere.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert len(thread.comments) == 3
    assert thread.comments[2].parent_id == thread.comments[1].id


def test_numbered_replies_two_spaces_deeper_keep_their_level() -> None:
    # With replies two spaces deeper, "2." of a reply list is within reach of both open lists;
    # it continues the one whose indentation it matches, not the deepest.
    page = ("3 Responses\n\n"
            "  1. The new timetable drops the early crossing, which the island's nurses use.\n"
            "    1. The ferry company says the winter numbers do not justify a boat then.\n"
            "      1. Those numbers are from the storm weeks, when nobody travels anywhere.\n"
            "    2. The late boat leaves before the evening shift at the hospital ends.\n"
            "  2. The council should ask for new counts before anything is decided here.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    ids = [c.id for c in thread.comments]
    assert [c.parent_id for c in thread.comments] == [None, ids[0], ids[1], ids[0], None]


def test_a_name_with_a_short_age_or_a_clock_time_is_a_header() -> None:
    """"Ann Lee 4y", "R. Lu 5:03 PM": a name of two or three capitalised words, then an age or
    a time with no separator (a one-word handle or a "·" separator already read so)."""
    for line, author, stamp in [("Ann Lee 4y", "Ann Lee", "4y"),
                                ("R. Lu 5:03 PM", "R. Lu", "5:03 PM"),
                                ("Rotorli Pri 17:20", "Rotorli Pri", "17:20")]:
        said = headers.parse_attribution(line)
        assert said is not None and (said.author, said.timestamp) == (author, stamp), line
    for line in ("Meet me at 5:03 PM", "See you 4y", "I Agree 4y", "We left at 10:30"):
        said = headers.parse_attribution(line)
        assert said is None or said.author is None, line


def test_header_lines_with_a_speech_verb_an_edit_mark_or_a_role() -> None:
    for line, author, stamp in [("Ann Lee says: 3 hours ago", "Ann Lee", "3 hours ago"),
                                ("Ann Lee 3 hours ago Edited", "Ann Lee", "3 hours ago"),
                                ("Ann Lee Moderator 3 hours ago", "Ann Lee", "3 hours ago"),
                                ("Library Staff | April 2, 2020 at 4:02 pm", "Library Staff",
                                 "April 2, 2020 at 4:02 pm")]:
        said = headers.parse_attribution(line)
        assert said is not None and (said.author, said.timestamp) == (author, stamp), line


def test_a_letter_avatar_above_the_header_is_no_comment() -> None:
    """"AL" above "Ann Lee 3 hours ago": the circle with the commenter's initials."""
    rows = [("AL", "Ann Lee", "The toll rise was announced without any warning at all."),
            ("T", "tidewatcher", "The joints really are worn out, you can feel every one."),
            ("CW", "Corinne W", "Please keep the thread on the bridge and its tolls.")]
    page = ("Harbour toll doubles\n\nDrivers will pay twice as much from March.\n\n"
            "3 Comments\n\n" + "".join(f"{initials}\n\n{name} 3 hours ago\n\n{text}\n\nReply\n\n"
                                       for initials, name, text in rows))
    assert _comments(page) == [text for _, _, text in rows]


def test_livejournal_parent_link_marks_a_reply() -> None:
    page = ("Harbour toll doubles in March\n\nThe toll doubles from March, the authority said "
            "on Monday after a long review.\n\ncorinne_w\n2021-03-03 10:15 am (UTC)\n"
            "Will the monthly pass cover motorbikes?\n(Reply) (Thread)\n\nbridgefan77\n"
            "2021-03-04 08:40 am (UTC)\nYes, anything with two wheels.\n"
            "(Reply) (Parent) (Thread)\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    first, second = thread.comments
    assert (first.parent_id, second.parent_id) == (None, first.id)


def test_newspaper_comment_picks_and_reactions_are_labels() -> None:
    for label in ("Times Pick", "NYT Pick", "Reader Picks", "Featured comment", "Respect (2)"):
        assert classify_line(0, label).kind == LABEL, label


def test_old_blogger_icon_words_before_names_are_dropped() -> None:
    page = ("Harbour toll doubles in March\n\nThe toll doubles from March. Want a pass?\n\n"
            "Anonymous Luka said...\n\nEleven years without a rise, so fine by me.\n\n10:54 PM\n"
            "Blogger Mira Tanaka said...\n\nWill the pass cover motorbikes?\n\n9:11 PM\n"
            "Anonymous said...\n\nNobody asked the ferry users.\n\n9:30 PM\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert [c.author for c in thread.comments] == ["Luka", "Mira Tanaka", "Anonymous"]


def test_a_comment_opening_with_a_line_of_the_article_starts_after_it() -> None:
    page = ("Harbour toll doubles in March\n\nThe toll doubles from March, the authority said.\n\n"
            "Want your own monthly pass?\n\nLuka said...\n\nWant your own monthly pass?\n\n"
            "I would rather the old price back.\n\nMira said...\n\nFine by me.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    assert [c.text for c in thread.comments] == ["I would rather the old price back.",
                                                 "Fine by me."]


def test_a_reply_opening_with_a_quoted_line_of_an_earlier_comment_starts_after_it() -> None:
    """The quotation leaves the reply's text but still says whom it answers."""
    page = ("Harbour toll doubles in March\n\nThe toll doubles from March.\n\n"
            "Luka says:\n\nYou could not pay me to drive across that bridge now.\n\n"
            "Mira says:\n\nThe ferry is no cheaper, honestly.\n\n"
            "Tom says:\n\n“You could not pay me to drive across that bridge now.”\n\n"
            "Same here, I take the train.\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    luka, _, tom = thread.comments
    assert tom.text == "Same here, I take the train."
    assert tom.parent_id == luka.id


def test_disqus_name_replied_to_after_the_repliers() -> None:
    page = ("Harbour toll doubles in March\n\nThe toll doubles from March, the authority said "
            "on Monday.\n\n3 Comments\n\nCorinne Wallace • 3 years ago\nWill the monthly pass "
            "cover motorbikes?\n3 • Reply • Share ›\n\nAvatar\nbridgefan77 Corinne Wallace • 3 "
            "years ago\nYes, anything with two wheels.\n1 • Reply • Share ›\n\nM. Ostrander • 3 "
            "years ago\nThe joints were making a racket last winter.\n• Reply • Share ›\n\n"
            "ALSO ON HARBOUR TIMES\nStorm warning for the coast tonight\n"
            "12 comments • 3 years ago\n")
    (thread,) = parse_text(page, ParseOptions(), source="page.txt")
    first, second, third = thread.comments
    assert [c.author for c in thread.comments] == ["Corinne Wallace", "bridgefan77",
                                                   "M. Ostrander"]
    assert (second.parent_id, third.parent_id) == (first.id, None)
    assert third.text == "The joints were making a racket last winter."


def test_drupal_submitted_by_with_permalink_and_not_verified() -> None:
    found = classify_line(0, "Permalink Submitted by Corinne Wallace (not verified) on Wed, "
                             "03/03/2021 - 10:15")
    assert found.kind == HEADER and found.attr is not None
    assert (found.attr.author, found.attr.timestamp) == ("Corinne Wallace",
                                                          "Wed, 03/03/2021 - 10:15")
