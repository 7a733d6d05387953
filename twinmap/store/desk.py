"""The running app's desk for the command line: what the command line asks of a store the app holds.

A DuckDB file is open in one process at a time. While the app runs, ``python -m twinmap password``
could not open it and said "try again in a moment", which would never work: the app holds the
file until it stops. So the app, while it runs, keeps a desk beside the file
(``twinmap.duckdb.desk``): its address and a secret, readable by the file's owner only. The
command line, finding the file held, hands its request to the app through
``/_twinmap/desk/password`` (:mod:`twinmap.ui.asgi`) with that secret: whoever may read the
secret may read the store itself, so the desk lets nobody in who could not already get in. The
app answers requests from its own machine only.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path

from twinmap.core import config

ROUTE = "/_twinmap/desk/password"
LOOPBACK = ("http://127.0.0.1:", "http://localhost:", "http://[::1]:")  # the only addresses a desk may name
SUFFIX = ".desk"


class DeskError(Exception):
    """The running app could not take the request (its words, for the command line)."""


def path_of(store: str) -> Path | None:
    """Where a DuckDB store's desk is kept (None for a PostgreSQL store, which every process may open)."""
    return None if config.is_postgres(store) else Path(store + SUFFIX)


def open_desk(store: str, url: str) -> str | None:
    """Write the desk for a running app at ``url``: a new secret, readable by the owner only. Returns the secret."""
    where = path_of(store)
    if where is None:
        return None
    key = secrets.token_urlsafe(32)
    fresh = where.with_suffix(where.suffix + ".new")
    try:
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"url": url, "key": key, "pid": os.getpid()}, out)
        os.replace(fresh, where)
    except OSError:  # a folder the server may not write: the app runs, the command line waits for it to stop
        return None
    return key


def close_desk(store: str, key: str | None) -> None:
    """Remove this app's desk when it stops (another app's newer desk is left alone)."""
    where = path_of(store)
    with contextlib.suppress(OSError, ValueError):
        if where is not None and key and json.loads(where.read_text(encoding="utf-8")).get("key") == key:
            where.unlink()


def accepts(given: object, key: str | None) -> bool:
    """Whether a request carries this app's secret (compared in constant time)."""
    return bool(key) and isinstance(given, str) and hmac.compare_digest(given.encode(), key.encode())


def ask_password(store: str, name: str, role: str | None, home_cities: str | None) -> dict:
    """Ask the app that holds ``store`` to give ``name`` a new password: its answer (password and scope).

    ``{"error": why}`` when the app refused what was asked. Raises :class:`DeskError` when no app
    keeps a desk for the store, or it did not answer or let the request in.
    """
    where = path_of(store)
    try:
        desk = json.loads(where.read_text(encoding="utf-8")) if where else None
    except (OSError, ValueError):
        desk = None
    if not desk:
        raise DeskError("no running app keeps a desk for this store")
    if not str(desk.get("url", "")).startswith(LOOPBACK):
        raise DeskError("the desk names an address off this machine")
    body = json.dumps({"key": desk["key"], "name": name, "role": role, "home_cities": home_cities}).encode()
    request = urllib.request.Request(desk["url"] + ROUTE, body, {"content-type": "application/json"}, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (this machine's app, checked above)
            return json.loads(answer.read())
    except urllib.error.HTTPError as err:
        if err.code == 400:  # the app read the request and refused it (an unknown city, a bad role): its words
            with contextlib.suppress(ValueError, OSError):
                return {"error": json.loads(err.read())["error"]}
        raise DeskError(f"the app at {desk['url']} refused the request ({err.code})") from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise DeskError(f"the app at {desk['url']} did not answer ({getattr(err, 'reason', err)})") from None
