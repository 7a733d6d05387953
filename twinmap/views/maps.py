"""Folium map builders: partners, home cities and great-circle arcs, offline-first.

Each kind of thing is *one* GeoJSON layer (not one Leaflet object per partner), so a map of
thousands of partnerships stays small and fast. Every text that reaches a tooltip, popup or
legend is HTML-escaped here, because Leaflet inserts them as HTML. Leaflet, jQuery and the
country outlines are served from ``static/`` so the map draws with no internet; tiles, when
they load, cover the outlines, and when they don't, the outlines are the base map.
"""

from __future__ import annotations

import functools
import html
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import folium
import pandas as pd
from branca.element import Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from twinmap.core import reference
from twinmap.core.config import STATIC_URL
from twinmap.ingest import gazetteer
from twinmap.views.i18n import ENGLISH, Translator

LOCAL_JS = [
    ("leaflet", f"{STATIC_URL}/vendor/leaflet/leaflet.js"),
    ("jquery", f"{STATIC_URL}/vendor/jquery/jquery.min.js"),
]
LOCAL_CSS = [("leaflet_css", f"{STATIC_URL}/vendor/leaflet/leaflet.css")]
OSM_TILES = "OpenStreetMap"


# Natural Earth's outlines are on the sphere: a ring that crosses the antimeridian (Chukotka, Fiji)
# jumps from 180 to -180, and drawn on the plane that jump is a line across the whole world.
# Each ring is made continuous (longitudes beyond ±180 where it crosses), a ring around a pole
# (Antarctica) is closed along the pole in short steps, and a polygon reaching beyond ±180 is drawn
# once more a world away, so both sides of the antimeridian are filled and no edge spans the map.
_ANTIMERIDIAN_JS = """
function tmUnwrap(ring) {
    var out = [], prev = null, shift = 0;
    for (var i = 0; i < ring.length; i++) {
        var lon = ring[i][0] + shift;
        if (prev !== null && lon - prev > 180) { shift -= 360; lon -= 360; }
        else if (prev !== null && lon - prev < -180) { shift += 360; lon += 360; }
        out.push([lon, ring[i][1]]);
        prev = lon;
    }
    var drift = out[out.length - 1][0] - out[0][0];
    if (Math.abs(drift) > 180) {  // around a pole: close the ring along it, ten degrees a step
        var sum = 0;
        for (var k = 0; k < out.length; k++) { sum += out[k][1]; }
        var pole = sum < 0 ? -89.9 : 89.9, end = out[out.length - 1][0], start = out[0][0];
        var steps = Math.ceil(Math.abs(end - start) / 10);
        for (var j = 0; j <= steps; j++) { out.push([end + (start - end) * j / steps, pole]); }
    }
    return out;
}
function tmShift(polygon, by) {
    return polygon.map(function (ring) { return ring.map(function (p) { return [p[0] + by, p[1]]; }); });
}
function tmSplitAntimeridian(collection) {
    collection.features.forEach(function (f) {
        var g = f.geometry;
        if (!g || (g.type !== "Polygon" && g.type !== "MultiPolygon")) { return; }
        var polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates, out = [];
        polygons.forEach(function (polygon) {
            var rings = polygon.map(tmUnwrap), lons = rings[0].map(function (p) { return p[0]; });
            var west = Math.min.apply(null, lons), east = Math.max.apply(null, lons);
            out.push(rings);
            if (east > 180) { out.push(tmShift(rings, -360)); }
            if (west < -180) { out.push(tmShift(rings, 360)); }
        });
        f.geometry = {type: "MultiPolygon", coordinates: out};
    });
    return collection;
}
"""


