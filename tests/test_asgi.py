"""The server's guard (twinmap.ui.asgi): headers on every answer, uploads only from staff sessions."""

from __future__ import annotations

import asyncio

from twinmap.ui import asgi, session


def _call(method: str, path: str, allowed: set[str]) -> tuple[list[dict], list[str]]:
    """One request through the guard in front of an app that answers 200; what was sent, and what the app saw."""
    seen: list[str] = []
    sent: list[dict] = []

    async def inner(scope, receive, send):
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():  # the body of the request: the guard must refuse without reading it
        raise AssertionError("the guard read the request's body")

    async def send(message):
        sent.append(message)

    guard = asgi.Guard(inner)
    original = session.may_upload
    session.may_upload = lambda s: s in allowed
    try:
        asyncio.run(guard({"type": "http", "method": method, "path": path, "headers": []}, receive, send))
    finally:
        session.may_upload = original
    return sent, seen


def test_an_upload_from_a_session_that_is_not_staff_is_refused_unread():
    sent, seen = _call("PUT", "/_stcore/upload_file/visitor-session/file-1", allowed={"staff-session"})
    assert seen == [] and sent[0]["status"] == 403
    assert dict(sent[0]["headers"])[b"x-frame-options"] == b"SAMEORIGIN"


def test_an_upload_from_a_staff_session_goes_through_with_the_headers():
    sent, seen = _call("PUT", "/_stcore/upload_file/staff-session/file-1", allowed={"staff-session"})
    assert seen == ["/_stcore/upload_file/staff-session/file-1"] and sent[0]["status"] == 200
    headers = dict(sent[0]["headers"])
    assert (
        b"frame-ancestors 'self'" in headers[b"content-security-policy"] and headers[b"content-type"] == b"text/plain"
    )


def test_every_other_answer_carries_the_headers():
    sent, _seen = _call("GET", "/", allowed=set())
    headers = dict(sent[0]["headers"])
    assert {b"content-security-policy", b"x-frame-options", b"x-content-type-options", b"referrer-policy"} <= set(
        headers
    )


def test_the_policy_names_the_tile_server_only_when_the_settings_use_it(monkeypatch):
    monkeypatch.setenv("TWINMAP_TILES", "none")
    assert "openstreetmap" not in asgi.content_policy()
    monkeypatch.setenv("TWINMAP_TILES", "osm")
    assert "https://tile.openstreetmap.org" in asgi.content_policy()


def test_streamlits_options_are_read_as_streamlit_run_reads_them():
    from twinmap.ui import serve

    given = ["--server.port", "8080", "--secrets.files", "/a.toml", "--secrets.files=/b.toml", "--server.headless",
             "true"]  # fmt: skip
    assert serve.options(given) == {"server.port": 8080, "secrets.files": ["/a.toml", "/b.toml"],
                                    "server.headless": True}  # fmt: skip


def _desk_client(host: str):
    from starlette.applications import Starlette
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from twinmap.store import desk

    return TestClient(Starlette(routes=[Route(desk.ROUTE, asgi.desk_password, methods=["POST"])]), client=(host, 5))


def test_the_desk_answers_only_this_machine_with_its_secret(monkeypatch, tmp_path):
    """The command line's way in while the app holds the file: never from elsewhere, a proxy or without the key."""
    from twinmap.store import desk

    store = str(tmp_path / "twinmap.duckdb")
    key = desk.open_desk(store, "http://127.0.0.1:8501")
    monkeypatch.setattr(asgi, "DESK", {"key": key})
    assert oct(desk.path_of(store).stat().st_mode & 0o777) == "0o600"  # readable by the store's owner only
    body = {"key": key, "name": "clerk"}
    assert _desk_client("203.0.113.9").post(desk.ROUTE, json=body).status_code == 403  # another machine
    local = _desk_client("127.0.0.1")
    assert local.post(desk.ROUTE, json={**body, "key": "guess"}).status_code == 403
    assert local.post(desk.ROUTE, json=body, headers={"x-forwarded-for": "203.0.113.9"}).status_code == 403
    assert local.post(desk.ROUTE, content=b"not json").status_code == 403
    desk.close_desk(store, key)
    assert not desk.path_of(store).exists()
    assert desk.path_of("postgresql://twinmap@db/twinmap") is None  # every process may open a PostgreSQL store
    assert desk.path_of("host=/tmp/pg port=5433 dbname=twinmap") is None  # a libpq DSN is PostgreSQL too
    assert desk.open_desk(str(tmp_path / "no-such-folder" / "t.duckdb"), "http://127.0.0.1:1") is None
