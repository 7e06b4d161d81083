"""Test helpers: a fake R2R server speaking the real wire format, with faults on demand.

    from r2r_client import R2RClient
    from r2r_client.testing import FakeR2RServer

    with FakeR2RServer() as server, R2RClient(server.base_url) as client:
        server.fail_next("status_503")          # the next request gets a 503, the retry succeeds
        client.retrieval.rag(query="Who invented the Zorblax protocol?")

Endpoints: PUT /v3/documents/{id}/metadata, POST /v3/retrieval/completion,
POST /v3/retrieval/rag (JSON or Server-Sent Events), GET /v3/documents/{id}, GET /v3/health.
Bodies are validated against the OpenAPI document with jsonschema (`pip install
r2r-client[testing]`), which is imported only when a server starts.

Faults (`server.fail_next(kind, count=1, path=None, **params)`, or per request with the header
`X-Fake-R2R-Fault: kind; param=value`):

- `status_503` (retry_after=None): 503 `{"detail": "Service Unavailable"}`.
- `rate_limit_429` (seconds=1): 429 `{"detail": ...}` with `Retry-After: seconds`.
- `drop_mid_stream` (after_events=3): a stream is cut (socket shut down, no terminating chunk)
  after that many events; any other request has its connection closed before an answer.
- `html_502`: a proxy's HTML 502 page.
- `truncated_json` (framing="exact"): a JSON answer cut in half. "exact": Content-Length matches
  the cut body, so HTTP is well framed and only the JSON is broken; "close": Content-Length
  announces the whole body, then the connection is closed (a transport error).
- `slow_headers` (seconds=1.0): sleep before answering at all.
- `silent_end_after_search`: a stream ends cleanly (terminating chunk) after `search_results`.

Users and rate limits: out of the box every request is the default admin's (a superuser: no
limits, every document). `FakeR2RServer(users=[FakeUser("key-a", limits=Limits(route_per_min=2))])`
or `server.add_user(...)` add users known by their API keys, who see their own documents and
those shared with them (`server.share_document(id, user)`), may change only their own (another
user's document is R2R's 404), and are rate limited exactly as R2R 3.6.6 does it: the same
three limits, counted the same way, refused with the same 429 bodies. `server.clock.advance(60)`
frees a per-minute window without sleeping.

Stream options (constructor arguments or attributes, and options of `python -m
r2r_client.testing`): `stream_deltas=N` makes every streamed answer exactly N message deltas
(written in 64 KiB batches unless paced); `first_event_delay=S` waits S seconds before the first
event, `stream_pause=S` after it, and `event_interval=S` between every two later events.

Modules: `_app` (request -> reply, the R2R rules), `_transport` (sockets and threads), `_render`
(replies and faults as bytes), `_faults`, `_corpus` (documents and retrieval), `_wire` (the
real server's bodies), `_validation` (422s from the OpenAPI document), `_tenants` (users,
ownership, rate limits, the clock).
"""

from ._faults import FAULT_PARAMS, Fault, FaultKind
from ._messages import RecordedRequest
from ._server import FakeR2RServer
from ._tenants import FakeClock, FakeUser, Limits, RouteLimits
from ._wire import ANSWER_PREFIX

__all__ = [
    "ANSWER_PREFIX",
    "FAULT_PARAMS",
    "FakeClock",
    "FakeR2RServer",
    "FakeUser",
    "Fault",
    "FaultKind",
    "Limits",
    "RecordedRequest",
    "RouteLimits",
]
