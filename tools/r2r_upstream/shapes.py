"""What one schema node admits, with `$ref`, `allOf`, `anyOf`/`oneOf` and nullability folded into
one comparable Shape.

R2R's FastAPI/pydantic app and our hand-written document spell the same contract differently
(`anyOf [X, null]` against `type [X, null]` or OpenAPI 3.0's `nullable`, a `$ref` against the
schema inline, `exclusiveMaximum: true` against a number). Folding each node into a Shape first
makes those spellings equal, so that only a real difference in what a field admits is reported.
Documentation keywords (descriptions, titles, examples) are dropped here: they are not contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .facets import NONE, Facets, canonical_json, facet_text, json_type
from .refs import ref_name, resolve_pointer

STRUCTURAL = {
    "$ref", "type", "nullable", "enum", "const", "allOf", "anyOf", "oneOf", "not",
    "properties", "required", "items", "additionalProperties",
}  # fmt: skip
DOCUMENTATION = {"description", "title", "example", "examples", "$comment", "externalDocs", "xml"}
LOWER_BOUNDS = {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"}
UPPER_BOUNDS = {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"}


def is_documentation(key: str) -> bool:
    """Whether a keyword only documents (and so is never compared)."""
    return key in DOCUMENTATION or key.startswith("x-")


@dataclass
class Shape:
    """One schema node: `types` None means unconstrained; child schemas are lists (allOf)."""

    types: set[str] | None = None
    enum: list[Any] | None = None
    facets: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, list[Any]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: list[Any] = field(default_factory=list)
    extra: list[Any] = field(default_factory=list)  # additionalProperties schemas
    refs: set[str] = field(default_factory=set)  # the $refs this node resolved through


def _all_of(shapes: list[Shape]) -> Shape:
    """What every one of `shapes` admits: types and enums intersect, bounds tighten."""
    out = Shape()
    for shape in shapes:
        if shape.types is not None:
            out.types = set(shape.types) if out.types is None else out.types & shape.types
        if shape.enum is not None:
            out.enum = (
                list(shape.enum)
                if out.enum is None
                else [
                    v
                    for v in out.enum
                    if canonical_json(v) in {canonical_json(w) for w in shape.enum}
                ]
            )
        for key, value in shape.facets.items():
            if key not in out.facets or canonical_json(out.facets[key]) == canonical_json(value):
                out.facets[key] = value
            elif key in LOWER_BOUNDS and isinstance(value, (int, float)):
                out.facets[key] = max(out.facets[key], value)
            elif key in UPPER_BOUNDS and isinstance(value, (int, float)):
                out.facets[key] = min(out.facets[key], value)
            elif key == "additionalProperties":
                out.facets[key] = False
            else:
                out.facets[key] = {"allOf": sorted([out.facets[key], value], key=canonical_json)}
        for name, schemas in shape.properties.items():
            out.properties.setdefault(name, []).extend(schemas)
        out.required |= shape.required
        out.items.extend(shape.items)
        out.extra.extend(shape.extra)
        out.refs |= shape.refs
    return out


def _any_of(shapes: list[Shape]) -> Shape:
    """What any one of `shapes` admits; a `null` option makes the rest nullable."""
    nullable = any(s.types == {"null"} for s in shapes)
    options = [s for s in shapes if s.types != {"null"}]
    if not options:
        return Shape(types={"null"}, refs=set().union(*(s.refs for s in shapes)))
    if len(options) == 1:
        out = options[0]
    else:
        out = Shape()
        out.types = (
            None
            if any(s.types is None for s in options)
            else set().union(*(s.types for s in options if s.types is not None))
        )
        if all(s.enum is not None for s in options):
            seen: dict[str, Any] = {}
            for s in options:
                seen.update({canonical_json(v): v for v in s.enum or []})
            out.enum = list(seen.values())
        for key in sorted({k for s in options for k in s.facets}):
            values = sorted(
                {canonical_json(s.facets[key]) if key in s.facets else NONE for s in options}
            )
            out.facets[key] = (
                options[0].facets[key] if len(values) == 1 else {"anyOf": values}
            )  # the same in every option, or which options say what
        for name in sorted({n for s in options for n in s.properties}):
            branches = [{"allOf": s.properties[name]} for s in options if name in s.properties]
            out.properties[name] = [branches[0] if len(branches) == 1 else {"anyOf": branches}]
        out.required = set.intersection(*(s.required for s in options))
        items = [{"allOf": s.items} for s in options if s.items]
        out.items = [items[0] if len(items) == 1 else {"anyOf": items}] if items else []
        extra = [{"allOf": s.extra} for s in options if s.extra]
        out.extra = [extra[0] if len(extra) == 1 else {"anyOf": extra}] if extra else []
    out.refs = set().union(*(s.refs for s in shapes))
    if nullable and out.types is not None:
        out.types = out.types | {"null"}
    return out


def shape_of(
    document: dict[str, Any], schema: Any, resolving: frozenset[str] = frozenset()
) -> Shape:
    """The Shape of `schema`; `resolving` guards against $ref loops inside one node."""
    if schema is True or schema is None:
        return Shape()
    if schema is False:
        return Shape(types=set())
    if not isinstance(schema, dict):
        return Shape()
    parts: list[Shape] = []
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref_name(ref)
        if name in resolving:
            parts.append(Shape(refs={name}))
        else:
            target = shape_of(document, resolve_pointer(document, ref), resolving | {name})
            target.refs.add(name)
            parts.append(target)
    own = Shape()
    declared = schema.get("type")
    if isinstance(declared, str):
        own.types = {declared}
    elif isinstance(declared, list):
        own.types = set(declared)
    if schema.get("nullable") is True and own.types is not None:
        own.types.add("null")
    if "const" in schema:
        own.enum = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        own.enum = list(schema["enum"])
    if own.enum is not None and own.types is None:
        own.types = {json_type(v) for v in own.enum}
    own.properties = {k: [v] for k, v in (schema.get("properties") or {}).items()}
    own.required = set(schema.get("required") or [])
    if "items" in schema and not isinstance(schema["items"], bool):
        own.items = [schema["items"]]
    additional = schema.get("additionalProperties")
    if isinstance(additional, dict) and additional:
        own.extra = [additional]
    if own.types is None and (own.properties or own.extra):
        own.types = {"object"}
    if own.types is None and own.items:
        own.types = {"array"}
    for key, value in schema.items():
        if key in STRUCTURAL - {"not", "additionalProperties", "items"} or is_documentation(key):
            continue
        if key == "additionalProperties" and value is not False:
            continue
        if key == "items" and not isinstance(value, bool):
            continue
        own.facets[key] = value
    if schema.get("exclusiveMinimum") is True:  # OpenAPI 3.0's boolean form
        own.facets["exclusiveMinimum"] = own.facets.pop("minimum", None)
    if schema.get("exclusiveMaximum") is True:
        own.facets["exclusiveMaximum"] = own.facets.pop("maximum", None)
    for key in ("exclusiveMinimum", "exclusiveMaximum"):
        if own.facets.get(key) is False:
            del own.facets[key]
    parts.append(own)
    for sub in schema.get("allOf") or []:
        parts.append(shape_of(document, sub, resolving))
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            parts.append(_any_of([shape_of(document, sub, resolving) for sub in schema[key]]))
    return _all_of(parts)


def describe(shape: Shape) -> Facets:
    """The facets of one node as report text; its children are places of their own."""
    facets: Facets = {}
    if shape.types is None:
        facets["type"] = "any"
    else:
        facets["type"] = "|".join(sorted(shape.types)) if shape.types else "never"
    if shape.enum is not None:
        facets["enum"] = canonical_json(sorted(shape.enum, key=canonical_json))
    for key, value in shape.facets.items():
        facets[key] = facet_text(key, value)
    return facets
