"""Values JSON cannot carry: refused before sending, naming the field and what to do instead.

Promises checked:
- a value with no JSON form (a datetime, a UUID, a Decimal, a set, bytes, an enum member, any
  object), a float JSON forbids (NaN, inf), text UTF-8 cannot encode (a lone surrogate), an
  integer too long to print, a key JSON cannot carry, or a container that contains itself is
  an InvalidRequestError whose field is the path to the first such value (`metadata[1].when`,
  `search_settings.filters.created.$gt`, an extra_body key...) and whose message says what to
  do, wherever it sits (arguments, nested filters, messages, extra_body) and whatever the
  call's `validation` (even "off");
- a body nested too deeply is refused as such, without a RecursionError;
- what JSON can carry is sent compactly as UTF-8, keys JSON turns into strings included.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import json
import sys
import traceback
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import respx
from _helpers import BASE, DOC_ID, KINDS, MODEL, call, fixture_response

from r2r_client import InvalidRequestError, R2RClient

NAN, INF = float("nan"), float("inf")
NOT_FINITE = "is not allowed in JSON; send a finite number or None"
CIRCULAR = "contains itself (a circular reference): JSON cannot carry it"
TOO_MANY_DIGITS = "is an integer with too many digits for JSON; send it as a str"
OTHER = (
    "is not JSON; convert it to a str, number, bool, None, list or dict first "
    "(a generated model: model.to_dict())"
)


def surrogate(code: str, index: int) -> str:
    return (
        f"contains a lone surrogate (U+{code}) at index {index}, which UTF-8 cannot encode; the "
        "text was decoded wrongly (errors='surrogateescape'?) or cut inside a character"
    )


class Color(enum.Enum):
    RED = "red"


class Thing:
    pass


class ReadOnly(Mapping[str, Any]):
    """A mapping that is not a dict (e.g. a frozen config object a user passes on)."""

    def __init__(self, **items: Any) -> None:
        self._items = items

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


@pytest.fixture
def api() -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post("/v3/retrieval/rag", name="rag").mock(return_value=fixture_response("06-rag"))
        router.post("/v3/retrieval/completion").mock(return_value=fixture_response("04-completion"))
        router.put(f"/v3/documents/{DOC_ID}/metadata", name="metadata").mock(
            return_value=fixture_response("02-put-metadata")
        )
        yield router


def refused(api: respx.Router, fn: Any, kind: str = "sync", **client_kwargs: Any) -> str:
    """The whole message of the InvalidRequestError `fn(client)` raises; nothing was sent, and
    the traceback shows that one error (no other error "during handling" of it)."""
    with pytest.raises(InvalidRequestError) as info:
        call(kind, fn, **client_kwargs)
    assert api.calls.call_count == 0
    assert str(info.value) == f"{info.value.field}: {info.value.problem}"
    shown = "".join(traceback.format_exception(info.value))
    assert "During handling of the above exception" not in shown, shown
    assert "was the direct cause" not in shown, shown
    return str(info.value)


# -- each kind of value, wherever it is -------------------------------------------------------

NOT_JSON = [
    pytest.param(
        datetime.datetime(2026, 1, 2, 3, 4, 5),
        "a datetime is not JSON; convert it first, e.g. value.isoformat()",
        id="datetime",
    ),
    pytest.param(
        datetime.date(2026, 1, 2),
        "a date is not JSON; convert it first, e.g. value.isoformat()",
        id="date",
    ),
    pytest.param(
        datetime.time(1), "a time is not JSON; convert it first, e.g. value.isoformat()", id="time"
    ),
    pytest.param(
        uuid.UUID(DOC_ID), "a UUID is not JSON; convert it first with str(value)", id="uuid"
    ),
    pytest.param(
        decimal.Decimal("1.5"),
        "a Decimal is not JSON; convert it first with float(value) or str(value)",
        id="decimal",
    ),
    pytest.param({1, 2}, "a set is not JSON; convert it first with list(value)", id="set"),
    pytest.param(
        frozenset(), "a frozenset is not JSON; convert it first with list(value)", id="frozenset"
    ),
    pytest.param(
        b"raw",
        "bytes are not JSON; convert them first, e.g. value.decode() (or base64 them)",
        id="bytes",
    ),
    pytest.param(
        bytearray(b"x"),
        "bytearray are not JSON; convert them first, e.g. value.decode() (or base64 them)",
        id="bytearray",
    ),
    pytest.param(
        memoryview(b"x"),
        "memoryview are not JSON; convert them first, e.g. value.decode() (or base64 them)",
        id="memoryview",
    ),
    pytest.param(
        Color.RED,
        "the enum member Color.RED is not JSON; send its value (member.value)",
        id="enum",
    ),
    pytest.param(NAN, f"NaN {NOT_FINITE}", id="nan"),
    pytest.param(INF, f"inf {NOT_FINITE}", id="inf"),
    pytest.param(-INF, f"-inf {NOT_FINITE}", id="minus-inf"),
    pytest.param(10**5000, TOO_MANY_DIGITS, id="int-too-long"),
    pytest.param("bad \udc80 text", surrogate("DC80", 4), id="lone-surrogate"),
    pytest.param(Thing(), f"a Thing {OTHER}", id="object"),
]

WHERE = [
    pytest.param(
        lambda c, v: c.documents.replace_metadata(DOC_ID, [{"ok": 1}, {"when": v}]),
        "metadata[1].when",
        id="metadata",
    ),
    pytest.param(
        lambda c, v: c.retrieval.rag("q", search_settings={"filters": {"created": {"$gt": v}}}),
        "search_settings.filters.created.$gt",
        id="filters",
    ),
    pytest.param(
        lambda c, v: c.retrieval.rag("q", extra_body={"future": {"list": [1, v]}}),
        "extra_body.future.list[1]",
        id="extra_body",
    ),
    pytest.param(
        lambda c, v: c.retrieval.completion(
            [{"role": "user", "content": "hi", "x_meta": v}], MODEL
        ),
        "messages[0].x_meta",
        id="message",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("send", "field"), WHERE)
@pytest.mark.parametrize(("value", "problem"), NOT_JSON)
def test_a_value_json_cannot_carry_is_named_by_its_path(
    api: respx.Router, kind: str, send: Any, field: str, value: object, problem: str
) -> None:
    assert refused(api, lambda c: send(c, value), kind) == f"{field}: {problem}"


@pytest.mark.parametrize("validation", ["strict", "warn", "off"])
def test_values_json_cannot_carry_are_refused_whatever_the_validation(
    api: respx.Router, validation: str
) -> None:
    assert (
        refused(
            api, lambda c: c.retrieval.rag("q", extra_body={"when": NAN}), validation=validation
        )
        == f"extra_body.when: NaN {NOT_FINITE}"
    )
    assert (
        refused(
            api,
            lambda c: c.documents.replace_metadata(DOC_ID, [{"when": datetime.date(2026, 1, 2)}]),
            validation=validation,
        )
        == "metadata[0].when: a date is not JSON; convert it first, e.g. value.isoformat()"
    )


def _circular_list() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def _circular_dict() -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    return loop


SHARED = [1]  # the same list twice is not a cycle

# (extra_body, whole message)
KEYS_ARE_STRINGS = "JSON object keys must be strings"
IN_EXTRA_BODY: list[tuple[Any, str]] = [
    ({"a": NAN}, f"extra_body.a: NaN {NOT_FINITE}"),
    ({"a": [1, INF]}, f"extra_body.a[1]: inf {NOT_FINITE}"),
    ({"a": {"b": -INF}}, f"extra_body.a.b: -inf {NOT_FINITE}"),
    ({"a": "x\udc80y"}, f"extra_body.a: {surrogate('DC80', 1)}"),
    ({"k\udc80": 1}, f"extra_body: has a key that {surrogate('DC80', 1)}"),
    ({"a": {"k\udc80": 1}}, f"extra_body.a: has a key that {surrogate('DC80', 1)}"),
    ({"a": {1: NAN}}, f"extra_body.a.1: NaN {NOT_FINITE}"),
    ({NAN: 1}, "extra_body: has the key NaN, which JSON cannot carry"),
    ({-INF: 1}, "extra_body: has the key -inf, which JSON cannot carry"),
    ({"a": {INF: 1}}, "extra_body.a: has the key inf, which JSON cannot carry"),
    ({(1, 2): 1}, "extra_body: has a key that is a tuple; JSON object keys must be strings"),
    ({"a": {(1,): 1}}, f"extra_body.a: has a key that is a tuple; {KEYS_ARE_STRINGS}"),
    ({"a": {Thing(): 1}}, f"extra_body.a: has a key that is a Thing; {KEYS_ARE_STRINGS}"),
    # keys JSON turns into strings, and values it carries, come before the culprit
    ({None: 1, True: 2, 3: 4, 1.5: 5, "b": NAN}, f"extra_body.b: NaN {NOT_FINITE}"),
    ({"a": None, "b": True, "c": 1.5, "d": "é", "e": NAN}, f"extra_body.e: NaN {NOT_FINITE}"),
    ({"a": SHARED, "b": SHARED, "c": NAN}, f"extra_body.c: NaN {NOT_FINITE}"),
    ({"a": _circular_dict()}, f"extra_body.a.self: {CIRCULAR}"),
    ({"a": [_circular_list()]}, f"extra_body.a[0][0]: {CIRCULAR}"),
    ({"a": (1, Thing())}, f"extra_body.a[1]: a Thing {OTHER}"),
    ({"a": 10**5000}, f"extra_body.a: {TOO_MANY_DIGITS}"),
]


@pytest.mark.parametrize(
    ("extra_body", "message"), IN_EXTRA_BODY, ids=[m[:40] for _, m in IN_EXTRA_BODY]
)
def test_the_first_value_json_cannot_carry_is_named(
    api: respx.Router, extra_body: Any, message: str
) -> None:
    assert refused(api, lambda c: c.retrieval.rag("q", extra_body=extra_body)) == message


def test_an_extra_body_that_is_a_mapping_but_no_dict_is_named_by_field(api: respx.Router) -> None:
    extra = ReadOnly(ok=1, when=datetime.date(2026, 1, 2))
    assert refused(api, lambda c: c.retrieval.rag("q", extra_body=extra)) == (
        "extra_body.when: a date is not JSON; convert it first, e.g. value.isoformat()"
    )


# (metadata, whole message)
IN_METADATA: list[tuple[Any, str]] = [
    ([NAN], f"metadata[0]: NaN {NOT_FINITE}"),
    ([SHARED, [SHARED], NAN], f"metadata[2]: NaN {NOT_FINITE}"),
    (_circular_list(), f"metadata[0][0]: {CIRCULAR}"),
    ([{"x": _circular_list()}], f"metadata[0].x[0]: {CIRCULAR}"),
    ([{"a": 1}, {"b": [0, {"c": Thing()}]}], f"metadata[1].b[1].c: a Thing {OTHER}"),
    ([{"k\udfff": 1}], f"metadata[0]: has a key that {surrogate('DFFF', 1)}"),
]


@pytest.mark.parametrize(("metadata", "message"), IN_METADATA, ids=[m[:40] for _, m in IN_METADATA])
def test_the_first_value_json_cannot_carry_in_a_list_body_is_named(
    api: respx.Router, metadata: Any, message: str
) -> None:
    assert refused(api, lambda c: c.documents.replace_metadata(DOC_ID, metadata)) == message


def test_a_lone_surrogate_in_an_argument_names_it(api: respx.Router) -> None:
    assert refused(api, lambda c: c.retrieval.rag("bad \ud800 text")) == (
        f"query: {surrogate('D800', 4)}"
    )


# -- bodies too deep -----------------------------------------------------------------------------


def test_a_body_too_deep_to_encode_is_refused(api: respx.Router) -> None:
    deep: Any = 1
    for _ in range(sys.getrecursionlimit() + 100):
        deep = [deep]
    assert refused(api, lambda c: c.retrieval.rag("q", extra_body={"deep": deep})) == (
        "body: is nested too deeply to be encoded as JSON (several hundred levels)"
    )
    assert refused(api, lambda c: c.documents.replace_metadata(DOC_ID, [{"x": deep}])) == (
        "body: is nested too deeply to be encoded as JSON (several hundred levels)"
    )


def test_a_body_too_deep_to_search_for_the_culprit_is_still_refused(api: respx.Router) -> None:
    """The encoder gets down to a NaN; the search for it (two frames a level) runs out of
    stack, so the message cannot name the field, but it is still a clear refusal."""
    deep: Any = NAN
    for _ in range(sys.getrecursionlimit() * 2 // 3):
        deep = {"k": deep}
    assert refused(api, lambda c: c.retrieval.rag("q", extra_body={"deep": deep})) == (
        "body: cannot be encoded as JSON"
    )


# -- what JSON carries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra_body", "sent"),
    [
        ({}, b'{"query":"q"}'),
        ({None: 1, True: 2, 3: 4, 1.5: 5}, b'{"query":"q","null":1,"true":2,"3":4,"1.5":5}'),
        (
            {"a": None, "b": [True, 1.5], "c": "é"},
            b'{"query":"q","a":null,"b":[true,1.5],"c":"\xc3\xa9"}',
        ),
        ({"t": (1, "x")}, b'{"query":"q","t":[1,"x"]}'),
        ({"mood": "😀 東京"}, '{"query":"q","mood":"😀 東京"}'.encode()),
    ],
)
def test_what_json_carries_is_sent_compactly_as_utf8(
    api: respx.Router, extra_body: Any, sent: bytes
) -> None:
    with R2RClient(BASE) as client:
        client.retrieval.rag("q", extra_body=extra_body)
    assert api["rag"].calls.last.request.content == sent


def test_a_list_body_is_sent_as_a_json_array(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        client.documents.replace_metadata(DOC_ID, [{"a": 1}, {"b": "ü"}])
    assert api["metadata"].calls.last.request.content == '[{"a":1},{"b":"ü"}]'.encode()
    assert json.loads(api["metadata"].calls.last.request.content) == [{"a": 1}, {"b": "ü"}]
