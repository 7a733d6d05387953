"""The unit's relations beyond twinnings: organisations, press coverage and people abroad, through the import pipeline.

Templates in three languages, the consent rule, web links, home-city scopes and undo; on a
DuckDB file and on PostgreSQL.
"""

from __future__ import annotations

import pytest

from twinmap.ingest import batches, exporter, forms, importer
from twinmap.store import auth

pytestmark = pytest.mark.both_backends

NEW_TABLES = ("organisations", "coverage", "people_abroad")


def _city(con, name: str) -> int:
    return con.execute("SELECT id FROM cities WHERE name = ? AND country_code = 'IR'", [name]).fetchone()[0]


@pytest.mark.parametrize("table", NEW_TABLES)
def test_the_template_in_each_language_imports_and_reads_back_as_the_same_rows(con, table):
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    plan = importer.plan_import(con, exporter.template(table, "en"), f"{table}.csv", table)
    assert plan.ok, plan.errors
    batches.commit(con, plan, "tester")
    added = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
    assert added == len(exporter.template_frame(table)) > 0
    for lang in ("ru", "fa"):
        again = importer.plan_import(con, exporter.template(table, lang), f"{table}-{lang}.csv", table)
        assert again.ok and not again.has_changes, (lang, again.errors)  # the same rows, read back in that language


def test_a_person_abroad_without_consent_is_kept_without_contact_details_only(con):
    head = "home_city,home_country,name,country,consent,email,phone\n"
    refused = importer.plan_import(con, (head + "Sari,IR,Ali Rezaei,DE,no,ali@example.org,\n"
                                         "Sari,IR,Mina Karimi,CA,,,+1 555 0100\n").encode(), "p.csv", "people_abroad")  # fmt: skip
    assert [(p.row, p.column) for p in refused.errors] == [(2, "email"), (3, "phone")]
    assert "only with their consent" in refused.errors[0].reason
    kept = importer.plan_import(con, (head + "Sari,IR,Ali Rezaei,DE,no,,\n"
                                      "Sari,IR,Mina Karimi,CA,yes,mina@example.org,\n").encode(), "p.csv", "people_abroad")  # fmt: skip
    assert kept.ok, kept.errors


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "www.x.org"])
def test_a_coverage_link_that_is_not_http_is_refused(con, link):
    row = {**dict(exporter.TABLES["coverage"].examples[0]), "link": link}
    plan = importer.plan_import(con, forms.one_row("coverage", row), "c.csv", "coverage")
    assert [(p.row, p.column) for p in plan.errors] == [(2, "link")]


def test_a_scoped_editor_changes_and_reads_only_their_home_citys_relations(con):
    shiraz = _city(con, "Shiraz")
    auth.create_user(con, "clerk", "correct horse battery", "editor", homes=(shiraz,))
    sari_row = {**dict(exporter.TABLES["organisations"].examples[0])}
    plan = importer.plan_import(con, forms.one_row("organisations", sari_row), "o.csv", "organisations", writer="clerk")
    assert [p.column for p in plan.errors] == ["home_city"] and "outside your home cities" in plan.errors[0].reason
    own = {**sari_row, "home_city": "Shiraz", "name": "Shiraz in the network"}
    plan = importer.plan_import(con, forms.one_row("organisations", own), "o.csv", "organisations", writer="clerk")
    assert plan.ok, plan.errors
    batches.commit(con, plan, "clerk")
    seen = exporter.table_frame(con, "organisations", homes=(shiraz,))
    assert list(seen["name"]) == ["Shiraz in the network"]
    people = exporter.table_frame(con, "people_abroad", homes=(shiraz,))
    assert people.empty  # Sari's people abroad are not a Shiraz clerk's to read


def test_an_import_of_organisations_is_undone_exactly(con):
    before = con.execute("SELECT * FROM organisations ORDER BY id").fetchall()
    change = {**dict(exporter.TABLES["organisations"].examples[0]), "name": "Caspian Cities Tourism Network",
              "stage": "dormant", "kind": "network", "country": "AZ"}  # fmt: skip
    plan = importer.plan_import(con, forms.one_row("organisations", change), "o.csv", "organisations")
    assert plan.ok and plan.changed, plan.errors
    batch = batches.commit(con, plan, "tester")
    assert con.execute("SELECT stage FROM organisations WHERE name = 'Caspian Cities Tourism Network'").fetchone() == (
        "dormant",)  # fmt: skip
    batches.undo(con, batch, "tester")
    assert con.execute("SELECT * FROM organisations ORDER BY id").fetchall() == before


