"""The document's request schemas as Python types: TypedDicts and aliases for r2r_client.params.

A schema becomes the narrowest type a type checker can hold it to:

- an object with `properties` and no `additionalProperties` is a closed TypedDict (an unknown key
  is a type error; a required property is `Required[...]`); keys that are not identifiers (the
  filter operators `$eq`, ...) use TypedDict's functional form;
- an object that admits other keys (`additionalProperties`) is a `Mapping[str, V]`, V the union
  of every value it admits: a TypedDict cannot say "these keys, and any other" (PEP 728 is not
  in mypy yet);
- `enum` / `const` are `Literal`s, `anyOf` / `oneOf` unions, `allOf` of objects one merged
  TypedDict, `not: {not: X}` is X (the document's way of hiding a recursive schema from the model
  generator), `not: {}` admits nothing and drops out of a union, a schema with no type
  constraint is `object`.

Each named schema (a `$ref` target) becomes one definition named `<Schema>Param`, once, so
recursive schemas (filters, JSON values) are recursive aliases. Descriptions become docstrings.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "format",
     "readOnly", "writeOnly", "$comment", "contentMediaType", "contentEncoding", "contentSchema"}
)  # fmt: skip
_JSON_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
NAME = re.compile(r"\b([A-Z]\w*Param)\b")


@dataclass
class Field:
    """One key of a TypedDict."""

    key: str
    type: str
    required: bool
    doc: str | None


@dataclass
class TypedDictDef:
    name: str
    doc: str | None
    fields: list[Field]

    @property
    def functional(self) -> bool:
        """Whether a key cannot be written in class syntax (not an identifier, or a keyword)."""
        return any(not f.key.isidentifier() or keyword.iskeyword(f.key) for f in self.fields)


@dataclass
class AliasDef:
    name: str
    doc: str | None
    expr: str
    quoted: bool = False  # set by `ordered()`: the alias names something defined after it


@dataclass
class SchemaTypes:
    """Translates the document's schemas; `definitions` collects what the translation named."""

    document: dict[str, Any]
    definitions: dict[str, TypedDictDef | AliasDef] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)  # $ref -> definition name

    # -- entry points -----------------------------------------------------------------------

    def type_of(self, schema: Any, hint: str) -> str:
        """The Python type of values of `schema`; `hint` names inline objects."""
        return join(self.alternatives(schema, hint))

    def named(self, ref: str) -> str:
        """The definition for a `$ref` target, created on first use."""
        name = self._names.get(ref)
        if name is not None:
            return name
        schema_name = ref.rsplit("/", 1)[-1]
        name = f"{schema_name}Param"
        if name in self.definitions:
            raise SystemExit(f"two schemas would both be named {name} ({ref})")
        self._names[ref] = name
        schema = self.resolve(ref)
        doc = _doc(schema)
        if self._is_closed_object(schema):
            definition: TypedDictDef | AliasDef = TypedDictDef(name, doc, [])
            self.definitions[name] = definition
            definition.fields = self._fields(schema, schema_name)
        else:
            placeholder = AliasDef(name, doc, "object")
            self.definitions[name] = placeholder
            placeholder.expr = join(self._alternatives_of_body(schema, schema_name))
        # Completed definitions move to the end: dependencies come before their users.
        self.definitions[name] = self.definitions.pop(name)
        return name

    def variant(self, base: str, name: str, doc: str, overrides: dict[str, Field]) -> str:
        """A copy of the TypedDict `base` with some fields replaced (`stream: Literal[True]`)."""
        original = self.definitions[base]
        if not isinstance(original, TypedDictDef):
            raise SystemExit(f"{base} is not a TypedDict, so it has no variants")
        fields = [overrides.get(f.key, f) for f in original.fields]
        self.definitions[name] = TypedDictDef(name, doc, fields)
        return name

    def ordered(self) -> list[TypedDictDef | AliasDef]:
        """Definitions in an order Python can execute; aliases naming later ones are quoted."""
        result = [
            d
            for d in self.definitions.values()
            if not (isinstance(d, AliasDef) and d.expr == "Never")
        ]
        position = {d.name: i for i, d in enumerate(result)}
        quoted: set[str] = set()  # a quoted alias is a str at run time: no `|` with it
        for index, definition in enumerate(result):
            if isinstance(definition, AliasDef):
                named = NAME.findall(definition.expr)
                definition.quoted = any(position.get(n, -1) >= index or n in quoted for n in named)
                if definition.quoted:
                    quoted.add(definition.name)
        return result

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise SystemExit(f"only local $refs are supported, got {ref!r}")
        target: Any = self.document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target

    # -- translation ------------------------------------------------------------------------

    def alternatives(self, schema: Any, hint: str) -> list[str]:
        if schema is True:
            return ["object"]
        if schema is False:
            return []
        if not isinstance(schema, dict):
            raise SystemExit(f"{hint}: a schema must be an object or a boolean")
        if isinstance(schema.get("$ref"), str):
            name = self.named(schema["$ref"])
            definition = self.definitions[name]
            return [] if isinstance(definition, AliasDef) and definition.expr == "Never" else [name]
        return self._alternatives_of_body(schema, hint)

    def _alternatives_of_body(self, schema: dict[str, Any], hint: str) -> list[str]:
        if isinstance(schema.get("$ref"), str):
            return [self.named(schema["$ref"])]
        negated = schema.get("not")
        if isinstance(negated, dict):
            rest = set(negated) - ANNOTATIONS
            if not rest:
                return []  # `not: {}`: nothing is valid
            if rest == {"not"}:  # `not: {not: X}` is X, more precise than the rest of the schema
                return self.alternatives(negated["not"], hint)
        if "const" in schema:
            return [_literal([schema["const"]])]
        if "enum" in schema:
            values = list(schema["enum"])
            found = (
                [_literal([v for v in values if v is not None])]
                if any(v is not None for v in values)
                else []
            )
            return found + (["None"] if None in values else [])
        if "allOf" in schema:
            return [self._merged(schema, hint)]
        for choice in ("anyOf", "oneOf"):
            if choice in schema:
                found = []
                for index, option in enumerate(schema[choice]):
                    found += self.alternatives(option, _option_hint(hint, option, index))
                return found
        types = schema.get("type")
        if types is None:
            if "properties" in schema or "additionalProperties" in schema:
                return [self._object(schema, hint)]
            return ["object"]
        found = []
        for kind in [types] if isinstance(types, str) else types:
            if kind == "null":
                found.append("None")
            elif kind in _JSON_SCALARS:
                found.append(_JSON_SCALARS[kind])
            elif kind == "array":
                items = schema.get("items", True)
                found.append(f"Sequence[{self.type_of(items, hint + 'Item')}]")
            elif kind == "object":
                found.append(self._object(schema, hint))
            else:
                raise SystemExit(f"{hint}: unknown JSON type {kind!r}")
        return found

    def _is_closed_object(self, schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        if "allOf" in schema:
            return True
        return (
            schema.get("type") in ("object", None)
            and bool(schema.get("properties"))
            and schema.get("additionalProperties", False) is False
            and not _refines(schema)
        )

    def _object(self, schema: dict[str, Any], hint: str) -> str:
        if self._is_closed_object(schema):
            name = self._unique(f"{hint}Param")
            definition = TypedDictDef(name, _doc(schema), [])
            self.definitions[name] = definition
            definition.fields = self._fields(schema, hint)
            self.definitions[name] = self.definitions.pop(name)
            return name
        values: list[str] = []
        for key, sub in (schema.get("properties") or {}).items():
            values += self.alternatives(sub, hint + _camel(key))
        extra = schema.get("additionalProperties", True)
        values += self.alternatives(extra, hint + "Value")
        return f"Mapping[str, {join(values) if values else 'object'}]"

    def _fields(self, schema: dict[str, Any], hint: str) -> list[Field]:
        if "allOf" in schema:  # later parts override the fields of earlier ones
            merged: dict[str, Field] = {}
            for part in schema["allOf"]:
                target = self.resolve(part["$ref"]) if "$ref" in part else part
                if not self._is_closed_object(target):
                    raise SystemExit(f"{hint}: allOf is only supported over closed objects")
                merged.update((f.key, f) for f in self._fields(target, hint))
            return list(merged.values())
        required = set(schema.get("required") or [])
        return [
            Field(key, self.type_of(sub, hint + _camel(key)), key in required, _doc(sub))
            for key, sub in (schema.get("properties") or {}).items()
        ]

    def _merged(self, schema: dict[str, Any], hint: str) -> str:
        """`allOf` of object schemas, inline: one TypedDict (see `_fields`)."""
        name = self._unique(f"{hint}Param")
        self.definitions[name] = TypedDictDef(name, _doc(schema), self._fields(schema, hint))
        return name

    def _unique(self, name: str) -> str:
        candidate, number = name, 2
        while candidate in self.definitions:
            candidate = f"{name[: -len('Param')]}{number}Param"
            number += 1
        return candidate


def join(alternatives: Iterable[str]) -> str:
    """A union of type expressions: duplicates removed, None last, `object` absorbing the rest."""
    unique = list(dict.fromkeys(alternatives))
    if not unique:
        return "Never"
    if "object" in unique:
        return "object"
    rest = [a for a in unique if a != "None"]
    return " | ".join(rest + (["None"] if "None" in unique else []))


def _option_hint(hint: str, option: Any, index: int) -> str:
    """The name of an inline option of anyOf/oneOf: an object of operators is `...Operator`."""
    properties = option.get("properties") if isinstance(option, dict) else None
    if properties and all(key.startswith("$") for key in properties):
        return f"{hint}Operator"
    return f"{hint}{index}" if index else hint


def _literal(values: list[Any]) -> str:
    return f"Literal[{', '.join(repr(v) for v in values)}]"


def _camel(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", key) if part)


def _refines(schema: dict[str, Any]) -> bool:
    negated = schema.get("not")
    return isinstance(negated, dict) and set(negated) - ANNOTATIONS == {"not"}


def _doc(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    text = schema.get("description")
    return str(text).strip() if text else None
