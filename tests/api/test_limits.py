"""Limits before work, driven over a real socket as an attacker would (issue 12, finding 1).

A few hundred bytes of YAML merge keys used to stop the whole process for tens of seconds and
a large body was read and parsed whole. Each limit is checked by its refusal's code and the
setting its message names, and ``/healthz`` must keep answering while the attack runs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import CREATE_TEAM
from tests.api.live import LiveServer, gql, serve

VALIDATE = """query($files: [ModelFileInput!]!) {
  validateModels(files: $files) { file line message } }"""
SAVE = """mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) {
  __typename ... on ModelVersion { id number } ... on UserError { code message field } } }"""
CREATE_DS = """mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) {
  __typename ... on DataSource { id } ... on UserError { code message field } } }"""
GOOD = ("cubes:\n  - name: t\n    sql_table: main.t\n    measures:\n"
        "      - {name: count, type: count}\n")


def merge_bomb(levels: int) -> str:
    """Each level merges the previous one twice: 2**levels nodes from ~40 bytes a level."""
    lines = ["a0: &a0 {x: 1}"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i}\n  <<: [*a{i - 1}, *a{i - 1}]\n  y{i}: 1")
    lines.append(f"cubes:\n  - name: c\n    sql_table: t\n    <<: *a{levels}")
    return "\n".join(lines) + "\n"


def valid_model(dimensions: int) -> str:
    dims = "".join(f"      - {{ name: d{i}, sql: c{i}, type: number }}\n"
                   for i in range(dimensions))
    return ("cubes:\n  - name: big\n    sql_table: main.big\n    measures:\n"
            "      - {name: count, type: count}\n    dimensions:\n" + dims)


@pytest.fixture
def server(metadata_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    yield from serve(metadata_url, tmp_path, MAX_REQUEST_BYTES="200000",
                     MODEL_VALIDATION_TIMEOUT_S="1.5")


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors"), body
    err: dict[str, Any] = body["errors"][0]
    return err


def test_merge_key_bomb_is_refused_and_the_server_keeps_answering(server: LiveServer) -> None:
    bomb = merge_bomb(18)  # ~700 bytes; took 2.3 s on the event loop, each level doubling
    assert len(bomb) < 800
    c = server.signed_up()
    stalls: list[float] = []
    done = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=server.base_url, timeout=30) as h:
            while not done.is_set():
                t = time.perf_counter()
                assert h.get("/healthz").status_code == 200
                stalls.append(time.perf_counter() - t)
                time.sleep(0.01)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        started = time.perf_counter()
        for _ in range(3):
            err = error_of(gql(c, VALIDATE, files=[{"name": "bomb.yml", "code": bomb}]))
        took = time.perf_counter() - started
    finally:
        done.set()
        prober.join()
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "expands to more than 500000 YAML nodes" in err["message"]
    assert "YAML_MAX_NODES" in err["message"]
    assert took < 3.0, took
    assert stalls and max(stalls) < 0.5, max(stalls)


def test_validation_needs_a_login(server: LiveServer) -> None:
    with server.client() as anonymous:
        err = error_of(gql(anonymous, VALIDATE, files=[{"name": "m.yml",
                                                         "code": merge_bomb(3)}]))
    assert err["extensions"]["code"] == "NOT_AUTHENTICATED"
    assert err["message"] == "Log in to validate models."


def test_a_large_body_is_refused_before_it_is_read(server: LiveServer) -> None:
    c = server.signed_up()
    body = b'{"query": "{ viewer { id } }", "pad": "' + b"x" * 300_000 + b'"}'
    r = c.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert r.json()["errors"][0]["message"] == (
        "The request body is larger than 200000 bytes (MAX_REQUEST_BYTES).")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the bytes are counted as they come
        yield b'{"query": "{ viewer { id } }", "pad": "'
        for _ in range(30):
            yield b"x" * 10_000
        yield b'"}'

    r = c.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    # Under the limit the same request is served.
    small = c.post("/graphql", json={"query": "{ viewer { id } }", "pad": "x" * 1000})
    assert small.status_code == 200 and small.json()["data"]["viewer"]["id"]


def test_graphql_documents_are_bounded(server: LiveServer) -> None:
    c = server.signed_up()
    big = "{ viewer { id } }" + " " * 100_001
    err = error_of(gql(c, big))
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "the limit is 100000 bytes (GRAPHQL_MAX_BYTES)" in err["message"]

    many = "{ viewer { " + "id " * 1200 + "} }"
    err = error_of(gql(c, many))
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert err["message"] == "The GraphQL document has more than 1000 tokens (GRAPHQL_MAX_TOKENS)."

    aliases = "{ " + " ".join(f"v{i}: viewer {{ id }}" for i in range(31)) + " }"
    err = error_of(gql(c, aliases))
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert err["message"] == "31 aliases found. Allowed: 30 (GRAPHQL_MAX_ALIASES)."

    deep = "{ viewer " + "{ teams " * 12 + "{ id }" + " }" * 12 + " }"
    err = error_of(gql(c, deep))
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "exceeds maximum operation depth of 10 (GRAPHQL_MAX_DEPTH)." in err["message"]


def test_introspection_is_off_by_default(server: LiveServer) -> None:
    with server.client() as anonymous:
        err = error_of(gql(anonymous, "{ __schema { types { name } } }"))
    assert "introspection has been disabled" in err["message"]
    with server.client() as anonymous:  # __typename is not introspection: it keeps working
        assert gql(anonymous, "{ __typename }")["data"] == {"__typename": "Query"}


def test_introspection_can_be_switched_on(metadata_url: str, tmp_path: Path) -> None:
    for live in serve(metadata_url, tmp_path, GRAPHQL_INTROSPECTION="true"):
        with live.client() as c:
            body = gql(c, "{ __schema { queryType { name } } }")
        assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def _data_source(server: LiveServer, c: httpx.Client, tmp_path: Path) -> str:
    import sqlite3

    team = gql(c, CREATE_TEAM, input={"name": "Limits"})["data"]["createTeam"]["id"]
    path = server.settings.data_dir / "files" / team / "limits.sqlite"  # the team's folder
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    ds = gql(c, CREATE_DS, input={"teamId": team, "name": "src", "type": "SQLITE",
                                  "params": {"path": str(path)}})["data"]["createDataSource"]
    assert ds["__typename"] == "DataSource", ds
    return str(ds["id"])


def test_saving_models_applies_the_yaml_limits(server: LiveServer, tmp_path: Path) -> None:
    c = server.signed_up()
    ds = _data_source(server, c, tmp_path)

    def save(code: str) -> dict[str, Any]:
        r: dict[str, Any] = gql(c, SAVE, input={"dataSourceId": ds, "files": [
            {"name": "m.yml", "code": code}]})["data"]["createModelVersion"]
        return r

    r = save(merge_bomb(20))
    assert (r["__typename"], r["code"]) == ("UserError", "LIMIT_EXCEEDED")
    assert "YAML_MAX_NODES" in r["message"]

    aliases = "x: &x 1\ny: [" + ", ".join(["*x"] * 1001) + "]\n" + GOOD
    r = save(aliases)
    assert r["code"] == "LIMIT_EXCEEDED"
    assert r["message"] == ("Model file m.yml uses more than 1000 YAML aliases (at line 2; "
                            "YAML_MAX_ALIASES).")

    deep = "x: " + "[" * 70 + "]" * 70 + "\n" + GOOD
    r = save(deep)
    assert r["code"] == "LIMIT_EXCEEDED"
    assert r["message"] == ("Model file m.yml nests deeper than 64 levels (at line 1; "
                            "YAML_MAX_DEPTH).")

    assert save(GOOD)["__typename"] == "ModelVersion"


def test_validation_has_a_time_limit(metadata_url: str, tmp_path: Path) -> None:
    # 0.5 s: far below what the slow model takes even on an idle machine (at 1.5 s it sometimes
    # validated in time when nothing else ran).
    for server in serve(metadata_url, tmp_path, MODEL_VALIDATION_TIMEOUT_S="0.5"):
        check_time_limit(server)


def check_time_limit(server: LiveServer) -> None:
    c = server.signed_up()
    slow = valid_model(16000)  # under every YAML limit, but well over 0.5 s to validate
    started = time.perf_counter()
    err = error_of(gql(c, VALIDATE, files=[{"name": "slow.yml", "code": slow}]))
    took = time.perf_counter() - started
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert err["message"] == ("Model validation took longer than 0.5 s and was stopped "
                              "(MODEL_VALIDATION_TIMEOUT_S); split the models into smaller "
                              "files or retry.")
    assert took < 4.0, took
    # The stopped worker was replaced: the next validation is answered.
    ok = gql(c, VALIDATE, files=[{"name": "m.yml", "code": GOOD}])
    assert ok == {"data": {"validateModels": []}}
