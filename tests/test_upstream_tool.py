"""The drift report (tools/r2r_upstream/drift.py, printed by tools/upstream.py): one synthetic
upstream document per kind of change, each named by its exact report line; equivalent spellings
of one schema report nothing."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/ is not an installed package

from tools.r2r_upstream.drift import diff

RAG = "POST /v3/retrieval/rag:"
COMPLETION = "POST /v3/retrieval/completion:"
METADATA = "PUT /v3/documents/{id}/metadata:"


def _json_body(ref: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def base() -> dict[str, Any]:
    """A small upstream document written the way R2R's FastAPI/pydantic app writes its own."""
    security: list[dict[str, list[str]]] = [{"HTTPBearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "FastAPI", "version": "0.1.0"},
        "paths": {
            "/v3/documents/{id}/metadata": {
                "put": {
                    "parameters": [
                        {
                            "in": "path",
                            "name": "id",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid", "title": "Id"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"type": "object", "additionalProperties": True},
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {"description": "OK", **_json_body("R2RResults_DocumentResponse_")},
                        "422": {"description": "Invalid", **_json_body("HTTPValidationError")},
                    },
                    "security": security,
                }
            },
            "/v3/retrieval/completion": {
                "post": {
                    "requestBody": {"required": True, **_json_body("Body_completion")},
                    "responses": {"200": {"description": "OK", "content": {}}},
                    "security": security,
                }
            },
            "/v3/retrieval/rag": {
                "post": {
                    "requestBody": {"required": True, **_json_body("Body_rag")},
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": {}}},
                        }
                    },
                    "security": security,
                }
            },
        },
        "components": {
            "securitySchemes": {
                "HTTPBearer": {"type": "http", "scheme": "bearer"},
                "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
            "schemas": {
                "Body_completion": {
                    "type": "object",
                    "required": ["messages"],
                    "properties": {
                        "messages": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Message"},
                        }
                    },
                },
                "Message": {
                    "type": "object",
                    "required": ["role"],
                    "properties": {"role": {"type": "string"}},
                },
                "Body_rag": {
                    "type": "object",
                    "required": ["query"],
                    "properties": {
                        "query": {"type": "string", "title": "Query"},
                        "search_mode": {
                            "$ref": "#/components/schemas/SearchMode",
                            "default": "custom",
                        },
                        "search_settings": {
                            "anyOf": [
                                {"$ref": "#/components/schemas/SearchSettings"},
                                {"type": "null"},
                            ]
                        },
                        "task_prompt": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    },
                },
                "SearchMode": {"type": "string", "enum": ["basic", "advanced", "custom"]},
                "SearchSettings": {
                    "type": "object",
                    "properties": {
                        "limit": {
                            "type": "integer",
                            "default": 10,
                            "minimum": 1.0,
                            "maximum": 1000.0,
                        },
                        "offset": {"type": "integer", "default": 0, "minimum": 0.0},
                        "hybrid_settings": {"$ref": "#/components/schemas/HybridSearchSettings"},
                    },
                },
                "HybridSearchSettings": {
                    "type": "object",
                    "properties": {"rrf_k": {"type": "integer", "default": 50}},
                },
                "R2RResults_DocumentResponse_": {
                    "type": "object",
                    "required": ["results"],
                    "properties": {"results": {"$ref": "#/components/schemas/DocumentResponse"}},
                },
                "DocumentResponse": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "string", "format": "uuid"}},
                },
                "HTTPValidationError": {
                    "type": "object",
                    "properties": {"detail": {"type": "array", "items": {}}},
                },
            },
        },
    }


