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

#: dataset metric -> floor; the comments give what stance-minilm@0.2.0 and @0.3.0 measured on
#: this slice (fp32 / the int8 graph `stance label` runs: ONNX int8 with fp32 FFN outputs for
#: both), 2026-12-06. The floors were set about 5 points below 0.2's lower figure and kept for
#: 0.3, which clears every one (ARC and Perspectrum by the least: 3 and 1.3 points; on the full
#: dev split 0.3 is above 0.2 on both). The slice changed on 2026-12-06: each dataset is now
#: drawn with its own generator (adding arc and perspectrum had reshuffled every other
#: dataset's rows) and comment_claims' third batch joined its dev split, so these are not
#: comparable with the 0.1 model's pins. 0.3.1 (0.3's weights reading 256 tokens; its int8
#: graph runs inputs over 128 tokens in fp32), fp32 / int8, in the order below: 0.670 / 0.686,
#: 0.821 / 0.815, 0.668 / 0.651, 0.703 / 0.696, 0.424 / 0.400, 0.527 / 0.527, 0.573 / 0.587,
#: 0.707 / 0.699, 0.749 / 0.739, 0.650 / 0.650, 0.805 / 0.805, 0.734 / 0.734; score 0.669 / 0.666.
#: 0.4.0 (0.3.2 with its stance head refitted, 2026-12-07), same order: 0.679 / 0.679,
#: 0.815 / 0.797, 0.679 / 0.661, 0.713 / 0.719, 0.405 / 0.412, 0.594 / 0.589, 0.614 / 0.628,
#: 0.707 / 0.699, 0.749 / 0.739, 0.650 / 0.650, 0.805 / 0.805, 0.734 / 0.734; score 0.679 / 0.676.
#: ARC's floor rose with it to about 5 points below 0.4.0's lower figure (was 0.44).
#: 0.4.1 (0.4.0 with its top two encoder layers continued, 2026-12-07), same order: 0.674 /
#: 0.677, 0.806 / 0.814, 0.648 / 0.648, 0.694 / 0.694, 0.391 / 0.387, 0.594 / 0.594, 0.642 /
#: 0.642, 0.714 / 0.728, 0.751 / 0.751, 0.650 / 0.657, 0.784 / 0.768, 0.744 / 0.744; score
#: 0.674 / 0.675.
FLOORS: dict[str, float] = {
    "semeval2016/stance_f_avg": 0.60,  # 0.2: 0.648 / 0.656; 0.3: 0.670 / 0.686
    "pstance/stance_f_avg": 0.76,  # 0.2: 0.811 / 0.820; 0.3: 0.821 / 0.815
    "mt_csd/stance_macro_f1": 0.59,  # 0.2: 0.649 / 0.638; 0.3: 0.663 / 0.645
    "vast/stance_macro_f1": 0.61,  # 0.2: 0.656 / 0.655; 0.3: 0.663 / 0.676
    "rumoureval2019/stance_macro_f1": 0.33,  # 0.2: 0.388 / 0.379; 0.3: 0.424 / 0.394
    "arc/stance_macro_f1": 0.54,  # 0.2: 0.515 / 0.494; 0.3: 0.474 / 0.470; 0.4.0: 0.594 / 0.589
    "perspectrum/stance_macro_f1": 0.56,  # 0.2: 0.609 / 0.608; 0.3: 0.573 / 0.587
    "subreddit_agreement/agreement_macro_f1": 0.65,  # 0.2: 0.705 / 0.705; 0.3: 0.721 / 0.713
    "tweeteval_sentiment/sentiment_recall": 0.68,  # 0.2: 0.727 / 0.726; 0.3: 0.749 / 0.739
    # the mean of media-bias and conspiracy F1
    "comment_claims/claims_f1": 0.60,  # 0.2: 0.649 / 0.661; 0.3: 0.673 / 0.673
    "pan2024/conspiracy_mcc": 0.70,  # 0.2: 0.768 / 0.752; 0.3: 0.794 / 0.794
    "prct/conspiracy_f1": 0.68,  # 0.2: 0.727 / 0.727; 0.3: 0.727 / 0.727
    "score": 0.60,  # the mean of the twelve; 0.2: 0.654 / 0.652; 0.3: 0.663 / 0.660
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
    # On this slice 0.3's int8 graph measured score 0.660 (fp32 0.663); every dataset within
    # three points of fp32 (RumourEval the most: 0.394 against 0.424).
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
