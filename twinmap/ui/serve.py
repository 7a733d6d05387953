"""Start the app server ready: its code imported and every page's first view made before it listens.

``python -m twinmap serve [streamlit options]`` is ``streamlit run app.py`` with one step before:
on a fresh server the first visitor of a page waited for every module of the app to be imported
(about a second) and for the reads of the page (at 50,000 partnerships the overview, register
and network cost 1-3 s each). Here each page is opened once, headless, as a visitor and as an
administrator would open it first (Streamlit's own script runner, in this process), so what
they read and render is made before the port opens: a load balancer or a browser meets a server
that answers at once, and a health check that passes means ready, not only started. Nothing
lists the pages' reads: a page that changes what it reads is still made ahead. A store that
cannot be read now is no reason not to start: the pages say why, as before.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys
import time
from pathlib import Path
from typing import Any

import twinmap
from twinmap.core import config
from twinmap.store import auth, desk
from twinmap.ui import compat, pages
from twinmap.views import kiosk

APP = Path(__file__).resolve().parents[2] / "app.py"


def import_everything() -> list[str]:
    """Import every module of the package (and so what the pages draw with: plotly, folium, pyarrow)."""
    names = [m.name for m in pkgutil.walk_packages(twinmap.__path__, "twinmap.") if not m.name.endswith("__main__")]
    for name in names:
        importlib.import_module(name)
    return names


# Who the pages are opened for: a visitor, and an administrator (staff who see every home city;
# a user limited to some home cities reads their own, made when first asked).
READERS = (None, auth.User("twinmap-serve", "admin", method=auth.PREPARED))  # no such user: never writes
PAGE_TIMEOUT = 180  # seconds one page may take at the largest size (the 50,000-partnership overview: ~4)


def open_pages() -> list[str]:
    """Open every page each reader may see, as their first visit would; the pages that failed, and why."""
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "missing ScriptRunContext": the headless runner's own set-up, harmless
    try:
        if kiosk.enabled({}):  # a kiosk server (TWINMAP_KIOSK=1) shows nothing else
            return _open_kiosk()
        return [problem for user in READERS for problem in _open_as(user)] + _open_kiosk()
    finally:
        quiet.setLevel(level)


def _open_as(user: auth.User | None) -> list[str]:
    at = _headless()
    at.session_state["user"] = user
    at.run()
    failed = []
    for page in pages.PAGES:
        if page.allowed(user):
            at.switch_page(page.path).run()
            failed += [f"{page.url}: {e.message}" for e in at.exception]
    return failed


def _open_kiosk() -> list[str]:
    """The kiosk's first slide (its later slides read at their turn, as a rotation would)."""
    at = _headless()
    at.query_params["kiosk"] = "1"
    at.run()
    return [f"kiosk: {e.message}" for e in at.exception]


def _headless() -> Any:
    """A session of the app run by Streamlit's own headless script runner (its testing harness), in this process."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=PAGE_TIMEOUT)


def prepare() -> float:
    """Import the app and open its pages once; the seconds it took."""
    began = time.perf_counter()
    import_everything()
    for problem in open_pages():
        print(f"twinmap: preparing {problem}", file=sys.stderr)  # the visitor will see it too; the server starts
    return time.perf_counter() - began


def options(args: list[str]) -> dict[str, Any]:
    """Streamlit's command-line options (``--server.port 8080``, ``--server.port=8080``) by option name.

    An option that holds a list (``--secrets.files A --secrets.files B``) gathers its values, as
    ``streamlit run`` does; given a bare string, Streamlit would read it letter by letter.
    """
    found: dict[str, Any] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if not arg.startswith("--"):
            raise SystemExit(f"error: {arg}: options are given as --section.name VALUE")
        name, sep, value = arg[2:].partition("=")
        if not sep:
            if not rest:
                raise SystemExit(f"error: {arg} needs a value")
            value = rest.pop(0)
        kind = compat.option_kind(name)  # unknown: App.run refuses it by name
        listed = kind is not None and kind[1]
        found[name] = [*found.get(name, []), value] if listed else _typed(value)
    return found


def _typed(value: str) -> Any:
    """An option's text as the value Streamlit's command line would pass (a port is a number)."""
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def main(args: list[str]) -> int:
    """The app's server (:func:`twinmap.ui.asgi.app`, Streamlit's ``st.App``) with ``args`` as Streamlit's options.

    The pages are opened before the server exists: Streamlit's headless runner replaces the
    process's runtime while it runs (``Runtime._instance``), which a live server cannot share.
    The options are read first, so the pages are made with the settings the server then runs
    with, and the port opens only once they are made.
    """
    from twinmap.ui import asgi

    overrides = options(args)
    compat.read_options(overrides)
    print("twinmap: opening every page once before the server opens...", file=sys.stderr, flush=True)
    print(f"twinmap: ready in {prepare():.1f} s", file=sys.stderr, flush=True)
    sys.argv = [str(APP)]  # the app's own folder holds .streamlit/ and static/, as for streamlit run app.py
    store = config.db_target()
    port = overrides.get("server.port") or os.environ.get("STREAMLIT_SERVER_PORT") or 8501
    asgi.DESK["key"] = desk.open_desk(store, f"http://127.0.0.1:{port}")
    try:
        asgi.app().run(config=overrides)
    finally:
        desk.close_desk(store, asgi.DESK["key"])
    return 0
