"""Data sources and models through GraphQL against real PostgreSQL, MariaDB, SQLite, DuckDB."""

from __future__ import annotations

import socket
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Client, World
from tests.connectors import conftest as connector_fixtures
from tests.connectors.conftest import PasswordServer
from tests.services import require_mariadb

CREATE = """mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) {
  __typename ... on DataSource { id name type params hasPassword }
  ... on UserError { code message field } } }"""
UPDATE = """mutation($input: UpdateDataSourceInput!) { updateDataSource(input: $input) {
  __typename ... on DataSource { id name params hasPassword }
  ... on UserError { code message field } } }"""
DELETE = """mutation($input: DeleteDataSourceInput!) { deleteDataSource(input: $input) {
  __typename ... on DataSource { id } ... on UserError { code message } } }"""
CHECK = """mutation($input: CheckConnectionInput!) { checkConnection(input: $input) {
  __typename ... on ConnectionCheck { ok message } ... on UserError { code message field } } }"""
TABLES = """query($id: ID!) { dataSourceTables(dataSourceId: $id) {
  schema name primaryKey columns { name type } } }"""
GENERATE = """mutation($input: GenerateModelsInput!) { generateModels(input: $input) {
  __typename ... on ModelVersion { id number files { name code } }
  ... on UserError { code message field line problems { file line message } } } }"""
SAVE = """mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) {
  __typename ... on ModelVersion { id number files { name code } }
  ... on UserError { code message field line problems { file line cube member message } } } }"""
READ = """query($id: ID!) { dataSource(id: $id) {
  id name params models { number files { name } } } }"""
SECRET = "s3cr3t-Pa55-" + uuid.uuid4().hex


def make_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript("""
      CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, country TEXT);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id),
                           amount NUMERIC, status TEXT, created_at TIMESTAMP);
      INSERT INTO customers VALUES (1, 'Ann', 'DE'), (2, 'Bo', 'SE');
      INSERT INTO orders VALUES (1, 1, 10.5, 'paid', '2024-01-02 10:00:00'),
                                (2, 2, 20, 'open', '2024-02-03 11:00:00');
    """)
    conn.commit()
    conn.close()
    return path


def team_folder(tmp_path: Path, team_id: str) -> Path:
    """The team's own folder for file sources: <FILE_SOURCE_ROOTS>/<team id>/, where the app
    fixture's FILE_SOURCE_ROOTS is its DATA_DIR/files."""
    folder = tmp_path / "files" / team_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def create(c: Client, team_id: str, type_: str, params: dict[str, Any],
                 name: str = "src") -> dict[str, Any]:
    r: dict[str, Any] = (await c.gql(CREATE, input={"teamId": team_id, "name": name,
                                                     "type": type_, "params": params}))
    return r["createDataSource"]  # type: ignore[no-any-return]


