"""The leaders' digest, delivered to a throw-away SMTP server on 127.0.0.1 (aiosmtpd), on the crafted store."""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, TODAY
from .test_e2e import _free_port


@pytest.fixture
def smtp():
    """An SMTP server that keeps every message it receives."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self) -> None:
            self.messages: list[email.message.EmailMessage] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 OK"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, f"127.0.0.1:{controller.port}"
    controller.stop()


@pytest.fixture
def digest(crafted_db, tmp_path):
    path = tmp_path / "digest.duckdb"
    shutil.copy(crafted_db, path)

    def run(*args: str) -> subprocess.CompletedProcess:
        env = {"TWINMAP_DB": str(path), "TWINMAP_TODAY": TODAY.isoformat(), "PATH": "/usr/bin:/bin",
               "TWINMAP_APP_URL": "https://twinmap.alpha.example"}  # fmt: skip
        return subprocess.run([sys.executable, "-m", "twinmap", "digest", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True)  # fmt: skip

    run.path = path
    return run


def test_the_digest_reaches_the_mailbox_with_what_a_leader_should_look_at(smtp, digest):
    box, address = smtp
    done = digest("--to", "mayor@alpha.example", "--smtp", address)
    assert done.returncode == 0, done.stderr
    (mail,) = box.messages
    text = mail.get_body(("plain",)).get_content()
    assert mail["To"] == "mayor@alpha.example" and mail["Subject"].startswith("twinmap digest:")
    assert "Alpha – Epsilon: valid until 15 Jan 2027" in text  # expiring within 6 months
    assert "Alpha – Gamma: valid until June 2027" in text  # in 6 to 12 months (to the end of June)
    assert "Alpha – Epsilon: Send a revival letter (due 1 Jun 2026)" in text  # overdue
    assert "10 Dec 2026: Youth camp (Beta – Zeta)" in text  # next events
    assert "https://twinmap.alpha.example" in text
    page = mail.get_body(("html",)).get_content()
    assert "<li>Alpha – Epsilon: Send a revival letter (due 1 Jun 2026)</li>" in page


def test_the_next_digest_names_only_partnerships_that_turned_fading_since(smtp, digest):
    box, address = smtp
    digest("--to", "mayor@alpha.example", "--smtp", address)
    digest("--to", "mayor@alpha.example", "--smtp", address)
    first, second = (m.get_body(("plain",)).get_content() for m in box.messages)
    heading = "Partnerships that turned fading since the last digest"
    assert heading in first and heading not in second


def test_the_digest_reads_in_persian_with_persian_digits(smtp, digest):
    box, address = smtp
    assert digest("--to", "mayor@alpha.example", "--smtp", address, "--lang", "fa").returncode == 0
    text = box.messages[0].get_body(("plain",)).get_content()
    assert "گزارش twinmap" in box.messages[0]["Subject"] and "۱۴۰۵" in text and "2026" not in text


def test_nothing_is_sent_when_there_is_nothing_to_say(smtp, digest):
    from twinmap.store import db

    con = db.connect(str(digest.path))
    for table in ("follow_ups", "events", "partnerships"):
        con.execute(f"DELETE FROM {table}")
    con.close()
    box, address = smtp
    done = digest("--to", "mayor@alpha.example", "--smtp", address)
    assert done.returncode == 0 and "nothing to say" in done.stdout and not box.messages


def test_a_mail_server_that_does_not_answer_is_a_clear_error(digest):
    done = digest("--to", "mayor@alpha.example", "--smtp", f"127.0.0.1:{_free_port()}")
    assert done.returncode == 1 and "could not be sent through 127.0.0.1" in done.stderr
    assert "Traceback" not in done.stderr
