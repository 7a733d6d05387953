"""The import corpus: each awkward or broken file and exactly what must come of it."""

import pytest

from twinmap.core import dates
from twinmap.ingest import batches, forms, importer, readers
from twinmap.ingest.specs import TABLES
from twinmap.views import previews

from .conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "import"


def _plan(con, name, table):
    return importer.plan_import(con, (CORPUS / name).read_bytes(), name, table)


# file, table, encoding read, (inserted, updated, cities created)
GOOD = [
    ("cities_utf8.csv", "cities", "UTF-8", (2, 0, 0)),
    ("cities_utf8_bom_semicolon.csv", "cities", "UTF-8 (with BOM)", (0, 1, 0)),
    # The shipped Wikidata ties already hold these cities (the demo story: counts change with its data).
    ("cities_utf16_tab.csv", "cities", "UTF-16", (0, 1, 0)),
    ("cities_cp1251_semicolon.csv", "cities", "Windows-1251 (Cyrillic)", (0, 1, 0)),  # Kazan exists and is unchanged
    ("partnerships_cp1256_jalali.csv", "partnerships", "Windows-1256 (Persian/Arabic)", (1, 0, 0)),
    ("events_fa_digits_utf8.csv", "events", "UTF-8", (1, 0, 0)),
    ("events_ddmmyyyy.csv", "events", "UTF-8", (1, 0, 0)),
    ("events_partial_dates.csv", "events", "UTF-8", (2, 0, 0)),
    ("events_persian.xlsx", "events", "Excel workbook", (1, 0, 0)),
    ("events_extra_column.csv", "events", "UTF-8", (1, 0, 0)),
    ("events_xss.csv", "events", "UTF-8", (1, 0, 0)),
    ("events_formula.csv", "events", "UTF-8", (1, 0, 0)),
]


@pytest.mark.parametrize(("name", "table", "encoding", "counts"), GOOD)
def test_awkward_but_valid_files_import(con, name, table, encoding, counts):
    plan = _plan(con, name, table)
    assert plan.errors == []
    assert plan.encoding == encoding
    assert (len(plan.new), len(plan.changed), len(plan.new_cities)) == counts
    assert batches.commit(con, plan, "tester") is not None


# file, table, (row, column, start of the reason)
BAD = [
    ("events_missing_column.csv", "events", (1, "title", "the required column title is missing")),
    (
        "events_bad_status.csv",
        "events",
        (2, "status", "'postponed' is not one of: planned, confirmed, held, cancelled"),
    ),
    ("events_end_before_start.csv", "events", (2, "ends_on", "the event ends before it starts")),
    ("events_unknown_partnership.csv", "events", (2, "partner_city", "there is no partnership Sari–Kazan")),
    ("events_duplicate_rows.csv", "events", (3, "", "the same row (partnership_id, title, starts_on) as row 2")),
    ("events_bad_date.csv", "events", (2, "starts_on", "'31.02.2027' is not a real date")),
    (
        "partnerships_typo_city.csv",
        "partnerships",
        (2, "partner_city", "no city 'Astrakhna' in RU in the database or the gazetteer; did you mean 'Astrakhan'"),
    ),
    ("cities_lat_out_of_range.csv", "cities", (2, "lat", "123.4 is above the largest allowed value, 90")),
    ("indicators_bad_number.csv", "indicators", (2, "value", "'lots' is not a number")),
    ("header_only.csv", "events", (None, "", "the file has a header but no rows")),
    ("empty.csv", "events", (None, "", "the file is empty")),
    ("binary.csv", "events", (None, "", "this is not a text (CSV) file")),
]


@pytest.mark.parametrize(("name", "table", "expected"), BAD)
def test_broken_files_say_row_column_and_why_and_change_nothing(con, name, table, expected):
    version = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    plan = _plan(con, name, table)
    row, column, reason = expected
    assert [(p.row, p.column) for p in plan.errors] == [(row, column)]
    assert plan.errors[0].reason.startswith(reason), plan.errors[0].reason
    with pytest.raises(batches.ImportRejected):
        batches.commit(con, plan, "tester")
    assert con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone() == version


