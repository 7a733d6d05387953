"""Sign-ins that last across reloads, bookmarks and new tabs: signed values the server hands the browser.

A password sign-in lives in one Streamlit session, which a reload ends. To keep a person signed
in for a working day, the server signs two kinds of value with a secret kept in the store (so
every app server of a PostgreSQL deployment signs and checks alike):

- a **ticket**, good for two minutes, that the page sends back once to ``/_twinmap/sign-in``
  (:mod:`twinmap.ui.asgi`), which answers with
- a **cookie**, HttpOnly and SameSite, good for ``TWINMAP_SIGN_IN_HOURS`` (9: a working day).
  The page's scripts never see it; every new session of that browser presents it.

Both name the user and the *epoch* of their sessions. Signing out, a new password, a removed user
or an admin's "sign out everywhere" moves the epoch on (:mod:`twinmap.store.auth`), so every
ticket and cookie issued before stops working at once, on every server. A directory's (OIDC)
sign-in is kept by Streamlit's own cookie and never gets one of these.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

import duckdb

from twinmap.core import config
from twinmap.store import auth, db

COOKIE = "twinmap_signin"
ROUTE = "/_twinmap/sign-in"  # where the page trades a ticket for the cookie (served by twinmap.ui.asgi)
TICKET_SECONDS = 120
_META_KEY = "sign_in_secret"


def hours() -> int:
    """How long a sign-in lasts in a browser (``TWINMAP_SIGN_IN_HOURS``; 0: only while the tab is open)."""
    return config.whole("TWINMAP_SIGN_IN_HOURS")


def _secret(con: duckdb.DuckDBPyConnection) -> bytes:
    """The store's signing secret, made on first use (the first server to need it writes it; others read it).

    Read each time (one small query, once per new session): a process may open several stores.
    """
    found = db.meta(con.cursor(), _META_KEY)
    if found is None:
        with db.write_transaction(con, bump=False) as cur:
            found = db.meta(cur, _META_KEY)
            if found is None:
                found = secrets.token_hex(32)
                db.set_meta(cur, _META_KEY, found)
    return bytes.fromhex(found)


def _sign(con: duckdb.DuckDBPyConnection, kind: str, user: auth.User, seconds: float) -> str:
    body = json.dumps({"k": kind, "n": user.name, "e": user.epoch, "x": int(time.time() + seconds)}).encode()
    text = base64.urlsafe_b64encode(body).decode().rstrip("=")
    mac = hmac.new(_secret(con), text.encode(), hashlib.sha256).hexdigest()
    return f"{text}.{mac}"


def ticket(con: duckdb.DuckDBPyConnection, user: auth.User) -> str | None:
    """A two-minute ticket the page exchanges for the lasting cookie (None: this sign-in does not last)."""
    if user.method != auth.PASSWORD or hours() <= 0:
        return None
    return _sign(con, "ticket", user, TICKET_SECONDS)


def cookie_for(con: duckdb.DuckDBPyConnection, ticket_text: str) -> tuple[str, int] | None:
    """The cookie's value and lifetime in seconds for a good ticket (None for a bad, old or ended one)."""
    user = check(con, ticket_text, "ticket")
    if user is None:
        return None
    seconds = int(hours() * 3600)
    return _sign(con, "cookie", user, seconds), seconds


def check(con: duckdb.DuckDBPyConnection, text: str | None, kind: str = "cookie") -> auth.User | None:
    """The user a ticket or cookie stands for, as the store holds them now; None when it is not good.

    Not good: not signed by this store, of the other kind, past its time, naming a user who is
    gone, who signs in through the directory now, or whose sessions were ended since.
    """
    if not text or text.count(".") != 1:
        return None
    body, mac = text.split(".")
    want = hmac.new(_secret(con), body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, want):
        return None
    try:
        claim = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if claim.get("k") != kind or claim.get("x", 0) < time.time():
        return None
    now = auth.user(con, str(claim.get("n")))
    if now is None or now.method != auth.PASSWORD or now.epoch != claim.get("e"):
        return None
    return now