class CountryOutlines(JSCSSMixin, MacroElement):
    """Country outlines drawn from the shipped TopoJSON, in a pane beneath the tiles, split at the antimeridian."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        """
        + _ANTIMERIDIAN_JS
        + """
        (function (map) {
            var pane = map.createPane("outlines");
            pane.style.zIndex = 150;
            pane.style.pointerEvents = "none";
            fetch({{ this.url | tojson }})
                .then(function (r) { return r.json(); })
                .then(function (topo) {
                    var shapes = tmSplitAntimeridian(topojson.feature(topo, topo.objects.countries));
                    var layer = L.geoJSON(shapes, {
                        pane: "outlines", interactive: false,
                        style: {color: "#8a8f98", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1}
                    }).addTo(map);
                    map.getContainer().tmOutlines = layer;  // what the browser tests measure
                    map.getContainer().dataset.outlines = "drawn";
                });
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )
    default_js: ClassVar[list[tuple[str, str]]] = [
        ("topojson", f"{STATIC_URL}/vendor/topojson-client/topojson-client.min.js")
    ]

    def __init__(self, url: str = f"{STATIC_URL}/vendor/world-atlas/countries-50m.json"):
        super().__init__()
        self._name = "CountryOutlines"
        self.url = url


class Legend(MacroElement):
    """A Leaflet control listing colours and (escaped) labels."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "twinmap-legend");
                div.dir = {{ this.direction | tojson }};
                div.innerHTML = {{ this.body | tojson }};
                return div;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, title: str, items: Iterable[tuple[str, str]], rtl: bool = False):
        super().__init__()
        self._name = "Legend"
        self.direction = "rtl" if rtl else "ltr"
        rows = "".join(
            f'<div><span class="swatch" style="background:{html.escape(colour)}"></span>{html.escape(text)}</div>'
            for text, colour in items
        )
        self.body = f"<b>{html.escape(title)}</b>{rows}"
        longest = max([len(title), *(len(text) for text, _colour in items)])
        self.width_px = int(LEGEND_PX_EXTRA + LEGEND_PX_PER_CHAR * longest)


class FlyTo(MacroElement):
    """Fly the map from where it starts to a place once it has drawn (the kiosk's partner tour)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        setTimeout(function () {
            {{ this._parent.get_name() }}.flyTo(
                {{ this.target | tojson }}, {{ this.zoom }}, {duration: {{ this.duration }}});
        }, 700);
        {% endmacro %}"""
    )

    def __init__(self, lat: float, lon: float, zoom: int = 5, duration: float = 4.0):
        super().__init__()
        self._name = "FlyTo"
        self.target, self.zoom, self.duration = [lat, lon], zoom, duration


_STYLE = """<style>
.leaflet-container { background: #cfe0ee; font-family: "Source Sans Pro", "Noto Sans", system-ui, sans-serif; }
.twinmap-legend { background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 6px;
  font-size: 13px; line-height: 20px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.twinmap-legend .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  margin-inline-end: 6px; vertical-align: -1px; }
.leaflet-tooltip.twinmap-focus { font-size: 28px; font-weight: 700; padding: 4px 12px; }
</style>"""
# The kiosk is read from three metres: its legend as large as its body text.
_KIOSK_STYLE = """<style>
.twinmap-legend { font-size: 28px; line-height: 40px; padding: 10px 16px; }
.twinmap-legend .swatch { width: 24px; height: 24px; vertical-align: -3px; }
</style>"""
_RTL_STYLE = "<style>.leaflet-tooltip { direction: rtl; text-align: right; }</style>"
LEGEND_PX_PER_CHAR, LEGEND_PX_EXTRA = 7.5, 48  # the legend's width at 13 px, to keep the view clear of it


