"""Tree checks and repairs: duplicates, self-replies, orphans, cycles, very deep chains."""

from __future__ import annotations

import time

from stance.thread.model import Comment, Thread
from stance.thread.tree import depths, repair, walk


def _thread(*pairs: tuple[str, str | None]) -> Thread:
    return Thread("t", tuple(Comment(id=i, text=f"text {i}", parent_id=p) for i, p in pairs))


def test_valid_thread_is_unchanged() -> None:
    t = _thread(("a", None), ("b", "a"), ("c", "b"), ("d", None))
    assert repair(t) is t
    assert [(c.id, d) for c, d in walk(t)] == [("a", 0), ("b", 1), ("c", 2), ("d", 0)]


def test_walk_is_depth_first_in_input_order() -> None:
    t = _thread(("a", None), ("b", None), ("a1", "a"), ("b1", "b"), ("a2", "a"), ("a11", "a1"))
    assert [c.id for c, _ in walk(t)] == ["a", "a1", "a11", "a2", "b", "b1"]


def test_duplicate_ids_renamed_with_warning() -> None:
    t = repair(_thread(("a", None), ("a", None), ("b", "a")))
    assert [c.id for c in t.comments] == ["a", "a~2", "b"]
    assert any("duplicate" in w for w in t.warnings)


def test_self_reply_made_top_level() -> None:
    t = repair(_thread(("a", None), ("b", "b")))
    assert t.comments[1].parent_id is None
    assert any("self-repl" in w for w in t.warnings)


def test_orphan_rerooted() -> None:
    t = repair(_thread(("a", None), ("b", "zzz")))
    assert t.comments[1].parent_id is None
    assert any("parent is missing" in w and "b" in w for w in t.warnings)


def test_cycle_broken_and_every_comment_reachable() -> None:
    t = repair(_thread(("a", "c"), ("b", "a"), ("c", "b"), ("d", None), ("e", "e2"), ("e2", "e")))
    assert sum("cycle" in w for w in t.warnings) == 1
    assert sorted(c.id for c, _ in walk(t)) == ["a", "b", "c", "d", "e", "e2"]
    roots = [c.id for c in t.comments if c.parent_id is None]
    assert "d" in roots and len(roots) == 3


def test_missing_ids_numbered() -> None:
    t = repair(Thread("t", (Comment(id="", text="x"), Comment(id="", text="y"))))
    assert len({c.id for c in t.comments}) == 2


def test_hundred_thousand_deep_chain_is_fast_and_iterative() -> None:
    n = 100_000
    comments = tuple(Comment(id=str(i), text="x", parent_id=str(i - 1) if i else None)
                     for i in range(n))
    start = time.perf_counter()
    t = repair(Thread("deep", comments))
    d = depths(t)
    assert d[str(n - 1)] == n - 1
    assert any("levels deep" in w for w in t.warnings)
    # generous: a recursion-based walk would crash, not slow down
    assert time.perf_counter() - start < 30


def test_hundred_thousand_deep_cycle_is_broken() -> None:
    n = 100_000
    comments = tuple(Comment(id=str(i), text="x", parent_id=str((i - 1) % n)) for i in range(n))
    t = repair(Thread("ring", comments))
    assert sum(1 for _ in walk(t)) == n
