"""Cities as places: namesakes kept apart by coordinates or region, pair lists as lists write them."""

from pathlib import Path

import pytest

from twinmap.ingest import batches, importer

FIXTURES = Path(__file__).parent / "fixtures"
TIES = "city,country,lat,lon,other_city,other_country\n"
# Two San Juans of Argentina: the provincial capital (in the gazetteer) and a town 600 km north
# that only the file knows; and the Springfields of Illinois and Massachusetts.
SAN_JUAN = (-31.54, -68.53)
NORTHERN_SAN_JUAN = (-26.80, -65.20)
SPRINGFIELD_IL, SPRINGFIELD_MA = (39.80, -89.64), (42.10, -72.59)


def _plan(con, text: str, table: str = "ties"):
    return importer.plan_import(con, text.encode(), "list.csv", table)


def _commit(con, text: str, table: str = "ties"):
    plan = _plan(con, text, table)
    assert plan.ok, [p.text("list.csv") for p in plan.errors]
    batches.commit(con, plan, "tester")
    return plan


def _cities(con, name: str, country: str) -> list[tuple]:
    sql = "SELECT id, round(lat, 1), round(lon, 1), region FROM cities WHERE name = ? AND country_code = ? ORDER BY id"
    return con.execute(sql, [name, country]).fetchall()


def test_two_san_juans_of_one_country_are_two_cities_and_pages_tell_them_apart(con):
    text = (TIES + f"San Juan,AR,{SAN_JUAN[0]},{SAN_JUAN[1]},Sari,IR\n"
            f"San Juan,AR,{NORTHERN_SAN_JUAN[0]},{NORTHERN_SAN_JUAN[1]},Astrakhan,RU\n")  # fmt: skip
    plan = _commit(con, text)
    assert plan.new_count == 2
    assert any("already known in AR: added as another city" in w.reason for w in plan.warnings)
    held = _cities(con, "San Juan", "AR")
    assert [(lat, lon) for _, lat, lon, _ in held] == [(-31.5, -68.5), (-26.8, -65.2)]
    labels = sorted(
        n for (n,) in con.execute("SELECT name FROM city_names WHERE id IN (?, ?)", [held[0][0], held[1][0]]).fetchall()
    )
    assert labels[0] != labels[1] and all(n.startswith(("San Juan (", "San Juan, ")) for n in labels)
    ties = con.execute("SELECT count(*) FROM ties WHERE city_id IN (?, ?)", [held[0][0], held[1][0]]).fetchone()[0]
    assert ties == 2
    again = _plan(con, text)  # the same list again: each row finds its own San Juan
    assert again.ok and again.new_count == 0 and again.unchanged == 2 and again.new_cities == []


def test_a_row_without_coordinates_naming_two_held_namesakes_is_asked_which(con):
    _commit(con, TIES + f"San Juan,AR,{SAN_JUAN[0]},{SAN_JUAN[1]},Sari,IR\n"
                 f"San Juan,AR,{NORTHERN_SAN_JUAN[0]},{NORTHERN_SAN_JUAN[1]},Astrakhan,RU\n")  # fmt: skip
    plan = _plan(con, "city,country,other_city,other_country\nSan Juan,AR,Shiraz,IR\n")
    ((problem,),) = [plan.errors]
    assert (problem.row, problem.column) == (2, "city")
    assert (
        problem.reason.startswith("'San Juan' names 2 cities in AR (") and "coordinates or its region" in problem.reason
    )