def test_an_oversize_file_is_refused_before_parsing(con):
    data = b"name,country_code\n" + b"x" * (readers.MAX_BYTES + 1)
    plan = importer.plan_import(con, data, "huge.csv", "cities")
    limit = readers.MAX_BYTES // (1024 * 1024)
    assert plan.errors[0].reason.startswith(
        f"the file is {(readers.MAX_BYTES + 19) / 1e6:.1f} MB; files over {limit} MB"
    )
    assert plan.rows_read == 0


def test_a_persian_excel_file_keeps_jalali_months_and_fills_the_new_city(con):
    plan = _plan(con, "partnerships_cp1256_jalali.csv", "partnerships")
    batches.commit(con, plan, "tester")
    row = con.execute(
        """SELECT c.name, c.lat, p.signed_on, p.signed_precision, p.purpose FROM partnerships p
           JOIN cities c ON c.id = p.partner_city_id WHERE c.name = 'Kutaisi'"""
    ).fetchone()
    assert row[0] == "Kutaisi" and row[1] == pytest.approx(42.27, abs=0.01)  # coordinates from the gazetteer
    assert dates.from_db(row[2], row[3]).display("jalali") == "Mehr 1402"
    assert row[4] == "همکاري در گردشگري و فرهنگ"


def test_persian_digits_and_an_excel_workbook_import_as_dates_and_numbers(con):
    for name in ("events_fa_digits_utf8.csv", "events_persian.xlsx"):
        batches.commit(con, _plan(con, name, "events"), "tester")
    rows = dict(
        con.execute(
            "SELECT title, starts_on FROM events WHERE title LIKE '%گردشگری ساحلی' OR title = 'جشنواره فرهنگی'"
        ).fetchall()
    )
    assert str(rows["جشنواره فرهنگی"]) == "2027-06-05"
    seminar = con.execute(
        "SELECT starts_precision, participants FROM events WHERE title = 'سمینار گردشگری ساحلی'"
    ).fetchone()
    assert seminar == ("jmonth", 120)


def test_partial_dates_keep_their_precision(con):
    batches.commit(con, _plan(con, "events_partial_dates.csv", "events"), "tester")
    got = con.execute(
        "SELECT title, starts_precision FROM events WHERE title IN ('Tourism forum', 'Youth camp') ORDER BY 1"
    ).fetchall()
    assert got == [("Tourism forum", "month"), ("Youth camp", "year")]


def test_another_spelling_of_a_known_city_is_that_city(con):
    data = b"home_city,home_country,partner_city,partner_country,kind,status\nSari,IR,Astrakan,RU,sister_city,active\n"
    plan = importer.plan_import(con, data, "p.csv", "partnerships")
    assert plan.errors == [] and plan.new_cities == []
    assert [c.after for c in plan.changed] == [{"status": "active"}]


def test_extra_columns_are_reported_not_dropped_silently(con):
    plan = _plan(con, "events_extra_column.csv", "events")
    assert [w.reason for w in plan.warnings] == [
        "column 'budget_note' is not part of the events template and was not imported"
    ]


def test_reuploading_the_same_file_changes_nothing(con):
    first = _plan(con, "events_ddmmyyyy.csv", "events")
    assert batches.commit(con, first, "tester") is not None
    again = _plan(con, "events_ddmmyyyy.csv", "events")
    assert (len(again.new), len(again.changed), again.unchanged) == (0, 0, 1)
    assert batches.commit(con, again, "tester") is None


def test_a_changed_row_shows_old_and_new_values(con):
    plan = _plan(con, "cities_utf8_bom_semicolon.csv", "cities")
    (change,) = plan.changed
    assert change.after == {"population": 309820}
    assert change.before["population"] == 255396


