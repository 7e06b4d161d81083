"""The API record catches what a change to the document does to users, on temporary copies.

The committed record itself is checked by `nox -s api_check`; here a copy of the project has a
field retyped in its OpenAPI document, is regenerated, and must fail the check with a
breaking-change report until the record is regenerated, the version bumped past the released
one and the changelog has the new version.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
RECORD_TOOL = ROOT / "api" / "record.py"

pytest.importorskip("griffe", reason="griffe (requirements/dev.txt) is not installed")
pytest.importorskip("openapi_python_client", reason="the generator pins are not installed")


def _record(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(RECORD_TOOL),
            *command,
            "--record",
            str(project / "api" / "r2r-client.api.md"),
            "--baseline",
            str(project / "api" / "released.api.md"),
            "--code",
            str(project / "wrapper"),
            str(project / "generated"),
            "--changelog",
            str(project / "CHANGELOG.md"),
        ],
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the code and the record, the document's DocumentResponse.title retyped."""
    copy = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "wrapper", copy / "wrapper", ignore=ignore)
    shutil.copytree(ROOT / "api", copy / "api", ignore=ignore)
    shutil.copytree(ROOT / "generated", copy / "generated", ignore=ignore)
    shutil.copy(ROOT / "CHANGELOG.md", copy / "CHANGELOG.md")
    assert _record(copy, "check").returncode == 0, "the committed record is stale: nox -s api"
    # As right after a release: the current record is the released one.
    shutil.copy(copy / "api" / "r2r-client.api.md", copy / "api" / "released.api.md")

    document = yaml.safe_load((ROOT / "openapi" / "r2r-v3.yaml").read_text())
    title = document["components"]["schemas"]["DocumentResponse"]["properties"]["title"]
    assert title["type"] == ["string", "null"]
    title["type"] = ["integer", "null"]
    changed = copy / "changed.json"
    changed.write_text(json.dumps(document))
    generate = [sys.executable, str(ROOT / "generator" / "generate.py")]
    target = ["--root", str(copy), "--document", str(changed)]
    subprocess.run([*generate, *target], check=True, capture_output=True)
    return copy


def test_a_retyped_field_fails_the_check_with_a_breaking_change(project: Path) -> None:
    result = _record(project, "check")
    assert result.returncode == 1
    assert "The API record is stale" in result.stderr
    assert "Breaking changes from the committed record" in result.stdout
    assert (
        "r2r_api.models.document_response.DocumentResponse.title: attribute type changed: "
        "None | str | Unset -> int | None | Unset"
    ) in result.stdout
    assert "-    title: None | str | Unset = UNSET" in result.stdout  # the record's diff
    assert "+    title: int | None | Unset = UNSET" in result.stdout
    assert "version bump" in result.stderr
    assert "nox -s api" in result.stderr


def test_the_check_passes_after_regeneration_bump_and_changelog(project: Path) -> None:
    record = project / "api" / "r2r-client.api.md"
    version = project / "wrapper" / "r2r_client" / "_version.py"
    current = re.search(r'"(\d+)\.(\d+)\.\d+"', version.read_text())
    assert current is not None
    old = f"{current[1]}.{current[2]}.0"
    new = f"{current[1]}.{int(current[2]) + 1}.0"  # before 1.0: a minor bump
    written = _record(project, "write")  # one command, whatever changed
    assert written.returncode == 0
    assert "title: int | None | Unset = UNSET" in record.read_text()
    assert f"Breaking changes since the released {old}" in written.stdout
    still = _record(project, "check")  # fresh now, but the version rule is not met
    assert still.returncode == 1
    assert f"need a version bump: the package is still {old}" in still.stderr
    assert "stale" not in still.stderr

    version.write_text(version.read_text().replace(f'"{old}"', f'"{new}"'))
    assert _record(project, "write").returncode == 0
    no_entry = _record(project, "check")
    assert no_entry.returncode == 1
    assert f"CHANGELOG.md has no section for {new}" in no_entry.stderr

    changelog = project / "CHANGELOG.md"
    entry = f"## [{new}]\n\n### Changed\n\n- `DocumentResponse.title` is an integer.\n\n"
    changelog.write_text(changelog.read_text().replace(f"## [{old}]", entry + f"## [{old}]"))
    check = _record(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"Version: {new}" in record.read_text()

    released = _record(project, "write", "--release")  # the release moves the baseline
    assert released.returncode == 0
    assert (project / "api" / "released.api.md").read_text() == record.read_text()


def test_an_added_optional_field_is_not_breaking(tmp_path: Path) -> None:
    """Only the record's staleness fails; no version bump is asked for."""
    (tmp_path / "api").mkdir()
    for name in ("r2r-client.api.md", "released.api.md"):
        shutil.copy(ROOT / "api" / name, tmp_path / "api" / name)
    shutil.copytree(
        ROOT / "wrapper", tmp_path / "wrapper", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(
        ROOT / "generated", tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "CHANGELOG.md", tmp_path / "CHANGELOG.md")
    model = tmp_path / "generated" / "r2r_api" / "models" / "citation.py"
    text = model.read_text()
    anchor = "\n    spans: list[CitationSpan] | Unset = UNSET\n"  # the class body's field
    assert text.count(anchor) == 1
    model.write_text(text.replace(anchor, anchor + "    mood: str | Unset = UNSET\n"))
    result = _record(tmp_path, "check")
    assert result.returncode == 1
    assert "+    mood: str | Unset = UNSET" in result.stdout
    assert "Breaking changes" not in result.stdout
    assert "version bump" not in result.stderr
    assert _record(tmp_path, "write").returncode == 0
    assert _record(tmp_path, "check").returncode == 0  # no bump needed
