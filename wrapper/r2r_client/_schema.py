"""Check a request body against the OpenAPI document before sending it.

The document ships inside the generated package (`r2r_api/openapi.json`), so the rules live in
one place. Each schema is compiled once, on first use, into a tree of small checking
functions: a call then runs plain `isinstance` tests and dict look-ups, with no `$ref`
resolution and no walking of the schema's dicts. The checks accept exactly what JSON Schema
(draft 2020-12, as `jsonschema` implements it) accepts for JSON values; on top of that, values
JSON cannot carry (tuples are arrays, but non-string object keys, `Decimal`s and the like are
refused) get a clear error instead of failing later in the encoder.

Errors name the first field that does not fit: `InvalidRequestError("search_settings.limit",
"must be >= 1, got 0")`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sized
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ._encoding import TOO_DEEP, not_json_problem
from .errors import InvalidRequestError

# The assertions this module implements, and the annotations it knows to ignore (as jsonschema
# does by default: `format` is not asserted). Compiling a schema with any other keyword fails,
# and a test checks that the document uses no other keyword.
KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "anyOf",
        "oneOf",
        "allOf",
        "not",
    }
)
ANNOTATIONS = frozenset(
    {
        "format",
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
        "discriminator",
        "$comment",
        "$defs",
    }
)

Check = Callable[[Any], None]


def _meaningful(schema: dict[str, Any]) -> set[str]:
    """A schema's keys that say something: neither annotations nor OpenAPI's `x-` extensions."""
    return {k for k in schema if k not in ANNOTATIONS and not k.startswith("x-")}


class _Invalid(Exception):
    """A value does not fit; `parts` collects the path on the way out (innermost first)."""

    __slots__ = ("parts", "problem")

    def __init__(self, problem: str) -> None:
        self.problem = problem
        self.parts: list[str | int] = []


def validate(value: object, schema_name: str, path: str = "") -> None:
    """Raise InvalidRequestError naming the first field that does not fit the schema."""
    check = _named.get(schema_name)
    if check is None:
        check = _named[schema_name] = _from_document(f"#/components/schemas/{schema_name}")
    _run(check, value, path)


def validate_request_body(value: object, operation_id: str, path: str = "") -> None:
    """Check the JSON body of the operation named `operation_id` in the document.

    `path` names the body itself in errors (e.g. `metadata`, for an array body).
    """
    check = _bodies.get(operation_id)
    if check is None:
        check = _bodies[operation_id] = _from_document(body_pointer(operation_id))
    _run(check, value, path)


def compile_schema(schema: object, root: object = None) -> Callable[[object], None]:
    """A checker for any schema (local `$ref`s point into `root`, default: the schema itself).

    It raises InvalidRequestError like `validate`; the document's checks are built the same way.
    """
    check = _Compiler(schema if root is None else root).schema(schema, "#")

    def checker(value: object) -> None:
        _run(check, value, "")

    return checker


_named: dict[str, Check] = {}
_bodies: dict[str, Check] = {}


def _run(check: Check, value: object, path: str) -> None:
    try:
        check(value)
    except _Invalid as exc:
        raise InvalidRequestError(_field(path, exc.parts), exc.problem) from None
    except RecursionError:  # the checks recurse with the body; JSON could not carry it either
        raise InvalidRequestError(path or "body", TOO_DEEP) from None


def _field(path: str, parts: list[str | int]) -> str:
    field = path
    for part in reversed(parts):
        if isinstance(part, int):
            field += f"[{part}]"
        else:
            field = f"{field}.{part}" if field else part
    return field or "body"


# -- the document --------------------------------------------------------------------------


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document shipped in the generated package."""
    import r2r_api  # the generated package ships the document beside its code

    text = Path(r2r_api.__file__).with_name("openapi.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


_compile_lock = threading.Lock()


def _from_document(ref: str) -> Check:
    """The check for a schema of the document, compiled on first use (once, whatever thread)."""
    with _compile_lock:
        return _document_compiler().ref(ref)


@cache
def _document_compiler() -> _Compiler:
    return _Compiler(document())


def body_pointer(operation_id: str) -> str:
    """The JSON pointer of the request body schema of the operation named `operation_id`."""
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                escaped = path.replace("~", "~0").replace("/", "~1")
                return f"#/paths/{escaped}/{method}/requestBody/content/application~1json/schema"
    raise KeyError(f"no operation {operation_id!r} in the document")


def resolve(root: object, ref: str) -> Any:
    """The schema a local `$ref` (a JSON pointer into `root`) points to."""
    if not ref.startswith("#"):
        raise NotImplementedError(f"only local $refs are supported, got {ref!r}")
    target: Any = root
    for token in ref[1:].split("/")[1:]:
        key = unquote(token).replace("~1", "/").replace("~0", "~")
        target = target[int(key)] if isinstance(target, list) else target[key]
    return target


# -- JSON types and equality -----------------------------------------------------------------


def _is_integer(value: object) -> bool:
    if isinstance(value, int):
        return not isinstance(value, bool)
    return isinstance(value, float) and value.is_integer()


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPE_TESTS: dict[str, Callable[[object], bool]] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, (list, tuple)),
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def _json_type(value: object) -> str:
    """The JSON type name of a constant in the document."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _equal(one: object, two: object) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1; arrays and objects compare deeply.

    Values of different kinds (a str and a number, a list and a dict...) are never `==`.
    """
    if isinstance(one, bool) or isinstance(two, bool):
        return one is two
    if isinstance(one, (list, tuple)) and isinstance(two, (list, tuple)):
        return len(one) == len(two) and all(_equal(one[i], two[i]) for i in range(len(one)))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    return one == two


