"""Encoding a body: each value JSON cannot carry is an error naming its field and what to do."""

from __future__ import annotations

import datetime
import decimal
import enum
import sys
import uuid
from typing import Any

import pytest

from r2r_client import InvalidRequestError
from r2r_client._encoding import TOO_DEEP, encode_json

NAN, INF = float("nan"), float("inf")
SURROGATE = (
    "contains a lone surrogate (U+DC80) at index 1, which UTF-8 cannot encode; the text was "
    "decoded wrongly (errors='surrogateescape'?) or cut inside a character"
)
NOT_FINITE = "is not allowed in JSON; send a finite number or None"
CIRCULAR = "contains itself (a circular reference): JSON cannot carry it"
TOO_MANY_DIGITS = "is an integer with too many digits for JSON; send it as a str"
OTHER = (
    "is not JSON; convert it to a str, number, bool, None, list or dict first "
    "(a generated model: model.to_dict())"
)


class Color(enum.Enum):
    RED = "red"


class Thing:
    pass


def _circular_list() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def _circular_dict() -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    return loop


SHARED = [1]  # the same list twice is not a cycle

CASES: list[tuple[Any, str]] = [
    ({"a": NAN}, f"a: NaN {NOT_FINITE}"),
    ({"a": [1, INF]}, f"a[1]: inf {NOT_FINITE}"),
    ({"a": {"b": -INF}}, f"a.b: -inf {NOT_FINITE}"),
    (NAN, f"body: NaN {NOT_FINITE}"),
    ([NAN], f"metadata[0]: NaN {NOT_FINITE}"),
    ({"a": "x\udc80y"}, f"a: {SURROGATE}"),
    ("x\udc80", f"body: {SURROGATE}"),
    ({"k\udc80": 1}, f"body: has a key that {SURROGATE}"),
    ({"a": {"k\udc80": 1}}, f"a: has a key that {SURROGATE}"),
    ({"a": {1: NAN}}, f"a.1: NaN {NOT_FINITE}"),
    ({NAN: 1}, "body: has the key NaN, which JSON cannot carry"),
    ({-INF: 1}, "body: has the key -inf, which JSON cannot carry"),
    ({"a": {INF: 1}}, "a: has the key inf, which JSON cannot carry"),
    ({(1, 2): 1}, "body: has a key that is a tuple; JSON object keys must be strings"),
    ({"a": {(1,): 1}}, "a: has a key that is a tuple; JSON object keys must be strings"),
    # keys JSON turns into strings, and values it carries, come before the culprit
    ({None: 1, True: 2, 3: 4, 1.5: 5, "b": NAN}, f"b: NaN {NOT_FINITE}"),
    ({"a": None, "b": True, "c": 1.5, "d": "é", "e": NAN}, f"e: NaN {NOT_FINITE}"),
    ({"a": SHARED, "b": SHARED, "c": NAN}, f"c: NaN {NOT_FINITE}"),
    ([SHARED, [SHARED], NAN], f"metadata[2]: NaN {NOT_FINITE}"),
    ({"a": 10**5000}, f"a: {TOO_MANY_DIGITS}"),
    (10**5000, f"body: {TOO_MANY_DIGITS}"),
    (_circular_list(), f"metadata[0]: {CIRCULAR}"),
    ({"a": _circular_dict()}, f"a.self: {CIRCULAR}"),
    ([{"x": _circular_list()}], f"metadata[0].x[0]: {CIRCULAR}"),
    (
        {"a": datetime.date(2020, 1, 2)},
        "a: a date is not JSON; convert it first, e.g. value.isoformat()",
    ),
    (
        {"a": datetime.datetime(2020, 1, 2)},
        "a: a datetime is not JSON; convert it first, e.g. value.isoformat()",
    ),
    ({"a": datetime.time(1)}, "a: a time is not JSON; convert it first, e.g. value.isoformat()"),
    ({"a": uuid.UUID(int=1)}, "a: a UUID is not JSON; convert it first with str(value)"),
    (
        {"a": decimal.Decimal("1.5")},
        "a: a Decimal is not JSON; convert it first with float(value) or str(value)",
    ),
    ({"a": {1, 2}}, "a: a set is not JSON; convert it first with list(value)"),
    ({"a": frozenset()}, "a: a frozenset is not JSON; convert it first with list(value)"),
    (
        {"a": b"x"},
        "a: bytes are not JSON; convert them first, e.g. value.decode() (or base64 them)",
    ),
    (
        {"a": bytearray(b"x")},
        "a: bytearray are not JSON; convert them first, e.g. value.decode() (or base64 them)",
    ),
    (
        {"a": memoryview(b"x")},
        "a: memoryview are not JSON; convert them first, e.g. value.decode() (or base64 them)",
    ),
    ({"a": Color.RED}, "a: the enum member Color.RED is not JSON; send its value (member.value)"),
    ({"a": Thing()}, f"a: a Thing {OTHER}"),
    (Thing(), f"body: a Thing {OTHER}"),
    ([{"a": 1}, {"b": [0, {"c": Thing()}]}], f"metadata[1].b[1].c: a Thing {OTHER}"),
    ({"a": (1, Thing())}, f"a[1]: a Thing {OTHER}"),
]


@pytest.mark.parametrize(("body", "error"), CASES, ids=[error[:40] for _, error in CASES])
def test_a_value_json_cannot_carry_is_named(body: Any, error: str) -> None:
    with pytest.raises(InvalidRequestError) as info:
        encode_json(body)
    assert str(info.value) == error


@pytest.mark.parametrize(
    ("body", "sent"),
    [
        ({"a": 1}, b'{"a":1}'),
        ([{"a": 1}], b'[{"a":1}]'),
        ({None: 1, True: 2, 3: 4, 1.5: 5}, b'{"null":1,"true":2,"3":4,"1.5":5}'),
        ({"a": None, "b": [True, 1.5], "c": "é"}, b'{"a":null,"b":[true,1.5],"c":"\xc3\xa9"}'),
        ((1, "x"), b'[1,"x"]'),
    ],
)
def test_bodies_json_carries_are_encoded_compactly_as_utf8(body: Any, sent: bytes) -> None:
    assert encode_json(body) == sent


def test_too_deep_to_encode() -> None:
    deep: Any = 1
    for _ in range(sys.getrecursionlimit() + 100):
        deep = [deep]
    with pytest.raises(InvalidRequestError) as info:
        encode_json(deep)
    assert str(info.value) == f"body: {TOO_DEEP}"


def test_too_deep_to_search_for_the_culprit() -> None:
    """The encoder got down to a NaN; looking for it (two frames a level) runs out of stack."""
    deep: Any = NAN
    for _ in range(sys.getrecursionlimit() * 2 // 3):
        deep = {"k": deep}
    with pytest.raises(InvalidRequestError) as info:
        encode_json(deep)
    assert str(info.value) == "body: cannot be encoded as JSON"
