"""The app's own backups: after a commit, when the last backup is older than the settings allow.

A DuckDB store is open in the app's process only, so a backup command run beside the app cannot
open it: the app makes them itself, in a background thread (readers go on; the copy reads one
snapshot of the data), at most one at a time, when a commit lands and the newest copy in
``TWINMAP_BACKUP_DIR`` is older than ``TWINMAP_BACKUP_HOURS``. The Data page tells admins when
the last one was made.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

import duckdb
import streamlit as st

from twinmap.core import config
from twinmap.store import backup, db

_LOG = logging.getLogger(__name__)
_running = threading.Lock()


def last_made() -> dt.datetime | None:
    """When the newest backup in the backup folder was made (UTC), if there is one."""
    newest = backup.latest(config.backup_dir())
    return backup.made_at(newest) if newest is not None else None


def due(now: dt.datetime | None = None) -> bool:
    """Whether a new backup is due: backups on, and none made within ``TWINMAP_BACKUP_HOURS``."""
    hours = config.whole("TWINMAP_BACKUP_HOURS")
    if hours == 0:
        return False
    made = last_made()
    now = now or dt.datetime.now(dt.UTC)
    return made is None or now - made >= dt.timedelta(hours=hours)


def after_commit(connect: Callable[[], duckdb.DuckDBPyConnection]) -> threading.Thread | None:
    """Start a backup in the background when one is due and none is running; the thread, or None."""
    if not due() or _running.locked():
        return None
    thread = threading.Thread(target=_make, args=(connect,), name="twinmap-backup", daemon=True)
    thread.start()
    return thread


def _make(connect: Callable[[], duckdb.DuckDBPyConnection]) -> None:
    if not _running.acquire(blocking=False):
        return
    try:
        made = backup.make(connect(), config.backup_dir(), config.whole("TWINMAP_BACKUP_KEEP"))
        _LOG.warning("twinmap: backup %s made (data version %s, %.1f MB)", made.path.name, made.version,
                     made.bytes / 1024 / 1024)  # fmt: skip
    except (db.DatabaseError, duckdb.Error, OSError) as err:
        _LOG.error("twinmap: the backup failed: %s", err)
    finally:
        _running.release()


def status(tr: object) -> None:
    """For admins on the Data page: when the last backup was made, and a warning when it is too old."""
    made = last_made()
    limit = config.whole("TWINMAP_BACKUP_WARN_HOURS")
    if made is None:
        st.warning(tr("No backup has been made yet. Run python -m twinmap backup, or let the app make one after the "
                      "next import (TWINMAP_BACKUP_HOURS)."))  # fmt: skip
        return
    hours = int((dt.datetime.now(dt.UTC) - made).total_seconds() // 3600)
    said = tr("Last backup: {when} ({hours} hours ago), in {folder}.", when=tr.moment(made.replace(tzinfo=None)),
              hours=tr.number(hours), folder=str(config.backup_dir()))  # fmt: skip
    if limit and hours >= limit:
        st.warning(said + " " + tr("That is older than {limit} hours: make one now.", limit=tr.number(limit)))
    else:
        st.caption(said)
