"""Serving the app: uvicorn on the configured interface, HTTPS when a certificate is set."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import uvicorn

from lobby.db import Database
from lobby.enrolment import WEB_DEVICE
from lobby.errors import InvalidInput
from lobby.keyfiles import device_key, read_key_file
from lobby.settings import Settings
from lobby.web.app import WebOptions, create_app


@dataclass(frozen=True)
class Listen:
    """Where ``lobby web`` listens and with which certificate."""

    host: str
    port: int
    cert: Path | None = None
    key: Path | None = None

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        scheme = "https" if self.cert else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"


def listen_from(settings: Settings, host: str | None = None, port: int | None = None) -> Listen:
    """The address and certificate from the settings, overridden by the command line.

    Raises:
        InvalidInput: Only one of certificate and key, or a file that is missing.
    """
    cert, key = settings.web_tls_cert, settings.web_tls_key
    if (cert is None) != (key is None):
        raise InvalidInput("HTTPS needs both LOBBY_WEB_TLS_CERT and LOBBY_WEB_TLS_KEY")
    for path in (cert, key):
        if path is not None and not path.is_file():
            raise InvalidInput(f"no such file: {path}")
    return Listen(host or settings.web_host, port or settings.web_port, cert, key)


def options_from(settings: Settings, key_file: Path | None = None) -> WebOptions:
    """The pages' behaviour from the settings, with this machine's ``web`` device key.

    The key is read from ``key_file`` when one is given (``lobby web --key-file``, as
    ``lobby demo`` starts it); otherwise it is the one ``lobby`` keeps for the device
    enrolled as :data:`~lobby.enrolment.WEB_DEVICE` (role ``web``). Without a key the
    pages are read-only.

    Raises:
        InvalidInput: ``key_file`` holds no device key.
    """
    key = read_key_file(key_file) if key_file is not None else device_key(WEB_DEVICE)
    return WebOptions(
        credential=key,
        near_turn=settings.web_near_turn,
        requests_per_min=settings.web_requests_per_min,
        misses_per_min=settings.web_misses_per_min,
        poll_interval_s=settings.poll_interval_ms / 1000,
    )


def serve(db: Database, listen: Listen, options: WebOptions) -> None:
    """Run ``lobby web`` until interrupted."""
    config = uvicorn.Config(
        create_app(db, options),
        host=listen.host,
        port=listen.port,
        ssl_certfile=str(listen.cert) if listen.cert else None,
        ssl_keyfile=str(listen.key) if listen.key else None,
        log_level="warning",
        access_log=False,
        proxy_headers=False,  # the client's own address is the rate limit's key
        timeout_graceful_shutdown=2,
    )
    uvicorn.Server(config).run()
