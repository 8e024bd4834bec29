"""Failed-login back-off for web accounts: slow the guesser, never lock out the owner.

A hard lock ("five failures and the account is closed for 15 minutes") hands anyone who
knows an email address a way to keep its owner out. Here no amount of failures by others
refuses the right password from the owner:

* **Per address** (``per_address``) and **per account at that address** (``per_pair``):
  past a few free failures each further failure doubles the wait before that address may try
  again (``RATE_LIMITED`` with ``Retry-After``), up to 15 minutes. Only the hammering
  address waits; the owner elsewhere is untouched.
* **Per account, from everywhere** (``per_account``): a guesser spread over many addresses
  makes every untrusted attempt on that account *slower* — the answer is held for up to a few
  seconds — but never refused, and the right password still succeeds.
* **Known browsers**: a successful login leaves a signed device cookie naming the account.
  An attempt that carries it skips the address and account back-off (a colleague behind the
  same NAT as the attacker still gets in); its own failures are counted per device and a
  device that fails too often loses that trust.

State is in memory, per process (see docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from backend.core.errors import RateLimited


class LoginThrottled(RateLimited):
    """Too many failed logins from this address (or for this account from it): wait and retry."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed logins from your address. Try again in "
                         f"{retry_after} s.")
        self.retry_after = retry_after


class Backoff:
    """Exponential wait per key after ``free`` failures; forgotten after ``window_s`` quiet."""

    def __init__(self, *, free: int, base_s: float, max_s: float, window_s: float = 3600.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000):
        self.free, self.base_s, self.max_s, self.window_s = free, base_s, max_s, window_s
        self._clock = clock
        self._max_keys = max_keys
        self._state: dict[str, tuple[int, float]] = {}  # key -> (failures, last failure)

    def _failures(self, key: str) -> tuple[int, float]:
        count, last = self._state.get(key, (0, 0.0))
        if count and self._clock() - last > self.window_s:
            self._state.pop(key, None)
            return 0, 0.0
        return count, last

    def delay(self, key: str) -> float:
        """The wait this key has earned: 0 within the free failures, then doubling."""
        count, _ = self._failures(key)
        if count < self.free:
            return 0.0
        return float(min(self.max_s, self.base_s * 2 ** min(count - self.free, 40)))

    def wait(self, key: str) -> float:
        """Seconds until this key may try again (its delay counted from its last failure)."""
        count, last = self._failures(key)
        if count < self.free:
            return 0.0
        return max(0.0, last + self.delay(key) - self._clock())

    def fail(self, key: str) -> None:
        if key not in self._state and len(self._state) >= self._max_keys:
            self._state.pop(next(iter(self._state)))  # bounded memory: forget the oldest
        count, _ = self._failures(key)
        self._state[key] = (count + 1, self._clock())

    def clear(self, key: str) -> None:
        self._state.pop(key, None)


def _default_key() -> bytes:
    return secrets.token_bytes(32)


@dataclass
class DeviceTokens:
    """Signed ``<nonce>.<mac>`` cookies that tie a browser to the account it logged in to."""

    key: bytes = field(default_factory=_default_key)

    def _mac(self, email: str, nonce: str) -> str:
        return hmac.new(self.key, f"{email}|{nonce}".encode(), hashlib.sha256).hexdigest()

    def issue(self, email: str) -> str:
        nonce = secrets.token_urlsafe(16)
        return f"{nonce}.{self._mac(email, nonce)}"

    def refreshed(self, token: str | None, email: str) -> str:
        """After a successful login: the browser's token if it is valid for ``email``."""
        return token if token and self.device_of(token, email) else self.issue(email)

    def device_of(self, token: str | None, email: str) -> str | None:
        """The device id when ``token`` was issued for ``email``, else None."""
        if not token or len(token) > 200 or "." not in token:
            return None
        nonce, mac = token.split(".", 1)
        return nonce if hmac.compare_digest(mac, self._mac(email, nonce)) else None
