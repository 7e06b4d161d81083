"""The warning for a credential about to travel in clear: when, what it says, where it points.

Promises checked:
- an InsecureTransportWarning when a credential (however given: api_key, access_token, a
  credential-like header in default_headers, with_options or a call, the http_client's headers
  or auth) is set up to go over plain http to another machine, saying what carries it and to
  which host, never its value;
- none over https, to a loopback address (127.0.0.0/8, ::1, localhost, *.localhost), or
  without a credential;
- later changes warn too: set_api_key, set_access_token, set_base_url, with_options;
- the warning points at the user's line (its stacklevel), whichever entry point raised it,
  so `python -W error::...` and warning filters by module work on the user's code: the
  frames of this package are skipped, and only they (its subpackages are ours, a package
  named `r2r_clientx` is not, nor code without a module name); the RequestValidationWarning
  of `validation="warn"` is placed by the same frame counting, and points there too.
"""

from __future__ import annotations

import asyncio
import os
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import respx
from _helpers import BASE, KINDS, SECRET, fixture_response

from r2r_client import AsyncR2RClient, InsecureTransportWarning, R2RClient, RequestValidationWarning

if TYPE_CHECKING:  # only their types are needed
    from r2r_client.params import CompletionGenerationConfigParam, MessageParam

PLAIN = "http://r2r.example:7272"
MESSAGES: list[MessageParam] = [{"role": "user", "content": "hi"}]
MODEL: CompletionGenerationConfigParam = {"model": "openai/test-model"}


