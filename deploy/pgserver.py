"""A throw-away PostgreSQL server in a temporary directory, for tests, benchmarks and trying twinmap out.

Uses Debian's ``postgresql`` package (``initdb`` and ``pg_ctl``); listens on a unix socket in
its own directory only (no TCP port, nothing shared with a real server). Run as root, it runs
the server as the ``postgres`` user, since PostgreSQL refuses to run as root.

    python deploy/pgserver.py          # start one, print TWINMAP_DB=..., stop on Ctrl-C
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

USER = "twinmap"
PORT = 5432
FAST = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off",)


class NotInstalled(RuntimeError):
    """PostgreSQL's server programs are not on this machine."""


def binary(name: str) -> Path:
    """A PostgreSQL program: on PATH, else the newest in Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise NotInstalled(f"{name} not found: install Debian's postgresql package (apt-get install postgresql)")
    return Path(candidates[-1])


class Server:
    """One running throw-away server; ``dsn(db)`` names a database on it."""

    def __init__(self, root: Path, durable: bool = False) -> None:
        self.root = root
        self.data = root / "data"
        self._as_owner = _owner_prefix(root)
        self._options = f"-p {PORT} -k {root} -c listen_addresses='' -c max_connections=300"
        if not durable:
            self._options += " " + FAST[0]
        self._run(binary("initdb"), "-D", self.data, "-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync")
        self.resume()

    def resume(self) -> None:
        """Start the server (again, after :meth:`halt`), with the same files."""
        self._run(binary("pg_ctl"), "-D", self.data, "-o", self._options, "-l", self.root / "server.log", "-w", "start")

    def halt(self) -> None:
        """Stop the server at once, as a crash or a pulled cable would, keeping its files (fault tests)."""
        self._run(binary("pg_ctl"), "-D", self.data, "-m", "immediate", "stop")

    def _run(self, *cmd: object) -> None:
        subprocess.run([*self._as_owner, *map(str, cmd)], check=True, capture_output=True)  # noqa: S603

    def dsn(self, database: str = "postgres") -> str:
        """The libpq connection string of one database on this server (TWINMAP_DB accepts it)."""
        return f"host={self.root} port={PORT} user={USER} dbname={database}"

    def sql(self, statement: str) -> None:
        """Run one statement as the server's superuser (CREATE DATABASE cannot run inside DuckDB's transactions)."""
        cmd = [binary("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.dsn(), "-c", statement]
        subprocess.run(list(map(str, cmd)), check=True, capture_output=True)  # noqa: S603

    def create(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of ``template`` when given); returns its DSN."""
        self.sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.dsn(name)

    def stop(self) -> None:
        """Stop the server at once and delete its files: nothing in it is meant to last."""
        subprocess.run([*self._as_owner, str(binary("pg_ctl")), "-D", str(self.data), "-m", "immediate", "stop"],  # noqa: S603
                       capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


def _owner_prefix(root: Path) -> list[str]:
    """Run the server's programs as ``postgres`` when we are root (PostgreSQL will not run as root)."""
    if os.geteuid() != 0:
        return []
    shutil.chown(root, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--"]


def start(durable: bool = False) -> Server:
    """Start a server in a new temporary directory (raises :class:`NotInstalled` without PostgreSQL)."""
    binary("initdb")
    root = Path(tempfile.mkdtemp(prefix="twinmap-pg-"))
    try:
        return Server(root, durable)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


if __name__ == "__main__":
    server = start(durable=True)
    print(f"TWINMAP_DB='{server.dsn()}'", flush=True)  # noqa: T201 - the one thing this command says
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
        sys.exit(0)
