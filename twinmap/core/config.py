"""Paths and settings, from one place.

Paths come from this file's location, never from the working directory, so the app, the
tests and the command line find the same files wherever they are started.
Settings are one table of name, default and help text; each can be overridden from the
environment (a test fails if one is missing from the README).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
STATIC_DIR = ROOT / "static"
# URL at which Streamlit serves STATIC_DIR (server.enableStaticServing in .streamlit/config.toml).
STATIC_URL = "/app/static"


@dataclass(frozen=True)
class Setting:
    """One configurable value: environment variable, default and what it does."""

    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TWINMAP_DB",
        str(DATA_DIR / "twinmap.duckdb"),
        "The store: a DuckDB file's path (created from the CSV files in data/ on first start), or a shared "
        "PostgreSQL database as postgresql://user:password@host:port/dbname or libpq keywords "
        "('host=... dbname=...') for several app servers.",
    ),
    Setting(
        "TWINMAP_TILES",
        "osm",
        "Base map under the country outlines: 'osm' (OpenStreetMap tiles, needs the network) "
        "or 'none' (outlines only, fully offline).",
    ),
    Setting(
        "TWINMAP_ADMIN_PASSWORD",
        "",
        "Password of the first admin, created when there are no users; empty = a random one, "
        "written once to the server log.",
    ),
    Setting("TWINMAP_KIOSK", "", "1 = this server shows only the public kiosk (no staff pages at all)."),
    Setting("TWINMAP_KIOSK_LANG", "en", "Kiosk language when the URL does not say: en, ru or fa."),
    Setting("TWINMAP_KIOSK_SECONDS", "20", "Seconds each kiosk slide stays on screen (2-600)."),
    Setting(
        "TWINMAP_BACKUP_DIR",
        "",
        "Where backups go (python -m twinmap backup, and the app's own); empty = a folder 'backups' beside a "
        "DuckDB store, or data/backups for PostgreSQL.",
    ),
    Setting(
        "TWINMAP_BACKUP_KEEP", "14", "How many backups are kept; older ones are removed after a new one is checked."
    ),
    Setting(
        "TWINMAP_BACKUP_HOURS",
        "24",
        "The app makes a backup after a commit when the last is older than this many hours; 0 = never (cron does).",
    ),
    Setting("TWINMAP_BACKUP_WARN_HOURS", "48", "The Data page warns admins when the last backup is older than this."),
    Setting("TWINMAP_ATTACHMENT_MB", "25", "The largest document or photo that may be attached, in megabytes."),
    Setting(
        "TWINMAP_RECORD_MB",
        "200",
        "The most a record (a partnership, an event, a mission) may hold in attachments, in megabytes.",
    ),
    Setting(
        "TWINMAP_IDLE_MINUTES",
        "120",
        "Minutes a signed-in session may stay idle (no click, no page) before it is signed out; 0 = never.",
    ),
    Setting(
        "TWINMAP_SIGN_IN_HOURS",
        "9",
        "Hours a password sign-in lasts in a browser (reloads, bookmarks, new tabs), a working day; 0 = only while "
        "the tab is open. Signing out, a new password or a removed user ends it at once.",
    ),
    Setting(
        "TWINMAP_SIGN_IN_DAYS",
        "365",
        "Days the sign-in audit (sign-ins, failed attempts, lockouts) is kept; older lines are deleted.",
    ),
    Setting(
        "TWINMAP_OIDC_PROVIDER",
        "",
        "Single sign-on: the provider section of .streamlit/secrets.toml to use, [auth.NAME]; empty = [auth] "
        "itself. Without an [auth] section only passwords sign in.",
    ),
    Setting(
        "TWINMAP_OIDC_NAME_CLAIMS",
        "preferred_username,email,sub",
        "Single sign-on: the claims that give a user's name in twinmap, first present wins.",
    ),
    Setting(
        "TWINMAP_OIDC_GROUPS_CLAIM",
        "groups",
        "Single sign-on: the claim that lists a user's groups (a list, or names separated by spaces or commas).",
    ),
    Setting(
        "TWINMAP_OIDC_ROLES",
        "",
        "Single sign-on: groups that give a role, as 'twinmap-admins=admin;twinmap-editors=editor' (the highest "
        "wins; no mapped group: a first sign-in is a viewer, later ones keep what an admin gave).",
    ),
    Setting(
        "TWINMAP_OIDC_HOME_CITIES",
        "",
        "Single sign-on: groups that limit a user to home cities, as 'shiraz-intl=Shiraz,IR;sari-intl=Sari,IR' "
        "(several groups add up; none mapped: an admin's choice on the Users page stays).",
    ),
    Setting(
        "TWINMAP_OPEN_DATA_LICENSE",
        "CC-BY-4.0",
        "The licence the open data (python -m twinmap publish) is published under: CC-BY-4.0, CC0-1.0, ODbL-1.0 "
        "or another SPDX code.",
    ),
    Setting(
        "TWINMAP_PUBLISHER",
        "",
        "Who publishes the data (the municipality or association), named in the open data's title and sources.",
    ),
    Setting("TWINMAP_SMTP", "localhost:25", "The digest's mail server, host:port."),
    Setting("TWINMAP_SMTP_STARTTLS", "", "1 = the digest's mail server is spoken to over STARTTLS."),
    Setting("TWINMAP_SMTP_USER", "", "The digest's mail server login (empty: no login)."),
    Setting("TWINMAP_SMTP_PASSWORD", "", "The password of that login."),
    Setting("TWINMAP_DIGEST_FROM", "twinmap@localhost", "The digest's sender address."),
    Setting("TWINMAP_APP_URL", "http://localhost:8501", "The app's address, linked from the digest."),
    Setting(
        "TWINMAP_CACHE_DIR",
        "",
        "Where the app keeps what it can make again: the partner finder's trained model, named by a hash of all "
        "it learned from, so a restart or another server on the same data reuses it; empty = $XDG_CACHE_HOME/twinmap "
        "or ~/.cache/twinmap.",
    ),
    Setting(
        "TWINMAP_TODAY",
        "",
        "Pretend today is this ISO date (for demos and reproducible screenshots); empty = real date.",
    ),
)


def get(env: str) -> str:
    """Return a setting's value from the environment, else its default."""
    for setting in SETTINGS:
        if setting.env == env:
            return os.environ.get(env) or setting.default
    raise KeyError(f"unknown setting {env}")


