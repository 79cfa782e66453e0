"""The streaming engine with a fake backend: order, batching limits, parent vectors, memory."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.infer.backends import BatchOutput, Pending
from stance.infer.engine import Engine, Item, Limits, plan_batches
from stance.infer.labeler import Resume, thread_items
from stance.infer.tokenize import Encoded, TokenBatch
from stance.model.config import ModelConfig
from stance.thread.model import Comment, Thread

H = 4


def row_vector(ids: np.ndarray) -> np.ndarray:
    """What the fake encoder gives one row: depends only on that row's real tokens."""
    ids = ids.astype(np.float64)
    return np.array([ids.sum() % 97, len(ids), ids[0] % 13, ids[-1] % 11], dtype=np.float32)


class FakeBackend:
    name = "fake"
    hidden_size = H
    pair_tasks: tuple[str, ...] = ("agreement",)
    preferred_batch = 4

    def __init__(self) -> None:
        self.batches: list[tuple[int, int]] = []  # (rows, padded width)
        self.pairs_seen = 0

    def submit(self, batch: TokenBatch) -> Pending:
        self.batches.append(batch.input_ids.shape)
        pooled = np.stack([row_vector(ids[mask.astype(bool)])
                           for ids, mask in zip(batch.input_ids, batch.attention_mask,
                                                strict=True)])
        out = BatchOutput(pooled, {"stance": pooled[:, :4] / 50.0,
                                   "conspiracy": pooled[:, :1] / 50.0})
        return lambda: out

    def agreement(self, parent: np.ndarray, child: np.ndarray) -> dict[str, np.ndarray]:
        self.pairs_seen += len(parent)
        return {"agreement": (parent[:, :3] - child[:, :3]) / 50.0}


class FakeEncoder:
    """Token ids = character codes of 'target|text' (length = characters + 2)."""

    max_length = 10_000
    use_token_types = True
    pad_id = 0

    def encode(self, targets: list[str], texts: list[str],
               max_length: int | None = None) -> list[Encoded]:
        out = []
        for target, text in zip(targets, texts, strict=True):
            ids = [101] + [ord(ch) for ch in f"{target}|{text}"] + [102]
            if max_length:
                ids = ids[:max_length - 1] + [102]
            out.append(Encoded(ids, [0] * len(ids)))
        return out

    def pad(self, rows: list[Encoded], multiple_of: int = 8) -> TokenBatch:
        width = -(-max(len(r.ids) for r in rows) // multiple_of) * multiple_of
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, row in enumerate(rows):
            ids[i, :len(row.ids)] = row.ids
            mask[i, :len(row.ids)] = 1
        return TokenBatch(ids, mask, np.zeros_like(ids))


def engine(batch_size: int = 4, max_tokens: int = 400, window: int = 7,
           prefetch: bool = False) -> tuple[Engine, FakeBackend]:
    backend = FakeBackend()
    return Engine(backend, FakeEncoder(), ModelConfig(),  # type: ignore[arg-type]
                  Limits(batch_size, max_tokens, window, prefetch)), backend


def make_threads(seed: int, n_threads: int = 6, backwards: bool = False) -> list[Thread]:
    rng = random.Random(seed)
    threads = []
    for t in range(n_threads):
        comments: list[Comment] = []
        for i in range(rng.randint(1, 12)):
            parent = comments[rng.randrange(i)].id if i and rng.random() < 0.6 else None
            comments.append(Comment(id=f"c{i}", parent_id=parent,
                                    text="x" * rng.randint(0, 60) + str(i)))
        if backwards:  # replies listed before the comments they answer
            comments.reverse()
        threads.append(Thread(thread_id=f"t{t}", comments=tuple(comments), target=f"topic {t}"))
    return threads


def expected(threads: list[Thread]) -> list[tuple[str, str, np.ndarray, np.ndarray | None]]:
    """What every comment should get, computed one comment at a time."""
    enc = FakeEncoder()
    out = []
    for thread in threads:
        vec = {c.id: row_vector(np.array(enc.encode([thread.effective_target], [c.text])[0].ids))
               for c in thread.comments}
        for c in thread.comments:
            pair = None if c.parent_id is None else (vec[c.parent_id][:3] - vec[c.id][:3]) / 50
            out.append((thread.thread_id, c.id, vec[c.id], pair))
    return out


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


@pytest.mark.parametrize("backwards", [False, True])
@pytest.mark.parametrize("window,batch", [(1, 1), (3, 2), (7, 4), (1000, 64)])
def test_every_comment_once_in_input_order_with_its_parent(backwards: bool, window: int,
                                                            batch: int) -> None:
    threads = make_threads(3, backwards=backwards)
    eng, backend = engine(batch_size=batch, window=window)
    items = list(eng.run(thread_items(threads)))
    want = expected(threads)
    assert [(i.payload, i.comment_id) for i in items] == [(t, c) for t, c, _, _ in want]
    for item, (_, _, vec, pair) in zip(items, want, strict=True):
        assert item.rows is not None
        np.testing.assert_allclose(item.rows["stance"], softmax(vec / 50.0), rtol=1e-6)
        if pair is None:
            assert item.pair_rows is None
        else:
            assert item.pair_rows is not None
            np.testing.assert_allclose(item.pair_rows["agreement"], softmax(pair), rtol=1e-6)
    assert backend.pairs_seen == sum(p is not None for *_, p in want)


def test_batches_respect_row_and_token_limits() -> None:
    threads = make_threads(5, n_threads=10)
    eng, backend = engine(batch_size=5, max_tokens=160, window=50)
    list(eng.run(thread_items(threads)))
    for rows, width in backend.batches:
        assert rows <= 5
        assert rows == 1 or rows * width <= 160


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 300), min_size=1, max_size=80), st.integers(1, 16),
       st.integers(8, 2000))
