"""Letters and excerpts signed under their text: with a dash ("-tidewatcher", "— Corinne W."),
as newspapers print readers' comments, or with the name over the writer's town on the next
line, as letters pages do; and user names marked as Markdown headings above their dates
("# tidewatcher"), as HTML-to-Markdown converters leave them (`stance.thread.lines.classify`,
`stance.thread.segment.rules`, `stance.thread.segment.numbered`).

Every page here is invented for the test."""

from __future__ import annotations

from stance.thread.lines.classify import HEADER, TEXT, classify
from stance.thread.parse import ParseOptions, parse_text

_STORY = ("Readers weigh in on the harbour toll\n\n"
          "We asked readers what they made of the doubled toll on the harbour bridge. Dozens "
          "wrote in over the weekend, most of them drivers who cross it every day.\n\n"
          "The transport authority says the money will pay for new expansion joints.\n\n")
_EXCERPTS = (("Unfair on commuters",
              "Eleven years without a rise and now it doubles overnight, which is hardly fair.",
              "-tidewatcher"),
             ("Pass for motorbikes?",
              "Will the monthly pass work for motorbikes too? Nobody at the office could say.",
              "-Red is Dead"),
             ("It had to happen",
              "The joints were already making a racket last winter, so this was coming.",
              "-04412 commuter"),
             ("Not my problem",
              "I cycle across anyway, so none of this touches me at all, thankfully.",
              "-M. Ostrander"))
_UNSIGNED = ("Follow the money\n"
             "Fair enough if the money really goes to the bridge and not somewhere else.\n")


def _page(excerpts: tuple[tuple[str, str, str], ...], tail: str = "") -> str:
    body = "".join(f"{title}\n{text}\n{sig}\n\n" for title, text, sig in excerpts)
    return _STORY + body + tail


def _parse(text: str) -> list[tuple[str | None, str]]:
    (thread,) = parse_text(text, ParseOptions(format="text"), source="page.txt")
    return [(c.author, c.text) for c in thread.comments]


def test_dashed_names_that_would_not_pass_alone_sign_their_excerpts() -> None:
    lines = classify(_page(_EXCERPTS))
    signed = [ln.attr.author for ln in lines if ln.kind == HEADER and ln.attr is not None]
    assert signed == ["tidewatcher", "Red is Dead", "04412 commuter", "M. Ostrander"]


def test_an_unsigned_last_excerpt_does_not_turn_the_signatures_into_headers() -> None:
    got = _parse(_page(_EXCERPTS, _UNSIGNED))
    assert [author for author, _ in got] == ["tidewatcher", "Red is Dead", "04412 commuter",
                                             "M. Ostrander", None]
    for (author, text), (title, body, _) in zip(got, _EXCERPTS, strict=False):
        assert text.startswith(title) and body in text, author
    assert got[-1][1].startswith("Follow the money")
    assert not any("Dozens" in text or "weigh in" in text for _, text in got)


def test_the_first_excerpt_is_no_longer_than_the_longest_later_one() -> None:
    """The story above the first signature stays the story: the first excerpt gets at most as
    many paragraphs as any later one has."""
    got = _parse(_page(_EXCERPTS))
    assert got[0] == ("tidewatcher", f"{_EXCERPTS[0][0]}\n{_EXCERPTS[0][1]}")


def test_a_dashed_list_item_is_no_signature() -> None:
    """A bulleted list inside a comment: its dashed lines follow one another."""
    text = _page(_EXCERPTS[:2]) + ("What I would do\nThree things:\n- lower the toll\n"
                                   "- more buses\n\n")
    lines = classify(text)
    assert [ln.kind for ln in lines if ln.text in ("- lower the toll", "- more buses")] == [
        TEXT, TEXT]


def test_a_markdown_heading_name_above_a_date_heads_its_comment() -> None:
    text = _STORY + "".join(f"# {name}\nMonday, July 19, 2010 3:50 AM\n{body}\n\n"
                            for name, body in (("tidewatcher", _EXCERPTS[0][1]),
                                               ("bridgefan77", _EXCERPTS[1][1])))
    assert _parse(text) == [("tidewatcher", _EXCERPTS[0][1]), ("bridgefan77", _EXCERPTS[1][1])]


def test_letters_signed_with_name_over_place_and_bullets_between_them() -> None:
    """A letters page: each letter signed "Name" / "Town" on two lines, a bullet before every
    letter but the first."""
    page = ("Corinne's letter was the first of many this week about the toll.\n\n"
            "Eleven years without a rise and now it doubles overnight.\nHardly fair on us.\n"
            "Corinne Wallace\nPortland, Maine\n"
            "• Will the monthly pass work for motorbikes too? Nobody could tell me.\n"
            "Pell Harbison\nHalifax, Nova Scotia\n"
            "• The joints were already making a racket last winter, so this was coming.\n"
            "M. Ostrander\nBoston\n")
    got = _parse(page)
    assert [author for author, _ in got] == ["Corinne Wallace", "Pell Harbison", "M. Ostrander"]
    assert got[0][1] == ("Eleven years without a rise and now it doubles overnight.\n"
                         "Hardly fair on us.")
    assert not any("Maine" in text or "Boston" in text for _, text in got)
