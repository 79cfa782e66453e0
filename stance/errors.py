"""Exceptions that the CLI turns into one clear sentence and an exit code."""

from __future__ import annotations

#: Exit code of a command that finished and wrote its output, but skipped bad input records
#: (each one named in a warning on stderr). 0 = success (repairs are warnings only), 1 = failure
#: while working, 2 = bad usage or unreadable input.
SKIPPED_EXIT_CODE = 3


class StanceError(Exception):
    """A failure while working (exit code 1)."""

    exit_code = 1


class InputError(StanceError):
    """Bad usage or unreadable input (exit code 2).

    The message names the file and, where known, the line, and says what is wrong.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}, line {line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line
