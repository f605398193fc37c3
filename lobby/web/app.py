"""The ASGI app: routes as plain functions over the core's read models and the hub.

Pages:
    ``/t/<signed code>``: the customer's ticket, live (``/t/<code>/events``).
    ``/c/<reference>.<signature>``: a complaint's status.
    ``/display``: the hall display for a TV browser, live (``/display/events``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from lobby import engine
from lobby.access import DeviceKey
from lobby.clock import zone
from lobby.complaints.public import complaint_status, verify_reference
from lobby.db import Database, UnitOfWork
from lobby.errors import InvalidInput, LobbyError, NotFound
from lobby.queries.ticket_status import BranchKeys, TicketStatus, branch_keys
from lobby.resource_files import resource
from lobby.ticket_code import decode, encode
from lobby.web.guard import RateLimiter, SecurityHeaders
from lobby.web.hub import HallSnapshot, Hub
from lobby.web.texts import LANG_COOKIE, LANGS, choose_lang, text

HERE = Path(__file__).resolve().parent
CHIME = resource("sounds", "chime.wav")
#: Seconds between refreshes of a page whose scripts are off.
NOSCRIPT_REFRESH_S = 15
#: Seconds between keep-alive comments on a live connection.
PING_S = 15


@dataclass(frozen=True)
class WebOptions:
    """How the pages behave (from :class:`lobby.settings.Settings`).

    Attributes:
        near_turn: Tell the customer "nearly your turn" at this many ahead (0: never).
        requests_per_min: Requests per client and minute.
        misses_per_min: Refused lookups per client and minute.
        poll_interval_s: How often the SQLite feed looks for commits.
        credential: The enrolled ``web`` device's key that the customers' actions are
            journalled under; without one the pages are read-only.
    """

    near_turn: int = 3
    requests_per_min: int = 120
    misses_per_min: int = 10
    poll_interval_s: float = 0.02
    credential: DeviceKey | None = None


def local_time(moment: datetime | None, tz: Any, fmt: str = "%H:%M") -> str:
    """``moment`` in the branch's time, formatted (empty when there is none)."""
    return "" if moment is None else moment.astimezone(tz).strftime(fmt)


class Refused(Exception):
    """A page that cannot be shown: its status code and the words that explain it."""

    def __init__(
        self, status_code: int, reason: str, *, title: str = "", back: str = ""
    ) -> None:
        super().__init__(reason)
        self.status_code = status_code
        self.reason = reason
        self.title = title
        self.back = back


EARLIEST = datetime.min.replace(tzinfo=UTC)


def calling(snapshot: HallSnapshot) -> list[TicketStatus]:
    """The tickets being called now, the latest first (from the fast read)."""
    called = [t for t in snapshot.status.tickets.values() if t.state == "called"]
    return sorted(called, key=lambda t: t.called_at or EARLIEST, reverse=True)


def digest(fragment: str) -> str:
    """A short fingerprint of a rendered fragment: what a page already shows."""
    return hashlib.sha256(fragment.encode()).hexdigest()[:16]


def csrf_token(secret: str, code: str) -> str:
    """The form token of ticket ``code``: an HMAC with the branch's secret."""
    return hmac.new(secret.encode(), f"csrf:{code}".encode(), hashlib.sha256).hexdigest()[:32]


Action = Callable[[UnitOfWork, str, dict[str, str]], object]


def _on_the_way(uow: UnitOfWork, number: str, _fields: dict[str, str]) -> object:
    return engine.on_the_way(uow, number)


def _cancel(uow: UnitOfWork, number: str, _fields: dict[str, str]) -> object:
    return engine.cancel(uow, number, reason="cancelled by the customer on the phone page")


def _rate(uow: UnitOfWork, number: str, fields: dict[str, str]) -> object:
    try:
        score = int(fields.get("score", ""))
    except ValueError:
        raise InvalidInput("a rating is a whole number from 1 to 5") from None
    engine.rate_visit(uow, number, score, fields.get("comment", ""))
    return None


