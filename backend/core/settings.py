"""Settings, declared as data and read once from the environment at start.

Every setting has a documented default (``docs/configuration.md`` is checked against
``SETTINGS`` by a test). Code receives a ``Settings`` object through constructors and the app
factory; nothing reads ``os.environ`` anywhere else.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from backend.core.files import private_dir, private_file


@dataclass(frozen=True)
class SettingSpec:
    env: str
    default: str
    help: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("DATA_DIR", "./var", "Folder for the metadata file, the demo data, the "
                "generated secret key and the TLS pair."),
    SettingSpec("DATABASE_URL", "sqlite+aiosqlite:///<DATA_DIR>/metadata.db",
                "Metadata database (SQLAlchemy async URL); postgresql+asyncpg://... in "
                "production."),
    SettingSpec("BIND_HOST", "127.0.0.1", "Address the web server and gateways listen on."),
    SettingSpec("WEB_PORT", "8000", "Web server (GraphQL, SPA) port."),
    SettingSpec("PG_PORT", "15432", "PostgreSQL wire gateway port."),
    SettingSpec("MYSQL_PORT", "13306", "MySQL wire gateway port."),
    SettingSpec("PUBLIC_HOST", "<BIND_HOST>", "Host name shown in connection details."),
    SettingSpec("PUBLIC_PG_PORT", "<PG_PORT>", "PostgreSQL port shown in connection details."),
    SettingSpec("PUBLIC_MYSQL_PORT", "<MYSQL_PORT>", "MySQL port shown in connection details."),
    SettingSpec("SECRET_KEY", "generated into <DATA_DIR>/secret.key on first start",
                "Key for data-source secret encryption and signed tokens."),
    SettingSpec("TLS_CERT", "<DATA_DIR>/tls/server.crt (self-signed, made on first start)",
                "TLS certificate for both wire gateways."),
    SettingSpec("TLS_KEY", "<DATA_DIR>/tls/server.key", "TLS private key."),
    SettingSpec("REQUIRE_TLS", "true",
                "Refuse PostgreSQL-wire logins that did not start TLS (the MySQL gateway always "
                "requires it)."),
    SettingSpec("ALLOW_CLEARTEXT_PASSWORD", "false",
                "Let PostgreSQL clients send a cleartext password (only ever over TLS)."),
    SettingSpec("SESSION_TTL_HOURS", "336", "Lifetime of a web session cookie."),
    SettingSpec("PUBLIC_URL", "http://<PUBLIC_HOST>:<WEB_PORT>",
                "The address people open the web app at; https:// makes cookies Secure."),
    SettingSpec("SECURE_COOKIES", "auto",
                "Mark the session cookies Secure: auto (when PUBLIC_URL is https://), true "
                "or false."),
    SettingSpec("MAX_REQUEST_BYTES", "5242880",
                "Largest HTTP request body the web tier reads (413 beyond it, before parsing)."),
    SettingSpec("GRAPHQL_MAX_BYTES", "100000", "Largest GraphQL document (the query text, "
                "not its variables), in bytes."),
    SettingSpec("GRAPHQL_MAX_DEPTH", "10", "Deepest selection nesting of a GraphQL operation."),
    SettingSpec("GRAPHQL_MAX_ALIASES", "30", "Most field aliases in one GraphQL document."),
    SettingSpec("GRAPHQL_MAX_TOKENS", "1000", "Most lexical tokens in one GraphQL document (the "
                "SPA's largest is about 50; parsing and validating runs on the event loop)."),
    SettingSpec("GRAPHQL_INTROSPECTION", "false",
                "Answer __schema/__type introspection (the SPA is built from schema.graphql "
                "and never needs it)."),
    SettingSpec("YAML_MAX_FILE_BYTES", "1000000", "Largest model file, in bytes."),
    SettingSpec("YAML_MAX_NODES", "500000",
                "Most YAML nodes in one set of model files, counting each alias and merge key "
                "as the nodes it stands for (stops alias and merge-key bombs)."),
    SettingSpec("YAML_MAX_ALIASES", "1000", "Most alias uses (*name) in one model file."),
    SettingSpec("YAML_MAX_DEPTH", "64", "Deepest nesting of mappings and lists in a model file."),
    SettingSpec("MODEL_VALIDATION_TIMEOUT_S", "10",
                "Time limit of one model validation (it runs in a worker process)."),
    SettingSpec("MODEL_VALIDATION_WORKERS", "2",
                "Worker processes for model validation; more validations wait (within the limit)."),
    SettingSpec("FEED_POLL_INTERVAL_MS", "100",
                "How often gateways poll the change feed on SQLite (PostgreSQL uses NOTIFY)."),
    SettingSpec("MAX_CONNECTIONS", "500", "Concurrent wire connections per gateway process."),
    SettingSpec("LOG_LEVEL", "INFO", "Python logging level."),
    SettingSpec("LOG_FORMAT", "text",
                "text, or json: one JSON object per line with the request or session id."),
    SettingSpec("SHUTDOWN_GRACE_SECONDS", "20",
                "On SIGTERM, how long open wire sessions may take to finish before they are "
                "ended (57P01 / ER_SERVER_SHUTDOWN); readiness turns 503 at once."),
    SettingSpec("CLIENT_SEND_TIMEOUT_SECONDS", "120",
                "How long a wire client may stop reading a result (a slow or vanished reader) "
                "before the gateway closes its connection, cancels its source query and frees "
                "the pooled source connection."),
    SettingSpec("FILE_SOURCE_ROOTS", "<DATA_DIR>/files",
                "Folders (separated by ':') holding SQLite and DuckDB data-source files, one "
                "sub-folder per team: <root>/<team id>/. A team opens files of its own folder "
                "only; the metadata file and the secret key are never openable."),
    SettingSpec("SOURCE_STATEMENT_TIMEOUT_SECONDS", "300",
                "Longest a data-source statement may run (PostgreSQL statement_timeout, "
                "MariaDB max_statement_time, MySQL max_execution_time, SQLite/DuckDB "
                "interrupt)."),
    SettingSpec("SOURCE_CONNECT_TIMEOUT_SECONDS", "10",
                "Longest opening a data-source connection (and a connection check) may take."),
    SettingSpec("SOURCE_NETWORK_ALLOW", "all",
                "CIDR ranges (comma-separated; aliases all, private, loopback) data sources may "
                "connect to. Link-local, cloud metadata and the platform's own servers are "
                "always denied."),
    SettingSpec("SOURCE_NETWORK_DENY", "(none)",
                "CIDR ranges (same syntax) data sources may never connect to; wins over the "
                "allow list. The production profile sets loopback,private."),
    SettingSpec("SOURCE_DUCKDB_MEMORY_LIMIT_MB", "256",
                "Memory one DuckDB data source (it runs in the gateway's process) may use, no "
                "spilling to disk; a query past it fails with 53200 / MySQL 1041."),
    SettingSpec("SOURCE_DUCKDB_THREADS", "2", "Threads one DuckDB data source's queries use."),
    SettingSpec("SOURCE_SQLITE_MAX_VALUE_BYTES", "67108864",
                "Longest string or blob a SQLite data-source query may build or read "
                "(SQLITE_LIMIT_LENGTH; 54000 beyond)."),
    SettingSpec("CATALOG_MEMORY_LIMIT_MB", "64",
                "Memory one credential's catalog sandbox (the in-memory DuckDB answering "
                "pg_catalog, information_schema, SHOW and FROM-less SELECTs) may use; a query "
                "past it fails with 53200 / MySQL 1041."),
    SettingSpec("CATALOG_THREADS", "1", "Threads one catalog sandbox query may use."),
    SettingSpec("MAX_STATEMENT_BYTES", "1048576",
                "Longest SQL statement the gateways accept, in characters (54001 beyond it)."),
    SettingSpec("MAX_IN_LIST_ITEMS", "20000", "Most items in one IN (...) list (54001 beyond)."),
    SettingSpec("MAX_NESTING_DEPTH", "1000",
                "Deepest nesting of a statement: parentheses, or the terms of an OR/AND chain "
                "(54001 beyond)."),
    SettingSpec("COMPILE_INLINE_BYTES", "1024",
                "Statements up to this length are planned on the gateway's event loop; longer "
                "ones in a worker process."),
    SettingSpec("COMPILE_TIMEOUT_SECONDS", "5",
                "Longest a statement may take to plan in a worker before it is stopped (54001)."),
    SettingSpec("COMPILE_WORKERS", "1", "Worker processes per gateway process that plan long "
                "statements."),
    SettingSpec("COMPILE_QUEUE_PER_CREDENTIAL", "8",
                "Long statements of one credential that may wait for a planner worker; waiting "
                "statements take turns by credential, and more are refused at once (53400)."),
    SettingSpec("DEMO_ORDER_ITEMS", "300000", "Size of the generated demo data set."),
    SettingSpec("EVENT_LOOP", "uvloop",
                "uvloop, or asyncio: the event loop the server processes run on. uvloop "
                "(libuv; transports and TLS in C) takes about a fifth off the gateways' CPU "
                "per statement (docs/benchmarks.md); asyncio is the fallback where uvloop is "
                "not installed."),
)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    bind_host: str = "127.0.0.1"
    web_port: int = 8000
    pg_port: int = 15432
    mysql_port: int = 13306
    public_host: str = "127.0.0.1"
    public_pg_port: int = 15432
    public_mysql_port: int = 13306
    tls_cert: Path | None = None
    tls_key: Path | None = None
    allow_cleartext_password: bool = False
    require_tls: bool = True
    session_ttl_hours: int = 336
    secure_cookies: bool = False
    public_url: str = "http://127.0.0.1:8000"
    max_request_bytes: int = 5_242_880
    graphql_max_bytes: int = 100_000
    graphql_max_depth: int = 10
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 1000
    graphql_introspection: bool = False
    yaml_max_file_bytes: int = 1_000_000
    yaml_max_nodes: int = 500_000
    yaml_max_aliases: int = 1000
    yaml_max_depth: int = 64
    model_validation_timeout_s: float = 10.0
    model_validation_workers: int = 2
    feed_poll_interval_ms: int = 100
    max_connections: int = 500
    log_level: str = "INFO"
    log_format: str = "text"
    shutdown_grace_seconds: float = 20.0
    client_send_timeout_seconds: float = 120.0
    file_source_roots: tuple[Path, ...] = ()
    demo_order_items: int = 300_000
    source_statement_timeout_seconds: float = 300.0
    source_connect_timeout_seconds: float = 10.0
    source_network_allow: str = "all"
    source_network_deny: str = ""
    catalog_memory_limit_mb: int = 64
    max_statement_bytes: int = 1_048_576
    max_in_list_items: int = 20_000
    max_nesting_depth: int = 1_000
    compile_inline_bytes: int = 1024
    compile_timeout_seconds: float = 5.0
    compile_workers: int = 1
    compile_queue_per_credential: int = 8
    source_duckdb_memory_limit_mb: int = 256
    source_duckdb_threads: int = 2
    source_sqlite_max_value_bytes: int = 64 * 2**20
    # Gateway processes sharing the wire ports (SO_REUSEPORT); 0: one per core for
    # ``serve --only gateway``, one for the embedded default.
    gateway_processes: int = 0
    catalog_threads: int = 1
    event_loop: str = "uvloop"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _event_loop(value: str) -> str:
    choice = value.strip().lower()
    if choice not in ("uvloop", "asyncio"):
        raise ValueError(f"EVENT_LOOP must be uvloop or asyncio, not {value!r}")
    return choice


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secure_cookies(value: str, public_url: str) -> bool:
    """``auto``: Secure exactly when people reach the app over HTTPS (a Secure cookie is
    never sent back over plain HTTP, so forcing it on an http:// deployment logs everyone out).
    """
    if value.strip().lower() == "auto":
        return public_url.lower().startswith("https://")
    return _bool(value)


def _secret_key(data_dir: Path) -> str:
    """The key from SECRET_KEY, else one generated on first start and kept in DATA_DIR."""
    path = data_dir / "secret.key"
    if path.exists():
        private_file(path)  # a key left readable by an older version is tightened
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    # Created with owner-only permissions before the key is written into it.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    os.replace(tmp, path)
    return key


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = private_dir(Path(env.get("DATA_DIR", "./var")).resolve())
    database_url = env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'metadata.db'}"
    bind_host = env.get("BIND_HOST", "127.0.0.1")
    pg_port = int(env.get("PG_PORT", "15432"))
    mysql_port = int(env.get("MYSQL_PORT", "13306"))
    web_port = int(env.get("WEB_PORT", "8000"))
    public_url = env.get("PUBLIC_URL") or (
        f"http://{env.get('PUBLIC_HOST', bind_host)}:{web_port}"
    )
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=env.get("SECRET_KEY") or _secret_key(data_dir),
        bind_host=bind_host,
        web_port=web_port,
        pg_port=pg_port,
        mysql_port=mysql_port,
        public_host=env.get("PUBLIC_HOST", bind_host),
        public_pg_port=int(env.get("PUBLIC_PG_PORT", str(pg_port))),
        public_mysql_port=int(env.get("PUBLIC_MYSQL_PORT", str(mysql_port))),
        tls_cert=Path(env["TLS_CERT"]) if env.get("TLS_CERT") else None,
        tls_key=Path(env["TLS_KEY"]) if env.get("TLS_KEY") else None,
        allow_cleartext_password=_bool(env.get("ALLOW_CLEARTEXT_PASSWORD", "false")),
        require_tls=_bool(env.get("REQUIRE_TLS", "true")),
        session_ttl_hours=int(env.get("SESSION_TTL_HOURS", "336")),
        secure_cookies=_secure_cookies(env.get("SECURE_COOKIES", "auto"), public_url),
        public_url=public_url,
        max_request_bytes=int(env.get("MAX_REQUEST_BYTES", "5242880")),
        graphql_max_bytes=int(env.get("GRAPHQL_MAX_BYTES", "100000")),
        graphql_max_depth=int(env.get("GRAPHQL_MAX_DEPTH", "10")),
        graphql_max_aliases=int(env.get("GRAPHQL_MAX_ALIASES", "30")),
        graphql_max_tokens=int(env.get("GRAPHQL_MAX_TOKENS", "1000")),
        graphql_introspection=_bool(env.get("GRAPHQL_INTROSPECTION", "false")),
        yaml_max_file_bytes=int(env.get("YAML_MAX_FILE_BYTES", "1000000")),
        yaml_max_nodes=int(env.get("YAML_MAX_NODES", "500000")),
        yaml_max_aliases=int(env.get("YAML_MAX_ALIASES", "1000")),
        yaml_max_depth=int(env.get("YAML_MAX_DEPTH", "64")),
        model_validation_timeout_s=float(env.get("MODEL_VALIDATION_TIMEOUT_S", "10")),
        model_validation_workers=max(1, int(env.get("MODEL_VALIDATION_WORKERS", "2"))),
        feed_poll_interval_ms=int(env.get("FEED_POLL_INTERVAL_MS", "100")),
        max_connections=int(env.get("MAX_CONNECTIONS", "500")),
        log_level=env.get("LOG_LEVEL", "INFO"),
        log_format=env.get("LOG_FORMAT", "text").strip().lower(),
        shutdown_grace_seconds=float(env.get("SHUTDOWN_GRACE_SECONDS", "20")),
        client_send_timeout_seconds=float(env.get("CLIENT_SEND_TIMEOUT_SECONDS", "120")),
        file_source_roots=tuple(
            Path(p).resolve()
            for p in env.get("FILE_SOURCE_ROOTS", str(data_dir / "files")).split(":") if p
        ),
        demo_order_items=int(env.get("DEMO_ORDER_ITEMS", "300000")),
        source_statement_timeout_seconds=float(env.get("SOURCE_STATEMENT_TIMEOUT_SECONDS", "300")),
        source_connect_timeout_seconds=float(env.get("SOURCE_CONNECT_TIMEOUT_SECONDS", "10")),
        source_network_allow=env.get("SOURCE_NETWORK_ALLOW", "all"),
        source_network_deny=env.get("SOURCE_NETWORK_DENY", ""),
        catalog_memory_limit_mb=int(env.get("CATALOG_MEMORY_LIMIT_MB", "64")),
        catalog_threads=int(env.get("CATALOG_THREADS", "1")),
        max_statement_bytes=int(env.get("MAX_STATEMENT_BYTES", "1048576")),
        max_in_list_items=int(env.get("MAX_IN_LIST_ITEMS", "20000")),
        max_nesting_depth=int(env.get("MAX_NESTING_DEPTH", "1000")),
        compile_inline_bytes=int(env.get("COMPILE_INLINE_BYTES", "1024")),
        compile_timeout_seconds=float(env.get("COMPILE_TIMEOUT_SECONDS", "5")),
        compile_workers=max(1, int(env.get("COMPILE_WORKERS", "1"))),
        compile_queue_per_credential=max(1, int(env.get("COMPILE_QUEUE_PER_CREDENTIAL", "8"))),
        source_duckdb_memory_limit_mb=int(env.get("SOURCE_DUCKDB_MEMORY_LIMIT_MB", "256")),
        source_duckdb_threads=max(1, int(env.get("SOURCE_DUCKDB_THREADS", "2"))),
        source_sqlite_max_value_bytes=int(env.get("SOURCE_SQLITE_MAX_VALUE_BYTES", "67108864")),
        gateway_processes=max(0, int(env.get("GATEWAY_PROCESSES", "0"))),
        event_loop=_event_loop(env.get("EVENT_LOOP", "uvloop")),
    )
