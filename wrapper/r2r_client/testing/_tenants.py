"""Who is asking, and how often: the fake server's users and their API keys, what each may see
and change, and R2R's rate limits with the request log they count.

Everything here mirrors R2R 3.6.6, so a test of rate-limit or multi-user handling means the
same offline as against a real server:

- rate limits (`core/providers/database/limits.py`, `core/main/api/v3/base_router.py`):
  never for superusers; for other users three counts, checked in this order before the route
  runs: all of the user's logged requests in the last minute (`global_per_min`), those to this
  route in the last minute (`route_per_min`), those to this route since the start of the UTC
  month (`monthly_limit`). A count *greater* than its limit is refused, so limit + 1 requests
  pass. Only POST and DELETE requests are logged, after the route ran, whatever it answered
  (a 500 counts); a refused request (429) is not logged, nor is a PUT.
- ownership (`documents_router.py`, `shared/abstractions/search.py`): a regular user changes
  only the documents it owns, and searches those it owns or that are in its collections.

Time comes from a `FakeClock`, which tests move forward instead of sleeping.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict

from ._corpus import COLLECTION_ID, OWNER_ID, Document

__all__ = [
    "GLOBAL_LIMIT_EXCEEDED",
    "MONTHLY_LIMIT_EXCEEDED",
    "ROUTE_LIMIT_EXCEEDED",
    "FakeClock",
    "FakeUser",
    "Limits",
    "RouteLimits",
    "Tenants",
    "scope_filters",
]

# The `detail` of R2R's 429s, word for word.
GLOBAL_LIMIT_EXCEEDED = "Global per-minute rate limit exceeded"
ROUTE_LIMIT_EXCEEDED = "Per-route per-minute rate limit exceeded"
MONTHLY_LIMIT_EXCEEDED = "Monthly rate limit exceeded"
# Methods R2R writes into its request log; every other method is checked but never counted.
_LOGGED_METHODS = frozenset({"POST", "DELETE"})
_MINUTE = timedelta(minutes=1)
_LIMIT_NAMES = ("global_per_min", "route_per_min", "monthly_limit")


class FakeClock:
    """The fake server's "now", which rate limits are counted against.

    `FakeClock()` follows the system clock; `FakeClock(start)` stands still at `start` (a
    timezone-aware datetime). Either way `advance(seconds)` moves it forward, so a test sees a
    per-minute window free up, or a new month begin, without sleeping.
    """

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError(
                "FakeClock(start): give a timezone-aware datetime, "
                "e.g. datetime(2026, 1, 31, 23, 59, tzinfo=UTC)"
            )
        self._start = start
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The current time in UTC, as the fake server sees it."""
        with self._lock:
            base = self._start if self._start is not None else datetime.now(UTC)
            return (base + self._offset).astimezone(UTC)

    def advance(self, seconds: float) -> None:
        """Move the clock forward (R2R's request log only ever sees time go forward)."""
        if seconds < 0:
            raise ValueError(f"FakeClock.advance(seconds): must be >= 0, got {seconds}")
        with self._lock:
            self._offset += timedelta(seconds=seconds)

    def __repr__(self) -> str:
        mode = "system time" if self._start is None else "stopped"
        return f"FakeClock({mode}, now={self.now().isoformat()})"


class RouteLimits(TypedDict, total=False):
    """Limits for one route (R2R's `limits_overrides.route_overrides[path]`); a key that is
    missing or None keeps the user's general value."""

    global_per_min: int | None
    route_per_min: int | None
    monthly_limit: int | None


def _check_limit(owner: str, name: str, value: object) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValueError(f"{owner}.{name}: must be an integer >= 0 or None, got {value!r}")