#: The phone page's actions, by the last part of their address.
ACTIONS: dict[str, Action] = {"on-my-way": _on_the_way, "cancel": _cancel, "rate": _rate}


class Pages:
    """The routes' shared state: database, hub, templates, limits."""

    def __init__(self, db: Database, options: WebOptions) -> None:
        self.db = db
        self.options = options
        self.hub = Hub(db, options.poll_interval_s)
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["local"] = local_time
        self.requests = RateLimiter(options.requests_per_min)
        self.misses = RateLimiter(options.misses_per_min)
        self._keys: BranchKeys | None = None

    @property
    def keys(self) -> BranchKeys:
        """The branch's keys, read at start-up."""
        assert self._keys is not None, "the app has not started"
        return self._keys

    @asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        """Read the branch, start the hub; stop it at shutdown."""
        self._keys = await asyncio.to_thread(self._read_keys)
        await self.hub.start()
        try:
            yield
        finally:
            await self.hub.stop()

    def _read_keys(self) -> BranchKeys:
        with self.db.read() as session:
            return branch_keys(session)

    # -- helpers ---------------------------------------------------------------

    def render(self, name: str, lang: str, **context: Any) -> str:
        """Render template ``name`` in ``lang``."""
        return self.env.get_template(name).render(
            lang=lang,
            t=partial(text, lang),
            tz=zone(self.keys.timezone),
            keys=self.keys,
            near_turn=self.options.near_turn,
            **context,
        )

    def page(
        self, request: Request, name: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """A full page in the request's language (remembering a ``?lang=`` choice)."""
        lang = self.lang(request)
        other = LANGS[1 - LANGS.index(lang)]
        body = self.render(name, lang, other=other, path=request.url.path, **context)
        response = HTMLResponse(body, status_code, headers={"cache-control": "no-store"})
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

    @staticmethod
    def lang(request: Request) -> str:
        """The language of the page for this request."""
        return choose_lang(
            request.query_params, request.cookies, request.headers.get("accept-language", "")
        )

    @staticmethod
    def client(request: Request) -> str:
        """The client's address, the key of its rate limits."""
        return request.client.host if request.client else "unknown"

    def check_rate(self, request: Request) -> None:
        """Refuse a client past its request limit or its refused-lookup limit."""
        client = self.client(request)
        if self.misses.exhausted(client) or not self.requests.allow(client):
            raise Refused(429, "error_busy")

    def refuse(self, request: Request, status_code: int, reason: str) -> Refused:
        """Count a refused lookup against the client; the exception to raise."""
        self.misses.allow(self.client(request))
        return Refused(status_code, reason)

    async def ticket(self, request: Request, code: str) -> tuple[str, HallSnapshot]:
        """The number a signed code names, and a snapshot that holds it.

        Raises:
            Refused: Forged or foreign (403), another day's or unknown (404).
        """
        self.check_rate(request)
        try:
            ref = decode(self.keys.secret, self.keys.code, code)
        except InvalidInput:
            raise self.refuse(request, 403, "error_forged") from None
        snapshot = await self.hub.fresh()
        if ref.day != snapshot.status.day:
            raise self.refuse(request, 404, "error_expired")
        if ref.number not in snapshot.status.tickets:
            raise self.refuse(request, 404, "error_unknown")
        return ref.number, snapshot

    def code_of(self, snapshot: HallSnapshot, number: str) -> str:
        """The signed code of today's ticket ``number``."""
        return encode(self.keys.secret, self.keys.code, snapshot.status.day, number)

    def csrf(self, code: str) -> str:
        """The token a form for ticket ``code`` carries: only a page Lobby rendered has it."""
        return csrf_token(self.keys.secret, code)

    def status_fragment(self, snapshot: HallSnapshot, number: str, lang: str) -> str:
        """The live part of a ticket page, rendered once per snapshot and language."""
        status = snapshot.status.tickets[number]
        code = self.code_of(snapshot, number)
        return snapshot.rendered(
            ("ticket", number, lang),
            partial(
                self.render,
                "_ticket_status.html",
                lang,
                s=status,
                base=f"/t/{code}",
                csrf=self.csrf(code),
                last_call=snapshot.status.recent[0] if snapshot.status.recent else None,
            ),
        )

    def board_fragment(self, snapshot: HallSnapshot) -> str:
        """The live part of the hall display, rendered once per snapshot."""
        return snapshot.rendered(
            ("board",),
            partial(
                self.render,
                "_board.html",
                "zh",
                board=snapshot.board,
                calling=calling(snapshot),
                recent=snapshot.status.recent,
            ),
        )

    # -- routes ----------------------------------------------------------------

    async def ticket_page(self, request: Request) -> Response:
        """``/t/<code>``: the ticket page."""
        code = request.path_params["code"]
        number, snapshot = await self.ticket(request, code)
        if snapshot.status.tickets[number].ahead is None:  # issued a moment ago
            snapshot = await self.hub.complete(number)
        lang = self.lang(request)
        status: TicketStatus = snapshot.status.tickets[number]
        fragment = self.status_fragment(snapshot, number, lang)
        return self.page(
            request,
            "ticket.html",
            s=status,
            code=code,
            version=snapshot.version,
            fragment=fragment,
            digest=digest(fragment),
        )

    async def ticket_events(self, request: Request) -> Response:
        """``/t/<code>/events``: the ticket's status fragment whenever it changes."""
        number, current = await self.ticket(request, request.path_params["code"])
        lang = self.lang(request)
        version = self.seen(request, current)
        # the page holds the fragment it was rendered with (``?d=``, its digest): a status
        # that has not changed is not sent again, so a half-filled rating form stays as it is
        sent = request.query_params.get("d", "")

        async def stream() -> AsyncIterator[ServerSentEvent]:
            nonlocal version, sent
            while True:
                snapshot = await self.hub.next(version)
                version = snapshot.version
                if number not in snapshot.status.tickets:  # the day has ended
                    yield ServerSentEvent(data="", event="expired")
                    return
                fragment = self.status_fragment(snapshot, number, lang)
                if digest(fragment) != sent:
                    sent = digest(fragment)
                    yield ServerSentEvent(data=fragment, event="status")

        return EventSourceResponse(stream(), ping=PING_S, headers={"cache-control": "no-store"})

    @staticmethod
    def seen(request: Request, current: HallSnapshot) -> int:
        """The snapshot version a live page was rendered at (``?v=``; 0 when unknown)."""
        try:
            version = int(request.query_params.get("v", "0"))
        except ValueError:
            return 0
        return version if 0 < version <= current.version else 0

    async def cancel_page(self, request: Request) -> Response:
        """``GET /t/<code>/cancel``: ask before cancelling."""
        number, snapshot = await self.ticket(request, request.path_params["code"])
        code = self.code_of(snapshot, number)
        status = snapshot.status.tickets[number]
        if status.state != "waiting":
            return RedirectResponse(f"/t/{code}", 303)
        return self.page(
            request, "cancel.html", s=status, base=f"/t/{code}", csrf=self.csrf(code)
        )

    async def act(self, request: Request) -> Response:
        """``POST /t/<code>/<action>``: on-my-way, cancel or rate, then back to the page."""
        operation = ACTIONS.get(request.path_params["action"])
        if operation is None:
            raise HTTPException(404)
        number, snapshot = await self.ticket(request, request.path_params["code"])
        code = self.code_of(snapshot, number)
        async with request.form(max_files=0, max_fields=8, max_part_size=4096) as form:
            fields = {k: str(v) for k, v in form.items()}
        if not self.same_origin(request) or not hmac.compare_digest(
            fields.get("csrf", ""), self.csrf(code)
        ):
            raise Refused(403, "error_csrf")
        try:
            await asyncio.to_thread(self._write, operation, number, fields)
        except LobbyError:
            raise Refused(
                409, "error_action", title="error_action_title", back=f"/t/{code}"
            ) from None
        await self.hub.refresh()
        return RedirectResponse(f"/t/{code}", 303)

    def _write(self, operation: Action, number: str, fields: dict[str, str]) -> None:
        if self.options.credential is None:
            raise InvalidInput("lobby web has no enrolled device key: its pages are read-only")
        with self.db.unit_of_work(self.options.credential) as uow:
            operation(uow, number, fields)

    @staticmethod
    def same_origin(request: Request) -> bool:
        """Whether a POST's ``Origin`` is this site (absent or ``null``: no-referrer pages)."""
        origin = request.headers.get("origin")
        if origin in (None, "null"):
            return True
        return origin.split("://", 1)[-1] == request.headers.get("host", "")

    async def complaint_page(self, request: Request) -> Response:
        """``/c/<reference>.<signature>``: a complaint's status, answer date and answer."""
        self.check_rate(request)
        try:
            reference = verify_reference(self.keys.secret, request.path_params["key"])
        except InvalidInput:
            raise self.refuse(request, 403, "error_forged") from None
        try:
            status = await asyncio.to_thread(self._complaint, reference)
        except NotFound:
            raise self.refuse(request, 404, "error_complaint") from None
        return self.page(request, "complaint.html", c=status)

    def _complaint(self, reference: str) -> Any:
        with self.db.read() as session:
            return complaint_status(session, reference)

    async def display_page(self, request: Request) -> Response:
        """``/display``: the hall display."""
        snapshot = await self.hub.fresh()
        return self.page(
            request,
            "display.html",
            version=snapshot.version,
            fragment=self.board_fragment(snapshot),
        )

    async def display_events(self, request: Request) -> Response:
        """``/display/events``: the board when it changes, and each new call once."""
        current = self.hub.snapshot or await self.hub.refresh()
        seen = self.seen(request, current)
        version = seen or current.version - 1
        sent = self.board_fragment(current) if seen == current.version else ""
        first = not seen  # a page rendered at ``seen`` has not announced what came after

        async def stream() -> AsyncIterator[ServerSentEvent]:
            nonlocal version, sent, first
            while True:
                snapshot = await self.hub.next(version)
                version = snapshot.version
                fragment = self.board_fragment(snapshot)
                if fragment != sent:
                    sent = fragment
                    yield ServerSentEvent(data=fragment, event="board")
                if not first:
                    for call in snapshot.calls:
                        payload = {"number": call.ticket, "counter": call.counter, "id": call.id}
                        yield ServerSentEvent(data=json.dumps(payload), event="call")
                first = False

        return EventSourceResponse(stream(), ping=PING_S, headers={"cache-control": "no-store"})

    async def chime(self, _request: Request) -> Response:
        """The chime the Qt display plays, for the web display."""
        return FileResponse(CHIME, media_type="audio/wav")

    async def refused(self, request: Request, exc: Exception) -> Response:
        """The friendly page for a refused lookup."""
        assert isinstance(exc, Refused)
        return self.page(
            request, "error.html", exc.status_code, reason=exc.reason, title=exc.title,
            back=exc.back,
        )

    async def not_found(self, request: Request, exc: Exception) -> Response:
        """The friendly page for an unknown address."""
        status_code = exc.status_code if isinstance(exc, HTTPException) else 404
        return self.page(request, "error.html", status_code, reason="error_page")


def create_app(db: Database, options: WebOptions | None = None) -> Starlette:
    """The ``lobby web`` ASGI app on ``db``."""
    pages = Pages(db, options or WebOptions())
    routes = [
        Route("/t/{code}", pages.ticket_page),
        Route("/t/{code}/events", pages.ticket_events),
        Route("/t/{code}/cancel", pages.cancel_page, methods=["GET"]),
        Route("/t/{code}/{action:str}", pages.act, methods=["POST"]),
        Route("/c/{key}", pages.complaint_page),
        Route("/display", pages.display_page),
        Route("/display/events", pages.display_events),
        Route("/sounds/chime.wav", pages.chime),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=pages.lifespan,
        exception_handlers={Refused: pages.refused, 404: pages.not_found, 405: pages.not_found},
    )
    app.state.pages = pages
    app.add_middleware(SecurityHeaders)
    return app
