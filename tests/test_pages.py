"""Every page under AppTest, on the crafted store (tests/fixtures/crafted.py): the figures a user would check.

The Data page's import tests use the shipped data, whose cities the import fixtures name.
"""

import re

import pytest
from streamlit.testing.v1 import AppTest

from twinmap.ingest import seed
from twinmap.ingest.specs import LOAD_ORDER
from twinmap.store import auth
from twinmap.ui.pages import KIOSK, PAGES, ROLES

from .conftest import ROOT
from .support import session_user, stored_user

# The shipped files are the store's first batches: an import made in a test is the one after them.
NEXT_BATCH = sum(len(seed.shipped_files(t)) for t in LOAD_ORDER) + 1


def _app(page: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "visitor")
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url)
def test_every_page_runs_for_every_role_that_may_open_it_and_refuses_every_other(crafted_env, page, role):
    at = _as(role)
    if page.allowed(auth.User("leila", role) if role else None):
        at.switch_page(page.path).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.title, "each page has a title"
    else:  # reachable by its URL (a shared link), it only says who may see it and shows nothing else
        at.switch_page(page.path).run()
        assert not at.exception
        assert [e.value for e in at.error] == [
            f"This page is for signed-in staff with the {page.role} role. Sign in on the Sign in page."
        ]
        assert not at.title and not at.dataframe and not at.main.markdown


def test_every_page_script_is_in_the_page_table():
    listed = {p.path for p in (*PAGES, KIOSK)}
    assert {f"pages/{f.name}" for f in (ROOT / "pages").glob("*.py")} == listed


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.both_backends
def test_overview_shows_the_headline_figures(crafted_env):
    at = _app()
    assert _metrics(at) == {
        "Signed partners": "5",  # the ended one is not a partner any more
        "Partner countries": "5",
        "Events in 2026": "3",
        "Upcoming events": "2",
        "Expiring within 12 months": "2",
    }
    assert list(at.dataframe[0].value["Event"]) == ["Youth camp", "Gamma visit"]


def test_choosing_a_home_city_shows_its_partner_count(crafted_env):
    at = _app()
    at.multiselect(key="home_ids").select(_city_id("Beta")).run()
    assert _metrics(at)["Signed partners"] == "2"  # Zeta and Eta; Iota's agreement has ended
    assert _metrics(at)["Partner countries"] == "2"


def test_a_long_list_of_home_cities_is_searched_first_and_keeps_what_is_chosen(crafted_env, monkeypatch):
    from twinmap.ui import widgets

    monkeypatch.setattr(widgets, "OPTIONS_SHOWN", 1)  # as if the association ran more home cities than a list shows
    at = _app()
    homes = at.multiselect(key="home_ids")
    assert homes.options == ["Alpha"]  # the first, by name; the search box finds the others
    at.text_input(key="home_find").input("bet").run()
    assert at.multiselect(key="home_ids").options == ["Beta"]
    at.multiselect(key="home_ids").select(_city_id("Beta")).run()
    assert _metrics(at)["Signed partners"] == "2"
    at.text_input(key="home_find").input("آلفا").run()  # the local name finds it too
    assert at.multiselect(key="home_ids").options == ["Beta", "Alpha"]  # what is chosen stays on offer
    assert at.multiselect(key="home_ids").value == [_city_id("Beta")] and _metrics(at)["Signed partners"] == "2"


def _city_id(name: str) -> int:
    from twinmap.ui import cache

    return cache.connection().execute("SELECT id FROM cities WHERE name = ?", [name]).fetchone()[0]


def _map_script(at: AppTest) -> str:
    (component,) = [el for el in at.get("component_instance") if "script" in el.proto.json_args]
    return component.proto.json_args


@pytest.mark.both_backends
def test_map_page_draws_one_point_per_partner_shown(crafted_env):
    at = _app("pages/map.py")
    assert "6 partnerships shown" in at.caption[0].value
    at.multiselect(key="map_status").select("dormant").run()
    assert "1 partnerships shown" in at.caption[0].value
    script = _map_script(at)
    assert "Epsilon" in script and "Gamma" not in script


def test_map_page_never_offers_private_stages(crafted_env):
    at = _app("pages/map.py")
    assert set(at.multiselect(key="map_status").options) == {"Signed", "Active", "Dormant", "Ended"}
    assert "Theta" not in _map_script(at)


