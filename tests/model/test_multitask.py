"""The model core with the tiny random model: partial-parent batches, pre-tokenized batches."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from stance.model.batch import collate, pretokenize_pairs, tokenize_pairs


@pytest.fixture(scope="module")
def tiny() -> tuple[Any, Any]:
    from stance.model.tiny import build_tiny_model

    model, tokenizer = build_tiny_model(seed=3)
    return model.eval(), tokenizer


TEXTS = ["I could not agree more with this.", "No, that is simply wrong.", "What time is it?"]
TARGETS = ["the new bridge", "", "a very long target " * 30]


def test_collate_equals_tokenize_pairs(tiny: tuple[Any, Any]) -> None:
    _, tokenizer = tiny
    direct = tokenize_pairs(tokenizer, TEXTS, TARGETS, 48)
    padded = collate(pretokenize_pairs(tokenizer, TEXTS, TARGETS, 48), tokenizer.pad_token_id)
    assert torch.equal(direct.input_ids, padded.input_ids)
    assert torch.equal(direct.attention_mask, padded.attention_mask)
    assert direct.token_type_ids is not None and padded.token_type_ids is not None
    assert torch.equal(direct.token_type_ids, padded.token_type_ids)


def test_pretokenize_nothing(tiny: tuple[Any, Any]) -> None:
    assert pretokenize_pairs(tiny[1], [], [], 32) == []


def test_partial_parents_match_full_parents(tiny: tuple[Any, Any]) -> None:
    model, tokenizer = tiny
    batch = tokenize_pairs(tokenizer, TEXTS, TARGETS, 48)
    parents = tokenize_pairs(tokenizer, ["parent one", "parent two", "parent three"], TARGETS, 48)
    with torch.no_grad():
        full = model(batch, parents)["logits"]["agreement"]
        index = torch.tensor([0, 2])
        some = tokenize_pairs(tokenizer, ["parent one", "parent three"], [TARGETS[0], TARGETS[2]],
                              48)
        part = model(batch, some, parent_index=index)["logits"]["agreement"]
    assert part.shape == (2, 3)
    torch.testing.assert_close(part, full[index], atol=1e-5, rtol=1e-4)


def test_losses_only_for_labelled_rows(tiny: tuple[Any, Any]) -> None:
    model, tokenizer = tiny
    batch = tokenize_pairs(tokenizer, TEXTS, TARGETS, 48)
    parents = tokenize_pairs(tokenizer, ["the parent"], [TARGETS[1]], 48)
    labels = {"stance": torch.tensor([0, -100, 2]), "agreement": torch.tensor([-100, 1, -100]),
              "sentiment": torch.tensor([-100, -100, -100]),
              "conspiracy": torch.tensor([1, 0, -100])}
    out = model(batch, parents, labels, parent_index=torch.tensor([1]))
    assert set(k for k in out if k.startswith("loss_")) == {"loss_stance", "loss_agreement",
                                                           "loss_conspiracy"}
    expected = torch.nn.functional.cross_entropy(out["logits"]["agreement"], torch.tensor([1]))
    torch.testing.assert_close(out["loss_agreement"], expected)
    total = sum(out[k] for k in out if k.startswith("loss_"))
    total.backward()
    assert model.heads["agreement"].net[1].weight.grad is not None
    assert model.heads["sentiment"].net[1].weight.grad is None
    model.zero_grad(set_to_none=True)


def test_binary_class_weights_become_pos_weight(tiny: tuple[Any, Any]) -> None:
    from stance.model.multitask import task_loss

    logits = torch.tensor([[0.3], [-1.0], [2.0]])
    target = torch.tensor([1, 0, -100])
    weighted = task_loss("media_bias", logits, target, torch.tensor([1.0, 4.0]))
    plain = task_loss("media_bias", logits, target)
    assert weighted is not None and plain is not None and float(weighted) > float(plain)
    assert task_loss("media_bias", logits, torch.tensor([-100, -100, -100])) is None


def test_saved_model_directory_follows_the_umask(tmp_path: Any) -> None:
    """A saved model is an output: its directory gets mkdir's mode, not mkdtemp's 0700."""
    import os
    import stat

    from stance.model.tiny import save_tiny_model

    old = os.umask(0o022)
    try:
        path = save_tiny_model(tmp_path / "m")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
