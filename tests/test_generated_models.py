"""What our generator templates give the models: free-form objects are dicts, UNSET reads well,
and a streamed answer is a clear error in the low-level package."""

from __future__ import annotations

import asyncio
import copy
import json
import pickle
import subprocess
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

import pytest
import respx
import yaml
from _helpers import BASE, DOC_ID, fixture_json, fixture_response

from r2r_api import AuthenticatedClient, errors
from r2r_api.api.retrieval import rag as rag_api
from r2r_api.models import (
    Citation,
    CitationPayload,
    DocumentResponse,
    MetadataObject,
    RAGRequest,
    WrappedDocumentResponse,
    WrappedRAGResponse,
)
from r2r_api.types import UNSET, Unset
from r2r_client import R2RClient

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "generated" / "r2r_api" / "models"


def _free_form_model_names(openapi: dict[str, Any]) -> list[str]:
    schemas = openapi["components"]["schemas"]
    return sorted(
        name
        for name, schema in schemas.items()
        if schema.get("type") == "object"
        and schema.get("additionalProperties")
        and not schema.get("properties")
    )


# -- free-form objects are dicts --------------------------------------------------------------


def test_every_free_form_schema_is_a_dict_model(openapi: dict[str, Any]) -> None:
    import r2r_api.models as models

    names = _free_form_model_names(openapi)
    assert {"MetadataObject", "CitationPayload", "RAGResponseMetadata"} <= set(names)
    for name in names:
        cls = getattr(models, name)
        assert issubclass(cls, dict), name
        assert issubclass(cls, MutableMapping), name
    assert not issubclass(DocumentResponse, Mapping)  # declared fields: a record, not a mapping


def test_metadata_behaves_as_the_official_sdks_dict() -> None:
    body = fixture_json("02-put-metadata")
    response = WrappedDocumentResponse.from_dict(body)
    metadata = response.results.metadata
    expected = body["results"]["metadata"]
    assert isinstance(metadata, MetadataObject)
    # R2R's own test of metadata replace:
    assert len(response.results.metadata.keys()) == len(expected)
    assert metadata == expected
    assert expected == metadata
    assert dict(metadata) == expected
    assert list(metadata) == list(expected)
    assert list(metadata.items()) == list(expected.items())
    assert metadata.get("absent", "d") == "d"
    first = next(iter(expected))
    assert metadata[first] == expected[first]
    assert first in metadata
    assert json.loads(json.dumps(metadata)) == expected
    assert json.loads(json.dumps(metadata.to_dict())) == expected
    assert metadata.to_dict() == expected
    assert type(metadata.to_dict()) is dict
    assert response.to_dict()["results"]["metadata"] == expected


def test_a_free_form_model_is_a_mutable_mapping_and_keeps_its_type() -> None:
    metadata = MetadataObject.from_dict({"a": 1})
    metadata["b"] = [2]
    metadata.update(c=3)
    del metadata["a"]
    assert metadata == {"b": [2], "c": 3}
    assert metadata.additional_properties is metadata
    assert metadata.additional_keys == ["b", "c"]
    assert repr(metadata) == "MetadataObject({'b': [2], 'c': 3})"
    assert copy.deepcopy(metadata) == metadata
    assert type(copy.deepcopy(metadata)) is MetadataObject
    assert type(pickle.loads(pickle.dumps(metadata))) is MetadataObject
    with pytest.raises(TypeError):
        hash(metadata)


def test_citation_payloads_and_rag_metadata_are_dicts() -> None:
    response = WrappedRAGResponse.from_dict(fixture_json("06-rag"))
    assert isinstance(response.results.metadata, dict)
    citations = response.results.citations
    assert isinstance(citations, list)
    assert citations
    payload = citations[0].payload
    assert isinstance(payload, CitationPayload)
    assert payload.get("text")  # the SDK's code reads payloads with .get()
    assert "metadata" in payload
    again = WrappedRAGResponse.from_dict(response.to_dict())
    assert again.to_dict() == response.to_dict()


def test_dict_arguments_accept_free_form_models(api_metadata: respx.Router) -> None:
    """A model read from one answer can be sent back as it is (it is a Mapping)."""
    metadata = MetadataObject.from_dict({"reviewed": True})
    with R2RClient(api_key="k") as client:
        client.documents.replace_metadata(DOC_ID, [metadata])
    assert json.loads(api_metadata.calls.last.request.content) == [{"reviewed": True}]


@pytest.fixture
def api_metadata() -> Any:
    with respx.mock(base_url=BASE) as router:
        router.put(f"/v3/documents/{DOC_ID}/metadata").mock(
            return_value=fixture_response("02-put-metadata")
        )
        yield router


