"""Generation is reproducible, and check_generated catches every kind of drift."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "generator" / "generate.py"

pytest.importorskip("openapi_python_client", reason="the generator pins are not installed")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GENERATE), *args], capture_output=True, text=True, cwd=ROOT
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def generated_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh generation into a temporary target (the committed package is never touched)."""
    target = tmp_path_factory.mktemp("gen") / "r2r_api"
    result = _run("--target", str(target))
    assert result.returncode == 0, result.stderr
    return target


def test_committed_package_matches_the_document() -> None:
    result = _run("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generating_twice_gives_identical_bytes(generated_copy: Path, tmp_path: Path) -> None:
    second = tmp_path / "r2r_api"
    assert _run("--target", str(second)).returncode == 0
    assert _tree(second) == _tree(generated_copy)
    assert _tree(generated_copy) == _tree(ROOT / "generated" / "r2r_api")


def test_check_fails_after_a_hand_edit(generated_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "r2r_api"
    shutil.copytree(generated_copy, target)
    model = target / "models" / "message.py"
    model.write_text(model.read_text() + "\n# a hand edit\n")
    result = _run("--check", "--target", str(target))
    assert result.returncode == 1
    assert "-# a hand edit" in result.stdout
    assert "nox -s generate" in result.stderr


def test_check_fails_after_a_document_change(generated_copy: Path, tmp_path: Path) -> None:
    document = yaml.safe_load((ROOT / "openapi" / "r2r-v3.yaml").read_text())
    document["components"]["schemas"]["Message"]["properties"]["mood"] = {"type": "string"}
    changed = tmp_path / "changed.yaml"
    changed.write_text(json.dumps(document))
    result = _run("--check", "--target", str(generated_copy), "--document", str(changed))
    assert result.returncode == 1
    assert "+    mood: str | Unset = UNSET" in result.stdout


def test_shipped_document_equals_the_source(openapi: dict[str, object]) -> None:
    source = yaml.safe_load((ROOT / "openapi" / "r2r-v3.yaml").read_text())
    assert openapi == source


def test_generated_client_repr_hides_the_token() -> None:
    from r2r_api.client import AuthenticatedClient, Client

    secret = "sk-GENERATED-SECRET"
    authed = AuthenticatedClient(base_url="https://x", token=secret)
    plain = Client(base_url="https://x", headers={"Authorization": f"Bearer {secret}"})
    assert secret not in repr(authed)
    assert secret not in repr(plain)
