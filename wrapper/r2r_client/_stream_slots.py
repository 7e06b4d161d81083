"""How many streams a client has open, to decide what becomes of a finished stream's connection."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self


class StreamSlots:
    """Counts a client's open streams, to choose at `done` what becomes of the connection.

    A finished stream's connection goes back to the pool (the rest of the body is read) while
    at most `keep` streams are open, `keep` being the number of idle connections the pool
    keeps. Past that, the pool would soon hold more idle connections than it keeps, and
    httpcore's bookkeeping walks every connection for each idle one each time a connection is
    released (encode/httpcore#1035), so the stream closes its connection instead.

    A stream counts from its request (`with slots:` around sending it, which leaves again
    only if sending fails) until its response is closed.
    """

    __slots__ = ("_lock", "keep", "open")

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.open = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.open += 1

    def leave(self) -> None:
        with self._lock:
            self.open -= 1

    def reuse_connection(self) -> bool:
        return self.open <= self.keep

    def __enter__(self) -> Self:
        self.enter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:  # no stream came of it
            self.leave()
