"""The package loads lazily: `import r2r_client` costs nothing, each name loads what it needs.

Promises checked:
- every public name (`__all__`) is an attribute of the package, the same object on every
  access and from `from r2r_client import ...`; `dir(r2r_client)` lists each of them;
- an unknown name is an AttributeError naming the module and the attribute, as for any module;
- in a fresh interpreter, `import r2r_client` loads none of its modules nor httpx; an error
  class loads only the errors (and httpx); the sync client does not load the async one, nor
  asyncio.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import r2r_client


def test_every_public_name_is_an_attribute_listed_by_dir() -> None:
    assert len(r2r_client.__all__) == len(set(r2r_client.__all__)) > 40
    listed = dir(r2r_client)
    assert listed == sorted(listed)
    for name in r2r_client.__all__:
        assert name in listed, name
        value = getattr(r2r_client, name)
        assert value is getattr(r2r_client, name), name  # loaded once, then kept
        assert value is getattr(importlib.import_module("r2r_client"), name)
    assert r2r_client.R2RException is r2r_client.R2RError
    assert isinstance(r2r_client.__version__, str)


@pytest.mark.parametrize("name", r2r_client.__all__)
def test_a_name_not_loaded_yet_loads_on_first_access_and_stays(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in a new process: the name is not in the module yet, so the first access loads it."""
    value = getattr(r2r_client, name)
    monkeypatch.delitem(vars(r2r_client), name)
    assert name not in vars(r2r_client)
    assert getattr(r2r_client, name) is value
    assert vars(r2r_client)[name] is value  # kept: later accesses cost nothing
    assert name in dir(r2r_client)


def test_from_import_gives_the_same_objects() -> None:
    from r2r_client import AsyncR2RClient, ConfigurationError, R2RClient, RAGStream

    assert (R2RClient, AsyncR2RClient, ConfigurationError, RAGStream) == (
        r2r_client.R2RClient,
        r2r_client.AsyncR2RClient,
        r2r_client.ConfigurationError,
        r2r_client.RAGStream,
    )


@pytest.mark.parametrize("name", ["NoSuchThing", "r2r", "_EXPORTSX", "client"])
def test_an_unknown_name_is_an_attribute_error(name: str) -> None:
    with pytest.raises(AttributeError) as info:
        getattr(r2r_client, name)
    assert str(info.value) == f"module 'r2r_client' has no attribute {name!r}"
    assert not hasattr(r2r_client, name)
    with pytest.raises(ImportError):
        exec(f"from r2r_client import {name}", {})


PROBE = """
import json, sys
def loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] in ("r2r_client", "httpx", "asyncio"))
import r2r_client
steps = {"import": loaded()}
r2r_client.ConfigurationError
steps["error class"] = loaded()
r2r_client.R2RClient
steps["sync client"] = loaded()
r2r_client.AsyncR2RClient
steps["async client"] = loaded()
print(json.dumps(steps))
"""


@pytest.mark.introspects  # reads sys.modules in a fresh interpreter
def test_each_name_loads_only_what_it_needs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    steps = json.loads(done.stdout)
    assert steps["import"] == ["r2r_client"]
    ours = [m for m in steps["error class"] if m.startswith("r2r_client")]
    assert ours == ["r2r_client", "r2r_client.errors"]
    sync = set(steps["sync client"])
    assert {"r2r_client._client", "httpx"} <= sync
    assert not {"r2r_client._async_client", "r2r_client._async_stream", "asyncio"} & sync
    assert {"r2r_client._async_client", "asyncio"} <= set(steps["async client"])
