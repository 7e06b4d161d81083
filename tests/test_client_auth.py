"""Credentials: which header carries them, one at a time, and never printed."""

from __future__ import annotations

import logging
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, SECRET, call, fixture_response

from r2r_client import (
    APIConnectionError,
    AsyncR2RClient,
    AuthenticationError,
    ConfigurationError,
    InsecureTransportWarning,
    R2RClient,
)

RAG = "/v3/retrieval/rag"
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "token")


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(RAG, name="rag").mock(return_value=fixture_response("06-rag"))
        yield router


def sent_credentials(router: respx.Router) -> dict[str, str]:
    headers = router.calls.last.request.headers
    return {name: headers[name] for name in CREDENTIAL_HEADERS if name in headers}


@pytest.mark.parametrize("kind", KINDS)
def test_api_key_as_bearer_by_default(api: respx.Router, kind: str) -> None:
    call(kind, lambda c: c.retrieval.rag("q"), api_key=SECRET)
    assert sent_credentials(api) == {"authorization": f"Bearer {SECRET}"}


@pytest.mark.parametrize("kind", KINDS)
def test_set_api_key_as_bearer(api: respx.Router, kind: str) -> None:
    def go(c: Any) -> Any:
        c.set_api_key(SECRET)
        return c.retrieval.rag("q")

    call(kind, go)
    assert sent_credentials(api) == {"authorization": f"Bearer {SECRET}"}


@pytest.mark.parametrize("kind", KINDS)
def test_no_credential_sends_no_header(api: respx.Router, kind: str) -> None:
    call(kind, lambda c: c.retrieval.rag("q"))
    assert sent_credentials(api) == {}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("header", ["x-api-key", "X-API-Key"])
def test_x_api_key_header(api: respx.Router, kind: str, header: str) -> None:
    call(kind, lambda c: c.retrieval.rag("q"), api_key=SECRET, auth_header=header)
    assert sent_credentials(api) == {"x-api-key": SECRET}
    raw_names = [name.decode() for name, _ in api.calls.last.request.headers.raw]
    assert "X-API-Key" in raw_names


def test_set_api_key_with_header_override(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        client.set_api_key(SECRET, auth_header="x-api-key")
        client.retrieval.rag("q")
    assert sent_credentials(api) == {"x-api-key": SECRET}


@pytest.mark.parametrize("kind", KINDS)
def test_access_token_as_bearer(api: respx.Router, kind: str) -> None:
    call(kind, lambda c: c.retrieval.rag("q"), access_token=SECRET)
    assert sent_credentials(api) == {"authorization": f"Bearer {SECRET}"}


@pytest.mark.parametrize("kind", KINDS)
def test_access_token_in_token_header(api: respx.Router, kind: str) -> None:
    call(kind, lambda c: c.retrieval.rag("q"), access_token=SECRET, token_header="token")
    assert sent_credentials(api) == {"token": SECRET}


def test_set_access_token_with_token_header(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        client.set_access_token(SECRET, token_header="token")
        client.retrieval.rag("q")
    assert sent_credentials(api) == {"token": SECRET}


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: R2RClient(BASE, api_key=SECRET, auth_header="cookie"), id="key"),
        pytest.param(
            lambda: R2RClient(BASE, access_token=SECRET, token_header="x-api-key"), id="token"
        ),
    ],
)
def test_unknown_header_choice_rejected(make: Callable[[], R2RClient]) -> None:
    with pytest.raises(ConfigurationError) as info:
        make()
    assert SECRET not in str(info.value)


def test_set_api_key_after_access_token_refused(api: respx.Router) -> None:
    with R2RClient(BASE, access_token="jwt-1") as client:
        with pytest.raises(ConfigurationError, match="already has an access token"):
            client.set_api_key(SECRET)
        client.retrieval.rag("q")
    assert api.calls.call_count == 1
    assert sent_credentials(api) == {"authorization": "Bearer jwt-1"}