def test_springfield_from_three_lists_with_and_without_coordinates(con):
    _commit(con, TIES + f"Springfield,US,{SPRINGFIELD_IL[0]},{SPRINGFIELD_IL[1]},Sari,IR\n")
    _commit(con, TIES + f"Springfield,US,{SPRINGFIELD_MA[0]},{SPRINGFIELD_MA[1]},Astrakhan,RU\n")
    held = {(lat, lon, region) for _, lat, lon, region in _cities(con, "Springfield", "US")}
    assert {(39.8, -89.6, "Illinois"), (42.1, -72.6, "Massachusetts")} <= held  # the gazetteer's, with their states
    assert len(held) >= 3  # the shipped ties hold Springfield, Ohio, too
    # The third list has no coordinates: the region in the country cell says which.
    plan = _commit(con, "city,country,other_city,other_country\nSpringfield,\"Massachusetts, United States\",Shiraz,IR\n"
                        "Springfield,\"Illinois, USA\",Shiraz,IR\n")  # fmt: skip
    assert plan.new_cities == [] and plan.new_count == 2
    sql = (
        "SELECT c.region FROM ties t JOIN cities c ON c.id = t.city_id JOIN cities o ON o.id = t.other_city_id "
        "WHERE o.name = 'Shiraz' AND c.name = 'Springfield' ORDER BY c.region"
    )
    assert [r for (r,) in con.execute(sql).fetchall()] == ["Illinois", "Massachusetts"]


def test_a_cities_file_holds_two_namesakes_far_apart_as_two_rows(con):
    text = ("name,country_code,lat,lon,region\nSan Juan,AR,-31.54,-68.53,San Juan\n"
            "San Juan,AR,-26.80,-65.20,Tucumán\n")  # fmt: skip
    plan = _commit(con, text, "cities")
    assert plan.new_count == 2 and plan.errors == []
    again = _plan(con, text.replace("Tucumán", "Tucumán Province"), "cities")
    assert again.ok and again.new_count == 0 and [c.after for c in again.changed] == [{"region": "Tucumán Province"}]


def test_a_pair_list_built_from_wikipedias_tables_imports_whole(crafted):
    """Rows as "List of twin towns" pages give them: UK nations, states, typos, territories, both directions."""
    data = (FIXTURES / "twin_towns_wikipedia.csv").read_bytes()
    plan = importer.plan_import(crafted, data, "twin_towns_wikipedia.csv", "ties")
    assert plan.errors == [], [p.text("list") for p in plan.errors]
    assert plan.new_count + plan.unchanged == plan.rows_read == 21
    assert any("rows 5, " in w.reason and "counted once" in w.reason for w in plan.warnings)  # San Pedro Sula back
    readings = [w.reason for w in plan.warnings if "was read as" in w.reason]
    assert any("'Grece' was read as GR" in r for r in readings)
    assert any("'Northern Cyprus' was read as CY" in r for r in readings)
    batches.commit(crafted, plan, "tester")
    sql = """SELECT DISTINCT c.name, c.country_code FROM ties t JOIN cities c ON c.id IN (t.city_id, t.other_city_id)"""
    held = set(crafted.execute(sql).fetchall())
    expected = {("Cambridge", "GB"), ("Cambridge", "US"), ("Glasgow", "GB"), ("Cardiff", "GB"), ("Belfast", "GB"),
                ("Saint-Denis", "RE"), ("Potsdam", "DE"), ("Thessaloniki", "GR"), ("Antananarivo", "MG"),
                ("Almaty", "KZ"), ("Sarajevo", "BA"), ("Nicosia", "CY"), ("Pristina", "XK"), ("Ramallah", "PS"),
                ("Laayoune", "EH")}  # fmt: skip
    assert expected <= held, expected - held


def test_a_country_cell_naming_two_close_countries_is_refused_with_both(con):
    plan = _plan(con, "city,country,other_city,other_country\nSydney,Austrlia,Sari,IR\n")
    assert [(p.row, p.column, p.reason) for p in plan.errors] == [
        (2, "country", "'Austrlia' is not a country; it is as close to AT, AU: write which one")
    ]


@pytest.mark.parametrize("text", ["city,country,other_city,other_country\nSari,IR,Astrakhan,RU\n"])
def test_a_tie_of_two_held_cities_the_other_way_round_of_a_held_tie_is_unchanged(con, text):
    _commit(con, text)
    plan = _plan(con, "city,country,other_city,other_country\nAstrakhan,RU,Sari,IR\n")
    assert plan.ok and plan.new_count == 0 and plan.unchanged == 1