@pytest.fixture
def pg_schema(pw_server: PasswordServer) -> Iterator[str]:
    """Tables on a PostgreSQL server of the test's own (with password authentication): the
    shared one at 5432 may be the platform's own metadata server, which no data source may
    reach."""
    import psycopg

    schema = f"src_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_pw_dsn(pw_server), autocommit=True) as conn:
        conn.execute(f"""
          CREATE SCHEMA {schema};
          CREATE TABLE {schema}.customers (id serial PRIMARY KEY, name text, country text);
          CREATE TABLE {schema}.orders (id serial PRIMARY KEY,
              customer_id int REFERENCES {schema}.customers(id), amount numeric(10,2),
              status text, created_at timestamp);
          INSERT INTO {schema}.customers (name, country) VALUES ('Ann', 'DE');
        """)
    yield schema
    with psycopg.connect(_pw_dsn(pw_server), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


# The connector suite's private PostgreSQL (initdb, scram-sha-256, TLS), shared per session.
pw_server = connector_fixtures.pg_password_server


def _pw_dsn(server: PasswordServer) -> str:
    return (f"postgresql://{server.user}:{server.password}@127.0.0.1:{server.port}/postgres"
            "?sslmode=require")


def _pw_params(server: PasswordServer, **overrides: Any) -> dict[str, Any]:
    return {"host": "127.0.0.1", "port": server.port, "database": "postgres",
            "user": server.user, "password": server.password, "ssl": "require", **overrides}


async def test_sqlite_source_end_to_end(world: World, tmp_path: Path) -> None:
    db = make_sqlite(team_folder(tmp_path, world.team_id) / "shop.sqlite")
    ds = await create(world.owner, world.team_id, "SQLITE", {"path": str(db)})
    assert ds["__typename"] == "DataSource", ds
    check = (await world.member.gql(CHECK, input={"dataSourceId": ds["id"]}))["checkConnection"]
    assert check == {"__typename": "ConnectionCheck", "ok": True, "message": "Connection works."}
    tables = (await world.admin.gql(TABLES, id=ds["id"]))["dataSourceTables"]
    assert {t["name"] for t in tables} == {"customers", "orders"}
    gen = (await world.admin.gql(GENERATE, input={"dataSourceId": ds["id"]}))["generateModels"]
    assert gen["__typename"] == "ModelVersion", gen
    assert {f["name"] for f in gen["files"]} == {"customers.yml", "orders.yml"}
    orders = next(f["code"] for f in gen["files"] if f["name"] == "orders.yml")
    assert "many_to_one" in orders and "customers" in orders
    read = (await world.member.gql(READ, id=ds["id"]))["dataSource"]
    assert read["models"]["number"] == 1


async def test_postgres_source_with_foreign_keys(world: World, pg_schema: str,
                                                 pw_server: PasswordServer) -> None:
    ds = await create(world.owner, world.team_id, "POSTGRES", _pw_params(pw_server))
    assert ds["__typename"] == "DataSource", ds
    assert "password" not in ds["params"] and ds["hasPassword"] is True
    check = (await world.owner.gql(CHECK, input={"dataSourceId": ds["id"]}))["checkConnection"]
    assert check == {"__typename": "ConnectionCheck", "ok": True, "message": "Connection works."}
    tables = (await world.owner.gql(TABLES, id=ds["id"]))["dataSourceTables"]
    mine = {t["name"]: t for t in tables if t["schema"] == pg_schema}
    assert set(mine) == {"customers", "orders"}
    assert mine["orders"]["primaryKey"] == ["id"]
    gen = (await world.owner.gql(GENERATE, input={
        "dataSourceId": ds["id"],
        "tables": [{"schema": pg_schema, "name": "customers"},
                   {"schema": pg_schema, "name": "orders"}]}))["generateModels"]
    assert gen["__typename"] == "ModelVersion", gen
    orders = next(f["code"] for f in gen["files"] if f["name"] == "orders.yml")
    assert f"{pg_schema}.orders" in orders and "relationship: many_to_one" in orders


async def test_duckdb_source(world: World, tmp_path: Path) -> None:
    import duckdb

    path = team_folder(tmp_path, world.team_id) / "shop.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, price DECIMAL(8,2), name TEXT)")
    con.execute("INSERT INTO products VALUES (1, 9.5, 'pen')")
    con.close()
    ds = await create(world.owner, world.team_id, "DUCKDB", {"path": str(path)})
    check = (await world.member.gql(CHECK, input={"dataSourceId": ds["id"]}))["checkConnection"]
    assert check["__typename"] == "ConnectionCheck", check
    tables = (await world.admin.gql(TABLES, id=ds["id"]))["dataSourceTables"]
    assert [(t["schema"], t["name"], t["primaryKey"]) for t in tables] == [
        ("main", "products", ["id"])]
    gen = (await world.owner.gql(GENERATE, input={"dataSourceId": ds["id"]}))["generateModels"]
    assert [f["name"] for f in gen["files"]] == ["products.yml"], gen
    missing = (await world.member.gql(CHECK, input={"teamId": world.team_id, "type": "DUCKDB",
                                                    "params": {"path": str(tmp_path / "no")}}))
    assert missing["checkConnection"]["code"] == "FORBIDDEN"  # members may not probe files
    missing = (await world.owner.gql(CHECK, input={"teamId": world.team_id, "type": "DUCKDB",
                                                   "params": {"path": str(tmp_path / "no")}}))
    assert missing["checkConnection"]["code"] == "DATABASE_NOT_FOUND", missing


