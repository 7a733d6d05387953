"""What several test modules need, in one place: users that the store really holds, and benchmarks run.

Every run checks the session's user against the store (a removed user is signed out at once),
so a test that puts a signed-in user into an AppTest session makes that user in the store first.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path

from twinmap.core import config
from twinmap.store import auth, db


def stored_user(name: str, role: str, homes: tuple[int, ...] = ()) -> auth.User:
    """``name`` with ``role`` (and home cities) in the store the app is pointed at, as a session holds them."""
    con = db.connect(config.db_target())
    try:
        found = auth.user(con, name)
        if found is None:
            auth.create_user(con, name, secrets.token_urlsafe(12), role, homes)
        else:
            if found.role != role:
                auth.set_role(con, name, role, by="tests")
            if found.homes != tuple(sorted(homes)):
                auth.set_home_cities(con, name, homes)
        return auth.user(con, name)
    finally:
        con.close()


def session_user(role: str | None, name: str = "leila") -> auth.User | None:
    """What an AppTest's ``session_state["user"]`` holds for ``role`` (None: a visitor)."""
    return stored_user(name, role) if role else None


ROOT = Path(__file__).resolve().parent.parent
FIGURE = re.compile(r"^[a-z0-9_]+: \S+ \S+")  # a benchmark's printed figure: "name: value unit"


def bench(script: str, *args: str, timeout: int = 600) -> list[str]:
    """Run ``bench/script`` with ``args``; its figure lines (it must succeed and print only figures and comments)."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True,
                          timeout=timeout, check=False, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [ln for ln in done.stdout.splitlines() if ln and not ln.startswith("#")]
    assert lines and all(FIGURE.match(ln) for ln in lines), lines
    return lines