@pytest.mark.both_backends
def test_timeline_counts_events_in_the_chosen_years(crafted_env):
    at = _app("pages/timeline.py")
    assert at.caption[0].value == "6 events of 6 partnerships, 2014–2027."
    at.select_slider(key="timeline_years_gregorian").set_value((2026, 2026)).run()
    assert at.caption[0].value == "4 events of 6 partnerships, 2026–2026."  # the cancelled show is listed too


def test_a_persian_reader_chooses_solar_hijri_years_in_persian_digits(crafted_env):
    at = _app("pages/timeline.py", lang="fa")
    slider = at.select_slider(key="timeline_years_jalali")
    assert slider.value == (1392, 1406) and "۱۳۹۲" in at.caption[0].value
    slider.set_value((1405, 1405)).run()  # 21 March 2026 to 20 March 2027
    assert at.caption[0].value.startswith("۴ رویداد")  # Feb 2026 seminar out, March 2027 visit in


@pytest.mark.both_backends
def test_tourism_compares_before_and_after_signing(crafted_env):
    at = _app("pages/tourism.py")
    table = at.dataframe[0].value.set_index("Partnership")
    assert list(table.index) == ["Alpha – Delta", "Alpha – Epsilon", "Alpha – Gamma"]  # Alpha's signed partners
    assert (
        table.loc["Alpha – Delta", "Estimate"]
        == "not enough data: visitors from the partner's country are not recorded"
    )
    assert table.loc["Alpha – Gamma", "Signed"] == "May 2014"
    assert table.loc["Alpha – Gamma", "From"] == "Russia"
    assert table.loc["Alpha – Gamma", "Change from the partner's country, %"] == "50.0"
    # only Russia and all foreign visitors are recorded, from a year before the signing: no estimate, and why
    assert table.loc["Alpha – Gamma", "Estimate"] == "not enough data: 12 of the 24 months before the signing recorded"
    assert table.columns[0] == "Estimate"  # beside the partnership, never scrolled out of sight


def _as(role: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = session_user(role)
    at.run()
    return at


def test_the_data_page_refuses_on_its_own_without_a_signed_in_editor(crafted_env):
    at = AppTest.from_file(str(ROOT / "pages/data.py"), default_timeout=60)
    at.session_state["user"] = None
    at.run()
    assert at.error[0].value.startswith("This page is for signed-in staff with the editor role")
    assert not at.file_uploader


@pytest.mark.both_backends
def test_an_editor_previews_then_commits_an_import(app_env):
    at = _as("editor")
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_table").set_value("events").run()
    data = (ROOT / "tests/fixtures/import/events_ddmmyyyy.csv").read_bytes()
    at.file_uploader(key="data_file").set_value(("events_ddmmyyyy.csv", data, "text/csv")).run()
    assert _metrics(at)["New"] == "1" and _metrics(at)["Rows read"] == "1"
    assert next(d.value for d in at.dataframe if "title" in d.value.columns)["title"].iloc[0] == "Chess match"
    at.button(key="data_commit").click().run()
    assert at.success[0].value.startswith(f"Committed as import #{NEXT_BATCH}")
    from twinmap.ui import cache

    assert cache.connection().execute("SELECT count(*) FROM events WHERE title = 'Chess match'").fetchone() == (1,)


def test_an_editor_sees_why_a_file_is_rejected(app_env):
    at = _as("editor")
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_table").set_value("events").run()
    data = (ROOT / "tests/fixtures/import/events_end_before_start.csv").read_bytes()
    at.file_uploader(key="data_file").set_value(("bad.csv", data, "text/csv")).run()
    assert at.error[0].value.startswith("Rejected: 1 problem. Nothing will change.")
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert problems.iloc[0].to_dict() == {"Row": "2", "Column": "ends_on", "Problem": "the event ends before it starts"}
    assert not [b for b in at.button if b.key == "data_commit"]


def test_staff_see_private_stages_on_the_map_visitors_do_not(crafted_env):
    visitor = _as(None)
    visitor.switch_page("pages/map.py").run()
    editor = _as("editor")
    editor.switch_page("pages/map.py").run()
    assert "Theta" not in _map_script(visitor)
    assert "Theta" in _map_script(editor)


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("pages/overview.py", "همکاری‌های خواهرخواندگی"),
        ("pages/map.py", "نقشه شهرهای همکار"),
        ("pages/timeline.py", "گاه‌شمار"),
        ("pages/tourism.py", "شاخص‌های گردشگری"),
    ],
)
def test_every_page_reads_in_persian(crafted_env, page, title):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "fa"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == title


