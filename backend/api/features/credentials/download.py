"""Downloading a credential as ``credentials.json`` or ``credentials.env``.

``GET /api/credentials/{id}/download?format=json|env&protocol=postgres|mysql[&token=...]``
(also ``POST`` with the same fields as a form, which keeps the token out of access logs).
The session cookie authenticates; whoever may read the credential may download it.

The password is in the file only with the one-time *download token* that create and rotate
return next to the password. The token is the password encrypted (Fernet, under a key derived
from SECRET_KEY for this purpose only) with the credential id, the user it was issued to, a
fingerprint of the verifier and a 10-minute lifetime. Nothing is stored: the plaintext never
reaches the metadata DB. While it lives, the token works for every download its user makes
from the dialog that showed the password (JSON, .env, either protocol), up to
``MAX_TOKEN_USES`` times per process, so a second download is as complete as the first; it
stops working at once when the password is rotated again, and the web app forgets it when the
dialog closes. It travels only in a POST body, never in a URL, so it stays out of access logs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from cryptography.fernet import Fernet, InvalidToken
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from backend.api.context import SESSION_COOKIE, Services, client_addr
from backend.core.errors import AppError, InvalidInput, NotAuthenticated
from backend.core.security import signing_key
from backend.core.services import accounts, audit
from backend.core.services import credentials as svc
from backend.core.services.authz import Actor
from backend.core.settings import Settings

TOKEN_TTL_SECONDS = 600
# A bound on downloads per token (a person downloads a handful of files, not hundreds); the
# real limits are the lifetime and the binding to user, credential and current verifier.
MAX_TOKEN_USES = 20
MAX_FORM_BYTES = 16_384
_SERVICE_KEY = "credential_download_tokens"


def _fingerprint(verifier: str) -> str:
    return hashlib.sha256(verifier.encode("ascii")).hexdigest()[:32]


@dataclass(frozen=True)
class DownloadGrant:
    credential_id: str
    password: str


class DownloadTokens:
    """Issues and redeems short-lived tokens that carry a freshly issued password."""

    def __init__(self, secret_key: str, ttl: int = TOKEN_TTL_SECONDS,
                 max_uses: int = MAX_TOKEN_USES):
        key = signing_key(secret_key, "credential-download-token")
        self._fernet = Fernet(base64.urlsafe_b64encode(key))
        self._ttl = ttl
        self._max_uses = max_uses
        # token id → (uses so far, when it may be forgotten)
        self._uses: dict[str, tuple[int, float]] = {}

    def issue(self, *, credential_id: str, user_id: str, verifier: str, password: str) -> str:
        body = {"c": credential_id, "u": user_id, "v": _fingerprint(verifier), "p": password,
                "j": secrets.token_urlsafe(12)}
        return self._fernet.encrypt(json.dumps(body).encode("utf-8")).decode("ascii")

    def redeem(self, token: str, *, credential_id: str, user_id: str, verifier: str
               ) -> DownloadGrant:
        """The password the token carries, if it is valid for this credential and user."""
        try:
            body = json.loads(self._fernet.decrypt(token.encode("ascii"), ttl=self._ttl))
        except (InvalidToken, ValueError, UnicodeEncodeError):
            raise InvalidInput("This download link has expired or is not valid; rotate the "
                               "password to get a new one.", field="token") from None
        if (body.get("c") != credential_id or body.get("u") != user_id
                or body.get("v") != _fingerprint(verifier)):
            raise InvalidInput("This download link is not valid for this credential (or the "
                               "password was rotated since).", field="token")
        now = time.monotonic()
        self._uses = {j: u for j, u in self._uses.items() if u[1] > now}
        uses, _ = self._uses.get(body["j"], (0, 0.0))
        if uses >= self._max_uses:
            raise InvalidInput("This download link was used too often; rotate the password to "
                               "get a new one.", field="token")
        self._uses[body["j"]] = (uses + 1, now + self._ttl + 60)
        return DownloadGrant(credential_id, str(body["p"]))


def download_tokens(services: Services) -> DownloadTokens:
    """The app's token issuer (one per app, made on first use)."""
    tokens = services.extra.get(_SERVICE_KEY)
    if not isinstance(tokens, DownloadTokens):
        tokens = DownloadTokens(services.settings.secret_key)
        services.extra[_SERVICE_KEY] = tokens
    return tokens


# --- the file contents --------------------------------------------------------------------

CLIENT = {"postgres": "psql", "mysql": "mysql"}