def base_map(
    tiles: str = "osm",
    center: tuple[float, float] = (38.0, 45.0),
    zoom: int = 3,
    controls: bool = True,
    rtl: bool = False,
) -> folium.Map:
    """An empty map that needs nothing from the internet except (optional) tiles.

    ``rtl``: the tooltips are laid out right to left, so a Persian label that holds a Latin name
    ("Montesilvano (ایتالیا) – امضا شده") reads from the right, as its reader reads.
    """
    fmap = folium.Map(
        zoom_control=controls,
        location=list(center),
        zoom_start=zoom,
        tiles=OSM_TILES if tiles == "osm" else None,
        world_copy_jump=False,
        control_scale=controls,
        prefer_canvas=True,
    )
    if rtl:
        fmap.get_root().header.add_child(Element(_RTL_STYLE), name="twinmap_rtl_style")
    # Instance attributes shadow folium's CDN defaults (Leaflet, jQuery, Bootstrap, ...).
    fmap.default_js = LOCAL_JS
    fmap.default_css = LOCAL_CSS
    fmap.get_root().header.add_child(Element(_STYLE), name="twinmap_style")
    CountryOutlines().add_to(fmap)
    return fmap


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def esc(value: object) -> str:
    """HTML-escape any value for a tooltip, popup or legend (None becomes empty).

    Braces become entities too: folium hands each element's rendered script to Jinja again as
    a template, so a city named ``{{ 7*7 }}`` would otherwise be run on the server.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True).translate(_BRACES)


class _Raw(Element):
    """Text that goes into the page as it is (branca would compile an Element's text as a Jinja template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:  # noqa: ARG002 - branca's signature
        """The text itself."""
        return self.text


class TwinLayer(JSCSSMixin, MacroElement):
    """Many cities and links from compact arrays, clustered and bundled in the browser (static/twinmap).

    Each city is sent once (position, escaped tooltip, colour) and each link as three integers,
    so the page carries a few dozen bytes per partnership instead of a marker, a popup and a
    polyline; panning and zooming redraw in the browser without asking the server.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        TwinLayer.draw({{ this._parent.get_name() }}, {{ this.json }});
        {% endmacro %}"""
    )
    default_js: ClassVar[list[tuple[str, str]]] = [("twinlayer", f"{STATIC_URL}/twinmap/twinlayer.js")]

    def __init__(self, data: dict):
        super().__init__()
        self._name = "TwinLayer"
        self.data = data
        # Compact JSON, safe inside a <script>; :meth:`render` keeps it out of a second Jinja pass.
        self.json = htmlsafe_json_dumps(data, dumps=functools.partial(json.dumps, separators=(",", ":")))

    def render(self, **kwargs: object) -> None:
        """Add the script to the page as text: a megabyte of data is not compiled as a template on every run."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        figure.script.add_child(_Raw(self._template.module.script(self, kwargs)), name=self.get_name())


HOME_COLOUR = "#c62828"
LINK_LIMIT = 1500  # links in view drawn one by one; more are bundled per pair of countries
BUNDLES = 150  # the busiest country pairs drawn when bundled
CLUSTER_FROM = 300  # cities on a map before near ones are clustered


def layer_data(
    cities: pd.DataFrame, links: pd.DataFrame, styles: list[dict], tr: Translator, focus: int | None = None
) -> dict:
    """The compact arrays :class:`TwinLayer` draws.

    ``cities``: id, lat, lon, country, tip (plain text), colour, radius, home; ``links``: a, b
    (city ids) and style (an index into ``styles``: colour, dash). Tooltips are HTML-escaped
    here, because Leaflet inserts them as HTML.
    """
    cities = cities.reset_index(drop=True)
    index = pd.Series(range(len(cities)), index=cities["id"].to_numpy())
    cities["country"] = cities["country"].fillna("")
    countries = sorted(set(cities["country"]))
    code = {c: i for i, c in enumerate(countries)}
    pairs = links[links["a"].isin(index.index) & links["b"].isin(index.index)]
    flat = pd.DataFrame({"a": index[pairs["a"]].to_numpy(), "b": index[pairs["b"]].to_numpy(),
                         "s": pairs["style"].to_numpy()}).to_numpy(dtype=int).ravel()  # fmt: skip
    focus_at = int(index[focus]) if focus is not None and focus in index.index else -1
    return {
        "id": cities["id"].astype(int).tolist(),
        "lat": cities["lat"].astype(float).round(3).tolist(),
        "lon": cities["lon"].astype(float).round(3).tolist(),
        "country": [code[c] for c in cities["country"]],
        "countries": [esc(tr.country(c)) for c in countries],
        "tip": [esc(t) for t in cities["tip"]],
        "colour": cities["colour"].tolist(),
        "radius": cities["radius"].astype(int).tolist(),
        "home": cities["home"].astype(int).tolist(),
        "links": flat.tolist(),
        "styles": styles,
        "focus": focus_at,
        "limit": LINK_LIMIT,
        "bundles": BUNDLES,
        "maxClusterZoom": 0 if len(cities) < CLUSTER_FROM else 9,
        "lang": tr.lang,
        "homeColour": HOME_COLOUR,
        "clusterColour": "#5c7f9e",
        "bundleColour": "#1f78b4",
        "text": {"cities": esc(tr("{n} cities", n="{n}")), "links": esc(tr("{n} partnerships", n="{n}"))},
    }


def partnership_cities(partners: pd.DataFrame, homes: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Each city on the partner map once: a home city, or a partner coloured by its furthest stage."""
    order = {t.code: i for i, t in enumerate(reference.STATUSES)}
    side = partners.assign(rank=partners["status"].map(order)).sort_values("rank", ascending=False)
    firsts = side.drop_duplicates("partner_city_id")
    counts = partners.groupby("partner_city_id").size().to_dict()
    statuses = [tr.term(reference.STATUSES, s) for s in firsts["status"]]
    names = [tr.city(n, ln) for n, ln in zip(firsts["partner_name"], firsts["partner_local_name"], strict=True)]
    many = [tr("{n} partnerships", n=tr.number(counts[i])) for i in firsts["partner_city_id"]]
    tips = [
        f"{tr.isolate(name)} ({tr.country(cc)}) – " + (status if counts[i] == 1 else text)
        for name, cc, status, i, text in zip(
            names, firsts["partner_country"], statuses, firsts["partner_city_id"], many, strict=True
        )
    ]
    partner = pd.DataFrame({
        "id": firsts["partner_city_id"].to_numpy(), "lat": firsts["partner_lat"].to_numpy(),
        "lon": firsts["partner_lon"].to_numpy(), "country": firsts["partner_country"].to_numpy(), "tip": tips,
        "colour": [reference.colour(reference.STATUSES, s) for s in firsts["status"]], "radius": 7, "home": 0,
    })  # fmt: skip
    home = pd.DataFrame({
        "id": homes["id"].to_numpy(), "lat": homes["lat"].to_numpy(), "lon": homes["lon"].to_numpy(),
        "country": homes["country_code"].to_numpy(),
        "tip": [tr("{city} (home city)", city=tr.city(n, ln)) for n, ln in zip(homes["name"], homes["local_name"],
                                                                               strict=True)],
        "colour": HOME_COLOUR, "radius": 9, "home": 1,
    })  # fmt: skip
    both = pd.concat([home, partner[~partner["id"].isin(home["id"])]], ignore_index=True)
    return both.dropna(subset=["lat", "lon"])


