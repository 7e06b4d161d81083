"""Shared fixtures: one home for what more than one test module needs."""

from __future__ import annotations

import json
import sys
import types
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import httpx._transports.default as _httpx_default
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests import their small helpers directly

from _helpers import Sleeps

import r2r_client._async_client as async_client_module
import r2r_client._client as client_module

_SSL_CONTEXT: list[Any] = []


def _cached_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
    if verify is not True or cert is not None:
        return httpx.create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)
    if not _SSL_CONTEXT:
        _SSL_CONTEXT.append(httpx.create_ssl_context())
    return _SSL_CONTEXT[0]


@pytest.fixture(autouse=True)
def _shared_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test's httpx clients share one TLS context, built once: each new client otherwise
    spends ~60 ms loading CA certificates. No test opens a TLS connection."""
    monkeypatch.setattr(_httpx_default, "create_ssl_context", _cached_ssl_context)


@pytest.fixture(autouse=True)
def _no_env_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's R2R_API_KEY / R2R_API_BASE never reach a test (a test sets them itself)."""
    monkeypatch.delenv("R2R_API_KEY", raising=False)
    monkeypatch.delenv("R2R_API_BASE", raising=False)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    """The client's retry waits, recorded instead of slept (sync and async)."""
    record = Sleeps()

    async def async_sleep(delay: float) -> None:
        record.record(delay)

    monkeypatch.setattr(client_module, "time", types.SimpleNamespace(sleep=record.record))
    monkeypatch.setattr(async_client_module, "asyncio", types.SimpleNamespace(sleep=async_sleep))
    return record


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    """The document as shipped in the generated package (test_generation: equal to openapi/)."""
    text = resources.files("r2r_api").joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document
