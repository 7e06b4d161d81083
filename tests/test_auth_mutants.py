"""Credentials, header checks and masked reprs: exact messages and values (mutation testing)."""

from __future__ import annotations

import types
from typing import Any, cast

import httpx
import pytest

from r2r_client import ConfigurationError
from r2r_client._auth import (
    Credentials,
    Secret,
    SecretValue,
    _frames_in_package,
    check_single_credential,
    mask_headers,
    name_problem,
    value_problem,
)
from r2r_client._headers import MaskedHeaders, checked_headers, concealed

CONTROL = "contains a control character, which HTTP headers cannot carry"
NOT_ASCII = "contains a character that is not ASCII (at index {}); HTTP header values must be ASCII"
LINE_BREAK = "contains a line break (at index {}), which HTTP headers cannot carry"
WHITESPACE = (
    "has leading or trailing whitespace (a newline read from a file?): strip it first, "
    "e.g. value.strip()"
)
BAD_NAME = (
    "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only, "
    "no spaces or other characters)"
)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("plain value", None),
        ("a\tb", None),
        (5, "must be a string, not int"),
        (" key", WHITESPACE),
        ("a\nb", LINE_BREAK.format(1)),
        ("ab\rc", LINE_BREAK.format(2)),
        ("X\x01", CONTROL),  # an X is not a line break
        ("é", NOT_ASCII.format(0)),
        ("a\x80", NOT_ASCII.format(1)),  # 0x80: the first character past ASCII
        ("a\x7f", CONTROL),  # DEL is ASCII, but a control character
        ("\x7fé", CONTROL),  # the first problem is the one named
        ("\x01é", CONTROL),
        ("a b\x80", NOT_ASCII.format(3)),  # an inner space is fine
        ("a!b\x80", NOT_ASCII.format(3)),
        ("a\tb\x80", NOT_ASCII.format(3)),  # so is an inner tab
        ("a\x1fb\x80", CONTROL),
    ],
)
def test_value_problem_names_the_first_problem(value: object, problem: str | None) -> None:
    assert value_problem(value) == problem


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("X-Custom_1.!#$%&'*+^`|~", None),
        (5, "is not a valid header name: header names are strings, not int"),
        ("bad name", BAD_NAME),
        ("", BAD_NAME),
    ],
)
def test_name_problem(name: object, problem: str | None) -> None:
    assert name_problem(name) == problem


def test_secret_prints_masked_and_keeps_its_value() -> None:
    secret = Secret("sk-123")
    assert repr(secret) == "Secret('**********')"
    assert str(secret) == "Secret('**********')"
    assert secret.reveal() == "sk-123"
    assert secret.problem is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "must be a non-empty string, not an empty string"),
        (5, "must be a non-empty string, not int"),
        (b"key", "must be a non-empty string, not bytes"),
        (" k", WHITESPACE),
    ],
)
def test_secret_problem(value: object, problem: str) -> None:
    secret = Secret(value)
    assert secret.problem == problem
    assert secret.reveal() == (value if isinstance(value, str) else "")


def test_secret_of() -> None:
    secret = Secret("k")
    assert Secret.of(secret) is secret
    assert Secret.of(None) is None
    made = Secret.of("k")
    assert isinstance(made, Secret)
    assert made.reveal() == "k"


@pytest.mark.parametrize(
    ("value", "shown"),
    [("Bearer abc", "'Bearer **********'"), ("abc", "'**********'"), ("a b c", "'a **********'")],
)
def test_secret_value_repr(value: str, shown: str) -> None:
    assert repr(SecretValue(value)) == shown
    assert str.__str__(SecretValue(value)) == value


def test_mask_headers_keeps_only_the_authorization_scheme() -> None:
    assert mask_headers(
        [
            ("Authorization", "Bearer a b"),
            ("X-API-Key", "Bearer k"),
            ("Accept", "text/plain"),
            ("X-Echo", "has k1 inside"),
        ],
        ["k1"],
    ) == [
        ("Authorization", "Bearer **********"),
        ("X-API-Key", "**********"),
        ("Accept", "text/plain"),
        ("X-Echo", "**********"),
    ]


