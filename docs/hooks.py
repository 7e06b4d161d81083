"""MkDocs hook: fail the build (a warning, so --strict stops) on a public name without a docstring.

Public: what a user reaches without a leading underscore, through a package's `__all__` or a
module that is not private. Checked: modules, classes, functions, methods and properties of
`r2r_client` and `r2r_api`, inherited members included (a user sees them on the class).
Attributes are described by their class's or module's docstring and are not checked one by
one; dunder methods and generated boilerplate (the models' `to_dict`/`from_dict`/mapping
methods, documented once on the reference page) are not either, nor the generated modules'
own docstrings (the generator writes none; their classes and functions are checked).

A generated class takes its docstring from its schema's `description` in the OpenAPI
document (an enum's too, through generator/templates/str_enum.py.jinja): a schema without a
description fails the build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import griffe

log = logging.getLogger("mkdocs.hooks.docstrings")

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"r2r_client": ROOT / "wrapper", "r2r_api": ROOT / "generated"}
# The generated models' methods: the same on every model, documented on the models' page.
MODEL_BOILERPLATE = frozenset({"to_dict", "from_dict", "additional_keys", "additional_properties"})


def on_pre_build(config: Any) -> None:
    for path in sorted(set(missing_docstrings())):
        log.warning("public name without a docstring: %s", path)


def missing_docstrings() -> Iterator[str]:
    for name, folder in PACKAGES.items():
        package = griffe.load(name, search_paths=[str(folder)], resolve_aliases=True)
        yield from _module(package, seen=set())


def _public(name: str) -> bool:
    return not name.startswith("_")


def _module(module: griffe.Module, seen: set[str]) -> Iterator[str]:
    if module.path in seen:
        return
    seen.add(module.path)
    if not module.docstring and not module.path.startswith("r2r_api."):
        yield module.path
    exported = set(module.exports or ()) if module.exports is not None else None
    for name, member in module.members.items():
        if member.is_alias:
            if exported is None or name not in exported:
                continue  # an import, documented where it is defined
            try:
                target = member.final_target
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                continue  # outside the packages (e.g. a stdlib or httpx name)
        elif exported is not None and name not in exported and not member.is_module:
            continue
        else:
            target = member
        if not _public(name):
            continue
        if isinstance(target, griffe.Module):
            yield from _module(target, seen)
        elif isinstance(target, griffe.Class):
            yield from _class(target, seen)
        elif isinstance(target, griffe.Function) and not target.docstring:
            yield target.path


def _class(cls: griffe.Class, seen: set[str]) -> Iterator[str]:
    if cls.path in seen:
        return
    seen.add(cls.path)
    if not cls.docstring:
        yield cls.path
    model = cls.path.startswith("r2r_api.models.")
    for name, member in cls.all_members.items():
        if not _public(name) or (model and name in MODEL_BOILERPLATE):
            continue
        try:
            target = member.final_target if member.is_alias else member
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        callable_ = isinstance(target, griffe.Function) or (
            isinstance(target, griffe.Attribute) and "property" in target.labels
        )
        if callable_ and not target.docstring:
            yield f"{cls.path}.{name}"
