"""The change-feed subscriber: the gateways' in-memory map username → ``CredentialGrant``.

It tails the ``credential_events`` outbox (see ``events.py``) and, for each batch of events,
reloads from the metadata DB every grant the events may touch, compares, and tells the
registered listeners which usernames changed (``on_change(username, grant_or_None)``) so a
gateway can end the sessions that lost access or must pick up a new model version.

Waking up: on PostgreSQL a dedicated asyncpg connection LISTENs on ``events.NOTIFY_CHANNEL``
(NOTIFY is delivered at commit), with a slow fallback poll in case a notification or the
connection is lost; on SQLite it polls every ``poll_interval`` seconds.

Never losing an event:

* The cursor is the highest event id applied. ``position`` is the id to resume from after a
  restart; replaying an event is harmless (it only reloads state), skipping one is not.
* On PostgreSQL a sequence hands out ids at INSERT but transactions commit in any order, so
  event 7 can become visible after event 8. Ids missing below the cursor are kept as *gaps*
  and fetched again on every read until they appear or ``gap_timeout`` passes (a rolled-back
  transaction leaves a gap that never fills). ``position`` stays below the oldest open gap.
  SQLite has a single writer, so its ids become visible in order and it needs no gaps.
* Starting afresh, the subscriber LISTENs first, then reads the newest event id, then loads
  every grant: anything committed meanwhile is replayed, never missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.core.grants import CredentialGrant
from backend.core.models import (
    AccessList,
    CredentialEvent,
    DataSource,
    Member,
    ModelFile,
    ModelVersion,
    SqlCredential,
    User,
    utcnow,
)
from backend.core.security import SecretBox
from backend.core.services import events
from backend.observability import metrics
from backend.semantic.model import AccessPolicy

log = logging.getLogger("metricsql.feed")

Listener = Callable[[str, CredentialGrant | None], Awaitable[None] | None]

BATCH = 1000
CHUNK = 500  # ids per IN (...) list
GAP_WINDOW = 1000  # at a fresh start, how far back to look for uncommitted ids
MAX_GAPS = 10_000
BRANCH = "main"


class SessionRegistry:
    """Open wire sessions per username, kept by the gateways of this process.

    The web tier reads it for ``SqlCredential.openSessions`` (app ``services.extra["sessions"]``);
    with the gateways in other processes it reports 0.
    """

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()

    def opened(self, username: str) -> None:
        self._counts[username] += 1

    def closed(self, username: str) -> None:
        self._counts[username] -= 1
        if self._counts[username] <= 0:
            del self._counts[username]

    def count(self, username: str) -> int:
        return self._counts.get(username, 0)


@dataclasses.dataclass
class _Scope:
    """What a batch of events may have touched."""

    everything: bool = False
    usernames: set[str] = dataclasses.field(default_factory=set)
    credential_ids: set[str] = dataclasses.field(default_factory=set)
    member_ids: set[str] = dataclasses.field(default_factory=set)
    data_source_ids: set[str] = dataclasses.field(default_factory=set)
    team_ids: set[str] = dataclasses.field(default_factory=set)

    def add(self, ev: CredentialEvent) -> None:
        kind = ev.kind
        if kind.startswith("credential."):
            # Just this credential (its member may hold many others, untouched).
            _add(self.usernames, ev.username)
            _add(self.credential_ids, ev.credential_id)
        elif kind in (events.MEMBER_REMOVED, events.MEMBER_ROLE_CHANGED):
            _add(self.usernames, ev.username)
            _add(self.credential_ids, ev.credential_id)
            _add(self.member_ids, ev.member_id)
        elif kind in (events.DATA_SOURCE_CHANGED, events.DATA_SOURCE_DELETED,
                      events.MODEL_VERSION_CREATED):
            _add(self.data_source_ids, ev.data_source_id)
            _add(self.usernames, ev.username)
        elif ev.team_id:  # access lists, and any kind this code does not know: the whole team
            self.team_ids.add(ev.team_id)
        else:
            self.everything = True

    def conditions(self) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        for column, values in (
            (SqlCredential.username, self.usernames),
            (SqlCredential.id, self.credential_ids),
            (SqlCredential.member_id, self.member_ids),
            (SqlCredential.data_source_id, self.data_source_ids),
            (SqlCredential.team_id, self.team_ids),
        ):
            conds.extend(column.in_(chunk) for chunk in _chunks(values))
        return conds


def _add(target: set[str], value: str | None) -> None:
    if value:
        target.add(value)


def _chunks(values: Iterable[str]) -> list[list[str]]:
    items = sorted(values)
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


_INDEXED = ("credential_id", "member_id", "data_source_id", "team_id")


class _GrantMap:
    """username → grant, indexed by the ids events name, so a change costs its scope only."""

    def __init__(self, grants: Mapping[str, CredentialGrant] | None = None):
        self._grants: dict[str, CredentialGrant] = {}
        self._index: dict[str, dict[str, set[str]]] = {f: {} for f in _INDEXED}
        for grant in (grants or {}).values():
            self.put(grant)

    def get(self, username: str) -> CredentialGrant | None:
        return self._grants.get(username)

    def copy(self) -> dict[str, CredentialGrant]:
        return dict(self._grants)

    def put(self, grant: CredentialGrant) -> None:
        self.remove(grant.username)
        self._grants[grant.username] = grant
        for f in _INDEXED:
            self._index[f].setdefault(getattr(grant, f), set()).add(grant.username)

    def remove(self, username: str) -> None:
        old = self._grants.pop(username, None)
        if old is None:
            return
        for f in _INDEXED:
            names = self._index[f][getattr(old, f)]
            names.discard(username)
            if not names:
                del self._index[f][getattr(old, f)]

    def touched(self, scope: _Scope) -> set[str]:
        if scope.everything:
            return set(self._grants)
        found = {u for u in scope.usernames if u in self._grants}
        for f, values in (("credential_id", scope.credential_ids),
                          ("member_id", scope.member_ids),
                          ("data_source_id", scope.data_source_ids),
                          ("team_id", scope.team_ids)):
            for value in values:
                found |= self._index[f].get(value, set())
        return found


def _same(a: CredentialGrant, b: CredentialGrant) -> bool:
    return dataclasses.replace(a, revision=b.revision) == b


class GrantLoader:
    """Builds grants from the metadata DB (no authorisation: for the feed only)."""

    def __init__(self, secret_key: str):
        self._box = SecretBox(secret_key)

    async def load(self, db: AsyncSession, scope: _Scope | None, revision: int
                   ) -> dict[str, CredentialGrant]:
        query = (
            select(SqlCredential, Member.role, User.email, DataSource)
            .join(Member, Member.id == SqlCredential.member_id)
            .join(User, User.id == Member.user_id)
            .join(DataSource, DataSource.id == SqlCredential.data_source_id)
        )
        if scope is not None and not scope.everything:
            conds = scope.conditions()
            if not conds:
                return {}
            query = query.where(or_(*conds))
        rows = (await db.execute(query)).all()
        now = utcnow()
        rows = [r for r in rows if r[0].expires_at is None or r[0].expires_at > now]
        policies = await self._policies(db, {cred.team_id for cred, *_ in rows})
        models = await self._models(db, {ds.id for *_, ds in rows})
        params: dict[str, dict[str, Any] | None] = {}
        grants: dict[str, CredentialGrant] = {}
        for cred, role, email, ds in rows:
            if ds.id not in params:
                params[ds.id] = self._params(ds)
            ds_params = params[ds.id]
            if ds_params is None:
                continue  # an unreadable secret: fail closed, nobody logs in to it
            version_id, files = models.get(ds.id, (None, ()))
            grants[cred.username] = CredentialGrant(
                credential_id=cred.id, username=cred.username, verifier=cred.verifier,
                team_id=cred.team_id, member_id=cred.member_id, user_email=email,
                data_source_id=ds.id, data_source_type=ds.type,
                data_source_params=ds_params, model_version_id=version_id,
                model_files=files,
                access=policies.get((cred.team_id, role), AccessPolicy(None)),
                revision=revision,
            )
        return grants

    async def load_credential(self, db: AsyncSession, credential_id: str
                              ) -> CredentialGrant | None:
        """One credential's grant, exactly as a gateway would see it (None: expired or its
        data source's secret is unreadable)."""
        grants = await self.load(db, _Scope(credential_ids={credential_id}), 0)
        return next(iter(grants.values()), None)

    async def load_member_access(self, db: AsyncSession, member: Member, email: str,
                                 ds: DataSource) -> CredentialGrant | None:
        """A grant for a member on a data source without a credential: the member's role's
        access list and the source's live models (the web console's "my access")."""
        params = self._params(ds)
        if params is None:
            return None
        policies = await self._policies(db, {member.team_id})
        version_id, files = (await self._models(db, {ds.id})).get(ds.id, (None, ()))
        return CredentialGrant(
            credential_id="", username=f"member:{member.id}", verifier="",
            team_id=member.team_id, member_id=member.id, user_email=email,
            data_source_id=ds.id, data_source_type=ds.type, data_source_params=params,
            model_version_id=version_id, model_files=files,
            access=policies.get((member.team_id, member.role), AccessPolicy(None)), revision=0,
        )

    def _params(self, ds: DataSource) -> dict[str, Any] | None:
        merged = dict(ds.params or {})
        if ds.secret:
            try:
                merged.update(self._box.open(ds.secret))
            except ValueError as exc:
                log.error("data source %s: %s; its credentials are disabled", ds.id, exc)
                return None
        return merged

    async def _policies(self, db: AsyncSession, team_ids: set[str]
                        ) -> dict[tuple[str, str], AccessPolicy]:
        out: dict[tuple[str, str], AccessPolicy] = {}
        for chunk in _chunks(team_ids):
            for acl in await db.scalars(select(AccessList).where(AccessList.team_id.in_(chunk))):
                allowed = None if acl.allowed is None else frozenset(acl.allowed)
                out[(acl.team_id, acl.role)] = AccessPolicy(allowed)
        return out

    async def _models(self, db: AsyncSession, ds_ids: set[str]
                      ) -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
        latest: dict[str, str] = {}
        for chunk in _chunks(ds_ids):
            newest = (
                select(ModelVersion.data_source_id, func.max(ModelVersion.number).label("n"))
                .where(ModelVersion.data_source_id.in_(chunk), ModelVersion.branch == BRANCH)
                .group_by(ModelVersion.data_source_id)
                .subquery()
            )
            rows = await db.execute(
                select(ModelVersion.data_source_id, ModelVersion.id).join(
                    newest, and_(ModelVersion.data_source_id == newest.c.data_source_id,
                                 ModelVersion.number == newest.c.n,
                                 ModelVersion.branch == BRANCH)))
            latest.update({ds_id: version_id for ds_id, version_id in rows})
        files: dict[str, list[tuple[str, str]]] = {v: [] for v in latest.values()}
        for chunk in _chunks(files):
            file_rows = await db.execute(
                select(ModelFile.version_id, ModelFile.name, ModelFile.code)
                .where(ModelFile.version_id.in_(chunk)).order_by(ModelFile.name))
            for version_id, name, code in file_rows:
                files[version_id].append((name, code))
        return {ds_id: (v, tuple(files[v])) for ds_id, v in latest.items()}


