import csv
import itertools

import pytest

from twinmap.core import config, geo


def test_an_arc_across_the_antimeridian_never_jumps_across_the_map():
    # Vladivostok to Anchorage crosses 180°: the short way, over the Bering Sea.
    arc = geo.great_circle(43.1, 131.9, 61.2, -149.9)
    steps = [abs(b[1] - a[1]) for a, b in itertools.pairwise(arc)]
    assert max(steps) < 10
    assert arc[0] == [43.1, 131.9]
    assert arc[-1][0] == 61.2 and arc[-1][1] == pytest.approx(-149.9 + 360)
    assert any(lon > 180 for _, lon in arc)


def test_an_ordinary_arc_bends_north_as_a_great_circle_does():
    arc = geo.great_circle(36.56, 53.06, 42.51, 14.15)  # Sari to Montesilvano
    assert max(lat for lat, _ in arc) > 42.51
    assert all(-180 <= lon <= 180 for _, lon in arc)


def test_distance_and_direction_from_sari_to_astrakhan():
    km = geo.distance_km(36.56332, 53.06009, 46.34968, 48.04076)
    assert km == pytest.approx(1166, abs=5)
    assert geo.compass(geo.bearing_deg(36.56332, 53.06009, 46.34968, 48.04076)) == "N"


@pytest.mark.parametrize(
    ("code", "locale", "name"), [("IR", "en", "Iran"), ("RU", "ru", "Россия"), ("IT", "fa", "ایتالیا")]
)
def test_country_names_come_in_the_chosen_language(code, locale, name):
    assert geo.country_name(code, locale) == name


def test_every_shipped_city_lies_in_the_country_it_claims():
    with open(config.DATA_DIR / "cities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found = geo.country_of_point(float(row["lat"]), float(row["lon"]))
            assert found == row["country_code"], row["name"]