def test_plan_batches_is_a_partition_within_limits(lengths: list[int], rows: int,
                                                   tokens: int) -> None:
    plan = plan_batches(lengths, Limits(rows, tokens, 100, False))
    assert sorted(i for batch in plan for i in batch) == list(range(len(lengths)))
    for batch in plan:
        width = -(-max(lengths[i] for i in batch) // 8) * 8
        assert len(batch) <= rows
        assert len(batch) == 1 or len(batch) * width <= tokens


def test_sorting_by_length_pads_less_than_input_order() -> None:
    lengths = [random.Random(i).choice([10, 120]) for i in range(64)]
    sorted_plan = plan_batches(lengths, Limits(8, 10**6, 64, False))
    padded = sum(len(b) * max(lengths[i] for i in b) for b in sorted_plan)
    in_order = sum(8 * max(lengths[i:i + 8]) for i in range(0, 64, 8))
    assert padded < in_order


def test_parent_vectors_are_released_and_memory_follows_open_links() -> None:
    """A 3,000-comment flat thread keeps no vectors; a deep chain keeps about one."""
    flat = Thread("flat", tuple(Comment(f"c{i}", f"text {i}") for i in range(3000)))
    chain = Thread("chain", tuple(Comment(f"c{i}", f"reply {i}", f"c{i - 1}" if i else None)
                                  for i in range(3000)))
    eng, _ = engine(batch_size=16, window=64)
    peak = 0
    original = eng._finish

    def spy(window, started, links):  # type: ignore[no-untyped-def]
        nonlocal peak
        original(window, started, links)
        peak = max(peak, len(links.vectors) + sum(len(v) for v in links.waiting.values()))

    eng._finish = spy  # type: ignore[method-assign]
    assert sum(1 for _ in eng.run(thread_items([flat, chain]))) == 6000
    assert peak <= 2


def test_resume_skips_done_comments_but_still_encodes_their_vectors_for_replies() -> None:
    threads = make_threads(11)
    everything = [(t.thread_id, c.id) for t in threads for c in t.comments]
    done = everything[:9]
    eng, _ = engine()
    items = list(eng.run(thread_items(threads, resume=Resume(iter(done)))))
    assert [(i.payload, i.comment_id) for i in items] == everything[9:]
    want = {(t, c): pair for t, c, _, pair in expected(threads)}
    for item in items:
        pair = want[(item.payload, item.comment_id)]
        if pair is not None:
            assert item.pair_rows is not None
            np.testing.assert_allclose(item.pair_rows["agreement"], softmax(pair), rtol=1e-6)


def test_resume_refuses_a_partial_output_that_does_not_match_the_input() -> None:
    from stance.errors import InputError

    threads = make_threads(11)
    eng, _ = engine()
    with pytest.raises(InputError, match="input changed"):
        list(eng.run(thread_items(threads, resume=Resume(iter([("t0", "nope")])))))
    extra = [(t.thread_id, c.id) for t in threads for c in t.comments] + [("t99", "c0")]
    with pytest.raises(InputError, match="does not have"):
        list(eng.run(thread_items(threads, resume=Resume(iter(extra)))))


def test_prefetch_gives_the_same_results_and_passes_errors_on() -> None:
    threads = make_threads(8)
    plain = [i.rows["stance"].tolist() for i in engine()[0].run(thread_items(threads))]
    eng, _ = engine(prefetch=True)
    assert [i.rows["stance"].tolist() for i in eng.run(thread_items(threads))] == plain

    def broken() -> Item:
        yield Item(0, "a", None, "", "fine")
        raise ValueError("bad input line")

    with pytest.raises(ValueError, match="bad input line"):
        list(engine(prefetch=True)[0].run(broken()))


def test_reply_to_a_missing_parent_gets_no_agreement() -> None:
    items = [Item(0, "a", None, "", "top", children=0),
             Item(0, "b", "ghost", "", "orphan")]
    eng, _ = engine()
    out = list(eng.run(items))
    assert [i.comment_id for i in out] == ["a", "b"]
    assert out[1].pair_rows is None and out[1].rows is not None


def sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


@pytest.mark.parametrize("reread,cap", [(True, 0), (False, 0), (True, 20)])
def test_gated_heads_take_the_target_free_reading_where_they_come_near(reread: bool,
                                                                        cap: int) -> None:
    """`ModelConfig.reread_alone`: a comment whose gated head scores at least the gate under
    its thread's target is read again with no target (reading `reread_max_length` tokens),
    and the gated heads take the second reading; comments under the gate, or with no target,
    are read once."""
    threads = make_threads(5, n_threads=8)
    threads.append(Thread(thread_id="bare", comments=(Comment(id="c0", parent_id=None,
                                                              text="y" * 40),), target=""))
    gate = 0.7
    backend = FakeBackend()
    config = ModelConfig(reread_alone={"conspiracy": gate}, reread_max_length=cap)
    eng = Engine(backend, FakeEncoder(), config,  # type: ignore[arg-type]
                 Limits(4, 400, 7, False), reread=reread)
    items = list(thread_items(threads, pairs=eng.pairs))
    done = {(i.payload, i.comment_id): i for i in eng.run(items)}
    enc = FakeEncoder()
    reread_expected = 0
    for thread in threads:
        for c in thread.comments:
            item = done[(thread.thread_id, c.id)]
            under = row_vector(np.array(enc.encode([thread.effective_target], [c.text])[0].ids))
            alone = row_vector(np.array(enc.encode([""], [c.text], cap or None)[0].ids))
            first = sigmoid(under[0] / 50.0)
            again = reread and bool(thread.effective_target) and first >= gate
            reread_expected += again
            want = sigmoid(alone[0] / 50.0) if again else first
            assert item.rows is not None
            assert item.rows["conspiracy"] == pytest.approx(want)
            if c.parent_id is None:  # stance keeps the reading under the target
                assert np.allclose(item.rows["stance"], softmax(under[:4] / 50.0))
    assert eng.reread_count == reread_expected
    assert (reread_expected > 0) == reread


def test_bad_reread_gates_in_a_model_file_are_left_out_with_a_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    config = ModelConfig(reread_alone={"conspiracy": 0.2, "stance": 0.5, "media_bias": "high"},
                         reread_max_length="long")  # type: ignore[arg-type]
    eng = Engine(FakeBackend(), FakeEncoder(), config, Limits(4, 400, 7, False))  # type: ignore[arg-type]
    assert eng.gates == {"conspiracy": 0.2} and eng.reread_tokens is None
    assert "reread_alone['stance']" in caplog.text and "reread_alone['media_bias']" in caplog.text
    assert "reread_max_length = 'long'" in caplog.text
    listed = ModelConfig(reread_alone=["media_bias"])  # type: ignore[arg-type]
    assert Engine(FakeBackend(), FakeEncoder(), listed,  # type: ignore[arg-type]
                  Limits(4, 400, 7, False)).gates == {}
