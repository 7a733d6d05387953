import csv

import pytest

from twinmap.core import config, geo


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