def test_a_stale_preview_is_refused(con):
    plan = _plan(con, "events_ddmmyyyy.csv", "events")
    batches.commit(con, _plan(con, "events_ddmmyyyy.csv", "events"), "someone else")
    with pytest.raises(batches.StalePreview):
        batches.commit(con, plan, "tester")


def test_the_report_lists_counts_and_every_error(con):
    report = _plan(con, "events_bad_status.csv", "events").report("rejected")
    assert report["status"] == "rejected" and report["rows_read"] == 1
    assert report["errors"] == [
        {"row": 2, "column": "status", "reason": "'postponed' is not one of: planned, confirmed, held, cancelled"}
    ]


def test_problems_read_in_the_staff_members_language(con):
    from twinmap.views.i18n import Translator

    plan = _plan(con, "events_end_before_start.csv", "events")
    fa = previews.plan_tables(plan, Translator("fa"))["problems"]
    ru = previews.plan_tables(plan, Translator("ru"))["problems"]
    assert fa.iloc[0]["مشکل"] == "رویداد پیش از شروع پایان می‌یابد"
    assert ru.iloc[0]["Проблема"] == "мероприятие заканчивается раньше, чем начинается"


def _plan_text(con, text, table):
    return importer.plan_import(con, text.encode(), "f.csv", table)


EVENT_HEAD = "home_city,home_country,partner_city,partner_country,kind,title,starts_on,status,participants,"


def test_participants_by_country_are_read_in_any_language_and_checked_against_the_total(con):
    plan = _plan_text(
        con,
        EVENT_HEAD + "participants_female,participants_male,participants_by_country\n"
        'Sari,IR,Astrakhan,RU,festival,A,2026-06-01,held,30,12,18,"Iran: 20; Россия: 10"\n'
        "Sari,IR,Astrakhan,RU,festival,B,2026-06-02,held,10,8,8,\n"
        "Sari,IR,Astrakhan,RU,festival,C,2026-06-03,held,10,,,IR:8;RU:5\n"
        "Sari,IR,Astrakhan,RU,festival,D,2026-06-04,held,10,,,IR-8\n",
        "events",
    )
    assert [r["participants_by_country"] for r in plan.new] == ["IR:20;RU:10"]
    reasons = {(p.row, p.column): p.reason for p in plan.errors}
    assert reasons == {
        (3, "participants_female"): "women and men add up to 16, more than the 10 participants",
        (4, "participants_by_country"): "the countries add up to 13, more than the 10 participants",
        (5, "participants_by_country"): "'IR-8' is not country:number (e.g. IR:20; RU:15)",
    }


def test_a_done_follow_up_needs_its_date_and_a_mission_half_naming_a_partnership_is_refused(con):
    plan = _plan_text(
        con,
        "home_city,home_country,partner_city,partner_country,action,due_on,status,done_on\n"
        "Sari,IR,Astrakhan,RU,Send the letter,2026-01-01,done,\n",
        "follow_ups",
    )
    assert [(p.row, p.column, p.reason) for p in plan.errors] == [
        (2, "done_on", "a done action needs the date it was done")
    ]
    plan = _plan_text(
        con,
        "title,destination,destination_country,starts_on,status,home_city,home_country\n"
        "Trip,Tbilisi,GE,2026-12-01,planned,Sari,IR\n",
        "missions",
    )
    assert [(p.row, p.column, p.reason) for p in plan.errors] == [(2, "partner_city", "a value is required")]


LIMITED = [
    (spec.name, col.name, col.low, col.high)
    for spec in TABLES.values()
    for col in spec.columns
    if col.low is not None or col.high is not None
]


@pytest.mark.parametrize(("table", "column", "low", "high"), LIMITED)
def test_numbers_beyond_a_columns_limits_are_refused_in_the_preview(con, table, column, low, high):
    example = TABLES[table].examples[0]
    for value, word in ((low - 1, "below"), (high * 10, "above")):
        plan = importer.plan_import(con, forms.one_row(table, {**example, column: value}), "f.csv", table)
        assert [(p.row, p.column) for p in plan.errors] == [(2, column)], plan.errors
        assert word in plan.errors[0].reason


