"""Metric gate: the shipped model on a frozen dev slice must not slide below pinned floors.

The slice is a fixed-seed sample of at most SLICE_ROWS rows of each dataset's dev split
(STANCE_DATA), scored on CPU exactly as `stance evaluate` scores. Floors sit a few points below
what the shipped model measured on this slice (see models/default/README.md); retraining must
keep every dataset at or above its floor. The same floors hold through the inference engine with
ONNX Runtime int8, what `stance label` runs on a CPU (`stance evaluate --quantize onnx-int8`), so
a change to the export or the quantisation cannot quietly cost accuracy either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SLICE_ROWS = 150
SLICE_SEED = 2016

#: dataset metric -> floor; the comment gives what stance-minilm@0.2.0 measured on this slice
#: (fp32 / the int8 graph `stance label` runs: ONNX int8 with fp32 FFN outputs for this model),
#: 2026-12-06. Floors sit about 5 points below the lower of the two. The slice changed that day:
#: each dataset is now drawn with its own generator (adding arc and perspectrum had reshuffled
#: every other dataset's rows) and comment_claims' third batch joined its dev split, so these
#: are not comparable with the 0.1 model's pins.
FLOORS: dict[str, float] = {
    "semeval2016/stance_f_avg": 0.60,  # 0.648 / 0.656
    "pstance/stance_f_avg": 0.76,  # 0.811 / 0.820
    "mt_csd/stance_macro_f1": 0.59,  # 0.649 / 0.638
    "vast/stance_macro_f1": 0.61,  # 0.656 / 0.655
    "rumoureval2019/stance_macro_f1": 0.33,  # 0.388 / 0.379
    "arc/stance_macro_f1": 0.44,  # 0.515 / 0.494
    "perspectrum/stance_macro_f1": 0.56,  # 0.609 / 0.608
    "subreddit_agreement/agreement_macro_f1": 0.65,  # 0.705 / 0.705
    "tweeteval_sentiment/sentiment_recall": 0.68,  # 0.727 / 0.726
    "comment_claims/claims_f1": 0.60,  # 0.649 / 0.661 (mean of media-bias and conspiracy F1)
    "pan2024/conspiracy_mcc": 0.70,  # 0.768 / 0.752
    "prct/conspiracy_f1": 0.68,  # 0.727 / 0.727
    "score": 0.60,  # 0.654 / 0.652, the mean of the twelve
}


@pytest.fixture(scope="module")
def gate_metrics(default_model_dir: Path, data_dir: Path) -> dict[str, Any]:
    import torch

    from stance.model.io import load_model
    from stance.train.data import load_sources, sample_rows
    from stance.train.evaluate import evaluate_model

    torch.set_num_threads(2)
    rows = sample_rows(load_sources([data_dir], "dev"), SLICE_ROWS, SLICE_SEED)
    model, tokenizer = load_model(default_model_dir, device="cpu")
    return evaluate_model(model, tokenizer, rows, batch_size=64).metrics


@pytest.fixture(scope="module")
def gate_metrics_int8(default_model_dir: Path, data_dir: Path) -> dict[str, Any]:
    from stance.infer.config import InferenceConfig
    from stance.infer.evaluate import evaluate_with_labeler
    from stance.train.data import load_sources, sample_rows

    rows = sample_rows(load_sources([data_dir], "dev"), SLICE_ROWS, SLICE_SEED)
    config = InferenceConfig(device="cpu", quantize="onnx-int8", progress=False)
    result, _ = evaluate_with_labeler(rows, str(default_model_dir), config)
    assert result.metrics["backend"] == "onnx-int8"
    return result.metrics


@pytest.mark.model
@pytest.mark.data
@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_dev_slice_floor_through_stance_label_int8(gate_metrics_int8: dict[str, Any],
                                                   metric: str) -> None:
    # On this slice the int8 graph measured score 0.652 (fp32 0.654); every dataset within
    # about two points of fp32.
    if metric not in gate_metrics_int8:
        pytest.skip(f"{metric.split('/')[0]} not in STANCE_DATA")
    assert gate_metrics_int8[metric] >= FLOORS[metric], (
        f"{metric} through int8 = {gate_metrics_int8[metric]:.4f} fell below its floor "
        f"{FLOORS[metric]}")


@pytest.mark.model
@pytest.mark.data
@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_dev_slice_floor(gate_metrics: dict[str, Any], metric: str) -> None:
    if metric not in gate_metrics:
        pytest.skip(f"{metric.split('/')[0]} not in STANCE_DATA")
    assert gate_metrics[metric] >= FLOORS[metric], (
        f"{metric} = {gate_metrics[metric]:.4f} fell below its floor {FLOORS[metric]}")


@pytest.mark.model
@pytest.mark.data
def test_dev_slice_calibration(gate_metrics: dict[str, Any]) -> None:
    # ~150-1000 rows per head: ECE is noisy here (full dev: 0.02-0.06), so the bound is loose.
    for task in ("stance", "agreement", "sentiment", "media_bias", "conspiracy"):
        if f"{task}_ece" in gate_metrics:
            assert gate_metrics[f"{task}_ece"] <= 0.12, task
