"""Run `r2r_client.testing.FakeR2RServer` in a process of its own for the benchmarks.

`python benchmarks/_server.py --deltas N --pause S` prints the server's base URL on one line,
then serves until its standard input is closed, so its CPU never mixes with the client's.
"""

from __future__ import annotations

import argparse
import sys

from r2r_client.testing import FakeR2RServer


def _disable_nagle() -> None:
    """Make the fake server answer without a 40 ms delayed-ACK stall per request.

    http.server writes a response's headers and its body in two writes; without TCP_NODELAY
    the second waits for the client's (delayed) ACK of the first, so every call would take
    about 40 ms whichever client makes it. Remove once the fake server sets it itself.
    """
    from r2r_client.testing import _server

    handler = getattr(_server, "_Handler", None)
    if handler is not None and not getattr(handler, "disable_nagle_algorithm", True):
        handler.disable_nagle_algorithm = True


def _deep_backlog() -> None:
    """Let hundreds of connections arrive at once: the standard library listens with a
    backlog of 5, so a burst of connects overflows it and the kernel drops SYNs, which the
    client retries 1 s later (every client alike). Remove once the fake server sets it itself."""
    from r2r_client.testing import _server

    server_class = getattr(_server, "_HTTPServer", None)
    if server_class is not None and server_class.request_queue_size < 1024:
        server_class.request_queue_size = 1024


def main(argv: list[str] | None = None) -> int:
    """Start the server, print its URL, serve until stdin reaches EOF."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deltas", type=int, default=None, help="message deltas per stream")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds after the 1st event")
    args = parser.parse_args(argv)
    _disable_nagle()
    _deep_backlog()
    server = FakeR2RServer(
        stream_deltas=args.deltas, stream_pause=args.pause, keepalive_timeout=120.0
    )
    with server:
        print(server.base_url, flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
