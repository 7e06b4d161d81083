"""The fake server against the recorded bytes of the real one (tests/fixtures/*.http)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fixture_http import Capture

from r2r_client.testing import ANSWER_PREFIX, FakeR2RServer

QUESTION = "Who invented the Zorblax protocol?"
API_KEY = "sk-test-key"


def fixture(name: str) -> tuple[int, dict[str, str], bytes]:
    capture = Capture(name)
    return capture.status, capture.headers, capture.body


def fixture_json(name: str) -> Any:
    return json.loads(fixture(name)[2])


def shape(value: Any) -> Any:
    """Keys (recursively, first list item only) without values: what must match the real server."""
    if isinstance(value, dict):
        if "chunk_order" in value:  # a chunk's metadata: free-form, the document's own keys
            return "chunk-metadata"
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value and isinstance(value[0], (dict, list)) else []
    return None


def parse_sse(body: bytes) -> list[tuple[str, str]]:
    events = []
    for block in body.decode().split("\n\n"):
        if block.strip():
            lines = dict(line.split(": ", 1) for line in block.split("\n"))
            events.append((lines["event"], lines["data"]))
    return events


@pytest.fixture(scope="module")
def server() -> Iterator[FakeR2RServer]:
    with FakeR2RServer() as srv:
        yield srv


@pytest.fixture
def http(server: FakeR2RServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=5.0) as client:
        yield client


def rag_body(**extra: Any) -> dict[str, Any]:
    return {"query": QUESTION, **extra}


# -- success shapes ------------------------------------------------------------------------


def test_completion_has_the_real_shape(http: httpx.Client) -> None:
    r = http.post(
        "/v3/retrieval/completion",
        json={"messages": [{"role": "user", "content": "Say hello"}]},
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert int(r.headers["content-length"]) == len(r.content)
    assert shape(r.json()) == shape(fixture_json("04-completion.http"))
    content = r.json()["results"]["choices"][0]["message"]["content"]
    assert content == f"{ANSWER_PREFIX}. You asked: Say hello"


def test_rag_json_has_the_real_shape(http: httpx.Client) -> None:
    r = http.post("/v3/retrieval/rag", json=rag_body())
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    got, want = r.json(), fixture_json("06-rag.http")
    assert shape(got) == shape(want)
    results = got["results"]
    assert results["generated_answer"] == results["completion"]
    for citation in results["citations"]:
        assert f"[{citation['id']}]" in results["generated_answer"]
        assert citation["payload"]["id"].replace("-", "").startswith(citation["id"])
    assert "Quenella Marsh" in results["search_results"]["chunk_search_results"][0]["text"]


def test_rag_honours_limit_and_document_filter(server: FakeR2RServer, http: httpx.Client) -> None:
    zorblax, harwick = server.document_ids[:2]
    query = "Harwick Institute Zorblax"
    hits = http.post("/v3/retrieval/rag", json={"query": query}).json()["results"]
    docs = {h["document_id"] for h in hits["search_results"]["chunk_search_results"]}
    assert docs == {zorblax, harwick}
    settings = {"limit": 1, "filters": {"document_id": {"$eq": harwick}}}
    hits = http.post("/v3/retrieval/rag", json={"query": query, "search_settings": settings})
    chunks = hits.json()["results"]["search_results"]["chunk_search_results"]
    assert [c["document_id"] for c in chunks] == [harwick]


def test_put_metadata_merges_in_order_and_answers_the_document(
    server: FakeR2RServer, http: httpx.Client
) -> None:
    doc_id = server.add_document("notes.txt", "Some notes about nothing.", {"old": True})
    before = server.documents[doc_id]["updated_at"]
    time.sleep(0.001)
    r = http.put(f"/v3/documents/{doc_id}/metadata", json=[{"a": 1, "b": 1}, {"b": 2}])
    assert r.status_code == 200
    assert shape(r.json()) == shape(fixture_json("02-put-metadata.http")) | {
        "results": shape(r.json()["results"])
    }
    assert set(r.json()["results"]) == set(fixture_json("02-put-metadata.http")["results"])
    assert r.json()["results"]["metadata"] == {"a": 1, "b": 2}
    assert r.json()["results"]["updated_at"] > before
    assert http.put(f"/v3/documents/{doc_id}/metadata", json=[]).json()["results"]["metadata"] == {}


# -- streaming -----------------------------------------------------------------------------


def raw_request(server: FakeR2RServer, body: dict[str, Any]) -> bytes:
    """POST over a bare socket and return every byte of the answer, chunk framing included."""
    payload = json.dumps(body).encode()
    request = (
        b"POST /v3/retrieval/rag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Connection: close\r\nContent-Length: %d\r\n\r\n%b" % (len(payload), payload)
    )
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(request)
        parts = []
        while chunk := sock.recv(65536):
            parts.append(chunk)
    return b"".join(parts)


def dechunk(raw: bytes) -> tuple[bytes, int]:
    """The body of a chunked message, and how many chunks carried it; asserts the framing."""
    body, count = b"", 0
    while True:
        size_line, raw = raw.split(b"\r\n", 1)
        size = int(size_line, 16)
        if size == 0:
            assert raw == b"\r\n", "the terminating chunk must end the message"
            return body, count
        body, raw, count = body + raw[:size], raw[size + 2 :], count + 1


def test_stream_has_the_real_wire_format(server: FakeR2RServer) -> None:
    raw = raw_request(server, rag_body(rag_generation_config={"stream": True}))
    head, chunked = raw.split(b"\r\n\r\n", 1)
    headers = {
        k.lower(): v.strip() for k, v in (h.split(":", 1) for h in head.decode().split("\r\n")[1:])
    }
    assert head.startswith(b"HTTP/1.1 200 ")
    assert headers["content-type"] == fixture("07-rag-stream.http")[1]["content-type"]
    assert headers["transfer-encoding"] == "chunked"
    assert "content-length" not in headers
    body, chunks = dechunk(chunked)
    events = parse_sse(body)
    assert chunks == len(events), "each event is flushed as its own chunk"

    real = parse_sse(fixture("07-rag-stream.http")[2])
    names = [name for name, _ in events]
    assert names[0] == "search_results"
    assert names[-2:] == ["final_answer", "done"]
    assert set(names[1:-2]) == {"message", "citation"}
    assert events[-1][1] == "[DONE]"
    real_by_name = {name: json.loads(data) for name, data in real[:-1]}
    text = ""
    for name, data in events[:-1]:
        payload = json.loads(data)
        if name == "citation" and not payload["is_new"]:
            continue
        assert shape(payload).keys() == shape(real_by_name[name]).keys(), name
        if name == "message":
            assert payload["id"].startswith("msg_")
            assert len(payload["id"]) == 12
            text += payload["delta"]["content"][0]["payload"]["value"]
        if name == "citation":  # right after the delta that completed its marker
            start, end = payload["span"]["start"], payload["span"]["end"]
            assert text[start:end] == f"[{payload['id']}]"
            assert len(text) == end or text[end:].strip() in (".", "")
            assert payload["payload"]["text"]
    final = json.loads(events[-2][1])
    assert final["generated_answer"] == text
    for citation in final["citations"]:
        for span in citation["spans"]:
            assert text[span["start"] : span["end"]] == f"[{citation['id']}]"


def test_stream_deltas_writes_long_answers_in_batches() -> None:
    with FakeR2RServer(stream_deltas=20_000) as server:
        raw = raw_request(server, rag_body(rag_generation_config={"stream": True}))
    body, chunks = dechunk(raw.split(b"\r\n\r\n", 1)[1])
    names = [name for name, _ in parse_sse(body)]
    assert names.count("message") == 20_000
    assert names[-2:] == ["final_answer", "done"]
    assert chunks < 200, "long streams are written in large batches"


def _timed_stream(server: FakeR2RServer) -> tuple[float, float, list[str], int]:
    """Seconds from sending the request to its first byte of body and to its end, the event
    names, and how many chunks carried them."""
    payload = json.dumps(rag_body(rag_generation_config={"stream": True})).encode()
    request = (
        b"POST /v3/retrieval/rag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Connection: close\r\nContent-Length: %d\r\n\r\n%b" % (len(payload), payload)
    )
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        started = time.perf_counter()
        sock.sendall(request)
        raw, first_body_at = b"", None
        while chunk := sock.recv(65536):
            raw += chunk
            head_end = raw.find(b"\r\n\r\n")
            if first_body_at is None and 0 <= head_end < len(raw) - 4:
                first_body_at = time.perf_counter() - started
        ended = time.perf_counter() - started
    body, chunks = dechunk(raw.split(b"\r\n\r\n", 1)[1])
    assert first_body_at is not None
    return first_body_at, ended, [name for name, _ in parse_sse(body)], chunks


# Pauses are checked from below only, from before the request is sent: a slow machine makes
# them longer, never shorter.
def test_stream_pause_delays_everything_after_the_first_event() -> None:
    with FakeR2RServer(stream_pause=0.3) as server:
        _, ended, names, _ = _timed_stream(server)
    assert ended >= 0.3
    assert names[0] == "search_results"
    assert names[-1] == "done"


def test_first_event_delay_holds_the_first_event() -> None:
    with FakeR2RServer(first_event_delay=0.3) as server:
        first, _, names, _ = _timed_stream(server)
    assert first >= 0.3
    assert names[0] == "search_results"
    assert names[-1] == "done"


def test_event_interval_paces_every_later_event_as_its_own_chunk() -> None:
    with FakeR2RServer(event_interval=0.05, stream_deltas=6) as server:
        _, ended, names, chunks = _timed_stream(server)
    assert names.count("message") == 6
    assert chunks == len(names), "one chunk per event"
    assert ended >= 0.05 * (len(names) - 1)


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "path", "content"),
    [
        ("11-put-metadata-object-not-list.http", "PUT", "/v3/documents/{doc}/metadata", b'{"a":1}'),
        ("13-put-metadata-non-uuid.http", "PUT", "/v3/documents/not-a-uuid/metadata", b"[]"),
        ("15-completion-missing-messages.http", "POST", "/v3/retrieval/completion", b"{}"),
        ("17-rag-missing-query.http", "POST", "/v3/retrieval/rag", b"{}"),
        ("12-put-metadata-unknown-doc.http", "PUT",
         "/v3/documents/00000000-0000-4000-8000-000000000000/metadata", b"[]"),
    ],
)  # fmt: skip
def test_errors_are_byte_for_byte_the_real_ones(
    server: FakeR2RServer, http: httpx.Client, name: str, method: str, path: str, content: bytes
) -> None:
    status, headers, body = fixture(name)
    r = http.request(
        method,
        path.format(doc=server.document_ids[0]),
        content=content,
        headers={"content-type": "application/json"},
    )
    assert r.status_code == status
    assert r.headers["content-type"] == headers["content-type"]
    assert r.content == body


def test_malformed_json_is_json_invalid(server: FakeR2RServer, http: httpx.Client) -> None:
    real = fixture_json("10-put-metadata-malformed-json.http")["detail"][0]
    r = http.put(
        f"/v3/documents/{server.document_ids[0]}/metadata",
        content=b'[{"a": 1}, {bad}]',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert {k: v for k, v in item.items() if k != "loc"} == {
        k: v for k, v in real.items() if k != "loc"
    }
    assert item["loc"] == ["body", 12]


@pytest.mark.parametrize(
    ("path", "body", "loc", "type_"),
    [
        ("/v3/retrieval/rag", {"query": 42}, ["body", "query"], "string_type"),
        ("/v3/retrieval/rag", rag_body(search_settings={"limit": "ten"}),
         ["body", "search_settings", "limit"], "int_type"),
        ("/v3/retrieval/rag", rag_body(search_settings={"limit": 0}),
         ["body", "search_settings", "limit"], "greater_than_equal"),
        ("/v3/retrieval/rag", rag_body(search_mode="fast"), ["body", "search_mode"], "enum"),
        ("/v3/retrieval/rag", rag_body(rag_generation_config={"stream": "yes"}),
         ["body", "rag_generation_config", "stream"], "bool_type"),
        ("/v3/retrieval/rag", rag_body(search_settings=[]),
         ["body", "search_settings"], "dict_type"),
        ("/v3/retrieval/completion", {"messages": "hi"}, ["body", "messages"], "list_type"),
        ("/v3/retrieval/completion", {"messages": []}, ["body", "messages"], "too_short"),
        ("/v3/retrieval/completion", {"messages": [{"content": "x"}]},
         ["body", "messages", 0, "role"], "missing"),
        ("/v3/retrieval/completion",
         {"messages": [{"role": "user", "content": "x"}], "generation_config": {"model": 3}},
         ["body", "generation_config", "model"], "string_type"),
    ],
)  # fmt: skip
def test_validation_errors_look_like_pydantic(
    http: httpx.Client, path: str, body: Any, loc: list[Any], type_: str
) -> None:
    r = http.post(path, json=body)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert [(d["loc"], d["type"]) for d in detail] == [(loc, type_)]
    assert {"type", "loc", "msg", "input"} <= set(detail[0])


def test_empty_body_unknown_route_and_wrong_method(http: httpx.Client) -> None:
    r = http.post("/v3/retrieval/rag")  # as FastAPI reports it: the required field is missing
    assert r.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "query"], "msg": "Field required", "input": None}
        ]
    }
    assert http.get("/v3/nothing").json() == {"detail": "Not Found"}
    r = http.get("/v3/retrieval/rag")
    assert (r.status_code, r.json()) == (405, {"detail": "Method Not Allowed"})


# -- auth ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def auth_server() -> Iterator[FakeR2RServer]:
    with FakeR2RServer(api_key=API_KEY) as srv:
        yield srv


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({}, 401, "No credentials provided"),
        ({"Authorization": f"Bearer {API_KEY}x"}, 401, "Invalid token or API key"),
        ({"X-API-Key": "nope"}, 401, "Invalid token or API key"),
        ({"Authorization": API_KEY}, 401, "No credentials provided"),  # no Bearer prefix
        ({"Authorization": f"Bearer {API_KEY}", "X-API-Key": API_KEY}, 400,
         "Cannot have both Bearer token and API key"),
        ({"Authorization": f"Bearer {API_KEY}"}, 200, None),
        ({"X-API-Key": API_KEY}, 200, None),
    ],
)  # fmt: skip
def test_auth(
    auth_server: FakeR2RServer, headers: dict[str, str], status: int, message: str | None
) -> None:
    r = httpx.post(f"{auth_server.base_url}/v3/retrieval/rag", json=rag_body(), headers=headers)
    assert r.status_code == status
    if message is not None:
        assert r.json()["error_type"] == "R2RException"
        assert r.json()["message"].startswith(message)


def test_wrong_bearer_matches_fixture(auth_server: FakeR2RServer) -> None:
    status, _, body = fixture("18-rag-bad-bearer-on-noauth.http")
    r = httpx.post(
        f"{auth_server.base_url}/v3/retrieval/rag",
        json=rag_body(),
        headers={"Authorization": "Bearer not-a-real-token"},
    )
    assert (r.status_code, r.content) == (status, body)


def test_requests_are_recorded(server: FakeR2RServer, http: httpx.Client) -> None:
    server.reset()
    http.post("/v3/retrieval/rag", json=rag_body(), headers={"X-Trace": "t1"})
    (record,) = server.requests
    assert (record.method, record.path) == ("POST", "/v3/retrieval/rag")
    assert record.headers["x-trace"] == "t1"
    assert record.json == rag_body()


# -- faults on the wire ------------------------------------------------------------------------


def test_fault_shapes_on_the_wire(server: FakeR2RServer, http: httpx.Client) -> None:
    with server.fail_next("html_502", count=None):
        for _ in range(2):
            r = http.get("/v3/health")
            assert r.status_code == 502
            assert r.headers["content-type"] == "text/html"
    assert http.get("/v3/health").status_code == 200

    server.fail_next("truncated_json")
    r = http.post("/v3/retrieval/rag", json=rag_body())
    assert r.status_code == 200
    assert int(r.headers["content-length"]) == len(r.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.content)

    server.fail_next("rate_limit_429", seconds=7)
    r = http.get("/v3/health")
    assert (r.status_code, r.headers["retry-after"]) == (429, "7")
    assert isinstance(r.json()["detail"], str)

    r = http.get("/v3/health", headers={"X-Fake-R2R-Fault": "status_503; retry_after=2"})
    assert (r.status_code, r.headers["retry-after"]) == (503, "2")
    assert http.get("/v3/health").status_code == 200


def test_faults_are_consumed_only_by_requests_they_fit(server: FakeR2RServer) -> None:
    server.reset()
    fault = server.fail_next("silent_end_after_search", path="/v3/retrieval/rag")
    with httpx.Client(base_url=server.base_url) as http:
        assert (
            http.post("/v3/retrieval/rag", json=rag_body()).status_code == 200
        )  # JSON: unaffected
        assert fault.remaining == 1
        r = http.post("/v3/retrieval/rag", json=rag_body(rag_generation_config={"stream": True}))
    assert [name for name, _ in parse_sse(r.content)] == ["search_results"]
    assert fault.hits == 1
    with pytest.raises(ValueError, match="unknown fault"):
        server.fail_next("explode")
    with pytest.raises(TypeError):
        server.fail_next("html_502", seconds=1)


def test_stop_closes_idle_and_streaming_connections_promptly() -> None:
    before = set(threading.enumerate())
    server = FakeR2RServer(stream_pause=30.0).start()
    idle = httpx.Client(base_url=server.base_url)
    idle.get("/v3/health")
    streaming = httpx.Client(base_url=server.base_url)
    with streaming.stream(
        "POST", "/v3/retrieval/rag", json=rag_body(rag_generation_config={"stream": True})
    ) as r:
        chunks = r.iter_raw()
        next(chunks)
        assert server.open_connections == 2
        server.stop(timeout=30.0)
        with pytest.raises(httpx.HTTPError):
            b"".join(chunks)
    assert server.open_connections == 0
    assert set(threading.enumerate()) <= before, "every server thread has ended"
    idle.close()
    streaming.close()


def test_module_runs_a_server_in_the_foreground() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "r2r_client.testing"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/v3/health").json() == {"results": {"message": "ok"}}
    finally:
        proc.terminate()
        proc.wait(5)


def _listen_overflows() -> int:
    """The kernel's count of connections dropped because a listen queue was full."""
    with open("/proc/net/netstat") as f:
        lines = f.read().splitlines()
    for names, values in zip(lines[::2], lines[1::2], strict=True):
        if names.startswith("TcpExt:"):
            return int(values.split()[names.split().index("ListenOverflows")])
    raise AssertionError("no TcpExt line in /proc/net/netstat")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's TCP counters")
