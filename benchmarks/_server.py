"""Run `r2r_client.testing.FakeR2RServer` in a process of its own for the benchmarks.

`python benchmarks/_server.py --deltas N --pause S` prints the server's base URL on one line,
then serves until its standard input is closed, so its CPU never mixes with the client's.
"""

from __future__ import annotations

import argparse
import sys

from r2r_client.testing import FakeR2RServer


def main(argv: list[str] | None = None) -> int:
    """Start the server, print its URL, serve until stdin reaches EOF."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deltas", type=int, default=None, help="message deltas per stream")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds after the 1st event")
    args = parser.parse_args(argv)
    server = FakeR2RServer(
        stream_deltas=args.deltas, stream_pause=args.pause, keepalive_timeout=120.0
    )
    with server:
        print(server.base_url, flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