def _relations_as(role, name="leila"):
    from streamlit.testing.v1 import AppTest

    from .conftest import ROOT
    from .support import session_user

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["user"] = session_user(role, name)
    at.run()
    at.switch_page("pages/relations.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frames(at) -> dict[tuple[str, ...], object]:
    """The page's tables by their columns."""
    return {tuple(t.value.columns): t.value for t in at.dataframe}


def _with(at, column: str) -> list:
    return [frame for columns, frame in _frames(at).items() if column in columns]


def test_the_relations_page_shows_organisations_coverage_and_counts_people_abroad_for_viewers(app_env):
    viewer = _relations_as("viewer")
    assert viewer.title[0].value == "Relations beyond twinnings"
    orgs = next(f for f in _with(viewer, "Organisation") if "Stage" in f.columns)
    assert "Caspian Cities Tourism Network" in set(orgs["Organisation"])
    assert any("Sari delegation at Astrakhan city day" in set(f["Title"]) for f in _with(viewer, "Title"))
    assert ("Country", "People") in _frames(viewer)  # counts only, no names
    assert not _with(viewer, "Name") and "Demo Person" not in str([t.value for t in viewer.dataframe])
    editor = _relations_as("editor")
    assert "Demo Person" in set(_with(editor, "Name")[0]["Name"])  # staff of Sari see who


def test_the_relations_page_shows_what_is_due_one_organisations_work_and_the_work_per_goal(app_env):
    at = _relations_as("editor")
    due = _frames(at)[("Due", "Organisation", "What", "Detail")]
    assert list(due["What"]) == ["Follow-up action", "Call closes"]  # soonest first (shipped: 20 Dec, 20 Jan)
    pick = at.selectbox(key="relations_pick")
    pick.select_index(next(i for i, o in enumerate(pick.options) if o.startswith("Caspian Cities Tourism"))).run()
    work = _frames(at)[("Date", "Record", "Title", "Status")]
    assert set(work["Record"]) == {"Mission", "Follow-up action"}
    assert "Spring assembly of the Caspian Cities Tourism Network" in set(work["Title"])
    goals = _frames(at)[("Goal", "Events held", "Missions done", "Follow-ups done", "Press items", "Organisations",
                         "People abroad")]  # fmt: skip
    assert list(goals["Goal"])[:2] == ["Twinnings", "Missions abroad"] and len(goals) == 8
    countries = _frames(at)[("Country", "Press items", "Positive", "Neutral", "Negative")]
    shipped = {"Russia": 1, "Italy": 1, "Azerbaijan": 1}  # the shipped press items, one per outlet's country
    assert dict(zip(countries["Country"], countries["Press items"].astype(int), strict=True)) == shipped


def test_work_names_an_organisation_of_its_home_city_as_the_organisation_spells_it(con):
    head = "home_city,home_country,partner_city,partner_country,action,due_on,status,organisation\n"
    rows = ("Sari,IR,Astrakhan,RU,Pay the assembly dues,2027-01-10,open,caspian cities tourism NETWORK\n"
            "Sari,IR,Astrakhan,RU,Write to the network,2027-01-11,open,No Such Network\n")  # fmt: skip
    plan = importer.plan_import(con, (head + rows).encode(), "f.csv", "follow_ups")
    assert [(p.row, p.column) for p in plan.errors] == [(3, "organisation")]
    assert "is not an organisation of Sari" in plan.errors[0].reason
    plan = importer.plan_import(con, (head + rows.splitlines()[0] + "\n").encode(), "f.csv", "follow_ups")
    assert plan.ok, plan.errors
    batches.commit(con, plan, "tester")
    stored = con.execute("SELECT organisation FROM follow_ups WHERE action = 'Pay the assembly dues'").fetchone()
    assert stored == ("Caspian Cities Tourism Network",)


def test_an_organisation_of_another_home_city_is_not_one_to_name(con):
    shiraz = con.execute("SELECT home_city, home_country, partner_city, partner_country FROM (SELECT h.name AS "
                         "home_city, h.country_code AS home_country, c.name AS partner_city, c.country_code AS "
                         "partner_country FROM partnerships p JOIN cities h ON h.id = p.home_city_id JOIN cities c "
                         "ON c.id = p.partner_city_id WHERE h.name = 'Shiraz') LIMIT 1").fetchone()  # fmt: skip
    head = "home_city,home_country,partner_city,partner_country,action,due_on,status,organisation\n"
    row = ",".join(shiraz) + ",Join the network,2027-01-10,open,Caspian Cities Tourism Network\n"
    plan = importer.plan_import(con, (head + row).encode(), "f.csv", "follow_ups")
    assert [(p.row, p.column) for p in plan.errors] == [(2, "organisation")]
    assert "is not an organisation of Shiraz" in plan.errors[0].reason


def test_work_is_counted_per_goal_by_its_tags_else_its_organisation_else_its_kind(con):
    import datetime as dt

    from twinmap.reads import relations

    first, last = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    inside = relations.work_per_goal(con, None, first, last).set_index("goal")
    # The shipped 2026 mission to the network's assembly is tagged organisations;investment: not a plain mission
    assert inside.loc["organisations", "missions"] >= 1 and inside.loc["investment", "missions"] >= 1
    assert inside.loc["diaspora", "people_abroad"] == con.execute("SELECT count(*) FROM people_abroad").fetchone()[0]
    untagged = (
        "home_city,home_country,name,kind,country,stage\nSari,IR,Rasht Consulate of Azerbaijan,consulate,AZ,partner\n"
    )
    batches.commit(con, importer.plan_import(con, untagged.encode(), "o.csv", "organisations"), "tester")
    again = relations.work_per_goal(con, None, first, last).set_index("goal")
    assert again.loc["neighbours", "organisations"] == inside.loc["neighbours", "organisations"] + 1  # by its kind
    public = relations.work_per_goal(con, None, first, last, private=False)
    assert list(public.columns) == ["goal", "events", "coverage", "organisations"]  # no missions, actions, people
    talks = "home_city,home_country,name,kind,country,stage\nSari,IR,Quiet Fund,investor,AE,contact\n"
    batches.commit(con, importer.plan_import(con, talks.encode(), "o.csv", "organisations"), "tester")
    assert relations.work_per_goal(con, None, first, last, private=False).equals(public)  # talks stay inside


def test_a_fee_falling_due_is_in_the_digest_and_on_the_overview(con, app_env):
    import datetime as dt

    from twinmap.ingest import seed
    from twinmap.reads import digest as digests
    from twinmap.views import digest_mail as mails
    from twinmap.views.i18n import Translator

    from .conftest import TODAY

    due = (TODAY + dt.timedelta(days=10)).isoformat()
    row = {**dict(exporter.TABLES["organisations"].examples[0]), "fee_due_on": due}
    app_store = seed.connect(str(app_env))
    try:
        for store in (con, app_store):
            plan = importer.plan_import(store, forms.one_row("organisations", row), "o.csv", "organisations")
            batches.commit(store, plan, "tester")
    finally:
        app_store.close()
    found = digests.gather(con, TODAY, set())
    assert list(found.organisations_due["organisation"]) == ["United Cities and Local Governments"]
    said = dict(mails.parts(found, Translator()))
    assert any("United Cities and Local Governments: fee due" in line
               for line in said["Due with organisations within 30 days"])  # fmt: skip
    at = _relations_as("editor")
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    frames = {t.value.columns[0]: t.value for t in at.dataframe}
    assert "United Cities and Local Governments" in set(frames["Organisation"]["Organisation"])


def test_the_organisations_map_places_only_known_seats_and_escapes_names(con):
    from twinmap.reads import relations
    from twinmap.views import maps

    rows = (b"home_city,home_country,name,kind,country,city,stage\n"
            b"Sari,IR,<script>alert(1)</script> Fund,investor,AE,Dubai,partner\n"
            b"Sari,IR,Nowhere Society,ngo,FR,,member\n")  # fmt: skip
    batches.commit(con, importer.plan_import(con, rows, "o.csv", "organisations"), "tester")
    found = relations.organisations(con, None)
    placed = maps.organisation_seats(found)
    assert "Nowhere Society" not in set(placed["name"])  # no seat: the table only, never a guessed point
    dubai = placed[placed["city"] == "Dubai"].iloc[0]
    assert 24 < dubai["lat"] < 26 and 54 < dubai["lon"] < 56
    page = maps.to_html(maps.organisations_map(placed))
    assert "<script>alert(1)" not in page and "\\u0026lt;script\\u0026gt;alert(1)" in page  # text, escaped
    assert maps.to_html(maps.organisations_map(placed.iloc[0:0]))  # none placed: an empty map, not an error


def test_the_work_of_a_partnership_in_talks_is_for_staff_only(con):
    from twinmap.core import reference
    from twinmap.reads import relations

    talks = sorted(reference.PRIVATE_STATUSES)[0]
    con.execute("UPDATE partnerships SET status = ? WHERE id = (SELECT partnership_id FROM follow_ups "
                "WHERE organisation IS NOT NULL LIMIT 1)", [talks])  # fmt: skip
    staff = relations.work(con, None)
    others = relations.work(con, None, private=False)
    assert "follow_ups" in set(staff["record"]) and "follow_ups" not in set(others["record"])
    assert "missions" in set(others["record"])  # a mission for no partnership is no partnership's secret


def test_organisations_in_one_city_share_one_dot_that_names_them_all():
    import pandas as pd

    from twinmap.views import maps

    frame = pd.DataFrame({"name": [f"Body {i}" for i in range(7)] + ["Lone Fund"],
                          "kind": ["ngo"] * 6 + ["network", "investor"], "stage": "member",
                          "city": ["Geneva"] * 7 + ["Dubai"], "country_code": ["CH"] * 7 + ["AE"],
                          "lat": [46.2] * 7 + [25.2], "lon": [6.15] * 7 + [55.3]})  # fmt: skip
    page = maps.to_html(maps.organisations_map(frame))
    assert page.count('"tooltip": "Geneva') == 1 and page.count('"tooltip": "Dubai') == 1
    assert "Geneva (Switzerland): Body 0, Body 1, Body 2, Body 3, Body 4 and 2 more" in page
    assert maps.SEVERAL_KINDS in page and "Several kinds" in page  # Geneva holds NGOs and a network