def warned(action: Callable[[], object]) -> list[str]:
    """The messages of the warnings `action` raised (every one an InsecureTransportWarning)."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        action()
    assert [w.category for w in record] == [InsecureTransportWarning] * len(record)
    messages = [str(w.message) for w in record]
    assert all(SECRET not in message for message in messages)
    return messages


def sending(what: str, host: str = "r2r.example") -> str:
    return f"sending {what} over plain http to {host}; use https"


# -- when it warns ---------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [R2RClient, AsyncR2RClient])
@pytest.mark.parametrize(
    ("kwargs", "what"),
    [
        ({"api_key": SECRET}, "an api key"),
        ({"api_key": SECRET, "auth_header": "x-api-key"}, "an api key"),
        ({"access_token": SECRET}, "an access token"),
        ({"access_token": SECRET, "token_header": "token"}, "an access token"),
        (
            {"default_headers": {"X-Auth": SECRET, "Accept": "a", "X-Token": "t"}},
            "a credential in default_headers (X-Auth, X-Token)",
        ),
        (
            {"default_headers": {"Authorization": f"Bearer {SECRET}"}},
            "a credential in default_headers (Authorization)",
        ),
    ],
)
def test_a_credential_over_plain_http_warns_naming_what_carries_it(
    cls: type[Any], kwargs: dict[str, Any], what: str
) -> None:
    assert warned(lambda: cls(PLAIN, **kwargs)) == [sending(what)]


@pytest.mark.parametrize(
    ("http", "what"),
    [
        (
            lambda: httpx.Client(headers={"X-API-Key": SECRET, "Accept": "a", "X-Token": "t"}),
            "a credential in the http_client's headers (x-api-key, x-token)",
        ),
        (lambda: httpx.Client(auth=("u", SECRET)), "the http_client's auth"),
    ],
)
def test_the_http_clients_credential_over_plain_http_warns(http: Any, what: str) -> None:
    given = http()
    assert warned(lambda: R2RClient(PLAIN, http_client=given)) == [sending(what)]


def test_a_client_credential_is_named_before_an_http_client_credential() -> None:
    http = httpx.Client(headers={"X-Token": "t"}, auth=("u", "p"))
    assert warned(lambda: R2RClient(PLAIN, api_key=SECRET, http_client=http)) == [
        sending("an api key")
    ]
    http = httpx.Client(headers={"X-Token": "t"}, auth=("u", "p"))
    assert warned(lambda: R2RClient(PLAIN, default_headers={"X-Key": "k"}, http_client=http)) == [
        sending("a credential in default_headers (X-Key)")
    ]
    http = httpx.Client(headers={"X-Token": "t"}, auth=("u", "p"))
    assert warned(lambda: R2RClient(PLAIN, http_client=http)) == [
        sending("a credential in the http_client's headers (x-token)")
    ]


@pytest.mark.parametrize(
    ("base_url", "host"),
    [
        ("http://10.0.0.5:7272", "10.0.0.5"),
        ("http://1.2.3.4", "1.2.3.4"),
        ("http://[fe80::1]:7272", "fe80::1"),
        ("http://localhost.example.com", "localhost.example.com"),
        ("http://mylocalhost", "mylocalhost"),
        ("http://127.0.0.1.nip.io", "127.0.0.1.nip.io"),  # looks like an address, is a name
    ],
)
def test_every_other_host_counts_as_another_machine(base_url: str, host: str) -> None:
    assert warned(lambda: R2RClient(base_url, api_key=SECRET)) == [sending("an api key", host)]


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:7272",
        "http://127.0.0.2",
        "http://localhost:7272",
        "http://LOCALHOST:7272",
        "http://[::1]:7272",
        "http://[::0001]:7272",
        "http://[0:0:0:0:0:0:0:1]",
        "http://api.localhost",
        "https://api.intelligence.io.solutions/api/r2r",
        "https://r2r.example",
    ],
)
def test_no_warning_over_https_or_to_this_machine(base_url: str) -> None:
    def use() -> None:
        client = R2RClient(base_url, api_key=SECRET, default_headers={"X-Key": "k"})
        client.set_base_url(base_url)
        client.unset_api_key()
        client.set_access_token(SECRET)
        client.with_options(extra_headers={"X-Token": "t"})

    assert warned(use) == []


def test_no_warning_without_a_credential() -> None:
    def use() -> None:
        client = R2RClient(PLAIN, default_headers={"X-Trace": "t"}, http_client=httpx.Client())
        client.with_options(extra_headers={"Accept": "a"})
        client.set_base_url("http://other.example")
        client.unset_api_key()

    assert warned(use) == []


def test_later_changes_that_send_a_credential_in_clear_warn() -> None:
    client = R2RClient(PLAIN)
    assert warned(lambda: client.set_api_key(SECRET)) == [sending("an api key")]
    client.unset_api_key()
    assert warned(lambda: client.set_access_token(SECRET)) == [sending("an access token")]
    assert warned(lambda: client.with_options(extra_headers={"X-Key": "v", "X-Token": "w"})) == [
        sending("a credential in extra_headers (X-Key, X-Token)")
    ]
    assert warned(lambda: client.with_options(max_retries=0)) == []
    secure = R2RClient("https://r2r.example", api_key=SECRET)
    assert warned(lambda: secure.set_base_url("http://r2r.internal")) == [
        sending("an api key", "r2r.internal")
    ]
    headers_only = R2RClient("https://r2r.example", default_headers={"X-API-Key": SECRET})
    assert warned(lambda: headers_only.set_base_url(PLAIN)) == [
        sending("a credential in default_headers (X-API-Key)")
    ]


def test_a_calls_credential_header_warns_once_per_call() -> None:
    with respx.mock(assert_all_called=False) as router:
        router.route().mock(return_value=fixture_response("04-completion"))
        client = R2RClient(PLAIN)
        assert warned(
            lambda: client.retrieval.completion(
                MESSAGES, MODEL, extra_headers={"X-Key": "v", "X-Token": "w"}
            )
        ) == [sending("a credential in extra_headers (X-Key, X-Token)")]
        assert (
            warned(
                lambda: client.retrieval.completion(MESSAGES, MODEL, extra_headers={"X-Trace": "t"})
            )
            == []
        )
        secure = R2RClient("https://r2r.example")
        assert (
            warned(
                lambda: secure.retrieval.completion(MESSAGES, MODEL, extra_headers={"X-Key": "v"})
            )
            == []
        )


# -- where it points -----------------------------------------------------------------------------


def attributed(action: Callable[[], object]) -> tuple[str, int]:
    """Where the single warning `action` raised points: (file, line)."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        action()
    [warning] = record
    assert warning.category is InsecureTransportWarning
    return warning.filename, warning.lineno


def user_line(action: Callable[[], object]) -> tuple[str, int]:
    """The line of a one-line lambda: the user's code, as far as the client can tell."""
    return __file__, action.__code__.co_firstlineno


def harness(filename: str) -> bool:
    """A frame of mutation testing's trampolines (`nox -s mutate`), which stands between the
    user's code and ours: there, the first frame outside the package is the trampoline's."""
    return f"{os.sep}mutmut{os.sep}" in filename


