"""Files nobody here wrote: column mapping, pair lists split into partnerships and ties, cities placed by coordinates."""

import pytest

from twinmap.ingest import batches, importer, mapping
from twinmap.ingest.mapping import Mapping

WIKIDATA = ["origincityLabel", "origincountry", "originlat", "originlong", "originpopulation", "sistercityLabel", "destinationlat", "destinationlong", "destinationpopulation", "destination_countryLabel", "dist", "eu"]  # fmt: skip
PAIRS = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]


def test_the_columns_of_the_wikidata_extract_are_guessed_as_ties():
    assert mapping.guess("ties", WIKIDATA) == {
        "origincityLabel": "city", "origincountry": "country", "originlat": "lat", "originlong": "lon",
        "originpopulation": "", "sistercityLabel": "other_city", "destinationlat": "other_lat",
        "destinationlong": "other_lon", "destinationpopulation": "", "destination_countryLabel": "other_country",
        "dist": "", "eu": "",
    }  # fmt: skip


def test_a_numbered_pair_list_is_guessed_as_partnerships_with_the_templates_example_kind_and_status():
    columns = mapping.guess("partnerships", PAIRS)
    assert columns == {"city1": "home_city", "country1": "home_country", "lat1": "home_lat", "lng1": "home_lon",
                       "city2": "partner_city", "country2": "partner_country", "lat2": "partner_lat",
                       "lng2": "partner_lon"}  # fmt: skip
    assert mapping.suggested_defaults("partnerships", columns) == {"kind": "sister_city", "status": "signed"}
    assert mapping.needs_mapping("partnerships", PAIRS) is True  # no kind or status: they come from defaults
    assert mapping.needs_mapping("ties", WIKIDATA) is False


def test_a_mapping_reads_back_from_its_json_and_refuses_unknown_columns():
    layout = Mapping("ties", {"a": "city", "b": "", "c": "other_city"}, {"source": "Wikidata"})
    assert Mapping.from_json(layout.to_json()) == layout
    with pytest.raises(mapping.MappingProblem, match="not columns of the ties template"):
        Mapping("ties", {"a": "town"})
    with pytest.raises(mapping.MappingProblem, match="not a mapping file"):
        Mapping.from_json("{not json")


def test_a_mapping_is_saved_under_a_name_and_found_again(crafted):
    layout = Mapping("ties", {"from": "city", "land": "country", "to": "other_city", "land2": "other_country"})
    mapping.save(crafted, "Partners' list", layout, "leila")
    assert mapping.load(crafted, "Partners' list") == layout
    assert list(mapping.saved(crafted, "ties")) == ["Partners' list"] and mapping.saved(crafted, "events") == {}
    with pytest.raises(mapping.MappingProblem, match="no mapping file or saved mapping"):
        mapping.load(crafted, "missing")


PAIR_FILE = (
    "city1,country1,lat1,lng1,city2,country2,lat2,lng2,note\n"
    "Alpha,Iran,36.5,53.0,Kutaisi,Georgia,42.27,42.70,ours on side 1\n"
    "Rasht,Iran,37.28,49.58,Beta,Iran,37.0,50.0,ours on side 2\n"
    "Weimar,Germany,50.98,11.33,Blois,France,47.59,1.33,neither\n"
    "Smallville,France,46.0,2.0,Gamma,Russia,46.3,48.0,a town the gazetteer does not know\n"
)


def _pairs(con, text=PAIR_FILE, side="either"):
    layout = Mapping("partnerships", {**mapping.guess("partnerships", PAIRS), "note": ""},
                     {"kind": "sister_city", "status": "signed"}, side)  # fmt: skip
    return importer.plan_pairs(con, text.encode(), "pairs.csv", layout)


def test_a_pair_list_becomes_partnerships_of_our_home_cities_and_ties_for_the_rest(crafted):
    ours, others = _pairs(crafted)
    assert ours.ok and others.ok, (ours.errors, others.errors)
    assert ours.new_rows == [2, 3] and others.new_rows == [4, 5]
    held = dict(crafted.execute("SELECT id, name FROM cities").fetchall())
    names = held | {c["id"]: c["name"] for c in ours.new_cities}
    pairs = [(names[r["home_city_id"]], names[r["partner_city_id"]]) for r in ours.new]
    assert pairs == [("Alpha", "Kutaisi"), ("Beta", "Rasht")]  # the second row turned round: Beta is ours
    assert "Smallville" in [c["name"] for c in others.new_cities]  # not in the gazetteer: where the file puts it
    for plan in (ours, others):
        assert batches.commit(crafted, plan, "leila") is not None
    assert crafted.execute("SELECT count(*) FROM ties").fetchone()[0] == 3


def test_with_a_fixed_home_side_a_row_with_our_city_on_the_other_side_is_a_tie(crafted):
    ours, others = _pairs(crafted, side="1")
    assert ours.new_rows == [2] and others.new_rows == [3, 4, 5]


def test_the_files_coordinates_pick_the_namesake_they_point_at(crafted):
    near_perth = "city,country,lat,lon,other_city,other_country\nPerth,AU,-31.95,115.86,Gamma,RU\n"
    scotland = "city,country,lat,lon,other_city,other_country\nPerth,GB,56.39,-3.43,Gamma,RU\n"
    for text, lat in ((near_perth, -31.95), (scotland, 56.39)):
        plan = importer.plan_import(crafted, text.encode(), "t.csv", "ties")
        assert plan.ok, plan.errors
        assert round(plan.new_cities[0]["lat"]) == round(lat)


def test_coordinates_outside_the_named_country_flag_the_row_and_a_far_namesake_is_another_city(crafted):
    def problems(text):
        plan = importer.plan_import(crafted, text.encode(), "t.csv", "ties")
        return [(p.row, p.column, p.reason) for p in plan.errors]

    head = "city,country,lat,lon,other_city,other_country\n"
    ((row, column, reason),) = problems(head + "Perth,GB,-31.95,115.86,Gamma,RU\n")  # Perth in Scotland?
    assert (row, column) == (2, "city") and reason.startswith("the file puts 'Perth'")
    assert "probably another city or another country" in reason
    ((row, column, reason),) = problems(head + "Subiaco,IT,-31.95,115.82,Gamma,RU\n")  # the Subiaco in Perth
    assert (row, column) == (2, "city") and reason.startswith("the file puts 'Subiaco'") and "km outside IT" in reason
    # The Gamma we hold is not there: a namesake of it, inside Russia, is another city (said so), not a problem.
    plan = importer.plan_import(crafted, (head + "Gamma,RU,55.75,37.62,Kappa,DE\n").encode(), "t.csv", "ties")
    assert plan.errors == [] and [(c["name"], c["lat"]) for c in plan.new_cities][:1] == [("Gamma", 55.75)]
    assert any("from the 'Gamma' already known in RU: added as another city" in w.reason for w in plan.warnings)
