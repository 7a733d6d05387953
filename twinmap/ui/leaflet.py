"""The pages' folium maps, rendered to the map component's arguments once per map, not on every run.

``st_folium`` renders its map on every run: Jinja over every element, a dozen regular
expressions and a ``dedent`` over the whole script, and a hash of it for the component's key.
At 50,000 partnerships the script is 2 MB and that came to half of a warm overview. A
:class:`Prepared` map holds what ``st_folium`` would send (made by streamlit-folium's own
helpers, once, where the map is built and cached), and :func:`show` sends it as ``st_folium``
does: the same component, arguments, returned values and key behaviour.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import folium
import streamlit as st
import streamlit_folium as sf

from twinmap.ui import compat


@dataclass(frozen=True)
class Prepared:
    """A rendered map: the component's arguments, and a fingerprint of its script for the widget key."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict
    zoom: Any
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    fingerprint: str


def _links(fmap: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The map's stylesheets and scripts, in the order st_folium collects them, without repeats."""
    css, js = [], []
    stack = [fmap]
    while stack:
        elem = stack.pop(0)
        css += [href for _, href in getattr(elem, "default_css", [])]
        js += [src for _, src in getattr(elem, "default_js", [])]
        stack[:0] = list(getattr(elem, "_children", {}).values())  # depth first, as st_folium walks
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def prepare(fmap: folium.Map) -> Prepared:
    """Render ``fmap`` as st_folium does (it changes the map's element ids: call it once, on a map of its own)."""
    fmap.get_root().render()
    fmap.render()
    html, header, rendered = compat.folium_rendered(fmap)
    css, js = _links(fmap)
    script = compat.Encoded(rendered)  # escaped to JSON once, not on every run
    south_west, north_east = fmap.get_bounds()
    bounds = {"_southWest": {"lat": south_west[0], "lng": south_west[1]},
              "_northEast": {"lat": north_east[0], "lng": north_east[1]}}  # fmt: skip
    standard = re.sub(r"(maps\/[-a-z0-9]+\/)", "", re.sub(r"(_[a-z0-9]+)", "", script))  # as generate_js_hash
    return Prepared(script, header, html, sf.get_full_id(fmap), bounds, fmap.options.get("zoom"), css, js,
                    hashlib.sha256(standard.encode()).hexdigest())  # fmt: skip


_DEFAULTS = ("last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
             "last_object_clicked_popup", "all_drawings", "last_active_drawing", "last_circle_radius",
             "last_circle_polygon", "selected_layers", "selected_tags", "last_geocoder_result")  # fmt: skip


def show(prepared: Prepared, key: str, height: int, returned_objects: Iterable[str] = ()) -> dict | None:
    """Draw a prepared map as ``st_folium(..., use_container_width=True)`` would; what the reader clicked."""
    wanted = list(returned_objects)
    defaults = {k: None for k in _DEFAULTS if k in wanted}
    if "bounds" in wanted:
        defaults["bounds"] = prepared.bounds
    if "zoom" in wanted:
        defaults["zoom"] = prepared.zoom
    hash_key = hashlib.sha256(f"{prepared.fingerprint}|{key}".encode()).hexdigest()

    def _on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    component = compat.folium_component()
    compat.registered(component)  # declared by a headless run before the server opened (serve)
    compat.args_encoded_once()
    return component(script=prepared.script, header=prepared.header, html=prepared.html, id=prepared.map_id,
                              key=hash_key, height=height, width=None, returned_objects=wanted, default=defaults,
                              zoom=None, center=None, feature_group=None, return_on_hover=False, layer_control=None,
                              pixelated=False, css_links=list(prepared.css_links), js_links=list(prepared.js_links),
                              on_change=_on_change, wrap_longitude=False)  # fmt: skip
