"""Users, ownership and rate limits of the fake server over real HTTP, with plain httpx: the
bytes a client's rate-limit and multi-user handling sees."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fixture_http import Capture

from r2r_client.testing import FakeClock, FakeR2RServer, FakeUser, Limits

RAG = "/v3/retrieval/rag"
COMPLETION = "/v3/retrieval/completion"
QUESTION = {"query": "Who invented the Zorblax protocol?"}


@pytest.fixture
def server() -> Iterator[FakeR2RServer]:
    users = [
        FakeUser("key-a", name="alice", limits=Limits(route_per_min=2)),
        FakeUser("key-b", name="bob"),
    ]
    clock = FakeClock(datetime(2026, 3, 31, 23, 59, tzinfo=UTC))
    with FakeR2RServer(users=users, clock=clock, default_model=None) as srv:
        yield srv


def post(server: FakeR2RServer, path: str, body: object, key: str | None) -> httpx.Response:
    headers = {"X-API-Key": key} if key is not None else {}
    return httpx.post(f"{server.base_url}{path}", json=body, headers=headers, timeout=5)


def test_the_fourth_request_in_a_minute_is_r2rs_429_byte_for_byte(server: FakeR2RServer) -> None:
    passed = [post(server, RAG, QUESTION, "key-a").status_code for _ in range(3)]
    assert passed == [200, 200, 200]
    refused = post(server, RAG, QUESTION, "key-a")
    assert refused.status_code == 429
    assert refused.content == b'{"detail":"Per-route per-minute rate limit exceeded"}'
    assert refused.headers["content-type"] == "application/json"
    assert "retry-after" not in refused.headers
    assert not [name for name in refused.headers if "ratelimit" in name.replace("-", "")]
    assert post(server, RAG, QUESTION, "key-b").status_code == 200, "bob has his own counts"
    server.clock.advance(61)
    assert post(server, RAG, QUESTION, "key-a").status_code == 200


def test_a_monthly_limit_frees_only_in_the_next_month(server: FakeR2RServer) -> None:
    bob = server.users[1]
    server.set_limits(bob, Limits(monthly_limit=1))
    assert [post(server, RAG, QUESTION, "key-b").status_code for _ in range(2)] == [200, 200]
    refused = post(server, RAG, QUESTION, "key-b")
    assert (refused.status_code, refused.json()) == (429, {"detail": "Monthly rate limit exceeded"})
    server.clock.advance(59)
    assert post(server, RAG, QUESTION, "key-b").status_code == 429
    server.clock.advance(2)  # April
    assert post(server, RAG, QUESTION, "key-b").status_code == 200


def test_a_500_counts_against_the_limit(server: FakeR2RServer) -> None:
    no_model = {"messages": [{"role": "user", "content": "hi"}]}
    real = Capture("05b-completion-no-model.http")
    for _ in range(3):
        crashed = post(server, COMPLETION, no_model, "key-a")
        assert (crashed.status_code, crashed.content) == (real.status, real.body)
    assert post(server, COMPLETION, no_model, "key-a").status_code == 429


def test_ownership_over_the_wire(server: FakeR2RServer) -> None:
    alice, bob = server.users
    doc_id = server.add_document("ledger.txt", "Alice keeps the quokka ledger.", owner=alice)
    put = httpx.put(
        f"{server.base_url}/v3/documents/{doc_id}/metadata",
        json=[{"x": 1}],
        headers={"Authorization": "Bearer key-b"},
    )
    real = Capture("12-put-metadata-unknown-doc.http")
    assert (put.status_code, put.content) == (real.status, real.body)
    server.share_document(doc_id, bob)
    found = post(server, RAG, {"query": "quokka ledger"}, "key-b").json()
    chunks = found["results"]["search_results"]["chunk_search_results"]
    assert [chunk["document_id"] for chunk in chunks] == [doc_id]
    filters = {"collection_ids": {"$in": [bob.default_collection_id]}}
    body = {"query": "quokka ledger", "search_settings": {"filters": filters}}
    crashed = post(server, RAG, body, "key-b")
    assert crashed.status_code == 500
    assert crashed.content == (
        b'{"detail":{"message":"An error \'\'$overlap\'\' occurred during rag_app",'
        b'"error":"\'$overlap\'","error_type":"KeyError"}}'
    )
    as_admin = post(server, RAG, body, None).json()
    chunks = as_admin["results"]["search_results"]["chunk_search_results"]
    assert [chunk["document_id"] for chunk in chunks] == [doc_id]


def test_module_options_add_limited_users() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "r2r_client.testing", "--user", "key-a", "--route-per-min", "1",
         "--no-default-model"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
        headers = {"X-API-Key": "key-a"}
        codes = [
            httpx.post(f"{url}{RAG}", json=QUESTION, headers=headers, timeout=10).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        assert httpx.post(f"{url}{RAG}", json=QUESTION, timeout=10).status_code == 200  # admin
        no_model = {"messages": [{"role": "user", "content": "hi"}]}
        assert httpx.post(f"{url}{COMPLETION}", json=no_model, timeout=10).status_code == 500
    finally:
        proc.terminate()
        proc.wait(5)
    bad = subprocess.run(
        [sys.executable, "-m", "r2r_client.testing", "--route-per-min", "-1"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "--route-per-min: must be an integer >= 0 or 'none'" in bad.stderr
