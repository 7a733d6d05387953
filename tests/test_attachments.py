"""Documents and photos on a record: stored whole or not at all, undone exactly, seen only by who may see them.

Every test runs on a DuckDB file and on PostgreSQL.
"""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from twinmap.ingest import attachments, batches, edits, importer, seed
from twinmap.reads import attachments as attached
from twinmap.store import auth
from twinmap.views.i18n import Translator

from .conftest import ROOT
from .support import session_user
from .test_uploads import pdf, photo

pytestmark = pytest.mark.both_backends

SARI_ASTRAKHAN = "Sari,IR;Astrakhan,RU"


def _counts(con) -> tuple[int, int, int]:
    return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("attachments", "attachment_files", "import_batches"))  # fmt: skip


def _photos(n: int) -> list[tuple[str, bytes]]:
    return [(f"visit-{i}.jpg", photo(colour=(40 * i, 120, 60), gps=True)) for i in range(1, n + 1)]


def _attach(con, files, key=SARI_ASTRAKHAN, table="partnerships", **details):
    to = attachments.find(con, table, key)
    return attachments.attach(con, files, to, attachments.Details(**details), "staff")


def test_an_agreement_and_three_photos_are_one_batch_that_an_undo_removes_with_their_bytes(con):
    before = _counts(con)
    agreement = _attach(con, [("memorandum.pdf", pdf())], kind="agreement", title="Memorandum of 2014")
    photos = _attach(con, _photos(3), public=True, caption="Delegation in Sari", credit="City press office")
    assert _counts(con) == (before[0] + 4, before[1] + 4, before[2] + 2)
    pid = attachments.find(con, "partnerships", SARI_ASTRAKHAN).id
    held = attached.listing(con, attached.Audience(True), partnerships=(pid,))
    assert sorted(held["kind"]) == ["agreement", "photo", "photo", "photo"]
    assert pid in attached.agreements_on_file(con)
    history = batches.history(con)
    assert history.iloc[0]["file_name"] == "visit-1.jpg, visit-2.jpg, visit-3.jpg"
    batches.undo(con, photos.batch, "staff")
    batches.undo(con, agreement.batch, "staff")
    assert _counts(con)[:2] == before[:2]  # the rows and the bytes are gone


def test_one_refused_file_stores_nothing_and_says_why_for_each(con):
    before = _counts(con)
    with pytest.raises(attachments.NotStored) as err:
        _attach(con, [*_photos(2), ("evil.jpg", b"MZ" + bytes(300)), ("script.pdf", pdf(js=True))])
    assert [str(r).split(":")[0] for r in err.value.refusals] == ["evil.jpg", "script.pdf"]
    assert _counts(con) == before


def test_the_same_file_twice_is_stored_once(con):
    data = photo(gps=True)
    first = _attach(con, [("a.jpg", data), ("copy-of-a.jpg", data)])
    assert len(first.kept) == 1 and first.already == ["copy-of-a.jpg"]
    again = _attach(con, [("a-again.jpg", data)])
    assert again.batch is None and again.already == ["a-again.jpg"]
    _attach(con, [("a.jpg", data)], key="Sari,IR;Montesilvano,IT")  # another record: a second row, the same bytes
    assert con.execute("SELECT count(*), count(DISTINCT sha256) FROM attachments").fetchone() == (2, 1)
    assert con.execute("SELECT count(*) FROM attachment_files").fetchone()[0] == 1


def test_a_removal_is_undone_by_bringing_the_attachment_back(con):
    stored = _attach(con, _photos(1))
    (aid,) = con.execute("SELECT id FROM attachments").fetchone()
    removed = attachments.remove(con, [aid], "staff")
    assert _counts(con)[:2] == (0, 1)  # the bytes stay while the removal can be undone
    batches.undo(con, removed, "staff")
    assert con.execute("SELECT id, file_name FROM attachments").fetchall() == [(aid, "visit-1.jpg")]
    assert attached.content(con, aid, attached.Audience(True))[2] == stored.kept[0].content


