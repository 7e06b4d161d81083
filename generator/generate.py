"""Generate the low-level package `r2r_api` from openapi/r2r-v3.yaml.

Run it with the interpreter of an environment that has generator/requirements.txt installed
(`nox -s generate` does that). Generation always goes into a temporary folder first, so a failed
run leaves the committed package untouched.

    python generator/generate.py            # regenerate generated/r2r_api in place
    python generator/generate.py --check    # fail, with a diff, if generated/ has drifted
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "openapi" / "r2r-v3.yaml"
CONFIG = ROOT / "generator" / "config.yaml"
TEMPLATES = ROOT / "generator" / "templates"  # our own templates, replacing the generator's
TARGET = ROOT / "generated" / "r2r_api"
FIX_COMMAND = "nox -s generate"


def _tool(name: str) -> str:
    """The generator's own scripts live beside the interpreter running this file."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def generate_into(out_dir: Path, document: Path = DOCUMENT) -> Path:
    """Generate the package into out_dir/r2r_api and return its path."""
    package = out_dir / "r2r_api"
    env = dict(os.environ)
    # Post-hooks run `ruff`: make sure it is the pinned one next to the generator.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("RUFF_CACHE_DIR", None)
    subprocess.run(
        [
            _tool("openapi-python-client"),
            "generate",
            "--path",
            str(document),
            "--config",
            str(CONFIG),
            "--custom-template-path",
            str(TEMPLATES),
            "--meta",
            "none",
            "--output-path",
            str(package),
            "--fail-on-warning",
        ],
        check=True,
        env=env,
        cwd=out_dir,
    )
    _redact_client_secrets(package / "client.py")
    (package / "py.typed").write_text("")
    # Ship the document with the package (the fake server validates requests against it).
    (package / "openapi.json").write_text(
        json.dumps(_load_yaml(document), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return package


# The generator's client classes print their token and headers in repr(); secrets must never
# appear there. Each edit must match exactly as often as expected, so that a generator upgrade
# that changes the template fails here loudly instead of silently leaking again.
_CLIENT_EDITS = (
    ("    token: str\n", "    token: str = field(repr=False)\n", 1),
    (
        '_headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")',
        '_headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers", repr=False)',
        2,
    ),
)


def _redact_client_secrets(client_py: Path) -> None:
    text = client_py.read_text(encoding="utf-8")
    for old, new, count in _CLIENT_EDITS:
        found = text.count(old)
        if found != count:
            raise SystemExit(f"{client_py.name}: expected {count} x {old.strip()!r}, found {found}")
        text = text.replace(old, new)
    client_py.write_text(text, encoding="utf-8")


def _load_yaml(path: Path) -> object:
    from ruamel.yaml import YAML  # the generator's own YAML parser, pinned with it

    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """A readable unified diff from actual (committed) to expected (fresh) content."""
    want, have = _files(expected), _files(actual)
    lines: list[str] = []
    for name in sorted(want.keys() | have.keys()):
        old, new = have.get(name), want.get(name)
        if old == new:
            continue
        old_text = (old or b"").decode("utf-8", "replace").splitlines(keepends=True)
        new_text = (new or b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines.extend(
            difflib.unified_diff(
                old_text,
                new_text,
                fromfile=f"committed/{name}" if old is not None else "/dev/null",
                tofile=f"generated/{name}" if new is not None else "/dev/null",
            )
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--target", type=Path, default=TARGET, help=argparse.SUPPRESS)
    parser.add_argument("--document", type=Path, default=DOCUMENT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="r2r-gen-") as tmp:
        fresh = generate_into(Path(tmp), args.document)
        if args.check:
            diff = diff_trees(fresh, args.target)
            if diff:
                sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
                print(
                    f"\ngenerated/ does not match {args.document}.\n"
                    f"Fix: run `{FIX_COMMAND}` and commit the result.",
                    file=sys.stderr,
                )
                return 1
            print("generated/ matches the document.")
            return 0
        if args.target.exists():
            shutil.rmtree(args.target)
        args.target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, args.target)
    print(f"Regenerated {args.target}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
