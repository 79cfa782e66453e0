"""JSON for any nesting depth: the standard parser first, an explicit-stack parser when the
standard one runs out of recursion (a 100,000-deep reply chain is valid JSON)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?'
                    r"|true|false|null|[{}\[\]:,]|\S")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_LITERALS_START = frozenset("tfn")


class DeepJSONError(ValueError):
    """Malformed JSON; `pos` is the character offset where it went wrong."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.pos = pos


def loads(text: str) -> Any:
    """Parse JSON; falls back to the iterative parser on RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:
        logger.info("JSON nested too deeply for the standard parser; using the iterative one")
        return loads_iterative(text)


def _scalar(token: str, pos: int) -> Any:
    first = token[0]
    if first == '"':
        return token[1:-1] if "\\" not in token else json.loads(token)
    if token in _LITERALS:
        return _LITERALS[token]
    if first == "-" or first.isdigit():
        return float(token) if any(c in token for c in ".eE") else int(token)
    raise DeepJSONError(f"unexpected character {token!r}", pos)


def loads_iterative(text: str) -> Any:
    """A JSON parser that keeps its own stack (no recursion at any depth)."""
    stack: list[list[Any]] = []  # [container, pending key, expecting] per open container
    top: list[Any] | None = None
    root: Any = None
    have_root = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "{" or first == "[":
            value: Any = {} if first == "{" else []
            if top is not None:
                _place(top, value, match)
            elif have_root:
                raise DeepJSONError("extra data after the JSON value", match.start())
            else:
                root, have_root = value, True
            top = [value, None, "key" if first == "{" else "value"]
            stack.append(top)
        elif first == "}" or first == "]":
            _close(stack, first, match.start())
            top = stack[-1] if stack else None
        elif first == ":" or first == ",":
            _separator(stack, first, match.start())
        else:
            scalar = _scalar(token, match.start())
            if top is None:
                if have_root:
                    raise DeepJSONError("extra data after the JSON value", match.start())
                root, have_root = scalar, True
            elif top[2] == "key":
                if not isinstance(scalar, str):
                    raise DeepJSONError("object key is not a string", match.start())
                top[1] = scalar
                top[2] = "colon"
            else:
                _place(top, scalar, match)
    if stack or not have_root:
        raise DeepJSONError("unexpected end of the JSON text", len(text))
    return root


def _place(top: list[Any], value: Any, match: re.Match[str]) -> None:
    if top[2] != "value":
        raise DeepJSONError("a value where a key, ':' or ',' was expected", match.start())
    if top[1] is None and isinstance(top[0], list):
        top[0].append(value)
    else:
        top[0][top[1]] = value
    top[2] = "comma"


def _close(stack: list[list[Any]], punct: str, pos: int) -> None:
    if not stack or isinstance(stack[-1][0], dict) != (punct == "}"):
        raise DeepJSONError(f"unexpected {punct!r}", pos)
    container, _, expecting = stack[-1]
    if isinstance(container, dict):
        bad = expecting in ("colon", "value") or (expecting == "key" and bool(container))
    else:
        bad = expecting == "value" and bool(container)
    if bad:
        raise DeepJSONError(f"unexpected {punct!r}", pos)
    stack.pop()


def _separator(stack: list[list[Any]], punct: str, pos: int) -> None:
    if not stack:
        raise DeepJSONError(f"unexpected {punct!r}", pos)
    expecting = stack[-1][2]
    if punct == ":" and expecting == "colon":
        stack[-1][2] = "value"
    elif punct == "," and expecting == "comma":
        stack[-1][2] = "key" if isinstance(stack[-1][0], dict) else "value"
    else:
        raise DeepJSONError(f"unexpected {punct!r}", pos)
