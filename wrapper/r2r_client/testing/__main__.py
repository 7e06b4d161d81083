"""`python -m r2r_client.testing`: a fake R2R server in the foreground, for demos and manual tests.

    python -m r2r_client.testing --port 7272 --api-key sk-test --stream-deltas 200 \
        --first-event-delay 0.5 --event-interval 0.05

    # a regular user who gets R2R's 429 on the 3rd request to a route within a minute
    python -m r2r_client.testing --user key-a --route-per-min 1
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from ._server import FakeR2RServer
from ._tenants import Limits
from ._wire import MODEL


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0 seconds, got {text}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {text}")
    return value


def _limit(text: str) -> int | None:
    if text.lower() == "none":
        return None
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0 or 'none', got {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m r2r_client.testing",
        description="Run a fake R2R v3 server until Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default): a free port")
    parser.add_argument(
        "--api-key", default=None, help="require this key (Bearer or X-API-Key), or a --user key"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    stream = parser.add_argument_group("streamed answers")
    stream.add_argument(
        "--stream-deltas", type=_count, default=None, metavar="N",
        help="make every streamed answer exactly N message deltas",
    )  # fmt: skip
    stream.add_argument(
        "--first-event-delay", type=_seconds, default=0.0, metavar="S",
        help="wait S seconds before the first event",
    )  # fmt: skip
    stream.add_argument(
        "--stream-pause", type=_seconds, default=0.0, metavar="S",
        help="wait S seconds after the first event (search results)",
    )  # fmt: skip
    stream.add_argument(
        "--event-interval", type=_seconds, default=0.0, metavar="S",
        help="wait S seconds between every two later events",
    )  # fmt: skip
    tenants = parser.add_argument_group(
        "users and rate limits",
        "Requests with --api-key's key (or, without --api-key, with no user's key) are the "
        "default admin's, never limited. Limits apply to --user keys; R2R's defaults: 60 "
        "requests a minute in all, 20 a minute and 10000 a month per route; a count above its "
        "limit is refused with R2R's 429.",
    )
    tenants.add_argument(
        "--user", action="append", default=[], metavar="KEY",
        help="add a regular user with this API key (repeatable)",
    )  # fmt: skip
    defaults = Limits()
    for name in ("global_per_min", "route_per_min", "monthly_limit"):
        tenants.add_argument(
            f"--{name.replace('_', '-')}", type=_limit, default=getattr(defaults, name),
            metavar="N", help=f"users' {name} (default {getattr(defaults, name)}; 'none': off)",
        )  # fmt: skip
    parser.add_argument(
        "--no-default-model", action="store_true",
        help="answer a completion without generation_config.model with R2R's 500, as a stock "
        "R2R 3.6.6 does",
    )  # fmt: skip
    args = parser.parse_args(argv)
    limits = Limits(
        global_per_min=args.global_per_min,
        route_per_min=args.route_per_min,
        monthly_limit=args.monthly_limit,
    )
    server = FakeR2RServer(
        args.host,
        args.port,
        api_key=args.api_key,
        verbose=args.verbose,
        stream_deltas=args.stream_deltas,
        first_event_delay=args.first_event_delay,
        stream_pause=args.stream_pause,
        event_interval=args.event_interval,
        default_limits=limits,
        default_model=None if args.no_default_model else MODEL,
    )
    for number, key in enumerate(args.user, start=1):
        try:
            server.add_user(key, name=f"user {number}")
        except ValueError as exc:
            parser.error(f"--user (the {number}. one): {exc}")
    with server:
        print(f"Fake R2R server at {server.base_url}", flush=True)
        for doc_id, doc in server.documents.items():
            print(f"  document {doc_id}  {doc['title']}", flush=True)
        for user in server.users:
            print(f"  {user.name} (id {user.id}): {limits}", flush=True)
        print(f"Try: R2R_API_BASE={server.base_url} python examples/quickstart.py", flush=True)
        print("Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
