"""The general rules for comment-section styles: header shapes, depth links, chrome lines,
signatures and bare quotations (one small invented thread per rule)."""

from __future__ import annotations

import pytest

from stance.thread.formats.text import parse_text
from stance.thread.lines import clean, headers
from stance.thread.lines.classify import CHROME, classify


@pytest.mark.parametrize(("line", "author", "stamp"), [
    ("u/compost_carl · 6 hr. ago", "compost_carl", "6 hr. ago"),
    ("[–] traffic_tech 24 points 8 hours ago", "traffic_tech", "8 hours ago"),
    ("u/saucy_sven OP · 2 days ago", "saucy_sven", "2 days ago"),
    ("Sam Ortiz @sam_ortiz · 3h", "Sam Ortiz", "3h"),
    ("yaml_yolanda 9 hours ago | root | parent | next [–]", "yaml_yolanda", "9 hours ago"),
])
def test_name_separator_time_headers(line: str, author: str, stamp: str) -> None:
    attr = headers.parse_attribution(line)
    assert attr is not None and attr.author == author and attr.timestamp == stamp


def test_mail_from_and_replying_lines() -> None:
    mail = headers.parse_attribution("From: Lena Moss <lena@example.org>")
    assert mail is not None and mail.author == "Lena Moss" and mail.role == "head"
    reply = headers.parse_attribution("Replying to @jen_alv and @metro")
    assert reply is not None and reply.reply_to == "jen_alv" and reply.author is None


@pytest.mark.parametrize("line", ["permalink embed save parent report give award reply",
                                  "👍 3", "↺ 2 ★ 5", "View 2 more comments",
                                  "Improve this answer"])
def test_more_button_rows_are_labels(line: str) -> None:
    assert clean.is_label(line)


@pytest.mark.parametrize("line", ["Most relevant", "Top fan", "Author", "Sent from my iPhone",
                                  "sorted by: best"])
def test_badges_and_sort_menus_are_chrome(line: str) -> None:
    assert clean.is_chrome(line)


@pytest.mark.parametrize("line", ["TrackBack URL for this entry:", "Trackbacks",
                                  "Listed below are links to weblogs that reference Ferry fares:",
                                  "Tracked on Mar 3, 2006 9:14:02 AM"])
def test_movable_type_trackback_blocks_are_chrome(line: str) -> None:
    assert clean.is_chrome(line)
    assert classify(line + "\n")[0].kind == CHROME  # "Tracked on DATE" is no date header


@pytest.mark.parametrize("line", ["« Ferry fares up again | Main | Harbour cleanup starts »",
                                  "1,926 Posts.", "0 voters", "12 voters"])
def test_entry_navigation_and_counters_are_chrome(line: str) -> None:
    assert clean.is_chrome(line)


@pytest.mark.parametrize("line", ["I tracked on the map where the ferry goes.",
                                  "Tracked on my phone all day", "I wrote 3 posts about it.",
                                  "12 voters turned up at the hearing on Monday."])
def test_trackback_words_in_a_sentence_are_not_chrome(line: str) -> None:
    assert not clean.is_chrome(line)


def test_level_markers_give_depth_and_headers_leave_the_text() -> None:
    text = ("r/bikes\nPosted by u/op_olga 6 hr. ago\nShould I buy a used frame?\n\n"
            "level 1\nu/wrench_will · 5 hr. ago\nOnly if you can see it in person first.\n"
            "Reply Share Report Save Follow\n\n"
            "level 2\nu/op_olga · 5 hr. ago\nIt is two towns away, so maybe.\n"
            "Reply Share Report Save Follow\n")
    thread = parse_text(text, "t")
    assert [(c.author, c.parent_id) for c in thread.comments] == [
        ("wrench_will", None), ("op_olga", "c1")]
    assert [c.timestamp for c in thread.comments] == ["5 hr. ago", "5 hr. ago"]
    assert all("ago" not in c.text and "Reply" not in c.text for c in thread.comments)
    assert thread.article is not None and thread.article.title == "Should I buy a used frame?"
    assert thread.article.author == "op_olga" and thread.article.published == "6 hr. ago"


def test_a_reddit_copy_without_nesting_reads_depth_first_with_a_warning() -> None:
    """Copied without its indentation, a Reddit thread still lists replies depth first, so a
    comment no cue places answers the one above it (ninth session, 2026-12-06); the guess
    is said. A page that prints its levels keeps them, and a flat page of other authors
    keeps its comments top-level."""
    comments = [("wrench_will", "Only if you can see it in person first, frames crack."),
                ("op_olga", "It is two towns away, so maybe I will drive there on Sunday."),
                ("gear_gus", "Bring a torch and look inside the bottom bracket shell too.")]
    votes = (12, 7, 3)
    page = "r/bikes\n\nShould I buy a used frame?\n\n" + "".join(
        f"{n}\n\nu/{a} · 5 hr. ago\n\n{t}\n\n" for n, (a, t) in zip(votes, comments, strict=True))
    thread = parse_text(page, "t")
    assert [(c.author, c.parent_id) for c in thread.comments] == [
        ("wrench_will", None), ("op_olga", "c1"), ("gear_gus", "c2")]
    assert any("Reddit" in w and "depth first" in w for w in thread.warnings)
    flat = page.replace("u/", "")  # the same layout, no Reddit user names
    assert [c.parent_id for c in parse_text(flat, "t").comments] == [None, None, None]


