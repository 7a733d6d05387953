"""The one place twinmap leans on Streamlit internals, because the design card fixes the folder ``pages/``.

Streamlit enters its old multipage mode whenever a ``pages/`` folder sits beside the main script,
even with ``st.navigation`` (maintainers noted the "weirdness" in streamlit/streamlit PR 10276):
a direct URL on a fresh server runs the page alone. ``tests/test_compat.py`` fails loudly if a
Streamlit upgrade moves the internals used here.
"""

from __future__ import annotations

import json
import runpy
import types
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

from twinmap.core import config


def directory_provider() -> str | None:
    """The single sign-on provider ``.streamlit/secrets.toml``'s ``[auth]`` configures, or None when there is none.

    ``TWINMAP_OIDC_PROVIDER`` names an ``[auth.NAME]`` section; empty means ``[auth]`` itself.
    Read through Streamlit's own secrets loader (no secrets file: no single sign-on).
    """
    from streamlit import auth_util

    try:
        section = auth_util.get_secrets_auth_section()
    except Exception:  # a secrets file that does not parse: no single sign-on, passwords still work
        return None
    name = config.get("TWINMAP_OIDC_PROVIDER").strip()
    if not section:
        return None
    if name:
        return name if name in section else None
    return "default" if "client_id" in section else None


def directory_signed_in() -> bool:
    """Whether the directory has signed this browser in (Streamlit's identity cookie)."""
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # st.user outside a run, or a damaged cookie: not signed in
        return False


def directory_claims() -> dict:
    """The identity token's claims the directory gave (``st.user``)."""
    return {k: v for k, v in st.user.to_dict().items() if k not in ("tokens",)}


def directory_sign_in(provider: str) -> None:
    """Send the browser to the directory's sign-in page (``st.login``)."""
    st.login(None if provider == "default" else provider)


def directory_sign_out() -> None:
    """Forget the directory's identity (its cookie) and end the provider's session where it allows (``st.logout``)."""
    st.logout()


def inside_frame() -> None:
    """Make sure the page runs inside app.py's frame, not on its own.

    Because the scripts live in ``pages/``, a fresh server whose first visitor opens a page
    URL (``/map``) runs that script alone, in Streamlit's old multipage mode: no page config,
    no navigation, no shared filters. Leaving that mode and rerunning routes the same URL
    through app.py's ``st.navigation``.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # Run the frame now, in this same run (a rerun would drop a button click), then stop
        # this stand-alone execution of the page: the frame has run the page itself.
        runpy.run_path(str(config.ROOT / "app.py"), run_name="__main__")
        st.stop()


def as_main_script() -> None:
    """Give app.py's widgets the ids they have in an ordinary run, even in the run above.

    Streamlit folds the running page into every widget id; in the old multipage mode app.py
    runs as a page, and its sidebar widgets (language, filters) would lose the reader's choice
    on the next run.
    """
    ctx = get_script_run_ctx()
    if ctx is not None:
        ThreadState.update(active_script_hash=ctx.pages_manager.main_script_hash)


def session_id() -> str | None:
    """The id Streamlit gives this browser session (the one its upload URLs carry), or None outside a run."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def option_kind(name: str) -> tuple[type, bool] | None:
    """An option's type and whether it takes several values, as ``streamlit run`` types its flags (None: unknown).

    Read from Streamlit's option table without reading the configuration: reading it before
    the options are known would make Streamlit warn that the server's section changed.
    """
    from streamlit import config as streamlit_config

    option = streamlit_config._config_options_template.get(name)
    return (option.type, bool(option.multiple)) if option is not None else None


def read_options(overrides: dict[str, Any]) -> None:
    """Read Streamlit's configuration with these command-line options, as ``streamlit run`` does first.

    ``twinmap serve`` opens its pages before the server exists (:mod:`twinmap.ui.serve`); read
    without the options, the configuration would be read again when the server starts, and
    Streamlit would warn that the server's section changed. ``st.App.run`` reads the same
    options again and finds nothing changed.
    """
    from streamlit.web import bootstrap

    bootstrap.load_config_options(overrides)


def registered(component: Any) -> None:
    """Make sure this server knows a custom component (the page asks for its files by name).

    Streamlit registers a component when the module declaring it is imported inside a run of this
    server; ``twinmap serve`` imports everything and opens the pages before the server exists, so
    the running server would answer the map's frame with "not found" (a blank map).
    """
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return
    registry = Runtime.instance().component_registry
    if registry.get_component_path(component.name) is None:
        registry.register_component(component)


class Encoded(str):
    """A component argument whose JSON is made once, where it is built (a map's two megabytes of script).

    Streamlit escapes every argument of a custom component to JSON on every run; for the map that
    was a tenth of a warm overview. :func:`args_encoded_once` lets Streamlit use this encoding.
    """

    def __new__(cls, text: str) -> Encoded:
        """The text, with its JSON beside it."""
        made = super().__new__(cls, text)
        made.json = json.dumps(text)
        return made


def _dumps(obj: object, *args: Any, **kwargs: Any) -> str:
    """``json.dumps`` as Streamlit calls it on a component's arguments, splicing in each :class:`Encoded` one.

    The same text, byte for byte, as ``json.dumps`` (its separators, its escaping), so the element's
    identity, computed from this text, does not change.
    """
    if args or kwargs or type(obj) is not dict or not any(type(v) is Encoded for v in obj.values()):
        return json.dumps(obj, *args, **kwargs)
    items = (f"{json.dumps(k)}: {v.json if type(v) is Encoded else json.dumps(v)}" for k, v in obj.items())
    return "{" + ", ".join(items) + "}"


def args_encoded_once() -> None:
    """Have Streamlit's custom components take :class:`Encoded` arguments' JSON as made (idempotent)."""
    from streamlit.components.v1 import custom_component

    if getattr(custom_component.json, "dumps", None) is not _dumps:
        custom_component.json = types.SimpleNamespace(**{**vars(json), "dumps": _dumps})


def folium_rendered(fmap: Any) -> tuple[str, str, str]:
    """A rendered map as ``st_folium`` sends it: (html, header, script), made by streamlit-folium's own helpers.

    Private helpers (``_get_html``, ``_get_header``, ``_get_map_string``): ``st_folium`` calls
    them on every run, two megabytes at full size; :mod:`twinmap.ui.leaflet` calls them once per
    map. Issue 41 replaces this with a component of our own that takes the map as data.
    """
    import streamlit_folium as sf

    return sf._get_html(fmap), sf._get_header(fmap), sf._get_map_string(fmap)


def folium_component() -> Any:
    """streamlit-folium's declared component (private ``_component_func``), to send a prepared map as st_folium does."""
    import streamlit_folium as sf

    return sf._component_func
