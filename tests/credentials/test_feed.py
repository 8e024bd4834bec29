"""The change-feed subscriber on SQLite and PostgreSQL: every kind of change reaches the map,
the listeners hear of it, and a restarted subscriber catches up on what it missed."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.core.grants import CredentialGrant
from backend.core.models import (
    AccessList,
    AuditEvent,
    CredentialEvent,
    DataSource,
    ModelFile,
    ModelVersion,
    SqlCredential,
)
from backend.core.scram import ScramVerifier, verify_plaintext
from backend.core.services import credentials as svc
from backend.core.services import events, teams
from backend.core.services.feed import FeedSubscriber
from backend.semantic.model import AccessPolicy
from tests.credentials.conftest import DS_SECRET, SECRET_KEY, Team3

Maker = async_sessionmaker[AsyncSession]
# Generous: only bounds how long a broken subscriber makes the test hang, never a measurement.
WAIT = 20.0


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, CredentialGrant | None]] = []
        self.changed = asyncio.Event()

    def __call__(self, username: str, grant: CredentialGrant | None) -> None:
        self.calls.append((username, grant))
        self.changed.set()

    def last(self, username: str) -> CredentialGrant | None:
        return [g for u, g in self.calls if u == username][-1]

    def heard(self, username: str) -> bool:
        return any(u == username for u, _ in self.calls)

    async def wait_for(self, username: str) -> CredentialGrant | None:
        async def until() -> None:
            while not self.heard(username):
                self.changed.clear()
                await self.changed.wait()
        await asyncio.wait_for(until(), WAIT)
        return self.last(username)


@pytest.fixture
async def feed(engine: AsyncEngine) -> AsyncIterator[tuple[FeedSubscriber, Recorder]]:
    sub = FeedSubscriber(engine, SECRET_KEY, poll_interval=0.02)
    rec = Recorder()
    sub.add_listener(rec)
    await sub.start()
    yield sub, rec
    await sub.stop()


async def issue(maker: Maker, t: Team3, role: str, ds: int = 0, by: str = "owner"
                ) -> svc.IssuedCredential:
    async with maker() as db:
        issued = await svc.create_credential(db, t.actor(by), t.members[role], t.ds[ds])
        await db.commit()
    return issued


def strip(g: CredentialGrant | None) -> CredentialGrant | None:
    return dataclasses.replace(g, revision=0) if g else None


async def test_initial_load_builds_complete_grants(engine: AsyncEngine, maker: Maker,
                                                   team3: Team3) -> None:
    member_cred = await issue(maker, team3, "member")
    owner_cred = await issue(maker, team3, "owner", ds=1)
    async with maker() as db:
        db.add(AccessList(team_id=team3.team_id, role="member",
                          allowed=["orders", "customers.name"]))
        version = ModelVersion(data_source_id=team3.ds[0], checksum="c", number=1)
        db.add(version)
        await db.flush()
        db.add_all([ModelFile(version_id=version.id, name="orders.yml", code="cubes: []\n"),
                    ModelFile(version_id=version.id, name="a.yml", code="cubes: []\n")])
        await db.commit()
    async with FeedSubscriber(engine, SECRET_KEY) as sub:
        g = sub.lookup(member_cred.view.credential.username)
        assert g is not None
        assert verify_plaintext(ScramVerifier.parse(g.verifier), member_cred.password)
        assert (g.team_id, g.member_id, g.data_source_id) == (
            team3.team_id, team3.members["member"], team3.ds[0])
        assert g.user_email == team3.emails["member"]
        assert g.data_source_type == "POSTGRES"
        assert g.data_source_params["password"] == DS_SECRET
        assert g.data_source_params["host"] == "db.internal"
        assert g.model_version_id == version.id
        assert g.model_files == (("a.yml", "cubes: []\n"), ("orders.yml", "cubes: []\n"))
        assert g.access == AccessPolicy(frozenset({"orders", "customers.name"}))
        o = sub.lookup(owner_cred.view.credential.username)
        assert o is not None and o.access == AccessPolicy(None)
        assert o.data_source_type == "SQLITE" and o.model_version_id is None
        assert sub.lookup("nobody1234") is None
        assert sub.position == sub.last_event_id > 0


async def test_every_kind_of_change_reaches_the_map(
        feed: tuple[FeedSubscriber, Recorder], maker: Maker, team3: Team3) -> None:
    sub, rec = feed
    issued = await issue(maker, team3, "member")
    u = issued.view.credential.username
    cred_id = issued.view.credential.id
    await sub.catch_up()
    first = rec.last(u)
    assert first is not None and sub.lookup(u) == first

    async with maker() as db:  # rotate: a new verifier
        rotated = await svc.rotate_password(db, team3.actor("member"), cred_id)
        await db.commit()
    await sub.catch_up()
    g = rec.last(u)
    assert g is not None and g.verifier != first.verifier
    assert verify_plaintext(ScramVerifier.parse(g.verifier), rotated.password)
    assert g.revision > first.revision

    async with maker() as db:  # moved to another data source
        await svc.update_credential(db, team3.actor("admin"), cred_id, data_source_id=team3.ds[1])
        await db.commit()
    await sub.catch_up()
    g = rec.last(u)
    assert g is not None and g.data_source_type == "SQLITE" and g.data_source_id == team3.ds[1]

    async with maker() as db:  # a new model version on that data source
        v = ModelVersion(data_source_id=team3.ds[1], checksum="x", number=7)
        db.add(v)
        await db.flush()
        db.add(ModelFile(version_id=v.id, name="m.yml", code="cubes: []\n"))
        await events.emit(db, events.MODEL_VERSION_CREATED, team_id=team3.team_id,
                          data_source_id=team3.ds[1])
        await db.commit()
    await sub.catch_up()
    g = rec.last(u)
    assert g is not None and g.model_version_id == v.id and g.model_files == (
        ("m.yml", "cubes: []\n"),)

    async with maker() as db:  # the data source's parameters change
        ds = await db.get_one(DataSource, team3.ds[1])
        ds.params = {"path": "/tmp/elsewhere.db"}
        await events.emit(db, events.DATA_SOURCE_CHANGED, team_id=team3.team_id,
                          data_source_id=ds.id)
        await db.commit()
    await sub.catch_up()
    g = rec.last(u)
    assert g is not None and g.data_source_params == {"path": "/tmp/elsewhere.db"}

    async with maker() as db:  # the role's access list changes
        db.add(AccessList(team_id=team3.team_id, role="member", allowed=["orders"]))
        await events.emit(db, events.ACCESS_LIST_CHANGED, team_id=team3.team_id)
        await db.commit()
    await sub.catch_up()
    g = rec.last(u)
    assert g is not None and g.access == AccessPolicy(frozenset({"orders"}))

    async with maker() as db:  # the member becomes an admin: no list for admins
        await teams.update_member_role(db, team3.actor("owner"), team3.members["member"],
                                       "admin")
        await db.commit()
    await sub.catch_up()
    g = rec.last(u)
    assert g is not None and g.access == AccessPolicy(None)

    calls = len(rec.calls)
    async with maker() as db:  # nothing this grant depends on: no notification
        ds = await db.get_one(DataSource, team3.ds[0])
        ds.name = "renamed"
        await events.emit(db, events.DATA_SOURCE_CHANGED, team_id=team3.team_id,
                          data_source_id=ds.id)
        await db.commit()
    await sub.catch_up()
    assert [c for c in rec.calls[calls:] if c[0] == u] == []

    async with maker() as db:  # deleted
        await svc.delete_credential(db, team3.actor("owner"), cred_id)
        await db.commit()
    await sub.catch_up()
    assert rec.last(u) is None and sub.lookup(u) is None


async def test_member_removal_and_data_source_deletion_revoke(
        feed: tuple[FeedSubscriber, Recorder], maker: Maker, team3: Team3) -> None:
    sub, rec = feed
    by_member = (await issue(maker, team3, "member", ds=1)).view.credential.username
    by_ds = (await issue(maker, team3, "admin", ds=0)).view.credential.username
    await sub.catch_up()
    assert sub.lookup(by_member) and sub.lookup(by_ds)
    async with maker() as db:
        await teams.remove_member(db, team3.actor("owner"), team3.members["member"])
        await db.commit()
    await sub.catch_up()
    assert sub.lookup(by_member) is None and rec.last(by_member) is None
    async with maker() as db:  # as the data-source service does it
        await svc.revoke_for_data_source(db, team3.ds[0], team3.actor("owner"))
        await events.emit(db, events.DATA_SOURCE_DELETED, team_id=team3.team_id,
                          data_source_id=team3.ds[0])
        await db.delete(await db.get_one(DataSource, team3.ds[0]))
        await db.commit()
    await sub.catch_up()
    assert sub.lookup(by_ds) is None and rec.last(by_ds) is None


async def test_the_subscriber_wakes_by_itself(feed: tuple[FeedSubscriber, Recorder],
                                              maker: Maker, team3: Team3) -> None:
    """NOTIFY on PostgreSQL, polling on SQLite: no catch_up() call from outside."""
    sub, rec = feed
    issued = await issue(maker, team3, "member")
    u = issued.view.credential.username
    assert await rec.wait_for(u) is not None
    async with maker() as db:
        await svc.delete_credential(db, team3.actor("member"), issued.view.credential.id)
        await db.commit()
    async def until_gone() -> None:
        while rec.last(u) is not None:
            rec.changed.clear()
            await rec.changed.wait()
    await asyncio.wait_for(until_gone(), WAIT)

    again = await issue(maker, team3, "admin")
    async with maker() as db:
        newest = await db.scalar(select(func.max(CredentialEvent.id)))
    assert newest is not None
    await asyncio.wait_for(sub.wait_until(newest), WAIT)
    assert sub.lookup(again.view.credential.username) is not None


async def test_restart_from_saved_position_loses_nothing(engine: AsyncEngine, maker: Maker,
                                                         team3: Team3) -> None:
    kept = await issue(maker, team3, "member")
    doomed = await issue(maker, team3, "admin")
    first = FeedSubscriber(engine, SECRET_KEY, poll_interval=0.02)
    await first.start()
    position, grants = first.snapshot()
    await first.stop()  # killed: everything below happens while no subscriber runs

    async with maker() as db:
        rotated = await svc.rotate_password(db, team3.actor("member"), kept.view.credential.id)
        await svc.delete_credential(db, team3.actor("owner"), doomed.view.credential.id)
        await db.commit()
    born = await issue(maker, team3, "owner")

    rec = Recorder()
    resumed = FeedSubscriber(engine, SECRET_KEY, poll_interval=0.02)
    resumed.add_listener(rec)
    await resumed.start(resume_from=position, grants=grants)
    try:
        names = (kept.view.credential.username, doomed.view.credential.username,
                 born.view.credential.username)
        g = rec.last(names[0])
        assert g is not None
        assert verify_plaintext(ScramVerifier.parse(g.verifier), rotated.password)
        assert rec.last(names[1]) is None and resumed.lookup(names[1]) is None
        assert rec.last(names[2]) is not None
        async with FeedSubscriber(engine, SECRET_KEY) as fresh:
            for name in names:
                assert strip(resumed.lookup(name)) == strip(fresh.lookup(name))
        # Without the old map it loads everything and still replays from the position.
        reloaded = FeedSubscriber(engine, SECRET_KEY)
        await reloaded.start(resume_from=position)
        assert reloaded.last_event_id == resumed.last_event_id
        assert strip(reloaded.lookup(names[0])) == strip(resumed.lookup(names[0]))
        await reloaded.stop()
    finally:
        await resumed.stop()


async def test_out_of_order_commits_are_not_skipped(metadata_url: str, engine: AsyncEngine,
                                                    maker: Maker, team3: Team3) -> None:
    """PostgreSQL: an event with a lower id can commit after a higher one."""
    if not metadata_url.startswith("postgresql"):
        pytest.skip("SQLite has a single writer: ids become visible in order")
    sub = FeedSubscriber(engine, SECRET_KEY)
    await sub.start()
    try:
        async with maker() as slow:
            late = await svc.create_credential(slow, team3.actor("owner"),
                                               team3.members["member"], team3.ds[0])
            late_event = await slow.scalar(select(AuditEvent.id).order_by(
                AuditEvent.id.desc()).limit(1))
            assert late_event is not None
            early = await issue(maker, team3, "admin")  # commits first, with a higher id
            await sub.catch_up()
            assert sub.lookup(early.view.credential.username) is not None
            assert sub.lookup(late.view.credential.username) is None
            assert sub.position < sub.last_event_id  # the gap holds the resume point back
            await slow.commit()
        await sub.catch_up()
        assert sub.lookup(late.view.credential.username) is not None
        assert sub.position == sub.last_event_id
    finally:
        await sub.stop()


async def test_record_login(maker: Maker, team3: Team3) -> None:
    issued = await issue(maker, team3, "member")
    u = issued.view.credential.username
    async with maker() as db:
        await svc.record_login(db, u, False, "198.51.100.4", protocol="postgres")
        await svc.record_login(db, u, True, "198.51.100.4", protocol="mysql")
        await svc.record_login(db, "nosuchuser", False, "198.51.100.5")
        await db.commit()
    async with maker() as db:
        cred = await db.scalar(select(SqlCredential).where(SqlCredential.username == u))
        assert cred is not None and cred.last_used_at is not None
        rows: list[Any] = list(await db.scalars(
            select(AuditEvent).where(AuditEvent.target.in_([u, "nosuchuser"]))
            .order_by(AuditEvent.id)))
    logins = [(r.action, r.client_addr, r.team_id) for r in rows
              if r.action.startswith("sql.login")]
    assert logins == [("sql.login_failed", "198.51.100.4", team3.team_id),
                      ("sql.login_succeeded", "198.51.100.4", team3.team_id),
                      ("sql.login_failed", "198.51.100.5", None)]


async def test_a_login_whose_credential_is_deleted_meanwhile_is_still_audited(
        metadata_url: str, maker: Maker, team3: Team3) -> None:
    """The gateways' audit writer stamps ``last_used_at`` of a credential read a moment
    before; when the credential is deleted in between (the soak does it under load), the
    audit rows of the batch must still be written (they were lost with a StaleDataError)."""
    if not metadata_url.startswith("postgresql"):
        pytest.skip("needs a second writer while the first transaction is open")
    import psycopg
    from sqlalchemy import event

    issued = await issue(maker, team3, "member")
    u = issued.view.credential.username

    def delete_meanwhile(*_: Any) -> None:
        with psycopg.connect(metadata_url.replace("+asyncpg", ""), autocommit=True) as other:
            other.execute("DELETE FROM sql_credentials WHERE username = %s", (u,))

    async with maker() as db:
        event.listen(db.sync_session, "before_flush", delete_meanwhile, once=True)
        await svc.record_login(db, u, True, "198.51.100.6", protocol="postgres")
        await db.commit()
    async with maker() as db:
        actions = list(await db.scalars(select(AuditEvent.action).where(
            AuditEvent.target == u, AuditEvent.client_addr == "198.51.100.6")))
        assert actions == ["sql.login_succeeded"]
        assert await db.scalar(select(SqlCredential).where(SqlCredential.username == u)) is None


async def test_lost_listen_connection_is_replaced(metadata_url: str, engine: AsyncEngine,
                                                  maker: Maker, team3: Team3) -> None:
    if not metadata_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    import psycopg

    from tests.services import PG_ADMIN_DSN

    rec = Recorder()
    sub = FeedSubscriber(engine, SECRET_KEY, poll_interval=0.02)
    sub.add_listener(rec)
    await sub.start()
    try:
        pid = sub._listen_conn.get_server_pid()
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        issued = await issue(maker, team3, "member")
        assert await rec.wait_for(issued.view.credential.username) is not None

        async def until_listening() -> None:
            while sub._listen_conn is None or sub._listen_conn.get_server_pid() == pid:
                await asyncio.sleep(0.01)
        await asyncio.wait_for(until_listening(), WAIT)
    finally:
        await sub.stop()


def test_grant_map_indexes_follow_moves_and_removals() -> None:
    from backend.core.services.feed import _GrantMap, _Scope

    def grant(username: str, ds: str, member: str = "m1") -> CredentialGrant:
        return CredentialGrant(
            credential_id="c-" + username, username=username, verifier="v", team_id="t",
            member_id=member, user_email="e", data_source_id=ds, data_source_type="SQLITE",
            data_source_params={}, model_version_id=None, model_files=(),
            access=AccessPolicy(None), revision=1)

    gm = _GrantMap({"a": grant("a", "ds1"), "b": grant("b", "ds1", "m2")})
    assert gm.touched(_Scope(data_source_ids={"ds1"})) == {"a", "b"}
    gm.put(grant("a", "ds2"))  # moved
    assert gm.touched(_Scope(data_source_ids={"ds1"})) == {"b"}
    assert gm.touched(_Scope(data_source_ids={"ds2"}, member_ids={"m2"})) == {"a", "b"}
    assert gm.touched(_Scope(credential_ids={"c-a"}, usernames={"zzz"})) == {"a"}
    gm.remove("b")
    assert gm.touched(_Scope(member_ids={"m2"})) == set()
    assert gm.touched(_Scope(team_ids={"t"})) == {"a"}
    assert gm.touched(_Scope(everything=True)) == {"a"}
    assert gm._index["data_source_id"] == {"ds2": {"a"}}


async def test_sync_makes_a_new_credential_usable_before_the_next_poll(
        engine: AsyncEngine, maker: Maker, team3: Team3) -> None:
    # A poll interval far longer than the test: only sync() can bring the change in.
    sub = FeedSubscriber(engine, SECRET_KEY, poll_interval=3600, fallback_poll_interval=3600)
    await sub.start()
    try:
        issued = await issue(maker, team3, "member")
        username = issued.view.credential.username
        await sub.sync()
        grant = sub.lookup(username)
        assert grant is not None
        assert verify_plaintext(ScramVerifier.parse(grant.verifier), issued.password)
        # Many concurrent logins coalesce into few catch-ups and all see the credential.
        await asyncio.gather(*(sub.sync() for _ in range(50)))
        assert sub.lookup(username) == grant
    finally:
        await sub.stop()
