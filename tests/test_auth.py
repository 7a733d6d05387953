import datetime as dt
import threading

import pytest

from twinmap.store import auth

pytestmark = pytest.mark.both_backends  # every test here runs on a DuckDB file and on PostgreSQL


def test_passwords_are_stored_only_as_argon2_hashes(con):
    auth.create_user(con, "leila", "correct horse battery", "editor")
    (stored,) = con.execute("SELECT password_hash FROM users WHERE name = 'leila'").fetchone()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_sign_in_gives_the_role(con):
    auth.create_user(con, "leila", "correct horse battery", "editor")
    user = auth.sign_in(con, "leila", "correct horse battery")
    assert user == auth.User("leila", "editor")
    assert user.can("viewer") and user.can("editor") and not user.can("admin")


@pytest.mark.parametrize(("name", "password"), [("leila", "wrong password!"), ("nobody", "correct horse battery")])
def test_wrong_name_or_password_gets_the_same_message(con, name, password):
    auth.create_user(con, "leila", "correct horse battery", "editor")
    with pytest.raises(auth.AuthError, match=r"^wrong user name or password$"):
        auth.sign_in(con, name, password)


def test_repeated_failures_lock_the_name_for_a_growing_time(con, monkeypatch):
    auth.create_user(con, "leila", "correct horse battery", "editor")
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(auth.AuthError, match="wrong"):
            auth.sign_in(con, "leila", "guess guess guess")
    with pytest.raises(auth.AuthError, match=r"try again in [1-5] seconds"):
        auth.sign_in(con, "leila", "correct horse battery")  # even the right password waits
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=6)
    monkeypatch.setattr(auth, "_now", lambda: later)
    with pytest.raises(auth.AuthError, match="wrong"):
        auth.sign_in(con, "leila", "guess guess guess")
    locked = con.execute("SELECT locked_until FROM sign_in_attempts WHERE name = 'leila'").fetchone()[0]
    assert locked > later + dt.timedelta(seconds=9)


def test_first_start_creates_an_admin_with_a_random_password_logged_once(con, caplog):
    password = auth.ensure_admin(con)
    assert password and len(password) >= 12
    assert password in caplog.text
    assert auth.sign_in(con, "admin", password).role == "admin"
    assert auth.ensure_admin(con) is None  # only when there are no users


def test_the_first_admin_password_can_come_from_the_environment(con, monkeypatch, caplog):
    monkeypatch.setenv("TWINMAP_ADMIN_PASSWORD", "from the environment")
    assert auth.ensure_admin(con) is None
    assert "from the environment" not in caplog.text
    assert auth.sign_in(con, "admin", "from the environment").role == "admin"


def test_a_too_short_admin_password_in_the_environment_is_refused_in_the_log_not_on_every_page(
    con, monkeypatch, caplog
):
    monkeypatch.setenv("TWINMAP_ADMIN_PASSWORD", "short")
    password = auth.ensure_admin(con)  # the server still starts, with a one-time password as without the setting
    assert "TWINMAP_ADMIN_PASSWORD was not used: it has 5 characters, a password has at least 10" in caplog.text
    assert password and password in caplog.text and "short" not in caplog.text
    assert auth.sign_in(con, "admin", password).role == "admin"
    with pytest.raises(auth.AuthError, match="wrong"):
        auth.sign_in(con, "admin", "short")


def test_short_passwords_and_odd_names_are_refused(con):
    with pytest.raises(auth.AuthError, match="at least 10"):
        auth.create_user(con, "leila", "short", "editor")
    with pytest.raises(auth.AuthError, match="user name"):
        auth.create_user(con, "<b>x</b>", "correct horse battery", "editor")


def test_an_admin_cannot_lock_themselves_out(con):
    auth.create_user(con, "boss", "correct horse battery", "admin")
    with pytest.raises(auth.AuthError):
        auth.set_role(con, "boss", "editor", by="boss")
    with pytest.raises(auth.AuthError):
        auth.delete_user(con, "boss", by="boss")


def test_thirty_parallel_wrong_attempts_all_count_and_only_the_free_ones_are_checked(con, monkeypatch):
    auth.create_user(con, "leila", "correct horse battery", "editor")
    checked, real_verify = [], auth._verify
    monkeypatch.setattr(auth, "_verify", lambda stored, pw: checked.append(pw) or real_verify(stored, pw))
    answers: list[str] = []

    def attempt(i: int) -> None:
        try:
            auth.sign_in(con, "leila", f"guess number {i}")
        except auth.AuthError as err:
            answers.append(err.msgid)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 30  # every attempt refused
    assert len(checked) == auth.FREE_FAILURES  # the rest never reached the password check
    assert answers.count(auth.WRONG) == auth.FREE_FAILURES and answers.count(auth.LOCKED) == 30 - auth.FREE_FAILURES
    with pytest.raises(auth.AuthError, match="too many failed sign-ins"):
        auth.sign_in(con, "leila", "correct horse battery")


