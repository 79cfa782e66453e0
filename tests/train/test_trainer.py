"""Tier 1: train a tiny random model on hand-written rows; save, load, continue, evaluate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stance.errors import InputError
from stance.model.tasks import TASKS
from stance.train.config import TrainingConfig

#: Written for these tests (no dataset text): every head has a few labels.
ROWS: list[dict[str, Any]] = [
    {"text": "The new bridge is exactly what this town needed.", "target": "the new bridge",
     "stance": "favor", "sentiment": "positive"},
    {"text": "That bridge is a waste of money and everyone knows it.",
     "target": "the new bridge", "stance": "against", "sentiment": "negative"},
    {"text": "Does anyone know when the bridge opens?", "target": "the new bridge",
     "stance": "query"},
    {"text": "I walked my dog by the river today.", "target": "the new bridge",
     "stance": "none", "sentiment": "neutral"},
    {"text": "Exactly right, well said.", "parent_text": "Taxes went up again this year.",
     "agreement": "agree"},
    {"text": "No, they went down for most people.",
     "parent_text": "Taxes went up again this year.", "agreement": "disagree"},
    {"text": "Where did you read that?", "parent_text": "Taxes went up again this year.",
     "agreement": "neutral"},
    {"text": "The networks are lying to you about this, as always.", "media_bias": True,
     "conspiracy": False},
    {"text": "The mayor lied about the budget.", "media_bias": False, "conspiracy": False},
    {"text": "It was all planned in secret by the people who run everything.",
     "media_bias": False, "conspiracy": True},
    {"text": "Great game last night!", "sentiment": "positive"},
    {"text": "Worst service I have ever had.", "sentiment": "negative"},
]


def _rows(n: int = 3) -> list[dict[str, Any]]:
    """`n` variants of every row (distinct texts, so a dev slice can be carved)."""
    return [dict(r, text=f"{r['text']} ({i})" if i else r["text"], dataset="handmade")
            for i in range(n) for r in ROWS]


@pytest.fixture(scope="module")
def trained(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from stance.train.trainer import train_model

    out = tmp_path_factory.mktemp("train") / "model"
    cfg = TrainingConfig(base=str(tiny_model_dir), output=str(out), epochs=1, batch_size=8,
                         max_steps=3, max_length=48, device="cpu", log_every=1,
                         eval_fraction=0.25, seed=7)
    return train_model([_rows()], cfg)


def test_training_writes_a_loadable_model(trained: Path) -> None:
    from stance.model.io import load_model

    model, _ = load_model(trained)
    assert model.config.name == "stance-minilm" and model.config.max_length == 48
    assert set(model.config.thresholds) <= {"media_bias", "conspiracy"}
    summary = json.loads((trained / "training_summary.json").read_text())
    assert summary["history"] and summary["train_rows"] + summary["dev_rows"] == len(_rows())
    assert TrainingConfig.from_dict(summary["training_config"]).seed == 7


def test_training_moves_the_weights(tiny_model_dir: Path, trained: Path) -> None:
    from safetensors.torch import load_file

    before = load_file(str(tiny_model_dir / "model.safetensors"))
    after = load_file(str(trained / "model.safetensors"))
    key = "heads.stance.net.1.weight"
    assert not before[key].float().allclose(after[key].float())


def test_continue_from_saved_model(trained: Path, tmp_path: Path) -> None:
    from stance.train.trainer import train_model

    cfg = TrainingConfig(base=str(trained), output=str(tmp_path / "again"), epochs=1,
                         batch_size=8, max_steps=1, max_length=48, device="cpu",
                         calibrate=False)
    rows = _rows(1)
    path = train_model([rows[:8]], cfg, dev=[rows[8:]])
    assert (path / "model.safetensors").is_file()


def test_a_continuation_can_learn_attention_pooling(trained: Path, tmp_path: Path) -> None:
    """`attention_pooling` adds a zero scorer to a mean-pooled model; `pooler_lr` moves it."""
    from safetensors.torch import load_file

    from stance.model.io import load_model
    from stance.train.trainer import train_model

    with pytest.raises(InputError, match="pooler_lr"):
        TrainingConfig(pooler_lr=-1.0)
    cfg = TrainingConfig(base=str(trained), output=str(tmp_path / "pooled"), epochs=1,
                         batch_size=8, max_steps=3, max_length=48, device="cpu",
                         calibrate=False, attention_pooling=True, pooler_lr=0.05,
                         warmup_ratio=0.0)
    rows = _rows(1)
    path = train_model([rows[:8]], cfg, dev=[rows[8:]])
    model, _ = load_model(path)
    assert model.config.pooling == "attention"
    scorer = load_file(str(path / "model.safetensors"))["pooler.weight"].float()
    assert 0.01 < float(scorer.abs().max()) < 1.0  # moved by about lr per step, no more
    assert bool(scorer.isfinite().all())


def test_a_class_missing_from_training_leaves_the_weights_finite(tiny_model_dir: Path,
                                                                 tmp_path: Path) -> None:
    """Rows whose binary head has only positives once made BCE's pos_weight 1/0 and every
    weight NaN."""
    import torch
    from safetensors.torch import load_file

    from stance.model.multitask import task_loss
    from stance.train.trainer import train_model

    loss = task_loss("media_bias", torch.zeros(2, 1), torch.tensor([1, 1]),
                     torch.tensor([0.0, 2.0]))
    assert loss is not None and bool(torch.isfinite(loss))
    rows = _rows(1)
    assert {r.get("media_bias") for r in rows[:8]} == {None, True}
    cfg = TrainingConfig(base=str(tiny_model_dir), output=str(tmp_path / "m"), epochs=1,
                         batch_size=8, max_steps=2, max_length=48, device="cpu",
                         calibrate=False)
    path = train_model([rows[:8]], cfg, dev=[rows[8:]])
    for key, tensor in load_file(str(path / "model.safetensors")).items():
        assert bool(torch.isfinite(tensor.float()).all()), key


def test_non_finite_batches_are_skipped_then_stop_the_run(
        tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stance.errors import StanceError
    from stance.train import trainer

    def infinite(self: Any, chunk: Any, pad_id: int) -> tuple[Any, dict[str, float]]:
        weight = next(self.model.parameters())
        return (weight.sum() * float("inf"), {"stance": float("inf")})

    monkeypatch.setattr(trainer.Trainer, "_step_loss", infinite)
    cfg = TrainingConfig(base=str(tiny_model_dir), output=str(tmp_path / "m"), epochs=1,
                         batch_size=4, max_steps=3, max_length=48, device="cpu",
                         calibrate=False)
    rows = _rows(1)
    with pytest.raises(StanceError, match="diverged"):
        trainer.train_model([rows[:8]], cfg, dev=[rows[8:]])


def test_evaluate_result_shape(trained: Path) -> None:
    from stance.model.io import load_model
    from stance.train.evaluate import evaluate_model

    model, tokenizer = load_model(trained)
    result = evaluate_model(model, tokenizer, _rows(1))
    for task in TASKS:
        gold, pred = result.predictions[task]
        assert len(gold) == len(pred) == len(result.datasets[task]) > 0
        assert set(pred) <= set(TASKS[task].labels)
    assert result.predictions["stance"][0] == ["favor", "against", "query", "none"]
    assert len(result.predictions["agreement"][0]) == 3
    assert 0.0 <= result.metrics["stance_macro_f1"] <= 1.0
    assert "handmade/stance_macro_f1" in result.metrics
    assert len(result.metrics["stance_confusion"]) == 4
    assert 0.0 <= result.metrics["score"] <= 1.0


def test_settings_are_checked() -> None:
    with pytest.raises(InputError, match="max_length"):
        TrainingConfig(max_length=4)
    with pytest.raises(InputError, match="unknown training setting"):
        TrainingConfig.from_dict({"epoch": 3})
    cfg = TrainingConfig(seed=5)
    assert TrainingConfig.from_dict(cfg.to_dict()) == cfg


def test_dev_texts_are_removed_from_train(tiny_model_dir: Path) -> None:
    from stance.train.trainer import load_training_data

    rows = _rows(1)
    train, dev = load_training_data([rows], TrainingConfig(), dev=[rows[:4]])
    assert len(dev) == 4 and len(train) == len(rows) - 4


def test_no_labelled_rows_is_an_input_error(tmp_path: Path) -> None:
    from stance.train.trainer import train_model

    with pytest.raises(InputError, match="no labelled training rows"):
        train_model([[{"text": "nothing to learn"}]], TrainingConfig(output=str(tmp_path)))


def test_dataset_balance_draws_one_datasets_rare_classes_more(tiny_model_dir: Path) -> None:
    from stance.train.trainer import Trainer, prepare_model

    skewed = [dict(ROWS[0], text=f"{ROWS[0]['text']} ({i})", dataset="skewed") for i in range(9)]
    skewed.append(dict(ROWS[2], dataset="skewed"))  # one query among nine favor rows
    other = [dict(r, dataset="other") for r in ROWS]
    cfg = TrainingConfig(base=str(tiny_model_dir), epochs=1, batch_size=4, max_length=32,
                         device="cpu", dataset_balance={"skewed": 1.0})
    model, tokenizer = prepare_model(cfg)
    trainer = Trainer(model, tokenizer, cfg, skewed + other, [])
    assert trainer.draw_weights is not None and set(trainer.draw_weights) == {"skewed"}
    weights = trainer.draw_weights["skewed"]
    rare = [w for i, w in zip(trainer.by_dataset["skewed"], weights, strict=True)
            if trainer.examples[i].labels.get("stance") == TASKS["stance"].labels.index("query")]
    assert rare == [1.0] and max(weights) == 1.0 and min(weights) == pytest.approx(1 / 9)
    plain = Trainer(model, tokenizer, TrainingConfig(base=str(tiny_model_dir), device="cpu",
                                                      max_length=32), skewed + other, [])
    assert plain.draw_weights is None


def test_distill_loss_is_zero_on_a_match_and_grows_with_the_gap() -> None:
    import torch

    from stance.model.multitask import distill_loss

    logits = torch.tensor([[2.0, 0.0, -1.0, 0.5], [0.0, 0.0, 0.0, 0.0]])
    assert distill_loss("stance", logits, logits).abs().max() < 1e-6
    near = distill_loss("stance", logits + torch.tensor([0.0, 0.3, 0.0, 0.0]), logits)
    far = distill_loss("stance", logits + torch.tensor([0.0, 3.0, 0.0, 0.0]), logits)
    assert near.shape == (2,) and bool((near > 0).all()) and bool((far > near).all())
    binary = torch.tensor([[1.5], [-2.0]])
    assert distill_loss("conspiracy", binary, binary).abs().max() < 1e-6
    assert bool((distill_loss("conspiracy", -binary, binary) > 0).all())


def test_distill_anchors_the_named_datasets_to_a_frozen_teacher(tiny_model_dir: Path) -> None:
    import torch

    from stance.train.trainer import Trainer, prepare_model

    rows = [dict(r, dataset="old" if i % 2 else "new") for i, r in enumerate(ROWS)]
    with pytest.raises(InputError, match="teacher"):
        TrainingConfig(distill={"old": 1.0})
    cfg = TrainingConfig(base=str(tiny_model_dir), epochs=1, batch_size=4, max_length=32,
                         device="cpu", teacher=str(tiny_model_dir), distill={"old": 2.0})
    model, tokenizer = prepare_model(cfg)
    trainer = Trainer(model, tokenizer, cfg, rows, [])
    before = {k: v.clone() for k, v in trainer.teacher.state_dict().items()}
    torch.manual_seed(0)
    with torch.no_grad():  # the student drifts off
        for param in model.parameters():
            param.add_(0.5 * torch.randn_like(param))
    old = [ex for ex in trainer.examples if ex.dataset == "old"][:4]
    new = [ex for ex in trainer.examples if ex.dataset == "new"][:4]
    _, parts = trainer._step_loss(old, 0)
    assert parts["distill"] > 0
    _, parts = trainer._step_loss(new, 0)
    assert "distill" not in parts  # only the named datasets are anchored
    trainer.train()
    after = trainer.teacher.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # the teacher stays frozen


def test_distill_plain_teaches_rows_read_under_a_distractor_with_the_comment_alone(
        tiny_model_dir: Path) -> None:
    from stance.train.trainer import Trainer, prepare_model

    claims = [dict(r, dataset="claims") for r in ROWS if r.get("media_bias") is not None]
    stance = [dict(r, dataset="stance") for r in ROWS if r.get("stance") is not None]
    with pytest.raises(InputError, match="distill_plain"):
        TrainingConfig(distill_plain=True)
    common = dict(base=str(tiny_model_dir), epochs=1, batch_size=4, max_length=32,
                  device="cpu", teacher=str(tiny_model_dir),
                  distill={"claims": 1.0, "stance": 1.0}, distractor_target_p=1.0)
    cfg = TrainingConfig(**common, distill_plain=True)
    model, tokenizer = prepare_model(cfg)
    trainer = Trainer(model, tokenizer, cfg, claims + stance, [])
    moved = [ex for ex in trainer.examples if ex.dataset == "claims"]
    kept = [ex for ex in trainer.examples if ex.dataset == "stance"]
    # every claim row got a distractor target; its plain reading has none
    assert moved and all(ex.plain is not None and ex.plain != ex.pair for ex in moved)
    assert all(ex.plain is None for ex in kept)  # a real target is never replaced
    # the student is still the teacher: reading the same pair costs nothing, but the plain
    # teacher read the comment without the distractor, so the claim heads pay for the gap
    _, parts = trainer._step_loss(kept, 0)
    assert parts["distill"] == pytest.approx(0.0, abs=1e-5)
    _, parts = trainer._step_loss(moved, 0)
    assert parts["distill"] > 1e-4
    same = Trainer(model, tokenizer, TrainingConfig(**common), claims, [])
    assert all(ex.plain is None for ex in same.examples)
    _, parts = same._step_loss(same.examples, 0)
    assert parts["distill"] == pytest.approx(0.0, abs=1e-5)


def test_train_layers_moves_only_the_top_layers_and_the_heads(trained: Path,
                                                               tmp_path: Path) -> None:
    """`train_layers=1`: the embeddings and every layer below the top one keep the base's
    weights bit for bit; the top layer and the heads move."""
    from safetensors.torch import load_file

    from stance.train.trainer import train_model

    with pytest.raises(InputError, match="train_layers"):
        TrainingConfig(train_layers=-1)
    cfg = TrainingConfig(base=str(trained), output=str(tmp_path / "top"), epochs=1,
                         batch_size=8, max_steps=2, max_length=48, device="cpu",
                         calibrate=False, train_layers=1, warmup_ratio=0.0, lr=1e-2)
    rows = _rows(1)
    path = train_model([rows[:8]], cfg, dev=[rows[8:]])
    before = load_file(str(trained / "model.safetensors"))
    after = load_file(str(path / "model.safetensors"))
    layers = sorted({int(k.split(".")[3]) for k in before
                     if k.startswith("encoder.encoder.layer.")})
    assert len(layers) >= 2
    top = f"encoder.encoder.layer.{layers[-1]}."
    moved = {k for k in before if not before[k].equal(after[k])}
    assert any(k.startswith(top) for k in moved)
    assert any(k.startswith("heads.") for k in moved)
    assert not {k for k in moved if k.startswith("encoder.") and not k.startswith(top)}
