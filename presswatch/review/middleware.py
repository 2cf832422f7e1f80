"""Review desk: ASGI middleware — security headers on every response, the signed session cookie."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from presswatch.review.auth import SESSION_COOKIE, SessionCodec

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Adds the strict CSP and related headers; pages (not static files) are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = str(scope.get("path", "")).startswith("/static/")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if not is_static:
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SessionCookie:
    """Reads the signed session cookie into ``scope["session"]``; writes it back when changed.

    The cookie is HttpOnly and SameSite=Strict, and Secure when the request came over https or
    the desk is configured with an https base URL.
    """

    def __init__(self, app: ASGIApp, codec: SessionCodec, force_secure: bool = False) -> None:
        self.app = app
        self.codec = codec
        self.force_secure = force_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = _cookie(scope, SESSION_COOKIE)
        session: dict[str, Any] = self.codec.loads(raw) if raw else {}
        original = dict(session)
        scope["session"] = session
        secure = self.force_secure or scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session != original:
                headers = MutableHeaders(scope=message)
                headers.append("Set-Cookie", self._set_cookie(session, secure))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _set_cookie(self, session: dict[str, Any], secure: bool) -> str:
        value = self.codec.dumps(session) if session else ""
        max_age = self.codec.max_age if session else 0
        flags = "; Secure" if secure else ""
        return (
            f"{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{flags}"
        )


def _cookie(scope: Scope, name: str) -> str:
    """The value of one cookie of the request, or an empty string."""
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is the client's problem, not ours
                continue
            if name in jar:
                return jar[name].value
    return ""