async def test_mariadb_source(world: World) -> None:
    require_mariadb()
    import pymysql

    name = f"src_{uuid.uuid4().hex[:8]}"
    conn = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="")
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE {name}")
            cur.execute(f"CREATE TABLE {name}.items (id INT PRIMARY KEY, price DECIMAL(8,2))")
        ds = await create(world.owner, world.team_id, "MYSQL", {
            "host": "127.0.0.1", "port": 3306, "database": name, "user": "root"})
        check = (await world.owner.gql(CHECK, input={"dataSourceId": ds["id"]}))
        assert check["checkConnection"]["__typename"] == "ConnectionCheck", check
        tables = (await world.owner.gql(TABLES, id=ds["id"]))["dataSourceTables"]
        assert [t["name"] for t in tables] == ["items"]
        assert tables[0]["primaryKey"] == ["id"]
        gen = (await world.owner.gql(GENERATE, input={"dataSourceId": ds["id"]}))
        files = gen["generateModels"]["files"]
        assert [f["name"] for f in files] == ["items.yml"], gen
        assert "type: sum" in files[0]["code"] and "price" in files[0]["code"]
        read = (await world.admin.gql(READ, id=ds["id"]))["dataSource"]
        assert read["models"]["files"] == [{"name": "items.yml"}]
        read = (await world.member.gql(READ, id=ds["id"]))["dataSource"]
        assert read["models"]["files"] == []  # model files are for model authors
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE {name}")
        conn.close()


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port: int = s.getsockname()[1]
    s.close()
    return port


async def test_connection_errors_are_each_clear(world: World,
                                                pw_server: PasswordServer) -> None:
    base = _pw_params(pw_server)

    async def check(params: dict[str, Any], type_: str = "POSTGRES") -> dict[str, Any]:
        r = await world.owner.gql(CHECK, input={"teamId": world.team_id, "type": type_,
                                                "params": params})
        result: dict[str, Any] = r["checkConnection"]
        return result

    closed = await check({**base, "port": closed_port()})
    assert closed["code"] == "HOST_UNREACHABLE", closed
    missing = await check({**base, "database": f"nope_{uuid.uuid4().hex[:6]}"})
    assert missing["code"] == "DATABASE_NOT_FOUND", missing
    require_mariadb()
    wrong = await check({"host": "127.0.0.1", "port": 3306, "database": "test",
                         "user": "root", "password": SECRET}, "MYSQL")
    assert wrong["code"] == "SOURCE_AUTH_FAILED", wrong
    for r in (closed, missing, wrong):
        assert SECRET not in r["message"]


