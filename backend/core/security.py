"""Secrets handling: web passwords, session tokens, and encryption of data-source secrets.

* Web account passwords: argon2id (argon2-cffi's defaults follow RFC 9106's recommendation).
* Session cookies: 256-bit random tokens; only their SHA-256 is stored.
* Data-source secrets: Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under a key
  derived from SECRET_KEY with HKDF, so the metadata DB alone never reveals them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _derive(secret_key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret_key.encode("utf-8")
    )


class SecretBox:
    """Encrypts small JSON documents (data-source secrets) at rest."""

    def __init__(self, secret_key: str):
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret_key, b"datasource-secrets")))

    def seal(self, data: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(data).encode("utf-8")).decode("ascii")

    def open(self, token: str) -> dict[str, Any]:
        try:
            value = json.loads(self._fernet.decrypt(token.encode("ascii")))
        except InvalidToken as exc:
            # A changed SECRET_KEY makes stored secrets unreadable; say so rather than crash.
            raise ValueError(
                "stored secret cannot be decrypted with the current SECRET_KEY"
            ) from exc
        if not isinstance(value, dict):
            raise ValueError("stored secret is not an object")
        return value


def signing_key(secret_key: str, purpose: str) -> bytes:
    return _derive(secret_key, purpose.encode("utf-8"))
