"""An operation flattened into places: `{location: facets}`, one entry per thing a client can
rely on.

A place is the operation itself (its security), a parameter, the request body and every field
under it, a response status, a response body (per media type) and every field under it, and, for
a `text/event-stream` whose events upstream describes, each event's payload and its fields. Two
documents are compared place by place, so a change deep inside a schema is named by where it is
(`response 200 body.results[].id`), not by which component it happens to live in. Recursive
schemas are walked along the `$ref` chain: a schema already on the current path is reported as
a reference to that place, not expanded again.
"""

from __future__ import annotations

from typing import Any

from .facets import Facets, facet_text
from .refs import deref
from .shapes import describe, is_documentation, shape_of

Location = tuple[str, ...]  # ("response 200", " body", ".results", "[]", ".id")
Flat = dict[Location, Facets]
PARAMETER_STRUCTURE = {"name", "in", "schema", "content", "required"}


def render(location: Location) -> str:
    """A location as the report writes it: `response 200 body.results[].id`."""
    return "".join(location)


def matches(pattern: Location, location: Location) -> bool:
    """Whether `location` is `pattern`, where a `.*` (any other key) of the pattern matches a
    named key."""
    return len(pattern) == len(location) and all(
        a == b or (a == ".*" and b.startswith(".")) for a, b in zip(pattern, location, strict=True)
    )


def body_root(media: str) -> str:
    """The first word of a body's places: `body` for JSON, else the media type's name."""
    base = media.split(";")[0].strip()
    return "body" if base == "application/json" else f"{base} body"


def _walk(
    document: dict[str, Any],
    schema: Any,
    location: Location,
    out: Flat,
    ancestors: dict[str, Location],
    required: bool | None,
) -> None:
    shape = shape_of(document, schema)
    facets = describe(shape)
    if required is not None:
        facets["required"] = "true" if required else "false"
    out[location] = facets
    loop = sorted(shape.refs & ancestors.keys())
    if loop:  # a schema already on this path: name the place it repeats, do not expand it
        facets["recursive"] = render(ancestors[loop[0]])
        return
    inner = {**ancestors, **dict.fromkeys(shape.refs, location)}
    for name, schemas in sorted(shape.properties.items()):
        child = schemas[0] if len(schemas) == 1 else {"allOf": schemas}
        _walk(document, child, (*location, f".{name}"), out, inner, name in shape.required)
    if shape.items:
        child = shape.items[0] if len(shape.items) == 1 else {"allOf": shape.items}
        _walk(document, child, (*location, "[]"), out, inner, None)
    if shape.extra:
        child = shape.extra[0] if len(shape.extra) == 1 else {"allOf": shape.extra}
        _walk(document, child, (*location, ".*"), out, inner, None)


def _events(document: dict[str, Any], schema: Any) -> dict[str, Any] | None:
    """{event name: payload schema} when a text/event-stream schema tells events apart by a
    constant `event` (one branch of oneOf/anyOf per event), else None."""
    resolved = deref(document, schema)
    if not isinstance(resolved, dict):
        return None
    branches = resolved.get("oneOf") or resolved.get("anyOf")
    if not branches:
        return None
    events: dict[str, Any] = {}
    for branch in branches:
        branch = deref(document, branch)
        properties = branch.get("properties") or {} if isinstance(branch, dict) else {}
        name = deref(document, properties.get("event") or {})
        names = [name["const"]] if "const" in name else name.get("enum") or []
        if len(names) != 1 or not isinstance(names[0], str):
            return None
        data = deref(document, properties.get("data") or {})
        events[names[0]] = data.get("contentSchema", data) if isinstance(data, dict) else data
    return events


def _security_text(document: dict[str, Any], requirements: list[dict[str, Any]]) -> str:
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    options = []
    for requirement in requirements:
        parts = []
        for name in sorted(requirement):
            scheme = deref(document, schemes.get(name) or {})
            kind = scheme.get("type", name)
            if kind == "http":
                parts.append(f"http {str(scheme.get('scheme', '')).lower()}")
            elif kind == "apiKey":
                parts.append(f"apiKey {scheme.get('in')} {scheme.get('name')}")
            else:
                parts.append(str(kind))
        options.append(" + ".join(parts) or "anonymous")
    return " | ".join(sorted(options))


def flatten(document: dict[str, Any], path: str, method: str) -> Flat:
    """One operation as {location: facets}: security, parameters, request body fields, response
    statuses, response bodies (every media type) and streamed events, down to every field."""
    operation = (document.get("paths") or {}).get(path, {}).get(method)
    out: Flat = {}
    if operation is None:
        return out
    top: Facets = {}
    security = operation.get("security", document.get("security"))
    if security is not None:
        top["security"] = _security_text(document, security)
    if operation.get("deprecated"):
        top["deprecated"] = "true"
    out[("operation",)] = top
    parameters = list(document["paths"][path].get("parameters") or []) + list(
        operation.get("parameters") or []
    )
    for parameter in parameters:
        parameter = deref(document, parameter)
        name = parameter["name"].lower() if parameter["in"] == "header" else parameter["name"]
        schema: Any = parameter.get("schema")
        for media in (parameter.get("content") or {}).values():
            schema = media.get("schema")  # a parameter has `schema` or one `content` entry
        location: Location = (f"parameter {parameter['in']} {name}",)
        _walk(document, schema, location, out, {}, bool(parameter.get("required")))
        for key, value in parameter.items():
            if key not in PARAMETER_STRUCTURE and not is_documentation(key):
                out[location][key] = facet_text(key, value)  # style, explode, deprecated, ...
    body = deref(document, operation.get("requestBody") or {})
    for media, content in sorted((body.get("content") or {}).items()):
        _walk(
            document,
            content.get("schema"),
            (body_root(media),),
            out,
            {},
            bool(body.get("required")),
        )
    for status, response in sorted((operation.get("responses") or {}).items()):
        response = deref(document, response)
        out[(f"response {status}",)] = {}
        for header, spec in sorted((response.get("headers") or {}).items()):
            spec = deref(document, spec)
            location = (f"response {status}", f" header {header.lower()}")
            _walk(document, spec.get("schema"), location, out, {}, bool(spec.get("required")))
        for media, content in sorted((response.get("content") or {}).items()):
            schema = content.get("itemSchema", content.get("schema"))
            events = _events(document, schema) if media.startswith("text/event-stream") else None
            root = (f"response {status}", f" {body_root(media)}")
            if events is None:
                _walk(document, schema, root, out, {}, None)
                continue
            envelope = {
                k: v for k, v in deref(document, schema).items() if k not in ("oneOf", "anyOf")
            }
            _walk(document, envelope, root, out, {}, None)
            for name, payload in sorted(events.items()):
                _walk(document, payload, (f"response {status}", f" event:{name}"), out, {}, None)
    return out
