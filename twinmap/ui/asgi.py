"""The app's server on Streamlit's public ground (``st.App``): its start-up, headers and upload guard.

``python -m twinmap serve`` runs this :func:`app` once its pages are made (:mod:`twinmap.ui.serve`).
Two things a page cannot do are done here:

- **Headers as deployed.** Every answer says: never in a frame of another site
  (``frame-ancestors 'self'``: the map is a frame of this server's own), a Content-Security-Policy that the pages
  work under (scripts, styles and frames of this server; images also from the tile server the
  settings name), no MIME sniffing, no referrer sent elsewhere. TLS and HSTS are the proxy's
  (``deploy/nginx.conf.template``).
- **Uploads only for staff.** Streamlit accepts a file for any live session at
  ``/_stcore/upload_file/{session}/{file}``; here only a session whose last run was signed in
  as an editor or admin may send one (:func:`twinmap.ui.session.may_upload`). A visitor who
  never signed in is refused before a byte of the file is read.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from twinmap.core import config
from twinmap.store import auth

APP = Path(__file__).resolve().parents[2] / "app.py"
UPLOAD_PATH = "/_stcore/upload_file/"
_LOG = logging.getLogger("twinmap.serve")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def content_policy() -> str:
    """The Content-Security-Policy the pages work under (tested in Chromium: no violation on any page).

    Streamlit's front end and plotly evaluate code they build ('unsafe-eval'), and Streamlit
    injects its styles inline; everything is loaded from this server, except map tiles from
    OpenStreetMap when the settings ask for them.
    """
    tiles = " https://tile.openstreetmap.org https://*.tile.openstreetmap.org" if _tiles_online() else ""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{tiles}",
            "font-src 'self' data:",
            "connect-src 'self' ws: wss:",
            "frame-src 'self' blob: data:",
            "worker-src 'self' blob:",
            "media-src 'self' data: blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",  # the app's own component frames (the map); no other site
        )
    )


def _tiles_online() -> bool:
    return config.get("TWINMAP_TILES").strip().lower() == "osm"


def headers() -> list[tuple[bytes, bytes]]:
    """The headers every answer carries."""
    return [
        (b"content-security-policy", content_policy().encode()),
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]


class Guard:
    """ASGI middleware: the headers on every answer, and uploads refused for sessions not signed in as staff."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app
        self.headers = headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one request (websockets pass through untouched)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("PUT", "POST") and UPLOAD_PATH in scope["path"]:
            from twinmap.ui import session

            if not session.may_upload(_upload_session(scope["path"])):
                await _refuse(send, self.headers)
                return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                held = list(message.get("headers", []))
                named = {k.lower() for k, _v in held}
                message["headers"] = held + [(k, v) for k, v in self.headers if k not in named]
            await send(message)

        await self.app(scope, receive, with_headers)


def _upload_session(path: str) -> str:
    """The session an upload names (``/_stcore/upload_file/{session}/{file}``)."""
    return path.split(UPLOAD_PATH, 1)[1].split("/", 1)[0]


async def _refuse(send: Send, extra: list[tuple[bytes, bytes]]) -> None:
    body = b"Uploads are for signed-in editors and admins."
    start = {"type": "http.response.start", "status": 403,
             "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                         (b"connection", b"close"), *extra]}  # fmt: skip
    await send(start)
    await send({"type": "http.response.body", "body": body})


async def sign_in_cookie(request: Request) -> Response:
    """Exchange a page's two-minute ticket (the body of a POST) for the lasting HttpOnly cookie, or forget it (DELETE).

    The store is read in a worker thread, never on the event loop. A bad, old or ended ticket
    gets 403 and no cookie.
    """
    from starlette.concurrency import run_in_threadpool

    from twinmap.store import tickets

    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"
    response = Response(status_code=204, headers={"cache-control": "no-store"})
    if request.method == "DELETE":
        response.delete_cookie(tickets.COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
        return response
    body = (await request.body())[:2048].decode("ascii", errors="replace").strip()
    made = await run_in_threadpool(_cookie_for, body)
    if made is None:
        return Response(status_code=403, headers={"cache-control": "no-store"})
    value, seconds = made
    response.set_cookie(tickets.COOKIE, value, max_age=seconds, path="/", secure=secure, httponly=True,
                        samesite="lax")  # fmt: skip
    return response


def _cookie_for(ticket: str) -> tuple[str, int] | None:
    from twinmap.store import tickets
    from twinmap.ui import cache

    return tickets.cookie_for(cache.connection(), ticket)


DESK: dict[str, str | None] = {"key": None}  # this server's desk secret (set by twinmap.ui.serve when it opens one)


async def desk_password(request: Request) -> Response:
    """The command line's ``password`` for a store this server holds (:mod:`twinmap.store.desk`).

    Answered only to this machine, never through a proxy, and only with the desk's secret; the
    store is written in a worker thread, never on the event loop.
    """
    import json

    from starlette.concurrency import run_in_threadpool

    from twinmap.store import desk

    nothing = {"cache-control": "no-store"}
    local = request.client is not None and request.client.host in ("127.0.0.1", "::1")
    try:
        asked = json.loads((await request.body())[:4096])
    except ValueError:
        asked = {}
    if not local or "x-forwarded-for" in request.headers or not desk.accepts(asked.get("key"), DESK["key"]):
        return Response(status_code=403, headers=nothing)
    try:
        password, scope = await run_in_threadpool(_give_password, asked)
    except (auth.AuthError, KeyError, TypeError, AttributeError) as err:
        return JSONResponse({"error": str(err)}, status_code=400, headers=nothing)
    return JSONResponse({"password": password, "scope": scope}, headers=nothing)


def _give_password(asked: dict) -> tuple[str, str]:
    from twinmap.ui import cache

    return auth.give_password(cache.connection(), str(asked["name"]), asked.get("role"), asked.get("home_cities"))


def app() -> st.App:
    """The twinmap server: app.py behind the guard, the route that makes a sign-in last, and the desk."""
    from twinmap.store import desk, tickets

    routes = [Route(tickets.ROUTE, sign_in_cookie, methods=["POST", "DELETE"]),
              Route(desk.ROUTE, desk_password, methods=["POST"])]  # fmt: skip
    return st.App(str(APP), middleware=[Middleware(Guard)], routes=routes)
