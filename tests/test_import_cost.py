"""`import r2r_client` stays light: the generated models and attrs load on first use."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_does_not_load_the_generated_package() -> None:
    loaded = _modules_after("import r2r_client")
    # Only the two lazy package modules, which name the models in annotations; no model, no attrs.
    assert {m for m in loaded if m.startswith(("r2r_api", "attr"))} == {"r2r_api", "r2r_api.models"}


def test_one_model_does_not_import_every_model() -> None:
    loaded = _modules_after("import r2r_api.models.citation")
    models = {m for m in loaded if m.startswith("r2r_api.models.")}
    assert "r2r_api.models.citation" in models
    assert "r2r_api.models.wrapped_rag_response" not in models
    assert len(models) < 5