def credentials_document(settings: Settings, name: str, username: str, protocol: str,
                         password: str | None) -> dict[str, Any]:
    """The reference product's ``credentials.json`` fields, plus port, protocol and uri."""
    plain = svc.connection_details(settings, username, protocol)
    with_password = svc.connection_details(settings, username, protocol, password)
    return {
        "name": name,
        "host": plain.host,
        "port": plain.port,
        "db": plain.database,
        "db_username": username,
        "password": password,
        "connection": CLIENT[protocol],
        "connection_string": plain.command,
        "protocol": protocol,
        "uri": with_password.uri,
    }


def _env_quote(value: str) -> str:
    if value and all(c.isalnum() or c in "-_.:/@?=+" for c in value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def credentials_env(doc: dict[str, Any]) -> str:
    name = " ".join(str(doc["name"]).split())  # no line breaks into the file
    lines = [f"# SQL API credentials for {name} ({doc['protocol']})"]
    values: list[tuple[str, Any]] = [
        ("METRICSQL_HOST", doc["host"]), ("METRICSQL_PORT", doc["port"]),
        ("METRICSQL_DATABASE", doc["db"]), ("METRICSQL_USER", doc["db_username"]),
        ("METRICSQL_PASSWORD", doc["password"]), ("METRICSQL_URL", doc["uri"]),
    ]
    if doc["protocol"] == "postgres":
        # libpq reads these, so `set -a; . ./credentials.env; psql` connects.
        values += [("PGHOST", doc["host"]), ("PGPORT", doc["port"]),
                   ("PGDATABASE", doc["db"]), ("PGUSER", doc["db_username"]),
                   ("PGPASSWORD", doc["password"]),
                   # Without it libpq "prefers" TLS and retries a failed login in plaintext.
                   ("PGSSLMODE", "require")]
    else:
        values += [("MYSQL_HOST", doc["host"]), ("MYSQL_TCP_PORT", doc["port"])]
    for key, value in values:
        if value is None:
            lines.append(f"# {key}= (only in the download made right after create or rotate)")
        else:
            lines.append(f"{key}={_env_quote(str(value))}")
    return "\n".join(lines) + "\n"


# --- the route ----------------------------------------------------------------------------


def _error(exc: AppError, status: int) -> Response:
    return JSONResponse({"error": {"code": exc.code, "message": exc.message,
                                   "field": exc.field}}, status_code=status,
                        headers={"Cache-Control": "no-store"})


_STATUS = {"NOT_AUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404, "INVALID_INPUT": 400}


async def download_credential(request: Request) -> Response:
    services: Services = request.app.state.services
    fields: dict[str, str] = dict(request.query_params)
    if request.method == "POST":
        # A plain urlencoded form (what an HTML <form> posts); small, so read it whole.
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return _error(InvalidInput("The form is too large."), 413)
        try:
            fields.update(parse_qsl(body.decode("utf-8", "replace"), max_num_fields=10))
        except ValueError:
            return _error(InvalidInput("Too many form fields."), 400)
    async with request.app.state.sessionmaker() as db:
        try:
            user = await accounts.user_for_token(db, request.cookies.get(SESSION_COOKIE))
            if user is None:
                raise NotAuthenticated("You need to log in first.")
            actor = Actor(user.id, client_addr(request))
            fmt = fields.get("format", "json")
            protocol = fields.get("protocol", "postgres")
            if fmt not in ("json", "env"):
                raise InvalidInput("format must be json or env.", field="format")
            if protocol not in CLIENT:
                raise InvalidInput("protocol must be postgres or mysql.", field="protocol")
            view = await svc.get_credential(db, actor, request.path_params["id"])
            cred = view.credential
            password = None
            if fields.get("token"):
                password = download_tokens(services).redeem(
                    fields["token"], credential_id=cred.id, user_id=user.id,
                    verifier=cred.verifier).password
                audit.record(db, actor, "credential.downloaded", team_id=cred.team_id,
                             target=cred.username, with_password=True)
                await db.commit()
        except AppError as exc:
            await db.rollback()
            return _error(exc, _STATUS.get(exc.code, 400))
    doc = credentials_document(services.settings, view.data_source.name, cred.username,
                               protocol, password)
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if fmt == "json":
        headers["Content-Disposition"] = 'attachment; filename="credentials.json"'
        return JSONResponse(doc, headers=headers)
    headers["Content-Disposition"] = 'attachment; filename="credentials.env"'
    return PlainTextResponse(credentials_env(doc), headers=headers)


def routes() -> list[Route]:
    """For ``create_app(extra_routes=...)``."""
    return [Route("/api/credentials/{id}/download", download_credential,
                  methods=["GET", "POST"])]