Change = Callable[[dict[str, Any]], None]


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def rag_200(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"]["/v3/retrieval/rag"]["post"]["responses"]["200"]
    return found


def add_field(d: dict[str, Any]) -> None:
    schemas(d)["SearchSettings"]["properties"]["rerank"] = {"type": "boolean", "default": False}


def remove_field(d: dict[str, Any]) -> None:
    del schemas(d)["SearchSettings"]["properties"]["offset"]


def change_type(d: dict[str, Any]) -> None:
    schemas(d)["SearchSettings"]["properties"]["limit"]["type"] = "number"


def extend_enum(d: dict[str, Any]) -> None:
    schemas(d)["SearchMode"]["enum"].append("turbo")


def drop_required(d: dict[str, Any]) -> None:
    schemas(d)["Body_rag"]["required"] = []


def drop_nullable(d: dict[str, Any]) -> None:
    schemas(d)["Body_rag"]["properties"]["task_prompt"] = {"type": "string"}


def change_default(d: dict[str, Any]) -> None:
    schemas(d)["HybridSearchSettings"]["properties"]["rrf_k"]["default"] = 60


def tighten_maximum(d: dict[str, Any]) -> None:
    schemas(d)["SearchSettings"]["properties"]["limit"]["maximum"] = 100


def make_minimum_exclusive(d: dict[str, Any]) -> None:
    offset = schemas(d)["SearchSettings"]["properties"]["offset"]
    offset["exclusiveMinimum"] = offset.pop("minimum")


def add_min_length(d: dict[str, Any]) -> None:
    schemas(d)["Body_rag"]["properties"]["query"]["minLength"] = 1


def add_max_items(d: dict[str, Any]) -> None:
    schemas(d)["Body_completion"]["properties"]["messages"]["maxItems"] = 100


def add_pattern(d: dict[str, Any]) -> None:
    schemas(d)["Message"]["properties"]["role"]["pattern"] = "^[a-z]+$"


def drop_format(d: dict[str, Any]) -> None:
    del d["paths"]["/v3/documents/{id}/metadata"]["put"]["parameters"][0]["schema"]["format"]


def add_parameter(d: dict[str, Any]) -> None:
    d["paths"]["/v3/retrieval/completion"]["post"]["parameters"] = [
        {"in": "query", "name": "stream", "required": False, "schema": {"type": "boolean"}}
    ]


def add_response_field(d: dict[str, Any]) -> None:
    schemas(d)["DocumentResponse"]["properties"]["tags"] = {
        "type": "array",
        "items": {"type": "string"},
    }


def add_status(d: dict[str, Any]) -> None:
    d["paths"]["/v3/retrieval/rag"]["post"]["responses"]["404"] = {"description": "Not Found"}


def declare_response_body(d: dict[str, Any]) -> None:
    rag_200(d)["content"]["application/json"]["schema"] = {
        "type": "object",
        "required": ["results"],
        "properties": {"results": {"type": "object"}},
    }


def describe_stream(d: dict[str, Any]) -> None:
    rag_200(d)["content"]["text/event-stream"] = {
        "itemSchema": {
            "type": "object",
            "required": ["event", "data"],
            "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
            "oneOf": [
                {
                    "properties": {
                        "event": {"const": "message"},
                        "data": {
                            "contentMediaType": "application/json",
                            "contentSchema": {
                                "type": "object",
                                "properties": {"delta": {"type": "string"}},
                            },
                        },
                    }
                },
                {"properties": {"event": {"const": "done"}, "data": {"const": "[DONE]"}}},
            ],
        }
    }


def add_security_scheme(d: dict[str, Any]) -> None:
    d["paths"]["/v3/retrieval/rag"]["post"]["security"] = [{"HTTPBearer": []}, {"APIKeyHeader": []}]


def add_recursive_schema(d: dict[str, Any]) -> None:
    schemas(d)["Filter"] = {
        "type": "object",
        "properties": {
            "$and": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}},
            "field": {"type": "string"},
        },
    }
    schemas(d)["SearchSettings"]["properties"]["filters"] = {"$ref": "#/components/schemas/Filter"}