_LIBPQ_KEYWORDS = re.compile(r"^\s*(host|hostaddr|port|dbname|user|password|service|sslmode)\s*=", re.I)


def is_postgres(target: object) -> bool:
    """Whether a store names a PostgreSQL database (a URL or libpq keywords) rather than a file."""
    text = str(target)
    return text.startswith(("postgresql://", "postgres://")) or bool(_LIBPQ_KEYWORDS.match(text))


def db_target() -> str:
    """The store the app and the command line use: a DuckDB file's path or a PostgreSQL DSN."""
    value = get("TWINMAP_DB")
    return value if is_postgres(value) else str(Path(value).expanduser())


def backup_dir() -> Path:
    """Where backups go (``TWINMAP_BACKUP_DIR``; by default beside a DuckDB store, else under data/)."""
    given = get("TWINMAP_BACKUP_DIR").strip()
    if given:
        return Path(given).expanduser()
    target = db_target()
    return DATA_DIR / "backups" if is_postgres(target) else Path(target).parent / "backups"


def cache_dir() -> Path:
    """Where what can be made again is kept (``TWINMAP_CACHE_DIR``; by default the user's cache folder)."""
    given = get("TWINMAP_CACHE_DIR").strip()
    if given:
        return Path(given).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base).expanduser() if base else Path.home() / ".cache") / "twinmap"


def whole(env: str) -> int:
    """A setting that is a whole number (its default when the value is not one)."""
    try:
        return max(0, int(get(env)))
    except ValueError:
        return int(next(s.default for s in SETTINGS if s.env == env))


def today() -> dt.date:
    """Today's date, or the TWINMAP_TODAY override used for reproducible demos."""
    override = get("TWINMAP_TODAY")
    return dt.date.fromisoformat(override) if override else dt.date.today()
