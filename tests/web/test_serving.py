"""``lobby web`` as the branch runs it: the command, its interface, HTTPS with a certificate."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lobby.db import Database
from lobby.errors import InvalidInput
from lobby.settings import Settings
from lobby.web.server import listen_from
from tests.helpers import ManualClock, environment_at

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def wait_until_up(url: str, proc: subprocess.Popen[str], **client: object) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, timeout=2, **client)  # type: ignore[arg-type]
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def lobby_web(
    db_url: str, db: Database, clock: ManualClock, tmp_path: Path
) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    cert, key = self_signed(tmp_path)
    port = free_port()
    env = {**environment_at(clock), "LOBBY_WEB_TLS_CERT": str(cert), "LOBBY_WEB_TLS_KEY": str(key)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lobby", "web", "--db", db_url, "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith(f"lobby web on https://127.0.0.1:{port}")
        yield f"https://127.0.0.1:{port}", cert, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


def test_https_with_the_configured_certificate_on_the_configured_interface(
    lobby_web: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    url, cert, proc = lobby_web
    trusted = ssl.create_default_context(cafile=str(cert))
    response = wait_until_up(f"{url}/display", proc, verify=trusted)
    assert response.status_code == 200
    assert "Now calling" in response.text
    with pytest.raises(httpx.TransportError):
        httpx.get(url.replace("https://", "http://") + "/display", timeout=5)


def test_a_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    with pytest.raises(InvalidInput, match="both"):
        listen_from(Settings(web_tls_cert=cert))
    with pytest.raises(InvalidInput, match="no such file"):
        listen_from(Settings(web_tls_cert=cert, web_tls_key=tmp_path / "missing.pem"))
    listen = listen_from(Settings(web_host="192.0.2.10", web_port=8443))
    assert listen.url == "http://192.0.2.10:8443"