@dataclass(frozen=True, kw_only=True)
class Limits:
    """R2R's rate limits as they apply to a regular user (superusers have none).

    The defaults are R2R 3.6.6's (`[database.limits]`). None turns a limit off. A count greater
    than its limit is refused: `route_per_min=2` lets 3 requests to a route pass in a minute and
    answers the 4th with 429. `route_overrides` sets limits for one route, keyed by the request
    path as the server sees it, e.g. `{"/v3/retrieval/completion": {"route_per_min": 2}}`.

    On a real server, a user's own limits are set by a superuser with `POST /v3/users/{id}`
    and `{"limits_overrides": {...}}`; there R2R reads only `global_per_min` and
    `monthly_limit` at the top level, and `route_per_min` only inside `route_overrides` (a
    top-level `route_per_min` is ignored). `Limits(route_per_min=N)` here is the server-wide
    setting (`route_per_min` in `[database.limits]`).
    """

    global_per_min: int | None = 60
    route_per_min: int | None = 20
    monthly_limit: int | None = 10_000
    route_overrides: Mapping[str, RouteLimits] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "route_overrides", dict(self.route_overrides))
        for name in _LIMIT_NAMES:
            _check_limit("Limits", name, getattr(self, name))
        for route, override in self.route_overrides.items():
            if not isinstance(route, str) or not route.startswith("/"):
                raise ValueError(
                    "Limits.route_overrides: keys are request paths such as "
                    f"'/v3/retrieval/completion', got {route!r}"
                )
            unknown = sorted(set(override) - set(_LIMIT_NAMES))
            if unknown:
                raise ValueError(
                    f"Limits.route_overrides[{route!r}]: unknown limit(s) {unknown}; "
                    f"one of {', '.join(_LIMIT_NAMES)}"
                )
            for name, value in override.items():
                _check_limit(f"Limits.route_overrides[{route!r}]", name, value)

    def for_route(self, route: str) -> tuple[int | None, int | None, int | None]:
        """(global_per_min, route_per_min, monthly_limit) for a request to `route`."""
        override: Mapping[str, Any] = self.route_overrides.get(route, {})
        values = [getattr(self, name) for name in _LIMIT_NAMES]
        for index, name in enumerate(_LIMIT_NAMES):
            if override.get(name) is not None:
                values[index] = override[name]
        return values[0], values[1], values[2]


def _default_collection(user_id: str) -> str:
    return str(uuid.uuid5(uuid.UUID(user_id), "default collection"))


@dataclass(eq=False)
class FakeUser:
    """A user of the fake server, known by its API key (sent as `X-API-Key` or Bearer).

    Like a user R2R creates, it has its own default collection (`collection_ids[0]`);
    documents it owns go there. `limits` None: the server's `default_limits`. A superuser
    sees and changes every document and is never rate limited. The key is left out of the
    repr.
    """

    api_key: str = field(repr=False)
    _: KW_ONLY
    name: str = "user"
    superuser: bool = False
    limits: Limits | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    collection_ids: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        try:
            self.id = str(uuid.UUID(self.id))
        except (ValueError, TypeError, AttributeError):
            raise ValueError(f"FakeUser.id: must be a UUID, got {self.id!r}") from None
        if not self.collection_ids:
            self.collection_ids = [_default_collection(self.id)]

    @property
    def default_collection_id(self) -> str:
        """The user's own collection: where its documents go, and how one is shared with it."""
        return self.collection_ids[0]


def new_api_key() -> str:
    """A fresh key for a user added without one, shaped like R2R's (`pk_<id>.sk_<secret>`)."""
    return f"pk_{secrets.token_hex(6)}.sk_{secrets.token_hex(16)}"


