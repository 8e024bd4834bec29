"""Where data sources may connect: the operator's network policy, checked at every connect.

A team admin types a host and port; without a policy the platform would connect wherever
the server can — its own metadata database, the wire gateways it runs, a cloud metadata
service, any database on loopback that trusts local logins. So every network connector asks
``NetworkPolicy.resolve`` for the addresses to use: the host is resolved here, each address
is checked, and the driver is handed the checked addresses themselves (never the name, which
could resolve differently a moment later). TLS still verifies the certificate against the
name that was typed (``tls_context_for``).

Rules, in order (the first that matches decides):

1. always denied: link-local (169.254.0.0/16, fe80::/10), cloud metadata addresses
   (169.254.169.254, fd00:ec2::254, 100.100.100.200), multicast and broadcast;
2. always denied: the platform's own endpoints — the metadata database's host and port, and
   the web, PostgreSQL-wire and MySQL-wire ports on any address of this machine;
3. denied: anything in ``SOURCE_NETWORK_DENY``;
4. allowed: anything in ``SOURCE_NETWORK_ALLOW``; everything else is denied.

Whatever goes wrong before a database server answers — a denied address, a name that does not
resolve, a refused, filtered or timed-out connection — reaches the person as the same
``SourceUnreachable`` sentence (``unreachable``), so the API cannot be used to map the network
around the server. The detail goes to the server log at INFO.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import socket
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from backend.core.errors import InvalidInput, SourceUnreachable

log = logging.getLogger("metricsql.sources")

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]  # noqa: UP007 (runtime alias)
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]  # noqa: UP007

_net = ipaddress.ip_network

ALWAYS_DENIED: tuple[Network, ...] = (
    _net("169.254.0.0/16"),  # IPv4 link-local, including 169.254.169.254 (AWS, GCP, Azure)
    _net("fe80::/10"),  # IPv6 link-local
    _net("fd00:ec2::254/128"),  # AWS instance metadata over IPv6
    _net("100.100.100.200/32"),  # Alibaba Cloud metadata
    _net("224.0.0.0/4"),  # multicast
    _net("ff00::/8"),
    _net("255.255.255.255/32"),
)
# Addresses that reach this machine itself. 0.0.0.0 and :: connect to local listeners on
# Linux, so they count as loopback.
LOOPBACK: tuple[Network, ...] = (
    _net("127.0.0.0/8"), _net("::1/128"), _net("0.0.0.0/8"), _net("::/128"),
)
PRIVATE: tuple[Network, ...] = (
    _net("10.0.0.0/8"), _net("172.16.0.0/12"), _net("192.168.0.0/16"),
    _net("100.64.0.0/10"),  # carrier-grade NAT, used inside many clouds
    _net("fc00::/7"),  # IPv6 unique local
)
EVERYWHERE: tuple[Network, ...] = (_net("0.0.0.0/0"), _net("::/0"))
# Names an operator may use in the CIDR lists instead of spelling the ranges out.
ALIASES: dict[str, tuple[Network, ...]] = {
    "loopback": LOOPBACK, "private": PRIVATE, "all": EVERYWHERE, "*": EVERYWHERE,
}


def unreachable(engine: str, host: str, port: int) -> SourceUnreachable:
    """The one answer for every failure to reach a server (see the module docstring)."""
    return SourceUnreachable(
        f"{engine} at {host}:{port} is unreachable",
        hint="check the host and port, that the server accepts connections from this "
        "platform, and that the platform's network policy allows the address",
    )


def parse_networks(text: str, *, setting: str) -> tuple[Network, ...]:
    """``10.0.0.0/8, 192.168.1.5, private`` → networks; a bad entry names the setting."""
    out: list[Network] = []
    for raw in text.replace(";", ",").split(","):
        item = raw.strip()
        if not item:
            continue
        if item.lower() in ALIASES:
            out.extend(ALIASES[item.lower()])
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise InvalidInput(f"{setting}: {item!r} is not a CIDR range, an IP address or "
                               f"one of {', '.join(sorted(ALIASES))}") from None
    return tuple(out)


def _normalise(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _in(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def is_local(address: Address) -> bool:
    """Whether a connection to this address reaches this machine: loopback, or an address
    of one of its interfaces (only those can be bound to)."""
    address = _normalise(address)
    if _in(address, LOOPBACK):
        return True
    family = socket.AF_INET if address.version == 4 else socket.AF_INET6
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((str(address), 0))
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class PlatformEndpoints:
    """The platform's own servers, never a data source."""

    local_ports: frozenset[int] = frozenset()  # denied on every address of this machine
    remote: frozenset[tuple[Address, int]] = frozenset()  # (address, port) elsewhere
    names: frozenset[tuple[str, int]] = frozenset()  # (host name as configured, port)

    @classmethod
    def build(cls, *, own_ports: Iterable[int], metadata: Sequence[tuple[str, int]] = ()
              ) -> PlatformEndpoints:
        """``metadata``: (host, port) of the metadata database; an empty host is a local
        socket. A host that resolves to this machine denies its port on every local address
        (the same server answers on all of them)."""
        local = set(own_ports)
        remote: set[tuple[Address, int]] = set()
        names: set[tuple[str, int]] = set()
        for host, port in metadata:
            names.add((host.lower(), port))
            if not host or host.startswith("/"):
                local.add(port)
                continue
            for address in _resolve_now(host, port):
                if is_local(address):
                    local.add(port)
                else:
                    remote.add((address, port))
        return cls(frozenset(local), frozenset(remote), frozenset(names))

    def covers(self, host: str, address: Address, port: int) -> bool:
        if (host.lower(), port) in self.names or (address, port) in self.remote:
            return True
        return port in self.local_ports and is_local(address)


