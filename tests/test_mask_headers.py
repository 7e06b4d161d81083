"""mask_headers: the one place that decides which header values logs and reprs may show."""

from __future__ import annotations

import pytest

from r2r_client._auth import MASK, is_secret_header, mask_headers


@pytest.mark.parametrize(
    "name",
    ["Authorization", "x-api-key", "X-API-KEY", "token", "Cookie", "X-My-Auth", "X-Secret"],
)
def test_credential_header_names_are_masked_whatever_their_case(name: str) -> None:
    assert is_secret_header(name)
    [(shown_name, value)] = mask_headers([(name, "sk-live-123")])
    assert shown_name == name
    assert "sk-live-123" not in value


def test_authorization_keeps_its_scheme_only() -> None:
    assert mask_headers([("authorization", "Bearer sk-live-123")]) == [
        ("authorization", f"Bearer {MASK}")
    ]


def test_a_known_secret_is_masked_under_any_header_name() -> None:
    headers = [("X-Forwarded-Credential", "prefix-sk-live-123"), ("Accept", "application/json")]
    assert mask_headers(headers, ["sk-live-123"]) == [
        ("X-Forwarded-Credential", MASK),
        ("Accept", "application/json"),
    ]


def test_ordinary_headers_are_shown_as_they_are() -> None:
    headers = [("Accept", "text/event-stream"), ("User-Agent", "r2r-client/0.1.0")]
    assert mask_headers(headers, [""]) == headers
    assert not is_secret_header("Content-Type")
