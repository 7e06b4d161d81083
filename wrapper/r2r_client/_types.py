"""Small types shared by the clients and their generated methods."""

from __future__ import annotations

from typing import Any, Literal

import httpx

__all__ = ["NOT_GIVEN", "NotGiven", "TimeoutTypes", "Validation"]


class NotGiven:
    """Marks an option the caller did not pass (None can be a meaningful value)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = NotGiven()

TimeoutTypes = float | httpx.Timeout | None
"""A timeout: seconds, an `httpx.Timeout`, or None to wait forever."""

Validation = Literal["strict", "warn", "off"]
"""What the pre-send checks do with a body the API does not accept (a value, a missing model...).

"strict" (the default) raises InvalidRequestError before anything is sent; "warn" sends it with a
RequestValidationWarning, and "off" sends it unchecked: for a server that differs from R2R 3.6.6
(say, one configured with a default completion model, or one that learned a new value). Values
JSON cannot carry are refused whatever the setting.
"""
