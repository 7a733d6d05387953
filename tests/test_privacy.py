"""Private stays private: a filter that matched nothing reads nothing, and the store decides who reads, every run.

The crafted store gets private rows here (a follow-up, a mission, a target and a stage note of
partnerships still in talks; a home city whose only partnership is in talks), each with a word
no public row has, and every path a reader takes is searched for those words.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import twinmap.reads
from twinmap.ingest import batches, importer
from twinmap.reads import lifecycle, queries, report
from twinmap.store import auth, db

from .conftest import ROOT, TODAY
from .support import stored_user

SECRETS = ("SECRET-ACTION", "SECRET-TRIP", "SECRET-TARGET", "SECRET-NOTE", "OMEGA-ACTION", "GAMMA-NOTE")

EXTRA = {
    "cities": "name,country_code,lat,lon,population,timezone\nOmega,IR,35.0,51.0,90000,Asia/Tehran\n",
    "partnerships": "home_city,home_country,partner_city,partner_country,kind,status\n"
    "Omega,IR,Kappa,DE,sister_city,negotiating\n",
    "follow_ups": "home_city,home_country,partner_city,partner_country,action,due_on,status\n"
    "Alpha,IR,Theta,DE,SECRET-ACTION draft the memorandum,2026-06-01,open\n"
    "Omega,IR,Kappa,DE,OMEGA-ACTION send the letter,2026-07-01,open\n",
    "missions": "title,destination,destination_country,starts_on,status,home_city,home_country,partner_city,"
    "partner_country\nSECRET-TRIP to Theta,Theta,DE,2026-03-01,done,Alpha,IR,Theta,DE\n",
    "targets": "home_city,home_country,partner_city,partner_country,indicator,target_value,due_on,description\n"
    "Alpha,IR,Theta,DE,tourist_arrivals,10,2026,SECRET-TARGET visitors\n",
    "stages": "home_city,home_country,partner_city,partner_country,status,entered_on,note\n"
    "Alpha,IR,Theta,DE,analysis,2026-10-01,SECRET-NOTE the mayor hesitates\n"
    "Alpha,IR,Gamma,RU,signed,2014-05,GAMMA-NOTE what the delegation said in private\n",
}


def _add_private_rows(target: str) -> None:
    con = db.connect(target)
    try:
        for table, text in EXTRA.items():
            plan = importer.plan_import(con, text.encode(), f"{table}.csv", table)
            assert plan.ok, (table, [p.text(table) for p in plan.errors])
            batches.commit(con, plan, "tests", record_stages=False)
    finally:
        con.close()


@pytest.fixture
def private_env(crafted_env):
    """The app pointed at the crafted store with the private rows above."""
    _add_private_rows(str(crafted_env))
    return crafted_env


@pytest.fixture
def private_con(private_env):
    con = db.connect(str(private_env))
    yield con
    con.close()


def _city(con, name: str) -> int:
    return int(con.execute("SELECT id FROM cities WHERE name = ?", [name]).fetchone()[0])


def _text(frame: pd.DataFrame) -> str:
    return frame.to_csv()


def _reads_taking_partnership_ids():
    """Every function of twinmap.reads that takes ``partnership_ids``: each must read nothing for none."""
    for info in pkgutil.iter_modules(twinmap.reads.__path__):
        module = importlib.import_module(f"twinmap.reads.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            public = not name.startswith("_") and fn.__module__ == module.__name__
            if public and "partnership_ids" in inspect.signature(fn).parameters:
                yield f"{info.name}.{name}", fn


READS = dict(_reads_taking_partnership_ids())


def test_the_sweep_finds_the_lifecycle_reads():
    assert {"lifecycle.stages", "lifecycle.missions", "lifecycle.follow_ups", "lifecycle.targets"} <= set(READS)


@pytest.mark.parametrize("name", sorted(READS))
def test_a_read_given_no_partnership_reads_none(private_con, name):
    fn = READS[name]
    args = {"con": private_con, "today": TODAY}
    params = inspect.signature(fn).parameters
    frame = fn(**{k: v for k, v in args.items() if k in params}, partnership_ids=())
    assert len(frame) == 0, (name, frame.head())
    everything = fn(**{k: v for k, v in args.items() if k in params}, partnership_ids=None)
    assert len(everything) > 0, "None still means every partnership (the digest, an admin's command line)"


def test_a_filter_of_no_partnership_matches_none(private_con):
    f = queries.PartnershipFilter(partnership_ids=(), include_private=True)
    assert queries.partnerships(private_con, f, TODAY).empty
    assert queries.events(private_con, f).empty
    assert len(queries.partnerships(private_con, queries.PartnershipFilter(), TODAY)) == 6


def test_a_viewer_reads_a_signed_partnerships_stages_after_talks_only_and_no_notes(private_con):
    theta = private_con.execute(
        "SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id WHERE c.name = 'Theta'"
    ).fetchone()[0]
    gamma = private_con.execute(
        "SELECT p.id FROM partnerships p JOIN cities c ON c.id = p.partner_city_id WHERE c.name = 'Gamma'"
    ).fetchone()[0]
    seen = lifecycle.stages(private_con, (gamma, theta), private=False)
    assert set(seen["status"]) <= {"signed", "active"} and len(seen) >= 2
    assert seen["note"].isna().all()
    staff = lifecycle.stages(private_con, (gamma, theta))
    assert "GAMMA-NOTE" in _text(staff) and "SECRET-NOTE" in _text(staff)


def test_a_viewers_internal_report_has_no_mission_of_a_partnership_in_talks(private_con):
    year = report.gather(private_con, queries.PartnershipFilter(), 2026, "gregorian", TODAY, internal=True)
    assert "SECRET-TRIP" not in _text(year.missions)
    assert "SECRET-ACTION" not in _text(year.follow_ups) and "SECRET-TARGET" not in _text(year.targets)
    staff = report.gather(private_con, queries.PartnershipFilter(include_private=True), 2026, "gregorian", TODAY,
                          internal=True)  # fmt: skip
    assert "SECRET-TRIP" in _text(staff.missions)


def _page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts)


def _session(user: auth.User | None, homes: list[int] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"] = user
    if homes is not None:
        at.session_state["home_ids"] = homes
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


PAGES_WITH_PRIVATE = ("pages/overview.py", "pages/missions.py", "pages/register.py", "pages/pipeline.py")


@pytest.mark.both_backends
def test_a_scoped_editor_who_picks_another_home_city_reads_none_of_its_private_rows(private_env):
    con = db.connect(str(private_env))
    alpha, beta = _city(con, "Alpha"), _city(con, "Beta")
    con.close()
    clerk = _session(stored_user("clerk", "editor", homes=(beta,)), homes=[alpha])
    for path in PAGES_WITH_PRIVATE:
        clerk.switch_page(path).run()
        assert not clerk.exception, (path, [e.value for e in clerk.exception])
        shown = _page_text(clerk)
        assert not [s for s in SECRETS if s in shown], (path, [s for s in SECRETS if s in shown])


def test_two_editors_of_different_home_cities_on_one_server_each_read_only_their_own(private_env):
    """The pages' cache is shared by every session: what one city's editor was shown is never served to another's."""
    con = db.connect(str(private_env))
    alpha, beta = _city(con, "Alpha"), _city(con, "Beta")
    con.close()
    theirs = [s for s in SECRETS if s != "OMEGA-ACTION"]  # Alpha's private rows
    owner = _session(stored_user("alpha_clerk", "editor", homes=(alpha,)))
    other = _session(stored_user("beta_clerk", "editor", homes=(beta,)))
    seen = set()
    for path in PAGES_WITH_PRIVATE:
        owner.switch_page(path).run()  # Alpha's editor first: the version's reads are made and kept for Alpha
        other.switch_page(path).run()  # then Beta's, from the same process's cache
        assert not owner.exception and not other.exception, path
        seen |= {s for s in theirs if s in _page_text(owner)}
        shown = _page_text(other)
        assert not [s for s in theirs if s in shown], (path, [s for s in theirs if s in shown])
    assert len(seen) >= 3, seen  # Alpha's editor does read them: the pages hold what Beta's must not see