def test_every_entry_point_points_at_the_users_line() -> None:
    client = R2RClient(PLAIN)
    secure = R2RClient("https://r2r.example", api_key=SECRET)
    for action in (
        lambda: R2RClient(PLAIN, api_key=SECRET),
        lambda: AsyncR2RClient(PLAIN, access_token=SECRET),
        lambda: R2RClient(PLAIN, default_headers={"X-Key": "k"}),
        lambda: R2RClient(PLAIN, http_client=httpx.Client(auth=("u", "p"))),
        lambda: client.set_access_token(SECRET),
        lambda: client.with_options(extra_headers={"X-Key": "k"}),
        lambda: secure.set_base_url(PLAIN),
    ):
        client.unset_access_token()
        where = attributed(action)
        if not harness(where[0]):  # under mutation testing: the trampoline's frame
            assert where == user_line(action)


@pytest.mark.introspects
def test_a_calls_warning_points_at_the_users_line() -> None:
    with respx.mock(assert_all_called=False) as router:
        router.route().mock(return_value=fixture_response("04-completion"))
        client = R2RClient(PLAIN)
        action = lambda: client.retrieval.completion(MESSAGES, MODEL, extra_headers={"X-Key": "k"})  # noqa: E731
        assert attributed(action) == user_line(action)

        async def main() -> tuple[str, int]:
            async with AsyncR2RClient(PLAIN) as aclient:
                with warnings.catch_warnings(record=True) as record:
                    warnings.simplefilter("always")
                    headers = {"X-Key": "k"}
                    line = sys._getframe().f_lineno + 1
                    await aclient.retrieval.completion(MESSAGES, MODEL, extra_headers=headers)
                [warning] = record
                assert (warning.filename, warning.lineno) == (__file__, line)
                return warning.filename, warning.lineno

        asyncio.run(main())


@pytest.mark.introspects
@pytest.mark.parametrize(
    ("module", "points_at"),
    [
        pytest.param("r2r_clientx.plugin", "plugin", id="a-package-with-a-longer-name-is-not-ours"),
        pytest.param("r2r_client.plugin", "caller", id="a-module-of-our-package-is-ours"),
        pytest.param("r2r_client.sub.plugin", "caller", id="a-module-of-our-subpackage-is-ours"),
        pytest.param("plugin", "plugin", id="any-other-module"),
        pytest.param(None, "plugin", id="code-run-without-a-module-name"),
    ],
)
def test_the_warning_skips_exactly_the_frames_of_our_package(
    module: str | None, points_at: str
) -> None:
    """Code of another package that calls the client is the user's line; ours is skipped."""
    source = "def make(cls, url, key):\n    return cls(url, api_key=key)\n"
    namespace: dict[str, Any] = {} if module is None else {"__name__": module}
    exec(compile(source, "<plugin>", "exec"), namespace)
    make = namespace["make"]
    action = lambda: make(R2RClient, PLAIN, SECRET)  # noqa: E731
    expected = ("<plugin>", 2) if points_at == "plugin" else user_line(action)
    assert attributed(action) == expected


NO_MODEL = (
    "generation_config.model: R2R 3.6.6 has no default model for completion (without one it "
    "fails with 500 AttributeError after retrying the LLM call): give one, e.g. "
    'generation_config={"model": "openai/gpt-4.1-mini"}; for a server configured with a default '
    "model, pass validation='off' (sent anyway: validation='warn')"
)


@pytest.mark.parametrize("kind", KINDS)
def test_a_validation_warning_points_at_the_users_line_too(kind: str) -> None:
    """The frames of the package are counted the same way for `validation="warn"`."""

    async def main() -> tuple[list[warnings.WarningMessage], int]:
        async with AsyncR2RClient(BASE) as aclient:
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                line = sys._getframe().f_lineno + 1
                await aclient.retrieval.completion(MESSAGES, validation="warn")
        return record, line

    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.route().mock(return_value=fixture_response("04-completion"))
        if kind == "sync":
            client = R2RClient(BASE)
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                line = sys._getframe().f_lineno + 1
                client.retrieval.completion(MESSAGES, validation="warn")
        else:
            record, line = asyncio.run(main())
    [warning] = record
    assert warning.category is RequestValidationWarning
    assert str(warning.message) == NO_MODEL
    if not harness(warning.filename):  # under mutation testing: the trampoline's frame
        assert (warning.filename, warning.lineno) == (__file__, line)
