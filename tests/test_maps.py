import re

import pandas as pd
import pytest

from twinmap.views import maps
from twinmap.views.i18n import Translator


def _partners(**overrides):
    row = {
        "id": 1, "partner_city_id": 2, "home_city_id": 1, "kind": "sister_city", "status": "active",
        "home_name": "Sari", "home_lat": 36.56, "home_lon": 53.06, "partner_name": "Astrakhan",
        "partner_country": "RU", "partner_lat": 46.35, "partner_lon": 48.04, "signed_on": pd.Timestamp("2014-04-21"),
        "signed_precision": "jmonth", "last_event": pd.NaT, "next_event": pd.NaT, "purpose": "Friendship",
        "is_demo": False,
    }  # fmt: skip
    row.update(overrides)
    return pd.DataFrame([row])


HOMES = pd.DataFrame([{"id": 1, "name": "Sari", "lat": 36.56, "lon": 53.06}])


def test_the_map_loads_nothing_from_a_cdn():
    page = maps.to_html(maps.partnership_map(_partners(), HOMES, tiles="none"))
    urls = re.findall(r"""(?:src|href)=["']([^"']+)""", page)
    assert urls, "expected script and style links"
    assert all(u.startswith("/app/static/") for u in urls), urls
    assert "/app/static/vendor/leaflet/leaflet.js" in urls
    assert "countries-50m.json" in page  # offline outlines


def test_osm_tiles_are_optional():
    assert "tile.openstreetmap.org" in maps.to_html(maps.partnership_map(_partners(), HOMES, tiles="osm"))
    assert "tile.openstreetmap.org" not in maps.to_html(maps.partnership_map(_partners(), HOMES, tiles="none"))


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize("column", ["partner_name", "purpose", "home_name"])
def test_text_from_the_data_reaches_popups_and_tooltips_only_as_text(column):
    frame = _partners(**{column: XSS})
    page = maps.to_html(maps.partnership_map(frame, HOMES, tiles="none"))
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    props = (
        maps.partner_features(frame)["features"][0]["properties"]
        | maps.arc_features(frame)["features"][0]["properties"]
    )
    shown = props["popup"] + props["tooltip"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in shown
    assert "<script" not in shown and "<img" not in shown


def test_one_point_per_partner_in_a_single_layer():
    frame = pd.concat([_partners(id=i, partner_name=f"City {i}") for i in range(50)], ignore_index=True)
    fc = maps.partner_features(frame)
    assert len(fc["features"]) == 50
    assert {f["properties"]["id"] for f in fc["features"]} == set(range(50))
    page = maps.to_html(maps.partnership_map(frame, HOMES, tiles="none"))
    assert page.count("L.geoJson(") == 3  # arcs, partners, homes: one layer each, however many partners


def test_popup_shows_the_signing_month_as_the_source_gave_it():
    popup = maps.partner_popup(_partners().iloc[0])
    assert "April–May 2014" in popup
    assert "Ordibehesht 1393" in maps.partner_popup(_partners().iloc[0], Translator("en", "jalali"))


def test_legend_lists_only_the_statuses_shown():
    page = maps.to_html(maps.partnership_map(_partners(status="dormant"), HOMES, tiles="none"))
    assert "Dormant" in page and "Active" not in page


EVIL = "<img src=x onerror=alert(1)>"


def test_finder_and_network_maps_escape_city_names_and_load_nothing_from_a_cdn():
    found = pd.DataFrame([{"name": EVIL, "country_code": "IT", "lat": 42.46, "lon": 14.21, "score": 91.0}])
    home = {"name": "Sari", "local_name": None, "lat": 36.56, "lon": 53.06}
    links = pd.DataFrame([{"a": 1, "b": 2, "kind": "tie", "a_name": EVIL, "b_name": "Blois", "a_lat": 50.98,
                           "a_lon": 11.33, "b_lat": 47.59, "b_lon": 1.33}])  # fmt: skip
    cities = pd.DataFrame([{"id": 1, "name": EVIL, "country": "DE", "lat": 50.98, "lon": 11.33, "degree": 6,
                            "is_home": False}])  # fmt: skip
    for fmap in (maps.candidate_map(home, found, tiles="none"), maps.network_map(links, cities, tiles="none")):
        page = maps.to_html(fmap)
        # Escaped for HTML, then JSON-encoded ("&" as \u0026): the tooltip shows the text, never an element.
        assert EVIL not in page and "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page
        urls = re.findall(r"""(?:src|href)=["']([^"']+)""", page)
        assert all(u.startswith("/app/static/") for u in urls), urls
