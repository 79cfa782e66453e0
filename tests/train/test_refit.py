"""`python -m stance.train.refit`: the stance head refitted on the frozen encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.errors import InputError


def _rows(n: int, dataset: str, split: str) -> list[dict]:
    stances = ("favor", "against", "none")
    out = []
    for k in range(n):
        stance = stances[k % 3]
        out.append({"text": f"comment {k} says it is {stance} of the plan", "target": "the plan",
                    "stance": stance, "dataset": dataset, "split": split,
                    "parent_text": "an earlier comment" if k % 4 == 0 else None})
    return out


def _weights(path: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


def _config(**kw: object):
    from stance.train.refit import RefitConfig

    base = {"epochs": 2, "lr": 1e-2, "batch_size": 8, "cap": {}, "encode_batch": 8}
    base.update(kw)
    return RefitConfig(**base)  # type: ignore[arg-type]


def test_refit_changes_only_the_stance_head(tiny_model_dir: Path, tmp_path: Path) -> None:
    from stance.train.refit import refit

    train = _rows(24, "arc", "train") + _rows(24, "semeval2016", "train")
    dev = _rows(9, "arc", "dev")
    out = tmp_path / "refit"
    report = refit(tiny_model_dir, train, dev, out, _config(), version="9.9.9")
    old, new = _weights(tiny_model_dir), _weights(out)
    assert set(old) == set(new)
    changed = {k for k in old if not old[k].float().equal(new[k].float())}
    assert changed and all(k.startswith("heads.stance.") for k in changed), changed
    config = json.loads((out / "stance_config.json").read_text())
    assert config["version"] == "9.9.9" and "stance head refit" in config["base"]
    assert config["temperatures"]["stance"] == pytest.approx(report["stance_temperature"])
    summary = json.loads((out / "training_summary.json").read_text())
    counts = summary["stance_head_refit"]["train_rows"]
    assert counts["arc"] == 24 and 24 < counts["semeval2016"] < 48  # headline copies: entities
    assert len(report["loss"]) == 2 and set(report["dev_after"]) == {"arc"}


def test_headline_copies_cap_and_the_cache(tiny_model_dir: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Entity rows get headline-target copies, caps sample a dataset, and a second run reads
    its vectors from the cache instead of encoding again."""
    from stance.train import refit as mod

    rows = mod.stance_rows(_rows(30, "pstance", "train"), _config(cap={"pstance": 10},
                                                                  headline_fraction=1.0), True)
    assert len(rows) == 20 and sum(r["target"] != "the plan" for r in rows) == 10
    train, dev = _rows(12, "vast", "train"), _rows(6, "vast", "dev")
    out = tmp_path / "refit"
    first = mod.refit(tiny_model_dir, train, dev, out, _config(headline_fraction=0.0))
    assert (tmp_path / "refit.refit_cache" / "pairs.safetensors").is_file()
    encoded: list[int] = []
    from stance.train import evaluate

    original = evaluate.encode_pairs

    def counting(model, tokenizer, texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        encoded.append(len(texts))
        return original(model, tokenizer, texts, *args, **kwargs)

    monkeypatch.setattr(evaluate, "encode_pairs", counting)
    second = mod.refit(tiny_model_dir, train, dev, out, _config(headline_fraction=0.0))
    assert encoded == [] and second["dev_after"] == first["dev_after"]
    extra = dict(train[0], text="a comment the cache has not seen")
    mod.refit(tiny_model_dir, [*train, extra], dev, out, _config(headline_fraction=0.0))
    assert encoded == [1]  # only the new pair


def test_refit_refuses_data_without_stance_and_bad_settings(tiny_model_dir: Path,
                                                            tmp_path: Path) -> None:
    from stance.train.refit import main, refit

    no_stance = [{"text": "hello", "dataset": "x", "stance": None}]
    with pytest.raises(InputError, match="no rows with a stance label"):
        refit(tiny_model_dir, no_stance, _rows(3, "arc", "dev"), tmp_path / "a", _config())
    with pytest.raises(InputError, match="positive"):
        refit(tiny_model_dir, _rows(3, "arc", "train"), _rows(3, "arc", "dev"), tmp_path / "b",
              _config(epochs=0))
    assert main([str(tiny_model_dir), "--output", str(tmp_path / "c"), "--weights", "arc"]) == 2


def test_mix_puts_the_head_between_the_refit_and_the_original(tiny_model_dir: Path,
                                                              tmp_path: Path) -> None:
    from stance.train.refit import refit

    train, dev = _rows(24, "arc", "train"), _rows(6, "arc", "dev")
    full = tmp_path / "full"
    refit(tiny_model_dir, train, dev, full, _config(headline_fraction=0.0),
          cache=tmp_path / "cache")
    half = tmp_path / "half"
    refit(tiny_model_dir, train, dev, half, _config(headline_fraction=0.0, mix=0.5),
          cache=tmp_path / "cache")
    old, a, b = _weights(tiny_model_dir), _weights(full), _weights(half)
    for key in old:
        if key.startswith("heads.stance."):
            want = 0.5 * a[key].float() + 0.5 * old[key].float()
            assert (b[key].float() - want).abs().max() < 1e-5, key
    with pytest.raises(InputError, match="mix"):
        refit(tiny_model_dir, train, dev, tmp_path / "x", _config(mix=0.0))


def test_refit_in_place_keeps_the_training_summary(tiny_model_dir: Path, tmp_path: Path) -> None:
    import shutil

    from stance.train.refit import refit

    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    (model / "training_summary.json").write_text(json.dumps({"history": [1, 2]}))
    refit(model, _rows(12, "arc", "train"), _rows(6, "arc", "dev"), model,
          _config(headline_fraction=0.0), cache=tmp_path / "cache")
    summary = json.loads((model / "training_summary.json").read_text())
    assert summary["history"] == [1, 2] and "stance_head_refit" in summary


def test_padded_copies_take_a_side_and_pay_no_anchor(tiny_model_dir: Path,
                                                     tmp_path: Path) -> None:
    """`pad`: copies of favor/against rows with a sentence of a neutral comment added; the
    copies are marked and pay no anchor, every other row keeps its own."""
    from stance.model.io import load_model
    from stance.train import refit as mod

    train = _rows(30, "semeval2016", "train")
    train += [dict(r, dataset="arc") for r in train[:6]]
    plain = mod.stance_rows(train, _config(headline_fraction=0.0), True)
    config = _config(headline_fraction=0.0, pad=1.0)
    rows = mod.stance_rows(train, config, True)
    added = rows[len(plain):]
    assert rows[:len(plain)] == plain and len(added) == 24  # every favor/against row
    assert all(r["padded"] and r["stance"] in ("favor", "against") for r in added)
    assert all(r["text"] != p["text"] and p["text"].strip() in r["text"]
               for r, p in zip(added, [p for p in plain if p["stance"] != "none"], strict=True))
    model, tokenizer = load_model(tiny_model_dir)
    model.float()
    vec = mod.encode_rows(model, tokenizer, rows, mod.PairStore(tmp_path / "cache", "k"), 8)
    assert vec.padded == [False] * len(plain) + [True] * len(added)
    anchors = mod.row_anchors(vec, config).tolist()
    want = [0.0 if r.get("padded") else config.claim_anchor if r["dataset"] == "arc"
            else config.anchor for r in rows]
    assert anchors == want and 0.0 < config.anchor and config.claim_anchor == 0.0
    assert mod.row_anchors(vec, _config(claim_anchor=1.0)).tolist().count(1.0) == 6
    with pytest.raises(InputError, match="pad"):
        _config(pad=-1.0).check()
    with pytest.raises(InputError, match="shares"):
        _config(pad=1.5).check()
