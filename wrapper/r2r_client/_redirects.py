"""The next request of a redirect, carrying credentials only back to the same origin.

httpx drops only `Authorization` when a redirect leaves the origin; a key in `X-API-Key`,
`token` or any other header would follow it. Here every header but a few harmless ones stays
behind when the origin changes, whatever its name.
"""

from __future__ import annotations

import httpx

from ._masking import mask_request_headers

MAX_REDIRECTS_MESSAGE = "too many redirects; the server keeps redirecting this request"

# What may go to another origin: nothing the user or the client configured.
_HARMLESS = frozenset({"accept", "accept-encoding", "user-agent", "content-type"})
_BODY_HEADERS = frozenset({"content-type", "content-length", "transfer-encoding"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def redirect_request(response: httpx.Response) -> httpx.Request | None:
    """The request a redirect asks for, or None when it cannot be followed (no http(s) URL)."""
    request = response.request
    try:
        url = request.url.join(response.headers["location"])
    except (KeyError, httpx.InvalidURL):
        return None
    if url.scheme not in _DEFAULT_PORTS or not url.host:
        return None
    method = request.method
    status = response.status_code
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method = "GET"  # what browsers and httpx do
    keep_body = method == request.method
    same_origin = _same_origin(request.url, url)
    headers = [
        (name, value)
        for name, value in request.headers.multi_items()
        if name.lower() != "host"
        and (same_origin or name.lower() in _HARMLESS)
        and (keep_body or name.lower() not in _BODY_HEADERS)
    ]
    return mask_request_headers(
        httpx.Request(
            method,
            url,
            headers=headers,
            content=request.content if keep_body else None,
            extensions=request.extensions,
        )
    )


def _same_origin(old: httpx.URL, new: httpx.URL) -> bool:
    """Same scheme, host and port; or the same host moving from http to https (an upgrade)."""
    old_port = old.port or _DEFAULT_PORTS[old.scheme]
    new_port = new.port or _DEFAULT_PORTS[new.scheme]
    if old.host != new.host:
        return False
    if old.scheme == new.scheme:
        return old_port == new_port
    return (old.scheme, old_port, new.scheme, new_port) == ("http", 80, "https", 443)
