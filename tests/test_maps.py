import json
import re

import pandas as pd
import pytest

from twinmap.views import maps
from twinmap.views.i18n import Translator


def _partners(**overrides):
    row = {
        "id": 1, "partner_city_id": 2, "home_city_id": 1, "kind": "sister_city", "status": "active",
        "home_name": "Sari", "home_lat": 36.56, "home_lon": 53.06, "partner_name": "Astrakhan",
        "partner_country": "RU", "partner_local_name": None, "home_local_name": None, "home_country": "IR", "partner_lat": 46.35, "partner_lon": 48.04, "signed_on": pd.Timestamp("2014-04-21"),
        "signed_precision": "jmonth", "last_event": pd.NaT, "next_event": pd.NaT, "purpose": "Friendship",
        "is_demo": False,
    }  # fmt: skip
    row.update(overrides)
    return pd.DataFrame([row])


HOMES = pd.DataFrame([{"id": 1, "name": "Sari", "local_name": None, "country_code": "IR", "lat": 36.56, "lon": 53.06}])


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


def _layer(page: str) -> dict:
    """The data the page hands the browser's network layer."""
    (found,) = re.findall(r"TwinLayer\.draw\([^,]+, (\{.*\})\);", page)
    return json.loads(found)


@pytest.mark.parametrize("column", ["partner_name", "home_name"])
def test_text_from_the_data_reaches_tooltips_only_as_text(column):
    frame = _partners(**{column: XSS})
    homes = HOMES.assign(name=frame["home_name"])
    page = maps.to_html(maps.partnership_map(frame, homes, tiles="none"))
    assert "<script>alert" not in page and "<img src=x" not in page
    tips = " ".join(_layer(page)["tip"])
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in tips
    assert "<script" not in tips and "<img" not in tips


def test_each_city_once_and_each_partnership_as_three_numbers_with_no_popup_html():
    frame = pd.concat(
        [_partners(id=i, partner_city_id=100 + i, partner_name=f"City {i}", partner_lon=i * 3.0) for i in range(50)],
        ignore_index=True,
    )
    page = maps.to_html(maps.partnership_map(frame, HOMES, tiles="none"))
    data = _layer(page)
    assert page.count("TwinLayer.draw(") == 1 and "L.geoJson(" not in page
    assert sorted(data["id"]) == [1, *range(100, 150)]  # the home city and 50 partners, once each
    assert len(data["links"]) == 3 * 50
    home = data["id"].index(1)
    assert {data["links"][k] for k in range(0, 150, 3)} == {home}
    assert "twinmap-popup" not in page and "Friendship" not in page  # details are in the card beside the map


def test_the_page_grows_by_a_few_dozen_bytes_per_partnership():
    def size(n):
        frame = pd.concat(
            [_partners(id=i, partner_city_id=100 + i, partner_name=f"Town {i}", partner_lat=40 + i % 20,
                       partner_lon=-170 + i % 340) for i in range(n)], ignore_index=True,
        )  # fmt: skip
        return len(maps.to_html(maps.partnership_map(frame, HOMES, tiles="none")))

    assert (size(2001) - size(1)) / 2000 < 120


def test_a_partner_of_two_home_cities_is_one_city_with_two_links():
    frame = pd.concat([_partners(id=1), _partners(id=2, home_city_id=3, home_name="Chalus", status="signed")])
    homes = pd.concat([HOMES, pd.DataFrame([{"id": 3, "name": "Chalus", "lat": 36.65, "lon": 51.42}])])
    data = _layer(maps.to_html(maps.partnership_map(frame, homes, tiles="none")))
    assert sorted(data["id"]) == [1, 2, 3] and len(data["links"]) == 6
    assert "Astrakhan (Russia) – 2 partnerships" in data["tip"]


def test_the_kiosk_map_rings_and_names_its_focus_partner_and_has_no_zoom_buttons():
    frame = _partners()
    focus = frame.iloc[0]
    page = maps.to_html(maps.flight_map(frame, HOMES, focus, "none", Translator("en")))
    data = _layer(page)
    assert data["id"][data["focus"]] == 2
    assert '"zoomControl": false' in page


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


TEMPLATE = "{{ 'inj' ~ 'ected' }}{% if true %}RAN-ON-SERVER{% endif %}"


def test_a_name_that_looks_like_a_template_is_shown_as_written_never_run_on_the_server():
    frame = _partners(partner_name=TEMPLATE, home_name=TEMPLATE)
    found = pd.DataFrame([{"name": TEMPLATE, "country_code": "IT", "lat": 42.46, "lon": 14.21, "score": 91.0}])
    home = {"name": TEMPLATE, "local_name": None, "lat": 36.56, "lon": 53.06}
    links = pd.DataFrame([{"a": 1, "b": 2, "kind": "tie"}])
    cities = pd.DataFrame([{"id": 1, "name": TEMPLATE, "country": "DE", "lat": 50.98, "lon": 11.33, "degree": 6,
                            "is_home": False}, {"id": 2, "name": "Blois", "country": "FR", "lat": 47.59, "lon": 1.33,
                            "degree": 1, "is_home": False}])  # fmt: skip
    for fmap in (maps.partnership_map(frame, HOMES, tiles="none"), maps.candidate_map(home, found, tiles="none"),
                 maps.network_map(links, cities, tiles="none")):  # fmt: skip
        page = maps.to_html(fmap)
        assert "injected" not in page
        assert set(re.findall(r"(.{5})RAN-ON-SERVER", page)) == {"#125;"}  # only as written, after its "%}"
        assert "#123;% if true %" in page  # the braces as entities ("&" itself JSON-escaped in scripts)


def test_the_network_colours_each_city_as_its_legend_says():
    links = pd.DataFrame([{"a": 10, "b": 11, "kind": "partnership"}, {"a": 11, "b": 12, "kind": "tie"}])
    cities = pd.DataFrame({"id": [10, 11, 12], "is_home": [True, False, False]})
    assert maps.network_colours(cities, links) == [maps.HOME_COLOUR, "#1f78b4", "#888888"]


def test_event_kinds_on_the_timeline_never_share_a_colour_with_an_agreements_stage():
    from twinmap.core import reference

    stages = {t.colour for t in reference.STATUSES}
    kinds = [t.colour for t in reference.EVENT_KINDS]
    assert not stages & set(kinds) and len(set(kinds)) == len(kinds)


def test_a_persian_readers_map_lays_its_labels_out_right_to_left():
    """A label holding a Latin name ("Montesilvano (ایتالیا) – ...") reads from the right for a Persian reader."""
    frame = _partners(partner_name="Montesilvano", partner_country="IT")
    fa = maps.to_html(maps.partnership_map(frame, HOMES, tiles="none", tr=Translator("fa")))
    tips = _layer(fa)["tip"]
    assert any(t.startswith("\u2068Montesilvano\u2069 (") for t in tips)  # the Latin name as its own unit
    assert ".leaflet-tooltip { direction: rtl" in fa
    assert "direction: rtl" not in maps.to_html(maps.partnership_map(frame, HOMES, tiles="none"))
