"""Settings of one PostgreSQL wire listener, passed in by whoever starts it."""

from __future__ import annotations

import secrets
import ssl
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PgGatewayConfig:
    host: str = "127.0.0.1"
    port: int = 15432  # 0 picks a free port (tests)
    ssl_context: ssl.SSLContext | None = None
    require_tls: bool = False
    allow_cleartext_password: bool = False  # only ever offered over TLS
    max_connections: int = 500
    max_message_bytes: int = 16 * 1024 * 1024
    max_startup_bytes: int = 10_000  # PostgreSQL's own limit for the startup packet
    startup_timeout: float = 10.0  # whole pre-login phase: TLS, startup, authentication
    message_timeout: float = 30.0  # a message whose header arrived must complete within this
    # A client that stops reading a result holds a pooled data-source connection: give up on it.
    send_timeout: float = 120.0
    login_max_failures: int = 10  # per user name ...
    login_max_failures_per_address: int = 100  # ... and per client address (NAT: higher) ...
    login_window_seconds: float = 60.0  # ... within this window
    # Derives the fake SCRAM salt of unknown users; random per process unless given, so that
    # several gateways behind one load balancer can agree when they share it.
    server_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    database: str = "db"
