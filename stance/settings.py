"""Shared check for the frozen options objects' `from_dict` (training, inference, Ray)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from stance.errors import InputError


def checked_settings(cls: type, data: dict[str, Any], what: str) -> dict[str, Any]:
    """`data` as keyword arguments for dataclass `cls`; unknown keys are a one-sentence error."""
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"unknown {what} setting(s): {', '.join(unknown)}")
    return dict(data)
