"""A login waits for the credential cache to be current, and is refused (57P03) when it cannot
be made so: the message tells a metadata database that did not answer in time (a login storm on
a loaded gateway) from one that could not be reached."""

from __future__ import annotations

import asyncio

import pytest

from backend.core.errors import MetadataUnavailable
from backend.core.grants import CredentialGrant, sync_for_login


class _Grants:
    def __init__(self, sync: float | Exception):
        self._sync = sync

    def lookup(self, username: str) -> CredentialGrant | None:
        return None

    async def sync(self) -> None:
        if isinstance(self._sync, Exception):
            raise self._sync
        await asyncio.sleep(self._sync)


async def test_a_sync_in_time_lets_the_login_go_on() -> None:
    await sync_for_login(_Grants(0.0), timeout=1.0)


async def test_a_slow_sync_refuses_the_login_saying_it_timed_out() -> None:
    with pytest.raises(MetadataUnavailable) as refused:
        await sync_for_login(_Grants(5.0), timeout=0.05)
    assert refused.value.sqlstate == "57P03"
    assert "within 0.05 s (unreachable or overloaded)" in str(refused.value)


async def test_an_unreachable_database_refuses_the_login_saying_so() -> None:
    with pytest.raises(MetadataUnavailable) as refused:
        await sync_for_login(_Grants(ConnectionRefusedError()), timeout=1.0)
    assert "cannot reach its metadata database" in str(refused.value)