def test_a_viewer_who_picks_a_home_city_whose_partnerships_are_all_in_talks_reads_nothing_of_them(private_env):
    con = db.connect(str(private_env))
    omega = _city(con, "Omega")
    con.close()
    viewer = _session(stored_user("vera", "viewer"), homes=[omega])
    for path in ("pages/overview.py", "pages/missions.py"):
        viewer.switch_page(path).run()
        assert not viewer.exception, (path, [e.value for e in viewer.exception])
        shown = _page_text(viewer)
        assert "OMEGA-ACTION" not in shown and "SECRET-ACTION" not in shown, path


def test_a_deleted_editors_open_session_is_signed_out_and_writes_nothing(private_env):
    editor = stored_user("ed", "editor")
    at = _session(editor)
    assert at.session_state["user"] == editor
    con = db.connect(str(private_env))
    stored_user("boss", "admin")
    auth.delete_user(con, "ed", by="boss")
    plan = importer.plan_import(con, EXTRA["follow_ups"].encode(), "follow_ups.csv", "follow_ups", writer=editor)
    assert not plan.ok and "no longer a user" in plan.errors[0].text("follow_ups")
    con.close()
    at.switch_page("pages/missions.py").run()
    assert at.session_state["user"] is None
    assert "your user was removed" in " ".join(w.value for w in at.warning).lower()
    assert not [s for s in SECRETS if s in _page_text(at)]


