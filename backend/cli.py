"""The ``metricsql`` console command: serve, migrate, create-user, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from collections.abc import Sequence

from backend import eventloop
from backend.core.settings import Settings, load_settings

log = logging.getLogger("metricsql")


def _configure_logging(settings: Settings) -> None:
    from backend.observability.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from backend.core.db import migrate

    migrate(settings.database_url)
    print(f"Migrations applied to {settings.database_url.split('@')[-1]}")
    return 0


def cmd_create_user(settings: Settings, args: argparse.Namespace) -> int:
    from backend.core.db import make_engine, make_sessionmaker
    from backend.core.errors import AppError
    from backend.core.services import accounts

    password = args.password or getpass.getpass("Password: ")

    async def run() -> int:
        engine = make_engine(settings.database_url)
        try:
            async with make_sessionmaker(engine)() as db:
                try:
                    user = await accounts.sign_up(
                        db, email=args.email, password=password,
                        display_name=args.name or args.email.split("@")[0], client_addr=None,
                    )
                    await db.commit()
                except AppError as exc:
                    print(f"error: {exc.message}", file=sys.stderr)
                    return 2
                print(f"Created user {user.email} ({user.id})")
                return 0
        finally:
            await engine.dispose()

    return asyncio.run(run())


def cmd_export_schema(_settings: Settings | None, _args: argparse.Namespace) -> int:
    from backend.api.schema import sdl

    sys.stdout.write(sdl())
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from backend.core.db import migrate
    from backend.server import serve

    if not args.no_migrate:
        migrate(settings.database_url)
    eventloop.run(serve(settings, only=args.only), settings.event_loop)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="metricsql",
        description="Metrics platform with a SQL API. Settings come from environment "
        "variables (see docs/configuration.md).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="run the web server and both wire gateways")
    p_serve.add_argument("--only", choices=["web", "gateway"], default=None,
                         help="run one tier only (production)")
    p_serve.add_argument("--no-migrate", action="store_true",
                         help="do not apply migrations before starting")
    sub.add_parser("migrate", help="apply database migrations")
    p_user = sub.add_parser("create-user", help="create a web account with its personal team")
    p_user.add_argument("--email", required=True)
    p_user.add_argument("--name", default=None)
    p_user.add_argument("--password", default=None,
                        help="the password (prompted for when omitted)")
    sub.add_parser("export-schema", help="print the GraphQL SDL (schema.graphql)")
    args = parser.parse_args(argv)
    if args.command == "export-schema":
        return cmd_export_schema(None, args)
    try:
        settings = load_settings()
    except ValueError as exc:  # a malformed setting: say which, not a traceback
        print(f"error: invalid setting: {exc}", file=sys.stderr)
        return 2
    _configure_logging(settings)
    handlers = {"serve": cmd_serve, "migrate": cmd_migrate, "create-user": cmd_create_user}
    return handlers[args.command](settings, args)


if __name__ == "__main__":
    raise SystemExit(main())
