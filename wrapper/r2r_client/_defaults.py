"""The clients' defaults that are plain numbers (the CLI shows them without loading httpx)."""

DEFAULT_MAX_RETRIES = 2
"""Retries of an attempt that failed for a transient cause."""

DEFAULT_RATE_LIMIT_WAIT = 65.0
"""Seconds a call may wait out a per-minute rate limit: R2R's one-minute window, and a margin."""