def test_the_language_choice_survives_a_page_change(crafted_env):
    at = _app()
    at.selectbox(key="lang").set_value("ru").run()
    assert at.title[0].value == "Побратимские связи"
    at.switch_page("pages/timeline.py").run()
    assert at.title[0].value == "Хронология"


@pytest.mark.both_backends
def test_after_an_import_the_undo_offers_that_import_and_undoing_it_refreshes_the_history(app_env):
    at = _as("editor")
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_table").set_value("events").run()
    data = (ROOT / "tests/fixtures/import/events_ddmmyyyy.csv").read_bytes()
    at.file_uploader(key="data_file").set_value(("events_ddmmyyyy.csv", data, "text/csv")).run()
    at.button(key="data_commit").click().run()
    assert at.success[0].value.startswith(f"Committed as import #{NEXT_BATCH}")
    assert not [b for b in at.button if b.key == "data_commit"]  # no live commit button above what was done
    (undo_box,) = [s for s in at.selectbox if s.label == "Import to undo"]
    assert undo_box.value is None  # never one chosen for the reader
    assert undo_box.options[0].startswith(f"#{NEXT_BATCH} · Events · events_ddmmyyyy.csv")  # the newest first
    undo_box.set_value(NEXT_BATCH).run()
    from twinmap.views.labels import md_escape

    said = md_escape(f"Import #{NEXT_BATCH} of events_ddmmyyyy.csv into Events by leila")
    assert any(m.value.startswith(said) for m in at.markdown)
    (counted,) = [m.value for m in at.markdown if m.value.startswith("- Undo removes")]  # what, before confirming
    added = int(re.search(r"removes (\d+) rows? added to Events", counted)[1])
    (rows,) = [d.value for d in at.dataframe if "What undo does" in d.value.columns]  # a small import: its rows
    assert len(rows) == added and set(rows["What undo does"]) == {"removed"}
    assert any("Chess match" in r for r in rows["Row"])  # named as the reader knows the event
    next(s for s in at.checkbox if s.label.startswith("I want to undo")).check().run()
    at.button(key="data_undo").click().run()
    assert [m.value for m in at.success] == [md_escape(f"Import #{NEXT_BATCH} undone.")]
    (history,) = [d.value.set_index("Import") for d in at.dataframe if "Cities added" in d.value.columns]
    assert history.loc[f"#{NEXT_BATCH}", "Status"] == "Undone"
    assert history.loc[f"#{NEXT_BATCH}", "Undone"].endswith("· leila")
    last_shipped = f"#{NEXT_BATCH - 1}"
    assert history.loc[last_shipped, "Status"] == "Committed" and history.loc[last_shipped, "Undone"] == "—"
    (undo_box,) = [s for s in at.selectbox if s.label == "Import to undo"]
    assert undo_box.value is None and undo_box.options[0].startswith(
        f"{last_shipped} ·"
    )  # the newest import still committed
    assert not [s for s in at.checkbox if s.label.startswith("I want to undo")]  # nothing to confirm until chosen


def _hold(path):
    """Another process holding the store, as the command line does during an import."""
    import subprocess
    import sys
    import time

    code = f"import duckdb, time\ncon = duckdb.connect({str(path)!r})\nprint('held', flush=True)\ntime.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    time.sleep(0.2)
    return proc


@pytest.mark.parametrize("trouble", ["damaged", "busy"])
def test_a_damaged_or_busy_store_shows_a_clear_message_on_every_page_without_a_path(crafted_env, trouble):
    holder = None
    if trouble == "damaged":
        crafted_env.write_bytes(crafted_env.read_bytes()[:5000])
    else:
        holder = _hold(crafted_env)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = "ru"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        (message,) = at.error
        expected = {"damaged": "повреждён", "busy": "занята другой программой"}[trouble]
        assert expected in message.value
        shown = " ".join(str(e.value) for e in (*at.error, *at.markdown, *at.caption))
        assert str(crafted_env.parent) not in shown and "Traceback" not in shown
        kiosk = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        kiosk.query_params["kiosk"] = "1"
        kiosk.run()
        assert not kiosk.exception and not kiosk.error
        assert kiosk.title[0].value == "Our sister cities"  # a calm holding screen, tried again every slide
    finally:
        if holder:
            holder.kill()