CHANGES: list[tuple[Change, list[str]]] = [
    (add_field, [RAG, "  + body.search_settings.rerank: type boolean, optional, default false"]),
    (
        remove_field,
        [RAG, "  - body.search_settings.offset: type integer, optional, default 0, minimum 0"],
    ),
    (change_type, [RAG, "  ~ body.search_settings.limit: type integer -> number"]),
    (
        extend_enum,
        [
            RAG,
            '  ~ body.search_mode: enum ["advanced","basic","custom"] -> '
            '["advanced","basic","custom","turbo"]',
        ],
    ),
    (drop_required, [RAG, "  ~ body.query: required true -> false"]),
    (drop_nullable, [RAG, "  ~ body.task_prompt: type null|string -> string"]),
    (change_default, [RAG, "  ~ body.search_settings.hybrid_settings.rrf_k: default 50 -> 60"]),
    (tighten_maximum, [RAG, "  ~ body.search_settings.limit: maximum 1000 -> 100"]),
    (
        make_minimum_exclusive,
        [
            RAG,
            "  ~ body.search_settings.offset: minimum 0 -> (none)",
            "  ~ body.search_settings.offset: exclusiveMinimum (none) -> 0",
        ],
    ),
    (add_min_length, [RAG, "  ~ body.query: minLength (none) -> 1"]),
    (add_max_items, [COMPLETION, "  ~ body.messages: maxItems (none) -> 100"]),
    (add_pattern, [COMPLETION, "  ~ body.messages[].role: pattern (none) -> ^[a-z]+$"]),
    (drop_format, [METADATA, "  ~ parameter path id: format uuid -> (none)"]),
    (add_parameter, [COMPLETION, "  + parameter query stream: type boolean, optional"]),
    (
        add_response_field,
        [
            METADATA,
            "  + response 200 body.results.tags: type array, optional",
            "  + response 200 body.results.tags[]: type string",
        ],
    ),
    (add_status, [RAG, "  + response 404"]),
    (
        declare_response_body,
        [
            RAG,
            "  + response 200 body.results: type object, required",
            "  ~ response 200 body: type any -> object",
        ],
    ),
    (
        describe_stream,
        [
            RAG,
            '  + response 200 event:done: type string, enum ["[DONE]"]',
            "  + response 200 event:message: type object",
            "  + response 200 event:message.delta: type string, optional",
            "  + response 200 text/event-stream body: type object",
            "  + response 200 text/event-stream body.data: type string, required",
            "  + response 200 text/event-stream body.event: type string, required",
        ],
    ),
    (
        add_security_scheme,
        [RAG, "  ~ operation: security http bearer -> apiKey header X-API-Key | http bearer"],
    ),
    (
        add_recursive_schema,
        [
            RAG,
            "  + body.search_settings.filters: type object, optional",
            "  + body.search_settings.filters.$and: type array, optional",
            "  + body.search_settings.filters.$and[]: type object, "
            "recursive body.search_settings.filters",
            "  + body.search_settings.filters.field: type string, optional",
        ],
    ),
]


@pytest.mark.parametrize(("change", "lines"), CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_each_kind_of_change_is_one_exact_report_line(change: Change, lines: list[str]) -> None:
    before = base()
    after = copy.deepcopy(before)
    change(after)
    assert diff(before, after) == lines


def test_a_change_inside_a_recursive_schema_is_reported_once() -> None:
    before = base()
    add_recursive_schema(before)
    after = copy.deepcopy(before)
    schemas(after)["Filter"]["properties"]["field"]["type"] = "integer"
    assert diff(before, after) == [
        RAG,
        "  ~ body.search_settings.filters.field: type string -> integer",
    ]


def test_a_change_in_a_streamed_event_payload() -> None:
    before = base()
    describe_stream(before)
    after = copy.deepcopy(before)
    item = rag_200(after)["content"]["text/event-stream"]["itemSchema"]
    item["oneOf"][0]["properties"]["data"]["contentSchema"]["properties"]["delta"] = {
        "type": "object"
    }
    assert diff(before, after) == [
        RAG,
        "  ~ response 200 event:message.delta: type string -> object",
    ]


def test_a_removed_operation_is_one_line() -> None:
    before = base()
    after = copy.deepcopy(before)
    del after["paths"]["/v3/retrieval/rag"]
    report = diff(before, after)
    assert report[0] == RAG
    assert len(report) == 2
    assert report[1].startswith("  - operation (")


def _spell(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    schemas(changed)["SearchSettings"]["properties"]["limit"] = schema
    return changed


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            {"type": ["integer", "null"]},
        ),
        ({"type": ["integer", "null"]}, {"type": "integer", "nullable": True}),  # OpenAPI 3.0
        ({"type": "integer", "maximum": 1000.0}, {"type": "integer", "maximum": 1000}),
        (
            {"type": "integer", "maximum": 5, "exclusiveMaximum": True},  # OpenAPI 3.0
            {"type": "integer", "exclusiveMaximum": 5},
        ),
        ({"$ref": "#/components/schemas/Limit"}, {"type": "integer", "minimum": 1}),
        (
            {"allOf": [{"$ref": "#/components/schemas/Limit"}]},
            {"$ref": "#/components/schemas/Limit"},
        ),
        (
            {"type": "integer", "title": "Limit", "description": "How many"},
            {"type": "integer", "examples": [10]},
        ),
    ],
    ids=["anyOf-null", "nullable", "float-bound", "exclusive-3.0", "ref", "allOf", "docs"],
)
def test_equivalent_spellings_report_nothing(one: dict[str, Any], other: dict[str, Any]) -> None:
    document = base()
    schemas(document)["Limit"] = {"type": "integer", "minimum": 1}
    assert diff(_spell(document, one), _spell(document, other)) == []
