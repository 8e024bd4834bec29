"""Turning a failure to reach a database server into an error a person can act on.

Shared by the PostgreSQL and MySQL connectors. No message built here (or passed through
``scrub``) ever contains the password. Every failure before a server answers is the same
"unreachable" (``netpolicy.unreachable``): whether a port was refused, filtered, timed out or
denied by the network policy is logged, never told, so the API is no port scanner. TLS
failures stay specific: they happen only once a server answered on an allowed address, and
the person needs them to fix the ``ssl`` field.
"""

from __future__ import annotations

import logging
import ssl

from backend.connectors.netpolicy import is_network_failure, unreachable
from backend.core.errors import DataSourceError

log = logging.getLogger("metricsql.sources")


def scrub(text: str, secret: str) -> str:
    """Remove a secret from text that came from a driver, should it ever echo it."""
    return text.replace(secret, "***") if secret else text


def connect_failure(
    exc: BaseException, *, engine: str, host: str, port: int, timeout: float
) -> DataSourceError | None:
    """The error for a network-level connect failure, or None if ``exc`` is not one."""
    where = f"{host}:{port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DataSourceError(
            f"the TLS certificate of {where} could not be verified: {exc.verify_message}",
            hint='use ssl "require" to encrypt without verifying, or fix the certificate',
            field="ssl",
        )
    if isinstance(exc, ssl.SSLError):
        return DataSourceError(f"TLS with {where} failed: {exc.reason}", field="ssl")
    if is_network_failure(exc):
        log.info("data source %s: %s not reached within %g s: %s", where, engine, timeout,
                 type(exc).__name__ if isinstance(exc, TimeoutError) else exc)
        return unreachable(engine, host, port)
    return None
