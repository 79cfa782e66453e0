"""Exports: Disqus XML, Blogger Atom, Reddit JSON; unsafe and broken XML; deep JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.errors import InputError
from stance.thread import jsondeep
from stance.thread.parse import ParseOptions, parse_path, parse_text

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def test_disqus_export() -> None:
    (thread,) = parse_path(EXPORTS / "disqus.xml")
    assert thread.format == "disqus-xml"
    assert thread.article is not None
    assert thread.article.title == "Water utility raises rates for the third year in a row"
    assert [(c.id, c.parent_id, c.author) for c in thread.comments] == [
        ("9001", None, "Rosa Delgado"), ("9002", "9001", "kevin m"),
        ("9004", "9002", "HarborWatcher")]  # 9003 was deleted: its reply moves up
    assert thread.comments[2].text == "Publish the budget line by line first & then talk."
    assert any("deleted" in w for w in thread.warnings)


def test_blogger_atom_feed() -> None:
    (thread,) = parse_path(EXPORTS / "blogger_comments.atom")
    assert thread.format == "blogger-atom"
    assert [(c.id, c.parent_id) for c in thread.comments] == [("1001", None), ("1002", "1001"),
                                                              ("1004", "1001")]
    assert thread.comments[0].text == ("They cut the 6 am run first, of course.\n"
                                       "That is the one the nurses use.")
    assert thread.article is not None
    assert thread.article.title == "The ferry schedule is a mess again"


def test_reddit_listing() -> None:
    (thread,) = parse_path(EXPORTS / "reddit_listing.json")
    assert thread.format == "reddit-json"
    assert [(c.id, c.parent_id, c.author) for c in thread.comments] == [
        ("t1_c01", None, "sleepy_parent"), ("t1_c02", "t1_c01", "bus_driver_mike"),
        ("t1_c03", None, "[deleted]")]
    assert thread.article is not None and thread.article.title.startswith("School district")
    assert any("not loaded" in w for w in thread.warnings)


def test_reddit_comment_tree_dump() -> None:
    dump = [{"id": "a", "author": "x", "body": "top",
             "replies": [{"id": "b", "author": "y", "body": "child", "replies": []}]},
            {"id": "c", "author": "z", "body": "second top"}]
    (thread,) = parse_text(json.dumps(dump), ParseOptions(), source="dump.json")
    assert [(c.id, c.parent_id) for c in thread.comments] == [("a", None), ("b", "a"),
                                                              ("c", None)]


def _reddit_chain(depth: int) -> str:
    opening = "".join(f'{{"id": "c{i}", "body": "reply {i}", "replies": ['
                      for i in range(depth))
    return opening + "]}" * depth


def test_reddit_nesting_beyond_the_recursion_limit() -> None:
    (thread,) = parse_text(_reddit_chain(5000), ParseOptions(), source="deep.json")
    assert len(thread.comments) == 5000
    assert thread.comments[-1].parent_id == "c4998"


@pytest.mark.slow
def test_reddit_chain_one_hundred_thousand_deep() -> None:
    (thread,) = parse_text(_reddit_chain(100_000), ParseOptions(), source="deep.json")
    assert len(thread.comments) == 100_000
    assert any("unusually deep" in w for w in thread.warnings)


@pytest.mark.parametrize("text", ['{"a": [1, 2.5, "x\\n\\u00e9", true, null, {}]}', "[]", '"s"',
                                  '[[[]], {"k": {"l": [0]}}]'])
def test_iterative_json_matches_the_standard_parser(text: str) -> None:
    assert jsondeep.loads_iterative(text) == json.loads(text)


@pytest.mark.parametrize("text", ["[1,]", '{"a":}', '{"a" 1}', "[1 2]", "[", "[]]", "[1] 2",
                                  "{1: 2}", "[tru]"])
def test_iterative_json_rejects_malformed(text: str) -> None:
    with pytest.raises(ValueError):
        jsondeep.loads_iterative(text)


@pytest.mark.parametrize("payload, fragment", [
    ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     '<disqus xmlns="http://disqus.com"><post><message>&e;</message></post></disqus>',
     "forbidden"),
    ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     '<disqus xmlns="http://disqus.com"><post><message>&b;</message></post></disqus>',
     "forbidden"),
    ('<disqus xmlns="http://disqus.com"><post><message>unclosed</post></disqus>',
     "not well-formed"),
])
def test_unsafe_or_broken_xml_is_a_clear_error(payload: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        list(parse_text(payload, ParseOptions(format="disqus-xml"), source="bad.xml"))
    assert fragment in str(err.value) and "bad.xml" in str(err.value)


def test_broken_reddit_json_names_the_line() -> None:
    with pytest.raises(InputError) as err:
        list(parse_text('[{"kind": "t1",\n "data": {"body": }}]', ParseOptions(),
                        source="r.json"))
    assert "r.json" in str(err.value) and "not valid JSON" in str(err.value)
