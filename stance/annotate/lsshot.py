"""A screenshot of Label Studio's labeling interface on a pre-annotated task (for docs/).

Headless Debian Chromium driven by playwright-core (npm; no browser download): it logs in
with the check's throwaway user, opens the task in the project's data manager, and saves a PNG,
then quantised to a small palette with Pillow. Used by `make annotate-screenshot`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from stance.annotate.lsserver import LabelStudioError, LabelStudioServer

#: Where `make annotate-screenshot` installs playwright-core (override: PLAYWRIGHT_NODE_PATH).
NODE_PATH = Path(".venv-annotate/node/node_modules")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

SCRIPT = """
const { chromium } = require('playwright-core');
(async () => {
  const [url, email, password, path, out, exe, flags] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: exe, args: JSON.parse(flags) });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(url + '/user/login/');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await page.goto(url + path);
  await page.waitForSelector('text=Comment to label', { timeout: 60000 });
  await page.waitForTimeout(3000);
  await page.screenshot({ path: out });
  await browser.close();
})().catch(e => { console.error(String(e)); process.exit(1); });
"""


def labeling_screenshot(server: LabelStudioServer, project_id: int, task_id: int,
                        png: Path, colors: int = 64) -> Path:
    """Save the labeling interface of one task as a palette PNG at `png`."""
    node, chromium = shutil.which("node"), shutil.which("chromium")
    node_path = Path(os.environ.get("PLAYWRIGHT_NODE_PATH", NODE_PATH)).resolve()
    if node is None or chromium is None or not (node_path / "playwright-core").is_dir():
        raise LabelStudioError("a screenshot needs node, chromium (apt-get install chromium) "
                               f"and playwright-core in {node_path} (make annotate-screenshot)")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stance-shot-") as tmp:
        script, raw = Path(tmp) / "shot.js", Path(tmp) / "raw.png"
        script.write_text(SCRIPT, encoding="utf-8")
        o = server.options
        done = subprocess.run(
            [node, str(script), server.url, o.username, o.password,
             f"/projects/{project_id}/data?task={task_id}", str(raw), chromium,
             json.dumps(FLAGS)],
            env={**os.environ, "NODE_PATH": str(node_path)}, capture_output=True, text=True,
            timeout=180, check=False)
        if done.returncode != 0 or not raw.is_file():
            raise LabelStudioError(f"the screenshot failed: {done.stderr.strip()[-800:]}")
        shrink(raw, png, colors)
    return png


def shrink(source: Path, target: Path, colors: int) -> None:
    """Quantise a screenshot to `colors` colours (text stays sharp) and save it optimised."""
    from PIL import Image

    with Image.open(source) as image:
        small = image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
        small.save(target, optimize=True)