@pytest.mark.parametrize(
    ("header", "sent_as"),
    [
        ("bearer", ("Authorization", "Bearer k")),
        ("Bearer", ("Authorization", "Bearer k")),
        ("Authorization", ("Authorization", "Bearer k")),
        ("AUTHORIZATION", ("Authorization", "Bearer k")),
        ("x-api-key", ("X-API-Key", "k")),
        ("X-API-KEY", ("X-API-Key", "k")),
    ],
)
def test_api_key_header_choice(header: str, sent_as: tuple[str, str]) -> None:
    credentials = Credentials()
    credentials.set_api_key(Secret("k"), header)
    assert credentials.headers() == dict([sent_as])
    assert credentials.describe() == f"api_key in {sent_as[0]}"
    assert repr(credentials) == f"Credentials(api_key in {sent_as[0]})"
    assert credentials.kind == "api_key"


@pytest.mark.parametrize(
    ("header", "sent_as"),
    [
        ("bearer", ("Authorization", "Bearer t")),
        ("authorization", ("Authorization", "Bearer t")),
        ("Token", ("token", "t")),
    ],
)
def test_token_header_choice(header: str, sent_as: tuple[str, str]) -> None:
    credentials = Credentials()
    credentials.set_access_token(Secret("t"), header)
    assert credentials.headers() == dict([sent_as])
    assert credentials.describe() == f"access_token in {sent_as[0]}"


@pytest.mark.parametrize(
    ("setter", "header", "message"),
    [
        ("set_api_key", "token", "auth_header must be one of ['bearer', 'x-api-key'], not 'token'"),
        ("set_api_key", 5, "auth_header must be one of ['bearer', 'x-api-key'], not 5"),
        ("set_api_key", None, "auth_header must be one of ['bearer', 'x-api-key'], not None"),
        (
            "set_access_token",
            "x-api-key",
            "token_header must be one of ['bearer', 'token'], not 'x-api-key'",
        ),
        ("set_access_token", "", "token_header must be one of ['bearer', 'token'], not ''"),
    ],
)
def test_header_choice_refused(setter: str, header: Any, message: str) -> None:
    credentials = Credentials()
    with pytest.raises(ConfigurationError) as info:
        getattr(credentials, setter)(Secret("k"), header)
    assert str(info.value) == message
    assert credentials.describe() == "none"


@pytest.mark.parametrize(
    ("setter", "source", "message"),
    [
        ("set_api_key", "", "api_key must be a non-empty string, not an empty string"),
        ("set_access_token", "", "access_token must be a non-empty string, not an empty string"),
        ("set_api_key", "the env", "the env must be a non-empty string, not an empty string"),
        ("set_access_token", "it", "it must be a non-empty string, not an empty string"),
    ],
)
def test_bad_credential_message_names_its_source(setter: str, source: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        getattr(Credentials(), setter)(Secret(""), "bearer", source=source)
    assert str(info.value) == f"{message} (its value is not shown)"


@pytest.mark.parametrize("setter", ["set_api_key", "set_access_token"])
def test_bad_credential_default_source(setter: str) -> None:
    source = setter.removeprefix("set_")
    with pytest.raises(ConfigurationError) as info:
        getattr(Credentials(), setter)(Secret(5), "bearer")
    assert (
        str(info.value) == f"{source} must be a non-empty string, not int (its value is not shown)"
    )


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            "set_api_key",
            "set_access_token",
            "cannot set access token: the client already has an API key; the server refuses two "
            "credentials on one request (unset the other one first)",
        ),
        (
            "set_access_token",
            "set_api_key",
            "cannot set api key: the client already has an access token; the server refuses two "
            "credentials on one request (unset the other one first)",
        ),
    ],
)
def test_two_kinds_of_credential_refused(first: str, second: str, message: str) -> None:
    credentials = Credentials()
    getattr(credentials, first)(Secret("a"), "bearer")
    with pytest.raises(ConfigurationError) as info:
        getattr(credentials, second)(Secret("b"), "bearer")
    assert str(info.value) == message


def test_clear_only_the_kind_set() -> None:
    credentials = Credentials()
    credentials.set_api_key(Secret("k"), "x-api-key")
    credentials.clear("access_token")
    assert credentials.headers() == {"X-API-Key": "k"}
    credentials.clear("api_key")
    assert credentials.headers() == {}
    assert credentials.kind is None
    assert repr(credentials) == "Credentials(none)"
    credentials.set_access_token(Secret("t"), "token")  # nothing left to conflict with
    assert credentials.headers() == {"token": "t"}


