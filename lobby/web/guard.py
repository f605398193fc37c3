"""What keeps the pages safe whatever a client sends: rate limits and response headers."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Every asset comes from Lobby itself; the link in the address bar (it holds the
#: ticket's code) is never sent to another site.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; media-src 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response.

    Plain ASGI rather than ``BaseHTTPMiddleware``, which would buffer the
    server-sent event streams.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimiter:
    """At most ``limit`` hits per client in any ``window_s`` seconds (a sliding window).

    Args:
        limit: Hits allowed per window.
        window_s: The window's length.
        monotonic: The clock (tests step it).
        max_clients: Clients remembered at once; the oldest are forgotten first, so a
            flood of addresses cannot exhaust memory.
    """

    def __init__(
        self,
        limit: int,
        window_s: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._monotonic = monotonic
        self._max_clients = max_clients
        self._hits: dict[str, deque[float]] = {}

    def allow(self, client: str) -> bool:
        """Count a hit by ``client``; whether it is within the limit."""
        now = self._monotonic()
        hits = self._hits.pop(client, None) or deque()
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        self._hits[client] = hits  # re-inserted: dict order is least recently seen first
        while len(self._hits) > self._max_clients:
            del self._hits[next(iter(self._hits))]
        return allowed

    def exhausted(self, client: str) -> bool:
        """Whether ``client`` has no hits left, without counting one."""
        now = self._monotonic()
        hits = self._hits.get(client, ())
        return sum(1 for t in hits if t > now - self.window_s) >= self.limit