def test_set_access_token_after_api_key_refused() -> None:
    client = R2RClient(BASE, api_key=SECRET)
    with pytest.raises(ConfigurationError, match="already has an API key"):
        client.set_access_token("jwt")
    client.close()


def test_unset_then_switch_credential(api: respx.Router) -> None:
    with R2RClient(BASE, access_token="jwt-1") as client:
        client.unset_access_token()
        client.set_api_key(SECRET, auth_header="x-api-key")
        client.retrieval.rag("q")
        assert sent_credentials(api) == {"x-api-key": SECRET}
        client.unset_api_key()
        client.retrieval.rag("q")
        assert sent_credentials(api) == {}


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
def test_api_key_and_access_token_in_constructor_refused(cls: type) -> None:
    with pytest.raises(ConfigurationError) as info:
        cls(BASE, api_key=SECRET, access_token="jwt")
    assert SECRET not in str(info.value)


def test_explicit_access_token_beats_env_key(
    api: respx.Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("R2R_API_KEY", "env-key")
    with R2RClient(BASE, access_token="jwt") as client:
        client.retrieval.rag("q")
    assert sent_credentials(api) == {"authorization": "Bearer jwt"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("client_kwargs", "extra"),
    [
        ({"api_key": SECRET}, {"X-API-Key": "other"}),
        ({"api_key": SECRET, "auth_header": "x-api-key"}, {"Authorization": "Bearer x"}),
        ({"access_token": SECRET}, {"token": "t"}),
    ],
)
def test_second_credential_in_extra_headers_refused(
    api: respx.Router, kind: str, client_kwargs: dict[str, str], extra: dict[str, str]
) -> None:
    with pytest.raises(ConfigurationError) as info:
        call(kind, lambda c: c.retrieval.rag("q", extra_headers=extra), **client_kwargs)
    assert api.calls.call_count == 0
    assert SECRET not in str(info.value)


def test_second_credential_in_default_headers_or_with_options_refused(api: respx.Router) -> None:
    with (
        R2RClient(BASE, api_key=SECRET, default_headers={"token": "t"}) as client,
        pytest.raises(ConfigurationError),
    ):
        client.retrieval.rag("q")
    with R2RClient(BASE, api_key=SECRET) as client:
        other = client.with_options(extra_headers={"X-API-Key": "k2"})
        with pytest.raises(ConfigurationError):
            other.retrieval.rag("q")
    assert api.calls.call_count == 0


def test_second_credential_on_user_http_client_refused(api: respx.Router) -> None:
    http = httpx.Client(headers={"X-API-Key": "from-http-client"})
    client = R2RClient(BASE, api_key=SECRET, http_client=http)
    with pytest.raises(ConfigurationError):
        client.retrieval.rag("q")
    assert api.calls.call_count == 0
    http.close()


def test_credential_only_in_extra_headers_is_allowed(api: respx.Router) -> None:
    with R2RClient(BASE) as client:
        client.retrieval.rag("q", extra_headers={"X-API-Key": "k"})
    assert sent_credentials(api) == {"x-api-key": "k"}


def test_empty_credential_rejected() -> None:
    client = R2RClient(BASE)
    with pytest.raises(ConfigurationError):
        client.set_api_key("")
    with pytest.raises(ConfigurationError):
        client.set_access_token("")
    client.close()


# -- secrets never printed ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"api_key": SECRET},
        {"api_key": SECRET, "auth_header": "x-api-key"},
        {"access_token": SECRET},
        {"access_token": SECRET, "token_header": "token"},
    ],
)
def test_secret_not_in_repr(cls: type, kwargs: dict[str, str]) -> None:
    client = cls(BASE, **kwargs)
    for text in (repr(client), str(client), repr(client._credentials), str(client._credentials)):
        assert SECRET not in text
        assert "TOPSECRET" not in text
    kind = "api_key" if "api_key" in kwargs else "access_token"
    assert kind in repr(client)
    assert BASE in repr(client)
    clone = client.with_options(max_retries=1)
    assert SECRET not in repr(clone)
    assert SECRET not in repr(client.__dict__)


