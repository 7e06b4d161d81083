"""The Server-Sent Events decoder (`r2r_client.sse`), rule by rule of the WHATWG spec.

Promises checked:
- each rule of "Interpreting an event stream": line ends (LF, CR, CRLF, even split across
  chunks), UTF-8 (split or invalid), the leading BOM, comments, field parsing, `data` joining,
  `event`, `id` (kept across events, NUL refused), `retry` (ASCII digits only, any length),
  unknown fields, and the end of input (an unfinished event is dropped);
- the events do not depend on how the bytes are cut: the real R2R capture cut anywhere, and
  generated streams compared with a naive whole-input transcription of the spec;
- `iter_sse` and `aiter_sse` yield each event as soon as its bytes arrive (no read-ahead) and,
  given a decoder, keep the last event id and retry time across reconnections.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator, Iterable, Iterator

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
def test_lf_cr_and_crlf_each_end_a_line(eol: bytes) -> None:
    body = eol.join([b"event: e", b"data: a", b"data: b", b"", b"data: c", b"", b""])
    assert decode(body) == [E("e", "a\nb"), E("message", "c")]


def test_line_ends_may_be_mixed() -> None:
    body = b"data: a\rdata: b\r\ndata: c\n\r\n\rdata: d\n\n"
    assert decode(body) == [E("message", "a\nb\nc"), E("message", "d")]


def test_a_crlf_split_across_chunks_is_one_line_end() -> None:
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


def test_a_cr_dispatches_without_waiting_for_the_next_chunk() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"data: a\r\r") == [E("message", "a")]
    assert dec.feed(b"data: b\r") == []
    assert dec.feed(b"\r") == [E("message", "b")]


def test_an_lf_after_a_cr_is_skipped_only_at_the_start_of_the_next_chunk() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"data: a\r") == []
    assert dec.feed(b"x\n") == []  # "x" is a new line (unknown field)
    assert dec.feed(b"\n") == [E("message", "a")]


def test_lf_after_cr_is_skipped_once_even_when_the_chunk_ends_no_line() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"data: a\r") == []
    assert dec.feed(b"\ndata: b") == []  # the LF of the CRLF, then an unfinished line
    # This LF ends "data: b"; the next one ends the block.
    assert dec.feed(b"\n\n") == [E("message", "a\nb")]


# --- decoding ------------------------------------------------------------------


def test_utf8_split_across_chunks_is_decoded_whole() -> None:
    body = "data: é€😀ü\n\n".encode()
    expected = [E("message", "é€😀ü")]
    for i in range(len(body) + 1):
        assert decode(body[:i], body[i:]) == expected
    assert decode(*(body[i : i + 1] for i in range(len(body)))) == expected


def test_invalid_utf8_is_replaced_by_u_fffd() -> None:
    body = b"data: a\xffb\xe2\x82\ndata: \xc0\xaf\xed\xa0\x80z\xf0\x9f\n\n"
    expected = [E("message", "a\ufffdb\ufffd\n" + "\ufffd" * 5 + "z\ufffd")]
    assert decode(body) == expected
    assert decode(*(body[i : i + 1] for i in range(len(body)))) == expected


def test_a_leading_bom_is_stripped_once() -> None:
    assert decode(b"\xef\xbb\xbfdata: x\n\n") == [E("message", "x")]
    assert decode(b"\xef", b"\xbb", b"\xbf", b"data: x\n\n") == [E("message", "x")]
    assert decode(b"", b"\xef\xbb", b"\xbfdata: x\n\n") == [E("message", "x")]
    # A second BOM makes the first line's field name "\ufeffdata": unknown.
    assert decode(b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\n") == []


def test_a_bom_later_in_the_stream_is_data() -> None:
    body = b"data: \xef\xbb\xbfx\n\n\xef\xbb\xbfdata: y\n\n"
    assert decode(body) == [E("message", "\ufeffx")]
    assert decode(b"data: a\n", b"\xef\xbb\xbf", b"data: b\n\n") == [E("message", "a")]


def test_a_partial_bom_prefix_is_kept_as_bytes() -> None:
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
def test_one_space_after_the_colon_is_dropped(line: bytes, value: str) -> None:
    assert decode(line + b"\n\n") == [E("message", value)]


def test_field_names_are_exact() -> None:
    assert decode(b"data : x\nData: y\n DATA: z\n\n") == []


def test_data_lines_are_joined_with_newlines() -> None:
    assert decode(b"data: a\ndata:\ndata: b\n\n") == [E("message", "a\n\nb")]
    assert decode(b"data\ndata\n\n") == [E("message", "\n")]
    assert decode(b"data: a\n\ndata: b\n\n") == [E("message", "a"), E("message", "b")]


def test_a_block_without_data_dispatches_nothing_and_resets_the_type() -> None:
    body = b"event: ping\n\ndata: x\n\nevent: e\nid: 3\nretry: 9\n\ndata: y\n\n"
    assert decode(body) == [E("message", "x"), E("message", "y", "3")]


def test_an_event_type_applies_to_its_block_only() -> None:
    body = b"event: a\nevent: b\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n"
    assert decode(body) == [E("b", "1"), E("message", "2"), E("message", "3")]


def test_the_last_event_id_persists_until_reset() -> None:
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
def test_retry_takes_ascii_digits_only(value: bytes, expected: int | None) -> None:
    body = b"retry: " + value + b"\ndata: x\n\n"
    assert decode(body) == [E("message", "x", "", expected)]


def test_a_retry_longer_than_ints_string_limit_is_read() -> None:
    [event] = decode(b"retry: " + b"1" * 5000 + b"\ndata: x\n\n")
    assert event.retry == (10**5000 - 1) // 9  # 5000 ones, no ValueError


def test_retry_is_per_block_but_the_decoder_remembers_it() -> None:
    dec = SSEDecoder()
    assert dec.retry is None
    events = dec.feed(b"retry: 10\n\ndata: a\n\nretry: 20\ndata: b\n\ndata: c\n\n")
    assert events == [E("message", "a"), E("message", "b", retry=20), E("message", "c")]
    assert dec.retry == 20


def test_unknown_fields_are_ignored() -> None:
    body = b"foo: bar\ndata: x\nretries: 5\nevent2: y\nidx: 3\n\n"
    assert decode(body) == [E("message", "x")]


def test_unicode_line_separators_are_not_line_breaks() -> None:
    text = "a\u2028b\u2029c\x85d\x0be\x0cf\x1cg\x1dh\x1ei"
    assert text.splitlines() != [text]  # why str.splitlines() must not be used
    assert decode(f"data: {text}\n\n".encode()) == [E("message", text)]


# --- end of input -----------------------------------------------------------------


def test_an_unterminated_block_is_dropped_at_the_end() -> None:
    assert decode(b"data: x\n") == []
    assert decode(b"data: x\n\ndata: y\n") == [E("message", "x")]
    assert decode(b"data: x\n\ndata: y") == [E("message", "x")]
    dec = SSEDecoder()
    dec.feed(b"data: x\n")
    assert dec.close() == []


def test_close_drops_an_unfinished_line_and_allows_reuse() -> None:
    dec = SSEDecoder()
    assert dec.feed(b"id: 1\ndata: a\n\nid: 12") == [E("message", "a", "1")]
    assert dec.close() == []
    assert dec.last_event_id == "1"  # "id: 12" may have been cut from "id: 123"
    # After close the decoder reads a fresh stream (BOM allowed again) and
    # keeps the last event ID, as a reconnecting EventSource does.
    assert dec.feed(b"\xef\xbb\xbfdata: b\n\n") == [E("message", "b", "1")]


# --- event object -----------------------------------------------------------------


def test_an_event_is_an_immutable_tuple_with_json() -> None:
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


async def _achunks(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def collect(
    kind: str, chunks: Iterable[bytes], decoder: SSEDecoder | None = None
) -> list[ServerSentEvent]:
    """Every event of `chunks`, through iter_sse or aiter_sse."""
    if kind == "iter_sse":
        return list(iter_sse(chunks, decoder=decoder))

    async def main() -> list[ServerSentEvent]:
        return [event async for event in aiter_sse(_achunks(chunks), decoder=decoder)]

    return asyncio.run(main())


HELPERS = ["iter_sse", "aiter_sse"]


def test_iter_sse_yields_each_event_before_reading_on() -> None:
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


def test_aiter_sse_yields_each_event_before_reading_on() -> None:
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


@pytest.mark.parametrize("kind", HELPERS)
def test_both_helpers_give_the_decoders_events(kind: str) -> None:
    chunks = [BODY[i : i + 97] for i in range(0, len(BODY), 97)]
    assert collect(kind, chunks) == decode(BODY)
    # An unfinished event at the end of the input is dropped.
    assert collect(kind, [b"data: a\n\ndata: b\n"]) == [E("message", "a")]


@pytest.mark.parametrize("kind", HELPERS)
def test_a_decoder_given_to_the_helpers_is_kept_across_reconnections(kind: str) -> None:
    decoder = SSEDecoder()
    first = collect(kind, [b"id: 7\nretry: 250\ndata: a\n\n"], decoder)
    assert first == [E("message", "a", "7", 250)]
    # A reconnection with the same decoder keeps the last event id and the retry time.
    assert collect(kind, [b"data: b\n\n"], decoder) == [E("message", "b", "7", None)]
    assert decoder.last_event_id == "7"
    assert decoder.retry == 250
    # Without one, each call starts afresh.
    assert collect(kind, [b"data: b\n\n"]) == [E("message", "b", "", None)]


def test_a_long_event_over_many_chunks() -> None:
    # Its speed (no quadratic re-scanning) is measured by `nox -s bench`, not asserted here.
    chunks = [b"data: "] + [b"x" * 49 + b"y"] * 40_000 + [b"\n\n"]  # one 2 MB line
    [event] = decode(*chunks)
    assert event.data == ("x" * 49 + "y") * 40_000


# --- real R2R stream ----------------------------------------------------------------


ONE_CHUNK = decode(BODY)


def test_the_capture_gives_r2rs_events() -> None:
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


def test_the_capture_cut_in_two_anywhere_gives_the_same_events() -> None:
    for i in range(len(BODY) + 1):
        assert decode(BODY[:i], BODY[i:]) == ONE_CHUNK, i


def test_the_capture_byte_by_byte_gives_the_same_events() -> None:
    assert decode(*(BODY[i : i + 1] for i in range(len(BODY)))) == ONE_CHUNK


def test_the_capture_with_crlf_or_cr_line_ends_gives_the_same_events() -> None:
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
def test_the_capture_cut_at_random_gives_the_same_events(case: Case) -> None:
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
def test_generated_streams_match_the_spec_however_cut(case: Case) -> None:
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
def test_byte_soup_matches_the_spec_however_cut(case: Case) -> None:
    body, chunks = case
    expected = reference_parse(body)
    assert decode(body) == expected
    assert decode(*chunks) == expected
