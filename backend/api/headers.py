"""Security headers on every web response.

The SPA is a Vite build: one external module script and stylesheet under ``/assets``, no
inline scripts, so ``script-src 'self'`` holds and an injected ``<script>`` cannot run.
Styles keep ``'unsafe-inline'`` because Mantine writes ``<style>`` elements at run time (its
CSS variables and responsive props); style injection cannot run code. Framing is refused
twice (``frame-ancestors`` for current browsers, ``X-Frame-Options`` for old ones) against
click-jacking of the credential dialogs.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, https: bool):
        self.app = app
        self.headers = {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
        }
        if https:
            # Only when people use HTTPS: on plain HTTP the header is ignored anyway, and on a
            # misconfigured host it would pin browsers to an HTTPS that does not exist.
            self.headers["Strict-Transport-Security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
