"""Local `$ref`s (`#/components/...`): following one to its node, and finding every one under a
node.

Both documents lean on components: R2R's app puts every pydantic model there, and ours shares
its schemas the same way. Trimming keeps the components our operations reach through `$ref`;
shapes and places follow each `$ref` to compare what it stands for, not what it is called.
"""

from __future__ import annotations

from typing import Any

COMPONENTS = "#/components/"


def resolve_pointer(document: dict[str, Any], ref: str) -> Any:
    """The node a local `$ref` (`#/components/schemas/X`) points at."""
    target: Any = document
    for part in ref.lstrip("#/").split("/"):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    return target


def ref_name(ref: str) -> str:
    """What a `$ref` is called (`schemas/X`): the key a recursion is recognised by."""
    return ref[len(COMPONENTS) :] if ref.startswith(COMPONENTS) else ref


def deref(document: dict[str, Any], node: Any) -> Any:
    """`node` with its `$ref` chain followed (at most 20 links); its own keys win over the
    target's (OpenAPI 3.1 lets a `$ref` carry siblings)."""
    for _ in range(20):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        node = {
            **resolve_pointer(document, node["$ref"]),
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    return node


def component_refs(node: Any) -> set[tuple[str, str]]:
    """(component kind, name) of every local $ref under node."""
    found: set[tuple[str, str]] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENTS):
            kind, _, name = ref[len(COMPONENTS) :].partition("/")
            found.add((kind, name))
        for value in node.values():
            found |= component_refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= component_refs(value)
    return found
