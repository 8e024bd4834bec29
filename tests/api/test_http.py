"""Bad requests at the HTTP and GraphQL layer: each a clear error, nothing changed."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import SIGN_UP, unique_email


async def test_malformed_json_is_a_400(client_factory: Any) -> None:
    c = client_factory()
    r = await c.http.post("/graphql", content=b"{not json",
                          headers={"content-type": "application/json"})
    assert r.status_code == 400


async def test_unknown_input_field_is_a_validation_error(client_factory: Any) -> None:
    c = client_factory()
    r = await c.raw(SIGN_UP, input={"email": unique_email(), "password": "x" * 12,
                                    "displayName": "A", "isAdmin": True})
    body = r.json()
    assert body["errors"] and "isAdmin" in body["errors"][0]["message"]
    assert body.get("data") is None


async def test_cross_site_origin_is_refused(client_factory: Any) -> None:
    c = client_factory()
    email = unique_email()
    r = await c.http.post("/graphql", json={"query": SIGN_UP, "variables": {
        "input": {"email": email, "password": "x1y2z3w4v5u6", "displayName": "A"}}},
        headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert r.json()["errors"][0]["extensions"]["code"] == "CSRF"
    # The sign-up did not happen: the email is still free.
    ok = (await c.gql(SIGN_UP, input={"email": email, "password": "x1y2z3w4v5u6",
                                      "displayName": "A"}))["signUp"]
    assert ok["__typename"] == "AuthPayload"


async def test_get_queries_are_not_served(client_factory: Any) -> None:
    c = client_factory()
    r = await c.http.get("/graphql", params={"query": "{ viewer { id } }"})
    assert r.status_code in (400, 404, 405)


async def test_query_depth_is_bounded(client_factory: Any) -> None:
    c = client_factory()
    deep = "{ viewer " + "{ teams " * 12 + "{ id }" + " }" * 12 + " }"
    r = await c.raw(deep)
    assert "errors" in r.json()


async def test_healthz(client_factory: Any) -> None:
    r = await client_factory().http.get("/healthz")
    assert r.status_code == 200 and r.json()["ok"] is True


def test_schema_graphql_is_up_to_date() -> None:
    from pathlib import Path

    from backend.api.schema import sdl

    committed = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text()
    assert committed == sdl(), "stale schema.graphql: run `make schema`"