def test_limits_fit_the_database_column_types(con):
    bounds = {"INTEGER": 2**31 - 1, "BIGINT": 2**63 - 1, "DOUBLE": 1.7e308}
    for spec in TABLES.values():
        types = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [spec.name]
        ).fetchall())  # fmt: skip
        for col in spec.columns:
            if col.kind in ("int", "float", "id") and col.stored:
                assert col.high is not None, f"{spec.name}.{col.name} has no upper limit"
                assert col.high <= bounds[types[col.db_column]], f"{spec.name}.{col.name} overflows its type"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400"])
def test_a_required_number_that_is_not_finite_is_refused_not_stored_as_nothing(con, value):
    example = TABLES["indicators"].examples[0]
    plan = importer.plan_import(con, forms.one_row("indicators", {**example, "value": value}), "f.csv", "indicators")
    assert [(p.row, p.column, p.reason) for p in plan.errors] == [(2, "value", f"{value!r} is not a number")]


def test_a_thousands_comma_is_stored_as_thousands_in_every_number_column(con):
    row = {**TABLES["events"].examples[0], "participants": "1,200", "budget": "1,500", "currency": "EUR"}
    plan = importer.plan_import(con, forms.one_row("events", row), "f.csv", "events")
    batches.commit(con, plan, "tester")
    assert con.execute("SELECT participants, budget FROM events WHERE title = ?", [row["title"]]).fetchone() == (
        1200,
        1500.0,
    )


@pytest.mark.parametrize("typed", ["SARI", "sari", "Sári"])
def test_a_city_typed_in_another_case_or_with_accents_is_the_city_we_hold(con, typed):
    plan = _plan_text(con, f"name,country_code\n{typed},ir\n", "cities")
    assert plan.errors == [] and plan.new == [] and plan.changed == [] and plan.unchanged == 1


def test_one_city_twice_in_a_file_in_two_cases_is_reported(con):
    plan = _plan_text(con, "name,country_code,lat,lon\nDupville,FR,45,3\nDUPVILLE,FR,45,3\n", "cities")
    assert [(p.row, p.reason[:14]) for p in plan.errors] == [(3, "the same row (")]


def test_a_store_that_already_holds_a_case_copy_resolves_names_to_the_first_city(con):
    with con.cursor() as cur:  # what the old importer could leave behind
        cur.execute("INSERT INTO cities (name, country_code, lat, lon) VALUES ('SARI', 'IR', 36.56, 53.06)")
    sari = con.execute("SELECT min(id) FROM cities WHERE name = 'Sari'").fetchone()[0]
    data = b"home_city,home_country,partner_city,partner_country,kind,status\nsari,IR,Astrakhan,RU,sister_city,active\n"
    plan = importer.plan_import(con, data, "p.csv", "partnerships")
    assert plan.errors == [] and [c.before["home_city_id"] for c in plan.changed] == [sari]


def test_a_city_found_through_its_cyrillic_name_is_stored_in_english_with_that_local_name(con):
    head = "home_city,home_country,partner_city,partner_country,kind,status\n"
    plan = _plan_text(con, head + "Sari,IR,Улан-Удэ,RU,sister_city,candidate\n", "partnerships")
    assert [(c["name"], c["local_name"]) for c in plan.new_cities] == [("Ulan-Ude", "Улан-Удэ")]
    batches.commit(con, plan, "tester")
    again = _plan_text(con, head + "Sari,IR,Ulan-Ude,RU,sister_city,candidate\n", "partnerships")
    assert again.errors == [] and again.new_cities == [] and again.unchanged == 1
    cities = _plan_text(con, "name,country_code\nУлан-Удэ,RU\n", "cities")
    assert cities.errors == [] and cities.new == [] and cities.unchanged == 1