class FeedSubscriber:
    """Implements ``backend.core.grants.GrantDirectory`` for the gateways of one process."""

    def __init__(
        self,
        engine: AsyncEngine,
        secret_key: str,
        *,
        poll_interval: float = 0.1,
        fallback_poll_interval: float = 5.0,
        gap_timeout: float = 300.0,
    ):
        self._engine = engine
        self._maker = async_sessionmaker(engine, expire_on_commit=False)
        self._loader = GrantLoader(secret_key)
        self._is_pg = engine.dialect.name == "postgresql"
        self._poll = poll_interval
        self._fallback_poll = fallback_poll_interval
        self._gap_timeout = gap_timeout
        self._grants = _GrantMap()
        self._listeners: list[Listener] = []
        self._last_id = 0
        self._gaps: dict[int, float] = {}  # id → monotonic deadline
        self._lock = asyncio.Lock()
        self._sync_lock = asyncio.Lock()
        self._last_sync_started = 0.0
        self._wake = asyncio.Event()
        self._caught_up = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._listen_conn: Any = None
        self.last_catch_up: datetime | None = None

    # --- what the gateways use ----------------------------------------------------------

    def lookup(self, username: str) -> CredentialGrant | None:
        return self._grants.get(username)

    def grants(self) -> Mapping[str, CredentialGrant]:
        return self._grants.copy()

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    @property
    def last_event_id(self) -> int:
        """The highest event id applied."""
        return self._last_id

    @property
    def position(self) -> int:
        """Resume from here after a restart: every event above it may not have been applied."""
        return min(self._gaps) - 1 if self._gaps else self._last_id

    def snapshot(self) -> tuple[int, dict[str, CredentialGrant]]:
        """(position, grants): enough to start a new subscriber without a full reload."""
        return self.position, self._grants.copy()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def caught_up(self, max_age_seconds: float) -> bool:
        """Following the feed and read it successfully within ``max_age_seconds`` (readiness).

        The follower reads at least every fallback poll even without NOTIFY, so a stale read
        means the metadata DB is unreachable and new credentials would not be seen.
        """
        if not self.running or self.last_catch_up is None:
            return False
        return (utcnow() - self.last_catch_up).total_seconds() <= max_age_seconds

    # --- life cycle ---------------------------------------------------------------------

    async def start(self, resume_from: int | None = None,
                    grants: Mapping[str, CredentialGrant] | None = None) -> None:
        """Load and start following the feed.

        ``resume_from``: the ``position`` a previous subscriber reached; events after it are
        replayed. ``grants``: that subscriber's map (from ``snapshot``), so nothing is loaded
        afresh and the listeners hear of each change made meanwhile. Without ``grants`` every
        grant is loaded now; without ``resume_from`` the cursor starts at the newest event.
        """
        if grants is not None and resume_from is None:
            raise ValueError("a saved map needs the position it was saved at (resume_from)")
        if self._is_pg:
            await self._connect_listener()
        async with self._lock, self._maker() as db:
            newest = int(await db.scalar(select(func.max(CredentialEvent.id))) or 0)
            if resume_from is None:
                self._last_id = newest
                if self._is_pg:
                    await self._seed_gaps(db, newest)
            else:
                self._last_id = resume_from
            if grants is None:
                self._grants = _GrantMap(await self._loader.load(db, None, newest))
            else:
                self._grants = _GrantMap(grants)
        await self.catch_up()
        self._task = asyncio.create_task(self._run(), name="credential-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._close_listener()

    async def __aenter__(self) -> FeedSubscriber:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- following ----------------------------------------------------------------------

    async def sync(self) -> None:
        """Apply every event committed before this call, now (gateways call it at login).

        A credential created or rotated a moment ago must work at once, not after the next
        poll. Concurrent callers coalesce: a catch-up that began after a caller asked covers
        that caller, so a flood of logins costs one small query at a time, not one each.
        """
        asked = time.monotonic()
        async with self._sync_lock:
            # Only a catch-up that succeeded covers the callers waiting behind it: after a
            # failed one (the metadata DB away) each caller tries, and fails, on its own.
            if self._last_sync_started > asked:
                return
            started = time.monotonic()
            await self.catch_up()
            self._last_sync_started = started

    async def catch_up(self) -> int:
        """Apply every event committed so far; returns how many were applied."""
        applied = 0
        changed: list[tuple[str, CredentialGrant | None]] = []
        async with self._lock:
            while True:
                async with self._maker() as db:
                    batch = await self._read(db)
                    if not batch:
                        break
                    scope = _Scope()
                    for ev in batch:
                        scope.add(ev)
                    revision = max(ev.id for ev in batch)
                    fresh = await self._loader.load(db, scope, revision)
                self._advance(batch)
                metrics.feed_applied(ev.created_at for ev in batch)
                changed.extend(self._apply(scope, fresh))
                applied += len(batch)
                if len(batch) < BATCH:
                    break
            self._expire_gaps()
        self.last_catch_up = utcnow()
        async with self._caught_up:
            self._caught_up.notify_all()
        # Outside the lock, so a listener may look things up or even call catch_up itself.
        for username, grant in changed:
            await self._notify(username, grant)
        return applied

    async def wait_until(self, event_id: int) -> None:
        """Return once event ``event_id`` (and everything before it) has been applied."""
        async with self._caught_up:
            await self._caught_up.wait_for(
                lambda: self._last_id >= event_id and not any(g <= event_id for g in self._gaps))

    async def _read(self, db: AsyncSession) -> Sequence[CredentialEvent]:
        cond = CredentialEvent.id > self._last_id
        if self._gaps:
            cond = or_(cond, CredentialEvent.id.in_(sorted(self._gaps)[:CHUNK]))
        rows = await db.scalars(select(CredentialEvent).where(cond)
                                .order_by(CredentialEvent.id).limit(BATCH))
        return rows.all()

    def _advance(self, batch: Sequence[CredentialEvent]) -> None:
        deadline = time.monotonic() + self._gap_timeout
        for ev in batch:
            if ev.id <= self._last_id:
                self._gaps.pop(ev.id, None)
                continue
            if self._is_pg:
                for missing in range(self._last_id + 1, min(ev.id, self._last_id + MAX_GAPS)):
                    if len(self._gaps) < MAX_GAPS:
                        self._gaps[missing] = deadline
            self._last_id = ev.id

    def _expire_gaps(self) -> None:
        now = time.monotonic()
        for gap in [g for g, deadline in self._gaps.items() if deadline <= now]:
            del self._gaps[gap]

    async def _seed_gaps(self, db: AsyncSession, newest: int) -> None:
        floor = max(newest - GAP_WINDOW, 0)
        present = set(await db.scalars(
            select(CredentialEvent.id).where(CredentialEvent.id > floor)))
        deadline = time.monotonic() + self._gap_timeout
        self._gaps = {i: deadline for i in range(floor + 1, newest) if i not in present}

    def _apply(self, scope: _Scope, fresh: dict[str, CredentialGrant]
               ) -> list[tuple[str, CredentialGrant | None]]:
        """Update the map; return what changed, in username order."""
        touched = self._grants.touched(scope) | set(fresh)
        changed: list[tuple[str, CredentialGrant | None]] = []
        for username in sorted(touched):
            old = self._grants.get(username)
            new = fresh.get(username)
            if new is None:
                if old is not None:
                    self._grants.remove(username)
                    changed.append((username, None))
            elif old is None or not _same(old, new):
                self._grants.put(new)
                changed.append((username, new))
        return changed

    async def _notify(self, username: str, grant: CredentialGrant | None) -> None:
        for listener in list(self._listeners):
            try:
                result = listener(username, grant)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("feed listener failed for %s", username)

    async def _run(self) -> None:
        backoff = self._poll
        while True:
            listening = self._listen_conn is not None and not self._listen_conn.is_closed()
            timeout = self._fallback_poll if listening else self._poll
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
            self._wake.clear()
            try:
                if self._is_pg and not listening:
                    await self._connect_listener()
                await self.catch_up()
                backoff = self._poll
            except Exception as exc:  # the metadata DB is away: keep the map, retry
                log.warning("change feed: %s; retrying in %.1fs", type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    # --- LISTEN/NOTIFY ------------------------------------------------------------------

    async def _connect_listener(self) -> None:
        import asyncpg

        await self._close_listener()
        dsn = self._engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False)
        conn = await asyncpg.connect(dsn)
        await conn.add_listener(events.NOTIFY_CHANNEL, self._on_notify)
        self._listen_conn = conn
        self._wake.set()  # catch up on what was committed while not listening

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()

    async def _close_listener(self) -> None:
        conn, self._listen_conn = self._listen_conn, None
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)
