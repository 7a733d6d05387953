"""Folium map builders: partners, home cities and great-circle arcs, offline-first.

Each kind of thing is *one* GeoJSON layer (not one Leaflet object per partner), so a map of
thousands of partnerships stays small and fast. Every text that reaches a tooltip, popup or
legend is HTML-escaped here, because Leaflet inserts them as HTML. Leaflet, jQuery and the
country outlines are served from ``static/`` so the map draws with no internet; tiles, when
they load, cover the outlines, and when they don't, the outlines are the base map.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from twinmap.core import geo, reference
from twinmap.core.config import STATIC_URL
from twinmap.views.i18n import ENGLISH, Translator
from twinmap.views.labels import pair_labels

LOCAL_JS = [
    ("leaflet", f"{STATIC_URL}/vendor/leaflet/leaflet.js"),
    ("jquery", f"{STATIC_URL}/vendor/jquery/jquery.min.js"),
]
LOCAL_CSS = [("leaflet_css", f"{STATIC_URL}/vendor/leaflet/leaflet.css")]
OSM_TILES = "OpenStreetMap"


class CountryOutlines(JSCSSMixin, MacroElement):
    """Country outlines drawn from the shipped TopoJSON, in a pane beneath the tiles."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map) {
            var pane = map.createPane("outlines");
            pane.style.zIndex = 150;
            pane.style.pointerEvents = "none";
            fetch({{ this.url | tojson }})
                .then(function (r) { return r.json(); })
                .then(function (topo) {
                    L.geoJSON(topojson.feature(topo, topo.objects.countries), {
                        pane: "outlines", interactive: false,
                        style: {color: "#8a8f98", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1}
                    }).addTo(map);
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
.twinmap-popup { font-size: 13px; line-height: 1.35; max-width: 280px; }
.twinmap-popup b { font-size: 14px; }
</style>"""


def base_map(tiles: str = "osm", center: tuple[float, float] = (38.0, 45.0), zoom: int = 3) -> folium.Map:
    """An empty map that needs nothing from the internet except (optional) tiles."""
    fmap = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=OSM_TILES if tiles == "osm" else None,
        world_copy_jump=False,
        control_scale=True,
        prefer_canvas=True,
    )
    # Instance attributes shadow folium's CDN defaults (Leaflet, jQuery, Bootstrap, ...).
    fmap.default_js = LOCAL_JS
    fmap.default_css = LOCAL_CSS
    fmap.get_root().header.add_child(Element(_STYLE), name="twinmap_style")
    CountryOutlines().add_to(fmap)
    return fmap


def esc(value: object) -> str:
    """HTML-escape any value for a tooltip, popup or legend (None becomes empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def partner_popup(row: Mapping[str, Any], tr: Translator = ENGLISH) -> str:
    """The popup of one partnership: both cities, kind, status, signing date, purpose, activity."""
    partner = tr.city(row["partner_name"], row.get("partner_local_name"))
    home = tr.city(row["home_name"], row.get("home_local_name"))
    lines = [
        f"<b>{esc(partner)}</b> ({esc(tr.country(row['partner_country']))})",
        esc(tr("Partner of {city}", city=home)),
        f"{esc(tr.term(reference.PARTNERSHIP_KINDS, row['kind']))} · {esc(tr.term(reference.STATUSES, row['status']))}",
        esc(f"{tr('Signed')}: {tr.date(row.get('signed_on'), row.get('signed_precision'))}"),
        esc(f"{tr('Last event')}: {tr.date(row.get('last_event'), 'day')}"),
        esc(f"{tr('Next event')}: {tr.date(row.get('next_event'), 'day')}"),
    ]
    if row.get("purpose"):
        lines.append(f"<i>{esc(row['purpose'])}</i>")
    if row.get("is_demo"):
        demo = tr("demo data")
        lines.append(f"<small>{esc(demo)}</small>")
    direction = "rtl" if tr.rtl else "ltr"
    return f'<div class="twinmap-popup" dir="{direction}">' + "<br>".join(lines) + "</div>"


def _feature(geometry: dict, **props: object) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def partner_features(frame: pd.DataFrame, tr: Translator = ENGLISH) -> dict:
    """One point per partnership at the partner city; all string properties pre-escaped."""
    feats = [
        _feature(
            {"type": "Point", "coordinates": [round(row["partner_lon"], 4), round(row["partner_lat"], 4)]},
            id=int(row["id"]),
            city_id=int(row["partner_city_id"]),
            status=row["status"],
            style={"fillColor": reference.colour(reference.STATUSES, row["status"]), "color": "#ffffff"},
            tooltip=esc(
                f"{tr.city(row['partner_name'], row.get('partner_local_name'))} ({tr.country(row['partner_country'])})"
                f" – {tr.term(reference.STATUSES, row['status'])}"
            ),
            popup=partner_popup(row, tr),
        )
        for row in frame.to_dict("records")
    ]
    return {"type": "FeatureCollection", "features": feats}


def arc_features(frame: pd.DataFrame, tr: Translator = ENGLISH) -> dict:
    """One great-circle arc per partnership, home to partner, coloured by status."""
    ends = frame[["home_lat", "home_lon", "partner_lat", "partner_lon"]].to_numpy(dtype=float)
    arcs = geo.great_circles(ends) if len(frame) else []
    feats = [
        _feature(
            {"type": "LineString", "coordinates": [[round(lon, 3), round(lat, 3)] for lat, lon in arc.tolist()]},
            id=int(row.id),
            style={"color": reference.colour(reference.STATUSES, row.status), "weight": 2, "opacity": 0.75},
            tooltip=esc(label),
        )
        for row, arc, label in zip(frame.itertuples(index=False), arcs, pair_labels(frame, tr), strict=True)
    ]
    return {"type": "FeatureCollection", "features": feats}


def home_features(homes: pd.DataFrame, tr: Translator = ENGLISH) -> dict:
    """One point per home city."""
    feats = [
        _feature(
            {"type": "Point", "coordinates": [row.lon, row.lat]},
            city_id=int(row.id),
            style={"fillColor": "#c62828", "color": "#1a1a1a"},
            tooltip=esc(tr("{city} (home city)", city=tr.city(row.name, getattr(row, "local_name", None)))),
        )
        for row in homes.itertuples(index=False)
    ]
    return {"type": "FeatureCollection", "features": feats}


def partnership_map(
    partners: pd.DataFrame, homes: pd.DataFrame, tiles: str = "osm", tr: Translator = ENGLISH
) -> folium.Map:
    """The partner map: arcs, partner points, home cities and a status legend."""
    fmap = base_map(tiles)
    if len(partners):
        folium.GeoJson(
            arc_features(partners, tr),
            name="arcs",
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        ).add_to(fmap)
        folium.GeoJson(
            partner_features(partners, tr),
            name="partners",
            marker=folium.CircleMarker(radius=7, weight=1.5, fill=True, fill_opacity=0.95),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
        ).add_to(fmap)
    if len(homes):
        folium.GeoJson(
            home_features(homes, tr),
            name="homes",
            marker=folium.CircleMarker(radius=9, weight=3, fill=True, fill_opacity=1),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        ).add_to(fmap)
        points = [[r.lat, r.lon] for r in homes.itertuples()]
        points += [[r.partner_lat, r.partner_lon] for r in partners.itertuples()]
        fmap.fit_bounds(_bounds(points), padding=(20, 20))
    shown = [t for t in reference.STATUSES if t.code in set(partners["status"])]
    items = [(tr(t.label), t.colour) for t in shown] + [(tr("Home city"), "#c62828")]
    Legend(tr("Status"), items, rtl=tr.rtl).add_to(fmap)
    return fmap


def _bounds(points: list[list[float]]) -> list[list[float]]:
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def to_html(fmap: folium.Map) -> str:
    """The whole standalone HTML of a map (what tests inspect)."""
    return fmap.get_root().render()


def flight_map(
    partners: pd.DataFrame, homes: pd.DataFrame, focus: Mapping[str, Any], tiles: str, tr: Translator
) -> folium.Map:
    """The kiosk map: the whole network, then a flight from the home city to one partner."""
    fmap = partnership_map(partners, homes, tiles=tiles, tr=tr)
    fmap.location = [focus["home_lat"], focus["home_lon"]]
    FlyTo(focus["partner_lat"], focus["partner_lon"], zoom=5).add_to(fmap)
    return fmap


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
    fmap = base_map(tiles)
    rows = [
        {"lat": r["lat"], "lon": r["lon"], "colour": _score_colour(r["score"]),
         "tooltip": esc(f"{i + 1}. {r['name']} ({tr.country(r['country_code'])}) – {tr.number(r['score'])}")}
        for i, r in enumerate(found.to_dict("records"))
    ]  # fmt: skip
    _points(rows, name="candidates").add_to(fmap)
    me = {"lat": home["lat"], "lon": home["lon"], "colour": "#c62828", "radius": 9,
          "tooltip": esc(tr("{city} (home city)", city=tr.city(home["name"], home.get("local_name"))))}  # fmt: skip
    _points([me], name="home").add_to(fmap)
    fmap.fit_bounds(_bounds([[home["lat"], home["lon"]], *found[["lat", "lon"]].to_numpy().tolist()]), padding=(20, 20))
    Legend(tr("Score"), [(tr("high"), _score_colour(100)), (tr("low"), _score_colour(40)),
                         (tr("Home city"), "#c62828")], rtl=tr.rtl).add_to(fmap)  # fmt: skip
    return fmap


def _score_colour(score: float) -> str:
    shade = int(max(0, min(1, (score - 40) / 60)) * 155)
    return f"#{200 - shade:02x}{230 - shade // 2:02x}{200 - shade:02x}"


def network_map(links: pd.DataFrame, cities: pd.DataFrame, tiles: str = "osm", tr: Translator = ENGLISH) -> folium.Map:
    """Links (ours solid blue, other cities' ties grey) and cities sized by their number of twins."""
    fmap = base_map(tiles)
    ends = links[["a_lat", "a_lon", "b_lat", "b_lon"]].to_numpy(dtype=float)
    arcs = geo.great_circles(ends) if len(links) else []
    feats = [
        _feature({"type": "LineString", "coordinates": [[round(lon, 3), round(lat, 3)] for lat, lon in arc.tolist()]},
                 style={"color": "#1f78b4" if r.kind == "partnership" else "#888888", "weight": 2,
                        "dashArray": None if r.kind == "partnership" else "4 4"},
                 tooltip=esc(f"{tr.city(r.a_name)} – {tr.city(r.b_name)}"))
        for r, arc in zip(links.itertuples(index=False), arcs, strict=True)
    ]  # fmt: skip
    folium.GeoJson({"type": "FeatureCollection", "features": feats}, name="links",
                   tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False)).add_to(fmap)  # fmt: skip
    rows = [
        {"lat": r["lat"], "lon": r["lon"], "colour": "#c62828" if r["is_home"] else "#1f78b4",
         "radius": 4 + 2 * min(int(r["degree"]), 8),
         "tooltip": esc(tr("{city}: {n} twin cities", city=tr.city(r["name"]), n=int(r["degree"])))}
        for r in cities.to_dict("records")
    ]  # fmt: skip
    _points(rows, name="cities").add_to(fmap)
    if len(cities):
        fmap.fit_bounds(_bounds(cities[["lat", "lon"]].to_numpy().tolist()), padding=(20, 20))
    Legend(tr("Network"), [(tr("Our partnerships"), "#1f78b4"), (tr("Partners' own ties"), "#888888"),
                           (tr("Home city"), "#c62828")], rtl=tr.rtl).add_to(fmap)  # fmt: skip
    return fmap