def test_an_id_that_moves_a_row_onto_another_rows_key_is_refused_in_the_preview(con):
    astrakhan = con.execute("SELECT id FROM cities WHERE name = 'Astrakhan'").fetchone()[0]
    sari = con.execute("SELECT id FROM cities WHERE name = 'Sari'").fetchone()[0]
    plan = _plan_text(con, f"id,name,country_code,lat,lon\n{astrakhan},Sari,IR,36.5,53.0\n", "cities")
    assert [(p.row, p.column) for p in plan.errors] == [(2, "id")]
    assert plan.errors[0].reason == (
        f"row id {astrakhan} would take the name, country_code of the row with id {sari}: they would be the same row"
    )


def test_a_pair_held_the_other_way_round_is_reported_not_added(crafted):
    head = "home_city,home_country,partner_city,partner_country,kind,status\n"
    plan = _plan_text(crafted, head + "Gamma,RU,Alpha,IR,sister_city,active\n", "partnerships")
    gamma = crafted.execute("SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id "
                            "WHERE c.name = 'Gamma'").fetchone()[0]  # fmt: skip
    assert [(p.row, p.reason) for p in plan.errors] == [
        (2, f"this pair is already held the other way round (id {gamma}): change that row instead")
    ]


def test_one_partnership_twice_in_a_file_in_both_directions_is_reported(crafted):
    text = ("home_city,home_country,partner_city,partner_country,kind,status\n"
            "Delta,IT,Eta,GE,sister_city,signed\nEta,GE,Delta,IT,sister_city,signed\n")  # fmt: skip
    plan = _plan_text(crafted, text, "partnerships")  # a partnership is directed: home and partner
    assert [(p.row, p.reason) for p in plan.errors] == [
        (3, "the same pair as row 2, the other way round: remove one of them")
    ]


def test_a_tie_in_both_directions_or_twice_in_a_list_is_one_tie(crafted):
    text = "city,country,other_city,other_country\nDelta,IT,Eta,GE\nEta,GE,Delta,IT\nDelta,IT,Eta,GE\n"
    plan = _plan_text(crafted, text, "ties")
    assert plan.errors == [] and plan.new_rows == [2] and plan.unchanged == 2
    assert "counted once" in plan.warnings[-1].reason and "rows 3, 4" in plan.warnings[-1].reason
    batches.commit(crafted, plan, "tester")
    again = _plan_text(crafted, "city,country,other_city,other_country\nEta,GE,Delta,IT\n", "ties")
    assert again.errors == [] and again.new_count == 0 and again.unchanged == 1  # held A–B: B–A is unchanged


def test_a_preview_reads_in_names_labels_and_the_readers_calendar_and_digits(crafted):
    from twinmap.views import previews
    from twinmap.views.i18n import Translator

    text = (
        "home_city,home_country,partner_city,partner_country,kind,status,signed_on,areas\n"
        "Alpha,IR,Gamma,RU,sister_city,dormant,1393/02,culture\n"
        "Beta,IR,Kutaisi,GE,friendship,signed,2024-05,youth;culture\n"
    )
    plan = _plan_text(crafted, text, "partnerships")
    en = previews.plan_tables(plan, Translator("en"))
    assert en["new"].to_dict("records") == [{"Row": "3", "home_city": "Beta", "partner_city": "Kutaisi",
        "kind": "Friendship agreement", "status": "Signed", "signed_on": "May 2024", "areas": "Youth, Culture"}]  # fmt: skip
    changes = {(r["What"], r["Column"]): (r["Old"], r["New"]) for r in en["changes"].to_dict("records")}
    assert changes[("Alpha – Gamma", "status")] == ("Active", "Dormant")
    assert changes[("Alpha – Gamma", "signed_on")] == ("May 2014", "April–May 2014")  # a Jalali month, not a day
    fa = previews.plan_tables(plan, Translator("fa", "jalali"))
    row = fa["new"].to_dict("records")[0]
    assert row["ردیف"] == "۳" and row["تاریخ امضا"] == "اردیبهشت–خرداد ۱۴۰۳" and row["زمینه ها"] == "جوانان، فرهنگ"
    assert fa["cities"].iloc[0]["کشور"] == "گرجستان"
