"""The HTML report in a real browser: headless Chromium renders it to a non-blank PNG."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.report import aggregate_files, write_report
from stance.report.screenshot import find_chromium, screenshot

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")]


def test_chromium_renders_the_report(labels_dir: Path, tmp_path: Path) -> None:
    import numpy as np
    from matplotlib.image import imread

    html = tmp_path / "report.html"
    write_report(aggregate_files([labels_dir / "demo.labels.jsonl"],
                                 [labels_dir / "demo.threads.jsonl"]), html, "html")
    png = screenshot(html, tmp_path / "report.png", 1280, 1600)
    pixels = imread(str(png))
    assert pixels.shape[:2] == (1600, 1280)
    rgb = pixels[..., :3]
    # A real page: mostly the light background, with plenty of ink and the palette's colours.
    assert rgb.mean() > 0.8
    assert (rgb.std(axis=(0, 1)) > 0.05).all()
    favor_green = np.all(np.abs(rgb - np.array([0x2E, 0x7D, 0x32]) / 255) < 0.03, axis=-1)
    against_red = np.all(np.abs(rgb - np.array([0xC6, 0x28, 0x28]) / 255) < 0.03, axis=-1)
    assert favor_green.sum() > 500 and against_red.sum() > 500