@pytest.mark.parametrize(
    ("headers", "client_headers", "message"),
    [
        ({"Authorization": "a", "X-API-Key": "b"}, {}, "2 headers: authorization, x-api-key"),
        ({"token": "a"}, {"x-api-key": "b"}, "2 headers: token, x-api-key"),
        (
            {"TOKEN": "a", "x-api-key": "b"},
            {"authorization": "c"},
            "3 headers: authorization, token, x-api-key",
        ),
    ],
)
def test_single_credential_check(
    headers: dict[str, str], client_headers: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        check_single_credential(headers, httpx.Headers(client_headers))
    assert str(info.value) == f"a request may carry one credential, but it has {message}"


@pytest.mark.parametrize(
    ("headers", "client_headers"),
    [
        ({"Authorization": "a"}, {}),
        ({}, {"x-api-key": "b"}),
        ({"X-Other-Key": "a"}, {"token": "b"}),
    ],
)
def test_one_credential_passes(headers: dict[str, str], client_headers: dict[str, str]) -> None:
    check_single_credential(headers, httpx.Headers(client_headers))


def _frames(*globals_: dict[str, str]) -> Any:
    """A chain of stand-in frames, innermost first, with these module globals."""
    frame: Any = None
    for module_globals in reversed(globals_):
        frame = types.SimpleNamespace(f_globals=module_globals, f_back=frame)
    return frame


@pytest.mark.parametrize(
    ("chain", "count"),
    [
        ([], 0),
        ([{"__name__": "user"}], 0),
        ([{"__name__": "r2r_client"}, {"__name__": "user"}, {"__name__": "r2r_client"}], 1),
        ([{"__name__": "r2r_client._config"}, {"__name__": "r2r_client.sub.mod"}, {}], 2),
        ([{"__name__": "r2r_client._client"}, {"__name__": "r2r_clientx.y"}], 1),
        ([{"__name__": "r2r_client.a"}] * 3, 3),
    ],
)
def test_frames_in_package_counts_up_to_the_first_outside(
    chain: list[dict[str, str]], count: int
) -> None:
    assert _frames_in_package(cast(Any, _frames(*chain))) == count


# -- _headers -------------------------------------------------------------------------------


def _config_error(field: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"{field} {problem}")


def test_checked_headers_keeps_secrets_masked_and_others_plain() -> None:
    checked = checked_headers({"X-API-Key": "k", "Accept": "a/b"}, "h", _config_error)
    assert checked == {"X-API-Key": "k", "Accept": "a/b"}
    assert type(checked["X-API-Key"]) is SecretValue
    assert type(checked["Accept"]) is str
    assert repr(checked) == "{'X-API-Key': '**********', 'Accept': 'a/b'}"


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (
            [("a", "b")],
            "default_headers expected a mapping of header names to values (a dict), got list",
        ),
        ({"bad name": "v"}, f"default_headers['bad name'] {BAD_NAME}"),
        ({"X-Key": "v\n"}, f"default_headers['X-Key'] {WHITESPACE}"),
        ({"ok": "v", "X-N": 3}, "default_headers['X-N'] must be a string, not int"),
    ],
)
def test_checked_headers_messages(headers: Any, message: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        checked_headers(headers, "default_headers", _config_error)
    assert str(info.value) == message


def test_concealed() -> None:
    assert concealed(None) is None
    given: Any = [("x-api-key", "k")]
    assert concealed(given) is given
    hidden = concealed({"X-API-Key": "k", "Accept": "a", 5: "x", "token": 7})
    assert hidden == {"X-API-Key": "k", "Accept": "a", 5: "x", "token": 7}
    assert type(hidden["X-API-Key"]) is SecretValue
    assert type(hidden["Accept"]) is str
    assert type(hidden[5]) is str


@pytest.mark.parametrize(
    ("items", "shown"),
    [
        (
            [("x-api-key", "k1"), ("x-other", "k1")],
            "MaskedHeaders({'x-api-key': '**********', 'x-other': '**********'})",
        ),
        (
            [("authorization", "Bearer tok"), ("x-echo", "tok")],
            "MaskedHeaders({'authorization': 'Bearer **********', 'x-echo': '**********'})",
        ),
        (
            [("authorization", "Bearer a b"), ("x-echo", "b")],
            "MaskedHeaders({'authorization': 'Bearer **********', 'x-echo': 'b'})",
        ),
        ([("accept", "x y"), ("x-echo", "y")], "MaskedHeaders({'accept': 'x y', 'x-echo': 'y'})"),
        (
            [("a", "1"), ("a", "2"), ("token", "t")],
            "MaskedHeaders([('a', '1'), ('a', '2'), ('token', '**********')])",
        ),
    ],
)
def test_masked_headers_repr(items: list[tuple[str, str]], shown: str) -> None:
    assert repr(MaskedHeaders(items)) == shown
