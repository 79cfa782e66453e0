"""The annotation loop end to end against a real, local Label Studio (`make annotate-check`).

    python -m stance.annotate.lscheck --server .venv-annotate/bin/label-studio \
        --labels tests/fixtures/labels/demo.labels.jsonl --workdir out/annotate-check

1. `stance sample` writes the tasks (predictions as pre-annotations) and the labeling config;
2. a throwaway Label Studio (SQLite, a free port on 127.0.0.1, no network) gets a project with
   that config and the task file (uploaded as the Import dialog does); every pre-annotation
   must be stored and be one the interface can show (`lsannotator.prediction_problems`,
   against the server's own parse of the config);
3. every task but one is annotated through the API as an annotator's clicks would be (some
   labels and outlets changed), one is skipped;
4. the JSON, JSON-MIN and CSV exports go through `stance import`: every row must come back with
   exactly the submitted labels (changed ones included) and nothing else dropped;
5. `stance train --base` a tiny random model on the rows, `stance evaluate --compare` the two.
Exit 0 when it all holds; 1 with the first failed check on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.annotate.lsannotator import Submission, annotate, prediction_problems
from stance.annotate.lsserver import (
    LabelStudioClient,
    LabelStudioError,
    LabelStudioServer,
    ServerOptions,
)

logger = logging.getLogger(__name__)

EXPORTS = {"JSON": "json", "JSON_MIN": "min.json", "CSV": "csv"}
SKIPPED = "with no submitted annotation (none, or all cancelled)"


class CheckFailed(RuntimeError):
    """One check of the loop did not hold."""


@dataclass(frozen=True, slots=True)
class CheckOptions:
    server: Path  # the label-studio executable
    labels: Path  # label records to sample from
    workdir: Path
    n: int = 24
    train: bool = True
    screenshot: Path | None = None
    keep_server: float = 0.0  # seconds to leave the server up at the end (to look at it)


def stance_cli(*args: str) -> str:
    """Run the `stance` command installed beside this interpreter; its stderr on success."""
    exe = Path(sys.executable).with_name("stance")
    command = [str(exe)] if exe.exists() else [sys.executable, "-c",
                                               "from stance.cli import main; main()"]
    done = subprocess.run([*command, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CheckFailed(f"stance {args[0]} exited with {done.returncode}: "
                          f"{done.stderr.strip()[-1500:]}")
    return done.stderr + done.stdout


def say(message: str) -> None:
    print(message, flush=True)


def sample(options: CheckOptions) -> tuple[Path, list[dict[str, Any]], str]:
    batch = options.workdir / "batch.json"
    stance_cli("sample", str(options.labels), "--strategy", "uncertainty", "--n", str(options.n),
               "--output", str(batch))
    tasks = json.loads(batch.read_text(encoding="utf-8"))
    config = batch.with_name("batch.label_config.xml").read_text(encoding="utf-8")
    say(f"stance sample: {len(tasks)} tasks, "
        f"{sum(len(t['predictions']) for t in tasks)} with pre-annotations")
    return batch, tasks, config


def load_project(client: LabelStudioClient, batch: Path, tasks: list[dict[str, Any]],
                 config: str) -> tuple[int, list[dict[str, Any]]]:
    """Create the project, upload the task file, check every pre-annotation was accepted."""
    project = client.create_project("stance annotate-check", config)
    pid = int(project["id"])
    imported = client.upload_tasks(pid, batch)
    stored = client.tasks(pid)
    if imported.get("task_count") != len(tasks) or len(stored) != len(tasks):
        raise CheckFailed(f"imported {imported.get('task_count')} / stored {len(stored)} "
                          f"tasks of {len(tasks)}")
    parsed = client.project(pid)["parsed_label_config"]
    problems = [p for task in stored for p in prediction_problems(task, parsed)]
    sent = Counter(r["from_name"] for t in tasks for p in t["predictions"] for r in p["result"])
    kept = Counter(r["from_name"] for t in stored for p in t["predictions"] for r in p["result"])
    if sent != kept:
        problems.append(f"prediction results sent {dict(sent)}, stored {dict(kept)}")
    if problems:
        raise CheckFailed("pre-annotations not accepted: " + "; ".join(problems[:5]))
    if not client.project(pid).get("show_collab_predictions"):
        raise CheckFailed("the project does not show predictions to annotators")
    say(f"Label Studio project {pid}: {len(stored)} tasks, {sum(kept.values())} pre-annotation "
        f"results stored, every one a control and choice of the config ({dict(kept)})")
    return pid, stored


def submit_all(client: LabelStudioClient, stored: list[dict[str, Any]]) -> list[Submission]:
    submissions = [annotate(task, i, skip=i == len(stored) - 1) for i, task in enumerate(stored)]
    for sub in submissions:
        client.submit(sub.task_id, sub.payload)
    changed = Counter(name for s in submissions for name in s.changed)
    for needed in ("stance", "media_bias", "media_bias_outlets"):
        if not changed[needed]:
            raise CheckFailed(f"the sample gave no chance to change {needed}: sample more "
                              "comments (--n) or label records with media-bias claims")
    say(f"annotated {sum(s.expected is not None for s in submissions)} tasks through the API "
        f"(1 skipped), {sum(changed.values())} labels changed from the predictions: "
        f"{dict(changed)}")
    return submissions


def check_import(client: LabelStudioClient, pid: int, export_type: str,
                 submissions: list[Submission], workdir: Path) -> Path:
    """Export, `stance import`, and compare every row with what was submitted."""
    export = workdir / f"export.{EXPORTS[export_type]}"
    export.write_bytes(client.export(pid, export_type))
    rows_path = workdir / f"rows.{export_type.lower()}.jsonl"
    report_path = rows_path.with_suffix(".report.json")
    stance_cli("import", str(export), "--output", str(rows_path), "--report", str(report_path))
    rows = {(r["thread_id"], r["id"]): r
            for r in map(json.loads, rows_path.read_text(encoding="utf-8").splitlines())}
    expected = {(e["thread_id"], e["id"]): e for s in submissions if (e := s.expected)}
    report = json.loads(report_path.read_text(encoding="utf-8"))
    wrong = [f"{key}: got {rows.get(key)}, submitted {row}" for key, row in expected.items()
             if rows.get(key) != row]
    extra = sorted(set(rows) - set(expected))
    dropped_rows = {k: v for k, v in report["dropped_rows"].items() if k != SKIPPED}
    skipped = report["dropped_rows"].get(SKIPPED, 0)
    if wrong or extra or dropped_rows or report["dropped_labels"] or skipped > 1:
        raise CheckFailed(f"{export_type} export through stance import: "
                          f"{len(wrong)} rows differ ({'; '.join(wrong[:2])}), extra {extra}, "
                          f"dropped rows {dropped_rows}, dropped labels "
                          f"{report['dropped_labels']}")
    changed = sum(len(s.changed) for s in submissions)
    say(f"{export_type} export -> stance import: {len(rows)} rows, every label as submitted "
        f"({changed} changed ones included), nothing dropped"
        + (" (the skipped task reported as skipped)" if skipped else ""))
    return rows_path


def train_and_compare(rows: Path, workdir: Path) -> None:
    from stance.model.io import CONFIG_NAME
    from stance.model.tiny import save_tiny_model

    tiny = save_tiny_model(workdir / "tiny-base")
    run = workdir / "run"
    stance_cli("train", str(rows), "--base", str(tiny), "--output", str(run), "--epochs", "1",
               "--device", "cpu", "--batch-size", "8", "--max-length", "64")
    compare = workdir / "compare.json"
    stance_cli("evaluate", str(rows), "--compare", str(tiny), str(run), "--device", "cpu",
               "--output", str(compare))
    metrics = json.loads(compare.read_text(encoding="utf-8")).get("metrics") or []
    heads = sorted({m["head"] for m in metrics})
    if not (run / CONFIG_NAME).is_file() or not heads:
        raise CheckFailed(f"stance train/evaluate --compare left no model or no metrics: {run}")
    say(f"stance train --base (a tiny random model) on the JSON rows -> {run}; "
        f"stance evaluate --compare: {len(metrics)} metrics for {', '.join(heads)} "
        f"in {compare}")


def run_check(options: CheckOptions) -> None:
    options.workdir.mkdir(parents=True, exist_ok=True)
    batch, tasks, config = sample(options)
    server_dir = Path(tempfile.mkdtemp(prefix="stance-labelstudio-"))
    try:
        with LabelStudioServer(ServerOptions(binary=options.server, data_dir=server_dir)) as ls:
            client = ls.client()
            say(f"Label Studio {client.version()} running at {ls.url} (data in {server_dir})")
            pid, stored = load_project(client, batch, tasks, config)
            if options.screenshot:
                from stance.annotate.lsshot import labeling_screenshot

                labeling_screenshot(ls, pid, _screenshot_task(stored), options.screenshot)
                say(f"screenshot of the labeling interface: {options.screenshot}")
            submissions = submit_all(client, stored)
            rows = [check_import(client, pid, kind, submissions, options.workdir)
                    for kind in EXPORTS]
            if options.keep_server:
                say(f"leaving the server up for {options.keep_server:.0f} s at {ls.url}")
                time.sleep(options.keep_server)
    finally:
        shutil.rmtree(server_dir, ignore_errors=True)
    if options.train:
        train_and_compare(rows[0], options.workdir)
    say("annotate-check passed")


def _screenshot_task(stored: list[dict[str, Any]]) -> int:
    """A reply whose pre-annotation names outlets, else the first task."""
    for task in stored:
        names = {r["from_name"] for p in task["predictions"] for r in p["result"]}
        if "media_bias_outlets" in names and "agreement" in names:
            return int(task["id"])
    return int(stored[0]["id"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--server", type=Path, required=True, help="label-studio executable")
    parser.add_argument("--labels", type=Path, required=True, help="label records to sample")
    parser.add_argument("--workdir", type=Path, default=Path("out/annotate-check"))
    parser.add_argument("--n", type=int, default=24)
    parser.add_argument("--no-train", action="store_true")
    parser.add_argument("--screenshot", type=Path, help="save the labeling interface as PNG")
    parser.add_argument("--keep-server", type=float, default=0.0, metavar="SECONDS")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    options = CheckOptions(server=args.server, labels=args.labels, workdir=args.workdir,
                           n=args.n, train=not args.no_train, screenshot=args.screenshot,
                           keep_server=args.keep_server)
    try:
        run_check(options)
    except (CheckFailed, LabelStudioError, OSError) as exc:
        print(f"annotate-check failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
