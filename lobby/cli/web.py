"""``lobby web``: the phones' ticket pages and the web hall display (imports on demand)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from lobby.cli.context import CliContext

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]


def web(args: argparse.Namespace, ctx: CliContext) -> None:
    """Serve the web pages until interrupted."""
    from lobby.web.server import listen_from, options_from, serve

    listen = listen_from(ctx.settings, args.host, args.port)
    options = options_from(ctx.settings, args.key_file)
    db = ctx.database()
    print(f"lobby web on {listen.url} (display: {listen.url}/display)", flush=True)
    if options.credential is None:
        print("No enrolled web device key: the pages are read-only.", flush=True)
    serve(db, listen, options)


def register(add: Add) -> None:
    """Add ``lobby web`` to the parser."""
    p = add("web", web, "serve the phones' ticket pages and the web hall display")
    p.add_argument("--host", metavar="H", help="interface (default: LOBBY_WEB_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, metavar="P", help="port (default: LOBBY_WEB_PORT, 8080)")
    p.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help="the enrolled web device's key (default: the one `lobby device-enrol` saved)",
    )