def test_a_partnership_holding_attachments_is_not_deleted_from_under_them(con):
    head = "home_city,home_country,partner_city,partner_country,kind,status\n"
    plan = importer.plan_import(con, (head + "Sari,IR,Volgograd,RU,friendship,candidate\n").encode(), "p.csv",
                                "partnerships")  # fmt: skip
    batches.commit(con, plan, "tester")
    _attach(con, [("letter.pdf", pdf())], key="Sari,IR;Volgograd,RU", kind="letter")
    pid = attachments.find(con, "partnerships", "Sari,IR;Volgograd,RU").id
    save = edits.plan_save(con, edits.grid(con, "partnerships", [pid]), {}, [], [0])
    assert not save.ok and "attachments" in save.plan.errors[0].values["rows"]


def test_an_event_photo_belongs_to_the_events_partnership_and_its_home_city(con):
    eid, pid = con.execute("SELECT id, partnership_id FROM events ORDER BY id LIMIT 1").fetchone()
    _attach(con, _photos(1), key=str(eid), table="events", public=True)
    row = con.execute("SELECT partnership_id, event_id FROM attachments").fetchone()
    assert row == (pid, eid)
    assert len(attached.listing(con, attached.Audience(True), partnerships=(pid,))) == 1
    assert len(attached.listing(con, attached.Audience(True), partnerships=(pid,), only_own=True)) == 0


def test_the_public_sees_only_public_attachments_of_public_partnerships(con):
    _attach(con, [("memorandum.pdf", pdf())], kind="agreement")
    _attach(con, _photos(1), public=True)
    _attach(con, [("candidate.jpg", photo(colour=(1, 2, 3)))], key="Sari,IR;Lankaran,AZ", public=True)
    ids = tuple(int(i) for (i,) in con.execute("SELECT id FROM partnerships").fetchall())
    staff = attached.listing(con, attached.Audience(True), partnerships=ids)
    public = attached.listing(con, attached.PUBLIC, partnerships=ids)
    assert len(staff) == 3 and list(public["file_name"]) == ["visit-1.jpg"]
    assert list(attached.public_photos(con)["file_name"]) == ["visit-1.jpg"]
    hidden = int(staff[staff["kind"] == "agreement"]["id"].item())
    assert attached.content(con, hidden, attached.PUBLIC) is None
    assert attached.thumbnail(con, hidden, attached.PUBLIC) is None
    assert attached.content(con, hidden, attached.Audience(True))[1] == "application/pdf"


def test_a_scoped_editor_attaches_only_to_their_home_citys_records_and_sees_only_theirs(con):
    auth.create_user(con, "clerk", "correct horse battery", "editor", homes=(_city(con, "Shiraz"),))
    to = attachments.find(con, "partnerships", SARI_ASTRAKHAN)
    before = _counts(con)
    with pytest.raises(batches.CommitFailed) as err:
        attachments.attach(con, _photos(1), to, attachments.Details(), "clerk", writer="clerk")
    assert "Sari is outside your home cities: Shiraz" in str(err.value)
    assert _counts(con) == before
    weimar = attachments.find(con, "partnerships", "Shiraz,IR;Weimar,DE")
    attachments.attach(con, _photos(1), weimar, attachments.Details(), "clerk", writer="clerk")
    _attach(con, [("sari-only.pdf", pdf())])
    clerk = attached.audience(auth.user(con, "clerk"))
    ids = tuple(int(i) for (i,) in con.execute("SELECT id FROM partnerships").fetchall())
    assert list(attached.listing(con, clerk, partnerships=ids)["file_name"]) == ["visit-1.jpg"]
    (sari_pdf,) = con.execute("SELECT id FROM attachments WHERE file_name = 'sari-only.pdf'").fetchone()
    with pytest.raises(batches.CommitFailed):
        attachments.remove(con, [sari_pdf], "clerk", writer="clerk")


def test_a_file_or_a_record_over_its_limit_is_refused_and_nothing_stored(con, monkeypatch):
    noise = io.BytesIO()
    Image.frombytes("RGB", (700, 700), random.Random(7).randbytes(700 * 700 * 3)).save(noise, "PNG")  # noqa: S311
    monkeypatch.setenv("TWINMAP_ATTACHMENT_MB", "1")
    with pytest.raises(attachments.NotStored) as err:
        _attach(con, [("noise.png", noise.getvalue())])
    assert "more than the 1.0 MB a file may be" in str(err.value)
    monkeypatch.setenv("TWINMAP_ATTACHMENT_MB", "25")
    monkeypatch.setenv("TWINMAP_RECORD_MB", "1")
    _attach(con, _photos(1))
    before = _counts(con)
    with pytest.raises(attachments.NotStored) as err:
        _attach(con, [("noise.png", noise.getvalue())])
    assert "more than the 1.0 MB a record may hold" in str(err.value)
    assert _counts(con) == before


