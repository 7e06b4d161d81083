"""`python -m r2r_client.testing [--port N] [--api-key KEY]`: a fake server in the foreground."""

from __future__ import annotations

import argparse
import contextlib
import threading

from ._server import FakeR2RServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m r2r_client.testing", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default): a free port")
    parser.add_argument("--api-key", default=None, help="require this key (Bearer or X-API-Key)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    server = FakeR2RServer(args.host, args.port, api_key=args.api_key, verbose=args.verbose)
    with server:
        print(f"Fake R2R server at {server.base_url}", flush=True)
        for doc_id, doc in server.documents.items():
            print(f"  document {doc_id}  {doc['title']}", flush=True)
        print(f"Try: R2R_API_BASE={server.base_url} python examples/quickstart.py", flush=True)
        print("Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
