"""The web app's query console: who may run a statement, as whom, and how often.

A console run uses exactly the access a SQL login would have — no password, because the web
session already says who the member is. The member picks either one of *their own*
credentials (its data source, its models, their role's access list) or a data source of the
team (the same, without a credential). Nobody runs as another member, not even an owner: the
console is "what would I see", never impersonation. A stranger to the team gets "not found"
for every id, like everywhere else.

Each run plans and compiles a statement and queries a data source, so it is metered per user:
``ConsoleLimits`` refuses a user's run while another of theirs is still going, and past
``runs_per_minute`` in a sliding minute (``RateLimited``, SQLSTATE 53400). The statement itself
is run by the API layer through the gateways' own session and planner (``backend.api.features
.console``), which this module — the core — must not import.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import InvalidInput, NotFound, RateLimited
from backend.core.grants import CredentialGrant
from backend.core.models import DataSource, SqlCredential, User
from backend.core.services.authz import Actor, membership
from backend.core.services.feed import GrantLoader

ROW_LIMIT = 1000  # rows a console run returns; the rest is not fetched


@dataclass
class ConsoleLimits:
    """Per-user metering of console runs (per web process, like the login throttle)."""

    runs_per_minute: int = 30
    window_seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    max_users: int = 10_000
    _runs: dict[str, deque[float]] = field(default_factory=dict)
    _running: set[str] = field(default_factory=set)

    @contextlib.contextmanager
    def run(self, user_id: str) -> Iterator[None]:
        if user_id in self._running:
            raise RateLimited("Another of your console queries is still running; wait for it.")
        now = self.clock()
        recent = self._runs.get(user_id)
        if recent is None:
            if len(self._runs) >= self.max_users:  # bounded memory: forget the oldest user
                self._runs.pop(next(iter(self._runs)))
            recent = self._runs[user_id] = deque()
        while recent and recent[0] <= now - self.window_seconds:
            recent.popleft()
        if len(recent) >= self.runs_per_minute:
            wait = recent[0] + self.window_seconds - now
            raise RateLimited(
                f"At most {self.runs_per_minute} console queries a minute; try again in "
                f"{max(wait, 1):.0f} s.")
        recent.append(now)
        self._running.add(user_id)
        try:
            yield
        finally:
            self._running.discard(user_id)


async def console_grant(
    db: AsyncSession, actor: Actor, secret_key: str, *, team_id: str,
    credential_id: str | None = None, data_source_id: str | None = None,
) -> CredentialGrant:
    """The grant a console run in ``team_id`` uses: the actor's own credential, or the actor's
    role's access on a data source of the team. Anything else is "not found"."""
    me = await membership(db, actor, team_id)
    loader = GrantLoader(secret_key)
    if credential_id:
        cred = await db.get(SqlCredential, credential_id)
        if cred is None or cred.team_id != team_id or cred.member_id != me.id:
            raise NotFound("SQL credential not found.", field="credentialId")
        grant = await loader.load_credential(db, cred.id)
        if grant is None:
            raise NotFound("The SQL credential has expired or its data source cannot be "
                           "opened.", field="credentialId")
        return grant
    if data_source_id:
        ds = await db.get(DataSource, data_source_id)
        if ds is None or ds.team_id != team_id:
            raise NotFound("Data source not found.", field="dataSourceId")
        user = await db.get(User, me.user_id)
        grant = await loader.load_member_access(db, me, user.email if user else "", ds)
        if grant is None:
            raise NotFound("The data source's stored secret cannot be opened.",
                           field="dataSourceId")
        return grant
    raise InvalidInput("Choose one of your SQL credentials or a data source.",
                       field="dataSourceId")
