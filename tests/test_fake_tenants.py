"""The fake server's users, ownership and rate limits, called as a plain function (no sockets).

What R2R 3.6.6 does, and these tests hold the fake to: limits never apply to superusers; a
regular user's count greater than its limit is refused (limit + 1 requests pass) with
`{"detail": ...}`, checked global per minute, route per minute, monthly per route, in that
order, after the credentials; POST and DELETE are logged after the route ran, whatever it
answered, while a 429 and a PUT never are; another user's document is "Document not found.",
also when it is shared (only its owner changes metadata), while RAG finds shared documents.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fixture_http import Capture

from r2r_client.testing import FakeClock, FakeR2RServer, FakeUser, Limits, RecordedRequest
from r2r_client.testing._messages import JsonReply, Reply, StreamReply

START = datetime(2026, 1, 31, 23, 58, tzinfo=UTC)  # two minutes before a new month
RAG = "/v3/retrieval/rag"
COMPLETION = "/v3/retrieval/completion"
QUESTION = {"query": "Who invented the Zorblax protocol?"}
MESSAGES = {"messages": [{"role": "user", "content": "hi"}], "generation_config": {"model": "m"}}
NOT_FOUND = {"message": "Document not found.", "error_type": "R2RException"}
GLOBAL = {"detail": "Global per-minute rate limit exceeded"}
ROUTE = {"detail": "Per-route per-minute rate limit exceeded"}
MONTHLY = {"detail": "Monthly rate limit exceeded"}
NOTES = "Alice keeps the quokka ledger."
NOTES_QUERY = "quokka ledger"  # no seeded document has these words


def server(**options: Any) -> FakeR2RServer:
    """A server that is never started: its app answers requests as plain function calls."""
    return FakeR2RServer(clock=FakeClock(START), **options)


def call(
    fake: FakeR2RServer,
    method: str,
    path: str,
    body: object = None,
    *,
    key: str | None = None,
    raw: bytes | None = None,
) -> Reply:
    if raw is None:
        raw = b"" if body is None else json.dumps(body).encode()
    headers = {"x-api-key": key} if key is not None else {}
    return fake.app(RecordedRequest(method, path, "", headers, raw))


def answer(reply: Reply) -> tuple[int, Any]:
    assert isinstance(reply, JsonReply), reply
    return reply.status, reply.body


def statuses(fake: FakeR2RServer, count: int, path: str, body: object, key: str) -> list[int]:
    return [answer(call(fake, "POST", path, body, key=key))[0] for _ in range(count)]


def metadata_path(doc_id: str) -> str:
    return f"/v3/documents/{doc_id}/metadata"


# -- rate limits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "refused"),
    [
        (Limits(global_per_min=2, route_per_min=None, monthly_limit=None), GLOBAL),
        (Limits(global_per_min=None, route_per_min=2, monthly_limit=None), ROUTE),
        (Limits(global_per_min=None, route_per_min=None, monthly_limit=2), MONTHLY),
    ],
)
def test_each_limit_lets_limit_plus_one_pass_then_answers_r2rs_429(
    limits: Limits, refused: dict[str, str]
) -> None:
    fake = server()
    user = fake.add_user("key-a", limits=limits)
    assert statuses(fake, 3, RAG, QUESTION, user.api_key) == [200, 200, 200]
    reply = call(fake, "POST", RAG, QUESTION, key="key-a")
    assert answer(reply) == (429, refused)
    assert isinstance(reply, JsonReply)
    assert reply.headers == {}, "R2R sends no Retry-After and no rate-limit headers"


def test_the_minute_window_frees_after_sixty_seconds_the_month_does_not() -> None:
    fake = server()
    per_minute = fake.add_user("key-a", limits=Limits(route_per_min=1))
    per_month = fake.add_user("key-b", limits=Limits(monthly_limit=1))
    for user, refused in ((per_minute, ROUTE), (per_month, MONTHLY)):
        assert statuses(fake, 2, RAG, QUESTION, user.api_key) == [200, 200]
        assert answer(call(fake, "POST", RAG, QUESTION, key=user.api_key)) == (429, refused)
    fake.clock.advance(60)  # requests exactly a minute old still count (time >= now - 1 min)
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-a")) == (429, ROUTE)
    fake.clock.advance(1)
    assert statuses(fake, 2, RAG, QUESTION, "key-a") == [200, 200]
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-b")) == (429, MONTHLY)
    fake.clock.advance(60)  # 00:00:01 on the 1st of February, UTC: a new month
    assert statuses(fake, 2, RAG, QUESTION, "key-b") == [200, 200]
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-b")) == (429, MONTHLY)


def test_the_global_limit_counts_every_route_and_is_checked_first() -> None:
    fake = server()
    fake.add_user("key-a", limits=Limits(global_per_min=2, route_per_min=1))
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-a"))[0] == 200
    assert answer(call(fake, "POST", COMPLETION, MESSAGES, key="key-a"))[0] == 200
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-a"))[0] == 200  # 2 in all, 1 here
    # 3 logged in all (> 2) and 2 on this route (> 1): the global limit is the one reported
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-a")) == (429, GLOBAL)
    doc_id = fake.document_ids[0]
    put = call(fake, "PUT", metadata_path(doc_id), [{"a": 1}], key="key-a")
    assert answer(put) == (429, GLOBAL), "a PUT is checked against the POSTs of the minute"


def test_route_overrides_are_keyed_by_the_path_the_server_sees() -> None:
    fake = server()
    limits = Limits(route_per_min=None, route_overrides={COMPLETION: {"route_per_min": 1}})
    fake.add_user("key-a", limits=limits)
    assert statuses(fake, 3, COMPLETION, MESSAGES, "key-a") == [200, 200, 429]
    assert statuses(fake, 5, RAG, QUESTION, "key-a") == [200] * 5


def test_a_put_is_never_counted() -> None:
    fake = server()
    alice = fake.add_user("key-a", limits=Limits(global_per_min=0, route_per_min=0))
    doc_id = fake.add_document("mine.txt", "Mine.", owner=alice)
    puts = [call(fake, "PUT", metadata_path(doc_id), [{"n": n}], key="key-a") for n in range(5)]
    assert [answer(put)[0] for put in puts] == [200] * 5
    assert statuses(fake, 2, RAG, QUESTION, "key-a") == [200, 429]


def test_a_429_is_not_counted() -> None:
    fake = server()
    fake.add_user("key-a", limits=Limits(global_per_min=3, route_per_min=1))
    assert statuses(fake, 5, RAG, QUESTION, "key-a") == [200, 200, 429, 429, 429]
    # 2 logged so far: 2 more pass the global limit of 3 (they would not if 429s counted)
    assert statuses(fake, 3, COMPLETION, MESSAGES, "key-a") == [200, 200, 429]
    assert answer(call(fake, "POST", COMPLETION, MESSAGES, key="key-a")) == (429, GLOBAL)


def test_a_500_and_a_422_from_the_route_count_a_broken_json_body_does_not() -> None:
    fake = server(default_model=None)
    fake.add_user("key-a", limits=Limits(route_per_min=1))
    no_model = {"messages": [{"role": "user", "content": "hi"}]}
    assert statuses(fake, 3, COMPLETION, no_model, "key-a") == [500, 500, 429]
    assert statuses(fake, 3, RAG, {"query": 1}, "key-a") == [422, 422, 429]
    fake.clock.advance(61)
    for _ in range(3):  # refused by FastAPI before the credentials and limits are looked at
        status, body = answer(call(fake, "POST", RAG, raw=b"{bad", key="key-a"))
        assert (status, body["detail"][0]["type"]) == (422, "json_invalid")
    assert statuses(fake, 2, RAG, QUESTION, "key-a") == [200, 200]


def test_a_streamed_answer_counts() -> None:
    fake = server()
    fake.add_user("key-a", limits=Limits(route_per_min=0))
    streamed = {**QUESTION, "rag_generation_config": {"stream": True}}
    assert isinstance(call(fake, "POST", RAG, streamed, key="key-a"), StreamReply)
    assert answer(call(fake, "POST", RAG, streamed, key="key-a")) == (429, ROUTE)


def test_credentials_come_before_limits_and_limits_before_the_body() -> None:
    fake = server(api_key="sk-admin")
    fake.add_user("key-a", limits=Limits(route_per_min=0))
    assert statuses(fake, 2, RAG, QUESTION, "key-a") == [200, 429]
    status, body = answer(call(fake, "POST", RAG, QUESTION))
    assert (status, body["message"][:23]) == (401, "No credentials provided")
    assert answer(call(fake, "POST", RAG, {"query": 1}, key="key-a")) == (429, ROUTE)
    assert answer(call(fake, "POST", RAG, key="key-a")) == (429, ROUTE)


def test_superusers_are_never_limited() -> None:
    nothing = Limits(global_per_min=0, route_per_min=0, monthly_limit=0)
    fake = server(default_limits=nothing, users=[FakeUser("key-root", superuser=True)])
    fake.add_user("key-a")
    assert statuses(fake, 2, RAG, QUESTION, "key-a") == [200, 429]
    assert statuses(fake, 5, RAG, QUESTION, "key-root") == [200] * 5
    anonymous = [answer(call(fake, "POST", RAG, QUESTION))[0] for _ in range(5)]
    assert anonymous == [200] * 5, "without a key, an open server takes the default admin"


def test_limits_can_change_and_reset_forgets_the_counts() -> None:
    fake = server()
    user = fake.add_user("key-a")
    assert statuses(fake, 3, RAG, QUESTION, "key-a") == [200, 200, 200]
    fake.set_limits(user, Limits(route_per_min=1))
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-a")) == (429, ROUTE)
    fake.set_limits(user, None)  # back to the defaults: 20 a minute
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-a"))[0] == 200
    fake.default_limits = Limits(route_per_min=2)
    assert answer(call(fake, "POST", RAG, QUESTION, key="key-a")) == (429, ROUTE)
    fake.reset()
    assert statuses(fake, 4, RAG, QUESTION, "key-a") == [200, 200, 200, 429]


def test_a_user_is_the_same_with_bearer_or_x_api_key() -> None:
    fake = server()
    fake.add_user("key-a", limits=Limits(route_per_min=1))
    bearer = {"authorization": "Bearer key-a"}
    for headers in (bearer, {"x-api-key": "key-a"}):
        reply = fake.app(RecordedRequest("POST", RAG, "", headers, json.dumps(QUESTION).encode()))
        assert answer(reply)[0] == 200
    reply = fake.app(RecordedRequest("POST", RAG, "", bearer, json.dumps(QUESTION).encode()))
    assert answer(reply) == (429, ROUTE)


# -- ownership --------------------------------------------------------------------------------


def chunk_documents(reply: Reply) -> list[str]:
    status, body = answer(reply)
    assert status == 200
    chunks = body["results"]["search_results"]["chunk_search_results"]
    return [chunk["document_id"] for chunk in chunks]


def test_another_users_document_is_not_found_and_not_searched() -> None:
    fake = server()
    alice, bob = fake.add_user("key-a", name="alice"), fake.add_user("key-b", name="bob")
    doc_id = fake.add_document("alice.txt", NOTES, owner=alice)
    assert fake.documents[doc_id]["owner_id"] == alice.id
    assert fake.documents[doc_id]["collection_ids"] == [alice.default_collection_id]
    path = metadata_path(doc_id)
    assert answer(call(fake, "PUT", path, [{"x": 1}], key="key-b")) == (404, NOT_FOUND)
    assert answer(call(fake, "GET", f"/v3/documents/{doc_id}", key="key-b")) == (404, NOT_FOUND)
    query = {"query": NOTES_QUERY}
    assert chunk_documents(call(fake, "POST", RAG, query, key="key-b")) == []
    assert chunk_documents(call(fake, "POST", RAG, query, key="key-a")) == [doc_id]
    assert fake.admin.id not in (alice.id, bob.id)
    assert chunk_documents(call(fake, "POST", RAG, query)) == [doc_id], "the admin sees all"
    status, body = answer(call(fake, "PUT", path, [{"by": "alice"}], key="key-a"))
    assert (status, body["results"]["metadata"]) == (200, {"by": "alice"})
    status, body = answer(call(fake, "PUT", path, [{"by": "admin"}]))  # the superuser
    assert (status, body["results"]["metadata"]) == (200, {"by": "admin"})


def test_a_shared_document_is_searched_and_read_but_only_its_owner_changes_it() -> None:
    fake = server()
    alice, bob = fake.add_user("key-a"), fake.add_user("key-b")
    doc_id = fake.add_document("alice.txt", NOTES, owner=alice)
    fake.share_document(doc_id, bob)
    found = call(fake, "POST", RAG, {"query": NOTES_QUERY}, key="key-b")
    assert chunk_documents(found) == [doc_id]
    chunk = answer(found)[1]["results"]["search_results"]["chunk_search_results"][0]
    assert (chunk["owner_id"], chunk["collection_ids"]) == (
        alice.id,
        [alice.default_collection_id, bob.default_collection_id],
    )
    status, _ = answer(call(fake, "GET", f"/v3/documents/{doc_id}", key="key-b"))
    assert status == 200
    put = call(fake, "PUT", metadata_path(doc_id), [{"x": 1}], key="key-b")
    assert answer(put) == (404, NOT_FOUND)


def test_a_regular_users_collection_filter_without_overlap_is_r2rs_500() -> None:
    fake = server()
    alice, bob = fake.add_user("key-a"), fake.add_user("key-b")
    doc_id = fake.add_document("alice.txt", NOTES, owner=alice)
    fake.share_document(doc_id, bob)
    query = {"query": NOTES_QUERY}

    def search(op: str, key: str | None) -> Reply:
        filters = {"collection_ids": {op: [bob.default_collection_id]}}
        return call(fake, "POST", RAG, {**query, "search_settings": {"filters": filters}}, key=key)

    assert answer(search("$in", "key-b")) == (
        500,
        {
            "detail": {
                "message": "An error ''$overlap'' occurred during rag_app",
                "error": "'$overlap'",
                "error_type": "KeyError",
            }
        },
    )
    assert chunk_documents(search("$overlap", "key-b")) == [doc_id]
    assert chunk_documents(search("$in", None)) == [doc_id], "the superuser's filter works"
    assert chunk_documents(search("$nin", None)) == []


def test_a_completion_without_a_model_is_r2rs_500_when_no_default_model_is_set() -> None:
    no_model = {"messages": [{"role": "user", "content": "hi"}]}
    status, body = answer(call(server(), "POST", COMPLETION, no_model))
    assert (status, body["results"]["model"]) == (200, "fake-r2r-llm")
    fake = server(default_model=None)
    real = Capture("05b-completion-no-model.http")
    assert answer(call(fake, "POST", COMPLETION, no_model)) == (real.status, json.loads(real.body))
    assert answer(call(fake, "POST", COMPLETION, MESSAGES))[0] == 200


# -- configuration errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"route_per_min": -1}, r"Limits\.route_per_min: must be an integer >= 0 or None, got -1"),
        ({"monthly_limit": 1.5}, r"Limits\.monthly_limit: must be an integer >= 0"),
        ({"global_per_min": True}, r"Limits\.global_per_min: must be an integer"),
        ({"route_overrides": {"completion": {"route_per_min": 1}}},
         r"keys are request paths such as '/v3/retrieval/completion', got 'completion'"),
        ({"route_overrides": {COMPLETION: {"per_min": 1}}},
         r"\['/v3/retrieval/completion'\]: unknown limit\(s\) \['per_min'\]"),
        ({"route_overrides": {COMPLETION: {"route_per_min": -2}}},
         r"Limits\.route_overrides\['/v3/retrieval/completion'\]\.route_per_min: must be"),
    ],
)  # fmt: skip
def test_bad_limits_name_the_field(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Limits(**options)


def test_users_and_clock_refuse_mistakes_with_clear_errors() -> None:
    fake = server(api_key="sk-admin")
    user = fake.add_user("key-a")
    with pytest.raises(ValueError, match="already has a user with that key"):
        fake.add_user("key-a")
    with pytest.raises(ValueError, match="already has a user with that key"):
        fake.add_user("sk-admin")
    with pytest.raises(ValueError, match=r"FakeUser\.api_key: must be a non-empty string"):
        fake.add_user("")
    with pytest.raises(ValueError, match="is not a user of this server"):
        fake.set_limits(FakeUser("key-z"), None)
    with pytest.raises(KeyError, match="no document 'nope' on this server"):
        fake.share_document("nope", user)
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match=r"advance\(seconds\): must be >= 0, got -1"):
        fake.clock.advance(-1)
    with pytest.raises(ValueError, match=r"FakeUser\.id: must be a UUID, got 'alice'"):
        FakeUser("key-z", id="alice")
    with pytest.raises(ValueError, match=f"already has a user with id {fake.admin.id}"):
        server(users=[FakeUser("key-z", id=fake.admin.id)])
    generated = fake.add_user()
    assert re.fullmatch(r"pk_[0-9a-f]{12}\.sk_[0-9a-f]{32}", generated.api_key)
    assert fake.add_user().api_key != generated.api_key
    assert fake.users[:2] == [user, generated]
    assert fake.admin.api_key == "sk-admin"
    fake.api_key = "sk-new"
    assert fake.admin.api_key == "sk-new"
    assert answer(call(fake, "POST", RAG, QUESTION, key="sk-new"))[0] == 200


def test_keys_stay_out_of_reprs() -> None:
    fake = server()
    user = fake.add_user("key-secret-123", name="alice", limits=Limits(route_per_min=2))
    assert "key-secret-123" not in repr(user)
    assert "key-secret-123" not in repr(fake.users)
    assert "alice" in repr(user)