def test_an_unknown_record_is_named(con):
    with pytest.raises(attachments.Explained, match="there is no event #99999"):
        attachments.find(con, "events", "99999")
    with pytest.raises(attachments.Explained, match="there is no partnership Sari,IR;Atlantis,XX"):
        attachments.find(con, "partnerships", "Sari,IR;Atlantis,XX")


def test_a_second_app_server_sees_an_attachment_the_first_added(con, backend):
    if backend != "postgres":
        pytest.skip("replicas share a PostgreSQL store")
    other = seed.connect(con.dsn)
    try:
        stored = _attach(con, [("memorandum.pdf", pdf())], kind="agreement")
        (aid,) = other.execute("SELECT id FROM attachments").fetchone()
        assert attached.content(other, aid, attached.Audience(True))[2] == stored.kept[0].content
    finally:
        other.close()


def _city(con, name: str) -> int:
    return con.execute("SELECT id FROM cities WHERE name = ? AND country_code = 'IR'", [name]).fetchone()[0]


def _page_as(role: str | None, search: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["user"] = session_user(role)
    at.run()
    at.switch_page("pages/register.py").run()
    at.text_input(key="register_search").set_value(search).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_register_shows_a_visitor_the_public_photo_and_staff_the_agreement_too(app_env):
    con = seed.connect(str(app_env))
    try:
        _attach(con, [("memorandum.pdf", pdf())], kind="agreement", title="Memorandum")
        _attach(con, _photos(1), public=True, caption="Delegation in Sari", credit="Press office")
    finally:
        con.close()
    visitor = _page_as(None, "astrakhan")
    assert visitor.header[0].value == "Sari – Astrakhan"
    assert not [b for b in visitor.get("download_button") if b.key == "register_agreement"]
    assert len(visitor.get("image")) == 2  # the photo in the card and in its tab; never the document's page
    editor = _page_as("editor", "astrakhan")
    assert [b for b in editor.get("download_button") if b.key == "register_agreement"]
    assert editor.get("file_uploader")  # staff of Sari may add more
    assert "Missing: " in editor.warning[0].value and "Signed agreement on file" not in editor.warning[0].value


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12_000, 11_000)).save(out, "PNG")
    return out.getvalue()


REFUSED = {
    "wrong type": ("notes.txt", lambda: b"plain text, not a document"),
    "renamed program": ("photo.jpg", lambda: b"MZ\x90\x00" + bytes(500)),
    "svg": ("logo.png", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "html": ("page.pdf", lambda: b"<html><script>alert(1)</script></html>"),
    "truncated photo": ("cut.jpg", lambda: photo(size=(1200, 900))[:2500]),
    "truncated pdf": ("cut.pdf", lambda: pdf()[:-300]),
    "pdf with javascript": ("script.pdf", lambda: pdf(js=True)),
    "pdf with an embedded file": ("carrier.pdf", lambda: pdf(embedded=True)),
    "photo bomb": ("bomb.png", _bomb),
    "too big": ("huge.pdf", lambda: b"%PDF-1.7\n" + bytes(26_000_000)),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_each_refused_input_leaves_the_store_unchanged(con, case):
    name, make = REFUSED[case]
    before = _counts(con)
    with pytest.raises(attachments.NotStored) as err:
        _attach(con, [*_photos(1), (name, make())])
    (line,) = err.value.said(Translator())
    assert line.startswith(f"{name}: ") and line.endswith("nothing was stored.")
    assert _counts(con) == before


def test_the_edit_page_offers_one_partnerships_documents_and_photos_beside_its_rows(app_env):
    con = seed.connect(str(app_env))
    try:
        _attach(con, _photos(1), public=True)
        pid = attachments.find(con, "partnerships", SARI_ASTRAKHAN).id
    finally:
        con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["user"] = session_user("editor")
    at.run()
    at.switch_page("pages/edit.py").run()
    at.multiselect(key="edit_partnerships").set_value([pid]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Documents and photos" in [s.value for s in at.subheader]
    assert at.get("file_uploader") and len(at.get("image")) == 1
