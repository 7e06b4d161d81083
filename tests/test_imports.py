"""What importing costs: every module imports on its own, and nothing loads before it is used.

- No import cycles: each module of r2r_client imports alone, first, in an interpreter that has
  no module of ours loaded (a cycle that works only in one import order fails here).
- `import r2r_client` loads nothing of the client until a name is used (the CLI's `--help` and
  argument errors stay at argparse's cost); a sync user never loads asyncio, nor uuid or
  ipaddress beyond what httpx itself loads; the generated models load one by one, on first use.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wrapper" / "r2r_client"


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def _wrapper_modules() -> list[str]:
    names = ["r2r_client"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="r2r_client."):
        if info.name != "r2r_client.testing.pytest_plugin":  # needs pytest: imported by pytest
            names.append(info.name)
    return sorted(names)


def test_every_wrapper_module_imports_alone_in_a_fresh_interpreter() -> None:
    modules = _wrapper_modules()
    assert {"r2r_client._client", "r2r_client.resources", "r2r_client.events"} <= set(modules)
    script = (
        "import importlib, json, sys\n"
        "failures = {}\n"
        "OURS = ('r2r_client', 'r2r_api')\n"
        f"for name in {modules!r}:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] in OURS]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failures[name] = f'{type(exc).__name__}: {exc}'\n"
        "print(json.dumps(failures))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {}


def test_importing_the_package_loads_nothing_of_the_client() -> None:
    loaded = _modules_after("import r2r_client")
    ours = {m for m in loaded if m.split(".")[0] in ("r2r_client", "r2r_api", "httpx", "attr")}
    assert ours == {"r2r_client"}


def test_a_sync_client_loads_neither_asyncio_nor_uuid_nor_ipaddress_beyond_httpx() -> None:
    httpx_alone = _modules_after("import httpx")
    ours = _modules_after(
        "from r2r_client import R2RClient; R2RClient('https://example.com', api_key='k')"
    )
    added = ours - httpx_alone
    for module in ("asyncio", "uuid", "ipaddress", "email.utils", "random", "jsonschema"):
        assert module not in added, module


def test_the_async_client_is_the_one_that_loads_asyncio() -> None:
    assert "asyncio" in _modules_after("from r2r_client import AsyncR2RClient")


def test_a_client_loads_no_generated_model_before_a_call() -> None:
    loaded = _modules_after("from r2r_client import R2RClient; R2RClient('https://example.com')")
    assert {m for m in loaded if m.startswith("r2r_api")} == {"r2r_api", "r2r_api.models"}


def test_one_model_does_not_import_every_model() -> None:
    loaded = _modules_after("import r2r_api.models.citation")
    models = {m for m in loaded if m.startswith("r2r_api.models.")}
    assert "r2r_api.models.citation" in models
    assert "r2r_api.models.wrapped_rag_response" not in models
    assert len(models) < 5
