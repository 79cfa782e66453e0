"""Page-adaptive line features: shape signatures and what a line shares with its page."""

from __future__ import annotations

import random

from stance.thread.segment.render import invented, parts
from stance.thread.segment.shapes import coarse_signature, page_shape_features, shape_signature


def test_signatures_keep_classes_not_words() -> None:
    assert shape_signature("Ann Lee on") == shape_signature("Bob Smithers on") == "Cl"
    assert shape_signature("(Ann, 3 May 2015 13:08)") == "(C,dDdT)"
    assert shape_signature(" ".join(["word"] * 20)) == "long"
    assert coarse_signature(shape_signature("1. Maren")) == coarse_signature(
        shape_signature("2. lena frost")) == "d.w"


def test_recurring_header_lines_are_marked_and_their_neighbours_too() -> None:
    texts = ["Ann Lee on", "I think the plan is far too expensive for a town of this size.",
             "Bob Smith on", "The ferry will pay for it, in time.",
             "Cara Diaz on", "Nobody asked the people who live down by the harbor what they think."]
    feats = page_shape_features(texts, [0] * len(texts), [False] * len(texts))
    assert "rep=3" in feats[0] and "rep_regular" in feats[2]
    assert "prev_rep3" in feats[1] and "prev_rep3" in feats[5]
    assert "rep=0" in feats[1] and "rep=0" in feats[3] and "after_rep" in feats[3]
    assert all("page_rep=1" in f for f in feats)
    assert "since_sep=1&gap_before=0" in feats[1]


def test_invented_templates_print_the_comment_meta() -> None:
    rng = random.Random(3)
    meta = parts.Meta(name="Ann Lee", date="May 3, 2015", number=4, depth=0,
                      parent_name=None, points=2)
    for _ in range(30):
        template = invented.draw(rng)
        line = invented.fill(template, meta, rng)
        assert line.strip() and "name" not in line.split()