PAIR_LIST = (
    b"city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
    b"Alpha,Iran,36.5,53.0,Kutaisi,Georgia,42.27,42.70\n"
    b"Weimar,Germany,50.98,11.33,Blois,France,47.59,1.33\n"
)


@pytest.mark.both_backends
def test_an_editor_maps_a_pair_list_and_commits_partnerships_and_ties(crafted_env):
    at = _as("editor")
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_table").set_value("partnerships").run()
    at.file_uploader(key="data_file").set_value(("pairs.csv", PAIR_LIST, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    (toggle,) = [t for t in at.toggle if t.label == "Map the file's columns to the template"]
    assert toggle.value  # the headers do not name the template's columns: mapping opens by itself
    labels = {s.label.replace("\\", ""): s.value for s in at.selectbox}  # labels are Markdown-escaped
    guesses = {label.split(" (e.g.")[0]: value for label, value in labels.items() if " (e.g. " in label}
    assert guesses["city1"] == "home_city" and guesses["lng2"] == "partner_lon"
    assert [s.value for s in at.subheader if s.value in ("Partnerships", "Other cities' ties")] == [
        "Partnerships", "Other cities' ties"]  # fmt: skip
    at.button(key="data_commit").click().run()
    assert [m.value[:22] for m in at.success] == ["Committed as import #1", "Committed as import #1"]
    from twinmap.ui import cache

    con = cache.connection()
    assert con.execute(
        "SELECT count(*) FROM ties t JOIN cities c ON c.id = t.city_id WHERE c.name = 'Weimar'"
    ).fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM partnerships p JOIN cities c ON c.id = p.partner_city_id "
                       "WHERE c.name = 'Kutaisi'").fetchone() == (1,)  # fmt: skip


def _beta_clerk(crafted_env) -> AppTest:
    """An editor limited to Beta: Alpha's private data is not theirs to read."""
    from twinmap.store import db

    con = db.connect(str(crafted_env))
    (beta,) = con.execute("SELECT id FROM cities WHERE name = 'Beta'").fetchone()
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = stored_user("clerk", "editor", homes=(beta,))
    at.run()
    return at


def _everything(at: AppTest) -> str:
    """All the text a page shows: headings, text, captions, tab labels and every table cell."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [t.label for t in at.tabs]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts)


def _pick(at: AppTest, store, partner: str) -> None:
    """Choose the register's partnership with this partner."""
    from twinmap.store import db

    con = db.connect(str(store))
    (pid,) = con.execute("SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id WHERE c.name = ?",
                         [partner]).fetchone()  # fmt: skip
    con.close()
    at.selectbox(key="register_pick").set_value(pid).run()


@pytest.mark.both_backends
def test_an_editor_limited_to_one_home_city_reads_no_other_citys_private_data(crafted_env):
    clerk = _beta_clerk(crafted_env)
    for path in ("pages/pipeline.py", "pages/overview.py", "pages/missions.py", "pages/timeline.py",
                 "pages/register.py", "pages/edit.py", "pages/network.py"):  # fmt: skip
        clerk.switch_page(path).run()
        assert not clerk.exception, (path, [e.value for e in clerk.exception])
        shown = _everything(clerk)
        for secret in ("Theta", "Secret talks", "Send a revival letter", "Plan the 2027 programme",
                       "Leila Karimi"):  # fmt: skip
            assert secret not in shown, (path, secret)
    clerk.switch_page("pages/register.py").run()
    _pick(clerk, crafted_env, "Gamma")
    tabs = [t.label for t in clerk.tabs]
    assert "Events" in tabs and "Contact persons" not in tabs and "Health" not in tabs
    _pick(clerk, crafted_env, "Zeta")
    assert {"Health", "Contact persons"} <= {t.label for t in clerk.tabs}  # their own city's, in full


def test_an_unlimited_editor_reads_every_home_citys_private_data(crafted_env):
    editor = _as("editor")
    editor.switch_page("pages/pipeline.py").run()
    assert "Alpha – Theta" in _everything(editor)
    editor.switch_page("pages/overview.py").run()
    assert "Send a revival letter" in _everything(editor)


def test_the_overview_offers_the_annual_report_public_to_visitors_and_internal_to_staff(crafted_env):
    visitor = _app()
    report = next(e for e in visitor.expander if e.label == "Annual report for the council (PDF)")
    assert [b.proto.label for b in report.get("download_button")] == ["Download the annual report"]
    assert not report.toggle and "public version" in report.caption[0].value
    assert report.selectbox[0].value == 2026 and report.selectbox[0].options[:2] == ["2026", "2025"]
    staff = _as("viewer")
    report = next(e for e in staff.expander if e.label == "Annual report for the council (PDF)")
    assert report.toggle[0].value is True and report.toggle[0].label.startswith("Internal version")
    persian = _app(lang="fa")
    report = next(e for e in persian.expander if e.label == "گزارش سالانه برای شورا (PDF)")
    assert report.selectbox[0].value == 1405 and report.selectbox[0].options[0] == "۱۴۰۵"


def test_the_register_table_follows_the_search_and_shows_an_edit_made_since(crafted_env):
    from twinmap.ingest import edits
    from twinmap.ui import cache

    at = _app("pages/register.py")
    everything = list(at.dataframe[0].value["Partnership"])
    assert len(everything) == 6
    at.text_input(key="register_search").input("Gamma").run()
    assert list(at.dataframe[0].value["Partnership"]) == ["Alpha – Gamma"]
    at.text_input(key="register_search").input("").run()
    assert list(at.dataframe[0].value["Partnership"]) == everything  # the same table again, not the last search's

    con = cache.connection()
    (pid,) = con.execute("SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id "
                         "WHERE c.name = 'Gamma'").fetchone()  # fmt: skip
    grid = edits.grid(con, "partnerships", [pid])
    save = edits.plan_save(con, grid, {0: {"valid_until": "2031-06-30"}}, [], [])
    assert save.ok, save.plan.errors
    edits.save(con, save, "editor1")
    at.run()
    table = at.dataframe[0].value.set_index("Partnership")
    assert table.loc["Alpha – Gamma", "Valid until"] == "30 Jun 2031"


def test_an_editor_opens_the_contacts_grid_of_a_partnership_with_none_and_adds_the_first(crafted_env):
    """The grid of no rows yet draws (text columns, not floats), and its first row saves as one batch."""
    from twinmap.ingest import edits
    from twinmap.store import db

    con = db.connect(str(crafted_env))
    (pid,) = con.execute("SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id "
                         "WHERE c.name = 'Delta'").fetchone()  # fmt: skip
    con.close()
    at = _as("editor")
    at.switch_page("pages/edit.py").run()
    at.selectbox(key="edit_table").set_value("contacts").run()
    at.multiselect(key="edit_partnerships").set_value([pid]).run()
    assert not at.exception, [e.value for e in at.exception]
    con = db.connect(str(crafted_env))
    opened = edits.grid(con, "contacts", edits.subset(con, "contacts", [pid]))
    assert opened.frame.empty and str(opened.frame["name"].dtype) == "string"
    keys = {"home_city": "Alpha", "home_country": "IR", "partner_city": "Delta", "partner_country": "IT"}
    save = edits.plan_save(con, opened, {}, [{"side": "partner", "name": "Giulia Rossi"}], [], defaults=keys)
    assert save.ok, [p.text("contacts") for p in save.plan.errors]
    assert edits.save(con, save, "leila")
    assert con.execute("SELECT count(*) FROM contacts WHERE name = 'Giulia Rossi'").fetchone()[0] == 1
    con.close()


def test_a_user_just_added_is_in_the_table_and_changing_a_user_starts_from_their_role(crafted_env):
    at = _as("admin")
    at.switch_page("pages/users.py").run()
    at.text_input(key="users_new_name").input("farid")
    at.selectbox(key="users_new_role").set_value("editor")
    next(b for b in at.button if b.label == "Add with a new password").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Added farid. Their password, shown only now:")
    shown = [set(d.value.iloc[:, 0]) for d in at.dataframe if "Role" in d.value.columns]
    assert any("farid" in names for names in shown)  # the table drawn after the add holds the new user
    at.selectbox(key="users_who").set_value("farid").run()
    assert at.selectbox(key="users_role_farid").value == "editor"  # their role, not the first of the list


@pytest.mark.parametrize(("lang", "offered"), [("en", True), ("ru", False), ("fa", False)])
def test_streamlits_untranslatable_select_all_is_offered_in_english_only(crafted_env, lang, offered):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = None
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/map.py").run()
    boxes = [m.proto for m in at.multiselect]
    assert boxes and all(bool(b.select_all) == offered for b in boxes), [(b.label, b.select_all) for b in boxes]