def test_model_hints_resolve_at_run_time() -> None:
    import typing

    import r2r_api.models as models

    for name in models.__all__:
        cls = getattr(models, name)
        typing.get_type_hints(cls)
        for method in ("to_dict", "from_dict"):
            if hasattr(cls, method):
                typing.get_type_hints(getattr(cls, method))
    hints = typing.get_type_hints(DocumentResponse)
    assert hints["metadata"] is MetadataObject


# -- UNSET ----------------------------------------------------------------------------------


def test_unset_reads_as_unset_and_stays_one_object() -> None:
    assert repr(UNSET) == "UNSET"
    citation = Citation(id="1")
    assert "span=UNSET" in repr(citation)
    assert "object at 0x" not in repr(citation)
    for clone in (copy.copy(UNSET), copy.deepcopy(UNSET), pickle.loads(pickle.dumps(UNSET))):
        assert clone is UNSET
    deep = copy.deepcopy(citation)
    assert deep.span is UNSET
    assert deep.to_dict() == {"id": "1"}  # an UNSET copy is still left out of the body
    assert isinstance(UNSET, Unset)
    assert not UNSET


# -- the low-level package and streams -------------------------------------------------------


def _low_level_rag(kind: str, api: AuthenticatedClient, body: RAGRequest) -> object:
    if kind == "sync":
        return rag_api.sync_detailed(client=api, body=body)
    return asyncio.run(rag_api.asyncio_detailed(client=api, body=body))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_low_level_rag_with_a_stream_names_r2r_client(kind: str) -> None:
    api = AuthenticatedClient(base_url=BASE, token="k")
    body = RAGRequest.from_dict({"query": "q", "rag_generation_config": {"stream": True}})
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/rag").mock(return_value=fixture_response("07-rag-stream"))
        with pytest.raises(errors.StreamedResponseError) as info:
            _low_level_rag(kind, api, body)
        assert router.calls.last.request.headers["authorization"] == "Bearer k"
    assert "r2r_client" in str(info.value)
    assert "stream=True" in str(info.value)
    assert info.value.status_code == 200
    assert info.value.content_type.startswith("text/event-stream")


def test_low_level_rag_json_still_parses() -> None:
    api = AuthenticatedClient(base_url=BASE, token="k")
    with respx.mock(base_url=BASE) as router:
        router.post("/v3/retrieval/rag").mock(return_value=fixture_response("06-rag"))
        parsed = rag_api.sync(client=api, body=RAGRequest(query="q"))
    assert isinstance(parsed, WrappedRAGResponse)


# -- the template is generic: typed and nullable free-form schemas ---------------------------


def test_template_handles_typed_and_nullable_free_form_schemas(tmp_path: Path) -> None:
    pytest.importorskip("openapi_python_client", reason="the generator pins are not installed")
    document = yaml.safe_load((ROOT / "openapi" / "r2r-v3.yaml").read_text())
    schemas = document["components"]["schemas"]
    schemas["JsonValue"] = {
        "anyOf": [
            {"type": "string"},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "null"},
            {"type": "array", "items": {}},
            {"type": "object", "additionalProperties": True},
        ]
    }
    schemas["MetadataObject"]["additionalProperties"] = {"$ref": "#/components/schemas/JsonValue"}
    schemas["CitationPayload"]["additionalProperties"] = {"$ref": "#/components/schemas/ImageData"}
    schemas["DocumentResponse"]["properties"]["metadata"] = {
        "anyOf": [{"$ref": "#/components/schemas/MetadataObject"}, {"type": "null"}]
    }
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document))
    target = tmp_path / "out" / "generated" / "r2r_api"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "generator" / "generate.py"),
            "--root",
            str(tmp_path / "out"),
            "--document",
            str(changed),
        ],
        check=True,
        capture_output=True,
    )
    script = """
import json
from r2r_api.models import CitationPayload, DocumentResponse, ImageData, MetadataObject
m = MetadataObject.from_dict({"a": 1, "b": {"c": [1, "x"]}, "n": None})
assert isinstance(m, dict) and m["a"] == 1 and m["n"] is None and len(m) == 3
assert m.to_dict() == {"a": 1, "b": {"c": [1, "x"]}, "n": None}, m.to_dict()
p = CitationPayload.from_dict({"img": {"media_type": "image/png", "data": "AA=="}})
assert isinstance(p["img"], ImageData) and p.to_dict()["img"]["data"] == "AA=="
doc = {"id": "927d1a3f-8a57-5829-aa2e-c577fbc00d81", "collection_ids": [], "document_type": "txt",
       "metadata": None, "version": "v0"}
assert DocumentResponse.from_dict(doc).metadata is None
doc["metadata"] = {"k": "v"}
assert DocumentResponse.from_dict(doc).metadata == {"k": "v"}
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target.parent), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
