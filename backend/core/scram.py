"""SCRAM-SHA-256 verifiers in PostgreSQL's ``pg_authid`` format, with the standard library only.

A verifier is ``SCRAM-SHA-256$<iterations>:<salt b64>$<StoredKey b64>:<ServerKey b64>``. It lets
the PostgreSQL gateway run the SCRAM exchange (RFC 5802/7677) without ever holding the password,
and lets the MySQL gateway check a plaintext password received over TLS
(``caching_sha2_password`` full authentication, ``mysql_clear_password``) against the same
salted verifier: one secret form serves both protocols and none of it is reversible.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

DEFAULT_ITERATIONS = 4096  # PostgreSQL's scram_iterations default
SALT_BYTES = 16


@dataclass(frozen=True)
class ScramVerifier:
    iterations: int
    salt: bytes
    stored_key: bytes
    server_key: bytes

    def encode(self) -> str:
        def b64(b: bytes) -> str:
            return base64.b64encode(b).decode("ascii")

        return (
            f"SCRAM-SHA-256${self.iterations}:{b64(self.salt)}"
            f"${b64(self.stored_key)}:{b64(self.server_key)}"
        )

    @classmethod
    def parse(cls, text: str) -> ScramVerifier:
        try:
            method, iter_salt, keys = text.split("$")
            if method != "SCRAM-SHA-256":
                raise ValueError(method)
            iterations, salt = iter_salt.split(":")
            stored, server = keys.split(":")
            return cls(
                int(iterations),
                base64.b64decode(salt, validate=True),
                base64.b64decode(stored, validate=True),
                base64.b64decode(server, validate=True),
            )
        except ValueError as exc:
            raise ValueError("not a SCRAM-SHA-256 verifier") from exc


def salted_password(password: str, salt: bytes, iterations: int) -> bytes:
    # PostgreSQL applies SASLprep; our generated passwords are ASCII, for which it is identity.
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)


def hmac_sha256(key: bytes, msg: bytes) -> bytes:
    return hmac.new(key, msg, hashlib.sha256).digest()


def make_verifier(
    password: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None
) -> ScramVerifier:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    salted = salted_password(password, salt, iterations)
    client_key = hmac_sha256(salted, b"Client Key")
    return ScramVerifier(
        iterations=iterations,
        salt=salt,
        stored_key=hashlib.sha256(client_key).digest(),
        server_key=hmac_sha256(salted, b"Server Key"),
    )


def verify_plaintext(verifier: ScramVerifier, password: str) -> bool:
    """Check a plaintext password (received over TLS) against a stored verifier."""
    candidate = make_verifier(password, iterations=verifier.iterations, salt=verifier.salt)
    return hmac.compare_digest(candidate.stored_key, verifier.stored_key) and hmac.compare_digest(
        candidate.server_key, verifier.server_key
    )


def verify_client_proof(verifier: ScramVerifier, auth_message: bytes, proof: bytes) -> bool:
    """The server side of SCRAM: does ``proof`` show knowledge of the password?"""
    if len(proof) != len(verifier.stored_key):
        return False
    signature = hmac_sha256(verifier.stored_key, auth_message)
    client_key = bytes(a ^ b for a, b in zip(proof, signature, strict=True))
    return hmac.compare_digest(hashlib.sha256(client_key).digest(), verifier.stored_key)


def server_signature(verifier: ScramVerifier, auth_message: bytes) -> bytes:
    return hmac_sha256(verifier.server_key, auth_message)
