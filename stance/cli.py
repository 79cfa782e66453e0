"""The command line: one typer app, each command a few lines around a library call.

Heavy libraries (torch, transformers) are imported inside command bodies so `stance --help`
stays instant.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from stance.errors import InputError, StanceError

app = typer.Typer(
    name="stance",
    help="Parse scraped comment threads and classify what the commenters think.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_state = {"debug": False}
logger = logging.getLogger("stance")


class Device(StrEnum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


class ReportFormat(StrEnum):
    html = "html"
    md = "md"
    json = "json"


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


@app.command()
def parse(
    inputs: Inputs,
    format: Annotated[str, typer.Option("--format", "-f",
                                        help="Input format, or 'auto' to detect it.")] = "auto",
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
def label(
    inputs: Inputs,
    output: OutputOpt = "-",
    target: Annotated[str | None, typer.Option(help="Target for every thread.")] = None,
    model: Annotated[str | None, typer.Option(help="Model directory.")] = None,
    device: Annotated[Device, typer.Option(help="auto = CUDA when present.")] = Device.auto,
    batch_size: Annotated[int, typer.Option(min=1)] = 64,
    resume: Annotated[bool, typer.Option(help="Continue an interrupted run.")] = False,
) -> None:
    """Label every comment: stance, agreement, sentiment, media-bias and conspiracy claims."""
    _not_built("label")


@app.command()
def report(
    labels: Annotated[list[str], typer.Argument(help="Label JSONL files.")],
    output: OutputOpt = "-",
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.html,
) -> None:
    """Aggregate label records into a report."""
    _not_built("report")


@app.command()
def train(
    data: Annotated[list[str], typer.Argument(help="Annotated JSONL/CSV files or dataset dirs.")],
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("runs/model"),
    base: Annotated[str | None, typer.Option(help="Base encoder or saved model.")] = None,
    epochs: Annotated[float, typer.Option(min=0.01)] = 3.0,
    device: Annotated[Device, typer.Option()] = Device.auto,
) -> None:
    """Fine-tune the multi-task model on annotated data."""
    _not_built("train")


@app.command()
def evaluate(
    data: Annotated[list[str], typer.Argument(help="Annotated JSONL/CSV files or dataset dirs.")],
    model: Annotated[str | None, typer.Option(help="Model directory.")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Score a model on annotated data, per head."""
    _not_built("evaluate")


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
