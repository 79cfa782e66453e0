"""Exceptions that the CLI turns into one clear sentence and an exit code."""

from __future__ import annotations


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
