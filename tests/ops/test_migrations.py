"""Upgrading keeps the data: the first release's code writes through its service layer into a
database at the first migration, then today's code migrates it to head and reads it back.

The writer is the project's own code as of the last commit whose migrations stopped at the
first revision (taken with ``git archive``), because today's models may already name columns
that only later migrations add: that is exactly the situation of an operator upgrading.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from backend.core.db import alembic_config, make_engine, make_sessionmaker, migrate_async
from backend.core.models import Member, SqlCredential, Team, User
from backend.core.scram import ScramVerifier, verify_plaintext
from backend.core.services import accounts
from backend.core.services.accounts import LoginLimits
from backend.core.services.feed import FeedSubscriber

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = "backend/migrations/versions"
SECRET = "upgrade-test-secret-key-" + "x" * 24

WRITER = r"""
import asyncio, json, sys
from backend.core.db import make_engine, make_sessionmaker, migrate
from backend.core.models import Member
from backend.core.services import accounts, credentials, datasources
from backend.core.services.authz import Actor
from backend.core.security import SecretBox
from sqlalchemy import select

url, secret = sys.argv[1], sys.argv[2]
migrate(url)  # the old code's head: the first revision

async def main():
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as db:
        user = await accounts.sign_up(db, email="old@example.com", password="old-release-pw-1",
                                      display_name="Old", client_addr=None)
        member = (await db.scalars(select(Member).where(Member.user_id == user.id))).one()
        actor = Actor(user.id, None)
        config = datasources.SourceConfig(SecretBox(secret), ())
        ds = await datasources.create_data_source(
            db, actor, config, team_id=member.team_id, name="warehouse", type_="POSTGRES",
            params={"host": "127.0.0.1", "port": 5432, "database": "test", "user": "reader",
                    "password": "source-secret-pw"})
        issued = await credentials.create_credential(db, actor, member.id, ds.id)
        await db.commit()
        print(json.dumps({"user_id": user.id, "team_id": member.team_id, "ds_id": ds.id,
                          "username": issued.view.credential.username,
                          "sql_password": issued.password}))
    await engine.dispose()

asyncio.run(main())
"""


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def _revision_files(commit: str) -> list[str]:
    names = _git("ls-tree", "--name-only", f"{commit}:{VERSIONS}").split()
    return [n for n in names if n.endswith(".py") and not n.startswith("__")]


def _first_release() -> str:
    """The newest commit whose migrations end at the first revision."""
    if len(_revision_files("HEAD")) == 1:
        return "HEAD"
    for commit in _git("log", "--format=%H", "--", VERSIONS).split():
        parent = f"{commit}^"
        try:
            if len(_revision_files(parent)) == 1:
                return _git("rev-parse", parent).strip()
        except subprocess.CalledProcessError:
            continue
    pytest.skip("no commit with only the first migration in this clone (shallow?)")


@pytest.fixture(scope="module")
def old_code(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip("not a git checkout: the first release's code cannot be taken")
    target = tmp_path_factory.mktemp("first-release")
    archive = subprocess.run(["git", "archive", _first_release(), "backend"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'metadata.db'}"
        return
    from tests.conftest import _create_pg_database, _drop_pg_database
    from tests.services import require_postgres

    require_postgres()
    name, url = _create_pg_database()
    try:
        yield url
    finally:
        _drop_pg_database(name)


async def test_data_written_at_the_first_migration_survives_the_upgrade(
        old_code: Path, fresh_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(old_code), "SECRET_KEY": SECRET}
    out = subprocess.run([sys.executable, "-c", WRITER, fresh_url, SECRET], cwd=old_code,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    written: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])

    await migrate_async(fresh_url)  # today's head

    engine = make_engine(fresh_url)
    try:
        async with make_sessionmaker(engine)() as db:
            version = await db.scalar(text("SELECT version_num FROM alembic_version"))
            head = ScriptDirectory.from_config(alembic_config(fresh_url)).get_current_head()
            assert version == head
            user = await db.get(User, written["user_id"])
            assert user is not None and user.email == "old@example.com"
            team = await db.get(Team, written["team_id"])
            assert team is not None
            members = (await db.scalars(select(Member).where(Member.team_id == team.id))).all()
            assert [m.user_id for m in members] == [user.id]
            logged_in, _token = await accounts.log_in(
                db, LoginLimits(), email="old@example.com", password="old-release-pw-1",
                client_addr=None, ttl_hours=1)
            assert logged_in.id == user.id
            cred = (await db.scalars(select(SqlCredential).where(
                SqlCredential.username == written["username"]))).one()
            assert cred.data_source_id == written["ds_id"]
        # What the gateways load: the grant, its verifier and the decrypted source password.
        feed = FeedSubscriber(engine, SECRET)
        await feed.start()
        try:
            grant = feed.lookup(written["username"])
            assert grant is not None
            assert grant.data_source_params["password"] == "source-secret-pw"
            verifier = ScramVerifier.parse(grant.verifier)
            assert verify_plaintext(verifier, written["sql_password"])
            assert not verify_plaintext(verifier, written["sql_password"] + "x")
        finally:
            await feed.stop()
    finally:
        await engine.dispose()
