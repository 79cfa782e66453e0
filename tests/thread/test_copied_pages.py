"""Select-all copies of whole comment pages whose comments carry no date: names placed by the
page's buttons or letter avatars, permalink numbers, "says:" with a badge, footers that sign
the text above them, and the sidebars after the last comment (`stance.thread.lines.classify`,
`stance.thread.lines.headers`, `stance.thread.segment.rules`, `stance.thread.tree.tail`).

Every page here is invented for the test."""

from __future__ import annotations

from stance.thread.lines.classify import AVATAR, HEADER, MARKER, TEXT, classify, classify_line
from stance.thread.parse import ParseOptions, parse_text

_STORY = ("Harbour toll doubles in March\n\nBy Dana Whitlow | March 3, 2021\n\n"
          "Drivers crossing the harbour bridge will pay twice as much from March, the transport "
          "authority confirmed on Monday after a long review of the bridge's accounts.\n\n"
          "The money will pay for new expansion joints on the main span, which were last "
          "replaced in the nineteen-nineties.\n\nJoin the discussion\n\n")
_TEXTS = ("Eleven years without a rise and now it doubles overnight, which is hardly fair.",
          "Will the monthly pass work for motorbikes too? Nobody could tell me.",
          "The joints were already making a racket last winter, so it had to happen.",
          "I cycle across anyway, so none of this touches me at all.",
          "Fair enough if the money really goes to the bridge and not elsewhere.")
_NAMES = ("Corinne Wallace", "tidewatcher", "M. Ostrander", "Pell Harbison", "bridgefan77")
_TAIL = ("Leave a Reply\n\nYour email address will not be published.\n\nRecent comments\n\n"
         "Ann Lee on Storm warning for the coast tonight\n\n"
         "Bob Stone on Council delays vote on the new library\n\nMost read\n\n"
         "Rail strike called off at the last minute\n\n"
         "Privacy Policy | Terms of Use\n\n© 2021 Harbour Times\n")


def _parse(text: str) -> list[tuple[str | None, str]]:
    (thread,) = parse_text(text, ParseOptions(format="text"), source="page.txt")
    return [(c.author, c.text) for c in thread.comments]


def _body(template: str) -> str:
    """The comments, each as `template` prints it: {name}, {text}, {initials} (a letter
    avatar), {k} (its number from 1), {hours} (k + 1) and {votes} (7k)."""
    return "".join(template.format(
        name=name, text=text, initials="".join(w[0] for w in name.split()[:2]).upper(), k=k,
        hours=k + 1, votes=7 * k)
        for k, (name, text) in enumerate(zip(_NAMES, _TEXTS, strict=True), start=1))


#: What a reader sees in every page below: each name with its comment.
_READING = list(zip(_NAMES, _TEXTS, strict=True))


def test_names_between_a_reply_button_and_the_text_head_their_comments() -> None:
    """No date anywhere: "Reply" closes a comment and the short name after it heads the next
    one, so each comment gets its name and no name ends the comment above."""
    assert _parse(_STORY + _body("{name}\n\n{text}\n\nLike Reply\n\n") + _TAIL) == _READING


def test_names_between_the_text_and_its_buttons_sign_the_comment_above() -> None:
    assert _parse(_STORY + _body("{text}\n\n{name}\n\nReply\n\n") + _TAIL) == _READING


def test_a_sidebar_heading_under_the_last_button_is_no_name() -> None:
    """ "Recent comments" sits where a name would, under the form's last button."""
    lines = classify("tidewatcher\n\nNot again.\n\nReply\n\nAdd a comment\n\nRecent comments\n\n"
                     "Ann Lee on Storm warning for the coast tonight\n")
    assert next(ln for ln in lines if ln.text == "Recent comments").kind == TEXT


def test_letter_avatars_above_bare_names_mark_the_names() -> None:
    body = _body("{initials}\n\n{name}\n\n{text}\n\n")
    lines = classify(_STORY + body)
    kinds = {ln.text: ln.kind for ln in lines}
    assert kinds["CW"] == AVATAR and kinds["Corinne Wallace"] == HEADER
    assert kinds["PH"] == AVATAR and kinds["Pell Harbison"] == HEADER
    assert _parse(_STORY + body) == _READING


def test_one_initial_above_one_short_line_is_no_avatar() -> None:
    lines = classify("Story text that runs on for a while here.\n\nA\n\nBob Stone\n\n"
                     "A sentence of the story follows it here.\n")
    assert all(ln.kind != AVATAR for ln in lines)