def test_a_demoted_editors_open_session_reads_as_a_viewer_at_once(private_env):
    at = _session(stored_user("ed", "editor"))
    at.switch_page("pages/pipeline.py").run()
    assert "Theta" in _page_text(at)  # an editor sees the candidate
    con = db.connect(str(private_env))
    auth.set_role(con, "ed", "viewer", by="boss")
    con.close()
    at.switch_page("pages/pipeline.py").run()
    assert at.session_state["user"].role == "viewer"
    assert "Theta" not in _page_text(at) and "SECRET" not in _page_text(at)


def test_signing_out_in_one_tab_signs_out_every_other(private_env):
    user = stored_user("ed", "editor")
    first, second = _session(user), _session(user)
    first.switch_page("pages/account.py").run()
    first.button(key="account_sign_out").click().run()
    assert first.session_state["user"] is None
    second.switch_page("pages/missions.py").run()
    assert second.session_state["user"] is None
    assert "your sessions were ended" in " ".join(w.value for w in second.warning).lower()


def test_an_admin_signs_a_user_out_everywhere(private_env):
    at = _session(stored_user("ed", "editor"))
    con = db.connect(str(private_env))
    auth.end_sessions(con, "ed")
    assert auth.user(con, "ed") is not None  # the user stays; only their sessions end
    con.close()
    at.run()
    assert at.session_state["user"] is None


def test_a_new_password_ends_the_sessions_the_old_one_opened(private_env):
    at = _session(stored_user("ed", "editor"))
    con = db.connect(str(private_env))
    auth.set_password(con, "ed", "a-new-long-password")
    con.close()
    at.run()
    assert at.session_state["user"] is None


def test_an_idle_session_is_signed_out(private_env, monkeypatch):
    at = _session(stored_user("ed", "editor"))
    monkeypatch.setenv("TWINMAP_IDLE_MINUTES", "1")
    at.session_state["seen_at"] = at.session_state["seen_at"] - 61
    at.run()
    assert at.session_state["user"] is None
    assert "1 minutes without activity" in " ".join(w.value for w in at.warning)


def test_the_server_s_own_prepared_reader_is_never_checked_against_the_store():
    prepared = auth.User("twinmap-serve", "admin", method=auth.PREPARED)
    assert auth.standing(prepared, None) == (prepared, None)
    assert auth.standing(auth.User("x", "editor"), None)[0] is None
