"""Credentials: which header carries them, at most one per request, refused with clear words.

Promises checked:
- an API key goes out as `Authorization: Bearer <key>` or `X-API-Key: <key>` (`auth_header`),
  a login token as `Authorization: Bearer <token>` or `token: <token>` (`token_header`), given
  to the constructor, to `set_api_key`/`set_access_token` (with their own header choice), or
  read from `R2R_API_KEY`; `unset_*` stops sending them; `repr` names the kind and header;
- the header choices accept their documented spellings in any case and refuse others with the
  list of choices;
- one credential per client and per request: two kinds at once, or a second credential in
  `default_headers`, `with_options`, a call's `extra_headers` or the http_client's headers, or
  a user name and password in `base_url` (sent as Basic auth), is a ConfigurationError naming
  the headers, raised before anything is sent; a credential given only in `extra_headers` is
  sent as is;
- a credential that HTTP cannot carry (empty, not a string, a stray newline...) is refused
  when given, naming where it came from but never its value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from _config_errors_helpers import ScriptedServer, send_with
from _helpers import BASE, KINDS, call, fixture_response

from r2r_client import AsyncR2RClient, ConfigurationError, R2RClient

RAG = "/v3/retrieval/rag"
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "token")
KEY = "sk-test-key"
WHITESPACE = (
    "has leading or trailing whitespace (a newline read from a file?): strip it first, "
    "e.g. value.strip()"
)
TWO_KINDS = (
    "cannot set {new}: the client already has {old}; the server refuses two credentials on one "
    "request (unset the other one first)"
)


@pytest.fixture
def api() -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(RAG, name="rag").mock(return_value=fixture_response("06-rag"))
        yield router


def sent_credentials(router: respx.Router) -> dict[str, str]:
    """The credential headers of the last request, by lower-case name."""
    headers = router.calls.last.request.headers
    return {name: headers[name] for name in CREDENTIAL_HEADERS if name in headers}


def rag(client: Any) -> Any:
    return client.retrieval.rag("q")


# -- which header ------------------------------------------------------------------------------

WAYS = [
    pytest.param({"api_key": KEY}, {"authorization": f"Bearer {KEY}"}, "api_key in Authorization"),
    pytest.param(
        {"api_key": KEY, "auth_header": "bearer"},
        {"authorization": f"Bearer {KEY}"},
        "api_key in Authorization",
    ),
    pytest.param(
        {"api_key": KEY, "auth_header": "x-api-key"}, {"x-api-key": KEY}, "api_key in X-API-Key"
    ),
    pytest.param(
        {"access_token": KEY}, {"authorization": f"Bearer {KEY}"}, "access_token in Authorization"
    ),
    pytest.param(
        {"access_token": KEY, "token_header": "token"}, {"token": KEY}, "access_token in token"
    ),
    pytest.param({}, {}, "none"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("kwargs", "sent", "described"), WAYS)
def test_the_credential_goes_in_the_header_chosen(
    api: respx.Router, kind: str, kwargs: dict[str, Any], sent: dict[str, str], described: str
) -> None:
    call(kind, rag, **kwargs)
    assert sent_credentials(api) == sent
    cls = R2RClient if kind == "sync" else AsyncR2RClient
    assert repr(cls(BASE, **kwargs)) == (
        f"{cls.__name__}(base_url={BASE!r}, auth={described!r}, max_retries=2)"
    )


@pytest.mark.parametrize(
    ("choice", "header", "value"),
    [
        ("bearer", "Authorization", f"Bearer {KEY}"),
        ("Bearer", "Authorization", f"Bearer {KEY}"),
        ("Authorization", "Authorization", f"Bearer {KEY}"),
        ("AUTHORIZATION", "Authorization", f"Bearer {KEY}"),
        ("x-api-key", "X-API-Key", KEY),
        ("X-API-KEY", "X-API-Key", KEY),
    ],
)
def test_the_api_key_header_choice_is_read_in_any_case(
    api: respx.Router, choice: str, header: str, value: str
) -> None:
    call("sync", rag, api_key=KEY, auth_header=choice)
    request = api.calls.last.request
    assert [(n.decode(), v.decode()) for n, v in request.headers.raw if n.decode() == header] == [
        (header, value)
    ]
    assert repr(R2RClient(BASE, api_key=KEY, auth_header=choice)).endswith(
        f"auth='api_key in {header}', max_retries=2)"
    )


@pytest.mark.parametrize(
    ("choice", "header", "value"),
    [
        ("bearer", "Authorization", f"Bearer {KEY}"),
        ("authorization", "Authorization", f"Bearer {KEY}"),
        ("Token", "token", KEY),
    ],
)
def test_the_token_header_choice_is_read_in_any_case(
    api: respx.Router, choice: str, header: str, value: str
) -> None:
    call("sync", rag, access_token=KEY, token_header=choice)
    request = api.calls.last.request
    assert [(n.decode(), v.decode()) for n, v in request.headers.raw if n.decode() == header] == [
        (header, value)
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: R2RClient(BASE, api_key=KEY, auth_header="token"),
            "auth_header must be one of ['bearer', 'x-api-key'], not 'token'",
        ),
        (
            lambda: R2RClient(BASE, api_key=KEY, auth_header="cookie"),
            "auth_header must be one of ['bearer', 'x-api-key'], not 'cookie'",
        ),
        (
            lambda: R2RClient(BASE, api_key=KEY, auth_header=5),  # type: ignore[arg-type]
            "auth_header must be one of ['bearer', 'x-api-key'], not 5",
        ),
        (
            lambda: R2RClient(BASE).set_api_key(KEY, auth_header="token"),
            "auth_header must be one of ['bearer', 'x-api-key'], not 'token'",
        ),
        (
            lambda: AsyncR2RClient(BASE, access_token=KEY, token_header="x-api-key"),
            "token_header must be one of ['bearer', 'token'], not 'x-api-key'",
        ),
        (
            lambda: R2RClient(BASE, access_token=KEY, token_header=""),
            "token_header must be one of ['bearer', 'token'], not ''",
        ),
        (
            lambda: R2RClient(BASE, token_header="cookie").set_access_token(KEY),
            "token_header must be one of ['bearer', 'token'], not 'cookie'",
        ),
    ],
)
def test_an_unknown_header_choice_is_refused_with_the_choices(make: Any, message: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        make()
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"auth_header": "x"}, "auth_header must be one of ['bearer', 'x-api-key'], not 'x'"),
        ({"token_header": "x"}, "token_header must be one of ['bearer', 'token'], not 'x'"),
    ],
)
def test_a_header_choice_is_checked_when_given_even_without_a_credential(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, **kwargs)
    assert str(info.value) == message


# -- setting and unsetting ---------------------------------------------------------------------


def test_set_and_unset_change_what_later_requests_carry(api: respx.Router) -> None:
    client = R2RClient(BASE, auth_header="x-api-key", token_header="token")
    steps: list[tuple[str, Any]] = [
        ("set_api_key", lambda: client.set_api_key("k1")),
        ("set_api_key bearer", lambda: client.set_api_key("k2", auth_header="bearer")),
        ("set_api_key again", lambda: client.set_api_key("k3")),
        ("unset_access_token (none set)", client.unset_access_token),
        ("unset_api_key", client.unset_api_key),
        ("set_access_token", lambda: client.set_access_token("t1")),
        ("set_access_token bearer", lambda: client.set_access_token("t2", token_header="bearer")),
        ("unset_api_key (none set)", client.unset_api_key),
        ("unset_access_token", client.unset_access_token),
    ]
    seen = []
    for name, step in steps:
        step()
        rag(client)
        seen.append((name, sent_credentials(api), repr(client).split("auth=")[1]))
    assert seen == [
        ("set_api_key", {"x-api-key": "k1"}, "'api_key in X-API-Key', max_retries=2)"),
        (
            "set_api_key bearer",
            {"authorization": "Bearer k2"},
            "'api_key in Authorization', max_retries=2)",
        ),
        ("set_api_key again", {"x-api-key": "k3"}, "'api_key in X-API-Key', max_retries=2)"),
        (
            "unset_access_token (none set)",
            {"x-api-key": "k3"},
            "'api_key in X-API-Key', max_retries=2)",
        ),
        ("unset_api_key", {}, "'none', max_retries=2)"),
        ("set_access_token", {"token": "t1"}, "'access_token in token', max_retries=2)"),
        (
            "set_access_token bearer",
            {"authorization": "Bearer t2"},
            "'access_token in Authorization', max_retries=2)",
        ),
        (
            "unset_api_key (none set)",
            {"authorization": "Bearer t2"},
            "'access_token in Authorization', max_retries=2)",
        ),
        ("unset_access_token", {}, "'none', max_retries=2)"),
    ]
    client.close()


@pytest.mark.parametrize("kind", KINDS)
def test_set_api_key_works_as_in_the_official_sdk(api: respx.Router, kind: str) -> None:
    def go(c: Any) -> Any:
        c.set_api_key(KEY)
        return rag(c)

    call(kind, go)
    assert sent_credentials(api) == {"authorization": f"Bearer {KEY}"}


def test_a_clone_keeps_the_credential_but_not_later_changes(api: respx.Router) -> None:
    with R2RClient(BASE, api_key="k") as client:
        clone = client.with_options(max_retries=0)
        clone.unset_api_key()
        rag(client)
        assert sent_credentials(api) == {"authorization": "Bearer k"}
        rag(clone)
        assert sent_credentials(api) == {}
        client.set_api_key("k2")
        rag(clone)
        assert sent_credentials(api) == {}


# -- one credential at a time ------------------------------------------------------------------


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
def test_an_api_key_and_an_access_token_together_are_refused(cls: type[Any]) -> None:
    with pytest.raises(ConfigurationError) as info:
        cls(BASE, api_key=KEY, access_token="jwt")
    assert str(info.value) == (
        "give either api_key or access_token, not both: the server refuses two credentials on "
        "one request"
    )


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            {"api_key": KEY},
            lambda c: c.set_access_token("jwt"),
            TWO_KINDS.format(new="access token", old="an API key"),
        ),
        (
            {"access_token": "jwt"},
            lambda c: c.set_api_key(KEY),
            TWO_KINDS.format(new="api key", old="an access token"),
        ),
    ],
)
def test_setting_the_other_kind_of_credential_is_refused_and_changes_nothing(
    api: respx.Router, first: dict[str, Any], second: Any, message: str
) -> None:
    with R2RClient(BASE, **first) as client:
        before = sent_credentials_of(client, api)
        with pytest.raises(ConfigurationError) as info:
            second(client)
        assert str(info.value) == message
        assert sent_credentials_of(client, api) == before


def sent_credentials_of(client: R2RClient, api: respx.Router) -> dict[str, str]:
    rag(client)
    return sent_credentials(api)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("client_kwargs", "extra", "names"),
    [
        ({"api_key": KEY}, {"X-API-Key": "other"}, "authorization, x-api-key"),
        ({"api_key": KEY, "auth_header": "x-api-key"}, {"Authorization": "Bearer x"}, None),
        ({"access_token": KEY}, {"token": "t"}, "authorization, token"),
        ({"access_token": KEY, "token_header": "token"}, {"X-API-KEY": "k"}, "token, x-api-key"),
        ({}, {"token": "t", "x-api-key": "k"}, "token, x-api-key"),
        ({"api_key": KEY}, {"TOKEN": "t", "x-api-key": "k"}, "authorization, token, x-api-key"),
    ],
)
def test_a_second_credential_in_a_calls_headers_is_refused_before_sending(
    api: respx.Router,
    kind: str,
    client_kwargs: dict[str, str],
    extra: dict[str, str],
    names: str | None,
) -> None:
    with pytest.raises(ConfigurationError) as info:
        call(kind, lambda c: c.retrieval.rag("q", extra_headers=extra), **client_kwargs)
    names = names or "authorization, x-api-key"
    count = names.count(",") + 1
    assert str(info.value) == (
        f"a request may carry one credential, but it has {count} headers: {names}"
    )
    assert api.calls.call_count == 0


def test_a_second_credential_in_default_headers_or_a_clones_headers_is_refused(
    api: respx.Router,
) -> None:
    message = "a request may carry one credential, but it has 2 headers: authorization, {}"
    with R2RClient(BASE, api_key=KEY, default_headers={"token": "t"}) as client:
        with pytest.raises(ConfigurationError) as info:
            rag(client)
        assert str(info.value) == message.format("token")
    with R2RClient(BASE, api_key=KEY) as client:
        other = client.with_options(extra_headers={"X-API-Key": "k2"})
        with pytest.raises(ConfigurationError) as info:
            rag(other)
        assert str(info.value) == message.format("x-api-key")
        rag(client)  # the original is not changed by its clone
    assert api.calls.call_count == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_second_credential_in_the_http_clients_headers_is_refused(kind: str) -> None:
    server = ScriptedServer()
    with pytest.raises(ConfigurationError) as info:
        send_with(
            kind,
            server,
            rag,
            http_options={"headers": {"X-API-Key": "from-http-client"}},
            api_key=KEY,
        )
    assert str(info.value) == (
        "a request may carry one credential, but it has 2 headers: authorization, x-api-key"
    )
    assert server.seen == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_http_clients_credential_alone_is_sent(kind: str) -> None:
    server = ScriptedServer()
    send_with(
        kind,
        server,
        rag,
        http_options={"headers": {"token": "from-http-client"}},
        default_headers={"X-Other-Key": "not a credential R2R reads"},
    )
    assert server.seen[0].headers["token"] == "from-http-client"
    assert server.seen[0].headers["x-other-key"] == "not a credential R2R reads"


@pytest.mark.parametrize("kind", KINDS)
def test_a_credential_given_only_in_a_calls_headers_is_sent_as_is(
    api: respx.Router, kind: str
) -> None:
    call(kind, lambda c: c.retrieval.rag("q", extra_headers={"X-API-Key": "k"}))
    assert sent_credentials(api) == {"x-api-key": "k"}


# -- credentials HTTP cannot carry --------------------------------------------------------------


@pytest.mark.parametrize(
    ("give", "message"),
    [
        (
            lambda: R2RClient(BASE, api_key=""),
            "api_key must be a non-empty string, not an empty string",
        ),
        (
            lambda: R2RClient(BASE, api_key=5),  # type: ignore[arg-type]
            "api_key must be a non-empty string, not int",
        ),
        (
            lambda: R2RClient(BASE, api_key=b"k"),  # type: ignore[arg-type]
            "api_key must be a non-empty string, not bytes",
        ),
        (lambda: R2RClient(BASE, api_key=" k"), f"api_key {WHITESPACE}"),
        (
            lambda: AsyncR2RClient(BASE, access_token=""),
            "access_token must be a non-empty string, not an empty string",
        ),
        (
            lambda: R2RClient(BASE, access_token=5),  # type: ignore[arg-type]
            "access_token must be a non-empty string, not int",
        ),
        (
            lambda: R2RClient(BASE).set_api_key(""),
            "api_key must be a non-empty string, not an empty string",
        ),
        (lambda: R2RClient(BASE).set_api_key("k\n"), f"api_key {WHITESPACE}"),
        (
            lambda: R2RClient(BASE).set_access_token(None),  # type: ignore[arg-type]
            "access_token must be a non-empty string, not NoneType",
        ),
        (
            lambda: R2RClient(BASE).set_access_token("a\r\nb", token_header="token"),
            "access_token contains a line break (at index 1), which HTTP headers cannot carry",
        ),
    ],
)
def test_a_credential_http_cannot_carry_is_refused_naming_where_it_came_from(
    give: Any, message: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        give()
    assert str(info.value) == f"{message} (its value is not shown)"


def test_a_refused_credential_leaves_the_previous_one_in_place(api: respx.Router) -> None:
    with R2RClient(BASE, api_key="good") as client:
        with pytest.raises(ConfigurationError):
            client.set_api_key("bad\n")
        rag(client)
    assert sent_credentials(api) == {"authorization": "Bearer good"}


def test_the_official_sdk_spelling_of_an_http_client_keeps_its_credential_checks() -> None:
    http = httpx.Client(headers={"token": "t"})
    with pytest.raises(ConfigurationError) as info:
        R2RClient(BASE, api_key=KEY, custom_client=http).retrieval.rag("q")
    assert str(info.value) == (
        "a request may carry one credential, but it has 2 headers: authorization, token"
    )


@pytest.mark.parametrize(
    ("kwargs", "header"),
    [
        ({"api_key": "k"}, "authorization"),
        ({"api_key": "k", "auth_header": "x-api-key"}, "x-api-key"),
    ],
)
def test_a_user_and_password_in_the_base_url_beside_a_credential_are_refused_before_sending(
    api: respx.Router, kwargs: dict[str, str], header: str
) -> None:
    """httpx sends a URL's user info as Basic auth, silently in place of the Bearer key."""
    client = R2RClient("https://user:pw@example.com", **kwargs)  # type: ignore[arg-type]
    with client, pytest.raises(ConfigurationError) as info:
        client.retrieval.rag("q")
    assert str(info.value) == (
        "base_url carries a user name and password, which go out as Basic auth beside the "
        f"credential in {header}: a request may carry one credential (take them out of "
        "base_url, or unset the other)"
    )
    assert "pw" not in str(info.value)
    assert api.calls.call_count == 0


@pytest.mark.parametrize("kind", KINDS)
def test_a_user_and_password_in_the_base_url_beside_two_credentials_names_both_headers(
    api: respx.Router, kind: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        call(
            kind,
            lambda c: c.retrieval.rag("q", extra_headers={"token": "t"}),
            base_url="https://user:pw@example.com",
            api_key=KEY,
        )
    assert str(info.value) == (
        "base_url carries a user name and password, which go out as Basic auth beside the "
        "credential in authorization, token: a request may carry one credential (take them out "
        "of base_url, or unset the other)"
    )
    assert api.calls.call_count == 0


def test_an_empty_header_choice_is_refused_by_the_setters_too() -> None:
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError) as info:
        client.set_access_token("t", token_header="")
    assert str(info.value) == "token_header must be one of ['bearer', 'token'], not ''"
    with pytest.raises(ConfigurationError) as info:
        client.set_api_key("k", auth_header="")
    assert str(info.value) == "auth_header must be one of ['bearer', 'x-api-key'], not ''"
