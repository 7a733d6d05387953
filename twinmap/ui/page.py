"""What every page starts with, in one call: inside the app's frame, the reader, the day, the filter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from twinmap.core import config
from twinmap.ingest.importer import Plan
from twinmap.reads.queries import PartnershipFilter
from twinmap.store.auth import User
from twinmap.ui import compat, session
from twinmap.views.i18n import Translator
from twinmap.views.labels import md_escape


@dataclass(frozen=True)
class Page:
    """The reader of this run: translator, today, the sidebar's home-city filter, who is signed in."""

    tr: Translator
    today: dt.date
    filter: PartnershipFilter
    user: User | None

    @property
    def signed_in(self) -> bool:
        """Anyone signed in: sees internal assessments (health, follow-ups, targets)."""
        return self.user is not None

    @property
    def staff(self) -> bool:
        """An editor or admin: sees private stages, notes and contacts, and may change data."""
        return self.user is not None and self.user.can("editor")

    @property
    def homes(self) -> tuple[int, ...] | None:
        """The home cities whose own records (organisations, people abroad) this reader reads; None: every one."""
        return tuple(sorted(self.user.homes)) if self.user is not None and self.user.scoped else None

    def internal_for(self, home_city_id: int) -> bool:
        """Sees a partnership's internal assessments (health, follow-ups, targets): signed in, and of its home city."""
        return self.signed_in and (not self.user.scoped or int(home_city_id) in self.user.homes)

    def private_for(self, home_city_id: int) -> bool:
        """Sees a partnership's private data (notes, contacts) and may change it: staff of its home city."""
        return self.staff and self.user.sees_private(home_city_id)


def start(role: str | None = None) -> Page:
    """Run inside app.py's frame; stop unless the reader has ``role`` (None: anyone may read)."""
    compat.inside_frame()
    user = session.require(role) if role else session.user()
    return Page(session.translator(), config.today(), session.home_filter(), user)


def report(tr: Translator, plan: Plan, batch: int | None, done: str, **values: object) -> None:
    """The outcome of a form (a one-row import): its problems, or ``done`` (a message with {batch}) to undo."""
    if batch is None:
        st.error(md_escape("; ".join(f"{p.column}: {tr(p.msgid, **p.values)}" for p in plan.errors)))
    else:
        st.success(tr(done, batch=batch, **values))
