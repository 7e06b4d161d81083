"""Generation: reproducible, complete, and checked, so a generated file is never edited by hand.

What `nox -s generate` writes (generator/generate.py): the low-level package `generated/r2r_api`,
the typed surface of r2r_client (`_params.py`, `_operations.py`, `resources.py`, `events.py`) and
the sync client and stream derived from their async sources (`_client.py`, `_stream.py`).
`nox -s check_generated` regenerates into a temporary folder and fails, with a unified diff and
the fix, when any of them differs: after a hand edit, a document change, an edit of an async
source without regenerating, or a generator upgrade without re-based templates.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "generator" / "generate.py"
GENERATED_WRAPPER = [
    "_params.py",
    "_operations.py",
    "resources.py",
    "events.py",
    "_client.py",
    "_stream.py",
]

pytest.importorskip("openapi_python_client", reason="the generator pins are not installed")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GENERATE), *args], capture_output=True, text=True, cwd=ROOT
    )


def _tree(root: Path) -> dict[str, bytes]:
    """Every generated file under `root` (a repository or a copy of its generated parts)."""
    found = {}
    for part in ("generated/r2r_api", *(f"wrapper/r2r_client/{n}" for n in GENERATED_WRAPPER)):
        path = root / part
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                found[str(file.relative_to(root))] = file.read_bytes()
    return found


def _copy_repository_parts(target: Path) -> Path:
    """What generation reads and writes, copied: a tree `--root` can regenerate or check."""
    for part in ("generated", "wrapper"):
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="module")
def generator_module() -> ModuleType:
    sys.path.insert(0, str(GENERATE.parent))
    spec = importlib.util.spec_from_file_location("r2r_generate", GENERATE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh generation into a copy of the repository's generated parts."""
    root = _copy_repository_parts(tmp_path_factory.mktemp("gen"))
    result = _run("--root", str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_the_committed_files_are_what_the_document_generates() -> None:
    result = _run("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("generated files match the document.")


def test_generating_twice_gives_identical_bytes(generated_copy: Path, tmp_path: Path) -> None:
    second = _copy_repository_parts(tmp_path)
    assert _run("--root", str(second)).returncode == 0
    assert _tree(second) == _tree(generated_copy)
    assert _tree(generated_copy) == _tree(ROOT)
    assert set(_tree(ROOT)) >= {f"wrapper/r2r_client/{name}" for name in GENERATED_WRAPPER}


def test_each_generated_module_says_so_in_its_first_line() -> None:
    for name in GENERATED_WRAPPER:
        first = (ROOT / "wrapper" / "r2r_client" / name).read_text().splitlines()[0]
        assert first.startswith("# Generated from "), name
        assert first.endswith("(nox -s generate): do not edit."), name


def test_check_fails_on_hand_edits_of_any_generated_file(
    generated_copy: Path, tmp_path: Path
) -> None:
    root = tmp_path / "edited"
    shutil.copytree(generated_copy, root)
    edited = [
        "generated/r2r_api/models/message.py",
        "wrapper/r2r_client/resources.py",
        "wrapper/r2r_client/_client.py",
    ]
    for name in edited:
        target = root / name
        target.write_text(target.read_text() + "# a hand edit\n")
    result = _run("--check", "--root", str(root))
    assert result.returncode == 1
    for name in edited:
        assert f"--- committed/{name}" in result.stdout
    assert result.stdout.count("-# a hand edit") == 3
    assert "Fix: run `nox -s generate` and commit the result" in result.stderr


def test_check_fails_when_an_async_source_changed_but_its_sync_twin_did_not(
    generated_copy: Path, tmp_path: Path
) -> None:
    root = tmp_path / "edited"
    shutil.copytree(generated_copy, root)
    source = root / "wrapper" / "r2r_client" / "_async_client.py"
    source.write_text(source.read_text().replace("Send until", "Send, until", 1))
    result = _run("--check", "--root", str(root))
    assert result.returncode == 1
    assert "+++ generated/wrapper/r2r_client/_client.py" in result.stdout
    assert '+        """Send, until an answer succeeds' in result.stdout


def test_a_document_change_reaches_the_models_the_types_and_the_signatures(
    generated_copy: Path, tmp_path: Path
) -> None:
    document = yaml.safe_load((ROOT / "openapi" / "r2r-v3.yaml").read_text())
    document["components"]["schemas"]["Message"]["properties"]["mood"] = {"type": "string"}
    document["components"]["schemas"]["RAGRequest"]["properties"]["tone"] = {
        "type": "string",
        "description": "How the answer should sound.",
    }
    changed = tmp_path / "changed.yaml"
    changed.write_text(json.dumps(document))
    result = _run("--check", "--root", str(generated_copy), "--document", str(changed))
    assert result.returncode == 1
    assert "+    mood: str | Unset = UNSET" in result.stdout  # the model
    assert "+    mood: str" in result.stdout  # MessageParam
    assert "+        tone: str | None = None," in result.stdout  # every flavour of rag()
    assert "+            tone: How the answer should sound." in result.stdout  # its docstring


def test_the_shipped_document_equals_the_source(openapi: dict[str, object]) -> None:
    source = yaml.safe_load((ROOT / "openapi" / "r2r-v3.yaml").read_text())
    assert openapi == source


def test_the_generated_client_repr_hides_the_token() -> None:
    from r2r_api.client import AuthenticatedClient, Client

    secret = "sk-GENERATED-SECRET"
    authed = AuthenticatedClient(base_url="https://x", token=secret)
    plain = Client(base_url="https://x", headers={"Authorization": f"Bearer {secret}"})
    assert secret not in repr(authed)
    assert secret not in repr(plain)


def test_the_overridden_templates_have_their_pristine_upstream_copies(
    generator_module: ModuleType,
) -> None:
    assert generator_module.check_template_baseline() == []


def test_a_generator_upgrade_without_rebased_templates_is_named(
    generator_module: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pins = tmp_path / "requirements.txt"
    pins.write_text(
        (ROOT / "generator" / "requirements.txt")
        .read_text()
        .replace("openapi-python-client==0.29.1", "openapi-python-client==0.30.0")
    )
    monkeypatch.setattr(generator_module, "PINS", pins)
    [problem] = generator_module.check_template_baseline()
    assert problem == (
        "the generator is pinned at 0.30.0, but the pristine templates are for "
        "openapi-python-client-0.29.1: re-base generator/templates/ (for each file, "
        "`git merge-file <ours> <old pristine> <new pristine>`), then copy the new pristine "
        "templates to generator/upstream-templates/openapi-python-client-0.30.0/"
    )


def test_a_pristine_copy_from_another_version_is_named(
    generator_module: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = tmp_path / "upstream"
    shutil.copytree(generator_module.UPSTREAM_TEMPLATES, baseline)
    edited = baseline / "openapi-python-client-0.29.1" / "model.py.jinja"
    edited.write_text(edited.read_text() + "{# changed #}\n")
    monkeypatch.setattr(generator_module, "UPSTREAM_TEMPLATES", baseline)
    assert generator_module.check_template_baseline() == [
        "model.py.jinja: the pristine copy differs from openapi-python-client 0.29.1's "
        "template (copied from another version?)"
    ]


def test_unasync_names_a_construct_it_cannot_translate() -> None:
    spec = importlib.util.spec_from_file_location("r2r_unasync", GENERATE.parent / "unasync.py")
    assert spec is not None
    assert spec.loader is not None
    unasync = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(unasync)

    with pytest.raises(SystemExit) as raised:
        unasync.unasync("x = 1\nasync_result = await_me(async with_it)\n", "_async_x.py", "")
    assert str(raised.value) == (
        "_async_x.py: `async` left on line 2 of its sync twin; add a substitution to "
        "generator/unasync.py or mark the line `# async only`"
    )
    sync = unasync.unasync(
        "import asyncio\nasync def f():\n    await asyncio.sleep(1)  # waits\n"
        "    marker()  # async only\n",
        "_async_x.py",
        "# header\n",
    )
    assert sync == "# header\nimport time\ndef f():\n    time.sleep(1)  # waits\n"