def test_secret_object_masks() -> None:
    from r2r_client._auth import Secret

    secret = Secret(SECRET)
    assert SECRET not in repr(secret)
    assert SECRET not in str(secret)
    assert SECRET not in f"{secret}"
    assert secret.reveal() == SECRET


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.usefixtures("sleeps")
def test_secret_not_in_401_errors_or_logs(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "r2r_client"):
        caplog.set_level(logging.DEBUG, logger=name)
    with respx.mock(base_url=BASE) as router:
        route = router.post(RAG).mock(
            side_effect=[
                httpx.Response(503, json={"message": "busy"}),
                fixture_response("18-rag-bad-bearer-on-noauth"),
            ]
        )
        with pytest.raises(AuthenticationError) as info:
            call(kind, lambda c: c.retrieval.rag("q"), api_key=SECRET)
    assert route.call_count == 2
    assert route.calls.last.request.headers["authorization"] == f"Bearer {SECRET}"
    error = info.value
    assert error.message == "Invalid token or API key"
    texts = [
        str(error),
        repr(error),
        error.message,
        repr(error.args),
        repr(error.body),
        "".join(traceback.format_exception(error)),
    ]
    for text in texts:
        assert SECRET not in text
    assert caplog.records, "the retried call should have logged something"
    assert any(r.name == "r2r_client" for r in caplog.records)
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.args)
    assert SECRET not in caplog.text


@pytest.mark.usefixtures("sleeps")
def test_secret_not_in_connection_error() -> None:
    with respx.mock(base_url=BASE) as router:
        router.post(RAG).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(APIConnectionError) as info:
            call("sync", lambda c: c.retrieval.rag("q"), api_key=SECRET, max_retries=1)
    assert SECRET not in str(info.value)
    assert SECRET not in repr(info.value)


# -- insecure transport ------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"api_key": SECRET},
        {"access_token": SECRET},
        {"api_key": SECRET, "auth_header": "x-api-key"},
    ],
)
def test_plain_http_to_remote_host_warns(cls: type, kwargs: dict[str, str]) -> None:
    with pytest.warns(InsecureTransportWarning) as record:
        cls("http://r2r.example.com:7272", **kwargs)
    assert len(record) == 1
    message = str(record[0].message)
    assert "r2r.example.com" in message
    assert SECRET not in message


@pytest.mark.introspects
def test_set_api_key_over_plain_http_warns_at_caller() -> None:
    client = R2RClient("http://10.0.0.5:7272")
    with pytest.warns(InsecureTransportWarning) as record:
        client.set_api_key(SECRET)
    assert record[0].filename == __file__
    client.close()


@pytest.mark.introspects
@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
def test_constructor_warning_attributed_to_caller(cls: type) -> None:
    with pytest.warns(InsecureTransportWarning) as record:
        cls("http://r2r.example.com", api_key=SECRET)
    assert record[0].filename == __file__


def test_set_base_url_to_plain_http_warns() -> None:
    client = R2RClient(BASE, api_key=SECRET)
    with pytest.warns(InsecureTransportWarning):
        client.set_base_url("http://r2r.internal")
    client.close()


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:7272",
        "http://localhost:7272",
        "http://[::1]:7272",
        "http://127.0.0.2",
        "http://api.localhost",
        "https://api.intelligence.io.solutions/api/r2r",
        "https://r2r.example.com",
    ],
)
def test_no_warning_for_loopback_or_https(base_url: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = R2RClient(base_url, api_key=SECRET)
        client.set_base_url(base_url)
    client.close()


def test_no_warning_without_credential() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        R2RClient("http://r2r.example.com").close()