def partnership_map(
    partners: pd.DataFrame,
    homes: pd.DataFrame,
    tiles: str = "osm",
    tr: Translator = ENGLISH,
    focus: int | None = None,
    controls: bool = True,
) -> folium.Map:
    """The partner map: cities (clustered when many), arcs (bundled when many) and a status legend."""
    fmap = base_map(tiles, controls=controls, rtl=tr.rtl)
    cities = partnership_cities(partners, homes, tr)
    styles = [{"colour": t.colour} for t in reference.STATUSES]
    order = {t.code: i for i, t in enumerate(reference.STATUSES)}
    links = pd.DataFrame({"a": partners["home_city_id"], "b": partners["partner_city_id"],
                          "style": partners["status"].map(order)})  # fmt: skip
    TwinLayer(layer_data(cities, links, styles, tr, focus)).add_to(fmap)
    shown = [t for t in reference.STATUSES if t.code in set(partners["status"])]
    items = [(tr(t.label), t.colour) for t in shown] + [(tr("Home city"), HOME_COLOUR)]
    legend = Legend(tr("Status"), items, rtl=tr.rtl)
    legend.add_to(fmap)
    if len(cities):
        fit_clear_of(fmap, cities[["lat", "lon"]].to_numpy().tolist(), legend)
    return fmap


def fit_clear_of(fmap: folium.Map, points: list[list[float]], legend: Legend) -> None:
    """Fit the view to the points with a strip as wide as the legend kept free on its side.

    The legend sits in the bottom-right corner over the map: without the strip a partner in that
    corner (Kuala Lumpur on Sari's map) is drawn under it.
    """
    fmap.fit_bounds(_bounds(points), padding_top_left=(20, 20), padding_bottom_right=(legend.width_px + 20, 20))


def _bounds(points: list[list[float]]) -> list[list[float]]:
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def to_html(fmap: folium.Map) -> str:
    """The whole standalone HTML of a map (what tests inspect)."""
    return fmap.get_root().render()


