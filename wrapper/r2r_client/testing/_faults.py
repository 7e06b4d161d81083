"""Faults the fake server injects on demand: what proxies, overloaded servers and networks do."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, Literal, Self, get_args

__all__ = ["FAULT_PARAMS", "Fault", "FaultKind", "parse_fault_header"]

FaultKind = Literal[
    "status_503",
    "rate_limit_429",
    "drop_mid_stream",
    "html_502",
    "truncated_json",
    "slow_headers",
    "silent_end_after_search",
]

# Each kind's parameters and their defaults.
FAULT_PARAMS: dict[str, dict[str, Any]] = {
    "status_503": {"retry_after": None},
    "rate_limit_429": {"seconds": 1},
    "drop_mid_stream": {"after_events": 3},
    "html_502": {},
    "truncated_json": {"framing": "exact"},
    "slow_headers": {"seconds": 1.0},
    "silent_end_after_search": {},
}
# Faults that only make sense for a streamed answer (a JSON answer does not consume them).
STREAM_ONLY = frozenset({"silent_end_after_search"})
# Faults that only make sense for a JSON answer (a stream does not consume them).
JSON_ONLY = frozenset({"truncated_json"})


class Fault:
    """A fault armed for the next `count` matching requests (None: until disarmed).

    Also a context manager: leaving the `with` block disarms it, whatever is left.
    """

    def __init__(
        self, kind: str, count: int | None, params: dict[str, Any], path: str | None
    ) -> None:
        if kind not in FAULT_PARAMS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(get_args(FaultKind))}")
        unknown = set(params) - set(FAULT_PARAMS[kind])
        if unknown:
            raise TypeError(f"fault {kind!r} takes no parameter(s) {sorted(unknown)}")
        if count is not None and count < 1:
            raise ValueError("count must be >= 1 (or None for 'until removed')")
        if kind == "truncated_json" and params.get("framing", "exact") not in ("exact", "close"):
            raise ValueError("truncated_json framing must be 'exact' or 'close'")
        self.kind = kind
        self.remaining = count
        self.params = {**FAULT_PARAMS[kind], **params}
        self.path = path
        self.hits = 0
        self._lock = threading.Lock()

    def applies(self, path: str, streaming: bool) -> bool:
        """Whether this fault hits a request to `path` (a stream or not)."""
        if self.path is not None and self.path not in path:
            return False
        if self.kind in STREAM_ONLY and not streaming:
            return False
        return not (self.kind in JSON_ONLY and streaming)

    def take(self) -> bool:
        """Use up one occurrence; False when none is left."""
        with self._lock:
            if self.remaining is not None:
                if self.remaining <= 0:
                    return False
                self.remaining -= 1
            self.hits += 1
            return True

    @property
    def exhausted(self) -> bool:
        """Whether the fault has been used as many times as it was asked for."""
        return self.remaining is not None and self.remaining <= 0

    def disarm(self) -> None:
        """Let no further request take this fault (the server forgets it on its next look)."""
        with self._lock:
            self.remaining = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.disarm()

    def __repr__(self) -> str:
        return f"Fault({self.kind!r}, remaining={self.remaining}, params={self.params})"


def parse_fault_header(value: str) -> Fault:
    """`X-Fake-R2R-Fault: rate_limit_429; seconds=0` applies a fault to that one request."""
    kind, *pairs = (part.strip() for part in value.split(";"))
    params: dict[str, Any] = {}
    for pair in pairs:
        if not pair:
            continue
        name, _, raw = pair.partition("=")
        text = raw.strip()
        parsed: Any
        try:
            parsed = float(text) if "." in text else int(text)
        except ValueError:
            parsed = text
        params[name.strip()] = parsed
    return Fault(kind, 1, params, None)
