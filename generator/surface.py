"""Generate the typed surface of r2r_client from the OpenAPI document.

What users touch follows the document with nothing but `nox -s generate`:

- `r2r_client/_params.py`: a TypedDict (or alias) per request object (schema_types.py);
- `r2r_client/_operations.py`: what the client needs to know of each operation (method, path,
  parameters, the stream switch, the result model);
- `r2r_client/resources.py`: each operation as a method with the document's parameters, its
  `stream` overloads and docstrings, in four flavours (sync, async, raw, async raw);
- `r2r_client/events.py`: a typed event class per named event of the stream.

How an operation is exposed comes from its `x-python` extension in the document: the resource
and method names, the parameters that are positional (the official SDK's order), the name of an
array body, and where the stream switch sits (`stream: rag_generation_config.stream`). Every other
body field becomes a keyword-only argument, typed and documented from the document.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from schema_types import Field, SchemaTypes, TypedDictDef, join

TEMPLATES = Path(__file__).resolve().parent / "surface_templates"
PACKAGE = "r2r_client"
OUTPUTS = ("_params.py", "_operations.py", "resources.py", "events.py")
METHODS = ("get", "put", "post", "patch", "delete")
HEADER = (
    "# Generated from openapi/r2r-v3.yaml by generator/surface.py (nox -s generate): do not edit.\n"
)


@dataclass
class Param:
    """One argument of a generated method."""

    name: str
    annotation: str
    required: bool
    positional: bool
    doc: str
    location: str  # "path", "body" (a field of an object body) or "whole" (an array body)
    format: str | None = None  # a path parameter's format (e.g. "uuid"), checked before sending


@dataclass
class Method:
    operation_id: str
    constant: str  # the Operation's name in _operations.py
    resource: str
    name: str
    http_method: str
    path: str
    summary: str
    returns_doc: str
    result_model: str
    params: list[Param]
    body: str | None  # "object", "array" or None
    stream_param: str | None = None  # the parameter whose `stream` key switches to a stream
    streaming: TypedDictDef | None = None
    non_streaming: TypedDictDef | None = None
    base_config: str | None = None
    aliases: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def positional(self) -> list[Param]:
        return [p for p in self.params if p.positional]

    @property
    def keyword(self) -> list[Param]:
        return [p for p in self.params if not p.positional]


@dataclass
class Event:
    name: str
    cls: str
    model: str
    doc: str
    delta: bool


@dataclass(frozen=True)
class Flavour:
    """One of the four flavours of a resource class."""

    prefix: str
    is_async: bool
    raw: bool

    @property
    def client(self) -> str:
        return "AsyncR2RClient" if self.is_async else "R2RClient"

    @property
    def stream(self) -> str:
        return "AsyncRAGStream" if self.is_async else "RAGStream"

    @property
    def def_(self) -> str:
        return "async def" if self.is_async else "def"

    @property
    def await_(self) -> str:
        return "await " if self.is_async else ""

    @property
    def access(self) -> str:
        return "client.with_raw_response" if self.raw else "client"

    @property
    def class_note(self) -> str:
        notes = [
            " (async client)" if self.is_async else "",
            ", as `APIResponse`s" if self.raw else "",
        ]
        return "".join(notes)

    @property
    def returns_prefix(self) -> str:
        return "The HTTP response (`APIResponse`); its `.parse()` is: " if self.raw else ""


FLAVOURS = (
    Flavour("", is_async=False, raw=False),
    Flavour("Async", is_async=True, raw=False),
    Flavour("Raw", is_async=False, raw=True),
    Flavour("AsyncRaw", is_async=True, raw=True),
)


@dataclass
class Resource:
    name: str  # "retrieval"
    title: str  # "Retrieval"
    doc: str
    methods: list[Method]


def render(document: dict[str, Any], model_names: set[str]) -> dict[str, str]:
    """The generated modules (file name -> source, before formatting)."""
    types = SchemaTypes(document)
    methods = [_method(types, document, model_names, *where) for where in _operations(document)]
    resources = _resources(document, methods)
    events, end_event, error_event = _events(document, model_names)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["docstring"] = docstring
    environment.filters["wrap"] = wrap
    environment.filters["sentence"] = sentence
    environment.filters["quoted_union"] = quoted_union
    environment.tests["typeddict"] = lambda value: isinstance(value, TypedDictDef)
    context = {
        "header": HEADER,
        "definitions": types.ordered(),
        "methods": methods,
        "resources": resources,
        "flavours": FLAVOURS,
        "events": events,
        "end_event": end_event,
        "error_event": error_event,
        "TypedDictDef": TypedDictDef,
    }
    return {name: environment.get_template(f"{name}.jinja").render(context) for name in OUTPUTS}


# -- operations ---------------------------------------------------------------------------------


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and "x-python" in operation:
                found.append((path, method, operation))
    return found


def _method(
    types: SchemaTypes,
    document: dict[str, Any],
    model_names: set[str],
    path: str,
    http_method: str,
    operation: dict[str, Any],
) -> Method:
    spec = operation["x-python"]
    operation_id = operation["operationId"]
    positional = list(spec.get("positional") or [])
    params: list[Param] = []
    for parameter in operation.get("parameters") or []:
        if parameter["in"] != "path":
            raise SystemExit(f"{operation_id}: only path parameters are supported")
        schema = parameter.get("schema") or {}
        annotation = (
            "str | UUID"
            if schema.get("format") == "uuid"
            else _annotation(types, schema, model_names, parameter["name"])
        )
        params.append(
            Param(
                parameter["name"],
                annotation,
                True,
                False,
                parameter.get("description", ""),
                "path",
                schema.get("format"),
            )
        )
    body = None
    content = (operation.get("requestBody") or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema")
    if schema is not None:
        resolved = types.resolve(schema["$ref"]) if "$ref" in schema else schema
        if resolved.get("type") == "array":
            body = "array"
            name = spec["body"]
            params.append(
                Param(
                    name,
                    _annotation(types, resolved, model_names, _camel(name)),
                    True,
                    False,
                    resolved.get("description", ""),
                    "whole",
                )
            )
        else:
            body = "object"
            required = set(resolved.get("required") or [])
            for key, sub in (resolved.get("properties") or {}).items():
                annotation = _annotation(types, sub, model_names, _camel(key))
                if key not in required and not annotation.endswith("| None"):
                    annotation += " | None"  # an optional field's None means: not sent
                params.append(
                    Param(
                        key,
                        annotation,
                        key in required,
                        False,
                        sub.get("description", "") if isinstance(sub, dict) else "",
                        "body",
                    )
                )
    by_name = {p.name: p for p in params}
    for name in positional:
        if name not in by_name:
            raise SystemExit(f"{operation_id}: x-python.positional names an unknown field {name!r}")
        by_name[name].positional = True
    ordered = [by_name[n] for n in positional] + [p for p in params if not p.positional]
    seen_default = False
    for param in ordered:
        if param.positional and not param.required:
            seen_default = True
        elif param.positional and seen_default:
            raise SystemExit(f"{operation_id}: required {param.name!r} after an optional one")
    response = operation["responses"]["200"]
    result_schema = response["content"]["application/json"]["schema"]
    method = Method(
        operation_id=operation_id,
        constant=operation_id.upper(),
        resource=spec["resource"],
        name=spec["method"],
        http_method=http_method.upper(),
        path=path,
        summary=operation.get("summary", ""),
        returns_doc=response.get("description", ""),
        result_model=result_schema["$ref"].rsplit("/", 1)[-1],
        params=ordered,
        body=body,
    )
    if body == "object":
        method.aliases = _aliases(types, resolved)
    if "stream" in spec:
        _add_stream_variants(types, method, str(spec["stream"]), resolved)
    return method


def _annotation(types: SchemaTypes, schema: Any, model_names: set[str], hint: str) -> str:
    """A parameter's type: the TypedDict of the document, or the generated model itself."""
    nullable, core = _split_null(schema)
    if (
        isinstance(core, dict)
        and core.get("type") == "array"
        and isinstance(core.get("items"), dict)
    ):
        inner = _with_models(types, core["items"], model_names, hint + "Item")
        annotation = f"Sequence[{inner}]"
    else:
        annotation = _with_models(types, core, model_names, hint)
    return f"{annotation} | None" if nullable else annotation


