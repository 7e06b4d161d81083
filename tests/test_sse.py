"""Tests for r2r_client.sse: one test per spec rule, plus chunking invariance."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator, Iterator

import pytest
from fixture_http import Capture
from hypothesis import given, settings
from hypothesis import strategies as st

from r2r_client.sse import ServerSentEvent, SSEDecoder, aiter_sse, iter_sse

BODY = Capture("07-rag-stream.http").body

E = ServerSentEvent
Case = tuple[bytes, list[bytes]]  # (whole body, the same body cut into chunks)


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    return list(iter_sse(chunks))


def split_at(body: bytes, cuts: list[int]) -> list[bytes]:
    points = [0, *sorted(set(cuts)), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(points)]


def reference_parse(body: bytes) -> list[ServerSentEvent]:
    """Deliberately naive, whole-input transcription of the spec to compare with."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    lines = re.split(r"\r\n|\r|\n", body.decode("utf-8", "replace"))[:-1]
    events: list[ServerSentEvent] = []
    data, event_type, last_id, retry = "", "", "", None
    for line in lines:
        if line == "":
            if data:
                data = data.removesuffix("\n")
                events.append(E(event_type or "message", data, last_id, retry))
            data, event_type, retry = "", "", None
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        if ":" in line and value.startswith(" "):
            value = value[1:]
        if name == "data":
            data += value + "\n"
        elif name == "event":
            event_type = value
        elif name == "id" and "\0" not in value:
            last_id = value
        elif name == "retry" and re.fullmatch("[0-9]+", value):
            retry = int(value)
    return events


# --- line terminators -------------------------------------------------------


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"])
def test_each_line_terminator(eol: bytes) -> None:
    body = eol.join([b"event: e", b"data: a", b"data: b", b"", b"data: c", b"", b""])
    assert decode(body) == [E("e", "a\nb"), E("message", "c")]


def test_mixed_line_terminators() -> None:
    body = b"data: a\rdata: b\r\ndata: c\n\r\n\rdata: d\n\n"
    assert decode(body) == [E("message", "a\nb\nc"), E("message", "d")]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"data: a\r") == []
    # A naive decoder sees a blank line here and dispatches "a" too early.
    assert dec.feed(b"\ndata: b\r") == []
    assert dec.feed(b"\n") == []
    assert dec.feed(b"\r") == [E("message", "a\nb")]
    assert dec.feed(b"\n") == []  # second half of the CRLF above
    assert dec.feed(b"\n") == []  # a real blank line, but no data
    assert dec.feed(b"data: c\r") == []
    assert dec.feed(b"") == []  # empty chunk does not forget the pending CR
    assert dec.feed(b"\n\n") == [E("message", "c")]


def test_cr_dispatches_without_waiting_for_next_chunk() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"data: a\r\r") == [E("message", "a")]
    assert dec.feed(b"data: b\r") == []
    assert dec.feed(b"\r") == [E("message", "b")]


def test_lf_after_cr_only_skipped_at_start_of_next_chunk() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"data: a\r") == []
    assert dec.feed(b"x\n") == []  # "x" is a new line (unknown field)
    assert dec.feed(b"\n") == [E("message", "a")]


# --- decoding ------------------------------------------------------------------


def test_utf8_split_across_chunks() -> None:
    body = "data: é€😀ü\n\n".encode()
    expected = [E("message", "é€😀ü")]
    for i in range(len(body) + 1):
        assert decode(body[:i], body[i:]) == expected
    assert decode(*(body[i : i + 1] for i in range(len(body)))) == expected


def test_invalid_utf8_is_replaced() -> None:
    body = b"data: a\xffb\xe2\x82\ndata: \xc0\xaf\xed\xa0\x80z\xf0\x9f\n\n"
    expected = [E("message", "a\ufffdb\ufffd\n" + "\ufffd" * 5 + "z\ufffd")]
    assert decode(body) == expected
    assert decode(*(body[i : i + 1] for i in range(len(body)))) == expected


