"""Sign-ins that last: signed tickets and cookies, good only while the store still says so."""

from __future__ import annotations

import time

from twinmap.store import auth, tickets


def _user(con, name: str = "mina", role: str = "editor") -> auth.User:
    auth.create_user(con, name, "a long enough password", role)
    return auth.user(con, name)


def test_a_ticket_becomes_a_cookie_that_names_the_user_as_the_store_holds_them(con):
    ticket = tickets.ticket(con, _user(con))
    value, seconds = tickets.cookie_for(con, ticket)
    assert seconds == 9 * 3600  # a working day by default
    found = tickets.check(con, value)
    assert found is not None and (found.name, found.role) == ("mina", "editor")
    auth.set_role(con, "mina", "viewer", by="admin")
    assert tickets.check(con, value).role == "viewer"  # a new role applies at once


def test_a_cookie_ends_with_a_sign_out_a_new_password_a_removed_user_or_its_time(con, monkeypatch):
    user = _user(con)
    value, _seconds = tickets.cookie_for(con, tickets.ticket(con, user))
    auth.signed_out(con, user)
    assert tickets.check(con, value) is None
    user = auth.user(con, "mina")
    value, _seconds = tickets.cookie_for(con, tickets.ticket(con, user))
    auth.set_password(con, "mina", "another long password")
    assert tickets.check(con, value) is None
    value, _seconds = tickets.cookie_for(con, tickets.ticket(con, auth.user(con, "mina")))
    auth.delete_user(con, "mina", by="admin")
    assert tickets.check(con, value) is None
    user = _user(con, "omid")
    value, _seconds = tickets.cookie_for(con, tickets.ticket(con, user))
    now = time.time()
    monkeypatch.setattr(tickets.time, "time", lambda: now + 9 * 3600 + 1)
    assert tickets.check(con, value) is None


def test_a_forged_changed_or_swapped_value_is_never_good(con):
    user = _user(con)
    ticket = tickets.ticket(con, user)
    value, _seconds = tickets.cookie_for(con, ticket)
    body, mac = value.split(".")
    assert tickets.check(con, f"{body}.{'0' * len(mac)}") is None
    assert tickets.check(con, value[:-1] + ("0" if value[-1] != "0" else "1")) is None
    assert tickets.check(con, ticket) is None  # a ticket is not a cookie
    assert tickets.cookie_for(con, value) is None  # nor a cookie a ticket
    assert tickets.check(con, "") is None and tickets.check(con, None) is None and tickets.check(con, "a.b.c") is None


def test_no_lasting_sign_in_when_the_setting_says_zero_or_the_directory_signed_in(con, monkeypatch):
    user = _user(con)
    monkeypatch.setenv("TWINMAP_SIGN_IN_HOURS", "0")
    assert tickets.ticket(con, user) is None
    monkeypatch.setenv("TWINMAP_SIGN_IN_HOURS", "9")
    assert tickets.ticket(con, auth.User("dir", "viewer", method=auth.DIRECTORY)) is None