def flight_map(
    partners: pd.DataFrame, homes: pd.DataFrame, focus: Mapping[str, Any], tiles: str, tr: Translator
) -> folium.Map:
    """The kiosk map: the whole network, the focus partner ringed and named, then a flight to it.

    Nobody can press a zoom button on a kiosk: there are none.
    """
    fmap = partnership_map(partners, homes, tiles=tiles, tr=tr, focus=int(focus["partner_city_id"]), controls=False)
    fmap.location = [focus["home_lat"], focus["home_lon"]]
    fmap.get_root().header.add_child(Element(_KIOSK_STYLE), name="twinmap_kiosk_style")
    FlyTo(focus["partner_lat"], focus["partner_lon"], zoom=5).add_to(fmap)
    return fmap


def _feature(geometry: dict, **props: object) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _points(rows: list[dict], **layer: Any) -> folium.GeoJson:
    """One GeoJSON layer of circle markers; ``rows`` carry lat, lon, colour, radius and an escaped tooltip."""
    feats = [
        _feature(
            {"type": "Point", "coordinates": [round(r["lon"], 4), round(r["lat"], 4)]},
            style={"fillColor": r["colour"], "color": "#1a1a1a", "radius": r.get("radius", 7)},
            tooltip=r["tooltip"],
        )
        for r in rows
    ]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": feats},
        marker=folium.CircleMarker(radius=7, weight=1, fill=True, fill_opacity=0.9),
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        **layer,
    )


def candidate_map(
    home: Mapping[str, Any], found: pd.DataFrame, tiles: str = "osm", tr: Translator = ENGLISH
) -> folium.Map:
    """The finder's candidates (darker green = higher score) around the home city."""
    fmap = base_map(tiles, rtl=tr.rtl)
    rows = [
        {"lat": r["lat"], "lon": r["lon"], "colour": _score_colour(r["score"]),
         "tooltip": esc(f"{tr.number(i + 1)}. {tr.place(r['name'], r['country_code'], r.get('geonameid'))} "
                        f"({tr.country(r['country_code'])}) – {tr.number(r['score'])}")}
        for i, r in enumerate(found.to_dict("records"))
    ]  # fmt: skip
    _points(rows, name="candidates").add_to(fmap)
    me = {"lat": home["lat"], "lon": home["lon"], "colour": "#c62828", "radius": 9,
          "tooltip": esc(tr("{city} (home city)", city=tr.city(home["name"], home.get("local_name"))))}  # fmt: skip
    _points([me], name="home").add_to(fmap)
    legend = Legend(tr("Score"), [(tr("high"), _score_colour(100)), (tr("low"), _score_colour(40)),
                                  (tr("Home city"), "#c62828")], rtl=tr.rtl)  # fmt: skip
    legend.add_to(fmap)
    fit_clear_of(fmap, [[home["lat"], home["lon"]], *found[["lat", "lon"]].to_numpy().tolist()], legend)
    return fmap


def organisation_seats(frame: pd.DataFrame) -> pd.DataFrame:
    """The organisations whose seat the gazetteer knows (by city and country), with its latitude and longitude.

    An organisation with no city, or one the gazetteer does not know, is not guessed onto the
    map (a country's middle would be a claim of a place): the table lists it all the same.
    """
    spots = {}
    for city, country in set(zip(frame["city"], frame["country_code"], strict=True)):
        place = gazetteer.find(city, country) if isinstance(city, str) and city.strip() else None
        spots[(city, country)] = (place.lat, place.lon) if place else (None, None)
    where = [spots[k] for k in zip(frame["city"], frame["country_code"], strict=True)]
    out = frame.assign(lat=[w[0] for w in where], lon=[w[1] for w in where])
    return out[out["lat"].notna()].reset_index(drop=True)


SEVERAL_KINDS = "#555555"  # a seat where organisations of several kinds sit (Brussels, Geneva)
SEAT_NAMES = 5  # names a seat's tooltip lists before "and n more"


