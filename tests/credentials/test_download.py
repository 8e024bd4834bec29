"""The credentials.json / .env download and its short-lived token."""

from __future__ import annotations

import time
from typing import Any

import pytest

from backend.api.features.credentials.download import DownloadTokens
from backend.core.errors import InvalidInput
from tests.credentials.conftest import World
from tests.credentials.test_api import ROTATE, create_ok


def url(cred_id: str) -> str:
    return f"/api/credentials/{cred_id}/download"


async def test_json_without_token_has_no_password(world: World) -> None:
    r = await create_ok(world, "member")
    cred = r["credential"]
    resp = await world["member"].http.get(url(cred["id"]))
    assert resp.status_code == 200
    assert resp.headers["content-disposition"] == 'attachment; filename="credentials.json"'
    assert resp.headers["cache-control"] == "no-store"
    u = cred["username"]
    assert resp.json() == {
        "name": "warehouse", "host": "sql.example.test", "port": 15432, "db": "db",
        "db_username": u, "password": None, "connection": "psql",
        "connection_string": f'psql "host=sql.example.test port=15432 dbname=db user={u} '
                             'sslmode=require"',
        "protocol": "postgres",
        "uri": f"postgresql://{u}@sql.example.test:15432/db?sslmode=require",
    }
    assert r["password"] not in resp.text


async def test_every_download_with_the_token_carries_the_password(world: World) -> None:
    r = await world["member"].gql("""mutation($input: CreateSqlCredentialInput!) {
        createSqlCredential(input: $input) { ... on SqlCredentialSecret { password downloadToken
        credential { id username } } } }""", input={"memberId": world.members["member"],
                                                     "dataSourceId": world.ds[0]})
    secret = r["createSqlCredential"]
    cred, token, password = secret["credential"], secret["downloadToken"], secret["password"]
    first = await world["member"].http.get(url(cred["id"]), params={
        "token": token, "protocol": "mysql"})
    assert first.status_code == 200, first.text
    doc = first.json()
    assert doc["password"] == password and doc["connection"] == "mysql"
    assert doc["uri"] == f"mysql://{cred['username']}:{password}@sql.example.test:13306/db"
    assert doc["connection_string"].startswith("mysql -h sql.example.test -P 13306")
    # The dialog that showed the password offers both files for both protocols: each
    # download made with the token while it lives is complete, not only the first.
    again = await world["member"].http.post(url(cred["id"]), data={"token": token,
                                                                   "format": "env"})
    assert again.status_code == 200, again.text
    assert f"PGPASSWORD={password}" in again.text.splitlines()
    third = await world["member"].http.post(url(cred["id"]), data={"token": token})
    assert third.json()["password"] == password


def test_token_expires_and_has_a_use_bound() -> None:
    tokens = DownloadTokens("k" * 40, ttl=1, max_uses=2)
    token = tokens.issue(credential_id="c1", user_id="u1", verifier="v1", password="pw")
    for _ in range(2):
        grant = tokens.redeem(token, credential_id="c1", user_id="u1", verifier="v1")
        assert grant.password == "pw"
    with pytest.raises(InvalidInput):
        tokens.redeem(token, credential_id="c1", user_id="u1", verifier="v1")
    fresh = tokens.issue(credential_id="c1", user_id="u1", verifier="v1", password="pw")
    time.sleep(2.1)  # Fernet timestamps have a resolution of one second
    with pytest.raises(InvalidInput, match="expired"):
        tokens.redeem(fresh, credential_id="c1", user_id="u1", verifier="v1")


async def test_env_variant_through_post(world: World) -> None:
    created = await create_ok(world, "admin")
    rotated = (await world["admin"].gql(ROTATE, input={"id": created["credential"]["id"]})
               )["rotateSqlCredentialPassword"]
    resp = await world["admin"].http.post(url(rotated["credential"]["id"]), data={
        "format": "env", "token": rotated["downloadToken"]})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-disposition"] == 'attachment; filename="credentials.env"'
    lines = dict(line.split("=", 1) for line in resp.text.splitlines()
                 if line and not line.startswith("#"))
    assert lines["PGPASSWORD"] == rotated["password"] == lines["METRICSQL_PASSWORD"]
    assert lines["PGUSER"] == rotated["credential"]["username"]
    assert lines["PGHOST"] == "sql.example.test" and lines["PGPORT"] == "15432"
    assert lines["PGDATABASE"] == "db" and lines["PGSSLMODE"] == "require"


async def test_token_is_bound_to_user_credential_and_current_password(world: World) -> None:
    created = await create_ok(world, "admin")  # issued to the owner, who created it
    cred_id, token = created["credential"]["id"], created["downloadToken"]
    stolen = await world["admin"].http.get(url(cred_id), params={"token": token})
    assert stolen.status_code == 400 and created["password"] not in stolen.text
    other = await create_ok(world, "member")
    wrong_cred = await world["owner"].http.get(url(other["credential"]["id"]),
                                               params={"token": token})
    assert wrong_cred.status_code == 400
    await world["owner"].gql(ROTATE, input={"id": cred_id})
    stale = await world["owner"].http.get(url(cred_id), params={"token": token})
    assert stale.status_code == 400 and created["password"] not in stale.text
    garbage = await world["owner"].http.get(url(cred_id), params={"token": "x" * 40})
    assert garbage.status_code == 400


async def test_download_authorisation(world: World, client_factory: Any) -> None:
    mine = await create_ok(world, "member")
    owners = await create_ok(world, "owner")
    assert (await world["member"].http.get(url(owners["credential"]["id"]))).status_code == 404
    assert (await world["outsider"].http.get(url(mine["credential"]["id"]))).status_code == 404
    assert (await world["admin"].http.get(url(mine["credential"]["id"]))).status_code == 200
    anon = client_factory()
    assert (await anon.http.get(url(mine["credential"]["id"]))).status_code == 401
    bad = await world["member"].http.get(url(mine["credential"]["id"]),
                                         params={"format": "xml"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "format"
