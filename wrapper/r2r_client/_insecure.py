"""The warning for a credential about to travel in clear to another machine."""

from __future__ import annotations

import sys
import warnings
from types import FrameType

import httpx


class InsecureTransportWarning(UserWarning):
    """A credential is about to travel over plain http to a host that is not this machine."""


def is_insecure(base_url: httpx.URL) -> bool:
    """Whether what is sent to `base_url` travels in clear to another machine."""
    return base_url.scheme == "http" and not _is_loopback(base_url.host)


def warn_if_insecure(base_url: httpx.URL, credential: str | None) -> None:
    """Warn that `credential` (what it is, never its value) is about to travel in clear.

    The warning points at the first frame outside this package: the user's line.
    """
    if credential is None or not is_insecure(base_url):
        return
    warnings.warn(
        f"sending {credential} over plain http to {base_url.host}; use https",
        InsecureTransportWarning,
        # 2: warn_if_insecure's caller, then past every frame of ours above it.
        stacklevel=2 + frames_in_package(sys._getframe(1)),
    )


_PACKAGE = __name__.partition(".")[0]  # "r2r_client"


def frames_in_package(frame: FrameType | None) -> int:
    """How many frames, from `frame` outwards, run code of this package (its subpackages too)."""
    count = 0
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == _PACKAGE:
        frame = frame.f_back
        count += 1
    return count


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "127.0.0.1", "::1") or host.endswith(".localhost"):
        return True
    if not host[:1].isdigit() and ":" not in host:
        return False  # a name, not an address: no need to load ipaddress
    import ipaddress  # only an address needs it: not imported with r2r_client

    try:
        return ipaddress.ip_address(host).is_loopback  # httpx gives IPv6 hosts unbracketed
    except ValueError:
        return False
