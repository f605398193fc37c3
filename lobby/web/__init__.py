"""``lobby web``: the customer's phone page, the complaint page and the web hall display.

An ASGI app (Starlette, Jinja2 with autoescape, server-sent events through
sse-starlette) over the core's read models, woken by the same journal feed as the
Qt apps, so one process serves every phone and screen in the hall.
"""