def organisations_map(frame: pd.DataFrame, tiles: str = "osm", tr: Translator = ENGLISH) -> folium.Map:
    """Organisations at their seats (:func:`organisation_seats`): one dot per seat, coloured by kind, larger with more.

    Ten thousand organisations sit in a few hundred cities: a dot per seat keeps the map a few
    kilobytes and every organisation named in its seat's tooltip.
    """
    fmap = base_map(tiles, rtl=tr.rtl)
    colours = {t.code: t.colour for t in reference.ORGANISATION_KINDS}
    rows, mixed = [], False
    for (lat, lon, city, country), group in frame.groupby(["lat", "lon", "city", "country_code"], sort=False):
        kinds = set(group["kind"])
        mixed |= len(kinds) > 1
        names = list(group["name"])
        more = len(names) - SEAT_NAMES
        listed = tr.join(names[:SEAT_NAMES]) + (" " + tr("and {n} more", n=tr.number(more)) if more > 0 else "")
        rows.append({"lat": lat, "lon": lon, "radius": round(6 + 2 * math.log2(len(names)), 1),
                     "colour": colours.get(next(iter(kinds)), SEVERAL_KINDS) if len(kinds) == 1 else SEVERAL_KINDS,
                     "tooltip": esc(f"{tr.place(city, country)} ({tr.country(country)}): {listed}")})  # fmt: skip
    if rows:  # folium refuses a tooltip over no features at all
        _points(rows, name="organisations").add_to(fmap)
    shown = [(tr(t.label), t.colour) for t in reference.ORGANISATION_KINDS if t.code in set(frame["kind"])]
    legend = Legend(tr("Kind"), shown + ([(tr("Several kinds"), SEVERAL_KINDS)] if mixed else []), rtl=tr.rtl)
    legend.add_to(fmap)
    if len(frame):
        fit_clear_of(fmap, frame[["lat", "lon"]].drop_duplicates().to_numpy().tolist(), legend)
    return fmap


def _score_colour(score: float) -> str:
    shade = int(max(0, min(1, (score - 40) / 60)) * 155)
    return f"#{200 - shade:02x}{230 - shade // 2:02x}{200 - shade:02x}"


def network_colours(cities: pd.DataFrame, links: pd.DataFrame) -> list[str]:
    """Each city's dot as the network legend says: a home city red, our partners blue, their partners grey."""
    ours = links.loc[links["kind"] == "partnership", ["a", "b"]].to_numpy().ravel().tolist()
    return [HOME_COLOUR if home else "#1f78b4" if i in set(ours) else "#888888"
            for home, i in zip(cities["is_home"], cities["id"], strict=True)]  # fmt: skip


def network_map(links: pd.DataFrame, cities: pd.DataFrame, tiles: str = "osm", tr: Translator = ENGLISH) -> folium.Map:
    """Links (ours solid blue, other cities' ties grey dashed) and cities sized by their number of twins.

    A city is coloured as the legend says (:func:`network_colours`); its size says how many twins it has.
    """
    fmap = base_map(tiles, rtl=tr.rtl)
    shown = pd.DataFrame({
        "id": cities["id"].to_numpy(), "lat": cities["lat"].to_numpy(), "lon": cities["lon"].to_numpy(),
        "country": cities["country"].to_numpy(),
        "tip": [tr("{city}: {n} twin cities", city=tr.city(n), n=tr.number(d))
                for n, d in zip(cities["name"], cities["degree"], strict=True)],
        "colour": network_colours(cities, links),
        "radius": 4 + 2 * cities["degree"].clip(upper=8).astype(int), "home": cities["is_home"].astype(int),
    })  # fmt: skip
    styles = [{"colour": "#1f78b4"}, {"colour": "#888888", "dash": "4 4"}]
    edges = pd.DataFrame({"a": links["a"], "b": links["b"], "style": (links["kind"] != "partnership").astype(int)})
    TwinLayer(layer_data(shown.dropna(subset=["lat", "lon"]), edges, styles, tr)).add_to(fmap)
    keys = [(tr("Our partnerships"), "#1f78b4"), (tr("Partners' own ties"), "#888888"), (tr("Home city"), HOME_COLOUR)]
    legend = Legend(tr("Network (a larger dot: more twin cities)"), keys, rtl=tr.rtl)
    legend.add_to(fmap)
    if len(cities):
        fit_clear_of(fmap, cities[["lat", "lon"]].to_numpy().tolist(), legend)
    return fmap