def _all_unique(items: list[Any] | tuple[Any, ...]) -> bool:
    for index, item in enumerate(items):
        for other in items[index + 1 :]:
            if _equal(item, other):
                return False
    return True


_JSON_VALUES = (type(None), bool, int, float, str, list, tuple, dict)


def _mismatch(expected: str, value: object) -> _Invalid:
    """A value of the wrong type; one that JSON cannot carry at all gets told how to convert."""
    if not isinstance(value, _JSON_VALUES):
        return _Invalid(not_json_problem(value))
    return _Invalid(f"expected {expected}, got {_describe(value)}")


def _describe(value: object) -> str:
    return f"{type(value).__name__} {_short(value)}"


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _count(number: int | float, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _ok(value: object) -> None:
    return None


def _all(checks: list[Check]) -> Check:
    """One function running every check in order (none: accept anything)."""
    if not checks:
        return _ok
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks

        def both(value: object) -> None:
            first(value)
            second(value)

        return both
    frozen = tuple(checks)

    def every(value: object) -> None:
        for check in frozen:
            check(value)

    return every


# -- the compiler ------------------------------------------------------------------------------


class _Compiler:
    """Turns schemas into checks; each `$ref` target is compiled once (cycles included)."""

    def __init__(self, root: object) -> None:
        self._root = root
        self._refs: dict[str, Check] = {}

    def ref(self, ref: str) -> Check:
        check = self._refs.get(ref)
        if check is None:
            # A cycle reaches this ref again while it compiles: point it at a cell that is
            # filled in once the target is compiled.
            cell: list[Check] = []

            def forward(value: object) -> None:
                cell[0](value)

            self._refs[ref] = forward
            try:
                compiled = self.schema(resolve(self._root, ref), ref)
            except BaseException:
                del self._refs[ref]
                raise
            cell.append(compiled)
            self._refs[ref] = check = compiled
        return check

    def schema(self, schema: object, where: str) -> Check:
        if schema is True:
            return _ok
        if schema is False:
            return _refuse("not allowed here")
        if not isinstance(schema, dict):
            raise TypeError(f"{where}: a schema must be an object or a boolean")
        unknown = _meaningful(schema) - KEYWORDS
        if unknown:
            raise NotImplementedError(
                f"{where}: JSON Schema keyword(s) {sorted(unknown)} are not implemented"
            )
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            checks.append(_type_check(schema["type"]))
        if "const" in schema:
            checks.append(_enum_check([schema["const"]]))
        if "enum" in schema:
            checks.append(_enum_check(schema["enum"]))
        checks += _number_checks(schema)
        checks += _string_checks(schema)
        checks += self._array_checks(schema, where)
        checks += self._object_checks(schema, where)
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                options = schema[keyword]
                compiled = [self.schema(s, f"{where}/{keyword}/{i}") for i, s in enumerate(options)]
                if keyword == "allOf":
                    checks += compiled
                else:
                    checks.append(self._choice(options, compiled, exactly_one=keyword == "oneOf"))
        if "not" in schema:
            checks.append(self._negation(schema["not"], f"{where}/not"))
        return _all(checks)

    def _negation(self, negated: object, where: str) -> Check:
        # `not: {not: X}` is X. The document hides its recursive schemas from the generator that
        # way; checking X itself gives X's own messages instead of "must not match ...".
        if isinstance(negated, dict) and _meaningful(negated) == {"not"}:
            return self.schema(negated["not"], f"{where}/not")
        return _not_check(self.schema(negated, where), negated)

    # -- anyOf / oneOf -------------------------------------------------------------------

    def _types(self, schema: object, seen: frozenset[str] = frozenset()) -> set[str] | None:
        """The JSON types a schema can accept at most, if plain to see (None: any)."""
        if schema is False:
            return set()
        if not isinstance(schema, dict):
            return None
        found: set[str] | None = None

        def narrow(types: Iterable[str]) -> None:
            nonlocal found
            names = set(types)
            if "number" in names:
                names.add("integer")
            found = names if found is None else {t for t in found if t in names}

        if "type" in schema:
            narrow([schema["type"]] if isinstance(schema["type"], str) else schema["type"])
        if "const" in schema:
            narrow([_json_type(schema["const"])])
        if "enum" in schema:
            narrow(_json_type(value) for value in schema["enum"])
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            target = self._types(resolve(self._root, ref), seen | {ref})
            if target is not None:
                narrow(target)
        for option in schema.get("allOf", ()):
            types = self._types(option, seen)
            if types is not None:
                narrow(types)
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                union: set[str] = set()
                for option in schema[keyword]:
                    types = self._types(option, seen)
                    if types is None:
                        break
                    union |= types
                else:
                    narrow(union)
        return found

    def _choice(self, options: list[Any], checks: list[Check], *, exactly_one: bool) -> Check:
        """anyOf / oneOf. Options whose type cannot fit the value are skipped without a try,
        so that `{"anyOf": [{"$ref": X}, {"type": "null"}]}` reports X's own error."""
        typed: list[tuple[Callable[[object], bool] | None, Check]] = []
        names: list[str] = []
        for index, option in enumerate(options):
            check = checks[index]
            types = self._types(option)
            if types is None:
                typed.append((None, check))
                continue
            tests = tuple(_TYPE_TESTS[t] for t in sorted(types))
            typed.append((_any_test(tests), check))
            names += [t for t in _ORDER if t in types and t not in names]
        if not exactly_one and all(
            _only_type(option) for option in options
        ):  # a plain union of types: one type check
            merged = [t for t in _ORDER if any(t in (self._types(o) or ()) for o in options)]
            return _type_check(merged)
        shown = " or ".join(_display_types(names)) if names else "one of the allowed forms"

        def choose(value: object) -> None:
            candidates = [check for test, check in typed if test is None or test(value)]
            if not candidates:
                raise _mismatch(shown, value)
            if len(candidates) == 1:  # fits it or not: its own error, whether anyOf or oneOf
                candidates[0](value)
                return
            failures: list[_Invalid] = []
            passed = 0
            for check in candidates:
                try:
                    check(value)
                except _Invalid as exc:
                    # Without its traceback: the traceback holds this frame, which holds
                    # `failures`, a cycle that would keep the caller's frames (and whatever
                    # they hold, e.g. an open stream) alive until a garbage collection.
                    failures.append(exc.with_traceback(None))
                else:
                    if not exactly_one:
                        return
                    passed += 1
            if passed == 1:
                return
            if passed:
                raise _Invalid(
                    f"fits {passed} of the allowed forms; it must fit exactly one of them"
                )
            # Two or more failed (one alone is run above), each with its own field if deeper.
            problems = [
                f"{_field('', exc.parts)}: {exc.problem}" if exc.parts else exc.problem
                for exc in failures
            ]
            raise _Invalid(" or ".join(dict.fromkeys(problems)))

        return choose

    # -- arrays and objects -------------------------------------------------------------

    def _array_checks(self, schema: dict[str, Any], where: str) -> list[Check]:
        checks: list[Check] = []
        low, high = schema.get("minItems"), schema.get("maxItems")
        if low is not None or high is not None:
            checks.append(_size_check((list, tuple), low, high, "item"))
        if schema.get("uniqueItems") is True:

            def unique(value: object) -> None:
                if isinstance(value, (list, tuple)) and not _all_unique(value):
                    raise _Invalid("items must be unique, and some are equal")

            checks.append(unique)
        prefix = [
            self.schema(s, f"{where}/prefixItems/{i}")
            for i, s in enumerate(schema.get("prefixItems", ()))
        ]
        rest = schema.get("items", True)
        if "prefixItems" in schema or "items" in schema:
            # (`items: false` is `no_more`: its check is never reached.)
            each: Check | None = self.schema(rest, f"{where}/items")
            if each is _ok:
                each = None
            checks.append(_items_check(tuple(prefix), each, no_more=rest is False))
        return checks

    def _object_checks(self, schema: dict[str, Any], where: str) -> list[Check]:
        checks: list[Check] = []
        low, high = schema.get("minProperties"), schema.get("maxProperties")
        if low is not None or high is not None:
            checks.append(_size_check((dict,), low, high, "field"))
        required: tuple[str, ...] = tuple(schema.get("required", ()))
        properties = {
            name: self.schema(s, f"{where}/properties/{name}")
            for name, s in schema.get("properties", {}).items()
        }
        extra_schema = schema.get("additionalProperties", True)
        names_schema = schema.get("propertyNames", True)
        if (
            not required
            and not properties
            and extra_schema is True
            and names_schema is True
            # a type name or a list of them: no other type name contains "object"
            and "object" not in schema.get("type", ())
        ):
            return checks
        extra: Check | None = (
            _unknown_field
            if extra_schema is False
            else self.schema(extra_schema, f"{where}/additionalProperties")
        )
        if extra is _ok:  # `true`, or a schema that allows anything: nothing to run
            extra = None
        names: Check | None = self.schema(names_schema, f"{where}/propertyNames")
        if names is _ok:
            names = None
        checks.append(_object_check(required, properties, extra, names))
        return checks


_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")


def _display_types(names: Iterable[str]) -> list[str]:
    shown = list(dict.fromkeys(names))
    if "number" in shown and "integer" in shown:
        shown.remove("integer")
    return shown


def _only_type(schema: object) -> bool:
    return isinstance(schema, dict) and "type" in schema and _meaningful(schema) == {"type"}


def _any_test(tests: tuple[Callable[[object], bool], ...]) -> Callable[[object], bool]:
    if len(tests) == 1:
        return tests[0]
    return lambda value: any(test(value) for test in tests)


def _refuse(problem: str) -> Check:
    def refuse(value: object) -> None:
        raise _Invalid(problem)

    return refuse


def _unknown_field(value: object) -> None:
    raise _Invalid("unknown field")


def _type_check(types: str | list[str]) -> Check:
    names = [types] if isinstance(types, str) else list(types)
    expected = " or ".join(_display_types(names))
    if names == ["string"]:

        def is_string(value: object) -> None:
            if not isinstance(value, str):
                raise _mismatch("string", value)

        return is_string
    if names == ["object"]:

        def is_object(value: object) -> None:
            if not isinstance(value, dict):
                raise _mismatch("object", value)

        return is_object
    tests = tuple(_TYPE_TESTS[name] for name in names)

    def is_type(value: object) -> None:
        for test in tests:
            if test(value):
                return
        raise _mismatch(expected, value)

    return is_type


def _enum_check(values: list[Any]) -> Check:
    if len(values) == 1:
        problem = f"must be {values[0]!r}"
    else:
        problem = "must be one of " + ", ".join(repr(v) for v in values)
    if all(isinstance(v, str) for v in values):
        allowed = frozenset(values)

        def one_of_strings(value: object) -> None:
            if not (isinstance(value, str) and value in allowed):
                raise _Invalid(f"{problem}, got {_short(value)}")

        return one_of_strings
    frozen = tuple(values)

    def one_of(value: object) -> None:
        for allowed_value in frozen:
            if _equal(value, allowed_value):
                return
        raise _Invalid(f"{problem}, got {_short(value)}")

    return one_of


def _number_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    bounds: list[tuple[str, Callable[[Any, Any], bool], str]] = [
        ("minimum", lambda v, b: v >= b, ">="),
        ("maximum", lambda v, b: v <= b, "<="),
        ("exclusiveMinimum", lambda v, b: v > b, ">"),
        ("exclusiveMaximum", lambda v, b: v < b, "<"),
    ]
    for keyword, holds, sign in bounds:
        if keyword in schema:
            checks.append(_bound_check(schema[keyword], holds, sign))
    if "multipleOf" in schema:
        checks.append(_multiple_check(schema["multipleOf"]))
    return checks


def _bound_check(bound: Any, holds: Callable[[Any, Any], bool], sign: str) -> Check:
    def within(value: object) -> None:
        if _is_number(value) and not holds(value, bound):
            raise _Invalid(f"must be {sign} {bound}, got {value!r}")

    return within


def _is_multiple(value: int | float, step: int | float) -> bool:
    if isinstance(step, float):  # as jsonschema: a float quotient must be whole
        quotient = value / step
        try:
            return int(quotient) == quotient
        except OverflowError:
            from fractions import Fraction  # exact arithmetic, for the rare multipleOf

            return (Fraction(value) / Fraction(step)).denominator == 1
    return not value % step


def _multiple_check(step: int | float) -> Check:
    def multiple(value: Any) -> None:
        if _is_number(value) and not _is_multiple(value, step):
            raise _Invalid(f"must be a multiple of {step}, got {value!r}")

    return multiple


def _string_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None or high is not None:
        checks.append(_size_check((str,), low, high, "character"))
    if "pattern" in schema:
        pattern = schema["pattern"]
        search = re.compile(pattern).search

        def matches(value: object) -> None:
            if isinstance(value, str) and search(value) is None:
                raise _Invalid(f"must match the pattern {pattern!r}, got {_short(value)}")

        checks.append(matches)
    return checks


def _size_check(
    kinds: tuple[type[Sized], ...], low: int | None, high: int | None, noun: str
) -> Check:
    """minItems/maxItems, minLength/maxLength (code points), minProperties/maxProperties."""

    def sized(value: Any) -> None:
        if isinstance(value, kinds):
            size = len(value)
            if low is not None and size < low:
                raise _Invalid(f"needs at least {_count(low, noun)}, got {size}")
            if high is not None and size > high:
                raise _Invalid(f"allows at most {_count(high, noun)}, got {size}")

    return sized


def _items_check(prefix: tuple[Check, ...], each: Check | None, *, no_more: bool) -> Check:
    start = len(prefix)

    def items(value: object) -> None:
        if not isinstance(value, (list, tuple)):
            return
        try:  # `index` is set before any check can raise
            for index, check in enumerate(prefix[: len(value)]):
                check(value[index])
            if no_more and len(value) > start:
                index = start
                raise _Invalid(f"no more than {_count(start, 'item')} allowed here")
            if each is not None:
                for index in range(start, len(value)):
                    each(value[index])
        except _Invalid as exc:
            exc.parts.append(index)
            raise

    return items


def _object_check(
    required: tuple[str, ...],
    properties: Mapping[str, Check],
    extra: Check | None,
    names: Check | None,
) -> Check:
    def fields(value: object) -> None:
        if not isinstance(value, dict):
            return
        for name in required:
            if name not in value:
                raise _missing(name)  # no local holds the error: no frame <-> error cycle
        try:  # `key` is set before any check can raise
            for key, item in value.items():
                if not isinstance(key, str):
                    raise _Invalid("object keys must be strings")
                if names is not None:
                    try:
                        names(key)
                    except _Invalid as exc:
                        raise _Invalid(f"not an allowed field name: {exc.problem}") from None
                check = properties.get(key)
                if check is not None:
                    check(item)
                elif extra is not None:
                    extra(item)
        except _Invalid as exc:
            exc.parts.append(key if isinstance(key, str) else repr(key))
            raise

    return fields


def _missing(name: str) -> _Invalid:
    error = _Invalid("required but missing")
    error.parts.append(name)
    return error


def _not_check(check: Check, schema: object) -> Check:
    described = schema.get("description") if isinstance(schema, dict) else None
    if isinstance(described, str):  # what the document says the refused values are
        shown = f"be {described}"
    else:
        shown = json.dumps(schema)  # non-ASCII characters escaped
        if len(shown) > 80:
            shown = shown[:77] + "..."
        shown = f"match {shown}"

    def must_not(value: object) -> None:
        try:
            check(value)
        except _Invalid:
            return
        raise _Invalid(f"must not {shown}, got {_short(value)}")

    return must_not
