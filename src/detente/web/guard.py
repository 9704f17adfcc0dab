"""The web app's guard: an ASGI middleware that checks the ``Host`` header, answers ``HEAD``
and adds the security headers to every response.

* ``Host``: only the loopback names (:data:`LOOPBACK_HOSTS`) and the names given with
  ``--allow-host`` are accepted, with or without a port (only the serving port when it is
  known). A DNS-rebinding page (a hostile name that resolves to 127.0.0.1) sends its own name
  and gets a 400, so it cannot read the store through the visitor's browser.
* ``HEAD`` is answered on every ``GET`` route: the request is routed as a ``GET`` and the body
  dropped (the headers, ``Content-Length`` included, are those of the ``GET``).
* Every response carries :data:`SECURITY_HEADERS`: a Content-Security-Policy that allows
  scripts only from the app itself and forbids framing, ``X-Content-Type-Options: nosniff``,
  ``X-Frame-Options: DENY`` and ``Referrer-Policy: no-referrer``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Host names always accepted (the loopback interface).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

#: The Content-Security-Policy of every page: the app's own scripts only (plotly.js is served by
#: the app), inline styles for plotly's SVG, images from the app or data: URIs, no framing.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


def split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a ``Host`` header value (``[::1]:8000`` -> ``("::1", 8000)``), or None
    when it is not a host name with an optional numeric port."""
    value = value.strip().lower()
    if not value:
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else None
    else:
        name, colon, port_text = value.partition(":")
        if not colon:
            port_text = None
    if not name:
        return None
    if port_text is not None:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return None
        return name, int(port_text)
    return name, None


def normalise_host(name: str) -> str:
    """A host name as compared: lower case, IPv6 brackets and a trailing dot dropped."""
    name = name.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return name.rstrip(".")


class Guard:
    """Wraps an ASGI app: Host check, HEAD as GET without a body, security headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = (),
                 port: int | None = None) -> None:
        self.app = app
        self.allowed = frozenset(normalise_host(h) for h in (*LOOPBACK_HOSTS, *allowed_hosts) if h)
        self.port = port

    def host_ok(self, scope: Scope) -> bool:
        values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"]
        if len(values) != 1:
            return False
        parsed = split_host(values[0])
        if parsed is None:
            return False
        name, port = parsed
        if normalise_host(name) not in self.allowed:
            return False
        return port is None or self.port is None or port == self.port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope.get("method") == "HEAD"

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in SECURITY_HEADERS if k not in present)]
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        if not self.host_ok(scope):
            await self._refuse(scope, send_guarded)
            return
        if head:
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, send_guarded)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        names = ", ".join(sorted(self.allowed))
        message = (f"bad Host header: this server answers only to {names}; start it with "
                   "`detente serve --allow-host NAME` to accept another name")
        if str(scope.get("path", "")).startswith("/api"):
            body, kind = json.dumps({"error": message}).encode(), b"application/json"
        else:
            body, kind = message.encode(), b"text/plain; charset=utf-8"
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", kind),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