class Tenants:
    """The users of one fake server, the default admin (a superuser) among them, and R2R's
    request log; safe to use from the server's handler threads."""

    def __init__(self, *, clock: FakeClock | None = None, default_limits: Limits | None = None):
        self.clock = clock if clock is not None else FakeClock()
        self.default_limits = default_limits if default_limits is not None else Limits()
        # R2R's default admin: owns what is ingested without a user, and is what an open
        # server (no API key required) takes an anonymous request for.
        self.admin = FakeUser(
            "", name="admin", superuser=True, id=OWNER_ID, collection_ids=[COLLECTION_ID]
        )
        self._by_key: dict[str, FakeUser] = {}
        self._log: list[tuple[datetime, str, str]] = []
        self._lock = threading.Lock()

    def add(self, user: FakeUser) -> FakeUser:
        """Register `user`; its key and id must be new (and not the admin's)."""
        if not isinstance(user.api_key, str) or not user.api_key:
            raise ValueError("FakeUser.api_key: must be a non-empty string")
        with self._lock:
            known = [self.admin, *self._by_key.values()]
            if any(user.api_key == other.api_key for other in known):
                raise ValueError(
                    "FakeUser.api_key: the server already has a user with that key "
                    f"(adding {user.name!r})"
                )
            if any(user.id == other.id for other in known):
                raise ValueError(f"FakeUser.id: the server already has a user with id {user.id}")
            self._by_key[user.api_key] = user
        return user

    def users(self) -> list[FakeUser]:
        """The registered users, in the order they were added (the admin is not one)."""
        with self._lock:
            return list(self._by_key.values())

    def by_key(self, api_key: str) -> FakeUser | None:
        with self._lock:
            return self._by_key.get(api_key)

    def limits_of(self, user: FakeUser) -> Limits:
        return user.limits if user.limits is not None else self.default_limits

    # -- rate limits ------------------------------------------------------------------------

    def refusal(self, user: FakeUser, route: str) -> str | None:
        """R2R's check_limits: the 429's detail when `user` may not call `route` now."""
        if user.superuser:
            return None
        global_per_min, route_per_min, monthly_limit = self.limits_of(user).for_route(route)
        now = self.clock.now()
        minute_ago = now - _MINUTE
        month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        with self._lock:
            mine = [(when, path) for when, who, path in self._log if who == user.id]
        in_minute = sum(1 for when, _ in mine if when >= minute_ago)
        here = [when for when, path in mine if path == route]
        checks = (
            (global_per_min, in_minute, GLOBAL_LIMIT_EXCEEDED),
            (route_per_min, sum(1 for when in here if when >= minute_ago), ROUTE_LIMIT_EXCEEDED),
            (monthly_limit, sum(1 for when in here if when >= month_start), MONTHLY_LIMIT_EXCEEDED),
        )
        for limit, count, detail in checks:
            if limit is not None and count > limit:
                return detail
        return None

    def record(self, user: FakeUser, method: str, route: str) -> None:
        """R2R's log_request, run after the route whatever it answered (POST and DELETE)."""
        if user.superuser or method not in _LOGGED_METHODS:
            return
        when = self.clock.now()
        with self._lock:
            self._log.append((when, user.id, route))

    def forget_requests(self) -> None:
        """Empty the request log: every user starts with no request counted."""
        with self._lock:
            self._log.clear()

    # -- documents ---------------------------------------------------------------------------

    @staticmethod
    def can_read(user: FakeUser, doc: Document) -> bool:
        """GET /v3/documents/{id}: own documents, and those in one of the user's collections."""
        if user.superuser or doc.owner_id == user.id:
            return True
        return bool(set(doc.collection_ids) & set(user.collection_ids))


def scope_filters(user: FakeUser, filters: Mapping[str, Any]) -> dict[str, Any]:
    """R2R 3.6.6's select_search_filters: a regular user's search filters, narrowed to what the
    user owns or may see through its collections (a superuser's are left alone).

    Like R2R, it reads a top-level key naming `collection_ids` as `{"$overlap": [...]}`
    and raises what Python raises when it is not (KeyError for `{"$in": [...]}`, TypeError for
    a bare list); the caller answers that as R2R does, with a 500.
    """
    scoped = dict(filters)
    if user.superuser:
        return scoped
    user_collections = {uuid.UUID(c) for c in user.collection_ids}
    selected: set[uuid.UUID] | None = None
    for key in scoped:
        if "collection_ids" in key:
            selected = set(map(uuid.UUID, scoped[key]["$overlap"]))
            break
    allowed = user_collections & selected if selected else user_collections
    visible = {
        "$or": [
            {"owner_id": {"$eq": user.id}},
            {"collection_ids": {"$overlap": sorted(str(c) for c in allowed)}},
        ]
    }
    scoped.pop("collection_ids", None)
    return {"$and": [visible, scoped]} if scoped else visible
