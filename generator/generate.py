"""Generate everything that follows from openapi/r2r-v3.yaml: `nox -s generate`.

- `generated/r2r_api`: the low-level package (openapi-python-client, our templates);
- the typed surface of `r2r_client` (generator/surface.py): `_params.py`, `_operations.py`,
  `resources.py` (every operation in four flavours) and `events.py`;
- the sync client, derived from the async one (generator/unasync.py): `_client.py` and
  `_stream.py`.

Run it with the interpreter of an environment that has generator/requirements.txt installed
(`nox -s generate` does that). Generation always goes into a temporary folder first, so a failed
run leaves the committed files untouched.

    python generator/generate.py            # regenerate in place
    python generator/generate.py --check    # fail, with a diff, if anything generated drifted
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import surface
import unasync

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "openapi" / "r2r-v3.yaml"
CONFIG = ROOT / "generator" / "config.yaml"
TEMPLATES = ROOT / "generator" / "templates"  # our own templates, replacing the generator's
UPSTREAM_TEMPLATES = (
    ROOT / "generator" / "upstream-templates"
)  # pristine copies of what we override
PINS = ROOT / "generator" / "requirements.txt"
LOW_LEVEL = Path("generated") / "r2r_api"
WRAPPER = Path("wrapper") / "r2r_client"
RUFF_CONFIG = ROOT / "pyproject.toml"  # the project's own lint and format settings
FIX_COMMAND = "nox -s generate"
HEADER = "# Generated from {source} by {tool} (nox -s generate): do not edit.\n"


def outputs() -> list[Path]:
    """Everything generation writes, relative to the repository."""
    wrapper = [WRAPPER / name for name in (*surface.OUTPUTS, *(p[1] for p in unasync.PAIRS))]
    return [LOW_LEVEL, *wrapper]


def _tool(name: str) -> str:
    """The generator's own scripts live beside the interpreter running this file."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def generate_into(root: Path, document: Path = DOCUMENT, sources: Path = ROOT) -> None:
    """Generate every output (see `outputs`) under `root`; hand-written inputs from `sources`."""
    package = root / LOW_LEVEL
    package.parent.mkdir(parents=True, exist_ok=True)
    _low_level(package, document)
    wrapper = root / WRAPPER
    wrapper.mkdir(parents=True, exist_ok=True)
    spec = _load_yaml(document)
    assert isinstance(spec, dict)
    written = []
    for name, text in surface.render(spec, _model_names(package)).items():
        (wrapper / name).write_text(text, encoding="utf-8")
        written.append(wrapper / name)
    for source, target in unasync.PAIRS:
        text = (sources / WRAPPER / source).read_text(encoding="utf-8")
        header = HEADER.format(tool="generator/unasync.py", source=source)
        (wrapper / target).write_text(unasync.unasync(text, source, header), encoding="utf-8")
        written.append(wrapper / target)
    _format(written)


def check_template_baseline() -> list[str]:
    """Problems with the pristine upstream templates our overrides were made from.

    Each template we override (generator/templates/) has the upstream original of the pinned
    openapi-python-client beside it (generator/upstream-templates/openapi-python-client-<pin>/),
    so that a generator upgrade is a three-way merge: `git merge-file ours old-pristine
    new-pristine`. When the pin moves without the templates being re-based, this says so.
    """
    pin = re.search(r"^openapi-python-client==(\S+)$", PINS.read_text(encoding="utf-8"), re.M)
    if pin is None:
        return [f"{PINS.name} pins no openapi-python-client"]
    version = pin.group(1)
    baseline = UPSTREAM_TEMPLATES / f"openapi-python-client-{version}"
    import openapi_python_client

    installed = Path(openapi_python_client.__file__).parent / "templates"
    problems = []
    if not baseline.is_dir():
        kept = (
            sorted(p.name for p in UPSTREAM_TEMPLATES.iterdir())
            if UPSTREAM_TEMPLATES.is_dir()
            else []
        )
        problems.append(
            f"the generator is pinned at {version}, but the pristine templates are for "
            f"{', '.join(kept) or 'no version'}: re-base generator/templates/ (for each file, "
            "`git merge-file <ours> <old pristine> <new pristine>`), then copy the new pristine "
            f"templates to {baseline.relative_to(ROOT)}/"
        )
        return problems
    for ours in sorted(TEMPLATES.iterdir()):
        pristine = baseline / ours.name
        upstream = installed / ours.name
        if not pristine.is_file():
            problems.append(
                f"{ours.name} is overridden but has no pristine copy in "
                f"{baseline.relative_to(ROOT)}/"
            )
        elif not upstream.is_file():
            problems.append(
                f"{ours.name}: openapi-python-client {version} has no such template any more"
            )
        elif pristine.read_bytes() != upstream.read_bytes():
            problems.append(
                f"{ours.name}: the pristine copy differs from openapi-python-client {version}'s "
                "template (copied from another version?)"
            )
    return problems


def _model_names(package: Path) -> set[str]:
    """The generated models' names (from the models package's `__all__`)."""
    text = (package / "models" / "__init__.py").read_text(encoding="utf-8")
    block = text[text.index("__all__") :]
    return set(re.findall(r'"(\w+)"', block))


def _format(files: list[Path]) -> None:
    """The project's own ruff fixes and formatting, so generated modules pass `nox -s lint`."""
    ruff = _tool("ruff")
    names = [str(f) for f in files]
    common = ["--config", str(RUFF_CONFIG), "--no-cache", "--quiet"]
    subprocess.run([ruff, "check", *common, "--fix-only", "--exit-zero", *names], check=True)
    subprocess.run([ruff, "format", *common, *names], check=True)
    subprocess.run([ruff, "check", *common, *names], check=True)


def _low_level(package: Path, document: Path) -> None:
    """openapi-python-client, with our templates, into `package`."""
    out_dir = package.parent
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
    """The generated files under `root`, by path relative to it."""
    found = {}
    for output in outputs():
        path = root / output
        if path.is_file():
            found[str(output)] = path.read_bytes()
        elif path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and "__pycache__" not in p.parts:
                    found[str(p.relative_to(root))] = p.read_bytes()
    return found


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
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the tree to write into or check (the repository)"
    )
    parser.add_argument("--document", type=Path, default=DOCUMENT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    problems = check_template_baseline()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    sources = args.root if (args.root / WRAPPER / unasync.PAIRS[0][0]).is_file() else ROOT
    with tempfile.TemporaryDirectory(prefix="r2r-gen-") as tmp:
        fresh = Path(tmp)
        generate_into(fresh, args.document, sources)
        if args.check:
            diff = diff_trees(fresh, args.root)
            if diff:
                sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
                print(
                    f"\nThe generated files do not match {args.document}.\n"
                    f"Fix: run `{FIX_COMMAND}` and commit the result (generated files are never "
                    "edited by hand: edit the document, a template, or an async source).",
                    file=sys.stderr,
                )
                return 1
            print("generated files match the document.")
            return 0
        for output in outputs():
            target = args.root / output
            if target.is_dir():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            if (fresh / output).is_dir():
                shutil.copytree(fresh / output, target)
            else:
                shutil.copyfile(fresh / output, target)
    print(f"Regenerated {', '.join(str(o) for o in outputs())}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
