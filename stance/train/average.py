"""Average two stance models' weights ("model soup"), recalibrate on dev, save.

``python -m stance.train.average A B --alpha 0.5 --data $STANCE_DATA --output DIR``

Both models must share one architecture (the same encoder, heads and context heads): every
tensor becomes ``alpha * A + (1 - alpha) * B``. Where B pools by attention and A by the mean,
A's attention scorer counts as zero (which is the mean). Averaging a model with its own fine-tuned
continuation keeps much of what the continuation learned while undoing part of what it
forgot (Wortsman et al., 2022); stance-minilm@0.3.0 is 0.2 averaged half and half with such a
continuation. The temperatures and thresholds of the average are fitted again on the dev
rows (`stance.train.calibrate`), as at the end of every training run; `--no-calibrate` keeps
B's. The saved `training_summary.json` is B's, with the averaging under `weight_average`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from stance.errors import InputError, StanceError
from stance.train.rows import Row

logger = logging.getLogger(__name__)


def average_models(a: str | Path, b: str | Path, alpha: float, output: str | Path, *,
                   dev_rows: list[Row] | None = None, version: str | None = None,
                   label: str | None = None) -> dict[str, Any]:
    """Write ``alpha * A + (1 - alpha) * B`` to `output`; return the summary's averaging part
    (with the calibration report when `dev_rows` are given)."""
    from safetensors.torch import load_file

    from stance.io import atomic_writer
    from stance.model.config import ModelConfig
    from stance.model.io import WEIGHTS_NAME, load_model, save_model
    from stance.train.calibrate import calibrate

    if not 0.0 <= alpha <= 1.0:
        raise InputError(f"--alpha must lie between 0 and 1, not {alpha}")
    model, tokenizer = load_model(b)
    model.float()
    try:
        theirs = load_file(str(Path(a) / WEIGHTS_NAME))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the weights of {a} ({exc})") from None
    state = model.state_dict()
    for key in set(state) - set(theirs):
        if key.startswith("pooler."):  # A pools by the mean: attention pooling at zero
            theirs[key] = state[key].new_zeros(state[key].shape)
    if set(theirs) != set(state):
        missing, extra = sorted(set(state) - set(theirs)), sorted(set(theirs) - set(state))
        raise InputError(f"{a} and {b} do not share one architecture (only in {b}: "
                         f"{missing[:3]}; only in {a}: {extra[:3]})")
    for key, tensor in state.items():
        other = theirs[key]
        if other.shape != tensor.shape:
            raise InputError(f"{a} and {b} differ in the shape of {key}: "
                             f"{tuple(other.shape)} against {tuple(tensor.shape)}")
        if tensor.is_floating_point():
            state[key] = (alpha * other.float() + (1.0 - alpha) * tensor.float()).to(tensor.dtype)
    model.load_state_dict(state)
    report = calibrate(model, tokenizer, dev_rows, 128) if dev_rows else None
    settings = model.config.to_dict()
    settings["base"] = label or f"weights averaged: {alpha:.2f} x {a} + {1 - alpha:.2f} x {b}"
    if version:
        settings["version"] = version
    model.config = ModelConfig.from_dict(settings)
    save_model(model, tokenizer, output)
    averaging = {"a": str(a), "b": str(b), "alpha_a": alpha, "calibration": report}
    summary_path = Path(b) / "training_summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    summary["weight_average"] = averaging
    with atomic_writer(Path(output) / "training_summary.json") as handle:
        handle.write(json.dumps(summary, indent=1) + "\n")
    return averaging


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m stance.train.average", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", help="first model directory")
    p.add_argument("b", help="second model directory (its architecture and summary are kept)")
    p.add_argument("--alpha", type=float, default=0.5, help="weight of A (default 0.5)")
    p.add_argument("--output", required=True)
    p.add_argument("--data", type=Path, help="STANCE_DATA folder whose dev rows recalibrate")
    p.add_argument("--no-calibrate", action="store_true", help="keep B's temperatures")
    p.add_argument("--version", default=None, help="version to write in stance_config.json")
    p.add_argument("--label", default=None, help="what stance_config.json calls the base")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        rows = None
        if not args.no_calibrate:
            from stance.train.data import data_root, load_source

            rows = load_source(data_root(args.data), "dev")
        averaging = average_models(args.a, args.b, args.alpha, args.output, dev_rows=rows,
                                   version=args.version, label=args.label)
    except StanceError as exc:
        print(f"stance: {exc}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps(averaging, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
