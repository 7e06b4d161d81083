"""pytest fixtures: `pytest_plugins = ["r2r_client.testing.pytest_plugin"]` enables them.

- `r2r_server`: a running FakeR2RServer, stopped after the test.
- `r2r_client`: an R2RClient bound to it (no retries delay surprises: defaults kept), closed
  after the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from r2r_client import R2RClient

from ._server import FakeR2RServer


@pytest.fixture
def r2r_server() -> Iterator[FakeR2RServer]:
    """A running FakeR2RServer, stopped after the test."""
    with FakeR2RServer() as server:
        yield server


@pytest.fixture
def r2r_client(r2r_server: FakeR2RServer) -> Iterator[R2RClient]:
    """An R2RClient bound to `r2r_server`, closed after the test."""
    with R2RClient(r2r_server.base_url, timeout=10.0) as client:
        yield client
