"""The server side of one SCRAM-SHA-256 exchange (RFC 5802/7677), without I/O.

libpq sends an empty user name in client-first (``n,,n=,r=...``) because PostgreSQL takes the
user from the StartupMessage; we do the same. An unknown user gets a believable exchange with a
salt derived from the name, so the wire shows no difference from a wrong password.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from backend.core.errors import AuthenticationFailed, ProtocolViolation
from backend.core.scram import (
    DEFAULT_ITERATIONS,
    ScramVerifier,
    server_signature,
    verify_client_proof,
)

MECHANISM = "SCRAM-SHA-256"


def _fake_verifier(username: str, server_secret: bytes) -> ScramVerifier:
    salt = hmac.new(server_secret, username.encode(), hashlib.sha256).digest()[:16]
    return ScramVerifier(DEFAULT_ITERATIONS, salt, b"\x00" * 32, b"\x00" * 32)


def _attrs(text: str) -> list[tuple[str, str]]:
    out = []
    for part in text.split(","):
        if len(part) < 2 or part[1] != "=":
            raise ProtocolViolation("malformed SCRAM message")
        out.append((part[0], part[2:]))
    return out


class ScramExchange:
    def __init__(self, username: str, verifier: ScramVerifier | None, server_secret: bytes):
        self.known = verifier is not None
        self.verifier = verifier or _fake_verifier(username, server_secret)
        self._client_first_bare = ""
        self._server_first = ""
        self._gs2_header = ""
        self._nonce = ""

    def server_first(self, client_first: bytes) -> bytes:
        try:
            text = client_first.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolViolation("malformed SCRAM message") from exc
        parts = text.split(",", 2)
        if len(parts) != 3 or parts[0] not in ("n", "y"):
            # "p=" would ask for channel binding, which we did not offer.
            raise ProtocolViolation("malformed SCRAM message or unsupported channel binding")
        self._gs2_header = f"{parts[0]},{parts[1]},"
        self._client_first_bare = parts[2]
        attrs = dict(_attrs(parts[2]))
        client_nonce = attrs.get("r", "")
        if not client_nonce or "n" not in attrs:
            raise ProtocolViolation("malformed SCRAM message")
        self._nonce = client_nonce + base64.b64encode(secrets.token_bytes(18)).decode()
        salt = base64.b64encode(self.verifier.salt).decode()
        self._server_first = f"r={self._nonce},s={salt},i={self.verifier.iterations}"
        return self._server_first.encode()

    def server_final(self, client_final: bytes) -> bytes:
        """The server-final message, or ``AuthenticationFailed`` on a wrong proof."""
        try:
            text = client_final.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolViolation("malformed SCRAM message") from exc
        without_proof, sep, proof_b64 = text.rpartition(",p=")
        if not sep:
            raise ProtocolViolation("malformed SCRAM message")
        attrs = dict(_attrs(without_proof))
        expected_cb = base64.b64encode(self._gs2_header.encode()).decode()
        if attrs.get("c") != expected_cb or attrs.get("r") != self._nonce:
            raise ProtocolViolation("SCRAM channel binding or nonce does not match")
        try:
            proof = base64.b64decode(proof_b64, validate=True)
        except binascii.Error as exc:
            raise ProtocolViolation("malformed SCRAM proof") from exc
        auth_message = ",".join(
            (self._client_first_bare, self._server_first, without_proof)
        ).encode()
        ok = verify_client_proof(self.verifier, auth_message, proof)
        if not (ok and self.known):
            raise AuthenticationFailed("password authentication failed")
        sig = base64.b64encode(server_signature(self.verifier, auth_message)).decode()
        return f"v={sig}".encode()