def test_a_permalink_number_after_a_name_makes_a_header_where_it_repeats() -> None:
    line = classify_line(0, "Pell Harbison #2")
    assert line.kind == HEADER and line.attr is not None and line.attr.author == "Pell Harbison"
    assert not line.attr.strong  # alone on a page, it stays text
    alone = classify("We are back.\n\nGo team #1\n\nWhat a match that was tonight.\n")
    assert alone[2].kind == TEXT
    body = _body("{name} #{k}\n\n{text}\n\n")
    assert _parse(_STORY + body) == _READING


def test_says_with_a_date_or_a_badge_is_one_header_not_a_name_opening_a_paragraph() -> None:
    body = "".join(f"{name} says: {when}\n\n{text}\n\n" for name, when, text in zip(
        _NAMES, ("4 hours ago #1", "Moderator", "yesterday #3 Edited", "OP", "2 days ago"),
        _TEXTS, strict=True))
    assert _parse(_STORY + body) == _READING


def test_a_quoted_post_opening_with_a_handle_and_colon_stays_in_its_comment() -> None:
    quoted = "“@harbourdesk: Toll rise confirmed for March, details to follow”"
    body = _body("{name} 2 hours ago\n\n{text}\n\n").replace(_TEXTS[2], _TEXTS[2] + "\n\n" + quoted)
    comments = _parse(_STORY + body)
    assert len(comments) == 5
    assert comments[2][1].endswith(quoted)


def test_a_dashed_footer_with_in_reply_to_signs_the_text_above_and_names_the_parent() -> None:
    line = classify_line(0, "— Pell Harbison 1 hour ago in reply to tidewatcher")
    assert line.attr is not None
    assert (line.attr.author, line.attr.timestamp, line.attr.reply_to, line.attr.role) == (
        "Pell Harbison", "1 hour ago", "tidewatcher", "foot")
    head = classify_line(0, "Ann Lee 2 hours ago in reply to Bob")
    assert head.attr is not None and (head.attr.author, head.attr.role) == ("Ann Lee", "head")


def test_footers_are_read_as_footers_past_the_sidebar_and_the_story_byline() -> None:
    """The sidebar after the last footer ("Name on Headline" lines) is no last comment, so
    the footers sign upwards; the story's "By X | date" line is its byline."""
    body = _body("{text}\n\n— {name} {hours} hours ago\n\nReply Share\n\n")
    assert _parse(_STORY + body + _TAIL) == _READING


def test_respond_is_a_button() -> None:
    body = _body("{name} 2 hours ago\n\n{text}\n\nRespond\n\n")
    assert all("Respond" not in text for _, text in _parse(_STORY + body))


def test_a_copy_without_blank_lines_keeps_the_teasers_out_of_the_first_signed_comment() -> None:
    """Without blank lines the first comment has no paragraph of its own: it is the last
    lines before its footer that read as sentences, as many as a comment here usually has,
    not the share row and teaser headlines above it."""
    teasers = ("Share on Facebook Share on X\nRelated stories\nRail strike called off at the "
               "last minute\nHow the new parking rules will work\n")
    body = _body("{text}\n— {name} {hours} hours ago\nReply\n")
    story = _STORY.replace("\n\n", "\n").replace("Join the discussion\n", "")
    comments = _parse(story + teasers + body + _TAIL.replace("\n\n", "\n"))
    assert comments == _READING


def test_conversation_heads_a_comment_section() -> None:
    assert classify("Conversation\n")[0].kind == MARKER


def test_a_bare_vote_count_and_a_permalink_under_the_name_still_place_the_names() -> None:
    body = _body("{name}\n\n#{k}\n\n{text}\n\n{votes} points\n\n")
    assert _parse(_STORY + body + _TAIL) == _READING
    counts = _body("{name}\n\n{text}\n\n{votes}\n\n")
    assert _parse(_STORY + counts + _TAIL) == _READING


def test_a_retweet_opening_a_paragraph_names_no_author() -> None:
    """Three paragraphs open "RT @desk: ...": they quote posts, they are no "Name: text"."""
    texts = [f"RT @harbourdesk: {text}" for text in _TEXTS]
    body = "".join(f"{name} 2 hours ago\n\n{text}\n\n" for name, text in zip(
        _NAMES, texts, strict=True))
    assert _parse(_STORY + body) == list(zip(_NAMES, texts, strict=True))