def test_leading_bom_is_stripped_once() -> None:
    assert decode(b"\xef\xbb\xbfdata: x\n\n") == [E("message", "x")]
    assert decode(b"\xef", b"\xbb", b"\xbf", b"data: x\n\n") == [E("message", "x")]
    assert decode(b"", b"\xef\xbb", b"\xbfdata: x\n\n") == [E("message", "x")]
    # A second BOM makes the first line's field name "\ufeffdata": unknown.
    assert decode(b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\n") == []


def test_bom_later_in_stream_is_data() -> None:
    body = b"data: \xef\xbb\xbfx\n\n\xef\xbb\xbfdata: y\n\n"
    assert decode(body) == [E("message", "\ufeffx")]
    assert decode(b"data: a\n", b"\xef\xbb\xbf", b"data: b\n\n") == [E("message", "a")]


def test_partial_bom_prefix_is_kept_as_bytes() -> None:
    # The held-back bytes \xef\xbb are not a BOM, so they start the first line.
    assert decode(b"\xef\xbb", b"data: x\n\n") == []
    assert decode(b"\xef\xbb", b"\n", b"data: x\n\n") == [E("message", "x")]


# --- fields ----------------------------------------------------------------------


def test_comments_are_ignored() -> None:
    body = b": keep-alive\n:\ndata: x\n:data: y\n\n: trailing\n\n"
    assert decode(body) == [E("message", "x")]


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (b"data:x", "x"),
        (b"data: x", "x"),
        (b"data:  x", " x"),
        (b"data: x ", "x "),
        (b"data:\tx", "\tx"),
        (b"data: a: b", "a: b"),
        (b"data:", ""),
        (b"data: ", ""),
        (b"data", ""),
    ],
)
def test_field_value_parsing(line: bytes, value: str) -> None:
    assert decode(line + b"\n\n") == [E("message", value)]


def test_field_names_are_exact() -> None:
    assert decode(b"data : x\nData: y\n DATA: z\n\n") == []


def test_data_lines_joined_with_newline() -> None:
    assert decode(b"data: a\ndata:\ndata: b\n\n") == [E("message", "a\n\nb")]
    assert decode(b"data\ndata\n\n") == [E("message", "\n")]
    assert decode(b"data: a\n\ndata: b\n\n") == [E("message", "a"), E("message", "b")]


def test_block_without_data_dispatches_nothing_and_resets_type() -> None:
    body = b"event: ping\n\ndata: x\n\nevent: e\nid: 3\nretry: 9\n\ndata: y\n\n"
    assert decode(body) == [E("message", "x"), E("message", "y", "3")]


def test_event_type_applies_to_current_block_only() -> None:
    body = b"event: a\nevent: b\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n"
    assert decode(body) == [E("b", "1"), E("message", "2"), E("message", "3")]


def test_last_event_id_persists_and_resets() -> None:
    body = (
        b"id: 1\ndata: a\n\n"
        b"data: b\n\n"
        b"id: 2\x00x\ndata: c\n\n"  # NUL: field ignored
        b"id: 7\n\n"  # no data, but the id still sticks
        b"data: d\n\n"
        b"id\ndata: e\n\n"
        b"id: 9\ndata: f\nid:\n\n"
    )
    assert [(e.data, e.id) for e in decode(body)] == [
        ("a", "1"),
        ("b", "1"),
        ("c", "1"),
        ("d", "7"),
        ("e", ""),
        ("f", ""),
    ]
    dec = SSEDecoder()
    dec.feed(b"id: 42\n\n")
    assert dec.last_event_id == "42"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"1500", 1500),
        (b"0", 0),
        (b"007", 7),
        (b"", None),
        (b" 15", None),  # only one leading space is stripped
        (b"15a", None),
        (b"-1", None),
        (b"1.5", None),
        (b"+1", None),
        ("١٢".encode(), None),  # digits, but not ASCII digits
    ],
)
def test_retry_requires_ascii_digits(value: bytes, expected: int | None) -> None:
    body = b"retry: " + value + b"\ndata: x\n\n"
    assert decode(body) == [E("message", "x", "", expected)]


def test_retry_longer_than_int_str_limit() -> None:
    [event] = decode(b"retry: " + b"1" * 5000 + b"\ndata: x\n\n")
    assert event.retry == (10**5000 - 1) // 9  # 5000 ones, no ValueError


def test_retry_is_per_block_but_decoder_remembers_it() -> None:
    dec = SSEDecoder()
    assert dec.retry is None
    events = dec.feed(b"retry: 10\n\ndata: a\n\nretry: 20\ndata: b\n\ndata: c\n\n")
    assert events == [E("message", "a"), E("message", "b", retry=20), E("message", "c")]
    assert dec.retry == 20


