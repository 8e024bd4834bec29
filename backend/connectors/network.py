"""Turning a failure to reach a database server into an error a person can act on.

Shared by the PostgreSQL and MySQL connectors. No message built here (or passed through
``scrub``) ever contains the password.
"""

from __future__ import annotations

import errno
import socket
import ssl

from backend.core.errors import DataSourceError, SourceTimeout, SourceUnreachable


def scrub(text: str, secret: str) -> str:
    """Remove a secret from text that came from a driver, should it ever echo it."""
    return text.replace(secret, "***") if secret else text


def tls_context(mode: str) -> ssl.SSLContext | None:
    """The client TLS context for an ``ssl`` mode: none, encrypt only, or verify fully."""
    if mode == "disable":
        return None
    context = ssl.create_default_context()
    if mode == "require":  # like libpq's sslmode=require: encrypted, certificate unchecked
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect_failure(
    exc: BaseException, *, engine: str, host: str, port: int, timeout: float
) -> DataSourceError | None:
    """The error for a network-level connect failure, or None if ``exc`` is not one."""
    where = f"{host}:{port}"
    if isinstance(exc, TimeoutError):
        return SourceTimeout(
            f"{engine} server at {where} did not answer within {timeout:g} s",
            hint="check the host and port; a firewall may be silently dropping the connection",
        )
    if isinstance(exc, socket.gaierror):
        return SourceUnreachable(
            f"host name {host!r} could not be resolved",
            hint="check the spelling of the host, or use its IP address",
            field="host",
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DataSourceError(
            f"the TLS certificate of {where} could not be verified: {exc.verify_message}",
            hint='use ssl "require" to encrypt without verifying, or fix the certificate',
            field="ssl",
        )
    if isinstance(exc, ssl.SSLError):
        return DataSourceError(f"TLS with {where} failed: {exc.reason}", field="ssl")
    if isinstance(exc, ConnectionRefusedError) or (
        isinstance(exc, OSError) and exc.errno == errno.ECONNREFUSED
    ):
        return SourceUnreachable(
            f"connection to {engine} at {where} was refused",
            hint="check the host and port, and that the server accepts TCP connections "
            "from this machine",
        )
    if isinstance(exc, OSError) and exc.errno in (
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.EHOSTDOWN,
        errno.ECONNRESET,
        errno.EADDRNOTAVAIL,
    ):
        return SourceUnreachable(
            f"{engine} server at {where} cannot be reached: {exc.strerror}",
            hint="check the host and port and the network between this server and it",
        )
    if isinstance(exc, OSError) and not isinstance(exc, ssl.SSLError):
        return SourceUnreachable(
            f"cannot connect to {engine} at {where}: {exc.strerror or exc}",
            hint="check the host and port",
        )
    return None