def test_a_locked_real_name_and_an_invented_one_get_the_same_answers(con):
    auth.create_user(con, "leila", "correct horse battery", "editor")
    answers = {}
    for name in ("leila", "nobody-at-all"):
        seen = []
        for _ in range(auth.FREE_FAILURES + 2):
            with pytest.raises(auth.AuthError) as err:
                auth.sign_in(con, name, "guess guess guess")
            seen.append(err.value.msgid)
        answers[name] = seen
    assert answers["leila"] == answers["nobody-at-all"]
    assert answers["leila"][-1] == auth.LOCKED


def test_failed_sign_ins_do_not_empty_the_read_caches(con):
    from twinmap.store import db

    before = db.data_version(con)
    with pytest.raises(auth.AuthError):
        auth.sign_in(con, "nobody", "guess guess guess")
    assert db.data_version(con) == before


def _outcomes(con) -> list[tuple[str, str, str]]:
    return [(r["name"], r["method"], r["outcome"]) for r in auth.sign_ins(con).to_dict("records")][::-1]


def test_the_audit_records_sign_ins_failures_lockouts_and_sign_outs(con):
    auth.create_user(con, "leila", "correct horse battery", "editor")
    user = auth.sign_in(con, "leila", "correct horse battery")
    auth.signed_out(con, user)
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(auth.AuthError):
            auth.sign_in(con, "leila", "guess guess guess")
    with pytest.raises(auth.AuthError, match="try again"):
        auth.sign_in(con, "leila", "correct horse battery")
    with pytest.raises(auth.AuthError):
        auth.sign_in(con, "nobody", "guess guess guess")
    assert _outcomes(con) == [
        ("leila", "password", "signed in"), ("leila", "password", "signed out"),
        ("leila", "password", "wrong name or password"), ("leila", "password", "wrong name or password"),
        ("leila", "password", "wrong name or password"), ("leila", "password", "locked out"),
        ("leila", "password", "refused: locked"), ("nobody", "password", "wrong name or password"),
    ]  # fmt: skip


def test_the_audit_keeps_lines_for_the_stated_days(con, monkeypatch):
    auth.create_user(con, "leila", "correct horse battery", "editor")
    auth.sign_in(con, "leila", "correct horse battery")
    monkeypatch.setenv("TWINMAP_SIGN_IN_DAYS", "30")
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=31)
    monkeypatch.setattr(auth, "_now", lambda: later)
    auth.sign_in(con, "leila", "correct horse battery")
    assert len(auth.sign_ins(con)) == 1


CLAIMS = auth.ClaimMap(roles={"twinmap-editors": "editor", "twinmap-admins": "admin"},
                       homes={"shiraz-intl": "Sari,IR"})  # fmt: skip


def test_a_directory_sign_in_with_a_groups_claim_gives_the_mapped_role_and_home_cities(con):
    claims = {"sub": "abc", "preferred_username": "shiraz.clerk", "groups": ["staff", "twinmap-editors", "shiraz-intl"]}
    user = auth.sign_in_directory(con, claims, CLAIMS)
    sari = con.execute("SELECT id FROM cities WHERE name = 'Sari'").fetchone()[0]
    assert (user.name, user.role, user.homes, user.method) == ("shiraz.clerk", "editor", (sari,), "oidc")
    assert auth.user(con, "shiraz.clerk") == user
    with pytest.raises(auth.AuthError):  # no password of theirs here
        auth.sign_in(con, "shiraz.clerk", "")
    assert _outcomes(con)[0] == ("shiraz.clerk", "oidc", "signed in")


def test_a_first_directory_sign_in_without_a_mapped_role_is_a_viewer_until_an_admin_grants_more(con):
    claims = {"sub": "xyz", "email": "someone@city.example"}
    assert auth.sign_in_directory(con, claims, CLAIMS).role == "viewer"
    auth.set_role(con, "someone@city.example", "editor", by="admin")
    assert auth.sign_in_directory(con, claims, CLAIMS).role == "editor"  # kept: the claims say nothing
    assert auth.sign_in_directory(con, {**claims, "groups": "twinmap-admins"}, CLAIMS).role == "admin"


def test_a_directory_account_never_takes_over_a_local_user(con):
    auth.create_user(con, "admin2", "correct horse battery", "admin")
    with pytest.raises(auth.AuthError, match="admin2 is a local user here"):
        auth.sign_in_directory(con, {"sub": "evil", "preferred_username": "admin2"}, CLAIMS)
    assert auth.user(con, "admin2").method == "password"
    with pytest.raises(auth.AuthError, match="no usable user name"):
        auth.sign_in_directory(con, {"sub": "<script>"}, CLAIMS)


def test_the_claim_map_reads_the_settings(monkeypatch):
    monkeypatch.setenv("TWINMAP_OIDC_ROLES", "admins=admin; editors = editor;broken")
    monkeypatch.setenv("TWINMAP_OIDC_HOME_CITIES", "shiraz=Shiraz,IR")
    found = auth.claim_map()
    assert found.roles == {"admins": "admin", "editors": "editor"} and found.homes == {"shiraz": "Shiraz,IR"}
    assert found.groups_claim == "groups" and found.name_claims[0] == "preferred_username"