def test_rows_naming_one_unknown_city_alike_each_get_its_problem_once(con):
    text = "city,country,other_city,other_country\n" + "Nowhereville,IR,Sari,IR\n" * 50
    plan = _plan(con, text)
    assert [p.row for p in plan.errors] == list(range(2, 52))  # one problem a row, not one per earlier row


def test_a_partnership_side_naming_two_partnered_namesakes_is_settled_by_the_partnership_they_make(con):
    # Two Springfields, each a partner of another home city; an event names only "Springfield, US".
    _commit(con, "home_city,home_country,partner_city,partner_country,partner_lat,partner_lon,kind,status\n"
                 f"Sari,IR,Springfield,US,{SPRINGFIELD_IL[0]},{SPRINGFIELD_IL[1]},sister_city,active\n"
                 f"Shiraz,IR,Springfield,US,{SPRINGFIELD_MA[0]},{SPRINGFIELD_MA[1]},sister_city,active\n",
            "partnerships")  # fmt: skip
    head = "home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n"
    plan = _plan(con, head + "Shiraz,IR,Springfield,US,festival,Spring days,2026-05-01,planned\n", "events")
    assert plan.ok, plan.errors
    (pid,) = {r["partnership_id"] for r in plan.new}
    region = con.execute("SELECT c.region FROM partnerships p JOIN cities c ON c.id = p.partner_city_id "
                         "WHERE p.id = ?", [pid]).fetchone()[0]  # fmt: skip
    assert region == "Massachusetts"
    plan = _plan(con, head + "Chalus,IR,Springfield,US,festival,Spring days,2026-05-01,planned\n", "events")
    assert [p.column for p in plan.errors] == ["partner_city"] and "names 2 cities in US" in plan.errors[0].reason


def test_a_wikidata_or_geonames_id_says_which_city_before_its_name_does(con):
    text = ("city,country,lat,lon,wikidata,other_city,other_country,other_geonameid\n"
            "Halle,DE,51.48,11.97,http://www.wikidata.org/entity/Q2814,Springfield,US,4951788\n")  # fmt: skip
    plan = _commit(con, text)
    ((halle,),) = {(r["city_id"],) for r in plan.new}
    assert con.execute("SELECT wikidata FROM cities WHERE id = ?", [halle]).fetchone()[0] == "Q2814"
    springfield = con.execute("SELECT region FROM cities WHERE geonameid = 4951788").fetchone()[0]
    assert springfield == "Massachusetts"  # the gazetteer's city of that id, not the largest Springfield
    # Another list spells it "Halle (Saale)", without coordinates: its Wikidata id finds it.
    again = _plan(con, "city,country,wikidata,other_city,other_country\nHalle (Saale),DE,Q2814,Sari,IR\n")
    assert again.ok and again.new_cities == [] and again.new[0]["city_id"] == halle
    bad = _plan(con, "city,country,wikidata,other_city,other_country\nHalle,DE,Wikipedia,Sari,IR\n")
    assert [(p.column, p.reason) for p in bad.errors] == [
        ("wikidata", "'Wikipedia' is not a Wikidata id (Q and digits, e.g. Q1234)")
    ]


def test_a_town_of_a_territory_without_an_iso_code_is_added_in_its_iso_country(crafted):
    # Natural Earth draws Somaliland apart from Somalia (and without a code); ISO places it in SO.
    plan = _plan(crafted, TIES + "Qoorlugud,Somaliland,9.9,45.0,Hargeisa,Somaliland\n")
    assert plan.ok, plan.errors
    assert {(c["name"], c["country_code"]) for c in plan.new_cities} >= {("Qoorlugud", "SO")}
    assert any("'Somaliland' was read as SO" in w.reason for w in plan.warnings)
