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


def test_the_relations_page_shows_organisations_coverage_and_counts_people_abroad_for_viewers(app_env):
    viewer = _relations_as("viewer")
    assert viewer.title[0].value == "Relations beyond twinnings"
    tables = [t.value for t in viewer.dataframe]
    assert "Caspian Cities Tourism Network" in set(tables[0]["Organisation"])
    assert "Sari delegation at Astrakhan city day" in set(tables[1]["Title"])
    assert list(tables[2].columns) == ["Country", "People"] and len(tables) == 3  # counts only, no names
    assert "Demo Person" not in str(tables)
    editor = _relations_as("editor")
    assert "Demo Person" in set(editor.dataframe[3].value["Name"])  # staff of Sari see who


def test_a_fee_falling_due_is_in_the_digest_and_on_the_overview(con, app_env):
    import datetime as dt

    from twinmap.ingest import seed
    from twinmap.reads import digest as digests
    from twinmap.views import digest as mails
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
    assert list(found.fees_due["name"]) == ["United Cities and Local Governments"]
    said = dict(mails.parts(found, Translator()))
    assert any("United Cities and Local Governments: fee due" in line
               for line in said["Organisations' fees due within 30 days"])  # fmt: skip
    at = _relations_as("editor")
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    frames = {t.value.columns[0]: t.value for t in at.dataframe}
    assert "United Cities and Local Governments" in set(frames["Organisation"]["Organisation"])
