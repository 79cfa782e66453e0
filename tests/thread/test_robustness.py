"""Any bytes in: a thread or one clear error out, quickly, with no recursion anywhere."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.errors import InputError
from stance.thread.parse import ParseOptions, parse_path, parse_text
from stance.thread.tree import depths

FORMATS = ["auto", "text", "blogger-text", "html", "blogger-html", "wordpress-html"]


def _parse_file(tmp_path: Path, data: bytes, name: str = "in.txt", fmt: str = "auto") -> list:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_bytes(data)
    return list(parse_path(path, ParseOptions(format=fmt)))


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    data = b"Title here\n\nBob said...\n\nCaf\xe9 prices are \xff\xfe too high.\n"
    (thread,) = _parse_file(tmp_path, data)
    assert "\ufffd" in thread.comments[0].text
    assert any("UTF-8" in w for w in thread.warnings)


def test_nul_bytes_and_crlf(tmp_path: Path) -> None:
    data = b"Heading\r\n\r\nAnn said...\r\n\r\nNo\x00 way.\r\n"
    (thread,) = _parse_file(tmp_path, data)
    assert thread.comments[0].text == "No way."


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_input_is_an_input_error(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        _parse_file(tmp_path, data)


def test_long_single_line(tmp_path: Path) -> None:
    start = time.perf_counter()
    (thread,) = _parse_file(tmp_path, b"word " * 400_000)  # 2 MB, one line
    assert time.perf_counter() - start < 30
    assert thread.article is not None and thread.comments == ()


def test_a_page_of_many_short_lists_is_not_quadratic(tmp_path: Path) -> None:
    # Every three lines a new numbered or bulleted list starts; each list is tested as a
    # comment list. Before prefix sums (2026-12-07), each test read the rest of the page:
    # 12,000 such lines took 25 s and this page would take minutes. A hang guard, not a bench.
    glyphs = "•*◦▪"
    lines = [f"{(k % 3) + 1}. a numbered item {k} of a list long enough to be read as a comment"
             if k % 6 < 3 else
             f"{glyphs[k // 6 % 4]} a bulleted item {k} of a list long enough to be read as one"
             for k in range(40_000)]
    start = time.perf_counter()
    (thread,) = _parse_file(tmp_path, ("\n".join(lines) + "\n").encode())
    assert time.perf_counter() - start < 60
    ids = {c.id for c in thread.comments}
    assert all(c.parent_id is None or c.parent_id in ids for c in thread.comments)


@pytest.mark.slow
def test_twenty_megabyte_single_line(tmp_path: Path) -> None:
    start = time.perf_counter()
    (thread,) = _parse_file(tmp_path, b"word, " * 3_500_000)
    assert time.perf_counter() - start < 60
    assert thread.comments == ()


def test_hundred_thousand_deep_reply_chain_in_jsonl(tmp_path: Path) -> None:
    comments = [{"id": f"c{i}", "parent_id": f"c{i - 1}" if i else None, "text": "x"}
                for i in range(100_000)]
    data = (json.dumps({"thread_id": "deep", "comments": comments}) + "\n").encode()
    start = time.perf_counter()
    (thread,) = _parse_file(tmp_path, data, "deep.jsonl")
    assert time.perf_counter() - start < 60
    assert depths(thread)["c99999"] == 99_999
    assert any("unusually deep" in w for w in thread.warnings)


def test_deeply_nested_jsonl_line_is_skipped_with_a_clear_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = b'{"thread_id": "a", "comments": []}\n' + b'{"x":' * 5000 + b"1" + b"}" * 5000
    (thread,) = _parse_file(tmp_path, data, "t.jsonl")
    assert thread.thread_id == "a"
    assert "t.jsonl, line 2: JSON nested too deeply to read; skipped" in caplog.text
    with pytest.raises(InputError, match="line 1.*nested too deeply"):
        _parse_file(tmp_path, data.split(b"\n")[1], "t.jsonl")


def test_random_bytes_give_a_thread_or_a_clear_error(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    for n in range(30):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        try:
            threads = _parse_file(tmp_path, data, f"r{n}.bin")
        except InputError:
            continue
        assert threads and all(t.thread_id for t in threads)


_LINES = st.sampled_from([
    "", "Reply", "ReplyDelete", "Delete", "Replies", "Anonymous said...", "Bob says:",
    "June 1, 2012 at 5:05 AM", "4m", "level 2", "1. Paul R says", "  2. #2 kim", "Ann wrote:",
    "— Cindy S.", "3 comments:", "Posted by: b | Oct 4 2005 14:33 utc", "Liked by 2 people",
    "TJ's avatar", "TJ", "Houshu in reply to Nuijel", "•", "© 2020 Site", "Read more ....",
    "    indented text line here.", "A perfectly ordinary sentence about the harbor plan.",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(_LINES, st.text(max_size=80)), max_size=60),
       fmt=st.sampled_from(FORMATS))
def test_text_parser_never_crashes_and_keeps_threads_valid(lines: list[str], fmt: str) -> None:
    text = "\n".join(lines)
    try:
        threads = list(parse_text(text, ParseOptions(format=fmt), source="fuzz.txt"))
    except InputError:
        assert not text.strip()
        return
    for thread in threads:
        ids = [c.id for c in thread.comments]
        assert len(ids) == len(set(ids))
        for comment in thread.comments:
            assert comment.parent_id is None or comment.parent_id in ids
            assert comment.parent_id != comment.id
            for line in comment.text.split("\n"):
                assert line.strip() not in ("ReplyDelete", "Reply", "Delete", "Liked by 2 people")


_WORD = st.sampled_from("harbor bridge council vote cost jobs ferry plan wrong agree never "
                        "maybe people town budget study".split())
_SENTENCE = st.lists(_WORD, min_size=4, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")
_COMMENT = st.lists(_SENTENCE, min_size=1, max_size=3).map(" ".join)
_NAME = st.sampled_from(["Ann", "Bob Lee", "kim_22", "Anonymous", "Dr Who", "J. Alvarez"])


def _render(style: str, items: list[tuple[str, str, bool]]) -> str:
    out = ["The harbor plan", "", "The council approved the harbor plan on Tuesday night.", ""]
    if style == "said":
        out.append("4 comments:")
        for name, text, _ in items:
            out += ["", f"{name} said...", "", "March 3, 2021 at 8:12 AM", "", text]
    elif style == "lossy":
        out.append("Read more ....")
        label = ""
        for _, text, reply in items:
            out.append(label + text)
            label = "Delete" if reply else "ReplyDelete"
        out.append(label)
    else:  # WordPress numbered list, names on the item line
        out.append("4 thoughts on “The harbor plan”")
        for k, (name, text, _) in enumerate(items, start=1):
            out += ["", f"  {k}. {name} says:", "", f"     {text}", "", "     Reply"]
    return "\n".join(out) + "\n"


@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.tuples(_NAME, _COMMENT, st.booleans()), min_size=1, max_size=12),
       style=st.sampled_from(["said", "lossy", "numbered"]))
def test_rendered_threads_come_back_comment_for_comment(items: list[tuple[str, str, bool]],
                                                        style: str) -> None:
    if style == "lossy":  # the first comment of a lossy thread cannot be a reply
        items = [(items[0][0], items[0][1], False), *items[1:]]
    (thread,) = parse_text(_render(style, items), ParseOptions(), source="gen.txt")
    assert [c.text for c in thread.comments] == [text for _, text, _ in items]
    if style != "lossy":
        assert [c.author for c in thread.comments] == [name for name, _, _ in items]
    else:
        assert [c.parent_id is not None for c in thread.comments] == [r for _, _, r in items]


def test_attribution_cache_keeps_only_short_lines() -> None:
    """`parse_attribution` remembers the lines it has read (pages repeat their author, date
    and button lines), but never a long one: a 20 MB line must not stay in memory."""
    from stance.thread.lines import headers

    headers._attribution.cache_clear()
    assert headers.parse_attribution("x" * 1_000_000) is None
    assert headers._attribution.cache_info().currsize == 0
    first = headers.parse_attribution("kestrel22 says:")
    assert first is not None and first.author == "kestrel22"
    assert headers.parse_attribution("  kestrel22 says: ") is first
    assert headers._attribution.cache_info().hits == 1


def test_line_shape_cache_keeps_only_short_lines_and_the_index() -> None:
    """`classify_line` reads each short line's shape once (pages repeat their button and date
    lines); a repeated line still gets its own index, and a long line is never kept."""
    from stance.thread.lines import classify as lines

    lines._shape_of.cache_clear()
    long_line = lines.classify_line(7, "word " * 200_000)
    assert long_line.kind == lines.TEXT and long_line.index == 7
    assert lines._shape_of.cache_info().currsize == 0
    first, again = lines.classify_line(3, "ReplyDelete"), lines.classify_line(9, "ReplyDelete")
    assert (first.kind, again.kind) == (lines.LABEL, lines.LABEL)
    assert (first.index, again.index) == (3, 9)
    assert lines._shape_of.cache_info().hits == 1
    header = lines.classify_line(4, "  kestrel22 says:")
    assert header.kind == lines.HEADER and header.text == "kestrel22 says:" and header.indent == 2


def test_repeated_lines_get_feature_dicts_of_their_own() -> None:
    """Repeated lines share one reading of their own features, but each line's dict is its
    own: the context features added to one line must not show on another."""
    from stance.thread.lines.classify import classify
    from stance.thread.segment.features import content_lines, line_features

    page = "A story about the harbor.\n\nFirst comment here.\nReply\n\nSecond one.\nReply\n"
    lines = classify(page)
    feats = line_features(lines, use_rules=False)
    replies = [f for ln, f in zip(content_lines(lines), feats, strict=True)
               if ln.text == "Reply"]
    assert len(replies) == 2 and replies[0] is not replies[1]
    assert replies[0] != replies[1]  # their neighbours and positions differ


def test_emissions_sum_each_distinct_feature_list_once_into_rows_of_their_own() -> None:
    """Lines with the same feature names share one sum, which is the plain sum of their
    weights, and each line still gets a row of its own (decoding subtracts the start penalty
    in place)."""
    from stance.thread.segment.perceptron import Perceptron

    model = Perceptron(weights={"a": [1.0, 2.0, 3.0, 4.0], "b": [0.5, -1.0, 0.25, 0.0]})
    feats = [{"a": 1.0, "b": 1.0}, {"a": 1.0}, {"a": 1.0, "b": 1.0}, {"c": 1.0}]
    rows = model.emissions(feats)
    assert rows == [[1.5, 1.0, 3.25, 4.0], [1.0, 2.0, 3.0, 4.0], [1.5, 1.0, 3.25, 4.0],
                    [0.0, 0.0, 0.0, 0.0]]
    rows[0][2] -= 300
    assert rows[2] == [1.5, 1.0, 3.25, 4.0]


def test_said_lines_are_read_as_before_and_verbless_lines_skip_the_said_patterns() -> None:
    """`_SAID` and `_DATE_SAID` only run on lines with a speech verb; the lines they read come
    out as the full patterns read them."""
    from stance.thread.lines import headers

    headers._attribution.cache_clear()
    said = headers.parse_attribution("kestrel22 said...")
    assert said is not None and said.author == "kestrel22" and said.role == "head"
    dated = headers.parse_attribution("On March 3, 2019 at 14:02, Priya Kumar wrote:")
    assert dated is not None and dated.author == "Priya Kumar" and dated.role == "quote"
    commented = headers.parse_attribution("March 3, 2019, Priya Kumar commented")
    assert commented is not None and commented.author == "Priya Kumar"
    assert commented.timestamp and commented.shape == "date name said"
    verbless = "word, " * 25 + "and more words at the end of a long line"
    assert headers._SAID_VERB.search(verbless) is None
    assert headers.parse_attribution(verbless) is None
    for text in ("kestrel22 said...", "On March 3, 2019 at 14:02, Priya Kumar wrote:",
                 "Tom posted on May 2", "x" * 50 + " says:"):
        if headers._SAID.match(text) or headers._DATE_SAID.match(text):
            assert headers._SAID_VERB.search(text) is not None


def test_normalise_space_matches_the_whitespace_regex() -> None:
    import re

    from stance.thread.lines.clean import normalise_space

    for text in ("", "  ", "a\u00a0 b\t\n c ", "\u2003x\u3000y\x1c", "one\r\ntwo  ", "\u200bz"):
        assert normalise_space(text) == re.sub(r"\s+", " ", text).strip()


def test_blogger_label_layout_runs_each_comment_to_the_next_ones_first_line() -> None:
    """Lossy Blogger text read by the rule layout: a comment's later lines, after its labels,
    belong to it until the line above the next label run."""
    from stance.thread.lines.classify import classify
    from stance.thread.segment import rules

    page = ("The story.\n\nFirst comment.\nReplyDelete\nIts second line.\nSecond comment.\n"
            "Delete\nThird comment.\nReplyDelete\n")
    found = rules.layout(classify(page))
    texts = [[ln.text for ln in d.lines if ln.kind == "text"] for d in found.drafts]
    assert texts == [["First comment.", "Its second line."], ["Second comment."],
                     ["Third comment."]]
