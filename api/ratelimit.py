"""Requests per API key per minute, counted in this process (a sliding window).

Held by the app's services object, not in a module global: each app (and each
test) has its own. Several API processes each count for themselves; the limit is
per process, which the README states.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, per_minute: int, *, clock=time.monotonic):  # type: ignore[no-untyped-def]
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, float]:
        """(allowed, seconds until the next request would be allowed)."""
        if self.per_minute <= 0:
            return True, 0.0
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - 60.0:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False, max(0.0, hits[0] + 60.0 - now)
            hits.append(now)
            return True, 0.0
