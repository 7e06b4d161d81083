"""tools/upstream.py: the drift report names what changed, and coverage finds unlisted fields."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("upstream_tool", ROOT / "tools" / "upstream.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def snapshot(tool: ModuleType) -> dict[str, Any]:
    snapshot: dict[str, Any] = json.loads(tool.SNAPSHOT.read_text(encoding="utf-8"))
    return snapshot


def test_snapshot_holds_exactly_the_three_operations(
    tool: ModuleType, snapshot: dict[str, Any]
) -> None:
    assert {(p, m) for p, ops in snapshot["paths"].items() for m in ops} == set(tool.OPERATIONS)
    assert tool.trim(snapshot) == snapshot  # trimming is idempotent: nothing unreferenced kept
    assert tool.diff(snapshot, snapshot) == []


def test_diff_names_added_removed_and_changed_fields(
    tool: ModuleType, snapshot: dict[str, Any]
) -> None:
    changed = copy.deepcopy(snapshot)
    schemas = changed["components"]["schemas"]
    del schemas["SearchSettings"]["properties"]["offset"]
    schemas["SearchSettings"]["properties"]["rerank"] = {"type": "boolean"}
    schemas["SearchMode"]["enum"].append("turbo")
    schemas["HybridSearchSettings"]["properties"]["rrf_k"]["type"] = "number"
    completion = changed["paths"]["/v3/retrieval/completion"]["post"]
    completion["parameters"][0]["required"] = True
    report = "\n".join(tool.diff(snapshot, changed))
    assert "POST /v3/retrieval/rag:" in report
    assert "- body.search_settings.offset: type integer" in report
    assert "+ body.search_settings.rerank: type boolean" in report
    assert "'turbo'" in report
    assert "~ body.search_mode:" in report
    assert "~ body.search_settings.hybrid_settings.rrf_k: type integer  ->  type number" in report
    assert "~ parameter query response_model: type any  ->  type any, required" in report


def test_coverage_finds_a_field_our_document_lacks(
    tool: ModuleType, snapshot: dict[str, Any]
) -> None:
    ours = yaml.safe_load((ROOT / "openapi" / "r2r-v3.yaml").read_text(encoding="utf-8"))
    assert tool.coverage(snapshot, ours) == ([], [])
    changed = copy.deepcopy(snapshot)
    changed["components"]["schemas"]["SearchSettings"]["properties"]["rerank"] = {"type": "boolean"}
    missing, stale = tool.coverage(changed, ours)
    assert missing == ["POST /v3/retrieval/rag body.search_settings.rerank"]
    assert stale == []