def test_unknown_fields_ignored() -> None:
    body = b"foo: bar\ndata: x\nretries: 5\nevent2: y\nidx: 3\n\n"
    assert decode(body) == [E("message", "x")]


def test_unicode_line_separators_are_not_line_breaks() -> None:
    text = "a\u2028b\u2029c\x85d\x0be\x0cf\x1cg\x1dh\x1ei"
    assert text.splitlines() != [text]  # why str.splitlines() must not be used
    assert decode(f"data: {text}\n\n".encode()) == [E("message", text)]


# --- end of input -----------------------------------------------------------------


def test_unterminated_block_is_discarded_at_end() -> None:
    assert decode(b"data: x\n") == []
    assert decode(b"data: x\n\ndata: y\n") == [E("message", "x")]
    assert decode(b"data: x\n\ndata: y") == [E("message", "x")]
    dec = SSEDecoder()
    dec.feed(b"data: x\n")
    assert dec.close() == []


def test_close_ignores_unterminated_line_and_allows_reuse() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"id: 1\ndata: a\n\nid: 12") == [E("message", "a", "1")]
    assert dec.close() == []
    assert dec.last_event_id == "1"  # "id: 12" may have been cut from "id: 123"
    # After close the decoder reads a fresh stream (BOM allowed again) and
    # keeps the last event ID, as a reconnecting EventSource does.
    assert dec.feed(b"\xef\xbb\xbfdata: b\n\n") == [E("message", "b", "1")]


# --- event object -----------------------------------------------------------------


def test_event_object() -> None:
    ev = E("e", '{"a": [1, 2]}', "5", 100)
    assert ev.json() == {"a": [1, 2]}
    assert ev == E(event="e", data='{"a": [1, 2]}', id="5", retry=100)
    assert ev != E("e", '{"a": [1, 2]}', "6", 100)
    assert repr(E()) == "ServerSentEvent(event='message', data='', id='', retry=None)"
    assert hash(ev) == hash(E("e", '{"a": [1, 2]}', "5", 100))
    with pytest.raises(AttributeError):
        ev.data = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ev.other = 1  # type: ignore[attr-defined]


# --- streaming helpers --------------------------------------------------------------


def test_iter_sse_has_no_read_ahead() -> None:
    consumed: list[int] = []

    def chunks() -> Iterator[bytes]:
        for i, c in enumerate([b"data: a\n", b"\n", b"data: b\n\n", b"data: c"]):
            consumed.append(i)
            yield c

    it = iter_sse(chunks())
    assert next(it) == E("message", "a")
    assert consumed == [0, 1]
    assert next(it) == E("message", "b")
    assert consumed == [0, 1, 2]
    assert list(it) == []


def test_aiter_sse_has_no_read_ahead() -> None:
    consumed: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for i, c in enumerate([b"data: a\r", b"\r", b"data: b\r", b"\n\r\n"]):
            consumed.append(i)
            yield c

    async def run() -> None:
        it = aiter_sse(chunks())
        assert await anext(it) == E("message", "a")
        assert consumed == [0, 1]
        assert await anext(it) == E("message", "b")
        assert consumed == [0, 1, 2, 3]
        assert [e async for e in it] == []

    asyncio.run(run())


def test_aiter_sse_matches_iter_sse() -> None:
    chunks = [BODY[i : i + 97] for i in range(0, len(BODY), 97)]

    async def agen() -> AsyncIterator[bytes]:
        for c in chunks:
            yield c

    async def collect() -> list[ServerSentEvent]:
        return [e async for e in aiter_sse(agen())]

    assert asyncio.run(collect()) == list(iter_sse(chunks)) == decode(BODY)


def test_decoder_shared_across_reconnects() -> None:
    dec = SSEDecoder()
    first = list(iter_sse([b"id: 5\ndata: a\n\n"], decoder=dec))
    second = list(iter_sse([b"data: b\n\n"], decoder=dec))
    assert first + second == [E("message", "a", "5"), E("message", "b", "5")]


