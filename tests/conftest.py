"""Shared fixtures."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests import their small helpers directly

from _helpers import share_ssl_context


@pytest.fixture(autouse=True)
def _shared_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test's httpx clients share one TLS context (no test opens a TLS connection)."""
    share_ssl_context(monkeypatch)


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    """The document as shipped in the generated package (test_generation: equal to openapi/)."""
    text = resources.files("r2r_api").joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document
