"""Render a report in headless Chromium and save a PNG, to check how the page really looks.

    python -m stance.report.screenshot out/report.html out/report.png [--size 1280,2400]

A development aid (used by `make report-screenshot` and a test); it needs the Debian package
`chromium` and runs fully offline.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from stance.errors import InputError, StanceError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html: str | Path, png: str | Path, width: int = 1280, height: int = 2400,
               timeout: float = 60.0) -> Path:
    """Save a `width` x `height` screenshot of the page at `html`; return the PNG path."""
    page = Path(html).resolve()
    if not page.is_file():
        raise InputError("no such file", path=str(html))
    browser = find_chromium()
    if browser is None:
        raise StanceError("chromium is not installed (Debian: apt-get install -y chromium)")
    out = Path(png).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stance-chromium-") as profile:
        command = [browser, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={out}",
                   f"--window-size={width},{height}", page.as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                    check=False)
        except subprocess.TimeoutExpired as exc:
            raise StanceError(f"chromium took longer than {timeout:.0f}s") from exc
    if result.returncode != 0 or not out.is_file():
        tail = (result.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise StanceError(f"chromium could not render {page.name}: {tail[0]}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("html")
    parser.add_argument("png")
    parser.add_argument("--size", default="1280,2400", help="WIDTH,HEIGHT in pixels")
    args = parser.parse_args(argv)
    try:
        width, height = (int(v) for v in args.size.split(","))
        path = screenshot(args.html, args.png, width, height)
    except ValueError:
        print("stance: --size must be WIDTH,HEIGHT", file=sys.stderr)
        return 2
    except StanceError as exc:
        print(f"stance: {exc}", file=sys.stderr)
        return exc.exit_code
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