def test_long_event_over_many_chunks() -> None:
    # Its speed (no quadratic re-scanning) is measured by `nox -s bench`, not asserted here.
    chunks = [b"data: "] + [b"x" * 49 + b"y"] * 40_000 + [b"\n\n"]  # one 2 MB line
    [event] = decode(*chunks)
    assert event.data == ("x" * 49 + "y") * 40_000


# --- real R2R stream ----------------------------------------------------------------


ONE_CHUNK = decode(BODY)


def test_fixture_one_chunk() -> None:
    assert [e.event for e in ONE_CHUNK] == [
        "search_results",
        *["message"] * 4,
        "citation",
        *["message"] * 7,
        "final_answer",
        "done",
    ]
    assert ONE_CHUNK[-1].data == "[DONE]"
    for event in ONE_CHUNK[:-1]:
        assert isinstance(event.json(), dict)
    assert ONE_CHUNK[0].json()["object"] == "rag.search_results"
    assert all(e.id == "" and e.retry is None for e in ONE_CHUNK)
    assert reference_parse(BODY) == ONE_CHUNK


def test_fixture_every_two_chunk_split() -> None:
    for i in range(len(BODY) + 1):
        assert decode(BODY[:i], BODY[i:]) == ONE_CHUNK, i


def test_fixture_one_byte_chunks() -> None:
    assert decode(*(BODY[i : i + 1] for i in range(len(BODY)))) == ONE_CHUNK


def test_fixture_with_crlf_and_cr_line_ends() -> None:
    for eol in (b"\r\n", b"\r"):
        body = BODY.replace(b"\n", eol)
        assert decode(body) == ONE_CHUNK
        assert decode(*(body[i : i + 1] for i in range(len(body)))) == ONE_CHUNK


@st.composite
def chunked(draw: st.DrawFn, bodies: st.SearchStrategy[bytes]) -> Case:
    body = draw(bodies)
    cuts = draw(st.lists(st.integers(0, len(body)), max_size=40))
    return body, split_at(body, cuts)


@settings(max_examples=200, deadline=None)
@given(chunked(st.just(BODY)))
def test_fixture_random_chunking(case: Case) -> None:
    _, chunks = case
    assert decode(*chunks) == ONE_CHUNK


_text = st.text(
    st.one_of(
        st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]),
        st.sampled_from([*"é€😀", "\u2028", "\u2029", "\x85", "\ufeff", "\0", ":"]),
    ),
    max_size=8,
)
_line = st.one_of(
    st.tuples(st.sampled_from(["data", "data:", "data: "]), _text).map("".join),
    st.sampled_from(["data", "data:", "data: ", "", "", ""]),
    _text.map(lambda t: f"event: {t}"),
    _text.map(lambda t: f"id: {t}"),
    st.sampled_from(["id", "id:", "retry: 100", "retry: x1", "retry:7", ": ping", ":"]),
    _text,  # arbitrary junk: unknown field, comment or data-like line
)
_eol = st.sampled_from(["\n", "\r", "\r\n"])
_stream = st.tuples(
    st.sampled_from(["", "\ufeff"]),
    st.lists(st.tuples(_line, _eol).map("".join), max_size=30),
    st.sampled_from(["", "data: tail", "\r", "\n"]),
).map(lambda p: (p[0] + "".join(p[1]) + p[2]).encode())


@settings(max_examples=200, deadline=None)
@given(chunked(_stream))
def test_generated_streams_any_chunking(case: Case) -> None:
    body, chunks = case
    expected = reference_parse(body)
    assert decode(body) == expected
    assert decode(*chunks) == expected


_soup = st.lists(
    st.sampled_from(
        [
            *(b"\r", b"\n", b"\r\n", b"data", b"data: ", b": ", b"id: 1", b"id"),
            *(b"event: e", b"retry: 12", b"x", b" ", b"\x00", b"\xef\xbb\xbf", b"\xef"),
            *(
                b"\xbb",
                b"\xbf",
                b"\xe2\x82\xac",
                b"\xe2\x82",
                b"\xff",
                b"\xf0\x9f\x98\x80",
            ),
        ]
    ),
    max_size=60,
).map(b"".join)


@settings(max_examples=200, deadline=None)
@given(chunked(_soup))
def test_byte_soup_any_chunking(case: Case) -> None:
    body, chunks = case
    expected = reference_parse(body)
    assert decode(body) == expected
    assert decode(*chunks) == expected