def _resolve_now(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return [_normalise(ipaddress.ip_address(info[4][0])) for info in infos]


@dataclass(frozen=True)
class NetworkPolicy:
    allow: tuple[Network, ...] = EVERYWHERE
    deny: tuple[Network, ...] = ()
    platform: PlatformEndpoints = field(default_factory=PlatformEndpoints)

    def verdict(self, host: str, address: Address, port: int) -> str | None:
        """Why this address may not be used (for the log), or None if it may."""
        address = _normalise(address)
        if _in(address, ALWAYS_DENIED):
            return "link-local, metadata or multicast address (always denied)"
        if self.platform.covers(host, address, port):
            return "one of the platform's own servers (always denied)"
        if _in(address, self.deny):
            return "in SOURCE_NETWORK_DENY"
        if not _in(address, self.allow):
            return "not in SOURCE_NETWORK_ALLOW"
        return None

    async def resolve(self, engine: str, host: str, port: int, *, timeout: float) -> list[str]:
        """The addresses a connector may connect to for ``host:port``, in resolver order.

        Every address the name resolves to must pass: a name that mixes an allowed and a
        denied address is refused as a whole rather than half-used."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError) as exc:
            log.info("data source %s:%d: name resolution failed: %s", host, port, exc)
            raise unreachable(engine, host, port) from None
        addresses: list[str] = []
        for info in infos:
            text = str(info[4][0]).split("%", 1)[0]
            address = ipaddress.ip_address(text)
            reason = self.verdict(host, address, port)
            if reason is not None:
                log.info("data source %s:%d: address %s refused by the network policy: %s",
                         host, port, address, reason)
                raise unreachable(engine, host, port)
            if text not in addresses:
                addresses.append(text)
        if not addresses:
            raise unreachable(engine, host, port)
        return addresses


DEFAULT_POLICY = NetworkPolicy()


class _NamedTLSContext(ssl.SSLContext):
    """Verifies the server's certificate for the name that was typed while the socket goes to
    an address the policy checked: drivers pass the address they connect to as the TLS server
    name, so this context puts the name back."""

    server_name: str = ""

    def wrap_bio(self, incoming: ssl.MemoryBIO, outgoing: ssl.MemoryBIO,
                 server_side: bool = False, server_hostname: Any = None,
                 session: ssl.SSLSession | None = None) -> ssl.SSLObject:
        return super().wrap_bio(incoming, outgoing, server_side=server_side,
                                server_hostname=self.server_name or server_hostname,
                                session=session)


def tls_context_for(mode: str, host: str) -> ssl.SSLContext | None:
    """The client TLS context for an ``ssl`` mode: none, encrypt only, or verify fully
    (certificate and host name, against ``host``)."""
    if mode == "disable":
        return None
    context = _NamedTLSContext(ssl.PROTOCOL_TLS_CLIENT)
    context.server_name = host
    if mode == "require":  # like libpq's sslmode=require: encrypted, certificate unchecked
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context.load_default_certs()
    return context


def is_network_failure(exc: BaseException) -> bool:
    """A failure to reach the server at all (as opposed to the server answering no)."""
    if isinstance(exc, ssl.SSLError):
        return False
    if isinstance(exc, (TimeoutError, socket.gaierror, ConnectionError)):
        return True
    return isinstance(exc, OSError) and exc.errno in (
        errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN,
        errno.ECONNRESET, errno.EADDRNOTAVAIL, errno.ETIMEDOUT, errno.EPIPE, None,
    )
