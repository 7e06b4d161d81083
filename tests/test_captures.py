"""Every real capture fits the document and parses with the generated models."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from _helpers import present
from fixture_http import Capture, capture_names

from r2r_api.models.http_validation_error import HTTPValidationError
from r2r_api.models.internal_error_body import InternalErrorBody
from r2r_api.models.plain_error_body import PlainErrorBody
from r2r_api.models.r2r_error_body import R2RErrorBody
from r2r_api.models.wrapped_completion_response import WrappedCompletionResponse
from r2r_api.models.wrapped_document_response import WrappedDocumentResponse
from r2r_api.models.wrapped_rag_response import WrappedRAGResponse
from r2r_client.sse import iter_sse

# capture -> (path, method) of the request that produced it
REQUESTS = {
    "02-put-metadata.http": ("/v3/documents/{id}/metadata", "put"),
    "04-completion.http": ("/v3/retrieval/completion", "post"),
    "05b-completion-no-model.http": ("/v3/retrieval/completion", "post"),
    "06-rag.http": ("/v3/retrieval/rag", "post"),
    "07-rag-stream.http": ("/v3/retrieval/rag", "post"),
    "10-put-metadata-malformed-json.http": ("/v3/documents/{id}/metadata", "put"),
    "11-put-metadata-object-not-list.http": ("/v3/documents/{id}/metadata", "put"),
    "12-put-metadata-unknown-doc.http": ("/v3/documents/{id}/metadata", "put"),
    "13-put-metadata-non-uuid.http": ("/v3/documents/{id}/metadata", "put"),
    "15-completion-missing-messages.http": ("/v3/retrieval/completion", "post"),
    "17-rag-missing-query.http": ("/v3/retrieval/rag", "post"),
    "18-rag-bad-bearer-on-noauth.http": ("/v3/retrieval/rag", "post"),
    # a regular user of an auth-required server (tests/fixtures/README-regular-user.md)
    "20-completion-llm-429.http": ("/v3/retrieval/completion", "post"),
    "20-completion-llm-503.http": ("/v3/retrieval/completion", "post"),
    "20-completion-llm-drop.http": ("/v3/retrieval/completion", "post"),
    "20-completion-llm-garbage.http": ("/v3/retrieval/completion", "post"),
    "20-completion-no-credentials.http": ("/v3/retrieval/completion", "post"),
    "20-completion-no-model.http": ("/v3/retrieval/completion", "post"),
    "20-completion-wrong-api-key.http": ("/v3/retrieval/completion", "post"),
    "20-put-metadata-shared-doc.http": ("/v3/documents/{id}/metadata", "put"),
    "20-rag-collection-ids-in.http": ("/v3/retrieval/rag", "post"),
    "20-rag-collection-ids-list.http": ("/v3/retrieval/rag", "post"),
    "20-rag-embedding-503.http": ("/v3/retrieval/rag", "post"),
    "20-rag-llm-503.http": ("/v3/retrieval/rag", "post"),
    "20-rag-llm-garbage.http": ("/v3/retrieval/rag", "post"),
    "20-rag-stream-llm-503.http": ("/v3/retrieval/rag", "post"),
    "20-rag-stream-llm-cut.http": ("/v3/retrieval/rag", "post"),
    "20-put-metadata-rate-limit-global.http": ("/v3/documents/{id}/metadata", "put"),
    "20-rag-rate-limit-global.http": ("/v3/retrieval/rag", "post"),
    "20-completion-rate-limit-monthly.http": ("/v3/retrieval/completion", "post"),
    "20-completion-rate-limit-route.http": ("/v3/retrieval/completion", "post"),
}

MODELS: dict[str, Any] = {
    "02-put-metadata.http": WrappedDocumentResponse,
    "04-completion.http": WrappedCompletionResponse,
    "05b-completion-no-model.http": InternalErrorBody,
    "06-rag.http": WrappedRAGResponse,
    "10-put-metadata-malformed-json.http": HTTPValidationError,
    "11-put-metadata-object-not-list.http": HTTPValidationError,
    "12-put-metadata-unknown-doc.http": R2RErrorBody,
    "13-put-metadata-non-uuid.http": HTTPValidationError,
    "15-completion-missing-messages.http": HTTPValidationError,
    "17-rag-missing-query.http": HTTPValidationError,
    "18-rag-bad-bearer-on-noauth.http": R2RErrorBody,
    "20-completion-llm-429.http": InternalErrorBody,
    "20-completion-llm-503.http": InternalErrorBody,
    "20-completion-llm-drop.http": InternalErrorBody,
    "20-completion-llm-garbage.http": InternalErrorBody,
    "20-completion-no-credentials.http": R2RErrorBody,
    "20-completion-no-model.http": InternalErrorBody,
    "20-completion-wrong-api-key.http": R2RErrorBody,
    "20-put-metadata-shared-doc.http": R2RErrorBody,
    "20-rag-collection-ids-in.http": InternalErrorBody,
    "20-rag-collection-ids-list.http": InternalErrorBody,
    "20-rag-embedding-503.http": InternalErrorBody,
    "20-rag-llm-503.http": InternalErrorBody,
    "20-rag-llm-garbage.http": InternalErrorBody,
    "20-put-metadata-rate-limit-global.http": PlainErrorBody,
    "20-rag-rate-limit-global.http": PlainErrorBody,
    "20-completion-rate-limit-monthly.http": PlainErrorBody,
    "20-completion-rate-limit-route.http": PlainErrorBody,
}

# streams whose LLM failed after the search: status 200, a cleanly terminated body, and no
# final_answer / done (R2R logs the failure and ends the stream)
CUT_STREAMS = ["20-rag-stream-llm-503.http", "20-rag-stream-llm-cut.http"]

STREAM_EVENT_SCHEMAS = {
    "search_results": "RAGSearchResultsEventData",
    "message": "RAGMessageEventData",
    "citation": "Citation",
    "final_answer": "RAGFinalAnswerEventData",
}


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    root = {**schema, "components": document["components"]}
    return jsonschema.Draft202012Validator(root)


def _response_schema(document: dict[str, Any], name: str, content_type: str) -> dict[str, Any]:
    path, method = REQUESTS[name]
    status = Capture(name).status
    response = document["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema: dict[str, Any] = response["content"][content_type]["schema"]
    return schema


def test_every_capture_is_covered() -> None:
    assert set(capture_names()) == set(REQUESTS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_json_capture_validates_against_the_document(name: str, openapi: dict[str, Any]) -> None:
    capture = Capture(name)
    assert capture.content_type == "application/json"
    schema = _response_schema(openapi, name, "application/json")
    errors = list(_validator(openapi, schema).iter_errors(json.loads(capture.body)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_json_capture_parses_and_round_trips(name: str) -> None:
    body = json.loads(Capture(name).body)
    model = MODELS[name].from_dict(body)
    again = MODELS[name].from_dict(model.to_dict())
    assert again == model


def test_stream_capture_events_validate_against_their_schemas(openapi: dict[str, Any]) -> None:
    capture = Capture("07-rag-stream.http")
    assert capture.content_type.startswith("text/event-stream")
    events = list(iter_sse([capture.body]))
    assert [e.event for e in events][-2:] == ["final_answer", "done"]
    assert events[-1].data == "[DONE]"
    components = openapi["components"]["schemas"]
    for event in events[:-1]:
        name = STREAM_EVENT_SCHEMAS[event.event]
        validator = _validator(openapi, {"$ref": f"#/components/schemas/{name}"})
        assert name in components
        errors = list(validator.iter_errors(json.loads(event.data)))
        assert errors == [], (event.event, [e.message for e in errors])


@pytest.mark.parametrize("name", CUT_STREAMS)
def test_cut_stream_events_validate_and_lack_the_end(name: str, openapi: dict[str, Any]) -> None:
    capture = Capture(name)
    assert capture.status == 200
    assert capture.content_type.startswith("text/event-stream")
    events = list(iter_sse([capture.body]))
    names = [e.event for e in events]
    assert names[0] == "search_results"
    assert "final_answer" not in names
    assert "done" not in names
    for event in events:
        schema = {"$ref": f"#/components/schemas/{STREAM_EVENT_SCHEMAS[event.event]}"}
        errors = list(_validator(openapi, schema).iter_errors(json.loads(event.data)))
        assert errors == [], (event.event, [e.message for e in errors])


def test_a_broken_llm_stream_repeats_the_text_already_sent() -> None:
    """R2R retries a broken LLM stream and streams the new answer after the old deltas."""
    events = list(iter_sse([Capture("20-rag-stream-llm-cut.http").body]))
    deltas = [
        part["payload"]["value"]
        for e in events
        if e.event == "message"
        for part in json.loads(e.data)["delta"]["content"]
    ]
    first_try = "FAKE-LLM deterministic answer. You asked: What "
    assert "".join(deltas) == first_try * 3


def test_rag_failures_arrive_wrapped_as_http_exceptions() -> None:
    """R2R's rag wraps every failure in HTTPException('Internal RAG Error - ...') and its
    endpoint wrapper wraps that again: the error_type is HTTPException, the cause is only in
    the text. (What the client's retry classification has to read.)"""
    for name in ("20-rag-llm-503.http", "20-rag-embedding-503.http"):
        detail = json.loads(Capture(name).body)["detail"]
        assert detail["error_type"] == "HTTPException"
        assert detail["error"].startswith("500: Internal RAG Error - ")
    # an exception text mentioning NoneType becomes a 502 inside, still a 500 outside
    detail = json.loads(Capture("20-rag-llm-garbage.http").body)["detail"]
    assert detail["error_type"] == "HTTPException"
    assert detail["error"] == "502: Server not reachable or returned an invalid response"
    detail = json.loads(Capture("20-rag-collection-ids-in.http").body)["detail"]
    assert (detail["error_type"], detail["error"]) == ("KeyError", "'$overlap'")


def test_rate_limit_answers_carry_no_retry_hint() -> None:
    messages = {
        "20-completion-rate-limit-route.http": "Per-route per-minute rate limit exceeded",
        "20-rag-rate-limit-global.http": "Global per-minute rate limit exceeded",
        "20-put-metadata-rate-limit-global.http": "Global per-minute rate limit exceeded",
        "20-completion-rate-limit-monthly.http": "Monthly rate limit exceeded",
    }
    for name, message in messages.items():
        capture = Capture(name)
        assert capture.status == 429
        assert json.loads(capture.body) == {"detail": message}
        assert not [h for h in capture.headers if "retry" in h or "ratelimit" in h]


def test_unknown_fields_survive_a_round_trip() -> None:
    body = json.loads(Capture("06-rag.http").body)
    body["results"]["brand_new_field"] = {"nested": [1, 2]}
    body["results"]["search_results"]["chunk_search_results"][0]["future"] = "kept"
    body["results"]["citations"][0]["extra"] = True
    out = WrappedRAGResponse.from_dict(body).to_dict()
    assert out["results"]["brand_new_field"] == {"nested": [1, 2]}
    assert out["results"]["search_results"]["chunk_search_results"][0]["future"] == "kept"
    assert out["results"]["citations"][0]["extra"] is True


def test_parsed_values_are_typed() -> None:
    rag = WrappedRAGResponse.from_dict(json.loads(Capture("06-rag.http").body)).results
    chunk = present(rag.search_results.chunk_search_results)[0]
    assert str(chunk.document_id) == "927d1a3f-8a57-5829-aa2e-c577fbc00d81"
    assert chunk.score == pytest.approx(0.534, abs=1e-3)
    doc = WrappedDocumentResponse.from_dict(json.loads(Capture("02-put-metadata.http").body))
    assert doc.results.metadata.to_dict()["tags"] == ["alpha", "beta"]
    assert present(doc.results.created_at).year == 2026