async def test_roles_and_outsiders(world: World, tmp_path: Path) -> None:
    db = make_sqlite(team_folder(tmp_path, world.team_id) / "a.sqlite")
    denied = await create(world.member, world.team_id, "SQLITE", {"path": str(db)})
    assert denied["code"] == "FORBIDDEN"
    outsider = await create(world.outsider, world.team_id, "SQLITE", {"path": str(db)})
    assert outsider["code"] == "NOT_FOUND"
    ds = await create(world.admin, world.team_id, "SQLITE", {"path": str(db)})
    r = (await world.member.gql(UPDATE, input={"id": ds["id"], "name": "x"}))["updateDataSource"]
    assert r["code"] == "FORBIDDEN"
    r = (await world.outsider.raw(READ, id=ds["id"])).json()
    assert r["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    r = (await world.member.gql(DELETE, input={"id": ds["id"]}))["deleteDataSource"]
    assert r["code"] == "FORBIDDEN"
    r = (await world.admin.gql(DELETE, input={"id": ds["id"]}))["deleteDataSource"]
    assert r["__typename"] == "DataSource"


async def test_file_sources_are_confined(world: World, tmp_path: Path) -> None:
    """Outside the team's folder is "not found", whatever is there: the server's files, the
    platform's own key and metadata, a symlink out of the folder."""
    folder = team_folder(tmp_path, world.team_id)
    (folder / "key-link").symlink_to(tmp_path / "secret.key")
    missing = await create(world.owner, world.team_id, "SQLITE", {"path": "nope.sqlite"})
    assert missing["code"] == "DATABASE_NOT_FOUND" and missing["field"] == "path", missing
    for path in ("/etc/passwd", str(tmp_path / "secret.key"), str(folder / "key-link"),
                 str(folder / ".." / ".." / "metadata.db"), "../../secret.key"):
        r = await create(world.owner, world.team_id, "SQLITE", {"path": path})
        assert _same_answer(r, path, missing, "nope.sqlite"), (path, r)


def _same_answer(r: dict[str, Any], typed: str, reference: dict[str, Any],
                 reference_typed: str) -> bool:
    """Two refusals read the same apart from echoing the path each person typed."""
    def norm(x: dict[str, Any], t: str) -> tuple[Any, ...]:
        return (x["__typename"], x["code"], x["field"], x["message"].replace(repr(t), "<path>"))
    return norm(r, typed) == norm(reference, reference_typed)


CHECK_FILE = """mutation($input: CheckConnectionInput!) { checkConnection(input: $input) {
  __typename ... on ConnectionCheck { ok } ... on UserError { code message field } } }"""
UPDATE_PATH = """mutation($input: UpdateDataSourceInput!) { updateDataSource(input: $input) {
  __typename ... on DataSource { id params } ... on UserError { code message field } } }"""


async def test_another_teams_file_is_not_found(world: World, client_factory: Any,
                                               tmp_path: Path) -> None:
    """A stranger who signed up names the victim team's file: every way in answers exactly
    like a file that does not exist, and the victim's source keeps working."""
    victim_file = make_sqlite(team_folder(tmp_path, world.team_id) / "shop.sqlite")
    victim = await create(world.owner, world.team_id, "SQLITE", {"path": str(victim_file)})
    assert victim["__typename"] == "DataSource", victim
    stranger = client_factory()
    viewer = await stranger.sign_up(name="Mallory")
    own = viewer["teams"][0]["id"]
    team_folder(tmp_path, own)
    ghost = str(team_folder(tmp_path, world.team_id) / "no-such-file.sqlite")
    reference = await create(stranger, own, "SQLITE", {"path": ghost})
    assert reference["code"] == "DATABASE_NOT_FOUND", reference
    relative = f"../{world.team_id}/shop.sqlite"
    for typed in (str(victim_file), relative):
        for kind in ("SQLITE", "DUCKDB"):
            r = await create(stranger, own, kind, {"path": typed})
            assert _same_answer(r, typed, reference, ghost), (typed, r)
        checked = (await stranger.gql(CHECK_FILE, input={
            "teamId": own, "type": "SQLITE", "params": {"path": typed}}))["checkConnection"]
        assert _same_answer(checked, typed, reference, ghost), checked
    # Pointing an existing source of one's own at the file answers the same.
    mine = make_sqlite(team_folder(tmp_path, own) / "mine.sqlite")
    ds = await create(stranger, own, "SQLITE", {"path": str(mine)})
    moved = (await stranger.gql(UPDATE_PATH, input={"id": ds["id"], "params": {
        "path": str(victim_file)}}))["updateDataSource"]
    assert _same_answer(moved, str(victim_file), reference, ghost), moved
    check = (await world.member.gql(CHECK, input={"dataSourceId": victim["id"]}))
    assert check["checkConnection"]["ok"] is True


async def test_a_symlink_changed_after_saving_leads_nowhere(world: World, tmp_path: Path) -> None:
    folder = team_folder(tmp_path, world.team_id)
    make_sqlite(folder / "v1.sqlite")
    (folder / "current.sqlite").symlink_to(folder / "v1.sqlite")
    ds = await create(world.owner, world.team_id, "SQLITE", {"path": "current.sqlite"})
    assert ds["params"]["path"] == str(folder / "current.sqlite"), ds
    assert (await world.owner.gql(CHECK, input={"dataSourceId": ds["id"]})
            )["checkConnection"]["ok"] is True
    other = team_folder(tmp_path, "another-team")
    make_sqlite(other / "theirs.sqlite")
    (folder / "current.sqlite").unlink()
    (folder / "current.sqlite").symlink_to(other / "theirs.sqlite")
    r = (await world.owner.gql(CHECK, input={"dataSourceId": ds["id"]}))["checkConnection"]
    assert r["code"] == "DATABASE_NOT_FOUND", r
    assert (await world.owner.raw(TABLES, id=ds["id"])).json()["data"] is None


DEMO = """mutation($input: CreateDemoDataSourceInput!) { createDemoDataSource(input: $input) {
  __typename ... on DataSource { id params } ... on UserError { code message } } }"""


async def test_demo_data_source_still_works_for_a_stranger(client_factory: Any,
                                                           app: Any) -> None:
    """The demo file is platform-owned and shared; only that file outside team folders."""
    import duckdb

    from backend.connectors.demo import ensure_demo

    stranger = client_factory()
    team = (await stranger.sign_up(name="Demo"))["teams"][0]["id"]
    ensure_demo(app.state.settings.data_dir, order_items=200)  # small, made first: fast
    ds = (await stranger.gql(DEMO, input={"teamId": team}))["createDemoDataSource"]
    assert ds["__typename"] == "DataSource", ds
    check = (await stranger.gql(CHECK, input={"dataSourceId": ds["id"]}))["checkConnection"]
    assert check["ok"] is True, check
    neighbour = Path(ds["params"]["path"]).with_name("neighbour.duckdb")
    duckdb.connect(str(neighbour)).close()
    r = await create(stranger, team, "DUCKDB", {"path": str(neighbour)})
    assert r["code"] == "DATABASE_NOT_FOUND", r


async def test_bad_params(world: World) -> None:
    r = await create(world.owner, world.team_id, "POSTGRES", {"host": "h", "port": "x",
                                                              "database": "d", "user": "u"})
    assert r["code"] == "INVALID_INPUT" and r["field"] == "port"
    r = await create(world.owner, world.team_id, "POSTGRES", {"host": "h", "database": "d"})
    assert r["code"] == "INVALID_INPUT" and r["field"] == "user"


async def test_secret_never_comes_back_and_is_not_stored_in_plaintext(
    world: World, metadata_url: str
) -> None:
    ds = await create(world.owner, world.team_id, "POSTGRES", {
        "host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres",
        "password": SECRET})
    # Editing without a password keeps it; nothing returns it.
    up = (await world.owner.gql(UPDATE, input={"id": ds["id"], "name": "renamed",
                                               "params": {"host": "127.0.0.1"}}))
    assert up["updateDataSource"]["hasPassword"] is True
    everything = [
        await world.owner.raw(READ, id=ds["id"]),
        await world.owner.raw("query($t: ID!) { dataSources(teamId: $t) { params } }",
                              t=world.team_id),
        await world.owner.raw("query($t: ID!) { team(id: $t) { dataSources { params } } }",
                              t=world.team_id),
    ]
    for r in everything:
        assert SECRET not in r.text
    if metadata_url.startswith("sqlite"):
        path = Path(metadata_url.split("///", 1)[1])
        for f in path.parent.glob(path.name + "*"):
            assert SECRET.encode() not in f.read_bytes()
    else:
        import psycopg

        dsn = metadata_url.replace("postgresql+asyncpg", "postgresql")
        with psycopg.connect(dsn) as conn:
            dump = str(conn.execute("SELECT * FROM data_sources").fetchall())
            dump += str(conn.execute("SELECT * FROM audit_events").fetchall())
        assert SECRET not in dump


GOOD_MODEL = """cubes:
  - name: orders
    sql_table: orders
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
    measures:
      - name: count
        type: count
"""

BAD_MODEL = """cubes:
  - name: orders
    sql_table: orders
    joins:
      - name: nowhere
        relationship: many_to_one
        sql: "{CUBE}.x = {nowhere}.id"
    dimensions:
      - name: id
        sql: id
        type: numbr
    measures:
      - name: total
        type: sum
      - name: a
        type: number
        sql: "{b}"
      - name: b
        type: number
        sql: "{a}"
"""


async def test_model_versions_are_validated_and_immutable(world: World, tmp_path: Path) -> None:
    db = make_sqlite(team_folder(tmp_path, world.team_id) / "m.sqlite")
    ds = await create(world.owner, world.team_id, "SQLITE", {"path": str(db)})
    ok = (await world.owner.gql(SAVE, input={"dataSourceId": ds["id"], "files": [
        {"name": "orders.yml", "code": GOOD_MODEL}]}))["createModelVersion"]
    assert ok["number"] == 1
    bad = (await world.owner.gql(SAVE, input={"dataSourceId": ds["id"], "files": [
        {"name": "orders.yml", "code": BAD_MODEL}]}))["createModelVersion"]
    assert bad["code"] == "MODEL_INVALID"
    assert bad["field"] == "orders.yml" and bad["line"] >= 1
    messages = " | ".join(p["message"] for p in bad["problems"])
    assert len(bad["problems"]) >= 4, messages
    assert all(p["line"] > 1 for p in bad["problems"])
    # The failed save created nothing: version 1 is still live.
    read = (await world.member.gql(READ, id=ds["id"]))["dataSource"]
    assert read["models"]["number"] == 1
    member = (await world.member.gql(SAVE, input={"dataSourceId": ds["id"], "files": [
        {"name": "orders.yml", "code": GOOD_MODEL}]}))["createModelVersion"]
    assert member["code"] == "FORBIDDEN"
    two = (await world.admin.gql(SAVE, input={"dataSourceId": ds["id"], "files": [
        {"name": "orders.yml", "code": GOOD_MODEL + "    # edited\n"}]}))["createModelVersion"]
    assert two["number"] == 2


PROGRESS = """query($j: String!) { modelGenerationProgress(jobId: $j) {
  done total current finished } }"""


async def test_generation_reports_progress(world: World, tmp_path: Path) -> None:
    path = team_folder(tmp_path, world.team_id) / "wide.sqlite"
    conn = sqlite3.connect(path)
    for i in range(30):
        conn.execute(f"CREATE TABLE t{i:02d} (id INTEGER PRIMARY KEY, v REAL, label TEXT)")
    conn.commit()
    conn.close()
    ds = await create(world.owner, world.team_id, "SQLITE", {"path": str(path)})
    job = uuid.uuid4().hex
    assert (await world.owner.gql(PROGRESS, j=job))["modelGenerationProgress"] is None
    gen = (await world.owner.gql(GENERATE, input={"dataSourceId": ds["id"], "jobId": job}))
    assert len(gen["generateModels"]["files"]) == 30
    progress = (await world.owner.gql(PROGRESS, j=job))["modelGenerationProgress"]
    assert progress == {"done": 30, "total": 30, "current": "", "finished": True}
    # Another user cannot read someone else's job.
    assert (await world.admin.gql(PROGRESS, j=job))["modelGenerationProgress"] is None


async def test_stored_password_is_not_sent_to_a_new_host(world: World) -> None:
    """Editing where a source points needs the password again: else an admin could point it
    at their own server and have the stored password sent there."""
    ds = await create(world.owner, world.team_id, "POSTGRES", {
        "host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres",
        "password": SECRET})
    for change in ({"host": "evil.example"}, {"port": 6543}, {"user": "someone"},
                   {"database": "other"}, {"ssl": "disable", "host": "10.0.0.1"}):
        r = (await world.admin.gql(UPDATE, input={"id": ds["id"], "params": change}))
        assert r["updateDataSource"]["code"] == "INVALID_INPUT", (change, r)
        assert r["updateDataSource"]["field"] == "password"
    same = (await world.admin.gql(UPDATE, input={"id": ds["id"], "name": "renamed",
                                                 "params": {"host": "127.0.0.1"}}))
    assert same["updateDataSource"]["hasPassword"] is True
    moved = (await world.admin.gql(UPDATE, input={"id": ds["id"], "params": {
        "host": "localhost", "password": "a-new-one"}}))
    assert moved["updateDataSource"]["params"]["host"] == "localhost"


async def test_resending_the_same_settings_keeps_the_password(world: World) -> None:
    ds = await create(world.owner, world.team_id, "POSTGRES", {
        "host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres",
        "password": SECRET})
    # A form sends every field back, the port as text and the password empty.
    r = (await world.admin.gql(UPDATE, input={"id": ds["id"], "params": {
        "host": "127.0.0.1", "port": "5432", "database": "test", "user": "postgres",
        "ssl": "disable", "password": ""}}))["updateDataSource"]
    assert r["__typename"] == "DataSource" and r["hasPassword"] is True, r


# --- the network policy, as a stranger who signed up -------------------------------------------


@pytest.fixture
async def chatty_port() -> AsyncIterator[int]:
    """Something that is no database answers on this port, then hangs up."""
    import asyncio

    async def answer(_r: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"SSH-2.0-OpenSSH_9.2\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
def silent_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield s.getsockname()[1]


async def _probe(c: Client, team: str, type_: str, host: str, port: int) -> dict[str, Any]:
    r = await c.gql(CHECK, input={"teamId": team, "type": type_, "params": {
        "host": host, "port": port, "database": "test", "user": "postgres"}})
    result: dict[str, Any] = r["checkConnection"]
    return result


def _shape(r: dict[str, Any], host: str, port: int) -> tuple[Any, ...]:
    return (r["__typename"], r["code"], r["field"], r["message"].replace(f"{host}:{port}", "<at>"))


@pytest.mark.parametrize("type_", ["POSTGRES", "MYSQL"])
async def test_check_connection_is_no_port_scanner(client_factory: Any, app: Any, type_: str,
                                                   silent_port: int, chatty_port: int) -> None:
    """Closed, filtered, another service, no such host, link-local and cloud metadata, the
    platform's own ports: a stranger gets one answer for all of them."""
    stranger = client_factory()
    team = (await stranger.sign_up(name="Scanner"))["teams"][0]["id"]
    settings = app.state.settings
    targets = [("127.0.0.1", closed_port()), ("127.0.0.1", silent_port),
               ("127.0.0.1", chatty_port), ("no-such-host.invalid", 5432),
               ("169.254.169.254", 80), ("fe80::1", 5432), ("100.100.100.200", 80),
               ("127.0.0.1", settings.web_port), ("localhost", settings.pg_port),
               ("127.0.0.1", settings.mysql_port)]
    shapes = set()
    for host, port in targets:
        r = await _probe(stranger, team, type_, host, port)
        assert r.get("code") == "HOST_UNREACHABLE", (host, port, r)
        shapes.add(_shape(r, host, port))
    assert len(shapes) == 1, shapes


async def test_the_platforms_metadata_server_is_unreachable(client_factory: Any,
                                                            metadata_url: str) -> None:
    """With PostgreSQL metadata, no data source reaches that server, by address or name,
    saved or not — though it trusts local logins."""
    if not metadata_url.startswith("postgresql"):
        pytest.skip("the metadata database is a file here: no server to reach")
    stranger = client_factory()
    team = (await stranger.sign_up(name="Pivot"))["teams"][0]["id"]
    reference = await _probe(stranger, team, "POSTGRES", "127.0.0.1", closed_port())
    for host in ("127.0.0.1", "localhost", "127.0.0.2"):
        r = await _probe(stranger, team, "POSTGRES", host, 5432)
        assert r["code"] == "HOST_UNREACHABLE", r
        assert r["message"].replace(f"{host}:5432", "<at>") == reference["message"].replace(
            reference["message"].split(" at ")[1].split(" ")[0], "<at>"), r
    ds = await create(stranger, team, "POSTGRES", {"host": "localhost", "port": 5432,
                                                   "database": "postgres", "user": "postgres"})
    assert ds["__typename"] == "DataSource", ds  # saving resolves nothing: no oracle there
    r = (await stranger.gql(CHECK, input={"dataSourceId": ds["id"]}))["checkConnection"]
    assert r["code"] == "HOST_UNREACHABLE", r
    body = (await stranger.raw(TABLES, id=ds["id"])).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "HOST_UNREACHABLE"
    gen = (await stranger.gql(GENERATE, input={"dataSourceId": ds["id"]}))["generateModels"]
    assert gen["code"] == "HOST_UNREACHABLE", gen


@pytest.fixture
async def production_app(metadata_url: str, tmp_path: Path) -> AsyncIterator[Any]:
    """The web tier as docker-compose's production profile configures it."""
    from backend.api.app import create_app
    from backend.core.db import make_engine
    from backend.core.settings import load_settings

    settings = load_settings({"DATA_DIR": str(tmp_path), "DATABASE_URL": metadata_url,
                              "SECRET_KEY": "test-secret-key-for-the-suite",
                              "SOURCE_NETWORK_DENY": "loopback,private"})
    engine = make_engine(metadata_url)
    yield create_app(settings, engine=engine)
    await engine.dispose()


async def test_production_profile_denies_loopback_and_private(production_app: Any) -> None:
    require_mariadb()
    stranger = Client(production_app)
    try:
        team = (await stranger.sign_up(name="Prod"))["teams"][0]["id"]
        for host in ("127.0.0.1", "localhost", "10.0.0.1", "192.168.1.1", "172.16.0.1"):
            r = await stranger.gql(CHECK, input={"teamId": team, "type": "MYSQL", "params": {
                "host": host, "port": 3306, "database": "test", "user": "root"}})
            assert r["checkConnection"]["code"] == "HOST_UNREACHABLE", (host, r)
    finally:
        await stranger.close()
