"""``lobby web``: the phones' ticket pages and the web hall display (imports on demand)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from lobby.cli.context import CliContext

Add = Callable[
    [str, Callable[[argparse.Namespace, CliContext], None], str], argparse.ArgumentParser
]


def web(args: argparse.Namespace, ctx: CliContext) -> None:
    """Serve the web pages until interrupted."""
    from lobby.web.server import listen_from, serve

    listen = listen_from(ctx.settings, args.host, args.port)
    db = ctx.database()
    print(f"lobby web on {listen.url} (display: {listen.url}/display)", flush=True)
    serve(db, ctx.settings, listen)


def register(add: Add) -> None:
    """Add ``lobby web`` to the parser."""
    p = add("web", web, "serve the phones' ticket pages and the web hall display")
    p.add_argument("--host", metavar="H", help="interface (default: LOBBY_WEB_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, metavar="P", help="port (default: LOBBY_WEB_PORT, 8080)")