def _with_models(types: SchemaTypes, schema: Any, model_names: set[str], hint: str) -> str:
    annotation = _qualified(types.type_of(schema, hint))
    models = []
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str):
        models.append(ref.rsplit("/", 1)[-1])
        # A schema made of others (allOf) accepts their models too: the body is checked anyway.
        target = types.resolve(ref)
        for part in target.get("allOf") or []:
            if "$ref" in part:
                models.append(part["$ref"].rsplit("/", 1)[-1])
    present = [f"models.{m}" for m in models if m in model_names]
    return " | ".join([annotation, *present]) if present else annotation


def _split_null(schema: Any) -> tuple[bool, Any]:
    """(nullable, the schema without its null option) for `anyOf: [X, {type: null}]`."""
    if not isinstance(schema, dict):
        return False, schema
    for choice in ("anyOf", "oneOf"):
        options = schema.get(choice)
        if isinstance(options, list):
            rest = [o for o in options if o != {"type": "null"}]
            if len(rest) == 1 and len(rest) < len(options):
                return True, rest[0]
    return False, schema


def _qualified(annotation: str) -> str:
    return re.sub(r"\b([A-Z]\w*Param)\b", r"params.\1", annotation)


def _aliases(types: SchemaTypes, body: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(parameter, alias, canonical key) for every `x-alias-of` one level inside the body."""
    found = []
    for key, sub in (body.get("properties") or {}).items():
        _, core = _split_null(sub)
        target = types.resolve(core["$ref"]) if isinstance(core, dict) and "$ref" in core else core
        for part in [
            target,
            *[types.resolve(p["$ref"]) for p in target.get("allOf") or [] if "$ref" in p],
        ]:
            for name, prop in (part.get("properties") or {}).items():
                if isinstance(prop, dict) and "x-alias-of" in prop:
                    found.append((key, name, str(prop["x-alias-of"])))
    return sorted(set(found))


def _add_stream_variants(
    types: SchemaTypes, method: Method, where: str, body: dict[str, Any]
) -> None:
    param_name, _, flag = where.partition(".")
    if flag != "stream":
        raise SystemExit(f"{method.operation_id}: x-python.stream must name `<field>.stream`")
    _, core = _split_null(body["properties"][param_name])
    base = types.named(core["$ref"])
    streaming_field = Field("stream", "Literal[True]", True, "Stream the answer (required here).")
    plain_field = Field("stream", "Literal[False]", False, "Absent or False: an answer as JSON.")
    stem = base[: -len("Param")]
    method.stream_param = param_name
    method.base_config = base
    streaming = types.variant(
        base,
        f"Streaming{stem}Param",
        f"`{param_name}` asking for a stream: `stream` is True.",
        {"stream": streaming_field},
    )
    plain = types.variant(
        base,
        f"NonStreaming{stem}Param",
        f"`{param_name}` for an answer as JSON: `stream` absent or False.",
        {"stream": plain_field},
    )
    method.streaming = types.definitions[streaming]  # type: ignore[assignment]
    method.non_streaming = types.definitions[plain]  # type: ignore[assignment]


def _resources(document: dict[str, Any], methods: list[Method]) -> list[Resource]:
    tags = {t["name"]: t.get("description", "") for t in document.get("tags") or []}
    grouped: dict[str, list[Method]] = {}
    for method in methods:
        grouped.setdefault(method.resource, []).append(method)
    return [
        Resource(name, _camel(name), tags.get(name, "").rstrip("."), grouped[name])
        for name in grouped
    ]


# -- events -------------------------------------------------------------------------------------


def _events(document: dict[str, Any], model_names: set[str]) -> tuple[list[Event], str, str]:
    """The named events of every `text/event-stream` answer with a payload schema."""
    events: dict[str, Event] = {}
    end_event = error_event = ""
    for _path, _method_name, operation in _operations(document):
        for response in (operation.get("responses") or {}).values():
            stream = ((response.get("content") or {}).get("text/event-stream") or {}).get("schema")
            if not isinstance(stream, dict):
                continue
            end_event = stream.get("x-end-event", end_event)
            error_event = stream.get("x-error-event", error_event)
            for option in stream.get("oneOf") or []:
                props = option.get("properties") or {}
                name = (props.get("event") or {}).get("const")
                payload = ((props.get("data") or {}).get("contentSchema") or {}).get("$ref")
                if not name or not payload or name in (end_event, error_event):
                    continue
                model = payload.rsplit("/", 1)[-1]
                if model not in model_names:
                    raise SystemExit(f"event {name!r}: no generated model {model}")
                schema = SchemaTypes(document).resolve(payload)
                delta = "delta" in (schema.get("properties") or {})
                events[name] = Event(
                    name, _camel(name) + "Event", model, schema.get("description", ""), delta
                )
    if not end_event or not error_event:
        raise SystemExit("the event stream schema needs x-end-event and x-error-event")
    return list(events.values()), end_event, error_event


# -- text ---------------------------------------------------------------------------------------


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def wrap(text: str, indent: int, used: int | None = None, width: int = 99) -> str:
    """Reflow a description's paragraphs to `width` columns.

    Lines after the first start with `indent` spaces; the first line already has `used` columns
    taken (by the docstring's quotes or an argument's name), `indent` when None.
    """
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append("")
        taken = (indent if used is None else used) if number == 0 else indent
        wrapped = textwrap.wrap(
            paragraph,
            width=width,
            initial_indent=" " * taken,
            subsequent_indent=" " * indent,
            break_on_hyphens=False,
            break_long_words=False,
        )
        if number == 0 and wrapped:
            wrapped[0] = wrapped[0][taken:]
        lines.extend(wrapped)
    return "\n".join(lines)


def docstring(text: str, indent: int, used: int | None = None) -> str:
    """Text for inside a docstring: backslashes and quotes escaped, then wrapped."""
    # 96: room for the closing quotes on the last line
    return wrap(text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"'), indent, used, width=96)


def quoted_union(expr: str, used: int) -> str:
    """A type expression as a string (it names something defined later), split into adjacent
    literals in parentheses when it would not fit on one line."""
    if used + len(expr) + 2 <= 100:
        return f'"{expr}"'
    parts = expr.split(" | ")
    lines, line = [], ""
    for part in parts:
        piece = part if not line else f"{line} | {part}"
        if len(piece) > 80 and line:
            lines.append(f'    "{line} | "')
            line = part
        else:
            line = piece
    lines.append(f'    "{line}"')
    return "(\n" + "\n".join(lines) + "\n)"


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", ":", "!", "?")) else text + "."


__all__ = ["OUTPUTS", "join", "render"]