def test_parent_link_marks_replies() -> None:
    text = ("Ask: best tent?\n\n"
            "[–] camper_cam 12 points 3 hours ago\nGet one with two doors.\n"
            "permalink embed save report reply\n\n"
            "[–] trail_tia 4 points 2 hours ago\nTwo doors add weight though.\n"
            "permalink embed save parent report reply\n\n"
            "[–] hiker_hal 2 points 1 hour ago\nBuy used, save half.\n"
            "permalink embed save report reply\n")
    thread = parse_text(text, "t")
    assert [c.parent_id for c in thread.comments] == [None, "c1", None]


def test_signatures_are_dropped() -> None:
    text = ("Topic: quiet lawn mowers\n\n3 comments:\n\n"
            "Ann Lee said...\nBattery mowers are much quieter.\n--\nAnn\nGarden club\n\n"
            "March 4, 2024 at 10:12 AM\n\n"
            "Bo Chan said...\nPetrol ones cut wet grass better.\n\nCheers,\nBo\n\n"
            "March 4, 2024 at 11:30 AM\n")
    thread = parse_text(text, "t")
    assert [c.text for c in thread.comments] == ["Battery mowers are much quieter.",
                                                 "Petrol ones cut wet grass better."]


def test_bare_quotation_names_the_parent() -> None:
    text = ("From: Harold Beck\nDate: Mon, 4 Mar 2024 09:12\n\nFees never helped returns.\n\n"
            "From: Lena Moss\nDate: Mon, 4 Mar 2024 10:40\n\n> Fees never helped returns.\n\n"
            "The annual report says otherwise.\n")
    thread = parse_text(text, "t")
    assert [(c.author, c.parent_id, c.text) for c in thread.comments] == [
        ("Harold Beck", None, "Fees never helped returns."),
        ("Lena Moss", "c1", "The annual report says otherwise.")]


def test_inline_comment_signatures_reply_to_the_post_above() -> None:
    text = ("How do I stop rust?\n\nMy pan rusts.\n\n2 Answers\n\n"
            "Dry it on the burner.\n\nanswered Mar 3, 2024 at 10:05\nskillet_sue\n\n"
            "That fixed it. – pan_paul Mar 3, 2024 at 18:22\n\nAdd a comment\n\n"
            "Use flaxseed oil.\n\nanswered Mar 4, 2024 at 7:51\niron_ian\n\nAdd a comment\n")
    thread = parse_text(text, "t")
    assert [(c.author, c.parent_id) for c in thread.comments] == [
        ("skillet_sue", None), ("pan_paul", "c1"), ("iron_ian", None)]


def test_disqus_reply_header_names_the_parent_after_the_author() -> None:
    single = headers.parse_attribution("Irene Vogt • 5 hours ago")
    assert single is not None and single.author == "Irene Vogt" and single.reply_to is None
    pair = headers.parse_attribution("Paul Dumont  Irene Vogt • 4 hours ago")
    assert pair is not None and (pair.author, pair.reply_to) == ("Paul Dumont", "Irene Vogt")
    text = ("Library hours cut again\n\nThe board trimmed Sunday opening.\n\n2 Comments\n\n"
            "Irene Vogt • 5 hours ago\nSundays were the busiest day.\nReply\n\n"
            "Otto Brandt • 4 hours ago\nBudgets are budgets.\nReply\n\n"
            "Paul Dumont  Irene Vogt • 3 hours ago\nStudents need the reading room.\nReply\n")
    thread = parse_text(text, "t")
    assert [(c.author, c.parent_id) for c in thread.comments] == [
        ("Irene Vogt", None), ("Otto Brandt", None), ("Paul Dumont", "c1")]


def test_post_byline_above_the_title_makes_the_next_line_the_title() -> None:
    text = ("r/gardening\nPosted by u/sprout_sam 9 hr. ago\n"
            "Neighbours complain about my wildflower lawn. Am I wrong?\n"
            "The council says it is fine, but the street association sent a letter.\n\n"
            "level 1\nu/bee_betty · 8 hr. ago\nKeep it, the bees need it.\nReply\n\n"
            "level 2\nu/mow_mike · 7 hr. ago\nCheck the bylaws first.\nReply\n")
    thread = parse_text(text, "t")
    article = thread.article
    assert article is not None
    assert article.title == "Neighbours complain about my wildflower lawn. Am I wrong?"
    assert article.text == ("The council says it is fine, but the street association sent "
                            "a letter.")
    assert (article.author, article.published) == ("sprout_sam", "9 hr. ago")
    assert [(c.author, c.parent_id) for c in thread.comments] == [
        ("bee_betty", None), ("mow_mike", "c1")]
