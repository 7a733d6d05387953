"""Every page runs under AppTest on the shipped data and shows the figures a user would check."""

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import ROOT

PAGES = ["pages/overview.py", "pages/map.py", "pages/timeline.py", "pages/tourism.py"]


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app_env, page):
    at = _app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "each page has a title"


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_the_headline_figures(app_env):
    at = _app()
    assert _metrics(at) == {
        "Partners": "12",
        "Countries": "10",
        "Events in 2026": "5",
        "Upcoming events": "10",
        "Expiring within 12 months": "3",
    }
    assert at.dataframe[0].value["Event"].iloc[0] == "Webinar: seaside towns off-season"


def test_choosing_sari_shows_saris_partner_count(app_env):
    at = _app()
    at.multiselect(key="home_ids").select(_sari_id()).run()
    assert _metrics(at)["Partners"] == "8"
    assert _metrics(at)["Countries"] == "7"  # Russia twice: Astrakhan and Makhachkala


def _sari_id() -> int:
    from twinmap import cache

    return cache.connection().execute("SELECT id FROM cities WHERE name = 'Sari'").fetchone()[0]


def _map_script(at: AppTest) -> str:
    (component,) = [el for el in at.get("component_instance") if "script" in el.proto.json_args]
    return component.proto.json_args


def test_map_page_draws_one_point_per_partner_shown(app_env):
    at = _app("pages/map.py")
    assert "12 partnerships shown" in at.caption[0].value
    at.multiselect(key="map_status").select("dormant").run()
    assert "3 partnerships shown" in at.caption[0].value
    script = _map_script(at)
    for city in ("Kuala Lumpur", "Al Wakrah", "Trabzon"):
        assert city in script
    assert "Astrakhan" not in script


def test_map_page_never_offers_private_stages(app_env):
    at = _app("pages/map.py")
    assert set(at.multiselect(key="map_status").options) == {"Signed", "Active", "Dormant", "Ended"}
    assert "Turkmenbashi" not in _map_script(at)


def test_timeline_counts_events_in_the_chosen_years(app_env):
    at = _app("pages/timeline.py")
    assert at.caption[0].value == "47 events of 12 partnerships, 2014–2027."
    at.slider(key="timeline_years").set_value((2026, 2026)).run()
    assert at.caption[0].value == "5 events of 12 partnerships, 2026–2026."


def test_tourism_compares_before_and_after_signing(app_env):
    at = _app("pages/tourism.py")
    table = at.dataframe[0].value.set_index("Partnership")
    assert table.loc["Sari – Astrakhan", "Signed"] == "April–May 2014"
    assert table.loc["Sari – Astrakhan", "From"] == "Russia"
    assert len(table) == 8