def test_500_clients_connecting_at_once_are_all_queued_and_answered() -> None:
    request = b"GET /v3/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    with FakeR2RServer() as server:
        before = _listen_overflows()
        sockets = []
        try:
            for _ in range(500):  # all connect before the server can accept many of them
                sock = socket.socket()
                sock.setblocking(False)
                sock.connect_ex((server.host, server.port))
                sockets.append(sock)
            answers = []
            for sock in sockets:
                sock.settimeout(30)
                sock.sendall(request)
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
                answers.append(answer)
        finally:
            for sock in sockets:
                sock.close()
        overflows = _listen_overflows() - before
    assert overflows == 0, f"{overflows} connections overflowed the listen queue"
    assert all(answer.startswith(b"HTTP/1.1 200 ") for answer in answers)


def test_module_options_shape_the_stream() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "r2r_client.testing", "--stream-deltas", "5",
         "--first-event-delay", "0", "--event-interval", "0.01"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
        body = rag_body(rag_generation_config={"stream": True})
        r = httpx.post(f"{url}/v3/retrieval/rag", json=body, timeout=10)
        assert [name for name, _ in parse_sse(r.content)].count("message") == 5
    finally:
        proc.terminate()
        proc.wait(5)
    bad = subprocess.run(
        [sys.executable, "-m", "r2r_client.testing", "--event-interval", "-1"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "must be >= 0 seconds" in bad.stderr
