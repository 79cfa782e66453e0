"""The command line: one typer app, each command a few lines around a library call.

Heavy libraries (torch, transformers) are imported inside command bodies so `stance --help`
stays instant.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, ParamSpec

import typer

from stance.errors import SKIPPED_EXIT_CODE, InputError, StanceError
from stance.io import collect_input_notes

app = typer.Typer(
    name="stance",
    help="Parse scraped comment threads and classify what the commenters think.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_state = {"debug": False}
logger = logging.getLogger("stance")
#: Libraries whose warnings speak of their internals (quiet unless -v or --debug).
_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")


class Device(StrEnum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class Quantize(StrEnum):
    auto = "auto"
    none = "none"
    int8 = "int8"
    onnx = "onnx"
    onnx_int8 = "onnx-int8"


class ReportFormat(StrEnum):
    html = "html"
    md = "md"
    json = "json"


_P = ParamSpec("_P")


def _skips_exit(command: Callable[_P, None]) -> Callable[_P, None]:
    """Readers skip bad records with a warning each; a command that skipped any still writes
    everything else, then says how many on stderr and exits with SKIPPED_EXIT_CODE."""

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> None:
        with collect_input_notes() as notes:
            command(*args, **kwargs)
        if notes.skipped:
            typer.echo(f"stance: finished, but {notes.summary()}: the warnings above name them, "
                       "and everything else was written", err=True)
            raise typer.Exit(SKIPPED_EXIT_CODE)

    return run


Inputs = Annotated[list[str], typer.Argument(help="Input files ('-' for stdin).")]
OutputOpt = Annotated[str, typer.Option("--output", "-o", help="Output file ('-' = stdout).")]


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True,
                                         help="More logging (-v info, -vv debug).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors.")] = False,
) -> None:
    _state["debug"] = debug
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 or debug else
                                         logging.INFO if verbose == 1 else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    if not verbose and not debug:  # their warnings ("discarding data: None") mean nothing to
        for name in _LIBRARY_LOGGERS:  # a user; what matters, our own log says
            logging.getLogger(name).setLevel(logging.ERROR)


@app.command()
@_skips_exit
def parse(
    inputs: Inputs,
    format: Annotated[str, typer.Option("--format", "-f",
                                        help="Input format, or 'auto' to detect it: text, "
                                             "blogger-text, blogger-html, wordpress-html, html, "
                                             "disqus-xml, reddit-json, blogger-atom, jsonl.")
                      ] = "auto",
    output: OutputOpt = "-",
    target: Annotated[str | None, typer.Option(help="Target to record on every thread.")] = None,
) -> None:
    """Read raw pages, exports or thread JSONL; write repaired thread JSONL."""
    from stance.thread.jsonl import write_threads
    from stance.thread.parse import ParseOptions, parse_paths

    options = ParseOptions(format=format, target=target)
    count = write_threads(parse_paths(inputs, options), output)
    logger.info("wrote %d thread(s) to %s", count, output)


def _not_built(what: str) -> NoReturn:
    raise StanceError(f"'stance {what}' is not built yet in this version")


@app.command()
@_skips_exit
def label(
    inputs: Inputs,
    output: OutputOpt = "-",
    target: Annotated[str | None, typer.Option(help="Target for every thread.")] = None,
    model: Annotated[str | None, typer.Option(help="Model directory.")] = None,
    device: Annotated[Device, typer.Option(help="auto = CUDA when present.")] = Device.auto,
    batch_size: Annotated[int | None, typer.Option(
        min=1, help="Comments per forward pass (default 64 on CPU, 2048 on CUDA).")] = None,
    resume: Annotated[bool, typer.Option(help="Continue an interrupted run.")] = False,
    quantize: Annotated[Quantize, typer.Option(
        help="CPU: auto = int8 ONNX Runtime when it stays within tolerance of fp32; none = "
             "fp32 torch; int8 = torch int8; onnx / onnx-int8 = ONNX Runtime fp32 / int8."
    )] = Quantize.auto,
    reread: Annotated[bool, typer.Option(
        help="Read a comment that comes near a media-bias or conspiracy claim once more "
             "without the thread's target, as those heads were calibrated (the model's "
             "reread_alone gates); --no-reread = one pass per comment, faster.")] = True,
    engine: Annotated[Engine, typer.Option(
        help="local = this process; ray = a Ray cluster (needs the 'ray' extra).")
    ] = Engine.local,
    address: Annotated[str | None, typer.Option(
        help="Ray: cluster address ('auto' = the cluster this machine is in); "
             "default starts Ray on this machine.")] = None,
    num_workers: Annotated[int | None, typer.Option(
        min=1, help="Ray: labeler actors (default one per GPU, or per CPU).")] = None,
    num_gpus_per_worker: Annotated[float, typer.Option(min=0, help="Ray: GPUs per actor.")] = 0,
) -> None:
    """Label every comment: stance, agreement, sentiment, media-bias and conspiracy claims."""
    if engine is Engine.ray:
        from stance.distributed.ray_engine import RayOptions, label_with_ray
        from stance.infer.config import InferenceConfig

        label_with_ray(inputs, output, model=model, target=target, resume=resume,
                       config=InferenceConfig(device=device.value, batch_size=batch_size,
                                              quantize=quantize.value, reread=reread),
                       options=RayOptions(address=address, num_workers=num_workers,
                                          num_gpus_per_worker=num_gpus_per_worker))
        return
    if address is not None or num_workers is not None or num_gpus_per_worker:
        raise InputError("--address, --num-workers and --num-gpus-per-worker need --engine ray")
    from stance.infer.config import InferenceConfig
    from stance.infer.run import label_files

    config = InferenceConfig(device=device.value, batch_size=batch_size, quantize=quantize.value,
                             reread=reread)
    done = label_files(inputs, output, model=model, config=config, target=target, resume=resume)
    logger.info("wrote %d label record(s) to %s with %s (%s)%s", done.written, output,
                done.model, done.backend, f"; {done.resumed} kept from the interrupted run"
                if done.resumed else "")


@app.command()
@_skips_exit
def report(
    labels: Annotated[list[str], typer.Argument(help="Label JSONL files.")],
    output: OutputOpt = "-",
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.html,
    threads: Annotated[list[str] | None, typer.Option(
        "--threads", help="Thread files (anything 'parse' reads) for comment times, authors "
                          "and titles; repeatable.")] = None,
    max_threads: Annotated[int, typer.Option(
        min=0, help="Threads shown in detail, largest first.")] = 20,
) -> None:
    """Aggregate label records into a report: counts, shares, flows, outlets, quotes, trees."""
    from stance.report import ReportOptions, aggregate_files, write_report

    result = aggregate_files(labels, threads, ReportOptions(max_threads=max_threads))
    write_report(result, output, format.value)
    logger.info("wrote a %s report of %d record(s) to %s", format.value, result.records, output)


@app.command()
@_skips_exit
def train(
    data: Annotated[list[str], typer.Argument(help="Annotated JSONL/CSV files or dataset dirs.")],
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("runs/model"),
    base: Annotated[str | None, typer.Option(help="Base encoder or saved model.")] = None,
    epochs: Annotated[float, typer.Option(min=0.01)] = 3.0,
    device: Annotated[Device, typer.Option()] = Device.auto,
    seed: Annotated[int, typer.Option(help="Seed for sampling, dropout and dev slices.")] = 13,
    lr: Annotated[float, typer.Option(min=0.0, help="Encoder learning rate.")] = 5e-5,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    max_length: Annotated[int | None, typer.Option(
        min=8, max=512, help="Tokens per (target, comment) pair [default: a saved base "
        "model's own, else 128].")] = None,
    eval_fraction: Annotated[float, typer.Option(
        min=0.0, max=0.9, help="Dev slice carved from files that have no dev split.")] = 0.1,
    time_limit: Annotated[float, typer.Option(
        min=0.0, help="Stop training after this many seconds (0 = none).")] = 0.0,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue a killed run from OUTPUT.checkpoint/ (same arguments).")
    ] = False,
) -> None:
    """Fine-tune the multi-task model on annotated data."""
    from stance.model.io import saved_max_length
    from stance.train.config import TrainingConfig
    from stance.train.trainer import train_model

    if max_length is None:  # continuing a saved model keeps the length it reads
        max_length = saved_max_length(base) or 128
    config = TrainingConfig(base=base, output=str(output), epochs=epochs, device=device.value,
                            seed=seed, lr=lr, batch_size=batch_size, max_length=max_length,
                            eval_fraction=eval_fraction, time_limit_s=time_limit)
    path = train_model(data, config, resume=resume)
    typer.echo(f"saved the model to {path}", err=True)


@app.command()
@_skips_exit
def evaluate(
    data: Annotated[list[str], typer.Argument(help="Annotated JSONL/CSV files or dataset dirs.")],
    model: Annotated[str | None, typer.Option(help="Model directory.")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o")] = None,
    device: Annotated[Device, typer.Option()] = Device.auto,
    split: Annotated[str, typer.Option(help="Split of dataset folders: dev or train.")] = "dev",
    sample: Annotated[int, typer.Option(
        min=0, help="Score a fixed-seed sample of at most N rows per dataset (0 = all).")] = 0,
    batch_size: Annotated[int, typer.Option(min=1)] = 64,
    quantize: Annotated[Quantize | None, typer.Option(
        help="Score through the inference engine with this 'stance label' setting (auto = "
             "what 'stance label' does here: int8 on CPU); default: the model in fp32.")
    ] = None,
    compare: Annotated[tuple[str, str] | None, typer.Option(
        "--compare", metavar="OLD NEW", help="Evaluate two model directories on the same data "
        "and print per-head metrics side by side with 95% bootstrap intervals.")] = None,
) -> None:
    """Score a model on annotated data, per head and per dataset (metrics JSON)."""
    import json

    from stance.io import atomic_writer
    from stance.train.evaluate import evaluate_paths

    if compare:
        _evaluate_compare(data, compare, model, output, device, split, sample, batch_size,
                          quantize.value if quantize else None)
        return
    result = evaluate_paths(data, model, device.value, batch_size, split, sample,
                            quantize=quantize.value if quantize else None)
    with atomic_writer(output or "-") as handle:
        handle.write(json.dumps(result.metrics, indent=1) + "\n")
    logger.info("score %.4f on %d rows", result.metrics["score"], result.metrics["n_rows"])


def _evaluate_compare(data: list[str], dirs: tuple[str, str], model: str | None,
                      output: str | None, device: Device, split: str, sample: int,
                      batch_size: int, quantize: str | None = None) -> None:
    """`evaluate --compare OLD NEW`: the table on stdout; JSON to --output ('-' = JSON only)."""
    from stance.io import atomic_writer, dumps
    from stance.train.compare import compare_models

    if model is not None:
        raise InputError("give either --model or --compare OLD NEW, not both")
    result = compare_models(data, dirs[0], dirs[1], device=device.value, batch_size=batch_size,
                            split=split, sample=sample, quantize=quantize)
    if output != "-":
        typer.echo(result.to_table())
    if output:
        with atomic_writer(output) as handle:
            handle.write(dumps(result.to_dict()) + "\n")


class SampleStrategy(StrEnum):
    uncertainty = "uncertainty"
    disagreement = "disagreement"
    random = "random"


class HeadAggregate(StrEnum):
    mean = "mean"
    max = "max"


class ImportFormat(StrEnum):
    auto = "auto"
    labelstudio = "labelstudio"
    csv = "csv"


@app.command()
@_skips_exit
def sample(
    labels: Annotated[str, typer.Argument(help="Label records from 'stance label' ('-' = stdin).")],
    output: Annotated[str, typer.Option(
        "--output", "-o", help="NAME(.json): writes NAME.json (Label Studio tasks), NAME.csv "
                               "and NAME.label_config.xml.")],
    strategy: Annotated[SampleStrategy, typer.Option()] = SampleStrategy.uncertainty,
    n: Annotated[int, typer.Option("--n", "-n", min=1, help="How many comments.")] = 200,
    heads: Annotated[str | None, typer.Option(
        help="Comma-separated heads to score (default: all).")] = None,
    aggregate: Annotated[HeadAggregate, typer.Option(
        help="Combine heads' uncertainty by mean or max.")] = HeadAggregate.mean,
    seed: Annotated[int, typer.Option(help="Seed of the random strategy.")] = 0,
    model: Annotated[str | None, typer.Option(
        help="Model directory whose binary-head thresholds to use (default 0.5).")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        help="Annotated JSONL from 'stance import' whose comments to skip (repeatable).")] = None,
) -> None:
    """Pick comments worth annotating; write them for Label Studio and as a CSV."""
    from stance.annotate import SampleOptions, read_exclude, thresholds_from_model, write_sample
    from stance.model.tasks import TASK_NAMES

    head_names = tuple(h.strip() for h in (heads or "").split(",") if h.strip())
    options = SampleOptions(strategy=strategy.value, n=n, heads=head_names or TASK_NAMES,
                            aggregate=aggregate.value, seed=seed,
                            thresholds=thresholds_from_model(model) if model else {},
                            exclude=read_exclude(exclude or []))
    result, files = write_sample(labels, output, options)
    typer.echo(f"sampled {len(result.items)} of {result.eligible} eligible comment(s) "
               f"({result.seen} read, strategy {result.strategy}); wrote {files.tasks}, "
               f"{files.csv} and {files.config}", err=True)


@app.command("import")
@_skips_exit
def import_(
    inputs: Annotated[list[str], typer.Argument(
        help="Label Studio JSON export(s) or annotated CSV(s) ('-' = stdin).")],
    output: OutputOpt = "-",
    format: Annotated[ImportFormat, typer.Option("--format", "-f")] = ImportFormat.auto,
    report_json: Annotated[str | None, typer.Option(
        "--report", help="Also write what was kept and dropped as JSON.")] = None,
) -> None:
    """Read annotations back (Label Studio export or the CSV) as training JSONL."""
    from stance.annotate import import_annotations
    from stance.io import atomic_writer, dumps

    count, summary = import_annotations(inputs, output, format.value)
    typer.echo(summary.summary(count), err=True)
    if report_json:
        with atomic_writer(report_json) as handle:
            handle.write(dumps(summary.to_dict(count)) + "\n")


def main() -> None:
    """Console entry point: errors become one sentence on stderr and an exit code.

    typer/click handle usage errors themselves (exit 2); everything raised by our code ends here.
    """
    try:
        app(prog_name="stance")
    except StanceError as exc:
        _fail(exc, exc.exit_code)
    except KeyboardInterrupt:
        print("stance: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except MemoryError as exc:
        _fail(exc, 1, "ran out of memory")
    except OSError as exc:
        _fail(exc, 1, f"{exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}")
    except Exception as exc:  # noqa: BLE001 - last line of defence: one sentence, not a traceback
        _fail(exc, 1, f"unexpected error ({type(exc).__name__}: {exc}); rerun with --debug")


def _fail(exc: BaseException, code: int, message: str | None = None) -> NoReturn:
    if _state["debug"]:
        import traceback

        traceback.print_exception(exc)
    print(f"stance: {message or exc}", file=sys.stderr)
    sys.exit(code)


__all__ = ["app", "main", "InputError"]
if __name__ == "__main__":
    main()
