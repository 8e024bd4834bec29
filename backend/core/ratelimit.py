"""Failed-login throttling, shared by the web tier and the gateways.

A sliding window of failures per key (an email, a SQL username, a client address). When a key
has too many recent failures, further attempts are refused before the password is even
checked, so guessing costs the attacker time while a success clears nothing an attacker could
exploit. State is per process; each gateway process throttles on its own (documented).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class FailureLimiter:
    def __init__(
        self,
        *,
        max_failures: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ):
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        q = self._failures.get(key)
        if q is None:
            return deque()
        cutoff = self._clock() - self.window
        while q and q[0] <= cutoff:
            q.popleft()
        if not q:
            del self._failures[key]
        return q

    def blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self.max_failures

    def retry_after(self, key: str) -> float:
        q = self._recent(key)
        if len(q) < self.max_failures:
            return 0.0
        return max(0.0, q[0] + self.window - self._clock())

    def fail(self, key: str) -> None:
        if key not in self._failures and len(self._failures) >= self._max_keys:
            # Bounded memory under a flood of distinct keys: forget the oldest key.
            self._failures.pop(next(iter(self._failures)))
        q = self._failures.setdefault(key, deque())
        q.append(self._clock())
        while len(q) > self.max_failures * 2:
            q.popleft()

    def succeed(self, key: str) -> None:
        self._failures.pop(key, None)
