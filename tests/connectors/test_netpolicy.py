"""The network policy, at the connector: checked on the resolved addresses at every connect."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import pytest

from backend.connectors.factory import SourceEnvironment, connector_for, metadata_endpoints
from backend.connectors.limits import Limits
from backend.connectors.netpolicy import (
    LOOPBACK,
    PRIVATE,
    NetworkPolicy,
    PlatformEndpoints,
    is_local,
    parse_networks,
)
from backend.core.errors import InvalidInput, SourceUnreachable
from backend.core.settings import load_settings
from tests.services import require_mariadb, require_postgres

FAST = Limits(connect_timeout=2.0, statement_timeout=5.0, pool_max=2)
PG = {"host": "127.0.0.1", "port": 5432, "database": "test", "user": "postgres"}
MY = {"host": "127.0.0.1", "port": 3306, "database": "test", "user": "root"}
NO_LOCAL = NetworkPolicy(deny=LOOPBACK + PRIVATE)


async def _check(type_: str, params: dict[str, Any], policy: NetworkPolicy) -> None:
    connector = connector_for(type_, params, limits=FAST, network=policy)
    try:
        await connector.check()
    finally:
        await connector.close()


def test_parse_networks_and_aliases() -> None:
    nets = parse_networks("10.0.0.0/8, 192.168.1.5 ; private, loopback", setting="X")
    assert ipaddress.ip_network("10.0.0.0/8") in nets
    assert ipaddress.ip_network("192.168.1.5/32") in nets
    assert set(PRIVATE) <= set(nets) and set(LOOPBACK) <= set(nets)
    with pytest.raises(InvalidInput) as info:
        parse_networks("10.0.0.0/8, intranet", setting="SOURCE_NETWORK_DENY")
    assert "SOURCE_NETWORK_DENY" in str(info.value)


@pytest.mark.parametrize("address", ["169.254.169.254", "169.254.1.1", "fe80::1",
                                     "fd00:ec2::254", "100.100.100.200", "::ffff:169.254.169.254",
                                     "224.0.0.1"])
def test_link_local_and_metadata_addresses_are_always_denied(address: str) -> None:
    everything = NetworkPolicy()  # allow all, deny nothing: the embedded default
    assert everything.verdict("h", ipaddress.ip_address(address), 80) is not None


def test_allow_deny_order() -> None:
    policy = NetworkPolicy(allow=parse_networks("10.0.0.0/8", setting="A"),
                           deny=parse_networks("10.1.0.0/16", setting="D"))
    assert policy.verdict("h", ipaddress.ip_address("10.2.3.4"), 5432) is None
    assert policy.verdict("h", ipaddress.ip_address("10.1.3.4"), 5432) is not None  # deny wins
    assert policy.verdict("h", ipaddress.ip_address("8.8.8.8"), 5432) is not None  # not allowed
    mapped = ipaddress.ip_address("::ffff:10.1.3.4")  # IPv4-mapped IPv6 is the IPv4 address
    assert policy.verdict("h", mapped, 5432) is not None


def test_local_addresses() -> None:
    for text in ("127.0.0.1", "127.1.2.3", "::1", "0.0.0.0"):
        assert is_local(ipaddress.ip_address(text))
    assert not is_local(ipaddress.ip_address("192.0.2.1"))  # TEST-NET: no interface has it


@pytest.mark.parametrize("type_,params", [("POSTGRES", PG), ("MYSQL", MY)])
async def test_a_name_resolving_to_a_denied_address_is_unreachable(
    type_: str, params: dict[str, Any]
) -> None:
    (require_postgres if type_ == "POSTGRES" else require_mariadb)()
    await _check(type_, params, NetworkPolicy())  # reachable without the rule
    # "localhost" is a name: it is resolved, and each address it resolves to is checked.
    for host in ("localhost", "127.0.0.1", "127.0.0.2", "::ffff:127.0.0.1"):
        with pytest.raises(SourceUnreachable) as info:
            await _check(type_, {**params, "host": host}, NO_LOCAL)
        assert "is unreachable" in str(info.value)


async def test_the_platforms_own_database_and_ports_are_always_denied() -> None:
    """Metadata on this machine's PostgreSQL: no data source reaches that server, by any
    local address or name; the gateways' and web ports neither."""
    require_postgres()
    platform = PlatformEndpoints.build(own_ports=(8000, 15432, 13306),
                                       metadata=metadata_endpoints(
                                           "postgresql+asyncpg://app@127.0.0.1:5432/meta"))
    policy = NetworkPolicy(platform=platform)  # everything else allowed, loopback included
    for host in ("127.0.0.1", "localhost", "127.0.0.2"):
        with pytest.raises(SourceUnreachable):
            await _check("POSTGRES", {**PG, "host": host}, policy)
    for port in (8000, 15432, 13306):
        verdict = policy.verdict("127.0.0.1", ipaddress.ip_address("127.0.0.1"), port)
        assert verdict is not None and "platform" in verdict
    require_mariadb()
    await _check("MYSQL", MY, policy)  # another server on loopback stays reachable


def test_metadata_endpoints_from_urls() -> None:
    assert metadata_endpoints("sqlite+aiosqlite:///var/metadata.db") == []
    assert metadata_endpoints("postgresql+asyncpg://u:p@db.internal/meta") == [
        ("db.internal", 5432)]
    assert metadata_endpoints("postgresql+asyncpg://u@10.0.0.5:6543/meta") == [
        ("10.0.0.5", 6543)]
    assert ("", 5432) in metadata_endpoints(
        "postgresql+asyncpg://u@/meta?host=/var/run/postgresql")


def test_environment_from_settings(tmp_path: Any) -> None:
    settings = load_settings({
        "DATA_DIR": str(tmp_path), "SECRET_KEY": "k", "WEB_PORT": "18000",
        "DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1:5432/meta",
        "SOURCE_NETWORK_DENY": "loopback,private", "SOURCE_STATEMENT_TIMEOUT_SECONDS": "12.5",
    })
    env = SourceEnvironment.from_settings(settings)
    assert env.limits.statement_timeout == 12.5
    assert env.network.verdict("x", ipaddress.ip_address("10.1.1.1"), 5432) is not None
    assert env.network.verdict("x", ipaddress.ip_address("203.0.113.9"), 5432) is None
    assert 18000 in env.network.platform.local_ports
    assert 5432 in env.network.platform.local_ports  # the metadata server is local


async def test_every_new_connection_resolves_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS can change after a source was saved or first used: each new connection resolves
    and checks again. (A resolver that changes its answer stands in for DNS here: the
    machine's real resolver cannot be re-pointed by a test.)"""
    require_postgres()
    loop = asyncio.get_running_loop()
    answers = ["127.0.0.1", "169.254.169.254"]
    real = loop.getaddrinfo

    async def rebinding(host: Any, port: Any, **kwargs: Any) -> Any:
        if host == "warehouse.example":
            address = answers[0] if len(answers) == 1 else answers.pop(0)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return await real(host, port, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", rebinding)
    connector = connector_for("POSTGRES", {**PG, "host": "warehouse.example"},
                              limits=Limits(connect_timeout=2.0, statement_timeout=5.0,
                                            pool_max=1), network=NetworkPolicy())
    try:
        await connector.check()  # connected to 127.0.0.1
        await connector.close()  # the next use needs a new connection
        with pytest.raises(SourceUnreachable):
            await connector.check()  # the name now points at the metadata service
    finally:
        await connector.close()
